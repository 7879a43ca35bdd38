/*
 * test_fdfaults.c - no exhausted descriptor or failed lookup may grant.
 *
 * The descriptor and resolver calls the library makes are wrapped
 * (-Wl,--wrap: open, openat, socket, pipe, pipe2, dup, dup2, the
 * descriptor-making fcntl() commands, getaddrinfo, getnameinfo,
 * innetgr), and the resolver answers from a table of its own.  Over two
 * tables that use every kind of pattern (addresses, names, suffixes,
 * KNOWN, LOCAL, PARANOID, UNKNOWN, netgroups, user@host with and without
 * an ident query (a server of the test's own on 127.0.2.9), /file lists,
 * net/mask, IPv6 prefixes, EXCEPT, aclexec), each request is decided once
 * without faults after 0, 1, 2 and 3 warm-up decisions (the streamed, whole
 * and indexed paths); then, for N = 1, 2, ... until the decision makes fewer
 * than N such calls, the N-th call fails with EMFILE, ENFILE or ENOMEM, either
 * once or from then on (real exhaustion lasts: the resolver then answers
 * EAI_AGAIN with errno 0, as glibc's does when it has no descriptor).
 * No such decision may grant a request that the run without faults
 * denies, and none may leave a descriptor behind.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cache.h"
#include "testwrap.h"

/* ---- the injector ---- */

static bool armed;      /* counting and failing */
static long calls;      /* calls while armed */
static long fail_at;    /* the call to fail first (1-based) */
static bool persistent; /* fail every call from fail_at on */
static int fail_errno;  /* EMFILE, ENFILE or ENOMEM */

/* True when this call is to fail (errno is then set). */
static bool inject(void)
{
    if (!armed)
        return false;
    ++calls;
    if (calls == fail_at || (persistent && calls > fail_at)) {
        errno = fail_errno;
        return true;
    }
    return false;
}

int __wrap_open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
    return inject() ? -1 : __real_open(path, flags, mode);
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = (mode_t)va_arg(ap, int);
    va_end(ap);
    return inject() ? -1 : __real_openat(dirfd, path, flags, mode);
}

int __wrap_socket(int domain, int type, int protocol)
{
    return inject() ? -1 : __real_socket(domain, type, protocol);
}

int __wrap_pipe(int fds[2])
{
    return inject() ? -1 : __real_pipe(fds);
}

int __wrap_pipe2(int fds[2], int flags)
{
    return inject() ? -1 : __real_pipe2(fds, flags);
}

int __wrap_dup(int fd)
{
    return inject() ? -1 : __real_dup(fd);
}

int __wrap_dup2(int fd, int to)
{
    return inject() ? -1 : __real_dup2(fd, to);
}

int __wrap_fcntl(int fd, int cmd, ...)
{
    va_list ap;
    long arg;

    va_start(ap, cmd);
    arg = va_arg(ap, long);
    va_end(ap);
    if ((cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC) && inject())
        return -1;
    return __real_fcntl(fd, cmd, arg);
}

/* ---- the resolver: names from a table ---- */

struct host {
    const char *addr;    /* the client */
    const char *reverse; /* its name, or NULL */
    const char *forward; /* the address the name gives back */
};

static const struct host hosts[] = {
    {"127.0.2.1", "one.good.example", "127.0.2.1"},
    {"127.0.2.2", "two.good.example", "127.0.2.2"},
    {"127.0.2.3", "local", "127.0.2.3"},
    {"127.0.2.7", "alice.example", "127.0.2.7"},
    {"127.0.2.8", "mallory.example", "127.0.2.8"},
    {"127.0.2.9", "nobody.example", "127.0.2.9"},
    {"127.0.2.30", "friend.example", "127.0.2.30"},
    {"127.0.2.31", "enemy.example", "127.0.2.31"},
    {"127.0.2.40", "r.example", "127.0.2.40"},
    {"127.0.2.41", "ok.example", "127.0.2.41"},
    {"127.0.2.50", "member.example", "127.0.2.50"},
    {"127.0.2.51", "trusted.example", "127.0.2.51"},
    {"127.0.2.66", "bad.evil.example", "127.0.2.66"},
    {"127.0.2.67", "liar.example", "127.0.2.99"},
    {"10.1.2.3", "ten.example", "10.1.2.3"},
    {"10.6.6.6", "six.example", "10.6.6.6"},
};

