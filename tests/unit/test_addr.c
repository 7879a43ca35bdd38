/*
 * test_addr.c - addresses and masks (addr.h), pure functions.
 *
 * addr.h promises Debian's dot_quad_addr() (exactly four dot-separated
 * runs, then inet_addr(), octal and hex included), cidr_mask_addr()
 * (atoi() of 1..32), numeric IPv6 with any %scope ignored, the
 * "::ffff:" + dotted quad form, and Debian's net/mask match (behaviour
 * page 2.4.5).  The hand-written rows are the examples of the behaviour
 * page; the exhaustive checks compare every string of a small alphabet,
 * every prefix length and every mask with the definition itself.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "exports.h"

/* "a.b.c.d" as addr_dot_quad() returns it (network order). */
static uint32_t quad(const char *dotted)
{
    struct in_addr a;

    assert_int_equal(inet_pton(AF_INET, dotted, &a), 1);
    return a.s_addr;
}

/* ---- addr_dot_quad() ---- */

static const struct quad_case {
    const char *text;
    const char *want; /* the address it reads as; NULL: INADDR_NONE */
} quads[] = {
    {.text = "1.2.3.4", .want = "1.2.3.4"},
    {.text = "0.0.0.0", .want = "0.0.0.0"},
    {.text = "10.0.0.1", .want = "10.0.0.1"},
    {.text = "255.255.255.254", .want = "255.255.255.254"},
    /* INADDR_NONE itself cannot be told from an error (5.5). */
    {.text = "255.255.255.255"},
    /* Octal and hex parts, through inet_addr(). */
    {.text = "010.0.0.1", .want = "8.0.0.1"},
    {.text = "0x0a.0.0.1", .want = "10.0.0.1"},
    {.text = "0X0A.0.0.1", .want = "10.0.0.1"},
    {.text = "012.1.2.3", .want = "10.1.2.3"},
    {.text = "00.00.00.00", .want = "0.0.0.0"},
    {.text = "1.2.3.010", .want = "1.2.3.8"},
    {.text = "1.2.3.08"},
    {.text = "1.2.3.0x"},
    /* Exactly four runs: fewer or more are refused before inet_addr(),
     * which would take "1.2.3" and "16909060". */
    {.text = "1.2.3"},
    {.text = "16909060"},
    {.text = "1.2.3.4.5"},
    {.text = ""},
    {.text = "..."},
    /* Four runs that inet_addr() refuses. */
    {.text = "1..2.3.4"},
    {.text = "1.2.3.4."},
    {.text = ".1.2.3.4"},
    {.text = "1.2.3.256"},
    {.text = "256.1.2.3"},
    {.text = "1.2.3.4x"},
    {.text = "a.b.c.d"},
    /* A trailing blank is accepted (inet_addr() stops at it), a
     * leading one is not (5.5). */
    {.text = "1.2.3.4 ", .want = "1.2.3.4"},
    {.text = "1.2.3.4\t", .want = "1.2.3.4"},
    {.text = "1.2.3.4 x", .want = "1.2.3.4"},
    {.text = " 1.2.3.4"},
    /* Not the plain form: leading zeros and long parts go to
     * inet_addr(). */
    {.text = "001.002.003.004", .want = "1.2.3.4"},
    {.text = "1.2.3.0004", .want = "1.2.3.4"},
    {.text = "1.2.3.1000"},
    {.text = "::ffff:1.2.3.4"},
};

static void test_dot_quad_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(quads); i++) {
        const struct quad_case *c = &quads[i];
        uint32_t want = c->want != NULL ? quad(c->want) : INADDR_NONE;
        uint32_t got = addr_dot_quad(c->text);

        if (got != want ||
            dot_quad_addr((char *)c->text) != (unsigned long)want) {
            print_error("addr_dot_quad(\"%s\") = %08x, want %08x\n", c->text,
                        (unsigned)got, (unsigned)want);
            failures++;
        }
    }
    assert_int_equal(dot_quad_addr(NULL), 0xffffffffUL);
    assert_int_equal(failures, 0);
}

