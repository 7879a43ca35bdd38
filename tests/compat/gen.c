/*
 * gen.c - random tables and requests for the differential test.
 *
 * Exports gen_script().  Patterns and requests are drawn from small shared
 * vocabularies (addresses, names, users, daemons), so that requests often
 * hit rules and often just miss them.  Every pattern kind of the rule
 * language appears: ALL/LOCAL/KNOWN/UNKNOWN/PARANOID in any case, EXCEPT
 * nesting, .suffix, prefix., net/mask with octal and hex quirks, /nn,
 * [v6], [v6]/len, v4-mapped, wildcards, /file lists, user@host,
 * daemon@host, port numbers; and every line kind: continuations, comments,
 * blank lines, NUL bytes, missing colons, brackets, CRs.  Rarer forms of
 * documented differences (D1 long lines, D2 missing final newline, D10
 * bare IPv6 with its bracketed equivalent) are generated too; the driver
 * checks them against Debian on the equivalent table.
 *
 * Option fields come from option_pool: allow/deny and their errors,
 * spawn, setenv, umask, severity, keepalive, linger, rfc931, banners,
 * nice, twist (whose requests run forked, half of them as a process's
 * first call) and aclexec.  A failing aclexec (D8) gets a Debian
 * equivalent line that reads the same patterns and then fails; such
 * cases are tagged D8 and their requests forked, as Debian's failure
 * flag would stick to the probe.  Requests sometimes carry a descriptor
 * (fdfile=bn) that banners and twist write to.
 */
#include "gen.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */

static uint64_t rng_state;
/* Set while a list is drawn where a bare IPv6 address is not a client
 * pattern for us either (a line without a colon), so D10 cannot apply. */
static int no_bare;
/* Set once a line has an unbalanced bracket pattern. */
static int line_unbalanced;
/* Set when the client list being drawn has an EXCEPT. */
static int list_except;
/* What the case's option fields need (OPT_*). */
static unsigned case_flags;

/* xorshift64*: small, fast and the same everywhere. */
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n). */
static unsigned pick(unsigned n)
{
    return (unsigned)(rng() % n);
}

