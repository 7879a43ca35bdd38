/*
 * test_hosts.c - endpoints, verified host names and netgroups (hosts.h),
 * against a resolver of the test's own.
 *
 * The test is linked with --wrap for getnameinfo(), getaddrinfo() and
 * innetgr(): name lookups are answered from a table (numeric conversions
 * go to the C library).  The rows are behaviour page 2.6: a reverse name
 * is kept only when its forward lookup gives back the same name (any
 * case; localhost excepted) and the address, else it is "paranoid" with
 * Debian's warning; a reverse lookup that finds nothing leaves the name
 * unknown without a word; a lookup that fails for want of this
 * process's resources is reported as such (request.h).  Then numeric
 * addresses, sock_host() on stream, datagram and other descriptors, and
 * the netgroup question with the NIS domain as Debian asks it.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hosts.h"
#include "request.h"
#include "testnet.h"
#include "testwrap.h"

/* ---- the resolver ---- */

struct fake_host {
    const char *addr;       /* the client, numeric */
    const char *reverse;    /* its name (NULL: reverse_error) */
    int reverse_error;      /* EAI_* of the reverse lookup */
    const char *canon;      /* the forward lookup's canonical name */
    int forward_error;      /* EAI_* of the forward lookup */
    const char *forward[3]; /* its addresses */
};

static const struct fake_host *resolver;   /* the row being decided */
static int reverse_family, forward_family; /* what was asked */

int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags)
{
    if (flags & NI_NUMERICHOST)
        return __real_getnameinfo(sa, salen, host, hostlen, serv, servlen,
                                  flags);
    reverse_family = sa->sa_family;
    if (resolver == NULL || resolver->reverse == NULL) {
        errno = 0;
        return resolver != NULL && resolver->reverse_error != 0
                   ? resolver->reverse_error
                   : EAI_NONAME;
    }
    snprintf(host, hostlen, "%s", resolver->reverse);
    return 0;
}

int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res)
{
    struct addrinfo numeric, *list = NULL, **tail = &list, *one;
    size_t i;
    int rc;

    if (hints != NULL && (hints->ai_flags & AI_NUMERICHOST))
        return __real_getaddrinfo(node, service, hints, res);
    forward_family = hints != NULL ? hints->ai_family : AF_UNSPEC;
    if (resolver == NULL || resolver->reverse == NULL ||
        strcmp(node, resolver->reverse) != 0)
        return EAI_NONAME;
    if (resolver->forward_error != 0) {
        errno = 0;
        return resolver->forward_error;
    }
    memset(&numeric, 0, sizeof(numeric));
    numeric.ai_family = forward_family;
    numeric.ai_socktype = SOCK_STREAM;
    numeric.ai_flags = AI_NUMERICHOST;
    for (i = 0;
         i < TL_COUNT(resolver->forward) && resolver->forward[i] != NULL;
         i++) {
        rc = __real_getaddrinfo(resolver->forward[i], service, &numeric, &one);
        if (rc != 0)
            continue; /* another family */
        *tail = one;
        while (*tail != NULL)
            tail = &(*tail)->ai_next;
    }
    if (list == NULL)
        return EAI_NONAME;
    if (hints->ai_flags & AI_CANONNAME)
        list->ai_canonname =
            strdup(resolver->canon != NULL ? resolver->canon : node);
    *res = list;
    return 0;
}

/* ---- verified names ---- */

/* A client address with its scope: "fe80::1%1" (an index, as numeric). */
static void client_address(struct sockaddr_storage *ss, const char *text)
{
    const char *scope = strchr(text, '%');
    char addr[64];

    snprintf(addr, sizeof(addr), "%.*s",
             (int)(scope != NULL ? (size_t)(scope - text) : strlen(text)),
             text);
    tl_sockaddr(ss, addr, 40000);
    if (scope != NULL)
        ((struct sockaddr_in6 *)ss)->sin6_scope_id = (uint32_t)atoi(scope + 1);
}