/* The definition: four dot-separated runs, then inet_addr(). */
static uint32_t dot_quad_oracle(const char *s)
{
    const char *p;
    int runs = 0;
    bool in_run = false;

    for (p = s; *p != '\0'; p++) {
        if (*p == '.') {
            in_run = false;
        } else if (!in_run) {
            in_run = true;
            runs++;
        }
    }
    return runs == 4 ? (uint32_t)inet_addr(s) : INADDR_NONE;
}

/* Every string of up to 7 bytes over an alphabet of digits, dots, hex
 * and blanks, and every quad of awkward parts, against the definition:
 * the plain form's fast path must never disagree with inet_addr(). */
static void test_dot_quad_exhaustive(void **state)
{
    static const char alphabet[] = "0129.x ";
    static const char *parts[] = {"",    "0",    "00",        "1",   "09",
                                  "010", "0x1",  "0xff",      "255", "256",
                                  "999", "0377", "4294967295"};
    const size_t k = sizeof(alphabet) - 1, np = TL_COUNT(parts);
    char s[64];
    size_t len, n, i, total = 0, a, b, c, d;
    int failures = 0;

    (void)state;
    for (len = 0; len <= 7; len++) {
        size_t combos = 1;
        for (i = 0; i < len; i++)
            combos *= k;
        for (n = 0; n < combos; n++) {
            size_t x = n;
            for (i = 0; i < len; i++, x /= k)
                s[i] = alphabet[x % k];
            s[len] = '\0';
            total++;
            if (addr_dot_quad(s) != dot_quad_oracle(s) && failures++ < 10)
                print_error("addr_dot_quad(\"%s\") = %08x, inet_addr says "
                            "%08x\n",
                            s, (unsigned)addr_dot_quad(s),
                            (unsigned)dot_quad_oracle(s));
        }
    }
    for (a = 0; a < np; a++)
        for (b = 0; b < np; b++)
            for (c = 0; c < np; c++)
                for (d = 0; d < np; d++) {
                    snprintf(s, sizeof(s), "%s.%s.%s.%s", parts[a], parts[b],
                             parts[c], parts[d]);
                    total++;
                    if (addr_dot_quad(s) != dot_quad_oracle(s) &&
                        failures++ < 10)
                        print_error("addr_dot_quad(\"%s\") = %08x, "
                                    "inet_addr says %08x\n",
                                    s, (unsigned)addr_dot_quad(s),
                                    (unsigned)dot_quad_oracle(s));
                }
    print_message("dot quads: %zu strings against inet_addr()\n", total);
    assert_int_equal(failures, 0);
}

/* ---- addr_cidr_mask() ---- */

static const struct mask_case {
    const char *text;
    int bits; /* the prefix length it reads as; 0: invalid */
} masks[] = {
    {.text = "8", .bits = 8},
    {.text = "1", .bits = 1},
    {.text = "32", .bits = 32},
    {.text = "0"},
    {.text = "33"},
    {.text = "-1"},
    {.text = ""},
    {.text = "abc"},
    /* atoi(): what follows the digits is ignored, leading blanks and a
     * sign are read, and leading zeros are decimal (5.5). */
    {.text = "8x", .bits = 8},
    {.text = " 16", .bits = 16},
    {.text = "\t24", .bits = 24},
    {.text = "+8", .bits = 8},
    {.text = "032", .bits = 32},
    {.text = "08", .bits = 8},
    {.text = "0x10"},
    {.text = "24.0", .bits = 24},
    {.text = "255.255.255.0"},
    /* glibc's atoi() is strtol() cut to int, as in Debian's build:
     * 2^32 + 8 reads as 8. */
    {.text = "4294967304", .bits = 8},
};

/* The mask of a prefix length, network order. */
static uint32_t mask_of(int bits)
{
    return bits == 0 ? 0 : htonl(~0u << (32 - bits));
}

