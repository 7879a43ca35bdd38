/*
 * test_shared.c - compiled images shared between processes: a fresh
 * process maps what a root process stored, and no decision, log line
 * or request field ever depends on whether it did.
 *
 * "A fresh process" is a child forked from the test whose in-process
 * cache is flushed first, so that only the store can spare it the text;
 * it decides, as root or as nobody, and sends back its verdict, its log
 * and how many times it opened a table or list (the test is linked with
 * --wrap=open, so a decision served from the store shows as none).  The
 * equivalence test stays in the test process and flushes the cache
 * instead: the cache is the library's only state between decisions.
 *
 * The store is a directory of the test's own (mkdtemp, 0755), never the
 * real /run; read-only and full stores are tmpfs mounts in a private
 * mount namespace of a child.  Tables written a moment ago are racy and
 * never stored (cache.h): the library's real-time clock runs CLOCK_AHEAD
 * seconds ahead (--wrap=clock_gettime, as the compat probe's "aged"
 * cases do), except in the case that tests the racy rule itself.  Since
 * the test then edits files that the library takes for old, it waits
 * before each edit (on the clock, a bounded wait, never a fixed sleep)
 * until the file system's clock has passed the file's times, as it
 * would have for a file that really was old.  --wrap=getrandom lets the
 * test give the library the hash seed of an image that tcpdcompile
 * made, to compare the two byte for byte.
 *
 * Children fail through _exit(1) with a message; every wait on a child
 * is bounded by its alarm() watchdog.
 */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "cache.h"
#include "diag.h"
#include "image.h"
#include "ruleset.h"
#include "store.h"
#include "strbuf.h"
#include "table.h"

/* Seconds the library's clock runs ahead: files look this much older. */
enum { CLOCK_AHEAD = 10 };
/* Seconds a child may take before its watchdog ends it. */
enum { WATCHDOG = 60 };
/* The exit status of a child that could not make its condition. */
enum { SKIP_CHILD = 77 };
/* The user a non-root process runs as. */
enum { NOBODY = 65534 };

static char tables[PATH_MAX]; /* the tables' directory (testlib's) */
static size_t tables_len;
static char base[PATH_MAX];   /* the test's own directory */
static char store[PATH_MAX];  /* the store */
static char store2[PATH_MAX]; /* a second trusted store */
static char mnt[PATH_MAX];    /* a mount point for tmpfs stores */
static char deny_path[PATH_MAX], allow_path[PATH_MAX];

static struct access_config shared = {.time_granularity_ns = 1};
static const struct access_config text_only = {.always_stream = true,
                                               .time_granularity_ns = 1};

/* ---- what the test sees of the library (--wrap) ---- */

/* Tables and lists opened by this thread (a decision from the store
 * opens none). */
static _Thread_local long text_opens;

/* The library's real-time clock: CLOCK_AHEAD seconds ahead, or stopped
 * at one moment (to repeat another compiler's reading time). */
static time_t clock_ahead;
static bool clock_stopped;
static struct timespec stopped_at;

/* A hash seed the library's next 8-byte getrandom() gives. */
static bool seed_armed;
static uint64_t armed_seed;

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_clock_gettime(clockid_t id, struct timespec *ts);
int __wrap_clock_gettime(clockid_t id, struct timespec *ts);
ssize_t __real_getrandom(void *buf, size_t n, unsigned flags);
ssize_t __wrap_getrandom(void *buf, size_t n, unsigned flags);

int __wrap_open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode = 0;
    int fd;

    if (flags & (O_CREAT | O_TMPFILE)) {
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    fd = __real_open(path, flags, mode);
    if (fd >= 0 && tables_len > 0 && strncmp(path, tables, tables_len) == 0 &&
        path[tables_len] == '/')
        text_opens++;
    return fd;
}

int __wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
    int rc;

    if (id == CLOCK_REALTIME && clock_stopped) {
        *ts = stopped_at;
        return 0;
    }
    rc = __real_clock_gettime(id, ts);
    if (rc == 0 && id == CLOCK_REALTIME)
        ts->tv_sec += clock_ahead;
    return rc;
}

ssize_t __wrap_getrandom(void *buf, size_t n, unsigned flags)
{
    if (seed_armed && n == sizeof(armed_seed)) {
        seed_armed = false;
        memcpy(buf, &armed_seed, sizeof(armed_seed));
        return (ssize_t)n;
    }
    return __real_getrandom(buf, n, flags);
}

/* The real time now. */
static struct timespec real_now(void)
{
    struct timespec ts;

    CHECK(__real_clock_gettime(CLOCK_REALTIME, &ts) == 0);
    return ts;
}

/* ---- files ---- */

/* Writes a file whole (0644). */
static void put_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    CHECK(fd >= 0);
    CHECK_INT(write(fd, text, strlen(text)), strlen(text));
    CHECK(close(fd) == 0);
}

static void append_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);

    CHECK(fd >= 0);
    CHECK_INT(write(fd, text, strlen(text)), strlen(text));
    CHECK(close(fd) == 0);
}

/* Replaces a file as editors do: a new file renamed over it. */
static void rename_over(const char *path, const char *text)
{
    char tmp[PATH_MAX];

    CHECK(snprintf(tmp, sizeof(tmp), "%s.new", path) < PATH_MAX);
    put_file(tmp, text);
    CHECK(rename(tmp, path) == 0);
}

/* Rewrites a file in place with text of the same size. */
static void rewrite_in_place(const char *path, const char *text)
{
    struct stat st;
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    CHECK(fd >= 0 && fstat(fd, &st) == 0);
    CHECK_INT(st.st_size, strlen(text));
    CHECK_INT(pwrite(fd, text, strlen(text), 0), strlen(text));
    CHECK(close(fd) == 0);
}

static bool later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec ||
           (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

/*
 * Waits until the file system's clock (the kernel's coarse clock, which
 * stamps files) has passed the times of path, so that an edit now gives
 * the file times of its own, as an edit of a really old file would.
 * Bounded: a tick is milliseconds; two seconds fail the check.
 */
static void wait_tick(const char *path)
{
    struct timespec now, start, newest;
    struct stat st;

    if (stat(path, &st) != 0)
        return;
    newest = later(&st.st_ctim, &st.st_mtim) ? st.st_ctim : st.st_mtim;
    CHECK(__real_clock_gettime(CLOCK_MONOTONIC, &start) == 0);
    for (;;) {
        CHECK(__real_clock_gettime(CLOCK_REALTIME_COARSE, &now) == 0);
        if (later(&now, &newest))
            return;
        CHECK(__real_clock_gettime(CLOCK_MONOTONIC, &now) == 0);
        CHECK(now.tv_sec - start.tv_sec < 2);
        sched_yield();
    }
}

/* Removes everything in dir (not dir itself). */
static void empty_dir(const char *dir)
{
    struct dirent *e;
    char path[PATH_MAX];
    DIR *d = opendir(dir);

    CHECK(d != NULL);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        tl_join(path, dir, e->d_name);
        CHECK(unlink(path) == 0 || (errno == EISDIR && rmdir(path) == 0) ||
              rmdir(path) == 0);
    }
    closedir(d);
}

/* A file's bytes. */
static void read_file(const char *path, struct strbuf *out)
{
    char buf[4096];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    ssize_t n;

    sb_reset(out);
    CHECK(fd >= 0);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        sb_append(out, buf, (size_t)n);
    CHECK_INT(n, 0);
    close(fd);
    CHECK(!sb_failed(out));
}

