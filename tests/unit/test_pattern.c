/*
 * test_pattern.c - the classifier (pattern.h): what each pattern means.
 *
 * Every kind of pattern in each place a list can stand (daemon list,
 * client list, the words of a /file list) is compiled from text, lexed
 * as the library lexes it, and its records are compared with what the
 * behaviour page says the pattern is (2.1-2.4): kind, flags, the text or
 * value it holds, and for "daemon@host" and "user@host" the host record
 * that follows.  The helpers (the '@' and '/' finders, the port reader)
 * have their own rows; the port reader is also compared with
 * sscanf("%u%c") over every short string of a small alphabet.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "lex.h"
#include "pattern.h"
#include "table.h"

/* What one record should be. */
struct want_record {
    int kind;
    unsigned flags;
    const char *text;       /* string kinds: the bytes (NULL: the pattern's) */
    unsigned port;          /* PAT_PORT */
    const char *net, *mask; /* PAT_NET4, dotted */
    const char *v6;         /* PAT_NET6, PAT_V6_LITERAL (valid) */
    unsigned bits;          /* PAT_NET6 */
};

struct pattern_case {
    const char *pattern;
    struct want_record rec;  /* the pattern, or its daemon or user part */
    struct want_record host; /* after PATTERN_HOST_FOLLOWS */
};

/* The compiled records of one list, in a builder of their own. */
struct compiled {
    struct image_builder b;
    struct image im;
    const struct image_list *list;
};

/* Lexes text as a daemon or client list (or splits it into words for a
 * host list) and compiles it, with trailer words after it. */
static void compile(struct compiled *c, const char *text,
                    enum pattern_list_kind kind, size_t trailer)
{
    static char line[1 << 17];
    struct lex_list list = {0};
    struct lex_item word;
    struct arena arena = ARENA_INIT;
    size_t n = strlen(text);
    uint32_t off;
    bool nomem;

    assert_true(n + TABLE_PADDING < sizeof(line));
    memset(line, 0, n + TABLE_PADDING + 1);
    memcpy(line, text, n);
    image_builder_init(&c->b);
    if (kind == LIST_HOSTS) {
        word.text = line;
        word.len = (uint32_t)n;
        word.flags = lex_flags(line, n);
        list.items = &word;
        list.count = list.cap = 1;
        off = pattern_put_list(&c->b, &list, kind, trailer);
    } else {
        line[n] = '\n';
        assert_null(
            lex_field(&list, &arena, line, kind == LIST_CLIENTS, &nomem));
        assert_false(nomem);
        off = pattern_put_list(&c->b, &list, kind, trailer);
        free(list.items);
    }
    arena_free(&arena);
    assert_true(off != 0);
    assert_false(c->b.failed);
    c->im.base = (const unsigned char *)c->b.buf.data;
    c->im.size = c->b.buf.len;
    c->im.reader = NULL;
    c->list = image_list(&c->im, off);
    assert_non_null(c->list);
}

static void release(struct compiled *c)
{
    image_builder_free(&c->b);
}

/* Compares a record with what it should be; false (and why) if not. */
static bool check_record(const struct compiled *c,
                         const struct image_pattern *p,
                         const struct want_record *w, const char *pattern,
                         struct strbuf *why)
{
    const struct image_net4 *v4;
    const struct image_net6 *v6;
    struct in6_addr addr;
    struct in_addr net, mask;
    const char *text;
    size_t n;

