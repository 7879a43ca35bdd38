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
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "index.h"
#include "lex.h"
#include "pattern.h"

/* A compiled table's rules while they are being made. */
struct rules {
    struct image_rule *v;
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

/* Appends a rule record. */
static bool add_rule(struct rules *rules, uint32_t line, uint32_t flags,
                     uint32_t daemons, uint32_t clients)
{
    struct image_rule *r;

    if (line > IMAGE_MAX_LINE)
        return false;
    if (rules->n == rules->cap) {
        r = array_grow(rules->v, &rules->cap, sizeof(*r), 64);
        if (r == NULL)
            return false;
        rules->v = r;
    }
    r = &rules->v[rules->n++];
    r->line = line | flags;
    r->daemons = daemons;
    r->clients = clients;
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

/* The rules of a table. */
static bool compile_table(struct image_builder *b,
                          const struct table_text *text, uint32_t *n_rules)
{
    struct compile c;
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT;
    struct image_header *h;
    uint32_t off;
    bool ok = true;

    memset(&c, 0, sizeof(c));
    c.b = b;
    lex_init(&c.lex);
    sb_init(&c.key);
    sb_init(&c.last_key);
    line_iter_init(&it, text);
    while (ok && line_iter_next(&it, &scratch, &line))
        ok = compile_line(&c, &line) && !b->failed;
    ok = ok && !sb_failed(&scratch) && c.rules.n <= UINT32_MAX / 16;
    if (ok && c.rules.n > 0) {
        off = image_put(b, c.rules.v, c.rules.n * sizeof(*c.rules.v));
        ok = off != 0;
        h = image_builder_header(b);
        h->rules = off;
        h->n_rules = (uint32_t)c.rules.n;
    }
    *n_rules = (uint32_t)c.rules.n;
    free(c.rules.v);
    lex_free(&c.lex);
    sb_free(&c.key);
    sb_free(&c.last_key);
    sb_free(&scratch);
    return ok;
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

struct ruleset *ruleset_compile(const char *path, struct table_text *text,
                                enum image_kind kind,
                                const struct timespec *read_at, bool racy)
{
    struct image_builder b;
    struct image_header *h;
    struct ruleset *rs;
    uint32_t n_rules = 0, path_off;
    size_t size;
    bool ok;

    if (text->size > UINT32_MAX / 2)
        return NULL;
    image_builder_init(&b);
    path_off = image_put_string(&b, path, strlen(path));
    if (kind == IMAGE_TABLE)
        ok = compile_table(&b, text, &n_rules);
    else
        ok = compile_list(&b, text);
    h = image_builder_header(&b);
    if (ok && path_off != 0 && !b.failed) {
        memcpy(h->magic, IMAGE_MAGIC, sizeof(h->magic));
        h->version = IMAGE_VERSION;
        h->abi = IMAGE_ABI;
        h->kind = kind;
        h->seed = new_seed();
        h->path = path_off;
        h->path_len = (uint32_t)strlen(path);
        image_source_set(&h->source, &text->st, read_at, text->any_reader,
                         racy);
        if (kind == IMAGE_TABLE && n_rules > 0)
            ok = index_build(&b);
    }
    rs = calloc(1, sizeof(*rs));
    if (!ok || b.failed || path_off == 0 || rs == NULL) {
        free(rs);
        image_builder_free(&b);
        return NULL;
    }
    size = b.buf.len;
    image_builder_header(&b)->size = size;
    /* The builder's buffer becomes the image: give back what it grew
     * beyond its size. */
    rs->owned = realloc(b.buf.data, size);
    if (rs->owned == NULL)
        rs->owned = b.buf.data;
    b.buf.data = NULL;
    image_builder_free(&b);
    rs->h = image_open(&rs->im, rs->owned, size, kind);
    if (rs->h == NULL) {
        free(rs->owned);
        free(rs);
        return NULL;
    }
    rs->refs = 1;
    rs->racy = racy;
    if (racy) {
        rs->text = *text;
        text->data = NULL;
        text->size = 0;
    }
    return rs;
}

struct ruleset *ruleset_from_map(const char *path, void *base, size_t size,
                                 enum image_kind kind)
{
    struct ruleset *rs = calloc(1, sizeof(*rs));
    const struct image_header *h;

    if (rs == NULL)
        return NULL;
    h = image_open(&rs->im, base, size, kind);
    if (h == NULL || (h->source.flags & SOURCE_RACY) ||
        strcmp((const char *)rs->im.base + h->path, path) != 0) {
        free(rs);
        return NULL;
    }
    rs->h = h;
    rs->mapped = base;
    rs->mapped_size = size;
    rs->refs = 1;
    return rs;
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
           s->size == (int64_t)st->st_size && s->mode == (uint32_t)st->st_mode &&
           same_time(s->mtime_sec, s->mtime_nsec, &st->st_mtim, g) &&
           same_time(s->ctime_sec, s->ctime_nsec, &st->st_ctim, g);
}

bool ruleset_any_reader(const struct ruleset *rs)
{
    return (rs->h->source.flags & SOURCE_ANY_READER) != 0;
}
