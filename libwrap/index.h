/*
 * index.h - finding the few rules of a big table that can match.
 *
 * Part of a table's image (image.h), built with it from its compiled
 * rules.  Rules whose client patterns (up to the first EXCEPT) are all
 * addresses, prefixes, suffixes, net/masks, [IPv6] literals or plain
 * names, and whose daemon list has no '@', are filed under keys taken
 * from those compiled patterns: exact texts, prefixes, suffixes, IPv4
 * net/mask pairs, IPv6 addresses and prefixes.  All other rules are
 * "always" rules, looked at in order on every decision.
 *
 * A query yields, in file order, the always rules and the rules filed
 * under a key the request's address (or, once it is known without a
 * lookup, its host name) hits.  Rules that could make the first name
 * lookup are also yielded in order until the name is known, so lookups
 * happen exactly where Debian's linear scan would make them.  Keys are
 * hashed (with the image's seed) without being stored: a collision only
 * yields an extra rule, which the full evaluation rejects.
 *
 * Skipping a rule must not skip what Debian's scan leaves behind in the
 * request: a rule whose daemon list matches has its client patterns
 * compared, which fills in the client's address (and, when the request
 * has no name lookup method, sets its name to "unknown").  The caller
 * calls index_query_catch_up() before it evaluates a yielded rule and at
 * the end, and the skipped rules' effects are made there.
 *
 * Every offset and rule number read from the image is checked; a bad one
 * sets the query's corrupt flag and ends it.
 *
 * DIAGNOSTICS: none.
 */
#ifndef LIBWRAP_INDEX_H
#define LIBWRAP_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "match.h" /* enum match_result only */
#include "tcpd.h"

/* Distinct IPv4 masks an index keeps; rules with more go "always". */
#define INDEX_MAX_V4_MASKS 64
/* Key spaces of texts: exact, prefix, suffix, each for addresses and
 * for names. */
#define INDEX_TEXT_SPACES 6

/* The index section of a table's image. */
struct image_index {
    uint32_t slots, n_slots;       /* struct index_slot[n_slots] */
    uint32_t overflow, n_overflow; /* uint32_t: lists of rules (below) */
    uint32_t always, n_always;     /* uint32_t rule numbers, ascending */
    uint32_t triggers, n_triggers;
    uint32_t runs, n_runs;           /* struct index_run */
    uint32_t name_runs, n_name_runs; /* struct index_run: those runs that
                                        have a name, again (a query that
                                        only wants the name reads these) */
    uint32_t n_v4_masks;
    uint32_t v4_masks[INDEX_MAX_V4_MASKS];
    uint8_t v6_lens[132]; /* 1 for each IPv6 prefix length in use */
    /* For each text key space, a bit for each key length in use (255:
     * 255 or more), so that a query hashes only keys that can be there
     * (each probe of the slots can cost a page of the image). */
    uint8_t text_lens[INDEX_TEXT_SPACES][32];
    uint32_t has_v6; /* an [IPv6] literal is filed */
};

/*
 * A hash slot: the hash's high 32 bits (never 0) and the rule filed
 * under it; a tag has one slot.  When several rules share a tag, rule
 * is INDEX_OVERFLOW plus the position in the overflow array of their
 * count, followed by the rules in ascending order.
 */
struct index_slot {
    uint32_t tag, rule;
};

#define INDEX_OVERFLOW 0x80000000u

/*
 * Keyed rules whose client list has a pattern before any EXCEPT, in
 * runs of consecutive such rules with the same daemon list.  When
 * Debian's scan reaches one of them with a matching daemon list, its
 * first pattern reads the client's address.  When it reaches one that
 * no key yielded, its patterns all fail, so a text pattern (a trigger
 * rule) reads the name too; a yielded rule may match before that.
 */
struct index_run {
    uint32_t first;         /* its first rule, whose daemon list is read */
    uint32_t last;          /* its last rule */
    uint32_t first_name;    /* its first rule with a text pattern, or max */
    uint32_t first_trigger; /* where first_name is in the trigger array */
    uint32_t daemons;       /* the daemon list (struct image_list) */
};

/* Builds the index of the builder's rules (header rules and n_rules
 * set) into the section reserved at off (near the header, where a cold
 * decision finds it on the first page it reads), its arrays appended;
 * points the header at it.  False when memory runs out. */
bool index_build(struct image_builder *b, uint32_t off);
/* True when the index section of an image lies inside it. */
bool index_check(const struct image *im, const struct image_header *h);

struct index_query {
    const struct image *im;
    const struct image_header *h;
    const struct image_index *ix;
    struct request_info *r;
    uint32_t *cand; /* candidate rules, sorted, from cand_next on */
    size_t cand_count, cand_next, cand_cap;
    size_t always_next, trigger_next;
    uint32_t last;        /* the rule yielded last, + 1 (0: none yet) */
    size_t run_next;      /* the first effect run not yet looked at */
    size_t name_run_next; /* the same among the runs with a name */
    uint32_t next_first;  /* the first rule of a run not yet looked at */
    uint32_t name_due;    /* a matching run's first name effect, or max */
    bool name_known;      /* the host name can be read without a lookup */
    bool cand_sorted;     /* all of cand is sorted (no lookup since begin) */
    bool failed;          /* out of memory: the caller scans instead */
    bool corrupt;         /* a bad offset or rule number in the image */
};

void index_query_begin(struct index_query *q, const struct image *im,
                       const struct image_header *h, struct request_info *r);
/* The next rule to evaluate, in file order; false at the end. */
bool index_query_next(struct index_query *q, uint32_t *rule);
/* After a failed query: the first rule not yet yielded, from which a
 * plain scan can go on; false when there is none. */
bool index_query_resume(const struct index_query *q, uint32_t *rule);
/* Whether the daemon list at off (one with no '@', so no lookup) matches
 * the request: the matcher's answer (match.h), given by the caller. */
typedef enum match_result index_daemons_fn(void *arg, const struct image *im,
                                           uint32_t off);

/* Makes the effects on the request of the rules before rule upto that
 * were not yielded (see above); upto may be the number of rules. */
void index_query_catch_up(struct index_query *q, index_daemons_fn *daemons,
                          void *arg, uint32_t upto);
void index_query_end(struct index_query *q);

#endif
