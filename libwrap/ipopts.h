/*
 * ipopts.h - IP options of a connection (fix_options()).
 *
 * fix_options(), refuse() and clean_exit() are exported (see exports.h
 * and tcpd.h); these helpers are shared with the tests.
 *
 * DIAGNOSTICS: Debian's texts: fix_options() logs a source-routed
 * connection as refused (LOG_WARNING), other IP options as ignored
 * (LOG_NOTICE), and "getpeername: <cause>" (LOG_ERR, Debian's wrong call
 * name) before it ends the process, and "setsockopt IP_OPTIONS NULL:
 * <cause>" (LOG_ERR) when the options cannot be cleared; refuse() logs
 * "refused connect from <client> (<address>)" at deny_severity.
 */
#ifndef LIBWRAP_IPOPTS_H
#define LIBWRAP_IPOPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* True when an options block (as getsockopt(IP_OPTIONS) returns it)
 * holds a loose or strict source route, scanning from offset 4. */
bool ipopts_source_routed(const unsigned char *opt, size_t len);
/* Appends " xx" for each byte; false if memory ran out. */
bool ipopts_format(struct strbuf *out, const unsigned char *opt, size_t len);

#endif
