/*
 * access.h - the decision, with the knobs tests turn.
 *
 * hosts_access() decides with access_default.  Tests (and the tools)
 * call access_decide() with a configuration of their own (config.h).
 *
 * DIAGNOSTICS: see access.c.
 */
#ifndef LIBWRAP_ACCESS_H
#define LIBWRAP_ACCESS_H

#include "config.h"
#include "tcpd.h"

/* STORE_DIR, the index, streaming only the first time, nanoseconds,
 * CACHE_SMALL_TABLE. */
extern const struct access_config access_default;

/* Decides a request as hosts_access() does: 1 grants, 0 denies. */
int access_decide(struct request_info *r, const struct access_config *cfg);

#endif
