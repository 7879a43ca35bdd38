/*
 * test_faults.c - the library under failing system calls.
 *
 * Allocation failure at every allocation point: the test is linked with
 * -Wl,--wrap for malloc, calloc, realloc, strdup and free, so every
 * allocation the library makes goes through a counter that can fail the
 * Nth one.  For N = 1, 2, ... a scenario of decisions runs with the Nth
 * allocation failing, until a run makes fewer than N allocations: every
 * allocation point that scenario reaches has then failed once.  Each
 * verdict must be the normal one or, when the failure made a table
 * unusable, a denial with a log line that says so; a denial can never
 * turn into a grant; nothing may leak.
 *
 * Also: tables that cannot be opened (EACCES, EMFILE), tables that vanish,
 * are replaced, shrink or grow between open() and read() (a --wrap of
 * read), and resolver failures (--wrap of getnameinfo and getaddrinfo).
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access.h"
#include "cache.h"
#include "diag.h"
#include "testwrap.h"

/* ---- the counting allocator ---- */

static bool armed;       /* counting and failing */
static long allocations; /* allocations while armed */
static long fail_at;     /* the allocation to fail (1-based), 0: none */
static long live;        /* blocks allocated and not freed */

/* Allocations bigger than this fail (0: none), as in a process whose
 * address space is nearly used up (ulimit -v). */
static size_t fail_above;

/* True when this allocation is the one to fail. */
static bool inject(void)
{
    if (!armed)
        return false;
    return ++allocations == fail_at;
}

/* True when an allocation of n bytes is to fail. */
static bool inject_size(size_t n)
{
    return (fail_above != 0 && n > fail_above) || inject();
}

void *__wrap_malloc(size_t n)
{
    void *p = inject_size(n) ? NULL : __real_malloc(n);

    if (p != NULL)
        live++;
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p = inject() ? NULL : __real_calloc(n, size);

    if (p != NULL)
        live++;
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    void *q;

    if (inject_size(n))
        return NULL;
    q = __real_realloc(p, n);
    if (p == NULL && q != NULL)
        live++;
    return q;
}

char *__wrap_strdup(const char *s)
{
    char *p = inject() ? NULL : __real_strdup(s);

    if (p != NULL)
        live++;
    return p;
}

void __wrap_free(void *p)
{
    if (p != NULL)
        live--;
    __real_free(p);
}

/* ---- log capture that does not allocate ---- */

static char log_buf[64 * 1024];
static size_t log_len;

static void capture(int priority, const char *text, void *arg)
{
    int n;

    (void)arg;
    n = snprintf(log_buf + log_len, sizeof(log_buf) - log_len, "%d %s\n",
                 priority, text);
    if (n > 0)
        log_len += (size_t)n < sizeof(log_buf) - log_len
                       ? (size_t)n
                       : sizeof(log_buf) - log_len - 1;
}

static void log_reset(void)
{
    log_len = 0;
    log_buf[0] = '\0';
}

/* ---- allocation failure ---- */

/* A decision and the verdict it has when nothing fails. */
struct probe {
    const char *daemon, *addr;
    int normal;
};

static const struct probe probes[] = {
    {"sshd", "10.0.0.1", 1}, /* granted by a rule of the allow table */
    {"sshd", "10.0.0.2", 0}, /* denied through a /file list */
    {"sshd", "10.0.0.3", 0}, /* denied by a long net/mask pattern */
    {"ftpd", "10.0.0.4", 1}, /* no rule matches */
    {"sshd", "10.9.9.9", 0}, /* denied by a continued line */
    {"ftpd", "10.0.0.6", 1}, /* granted by options with expansions */
    {"sshd", "10.0.0.5", 0}, /* denied by a rule that spawns */
};

/* Tables that reach every allocation point of a decision: continued
 * lines, parsed rules, /file lists, net/masks too long for the stack,
 * options with %-expansions, spawned commands, and (from the second use
 * on) the index. */
