/*
 * test_hostile.c - hostile tables and requests: a clear diagnostic and a
 * safe verdict, never a crash, a hang or an exit.
 *
 * Tables of megabytes, NUL and high bytes, thousands of continuation
 * lines, EXCEPT chains of tens of thousands, /file lists that name
 * themselves, each other or fan out exponentially, names full of shell
 * metacharacters, over-long and NULL arguments to the API.  Debian crashes
 * or exits on several of these (compat-policy D1, D4, D5); everything else
 * must give Debian's verdict.  Each case states its verdict and its exact
 * log; "%A", "%D" and "%T" in a log stand for the allow table, the deny
 * table and the test directory.
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "exports.h"
#include "strbuf.h"

/* Appends s n times. */
static void repeat(struct strbuf *sb, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        sb_puts(sb, s);
    assert_false(sb_failed(sb));
}

/* Writes a file in the test directory from a strbuf, with "%T" replaced
 * by the test directory. */
static void write_file(const char *name, const char *content);

/* Replaces %A, %D and %T with the table paths and the test directory. */
static void expand(struct strbuf *out, const char *in)
{
    char dir[512];
    size_t n;

    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    n = strlen(dir);
    if (n > 0 && dir[n - 1] == '/')
        dir[n - 1] = '\0';
    sb_reset(out);
    for (; *in != '\0'; in++) {
        if (in[0] == '%' && in[1] == 'A')
            sb_puts(out, hosts_allow_table);
        else if (in[0] == '%' && in[1] == 'D')
            sb_puts(out, hosts_deny_table);
        else if (in[0] == '%' && in[1] == 'T')
            sb_puts(out, dir);
        else {
            sb_putc(out, *in);
            continue;
        }
        in++;
    }
}

static void write_file(const char *name, const char *content)
{
    struct strbuf sb = STRBUF_INIT;

    expand(&sb, content);
    tl_write_bytes(name, sb_str(&sb), sb.len);
    sb_free(&sb);
}

/* ---- builders of big tables ---- */

/* deny: one 3.6 MB line whose last pattern is 10.0.0.1. */
static void big_line(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL: ");
    repeat(deny, "10.9.9.9 ", 400000);
    sb_puts(deny, "10.0.0.1\n");
}

/* deny: a single pattern of 4 MB. */
static void big_pattern(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL: ");
    repeat(deny, "aaaaaaaaaaaaaaaa", 256 * 1024);
    sb_puts(deny, "\n");
}

/* deny: "ALL" and a megabyte of colons. */
static void big_colons(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL");
    repeat(deny, "::::::::", 128 * 1024);
    sb_puts(deny, "\n");
}

/* deny: a megabyte of '[' in the client list, then a line that is all
 * brackets and has no colon outside them. */
static void big_brackets(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL: ");
    repeat(deny, "[[[[[[[[", 128 * 1024);
    sb_puts(deny, "\n");
    repeat(deny, "[[[[[[[[", 128 * 1024);
    sb_puts(deny, ": ALL\n");
}

/* deny: a megabyte of '*' then "?": matches every address. */
static void big_wildcard(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL: ");
    repeat(deny, "********", 128 * 1024);
    sb_puts(deny, "?\n");
}

/* deny: "*a" 100,000 times then "*b": the worst case of a backtracking
 * wildcard matcher against a name of 127 a's. */
static void slow_wildcard(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL: ");
    repeat(deny, "*a", 100000);
    sb_puts(deny, "*b\n");
}

/* deny: a bare IPv6-looking run of a megabyte. */
static void big_v6_run(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL: ");
    repeat(deny, "1:1:1:1:", 128 * 1024);
    sb_puts(deny, "\n");
}

/* deny: every byte value but NUL and newline, over and over. */
static void all_bytes(struct strbuf *allow, struct strbuf *deny)
{
    char bytes[254];
    int i, n = 0;

    (void)allow;
    for (i = 1; i < 256; i++) {
        if (i != '\n')
            bytes[n++] = (char)i;
    }
    for (i = 0; i < 4096; i++) {
        sb_append(deny, bytes, (size_t)n);
        sb_putc(deny, '\n');
    }
    sb_puts(deny, "ALL: \xff\xfe\x80 10.0.0.1\n");
}

/* deny: 10,000 continued lines form one rule of 10,001 patterns. */
static void many_continuations(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "sshd: ");
    repeat(deny, "10.0.0.2 \\\n", 10000);
    sb_puts(deny, "10.0.0.1\n");
}

