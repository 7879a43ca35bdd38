/*
 * fuzz_options.c - option fields of matched rules.
 *
 * The input is an option field (cut at its first NUL).  It runs twice
 * through options_run(), once in dry-run mode and once for real, and once
 * through the exported process_options() under setjmp(tcpd_buf).  Nothing
 * it asks for can reach the machine: the harness is linked with --wrap
 * for every call that would start a process, change identity, priority,
 * environment or umask, and those fail (or pretend to succeed) without
 * doing anything; resident is set, so twist refuses; the request has no
 * socket and no socket addresses, so nothing is sent or looked up;
 * absolute paths (banners) are confined to the sandbox.  Checks: a valid
 * result, and an "error:" line always means a denial.  The replacements
 * are in sealed.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "exports.h"
#include "fuzzlib.h"
#include "options.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the harness ---- */

static void new_request(struct request_info *r)
{
    request_init(r, RQ_DAEMON, "sshd", RQ_CLIENT_NAME, "host.example",
                 RQ_CLIENT_ADDR, "10.0.0.1", RQ_USER, "bob", RQ_SERVER_NAME,
                 "server", RQ_SERVER_ADDR, "10.0.0.2", 0);
}

/* True when a captured line is an error (not merely quotes one). */
static bool logged_error(const char *log)
{
    const char *line;

    for (line = log; *line != '\0'; line = strchr(line, '\n') + 1) {
        if (strncmp(line, "3 error: ", 9) == 0)
            return true;
        if (strchr(line, '\n') == NULL)
            break;
    }
    return false;
}

/* Resets the process-wide state that options change. */
static void reset_globals(int dry)
{
    dry_run = dry;
    resident = 1;
    rfc931_timeout = 10;
    allow_severity = 6;
    deny_severity = 4;
    hosts_access_verbose = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_section all = {(const char *)data,
                             strnlen((const char *)data, size)};
    struct request_info r;
    char *field = fz_strndup(&all), *copy;
    enum option_result res;
    volatile int jumped;
    int dry;

    for (dry = 1; dry >= 0; dry--) {
        reset_globals(dry);
        new_request(&r);
        fz_capture_start();
        fz_sandbox_enter();
        res = options_run(field, &r);
        fz_sandbox_leave();
        if (res != OPTIONS_DEFAULT && res != OPTIONS_ALLOW &&
            res != OPTIONS_DENY && res != OPTIONS_NO_MATCH)
            fz_fail("options_run returned %d", (int)res);
        if (logged_error(fz_captured()) && res != OPTIONS_DENY)
            fz_fail("\"%s\" logged an error but gave %d:\n%s", field, (int)res,
                    fz_captured());
    }

    /* The exported interface, which long-jumps with the verdict. */
    reset_globals(1);
    new_request(&r);
    copy = fz_strndup(&all);
    fz_capture_start();
    fz_sandbox_enter();
    jumped = setjmp(tcpd_buf);
    if (jumped == 0)
        process_options(copy, &r);
    fz_sandbox_leave();
    if (jumped != 0 && jumped != AC_PERMIT && jumped != AC_DENY)
        fz_fail("process_options jumped with %d", jumped);
    free(copy);
    free(field);
    reset_globals(0);
    resident = -1;
    return 0;
}
