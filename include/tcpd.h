/*
 * tcpd.h - public interface of libwrap, the TCP wrappers host access
 * control library.
 *
 * This header describes the binary interface of libwrap.so.0 exactly as
 * Debian's libwrap0 (7.6.q) ships it: structure layouts, constants, the
 * exported functions and data, and the traditional helper macros.  Code
 * written for the classic header compiles unchanged against this one, in C
 * and in C++.  Define INET6 before including it to get the IPv6-capable
 * prototypes (struct sockaddr instead of struct sockaddr_in); the layout of
 * every structure is the same either way.
 */
#ifndef _TCPWRAPPERS_TCPD_H
#define _TCPWRAPPERS_TCPD_H

#include <netinet/in.h>
#include <stdio.h>

#ifndef __BEGIN_DECLS
#ifdef __cplusplus
#define __BEGIN_DECLS extern "C" {
#define __END_DECLS   }
#else
#define __BEGIN_DECLS
#define __END_DECLS
#endif
#endif

__BEGIN_DECLS

/* Capacity, including the terminating NUL, of every string in a request. */
#define STRING_LENGTH 128

/* One end of a connection; name and addr cache lookup results. */
struct host_info {
    char name[STRING_LENGTH]; /* read with eval_hostname() */
    char addr[STRING_LENGTH]; /* read with eval_hostaddr() */
#ifdef INET6
    struct sockaddr *sin; /* socket address, or a null pointer */
#else
    struct sockaddr_in *sin; /* socket address, or a null pointer */
#endif
    struct t_unitdata *unit;      /* unused on this platform */
    struct request_info *request; /* the request this endpoint belongs to */
};

/* Everything known about one connection request. */
struct request_info {
    int fd;                                 /* client socket, or -1 */
    char user[STRING_LENGTH];               /* read with eval_user() */
    char daemon[STRING_LENGTH];             /* read with eval_daemon() */
    char pid[10];                           /* read with eval_pid() */
    struct host_info client[1];             /* the remote end */
    struct host_info server[1];             /* the local end */
    void (*sink)(int);                      /* discards a datagram, or 0 */
    void (*hostname)(struct host_info *);   /* fills in host->name */
    void (*hostaddr)(struct host_info *);   /* fills in host->addr */
    void (*cleanup)(struct request_info *); /* called before exit, or 0 */
    struct netconfig *config;               /* unused on this platform */
};

/* Bounded string copy that always terminates; l is the buffer size. */
#define STRN_CPY(d, s, l)                                                     \
    {                                                                         \
        strncpy((d), (s), (l));                                               \
        (d)[(l)-1] = 0;                                                       \
    }
/* Case-insensitive comparisons used throughout the rule language. */
#define STRN_EQ(x, y, l) (strncasecmp((x), (y), (l)) == 0)
#define STRN_NE(x, y, l) (strncasecmp((x), (y), (l)) != 0)
#define STR_EQ(x, y)     (strcasecmp((x), (y)) == 0)
#define STR_NE(x, y)     (strcasecmp((x), (y)) != 0)

/* The placeholder names a failed or contradictory lookup produces. */
#define STRING_UNKNOWN  "unknown"
#define STRING_PARANOID "paranoid"
extern char unknown[];
extern char paranoid[];

/* True when a host name is a real name rather than a placeholder. */
#define HOSTNAME_KNOWN(s) (STR_NE((s), unknown) && STR_NE((s), paranoid))
/* True when s holds a character that cannot occur in a dotted address. */
#define NOT_INADDR(s) (s[strspn(s, "01234567890./")] != 0)

/* Fills in the client and server endpoints of a socket request. */
#define fromhost sock_host

/* Access control: 1 grants, 0 denies. */
extern int hosts_access(struct request_info *request);
/* Runs a shell command in a child process and waits for it. */
extern void shell_cmd(char *);
/* Expands %-sequences of a rule into result (len bytes), shell-safe. */
extern char *percent_x(char *, int, char *, struct request_info *);
/* Asks the client's ident (RFC 931) server for the user name. */
#ifdef INET6
extern void rfc931(struct sockaddr *, struct sockaddr *, char *);
#else
extern void rfc931(struct sockaddr_in *, struct sockaddr_in *, char *);
#endif
/* Discards pending input, pauses, and ends the process. */
extern void clean_exit(struct request_info *);
/* Logs a refused connection and calls clean_exit(). */
extern void refuse(struct request_info *);
/* Reads one logical (continued) line of a table. */
extern char *xgets(char *, int, FILE *);
/* Splits a string at the first c outside brackets. */
extern char *split_at(char *, int);
/* Converts a dotted quad; INADDR_NONE when it is not one. */
extern unsigned long dot_quad_addr(char *);

