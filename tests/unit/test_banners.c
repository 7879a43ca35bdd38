/*
 * test_banners.c - the banners option, byte for byte, on a real
 * loopback TCP connection: CR LF conversion, NUL bytes, per-piece
 * expansion, long lines, missing files and directories, dry-run.
 *
 * Expected bytes were recorded from Debian's libwrap0 7.6.q-32 for the
 * same files and request (daemon ftpd, client cli / 10.0.0.1, user bob),
 * except the D3 case, where Debian ends the process.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"
#include "testnet.h"

/* Runs "banners <dir>" for the request on a fresh connection; returns
 * what the client received (valid until the next call). */
static const struct strbuf *banner(const char *dir, const char *daemon)
{
    static struct strbuf got = STRBUF_INIT;
    struct request_info r;
    struct diag_where where = {"/ctx", 2};
    const struct diag_where *previous;
    struct strbuf opts = STRBUF_INIT;
    int server, client;

    tn_tcp_pair(&server, &client);
    request_init(&r, RQ_DAEMON, daemon, RQ_CLIENT_ADDR, "10.0.0.1",
                 RQ_CLIENT_NAME, "cli", RQ_USER, "bob", RQ_FILE, server, 0);
    sb_printf(&opts, "banners %s", dir);
    previous = diag_push(&where);
    assert_int_equal(options_run(sb_str(&opts), &r), OPTIONS_DEFAULT);
    diag_pop(previous);
    close(server);
    sb_reset(&got);
    tn_read_all(client, &got);
    close(client);
    sb_free(&opts);
    return &got;
}

/* Asserts that the client got exactly n bytes equal to want. */
static void assert_bytes(const struct strbuf *got, const char *want, size_t n)
{
    if (got->len != n || (n > 0 && memcmp(got->data, want, n) != 0))
        fail_msg("got %zu bytes \"%s\", want %zu bytes \"%s\"", got->len,
                 sb_str(got), n, want);
}

/* Writes the banner file for daemon "ftpd" in the test directory. */
static const char *ftpd_banner(const void *content, size_t n)
{
    mkdir(tl_path("ban"), 0755);
    tl_write_bytes("ban/ftpd", content, n);
    return tl_path("ban");
}

#define BYTES(s) s, sizeof(s) - 1

static void test_text(void **state)
{
    static const struct {
        const char *file;
        size_t file_len;
        const char *sent;
        size_t sent_len;
        const char *log;
    } cases[] = {
        {BYTES("Hello %c\nline2 %d %x\n\nlast no nl %u"),
         BYTES("Hello bob@cli\r\nline2 ftpd \r\n\r\nlast no nl bob"),
         "3 warning: /ctx, line 2: unrecognized %x\n"},
        /* Leading NULs are sent; a NUL ends its line's text (and the
         * newline after it is lost). */
        {BYTES("\0\0\0abc\0def\nx\r\ny"), BYTES("\0\0\0abcx\r\r\ny"), ""},
        {BYTES("ab\n\0\0cd\n\0"), BYTES("ab\r\n"), ""},
        {BYTES("\0\n\0x"), BYTES("\0\r\n"), ""},
        {BYTES(""), BYTES(""), ""},
        {BYTES("\r\n\n%%%"), BYTES("\r\r\n\r\n%%"), ""},
        /* CR LF first, then expansion: "%\n" became "%\r" + "\n". */
        {BYTES("ab%\ncd\n"), BYTES("ab\ncd\r\n"),
         "3 warning: /ctx, line 2: unrecognized %\r\n"},
        {BYTES("ab%"), BYTES("ab%"), ""},
        /* Expanded text is filtered, literal text is not. */
        {BYTES("`%d` $(x) %n\n"), BYTES("`ftpd` $(x) cli\r\n"), ""},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *dir = ftpd_banner(cases[i].file, cases[i].file_len);
        assert_bytes(banner(dir, "ftpd"), cases[i].sent, cases[i].sent_len);
        tl_assert_log(cases[i].log);
    }
}

