/*
 * stubs.c - what tcpdmatch and tcpdchk put in place of the library's
 * side effects, interposing the exported functions of libwrap.so.0 as
 * Debian's tools do: commands are never run, no ident query is ever
 * sent, and clean_exit() leaves at once instead of pausing.
 */
#include <stdlib.h>
#include <string.h>

#include "tcpd.h"

/* Runs nothing: the tools only predict. */
void shell_cmd(char *command)
{
    (void)command;
}

/* Asks nobody: the user is "unknown" unless given on the command line. */
void rfc931(struct sockaddr *remote, struct sockaddr *local, char *dest)
{
    (void)remote;
    (void)local;
    strcpy(dest, unknown);
}

/* Ends the tool without the daemon's five-second pause. */
void clean_exit(struct request_info *r)
{
    (void)r;
    exit(0);
}
