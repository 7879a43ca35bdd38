/*
 * match.c - matching rules, lists and patterns against a request.
 *
 * Exports the match_* functions of match.h.  The order of evaluation is
 * Debian's and is observable (it decides which DNS and ident lookups
 * happen, and so which warnings are logged): the daemon list before the
 * client list, patterns left to right, the address before the name,
 * the host before the user.  EXCEPT chains are evaluated iteratively, so
 * their length is bounded only by memory (compat-policy D4).
 */
#include "match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "hostlist.h"
#include "hosts.h"
#include "strbuf.h"

/* Set when a pattern could not be evaluated for want of memory. */
static _Thread_local bool nomem;

/* Marks this thread's current evaluation as incomplete. */
void match_set_nomem(void)
{
    nomem = true;
}

/* Returns whether the evaluation was incomplete, and forgets it. */
bool match_take_nomem(void)
{
    bool was = nomem;

    nomem = false;
    return was;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool match_is_except(const char *item, size_t n)
{
    return n == 6 && strncasecmp(item, "EXCEPT", 6) == 0;
}

int match_chain(const void *list, size_t count, match_except_fn *is_except,
                match_item_fn *fn, void *ctx)
{
    size_t i = 0;
    unsigned level = 0;

    for (;;) {
        int hit = 0;

        for (; i < count && !is_except(list, i); i++) {
            if ((hit = fn(list, i, ctx)) != 0)
                break;
        }
        if (hit < 0)
            return -1;
        if (!hit)
            return level % 2 == 1;
        while (i < count && !is_except(list, i))
            i++;
        if (i == count)
            return level % 2 == 0;
        i++;
        level++;
    }
}

static bool list_item_is_except(const void *list, size_t i)
{
    const char *item = ((const struct pattern_list *)list)->items[i];

    return (item[0] == 'e' || item[0] == 'E') &&
           match_is_except(item, strlen(item));
}

typedef bool item_match_fn(const char *item, struct request_info *r);

/* What match_list() hands to match_chain() for each item. */
struct list_ctx {
    struct request_info *r;
    item_match_fn *fn;
};

static int list_item_match(const void *list, size_t i, void *arg)
{
    const struct list_ctx *ctx = arg;

    return ctx->fn(((const struct pattern_list *)list)->items[i], ctx->r);
}

/* A list of NUL-terminated patterns, EXCEPT as match_chain() says. */
static bool match_list(const struct pattern_list *list, item_match_fn *fn,
                       struct request_info *r)
{
    struct list_ctx ctx = {r, fn};

    return match_chain(list, list->count, list_item_is_except,
                       list_item_match, &ctx) == 1;
}

/* The '@' that splits "left@host": the first one after position 0 that
 * is outside brackets, counted from position 1 as Debian does. */
const char *match_find_at(const char *item)
{
    int depth = 0;
    const char *p;

    if (item[0] == '\0')
        return NULL;
    for (p = item + 1; *p != '\0'; p++) {
        if (*p == '[')
            depth++;
        else if (*p == ']')
            depth--;
        else if (*p == '@' && depth == 0)
            return p;
    }
    return NULL;
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
        } else if (i < n && (pat[i] == '?' ||
                             lower((unsigned char)pat[i]) ==
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

/* "[v6]" against an address: both numeric IPv6, scope ignored. */
static bool match_v6_literal(const char *pat, size_t n, const char *s)
{
    struct in6_addr want, have;

    return addr_parse_v6(pat + 1, n - 2, &want) &&
           addr_parse_v6(s, strlen(s), &have) &&
           memcmp(&want, &have, sizeof(want)) == 0;
}

const char *match_strip_mapped(const char *s)
{
    const char *v4;

    return s[0] == ':' && addr_is_v4_mapped_text(s, &v4) ? v4 : s;
}

bool match_plain(const char *pat, size_t n, const char *s, size_t len)
{
    if (pat[0] == '.')
        return len > n && strncasecmp(s + len - n, pat, n) == 0;
    if (n == 3 && strncasecmp(pat, "ALL", 3) == 0)
        return true;
    if (n == 5 && strncasecmp(pat, "KNOWN", 5) == 0)
        return strcasecmp(s, unknown) != 0;
    if (pat[n - 1] == '.')
        return len >= n && strncasecmp(pat, s, n) == 0;
    if (pat[0] == '[' && n >= 2 && pat[n - 1] == ']')
        return match_v6_literal(pat, n, s);
    return len == n && strncasecmp(pat, s, n) == 0;
}

bool match_string(const char *pat, size_t n, const char *s)
{
    if (n == 0)
        return false;
    s = match_strip_mapped(s);
    if (memchr(pat, '*', n) != NULL || memchr(pat, '?', n) != NULL)
        return match_wildcard(pat, n, s);
    return match_plain(pat, n, s, strlen(s));
}

/* "net/mask" against the endpoint's address; no name lookup. */
static bool match_netmask(const char *pat, const char *slash,
                          struct host_info *host)
{
    char small[64];
    struct strbuf big = STRBUF_INIT;
    const char *net = small;
    size_t n = (size_t)(slash - pat);
    bool hit;

    if (n < sizeof(small)) {
        memcpy(small, pat, n);
        small[n] = '\0';
    } else {
        if (!sb_append(&big, pat, n)) {
            match_set_nomem();
            return false;
        }
        net = sb_str(&big);
    }
    hit = addr_match_netmask(net, slash + 1, eval_hostaddr(host));
    sb_free(&big);
    return hit;
}

/* The first '/' outside brackets. */
const char *match_find_slash(const char *pat)
{
    int depth = 0;

    for (; *pat != '\0'; pat++) {
        if (*pat == '[')
            depth++;
        else if (*pat == ']')
            depth--;
        else if (*pat == '/' && depth == 0)
            return pat;
    }
    return NULL;
}

/* True when s holds a character that cannot occur in a dotted address. */
bool match_not_inaddr(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '/'))
            return true;
    }
    return false;
}

