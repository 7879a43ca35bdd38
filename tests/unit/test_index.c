/*
 * test_index.c - the index of a big table (index.h) agrees with the
 * linear scan it replaces.
 *
 * index.h promises that a query yields, in file order, every rule that
 * can match (the always rules, the rules filed under a key the address
 * or known name hits, and, until the name is known, every rule that
 * could make the first lookup), and that with index_query_catch_up()
 * the request is left exactly as the linear scan leaves it.  Random
 * tables over a vocabulary of every kind of pattern are compiled, and
 * for each of many requests (addresses of both families and mapped,
 * names known, looked up or absent) the indexed scan and the linear
 * scan must stop at the same rule, make the same lookups at the same
 * rule and leave the same fields.  Apart from that: every rule that
 * matches is yielded, in ascending order; tables of many equal keys and
 * of more IPv4 masks than the index keeps.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "hostlist.h"
#include "image.h"
#include "index.h"
#include "match.h"
#include "ruleset.h"

/* ---- random tables ---- */

static uint64_t rng_state;

static unsigned pick(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng_state >> 33) % n);
}

static const char *const daemon_lists[] = {
    "sshd", "ftpd",          "ALL", "sshd,ftpd", "ALL EXCEPT ftpd",
    "in.*", "sshd@10.0.0.9", "22",  "SSHD",      "telnetd",
};

static const char *const client_words[] = {
    /* Keyed: addresses, prefixes, suffixes, masks, IPv6, names. */
    "10.0.0.1",
    "10.0.0.2",
    "10.0.1.5",
    "192.168.1.5",
    "10.",
    "10.0.",
    "192.168.1.",
    ".1",
    ".0.0.1",
    ".5",
    "10.0.0.0/8",
    "10.0.0.0/255.255.0.0",
    "10.0.1.0/24",
    "192.168.0.0/16",
    "0.0.0.0/0.0.0.0",
    "10.0.0.1/32",
    "10.0.0.1/255.255.255.0",
    "10.0.0.0/33",
    "[2001:db8::]/32",
    "[2001:db8::1]",
    "2001:db8::/48",
    "[::1]",
    "::1",
    "[::ffff:10.0.0.1]",
    "[2001:db8::1]/127",
    "[::]/0",
    "host1.example.com",
    "HOST2.EXAMPLE.COM",
    ".example.com",
    ".EXAMPLE.org",
    "host1.",
    "host",
    "unknown",
    "paranoid",
    "[x]",
    /* Always: wildcards, keywords, user@host, netgroups, lists. */
    "10.0.0.*",
    "*.example.com",
    "KNOWN",
    "LOCAL",
    "ALL",
    "UNKNOWN",
    "PARANOID",
    "u@10.0.0.1",
    "ALL@host1.example.com",
};

/* A table of n rules; some lines are comments, blank, without a colon,
 * continued, or the last one unterminated. */
static void random_table(struct strbuf *t, int n)
{
    int i, k, words;

    sb_reset(t);
    for (i = 0; i < n; i++) {
        switch (pick(20)) {
        case 0:
            sb_puts(t, "# comment\n");
            continue;
        case 1:
            sb_puts(t, "no colon here\n");
            continue;
        case 2:
            sb_puts(t, "\n");
            continue;
        default:
            break;
        }
        /* Runs of the same daemon list, as real tables have. */
        sb_printf(t, "%s:",
                  daemon_lists[pick(4) == 0 ? pick(TL_COUNT(daemon_lists))
                                            : pick(3)]);
        words = 1 + (int)pick(3);
        for (k = 0; k < words; k++)
            sb_printf(t, "%s%s", k == 0 || pick(4) ? " " : " \\\n ",
                      client_words[pick(TL_COUNT(client_words))]);
        if (pick(5) == 0)
            sb_printf(t, " EXCEPT %s",
                      client_words[pick(TL_COUNT(client_words))]);
        if (pick(8) == 0)
            sb_puts(t, ": allow");
        if (i + 1 < n || pick(2))
            sb_putc(t, '\n');
    }
}

/* ---- requests ---- */

static const char *const addresses[] = {
    "10.0.0.1",    "10.0.0.2",        "10.0.1.5",    "10.1.2.3",
    "192.168.1.5", "10.0.0.10",       "2001:db8::1", "2001:db8:1::5",
    "::1",         "::ffff:10.0.0.1", "172.16.0.1",  "",
};

/* What the fake resolver says a client is called (NULL: no name). */
static const char *name_of(const char *addr)
{
    if (strcmp(addr, "10.0.0.1") == 0)
        return "host1.example.com";
    if (strcmp(addr, "10.0.1.5") == 0)
        return "HOST2.example.com";
    if (strcmp(addr, "192.168.1.5") == 0)
        return "a.example.org";
    if (strcmp(addr, "2001:db8::1") == 0)
        return "host";
    if (strcmp(addr, "10.0.0.2") == 0)
        return "paranoid";
    return NULL;
}

