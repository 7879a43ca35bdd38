/*
 * test_child.c - spawn, twist and aclexec as processes: what the command
 * gets (descriptors, stdio, expansion), what the caller keeps (SIGCHLD
 * handler, other children, stdout), twist on a real connection, and the
 * failures (fork, exec, dup) with Debian's messages.
 *
 * One deliberate improvement over Debian 8.12 is checked here: the
 * child inherits no descriptor but 0-2 (Debian passes on every
 * descriptor the caller left open, such as a daemon's listening socket).
 */
#include "testlib.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "child.h"
#include "exports.h"
#include "options.h"
#include "testnet.h"

/* Runs the options prefix followed by the path of a test file. */
static enum option_result run_to(int fd, const char *prefix, const char *name)
{
    char opts[1024];

    snprintf(opts, sizeof(opts), "%s%s", prefix, tl_path(name));
    return tl_run_options(opts, fd);
}

/* ---- what the command's process has when the shell starts ---- */

int __real_execve(const char *path, char *const argv[], char *const envp[]);
int __wrap_execve(const char *path, char *const argv[], char *const envp[]);

/* Where __wrap_execve() records the signal state (NULL: it does not). */
static char exec_record[512];

/* Runs in the command's process, just before the shell replaces it:
 * the shell (dash) clears the mask itself, so only here can the
 * library's own work be seen. */
int __wrap_execve(const char *path, char *const argv[], char *const envp[])
{
    unsigned long long blocked = 0, ignored = 0;
    struct sigaction sa;
    sigset_t mask;
    char line[64];
    int sig, fd, n;

    if (exec_record[0] != '\0' && sigprocmask(SIG_SETMASK, NULL, &mask) == 0) {
        for (sig = 1; sig <= 64; sig++) {
            if (sigismember(&mask, sig) == 1)
                blocked |= 1ULL << (sig - 1);
            if (sigaction(sig, NULL, &sa) == 0 &&
                !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_IGN)
                ignored |= 1ULL << (sig - 1);
        }
        n = snprintf(line, sizeof(line), "blocked %llx ignored %llx\n",
                     blocked, ignored);
        fd =
            open(exec_record, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            (void)write(fd, line, (size_t)n);
            close(fd);
        }
    }
    return __real_execve(path, argv, envp);
}

/* spawn runs an expanded command and waits for it; so does shell_cmd. */
static void test_spawn_writes(void **state)
{
    char rule[512];

    (void)state;
    tl_option_state(0);
    snprintf(rule, sizeof(rule),
             "ALL: ALL: spawn sleep 0.1; echo %%d %%c %%a `echo x` > %s\n",
             tl_path("out"));
    tl_tables(rule, "");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 1);
    assert_string_equal(tl_read("out"), "sshd bob@host 1.2.3.4 x\n");
    tl_assert_log("");

    shell_cmd((char *)"echo direct > \"$TMPDIR_X\"/direct");
    /* No such variable: the redirection fails inside the child, quietly. */
    tl_assert_log("");
    setenv("TMPDIR_X", tl_path(""), 1);
    shell_cmd((char *)"echo direct > \"$TMPDIR_X\"/direct");
    assert_string_equal(tl_read("direct"), "direct\n");
    unsetenv("TMPDIR_X");
}

/* The child gets /dev/null on 0-2 and no other descriptor, however
 * many the caller left open without close-on-exec. */
static void test_spawn_descriptors(void **state)
{
    int listener, file, out_pipe[2], saved_out;
    struct strbuf got = STRBUF_INIT;

    (void)state;
    tl_option_state(0);
    listener = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(listener >= 0);
    assert_int_equal(listen(listener, 1), 0);
    assert_int_equal(dup2(listener, 37), 37);
    file = open(tl_path("hosts.allow"), O_RDONLY | O_CREAT, 0644);
    assert_int_equal(dup2(file, 38), 38);

    assert_int_equal(run_to(-1, "spawn exec ls /proc/self/fd > ", "fds"),
                     OPTIONS_DEFAULT);
    /* ls's own directory descriptor is 3. */
    assert_string_equal(tl_read("fds"), "0\n1\n2\n3\n");
    assert_int_equal(
        run_to(-1, "spawn exec readlink /proc/self/fd/0 /proc/self/fd/2 > ",
               "links"),
        OPTIONS_DEFAULT);
    assert_string_equal(tl_read("links"), "/dev/null\n/dev/null\n");

    /* SIGHUP is ignored in the command, as in Debian's. */
    assert_int_equal(
        run_to(-1, "spawn exec grep SigIgn /proc/self/status > ", "ign"),
        OPTIONS_DEFAULT);
    {
        unsigned long long ignored = 0;
        assert_int_equal(sscanf(tl_read("ign"), "SigIgn: %llx", &ignored), 1);
        assert_true(ignored & 1ULL << (SIGHUP - 1));
    }

    /* Nothing reaches the caller's stdout or stderr. */
    assert_int_equal(pipe2(out_pipe, O_CLOEXEC), 0);
    fflush(stdout);
    saved_out = dup(1);
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    close(out_pipe[1]);
    assert_int_equal(tl_run_options("spawn echo out; echo err >&2", -1),
                     OPTIONS_DEFAULT);
    dup2(saved_out, 1);
    dup2(saved_out, 2);
    close(saved_out);
    tn_read_all(out_pipe[0], &got);
    assert_string_equal(sb_str(&got), "");
    close(out_pipe[0]);
    close(37);
    close(38);
    close(listener);
    close(file);
    sb_free(&got);
    tl_assert_log("");
}

