/*
 * ruleset.c - compiling rule files into images, and their lifetime.
 *
 * Exports the ruleset_* functions of ruleset.h.  A table compiles line by
 * line: the lexer (lex.h) finds the fields, the classifier (pattern.h)
 * writes each list, and consecutive rules with the same daemon list
 * share one (so the matcher evaluates it once per run).  The index
 * (index.h) is built over the finished rules.  A /file list compiles its
 * white-space separated words as one list of host patterns.
 */
#include "ruleset.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "index.h"
#include "lex.h"
#include "pattern.h"

/* A compiled table's rules while they are being made: in the image,
 * in room reserved for as many as the text has lines. */
struct rules {
    struct image_builder *b;
    uint32_t off; /* the reserved records */
    size_t n, cap;
};

/* A per-image hash seed, so that tables cannot be made to collide. */
static uint64_t new_seed(void)
{
    uint64_t s;

    if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
        s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
            (uint64_t)(uintptr_t)&s;
    return s | 1;
}

/* The patterns of a lexed list as one key, to compare daemon lists. */
static bool list_key(struct strbuf *key, const struct lex_list *l)
{
    size_t i;

    sb_reset(key);
    for (i = 0; i < l->count; i++) {
        sb_append(key, l->items[i].text, l->items[i].len);
        sb_putc(key, '\n');
    }
    return !sb_failed(key);
}

/* Writes the next rule record. */
static bool add_rule(struct rules *rules, uint32_t line, uint32_t flags,
                     uint32_t daemons, uint32_t clients)
{
    struct image_rule r;

    if (line > IMAGE_MAX_LINE || rules->n >= rules->cap)
        return false;
    r.line = line | flags;
    r.daemons = daemons;
    r.clients = clients;
    memcpy(image_builder_at(rules->b,
                            rules->off + (uint32_t)(rules->n++ * sizeof(r))),
           &r, sizeof(r));
    return true;
}

/* State of compiling one table. */
struct compile {
    struct image_builder *b;
    struct rules rules;
    struct lex_line lex;
    struct strbuf key, last_key; /* this daemon list, and the last one */
    uint32_t last_daemons;
};

/* Compiles one logical line. */
static bool compile_line(struct compile *c, const struct logical_line *line)
{
    uint32_t flags = line->unterminated ? IMAGE_RULE_UNTERMINATED : 0;
    uint32_t daemons, clients, options, slot, count;
    struct strbuf swap;

    switch (lex_line(&c->lex, line->text, line->len)) {
    case LEX_IGNORED:
        /* Only an unterminated last line is kept: it warns (D2). */
        return !line->unterminated ||
               add_rule(&c->rules, (uint32_t)line->lineno,
                        flags | IMAGE_RULE_COMMENT, 0, 0);
    case LEX_NO_COLON:
        return add_rule(&c->rules, (uint32_t)line->lineno,
                        flags | IMAGE_RULE_NO_COLON, 0, 0);
    case LEX_NOMEM:
        return false;
    case LEX_RULE:
        break;
    }
    if (!list_key(&c->key, &c->lex.daemons))
        return false;
    if (c->last_daemons != 0 && c->key.len == c->last_key.len &&
        (c->key.len == 0 ||
         memcmp(c->key.data, c->last_key.data, c->key.len) == 0)) {
        daemons = c->last_daemons;
    } else {
        daemons = pattern_put_list(c->b, &c->lex.daemons, LIST_DAEMONS, 0);
        c->last_daemons = daemons;
        swap = c->last_key;
        c->last_key = c->key;
        c->key = swap;
    }
    clients = pattern_put_list(c->b, &c->lex.clients, LIST_CLIENTS,
                               c->lex.options != NULL);
    if (daemons == 0 || clients == 0)
        return false;
    if (c->lex.options != NULL) {
        /* The option field's offset goes right after the client list's
         * records (image.h), where pattern_put_list() left room. */
        count = ((struct image_list *)image_builder_at(c->b, clients))->count;
        slot = clients + (uint32_t)sizeof(struct image_list) +
               count * (uint32_t)sizeof(struct image_pattern);
        options = image_put_string(c->b, c->lex.options, c->lex.options_len);
        if (options == 0)
            return false;
        memcpy(image_builder_at(c->b, slot), &options, sizeof(options));
        flags |= IMAGE_RULE_OPTIONS;
    }
    return add_rule(&c->rules, (uint32_t)line->lineno, flags, daemons,
                    clients);
}