/* Lines are read in pieces of 8190 bytes, each expanded on its own: a
 * "%d" cut by the boundary stays as it is (as with Debian). */
static void test_long_lines(void **state)
{
    static const struct {
        size_t a;
        bool expanded;
    } cases[] = {
        {8186, true}, {8188, true}, {8189, false}, {8190, true}, {20000, true},
    };
    struct strbuf file = STRBUF_INIT, want = STRBUF_INIT;
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sb_reset(&file);
        sb_reset(&want);
        for (k = 0; k < cases[i].a; k++) {
            sb_putc(&file, 'a');
            sb_putc(&want, 'a');
        }
        sb_puts(&file, "%dbbbbbbbbbb\n");
        sb_puts(&want, cases[i].expanded ? "ftpd" : "%d");
        sb_puts(&want, "bbbbbbbbbb\r\n");
        assert_bytes(banner(ftpd_banner(file.data, file.len), "ftpd"),
                     want.data, want.len);
    }
    sb_free(&file);
    sb_free(&want);
    tl_assert_log("");
}

/* compat-policy D3: a line that expands far beyond Debian's 16 KB
 * buffer is sent whole (Debian logs, sleeps and exits). */
static void test_no_limit(void **state)
{
    struct strbuf file = STRBUF_INIT;
    const struct strbuf *got;
    int i;

    (void)state;
    for (i = 0; i < 4000; i++)
        sb_puts(&file, "%c");
    sb_putc(&file, '\n');
    got = banner(ftpd_banner(file.data, file.len), "ftpd");
    assert_int_equal(got->len, 4000 * strlen("bob@cli") + 2);
    sb_free(&file);
    tl_assert_log("");
}

/* The file is <dir>/<daemon>; a missing file is silent, a missing
 * directory is a warning; the directory is not expanded. */
static void test_missing(void **state)
{
    char want[600];

    (void)state;
    ftpd_banner("x\n", 2);
    assert_bytes(banner(tl_path("ban"), "telnetd"), "", 0);
    tl_assert_log("");
    assert_bytes(banner(tl_path("ban/"), "ftpd"), "x\r\n", 3);
    assert_bytes(banner(tl_path("nodir"), "ftpd"), "", 0);
    snprintf(want, sizeof(want),
             "3 warning: /ctx, line 2: %s: No such file or directory\n",
             tl_path("nodir"));
    tl_assert_log(want);
    assert_bytes(banner(tl_path("ban/%d"), "ftpd"), "", 0);
    snprintf(want, sizeof(want),
             "3 warning: /ctx, line 2: %s: No such file or directory\n",
             tl_path("ban/%d"));
    tl_assert_log(want);
    /* A directory where the file should be: nothing is sent. */
    mkdir(tl_path("ban/sshd"), 0755);
    assert_bytes(banner(tl_path("ban"), "sshd"), "", 0);
    tl_assert_log("");
}

/* Banners are sent in dry-run mode too (tcpdmatch shows them). */
static void test_dry_run(void **state)
{
    (void)state;
    dry_run = 1;
    assert_bytes(banner(ftpd_banner("%d\n", 3), "ftpd"), "ftpd\r\n", 6);
    dry_run = 0;
    tl_assert_log("");
}

/* A client that has gone away does not kill us with SIGPIPE. */
static void test_client_gone(void **state)
{
    struct request_info r;
    struct strbuf file = STRBUF_INIT;
    int server, client, i;

    (void)state;
    for (i = 0; i < 100000; i++)
        sb_puts(&file, "line\n");
    ftpd_banner(file.data, file.len);
    tn_tcp_pair(&server, &client);
    close(client);
    request_init(&r, RQ_DAEMON, "ftpd", RQ_FILE, server, 0);
    sb_reset(&file);
    sb_printf(&file, "banners %s", tl_path("ban"));
    assert_int_equal(options_run(sb_str(&file), &r), OPTIONS_DEFAULT);
    close(server);
    sb_free(&file);
    tl_assert_log("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_text, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_long_lines, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_limit, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_missing, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_dry_run, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_client_gone, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
