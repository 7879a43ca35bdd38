/*
 * fuzz_table.c - reading a table into logical lines and rules.
 *
 * The input is the bytes of a rule file.  It is read the three ways the
 * library reads tables: into logical lines and parsed rules (the general
 * path), split by the fast path where fastline_split() accepts a line,
 * and indexed by index_build(); and the exported xgets() reads it as
 * Debian's reader does.  Beyond "no crash, no leak, no undefined
 * behaviour" it checks that the fast split and the parser agree pattern
 * for pattern, and that line numbers only grow.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fastline.h"
#include "fuzzlib.h"
#include "index.h"
#include "rule.h"
#include "table.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The fast split of a list must be the parser's list, pattern by pattern. */
static void same_list(const struct fastline_list *fast,
                      const struct pattern_list *slow, const char *what)
{
    size_t i;

    if (fast->count != slow->count)
        fz_fail("%s: fast path has %zu patterns, parser %zu", what,
                fast->count, slow->count);
    for (i = 0; i < fast->count; i++) {
        if (strlen(slow->items[i]) != fast->item[i].n ||
            memcmp(slow->items[i], fast->item[i].p, fast->item[i].n) != 0)
            fz_fail("%s pattern %zu: fast \"%.*s\", parser \"%s\"", what, i,
                    (int)fast->item[i].n, fast->item[i].p, slow->items[i]);
    }
}

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

static void read_lines(const struct table_text *t)
{
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT;
    struct arena arena = ARENA_INIT;
    struct fastline_split split;
    struct rule rule;
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
        /* The fast split sees only lines that lie in the table itself. */
        if (!t->has_nul && line.text >= t->data &&
            line.text < t->data + t->size && !line.unterminated &&
            fastline_split(line.text, line.text + line.len, &split)) {
            if (status != RULE_PARSED)
                fz_fail("fast path splits a line the parser rejects");
            same_list(&split.daemons, &rule.daemons, "daemon");
            same_list(&split.clients, &rule.clients, "client");
        }
        arena_reset(&arena);
    }
    if (sb_failed(&scratch))
        fz_fail("line reader failed without an allocation failure");
    arena_free(&arena);
    sb_free(&scratch);
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
    struct table_index *ix;

    memset(&t, 0, sizeof(t));
    t.data = malloc(size + TABLE_PADDING + 1);
    if (t.data == NULL)
        return 0;
    memcpy(t.data, data, size);
    memset(t.data + size, 0, TABLE_PADDING + 1);
    t.size = size;
    t.has_nul = memchr(data, '\0', size) != NULL;

    read_lines(&t);
    ix = index_build(&t);
    if (ix != NULL && index_always(ix) > index_entries(ix))
        fz_fail("index: more always entries than entries");
    index_free(ix);
    read_xgets(data, size);
    table_text_free(&t);
    return 0;
}
