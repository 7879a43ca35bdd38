/*
 * index.h - finding the few rules of a big table that can match.
 *
 * Built once per table version (on its second use).  Every logical line
 * that is not a comment or blank is an entry, in file order.  Entries
 * whose client patterns (up to the first EXCEPT) are all addresses,
 * prefixes, masks, [IPv6] literals or plain names, and whose daemon list
 * has no '@', are filed under keys: exact texts, prefixes, suffixes,
 * IPv4 net/mask pairs, IPv6 addresses and prefixes.  All other entries
 * are "always" entries, looked at in order on every decision.
 *
 * A query yields, in file order, the always entries and the entries filed
 * under a key the request's address (or, once it is known without a
 * lookup, its host name) hits.  Entries that could make the first name
 * lookup are also yielded in order until the name is known, so lookups
 * happen exactly where Debian's linear scan would make them.  Keys are
 * hashed without being stored: a collision only yields an extra entry,
 * which the caller's full evaluation rejects.
 *
 * Skipping an entry must not skip what Debian's scan leaves behind in the
 * request: a line whose daemon list matches has its client patterns
 * compared, which fills in the client's address (and, when the request
 * has no name lookup method, sets its name to "unknown").  The caller
 * calls index_query_catch_up() before it evaluates a yielded entry and
 * at the end, and the skipped entries' effects are made there.
 */
#ifndef LIBWRAP_INDEX_H
#define LIBWRAP_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "table.h"
#include "tcpd.h"

struct table_index;

/* Tests set this to compare indexed decisions with plain scans. */
extern bool index_disabled;

/* Builds the index of a table's text; NULL when memory runs out or the
 * text is too big for 32-bit offsets. */
struct table_index *index_build(const struct table_text *text);
void index_free(struct table_index *ix);
/* Bytes allocated for the index (not the text). */
size_t index_footprint(const struct table_index *ix);
/* Entries, and how many of them are "always" entries. */
size_t index_entries(const struct table_index *ix);
size_t index_always(const struct table_index *ix);

/* Where a logical line starts: its offset and the newlines before it. */
struct index_line {
    uint32_t offset;
    uint32_t newlines;
};

struct index_query {
    const struct table_index *ix;
    struct request_info *r;
    uint32_t *cand;      /* candidate entries, sorted, from cand_next on */
    size_t cand_count, cand_next, cand_cap;
    size_t always_next, trigger_next;
    uint32_t last;       /* the entry yielded last, + 1 (0: none yet) */
    size_t run_next;     /* the first effect run not yet looked at */
    uint32_t name_due;   /* a matching run's first name effect, or max */
    bool name_known;     /* the host name can be read without a lookup */
    bool cand_sorted;    /* all of cand is sorted (no lookup since begin) */
    bool failed;         /* out of memory: the caller scans instead */
};

void index_query_begin(struct index_query *q, const struct table_index *ix,
                       struct request_info *r);
/* The next entry to evaluate, in file order; false at the end. */
bool index_query_next(struct index_query *q, struct index_line *line);
/* After a failed query: the first entry not yet yielded, from which a
 * plain scan can go on; false when there is none. */
bool index_query_resume(const struct index_query *q, struct index_line *line);
/* Makes the effects on the request of the entries before entry upto that
 * were not yielded (see above); upto may be index_entries(). */
void index_query_catch_up(struct index_query *q,
                          const struct table_text *text, uint32_t upto);
void index_query_end(struct index_query *q);

#endif
