/*
 * miniinetd.c - the part of inetd that tcpd needs, for tests and the demo.
 *
 * usage: miniinetd ADDRESS PORT PROGRAM ARGV0 [ARGS...]
 *
 * Listens on ADDRESS:PORT (TCP; IPv4 or IPv6 literal) and, for every
 * connection, forks a child whose fds 0, 1 and 2 are the connection and
 * which executes PROGRAM with the argument vector ARGV0 ARGS..., as an
 * inetd.conf line "... nowait root PROGRAM ARGV0 ARGS" would.  Prints
 * "ready" on stdout once listening; runs until killed.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, one = 1;

    if (argc < 5) {
        fprintf(stderr,
                "usage: miniinetd ADDRESS PORT PROGRAM ARGV0 [ARGS...]\n");
        return 2;
    }
    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, argv[1], &((struct sockaddr_in *)&ss)->sin_addr) ==
        1) {
        ((struct sockaddr_in *)&ss)->sin_family = AF_INET;
        ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)atoi(argv[2]));
        len = sizeof(struct sockaddr_in);
    } else if (inet_pton(AF_INET6, argv[1],
                         &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
        ((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
        ((struct sockaddr_in6 *)&ss)->sin6_port =
            htons((uint16_t)atoi(argv[2]));
        len = sizeof(struct sockaddr_in6);
    } else {
        fprintf(stderr, "miniinetd: bad address %s\n", argv[1]);
        return 2;
    }
    signal(SIGCHLD, SIG_IGN);
    if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 16) < 0) {
        perror("miniinetd");
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            continue;
        if (fork() == 0) {
            signal(SIGCHLD, SIG_DFL);
            dup2(c, 0);
            dup2(c, 1);
            dup2(c, 2);
            if (c > 2)
                close(c);
            execv(argv[3], argv + 4);
            _exit(127);
        }
        close(c);
    }
}
