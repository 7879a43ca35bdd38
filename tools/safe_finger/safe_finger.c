/*
 * safe_finger - runs finger(1) for a spawn rule without trusting what the
 * remote finger server sends back (safe_finger(8)).
 *
 * A rule such as "ALL: ALL: spawn (safe_finger -l @%h | mail root) &"
 * fingers the client; the answer comes from the network, so it is
 * filtered before anyone reads it: every output line starts with a
 * space, a backslash is doubled, other unprintable bytes become \ooo,
 * lines are folded at 128 columns with a trailing backslash, input past
 * 100000 bytes is dropped with a notice, and the whole run ends after
 * 60 seconds.  Run as root, finger runs as "nobody" (or uid/gid 65534
 * when there is no such user), with a fixed PATH.  Not linked with
 * libwrap (Debian's behaviour page 7.5).
 *
 * Exit status: 0 when finger succeeded, the output was cut or the time
 * ran out; 1 otherwise.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define INPUT_LENGTH 100000 /* bytes of finger output shown at most */
#define LINE_LENGTH  128    /* output columns before a line is folded */
#define TIME_LIMIT   60     /* seconds for the whole run */
#define SAFE_PATH    "PATH=/bin:/usr/bin:/sbin:/usr/sbin"

static pid_t finger_pid;

/* The time is up: stop finger and leave quietly. */
static void on_alarm(int sig)
{
    (void)sig;
    if (finger_pid > 0)
        kill(finger_pid, SIGKILL);
    _exit(0);
}

/* Gives up root for good: "nobody" if it exists, else 65534. */
static void drop_privileges(void)
{
    struct passwd *pw;

    if (getuid() != 0 && geteuid() != 0)
        return;
    if ((pw = getpwnam("nobody")) != NULL) {
        if (setgid(pw->pw_gid) != 0 ||
            initgroups(pw->pw_name, pw->pw_gid) != 0 ||
            setuid(pw->pw_uid) != 0) {
            perror("safe_finger: cannot become nobody");
            exit(1);
        }
    } else if (setgid(65534) != 0 || setgroups(0, NULL) != 0 ||
               setuid(65534) != 0) {
        perror("safe_finger: cannot become uid 65534");
        exit(1);
    }
}

/* Copies finger's output to stdout through the filter; false when the
 * output was cut. */
static bool filter(FILE *in)
{
    long total = 0;
    int col = 0, c;

    while ((c = getc(in)) != EOF) {
        if (++total > INPUT_LENGTH) {
            printf("\n\n Input truncated to %d bytes...\n", INPUT_LENGTH);
            fflush(stdout);
            return false;
        }
        if (c == '\n') {
            putchar('\n');
            col = 0;
            continue;
        }
        if (col == 0) {
            putchar(' ');
            col = 1;
        } else if (col >= LINE_LENGTH) {
            fputs("\\\n ", stdout);
            col = 1;
        }
        if (c == '\\') {
            fputs("\\\\", stdout);
            col += 2;
        } else if (isprint(c) || isspace(c)) {
            putchar(c);
            col++;
        } else {
            printf("\\%03o", (unsigned)c);
            col += 4;
        }
    }
    fflush(stdout);
    return true;
}

int main(int argc, char **argv)
{
    int pipefd[2], status;
    FILE *in;
    pid_t pid;

    (void)argc;
    drop_privileges();
    if (putenv(SAFE_PATH) != 0) {
        perror("safe_finger: putenv");
        return 1;
    }
    signal(SIGALRM, on_alarm);
    alarm(TIME_LIMIT);
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        perror("safe_finger: pipe");
        return 1;
    }
    switch (pid = fork()) {
    case -1:
        perror("safe_finger: fork");
        return 1;
    case 0:
        if (dup2(pipefd[1], STDOUT_FILENO) < 0)
            _exit(1);
        argv[0] = "finger";
        execvp("finger", argv);
        perror("finger");
        _exit(1);
    }
    finger_pid = pid;
    close(pipefd[1]);
    if ((in = fdopen(pipefd[0], "r")) == NULL) {
        perror("safe_finger: fdopen");
        return 1;
    }
    if (!filter(in)) {
        /* Stop a finger that is still talking after the cut. */
        kill(pid, SIGKILL);
        return 0;
    }
    fclose(in);
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return 1;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
