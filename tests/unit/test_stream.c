/*
 * test_stream.c - the first decision on a table reads it piece by piece;
 * later ones read it whole and then use its index.  All three must give
 * the same verdicts and the same log lines, with the same line numbers,
 * whatever falls on a piece boundary: continued lines, lines longer than
 * a piece, NUL bytes, a last line without its newline.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "strbuf.h"

/* A big table: plain rules, continued lines, a few long lines, warnings,
 * and the rule to find near the end. */
static void big_table(struct strbuf *t, int lines, bool nul, bool newline)
{
    int i, k;

    sb_reset(t);
    for (i = 0; i < lines; i++) {
        switch (i % 97) {
        case 5:
            sb_printf(t, "sshd: 10.1.%d.%d \\\n  10.2.%d.%d\n", i / 250,
                      i % 250, i / 250, i % 250);
            break;
        case 17:
            sb_puts(t, "no colon on this line\n");
            break;
        case 33:
            /* A line longer than a read piece. */
            sb_puts(t, "ftpd:");
            for (k = 0; k < 9000; k++)
                sb_printf(t, " 10.9.%d.%d", k / 250, k % 250);
            sb_puts(t, "\n");
            break;
        case 50:
            if (nul)
                sb_append(t, "sshd: 10.7.7.7\0junk\n", 20);
            else
                sb_puts(t, "# a comment \\\ncontinued comment\n");
            break;
        default:
            sb_printf(t, "sshd: 192.%d.%d.%d\n", i % 200, i / 200 % 250,
                      i % 250);
            break;
        }
    }
    sb_printf(t, "sshd: 10.0.0.5 : deny%s", newline ? "\n" : "");
}

static const char *addresses[] = {"10.0.0.5", "10.0.0.6", "10.1.3.5",
                                  "10.2.3.5", "10.9.3.7", "10.7.7.7",
                                  "192.7.0.7"};

static void compare_paths(bool nul, bool newline)
{
    struct strbuf table = STRBUF_INIT, first = STRBUF_INIT;
    size_t i;
    int pass, verdict[3];

    big_table(&table, 4000, nul, newline);
    tl_write_bytes("hosts.deny", table.data, table.len);
    tl_write("hosts.allow", "");
    for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
        cache_flush();
        for (pass = 0; pass < 3; pass++) {
            /* 0: streamed, 1: read whole, 2: indexed */
            tl_log_clear();
            verdict[pass] = tl_ctl("sshd", "", addresses[i], "");
            if (pass == 0) {
                sb_reset(&first);
                sb_puts(&first, tl_log());
                /* The missing-newline warning is given once. */
                continue;
            }
            assert_int_equal(verdict[pass], verdict[0]);
            if (strstr(sb_str(&first), "missing newline") == NULL)
                assert_string_equal(tl_log(), sb_str(&first));
        }
    }
    assert_true(table.len > 300000);
    sb_free(&table);
    sb_free(&first);
}

static void test_plain(void **state)
{
    (void)state;
    compare_paths(false, true);
}

static void test_no_final_newline(void **state)
{
    (void)state;
    compare_paths(false, false);
}

static void test_nul(void **state)
{
    (void)state;
    compare_paths(true, true);
}

/* The first decision finds the deny rule at the end, with its line. */
static void test_line_numbers(void **state)
{
    struct strbuf table = STRBUF_INIT;
    char want[512];

    (void)state;
    big_table(&table, 4000, false, true);
    sb_puts(&table, "sshd: 10.0.0.8 : bogus\n");
    tl_write_bytes("hosts.deny", table.data, table.len);
    cache_flush();
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.8", ""), 0);
    /* Entries 0-16 take 18 lines (entry 5 is continued); then 4000
     * entries, 42 continued and 41 two-line comments, the 10.0.0.5 rule
     * and this one. */
    snprintf(want, sizeof(want),
             "3 warning: %s, line 19: missing \":\" separator\n",
             hosts_deny_table);
    assert_true(strncmp(tl_log(), want, strlen(want)) == 0);
    assert_non_null(strstr(tl_log(), "line 4085: bad option name: \"bogus\""));
    sb_free(&table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_no_final_newline, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_nul, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_line_numbers, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