static void write_tables(void)
{
    char deny[2048];

    tl_write("list", "# blocked\n10.0.0.9 10.0.0.2\n");
    tl_tables("# allow\nsshd, ftpd: 10.0.0.1 : allow\n"
              "sshd: [::1] 10.0.0.0/255.255.255.0 EXCEPT 10.0.0.0/24\n"
              "ftpd: 10.0.0.6 : setenv LIBWRAP_FAULT %c%a : "
              "spawn true %d %u : allow\n",
              NULL);
    snprintf(deny, sizeof(deny),
             "sshd: 10.0.0.5 : spawn true %%h : setenv LIBWRAP_FAULT %%n\n"
             "sshd: 192.0.2.1\n"
             "sshd: %s\n"
             "sshd: 10.0.0.3/"
             "255.255.255.255.000000000000000000000000000000000000000000000"
             "0000000000000000000000000000 10.0.0.3/32\n"
             "sshd: 10.1.\\\n 10.9.\n",
             tl_path("list"));
    tl_write("hosts.deny", deny);
}

/* Runs every probe three times (first scan, index built, index used)
 * with the current injection; returns the number of failures found and
 * counts in *faults the decisions that logged an allocation failure. */
static int run_probes(long n, long *faults)
{
    int failures = 0, round;
    size_t i;

    for (round = 0; round < 3; round++) {
        for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
            const struct probe *p = &probes[i];
            int got;

            log_reset();
            got = tl_ctl(p->daemon, "", p->addr, "");
            if (strstr(log_buf, "Cannot allocate memory") != NULL)
                (*faults)++;
            if (got == p->normal)
                continue;
            if (got == 1) {
                print_error("fail at allocation %ld: %s from %s granted, "
                            "should be denied\nlog:\n%s",
                            n, p->daemon, p->addr, log_buf);
                failures++;
            } else if (strstr(log_buf, "Cannot allocate memory") == NULL &&
                       strstr(log_buf, "memory allocation failure") == NULL) {
                print_error("fail at allocation %ld: %s from %s denied "
                            "without a word\nlog:\n%s",
                            n, p->daemon, p->addr, log_buf);
                failures++;
            }
        }
    }
    return failures;
}

static void test_allocation_failure(void **state)
{
    long n, baseline, made = 0, logged = 0;
    int failures = 0;

    (void)state;
    diag_set_sink(capture, NULL);
    write_tables();
    /* Without failures, the normal verdicts. */
    cache_flush();
    failures += run_probes(0, &logged);
    assert_int_equal(failures, 0);
    for (n = 1;; n++) {
        /* Freshly written tables every time: the same scenario runs
         * (recent files are compared with their contents on each use,
         * older ones are not). */
        write_tables();
        cache_flush();
        baseline = live;
        allocations = 0;
        fail_at = n;
        armed = true;
        failures += run_probes(n, &logged);
        armed = false;
        made = allocations;
        cache_flush();
        if (live != baseline) {
            print_error("fail at allocation %ld: %ld blocks leaked\n", n,
                        live - baseline);
            failures++;
        }
        if (made < n)
            break;
    }
    print_message("robustness: %ld allocation points failed one at a time, "
                  "%ld decisions each; %ld decisions logged the failure\n",
                  n - 1, 3 * (long)(sizeof(probes) / sizeof(probes[0])),
                  logged);
    assert_true(n > 20);
    assert_int_equal(failures, 0);
}

/* ---- tables that cannot be opened ---- */