static const struct name_case {
    const char *name;
    struct fake_host dns;
    const char *want; /* the name the request gets */
    int error;        /* request_hostname()'s result */
    int family;       /* the families asked (0: AF_INET) */
    const char *log;  /* NULL: "" */
} names[] = {
    {.name = "verified",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .forward = {"192.0.2.1"}},
     .want = "good.example"},
    {.name = "one of several addresses",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .forward = {"192.0.2.7", "192.0.2.1"}},
     .want = "good.example"},
    {.name = "the canonical name in another case is the same name",
     .dns = {.addr = "192.0.2.1",
             .reverse = "Good.Example",
             .canon = "good.example",
             .forward = {"192.0.2.1"}},
     .want = "Good.Example"},
    {.name = "no reverse name: unknown, silently",
     .dns = {.addr = "192.0.2.1", .reverse_error = EAI_NONAME},
     .want = "unknown"},
    {.name = "the reverse lookup fails: unknown, silently",
     .dns = {.addr = "192.0.2.1", .reverse_error = EAI_FAIL},
     .want = "unknown"},
    {.name = "the reverse lookup times out: unknown",
     .dns = {.addr = "192.0.2.1", .reverse_error = EAI_AGAIN},
     .want = "unknown"},
    {.name = "a numeric reverse name",
     .dns = {.addr = "192.0.2.1", .reverse = "192.0.2.9"},
     .want = "paranoid",
     .log = "3 warning: host name/name mismatch: reverse lookup results in "
            "non-FQDN 192.0.2.9\n"},
    {.name = "a numeric IPv6 reverse name",
     .dns = {.addr = "192.0.2.1", .reverse = "::1"},
     .want = "paranoid",
     .log = "3 warning: host name/name mismatch: reverse lookup results in "
            "non-FQDN ::1\n"},
    {.name = "the forward lookup fails",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .forward_error = EAI_NONAME},
     .want = "paranoid",
     .log = "3 warning: can't verify hostname: getaddrinfo(good.example, "
            "AF_INET) failed\n"},
    {.name = "the forward lookup fails, IPv6",
     .dns = {.addr = "2001:db8::1",
             .reverse = "six.example",
             .forward_error = EAI_AGAIN},
     .want = "paranoid",
     .family = AF_INET6,
     .log = "3 warning: can't verify hostname: getaddrinfo(six.example, "
            "AF_INET6) failed\n"},
    {.name = "another canonical name",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .canon = "other.example",
             .forward = {"192.0.2.1"}},
     .want = "paranoid",
     .log = "3 warning: host name/name mismatch: good.example != "
            "other.example\n"},
    {.name = "localhost may have another canonical name",
     .dns = {.addr = "127.0.0.1",
             .reverse = "localhost",
             .canon = "localhost.localdomain",
             .forward = {"127.0.0.1"}},
     .want = "localhost"},
    {.name = "the address is not the name's",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .forward = {"192.0.2.2"}},
     .want = "paranoid",
     .log = "3 warning: host name/address mismatch: 192.0.2.1 != "
            "good.example\n"},
    {.name = "only addresses of the other family",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .forward = {"2001:db8::1"}},
     .want = "paranoid",
     .log = "3 warning: can't verify hostname: getaddrinfo(good.example, "
            "AF_INET) failed\n"},
    {.name = "IPv6, verified",
     .dns = {.addr = "2001:db8::1",
             .reverse = "six.example",
             .forward = {"2001:db8::1"}},
     .want = "six.example",
     .family = AF_INET6},
    {.name = "IPv6, another scope",
     .dns = {.addr = "fe80::1%1",
             .reverse = "link.example",
             .forward = {"fe80::1%2"}},
     .want = "paranoid",
     .family = AF_INET6,
     .log = "3 warning: host name/address mismatch: fe80::1%lo != "
            "link.example\n"},
    /* A mapped client is looked up as the IPv4 address it is. */
    {.name = "a mapped client",
     .dns = {.addr = "::ffff:192.0.2.1",
             .reverse = "good.example",
             .forward = {"192.0.2.1"}},
     .want = "good.example"},
    {.name = "a name with shell metacharacters is text",
     .dns = {.addr = "192.0.2.1",
             .reverse = "$(reboot);`id`",
             .forward_error = EAI_NONAME},
     .want = "paranoid",
     .log = "3 warning: can't verify hostname: getaddrinfo($(reboot);`id`, "
            "AF_INET) failed\n"},
    /* This process's own failures: no answer, the field stays unset
     * and request_hostname() says why (request.h). */
    {.name = "the resolver is out of memory",
     .dns = {.addr = "192.0.2.1", .reverse_error = EAI_MEMORY},
     .want = "",
     .error = ENOMEM,
     .log = "3 warning: cannot look up the name of 192.0.2.1: Cannot "
            "allocate memory\n"},
    {.name = "the forward lookup is out of memory",
     .dns = {.addr = "192.0.2.1",
             .reverse = "good.example",
             .forward_error = EAI_MEMORY},
     .want = "",
     .error = ENOMEM,
     .log = "3 warning: cannot look up the name of 192.0.2.1: Cannot "
            "allocate memory\n"},
};

