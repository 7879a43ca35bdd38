/*
 * hostlist.c - "/file" host patterns.
 *
 * Exports hostlist_match().  The file comes from the table cache (read
 * once, revalidated with stat() on every use), then its words are matched
 * one by one, so matching stops (and lookups stop) at the first word that
 * matches, as with Debian's word-by-word reader.  Words have no length
 * limit.
 */
#include "hostlist.h"

#include <ctype.h>
#include <errno.h>
#include <errno.h>

#include "cache.h"
#include "diag.h"
#include "match.h"
#include "strbuf.h"
#include "table.h"

bool hostlist_match(const char *path, struct host_info *host, int depth)
{
    struct table_version *v;
    enum table_status status;
    struct strbuf word = STRBUF_INIT;
    const char *p, *end, *start;
    bool hit = false;

    if (depth >= MATCH_MAX_FILE_DEPTH) {
        diag_warn("%s: host list files nested more than %d deep; ignored",
                  path, MATCH_MAX_FILE_DEPTH);
        return false;
    }
    v = cache_get(path, &status, NULL);
    if (v == NULL) {
        if (status == TABLE_ERROR)
            diag_warn("open %s: %m", path);
        return false;
    }
    /* A NUL byte is part of a word, as for scanf("%s"); the word then
     * ends there as a string. */
    end = v->text.data + v->text.size;
    for (p = v->text.data; !hit;) {
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
            break;
        }
        hit = match_host(sb_str(&word), host, depth + 1);
    }
    sb_free(&word);
    cache_put(v);
    return hit;
}
