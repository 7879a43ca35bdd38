/*
 * test_image.c - compiled images (image.h): the builder, the bounds-
 * checked accessors, and image_open(), the loader's whole trust check.
 *
 * image.h promises that nothing in an image is trusted: image_open()
 * refuses a bad header, path, rule array or index, and every record is
 * reached through accessors that check offset, length, alignment and
 * termination.  The rows corrupt one field of a valid table or list
 * image each and must be refused; then every bit of the first bytes of
 * a valid image is flipped in turn, and each mutant that is accepted is
 * evaluated in full (rules, options, index) where AddressSanitizer sees
 * any read outside it.
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "hostlist.h"
#include "image.h"
#include "index.h"
#include "match.h"
#include "ruleset.h"

/* ---- the builder ---- */

static void test_builder(void **state)
{
    struct image_builder b;
    struct image im;
    uint32_t a, r, s, t, bytes, i;
    unsigned flags = 0;
    static const char word[] = "1234";

    (void)state;
    image_builder_init(&b);
    assert_false(b.failed);
    assert_int_equal(b.buf.len, sizeof(struct image_header));
    /* Strings go where the buffer ends, with a NUL... */
    s = image_put_string(&b, "abc", 3);
    assert_int_equal(s, sizeof(struct image_header));
    /* ...records on the next 4-byte boundary, zero padding before. */
    a = image_put(&b, word, 4);
    assert_int_equal(a % 4, 0);
    assert_true(a >= s + 4);
    r = image_reserve(&b, 12);
    assert_int_equal(r % 4, 0);
    for (i = 0; i < 12; i++)
        assert_int_equal(b.buf.data[r + i], 0);
    bytes = image_put_bytes(&b, "xy", 2); /* no alignment, no NUL */
    assert_int_equal(bytes, r + 12);
    t = image_put_text(&b, "short", 5, &flags);
    assert_int_equal(flags, 0);
    im.base = (const unsigned char *)b.buf.data;
    im.size = b.buf.len;
    im.reader = NULL;
    assert_string_equal(image_string(&im, s, 3), "abc");
    assert_memory_equal(image_at(&im, a, 4), word, 4);
    assert_memory_equal(im.base + bytes, "xy", 2);
    assert_string_equal(image_string(&im, t, 5), "short");
    /* An empty scratch image after a reset. */
    image_builder_reset(&b);
    assert_int_equal(b.buf.len, sizeof(struct image_header));
    assert_false(b.failed);
    image_builder_free(&b);
}

/* Texts longer than 65535 bytes carry their length before them. */
static void test_long_text(void **state)
{
    struct image_builder b;
    struct image_pattern p = {.kind = PAT_EXACT};
    struct image im;
    char *text = malloc(70000);
    unsigned flags = 0;
    const char *got;
    size_t n;

    (void)state;
    assert_non_null(text);
    memset(text, 'q', 70000);
    image_builder_init(&b);
    p.value = image_put_text(&b, text, 70000, &flags);
    assert_true(p.value != 0);
    assert_int_equal(p.value % 4, 0);
    assert_int_equal(flags, PATTERN_LONG);
    p.flags = (uint8_t)flags;
    im.base = (const unsigned char *)b.buf.data;
    im.size = b.buf.len;
    im.reader = NULL;
    got = image_pattern_text(&im, &p, &n);
    assert_non_null(got);
    assert_int_equal(n, 70000);
    assert_memory_equal(got, text, n);
    got = image_pattern_span(&im, &p, &n);
    assert_non_null(got);
    assert_int_equal(n, 70000);
    image_builder_free(&b);
    free(text);
}

/* A scratch image that holds its line: spans inside it point there,
 * others are copied. */