static volatile sig_atomic_t sigchld_count;

static void count_sigchld(int sig)
{
    (void)sig;
    sigchld_count++;
}

/* The caller's SIGCHLD handler sees nothing of our children, its other
 * children stay for it to reap, and its settings are unchanged. */
static void test_sigchld_untouched(void **state)
{
    struct sigaction sa, before, after;
    sigset_t mask_before, mask_after;
    siginfo_t info;
    pid_t other;
    int status, i;

    (void)state;
    tl_option_state(0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = count_sigchld;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGCHLD, &sa, &before), 0);
    sigchld_count = 0;
    other = fork();
    assert_true(other >= 0);
    if (other == 0)
        _exit(7);
    /* Let it become a zombie, without reaping it. */
    memset(&info, 0, sizeof(info));
    assert_int_equal(waitid(P_PID, (id_t)other, &info, WEXITED | WNOWAIT), 0);
    for (i = 0; sigchld_count == 0 && i < 2000; i++)
        usleep(1000);
    assert_int_equal(sigchld_count, 1);
    pthread_sigmask(SIG_SETMASK, NULL, &mask_before);

    assert_int_equal(
        tl_run_options("spawn true : aclexec exit 0 : aclexec exit 3", -1),
        OPTIONS_NO_MATCH);
    usleep(20000);
    assert_int_equal(sigchld_count, 1);
    assert_int_equal(sigaction(SIGCHLD, NULL, &after), 0);
    assert_ptr_equal(after.sa_handler, count_sigchld);
    pthread_sigmask(SIG_SETMASK, NULL, &mask_after);
    for (i = 1; i < SIGRTMIN; i++)
        assert_int_equal(sigismember(&mask_before, i),
                         sigismember(&mask_after, i));
    /* The other child is still there for its parent. */
    assert_int_equal(waitpid(other, &status, 0), other);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    assert_int_equal(sigaction(SIGCHLD, &before, NULL), 0);
    tl_assert_log("6 aclexec returned 1\n");
}

/* A daemon that blocks SIGINT, SIGALRM and SIGTERM (for sigwait()) and
 * ignores SIGPIPE and SIGUSR1: its commands start with nothing blocked
 * and every signal at its default action, but SIGHUP, which spawn
 * ignores as Debian's does (Debian's commands inherit the rest). */
static void test_command_signals(void **state)
{
    struct sigaction ignore, old_pipe, old_usr1;
    sigset_t block, old_mask;

    (void)state;
    tl_option_state(0);
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGALRM);
    sigaddset(&block, SIGTERM);
    assert_int_equal(pthread_sigmask(SIG_BLOCK, &block, &old_mask), 0);
    memset(&ignore, 0, sizeof(ignore));
    ignore.sa_handler = SIG_IGN;
    assert_int_equal(sigaction(SIGPIPE, &ignore, &old_pipe), 0);
    assert_int_equal(sigaction(SIGUSR1, &ignore, &old_usr1), 0);
    snprintf(exec_record, sizeof(exec_record), "%s", tl_path("signals"));

    assert_int_equal(tl_run_options("spawn true : aclexec exit 0", -1),
                     OPTIONS_DEFAULT);

    exec_record[0] = '\0';
    assert_int_equal(sigaction(SIGUSR1, &old_usr1, NULL), 0);
    assert_int_equal(sigaction(SIGPIPE, &old_pipe, NULL), 0);
    assert_int_equal(pthread_sigmask(SIG_SETMASK, &old_mask, NULL), 0);
    /* spawn: SIGHUP (bit 0) ignored; aclexec: nothing. */
    assert_string_equal(tl_read("signals"), "blocked 0 ignored 1\n"
                                            "blocked 0 ignored 0\n");
    tl_assert_log("");
}

