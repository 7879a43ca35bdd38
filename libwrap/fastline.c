/*
 * fastline.c - deciding common rule lines straight from their text.
 *
 * Exports fastline_init() and fastline_match().  The patterns are read as
 * spans of the line and evaluated with the same functions the general
 * matcher uses (match_daemon_name(), match_string(), match_chain()), so
 * the two paths cannot disagree; this module only decides which lines
 * are simple enough and skips the copying and allocation.
 */
#include "fastline.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "table.h"
#include "match.h"

/* At most this many patterns per list, and this long a net/mask part,
 * on the fast path; anything bigger takes the general path. */
enum { FAST_MAX_NETMASK = 64 };

/* Character classes, as bits. */
enum {
    FC_SEPARATOR = 1, /* space, tab, comma, CR */
    FC_END = 2,       /* the newline that ends every logical line */
    FC_COLON = 4,
    FC_SPECIAL = 8,   /* [ ] @ NUL: the general path decides */
    FC_HOSTONLY = 16, /* * ?: the general path decides in client lists */
    /* The pattern flags of fastline.h are character classes too. */
    FC_NAME = FASTLINE_NAME, /* compared with host names too */
    FC_SLASH = FASTLINE_SLASH,
    FC_BRACKET = FASTLINE_BRACKET, /* (pattern flag only) */
};

static const unsigned char fast_class[256] = {
    [0] = FC_SPECIAL | FC_NAME,
    [1 ... 8] = FC_NAME, ['\t'] = FC_SEPARATOR | FC_NAME,
    ['\n'] = FC_END | FC_NAME, [11 ... 12] = FC_NAME,
    ['\r'] = FC_SEPARATOR | FC_NAME, [14 ... 31] = FC_NAME,
    [' '] = FC_SEPARATOR | FC_NAME, ['!' ... ')'] = FC_NAME,
    ['*'] = FC_HOSTONLY | FC_NAME, ['+'] = FC_NAME,
    [','] = FC_SEPARATOR | FC_NAME, ['-'] = FC_NAME, ['/'] = FC_SLASH,
    [':'] = FC_COLON | FC_NAME, [';' ... '>'] = FC_NAME,
    ['?'] = FC_HOSTONLY | FC_NAME, ['@'] = FC_SPECIAL | FC_NAME,
    ['A' ... 'Z'] = FC_NAME, ['['] = FC_SPECIAL | FC_NAME,
    ['\\'] = FC_NAME, [']'] = FC_SPECIAL | FC_NAME, ['^' ... 0xff] = FC_NAME,
};


/* Skips a run of digits and dots eight bytes at a time (the tables carry
 * TABLE_PADDING zero bytes, so reading past the line is safe). */
static inline const unsigned char *skip_digits_and_dots(const unsigned char *p)
{
    const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
    uint64_t w, ge30, ge3a, dot, bad;

    for (;;) {
        memcpy(&w, p, sizeof(w));
        ge30 = (w + ones * 0x50) & high; /* byte >= '0' (for bytes < 0x80) */
        ge3a = (w + ones * 0x46) & high; /* byte > '9' */
        dot = w ^ (ones * '.');
        dot = ~(((dot & ~high) + ~high) | dot) & high; /* byte == '.' */
        bad = ~((ge30 & ~ge3a) | dot) & high;
        bad |= w & high;
        if (bad != 0)
            return p + (__builtin_ctzll(bad) >> 3);
        p += sizeof(w);
    }
}

/*
 * Collects the patterns of one list field from *pp up to its ':' or the
 * line's newline.  False when the field is not simple.  *pp is left after
 * the ':' (or at the newline); *colon tells which.  stop is the set of
 * classes that end a pattern.
 */
