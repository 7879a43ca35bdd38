/*
 * access.c - the access decision: hosts_access() and hosts_ctl().
 *
 * Exports hosts_access(), hosts_ctl() and access_decide().  The allow
 * table is scanned, then the deny table; each scan ends at its first
 * matching rule and yields match, no match, unreadable or error.  Access
 * is granted when the allow table matches, or when the deny table does
 * not match; the options of the matching rule can override the table's
 * verdict.  An unreadable table is Debian's "cannot open": hosts.allow
 * falls through to hosts.deny, hosts.deny denies.  An error (this
 * process ran out of descriptors or memory, or a table could not be
 * read) denies at once, whichever table it is in: no verdict can be
 * trusted then, and Debian's library, which opens both tables on every
 * decision, denies in that state too.  Nothing here long-jumps, so
 * concurrent calls on different requests are safe (compat-policy D7).
 *
 * A table is scanned one of three ways, all with the same lexer,
 * classifier and matcher: a table seen the first time is streamed, each
 * logical line lexed and compiled into a scratch image and matched at
 * once; a compiled ruleset (cache.h) is matched rule by rule, through its
 * index when it has one.  A compiled image found out of bounds
 * (MATCH_CORRUPT: only a mapped one can be) is dropped and the decision
 * made again from the text.
 *
 * DIAGNOSTICS: Debian's table messages ("cannot open <path>: <cause>",
 * "missing \":\" separator", "matched:" lines, the D2 warning); an error
 * is logged where it happens, then "access denied: <table> could not be
 * evaluated".
 */
#include "access.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "cache.h"
#include "common.h"
#include "diag.h"
#include "dropin.h"
#include "hostlist.h"
#include "index.h"
#include "lex.h"
#include "match.h"
#include "options.h"
#include "pattern.h"
#include "store.h"
#include "table.h"

const struct access_config access_default = {
    .store_dir = STORE_DIR,
    .time_granularity_ns = 1,
    .store_min_size = CACHE_SMALL_TABLE,
};

enum scan_result {
    SCAN_NO_MATCH,
    SCAN_MATCH,      /* a rule matched; s->granted says what it decided */
    SCAN_UNREADABLE, /* Debian's "cannot open" */
    SCAN_FAILED,     /* could not be evaluated: the decision denies */
    SCAN_CORRUPT,    /* a compiled image is bad: decide from the text */
};

/* Daemon fields a streamed scan remembers the verdicts of. */
enum { MEMOS = 2 };

/* State of one table scan. */
struct scan {
    struct request_info *r;
    struct match_ctx *m;
    bool *newline_reported; /* where the D2 warning is remembered */
    bool allow_table;
    bool granted; /* the verdict, on SCAN_MATCH */
    bool jumped;  /* an option decided it (Debian's long jump) */
    struct diag_where where;
    /* Compiled rules: the verdict of the last daemon list. */
    uint32_t last_daemons;
    enum match_result last_daemons_hit;
    /* Streamed text: lexer, scratch image, joined lines, and the
     * verdicts of the last daemon fields ("sshd:", with the ':'). */
    struct lex_line lex;
    struct image_builder scratch;
    const char *scratch_line; /* the line the scratch image holds */
    struct strbuf joined;
    struct memo {
        const char *text;
        size_t len;
        uint64_t word, mask; /* its first bytes, for len <= 8 */
        enum match_result hit;
    } memo[MEMOS];
    int memo_next, memo_last; /* the slot to reuse, the last one hit */
    const char *addr;         /* the client's address, once read */
    size_t addr_len;
    bool addr_wide; /* 16 bytes of it can be read */
};

