/*
 * access.c - the access decision: hosts_access() and hosts_ctl().
 *
 * Exports hosts_access() and hosts_ctl().  The allow table is scanned,
 * then the deny table; each scan ends at its first matching rule and
 * yields match, no match, or error.  Access is granted when the allow
 * table matches, or when the deny table does not match (an error in the
 * deny table denies).  The options of the matching rule can override the
 * table's verdict.  Nothing here long-jumps, so concurrent calls on
 * different requests are safe (compat-policy D7).
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "arena.h"
#include "common.h"
#include "diag.h"
#include "fastline.h"
#include "match.h"
#include "options.h"
#include "rule.h"
#include "table.h"

enum table_result {
    TABLE_NO_MATCH,
    TABLE_MATCH,     /* a rule matched; *verdict says what it decided */
    TABLE_FAILED,    /* the table could not be read */
};

/* Remembers which file versions were already reported for a missing
 * final newline, so that the warning appears once per version (D2). */
struct reported {
    struct reported *next;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};
static struct reported *reported_list;
static pthread_mutex_t reported_lock = PTHREAD_MUTEX_INITIALIZER;

/* True the first time it is asked about this version of the file. */
static bool first_report(const struct stat *st)
{
    struct reported *p;
    bool first = true;

    pthread_mutex_lock(&reported_lock);
    for (p = reported_list; p != NULL; p = p->next) {
        if (p->dev == st->st_dev && p->ino == st->st_ino &&
            p->size == st->st_size &&
            p->mtime.tv_sec == st->st_mtim.tv_sec &&
            p->mtime.tv_nsec == st->st_mtim.tv_nsec) {
            first = false;
            break;
        }
    }
    if (first && (p = malloc(sizeof(*p))) != NULL) {
        p->dev = st->st_dev;
        p->ino = st->st_ino;
        p->size = st->st_size;
        p->mtime = st->st_mtim;
        p->next = reported_list;
        reported_list = p;
    }
    pthread_mutex_unlock(&reported_lock);
    return first;
}

/* Runs the options of a matched rule and turns them into a verdict. */
static enum table_result run_rule(const struct rule *rule,
                                  struct request_info *r, bool *granted,
                                  bool allow_table, bool *jumped)
{
    if (rule->options != NULL) {
        switch (options_run(rule->options, r)) {
        case OPTIONS_ALLOW:
            *granted = true;
            *jumped = true;
            return TABLE_MATCH;
        case OPTIONS_DENY:
            *granted = false;
            *jumped = true;
            return TABLE_MATCH;
        case OPTIONS_NO_MATCH:
            return TABLE_NO_MATCH;
        case OPTIONS_DEFAULT:
            break;
        }
    }
    *granted = allow_table;
    return TABLE_MATCH;
}

/*
 * Scans one table for the first rule that applies.  On TABLE_MATCH,
 * *granted holds the rule's verdict and *jumped tells whether an option
 * decided it (Debian's long jump).
 */
static enum table_result scan_table(const char *path, struct request_info *r,
                                    bool allow_table, bool *granted,
                                    bool *jumped)
{
    struct table_text text;
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT;
    struct arena arena = ARENA_INIT;
    struct diag_where where = {path, 0};
    const struct diag_where *previous;
    enum table_result result = TABLE_NO_MATCH;
    struct fastline fast;
    struct rule rule;

    switch (table_read(path, &text)) {
    case TABLE_MISSING:
        return TABLE_NO_MATCH;
    case TABLE_ERROR:
        diag_warn("cannot open %s: %m", path);
        return TABLE_FAILED;
    case TABLE_OK:
        break;
    }
    previous = diag_push(&where);
    fastline_init(&fast, r);
    line_iter_init(&it, text.data, text.size);
    for (;;) {
        if (it.p < it.end && fastline_scan(&fast, &it) == FASTLINE_NO_MATCH)
            continue;
        if (!line_iter_next(&it, &scratch, &line))
            break;
        where.line = line.lineno;
        if (line.unterminated && first_report(&text.st))
            diag_warn("missing newline at end of file; "
                      "the last line is used anyway");
        switch (rule_parse(&arena, line.text, line.len, line.lineno, &rule)) {
        case RULE_IGNORED:
            break;
        case RULE_NO_COLON:
            diag_warn("missing \":\" separator");
            break;
        case RULE_NOMEM:
            errno = ENOMEM;
            diag_warn("%m: all the subsequent rules will be ignored");
            result = TABLE_FAILED;
            goto done;
        case RULE_PARSED:
            if (!match_rule(&rule, r))
                break;
            if (hosts_access_verbose > 1)
                diag_log(LOG_DEBUG, "matched:  %s line %d", path,
                         line.lineno);
            result = run_rule(&rule, r, granted, allow_table, jumped);
            if (*jumped)
                diag_leave_context(&where);
            if (result == TABLE_MATCH)
                goto done;
            break;
        }
        arena_reset(&arena);
    }
    if (sb_failed(&scratch)) {
        errno = ENOMEM;
        diag_warn("%m: all the subsequent rules will be ignored");
        result = TABLE_FAILED;
    }
done:
    diag_pop(previous);
    arena_free(&arena);
    sb_free(&scratch);
    table_text_free(&text);
    return result;
}

/* Decides a request: 1 grants, 0 denies. */
LIBWRAP_API int hosts_access(struct request_info *r)
{
    bool granted = false, jumped = false;
    int seen;

    /* The second call in a process marks it resident (twist refuses). */
    seen = __atomic_load_n(&resident, __ATOMIC_RELAXED);
    while (seen <= 0 &&
           !__atomic_compare_exchange_n(&resident, &seen, seen + 1, true,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;

    switch (scan_table(hosts_allow_table, r, true, &granted, &jumped)) {
    case TABLE_MATCH:
        return granted;
    case TABLE_NO_MATCH:
    case TABLE_FAILED:
        break;
    }
    switch (scan_table(hosts_deny_table, r, false, &granted, &jumped)) {
    case TABLE_MATCH:
        return granted;
    case TABLE_NO_MATCH:
        return 1;
    case TABLE_FAILED:
        break;
    }
    return 0;
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
