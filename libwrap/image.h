/*
 * image.h - the compiled form of one rule file, position-independent.
 *
 * A table (hosts.allow, hosts.deny, or a path a program set) or a /file
 * host list compiles into one contiguous image: integers in the
 * machine's byte order, 4-byte aligned, and offsets from the start of
 * the image instead of pointers, so that the same bytes serve the
 * process that compiled them and every process that maps them read-only
 * from /run/libwrap (store.h).  The layout:
 *
 *   header       struct image_header: magic, version, ABI tag, size,
 *                the source file's identity, where the rest is
 *   strings      NUL-terminated, referred to by offset and length
 *   lists        struct image_list: a count, then pattern records
 *   rules        struct image_rule[n_rules] (a table), or the one list
 *                of host patterns (a /file list)
 *   index        struct image_index and its arrays (a table; index.h)
 *
 * Nothing in an image is trusted.  image_open() checks the header, the
 * source record, the path and the bounds of every section before first
 * use; every record is then reached through image_at() or
 * image_string(), which check its offset, length and alignment against
 * the image's size.  A truncated, overlapping or hostile image can make
 * an evaluation fail (the caller then decides from the text), but never
 * read outside the image.
 *
 * DIAGNOSTICS: none; a bad image is refused without a word, since the
 * text gives the same decisions.
 */
#ifndef LIBWRAP_IMAGE_H
#define LIBWRAP_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

#include "strbuf.h"

#define IMAGE_MAGIC   "LWRAPIM" /* with its NUL: 8 bytes */
#define IMAGE_VERSION 1

/* Byte order, word size and architecture the image is for. */
#define IMAGE_ABI                                                             \
    ((uint32_t)(0x4c570000u | (sizeof(long) << 8) |                           \
                (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 1u : 2u) |       \
                (IMAGE_ARCH << 4)))
#if defined(__x86_64__)
#define IMAGE_ARCH 1u
#elif defined(__aarch64__)
#define IMAGE_ARCH 2u
#elif defined(__i386__)
#define IMAGE_ARCH 3u
#else
#define IMAGE_ARCH 15u
#endif

enum image_kind {
    IMAGE_TABLE = 1, /* rules */
    IMAGE_LIST = 2,  /* the words of a /file host list */
};

/* The file an image was compiled from, as stat() saw it then. */
struct image_source {
    uint64_t dev, ino;
    int64_t size;
    int64_t mtime_sec, ctime_sec;
    int64_t read_sec; /* when it was read */
    uint32_t mtime_nsec, ctime_nsec, read_nsec;
    uint32_t mode, uid, gid;
    uint32_t flags; /* SOURCE_* */
    uint32_t pad;
};

enum {
    SOURCE_ANY_READER = 1, /* every process may read it (table_text) */
    SOURCE_RACY = 2,       /* changed too shortly before it was read for
                              stat() to vouch for it (cache.h) */
};

struct image_header {
    char magic[8];
    uint32_t version;
    uint32_t abi;
    uint64_t size;  /* bytes in the image */
    uint32_t kind;  /* enum image_kind */
    uint32_t flags; /* IMAGE_* below */
    uint64_t seed;  /* the index's hash seed */
    struct image_source source;
    uint32_t path, path_len; /* the source's path */
    uint32_t rules;          /* IMAGE_TABLE: struct image_rule[n_rules];
                                IMAGE_LIST: one struct image_list */
    uint32_t n_rules;
    uint32_t index; /* struct image_index, or 0 */
    uint32_t reserved[5];
};

enum {
    IMAGE_HAS_NUL = 1, /* the text held a NUL byte (see table.h) */
};

/*
 * One rule: a logical line that is neither blank nor a comment (or the
 * last line, unterminated, which warns even when it is one).  With
 * IMAGE_RULE_OPTIONS, the offset of the option field (NUL-terminated, up to
 * and with the line's newline) follows the client list's records.
 */
struct image_rule {
    uint32_t line;    /* IMAGE_RULE_* flags and Debian's line number */
    uint32_t daemons; /* struct image_list, or 0 */
    uint32_t clients; /* struct image_list, or 0 */
};

/* The flags in the top bits of a rule's line. */
enum {
    IMAGE_RULE_NO_COLON = 1u << 28,     /* no ':' after the daemon list */
    IMAGE_RULE_UNTERMINATED = 1u << 29, /* the last line, no newline (D2) */
    IMAGE_RULE_COMMENT = 1u << 30,      /* no rule: only the warning above */
    IMAGE_RULE_OPTIONS = 1u << 31,      /* an option field follows the
                                           client list */
};

/* A table of more lines than this does not compile (it is streamed). */
#define IMAGE_MAX_LINE ((1u << 28) - 1)