/* EACCES: as root, the decision runs in a child that drops to nobody. */
static void test_unreadable(void **state)
{
    pid_t pid;
    int status;

    (void)state;
    tl_tables("sshd: 10.0.0.1\n", "sshd: 10.0.0.2\n");
    assert_int_equal(chmod(hosts_allow_table, 0600), 0);
    assert_int_equal(chmod(hosts_deny_table, 0600), 0);
    assert_int_equal(chmod(tl_path(""), 0755), 0);
    cache_flush();
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int a, b;
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(10);
        if (geteuid() != 0) {
            chmod(hosts_allow_table, 0);
            chmod(hosts_deny_table, 0);
        }
        log_reset();
        diag_set_sink(capture, NULL);
        /* Unreadable deny table: denied, even for an address it lacks;
         * the unreadable allow table cannot grant. */
        a = tl_ctl("sshd", "", "10.0.0.1", "");
        b = tl_ctl("sshd", "", "10.0.0.3", "");
        if (a != 0 || b != 0)
            _exit(11);
        if (strstr(log_buf, "cannot open") == NULL ||
            strstr(log_buf, "Permission denied") == NULL)
            _exit(12);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    print_message("robustness: unreadable tables (EACCES): 2 decisions "
                  "denied\n");
}

/* Marks the cached version of path as not racy. */
static void trust(const char *path)
{
    enum table_status status;
    struct ruleset *v =
        cache_get(path, IMAGE_TABLE, &access_default, &status, NULL, NULL);

    assert_non_null(v);
    v->racy = false;
    ruleset_put(v);
}

/* EMFILE: no descriptor left.  Tables not yet cached cannot be read (an
 * unreadable deny table denies); cached ones are revalidated with stat()
 * and still decide. */
static void test_emfile(void **state)
{
    int got_fresh, got_cached;
    char want[2048];

    (void)state;
    tl_tables("sshd: 10.0.0.1\n", "sshd: 10.0.0.2\n");
    cache_flush();
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    /* Files written a moment ago are compared with their contents on
     * every use (the racy rule), which takes a descriptor: treat these
     * as old enough for stat() to be trusted. */
    trust(hosts_allow_table);
    tl_fds_exhaust();
    tl_log_clear();
    got_cached = tl_ctl("sshd", "", "10.0.0.1", "");
    cache_flush();
    got_fresh = tl_ctl("sshd", "", "10.0.0.3", "");
    tl_fds_back();
    assert_int_equal(got_cached, 1);
    assert_int_equal(got_fresh, 0);
    /* Out of descriptors, the allow table cannot be read: what it says
     * is unknown, so the decision denies without the deny table. */
    snprintf(want, sizeof(want),
             "3 warning: cannot open %s: Too many open files\n"
             "3 warning: access denied: %s could not be evaluated\n",
             hosts_allow_table, hosts_allow_table);
    tl_assert_log(want);
    /* With descriptors back, the tables are read again. */
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.3", ""), 1);
    tl_assert_log("");
    print_message("robustness: EMFILE: 2 decisions (cached, fresh)\n");
}

/* ---- tables that change between open() and read() ---- */

/* What to do to the deny table just before the library's first read. */
static void (*before_read)(void);

ssize_t __wrap_read(int fd, void *buf, size_t n)
{
    void (*action)(void) = before_read;

    before_read = NULL;
    if (action != NULL)
        action();
    return __real_read(fd, buf, n);
}

static void vanish(void)
{
    assert_int_equal(unlink(hosts_deny_table), 0);
}

static void replace(void)
{
    tl_write("new", "sshd: 10.0.0.7\n");
    assert_int_equal(rename(tl_path("new"), hosts_deny_table), 0);
}

static void rewrite_in_place(void)
{
    int fd = open(hosts_deny_table, O_WRONLY | O_TRUNC);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "sshd: 10.0.0.7\n", 15), 15);
    close(fd);
}

static void shrink(void)
{
    assert_int_equal(truncate(hosts_deny_table, 6), 0);
}

static void grow(void)
{
    int fd = open(hosts_deny_table, O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "sshd: 10.0.0.7\n", 15), 15);
    close(fd);
}

struct change_case {
    const char *name;
    void (*action)(void);
    int during_1;         /* the verdict for .1 while reading */
    int after_1, after_7; /* for .1 and .7 on the next decisions */
};

