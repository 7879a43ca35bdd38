/*
 * test_lex.c - the lexer (lex.h): a logical line into fields and
 * patterns.
 *
 * The contract: the daemon and client fields end at a ':' outside
 * brackets, counted across the field as Debian's split_at() counts
 * them; patterns are split at runs of space, tab, comma, CR and LF; a
 * bare IPv6 address at the start of a client pattern or after an '@'
 * keeps its colons and is put in brackets (compat-policy D10); each
 * pattern comes with the classes of its bytes.  Rows give the patterns
 * of each field joined by '|'.  Besides the rows: every byte's class,
 * the word-at-a-time digit scanner at every offset and byte value, and
 * every line of up to six bytes of a small alphabet against Debian's
 * split_at() and strtok() (whenever no D10 rewrite is involved).
 */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "rule.h"
#include "table.h"

/* A line with the padding a table's text has after it. */
struct padded {
    char text[4096 + TABLE_PADDING];
    size_t len;
};

static void pad(struct padded *p, const char *text, size_t len)
{
    assert_true(len < 4096);
    memset(p->text, 0, sizeof(p->text));
    memcpy(p->text, text, len);
    p->len = len;
}

/* The patterns of a list joined by '|'. */
static void joined(struct strbuf *out, const struct lex_list *l)
{
    size_t i;

    sb_reset(out);
    for (i = 0; i < l->count; i++) {
        if (i > 0)
            sb_putc(out, '|');
        sb_append(out, l->items[i].text, l->items[i].len);
    }
}

/* What every item promises: its flags are its bytes' classes, and it is
 * a span of the line unless it was rewritten (then it is the bracketed
 * form, in the arena). */
static bool items_consistent(const struct lex_list *l, const char *line,
                             size_t len)
{
    size_t i;

    for (i = 0; i < l->count; i++) {
        const struct lex_item *it = &l->items[i];
        bool inside = it->text >= line && it->text + it->len <= line + len;
        uint32_t classes = lex_flags(it->text, it->len);

        if (it->len == 0 || (it->flags & ~LEX_REWRITTEN) != classes ||
            inside == ((it->flags & LEX_REWRITTEN) != 0))
            return false;
        if ((it->flags & LEX_REWRITTEN) &&
            memchr(it->text, '[', it->len) == NULL)
            return false;
    }
    return true;
}