    if (p->kind != w->kind || p->flags != w->flags) {
        sb_printf(why, "kind %d flags %u, want kind %d flags %u", p->kind,
                  p->flags, w->kind, w->flags);
        return false;
    }
    switch (p->kind) {
    case PAT_EXACT:
    case PAT_PREFIX:
    case PAT_SUFFIX:
    case PAT_WILDCARD:
        text = image_pattern_span(&c->im, p, &n);
        if (w->text != NULL)
            pattern = w->text;
        if (text == NULL || n != strlen(pattern) ||
            memcmp(text, pattern, n) != 0) {
            sb_printf(why, "text \"%.*s\", want \"%s\"", (int)n,
                      text != NULL ? text : "", pattern);
            return false;
        }
        break;
    case PAT_NETGROUP:
    case PAT_FILE:
        text = image_pattern_text(&c->im, p, &n);
        if (text == NULL || strcmp(text, w->text) != 0 ||
            n != strlen(w->text)) {
            sb_printf(why, "text \"%s\", want \"%s\"", text ? text : "",
                      w->text);
            return false;
        }
        break;
    case PAT_PORT:
        if (p->value != w->port) {
            sb_printf(why, "port %u, want %u", (unsigned)p->value, w->port);
            return false;
        }
        break;
    case PAT_NET4:
        v4 = image_at(&c->im, p->value, sizeof(*v4));
        assert_int_equal(inet_pton(AF_INET, w->net, &net), 1);
        assert_int_equal(inet_pton(AF_INET, w->mask, &mask), 1);
        if (v4 == NULL || v4->net != net.s_addr || v4->mask != mask.s_addr) {
            sb_printf(why, "net/mask %08x/%08x, want %s/%s",
                      v4 ? (unsigned)v4->net : 0, v4 ? (unsigned)v4->mask : 0,
                      w->net, w->mask);
            return false;
        }
        break;
    case PAT_NET6:
        v6 = image_at(&c->im, p->value, sizeof(*v6));
        assert_int_equal(inet_pton(AF_INET6, w->v6, &addr), 1);
        if (v6 == NULL || memcmp(v6->addr, &addr, 16) != 0 ||
            v6->bits != w->bits) {
            sb_printf(why, "IPv6 net, want %s/%u", w->v6, w->bits);
            return false;
        }
        break;
    case PAT_V6_LITERAL:
        if (!(p->flags & PATTERN_V6_VALID))
            break;
        assert_int_equal(inet_pton(AF_INET6, w->v6, &addr), 1);
        if ((v6 = image_at(&c->im, p->value, 16)) == NULL ||
            memcmp(v6, &addr, 16) != 0) {
            sb_printf(why, "IPv6 literal, want %s", w->v6);
            return false;
        }
        break;
    default:
        break;
    }
    return true;
}

/* Checks each row compiled alone as a list of the given kind. */
static int check_cases(const struct pattern_case *cases, size_t n,
                       enum pattern_list_kind kind)
{
    struct strbuf why = STRBUF_INIT;
    size_t i;
    int failures = 0;

    for (i = 0; i < n; i++) {
        const struct pattern_case *pc = &cases[i];
        struct compiled c;
        size_t records = pc->host.kind != 0 ? 2 : 1;
        bool ok;

        compile(&c, pc->pattern, kind, 0);
        sb_reset(&why);
        ok = c.list->count == records;
        if (!ok)
            sb_printf(&why, "%u records, want %zu", c.list->count, records);
        ok = ok &&
             check_record(&c, &c.list->item[0], &pc->rec, pc->pattern, &why);
        ok =
            ok && (records == 1 || check_record(&c, &c.list->item[1],
                                                &pc->host, pc->pattern, &why));
        if (!ok) {
            print_error("%s pattern \"%s\": %s\n",
                        kind == LIST_DAEMONS   ? "daemon"
                        : kind == LIST_CLIENTS ? "client"
                                               : "list",
                        pc->pattern, sb_str(&why));
            failures++;
        }
        release(&c);
    }
    sb_free(&why);
    return failures;
}

#define NAME PATTERN_NAME
#define HOST PATTERN_HOST_FOLLOWS
#define V6OK PATTERN_V6_VALID