enum name_mode {
    NAME_LOOKED_UP, /* a lookup method, called when a pattern needs it */
    NAME_GIVEN,     /* the request holds the name already */
    NAME_NONE,      /* no name and no method: "unknown" */
};

/* The rule being evaluated, and what the fake methods saw. */
static uint32_t current_rule;
static int lookups, lookup_rule, addr_reads;
static char method_addr[64];

static void fake_hostname(struct host_info *h)
{
    const char *name = name_of(h->addr[0] ? h->addr : method_addr);

    lookups++;
    if (lookup_rule < 0)
        lookup_rule = (int)current_rule;
    if (name != NULL)
        snprintf(h->name, sizeof(h->name), "%s", name);
}

static void fake_hostaddr(struct host_info *h)
{
    addr_reads++;
    snprintf(h->addr, sizeof(h->addr), "%s", method_addr);
}

struct probe {
    const char *daemon, *addr;
    enum name_mode mode;
    bool addr_by_method; /* the address comes from a method, not given */
};

static void make_request(struct request_info *r, const struct probe *p)
{
    const char *name = name_of(p->addr);

    request_init(r, RQ_DAEMON, p->daemon, RQ_USER, "u", RQ_SERVER_ADDR,
                 "10.0.0.9", 0);
    snprintf(method_addr, sizeof(method_addr), "%s", p->addr);
    if (!p->addr_by_method)
        request_set(r, RQ_CLIENT_ADDR, p->addr, 0);
    else
        r->hostaddr = fake_hostaddr;
    if (p->mode == NAME_GIVEN)
        request_set(r, RQ_CLIENT_NAME, name != NULL ? name : "unknown", 0);
    else if (p->mode == NAME_LOOKED_UP)
        r->hostname = fake_hostname;
}

/* What a scan did: where it stopped and what it left. */
struct outcome {
    uint32_t stop; /* the matching rule, or n_rules */
    enum match_result hit;
    int lookups, lookup_rule, addr_reads;
    char name[STRING_LENGTH], addr[STRING_LENGTH];
};

static void begin_outcome(void)
{
    lookups = 0;
    lookup_rule = -1;
    addr_reads = 0;
}

static void end_outcome(struct outcome *o, const struct request_info *r,
                        uint32_t stop, enum match_result hit)
{
    o->stop = stop;
    o->hit = hit;
    o->lookups = lookups;
    o->lookup_rule = lookup_rule;
    o->addr_reads = addr_reads;
    snprintf(o->name, sizeof(o->name), "%s", r->client->name);
    snprintf(o->addr, sizeof(o->addr), "%s", r->client->addr);
}

static const struct image_rule *rule_at(const struct ruleset *rs, uint32_t i)
{
    return image_at(&rs->im,
                    rs->h->rules + i * (uint32_t)sizeof(struct image_rule),
                    sizeof(struct image_rule));
}

/* One rule as the access scan evaluates it: no rule for a comment or a
 * line without ':'. */
static enum match_result eval_rule(struct match_ctx *m,
                                   const struct ruleset *rs, uint32_t i)
{
    const struct image_rule *rule = rule_at(rs, i);

    assert_non_null(rule);
    current_rule = i;
    if (image_rule_flags(rule) & (IMAGE_RULE_COMMENT | IMAGE_RULE_NO_COLON))
        return MATCH_NO;
    return match_rule(m, &rs->im, rule);
}

static void linear_scan(const struct ruleset *rs, const struct probe *p,
                        struct outcome *o)
{
    struct request_info r;
    struct match_ctx m;
    enum match_result hit = MATCH_NO;
    uint32_t i;

    make_request(&r, p);
    match_begin(&m, &r, hostlist_match, (void *)&access_default);
    begin_outcome();
    for (i = 0; i < rs->h->n_rules; i++)
        if ((hit = eval_rule(&m, rs, i)) != MATCH_NO)
            break;
    end_outcome(o, &r, i, hit);
}

static enum match_result daemons_of(void *m, const struct image *im,
                                    uint32_t off)
{
    return match_daemons(m, im, off);
}

static void indexed_scan(const struct ruleset *rs, const struct probe *p,
                         struct outcome *o)
{
    struct request_info r;
    struct match_ctx m;
    struct index_query q;
    enum match_result hit = MATCH_NO;
    uint32_t i, stop = rs->h->n_rules;

