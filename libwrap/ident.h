/*
 * ident.h - the RFC 931 / RFC 1413 (ident) client.
 *
 * rfc931(), the exported entry point, is declared in tcpd.h.  The reply
 * parser is separate so that the tests can feed it every kind of line.
 *
 * DIAGNOSTICS: a warning "socket: <cause>" when no socket can be had
 * (then reported to request.c when it is a resource failure); any other
 * failure (no answer, a timeout, a reply that does not say who) leaves
 * the user "unknown" without a word, as with Debian.
 */
#ifndef LIBWRAP_IDENT_H
#define LIBWRAP_IDENT_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a reply line that are considered, as with Debian's reader. */
#define IDENT_LINE_MAX 511

/*
 * Parses "<rport> , <lport> : USERID : <anything> : <user>" for the
 * given ports; copies the user (its first word, at most 255 bytes, then
 * cut to size - 1) into user.  False when the reply does not say who.
 */
bool ident_parse_reply(const char *line, unsigned int rport,
                       unsigned int lport, char *user, size_t size);

#endif
