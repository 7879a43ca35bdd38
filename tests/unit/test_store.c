/*
 * test_store.c - the shared image store: trusted or ignored, written
 * whole or not at all.
 *
 * Every case works in a directory of its own under /tmp (mkdtemp, then
 * 0755 so that a process running as nobody can reach it), never in the
 * real /run.  Conditions of a whole file system (read-only, full) are
 * made with a tmpfs in a private mount namespace of a child process,
 * which disappears with the child.  Each call of the store goes through
 * a wrapper that checks what every call promises: errno as the caller
 * had it (set to a different value each time), no descriptor left open,
 * every descriptor it opened close-on-exec from the start (the test is
 * linked with --wrap=open,openat), and after a refused load nothing
 * mapped from the test directory.
 *
 * Loads that could block (a FIFO) and everything done in children run
 * under an alarm() watchdog: a hang ends the child and fails the case,
 * within a bound, instead of stalling the suite; no case sleeps.
 *
 * The set-id case (AT_SECURE) is made for real when the file system
 * allows it: the test copies its own binary into its directory, makes
 * it setuid root, and runs it as nobody ("--secure-helper"); the copy
 * is then root with AT_SECURE set, and must read but never write.
 * Where setuid cannot take effect (nosuid, no_new_privs) the case is
 * skipped and says why, as are the mount cases without CAP_SYS_ADMIN.
 */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store.h"
#include "strbuf.h"

/* The source every case stores, and its image's name (by hand: FNV-1a
 * 64 of "/etc/hosts.allow" is 75b8784eb217c67f). */
#define SOURCE "/etc/hosts.allow"
#define NAME   "hosts.allow.75b8784eb217c67f"

/* The size of the good image most cases start from. */
enum { GOOD_SIZE = 5000 };
/* The exit status of a child that could not make its condition. */
enum { SKIP_CHILD = 77 };
/* Seconds a child may take before its watchdog ends it. */
enum { WATCHDOG = 30 };

static char root[PATH_MAX], store[PATH_MAX], image_path[PATH_MAX];
static char link_path[PATH_MAX], good[PATH_MAX], good_image[PATH_MAX];
static char plain[PATH_MAX], missing[PATH_MAX], mnt[PATH_MAX];
static char probe[PATH_MAX], helper[PATH_MAX];

/* ---- descriptors the store opens ---- */

/* The test is linked with -Wl,--wrap=open,--wrap=openat: while a call
 * of the store runs, each descriptor it gets must already be
 * close-on-exec (a daemon that execs in another thread must not leak
 * it).  Counted per process, children included.  --wrap=write,close
 * let a case make the temporary file's writes short and interrupted,
 * or its close() fail as it can on a network file system. */
static bool watching;
static long store_fds, leaky_fds;
static int temp_fd = -1;     /* the file the store creates and writes */
static bool choppy_writes;   /* its writes: EINTR, then <= 1000 bytes */
static long temp_writes;     /* write() calls on it */
static bool fail_temp_close; /* its close() says EIO */

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_openat(int dir, const char *path, int flags, ...);
int __wrap_openat(int dir, const char *path, int flags, ...);
ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);
int __real_close(int fd);
int __wrap_close(int fd);

/* Counts a descriptor the store just got (opened with open_flags). */
static int watch_fd(int fd, int open_flags)
{
    int flags;

    if (fd < 0 || !watching)
        return fd;
    store_fds++;
    if (open_flags & O_CREAT)
        temp_fd = fd;
    flags = fcntl(fd, F_GETFD);
    if (flags < 0 || !(flags & FD_CLOEXEC))
        leaky_fds++;
    return fd;
}

/* The mode argument, present with O_CREAT or O_TMPFILE. */
static mode_t mode_arg(int flags, va_list ap)
{
    if (flags & (O_CREAT | O_TMPFILE))
        return (mode_t)va_arg(ap, int);
    return 0;
}

int __wrap_open(const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_arg(flags, ap);
    va_end(ap);
    return watch_fd(__real_open(path, flags, mode), flags);
}

int __wrap_openat(int dir, const char *path, int flags, ...)
{
    va_list ap;
    mode_t mode;

    va_start(ap, flags);
    mode = mode_arg(flags, ap);
    va_end(ap);
    return watch_fd(__real_openat(dir, path, flags, mode), flags);
}

ssize_t __wrap_write(int fd, const void *buf, size_t n)
{
    if (watching && fd == temp_fd) {
        temp_writes++;
        if (choppy_writes && temp_writes % 2 == 1) {
            errno = EINTR;
            return -1;
        }
        if (choppy_writes && n > 1000)
            n = 1000;
    }
    return __real_write(fd, buf, n);
}

int __wrap_close(int fd)
{
    int rc = __real_close(fd);

    if (watching && fd == temp_fd) {
        temp_fd = -1;
        if (fail_temp_close) {
            errno = EIO;
            return -1;
        }
    }
    return rc;
}

/* ---- the file system ---- */

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes path and everything under it; nothing there is fine. */
static void remove_tree(const char *path)
{
    struct stat st;

    if (lstat(path, &st) != 0)
        return;
    CHECK(nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0);
}

/* Descriptors open in this process. */
static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    CHECK(d != NULL);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.')
            n++;
    }
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

/* Mappings of files under the test directory, in this process. */
static int mappings_under_root(void)
{
    FILE *fp = fopen("/proc/self/maps", "re");
    char *line = NULL;
    size_t cap = 0;
    int n = 0;

    CHECK(fp != NULL);
    while (getline(&line, &cap, fp) >= 0) {
        if (strstr(line, root) != NULL)
            n++;
    }
    free(line);
    fclose(fp);
    return n;
}

