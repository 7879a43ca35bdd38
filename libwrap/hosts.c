/*
 * hosts.c - socket endpoints, verified host names, numeric addresses,
 * netgroups.  The only module that talks to the resolver.
 *
 * Exports sock_host(), sock_hostname(), sock_hostaddr() and the hosts_*
 * functions of hosts.h.  A reverse name is trusted only when the forward
 * lookup of that name gives back the same name and the same address
 * (Debian's checks and messages, behaviour page 2.6); otherwise it is
 * replaced by "paranoid".  A lookup that fails for want of this
 * process's descriptors or memory is reported to the matcher instead
 * (request_lookup_failed()): it says nothing about the client.
 */
#include "hosts.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common.h"
#include "diag.h"
#include "request.h"
#include "resource.h"
#include "strbuf.h"

/* Debian keeps the addresses of the last sock_host() in static storage
 * shared by all requests; here it is per thread (compat-policy D7). */
static _Thread_local struct sockaddr_storage client_sa, server_sa;

socklen_t hosts_sockaddr_len(const struct sockaddr *sa)
{
    switch (sa->sa_family) {
    case AF_INET:
        return sizeof(struct sockaddr_in);
    case AF_INET6:
        return sizeof(struct sockaddr_in6);
    default:
        return 0;
    }
}

int hosts_in_netgroup(const char *group, const char *host)
{
    char domain[256];
    const char *nis = NULL;
    int err;

    /* What yp_get_default_domain() would report, without libnsl. */
    if (getdomainname(domain, sizeof(domain)) == 0 && domain[0] != '\0' &&
        strcmp(domain, "(none)") != 0) {
        domain[sizeof(domain) - 1] = '\0';
        nis = domain;
    }
    errno = 0;
    if (innetgr(group, host, NULL, nis) == 1)
        return 1;
    /* innetgr() cannot say "I could not look": ask errno, then whether a
     * descriptor can be had at all. */
    err = resource_errno(errno) ? errno : resource_probe();
    if (err == 0)
        return 0;
    errno = err;
    return -1;
}

/* Reads and discards the datagram that sock_host() peeked at. */
static void sock_sink(int fd)
{
    char buf[1];
    struct sockaddr_storage sa;
    socklen_t len = sizeof(sa);

    (void)recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&sa, &len);
}

/* Finds the client and server addresses of the request's socket. */
LIBWRAP_API void sock_host(struct request_info *r)
{
    socklen_t len;
    char buf[1];

    if (r == NULL)
        return;
    sock_methods(r);
    memset(&client_sa, 0, sizeof(client_sa));
    len = sizeof(client_sa);
    if (getpeername(r->fd, (struct sockaddr *)&client_sa, &len) < 0) {
        /* A datagram socket: peek at the sender of the next datagram. */
        r->sink = sock_sink;
        len = sizeof(client_sa);
        if (recvfrom(r->fd, buf, sizeof(buf), MSG_PEEK,
                     (struct sockaddr *)&client_sa, &len) < 0) {
            diag_warn("can't get client address: %m");
            return;
        }
    }
    r->client->sin = (void *)&client_sa;
    memset(&server_sa, 0, sizeof(server_sa));
    len = sizeof(server_sa);
    if (getsockname(r->fd, (struct sockaddr *)&server_sa, &len) < 0) {
        diag_warn("getsockname: %m");
        return;
    }
    r->server->sin = (void *)&server_sa;
}

/* Writes the numeric form of the endpoint's address into host->addr. */
LIBWRAP_API void sock_hostaddr(struct host_info *host)
{
    const struct sockaddr *sa;
    socklen_t len;

    if (host == NULL)
        return;
    sa = (const struct sockaddr *)host->sin;
    if (sa == NULL || (len = hosts_sockaddr_len(sa)) == 0)
        return;
    (void)getnameinfo(sa, len, host->addr, sizeof(host->addr), NULL, 0,
                      NI_NUMERICHOST);
}

