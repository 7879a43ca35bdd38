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
    return s != NULL ? rule_split_at(s, c) : NULL;
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
    /* A bracket is part of the run: "db8::]/32" is no address, and
     * Debian's split must see that ']' (behaviour page 1.11). */
    while (s[run] != '\0' && !rule_is_list_separator(s[run]))
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

/* Character classes for the list scanner. */
enum {
    CH_OTHER,
    CH_SEPARATOR, /* space, tab, comma, CR, LF */
    CH_COLON,
    CH_OPEN,
    CH_CLOSE,
    CH_AT,
    CH_END, /* NUL */
};

static const unsigned char char_class[256] = {
    ['\0'] = CH_END,       [' '] = CH_SEPARATOR, ['\t'] = CH_SEPARATOR,
    [','] = CH_SEPARATOR,  ['\r'] = CH_SEPARATOR, ['\n'] = CH_SEPARATOR,
    [':'] = CH_COLON,      ['['] = CH_OPEN,      [']'] = CH_CLOSE,
    ['@'] = CH_AT,
};

/*
 * Splits the list field starting at s into patterns.  Returns the first
 * character after the ':' that ends the field, or NULL when the field
 * runs to the end of the text.  *nomem is set on allocation failure.
 * Brackets are counted across the whole field, as split_at() does.
 */
static char *scan_list(struct builder *b, char *s, bool client, bool *nomem)
{
    int depth = 0, ends;
    char *p = s, *start, *at, *v6;
    size_t v6_len = 0, skip;

    for (;;) {
        while (char_class[(unsigned char)*p] == CH_SEPARATOR)
            p++;
        start = p;
        at = NULL;
        v6 = NULL;
        for (;; p++) {
            switch (char_class[(unsigned char)*p]) {
            case CH_OTHER:
                continue;
            case CH_OPEN:
                depth++;
                continue;
            case CH_CLOSE:
                depth--;
                continue;
            case CH_AT:
                if (at == NULL && p > start && depth == 0)
                    at = p;
                continue;
            case CH_COLON:
                if (depth != 0)
                    continue;
                /* A bare IPv6 address keeps its colons (D10): at the
                 * start of a client pattern, or after an '@'. */
                if (v6 == NULL && client &&
                    (skip = bare_v6_length(start)) > (size_t)(p - start)) {
                    v6 = start;
                    v6_len = skip;
                    p = start + skip - 1;
                    continue;
                }
                if (v6 == NULL && at != NULL &&
                    (skip = bare_v6_length(at + 1)) > (size_t)(p - at - 1)) {
                    v6 = at + 1;
                    v6_len = skip;
                    p = at + skip;
                    continue;
                }
                break;
            case CH_SEPARATOR:
            case CH_END:
                break;
            }
            break;
        }
        /* p ends the pattern: a separator, the end, or the field's colon
         * (add_pattern() may overwrite it with a NUL). */
        ends = char_class[(unsigned char)*p];
        if (p > start && !add_pattern(b, start, (size_t)(p - start), v6,
                                      v6_len)) {
            *nomem = true;
            return NULL;
        }
        if (ends == CH_END)
            return NULL;
        p++;
        if (ends == CH_COLON)
            return p;
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
