/*
 * ident.c - the RFC 931 / RFC 1413 (ident) client.
 *
 * Exports rfc931() and ident_parse_reply().  rfc931() connects from our
 * address of the connection to port 113 of the client, sends
 * "<client port>,<our port>\r\n" and reads one line.  The whole exchange
 * is bounded by rfc931_timeout seconds (none when it is not positive, as
 * with Debian), using a non-blocking socket and poll(): no signal and no
 * alarm is used, so the caller's SIGALRM handler and pending alarm are
 * untouched and concurrent lookups are safe.  Every failure gives
 * "unknown"; only a failing socket() is logged, and when it failed for
 * want of descriptors or memory the matcher is told (request.h).
 */
#include "ident.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include "diag.h"
#include "request.h"
#include "resource.h"
#include "strbuf.h"
#include "tcpd.h"

#define IDENT_PORT 113
/* Longest user name taken from a reply, before the request's limit. */
#define IDENT_USER_MAX 255

/* Skips white space as scanf() does. */
static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* Reads an unsigned number as scanf("%u") does: white space, an
 * optional sign, digits; the value is kept modulo 2^32. */
static const char *scan_unsigned(const char *p, unsigned int *out)
{
    char *end;
    unsigned long v;

    p = skip_space(p);
    if (!isdigit((unsigned char)p[0]) &&
        !((p[0] == '+' || p[0] == '-') && isdigit((unsigned char)p[1])))
        return NULL;
    v = strtoul(p, &end, 10);
    *out = (unsigned int)v;
    return end;
}

/* Skips white space, then expects the text lit. */
static const char *expect(const char *p, const char *lit)
{
    size_t n = strlen(lit);

    if (p == NULL)
        return NULL;
    p = skip_space(p);
    return strncmp(p, lit, n) == 0 ? p + n : NULL;
}

/* Reads the user out of an ident reply, as sscanf() would with
 * "%u , %u : USERID :%*[^:]:%255s". */
bool ident_parse_reply(const char *line, unsigned int rport,
                       unsigned int lport, char *user, size_t size)
{
    unsigned int got_rport, got_lport;
    const char *p;
    size_t n;

    if ((p = scan_unsigned(line, &got_rport)) == NULL ||
        (p = expect(p, ",")) == NULL ||
        (p = scan_unsigned(p, &got_lport)) == NULL)
        return false;
    p = expect(expect(expect(p, ":"), "USERID"), ":");
    if (p == NULL)
        return false;
    /* The operating system field: at least one byte, up to a ':'. */
    n = strcspn(p, ":");
    if (n == 0 || p[n] != ':')
        return false;
    p = skip_space(p + n + 1);
    /* The user: the first word. */
    for (n = 0; p[n] != '\0' && !isspace((unsigned char)p[n]); n++)
        ;
    if (n == 0 || got_rport != rport || got_lport != lport || size == 0)
        return false;
    if (n > IDENT_USER_MAX)
        n = IDENT_USER_MAX;
    if (n > size - 1)
        n = size - 1;
    memcpy(user, p, n);
    user[n] = '\0';
    return true;
}

