/*
 * test_ruleset.c - one version of one rule file, compiled (ruleset.h).
 *
 * What the rows check of a compiled table: one rule per logical line
 * that is neither blank nor a comment (and the unterminated last line,
 * which warns), each with Debian's line number and its flags, its option
 * field with the line's newline, consecutive equal daemon lists shared;
 * of a /file list: its words split at white space and cut at a NUL.
 * Then the ruleset's life: the source's identity and racy text, the
 * reference count, ruleset_same_file() at each granularity, images
 * mapped from a store (refused when racy, of another path, or bad), and
 * a table compiled from a stream, which must be the table compiled
 * whole.
 */
#include "testlib.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "ruleset.h"

/* Each rule as "<line><flags>" ('n' no colon, 'u' unterminated, 'c'
 * comment, 'o' options), space-separated. */
static void rules_of(struct strbuf *out, const struct ruleset *rs)
{
    uint32_t i;

    sb_reset(out);
    for (i = 0; i < rs->h->n_rules; i++) {
        const struct image_rule *r = image_at(
            &rs->im, rs->h->rules + i * (uint32_t)sizeof(*r), sizeof(*r));
        uint32_t f;

        assert_non_null(r);
        f = image_rule_flags(r);
        sb_printf(out, "%s%d%s%s%s%s", i > 0 ? " " : "", image_rule_line(r),
                  f & IMAGE_RULE_NO_COLON ? "n" : "",
                  f & IMAGE_RULE_UNTERMINATED ? "u" : "",
                  f & IMAGE_RULE_COMMENT ? "c" : "",
                  f & IMAGE_RULE_OPTIONS ? "o" : "");
    }
}

static const struct table_case {
    const char *name;
    const char *text;
    const char *rules;
} tables[] = {
    {.name = "empty", .text = "", .rules = ""},
    {.name = "one rule", .text = "sshd: ALL\n", .rules = "1"},
    {.name = "blank lines and comments are no rules",
     .text = "# c\n\n  \nsshd: ALL\n\t\r\n#x\nftpd: ALL\n",
     .rules = "4 7"},
    {.name = "no colon", .text = "sshd ALL\nsshd: ALL\n", .rules = "1n 2"},
    {.name = "options",
     .text = "sshd: ALL: allow\nftpd: ALL\n",
     .rules = "1o 2"},
    {.name = "empty option field", .text = "sshd: ALL:\n", .rules = "1o"},
    {.name = "continued lines: the last line's number",
     .text = "sshd: \\\n a \\\n b\nftpd: ALL\n",
     .rules = "3 4"},
    {.name = "unterminated last line",
     .text = "sshd: ALL\nftpd: ALL",
     .rules = "1 2u"},
    {.name = "unterminated options",
     .text = "sshd: ALL: deny",
     .rules = "1uo"},
    {.name = "unterminated comment warns too",
     .text = "sshd: ALL\n# end",
     .rules = "1 2uc"},
    {.name = "unterminated blank", .text = "sshd: ALL\n  ", .rules = "1 2uc"},
    {.name = "unterminated without colon", .text = "x", .rules = "1nu"},
    {.name = "a lone backslash at the end",
     .text = "sshd: ALL\n\\",
     .rules = "1"},
    {.name = "NUL joins", .text = "sshd: a\0b\nc\n", .rules = "1"},
};

static void test_tables(void **state)
{
    struct strbuf got = STRBUF_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(tables); i++) {
        const struct table_case *c = &tables[i];
        size_t n = strlen(c->text);
        struct ruleset *rs;

        if (strcmp(c->name, "NUL joins") == 0)
            n = 12;
        rs = tl_compile("/etc/hosts.allow", c->text, n, IMAGE_TABLE);
        assert_non_null(rs);
        rules_of(&got, rs);
        if (strcmp(sb_str(&got), c->rules) != 0 ||
            strcmp((const char *)rs->im.base + rs->h->path,
                   "/etc/hosts.allow") != 0 ||
            rs->h->kind != IMAGE_TABLE ||
            (rs->h->n_rules > 0) != (rs->h->index != 0)) {
            print_error("%s: rules \"%s\", want \"%s\"\n", c->name,
                        sb_str(&got), c->rules);
            failures++;
        }
        ruleset_put(rs);
    }
    sb_free(&got);
    assert_int_equal(failures, 0);
}

/* A rule's option field, NUL-terminated, with the line's newline;
 * consecutive equal daemon lists are one list. */
