/*
 * test_paths.c - the ways of evaluating a table must agree: the streamed
 * scan of the text (a process's first decision), the compiled rules in
 * order, the compiled rules through their index, and the shared image
 * (store.h): compiled and stored by a root process, then mapped from the
 * store by the next decision, the cache flushed in between as in a fresh
 * process.  Random tables are decided each way; verdicts, every log line
 * (including where a host name lookup happened) and the request's fields
 * afterwards (which lookups Debian's scan would have made) must be
 * identical.
 *
 * Files just written are racy and never stored (cache.h): for the shared
 * image the library's clock runs ahead (the test is linked with
 * --wrap=clock_gettime), and the store is emptied before each request,
 * since the tables are rewritten in place faster than their times tick.
 */
#include "testlib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "cache.h"
#include "clockahead.h"
#include "strbuf.h"

/* The ways of deciding: the last two with a store (set at run time). */
static const struct access_config streamed = {.always_stream = true,
                                              .time_granularity_ns = 1};
static const struct access_config indexed = {.time_granularity_ns = 1};
static const struct access_config in_order = {.no_index = true,
                                              .time_granularity_ns = 1};
static struct access_config shared = {.time_granularity_ns = 1};
static const struct access_config *const modes[] = {
    &indexed, &in_order, &streamed, &shared, &shared};
enum { MODES = 5, STORED = 3, MAPPED = 4 };
static const char *const mode_names[MODES] = {
    "indexed", "in order", "streamed", "stored", "mapped from the store"};

/* Makes the store directory (0755) in the test's directory. */
static void make_store(void)
{
    shared.store_dir = tl_path("store");
    assert_int_equal(mkdir(shared.store_dir, 0755), 0);
    assert_int_equal(chmod(shared.store_dir, 0755), 0);
    shared.store_dir = strdup(shared.store_dir);
    assert_non_null(shared.store_dir);
}

/* Removes every image from the store. */
static void empty_store(void)
{
    char path[1024];
    struct dirent *e;
    DIR *d = opendir(shared.store_dir);

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' &&
            (e->d_name[1] == '\0' || strcmp(e->d_name, "..") == 0))
            continue;
        snprintf(path, sizeof(path), "%s/%s", shared.store_dir, e->d_name);
        assert_int_equal(unlink(path), 0);
    }
    closedir(d);
}

/* Compiles both tables into the cache, as the indexed and in-order
 * decisions found them before the shared ones flushed it. */
static void recompile_tables(void)
{
    enum table_status status;
    const char *tables[2] = {hosts_allow_table, hosts_deny_table};
    int i;

    for (i = 0; i < 2; i++)
        ruleset_put(
            cache_get(tables[i], IMAGE_TABLE, &indexed, &status, NULL, NULL));
}

static const char *daemon_lists[] = {
    "sshd",
    "ALL",
    "sshd, ftpd",
    "ALL EXCEPT sshd",
    "ftpd",
    "SSHD",
    "in.telnetd",
    "s*",
    "22",
    "sshd ftpd EXCEPT ftpd",
    "",
    "KNOWN",
    "sshd@10.0.0.9",
};
static const char *client_patterns[] = {
    TL_CLIENT_PATTERNS,
    "::1",
    "10.0.0.1/33",
    "bob@10.0.0.1",
    "/nonexistent",
    "h*",
    "10.0.0.1x",
    "unknown",
    "::ffff:10.0.0.1",
    "[2001:db8::]/32",
    "[2001:db8::1]",
    "2001:db8::/48",
    "HOST.EXAMPLE",
    "host.",
    "10.0.0.1/8",
    "0.0.0.0/0.0.0.0",
    "[2001:db8::1]/129",
    "paranoid",
    "10.0.0.0/255.0.0.0",
    "[junk]",
    "1234567890.123456789",
    "10.0.0.1.",
    "0.0.0.0",
    "10.0.0.01",
};
static const char *option_fields[] = {
    "", ": deny", ": allow", ":deny", " : ALLOW", ":bogus", ":",
};
static const char *addresses[] = {
    "10.0.0.1", "10.0.0.2", "10.9.9.9",    "::1",           "::ffff:10.0.0.1",
    "unknown",  "",         "2001:db8::1", "2001:db8:1::5",
};
static const char *names[] = {
    "",         "host.example",   "local",       "unknown",
    "paranoid", "a.host.example", "2001:db8::1", "10.0.0.1"};
static const char *daemons[] = {"sshd", "ftpd", "in.telnetd", "SSHD", "22"};

#define PICK(a) ((a)[(size_t)rand() % (sizeof(a) / sizeof((a)[0]))])

