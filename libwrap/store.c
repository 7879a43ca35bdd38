/*
 * store.c - compiled images shared between processes (see store.h).
 *
 * Exports store_load(), store_load_open(), store_unmap(), store_save() and
 * store_may_write().  An image of the source file at path is kept in the
 * store directory under "<base>.<hash>": <hash> is the FNV-1a 64 hash of
 * the whole path as 16 lowercase hex digits, and <base> is the path's
 * last component made safe (store_name()).  Names that begin with '.'
 * belong to the temporary files of writers and are never images.
 *
 * DIAGNOSTICS: none.  Every failure (an untrusted directory or file, a
 * read-only or full file system, no memory) makes the call a no-op that
 * returns false or nothing, with errno as the caller had it.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"

/* The most bytes of the source's base name kept in an image's name: the
 * hash alone tells paths apart, the base name is only for people, and a
 * bounded name keeps the temporary name (name + 18 bytes) under
 * NAME_MAX whatever the source is called. */
enum { STORE_BASE_MAX = 64 };

/* An image's name at its longest: '_', the base, '.', 16 hex digits. */
enum { STORE_NAME_MAX = 1 + STORE_BASE_MAX + 1 + 16 + 1 };

/* Attempts at a fresh temporary name before a writer gives up. */
enum { STORE_TEMP_TRIES = 8 };

/* FNV-1a, 64 bits: small, fast, and stable across builds and machines,
 * which is all a file name needs (collisions are caught by the caller,
 * who compares the path the image records). */
static uint64_t fnv1a64(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3u;
    }
    return h;
}

/* True for the bytes kept as they are in a name; a fixed ASCII set, not
 * <ctype.h>, so that processes in different locales agree on names. */
static bool name_byte_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
           c == '+' || c == '@' || c == ',';
}

/*
 * The image's file name for path into name: the last component (after
 * the last '/'), its first STORE_BASE_MAX bytes, each byte outside
 * name_byte_ok() as '_'; prefixed with '_' when empty or starting with
 * '.', so that no image name collides with a temporary file (".*") or
 * is "." or ".."; then '.' and the hash.
 */
static void store_name(const char *path, char name[STORE_NAME_MAX])
{
    static const char hex[] = "0123456789abcdef";
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    uint64_t hash = fnv1a64(path);
    size_t i, n = 0;
    int shift;

    /* By hand, not with printf(): the first decision of a process would
     * otherwise fault in printf's code and stack for one name. */
    if (base[0] == '\0' || base[0] == '.')
        name[n++] = '_';
    for (i = 0; i < STORE_BASE_MAX && base[i] != '\0'; i++) {
        unsigned char c = (unsigned char)base[i];

        name[n++] = name_byte_ok(c) ? (char)c : '_';
    }
    name[n++] = '.';
    for (shift = 60; shift >= 0; shift -= 4)
        name[n++] = hex[(hash >> shift) & 0xf];
    name[n] = '\0';
}

/* True when st describes something no one but root can change: owned by
 * root and not writable by group or others (an ACL that grants write
 * shows in the group bits, which hold its mask). */
static bool root_only(const struct stat *st)
{
    return st->st_uid == 0 && (st->st_mode & 022) == 0;
}

/* Opens the store directory, without following a symbolic link, when it
 * can be trusted; -1 otherwise (errno set). */
static int open_store_dir(const char *dir)
{
    struct stat st;
    int fd, saved;

    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &st) != 0)
        goto fail;
    if (!S_ISDIR(st.st_mode) || !root_only(&st)) {
        errno = EPERM;
        goto fail;
    }
    return fd;
fail:
    saved = errno;
    close(fd);
    errno = saved;
    return -1;
}

/*
 * Opening does not follow a link and does not wait (O_NONBLOCK: a FIFO
 * or a leased file must not hang a process that is deciding); only
 * then is the file checked, on the descriptor, so nothing can be
 * swapped in between the check and the mapping.  Only the last
 * component of dir is checked: the ones before it are root's (/run, or
 * /var/run -> /run).
 *
 * Known gap: the mapping is shared with the file, so root truncating
 * an image in place (not through store_save()) would make a reader
 * that touches the lost pages die of SIGBUS.  Only root can, and the
 * store's own writers never change an image in place.
 */
bool store_load(const char *dir, const char *path, struct store_map *out)
{
    return store_load_open(dir, path, out, NULL);
}