/* The contents' hash of a small regular file. */
static uint64_t file_hash(const char *path, size_t size)
{
    unsigned char *buf = malloc(size + 1);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    ssize_t n;
    uint64_t h;

    CHECK(buf != NULL && fd >= 0);
    n = read(fd, buf, size + 1);
    CHECK_INT(n, size);
    close(fd);
    h = tl_fnv(buf, size);
    free(buf);
    return h;
}

static void describe(struct strbuf *out, const char *label,
                     const struct stat *st)
{
    sb_printf(out,
              "%s: mode %o uid %u gid %u ino %ju size %jd mtime %jd.%09ld "
              "ctime %jd.%09ld",
              label, (unsigned)st->st_mode, (unsigned)st->st_uid,
              (unsigned)st->st_gid, (uintmax_t)st->st_ino,
              (intmax_t)st->st_size, (intmax_t)st->st_mtim.tv_sec,
              st->st_mtim.tv_nsec, (intmax_t)st->st_ctim.tv_sec,
              st->st_ctim.tv_nsec);
}

/*
 * Everything about dir and its entries that a writer could change:
 * inodes, modes, owners, sizes, times (the directory's own times tell a
 * temporary file created and removed again) and small files' contents.
 */
static void snapshot(const char *dir, struct strbuf *out)
{
    struct dirent **names;
    struct stat st;
    char path[PATH_MAX];
    int n, i;

    sb_reset(out);
    if (lstat(dir, &st) != 0) {
        sb_printf(out, "%s: %s\n", dir, strerror(errno));
        return;
    }
    describe(out, dir, &st);
    sb_putc(out, '\n');
    if (!S_ISDIR(st.st_mode))
        return;
    n = scandir(dir, &names, NULL, alphasort);
    CHECK(n >= 0);
    for (i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 &&
            strcmp(names[i]->d_name, "..") != 0) {
            tl_join(path, dir, names[i]->d_name);
            CHECK(lstat(path, &st) == 0);
            describe(out, names[i]->d_name, &st);
            if (S_ISREG(st.st_mode) && st.st_size <= (1 << 20))
                sb_printf(out, " fnv %016" PRIx64,
                          file_hash(path, (size_t)st.st_size));
            sb_putc(out, '\n');
        }
        free(names[i]);
    }
    free(names);
    CHECK(!sb_failed(out));
}

/* ---- images and calls of the store ---- */

/* size bytes in a pattern that differs for every seed. */
static unsigned char *make_image(size_t size, unsigned seed)
{
    unsigned char *p = malloc(size);
    size_t i;

    CHECK(p != NULL);
    for (i = 0; i < size; i++)
        p[i] = (unsigned char)((i * 131u + (i >> 11) * 7u + seed * 29u) ^
                               (seed << 5));
    return p;
}

/* The errno a caller has before the next call: a value no system call
 * sets, then 0, then EAGAIN (which a non-blocking open leaves). */
static int next_errno(void)
{
    static const int values[] = {4242, 0, EAGAIN};
    static unsigned calls;

    return values[calls++ % 3];
}

/* store_load(), checking errno, descriptors and mappings: one more
 * after a load, none more and *m empty after a refusal. */
static bool load(const char *dir, const char *path, struct store_map *m)
{
    int fds = count_fds(), maps = mappings_under_root();
    int before = next_errno();
    bool ok;

    m->base = (void *)m; /* not NULL: the call must empty it */
    m->size = 1;
    watching = true;
    errno = before;
    ok = store_load(dir, path, m);
    CHECK_INT(errno, before);
    watching = false;
    CHECK_INT(leaky_fds, 0);
    CHECK_INT(count_fds(), fds);
    if (!ok) {
        CHECK(m->base == NULL);
        CHECK_INT(m->size, 0);
        CHECK_INT(mappings_under_root(), maps);
    } else {
        CHECK(m->base != NULL);
        CHECK_INT(mappings_under_root(), maps + 1);
    }
    return ok;
}

/* store_unmap(), checking errno and that the mapping (if any) is gone. */
static void unmap(struct store_map *m)
{
    int maps = mappings_under_root(), before = next_errno();
    bool mapped = m->base != NULL;

    errno = before;
    store_unmap(m);
    CHECK_INT(errno, before);
    CHECK(m->base == NULL);
    CHECK_INT(m->size, 0);
    CHECK_INT(mappings_under_root(), maps - (mapped ? 1 : 0));
}

/* store_save(), checking errno and descriptors. */
static void save(const char *dir, const char *path, const void *image,
                 size_t size)
{
    int fds = count_fds(), before = next_errno();

    watching = true;
    errno = before;
    store_save(dir, path, image, size);
    CHECK_INT(errno, before);
    watching = false;
    CHECK_INT(leaky_fds, 0);
    CHECK_INT(count_fds(), fds);
}

/* store_may_write(), checking errno. */
static bool may_write(void)
{
    int before = next_errno();
    bool ok;

    errno = before;
    ok = store_may_write();
    CHECK_INT(errno, before);
    return ok;
}

/* Asserts that the image of path in dir loads as exactly size bytes of
 * image. */
static void check_loads(const char *dir, const char *path,
                        const unsigned char *image, size_t size, int line)
{
    struct store_map m;

    tl_check(load(dir, path, &m), "loads", __FILE__, line);
    tl_check_long((long)m.size, (long)size, "size", __FILE__, line);
    tl_check(memcmp(m.base, image, size) == 0, "same bytes", __FILE__, line);
    unmap(&m);
}
#define CHECK_LOADS(dir, path, image, size)                                   \
    check_loads((dir), (path), (image), (size), __LINE__)

/* Asserts that nothing loads for path in dir. */
static void check_refused(const char *dir, const char *path, int line)
{
    struct store_map m;

    tl_check(!load(dir, path, &m), "refused", __FILE__, line);
}
#define CHECK_REFUSED(dir, path) check_refused((dir), (path), __LINE__)