static void test_options_and_sharing(void **state)
{
    static const char text[] = "sshd: a: spawn echo %d\n"
                               "sshd: b\n"
                               "sshd: c: deny\n"
                               "ftpd: d\n"
                               "sshd: e\n"
                               "sshd,ftpd: f\n";
    const struct image_rule *r[6];
    struct ruleset *rs = tl_compile("/t", text, sizeof(text) - 1, IMAGE_TABLE);
    bool corrupt;
    uint32_t i;

    (void)state;
    assert_non_null(rs);
    assert_int_equal(rs->h->n_rules, 6);
    for (i = 0; i < 6; i++) {
        r[i] = image_at(&rs->im, rs->h->rules + i * (uint32_t)sizeof(*r[i]),
                        sizeof(*r[i]));
        assert_non_null(r[i]);
    }
    assert_string_equal(image_rule_options(&rs->im, r[0], &corrupt),
                        " spawn echo %d\n");
    assert_false(corrupt);
    assert_null(image_rule_options(&rs->im, r[1], &corrupt));
    assert_false(corrupt);
    assert_string_equal(image_rule_options(&rs->im, r[2], &corrupt),
                        " deny\n");
    /* Runs of the same daemon list share it; another list breaks the
     * run, and the same text later is a list of its own. */
    assert_int_equal(r[0]->daemons, r[1]->daemons);
    assert_int_equal(r[1]->daemons, r[2]->daemons);
    assert_true(r[3]->daemons != r[2]->daemons);
    assert_true(r[4]->daemons != r[0]->daemons);
    assert_true(r[5]->daemons != r[4]->daemons);
    ruleset_put(rs);
}

/* The words of a /file list. */
static const struct list_case {
    const char *name;
    const char *text;
    size_t n; /* 0: strlen */
    const char *words;
} lists[] = {
    {.name = "words", .text = "a b\tc\nd", .words = "a|b|c|d"},
    {.name = "every kind of white space",
     .text = " a\v\fb\r\n c ",
     .words = "a|b|c"},
    {.name = "# is a word",
     .text = "# blocked\n10.0.0.1\n",
     .words = "#|blocked|10.0.0.1"},
    {.name = "a NUL cuts its word",
     .text = "ab\0cd ef",
     .n = 8,
     .words = "ab|ef"},
    {.name = "a word of NULs is empty",
     .text = "\0\0 x",
     .n = 4,
     .words = "|x"},
    {.name = "empty", .text = "", .words = ""},
    {.name = "only blanks", .text = " \n\t ", .words = ""},
    {.name = "commas are text", .text = "a,b", .words = "a,b"},
};

static void test_lists(void **state)
{
    struct strbuf got = STRBUF_INIT;
    size_t i, k;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(lists); i++) {
        const struct list_case *c = &lists[i];
        size_t n = c->n != 0 ? c->n : strlen(c->text);
        struct ruleset *rs = tl_compile("/list", c->text, n, IMAGE_LIST);
        const struct image_list *l;

        assert_non_null(rs);
        assert_int_equal(rs->h->kind, IMAGE_LIST);
        assert_int_equal(rs->h->index, 0);
        l = image_list(&rs->im, rs->h->rules);
        assert_non_null(l);
        sb_reset(&got);
        for (k = 0; k < l->count; k++) {
            size_t len = 0;
            const char *w = image_pattern_span(&rs->im, &l->item[k], &len);
            if (k > 0)
                sb_putc(&got, '|');
            /* Keyword records (KNOWN...) hold no text; none here. */
            if (w != NULL)
                sb_append(&got, w, len);
        }
        if (strcmp(sb_str(&got), c->words) != 0) {
            print_error("%s: words \"%s\", want \"%s\"\n", c->name,
                        sb_str(&got), c->words);
            failures++;
        }
        ruleset_put(rs);
    }
    sb_free(&got);
    assert_int_equal(failures, 0);
}

/* ---- the source's identity, racy text, references ---- */

static struct table_text read_file(const char *path)
{
    struct table_text t;

    assert_int_equal(table_read(path, &t), TABLE_OK);
    return t;
}

