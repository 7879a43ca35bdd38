/*
 * test_hostlist.c - "/file" host patterns (hostlist.h, behaviour page
 * 2.4.2, compat-policy D4).
 *
 * A list is white-space separated words ('#' is no comment) matched in
 * turn until one matches, each a host pattern (a net/mask, a wildcard,
 * another list...).  A missing list is silently no match; any other
 * open error is Debian's warning and no match; a list this process
 * cannot read for want of descriptors is an error.  Nesting is bounded
 * three ways (depth, a list naming itself, lists read in all), each
 * with one warning per client pattern.  Each row writes its lists in
 * the test directory ("%T" in rows) and matches a client list against
 * one request, with the exact log.
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "hostlist.h"
#include "match.h"

/* A list file of the test directory. */
struct file {
    const char *name, *text;
};

static const struct list_case {
    const char *name;
    struct file files[4]; /* the chains d, e and g are written first */
    const char *clients;  /* "%T" is the test directory */
    const char *host, *addr;
    enum match_result match;
    const char *log; /* NULL: "" */
} cases[] = {
    {.name = "a word matches",
     .files = {{"l", "10.0.0.9 10.0.0.1\n"}},
     .clients = "%T/l",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "no word matches",
     .files = {{"l", "10.0.0.9 10.0.0.8\n"}},
     .clients = "%T/l",
     .addr = "10.0.0.1",
     .match = MATCH_NO},
    {.name = "# is no comment (2.4.2)",
     .files = {{"l", "# comment 10.0.0.7\n"}},
     .clients = "%T/l",
     .addr = "10.0.0.7",
     .match = MATCH_YES},
    {.name = "words are host patterns",
     .files = {{"l", "10.0.0.0/8\n*.example .org\n"}},
     .clients = "%T/l",
     .host = "a.example",
     .addr = "192.0.2.1",
     .match = MATCH_YES},
    {.name = "a net/mask word",
     .files = {{"l", "10.0.0.0/255.0.0.0"}},
     .clients = "%T/l",
     .addr = "10.1.2.3",
     .match = MATCH_YES},
    {.name = "a suffix word meets the name",
     .files = {{"l", ".example\n"}},
     .clients = "%T/l",
     .host = "h.example",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "KNOWN in a list",
     .files = {{"l", "KNOWN"}},
     .clients = "%T/l",
     .host = "h",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "a NUL cuts a word",
     .files = {{"l", "x"}},
     .clients = "%T/nul",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "an empty list",
     .files = {{"l", ""}},
     .clients = "%T/l",
     .addr = "10.0.0.1",
     .match = MATCH_NO},
    {.name = "a list of lists",
     .files = {{"a", "%T/b %T/c"}, {"b", "10.0.0.2"}, {"c", "10.0.0.1"}},
     .clients = "%T/a",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "in a client list with EXCEPT",
     .files = {{"l", "10.0.0.0/8"}},
     .clients = "%T/l EXCEPT 10.0.0.1",
     .addr = "10.0.0.1",
     .match = MATCH_NO},
    {.name = "user@/file",
     .files = {{"l", "10.0.0.1"}},
     .clients = "bob@%T/l",
     .addr = "10.0.0.1",
     .match = MATCH_NO},
    /* Lists that cannot be read (2.4.2). */
    {.name = "a missing list is silent",
     .clients = "%T/none",
     .addr = "10.0.0.1",
     .match = MATCH_NO},
    {.name = "a directory is no match",
     .clients = "%T",
     .addr = "10.0.0.1",
     .match = MATCH_NO},
    {.name = "a path through a file",
     .files = {{"l", "x"}},
     .clients = "%T/l/x 10.0.0.1",
     .addr = "10.0.0.1",
     .match = MATCH_YES,
     .log = "3 warning: open %T/l/x: Not a directory\n"},
    /* The bounds of D4: one warning per client pattern. */
    {.name = "16 deep",
     .clients = "%T/d0",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "17 deep",
     .clients = "%T/e0",
     .addr = "10.0.0.1",
     .match = MATCH_NO,
     .log = "3 warning: %T/e16: host list files nested too deep; "
            "ignored\n"},
    {.name = "a list that names itself",
     .files = {{"s", "%T/s 10.0.0.1"}},
     .clients = "%T/s",
     .addr = "10.0.0.1",
     .match = MATCH_YES,
     .log = "3 warning: %T/s: host list file names itself; ignored\n"},
    {.name = "lists that name each other",
     .files = {{"p", "%T/q"}, {"q", "%T/p 10.0.0.1"}},
     .clients = "%T/p",
     .addr = "10.0.0.1",
     .match = MATCH_YES,
     .log = "3 warning: %T/p: host list file names itself; ignored\n"},
    {.name = "one warning for a pattern, one for the next",
     .files = {{"s", "%T/s %T/s"}},
     .clients = "%T/s %T/s",
     .addr = "10.0.0.1",
     .match = MATCH_NO,
     .log = "3 warning: %T/s: host list file names itself; ignored\n"
            "3 warning: %T/s: host list file names itself; ignored\n"},
    {.name = "a list named twice, not nested, is read twice",
     .files = {{"t", "%T/u %T/u 10.0.0.1"}, {"u", "10.0.0.2"}},
     .clients = "%T/t",
     .addr = "10.0.0.1",
     .match = MATCH_YES},
    {.name = "more than 1000 lists for one pattern",
     .clients = "%T/g0",
     .addr = "10.0.0.1",
     .match = MATCH_NO,
     .log = "3 warning: %T/g5: too many host list files for one "
            "pattern; ignored\n"},
};

/* Chains of n lists named prefix0..prefix<n-1>, the last holding the
 * address. */