static const struct change_case changes[] = {
    /* The open descriptor still reads the old file. */
    {"vanishes", vanish, 0, 1, 1},
    {"replaced by rename", replace, 0, 1, 0},
    /* The reader sees what is there when it reads, and the next
     * decision sees that stat() changed. */
    {"rewritten in place", rewrite_in_place, 1, 1, 0},
    {"shrinks", shrink, 1, 1, 1},
    {"grows", grow, 0, 0, 0},
};

static void test_changed_while_read(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
        const struct change_case *c = &changes[i];
        int d1, a1, a7;

        /* No allow table: the deny table's read is the first read. */
        tl_tables(NULL, "sshd: 10.0.0.1\n");
        cache_flush();
        before_read = c->action;
        d1 = tl_ctl("sshd", "", "10.0.0.1", "");
        before_read = NULL;
        a1 = tl_ctl("sshd", "", "10.0.0.1", "");
        a7 = tl_ctl("sshd", "", "10.0.0.7", "");
        if (d1 != c->during_1 || a1 != c->after_1 || a7 != c->after_7) {
            print_error("table %s while read: .1 %d (want %d), then .1 %d "
                        "(want %d), .7 %d (want %d)\n",
                        c->name, d1, c->during_1, a1, c->after_1, a7,
                        c->after_7);
            failures++;
        }
    }
    tl_log_clear();
    print_message("robustness: %zu tables changed between open() and "
                  "read()\n",
                  sizeof(changes) / sizeof(changes[0]));
    assert_int_equal(failures, 0);
}

/* A table too big for the memory left: an allow table of the one-file
 * style whose last rule denies, in a process that cannot allocate more
 * than 1 MiB at once.  Every decision is the text's (Debian, reading
 * line by line, needs no more): the first streams the table, and each
 * later one, unable to read it whole, streams it again instead. */
static void test_table_too_big_for_memory(void **state)
{
    struct strbuf table = STRBUF_INIT;
    int i, denied = 0, granted = 0;

    (void)state;
    for (i = 0; i < 100000; i++)
        sb_printf(&table, "sshd: 10.0.%d.%d\n", i / 250, i % 250 + 1);
    sb_puts(&table, "ALL: 10.6.6.6: deny\n");
    assert_true(table.len > (1 << 20));
    tl_tables(sb_str(&table), "");
    sb_free(&table);
    cache_flush();
    fail_above = 1 << 20;
    for (i = 0; i < 6; i++) {
        denied += tl_ctl("ftpd", "", "10.6.6.6", "") == 0;
        granted += tl_ctl("ftpd", "", "10.1.1.1", "") == 1;
    }
    fail_above = 0;
    assert_int_equal(denied, 6);
    assert_int_equal(granted, 6);
    tl_assert_log("");
}

/* ---- resolver failures ---- */

/* Error codes the resolver gives for name lookups (0: the real one). */
static int reverse_error, forward_error;
/* A reverse answer to give instead of the real one. */
static const char *reverse_answer;

int __wrap_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
                       socklen_t hostlen, char *serv, socklen_t servlen,
                       int flags)
{
    if (!(flags & NI_NUMERICHOST)) {
        if (reverse_error != 0)
            return reverse_error;
        if (reverse_answer != NULL) {
            snprintf(host, hostlen, "%s", reverse_answer);
            return 0;
        }
    }
    return __real_getnameinfo(sa, salen, host, hostlen, serv, servlen, flags);
}

int __wrap_getaddrinfo(const char *node, const char *service,
                       const struct addrinfo *hints, struct addrinfo **res)
{
    if (forward_error != 0 &&
        (hints == NULL || !(hints->ai_flags & AI_NUMERICHOST)))
        return forward_error;
    return __real_getaddrinfo(node, service, hints, res);
}

/* A datagram sink: its presence rules out an ident lookup. */
static void no_sink(int fd)
{
    (void)fd;
}