/* Daemon patterns (2.1, 2.3). */
static const struct pattern_case daemon_cases[] = {
    {.pattern = "sshd", .rec = {.kind = PAT_EXACT}},
    {.pattern = "in.telnetd", .rec = {.kind = PAT_EXACT}},
    {.pattern = "ALL", .rec = {.kind = PAT_ALL}},
    {.pattern = "all", .rec = {.kind = PAT_ALL}},
    {.pattern = "KNOWN", .rec = {.kind = PAT_KNOWN}},
    {.pattern = "Known", .rec = {.kind = PAT_KNOWN}},
    {.pattern = "EXCEPT", .rec = {.kind = PAT_EXCEPT}},
    {.pattern = "except", .rec = {.kind = PAT_EXCEPT}},
    /* No special meaning for daemons (2.3). */
    {.pattern = "LOCAL", .rec = {.kind = PAT_EXACT}},
    {.pattern = "UNKNOWN", .rec = {.kind = PAT_EXACT}},
    {.pattern = "PARANOID", .rec = {.kind = PAT_EXACT}},
    {.pattern = "@group", .rec = {.kind = PAT_EXACT}},
    {.pattern = "/etc/list", .rec = {.kind = PAT_EXACT}},
    {.pattern = "@", .rec = {.kind = PAT_EXACT}},
    /* Wildcards, suffixes, prefixes, IPv6 literals. */
    {.pattern = "ssh*", .rec = {.kind = PAT_WILDCARD}},
    {.pattern = "?", .rec = {.kind = PAT_WILDCARD}},
    {.pattern = ".d", .rec = {.kind = PAT_SUFFIX}},
    {.pattern = "in.", .rec = {.kind = PAT_PREFIX}},
    {.pattern = ".", .rec = {.kind = PAT_SUFFIX}},
    {.pattern = "*.", .rec = {.kind = PAT_WILDCARD}},
    {.pattern = "[::1]",
     .rec = {.kind = PAT_V6_LITERAL, .flags = V6OK, .v6 = "::1"}},
    {.pattern = "[x]", .rec = {.kind = PAT_V6_LITERAL}},
    {.pattern = "[]", .rec = {.kind = PAT_V6_LITERAL}},
    {.pattern = "[", .rec = {.kind = PAT_EXACT}},
    /* Ports: sscanf("%u%c") semantics, at most 65535. */
    {.pattern = "22", .rec = {.kind = PAT_PORT, .port = 22}},
    {.pattern = "0022", .rec = {.kind = PAT_PORT, .port = 22}},
    {.pattern = "+22", .rec = {.kind = PAT_PORT, .port = 22}},
    {.pattern = "0", .rec = {.kind = PAT_PORT, .port = 0}},
    {.pattern = "65535", .rec = {.kind = PAT_PORT, .port = 65535}},
    {.pattern = "65536", .rec = {.kind = PAT_EXACT}},
    {.pattern = "70000", .rec = {.kind = PAT_EXACT}},
    {.pattern = "-1", .rec = {.kind = PAT_EXACT}},
    {.pattern = "-0", .rec = {.kind = PAT_PORT, .port = 0}},
    {.pattern = "22x", .rec = {.kind = PAT_EXACT}},
    {.pattern = "0x16", .rec = {.kind = PAT_EXACT}},
    /* strtoul() cut to unsigned int, as glibc's sscanf() does. */
    {.pattern = "4294967296", .rec = {.kind = PAT_PORT, .port = 0}},
    {.pattern = "4294967318", .rec = {.kind = PAT_PORT, .port = 22}},
    {.pattern = "-4294967295", .rec = {.kind = PAT_PORT, .port = 1}},
    {.pattern = "99999999999999999999", .rec = {.kind = PAT_EXACT}},
    /* daemon@host: the host part is a host pattern (of the server). */
    {.pattern = "sshd@10.0.0.1",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_EXACT, .text = "10.0.0.1"}},
    {.pattern = "sshd@host.example",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_EXACT, .flags = NAME, .text = "host.example"}},
    {.pattern = "sshd@.example.com",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_SUFFIX, .flags = NAME, .text = ".example.com"}},
    {.pattern = "ALL@10.0.0.0/8",
     .rec = {.kind = PAT_ALL, .flags = HOST},
     .host = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.0.0.0"}},
    {.pattern = "22@10.0.0.1",
     .rec = {.kind = PAT_PORT, .flags = HOST, .port = 22},
     .host = {.kind = PAT_EXACT, .text = "10.0.0.1"}},
    {.pattern = "sshd@/etc/list",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_FILE, .text = "/etc/list"}},
    {.pattern = "sshd@@group",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_NETGROUP, .text = "group"}},
    {.pattern = "sshd@KNOWN",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_HOST_KNOWN}},
    {.pattern = "sshd@LOCAL",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_LOCAL}},
    {.pattern = "sshd@",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_NET_NONE}},
    {.pattern = "a@b@c",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "a"},
     .host = {.kind = PAT_EXACT, .flags = NAME, .text = "b@c"}},
    {.pattern = "sshd@::1",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "sshd"},
     .host = {.kind = PAT_V6_LITERAL, .flags = NAME | V6OK, .v6 = "::1"}},
    {.pattern = "s[@]x@10.0.0.1",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "s[@]x"},
     .host = {.kind = PAT_EXACT, .text = "10.0.0.1"}},
};

