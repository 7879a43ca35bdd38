/*
 * cache.c - rulesets kept in memory, revalidated with stat().
 *
 * Exports the cache_* functions of cache.h.  One entry per path, each
 * pointing at the newest ruleset, found by a hash of the path and aged
 * out oldest first; and the listings of drop-in directories.  A mutex
 * guards them and reference counts keep rulesets and listings alive
 * while they are in use.  Any
 * failure to read or compile simply means the file is read again next
 * time; nothing here logs.
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dropin.h"
#include "store.h"

struct cache_entry {
    struct cache_entry *newer, *older; /* the age list */
    struct cache_entry *chain;         /* the next in the same bucket */
    char *path;
    struct ruleset *current; /* NULL: only streamed so far */
    struct stat streamed;    /* the file the last streamed scan read */
    bool streamed_newline;   /* that scan gave the D2 warning */
};

/* Files remembered at once: the two tables, their /file lists and the
 * fragments of their drop-in directories, with room to spare; the oldest
 * entries go first. */
enum { CACHE_MAX_FILES = 32768 };

/* The entries, by age and by a hash of the path (a table of buckets
 * that doubles as it fills). */
static struct cache_entry *newest, *oldest;
static struct cache_entry **buckets;
static size_t nbuckets; /* a power of two, or 0 */
static size_t count;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The time now; a failing clock makes every file racy. */
static void now_is(struct timespec *now)
{
    if (clock_gettime(CLOCK_REALTIME, now) != 0) {
        now->tv_sec = (time_t)1 << (sizeof(time_t) * 8 - 2);
        now->tv_nsec = 0;
    }
}