/* deny: 10,000 continued lines that make one line without a colon. */
static void continued_no_colon(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    repeat(deny, "x\\\n", 10000);
    sb_puts(deny, "x\n");
}

/* deny: ALL EXCEPT 10.0.0.1 EXCEPT 10.0.0.1 ... (n EXCEPTs). */
static void except_chain(struct strbuf *deny, size_t n)
{
    sb_puts(deny, "ALL: ALL");
    repeat(deny, " EXCEPT 10.0.0.1", n);
    sb_puts(deny, "\n");
}

static void except_even(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    except_chain(deny, 100000);
}

static void except_odd(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    except_chain(deny, 100001);
}

/* deny: ALL EXCEPT sshd EXCEPT sshd ... in the daemon list. */
static void except_daemons(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL");
    repeat(deny, " EXCEPT sshd", 50001);
    sb_puts(deny, ": ALL\n");
}

/* deny: nothing but EXCEPT, 100,000 times. */
static void except_only(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    sb_puts(deny, "ALL:");
    repeat(deny, " EXCEPT", 100000);
    sb_puts(deny, "\n");
}

/* deny: 100,000 rules, the last one matches. */
static void many_rules(struct strbuf *allow, struct strbuf *deny)
{
    int i;

    (void)allow;
    for (i = 0; i < 100000; i++)
        sb_printf(deny, "sshd: 10.%d.%d.%d\n", i >> 16, (i >> 8) & 255,
                  i & 255);
    sb_puts(deny, "sshd: 10.0.0.1\n");
}

/* /file lists: a chain of n files, the last one holding 10.0.0.1. */
static void file_chain(int n)
{
    char name[16], text[64];
    int i;

    for (i = 0; i < n; i++) {
        snprintf(name, sizeof(name), "f%d", i);
        if (i + 1 < n)
            snprintf(text, sizeof(text), "%%T/f%d\n", i + 1);
        else
            snprintf(text, sizeof(text), "10.0.0.1\n");
        write_file(name, text);
    }
}

static void chain_16(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    file_chain(16);
    sb_puts(deny, "ALL: %T/f0\n");
}

static void chain_17(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    file_chain(17);
    sb_puts(deny, "ALL: %T/f0\n");
}

/* A list that names itself, then holds the address. */
static void self_list(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    write_file("a", "%T/a 10.0.0.1\n");
    sb_puts(deny, "ALL: %T/a\n");
}

/* A list that names itself four times and nothing else. */
static void self_fanout(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    write_file("b", "%T/b %T/b %T/b %T/b\n");
    sb_puts(deny, "ALL: %T/b\n");
}

/* Two lists that name each other; the second holds the address. */
static void mutual_lists(struct strbuf *allow, struct strbuf *deny)
{
    (void)allow;
    write_file("c", "%T/d\n");
    write_file("d", "%T/c 10.0.0.1\n");
    sb_puts(deny, "ALL: %T/c\n");
}

/* Twelve levels of lists, each naming the next four times: 4^11 reads
 * without a bound.  The first list ends with the address. */
static void fanout_dag(struct strbuf *allow, struct strbuf *deny)
{
    char name[16], text[256];
    int i;

    (void)allow;
    for (i = 0; i < 12; i++) {
        snprintf(name, sizeof(name), "g%d", i);
        if (i + 1 < 12)
            snprintf(text, sizeof(text), "%%T/g%d %%T/g%d %%T/g%d %%T/g%d%s\n",
                     i + 1, i + 1, i + 1, i + 1, i == 0 ? " 10.0.0.1" : "");
        else
            snprintf(text, sizeof(text), "10.0.0.9\n");
        write_file(name, text);
    }
    sb_puts(deny, "ALL: %T/g0\n");
}

/* A list of 200,000 words and one word of a megabyte. */
static void big_list(struct strbuf *allow, struct strbuf *deny)
{
    struct strbuf list = STRBUF_INIT;
    int i;

    (void)allow;
    repeat(&list, "xxxxxxxxxxxxxxxx", 64 * 1024);
    sb_puts(&list, "\n");
    for (i = 0; i < 200000; i++)
        sb_printf(&list, "10.%d.%d.%d\n", 1 + (i >> 16), (i >> 8) & 255,
                  i & 255);
    sb_puts(&list, "10.0.0.1\n");
    tl_write_bytes("big", sb_str(&list), list.len);
    sb_free(&list);
    sb_puts(deny, "ALL: %T/big\n");
}

