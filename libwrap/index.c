/*
 * index.c - keys from patterns to rules, for big tables.
 *
 * Exports the index_* functions of index.h.  Building parses every line
 * with the general parser (rule.c) and files each entry under the keys of
 * its client patterns; a query hashes the request's address and name the
 * same ways and merges the hits with the always and trigger entries in
 * file order.  The keys are exactly the conditions under which
 * match_string() and addr_match_netmask() can succeed, so an entry that
 * no key yields cannot match.  What evaluating it would have left in the
 * request (the client's address, a name of "unknown") is recorded per
 * run of entries with the same daemon list and made up for by
 * index_query_catch_up().
 */
#include "index.h"

#include <pthread.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "arena.h"
#include "fastline.h"
#include "match.h"
#include "rule.h"
#include "strbuf.h"

/* Key spaces.  ADDR_* keys come from patterns of digits and dots, which
 * only ever meet the address; TEXT_* keys also meet the host name. */
enum key_space {
    KEY_ADDR_EXACT = 1,
    KEY_ADDR_PREFIX,
    KEY_ADDR_SUFFIX,
    KEY_TEXT_EXACT,
    KEY_TEXT_PREFIX,
    KEY_TEXT_SUFFIX,
    KEY_V6,
    KEY_V4MASK,
    KEY_V6MASK,
};

/* Distinct IPv4 masks an index keeps; entries with more go "always". */
enum { MAX_V4_MASKS = 64 };

/* A hash slot.  The tag (the hash's high 32 bits, never 0) also gives
 * the slot's place, so the table can grow without the full hashes. */
struct slot {
    uint32_t tag; /* 0: empty */
    uint32_t pos; /* entry */
};

/*
 * Keyed entries whose client list has a pattern before any EXCEPT, in
 * runs of consecutive such entries with the same daemon list.  When
 * Debian's scan reaches one of them with a matching daemon list, its
 * first pattern reads the client's address.  When it reaches one that
 * no key yielded, its patterns all fail, so a text pattern (a trigger
 * entry) reads the name too; a yielded entry may match before that.
 */
struct effect_run {
    uint32_t first;      /* its first entry, whose daemon list is read */
    uint32_t last;       /* its last entry */
    uint32_t first_name; /* its first entry with a text pattern, or max */
};

struct table_index {
    struct index_line *lines; /* entries in file order */
    size_t count;
    uint32_t *always, *triggers;
    size_t n_always, n_triggers;
    struct slot *slots; /* open addressing, duplicates allowed */
    size_t slot_mask, slots_used;
    uint32_t v4_masks[MAX_V4_MASKS];
    size_t n_v4_masks;
    bool v6_len[129]; /* prefix lengths that occur */
    struct effect_run *runs;
    size_t n_runs;
};

/* A growing array of 32-bit values. */
struct u32vec {
    uint32_t *v;
    size_t n, cap;
};

static bool u32_push(struct u32vec *a, uint32_t x)
{
    if (a->n == a->cap) {
        uint32_t *v = array_grow(a->v, &a->cap, sizeof(*v), 64);
        if (v == NULL)
            return false;
        a->v = v;
    }
    a->v[a->n++] = x;
    return true;
}

/* A key of the line being classified. */
struct pending_key {
    uint64_t hash;
};

struct builder {
    struct table_index *ix;
    struct pending_key *keys; /* the current line's keys */
    size_t n_keys, cap_keys;
    struct u32vec always, triggers;
    size_t cap_runs;
    struct strbuf run_daemons, daemons; /* the last run's list; this one */
    bool nomem;
};

bool index_disabled;

static uint64_t hash_seed;

/* The slot tag of a hash. */
static uint32_t slot_tag(uint64_t hash)
{
    uint32_t tag = (uint32_t)(hash >> 32);

    return tag != 0 ? tag : 1;
}

