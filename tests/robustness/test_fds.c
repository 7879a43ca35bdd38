/*
 * test_fds.c - descriptors and memory of a long-running caller.
 *
 * Every descriptor the library opens must be close-on-exec from the
 * moment it exists (a daemon that forks and execs in another thread must
 * not leak it): the test is linked with -Wl,--wrap for the calls that
 * create descriptors, and while the library decides, each new descriptor
 * is checked for FD_CLOEXEC.  A resident process that makes 100,000
 * decisions while its tables and /file lists change must end with the
 * descriptors and the heap it started with.
 */
#include "testlib.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "strbuf.h"
#include "testwrap.h"

/* ---- descriptors created while the library works ---- */

static bool watching;       /* inside a library call */
static pid_t watching_pid;  /* only the caller's process, not children */
static long created, leaky; /* descriptors seen, without FD_CLOEXEC */
static char leaky_call[128];

/* Checks a descriptor a wrapped call just returned. */
static int check_fd(int fd, const char *call)
{
    int flags;

    if (fd < 0 || !watching || getpid() != watching_pid)
        return fd;
    created++;
    flags = fcntl(fd, F_GETFD);
    if (flags < 0 || !(flags & FD_CLOEXEC)) {
        if (leaky++ == 0)
            snprintf(leaky_call, sizeof(leaky_call), "%s", call);
    }
    return fd;
}

/* The mode argument of open() and openat(), when there is one. */
#define MODE_ARG(flags, last)                                                 \
    mode_t mode = 0;                                                          \
    if ((flags) & (O_CREAT | O_TMPFILE)) {                                    \
        va_list ap;                                                           \
        va_start(ap, last);                                                   \
        mode = (mode_t)va_arg(ap, int);                                       \
        va_end(ap);                                                           \
    }

int __wrap_open(const char *path, int flags, ...)
{
    MODE_ARG(flags, flags)
    return check_fd(__real_open(path, flags, mode), path);
}

int __wrap_openat(int dir, const char *path, int flags, ...)
{
    MODE_ARG(flags, flags)
    return check_fd(__real_openat(dir, path, flags, mode), path);
}

int __wrap_socket(int domain, int type, int protocol)
{
    return check_fd(__real_socket(domain, type, protocol), "socket");
}

int __wrap_pipe(int fds[2])
{
    int rc = __real_pipe(fds);

    if (rc == 0) {
        check_fd(fds[0], "pipe");
        check_fd(fds[1], "pipe");
    }
    return rc;
}

int __wrap_pipe2(int fds[2], int flags)
{
    int rc = __real_pipe2(fds, flags);

    if (rc == 0) {
        check_fd(fds[0], "pipe2");
        check_fd(fds[1], "pipe2");
    }
    return rc;
}

int __wrap_dup(int fd)
{
    return check_fd(__real_dup(fd), "dup");
}

int __wrap_accept(int fd, struct sockaddr *sa, socklen_t *len)
{
    return check_fd(__real_accept(fd, sa, len), "accept");
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
    FILE *fp = __real_fopen(path, mode);

    if (fp != NULL)
        check_fd(fileno(fp), path);
    return fp;
}

/* Bytes allocated and not freed: the sanitizer's count when there is
 * one, else glibc's. */
size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

static size_t heap_in_use(void)
{
    if (__sanitizer_get_current_allocated_bytes != NULL)
        return __sanitizer_get_current_allocated_bytes();
    return mallinfo2().uordblks;
}

/* Counts log lines without allocating (the heap is being measured). */
static long log_lines;

static void count_line(int priority, const char *text, void *arg)
{
    (void)priority;
    (void)text;
    (void)arg;
    log_lines++;
}

/* ---- tests ---- */

/* Tables and lists that make the library open everything it can. */
static void rich_tables(int version)
{
    char deny[2048], dir[512];

    tl_write("list", version % 2 ? "10.0.0.9\n" : "10.0.0.8\n10.0.0.9\n");
    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    snprintf(deny, sizeof(deny),
             "sshd: %slist %smissing %slist.d\n"
             "sshd: 10.%d.0.0/16 EXCEPT 10.%d.0.1\n"
             "ALL EXCEPT sshd: \\\n 10.0.0.%d\n",
             dir, dir, dir, version % 5, version % 5, version % 250);
    tl_tables("sshd: 10.0.0.1 [::1]\n", deny);
}