/* True when a and b describe the same version of a file. */
static bool same_stat(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_mode == b->st_mode && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* A hash of a path, eight bytes at a time (a warm decision hashes each
 * table's path once). */
static size_t path_hash(const char *path)
{
    size_t n = strlen(path);
    uint64_t h = 14695981039346656037u ^ n, w;

    for (; n >= 8; n -= 8, path += 8) {
        memcpy(&w, path, 8);
        h = (h ^ w) * 1099511628211u;
        h ^= h >> 29;
    }
    if (n > 0) {
        w = 0;
        memcpy(&w, path, n);
        h = (h ^ w) * 1099511628211u;
        h ^= h >> 29;
    }
    return (size_t)h;
}

/* The entry for path, or NULL; called with the lock held. */
static struct cache_entry *find_entry(const char *path)
{
    struct cache_entry *e;

    if (nbuckets == 0)
        return NULL;
    for (e = buckets[path_hash(path) & (nbuckets - 1)]; e != NULL;
         e = e->chain) {
        if (strcmp(e->path, path) == 0)
            return e;
    }
    return NULL;
}

/* Takes e out of its bucket and the age list, and frees it; called with
 * the lock held. */
static void entry_free(struct cache_entry *e)
{
    struct cache_entry **pe = &buckets[path_hash(e->path) & (nbuckets - 1)];

    while (*pe != e)
        pe = &(*pe)->chain;
    *pe = e->chain;
    if (e->newer != NULL)
        e->newer->older = e->older;
    else
        newest = e->older;
    if (e->older != NULL)
        e->older->newer = e->newer;
    else
        oldest = e->newer;
    ruleset_put(e->current);
    free(e->path);
    free(e);
    count--;
}

void cache_forget(const char *path)
{
    struct cache_entry *e;

    pthread_mutex_lock(&cache_lock);
    if ((e = find_entry(path)) != NULL)
        entry_free(e);
    pthread_mutex_unlock(&cache_lock);
}

/* Doubles the bucket table (keeping the old one if memory is short);
 * called with the lock held. */
static void rehash(void)
{
    size_t n = nbuckets == 0 ? 16 : nbuckets * 2, i;
    struct cache_entry **fresh = calloc(n, sizeof(*fresh)), *e, *next;

    if (fresh == NULL)
        return;
    for (i = 0; i < nbuckets; i++) {
        for (e = buckets[i]; e != NULL; e = next) {
            size_t b = path_hash(e->path) & (n - 1);

            next = e->chain;
            e->chain = fresh[b];
            fresh[b] = e;
        }
    }
    free(buckets);
    buckets = fresh;
    nbuckets = n;
}

/* The entry for path, created if need be (NULL when memory is short);
 * called with the lock held. */
static struct cache_entry *make_entry(const char *path)
{
    struct cache_entry *e = find_entry(path);
    size_t b;

    if (e != NULL)
        return e;
    if (count >= nbuckets * 2)
        rehash();
    if (nbuckets == 0)
        return NULL;
    e = calloc(1, sizeof(*e));
    if (e == NULL || (e->path = strdup(path)) == NULL) {
        free(e);
        return NULL;
    }
    b = path_hash(path) & (nbuckets - 1);
    e->chain = buckets[b];
    buckets[b] = e;
    e->older = newest;
    if (newest != NULL)
        newest->newer = e;
    else
        oldest = e;
    newest = e;
    count++;
    while (count > CACHE_MAX_FILES)
        entry_free(oldest);
    return e;
}

/* True when this process may read the ruleset's file now, as far as its
 * credentials go (the caller's stat() showed the path can be searched);
 * errno says why not. */
static bool may_read_now(const struct ruleset *rs, const char *path)
{
    return ruleset_any_reader(rs) ||
           faccessat(AT_FDCWD, path, R_OK, AT_EACCESS) == 0;
}

/* Makes fresh the current ruleset of path; returns a reference to it. */
static struct ruleset *publish(const char *path, struct ruleset *fresh,
                               long granularity)
{
    struct cache_entry *e;

    pthread_mutex_lock(&cache_lock);
    e = make_entry(path);
    if (e != NULL) {
        /* A streamed scan of this very file already gave the warning. */
        if (e->streamed_newline &&
            ruleset_same_file(fresh, &e->streamed, granularity))
            fresh->newline_reported = true;
        ruleset_put(e->current);
        e->current = fresh;
        ruleset_get(fresh);
    }
    pthread_mutex_unlock(&cache_lock);
    return fresh;
}

/* The store's image of path, if it is the file st describes (as it is
 * now) and this process could read that file; else NULL.  A ruleset
 * returned leaves rd reading it (image.h). */
static struct ruleset *from_store(const char *path, const struct stat *st,
                                  enum image_kind kind,
                                  const struct access_config *cfg,
                                  struct image_reader *rd)
{
    struct store_map m;
    struct ruleset *rs;
    int saved = errno, fd;

    if (cfg->store_dir == NULL ||
        !store_load_open(cfg->store_dir, path, &m, &fd))
        return NULL;
    image_reader_init(rd, fd);
    rs = ruleset_from_store(path, m.base, m.size, kind, rd);
    if (rs == NULL) {
        image_reader_end(rd);
        store_unmap(&m);
        return NULL;
    }
    if (!ruleset_same_file(rs, st, cfg->time_granularity_ns) ||
        !may_read_now(rs, path)) {
        /* The text decides; it gives the exact error, if any. */
        image_reader_end(rd);
        ruleset_put(rs);
        errno = saved;
        return NULL;
    }
    errno = saved;
    return rs;
}

/* from_store() for a caller that reads the image through its mapping.
 * Not inlined: its reader (some kilobytes) stays off the stack of the
 * callers that bring their own, where it would cost a cold process a
 * page fault. */
__attribute__((noinline)) static struct ruleset *
from_store_mapped(const char *path, const struct stat *st,
                  enum image_kind kind, const struct access_config *cfg)
{
    struct image_reader own;
    struct ruleset *rs = from_store(path, st, kind, cfg, &own);

    if (rs != NULL)
        image_reader_end(&own);
    return rs;
}

/* True when this process would leave compiled images in the store: it
 * may write, and the directory is there (store.h checks it in full). */
static bool may_save(const struct access_config *cfg, off_t size)
{
    struct stat st;
    int saved = errno;
    bool ok = cfg->store_dir != NULL && size >= cfg->store_min_size &&
              store_may_write() && lstat(cfg->store_dir, &st) == 0 &&
              S_ISDIR(st.st_mode) && st.st_uid == 0 && (st.st_mode & 022) == 0;

    errno = saved;
    return ok;
}

/* Compiles text (read at now) as the new ruleset of path, and leaves its
 * image in the store when this process may; NULL when memory runs out. */
static struct ruleset *compile(const char *path, struct table_text *text,
                               enum image_kind kind,
                               const struct access_config *cfg,
                               const struct timespec *now)
{
    bool racy = table_is_racy(&text->st, now);
    struct ruleset *rs = ruleset_compile(path, text, kind, now, racy);

    if (rs == NULL)
        return NULL;
    if (!racy && may_save(cfg, text->st.st_size))
        store_save(cfg->store_dir, path, rs->im.base, rs->im.size);
    return publish(path, rs, cfg->time_granularity_ns);
}

/* A table that is not racy, compiled as it is read, so that its text is
 * never held whole (a process's memory at its peak is the image, not the
 * image and the text); NULL when that cannot be done (the caller then
 * reads it whole, which also reports any error). */
static struct ruleset *compile_streamed(const char *path,
                                        const struct access_config *cfg,
                                        const struct timespec *now)
{
    struct table_stream ts;
    struct ruleset *rs = NULL;
    int saved = errno, error;

    if (table_stream_open(path, &ts, true) != TABLE_OK) {
        errno = saved;
        return NULL;
    }
    if (S_ISREG(ts.st.st_mode) && !table_is_racy(&ts.st, now))
        rs = ruleset_compile_stream(path, &ts, now, ts.any_reader, &error);
    table_stream_close(&ts);
    errno = saved;
    if (rs == NULL)
        return NULL;
    if (may_save(cfg, rs->h->source.size))
        store_save(cfg->store_dir, path, rs->im.base, rs->im.size);
    return publish(path, rs, cfg->time_granularity_ns);
}

/* For a racy ruleset: the file's contents now, compared with its text.
 * Returns the ruleset to use (v itself, or one compiled afresh from what
 * was read), or NULL with *status when the file cannot be read. */
static struct ruleset *recheck(const char *path, struct ruleset *v,
                               const struct access_config *cfg,
                               enum table_status *status)
{
    struct table_text now_text;
    struct timespec now;
    struct ruleset *fresh;
    bool same;

    now_is(&now);
    *status = table_read(path, &now_text);
    if (*status != TABLE_OK)
        return NULL;
    same = ruleset_same_file(v, &now_text.st, cfg->time_granularity_ns) &&
           now_text.size == v->text.size &&
           memcmp(now_text.data, v->text.data, now_text.size) == 0;
    if (same && table_is_racy(&now_text.st, &now)) {
        table_text_free(&now_text);
        ruleset_get(v);
        return v;
    }
    /* Changed, or old enough now to be trusted by stat() alone: compile
     * what was just read. */
    fresh = compile(path, &now_text, (enum image_kind)v->h->kind, cfg, &now);
    table_text_free(&now_text);
    if (fresh == NULL) {
        *status = TABLE_ERROR;
        errno = ENOMEM;
    }
    return fresh;
}

struct ruleset *cache_get(const char *path, enum image_kind kind,
                          const struct access_config *cfg,
                          enum table_status *status, bool *stream,
                          struct image_reader *rd)
{
    struct table_text text;
    struct timespec now;
    struct stat st;
    struct cache_entry *e;
    struct ruleset *v = NULL, *fresh;
    bool known, streamed, small, have_st = false;
    int saved;

    *status = TABLE_OK;
    if (rd != NULL)
        image_reader_init(rd, -1);
    if (stream != NULL)
        *stream = false;
    if (stream != NULL && cfg->always_stream) {
        *stream = true;
        return NULL;
    }
    /* Every way on starts from the file's stat(); for a table seen
     * before, it says whether that is still the same file. */
    have_st = stat(path, &st) == 0;
    saved = errno;
    pthread_mutex_lock(&cache_lock);
    e = find_entry(path);
    known = e != NULL;
    streamed = known && e->current == NULL;
    if (known && !streamed && have_st &&
        ruleset_same_file(e->current, &st, cfg->time_granularity_ns)) {
        v = e->current;
        ruleset_get(v);
    }
    pthread_mutex_unlock(&cache_lock);

    if (known && !streamed) {
        if (!have_st) {
            *status = table_open_status(saved);
            if (*status == TABLE_MISSING)
                cache_forget(path);
            errno = saved;
            return NULL;
        }
        if (v != NULL && !may_read_now(v, path)) {
            /* What open() would say: Debian's "cannot open". */
            saved = errno;
            ruleset_put(v);
            *status = table_open_status(saved);
            errno = saved;
            return NULL;
        }
        if (v != NULL && !__atomic_load_n(&v->racy, __ATOMIC_ACQUIRE))
            return v;
        if (v != NULL) {
            fresh = recheck(path, v, cfg, status);
            ruleset_put(v);
            if (fresh != NULL || *status != TABLE_ERROR || errno != ENOMEM ||
                stream == NULL)
                return fresh;
            *status = TABLE_OK;
            *stream = true;
            return NULL;
        }
    }
    /* Not seen, seen only as a stream, or changed. */
    small = have_st && S_ISREG(st.st_mode) && st.st_size < cfg->store_min_size;
    /* A small table seen the first time is scanned as it is read: that
     * costs less than mapping its image. */
    if (!known && stream != NULL && small) {
        *stream = true;
        return NULL;
    }
    /* A big one may be in the store already (a small one costs less to
     * compile than to map). */
    if (have_st && !small &&
        (v = rd != NULL ? from_store(path, &st, kind, cfg, rd)
                        : from_store_mapped(path, &st, kind, cfg)) != NULL)
        return publish(path, v, cfg->time_granularity_ns);
    /* A table seen the first time is scanned as it is read (a process
     * that decides once never holds it whole), unless this process could
     * leave its compiled form for the others. */
    if (!known && stream != NULL && !may_save(cfg, cfg->store_min_size)) {
        *stream = true;
        return NULL;
    }
    now_is(&now);
    /* A table that just changed would be compiled now and again once it
     * is old enough: until then its text is scanned, as Debian's is. */
    if (stream != NULL && have_st && table_is_racy(&st, &now)) {
        *stream = true;
        return NULL;
    }
    if (kind == IMAGE_TABLE &&
        (fresh = compile_streamed(path, cfg, &now)) != NULL)
        return fresh;
    *status = table_read(path, &text);
    if (*status != TABLE_OK) {
        saved = errno;
        if (*status == TABLE_MISSING && known)
            cache_forget(path);
        if (*status == TABLE_ERROR && saved == ENOMEM && stream != NULL) {
            /* No memory for the whole file: the caller reads it piece by
             * piece, as a file never seen, and decides exactly. */
            *status = TABLE_OK;
            *stream = true;
        }
        errno = saved;
        return NULL;
    }
    fresh = compile(path, &text, kind, cfg, &now);
    table_text_free(&text);
    if (fresh == NULL) {
        if (stream != NULL) {
            *stream = true;
            return NULL;
        }
        *status = TABLE_ERROR;
        errno = ENOMEM;
    }
    return fresh;
}

void cache_streamed(const char *path, const struct stat *st,
                    bool newline_reported)
{
    struct cache_entry *e;

    pthread_mutex_lock(&cache_lock);
    e = make_entry(path);
    if (e != NULL) {
        if (!same_stat(&e->streamed, st))
            e->streamed_newline = false;
        e->streamed = *st;
        e->streamed_newline |= newline_reported;
    }
    pthread_mutex_unlock(&cache_lock);
}

bool cache_newline_reported(const char *path, const struct stat *st)
{
    struct cache_entry *e;
    bool reported = false;

    pthread_mutex_lock(&cache_lock);
    e = find_entry(path);
    if (e != NULL && e->streamed_newline && same_stat(&e->streamed, st))
        reported = true;
    pthread_mutex_unlock(&cache_lock);
    return reported;
}

/* ---- drop-in directories ---- */

/* A listing kept for a table, or what is known of its absence. */
struct kept {
    char *table;      /* NULL: slot free */
    struct stat dir;  /* the directory when it was listed */
    bool racy;        /* listed too soon after a change to trust stat() */
    struct dropin *d; /* the listing (a reference); NULL: absent */
    /* When absent: the directory above, as stat() showed it before the
     * drop-in path was found missing, and whether that may be trusted. */
    bool parent_known;
    struct stat parent;
    /* When absent and the directory above changed too recently: the
     * second (CLOCK_REALTIME) before which it is not looked at again,
     * so that a busy directory costs what it did without this. */
    time_t parent_retry;
};

/* Tables whose listings are kept: the two tables, and any a program set. */
enum { DROPIN_KEPT = 8 };

static struct kept kept[DROPIN_KEPT];
static unsigned next_slot; /* the slot to reuse when all are taken */

/* The kept slot of table, or NULL; called with the lock held. */
static struct kept *find_kept(const char *table)
{
    size_t i;

    for (i = 0; i < DROPIN_KEPT; i++) {
        if (kept[i].table != NULL && strcmp(kept[i].table, table) == 0)
            return &kept[i];
    }
    return NULL;
}

/* Empties a slot; called with the lock held.  Returns the listing to put
 * once the lock is released. */
static struct dropin *clear_kept(struct kept *k)
{
    struct dropin *d = k->d;

    free(k->table);
    memset(k, 0, sizeof(*k));
    return d;
}

/* Keeps d (taking a reference) as table's listing of the directory st
 * describes; called with the lock held.  Returns a listing to put. */
static struct dropin *keep(const char *table, const struct stat *st, bool racy,
                           struct dropin *d)
{
    struct kept *k = find_kept(table);
    struct dropin *old = NULL;
    char *copy;

    if (k == NULL) {
        size_t i;

        for (i = 0; i < DROPIN_KEPT && k == NULL; i++) {
            if (kept[i].table == NULL)
                k = &kept[i];
        }
        if (k == NULL) {
            k = &kept[next_slot];
            next_slot = (next_slot + 1) % DROPIN_KEPT;
        }
    }
    if (k->table == NULL || strcmp(k->table, table) != 0) {
        if ((copy = strdup(table)) == NULL)
            return NULL; /* not kept: listed again next time */
        old = clear_kept(k);
        k->table = copy;
    } else {
        old = k->d;
    }
    k->dir = *st;
    k->racy = racy;
    k->d = d;
    k->parent_known = false;
    k->parent_retry = 0;
    if (d != NULL)
        dropin_hold(d);
    return old;
}

/* The length of the directory part of path ("/etc" of "/etc/hosts.deny",
 * "/" of "/x"); 0 for a path without '/' (the directory is "."). */
static size_t dir_length(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        return 0;
    return slash == path ? 1 : (size_t)(slash - path);
}

/* The stat() of the directory that holds table, taken once per decision
 * for the tables it holds; 0, or -1 with errno. */
static int parent_stat(const char *table, struct dir_seen *seen,
                       struct stat *st)
{
    size_t len = dir_length(table);
    char *dir;

    if (seen->table == NULL || seen->dir_len != len ||
        strncmp(seen->table, table, len) != 0) {
        /* malloc(), like every allocation of the library, so that the
         * allocation-failure sweep reaches it. */
        dir = malloc(len == 0 ? 2 : len + 1);
        if (dir == NULL)
            return -1;
        if (len == 0)
            memcpy(dir, ".", 2);
        else {
            memcpy(dir, table, len);
            dir[len] = '\0';
        }
        seen->error = stat(dir, &seen->st) == 0 ? 0 : errno;
        free(dir);
        seen->table = table;
        seen->dir_len = len;
    }
    if (seen->error != 0) {
        errno = seen->error;
        return -1;
    }
    *st = seen->st;
    return 0;
}

/* Keeps that table has no drop-in directory, with parent, the trusted
 * stat() of the directory above taken before that was found (NULL:
 * none), or the second before which that directory is not worth a
 * stat() (retry); called with the lock held.  Returns a listing to
 * put. */
static struct dropin *keep_absent(const char *table, const struct stat *parent,
                                  time_t retry)
{
    static const struct stat none;
    struct dropin *old = keep(table, &none, false, NULL);
    struct kept *k = find_kept(table);

    if (k != NULL) {
        k->parent_known = parent != NULL;
        if (parent != NULL)
            k->parent = *parent;
        k->parent_retry = retry;
    }
    return old;
}

/* True when this process may list the directory st describes now, as
 * far as its credentials go. */
static bool may_list_now(const char *dirpath, const struct stat *st)
{
    return (st->st_mode & (S_IROTH | S_IXOTH)) == (S_IROTH | S_IXOTH) ||
           faccessat(AT_FDCWD, dirpath, R_OK | X_OK, AT_EACCESS) == 0;
}

enum table_status cache_fragments(const char *table, struct dir_seen *seen,
                                  struct dropin **out)
{
    struct dropin *d = NULL, *old = NULL;
    enum table_status status;
    struct timespec now;
    struct kept *k;
    struct stat st = {0}, parent, kept_parent;
    bool was_absent = false, parent_known = false, have_parent = false;
    time_t retry = 0;
    char *dirpath;
    int saved = errno;

    *out = NULL;
    pthread_mutex_lock(&cache_lock);
    k = find_kept(table);
    if (k != NULL && k->d == NULL) {
        was_absent = true;
        parent_known = k->parent_known;
        kept_parent = k->parent;
        retry = k->parent_retry;
    }
    pthread_mutex_unlock(&cache_lock);
    if (was_absent && !parent_known && retry != 0) {
        now_is(&now);
        if (now.tv_sec < retry)
            was_absent = false; /* changed a moment ago: not yet */
        else
            retry = 0;
    }
    if (was_absent) {
        /* Absent before: still absent if the directory above has not
         * changed.  Its stat() is taken before the drop-in path's, so
         * that a directory made in between shows in the next one. */
        have_parent = parent_stat(table, seen, &parent) == 0;
        if (have_parent && parent_known && same_stat(&kept_parent, &parent)) {
            errno = saved;
            return TABLE_OK;
        }
    }
    dirpath = dropin_dir(table);
    if (dirpath == NULL) {
        errno = ENOMEM;
        return TABLE_ERROR;
    }
    if (stat(dirpath, &st) != 0 || !S_ISDIR(st.st_mode)) {
        int error = errno;
        bool absent =
            !S_ISDIR(st.st_mode) || error == ENOENT || error == ENOTDIR;
        struct stat link;

        now_is(&now);
        /* The directory above is trusted only when it did not change too
         * recently (a change within the same tick would not show), and
         * when no symbolic link is there: one can come to point at a
         * directory without any change to the directory that holds it. */
        if (have_parent && table_is_racy(&parent, &now)) {
            have_parent = false;
            retry = (parent.st_ctim.tv_sec > parent.st_mtim.tv_sec
                         ? parent.st_ctim.tv_sec
                         : parent.st_mtim.tv_sec) +
                    TABLE_RACY_SECONDS + 1;
        }
        if (absent && have_parent && lstat(dirpath, &link) == 0 &&
            S_ISLNK(link.st_mode)) {
            /* Only the link's own path tells: looked at for an hour. */
            have_parent = false;
            retry = now.tv_sec + 3600;
        }
        free(dirpath);
        if (!absent) {
            errno = error;
            return TABLE_ERROR;
        }
        /* No directory: kept as absent, with the directory above when
         * its stat() was taken first (not in a process's first decision,
         * which should cost no more than the drop-in path's stat()). */
        pthread_mutex_lock(&cache_lock);
        old = keep_absent(table, have_parent ? &parent : NULL, retry);
        pthread_mutex_unlock(&cache_lock);
        dropin_put(old);
        errno = saved;
        return TABLE_OK;
    }
    if (!may_list_now(dirpath, &st)) {
        free(dirpath);
        return TABLE_ERROR;
    }
    pthread_mutex_lock(&cache_lock);
    k = find_kept(table);
    if (k != NULL && k->d != NULL && !k->racy && same_stat(&k->dir, &st)) {
        d = dropin_hold(k->d);
    }
    pthread_mutex_unlock(&cache_lock);
    if (d != NULL) {
        free(dirpath);
        *out = d;
        errno = saved;
        return TABLE_OK;
    }
    now_is(&now);
    free(dirpath);
    status = dropin_list(table, &d, NULL, NULL);
    if (status != TABLE_OK)
        return status;
    if (d == NULL) {
        /* Gone between stat() and opendir(). */
        errno = saved;
        return TABLE_OK;
    }
    pthread_mutex_lock(&cache_lock);
    old = keep(table, &st, table_is_racy(&st, &now), d);
    pthread_mutex_unlock(&cache_lock);
    dropin_put(old);
    *out = d;
    errno = saved;
    return TABLE_OK;
}

/* Forgets every kept listing. */
static void flush_listings(void)
{
    struct dropin *old[DROPIN_KEPT];
    size_t i;

    pthread_mutex_lock(&cache_lock);
    for (i = 0; i < DROPIN_KEPT; i++)
        old[i] = kept[i].table != NULL ? clear_kept(&kept[i]) : NULL;
    pthread_mutex_unlock(&cache_lock);
    for (i = 0; i < DROPIN_KEPT; i++)
        dropin_put(old[i]);
}

void cache_flush(void)
{
    pthread_mutex_lock(&cache_lock);
    while (oldest != NULL)
        entry_free(oldest);
    free(buckets);
    buckets = NULL;
    nbuckets = 0;
    pthread_mutex_unlock(&cache_lock);
    flush_listings();
}
