/*
 * dropin.h - a table's drop-in directory: <table>.d/.
 *
 * When the directory next to a table exists (/etc/hosts.allow.d/ for
 * /etc/hosts.allow, <path>.d/ for a table path the program set), its
 * files are read after the table itself, in byte order of their names,
 * as one logical table: the first rule that applies, across all of them,
 * decides.  Names that start with '.' or end in '~', ".dpkg-old",
 * ".dpkg-new", ".dpkg-dist", ".rpmnew", ".rpmsave", ".bak" or ".swp",
 * and entries that are not regular files (after following symlinks), are
 * skipped.  Without the directory nothing changes.
 *
 * dropin_get() keeps each directory's listing between decisions and
 * lists it again when stat() shows the directory changed (device, inode,
 * mode, mtime, ctime), when it changed too recently for stat() to be
 * trusted (the racy rule of table.h), or when this process could not
 * list it now.  The fragments themselves are files like any table: the
 * caller reads them through the cache (cache.h), which revalidates each.
 *
 * DIAGNOSTICS: none here; a directory that exists but cannot be listed
 * comes back as TABLE_ERROR with errno, and the caller denies.
 */
#ifndef LIBWRAP_DROPIN_H
#define LIBWRAP_DROPIN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "table.h"

/* One directory's fragments, in order (a reference-counted listing). */
struct dropin;

/*
 * The fragments of table's drop-in directory: *out is a reference the
 * caller puts with dropin_put(), or NULL when there is no directory (or
 * the path is not one).  Returns TABLE_OK, or TABLE_ERROR with errno
 * when the directory exists but cannot be listed (no descriptor, no
 * memory, no permission).
 */
enum table_status dropin_get(const char *table, struct dropin **out);

/* The number of fragments, and the path of the i-th (0-based). */
size_t dropin_count(const struct dropin *d);
const char *dropin_path(const struct dropin *d, size_t i);

/* Drops a reference taken by dropin_get() (NULL is fine). */
void dropin_put(struct dropin *d);

/* Why a directory entry of this name is skipped whatever it holds
 * ("backup file", "hidden file", ...), or NULL when it is read. */
const char *dropin_name_skipped(const char *name);

/*
 * Lists table's drop-in directory afresh, without the cache, for the
 * tools: calls skipped(arg, path, why) for each entry that is not read,
 * in byte order, and returns the fragments as dropin_get() would.
 */
enum table_status dropin_list(const char *table, struct dropin **out,
                              void (*skipped)(void *arg, const char *path,
                                              const char *why),
                              void *arg);

/* The directory's path for table ("<table>.d"), in a buffer the caller
 * frees; NULL when memory is short. */
char *dropin_dir(const char *table);

/* Forgets every kept listing (tests). */
void dropin_flush(void);

#endif
