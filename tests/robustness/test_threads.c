/*
 * test_threads.c - concurrent decisions while the tables change (D7).
 *
 * Eight threads decide their own requests with hosts_access() and
 * hosts_ctl() while a ninth rewrites both tables, first by rename (as
 * editors and tools should), then in place.  Every version of a table
 * puts its rules at line numbers that identify it, and the library logs
 * the line of the rule that matched (hosts_access_verbose = 2) to a
 * per-thread capture.  So each thread knows which version of each table
 * its decision used and checks that the verdict, and the rule that gave
 * it, are exactly what that version says for its request.  Then eight
 * threads start aclexec commands at once, each of which must get its own
 * command's exit status.  Built with -DLIBWRAP_TSAN=ON this is also the
 * ThreadSanitizer run.
 */
#include "testlib.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "diag.h"
#include "strbuf.h"

enum {
    THREADS = 8,
    DENY_VERSIONS = 37,  /* deny version p: 5p padding lines, 4 rules */
    ALLOW_VERSIONS = 23, /* allow version q: 3q padding lines, 2 rules */
};

/* Decisions per thread and phase; lower under the slow sanitizers. */
static long decisions_per_phase(void)
{
    const char *s = getenv("THREADS_DECISIONS");

    return s != NULL ? atol(s) : 10000;
}

/* ---- the tables ---- */

static void deny_text(struct strbuf *sb, int p)
{
    int i;

    sb_reset(sb);
    for (i = 0; i < 5 * p; i++)
        sb_puts(sb, "#\n");
    sb_printf(sb, "d%d: 10.0.%d.0/24\n", p % 3, p % 5);
    sb_printf(sb, "ALL: 10.%d.0.0/16 : allow\n", p % 7);
    sb_printf(sb, "ALL EXCEPT d%d: 10.0.0.0/8\n", (p + 1) % 3);
    sb_puts(sb, "ALL: ALL : allow\n");
}

static void allow_text(struct strbuf *sb, int q)
{
    int i;

    sb_reset(sb);
    for (i = 0; i < 3 * q; i++)
        sb_puts(sb, "#\n");
    sb_printf(sb, "d%d: 10.0.%d.%d\n", q % 3, q % 5, q % 11);
    sb_printf(sb, "ALL: 10.0.%d.0/255.255.255.128 EXCEPT 10.0.%d.1\n",
              (q + 2) % 5, (q + 2) % 5);
}

/* A request: daemon d<d>, address 10.a.b.c. */
struct req {
    int d, a, b, c;
};

/* The first rule of deny version p that matches (1..4). */
static int deny_rule(int p, const struct req *r)
{
    if (r->d == p % 3 && r->a == 0 && r->b == p % 5)
        return 1;
    if (r->a == p % 7 && r->b < 256)
        return 2;
    if (r->d != (p + 1) % 3)
        return 3;
    return 4;
}

/* The first rule of allow version q that matches (0: none). */
static int allow_rule(int q, const struct req *r)
{
    if (r->d == q % 3 && r->a == 0 && r->b == q % 5 && r->c == q % 11)
        return 1;
    if (r->a == 0 && r->b == (q + 2) % 5 && r->c < 128 && r->c != 1)
        return 2;
    return 0;
}

/* ---- the writer ---- */

static atomic_bool stop;
static atomic_bool in_place; /* phase 2: rewrite the files in place */
static atomic_long rewrites;

/* Replaces path's contents, by rename or in place with one write(). */
static void replace(const char *path, const struct strbuf *sb, bool inplace)
{
    char tmp[600];
    FILE *fp;

    if (inplace) {
        fp = fopen(path, "r+");
        assert_non_null(fp);
        assert_int_equal(ftruncate(fileno(fp), 0), 0);
        assert_int_equal(pwrite(fileno(fp), sb->data, sb->len, 0),
                         (ssize_t)sb->len);
        fclose(fp);
        return;
    }
    snprintf(tmp, sizeof(tmp), "%s.new", path);
    fp = fopen(tmp, "w");
    assert_non_null(fp);
    assert_int_equal(fwrite(sb->data, 1, sb->len, fp), sb->len);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(rename(tmp, path), 0);
}

static void *writer(void *arg)
{
    struct strbuf sb = STRBUF_INIT;
    long v;

    (void)arg;
    for (v = 1; !atomic_load(&stop); v++) {
        bool inplace = atomic_load(&in_place);
        deny_text(&sb, (int)(v % DENY_VERSIONS));
        replace(hosts_deny_table, &sb, inplace);
        allow_text(&sb, (int)(v % ALLOW_VERSIONS));
        replace(hosts_allow_table, &sb, inplace);
        atomic_fetch_add(&rewrites, 1);
        usleep(200);
    }
    sb_free(&sb);
    return NULL;
}

