/*
 * rule.h - one logical line of a table, parsed into a rule.
 *
 * The lexer's reading of a line (lex.h), as strings for the checking
 * tools: a rule line is "daemon_list : client_list [ : option_field ]",
 * split as the library splits it (bare IPv6 addresses rewritten in
 * brackets, compat-policy D10).  The library itself compiles lines
 * (pattern.h) instead.
 *
 * DIAGNOSTICS: none; a line without ':' or out of memory is a status for
 * the caller to report.
 */
#ifndef LIBWRAP_RULE_H
#define LIBWRAP_RULE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "lex.h"

/* The patterns of a daemon or client list, in order. */
struct pattern_list {
    char **items; /* NUL-terminated patterns, EXCEPT included */
    size_t count;
};

struct rule {
    int line; /* line number for diagnostics */
    struct pattern_list daemons;
    struct pattern_list clients;
    char *options; /* option field, or NULL when absent */
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
    return lex_is_separator(c);
}

#endif
