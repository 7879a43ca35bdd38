/*
 * ports.c - tcpdchk -l: which listening sockets do the rules protect?
 *
 * Reads this host's listening TCP sockets and bound UDP sockets from
 * /proc/net/{tcp,tcp6,udp,udp6}, finds the process behind each (the
 * owner of the socket inode among /proc/<pid>/fd), and tells whether
 * the rules apply to it: the process has libwrap.so mapped (a daemon
 * linked with the library, or xinetd), or it is an inetd whose
 * inetd.conf runs that service through tcpd.  For a protected socket
 * it prints the daemon name the rules must use and the rules whose
 * daemon list names it (by name, wildcard, ALL or port number).
 * Processes of other users may be hidden from a non-root caller.
 * Program and daemon names are whatever a local user called a file, so
 * text mode escapes them (text_escape()); -j prints them as JSON strings.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lex.h"
#include "pattern.h"
#include "strbuf.h"
#include "tcpdchk.h"
#include "toolkit.h"

struct sock {
    const char *proto; /* tcp, tcp6, udp, udp6 */
    char addr[INET6_ADDRSTRLEN];
    unsigned port;
    unsigned long inode;
    int pid; /* 0: not found */
    char program[256];
    bool libwrap;
};

/* The sockets found so far, a growing array (array_grow()). */
struct sock_list {
    struct sock *items;
    size_t count, cap;
};

/* Converts /proc/net's hex address (host byte order words). */
static bool proc_addr(const char *hex, bool v6, char *out, size_t size)
{
    unsigned char bytes[16];
    size_t i, n = v6 ? 16 : 4;

    if (strlen(hex) != n * 2)
        return false;
    for (i = 0; i < n / 4; i++) {
        unsigned long w;
        char word[9];
        memcpy(word, hex + i * 8, 8);
        word[8] = '\0';
        w = strtoul(word, NULL, 16);
        /* Each 32-bit word is printed in the host's (little) order. */
        bytes[i * 4 + 0] = (unsigned char)(w & 0xff);
        bytes[i * 4 + 1] = (unsigned char)((w >> 8) & 0xff);
        bytes[i * 4 + 2] = (unsigned char)((w >> 16) & 0xff);
        bytes[i * 4 + 3] = (unsigned char)((w >> 24) & 0xff);
    }
    return inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, out, (socklen_t)size) !=
           NULL;
}

/* Appends the listening sockets of one /proc/net table. */
static void read_table(const char *proto, struct sock_list *socks)
{
    char path[64], line[512], local[64], remote[64];
    bool v6 = strchr(proto, '6') != NULL, udp = proto[0] == 'u';
    unsigned state;
    unsigned long inode;
    FILE *fp;

    snprintf(path, sizeof(path), "/proc/net/%s", proto);
    if ((fp = fopen(path, "re")) == NULL)
        return;
    while (fgets(line, sizeof(line), fp) != NULL) {
        char *colon;
        struct sock *s;

        if (sscanf(line, " %*s %63s %63s %x %*s %*s %*s %*s %*s %lu", local,
                   remote, &state, &inode) != 4)
            continue;
        /* TCP: LISTEN; UDP: unconnected (no remote port). */
        if (udp ? state != 7 || strstr(remote, ":0000") == NULL
                : state != 0x0a)
            continue;
        if ((colon = strchr(local, ':')) == NULL)
            continue;
        *colon = '\0';
        if (socks->count == socks->cap) {
            struct sock *grown =
                array_grow(socks->items, &socks->cap, sizeof(*s), 32);
            if (grown == NULL)
                break;
            socks->items = grown;
        }
        s = &socks->items[socks->count];
        memset(s, 0, sizeof(*s));
        s->proto = proto;
        if (!proc_addr(local, v6, s->addr, sizeof(s->addr)))
            continue;
        s->port = (unsigned)strtoul(colon + 1, NULL, 16);
        s->inode = inode;
        socks->count++;
    }
    fclose(fp);
}

/* True when the process has libwrap.so mapped. */
static bool maps_libwrap(int pid)
{
    char path[64], line[1024];
    bool found = false;
    FILE *fp;

    snprintf(path, sizeof(path), "/proc/%d/maps", pid);
    if ((fp = fopen(path, "re")) == NULL)
        return false;
    while (!found && fgets(line, sizeof(line), fp) != NULL)
        found = strstr(line, "/libwrap.so") != NULL;
    fclose(fp);
    return found;
}