static void test_source(void **state)
{
    const char *path = tl_write("src", "sshd: ALL\n");
    struct table_text t = read_file(path);
    struct timespec now = {.tv_sec = 1000, .tv_nsec = 5};
    struct ruleset *rs;
    struct stat st;
    char keep[600];

    (void)state;
    snprintf(keep, sizeof(keep), "%s", path);
    assert_int_equal(stat(keep, &st), 0);
    /* Not racy: the text stays the caller's. */
    rs = ruleset_compile(keep, &t, IMAGE_TABLE, &now, false);
    assert_non_null(rs);
    assert_non_null(t.data);
    assert_null(rs->text.data);
    assert_false(rs->racy);
    assert_int_equal(rs->h->source.ino, (uint64_t)st.st_ino);
    assert_int_equal(rs->h->source.dev, (uint64_t)st.st_dev);
    assert_int_equal(rs->h->source.size, st.st_size);
    assert_int_equal(rs->h->source.read_sec, 1000);
    assert_int_equal(rs->h->source.read_nsec, 5);
    assert_int_equal(rs->h->source.flags & SOURCE_RACY, 0);
    assert_true(ruleset_any_reader(rs));
    assert_true(ruleset_same_file(rs, &st, 1));
    ruleset_put(rs);
    /* Racy: the text moves into the ruleset. */
    rs = ruleset_compile(keep, &t, IMAGE_TABLE, &now, true);
    assert_non_null(rs);
    assert_null(t.data);
    assert_int_equal(t.size, 0);
    assert_non_null(rs->text.data);
    assert_memory_equal(rs->text.data, "sshd: ALL\n", 10);
    assert_true(rs->racy);
    assert_int_equal(rs->h->source.flags & SOURCE_RACY, SOURCE_RACY);
    /* References: the last put frees (ASan would see a leak, or a use
     * after free). */
    ruleset_get(rs);
    assert_int_equal(rs->refs, 2);
    ruleset_put(rs);
    assert_int_equal(rs->refs, 1);
    ruleset_put(rs);
    ruleset_put(NULL);
    /* A file only its owner may read. */
    assert_int_equal(chmod(keep, 0600), 0);
    t = read_file(keep);
    rs = ruleset_compile(keep, &t, IMAGE_TABLE, &now, false);
    assert_false(ruleset_any_reader(rs));
    ruleset_put(rs);
    table_text_free(&t);
}

static void nothing(struct stat *st)
{
    (void)st;
}

static void other_inode(struct stat *st)
{
    st->st_ino++;
}

static void other_device(struct stat *st)
{
    st->st_dev++;
}

static void other_size(struct stat *st)
{
    st->st_size++;
}

static void other_mode(struct stat *st)
{
    st->st_mode ^= 0004;
}

static void other_owner(struct stat *st)
{
    st->st_uid++;
}

static void mtime_nsec(struct stat *st)
{
    st->st_mtim.tv_nsec = st->st_mtim.tv_nsec == 0 ? 1 : 0;
}

static void ctime_nsec(struct stat *st)
{
    st->st_ctim.tv_nsec = st->st_ctim.tv_nsec == 0 ? 1 : 0;
}

static void mtime_sec(struct stat *st)
{
    st->st_mtim.tv_sec++;
}

static void ctime_sec(struct stat *st)
{
    st->st_ctim.tv_sec--;
}

static void other_atime(struct stat *st)
{
    st->st_atim.tv_sec += 100;
}

/* What ruleset_same_file() compares, at each granularity. */
static const struct same_case {
    const char *name;
    void (*change)(struct stat *st);
    long granularity;
    bool same;
} sames[] = {
    {.name = "the same", .change = nothing, .granularity = 1, .same = true},
    {.name = "another inode", .change = other_inode, .granularity = 1},
    {.name = "another device", .change = other_device, .granularity = 1},
    {.name = "another size", .change = other_size, .granularity = 1},
    {.name = "another mode", .change = other_mode, .granularity = 1},
    /* The owner is not compared: a chown() also changes ctime. */
    {.name = "another owner",
     .change = other_owner,
     .granularity = 1,
     .same = true},
    {.name = "mtime nanoseconds", .change = mtime_nsec, .granularity = 1},
    {.name = "ctime nanoseconds", .change = ctime_nsec, .granularity = 1},
    {.name = "mtime nanoseconds, 1 s granularity",
     .change = mtime_nsec,
     .granularity = 1000000000L,
     .same = true},
    {.name = "ctime nanoseconds, 1 s granularity",
     .change = ctime_nsec,
     .granularity = 1000000000L,
     .same = true},
    {.name = "mtime seconds, 1 s granularity",
     .change = mtime_sec,
     .granularity = 1000000000L},
    {.name = "ctime seconds", .change = ctime_sec, .granularity = 1},
    {.name = "the access time is not compared",
     .change = other_atime,
     .granularity = 1,
     .same = true},
    {.name = "granularity 0 reads as 1",
     .change = mtime_nsec,
     .granularity = 0},
};

static void test_same_file(void **state)
{
    struct ruleset *rs;
    struct stat st;
    size_t i;

    (void)state;
    tl_write("f", "sshd: ALL\n");
    {
        struct table_text t = read_file(tl_path("f"));
        struct timespec now = {0};
        rs = ruleset_compile("/f", &t, IMAGE_TABLE, &now, false);
        st = t.st;
        table_text_free(&t);
    }
    assert_non_null(rs);
    for (i = 0; i < TL_COUNT(sames); i++) {
        struct stat changed = st;

        sames[i].change(&changed);
        if (ruleset_same_file(rs, &changed, sames[i].granularity) !=
            sames[i].same)
            fail_msg("%s: same_file %d", sames[i].name, !sames[i].same);
    }
    ruleset_put(rs);
}

