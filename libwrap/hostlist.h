/*
 * hostlist.h - "/file" host patterns: a file of further host patterns.
 *
 * The file is read as white-space separated words, each matched as a
 * host pattern in turn until one matches ('#' is not special).  A missing
 * file is silently no match; any other open error is a warning and no
 * match.  Nesting is bounded (MATCH_MAX_FILE_DEPTH, compat-policy D4).
 */
#ifndef LIBWRAP_HOSTLIST_H
#define LIBWRAP_HOSTLIST_H

#include <stdbool.h>

#include "tcpd.h"

bool hostlist_match(const char *path, struct host_info *host, int depth);

#endif
