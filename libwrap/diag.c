/*
 * diag.c - warnings, errors and plain log lines.
 *
 * Exports tcpd_warn() and tcpd_jump() and the diag_* functions of diag.h.
 * Messages are formatted into a growable buffer, so no message is ever cut
 * short; if memory runs out the message is logged without its arguments.
 * The library never calls openlog(): the facility is the application's.
 */
/* Fortified builds turn syslog() into __syslog_chk(), which programs such
 * as tcpdmatch cannot interpose to show our messages (compat-policy D11). */
#undef _FORTIFY_SOURCE

#include "diag.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <string.h>
#include <syslog.h>

#include "exports.h"
#include "strbuf.h"
#include "tcpd.h"

static _Thread_local const struct diag_where *current_where;
static pthread_mutex_t context_lock = PTHREAD_MUTEX_INITIALIZER;
static diag_sink_fn *sink_fn;
static void *sink_arg;

const struct diag_where *diag_push(const struct diag_where *w)
{
    const struct diag_where *previous = current_where;

    current_where = w;
    return previous;
}

void diag_pop(const struct diag_where *previous)
{
    current_where = previous;
}

const struct diag_where *diag_current(void)
{
    return current_where;
}

void diag_set_sink(diag_sink_fn *fn, void *arg)
{
    sink_fn = fn;
    sink_arg = arg;
}

/* Hands one finished line to the sink or to syslog(). */
static void emit(int priority, const char *text)
{
    if (sink_fn != NULL)
        sink_fn(priority, text, sink_arg);
    else
        syslog(priority, "%s", text);
}

/* Appends fmt with each %m replaced by the text of error (not %%m). */
static void expand_percent_m(struct strbuf *out, const char *fmt, int error)
{
    const char *p;

    for (p = fmt; *p != '\0'; p++) {
        if (p[0] == '%' && p[1] == '%') {
            sb_append(out, p, 2);
            p++;
        } else if (p[0] == '%' && p[1] == 'm') {
            const char *msg = strerror(error);
            /* The error text becomes part of a format: escape its %. */
            for (; *msg != '\0'; msg++)
                sb_append(out, msg, *msg == '%' ? 2 : 1);
            p++;
        } else {
            sb_putc(out, *p);
        }
    }
}

/* Formats fmt (with %m) after prefix and emits it at priority. */
static void report(int priority, const char *prefix, const char *fmt,
                   va_list ap, int error)
{
    struct strbuf format = STRBUF_INIT;
    struct strbuf text = STRBUF_INIT;

    sb_puts(&text, prefix);
    expand_percent_m(&format, fmt, error);
    if (!sb_failed(&format)) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        sb_vprintf(&text, sb_str(&format), ap);
#pragma GCC diagnostic pop
    }
    if (sb_failed(&text) || sb_failed(&format))
        emit(priority, fmt);
    else
        emit(priority, sb_str(&text));
    sb_free(&format);
    sb_free(&text);
}

/* Logs "<tag>: [<file>, line <n>: ]" and the message at LOG_ERR, errno
 * kept. */
static PRINTF_LIKE(2, 0) void diag_vreport(const char *tag, const char *fmt,
                                           va_list ap)
{
    int error = errno;
    struct strbuf prefix = STRBUF_INIT;
    const struct diag_where *w = current_where;

    sb_printf(&prefix, "%s: ", tag);
    if (w != NULL) {
        if (w->file != NULL)
            sb_printf(&prefix, "%s, line %d: ", w->file, w->line);
    } else {
        pthread_mutex_lock(&context_lock);
        if (tcpd_context.file != NULL)
            sb_printf(&prefix, "%s, line %d: ", tcpd_context.file,
                      tcpd_context.line);
        pthread_mutex_unlock(&context_lock);
    }
    report(LOG_ERR, sb_str(&prefix), fmt, ap, error);
    sb_free(&prefix);
    errno = error;
}

void diag_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vreport("warning", fmt, ap);
    va_end(ap);
}

void diag_error(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vreport("error", fmt, ap);
    va_end(ap);
}

void diag_log(int priority, const char *fmt, ...)
{
    int error = errno;
    va_list ap;

    va_start(ap, fmt);
    report(priority, "", fmt, ap, error);
    va_end(ap);
    errno = error;
}

void diag_leave_context(const struct diag_where *w)
{
    pthread_mutex_lock(&context_lock);
    tcpd_context.file = (char *)w->file;
    tcpd_context.line = w->line;
    pthread_mutex_unlock(&context_lock);
}

/* Reports a problem and carries on. */
LIBWRAP_API PRINTF_LIKE(1, 2) void tcpd_warn(char *fmt, ...)
{
    va_list ap;

    if (fmt == NULL)
        return;
    va_start(ap, fmt);
    diag_vreport("warning", fmt, ap);
    va_end(ap);
}

/* Reports a problem and jumps to the caller's setjmp(tcpd_buf). */
LIBWRAP_API PRINTF_LIKE(1, 2) void tcpd_jump(char *fmt, ...)
{
    va_list ap;

    if (fmt != NULL) {
        va_start(ap, fmt);
        diag_vreport("error", fmt, ap);
        va_end(ap);
    }
    longjmp(tcpd_buf, AC_DENY);
}
