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
#include <sys/types.h>

#include <cmocka.h>

#include "image.h"
#include "strbuf.h"
#include "tcpd.h"

/* The number of rows of a case table. */
#define TL_COUNT(table) (sizeof(table) / sizeof((table)[0]))

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

/* The three ways a table is scanned (access.h), as configurations for
 * tl_config: the text as it is read, the compiled rules in order, and
 * the compiled rules through the index.  The first decision after
 * cache_flush() streams; the later ones use the compiled version. */
struct tl_scan_mode {
    const char *name;
    const struct access_config *config; /* NULL: hosts_ctl() itself */
};
#define TL_SCAN_MODES 3
extern const struct tl_scan_mode tl_scan_modes[TL_SCAN_MODES];

/* hosts_ctl() shorthand (with tl_config when set). */
int tl_ctl(const char *daemon, const char *name, const char *addr,
           const char *user);
/* sshd from addr decided three times (streamed, compiled, then from the
 * cache); the three must agree.  Returns the verdict. */
int tl_warm(const char *addr);

/* A decision with cfg (access_decide()) for daemon d, user "bob" and
 * the client at address a named n; with with_lookup the name is not
 * given but found by a lookup method that finds n ("unknown" for "")
 * and logs the warning "looked up <name>", so that the log shows when
 * it ran.  Appends the request's fields after the decision to fields:
 * fields: user="..." name="..." addr="..." and a newline. */
int tl_decide(const struct access_config *cfg, const char *d, const char *n,
              const char *a, bool with_lookup, struct strbuf *fields);

/* The client patterns that the random tables of test_paths and
 * test_shared begin with, in this order (a table's patterns are picked
 * by rand() as the array has them); each test adds its own. */
#define TL_CLIENT_PATTERNS                                                    \
    "10.0.0.1", "10.0.0.2", "10.0.0.", "10.", ".0.0.1", "10.0.0.0/8",         \
        "10.0.0.0/255.255.255.0", "ALL", "host.example", ".example",          \
        "EXCEPT", "LOCAL", "KNOWN", "UNKNOWN", "[::1]"

/* Runs an option field for (sshd, host, 1.2.3.4, bob) on descriptor fd,
 * as the rule at line 3 of a file called "/ctx"; returns options_run()'s
 * enum option_result. */
int tl_run_options(const char *options, int fd);

/* Appends in to out with "%A", "%D" and "%T" replaced by the allow
 * table, the deny table and the test directory (without its final '/'):
 * the expected logs and the tables of the tests name them so. */
void tl_expand(struct strbuf *out, const char *in);
/* The contents of a file (a name in the test directory, or an absolute
 * path), NUL-terminated; NULL when it cannot be opened.  Valid until the
 * next call. */
const char *tl_read(const char *name);
/* Descriptors open in this process. */
int tl_count_fds(void);
/* Seconds on the monotonic clock, for the bounds some tests keep. */
double tl_now(void);

/* Waits at most seconds for the child pid to end and returns its wait
 * status; a child still running then is killed and the test fails. */
int tl_wait(int pid, double seconds);

/* Uses up every descriptor this process may have (RLIMIT_NOFILE
 * lowered to 32), as in a process that ran out of them;
 * tl_fds_back() closes them and puts the limit back. */
void tl_fds_exhaust(void);
void tl_fds_back(void);

struct table_text;
/* n bytes as a table's text: then TABLE_PADDING zeros; has_nul set, a
 * regular file of that size readable by anyone.  Free with
 * table_text_free(). */
struct table_text tl_text(const char *bytes, size_t n);

struct ruleset;
/* Compiles n bytes of text as the table (kind IMAGE_TABLE) or /file list
 * (IMAGE_LIST) at path, as if just read from a file of that size, not
 * racy: the ruleset (put it with ruleset_put()), NULL when that fails. */
struct ruleset *tl_compile(const char *path, const char *text, size_t n,
                           int kind);

/* One daemon or client list, lexed and classified as the library does
 * it, alone in an image of its own (free it with image_builder_free()
 * of b). */
struct tl_list {
    struct image_builder b;
    struct image im;
    uint32_t off; /* the struct image_list */
};
void tl_compile_list(struct tl_list *out, const char *text, bool clients);

/* Lexes and classifies a daemon list and a client list as the library
 * does and matches them against r (with /file lists read through the
 * cache): the daemon list, then, when it matched and clients is not
 * NULL, the client list.  An enum match_result. */
int tl_match(const char *daemons, const char *clients, struct request_info *r);

struct sockaddr_storage;
/* A socket address for a numeric IPv4 or IPv6 address and a port. */
void tl_sockaddr(struct sockaddr_storage *ss, const char *addr, unsigned port);

/* The process-wide state that options change, as the option tests
 * start from it: umask 022, severities LOG_INFO and LOG_WARNING,
 * rfc931_timeout 10, not dry-run, not resident, $FOO unset; and
 * hosts_access_verbose as given. */
void tl_option_state(int verbose);

/* ---- checks that work in the test process and in its children ---- */

/* The test process, cmocka's (a test that checks in children sets it
 * from its setup function): a check that fails in any other process
 * prints what failed and ends that process with _exit(1), for the
 * parent to see in its exit status, since cmocka's longjmp would resume
 * the wrong process.  While it is 0, every failed check does so. */
extern pid_t tl_test_pid;

/* Each fails the case (file and line are the caller's): unless ok,
 * unless a == b (what names a), unless the strings are equal. */
void tl_check(bool ok, const char *what, const char *file, int line);
void tl_check_long(long a, long b, const char *what, const char *file,
                   int line);
void tl_check_str(const char *a, const char *b, const char *file, int line);

#define CHECK(c) tl_check((c), #c, __FILE__, __LINE__)
#define CHECK_INT(a, b)                                                       \
    tl_check_long((long)(a), (long)(b), #a, __FILE__, __LINE__)
#define CHECK_STR(a, b) tl_check_str((a), (b), __FILE__, __LINE__)

/* Sets dst (PATH_MAX bytes) to "<a>/<b>"; one that does not fit fails
 * the check. */
void tl_join(char *dst, const char *a, const char *b);
/* The names in the directory path, sorted, one a line ("" for an
 * empty directory). */
void tl_listing(const char *path, struct strbuf *out);
/* Checks that the directory path holds exactly the entries in want
 * ("a\nb\n"). */
void tl_check_listing(const char *path, const char *want, const char *file,
                      int line);
#define CHECK_LISTING(dir, want)                                              \
    tl_check_listing((dir), (want), __FILE__, __LINE__)

/* FNV-1a 64 of n bytes, the store's name hash (store.h), the tests' own
 * (test_store checks it against published values). */
uint64_t tl_fnv(const void *p, size_t n);

/* Asserts that the captured log equals expected, then clears it. */
#define tl_assert_log(expected)                                               \
    do {                                                                      \
        assert_string_equal(tl_log(), (expected));                            \
        tl_log_clear();                                                       \
    } while (0)

#endif