    make_request(&r, p);
    match_begin(&m, &r, hostlist_match, (void *)&access_default);
    begin_outcome();
    index_query_begin(&q, &rs->im, rs->h, &r);
    while (index_query_next(&q, &i)) {
        index_query_catch_up(&q, daemons_of, &m, i);
        if ((hit = eval_rule(&m, rs, i)) != MATCH_NO) {
            stop = i;
            break;
        }
    }
    assert_false(q.failed);
    assert_false(q.corrupt);
    if (hit == MATCH_NO)
        index_query_catch_up(&q, daemons_of, &m, rs->h->n_rules);
    index_query_end(&q);
    end_outcome(o, &r, stop, hit);
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
    /* Not the number of address reads: a query reads the address of a
     * copy of the request first (index.h), a numeric conversion that
     * leaves nothing behind. */
    return a->stop == b->stop && a->hit == b->hit &&
           a->lookups == b->lookups && a->lookup_rule == b->lookup_rule &&
           strcmp(a->name, b->name) == 0 && strcmp(a->addr, b->addr) == 0;
}

static void show(const char *how, const struct outcome *o)
{
    print_error("  %s: stop at rule %u (%d), %d lookups (first at rule %d), "
                "%d address reads, name \"%s\", addr \"%s\"\n",
                how, o->stop, o->hit, o->lookups, o->lookup_rule,
                o->addr_reads, o->name, o->addr);
}

/* Compares the two scans of one table for every probe; returns the
 * number of disagreements (the first few are shown). */
static int compare_scans(const struct ruleset *rs, const char *text,
                         size_t *compared, int shown)
{
    static const char *const daemons[] = {"sshd", "ftpd", "in.telnetd"};
    size_t a, d;
    int mode, by_method, failures = 0;

    for (a = 0; a < TL_COUNT(addresses); a++) {
        for (d = 0; d < TL_COUNT(daemons); d++) {
            for (mode = NAME_LOOKED_UP; mode <= NAME_NONE; mode++) {
                for (by_method = 0; by_method < 2; by_method++) {
                    struct probe p = {.daemon = daemons[d],
                                      .addr = addresses[a],
                                      .mode = (enum name_mode)mode,
                                      .addr_by_method = by_method};
                    struct outcome lin, idx;

                    if (by_method && addresses[a][0] == '\0')
                        continue;
                    linear_scan(rs, &p, &lin);
                    indexed_scan(rs, &p, &idx);
                    (*compared)++;
                    if (same_outcome(&lin, &idx))
                        continue;
                    if (failures++ + shown < 3) {
                        print_error("%s from \"%s\" (name mode %d%s):\n",
                                    p.daemon, p.addr, mode,
                                    by_method ? ", address by method" : "");
                        show("linear", &lin);
                        show("indexed", &idx);
                        print_error("table:\n%s\n", text);
                    }
                }
            }
        }
    }
    return failures;
}

static void test_random_tables(void **state)
{
    struct strbuf text = STRBUF_INIT;
    size_t compared = 0;
    int t, failures = 0;

    (void)state;
    for (t = 0; t < 150; t++) {
        struct ruleset *rs;

        rng_state = (uint64_t)t * 0x9e3779b97f4a7c15ULL + 1;
        random_table(&text, 5 + (int)pick(40));
        rs = tl_compile("/t", sb_str(&text), text.len, IMAGE_TABLE);
        assert_non_null(rs);
        if (rs->h->n_rules == 0) {
            ruleset_put(rs);
            continue;
        }
        assert_true(rs->h->index != 0);
        failures += compare_scans(rs, sb_str(&text), &compared, failures);
        ruleset_put(rs);
    }
    print_message("index: %zu requests over 150 random tables, indexed and "
                  "linear scans compared\n",
                  compared);
    sb_free(&text);
    tl_log_clear();
    assert_int_equal(failures, 0);
}

/* Every rule that matches is yielded, in ascending order, for requests
 * whose name is known (so that evaluating all rules looks nothing up). */
static void test_superset(void **state)
{
    struct strbuf text = STRBUF_INIT;
    int t, failures = 0;
    size_t a, checked = 0;

    (void)state;
    for (t = 0; t < 100; t++) {
        struct ruleset *rs;

        rng_state = (uint64_t)t * 7919 + 17;
        random_table(&text, 30);
        rs = tl_compile("/t", sb_str(&text), text.len, IMAGE_TABLE);
        assert_non_null(rs);
        for (a = 0; a < TL_COUNT(addresses) && rs->h->index != 0; a++) {
            struct probe p = {
                .daemon = "sshd", .addr = addresses[a], .mode = NAME_GIVEN};
            struct request_info r;
            struct match_ctx m;
            struct index_query q;
            bool *yielded = calloc(rs->h->n_rules + 1, sizeof(bool));
            uint32_t i, last = 0;
            bool first = true;

            assert_non_null(yielded);
            make_request(&r, &p);
            index_query_begin(&q, &rs->im, rs->h, &r);
            while (index_query_next(&q, &i)) {
                if (!first && i <= last)
                    fail_msg("rule %u yielded after rule %u", i, last);
                first = false;
                last = i;
                yielded[i] = true;
            }
            index_query_end(&q);
            make_request(&r, &p);
            match_begin(&m, &r, hostlist_match, (void *)&access_default);
            for (i = 0; i < rs->h->n_rules; i++) {
                checked++;
                if (eval_rule(&m, rs, i) == MATCH_YES && !yielded[i] &&
                    failures++ < 3)
                    print_error("rule %u matches %s but is not yielded; "
                                "table:\n%s\n",
                                i, addresses[a], sb_str(&text));
            }
            free(yielded);
        }
        ruleset_put(rs);
    }
    print_message("index: %zu rules checked, every match yielded\n", checked);
    sb_free(&text);
    tl_log_clear();
    assert_int_equal(failures, 0);
}