/* With SIGCHLD ignored (children reaped by the kernel), aclexec still
 * learns the exit status. */
static void test_sigchld_ignored(void **state)
{
    struct sigaction sa, before;

    (void)state;
    tl_option_state(0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGCHLD, &sa, &before), 0);
    assert_int_equal(tl_run_options("aclexec exit 0", -1), OPTIONS_DEFAULT);
    assert_int_equal(tl_run_options("aclexec exit 4", -1), OPTIONS_NO_MATCH);
    assert_int_equal(tl_run_options("spawn true : allow", -1), OPTIONS_ALLOW);
    assert_int_equal(sigaction(SIGCHLD, &before, NULL), 0);
    tl_assert_log("6 aclexec returned 1\n");
}

/* The test child's end of its log pipe. */
static int child_log_fd;

/*
 * Forks a test child that runs fn with its diagnostics sent to a pipe;
 * returns the child's pid and the read end in *log_fd.
 */
static pid_t start(void (*fn)(void *), void *arg, int *log_fd)
{
    static int fd;
    int p[2];
    pid_t pid;

    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    fflush(stdout);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        fd = p[1];
        child_log_fd = fd;
        diag_set_sink(tn_log_to_fd, &fd);
        fn(arg);
        _exit(0);
    }
    close(p[1]);
    *log_fd = p[0];
    return pid;
}

/* Waits for a test child; returns its exit code (-1: killed). */
static int finish(pid_t pid)
{
    int status;

    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void twist_child(void *arg)
{
    int fd = *(int *)arg;

    deny_severity = LOG_MAIL | LOG_ALERT;
    tl_run_options("twist echo twisted %d %c; exec readlink /proc/self/fd/0 "
                   "/proc/self/fd/1 /proc/self/fd/2",
                   fd);
    _exit(99); /* not reached: twist replaces the process */
}

/* twist: the command talks to the client on fds 0-2, and the switch is
 * logged at deny_severity. */
static void test_twist(void **state)
{
    struct strbuf log = STRBUF_INIT, peer = STRBUF_INIT, want = STRBUF_INIT;
    int server, client, log_fd;
    char path[64], link[64];
    pid_t pid;
    ssize_t n;

    (void)state;
    tl_option_state(0);
    tn_tcp_pair(&server, &client);
    snprintf(path, sizeof(path), "/proc/self/fd/%d", server);
    n = readlink(path, link, sizeof(link) - 1);
    assert_true(n > 0);
    link[n] = '\0';
    pid = start(twist_child, &server, &log_fd);
    close(server);
    tn_read_all(client, &peer);
    tn_read_all(log_fd, &log);
    assert_int_equal(finish(pid), 0);
    sb_printf(&want, "twisted sshd bob@host\n%s\n%s\n%s\n", link, link, link);
    assert_string_equal(sb_str(&peer), sb_str(&want));
    assert_string_equal(sb_str(&log),
                        "17 twist bob@host to echo twisted sshd bob@host; "
                        "exec readlink /proc/self/fd/0 /proc/self/fd/1 "
                        "/proc/self/fd/2\n");
    close(client);
    close(log_fd);
    sb_free(&log);
    sb_free(&peer);
    sb_free(&want);
}

/* A process that already decided once is resident: twist is refused
 * (behaviour page 5.2: the second hosts_access() call). */
static void test_twist_resident(void **state)
{
    char want[512];

    (void)state;
    tl_option_state(0);
    resident = 0; /* this call makes it 1 */
    tl_tables("ALL: ALL: twist echo no\n", "");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    snprintf(want, sizeof(want),
             "3 error: %s, line 1: twist option in resident process\n",
             hosts_allow_table);
    tl_assert_log(want);
    resident = -1;
}

static void sigusr1_wakes(int sig)
{
    (void)sig;
}

/* A datagram sink that tells the parent it ran. */
static void sink_reports(int fd)
{
    (void)fd;
    (void)!write(child_log_fd, "sink\n", 5);
}

static void twist_failing_child(void *arg)
{
    struct request_info r;
    struct diag_where where = {"/ctx", 3};
    struct sigaction sa;

    (void)arg;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = sigusr1_wakes;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "1.2.3.4", 0);
    r.sink = sink_reports;
    diag_push(&where);
    options_run("twist echo x", &r);
    _exit(99); /* not reached: clean_exit() exits */
}