/* Decides for a client at 192.0.2.1 with the socket methods installed. */
static int decide_with_lookup(void)
{
    struct request_info r;
    struct sockaddr_in client, server;

    memset(&client, 0, sizeof(client));
    client.sin_family = AF_INET;
    client.sin_addr.s_addr = htonl(0xc0000201);
    server = client;
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server.sin_port = htons(22);
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_SIN, &client, RQ_SERVER_SIN,
                 &server, 0);
    sock_methods(&r);
    /* A sink: no ident lookup. */
    r.sink = no_sink;
    return hosts_access(&r);
}

struct dns_case {
    const char *name;
    int reverse_error, forward_error;
    const char *reverse_answer;
    int granted;
    const char *log;
};

static const struct dns_case dns_cases[] = {
    {"reverse lookup times out", EAI_AGAIN, 0, NULL, 0, ""},
    {"reverse lookup fails", EAI_FAIL, 0, NULL, 0, ""},
    {"resolver out of memory", EAI_MEMORY, 0, NULL, 0,
     "3 warning: %A, line 1: cannot look up the name of 192.0.2.1: Cannot "
     "allocate memory\n"
     "3 warning: access denied: %A could not be evaluated\n"},
    {"resolver system error", EAI_SYSTEM, 0, NULL, 0, ""},
    {"forward lookup times out", 0, EAI_AGAIN, "good.example", 1,
     "3 warning: %A, line 1: can't verify hostname: getaddrinfo(good.example, "
     "AF_INET) "
     "failed\n"},
    {"reverse answer with shell metacharacters", 0, EAI_NONAME,
     "$(reboot);`id`", 1,
     "3 warning: %A, line 1: can't verify hostname: "
     "getaddrinfo($(reboot);`id`, "
     "AF_INET) failed\n"},
};

static void test_resolver_failures(void **state)
{
    struct strbuf want = STRBUF_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    /* KNOWN needs a verified name; PARANOID is what a failed
     * verification gives; UNKNOWN what no name gives. */
    tl_tables("sshd: PARANOID\n", "sshd: UNKNOWN KNOWN\n");
    for (i = 0; i < sizeof(dns_cases) / sizeof(dns_cases[0]); i++) {
        const struct dns_case *c = &dns_cases[i];
        int got;

        reverse_error = c->reverse_error;
        forward_error = c->forward_error;
        reverse_answer = c->reverse_answer;
        tl_log_clear();
        got = decide_with_lookup();
        sb_reset(&want);
        tl_expand(&want, c->log);
        reverse_error = forward_error = 0;
        reverse_answer = NULL;
        if (got != c->granted || strcmp(tl_log(), sb_str(&want)) != 0) {
            print_error("%s: verdict %d (want %d), log:\n%swant:\n%s", c->name,
                        got, c->granted, tl_log(), sb_str(&want));
            failures++;
        }
    }
    sb_free(&want);
    print_message("robustness: %zu resolver failures and hostile answers\n",
                  sizeof(dns_cases) / sizeof(dns_cases[0]));
    assert_int_equal(failures, 0);
}

/* ---- processes that cannot be started ---- */

/* errno for the next process creations (0: they work). */
static int fork_error;

long __wrap_syscall(long number, long a, long b, long c, long d, long e)
{
    if (fork_error != 0 && number == SYS_clone) {
        errno = fork_error;
        return -1;
    }
    return __real_syscall(number, a, b, c, d, e);
}

pid_t __wrap_fork(void)
{
    if (fork_error != 0) {
        errno = fork_error;
        return -1;
    }
    return __real_fork();
}

/* spawn goes on without its command; aclexec cannot tell, so denies. */
static void test_fork_failure(void **state)
{
    char want[2048], dir[512], allow[2048];

    (void)state;
    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    snprintf(allow, sizeof(allow),
             "sshd: 10.0.0.1: spawn touch %sspawned\n"
             "sshd: 10.0.0.2: aclexec true\n",
             dir);
    tl_tables(allow, "ALL: ALL\n");
    fork_error = EAGAIN;
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
    fork_error = 0;
    snprintf(want, sizeof(want),
             "3 warning: %s, line 1: cannot fork: Resource temporarily "
             "unavailable\n"
             "3 error: %s, line 2: aclexec_option: /bin/sh: Resource "
             "temporarily unavailable\n",
             hosts_allow_table, hosts_allow_table);
    tl_assert_log(want);
    assert_int_equal(access(tl_path("spawned"), F_OK), -1);
    /* And with processes back, the command runs. */
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(access(tl_path("spawned"), F_OK), 0);
    tl_assert_log("");
    print_message("robustness: fork failure: spawn and aclexec\n");
}

