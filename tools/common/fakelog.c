/*
 * fakelog.c - syslog() for the checking tools: messages go to stdout.
 *
 * tcpdmatch, tcpdchk and try-from link this object so that the library's
 * warnings, "matched:" and "option:" lines reach the user, as tcp_wrappers
 * 7.6 intends and Debian's fortified build loses (compat-policy D11).  The
 * library calls plain syslog() (diag.c undefines _FORTIFY_SOURCE), so the
 * definitions here interpose libc's.  A program may install a hook to see
 * each finished line (tcpdchk counts and reformats them).
 */
/* The definitions below must be the plain functions, never the fortified
 * inline wrappers of <bits/syslog.h>. */
#undef _FORTIFY_SOURCE

#include "fakelog.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "strbuf.h"

static fakelog_hook_fn *hook;

/* Installs the hook that sees each message first. */
void fakelog_set_hook(fakelog_hook_fn *fn)
{
    hook = fn;
}

/* Nothing to open: the output is stdout. */
void openlog(const char *ident, int option, int facility)
{
    (void)ident;
    (void)option;
    (void)facility;
}

/* Nothing to close. */
void closelog(void)
{
}

/* Prints one message (glibc's printf knows %m) and flushes, so that
 * banners written straight to fd 1 appear in order. */
void vsyslog(int priority, const char *fmt, va_list ap)
{
    struct strbuf text = STRBUF_INIT;
    int error = errno;

    fflush(stdout);
    errno = error; /* for %m */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    sb_vprintf(&text, fmt, ap);
#pragma GCC diagnostic pop
    if (hook == NULL || !hook(priority, sb_str(&text)))
        printf("%s\n", sb_str(&text));
    fflush(stdout);
    sb_free(&text);
    errno = error;
}

/* Prints one message on stdout (see vsyslog). */
void syslog(int priority, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsyslog(priority, fmt, ap);
    va_end(ap);
}