/* Starts compiling a table of at most lines logical lines. */
static bool compile_begin(struct compile *c, struct image_builder *b,
                          size_t lines)
{
    memset(c, 0, sizeof(*c));
    c->b = b;
    c->rules.b = b;
    c->rules.cap = lines;
    lex_init(&c->lex);
    sb_init(&c->key);
    sb_init(&c->last_key);
    if (lines > UINT32_MAX / sizeof(struct image_rule))
        return false;
    c->rules.off = image_reserve(b, lines * sizeof(struct image_rule));
    return c->rules.off != 0;
}

/* Every logical line of a piece of text. */
static bool compile_text(struct compile *c, struct line_iter *it,
                         struct strbuf *scratch)
{
    struct logical_line line;

    while (line_iter_next(it, scratch, &line))
        if (!compile_line(c, &line) || c->b->failed)
            return false;
    return !sb_failed(scratch);
}

/* Ends compiling a table: the header's rules, and the index. */
static bool compile_end(struct compile *c, bool ok)
{
    struct image_header *h = image_builder_header(c->b);

    lex_free(&c->lex);
    sb_free(&c->key);
    sb_free(&c->last_key);
    if (!ok || c->b->failed)
        return false;
    h->rules = c->rules.off;
    h->n_rules = (uint32_t)c->rules.n;
    return true;
}

/* The logical lines of a text cannot outnumber its newlines + 1. */
static size_t count_lines(const char *p, size_t n)
{
    const char *end = p + n;
    size_t lines = 1;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        lines++;
        p++;
    }
    return lines;
}

/* The rules of a table held whole. */
static bool compile_table(struct image_builder *b,
                          const struct table_text *text)
{
    struct compile c;
    struct line_iter it;
    struct strbuf scratch = STRBUF_INIT;
    bool ok;

    ok = compile_begin(&c, b, count_lines(text->data, text->size));
    line_iter_init(&it, text);
    ok = ok && compile_text(&c, &it, &scratch);
    sb_free(&scratch);
    return compile_end(&c, ok);
}

/* The rules of a table read piece by piece, twice: once to count its
 * lines, once to compile them (so that it is never held whole).  False
 * when it cannot be read, or changed between the two readings. */
static bool compile_stream(struct image_builder *b, struct table_stream *ts,
                           int *error)
{
    struct table_text piece;
    struct line_iter it;
    struct compile c;
    struct strbuf scratch = STRBUF_INIT;
    struct stat again;
    size_t lines = 1;
    int newlines = 0;
    bool ok;

    if (ts->fd < 0) {
        /* A small file, read whole when it was opened: all of it is one
         * piece, a last line without its newline too (which
         * table_stream_next() would give as a second piece). */
        *error = 0;
        if (!sb_reserve(&ts->buf, TABLE_PADDING)) {
            *error = ENOMEM;
            return false;
        }
        memset(ts->buf.data + ts->buf.len, 0, TABLE_PADDING);
        piece = (struct table_text){
            .data = ts->buf.data,
            .size = ts->buf.len,
            .st = ts->st,
            .has_nul = memchr(ts->buf.data, '\0', ts->buf.len) != NULL,
        };
        return compile_table(b, &piece);
    }
    while (table_stream_next(ts, &piece, error))
        lines += count_lines(piece.data, piece.size) - 1;
    if (*error != 0 || !table_stream_rewind(ts))
        return false;
    ok = compile_begin(&c, b, lines);
    while (ok && table_stream_next(ts, &piece, error)) {
        line_iter_at(&it, &piece, 0, newlines);
        ok = compile_text(&c, &it, &scratch);
        newlines = it.newlines;
    }
    ok = ok && *error == 0 && fstat(ts->fd, &again) == 0 &&
         again.st_size == ts->st.st_size &&
         again.st_mtim.tv_nsec == ts->st.st_mtim.tv_nsec &&
         again.st_mtim.tv_sec == ts->st.st_mtim.tv_sec &&
         again.st_ctim.tv_nsec == ts->st.st_ctim.tv_nsec &&
         again.st_ctim.tv_sec == ts->st.st_ctim.tv_sec;
    sb_free(&scratch);
    return compile_end(&c, ok);
}

