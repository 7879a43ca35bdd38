/*
 * toolkit.c - checks shared by tcpdmatch and tcpdchk (see toolkit.h).
 *
 * The inetd.conf reader follows what Debian's tools report: for a
 * service run through tcpd it checks tcpd itself and the real daemon
 * (absolute, or found in REAL_DAEMON_DIR); for any other program it
 * checks the program, and counts the service as wrapped when the
 * daemon named by argv[0] exists in REAL_DAEMON_DIR under a different
 * program (a wrapper placed in front of it).
 */
#include "toolkit.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "dropin.h"
#include "strbuf.h"
#include "table.h"
#include "tcpd.h"

/* The part of path after its last '/'. */
const char *tool_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash != NULL ? slash + 1 : path;
}

/* Warns when REAL_DAEMON_DIR is missing or not a directory. */
void tool_check_daemon_dir(void)
{
    struct stat st;

    if (tool_check_path(REAL_DAEMON_DIR, &st) < 0)
        tcpd_warn("REAL_DAEMON_DIR %s: %m", REAL_DAEMON_DIR);
    else if (!S_ISDIR(st.st_mode))
        tcpd_warn("REAL_DAEMON_DIR %s is not a directory", REAL_DAEMON_DIR);
}

/* stat()s path and warns about world-writable path components. */
int tool_check_path(const char *path, struct stat *st)
{
    struct stat own, parent;
    struct strbuf dir = STRBUF_INIT;
    char *slash;

    if (st == NULL)
        st = &own;
    if (stat(path, st) < 0)
        return -1;
    if (st->st_mode & S_IWOTH)
        tcpd_warn("%s: world writable", path);
    /* Then every directory above it, nearest first. */
    sb_puts(&dir, path);
    while (!sb_failed(&dir) && (slash = strrchr(dir.data, '/')) != NULL) {
        if (slash == dir.data) {
            if (dir.data[1] == '\0')
                break;
            slash[1] = '\0';
        } else {
            *slash = '\0';
        }
        dir.len = strlen(dir.data);
        if (stat(dir.data, &parent) == 0 && (parent.st_mode & S_IWOTH))
            tcpd_warn("%s: world writable", dir.data);
    }
    sb_free(&dir);
    return 0;
}

/* Warns about a world-writable drop-in directory or fragment. */
void tool_check_dropin(const char *table)
{
    struct dropin *d = NULL;
    struct stat st;
    char *dir = dropin_dir(table);
    size_t i;

    if (dir != NULL && stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
        (st.st_mode & S_IWOTH))
        tcpd_warn("%s: world writable", dir);
    free(dir);
    if (dropin_list(table, &d, NULL, NULL) != TABLE_OK)
        return; /* the reader reports it */
    for (i = 0; i < dropin_count(d); i++) {
        if (stat(dropin_path(d, i), &st) == 0 && (st.st_mode & S_IWOTH))
            tcpd_warn("%s: world writable", dropin_path(d, i));
    }
    dropin_put(d);
}

/* Number of entries in a lookup result. */
int tool_count_addrs(const struct addrinfo *res)
{
    int n = 0;

    for (; res != NULL; res = res->ai_next)
        n++;
    return n;
}

/* True when host is a numeric address in the resolver's own reading
 * (which, like inet_aton(), takes "1.2.3" and "2001"). */
static bool is_numeric(const char *host)
{
    struct addrinfo hints, *res;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return false;
    freeaddrinfo(res);
    return true;
}