/* The table entry for an address or a name. */
static const struct host *find_host(const char *addr, const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        if ((addr != NULL && strcmp(hosts[i].addr, addr) == 0) ||
            (name != NULL && hosts[i].reverse != NULL &&
             strcmp(hosts[i].reverse, name) == 0))
            return &hosts[i];
    }
    return NULL;
}

/* What an injected resolver failure returns: glibc's EAI_AGAIN with
 * errno 0 when descriptors stay exhausted, else the error itself. */
static int resolver_failure(void)
{
    if (fail_errno == ENOMEM)
        return EAI_MEMORY;
    if (persistent) {
        errno = 0;
        return EAI_AGAIN;
    }
    errno = fail_errno;
    return EAI_SYSTEM;
}

int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags)
{
    char addr[INET6_ADDRSTRLEN];
    const struct host *h;
    int rc;

    /* Numeric conversions need no resources: not an injection point. */
    if (flags & NI_NUMERICHOST)
        return __real_getnameinfo(sa, salen, host, hostlen, serv, servlen,
                                  flags);
    if (inject())
        return resolver_failure();
    rc = __real_getnameinfo(sa, salen, addr, sizeof(addr), NULL, 0,
                            NI_NUMERICHOST);
    if (rc != 0)
        return rc;
    if ((h = find_host(addr, NULL)) == NULL || h->reverse == NULL)
        return EAI_NONAME;
    snprintf(host, hostlen, "%s", h->reverse);
    return 0;
}

int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res)
{
    const struct host *h;
    struct addrinfo numeric;
    int rc;

    if (hints != NULL && (hints->ai_flags & AI_NUMERICHOST))
        return __real_getaddrinfo(node, service, hints, res);
    if (inject())
        return resolver_failure();
    if (node == NULL || (h = find_host(NULL, node)) == NULL)
        return EAI_NONAME;
    memset(&numeric, 0, sizeof(numeric));
    numeric.ai_family = hints != NULL ? hints->ai_family : AF_UNSPEC;
    numeric.ai_socktype = SOCK_STREAM;
    numeric.ai_flags = AI_NUMERICHOST;
    rc = __real_getaddrinfo(h->forward, service, &numeric, res);
    if (rc == 0 && hints != NULL && (hints->ai_flags & AI_CANONNAME))
        (*res)->ai_canonname = strdup(node); /* freeaddrinfo() frees it */
    return rc;
}

int __wrap_innetgr(const char *group, const char *host, const char *user,
                   const char *domain)
{
    (void)user;
    (void)domain;
    if (inject())
        return 0; /* errno says why, as with glibc's files backend */
    return (strcmp(group, "trusted") == 0 &&
            strcmp(host, "trusted.example") == 0) ||
           (strcmp(group, "blocked") == 0 &&
            strcmp(host, "member.example") == 0);
}

/* ---- an ident server on 127.0.2.9 that says "mallory" ---- */

/* The server is a child process, so that the connections it holds are
 * never counted among this process's descriptors: a server thread here
 * may still hold a connection the library has long closed (it accepts
 * and closes on its own schedule), and a busy machine made that read as
 * a descriptor the library left open. */
static pid_t ident_pid = -1;

/* Answers each query with the ports it was asked about; never returns. */
static void ident_serve(int listener)
{
    char query[64], reply[128];
    ssize_t n;
    int fd;

    while ((fd = accept(listener, NULL, NULL)) >= 0) {
        n = recv(fd, query, sizeof(query) - 1, 0);
        if (n > 0) {
            query[n] = '\0';
            query[strcspn(query, "\r\n")] = '\0';
            n = snprintf(reply, sizeof(reply),
                         "%s : USERID : UNIX : mallory\r\n", query);
            (void)send(fd, reply, (size_t)n, MSG_NOSIGNAL);
        }
        close(fd);
    }
    _exit(1);
}