/* Tables the index is built for: many rules under one key (its overflow
 * lists), more distinct IPv4 masks than it keeps (those rules go to the
 * always list), and a long block list. */
static void big_table(struct strbuf *t, int kind)
{
    int i;

    sb_reset(t);
    for (i = 0; i < 3000; i++) {
        switch (kind) {
        case 0: /* one key, many rules */
            sb_printf(t, "d%d: 10.0.0.1\n", i % 7);
            break;
        case 1: /* a mask per rule: 10.0.0.0/1 ... /32, and dotted */
            sb_printf(t, "sshd: 10.0.0.0/%d 10.%d.0.0/255.255.%d.0\n",
                      1 + i % 32, i % 200, (i * 7) % 256 & 0xf0);
            break;
        default: /* a block list, the match near its end */
            sb_printf(t, "sshd: 10.%d.%d.%d\n", i / 65536, i / 256 % 256,
                      i % 256);
            break;
        }
    }
    sb_puts(t, "ALL: ALL\n");
}

static void test_big_tables(void **state)
{
    struct strbuf text = STRBUF_INIT;
    size_t compared = 0;
    int kind, failures = 0;

    (void)state;
    for (kind = 0; kind < 3; kind++) {
        struct ruleset *rs;

        big_table(&text, kind);
        rs = tl_compile("/t", sb_str(&text), text.len, IMAGE_TABLE);
        assert_non_null(rs);
        assert_true(rs->h->index != 0);
        failures += compare_scans(rs, "(big table)", &compared, failures);
        ruleset_put(rs);
    }
    print_message("index: %zu requests over 3 big tables\n", compared);
    sb_free(&text);
    tl_log_clear();
    assert_int_equal(failures, 0);
}

/* The index keeps what it says: keyed rules are not in the always list,
 * and rules that cannot be keyed are. */
static const struct kind_case {
    const char *rule;
    bool always;
} kinds[] = {
    {.rule = "sshd: 10.0.0.1\n"},
    {.rule = "sshd: 10.0.0.\n"},
    {.rule = "sshd: .example.com\n"},
    {.rule = "sshd: 10.0.0.0/8\n"},
    {.rule = "sshd: [2001:db8::]/32\n"},
    {.rule = "sshd: [::1]\n"},
    {.rule = "sshd: host.example\n"},
    {.rule = "sshd: 10.0.0.1 EXCEPT 10.0.0.*\n"},
    {.rule = "sshd: 10.0.0.1/255.255.255.0\n"}, /* never matches: no key */
    {.rule = "sshd: 10.0.0.*\n", .always = true},
    {.rule = "sshd: KNOWN\n", .always = true},
    {.rule = "sshd: LOCAL\n", .always = true},
    {.rule = "sshd: ALL\n", .always = true},
    {.rule = "sshd: u@10.0.0.1\n", .always = true},
    {.rule = "sshd: @group\n", .always = true},
    {.rule = "sshd: /etc/list\n", .always = true},
    {.rule = "sshd: 10.0.0.1 ALL\n", .always = true},
    {.rule = "sshd@10.0.0.9: 10.0.0.1\n", .always = true},
    {.rule = "sshd: EXCEPT 10.0.0.1\n"},
    {.rule = "sshd: 10.0.0.1", .always = true}, /* unterminated */
    {.rule = "no colon\n", .always = true},
};

static void test_always(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(kinds); i++) {
        struct ruleset *rs = tl_compile("/t", kinds[i].rule,
                                        strlen(kinds[i].rule), IMAGE_TABLE);
        const struct image_index *ix;

        assert_non_null(rs);
        ix = image_at(&rs->im, rs->h->index, sizeof(*ix));
        assert_non_null(ix);
        if ((ix->n_always == 1) != kinds[i].always)
            fail_msg("\"%s\": %u always rules", kinds[i].rule, ix->n_always);
        ruleset_put(rs);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random_tables, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_superset, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_big_tables, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_always),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
