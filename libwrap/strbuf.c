/*
 * strbuf.c - growable strings, and growing arrays.
 *
 * Exports the sb_* functions and array_grow() of strbuf.h.  All size
 * computations check for overflow; a failed allocation marks the buffer
 * failed and keeps its old contents, so no caller ever sees a truncated
 * string by accident.
 */
#include "strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(struct strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

void sb_free(struct strbuf *sb)
{
    free(sb->data);
    sb_init(sb);
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->data != NULL)
        sb->data[0] = '\0';
    sb->failed = false;
}

bool sb_grow(struct strbuf *sb, size_t n)
{
    size_t need, cap;
    char *p;

    if (sb->failed)
        return false;
    if (n > SIZE_MAX - sb->len - 1)
        goto fail;
    need = sb->len + n + 1;
    if (need <= sb->cap)
        return true;
    cap = sb->cap < 64 ? 64 : sb->cap;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(sb->data, cap);
    if (p == NULL)
        goto fail;
    if (sb->data == NULL)
        p[0] = '\0';
    sb->data = p;
    sb->cap = cap;
    return true;
fail:
    sb->failed = true;
    return false;
}

void *array_grow(void *items, size_t *cap, size_t elem, size_t first)
{
    size_t n = *cap == 0 ? first : *cap;
    void *p;

    if (elem == 0 || n > SIZE_MAX / 2 / elem)
        return NULL;
    if (*cap != 0)
        n *= 2;
    p = realloc(items, n * elem);
    if (p != NULL)
        *cap = n;
    return p;
}

bool sb_append(struct strbuf *sb, const char *s, size_t n)
{
    if (!sb_reserve(sb, n))
        return false;
    if (n > 0)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return true;
}

bool sb_puts(struct strbuf *sb, const char *s)
{
    return sb_append(sb, s, strlen(s));
}

bool sb_putc(struct strbuf *sb, char c)
{
    return sb_append(sb, &c, 1);
}

bool sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (n < 0 || !sb_reserve(sb, (size_t)n)) {
        sb->failed = true;
        return false;
    }
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
    return true;
}

bool sb_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    bool ok;

    va_start(ap, fmt);
    ok = sb_vprintf(sb, fmt, ap);
    va_end(ap);
    return ok;
}

const char *sb_str(const struct strbuf *sb)
{
    return sb->data != NULL ? sb->data : "";
}

bool sb_failed(const struct strbuf *sb)
{
    return sb->failed;
}

bool str_copy_field(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    bool whole = n < size;

    if (size == 0)
        return false;
    if (!whole)
        n = size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
    return whole;
}
