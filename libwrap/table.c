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
#include <sys/xattr.h>
#include <unistd.h>

#include "common.h"
#include "resource.h"
#include "tcpd.h"

/* The most read from a file whose size stat() does not give (a device, a
 * pipe): /dev/zero must not fill memory. */
enum { TABLE_STREAM_MAX = 16 << 20 };

bool table_is_racy(const struct stat *st, const struct timespec *now)
{
    const struct timespec *newest =
        st->st_ctim.tv_sec > st->st_mtim.tv_sec ? &st->st_ctim : &st->st_mtim;

    return now->tv_sec - newest->tv_sec <= TABLE_RACY_SECONDS;
}

enum table_status table_open_status(int err)
{
    if (err == ENOENT)
        return TABLE_MISSING;
    return resource_errno(err) ? TABLE_ERROR : TABLE_UNREADABLE;
}

/* True when no change of credentials can take read access to the open
 * file away: read permission for every class and no access ACL (one
 * that cannot be checked counts as present). */
static bool readable_by_anyone(int fd, const struct stat *st)
{
    if ((st->st_mode & 0444) != 0444)
        return false;
    if (fgetxattr(fd, "system.posix_acl_access", NULL, 0) >= 0)
        return false;
    return errno == ENODATA || errno == ENOTSUP;
}

/*
 * Opening does not wait (O_NONBLOCK): a FIFO without a writer reads as
 * empty, one whose writer has nothing to say yet fails with EAGAIN, where
 * Debian's fopen() would hang the caller.
 */
/* True when a file changed between two fstat() calls. */
static bool changed(const struct stat *a, const struct stat *b)
{
    return a->st_size != b->st_size || a->st_ino != b->st_ino ||
           a->st_mtim.tv_sec != b->st_mtim.tv_sec ||
           a->st_mtim.tv_nsec != b->st_mtim.tv_nsec ||
           a->st_ctim.tv_sec != b->st_ctim.tv_sec ||
           a->st_ctim.tv_nsec != b->st_ctim.tv_nsec;
}

/* Reads the rest of fd into sb: want bytes of a file of known size
 * (0: unknown, bounded by TABLE_STREAM_MAX).  False with errno set. */
static bool read_all(int fd, struct strbuf *sb, size_t want)
{
    ssize_t n;

    for (;;) {
        if (want != 0 && sb->len >= want)
            return true;
        if (want == 0 && sb->len > TABLE_STREAM_MAX) {
            errno = EFBIG;
            return false;
        }
        /* Room for the rest of a file of known size; otherwise 256
         * bytes to start with, doubling (an empty file, the usual
         * hosts.allow, costs no fresh page of memory). */
        if (!sb_reserve(sb, want != 0       ? want - sb->len + TABLE_PADDING
                            : sb->len < 256 ? 256
                                            : sb->len)) {
            errno = ENOMEM;
            return false;
        }
        n = read(fd, sb->data + sb->len, sb->cap - sb->len - 1);
        if (n == 0)
            return true;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            /* Debian's fgets() on a directory simply sees no lines. */
            return errno == EISDIR;
        }
        sb->len += (size_t)n;
        sb->data[sb->len] = '\0';
    }
}

/* Times a file rewritten in place is read again to get one whole
 * version of it. */
enum { READ_ATTEMPTS = 3 };

/*
 * Reads the rest of fd, whose fstat() is *st, into sb.  A regular file
 * that changes while it is read (rewritten in place) is read again, so
 * that what is read is one version of it; if it keeps changing, the last
 * read is kept with the identity the file had before it (*st), so that
 * the next stat() sees a change.  False with errno set.
 */
