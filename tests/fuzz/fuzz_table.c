/*
 * fuzz_table.c - reading a table into logical lines, rules and images.
 *
 * The input is the bytes of a rule file.  It is read the ways the
 * library reads tables: into logical lines and lexed rules (the tools'
 * rule_parse()), compiled into a table image with its index and into a
 * /file list image (ruleset_compile()), each image then checked by the
 * loader (image_open()); and the exported xgets() reads it as Debian's
 * reader does.  Beyond "no crash, no leak, no undefined behaviour" it
 * checks that line numbers only grow, that patterns hold no separator,
 * and that the table image has one rule per rule line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fuzzlib.h"
#include "rule.h"
#include "ruleset.h"
#include "table.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every pattern is non-empty and holds no list separator. */
static void check_list(const struct pattern_list *list)
{
    size_t i;

    for (i = 0; i < list->count; i++) {
        const char *p = list->items[i];
        if (p[0] == '\0')
            fz_fail("empty pattern");
        for (; *p != '\0'; p++) {
            if (rule_is_list_separator(*p))
                fz_fail("separator inside pattern \"%s\"", list->items[i]);
        }
    }
}

/* Reads the logical lines and their rules; returns how many rules a
 * compiled image must have. */
static uint32_t read_lines(const struct table_text *t)
{
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT;
    struct arena arena = ARENA_INIT;
    struct rule rule;
    uint32_t rules = 0;
    int last = 0;

    line_iter_init(&it, t);
    while (line_iter_next(&it, &scratch, &line)) {
        enum rule_status status;

        if (line.lineno < last)
            fz_fail("line number went back from %d to %d", last, line.lineno);
        last = line.lineno;
        status = rule_parse(&arena, line.text, line.len, line.lineno, &rule);
        if (status == RULE_PARSED) {
            check_list(&rule.daemons);
            check_list(&rule.clients);
        }
        if (status == RULE_PARSED || status == RULE_NO_COLON ||
            line.unterminated)
            rules++;
        arena_reset(&arena);
    }
    if (sb_failed(&scratch))
        fz_fail("line reader failed without an allocation failure");
    arena_free(&arena);
    sb_free(&scratch);
    return rules;
}

/* Compiles the text both ways and has the loader check each image. */
static void compile(struct table_text *t, uint32_t rules)
{
    static const struct timespec read_at = {1000000, 0};
    struct ruleset *rs;
    struct image im;

    rs = ruleset_compile("/fuzz", t, IMAGE_TABLE, &read_at, false);
    if (rs == NULL)
        fz_fail("a table did not compile");
    if (image_open(&im, rs->im.base, rs->im.size, IMAGE_TABLE) == NULL)
        fz_fail("the loader refuses a table image");
    if (rs->h->n_rules != rules)
        fz_fail("%u rules compiled, %u lines", rs->h->n_rules, rules);
    ruleset_put(rs);
    rs = ruleset_compile("/fuzz", t, IMAGE_LIST, &read_at, false);
    if (rs == NULL)
        fz_fail("a list did not compile");
    if (image_open(&im, rs->im.base, rs->im.size, IMAGE_LIST) == NULL)
        fz_fail("the loader refuses a list image");
    ruleset_put(rs);
}

/* Debian's reader through a FILE: every result fits the buffer. */
static void read_xgets(const uint8_t *data, size_t size)
{
    char buf[2048];
    FILE *fp;
    int lines = 0;

    if (size == 0)
        return;
    fp = fmemopen((void *)data, size, "r");
    if (fp == NULL)
        return;
    tcpd_context.line = 0;
    while (xgets(buf, (int)sizeof(buf), fp) != NULL) {
        if (strnlen(buf, sizeof(buf)) >= sizeof(buf))
            fz_fail("xgets overran its buffer");
        if (++lines > 1000000)
            fz_fail("xgets does not end");
    }
    fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct table_text t;

    memset(&t, 0, sizeof(t));
    t.data = malloc(size + TABLE_PADDING + 1);
    if (t.data == NULL)
        return 0;
    memcpy(t.data, data, size);
    memset(t.data + size, 0, TABLE_PADDING + 1);
    t.size = size;
    t.has_nul = memchr(data, '\0', size) != NULL;

    compile(&t, read_lines(&t));
    read_xgets(data, size);
    table_text_free(&t);
    return 0;
}