/* ---- children ---- */

/* Runs fn(arg) in a child under the watchdog; its exit status, or 128
 * plus the signal that ended it. */
static int in_child(void (*fn)(void *), void *arg)
{
    pid_t pid;
    int status;

    fflush(NULL);
    pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(WATCHDOG);
        fn(arg);
        _exit(0);
    }
    CHECK_INT(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

/* Runs fn(arg) in a child that must pass; skips the case when the child
 * could not make its condition. */
static void expect_child(void (*fn)(void *), void *arg, const char *what)
{
    int rc = in_child(fn, arg);

    if (rc == SKIP_CHILD) {
        print_message("skipped: %s: condition not available here\n", what);
        skip();
    }
    if (rc != 0)
        fail_msg("%s: child ended with status %d", what, rc);
}

/* In a child: a private mount namespace (nothing mounted reaches the
 * machine) with a fresh tmpfs on dir. */
static void private_tmpfs(const char *dir, const char *options)
{
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        fprintf(stderr, "no private mount namespace: %s\n", strerror(errno));
        _exit(SKIP_CHILD);
    }
    CHECK(mount("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) == 0);
}

/* ---- fixture ---- */

static int setup(void **state)
{
    static const char template[] = "/tmp/libwrap-store-XXXXXX";

    (void)state;
    tl_test_pid = getpid();
    leaky_fds = 0;
    choppy_writes = false;
    fail_temp_close = false;
    memcpy(root, template, sizeof(template));
    if (mkdtemp(root) == NULL || chmod(root, 0755) != 0)
        return -1;
    tl_join(store, root, "store");
    tl_join(image_path, store, NAME);
    tl_join(link_path, root, "link");
    tl_join(good, root, "good");
    tl_join(good_image, good, NAME);
    tl_join(plain, root, "plain");
    tl_join(missing, root, "missing");
    tl_join(mnt, root, "mnt");
    tl_join(probe, root, "probe");
    tl_join(helper, root, "helper");
    if (mkdir(store, 0755) != 0 || chmod(store, 0755) != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    umask(022);
    remove_tree(root);
    return 0;
}

/* An empty store at store/, nothing else under root. */
static void fresh_store(void)
{
    remove_tree(store);
    remove_tree(link_path);
    remove_tree(good);
    remove_tree(plain);
    remove_tree(missing);
    CHECK(mkdir(store, 0755) == 0 && chmod(store, 0755) == 0);
}

/* ---- names ---- */

struct name_case {
    const char *path;
    const char *name;
};

/* The scheme: "<base>.<FNV-1a 64 of the path>", the base made safe. */
static void test_names(void **state)
{
    static const struct name_case cases[] = {
        {"/etc/hosts.allow", "hosts.allow.75b8784eb217c67f"},
        {"/etc/hosts.deny", "hosts.deny.cc756141eb42edd8"},
        {"/other/hosts.allow", "hosts.allow.a1a9a6ca97141547"},
        {"hosts.deny", "hosts.deny.acc771b5aca6fa6c"},
        /* A leading '.' is the writers' (temporary files): '_' first. */
        {"/etc/.hidden", "_.hidden.4d45d9b0a96e4c31"},
        {"/x/..", "_...db5605751df553bf"},
        /* No last component. */
        {"/etc/dir/", "_.7c378794c6fdcf1d"},
        {"/", "_.af63a24c860189fe"},
        {"", "_.cbf29ce484222325"},
        /* Blank, control and non-ASCII bytes as '_' (é is two). */
        {"/x/a b\n\001\303\251", "a_b____.bc2889e4f1b153a5"},
    };
    unsigned char *img;
    struct strbuf path = STRBUF_INIT, want = STRBUF_INIT;
    size_t i;

    (void)state;
    /* The test's own FNV-1a against published values. */
    assert_int_equal(tl_fnv("", 0), 0xcbf29ce484222325u);
    assert_int_equal(tl_fnv("a", 1), 0xaf63dc4c8601ec8cu);
    assert_int_equal(tl_fnv("foobar", 6), 0x85944171f73967e8u);
    img = make_image(100, 1);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fresh_store();
        save(store, cases[i].path, img, 100);
        sb_reset(&want);
        sb_printf(&want, "%s\n", cases[i].name);
        CHECK_LISTING(store, sb_str(&want));
        CHECK_LOADS(store, cases[i].path, img, 100);
    }
    /* A long base name keeps its first 64 bytes: the hash alone tells
     * paths apart, and the temporary name must stay under NAME_MAX. */
    sb_puts(&path, "/x/");
    for (i = 0; i < 300; i++)
        sb_putc(&path, 'A');
    sb_reset(&want);
    for (i = 0; i < 64; i++)
        sb_putc(&want, 'A');
    sb_puts(&want, ".52a0053c48b84e63\n");
    fresh_store();
    save(store, sb_str(&path), img, 100);
    CHECK_LISTING(store, sb_str(&want));
    CHECK_LOADS(store, sb_str(&path), img, 100);
    /* A path far longer than PATH_MAX is hashed whole. */
    sb_reset(&path);
    sb_putc(&path, '/');
    for (i = 0; i < 50000; i++)
        sb_puts(&path, "d/");
    sb_puts(&path, "hosts.allow");
    assert_false(sb_failed(&path));
    assert_int_equal(tl_fnv(path.data, path.len), 0x988fd6740324b5eau);
    fresh_store();
    save(store, sb_str(&path), img, 100);
    CHECK_LISTING(store, "hosts.allow.988fd6740324b5ea\n");
    CHECK_LOADS(store, sb_str(&path), img, 100);
    /* And the two sources of one directory do not meet. */
    fresh_store();
    save(store, "/etc/hosts.allow", img, 100);
    save(store, "/etc/hosts.deny", img, 50);
    CHECK_LISTING(store, "hosts.allow.75b8784eb217c67f\n"
                         "hosts.deny.cc756141eb42edd8\n");
    CHECK_LOADS(store, "/etc/hosts.deny", img, 50);
    sb_free(&path);
    sb_free(&want);
    free(img);
}

/* ---- round trip ---- */

/* Save then load gives the same bytes, in a file 0644 root:root of the
 * scheme's name, with nothing else left in the directory; the umask
 * (here everything) does not reach the file. */
static void test_round_trip(void **state)
{
    static const size_t sizes[] = {1, 4095, 4096, 4097, 300001};
    struct stat st;
    size_t i;

    (void)state;
    store_fds = 0;
    umask(0777);
    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *img = make_image(sizes[i], (unsigned)i + 1);

        save(store, SOURCE, img, sizes[i]);
        CHECK_LOADS(store, SOURCE, img, sizes[i]);
        assert_int_equal(lstat(image_path, &st), 0);
        assert_true(S_ISREG(st.st_mode));
        assert_int_equal(st.st_mode & 07777, 0644);
        assert_int_equal(st.st_uid, 0);
        assert_int_equal(st.st_gid, 0);
        assert_int_equal(st.st_nlink, 1);
        assert_int_equal(st.st_size, sizes[i]);
        CHECK_LISTING(store, NAME "\n");
        free(img);
    }
    umask(022);
    /* Two per save (directory, temporary file), two per load: the
     * descriptor check above saw them all. */
    assert_int_equal(store_fds, 4 * (long)(sizeof(sizes) / sizeof(sizes[0])));
}

/* A new image replaces the file: a process that mapped the old one
 * keeps seeing exactly the old bytes (images never change in place). */
static void test_replace_keeps_old_mapping(void **state)
{
    unsigned char *a = make_image(10000, 1), *b = make_image(12000, 2);
    struct store_map old;

    (void)state;
    save(store, SOURCE, a, 10000);
    assert_true(load(store, SOURCE, &old));
    save(store, SOURCE, b, 12000);
    CHECK_LOADS(store, SOURCE, b, 12000);
    assert_int_equal(old.size, 10000);
    assert_memory_equal(old.base, a, 10000);
    unmap(&old);
    CHECK_LISTING(store, NAME "\n");
    free(a);
    free(b);
}

/* Writes that stop short and are interrupted still give the whole
 * image. */
static void test_save_short_writes(void **state)
{
    unsigned char *img = make_image(300001, 3);

    (void)state;
    choppy_writes = true;
    temp_writes = 0;
    save(store, SOURCE, img, 300001);
    choppy_writes = false;
    assert_int_equal(temp_writes, 2 * 301); /* EINTR, 1000 bytes, ... */
    CHECK_LOADS(store, SOURCE, img, 300001);
    CHECK_LISTING(store, NAME "\n");
    free(img);
}

/* A temporary file whose close() reports an error is not put in
 * place: the old image stays, and the temporary file goes. */
static void test_save_close_fails(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);

    (void)state;
    save(store, SOURCE, a, GOOD_SIZE);
    fail_temp_close = true;
    save(store, SOURCE, b, 7000);
    fail_temp_close = false;
    CHECK_LISTING(store, NAME "\n");
    CHECK_LOADS(store, SOURCE, a, GOOD_SIZE);
    free(a);
    free(b);
}