#ifdef HAVE_WEAKSYMS
extern int allow_severity __attribute__((weak)); /* log priority, granted */
extern int deny_severity __attribute__((weak));  /* log priority, refused */
#else
extern int allow_severity; /* log priority, granted */
extern int deny_severity;  /* log priority, refused */
#endif

extern char *hosts_allow_table;  /* path of the allow table */
extern char *hosts_deny_table;   /* path of the deny table */
extern int hosts_access_verbose; /* 1 logs options, 2 also matched rules */
extern int rfc931_timeout;       /* ident timeout in seconds */
extern int resident;             /* > 0 once a process decided twice */

/* Creates or updates a request from a 0-terminated key/value list. */
extern struct request_info *request_init(struct request_info *, ...);
extern struct request_info *request_set(struct request_info *, ...);
/* Decides a request given by daemon, client name, address and user. */
extern int hosts_ctl(char *daemon, char *client_name, char *client_addr,
                     char *client_user);

/* Keys of request_init() and request_set(). */
#define RQ_FILE        1 /* int: file descriptor of the client socket */
#define RQ_DAEMON      2 /* char *: daemon process name */
#define RQ_USER        3 /* char *: client user name */
#define RQ_CLIENT_NAME 4 /* char *: client host name */
#define RQ_CLIENT_ADDR 5 /* char *: client address text */
#define RQ_CLIENT_SIN  6 /* struct sockaddr *: client socket address */
#define RQ_SERVER_NAME 7 /* char *: server host name */
#define RQ_SERVER_ADDR 8 /* char *: server address text */
#define RQ_SERVER_SIN  9 /* struct sockaddr *: server socket address */

/* Lazy accessors: each looks the value up once and caches it. */
extern char *eval_user(struct request_info *);
extern char *eval_hostname(struct host_info *);
extern char *eval_hostaddr(struct host_info *);
extern char *eval_hostinfo(struct host_info *);
extern char *eval_client(struct request_info *);
extern char *eval_server(struct request_info *);
#ifdef INET6
extern char *eval_port(struct sockaddr *);
#else
extern char *eval_port(struct sockaddr_in *);
#endif
#define eval_daemon(r) ((r)->daemon)
#define eval_pid(r)    ((r)->pid)

/* Socket methods: endpoint addresses and verified host names. */
extern void sock_host(struct request_info *);
extern void sock_hostname(struct host_info *);
extern void sock_hostaddr(struct host_info *);
#define sock_methods(r)                                                       \
    {                                                                         \
        (r)->hostname = sock_hostname;                                        \
        (r)->hostaddr = sock_hostaddr;                                        \
    }

/*
 * Diagnostics: "warning: " or "error: ", then "file, line n: " when
 * tcpd_context.file is set, then the message, logged at LOG_ERR.
 * tcpd_jump() then long-jumps to tcpd_buf, a jmp_buf exported by the
 * library and deliberately not declared here (it would need <setjmp.h>).
 */
extern void tcpd_warn(char *, ...);
extern void tcpd_jump(char *, ...);

struct tcpd_context {
    char *file; /* table being read, or a null pointer */
    int line;   /* line number in that table */
};
extern struct tcpd_context tcpd_context;

/* Values long-jumped to tcpd_buf; 0 is taken by setjmp() itself. */
#define AC_PERMIT 1
#define AC_DENY   (-1)
#define AC_ERROR  AC_DENY

/* Runs the option field of a matched rule; jumps to tcpd_buf on a verdict. */
extern void process_options(char *, struct request_info *);
extern int dry_run; /* nonzero: check options without side effects */

__END_DECLS

#endif /* _TCPWRAPPERS_TCPD_H */
