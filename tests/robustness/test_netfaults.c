/*
 * test_netfaults.c - ident servers that misbehave.
 *
 * A server on 127.0.0.1:113, in a private network namespace (root
 * needed; the test fails, never skips, without it), that never answers,
 * answers garbage, floods, closes at once, or names a user full of shell
 * metacharacters.  Every decision must come back with the user
 * "unknown" (or the filtered name) within the ident timeout, while
 * SIGALRM arrives every millisecond; the caller's SIGALRM handler, its
 * pending alarm and errno must be as they were; and the hostile name
 * must reach a spawned shell only through the filter.  Also a name
 * server that never answers (a private mount namespace puts a
 * resolv.conf naming it over /etc/resolv.conf for this process only).
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "testnet.h"

/* What the server does with each connection. */
enum server_mode {
    SILENT,  /* reads the query, never answers */
    GARBAGE, /* binary junk and a newline */
    FLOOD,   /* 100 KB without a newline, then closes */
    HANG_UP, /* closes at once */
    DRIP,    /* a valid answer, one byte every 100 ms */
    HOSTILE, /* a valid answer naming a hostile user */
};

static int listener = -1;
static volatile enum server_mode mode;
static const char hostile_user[] = "$(touch${IFS}pwned)`id`;rm|x";

/* Serves one connection according to mode. */
static void serve(int fd)
{
    char query[64], reply[256];
    unsigned rport = 0, lport = 0;
    ssize_t n = read(fd, query, sizeof(query) - 1);
    size_t i;

    if (n > 0) {
        query[n] = '\0';
        sscanf(query, "%u,%u", &rport, &lport);
    }
    switch (mode) {
    case SILENT:
        sleep(3);
        break;
    case GARBAGE:
        for (i = 0; i < sizeof(reply) - 1; i++)
            reply[i] = (char)(i * 37 + 11);
        reply[sizeof(reply) - 1] = '\n';
        (void)!send(fd, reply, sizeof(reply), MSG_NOSIGNAL);
        break;
    case FLOOD:
        memset(reply, 'x', sizeof(reply));
        for (i = 0; i < 400; i++)
            if (send(fd, reply, sizeof(reply), MSG_NOSIGNAL) < 0)
                break;
        break;
    case HANG_UP:
        break;
    case DRIP:
        snprintf(reply, sizeof(reply), "%u , %u : USERID : UNIX : bob\r\n",
                 rport, lport);
        for (i = 0; reply[i] != '\0'; i++) {
            if (send(fd, reply + i, 1, MSG_NOSIGNAL) != 1)
                break;
            usleep(100000);
        }
        break;
    case HOSTILE:
        snprintf(reply, sizeof(reply), "%u , %u : USERID : UNIX :%s\r\n",
                 rport, lport, hostile_user);
        (void)!send(fd, reply, strlen(reply), MSG_NOSIGNAL);
        break;
    }
    close(fd);
}

static void *serve_thread(void *arg)
{
    serve((int)(long)arg);
    return NULL;
}

/* Accepts connections, each served by a thread of its own. */
static void *server(void *arg)
{
    pthread_t t;
    int fd;

    (void)arg;
    for (;;) {
        fd = accept(listener, NULL, NULL);
        if (fd < 0)
            continue;
        if (pthread_create(&t, NULL, serve_thread, (void *)(long)fd) != 0)
            close(fd);
        else
            pthread_detach(t);
    }
    return NULL;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

/* A request from 127.0.0.1:40000 to 127.0.0.1:22, whose user needs an
 * ident lookup. */
static int decide(void)
{
    struct request_info r;
    struct sockaddr_in client, server_sa;

    memset(&client, 0, sizeof(client));
    client.sin_family = AF_INET;
    client.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    client.sin_port = htons(40000);
    server_sa = client;
    server_sa.sin_port = htons(22);
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_SIN, &client, RQ_SERVER_SIN,
                 &server_sa, RQ_CLIENT_ADDR, "127.0.0.1", 0);
    return hosts_access(&r);
}

struct ident_case {
    const char *name;
    enum server_mode mode;
    int granted; /* "bob@ALL" is allowed; everyone else denied */
    double max_seconds;
    bool slow; /* takes long enough for the alarms to hit the wait */
};

static const struct ident_case cases[] = {
    {"never answers", SILENT, 0, 2.5, true},
    {"answers garbage", GARBAGE, 0, 1.0, false},
    {"floods without a newline", FLOOD, 0, 1.5, false},
    {"hangs up", HANG_UP, 0, 1.0, false},
    {"answers too slowly", DRIP, 0, 2.5, true},
};

