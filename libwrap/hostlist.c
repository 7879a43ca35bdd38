/*
 * hostlist.c - "/file" host patterns.
 *
 * Exports hostlist_match().  The file comes from the table cache (read
 * once, revalidated with stat() on every use), then its words are matched
 * one by one, so matching stops (and lookups stop) at the first word that
 * matches, as with Debian's word-by-word reader.  Words have no length
 * limit.
 *
 * Lists that name lists are bounded three ways for one client pattern
 * (compat-policy D4): nesting deeper than MATCH_MAX_FILE_DEPTH, a list
 * that names itself (directly or through others), and more than
 * HOSTLIST_MAX_VISITS lists read in all (lists that name several lists
 * that name several lists grow exponentially).  Each gives one warning
 * per pattern and no match for the list concerned.
 */
#include "hostlist.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "cache.h"
#include "diag.h"
#include "match.h"
#include "strbuf.h"
#include "table.h"

enum { HOSTLIST_MAX_VISITS = 1000 };

/* The lists this thread is reading for its current client pattern. */
static _Thread_local struct {
    const char *open[MATCH_MAX_FILE_DEPTH]; /* the list at each depth */
    unsigned visits;                        /* lists read so far */
    bool warned;                            /* a bound was reported */
    bool exhausted;                         /* no more lists are read */
} walk;

/* Reports a bound once per client pattern. */
static void refuse_list(const char *path, const char *why)
{
    if (!walk.warned)
        diag_warn("%s: %s; ignored", path, why);
    walk.warned = true;
}

/* True when path may be read at this depth; records it as open. */
static bool may_read(const char *path, int depth)
{
    int i;

    if (depth == 0) {
        walk.visits = 0;
        walk.warned = false;
        walk.exhausted = false;
    }
    if (walk.exhausted)
        return false;
    if (++walk.visits > HOSTLIST_MAX_VISITS) {
        refuse_list(path, "too many host list files for one pattern");
        walk.exhausted = true;
        return false;
    }
    if (depth >= MATCH_MAX_FILE_DEPTH) {
        refuse_list(path, "host list files nested too deep");
        return false;
    }
    for (i = 0; i < depth; i++) {
        if (strcmp(walk.open[i], path) == 0) {
            refuse_list(path, "host list file names itself");
            return false;
        }
    }
    walk.open[depth] = path;
    return true;
}

enum match_result hostlist_match(const char *path, struct host_info *host,
                                 int depth)
{
    struct table_version *v;
    enum table_status status;
    struct strbuf word = STRBUF_INIT;
    const char *p, *end, *start;
    enum match_result hit = MATCH_NO;

    if (!may_read(path, depth))
        return MATCH_NO;
    v = cache_get(path, &status, NULL);
    if (v == NULL) {
        if (status == TABLE_MISSING)
            return MATCH_NO;
        diag_warn("open %s: %m", path);
        /* Debian's "no match" for a list it may not open; a list this
         * process could not read is an error. */
        return status == TABLE_ERROR ? MATCH_ERROR : MATCH_NO;
    }
    /* A NUL byte is part of a word, as for scanf("%s"); the word then
     * ends there as a string. */
    end = v->text.data + v->text.size;
    for (p = v->text.data; hit == MATCH_NO;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        start = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        sb_reset(&word);
        if (!sb_append(&word, start, (size_t)(p - start))) {
            errno = ENOMEM;
            diag_warn("open %s: %m", path);
            hit = MATCH_ERROR;
            break;
        }
        hit = match_host(sb_str(&word), host, depth + 1);
    }
    sb_free(&word);
    cache_put(v);
    return hit;
}
