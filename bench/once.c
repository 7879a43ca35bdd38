/*
 * once.c - a process that decides once: what tcpd, or the child a
 * daemon forks for a connection, does with the library.
 *
 * bench-once allow deny daemon addr: one hosts_ctl(daemon, "", addr, "")
 * and exit, with status 1 when access is granted and 0 when it is not
 * (2 for a usage error).  Linked against libwrap.so.0 by SONAME like
 * bench-decide; bench-spawn times it from fork to wait.
 */
#include <stdio.h>

#include <tcpd.h>

int allow_severity = 6;
int deny_severity = 4;

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s allow deny daemon addr\n", argv[0]);
        return 2;
    }
    hosts_allow_table = argv[1];
    hosts_deny_table = argv[2];
    return hosts_ctl(argv[3], "", argv[4], "") ? 1 : 0;
}
