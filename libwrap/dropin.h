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
 * This module lists a directory; cache_fragments() (cache.h) keeps the
 * listings between decisions.  The fragments themselves are files like
 * any table, read and revalidated by the cache one by one.
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

/* The number of fragments, and the path of the i-th (0-based). */
size_t dropin_count(const struct dropin *d);
const char *dropin_path(const struct dropin *d, size_t i);

/* Takes another reference to d; returns d. */
struct dropin *dropin_hold(struct dropin *d);

/* Drops a reference (NULL is fine). */
void dropin_put(struct dropin *d);

/* Why a directory entry of this name is skipped whatever it holds
 * ("backup file", "hidden file", ...), or NULL when it is read. */
const char *dropin_name_skipped(const char *name);

/*
 * Lists table's drop-in directory: *out is a new listing (one reference)
 * or NULL when there is no directory.  Calls skipped(arg, path, why),
 * unless it is NULL, for each entry that is not read, in byte order.
 * Returns TABLE_OK, or TABLE_ERROR with errno when the directory exists
 * but cannot be listed (no descriptor, no memory, no permission).
 */
enum table_status dropin_list(const char *table, struct dropin **out,
                              void (*skipped)(void *arg, const char *path,
                                              const char *why),
                              void *arg);

/* The directory's path for table ("<table>.d"), in a buffer the caller
 * frees; NULL when memory is short. */
char *dropin_dir(const char *table);

#endif
