/*
 * test_arena.c - bump allocation (arena.h).
 *
 * What arena.h promises: memory aligned for any pointer or integer,
 * copies with a NUL, reset keeping one block for reuse, free releasing
 * everything, a footprint that counts what is held, and NULL (never a
 * wrapped size) for a request that cannot be met.
 */
#include "testlib.h"

#include <stdalign.h>
#include <string.h>

#include "arena.h"

/* Some rows ask for more memory than there is, on purpose: under
 * AddressSanitizer too, malloc() must then return NULL. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* Sizes asked for in turn, and whether each must succeed. */
static const struct alloc_case {
    const char *name;
    size_t sizes[8];
    size_t n;
} allocs[] = {
    {.name = "one byte", .sizes = {1}, .n = 1},
    {.name = "nothing", .sizes = {0, 0, 0}, .n = 3},
    {.name = "odd sizes", .sizes = {1, 3, 5, 7, 9, 17, 33}, .n = 7},
    {.name = "a block exactly", .sizes = {4096, 1}, .n = 2},
    {.name = "bigger than a block", .sizes = {10000, 1, 70000}, .n = 3},
    {.name = "bigger than the largest block", .sizes = {3 << 20, 8}, .n = 2},
    {.name = "many small",
     .sizes = {100, 200, 300, 400, 500, 600, 700, 800},
     .n = 8},
};

static void test_alignment_and_room(void **state)
{
    size_t i, j;

    (void)state;
    for (i = 0; i < TL_COUNT(allocs); i++) {
        const struct alloc_case *c = &allocs[i];
        struct arena a = ARENA_INIT;
        unsigned char *p[8];

        for (j = 0; j < c->n; j++) {
            p[j] = arena_alloc(&a, c->sizes[j]);
            assert_non_null(p[j]);
            assert_int_equal((uintptr_t)p[j] % alignof(max_align_t), 0);
            /* The whole size is usable, and no two overlap. */
            memset(p[j], (int)j + 1, c->sizes[j]);
        }
        for (j = 0; j < c->n; j++) {
            size_t k;
            for (k = 0; k < c->sizes[j]; k++)
                if (p[j][k] != j + 1)
                    fail_msg("%s: allocation %zu overwritten", c->name, j);
        }
        assert_true(arena_footprint(&a) > 0);
        arena_free(&a);
        assert_null(a.head);
        assert_int_equal(arena_footprint(&a), 0);
    }
}

static const struct dup_case {
    const char *text;
    size_t n;
    const char *want;
} dups[] = {
    {.text = "sshd", .n = 4, .want = "sshd"},
    {.text = "sshd: ALL", .n = 4, .want = "sshd"},
    {.text = "", .n = 0, .want = ""},
    {.text = "a\0b", .n = 3, .want = "a"}, /* the bytes are copied whole */
};

static void test_strndup(void **state)
{
    struct arena a = ARENA_INIT;
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(dups); i++) {
        const struct dup_case *c = &dups[i];
        char *p = arena_strndup(&a, c->text, c->n);

        assert_non_null(p);
        assert_memory_equal(p, c->text, c->n);
        assert_int_equal(p[c->n], '\0');
        assert_string_equal(p, c->want);
    }
    /* The one length that cannot have its NUL added. */
    assert_null(arena_strndup(&a, "x", SIZE_MAX));
    arena_free(&a);
}

/* Sizes that overflow after rounding or with the block header: NULL,
 * and the arena is as it was. */
static void test_impossible_sizes(void **state)
{
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 15,
                                   SIZE_MAX - 16, SIZE_MAX / 2 + 1};
    struct arena a = ARENA_INIT;
    size_t i, before;
    char *keep;

    (void)state;
    keep = arena_strndup(&a, "kept", 4);
    before = arena_footprint(&a);
    for (i = 0; i < TL_COUNT(sizes); i++) {
        assert_null(arena_alloc(&a, sizes[i]));
        assert_int_equal(arena_footprint(&a), before);
    }
    assert_string_equal(keep, "kept");
    assert_non_null(arena_alloc(&a, 16));
    arena_free(&a);
}

/* Reset keeps one block (the newest, largest) and nothing else; the
 * next allocations come from it again, without growing. */
static void test_reset(void **state)
{
    struct arena a = ARENA_INIT;
    size_t one_block, grown, kept;
    int i;

    (void)state;
    arena_reset(&a); /* nothing to reset */
    assert_null(a.head);
    assert_non_null(arena_alloc(&a, 8));
    one_block = arena_footprint(&a);
    for (i = 0; i < 100; i++)
        assert_non_null(arena_alloc(&a, 1000));
    grown = arena_footprint(&a);
    assert_true(grown > one_block);
    arena_reset(&a);
    kept = arena_footprint(&a);
    assert_non_null(a.head);
    assert_true(kept < grown);
    assert_true(kept > one_block);
    /* Less than the kept block holds: no new block. */
    for (i = 0; i < (int)(kept / 2 / 1024); i++)
        assert_non_null(arena_alloc(&a, 1000));
    assert_int_equal(arena_footprint(&a), kept);
    arena_reset(&a);
    assert_int_equal(arena_footprint(&a), kept);
    arena_free(&a);
    /* A freed arena starts over with a first block. */
    assert_non_null(arena_alloc(&a, 8));
    assert_int_equal(arena_footprint(&a), one_block);
    arena_free(&a);
}

/* Blocks grow geometrically to a bound: many small allocations cost
 * about what they hold, and few blocks. */
static void test_growth(void **state)
{
    struct arena a = ARENA_INIT;
    size_t total = 0, small;
    int i;

    (void)state;
    for (i = 0; i < 100000; i++) {
        assert_non_null(arena_alloc(&a, 24));
        total += 24;
    }
    assert_true(arena_footprint(&a) >= total);
    assert_true(arena_footprint(&a) < 2 * total + (2 << 20));
    arena_free(&a);
    /* A first small allocation does not take a big block. */
    assert_non_null(arena_alloc(&a, 1));
    small = arena_footprint(&a);
    assert_true(small <= 4096 + 256);
    arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_room),
        cmocka_unit_test(test_strndup),
        cmocka_unit_test(test_impossible_sizes),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_growth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