static void test_spans(void **state)
{
    static const char line[] = "sshd: 10.0.0.1\n";
    struct image_builder b;
    unsigned flags = 0;
    uint32_t held, inside, outside;

    (void)state;
    image_builder_init(&b);
    image_builder_reset(&b);
    held = image_put_bytes(&b, line, sizeof(line) - 1);
    b.text_base = line;
    b.text_len = sizeof(line) - 1;
    b.text_off = held;
    inside = image_put_span(&b, line + 6, 8, &flags);
    assert_int_equal(inside, held + 6);
    outside = image_put_span(&b, "other", 5, &flags);
    assert_true(outside > held);
    assert_string_equal(b.buf.data + outside, "other");
    assert_int_equal(flags, 0);
    image_builder_free(&b);
}

/* ---- accessors on a hand-made image ---- */

static const struct at_case {
    uint32_t off;
    size_t n;
    bool ok;
} ats[] = {
    {.off = 4, .n = 4, .ok = true},
    {.off = 60, .n = 4, .ok = true},
    {.off = 64, .n = 0, .ok = true},
    {.off = 0, .n = 4},  /* the header, never a record */
    {.off = 2, .n = 4},  /* misaligned */
    {.off = 61, .n = 1}, /* misaligned */
    {.off = 60, .n = 5}, /* runs past the end */
    {.off = 64, .n = 1},
    {.off = 68, .n = 0},
    {.off = 0xfffffffc, .n = 8},
    {.off = 4, .n = (size_t)-1},
};

static const struct string_case {
    uint32_t off, len;
    bool ok;
} strings[] = {
    {.off = 8, .len = 3, .ok = true},  /* "abc" */
    {.off = 9, .len = 2, .ok = true},  /* "bc", any alignment */
    {.off = 8, .len = 2},              /* no NUL at its end */
    {.off = 61, .len = 3},             /* its NUL would be past the end */
    {.off = 60, .len = 3, .ok = true}, /* zeros, and a NUL at 63 */
    {.off = 63, .len = 0, .ok = true}, /* the last byte, a NUL */
    {.off = 64, .len = 0},
    {.off = 0, .len = 0},
    {.off = 8, .len = 0xffffffff},
};

static void test_accessors(void **state)
{
    _Alignas(8) unsigned char buf[64];
    struct image im = {.base = buf, .size = sizeof(buf)};
    struct image_list *l = (struct image_list *)(void *)(buf + 16);
    size_t i;

    (void)state;
    memset(buf, 0, sizeof(buf));
    memcpy(buf + 8, "abc", 4);
    for (i = 0; i < TL_COUNT(ats); i++) {
        const void *p = image_at(&im, ats[i].off, ats[i].n);
        if ((p != NULL) != ats[i].ok || (p != NULL && p != buf + ats[i].off))
            fail_msg("image_at(%u, %zu) wrong", ats[i].off, ats[i].n);
    }
    for (i = 0; i < TL_COUNT(strings); i++) {
        const char *s = image_string(&im, strings[i].off, strings[i].len);
        if ((s != NULL) != strings[i].ok)
            fail_msg("image_string(%u, %u) wrong", strings[i].off,
                     strings[i].len);
    }
    /* A list's records must all be inside: 16 + 4 + 8n <= 64. */
    l->count = 5;
    assert_non_null(image_list(&im, 16));
    l->count = 6;
    assert_null(image_list(&im, 16));
    l->count = 0xffffffff;
    assert_null(image_list(&im, 16));
    assert_null(image_list(&im, 0));
    assert_null(image_list(&im, 62));
}

