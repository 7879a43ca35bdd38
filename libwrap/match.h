/*
 * match.h - does a rule apply to a request?
 *
 * Pattern and list matching as hosts_access(5) and Debian define it:
 * daemon lists, client lists, EXCEPT, user@host and daemon@host, host
 * patterns (names, addresses, net/mask, [IPv6]/len, wildcards, KNOWN,
 * LOCAL, @netgroup, /file).  No file, socket or resolver is touched
 * here: names, addresses and users come from the request's lazy eval_*
 * accessors, which perform the lookups the patterns ask for, in
 * Debian's order; /file lists come from hostlist.c.
 *
 * DIAGNOSTICS: none of its own; lookups, /file lists and allocation
 * failures log their causes where they happen.
 */
#ifndef LIBWRAP_MATCH_H
#define LIBWRAP_MATCH_H

#include <stdbool.h>

#include "rule.h"
#include "tcpd.h"

/* Deepest nesting of /file host lists (compat-policy D4). */
#define MATCH_MAX_FILE_DEPTH 16

/*
 * The result of evaluating a rule, a list or a host pattern.  MATCH_ERROR
 * means the pattern could not be evaluated because this process ran out
 * of descriptors or memory (resource.h): the cause has been logged and
 * errno says it; the whole decision then denies, since no verdict can be
 * trusted.  Evaluation stops at the first error.
 */
enum match_result {
    MATCH_ERROR = -1,
    MATCH_NO = 0,
    MATCH_YES = 1,
};

/* The daemon list and then the client list. */
enum match_result match_rule(const struct rule *rule, struct request_info *r);
/* One host pattern against one endpoint; depth counts /file nesting. */
enum match_result match_host(const char *pattern, struct host_info *host,
                             int depth);
/* Debian's string match of a pattern (n bytes) against a name. */
bool match_string(const char *pattern, size_t n, const char *string);

/* The '@' that splits "left@host" (the first after position 0 outside
 * brackets, counted from position 1), or NULL. */
const char *match_find_at(const char *item);
/* The first '/' outside brackets, or NULL. */
const char *match_find_slash(const char *pattern);
/* s without a leading "::ffff:" before a dotted quad. */
const char *match_strip_mapped(const char *s);
/* match_string() for a non-empty pattern without '*' or '?' against an
 * already stripped string of length len. */
bool match_plain(const char *pattern, size_t n, const char *s, size_t len);
/* The daemon part of a daemon pattern (a port number or a name). */
bool match_daemon_name(const char *pattern, size_t n, struct request_info *r);
/* True when pattern (n bytes) is the EXCEPT keyword, in any case. */
bool match_is_except(const char *pattern, size_t n);
/* True when the n bytes hold a character other than digits, '.', '/':
 * such host patterns are also compared with the host name. */
bool match_not_inaddr(const char *s, size_t n);

/*
 * Evaluates a list with EXCEPT: it matches when an item before the first
 * EXCEPT matches and the list after that EXCEPT does not, so "a EXCEPT b
 * EXCEPT c" is "a and not (b and not c)".  Items after a match are looked
 * at only when needed, and iteratively, whatever the chain's length.
 * fn returns an enum match_result as an int: 1 (match), 0 (no match) or
 * -1 (cannot tell: the whole evaluation returns -1 at once).
 */
typedef bool match_except_fn(const void *list, size_t i);
typedef int match_item_fn(const void *list, size_t i, void *ctx);
int match_chain(const void *list, size_t count, match_except_fn *is_except,
                match_item_fn *fn, void *ctx);

#endif
