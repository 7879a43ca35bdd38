/*
 * request.h - the request accessors as the matcher uses them.
 *
 * The exported eval_* functions (tcpd.h) cannot say that a lookup
 * failed.  The matcher must know when one failed for want of this
 * process's own descriptors or memory, because reading that as
 * "unknown" could make a deny rule fail open (resource.h).  The lookup
 * methods report such a failure with request_lookup_failed(); the
 * request_* accessors below return it, log its cause and leave the field
 * unset, so that a later evaluation asks again.
 *
 * DIAGNOSTICS: request_hostname() logs "cannot look up the name of
 * <addr>: <cause>"; ident failures are logged by rfc931() itself.
 */
#ifndef LIBWRAP_REQUEST_H
#define LIBWRAP_REQUEST_H

#include "tcpd.h"

/* Called by a lookup method: the field it fills (a host's name, the
 * request's user) could not be found out; err is EMFILE, ENFILE or
 * ENOMEM.  The report is per thread and read by the next accessor. */
void request_lookup_failed(const char *field, int err);

/* eval_hostname() that reports a failed lookup: 0, with *name set, or
 * the errno of the resource failure. */
int request_hostname(struct host_info *h, const char **name);
/* eval_user() that reports a failed ident lookup the same way. */
int request_user(struct request_info *r, const char **user);

#endif
