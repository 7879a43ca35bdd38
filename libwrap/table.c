/*
 * table.c - reading rule files.
 *
 * Exports xgets() (Debian's fgets-based reader, kept for programs that
 * call it) and the table_* and line_iter_* functions of table.h, which
 * the library itself uses: whole-file reads and logical lines without
 * length limits.  Read errors are returned, never logged here.
 */
#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "tcpd.h"

enum table_status table_read(const char *path, struct table_text *out)
{
    struct strbuf sb = STRBUF_INIT;
    size_t want = 0;
    int fd, saved;
    ssize_t n;

    out->data = NULL;
    out->size = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return errno == ENOENT ? TABLE_MISSING : TABLE_ERROR;
    if (fstat(fd, &out->st) != 0)
        goto fail;
    /* A regular file is read in one go: its size is known, and a file
     * that grows meanwhile shows a new size at the next stat(). */
    if (S_ISREG(out->st.st_mode) &&
        (uintmax_t)out->st.st_size < SIZE_MAX - TABLE_PADDING - 1)
        want = (size_t)out->st.st_size;
    for (;;) {
        if (!sb_reserve(&sb, want > sb.len ? want - sb.len + TABLE_PADDING
                                           : 65536)) {
            errno = ENOMEM;
            goto fail;
        }
        if (want != 0 && sb.len >= want)
            break;
        n = read(fd, sb.data + sb.len, sb.cap - sb.len - 1);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* Debian's fgets() on a directory simply sees no lines. */
            if (errno == EISDIR)
                break;
            goto fail;
        }
        sb.len += (size_t)n;
        sb.data[sb.len] = '\0';
    }
    close(fd);
    if (!sb_reserve(&sb, TABLE_PADDING)) {
        sb_free(&sb);
        errno = ENOMEM;
        return TABLE_ERROR;
    }
    memset(sb.data + sb.len, 0, TABLE_PADDING);
    out->data = sb.data;
    out->size = sb.len;
    out->has_nul = memchr(out->data, '\0', out->size) != NULL;
    return TABLE_OK;
fail:
    saved = errno;
    close(fd);
    sb_free(&sb);
    errno = saved;
    return TABLE_ERROR;
}

void table_text_free(struct table_text *t)
{
    free(t->data);
    t->data = NULL;
    t->size = 0;
}

void line_iter_init(struct line_iter *it, const struct table_text *t)
{
    line_iter_at(it, t, 0, 0);
}

void line_iter_at(struct line_iter *it, const struct table_text *t,
                  size_t offset, int newlines)
{
    it->p = t->data + offset;
    it->end = t->data + t->size;
    it->has_nul = t->has_nul;
    it->newlines = newlines;
}

bool line_iter_next(struct line_iter *it, struct strbuf *scratch,
                    struct logical_line *out)
{
    bool joined = false;

    sb_reset(scratch);
    while (it->p < it->end) {
        const char *start = it->p;
        const char *nl = memchr(start, '\n', (size_t)(it->end - start));
        const char *stop = nl != NULL ? nl + 1 : it->end;
        const char *nul = it->has_nul
            ? memchr(start, '\0', (size_t)(stop - start)) : NULL;
        size_t len;

        it->p = stop;
        if (nul != NULL) {
            /* The reader sees text up to the NUL and no newline: the
             * next physical line is appended at that point. */
            if (!sb_append(scratch, start, (size_t)(nul - start)))
                return false;
            joined = true;
            continue;
        }
        len = (size_t)(stop - start);
        if (nl == NULL) {
            /* Final line without a newline; a trailing backslash joins
             * it with the (empty) rest of the file. */
            if (len > 0 && start[len - 1] == '\\')
                len--;
            if (!joined && len == 0)
                return false;
            out->unterminated = true;
            out->lineno = it->newlines + 1;
            if (!joined) {
                out->text = start;
                out->len = len;
                return true;
            }
            if (!sb_append(scratch, start, len))
                return false;
            out->text = scratch->data;
            out->len = scratch->len;
            return true;
        }
        it->newlines++;
        if (len >= 2 && start[len - 2] == '\\') {
            if (!sb_append(scratch, start, len - 2))
                return false;
            joined = true;
            continue;
        }
        out->unterminated = false;
        out->lineno = it->newlines;
        if (!joined) {
            out->text = start;
            out->len = len;
            return true;
        }
        if (!sb_append(scratch, start, len))
            return false;
        out->text = scratch->data;
        out->len = scratch->len;
        return true;
    }
    if (joined) {
        /* The file ended inside a joined line. */
        out->unterminated = true;
        out->lineno = it->newlines + 1;
        out->text = sb_str(scratch);
        out->len = scratch->len;
        return scratch->len > 0;
    }
    return false;
}

/*
 * Reads a logical line into buf as Debian's reader does: continued lines
 * are joined, tcpd_context.line counts newlines, and a line that does not
 * fit (or ends without a newline) is returned without its newline.
 */
LIBWRAP_API char *xgets(char *buf, int len, FILE *fp)
{
    char *ptr = buf;
    size_t got;

    while (len > 1 && fgets(ptr, len, fp) != NULL) {
        got = strlen(ptr);
        if (got >= 1 && ptr[got - 1] == '\n') {
            tcpd_context.line++;
            if (got >= 2 && ptr[got - 2] == '\\') {
                got -= 2;
            } else {
                return buf;
            }
        }
        ptr += got;
        len -= (int)got;
        ptr[0] = '\0';
    }
    return ptr > buf ? buf : NULL;
}
