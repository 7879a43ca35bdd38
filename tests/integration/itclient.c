/*
 * itclient - scripted TCP client for the integration tests.
 *
 * Usage: itclient [-t seconds] SRC[,PORT] DST PORT [EXPECT ACTION]...
 *
 * Connects from the loopback source address SRC (and source port PORT
 * when given, so that %r and the daemons' log lines are the same in every
 * run) to DST:PORT, copies every byte it receives to stdout, and works
 * through the EXPECT/ACTION pairs in order: once the bytes received so far
 * contain EXPECT (an empty EXPECT is met at once), ACTION is carried out.
 * EXPECT and ACTION may use the escapes \r \n \t \\ and \xHH (any byte, so
 * that binary requests such as SOCKS's can be sent; an EXPECT stops at a
 * NUL byte).  An ACTION is text
 * to send, "@close" (close the connection and stop) or "@shut" (shut down
 * the sending side).
 *
 * Exit status, an observation in itself: 0 the server closed the
 * connection, 1 usage or connect error (message on stderr), 2 time-out
 * with the connection still open, 3 connection reset by the server,
 * 4 the client closed it (@close).
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { ST_EOF = 0, ST_ERROR = 1, ST_TIMEOUT = 2, ST_RESET = 3, ST_CLOSED = 4 };

/* Received bytes so far, grown as needed (servers here send little). */
static char *seen;
static size_t seen_len, seen_cap;

/* Appends received bytes to the buffer that EXPECT strings are searched in. */
static void seen_add(const char *p, size_t n)
{
    if (seen_len + n + 1 > seen_cap) {
        size_t cap = seen_cap ? seen_cap : 4096;
        while (cap < seen_len + n + 1) {
            if (cap > ((size_t)-1) / 2) {
                fprintf(stderr, "itclient: too much input\n");
                exit(ST_ERROR);
            }
            cap *= 2;
        }
        char *grown = realloc(seen, cap);
        if (grown == NULL) {
            perror("itclient: realloc");
            exit(ST_ERROR);
        }
        seen = grown;
        seen_cap = cap;
    }
    memcpy(seen + seen_len, p, n);
    seen_len += n;
    seen[seen_len] = '\0';
}

/* Tells whether the received bytes contain the text (NULs are searched too).
 */
static int seen_has(const char *text)
{
    size_t n = strlen(text);
    if (n == 0)
        return 1;
    for (size_t i = 0; i + n <= seen_len; i++)
        if (memcmp(seen + i, text, n) == 0)
            return 1;
    return 0;
}

/* Returns the value of a hexadecimal digit, or -1. */
static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes \r \n \t \\ \xHH in place and returns the decoded length. */
static size_t unescape(char *s)
{
    char *out = s;
    for (const char *in = s; *in; in++) {
        if (in[0] == '\\' && in[1] == 'x' && hex_digit(in[2]) >= 0 &&
            hex_digit(in[3]) >= 0) {
            *out++ = (char)(hex_digit(in[2]) * 16 + hex_digit(in[3]));
            in += 3;
        } else if (in[0] == '\\' && in[1] != '\0') {
            in++;
            *out++ = *in == 'r'   ? '\r'
                     : *in == 'n' ? '\n'
                     : *in == 't' ? '\t'
                                  : *in;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* Parses a numeric address and port into a sockaddr, or exits. */
static void numeric_addr(const char *host, const char *port,
                         struct sockaddr_storage *ss, socklen_t *len)
{
    struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
                             .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        fprintf(stderr, "itclient: %s port %s: %s\n", host, port,
                gai_strerror(rc));
        exit(ST_ERROR);
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
}

/* Returns the milliseconds left until the deadline (0 when past). */
static int ms_left(const struct timespec *deadline)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
                   (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms > 1000000 ? 1000000 : (int)ms;
}

/* Writes all of a buffer to a descriptor, or exits. */
static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            perror("itclient: write");
            exit(ST_ERROR);
        }
        p += w;
        n -= (size_t)w;
    }
}

int main(int argc, char **argv)
{
    long seconds = 20;
    int argi = 1;
    if (argc > 2 && strcmp(argv[1], "-t") == 0) {
        char *end;
        seconds = strtol(argv[2], &end, 10);
        if (*end != '\0' || seconds < 1 || seconds > 600) {
            fprintf(stderr, "itclient: bad time-out %s\n", argv[2]);
            return ST_ERROR;
        }
        argi = 3;
    }
    if (argc - argi < 3 || (argc - argi - 3) % 2 != 0) {
        fprintf(stderr, "usage: itclient [-t seconds] SRC[,PORT] DST PORT "
                        "[EXPECT ACTION]...\n");
        return ST_ERROR;
    }
    char *src = argv[argi], *src_port = strchr(src, ',');
    if (src_port != NULL)
        *src_port++ = '\0';
    struct sockaddr_storage local, remote;
    socklen_t local_len, remote_len;
    numeric_addr(src, src_port ? src_port : "0", &local, &local_len);
    numeric_addr(argv[argi + 1], argv[argi + 2], &remote, &remote_len);

    int fd = socket(remote.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0) {
        perror("itclient: socket");
        return ST_ERROR;
    }
    if (bind(fd, (struct sockaddr *)&local, local_len) != 0) {
        perror("itclient: bind");
        return ST_ERROR;
    }
    /* Linux bounds connect() by the send time-out. */
    struct timeval limit = {.tv_sec = seconds};
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) != 0) {
        perror("itclient: SO_SNDTIMEO");
        return ST_ERROR;
    }
    if (connect(fd, (struct sockaddr *)&remote, remote_len) != 0) {
        perror("itclient: connect");
        return ST_ERROR;
    }

    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += seconds;
    seen_add("", 0);
    int step = argi + 3;
    for (int i = step; i < argc; i += 2)
        unescape(argv[i]);
    for (;;) {
        while (step < argc && seen_has(argv[step])) {
            char *action = argv[step + 1];
            step += 2;
            if (strcmp(action, "@close") == 0) {
                close(fd);
                return ST_CLOSED;
            }
            if (strcmp(action, "@shut") == 0) {
                shutdown(fd, SHUT_WR);
                continue;
            }
            write_all(fd, action, unescape(action));
        }
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int left = ms_left(&deadline);
        int rc = left > 0 ? poll(&p, 1, left) : 0;
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc == 0)
            return ST_TIMEOUT;
        char buf[4096];
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return errno == ECONNRESET ? ST_RESET : ST_ERROR;
        if (got == 0)
            return ST_EOF;
        write_all(1, buf, (size_t)got);
        seen_add(buf, (size_t)got);
    }
}