static inline __attribute__((always_inline)) bool
collect(const char **pp, unsigned char stop, struct fastline_list *out,
        bool *colon)
{
    const unsigned char *p = (const unsigned char *)*pp;
    unsigned char c, flags;
    struct fastline_pattern *item;

    out->count = 0;
    for (;;) {
        while (fast_class[*p] & FC_SEPARATOR)
            p++;
        c = fast_class[*p];
        if (c & (FC_END | FC_COLON)) {
            *colon = (c & FC_COLON) != 0;
            *pp = (const char *)(*colon ? p + 1 : p);
            return true;
        }
        if (out->count == FASTLINE_MAX_PATTERNS)
            return false;
        item = &out->item[out->count++];
        item->p = (const char *)p;
        flags = 0;
        if (*p == '[' && (stop & FC_HOSTONLY)) {
            /* "[v6]" or "[v6]/len" in a client list: colons inside the
             * brackets stay. */
            const unsigned char *close = p + 1;
            while (*close != ']' && !(fast_class[*close] &
                                      (FC_SEPARATOR | FC_END | FC_SPECIAL)))
                close++;
            if (*close != ']' || !(fast_class[close[1]] & (stop | FC_SLASH)))
                return false;
            p = close + 1;
            flags = FC_NAME | FC_BRACKET;
        }
        if (stop & FC_HOSTONLY)
            p = skip_digits_and_dots(p);
        while (!((c = fast_class[*p]) & stop)) {
            flags |= c;
            p++;
        }
        if (c & (FC_SPECIAL | FC_HOSTONLY))
            return false;
        item->n = (size_t)((const char *)p - item->p);
        item->flags = flags;
    }
}

/* Classes that end a daemon pattern, and a client pattern. */
#define DAEMON_STOP (FC_SEPARATOR | FC_END | FC_COLON | FC_SPECIAL)
#define CLIENT_STOP (DAEMON_STOP | FC_HOSTONLY)

static bool span_is_except(const void *list, size_t i)
{
    const struct fastline_pattern *s = &((const struct fastline_list *)list)->item[i];

    return s->n == 6 && match_is_except(s->p, s->n);
}

static int daemon_item(const void *list, size_t i, void *ctx)
{
    const struct fastline_pattern *s = &((const struct fastline_list *)list)->item[i];
    struct fastline *f = ctx;

    return match_daemon_name(s->p, s->n, f->r);
}

/* "net/mask" from a span: -1 when a part is too long for the fast path. */
static int netmask_item(struct fastline *f, const struct fastline_pattern *s)
{
    char net[FAST_MAX_NETMASK], mask[FAST_MAX_NETMASK];
    const char *slash;
    size_t net_len, mask_len;

    /* The '/' outside the brackets, as match_host() finds it. */
    if (s->flags & FC_BRACKET)
        slash = (const char *)memchr(s->p, ']', s->n) + 1;
    else
        slash = memchr(s->p, '/', s->n);
    net_len = (size_t)(slash - s->p);
    mask_len = s->n - net_len - 1;
    if (net_len >= sizeof(net) || mask_len >= sizeof(mask))
        return -1;
    memcpy(net, s->p, net_len);
    net[net_len] = '\0';
    memcpy(mask, slash + 1, mask_len);
    mask[mask_len] = '\0';
    if (!f->host_parsed) {
        addr_host_parse(&f->host, eval_hostaddr(f->r->client));
        f->host_parsed = true;
    }
    return addr_match_netmask_host(net, mask, &f->host);
}

/* The client's address (or name), stripped of "::ffff:", read once. */
static const char *host_address(struct fastline *f)
{
    if (f->addr == NULL) {
        f->addr = match_strip_mapped(eval_hostaddr(f->r->client));
        f->addr_len = strlen(f->addr);
    }
    return f->addr;
}

static const char *host_name(struct fastline *f)
{
    if (f->name == NULL) {
        f->name = match_strip_mapped(eval_hostname(f->r->client));
        f->name_len = strlen(f->name);
    }
    return f->name;
}

/* The numeric IPv6 form of a host text, parsed once per scan. */
static bool host_v6(int *state, struct in6_addr *v6, const char *text,
                    size_t len)
{
    if (*state == 0)
        *state = addr_parse_v6(text, len, v6) ? 1 : -1;
    return *state == 1;
}

/* "[v6]": match_string()'s literal IPv6 rule, with the address and name
 * parsed once per scan instead of once per pattern. */
static int v6_item(struct fastline *f, const struct fastline_pattern *s)
{
    struct in6_addr want;
    bool valid = addr_parse_v6(s->p + 1, s->n - 2, &want);

    host_address(f);
    if (valid && host_v6(&f->addr_v6_state, &f->addr_v6, f->addr,
                         f->addr_len) &&
        memcmp(&want, &f->addr_v6, sizeof(want)) == 0)
        return 1;
    /* The name is needed: only if asking for it has no side effects. */
    if (f->name == NULL && f->r->client->name[0] == '\0' &&
        f->r->hostname != NULL)
        return -1;
    host_name(f);
    if (!valid ||
        !host_v6(&f->name_v6_state, &f->name_v6, f->name, f->name_len))
        return 0;
    return memcmp(&want, &f->name_v6, sizeof(want)) == 0;
}