/* ---- the cases ---- */

/* A literal table with NUL bytes: its text and its size. */
#define BYTES(s) s, sizeof(s) - 1

struct hostile_case {
    const char *name;
    void (*build)(struct strbuf *allow, struct strbuf *deny);
    const char *allow, *deny; /* used when build is NULL; NULL: absent */
    size_t deny_len;          /* deny holds NUL bytes: its size, raw */
    const char *daemon, *host, *addr, *user;
    int granted;
    const char *log; /* expected log */
};

static const struct hostile_case cases[] = {
    /* Lines of megabytes (D1: no length limit). */
    {"3.6 MB line, hit at its end", big_line, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 0, ""},
    {"3.6 MB line, no hit", big_line, NULL, NULL, 0, "sshd", "", "10.0.0.2",
     "", 1, ""},
    {"4 MB pattern", big_pattern, NULL, NULL, 0, "sshd", "aaaa", "10.0.0.1",
     "", 1, ""},
    {"megabyte of colons", big_colons, NULL, NULL, 0, "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"megabytes of brackets", big_brackets, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 1, "3 warning: %D, line 2: missing \":\" separator\n"},
    {"megabyte of stars", big_wildcard, NULL, NULL, 0, "sshd", "", "10.0.0.1",
     "", 0, ""},
    {"backtracking wildcard", slow_wildcard, NULL, NULL, 0, "sshd",
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
     "10.0.0.1", "", 1, ""},
    {"megabyte IPv6-like run", big_v6_run, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 1, ""},
    /* NUL and high bytes (Debian's reader: a NUL joins lines). */
    {"NUL joins lines", NULL, NULL,
     BYTES("ALL: 9.9.9.9\0junk\nALL: 10.0.0.1\n"), "sshd", "", "10.0.0.1", "",
     1, ""},
    {"high bytes are pattern text", NULL, NULL, "ALL: \xff\xfe\x80 10.0.0.1\n",
     0, "sshd", "", "10.0.0.1", "", 0, ""},
    {"high bytes in names", NULL, NULL, "ALL: \xff\xfe\n", 0, "sshd",
     "\xff\xfe", "10.0.0.1", "", 0, ""},
    {"only NUL bytes", NULL, NULL, BYTES("\0\0\0\n\0"), "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"every byte value", all_bytes, NULL, NULL, 0, "sshd", "", "10.0.0.1", "",
     0, NULL},
    /* Continuation lines. */
    {"10,000 continuations, hit", many_continuations, NULL, NULL, 0, "sshd",
     "", "10.0.0.1", "", 0, ""},
    {"10,000 continuations, no colon", continued_no_colon, NULL, NULL, 0,
     "sshd", "", "10.0.0.1", "", 1,
     "3 warning: %D, line 10001: missing \":\" separator\n"},
    {"continuation at end of file", NULL, NULL, "ALL: ALL \\", 0, "sshd", "",
     "10.0.0.1", "", 0,
     "3 warning: %D, line 1: missing newline at end of file; the last line "
     "is used anyway\n"},
    /* EXCEPT chains (D4: any length, no recursion). */
    {"100,000 EXCEPTs, even", except_even, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 0, ""},
    {"100,001 EXCEPTs, odd", except_odd, NULL, NULL, 0, "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"100,000 EXCEPTs, first fails", except_even, NULL, NULL, 0, "sshd", "",
     "10.0.0.2", "", 0, ""},
    {"50,001 daemon EXCEPTs", except_daemons, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 1, ""},
    {"50,001 daemon EXCEPTs, other daemon", except_daemons, NULL, NULL, 0,
     "ftpd", "", "10.0.0.1", "", 0, ""},
    {"EXCEPT only", except_only, NULL, NULL, 0, "sshd", "", "10.0.0.1", "", 1,
     ""},
    {"100,000 rules", many_rules, NULL, NULL, 0, "sshd", "", "10.0.0.1", "", 0,
     ""},
    /* /file lists (D4). */
    {"list chain of 16", chain_16, NULL, NULL, 0, "sshd", "", "10.0.0.1", "",
     0, ""},
    {"list chain of 17", chain_17, NULL, NULL, 0, "sshd", "", "10.0.0.1", "",
     1,
     "3 warning: %D, line 1: %T/f16: host list files nested too deep; "
     "ignored\n"},
    {"list names itself", self_list, NULL, NULL, 0, "sshd", "", "10.0.0.1", "",
     0, "3 warning: %D, line 1: %T/a: host list file names itself; ignored\n"},
    {"list names itself four times", self_fanout, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 1,
     "3 warning: %D, line 1: %T/b: host list file names itself; ignored\n"},
    {"lists name each other", mutual_lists, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 0,
     "3 warning: %D, line 1: %T/c: host list file names itself; ignored\n"},
    {"lists fan out exponentially", fanout_dag, NULL, NULL, 0, "sshd", "",
     "10.0.0.1", "", 0,
     "3 warning: %D, line 1: %T/g11: too many host list files for one "
     "pattern; ignored\n"},
    {"list of 200,000 words and a megabyte word", big_list, NULL, NULL, 0,
     "sshd", "", "10.0.0.1", "", 0, ""},
    {"list is a directory", NULL, NULL, "ALL: %T\n", 0, "sshd", "", "10.0.0.1",
     "", 1, ""},
    {"list is missing", NULL, NULL, "ALL: %T/nothing EXCEPT 10.0.0.1\n", 0,
     "sshd", "", "10.0.0.1", "", 1, ""},
    /* Names and users from DNS or ident are text, never code. */
    {"name with $(...)", NULL, NULL, "ALL: *$(*\n", 0, "sshd",
     "$(touch %T/pwned)", "10.0.0.1", "", 0, ""},
    {"name with backquotes", NULL, NULL, "ALL: `reboot`\n", 0, "sshd",
     "`reboot`", "10.0.0.1", "", 0, ""},
    {"user with ; and newline", NULL, NULL, "ALL: a;b*@ALL\n", 0, "sshd", "",
     "10.0.0.1", "a;b\nrm -rf /", 0, ""},
    {"daemon with a newline", NULL, NULL, "x: ALL\n", 0, "sshd", "",
     "10.0.0.1", "", 1, ""},
};