/* Runs the options of a matched rule and turns them into a verdict. */
static enum scan_result run_rule(struct scan *s, const char *options)
{
    if (hosts_access_verbose > 1)
        diag_log(LOG_DEBUG, "matched:  %s line %d", s->where.file,
                 s->where.line);
    if (options != NULL) {
        switch (options_run(options, s->r)) {
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

/* The scan result of a match result that is not MATCH_YES. */
static enum scan_result not_matched(enum match_result hit)
{
    switch (hit) {
    case MATCH_CORRUPT:
        return SCAN_CORRUPT;
    case MATCH_ERROR:
        return SCAN_FAILED; /* the cause is logged */
    default:
        return SCAN_NO_MATCH;
    }
}

/* Logs that a line could not be evaluated for want of memory. */
static enum scan_result out_of_memory(void)
{
    errno = ENOMEM;
    diag_warn("cannot evaluate this rule: %m");
    return SCAN_FAILED;
}

/* The D2 warning, once per version of the file. */
static void warn_unterminated(struct scan *s)
{
    if (!__atomic_exchange_n(s->newline_reported, true, __ATOMIC_ACQ_REL))
        diag_warn("missing newline at end of file; "
                  "the last line is used anyway");
}

/* ---- compiled rules ---- */

/* Evaluates one compiled rule with every side effect it has. */
static enum scan_result eval_compiled(struct scan *s, const struct image *im,
                                      const struct image_rule *rule)
{
    enum match_result hit;
    const char *options;
    bool corrupt;
    enum scan_result result;

    s->where.line = image_rule_line(rule);
    if (image_rule_flags(rule) & IMAGE_RULE_UNTERMINATED)
        warn_unterminated(s);
    if (image_rule_flags(rule) & IMAGE_RULE_COMMENT)
        return SCAN_NO_MATCH;
    if (image_rule_flags(rule) & IMAGE_RULE_NO_COLON) {
        diag_warn("missing \":\" separator");
        return SCAN_NO_MATCH;
    }
    /* Consecutive rules share their daemon list when it is the same. */
    if (rule->daemons != 0 && rule->daemons == s->last_daemons) {
        hit = s->last_daemons_hit;
    } else {
        hit = match_daemons(s->m, im, rule->daemons);
        s->last_daemons = rule->daemons;
        s->last_daemons_hit = hit;
    }
    if (hit == MATCH_YES)
        hit = match_clients(s->m, im, rule->clients);
    if (hit != MATCH_YES)
        return not_matched(hit);
    options = image_rule_options(im, rule, &corrupt);
    if (corrupt)
        return SCAN_CORRUPT;
    result = run_rule(s, options);
    if (s->jumped)
        diag_leave_context(&s->where);
    return result;
}

/* Rule i of a table image, or NULL. */
static const struct image_rule *
rule_at(const struct image *im, const struct image_header *h, uint32_t i)
{
    return image_at(im, h->rules + i * (uint32_t)sizeof(struct image_rule),
                    sizeof(struct image_rule));
}

/* Every rule from first on, in order. */
static enum scan_result scan_rules(struct scan *s, const struct image *im,
                                   const struct image_header *h,
                                   uint32_t first)
{
    const struct image_rule *rule;
    enum scan_result result = SCAN_NO_MATCH;
    uint32_t i;

    for (i = first; i < h->n_rules && result == SCAN_NO_MATCH; i++) {
        if ((rule = rule_at(im, h, i)) == NULL)
            return SCAN_CORRUPT;
        result = eval_compiled(s, im, rule);
    }
    return result;
}

/* The index's question (index.h): does this daemon list match? */
static enum match_result daemons_of(void *m, const struct image *im,
                                    uint32_t off)
{
    return match_daemons(m, im, off);
}

/* Only the rules the index says can match, in order. */
static enum scan_result scan_index(struct scan *s, const struct image *im,
                                   const struct image_header *h)
{
    struct index_query q;
    const struct image_rule *rule;
    enum scan_result result = SCAN_NO_MATCH;
    uint32_t i;

    index_query_begin(&q, im, h, s->r);
    while (result == SCAN_NO_MATCH && index_query_next(&q, &i)) {
        /* What the skipped rules would have left in the request first. */
        index_query_catch_up(&q, daemons_of, s->m, i);
        if (q.corrupt || (rule = rule_at(im, h, i)) == NULL) {
            result = SCAN_CORRUPT;
            break;
        }
        result = eval_compiled(s, im, rule);
    }
    if (result == SCAN_NO_MATCH && q.failed && index_query_resume(&q, &i)) {
        /* Out of memory for candidates: the remaining rules in order,
         * which is exact (the rules skipped so far could not match). */
        index_query_catch_up(&q, daemons_of, s->m, i);
        result = scan_rules(s, im, h, i);
    } else if (result == SCAN_NO_MATCH) {
        index_query_catch_up(&q, daemons_of, s->m, h->n_rules);
    }
    if (q.corrupt)
        result = SCAN_CORRUPT;
    index_query_end(&q);
    return result;
}

/* ---- streamed text ---- */

/* The scratch image as it is now. */
static struct image scratch_image(const struct scan *s)
{
    struct image im = {(const unsigned char *)s->scratch.buf.data,
                       s->scratch.buf.len, NULL};

    return im;
}

/* Makes the scratch image hold the line, which the patterns compiled
 * into it refer to (once per line); false when memory runs out. */
static bool scratch_begin(struct scan *s, const struct logical_line *line)
{
    uint32_t off;

    if (s->scratch_line == line->text)
        return true;
    image_builder_reset(&s->scratch);
    if ((off = image_put_bytes(&s->scratch, line->text, line->len)) == 0)
        return false;
    s->scratch.text_base = line->text;
    s->scratch.text_len = line->len;
    s->scratch.text_off = off;
    s->scratch_line = line->text;
    return true;
}

/* Reads the client's address as the first host pattern does. */
static void read_client_addr(struct scan *s)
{
    const char *field = s->r->client->addr;

    s->addr = match_client_addr(s->m, &s->addr_len);
    /* The field holds STRING_LENGTH bytes: room for a 16-byte read. */
    s->addr_wide =
        s->addr >= field && s->addr + 16 <= field + sizeof(s->r->client->addr);
}

/* True when text starts with the remembered daemon field. */
static inline bool memo_fits(const struct memo *mo, const char *text,
                             size_t len)
{
    uint64_t w;

    if (mo->len == 0 || mo->len > len)
        return false;
    if (mo->len <= 8) {
        /* One word: the table has TABLE_PADDING bytes after its text. */
        memcpy(&w, text, 8);
        return ((w ^ mo->word) & mo->mask) == 0;
    }
    return memcmp(text, mo->text, mo->len) == 0;
}

/* A remembered verdict for the daemon field at the start of text; the
 * last one that fitted is tried first. */
static inline const struct memo *find_memo(struct scan *s, const char *text,
                                           size_t len)
{
    int i = s->memo_last;

    if (memo_fits(&s->memo[i], text, len))
        return &s->memo[i];
    i = (i + 1) % MEMOS;
    if (!memo_fits(&s->memo[i], text, len))
        return NULL;
    s->memo_last = i;
    return &s->memo[i];
}

/* Remembers the verdict of a daemon field lexed in place, when nothing
 * after its ':' could have changed how it was read (an '@' may be
 * followed by a bare IPv6 address). */
static void remember(struct scan *s, const char *text, size_t len,
                     enum match_result hit)
{
    size_t i;
    struct memo *mo;

    for (i = 0; i < s->lex.daemons.count; i++)
        if (s->lex.daemons.items[i].flags & (LEX_AT | LEX_BRACKET))
            return;
    mo = &s->memo[s->memo_next];
    s->memo_last = s->memo_next;
    s->memo_next = (s->memo_next + 1) % MEMOS;
    mo->text = text;
    mo->len = len;
    mo->hit = hit;
    mo->word = 0;
    mo->mask = len <= 8 ? ~0ULL >> (64 - 8 * len) : 0;
    memcpy(&mo->word, text, len <= 8 ? len : 0);
}

/* Evaluates one logical line of text: lexed, compiled into the scratch
 * image and matched, with every side effect it has.  in_place says the
 * line lies in the piece being scanned (not joined elsewhere). */
static enum scan_result
eval_line(struct scan *s, const struct logical_line *line, bool in_place)
{
    const char *text = line->text, *clients, *options;
    const struct lex_item *item;
    const struct memo *mo;
    enum match_result hit;
    enum scan_result result;
    struct image im;
    uint32_t off;
    bool nomem;

    s->where.line = line->lineno;
    if (line->unterminated)
        warn_unterminated(s);
    if (lex_is_blank(text, line->len))
        return SCAN_NO_MATCH;
    arena_reset(&s->lex.arena);
    s->scratch_line = NULL;
    if (in_place && (mo = find_memo(s, text, line->len)) != NULL) {
        clients = text + mo->len;
        hit = mo->hit;
    } else {
        /* Debian finds the first ':' before looking at patterns. */
        clients =
            lex_field(&s->lex.daemons, &s->lex.arena, text, false, &nomem);
        if (nomem)
            return out_of_memory();
        if (clients == NULL) {
            diag_warn("missing \":\" separator");
            return SCAN_NO_MATCH;
        }
        if (!scratch_begin(s, line) ||
            (off = pattern_put_list(&s->scratch, &s->lex.daemons, LIST_DAEMONS,
                                    0)) == 0)
            return out_of_memory();
        im = scratch_image(s);
        hit = match_daemons(s->m, &im, off);
        if (in_place && hit >= 0)
            remember(s, text, (size_t)(clients - text), hit);
    }
    if (hit != MATCH_YES)
        return not_matched(hit);
    options = lex_field(&s->lex.clients, &s->lex.arena, clients, true, &nomem);
    if (nomem)
        return out_of_memory();
    item = s->lex.clients.items;
    if (s->lex.clients.count == 1 &&
        !(item->flags & (LEX_NAME | LEX_SLASH | LEX_REWRITTEN))) {
        /* One address, prefix or suffix: the usual block list line. */
        if (s->addr == NULL)
            read_client_addr(s);
        hit = match_address_pattern(
                  pattern_address_kind(item->text, item->len), item->text,
                  item->len, s->addr, s->addr_len, s->addr_wide)
                  ? MATCH_YES
                  : MATCH_NO;
    } else {
        if (!scratch_begin(s, line) ||
            (off = pattern_put_list(&s->scratch, &s->lex.clients, LIST_CLIENTS,
                                    0)) == 0)
            return out_of_memory();
        im = scratch_image(s);
        hit = match_clients(s->m, &im, off);
    }
    if (hit != MATCH_YES)
        return not_matched(hit);
    if (options != NULL) {
        /* The option field, NUL-terminated, to the end of the line. */
        if (!scratch_begin(s, line))
            return out_of_memory();
        off = image_put_string(&s->scratch, options,
                               line->len - (size_t)(options - text));
        if (off == 0)
            return out_of_memory();
        options = s->scratch.buf.data + off;
    }
    result = run_rule(s, options);
    if (s->jumped)
        diag_leave_context(&s->where);
    return result;
}

/* A rule whose daemons matched and whose client list is the one pattern
 * item (lex_single_item()): classified and matched as it stands, as the
 * one record it would compile into (a lone EXCEPT matches nothing; a
 * host list's path must be a C string, so it is compiled). */
static enum scan_result eval_single_pattern(struct scan *s,
                                            struct lex_item item)
{
    struct lex_list list = {&item, 1, 1};
    struct pattern_host ph;
    union pattern_value store;
    struct image im;
    enum match_result hit;
    uint32_t off;

    if (lex_is_except(item.text, item.len))
        return SCAN_NO_MATCH;
    if (item.text[0] != '/') {
        if (!pattern_classify_host(item.text, item.len, item.flags, &ph,
                                   &store))
            return out_of_memory();
        hit = match_client_host(s->m, &ph);
    } else {
        image_builder_reset(&s->scratch);
        s->scratch_line = NULL;
        if ((off = pattern_put_list(&s->scratch, &list, LIST_CLIENTS, 0)) == 0)
            return out_of_memory();
        im = scratch_image(s);
        hit = match_clients(s->m, &im, off);
    }
    if (hit != MATCH_YES)
        return not_matched(hit);
    return run_rule(s, NULL);
}

/*
 * The line at the iterator when its daemon field is one remembered and
 * its client field, if it is looked at, is one pattern (lex.h): evaluates
 * it, moves past it and returns true.  False leaves the line to
 * eval_line().  The usual block list line takes this way.
 */
static bool eval_usual_line(struct scan *s, struct line_iter *it,
                            enum scan_result *result)
{
    const struct memo *mo = find_memo(s, it->p, (size_t)(it->end - it->p));
    struct lex_item item;
    const char *nl;
    bool single;

    if (mo == NULL)
        return false;
    if (mo->hit != MATCH_YES) {
        /* The daemons do not match: nothing else on the line is read. */
        nl = memchr(it->p + mo->len, '\n',
                    (size_t)(it->end - it->p - (ptrdiff_t)mo->len));
        if (nl == NULL || nl[-1] == '\\')
            return false;
        *result = SCAN_NO_MATCH;
    } else if ((single = lex_single_item(it->p + mo->len, &item, &nl)) &&
               item.flags == 0) {
        /* Digits and dots: an address, a prefix or a suffix. */
        s->where.line = it->newlines + 1;
        if (s->addr == NULL)
            read_client_addr(s);
        if (match_address_pattern(pattern_address_kind(item.text, item.len),
                                  item.text, item.len, s->addr, s->addr_len,
                                  s->addr_wide))
            *result = run_rule(s, NULL);
        else
            *result = SCAN_NO_MATCH;
    } else if (single && nl[-1] != '\\') {
        /* One pattern of another kind. */
        s->where.line = it->newlines + 1;
        *result = eval_single_pattern(s, item);
    } else {
        /* Another line of one physical line: the general way, without
         * the line reader's copying. */
        struct logical_line line;

        nl = memchr(it->p + mo->len, '\n',
                    (size_t)(it->end - it->p - (ptrdiff_t)mo->len));
        if (nl == NULL || nl[-1] == '\\')
            return false;
        line.text = it->p;
        line.len = (size_t)(nl + 1 - it->p);
        line.lineno = it->newlines + 1;
        line.unterminated = false;
        *result = eval_line(s, &line, true);
    }
    it->p = nl + 1;
    it->newlines++;
    return true;
}

/* Every logical line of a piece of text, in order. */
static enum scan_result scan_text(struct scan *s, struct line_iter *it,
                                  const struct table_text *piece)
{
    struct logical_line line;
    enum scan_result result = SCAN_NO_MATCH;

    while (result == SCAN_NO_MATCH) {
        if (!piece->has_nul && it->p < it->end &&
            eval_usual_line(s, it, &result))
            continue;
        if (!line_iter_next(it, &s->joined, &line))
            break;
        bool in_place =
            line.text >= piece->data && line.text < piece->data + piece->size;
        result = eval_line(s, &line, in_place);
    }
    if (result == SCAN_NO_MATCH && sb_failed(&s->joined))
        return out_of_memory();
    return result;
}

/* A table read for the first time, scanned piece by piece as it is read:
 * a process that decides once (tcpd, a forked daemon child) never holds
 * the whole table, nor compiles it. */
static enum scan_result scan_stream(struct scan *s, const char *path,
                                    struct table_stream *ts)
{
    struct table_text piece;
    struct line_iter it;
    enum scan_result result = SCAN_NO_MATCH;
    bool reported = cache_newline_reported(path, &ts->st);
    int newlines = 0, error = 0;

    s->newline_reported = &reported;
    lex_init(&s->lex);
    image_builder_init(&s->scratch);
    sb_init(&s->joined);
    while (result == SCAN_NO_MATCH && table_stream_next(ts, &piece, &error)) {
        /* The memos point into the last piece. */
        memset(s->memo, 0, sizeof(s->memo));
        line_iter_at(&it, &piece, 0, newlines);
        result = scan_text(s, &it, &piece);
        newlines = it.newlines;
    }
    if (error != 0 && result == SCAN_NO_MATCH) {
        /* The rest of the table is unknown: it may hold the rule. */
        errno = error;
        diag_warn("cannot read %s: %m", path);
        result = SCAN_FAILED;
    }
    lex_free(&s->lex);
    image_builder_free(&s->scratch);
    sb_free(&s->joined);
    cache_streamed(path, &ts->st, reported);
    return result;
}

/* ---- tables ---- */

/*
 * Scans one table for the first rule that applies.  On SCAN_MATCH,
 * *granted holds the rule's verdict.
 */
static enum scan_result scan_table(const char *path, struct match_ctx *m,
                                   const struct access_config *cfg,
                                   bool allow_table, bool *granted)
{
    struct scan s;
    const struct diag_where *previous;
    enum table_status status;
    enum scan_result result;
    struct table_stream ts;
    struct image_reader rd;
    struct image im;
    struct ruleset *rs;
    bool stream;

    memset(&s, 0, sizeof(s));
    if (path == NULL) {
        /* What fopen(NULL) gives Debian's reader (D5). */
        errno = EFAULT;
        diag_warn("cannot open %s: %m", "(null)");
        return SCAN_UNREADABLE;
    }
    rs = cache_get(path, IMAGE_TABLE, cfg, &status, &stream, &rd);
    if (stream)
        status = table_stream_open(path, &ts, false);
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
    s.r = m->r;
    s.m = m;
    s.allow_table = allow_table;
    s.where.file = path;
    previous = diag_push(&s.where);
    if (stream) {
        result = scan_stream(&s, path, &ts);
        table_stream_close(&ts);
    } else {
        s.newline_reported = &rs->newline_reported;
        /* Just mapped: read through rd rather than fault pages in. */
        im = rs->im;
        if (rd.fd >= 0)
            im.reader = &rd;
        if (rs->h->index != 0 && !cfg->no_index)
            result = scan_index(&s, &im, rs->h);
        else
            result = scan_rules(&s, &im, rs->h, 0);
        image_reader_end(&rd);
        if (result == SCAN_CORRUPT)
            cache_forget(path);
        ruleset_put(rs);
    }
    diag_pop(previous);
    *granted = s.granted;
    return result;
}

/* Logs that a decision denies because what (a table, a fragment, a
 * directory) could not be evaluated; the cause is logged already. */
static enum scan_result denied_failed(const char *what)
{
    diag_warn("access denied: %s could not be evaluated", what);
    return SCAN_FAILED;
}

/*
 * A table and the fragments of its drop-in directory (dropin.h), as one
 * logical table; without the directory, this is scan_table().  A
 * fragment that cannot be read, or a directory that cannot be listed,
 * fails the table, as a table that cannot be read whole does: what it
 * holds is unknown.  SCAN_FAILED has been logged.
 */
static enum scan_result scan_logical(const char *table, struct match_ctx *m,
                                     const struct access_config *cfg,
                                     struct dir_seen *seen, bool allow_table,
                                     bool *granted)
{
    enum scan_result first, result;
    struct dropin *d;
    size_t i;

    first = scan_table(table, m, cfg, allow_table, granted);
    if (first == SCAN_FAILED)
        return denied_failed(table);
    if (first == SCAN_MATCH || first == SCAN_CORRUPT ||
        (first == SCAN_UNREADABLE && !allow_table) || table == NULL)
        return first;
    if (cache_fragments(table, seen, &d) != TABLE_OK) {
        diag_warn("cannot list %s.d: %m", table);
        return denied_failed(table);
    }
    result = first;
    for (i = 0; i < dropin_count(d) && result == first; i++) {
        const char *fragment = dropin_path(d, i);

        switch (scan_table(fragment, m, cfg, allow_table, granted)) {
        case SCAN_NO_MATCH:
            break;
        case SCAN_MATCH:
            result = SCAN_MATCH;
            break;
        case SCAN_UNREADABLE:
        case SCAN_FAILED:
            result = denied_failed(fragment);
            break;
        case SCAN_CORRUPT:
            result = SCAN_CORRUPT;
            break;
        }
    }
    dropin_put(d);
    return result;
}

/* Both tables, in order: 1 grants, 0 denies, -1 a compiled image was
 * bad (decide again from the text). */
static int decide(struct request_info *r, const struct access_config *cfg)
{
    struct match_ctx m;
    struct dir_seen seen = {0};
    bool granted = false;

    match_begin(&m, r, hostlist_match, (void *)cfg);
    switch (scan_logical(hosts_allow_table, &m, cfg, &seen, true, &granted)) {
    case SCAN_MATCH:
        return granted;
    case SCAN_NO_MATCH:
    case SCAN_UNREADABLE:
        break;
    case SCAN_FAILED:
        return 0;
    case SCAN_CORRUPT:
        return -1;
    }
    switch (scan_logical(hosts_deny_table, &m, cfg, &seen, false, &granted)) {
    case SCAN_MATCH:
        return granted;
    case SCAN_NO_MATCH:
        return 1;
    case SCAN_UNREADABLE:
    case SCAN_FAILED:
        return 0;
    case SCAN_CORRUPT:
        return -1;
    }
    return 0;
}

int access_decide(struct request_info *r, const struct access_config *cfg)
{
    struct access_config text_only = *cfg;
    int verdict = decide(r, cfg);

    if (verdict >= 0)
        return verdict;
    /* Only a mapped image can be bad, and it has been dropped: the text
     * decides (its side effects so far may repeat). */
    text_only.store_dir = NULL;
    verdict = decide(r, &text_only);
    return verdict >= 0 ? verdict : 0;
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
    verdict = access_decide(r, &access_default);
    errno = saved;
    return verdict;
}

/* Decides a request given as strings; NULL reads as "unknown" (D5). */
LIBWRAP_API int hosts_ctl(char *daemon, char *name, char *addr, char *user)
{
    struct request_info r;

    request_init(&r, RQ_DAEMON, daemon != NULL ? daemon : unknown,
                 RQ_CLIENT_NAME, name != NULL ? name : unknown, RQ_CLIENT_ADDR,
                 addr != NULL ? addr : unknown, RQ_USER,
                 user != NULL ? user : unknown, 0);
    return hosts_access(&r);
}
