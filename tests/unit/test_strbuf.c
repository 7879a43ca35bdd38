/*
 * test_strbuf.c - growable strings and arrays (strbuf.h).
 *
 * strbuf.h promises: contents always NUL-terminated once anything was
 * added, NUL bytes kept, a sticky failure flag that leaves the contents
 * as they were (so callers check once), sb_reset() clearing it, sizes
 * that would overflow refused, array_grow() doubling or refusing without
 * touching the array, and str_copy_field() cutting to size - 1 bytes and
 * saying so.
 */
#include "testlib.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Some rows ask for more memory than there is, on purpose: under
 * AddressSanitizer too, malloc() must then return NULL. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* One step of building a string; a row's unused steps are END. */
enum op { END, PUTS, PUTC, APPEND, PRINTF, RESET };

struct step {
    enum op op;
    const char *text; /* PUTS, APPEND (n bytes), PRINTF (the format) */
    size_t n;
    char c;
    int number; /* PRINTF's one argument */
};

static const struct build_case {
    const char *name;
    struct step steps[6];
    const char *want;
    size_t len;
} builds[] = {
    {.name = "empty", .want = "", .len = 0},
    {.name = "puts",
     .steps = {{.op = PUTS, .text = "sshd"}},
     .want = "sshd",
     .len = 4},
    {.name = "putc",
     .steps = {{.op = PUTC, .c = 'x'}, {.op = PUTC, .c = 'y'}},
     .want = "xy",
     .len = 2},
    {.name = "append with NUL",
     .steps = {{.op = APPEND, .text = "a\0b", .n = 3}},
     .want = "a\0b",
     .len = 3},
    {.name = "append nothing",
     .steps = {{.op = APPEND, .text = "", .n = 0}},
     .want = "",
     .len = 0},
    {.name = "printf",
     .steps = {{.op = PUTS, .text = "line "},
               {.op = PRINTF, .text = "%d: %s", .number = 7}},
     .want = "line 7: x",
     .len = 9},
    {.name = "printf of nothing",
     .steps = {{.op = PRINTF, .text = ""}},
     .want = "",
     .len = 0},
    {.name = "reset then more",
     .steps = {{.op = PUTS, .text = "old"},
               {.op = RESET},
               {.op = PUTS, .text = "new"}},
     .want = "new",
     .len = 3},
    {.name = "reset to empty",
     .steps = {{.op = PUTS, .text = "old"}, {.op = RESET}},
     .want = "",
     .len = 0},
};

static void run_step(struct strbuf *sb, const struct step *s)
{
    switch (s->op) {
    case END:
        break;
    case PUTS:
        assert_true(sb_puts(sb, s->text));
        break;
    case PUTC:
        assert_true(sb_putc(sb, s->c));
        break;
    case APPEND:
        assert_true(sb_append(sb, s->text, s->n));
        break;
    case PRINTF:
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
        assert_true(sb_printf(sb, s->text, s->number, "x"));
#pragma GCC diagnostic pop
        break;
    case RESET:
        sb_reset(sb);
        break;
    }
}

static void test_building(void **state)
{
    size_t i, j;

    (void)state;
    for (i = 0; i < TL_COUNT(builds); i++) {
        const struct build_case *c = &builds[i];
        struct strbuf sb = STRBUF_INIT;

        assert_string_equal(sb_str(&sb), ""); /* never NULL */
        for (j = 0; j < TL_COUNT(c->steps) && c->steps[j].op != END; j++)
            run_step(&sb, &c->steps[j]);
        assert_int_equal(sb.len, c->len);
        assert_memory_equal(sb_str(&sb), c->want, c->len + 1);
        assert_false(sb_failed(&sb));
        if (sb.data != NULL) {
            assert_true(sb.cap > sb.len);
            assert_int_equal(sb.data[sb.len], '\0');
        }
        sb_free(&sb);
        assert_null(sb.data);
        assert_int_equal(sb.len, 0);
    }
}

/* Growing byte by byte and in big pieces: the text is always exact and
 * terminated, however often the buffer moved. */
static void test_growth(void **state)
{
    struct strbuf sb = STRBUF_INIT;
    char *big = malloc(1 << 20);
    size_t i;

    (void)state;
    assert_non_null(big);
    for (i = 0; i < 100000; i++) {
        assert_true(sb_putc(&sb, (char)('a' + i % 26)));
        if (i % 9973 == 0)
            assert_int_equal(sb.data[sb.len], '\0');
    }
    for (i = 0; i < 100000; i++)
        if (sb.data[i] != (char)('a' + i % 26))
            fail_msg("byte %zu changed", i);
    memset(big, 'z', 1 << 20);
    assert_true(sb_append(&sb, big, 1 << 20));
    assert_int_equal(sb.len, 100000 + (1 << 20));
    assert_int_equal(sb.data[sb.len], '\0');
    assert_int_equal(sb.data[99999], 'a' + 99999 % 26);
    assert_int_equal(sb.data[100000], 'z');
    /* sb_reserve() makes room for n more bytes and the NUL. */
    sb_reset(&sb);
    assert_true(sb_reserve(&sb, 1000));
    assert_true(sb.cap >= 1001);
    free(big);
    sb_free(&sb);
}