/* True with probability percent/100. */
static int chance(unsigned percent)
{
    return pick(100) < percent;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define ANY(a)   ((a)[pick(COUNT(a))])

/* A growable string. */
struct out {
    char *p;
    size_t len, cap;
};

/* Appends n bytes; aborts when memory runs out (a test program). */
static void out_add(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = realloc(o->p, o->cap);
        if (o->p == NULL)
            abort();
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

/* Appends a NUL-terminated string. */
static void out_str(struct out *o, const char *s)
{
    out_add(o, s, strlen(s));
}

static void out_fmt(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends printf-formatted text (short: at most 511 bytes). */
static void out_fmt(struct out *o, const char *fmt, ...)
{
    char buf[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    out_str(o, buf);
}

/* Appends s[0..n) in the probe's escape syntax. */
static void out_escaped(struct out *o, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char buf[8];
        switch (c) {
        case '\n':
            out_str(o, "\\n");
            break;
        case '\r':
            out_str(o, "\\r");
            break;
        case '\t':
            out_str(o, "\\t");
            break;
        case '\0':
            out_str(o, "\\0");
            break;
        case '\\':
            out_str(o, "\\\\");
            break;
        default:
            if (c < 0x20 || c >= 0x7f) {
                snprintf(buf, sizeof(buf), "\\x%02x", c);
                out_str(o, buf);
            } else {
                out_add(o, (const char *)&c, 1);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Vocabularies. */

/* Client addresses of requests (plain mode). */
static const char *const addr_pool[] = {
    "10.0.0.1",
    "10.0.0.7",
    "10.0.0.77",
    "10.1.2.3",
    "10.7.0.77",
    "192.168.1.10",
    "8.1.2.3",
    "127.0.0.1",
    "100.0.5.1",
    "10.0.5.1",
    "::1",
    "2001:db8::1",
    "2001:db8::2",
    "2001:db8:1::5",
    "fe80::1",
    "::ffff:10.0.0.7",
    "::FFFF:10.1.2.3",
    "012.1.2.3",
    "unknown",
    "paranoid",
    "",
};

/* Client names of requests (plain mode). */
static const char *const name_pool[] = {
    "host.example.com",
    "a.example.com",
    "example.com",
    "foo",
    "FOO",
    "Good.Example.COM",
    "foo.bar",
    "unknown",
    "paranoid",
    "good",
    "good.example.com",
    "x.other.org",
    "",
};

static const char *const user_pool[] = {
    "bob", "BOB", "alice", "unknown", "root", "b", "",
};

static const char *const daemon_pool[] = {
    "sshd",    "ftpd",  "in.telnetd", "SSHD", "22",      "70000",
    "unknown", "LOCAL", "KNOWN",      "-1",   "in.ftpd", "",
};

/* Loopback sources of socket requests (see ns/hosts for their names). */
static const char *const ns_src_pool[] = {
    "127.0.0.1",  "127.0.0.2",  "127.0.0.3",  "127.0.0.4", "127.0.0.5",
    "127.0.0.6",  "127.0.0.7",  "127.0.0.8",  "127.0.0.9", "127.0.0.10",
    "127.0.0.11", "127.0.0.12", "127.0.0.13", "::1",
};

/* Host patterns; "$F" becomes the case's /file list. */
static const char *const host_pattern_pool[] = {
    "ALL",
    "all",
    "LOCAL",
    "local",
    "KNOWN",
    "Known",
    "UNKNOWN",
    "unknown",
    "PARANOID",
    "paranoid",
    /* exact, suffix, prefix */
    "10.0.0.1",
    "10.0.0.7",
    "10.1.2.3",
    "127.0.0.1",
    "8.1.2.3",
    "host.example.com",
    "HOST.EXAMPLE.COM",
    "foo",
    "good",
    ".example.com",
    ".EXAMPLE.com",
    ".com",
    ".0.0.1",
    ".0.0.7",
    "example.com",
    "10.0.",
    "10.",
    "192.168.1.",
    "foo.",
    "10.0.0.",
    "127.",
    ".other.org",
    /* net/mask and its quirks */
    "10.0.0.0/255.0.0.0",
    "10.0.0.0/8",
    "010.0.0.0/255.0.0.0",
    "0x0a.0.0.0/8",
    "10.0.0.0/255.0.255.0",
    "10.0.0.1/255.255.255.0",
    "10.0.0.0/0",
    "10.0.0.0/33",
    "10.0.0.7/255.255.255.255",
    "10.0.0.7/32",
    "0.0.0.0/0.0.0.0",
    "10.0.0.0/8x",
    "10.0.0.0/24",
    "10.0.0.0/255.255.255.0",
    "192.168.0.0/16",
    "10.0.*.0/24",
    "127.0.0.0/8",
    "10.0.0/8",
    "012.1.2.3/32",
    /* IPv6 */
    "[::1]",
    "[2001:db8::1]",
    "[2001:DB8::1]",
    "[2001:db8::]/32",
    "[2001:db8::1]/127",
    "[2001:db8::]/0",
    "[2001:db8::]/",
    "[2001:db8::]/abc",
    "[::]/-1",
    "[::]/129",
    "[::ffff:10.0.0.0]/104",
    "[fe80::1%lo]",
    "[::ffff:10.0.0.7]",
    "[2001:db8::]/48",
    "[::1]/128",
    "[ 2001:db8::1]",
    "[2001:db8::1",
    /* wildcards */
    "10.0.0.*",
    "10.0.0.?",
    "10.0.0.??",
    "*.example.com",
    "?oo",
    "f*",
    "u*",
    "*",
    "*.EXAMPLE.*",
    "2001:db8::?",
    "p*d",
    /* files (netgroups are in ns_pattern_pool: outside the namespace the
     * machine's netgroup service might ask a NIS server) */
    "$F",
    "$T/missing",
    "$T/dir",
    /* odd tokens */
    "#",
    "[x]",
    "bob@",
    "]",
};

/* Patterns for the namespace's names (socket mode). */
static const char *const ns_pattern_pool[] = {
    "localhost",
    "good.example.com",
    "good",
    "short",
    "mixed.example.com",
    ".example.com",
    "rev.example.com",
    "canon.example.com",
    "liar.example.com",
    ".other.org",
    "host.other.org",
    "127.0.0.",
    "127.0.0.0/255.255.255.0",
    "127.0.0.2",
    "[::1]",
    "[::1]/128",
    "*.example.com",
    "g*",
    "localhost.",
    "@trusted",
    "@unknowns",
    "@TRUSTED",
    "@nosuch",
    "10.9.8.7",
    "trail.example.com",
    "s????",
};

static const char *const daemon_pattern_pool[] = {
    "ALL",     "all",     "sshd",     "SSHD", "ftpd",  "in.telnetd",
    "in.*",    "*d",      "ss?d",     "22",   "0022",  "+22",
    "23",      "70000",   "-1",       "22x",  "KNOWN", "LOCAL",
    "UNKNOWN", "unknown", ".telnetd", "in.",  "@sshd", "*",
};

/* Server host parts of daemon@host. */
static const char *const server_pattern_pool[] = {
    "10.0.0.1", "10.0.0.0/8", "[::1]", ".example.com", "srv.example.com",
    "ALL",      "KNOWN",      "LOCAL", "$F",           "127.0.0.1",
    "unknown",
};

/* Bare IPv6 patterns (D10) and their bracketed forms. */
static const char *const bare_v6_pool[][2] = {
    {"::1", "[::1]"},
    {"2001:db8::1", "[2001:db8::1]"},
    {"2001:db8::/32", "[2001:db8::]/32"},
    {"fe80::1", "[fe80::1]"},
    {"::ffff:10.0.0.7", "[::ffff:10.0.0.7]"},
};

/* What an option field needs from its case. */
enum {
    OPT_FORK = 1,     /* it may exec (twist): requests run forked */
    OPT_ACL_FAIL = 2, /* a failing aclexec: D8, see table_line() */
};

/*
 * Option fields, drawn by weight.  Commands write to $T/out/N and
 * variables are named CT_*: the probe reports both after each request,
 * with the umask, severities, identity, nice value, socket options and
 * bytes sent to the client.  Values use only shell-safe characters (D12
 * is a hand-written case) and Debian's syslog names (D13 likewise).
 */
static const struct {
    const char *text;
    unsigned weight;
    unsigned flags;
} option_pool[] = {
    {"allow", 6, 0},
    {"deny", 6, 0},
    {"ALLOW", 1, 0},
    {" Deny ", 1, 0},
    {"", 1, 0},      /* missing option name */
    {" ", 1, 0},     /* missing option name */
    {"bogus", 1, 0}, /* bad option name */
    {"allow: deny", 1, 0},
    {"spawn echo %a %d %h %c %s %r %R >> $T/out/0", 3, 0},
    {"spawn (echo %n %u %p %A %H %N) >> $T/out/1 : allow", 2, 0},
    {"spawn exit 3 : deny", 1, 0},
    {"spawn", 1, 0},
    {"setenv CT_FOO %d %a : setenv CT_BAR a\\:b", 2, 0},
    {"setenv = CT_BAZ %c : DENY", 1, 0},
    {"setenv CT_X %x%y%", 1, 0},
    {"umask 027", 2, 0},
    {"umask = 077 : allow", 1, 0},
    {"umask 099", 1, 0},
    {"severity mail.err", 2, 0},
    {"severity local0.notice : allow", 1, 0},
    {"SEVERITY crit : deny", 1, 0},
    {"severity bogus", 1, 0},
    {"keepalive : linger 3", 1, 0},
    {"linger x", 1, 0},
    {"rfc931 1 : setenv CT_U %u", 1, 0},
    {"banners $T/ban", 2, 0},
    {"banners $T/ban : deny", 1, 0},
    {"nice 1", 1, 0},
    {"nice x", 1, 0},
    {"twist echo twisted %d %a %c", 2, OPT_FORK},
    {"setenv CT_T %d : twist echo %s", 1, OPT_FORK},
    {"aclexec true : setenv CT_ACL ok", 1, 0},
    {"aclexec false", 2, OPT_ACL_FAIL},
};

/* Draws an option field from the weighted pool; *flags gets its flags. */
static const char *pick_option(unsigned *flags)
{
    unsigned total = 0, r;
    size_t i;

    for (i = 0; i < COUNT(option_pool); i++)
        total += option_pool[i].weight;
    r = pick(total);
    for (i = 0; i < COUNT(option_pool); i++) {
        if (r < option_pool[i].weight) {
            *flags = option_pool[i].flags;
            return option_pool[i].text;
        }
        r -= option_pool[i].weight;
    }
    *flags = 0;
    return "allow";
}

/* ------------------------------------------------------------------ */
/* Lists and lines. */

static const char *const separators[] = {" ",    ", ", ",",  "\t",
                                         " ,  ", "\r", " \t"};

/* Appends a host pattern to both renderings (they differ only for D10). */
static void host_pattern(struct out *a, struct out *b, int case_no, int sock,
                         int *bare)
{
    const char *p;
    char file[64];

    if (!sock && !no_bare && !line_unbalanced && chance(3)) {
        size_t k = pick(COUNT(bare_v6_pool));
        out_str(a, bare_v6_pool[k][0]);
        out_str(b, bare_v6_pool[k][1]);
        *bare = 1;
        return;
    }
    p = sock && chance(60) ? ANY(ns_pattern_pool) : ANY(host_pattern_pool);
    /* After an unbalanced bracket Debian's split sees the colons of a
     * bracketed address differently: no D10 equivalent. */
    if (strcmp(p, "]") == 0 || strcmp(p, "[2001:db8::1") == 0)
        line_unbalanced = 1;
    if (strcmp(p, "$F") == 0) {
        snprintf(file, sizeof(file), "$T/hl%d", case_no);
        p = file;
    }
    out_str(a, p);
    out_str(b, p);
}

/* Appends a client list. */
static void client_list(struct out *a, struct out *b, int case_no, int sock,
                        int *bare)
{
    unsigned n = 1 + pick(4), i;

    for (i = 0; i < n; i++) {
        const char *sep = i == 0 ? "" : ANY(separators);
        out_str(a, sep);
        out_str(b, sep);
        if (i > 0 && chance(20)) {
            const char *e = chance(80) ? "EXCEPT" : "except";
            list_except = 1;
            out_str(a, e);
            out_str(b, e);
            if (chance(10))
                continue; /* EXCEPT at the end, or EXCEPT EXCEPT */
            out_str(a, " ");
            out_str(b, " ");
        }
        if (chance(12)) {
            const char *u =
                ANY(((const char *const[]){"bob", "BOB", "ALL", "b*", "KNOWN",
                                           "unknown", "alice", "a@b"}));
            out_str(a, u);
            out_str(b, u);
            out_str(a, "@");
            out_str(b, "@");
            /* After "a@b@" the host part is "b@...": no address. */
            if (strchr(u, '@') != NULL) {
                no_bare++;
                host_pattern(a, b, case_no, sock, bare);
                no_bare--;
                continue;
            }
        }
        host_pattern(a, b, case_no, sock, bare);
    }
}

/* Appends a daemon list. */
static void daemon_list(struct out *o, int case_no)
{
    unsigned n = 1 + pick(3), i;

    for (i = 0; i < n; i++) {
        if (i > 0)
            out_str(o, ANY(separators));
        if (i > 0 && chance(15))
            out_str(o, "EXCEPT ");
        out_str(o, ANY(daemon_pattern_pool));
        if (chance(10)) {
            const char *h = ANY(server_pattern_pool);
            out_str(o, "@");
            if (strcmp(h, "$F") == 0)
                out_fmt(o, "$T/hl%d", case_no);
            else
                out_str(o, h);
        }
    }
}

/* Inserts text at a random position of o (both renderings keep the
 * same position when they are the same length; otherwise only o). */
static void insert_at(struct out *o, size_t pos, const char *text, size_t n)
{
    struct out t = {0};

    out_add(&t, o->p, pos);
    out_add(&t, text, n);
    out_add(&t, o->p + pos, o->len - pos);
    free(o->p);
    *o = t;
}

/* One line of a table in both renderings (without the newline); the
 * second is Debian's equivalent when *bare (D10) or *d8 is set. */
static void table_line(struct out *a, struct out *b, int case_no, int sock,
                       int *bare, int *d8)
{
    unsigned kind = pick(100);
    struct out da = {0};

    if (kind < 4) {
        out_str(a, "# comment: ALL: ALL");
        out_str(b, "# comment: ALL: ALL");
        return;
    }
    if (kind < 7) {
        const char *w =
            ANY(((const char *const[]){"", "   ", "\t", " \r", "\v", "\f"}));
        out_str(a, w);
        out_str(b, w);
        return;
    }
    daemon_list(&da, case_no);
    if (kind < 9) {
        out_str(a, " #");
        out_str(b, " #");
    }
    out_str(a, da.p);
    out_str(b, da.p);
    free(da.p);
    if (kind >= 9 && kind < 12) {
        /* missing colon */
        out_str(a, " ");
        out_str(b, " ");
        no_bare++;
        client_list(a, b, case_no, sock, bare);
        no_bare--;
        return;
    }
    out_str(a, ANY(((const char *const[]){":", ": ", " : ", ":\t"})));
    b->len = 0;
    out_str(b, a->p);
    list_except = 0;
    client_list(a, b, case_no, sock, bare);
    if (chance(50)) {
        unsigned flags;
        const char *opt = pick_option(&flags);
        const char *colon = ANY(((const char *const[]){":", ": ", " : "}));

        if (flags & OPT_ACL_FAIL) {
            if (list_except || line_unbalanced || kind < 9) {
                opt = "deny"; /* no Debian equivalent for this line */
            } else {
                /* D8: ours tries the next rule.  Debian's equivalent
                 * reads the same patterns, then fails the line. */
                out_str(a, colon);
                out_str(a, opt);
                out_str(b, " EXCEPT ALL");
                *d8 = 1;
                return;
            }
        }
        case_flags |= flags;
        out_str(a, colon);
        out_str(b, colon);
        out_str(a, opt);
        out_str(b, opt);
    }
}

/* Builds one table (both renderings) and appends its directives; *tags
 * gets 1 for a bare IPv6 address (D10) and 2 for a failing aclexec (D8). */
static void table(struct out *script, const char *which, int case_no, int sock,
                  unsigned *tags)
{
    struct out a = {0}, b = {0};
    unsigned lines = pick(6), i;
    int bare = 0, d8 = 0;

    out_add(&a, "", 0);
    out_add(&b, "", 0);
    for (i = 0; i < lines; i++) {
        struct out la = {0}, lb = {0};
        int line_bare = 0, line_d8 = 0;

        out_add(&la, "", 0);
        out_add(&lb, "", 0);
        line_unbalanced = 0;
        table_line(&la, &lb, case_no, sock, &line_bare, &line_d8);
        bare |= line_bare;
        d8 |= line_d8;
        /* Line-level damage; the alt rendering keeps its text. */
        if (!line_bare && !line_d8 && la.len > 0) {
            unsigned d = pick(100);
            size_t pos = pick((unsigned)la.len + 1);
            if (d < 6)
                insert_at(&la, pos, "\\\n", 2); /* continuation */
            else if (d < 8)
                insert_at(&la, pos, "\0", 1); /* NUL byte */
            else if (d < 10 && strchr(la.p, '[') == NULL)
                /* Not where it could unbracket an IPv6 address: that
                 * would be D10 without its bracketed equivalent. */
                insert_at(&la, pos, d < 9 ? "[" : "]", 1);
            else if (d < 11 && strchr(la.p, ':') != NULL) {
                /* D1: a line too long for Debian, padded with blanks. */
                char pad[2101];
                memset(pad, ' ', sizeof(pad) - 1);
                pad[sizeof(pad) - 1] = '\0';
                insert_at(&la, (size_t)(strchr(la.p, ':') - la.p) + 1, pad,
                          sizeof(pad) - 1);
            }
            if (d < 11) {
                free(lb.p);
                lb.p = NULL;
                lb.len = lb.cap = 0;
                out_add(&lb, la.p, la.len);
            }
        }
        out_add(&a, la.p, la.len);
        out_add(&b, lb.p, lb.len);
        out_str(&a, i + 1 < lines || !chance(3) ? "\n" : "");
        out_str(&b, "\n");
        free(la.p);
        free(lb.p);
    }
    if (lines == 0 && chance(50))
        goto done; /* no such file */
    out_fmt(script, "%s ", which);
    out_escaped(script, a.p, a.len);
    out_str(script, "\n");
    *tags |= (bare ? 1u : 0u) | (d8 ? 2u : 0u);
    if (bare || d8) {
        out_fmt(script, "alt-%s ", which);
        out_escaped(script, b.p, b.len);
        out_str(script, "\n");
    }
done:
    free(a.p);
    free(b.p);
}

/* One request of plain mode. */
static void plain_request(struct out *o, const char *extra)
{
    const char *a = ANY(addr_pool), *n = ANY(name_pool), *u = ANY(user_pool),
               *d = ANY(daemon_pool);

    out_str(o, "req");
    if (chance(10)) {
        /* hosts_ctl(): every string is given */
        out_fmt(o, " ctl d=%s n=%s a=%s u=%s", d, n, a, u);
    } else {
        if (chance(95))
            out_fmt(o, " d=%s", d);
        if (chance(90))
            out_fmt(o, " a=%s", a);
        if (chance(50))
            out_fmt(o, " n=%s", n);
        if (chance(60))
            out_fmt(o, " u=%s", u);
        if (chance(25))
            out_fmt(o, " ssin=%s", chance(70) ? "10.0.0.1:22" : "[::1]:23");
        if (chance(20))
            out_fmt(o, " sa=%s",
                    ANY(((const char *const[]){"10.0.0.1", "192.168.1.1",
                                               "::1", "unknown"})));
        if (chance(10))
            out_fmt(o, " sn=%s",
                    ANY(((const char *const[]){"srv.example.com", "srv",
                                               "unknown"})));
    }
    if (chance(30))
        out_fmt(o, " v=%u", pick(3));
    /* A descriptor for banners and twist (a file in $T/out). */
    if (strstr(extra, "fdfile") == NULL && chance(30))
        out_str(o, " fdfile=bn");
    out_fmt(o, "%s\n", extra);
}

/* One request from a real loopback connection (namespace mode). */
static void sock_request(struct out *o, const char *extra)
{
    const char *src = ANY(ns_src_pool);

    if (strchr(src, ':') != NULL)
        out_fmt(o, "req src=%s dst=[::1]", src);
    else if (chance(25))
        out_fmt(o, "req src=%s dst=127.0.0.1 map", src);
    else
        out_fmt(o, "req src=%s dst=127.0.0.1", src);
    out_fmt(o, " d=%s", ANY(daemon_pool));
    if (chance(30))
        out_fmt(o, " u=%s", ANY(user_pool));
    if (chance(30))
        out_str(o, " eval");
    if (chance(30))
        out_fmt(o, " v=%u", pick(3));
    out_fmt(o, "%s\n", extra);
}

/* See gen.h. */
char *gen_script(unsigned long seed, unsigned long cases, bool sock,
                 struct gen_stats *st)
{
    struct out o = {0};
    unsigned long c;
    unsigned r, nreq, i, tags;

    rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    if (rng_state == 0)
        rng_state = 1;
    st->requests = 0;
    out_fmt(&o, "# generated: seed %lu, %lu cases%s\n", seed, cases,
            sock ? ", sockets" : "");
    for (c = 1; c <= cases; c++) {
        int no = (int)c;
        out_fmt(&o, "case g%lu-%lu\n", seed, c);
        if (c == 1) {
            out_str(&o, "dir dir\n");
            /* Banners for two daemons (the others have none). */
            out_str(&o, "file ban/sshd \\0hello %d %a %h\\nsecond\\n\n");
            out_str(&o, "file ban/ftpd no newline %u\n");
            out_str(&o, "file ban/in.telnetd \\0\\0%c\\r\\n%s\\n\n");
            out_str(&o, "file ban/unknown %x%p\\n\n");
        }
        /* The case's host list file: a few words of patterns. */
        out_fmt(&o, "file hl%d ", no);
        for (i = 0, nreq = 1 + pick(4); i < nreq; i++) {
            struct out a = {0}, b = {0};
            int bare = 0;
            out_add(&a, "", 0);
            out_add(&b, "", 0);
            host_pattern(&a, &b, -1, sock, &bare);
            /* No nesting in generated lists: a self-reference is D4. */
            if (a.p[0] != '/' && a.p[0] != '$')
                out_escaped(&o, b.p, b.len);
            out_str(&o,
                    ANY(((const char *const[]){" ", "\\n", "\\t", "\\n# "})));
            free(a.p);
            free(b.p);
        }
        out_str(&o, "\n");
        case_flags = 0;
        tags = 0;
        table(&o, "allow", no, sock, &tags);
        table(&o, "deny", no, sock, &tags);
        if (tags & 1)
            out_str(&o, "tag D10\n");
        if (tags & 2)
            out_str(&o, "tag D8\n");
        nreq = 2 + pick(9);
        for (r = 0; r < nreq; r++) {
            /* Debian's aclexec failure flag sticks to its process, and a
             * twist replaces it: such requests run in a child.  Fresh:
             * the child's first call, where twist may run. */
            char extra[64] = "";
            if (case_flags & OPT_FORK)
                strcat(extra, chance(50) ? (sock ? " fork fresh"
                                                 : " fork fresh fdfile=tw")
                                         : " fork");
            else if (tags & 2)
                strcat(extra, " fork");
            /* Dry runs skip aclexec: D8's equivalent table assumes it
             * ran and failed. */
            if (!(tags & 2) && chance(5))
                strcat(extra, " dry");
            if (sock)
                sock_request(&o, extra);
            else
                plain_request(&o, extra);
            st->requests++;
        }
    }
    return o.p;
}
