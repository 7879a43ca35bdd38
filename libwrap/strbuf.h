/*
 * strbuf.h - growable, always NUL-terminated strings, and growing arrays.
 *
 * The one place that does length arithmetic for text and arrays of
 * unbounded length (rule lines, lists, expansions, banners, commands,
 * index entries).  An allocation
 * failure sets a sticky flag and leaves the contents as they were, so a
 * caller may append freely and check sb_failed() once at the end.
 *
 * DIAGNOSTICS: none; failures are the sticky flag, or NULL from
 * array_grow(), for the caller to report.
 */
#ifndef LIBWRAP_STRBUF_H
#define LIBWRAP_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "common.h"

struct strbuf {
    char *data;  /* NUL-terminated once anything was added; may be NULL */
    size_t len;  /* bytes before the terminating NUL */
    size_t cap;  /* bytes allocated */
    bool failed; /* an allocation failed at some point */
};

#define STRBUF_INIT                                                           \
    {                                                                         \
        NULL, 0, 0, false                                                     \
    }

void sb_init(struct strbuf *sb);
void sb_free(struct strbuf *sb);
/* Empties the buffer, keeping its memory and clearing the failure flag. */
void sb_reset(struct strbuf *sb);
/* Appends n bytes (which may contain NUL); false on allocation failure. */
bool sb_append(struct strbuf *sb, const char *s, size_t n);
bool sb_puts(struct strbuf *sb, const char *s);
bool sb_putc(struct strbuf *sb, char c);
bool sb_printf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
bool sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
    PRINTF_LIKE(2, 0);
/* sb_reserve() when the buffer must grow. */
bool sb_grow(struct strbuf *sb, size_t n);
/* Makes room for at least n more bytes (and the terminating NUL). */
static inline bool sb_reserve(struct strbuf *sb, size_t n)
{
    if (!sb->failed && sb->cap > sb->len && n < sb->cap - sb->len)
        return true;
    return sb_grow(sb, n);
}

/* For a growing array of *cap items of elem bytes, all in use: items
 * reallocated with twice the room (first items when it has none), *cap
 * updated.  NULL, with items and *cap unchanged, when memory runs out or
 * the size would overflow. */
void *array_grow(void *items, size_t *cap, size_t elem, size_t first);
/* The contents as a C string; "" for an empty buffer.  Never NULL. */
const char *sb_str(const struct strbuf *sb);
bool sb_failed(const struct strbuf *sb);

/*
 * Copies src into the fixed field dst of size bytes, cutting it to
 * size - 1 bytes; returns false when it had to cut.  For the fixed-size
 * fields of the ABI's struct request_info.
 */
bool str_copy_field(char *dst, size_t size, const char *src);

#endif