/* Puts (tag, pos) into a slot array of size mask + 1. */
static void place(struct slot *slots, size_t mask, uint32_t tag,
                  uint32_t pos)
{
    size_t j;

    for (j = tag & mask; slots[j].tag != 0; j = (j + 1) & mask)
        ;
    slots[j].tag = tag;
    slots[j].pos = pos;
}

/* Makes the slot array at least size slots (a power of two). */
static bool resize_slots(struct table_index *ix, size_t size)
{
    struct slot *slots = calloc(size, sizeof(*slots));
    size_t i;

    if (slots == NULL)
        return false;
    for (i = 0; ix->slots != NULL && i <= ix->slot_mask; i++) {
        if (ix->slots[i].tag != 0)
            place(slots, size - 1, ix->slots[i].tag, ix->slots[i].pos);
    }
    free(ix->slots);
    ix->slots = slots;
    ix->slot_mask = size - 1;
    return true;
}

/* Files entry pos under a key's hash, keeping the table at most half
 * full. */
static bool insert_slot(struct table_index *ix, uint64_t hash, uint32_t pos)
{
    if (2 * (ix->slots_used + 1) > ix->slot_mask + 1 &&
        !resize_slots(ix, 2 * (ix->slot_mask + 1)))
        return false;
    place(ix->slots, ix->slot_mask, slot_tag(hash), pos);
    ix->slots_used++;
    return true;
}

/* Logical lines cannot outnumber newlines + 1: sizes arrays up front. */
static size_t count_lines(const struct table_text *text)
{
    const char *p = text->data, *end = p + text->size;
    size_t n = 1;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* Picks a per-process hash seed, so that tables cannot be crafted to
 * collide. */
static void seed_once(void)
{
    uint64_t s;

    if (getrandom(&s, sizeof(s), GRND_NONBLOCK) != (ssize_t)sizeof(s))
        s = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    hash_seed = s | 1;
}

/* Mixes a word into a hash state. */
static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 31);
}