static void test_names(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(names); i++) {
        const struct name_case *c = &names[i];
        struct sockaddr_storage client;
        struct request_info r;
        const char *name = "";
        int err;

        client_address(&client, c->dns.addr);
        request_init(&r, RQ_CLIENT_SIN, &client, 0);
        sock_methods(&r);
        resolver = &c->dns;
        reverse_family = forward_family = 0;
        tl_log_clear();
        err = request_hostname(r.client, &name);
        resolver = NULL;
        if (err != c->error || strcmp(r.client->name, c->want) != 0 ||
            (err == 0 && strcmp(name, c->want) != 0) ||
            reverse_family != (c->family != 0 ? c->family : AF_INET) ||
            (forward_family != 0 &&
             forward_family != (c->family != 0 ? c->family : AF_INET)) ||
            strcmp(tl_log(), c->log != NULL ? c->log : "") != 0) {
            print_error("%s: error %d, name \"%s\", families %d/%d, log:\n%s",
                        c->name, err, r.client->name, reverse_family,
                        forward_family, tl_log());
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* A reverse name longer than the request holds is cut, and the cut
 * name fails its forward lookup, as with Debian. */
static void test_long_name(void **state)
{
    struct fake_host dns = {.addr = "192.0.2.1", .forward = {"192.0.2.1"}};
    struct sockaddr_storage client;
    struct request_info r;
    char name[201], want[400];

    (void)state;
    memset(name, 'a', 192);
    memcpy(name + 192, ".example", 9);
    dns.reverse = name;
    client_address(&client, dns.addr);
    request_init(&r, RQ_CLIENT_SIN, &client, 0);
    sock_methods(&r);
    resolver = &dns;
    assert_string_equal(eval_hostname(r.client), "paranoid");
    resolver = NULL;
    snprintf(want, sizeof(want),
             "3 warning: can't verify hostname: getaddrinfo(%.127s, AF_INET) "
             "failed\n",
             name);
    tl_assert_log(want);
}

/* No address, or one of a family the library does not know: nothing is
 * looked up and nothing is written. */
static void test_no_address(void **state)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    struct host_info h;

    (void)state;
    memset(&h, 0, sizeof(h));
    sock_hostname(&h);
    sock_hostaddr(&h);
    assert_string_equal(h.name, "");
    assert_string_equal(h.addr, "");
    h.sin = (void *)&un;
    sock_hostname(&h);
    sock_hostaddr(&h);
    assert_string_equal(h.name, "");
    assert_string_equal(h.addr, "");
    sock_hostname(NULL);
    sock_hostaddr(NULL);
    tl_assert_log("");
}

static const struct addr_case {
    const char *addr; /* as client_address() reads it */
    const char *want;
} addrs[] = {
    {.addr = "192.0.2.1", .want = "192.0.2.1"},
    {.addr = "2001:db8::1", .want = "2001:db8::1"},
    {.addr = "::ffff:192.0.2.1", .want = "::ffff:192.0.2.1"},
    {.addr = "fe80::1%1", .want = "fe80::1%lo"},
    {.addr = "::", .want = "::"},
};

static void test_addresses(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(addrs); i++) {
        struct sockaddr_storage ss;
        struct host_info h;

        memset(&h, 0, sizeof(h));
        client_address(&ss, addrs[i].addr);
        h.sin = (void *)&ss;
        sock_hostaddr(&h);
        if (strcmp(h.addr, addrs[i].want) != 0)
            fail_msg("%s: \"%s\"", addrs[i].addr, h.addr);
    }
    {
        struct sockaddr sa = {.sa_family = AF_INET};
        struct sockaddr sb = {.sa_family = AF_INET6};
        struct sockaddr sc = {.sa_family = AF_UNIX};
        struct sockaddr sd = {.sa_family = AF_UNSPEC};
        assert_int_equal(hosts_sockaddr_len(&sa), sizeof(struct sockaddr_in));
        assert_int_equal(hosts_sockaddr_len(&sb), sizeof(struct sockaddr_in6));
        assert_int_equal(hosts_sockaddr_len(&sc), 0);
        assert_int_equal(hosts_sockaddr_len(&sd), 0);
    }
}