/* Looks host up with Debian's warnings (toolkit.h). */
struct addrinfo *tool_find_addrs(const char *host)
{
    struct addrinfo hints, *res, *ai;
    char addr[NI_MAXHOST], name[NI_MAXHOST];

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_CANONNAME;
    if (getaddrinfo(host, NULL, &hints, &res) != 0) {
        tcpd_warn("%s: host not found", host);
        return NULL;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) {
            tcpd_warn("%d: not an internet host", ai->ai_family);
            freeaddrinfo(res);
            return NULL;
        }
    }
    if (is_numeric(host)) {
        if (getnameinfo(res->ai_addr, res->ai_addrlen, name, sizeof(name),
                        NULL, 0, NI_NAMEREQD) != 0) {
            if (getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof(addr),
                            NULL, 0, NI_NUMERICHOST) != 0)
                snprintf(addr, sizeof(addr), "%s", host);
            tcpd_warn("host address %s->name lookup failed", addr);
        }
    } else if (res->ai_canonname == NULL) {
        tcpd_warn("%s: hostname alias", host);
        tcpd_warn("(cannot obtain official name)");
    } else if (strcasecmp(host, res->ai_canonname) != 0) {
        tcpd_warn("%s: hostname alias", host);
        tcpd_warn("(official name: %s)", res->ai_canonname);
    }
    return res;
}

/* What the inetd configuration said, name by name; the last word wins. */
struct wrap_entry {
    char *name;
    enum wrap_status status;
};
static struct wrap_entry *wrap_table;
static size_t wrap_count, wrap_cap;

/* The services of the last inetd.conf read. */
static struct inetcf_service *services;
static size_t service_count, service_cap;

/* Records what inetd.conf says about a process name. */
void inetcf_set(const char *name, enum wrap_status status)
{
    size_t i;

    for (i = 0; i < wrap_count; i++) {
        if (strcmp(wrap_table[i].name, name) == 0) {
            wrap_table[i].status = status;
            return;
        }
    }
    if (wrap_count == wrap_cap) {
        struct wrap_entry *t =
            array_grow(wrap_table, &wrap_cap, sizeof(*t), 32);
        if (t == NULL)
            return;
        wrap_table = t;
    }
    if ((wrap_table[wrap_count].name = strdup(name)) == NULL)
        return;
    wrap_table[wrap_count++].status = status;
}

/* What inetd.conf said last about a process name. */
enum wrap_status inetcf_get(const char *name)
{
    size_t i;

    for (i = 0; i < wrap_count; i++) {
        if (strcmp(wrap_table[i].name, name) == 0)
            return wrap_table[i].status;
    }
    return WRAP_UNKNOWN;
}

/* Calls fn for each service of the last inetd.conf read. */
void inetcf_each(void (*fn)(const struct inetcf_service *, void *), void *arg)
{
    size_t i;

    for (i = 0; i < service_count; i++)
        fn(&services[i], arg);
}

/* Keeps one service line for tcpdchk -l. */
static void remember_service(const char *service, const char *protocol,
                             const char *path, const char *daemon,
                             bool via_tcpd)
{
    struct inetcf_service *s;

    if (service_count == service_cap) {
        struct inetcf_service *t =
            array_grow(services, &service_cap, sizeof(*t), 16);
        if (t == NULL)
            return;
        services = t;
    }
    s = &services[service_count];
    s->service = strdup(service);
    s->protocol = strdup(protocol);
    s->path = strdup(path);
    s->daemon = strdup(daemon);
    s->via_tcpd = via_tcpd;
    if (s->service != NULL && s->protocol != NULL && s->path != NULL &&
        s->daemon != NULL)
        service_count++;
}

/* Checks a program that must exist and be executable. */
static bool check_program(const char *path, struct stat *st)
{
    if (tool_check_path(path, st) < 0) {
        tcpd_warn("%s: not found: %m", path);
        return false;
    }
    if ((st->st_mode & S_IXUSR) == 0)
        tcpd_warn("%s: not executable", path);
    return true;
}

/* Looks for name in REAL_DAEMON_DIR; true when it exists. */
static bool find_real_daemon(const char *name, bool complain)
{
    struct strbuf path = STRBUF_INIT;
    struct stat st;
    bool found = false;

    if (sb_printf(&path, "%s/%s", REAL_DAEMON_DIR, name)) {
        if (tool_check_path(sb_str(&path), &st) == 0) {
            found = true;
            if ((st.st_mode & S_IXUSR) == 0)
                tcpd_warn("%s: not executable", sb_str(&path));
        } else if (complain) {
            tcpd_warn("%s: not found in %s: %m", name, REAL_DAEMON_DIR);
        } else if (errno != ENOENT) {
            tcpd_warn("%s: file lookup: %m", sb_str(&path));
        }
    }
    sb_free(&path);
    return found;
}