bool match_host(const char *pat, struct host_info *host, int depth)
{
    const char *slash, *name;

    if (pat[0] == '@')
        return hosts_in_netgroup(pat + 1, eval_hostname(host));
    if (pat[0] == '/')
        return hostlist_match(pat, host, depth);
    if (strcasecmp(pat, "KNOWN") == 0) {
        /* Debian looks up the address even when the name is unknown;
         * the lookup is observable in the request afterwards. */
        bool name_known = HOSTNAME_KNOWN(eval_hostname(host));
        bool addr_known = strcasecmp(eval_hostaddr(host), unknown) != 0;
        return name_known && addr_known;
    }
    if (strcasecmp(pat, "LOCAL") == 0) {
        name = eval_hostname(host);
        return strchr(name, '.') == NULL && HOSTNAME_KNOWN(name);
    }
    if ((slash = match_find_slash(pat)) != NULL)
        return match_netmask(pat, slash, host);
    if (match_string(pat, strlen(pat), eval_hostaddr(host)))
        return true;
    return match_not_inaddr(pat, strlen(pat)) &&
           match_string(pat, strlen(pat), eval_hostname(host));
}

/*
 * sscanf("%u%c") == 1 semantics on n bytes: optional white space and
 * sign, then only digits; the value is strtoul()'s, cut to unsigned int.
 */
static bool parse_port(const char *s, size_t n, unsigned *port)
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

/* The daemon part of a daemon pattern: a port number or a name. */
bool match_daemon_name(const char *pat, size_t n, struct request_info *r)
{
    unsigned port;
    const unsigned char *sin;

    if (parse_port(pat, n, &port)) {
        if (r->server->sin == NULL)
            return false;
        /* sin_port and sin6_port share an offset. */
        sin = (const unsigned char *)r->server->sin;
        return (unsigned)(sin[2] << 8 | sin[3]) == port;
    }
    return match_string(pat, n, eval_daemon(r));
}

static bool match_daemon_item(const char *item, struct request_info *r)
{
    const char *at = match_find_at(item);

    if (at == NULL)
        return match_daemon_name(item, strlen(item), r);
    return match_daemon_name(item, (size_t)(at - item), r) &&
           match_host(at + 1, r->server, 0);
}

static bool match_client_item(const char *item, struct request_info *r)
{
    const char *at = match_find_at(item);

    if (at == NULL)
        return match_host(item, r->client, 0);
    return match_host(at + 1, r->client, 0) &&
           match_string(item, (size_t)(at - item), eval_user(r));
}

bool match_rule(const struct rule *rule, struct request_info *r)
{
    return match_list(&rule->daemons, match_daemon_item, r) &&
           match_list(&rule->clients, match_client_item, r);
}
