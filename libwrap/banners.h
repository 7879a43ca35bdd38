/*
 * banners.h - the banners option: a text file sent to the client.
 *
 * DIAGNOSTICS: a warning "<dir>: <cause>" when the banner file cannot be
 * opened because the directory itself is missing or unreadable; a
 * missing file in an existing directory is silent, as with Debian.  Out
 * of memory is returned to the caller, which logs it.
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