static void test_pattern_strings(void **state)
{
    _Alignas(8) unsigned char buf[64];
    struct image im = {.base = buf, .size = sizeof(buf)};
    struct image_pattern p = {.kind = PAT_EXACT, .len = 3, .value = 8};
    size_t n;

    (void)state;
    memset(buf, 0, sizeof(buf));
    memcpy(buf + 8, "abcd", 4);
    /* A span needs no NUL of its own; a text does. */
    assert_ptr_equal(image_pattern_span(&im, &p, &n), (char *)buf + 8);
    assert_int_equal(n, 3);
    assert_null(image_pattern_text(&im, &p, &n));
    p.len = 4;
    assert_ptr_equal(image_pattern_text(&im, &p, &n), (char *)buf + 8);
    p.value = 62;
    assert_null(image_pattern_span(&im, &p, &n));
    p.value = 0;
    assert_null(image_pattern_span(&im, &p, &n));
    /* A long text: its 4-byte length must be inside and aligned, and
     * say no more than there is. */
    p.flags = PATTERN_LONG;
    p.value = 40;
    memcpy(buf + 40, &(uint32_t){3}, 4);
    memcpy(buf + 44, "xyz", 4);
    assert_ptr_equal(image_pattern_text(&im, &p, &n), (char *)buf + 44);
    assert_int_equal(n, 3);
    memcpy(buf + 40, &(uint32_t){100}, 4);
    assert_null(image_pattern_text(&im, &p, &n));
    assert_null(image_pattern_span(&im, &p, &n));
    p.value = 42;
    assert_null(image_pattern_text(&im, &p, &n));
}

/* ---- image_open() ---- */

/* An 8-aligned copy of a ruleset's image. */
struct copy {
    unsigned char *base;
    size_t size;
};

static struct copy copy_of(const struct ruleset *rs, size_t extra)
{
    struct copy c;

    c.size = rs->im.size;
    c.base = aligned_alloc(8, (c.size + extra + 7) & ~(size_t)7);
    assert_non_null(c.base);
    memcpy(c.base, rs->im.base, c.size);
    return c;
}

static struct image_header *header(struct copy *c)
{
    return (struct image_header *)(void *)c->base;
}

static struct image_index *index_of(struct copy *c)
{
    return (struct image_index *)(void *)(c->base + header(c)->index);
}

static const char table_text[] =
    "sshd: 10.0.0.1 10.0.0.0/8 .example.com\n"
    "ftpd, sshd: [2001:db8::]/32 host.example EXCEPT bad.example\n"
    "ALL: ALL@10.0.0.1 : spawn true\n"
    "# comment\n"
    "no colon\n"
    "ALL: 10.1. LOCAL KNOWN *.x : allow\n"
    "last: 10.2.0.0/255.255.0.0";

/* One way to spoil an image. */
struct spoil_case {
    const char *name;
    enum image_kind kind;   /* the image it spoils */
    uint32_t open_as;       /* the kind asked of image_open() */
    size_t size_delta_down; /* pass the size less this */
    size_t misalign;        /* pass base plus this */
    void (*spoil)(struct copy *c);
};

