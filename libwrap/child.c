/*
 * child.c - child processes for spawn, twist and aclexec (placeholder,
 * issue 3).
 *
 * Exports shell_cmd().
 */
#include "common.h"
#include "tcpd.h"

LIBWRAP_API void shell_cmd(char *command)
{
    (void)command;
}