static void stop_ident(void)
{
    if (ident_pid > 0) {
        kill(ident_pid, SIGKILL);
        (void)waitpid(ident_pid, NULL, 0);
        ident_pid = -1;
    }
}

/* Starts the server (port 113 needs root, which the suite has); false
 * when it cannot.  It listens before this returns, so no query can find
 * the port closed. */
static bool start_ident(void)
{
    struct sockaddr_in sa;
    int one = 1, fd;

    if (ident_pid > 0)
        return true;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(113);
    inet_pton(AF_INET, "127.0.2.9", &sa.sin_addr);
    fd = __real_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 16) < 0) {
        print_error("ident server on 127.0.2.9:113: %s\n", strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    ident_pid = fork();
    if (ident_pid == 0) {
        /* Goes with this process, however it ends. */
        (void)prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() == 1)
            _exit(1);
        ident_serve(fd);
    }
    close(fd);
    if (ident_pid < 0) {
        print_error("fork: %s\n", strerror(errno));
        return false;
    }
    atexit(stop_ident);
    return true;
}

/* ---- the scenario ---- */

static const char allow_table[] = "sshd: 127.0.2.1\n"
                                  "sshd: .good.example\n"
                                  "ftpd: KNOWN\n"
                                  "imapd: @trusted\n"
                                  "popd: alice@127.0.2.7\n"
                                  "ALL: %T/allowlist\n"
                                  "telnetd: LOCAL\n"
                                  "smtpd: 10.0.0.0/8 EXCEPT 10.6.6.6\n"
                                  "smtpd: [2001:db8::]/32\n"
                                  "rshd: ALL: aclexec exit 0\n"
                                  "ALL: 127.0.2.80: deny\n";

static const char deny_table[] = "ALL: PARANOID\n"
                                 "ALL: .evil.example\n"
                                 "ALL: %T/blocklist\n"
                                 "ALL: @blocked\n"
                                 "ALL: mallory@ALL\n"
                                 "ALL: 10.6.6.6\n"
                                 "ftpd: UNKNOWN\n";

/* One request: daemon, client address, and user (NULL: ask its ident
 * server, which only loopback clients may have). */
struct request_case {
    const char *daemon, *addr, *user;
};

static const struct request_case requests[] = {
    {"sshd", "127.0.2.1", "u"},     {"sshd", "127.0.2.2", "u"},
    {"ftpd", "127.0.2.2", "u"},     {"ftpd", "127.0.2.68", "u"},
    {"imapd", "127.0.2.51", "u"},   {"imapd", "127.0.2.50", "u"},
    {"popd", "127.0.2.7", "alice"}, {"popd", "127.0.2.8", "mallory"},
    {"anyd", "127.0.2.30", "u"},    {"anyd", "127.0.2.31", "u"},
    {"telnetd", "127.0.2.3", "u"},  {"smtpd", "10.1.2.3", "u"},
    {"smtpd", "10.6.6.6", "u"},     {"smtpd", "2001:db8::5", "u"},
    {"anyd", "127.0.2.66", "u"},    {"anyd", "127.0.2.67", "u"},
    {"anyd", "127.0.2.9", NULL},    {"rshd", "127.0.2.40", "u"},
    {"anyd", "127.0.2.41", "u"},    {"anyd", "127.0.2.80", "u"},
};

/* Writes the tables, with %T replaced by the test directory. */
static void write_tables(void)
{
    struct strbuf allow = STRBUF_INIT, deny = STRBUF_INIT;

    tl_expand(&allow, allow_table);
    tl_expand(&deny, deny_table);
    tl_tables(sb_str(&allow), sb_str(&deny));
    sb_free(&allow);
    sb_free(&deny);
    tl_write("allowlist", "127.0.2.30\n");
    tl_write("blocklist", "10.9.9.9 127.0.2.31\n");
}

/* Decides a request as a daemon does after sock_host(): addresses known,
 * names and users looked up when a rule needs them. */
