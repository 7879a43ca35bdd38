/*
 * match.c - evaluating compiled rules against a request.
 *
 * Exports the match_* functions of match.h.  The order of evaluation is
 * Debian's and is observable (it decides which DNS and ident lookups
 * happen, and so which warnings are logged): the daemon list before the
 * client list, patterns left to right, the address before the name, the
 * host before the user.  EXCEPT chains are evaluated iteratively, so
 * their length is bounded only by memory (compat-policy D4).  Every
 * record is reached through image_at()/image_string(); one that is out
 * of bounds ends the evaluation with MATCH_CORRUPT.
 */
#include "match.h"

#include <string.h>
#include <strings.h>

#include "diag.h"
#include "hosts.h"
#include "request.h"

/* A list item is one record, or two for "daemon@host" and "user@host". */
static size_t item_size(const struct image_pattern *p)
{
    return (p->flags & PATTERN_HOST_FOLLOWS) ? 2 : 1;
}

/* ASCII lower case, whatever the locale. */
static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

void match_begin(struct match_ctx *m, struct request_info *r,
                 match_list_fn *list, void *list_arg)
{
    memset(m, 0, sizeof(*m));
    m->r = r;
    m->client.host = r->client;
    m->server.host = r->server;
    m->list = list;
    m->list_arg = list_arg;
}

/* The endpoint's address, read once (eval_hostaddr()). */
static void read_addr(struct match_endpoint *e)
{
    if (e->addr == NULL) {
        e->addr = addr_strip_mapped(eval_hostaddr(e->host));
        e->addr_len = strlen(e->addr);
    }
}

/* The endpoint's name, looked up once: false (the cause is logged) when
 * this process lacked the resources to find out. */
static bool read_name(struct match_endpoint *e)
{
    const char *name;

    if (e->name == NULL) {
        if (request_hostname(e->host, &name) != 0)
            return false;
        e->name = addr_strip_mapped(name);
        e->name_len = strlen(e->name);
    }
    return true;
}