/* 64-bit hash of a key space, a number and some bytes, eight at a time. */
static uint64_t key_hash(enum key_space space, uint64_t extra,
                         const void *bytes, size_t n)
{
    const unsigned char *p = bytes;
    uint64_t h = mix(hash_seed ^ ((uint64_t)space << 56) ^ n, extra), w;

    for (; n >= 8; n -= 8, p += 8) {
        memcpy(&w, p, 8);
        h = mix(h, w);
    }
    if (n > 0) {
        w = 0;
        memcpy(&w, p, n);
        h = mix(h, w);
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Lower-case copy of s[0..n) into out (which has room for n bytes). */
static void lower_copy(char *out, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
}

static void add_key(struct builder *b, uint64_t hash)
{
    if (b->n_keys == b->cap_keys) {
        size_t cap = b->cap_keys ? b->cap_keys * 2 : 16;
        struct pending_key *k = realloc(b->keys, cap * sizeof(*k));
        if (k == NULL) {
            b->nomem = true;
            return;
        }
        b->keys = k;
        b->cap_keys = cap;
    }
    b->keys[b->n_keys++].hash = hash;
}

/* Result of classifying one client pattern, weakest first. */
enum pattern_kind {
    PATTERN_KEYED,   /* filed under keys (perhaps none: never matches) */
    PATTERN_TRIGGER, /* keyed, and may make the first name lookup */
    PATTERN_ALWAYS,  /* cannot be keyed: the entry is always looked at */
};

/* An entry is as hard to find as its hardest pattern. */
static enum pattern_kind strongest(enum pattern_kind a, enum pattern_kind b)
{
    return a > b ? a : b;
}

/* The IPv4 half of classify_netmask(): net is a valid dotted quad. */
static enum pattern_kind classify_v4_netmask(struct builder *b, uint32_t v4,
                                             const char *mask_text)
{
    uint32_t mask = addr_dot_quad(mask_text);
    size_t i;

    if (mask == INADDR_NONE) {
        mask = addr_cidr_mask(mask_text);
        if (mask == 0)
            return PATTERN_KEYED; /* a bad mask never matches: no key */
    }
    if ((v4 & ~mask) != 0)
        return PATTERN_KEYED; /* host bits set: never matches */
    for (i = 0; i < b->ix->n_v4_masks; i++) {
        if (b->ix->v4_masks[i] == mask)
            break;
    }
    if (i == b->ix->n_v4_masks) {
        if (i == MAX_V4_MASKS)
            return PATTERN_ALWAYS;
        b->ix->v4_masks[b->ix->n_v4_masks++] = mask;
    }
    add_key(b, key_hash(KEY_V4MASK, mask, &v4, sizeof(v4)));
    return PATTERN_KEYED;
}

/* "net/mask" (net is net_len bytes of pat, the mask follows its '/'):
 * the keys under which addr_match_netmask() can succeed. */
static enum pattern_kind classify_netmask(struct builder *b, const char *pat,
                                          size_t net_len, size_t n)
{
    struct strbuf net = STRBUF_INIT, mask = STRBUF_INIT;
    enum pattern_kind kind = PATTERN_KEYED; /* neither form: no key */
    struct in6_addr v6;
    uint32_t v4;
    size_t i;
    int bits;

    if (!sb_append(&net, pat, net_len) ||
        !sb_append(&mask, pat + net_len + 1, n - net_len - 1)) {
        b->nomem = true;
        kind = PATTERN_ALWAYS;
    } else if ((v4 = addr_dot_quad(sb_str(&net))) != INADDR_NONE) {
        kind = classify_v4_netmask(b, v4, sb_str(&mask));
    } else if (net_len >= 2 && pat[0] == '[' && pat[net_len - 1] == ']' &&
               addr_parse_v6(pat + 1, net_len - 2, &v6)) {
        bits = atoi(sb_str(&mask)); /* as addr.c reads it */
        if (bits >= 0 && bits <= 128) {
            for (i = 0; i < 16; i++) {
                int keep = bits - (int)i * 8;
                v6.s6_addr[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 :
                                 (unsigned char)(0xff << (8 - keep));
            }
            b->ix->v6_len[bits] = true;
            add_key(b,
                    key_hash(KEY_V6MASK, (uint64_t)bits, &v6, sizeof(v6)));
        }
    }
    sb_free(&net);
    sb_free(&mask);
    return kind;
}

/* A pattern compared as a string (match_string()): an [IPv6] literal, or
 * an exact, prefix or suffix text, with or without letters. */
static enum pattern_kind classify_string(struct builder *b, const char *pat,
                                         size_t n, bool text)
{
    struct in6_addr v6;
    char small[128];
    char *low = small;
    enum key_space space;

    if (pat[0] == '[' && n >= 2 && pat[n - 1] == ']') {
        if (addr_parse_v6(pat + 1, n - 2, &v6))
            add_key(b, key_hash(KEY_V6, 0, &v6, sizeof(v6)));
        return PATTERN_TRIGGER;
    }
    if (!text) {
        low = (char *)pat; /* digits and dots: nothing to lower */
    } else if (n > sizeof(small) && (low = malloc(n)) == NULL) {
        b->nomem = true;
        return PATTERN_ALWAYS;
    } else {
        lower_copy(low, pat, n);
    }
    if (pat[0] == '.')
        space = text ? KEY_TEXT_SUFFIX : KEY_ADDR_SUFFIX;
    else if (pat[n - 1] == '.')
        space = text ? KEY_TEXT_PREFIX : KEY_ADDR_PREFIX;
    else
        space = text ? KEY_TEXT_EXACT : KEY_ADDR_EXACT;
    add_key(b, key_hash(space, 0, low, n));
    if (low != small && low != pat)
        free(low);
    return text ? PATTERN_TRIGGER : PATTERN_KEYED;
}

/* True for the host keywords that no key can stand for. */
static bool is_keyword(const char *pat, size_t n)
{
    return (n == 5 && (strncasecmp(pat, "KNOWN", 5) == 0 ||
                       strncasecmp(pat, "LOCAL", 5) == 0)) ||
           (n == 3 && strncasecmp(pat, "ALL", 3) == 0);
}

/* Files one client host pattern of the general parser under its keys. */
static enum pattern_kind classify(struct builder *b, const char *pat)
{
    size_t n = strlen(pat);
    const char *slash;

    if (n == 0 || pat[0] == '@' || pat[0] == '/' ||
        match_find_at(pat) != NULL || is_keyword(pat, n))
        return PATTERN_ALWAYS;
    if ((slash = match_find_slash(pat)) != NULL)
        return classify_netmask(b, pat, (size_t)(slash - pat), n);
    if (strpbrk(pat, "*?") != NULL)
        return PATTERN_ALWAYS;
    return classify_string(b, pat, n, match_not_inaddr(pat, n));
}

/* The same for a pattern of fastline_split(), which has no '@', '*' or
 * '?' and whose flags tell whether it holds a '/'. */
static enum pattern_kind classify_fast(struct builder *b,
                                       const struct fastline_pattern *fp)
{
    const char *slash;

    if (fp->p[0] == '/' || is_keyword(fp->p, fp->n))
        return PATTERN_ALWAYS;
    if ((fp->flags & FASTLINE_SLASH) &&
        (slash = memchr(fp->p, '/', fp->n)) != NULL)
        return classify_netmask(b, fp->p, (size_t)(slash - fp->p), fp->n);
    return classify_string(b, fp->p, fp->n, (fp->flags & FASTLINE_NAME) != 0);
}

/* Decides how an entry is found: by its keys, or always. */
static enum pattern_kind classify_rule(struct builder *b,
                                       const struct rule *rule)
{
    enum pattern_kind kind = PATTERN_KEYED;
    size_t i;

    for (i = 0; i < rule->daemons.count; i++) {
        if (match_find_at(rule->daemons.items[i]) != NULL)
            return PATTERN_ALWAYS;
    }
    for (i = 0; i < rule->clients.count && kind != PATTERN_ALWAYS; i++) {
        const char *pat = rule->clients.items[i];
        if (match_is_except(pat, strlen(pat)))
            break;
        kind = strongest(kind, classify(b, pat));
    }
    return kind;
}

/* Classifies a simple line from fastline_split()'s patterns. */
static enum pattern_kind classify_split(struct builder *b,
                                        const struct fastline_split *split)
{
    enum pattern_kind kind = PATTERN_KEYED;
    size_t i;

    for (i = 0; i < split->clients.count && kind != PATTERN_ALWAYS; i++) {
        const struct fastline_pattern *fp = &split->clients.item[i];
        if (match_is_except(fp->p, fp->n))
            break;
        kind = strongest(kind, classify_fast(b, fp));
    }
    return kind;
}

/* Records that entry pos, whose daemon list is in b->daemons, reads the
 * address (and the name, with text) when Debian's scan reaches it. */
static void add_effect(struct builder *b, uint32_t pos, bool text)
{
    struct table_index *ix = b->ix;
    struct effect_run *run = ix->n_runs > 0 ? &ix->runs[ix->n_runs - 1] : NULL;
    struct strbuf swap;

    if (sb_failed(&b->daemons)) {
        b->nomem = true;
        return;
    }
    if (run != NULL && b->run_daemons.len == b->daemons.len &&
        memcmp(sb_str(&b->run_daemons), sb_str(&b->daemons),
               b->daemons.len) == 0) {
        if (text && run->first_name == UINT32_MAX)
            run->first_name = pos;
        run->last = pos;
        return;
    }
    if (ix->n_runs == b->cap_runs) {
        size_t cap = b->cap_runs ? b->cap_runs * 2 : 16;
        run = realloc(ix->runs, cap * sizeof(*run));
        if (run == NULL) {
            b->nomem = true;
            return;
        }
        ix->runs = run;
        b->cap_runs = cap;
    }
    run = &ix->runs[ix->n_runs++];
    run->first = pos;
    run->last = pos;
    run->first_name = text ? pos : UINT32_MAX;
    swap = b->run_daemons;
    b->run_daemons = b->daemons;
    b->daemons = swap;
}

/* Adds the entry starting at offset with its classification; simple
 * lines are split by fastline, the others by the general parser. */
static void add_entry(struct builder *b, const struct logical_line *line,
                      size_t offset, int newlines, struct arena *arena,
                      bool contiguous)
{
    struct table_index *ix = b->ix;
    struct fastline_split split;
    struct rule rule;
    enum pattern_kind kind = PATTERN_ALWAYS;
    uint32_t pos = (uint32_t)ix->count;
    size_t i;

    bool positive = false;

    sb_reset(&b->daemons);
    if (contiguous && !line->unterminated &&
        fastline_split(line->text, line->text + line->len, &split)) {
        kind = classify_split(b, &split);
        positive = split.clients.count > 0 &&
                   !match_is_except(split.clients.item[0].p,
                                    split.clients.item[0].n);
        for (i = 0; i < split.daemons.count; i++) {
            sb_append(&b->daemons, split.daemons.item[i].p,
                      split.daemons.item[i].n);
            sb_putc(&b->daemons, '\n');
        }
        goto file;
    }
    switch (rule_parse(arena, line->text, line->len, line->lineno, &rule)) {
    case RULE_IGNORED:
        return;
    case RULE_PARSED:
        if (!line->unterminated)
            kind = classify_rule(b, &rule);
        positive = rule.clients.count > 0 &&
                   !match_is_except(rule.clients.items[0],
                                    strlen(rule.clients.items[0]));
        for (i = 0; i < rule.daemons.count; i++) {
            sb_puts(&b->daemons, rule.daemons.items[i]);
            sb_putc(&b->daemons, '\n');
        }
        break;
    case RULE_NO_COLON:
    case RULE_NOMEM:
        break;
    }
file:
    if (kind != PATTERN_ALWAYS && positive)
        add_effect(b, pos, kind == PATTERN_TRIGGER);
    if (kind == PATTERN_ALWAYS) {
        if (!u32_push(&b->always, pos))
            b->nomem = true;
    } else {
        if (kind == PATTERN_TRIGGER && !u32_push(&b->triggers, pos))
            b->nomem = true;
        for (i = 0; i < b->n_keys && !b->nomem; i++)
            b->nomem = !insert_slot(ix, b->keys[i].hash, pos);
    }
    b->n_keys = 0;
    ix->lines[pos].offset = (uint32_t)offset;
    ix->lines[pos].newlines = (uint32_t)newlines;
    ix->count++;
}

struct table_index *index_build(const struct table_text *text)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    struct builder b;
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT;
    struct arena arena = ARENA_INIT;
    size_t lines, slots = 16, offset;
    int newlines;

    pthread_once(&once, seed_once);
    memset(&b, 0, sizeof(b));
    sb_init(&b.daemons);
    sb_init(&b.run_daemons);
    b.ix = calloc(1, sizeof(*b.ix));
    if (b.ix == NULL)
        return NULL;
    if (text->size >= UINT32_MAX) {
        free(b.ix);
        return NULL;
    }
    lines = count_lines(text);
    while (slots < 2 * lines)
        slots *= 2;
    b.ix->lines = malloc(lines * sizeof(*b.ix->lines));
    if (b.ix->lines == NULL || !resize_slots(b.ix, slots))
        b.nomem = true;
    line_iter_init(&it, text);
    while (!b.nomem) {
        offset = (size_t)(it.p - text->data);
        newlines = it.newlines;
        if (!line_iter_next(&it, &scratch, &line)) {
            b.nomem = sb_failed(&scratch);
            break;
        }
        add_entry(&b, &line, offset, newlines, &arena,
                  !text->has_nul && line.text != scratch.data);
        arena_reset(&arena);
    }
    arena_free(&arena);
    sb_free(&scratch);
    sb_free(&b.daemons);
    sb_free(&b.run_daemons);
    free(b.keys);
    b.ix->always = b.always.v;
    b.ix->n_always = b.always.n;
    b.ix->triggers = b.triggers.v;
    b.ix->n_triggers = b.triggers.n;
    if (b.nomem) {
        index_free(b.ix);
        return NULL;
    }
    return b.ix;
}

void index_free(struct table_index *ix)
{
    if (ix == NULL)
        return;
    free(ix->lines);
    free(ix->always);
    free(ix->triggers);
    free(ix->slots);
    free(ix->runs);
    free(ix);
}

size_t index_footprint(const struct table_index *ix)
{
    return sizeof(*ix) + ix->count * sizeof(*ix->lines) +
           (ix->n_always + ix->n_triggers) * sizeof(uint32_t) +
           ix->n_runs * sizeof(*ix->runs) +
           (ix->slot_mask + 1) * sizeof(*ix->slots);
}

size_t index_entries(const struct table_index *ix)
{
    return ix->count;
}

size_t index_always(const struct table_index *ix)
{
    return ix->n_always;
}

/* Adds every entry filed under hash at or after entry from. */
static void lookup(struct index_query *q, uint64_t h, uint32_t from)
{
    const struct table_index *ix = q->ix;
    uint32_t tag = slot_tag(h);
    size_t j;

    for (j = tag & ix->slot_mask; ix->slots[j].tag != 0;
         j = (j + 1) & ix->slot_mask) {
        if (ix->slots[j].tag != tag || ix->slots[j].pos < from)
            continue;
        if (q->cand_count == q->cand_cap) {
            uint32_t *c = array_grow(q->cand, &q->cand_cap, sizeof(*c), 16);
            if (c == NULL) {
                q->failed = true;
                return;
            }
            q->cand = c;
        }
        q->cand[q->cand_count++] = ix->slots[j].pos;
    }
}

/* Looks up the text keys of a string (stripped, any case). */
static void lookup_text(struct index_query *q, const char *s, bool address,
                        uint32_t from)
{
    char low[STRING_LENGTH] = "";
    size_t n = strlen(s), i;
    struct in6_addr v6;

    if (n >= sizeof(low))
        n = sizeof(low) - 1; /* request strings are shorter */
    lower_copy(low, s, n);
    lookup(q, key_hash(KEY_TEXT_EXACT, 0, low, n), from);
    if (address)
        lookup(q, key_hash(KEY_ADDR_EXACT, 0, low, n), from);
    for (i = 0; i < n; i++) {
        if (low[i] != '.')
            continue;
        lookup(q, key_hash(KEY_TEXT_PREFIX, 0, low, i + 1), from);
        if (address)
            lookup(q, key_hash(KEY_ADDR_PREFIX, 0, low, i + 1), from);
        if (i >= 1) {
            lookup(q, key_hash(KEY_TEXT_SUFFIX, 0, low + i, n - i), from);
            if (address)
                lookup(q, key_hash(KEY_ADDR_SUFFIX, 0, low + i, n - i),
                       from);
        }
    }
    if (addr_parse_v6(s, strlen(s), &v6))
        lookup(q, key_hash(KEY_V6, 0, &v6, sizeof(v6)), from);
}

/* Looks up the mask keys of the client address (unstripped text). */
static void lookup_masks(struct index_query *q, const char *addr)
{
    const struct table_index *ix = q->ix;
    const char *v4text = match_strip_mapped(addr), *rest;
    uint32_t v4 = addr_dot_quad(v4text), net;
    struct in6_addr v6, masked;
    size_t i;
    int bits;

    if (v4 != INADDR_NONE) {
        for (i = 0; i < ix->n_v4_masks; i++) {
            net = v4 & ix->v4_masks[i];
            lookup(q, key_hash(KEY_V4MASK, ix->v4_masks[i], &net,
                               sizeof(net)), 0);
        }
    }
    if (addr_is_v4_mapped_text(addr, &rest) ||
        !addr_parse_v6(addr, strlen(addr), &v6))
        return;
    for (bits = 0; bits <= 128; bits++) {
        if (!ix->v6_len[bits])
            continue;
        masked = v6;
        for (i = 0; i < 16; i++) {
            int keep = bits - (int)i * 8;
            masked.s6_addr[i] &= keep >= 8 ? 0xff : keep <= 0 ? 0 :
                                 (unsigned char)(0xff << (8 - keep));
        }
        lookup(q, key_hash(KEY_V6MASK, (uint64_t)bits, &masked,
                           sizeof(masked)), 0);
    }
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Sorts the candidates not yet yielded. */
static void sort_candidates(struct index_query *q)
{
    if (q->cand_count > q->cand_next)
        qsort(q->cand + q->cand_next, q->cand_count - q->cand_next,
          sizeof(*q->cand), compare_u32);
}

/* The host name as eval_hostname() would give it without a lookup. */
static const char *known_name(struct request_info *r)
{
    return r->client->name[0] != '\0' ? r->client->name : unknown;
}

void index_query_begin(struct index_query *q, const struct table_index *ix,
                       struct request_info *r)
{
    struct host_info tmp;
    const char *addr;

    memset(q, 0, sizeof(*q));
    q->ix = ix;
    q->r = r;
    q->name_due = UINT32_MAX;
    /* The address is needed to find keys, but reading it must not fill
     * in the request earlier than Debian's scan would: use a copy. */
    addr = r->client->addr;
    if (addr[0] == '\0') {
        tmp = *r->client;
        addr = eval_hostaddr(&tmp);
    }
    lookup_text(q, match_strip_mapped(addr), true, 0);
    lookup_masks(q, addr);
    q->name_known = r->client->name[0] != '\0' || r->hostname == NULL;
    if (q->name_known)
        lookup_text(q, match_strip_mapped(known_name(r)), false, 0);
    sort_candidates(q);
    q->cand_sorted = true;
}

bool index_query_next(struct index_query *q, struct index_line *line)
{
    const struct table_index *ix = q->ix;
    uint32_t best = UINT32_MAX, pos;

    if (!q->name_known && q->r->client->name[0] != '\0') {
        /* The name was just looked up: its keys now find entries. */
        q->name_known = true;
        lookup_text(q, match_strip_mapped(q->r->client->name), false,
                    q->last);
        sort_candidates(q);
        q->cand_sorted = false;
    }
    while (q->cand_next < q->cand_count && q->cand[q->cand_next] < q->last)
        q->cand_next++;
    while (q->always_next < ix->n_always &&
           ix->always[q->always_next] < q->last)
        q->always_next++;
    while (q->trigger_next < ix->n_triggers &&
           ix->triggers[q->trigger_next] < q->last)
        q->trigger_next++;
    if (q->cand_next < q->cand_count)
        best = q->cand[q->cand_next];
    if (q->always_next < ix->n_always && ix->always[q->always_next] < best)
        best = ix->always[q->always_next];
    if (!q->name_known && q->trigger_next < ix->n_triggers &&
        ix->triggers[q->trigger_next] < best)
        best = ix->triggers[q->trigger_next];
    if (best == UINT32_MAX || q->failed)
        return false;
    pos = best;
    q->last = pos + 1;
    *line = ix->lines[pos];
    return true;
}

bool index_query_resume(const struct index_query *q, struct index_line *line)
{
    if (q->last >= q->ix->count)
        return false;
    *line = q->ix->lines[q->last];
    return true;
}

static bool daemon_is_except(const void *list, size_t i)
{
    const char *item = ((const struct pattern_list *)list)->items[i];

    return match_is_except(item, strlen(item));
}

static int daemon_matches(const void *list, size_t i, void *r)
{
    const char *item = ((const struct pattern_list *)list)->items[i];

    return match_daemon_name(item, strlen(item), r);
}

static bool span_is_except(const void *list, size_t i)
{
    const struct fastline_pattern *p =
        &((const struct fastline_list *)list)->item[i];

    return match_is_except(p->p, p->n);
}

static int span_matches(const void *list, size_t i, void *r)
{
    const struct fastline_pattern *p =
        &((const struct fastline_list *)list)->item[i];

    return match_daemon_name(p->p, p->n, r);
}

/* Does the daemon list of entry pos (which has no '@') match?  Reading
 * it may run out of memory: then the line counts as reached. */
static bool entry_daemons_match(const struct index_query *q,
                                const struct table_text *text, uint32_t pos)
{
    struct strbuf scratch = STRBUF_INIT;
    struct arena arena = ARENA_INIT;
    struct line_iter it;
    struct logical_line line;
    struct fastline_split split;
    struct rule rule;
    const char *start = text->data + q->ix->lines[pos].offset, *nl;
    bool hit = true;

    /* A simple line is split in place, as the index build split it. */
    nl = memchr(start, '\n', (size_t)(text->data + text->size - start));
    if (!text->has_nul && nl != NULL &&
        fastline_split(start, nl + 1, &split))
        return match_chain(&split.daemons, split.daemons.count,
                           span_is_except, span_matches, q->r) == 1;

    line_iter_at(&it, text, q->ix->lines[pos].offset,
                 (int)q->ix->lines[pos].newlines);
    if (line_iter_next(&it, &scratch, &line) &&
        rule_parse(&arena, line.text, line.len, line.lineno, &rule) ==
            RULE_PARSED)
        hit = match_chain(&rule.daemons, rule.daemons.count,
                          daemon_is_except, daemon_matches, q->r) == 1;
    arena_free(&arena);
    sb_free(&scratch);
    return hit;
}

/* True when entry pos is one of the query's candidates (yielded, or to
 * be yielded). */
static bool is_candidate(const struct index_query *q, uint32_t pos)
{
    size_t lo = 0, hi = q->cand_count, i;

    if (!q->cand_sorted) {
        for (i = 0; i < q->cand_count; i++)
            if (q->cand[i] == pos)
                return true;
        return false;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->cand[mid] < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < q->cand_count && q->cand[lo] == pos;
}

/* The first trigger entry of a run that no key yields, or max: the entry
 * where Debian's scan reads the name. */
static uint32_t first_skipped_trigger(const struct index_query *q,
                                      const struct effect_run *run)
{
    const struct table_index *ix = q->ix;
    size_t lo = 0, hi = ix->n_triggers;

    if (run->first_name == UINT32_MAX)
        return UINT32_MAX;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ix->triggers[mid] < run->first_name)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < ix->n_triggers && ix->triggers[lo] <= run->last; lo++)
        if (!is_candidate(q, ix->triggers[lo]))
            return ix->triggers[lo];
    return UINT32_MAX;
}

void index_query_catch_up(struct index_query *q,
                          const struct table_text *text, uint32_t upto)
{
    struct host_info *h = q->r->client;
    const struct effect_run *run;
    uint32_t name_at;

    /* Only fields still unset can tell; both are usually set early. */
    for (;;) {
        bool want_addr = h->addr[0] == '\0';
        bool want_name = h->name[0] == '\0' && q->r->hostname == NULL;

        if (!want_addr && !want_name)
            return;
        if (want_name && q->name_due < upto) {
            eval_hostname(h);
            continue;
        }
        if (q->run_next == q->ix->n_runs)
            return;
        run = &q->ix->runs[q->run_next];
        if (run->first >= upto)
            return;
        q->run_next++;
        if ((!want_addr && run->first_name == UINT32_MAX) ||
            !entry_daemons_match(q, text, run->first))
            continue;
        /* An evaluated entry read the address first, so reading it here
         * is right whether or not a key yielded the run's first entry. */
        if (want_addr)
            eval_hostaddr(h);
        /* Without a lookup method the name is known from the start, so
         * every candidate is known: the skipped ones are the others. */
        if (want_name && (name_at = first_skipped_trigger(q, run)) <
                             q->name_due)
            q->name_due = name_at;
    }
}

void index_query_end(struct index_query *q)
{
    free(q->cand);
    q->cand = NULL;
}
