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

#include <errno.h>

#include "addr.h"
#include "diag.h"
#include "hostlist.h"
#include "hosts.h"
#include "request.h"
#include "strbuf.h"

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

typedef enum match_result item_match_fn(const char *item,
                                        struct request_info *r);

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
static enum match_result match_list(const struct pattern_list *list,
                                    item_match_fn *fn, struct request_info *r)
{
    struct list_ctx ctx = {r, fn};

    return (enum match_result)match_chain(list, list->count,
                                          list_item_is_except,
                                          list_item_match, &ctx);
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

/* Logs that a pattern could not be evaluated for want of memory. */
static enum match_result out_of_memory(void)
{
    errno = ENOMEM;
    diag_warn("cannot evaluate this rule: %m");
    errno = ENOMEM;
    return MATCH_ERROR;
}

/* "net/mask" against the endpoint's address; no name lookup. */
static enum match_result match_netmask(const char *pat, const char *slash,
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
        if (!sb_append(&big, pat, n))
            return out_of_memory();
        net = sb_str(&big);
    }
    hit = addr_match_netmask(net, slash + 1, eval_hostaddr(host));
    sb_free(&big);
    return hit ? MATCH_YES : MATCH_NO;
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

/* A host name pattern: the name, looked up if need be, against test. */
static enum match_result with_name(struct host_info *host,
                                   bool (*test)(const char *name,
                                                const void *arg),
                                   const void *arg)
{
    const char *name;

    if (request_hostname(host, &name) != 0)
        return MATCH_ERROR;
    return test(name, arg) ? MATCH_YES : MATCH_NO;
}

static bool name_is_local(const char *name, const void *unused)
{
    (void)unused;
    return strchr(name, '.') == NULL && HOSTNAME_KNOWN(name);
}

static bool name_matches(const char *name, const void *pat)
{
    return match_string(pat, strlen(pat), name);
}

/* "@group": the host's name in a netgroup. */
static enum match_result match_netgroup(const char *group,
                                        struct host_info *host)
{
    const char *name;
    int hit;

    if (request_hostname(host, &name) != 0)
        return MATCH_ERROR;
    if ((hit = hosts_in_netgroup(group, name)) >= 0)
        return hit ? MATCH_YES : MATCH_NO;
    diag_warn("cannot look up netgroup %s: %m", group);
    return MATCH_ERROR;
}

enum match_result match_host(const char *pat, struct host_info *host,
                             int depth)
{
    const char *slash, *name;

    if (pat[0] == '@')
        return match_netgroup(pat + 1, host);
    if (pat[0] == '/')
        return hostlist_match(pat, host, depth);
    if (strcasecmp(pat, "KNOWN") == 0) {
        /* Debian looks up the address even when the name is unknown;
         * the lookup is observable in the request afterwards. */
        bool addr_known;

        if (request_hostname(host, &name) != 0)
            return MATCH_ERROR;
        addr_known = strcasecmp(eval_hostaddr(host), unknown) != 0;
        return HOSTNAME_KNOWN(name) && addr_known ? MATCH_YES : MATCH_NO;
    }
    if (strcasecmp(pat, "LOCAL") == 0)
        return with_name(host, name_is_local, NULL);
    if ((slash = match_find_slash(pat)) != NULL)
        return match_netmask(pat, slash, host);
    if (match_string(pat, strlen(pat), eval_hostaddr(host)))
        return MATCH_YES;
    if (!match_not_inaddr(pat, strlen(pat)))
        return MATCH_NO;
    return with_name(host, name_matches, pat);
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

static enum match_result match_daemon_item(const char *item,
                                           struct request_info *r)
{
    const char *at = match_find_at(item);

    if (at == NULL)
        return match_daemon_name(item, strlen(item), r) ? MATCH_YES
                                                        : MATCH_NO;
    if (!match_daemon_name(item, (size_t)(at - item), r))
        return MATCH_NO;
    return match_host(at + 1, r->server, 0);
}

static enum match_result match_client_item(const char *item,
                                           struct request_info *r)
{
    const char *at = match_find_at(item), *user;
    enum match_result hit;

    if (at == NULL)
        return match_host(item, r->client, 0);
    if ((hit = match_host(at + 1, r->client, 0)) != MATCH_YES)
        return hit;
    if (request_user(r, &user) != 0)
        return MATCH_ERROR;
    return match_string(item, (size_t)(at - item), user) ? MATCH_YES
                                                         : MATCH_NO;
}

enum match_result match_rule(const struct rule *rule, struct request_info *r)
{
    enum match_result hit = match_list(&rule->daemons, match_daemon_item, r);

    if (hit != MATCH_YES)
        return hit;
    return match_list(&rule->clients, match_client_item, r);
}