/* ---- sock_host() ---- */

static void test_sock_host_stream(void **state)
{
    struct request_info r;
    struct sockaddr_in peer, local;
    socklen_t len = sizeof(peer);
    int server, client;

    (void)state;
    tn_tcp_pair(&server, &client);
    request_init(&r, RQ_FILE, server, 0);
    sock_host(&r);
    assert_non_null(r.client->sin);
    assert_non_null(r.server->sin);
    assert_null(r.sink);
    assert_ptr_equal(r.hostname, sock_hostname);
    assert_ptr_equal(r.hostaddr, sock_hostaddr);
    assert_int_equal(getsockname(client, (struct sockaddr *)&peer, &len), 0);
    assert_int_equal(((struct sockaddr_in *)r.client->sin)->sin_port,
                     peer.sin_port);
    len = sizeof(local);
    assert_int_equal(getsockname(server, (struct sockaddr *)&local, &len), 0);
    assert_int_equal(((struct sockaddr_in *)r.server->sin)->sin_port,
                     local.sin_port);
    assert_string_equal(eval_hostaddr(r.client), "127.0.0.1");
    tl_assert_log("");
    close(server);
    close(client);
    sock_host(NULL);
}

/* A datagram socket: the sender of the next datagram, peeked at; the
 * sink reads it. */
static void test_sock_host_datagram(void **state)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    struct request_info r;
    char buf[8];
    int rx, tx;

    (void)state;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_int_equal(bind(rx, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(rx, (struct sockaddr *)&a, &len), 0);
    assert_int_equal(sendto(tx, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)),
                     1);
    request_init(&r, RQ_FILE, rx, 0);
    sock_host(&r);
    assert_non_null(r.sink);
    assert_non_null(r.client->sin);
    assert_string_equal(eval_hostaddr(r.client), "127.0.0.1");
    /* Peeked, not read: the sink reads it. */
    assert_int_equal(recv(rx, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT), 1);
    r.sink(rx);
    assert_int_equal(recv(rx, buf, sizeof(buf), MSG_DONTWAIT), -1);
    assert_int_equal(errno, EAGAIN);
    tl_assert_log("");
    /* Nothing to peek at (non-blocking): no client address. */
    fcntl(rx, F_SETFL, O_NONBLOCK);
    request_init(&r, RQ_FILE, rx, 0);
    sock_host(&r);
    assert_null(r.client->sin);
    tl_assert_log("3 warning: can't get client address: Resource "
                  "temporarily unavailable\n");
    close(rx);
    close(tx);
}

static void test_sock_host_not_a_socket(void **state)
{
    struct request_info r;
    int p[2];

    (void)state;
    assert_int_equal(pipe(p), 0);
    request_init(&r, RQ_FILE, p[0], 0);
    sock_host(&r);
    assert_null(r.client->sin);
    assert_null(r.server->sin);
    tl_assert_log("3 warning: can't get client address: Socket operation on "
                  "non-socket\n");
    close(p[0]);
    close(p[1]);
}

