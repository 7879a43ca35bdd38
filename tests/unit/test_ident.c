/*
 * test_ident.c - the RFC 931 client against a real ident server.
 *
 * The whole test runs in a private network namespace (root needed; the
 * test fails, loudly, without it), where it can serve 127.0.0.1:113 and
 * [::1]:113 itself; no query ever leaves the namespace.  Expected users
 * for each reply were recorded from Debian's libwrap0 7.6.q-32 against
 * the same server.  Also checked: the query text and the addresses it
 * is sent from and to, the timeout, the caller's SIGALRM handler and
 * pending alarm, SIGPIPE, concurrent lookups, and the lookup through
 * %u and the rfc931 option.
 */
#include "testlib.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ident.h"
#include "options.h"
#include "testnet.h"

/* What one server thread does and saw. */
struct ident_server {
    int listener;
    const char *reply; /* NULL: answer "u<client port>" to any query */
    size_t reply_len;
    int delay_ms;    /* before replying */
    int connections; /* how many to serve */
    bool reset;      /* close at once with a reset, reading nothing */
    int accept_ms;   /* give up waiting for a connection after this */
    /* results */
    char query[64];
    char peer[INET6_ADDRSTRLEN];
    char local[INET6_ADDRSTRLEN];
    int served;
};

static int listener4, listener6, listener7;

/* Text form of a socket address's host. */
static void host_text(const struct sockaddr_storage *ss, char *out,
                      size_t size)
{
    if (ss->ss_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, out,
                  (socklen_t)size);
    else
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, out,
                  (socklen_t)size);
}

/* Serves the connections of one test case. */
static void *serve(void *arg)
{
    struct ident_server *s = arg;
    int i;

    for (i = 0; i < s->connections; i++) {
        struct pollfd p = {s->listener, POLLIN, 0};
        struct sockaddr_storage ss;
        socklen_t len = sizeof(ss);
        char query[64];
        size_t n = 0;
        ssize_t k;
        int c;

        if (poll(&p, 1, s->accept_ms) <= 0)
            break;
        c = accept4(s->listener, (struct sockaddr *)&ss, &len, SOCK_CLOEXEC);
        if (c < 0)
            break;
        s->served++;
        host_text(&ss, s->peer, sizeof(s->peer));
        len = sizeof(ss);
        getsockname(c, (struct sockaddr *)&ss, &len);
        host_text(&ss, s->local, sizeof(s->local));
        if (s->reset) {
            struct linger lg = {1, 0};
            setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
            close(c);
            continue;
        }
        while (n < sizeof(query) - 1 && (n == 0 || query[n - 1] != '\n')) {
            struct pollfd q = {c, POLLIN, 0};
            if (poll(&q, 1, 2000) <= 0 ||
                (k = read(c, query + n, sizeof(query) - 1 - n)) <= 0)
                break;
            n += (size_t)k;
        }
        query[n] = '\0';
        if (i == 0)
            memcpy(s->query, query, sizeof(query));
        if (s->delay_ms > 0)
            usleep((useconds_t)s->delay_ms * 1000);
        if (s->reply != NULL) {
            (void)!write(c, s->reply, s->reply_len);
        } else {
            unsigned rport = 0, lport = 0;
            char reply[128];
            sscanf(query, "%u,%u", &rport, &lport);
            snprintf(reply, sizeof(reply), "%u,%u:USERID:UNIX:u%u\r\n", rport,
                     lport, rport);
            (void)!write(c, reply, strlen(reply));
        }
        close(c);
    }
    return NULL;
}

static void server_start(struct ident_server *s, pthread_t *t)
{
    if (s->connections == 0)
        s->connections = 1;
    if (s->accept_ms == 0)
        s->accept_ms = 3000;
    assert_int_equal(pthread_create(t, NULL, serve, s), 0);
}

/* An IPv4 socket address. */
static struct sockaddr_in v4(const char *host, unsigned port)
{
    struct sockaddr_in a;

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &a.sin_addr);
    return a;
}

/* Asks 127.0.0.1 about client port 4321, server port 80. */
static const char *lookup(void)
{
    static char user[STRING_LENGTH];
    struct sockaddr_in remote = v4("127.0.0.1", 4321);
    struct sockaddr_in local = v4("127.0.0.1", 80);

    rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local, user);
    return user;
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

#define REPLY(s) s, sizeof(s) - 1