/* ---- poisoned stores ---- */

/* Ways to spoil a good store; "trusted" ones must still load. */
struct poison {
    const char *what;
    void (*spoil)(void);
    const char *dir; /* handed to the store: store, link_path, ... */
    bool trusted;
};

static void dir_uid_1000(void)
{
    CHECK(chown(store, 1000, 0) == 0);
}

static void dir_uid_nobody(void)
{
    CHECK(chown(store, 65534, 65534) == 0);
}

static void dir_gid_1000(void)
{
    CHECK(chown(store, 0, 1000) == 0);
}

static void dir_0775(void)
{
    CHECK(chmod(store, 0775) == 0);
}

static void dir_0757(void)
{
    CHECK(chmod(store, 0757) == 0);
}

static void dir_1777(void)
{
    CHECK(chmod(store, 01777) == 0);
}

static void dir_0700(void)
{
    CHECK(chmod(store, 0700) == 0);
}

static void dir_symlink(void)
{
    CHECK(symlink("store", link_path) == 0);
}

/* root/link -> root: "link/store" has a link before its last component,
 * as /var/run -> /run has; only the last one is the store's to check. */
static char via_parent_link[PATH_MAX];

static void parent_symlink(void)
{
    CHECK(symlink(".", link_path) == 0);
}

static void dir_plain_file(void)
{
    CHECK(rename(image_path, plain) == 0);
}

static void dir_missing(void)
{
}

static void file_symlink(void)
{
    unsigned char *img = make_image(GOOD_SIZE, 1);

    CHECK(mkdir(good, 0755) == 0 && chmod(good, 0755) == 0);
    CHECK(rename(image_path, good_image) == 0);
    CHECK(symlink(good_image, image_path) == 0);
    /* The target itself is a good image. */
    CHECK_LOADS(good, SOURCE, img, GOOD_SIZE);
    free(img);
}

static void file_uid_1000(void)
{
    CHECK(chown(image_path, 1000, 0) == 0);
}

static void file_uid_nobody(void)
{
    CHECK(chown(image_path, 65534, 65534) == 0);
}

static void file_gid_1000(void)
{
    CHECK(chown(image_path, 0, 1000) == 0);
}

static void file_0664(void)
{
    CHECK(chmod(image_path, 0664) == 0);
}

