/*
 * test_cache.c - a changed table is seen on the very next decision.
 *
 * Each case decides a few times (so the table is cached and indexed),
 * changes the file one way, and decides again: appends, in-place rewrites
 * of the same size within one timestamp tick (stat() cannot tell), rename
 * replacement as editors and sed -i do it, deletion, and changes to a
 * /file list that a rule names.
 */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "cache.h"

static void append(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void test_append(void **state)
{
    (void)state;
    tl_tables("", "sshd: 10.0.0.1\n");
    assert_int_equal(tl_warm("10.0.0.2"), 1);
    append(hosts_deny_table, "sshd: 10.0.0.2\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
}

/* A file system with one-second timestamps, and no shared images. */
static struct access_config coarse = {.time_granularity_ns = 1000000000L};

/* True when stat() cannot tell a and b apart at the cache's granularity. */
static bool stat_unchanged(const struct stat *a, const struct stat *b)
{
    long g = coarse.time_granularity_ns;

    return a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec / g == b->st_mtim.tv_nsec / g &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec / g == b->st_ctim.tv_nsec / g;
}

/*
 * Rewrites the file in place, keeping its size, right after a decision.
 * With one-second timestamps (as on ext3 or FAT; simulated, since recent
 * Linux gives just-read files fine-grained times) stat() sees no change,
 * and only the racy-file rule catches it.
 */
static void test_same_size_same_tick(void **state)
{
    struct stat before, after;
    int i, unchanged = 0;
    char one[] = "sshd: 10.0.0.1\n", two[] = "sshd: 10.0.0.2\n";

    (void)state;
    tl_config = &coarse;
    for (i = 0; i < 200; i++) {
        const char *now = i % 2 ? one : two, *next = i % 2 ? two : one;
        int fd;

        tl_tables("", now);
        assert_int_equal(tl_warm("10.0.0.2"), i % 2 ? 1 : 0);
        assert_int_equal(stat(hosts_deny_table, &before), 0);
        fd = open(hosts_deny_table, O_WRONLY);
        assert_true(fd >= 0);
        assert_int_equal(pwrite(fd, next, strlen(next), 0),
                         (ssize_t)strlen(next));
        close(fd);
        assert_int_equal(stat(hosts_deny_table, &after), 0);
        if (stat_unchanged(&before, &after))
            unchanged++;
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), i % 2 ? 0 : 1);
    }
    tl_config = NULL;
    print_message("%d of 200 rewrites left stat() unchanged\n", unchanged);
    /* The case this test exists for must have happened. */
    assert_true(unchanged > 0);
}

static void test_rename_replace(void **state)
{
    (void)state;
    tl_tables("", "sshd: 10.0.0.1\n");
    assert_int_equal(tl_warm("10.0.0.2"), 1);
    tl_write("new", "sshd: 10.0.0.2\n");
    assert_int_equal(rename(tl_path("new"), hosts_deny_table), 0);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
}

static void test_delete(void **state)
{
    (void)state;
    tl_tables("", "sshd: 10.0.0.2\n");
    assert_int_equal(tl_warm("10.0.0.2"), 0);
    assert_int_equal(unlink(hosts_deny_table), 0);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 1);
}

static void test_hostlist_change(void **state)
{
    char rule[600];

    (void)state;
    tl_write("blocked", "10.0.0.1\n");
    snprintf(rule, sizeof(rule), "sshd: %s\n", tl_path("blocked"));
    tl_tables("", rule);
    assert_int_equal(tl_warm("10.0.0.2"), 1);
    append(tl_path("blocked"), "10.0.0.2\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
    tl_write("blocked", "10.0.0.3\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 1);
}

/* Many versions in a row leave exactly one cached version behind. */
static void test_many_versions(void **state)
{
    char text[64];
    int i;

    (void)state;
    for (i = 0; i < 300; i++) {
        snprintf(text, sizeof(text), "sshd: 10.0.%d.%d\n", i / 250, i % 250);
        tl_tables("", text);
        snprintf(text, sizeof(text), "10.0.%d.%d", i / 250, i % 250);
        assert_int_equal(tl_warm(text), 0);
    }
    cache_flush();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_append, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_same_size_same_tick, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_rename_replace, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_delete, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_hostlist_change, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_many_versions, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