/* ---- the deciders ---- */

static _Thread_local struct strbuf thread_log;

static void capture(int priority, const char *text, void *arg)
{
    (void)arg;
    sb_printf(&thread_log, "%d %s\n", priority, text);
}

struct worker {
    int id;
    unsigned seed;
    long decisions, allow_hits, deny_hits, empty_seen;
    int errors;
    char first_error[512];
};

static void wrong(struct worker *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void wrong(struct worker *w, const char *fmt, ...)
{
    va_list ap;

    if (w->errors++ == 0) {
        va_start(ap, fmt);
        vsnprintf(w->first_error, sizeof(w->first_error), fmt, ap);
        va_end(ap);
    }
}

/* The line of the "matched:" entry for table path in the log, or 0. */
static int matched_line(const char *log, const char *path)
{
    char key[600];
    const char *p;

    snprintf(key, sizeof(key), "7 matched:  %s line ", path);
    p = strstr(log, key);
    return p != NULL ? atoi(p + strlen(key)) : 0;
}

/* Decides one request and checks it against the versions it used. */
static void decide_one(struct worker *w, bool phase2)
{
    struct req r;
    char daemon[8], addr[32];
    int got, line, rule, want;

    r.d = (int)(rand_r(&w->seed) % 3);
    r.a = (int)(rand_r(&w->seed) % 8);
    r.b = (int)(rand_r(&w->seed) % 6);
    r.c = (int)(rand_r(&w->seed) % 140);
    if (rand_r(&w->seed) % 2)
        r.a = 0;
    snprintf(daemon, sizeof(daemon), "d%d", r.d);
    snprintf(addr, sizeof(addr), "10.%d.%d.%d", r.a, r.b, r.c);
    sb_reset(&thread_log);
    if (w->decisions % 2 == 0) {
        got = hosts_ctl(daemon, "", addr, "");
    } else {
        struct request_info ri;
        request_init(&ri, RQ_DAEMON, daemon, RQ_CLIENT_ADDR, addr, 0);
        got = hosts_access(&ri);
    }
    w->decisions++;

    /* The allow table: a hit names its version and rule. */
    if ((line = matched_line(sb_str(&thread_log), hosts_allow_table)) > 0) {
        int q = (line - 1) / 3;
        rule = (line - 1) % 3 + 1;
        w->allow_hits++;
        if (q >= ALLOW_VERSIONS || rule > 2 || allow_rule(q, &r) != rule ||
            got != 1)
            wrong(w,
                  "%s %s: allow line %d (version %d rule %d, want rule "
                  "%d), verdict %d",
                  daemon, addr, line, q, rule,
                  q < ALLOW_VERSIONS ? allow_rule(q, &r) : -1, got);
        return;
    }
    /* Otherwise the deny table decided; its last rule matches all. */
    if ((line = matched_line(sb_str(&thread_log), hosts_deny_table)) > 0) {
        int p = (line - 1) / 5;
        rule = (line - 1) % 5 + 1;
        want = rule == 2 || rule == 4;
        w->deny_hits++;
        if (p >= DENY_VERSIONS || rule > 4 || deny_rule(p, &r) != rule ||
            got != want)
            wrong(w,
                  "%s %s: deny line %d (version %d rule %d, want rule "
                  "%d), verdict %d",
                  daemon, addr, line, p, rule,
                  p < DENY_VERSIONS ? deny_rule(p, &r) : -1, got);
        return;
    }
    /* No deny rule matched: only an empty deny table, seen between the
     * truncation and the write of an in-place rewrite, does that. */
    w->empty_seen++;
    if (!phase2 || got != 1)
        wrong(w, "%s %s: no rule matched, verdict %d, phase %d, log:\n%s",
              daemon, addr, got, phase2 ? 2 : 1, sb_str(&thread_log));
}

static pthread_barrier_t phase_barrier;

static void *decider(void *arg)
{
    struct worker *w = arg;
    long i, n = decisions_per_phase();

    for (i = 0; i < n; i++)
        decide_one(w, false);
    pthread_barrier_wait(&phase_barrier); /* the writer goes in place */
    pthread_barrier_wait(&phase_barrier);
    for (i = 0; i < n; i++)
        decide_one(w, true);
    sb_free(&thread_log);
    return NULL;
}

static void test_concurrent_decisions(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    pthread_t threads[THREADS], writer_thread;
    struct worker workers[THREADS];
    long decisions = 0, allow_hits = 0, deny_hits = 0, empty = 0;
    int i, errors = 0;

    (void)state;
    cache_flush();
    deny_text(&sb, 0);
    tl_write("hosts.deny", sb_str(&sb));
    allow_text(&sb, 0);
    tl_write("hosts.allow", sb_str(&sb));
    sb_free(&sb);
    hosts_access_verbose = 2;
    diag_set_sink(capture, NULL);
    atomic_store(&stop, false);
    atomic_store(&in_place, false);
    pthread_barrier_init(&phase_barrier, NULL, THREADS + 1);
    assert_int_equal(pthread_create(&writer_thread, NULL, writer, NULL), 0);
    for (i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof(workers[i]));
        workers[i].id = i;
        workers[i].seed = (unsigned)i * 7919u + 1;
        assert_int_equal(
            pthread_create(&threads[i], NULL, decider, &workers[i]), 0);
    }
    pthread_barrier_wait(&phase_barrier);
    atomic_store(&in_place, true);
    pthread_barrier_wait(&phase_barrier);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    atomic_store(&stop, true);
    pthread_join(writer_thread, NULL);
    pthread_barrier_destroy(&phase_barrier);
    hosts_access_verbose = 0;

    for (i = 0; i < THREADS; i++) {
        struct worker *w = &workers[i];
        decisions += w->decisions;
        allow_hits += w->allow_hits;
        deny_hits += w->deny_hits;
        empty += w->empty_seen;
        if (w->errors > 0) {
            print_error("thread %d: %d wrong decisions, first: %s\n", i,
                        w->errors, w->first_error);
            errors += w->errors;
        }
    }
    print_message("robustness: %d threads, %ld decisions checked against "
                  "the table version each used (%ld by allow rules, %ld by "
                  "deny rules, %ld saw an empty deny table mid-rewrite), "
                  "%ld rewrites\n",
                  THREADS, decisions, allow_hits, deny_hits, empty,
                  atomic_load(&rewrites));
    assert_int_equal(errors, 0);
    /* The tables really changed under the deciders. */
    assert_true(atomic_load(&rewrites) > 10);
}

