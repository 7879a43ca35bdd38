/*
 * rule.h - one logical line of a table, parsed into a rule.
 *
 * A rule line is "daemon_list : client_list [ : option_field ]".  The two
 * list fields end at a ':' outside brackets, as Debian splits them; a bare
 * IPv6 address in a list stays one pattern and is rewritten into its
 * bracketed form (compat-policy D10).  Lists are split into patterns on
 * runs of space, tab, comma, CR and LF.  The option field is kept as text
 * and interpreted only when the rule matches.
 */
#ifndef LIBWRAP_RULE_H
#define LIBWRAP_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* The patterns of a daemon or client list, in order. */
struct pattern_list {
    char **items; /* NUL-terminated patterns, EXCEPT included */
    size_t count;
};

struct rule {
    int line;                   /* line number for diagnostics */
    struct pattern_list daemons;
    struct pattern_list clients;
    char *options;              /* option field, or NULL when absent */
};

enum rule_status {
    RULE_PARSED,   /* a rule */
    RULE_IGNORED,  /* a comment or blank line */
    RULE_NO_COLON, /* no ':' outside brackets: warn and skip */
    RULE_NOMEM,    /* allocation failed */
};

/* Parses len bytes of text; everything in *out is allocated from a. */
enum rule_status rule_parse(struct arena *a, const char *text, size_t len,
                            int line, struct rule *out);

/*
 * Debian's split_at(): the first c in s outside brackets (a '[' opens, a
 * ']' closes, and a ']' with no open bracket hides every later c).
 */
char *rule_split_at(char *s, int c);

/* True for the list separators: space, tab, comma, CR, LF. */
static inline bool rule_is_list_separator(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n';
}

#endif
