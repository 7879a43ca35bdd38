/*
 * access.c - the access decision: hosts_access() and hosts_ctl().
 *
 * Exports hosts_access() and hosts_ctl().  The allow table is scanned,
 * then the deny table; each scan ends at its first matching rule and
 * yields match, no match, unreadable or error.  Access is granted when
 * the allow table matches, or when the deny table does not match; the
 * options of the matching rule can override the table's verdict.  An
 * unreadable table is Debian's "cannot open": hosts.allow falls through
 * to hosts.deny, hosts.deny denies.  An error (this process ran out of
 * descriptors or memory, or a table could not be read) denies at once,
 * whichever table it is in: no verdict can be trusted then, and Debian's
 * library, which opens both tables on every decision, denies in that
 * state too.  Nothing here long-jumps, so concurrent calls on different
 * requests are safe (compat-policy D7).
 *
 * DIAGNOSTICS: Debian's table messages ("cannot open <path>: <cause>",
 * "missing \":\" separator", "matched:" lines); an error is logged
 * where it happens, then "access denied: <table> could not be
 * evaluated".
 */
#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "arena.h"
#include "cache.h"
#include "common.h"
#include "diag.h"
#include "fastline.h"
#include "index.h"
#include "match.h"
#include "options.h"
#include "rule.h"
#include "table.h"

enum scan_result {
    SCAN_NO_MATCH,
    SCAN_MATCH,      /* a rule matched; s->granted says what it decided */
    SCAN_UNREADABLE, /* Debian's "cannot open" */
    SCAN_FAILED,     /* could not be evaluated: the decision denies */
};

/* State of one table scan. */
struct scan {
    struct request_info *r;
    struct table_version *version; /* NULL while streaming */
    bool *newline_reported; /* where the D2 warning is remembered */
    bool allow_table;
    bool granted; /* the verdict, on SCAN_MATCH */
    bool jumped;  /* an option decided it (Debian's long jump) */
    struct diag_where where;
    struct strbuf scratch;
    struct arena arena;
    struct fastline fast;
};

/* Runs the options of a matched rule and turns them into a verdict. */
static enum scan_result run_rule(struct scan *s, const struct rule *rule)
{
    if (rule->options != NULL) {
        switch (options_run(rule->options, s->r)) {
        case OPTIONS_ALLOW:
            s->granted = true;
            s->jumped = true;
            return SCAN_MATCH;
        case OPTIONS_DENY:
            s->granted = false;
            s->jumped = true;
            return SCAN_MATCH;
        case OPTIONS_NO_MATCH:
            return SCAN_NO_MATCH;
        case OPTIONS_DEFAULT:
            break;
        }
    }
    s->granted = s->allow_table;
    return SCAN_MATCH;
}

/* Evaluates one logical line with every side effect it has. */
static enum scan_result eval_line(struct scan *s,
                                   const struct logical_line *line)
{
    enum scan_result result = SCAN_NO_MATCH;
    struct rule rule;
    enum match_result matched;

    s->where.line = line->lineno;
    if (line->unterminated &&
        !__atomic_exchange_n(s->newline_reported, true, __ATOMIC_ACQ_REL))
        diag_warn("missing newline at end of file; "
                  "the last line is used anyway");
    switch (rule_parse(&s->arena, line->text, line->len, line->lineno,
                       &rule)) {
    case RULE_IGNORED:
        break;
    case RULE_NO_COLON:
        diag_warn("missing \":\" separator");
        break;
    case RULE_NOMEM:
        errno = ENOMEM;
        diag_warn("cannot evaluate this rule: %m");
        result = SCAN_FAILED;
        break;
    case RULE_PARSED:
        matched = match_rule(&rule, s->r);
        if (matched == MATCH_ERROR) {
            /* A pattern could not be evaluated (its cause is logged):
             * trust no verdict. */
            result = SCAN_FAILED;
            break;
        }
        if (matched == MATCH_NO)
            break;
        if (hosts_access_verbose > 1)
            diag_log(LOG_DEBUG, "matched:  %s line %d", s->where.file,
                     line->lineno);
        result = run_rule(s, &rule);
        if (s->jumped)
            diag_leave_context(&s->where);
        break;
    }
    arena_reset(&s->arena);
    return result;
}

/* Evaluates the logical line at the iterator with the general path. */
static enum scan_result eval_next(struct scan *s, struct line_iter *it,
                                   bool *end)
{
    struct logical_line line;

    *end = !line_iter_next(it, &s->scratch, &line);
    if (!*end)
        return eval_line(s, &line);
    if (sb_failed(&s->scratch)) {
        errno = ENOMEM;
        diag_warn("cannot evaluate this rule: %m");
        return SCAN_FAILED;
    }
    return SCAN_NO_MATCH;
}

