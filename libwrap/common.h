/*
 * common.h - definitions every module of the library shares.
 *
 * LIBWRAP_API marks the definitions of the 40 exported symbols (the
 * library is built with hidden visibility; libwrap.map lists the same
 * names).  Exported functions are called through the PLT even from inside
 * the library, so programs can interpose them as they can with Debian's.
 */
#ifndef LIBWRAP_COMMON_H
#define LIBWRAP_COMMON_H

#define LIBWRAP_API            __attribute__((visibility("default")))
#define PRINTF_LIKE(fmt, args) __attribute__((format(printf, fmt, args)))

#endif