/* Client patterns (2.2-2.4). */
static const struct pattern_case client_cases[] = {
    /* Digits and dots only: compared with the address alone. */
    {.pattern = "10.0.0.1", .rec = {.kind = PAT_EXACT}},
    {.pattern = "1", .rec = {.kind = PAT_EXACT}},
    {.pattern = "10.0.0.", .rec = {.kind = PAT_PREFIX}},
    {.pattern = ".0.0.1", .rec = {.kind = PAT_SUFFIX}},
    {.pattern = ".", .rec = {.kind = PAT_SUFFIX}},
    /* Anything else is also compared with the name. */
    {.pattern = "host.example.com", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = ".example.com", .rec = {.kind = PAT_SUFFIX, .flags = NAME}},
    {.pattern = "foo.", .rec = {.kind = PAT_PREFIX, .flags = NAME}},
    {.pattern = "10.0.0.*", .rec = {.kind = PAT_WILDCARD, .flags = NAME}},
    {.pattern = "*", .rec = {.kind = PAT_WILDCARD, .flags = NAME}},
    {.pattern = ".exa*.com", .rec = {.kind = PAT_WILDCARD, .flags = NAME}},
    {.pattern = "ALL", .rec = {.kind = PAT_ALL, .flags = NAME}},
    {.pattern = "UNKNOWN", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = "PARANOID", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = "#", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = "EXCEPT", .rec = {.kind = PAT_EXCEPT}},
    {.pattern = "[::1]",
     .rec = {.kind = PAT_V6_LITERAL, .flags = NAME | V6OK, .v6 = "::1"}},
    {.pattern = "[fe80::1%lo]",
     .rec = {.kind = PAT_V6_LITERAL, .flags = NAME | V6OK, .v6 = "fe80::1"}},
    {.pattern = "[::ffff:1.2.3.4]",
     .rec = {.kind = PAT_V6_LITERAL,
             .flags = NAME | V6OK,
             .v6 = "::ffff:1.2.3.4"}},
    {.pattern = "[1.2.3.4]", .rec = {.kind = PAT_V6_LITERAL, .flags = NAME}},
    /* Host keywords, netgroups and lists, in that order (2.4). */
    {.pattern = "KNOWN", .rec = {.kind = PAT_HOST_KNOWN}},
    {.pattern = "known", .rec = {.kind = PAT_HOST_KNOWN}},
    {.pattern = "LOCAL", .rec = {.kind = PAT_LOCAL}},
    {.pattern = "Local", .rec = {.kind = PAT_LOCAL}},
    {.pattern = "@trusted", .rec = {.kind = PAT_NETGROUP, .text = "trusted"}},
    {.pattern = "@TRUSTED", .rec = {.kind = PAT_NETGROUP, .text = "TRUSTED"}},
    {.pattern = "@", .rec = {.kind = PAT_NETGROUP, .text = ""}},
    {.pattern = "@/x", .rec = {.kind = PAT_NETGROUP, .text = "/x"}},
    {.pattern = "/etc/hosts.list",
     .rec = {.kind = PAT_FILE, .text = "/etc/hosts.list"}},
    {.pattern = "/", .rec = {.kind = PAT_FILE, .text = "/"}},
    {.pattern = "/10.0.0.0", .rec = {.kind = PAT_FILE, .text = "/10.0.0.0"}},
    /* Net/masks (2.4.5), as stored. */
    {.pattern = "10.0.0.0/8",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.0.0.0"}},
    {.pattern = "10.0.0.0/255.255.0.0",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.255.0.0"}},
    {.pattern = "10.0.0.1/255.255.255.0",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.1", .mask = "255.255.255.0"}},
    {.pattern = "10.0.0.0/255.0.255.0",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.0.255.0"}},
    {.pattern = "010.0.0.0/255.0.0.0",
     .rec = {.kind = PAT_NET4, .net = "8.0.0.0", .mask = "255.0.0.0"}},
    {.pattern = "0x0a.0.0.0/8x",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.0.0.0"}},
    {.pattern = "0.0.0.0/0.0.0.0",
     .rec = {.kind = PAT_NET4, .net = "0.0.0.0", .mask = "0.0.0.0"}},
    {.pattern = "10.0.0.1/32",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.1", .mask = "255.255.255.255"}},
    {.pattern = "0.0.0.0/0", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "10.0.0.0/33", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "10.0.0.0/", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "10.0.0.1/255.255.255.255", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "10.0.*.0/24", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "host/24", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "[2001:db8::]/32",
     .rec = {.kind = PAT_NET6, .v6 = "2001:db8::", .bits = 32}},
    {.pattern = "[2001:db8::1]/127",
     .rec = {.kind = PAT_NET6, .v6 = "2001:db8::1", .bits = 127}},
    {.pattern = "[2001:db8::1]/abc",
     .rec = {.kind = PAT_NET6, .v6 = "2001:db8::1", .bits = 0}},
    {.pattern = "[2001:db8::1]/",
     .rec = {.kind = PAT_NET6, .v6 = "2001:db8::1", .bits = 0}},
    {.pattern = "[::1]/128",
     .rec = {.kind = PAT_NET6, .v6 = "::1", .bits = 128}},
    {.pattern = "[::1]/129", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "[::1]/-1", .rec = {.kind = PAT_NET_NONE}},
    {.pattern = "[x]/8", .rec = {.kind = PAT_NET_NONE}},
    /* The '/' inside brackets does not count. */
    {.pattern = "[a/b]", .rec = {.kind = PAT_V6_LITERAL, .flags = NAME}},
    /* Bare IPv6 addresses, as the lexer rewrites them (D10). */
    {.pattern = "::1",
     .rec = {.kind = PAT_V6_LITERAL, .flags = NAME | V6OK, .v6 = "::1"}},
    {.pattern = "2001:db8::/32",
     .rec = {.kind = PAT_NET6, .v6 = "2001:db8::", .bits = 32}},
    /* user@host: the host first, then the user (2.2). */
    {.pattern = "bob@10.0.0.1",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "bob"},
     .host = {.kind = PAT_EXACT, .text = "10.0.0.1"}},
    {.pattern = "ALL@ALL",
     .rec = {.kind = PAT_ALL, .flags = HOST},
     .host = {.kind = PAT_ALL, .flags = NAME}},
    {.pattern = "KNOWN@host",
     .rec = {.kind = PAT_KNOWN, .flags = HOST},
     .host = {.kind = PAT_EXACT, .flags = NAME, .text = "host"}},
    {.pattern = "b*@KNOWN",
     .rec = {.kind = PAT_WILDCARD, .flags = HOST, .text = "b*"},
     .host = {.kind = PAT_HOST_KNOWN}},
    {.pattern = "bob@",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "bob"},
     .host = {.kind = PAT_NET_NONE}},
    {.pattern = "a@b@10.0.0.7",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "a"},
     .host = {.kind = PAT_EXACT, .flags = NAME, .text = "b@10.0.0.7"}},
    {.pattern = "bob@@group",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "bob"},
     .host = {.kind = PAT_NETGROUP, .text = "group"}},
    {.pattern = "bob@/etc/list",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "bob"},
     .host = {.kind = PAT_FILE, .text = "/etc/list"}},
    {.pattern = "bob@10.0.0.0/8",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "bob"},
     .host = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.0.0.0"}},
    {.pattern = "bob@fe80::1",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "bob"},
     .host = {.kind = PAT_V6_LITERAL, .flags = NAME | V6OK, .v6 = "fe80::1"}},
    /* Brackets are counted from position 1, as Debian's split_at(tok + 1)
     * counts them: a '[' in front hides nothing. */
    {.pattern = "[u@x]@host",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "[u"},
     .host = {.kind = PAT_EXACT, .flags = NAME, .text = "x]@host"}},
    {.pattern = "u[@x]@host",
     .rec = {.kind = PAT_EXACT, .flags = HOST, .text = "u[@x]"},
     .host = {.kind = PAT_EXACT, .flags = NAME, .text = "host"}},
};

