/*
 * addr.h - addresses and masks, pure functions (no I/O, no resolver).
 *
 * IPv4 text follows Debian's dot_quad_addr(): exactly four dot-separated
 * runs, then inet_addr(), so octal and hex parts are accepted and
 * 255.255.255.255 cannot be told from an error.  IPv6 text is parsed
 * numerically with any %scope ignored.
 *
 * DIAGNOSTICS: none; text that is not an address or mask is a value
 * (INADDR_NONE, a zero mask, false) for the caller to judge.
 */
#ifndef LIBWRAP_ADDR_H
#define LIBWRAP_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* dot_quad_addr() semantics: host-independent 32-bit value in network
 * order, or INADDR_NONE. */
uint32_t addr_dot_quad(const char *s);
/* cidr_mask_addr() semantics: atoi(s) in 1..32 as a network-order mask,
 * else 0. */
uint32_t addr_cidr_mask(const char *s);
/* Parses n bytes of s as a numeric IPv6 address, ignoring "%scope". */
bool addr_parse_v6(const char *s, size_t n, struct in6_addr *out);
/* True when the text is "::ffff:" + a dotted quad (case-insensitive);
 * *rest points at the dotted quad. */
bool addr_is_v4_mapped_text(const char *s, const char **rest);

/* s without a leading "::ffff:" before a dotted quad, as Debian's
 * string match sees an address. */
const char *addr_strip_mapped(const char *s);

/*
 * Matches a net/mask pattern (net is the text before the '/', mask the
 * text after) against an address string, as Debian's masked host match
 * does: the IPv4 form first, then the bracketed IPv6 form.  The library
 * compiles net/mask patterns instead (pattern.h); this and
 * addr_match_netmask_host() are extern for the tests.
 */
bool addr_match_netmask(const char *net, const char *mask, const char *addr);

/* An address string read once for many net/mask matches. */
struct addr_host {
    uint32_t v4;   /* dotted quad (after "::ffff:"), or INADDR_NONE */
    bool mapped;   /* "::ffff:" + dotted quad */
    bool v6_valid; /* parsed as IPv6 (never for mapped text) */
    struct in6_addr v6;
};

void addr_host_parse(struct addr_host *h, const char *addr);
/* addr_match_netmask() for an address parsed with addr_host_parse(). */
bool addr_match_netmask_host(const char *net, const char *mask,
                             const struct addr_host *h);

#endif