static int decide(const struct request_case *c)
{
    struct sockaddr_storage client, server;
    struct request_info r;

    tl_sockaddr(&client, c->addr, 40000);
    tl_sockaddr(&server, strchr(c->addr, ':') ? "::1" : "127.0.0.1", 22);
    request_init(&r, RQ_DAEMON, c->daemon, RQ_CLIENT_SIN, &client,
                 RQ_SERVER_SIN, &server, 0);
    if (c->user != NULL)
        request_set(&r, RQ_USER, c->user, 0);
    sock_methods(&r);
    return hosts_access(&r);
}

/* Decisions that fill the cache: the first streams each table, the
 * second reads it whole, the third builds its index. */
static void warm_up(int n)
{
    int i;

    cache_flush();
    for (i = 0; i < n; i++)
        (void)tl_ctl("warmd", "unknown", "127.0.2.200", "w");
}

static void test_no_fault_grants(void **state)
{
    static const int errnos[] = {EMFILE, ENFILE, ENOMEM};
    size_t i;
    long points = 0, decisions = 0, denied_by_fault = 0;
    int warmups, e, mode, grants = 0, leaks = 0, fds;

    (void)state;
    rfc931_timeout = 30; /* a bound, never reached: a slow answer
                          * would read as "unknown" */
    assert_true(start_ident());
    write_tables();
    fds = tl_count_fds();
    for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
        const struct request_case *c = &requests[i];
        for (warmups = 0; warmups <= 3; warmups++) {
            int baseline;

            warm_up(warmups);
            baseline = decide(c);
            for (e = 0; e < 3; e++) {
                for (mode = 0; mode < 2; mode++) {
                    for (fail_at = 1;; fail_at++) {
                        int got;

                        warm_up(warmups);
                        fail_errno = errnos[e];
                        persistent = mode == 1;
                        calls = 0;
                        armed = true;
                        got = decide(c);
                        armed = false;
                        decisions++;
                        if (calls < fail_at)
                            break;
                        points++;
                        denied_by_fault += baseline && !got;
                        if (got && !baseline && grants++ < 10)
                            print_error("%s from %s after %d warm-ups: "
                                        "call %ld failing (%s, %s) "
                                        "grants\n%s",
                                        c->daemon, c->addr, warmups, fail_at,
                                        strerror(errnos[e]),
                                        persistent ? "from then on" : "once",
                                        tl_log());
                        tl_log_clear();
                    }
                }
            }
        }
        if (tl_count_fds() != fds) {
            print_error("%s from %s: %d descriptors left open\n", c->daemon,
                        c->addr, tl_count_fds() - fds);
            leaks++;
            fds = tl_count_fds();
        }
    }
    tl_log_clear();
    print_message("robustness: descriptor and resolver faults: %ld "
                  "injection points over %zu requests, %ld decisions, %ld "
                  "grants turned into denials, %d denials turned into "
                  "grants, %d requests left descriptors open\n",
                  points, sizeof(requests) / sizeof(requests[0]), decisions,
                  denied_by_fault, grants, leaks);
    assert_int_equal(grants, 0);
    assert_int_equal(leaks, 0);
}

/* The scenario means something: without faults, some requests are
 * granted and some denied, by the rule the case is about. */
static void test_baseline(void **state)
{
    static const int want[] = {1, 1, 1, 0, 1, 0, 1, 0, 1, 0,
                               1, 1, 0, 1, 0, 0, 0, 1, 1, 0};
    size_t i;

    (void)state;
    rfc931_timeout = 30; /* a bound, never reached: a slow answer
                          * would read as "unknown" */
    assert_true(start_ident());
    write_tables();
    assert_int_equal(sizeof(want) / sizeof(want[0]),
                     sizeof(requests) / sizeof(requests[0]));
    for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
        warm_up(3);
        if (decide(&requests[i]) != want[i])
            print_error("%s from %s: want %d\n", requests[i].daemon,
                        requests[i].addr, want[i]);
        assert_int_equal(decide(&requests[i]), want[i]);
    }
    tl_log_clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_baseline, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_fault_grants, tl_setup,
                                        tl_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
