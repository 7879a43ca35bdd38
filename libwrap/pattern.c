/*
 * pattern.c - classifying patterns into image records.
 *
 * Exports the pattern_* functions of pattern.h.  Each case below is one
 * step of Debian's matcher (behaviour page 2.2-2.5), in its order; the
 * matcher (match.c) then only does what the record says.  Pure: no I/O.
 */
#include "pattern.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"

/* The first c outside brackets in p[from..n), or NULL (a ']' with no
 * '[' open leaves the depth below zero until a '[' brings it back). */
static const char *find_outside_brackets(const char *p, size_t n, size_t from,
                                         char c)
{
    int depth = 0;
    size_t i;

    for (i = from; i < n; i++) {
        if (p[i] == '[')
            depth++;
        else if (p[i] == ']')
            depth--;
        else if (p[i] == c && depth == 0)
            return p + i;
    }
    return NULL;
}

const char *pattern_find_at(const char *p, size_t n)
{
    return find_outside_brackets(p, n, 1, '@');
}

const char *pattern_find_slash(const char *p, size_t n)
{
    return find_outside_brackets(p, n, 0, '/');
}

bool pattern_not_inaddr(const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!((p[i] >= '0' && p[i] <= '9') || p[i] == '.' || p[i] == '/'))
            return true;
    }
    return false;
}

/* sscanf("%u%c") == 1 semantics: optional white space and sign, then only
 * digits; the value is strtoul()'s, cut to unsigned int. */
bool pattern_port(const char *s, size_t n, unsigned *port)
{
    size_t i = 0;
    unsigned long v = 0;
    bool negative = false, overflow = false, any = false;

    while (i < n && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r')))
        i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        negative = s[i++] == '-';
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        unsigned long d = (unsigned long)(s[i] - '0');
        any = true;
        if (v > (~0UL - d) / 10)
            overflow = true;
        else
            v = v * 10 + d;
    }
    if (!any || i != n)
        return false;
    if (overflow)
        v = ~0UL;
    else if (negative)
        v = -v;
    *port = (unsigned)v;
    return *port <= 65535;
}

/* The list being written: its records were reserved when it began (the
 * strings and addresses they refer to go after them). */
struct out {
    struct image_builder *b;
    uint32_t list; /* offset of the struct image_list */
    uint32_t next; /* the next record to write */
    uint32_t count;
};

/* Writes the next pattern record. */
static bool put(struct out *o, int kind, unsigned flags, uint32_t len,
                uint32_t value)
{
    struct image_pattern *p;

    if (o->b->failed || o->next >= o->count)
        return false;
    p = image_builder_at(o->b, o->list + (uint32_t)sizeof(struct image_list) +
                                   o->next++ * (uint32_t)sizeof(*p));
    p->kind = (uint8_t)kind;
    p->flags = (uint8_t)flags;
    p->len = (uint16_t)len;
    p->value = value;
    return true;
}

/* A record whose value is a string of the image, NUL-terminated. */
static bool put_text(struct out *o, int kind, unsigned flags, const char *s,
                     size_t n)
{
    uint32_t off = image_put_text(o->b, s, n, &flags);

    return off != 0 &&
           put(o, kind, flags, n <= UINT16_MAX ? (uint32_t)n : 0, off);
}

/* A string pattern's record: its bytes need no NUL of their own. */
static bool put_span(struct out *o, int kind, unsigned flags, const char *s,
                     size_t n)
{
    uint32_t off = image_put_span(o->b, s, n, &flags);

    return off != 0 &&
           put(o, kind, flags, n <= UINT16_MAX ? (uint32_t)n : 0, off);
}

/* Classifies a string pattern (n > 0) with the PATTERN_* flags given;
 * maybe_wild false says the bytes hold no '*' or '?' (the lexer's
 * LEX_WILD).  An "[IPv6]" literal's address is left unread. */
static inline void classify_string(const char *s, size_t n, unsigned flags,
                                   bool maybe_wild, struct pattern_host *out)
{
    out->flags = flags;
    out->text = s;
    out->len = n;
    out->value = NULL;
    if (maybe_wild && (memchr(s, '*', n) != NULL || memchr(s, '?', n) != NULL))
        out->kind = PAT_WILDCARD;
    else if (s[0] == '.')
        out->kind = PAT_SUFFIX;
    else if (n == 3 && strncasecmp(s, "ALL", 3) == 0)
        out->kind = PAT_ALL;
    else if (n == 5 && strncasecmp(s, "KNOWN", 5) == 0)
        out->kind = PAT_KNOWN;
    else if (s[n - 1] == '.')
        out->kind = PAT_PREFIX;
    else if (s[0] == '[' && n >= 2 && s[n - 1] == ']') {
        out->kind = PAT_V6_LITERAL;
        out->flags |= PATTERN_V6_UNREAD;
    } else
        out->kind = PAT_EXACT;
}

