/*
 * child.c - shell commands for spawn, aclexec and twist.
 *
 * Exports shell_cmd() and the child_* functions of child.h.
 *
 * On Linux the child is created with clone() and an exit signal of 0
 * instead of fork(): its end sends no SIGCHLD to the caller, is never
 * reaped automatically when the caller ignores SIGCHLD, and is invisible
 * to the caller's own wait(-1).  So the caller's SIGCHLD handler, its
 * disposition and its other children are left exactly as they were
 * without touching any process-wide signal state (compat-policy D7),
 * and we always get our child's exit status.  Between clone() and exec
 * the child makes only async-signal-safe calls; what goes wrong there is
 * reported to the parent through a close-on-exec pipe and logged by the
 * parent.
 *
 * The child's stdin, stdout and stderr are /dev/null and every other
 * descriptor is closed, so a daemon's listening socket or the client
 * connection never leaks into the command (Debian leaves them open).
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

/* What went wrong in the child before the command started. */
enum child_stage {
    STAGE_OPEN_NULL = 1,
    STAGE_DUP,
    STAGE_EXEC,
};

struct child_report {
    int stage;
    int error;
};

/* Creates the child; see the file header for why not fork(). */
static pid_t start_child(void)
{
#if defined(__linux__) && defined(SYS_clone)
    /* Flags 0: no shared state and no exit signal.  With a null stack
     * the child continues on its copy of our stack, as after fork(). */
    return (pid_t)syscall(SYS_clone, 0UL, NULL, NULL, NULL, NULL);
#else
    return fork();
#endif
}

/* Waits for our child only, whatever the caller does with SIGCHLD. */
static pid_t wait_child(pid_t pid, int *status)
{
    pid_t got;
#ifdef __WALL
    const int flags = __WALL; /* needed for a child without exit signal */
#else
    const int flags = 0;
#endif

    do {
        got = waitpid(pid, status, flags);
    } while (got < 0 && errno == EINTR);
    return got;
}

/* Child side: tells the parent what failed, then ends the child. */
static _Noreturn void child_fail(int report_fd, int stage)
{
    struct child_report rep;
    ssize_t n;

    rep.stage = stage;
    rep.error = errno;
    do {
        n = write(report_fd, &rep, sizeof(rep));
    } while (n < 0 && errno == EINTR);
    _exit(127);
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

/* Child side: sets up stdio and runs the shell; never returns. */
static _Noreturn void run_in_child(char *const argv[], int report_fd)
{
    struct sigaction sa;
    int null_fd, fd;

    null_fd = open("/dev/null", O_RDWR);
    if (null_fd < 0)
        child_fail(report_fd, STAGE_OPEN_NULL);
    for (fd = 0; fd <= 2; fd++)
        if (fd != null_fd && dup2(null_fd, fd) < 0)
            child_fail(report_fd, STAGE_DUP);
    close_other_fds(report_fd);
    /* As Debian's children: not killed when a terminal hangs up. */
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGHUP, &sa, NULL);
    execve("/bin/sh", argv, environ);
    child_fail(report_fd, STAGE_EXEC);
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

enum child_outcome child_run(const char *command, struct child_exit *ex)
{
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    struct child_report rep;
    int report[2], saved;
    ssize_t n;
    pid_t pid;

    if (pipe2(report, O_CLOEXEC) < 0)
        return CHILD_NOT_STARTED;
    /* The child puts /dev/null on 0-2; the pipe must not be there. */
    report[0] = above_stdio(report[0]);
    report[1] = above_stdio(report[1]);
    if (report[0] < 0 || report[1] < 0)
        goto fail;
    pid = start_child();
    if (pid < 0)
        goto fail;
    if (pid == 0)
        run_in_child(argv, report[1]);
    (void)close(report[1]);

    do {
        n = read(report[0], &rep, sizeof(rep));
    } while (n < 0 && errno == EINTR);
    (void)close(report[0]);
    if (n == (ssize_t)sizeof(rep)) {
        errno = rep.error;
        switch (rep.stage) {
        case STAGE_OPEN_NULL:
            diag_warn("open /dev/null: %m");
            break;
        case STAGE_DUP:
            diag_warn("dup: %m");
            break;
        default:
            diag_warn("execl /bin/sh: %m");
            break;
        }
    }
    ex->pid = pid;
    if (wait_child(pid, &ex->status) != pid)
        return CHILD_LOST;
    return CHILD_DONE;

fail:
    saved = errno;
    if (report[0] >= 0)
        (void)close(report[0]);
    if (report[1] >= 0)
        (void)close(report[1]);
    errno = saved;
    return CHILD_NOT_STARTED;
}

/* Runs a shell command with stdio on /dev/null and waits for it. */
LIBWRAP_API void shell_cmd(char *command)
{
    struct child_exit ex;

    if (child_run(command, &ex) == CHILD_NOT_STARTED)
        diag_warn("cannot fork: %m");
}

/* Makes fd descriptor target, keeping it across exec. */
static bool move_to(int fd, int target)
{
    if (fd == target)
        return fcntl(fd, F_SETFD, 0) == 0;
    return dup2(fd, target) == target;
}

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
