/*
 * banners.h - the banners option: a text file sent to the client.
 */
#ifndef LIBWRAP_BANNERS_H
#define LIBWRAP_BANNERS_H

#include <stdbool.h>

#include "tcpd.h"

/*
 * Sends <dir>/<daemon name> to the client socket, with CR LF line ends
 * and %<letter> expansion.  A missing file is silent; a missing
 * directory is a warning.  Returns false only when memory ran out.
 */
bool banners_send(const char *dir, struct request_info *r);

#endif