static void chain(const char *prefix, int n)
{
    struct strbuf text = STRBUF_INIT;
    char name[16];
    int i;

    for (i = 0; i < n; i++) {
        sb_reset(&text);
        snprintf(name, sizeof(name), "%s%d", prefix, i);
        if (i + 1 < n)
            sb_printf(&text, "%s%s%d\n", tl_path(""), prefix, i + 1);
        else
            sb_puts(&text, "10.0.0.1\n");
        tl_write(name, sb_str(&text));
    }
    sb_free(&text);
}

/* Six levels naming the next level four times: 4^5 lists to read
 * without the bound. */
static void fan_out(void)
{
    struct strbuf text = STRBUF_INIT;
    char name[16];
    int i, k;

    for (i = 0; i < 6; i++) {
        sb_reset(&text);
        snprintf(name, sizeof(name), "g%d", i);
        for (k = 0; i < 5 && k < 4; k++)
            sb_printf(&text, "%sg%d ", tl_path(""), i + 1);
        if (i == 5)
            sb_puts(&text, "10.0.0.9");
        tl_write(name, sb_str(&text));
    }
    sb_free(&text);
}

static void test_cases(void **state)
{
    struct strbuf text = STRBUF_INIT, clients = STRBUF_INIT;
    struct strbuf want = STRBUF_INIT;
    size_t i, f;
    int failures = 0;

    (void)state;
    chain("d", 16);
    chain("e", 17);
    fan_out();
    tl_write_bytes("nul", "10.0.0.9\0garbage 10.0.0.1\n", 26);
    for (i = 0; i < TL_COUNT(cases); i++) {
        const struct list_case *c = &cases[i];
        struct request_info r;
        enum match_result got;

        for (f = 0; f < TL_COUNT(c->files) && c->files[f].name != NULL; f++) {
            sb_reset(&text);
            tl_expand(&text, c->files[f].text);
            tl_write(c->files[f].name, sb_str(&text));
        }
        cache_flush();
        sb_reset(&clients);
        tl_expand(&clients, c->clients);
        request_init(&r, RQ_DAEMON, "sshd", RQ_USER, "eve", 0);
        if (c->host != NULL)
            request_set(&r, RQ_CLIENT_NAME, c->host, 0);
        if (c->addr != NULL)
            request_set(&r, RQ_CLIENT_ADDR, c->addr, 0);
        tl_log_clear();
        got = (enum match_result)tl_match("ALL", sb_str(&clients), &r);
        sb_reset(&want);
        tl_expand(&want, c->log != NULL ? c->log : "");
        if (got != c->match || strcmp(tl_log(), sb_str(&want)) != 0) {
            print_error("%s: %d (want %d), log:\n%swant:\n%s", c->name, got,
                        c->match, tl_log(), sb_str(&want));
            failures++;
        }
    }
    sb_free(&text);
    sb_free(&clients);
    sb_free(&want);
    assert_int_equal(failures, 0);
}

/* A list this process may not open: Debian's warning, no match (as
 * nobody, in a child). */
static void test_unreadable(void **state)
{
    char path[600], clients[700];
    pid_t pid;
    int status, p[2];
    struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;

    (void)state;
    snprintf(path, sizeof(path), "%s", tl_write("secret", "10.0.0.1\n"));
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(chmod(tl_path(""), 0755), 0);
    snprintf(clients, sizeof(clients), "%s 10.0.0.2", path);
    assert_int_equal(pipe(p), 0);
    cache_flush();
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct request_info r;
        int got;

        close(p[0]);
        if (geteuid() != 0 && chmod(path, 0) != 0)
            _exit(11);
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
        tl_log_clear();
        got = tl_match("ALL", clients, &r);
        (void)!write(p[1], tl_log(), strlen(tl_log()));
        _exit(got == MATCH_NO ? 0 : 12);
    }
    close(p[1]);
    {
        char buf[1024];
        ssize_t n;
        while ((n = read(p[0], buf, sizeof(buf))) > 0)
            sb_append(&out, buf, (size_t)n);
    }
    close(p[0]);
    status = tl_wait(pid, 10);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    sb_printf(&want, "3 warning: open %s: Permission denied\n", path);
    assert_string_equal(sb_str(&out), sb_str(&want));
    sb_free(&out);
    sb_free(&want);
}

/* A list that cannot be read for want of descriptors is an error, not
 * "no match": the decision must deny (resource.h). */
static void test_no_descriptors(void **state)
{
    struct request_info r;
    char clients[700], want[1024];
    int got;

    (void)state;
    snprintf(clients, sizeof(clients), "%s", tl_write("l", "10.0.0.9\n"));
    cache_flush();
    tl_fds_exhaust();
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    tl_log_clear();
    got = tl_match("ALL", clients, &r);
    tl_fds_back();
    assert_int_equal(got, MATCH_ERROR);
    snprintf(want, sizeof(want), "3 warning: open %s: Too many open files\n",
             clients);
    tl_assert_log(want);
    /* With descriptors back, the list is read. */
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.9", 0);
    assert_int_equal(tl_match("ALL", clients, &r), MATCH_YES);
    tl_assert_log("");
}

/* A list rewritten between two decisions is read again. */
static void test_changed_list(void **state)
{
    struct request_info r;
    char clients[700];

    (void)state;
    snprintf(clients, sizeof(clients), "%s", tl_write("l", "10.0.0.9\n"));
    cache_flush();
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    assert_int_equal(tl_match("ALL", clients, &r), MATCH_NO);
    tl_write("l", "10.0.0.1\n");
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    assert_int_equal(tl_match("ALL", clients, &r), MATCH_YES);
    unlink(clients);
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    assert_int_equal(tl_match("ALL", clients, &r), MATCH_NO);
    tl_assert_log("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_descriptors, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_changed_list, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
