/*
 * cache.c - rule files kept in memory, revalidated with stat().
 *
 * Exports the cache_* functions of cache.h.  A small list of entries, one
 * per path, each pointing at the newest version read; a mutex guards the
 * list and reference counts keep versions alive while they are in use.
 * Any failure to re-read simply means the file is read again next time;
 * nothing here logs.
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index.h"

struct cache_entry {
    struct cache_entry *next;
    char *path;
    struct table_version *current; /* NULL: only streamed so far */
    struct stat streamed;          /* the file a streamed scan read */
    bool streamed_newline;         /* that scan gave the D2 warning */
};

/* Files remembered at once: the two tables and their /file lists, with
 * room to spare; the oldest entries go first. */
enum { CACHE_MAX_FILES = 64 };

static struct cache_entry *entries; /* newest first */
static size_t count;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

long cache_time_granularity_ns = 1;

/* Equal times, at the granularity the file system is taken to have. */
static bool same_time(const struct timespec *a, const struct timespec *b)
{
    long g = cache_time_granularity_ns;

    return a->tv_sec == b->tv_sec && a->tv_nsec / g == b->tv_nsec / g;
}

/* True when stat() says the file is the one that was read. */
static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mode == b->st_mode &&
           same_time(&a->st_mtim, &b->st_mtim) &&
           same_time(&a->st_ctim, &b->st_ctim);
}

/* True when a change made now could leave the file's times unchanged:
 * its last change is less than CACHE_RACY_SECONDS before now. */
static bool is_racy(const struct stat *st)
{
    struct timespec now;
    const struct timespec *newest =
        st->st_ctim.tv_sec > st->st_mtim.tv_sec ? &st->st_ctim : &st->st_mtim;

    if (clock_gettime(CLOCK_REALTIME, &now) != 0)
        return true;
    return now.tv_sec - newest->tv_sec <= CACHE_RACY_SECONDS;
}

static void version_free(struct table_version *v)
{
    index_free(v->index);
    table_text_free(&v->text);
    pthread_mutex_destroy(&v->build_lock);
    free(v->path);
    free(v);
}

void cache_put(struct table_version *v)
{
    if (v != NULL && __atomic_sub_fetch(&v->refs, 1, __ATOMIC_ACQ_REL) == 0)
        version_free(v);
}

/* Reads a new version of path. */
static struct table_version *version_read(const char *path,
                                          enum table_status *status)
{
    struct table_version *v = calloc(1, sizeof(*v));

    if (v == NULL || (v->path = strdup(path)) == NULL) {
        free(v);
        *status = TABLE_ERROR;
        errno = ENOMEM;
        return NULL;
    }
    *status = table_read(path, &v->text);
    if (*status != TABLE_OK) {
        int saved = errno;
        free(v->path);
        free(v);
        errno = saved;
        return NULL;
    }
    v->refs = 1;
    v->racy = is_racy(&v->text.st);
    pthread_mutex_init(&v->build_lock, NULL);
    return v;
}

/* True when a racy version still has the file's contents; clears the
 * flag once the file is old enough for stat() to be trusted. */
static bool still_current(struct table_version *v)
{
    struct table_text now;
    enum table_status status;
    bool same;

    status = table_read(v->path, &now);
    if (status != TABLE_OK)
        return false;
    same = same_file(&now.st, &v->text.st) && now.size == v->text.size &&
           memcmp(now.data, v->text.data, now.size) == 0;
    if (same && !is_racy(&now.st))
        __atomic_store_n(&v->racy, false, __ATOMIC_RELEASE);
    table_text_free(&now);
    return same;
}

/* The entry for path, or NULL; called with the lock held. */
static struct cache_entry *find_entry(const char *path)
{
    struct cache_entry *e;

    for (e = entries; e != NULL; e = e->next) {
        if (strcmp(e->path, path) == 0)
            return e;
    }
    return NULL;
}

static void entry_free(struct cache_entry *e)
{
    cache_put(e->current);
    free(e->path);
    free(e);
    count--;
}

/* Drops the entry of a file that can no longer be read. */
static void forget(const char *path)
{
    struct cache_entry **pe, *e;

    pthread_mutex_lock(&cache_lock);
    for (pe = &entries; (e = *pe) != NULL; pe = &e->next) {
        if (strcmp(e->path, path) == 0) {
            *pe = e->next;
            entry_free(e);
            break;
        }
    }
    pthread_mutex_unlock(&cache_lock);
}

/* Keeps the CACHE_MAX_FILES most recently added entries; called with
 * the lock held. */
static void trim(void)
{
    struct cache_entry *e = entries, *rest;
    size_t n;

    for (n = 1; e != NULL && n < CACHE_MAX_FILES; n++)
        e = e->next;
    if (e == NULL)
        return;
    rest = e->next;
    e->next = NULL;
    while (rest != NULL) {
        e = rest;
        rest = rest->next;
        entry_free(e);
    }
}

