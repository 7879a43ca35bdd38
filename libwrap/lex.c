/*
 * lex.c - splitting a logical line into fields and patterns.
 *
 * Exports the lex_* functions of lex.h.  One pass per field over a class
 * table: the low bits of a byte's class say what it does to the scan
 * (separator, ':', bracket, '@', end of line), the high bits what it
 * adds to its pattern's flags.  Pure: no I/O.
 */
#include "lex.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "strbuf.h"

/* What a byte does to the scan. */
enum {
    CH_OTHER,
    CH_SEPARATOR, /* space, tab, comma, CR */
    CH_COLON,
    CH_OPEN,
    CH_CLOSE,
    CH_AT,
    CH_END, /* NUL, and the newline that ends every logical line */
    CH_MASK = 7,
};

/* The pattern flags of lex.h, shifted above the scan classes. */
#define F(flags) ((flags) << 3)
#define NAME     F(LEX_NAME)

static const unsigned char byte_class[256] = {
    [0] = CH_END | NAME,
    [1 ... 8] = NAME,
    ['\t'] = CH_SEPARATOR | NAME,
    ['\n'] = CH_END | NAME,
    [11 ... 12] = NAME,
    ['\r'] = CH_SEPARATOR | NAME,
    [14 ... 31] = NAME,
    [' '] = CH_SEPARATOR | NAME,
    ['!' ... ')'] = NAME,
    ['*'] = NAME | F(LEX_WILD),
    ['+'] = NAME,
    [','] = CH_SEPARATOR | NAME,
    ['-'] = NAME,
    ['/'] = F(LEX_SLASH),
    [':'] = CH_COLON | NAME,
    [';' ... '>'] = NAME,
    ['?'] = NAME | F(LEX_WILD),
    ['@'] = CH_AT | NAME | F(LEX_AT),
    ['A' ... 'Z'] = NAME,
    ['['] = CH_OPEN | NAME | F(LEX_BRACKET),
    ['\\'] = NAME,
    [']'] = CH_CLOSE | NAME | F(LEX_BRACKET),
    ['^' ... 0xff] = NAME,
};

void lex_init(struct lex_line *l)
{
    memset(l, 0, sizeof(*l));
}

void lex_free(struct lex_line *l)
{
    free(l->daemons.items);
    free(l->clients.items);
    arena_free(&l->arena);
    memset(l, 0, sizeof(*l));
}

