/*
 * image.c - building and checking compiled images.
 *
 * Exports the image_* functions of image.h.  The builder appends records
 * to one growing buffer whose first bytes are the header, so an offset
 * handed out stays valid however the buffer moves.  image_open() is the
 * loader's whole trust check: everything it does not check is checked
 * where it is used.
 */
#include "image.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"

void image_builder_init(struct image_builder *b)
{
    memset(b, 0, sizeof(*b));
    sb_init(&b->buf);
    if (!sb_reserve(&b->buf, sizeof(struct image_header) + 1)) {
        b->failed = true;
        return;
    }
    memset(b->buf.data, 0, sizeof(struct image_header) + 1);
    b->buf.len = sizeof(struct image_header);
}

void image_builder_reset(struct image_builder *b)
{
    if (b->buf.data == NULL || b->buf.cap <= sizeof(struct image_header)) {
        image_builder_free(b);
        image_builder_init(b);
        return;
    }
    /* The header is filled in when an image is finished; a scratch image
     * never has one. */
    b->buf.len = sizeof(struct image_header);
    b->buf.failed = false;
    b->n_pending = 0;
    b->text_base = NULL;
    b->failed = false;
}

void image_builder_free(struct image_builder *b)
{
    sb_free(&b->buf);
    free(b->pending);
    memset(b, 0, sizeof(*b));
}

uint32_t image_reserve_slow(struct image_builder *b, size_t n)
{
    size_t off = (b->buf.len + 3) & ~(size_t)3;

    if (b->failed || b->buf.len == 0 || off > UINT32_MAX - 8 ||
        n > UINT32_MAX - 8 - off ||
        !sb_reserve(&b->buf, off - b->buf.len + n)) {
        b->failed = true;
        return 0;
    }
    /* Zeros for the padding and the record; a NUL after, as a strbuf. */
    memset(b->buf.data + b->buf.len, 0, off - b->buf.len + n + 1);
    b->buf.len = off + n;
    return (uint32_t)off;
}

uint32_t image_put(struct image_builder *b, const void *data, size_t n)
{
    uint32_t off = image_reserve(b, n);

    if (off != 0)
        memcpy(b->buf.data + off, data, n);
    return off;
}

uint32_t image_put_string(struct image_builder *b, const char *s, size_t n)
{
    size_t off = b->buf.len;

    if (b->failed || off == 0 || off > UINT32_MAX - 8 ||
        n > UINT32_MAX - 8 - off || !sb_reserve(&b->buf, n + 1)) {
        b->failed = true;
        return 0;
    }
    memcpy(b->buf.data + off, s, n);
    b->buf.data[off + n] = '\0';
    b->buf.len = off + n + 1;
    b->buf.data[b->buf.len] = '\0';
    return (uint32_t)off;
}

uint32_t image_put_text(struct image_builder *b, const char *s, size_t n,
                        unsigned *flags)
{
    uint32_t len, off;

    if (n <= UINT16_MAX)
        return image_put_string(b, s, n);
    if (n > UINT32_MAX - 8) {
        b->failed = true;
        return 0;
    }
    len = (uint32_t)n;
    off = image_put(b, &len, sizeof(len));
    if (off == 0 || image_put_string(b, s, n) != off + sizeof(len))
        return 0;
    *flags |= PATTERN_LONG;
    return off;
}

uint32_t image_put_bytes(struct image_builder *b, const void *data, size_t n)
{
    size_t off = b->buf.len;

    if (b->failed || off == 0 || off > UINT32_MAX - 8 ||
        n > UINT32_MAX - 8 - off || !sb_reserve(&b->buf, n)) {
        b->failed = true;
        return 0;
    }
    memcpy(b->buf.data + off, data, n);
    b->buf.len = off + n;
    b->buf.data[b->buf.len] = '\0';
    return (uint32_t)off;
}

const char *image_pattern_span(const struct image *im,
                               const struct image_pattern *p, size_t *len)
{
    if (p->flags & PATTERN_LONG)
        return image_pattern_text(im, p, len);
    *len = p->len;
    return (const char *)image_bytes(im, p->value, p->len);
}

const char *image_pattern_text(const struct image *im,
                               const struct image_pattern *p, size_t *len)
{
    const uint32_t *long_len;

    if (!(p->flags & PATTERN_LONG)) {
        *len = p->len;
        return image_string(im, p->value, p->len);
    }
    if ((long_len = image_at(im, p->value, sizeof(*long_len))) == NULL)
        return NULL;
    *len = *long_len;
    return image_string(im, p->value + 4, *long_len);
}

/* The NUL-terminated string at off, or NULL when it runs past the end. */
static const char *image_cstring(const struct image *im, uint32_t off)
{
    const unsigned char *s;
    size_t n, want;

    if (!image_fits(im, off, 1))
        return NULL;
    n = im->size - off;
    /* Through a reader, a little first: most strings are short. */
    for (want = 256; want < n; want *= 8) {
        if ((s = image_bytes(im, off, want)) == NULL)
            return NULL;
        if (memchr(s, '\0', want) != NULL)
            return (const char *)s;
    }
    s = image_bytes(im, off, n);
    return s != NULL && memchr(s, '\0', n) != NULL ? (const char *)s : NULL;
}

