/*
 * testlib.h - shared helpers for the cmocka unit tests.
 *
 * Each test gets a private temporary directory holding its tables; the
 * library's diagnostics are captured (instead of going to syslog) so that
 * tests can assert on the exact text and priority of every line.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tcpd.h"

/* Creates a fresh temporary directory and points both tables into it;
 * starts capturing diagnostics.  Use as a cmocka setup function. */
int tl_setup(void **state);
/* Removes the directory and stops capturing. */
int tl_teardown(void **state);

/* Path of a file in the test directory (static buffer, per call). */
const char *tl_path(const char *name);
/* Writes a file in the test directory; returns its path. */
const char *tl_write(const char *name, const char *content);
/* Writes n bytes (may contain NUL). */
const char *tl_write_bytes(const char *name, const void *content, size_t n);
/* Sets hosts.allow and hosts.deny contents (NULL: the file is absent). */
void tl_tables(const char *allow, const char *deny);

/* All captured log lines so far, each "<priority> <text>\n". */
const char *tl_log(void);
void tl_log_clear(void);

struct access_config;
/* The configuration tl_ctl() decides with; NULL: hosts_ctl() itself. */
extern const struct access_config *tl_config;

/* hosts_ctl() shorthand (with tl_config when set). */
int tl_ctl(const char *daemon, const char *name, const char *addr,
           const char *user);

/* Runs an option field for (sshd, host, 1.2.3.4, bob) on descriptor fd,
 * as the rule at line 3 of a file called "/ctx"; returns options_run()'s
 * enum option_result. */
int tl_run_options(const char *options, int fd);

/* Asserts that the captured log equals expected, then clears it. */
#define tl_assert_log(expected)                      \
    do {                                             \
        assert_string_equal(tl_log(), (expected));   \
        tl_log_clear();                              \
    } while (0)

#endif