/* The name of the image of path (store.h; the test's base names need
 * none of its replacements). */
static const char *image_name(const char *path)
{
    static char names[4][NAME_MAX + 1];
    static unsigned next;
    char *name = names[next++ % 4];

    snprintf(name, NAME_MAX + 1, "%s.%016" PRIx64, strrchr(path, '/') + 1,
             tl_fnv(path, strlen(path)));
    return name;
}

/* The path of the image of path in dir. */
static const char *image_file(const char *dir, const char *path)
{
    static char files[4][PATH_MAX];
    static unsigned next;
    char *file = files[next++ % 4];

    tl_join(file, dir, image_name(path));
    return file;
}

/* Everything about dir and its entries a writer could change: modes,
 * owners, inodes, sizes, times (the directory's own times show a
 * temporary file made and removed) and contents. */
static void snapshot(const char *dir, struct strbuf *out)
{
    struct strbuf names = STRBUF_INIT, bytes = STRBUF_INIT;
    char path[PATH_MAX];
    const char *p, *nl;
    struct stat st;

    sb_reset(out);
    tl_listing(dir, &names);
    CHECK(lstat(dir, &st) == 0);
    sb_printf(out, ". %o %u %ju.%09ld %ju.%09ld\n", (unsigned)st.st_mode,
              (unsigned)st.st_uid, (uintmax_t)st.st_mtim.tv_sec,
              st.st_mtim.tv_nsec, (uintmax_t)st.st_ctim.tv_sec,
              st.st_ctim.tv_nsec);
    for (p = sb_str(&names); (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        snprintf(path, sizeof(path), "%s/%.*s", dir, (int)(nl - p), p);
        CHECK(lstat(path, &st) == 0);
        sb_printf(out, "%.*s %o %u %ju %jd %ju.%09ld", (int)(nl - p), p,
                  (unsigned)st.st_mode, (unsigned)st.st_uid,
                  (uintmax_t)st.st_ino, (intmax_t)st.st_size,
                  (uintmax_t)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
        if (S_ISREG(st.st_mode)) {
            read_file(path, &bytes);
            sb_printf(out, " %016" PRIx64, tl_fnv(bytes.data, bytes.len));
        }
        sb_putc(out, '\n');
    }
    sb_free(&names);
    sb_free(&bytes);
}

/* ---- images made by the test ---- */

/*
 * Compiles text as the rules of path, with the source record of the
 * file at identity as stat() shows it now, read CLOCK_AHEAD seconds
 * later (so that it is not racy unless asked): an image the library
 * would trust for that file, but of other rules.
 */
static struct ruleset *compile_as(const char *path, const char *text,
                                  const char *identity, enum image_kind kind,
                                  bool racy)
{
    struct timespec read_at = real_now();
    struct table_text t;
    struct ruleset *rs;
    size_t n = strlen(text);

    memset(&t, 0, sizeof(t));
    t.data = calloc(1, n + TABLE_PADDING + 1);
    CHECK(t.data != NULL);
    memcpy(t.data, text, n);
    t.size = n;
    t.any_reader = true;
    CHECK(stat(identity, &t.st) == 0);
    read_at.tv_sec += CLOCK_AHEAD;
    rs = ruleset_compile(path, &t, kind, &read_at, racy);
    CHECK(rs != NULL);
    table_text_free(&t);
    return rs;
}

/* Stores the image of path's text as the library would (for tables
 * that no decision reaches) and puts the ruleset back. */
static void store_text(const char *dir, const char *path, enum image_kind kind)
{
    struct ruleset *rs;
    struct strbuf text = STRBUF_INIT;

    read_file(path, &text);
    rs = compile_as(path, sb_str(&text), path, kind, false);
    store_save(dir, path, rs->im.base, rs->im.size);
    CHECK(access(image_file(dir, path), F_OK) == 0);
    ruleset_put(rs);
    sb_free(&text);
}

/* ---- decisions ---- */

/* The log line of a match at a line of a table (verbose 2). */
static const char *matched(const char *table, int line)
{
    static char text[2][PATH_MAX + 64];
    static unsigned next;
    char *t = text[next++ % 2];

    snprintf(t, PATH_MAX + 64, "7 matched:  %s line %d\n", table, line);
    return t;
}

/* What a decision gave. */
struct outcome {
    int verdict;
    long opens; /* tables and lists opened */
    struct strbuf log;
};

/* One decision for sshd, bob@addr, with a fresh request, here. */
static void decide_here(const struct access_config *cfg, const char *addr,
                        struct outcome *out)
{
    struct request_info r;
    long before = text_opens;

    tl_log_clear();
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, addr, RQ_USER, "bob",
                 0);
    out->verdict = access_decide(&r, cfg);
    out->opens = text_opens - before;
    sb_reset(&out->log);
    sb_puts(&out->log, tl_log());
    tl_log_clear();
}

/* Makes this process nobody, with no groups. */
static void become_nobody(void)
{
    CHECK(setgroups(0, NULL) == 0);
    CHECK(setgid(NOBODY) == 0);
    CHECK(setuid(NOBODY) == 0);
    CHECK_INT(geteuid(), NOBODY);
}

/* Reads fd to its end. */
static void read_all(int fd, struct strbuf *out)
{
    char buf[4096];
    ssize_t n;

    sb_reset(out);
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        CHECK(n > 0);
        sb_append(out, buf, (size_t)n);
    }
}

/* Waits for a child; returns its exit status (a signal fails). */
static int reap(pid_t pid)
{
    int status;

    CHECK_INT(waitpid(pid, &status, 0), pid);
    CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* One decision in a fresh process, as root or as nobody. */
static void decide_fresh(bool as_nobody, const struct access_config *cfg,
                         const char *addr, struct outcome *out)
{
    struct strbuf got = STRBUF_INIT;
    int p[2];
    pid_t pid;
    char *nl;

    CHECK(pipe2(p, O_CLOEXEC) == 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct outcome here = {0, 0, STRBUF_INIT};
        struct strbuf msg = STRBUF_INIT;

        alarm(WATCHDOG);
        close(p[0]);
        cache_flush();
        if (as_nobody)
            become_nobody();
        decide_here(cfg, addr, &here);
        sb_printf(&msg, "%d %ld\n%s", here.verdict, here.opens,
                  sb_str(&here.log));
        CHECK_INT(write(p[1], msg.data, msg.len), msg.len);
        _exit(0);
    }
    close(p[1]);
    read_all(p[0], &got);
    close(p[0]);
    CHECK_INT(reap(pid), 0);
    nl = strchr(sb_str(&got), '\n');
    CHECK(nl != NULL);
    CHECK(sscanf(got.data, "%d %ld", &out->verdict, &out->opens) == 2);
    sb_reset(&out->log);
    sb_puts(&out->log, nl + 1);
    sb_free(&got);
}

/* A fresh decision's verdict and log; opens: the exact count of text
 * files opened, or -1 for "at least one". */
static void check_fresh(bool as_nobody, const struct access_config *cfg,
                        const char *addr, int verdict, const char *log,
                        long opens, int line)
{
    struct outcome o = {0, 0, STRBUF_INIT};

    decide_fresh(as_nobody, cfg, addr, &o);
    tl_check_long(o.verdict, verdict, addr, __FILE__, line);
    tl_check_str(sb_str(&o.log), log, __FILE__, line);
    if (opens >= 0)
        tl_check_long(o.opens, opens, "text files opened", __FILE__, line);
    else
        tl_check(o.opens > 0, "the text was read", __FILE__, line);
    sb_free(&o.log);
}
#define CHECK_FRESH(nobody, cfg, addr, verdict, log, opens)                   \
    check_fresh((nobody), (cfg), (addr), (verdict), (log), (opens), __LINE__)

/* Runs fn in a child process (for conditions of a whole file system);
 * a child that could not make its condition skips the case. */
static void in_child(void (*fn)(void), const char *what)
{
    pid_t pid = fork();
    int rc;

    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(WATCHDOG * 3);
        fn();
        _exit(0);
    }
    rc = reap(pid);
    if (rc == SKIP_CHILD) {
        print_message("%s: skipped (no private mount namespace)\n", what);
        skip();
    }
    assert_int_equal(rc, 0);
}