/* ---- signals while the library waits ---- */

static volatile sig_atomic_t alarms, chlds;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void on_chld(int sig)
{
    (void)sig;
    chlds++;
}

/* The caller's signal state, to compare before and after. */
struct signal_state {
    struct sigaction alrm, chld;
    sigset_t mask;
};

static void save_signals(struct signal_state *s)
{
    assert_int_equal(sigaction(SIGALRM, NULL, &s->alrm), 0);
    assert_int_equal(sigaction(SIGCHLD, NULL, &s->chld), 0);
    assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &s->mask), 0);
}

static void same_signals(const struct signal_state *a,
                         const struct signal_state *b)
{
    int sig;

    assert_ptr_equal(a->alrm.sa_handler, b->alrm.sa_handler);
    assert_int_equal(a->alrm.sa_flags, b->alrm.sa_flags);
    assert_ptr_equal(a->chld.sa_handler, b->chld.sa_handler);
    assert_int_equal(a->chld.sa_flags, b->chld.sa_flags);
    for (sig = 1; sig < NSIG; sig++)
        assert_int_equal(sigismember(&a->mask, sig),
                         sigismember(&b->mask, sig));
}

/* spawn and aclexec with SIGALRM arriving every millisecond (handler
 * without SA_RESTART, so every blocking call is interrupted) and a
 * SIGCHLD handler of the caller's: the commands run and their results
 * count, the caller's handlers, mask, pending alarm and errno are as
 * they were, and its SIGCHLD handler never hears of our children. */
static void test_signals_during_spawn(void **state)
{
    struct sigaction sa;
    struct itimerval every_ms = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
    struct signal_state before, after;
    char dir[512], allow[2048];
    unsigned left;
    int i;

    (void)state;
    snprintf(dir, sizeof(dir), "%s", tl_path(""));
    snprintf(allow, sizeof(allow),
             "sshd: 10.0.0.1: spawn sleep 0.05; touch %sspawned\n"
             "sshd: 10.0.0.2: aclexec sleep 0.05; exit 3\n"
             "sshd: 10.0.0.3: aclexec sleep 0.05\n",
             dir);
    tl_tables(allow, "ALL: ALL\n");
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm; /* no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
    sa.sa_handler = on_chld;
    assert_int_equal(sigaction(SIGCHLD, &sa, NULL), 0);
    alarms = chlds = 0;
    save_signals(&before);
    assert_int_equal(setitimer(ITIMER_REAL, &every_ms, NULL), 0);
    for (i = 0; i < 3; i++) {
        errno = ENOTTY;
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.3", ""), 1);
        assert_int_equal(errno, ENOTTY);
    }
    assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
    save_signals(&after);
    same_signals(&before, &after);
    assert_true(alarms > 10);
    assert_int_equal(chlds, 0);
    print_message("robustness: %d signals during 9 spawn and aclexec "
                  "decisions\n",
                  (int)alarms);
    assert_int_equal(access(tl_path("spawned"), F_OK), 0);
    /* Only the failing aclexec says anything, once per decision. */
    tl_assert_log("6 aclexec returned 1\n6 aclexec returned 1\n"
                  "6 aclexec returned 1\n");

    /* A pending alarm of the caller's survives a spawn. */
    alarm(100);
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    left = alarm(0);
    assert_true(left >= 99 && left <= 100);
    signal(SIGALRM, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_allocation_failure, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_emfile, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_table_too_big_for_memory,
                                        tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_changed_while_read, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_resolver_failures, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_fork_failure, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_signals_during_spawn, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