/* The line at the iterator, which fastline found to match with no
 * option field: the table's own verdict, as the general path would give
 * it. */
static enum scan_result plain_match(struct scan *s, struct line_iter *it)
{
    s->where.line = it->newlines + 1;
    if (hosts_access_verbose > 1)
        diag_log(LOG_DEBUG, "matched:  %s line %d", s->where.file,
                 s->where.line);
    s->granted = s->allow_table;
    return SCAN_MATCH;
}

/* Every line from the iterator on, in order. */
static enum scan_result scan_from(struct scan *s, struct line_iter *it)
{
    enum scan_result result;
    bool end;

    do {
        fastline_skip(&s->fast, it, SIZE_MAX);
        if (s->fast.matched)
            return plain_match(s, it);
        result = eval_next(s, it, &end);
    } while (result == SCAN_NO_MATCH && !end);
    return result;
}

/* Only the lines the index says can match, in order. */
static enum scan_result scan_index(struct scan *s,
                                    const struct table_index *ix)
{
    struct index_query q;
    struct index_line at;
    struct line_iter it;
    enum scan_result result = SCAN_NO_MATCH;
    bool end;

    index_query_begin(&q, ix, s->r);
    while (result == SCAN_NO_MATCH && index_query_next(&q, &at)) {
        /* What the skipped lines would have left in the request first. */
        index_query_catch_up(&q, &s->version->text, q.last - 1);
        line_iter_at(&it, &s->version->text, at.offset, (int)at.newlines);
        if (fastline_skip(&s->fast, &it, 1) == 1)
            continue;
        result = s->fast.matched ? plain_match(s, &it)
                                 : eval_next(s, &it, &end);
    }
    if (q.failed && result == SCAN_NO_MATCH &&
        index_query_resume(&q, &at)) {
        /* Out of memory for candidates: the remaining lines in order,
         * which is exact (the lines skipped so far could not match). */
        index_query_catch_up(&q, &s->version->text, q.last);
        line_iter_at(&it, &s->version->text, at.offset, (int)at.newlines);
        result = scan_from(s, &it);
    } else if (result == SCAN_NO_MATCH) {
        index_query_catch_up(&q, &s->version->text, UINT32_MAX);
    }
    index_query_end(&q);
    return result;
}

/* A table read for the first time, scanned piece by piece as it is read:
 * a process that decides once (tcpd, a forked daemon child) never holds
 * the whole table. */
static enum scan_result scan_stream(struct scan *s, const char *path,
                                     struct table_stream *ts)
{
    struct table_text piece;
    struct line_iter it;
    enum scan_result result = SCAN_NO_MATCH;
    bool reported = false;
    int newlines = 0, error = 0;

    s->newline_reported = &reported;
    while (result == SCAN_NO_MATCH &&
           table_stream_next(ts, &piece, &error)) {
        fastline_forget(&s->fast); /* its memos point into the last piece */
        line_iter_at(&it, &piece, 0, newlines);
        result = scan_from(s, &it);
        newlines = it.newlines;
    }
    if (error != 0 && result == SCAN_NO_MATCH) {
        /* The rest of the table is unknown: it may hold the rule. */
        errno = error;
        diag_warn("cannot read %s: %m", path);
        result = SCAN_FAILED;
    }
    cache_streamed(path, &ts->st, reported);
    return result;
}