/* Prints a long log in a readable length. */
static void show(const char *what, const char *text)
{
    print_error("%s (%zu bytes):\n%.2000s%s\n", what, strlen(text), text,
                strlen(text) > 2000 ? "..." : "");
}

static void test_cases(void **state)
{
    struct strbuf allow = STRBUF_INIT, deny = STRBUF_INIT;
    struct strbuf want = STRBUF_INIT, text = STRBUF_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct hostile_case *c = &cases[i];
        struct timespec t0, t1;
        double seconds;
        int got;

        sb_reset(&allow);
        sb_reset(&deny);
        if (c->build != NULL) {
            c->build(&allow, &deny);
        } else {
            if (c->allow != NULL)
                sb_puts(&allow, c->allow);
            if (c->deny != NULL)
                sb_append(&deny, c->deny,
                          c->deny_len > 0 ? c->deny_len : strlen(c->deny));
        }
        expand(&text, sb_str(&allow));
        tl_write_bytes("hosts.allow", sb_str(&text), text.len);
        if (c->deny_len > 0) {
            tl_write_bytes("hosts.deny", sb_str(&deny), deny.len);
        } else {
            expand(&text, sb_str(&deny));
            tl_write_bytes("hosts.deny", sb_str(&text), text.len);
        }
        expand(&text, c->host);
        tl_log_clear();
        clock_gettime(CLOCK_MONOTONIC, &t0);
        got = tl_ctl(c->daemon, sb_str(&text), c->addr, c->user);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (c->log != NULL)
            expand(&want, c->log);
        if (got != c->granted ||
            (c->log != NULL && strcmp(tl_log(), sb_str(&want)) != 0)) {
            print_error("case \"%s\": verdict %d (want %d)\n", c->name, got,
                        c->granted);
            show("log", tl_log());
            if (c->log != NULL)
                show("want", sb_str(&want));
            failures++;
        }
        /* A decision is fast whatever the table; a hang shows here long
         * before the test's time limit. */
        if (seconds > 5.0) {
            print_error("case \"%s\" took %.1f s\n", c->name, seconds);
            failures++;
        }
        if (access(tl_path("pwned"), F_OK) == 0) {
            print_error("case \"%s\" ran a shell command\n", c->name);
            failures++;
        }
    }
    print_message("robustness: %zu hostile tables and requests\n",
                  sizeof(cases) / sizeof(cases[0]));
    sb_free(&allow);
    sb_free(&deny);
    sb_free(&want);
    sb_free(&text);
    assert_int_equal(failures, 0);
}

