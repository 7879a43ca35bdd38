/*
 * cache.h - rule files kept between decisions, as compiled rulesets.
 *
 * Debian re-reads both tables on every decision; a daemon that decides
 * many connections should not, and a process that decides once should
 * not compile what it reads only once.  cache_get() returns the current
 * ruleset (ruleset.h) of a file:
 *
 *   - the first time, a table is streamed instead (the caller scans its
 *     text piece by piece), unless it is big (the configuration's
 *     store_min_size, CACHE_SMALL_TABLE by default) and the
 *     store already has a valid image of it (store.h), which is mapped,
 *     or a root process can leave the compiled form for the others;
 *   - afterwards the file is compiled (or mapped from the store), and the
 *     ruleset is reused while stat() shows the same device, inode, size,
 *     mode, mtime and ctime;
 *   - a file changed less than CACHE_RACY_SECONDS before it was read is
 *     "racy": a second change within the same timestamp tick would leave
 *     stat() unchanged (git's rule for its index).  A racy table is
 *     streamed on each use until it is old enough, and then compiled; a
 *     racy /file list is compiled, and its text compared with the file's
 *     contents on each use until then.  A racy file is never put in the
 *     store.
 *
 * A ruleset is used only where this process could open the file now:
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

#include <stdbool.h>
#include <sys/stat.h>

#include "config.h"
#include "dropin.h"
#include "image.h"
#include "ruleset.h"
#include "table.h"

/* Files smaller than this are not kept in the store, and a table this
 * small is streamed the first time even when the store has its image:
 * scanning it costs less than mapping an image. */
#define CACHE_SMALL_TABLE (256 * 1024)

/* Seconds a file must be older than its read before stat() is trusted. */
#define CACHE_RACY_SECONDS TABLE_RACY_SECONDS

/*
 * The current ruleset of the file at path (a reference the caller must
 * put), of kind IMAGE_TABLE or IMAGE_LIST; or NULL with *status
 * TABLE_MISSING, TABLE_UNREADABLE or TABLE_ERROR (errno set).  When
 * stream is not NULL, NULL with *status TABLE_OK and *stream set means:
 * scan the text with table_stream_*(), then call cache_streamed().  That
 * happens for a table not seen before, and for one there is no memory to
 * hold whole.  When rd is not NULL, it is set up (image.h) to read the
 * ruleset returned, if that was just mapped from the store, for the
 * decision at hand (rd->fd >= 0; the caller calls image_reader_end()),
 * and left unused (rd->fd -1) otherwise.
 */
struct ruleset *cache_get(const char *path, enum image_kind kind,
                          const struct access_config *cfg,
                          enum table_status *status, bool *stream,
                          struct image_reader *rd);

/* Records that path (the file st describes) was scanned as a stream,
 * and whether that scan gave the missing-newline warning. */
void cache_streamed(const char *path, const struct stat *st,
                    bool newline_reported);

/* True when a streamed scan of path, the file st describes, already gave
 * the missing-newline warning (it is given once per version of a file). */
bool cache_newline_reported(const char *path, const struct stat *st);

/*
 * What one decision learnt of the directory that holds its tables (both
 * are usually in /etc): start it zeroed, pass it to cache_fragments() for
 * each table of the decision, and drop it with the decision.
 */
struct dir_seen {
    const char *table; /* the table whose directory st is; NULL: none */
    size_t dir_len;    /* the directory is table's first dir_len bytes */
    int error;         /* 0: st holds its stat() */
    struct stat st;
};

/*
 * The fragments of table's drop-in directory (dropin.h): *out is a
 * reference the caller puts, or NULL when there is no directory.  The
 * listing is kept and listed again when stat() shows the directory
 * changed (device, inode, mode, size, mtime, ctime, to the nanosecond),
 * when it changed too recently for stat() to be trusted (the racy rule),
 * and it is used only when this process could list the directory now.
 * Returns TABLE_OK, or TABLE_ERROR with errno when the directory exists
 * but cannot be listed.  That a directory is absent is also kept, with
 * the stat() of the directory above it: while that directory has not
 * changed (and did not change too recently: the racy rule), nothing was
 * created in it, and one stat() of it (shared, through seen, by the
 * tables it holds) stands for a stat() of each table's drop-in path.
 */
enum table_status cache_fragments(const char *table, struct dir_seen *seen,
                                  struct dropin **out);

/* Forgets a ruleset whose image turned out to be bad (MATCH_CORRUPT). */
void cache_forget(const char *path);

/* Forgets every cached file (tests). */
void cache_flush(void);

#endif