/* Milliseconds left until deadline (-1: no deadline), at least 0. */
static int time_left(const struct timespec *deadline)
{
    struct timespec now;
    long long ms;

    if (deadline == NULL)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (long long)(deadline->tv_sec - now.tv_sec) * 1000 +
         (deadline->tv_nsec - now.tv_nsec) / 1000000;
    if (ms < 0)
        return 0;
    return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

/* Waits until fd is ready for events; false on timeout or error. */
static bool wait_for(int fd, short events, const struct timespec *deadline)
{
    struct pollfd pfd;
    int n;

    pfd.fd = fd;
    pfd.events = events;
    for (;;) {
        n = poll(&pfd, 1, time_left(deadline));
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

/* Connects fd to there before the deadline. */
static bool connect_by(int fd, const struct sockaddr *there, socklen_t len,
                       const struct timespec *deadline)
{
    int error;
    socklen_t elen = sizeof(error);

    if (connect(fd, there, len) == 0)
        return true;
    if (errno != EINPROGRESS && errno != EINTR)
        return false;
    if (!wait_for(fd, POLLOUT, deadline))
        return false;
    return getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &elen) == 0 &&
           error == 0;
}

/* Sends all of s before the deadline. */
static bool send_by(int fd, const char *s, const struct timespec *deadline)
{
    size_t n = strlen(s);
    ssize_t k;

    while (n > 0) {
        if (!wait_for(fd, POLLOUT, deadline))
            return false;
        k = send(fd, s, n, MSG_NOSIGNAL);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0)
            return false;
        s += k;
        n -= (size_t)k;
    }
    return true;
}

/*
 * Reads one reply line into line (IDENT_LINE_MAX + 1 bytes).  The line
 * ends at a newline, or when IDENT_LINE_MAX bytes have come; the end of
 * the stream before either is a failure, as with Debian.
 */
static bool read_line_by(int fd, char *line, const struct timespec *deadline)
{
    size_t n = 0;
    ssize_t k;
    char *nl;

    while (n < IDENT_LINE_MAX) {
        if (!wait_for(fd, POLLIN, deadline))
            return false;
        k = recv(fd, line + n, IDENT_LINE_MAX - n, 0);
        if (k < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (k <= 0)
            return false;
        line[n + (size_t)k] = '\0';
        if ((nl = memchr(line + n, '\n', (size_t)k)) != NULL) {
            nl[1] = '\0';
            return true;
        }
        n += (size_t)k;
    }
    return true;
}

/* The port of an AF_INET or AF_INET6 address, in host order. */
static unsigned int port_of(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ntohs(((const struct sockaddr_in *)ss)->sin_port);
    return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

/* Sets the port of an AF_INET or AF_INET6 address. */
static void set_port(struct sockaddr_storage *ss, unsigned int port)
{
    if (ss->ss_family == AF_INET)
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
    else
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
}

/* Asks the ident server of the client; dest gets the user or
 * "unknown" (at most STRING_LENGTH bytes). */
LIBWRAP_API void rfc931(struct sockaddr *rmt, struct sockaddr *our, char *dest)
{
    struct sockaddr_storage there, here;
    struct timespec deadline_at, *deadline = NULL;
    char query[sizeof("65535,65535\r\n")];
    char line[IDENT_LINE_MAX + 1], user[STRING_LENGTH], *cr;
    unsigned int rport, lport;
    socklen_t len;
    int fd;

    if (dest == NULL)
        return;
    (void)str_copy_field(dest, STRING_LENGTH, unknown);
    if (rmt == NULL || our == NULL || rmt->sa_family != our->sa_family)
        return;
    if (rmt->sa_family == AF_INET)
        len = sizeof(struct sockaddr_in);
    else if (rmt->sa_family == AF_INET6)
        len = sizeof(struct sockaddr_in6);
    else
        return;
    memset(&there, 0, sizeof(there));
    memset(&here, 0, sizeof(here));
    memcpy(&there, rmt, len);
    memcpy(&here, our, len);
    rport = port_of(&there);
    lport = port_of(&here);
    snprintf(query, sizeof(query), "%u,%u\r\n", rport, lport);
    set_port(&there, IDENT_PORT);
    set_port(&here, 0);

    if (rfc931_timeout > 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline_at);
        deadline_at.tv_sec += rfc931_timeout;
        deadline = &deadline_at;
    }
    fd = socket(rmt->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        int err = errno;
        diag_warn("socket: %m");
        /* No descriptor: the user is not "unknown", it was not asked. */
        if (resource_errno(err))
            request_lookup_failed(dest, err);
        return;
    }
    if (bind(fd, (struct sockaddr *)&here, len) == 0 &&
        connect_by(fd, (struct sockaddr *)&there, len, deadline) &&
        send_by(fd, query, deadline) && read_line_by(fd, line, deadline)) {
        if ((cr = strchr(line, '\r')) != NULL)
            *cr = '\0';
        if (ident_parse_reply(line, rport, lport, user, sizeof(user)))
            (void)str_copy_field(dest, STRING_LENGTH, user);
    }
    close(fd);
}
