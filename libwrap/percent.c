/*
 * percent.c - %<letter> expansion (hosts_access(5)).
 *
 * Exports percent_x() and percent_m(), and percent_expand() for the rest
 * of the library.  Expansion appends to a growable buffer, so it has no
 * length limit and never ends the process (compat-policy D3); running
 * out of memory is reported to the caller, which denies.  The shell
 * filter is applied to each expanded value as it is appended; the
 * request itself is never rewritten (compat-policy D12).
 *
 * An unknown letter is reported with a warning and expands to nothing;
 * a '%' at the very end of the text is kept as it is.
 */
#include "percent.h"

#include <errno.h>
#include <string.h>

#include "common.h"
#include "diag.h"
#include "exports.h"

/* True for the bytes that the shell filter keeps. */
bool percent_is_safe(unsigned char c)
{
    /* Plain ASCII tests: the filter must not depend on the locale. */
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!@%-_=+:,./", c) != NULL;
}

/* Appends value with every unsafe byte replaced by '_'. */
static bool append_filtered(struct strbuf *out, const char *value)
{
    size_t n = strlen(value), i;

    if (!sb_reserve(out, n))
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)value[i];
        sb_putc(out, percent_is_safe(c) ? (char)c : '_');
    }
    return true;
}

/* The value of one letter, or NULL for a letter that has none. */
static const char *letter_value(char letter, struct request_info *r)
{
    switch (letter) {
    case 'a':
        return eval_hostaddr(r->client);
    case 'A':
        return eval_hostaddr(r->server);
    case 'c':
        return eval_client(r);
    case 'd':
        return eval_daemon(r);
    case 'h':
        return eval_hostinfo(r->client);
    case 'H':
        return eval_hostinfo(r->server);
    case 'n':
        return eval_hostname(r->client);
    case 'N':
        return eval_hostname(r->server);
    case 'p':
        return eval_pid(r);
    case 'r':
        return eval_port(r->client->sin);
    case 'R':
        return eval_port(r->server->sin);
    case 's':
        return eval_server(r);
    case 'u':
        return eval_user(r);
    case '%':
        return "%";
    default:
        return NULL;
    }
}

/* Appends str with its %<letter> sequences expanded and filtered. */
bool percent_expand(struct strbuf *out, const char *str,
                    struct request_info *r)
{
    const char *p = str, *pct;

    while ((pct = strchr(p, '%')) != NULL) {
        const char *value;

        sb_append(out, p, (size_t)(pct - p));
        if (pct[1] == '\0') {
            /* A trailing '%' stands for itself. */
            sb_putc(out, '%');
            p = pct + 1;
            break;
        }
        value = letter_value(pct[1], r);
        if (value == NULL)
            diag_warn("unrecognized %%%c", pct[1]);
        else
            append_filtered(out, value);
        p = pct + 2;
    }
    sb_puts(out, p);
    return !sb_failed(out);
}

/*
 * Debian's interface: expands str into result, which holds len bytes.
 * Unlike Debian's, it never ends the process: an expansion longer than
 * len - 1 bytes is cut at that length, and if memory runs out the
 * result is empty (and the failure is logged).
 */
LIBWRAP_API char *percent_x(char *result, int len, char *str,
                            struct request_info *r)
{
    struct strbuf sb = STRBUF_INIT;
    struct request_info none;

    if (result == NULL || len <= 0)
        return result;
    if (str == NULL)
        str = "";
    /* No request: every value is "unknown". */
    if (r == NULL)
        r = request_init(&none, 0);
    if (percent_expand(&sb, str, r)) {
        (void)str_copy_field(result, (size_t)len, sb_str(&sb));
    } else {
        errno = ENOMEM;
        diag_warn("percent_x: %m");
        result[0] = '\0';
    }
    sb_free(&sb);
    return result;
}

/* Copies str into result with each "%m" replaced by strerror(errno).
 * As with Debian's, "%%m" is not special and result must be large
 * enough: the interface carries no size. */
LIBWRAP_API char *percent_m(char *result, char *str)
{
    const char *msg = strerror(errno);
    size_t msg_len = strlen(msg);
    char *out = result;

    if (result == NULL)
        return NULL;
    if (str == NULL)
        str = "";
    while (*str != '\0') {
        if (str[0] == '%' && str[1] == 'm') {
            memcpy(out, msg, msg_len);
            out += msg_len;
            str += 2;
        } else {
            *out++ = *str++;
        }
    }
    *out = '\0';
    return result;
}
