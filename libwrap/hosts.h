/*
 * hosts.h - endpoints, names and netgroups: the only module that
 * resolves names.
 *
 * Besides the exported sock_host(), sock_hostname() and sock_hostaddr(),
 * it answers netgroup questions through innetgr(3).  Every lookup result
 * is cached in the request by its caller (request.c), so each question is
 * asked at most once per request.
 *
 * DIAGNOSTICS: Debian's host name checks (behaviour page 2.6); a lookup
 * that fails for want of resources is not logged here but reported to
 * request.c, which logs it.
 */
#ifndef LIBWRAP_HOSTS_H
#define LIBWRAP_HOSTS_H

#include <stdbool.h>
#include <sys/socket.h>

#include "tcpd.h"

/* innetgr(group, host, NULL, NIS domain or NULL), as Debian calls it:
 * 1 a member, 0 not, -1 (errno set) when this process had not the
 * descriptors or memory to find out. */
int hosts_in_netgroup(const char *group, const char *host);
/* Length of a socket address of the given family; 0 if unsupported
 * (extern for the tests). */
socklen_t hosts_sockaddr_len(const struct sockaddr *sa);

#endif
