/*
 * child.c - shell commands for spawn, aclexec and twist.
 *
 * Exports shell_cmd() and the child_* functions of child.h.
 *
 * spawn and aclexec leave the caller's SIGCHLD handling alone without
 * touching any process-wide signal state (compat-policy D7).  On Linux
 * the command runs under a small supervisor process that is created
 * with clone() and no exit signal: its end sends no SIGCHLD to the
 * caller, is never reaped behind our back when the caller ignores
 * SIGCHLD, and is invisible to the caller's own wait(-1).  The
 * supervisor (which never calls exec, so it keeps that property) starts
 * the command, waits for it and reports its wait status through a
 * close-on-exec pipe; so we get the exit status whatever the caller does
 * with SIGCHLD, and reap only our own child.  Between clone() and exec
 * only async-signal-safe calls are made; what goes wrong there is
 * reported through the same pipe and logged by the caller's process.
 *
 * The command's stdin, stdout and stderr are /dev/null and every other
 * descriptor is closed, so a daemon's listening socket or the client
 * connection never leaks into it (Debian leaves them open).
 */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"
#include "diag.h"
#include "tcpd.h"

extern char **environ;

/* Reports from the supervisor and the command's process. */
enum child_stage {
    STAGE_OPEN_NULL = 1, /* value: errno of open("/dev/null") */
    STAGE_DUP,           /* value: errno of dup2() */
    STAGE_EXEC,          /* value: errno of execve() */
    STAGE_FORK,          /* value: errno of creating the command */
    STAGE_DONE,          /* value: the command's wait status */
};

struct child_report {
    int stage;
    int value;
};

/* Creates a process with the given exit signal (0: none). */
static pid_t clone_process(int exit_signal)
{
#if defined(__linux__) && defined(SYS_clone)
    /* No sharing flags; with a null stack the child continues on its
     * copy of our stack, as after fork(). */
    return (pid_t)syscall(SYS_clone, (unsigned long)exit_signal, NULL, NULL,
                          NULL, NULL);
#else
    (void)exit_signal;
    return fork();
#endif
}

/* Ends a process made by clone_process() with a bare system call: the
 * C library's _exit() may be wrapped (ThreadSanitizer takes a lock in
 * it that another thread of the caller may have held at clone time). */
static _Noreturn void exit_now(int status)
{
#if defined(__linux__) && defined(SYS_exit_group)
    syscall(SYS_exit_group, status);
#endif
    _exit(status);
}

/* Child side: writes one report to the pipe. */
static void report(int fd, int stage, int value)
{
    struct child_report rep;
    ssize_t n;

    rep.stage = stage;
    rep.value = value;
    do {
        n = write(fd, &rep, sizeof(rep));
    } while (n < 0 && errno == EINTR);
}

/* Child side: closes every descriptor from 3 up except keep. */
static void close_other_fds(int keep)
{
    struct rlimit rl;
    int fd, max;

    if ((keep <= 3 || close_range(3, (unsigned)keep - 1, 0) == 0) &&
        close_range((unsigned)keep + 1, ~0U, 0) == 0)
        return;
    /* Kernels before 5.9 lack close_range(). */
    max = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)max)
        max = (int)rl.rlim_cur;
    for (fd = 3; fd < max; fd++)
        if (fd != keep)
            (void)close(fd);
}

/* Child side: sets a signal's disposition. */
static void set_disposition(int sig, void (*handler)(int))
{
    struct sigaction sa;

    sa.sa_handler = handler;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(sig, &sa, NULL);
}

/* Child side: puts /dev/null on descriptors 0-2; false (reported) if
 * that fails. */
static bool stdio_to_null(int report_fd)
{
    int null_fd, fd;

    null_fd = open("/dev/null", O_RDWR);
    if (null_fd < 0) {
        report(report_fd, STAGE_OPEN_NULL, errno);
        return false;
    }
    for (fd = 0; fd <= 2; fd++) {
        if (fd != null_fd && dup2(null_fd, fd) < 0) {
            report(report_fd, STAGE_DUP, errno);
            return false;
        }
    }
    if (null_fd > 2)
        (void)close(null_fd);
    return true;
}

/* The command's process: no signal blocked, every signal at its default
 * action but SIGHUP for spawn (dispositions that catch were reset by the
 * supervisor already), then the shell. */
static _Noreturn void run_command(char *const argv[], enum child_kind kind,
                                  int report_fd)
{
    sigset_t none;
    int sig;

    for (sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            set_disposition(
                sig, sig == SIGHUP && kind == CHILD_SPAWN ? SIG_IGN : SIG_DFL);
    }
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
    execve("/bin/sh", argv, environ);
    report(report_fd, STAGE_EXEC, errno);
    exit_now(127);
}

/* Child side: the caller's signal handlers would run on a copy of its
 * memory here; put them back to the default, as exec would. */
static void reset_handlers(void)
{
    struct sigaction sa;
    int sig;

    for (sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (sigaction(sig, NULL, &sa) == 0 &&
            ((sa.sa_flags & SA_SIGINFO) ||
             (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN)))
            set_disposition(sig, SIG_DFL);
    }
}

