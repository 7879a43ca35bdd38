/*
 * debian_syslog_shim.c - LD_PRELOAD helper that makes Debian's tools
 * show what their fortified build loses (behaviour page 7.2).
 *
 * Debian's libwrap.so.0 calls __syslog_chk()/__vsyslog_chk(), which
 * bypass the syslog() that tcpdmatch and tcpdchk define to print on
 * stdout.  This forwards them to the program's own vsyslog(), so that
 * the Debian tools print the warnings, "matched:" and "option:" lines
 * that tcp_wrappers 7.6 intends, and our tools' full output can be
 * compared with theirs line for line.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>

typedef void vsyslog_fn(int, const char *, va_list);

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap);
void __syslog_chk(int priority, int flag, const char *fmt, ...);

/* Hands the message to the first vsyslog() in the program's scope. */
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
    vsyslog_fn *fn = (vsyslog_fn *)dlsym(RTLD_DEFAULT, "vsyslog");

    (void)flag;
    fn(priority, fmt, ap);
}

/* The same, for a variable argument list. */
void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    __vsyslog_chk(priority, flag, fmt, ap);
    va_end(ap);
}
