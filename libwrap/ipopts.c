/*
 * ipopts.c - IP options on the client socket, and leaving the process.
 *
 * Exports fix_options(), refuse(), clean_exit() and the ipopts_*
 * helpers of ipopts.h.  These are the only places besides a failed twist
 * where the library ends its host process, as Debian's API promises:
 * refuse() and clean_exit() always, fix_options() when the socket
 * cannot even be asked for its address.
 *
 * IP options of an incoming IPv4 connection are logged and removed, so
 * that replies do not follow a route the client chose; a connection
 * that carries a source route is shut down.  The option bytes are
 * scanned from offset 4, as Debian does (the BSD layout, where the
 * first four bytes hold the first-hop address).
 */
#include "ipopts.h"

#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "common.h"
#include "diag.h"
#include "exports.h"
#include "strbuf.h"
#include "tcpd.h"

/* Room for the largest IP options block (40 bytes) and then some. */
#define IPOPTS_MAX 64

/* True when the block holds LSRR or SSRR at or after offset 4. */
bool ipopts_source_routed(const unsigned char *opt, size_t len)
{
    size_t i, size;

    for (i = 4; i < len; i += size) {
        unsigned char type = opt[i];

        if (type == IPOPT_EOL)
            break;
        if (type == IPOPT_LSRR || type == IPOPT_SSRR)
            return true;
        if (type == IPOPT_NOP) {
            size = 1;
        } else {
            if (i + 1 >= len || opt[i + 1] < 2)
                break; /* malformed: stop rather than loop */
            size = opt[i + 1];
        }
    }
    return false;
}

/* Formats option bytes as Debian logs them. */
bool ipopts_format(struct strbuf *out, const unsigned char *opt, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        sb_printf(out, " %02x", opt[i]);
    return !sb_failed(out);
}

/* Logs and removes IP options; refuses source-routed connections. */
LIBWRAP_API void fix_options(struct request_info *r)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    unsigned char opt[IPOPTS_MAX];
    socklen_t optlen = sizeof(opt);
    struct strbuf text = STRBUF_INIT;

    if (r == NULL)
        return;
    if (getsockname(r->fd, (struct sockaddr *)&ss, &len) < 0) {
        /* Debian's text names the wrong call; kept for log watchers. */
        diag_log(LOG_ERR, "getpeername: %m");
        clean_exit(r);
        return;
    }
    if (ss.ss_family != AF_INET)
        return;
    if (getsockopt(r->fd, IPPROTO_IP, IP_OPTIONS, opt, &optlen) < 0 ||
        optlen == 0)
        return;
    if (ipopts_source_routed(opt, optlen)) {
        diag_log(LOG_WARNING,
                 "refused connect from %s with IP source routing options",
                 eval_client(r));
        (void)shutdown(r->fd, SHUT_RDWR);
        return;
    }
    ipopts_format(&text, opt, optlen);
    diag_log(LOG_NOTICE, "connect from %s with IP options (ignored):%s",
             eval_client(r), sb_str(&text));
    sb_free(&text);
    if (setsockopt(r->fd, IPPROTO_IP, IP_OPTIONS, NULL, 0) < 0)
        diag_log(LOG_ERR, "setsockopt IP_OPTIONS NULL: %m");
}

/* Discards pending input, pauses, and ends the process. */
LIBWRAP_API void clean_exit(struct request_info *r)
{
    /* A datagram left unread would wake inetd again at once. */
    if (r != NULL && r->sink != NULL)
        r->sink(r->fd);
    /* The pause keeps inetd from respawning us in a tight loop. */
    sleep(5);
    exit(0);
}

/* Logs a refused connection and ends the process. */
LIBWRAP_API void refuse(struct request_info *r)
{
    diag_log(deny_severity, "refused connect from %s (%s)", eval_client(r),
             eval_hostaddr(r != NULL ? r->client : NULL));
    clean_exit(r);
}
