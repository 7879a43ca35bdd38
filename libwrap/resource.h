/*
 * resource.h - failures of this process's own resources.
 *
 * A table, a /file list, a name, a netgroup or an ident reply that cannot
 * be had because this process ran out of descriptors or memory tells
 * nothing about the client: a rule that needs it cannot be evaluated,
 * and the decision denies.  Debian's library, which opens both tables on
 * every decision, always denies in that state; ours keeps its tables in
 * memory and must not read such a failure as "no match".  Every other
 * outcome of a lookup (no such name, no answer, permission denied) keeps
 * Debian's meaning.
 *
 * DIAGNOSTICS: none here; callers log the cause.
 */
#ifndef LIBWRAP_RESOURCE_H
#define LIBWRAP_RESOURCE_H

#include <stdbool.h>

/* True for the errors that mean this process is out of descriptors or
 * memory: EMFILE, ENFILE, ENOMEM. */
bool resource_errno(int err);

/*
 * After a lookup that failed without saying why (glibc's getnameinfo()
 * answers EAI_AGAIN, with errno 0, when it cannot open a socket or the
 * hosts file): 0 when this process can get a descriptor now, else the
 * errno that says why not.
 */
int resource_probe(void);

/*
 * The resource failure behind a getaddrinfo() or getnameinfo() result
 * (errno as the call left it): 0 for a success or an answer (no such
 * name, no server), else EMFILE, ENFILE or ENOMEM.
 */
int resource_gai_failure(int rc);

#endif
