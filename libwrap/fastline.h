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

#include "table.h"
#include "tcpd.h"

enum fastline_result {
    FASTLINE_NO_MATCH, /* the line cannot match; nothing was looked up */
    FASTLINE_GENERAL,  /* a match, or cannot tell: use the general path */
};

/* Per-scan state: the request, its host texts once read, and the last
 * daemon list's verdict. */
struct fastline {
    struct request_info *r;
    const char *addr, *name; /* stripped of "::ffff:"; NULL: not read yet */
    size_t addr_len, name_len;
    const char *memo;        /* the last daemon list evaluated, with ':' */
    size_t memo_len;
    bool memo_match;
};

/* Tests set this to compare the fast path with the general one. */
extern bool fastline_disabled;

void fastline_init(struct fastline *f, struct request_info *r);
/*
 * Looks at the physical line at it->p.  On FASTLINE_NO_MATCH the line was
 * consumed (it->p and the line count advanced); on FASTLINE_GENERAL
 * nothing changed and line_iter_next() must take the line.
 */
enum fastline_result fastline_scan(struct fastline *f, struct line_iter *it);

#endif
