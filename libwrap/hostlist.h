/*
 * hostlist.h - "/file" host patterns: a file of further host patterns.
 *
 * The file is read as white-space separated words ('#' is not special),
 * compiled like a table (cache.h, ruleset.h), and its words are matched
 * in turn until one matches.  A missing file is silently no match; any
 * other open error is a warning and no match, as with Debian, except
 * that a list this process could not read for want of descriptors or
 * memory is an error.  Lists that name lists are bounded three ways for
 * one client pattern (compat-policy D4): nesting deeper than
 * MATCH_MAX_FILE_DEPTH, a list that names itself (directly or through
 * others), and more than HOSTLIST_MAX_VISITS lists read in all.
 *
 * DIAGNOSTICS: Debian's "open <path>: <cause>" when a list cannot be
 * opened or read, and one warning per client pattern when a bound on
 * nesting stops it.
 */
#ifndef LIBWRAP_HOSTLIST_H
#define LIBWRAP_HOSTLIST_H

#include "match.h"

#define HOSTLIST_MAX_VISITS 1000

/* The matcher's list function (match.h); its list_arg is the decision's
 * struct access_config. */
match_list_fn hostlist_match;

#endif