static const struct line_case {
    const char *line;
    enum lex_status status;
    const char *daemons, *clients; /* patterns joined by '|' */
    const char *options;           /* NULL: no option field */
    const char *rewritten;         /* the client pattern D10 rewrote */
} lines[] = {
    /* Plain rules. */
    {.line = "sshd: 10.0.0.1\n", .daemons = "sshd", .clients = "10.0.0.1"},
    {.line = "sshd:10.0.0.1\n", .daemons = "sshd", .clients = "10.0.0.1"},
    {.line = "ALL: ALL: allow\n",
     .daemons = "ALL",
     .clients = "ALL",
     .options = " allow\n"},
    {.line = "ALL:ALL:\n",
     .daemons = "ALL",
     .clients = "ALL",
     .options = "\n"},
    {.line = "a: b: c: d\n",
     .daemons = "a",
     .clients = "b",
     .options = " c: d\n"},
    {.line = "sshd: 10.0.0.1", .daemons = "sshd", .clients = "10.0.0.1"},
    /* Separators (1.12): any run of space, tab, comma, CR, LF. */
    {.line = "a,b\tc\rd e:f\n", .daemons = "a|b|c|d|e", .clients = "f"},
    {.line = "ALL: 10.0.0.3,,, 10.0.0.1\n",
     .daemons = "ALL",
     .clients = "10.0.0.3|10.0.0.1"},
    {.line = "ALL:\t , \r10.0.0.1 ,\r\n",
     .daemons = "ALL",
     .clients = "10.0.0.1"},
    {.line = "ALL: a\vb\fc\n", .daemons = "ALL", .clients = "a\vb\fc"},
    {.line = ":ALL\n", .daemons = "", .clients = "ALL"},
    {.line = "ALL:\n", .daemons = "ALL", .clients = ""},
    {.line = " sshd : ALL\n", .daemons = "sshd", .clients = "ALL"},
    {.line = "ALL: ALL EXCEPT 10.0.0.1\n",
     .daemons = "ALL",
     .clients = "ALL|EXCEPT|10.0.0.1"},
    {.line = "ALL: \xff\xfe\x80 x\n",
     .daemons = "ALL",
     .clients = "\xff\xfe\x80|x"},
    /* Comments and blank lines (1.5, 1.6). */
    {.line = "#ALL: ALL\n", .status = LEX_IGNORED},
    {.line = "#\n", .status = LEX_IGNORED},
    {.line = "", .status = LEX_IGNORED},
    {.line = "\n", .status = LEX_IGNORED},
    {.line = " \t\r\n", .status = LEX_IGNORED},
    {.line = " #ALL: 10.0.0.1\n", .daemons = "#ALL", .clients = "10.0.0.1"},
    {.line = "ALL: 10.0.0.2 # 10.0.0.1\n",
     .daemons = "ALL",
     .clients = "10.0.0.2|#|10.0.0.1"},
    {.line = "\v\n", .status = LEX_NO_COLON},
    {.line = "\f\n", .status = LEX_NO_COLON},
    /* No colon (1.10), and brackets that hide colons (1.11). */
    {.line = "sshd 10.0.0.1\n", .status = LEX_NO_COLON},
    {.line = "ss[hd: ALL\n", .status = LEX_NO_COLON},
    {.line = "a]b: c\n", .status = LEX_NO_COLON},
    {.line = "[a]: b\n", .daemons = "[a]", .clients = "b"},
    {.line = "ALL: [::1]\n", .daemons = "ALL", .clients = "[::1]"},
    {.line = "ALL: [::1]:x\n",
     .daemons = "ALL",
     .clients = "[::1]",
     .options = "x\n"},
    {.line = "ALL: [2001:db8::]/32\n",
     .daemons = "ALL",
     .clients = "[2001:db8::]/32"},
    {.line = "ALL: 1.2.3.4 [x: spawn echo hi\n",
     .daemons = "ALL",
     .clients = "1.2.3.4|[x:|spawn|echo|hi"},
    {.line = "ALL: a] : b\n", .daemons = "ALL", .clients = "a]|:|b"},
    /* Debian splits after "u]" at the colon of "[2001:" (behaviour page
     * 1.11): no D10 there. */
    {.line = "u]x, ALL [2001:db8::]/abc unknown\n",
     .daemons = "u]x|ALL|[2001",
     .clients = "db8",
     .options = ":]/abc unknown\n"},
    /* Bare IPv6 addresses (D10): at the start of a client pattern... */
    {.line = "ALL: ::1\n",
     .daemons = "ALL",
     .clients = "[::1]",
     .rewritten = "[::1]"},
    {.line = "ALL: ::\n",
     .daemons = "ALL",
     .clients = "[::]",
     .rewritten = "[::]"},
    {.line = "ALL: :: deny\n",
     .daemons = "ALL",
     .clients = "[::]|deny",
     .rewritten = "[::]"},
    {.line = "ALL: ::1,::2\n",
     .daemons = "ALL",
     .clients = "[::1]|[::2]",
     .rewritten = "[::1]"},
    {.line = "ALL: ::1: deny\n",
     .daemons = "ALL",
     .clients = "[::1]",
     .options = " deny\n",
     .rewritten = "[::1]"},
    {.line = "sshd: 2001:db8::/32: allow\n",
     .daemons = "sshd",
     .clients = "[2001:db8::]/32",
     .options = " allow\n",
     .rewritten = "[2001:db8::]/32"},
    {.line = "ALL: fe80::1%eth0\n",
     .daemons = "ALL",
     .clients = "[fe80::1%eth0]",
     .rewritten = "[fe80::1%eth0]"},
    {.line = "ALL: ::ffff:1.2.3.4\n",
     .daemons = "ALL",
     .clients = "[::ffff:1.2.3.4]",
     .rewritten = "[::ffff:1.2.3.4]"},
    /* ...the longest run that parses, up to a colon... */
    {.line = "ALL: 1:2:3:4:5:6:7:8:9\n",
     .daemons = "ALL",
     .clients = "[1:2:3:4:5:6:7:8]",
     .options = "9\n",
     .rewritten = "[1:2:3:4:5:6:7:8]"},
    /* ...and after an '@', in either list. */
    {.line = "ALL: bob@fe80::1\n",
     .daemons = "ALL",
     .clients = "bob@[fe80::1]",
     .rewritten = "bob@[fe80::1]"},
    {.line = "ALL: x@::1/64 y\n",
     .daemons = "ALL",
     .clients = "x@[::1]/64|y",
     .rewritten = "x@[::1]/64"},
    {.line = "sshd@::1: ALL\n", .daemons = "sshd@[::1]", .clients = "ALL"},
    /* Not addresses: a prefix length of more than three digits or not
     * digits, an address that does not parse, a netgroup's '@', a bare
     * address at the start of the daemon list. */
    {.line = "ALL: 2001:db8::1/1234\n",
     .daemons = "ALL",
     .clients = "2001",
     .options = "db8::1/1234\n"},
    {.line = "ALL: ab::/12x\n",
     .daemons = "ALL",
     .clients = "ab",
     .options = ":/12x\n"},
    {.line = "ALL: 12345::1\n",
     .daemons = "ALL",
     .clients = "12345",
     .options = ":1\n"},
    {.line = "ALL: @::1\n",
     .daemons = "ALL",
     .clients = "@",
     .options = ":1\n"},
    {.line = "::1: ALL\n",
     .daemons = "",
     .clients = "",
     .options = "1: ALL\n"},
    {.line = "ALL: g::1\n",
     .daemons = "ALL",
     .clients = "g",
     .options = ":1\n"},
    /* '@' (2.1, 2.2). */
    {.line = "sshd@host: a@b@c\n", .daemons = "sshd@host", .clients = "a@b@c"},
    {.line = "ALL: @group\n", .daemons = "ALL", .clients = "@group"},
};