static void file_0646(void)
{
    CHECK(chmod(image_path, 0646) == 0);
}

static void file_0600(void)
{
    CHECK(chmod(image_path, 0600) == 0);
}

static void file_0444(void)
{
    CHECK(chmod(image_path, 0444) == 0);
}

static void file_fifo(void)
{
    CHECK(unlink(image_path) == 0 && mkfifo(image_path, 0644) == 0);
    CHECK(chmod(image_path, 0644) == 0);
}

static void file_directory(void)
{
    CHECK(unlink(image_path) == 0 && mkdir(image_path, 0755) == 0);
}

static void file_char_device(void)
{
    CHECK(unlink(image_path) == 0);
    CHECK(mknod(image_path, S_IFCHR | 0644, makedev(1, 3)) == 0);
}

static void file_socket(void)
{
    CHECK(unlink(image_path) == 0);
    CHECK(mknod(image_path, S_IFSOCK | 0644, 0) == 0);
}

static void file_empty(void)
{
    CHECK(truncate(image_path, 0) == 0);
}

/* Sparse: no disk, and the size check is exact at the limit. */
static void file_too_big(void)
{
    CHECK(truncate(image_path, (off_t)STORE_MAX_SIZE + 1) == 0);
}

static void file_max_size(void)
{
    CHECK(truncate(image_path, (off_t)STORE_MAX_SIZE) == 0);
}

static void file_missing(void)
{
    CHECK(unlink(image_path) == 0);
}

/* The directory cases, which also apply to writers. */
static const struct poison dir_poisons[] = {
    {"directory owned by uid 1000", dir_uid_1000, store, false},
    {"directory owned by nobody", dir_uid_nobody, store, false},
    {"directory group-writable (0775)", dir_0775, store, false},
    {"directory other-writable (0757)", dir_0757, store, false},
    {"directory sticky and world-writable (1777)", dir_1777, store, false},
    {"directory path is a symlink", dir_symlink, link_path, false},
    {"directory path is a regular file", dir_plain_file, plain, false},
    {"directory missing", dir_missing, missing, false},
    {"directory of group 1000, not writable", dir_gid_1000, store, true},
    {"directory 0700", dir_0700, store, true},
    {"a symlink before the last component", parent_symlink, via_parent_link,
     true},
};

static const struct poison file_poisons[] = {
    {"image is a symlink to a good image", file_symlink, store, false},
    {"image owned by uid 1000", file_uid_1000, store, false},
    {"image owned by nobody", file_uid_nobody, store, false},
    {"image group-writable (0664)", file_0664, store, false},
    {"image other-writable (0646)", file_0646, store, false},
    {"image is a FIFO", file_fifo, store, false},
    {"image is a directory", file_directory, store, false},
    {"image is a character device", file_char_device, store, false},
    {"image is a socket", file_socket, store, false},
    {"image is empty", file_empty, store, false},
    {"image one byte over STORE_MAX_SIZE", file_too_big, store, false},
    {"image missing", file_missing, store, false},
    {"image of group 1000, not writable", file_gid_1000, store, true},
    {"image 0600", file_0600, store, true},
    {"image 0444", file_0444, store, true},
    {"image of exactly STORE_MAX_SIZE", file_max_size, store, true},
};

/* A store with one good image, checked, then spoiled. */
static void spoiled_store(const struct poison *p, const unsigned char *img)
{
    fresh_store();
    save(store, SOURCE, img, GOOD_SIZE);
    CHECK_LOADS(store, SOURCE, img, GOOD_SIZE);
    p->spoil();
}

/* In a child (a FIFO must not hang the suite): the load is refused, or
 * for a trusted case gives the image (and zeros after it, for the
 * sparse file at the limit). */
static void load_spoiled(void *arg)
{
    const struct poison *p = arg;
    unsigned char *img = make_image(GOOD_SIZE, 1);
    struct stat st;
    struct store_map m;

    if (!p->trusted) {
        CHECK_REFUSED(p->dir, SOURCE);
        free(img);
        return;
    }
    CHECK(stat(image_path, &st) == 0);
    CHECK(load(p->dir, SOURCE, &m));
    CHECK_INT(m.size, st.st_size);
    CHECK(memcmp(m.base, img, GOOD_SIZE) == 0);
    if (m.size > GOOD_SIZE)
        CHECK_INT(((const unsigned char *)m.base)[m.size - 1], 0);
    unmap(&m);
    free(img);
}

static void run_load_cases(const struct poison *cases, size_t n)
{
    unsigned char *img = make_image(GOOD_SIZE, 1);
    size_t i;

    for (i = 0; i < n; i++) {
        spoiled_store(&cases[i], img);
        expect_child(load_spoiled, (void *)&cases[i], cases[i].what);
    }
    free(img);
}

static void test_load_refuses_bad_directory(void **state)
{
    (void)state;
    tl_join(via_parent_link, link_path, "store");
    run_load_cases(dir_poisons, sizeof(dir_poisons) / sizeof(dir_poisons[0]));
}

static void test_load_refuses_bad_file(void **state)
{
    (void)state;
    run_load_cases(file_poisons,
                   sizeof(file_poisons) / sizeof(file_poisons[0]));
}

/* A root writer replaces a bad entry by a good image with rename(),
 * never writing through it: a symlink's target keeps its bytes; a
 * directory in the way stays, and no temporary file is left. */
static void test_save_replaces_bad_file(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(file_poisons) / sizeof(file_poisons[0]); i++) {
        struct stat st;

        spoiled_store(&file_poisons[i], a);
        save(store, SOURCE, b, 7000);
        CHECK_LISTING(store, NAME "\n");
        assert_int_equal(lstat(image_path, &st), 0);
        if (file_poisons[i].spoil == file_directory) {
            assert_true(S_ISDIR(st.st_mode));
            CHECK_REFUSED(store, SOURCE);
            continue;
        }
        CHECK_LOADS(store, SOURCE, b, 7000);
        if (file_poisons[i].spoil == file_symlink)
            CHECK_LOADS(good, SOURCE, a, GOOD_SIZE);
    }
    free(a);
    free(b);
}