/* In a child: a tmpfs of its own at mnt, in a private mount namespace. */
static void private_tmpfs(const char *options)
{
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", mnt, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) {
        fprintf(stderr, "tmpfs: %s\n", strerror(errno));
        _exit(SKIP_CHILD);
    }
}

/* ---- setup ---- */

static int setup(void **state)
{
    char *slash;

    if (tl_setup(state) != 0)
        return -1;
    tl_test_pid = getpid();
    snprintf(tables, sizeof(tables), "%s", hosts_allow_table);
    slash = strrchr(tables, '/');
    *slash = '\0';
    tables_len = strlen(tables);
    snprintf(allow_path, sizeof(allow_path), "%s", hosts_allow_table);
    snprintf(deny_path, sizeof(deny_path), "%s", hosts_deny_table);
    snprintf(base, sizeof(base), "/tmp/libwrap-shared-XXXXXX");
    if (mkdtemp(base) == NULL || chmod(base, 0755) != 0 ||
        chmod(tables, 0755) != 0)
        return -1;
    tl_join(store, base, "store");
    tl_join(store2, base, "store2");
    tl_join(mnt, base, "mnt");
    if (mkdir(store, 0755) != 0 || chmod(store, 0755) != 0 ||
        mkdir(store2, 0755) != 0 || chmod(store2, 0755) != 0 ||
        mkdir(mnt, 0755) != 0 || chmod(mnt, 0755) != 0)
        return -1;
    shared.store_dir = store;
    shared.time_granularity_ns = 1;
    clock_ahead = CLOCK_AHEAD;
    clock_stopped = false;
    seed_armed = false;
    hosts_access_verbose = 2;
    cache_flush();
    return 0;
}

static int teardown(void **state)
{
    char cmd[PATH_MAX + 16];

    cache_flush();
    clock_ahead = 0;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
    if (system(cmd) != 0)
        return -1;
    tables_len = 0;
    return tl_teardown(state);
}

/* ---- the store is used ---- */

/* A root decision compiles and stores the images of both tables and of
 * the list a rule names; a fresh process then maps them and opens no
 * text, as root or as nobody, with the same verdict and log. */
static void test_store_is_used(void **state)
{
    char list[PATH_MAX], deny[PATH_MAX * 2], want[3 * NAME_MAX + 8];
    const char *hit;

    (void)state;
    tl_join(list, tables, "blocked");
    put_file(list, "10.0.0.2\n");
    snprintf(deny, sizeof(deny), "sshd: 10.0.0.1\nsshd: %s\n", list);
    tl_tables("", deny);
    hit = matched(deny_path, 2);
    /* The control of the counter: without a store, all three files. */
    CHECK_FRESH(false, &text_only, "10.0.0.2", 0, hit, 3);
    CHECK_LISTING(store, "");
    CHECK_FRESH(false, &shared, "10.0.0.2", 0, hit, 3);
    snprintf(want, sizeof(want), "%s\n%s\n%s\n", image_name(list),
             image_name(allow_path), image_name(deny_path));
    CHECK_LISTING(store, want);
    CHECK_FRESH(false, &shared, "10.0.0.2", 0, hit, 0);
    CHECK_FRESH(true, &shared, "10.0.0.2", 0, hit, 0);
    CHECK_FRESH(true, &shared, "10.0.0.1", 0, matched(deny_path, 1), 0);
    CHECK_FRESH(true, &shared, "10.0.0.3", 1, "", 0);
    CHECK_LISTING(store, want);
}

/* ---- changes are seen by the next fresh process ---- */

static char change_list[PATH_MAX];

static void change_append(void)
{
    append_file(deny_path, "sshd: 10.0.0.3\n");
}

static void change_rename(void)
{
    char text[PATH_MAX + 64];

    snprintf(text, sizeof(text), "sshd: 10.0.0.3\nsshd: %s\n", change_list);
    rename_over(deny_path, text);
}

static void change_in_place(void)
{
    char text[PATH_MAX + 64];

    snprintf(text, sizeof(text), "sshd: 10.0.0.3\nsshd: %s\n", change_list);
    rewrite_in_place(deny_path, text);
}

static void change_list_append(void)
{
    append_file(change_list, "10.0.0.3\n");
}

static void change_list_rename(void)
{
    rename_over(change_list, "10.0.0.3\n");
}

static void change_list_in_place(void)
{
    rewrite_in_place(change_list, "10.0.0.3\n");
}

static void change_list_delete(void)
{
    CHECK(unlink(change_list) == 0);
}

/*
 * deny: "sshd: 10.0.0.1" then "sshd: <list>", the list "10.0.0.2".
 * Each change is made once every image is stored and used; the next
 * fresh process (nobody, who cannot rebuild) decides by the new text,
 * then a root one rebuilds, and the one after maps the new images.
 */
static void test_changes_seen(void **state)
{
    static const struct {
        const char *name;
        void (*change)(void);
        bool list;    /* the list changes, not the table */
        int after[3]; /* verdicts for .1 .2 .3 afterwards */
        int line[3];  /* their deny lines (0: none) */
        int opens[3]; /* the changed files they read */
    } cases[] = {
        {"append", change_append, false, {0, 0, 0}, {1, 2, 3}, {1, 1, 1}},
        {"rename", change_rename, false, {1, 0, 0}, {0, 2, 1}, {1, 1, 1}},
        {"in place", change_in_place, false, {1, 0, 0}, {0, 2, 1}, {1, 1, 1}},
        /* 10.0.0.1 matches before the list is read. */
        {"list append",
         change_list_append,
         true,
         {0, 0, 0},
         {1, 2, 2},
         {0, 1, 1}},
        {"list rename",
         change_list_rename,
         true,
         {0, 1, 0},
         {1, 0, 2},
         {0, 1, 1}},
        {"list in place",
         change_list_in_place,
         true,
         {0, 1, 0},
         {1, 0, 2},
         {0, 1, 1}},
        /* A missing list is no match, and nothing to open. */
        {"list delete",
         change_list_delete,
         true,
         {0, 1, 1},
         {1, 0, 0},
         {0, 0, 0}},
    };
    static const char *const addrs[3] = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
    static const int before[3] = {0, 0, 1}, before_line[3] = {1, 2, 0};
    char deny[PATH_MAX + 64];
    size_t i;
    int a;

    (void)state;
    tl_join(change_list, tables, "blocked");
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        print_message("change: %s\n", cases[i].name);
        empty_dir(store);
        put_file(change_list, "10.0.0.2\n");
        snprintf(deny, sizeof(deny), "sshd: 10.0.0.1\nsshd: %s\n",
                 change_list);
        tl_tables("", deny);
        /* 10.0.0.3 reaches every rule: all three images are stored. */
        CHECK_FRESH(false, &shared, "10.0.0.3", 1, "", 3);
        for (a = 0; a < 3; a++)
            CHECK_FRESH(
                true, &shared, addrs[a], before[a],
                before_line[a] ? matched(deny_path, before_line[a]) : "", 0);
        wait_tick(cases[i].list ? change_list : deny_path);
        cases[i].change();
        for (a = 0; a < 3; a++)
            CHECK_FRESH(true, &shared, addrs[a], cases[i].after[a],
                        cases[i].line[a] ? matched(deny_path, cases[i].line[a])
                                         : "",
                        cases[i].opens[a]);
        CHECK_FRESH(false, &shared, "10.0.0.3", cases[i].after[2],
                    cases[i].line[2] ? matched(deny_path, cases[i].line[2])
                                     : "",
                    cases[i].opens[2]);
        for (a = 0; a < 3; a++)
            CHECK_FRESH(true, &shared, addrs[a], cases[i].after[a],
                        cases[i].line[a] ? matched(deny_path, cases[i].line[a])
                                         : "",
                        0);
    }
}

