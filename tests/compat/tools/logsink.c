/*
 * logsink.c - a tiny syslog daemon for tests and the demo.
 *
 * usage: logsink SOCKET_PATH OUTPUT_FILE
 *
 * Binds a datagram socket at SOCKET_PATH (normally /dev/log inside a
 * private mount namespace) and appends one line per message to
 * OUTPUT_FILE: "<facility>.<level> <priority>: <tag and message>", the
 * timestamp removed.  Runs until killed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static const char *const levels[] = {"emerg",   "alert",  "crit", "err",
                                     "warning", "notice", "info", "debug"};
static const char *const facilities[] = {
    "kern",   "user",   "mail",   "daemon", "auth",     "syslog",
    "lpr",    "news",   "uucp",   "cron",   "authpriv", "ftp",
    "12",     "13",     "14",     "15",     "local0",   "local1",
    "local2", "local3", "local4", "local5", "local6",   "local7"};

int main(int argc, char **argv)
{
    struct sockaddr_un sa;
    char buf[65536];
    FILE *out;
    int fd;

    if (argc != 3) {
        fprintf(stderr, "usage: logsink SOCKET OUTPUT\n");
        return 2;
    }
    if ((out = fopen(argv[2], "a")) == NULL) {
        perror(argv[2]);
        return 1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(argv[1]) >= sizeof(sa.sun_path))
        return 1;
    strcpy(sa.sun_path, argv[1]);
    unlink(argv[1]);
    if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("logsink: bind");
        return 1;
    }
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
        char *p = buf, *end;
        long pri = -1;

        if (n <= 0)
            continue;
        buf[n] = '\0';
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
            buf[--n] = '\0';
        if (*p == '<') {
            pri = strtol(p + 1, &end, 10);
            if (*end == '>')
                p = end + 1;
        }
        /* "Mmm dd hh:mm:ss " */
        if (strlen(p) > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':')
            p += 16;
        if (pri >= 0 && (pri >> 3) < 24)
            fprintf(out, "%s.%s (%ld): %s\n", facilities[pri >> 3],
                    levels[pri & 7], pri, p);
        else
            fprintf(out, "?: %s\n", p);
        fflush(out);
    }
}