/* The reply parser, case by case, through the network. */
static void test_replies(void **state)
{
    static const struct {
        const char *reply;
        size_t len;
        const char *user;
    } cases[] = {
        {REPLY("4321 , 80 : USERID : UNIX : joe\r\n"), "joe"},
        {REPLY("4321,80:USERID:UNIX:joe\r\n"), "joe"},
        {REPLY("4321 , 80 : USERID : UNIX : joe smith;rm\r\n"), "joe"},
        {REPLY("4321,80:USERID:OTHER,US-ASCII :  j:oe\r\n"), "j:oe"},
        {REPLY("4321,80:userid:UNIX:joe\r\n"), "unknown"},
        {REPLY("4321,80: USERID :UNIX:joe\n"), "joe"},
        {REPLY("4321,80:USERID:UNIX:joe"), "unknown"},
        {REPLY("4321,80:USERID:UNIX:jo\re\r\n"), "jo"},
        {REPLY("4321,80:USERID:UNIX:\r\n"), "unknown"},
        {REPLY("4321,80:USERID:UNIX:   \r\n"), "unknown"},
        {REPLY("4321,81:USERID:UNIX:joe\r\n"), "unknown"},
        {REPLY("4322,80:USERID:UNIX:joe\r\n"), "unknown"},
        {REPLY("4321,80:ERROR:NO-USER\r\n"), "unknown"},
        {REPLY("4321,80:USERID:UNIX\r\n"), "unknown"},
        {REPLY("+4321,080:USERID:UNIX:joe\r\n"), "joe"},
        {REPLY(" 4321 ,80 :USERID:UNIX:joe\r\n"), "joe"},
        {REPLY("4321,80:USERID:UNIX:joe\0x\r\n"), "joe"},
        {REPLY("4321,80:USERID:UNIX:j\001o\377e\r\n"), "j\001o\377e"},
        {REPLY("4321,80:USERID :UNIX:joe\r\n"), "joe"},
        {REPLY("4321,80:USERID:UNIX:joe\tbob\r\n"), "joe"},
        {REPLY("4321,80:USERID:UNIX:\tjoe\r\n"), "joe"},
        {REPLY("4321,80x:USERID:UNIX:joe\r\n"), "unknown"},
        {REPLY("4321,80:USERIDx:UNIX:joe\r\n"), "unknown"},
        {REPLY("4321,80:USERID:UNIX:joe\nsecond\n"), "joe"},
        {REPLY("4321,80:USERID::joe\r\n"), "unknown"},
        {REPLY("4294971617,80:USERID:U:joe\r\n"), "joe"},
        {REPLY("-4321,80:USERID:U:joe\r\n"), "unknown"},
        {REPLY("4321,80:USERID:U:joe\rzzz\n"), "joe"},
        {REPLY("4321,80:USERID:U:\013joe\014x\r\n"), "joe"},
        {REPLY("4321 80:USERID:U:joe\r\n"), "unknown"},
        {REPLY("4321,80,:USERID:U:joe\r\n"), "unknown"},
        {REPLY("\r\n4321,80:USERID:U:joe\r\n"), "unknown"},
        {REPLY("4321,80:USERID:U:joe:x\r\n"), "joe:x"},
        {REPLY(""), "unknown"},
    };
    size_t i;

    (void)state;
    rfc931_timeout = 10;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ident_server s = {0};
        pthread_t t;

        s.listener = listener4;
        s.reply = cases[i].reply;
        s.reply_len = cases[i].len;
        server_start(&s, &t);
        if (strcmp(lookup(), cases[i].user) != 0)
            fail_msg("reply %zu: got \"%s\", want \"%s\"", i, lookup(),
                     cases[i].user);
        pthread_join(t, NULL);
        assert_string_equal(s.query, "4321,80\r\n");
    }
    tl_assert_log("");
}

/* Lengths: the user is cut to 127 bytes; only the first 511 bytes of a
 * line count, even without a newline among them. */
