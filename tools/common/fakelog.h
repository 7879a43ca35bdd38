/*
 * fakelog.h - the checking tools' syslog(): library messages on stdout.
 *
 * A hook sees each finished message first; it returns true when it has
 * printed the message itself.
 */
#ifndef TOOLS_FAKELOG_H
#define TOOLS_FAKELOG_H

#include <stdbool.h>

typedef bool fakelog_hook_fn(int priority, const char *text);

void fakelog_set_hook(fakelog_hook_fn *fn);

#endif