/* True when stat() cannot tell a and b apart at granularity g. */
static bool stat_unchanged(const struct stat *a, const struct stat *b, long g)
{
    return a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec / g == b->st_mtim.tv_nsec / g &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec / g == b->st_ctim.tv_nsec / g;
}

/* True when the store has no image of hosts.deny (hosts.allow, written
 * once, may have grown old enough to be stored meanwhile). */
static bool deny_not_stored(void)
{
    return access(image_file(store, deny_path), F_OK) != 0 && errno == ENOENT;
}

/*
 * With the real clock and one-second timestamps: a table written a
 * moment ago is racy, so a root process compiles it but stores nothing;
 * rewritten in place with the same size within the same tick (stat()
 * cannot tell), the next fresh process decides by the new text.
 */
static void test_same_size_same_tick(void **state)
{
    struct access_config coarse = {.store_dir = store,
                                   .time_granularity_ns = 1000000000L};
    static const char one[] = "sshd: 10.0.0.1\n", two[] = "sshd: 10.0.0.2\n";
    struct stat was, now;
    int i, unchanged = 0;

    (void)state;
    clock_ahead = 0;
    tl_tables("", one);
    for (i = 0; i < 40; i++) {
        const char *next = i % 2 ? one : two;
        int line_of_2 = i % 2 ? 1 : 0; /* two denies .2 at line 1 */

        CHECK_FRESH(false, &coarse, "10.0.0.2", line_of_2 ? 0 : 1,
                    line_of_2 ? matched(deny_path, 1) : "", -1);
        CHECK(deny_not_stored());
        CHECK(stat(deny_path, &was) == 0);
        rewrite_in_place(deny_path, next);
        CHECK(stat(deny_path, &now) == 0);
        if (stat_unchanged(&was, &now, coarse.time_granularity_ns))
            unchanged++;
        CHECK_FRESH(false, &coarse, "10.0.0.2", line_of_2 ? 1 : 0,
                    line_of_2 ? "" : matched(deny_path, 1), -1);
        CHECK_FRESH(true, &coarse, "10.0.0.2", line_of_2 ? 1 : 0,
                    line_of_2 ? "" : matched(deny_path, 1), -1);
        CHECK(deny_not_stored());
    }
    print_message("%d of 40 rewrites left stat() unchanged\n", unchanged);
    assert_true(unchanged > 0);
}

/* ---- equivalence on random tables ---- */

static const char *daemon_lists[] = {
    "sshd",  "ALL",           "sshd, ftpd", "ALL EXCEPT sshd", "ftpd", "s*",
    "KNOWN", "sshd@10.0.0.9", "22",
};
static const char *client_patterns[] = {
    TL_CLIENT_PATTERNS, "bob@10.0.0.1",    "/nonexistent",  "h*",
    "unknown",          "[2001:db8::]/32", "2001:db8::/48", "paranoid",
    "@group",           "LIST1",           "LIST2",         "LIST1",
};
static const char *list_words[] = {
    "10.0.0.1",
    "10.0.0.2",
    "10.0.0.",
    ".example",
    "host.example",
    "ALL",
    "10.0.0.0/255.0.0.0",
    "[2001:db8::1]",
    "LIST2",
    "LIST1",
    "KNOWN",
};
static const char *option_fields[] = {"", ": deny", ": allow", ":bogus"};
static const char *addresses[] = {"10.0.0.1", "10.0.0.2", "10.9.9.9",
                                  "::1",      "unknown",  "2001:db8::1"};
static const char *names[] = {"", "host.example", "local", "unknown",
                              "a.host.example"};
static const char *daemons[] = {"sshd", "ftpd", "22"};

#define PICK(a) ((a)[(size_t)rand() % (sizeof(a) / sizeof((a)[0]))])

static char list1[PATH_MAX], list2[PATH_MAX];

/* A pattern, with the list names made paths. */
static const char *word(const char *w)
{
    if (strcmp(w, "LIST1") == 0)
        return list1;
    if (strcmp(w, "LIST2") == 0)
        return list2;
    return w;
}

static void random_rule(struct strbuf *t)
{
    int k, count = 1 + rand() % 3;

    switch (rand() % 12) {
    case 0:
        sb_puts(t, "# comment\n");
        return;
    case 1:
        sb_puts(t, "no colon here\n");
        return;
    default:
        break;
    }
    sb_printf(t, "%s:", PICK(daemon_lists));
    for (k = 0; k < count; k++)
        sb_printf(t, "%s%s", k ? ", " : " ", word(PICK(client_patterns)));
    sb_printf(t, "%s\n", PICK(option_fields));
}

static void random_table(struct strbuf *t)
{
    int i, n = 1 + rand() % 8;

    sb_reset(t);
    for (i = 0; i < n; i++)
        random_rule(t);
}

static void random_list(struct strbuf *t)
{
    int i, n = rand() % 4;

    sb_reset(t);
    for (i = 0; i < n; i++)
        sb_printf(t, "%s%s", word(PICK(list_words)), rand() % 2 ? " " : "\n");
    sb_puts(t, "\n");
}

/* One decision here, with the request's fields after it appended to
 * the log. */
static int decide_random(const struct access_config *cfg, const char *d,
                         const char *n, const char *a, bool with_lookup,
                         struct strbuf *log, long *opens)
{
    struct strbuf fields = STRBUF_INIT;
    long before = text_opens;
    int verdict;

    tl_log_clear();
    verdict = tl_decide(cfg, d, n, a, with_lookup, &fields);
    *opens = text_opens - before;
    sb_reset(log);
    sb_printf(log, "%s%s", tl_log(), sb_str(&fields));
    sb_free(&fields);
    tl_log_clear();
    return verdict;
}

/* Leaves the store images of every file of the round, as the library
 * makes them (its own cache_get(), as root), and forgets them here. */
static void store_all(const char *const *files, const enum image_kind *kinds,
                      int n)
{
    enum table_status status;
    struct ruleset *rs;
    bool stream;
    int i;

    cache_flush();
    for (i = 0; i < n; i++) {
        rs = cache_get(files[i], kinds[i], &shared, &status,
                       kinds[i] == IMAGE_TABLE ? &stream : NULL, NULL);
        if (access(files[i], F_OK) == 0) {
            CHECK(rs != NULL);
            CHECK(access(image_file(store, files[i]), F_OK) == 0);
        }
        ruleset_put(rs);
    }
    cache_flush();
}

