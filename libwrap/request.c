/*
 * request.c - the request structure and its lazy accessors.
 *
 * Exports request_init(), request_set() and the eval_* functions, and
 * the request_* functions of request.h.  Each accessor fills its field
 * once, first with "unknown" and then with whatever the installed method
 * finds, so a lookup is attempted at most once per request and only when
 * something asks for the value.  Strings given by the caller are
 * truncated to STRING_LENGTH - 1 bytes, as Debian's are; the truncation
 * is deliberate and documented.
 */
#include "request.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "diag.h"
#include "pid.h"
#include "strbuf.h"

/* Copies s (NULL reads as "") into a request field.  Longer values are
 * cut to STRING_LENGTH - 1 bytes, exactly as Debian cuts them, so that
 * rules see the same text. */
static void set_string(char *field, const char *s)
{
    (void)str_copy_field(field, STRING_LENGTH, s != NULL ? s : "");
}

/* Applies a 0-terminated key/value list; an unknown key stops it. */
static struct request_info *request_fill(struct request_info *r, va_list ap)
{
    int key;

    while ((key = va_arg(ap, int)) > 0) {
        switch (key) {
        case RQ_FILE:
            r->fd = va_arg(ap, int);
            break;
        case RQ_DAEMON:
            set_string(r->daemon, va_arg(ap, char *));
            break;
        case RQ_USER:
            set_string(r->user, va_arg(ap, char *));
            break;
        case RQ_CLIENT_NAME:
            set_string(r->client->name, va_arg(ap, char *));
            break;
        case RQ_CLIENT_ADDR:
            set_string(r->client->addr, va_arg(ap, char *));
            break;
        case RQ_CLIENT_SIN:
            r->client->sin = va_arg(ap, void *);
            break;
        case RQ_SERVER_NAME:
            set_string(r->server->name, va_arg(ap, char *));
            break;
        case RQ_SERVER_ADDR:
            set_string(r->server->addr, va_arg(ap, char *));
            break;
        case RQ_SERVER_SIN:
            r->server->sin = va_arg(ap, void *);
            break;
        default:
            diag_warn("request_fill: invalid key: %d", key);
            return r;
        }
    }
    return r;
}

/* The decimal text of a process id, as "%d" gives it (without printf,
 * whose code a process that decides once may not have touched yet). */
static void pid_text(char *out, size_t size, pid_t pid)
{
    char digits[24];
    size_t n = 0, i;
    unsigned long v = pid < 0 ? 0UL - (unsigned long)pid : (unsigned long)pid;

    if (size == 0)
        return;
    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    if (pid < 0)
        digits[n++] = '-';
    for (i = 0; i < n && i + 1 < size; i++)
        out[i] = digits[n - 1 - i];
    out[i] = '\0';
}

/* Clears the request and applies the key/value list. */
LIBWRAP_API struct request_info *request_init(struct request_info *r, ...)
{
    va_list ap;

    if (r == NULL)
        return NULL;
    memset(r, 0, sizeof(*r));
    r->fd = -1;
    strcpy(r->daemon, unknown);
    pid_text(r->pid, sizeof(r->pid), current_pid());
    r->client->request = r;
    r->server->request = r;
    va_start(ap, r);
    request_fill(r, ap);
    va_end(ap);
    return r;
}

/* Updates the request from a key/value list. */
LIBWRAP_API struct request_info *request_set(struct request_info *r, ...)
{
    va_list ap;

    if (r == NULL)
        return NULL;
    va_start(ap, r);
    request_fill(r, ap);
    va_end(ap);
    return r;
}

/* The lookup failure a method reported last in this thread: the field
 * it could not fill, and why.  Written and read around one method call
 * (request_hostname(), request_user()), so it never outlives it. */
static _Thread_local struct {
    const char *field;
    int err;
} failure;

void request_lookup_failed(const char *field, int err)
{
    failure.field = field;
    failure.err = err;
}

/* The failure reported for field since the last call, or 0; forgets it. */
static int take_failure(const char *field)
{
    int err = failure.field == field && field != NULL ? failure.err : 0;

    failure.field = NULL;
    failure.err = 0;
    return err;
}