/* The words of a /file list: host patterns only, no EXCEPT, no user. */
static const struct pattern_case list_cases[] = {
    {.pattern = "10.0.0.1", .rec = {.kind = PAT_EXACT}},
    {.pattern = "10.0.0.", .rec = {.kind = PAT_PREFIX}},
    {.pattern = "#", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = "EXCEPT", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = "bob@host", .rec = {.kind = PAT_EXACT, .flags = NAME}},
    {.pattern = "@group", .rec = {.kind = PAT_NETGROUP, .text = "group"}},
    {.pattern = "/etc/other", .rec = {.kind = PAT_FILE, .text = "/etc/other"}},
    {.pattern = "KNOWN", .rec = {.kind = PAT_HOST_KNOWN}},
    {.pattern = "LOCAL", .rec = {.kind = PAT_LOCAL}},
    {.pattern = "ALL", .rec = {.kind = PAT_ALL, .flags = NAME}},
    {.pattern = "10.0.0.0/8",
     .rec = {.kind = PAT_NET4, .net = "10.0.0.0", .mask = "255.0.0.0"}},
    {.pattern = "*.example", .rec = {.kind = PAT_WILDCARD, .flags = NAME}},
    {.pattern = "[::1]",
     .rec = {.kind = PAT_V6_LITERAL, .flags = NAME | V6OK, .v6 = "::1"}},
    /* A bare IPv6 word is not rewritten: lists are not lexed as rules. */
    {.pattern = "::1", .rec = {.kind = PAT_EXACT, .flags = NAME}},
};

