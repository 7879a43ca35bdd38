/*
 * ipopts.c - IP options on the client socket, and leaving the process
 * (placeholder, issue 3).
 *
 * Exports fix_options(), refuse() and clean_exit().
 */
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "common.h"
#include "exports.h"
#include "diag.h"
#include "tcpd.h"

LIBWRAP_API void fix_options(struct request_info *r)
{
    (void)r;
}

LIBWRAP_API void clean_exit(struct request_info *r)
{
    if (r->sink != NULL)
        r->sink(r->fd);
    sleep(5);
    exit(0);
}

LIBWRAP_API void refuse(struct request_info *r)
{
    diag_log(deny_severity, "refused connect from %s (%s)", eval_client(r),
             eval_hostaddr(r->client));
    clean_exit(r);
}