/* Checks one service line: protocol, program, argv[0]. */
static void check_service(const char *service, const char *protocol,
                          const char *path, const char *arg0)
{
    const char *name = tool_basename(arg0);
    struct stat st;
    enum wrap_status status;

    if (strcmp(name, "rexd") == 0 || strcmp(name, "rpc.rexd") == 0)
        tcpd_warn("%s may be an insecure service", name);
    if (strcmp(tool_basename(path), "tcpd") == 0) {
        if (strcmp(name, "tcpd") == 0)
            tcpd_warn("%s is recursively calling itself", name);
        if (check_program(path, &st) && (st.st_mode & (S_ISUID | S_ISGID)))
            tcpd_warn("%s: file is set-uid or set-gid", path);
        if (arg0[0] == '/')
            check_program(arg0, &st);
        else
            find_real_daemon(arg0, true);
        if (strcmp(protocol, "rpc/tcp") == 0)
            tcpd_warn("%s: cannot wrap rpc/tcp services", name);
        status = WRAP_YES;
    } else {
        check_program(path, &st);
        /* A program other than the daemon itself may be a wrapper in
         * front of the daemon that REAL_DAEMON_DIR holds. */
        status = strcmp(tool_basename(path), arg0) != 0 &&
                         find_real_daemon(arg0, false)
                     ? WRAP_YES
                     : WRAP_NO;
    }
    inetcf_set(name, status);
    remember_service(service, protocol, path, name, status == WRAP_YES);
}

/* True when s is made only of characters in set (and is not empty). */
static bool all_of(const char *s, const char *set)
{
    return *s != '\0' && s[strspn(s, set)] == '\0';
}

/* Reads and checks an inetd.conf (toolkit.h). */
const char *inetcf_read(const char *path)
{
    static const char separators[] = " ,\t\r\n";
    struct table_text text;
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT, copy = STRBUF_INIT;
    const char *conf = path != NULL ? path : DEFAULT_INETCF;
    char *service, *protocol, *prog, *arg0, *save;
    int i;

    switch (table_read(conf, &text)) {
    case TABLE_OK:
        break;
    case TABLE_MISSING:
    case TABLE_UNREADABLE:
    case TABLE_ERROR:
        if (path == NULL)
            return NULL;
        fprintf(stderr, "open %s: %s\n", conf, strerror(errno));
        exit(1);
    }
    tcpd_context.file = (char *)conf;
    line_iter_init(&it, &text);
    while (line_iter_next(&it, &scratch, &line)) {
        tcpd_context.line = line.lineno;
        sb_reset(&copy);
        if (!sb_append(&copy, line.text, line.len))
            break;
        service = strtok_r(copy.data, separators, &save);
        if (service == NULL || service[0] == '#')
            continue;
        protocol = NULL;
        prog = service;
        /* socket type, protocol, wait, user, program */
        for (i = 0; i < 5 && prog != NULL; i++) {
            prog = strtok_r(NULL, separators, &save);
            if (i == 1)
                protocol = prog;
        }
        if (prog == NULL || strcmp(prog, "internal") == 0)
            continue;
        /* Some inetd flavours put a number before the program or before
         * its argv[0]; Debian's reader skips one. */
        if (all_of(prog, "-0123456789"))
            prog = strtok_r(NULL, separators, &save);
        arg0 = prog != NULL ? strtok_r(NULL, separators, &save) : NULL;
        if (arg0 != NULL && all_of(arg0, "0123456789"))
            arg0 = strtok_r(NULL, separators, &save);
        if (arg0 == NULL) {
            tcpd_warn("incomplete line");
            continue;
        }
        check_service(service, protocol, prog, arg0);
    }
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
    sb_free(&scratch);
    sb_free(&copy);
    table_text_free(&text);
    return conf;
}