/* A rule's line number and flags. */
static inline int image_rule_line(const struct image_rule *r)
{
    return (int)(r->line & IMAGE_MAX_LINE);
}
static inline uint32_t image_rule_flags(const struct image_rule *r)
{
    return r->line & ~(uint32_t)IMAGE_MAX_LINE;
}

/* What a pattern is, decided once by the classifier (pattern.h). */
enum pattern_kind {
    PAT_EXCEPT = 1,
    /* Compared as strings (Debian's string match), with "::ffff:"
     * stripped from what they meet: */
    PAT_EXACT,    /* any case */
    PAT_PREFIX,   /* "192.0.2." */
    PAT_SUFFIX,   /* ".example.com" */
    PAT_WILDCARD, /* '*' and '?' */
    PAT_ALL,
    PAT_KNOWN,      /* a daemon or user other than "unknown" */
    PAT_V6_LITERAL, /* "[2001:db8::1]": value is the address, if valid */
    /* Daemon names: */
    PAT_PORT, /* value: the server's port */
    /* Host patterns: */
    PAT_NETGROUP,   /* "@group": the name, looked up */
    PAT_FILE,       /* "/path": a host list */
    PAT_HOST_KNOWN, /* name and address known */
    PAT_LOCAL,      /* a known name without a dot */
    PAT_NET4,       /* value: network, len: mask (network order) */
    PAT_NET6,       /* value: offset of 16 address bytes and the length */
    PAT_NET_NONE,   /* a net/mask that reads the address, never matches */
};

enum {
    PATTERN_NAME = 1,         /* a host string pattern also compared with
                                 the host's name (not only 0-9 . /) */
    PATTERN_HOST_FOLLOWS = 2, /* a daemon or user part: its host pattern
                                 is the next record */
    PATTERN_V6_VALID = 4,     /* PAT_V6_LITERAL: the address parses */
    PATTERN_LONG = 8,         /* the string is longer than 65535 bytes:
                                 value is a 4-byte length, then the text */
};

/*
 * One pattern.  A string pattern's value is the offset of its text
 * (len bytes and a NUL).  PAT_PORT's value is the port; PAT_NET4's the
 * offset of the network and mask (network order), PAT_NET6's of 16
 * address bytes and a 4-byte prefix length, a valid PAT_V6_LITERAL's of
 * 16 address bytes.
 */
struct image_pattern {
    uint8_t kind;
    uint8_t flags;
    uint16_t len;
    uint32_t value;
};

/* What PAT_NET4 and PAT_NET6 point at. */
struct image_net4 {
    uint32_t net, mask;
};
struct image_net6 {
    unsigned char addr[16];
    uint32_t bits;
};

struct image_list {
    uint32_t count; /* pattern records that follow */
    struct image_pattern item[];
};

/*
 * Reads an image's records with pread() instead of through its mapping,
 * for the decision that mapped it.  Most processes decide once, and the
 * first touch of each page of a mapping is a page fault, which costs far
 * more than reading the few hundred bytes a decision needs (on a virtual
 * machine, tens of microseconds against one or two).  The records read
 * stay in buf for the reader's life, so every pointer handed out stays
 * valid; once buf is full, records come from the mapping.
 */
#define IMAGE_READER_BYTES  3072
#define IMAGE_READER_CHUNKS 24
struct image_reader {
    int fd;      /* the image's file; -1: read the mapping */
    size_t used; /* bytes of buf filled */
    size_t n_chunks;
    struct {
        uint32_t off, len; /* a range of the image, at buf + pos */
        uint32_t pos;
    } chunk[IMAGE_READER_CHUNKS];
    uint64_t buf[IMAGE_READER_BYTES / 8];
};

/* A mapped or built image, read through its reader when it has one. */
struct image {
    const unsigned char *base;
    size_t size;
    struct image_reader *reader; /* NULL: read base */
};

/* Starts a reader over the image file open as fd (or -1: none). */
void image_reader_init(struct image_reader *rd, int fd);
/* Closes the reader's file. */
void image_reader_end(struct image_reader *rd);
/* The n bytes at off through the reader (image_bytes() checked the
 * bounds), or NULL when they cannot be read. */
const unsigned char *image_read(const struct image *im, uint32_t off,
                                size_t n);

/* True when the n bytes at off are wholly inside the image. */
static inline bool image_fits(const struct image *im, uint32_t off, size_t n)
{
    return off != 0 && off <= im->size && n <= im->size - off;
}

/* The n bytes at off, wherever they may start, or NULL when they are
 * not wholly inside the image (offset 0 is the header, never a record). */
static inline const unsigned char *image_bytes(const struct image *im,
                                               uint32_t off, size_t n)
{
    if (!image_fits(im, off, n))
        return NULL;
    if (im->reader != NULL && im->reader->fd >= 0)
        return image_read(im, off, n);
    return im->base + off;
}

/*
 * The record of n bytes at off, or NULL when it is not wholly inside the
 * image or not 4-byte aligned.
 */
