/*
 * test_access.c - the access decision, table by table: evaluation order,
 * table reading, patterns and lists, each case with its exact log.
 * Expected values are Debian's (behaviour page sections 1 and 2) except
 * where a case is marked with a compat-policy difference.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>

struct access_case {
    const char *name;
    const char *allow; /* NULL: no such file */
    const char *deny;
    const char *daemon, *host, *addr, *user;
    int granted;
    const char *log; /* "%A" and "%D" stand for the table paths */
};

/* Replaces %A and %D in the expected log with the table paths. */
static void expand_paths(char *out, size_t size, const char *in)
{
    size_t n = 0;
    char allow[300], deny[300];

    snprintf(allow, sizeof(allow), "%s", hosts_allow_table);
    snprintf(deny, sizeof(deny), "%s", hosts_deny_table);
    for (; *in != '\0' && n + 1 < size; in++) {
        const char *sub = NULL;
        if (in[0] == '%' && in[1] == 'A')
            sub = allow;
        else if (in[0] == '%' && in[1] == 'D')
            sub = deny;
        if (sub != NULL) {
            n += (size_t)snprintf(out + n, size - n, "%s", sub);
            in++;
        } else {
            out[n++] = *in;
        }
    }
    out[n] = '\0';
}

static const struct access_case cases[] = {
    /* 1.1 evaluation order and 1.2 missing tables */
    {"no tables", NULL, NULL, "sshd", "", "10.0.0.1", "", 1, ""},
    {"allow wins", "ALL: 10.0.0.1\n", "ALL: ALL\n", "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"deny matches", "", "ALL: ALL\n", "sshd", "", "10.0.0.1", "", 0, ""},
    {"neither matches", "ALL: 10.0.0.2\n", "ALL: 10.0.0.3\n", "sshd", "",
     "10.0.0.1", "", 1, ""},
    {"first rule ends the scan", "", "ALL: 10.0.0.1: allow\nALL: ALL\n",
     "sshd", "", "10.0.0.1", "", 1, ""},
    /* 1.4 continuation joins with no separator */
    {"continuation", "", "ALL: \\\n10.0.0.1\n", "sshd", "", "10.0.0.1", "",
     0, ""},
    {"continuation joins text", "ALL: 10.0.0.\\\n1\n", "ALL: ALL\n", "sshd",
     "", "10.0.0.1", "", 1, ""},
    {"joined rule reports last line", "",
     "ALL:   10.0.0.1  \\\nALL: 10.0.0.1\n", "sshd", "", "10.0.0.1", "", 0,
     "3 error: %D, line 2: bad option name: \"10.0.0.1\"\n"},
    {"backslash CR LF is no continuation", "ALL: 10.0.0.9 \\\r\nALL: 10.0.0.1\n",
     "ALL: ALL\n", "sshd", "", "10.0.0.1", "", 1, ""},
    /* 1.5 comments */
    {"comment in column 0", "#ALL: 10.0.0.1\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "", 0, ""},
    {"indented # is a rule", " #ALL: 10.0.0.1\n", "ALL: ALL\n", "#ALL", "",
     "10.0.0.1", "", 1, ""},
    {"mid-line # is a pattern", "ALL: 10.0.0.2 # 10.0.0.1\n", "ALL: ALL\n",
     "sshd", "", "10.0.0.1", "", 1, ""},
    {"comment swallows continued line", "# c \\\nALL: 10.0.0.1\n",
     "ALL: ALL\n", "sshd", "", "10.0.0.1", "", 0, ""},
    /* 1.6 blank lines */
    {"blank lines", "\n   \n\t\r\nALL: 10.0.0.1\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "", 1, ""},
    {"vertical tab is not blank", "\v\n", "", "sshd", "", "10.0.0.1", "", 1,
     "3 warning: %A, line 1: missing \":\" separator\n"},
    /* 1.10 missing colon */
    {"missing colon", "sshd 10.0.0.1\nALL: 10.0.0.1\n", "ALL: ALL\n", "sshd",
     "", "10.0.0.1", "", 1,
     "3 warning: %A, line 1: missing \":\" separator\n"},
    /* 1.11 brackets */
    {"unbalanced bracket hides colons", "ss[hd: ALL\n", "", "sshd", "",
     "10.0.0.1", "", 1,
     "3 warning: %A, line 1: missing \":\" separator\n"},
    {"bracket swallows option field", "ALL: 1.2.3.4 [x: spawn echo hi\n",
     "ALL: ALL\n", "sshd", "", "1.2.3.4", "", 1, ""},
    {"bracketed v6 in client list", "ALL: [::1]\n", "ALL: ALL\n", "sshd",
     "", "::1", "", 1, ""},
    /* 1.12 separators */
    {"empty tokens vanish", "ALL: 10.0.0.3,,, 10.0.0.1\n", "ALL: ALL\n",
     "sshd", "", "10.0.0.1", "", 1, ""},
    {"empty daemon list", ":ALL\n", "ALL: ALL\n", "sshd", "", "10.0.0.1", "",
     0, ""},
    {"empty client list", "ALL:\n", "ALL: ALL\n", "sshd", "", "10.0.0.1", "",
     0, ""},
    /* 1.13 empty option field */
    {"empty option field", "ALL:ALL:\n", "", "sshd", "", "10.0.0.1", "", 0,
     "3 error: %A, line 1: missing option name\n"},
    /* 1.14 case */
    {"keywords any case", "all: all\n", "ALL: ALL\n", "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"daemon case", "SSHD: 10.0.0.1\n", "ALL: ALL\n", "sshd", "", "10.0.0.1",
     "", 1, ""},
    /* 2 EXCEPT */
    {"except", "ALL: 10.0.0.0/8 EXCEPT 10.0.0.7\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.7", "", 0, ""},
    {"except except", "ALL: 10.0.0.0/8 EXCEPT 10.0.0.0/24 EXCEPT 10.0.0.7\n",
     "ALL: ALL\n", "sshd", "", "10.0.0.7", "", 1, ""},
    {"except alone", "ALL: EXCEPT 10.0.0.7\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.7", "", 0, ""},
    {"trailing except", "ALL: 10.0.0.7 EXCEPT\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.7", "", 1, ""},
    {"except except empty", "ALL: 10.0.0.8 EXCEPT EXCEPT 10.0.0.8\n",
     "ALL: ALL\n", "sshd", "", "10.0.0.8", "", 1, ""},
    {"daemon except", "ALL EXCEPT sshd: ALL\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "", 0, ""},
    {"daemon except other", "ALL EXCEPT sshd: ALL\n", "ALL: ALL\n", "ftpd",
     "", "10.0.0.1", "", 1, ""},
    /* 2.1 port numbers never match without a server address */
    {"port without sockaddr", "22: ALL\n", "ALL: ALL\n", "22", "",
     "10.0.0.1", "", 0, ""},
    {"big number is a name", "70000: ALL\n", "ALL: ALL\n", "70000", "",
     "10.0.0.1", "", 1, ""},
    {"negative is a name", "-1: ALL\n", "ALL: ALL\n", "-1", "", "10.0.0.1",
     "", 1, ""},
    /* 2.2 user@host */
    {"user@host", "ALL: bob@10.0.0.1\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "bob", 1, ""},
    {"user@host other user", "ALL: bob@10.0.0.1\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "eve", 0, ""},
    {"user@ empty host", "ALL: bob@\n", "ALL: ALL\n", "sshd", "", "10.0.0.1",
     "bob", 0, ""},
    {"only first @ splits", "ALL: a@b@10.0.0.7\n", "ALL: ALL\n", "sshd",
     "b@10.0.0.7", "10.0.0.7", "a", 1, ""},
    /* 2.3 string match */
    {"wildcard star", "ALL: 10.0.0.*\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.77", "", 1, ""},
    {"wildcard question one", "ALL: 10.0.0.?\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.77", "", 0, ""},
    {"wildcard question two", "ALL: 10.0.0.??\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.77", "", 1, ""},
    {"suffix", "ALL: .example.com\n", "ALL: ALL\n", "sshd", "a.example.com",
     "10.0.0.1", "", 1, ""},
    {"suffix needs more", "ALL: .example.com\n", "ALL: ALL\n", "sshd",
     "example.com", "10.0.0.1", "", 0, ""},
    {"suffix on address", "ALL: .0.0.1\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "", 1, ""},
    {"prefix", "ALL: 10.0.\n", "ALL: ALL\n", "sshd", "", "10.0.5.1", "", 1,
     ""},
    {"prefix whole token", "ALL: 10.\n", "ALL: ALL\n", "sshd", "",
     "100.0.5.1", "", 0, ""},
    {"prefix on name", "ALL: foo.\n", "ALL: ALL\n", "sshd", "foo.bar",
     "10.0.0.1", "", 1, ""},
    {"v4-mapped stripped", "ALL: 1.2.3.4\n", "ALL: ALL\n", "sshd", "",
     "::FFFF:1.2.3.4", "", 1, ""},
    {"bracket never matches mapped", "ALL: [::ffff:1.2.3.4]\n", "ALL: ALL\n",
     "sshd", "", "::ffff:1.2.3.4", "", 0, ""},
    {"v6 literal scope ignored", "ALL: [fe80::1%lo]\n", "ALL: ALL\n", "sshd",
     "", "fe80::1", "", 1, ""},
    {"KNOWN daemon", "KNOWN: ALL\n", "ALL: ALL\n", "sshd", "", "10.0.0.1", "",
     1, ""},
    {"LOCAL daemon is a name", "LOCAL: ALL\n", "ALL: ALL\n", "LOCAL", "",
     "10.0.0.1", "", 1, ""},
    /* 2.4 host patterns */
    {"KNOWN host", "ALL: KNOWN\n", "ALL: ALL\n", "sshd", "h.example",
     "10.0.0.1", "", 1, ""},
    {"KNOWN needs name", "ALL: KNOWN\n", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "", 0, ""},
    {"KNOWN paranoid", "ALL: KNOWN\n", "ALL: ALL\n", "sshd", "paranoid",
     "10.0.0.1", "", 0, ""},
    {"LOCAL host", "ALL: LOCAL\n", "ALL: ALL\n", "sshd", "foo", "10.0.0.1",
     "", 1, ""},
    {"LOCAL dotted", "ALL: LOCAL\n", "ALL: ALL\n", "sshd", "foo.bar",
     "10.0.0.1", "", 0, ""},
    {"octal net", "ALL: 010.0.0.0/255.0.0.0\n", "ALL: ALL\n", "sshd", "",
     "8.1.2.3", "", 1, ""},
    {"hex net", "ALL: 0x0a.0.0.0/8\n", "ALL: ALL\n", "sshd", "", "10.1.2.3",
     "", 1, ""},
    {"octal client", "ALL: 10.0.0.0/8\n", "ALL: ALL\n", "sshd", "",
     "012.1.2.3", "", 1, ""},
    {"host bits set never match", "ALL: 10.0.0.1/255.255.255.0\n",
     "ALL: ALL\n", "sshd", "", "10.0.0.1", "", 0, ""},
    {"non-contiguous mask", "ALL: 10.0.0.0/255.0.255.0\n", "ALL: ALL\n",
     "sshd", "", "10.7.0.77", "", 1, ""},
    {"cidr atoi", "ALL: 10.0.0.0/8x\n", "ALL: ALL\n", "sshd", "", "10.9.9.9",
     "", 1, ""},
    {"/0 never", "ALL: 0.0.0.0/0\n", "ALL: ALL\n", "sshd", "", "10.9.9.9", "",
     0, ""},
    {"/33 never", "ALL: 10.0.0.0/33\n", "ALL: ALL\n", "sshd", "", "10.0.0.0",
     "", 0, ""},
    {"all-ones never", "ALL: 10.0.0.1/255.255.255.255\n", "ALL: ALL\n",
     "sshd", "", "10.0.0.1", "", 0, ""},
    {"zero mask all", "ALL: 0.0.0.0/0.0.0.0\n", "ALL: ALL\n", "sshd", "",
     "10.9.9.9", "", 1, ""},
    {"mapped vs v4 mask", "ALL: 10.0.0.0/8\n", "ALL: ALL\n", "sshd", "",
     "::ffff:10.0.0.77", "", 1, ""},
    {"v6 prefix", "ALL: [2001:db8::]/32\n", "ALL: ALL\n", "sshd", "",
     "2001:db8::5", "", 1, ""},
    {"v6 host bits allowed", "ALL: [2001:db8::1]/127\n", "ALL: ALL\n",
     "sshd", "", "2001:db8::", "", 1, ""},
    {"v6 /0 all", "ALL: [2001:db8::1]/0\n", "ALL: ALL\n", "sshd", "", "::1",
     "", 1, ""},
    {"v6 /abc all", "ALL: [2001:db8::1]/abc\n", "ALL: ALL\n", "sshd", "",
     "::1", "", 1, ""},
    {"v6 /129 never", "ALL: [::1]/129\n", "ALL: ALL\n", "sshd", "", "::1", "",
     0, ""},
    {"v6 mask not for mapped", "ALL: [::ffff:10.0.0.0]/104\n", "ALL: ALL\n",
     "sshd", "", "::ffff:10.0.0.7", "", 0, ""},
    {"wildcard in net never", "ALL: 10.0.*.0/24\n", "ALL: ALL\n", "sshd", "",
     "10.0.1.0", "", 0, ""},
    {"UNKNOWN", "ALL: UNKNOWN\n", "ALL: ALL\n", "sshd", "", "10.0.0.1", "", 1,
     ""},
    {"UNKNOWN not paranoid", "ALL: UNKNOWN\n", "ALL: ALL\n", "sshd",
     "paranoid", "10.0.0.1", "", 0, ""},
    {"PARANOID", "ALL: PARANOID\n", "ALL: ALL\n", "sshd", "paranoid",
     "10.0.0.1", "", 1, ""},
    {"short name no match", "ALL: good\n", "ALL: ALL\n", "sshd",
     "good.example.com", "10.0.0.1", "", 0, ""},
    /* 3.2 options decide */
    {"allow option in deny", "", "ALL: ALL: allow\n", "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"deny option in allow", "ALL: ALL: DENY\n", "", "sshd", "", "10.0.0.1",
     "", 0, ""},
    /* D10: bare IPv6 addresses are patterns */
    {"D10 bare v6", "ALL: ::1\n", "ALL: ALL\n", "sshd", "", "::1", "", 1, ""},
    {"D10 bare v6 prefix", "sshd: 2001:db8::/32: allow\n", "ALL: ALL\n",
     "sshd", "", "2001:db8::7", "", 1, ""},
    {"D10 bare v6 user", "ALL: bob@fe80::1\n", "ALL: ALL\n", "sshd", "",
     "fe80::1", "bob", 1, ""},
    /* ...but only a whole run: after "u]" Debian splits at the colon of
     * "[2001:", so the client list is "db8" and "db8::]/abc" is no
     * address (found by the differential test). */
    {"D10 not before a bracket", "u]x, ALL [2001:db8::]/abc unknown\n",
     "ALL: ALL\n", "sshd", "", "2001:db8::2", "", 0, ""},
    /* D2: a final line without newline is used */
    {"D2 unterminated allow", "ALL: 10.0.0.1", "ALL: ALL\n", "sshd", "",
     "10.0.0.1", "", 1,
     "3 warning: %A, line 1: missing newline at end of file; the last line "
     "is used anyway\n"},
};

static void test_cases(void **state)
{
    size_t i;
    char expected[4096];
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct access_case *c = &cases[i];
        int got;

        tl_tables(c->allow, c->deny);
        tl_log_clear();
        got = tl_ctl(c->daemon, c->host, c->addr, c->user);
        expand_paths(expected, sizeof(expected), c->log);
        if (got != c->granted || strcmp(tl_log(), expected) != 0) {
            print_error("case \"%s\": verdict %d (want %d), log:\n%s"
                        "want:\n%s",
                        c->name, got, c->granted, tl_log(), expected);
            failures++;
        }
    }
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
