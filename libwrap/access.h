/*
 * access.h - the decision, with the knobs tests turn.
 *
 * hosts_access() decides with access_default.  Tests (and the tools)
 * call access_decide() with a configuration of their own, to compare
 * the ways of deciding (streamed text, compiled rules in order, through
 * the index, images from a store directory of their own) or to make
 * file times as coarse as some file systems keep them.  Nothing here is
 * a global switch.
 *
 * DIAGNOSTICS: see access.c.
 */
#ifndef LIBWRAP_ACCESS_H
#define LIBWRAP_ACCESS_H

#include <stdbool.h>

#include "tcpd.h"

struct access_config {
    const char *store_dir;    /* shared images (store.h), or NULL */
    bool no_index;            /* evaluate every compiled rule in order */
    bool always_stream;       /* scan the text every time, as a process
                                 that decides once does */
    long time_granularity_ns; /* how fine file times are taken to be */
    long store_min_size;      /* files smaller than this never use the
                                 store (CACHE_SMALL_TABLE by default) */
};

/* STORE_DIR, the index, streaming only the first time, nanoseconds,
 * CACHE_SMALL_TABLE. */
extern const struct access_config access_default;

/* Decides a request as hosts_access() does: 1 grants, 0 denies. */
int access_decide(struct request_info *r, const struct access_config *cfg);

#endif