bool pattern_v6_literal(const struct pattern_host *p, struct in6_addr *out)
{
    if (p->flags & PATTERN_V6_UNREAD)
        return addr_parse_v6(p->text + 1, p->len - 2, out);
    if (p->value == NULL)
        return false;
    memcpy(out, p->value, sizeof(*out));
    return true;
}

/* "net/mask": the IPv4 form, else the bracketed IPv6 form, else a
 * pattern that only reads the address.  net and mask are the two sides,
 * as C strings, exactly as Debian's matcher reads them. */
static void classify_netmask(const char *net, const char *mask_text,
                             struct pattern_host *out,
                             union pattern_value *store)
{
    struct in6_addr addr;
    size_t net_len = strlen(net);
    int bits;

    out->kind = PAT_NET_NONE;
    if ((store->net4.net = addr_dot_quad(net)) != INADDR_NONE) {
        /* A dotted mask may be 0.0.0.0; a bad CIDR length reads as 0. */
        store->net4.mask = addr_dot_quad(mask_text);
        if (store->net4.mask == INADDR_NONE &&
            (store->net4.mask = addr_cidr_mask(mask_text)) == 0)
            return;
        out->kind = PAT_NET4;
        out->value = &store->net4;
        return;
    }
    if (net_len >= 2 && net[0] == '[' && net[net_len - 1] == ']' &&
        addr_parse_v6(net + 1, net_len - 2, &addr)) {
        /* atoi() on purpose: Debian reads "", "/abc" and "/0" as 0. */
        bits = atoi(mask_text);
        if (bits >= 0 && bits <= 128) {
            memcpy(store->net6.addr, &addr, sizeof(store->net6.addr));
            store->net6.bits = (uint32_t)bits;
            out->kind = PAT_NET6;
            out->value = &store->net6;
        }
    }
}

/* A net/mask whose sides are too long for the stack: false when memory
 * runs out. */
static bool classify_long_netmask(const char *s, size_t net_len, size_t n,
                                  struct pattern_host *out,
                                  union pattern_value *store)
{
    struct strbuf net = STRBUF_INIT, mask = STRBUF_INIT;
    bool ok = sb_append(&net, s, net_len) &&
              sb_append(&mask, s + net_len + 1, n - net_len - 1);

    if (ok)
        classify_netmask(sb_str(&net), sb_str(&mask), out, store);
    sb_free(&net);
    sb_free(&mask);
    return ok;
}

bool pattern_classify_host(const char *s, size_t n, uint32_t flags,
                           struct pattern_host *out,
                           union pattern_value *store)
{
    const char *slash = NULL;

    out->flags = 0;
    out->text = s;
    out->len = n;
    out->value = NULL;
    if (n > 0 && !(flags & (LEX_NAME | LEX_SLASH))) {
        /* Digits and dots only: a block list's usual address. */
        out->kind = pattern_address_kind(s, n);
        return true;
    }
    if (n > 0 && s[0] == '@') {
        out->kind = PAT_NETGROUP;
        out->text = s + 1;
        out->len = n - 1;
        return true;
    }
    if (n > 0 && s[0] == '/') {
        out->kind = PAT_FILE;
        return true;
    }
    if (n == 5 && strncasecmp(s, "KNOWN", 5) == 0) {
        out->kind = PAT_HOST_KNOWN;
        return true;
    }
    if (n == 5 && strncasecmp(s, "LOCAL", 5) == 0) {
        out->kind = PAT_LOCAL;
        return true;
    }
    if (flags & LEX_SLASH)
        slash = (flags & LEX_BRACKET) ? pattern_find_slash(s, n)
                                      : memchr(s, '/', n);
    if (slash != NULL) {
        size_t net_len = (size_t)(slash - s), mask_len = n - net_len - 1;
        char small_net[64], small_mask[64];

        if (net_len >= sizeof(small_net) || mask_len >= sizeof(small_mask))
            return classify_long_netmask(s, net_len, n, out, store);
        /* The two sides as C strings, as Debian's matcher reads them. */
        memcpy(small_net, s, net_len);
        small_net[net_len] = '\0';
        memcpy(small_mask, slash + 1, mask_len);
        small_mask[mask_len] = '\0';
        classify_netmask(small_net, small_mask, out, store);
        return true;
    }
    if (n == 0) {
        /* An empty host part ("user@") reads the address and never
         * matches, as a string match of no bytes does. */
        out->kind = PAT_NET_NONE;
        return true;
    }
    classify_string(s, n, (flags & LEX_NAME) ? PATTERN_NAME : 0,
                    (flags & LEX_WILD) != 0, out);
    return true;
}