/* ---- commands started from many threads at once ---- */

static atomic_long child_errors, child_decisions;

/* Decides requests whose verdict an aclexec command's exit status
 * gives: each thread must get its own command's status. */
static void *child_decider(void *arg)
{
    unsigned seed = (unsigned)(long)arg;
    long i;

    for (i = 0; i < 40; i++) {
        char daemon[8];
        int d = (int)(rand_r(&seed) % 5), got;

        snprintf(daemon, sizeof(daemon), "d%d", d);
        sb_reset(&thread_log);
        got = hosts_ctl(daemon, "", "10.0.0.1", "");
        atomic_fetch_add(&child_decisions, 1);
        if (got != (d == 1 || d == 3))
            atomic_fetch_add(&child_errors, 1);
    }
    sb_free(&thread_log);
    return NULL;
}

/* child.c starts its supervisor with a raw clone() (no fork handlers),
 * which ThreadSanitizer cannot follow: it takes the new process for a
 * thread of this one and reports its descriptor calls (open, dup2 in a
 * separate address space) as races with the caller's threads.  The test
 * runs in every other build, under ASan and UBSan too. */
#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN 1
#endif
#endif

static void test_concurrent_children(void **state)
{
    pthread_t threads[THREADS];
    int i;

    (void)state;
#ifdef UNDER_TSAN
    print_message("test_concurrent_children: not under ThreadSanitizer "
                  "(see the comment above it)\n");
    skip();
#endif
    cache_flush();
    tl_tables("ALL: ALL: aclexec test %d = d1 || test %d = d3\n",
              "ALL: ALL\n");
    /* A failing aclexec logs; each thread captures its own lines. */
    diag_set_sink(capture, NULL);
    atomic_store(&child_errors, 0);
    atomic_store(&child_decisions, 0);
    for (i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, child_decider,
                                        (void *)(long)(i + 1)),
                         0);
    for (i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    tl_log_clear();
    print_message("robustness: %d threads, %ld decisions by aclexec "
                  "commands started concurrently, %ld wrong\n",
                  THREADS, atomic_load(&child_decisions),
                  atomic_load(&child_errors));
    assert_int_equal(atomic_load(&child_errors), 0);
}

/* Concurrent calls leave the caller's strtok() state alone (D7). */
static void test_strtok_untouched(void **state)
{
    char text[] = "a b c";
    char *tok;

    (void)state;
    tl_tables("x y: z w\n", "ALL: ALL\n");
    tok = strtok(text, " ");
    assert_string_equal(tok, "a");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    tok = strtok(NULL, " ");
    assert_non_null(tok);
    assert_string_equal(tok, "b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_concurrent_decisions, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_children, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_strtok_untouched, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