/* A string of n copies of c (caller frees). */
static char *filled(char c, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* NULL for every pointer argument of the API's functions (D5 for
 * hosts_ctl; Debian crashes on all of them). */
static void test_null_arguments(void **state)
{
    char buf[16] = "x";
    FILE *fp;
    volatile int jumped = 0;
    char *allow = hosts_allow_table, *deny = hosts_deny_table;

    (void)state;
    tl_tables("unknown: UNKNOWN@UNKNOWN\n", "ALL: ALL\n");
    assert_int_equal(hosts_access(NULL), 0);
    tl_assert_log("3 warning: hosts_access: no request; access denied\n");
    assert_int_equal(hosts_ctl(NULL, NULL, NULL, NULL), 1);
    assert_null(request_init(NULL, RQ_DAEMON, "sshd", 0));
    assert_null(request_set(NULL, RQ_DAEMON, "sshd", 0));
    assert_string_equal(eval_user(NULL), "unknown");
    assert_string_equal(eval_hostname(NULL), "unknown");
    assert_string_equal(eval_hostaddr(NULL), "unknown");
    assert_string_equal(eval_hostinfo(NULL), "unknown");
    assert_string_equal(eval_client(NULL), "unknown");
    assert_string_equal(eval_server(NULL), "unknown");
    assert_string_equal(eval_port(NULL), "0");
    sock_host(NULL);
    sock_hostname(NULL);
    sock_hostaddr(NULL);
    assert_null(split_at(NULL, ':'));
    assert_int_equal(dot_quad_addr(NULL), 0xffffffffUL);
    assert_int_equal(cidr_mask_addr(NULL), 0);
    fp = fopen(tl_write("lines", "a\nb\n"), "r");
    assert_non_null(fp);
    assert_null(xgets(NULL, 16, fp));
    assert_null(xgets(buf, 16, NULL));
    assert_null(xgets(buf, 0, fp));
    assert_null(xgets(buf, -5, fp));
    assert_ptr_equal(xgets(buf, 16, fp), buf);
    assert_string_equal(buf, "a\n");
    fclose(fp);
    tcpd_warn(NULL);
    if (setjmp(tcpd_buf) == 0)
        tcpd_jump(NULL);
    else
        jumped = 1;
    assert_int_equal(jumped, 1);
    tl_assert_log("");

    /* No table names at all: Debian's fopen(NULL) fails with EFAULT, an
     * error in the deny table denies. */
    hosts_allow_table = NULL;
    hosts_deny_table = NULL;
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    tl_assert_log("3 warning: cannot open (null): Bad address\n"
                  "3 warning: cannot open (null): Bad address\n");
    hosts_allow_table = allow;
    hosts_deny_table = deny;
}

/* Over-long strings are cut to 127 bytes, as Debian cuts them; fields a
 * caller filled by hand without a terminator are cut at their last byte;
 * a request whose endpoints do not point back at it still works. */
static void test_long_arguments(void **state)
{
    char *huge = filled('a', 1 << 20), *rule;
    struct request_info r;

    (void)state;
    rule = filled('a', 127);
    tl_tables("", "");
    {
        struct strbuf sb = STRBUF_INIT;
        sb_printf(&sb, "%s: ALL\nALL: %s\nALL: %s@ALL\n", rule, rule, rule);
        tl_write("hosts.deny", sb_str(&sb));
        sb_free(&sb);
    }
    assert_int_equal(tl_ctl(huge, "", "10.0.0.1", ""), 0);
    assert_int_equal(tl_ctl("sshd", huge, "10.0.0.1", ""), 0);
    assert_int_equal(tl_ctl("sshd", "", huge, ""), 0);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", huge), 0);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", rule + 1), 1);
    request_init(&r, RQ_DAEMON, huge, RQ_USER, huge, RQ_CLIENT_NAME, huge,
                 RQ_CLIENT_ADDR, huge, RQ_SERVER_NAME, huge, RQ_SERVER_ADDR,
                 huge, 0);
    assert_int_equal(strlen(r.daemon), 127);
    assert_int_equal(strlen(r.server->addr), 127);
    assert_int_equal(hosts_access(&r), 0);

    /* Unterminated fields. */
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "10.0.0.1", 0);
    memset(r.daemon, 'a', sizeof(r.daemon));
    memset(r.client->name, 'b', sizeof(r.client->name));
    memset(r.pid, '9', sizeof(r.pid));
    r.client->request = NULL;
    r.server->request = NULL;
    assert_int_equal(hosts_access(&r), 0);
    assert_int_equal(strlen(r.daemon), 127);
    assert_int_equal(strlen(r.client->name), 127);
    tl_assert_log("");
    free(rule);
    free(huge);
}