static void bad_magic(struct copy *c)
{
    header(c)->magic[0] ^= 1;
}
static void bad_version(struct copy *c)
{
    header(c)->version++;
}
static void bad_abi(struct copy *c)
{
    header(c)->abi ^= 1;
}
static void bad_size(struct copy *c)
{
    header(c)->size += 8;
}
static void bad_kind(struct copy *c)
{
    header(c)->kind = 3;
}
static void no_kind(struct copy *c)
{
    header(c)->kind = 0;
}
static void path_zero(struct copy *c)
{
    header(c)->path = 0;
}
static void path_outside(struct copy *c)
{
    header(c)->path = 0xfffffff0;
}
static void path_too_long(struct copy *c)
{
    header(c)->path_len += 1;
}
static void path_too_short(struct copy *c)
{
    header(c)->path_len -= 1;
}
static void path_at_end(struct copy *c)
{
    header(c)->path = (uint32_t)c->size - 1;
}
static void rules_too_many(struct copy *c)
{
    header(c)->n_rules = 0x7fffffff;
}
static void rules_one_more(struct copy *c)
{
    struct image_header *h = header(c);
    h->n_rules =
        (uint32_t)((c->size - h->rules) / sizeof(struct image_rule)) + 1;
}
static void rules_misaligned(struct copy *c)
{
    header(c)->rules += 2;
}
static void rules_outside(struct copy *c)
{
    header(c)->rules = 0xfffffff0;
}
static void rules_zero(struct copy *c)
{
    header(c)->rules = 0;
}
static void index_outside(struct copy *c)
{
    header(c)->index = 0xfffffff0;
}
static void index_misaligned(struct copy *c)
{
    header(c)->index += 1;
}
static void index_no_slots(struct copy *c)
{
    index_of(c)->n_slots = 0;
}
static void index_huge_slots(struct copy *c)
{
    index_of(c)->n_slots = (1u << 30) + 1;
}
static void index_slots_past_end(struct copy *c)
{
    index_of(c)->n_slots = (uint32_t)(c->size / 8);
}
static void index_slots_outside(struct copy *c)
{
    index_of(c)->slots = 0xfffffff0;
}
static void index_masks(struct copy *c)
{
    index_of(c)->n_v4_masks = INDEX_MAX_V4_MASKS + 1;
}
static void index_always(struct copy *c)
{
    index_of(c)->n_always = 0x40000000;
}
static void index_always_outside(struct copy *c)
{
    index_of(c)->n_always = 1;
    index_of(c)->always = (uint32_t)c->size;
}
static void index_triggers(struct copy *c)
{
    index_of(c)->n_triggers = 0x40000000;
}
static void index_overflow(struct copy *c)
{
    index_of(c)->n_overflow = 0x40000000;
}
static void index_runs(struct copy *c)
{
    index_of(c)->n_runs = 0x10000000;
}
static void index_name_runs(struct copy *c)
{
    index_of(c)->n_name_runs = 0x10000000;
}
static void list_with_index(struct copy *c)
{
    header(c)->index = header(c)->path & ~3u;
}
static void list_too_long(struct copy *c)
{
    ((struct image_list *)(void *)(c->base + header(c)->rules))->count =
        0x10000000;
}
static void list_outside(struct copy *c)
{
    header(c)->rules = 0xfffffff0;
}