bool store_load_open(const char *dir, const char *path, struct store_map *out,
                     int *keep_fd)
{
    char name[STORE_NAME_MAX];
    struct stat st;
    int saved = errno, dfd = -1, fd = -1;
    void *base;
    bool ok = false;

    out->base = NULL;
    out->size = 0;
    if (keep_fd != NULL)
        *keep_fd = -1;
    if (dir == NULL || path == NULL)
        goto done;
    store_name(path, name);
    dfd = open_store_dir(dir);
    if (dfd < 0)
        goto done;
    fd = openat(dfd, name,
                O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0 || fstat(fd, &st) != 0)
        goto done;
    if (!S_ISREG(st.st_mode) || !root_only(&st) || st.st_size <= 0 ||
        (uintmax_t)st.st_size > STORE_MAX_SIZE)
        goto done;
    base = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (base == MAP_FAILED)
        goto done;
    out->base = base;
    out->size = (size_t)st.st_size;
    ok = true;
    if (keep_fd != NULL) {
        *keep_fd = fd;
        fd = -1;
    }
done:
    if (fd >= 0)
        close(fd);
    if (dfd >= 0)
        close(dfd);
    errno = saved;
    return ok;
}

/* Unmaps the image; a map that store_load() left empty is a no-op. */
void store_unmap(struct store_map *m)
{
    int saved = errno;

    if (m->base != NULL)
        munmap(m->base, m->size);
    m->base = NULL;
    m->size = 0;
    errno = saved;
}

/* Effective root outside a set-id context: a set-id program runs for a
 * user who chose its environment, and must not leave files that root
 * processes trust. */
bool store_may_write(void)
{
    int saved = errno;
    bool ok = geteuid() == 0 && getauxval(AT_SECURE) == 0;

    errno = saved;
    return ok;
}

/* 64 bits for a temporary name: from the kernel when it has them at
 * once, else from the clock and the process (O_EXCL still refuses a
 * name that happens to exist, and the caller tries another). */
static uint64_t temp_suffix(void)
{
    static unsigned long calls;
    struct timespec ts = {0, 0};
    uint64_t r;

    if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
        return r;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    r = (uint64_t)ts.tv_sec * 1000000007u + (uint64_t)ts.tv_nsec;
    r ^= (uint64_t)getpid() << 32;
    r ^= (uint64_t)__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) << 48;
    return r;
}

/* Creates ".<name>.<random>" in dfd, never following or reusing an
 * existing entry; its name into tmp.  -1 on failure, with tmp empty: a
 * name this call did not create (another writer's) is never removed. */
static int create_temp(int dfd, const char *name, struct strbuf *tmp)
{
    int fd, i;

    for (i = 0; i < STORE_TEMP_TRIES; i++) {
        sb_reset(tmp);
        if (!sb_printf(tmp, ".%s.%016" PRIx64, name, temp_suffix()))
            return -1;
        fd =
            openat(dfd, tmp->data,
                   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd >= 0)
            return fd;
        if (errno != EEXIST)
            break;
    }
    sb_reset(tmp);
    return -1;
}

/* Writes all size bytes, through short writes and interruptions. */
static bool write_all(int fd, const unsigned char *p, size_t size)
{
    ssize_t n;

    while (size > 0) {
        n = write(fd, p, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= (size_t)n;
    }
    return true;
}

/* True when writing size bytes from offset 0 stays within the file size
 * limit: past it the kernel sends SIGXFSZ, which would end the caller. */
static bool fits_file_limit(size_t size)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_FSIZE, &rl) != 0)
        return false;
    return rl.rlim_cur == RLIM_INFINITY || (uintmax_t)size <= rl.rlim_cur;
}

/*
 * Readers see either the old image or the whole new one: the new one
 * is complete in a temporary file before rename() puts it in place.
 * No fsync(): the store is on tmpfs, and only visibility must be
 * atomic, not durability.
 */
void store_save(const char *dir, const char *path, const void *image,
                size_t size)
{
    struct strbuf tmp = STRBUF_INIT;
    char name[STORE_NAME_MAX];
    struct stat st;
    int saved = errno, dfd = -1, fd = -1;
    bool placed = false;

    if (dir == NULL || path == NULL || image == NULL || size == 0 ||
        size > STORE_MAX_SIZE || !store_may_write() || !fits_file_limit(size))
        goto done;
    store_name(path, name);
    dfd = open_store_dir(dir);
    if (dfd < 0)
        goto done;
    fd = create_temp(dfd, name, &tmp);
    if (fd < 0)
        goto done;
    /* The umask may have taken bits away; and a file system uid other
     * than root (setfsuid) would make a file no reader trusts. */
    if (fchmod(fd, 0644) != 0 || fstat(fd, &st) != 0 || st.st_uid != 0 ||
        !write_all(fd, image, size))
        goto done;
    /* close() reports what delayed writes could not store; the
     * descriptor is gone whatever it returns. */
    if (close(fd) != 0) {
        fd = -1;
        goto done;
    }
    fd = -1;
    placed = renameat(dfd, tmp.data, dfd, name) == 0;
done:
    if (fd >= 0)
        close(fd);
    if (!placed && tmp.len > 0 && dfd >= 0)
        unlinkat(dfd, tmp.data, 0);
    if (dfd >= 0)
        close(dfd);
    sb_free(&tmp);
    errno = saved;
}