/* A size that would overflow fails, sets the sticky flag and keeps the
 * contents; every later append fails too, until sb_reset(). */
static void test_sticky_failure(void **state)
{
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 4,
                                   SIZE_MAX / 2 + 1};
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(sizes); i++) {
        struct strbuf sb = STRBUF_INIT;

        assert_true(sb_puts(&sb, "kept"));
        assert_false(sb_reserve(&sb, sizes[i]));
        assert_true(sb_failed(&sb));
        assert_string_equal(sb_str(&sb), "kept");
        assert_int_equal(sb.len, 4);
        /* Sticky: nothing more goes in. */
        assert_false(sb_puts(&sb, "x"));
        assert_false(sb_putc(&sb, 'x'));
        assert_false(sb_printf(&sb, "%d", 1));
        assert_string_equal(sb_str(&sb), "kept");
        /* sb_reset() clears the flag and keeps the memory. */
        sb_reset(&sb);
        assert_false(sb_failed(&sb));
        assert_true(sb_puts(&sb, "again"));
        assert_string_equal(sb_str(&sb), "again");
        sb_free(&sb);
        assert_false(sb_failed(&sb));
    }
}

static const struct grow_case {
    size_t cap, elem, first;
    size_t want; /* the new capacity; 0: refused */
} grows[] = {
    {.cap = 0, .elem = 4, .first = 8, .want = 8},
    {.cap = 0, .elem = 4, .first = 1, .want = 1},
    {.cap = 8, .elem = 4, .first = 8, .want = 16},
    {.cap = 1, .elem = 1, .first = 64, .want = 2},
    {.cap = 0, .elem = 0, .first = 8},
    {.cap = 8, .elem = 0, .first = 8},
    /* n * 2 * elem must fit. */
    {.cap = SIZE_MAX / 2 / 4 + 1, .elem = 4, .first = 8},
    {.cap = SIZE_MAX / 4, .elem = 4, .first = 8},
    {.cap = 0, .elem = SIZE_MAX / 2, .first = 2},
    {.cap = 0, .elem = 1, .first = SIZE_MAX},
};

static void test_array_grow(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(grows); i++) {
        const struct grow_case *c = &grows[i];
        size_t cap = c->cap;
        /* Refusals must not touch the array: a sentinel stands for it. */
        void *items = c->cap == 0 ? NULL : (void *)&cap, *p;

        if (c->want != 0 && c->cap != 0)
            items = calloc(c->cap, c->elem);
        p = array_grow(items, &cap, c->elem, c->first);
        if (c->want == 0) {
            assert_null(p);
            assert_int_equal(cap, c->cap);
            continue;
        }
        assert_non_null(p);
        assert_int_equal(cap, c->want);
        memset(p, 0xab, cap * c->elem); /* all of it is ours */
        free(p);
    }
}

/* The contents survive growing the array. */
static void test_array_keeps_items(void **state)
{
    size_t cap = 0, n, i;
    int *v = NULL, *p;

    (void)state;
    for (n = 0; n < 10000; n++) {
        if (n == cap) {
            p = array_grow(v, &cap, sizeof(*v), 4);
            assert_non_null(p);
            v = p;
        }
        v[n] = (int)n * 3;
    }
    for (i = 0; i < n; i++)
        assert_int_equal(v[i], (int)i * 3);
    assert_int_equal(cap, 16384);
    free(v);
}

static const struct field_case {
    const char *src;
    size_t size;
    const char *want; /* NULL: dst untouched (size 0) */
    bool whole;
} fields[] = {
    {.src = "sshd", .size = 128, .want = "sshd", .whole = true},
    {.src = "", .size = 1, .want = "", .whole = true},
    {.src = "abc", .size = 4, .want = "abc", .whole = true},
    {.src = "abcd", .size = 4, .want = "abc"},
    {.src = "abcd", .size = 1, .want = ""},
    {.src = "abcd", .size = 0},
};

static void test_copy_field(void **state)
{
    size_t i;
    char dst[256];

    (void)state;
    for (i = 0; i < TL_COUNT(fields); i++) {
        const struct field_case *c = &fields[i];

        memset(dst, '#', sizeof(dst));
        assert_int_equal(str_copy_field(dst, c->size, c->src), c->whole);
        if (c->want == NULL) {
            assert_int_equal(dst[0], '#');
            continue;
        }
        assert_string_equal(dst, c->want);
        /* Nothing written past the field. */
        assert_int_equal(dst[c->size], '#');
    }
    /* STRING_LENGTH: 127 bytes and the NUL (request.c's fields). */
    {
        char field[STRING_LENGTH + 1], *src = malloc(1000);

        assert_non_null(src);
        memset(src, 'a', 999);
        src[999] = '\0';
        field[STRING_LENGTH] = '#';
        assert_false(str_copy_field(field, STRING_LENGTH, src));
        assert_int_equal(strlen(field), STRING_LENGTH - 1);
        assert_int_equal(field[STRING_LENGTH], '#');
        src[STRING_LENGTH - 1] = '\0';
        assert_true(str_copy_field(field, STRING_LENGTH, src));
        free(src);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_building),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_sticky_failure),
        cmocka_unit_test(test_array_grow),
        cmocka_unit_test(test_array_keeps_items),
        cmocka_unit_test(test_copy_field),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