static void test_lengths(void **state)
{
    static const struct {
        size_t pad;
        const char *user;
    } cases[] = {
        {492, "joe"},     {493, "jo"},       {494, "j"},
        {495, "unknown"}, {1000, "unknown"},
    };
    struct strbuf reply = STRBUF_INIT;
    char want[128];
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct ident_server s = {0};
        pthread_t t;

        sb_reset(&reply);
        sb_puts(&reply, "4321,80:USERID:");
        for (k = 0; k < cases[i].pad; k++)
            sb_putc(&reply, 'x');
        sb_puts(&reply, ":joe\r\n");
        s.listener = listener4;
        s.reply = reply.data;
        s.reply_len = reply.len;
        server_start(&s, &t);
        assert_string_equal(lookup(), cases[i].user);
        pthread_join(t, NULL);
    }
    for (k = 200; k <= 300; k += 100) {
        struct ident_server s = {0};
        pthread_t t;

        sb_reset(&reply);
        sb_puts(&reply, "4321,80:USERID:UNIX:");
        for (i = 0; i < k; i++)
            sb_putc(&reply, 'u');
        sb_puts(&reply, "\r\n");
        s.listener = listener4;
        s.reply = reply.data;
        s.reply_len = reply.len;
        server_start(&s, &t);
        memset(want, 'u', 127);
        want[127] = '\0';
        assert_string_equal(lookup(), want);
        pthread_join(t, NULL);
    }
    sb_free(&reply);
}

/* The query leaves from our address of the connection (port chosen by
 * the system) for port 113 of the client's address. */
static void test_addresses(void **state)
{
    struct ident_server s = {0};
    struct sockaddr_in remote = v4("127.0.0.7", 1234);
    struct sockaddr_in local = v4("127.0.0.5", 25);
    char user[STRING_LENGTH];
    pthread_t t;

    (void)state;
    s.listener = listener7;
    server_start(&s, &t);
    rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local, user);
    pthread_join(t, NULL);
    assert_string_equal(user, "u1234");
    assert_string_equal(s.query, "1234,25\r\n");
    assert_string_equal(s.peer, "127.0.0.5");
    assert_string_equal(s.local, "127.0.0.7");
}

/* IPv6, and mixed families (no query at all). */
static void test_ipv6(void **state)
{
    struct ident_server s = {0};
    struct sockaddr_in6 remote, local;
    struct sockaddr_in local4 = v4("127.0.0.1", 80);
    char user[STRING_LENGTH];
    pthread_t t;

    (void)state;
    memset(&remote, 0, sizeof(remote));
    remote.sin6_family = AF_INET6;
    remote.sin6_port = htons(5555);
    remote.sin6_addr = in6addr_loopback;
    local = remote;
    local.sin6_port = htons(22);
    s.listener = listener6;
    server_start(&s, &t);
    rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local, user);
    pthread_join(t, NULL);
    assert_string_equal(user, "u5555");
    assert_string_equal(s.query, "5555,22\r\n");
    assert_string_equal(s.peer, "::1");

    memset(&s, 0, sizeof(s));
    s.listener = listener6;
    s.accept_ms = 200;
    server_start(&s, &t);
    rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local4, user);
    pthread_join(t, NULL);
    assert_string_equal(user, "unknown");
    assert_int_equal(s.served, 0);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* A server that answers too late: "unknown" after rfc931_timeout
 * seconds, and the caller's alarm and handler are left alone. */
static void test_timeout(void **state)
{
    struct ident_server s = {0};
    struct sigaction sa, old;
    unsigned left;
    double t0, took;
    pthread_t t;

    (void)state;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    alarms = 0;
    alarm(30);

    rfc931_timeout = 1;
    s.listener = listener4;
    s.delay_ms = 1200;
    server_start(&s, &t);
    t0 = now();
    assert_string_equal(lookup(), "unknown");
    took = now() - t0;
    pthread_join(t, NULL);
    rfc931_timeout = 10;
    if (took < 0.9 || took > 1.4)
        fail_msg("the lookup took %.2f s, want about 1 s", took);

    left = alarm(0);
    assert_true(left >= 28 && left <= 30);
    assert_int_equal(alarms, 0);
    sigaction(SIGALRM, NULL, &sa);
    assert_ptr_equal(sa.sa_handler, on_alarm);
    sigaction(SIGALRM, &old, NULL);
}

/* No server, or one that resets the connection: "unknown" at once, and
 * no SIGPIPE. */
static void test_no_server(void **state)
{
    struct ident_server s = {0};
    struct sockaddr_in remote = v4("127.0.0.9", 4321);
    struct sockaddr_in local = v4("127.0.0.9", 80);
    char user[STRING_LENGTH];
    double t0;
    pthread_t t;
    int i;

    (void)state;
    signal(SIGPIPE, SIG_DFL);
    /* Nothing listens on 127.0.0.9. */
    t0 = now();
    rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local, user);
    assert_string_equal(user, "unknown");
    assert_true(now() - t0 < 0.5);
    for (i = 0; i < 3; i++) {
        memset(&s, 0, sizeof(s));
        s.listener = listener4;
        s.reset = true;
        server_start(&s, &t);
        assert_string_equal(lookup(), "unknown");
        pthread_join(t, NULL);
    }
}