/* The entry for path, created if need be (NULL when memory is short);
 * called with the lock held. */
static struct cache_entry *make_entry(const char *path)
{
    struct cache_entry *e = find_entry(path);

    if (e != NULL)
        return e;
    e = calloc(1, sizeof(*e));
    if (e == NULL || (e->path = strdup(path)) == NULL) {
        free(e);
        return NULL;
    }
    e->next = entries;
    entries = e;
    count++;
    if (count > CACHE_MAX_FILES)
        trim();
    return e;
}

/* True when this process may read the version's file now, as far as
 * its credentials go (the caller's stat() showed the path can be
 * searched); errno says why not. */
static bool may_read_now(const struct table_version *v)
{
    return v->text.any_reader ||
           faccessat(AT_FDCWD, v->path, R_OK, AT_EACCESS) == 0;
}

/* Makes fresh the current version of path and returns a reference. */
static struct table_version *publish(const char *path,
                                     struct table_version *fresh)
{
    struct cache_entry *e;

    pthread_mutex_lock(&cache_lock);
    e = make_entry(path);
    if (e != NULL) {
        /* A streamed scan of this very file already gave the warning. */
        if (e->current == NULL && e->streamed_newline &&
            same_file(&e->streamed, &fresh->text.st))
            fresh->newline_reported = true;
        cache_put(e->current);
        e->current = fresh;
        __atomic_add_fetch(&fresh->refs, 1, __ATOMIC_ACQ_REL);
    }
    pthread_mutex_unlock(&cache_lock);
    return fresh;
}

struct table_version *cache_get(const char *path, enum table_status *status,
                                bool *stream)
{
    struct stat st;
    struct cache_entry *e;
    struct table_version *v = NULL, *fresh;
    bool known, streamed = false;

    pthread_mutex_lock(&cache_lock);
    e = find_entry(path);
    known = e != NULL;
    streamed = known && e->current == NULL;
    pthread_mutex_unlock(&cache_lock);

    /* A file never seen: the caller may scan it as it reads it (one
     * decision only costs no more than Debian's), and only a later
     * decision keeps it in memory. */
    if (stream != NULL)
        *stream = !known;
    if (!known && stream != NULL) {
        *status = TABLE_OK;
        return NULL;
    }
    /* A file seen before is checked with stat(); a new one is simply
     * read (the read's fstat() gives its identity). */
    if (known && !streamed) {
        if (stat(path, &st) != 0) {
            int saved = errno;
            *status = table_open_status(errno);
            if (*status == TABLE_MISSING)
                forget(path);
            errno = saved;
            return NULL;
        }
        pthread_mutex_lock(&cache_lock);
        e = find_entry(path);
        if (e != NULL && e->current != NULL &&
            same_file(&st, &e->current->text.st)) {
            v = e->current;
            __atomic_add_fetch(&v->refs, 1, __ATOMIC_ACQ_REL);
        }
        pthread_mutex_unlock(&cache_lock);
        if (v != NULL && !may_read_now(v)) {
            /* What open() would say: Debian's "cannot open". */
            int saved = errno;
            cache_put(v);
            *status = table_open_status(saved);
            errno = saved;
            return NULL;
        }
        if (v != NULL && (!__atomic_load_n(&v->racy, __ATOMIC_ACQUIRE) ||
                          still_current(v))) {
            *status = TABLE_OK;
            return v;
        }
        cache_put(v);
    }
    fresh = version_read(path, status);
    if (fresh == NULL && *status == TABLE_ERROR && errno == ENOMEM &&
        stream != NULL) {
        /* No memory for the whole file: the caller reads it piece by
         * piece, as a file never seen, and decides exactly. */
        *stream = true;
        *status = TABLE_OK;
        return NULL;
    }
    if (fresh == NULL) {
        /* A file that is gone is forgotten; one that could not be read
         * this time keeps its entry, so that the next decision reads it
         * whole again instead of streaming it as a file never seen. */
        if (known && *status == TABLE_MISSING) {
            int saved = errno;
            forget(path);
            errno = saved;
        }
        return NULL;
    }
    return publish(path, fresh);
}

void cache_streamed(const char *path, const struct stat *st,
                    bool newline_reported)
{
    struct cache_entry *e;

    pthread_mutex_lock(&cache_lock);
    e = make_entry(path);
    if (e != NULL && e->current == NULL) {
        e->streamed = *st;
        e->streamed_newline = newline_reported;
    }
    pthread_mutex_unlock(&cache_lock);
}

void cache_flush(void)
{
    struct cache_entry *e, *next;

    pthread_mutex_lock(&cache_lock);
    for (e = entries; e != NULL; e = next) {
        next = e->next;
        entry_free(e);
    }
    entries = NULL;
    count = 0;
    pthread_mutex_unlock(&cache_lock);
}