/* The program name of a process: its executable's base name. */
static void program_of(int pid, char *out, size_t size)
{
    char path[64], exe[4096];
    ssize_t n;
    FILE *fp;

    snprintf(path, sizeof(path), "/proc/%d/exe", pid);
    if ((n = readlink(path, exe, sizeof(exe) - 1)) > 0) {
        exe[n] = '\0';
        if (strstr(exe, " (deleted)") != NULL)
            *strstr(exe, " (deleted)") = '\0';
        snprintf(out, size, "%s", tool_basename(exe));
        return;
    }
    snprintf(path, sizeof(path), "/proc/%d/comm", pid);
    if ((fp = fopen(path, "re")) != NULL) {
        if (fgets(out, (int)size, fp) != NULL)
            out[strcspn(out, "\n")] = '\0';
        fclose(fp);
    }
}

/* Finds the process owning each socket inode. */
static void find_owners(struct sock *socks, size_t count)
{
    DIR *proc = opendir("/proc"), *fds;
    struct dirent *p, *f;
    char path[300], link[64];
    size_t i;

    if (proc == NULL)
        return;
    while ((p = readdir(proc)) != NULL) {
        int pid = atoi(p->d_name);
        if (pid <= 0)
            continue;
        snprintf(path, sizeof(path), "/proc/%d/fd", pid);
        if ((fds = opendir(path)) == NULL)
            continue;
        while ((f = readdir(fds)) != NULL) {
            unsigned long inode;
            ssize_t n;
            snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, f->d_name);
            if ((n = readlink(path, link, sizeof(link) - 1)) <= 0)
                continue;
            link[n] = '\0';
            if (sscanf(link, "socket:[%lu]", &inode) != 1)
                continue;
            for (i = 0; i < count; i++) {
                if (socks[i].inode == inode && socks[i].pid == 0) {
                    socks[i].pid = pid;
                    program_of(pid, socks[i].program,
                               sizeof(socks[i].program));
                    socks[i].libwrap = maps_libwrap(pid);
                }
            }
        }
        closedir(fds);
    }
    closedir(proc);
}

/* What inetd.conf says about one port: set by a walk over services. */
struct inetd_lookup {
    const struct sock *sock;
    const struct inetcf_service *found;
};

/* Remembers the inetd.conf service that listens on the port asked for. */
static void match_service(const struct inetcf_service *svc, void *arg)
{
    struct inetd_lookup *l = arg;
    const char *name = strrchr(svc->service, ':');
    const char *proto = l->sock->proto[0] == 't' ? "tcp" : "udp";
    struct servent *se;
    char *end;
    unsigned long port;

    name = name != NULL ? name + 1 : svc->service;
    if (strncmp(svc->protocol, proto, 3) != 0)
        return;
    port = strtoul(name, &end, 10);
    if (*end != '\0') {
        if ((se = getservbyname(name, proto)) == NULL)
            return;
        port = ntohs((uint16_t)se->s_port);
    }
    if (port == l->sock->port)
        l->found = svc;
}

/* True when one daemon pattern names the service. */
static bool daemon_item_matches(const char *item, const char *daemon,
                                const struct sock *s)
{
    struct strbuf name = STRBUF_INIT;
    const char *at = pattern_find_at(item, strlen(item));
    bool hit;
    char *end;
    unsigned long port;

    sb_append(&name, item, at != NULL ? (size_t)(at - item) : strlen(item));
    port = strtoul(sb_str(&name), &end, 10);
    if (name.len > 0 && *end == '\0' && isdigit((unsigned char)name.data[0]))
        hit = port == s->port;
    else
        hit = strcasecmp(sb_str(&name), "ALL") == 0 ||
              fnmatch(sb_str(&name), daemon, FNM_CASEFOLD) == 0;
    /* daemon@host: the host part must name this address (or ALL). */
    if (hit && at != NULL)
        hit = strcasecmp(at + 1, "ALL") == 0 || strcmp(at + 1, s->addr) == 0 ||
              strcmp(s->addr, "0.0.0.0") == 0 || strcmp(s->addr, "::") == 0;
    sb_free(&name);
    return hit;
}

/* A daemon list with EXCEPT: "a EXCEPT b" names what a names but b not. */
static bool daemon_list_matches(const struct pattern_list *l,
                                const char *daemon, const struct sock *s)
{
    size_t i = 0;
    bool hit = false;

    for (; i < l->count && !lex_is_except(l->items[i], strlen(l->items[i]));
         i++)
        hit = hit || daemon_item_matches(l->items[i], daemon, s);
    if (!hit || i == l->count)
        return hit;
    {
        struct pattern_list rest = {l->items + i + 1, l->count - i - 1};
        return !daemon_list_matches(&rest, daemon, s);
    }
}

