/*
 * test_options_fork.c - the options that start processes or change the
 * process: spawn, aclexec (compat-policy D8), nice, user and group
 * (D9).  Split from test_options.c, whose table changes nothing but
 * process-wide settings.
 *
 * The options that change the identity or the nice value run in a
 * forked child whose diagnostics, and what it reports of itself, come
 * back through a pipe; the parent waits for it with a bound.  The spawn
 * rows check, besides the verdict and the exact log, that the command
 * really ran.  spawn, twist and aclexec as processes (descriptors,
 * signals, failures) are test_child.c's.
 */
#include "testlib.h"

#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "options.h"
#include "testnet.h"

/* spawn rows: "ALL: ALL: <options>" in hosts.allow, for (sshd, host,
 * 1.2.3.4, bob), with hosts_access_verbose = 1; "%T" is the test
 * directory. */
static const struct spawn_case {
    const char *name;
    const char *options;
    int granted;
    const char *log;     /* NULL: "" */
    const char *creates; /* a file of the test directory the command
                            writes, and what it holds; NULL: none */
    const char *holds;
} spawns[] = {
    {.name = "spawn then option",
     .options = "spawn echo %d %a > %T/out : umask 022",
     .granted = 1,
     .log = "7 option:   spawn echo sshd 1.2.3.4 > %T/out\n"
            "7 option:   umask 022\n",
     .creates = "out",
     .holds = "sshd 1.2.3.4\n"},
    {.name = "spawn runs before a later deny",
     .options = "spawn echo %u > %T/out : deny",
     .log = "7 option:   spawn echo bob > %T/out\n"
            "7 option:   deny \n",
     .creates = "out",
     .holds = "bob\n"},
    {.name = "spawn of a trailing percent",
     .options = "spawn echo x > %T/out; true %",
     .granted = 1,
     .log = "7 option:   spawn echo x > %T/out; true %\n",
     .creates = "out",
     .holds = "x\n"},
    {.name = "spawn of nothing",
     .options = "spawn %x",
     .granted = 1,
     .log = "3 warning: %A, line 1: unrecognized %x\n"
            "7 option:   spawn \n"},
    {.name = "spawn in the deny table does not grant",
     .options = "spawn true",
     .log = "7 option:   spawn true\n"},
};

static void test_spawn(void **state)
{
    struct strbuf rule = STRBUF_INIT, options = STRBUF_INIT;
    struct strbuf want = STRBUF_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(spawns); i++) {
        const struct spawn_case *c = &spawns[i];
        bool in_deny = strstr(c->name, "deny table") != NULL;
        const char *got_file;
        int got;

        sb_reset(&options);
        tl_expand(&options, c->options);
        sb_reset(&rule);
        sb_printf(&rule, "ALL: ALL: %s\n", sb_str(&options));
        tl_tables(in_deny ? "" : sb_str(&rule), in_deny ? sb_str(&rule) : "");
        if (c->creates != NULL)
            unlink(tl_path(c->creates));
        tl_option_state(1);
        tl_log_clear();
        got = tl_ctl("sshd", "host", "1.2.3.4", "bob");
        sb_reset(&want);
        tl_expand(&want, c->log != NULL ? c->log : "");
        got_file = c->creates != NULL ? tl_read(c->creates) : NULL;
        if (got != c->granted || strcmp(tl_log(), sb_str(&want)) != 0 ||
            (c->creates != NULL &&
             (got_file == NULL || strcmp(got_file, c->holds) != 0))) {
            print_error("case \"%s\": verdict %d (want %d), file \"%s\", "
                        "log:\n%swant:\n%s",
                        c->name, got, c->granted,
                        got_file != NULL ? got_file : "(none)", tl_log(),
                        sb_str(&want));
            failures++;
        }
    }
    tl_option_state(0);
    sb_free(&rule);
    sb_free(&options);
    sb_free(&want);
    assert_int_equal(failures, 0);
}

/*
 * Runs fn in a forked child whose diagnostics, and whatever fn writes to
 * the descriptor it is given, come back in out.  For options that change
 * the identity or the nice value of the process.
 */
