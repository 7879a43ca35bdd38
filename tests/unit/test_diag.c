/*
 * test_diag.c - every diagnostic goes through diag.h.
 *
 * diag.h promises: "warning: " or "error: ", then "<file>, line <n>: "
 * when a location is known (this thread's pushed one, else the exported
 * tcpd_context), then the message, at LOG_ERR; %m as strerror() of the
 * errno at the call, which the call leaves as it was; file names never
 * part of a format (compat-policy D6); diag_log() without prefix at its
 * own priority; diag_leave_context() leaving tcpd_context as Debian's
 * long jump does (behaviour page 8.9); messages never cut.  The rows
 * are captured through the test sink, with their exact text.
 */
#include "testlib.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "diag.h"
#include "exports.h"

enum how { WARN, ERROR, LOG_INFO_LINE, TCPD_WARN };

static const struct diag_case {
    const char *name;
    enum how how;
    const char *fmt; /* takes one string argument, arg */
    const char *arg;
    int err;                /* errno at the call */
    const char *where_file; /* a pushed location (where_line > 0) */
    int where_line;
    const char *context_file; /* tcpd_context (NULL: none) */
    int context_line;
    const char *want;
} cases[] = {
    {.name = "warning",
     .how = WARN,
     .fmt = "x %s",
     .arg = "y",
     .want = "3 warning: x y\n"},
    {.name = "error",
     .how = ERROR,
     .fmt = "x %s",
     .arg = "y",
     .want = "3 error: x y\n"},
    {.name = "a location",
     .how = WARN,
     .fmt = "bad %s",
     .arg = "z",
     .where_file = "/etc/hosts.allow",
     .where_line = 7,
     .want = "3 warning: /etc/hosts.allow, line 7: bad z\n"},
    {.name = "an error's location",
     .how = ERROR,
     .fmt = "%s",
     .arg = "e",
     .where_file = "/etc/hosts.deny",
     .where_line = 1,
     .want = "3 error: /etc/hosts.deny, line 1: e\n"},
    {.name = "tcpd_context outside a scan",
     .how = WARN,
     .fmt = "%s",
     .arg = "m",
     .context_file = "/etc/x",
     .context_line = 9,
     .want = "3 warning: /etc/x, line 9: m\n"},
    {.name = "a scan's location wins",
     .how = WARN,
     .fmt = "%s",
     .arg = "m",
     .where_file = "/in/scan",
     .where_line = 3,
     .context_file = "/etc/x",
     .context_line = 9,
     .want = "3 warning: /in/scan, line 3: m\n"},
    {.name = "a pushed location without a file",
     .how = WARN,
     .fmt = "%s",
     .arg = "m",
     .where_line = 3,
     .context_file = "/etc/x",
     .context_line = 9,
     .want = "3 warning: m\n"},
    {.name = "line 0",
     .how = WARN,
     .fmt = "%s",
     .arg = "m",
     .context_file = "/etc/x",
     .want = "3 warning: /etc/x, line 0: m\n"},
    {.name = "%m",
     .how = WARN,
     .fmt = "open %s: %m",
     .arg = "/x",
     .err = ENOENT,
     .want = "3 warning: open /x: No such file or directory\n"},
    {.name = "%m twice",
     .how = ERROR,
     .fmt = "%m %s %m",
     .arg = "and",
     .err = EACCES,
     .want = "3 error: Permission denied and Permission denied\n"},
    {.name = "%%m is no %m",
     .how = WARN,
     .fmt = "%%m %s",
     .arg = "x",
     .err = ENOENT,
     .want = "3 warning: %m x\n"},
    {.name = "%%%m",
     .how = WARN,
     .fmt = "%%%m%s",
     .arg = "",
     .err = EPERM,
     .want = "3 warning: %Operation not permitted\n"},
    {.name = "a percent in an argument",
     .how = WARN,
     .fmt = "%s",
     .arg = "%s%n%m",
     .want = "3 warning: %s%n%m\n"},
    /* D6: a path with '%' is an argument, never a format. */
    {.name = "a percent in the file name (D6)",
     .how = WARN,
     .fmt = "%s",
     .arg = "m",
     .where_file = "/etc/h%s%n%m",
     .where_line = 2,
     .want = "3 warning: /etc/h%s%n%m, line 2: m\n"},
    {.name = "a percent in tcpd_context (D6)",
     .how = WARN,
     .fmt = "%s",
     .arg = "m",
     .context_file = "/%x%n",
     .context_line = 1,
     .want = "3 warning: /%x%n, line 1: m\n"},
    /* diag_log(): no prefix, no location, its own priority. */
    {.name = "a plain line",
     .how = LOG_INFO_LINE,
     .fmt = "aclexec returned %s",
     .arg = "1",
     .where_file = "/t",
     .where_line = 4,
     .want = "6 aclexec returned 1\n"},
    {.name = "a plain line with %m",
     .how = LOG_INFO_LINE,
     .fmt = "%s: %m",
     .arg = "x",
     .err = EIO,
     .want = "6 x: Input/output error\n"},
    /* The exported tcpd_warn(): a warning at tcpd_context. */
    {.name = "tcpd_warn",
     .how = TCPD_WARN,
     .fmt = "w %s",
     .arg = "1",
     .context_file = "/etc/y",
     .context_line = 5,
     .want = "3 warning: /etc/y, line 5: w 1\n"},
};

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
static void report(const struct diag_case *c)
{
    errno = c->err;
    switch (c->how) {
    case WARN:
        diag_warn(c->fmt, c->arg);
        break;
    case ERROR:
        diag_error(c->fmt, c->arg);
        break;
    case LOG_INFO_LINE:
        diag_log(LOG_INFO, c->fmt, c->arg);
        break;
    case TCPD_WARN:
        tcpd_warn((char *)c->fmt, c->arg);
        break;
    }
}
#pragma GCC diagnostic pop