/* An IPv4-mapped IPv6 address as a plain IPv4 one; others unchanged. */
static const struct sockaddr *unmap(const struct sockaddr *sa,
                                    struct sockaddr_in *v4)
{
    const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)sa;

    if (sa->sa_family != AF_INET6 || !IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr))
        return sa;
    memset(v4, 0, sizeof(*v4));
    v4->sin_family = AF_INET;
    v4->sin_port = v6->sin6_port;
    memcpy(&v4->sin_addr, &v6->sin6_addr.s6_addr[12], 4);
    return (const struct sockaddr *)v4;
}

/* True when the forward result ai holds the address sa. */
static bool same_address(const struct addrinfo *ai, const struct sockaddr *sa)
{
    if (ai->ai_family != sa->sa_family)
        return false;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const void *)ai->ai_addr;
        const struct sockaddr_in *b = (const void *)sa;
        return a->sin_addr.s_addr == b->sin_addr.s_addr;
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const void *)ai->ai_addr;
        const struct sockaddr_in6 *b = (const void *)sa;
        return memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) ==
                   0 &&
               a->sin6_scope_id == b->sin6_scope_id;
    }
    return false;
}

/* True when name parses as a numeric address of any family. */
static bool is_numeric_host(const char *name)
{
    struct addrinfo hints, *res;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo(name, NULL, &hints, &res) != 0)
        return false;
    freeaddrinfo(res);
    return true;
}

/*
 * Writes the verified host name of the endpoint into host->name: the
 * reverse name if its forward lookup agrees, "paranoid" if it does not;
 * host->name is left alone when there is no reverse name.
 */
LIBWRAP_API void sock_hostname(struct host_info *host)
{
    const struct sockaddr *sa;
    struct sockaddr_in v4;
    struct addrinfo hints, *res, *ai;
    char name[NI_MAXHOST], addr[NI_MAXHOST];
    const char *canon;
    socklen_t len;
    int rc, err;

    if (host == NULL || (sa = (const struct sockaddr *)host->sin) == NULL)
        return;
    sa = unmap(sa, &v4);
    if ((len = hosts_sockaddr_len(sa)) == 0)
        return;
    rc = getnameinfo(sa, len, name, sizeof(name), NULL, 0, NI_NAMEREQD);
    if (rc != 0) {
        if ((err = resource_gai_failure(rc)) != 0)
            request_lookup_failed(host->name, err);
        return;
    }
    /* What is checked is what the request can hold: a cut name then
     * fails the forward check, as with Debian. */
    (void)str_copy_field(host->name, sizeof(host->name), name);

    if (is_numeric_host(host->name)) {
        diag_warn("host name/name mismatch: "
                  "reverse lookup results in non-FQDN %s",
                  host->name);
        strcpy(host->name, paranoid);
        return;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = sa->sa_family;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    if ((rc = getaddrinfo(host->name, NULL, &hints, &res)) != 0) {
        if ((err = resource_gai_failure(rc)) != 0) {
            request_lookup_failed(host->name, err);
            return;
        }
        diag_warn("can't verify hostname: getaddrinfo(%s, %s) failed",
                  host->name,
                  sa->sa_family == AF_INET ? "AF_INET" : "AF_INET6");
        strcpy(host->name, paranoid);
        return;
    }
    canon = res->ai_canonname != NULL ? res->ai_canonname : host->name;
    if (strcasecmp(host->name, canon) != 0 &&
        strcasecmp(host->name, "localhost") != 0) {
        diag_warn("host name/name mismatch: %s != %s", host->name, canon);
        freeaddrinfo(res);
        strcpy(host->name, paranoid);
        return;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if (same_address(ai, sa)) {
            freeaddrinfo(res);
            return;
        }
    }
    if (getnameinfo(sa, len, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST) != 0)
        strcpy(addr, unknown);
    diag_warn("host name/address mismatch: %s != %s", addr, canon);
    freeaddrinfo(res);
    strcpy(host->name, paranoid);
}
