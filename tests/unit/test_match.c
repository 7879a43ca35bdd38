/*
 * test_match.c - host patterns and the lookups they cause.
 *
 * Which of the client's name and address a pattern looks up is
 * observable: the request keeps the looked-up values (or "unknown"), and
 * with real sockets each lookup can log hostname warnings.  Each case
 * gives the request fields after the match, as Debian's library leaves
 * them (found by the differential test, tests/compat).
 */
#include "testlib.h"

#include "access.h"

#include <stdio.h>
#include <string.h>

#include "hostlist.h"
#include "lex.h"
#include "match.h"
#include "pattern.h"

/* One client pattern, compiled and matched against the request. */
static enum match_result match_one(const char *pattern,
                                   struct request_info *r)
{
    struct image_builder b;
    struct lex_item item = {pattern, (uint32_t)strlen(pattern),
                            lex_flags(pattern, strlen(pattern))};
    struct lex_list list = {&item, 1, 1};
    struct match_ctx m;
    struct image im = {NULL, 0, NULL};
    enum match_result hit;
    uint32_t off;

    image_builder_init(&b);
    off = pattern_put_list(&b, &list, LIST_CLIENTS, 0);
    assert_true(off != 0);
    im.base = (const unsigned char *)b.buf.data;
    im.size = b.buf.len;
    match_begin(&m, r, hostlist_match, (void *)&access_default);
    hit = match_clients(&m, &im, off);
    image_builder_free(&b);
    return hit;
}

struct host_case {
    const char *pattern;
    const char *name, *addr; /* given to the request; "" is unset */
    bool match;
    const char *name_after, *addr_after;
};

static const struct host_case cases[] = {
    /* KNOWN looks up the address even when the name is unknown. */
    {"KNOWN", "", "", false, "unknown", "unknown"},
    {"KNOWN", "paranoid", "", false, "paranoid", "unknown"},
    {"KNOWN", "h.example", "", false, "h.example", "unknown"},
    {"KNOWN", "h.example", "10.0.0.1", true, "h.example", "10.0.0.1"},
    {"known", "", "10.0.0.1", false, "unknown", "10.0.0.1"},
    /* LOCAL needs only the name. */
    {"LOCAL", "", "", false, "unknown", ""},
    {"LOCAL", "foo", "", true, "foo", ""},
    /* Addresses first; names only for patterns that can be names. */
    {"10.0.0.1", "", "10.0.0.1", true, "", "10.0.0.1"},
    {"10.0.0.2", "", "10.0.0.1", false, "", "10.0.0.1"},
    {"10.0.0.*", "", "10.0.1.2", false, "unknown", "10.0.1.2"},
    {".example.com", "a.example.com", "10.0.0.1", true, "a.example.com",
     "10.0.0.1"},
    {"10.0.0.0/8", "", "10.0.0.1", true, "", "10.0.0.1"},
};

static void test_host_lookups(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct host_case *c = &cases[i];
        struct request_info r;
        enum match_result got;

        request_init(&r, RQ_CLIENT_NAME, c->name, RQ_CLIENT_ADDR, c->addr,
                     0);
        got = match_one(c->pattern, &r);
        if (got != c->match || strcmp(r.client->name, c->name_after) != 0 ||
            strcmp(r.client->addr, c->addr_after) != 0) {
            print_error("%s against name \"%s\" addr \"%s\": %d, fields "
                        "\"%s\" \"%s\" (want %d, \"%s\" \"%s\")\n",
                        c->pattern, c->name, c->addr, got, r.client->name,
                        r.client->addr, c->match, c->name_after,
                        c->addr_after);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
    tl_assert_log("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_host_lookups, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
