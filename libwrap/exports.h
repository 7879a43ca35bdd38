/*
 * exports.h - exported symbols that Debian's tcpd.h does not declare.
 *
 * The library exports them (programs such as tcpd, tcpdchk and try-from
 * use them), so their prototypes live here rather than in the public
 * header, which stays exactly as Debian's declares things.
 */
#ifndef LIBWRAP_EXPORTS_H
#define LIBWRAP_EXPORTS_H

#include <setjmp.h>

#include "tcpd.h"

extern jmp_buf tcpd_buf;
unsigned long cidr_mask_addr(char *str);
char *percent_m(char *result, char *str);
void fix_options(struct request_info *r);

#endif
