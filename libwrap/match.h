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
 */
#ifndef LIBWRAP_MATCH_H
#define LIBWRAP_MATCH_H

#include <stdbool.h>

#include "rule.h"
#include "tcpd.h"

/* Deepest nesting of /file host lists (compat-policy D4). */
#define MATCH_MAX_FILE_DEPTH 16

/* True when the daemon list and then the client list match. */
bool match_rule(const struct rule *rule, struct request_info *r);
/* One host pattern against one endpoint; depth counts /file nesting. */
bool match_host(const char *pattern, struct host_info *host, int depth);
/* Debian's string match of a pattern (n bytes) against a name. */
bool match_string(const char *pattern, size_t n, const char *string);

#endif