static void test_cidr_mask(void **state)
{
    char text[16];
    size_t i;
    int bits, failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(masks); i++) {
        const struct mask_case *c = &masks[i];
        uint32_t got = addr_cidr_mask(c->text);

        if (got != mask_of(c->bits) ||
            cidr_mask_addr((char *)c->text) != (unsigned long)got) {
            print_error("addr_cidr_mask(\"%s\") = %08x, want /%d\n", c->text,
                        (unsigned)got, c->bits);
            failures++;
        }
    }
    /* Every length, and then some. */
    for (bits = -40; bits <= 70; bits++) {
        snprintf(text, sizeof(text), "%d", bits);
        if (addr_cidr_mask(text) !=
            (bits >= 1 && bits <= 32 ? mask_of(bits) : 0)) {
            print_error("addr_cidr_mask(\"%s\") = %08x\n", text,
                        (unsigned)addr_cidr_mask(text));
            failures++;
        }
    }
    assert_int_equal(cidr_mask_addr(NULL), 0);
    assert_int_equal(failures, 0);
}

/* ---- addr_parse_v6() ---- */

static const struct v6_case {
    const char *text;
    size_t n;         /* bytes to parse; 0: strlen(text) */
    const char *want; /* the address (inet_pton() form); NULL: refused */
} v6s[] = {
    {.text = "::1", .want = "::1"},
    {.text = "::", .want = "::"},
    {.text = "2001:db8::1", .want = "2001:db8::1"},
    {.text = "2001:DB8::A", .want = "2001:db8::a"},
    {.text = "1:2:3:4:5:6:7:8", .want = "1:2:3:4:5:6:7:8"},
    {.text = "::ffff:1.2.3.4", .want = "::ffff:1.2.3.4"},
    {.text = "64:ff9b::192.0.2.1", .want = "64:ff9b::c000:201"},
    /* The scope is ignored, whatever it says (2.3.7). */
    {.text = "fe80::1%lo", .want = "fe80::1"},
    {.text = "fe80::1%eth0%x", .want = "fe80::1"},
    {.text = "fe80::1%", .want = "fe80::1"},
    {.text = "%lo"},
    /* Only the n bytes given are read. */
    {.text = "::1junk", .n = 3, .want = "::1"},
    {.text = "2001:db8::1]", .n = 11, .want = "2001:db8::1"},
    {.text = "::1", .n = 2, .want = "::"},
    {.text = "::1", .n = 1},
    {.text = ""},
    /* Not addresses. */
    {.text = "1.2.3.4"},
    {.text = "2001:db8::1::"},
    {.text = "1:2:3:4:5:6:7:8:9"},
    {.text = "12345::"},
    {.text = "g::1"},
    {.text = ":1"},
    {.text = " ::1"},
    {.text = "::1 "},
    {.text = "[::1]"},
    /* 45 bytes, the longest text form, and one more. */
    {.text = "0000:0000:0000:0000:0000:ffff:255.255.255.255",
     .want = "::ffff:255.255.255.255"},
    {.text = "0000:0000:0000:0000:0000:ffff:255.255.255.255%lo",
     .want = "::ffff:255.255.255.255"},
    {.text = "00000:0000:0000:0000:0000:ffff:255.255.255.255"},
};