/* The words of a /file list, each cut at a NUL as scanf("%s") would. */
static bool compile_list(struct image_builder *b,
                         const struct table_text *text)
{
    struct lex_list words = {0};
    struct lex_item *w;
    const char *p = text->data, *end = p + text->size, *start;
    uint32_t off;
    bool ok = true;

    while (ok) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        start = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        if (words.count == words.cap) {
            w = array_grow(words.items, &words.cap, sizeof(*w), 64);
            if (w == NULL) {
                ok = false;
                break;
            }
            words.items = w;
        }
        w = &words.items[words.count++];
        w->text = start;
        w->len = (uint32_t)strnlen(start, (size_t)(p - start));
        w->flags = lex_flags(start, w->len);
    }
    off = ok ? pattern_put_list(b, &words, LIST_HOSTS, 0) : 0;
    free(words.items);
    if (off == 0)
        return false;
    image_builder_header(b)->rules = off;
    return true;
}

/* Fills in the header of a compiled file and builds its index; then
 * the builder's buffer becomes the ruleset's image.  NULL when memory
 * ran out at any point (the builder is freed either way). */
static struct ruleset *finish(struct image_builder *b, const char *path,
                              uint32_t path_off, uint32_t index_off,
                              enum image_kind kind, const struct stat *st,
                              const struct timespec *read_at, bool any_reader,
                              bool racy, bool ok)
{
    struct image_header *h = image_builder_header(b);
    struct ruleset *rs;
    size_t size;

    if (ok && path_off != 0 && !b->failed) {
        memcpy(h->magic, IMAGE_MAGIC, sizeof(h->magic));
        h->version = IMAGE_VERSION;
        h->abi = IMAGE_ABI;
        h->kind = kind;
        h->seed = new_seed();
        h->path = path_off;
        h->path_len = (uint32_t)strlen(path);
        image_source_set(&h->source, st, read_at, any_reader, racy);
        if (kind == IMAGE_TABLE && h->n_rules > 0)
            ok = index_build(b, index_off);
    }
    rs = calloc(1, sizeof(*rs));
    if (!ok || b->failed || path_off == 0 || rs == NULL) {
        free(rs);
        image_builder_free(b);
        return NULL;
    }
    size = b->buf.len;
    image_builder_header(b)->size = size;
    /* The builder's buffer becomes the image: give back what it grew
     * beyond its size. */
    rs->owned = realloc(b->buf.data, size);
    if (rs->owned == NULL)
        rs->owned = b->buf.data;
    b->buf.data = NULL;
    image_builder_free(b);
    rs->h = image_open(&rs->im, rs->owned, size, kind);
    if (rs->h == NULL) {
        free(rs->owned);
        free(rs);
        return NULL;
    }
    rs->refs = 1;
    rs->racy = racy;
    return rs;
}

struct ruleset *ruleset_compile(const char *path, struct table_text *text,
                                enum image_kind kind,
                                const struct timespec *read_at, bool racy)
{
    struct image_builder b;
    struct ruleset *rs;
    uint32_t path_off, index_off;
    bool ok;

    if (text->size > UINT32_MAX / 2)
        return NULL;
    image_builder_init(&b);
    path_off = image_put_string(&b, path, strlen(path));
    index_off = kind == IMAGE_TABLE
                    ? image_reserve(&b, sizeof(struct image_index))
                    : 0;
    ok =
        kind == IMAGE_TABLE ? compile_table(&b, text) : compile_list(&b, text);
    rs = finish(&b, path, path_off, index_off, kind, &text->st, read_at,
                text->any_reader, racy, ok);
    if (rs != NULL && racy) {
        rs->text = *text;
        text->data = NULL;
        text->size = 0;
    }
    return rs;
}