/* The supervisor: starts the command, waits, reports its status. */
static _Noreturn void supervise(char *const argv[], enum child_kind kind,
                                int report_fd)
{
    pid_t pid, got;
    int status;

    reset_handlers();
    /* Neither a hangup nor the kernel (reaping the command because the
     * caller ignores SIGCHLD) may take the status from us. */
    set_disposition(SIGHUP, SIG_IGN);
    set_disposition(SIGCHLD, SIG_DFL);
    /* The supervisor lets go of the caller's descriptors too (the
     * client connection among them) and passes on only 0-2. */
    if (!stdio_to_null(report_fd)) {
        report(report_fd, STAGE_DONE, 127 << 8); /* as "exit 127" */
        exit_now(1);
    }
    close_other_fds(report_fd);
    pid = clone_process(SIGCHLD);
    if (pid < 0) {
        report(report_fd, STAGE_FORK, errno);
        exit_now(1);
    }
    if (pid == 0)
        run_command(argv, kind, report_fd);
    do {
        got = waitpid(pid, &status, 0);
    } while (got < 0 && errno == EINTR);
    if (got == pid)
        report(report_fd, STAGE_DONE, status);
    exit_now(0);
}

/* Returns fd moved to a number above 2 (close-on-exec), or -1. */
static int above_stdio(int fd)
{
    int moved;

    if (fd > 2)
        return fd;
    moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    (void)close(fd);
    return moved;
}

/* Logs a problem that the command's process reported. */
static void log_report(const struct child_report *rep)
{
    errno = rep->value;
    switch (rep->stage) {
    case STAGE_OPEN_NULL:
        diag_warn("open /dev/null: %m");
        break;
    case STAGE_DUP:
        diag_warn("dup: %m");
        break;
    case STAGE_EXEC:
        diag_warn("execl /bin/sh: %m");
        break;
    default:
        break;
    }
}

/* Runs "/bin/sh -c command" under a supervisor and waits for it. */
enum child_outcome child_run(const char *command, enum child_kind kind,
                             struct child_exit *ex)
{
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    struct child_report rep;
    enum child_outcome outcome = CHILD_LOST;
    int pipe_fds[2], fork_error = 0;
    pid_t pid, got;
    ssize_t n;
#ifdef __WALL
    const int wait_flags = __WALL; /* the supervisor has no exit signal */
#else
    const int wait_flags = 0;
#endif

    if (pipe2(pipe_fds, O_CLOEXEC) < 0)
        return CHILD_NOT_STARTED;
    /* The command gets /dev/null on 0-2; the pipe must not be there. */
    pipe_fds[0] = above_stdio(pipe_fds[0]);
    pipe_fds[1] = above_stdio(pipe_fds[1]);
    if (pipe_fds[0] < 0 || pipe_fds[1] < 0 || (pid = clone_process(0)) < 0) {
        int saved = errno;
        if (pipe_fds[0] >= 0)
            (void)close(pipe_fds[0]);
        if (pipe_fds[1] >= 0)
            (void)close(pipe_fds[1]);
        errno = saved;
        return CHILD_NOT_STARTED;
    }
    if (pid == 0)
        supervise(argv, kind, pipe_fds[1]);
    (void)close(pipe_fds[1]);

    for (;;) {
        n = read(pipe_fds[0], &rep, sizeof(rep));
        if (n < 0 && errno == EINTR)
            continue;
        if (n != (ssize_t)sizeof(rep))
            break;
        if (rep.stage == STAGE_DONE) {
            ex->status = rep.value;
            outcome = CHILD_DONE;
        } else if (rep.stage == STAGE_FORK) {
            fork_error = rep.value;
            outcome = CHILD_NOT_STARTED;
        } else {
            log_report(&rep);
        }
    }
    (void)close(pipe_fds[0]);
    do {
        got = waitpid(pid, NULL, wait_flags);
    } while (got < 0 && errno == EINTR);
    ex->pid = pid;
    if (outcome == CHILD_NOT_STARTED)
        errno = fork_error;
    return outcome;
}

/* Runs a shell command with stdio on /dev/null and waits for it. */
LIBWRAP_API void shell_cmd(char *command)
{
    struct child_exit ex;

    if (command == NULL)
        return;
    if (child_run(command, CHILD_SPAWN, &ex) == CHILD_NOT_STARTED)
        diag_warn("cannot fork: %m");
}

/* Makes fd descriptor target, keeping it across exec. */
static bool move_to(int fd, int target)
{
    if (fd == target)
        return fcntl(fd, F_SETFD, 0) == 0;
    return dup2(fd, target) == target;
}

/* Puts fd on 0-2 and executes the command in place of the process. */
void child_twist(const char *command, int fd)
{
    int target;

    for (target = 0; target <= 2; target++) {
        if (!move_to(fd, target)) {
            diag_warn("twist_option: dup: %m");
            return;
        }
    }
    if (fd > 2)
        (void)close(fd);
    execl("/bin/sh", "sh", "-c", command, (char *)NULL);
    diag_warn("twist_option: /bin/sh: %m");
}