static void in_child(void (*fn)(int fd), struct strbuf *out)
{
    static int fd;
    int p[2], status;
    pid_t pid;

    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        fd = p[1];
        diag_set_sink(tn_log_to_fd, &fd);
        fn(fd);
        _exit(0);
    }
    close(p[1]);
    tn_read_all(p[0], out);
    close(p[0]);
    status = tl_wait(pid, 30);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Writes a line to fd (child side of in_child). */
static void say(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void say(int fd, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    sb_putc(&sb, '\n');
    (void)!write(fd, sb_str(&sb), sb.len);
    sb_free(&sb);
}

/* Runs options in the child and reports result and identity. */
static void child_options(int fd, const char *options)
{
    gid_t groups[64];
    int n = getgroups(64, groups), i;
    struct strbuf list = STRBUF_INIT;

    say(fd, "result %d", (int)tl_run_options(options, -1));
    n = getgroups(64, groups);
    for (i = 0; i < n; i++)
        sb_printf(&list, " %d", (int)groups[i]);
    say(fd, "uid %d gid %d groups%s", (int)getuid(), (int)getgid(),
        sb_str(&list));
    sb_free(&list);
}

static void nice_default(int fd)
{
    int before = getpriority(PRIO_PROCESS, 0);
    say(fd, "result %d", (int)tl_run_options("nice", -1));
    say(fd, "nice +%d", getpriority(PRIO_PROCESS, 0) - before);
}

static void nice_five(int fd)
{
    int before = getpriority(PRIO_PROCESS, 0);
    say(fd, "result %d", (int)tl_run_options("nice 5", -1));
    say(fd, "nice +%d", getpriority(PRIO_PROCESS, 0) - before);
}

/* As root from nice 0: the negative result is reported like Debian's,
 * as a warning with errno 0, and the change stays. */
static void nice_negative(int fd)
{
    setpriority(PRIO_PROCESS, 0, 0);
    say(fd, "result %d", (int)tl_run_options("nice -3", -1));
    say(fd, "nice %d", getpriority(PRIO_PROCESS, 0));
}

/* A thread that says who it is, then waits for the process to end. */
struct idle {
    sem_t started;
    int tid;
};

static void *idle_thread(void *arg)
{
    struct idle *idle = arg;

    idle->tid = (int)gettid();
    sem_post(&idle->started);
    for (;;)
        pause();
    return NULL;
}

/* nice is process-wide: another thread gets the same value. */
static void nice_threads(int fd)
{
    static struct idle idle;
    struct timespec limit;
    pthread_t t;

    sem_init(&idle.started, 0, 0);
    pthread_create(&t, NULL, idle_thread, &idle);
    clock_gettime(CLOCK_REALTIME, &limit);
    limit.tv_sec += 10;
    if (sem_timedwait(&idle.started, &limit) != 0) {
        say(fd, "the thread did not start");
        return;
    }
    setpriority(PRIO_PROCESS, 0, 0);
    setpriority(PRIO_PROCESS, (id_t)idle.tid, 0);
    say(fd, "result %d", (int)tl_run_options("nice 4", -1));
    say(fd, "nice %d/%d", getpriority(PRIO_PROCESS, 0),
        getpriority(PRIO_PROCESS, (id_t)idle.tid));
}

static void require_root(void)
{
    if (geteuid() != 0)
        fail_msg("this test changes identities and must run as root");
}

static void test_nice(void **state)
{
    struct strbuf out = STRBUF_INIT;

    (void)state;
    tl_option_state(1);
    in_child(nice_default, &out);
    assert_string_equal(sb_str(&out), "7 option:   nice \nresult 0\n"
                                      "nice +10\n");
    sb_reset(&out);
    in_child(nice_five, &out);
    assert_string_equal(sb_str(&out), "7 option:   nice 5\nresult 0\n"
                                      "nice +5\n");
    sb_reset(&out);
    in_child(nice_threads, &out);
    assert_string_equal(sb_str(&out), "7 option:   nice 4\nresult 0\n"
                                      "nice 4/4\n");
    sb_reset(&out);
    require_root();
    in_child(nice_negative, &out);
    assert_string_equal(sb_str(&out),
                        "7 option:   nice -3\n"
                        "3 warning: /ctx, line 3: nice(-3): Success\n"
                        "result 0\nnice -3\n");
    sb_free(&out);
}

static void user_nobody(int fd)
{
    child_options(fd, "user nobody");
}

static void user_nobody_daemon(int fd)
{
    child_options(fd, "user nobody.daemon");
}

static void group_daemon(int fd)
{
    setgroups(2, (gid_t[]){5, 6});
    child_options(fd, "group daemon");
}

static void user_nobody_dry(int fd)
{
    dry_run = 1;
    child_options(fd, "user nobody : group daemon");
}

static void user_twice(int fd)
{
    child_options(fd, "user nobody : user root");
}

static void user_unknown(int fd)
{
    child_options(fd, "user no-such-user");
    child_options(fd, "user no-such-user.no-such-group");
    child_options(fd, "user nobody.no-such-group");
    child_options(fd, "user .daemon");
    child_options(fd, "user nobody.");
    child_options(fd, "group no-such-group");
    child_options(fd, "user 65534");
}

/* compat-policy D9: user and group change the identity outside dry-run
 * mode (groups first, then the uid), never in dry-run mode.  Debian has
 * this inverted. */
static void test_user_group(void **state)
{
    struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
    struct passwd *pw = getpwnam("nobody");
    struct group *gr = getgrnam("daemon");
    gid_t groups[64];
    int n = 64, i;

    (void)state;
    require_root();
    assert_non_null(pw);
    assert_non_null(gr);
    tl_option_state(1);

    /* "user nobody": nobody's gid and supplementary groups. */
    assert_true(getgrouplist("nobody", pw->pw_gid, groups, &n) >= 0);
    sb_printf(&want, "7 option:   user nobody\nresult 0\nuid %d gid %d groups",
              (int)pw->pw_uid, (int)pw->pw_gid);
    for (i = 0; i < n; i++)
        sb_printf(&want, " %d", (int)groups[i]);
    sb_putc(&want, '\n');
    in_child(user_nobody, &out);
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* "user nobody.daemon": the named group instead. */
    sb_reset(&out);
    sb_reset(&want);
    n = 64;
    assert_true(getgrouplist("nobody", gr->gr_gid, groups, &n) >= 0);
    sb_printf(&want,
              "7 option:   user nobody.daemon\nresult 0\nuid %d gid %d groups",
              (int)pw->pw_uid, (int)gr->gr_gid);
    for (i = 0; i < n; i++)
        sb_printf(&want, " %d", (int)groups[i]);
    sb_putc(&want, '\n');
    in_child(user_nobody_daemon, &out);
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* "group daemon": the gid, supplementary groups dropped. */
    sb_reset(&out);
    sb_reset(&want);
    sb_printf(&want,
              "7 option:   group daemon\nresult 0\nuid 0 gid %d groups\n",
              (int)gr->gr_gid);
    in_child(group_daemon, &out);
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* Dry-run: nothing changes. */
    sb_reset(&out);
    in_child(user_nobody_dry, &out);
    assert_string_equal(sb_str(&out), "7 option:   user nobody\n"
                                      "7 option:   group daemon\n"
                                      "result 0\nuid 0 gid 0 groups\n");

    /* A failing change denies with an error. */
    sb_reset(&out);
    in_child(user_twice, &out);
    sb_reset(&want);
    sb_printf(&want,
              "7 option:   user nobody\n"
              "7 option:   user root\n"
              "3 error: /ctx, line 3: setgid(root): Operation not permitted\n"
              "result 2\nuid %d gid %d groups",
              (int)pw->pw_uid, (int)pw->pw_gid);
    n = 64;
    assert_true(getgrouplist("nobody", pw->pw_gid, groups, &n) >= 0);
    for (i = 0; i < n; i++)
        sb_printf(&want, " %d", (int)groups[i]);
    sb_putc(&want, '\n');
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* Unknown names, in Debian's order and words. */
    sb_reset(&out);
    in_child(user_unknown, &out);
    assert_string_equal(
        sb_str(&out),
        "7 option:   user no-such-user\n"
        "3 error: /ctx, line 3: unknown user: \"no-such-user\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user no-such-user.no-such-group\n"
        "3 error: /ctx, line 3: unknown group: \"no-such-group\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user nobody.no-such-group\n"
        "3 error: /ctx, line 3: unknown group: \"no-such-group\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user .daemon\n"
        "3 error: /ctx, line 3: unknown user: \"\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user nobody.\n"
        "3 error: /ctx, line 3: unknown group: \"\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   group no-such-group\n"
        "3 error: /ctx, line 3: unknown group: \"no-such-group\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user 65534\n"
        "3 error: /ctx, line 3: unknown user: \"65534\"\n"
        "result 2\nuid 0 gid 0 groups\n");
    sb_free(&out);
    sb_free(&want);
}

/* Replaces every run of digits after "process " by "N". */
static void hide_pids(struct strbuf *out, const char *in)
{
    const char *p;

    while ((p = strstr(in, "process ")) != NULL) {
        p += strlen("process ");
        sb_append(out, in, (size_t)(p - in));
        sb_putc(out, 'N');
        while (*p >= '0' && *p <= '9')
            p++;
        in = p;
    }
    sb_puts(out, in);
}

/*
 * compat-policy D8: aclexec is a condition of its rule.  Exit status 0:
 * the rule applies and its later options run.  Anything else: the rule
 * does not apply, its later options do not run, and the scan goes on
 * with the next rule of the same table.  Nothing is remembered.
 */
static void test_aclexec(void **state)
{
    struct strbuf log = STRBUF_INIT, want = STRBUF_INIT;

    (void)state;
    tl_option_state(1);
    tl_tables("ALL: ALL: aclexec exit 3 : umask 077\n"
              "ALL: ALL: setenv FOO second\n",
              "");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 1);
    assert_int_equal(umask(022), 022);
    assert_string_equal(getenv("FOO"), "second");
    tl_assert_log("7 option:   aclexec exit 3\n"
                  "6 aclexec returned 1\n"
                  "7 option:   setenv FOO second\n");

    /* In hosts.deny, success denies and failure falls through. */
    tl_tables("", "ALL: ALL: aclexec test %d = sshd\n");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    assert_int_equal(tl_ctl("ftpd", "host", "1.2.3.4", "bob"), 1);
    tl_assert_log("7 option:   aclexec test sshd = sshd\n"
                  "7 option:   aclexec test ftpd = sshd\n"
                  "6 aclexec returned 1\n");

    /* Nothing sticks: a later call sees an ordinary rule (Debian would
     * grant here, behaviour page 8.3). */
    tl_tables("", "ALL: ALL: spawn true\n");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    tl_assert_log("7 option:   spawn true\n");

    /* A signal. */
    tl_tables("ALL: ALL: aclexec kill -TERM $$\n", "ALL: ALL\n");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    hide_pids(&log, tl_log());
    sb_printf(&want,
              "7 option:   aclexec kill -TERM $$\n"
              "3 warning: %s, line 1: process N exited with signal 15\n"
              "6 aclexec returned 1\n",
              hosts_allow_table);
    assert_string_equal(sb_str(&log), sb_str(&want));
    tl_log_clear();

    /* A rule whose aclexec succeeds applies, verdict and all. */
    tl_tables("ALL: ALL: aclexec true : deny\n", "");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    tl_assert_log("7 option:   aclexec true\n"
                  "7 option:   deny \n");
    sb_free(&log);
    sb_free(&want);
    tl_option_state(1);
}

/* aclexec's output goes to /dev/null, not to our stdout or stderr
 * (which under tcpd are the client). */
static void test_aclexec_quiet(void **state)
{
    struct strbuf got = STRBUF_INIT;
    int p[2], saved_out, saved_err;

    (void)state;
    tl_option_state(1);
    hosts_access_verbose = 0;
    assert_int_equal(pipe(p), 0);
    fflush(stdout);
    fflush(stderr);
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(p[1], 1);
    dup2(p[1], 2);
    close(p[1]);
    assert_int_equal(
        tl_run_options("aclexec echo out; echo err >&2; "
                       "test \"$(readlink /proc/$$/fd/0)\" = /dev/null",
                       -1),
        OPTIONS_DEFAULT);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    tn_read_all(p[0], &got);
    close(p[0]);
    assert_string_equal(sb_str(&got), "");
    tl_assert_log("");
    sb_free(&got);
    tl_option_state(1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spawn, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_nice, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_user_group, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_aclexec, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_aclexec_quiet, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
