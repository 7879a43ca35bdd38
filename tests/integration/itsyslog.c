/*
 * itsyslog - the /dev/log of an integration scenario.
 *
 * Usage: itsyslog PATH OUT     serve PATH, append each datagram to OUT
 *        itsyslog -s PATH      ask the server at PATH to stop
 *
 * Binds a datagram socket at PATH (mode 0666, so daemons that dropped
 * privileges can still log) and appends every message, as received
 * ("<pri>timestamp ident[pid]: text"), to OUT as one line.  It stops after
 * the stop request, which travels through the same queue as the messages,
 * so every message sent before it has been written when the server exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char stop_request[] = "itsyslog: stop";

/* Fills a unix-domain address for PATH, or returns -1 when it is too long. */
static int unix_addr(struct sockaddr_un *sun, const char *path)
{
    memset(sun, 0, sizeof *sun);
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun->sun_path)
        return -1;
    strcpy(sun->sun_path, path);
    return 0;
}

/* Sends the stop request to the server at PATH. */
static int send_stop(const char *path)
{
    struct sockaddr_un sun;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || unix_addr(&sun, path) != 0 ||
        sendto(fd, stop_request, sizeof stop_request - 1, 0,
               (struct sockaddr *)&sun, sizeof sun) < 0) {
        perror("itsyslog: stop");
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "-s") == 0)
        return send_stop(argv[2]);
    if (argc != 3) {
        fprintf(stderr, "usage: itsyslog PATH OUT | itsyslog -s PATH\n");
        return 1;
    }
    struct sockaddr_un sun;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || unix_addr(&sun, argv[1]) != 0) {
        perror("itsyslog: socket");
        return 1;
    }
    unlink(argv[1]);
    if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
        chmod(argv[1], 0666) != 0) {
        perror("itsyslog: bind");
        return 1;
    }
    int out = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0) {
        perror("itsyslog: open");
        return 1;
    }
    static char buf[65536 + 1];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            perror("itsyslog: recv");
            return 1;
        }
        if ((size_t)n == sizeof stop_request - 1 &&
            memcmp(buf, stop_request, (size_t)n) == 0)
            return 0;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
            n--;
        buf[n++] = '\n';
        if (write(out, buf, (size_t)n) != n) {
            perror("itsyslog: write");
            return 1;
        }
    }
}
