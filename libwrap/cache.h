/*
 * cache.h - rule files kept in memory between decisions.
 *
 * Debian re-reads both tables on every decision; a daemon that decides
 * many connections should not.  cache_get() returns the current version
 * of a file, re-reading it only when stat() shows a change (device,
 * inode, size, mtime and ctime to the nanosecond) or when the cached copy
 * is "racy": read so soon after the file's last change that a later
 * change within the same timestamp tick would leave stat() unchanged.
 * Racy copies are compared with the file's contents on every use until
 * the file is old enough to be trusted (git's rule for its index).
 * Versions are reference counted and immutable once published, so many
 * threads can use one version while another replaces it.  The first
 * decision of a process streams the file instead (see cache_get()).
 *
 * A version is reused only where this process could open the file now:
 * stat() succeeding shows that every directory on the path can be
 * searched, and a file that not every process may read (table_text's
 * any_reader) is checked with faccessat(AT_EACCESS) on every use, so a
 * process that dropped privileges, groups or capabilities sees the file
 * as Debian's library would: unreadable.
 *
 * DIAGNOSTICS: none; failures come back as a table_status and errno.
 */
#ifndef LIBWRAP_CACHE_H
#define LIBWRAP_CACHE_H

#include <pthread.h>
#include <stdbool.h>

#include "table.h"

struct table_index;

/* One version of one file. */
struct table_version {
    char *path;
    struct table_text text;  /* the bytes; text.st is the file's identity */
    unsigned refs;           /* atomic */
    unsigned uses;           /* atomic: decisions made with it */
    bool racy;               /* atomic: compare contents before each use */
    bool newline_reported;   /* atomic: D2 warning given for it */
    bool index_failed;       /* under build_lock: do not try again */
    pthread_mutex_t build_lock;
    struct table_index *index; /* atomic pointer; NULL until built */
};

/*
 * Returns the current version (a reference the caller must put), or NULL
 * with *status TABLE_MISSING, TABLE_UNREADABLE or TABLE_ERROR (errno
 * set).  When stream is not NULL, NULL with *status TABLE_OK and *stream
 * set means: read it piece by piece with table_stream_*(), then call
 * cache_streamed().  That happens for a file not seen before (a process
 * that decides once never holds the whole table; the next cache_get()
 * reads it whole) and for a file there is no memory to hold whole.
 */
struct table_version *cache_get(const char *path, enum table_status *status,
                                bool *stream);
/* Records that path (the file st describes) was scanned as a stream,
 * and whether that scan gave the missing-newline warning. */
void cache_streamed(const char *path, const struct stat *st,
                    bool newline_reported);
void cache_put(struct table_version *v);
/* Forgets every cached file (tests). */
void cache_flush(void);

/*
 * Tests set this to make timestamps compare as on a file system with
 * coarse ones (ext3, FAT, many network file systems), since Linux 6.13
 * hands out fine-grained times to files whose times were just read.
 */
extern long cache_time_granularity_ns;

/* Seconds a file must be older than its read before stat() is trusted. */
#define CACHE_RACY_SECONDS 3

#endif
