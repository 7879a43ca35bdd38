/*
 * arena.h - bump allocation for parsed rules.
 *
 * A rule and its tokens live exactly as long as the table version they
 * were parsed from (or, during a one-pass scan, as long as one line), so
 * they are carved from an arena and released all at once.
 *
 * DIAGNOSTICS: none; an allocation failure returns NULL, which callers
 * turn into a logged error and a fail-closed verdict.
 */
#ifndef LIBWRAP_ARENA_H
#define LIBWRAP_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
    struct arena_block *head; /* most recent block */
    size_t block_size;        /* size of the next ordinary block */
};

#define ARENA_INIT                                                            \
    {                                                                         \
        NULL, 0                                                               \
    }

/* Returns n bytes aligned for any pointer or integer, or NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes of s and adds a NUL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Releases everything but the first block, for reuse. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);
/* Bytes held by the arena (extern for the tests). */
size_t arena_footprint(const struct arena *a);

#endif