/* ---- writers that must do nothing ---- */

/* Saves b over a store holding a, for each directory case: an untrusted
 * directory is left exactly as it was (and so is everything else under
 * root: nothing is created); a trusted one gets b. */
static void test_save_refuses_bad_directory(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
    struct strbuf top_before = STRBUF_INIT, top_after = STRBUF_INIT;
    size_t i;

    (void)state;
    tl_join(via_parent_link, link_path, "store");
    for (i = 0; i < sizeof(dir_poisons) / sizeof(dir_poisons[0]); i++) {
        const struct poison *p = &dir_poisons[i];

        spoiled_store(p, a);
        snapshot(store, &before);
        snapshot(root, &top_before);
        save(p->dir, SOURCE, b, 7000);
        snapshot(store, &after);
        snapshot(root, &top_after);
        if (p->trusted) {
            CHECK_LOADS(p->dir, SOURCE, b, 7000);
            continue;
        }
        if (strcmp(sb_str(&before), sb_str(&after)) != 0 ||
            strcmp(sb_str(&top_before), sb_str(&top_after)) != 0)
            fail_msg("%s: the store changed:\n%s%s\n--- became\n%s%s", p->what,
                     sb_str(&top_before), sb_str(&before), sb_str(&top_after),
                     sb_str(&after));
    }
    sb_free(&before);
    sb_free(&after);
    sb_free(&top_before);
    sb_free(&top_after);
    free(a);
    free(b);
}

/* Asserts that saving b over the store at dir leaves it as it was. */
static void check_save_changes_nothing(const char *dir, const void *b,
                                       size_t size, int line)
{
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

    snapshot(dir, &before);
    save(dir, SOURCE, b, size);
    snapshot(dir, &after);
    tl_check_str(sb_str(&after), sb_str(&before), __FILE__, line);
    sb_free(&before);
    sb_free(&after);
}
#define CHECK_SAVE_CHANGES_NOTHING(dir, b, size)                              \
    check_save_changes_nothing((dir), (b), (size), __LINE__)

/* The directory is never created, nor its parent. */
static void test_save_missing_directory(void **state)
{
    unsigned char *b = make_image(7000, 2);
    char deeper[PATH_MAX];
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
    struct stat st;

    (void)state;
    tl_join(deeper, missing, "libwrap");
    snapshot(root, &before);
    save(missing, SOURCE, b, 7000);
    save(deeper, SOURCE, b, 7000);
    snapshot(root, &after);
    assert_string_equal(sb_str(&after), sb_str(&before));
    errno = 0;
    assert_int_equal(lstat(missing, &st), -1);
    assert_int_equal(errno, ENOENT);
    sb_free(&before);
    sb_free(&after);
    free(b);
}

/* Empty, oversized or absent images are not written; the oversized one
 * is a PROT_NONE reservation, so even a read of it would show. */
static void test_save_bad_sizes(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1);
    size_t huge = STORE_MAX_SIZE + 1;
    void *none = mmap(NULL, huge, PROT_NONE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    (void)state;
    assert_true(none != MAP_FAILED);
    save(store, SOURCE, a, GOOD_SIZE);
    CHECK_SAVE_CHANGES_NOTHING(store, a, 0);
    CHECK_SAVE_CHANGES_NOTHING(store, NULL, 100);
    CHECK_SAVE_CHANGES_NOTHING(store, none, huge);
    CHECK_LOADS(store, SOURCE, a, GOOD_SIZE);
    munmap(none, huge);
    free(a);
}

/* Euid nobody, but with root's capabilities kept (SECBIT_NO_SETUID_
 * FIXUP), so that the directory's permissions would let it write: only
 * store_may_write() stops it.  It still reads. */
static void as_nobody(void *arg)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);
    char probe_file[PATH_MAX];
    int fd;

    (void)arg;
    CHECK(prctl(PR_SET_SECUREBITS, SECBIT_NO_SETUID_FIXUP) == 0);
    CHECK(seteuid(65534) == 0);
    CHECK_INT(geteuid(), 65534);
    CHECK(!may_write());
    /* The kernel would let this process write a root directory. */
    tl_join(probe_file, probe, "x");
    fd = open(probe_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    CHECK(fd >= 0);
    close(fd);
    CHECK(unlink(probe_file) == 0);
    CHECK_SAVE_CHANGES_NOTHING(store, b, 7000);
    CHECK_LOADS(store, SOURCE, a, GOOD_SIZE);
    free(a);
    free(b);
}

/* The same without the kept capabilities: a plain nobody. */
static void as_plain_nobody(void *arg)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);

    (void)arg;
    CHECK(setgroups(0, NULL) == 0 && setgid(65534) == 0);
    CHECK(setuid(65534) == 0);
    CHECK(!may_write());
    CHECK_SAVE_CHANGES_NOTHING(store, b, 7000);
    CHECK_LOADS(store, SOURCE, a, GOOD_SIZE);
    free(a);
    free(b);
}

/* Euid root, but a file system uid of nobody with the file system
 * capabilities raised again: the temporary file it can create is
 * nobody's, which no reader trusts; the writer must not put it in
 * place of the good image. */
