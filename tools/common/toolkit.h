/*
 * toolkit.h - what tcpdmatch and tcpdchk share: the real daemon
 * directory, world-writable path checks, host lookups with Debian's
 * warnings, and the inetd.conf reader that tells which daemons run
 * through tcpd.
 *
 * Every warning goes through tcpd_warn(), so it carries the current
 * tcpd_context location exactly as the Debian tools' warnings do.
 */
#ifndef TOOLS_TOOLKIT_H
#define TOOLS_TOOLKIT_H

#include <netdb.h>
#include <stdbool.h>
#include <sys/stat.h>

/* Where tcpd looks for daemons named without a path (Debian: /usr/sbin). */
#define REAL_DAEMON_DIR "/usr/sbin"
/* The inetd configuration read when no -i is given. */
#define DEFAULT_INETCF "/etc/inetd.conf"

/* Warns when REAL_DAEMON_DIR is missing or not a directory. */
void tool_check_daemon_dir(void);

/*
 * stat()s path, then warns "<p>: world writable" for the path and each
 * of its parent directories that others may write.  Returns stat()'s
 * result; st may be NULL.
 */
int tool_check_path(const char *path, struct stat *st);

/*
 * The same for table's drop-in directory (dropin.h), when it exists: warns
 * "<p>: world writable" for the directory and for each fragment read
 * (their parents are the table's, which tool_check_path() covered).
 */
void tool_check_dropin(const char *table);

/*
 * Looks host up (any family, one entry per address).  Warns "<h>: host
 * not found" and returns NULL when that fails; warns when a numeric host
 * has no name ("host address <a>->name lookup failed") or when a name is
 * an alias of another ("<h>: hostname alias").  Free with freeaddrinfo().
 */
struct addrinfo *tool_find_addrs(const char *host);
/* Number of entries in a lookup result. */
int tool_count_addrs(const struct addrinfo *res);

/* What the inetd configuration says about a process name. */
enum wrap_status {
    WRAP_UNKNOWN, /* not mentioned */
    WRAP_NO,      /* run directly: the rules may not apply */
    WRAP_YES,     /* run through tcpd (or a wrapper in front of it) */
};

/*
 * Reads an inetd.conf and checks each service it runs.  path NULL reads
 * DEFAULT_INETCF if it exists.  Returns the file read (NULL for none);
 * exits with "open <f>: <error>" on stderr when an explicit file cannot
 * be opened, as Debian's tools do.
 */
const char *inetcf_read(const char *path);
void inetcf_set(const char *name, enum wrap_status status);
enum wrap_status inetcf_get(const char *name);
/* One inetd.conf service, for tcpdchk's listening-socket report. */
struct inetcf_service {
    const char *service;  /* service name or port, as written */
    const char *protocol; /* tcp, udp, tcp6, ... */
    const char *path;     /* the program inetd runs */
    const char *daemon;   /* process name the rules see */
    bool via_tcpd;
};
/* Calls fn for each service of the last file read. */
void inetcf_each(void (*fn)(const struct inetcf_service *, void *), void *arg);

/* The part of a path after its last '/'. */
const char *tool_basename(const char *path);

#endif
