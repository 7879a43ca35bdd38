/*
 * lex.h - the one lexer of the rule language: a logical line into its
 * fields and patterns.
 *
 * A rule line is "daemon_list : client_list [ : option_field ]".  The two
 * list fields end at a ':' outside brackets, counted across the whole
 * field as Debian's split_at() counts them (a ']' with no '[' open hides
 * every later ':' of the field).  A list is split into patterns at runs
 * of space, tab, comma, CR and LF.  A bare IPv6 address at the start of a
 * client pattern, or right after the '@' of a pattern, keeps its colons
 * and is rewritten into its bracketed form (compat-policy D10).  Each
 * pattern comes with the classes of its bytes, so that the classifier
 * (pattern.h) rarely has to look at it again.
 *
 * Lines are lexed in place: a logical line's only newline is its last
 * byte, and the byte after an unterminated last line is a NUL (tables
 * carry TABLE_PADDING zeros), so '\n' and NUL both end it.
 *
 * DIAGNOSTICS: none; the caller reports a line without ':'.
 */
#ifndef LIBWRAP_LEX_H
#define LIBWRAP_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "arena.h"

/* Classes of the bytes of a pattern (any of them, OR-ed together). */
enum {
    LEX_NAME = 1,       /* a byte other than 0-9 . /: compared with names */
    LEX_SLASH = 2,      /* '/' */
    LEX_WILD = 4,       /* '*' or '?' */
    LEX_BRACKET = 8,    /* '[' or ']' */
    LEX_AT = 16,        /* '@' */
    LEX_REWRITTEN = 32, /* a bare IPv6 address put in brackets (D10) */
};

/* One pattern: a span of the line, or (LEX_REWRITTEN) of the arena. */
struct lex_item {
    const char *text;
    uint32_t len;
    uint32_t flags;
};

struct lex_list {
    struct lex_item *items;
    size_t count, cap;
};

enum lex_status {
    LEX_RULE,     /* a rule */
    LEX_IGNORED,  /* a comment or a blank line */
    LEX_NO_COLON, /* no ':' ends the daemon list */
    LEX_NOMEM,    /* no memory for the patterns */
};

/* A lexed line; lists and arena are reused from line to line. */
struct lex_line {
    struct lex_list daemons, clients;
    const char *options; /* after the second ':', to the end; or NULL */
    size_t options_len;  /* includes the line's final newline */
    struct arena arena;  /* rewritten patterns (D10) */
};

void lex_init(struct lex_line *l);
void lex_free(struct lex_line *l);

/* Lexes the logical line text[0..len); see above for what follows it. */
enum lex_status lex_line(struct lex_line *l, const char *text, size_t len);

/*
 * Lexes one list field from p: its patterns go to out (emptied first).
 * Returns the byte after the ':' that ends the field, or NULL when the
 * field runs to the end of the line (*nomem tells an allocation failure
 * apart).  client enables the bare IPv6 rule at the start of patterns.
 */
const char *lex_field(struct lex_list *out, struct arena *arena, const char *p,
                      bool client, bool *nomem);

/* True when the line is a comment or holds only space, tab, CR, LF. */
bool lex_is_blank(const char *text, size_t len);

/* True for the list separators: space, tab, comma, CR, LF. */
static inline bool lex_is_separator(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n';
}

/*
 * Skips a run of digits and dots (bytes of class CH_OTHER with no flags)
 * eight bytes at a time.  It may read up to seven bytes past the end of
 * the line, so every lexed text has at least that many readable bytes
 * after it: tables carry TABLE_PADDING zeros, and copies are padded.
 */
static inline const char *lex_skip_digits_and_dots(const char *s)
{
    const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
    uint64_t w, ge30, ge3a, dot, bad;

    for (;;) {
        memcpy(&w, s, sizeof(w));
        ge30 = (w + ones * 0x50) & high; /* byte >= '0' (for bytes < 0x80) */
        ge3a = (w + ones * 0x46) & high; /* byte > '9' */
        dot = w ^ (ones * '.');
        dot = ~(((dot & ~high) + ~high) | dot) & high; /* byte == '.' */
        bad = ~((ge30 & ~ge3a) | dot) & high;
        bad |= w & high;
        if (bad != 0)
            return s + (__builtin_ctzll(bad) >> 3);
        s += sizeof(w);
    }
}

/* True for the separators within a line: space, tab, comma, CR. */
static inline bool lex_is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\r';
}

/* lex_single_item() past the pattern's first run of digits and dots,
 * which starts at start and ends at p. */
bool lex_single_item_rest(const char *start, const char *p,
                          struct lex_item *item, const char **nl);

/*
 * The client field from p (after the daemon field's ':') when it is one
 * pattern with no '@' and no ':' outside brackets, then nothing but
 * separators up to the line's newline: the usual block list line
 * ("sshd: 192.0.2.7\n"), a domain, a net/mask, an [IPv6] form.  True
 * with the pattern in *item, as lex_field() gives it (flags 0: digits
 * and dots only), and *nl at the newline; false for anything else,
 * which lex_field() then reads.  A pattern of digits and dots is read
 * here, inline; any other by lex_single_item_rest().
 */
static inline bool lex_single_item(const char *p, struct lex_item *item,
                                   const char **nl)
{
    const char *start, *end, *rest_nl;
    struct lex_item rest;

    while (lex_is_blank_byte(*p))
        p++;
    start = p;
    end = lex_skip_digits_and_dots(p);
    for (p = end; lex_is_blank_byte(*p);)
        p++;
    if (*p == '\n' && end != start) {
        item->text = start;
        item->len = (uint32_t)(end - start);
        item->flags = 0;
        *nl = p;
        return true;
    }
    /* Two patterns, or none; else the run ends inside the pattern. */
    if (p != end || *p == '\n')
        return false;
    /* Through locals, so that the caller's item and nl can stay in
     * registers. */
    if (!lex_single_item_rest(start, end, &rest, &rest_nl))
        return false;
    *item = rest;
    *nl = rest_nl;
    return true;
}

/* The LEX_* classes of n bytes (for patterns found by other means). */
uint32_t lex_flags(const char *s, size_t n);

/* True when the n bytes of a pattern are the EXCEPT keyword, any case. */
static inline bool lex_is_except(const char *p, size_t n)
{
    return n == 6 && strncasecmp(p, "EXCEPT", 6) == 0;
}

#endif