static void test_parse_v6(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(v6s); i++) {
        const struct v6_case *c = &v6s[i];
        size_t n = c->n != 0 ? c->n : strlen(c->text);
        struct in6_addr got, want;
        bool ok = addr_parse_v6(c->text, n, &got);

        if (c->want != NULL)
            assert_int_equal(inet_pton(AF_INET6, c->want, &want), 1);
        if (ok != (c->want != NULL) ||
            (ok && memcmp(&got, &want, sizeof(got)) != 0)) {
            print_error("addr_parse_v6(\"%.*s\") = %d, want %s\n", (int)n,
                        c->text, ok, c->want != NULL ? c->want : "refused");
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- "::ffff:" + dotted quad ---- */

static const struct mapped_case {
    const char *text;
    const char *rest; /* the dotted quad after "::ffff:"; NULL: not one */
} mapped[] = {
    {.text = "::ffff:1.2.3.4", .rest = "1.2.3.4"},
    {.text = "::FFFF:10.0.0.77", .rest = "10.0.0.77"},
    {.text = "::fFfF:0.0.0.0", .rest = "0.0.0.0"},
    {.text = "::ffff:1.2.3"},
    {.text = "::ffff:01.2.3.4"},
    {.text = "::ffff:1.2.3.4 "},
    {.text = "::ffff:"},
    {.text = "::ffff:1:2"},
    {.text = "0::ffff:1.2.3.4"},
    {.text = "::fff:1.2.3.4"},
    {.text = "1.2.3.4"},
    {.text = ""},
};

static void test_mapped(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(mapped); i++) {
        const struct mapped_case *c = &mapped[i];
        const char *rest = NULL;
        bool is = addr_is_v4_mapped_text(c->text, &rest);
        const char *stripped = addr_strip_mapped(c->text);

        if (is != (c->rest != NULL) || (is && strcmp(rest, c->rest) != 0) ||
            strcmp(stripped, c->rest != NULL ? c->rest : c->text) != 0 ||
            (c->rest == NULL && stripped != c->text)) {
            print_error("\"%s\": mapped %d rest \"%s\", stripped \"%s\"\n",
                        c->text, is, is ? rest : "", stripped);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- net/mask ---- */

static const struct netmask_case {
    const char *net, *mask, *addr;
    bool match;
} netmasks[] = {
    {.net = "10.0.0.0", .mask = "8", .addr = "10.1.2.3", .match = true},
    {.net = "10.0.0.0",
     .mask = "255.0.0.0",
     .addr = "10.1.2.3",
     .match = true},
    {.net = "10.0.0.0", .mask = "8", .addr = "11.1.2.3"},
    /* Octal and hex, on either side (2.4.5). */
    {.net = "010.0.0.0",
     .mask = "255.0.0.0",
     .addr = "8.1.2.3",
     .match = true},
    {.net = "0x0a.0.0.0", .mask = "8", .addr = "10.1.2.3", .match = true},
    {.net = "10.0.0.0", .mask = "8", .addr = "012.1.2.3", .match = true},
    /* Host bits set in the net never match. */
    {.net = "10.0.0.1", .mask = "255.255.255.0", .addr = "10.0.0.1"},
    {.net = "10.0.0.1", .mask = "32", .addr = "10.0.0.1", .match = true},
    /* Non-contiguous masks are taken as they are. */
    {.net = "10.0.0.0",
     .mask = "255.0.255.0",
     .addr = "10.7.0.77",
     .match = true},
    {.net = "10.0.0.0", .mask = "255.0.255.0", .addr = "10.7.1.77"},
    /* atoi() lengths; /0, /33 and the all-ones mask never match. */
    {.net = "10.0.0.0", .mask = "8x", .addr = "10.9.9.9", .match = true},
    {.net = "10.0.0.0", .mask = " 16", .addr = "10.0.9.9", .match = true},
    {.net = "0.0.0.0", .mask = "0", .addr = "10.9.9.9"},
    {.net = "10.0.0.0", .mask = "33", .addr = "10.0.0.0"},
    {.net = "10.0.0.1", .mask = "255.255.255.255", .addr = "10.0.0.1"},
    {.net = "0.0.0.0", .mask = "0.0.0.0", .addr = "10.9.9.9", .match = true},
    {.net = "0.0.0.0", .mask = "0.0.0.0", .addr = "unknown"},
    {.net = "10.0.0.0", .mask = "", .addr = "10.0.0.0"},
    /* A mapped client meets IPv4 masks. */
    {.net = "10.0.0.0",
     .mask = "8",
     .addr = "::ffff:10.0.0.77",
     .match = true},
    {.net = "10.0.0.0",
     .mask = "8",
     .addr = "::FFFF:10.0.0.77",
     .match = true},
    /* A bad net or client. */
    {.net = "10.0.0", .mask = "8", .addr = "10.0.0.1"},
    {.net = "10.0.*.0", .mask = "24", .addr = "10.0.1.0"},
    {.net = "10.0.0.0", .mask = "8", .addr = "10.0.0"},
    {.net = "10.0.0.0", .mask = "8", .addr = "2001:db8::1"},
    /* IPv6: "[net]" and a length read with atoi(); host bits are
     * allowed; "", "abc" and "0" read as 0, which matches every IPv6
     * client. */
    {.net = "[2001:db8::]",
     .mask = "32",
     .addr = "2001:db8::5",
     .match = true},
    {.net = "[2001:db8::]", .mask = "32", .addr = "2001:db9::5"},
    {.net = "[2001:db8::1]",
     .mask = "127",
     .addr = "2001:db8::",
     .match = true},
    {.net = "[2001:db8::1]", .mask = "128", .addr = "2001:db8::"},
    {.net = "[2001:db8::1]", .mask = "0", .addr = "::1", .match = true},
    {.net = "[2001:db8::1]", .mask = "", .addr = "::1", .match = true},
    {.net = "[2001:db8::1]", .mask = "abc", .addr = "::1", .match = true},
    {.net = "[2001:db8::1]", .mask = "-1", .addr = "::1"},
    {.net = "[::1]", .mask = "129", .addr = "::1"},
    {.net = "[::1]", .mask = "128", .addr = "::1", .match = true},
    {.net = "[fe80::1%lo]", .mask = "128", .addr = "fe80::1", .match = true},
    {.net = "[2001:db8::]",
     .mask = "32",
     .addr = "2001:db8::5%eth0",
     .match = true},
    {.net = "[::1]", .mask = "0", .addr = "10.0.0.1"},
    /* A mapped client is only ever an IPv4 address (2.4.5). */
    {.net = "[::ffff:10.0.0.0]", .mask = "104", .addr = "::ffff:10.0.0.7"},
    {.net = "[::ffff:10.0.0.0]", .mask = "0", .addr = "::ffff:10.0.0.7"},
    /* Brackets are needed, and must hold an address. */
    {.net = "2001:db8::", .mask = "32", .addr = "2001:db8::5"},
    {.net = "[2001:db8::", .mask = "32", .addr = "2001:db8::5"},
    {.net = "[]", .mask = "0", .addr = "::1"},
    {.net = "[x]", .mask = "0", .addr = "::1"},
};

static void test_netmask_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(netmasks); i++) {
        const struct netmask_case *c = &netmasks[i];
        struct addr_host h;
        bool got = addr_match_netmask(c->net, c->mask, c->addr);

        addr_host_parse(&h, c->addr);
        if (got != c->match ||
            addr_match_netmask_host(c->net, c->mask, &h) != got) {
            print_error("%s/%s against %s: %d, want %d\n", c->net, c->mask,
                        c->addr, got, c->match);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* addr_host_parse() reads an address once: its IPv4 value (after
 * "::ffff:"), whether it is mapped, and its IPv6 value. */
static const struct host_case {
    const char *addr;
    const char *v4; /* NULL: INADDR_NONE */
    bool mapped;
    const char *v6; /* NULL: not parsed as IPv6 */
} hosts[] = {
    {.addr = "10.0.0.1", .v4 = "10.0.0.1"},
    {.addr = "010.0.0.1", .v4 = "8.0.0.1"},
    {.addr = "::ffff:10.0.0.1", .v4 = "10.0.0.1", .mapped = true},
    {.addr = "2001:db8::1", .v6 = "2001:db8::1"},
    {.addr = "fe80::1%lo", .v6 = "fe80::1"},
    {.addr = "::ffff:0a00:0001", .v6 = "::ffff:10.0.0.1"},
    {.addr = "unknown"},
    {.addr = ""},
};

static void test_host_parse(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(hosts); i++) {
        const struct host_case *c = &hosts[i];
        struct addr_host h;
        struct in6_addr v6;
        uint32_t v4 = c->v4 != NULL ? quad(c->v4) : INADDR_NONE;

        addr_host_parse(&h, c->addr);
        if (c->v6 != NULL)
            assert_int_equal(inet_pton(AF_INET6, c->v6, &v6), 1);
        if (h.v4 != v4 || h.mapped != c->mapped ||
            h.v6_valid != (c->v6 != NULL) ||
            (h.v6_valid && memcmp(&h.v6, &v6, sizeof(v6)) != 0)) {
            print_error("addr_host_parse(\"%s\"): v4 %08x mapped %d v6 %d\n",
                        c->addr, (unsigned)h.v4, h.mapped, h.v6_valid);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* Every IPv4 prefix length and dotted mask, over addresses around the
 * network's edges, against (addr & mask) == net. */
static void test_netmask_v4_exhaustive(void **state)
{
    static const char *addrs[] = {
        "0.0.0.0",         "10.0.0.0",       "10.0.0.1", "10.127.255.255",
        "10.128.0.0",      "10.255.255.255", "11.0.0.0", "9.255.255.255",
        "255.255.255.254", "::ffff:10.1.2.3"};
    char net_text[32], mask_text[32];
    size_t i, checked = 0;
    int bits, form, failures = 0;

    (void)state;
    for (bits = 0; bits <= 33; bits++) {
        uint32_t mask = bits >= 1 && bits <= 32 ? mask_of(bits) : 0;
        uint32_t net = quad("10.0.0.0") & (bits <= 32 ? mask_of(bits) : 0);
        struct in_addr n = {net}, m = {mask};

        snprintf(net_text, sizeof(net_text), "%s", inet_ntoa(n));
        for (form = 0; form < 2; form++) {
            /* The dotted form of an all-ones mask is INADDR_NONE; of a
             * zero mask it is 0.0.0.0, which matches everything. */
            if (form == 0)
                snprintf(mask_text, sizeof(mask_text), "%d", bits);
            else
                snprintf(mask_text, sizeof(mask_text), "%s", inet_ntoa(m));
            for (i = 0; i < TL_COUNT(addrs); i++) {
                uint32_t a = addr_dot_quad(addr_strip_mapped(addrs[i]));
                /* A length counts in 1..32; a dotted mask is any but
                 * all-ones (INADDR_NONE, then atoi("255...") fails),
                 * and 0.0.0.0 for the lengths outside 1..32. */
                bool usable = form == 0 ? bits >= 1 && bits <= 32 : bits != 32;
                bool want = usable && (a & mask) == net;

                checked++;
                if (addr_match_netmask(net_text, mask_text, addrs[i]) !=
                    want) {
                    print_error("%s/%s against %s: want %d\n", net_text,
                                mask_text, addrs[i], want);
                    failures++;
                }
            }
        }
    }
    print_message("IPv4 net/mask: %zu matches checked\n", checked);
    assert_int_equal(failures, 0);
}

/* Every IPv6 prefix length (and lengths outside 0..128) of a net with
 * host bits, against a bitwise comparison. */
static void test_netmask_v6_exhaustive(void **state)
{
    static const char *addrs[] = {"2001:db8:ffff:ffff::1",
                                  "2001:db8::",
                                  "2001:db8:ffff:fffe::",
                                  "2001:db9::",
                                  "::",
                                  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
                                  "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"};
    struct in6_addr net, a;
    char mask_text[16];
    size_t i, checked = 0;
    int bits, b, failures = 0;

    (void)state;
    assert_int_equal(inet_pton(AF_INET6, "2001:db8:ffff:ffff::1", &net), 1);
    for (bits = -2; bits <= 130; bits++) {
        snprintf(mask_text, sizeof(mask_text), "%d", bits);
        for (i = 0; i < TL_COUNT(addrs); i++) {
            bool want = bits >= 0 && bits <= 128;

            assert_int_equal(inet_pton(AF_INET6, addrs[i], &a), 1);
            for (b = 0; want && b < bits; b++) {
                int bit = 7 - b % 8;
                if (((net.s6_addr[b / 8] >> bit) & 1) !=
                    ((a.s6_addr[b / 8] >> bit) & 1))
                    want = false;
            }
            checked++;
            if (addr_match_netmask("[2001:db8:ffff:ffff::1]", mask_text,
                                   addrs[i]) != want) {
                print_error("[2001:db8:ffff:ffff::1]/%s against %s: want "
                            "%d\n",
                            mask_text, addrs[i], want);
                failures++;
            }
        }
    }
    print_message("IPv6 net/mask: %zu matches checked\n", checked);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dot_quad_cases),
        cmocka_unit_test(test_dot_quad_exhaustive),
        cmocka_unit_test(test_cidr_mask),
        cmocka_unit_test(test_parse_v6),
        cmocka_unit_test(test_mapped),
        cmocka_unit_test(test_netmask_cases),
        cmocka_unit_test(test_host_parse),
        cmocka_unit_test(test_netmask_v4_exhaustive),
        cmocka_unit_test(test_netmask_v6_exhaustive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