const char *image_rule_options(const struct image *im,
                               const struct image_rule *rule, bool *corrupt)
{
    const struct image_list *l;
    const uint32_t *off;
    const char *text = NULL;

    *corrupt = false;
    if (!(image_rule_flags(rule) & IMAGE_RULE_OPTIONS))
        return NULL;
    /* The option field's offset follows the client list's records. */
    if ((l = image_list(im, rule->clients)) == NULL ||
        (off = image_at(im,
                        rule->clients + (uint32_t)sizeof(*l) +
                            l->count * (uint32_t)sizeof(struct image_pattern),
                        sizeof(*off))) == NULL ||
        (text = image_cstring(im, *off)) == NULL)
        *corrupt = true;
    return text;
}

void image_source_set(struct image_source *src, const struct stat *st,
                      const struct timespec *read_at, bool any_reader,
                      bool racy)
{
    memset(src, 0, sizeof(*src));
    src->dev = (uint64_t)st->st_dev;
    src->ino = (uint64_t)st->st_ino;
    src->size = (int64_t)st->st_size;
    src->mtime_sec = (int64_t)st->st_mtim.tv_sec;
    src->mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
    src->ctime_sec = (int64_t)st->st_ctim.tv_sec;
    src->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
    src->read_sec = (int64_t)read_at->tv_sec;
    src->read_nsec = (uint32_t)read_at->tv_nsec;
    src->mode = (uint32_t)st->st_mode;
    src->uid = (uint32_t)st->st_uid;
    src->gid = (uint32_t)st->st_gid;
    src->flags =
        (any_reader ? SOURCE_ANY_READER : 0) | (racy ? SOURCE_RACY : 0);
}

const struct image_list *image_list(const struct image *im, uint32_t off)
{
    const struct image_list *l = image_at(im, off, sizeof(*l));

    if (l == NULL || (size_t)l->count > (im->size - off - sizeof(*l)) /
                                            sizeof(struct image_pattern))
        return NULL;
    return image_at(im, off,
                    sizeof(*l) + l->count * sizeof(struct image_pattern));
}

/* ---- reading through a reader ---- */

void image_reader_init(struct image_reader *rd, int fd)
{
    rd->fd = fd;
    rd->used = 0;
    rd->n_chunks = 0;
}

void image_reader_end(struct image_reader *rd)
{
    if (rd->fd >= 0)
        close(rd->fd);
    rd->fd = -1;
}

/* Bytes read at once: a record and what usually follows it. */
#define READ_AHEAD 256

const unsigned char *image_read(const struct image *im, uint32_t off, size_t n)
{
    struct image_reader *rd = im->reader;
    const unsigned char *buf = (const unsigned char *)rd->buf;
    size_t i, start, end, len;
    ssize_t got;

    for (i = 0; i < rd->n_chunks; i++) {
        if (off >= rd->chunk[i].off &&
            off + n <= (size_t)rd->chunk[i].off + rd->chunk[i].len)
            return buf + rd->chunk[i].pos + (off - rd->chunk[i].off);
    }
    /* From a 64-byte boundary, so that records keep their alignment. */
    start = off & ~(size_t)63;
    end = off + n > start + READ_AHEAD ? off + n : start + READ_AHEAD;
    end = (end + 63) & ~(size_t)63;
    if (end > im->size)
        end = im->size;
    len = end - start;
    if (rd->n_chunks == IMAGE_READER_CHUNKS ||
        len > sizeof(rd->buf) - rd->used)
        return im->base != NULL ? im->base + off : NULL;
    do
        got = pread(rd->fd, (unsigned char *)rd->buf + rd->used, len,
                    (off_t)start);
    while (got < 0 && errno == EINTR);
    if (got < 0 || (size_t)got != len)
        return NULL;
    rd->chunk[rd->n_chunks].off = (uint32_t)start;
    rd->chunk[rd->n_chunks].len = (uint32_t)len;
    rd->chunk[rd->n_chunks].pos = (uint32_t)rd->used;
    rd->n_chunks++;
    rd->used += (len + 7) & ~(size_t)7;
    if (rd->used > sizeof(rd->buf))
        rd->used = sizeof(rd->buf);
    return buf + rd->chunk[rd->n_chunks - 1].pos + (off - start);
}

/* ---- the loader's checks ---- */

bool image_check(const struct image *im, const struct image_header *h,
                 uint32_t kind)
{
    const char *path;

    if (im->size < sizeof(*h) || im->size > UINT32_MAX)
        return false;
    if (memcmp(h->magic, IMAGE_MAGIC, sizeof(h->magic)) != 0 ||
        h->version != IMAGE_VERSION || h->abi != IMAGE_ABI ||
        h->size != im->size || (kind != 0 && h->kind != kind) ||
        (h->kind != IMAGE_TABLE && h->kind != IMAGE_LIST))
        return false;
    if ((path = image_string(im, h->path, h->path_len)) == NULL ||
        strlen(path) != h->path_len)
        return false;
    if (h->kind == IMAGE_TABLE) {
        if ((size_t)h->n_rules > im->size / sizeof(struct image_rule) ||
            (h->n_rules > 0 &&
             (h->rules % 4 != 0 ||
              !image_fits(im, h->rules,
                          (size_t)h->n_rules * sizeof(struct image_rule)))))
            return false;
        if (h->index != 0 && !index_check(im, h))
            return false;
    } else if (image_list(im, h->rules) == NULL || h->index != 0) {
        return false;
    }
    return true;
}

const struct image_header *image_open(struct image *im, const void *base,
                                      size_t size, uint32_t kind)
{
    const struct image_header *h = base;

    im->base = base;
    im->size = size;
    im->reader = NULL;
    if (size < sizeof(*h) || (uintptr_t)base % 8 != 0 ||
        !image_check(im, h, kind))
        return NULL;
    return h;
}