static void test_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(cases); i++) {
        const struct diag_case *c = &cases[i];
        struct diag_where where = {c->where_file, c->where_line};
        const struct diag_where *previous = NULL;
        bool pushed = c->where_file != NULL || c->where_line > 0;

        tcpd_context.file = (char *)c->context_file;
        tcpd_context.line = c->context_line;
        if (pushed)
            previous = diag_push(&where);
        tl_log_clear();
        report(c);
        if (errno != c->err) {
            print_error("%s: errno %d after the call, was %d\n", c->name,
                        errno, c->err);
            failures++;
        }
        if (pushed) {
            assert_ptr_equal(diag_current(), &where);
            diag_pop(previous);
        }
        if (strcmp(tl_log(), c->want) != 0) {
            print_error("%s: logged \"%s\", want \"%s\"\n", c->name, tl_log(),
                        c->want);
            failures++;
        }
    }
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
    tl_log_clear();
    assert_int_equal(failures, 0);
}

/* Pushes nest and pop back; the location is per thread. */
static void *other_thread(void *arg)
{
    (void)arg;
    return (void *)diag_current();
}

static void test_push_pop(void **state)
{
    struct diag_where a = {"/a", 1}, b = {"/b", 2};
    const struct diag_where *pa, *pb;
    pthread_t t;
    void *seen;

    (void)state;
    assert_null(diag_current());
    pa = diag_push(&a);
    assert_null(pa);
    pb = diag_push(&b);
    assert_ptr_equal(pb, &a);
    assert_ptr_equal(diag_current(), &b);
    assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
    assert_int_equal(pthread_join(t, &seen), 0);
    assert_null(seen);
    diag_warn("x");
    tl_assert_log("3 warning: /b, line 2: x\n");
    diag_pop(pb);
    diag_warn("x");
    tl_assert_log("3 warning: /a, line 1: x\n");
    diag_pop(pa);
    assert_null(diag_current());
}

/* diag_leave_context() leaves tcpd_context at a rule, as Debian's jump
 * out of a scan does; warnings outside a scan then carry it. */
static void test_leave_context(void **state)
{
    struct diag_where w = {"/etc/hosts.deny", 12};

    (void)state;
    tcpd_context.file = NULL;
    diag_leave_context(&w);
    assert_string_equal(tcpd_context.file, "/etc/hosts.deny");
    assert_int_equal(tcpd_context.line, 12);
    diag_warn("later");
    tl_assert_log("3 warning: /etc/hosts.deny, line 12: later\n");
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
}

/* tcpd_jump() reports an error and jumps to tcpd_buf with AC_DENY;
 * tcpd_warn(NULL) and tcpd_jump(NULL) say nothing. */
static void test_jump(void **state)
{
    volatile int code;

    (void)state;
    tcpd_context.file = "/j";
    tcpd_context.line = 3;
    if ((code = setjmp(tcpd_buf)) == 0)
        tcpd_jump("bad %s", "thing");
    assert_int_equal(code, AC_DENY);
    tl_assert_log("3 error: /j, line 3: bad thing\n");
    tcpd_warn(NULL);
    if ((code = setjmp(tcpd_buf)) == 0)
        tcpd_jump(NULL);
    assert_int_equal(code, AC_DENY);
    tl_assert_log("");
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
}

/* No message is cut, however long. */
static void test_long_message(void **state)
{
    char *big = malloc(200001);
    struct strbuf want = STRBUF_INIT;

    (void)state;
    assert_non_null(big);
    memset(big, 'x', 200000);
    big[200000] = '\0';
    diag_warn("%s%s", big, "!");
    sb_printf(&want, "3 warning: %s!\n", big);
    tl_assert_log(sb_str(&want));
    diag_log(LOG_DEBUG, "%s", big);
    sb_reset(&want);
    sb_printf(&want, "7 %s\n", big);
    tl_assert_log(sb_str(&want));
    sb_free(&want);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_push_pop, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_leave_context, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_jump, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_long_message, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
