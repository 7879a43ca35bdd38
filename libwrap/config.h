/*
 * config.h - the switches one decision runs with.
 *
 * A decision (access.h), and every layer it asks for a table's rules
 * (cache.h, hostlist.h), reads its switches from one struct
 * access_config passed down the calls: hosts_access() passes
 * access_default; tests and tools pass their own, to compare the ways of
 * deciding (streamed text, compiled rules in order, through the index,
 * images from a store directory of their own) or to make file times as
 * coarse as some file systems keep them.  Nothing here is a global
 * switch.
 *
 * DIAGNOSTICS: none.
 */
#ifndef LIBWRAP_CONFIG_H
#define LIBWRAP_CONFIG_H

#include <stdbool.h>

struct access_config {
    const char *store_dir;    /* shared images (store.h), or NULL */
    bool no_index;            /* evaluate every compiled rule in order */
    bool always_stream;       /* scan the text every time, as a process
                                 that decides once does */
    long time_granularity_ns; /* how fine file times are taken to be */
    long store_min_size;      /* files smaller than this never use the
                                 store (CACHE_SMALL_TABLE by default) */
};

#endif