static void test_lines(void **state)
{
    struct strbuf got = STRBUF_INIT;
    struct lex_line l;
    struct padded p;
    size_t i, j;
    int failures = 0;

    (void)state;
    lex_init(&l);
    for (i = 0; i < TL_COUNT(lines); i++) {
        const struct line_case *c = &lines[i];
        enum lex_status st;
        const char *rewritten = NULL;
        bool ok;

        pad(&p, c->line, strlen(c->line));
        st = lex_line(&l, p.text, p.len);
        ok = st == c->status;
        if (st == LEX_RULE) {
            joined(&got, &l.daemons);
            ok = ok && strcmp(sb_str(&got), c->daemons) == 0;
            joined(&got, &l.clients);
            ok = ok && strcmp(sb_str(&got), c->clients) == 0;
            ok = ok && (l.options == NULL) == (c->options == NULL);
            if (l.options != NULL && c->options != NULL)
                ok = ok && l.options_len == strlen(c->options) &&
                     memcmp(l.options, c->options, l.options_len) == 0;
            for (j = 0; j < l.clients.count; j++)
                if (l.clients.items[j].flags & LEX_REWRITTEN &&
                    rewritten == NULL)
                    rewritten = l.clients.items[j].text;
            ok = ok && (rewritten == NULL) == (c->rewritten == NULL) &&
                 (rewritten == NULL || strcmp(rewritten, c->rewritten) == 0);
            ok = ok && items_consistent(&l.daemons, p.text, p.len) &&
                 items_consistent(&l.clients, p.text, p.len);
        } else {
            /* A line without a rule has no client list or options (the
             * daemon field of a NO_COLON line was lexed, though). */
            ok = ok && l.clients.count == 0 && l.options == NULL &&
                 (st != LEX_IGNORED || l.daemons.count == 0);
        }
        if (!ok) {
            joined(&got, &l.daemons);
            print_error("\"%s\": status %d (want %d), daemons \"%s\"", c->line,
                        st, c->status, sb_str(&got));
            joined(&got, &l.clients);
            print_error(", clients \"%s\", options \"%.*s\"\n", sb_str(&got),
                        l.options != NULL ? (int)l.options_len : 6,
                        l.options != NULL ? l.options : "(none)");
            failures++;
        }
    }
    lex_free(&l);
    sb_free(&got);
    assert_int_equal(failures, 0);
}