/* '*' matches any run, '?' one character; the whole string must match. */
static bool match_wildcard(const char *pat, size_t n, const char *s)
{
    size_t i = 0, star = 0;
    const char *resume = NULL;

    while (*s != '\0') {
        if (i < n && pat[i] == '*') {
            star = ++i;
            resume = s;
        } else if (i < n && (pat[i] == '?' || lower((unsigned char)pat[i]) ==
                                                  lower((unsigned char)*s))) {
            i++;
            s++;
        } else if (resume != NULL) {
            i = star;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (i < n && pat[i] == '*')
        i++;
    return i == n;
}

/* The IPv6 form of a text, parsed once where a cache is given. */
static bool parse_v6(const char *s, size_t len, int *state,
                     struct in6_addr *cache, struct in6_addr *out)
{
    if (state == NULL)
        return addr_parse_v6(s, len, out);
    if (*state == 0)
        *state = addr_parse_v6(s, len, cache) ? 1 : -1;
    *out = *cache;
    return *state == 1;
}

/* An exact, prefix or suffix text (n bytes) against s (len bytes). */
static inline bool text_match(int kind, const char *pat, size_t n,
                              const char *s, size_t len)
{
    switch (kind) {
    case PAT_EXACT:
        return len == n && strncasecmp(pat, s, n) == 0;
    case PAT_PREFIX:
        return len >= n && strncasecmp(pat, s, n) == 0;
    default: /* PAT_SUFFIX */
        return len > n && strncasecmp(s + len - n, pat, n) == 0;
    }
}

/* What the image record p says, with its text and value found (they are
 * not read for kinds that have none); MATCH_CORRUPT when out of bounds. */
static enum match_result decode(const struct image *im,
                                const struct image_pattern *p,
                                struct pattern_host *out)
{
    size_t need = 0;

    out->kind = p->kind;
    out->flags = p->flags;
    out->text = NULL;
    out->len = 0;
    out->value = NULL;
    switch (p->kind) {
    case PAT_EXACT:
    case PAT_PREFIX:
    case PAT_SUFFIX:
    case PAT_WILDCARD:
        out->text = image_pattern_span(im, p, &out->len);
        return out->text != NULL ? MATCH_NO : MATCH_CORRUPT;
    case PAT_NETGROUP:
    case PAT_FILE:
        out->text = image_pattern_text(im, p, &out->len);
        return out->text != NULL ? MATCH_NO : MATCH_CORRUPT;
    case PAT_V6_LITERAL:
        need = (p->flags & PATTERN_V6_VALID) ? 16 : 0;
        break;
    case PAT_NET4:
        need = sizeof(struct image_net4);
        break;
    case PAT_NET6:
        need = sizeof(struct image_net6);
        break;
    default:
        return MATCH_NO;
    }
    if (need != 0 && (out->value = image_at(im, p->value, need)) == NULL)
        return MATCH_CORRUPT;
    if (p->kind == PAT_NET6 &&
        ((const struct image_net6 *)out->value)->bits > 128)
        return MATCH_CORRUPT;
    return MATCH_NO;
}

/* string_match() of the kinds other than an exact, prefix or suffix
 * text. */
static enum match_result other_string_match(const struct pattern_host *p,
                                            const char *s, size_t len,
                                            int *v6_state, struct in6_addr *v6)
{
    struct in6_addr have, want;
    bool hit;

    switch (p->kind) {
    case PAT_WILDCARD:
        hit = match_wildcard(p->text, p->len, s);
        break;
    case PAT_ALL:
        hit = true;
        break;
    case PAT_KNOWN:
        hit = strcasecmp(s, unknown) != 0;
        break;
    case PAT_V6_LITERAL:
        /* s first: an IPv4 address or a name is no IPv6 address, and
         * then the pattern's own is never read (pattern.h). */
        hit = parse_v6(s, len, v6_state, v6, &have) &&
              pattern_v6_literal(p, &want) &&
              memcmp(&want, &have, sizeof(have)) == 0;
        break;
    default:
        return MATCH_CORRUPT;
    }
    return hit ? MATCH_YES : MATCH_NO;
}

/*
 * Debian's string match of a pattern against s (len bytes, stripped):
 * MATCH_YES or MATCH_NO, or MATCH_CORRUPT.  v6_state and v6 cache the
 * IPv6 parse of s for "[v6]" patterns (NULL: no cache).  An exact,
 * prefix or suffix text, most patterns, is compared in place.
 */
static inline enum match_result string_match(const struct pattern_host *p,
                                             const char *s, size_t len,
                                             int *v6_state,
                                             struct in6_addr *v6)
{
    if (p->kind == PAT_EXACT || p->kind == PAT_PREFIX || p->kind == PAT_SUFFIX)
        return text_match(p->kind, p->text, p->len, s, len) ? MATCH_YES
                                                            : MATCH_NO;
    return other_string_match(p, s, len, v6_state, v6);
}

/* The string match of an image record. */
static enum match_result record_string_match(const struct image *im,
                                             const struct image_pattern *p,
                                             const char *s, size_t len)
{
    struct pattern_host ph;
    enum match_result bad = decode(im, p, &ph);

    return bad != MATCH_NO ? bad : string_match(&ph, s, len, NULL, NULL);
}

/* A net/mask pattern against the endpoint's address. */
static enum match_result netmask_match(const struct pattern_host *p,
                                       struct match_endpoint *e)
{
    const struct image_net4 *v4;
    const struct image_net6 *v6;
    uint32_t bits;
    int i;

    read_addr(e);
    if (!e->net_parsed) {
        addr_host_parse(&e->net, eval_hostaddr(e->host));
        e->net_parsed = true;
    }
    if (p->kind == PAT_NET_NONE)
        return MATCH_NO;
    if (p->kind == PAT_NET4) {
        v4 = p->value;
        return e->net.v4 != INADDR_NONE && (e->net.v4 & v4->mask) == v4->net
                   ? MATCH_YES
                   : MATCH_NO;
    }
    v6 = p->value;
    if (!e->net.v6_valid)
        return MATCH_NO;
    for (i = 0, bits = v6->bits; bits > 0; i++, bits -= bits >= 8 ? 8 : bits) {
        unsigned char mask =
            bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
        if ((v6->addr[i] & mask) != (e->net.v6.s6_addr[i] & mask))
            return MATCH_NO;
    }
    return MATCH_YES;
}

/* One host pattern against an endpoint; depth counts /file nesting. */
static enum match_result host_value_match(struct match_ctx *m,
                                          const struct pattern_host *p,
                                          struct match_endpoint *e, int depth)
{
    enum match_result hit;
    bool addr_known;
    int member;

    switch (p->kind) {
    case PAT_NETGROUP:
        if (!read_name(e))
            return MATCH_ERROR;
        if ((member = hosts_in_netgroup(p->text, e->host->name)) >= 0)
            return member ? MATCH_YES : MATCH_NO;
        diag_warn("cannot look up netgroup %s: %m", p->text);
        return MATCH_ERROR;
    case PAT_FILE:
        return m->list(m, p->text, e, depth);
    case PAT_HOST_KNOWN:
        /* Debian looks up the address even when the name is unknown;
         * the lookup is observable in the request afterwards. */
        if (!read_name(e))
            return MATCH_ERROR;
        addr_known = strcasecmp(eval_hostaddr(e->host), unknown) != 0;
        return HOSTNAME_KNOWN(e->host->name) && addr_known ? MATCH_YES
                                                           : MATCH_NO;
    case PAT_LOCAL:
        if (!read_name(e))
            return MATCH_ERROR;
        return strchr(e->host->name, '.') == NULL &&
                       HOSTNAME_KNOWN(e->host->name)
                   ? MATCH_YES
                   : MATCH_NO;
    case PAT_NET4:
    case PAT_NET6:
    case PAT_NET_NONE:
        return netmask_match(p, e);
    default:
        break;
    }
    /* A string: the address, then (unless it has only digits, dots and
     * slashes) the name. */
    read_addr(e);
    hit = string_match(p, e->addr, e->addr_len, &e->addr_v6, &e->addr6);
    if (hit != MATCH_NO || !(p->flags & PATTERN_NAME))
        return hit;
    if (!read_name(e))
        return MATCH_ERROR;
    return string_match(p, e->name, e->name_len, &e->name_v6, &e->name6);
}

/* One host pattern of an image against an endpoint. */
static enum match_result host_match(struct match_ctx *m,
                                    const struct image *im,
                                    const struct image_pattern *p,
                                    struct match_endpoint *e, int depth)
{
    struct pattern_host ph;
    enum match_result bad = decode(im, p, &ph);

    return bad != MATCH_NO ? bad : host_value_match(m, &ph, e, depth);
}

enum match_result match_client_host(struct match_ctx *m,
                                    const struct pattern_host *p)
{
    return host_value_match(m, p, &m->client, 0);
}

/* The daemon part of a daemon pattern: a port number or a name. */
static enum match_result daemon_name_match(struct match_ctx *m,
                                           const struct image *im,
                                           const struct image_pattern *p)
{
    const unsigned char *sin;
    const char *daemon;

    if (p->kind == PAT_PORT) {
        if (m->r->server->sin == NULL)
            return MATCH_NO;
        /* sin_port and sin6_port share an offset. */
        sin = (const unsigned char *)m->r->server->sin;
        return (unsigned)(sin[2] << 8 | sin[3]) == p->value ? MATCH_YES
                                                            : MATCH_NO;
    }
    daemon = addr_strip_mapped(eval_daemon(m->r));
    return record_string_match(im, p, daemon, strlen(daemon));
}

/* One item of a daemon list: the daemon, then the server's host. */
static enum match_result daemon_item(struct match_ctx *m,
                                     const struct image *im,
                                     const struct image_pattern *p)
{
    enum match_result hit = daemon_name_match(m, im, p);

    if (hit != MATCH_YES || !(p->flags & PATTERN_HOST_FOLLOWS))
        return hit;
    return host_match(m, im, p + 1, &m->server, 0);
}

/* One item of a client list: the host, then the user. */
static enum match_result client_item(struct match_ctx *m,
                                     const struct image *im,
                                     const struct image_pattern *p)
{
    enum match_result hit;
    const char *user;

    if (!(p->flags & PATTERN_HOST_FOLLOWS))
        return host_match(m, im, p, &m->client, 0);
    if ((hit = host_match(m, im, p + 1, &m->client, 0)) != MATCH_YES)
        return hit;
    if (request_user(m->r, &user) != 0)
        return MATCH_ERROR;
    user = addr_strip_mapped(user);
    return record_string_match(im, p, user, strlen(user));
}

typedef enum match_result item_fn(struct match_ctx *m, const struct image *im,
                                  const struct image_pattern *p);

/*
 * A list with EXCEPT: it matches when an item before the first EXCEPT
 * matches and the list after that EXCEPT does not.  Items after a match
 * are looked at only when needed.
 */
static enum match_result chain(struct match_ctx *m, const struct image *im,
                               uint32_t off, item_fn *fn)
{
    const struct image_list *l = image_list(im, off);
    enum match_result hit;
    size_t i = 0, n;
    unsigned level = 0;

    if (l == NULL)
        return MATCH_CORRUPT;
    n = l->count;
    for (;;) {
        hit = MATCH_NO;
        while (i < n && l->item[i].kind != PAT_EXCEPT) {
            if (i + item_size(&l->item[i]) > n)
                return MATCH_CORRUPT;
            hit = fn(m, im, &l->item[i]);
            i += item_size(&l->item[i]);
            if (hit != MATCH_NO)
                break;
        }
        if (hit < 0)
            return hit;
        if (hit == MATCH_NO)
            return level % 2 == 1 ? MATCH_YES : MATCH_NO;
        while (i < n && l->item[i].kind != PAT_EXCEPT)
            i += item_size(&l->item[i]);
        if (i >= n)
            return level % 2 == 0 ? MATCH_YES : MATCH_NO;
        i++;
        level++;
    }
}

enum match_result match_daemons(struct match_ctx *m, const struct image *im,
                                uint32_t off)
{
    return chain(m, im, off, daemon_item);
}

enum match_result match_clients(struct match_ctx *m, const struct image *im,
                                uint32_t off)
{
    return chain(m, im, off, client_item);
}

enum match_result match_rule(struct match_ctx *m, const struct image *im,
                             const struct image_rule *rule)
{
    enum match_result hit = chain(m, im, rule->daemons, daemon_item);

    if (hit != MATCH_YES)
        return hit;
    return chain(m, im, rule->clients, client_item);
}

enum match_result match_words(struct match_ctx *m, const struct image *im,
                              uint32_t off, struct match_endpoint *e,
                              int depth)
{
    const struct image_list *l = image_list(im, off);
    enum match_result hit = MATCH_NO;
    size_t i;

    if (l == NULL)
        return MATCH_CORRUPT;
    for (i = 0; i < l->count && hit == MATCH_NO; i++)
        hit = host_match(m, im, &l->item[i], e, depth);
    return hit;
}

const char *match_client_addr(struct match_ctx *m, size_t *len)
{
    read_addr(&m->client);
    *len = m->client.addr_len;
    return m->client.addr;
}