static void fsuid_nobody(void *arg)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);
    char probe_file[PATH_MAX];
    struct stat st;
    int fd;

    (void)arg;
    setfsuid(65534);
    CHECK_INT(setfsuid((uid_t)-1), 65534);
    CHECK(syscall(SYS_capget, &h, d) == 0);
    d[0].effective = d[0].permitted;
    d[1].effective = d[1].permitted;
    CHECK(syscall(SYS_capset, &h, d) == 0);
    CHECK(may_write()); /* euid 0, not set-id */
    /* The control: files made now are nobody's. */
    tl_join(probe_file, probe, "x");
    fd = open(probe_file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    CHECK(fd >= 0 && fstat(fd, &st) == 0);
    CHECK_INT(st.st_uid, 65534);
    close(fd);
    CHECK(unlink(probe_file) == 0);
    save(store, SOURCE, b, 7000);
    CHECK_LISTING(store, NAME "\n");
    CHECK_LOADS(store, SOURCE, a, GOOD_SIZE);
    free(a);
    free(b);
}

static void test_save_not_root(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1);
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

    (void)state;
    assert_true(may_write()); /* root, no AT_SECURE: the control */
    CHECK(mkdir(probe, 0755) == 0 && chmod(probe, 0755) == 0);
    save(store, SOURCE, a, GOOD_SIZE);
    snapshot(store, &before);
    expect_child(as_nobody, NULL, "euid nobody with capabilities");
    expect_child(as_plain_nobody, NULL, "uid nobody");
    snapshot(store, &after);
    assert_string_equal(sb_str(&after), sb_str(&before));
    expect_child(fsuid_nobody, NULL, "fsuid nobody");
    sb_free(&before);
    sb_free(&after);
    free(a);
}

/* A read-only tmpfs: a store with an image, remounted read-only. */
static void read_only(void *arg)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);

    (void)arg;
    private_tmpfs(mnt, "size=1m,mode=0755");
    save(mnt, SOURCE, a, GOOD_SIZE);
    CHECK_LOADS(mnt, SOURCE, a, GOOD_SIZE); /* writable: saved */
    CHECK(mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
                NULL) == 0);
    CHECK_SAVE_CHANGES_NOTHING(mnt, b, 7000);
    CHECK_LOADS(mnt, SOURCE, a, GOOD_SIZE);
    free(a);
    free(b);
}

static void test_save_read_only(void **state)
{
    (void)state;
    CHECK(mkdir(mnt, 0755) == 0);
    expect_child(read_only, NULL, "read-only tmpfs");
}

/* A tmpfs of two pages: an image that does not fit leaves no partial
 * file, no temporary file and no used block behind, and the image that
 * was there stays. */
static void full(void *arg)
{
    unsigned char *small = make_image(1000, 1), *big = make_image(65536, 2);
    struct statvfs empty, one;

    (void)arg;
    private_tmpfs(mnt, "size=8k,mode=0755");
    CHECK(statvfs(mnt, &empty) == 0);
    save(mnt, SOURCE, big, 65536);
    CHECK_LISTING(mnt, "");
    CHECK(statvfs(mnt, &one) == 0);
    CHECK_INT(one.f_bfree, empty.f_bfree);
    save(mnt, SOURCE, small, 1000);
    CHECK_LOADS(mnt, SOURCE, small, 1000);
    CHECK(statvfs(mnt, &one) == 0);
    CHECK(one.f_bfree < empty.f_bfree);
    save(mnt, SOURCE, big, 65536);
    CHECK_LISTING(mnt, NAME "\n");
    CHECK_LOADS(mnt, SOURCE, small, 1000);
    CHECK(statvfs(mnt, &empty) == 0);
    CHECK_INT(empty.f_bfree, one.f_bfree);
    free(small);
    free(big);
}

static void test_save_full(void **state)
{
    (void)state;
    CHECK(mkdir(mnt, 0755) == 0);
    expect_child(full, NULL, "full tmpfs");
}

/* RLIMIT_FSIZE below the image: writing would raise SIGXFSZ and end the
 * caller; the store writes nothing instead.  At the limit it writes. */
static void file_limit(void *arg)
{
    unsigned char *a = make_image(4096, 1), *b = make_image(65536, 2);
    struct rlimit rl = {4096, 4096};

    (void)arg;
    CHECK(setrlimit(RLIMIT_FSIZE, &rl) == 0);
    save(store, SOURCE, a, 4096);
    CHECK_LOADS(store, SOURCE, a, 4096);
    CHECK_SAVE_CHANGES_NOTHING(store, b, 65536);
    CHECK_LOADS(store, SOURCE, a, 4096);
    free(a);
    free(b);
}

static void test_save_file_size_limit(void **state)
{
    (void)state;
    expect_child(file_limit, NULL, "RLIMIT_FSIZE");
}

/* ---- set-id ---- */

/* The copy of this binary, setuid root and run by nobody: root, in a
 * set-id context, reads the store but never writes it. */
static void secure_helper(const char *dir)
{
    unsigned char *a = make_image(GOOD_SIZE, 1), *b = make_image(7000, 2);

    tl_test_pid = 0; /* checks _exit() */
    snprintf(root, sizeof(root), "%s", dir);
    if (geteuid() != 0 || getuid() == 0 || getauxval(AT_SECURE) == 0) {
        fprintf(stderr, "setuid did not take effect (nosuid?)\n");
        _exit(SKIP_CHILD);
    }
    CHECK(!may_write());
    CHECK_SAVE_CHANGES_NOTHING(dir, b, 7000);
    CHECK_LOADS(dir, SOURCE, a, GOOD_SIZE);
    free(a);
    free(b);
    _exit(0); /* no leak check: a set-id process cannot be traced */
}