/* Writes a classified pattern's record, and what its value points to. */
static bool put_classified(struct out *o, const struct pattern_host *ph)
{
    struct in6_addr v6;
    unsigned flags;
    uint32_t off;

    switch (ph->kind) {
    case PAT_EXACT:
    case PAT_PREFIX:
    case PAT_SUFFIX:
    case PAT_WILDCARD:
        return put_span(o, ph->kind, ph->flags, ph->text, ph->len);
    case PAT_NETGROUP:
    case PAT_FILE:
        return put_text(o, ph->kind, ph->flags, ph->text, ph->len);
    case PAT_V6_LITERAL:
        /* A record holds the address parsed, or says it is invalid. */
        flags = ph->flags & ~(unsigned)(PATTERN_V6_UNREAD | PATTERN_V6_VALID);
        if (!pattern_v6_literal(ph, &v6))
            return put(o, ph->kind, flags, 0, 0);
        off = image_put(o->b, &v6, sizeof(v6));
        return off != 0 && put(o, ph->kind, flags | PATTERN_V6_VALID, 0, off);
    case PAT_NET4:
        off = image_put(o->b, ph->value, sizeof(struct image_net4));
        return off != 0 && put(o, ph->kind, 0, 0, off);
    case PAT_NET6:
        off = image_put(o->b, ph->value, sizeof(struct image_net6));
        return off != 0 && put(o, ph->kind, 0, 0, off);
    default:
        return put(o, ph->kind, ph->flags, 0, 0);
    }
}

/* A string pattern (Debian's string match of n bytes). */
static bool put_string(struct out *o, const char *s, size_t n, unsigned flags)
{
    struct pattern_host ph;

    classify_string(s, n, flags, true, &ph);
    return put_classified(o, &ph);
}

/* A host pattern of n bytes (the client's, the server's after "@", or a
 * /file word) whose bytes have the LEX_* classes flags. */
static bool put_host(struct out *o, const char *s, size_t n, uint32_t flags)
{
    struct pattern_host ph;
    union pattern_value store;

    if (!pattern_classify_host(s, n, flags, &ph, &store)) {
        o->b->failed = true;
        return false;
    }
    return put_classified(o, &ph);
}

/* A daemon name: a port number or a string. */
static bool put_daemon_name(struct out *o, const char *s, size_t n,
                            unsigned flags)
{
    unsigned port;

    if (pattern_port(s, n, &port))
        return put(o, PAT_PORT, flags, 0, port);
    return put_string(o, s, n, flags);
}

/* One item of a list. */
static bool put_item(struct out *o, const struct lex_item *item,
                     enum pattern_list_kind kind)
{
    const char *s = item->text, *at;
    size_t n = item->len;

    size_t rest;

    if (kind == LIST_HOSTS)
        return put_host(o, s, n, item->flags);
    if ((s[0] == 'e' || s[0] == 'E') && lex_is_except(s, n))
        return put(o, PAT_EXCEPT, 0, 0, 0);
    at = (item->flags & LEX_AT) ? pattern_find_at(s, n) : NULL;
    if (kind == LIST_DAEMONS) {
        if (at == NULL)
            return put_daemon_name(o, s, n, 0);
        rest = n - (size_t)(at - s) - 1;
        return put_daemon_name(o, s, (size_t)(at - s), PATTERN_HOST_FOLLOWS) &&
               put_host(o, at + 1, rest, lex_flags(at + 1, rest));
    }
    if (at == NULL)
        return put_host(o, s, n, item->flags);
    rest = n - (size_t)(at - s) - 1;
    return put_string(o, s, (size_t)(at - s), PATTERN_HOST_FOLLOWS) &&
           put_host(o, at + 1, rest, lex_flags(at + 1, rest));
}

/* True when an item is two records: "daemon@host" or "user@host". */
static bool compound(const struct lex_item *item, enum pattern_list_kind kind)
{
    return kind != LIST_HOSTS && (item->flags & LEX_AT) &&
           pattern_find_at(item->text, item->len) != NULL;
}

uint32_t pattern_put_list(struct image_builder *b, const struct lex_list *list,
                          enum pattern_list_kind kind, size_t trailer)
{
    struct out o;
    size_t i, records = list->count;

    for (i = 0; i < list->count; i++)
        records += compound(&list->items[i], kind);
    if (records > (UINT32_MAX - 8) / sizeof(struct image_pattern) - trailer) {
        b->failed = true;
        return 0;
    }
    o.b = b;
    o.next = 0;
    o.count = (uint32_t)records;
    o.list = image_reserve(b, sizeof(struct image_list) +
                                  records * sizeof(struct image_pattern) +
                                  trailer * sizeof(uint32_t));
    if (o.list == 0)
        return 0;
    ((struct image_list *)image_builder_at(b, o.list))->count = o.count;
    for (i = 0; i < list->count; i++) {
        if (!put_item(&o, &list->items[i], kind)) {
            b->failed = true;
            return 0;
        }
    }
    if (o.next != o.count) {
        b->failed = true;
        return 0;
    }
    return o.list;
}
