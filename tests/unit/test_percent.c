/*
 * test_percent.c - %-expansion: every letter, which letters look things
 * up, unknown letters, the shell-safety filter, no length limit, the
 * request left alone (D12), percent_x() cutting, percent_m().
 *
 * Expected values were recorded from Debian's libwrap0 7.6.q-32 with a
 * probe program, except where a compat-policy difference is named.
 * rfc931() is replaced by a counting stub (this program defines it, so
 * the library's own is not linked in); the real ident client is tested
 * in test_ident.c.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "exports.h"
#include "percent.h"
#include "strbuf.h"

/* What the lookups were asked, in order. */
static struct strbuf lookups = STRBUF_INIT;
static const char *ident_answer = "joe";

/* The ident stub: records the call, answers ident_answer. */
void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
    (void)remote;
    (void)local;
    sb_puts(&lookups, "rfc931\n");
    snprintf(dest, STRING_LENGTH, "%s", ident_answer);
}

/* Name method: records the call and finds a name for each end. */
static void fake_hostname(struct host_info *h)
{
    bool client = h == h->request->client;

    sb_printf(&lookups, "hostname %s\n", client ? "client" : "server");
    snprintf(h->name, sizeof(h->name), "%s",
             client ? "cli.example" : "srv.example");
}

/* Address method: records the call and finds an address for each end. */
static void fake_hostaddr(struct host_info *h)
{
    bool client = h == h->request->client;

    sb_printf(&lookups, "hostaddr %s\n", client ? "client" : "server");
    snprintf(h->addr, sizeof(h->addr), "%s", client ? "10.0.0.1" : "10.0.0.2");
}

/* Expands str for r into a fresh string (freed by the next call). */
static const char *expand(const char *str, struct request_info *r)
{
    static struct strbuf out = STRBUF_INIT;

    sb_reset(&out);
    assert_true(percent_expand(&out, str, r));
    return sb_str(&out);
}

/* Every letter for a request whose fields were all given. */
static void test_letters(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"%a", "10.0.0.1"},
        {"%A", "10.0.0.2"},
        {"%c", "joe@cli.example"},
        {"%d", "ftpd"},
        {"%h", "cli.example"},
        {"%H", "srv.example"},
        {"%n", "cli.example"},
        {"%N", "srv.example"},
        {"%r", "0"},
        {"%R", "0"},
        {"%s", "ftpd@srv.example"},
        {"%u", "joe"},
        {"%%", "%"},
        {"a%%d", "a%d"},
        {"100%", "100%"},
        {"%%%", "%%"},
        {"%", "%"},
        {"", ""},
        {"no letters", "no letters"},
        {"[%d] %u@%h:%r", "[ftpd] joe@cli.example:0"},
    };
    struct request_info r;
    char pid[16];
    size_t i;

    (void)state;
    request_init(&r, RQ_DAEMON, "ftpd", RQ_CLIENT_NAME, "cli.example",
                 RQ_CLIENT_ADDR, "10.0.0.1", RQ_SERVER_NAME, "srv.example",
                 RQ_SERVER_ADDR, "10.0.0.2", RQ_USER, "joe", 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_string_equal(expand(cases[i].in, &r), cases[i].out);
    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    assert_string_equal(expand("%p", &r), pid);
    tl_assert_log("");
}

/* A request that knows nothing: everything is "unknown". */
static void test_unknown_request(void **state)
{
    struct request_info r;

    (void)state;
    request_init(&r, RQ_DAEMON, "ftpd", 0);
    assert_string_equal(
        expand("%a|%A|%c|%d|%h|%H|%n|%N|%r|%R|%s|%u|%%|%x|%]|end%", &r),
        "unknown|unknown|unknown|ftpd|unknown|unknown|unknown|unknown|0|0|"
        "ftpd|unknown|%|||end%");
    tl_assert_log("3 warning: unrecognized %x\n"
                  "3 warning: unrecognized %]\n");
}

/* Unknown letters warn with the table and line, and expand to nothing. */
static void test_unknown_letters(void **state)
{
    struct diag_where where = {"/etc/hosts.allow", 4};
    const struct diag_where *previous = diag_push(&where);
    struct request_info r;

    (void)state;
    request_init(&r, RQ_DAEMON, "ftpd", 0);
    assert_string_equal(expand("a%xb%\rc%Z%%", &r), "abc%");
    diag_pop(previous);
    tl_assert_log("3 warning: /etc/hosts.allow, line 4: unrecognized %x\n"
                  "3 warning: /etc/hosts.allow, line 4: unrecognized %\r\n"
                  "3 warning: /etc/hosts.allow, line 4: unrecognized %Z\n");
}