static const struct spoil_case spoils[] = {
    {.name = "magic", .kind = IMAGE_TABLE, .spoil = bad_magic},
    {.name = "version", .kind = IMAGE_TABLE, .spoil = bad_version},
    {.name = "ABI", .kind = IMAGE_TABLE, .spoil = bad_abi},
    {.name = "size in the header", .kind = IMAGE_TABLE, .spoil = bad_size},
    {.name = "truncated", .kind = IMAGE_TABLE, .size_delta_down = 8},
    {.name = "shorter than a header",
     .kind = IMAGE_TABLE,
     .size_delta_down = (size_t)-1},
    {.name = "misaligned", .kind = IMAGE_TABLE, .misalign = 4},
    {.name = "kind unknown", .kind = IMAGE_TABLE, .spoil = bad_kind},
    {.name = "kind zero", .kind = IMAGE_TABLE, .spoil = no_kind},
    {.name = "a table asked for as a list",
     .kind = IMAGE_TABLE,
     .open_as = IMAGE_LIST},
    {.name = "a list asked for as a table",
     .kind = IMAGE_LIST,
     .open_as = IMAGE_TABLE},
    {.name = "path at 0", .kind = IMAGE_TABLE, .spoil = path_zero},
    {.name = "path outside", .kind = IMAGE_TABLE, .spoil = path_outside},
    {.name = "path longer than said",
     .kind = IMAGE_TABLE,
     .spoil = path_too_long},
    {.name = "path shorter than said",
     .kind = IMAGE_TABLE,
     .spoil = path_too_short},
    {.name = "path at the last byte",
     .kind = IMAGE_TABLE,
     .spoil = path_at_end},
    {.name = "rules too many", .kind = IMAGE_TABLE, .spoil = rules_too_many},
    {.name = "rules one past the end",
     .kind = IMAGE_TABLE,
     .spoil = rules_one_more},
    {.name = "rules misaligned",
     .kind = IMAGE_TABLE,
     .spoil = rules_misaligned},
    {.name = "rules outside", .kind = IMAGE_TABLE, .spoil = rules_outside},
    {.name = "rules at 0", .kind = IMAGE_TABLE, .spoil = rules_zero},
    {.name = "index outside", .kind = IMAGE_TABLE, .spoil = index_outside},
    {.name = "index misaligned",
     .kind = IMAGE_TABLE,
     .spoil = index_misaligned},
    {.name = "index without slots",
     .kind = IMAGE_TABLE,
     .spoil = index_no_slots},
    {.name = "index of 2^30 + 1 slots",
     .kind = IMAGE_TABLE,
     .spoil = index_huge_slots},
    {.name = "index slots past the end",
     .kind = IMAGE_TABLE,
     .spoil = index_slots_past_end},
    {.name = "index slots outside",
     .kind = IMAGE_TABLE,
     .spoil = index_slots_outside},
    {.name = "index with 65 masks", .kind = IMAGE_TABLE, .spoil = index_masks},
    {.name = "index always rules", .kind = IMAGE_TABLE, .spoil = index_always},
    {.name = "index always rules outside",
     .kind = IMAGE_TABLE,
     .spoil = index_always_outside},
    {.name = "index triggers", .kind = IMAGE_TABLE, .spoil = index_triggers},
    {.name = "index overflow lists",
     .kind = IMAGE_TABLE,
     .spoil = index_overflow},
    {.name = "index runs", .kind = IMAGE_TABLE, .spoil = index_runs},
    {.name = "index name runs", .kind = IMAGE_TABLE, .spoil = index_name_runs},
    {.name = "list with an index",
     .kind = IMAGE_LIST,
     .spoil = list_with_index},
    {.name = "list longer than the image",
     .kind = IMAGE_LIST,
     .spoil = list_too_long},
    {.name = "list outside", .kind = IMAGE_LIST, .spoil = list_outside},
    {.name = "list kind unknown", .kind = IMAGE_LIST, .spoil = bad_kind},
};

static struct ruleset *valid(enum image_kind kind)
{
    static const char list_text[] =
        "10.0.0.1 .example.com\n10.0.0.0/8 host.example";
    struct ruleset *rs = kind == IMAGE_TABLE
                             ? tl_compile("/etc/hosts.deny", table_text,
                                          sizeof(table_text) - 1, IMAGE_TABLE)
                             : tl_compile("/etc/list", list_text,
                                          sizeof(list_text) - 1, IMAGE_LIST);

    assert_non_null(rs);
    return rs;
}

static void test_open_valid(void **state)
{
    struct ruleset *rs = valid(IMAGE_TABLE), *ls = valid(IMAGE_LIST);
    struct copy c = copy_of(rs, 0), d = copy_of(ls, 0);
    struct image im;
    const struct image_header *h;

    (void)state;
    h = image_open(&im, c.base, c.size, IMAGE_TABLE);
    assert_ptr_equal(h, c.base);
    assert_ptr_equal(im.base, c.base);
    assert_int_equal(im.size, c.size);
    assert_int_equal(h->n_rules, 6); /* the comment is no rule */
    assert_true(h->index != 0);
    assert_non_null(image_open(&im, c.base, c.size, 0));
    assert_non_null(image_open(&im, d.base, d.size, IMAGE_LIST));
    assert_non_null(image_open(&im, d.base, d.size, 0));
    /* A size beyond 4 GiB is refused before anything is read. */
    assert_null(image_open(&im, c.base, (size_t)UINT32_MAX + 1, 0));
    free(c.base);
    free(d.base);
    ruleset_put(rs);
    ruleset_put(ls);
}