static void test_daemon_patterns(void **state)
{
    (void)state;
    assert_int_equal(
        check_cases(daemon_cases, TL_COUNT(daemon_cases), LIST_DAEMONS), 0);
}

static void test_client_patterns(void **state)
{
    (void)state;
    assert_int_equal(
        check_cases(client_cases, TL_COUNT(client_cases), LIST_CLIENTS), 0);
}

static void test_list_words(void **state)
{
    (void)state;
    assert_int_equal(check_cases(list_cases, TL_COUNT(list_cases), LIST_HOSTS),
                     0);
}

/* A list of several items, with "user@host" taking two records, and the
 * trailer words zeroed after them (a rule's option offset goes there). */
static void test_whole_list(void **state)
{
    static const int kinds[] = {PAT_EXACT,  PAT_EXACT, PAT_EXACT,
                                PAT_EXCEPT, PAT_NET4,  PAT_ALL};
    struct compiled c;
    const uint32_t *trailer;
    size_t i;

    (void)state;
    compile(&c, "10.0.0.1, bob@host\tEXCEPT 10.0.0.0/8 ALL", LIST_CLIENTS, 1);
    assert_int_equal(c.list->count, TL_COUNT(kinds));
    for (i = 0; i < TL_COUNT(kinds); i++)
        assert_int_equal(c.list->item[i].kind, kinds[i]);
    assert_int_equal(c.list->item[1].flags, HOST);
    trailer = image_at(
        &c.im, (uint32_t)((const unsigned char *)&c.list->item[6] - c.im.base),
        sizeof(*trailer));
    assert_non_null(trailer);
    assert_int_equal(*trailer, 0);
    release(&c);
    /* An empty list is a list of no records. */
    compile(&c, "", LIST_CLIENTS, 0);
    assert_int_equal(c.list->count, 0);
    release(&c);
}

