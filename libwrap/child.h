/*
 * child.h - shell commands for the spawn, aclexec and twist options.
 *
 * child_run() runs "/bin/sh -c command" in a child process whose stdin,
 * stdout and stderr are /dev/null and which inherits no other file
 * descriptor, and waits for exactly that child.  child_twist() replaces
 * the calling process by the command, talking to the client socket.
 * shell_cmd(), the exported form of spawn, is declared in tcpd.h.
 *
 * DIAGNOSTICS: warnings with Debian's texts.  What went wrong in the
 * child before exec ("open /dev/null: <cause>", "dup: <cause>", "execl
 * /bin/sh: <cause>") is reported back to the parent, which logs it;
 * shell_cmd() logs "cannot fork: <cause>"; child_twist() logs
 * "twist_option: dup: <cause>" or "twist_option: /bin/sh: <cause>".
 * child_run() itself logs nothing when no child started: errno says why.
 */
#ifndef LIBWRAP_CHILD_H
#define LIBWRAP_CHILD_H

#include <sys/types.h>

enum child_outcome {
    CHILD_NOT_STARTED, /* no child: errno says why (nothing logged) */
    CHILD_LOST,        /* started, but its status could not be read */
    CHILD_DONE,        /* *status holds its wait status */
};

/* Which child ran, and how it ended. */
struct child_exit {
    pid_t pid;
    int status; /* wait status, valid for CHILD_DONE */
};

/* What the command is for: it decides the few ways its process differs. */
enum child_kind {
    CHILD_SPAWN,   /* spawn: SIGHUP is ignored, as in Debian's children */
    CHILD_ACLEXEC, /* aclexec: every signal has its default action */
};

/*
 * Runs command and waits for it; problems inside the child (opening
 * /dev/null, exec) are logged as warnings.  The command starts with no
 * signal blocked and every signal at its default action (but SIGHUP for
 * spawn): a daemon's blocked or ignored signals (SIGTERM held for
 * sigwait(), SIGCHLD or SIGPIPE ignored) would otherwise reach it across
 * exec, and it could then not be stopped, or not wait for its own
 * children.
 */
enum child_outcome child_run(const char *command, enum child_kind kind,
                             struct child_exit *ex);

/*
 * Makes fd the standard input, output and error and executes command in
 * place of the process.  Returns only on failure, after logging it; the
 * caller then ends the process.
 */
void child_twist(const char *command, int fd);

#endif
