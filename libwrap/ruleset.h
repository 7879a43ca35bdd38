/*
 * ruleset.h - one version of one rule file, compiled.
 *
 * A ruleset owns a compiled image (image.h) of a table or of a /file
 * host list: built here from the file's text, or mapped from
 * /run/libwrap (store.h).  It is reference counted and immutable once
 * made, so threads keep the version they started with while another
 * replaces it; the few things that change (whether the "missing newline"
 * warning was given, whether a racy file is now old enough) are atomic.
 * The text itself is kept only while the file is racy (cache.h), to
 * compare it with the file's contents on each use.
 *
 * DIAGNOSTICS: none; a failure to compile (memory) returns NULL.
 */
#ifndef LIBWRAP_RULESET_H
#define LIBWRAP_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <time.h>

#include "image.h"
#include "table.h"

struct ruleset {
    struct image im;              /* the compiled bytes */
    const struct image_header *h; /* im's header (head when mapped) */
    struct image_header head;     /* a mapped image's header, copied */
    void *owned;                  /* im.base when compiled here */
    void *mapped;                 /* im.base when mapped (store.h) */
    size_t mapped_size;
    struct table_text text; /* kept while racy; else empty */
    unsigned refs;          /* atomic */
    bool racy;              /* atomic: compare the text before use */
    bool newline_reported;  /* atomic: D2 warning given for it */
};

/*
 * Compiles the text of the file at path (a table, or a /file list for
 * IMAGE_LIST), read at read_at, racy as cache.h decides; the text is
 * kept only when racy (it is moved into the ruleset, text is emptied).
 * NULL when memory runs out, or the image would exceed 4 GiB.
 */
struct ruleset *ruleset_compile(const char *path, struct table_text *text,
                                enum image_kind kind,
                                const struct timespec *read_at, bool racy);

/*
 * Compiles the table a stream has open (table.h), which is not racy,
 * reading it twice in pieces so that it is never held whole.  NULL when
 * that fails: a read failed (*error is its errno), the file changed
 * between the readings, or memory ran out; the caller then reads it
 * whole, which reports what is wrong, if anything.
 */
struct ruleset *ruleset_compile_stream(const char *path,
                                       struct table_stream *ts,
                                       const struct timespec *read_at,
                                       bool any_reader, int *error);

/*
 * A ruleset over an image mapped from the store, if it checks out
 * (image_open()) as the image of path of the given kind and is not racy;
 * else NULL (the caller unmaps it).  On success the ruleset unmaps it.
 * The cache uses ruleset_from_store(); this is extern for the tests.
 */
struct ruleset *ruleset_from_map(const char *path, void *base, size_t size,
                                 enum image_kind kind);

/* The same, reading what it checks through rd (image.h), when rd has an
 * open file, so that the mapping is not touched. */
struct ruleset *ruleset_from_store(const char *path, void *base, size_t size,
                                   enum image_kind kind,
                                   struct image_reader *rd);

/* A reference more, and one less (the last frees or unmaps). */
void ruleset_get(struct ruleset *rs);
void ruleset_put(struct ruleset *rs);

/* True when st describes the file the ruleset was compiled from:
 * device, inode, size, mode, mtime and ctime, the times compared at
 * granularity_ns (1: nanoseconds). */
bool ruleset_same_file(const struct ruleset *rs, const struct stat *st,
                       long granularity_ns);

/* True when any process may read the source (SOURCE_ANY_READER). */
bool ruleset_any_reader(const struct ruleset *rs);

#endif