/* The addresses sock_host() keeps are per thread (compat-policy D7). */
static void *other_sock_host(void *arg)
{
    struct request_info r;
    int server, client;
    void *sin;

    (void)arg;
    tn_tcp_pair(&server, &client);
    request_init(&r, RQ_FILE, server, 0);
    sock_host(&r);
    sin = r.client->sin;
    close(server);
    close(client);
    return sin;
}

static void test_sock_host_threads(void **state)
{
    struct request_info r;
    pthread_t t;
    void *theirs;
    int server, client;

    (void)state;
    tn_tcp_pair(&server, &client);
    request_init(&r, RQ_FILE, server, 0);
    sock_host(&r);
    assert_int_equal(pthread_create(&t, NULL, other_sock_host, NULL), 0);
    assert_int_equal(pthread_join(t, &theirs), 0);
    assert_non_null(theirs);
    assert_ptr_not_equal(theirs, r.client->sin);
    close(server);
    close(client);
}

/* ---- netgroups ---- */

static int netgroup_errno;
static char netgroup_domain[64];

int __wrap_innetgr(const char *group, const char *host, const char *user,
                   const char *domain)
{
    snprintf(netgroup_domain, sizeof(netgroup_domain), "%s",
             domain != NULL ? domain : "(null)");
    if (user != NULL)
        return 0;
    if (netgroup_errno != 0) {
        errno = netgroup_errno;
        return 0;
    }
    return strcmp(group, "g") == 0 && strcmp(host, "member") == 0;
}

static const struct netgroup_case {
    const char *group, *host;
    int err; /* errno innetgr() leaves with its 0 */
    int want;
    int want_errno;
} netgroups[] = {
    {.group = "g", .host = "member", .want = 1},
    {.group = "g", .host = "other", .want = 0},
    {.group = "G", .host = "member", .want = 0},
    {.group = "g", .host = "unknown", .want = 0},
    {.group = "g",
     .host = "other",
     .err = EMFILE,
     .want = -1,
     .want_errno = EMFILE},
    {.group = "g",
     .host = "other",
     .err = ENOMEM,
     .want = -1,
     .want_errno = ENOMEM},
    {.group = "g", .host = "other", .err = ENOENT, .want = 0},
};

static void test_netgroups(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(netgroups); i++) {
        const struct netgroup_case *c = &netgroups[i];
        int got;

        netgroup_errno = c->err;
        errno = 0;
        got = hosts_in_netgroup(c->group, c->host);
        if (got != c->want || (got < 0 && errno != c->want_errno))
            fail_msg("%s %s: %d (errno %d)", c->group, c->host, got, errno);
    }
    netgroup_errno = 0;
}

/* The NIS domain is what the system says, NULL when it says none, as
 * yp_get_default_domain() would give it (2.4.1); in a UTS namespace of
 * its own, a child sets one. */
static void test_netgroup_domain(void **state)
{
    char domain[256];
    pid_t pid;
    int status;

    (void)state;
    if (getdomainname(domain, sizeof(domain)) != 0)
        domain[0] = '\0';
    (void)hosts_in_netgroup("g", "member");
    if (domain[0] == '\0' || strcmp(domain, "(none)") == 0)
        assert_string_equal(netgroup_domain, "(null)");
    else
        assert_string_equal(netgroup_domain, domain);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (unshare(CLONE_NEWUTS) != 0 ||
            setdomainname("nis.example", 11) != 0)
            _exit(10);
        if (hosts_in_netgroup("g", "member") != 1 ||
            strcmp(netgroup_domain, "nis.example") != 0)
            _exit(11);
        if (setdomainname("(none)", 6) != 0)
            _exit(12);
        (void)hosts_in_netgroup("g", "member");
        _exit(strcmp(netgroup_domain, "(null)") == 0 ? 0 : 13);
    }
    status = tl_wait(pid, 10);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 10)
        fail_msg("FATAL: a UTS namespace of its own: this test needs root "
                 "(CAP_SYS_ADMIN)");
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_long_name, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_address, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_addresses),
        cmocka_unit_test_setup_teardown(test_sock_host_stream, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_sock_host_datagram, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_sock_host_not_a_socket, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_sock_host_threads, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_netgroups),
        cmocka_unit_test(test_netgroup_domain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