/* Several threads asking at once each get their own answer (D7). */
static void *lookup_thread(void *arg)
{
    unsigned port = *(unsigned *)arg;
    struct sockaddr_in remote = v4("127.0.0.1", port);
    struct sockaddr_in local = v4("127.0.0.1", 80);
    char *user = malloc(STRING_LENGTH);

    rfc931((struct sockaddr *)&remote, (struct sockaddr *)&local, user);
    return user;
}

static void test_concurrent(void **state)
{
    struct ident_server s = {0};
    unsigned ports[4] = {1001, 1002, 1003, 1004};
    pthread_t server, clients[4];
    char want[16];
    void *user;
    int i;

    (void)state;
    s.listener = listener4;
    s.connections = 4;
    server_start(&s, &server);
    for (i = 0; i < 4; i++)
        assert_int_equal(
            pthread_create(&clients[i], NULL, lookup_thread, &ports[i]), 0);
    for (i = 0; i < 4; i++) {
        pthread_join(clients[i], &user);
        snprintf(want, sizeof(want), "u%u", ports[i]);
        assert_string_equal(user, want);
        free(user);
    }
    pthread_join(server, NULL);
}

/* Through the library: %u and the rfc931 option ask the client's ident
 * server for a request with both addresses, once. */
static void test_through_options(void **state)
{
    struct ident_server s = {0};
    struct sockaddr_in client = v4("127.0.0.1", 6000);
    struct sockaddr_in server = v4("127.0.0.1", 21);
    struct request_info r;
    pthread_t t;

    (void)state;
    unsetenv("FOO");
    request_init(&r, RQ_DAEMON, "ftpd", RQ_CLIENT_SIN, &client, RQ_SERVER_SIN,
                 &server, 0);
    s.listener = listener4;
    s.connections = 2; /* a second query would be served too */
    s.accept_ms = 300;
    server_start(&s, &t);
    hosts_access_verbose = 1;
    assert_int_equal(options_run("rfc931 2 : setenv FOO %u", &r),
                     OPTIONS_DEFAULT);
    pthread_join(t, NULL);
    assert_int_equal(s.served, 1);
    assert_int_equal(rfc931_timeout, 2);
    assert_string_equal(r.user, "u6000");
    assert_string_equal(getenv("FOO"), "u6000");
    tl_assert_log("7 option:   rfc931 2\n"
                  "7 option:   setenv FOO u6000\n");
    rfc931_timeout = 10;
    unsetenv("FOO");
}

/* The parser alone, for what the network cannot send: ports and sizes. */
static void test_parser(void **state)
{
    char user[8];

    (void)state;
    assert_true(ident_parse_reply("1,2:USERID:x:abcdefghij", 1, 2, user,
                                  sizeof(user)));
    assert_string_equal(user, "abcdefg");
    assert_false(
        ident_parse_reply("1,2:USERID:x:joe", 2, 1, user, sizeof(user)));
    assert_true(ident_parse_reply("4294967297,65538:USERID:x:joe", 1, 65538,
                                  user, sizeof(user)));
    assert_false(ident_parse_reply("", 0, 0, user, sizeof(user)));
    assert_false(ident_parse_reply("1,2:USERID:x:", 1, 2, user, sizeof(user)));
}

/* A listening socket on port 113 of a loopback address, or -1. */
static int listen_113(int family, const char *host)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, one = 1;

    memset(&ss, 0, sizeof(ss));
    if (family == AF_INET) {
        struct sockaddr_in a = v4(host, 113);
        memcpy(&ss, &a, sizeof(a));
        len = sizeof(a);
    } else {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons(113);
        inet_pton(AF_INET6, host, &a6->sin6_addr);
        len = sizeof(*a6);
    }
    fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 8) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Opens the listeners in a private network namespace. */
static int group_setup(void **state)
{
    (void)state;
    if (!tn_enter_netns())
        return -1;
    listener4 = listen_113(AF_INET, "127.0.0.1");
    listener7 = listen_113(AF_INET, "127.0.0.7");
    listener6 = listen_113(AF_INET6, "::1");
    if (listener4 < 0 || listener7 < 0 || listener6 < 0) {
        fprintf(stderr,
                "FATAL: cannot serve ident on loopback port 113: "
                "%s\n",
                strerror(errno));
        return -1;
    }
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replies, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_lengths, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_addresses, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_ipv6, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_timeout, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_server, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_through_options, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_parser, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
