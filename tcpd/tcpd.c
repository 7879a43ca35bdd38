/*
 * tcpd - the access control front end that inetd runs instead of a
 * daemon (tcpd(8)).
 *
 * inetd.conf names tcpd as the program and the real daemon as argv[0]:
 * an absolute argv[0] is executed as given and the rules see its last
 * component; any other argv[0] is looked for in REAL_DAEMON_DIR and the
 * rules see it unchanged (Debian's behaviour page 7.1).  tcpd decides on
 * the connection on fd 0, logs "connect from" at allow_severity and
 * executes the daemon, or logs "refused connect from" at deny_severity
 * and exits after the library's pause (refuse()).  Messages go to syslog
 * with the daemon's name, the pid and facility LOG_DAEMON.
 *
 * Exit status: none on success (the daemon replaces tcpd); 0 after a
 * refusal or a failed exec (clean_exit()); 1 without an argv[0].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "exports.h"
#include "strbuf.h"
#include "tcpd.h"

/* Where daemons named without a path live (Debian: /usr/sbin). */
#define REAL_DAEMON_DIR "/usr/sbin"

/* The program's own severities win over the library's weak ones. */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

int main(int argc, char **argv)
{
    struct request_info request;
    struct strbuf path = STRBUF_INIT;
    const char *name;

    (void)argc;
    /* Daemons expect a sane umask whatever inetd's is. */
    (void)umask(022);

    if (argv[0] == NULL || argv[0][0] == '\0') {
        openlog("tcpd", LOG_PID, LOG_DAEMON);
        syslog(LOG_ERR, "error: no daemon name in argv[0]");
        return 1;
    }
    if (argv[0][0] == '/') {
        sb_puts(&path, argv[0]);
        name = strrchr(argv[0], '/') + 1;
    } else {
        sb_printf(&path, "%s/%s", REAL_DAEMON_DIR, argv[0]);
        name = argv[0];
    }
    if (sb_failed(&path)) {
        openlog("tcpd", LOG_PID, LOG_DAEMON);
        syslog(LOG_ERR, "error: memory allocation failure");
        return 1;
    }

    openlog(name, LOG_PID, LOG_DAEMON);
    request_init(&request, RQ_DAEMON, name, RQ_FILE, 0, 0);
    sock_host(&request);
    fix_options(&request);
    if (!hosts_access(&request))
        refuse(&request);

    syslog(allow_severity, "connect from %s (%s)", eval_client(&request),
           eval_hostaddr(request.client));
    closelog();

    argv[0] = (char *)name;
    execv(sb_str(&path), argv);
    syslog(LOG_ERR, "error: cannot execute %s: %m", sb_str(&path));
    clean_exit(&request);
    /* clean_exit() does not return. */
    return 0;
}
