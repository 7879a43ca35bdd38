/*
 * testnet.h - real sockets and processes for the option tests.
 *
 * Loopback TCP connections, reading what a peer sent, a private network
 * namespace (for the ident server on 127.0.0.1:113), and forwarding the
 * diagnostics of a forked child to its parent.  Header-only: every test
 * that needs it includes it once.
 */
#ifndef TESTNET_H
#define TESTNET_H

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "diag.h"
#include "strbuf.h"

/* A TCP socket listening on 127.0.0.1, at the address *a gets. */
static inline int tn_listen(struct sockaddr_in *a)
{
    socklen_t len = sizeof(*a);
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    assert_true(l >= 0);
    memset(a, 0, sizeof(*a));
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(l, (struct sockaddr *)a, sizeof(*a)), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)a, &len), 0);
    return l;
}

/* Connects client to the listener l at a; closes l and returns the
 * accepted end. */
static inline int tn_connect(int l, const struct sockaddr_in *a, int client)
{
    int server;

    assert_int_equal(connect(client, (const struct sockaddr *)a, sizeof(*a)),
                     0);
    server = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    assert_true(server >= 0);
    close(l);
    return server;
}

/* A connected TCP pair on 127.0.0.1; *server is the accepted end. */
static inline void tn_tcp_pair(int *server, int *client)
{
    struct sockaddr_in a;
    int l = tn_listen(&a);

    *client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(*client >= 0);
    *server = tn_connect(l, &a, *client);
}

/* Reads from fd until end of file into out; fails the test when no end
 * of file comes within seconds of the last byte. */
static inline void tn_read_all_within(int fd, struct strbuf *out, int seconds)
{
    char buf[4096];
    struct pollfd p = {fd, POLLIN, 0};
    ssize_t n;

    for (;;) {
        if (poll(&p, 1, seconds * 1000) <= 0)
            fail_msg("peer sent no end of file within %d s", seconds);
        n = read(fd, buf, sizeof(buf));
        if (n <= 0)
            break;
        sb_append(out, buf, (size_t)n);
    }
}

/* Reads from fd until end of file (at most 2 s) into out. */
static inline void tn_read_all(int fd, struct strbuf *out)
{
    tn_read_all_within(fd, out, 2);
}

/*
 * Moves this process into a new network namespace with lo up.  Returns
 * false, after saying why on stderr, when that is not possible: the
 * caller must then fail (these tests never fall back to the host).
 */
static inline bool tn_enter_netns(void)
{
    struct ifreq ifr;
    int s;

    if (unshare(CLONE_NEWNET) != 0) {
        fprintf(stderr,
                "FATAL: unshare(CLONE_NEWNET): %s; this test "
                "needs root (or CAP_SYS_ADMIN)\n",
                strerror(errno));
        return false;
    }
    s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0 ||
        (ifr.ifr_flags |= IFF_UP, ioctl(s, SIOCSIFFLAGS, &ifr)) != 0) {
        fprintf(stderr, "FATAL: cannot bring lo up: %s\n", strerror(errno));
        if (s >= 0)
            close(s);
        return false;
    }
    close(s);
    return true;
}

/* Diagnostic sink of a forked child: "<priority> <text>\n" to a pipe. */
static inline void tn_log_to_fd(int priority, const char *text, void *arg)
{
    int fd = *(int *)arg;
    char head[16];

    snprintf(head, sizeof(head), "%d ", priority);
    (void)!write(fd, head, strlen(head));
    (void)!write(fd, text, strlen(text));
    (void)!write(fd, "\n", 1);
}

#endif