int request_hostname(struct host_info *h, const char **name)
{
    int err;

    if (h->name[0] != '\0') {
        *name = h->name;
        return 0;
    }
    (void)take_failure(NULL);
    *name = eval_hostname(h);
    if ((err = take_failure(h->name)) == 0)
        return 0;
    h->name[0] = '\0';
    errno = err;
    diag_warn("cannot look up the name of %s: %m", eval_hostaddr(h));
    errno = err;
    return err;
}

int request_user(struct request_info *r, const char **user)
{
    int err;

    if (r->user[0] != '\0') {
        *user = r->user;
        return 0;
    }
    (void)take_failure(NULL);
    *user = eval_user(r);
    if ((err = take_failure(r->user)) == 0)
        return 0;
    r->user[0] = '\0';
    errno = err;
    return err;
}

/* The client's user name, asking its ident server once if need be. */
LIBWRAP_API char *eval_user(struct request_info *r)
{
    if (r == NULL)
        return unknown;
    if (r->user[0] == '\0') {
        strcpy(r->user, unknown);
        if (r->sink == NULL && r->client->sin != NULL &&
            r->server->sin != NULL)
            rfc931(r->client->sin, r->server->sin, r->user);
    }
    return r->user;
}

/* The endpoint's host name, looked up once. */
LIBWRAP_API char *eval_hostname(struct host_info *host)
{
    if (host == NULL)
        return unknown;
    if (host->name[0] == '\0') {
        strcpy(host->name, unknown);
        if (host->request != NULL && host->request->hostname != NULL)
            host->request->hostname(host);
    }
    return host->name;
}

/* The endpoint's address text, looked up once. */
LIBWRAP_API char *eval_hostaddr(struct host_info *host)
{
    if (host == NULL)
        return unknown;
    if (host->addr[0] == '\0') {
        strcpy(host->addr, unknown);
        if (host->request != NULL && host->request->hostaddr != NULL)
            host->request->hostaddr(host);
    }
    return host->addr;
}

/* A known name if one was already looked up, else the address. */
LIBWRAP_API char *eval_hostinfo(struct host_info *host)
{
    if (host == NULL)
        return unknown;
    if (host->name[0] != '\0' && HOSTNAME_KNOWN(host->name))
        return host->name;
    return eval_hostaddr(host);
}

/* Per-thread results of eval_client(), eval_server() and eval_port();
 * Debian's are process-wide statics (compat-policy D7). */
static _Thread_local char client_text[2 * STRING_LENGTH];
static _Thread_local char server_text[2 * STRING_LENGTH];
static _Thread_local char port_text[sizeof("65535")];

/* "user@host" when the user is known, else the host. */
LIBWRAP_API char *eval_client(struct request_info *r)
{
    const char *host;

    if (r == NULL)
        return unknown;
    host = eval_hostinfo(r->client);
    if (r->user[0] != '\0' && strcasecmp(r->user, unknown) != 0)
        snprintf(client_text, sizeof(client_text), "%s@%s", r->user, host);
    else
        snprintf(client_text, sizeof(client_text), "%s", host);
    return client_text;
}

/* "daemon@host" when the server host is known, else the daemon. */
LIBWRAP_API char *eval_server(struct request_info *r)
{
    const char *host;

    if (r == NULL)
        return unknown;
    host = eval_hostinfo(r->server);
    if (strcasecmp(host, unknown) != 0)
        snprintf(server_text, sizeof(server_text), "%s@%s", r->daemon, host);
    else
        snprintf(server_text, sizeof(server_text), "%s", r->daemon);
    return server_text;
}

/* The port of a socket address in decimal; "0" without one. */
LIBWRAP_API char *eval_port(struct sockaddr *sa)
{
    const unsigned char *p = (const unsigned char *)sa;

    /* sin_port and sin6_port share an offset. */
    snprintf(port_text, sizeof(port_text), "%u",
             sa != NULL ? (unsigned)(p[2] << 8 | p[3]) : 0u);
    return port_text;
}