static inline const void *image_at(const struct image *im, uint32_t off,
                                   size_t n)
{
    return off % 4 == 0 ? image_bytes(im, off, n) : NULL;
}

/* The string of len bytes at off, with its NUL; NULL when out of bounds
 * or not terminated. */
static inline const char *image_string(const struct image *im, uint32_t off,
                                       uint32_t len)
{
    const unsigned char *s = image_bytes(im, off, (size_t)len + 1);

    return s != NULL && s[len] == '\0' ? (const char *)s : NULL;
}

/* The list at off with all its records, or NULL. */
const struct image_list *image_list(const struct image *im, uint32_t off);
/* A pattern's string, NUL-terminated, and its length; or NULL. */
const char *image_pattern_text(const struct image *im,
                               const struct image_pattern *p, size_t *len);
/* A string pattern's bytes (not always NUL-terminated: a scratch image
 * refers into the line it holds), or NULL. */
const char *image_pattern_span(const struct image *im,
                               const struct image_pattern *p, size_t *len);
/* A rule's option field, or NULL (*corrupt says whether it was bad). */
const char *image_rule_options(const struct image *im,
                               const struct image_rule *rule, bool *corrupt);

/*
 * Checks that size bytes at base (8-byte aligned) are an image of this
 * library's version and ABI, of the expected kind (0: either), with
 * every section inside it.  Fills *im and returns its header, or NULL.
 */
const struct image_header *image_open(struct image *im, const void *base,
                                      size_t size, uint32_t kind);
/* The same checks of an image set up already, whose header is h (a copy
 * of its first bytes): true when it passes. */
bool image_check(const struct image *im, const struct image_header *h,
                 uint32_t kind);

/*
 * Builds an image: a growing buffer that starts with the header.  When
 * text_base is set, the text_len bytes there are also in the image at
 * text_off (a scratch image holding the line it compiles), and string
 * patterns inside them refer to that copy instead of a copy of their own.
 */
struct image_builder {
    struct strbuf buf;
    struct image_pattern *pending; /* the list being built (pattern.c) */
    size_t n_pending, cap_pending;
    const char *text_base;
    size_t text_len;
    uint32_t text_off;
    bool failed;
};

void image_builder_init(struct image_builder *b);
/* Empties the builder for a scratch image (no header), keeping its
 * memory. */
void image_builder_reset(struct image_builder *b);
void image_builder_free(struct image_builder *b);
/* Appends n bytes (4-aligned first); returns their offset, 0 on failure. */
uint32_t image_put(struct image_builder *b, const void *data, size_t n);
/* image_reserve() when the buffer must grow. */
uint32_t image_reserve_slow(struct image_builder *b, size_t n);
/* Reserves n zeroed, 4-aligned bytes; returns their offset, or 0. */
static inline uint32_t image_reserve(struct image_builder *b, size_t n)
{
    size_t len = b->buf.len, off = (len + 3) & ~(size_t)3;

    if (b->failed || len == 0 || off > UINT32_MAX - 8 ||
        n > UINT32_MAX - 8 - off || b->buf.cap <= off + n)
        return image_reserve_slow(b, n);
    /* Zeros for the padding and the record; a NUL after, as a strbuf. */
    memset(b->buf.data + len, 0, off - len + n + 1);
    b->buf.len = off + n;
    return (uint32_t)off;
}
/* Appends a string and its NUL; returns its offset, or 0. */
uint32_t image_put_string(struct image_builder *b, const char *s, size_t n);
/* Appends a pattern's text as image_pattern_text() reads it: plain, or
 * (*flags gains PATTERN_LONG) with a length before it; its offset. */
uint32_t image_put_text(struct image_builder *b, const char *s, size_t n,
                        unsigned *flags);
/* The offset of a string pattern's bytes: inside the text the builder
 * holds (text_base), else a copy as image_put_text() makes. */
static inline uint32_t image_put_span(struct image_builder *b, const char *s,
                                      size_t n, unsigned *flags)
{
    if (b->text_base != NULL && n <= UINT16_MAX && s >= b->text_base &&
        s + n <= b->text_base + b->text_len)
        return b->text_off + (uint32_t)(s - b->text_base);
    return image_put_text(b, s, n, flags);
}
/* Appends n raw bytes (no alignment, no NUL); their offset, or 0. */
uint32_t image_put_bytes(struct image_builder *b, const void *data, size_t n);
/* Where the record at off is now (valid until the next append). */
static inline void *image_builder_at(struct image_builder *b, uint32_t off)
{
    return b->buf.data + off;
}

/* The header being built. */
static inline struct image_header *
image_builder_header(struct image_builder *b)
{
    return (struct image_header *)(void *)b->buf.data;
}
/* Fills the source record from what stat() said and when it was read. */
void image_source_set(struct image_source *src, const struct stat *st,
                      const struct timespec *read_at, bool any_reader,
                      bool racy);

#endif