/* A random edit of one of the files. */
static void random_edit(const char *const *files, const enum image_kind *kinds)
{
    struct strbuf text = STRBUF_INIT, now = STRBUF_INIT;
    int f = rand() % 4;
    size_t i;

    wait_tick(files[f]);
    if (kinds[f] == IMAGE_TABLE)
        random_table(&text);
    else
        random_list(&text);
    switch (rand() % 4) {
    case 0:
        if (kinds[f] == IMAGE_TABLE)
            random_rule(&text);
        append_file(files[f], sb_str(&text));
        break;
    case 1:
        rename_over(files[f], sb_str(&text));
        break;
    case 2:
        /* The same size: one digit changed (or the same bytes again). */
        read_file(files[f], &now);
        for (i = 0; i < now.len; i++) {
            if (now.data[i] >= '0' && now.data[i] <= '9' && rand() % 3 == 0) {
                now.data[i] = (char)('0' + rand() % 10);
                break;
            }
        }
        rewrite_in_place(files[f], sb_str(&now));
        break;
    default:
        put_file(files[f], sb_str(&text));
        break;
    }
    sb_free(&text);
    sb_free(&now);
}

/*
 * Random tables and lists: after each round of edits, the first
 * decision through the store (whose images are now stale) and, once
 * the images are stored again, decisions served from them alone (no
 * text opened) give the verdicts, logs and request fields that the
 * text gives.
 */
static void test_equivalence(void **state)
{
    const char *files[4] = {allow_path, deny_path, list1, list2};
    static const enum image_kind kinds[4] = {IMAGE_TABLE, IMAGE_TABLE,
                                             IMAGE_LIST, IMAGE_LIST};
    struct strbuf text = STRBUF_INIT, got = STRBUF_INIT, want = STRBUF_INIT;
    int round, edit, q, i, failures = 0, decisions = 0, verdict;
    long opens, ignored;

    (void)state;
    tl_join(list1, tables, "list1");
    tl_join(list2, tables, "list2");
    srand(20240612);
    for (round = 0; round < 100; round++) {
        empty_dir(store);
        for (i = 0; i < 4; i++) {
            if (kinds[i] == IMAGE_TABLE)
                random_table(&text);
            else
                random_list(&text);
            wait_tick(files[i]);
            put_file(files[i], sb_str(&text));
        }
        for (edit = 0; edit < 4; edit++) {
            if (edit > 0)
                random_edit(files, kinds);
            for (q = 0; q < 9; q++) {
                const char *d = PICK(daemons), *n = PICK(names),
                           *a = PICK(addresses);
                bool with_lookup = rand() % 2 == 0;

                if (q == 1)
                    store_all(files, kinds, 4);
                cache_flush();
                verdict =
                    decide_random(&shared, d, n, a, with_lookup, &got, &opens);
                cache_flush();
                decisions++;
                if (decide_random(&text_only, d, n, a, with_lookup, &want,
                                  &ignored) != verdict ||
                    strcmp(sb_str(&got), sb_str(&want)) != 0 ||
                    (q >= 1 && opens != 0)) {
                    if (failures++ < 3)
                        print_error("round %d edit %d query %d: %s %s %s "
                                    "(lookup %d): store %d (%ld opened):\n%s"
                                    "text %d:\n%s",
                                    round, edit, q, d, n, a, with_lookup,
                                    verdict, opens, sb_str(&got),
                                    decide_random(&text_only, d, n, a,
                                                  with_lookup, &want,
                                                  &ignored),
                                    sb_str(&want));
                }
            }
        }
    }
    print_message("%d decisions through the store, compared with the text\n",
                  decisions);
    sb_free(&text);
    sb_free(&got);
    sb_free(&want);
    assert_int_equal(failures, 0);
}

/* ---- poisoned images ---- */

/* The text: hosts.deny denies 10.0.0.1 at line 3.  The poison's rules
 * deny 10.0.0.2 at line 1 instead: used, it would show in both. */
#define DENY_TEXT   "\n\nsshd: 10.0.0.1\n"
#define POISON_TEXT "sshd: 10.0.0.2\n"

enum poison {
    P_OWNER,         /* the image is nobody's */
    P_GROUP_OWNER,   /* root's, group nobody, mode 0644: fine */
    P_FILE_WRITABLE, /* mode 0664 */
    P_FILE_WORLD,    /* mode 0646 */
    P_DIR_GROUP,     /* the store directory is 0775 */
    P_DIR_WORLD,     /* 0757 */
    P_DIR_OWNER,     /* nobody's directory */
    P_SYMLINK,       /* a link to a good image in another store */
    P_FIFO,
    P_DIRECTORY,
    P_EMPTY, /* zero bytes */
    P_MAGIC,
    P_VERSION,
    P_ABI,
    P_SIZE_FIELD, /* the header says 8 bytes more */
    P_TRUNCATED,  /* the file is 8 bytes short */
    P_EXTENDED,   /* the file has 8 bytes more */
    P_KIND,       /* a list image */
    P_RACY,
    P_OTHER_PATH,
    P_DEV,
    P_INO,
    P_SIZE,
    P_MODE,
    P_MTIME_SEC,
    P_MTIME_NSEC,
    P_CTIME_SEC,
    P_CTIME_NSEC,
    P_COUNT
};

static const char *const poison_names[P_COUNT] = {
    "owner",
    "group owner (control)",
    "group-writable file",
    "world-writable file",
    "group-writable store",
    "world-writable store",
    "store of another user",
    "symlink",
    "FIFO",
    "directory",
    "empty file",
    "magic",
    "version",
    "ABI tag",
    "size field",
    "truncated",
    "extended",
    "kind",
    "racy",
    "other path",
    "device",
    "inode",
    "size",
    "mode",
    "mtime",
    "mtime ns",
    "ctime",
    "ctime ns",
};

/* Writes n bytes as the image file, root's and 0644, directly. */
static void put_image_bytes(const char *file, const void *p, size_t n)
{
    int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    CHECK(fd >= 0);
    CHECK_INT(write(fd, p, n), n);
    CHECK(fchmod(fd, 0644) == 0);
    CHECK(close(fd) == 0);
}