static bool read_version(int fd, struct stat *st, struct strbuf *sb)
{
    struct stat after;
    size_t want;
    int attempt;

    for (attempt = 1;; attempt++) {
        /* A regular file is read in one go: its size is known. */
        want = 0;
        if (S_ISREG(st->st_mode) &&
            (uintmax_t)st->st_size < SIZE_MAX - TABLE_PADDING - 1)
            want = (size_t)st->st_size;
        if (!read_all(fd, sb, want))
            return false;
        if (!S_ISREG(st->st_mode) || fstat(fd, &after) != 0 ||
            (!changed(st, &after) && (size_t)after.st_size == sb->len))
            return true;
        if (attempt == READ_ATTEMPTS || lseek(fd, 0, SEEK_SET) != 0)
            return true;
        *st = after;
        sb_reset(sb);
    }
}

/*
 * Opening does not wait (O_NONBLOCK): a FIFO without a writer reads as
 * empty, one whose writer has nothing to say yet fails with EAGAIN, where
 * Debian's fopen() would hang the caller.  A regular file that changes
 * while it is read (rewritten in place) is read again, so that what is
 * returned is one version of it; if it keeps changing, the last read is
 * returned with the identity the file had before it, so that the next
 * stat() sees a change.
 */
enum table_status table_read(const char *path, struct table_text *out)
{
    struct strbuf sb = STRBUF_INIT;
    int fd, saved;