/* Tables and lists that are not regular files: nothing hangs, nothing
 * fills memory. */
static void test_special_files(void **state)
{
    static char fifo[512];
    int writer;

    (void)state;
    tl_tables("", "ALL: /dev/zero 10.0.0.1\n");
    /* /dev/zero as a host list: cut at 16 MiB, a warning; what the rest
     * would say is unknown, so the decision denies. */
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
    {
        char want[1024];
        snprintf(want, sizeof(want),
                 "3 warning: %s, line 1: open /dev/zero: File too large\n"
                 "3 warning: access denied: %s could not be evaluated\n",
                 hosts_deny_table, hosts_deny_table);
        tl_assert_log(want);
    }
    tl_tables("", NULL);
    /* /dev/zero as the deny table: an error, so denied. */
    hosts_deny_table = "/dev/zero";
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    tl_assert_log("3 warning: cannot open /dev/zero: File too large\n"
                  "3 warning: access denied: /dev/zero could not be "
                  "evaluated\n");
    /* /dev/null: empty. */
    hosts_deny_table = "/dev/null";
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    tl_assert_log("");

    /* A FIFO without a writer reads as empty (Debian waits for one). */
    snprintf(fifo, sizeof(fifo), "%s", tl_path("fifo"));
    assert_int_equal(mkfifo(fifo, 0600), 0);
    hosts_deny_table = fifo;
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    tl_assert_log("");
    /* A writer that says nothing: an error, denied. */
    writer = open(fifo, O_RDWR | O_NONBLOCK);
    assert_true(writer >= 0);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    {
        char want[2048];
        snprintf(want, sizeof(want),
                 "3 warning: cannot open %s: Resource temporarily "
                 "unavailable\n"
                 "3 warning: access denied: %s could not be evaluated\n",
                 fifo, fifo);
        tl_assert_log(want);
    }
    close(writer);
}

/* The caller's errno comes back as it was, whatever the tables did. */
static void test_errno_kept(void **state)
{
    static char unreadable[512];

    (void)state;
    tl_tables(NULL, NULL);
    errno = EINTR;
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(errno, EINTR);
    tl_tables("", NULL);
    snprintf(unreadable, sizeof(unreadable), "%s", tl_path("hosts.allow/x"));
    hosts_deny_table = unreadable;
    errno = 0;
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    assert_int_equal(errno, 0);
    tl_log_clear();
}

/* Reads a small file of the test directory; "" when it is missing. */
static const char *slurp(const char *name, struct strbuf *sb)
{
    FILE *fp = fopen(tl_path(name), "r");
    char buf[4096];
    size_t n;

    sb_reset(sb);
    if (fp == NULL)
        return "";
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
        sb_append(sb, buf, n);
    fclose(fp);
    return sb_str(sb);
}

/* Expansions of tens of kilobytes (D3: Debian exits the caller after
 * 8 KB) and names and users full of shell metacharacters, which reach
 * the shell only through the filter. */