static void test_cloexec(void **state)
{
    int before, v, i;

    (void)state;
    before = tl_count_fds();
    mkdir(tl_path("list.d"), 0755);
    watching_pid = getpid();
    for (v = 0; v < 20; v++) {
        rich_tables(v);
        if (v % 3 == 0)
            cache_flush();
        for (i = 0; i < 10; i++) {
            char addr[32];
            snprintf(addr, sizeof(addr), "10.%d.0.%d", v % 5, 1 + i % 10);
            watching = true;
            (void)tl_ctl(i % 2 ? "sshd" : "ftpd", "", addr, "");
            watching = false;
        }
    }
    cache_flush();
    tl_log_clear();
    print_message("robustness: %ld descriptors opened by the library, %ld "
                  "without close-on-exec%s%s\n",
                  created, leaky, leaky > 0 ? ", first: " : "", leaky_call);
    assert_true(created > 0);
    assert_int_equal(leaky, 0);
    assert_int_equal(tl_count_fds(), before);
}

/* 100,000 decisions in one process while the tables change every 500
 * decisions (by rename or in place), with the cache flushed now and
 * then: no descriptor and no memory may be left behind. */
static void test_resident(void **state)
{
    int fds_before, fds_mid = 0, v = 0;
    size_t heap_before, heap_mid = 0, heap_after;
    long i, decisions = 100000;

    (void)state;
    mkdir(tl_path("list.d"), 0755);
    rich_tables(0);
    cache_flush();
    /* Warm up whatever the C library allocates once. */
    for (i = 0; i < 100; i++)
        (void)tl_ctl("sshd", "", "10.0.0.8", "");
    cache_flush();
    tl_log_clear();
    diag_set_sink(count_line, NULL);
    fds_before = tl_count_fds();
    heap_before = heap_in_use();
    for (i = 0; i < decisions; i++) {
        char addr[32];

        if (i % 500 == 0) {
            v++;
            if (v % 2) {
                rich_tables(v);
            } else {
                char path[600];
                rich_tables(v);
                snprintf(path, sizeof(path), "%s", hosts_deny_table);
                tl_write("deny.new", "sshd: 10.0.0.8\n");
                assert_int_equal(rename(tl_path("deny.new"), path), 0);
            }
            if (v % 37 == 0)
                cache_flush();
        }
        snprintf(addr, sizeof(addr), "10.%ld.%ld.%ld", i % 7, i % 3, i % 256);
        (void)tl_ctl(i % 3 ? "sshd" : "ftpd", "", addr, "");
        if (i == decisions / 2) {
            fds_mid = tl_count_fds();
            heap_mid = heap_in_use();
        }
    }
    cache_flush();
    heap_after = heap_in_use();
    print_message("robustness: %ld decisions over %d table versions: "
                  "descriptors %d, %d halfway, %d after; heap %zu bytes, "
                  "%zu halfway, %zu after\n",
                  decisions, v, fds_before, fds_mid, tl_count_fds(),
                  heap_before, heap_mid, heap_after);
    assert_int_equal(log_lines, 0);
    assert_int_equal(tl_count_fds(), fds_before);
    assert_int_equal(fds_mid, fds_before);
    /* The cache holds a bounded set of versions while running... */
    assert_true(heap_mid < heap_before + 4 * 1024 * 1024);
    /* ...and nothing once flushed: exactly under a sanitizer, which
     * counts only the program's blocks; glibc's own count moves with
     * its internal caches. */
    if (__sanitizer_get_current_allocated_bytes != NULL)
        assert_int_equal(heap_after, heap_before);
    else
        assert_true(heap_after <= heap_before + 16384);
}

/* Children of spawn and aclexec: /dev/null on 0 and 2, nothing above 2,
 * even when the caller holds descriptors without close-on-exec (a
 * daemon's listening socket, the client connection). */
static void test_child_fds(void **state)
{
    char dir[512], rules[4096];
    int inherit[2], high, before;

    (void)state;
    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, inherit), 0);
    high = fcntl(inherit[0], F_DUPFD, 40);
    assert_true(high >= 40);
    before = tl_count_fds();
    snprintf(rules, sizeof(rules),
             "sshd: 10.0.0.1: spawn ls /proc/self/fd > %sspawn.fds : "
             "spawn readlink /proc/self/fd/0 /proc/self/fd/2 > %sspawn.std\n"
             "sshd: 10.0.0.2: aclexec ls /proc/self/fd > %sacl.fds\n",
             dir, dir, dir);
    tl_tables(rules, "ALL: ALL\n");
    watching_pid = getpid();
    watching = true;
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 1);
    watching = false;
    tl_assert_log("");
    /* ls itself opens /proc/self/fd as 3; 1 is the redirection. */
    assert_string_equal(tl_read("spawn.fds"), "0\n1\n2\n3\n");
    assert_string_equal(tl_read("acl.fds"), "0\n1\n2\n3\n");
    assert_string_equal(tl_read("spawn.std"), "/dev/null\n/dev/null\n");
    assert_int_equal(leaky, 0);
    assert_int_equal(tl_count_fds(), before);
    close(inherit[0]);
    close(inherit[1]);
    close(high);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cloexec, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_resident, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_child_fds, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