/* Patterns longer than a record's 16-bit length, and net/mask sides
 * longer than the classifier's stack copies. */
static void test_long_patterns(void **state)
{
    static char text[70000 + 64];
    struct compiled c;
    const char *span;
    size_t n;

    (void)state;
    memset(text, 'a', 70000);
    text[70000] = '\0';
    compile(&c, text, LIST_CLIENTS, 0);
    assert_int_equal(c.list->item[0].kind, PAT_EXACT);
    assert_int_equal(c.list->item[0].flags, NAME | PATTERN_LONG);
    span = image_pattern_span(&c.im, &c.list->item[0], &n);
    assert_non_null(span);
    assert_int_equal(n, 70000);
    assert_memory_equal(span, text, n);
    release(&c);
    memcpy(text, "*", 1);
    compile(&c, text, LIST_DAEMONS, 0);
    assert_int_equal(c.list->item[0].kind, PAT_WILDCARD);
    assert_int_equal(c.list->item[0].flags, PATTERN_LONG);
    release(&c);
    /* 70 zeros then "10.0.0.0" is octal 010 = 8 (inet_addr()). */
    snprintf(text, sizeof(text), "%070d10.0.0.0/8", 0);
    compile(&c, text, LIST_CLIENTS, 0);
    {
        struct want_record w = {
            .kind = PAT_NET4, .net = "8.0.0.0", .mask = "255.0.0.0"};
        struct strbuf why = STRBUF_INIT;
        bool ok = check_record(&c, &c.list->item[0], &w, text, &why);
        if (!ok)
            fail_msg("long net: %s", sb_str(&why));
        sb_free(&why);
    }
    release(&c);
    snprintf(text, sizeof(text), "10.0.0.3/255.255.255.255.%070d", 0);
    compile(&c, text, LIST_CLIENTS, 0);
    assert_int_equal(c.list->item[0].kind, PAT_NET_NONE);
    release(&c);
}

static const struct find_case {
    const char *text;
    int at, slash; /* offsets; -1: none */
    bool not_inaddr;
} finds[] = {
    {.text = "bob@host", .at = 3, .slash = -1, .not_inaddr = true},
    {.text = "@group", .at = -1, .slash = -1, .not_inaddr = true},
    {.text = "a@b@c", .at = 1, .slash = -1, .not_inaddr = true},
    {.text = "@a@b", .at = 2, .slash = -1, .not_inaddr = true},
    {.text = "[u@x]@h", .at = 2, .slash = -1, .not_inaddr = true},
    {.text = "u[@x]@h", .at = 5, .slash = -1, .not_inaddr = true},
    {.text = "]@h", .at = 1, .slash = -1, .not_inaddr = true},
    {.text = "x]@h", .at = -1, .slash = -1, .not_inaddr = true},
    {.text = "10.0.0.0/8", .at = -1, .slash = 8},
    {.text = "[a/b]/8", .at = -1, .slash = 5, .not_inaddr = true},
    {.text = "/x/y", .at = -1, .slash = 0, .not_inaddr = true},
    {.text = "1.2.3.4", .at = -1, .slash = -1},
    {.text = "", .at = -1, .slash = -1},
    {.text = "1.2.3.4 ", .at = -1, .slash = -1, .not_inaddr = true},
};

