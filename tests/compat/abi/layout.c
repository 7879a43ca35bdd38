/*
 * layout.c - prints what a program compiled against a tcpd.h sees: the
 * size and alignment of its structures, every field's offset and size,
 * the constants, and what the helper macros evaluate to.
 *
 * Built four times (Debian's /usr/include/tcpd.h and ours, each with and
 * without INET6); abi.sh requires the four outputs to be identical.  The
 * output names the header's include guard, so that a build that picked
 * up the wrong header cannot pass unnoticed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <tcpd.h>

#define FIELD(type, field)                                                    \
    printf("%s.%s offset %zu size %zu\n", #type, #field,                      \
           offsetof(struct type, field), sizeof(((struct type *)0)->field))
#define STRUCT(type)                                                          \
    printf("%s size %zu align %zu\n", #type, sizeof(struct type),             \
           _Alignof(struct type))
#define CONSTANT(name) printf("%s = %ld\n", #name, (long)(name))

/* Does the macro name a function, as it should? */
static void (*fromhost_is)(struct request_info *) = fromhost;

/* Prints the layouts, constants and macro values. */
int main(void)
{
    struct request_info r;
    struct host_info h;
    char buf[16];

#ifdef _TCPWRAPPERS_TCPD_H
    printf("include guard _TCPWRAPPERS_TCPD_H\n");
#endif
    STRUCT(host_info);
    FIELD(host_info, name);
    FIELD(host_info, addr);
    FIELD(host_info, sin);
    FIELD(host_info, unit);
    FIELD(host_info, request);
    STRUCT(request_info);
    FIELD(request_info, fd);
    FIELD(request_info, user);
    FIELD(request_info, daemon);
    FIELD(request_info, pid);
    FIELD(request_info, client);
    FIELD(request_info, server);
    FIELD(request_info, sink);
    FIELD(request_info, hostname);
    FIELD(request_info, hostaddr);
    FIELD(request_info, cleanup);
    FIELD(request_info, config);
    STRUCT(tcpd_context);
    FIELD(tcpd_context, file);
    FIELD(tcpd_context, line);
    CONSTANT(STRING_LENGTH);
    CONSTANT(RQ_FILE);
    CONSTANT(RQ_DAEMON);
    CONSTANT(RQ_USER);
    CONSTANT(RQ_CLIENT_NAME);
    CONSTANT(RQ_CLIENT_ADDR);
    CONSTANT(RQ_CLIENT_SIN);
    CONSTANT(RQ_SERVER_NAME);
    CONSTANT(RQ_SERVER_ADDR);
    CONSTANT(RQ_SERVER_SIN);
    CONSTANT(AC_PERMIT);
    CONSTANT(AC_DENY);
    CONSTANT(AC_ERROR);
    printf("STRING_UNKNOWN = \"%s\"\n", STRING_UNKNOWN);
    printf("STRING_PARANOID = \"%s\"\n", STRING_PARANOID);

    /* The helper macros, evaluated (no library call is made). */
    memset(&r, 0, sizeof(r));
    memset(&h, 0, sizeof(h));
    snprintf(r.daemon, sizeof(r.daemon), "sshd");
    snprintf(r.pid, sizeof(r.pid), "42");
    printf("eval_daemon %s eval_pid %s\n", eval_daemon(&r), eval_pid(&r));
    sock_methods(&r);
    printf("sock_methods %d %d\n", r.hostname == sock_hostname,
           r.hostaddr == sock_hostaddr);
    printf("fromhost %d\n", fromhost_is == sock_host);
    STRN_CPY(buf, "abcdefghijklmnopqrstuvwxyz", sizeof(buf));
    printf("STRN_CPY %s\n", buf);
    printf("STRN_EQ %d STRN_NE %d STR_EQ %d STR_NE %d\n",
           STRN_EQ("ABCx", "abcy", 3), STRN_NE("abc", "abd", 3),
           STR_EQ("Sshd", "sSHD"), STR_NE("a", "A"));
    printf("HOSTNAME_KNOWN %d %d %d %d\n", HOSTNAME_KNOWN("host"),
           HOSTNAME_KNOWN("UNKNOWN"), HOSTNAME_KNOWN("paranoid"),
           HOSTNAME_KNOWN(""));
    printf("NOT_INADDR %d %d %d\n", NOT_INADDR("10.0.0.1"),
           NOT_INADDR("10.0.0.0/8"), NOT_INADDR("host"));
    return 0;
}
