/*
 * pid.h - this process's id, without a system call per decision.
 *
 * request_init() writes the caller's process id into every request (the
 * %p expansion), as Debian's does with getpid().  A process that decides
 * again and again keeps its id in one page the kernel empties in every
 * child (MADV_WIPEONFORK), so that a child made by any kind of fork()
 * asks the kernel again.  Where that page cannot be had, every call asks.
 *
 * DIAGNOSTICS: none.
 */
#ifndef LIBWRAP_PID_H
#define LIBWRAP_PID_H

#include <sys/types.h>

#include "common.h"

/* getpid(), without the system call once this process has asked twice. */
pid_t current_pid(void);

#endif