/* Reads from fd until the text so far ends with want (at most 2 s). */
static void read_until(int fd, struct strbuf *got, const char *want)
{
    char buf[512];
    struct pollfd p = {fd, POLLIN, 0};
    size_t n = strlen(want);
    ssize_t k;

    while (got->len < n || strcmp(got->data + got->len - n, want) != 0) {
        if (poll(&p, 1, 2000) <= 0)
            fail_msg("did not get \"%s\" within 2 s; got \"%s\"", want,
                     sb_str(got));
        k = read(fd, buf, sizeof(buf));
        if (k <= 0)
            fail_msg("end of file before \"%s\"; got \"%s\"", want,
                     sb_str(got));
        sb_append(got, buf, (size_t)k);
    }
}

/* A twist that cannot set up its descriptors logs Debian's warning and
 * calls clean_exit(): sink, pause, exit 0.  (A signal cuts the 5-second
 * pause short.) */
static void test_twist_failure(void **state)
{
    struct strbuf log = STRBUF_INIT;
    int log_fd;
    pid_t pid;

    (void)state;
    tl_option_state(0);
    pid = start(twist_failing_child, NULL, &log_fd);
    read_until(log_fd, &log,
               "4 twist 1.2.3.4 to echo x\n"
               "3 warning: /ctx, line 3: twist_option: dup: "
               "Bad file descriptor\n"
               "sink\n");
    usleep(50000);
    assert_int_equal(waitpid(pid, NULL, WNOHANG), 0); /* still pausing */
    kill(pid, SIGUSR1);
    assert_int_equal(finish(pid), 0);
    close(log_fd);
    sb_free(&log);
}

static void require_root(void)
{
    if (geteuid() != 0)
        fail_msg("this test needs root (mount namespace, setuid)");
}

/* Runs fn in a test child as root, from the usual state; the child must
 * exit 0 having logged exactly want. */
static void assert_child_log(void (*fn)(void *), const char *want)
{
    struct strbuf log = STRBUF_INIT;
    int log_fd;
    pid_t pid;

    require_root();
    tl_option_state(0);
    pid = start(fn, NULL, &log_fd);
    tn_read_all(log_fd, &log);
    assert_int_equal(finish(pid), 0);
    assert_string_equal(sb_str(&log), want);
    close(log_fd);
    sb_free(&log);
}

/* Puts a file without execute permission over /bin/sh, in a private
 * mount namespace of this test child. */
static void break_bin_sh(void)
{
    char target[PATH_MAX];
    const char *fake = tl_path("not-a-shell");
    int fd = open(fake, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0 || realpath("/bin/sh", target) == NULL ||
        unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount(fake, target, NULL, MS_BIND, NULL) != 0) {
        diag_log(LOG_ERR, "FATAL: cannot hide /bin/sh: %m");
        _exit(1);
    }
    close(fd);
}

static void exec_failing_child(void *arg)
{
    (void)arg;
    break_bin_sh();
    diag_log(LOG_INFO, "result %d",
             (int)tl_run_options("spawn true : aclexec true", -1));
}

/* /bin/sh cannot be executed: Debian's message from the child (here
 * relayed by the parent); aclexec's rule then does not apply. */
static void test_exec_failure(void **state)
{
    (void)state;
    assert_child_log(exec_failing_child,
                     "3 warning: /ctx, line 3: execl /bin/sh: "
                     "Permission denied\n"
                     "3 warning: /ctx, line 3: execl /bin/sh: "
                     "Permission denied\n"
                     "6 aclexec returned 1\n"
                     "6 result 3\n");
}

static void fork_failing_child(void *arg)
{
    struct rlimit none = {0, 0};

    (void)arg;
    if (setrlimit(RLIMIT_NPROC, &none) != 0 || setgid(65534) != 0 ||
        setuid(65534) != 0) {
        diag_log(LOG_ERR, "FATAL: cannot drop privileges: %m");
        _exit(1);
    }
    diag_log(LOG_INFO, "result %d",
             (int)tl_run_options("spawn true : aclexec true", -1));
}

/* No process can be created: spawn warns and the rule goes on (as
 * Debian); aclexec cannot decide, so the request is denied (Debian
 * would end the process). */
static void test_fork_failure(void **state)
{
    (void)state;
    assert_child_log(fork_failing_child,
                     "3 warning: /ctx, line 3: cannot fork: "
                     "Resource temporarily unavailable\n"
                     "3 error: /ctx, line 3: aclexec_option: /bin/sh: "
                     "Resource temporarily unavailable\n"
                     "6 result 2\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_spawn_writes, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_spawn_descriptors, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_sigchld_untouched, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_sigchld_ignored, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_command_signals, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_twist, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_twist_resident, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_twist_failure, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_exec_failure, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_fork_failure, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