/* A client host pattern without '@' or wildcards. */
static int client_item(const void *list, size_t i, void *ctx)
{
    const struct fastline_pattern *s = &((const struct fastline_list *)list)->item[i];
    struct fastline *f = ctx;
    struct host_info *h = f->r->client;
    const char *text;

    if (s->p[0] == '/')
        return -1; /* a /file list: reading it is the general path's job */
    if (s->flags & FC_SLASH)
        return netmask_item(f, s);
    if (s->n == 5 && (strncasecmp(s->p, "KNOWN", 5) == 0 ||
                      strncasecmp(s->p, "LOCAL", 5) == 0))
        return -1;
    if (s->flags & FC_BRACKET)
        return v6_item(f, s);
    text = host_address(f);
    if (!(s->flags & FC_NAME)) {
        /* Digits and dots: an address, a prefix "n.n." or a suffix. */
        if (s->p[0] != '.' && s->p[s->n - 1] != '.')
            return s->n == f->addr_len && memcmp(s->p, text, s->n) == 0;
        return match_plain(s->p, s->n, text, f->addr_len);
    }
    if (match_plain(s->p, s->n, text, f->addr_len))
        return 1;
    /* The name is needed: only if asking for it has no side effects. */
    if (f->name == NULL && h->name[0] == '\0' && f->r->hostname != NULL)
        return -1;
    text = host_name(f);
    return match_plain(s->p, s->n, text, f->name_len);
}

/* True when the text right after a client list's ':' might continue a
 * bare IPv6 address (D10): such lines are left to the parser. */
static bool maybe_bare_v6(const char *after_colon, const char *end)
{
    int next = after_colon < end ? (unsigned char)*after_colon : ' ';

    return (next >= '0' && next <= '9') || (next >= 'a' && next <= 'f') ||
           (next >= 'A' && next <= 'F') || next == ':';
}

bool fastline_disabled;

void fastline_init(struct fastline *f, struct request_info *r)
{
    memset(f, 0, sizeof(*f));
    f->r = r;
}

void fastline_forget(struct fastline *f)
{
    memset(f->memo, 0, sizeof(f->memo));
}

/* Evaluates a list, with a shortcut for the usual single pattern. */
static int eval_list(const struct fastline_list *list, match_item_fn *fn,
                     struct fastline *f)
{
    if (list->count == 1 && !span_is_except(list, 0))
        return fn(list, 0, f);
    return match_chain(list, list->count, span_is_except, fn, f);
}

/* memcmp() == 0 for a few bytes; both texts must be readable up to a
 * whole word past n (a table has TABLE_PADDING bytes after its text,
 * and a request's address field has STRING_LENGTH bytes). */
static inline bool same_text(const char *a, const char *b, size_t n)
{
    uint64_t x, y, u, v;

    if (n > 16)
        return memcmp(a, b, n) == 0;
    memcpy(&x, a, sizeof(x));
    memcpy(&y, b, sizeof(y));
    if (n <= 8)
        return ((x ^ y) & (~0ULL >> (64 - 8 * n))) == 0;
    memcpy(&u, a + 8, sizeof(u));
    memcpy(&v, b + 8, sizeof(v));
    return x == y && ((u ^ v) & (~0ULL >> (128 - 8 * n))) == 0;
}

/*
 * q[0..n) equals the client's address of at most 16 bytes, without
 * branches that depend on the text: random addresses in a block list
 * would make such branches mispredict on many lines.  Reads 16 bytes at
 * q (TABLE_PADDING) and at the address (a STRING_LENGTH field).
 */
static inline bool short_equal(const char *q, size_t n, const struct fastline *f)
{
    uint64_t x, y, u, v, keep_lo, keep_hi;
    size_t len = f->addr_len;

    memcpy(&x, q, 8);
    memcpy(&u, q + 8, 8);
    memcpy(&y, f->addr, 8);
    memcpy(&v, f->addr + 8, 8);
    keep_lo = len >= 8 ? ~0ULL : len == 0 ? 0 : ~0ULL >> (64 - 8 * len);
    keep_hi = len <= 8 ? 0 : ~0ULL >> (128 - 8 * len);
    return (((x ^ y) & keep_lo) | ((u ^ v) & keep_hi) | (n ^ len)) == 0;
}

