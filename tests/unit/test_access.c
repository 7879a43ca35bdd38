/*
 * test_access.c - the access decision, table by table: evaluation order,
 * table reading, a rule's fields and options, each case with its exact
 * log, and each decided the three ways a table can be scanned (streamed,
 * compiled in order, through the index), which must agree.  Expected
 * values are Debian's (behaviour page sections 1 and 3) except where a
 * case is marked with a compat-policy difference.  What single patterns
 * mean is in test_match.c and test_pattern.c.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

#include "access.h"
#include "cache.h"

struct access_case {
    const char *name;
    const char *allow, *deny; /* NULL: no such file */
    const char *daemon;       /* NULL: "sshd" */
    const char *host, *user;  /* NULL: "" */
    const char *addr;
    int granted;
    const char *log; /* NULL: ""; "%A" and "%D" stand for the tables */
};

/*
 * Pattern semantics (behaviour page section 2) are test_match.c's and
 * test_pattern.c's; these rows are whole decisions: the order of the
 * tables, how a table is read into rules, and what a rule's fields and
 * options do to the verdict.
 */
static const struct access_case cases[] = {
    /* 1.1 evaluation order and 1.2 missing tables */
    {.name = "no tables", .addr = "10.0.0.1", .granted = 1},
    {.name = "allow wins",
     .allow = "ALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "deny matches",
     .allow = "",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1"},
    {.name = "neither matches",
     .allow = "ALL: 10.0.0.2\n",
     .deny = "ALL: 10.0.0.3\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "first rule ends the scan",
     .allow = "",
     .deny = "ALL: 10.0.0.1: allow\nALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "empty allow, missing deny",
     .allow = "",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "missing allow, matching deny",
     .deny = "sshd: 10.0.0.1\n",
     .addr = "10.0.0.1"},
    /* 1.4 continuation joins with no separator */
    {.name = "continuation",
     .allow = "",
     .deny = "ALL: \\\n10.0.0.1\n",
     .addr = "10.0.0.1"},
    {.name = "continuation joins text",
     .allow = "ALL: 10.0.0.\\\n1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "joined rule reports last line",
     .allow = "",
     .deny = "ALL:   10.0.0.1  \\\nALL: 10.0.0.1\n",
     .addr = "10.0.0.1",
     .log = "3 error: %D, line 2: bad option name: \"10.0.0.1\"\n"},
    {.name = "backslash CR LF is no continuation",
     .allow = "ALL: 10.0.0.9 \\\r\nALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    /* 1.5 comments */
    {.name = "comment in column 0",
     .allow = "#ALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1"},
    {.name = "indented # is a rule",
     .allow = " #ALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .daemon = "#ALL",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "mid-line # is a pattern",
     .allow = "ALL: 10.0.0.2 # 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "comment swallows continued line",
     .allow = "# c \\\nALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1"},
    /* 1.6 blank lines */
    {.name = "blank lines",
     .allow = "\n   \n\t\r\nALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "vertical tab is not blank",
     .allow = "\v\n",
     .deny = "",
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %A, line 1: missing \":\" separator\n"},
    /* 1.10 missing colon */
    {.name = "missing colon",
     .allow = "sshd 10.0.0.1\nALL: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %A, line 1: missing \":\" separator\n"},
    {.name = "missing colon, line of a continuation",
     .allow = "sshd \\\n10.0.0.1\n",
     .deny = "",
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %A, line 2: missing \":\" separator\n"},
    /* 1.11 brackets */
    {.name = "unbalanced bracket hides colons",
     .allow = "ss[hd: ALL\n",
     .deny = "",
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %A, line 1: missing \":\" separator\n"},
    {.name = "bracket swallows option field",
     .allow = "ALL: 1.2.3.4 [x: spawn echo hi\n",
     .deny = "ALL: ALL\n",
     .addr = "1.2.3.4",
     .granted = 1},
    {.name = "bracketed v6 in client list",
     .allow = "ALL: [::1]\n",
     .deny = "ALL: ALL\n",
     .addr = "::1",
     .granted = 1},
    /* A line's one "[v6]" pattern: the address, then the name; a
     * literal meets only what parses as IPv6 (its own address is read
     * then), and never an IPv4-mapped client, which meets it stripped. */
    {.name = "v6 literal, another address",
     .allow = "sshd: [2001:db8::1]\n",
     .deny = "ALL: ALL\n",
     .addr = "2001:db8::2"},
    {.name = "v6 literal, any case",
     .allow = "sshd: [2001:DB8::a]\n",
     .deny = "ALL: ALL\n",
     .addr = "2001:db8::A",
     .granted = 1},
    {.name = "v6 literal, an IPv4 client named by the literal",
     .allow = "sshd: [2001:db8::1]\n",
     .deny = "ALL: ALL\n",
     .host = "2001:DB8:0::1",
     .addr = "192.0.2.1",
     .granted = 1},
    {.name = "v6 literal, an IPv4 client",
     .allow = "sshd: [2001:db8::1]\n",
     .deny = "ALL: ALL\n",
     .host = "host.example",
     .addr = "192.0.2.1"},
    {.name = "v6 literal, never a mapped client",
     .allow = "sshd: [::ffff:192.0.2.1]\n",
     .deny = "ALL: ALL\n",
     .addr = "::ffff:192.0.2.1"},
    {.name = "v6 literal, a mapped client named by the literal",
     .allow = "sshd: [::ffff:192.0.2.1]\n",
     .deny = "ALL: ALL\n",
     .host = "::ffff:c000:201",
     .addr = "::ffff:192.0.2.1",
     .granted = 1},
    {.name = "v6 literal that is no address",
     .allow = "sshd: [2001:db8::g]\n",
     .deny = "ALL: ALL\n",
     .host = "2001:db8::g",
     .addr = "2001:db8::g"},
    /* 1.12 separators */
    {.name = "empty tokens vanish",
     .allow = "ALL: 10.0.0.3,,, 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "empty daemon list",
     .allow = ":ALL\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1"},
    {.name = "empty client list",
     .allow = "ALL:\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1"},
    /* 1.13 empty option field */
    {.name = "empty option field",
     .allow = "ALL:ALL:\n",
     .deny = "",
     .addr = "10.0.0.1",
     .log = "3 error: %A, line 1: missing option name\n"},
    /* 1.14 case */
    {.name = "keywords any case",
     .allow = "all: all\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "daemon case",
     .allow = "SSHD: 10.0.0.1\n",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1},
    /* 3.2 options decide */
    {.name = "allow option in deny",
     .allow = "",
     .deny = "ALL: ALL: allow\n",
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "deny option in allow",
     .allow = "ALL: ALL: DENY\n",
     .deny = "",
     .addr = "10.0.0.1"},
    {.name = "options of a later rule do not run",
     .allow = "ALL: 10.0.0.1\nALL: ALL: bogus\n",
     .addr = "10.0.0.1",
     .granted = 1},
    /* D10: bare IPv6 addresses are patterns */
    {.name = "D10 bare v6",
     .allow = "ALL: ::1\n",
     .deny = "ALL: ALL\n",
     .addr = "::1",
     .granted = 1},
    {.name = "D10 bare v6 prefix",
     .allow = "sshd: 2001:db8::/32: allow\n",
     .deny = "ALL: ALL\n",
     .addr = "2001:db8::7",
     .granted = 1},
    {.name = "D10 bare v6 user",
     .allow = "ALL: bob@fe80::1\n",
     .deny = "ALL: ALL\n",
     .addr = "fe80::1",
     .user = "bob",
     .granted = 1},
    /* ...but only a whole run: after "u]" Debian splits at the colon of
     * "[2001:", so the client list is "db8" and "db8::]/abc" is no
     * address (found by the differential test). */
    {.name = "D10 not before a bracket",
     .allow = "u]x, ALL [2001:db8::]/abc unknown\n",
     .deny = "ALL: ALL\n",
     .addr = "2001:db8::2"},
    /* D2: a final line without newline is used */
    {.name = "D2 unterminated allow",
     .allow = "ALL: 10.0.0.1",
     .deny = "ALL: ALL\n",
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %A, line 1: missing newline at end of file; the "
            "last line is used anyway\n"},
    {.name = "D2 unterminated comment warns too",
     .allow = "",
     .deny = "sshd: 10.0.0.2\n# end",
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %D, line 2: missing newline at end of file; the "
            "last line is used anyway\n"},
};

/* The expected log with %A and %D expanded; without the D2 warning
 * after the first decision on a version of the file (it is given once). */
static void expected_log(struct strbuf *want, const char *log, bool first)
{
    struct strbuf all = STRBUF_INIT;
    const char *p, *nl;

    sb_reset(want);
    tl_expand(&all, log != NULL ? log : "");
    for (p = sb_str(&all); *p != '\0'; p = nl + 1) {
        nl = strchr(p, '\n');
        if (first || strstr(p, "missing newline at end of file") == NULL ||
            strstr(p, "missing newline at end of file") > nl)
            sb_append(want, p, (size_t)(nl - p) + 1);
    }
    sb_free(&all);
}

static void test_cases(void **state)
{
    struct strbuf want = STRBUF_INIT;
    size_t i, m;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(cases); i++) {
        const struct access_case *c = &cases[i];

        tl_tables(c->allow, c->deny);
        cache_flush();
        for (m = 0; m < TL_SCAN_MODES; m++) {
            int got;

            tl_config = tl_scan_modes[m].config;
            tl_log_clear();
            got = tl_ctl(c->daemon != NULL ? c->daemon : "sshd",
                         c->host != NULL ? c->host : "", c->addr,
                         c->user != NULL ? c->user : "");
            expected_log(&want, c->log, m == 0);
            if (got != c->granted || strcmp(tl_log(), sb_str(&want)) != 0) {
                print_error("case \"%s\", %s: verdict %d (want %d), log:\n"
                            "%swant:\n%s",
                            c->name, tl_scan_modes[m].name, got, c->granted,
                            tl_log(), sb_str(&want));
                failures++;
            }
        }
        tl_config = NULL;
    }
    sb_free(&want);
    assert_int_equal(failures, 0);
}

/* 1.3: an unreadable deny table denies; an unreadable allow table falls
 * through.  (As root, a path through a regular file gives ENOTDIR.) */
static void test_unreadable(void **state)
{
    char allow[512];

    (void)state;
    tl_tables("", "");
    snprintf(allow, sizeof(allow), "%s", hosts_allow_table);
    hosts_deny_table = (char *)tl_path("hosts.allow/x");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    {
        char want[1024];
        snprintf(want, sizeof(want),
                 "3 warning: cannot open %s: Not a directory\n",
                 hosts_deny_table);
        tl_assert_log(want);
    }
    hosts_allow_table = hosts_deny_table;
    hosts_deny_table = (char *)tl_path("hosts.deny");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
}

/* 8.9: after an option ends a scan, later warnings outside a scan carry
 * that table and line, as Debian's do. */
static void test_stale_context(void **state)
{
    char want[1024];

    (void)state;
    tl_tables("ALL: 1.2.3.4: deny\n", "");
    tcpd_context.file = NULL;
    assert_int_equal(tl_ctl("sshd", "", "1.2.3.4", ""), 0);
    tl_assert_log("");
    hosts_deny_table = (char *)tl_path("hosts.allow/x");
    assert_int_equal(tl_ctl("sshd", "", "1.2.3.5", ""), 0);
    snprintf(want, sizeof(want),
             "3 warning: %s, line 1: cannot open %s: Not a directory\n",
             hosts_allow_table, hosts_deny_table);
    tl_assert_log(want);
    tcpd_context.file = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_stale_context, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
