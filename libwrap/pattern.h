/*
 * pattern.h - the one classifier: what each pattern of a list means.
 *
 * Turns the patterns the lexer found (lex.h) into image records
 * (image.h) with their meaning decided once, the way Debian's matcher
 * would read them each time: a daemon pattern is a port number or a
 * string; "daemon@host" also tests the server's host; a client pattern
 * is a host pattern, or "user@host"; a host pattern is, in this order, a
 * netgroup ("@"), a host list ("/"), KNOWN, LOCAL, a net/mask (a '/'
 * outside brackets), or a string compared with the address and, unless
 * it has only digits, dots and slashes, with the name.  A string is a
 * wildcard, a ".suffix", ALL, KNOWN, a "prefix.", an "[IPv6]" literal or
 * an exact text.  Addresses and masks are parsed here with addr.h, once;
 * an "[IPv6]" literal's address only when an IPv6 address meets it.
 *
 * DIAGNOSTICS: none; Debian accepts every pattern silently.
 */
#ifndef LIBWRAP_PATTERN_H
#define LIBWRAP_PATTERN_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "lex.h"

/* Where a list stands in a rule, which decides what its patterns mean. */
enum pattern_list_kind {
    LIST_DAEMONS, /* daemon patterns, EXCEPT */
    LIST_CLIENTS, /* client patterns, EXCEPT */
    LIST_HOSTS,   /* the words of a /file list: host patterns only */
};

/*
 * A pattern, classified: what its image record says (kind, flags, the
 * text of a string, netgroup or host list pattern, and the parsed value
 * of a net/mask or a valid [IPv6] literal), and what the matcher
 * evaluates (match.h) whether it was read from an image or from text.
 */
struct pattern_host {
    int kind;         /* enum pattern_kind */
    unsigned flags;   /* PATTERN_*, and PATTERN_V6_UNREAD */
    const char *text; /* len bytes, not always NUL-terminated */
    size_t len;
    const void *value; /* PAT_NET4: struct image_net4; PAT_NET6: struct
                          image_net6; valid PAT_V6_LITERAL: 16 bytes */
};

/*
 * A flag of a classified pattern only, never of an image record: a
 * PAT_V6_LITERAL whose address has not been parsed (value NULL, no
 * PATTERN_V6_VALID).  The classifier leaves it so; pattern_v6_literal()
 * parses it when a string that is an IPv6 address meets it, so that an
 * IPv4 client or a name never pays for it.
 */
enum { PATTERN_V6_UNREAD = 0x100 };

/* Room for what a classified pattern's value points to. */
union pattern_value {
    struct image_net4 net4;
    struct image_net6 net6;
};

/* Classifies the host pattern s[0..n), whose bytes have the LEX_* classes
 * flags; its value is kept in *store.  False when memory runs out. */
bool pattern_classify_host(const char *s, size_t n, uint32_t flags,
                           struct pattern_host *out,
                           union pattern_value *store);

/* The address of a PAT_V6_LITERAL, read now if it was left unread:
 * false when it is no valid IPv6 address. */
bool pattern_v6_literal(const struct pattern_host *p, struct in6_addr *out);

/* Appends the list as one struct image_list, followed by trailer zeroed
 * 4-byte words (a rule's option offset, image.h); its offset, 0 on
 * failure. */
uint32_t pattern_put_list(struct image_builder *b, const struct lex_list *list,
                          enum pattern_list_kind kind, size_t trailer);

/*
 * What a host pattern of n > 0 digits and dots (no LEX_NAME or LEX_SLASH
 * byte) is: PAT_SUFFIX, PAT_PREFIX or PAT_EXACT, compared with the
 * address only.  The classifier makes such patterns so; the streamed
 * scan asks this for a line's single plain pattern without compiling it.
 */
static inline int pattern_address_kind(const char *s, size_t n)
{
    return s[0] == '.' ? PAT_SUFFIX : s[n - 1] == '.' ? PAT_PREFIX : PAT_EXACT;
}

/* The '@' that splits "left@host" in n bytes: the first one after
 * position 0 outside brackets, counted from position 1 as Debian does;
 * or NULL. */
const char *pattern_find_at(const char *p, size_t n);
/* The first '/' outside brackets in n bytes, or NULL.  This and
 * pattern_port() are extern for the tests. */
const char *pattern_find_slash(const char *p, size_t n);
/* True when the n bytes hold a byte other than digits, '.' and '/'. */
bool pattern_not_inaddr(const char *p, size_t n);
/* A daemon pattern that is a port number: sscanf("%u%c") == 1 on the n
 * bytes, at most 65535. */
bool pattern_port(const char *p, size_t n, unsigned *port);

#endif