/* The class of every byte value, from lex.h's definitions. */
static void test_byte_classes(void **state)
{
    int b, failures = 0;

    (void)state;
    for (b = 0; b < 256; b++) {
        char c = (char)b;
        uint32_t want = 0;

        if (!((b >= '0' && b <= '9') || b == '.' || b == '/'))
            want |= LEX_NAME;
        if (b == '/')
            want |= LEX_SLASH;
        if (b == '*' || b == '?')
            want |= LEX_WILD;
        if (b == '[' || b == ']')
            want |= LEX_BRACKET;
        if (b == '@')
            want |= LEX_AT;
        if (lex_flags(&c, 1) != want ||
            lex_is_separator(c) != (b == ' ' || b == '\t' || b == ',' ||
                                    b == '\r' || b == '\n') ||
            lex_is_blank_byte(c) !=
                (b == ' ' || b == '\t' || b == ',' || b == '\r')) {
            print_error("byte 0x%02x: classes %x, want %x\n", b,
                        (unsigned)lex_flags(&c, 1), (unsigned)want);
            failures++;
        }
    }
    /* Classes of several bytes are OR-ed; none for no bytes. */
    assert_int_equal(lex_flags("a/*[@", 5),
                     LEX_NAME | LEX_SLASH | LEX_WILD | LEX_BRACKET | LEX_AT);
    assert_int_equal(lex_flags("10.0.0.0/8", 10), LEX_SLASH);
    assert_int_equal(lex_flags("x", 0), 0);
    assert_int_equal(failures, 0);
}

/* The scanner stops at the first byte that is neither a digit nor a
 * dot, wherever it is in a word and whatever its value. */
static void test_skip_digits_and_dots(void **state)
{
    char buf[64];
    int offset, b, failures = 0;

    (void)state;
    for (offset = 0; offset < 24; offset++) {
        for (b = 0; b < 256; b++) {
            const char *end;
            bool plain = (b >= '0' && b <= '9') || b == '.';
            int i;

            for (i = 0; i < (int)sizeof(buf); i++)
                buf[i] = "0123456789."[i % 11];
            buf[offset] = (char)b;
            buf[40] = 'x';
            end = lex_skip_digits_and_dots(buf);
            if (end != buf + (plain ? 40 : offset)) {
                print_error("byte 0x%02x at %d: stopped at %d\n", b, offset,
                            (int)(end - buf));
                failures++;
            }
        }
    }
    /* A NUL ends the scan, as at the padding after a table. */
    memset(buf, 0, sizeof(buf));
    memcpy(buf, "1.2.3.4", 7);
    assert_ptr_equal(lex_skip_digits_and_dots(buf), buf + 7);
    assert_int_equal(failures, 0);
}

static const struct blank_case {
    const char *text;
    bool blank;
} blanks[] = {
    {.text = "", .blank = true},
    {.text = "#", .blank = true},
    {.text = "# comment\n", .blank = true},
    {.text = "\n", .blank = true},
    {.text = " \t\r\n", .blank = true},
    {.text = "  \n", .blank = true},
    {.text = " #\n"},
    {.text = "\v\n"},
    {.text = "\f"},
    {.text = " x\n"},
    {.text = "x"},
    {.text = ",\n"},
};

static const struct except_case {
    const char *text;
    bool except;
} excepts[] = {
    {.text = "EXCEPT", .except = true},
    {.text = "except", .except = true},
    {.text = "ExCePt", .except = true},
    {.text = "EXCEPTS"},
    {.text = "EXCEP"},
    {.text = ""},
    {.text = "EXCEPT\n"},
};

static void test_blank_and_except(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(blanks); i++)
        if (lex_is_blank(blanks[i].text, strlen(blanks[i].text)) !=
            blanks[i].blank)
            fail_msg("lex_is_blank(\"%s\") wrong", blanks[i].text);
    for (i = 0; i < TL_COUNT(excepts); i++)
        if (lex_is_except(excepts[i].text, strlen(excepts[i].text)) !=
            excepts[i].except)
            fail_msg("lex_is_except(\"%s\") wrong", excepts[i].text);
}

/* lex_single_item(): one pattern as the client field, or false; when
 * true, lex_field() reads the same one pattern, with the same flags. */
