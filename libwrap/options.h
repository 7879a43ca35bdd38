/*
 * options.h - the option field of a matched rule (hosts_options(5)).
 *
 * options_run() interprets the field left to right and reports what the
 * options decided.  Side effects of earlier options stay when a later
 * one fails.  Errors are logged (with the current table and line) before
 * the result is returned; nothing here long-jumps.  process_options(),
 * the exported form, turns the result into Debian's longjmp(tcpd_buf).
 *
 * DIAGNOSTICS: Debian's texts, with the table and line: errors for a
 * field that does not parse ("bad option name", "option ... requires
 * value", ...), for a bad value ("bad umask value", "unknown user", ...)
 * and for a failed setuid() or setgid() or an aclexec command that could
 * not run, each making the verdict a denial; warnings for what only
 * weakens an option (setsockopt(), nice()).  An aclexec command that
 * fails is "aclexec returned 1" at LOG_INFO, a twist is logged at
 * deny_severity, and each option at LOG_DEBUG.  Out of memory is the
 * error "memory allocation failure" and a denial.
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