static void test_expansions(void **state)
{
    struct strbuf rules = STRBUF_INIT, out = STRBUF_INIT;
    char *user = filled('u', 127), *host = filled('h', 127);
    char dir[512];
    const char *text;

    (void)state;
    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    /* 200 x %c of 255 bytes: 51 KB of command line, and 51 KB of
     * environment. */
    sb_printf(&rules, "sshd: 10.0.0.1: setenv HUGE ");
    repeat(&rules, "%c", 200);
    sb_printf(&rules, " : spawn echo ");
    repeat(&rules, "%c", 200);
    sb_printf(&rules, " > %sbig.txt\n", dir);
    /* Every letter, for names that are all metacharacters. */
    sb_printf(&rules,
              "ALL: 10.0.0.2: spawn echo %%a %%c %%d %%h %%n %%u %%s > "
              "%smeta.txt\n",
              dir);
    tl_tables(sb_str(&rules), "ALL: ALL\n");
    assert_int_equal(tl_ctl("sshd", host, "10.0.0.1", user), 1);
    tl_assert_log("");
    text = slurp("big.txt", &out);
    assert_int_equal(strlen(text), 200 * 255 + 1);
    assert_int_equal(strspn(text, "uh@"), 200 * 255);
    assert_non_null(getenv("HUGE"));
    assert_int_equal(strlen(getenv("HUGE")), 200 * 255);
    unsetenv("HUGE");

    assert_int_equal(tl_ctl("in;etd`id`", "$(touch pwned)\n;x", "10.0.0.2",
                            "`touch pwned`|&<>'\"\\ *?"),
                     1);
    tl_assert_log("");
    assert_string_equal(
        slurp("meta.txt", &out),
        "10.0.0.2 _touch_pwned___________@__touch_pwned___x in_etd_id_ "
        "__touch_pwned___x __touch_pwned___x _touch_pwned___________ "
        "in_etd_id_\n");
    assert_int_equal(access(tl_path("pwned"), F_OK), -1);
    assert_int_equal(access("pwned", F_OK), -1);
    free(user);
    free(host);
    sb_free(&rules);
    sb_free(&out);
}

/* NULL for the pointer arguments of the option API.  refuse() and
 * clean_exit() end the process by contract: in a child, that must be an
 * exit, never a crash. */
static void test_null_option_arguments(void **state)
{
    struct request_info r;
    struct sockaddr_in sa;
    char buf[64] = "x";
    volatile int jumped = 0;
    pid_t pid;
    int status, which;

    (void)state;
    request_init(&r, RQ_DAEMON, "sshd", 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    if ((jumped = setjmp(tcpd_buf)) == 0)
        process_options(NULL, &r);
    assert_int_equal(jumped, AC_DENY);
    tl_assert_log("3 error: missing option name\n");
    if ((jumped = setjmp(tcpd_buf)) == 0)
        process_options("allow", NULL);
    assert_int_equal(jumped, AC_DENY);
    tl_assert_log("3 error: no request for the options\n");
    assert_ptr_equal(percent_x(buf, sizeof(buf), NULL, &r), buf);
    assert_string_equal(buf, "");
    assert_null(percent_x(NULL, 10, "%d", &r));
    assert_ptr_equal(percent_x(buf, sizeof(buf), "%d-%u", NULL), buf);
    assert_string_equal(buf, "unknown-unknown");
    assert_null(percent_m(NULL, "%m"));
    assert_ptr_equal(percent_m(buf, NULL), buf);
    assert_string_equal(buf, "");
    shell_cmd(NULL);
    rfc931(NULL, (struct sockaddr *)&sa, buf);
    assert_string_equal(buf, "unknown");
    rfc931((struct sockaddr *)&sa, NULL, buf);
    assert_string_equal(buf, "unknown");
    rfc931((struct sockaddr *)&sa, (struct sockaddr *)&sa, NULL);
    fix_options(NULL);
    tl_assert_log("");

    for (which = 0; which < 2; which++) {
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            if (which == 0)
                refuse(NULL);
            else
                clean_exit(NULL);
            _exit(3); /* they must not return */
        }
        /* Both pause 5 s before exiting: a crash comes before that. */
        usleep(300000);
        assert_int_equal(waitpid(pid, &status, WNOHANG), 0);
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    }
}

/* Sizes of unbounded input: a size that would overflow is refused, the
 * buffer or array left as it was. */
static void test_size_overflow(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    size_t cap = 0;
    int *a, *b;

    (void)state;
    assert_true(sb_puts(&sb, "kept"));
    assert_false(sb_reserve(&sb, SIZE_MAX - 2));
    assert_true(sb_failed(&sb));
    assert_string_equal(sb.data, "kept");
    sb_free(&sb);

    a = array_grow(NULL, &cap, sizeof(*a), 4);
    assert_non_null(a);
    assert_int_equal(cap, 4);
    b = array_grow(a, &cap, sizeof(*b), 4);
    assert_non_null(b);
    assert_int_equal(cap, 8);
    cap = SIZE_MAX / 2 / sizeof(*b) + 1;
    assert_null(array_grow(b, &cap, sizeof(*b), 4));
    assert_int_equal(cap, SIZE_MAX / 2 / sizeof(*b) + 1);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_null_arguments, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_long_arguments, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_errno_kept, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_size_overflow),
        cmocka_unit_test_setup_teardown(test_special_files, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_expansions, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_null_option_arguments, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
