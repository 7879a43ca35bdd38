/*
 * test_ipopts.c - fix_options() on real loopback connections, and the
 * ways out of the process: refuse() and clean_exit().
 *
 * IP options are put on a connection either by the client before it
 * connects (the server socket then holds the reversed options, as for a
 * real client) or directly on the socket given to fix_options().  Texts,
 * priorities and which option blocks count as source-routed were
 * recorded from Debian's libwrap0 7.6.q-32 for the same blocks.
 */
#include "testlib.h"

#include <fcntl.h>
#include <netinet/ip.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "exports.h"
#include "ipopts.h"
#include "testnet.h"

/* Parses hex digits into bytes; returns the count. */
static size_t from_hex(const char *hex, unsigned char *out)
{
    size_t n = 0;
    unsigned v;

    for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
        sscanf(hex, "%2x", &v);
        out[n++] = (unsigned char)v;
    }
    return n;
}

/* The IP options a socket holds, as hex with a space before each byte. */
static const char *options_of(int fd)
{
    static struct strbuf sb = STRBUF_INIT;
    unsigned char opt[64];
    socklen_t len = sizeof(opt);

    sb_reset(&sb);
    assert_int_equal(getsockopt(fd, IPPROTO_IP, IP_OPTIONS, opt, &len), 0);
    ipopts_format(&sb, opt, len);
    return sb_str(&sb);
}

/* A client that sends record-route options in its SYN: the server side
 * has them, fix_options() logs and removes them. */
static void test_received_options(void **state)
{
    struct sockaddr_in a;
    unsigned char rr[12];
    struct request_info r;
    int l, client, server;

    (void)state;
    l = tn_listen(&a);
    client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_int_equal(
        setsockopt(client, IPPROTO_IP, IP_OPTIONS, rr,
                   (socklen_t)from_hex("070b04000000000000000000", rr)),
        0);
    server = tn_connect(l, &a, client);
    assert_string_equal(options_of(server),
                        " 07 0b 0c 7f 00 00 01 7f 00 00 01 00");

    request_init(&r, RQ_FILE, server, RQ_CLIENT_ADDR, "127.0.0.1", 0);
    fix_options(&r);
    tl_assert_log("5 connect from 127.0.0.1 with IP options (ignored): "
                  "07 0b 0c 7f 00 00 01 7f 00 00 01 00\n");
    assert_string_equal(options_of(server), "");
    /* Without options nothing is logged. */
    fix_options(&r);
    tl_assert_log("");
    close(client);
    close(server);
}

/* Option blocks set on the socket itself: which are source routes. */
static void test_option_blocks(void **state)
{
    static const struct {
        const char *set;  /* hex, as given to setsockopt() */
        const char *held; /* what the socket then holds */
        bool refused;
    } cases[] = {
        /* A source route in the first four bytes is not seen: Debian
         * scans from offset 4, the BSD layout. */
        {"8307047f00000100", " 83 07 04 7f 00 00 01 00", false},
        {"8907047f00000100", " 89 07 04 7f 00 00 01 00", false},
        {"018307047f000001", " 01 83 07 04 7f 00 00 01", false},
        {"0101018307047f000001", " 01 01 01 83 07 04 7f 00 00 01 00 00",
         false},
        {"0101010101010101018307047f000001",
         " 01 01 01 01 01 01 01 01 01 83 07 04 7f 00 00 01", true},
        {"0101010101010101018907047f000001",
         " 01 01 01 01 01 01 01 01 01 89 07 04 7f 00 00 01", true},
        {"44040500", " 44 04 05 00", false},
        {"070704000000000044040500", " 07 07 04 00 00 00 00 00 00 00 00 00",
         false},
        {"4404050083070400000000", " 44 04 05 00 83 07 04 00 00 00 00 00",
         true},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct request_info r;
        struct strbuf want = STRBUF_INIT;
        unsigned char opt[40];
        int server, client;
        char byte;

        tn_tcp_pair(&server, &client);
        assert_int_equal(setsockopt(server, IPPROTO_IP, IP_OPTIONS, opt,
                                    (socklen_t)from_hex(cases[i].set, opt)),
                         0);
        assert_string_equal(options_of(server), cases[i].held);
        request_init(&r, RQ_FILE, server, RQ_CLIENT_ADDR, "127.0.0.1", RQ_USER,
                     "bob", 0);
        fix_options(&r);
        if (cases[i].refused) {
            tl_assert_log("4 refused connect from bob@127.0.0.1 with IP "
                          "source routing options\n");
            /* Shut down both ways (the FIN itself would follow the
             * source route, so look at our end); the options stay. */
            assert_int_equal(send(server, "x", 1, MSG_NOSIGNAL), -1);
            assert_int_equal(errno, EPIPE);
            assert_int_equal(recv(server, &byte, 1, MSG_DONTWAIT), 0);
            assert_string_equal(options_of(server), cases[i].held);
        } else {
            sb_printf(&want,
                      "5 connect from bob@127.0.0.1 with IP options "
                      "(ignored):%s\n",
                      cases[i].held);
            tl_assert_log(sb_str(&want));
            assert_string_equal(options_of(server), "");
        }
        sb_free(&want);
        close(server);
        close(client);
    }
}