static const struct single_case {
    const char *field;   /* after the daemon field's ':' */
    const char *pattern; /* NULL: not one pattern */
} singles[] = {
    /* Digits and dots, the usual block list line. */
    {.field = " 192.0.2.7\n", .pattern = "192.0.2.7"},
    {.field = "192.0.2.7\n", .pattern = "192.0.2.7"},
    {.field = "\t192.0.2.7 , \r\n", .pattern = "192.0.2.7"},
    {.field = " 10.0.0.\n", .pattern = "10.0.0."},
    {.field = " .7\n", .pattern = ".7"},
    {.field = " 1\n", .pattern = "1"},
    {.field = " 192.168.100.200.1.2.3.4\n",
     .pattern = "192.168.100.200.1.2.3.4"},
    {.field = " 192.0.2.7 x\n"},
    {.field = " 192.0.2.7 10.0.0.1\n"},
    {.field = " 192.0.2.7: allow\n"},
    {.field = " 192.0.2.7"}, /* no newline: the padding's NUL */
    {.field = " \n"},
    {.field = "\n"},
    {.field = ""},
    {.field = " 1.2.3.4\v\n", .pattern = "1.2.3.4\v"},
    /* Other kinds, after a run of digits and dots or not. */
    {.field = " 10.0.0.0/8\n", .pattern = "10.0.0.0/8"},
    {.field = " 10.0.0.0/255.0.0.0 \n", .pattern = "10.0.0.0/255.0.0.0"},
    {.field = " host\n", .pattern = "host"},
    {.field = " .spam7.example.com\n", .pattern = ".spam7.example.com"},
    {.field = " 192.0.2.x\n", .pattern = "192.0.2.x"},
    {.field = " 10.0.0.*\n", .pattern = "10.0.0.*"},
    {.field = " h?st\n", .pattern = "h?st"},
    {.field = " /etc/list\n", .pattern = "/etc/list"},
    {.field = " [2001:db8::1]\n", .pattern = "[2001:db8::1]"},
    {.field = " [2001:db8::]/32\n", .pattern = "[2001:db8::]/32"},
    {.field = " [a[b]c]d\n", .pattern = "[a[b]c]d"},
    {.field = " 1[::1]2\n", .pattern = "1[::1]2"},
    {.field = " host.example\\\n", .pattern = "host.example\\"},
    {.field = " host x\n"},
    {.field = " host: allow\n"},
    {.field = " host"},
    {.field = " bob@host\n"},
    {.field = " @group\n"},
    {.field = " a]b\n"},
    {.field = " [::1\n"},
    {.field = " [::1] x\n"},
    {.field = " ::1\n"}, /* a bare IPv6 address: lex_field() rewrites it */
    {.field = " host\v\n", .pattern = "host\v"},
};

static void test_single_item(void **state)
{
    struct lex_list list = {0};
    struct arena arena = ARENA_INIT;
    struct padded p;
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(singles); i++) {
        const struct single_case *c = &singles[i];
        struct lex_item item;
        const char *nl = NULL, *after;
        bool nomem;

        pad(&p, c->field, strlen(c->field));
        if (!lex_single_item(p.text, &item, &nl)) {
            if (c->pattern != NULL)
                fail_msg("\"%s\": not one pattern", c->field);
            continue;
        }
        if (c->pattern == NULL)
            fail_msg("\"%s\": taken for one pattern", c->field);
        assert_int_equal(item.len, strlen(c->pattern));
        assert_memory_equal(item.text, c->pattern, item.len);
        assert_int_equal(*nl, '\n');
        after = lex_field(&list, &arena, p.text, true, &nomem);
        assert_null(after);
        assert_false(nomem);
        assert_int_equal(list.count, 1);
        assert_ptr_equal(list.items[0].text, item.text);
        assert_int_equal(list.items[0].len, item.len);
        assert_int_equal(list.items[0].flags, item.flags);
        assert_int_equal(item.flags == 0,
                         strspn(c->pattern, "0123456789.") == item.len);
    }
    free(list.items);
    arena_free(&arena);
}

/* Debian's reading of a line: the fields by split_at(), then the
 * patterns by strtok() with ", \t\r\n"; NO_COLON when the daemon field
 * has no end. */
static enum lex_status debian_fields(char *line, struct strbuf *daemons,
                                     struct strbuf *clients, bool *options)
{
    char *rest, *opts, *tok, *save;
    struct strbuf *out[2] = {daemons, clients};
    char *field[2];
    int f;