/*
 * Which letters look up what, in order (the trace is Debian's): %h, %H
 * and %c use a name only when one was already looked up, %n and %N look
 * one up, %a and %A look up the address, and only %u asks ident.
 */
static void test_lookups(void **state)
{
    struct request_info r;
    struct sockaddr_in c, s;

    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    c.sin_family = s.sin_family = AF_INET;
    c.sin_port = htons(34567);
    s.sin_port = htons(21);
    request_init(&r, RQ_DAEMON, "ftpd", RQ_CLIENT_SIN, &c, RQ_SERVER_SIN, &s,
                 0);
    r.hostname = fake_hostname;
    r.hostaddr = fake_hostaddr;
    sb_reset(&lookups);

    assert_string_equal(expand("%c", &r), "10.0.0.1");
    assert_string_equal(expand("%s", &r), "ftpd@10.0.0.2");
    assert_string_equal(expand("%h", &r), "10.0.0.1");
    assert_string_equal(sb_str(&lookups), "hostaddr client\n"
                                          "hostaddr server\n");
    assert_string_equal(expand("%u", &r), "joe");
    assert_string_equal(expand("%c", &r), "joe@10.0.0.1");
    assert_string_equal(expand("%n", &r), "cli.example");
    assert_string_equal(expand("%c", &r), "joe@cli.example");
    assert_string_equal(expand("%H", &r), "10.0.0.2");
    assert_string_equal(expand("%s", &r), "ftpd@10.0.0.2");
    assert_string_equal(expand("%N", &r), "srv.example");
    assert_string_equal(expand("%s", &r), "ftpd@srv.example");
    assert_string_equal(expand("%r %R", &r), "34567 21");
    assert_string_equal(expand("%a %A %n %N %u", &r),
                        "10.0.0.1 10.0.0.2 cli.example srv.example joe");
    /* Each lookup happened once. */
    assert_string_equal(sb_str(&lookups), "hostaddr client\n"
                                          "hostaddr server\n"
                                          "rfc931\n"
                                          "hostname client\n"
                                          "hostname server\n");
}

/* %u asks ident only with both addresses and no datagram sink. */
static void discard(int fd)
{
    (void)fd;
}

static void test_user_lookup_conditions(void **state)
{
    struct request_info r;
    struct sockaddr_in c, s;

    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    c.sin_family = s.sin_family = AF_INET;
    sb_reset(&lookups);

    request_init(&r, RQ_CLIENT_SIN, &c, 0);
    assert_string_equal(expand("%u", &r), "unknown");
    request_init(&r, RQ_CLIENT_SIN, &c, RQ_SERVER_SIN, &s, 0);
    r.sink = discard;
    assert_string_equal(expand("%u", &r), "unknown");
    assert_string_equal(sb_str(&lookups), "");
    /* %c never asks. */
    request_init(&r, RQ_CLIENT_SIN, &c, RQ_SERVER_SIN, &s, RQ_CLIENT_ADDR,
                 "10.0.0.1", 0);
    assert_string_equal(expand("%c", &r), "10.0.0.1");
    assert_string_equal(sb_str(&lookups), "");
    ident_answer = "UNKNOWN";
    assert_string_equal(expand("%u %c", &r), "UNKNOWN 10.0.0.1");
    ident_answer = "joe";
    assert_string_equal(sb_str(&lookups), "rfc931\n");
}

/* %r and %R with IPv6 addresses. */
static void test_ports_v6(void **state)
{
    struct request_info r;
    struct sockaddr_in6 c, s;

    (void)state;
    memset(&c, 0, sizeof(c));
    memset(&s, 0, sizeof(s));
    c.sin6_family = s.sin6_family = AF_INET6;
    c.sin6_port = htons(65535);
    s.sin6_port = htons(1);
    request_init(&r, RQ_CLIENT_SIN, &c, RQ_SERVER_SIN, &s, 0);
    assert_string_equal(expand("%r/%R", &r), "65535/1");
}

/*
 * The filter, over every byte (Debian's result): only letters, digits
 * and "!@%-_=+:,./" survive in expanded text; the rule's own text is
 * copied as it is.
 */
