/*
 * percent.h - %<letter> expansion of option values and banner text.
 *
 * The letters are those of hosts_access(5) (%a %A %c %d %h %H %n %N %p
 * %r %R %s %u %%).  Each expansion asks the request's lazy accessors, so
 * %n looks up a host name and %u asks the client's ident server, while
 * %h and %c only use what is already known.  Only the expanded text is
 * made shell-safe: every byte outside letters, digits and "!@%-_=+:,./"
 * becomes '_'.  The rule's own text is copied untouched, and the request
 * is never modified (compat-policy D12).  There is no length limit
 * (compat-policy D3).
 *
 * DIAGNOSTICS: a warning "unrecognized %<letter>" for a letter it does
 * not know, which expands to nothing; percent_x() logs "percent_x:
 * <cause>" when memory runs out and returns an empty result.
 */
#ifndef LIBWRAP_PERCENT_H
#define LIBWRAP_PERCENT_H

#include <stdbool.h>

#include "strbuf.h"
#include "tcpd.h"

/* Appends the expansion of str to out; false if memory ran out. */
bool percent_expand(struct strbuf *out, const char *str,
                    struct request_info *r);

/* True for the bytes that expanded text may keep (extern for tests). */
bool percent_is_safe(unsigned char c);

#endif
