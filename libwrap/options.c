/*
 * options.c - the option language of hosts_options(5).
 *
 * Exports process_options() and options_run().  (Only "allow" and "deny"
 * so far; the full option language is issue 3.)
 */
#include "options.h"

#include <ctype.h>
#include <setjmp.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "exports.h"
#include "diag.h"
#include "strbuf.h"

enum option_result options_run(const char *field, struct request_info *r)
{
    struct strbuf sb = STRBUF_INIT;
    char *p, *end;
    enum option_result result = OPTIONS_DENY;

    (void)r;
    if (!sb_puts(&sb, field)) {
        diag_error("memory allocation failure");
        return OPTIONS_DENY;
    }
    p = sb.data;
    while (isspace((unsigned char)*p))
        p++;
    end = p + strlen(p);
    while (end > p && isspace((unsigned char)end[-1]))
        *--end = '\0';
    if (*p == '\0')
        diag_error("missing option name");
    else if (strcasecmp(p, "allow") == 0)
        result = OPTIONS_ALLOW;
    else if (strcasecmp(p, "deny") == 0)
        result = OPTIONS_DENY;
    else
        diag_error("bad option name: \"%s\"", p);
    sb_free(&sb);
    return result;
}

/* Runs an option field; a verdict or an error jumps to tcpd_buf. */
LIBWRAP_API void process_options(char *options, struct request_info *r)
{
    switch (options_run(options, r)) {
    case OPTIONS_ALLOW:
        longjmp(tcpd_buf, AC_PERMIT);
    case OPTIONS_DENY:
        longjmp(tcpd_buf, AC_DENY);
    case OPTIONS_DEFAULT:
    case OPTIONS_NO_MATCH:
        break;
    }
}