static void test_finders(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(finds); i++) {
        const struct find_case *c = &finds[i];
        size_t n = strlen(c->text);
        const char *at = pattern_find_at(c->text, n);
        const char *slash = pattern_find_slash(c->text, n);

        if ((at == NULL ? -1 : (int)(at - c->text)) != c->at ||
            (slash == NULL ? -1 : (int)(slash - c->text)) != c->slash ||
            pattern_not_inaddr(c->text, n) != c->not_inaddr)
            fail_msg("\"%s\": '@' at %d, '/' at %d, not_inaddr %d", c->text,
                     at ? (int)(at - c->text) : -1,
                     slash ? (int)(slash - c->text) : -1,
                     pattern_not_inaddr(c->text, n));
    }
    assert_int_equal(pattern_address_kind("10.0.0.1", 8), PAT_EXACT);
    assert_int_equal(pattern_address_kind("10.0.", 5), PAT_PREFIX);
    assert_int_equal(pattern_address_kind(".1", 2), PAT_SUFFIX);
    assert_int_equal(pattern_address_kind(".", 1), PAT_SUFFIX);
}

/* pattern_port() against sscanf("%u%c") == 1 and at most 65535, on
 * every string of up to six bytes of an alphabet of signs, blanks,
 * digits and a letter, and on numbers around the limits. */
static void test_port_against_sscanf(void **state)
{
    static const char alphabet[] = " \t+-0159x";
    static const char *numbers[] = {"65535",
                                    "65536",
                                    "4294967295",
                                    "4294967296",
                                    "4294967297",
                                    "4294967318",
                                    "-4294967295",
                                    "-4294967296",
                                    "18446744073709551615",
                                    "18446744073709551616",
                                    "-18446744073709551615",
                                    "99999999999999999999",
                                    "000000000000000000000022",
                                    "+0",
                                    "-0",
                                    "\v22",
                                    "\f22",
                                    "\r22",
                                    "\n22"};
    const size_t k = sizeof(alphabet) - 1;
    char s[32], extra;
    size_t len, n, i, compared = 0;
    int failures = 0;

    (void)state;
    for (len = 0; len <= 6; len++) {
        size_t combos = 1;
        for (i = 0; i < len; i++)
            combos *= k;
        for (n = 0; n < combos + (len == 6 ? TL_COUNT(numbers) : 0); n++) {
            unsigned want = 0, got = 0;
            bool is_port, want_port;

            if (n < combos) {
                size_t x = n;
                for (i = 0; i < len; i++, x /= k)
                    s[i] = alphabet[x % k];
                s[len] = '\0';
            } else {
                snprintf(s, sizeof(s), "%s", numbers[n - combos]);
            }
            want_port = sscanf(s, "%u%c", &want, &extra) == 1 && want <= 65535;
            is_port = pattern_port(s, strlen(s), &got);
            compared++;
            if (is_port != want_port || (is_port && got != want)) {
                if (failures++ < 10)
                    print_error("pattern_port(\"%s\") = %d (%u), sscanf "
                                "says %d (%u)\n",
                                s, is_port, got, want_port, want);
            }
        }
    }
    print_message("ports: %zu strings against sscanf()\n", compared);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_daemon_patterns),
        cmocka_unit_test(test_client_patterns),
        cmocka_unit_test(test_list_words),
        cmocka_unit_test(test_whole_list),
        cmocka_unit_test(test_long_patterns),
        cmocka_unit_test(test_finders),
        cmocka_unit_test(test_port_against_sscanf),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