/* The daemon list at the start of a line, through the memo. */
static int eval_daemons(struct fastline *f, const char **pp,
                        const char *end)
{
    const char *text = *pp;
    struct fastline_memo *m;
    struct fastline_list daemons;
    bool colon;
    int hit, i;

    for (i = 0; i < FASTLINE_MEMOS; i++) {
        m = &f->memo[i];
        if (m->len > 0 && (size_t)(end - text) >= m->len &&
            text[m->len - 1] == ':' && same_text(text, m->text, m->len)) {
            *pp = text + m->len;
            return m->match;
        }
    }
    if (!collect(pp, DAEMON_STOP, &daemons, &colon) || !colon)
        return -1;
    hit = eval_list(&daemons, daemon_item, f);
    if (hit >= 0) {
        /* A memo holds a daemon list with its ':'; the older one goes. */
        m = &f->memo[f->memo_next];
        f->memo_next = (f->memo_next + 1) % FASTLINE_MEMOS;
        m->text = text;
        m->len = (size_t)(*pp - text);
        m->match = hit == 1;
    }
    return hit;
}

bool fastline_split(const char *text, const char *end,
                    struct fastline_split *out)
{
    const char *p = text, *nl;
    bool colon;

    if (end <= text || end[-1] != '\n' || *p == '#')
        return false;
    if (!collect(&p, DAEMON_STOP, &out->daemons, &colon) || !colon)
        return false;
    if (!collect(&p, CLIENT_STOP, &out->clients, &colon))
        return false;
    if (colon && maybe_bare_v6(p, end))
        return false;
    nl = colon ? memchr(p, '\n', (size_t)(end - p)) : p;
    return nl != NULL && nl[-1] != '\\';
}

/* Decides the line at it->p: true when it cannot match (the iterator
 * then moves past it), false when the general path must look at it. */
static inline __attribute__((always_inline)) bool
skip_line(struct fastline *f, struct line_iter *it)
{
    const char *p = it->p, *nl;
    struct fastline_list clients;
    bool colon = false;
    int hit;

    if (*p == '#')
        return false;
    hit = eval_daemons(f, &p, it->end);
    if (hit < 0)
        return false;
    if (hit == 1 && f->addr != NULL) {
        /* The usual block list line, " a.b.c.d\n" after the daemon
         * list: one address, compared straight away. */
        const char *q = p, *end;
        while (*q == ' ' || *q == '\t')
            q++;
        end = (const char *)skip_digits_and_dots((const unsigned char *)q);
        if (*end == '\n' && end > q && q[0] != '.' && end[-1] != '.') {
            if (f->addr_len <= 16 ? short_equal(q, (size_t)(end - q), f)
                                  : ((size_t)(end - q) == f->addr_len &&
                                     same_text(q, f->addr, f->addr_len))) {
                f->matched = true; /* no options, nothing looked up */
                return false;
            }
            it->p = end + 1;
            it->newlines++;
            return true;
        }
    }
    if (hit == 1) {
        if (!collect(&p, CLIENT_STOP, &clients, &colon))
            return false;
        if (colon && maybe_bare_v6(p, it->end))
            return false;
    }
    nl = p;
    if (hit == 0 || colon) {
        nl = memchr(p, '\n', (size_t)(it->end - p));
        if (nl == NULL)
            return false;
    }
    /* A backslash before the newline continues the line. */
    if (nl[-1] == '\\')
        return false;
    if (hit == 1) {
        hit = eval_list(&clients, client_item, f);
        /* A match with no option field needs nothing more. */
        f->matched = hit == 1 && !colon;
        if (hit != 0)
            return false;
    }
    it->p = nl + 1;
    it->newlines++;
    return true;
}

size_t fastline_skip(struct fastline *f, struct line_iter *it, size_t limit)
{
    size_t n = 0;

    f->matched = false;
    if (fastline_disabled || it->has_nul)
        return 0;
    while (n < limit && it->p < it->end && skip_line(f, it))
        n++;
    return n;
}
