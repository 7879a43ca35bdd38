/*
 * percent.c - %-expansion of option values (placeholder, issue 3).
 *
 * Exports percent_x() and percent_m().
 */
#include <errno.h>
#include <string.h>

#include "common.h"
#include "exports.h"
#include "tcpd.h"

/* Copies str into result with each %m replaced by strerror(errno). */
LIBWRAP_API char *percent_m(char *result, char *str)
{
    char *out = result;
    const char *msg = strerror(errno);

    while (*str != '\0') {
        if (str[0] == '%' && str[1] == 'm') {
            strcpy(out, msg);
            out += strlen(msg);
            str += 2;
        } else {
            *out++ = *str++;
        }
    }
    *out = '\0';
    return result;
}

LIBWRAP_API char *percent_x(char *result, int len, char *str,
                            struct request_info *r)
{
    (void)r;
    if (len > 0) {
        strncpy(result, str, (size_t)len);
        result[len - 1] = '\0';
    }
    return result;
}
