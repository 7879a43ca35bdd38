/*
 * test_rule.c - a logical line as strings for the checking tools (rule.h)
 * and Debian's split_at().
 *
 * rule_parse() must give exactly the lexer's reading (lex.h): the same
 * statuses, the same patterns (D10 rewrites included) as NUL-terminated
 * copies, the option field with its newline, the line number given.
 * rule_split_at() and the exported split_at() are Debian's bracket-aware
 * splitter (behaviour page 1.11 and 5.5).
 */
#include "testlib.h"

#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "table.h"

/* The patterns of a list joined by '|'. */
static void joined(struct strbuf *out, const struct pattern_list *l)
{
    size_t i;

    sb_reset(out);
    for (i = 0; i < l->count; i++) {
        if (i > 0)
            sb_putc(out, '|');
        sb_puts(out, l->items[i]);
    }
}

static const struct parse_case {
    const char *line;
    enum rule_status status;
    const char *daemons, *clients;
    const char *options; /* NULL: none */
} parses[] = {
    {.line = "sshd: 10.0.0.1\n", .daemons = "sshd", .clients = "10.0.0.1"},
    {.line = "sshd, ftpd : a b,c : allow\n",
     .daemons = "sshd|ftpd",
     .clients = "a|b|c",
     .options = " allow\n"},
    {.line = "ALL: ALL:\n",
     .daemons = "ALL",
     .clients = "ALL",
     .options = "\n"},
    {.line = "ALL: ::1\n", .daemons = "ALL", .clients = "[::1]"},
    {.line = "ALL: bob@2001:db8::/32 : deny\n",
     .daemons = "ALL",
     .clients = "bob@[2001:db8::]/32",
     .options = " deny\n"},
    {.line = "ALL: [::1]:spawn echo :x\n",
     .daemons = "ALL",
     .clients = "[::1]",
     .options = "spawn echo :x\n"},
    {.line = "sshd: 10.0.0.1", .daemons = "sshd", .clients = "10.0.0.1"},
    {.line = "ALL EXCEPT sshd: ALL\n",
     .daemons = "ALL|EXCEPT|sshd",
     .clients = "ALL"},
    {.line = ":\n", .daemons = "", .clients = ""},
    {.line = "# comment\n", .status = RULE_IGNORED},
    {.line = "  \t\r\n", .status = RULE_IGNORED},
    {.line = "", .status = RULE_IGNORED},
    {.line = "no colon\n", .status = RULE_NO_COLON},
    {.line = "ss[hd: ALL\n", .status = RULE_NO_COLON},
    {.line = "\v\n", .status = RULE_NO_COLON},
};

static void test_parse(void **state)
{
    struct strbuf got = STRBUF_INIT;
    struct arena a = ARENA_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(parses); i++) {
        const struct parse_case *c = &parses[i];
        struct rule r;
        enum rule_status st;
        bool ok;

        /* No padding after the text: rule_parse() copies it. */
        st = rule_parse(&a, c->line, strlen(c->line), (int)i + 1, &r);
        ok = st == c->status && r.line == (int)i + 1;
        if (ok && st == RULE_PARSED) {
            joined(&got, &r.daemons);
            ok = strcmp(sb_str(&got), c->daemons) == 0;
            joined(&got, &r.clients);
            ok = ok && strcmp(sb_str(&got), c->clients) == 0 &&
                 (r.options == NULL) == (c->options == NULL) &&
                 (r.options == NULL || strcmp(r.options, c->options) == 0);
        }
        if (!ok) {
            print_error("\"%s\": status %d (want %d)\n", c->line, st,
                        c->status);
            failures++;
        }
        arena_reset(&a);
    }
    arena_free(&a);
    sb_free(&got);
    assert_int_equal(failures, 0);
}

/* A line longer than anything Debian reads (D1), and one that does not
 * end where its length says (rule_parse() reads only len bytes). */
static void test_lengths(void **state)
{
    struct arena a = ARENA_INIT;
    struct strbuf line = STRBUF_INIT;
    struct rule r;
    int i;

    (void)state;
    sb_puts(&line, "sshd:");
    for (i = 0; i < 20000; i++)
        sb_printf(&line, " 10.0.%d.%d", i / 250, i % 250);
    sb_puts(&line, " : allow\n");
    assert_int_equal(rule_parse(&a, line.data, line.len, 1, &r), RULE_PARSED);
    assert_int_equal(r.clients.count, 20000);
    assert_string_equal(r.clients.items[19999], "10.0.79.249");
    assert_string_equal(r.options, " allow\n");
    assert_int_equal(rule_parse(&a, "ab: cd: x", 5, 2, &r), RULE_PARSED);
    assert_string_equal(r.daemons.items[0], "ab");
    assert_string_equal(r.clients.items[0], "c");
    assert_null(r.options);
    arena_free(&a);
    sb_free(&line);
}

static const struct split_case {
    const char *text;
    int c;
    const char *head, *tail; /* tail NULL: no split */
} splits[] = {
    /* The examples of behaviour page 5.5. */
    {.text = "a:[b:c]:d", .c = ':', .head = "a", .tail = "[b:c]:d"},
    {.text = "[b:c]:d", .c = ':', .head = "[b:c]", .tail = "d"},
    {.text = "a]b:c", .c = ':'},
    {.text = "a:b", .c = ':', .head = "a", .tail = "b"},
    {.text = "a", .c = ':'},
    {.text = "", .c = ':'},
    {.text = ":", .c = ':', .head = "", .tail = ""},
    {.text = "[a:b]", .c = ':'},
    {.text = "[a:b", .c = ':'},
    {.text = "a[:]b:c", .c = ':', .head = "a[:]b", .tail = "c"},
    {.text = "[[]]:x", .c = ':', .head = "[[]]", .tail = "x"},
    {.text = "[[]:x", .c = ':'},
    /* A counter, not a stack: the '[' after "]" balances it again. */
    {.text = "a]:[b:c", .c = ':', .head = "a]:[b", .tail = "c"},
    {.text = "bob@host", .c = '@', .head = "bob", .tail = "host"},
    {.text = "[u@x]@h", .c = '@', .head = "[u@x]", .tail = "h"},
};

static void test_split_at(void **state)
{
    size_t i;
    int exported;

    (void)state;
    for (i = 0; i < TL_COUNT(splits); i++) {
        const struct split_case *c = &splits[i];

        for (exported = 0; exported < 2; exported++) {
            char buf[64];
            char *tail;

            snprintf(buf, sizeof(buf), "%s", c->text);
            tail = exported ? split_at(buf, c->c) : rule_split_at(buf, c->c);
            if ((tail == NULL) != (c->tail == NULL) ||
                (tail != NULL &&
                 (strcmp(buf, c->head) != 0 || strcmp(tail, c->tail) != 0)))
                fail_msg("split of \"%s\" at '%c' wrong", c->text, c->c);
            /* No split leaves the text as it was. */
            if (tail == NULL && strcmp(buf, c->text) != 0)
                fail_msg("\"%s\" changed", c->text);
        }
    }
    assert_null(split_at(NULL, ':'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_split_at),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