struct ruleset *ruleset_compile_stream(const char *path,
                                       struct table_stream *ts,
                                       const struct timespec *read_at,
                                       bool any_reader, int *error)
{
    struct image_builder b;
    uint32_t path_off, index_off;
    bool ok;

    *error = 0;
    if ((uintmax_t)ts->st.st_size > UINT32_MAX / 2)
        return NULL;
    image_builder_init(&b);
    path_off = image_put_string(&b, path, strlen(path));
    index_off = image_reserve(&b, sizeof(struct image_index));
    ok = index_off != 0 && compile_stream(&b, ts, error);
    return finish(&b, path, path_off, index_off, IMAGE_TABLE, &ts->st, read_at,
                  any_reader, false, ok);
}

struct ruleset *ruleset_from_map(const char *path, void *base, size_t size,
                                 enum image_kind kind)
{
    return ruleset_from_store(path, base, size, kind, NULL);
}

struct ruleset *ruleset_from_store(const char *path, void *base, size_t size,
                                   enum image_kind kind,
                                   struct image_reader *rd)
{
    struct ruleset *rs = calloc(1, sizeof(*rs));
    const struct image_header *h;
    const char *stored;

    if (rs == NULL)
        return NULL;
    rs->im.base = base;
    rs->im.size = size;
    /* The checks read through the reader, if any, and the header is
     * kept in the ruleset: revalidating it never touches the mapping. */
    rs->im.reader = rd;
    if (size < sizeof(*h) || (uintptr_t)base % 8 != 0)
        goto refuse;
    h = rd != NULL && rd->fd >= 0 ? image_read(&rs->im, 0, sizeof(*h)) : base;
    if (h == NULL)
        goto refuse;
    rs->head = *h;
    h = &rs->head;
    if (!image_check(&rs->im, h, kind) || (h->source.flags & SOURCE_RACY) ||
        (stored = image_string(&rs->im, h->path, h->path_len)) == NULL ||
        strcmp(stored, path) != 0)
        goto refuse;
    rs->im.reader = NULL;
    rs->h = h;
    rs->mapped = base;
    rs->mapped_size = size;
    rs->refs = 1;
    return rs;
refuse:
    free(rs);
    return NULL;
}

void ruleset_get(struct ruleset *rs)
{
    __atomic_add_fetch(&rs->refs, 1, __ATOMIC_ACQ_REL);
}

void ruleset_put(struct ruleset *rs)
{
    if (rs == NULL || __atomic_sub_fetch(&rs->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    if (rs->mapped != NULL)
        munmap(rs->mapped, rs->mapped_size);
    free(rs->owned);
    table_text_free(&rs->text);
    free(rs);
}

/* Equal times, at the granularity the file system is taken to have. */
static bool same_time(int64_t sec, uint32_t nsec, const struct timespec *t,
                      long g)
{
    return sec == (int64_t)t->tv_sec && nsec / g == t->tv_nsec / g;
}

bool ruleset_same_file(const struct ruleset *rs, const struct stat *st,
                       long granularity_ns)
{
    const struct image_source *s = &rs->h->source;
    long g = granularity_ns > 0 ? granularity_ns : 1;

    return s->dev == (uint64_t)st->st_dev && s->ino == (uint64_t)st->st_ino &&
           s->size == (int64_t)st->st_size &&
           s->mode == (uint32_t)st->st_mode &&
           same_time(s->mtime_sec, s->mtime_nsec, &st->st_mtim, g) &&
           same_time(s->ctime_sec, s->ctime_nsec, &st->st_ctim, g);
}

bool ruleset_any_reader(const struct ruleset *rs)
{
    return (rs->h->source.flags & SOURCE_ANY_READER) != 0;
}
