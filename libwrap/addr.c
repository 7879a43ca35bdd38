/*
 * addr.c - address and mask arithmetic for the rule language.
 *
 * Exports dot_quad_addr() and cidr_mask_addr() and the addr_* functions
 * of addr.h.  Pure: no I/O, no resolver.  Where Debian's results depend
 * on inet_addr() and atoi() quirks (octal, hex, "/8x"), the same libc
 * calls are used on purpose, so the quirks are reproduced exactly.
 */
#include "addr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "exports.h"
#include "tcpd.h"

/*
 * The plain form "a.b.c.d" (decimal, no leading zeros, each part at most
 * 255, nothing else), which inet_addr() reads the same way; false for
 * anything else, which then goes to inet_addr() itself.
 */
static bool plain_quad(const char *s, uint32_t *out)
{
    uint32_t value = 0;
    int part, digits;

    for (part = 0; part < 4; part++) {
        unsigned v = 0;
        for (digits = 0; s[digits] >= '0' && s[digits] <= '9'; digits++) {
            if (digits == 3)
                return false;
            v = v * 10 + (unsigned)(s[digits] - '0');
        }
        if (digits == 0 || v > 255 || (digits > 1 && s[0] == '0'))
            return false;
        value = value << 8 | v;
        s += digits;
        if (*s != (part < 3 ? '.' : '\0'))
            return false;
        s++;
    }
    *out = htonl(value);
    return true;
}

uint32_t addr_dot_quad(const char *s)
{
    uint32_t plain;
    int runs = 0;
    bool in_run = false;
    const char *p;

    /* 255.255.255.255 is INADDR_NONE either way. */
    if (plain_quad(s, &plain))
        return plain;
    for (p = s; *p != '\0'; p++) {
        if (*p == '.') {
            in_run = false;
        } else if (!in_run) {
            in_run = true;
            runs++;
        }
    }
    if (runs != 4)
        return INADDR_NONE;
    /* inet_addr() on purpose: Debian accepts its octal and hex forms. */
    return (uint32_t)inet_addr(s);
}

uint32_t addr_cidr_mask(const char *s)
{
    int bits;

    /* One or two digits, the usual form, read as atoi() would; anything
     * else by atoi() itself, on purpose: Debian reads "8x" as 8 and
     * " 16" as 16. */
    if (s[0] >= '0' && s[0] <= '9' && s[1] == '\0')
        bits = s[0] - '0';
    else if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' &&
             s[2] == '\0')
        bits = (s[0] - '0') * 10 + (s[1] - '0');
    else
        bits = atoi(s);

    if (bits < 1 || bits > 32)
        return 0;
    return htonl(bits == 32 ? 0xffffffffu : ~(0xffffffffu >> bits));
}

bool addr_parse_v6(const char *s, size_t n, struct in6_addr *out)
{
    char text[INET6_ADDRSTRLEN + 1];
    const char *scope = memchr(s, '%', n);

    if (scope != NULL)
        n = (size_t)(scope - s);
    /* Every IPv6 address has a colon: most strings end here. */
    if (n == 0 || n >= sizeof(text) || memchr(s, ':', n) == NULL)
        return false;
    memcpy(text, s, n);
    text[n] = '\0';
    return inet_pton(AF_INET6, text, out) == 1;
}

bool addr_is_v4_mapped_text(const char *s, const char **rest)
{
    static const char prefix[] = "::ffff:";
    struct in_addr v4;
    size_t i;

    for (i = 0; i < sizeof(prefix) - 1; i++)
        if (s[i] != prefix[i] && !(s[i] == 'F' && prefix[i] == 'f'))
            return false;
    if (inet_pton(AF_INET, s + sizeof(prefix) - 1, &v4) != 1)
        return false;
    *rest = s + sizeof(prefix) - 1;
    return true;
}

const char *addr_strip_mapped(const char *s)
{
    const char *v4;

    return s[0] == ':' && addr_is_v4_mapped_text(s, &v4) ? v4 : s;
}

void addr_host_parse(struct addr_host *h, const char *addr)
{
    const char *v4;

    h->mapped = addr_is_v4_mapped_text(addr, &v4);
    h->v4 = addr_dot_quad(h->mapped ? v4 : addr);
    h->v6_valid = !h->mapped && addr_parse_v6(addr, strlen(addr), &h->v6);
}

/* IPv4 half of a net/mask match. */
static bool match_v4(const char *net_text, const char *mask_text,
                     const struct addr_host *h)
{
    uint32_t net, mask;

    net = addr_dot_quad(net_text);
    if (net == INADDR_NONE)
        return false;
    mask = addr_dot_quad(mask_text);
    if (mask == INADDR_NONE) {
        mask = addr_cidr_mask(mask_text);
        if (mask == 0)
            return false;
    }
    if (h->v4 == INADDR_NONE)
        return false;
    return (h->v4 & mask) == net;
}

/* IPv6 half: "[net]" and a prefix length read with atoi(); an IPv4-mapped
 * address in text form is only ever compared as IPv4. */
static bool match_v6(const char *net, const char *mask_text,
                     const struct addr_host *h)
{
    struct in6_addr want;
    size_t net_len = strlen(net);
    int bits, i;

    if (net_len < 2 || net[0] != '[' || net[net_len - 1] != ']')
        return false;
    if (!addr_parse_v6(net + 1, net_len - 2, &want))
        return false;
    /* atoi() on purpose: Debian reads "", "/abc" and "/0" as 0. */
    bits = atoi(mask_text);
    if (bits < 0 || bits > 128 || !h->v6_valid)
        return false;
    for (i = 0; bits > 0; i++, bits -= 8) {
        unsigned char m =
            bits >= 8 ? 0xff : (unsigned char)(0xff << (8 - bits));
        if ((want.s6_addr[i] & m) != (h->v6.s6_addr[i] & m))
            return false;
    }
    return true;
}

bool addr_match_netmask_host(const char *net, const char *mask,
                             const struct addr_host *h)
{
    return match_v4(net, mask, h) || match_v6(net, mask, h);
}

bool addr_match_netmask(const char *net, const char *mask, const char *addr)
{
    struct addr_host h;

    addr_host_parse(&h, addr);
    return addr_match_netmask_host(net, mask, &h);
}

/* Converts a dotted quad with exactly four parts; INADDR_NONE otherwise. */
LIBWRAP_API unsigned long dot_quad_addr(char *str)
{
    uint32_t a = str != NULL ? addr_dot_quad(str) : INADDR_NONE;

    return a == INADDR_NONE ? (unsigned long)INADDR_NONE : (unsigned long)a;
}

/* Converts a prefix length 1..32 to a mask in network order; 0 if bad. */
LIBWRAP_API unsigned long cidr_mask_addr(char *str)
{
    return str != NULL ? addr_cidr_mask(str) : 0;
}