    out->data = NULL;
    out->size = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return table_open_status(errno);
    if (fstat(fd, &out->st) != 0)
        goto fail;
    out->any_reader = readable_by_anyone(fd, &out->st);
    if (!read_version(fd, &out->st, &sb))
        goto fail;
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

enum { STREAM_CHUNK = 65536 };

/* Only regular files are streamed: anything else (a FIFO, a device) is
 * read whole by table_read(), within its bounds, and handed out from
 * memory. */
enum table_status table_stream_open(const char *path, struct table_stream *ts,
                                    bool check_readers)
{
    struct table_text whole;
    enum table_status status;
    int saved;

    memset(ts, 0, sizeof(*ts));
    sb_init(&ts->buf);
    ts->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (ts->fd < 0)
        return table_open_status(errno);
    if (fstat(ts->fd, &ts->st) != 0) {
        saved = errno;
        close(ts->fd);
        ts->fd = -1;
        errno = saved;
        return TABLE_ERROR;
    }
    if (S_ISREG(ts->st.st_mode)) {
        ts->any_reader = check_readers && readable_by_anyone(ts->fd, &ts->st);
        if (ts->st.st_size >= STREAM_CHUNK / 2)
            return TABLE_OK;
        /* A small file is read at once, as one version of it (a file
         * rewritten in place as it is read is read again). */
        if (!read_version(ts->fd, &ts->st, &ts->buf)) {
            saved = errno;
            table_stream_close(ts);
            errno = saved;
            return TABLE_ERROR;
        }
        close(ts->fd);
        ts->fd = -1;
        ts->eof = true;
        return TABLE_OK;
    }
    close(ts->fd);
    ts->fd = -1;
    ts->eof = true;
    status = table_read(path, &whole);
    if (status != TABLE_OK)
        return status;
    ts->st = whole.st;
    ts->any_reader = check_readers && whole.any_reader;
    if (!sb_append(&ts->buf, whole.data, whole.size)) {
        table_text_free(&whole);
        sb_free(&ts->buf);
        errno = ENOMEM;
        return TABLE_ERROR;
    }
    table_text_free(&whole);
    return TABLE_OK;
}

/* Reads one more chunk; false at the end of the file or on an error
 * (*error set). */
static bool stream_read(struct table_stream *ts, int *error)
{
    size_t want = STREAM_CHUNK;
    ssize_t n;

    if (ts->fd < 0) {
        /* Read whole when it was opened. */
        ts->eof = true;
        return false;
    }
    if (!sb_reserve(&ts->buf, want + TABLE_PADDING)) {
        *error = ENOMEM;
        return false;
    }
    do {
        n = read(ts->fd, ts->buf.data + ts->buf.len, want);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EISDIR) {
        *error = errno;
        return false;
    }
    if (n <= 0) {
        /* The end (Debian's fgets() on a directory sees no lines). */
        ts->eof = true;
        return false;
    }
    ts->buf.len += (size_t)n;
    return true;
}

/* The end of the last whole logical line in buf[0..len), or 0: after a
 * newline that no backslash continues. */
static size_t last_line_end(const char *buf, size_t len)
{
    const char *nl;

    while (len > 0 && (nl = memrchr(buf, '\n', len)) != NULL) {
        len = (size_t)(nl - buf);
        if (len == 0 || buf[len - 1] != '\\')
            return len + 1;
    }
    return 0;
}

bool table_stream_next(struct table_stream *ts, struct table_text *piece,
                       int *error)
{
    struct strbuf *b = &ts->buf;
    size_t end, checked = 0;

    *error = 0;
    piece->has_nul = false;
    if (ts->given > 0) {
        memmove(b->data, b->data + ts->given, b->len - ts->given);
        b->len -= ts->given;
        ts->given = 0;
    }
    for (;;) {
        if (b->len > checked &&
            memchr(b->data + checked, '\0', b->len - checked) != NULL) {
            /* A NUL joins lines in ways pieces cannot follow: the rest
             * of the file goes out whole. */
            while (stream_read(ts, error))
                ;
            end = b->len;
            piece->has_nul = true;
            break;
        }
        checked = b->len;
        end = last_line_end(b->data, b->len);
        if (end > 0)
            break;
        if (ts->eof || !stream_read(ts, error)) {
            end = b->len; /* the rest: a line without its newline */
            break;
        }
    }
    /* Zeros after the data, for scanners that read whole words. */
    if (*error != 0)
        return false;
    if (end == 0)
        return false;
    if (!sb_reserve(b, TABLE_PADDING)) {
        *error = ENOMEM;
        return false;
    }
    if (end == b->len)
        memset(b->data + b->len, 0, TABLE_PADDING);
    piece->data = b->data;
    piece->size = end;
    piece->st = ts->st;
    ts->given = end;
    return true;
}

bool table_stream_rewind(struct table_stream *ts)
{
    if (ts->fd < 0 || lseek(ts->fd, 0, SEEK_SET) != 0)
        return false;
    sb_reset(&ts->buf);
    ts->given = 0;
    ts->eof = false;
    return true;
}

void table_stream_close(struct table_stream *ts)
{
    if (ts->fd >= 0)
        close(ts->fd);
    ts->fd = -1;
    sb_free(&ts->buf);
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

/* A joined line, with the TABLE_PADDING zero bytes after it that the
 * lexer may read (as after a table's text). */
static bool padded(struct strbuf *scratch, struct logical_line *out)
{
    if (!sb_reserve(scratch, TABLE_PADDING))
        return false;
    memset(scratch->data + scratch->len, 0, TABLE_PADDING);
    out->text = scratch->data;
    out->len = scratch->len;
    return true;
}

/* Ends the logical line with its last physical piece, len bytes at
 * start: the piece itself when nothing was joined before it, or else
 * the scratch buffer with the piece appended. */
static bool line_end(struct strbuf *scratch, bool joined, const char *start,
                     size_t len, struct logical_line *out)
{
    if (!joined) {
        out->text = start;
        out->len = len;
        return true;
    }
    return sb_append(scratch, start, len) && padded(scratch, out);
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
        const char *nul =
            it->has_nul ? memchr(start, '\0', (size_t)(stop - start)) : NULL;
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
            return line_end(scratch, joined, start, len, out);
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
        return line_end(scratch, joined, start, len, out);
    }
    if (joined) {
        /* The file ended inside a joined line. */
        out->unterminated = true;
        out->lineno = it->newlines + 1;
        return scratch->len > 0 && padded(scratch, out);
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

    if (buf == NULL || fp == NULL)
        return NULL;
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