/* Puts the poison of kind k in the store in place of hosts.deny's. */
static void make_poison(enum poison k)
{
    const char *file = image_file(store, deny_path);
    struct ruleset *rs;
    struct image_header *h;
    unsigned char *copy;
    size_t n;

    if (k == P_RACY)
        rs = compile_as(deny_path, POISON_TEXT, deny_path, IMAGE_TABLE, true);
    else if (k == P_OTHER_PATH)
        rs = compile_as(tl_path("other"), POISON_TEXT, deny_path, IMAGE_TABLE,
                        false);
    else
        rs = compile_as(deny_path, POISON_TEXT, deny_path, IMAGE_TABLE, false);
    n = rs->im.size;
    copy = calloc(1, n + 8);
    CHECK(copy != NULL);
    memcpy(copy, rs->im.base, n);
    ruleset_put(rs);
    h = (struct image_header *)(void *)copy;
    switch (k) {
    case P_MAGIC:
        h->magic[1] ^= 0x20;
        break;
    case P_VERSION:
        h->version++;
        break;
    case P_ABI:
        h->abi ^= 0x100;
        break;
    case P_SIZE_FIELD:
        h->size += 8;
        break;
    case P_KIND:
        h->kind = IMAGE_LIST;
        break;
    case P_DEV:
        h->source.dev++;
        break;
    case P_INO:
        h->source.ino++;
        break;
    case P_SIZE:
        h->source.size++;
        break;
    case P_MODE:
        h->source.mode ^= 0200;
        break;
    case P_MTIME_SEC:
        h->source.mtime_sec--;
        break;
    case P_MTIME_NSEC:
        h->source.mtime_nsec = (h->source.mtime_nsec + 1) % 1000000000u;
        break;
    case P_CTIME_SEC:
        h->source.ctime_sec--;
        break;
    case P_CTIME_NSEC:
        h->source.ctime_nsec = (h->source.ctime_nsec + 1) % 1000000000u;
        break;
    default:
        break;
    }
    switch (k) {
    case P_SYMLINK:
        store_save(store2, deny_path, copy, n);
        CHECK(symlink(image_file(store2, deny_path), file) == 0);
        break;
    case P_FIFO:
        CHECK(mkfifo(file, 0644) == 0);
        break;
    case P_DIRECTORY:
        CHECK(mkdir(file, 0755) == 0);
        break;
    case P_EMPTY:
        put_image_bytes(file, copy, 0);
        break;
    case P_TRUNCATED:
        put_image_bytes(file, copy, n - 8);
        break;
    case P_EXTENDED:
        put_image_bytes(file, copy, n + 8);
        break;
    default:
        store_save(store, deny_path, copy, n);
        CHECK(access(file, F_OK) == 0);
        break;
    }
    switch (k) {
    case P_OWNER:
        CHECK(chown(file, NOBODY, NOBODY) == 0);
        break;
    case P_GROUP_OWNER:
        CHECK(chown(file, 0, NOBODY) == 0);
        break;
    case P_FILE_WRITABLE:
        CHECK(chmod(file, 0664) == 0);
        break;
    case P_FILE_WORLD:
        CHECK(chmod(file, 0646) == 0);
        break;
    case P_DIR_GROUP:
        CHECK(chmod(store, 0775) == 0);
        break;
    case P_DIR_WORLD:
        CHECK(chmod(store, 0757) == 0);
        break;
    case P_DIR_OWNER:
        CHECK(chown(store, NOBODY, NOBODY) == 0);
        break;
    default:
        break;
    }
    free(copy);
}

/*
 * Each poisoned image of hosts.deny is one whose rules disagree with
 * the text (the control shows that a trusted one would be used, and
 * would show).  A fresh process as nobody decides by the text and
 * changes nothing; a root one decides by the text too and, where the
 * store can be written, replaces the poison with the text's image,
 * which the next fresh process maps.
 */
static void test_poisoned_images(void **state)
{
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
    const char *hit = matched(deny_path, 3);
    int k;

    (void)state;
    tl_tables("", DENY_TEXT);
    /* The control: the poison's rules, trusted, decide. */
    store_text(store, allow_path, IMAGE_TABLE);
    make_poison(P_COUNT);
    CHECK_FRESH(true, &shared, "10.0.0.1", 1, "", 0);
    CHECK_FRESH(true, &shared, "10.0.0.2", 0, matched(deny_path, 1), 0);
    for (k = 0; k < P_COUNT; k++) {
        bool bad_dir =
            k == P_DIR_GROUP || k == P_DIR_WORLD || k == P_DIR_OWNER;
        bool fixable = !bad_dir && k != P_DIRECTORY;
        /* An untrusted store: both tables are read. */
        long opens = bad_dir ? 2 : 1;

        print_message("poison: %s\n", poison_names[k]);
        CHECK(chmod(store, 0755) == 0 && chown(store, 0, 0) == 0);
        empty_dir(store);
        empty_dir(store2);
        store_text(store, allow_path, IMAGE_TABLE);
        make_poison((enum poison)k);
        if (k == P_GROUP_OWNER) {
            /* Root's file, not writable by its group: trusted. */
            CHECK_FRESH(true, &shared, "10.0.0.1", 1, "", 0);
            continue;
        }
        snapshot(store, &before);
        CHECK_FRESH(true, &shared, "10.0.0.1", 0, hit, opens);
        CHECK_FRESH(true, &shared, "10.0.0.2", 1, "", opens);
        snapshot(store, &after);
        CHECK_STR(sb_str(&after), sb_str(&before));
        CHECK_FRESH(false, &shared, "10.0.0.1", 0, hit, opens);
        if (fixable) {
            CHECK_FRESH(true, &shared, "10.0.0.2", 1, "", 0);
            CHECK_FRESH(true, &shared, "10.0.0.1", 0, hit, 0);
        } else {
            CHECK_FRESH(true, &shared, "10.0.0.2", 1, "", opens);
        }
        if (bad_dir) {
            /* Root does not write a store it does not trust. */
            snapshot(store, &after);
            CHECK_STR(sb_str(&after), sb_str(&before));
        }
        if (k == P_SYMLINK) {
            /* The link was replaced, not followed. */
            struct stat st;

            CHECK(lstat(image_file(store, deny_path), &st) == 0);
            CHECK(S_ISREG(st.st_mode));
        }
    }
    CHECK(chmod(store, 0755) == 0 && chown(store, 0, 0) == 0);
    sb_free(&before);
    sb_free(&after);
}

/* ---- stores that cannot be written ---- */

static struct access_config mounted = {.time_granularity_ns = 1};

/* A read-only tmpfs store, empty, then with images: decisions as the
 * text's, no log line, nothing written. */
static void read_only_store(void)
{
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

    hosts_access_verbose = 0;
    mounted.store_dir = mnt;
    private_tmpfs("size=1m,mode=0755");
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
                NULL) == 0);
    CHECK_FRESH(false, &mounted, "10.0.0.1", 0, "", 2);
    CHECK_FRESH(false, &mounted, "10.0.0.3", 1, "", 2);
    CHECK_LISTING(mnt, "");
    /* Writable again for a moment: the images are stored... */
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV, NULL) ==
          0);
    CHECK_FRESH(false, &mounted, "10.0.0.3", 1, "", 2);
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
                NULL) == 0);
    /* ...and used, read-only; once stale, ignored, and not rewritten. */
    CHECK_FRESH(false, &mounted, "10.0.0.1", 0, "", 0);
    snapshot(mnt, &before);
    wait_tick(deny_path);
    append_file(deny_path, "sshd: 10.0.0.3\n");
    CHECK_FRESH(false, &mounted, "10.0.0.3", 0, "", -1);
    CHECK_FRESH(false, &mounted, "10.0.0.1", 0, "", -1);
    snapshot(mnt, &after);
    CHECK_STR(sb_str(&after), sb_str(&before));
    sb_free(&before);
    sb_free(&after);
}

static void test_read_only_store(void **state)
{
    (void)state;
    tl_tables("", "sshd: 10.0.0.1\n");
    in_child(read_only_store, "read-only store");
}

/* A tmpfs of 8 KiB and a table whose image does not fit: decisions as
 * the text's, no log line, no file or block left behind. */
static void full_store(void)
{
    struct statvfs empty, now;

    hosts_access_verbose = 0;
    mounted.store_dir = mnt;
    private_tmpfs("size=8k,mode=0755");
    CHECK(statvfs(mnt, &empty) == 0);
    CHECK_FRESH(false, &mounted, "10.0.1.1", 0, "", 1);
    CHECK_FRESH(false, &mounted, "10.0.0.1", 1, "", 1);
    CHECK_FRESH(false, &mounted, "10.0.3.199", 0, "", 1);
    CHECK_LISTING(mnt, "");
    CHECK(statvfs(mnt, &now) == 0);
    CHECK_INT(now.f_bfree, empty.f_bfree);
}