static void test_misbehaving_servers(void **state)
{
    struct sigaction sa, before, after;
    struct itimerval every_ms = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
    size_t i;
    int failures = 0;

    (void)state;
    tl_tables("sshd: bob@ALL\n", "ALL: ALL\n");
    rfc931_timeout = 1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm; /* no SA_RESTART: every wait is cut short */
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
    assert_int_equal(sigaction(SIGALRM, NULL, &before), 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct ident_case *c = &cases[i];
        double t0, seconds;
        int got;

        mode = c->mode;
        alarms = 0;
        errno = EXDEV;
        t0 = tl_now();
        assert_int_equal(setitimer(ITIMER_REAL, &every_ms, NULL), 0);
        got = decide();
        assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
        seconds = tl_now() - t0;
        if (got != c->granted || seconds > c->max_seconds || errno != EXDEV ||
            (c->slow && alarms == 0)) {
            print_error("ident server %s: verdict %d (want %d) after %.2f s "
                        "(at most %.1f), errno %d, %d alarms\n",
                        c->name, got, c->granted, seconds, c->max_seconds,
                        errno, (int)alarms);
            failures++;
        }
    }
    assert_int_equal(sigaction(SIGALRM, NULL, &after), 0);
    assert_ptr_equal(before.sa_handler, after.sa_handler);
    /* The caller's pending alarm survives a lookup that times out. */
    mode = SILENT;
    alarm(100);
    assert_int_equal(decide(), 0);
    {
        unsigned left = alarm(0);
        assert_true(left >= 98 && left <= 100);
    }
    signal(SIGALRM, SIG_DFL);
    rfc931_timeout = 10;
    tl_log_clear();
    print_message("robustness: %zu misbehaving ident servers under "
                  "signals\n",
                  sizeof(cases) / sizeof(cases[0]));
    assert_int_equal(failures, 0);
}

/* A user name full of shell metacharacters, from the ident server,
 * reaches a spawned shell only through the filter. */
static void test_hostile_user(void **state)
{
    char dir[512], allow[2048];

    (void)state;
    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    assert_int_equal(chdir(dir), 0);
    snprintf(allow, sizeof(allow), "sshd: ALL: spawn echo %%u > %suser.txt\n",
             dir);
    tl_tables(allow, "");
    mode = HOSTILE;
    assert_int_equal(decide(), 1);
    tl_assert_log("");
    assert_string_equal(tl_read("user.txt"), "__touch__IFS_pwned__id__rm_x\n");
    assert_int_equal(access(tl_path("pwned"), F_OK), -1);
    assert_int_equal(chdir("/"), 0);
}

/* Replaces an /etc file with content, in this process's private mount
 * namespace only. */
static bool bind_over(const char *target, const char *content)
{
    char path[600];
    FILE *fp;

    snprintf(path, sizeof(path), "%s", tl_path(strrchr(target, '/') + 1));
    fp = fopen(path, "w");
    if (fp == NULL || fputs(content, fp) < 0 || fclose(fp) != 0)
        return false;
    return mount(path, target, NULL, MS_BIND, NULL) == 0;
}

/* A name server that never answers: the reverse lookup of a client
 * times out inside the C library's resolver, with SIGALRM arriving every
 * millisecond; the name is then "unknown", and the caller's handler and
 * errno are as they were. */
static void test_dns_timeout(void **state)
{
    struct sockaddr_in a;
    struct request_info r;
    struct sockaddr_in client, server_sa;
    struct sigaction sa, before, after;
    struct itimerval every_ms = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
    double t0, seconds;
    int dns, got;

    (void)state;
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
        fail_msg("FATAL: private mount namespace: %s", strerror(errno));
    assert_true(bind_over("/etc/resolv.conf",
                          "nameserver 127.0.0.1\n"
                          "options timeout:1 attempts:1\n"));
    assert_true(bind_over("/etc/nsswitch.conf", "hosts: dns\n"));
    /* Bound, so queries are not refused; never read, never answered. */
    dns = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(53);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(dns, (struct sockaddr *)&a, sizeof(a)), 0);

    tl_tables("sshd: .example.com\n", "ALL: ALL\n");
    memset(&client, 0, sizeof(client));
    client.sin_family = AF_INET;
    client.sin_addr.s_addr = htonl(0xc0000201); /* 192.0.2.1 */
    server_sa = client;
    server_sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_SIN, &client, RQ_SERVER_SIN,
                 &server_sa, 0);
    sock_methods(&r);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &before), 0);
    alarms = 0;
    errno = EXDEV;
    t0 = tl_now();
    assert_int_equal(setitimer(ITIMER_REAL, &every_ms, NULL), 0);
    got = hosts_access(&r);
    assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
    seconds = tl_now() - t0;
    assert_int_equal(errno, EXDEV);
    assert_int_equal(sigaction(SIGALRM, &before, &after), 0);
    assert_ptr_equal(after.sa_handler, on_alarm);
    assert_int_equal(got, 0);
    assert_string_equal(r.client->name, "unknown");
    tl_assert_log("");
    print_message("robustness: DNS server that never answers: name "
                  "\"unknown\" after %.1f s, %d signals meanwhile\n",
                  seconds, (int)alarms);
    assert_true(seconds >= 0.9 && seconds < 10);
    assert_true(alarms > 0);
    close(dns);
}

/* Opens the server in a private network namespace. */
static int group_setup(void **state)
{
    struct sockaddr_in a;
    pthread_t t;
    int one = 1;

    (void)state;
    if (!tn_enter_netns())
        return -1;
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(113);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (listener < 0 || bind(listener, (struct sockaddr *)&a, sizeof(a)) ||
        listen(listener, 16) != 0) {
        fprintf(stderr, "FATAL: cannot serve ident on 127.0.0.1:113: %s\n",
                strerror(errno));
        return -1;
    }
    /* The server must not be interrupted by the test's alarms. */
    {
        sigset_t block, old;
        sigemptyset(&block);
        sigaddset(&block, SIGALRM);
        pthread_sigmask(SIG_BLOCK, &block, &old);
        if (pthread_create(&t, NULL, server, NULL) != 0)
            return -1;
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    pthread_detach(t);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_misbehaving_servers, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_hostile_user, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_dns_timeout, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
