/*
 * ident.c - the RFC 931 (ident) client (placeholder, issue 3).
 *
 * Exports rfc931().
 */
#include <string.h>

#include "common.h"
#include "tcpd.h"

LIBWRAP_API void rfc931(struct sockaddr *remote, struct sockaddr *local,
                        char *dest)
{
    (void)remote;
    (void)local;
    strcpy(dest, unknown);
}