static void test_open_spoiled(void **state)
{
    struct ruleset *table = valid(IMAGE_TABLE), *list = valid(IMAGE_LIST);
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(spoils); i++) {
        const struct spoil_case *s = &spoils[i];
        struct copy c = copy_of(s->kind == IMAGE_TABLE ? table : list, 8);
        struct image im;
        size_t size = c.size;
        uint32_t kind = s->open_as != 0 ? s->open_as : (uint32_t)s->kind;

        if (s->spoil != NULL)
            s->spoil(&c);
        if (s->size_delta_down == (size_t)-1)
            size = sizeof(struct image_header) - 1;
        else
            size -= s->size_delta_down;
        if (s->misalign != 0)
            memmove(c.base + s->misalign, c.base, size);
        if (image_open(&im, c.base + s->misalign, size, kind) != NULL) {
            print_error("image with a bad %s: accepted\n", s->name);
            failures++;
        }
        free(c.base);
    }
    ruleset_put(table);
    ruleset_put(list);
    assert_int_equal(failures, 0);
}

/* Evaluates everything an accepted image has: each rule's lists and
 * options, and an index query with its catch-up. */
static enum match_result daemons_of(void *m, const struct image *im,
                                    uint32_t off)
{
    return match_daemons(m, im, off);
}

static void evaluate_all(const struct image *im, const struct image_header *h)
{
    static const char *addrs[] = {"10.0.0.1", "2001:db8::1", "10.2.3.4"};
    size_t a;
    uint32_t i;

    for (a = 0; a < TL_COUNT(addrs); a++) {
        struct request_info r;
        struct match_ctx m;
        struct index_query q;
        bool corrupt;

        request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, addrs[a],
                     RQ_CLIENT_NAME, "h.example.com", RQ_USER, "u", 0);
        match_begin(&m, &r, hostlist_match, (void *)&access_default);
        if (h->kind == IMAGE_LIST) {
            (void)match_words(&m, im, h->rules, &m.client, 0);
            continue;
        }
        for (i = 0; i < h->n_rules; i++) {
            const struct image_rule *rule = image_at(
                im, h->rules + i * (uint32_t)sizeof(*rule), sizeof(*rule));
            if (rule == NULL)
                break;
            (void)match_rule(&m, im, rule);
            (void)image_rule_options(im, rule, &corrupt);
        }
        if (h->index == 0)
            continue;
        index_query_begin(&q, im, h, &r);
        while (index_query_next(&q, &i))
            index_query_catch_up(&q, daemons_of, &m, i);
        index_query_catch_up(&q, daemons_of, &m, h->n_rules);
        index_query_end(&q);
    }
}

/* Every bit of the first 1024 bytes of each image flipped in turn: a
 * mutant is refused, or evaluates without reading outside itself. */
static void test_bit_flips(void **state)
{
    struct ruleset *kinds[2] = {valid(IMAGE_TABLE), valid(IMAGE_LIST)};
    size_t k, pos, accepted = 0, tried = 0;
    int bit;

    (void)state;
    for (k = 0; k < 2; k++) {
        struct copy c = copy_of(kinds[k], 0);
        size_t end = c.size < 1024 ? c.size : 1024;

        for (pos = 0; pos < end; pos++) {
            for (bit = 0; bit < 8; bit++) {
                struct image im;
                const struct image_header *h;

                memcpy(c.base, kinds[k]->im.base, c.size);
                c.base[pos] ^= (unsigned char)(1u << bit);
                tried++;
                if ((h = image_open(&im, c.base, c.size, 0)) == NULL)
                    continue;
                accepted++;
                evaluate_all(&im, h);
            }
        }
        free(c.base);
    }
    print_message("images: %zu one-bit mutants, %zu accepted and evaluated\n",
                  tried, accepted);
    ruleset_put(kinds[0]);
    ruleset_put(kinds[1]);
    tl_log_clear();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_long_text),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_pattern_strings),
        cmocka_unit_test(test_open_valid),
        cmocka_unit_test(test_open_spoiled),
        cmocka_unit_test_setup_teardown(test_bit_flips, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
