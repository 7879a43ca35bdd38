/*
 * diag.h - every diagnostic the library writes goes through here.
 *
 * Warnings and errors read "warning: " or "error: ", then "<file>, line
 * <n>: " when a location is known, then the message, and are logged at
 * LOG_ERR as Debian's library does.  Formats accept %m (strerror of the
 * errno at the time of the call).  File names are always arguments, never
 * part of a format (compat-policy D6).
 *
 * The location is per thread: a table scan sets it with diag_push() and
 * restores it with diag_pop(); outside a scan the exported tcpd_context
 * is used, as programs such as tcpdchk set it themselves.
 *
 * DIAGNOSTICS: this module is where they go; it has none of its own.  A
 * message that cannot be formatted for want of memory is logged as its
 * bare format rather than lost, and errno is left as the caller had it.
 */
#ifndef LIBWRAP_DIAG_H
#define LIBWRAP_DIAG_H

#include <stdarg.h>

#include "common.h"

/* A place in a rule file. */
struct diag_where {
    const char *file;
    int line;
};

/* Receives each finished log line; the default calls syslog(). */
typedef void diag_sink_fn(int priority, const char *text, void *arg);

/* Makes w this thread's current location; returns the previous one. */
const struct diag_where *diag_push(const struct diag_where *w);
void diag_pop(const struct diag_where *previous);
/* This thread's location, or NULL when tcpd_context applies (tests). */
const struct diag_where *diag_current(void);

void diag_warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void diag_error(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* Logs a message with no prefix at the given syslog priority. */
void diag_log(int priority, const char *fmt, ...) PRINTF_LIKE(2, 3);

/*
 * Copies w into tcpd_context, as Debian leaves it after a rule's options
 * ended the scan with a verdict: later warnings outside a scan then carry
 * that table and line (behaviour page 8.9).
 */
void diag_leave_context(const struct diag_where *w);

/* Redirects all output (tests); NULL restores syslog(). Not thread-safe. */
void diag_set_sink(diag_sink_fn *fn, void *arg);

#endif
