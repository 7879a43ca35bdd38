/*
 * globals.c - the exported data objects of libwrap.so.0.
 *
 * Names, types, sizes and initial values are Debian's (behaviour page
 * 5.2).  Programs copy-relocate or redefine several of them, so the
 * library only ever reaches them by name through the GOT.
 * allow_severity and deny_severity are weak: a program's own definitions
 * win, as with Debian's library.
 */
#include <setjmp.h>
#include <syslog.h>

#include "common.h"
#include "exports.h"
#include "tcpd.h"

LIBWRAP_API char *hosts_allow_table = "/etc/hosts.allow";
LIBWRAP_API char *hosts_deny_table = "/etc/hosts.deny";
LIBWRAP_API int hosts_access_verbose = 0;
LIBWRAP_API int resident = -1;
LIBWRAP_API int dry_run = 0;
LIBWRAP_API int rfc931_timeout = 10;
LIBWRAP_API int allow_severity __attribute__((weak)) = LOG_INFO;
LIBWRAP_API int deny_severity __attribute__((weak)) = LOG_WARNING;
LIBWRAP_API char unknown[] = "unknown";
LIBWRAP_API char paranoid[] = "paranoid";
LIBWRAP_API jmp_buf tcpd_buf;
LIBWRAP_API struct tcpd_context tcpd_context;