/* The version's index, built on its second use. */
static const struct table_index *version_index(struct table_version *v)
{
    struct table_index *ix = __atomic_load_n(&v->index, __ATOMIC_ACQUIRE);

    if (index_disabled)
        return NULL;
    if (ix != NULL || __atomic_add_fetch(&v->uses, 1, __ATOMIC_RELAXED) < 2)
        return ix;
    pthread_mutex_lock(&v->build_lock);
    ix = __atomic_load_n(&v->index, __ATOMIC_ACQUIRE);
    if (ix == NULL && !v->index_failed) {
        ix = index_build(&v->text);
        if (ix == NULL)
            v->index_failed = true;
        __atomic_store_n(&v->index, ix, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&v->build_lock);
    return ix;
}

/*
 * Scans one table for the first rule that applies.  On SCAN_MATCH,
 * s->granted holds the rule's verdict and s->jumped tells whether an
 * option decided it.
 */
static enum scan_result scan_table(const char *path, struct request_info *r,
                                    bool allow_table, bool *granted)
{
    struct scan s;
    struct line_iter it;
    const struct diag_where *previous;
    const struct table_index *ix;
    enum table_status status;
    enum scan_result result;
    struct table_stream ts;
    bool stream;

    memset(&s, 0, sizeof(s));
    if (path == NULL) {
        /* What fopen(NULL) gives Debian's reader (D5). */
        errno = EFAULT;
        diag_warn("cannot open %s: %m", "(null)");
        return SCAN_UNREADABLE;
    }
    s.version = cache_get(path, &status, &stream);
    if (stream)
        status = table_stream_open(path, &ts);
    switch (status) {
    case TABLE_OK:
        break;
    case TABLE_MISSING:
        return SCAN_NO_MATCH;
    case TABLE_UNREADABLE:
        diag_warn("cannot open %s: %m", path);
        return SCAN_UNREADABLE;
    case TABLE_ERROR:
        diag_warn("cannot open %s: %m", path);
        return SCAN_FAILED;
    }
    s.r = r;
    s.allow_table = allow_table;
    s.where.file = path;
    sb_init(&s.scratch);
    fastline_init(&s.fast, r);
    previous = diag_push(&s.where);
    if (stream) {
        result = scan_stream(&s, path, &ts);
        table_stream_close(&ts);
    } else {
        s.newline_reported = &s.version->newline_reported;
        ix = version_index(s.version);
        if (ix != NULL) {
            result = scan_index(&s, ix);
        } else {
            line_iter_init(&it, &s.version->text);
            result = scan_from(&s, &it);
        }
    }
    diag_pop(previous);
    *granted = s.granted;
    arena_free(&s.arena);
    sb_free(&s.scratch);
    cache_put(s.version);
    return result;
}

/* Cuts the request's fixed-size strings at their last byte, for callers
 * that fill them in by hand without a terminator. */
static void terminate_fields(struct request_info *r)
{
    struct host_info *h[2] = {r->client, r->server};
    int i;

    r->user[sizeof(r->user) - 1] = '\0';
    r->daemon[sizeof(r->daemon) - 1] = '\0';
    r->pid[sizeof(r->pid) - 1] = '\0';
    for (i = 0; i < 2; i++) {
        h[i]->name[sizeof(h[i]->name) - 1] = '\0';
        h[i]->addr[sizeof(h[i]->addr) - 1] = '\0';
        h[i]->request = r;
    }
}

/* Denies because the table could not be evaluated (the cause is
 * logged already). */
static int deny_failed(const char *table)
{
    diag_warn("access denied: %s could not be evaluated", table);
    return 0;
}

/* Both tables, in order: 1 grants, 0 denies. */
static int decide(struct request_info *r)
{
    bool granted = false;

    switch (scan_table(hosts_allow_table, r, true, &granted)) {
    case SCAN_MATCH:
        return granted;
    case SCAN_NO_MATCH:
    case SCAN_UNREADABLE:
        break;
    case SCAN_FAILED:
        return deny_failed(hosts_allow_table);
    }
    switch (scan_table(hosts_deny_table, r, false, &granted)) {
    case SCAN_MATCH:
        return granted;
    case SCAN_NO_MATCH:
        return 1;
    case SCAN_UNREADABLE:
        break;
    case SCAN_FAILED:
        return deny_failed(hosts_deny_table);
    }
    return 0;
}

/* Decides a request: 1 grants, 0 denies.  The caller's errno is kept. */
LIBWRAP_API int hosts_access(struct request_info *r)
{
    int seen, verdict, saved = errno;

    if (r == NULL) {
        diag_warn("hosts_access: no request; access denied");
        return 0;
    }
    terminate_fields(r);

    /* The second call in a process marks it resident (twist refuses). */
    seen = __atomic_load_n(&resident, __ATOMIC_RELAXED);
    while (seen <= 0 &&
           !__atomic_compare_exchange_n(&resident, &seen, seen + 1, true,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
    verdict = decide(r);
    errno = saved;
    return verdict;
}

/* Decides a request given as strings; NULL reads as "unknown" (D5). */
LIBWRAP_API int hosts_ctl(char *daemon, char *name, char *addr, char *user)
{
    struct request_info r;

    request_init(&r, RQ_DAEMON, daemon != NULL ? daemon : unknown,
                 RQ_CLIENT_NAME, name != NULL ? name : unknown,
                 RQ_CLIENT_ADDR, addr != NULL ? addr : unknown,
                 RQ_USER, user != NULL ? user : unknown, 0);
    return hosts_access(&r);
}
