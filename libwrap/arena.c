/*
 * arena.c - bump allocation.
 *
 * Exports the arena_* functions of arena.h.  Blocks grow geometrically up
 * to 1 MiB; a request larger than a block gets a block of its own.  All
 * size arithmetic is checked.
 */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    struct arena_block *next;
    size_t size; /* usable bytes in data */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

enum { ARENA_FIRST = 4096, ARENA_MAX = 1 << 20 };

void *arena_alloc(struct arena *a, size_t n)
{
    struct arena_block *b = a->head;
    size_t align = alignof(max_align_t), size;

    if (n > SIZE_MAX - align)
        return NULL;
    n = (n + align - 1) & ~(align - 1);
    if (b == NULL || b->size - b->used < n) {
        if (a->block_size < ARENA_FIRST)
            a->block_size = ARENA_FIRST;
        size = n > a->block_size ? n : a->block_size;
        if (size > SIZE_MAX - sizeof(*b))
            return NULL;
        b = malloc(sizeof(*b) + size);
        if (b == NULL)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
        if (a->block_size < ARENA_MAX)
            a->block_size *= 2;
    }
    b->used += n;
    return b->data + b->used - n;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p;

    if (n == SIZE_MAX)
        return NULL;
    p = arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void arena_reset(struct arena *a)
{
    struct arena_block *b = a->head, *next;

    if (b == NULL)
        return;
    /* Keep the newest (largest) block, free the rest. */
    for (next = b->next; next != NULL; next = b->next) {
        b->next = next->next;
        free(next);
    }
    b->used = 0;
}

void arena_free(struct arena *a)
{
    struct arena_block *b = a->head, *next;

    for (; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    a->head = NULL;
    a->block_size = 0;
}

size_t arena_footprint(const struct arena *a)
{
    const struct arena_block *b;
    size_t total = 0;

    for (b = a->head; b != NULL; b = b->next)
        total += sizeof(*b) + b->size;
    return total;
}