static void test_filter(void **state)
{
    struct request_info r;
    char user[128], high[129];
    int i;

    (void)state;
    for (i = 1; i < 128; i++)
        user[i - 1] = (char)i;
    user[127] = '\0';
    request_init(&r, RQ_USER, user, 0);
    assert_string_equal(
        expand("%u", &r),
        "________________________________!___%_____+,-./0123456789:__=__@"
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ______abcdefghijklmnopqrstuvwxyz_____");
    assert_string_equal(expand("`$; %%u \"'\t", &r), "`$; %u \"'\t");
    for (i = 0; i < 128; i++)
        high[i] = (char)(128 + i);
    high[127] = '\0'; /* 128..254; 255 below */
    request_init(&r, RQ_USER, high, RQ_DAEMON, "\377", 0);
    for (i = 0; i < 127; i++)
        assert_int_equal(expand("%u", &r)[i], '_');
    assert_string_equal(expand("%d", &r), "_");
    for (i = 0; i < 256; i++)
        assert_int_equal(percent_is_safe((unsigned char)i),
                         i != 0 && strchr("!@%-_=+:,./", i) != NULL
                             ? 1
                             : (i >= '0' && i <= '9') ||
                                   (i >= 'A' && i <= 'Z') ||
                                   (i >= 'a' && i <= 'z'));
}

/* compat-policy D12: expansion never rewrites the request (Debian
 * writes the underscored text back into user, daemon and host name). */
static void test_request_untouched(void **state)
{
    struct request_info r;

    (void)state;
    request_init(&r, RQ_USER, "bo b`$(x)", RQ_DAEMON, "dae;mon",
                 RQ_CLIENT_NAME, "h$st", RQ_CLIENT_ADDR, "1.2.3.4", 0);
    assert_string_equal(expand("%u %d %n %h %c %s", &r),
                        "bo_b___x_ dae_mon h_st h_st bo_b___x_@h_st dae_mon");
    assert_string_equal(r.user, "bo b`$(x)");
    assert_string_equal(r.daemon, "dae;mon");
    assert_string_equal(r.client->name, "h$st");
}

/*
 * compat-policy D3: no length limit.  Debian logs, sleeps 5 s and exits
 * for 40 times %c with a 255-byte client (more than 8 KB).
 */
static void test_no_limit(void **state)
{
    struct request_info r;
    struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    char user[128], host[128], *big;
    int i;

    (void)state;
    memset(user, 'u', 127);
    user[127] = '\0';
    memset(host, 'h', 127);
    host[127] = '\0';
    request_init(&r, RQ_USER, user, RQ_CLIENT_NAME, host, 0);
    for (i = 0; i < 40; i++)
        sb_puts(&in, "%c");
    assert_true(percent_expand(&out, sb_str(&in), &r));
    assert_int_equal(out.len, 40 * 255);
    big = malloc(20000);
    assert_non_null(big);
    percent_x(big, 20000, (char *)sb_str(&in), &r);
    assert_int_equal(strlen(big), 40 * 255);
    assert_string_equal(big, sb_str(&out));
    free(big);
    sb_free(&in);
    sb_free(&out);
    tl_assert_log("");
}

/* percent_x() cuts at len - 1 bytes and never writes beyond len. */
static void test_percent_x_cut(void **state)
{
    struct request_info r;
    char buf[16];

    (void)state;
    request_init(&r, RQ_DAEMON, "ftpd-long-name", 0);
    memset(buf, 'X', sizeof(buf));
    assert_ptr_equal(percent_x(buf, 5, "%d!", &r), buf);
    assert_string_equal(buf, "ftpd");
    assert_int_equal(buf[5], 'X');
    memset(buf, 'X', sizeof(buf));
    percent_x(buf, 1, "%d", &r);
    assert_string_equal(buf, "");
    assert_int_equal(buf[1], 'X');
    buf[0] = 'Y';
    percent_x(buf, 0, "%d", &r);
    assert_int_equal(buf[0], 'Y');
    percent_x(buf, (int)sizeof(buf), "<%d>", &r);
    assert_string_equal(buf, "<ftpd-long-name");
}

/* percent_m(): %m is strerror(errno); "%%m" is not special (Debian). */
static void test_percent_m(void **state)
{
    char buf[256];

    (void)state;
    errno = ENOENT;
    assert_ptr_equal(percent_m(buf, "open x: %m."), buf);
    assert_string_equal(buf, "open x: No such file or directory.");
    errno = ENOENT;
    assert_string_equal(percent_m(buf, "%%m %"),
                        "%No such file or directory %");
    errno = EACCES;
    assert_string_equal(percent_m(buf, "%m%m"),
                        "Permission deniedPermission denied");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_letters, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_request, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_letters, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_lookups, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_user_lookup_conditions, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_ports_v6, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_filter, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_request_untouched, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_limit, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_percent_x_cut, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_percent_m, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