static void test_full_store(void **state)
{
    struct strbuf deny = STRBUF_INIT;
    int i;

    (void)state;
    for (i = 0; i < 800; i++)
        sb_printf(&deny, "sshd: 10.0.%d.%d\n", 1 + i / 200, i % 200);
    tl_tables(NULL, sb_str(&deny));
    sb_free(&deny);
    in_child(full_store, "full store");
}

/* ---- a process that is not root ---- */

/* Nobody maps root's images, and never writes: not when it decides from
 * them, not when they are stale, not when there are none. */
static void test_non_root(void **state)
{
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

    (void)state;
    tl_tables("", "sshd: 10.0.0.1\n");
    CHECK_FRESH(false, &shared, "10.0.0.3", 1, "", 2);
    snapshot(store, &before);
    CHECK_FRESH(true, &shared, "10.0.0.1", 0, matched(deny_path, 1), 0);
    CHECK_FRESH(true, &shared, "10.0.0.3", 1, "", 0);
    wait_tick(deny_path);
    append_file(deny_path, "sshd: 10.0.0.3\n");
    CHECK_FRESH(true, &shared, "10.0.0.3", 0, matched(deny_path, 2), 1);
    snapshot(store, &after);
    CHECK_STR(sb_str(&after), sb_str(&before));
    empty_dir(store);
    snapshot(store, &before);
    CHECK_FRESH(true, &shared, "10.0.0.3", 0, matched(deny_path, 2), 2);
    snapshot(store, &after);
    CHECK_STR(sb_str(&after), sb_str(&before));
    sb_free(&before);
    sb_free(&after);
}

/* ---- threads while another process rewrites the store ---- */

enum { THREADS = 8, PER_THREAD = 300, FLUSH_EVERY = 5, MAX_REWRITES = 20000 };

static const char *const thread_addrs[3] = {"10.0.0.1", "10.0.0.2",
                                            "10.0.0.3"};
static const int thread_verdicts[3] = {0, 1, 1};
static long wrong_verdicts, lines_logged, served_without_text;

static void count_lines(int priority, const char *text, void *arg)
{
    (void)priority;
    (void)text;
    (void)arg;
    __atomic_add_fetch(&lines_logged, 1, __ATOMIC_RELAXED);
}