/* Orders sockets by protocol, port and address, so that reports of the
 * same host compare line by line (the kernel lists them in hash order). */
static int sock_order(const void *a, const void *b)
{
    const struct sock *x = a, *y = b;
    int c = strcmp(x->proto, y->proto);

    if (c != 0)
        return c;
    if (x->port != y->port)
        return x->port < y->port ? -1 : 1;
    return strcmp(x->addr, y->addr);
}

/* Lists the listening sockets and the rules that apply to each. */
int ports_report(const struct chk_rule *rules, size_t count,
                 const char *inetcf)
{
    static const char *const tables[] = {"tcp", "tcp6", "udp", "udp6"};
    struct sock_list found = {NULL, 0, 0};
    struct sock *socks;
    size_t n, i, r;

    for (i = 0; i < 4; i++)
        read_table(tables[i], &found);
    socks = found.items;
    n = found.count;
    find_owners(socks, n);
    if (n > 1)
        qsort(socks, n, sizeof(*socks), sock_order);
    if (!report_json()) {
        struct strbuf conf = STRBUF_INIT;
        const char *shown = inetcf != NULL ? inetcf : "none";
        text_escape(&conf, shown, strlen(shown));
        printf("\nListening sockets (inetd configuration: %s):\n",
               sb_str(&conf));
        sb_free(&conf);
        printf("%-5s %-28s %-22s %-16s %-14s %s\n", "proto", "address",
               "process", "protected", "daemon name", "rules");
    }
    for (i = 0; i < n; i++) {
        struct sock *s = &socks[i];
        struct inetd_lookup l = {s, NULL};
        const char *how = "no", *daemon = s->program;
        struct strbuf where = STRBUF_INIT, proc = STRBUF_INIT;
        struct strbuf shown = STRBUF_INIT; /* the daemon name, escaped */
        char addr[INET6_ADDRSTRLEN + 8];
        bool inetd = strcmp(s->program, "inetd") == 0 ||
                     strcmp(s->program, "openbsd-inetd") == 0 ||
                     strcmp(s->program, "xinetd") == 0;

        if (inetd) {
            inetcf_each(match_service, &l);
            if (l.found != NULL) {
                daemon = l.found->daemon;
                if (l.found->via_tcpd)
                    how = "tcpd";
            }
        }
        if (s->libwrap && strcmp(how, "no") == 0)
            how = "libwrap";
        if (s->pid == 0) {
            how = "unknown";
            daemon = "?";
        }
        for (r = 0; r < count && strcmp(how, "unknown") != 0; r++) {
            if (daemon_list_matches(&rules[r].rule.daemons, daemon, s))
                sb_printf(&where, "%s%s:%d", where.len > 0 ? " " : "",
                          rules[r].table, rules[r].line);
        }
        snprintf(addr, sizeof(addr),
                 strchr(s->addr, ':') ? "[%s]:%u" : "%s:%u", s->addr, s->port);
        if (s->pid > 0) {
            sb_printf(&proc, "%d/", s->pid);
            text_escape(&proc, s->program, strlen(s->program));
        } else {
            sb_puts(&proc, "-");
        }
        if (report_json()) {
            printf("{\"type\":\"socket\",\"proto\":\"%s\",\"address\":",
                   s->proto);
            json_string(s->addr);
            printf(",\"port\":%u,\"pid\":%d,\"program\":", s->port, s->pid);
            json_string(s->program);
            printf(",\"protected\":\"%s\",\"daemon\":", how);
            json_string(daemon);
            fputs(",\"rules\":", stdout);
            json_string(sb_str(&where));
            fputs("}\n", stdout);
        } else {
            struct strbuf rules_shown = STRBUF_INIT;
            text_escape(&shown, daemon, strlen(daemon));
            text_escape(&rules_shown, sb_str(&where), where.len);
            printf("%-5s %-28s %-22s %-16s %-14s %s\n", s->proto, addr,
                   sb_str(&proc), how, sb_str(&shown),
                   where.len > 0 ? sb_str(&rules_shown) : "-");
            sb_free(&rules_shown);
        }
        sb_free(&where);
        sb_free(&proc);
        sb_free(&shown);
    }
    free(socks);
    return 0;
}