/* ---- images mapped from a store ---- */

/* A private mapping holding a copy of an image, as the store maps one. */
static void *mapped_copy(const struct ruleset *rs, size_t *size)
{
    void *p = mmap(NULL, rs->im.size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    assert_true(p != MAP_FAILED);
    memcpy(p, rs->im.base, rs->im.size);
    *size = rs->im.size;
    return p;
}

static void test_from_map(void **state)
{
    static const char text[] = "sshd: 10.0.0.1\n";
    struct ruleset *rs =
        tl_compile("/etc/hosts.deny", text, sizeof(text) - 1, IMAGE_TABLE);
    struct ruleset *m;
    struct table_text t;
    struct timespec now = {0};
    size_t size;
    void *p;

    (void)state;
    assert_non_null(rs);
    /* Of the path and kind asked for: a ruleset that unmaps it. */
    p = mapped_copy(rs, &size);
    m = ruleset_from_map("/etc/hosts.deny", p, size, IMAGE_TABLE);
    assert_non_null(m);
    assert_ptr_equal(m->mapped, p);
    assert_int_equal(m->h->n_rules, 1);
    ruleset_put(m); /* unmaps */
    /* Another path, another kind, a bad image: NULL, still mapped. */
    p = mapped_copy(rs, &size);
    assert_null(ruleset_from_map("/etc/hosts.allow", p, size, IMAGE_TABLE));
    assert_null(ruleset_from_map("/etc/hosts.deny", p, size, IMAGE_LIST));
    ((unsigned char *)p)[0] ^= 1;
    assert_null(ruleset_from_map("/etc/hosts.deny", p, size, IMAGE_TABLE));
    munmap(p, size);
    ruleset_put(rs);
    /* A racy image is never used from a store. */
    t.data = NULL;
    {
        const char *path = tl_write("racy", text);
        char keep[600];
        snprintf(keep, sizeof(keep), "%s", path);
        t = read_file(keep);
        rs = ruleset_compile(keep, &t, IMAGE_TABLE, &now, true);
        assert_non_null(rs);
        p = mapped_copy(rs, &size);
        assert_null(ruleset_from_map(keep, p, size, IMAGE_TABLE));
        munmap(p, size);
        ruleset_put(rs);
    }
}

/* ---- compiling a stream ---- */

static void test_stream(void **state)
{
    struct strbuf text = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
    struct table_stream ts;
    struct table_text t;
    struct timespec now = {0};
    struct ruleset *whole, *streamed;
    char path[600];
    int i, error;

    (void)state;
    for (i = 0; i < 30000; i++) {
        if (i % 1000 == 7)
            sb_printf(&text, "sshd: 10.%d.0.1 \\\n 10.%d.0.2 : deny\n", i, i);
        else if (i % 1000 == 9)
            sb_puts(&text, "no colon\n");
        else
            sb_printf(&text, "sshd: 10.0.%d.%d\n", i / 250, i % 250);
    }
    sb_puts(&text, "ALL: ALL");
    snprintf(path, sizeof(path), "%s",
             tl_write_bytes("big", text.data, text.len));
    t = read_file(path);
    whole = ruleset_compile(path, &t, IMAGE_TABLE, &now, false);
    table_text_free(&t);
    assert_int_equal(table_stream_open(path, &ts, true), TABLE_OK);
    streamed = ruleset_compile_stream(path, &ts, &now, ts.any_reader, &error);
    table_stream_close(&ts);
    assert_non_null(whole);
    assert_non_null(streamed);
    assert_int_equal(error, 0);
    rules_of(&a, whole);
    rules_of(&b, streamed);
    assert_string_equal(sb_str(&a), sb_str(&b));
    assert_int_equal(whole->h->n_rules, streamed->h->n_rules);
    assert_true(streamed->h->index != 0);
    ruleset_put(whole);
    ruleset_put(streamed);
    sb_free(&text);
    sb_free(&a);
    sb_free(&b);
}

/* A text that would make an image over 4 GiB is refused before it is
 * read. */
static void test_too_big(void **state)
{
    struct table_text t;
    struct timespec now = {0};
    char byte = '\n';

    (void)state;
    memset(&t, 0, sizeof(t));
    t.data = &byte;
    t.size = (size_t)UINT32_MAX / 2 + 1;
    assert_null(ruleset_compile("/t", &t, IMAGE_TABLE, &now, false));
    assert_ptr_equal(t.data, &byte);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_options_and_sharing),
        cmocka_unit_test(test_lists),
        cmocka_unit_test_setup_teardown(test_source, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_same_file, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_from_map, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_stream, tl_setup, tl_teardown),
        cmocka_unit_test(test_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
