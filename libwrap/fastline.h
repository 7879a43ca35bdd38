/*
 * fastline.h - the common shapes of rule lines, matched without a parse.
 *
 * Block lists are mostly lines such as "sshd: 192.0.2.1" or
 * "ALL: 10.0.0. : deny".  fastline_match() recognises lines whose
 * evaluation cannot have side effects (no brackets, '@', '/', wildcards or
 * KNOWN/LOCAL in the client list, and no name lookup still to be made) and
 * decides them straight from the text, without copying or allocating.
 * Every other line, and every line that matches, is left to the general
 * parser and matcher, so that warnings, lookups and options happen there
 * exactly once and in order.
 */
#ifndef LIBWRAP_FASTLINE_H
#define LIBWRAP_FASTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>

#include "addr.h"
#include "table.h"
#include "tcpd.h"

/* At most this many patterns per list on the fast path. */
#define FASTLINE_MAX_PATTERNS 16

/* What a pattern contains, as far as matching it goes. */
enum {
    FASTLINE_NAME = 32,     /* a character outside 0-9 . / */
    FASTLINE_SLASH = 64,    /* a '/' */
    FASTLINE_BRACKET = 128, /* it is a "[v6]" literal */
};

/* A pattern of a simple line: a span of the table's text. */
struct fastline_pattern {
    const char *p;
    size_t n;
    unsigned char flags;
};

struct fastline_list {
    struct fastline_pattern item[FASTLINE_MAX_PATTERNS];
    size_t count;
};

/* The lists of a simple line. */
struct fastline_split {
    struct fastline_list daemons, clients;
};

/*
 * Splits a simple line (text up to and including its newline, in a table
 * with TABLE_PADDING bytes after it): false when the line is not one the
 * fast path handles (comments, continuations, brackets other than one
 * "[v6]" pattern, '@', wildcards in client lists, a possible bare IPv6
 * address, too many patterns).
 */
bool fastline_split(const char *text, const char *end,
                    struct fastline_split *out);

/* Daemon lists whose verdicts a scan remembers. */
#define FASTLINE_MEMOS 2

/* Per-scan state: the request, its host texts once read, and the last
 * daemon list's verdict. */
struct fastline {
    struct request_info *r;
    const char *addr, *name; /* stripped of "::ffff:"; NULL: not read yet */
    size_t addr_len, name_len;
    int addr_v6_state, name_v6_state; /* 0 unknown, 1 parsed, -1 not v6 */
    struct in6_addr addr_v6, name_v6;
    struct addr_host host;   /* the address for net/mask patterns */
    bool host_parsed;
    struct fastline_memo {
        const char *text;    /* a daemon list evaluated before, with ':' */
        size_t len;
        bool match;
    } memo[FASTLINE_MEMOS];
    int memo_next;           /* the slot to reuse next */
    bool matched;            /* fastline_skip() stopped at a line that
                                matches and has no option field */
};

/* Tests set this to compare the fast path with the general one. */
extern bool fastline_disabled;

void fastline_init(struct fastline *f, struct request_info *r);
/* Drops the remembered daemon lists (their text is going away). */
void fastline_forget(struct fastline *f);
/*
 * Moves the iterator past at most limit consecutive lines that cannot
 * match, and returns how many.  It stops before the first line that may
 * match or that it cannot judge: line_iter_next() must take that one.
 * f->matched then says whether that line certainly matches without an
 * option field (and so needs no more evaluation, nor any lookup).
 */
size_t fastline_skip(struct fastline *f, struct line_iter *it, size_t limit);

#endif
