/*
 * hostlist.h - "/file" host patterns: a file of further host patterns.
 *
 * The file is read as white-space separated words, each matched as a
 * host pattern in turn until one matches ('#' is not special).  A missing
 * file is silently no match; any other open error is a warning and no
 * match, as with Debian, except that a list this process could not read
 * for want of descriptors or memory is an error.  Nesting is bounded (MATCH_MAX_FILE_DEPTH, compat-policy D4).
 *
 * DIAGNOSTICS: Debian's "open <path>: <cause>" when a list cannot be
 * opened or read, and one warning per client pattern when a bound on
 * nesting stops it.
 */
#ifndef LIBWRAP_HOSTLIST_H
#define LIBWRAP_HOSTLIST_H

#include "match.h"
#include "tcpd.h"

/* MATCH_ERROR when the list, or a pattern in it, could not be read or
 * evaluated for want of descriptors or memory (the cause is logged). */
enum match_result hostlist_match(const char *path, struct host_info *host,
                                 int depth);

#endif
