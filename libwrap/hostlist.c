/*
 * hostlist.c - "/file" host patterns.
 *
 * Exports hostlist_match().  The file is read whole, then its words are
 * matched one by one, so matching stops (and lookups stop) at the first
 * word that matches, as with Debian's word-by-word reader.  Words have
 * no length limit.
 */
#include "hostlist.h"

#include <ctype.h>
#include <errno.h>

#include "diag.h"
#include "match.h"
#include "table.h"

bool hostlist_match(const char *path, struct host_info *host, int depth)
{
    struct table_text text;
    char *p, *end, *word;
    bool hit = false;

    if (depth >= MATCH_MAX_FILE_DEPTH) {
        diag_warn("%s: host list files nested more than %d deep; ignored",
                  path, MATCH_MAX_FILE_DEPTH);
        return false;
    }
    switch (table_read(path, &text)) {
    case TABLE_MISSING:
        return false;
    case TABLE_ERROR:
        diag_warn("open %s: %m", path);
        return false;
    case TABLE_OK:
        break;
    }
    /* A NUL byte is part of a word, as for scanf("%s"); the word then
     * ends there as a string. */
    end = text.data + text.size;
    for (p = text.data; !hit;) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        word = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        *p++ = '\0';
        hit = match_host(word, host, depth + 1);
    }
    table_text_free(&text);
    return hit;
}
