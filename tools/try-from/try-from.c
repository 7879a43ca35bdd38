/*
 * try-from - shows what the library finds out about the connection on
 * its standard input (try-from(8)).
 *
 * Run it as the command of an inetd service, or through a remote shell
 * ("ssh host /usr/sbin/try-from"): it prints the client and server
 * endpoints with the %-expansions a rule would see.  The ident lookup
 * is real.  Library warnings (such as "can't get client address" on a
 * non-socket) are printed on stdout (compat-policy D11).
 *
 * Exit status: 0.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "tcpd.h"

/* The program's own severities win over the library's weak ones. */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

/* One expansion, as a rule would see it. */
static void show(const char *label, const char *sequence,
                 struct request_info *r)
{
    char buf[BUFSIZ];

    printf("%s (%s): %s\n", label, sequence,
           percent_x(buf, sizeof(buf), (char *)sequence, r));
    fflush(stdout);
}

int main(int argc, char **argv)
{
    struct request_info request;
    const char *slash = strrchr(argv[0], '/');
    char *name = (char *)(slash != NULL ? slash + 1 : argv[0]);

    (void)argc;
    request_init(&request, RQ_DAEMON, name, RQ_FILE, STDIN_FILENO, 0);
    sock_host(&request);

    show("client address ", "%a", &request);
    show("client hostname", "%n", &request);
    show("client username", "%u", &request);
    show("client info    ", "%c", &request);
    show("server address ", "%A", &request);
    show("server hostname", "%N", &request);
    show("server process ", "%d", &request);
    show("server info    ", "%s", &request);
    return 0;
}