bool lex_is_blank(const char *text, size_t len)
{
    size_t i;

    if (len == 0 || text[0] == '#')
        return true;
    if (text[0] != ' ' && text[0] != '\t' && text[0] != '\r' &&
        text[0] != '\n')
        return false;
    for (i = 0; i < len; i++) {
        if (!(text[i] == ' ' || text[i] == '\t' || text[i] == '\r' ||
              text[i] == '\n'))
            return false;
    }
    return true;
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
    while (s[run] != '\0' && s[run] != '\n' && !lex_is_separator(s[run]))
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

/* Appends an item; false when memory runs out. */
static inline bool push(struct lex_list *list, const char *text, size_t len,
                        uint32_t flags)
{
    struct lex_item *item;

    if (len > UINT32_MAX)
        return false;
    if (__builtin_expect(list->count == list->cap, 0)) {
        item = array_grow(list->items, &list->cap, sizeof(*item), 8);
        if (item == NULL)
            return false;
        list->items = item;
    }
    item = &list->items[list->count++];
    item->text = text;
    item->len = (uint32_t)len;
    item->flags = flags;
    return true;
}

uint32_t lex_flags(const char *s, size_t n)
{
    unsigned acc = 0;
    size_t i;

    for (i = 0; i < n; i++)
        acc |= byte_class[(unsigned char)s[i]];
    return acc >> 3;
}

/* Appends the pattern s[0..n) with its bare IPv6 part at v6 (v6_len
 * bytes) put in brackets: "[addr]" or "[addr]/len". */
static bool push_rewritten(struct lex_list *list, struct arena *arena,
                           const char *s, size_t n, const char *v6,
                           size_t v6_len)
{
    const char *slash = memchr(v6, '/', v6_len);
    size_t addr_len = slash != NULL ? (size_t)(slash - v6) : v6_len;
    size_t head = (size_t)(v6 - s);
    char *item = arena_alloc(arena, n + 3), *q;

    if (item == NULL)
        return false;
    q = item;
    memcpy(q, s, head);
    q += head;
    *q++ = '[';
    memcpy(q, v6, addr_len);
    q += addr_len;
    *q++ = ']';
    memcpy(q, v6 + addr_len, n - head - addr_len);
    q += n - head - addr_len;
    *q = '\0';
    return push(list, item, n + 2, lex_flags(item, n + 2) | LEX_REWRITTEN);
}

bool lex_single_item_rest(const char *start, const char *p,
                          struct lex_item *item, const char **nl)
{
    unsigned c, acc = 0;
    int depth;

    for (;;) {
        /* Ordinary bytes four at a time (the text is padded, lex.h). */
        for (;;) {
            unsigned c4 = byte_class[(unsigned char)p[0]] |
                          byte_class[(unsigned char)p[1]] |
                          byte_class[(unsigned char)p[2]] |
                          byte_class[(unsigned char)p[3]];
            /* CH_OTHER is 0, every other class has a low bit set. */
            if ((c4 & CH_MASK) != 0)
                break;
            acc |= c4;
            p += 4;
        }
        while (((c = byte_class[(unsigned char)*p]) & CH_MASK) == CH_OTHER) {
            acc |= c;
            p++;
        }
        if ((c & CH_MASK) == CH_OPEN) {
            /* Inside brackets a ':' is the pattern's, as in lex_field():
             * up to the ']' that closes them. */
            for (depth = 1, acc |= c; depth != 0;) {
                /* Four at a time while they are ordinary or ':'. */
                for (p++;; p += 4) {
                    unsigned c4 = byte_class[(unsigned char)p[0]] |
                                  byte_class[(unsigned char)p[1]] |
                                  byte_class[(unsigned char)p[2]] |
                                  byte_class[(unsigned char)p[3]];
                    if ((c4 & CH_MASK & ~(unsigned)CH_COLON) != 0)
                        break;
                    acc |= c4;
                }
                c = byte_class[(unsigned char)*p];
                acc |= c;
                if ((c & CH_MASK & ~(unsigned)CH_COLON) == CH_OTHER)
                    continue; /* CH_OTHER or CH_COLON */
                if ((c & CH_MASK) == CH_OPEN)
                    depth++;
                else if ((c & CH_MASK) == CH_CLOSE)
                    depth--;
                else
                    return false; /* '@', a separator or the end */
            }
            p = lex_skip_digits_and_dots(p + 1);
            continue;
        }
        if ((c & CH_MASK) == CH_CLOSE) {
            /* A ']' with no '[' hides the field's later ':' (lex.h). */
            return false;
        }
        if ((c & CH_MASK) == CH_COLON || (c & CH_MASK) == CH_AT)
            return false;
        break; /* a separator or the end */
    }
    if (p == start)
        return false;
    item->text = start;
    item->len = (uint32_t)(p - start);
    item->flags = acc >> 3;
    while ((byte_class[(unsigned char)*p] & CH_MASK) == CH_SEPARATOR)
        p++;
    if (*p != '\n')
        return false;
    *nl = p;
    return true;
}

const char *lex_field(struct lex_list *out, struct arena *arena, const char *p,
                      bool client, bool *nomem)
{
    int depth = 0;
    unsigned c, acc;
    const char *start, *at, *v6;
    size_t v6_len = 0, skip;
    bool ok;

    out->count = 0;
    *nomem = false;
    for (;;) {
        while ((byte_class[(unsigned char)*p] & CH_MASK) == CH_SEPARATOR)
            p++;
        start = p;
        at = NULL;
        v6 = NULL;
        acc = 0;
        for (;; p++) {
            /* Most bytes are ordinary: digits and dots eight at a time,
             * then the rest one by one. */
            p = lex_skip_digits_and_dots(p);
            while (((c = byte_class[(unsigned char)*p]) & CH_MASK) ==
                   CH_OTHER) {
                acc |= c;
                p++;
            }
            switch (c & CH_MASK) {
            case CH_OTHER:
                continue;
            case CH_OPEN:
                depth++;
                acc |= c;
                continue;
            case CH_CLOSE:
                depth--;
                acc |= c;
                continue;
            case CH_AT:
                if (at == NULL && p > start && depth == 0)
                    at = p;
                acc |= c;
                continue;
            case CH_COLON:
                if (depth != 0) {
                    acc |= c;
                    continue;
                }
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
            default: /* a separator or the end */
                break;
            }
            break;
        }
        /* p ends the pattern: a separator, the end, or the field's ':'. */
        if (p > start) {
            if (v6 == NULL)
                ok = push(out, start, (size_t)(p - start), acc >> 3);
            else
                ok = push_rewritten(out, arena, start, (size_t)(p - start), v6,
                                    v6_len);
            if (!ok) {
                *nomem = true;
                return NULL;
            }
        }
        c = byte_class[(unsigned char)*p] & CH_MASK;
        if (c == CH_END)
            return NULL;
        p++;
        if (c == CH_COLON)
            return p;
    }
}

enum lex_status lex_line(struct lex_line *l, const char *text, size_t len)
{
    const char *clients, *options;
    bool nomem;

    l->daemons.count = 0;
    l->clients.count = 0;
    l->options = NULL;
    l->options_len = 0;
    if (lex_is_blank(text, len))
        return LEX_IGNORED;
    arena_reset(&l->arena);
    /* Debian finds the first ':' before looking at patterns; a line
     * without one is reported even if its lists are odd. */
    clients = lex_field(&l->daemons, &l->arena, text, false, &nomem);
    if (nomem)
        return LEX_NOMEM;
    if (clients == NULL)
        return LEX_NO_COLON;
    options = lex_field(&l->clients, &l->arena, clients, true, &nomem);
    if (nomem)
        return LEX_NOMEM;
    if (options != NULL) {
        l->options = options;
        l->options_len = len - (size_t)(options - text);
    }
    return LEX_RULE;
}