/* Only IPv4 sockets are looked at. */
static void test_other_sockets(void **state)
{
    struct request_info r;
    int sv[2], fd;

    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv),
                     0);
    request_init(&r, RQ_FILE, sv[0], 0);
    fix_options(&r);
    close(sv[0]);
    close(sv[1]);
    fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    request_init(&r, RQ_FILE, fd, 0);
    fix_options(&r);
    close(fd);
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    request_init(&r, RQ_FILE, fd, 0);
    fix_options(&r);
    close(fd);
    tl_assert_log("");
}

/* The parser does not loop on malformed blocks. */
static void test_malformed(void **state)
{
    static const unsigned char zero_len[] = {1, 1, 1, 1, 7, 0, 0x83, 3};
    static const unsigned char one_len[] = {1, 1, 1, 1, 7, 1, 0x83, 3};
    static const unsigned char cut[] = {1, 1, 1, 1, 7};
    static const unsigned char long_len[] = {1, 1, 1, 1, 7, 200, 0x83, 3};
    static const unsigned char eol[] = {1, 1, 1, 1, 0, 0x83, 3, 4};
    static const unsigned char after_nop[] = {1, 1, 1, 1, 1, 0x89, 3, 4};

    (void)state;
    assert_false(ipopts_source_routed(zero_len, sizeof(zero_len)));
    assert_false(ipopts_source_routed(one_len, sizeof(one_len)));
    assert_false(ipopts_source_routed(cut, sizeof(cut)));
    assert_false(ipopts_source_routed(long_len, sizeof(long_len)));
    assert_false(ipopts_source_routed(eol, sizeof(eol)));
    assert_true(ipopts_source_routed(after_nop, sizeof(after_nop)));
    assert_false(ipopts_source_routed(after_nop, 3));
}

/* The test child's log pipe. */
static int child_log_fd;

static void wake(int sig)
{
    (void)sig;
}

static void sink_reports(int fd)
{
    char line[32];

    snprintf(line, sizeof(line), "sink %d\n", fd);
    (void)!write(child_log_fd, line, strlen(line));
}

/* Runs fn(r) in a child that logs to a pipe and can be woken from the
 * 5-second pause of clean_exit() by SIGUSR1; checks that the child
 * pauses after logging want, then exits 0 when woken. */
static void expect_exit(void (*fn)(struct request_info *), const char *want)
{
    struct strbuf got = STRBUF_INIT;
    char buf[512];
    int p[2], status;
    pid_t pid;
    ssize_t k;

    assert_int_equal(pipe2(p, O_CLOEXEC), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct sigaction sa;
        struct request_info r;

        close(p[0]);
        child_log_fd = p[1];
        diag_set_sink(tn_log_to_fd, &child_log_fd);
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = wake;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGUSR1, &sa, NULL);
        request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_NAME, "host",
                     RQ_CLIENT_ADDR, "1.2.3.4", RQ_USER, "bob", RQ_FILE, 9, 0);
        r.sink = sink_reports;
        fn(&r);
        _exit(99); /* not reached */
    }
    close(p[1]);
    while (got.len < strlen(want)) {
        struct pollfd q = {p[0], POLLIN, 0};
        if (poll(&q, 1, 2000) <= 0 || (k = read(p[0], buf, sizeof(buf))) <= 0)
            break;
        sb_append(&got, buf, (size_t)k);
    }
    assert_string_equal(sb_str(&got), want);
    usleep(50000);
    assert_int_equal(waitpid(pid, &status, WNOHANG), 0); /* pausing */
    kill(pid, SIGUSR1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(p[0]);
    sb_free(&got);
}

static void call_clean_exit(struct request_info *r)
{
    clean_exit(r);
}

static void call_refuse(struct request_info *r)
{
    deny_severity = LOG_LOCAL0 | LOG_NOTICE;
    refuse(r);
}

static void call_fix_options_on_file(struct request_info *r)
{
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

    r->fd = dup2(fd, 47);
    fix_options(r);
}

/* clean_exit(): the sink gets the descriptor, then a pause, then exit 0;
 * refuse() logs at deny_severity first; fix_options() on something that
 * is no socket logs Debian's (misnamed) error and leaves the same way. */
static void test_leaving(void **state)
{
    (void)state;
    expect_exit(call_clean_exit, "sink 9\n");
    expect_exit(call_refuse,
                "133 refused connect from bob@host (1.2.3.4)\nsink 9\n");
    expect_exit(call_fix_options_on_file,
                "3 getpeername: Socket operation on non-socket\nsink 47\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_received_options, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_option_blocks, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_other_sockets, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_malformed, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_leaving, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