/* Copies this binary to helper, setuid root. */
static void make_helper(void)
{
    char buf[65536];
    int in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int out = open(helper, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
    ssize_t n;

    assert_true(in >= 0 && out >= 0);
    while ((n = read(in, buf, sizeof(buf))) > 0)
        assert_int_equal(write(out, buf, (size_t)n), n);
    assert_int_equal(n, 0);
    close(in);
    assert_int_equal(close(out), 0);
    assert_int_equal(chown(helper, 0, 0), 0);
    assert_int_equal(chmod(helper, 04755), 0);
}

static void run_helper(void *arg)
{
    (void)arg;
    CHECK(setgroups(0, NULL) == 0 && setgid(65534) == 0);
    CHECK(setuid(65534) == 0);
    execl(helper, helper, "--secure-helper", store, (char *)NULL);
    fprintf(stderr, "exec %s: %s\n", helper, strerror(errno));
    _exit(1);
}

static void test_set_id_never_writes(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1);
    struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;

    (void)state;
    save(store, SOURCE, a, GOOD_SIZE);
    make_helper();
    snapshot(store, &before);
    expect_child(run_helper, NULL, "setuid-root helper run by nobody");
    snapshot(store, &after);
    assert_string_equal(sb_str(&after), sb_str(&before));
    sb_free(&before);
    sb_free(&after);
    free(a);
}

/* ---- racing writers ---- */

enum { WRITERS = 3, SAVES = 400, READERS = 2, LOADS = 600 };

static unsigned char *race_images[WRITERS];
static const char *race_dir;

static size_t race_size(int w)
{
    return 20000 + (size_t)w * 4099;
}

/* Forks a child that waits until every write end of the gate is closed
 * (its own at once, the parent's when all are forked), then runs fn(i). */
static pid_t race_child(const int gate[2], void (*fn)(int), int i)
{
    pid_t pid = fork();
    char c;

    CHECK(pid >= 0);
    if (pid == 0) {
        alarm(WATCHDOG);
        close(gate[1]);
        CHECK_INT(read(gate[0], &c, 1), 0);
        fn(i);
        _exit(0);
    }
    return pid;
}

static void race_writer(int w)
{
    int i;

    for (i = 0; i < SAVES; i++)
        save(race_dir, SOURCE, race_images[w], race_size(w));
}

/* Every load succeeds (an image is always in place) and is exactly one
 * writer's whole image. */
static void race_reader(int r)
{
    struct store_map m;
    int i, w, seen[WRITERS] = {0};

    for (i = 0; i < LOADS; i++) {
        CHECK(load(race_dir, SOURCE, &m));
        for (w = 0; w < WRITERS; w++) {
            if (m.size == race_size(w) &&
                memcmp(m.base, race_images[w], m.size) == 0)
                break;
        }
        CHECK(w < WRITERS);
        seen[w]++;
        unmap(&m);
    }
    fprintf(stderr, "reader %d saw images %d/%d/%d\n", r, seen[0], seen[1],
            seen[2]);
}

static void race(void *arg)
{
    pid_t pids[WRITERS + READERS];
    int gate[2], i, w, status, n = 0;
    struct store_map m;

    (void)arg;
    race_dir = store;
    if (unshare(CLONE_NEWNS) == 0 &&
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
        mount("tmpfs", mnt, "tmpfs", 0, "size=16m,mode=0755") == 0)
        race_dir = mnt; /* as /run is: tmpfs */
    fprintf(stderr, "racing in %s\n", race_dir == mnt ? "a tmpfs" : store);
    for (w = 0; w < WRITERS; w++)
        race_images[w] = make_image(race_size(w), (unsigned)w + 1);
    save(race_dir, SOURCE, race_images[0], race_size(0));
    CHECK(pipe2(gate, O_CLOEXEC) == 0);
    for (w = 0; w < WRITERS; w++)
        pids[n++] = race_child(gate, race_writer, w);
    for (i = 0; i < READERS; i++)
        pids[n++] = race_child(gate, race_reader, i);
    close(gate[1]);
    close(gate[0]);
    for (i = 0; i < n; i++) {
        CHECK_INT(waitpid(pids[i], &status, 0), pids[i]);
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    CHECK_LISTING(race_dir, NAME "\n");
    CHECK(load(race_dir, SOURCE, &m));
    for (w = 0; w < WRITERS; w++) {
        if (m.size == race_size(w) &&
            memcmp(m.base, race_images[w], m.size) == 0)
            break;
    }
    CHECK(w < WRITERS);
    unmap(&m);
}

/* Writers saving different images of one source in a loop while
 * readers load: no reader ever sees anything but a whole image, and
 * no temporary file survives. */
static void test_racing_writers(void **state)
{
    (void)state;
    CHECK(mkdir(mnt, 0755) == 0);
    expect_child(race, NULL, "racing writers");
}

/* ---- errno ---- */

/* Each entry point, succeeding and failing, under each errno value the
 * wrappers use (they check errno after every call in every case). */
static void test_errno_kept(void **state)
{
    unsigned char *a = make_image(GOOD_SIZE, 1);
    struct store_map m = {NULL, 0};
    int i;

    (void)state;
    for (i = 0; i < 3; i++) {
        assert_true(may_write());
        unmap(&m);
        save(store, SOURCE, a, GOOD_SIZE);
        save(missing, SOURCE, a, GOOD_SIZE);
        save(store, SOURCE, a, 0);
        CHECK_LOADS(store, SOURCE, a, GOOD_SIZE);
        CHECK_REFUSED(missing, SOURCE);
        CHECK_REFUSED(store, "/etc/other");
    }
    free(a);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_keeps_old_mapping, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_short_writes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_close_fails, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_refuses_bad_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_load_refuses_bad_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_replaces_bad_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_refuses_bad_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_missing_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_bad_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_not_root, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_read_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_file_size_limit, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_set_id_never_writes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_racing_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errno_kept, setup, teardown),
    };

    if (argc == 3 && strcmp(argv[1], "--secure-helper") == 0)
        secure_helper(argv[2]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
