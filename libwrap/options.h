/*
 * options.h - the option field of a matched rule (hosts_options(5)).
 *
 * options_run() interprets the field left to right and reports what the
 * options decided.  Side effects of earlier options stay when a later
 * one fails.  Errors are logged (with the current table and line) before
 * the result is returned; nothing here long-jumps.  process_options(),
 * the exported form, turns the result into Debian's longjmp(tcpd_buf).
 */
#ifndef LIBWRAP_OPTIONS_H
#define LIBWRAP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "tcpd.h"

enum option_result {
    OPTIONS_DEFAULT,  /* no verdict: the table decides (allow or deny) */
    OPTIONS_ALLOW,    /* the "allow" option */
    OPTIONS_DENY,     /* the "deny" option, or an error (already logged) */
    OPTIONS_NO_MATCH, /* an aclexec command failed: the rule does not
                         apply and the scan goes on (compat-policy D8) */
};

enum option_result options_run(const char *field, struct request_info *r);

#endif