static void *decider(void *arg)
{
    int t = (int)(intptr_t)arg, k, a;
    struct request_info r;
    long before;

    for (k = 0; k < PER_THREAD; k++) {
        a = (k + t) % 3;
        if ((k + t) % FLUSH_EVERY == 0)
            cache_flush();
        before = text_opens;
        request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, thread_addrs[a],
                     RQ_USER, "bob", 0);
        if (access_decide(&r, &shared) != thread_verdicts[a])
            __atomic_add_fetch(&wrong_verdicts, 1, __ATOMIC_RELAXED);
        if (text_opens == before)
            __atomic_add_fetch(&served_without_text, 1, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* The rewriter: the image of the table as it is, then a valid image of
 * another version (another file's identity), in turn, until the test
 * closes the pipe or MAX_REWRITES. */
static void rewriter(int ready, int stop, const struct ruleset *other)
{
    struct table_text text;
    struct timespec now;
    struct ruleset *rs;
    char c;
    int i;

    CHECK(fcntl(stop, F_SETFL, O_NONBLOCK) == 0);
    for (i = 0; i < MAX_REWRITES; i++) {
        if (i % 2 == 0) {
            CHECK(clock_gettime(CLOCK_REALTIME, &now) == 0);
            CHECK_INT(table_read(deny_path, &text), TABLE_OK);
            rs = ruleset_compile(deny_path, &text, IMAGE_TABLE, &now, false);
            CHECK(rs != NULL);
            table_text_free(&text);
            store_save(store, deny_path, rs->im.base, rs->im.size);
            ruleset_put(rs);
        } else {
            store_save(store, deny_path, other->im.base, other->im.size);
        }
        if (i == 1)
            CHECK_INT(write(ready, "r", 1), 1);
        if (read(stop, &c, 1) == 0)
            break;
    }
    fprintf(stderr, "rewriter: %d images stored\n", i);
}

/* Eight threads decide, flushing the cache now and then so that the
 * store is mapped again, while a process rewrites the table's image:
 * every verdict is the text's, and nothing is logged. */
static void test_threads_and_rewriter(void **state)
{
    pthread_t threads[THREADS];
    struct ruleset *other;
    int ready[2], stop[2], t;
    char other_file[PATH_MAX], c;
    pid_t pid;

    (void)state;
    hosts_access_verbose = 0;
    tl_tables("", "sshd: 10.0.0.1\n");
    tl_join(other_file, tables, "other");
    put_file(other_file, "sshd: 10.0.0.2\n");
    other = compile_as(deny_path, "sshd: 10.0.0.2\n", other_file, IMAGE_TABLE,
                       false);
    CHECK(pipe2(ready, O_CLOEXEC) == 0 && pipe2(stop, O_CLOEXEC) == 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(WATCHDOG);
        close(ready[0]);
        close(stop[1]);
        rewriter(ready[1], stop[0], other);
        _exit(0);
    }
    close(ready[1]);
    close(stop[0]);
    CHECK_INT(read(ready[0], &c, 1), 1);
    wrong_verdicts = lines_logged = served_without_text = 0;
    diag_set_sink(count_lines, NULL);
    for (t = 0; t < THREADS; t++)
        CHECK(pthread_create(&threads[t], NULL, decider,
                             (void *)(intptr_t)t) == 0);
    for (t = 0; t < THREADS; t++)
        CHECK(pthread_join(threads[t], NULL) == 0);
    close(stop[1]);
    CHECK_INT(reap(pid), 0);
    close(ready[0]);
    ruleset_put(other);
    print_message("%d decisions, %ld without opening the text\n",
                  THREADS * PER_THREAD, served_without_text);
    assert_int_equal(wrong_verdicts, 0);
    assert_int_equal(lines_logged, 0);
}

/* ---- tcpdcompile ---- */

/* Runs tcpdcompile with args (as nobody when asked); its output and
 * exit status. */
static int run_tcpdcompile(bool as_nobody, const char *const *args,
                           struct strbuf *out, struct strbuf *err)
{
    const char *argv[16] = {TCPDCOMPILE_PATH};
    int o[2], e[2], i;
    pid_t pid;

    for (i = 0; args[i] != NULL && i < 14; i++)
        argv[i + 1] = args[i];
    argv[i + 1] = NULL;
    CHECK(pipe2(o, O_CLOEXEC) == 0 && pipe2(e, O_CLOEXEC) == 0);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(WATCHDOG);
        if (as_nobody)
            become_nobody();
        dup2(o[1], 1);
        dup2(e[1], 2);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(o[1]);
    close(e[1]);
    read_all(o[0], out);
    read_all(e[0], err);
    close(o[0]);
    close(e[0]);
    return reap(pid);
}

/* The tables of the tcpdcompile cases: lists named by both tables,
 * one of them twice. */
static char tc_list1[PATH_MAX], tc_list2[PATH_MAX];

static void tc_tables(void)
{
    char allow[PATH_MAX + 32], deny[2 * PATH_MAX + 64];

    tl_join(tc_list1, tables, "trusted");
    tl_join(tc_list2, tables, "blocked");
    put_file(tc_list1, "10.0.0.1\n");
    put_file(tc_list2, "10.0.0.2 10.0.0.3\n");
    snprintf(allow, sizeof(allow), "sshd: %s\n", tc_list1);
    snprintf(deny, sizeof(deny), "ALL: %s\nsshd: %s\n", tc_list2, tc_list1);
    tl_tables(allow, deny);
}

/* The header of an image file. */
static void image_header_of(const char *file, struct image_header *h)
{
    struct strbuf bytes = STRBUF_INIT;

    read_file(file, &bytes);
    CHECK(bytes.len >= sizeof(*h));
    memcpy(h, bytes.data, sizeof(*h));
    sb_free(&bytes);
}

/*
 * Just written, the tables are racy: -n stores nothing and says so for
 * each; without -n the tool waits until stat() can vouch for them, then
 * stores all four images.  Fresh processes then decide from them alone;
 * and the library, given the same seed and reading time, stores the
 * very same bytes.
 */
static void test_tcpdcompile(void **state)
{
    const char *no_wait[] = {"-n", "-s", store, allow_path, deny_path, NULL};
    const char *wait[] = {"-s", store, allow_path, deny_path, NULL};
    const char *files[4] = {allow_path, tc_list1, deny_path, tc_list2};
    static const enum image_kind kinds[4] = {IMAGE_TABLE, IMAGE_LIST,
                                             IMAGE_TABLE, IMAGE_LIST};
    static const char *const what[4] = {"1 rules", "1 patterns", "2 rules",
                                        "2 patterns"};
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT, want = STRBUF_INIT;
    struct strbuf mine = STRBUF_INIT, its = STRBUF_INIT;
    struct timespec start, end;
    struct image_header h;
    enum table_status status;
    struct ruleset *rs;
    struct stat st;
    bool stream;
    int i;

    (void)state;
    tc_tables();
    CHECK_INT(run_tcpdcompile(false, no_wait, &out, &err), 0);
    for (i = 0; i < 4; i++)
        sb_printf(&want,
                  "%s: changed just now and still changing: not stored "
                  "(the library reads its text)\n",
                  files[i]);
    CHECK_STR(sb_str(&out), sb_str(&want));
    CHECK_STR(sb_str(&err), "");
    CHECK_LISTING(store, "");

    tc_tables(); /* racy again, however long that took */
    start = real_now();
    CHECK_INT(run_tcpdcompile(false, wait, &out, &err), 0);
    end = real_now();
    CHECK_STR(sb_str(&err), "");
    CHECK(end.tv_sec - start.tv_sec >= 1);
    sb_reset(&want);
    for (i = 0; i < 4; i++) {
        CHECK(stat(image_file(store, files[i]), &st) == 0);
        sb_printf(&want, "%s: %s, %jd bytes, stored in %s\n", files[i],
                  what[i], (intmax_t)st.st_size, store);
        /* Read once stat() could vouch for it. */
        image_header_of(image_file(store, files[i]), &h);
        CHECK(h.source.read_sec - (h.source.ctime_sec > h.source.mtime_sec
                                       ? h.source.ctime_sec
                                       : h.source.mtime_sec) >
              TABLE_RACY_SECONDS);
        CHECK_INT(h.source.flags & SOURCE_RACY, 0);
    }
    CHECK_STR(sb_str(&out), sb_str(&want));

    /* Used: no text opened, as root or nobody. */
    CHECK_FRESH(true, &shared, "10.0.0.1", 1, matched(allow_path, 1), 0);
    CHECK_FRESH(true, &shared, "10.0.0.3", 0, matched(deny_path, 1), 0);
    CHECK_FRESH(false, &shared, "10.0.0.9", 1, "", 0);

    /* The library's own images, in store2, with tcpdcompile's seed and
     * reading time: byte for byte the same. */
    for (i = 0; i < 4; i++) {
        image_header_of(image_file(store, files[i]), &h);
        armed_seed = h.seed;
        seed_armed = true;
        stopped_at.tv_sec = (time_t)h.source.read_sec;
        stopped_at.tv_nsec = (long)h.source.read_nsec;
        clock_stopped = true;
        shared.store_dir = store2;
        cache_flush();
        rs = cache_get(files[i], kinds[i], &shared, &status,
                       kinds[i] == IMAGE_TABLE ? &stream : NULL, NULL);
        shared.store_dir = store;
        clock_stopped = false;
        CHECK(rs != NULL);
        CHECK(!seed_armed);
        ruleset_put(rs);
        cache_flush();
        read_file(image_file(store, files[i]), &its);
        read_file(image_file(store2, files[i]), &mine);
        CHECK_INT(mine.len, its.len);
        CHECK(memcmp(mine.data, its.data, its.len) == 0);
    }
    sb_free(&out);
    sb_free(&err);
    sb_free(&want);
    sb_free(&mine);
    sb_free(&its);
}

/* tcpdcompile stores the fragments of a table's drop-in directory (but
 * not the files the library skips), and a fresh process then decides
 * from the images of the table and its fragment without opening a text. */
static void test_tcpdcompile_fragments(void **state)
{
    const char *args[] = {"-q", "-s", store, allow_path, deny_path, NULL};
    char dir[PATH_MAX + 8], frag[PATH_MAX], backup[PATH_MAX];
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;
    struct stat st;

    (void)state;
    tl_tables("sshd: 10.0.0.1\n", "sshd: 10.0.0.3\n");
    snprintf(dir, sizeof(dir), "%s.d", allow_path);
    CHECK(mkdir(dir, 0755) == 0);
    tl_join(frag, dir, "50-ops");
    tl_join(backup, dir, "50-ops~");
    put_file(frag, "sshd: 10.0.0.2\n");
    put_file(backup, "sshd: 10.0.0.3\n");
    CHECK_INT(run_tcpdcompile(false, args, &out, &err), 0);
    CHECK_STR(sb_str(&err), "");
    CHECK_STR(sb_str(&out), "");
    CHECK(stat(image_file(store, allow_path), &st) == 0);
    CHECK(stat(image_file(store, frag), &st) == 0);
    CHECK(stat(image_file(store, backup), &st) != 0);
    CHECK_FRESH(true, &shared, "10.0.0.2", 1, matched(frag, 1), 0);
    CHECK_FRESH(true, &shared, "10.0.0.3", 0, matched(deny_path, 1), 0);
    CHECK(unlink(frag) == 0 && unlink(backup) == 0 && rmdir(dir) == 0);
    sb_free(&out);
    sb_free(&err);
}

/* Nobody may not write the store: exit 1, the reason, nothing stored. */
static void test_tcpdcompile_not_root(void **state)
{
    const char *args[] = {"-s", store, allow_path, deny_path, NULL};
    struct strbuf out = STRBUF_INIT, err = STRBUF_INIT;

    (void)state;
    tc_tables();
    CHECK_INT(run_tcpdcompile(true, args, &out, &err), 1);
    CHECK_STR(sb_str(&out), "");
    CHECK_STR(sb_str(&err), "tcpdcompile: only root (and not through a "
                            "set-id program) may write the store\n");
    CHECK_LISTING(store, "");
    sb_free(&out);
    sb_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_is_used, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_seen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_size_same_tick, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_equivalence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_poisoned_images, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads_and_rewriter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tcpdcompile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcpdcompile_fragments, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tcpdcompile_not_root, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
