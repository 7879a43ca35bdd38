/*
 * test_fastline.c - the fast path for common rule lines must decide
 * exactly as the general parser and matcher do.  Random tables built from
 * fragments that the fast path accepts or rejects are evaluated twice,
 * with and without the fast path, and every verdict and log line must be
 * the same.
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastline.h"
#include "strbuf.h"

static const char *daemon_lists[] = {
    "sshd", "ALL", "sshd, ftpd", "ALL EXCEPT sshd", "ftpd", "SSHD",
    "in.telnetd", "s*", "22", "sshd ftpd EXCEPT ftpd", "", "KNOWN",
};
static const char *client_patterns[] = {
    "10.0.0.1", "10.0.0.2", "10.0.0.", "10.", ".0.0.1", "10.0.0.0/8",
    "10.0.0.0/255.255.255.0", "ALL", "host.example", ".example",
    "EXCEPT", "LOCAL", "KNOWN", "UNKNOWN", "[::1]", "::1", "10.0.0.1/33",
    "bob@10.0.0.1", "/nonexistent", "h*", "10.0.0.1x", "unknown", "::ffff:10.0.0.1",
};
static const char *option_fields[] = {
    "", ": deny", ": allow", ":deny", " : ALLOW", ":bogus", ":",
};
static const char *addresses[] = {
    "10.0.0.1", "10.0.0.2", "10.9.9.9", "::1", "::ffff:10.0.0.1", "unknown",
    "",
};
static const char *names[] = {"", "host.example", "local", "unknown",
                              "paranoid"};
static const char *daemons[] = {"sshd", "ftpd", "in.telnetd", "SSHD", "22"};

#define PICK(a) ((a)[(size_t)rand() % (sizeof(a) / sizeof((a)[0]))])

/* A random table of n lines. */
static void random_table(struct strbuf *t, int n)
{
    int i, k, count;

    sb_reset(t);
    for (i = 0; i < n; i++) {
        switch (rand() % 12) {
        case 0:
            sb_puts(t, "# comment\n");
            continue;
        case 1:
            sb_puts(t, "   \n");
            continue;
        case 2:
            sb_puts(t, "no colon here\n");
            continue;
        default:
            break;
        }
        sb_printf(t, "%s:", PICK(daemon_lists));
        count = 1 + rand() % 3;
        for (k = 0; k < count; k++)
            sb_printf(t, "%s%s", k ? (rand() % 2 ? ", " : " ") : " ",
                      PICK(client_patterns));
        sb_printf(t, "%s%s\n", PICK(option_fields),
                  rand() % 20 == 0 ? " \\" : "");
    }
    /* Ends a continued last line, so that no table lacks its final
     * newline (that warning is given once per file version). */
    sb_puts(t, "\n");
}

static void test_equivalence(void **state)
{
    struct strbuf allow = STRBUF_INIT, deny = STRBUF_INIT, log1 = STRBUF_INIT;
    int round, q, failures = 0, decisions = 0;

    (void)state;
    srand(12345);
    for (round = 0; round < 1000; round++) {
        random_table(&allow, 1 + rand() % 8);
        random_table(&deny, 1 + rand() % 8);
        tl_tables(sb_str(&allow), sb_str(&deny));
        for (q = 0; q < 10; q++) {
            const char *d = PICK(daemons), *n = PICK(names),
                       *a = PICK(addresses);
            int fast, slow;

            fastline_disabled = false;
            tl_log_clear();
            fast = tl_ctl(d, n, a, "bob");
            sb_reset(&log1);
            sb_puts(&log1, tl_log());
            fastline_disabled = true;
            tl_log_clear();
            slow = tl_ctl(d, n, a, "bob");
            fastline_disabled = false;
            decisions++;
            if (fast != slow || strcmp(sb_str(&log1), tl_log()) != 0) {
                if (failures++ < 3)
                    print_error("disagreement for %s %s %s:\nallow:\n%s"
                                "deny:\n%sfast %d log:\n%sgeneral %d log:\n%s",
                                d, n, a, sb_str(&allow), sb_str(&deny), fast,
                                sb_str(&log1), slow, tl_log());
            }
        }
    }
    print_message("%d decisions compared\n", decisions);
    sb_free(&allow);
    sb_free(&deny);
    sb_free(&log1);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_equivalence, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
