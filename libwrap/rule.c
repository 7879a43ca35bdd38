/*
 * rule.c - parsing one logical line into a rule.
 *
 * Exports split_at() (Debian's bracket-aware splitter, for programs that
 * call it) and rule_parse()/rule_split_at() of rule.h.  rule_parse() is
 * the library's own lexer (lex.h) with its patterns copied out as
 * strings, for the checking tools.  Pure: no I/O.
 */
#include "rule.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "lex.h"
#include "table.h"
#include "tcpd.h"

char *rule_split_at(char *s, int c)
{
    int depth = 0;
    char *p;

    for (p = s; *p != '\0'; p++) {
        if (*p == '[') {
            depth++;
        } else if (*p == ']') {
            depth--;
        } else if (*p == c && depth == 0) {
            *p = '\0';
            return p + 1;
        }
    }
    return NULL;
}

/* Splits s at the first c outside brackets; NULL when there is none. */
LIBWRAP_API char *split_at(char *s, int c)
{
    return s != NULL ? rule_split_at(s, c) : NULL;
}

/* Copies the lexed items of a list into the rule's strings. */
static bool copy_list(struct arena *a, const struct lex_list *from,
                      struct pattern_list *to)
{
    size_t i;

    to->count = 0;
    to->items = NULL;
    if (from->count == 0)
        return true;
    to->items = arena_alloc(a, from->count * sizeof(*to->items));
    if (to->items == NULL)
        return false;
    for (i = 0; i < from->count; i++) {
        to->items[i] =
            arena_strndup(a, from->items[i].text, from->items[i].len);
        if (to->items[i] == NULL)
            return false;
    }
    to->count = from->count;
    return true;
}

enum rule_status rule_parse(struct arena *a, const char *text, size_t len,
                            int line, struct rule *out)
{
    struct lex_line l;
    enum rule_status status = RULE_NOMEM;
    char *copy;

    memset(out, 0, sizeof(*out));
    out->line = line;
    /* The lexer reads the line in place, and a few bytes past its end:
     * a copy with the padding a table's text has. */
    if (len > SIZE_MAX - TABLE_PADDING ||
        (copy = arena_alloc(a, len + TABLE_PADDING)) == NULL)
        return RULE_NOMEM;
    memcpy(copy, text, len);
    memset(copy + len, 0, TABLE_PADDING);
    lex_init(&l);
    switch (lex_line(&l, copy, len)) {
    case LEX_IGNORED:
        status = RULE_IGNORED;
        break;
    case LEX_NO_COLON:
        status = RULE_NO_COLON;
        break;
    case LEX_NOMEM:
        break;
    case LEX_RULE:
        if (!copy_list(a, &l.daemons, &out->daemons) ||
            !copy_list(a, &l.clients, &out->clients))
            break;
        if (l.options != NULL && (out->options = arena_strndup(
                                      a, l.options, l.options_len)) == NULL)
            break;
        status = RULE_PARSED;
        break;
    }
    lex_free(&l);
    return status;
}