    if (line[0] == '#' || strspn(line, " \t\r\n") == strlen(line))
        return LEX_IGNORED;
    if ((rest = rule_split_at(line, ':')) == NULL)
        return LEX_NO_COLON;
    opts = rule_split_at(rest, ':');
    *options = opts != NULL;
    field[0] = line;
    field[1] = rest;
    for (f = 0; f < 2; f++) {
        sb_reset(out[f]);
        for (tok = strtok_r(field[f], ", \t\r\n", &save); tok != NULL;
             tok = strtok_r(NULL, ", \t\r\n", &save)) {
            if (out[f]->len > 0)
                sb_putc(out[f], '|');
            sb_puts(out[f], tok);
        }
    }
    return LEX_RULE;
}

/* Every line of up to six bytes over an alphabet of the bytes that
 * matter: wherever D10 rewrote nothing, the fields and patterns are
 * exactly Debian's. */
static void test_against_debian(void **state)
{
    static const char alphabet[] = " :[]a,1@\t";
    const size_t k = sizeof(alphabet) - 1;
    struct strbuf want_d = STRBUF_INIT, want_c = STRBUF_INIT;
    struct strbuf got = STRBUF_INIT;
    struct lex_line l;
    struct padded p;
    char copy[32];
    size_t len, n, i, compared = 0, rewritten = 0;
    int failures = 0;

    (void)state;
    lex_init(&l);
    for (len = 0; len <= 6; len++) {
        size_t combos = 1;
        for (i = 0; i < len; i++)
            combos *= k;
        for (n = 0; n < combos; n++) {
            size_t x = n, j;
            enum lex_status st, want;
            bool options = false, ok, any_rewrite = false;

            for (i = 0; i < len; i++, x /= k)
                copy[i] = alphabet[x % k];
            copy[len] = '\n';
            copy[len + 1] = '\0';
            pad(&p, copy, len + 1);
            st = lex_line(&l, p.text, p.len);
            for (j = 0; st == LEX_RULE && j < l.clients.count; j++)
                any_rewrite |= (l.clients.items[j].flags & LEX_REWRITTEN) != 0;
            /* A daemon list is lexed before its ':' is known missing. */
            for (j = 0; st != LEX_IGNORED && j < l.daemons.count; j++)
                any_rewrite |= (l.daemons.items[j].flags & LEX_REWRITTEN) != 0;
            if (any_rewrite) {
                rewritten++;
                continue;
            }
            want = debian_fields(copy, &want_d, &want_c, &options);
            compared++;
            ok = st == want;
            if (ok && st == LEX_RULE) {
                joined(&got, &l.daemons);
                ok = strcmp(sb_str(&got), sb_str(&want_d)) == 0;
                joined(&got, &l.clients);
                ok = ok && strcmp(sb_str(&got), sb_str(&want_c)) == 0 &&
                     (l.options != NULL) == options;
            }
            if (!ok && failures++ < 10)
                print_error("\"%.*s\": lexed differently from Debian "
                            "(status %d, Debian %d)\n",
                            (int)len, p.text, st, want);
        }
    }
    print_message("lexer: %zu lines as Debian reads them, %zu with a D10 "
                  "rewrite left out\n",
                  compared, rewritten);
    lex_free(&l);
    sb_free(&want_d);
    sb_free(&want_c);
    sb_free(&got);
    assert_int_equal(failures, 0);
}

/* The arena and lists are reused from line to line: a second line
 * leaves nothing of the first. */
static void test_reuse(void **state)
{
    struct strbuf got = STRBUF_INIT;
    struct lex_line l;
    struct padded p;

    (void)state;
    lex_init(&l);
    pad(&p, "a b c: ::1 ::2: x\n", 18);
    assert_int_equal(lex_line(&l, p.text, p.len), LEX_RULE);
    pad(&p, "d: e\n", 5);
    assert_int_equal(lex_line(&l, p.text, p.len), LEX_RULE);
    joined(&got, &l.daemons);
    assert_string_equal(sb_str(&got), "d");
    joined(&got, &l.clients);
    assert_string_equal(sb_str(&got), "e");
    assert_null(l.options);
    pad(&p, "# x\n", 4);
    assert_int_equal(lex_line(&l, p.text, p.len), LEX_IGNORED);
    assert_int_equal(l.daemons.count, 0);
    assert_int_equal(l.clients.count, 0);
    lex_free(&l);
    sb_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_byte_classes),
        cmocka_unit_test(test_skip_digits_and_dots),
        cmocka_unit_test(test_blank_and_except),
        cmocka_unit_test(test_single_item),
        cmocka_unit_test(test_against_debian),
        cmocka_unit_test(test_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