/* A random table of n lines. */
static void random_table(struct strbuf *t, int n)
{
    int i, k, count;

    sb_reset(t);
    for (i = 0; i < n; i++) {
        switch (rand() % 14) {
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
    struct strbuf allow = STRBUF_INIT, deny = STRBUF_INIT;
    struct strbuf logs[MODES];
    int round, q, mode, failures = 0, decisions = 0;

    (void)state;
    for (mode = 0; mode < MODES; mode++)
        sb_init(&logs[mode]);
    make_store();
    srand(12345);
    for (round = 0; round < 600; round++) {
        random_table(&allow, 1 + rand() % 10);
        random_table(&deny, 1 + rand() % 10);
        tl_tables(sb_str(&allow), sb_str(&deny));
        for (q = 0; q < 12; q++) {
            const char *d = PICK(daemons), *n = PICK(names),
                       *a = PICK(addresses);
            bool with_lookup = rand() % 2 == 0;
            int verdict[MODES];

            for (mode = 0; mode < MODES; mode++) {
                if (mode == STORED) {
                    empty_store();
                    clock_run_ahead(10);
                }
                if (mode >= STORED)
                    cache_flush(); /* a fresh process */
                tl_log_clear();
                sb_reset(&logs[mode]);
                verdict[mode] =
                    tl_decide(modes[mode], d, n, a, with_lookup, &logs[mode]);
                sb_puts(&logs[mode], tl_log());
            }
            clock_run_ahead(0);
            cache_flush();
            recompile_tables();
            decisions++;
            for (mode = 1; mode < MODES; mode++) {
                if (verdict[mode] == verdict[0] &&
                    strcmp(sb_str(&logs[mode]), sb_str(&logs[0])) == 0)
                    continue;
                if (failures++ < 3)
                    print_error("%s disagrees for %s %s %s (lookup %d):"
                                "\nallow:\n%sdeny:\n%sindexed %d:\n%s"
                                "%s: %d:\n%s",
                                mode_names[mode], d, n, a, with_lookup,
                                sb_str(&allow), sb_str(&deny), verdict[0],
                                sb_str(&logs[0]), mode_names[mode],
                                verdict[mode], sb_str(&logs[mode]));
            }
        }
    }
    print_message("%d decisions compared five ways\n", decisions);
    sb_free(&allow);
    sb_free(&deny);
    for (mode = 0; mode < MODES; mode++)
        sb_free(&logs[mode]);
    free((char *)shared.store_dir);
    shared.store_dir = NULL;
    assert_int_equal(failures, 0);
}

/*
 * What the indexed scan leaves in the request: lines the index skips
 * must fill in the address and (without a lookup method) the name as
 * Debian's scan does, and lines it yields must not be assumed to have
 * read the name (found by tests/compat).
 */
static void test_index_fields(void **state)
{
    static const struct {
        const char *allow, *daemon, *addr;
    } cases[] = {
        /* A skipped line with a name pattern reads the name. */
        {"sshd: host.example\n", "sshd", "10.0.0.1"},
        {"sshd: 10.0.0.2 host.example\nALL: 10.0.0.1\n", "sshd", "10.0.0.1"},
        /* The address matches before the name pattern is reached: the
         * yielded line does not match, and no name is read. */
        {"sshd: 10.0.0.1 host.example EXCEPT 10.0.0.1\n", "sshd", "10.0.0.1"},
        {"KNOWN: UNKNOWN 10.0.0.0/8 EXCEPT u*\n", "sshd", "unknown"},
        {"sshd: [2001:db8::]/32 name EXCEPT [2001:db8::]/\n", "sshd",
         "2001:db8::1"},
        /* A skipped line whose daemon list does not match reads
         * nothing. */
        {"ftpd: host.example\n", "sshd", "10.0.0.1"},
        /* An unset address is filled in by a skipped line. */
        {"sshd: 10.0.0.2\n", "sshd", ""},
        {"ftpd: 10.0.0.2\n", "sshd", ""},
    };
    struct strbuf indexed_fields = STRBUF_INIT, plain = STRBUF_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tl_tables(cases[i].allow, "");
        sb_reset(&indexed_fields);
        sb_reset(&plain);
        tl_decide(&indexed, cases[i].daemon, "", cases[i].addr, false,
                  &indexed_fields);
        sb_reset(&indexed_fields); /* the first use builds no index */
        tl_decide(&indexed, cases[i].daemon, "", cases[i].addr, false,
                  &indexed_fields);
        tl_decide(&streamed, cases[i].daemon, "", cases[i].addr, false,
                  &plain);
        if (strcmp(sb_str(&indexed_fields), sb_str(&plain)) != 0)
            print_error("case %zu: indexed %splain   %s", i,
                        sb_str(&indexed_fields), sb_str(&plain));
        assert_string_equal(sb_str(&indexed_fields), sb_str(&plain));
    }
    tl_log_clear();
    sb_free(&indexed_fields);
    sb_free(&plain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_equivalence, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_index_fields, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
