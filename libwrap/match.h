/*
 * match.h - the one matcher: does a compiled rule apply to a request?
 *
 * Evaluates the records of an image (image.h) as Debian evaluates the
 * rule's text: the daemon list before the client list, patterns left to
 * right, EXCEPT as "a EXCEPT b EXCEPT c" = "a and not (b and not c)",
 * the address before the name, the host before the user, and each
 * lookup only when a pattern needs it (the request's eval_* accessors
 * and request.h do them, once per request).  What the patterns mean was
 * decided by the classifier (pattern.h); no file, socket or resolver is
 * touched here: a /file pattern asks the caller's list function
 * (hostlist.h).
 *
 * DIAGNOSTICS: none of its own; lookups, lists and allocation failures
 * log their causes where they happen.
 */
#ifndef LIBWRAP_MATCH_H
#define LIBWRAP_MATCH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "addr.h"
#include "image.h"
#include "pattern.h"
#include "tcpd.h"

/* Deepest nesting of /file host lists (compat-policy D4). */
#define MATCH_MAX_FILE_DEPTH 16

/*
 * The result of evaluating a rule, a list or a pattern.  MATCH_ERROR: a
 * pattern could not be evaluated because this process ran out of
 * descriptors or memory (resource.h); the cause is logged and errno says
 * it, and the whole decision denies.  MATCH_CORRUPT: a record of the
 * image is out of bounds; nothing was logged, and the caller decides
 * from the text instead.  Evaluation stops at the first of either.
 */
enum match_result {
    MATCH_CORRUPT = -2,
    MATCH_ERROR = -1,
    MATCH_NO = 0,
    MATCH_YES = 1,
};

/* What a decision knows of one endpoint, read from the request once. */
struct match_endpoint {
    struct host_info *host;
    const char *addr, *name; /* stripped of "::ffff:"; NULL: not read */
    size_t addr_len, name_len;
    int addr_v6, name_v6; /* parsed as IPv6: 0 not yet, 1 yes, -1 no */
    struct in6_addr addr6, name6;
    struct addr_host net; /* the address for net/mask patterns */
    bool net_parsed;
};

struct match_ctx;

/* Evaluates the /file list at path for an endpoint (hostlist.h). */
typedef enum match_result match_list_fn(struct match_ctx *m, const char *path,
                                        struct match_endpoint *e, int depth);

/* The /file lists one client pattern is reading (compat-policy D4). */
struct match_walk {
    const char *open[MATCH_MAX_FILE_DEPTH]; /* the list at each depth */
    unsigned visits;                        /* lists read so far */
    bool warned;                            /* a bound was reported */
    bool exhausted;                         /* no more lists are read */
};

/* One decision's matching state. */
struct match_ctx {
    struct request_info *r;
    struct match_endpoint client, server;
    match_list_fn *list;
    void *list_arg;
    struct match_walk walk;
};

void match_begin(struct match_ctx *m, struct request_info *r,
                 match_list_fn *list, void *list_arg);

/* The daemon list at off, then the client list.  The library matches
 * through the index (index.h); this is extern for the tests. */
enum match_result match_rule(struct match_ctx *m, const struct image *im,
                             const struct image_rule *rule);
/* The daemon list at off alone (it reads no client field). */
enum match_result match_daemons(struct match_ctx *m, const struct image *im,
                                uint32_t off);
/* The client list at off alone (after its daemon list matched). */
enum match_result match_clients(struct match_ctx *m, const struct image *im,
                                uint32_t off);
/* The words of a /file list at off, in turn, until one matches. */
enum match_result match_words(struct match_ctx *m, const struct image *im,
                              uint32_t off, struct match_endpoint *e,
                              int depth);

/* The client's address as host patterns meet it (stripped of
 * "::ffff:"), read once per decision as the first pattern reads it. */
const char *match_client_addr(struct match_ctx *m, size_t *len);

/* Equal n <= 16 bytes, compared as two words (both sides readable for
 * 16 bytes). */
static inline bool match_same_short(const char *a, const char *b, size_t n)
{
    uint64_t x, y, u, v, keep_lo, keep_hi;

    memcpy(&x, a, 8);
    memcpy(&u, a + 8, 8);
    memcpy(&y, b, 8);
    memcpy(&v, b + 8, 8);
    keep_lo = n >= 8 ? ~0ULL : n == 0 ? 0 : ~0ULL >> (64 - 8 * n);
    keep_hi = n <= 8 ? 0 : ~0ULL >> (128 - 8 * n);
    return (((x ^ y) & keep_lo) | ((u ^ v) & keep_hi)) == 0;
}

/*
 * A host pattern of digits and dots (n bytes, of the kind that
 * pattern_address_kind() gives) against the client's address (len
 * bytes): what match_clients() gives for it compiled, without compiling
 * it (the streamed scan's usual line).  Such a pattern matches the same
 * bytes in any case, so an exact one is compared as words when both
 * sides can be read for 16 bytes (wide).
 */
/* A client host pattern classified from text (pattern.h), without an
 * image: what the same pattern compiled into a client list gives. */
enum match_result match_client_host(struct match_ctx *m,
                                    const struct pattern_host *p);

static inline bool match_address_pattern(int kind, const char *pat, size_t n,
                                         const char *addr, size_t len,
                                         bool wide)
{
    if (kind == PAT_EXACT)
        return len == n && (n <= 16 && wide ? match_same_short(pat, addr, n)
                                            : memcmp(pat, addr, n) == 0);
    if (kind == PAT_PREFIX)
        return len >= n && memcmp(pat, addr, n) == 0;
    return len > n && memcmp(addr + len - n, pat, n) == 0;
}

#endif
