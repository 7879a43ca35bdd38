/*
 * consumer.c - a program built against the installed libwrap (test).
 *
 * Decides one request with hosts_ctl() against the tables named on the
 * command line and prints the verdict.
 */
#include <stdio.h>
#include <syslog.h>
#include <tcpd.h>

int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

int main(int argc, char **argv)
{
    if (argc != 5)
        return 2;
    hosts_allow_table = argv[1];
    hosts_deny_table = argv[2];
    printf("%s\n", hosts_ctl(argv[3], "", argv[4], "") ? "granted" : "denied");
    return 0;
}
