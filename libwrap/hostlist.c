/*
 * hostlist.c - "/file" host patterns.
 *
 * Exports hostlist_match(), the matcher's list function.  The list comes
 * from the cache as a compiled ruleset (read once, revalidated with
 * stat() on every use), then its words are matched one by one, so
 * matching stops (and lookups stop) at the first word that matches, as
 * with Debian's word-by-word reader.  The bounds of compat-policy D4 are
 * kept in the decision's match_walk, not in global state.
 */
#include "hostlist.h"

#include <string.h>

#include "cache.h"
#include "diag.h"

/* Reports a bound once per client pattern. */
static void refuse_list(struct match_walk *w, const char *path,
                        const char *why)
{
    if (!w->warned)
        diag_warn("%s: %s; ignored", path, why);
    w->warned = true;
}

/* True when path may be read at this depth; records it as open. */
static bool may_read(struct match_walk *w, const char *path, int depth)
{
    int i;

    if (depth == 0) {
        w->visits = 0;
        w->warned = false;
        w->exhausted = false;
    }
    if (w->exhausted)
        return false;
    if (++w->visits > HOSTLIST_MAX_VISITS) {
        refuse_list(w, path, "too many host list files for one pattern");
        w->exhausted = true;
        return false;
    }
    if (depth >= MATCH_MAX_FILE_DEPTH) {
        refuse_list(w, path, "host list files nested too deep");
        return false;
    }
    for (i = 0; i < depth; i++) {
        if (strcmp(w->open[i], path) == 0) {
            refuse_list(w, path, "host list file names itself");
            return false;
        }
    }
    w->open[depth] = path;
    return true;
}

enum match_result hostlist_match(struct match_ctx *m, const char *path,
                                 struct match_endpoint *e, int depth)
{
    const struct access_config *cfg = m->list_arg;
    enum table_status status;
    enum match_result hit;
    struct ruleset *rs;

    if (!may_read(&m->walk, path, depth))
        return MATCH_NO;
    rs = cache_get(path, IMAGE_LIST, cfg, &status, NULL, NULL);
    if (rs == NULL) {
        if (status == TABLE_MISSING)
            return MATCH_NO;
        diag_warn("open %s: %m", path);
        /* Debian's "no match" for a list it may not open; a list this
         * process could not read is an error. */
        return status == TABLE_ERROR ? MATCH_ERROR : MATCH_NO;
    }
    hit = match_words(m, &rs->im, rs->h->rules, e, depth + 1);
    if (hit == MATCH_CORRUPT)
        cache_forget(path);
    ruleset_put(rs);
    return hit;
}
