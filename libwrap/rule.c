/*
 * rule.c - parsing one logical line into a rule.
 *
 * Exports split_at() (Debian's bracket-aware splitter, for programs that
 * call it) and rule_parse()/rule_split_at() of rule.h.  The two list
 * fields and their patterns are found in one pass per field, with the
 * same bracket counting as split_at(); a bare IPv6 address at the start
 * of a client pattern or after the '@' of a pattern is kept whole and
 * rewritten to its bracketed form (compat-policy D10).  Pure: no I/O.
 */
#include "rule.h"

#include <string.h>
#include <strings.h>

#include "addr.h"
#include "common.h"
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
    return rule_split_at(s, c);
}

enum { BARE_V6_MAX = 128 };

/* Length of the decimal digits at s. */
static size_t digits(const char *s)
{
    size_t n = 0;

    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* True when s[0..n) is an IPv6 address, optionally followed by /digits. */
static bool is_bare_v6(const char *s, size_t n)
{
    struct in6_addr a;
    const char *slash = memchr(s, '/', n);

    if (slash != NULL) {
        size_t tail = n - (size_t)(slash - s) - 1;
        if (tail == 0 || tail > 3 || digits(slash + 1) < tail)
            return false;
        n = (size_t)(slash - s);
    }
    return memchr(s, ':', n) != NULL && addr_parse_v6(s, n, &a);
}

/*
 * Length of a bare IPv6 address starting at s, or 0: the longest run up
 * to a list separator, or up to one of its colons, that parses completely.
 */
static size_t bare_v6_length(const char *s)
{
    size_t run = 0, n;

    if (!(s[0] == ':' || (s[0] >= '0' && s[0] <= '9') ||
          (s[0] >= 'a' && s[0] <= 'f') || (s[0] >= 'A' && s[0] <= 'F')))
        return 0;
    while (s[run] != '\0' && !rule_is_list_separator(s[run]) &&
           s[run] != '[' && s[run] != ']')
        run++;
    if (memchr(s, ':', run) == NULL)
        return 0;
    /* An address with a scope and a prefix length is far shorter than
     * this; the bound keeps hostile megabyte runs linear. */
    for (n = run < BARE_V6_MAX ? run : BARE_V6_MAX; n > 1; n--) {
        if ((n == run || s[n] == ':') && is_bare_v6(s, n))
            return n;
    }
    return 0;
}

/* A growing array of patterns, allocated from the arena. */
struct builder {
    struct arena *arena;
    struct pattern_list *list;
    size_t cap;
};

static bool push(struct builder *b, char *item)
{
    if (b->list->count == b->cap) {
        size_t cap = b->cap == 0 ? 4 : b->cap * 2;
        char **items = arena_alloc(b->arena, cap * sizeof(*items));
        if (items == NULL)
            return false;
        if (b->list->count > 0)
            memcpy(items, b->list->items, b->list->count * sizeof(*items));
        b->list->items = items;
        b->cap = cap;
    }
    b->list->items[b->list->count++] = item;
    return true;
}

/* Appends the pattern s[0..n), rewriting a bare IPv6 part at v6 (length
 * v6_len) into "[addr]" or "[addr]/len". */
static bool add_pattern(struct builder *b, char *s, size_t n, char *v6,
                        size_t v6_len)
{
    char *item, *slash, *q;
    size_t addr_len;

    if (v6 == NULL) {
        s[n] = '\0';
        return push(b, s);
    }
    item = arena_alloc(b->arena, n + 3);
    if (item == NULL)
        return false;
    slash = memchr(v6, '/', v6_len);
    addr_len = slash != NULL ? (size_t)(slash - v6) : v6_len;
    q = item;
    memcpy(q, s, (size_t)(v6 - s));
    q += v6 - s;
    *q++ = '[';
    memcpy(q, v6, addr_len);
    q += addr_len;
    *q++ = ']';
    memcpy(q, v6 + addr_len, n - (size_t)(v6 - s) - addr_len);
    q += n - (size_t)(v6 - s) - addr_len;
    *q = '\0';
    return push(b, item);
}

/*
 * Splits the list field starting at s into patterns.  Returns the first
 * character after the ':' that ends the field, or NULL when the field
 * runs to the end of the text.  *nomem is set on allocation failure.
 */
static char *scan_list(struct builder *b, char *s, bool client, bool *nomem)
{
    int depth = 0;
    char *p = s, *start = NULL, *v6 = NULL, *at = NULL;
    size_t v6_len = 0, skip;

    for (;; p++) {
        char c = *p;
        bool ends_field;

        /* A bare IPv6 address may begin with ':', so look for one before
         * taking a ':' as the end of the field. */
        if (start == NULL && client && depth == 0 &&
            (skip = bare_v6_length(p)) > 0) {
            start = p;
            v6 = p;
            v6_len = skip;
            at = NULL;
            p += skip - 1;
            continue;
        }
        ends_field = c == '\0' || (c == ':' && depth == 0);

        if (ends_field || rule_is_list_separator(c)) {
            if (start != NULL &&
                !add_pattern(b, start, (size_t)(p - start), v6, v6_len)) {
                *nomem = true;
                return NULL;
            }
            start = NULL;
            if (ends_field)
                return c == '\0' ? NULL : p + 1;
            continue;
        }
        if (start == NULL) {
            start = p;
            v6 = NULL;
            at = NULL;
        } else if (c == '@' && at == NULL && v6 == NULL && depth == 0) {
            at = p;
            if ((skip = bare_v6_length(p + 1)) > 0) {
                v6 = p + 1;
                v6_len = skip;
                p += skip;
                continue;
            }
        }
        if (c == '[')
            depth++;
        else if (c == ']')
            depth--;
    }
}

enum rule_status rule_parse(struct arena *a, const char *text, size_t len,
                            int line, struct rule *out)
{
    struct builder b;
    bool nomem = false;
    char *buf, *clients, *options;
    size_t i;

    if (len == 0 || text[0] == '#')
        return RULE_IGNORED;
    for (i = 0; i < len; i++) {
        if (!(text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
              text[i] == '\n'))
            break;
    }
    if (i == len)
        return RULE_IGNORED;

    memset(out, 0, sizeof(*out));
    out->line = line;
    buf = arena_strndup(a, text, len);
    if (buf == NULL)
        return RULE_NOMEM;

    /* Debian finds the first ':' before looking at patterns; a line
     * without one is reported even if its lists are odd. */
    b.arena = a;
    b.list = &out->daemons;
    b.cap = 0;
    clients = scan_list(&b, buf, false, &nomem);
    if (nomem)
        return RULE_NOMEM;
    if (clients == NULL)
        return RULE_NO_COLON;
    b.list = &out->clients;
    b.cap = 0;
    options = scan_list(&b, clients, true, &nomem);
    if (nomem)
        return RULE_NOMEM;
    /* scan_list() cut the text at the ':' before the option field. */
    out->options = options;
    return RULE_PARSED;
}
