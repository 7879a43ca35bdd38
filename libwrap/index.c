/*
 * index.c - keys from compiled patterns to rules, for big tables.
 *
 * Exports the index_* functions of index.h.  Building files each rule
 * under the keys of its client patterns; a query hashes the request's
 * address and name the same ways and merges the hits with the always and
 * trigger rules in file order.  The keys are exactly the conditions
 * under which Debian's string match and net/mask match can succeed, so a
 * rule that no key yields cannot match.  What evaluating it would have
 * left in the request (the client's address, a name of "unknown") is
 * recorded per run of rules with the same daemon list and made up for by
 * index_query_catch_up().
 */
#include "index.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
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

/* How a rule is found, weakest first; a rule is as hard to find as its
 * hardest pattern. */
enum find_kind {
    FIND_KEYED,   /* by its keys (perhaps none: it never matches) */
    FIND_TRIGGER, /* keyed, and may make the first name lookup */
    FIND_ALWAYS,  /* cannot be keyed: looked at on every decision */
};

/* A growing array of 32-bit values. */
struct u32vec {
    uint32_t *v;
    size_t n, cap;
};

/* Appends x; false when memory runs out. */
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

/* Mixes a word into a hash state. */
static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 31);
}

/* 64-bit hash of a key space, a number and some bytes, eight at a time. */
static uint64_t key_hash(uint64_t seed, enum key_space space, uint64_t extra,
                         const void *bytes, size_t n)
{
    const unsigned char *p = bytes;
    uint64_t h = mix(seed ^ ((uint64_t)space << 56) ^ n, extra), w;

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

/* The slot tag of a hash. */
static uint32_t slot_tag(uint64_t hash)
{
    uint32_t tag = (uint32_t)(hash >> 32);

    return tag != 0 ? tag : 1;
}

/* Lower-case copy of s[0..n) into out (room for n bytes). */
static void lower_copy(char *out, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        out[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
}

/* An IPv6 address with only its first bits kept. */
static void keep_bits(unsigned char a[16], int bits)
{
    int i;

    for (i = 0; i < 16; i++) {
        int keep = bits - i * 8;
        a[i] &= keep >= 8   ? 0xff
                : keep <= 0 ? 0
                            : (unsigned char)(0xff << (8 - keep));
    }
}

/* ---- building ---- */

/* Rules that share a tag while the index is built: a list per slot,
 * newest first. */
struct chain {
    uint32_t rule, next; /* next: 1 + its index, 0 at the end */
};

struct builder {
    const struct image *im; /* the rules so far, in the builder's buffer */
    uint64_t seed;
    struct index_slot *slots;
    uint32_t *heads; /* per slot: 1 + its chain's head, or 0 */
    struct chain *chains;
    size_t n_chains, cap_chains;
    size_t n_slots, slots_used;
    size_t total_keys; /* the keys of all rules (the first pass) */
    uint64_t *keys;    /* the current rule's keys */
    size_t n_keys, cap_keys;
    struct u32vec always, triggers;
    struct index_run *runs;
    size_t n_runs, cap_runs;
    uint32_t run_daemons; /* the daemon list of the last run */
    struct image_index ix;
    bool nomem;
};

/* Records that a text key of space and length n is filed. */
static void note_length(struct builder *b, enum key_space space, size_t n)
{
    size_t bit = n < 255 ? n : 255;

    b->ix.text_lens[space - KEY_ADDR_EXACT][bit / 8] |=
        (uint8_t)(1u << (bit % 8));
}

/* True when a text key of space and length n may be filed. */
static bool length_used(const struct image_index *ix, enum key_space space,
                        size_t n)
{
    size_t bit = n < 255 ? n : 255;

    return (ix->text_lens[space - KEY_ADDR_EXACT][bit / 8] >> (bit % 8)) & 1;
}

/* Adds hash to the current rule's keys; sets nomem when memory runs out. */
static void add_key(struct builder *b, uint64_t hash)
{
    if (b->n_keys == b->cap_keys) {
        uint64_t *k = array_grow(b->keys, &b->cap_keys, sizeof(*k), 16);
        if (k == NULL) {
            b->nomem = true;
            return;
        }
        b->keys = k;
    }
    b->keys[b->n_keys++] = hash;
}

/* Where a tag's probe starts in n slots: the tag scaled to n (any n,
 * so the array need not be a power of two). */
static inline size_t home_slot(uint32_t tag, size_t n)
{
    return (size_t)(((uint64_t)tag * n) >> 32);
}

/* The slot of tag in an array of n slots: its own, or the empty one
 * where it goes. */
static size_t find_slot(const struct index_slot *slots, size_t n, uint32_t tag)
{
    size_t j;

    for (j = home_slot(tag, n); slots[j].tag != 0 && slots[j].tag != tag;
         j = j + 1 == n ? 0 : j + 1)
        ;
    return j;
}

/* Slots for n keys: at most three quarters full. */
static size_t slots_for(size_t n)
{
    return n + n / 3 + 16;
}

/* Adds rule to the chain of slot j (newest first). */
static bool chain_push(struct builder *b, size_t j, uint32_t rule)
{
    struct chain *c;

    if (b->n_chains == b->cap_chains) {
        c = array_grow(b->chains, &b->cap_chains, sizeof(*c), 64);
        if (c == NULL)
            return false;
        b->chains = c;
    }
    if (b->n_chains >= UINT32_MAX - 1)
        return false;
    c = &b->chains[b->n_chains++];
    c->rule = rule;
    c->next = b->heads[j];
    b->heads[j] = (uint32_t)b->n_chains;
    return true;
}

/* Files rule under a key's hash, keeping the table at most half full.
 * Rules sharing a tag share its slot, so a table of many equal keys
 * costs no long probes. */
static bool insert_slot(struct builder *b, uint64_t hash, uint32_t rule)
{
    uint32_t tag = slot_tag(hash);
    size_t j;

    /* The slots were sized for every key: a tag more than counted
     * cannot come (but say no rather than loop). */
    if (b->slots_used + 1 >= b->n_slots)
        return false;
    j = find_slot(b->slots, b->n_slots, tag);
    if (b->slots[j].tag == 0) {
        b->slots[j].tag = tag;
        b->slots[j].rule = rule;
        b->slots_used++;
        return true;
    }
    /* A rule files each key once, but two of its keys may share a tag. */
    if (b->heads[j] == 0) {
        if (b->slots[j].rule == rule)
            return true;
        return chain_push(b, j, b->slots[j].rule) && chain_push(b, j, rule);
    }
    if (b->chains[b->heads[j] - 1].rule == rule)
        return true;
    return chain_push(b, j, rule);
}

/* Moves every chain into the overflow array, its rules ascending, and
 * points its slot there. */
static bool flatten_chains(struct builder *b, struct u32vec *overflow)
{
    size_t j, start, k;
    uint32_t c, tmp;

    for (j = 0; j < b->n_slots; j++) {
        if (b->heads[j] == 0)
            continue;
        start = overflow->n;
        if (start >= INDEX_OVERFLOW || !u32_push(overflow, 0))
            return false;
        for (c = b->heads[j]; c != 0; c = b->chains[c - 1].next)
            if (!u32_push(overflow, b->chains[c - 1].rule))
                return false;
        overflow->v[start] = (uint32_t)(overflow->n - start - 1);
        /* Newest first: reverse into ascending order. */
        for (k = 0; k < (overflow->n - start - 1) / 2; k++) {
            tmp = overflow->v[start + 1 + k];
            overflow->v[start + 1 + k] = overflow->v[overflow->n - 1 - k];
            overflow->v[overflow->n - 1 - k] = tmp;
        }
        b->slots[j].rule = INDEX_OVERFLOW | (uint32_t)start;
    }
    return true;
}

/* The keys of a string pattern: an [IPv6] literal, or an exact, prefix
 * or suffix text, with or without letters. */
static enum find_kind classify_string(struct builder *b,
                                      const struct image_pattern *p)
{
    const unsigned char *v6;
    const char *text;
    char small[128], *low = small;
    enum key_space space;
    bool name = (p->flags & PATTERN_NAME) != 0;
    size_t n;

    if (p->kind == PAT_V6_LITERAL) {
        if ((p->flags & PATTERN_V6_VALID) &&
            (v6 = image_at(b->im, p->value, 16)) != NULL) {
            add_key(b, key_hash(b->seed, KEY_V6, 0, v6, 16));
            b->ix.has_v6 = 1;
        }
        return FIND_TRIGGER;
    }
    if ((text = image_pattern_span(b->im, p, &n)) == NULL) {
        b->nomem = true;
        return FIND_ALWAYS;
    }
    if (!name) {
        low = (char *)text; /* digits and dots: nothing to lower */
    } else if (n > sizeof(small) && (low = malloc(n)) == NULL) {
        b->nomem = true;
        return FIND_ALWAYS;
    } else {
        lower_copy(low, text, n);
    }
    if (p->kind == PAT_SUFFIX)
        space = name ? KEY_TEXT_SUFFIX : KEY_ADDR_SUFFIX;
    else if (p->kind == PAT_PREFIX)
        space = name ? KEY_TEXT_PREFIX : KEY_ADDR_PREFIX;
    else
        space = name ? KEY_TEXT_EXACT : KEY_ADDR_EXACT;
    add_key(b, key_hash(b->seed, space, 0, low, n));
    note_length(b, space, n);
    if (low != small && low != text)
        free(low);
    return name ? FIND_TRIGGER : FIND_KEYED;
}

/* The keys of a net/mask pattern. */
static enum find_kind classify_netmask(struct builder *b,
                                       const struct image_pattern *p)
{
    const struct image_net4 *v4;
    const struct image_net6 *v6;
    unsigned char net[16];
    size_t i;

    if (p->kind == PAT_NET_NONE)
        return FIND_KEYED; /* never matches: no key */
    if (p->kind == PAT_NET4) {
        if ((v4 = image_at(b->im, p->value, sizeof(*v4))) == NULL) {
            b->nomem = true;
            return FIND_ALWAYS;
        }
        if ((v4->net & ~v4->mask) != 0)
            return FIND_KEYED; /* host bits set: never matches */
        for (i = 0; i < b->ix.n_v4_masks; i++)
            if (b->ix.v4_masks[i] == v4->mask)
                break;
        if (i == b->ix.n_v4_masks) {
            if (i == INDEX_MAX_V4_MASKS)
                return FIND_ALWAYS;
            b->ix.v4_masks[b->ix.n_v4_masks++] = v4->mask;
        }
        add_key(b, key_hash(b->seed, KEY_V4MASK, v4->mask, &v4->net,
                            sizeof(v4->net)));
        return FIND_KEYED;
    }
    if ((v6 = image_at(b->im, p->value, sizeof(*v6))) == NULL ||
        v6->bits > 128) {
        b->nomem = true;
        return FIND_ALWAYS;
    }
    memcpy(net, v6->addr, sizeof(net));
    keep_bits(net, (int)v6->bits);
    b->ix.v6_lens[v6->bits] = 1;
    add_key(b, key_hash(b->seed, KEY_V6MASK, v6->bits, net, sizeof(net)));
    return FIND_KEYED;
}

/* Files one client item under its keys. */
static enum find_kind classify(struct builder *b,
                               const struct image_pattern *p)
{
    if (p->flags & PATTERN_HOST_FOLLOWS)
        return FIND_ALWAYS; /* user@host: an ident query */
    switch (p->kind) {
    case PAT_NET4:
    case PAT_NET6:
    case PAT_NET_NONE:
        return classify_netmask(b, p);
    case PAT_EXACT:
    case PAT_PREFIX:
    case PAT_SUFFIX:
    case PAT_V6_LITERAL:
        return classify_string(b, p);
    default:
        return FIND_ALWAYS; /* netgroups, lists, keywords, wildcards */
    }
}

/* True when two daemon lists are the same patterns. */
static bool same_list(const struct image *im, uint32_t a, uint32_t b)
{
    const struct image_list *la = image_list(im, a), *lb = image_list(im, b);
    const char *ta, *tb;
    size_t i, na, nb;

    if (a == b)
        return true;
    if (la == NULL || lb == NULL || la->count != lb->count)
        return false;
    for (i = 0; i < la->count; i++) {
        const struct image_pattern *pa = &la->item[i], *pb = &lb->item[i];
        if (pa->kind != pb->kind ||
            (pa->flags & ~PATTERN_LONG) != (pb->flags & ~PATTERN_LONG))
            return false;
        if (pa->kind == PAT_PORT) {
            if (pa->value != pb->value)
                return false;
            continue;
        }
        ta = image_pattern_span(im, pa, &na);
        tb = image_pattern_span(im, pb, &nb);
        if ((ta == NULL) != (tb == NULL) ||
            (ta != NULL && (na != nb || memcmp(ta, tb, na) != 0)))
            return false;
        if (ta == NULL && pa->value != pb->value)
            return false; /* addresses: compared where they lie */
    }
    return true;
}

/* Records that rule, whose daemon list is daemons, reads the address
 * (and the name, with text) when Debian's scan reaches it. */
static void add_effect(struct builder *b, uint32_t rule, uint32_t daemons,
                       bool text)
{
    struct index_run *run = b->n_runs > 0 ? &b->runs[b->n_runs - 1] : NULL;

    if (run != NULL && same_list(b->im, b->run_daemons, daemons)) {
        if (text && run->first_name == UINT32_MAX) {
            /* The rule's trigger entry comes next (add_rule()). */
            run->first_name = rule;
            run->first_trigger = (uint32_t)b->triggers.n;
        }
        run->last = rule;
        return;
    }
    if (b->n_runs == b->cap_runs) {
        run = array_grow(b->runs, &b->cap_runs, sizeof(*run), 16);
        if (run == NULL) {
            b->nomem = true;
            return;
        }
        b->runs = run;
    }
    run = &b->runs[b->n_runs++];
    run->first = rule;
    run->last = rule;
    run->first_name = text ? rule : UINT32_MAX;
    run->first_trigger = (uint32_t)b->triggers.n;
    run->daemons = daemons;
    b->run_daemons = daemons;
}

/* Classifies one rule and files it. */
static void add_rule(struct builder *b, uint32_t i,
                     const struct image_rule *rule, bool count_only)
{
    enum find_kind kind = FIND_ALWAYS, k;
    const struct image_list *daemons, *clients;
    bool positive = false;
    size_t j;

    b->n_keys = 0;
    daemons = image_list(b->im, rule->daemons);
    clients = image_list(b->im, rule->clients);
    if (!(image_rule_flags(rule) & (IMAGE_RULE_NO_COLON | IMAGE_RULE_COMMENT |
                                    IMAGE_RULE_UNTERMINATED)) &&
        daemons != NULL && clients != NULL) {
        kind = FIND_KEYED;
        for (j = 0; j < daemons->count; j++)
            if (daemons->item[j].flags & PATTERN_HOST_FOLLOWS)
                kind = FIND_ALWAYS;
        for (j = 0; j < clients->count && kind != FIND_ALWAYS;
             j += (clients->item[j].flags & PATTERN_HOST_FOLLOWS) ? 2 : 1) {
            if (clients->item[j].kind == PAT_EXCEPT)
                break;
            k = classify(b, &clients->item[j]);
            kind = k > kind ? k : kind;
        }
        positive = clients->count > 0 && clients->item[0].kind != PAT_EXCEPT;
    }
    if (count_only) {
        b->total_keys += kind == FIND_ALWAYS ? 0 : b->n_keys;
        return;
    }
    if (kind != FIND_ALWAYS && positive)
        add_effect(b, i, rule->daemons, kind == FIND_TRIGGER);
    if (kind == FIND_ALWAYS) {
        if (!u32_push(&b->always, i))
            b->nomem = true;
        return;
    }
    if (kind == FIND_TRIGGER && !u32_push(&b->triggers, i))
        b->nomem = true;
    for (j = 0; j < b->n_keys && !b->nomem; j++)
        b->nomem = !insert_slot(b, b->keys[j], i);
}

/* Appends the runs that have a name again, on their own: a query that
 * only wants the name reads them and no other run. */
static void put_name_runs(struct builder *b, struct image_builder *ib,
                          bool *ok)
{
    size_t i, n = 0;
    uint32_t off;

    for (i = 0; i < b->n_runs; i++)
        n += b->runs[i].first_name != UINT32_MAX;
    b->ix.n_name_runs = (uint32_t)n;
    if (n == 0)
        return;
    off = image_reserve(ib, n * sizeof(*b->runs));
    if (off == 0) {
        *ok = false;
        return;
    }
    b->ix.name_runs = off;
    for (i = 0, n = 0; i < b->n_runs; i++) {
        if (b->runs[i].first_name != UINT32_MAX)
            memcpy(
                image_builder_at(ib, off + (uint32_t)(n++ * sizeof(*b->runs))),
                &b->runs[i], sizeof(*b->runs));
    }
}

/* Appends n records of size bytes; their offset (0 for none). */
static uint32_t put_array(struct image_builder *ib, const void *v, size_t n,
                          size_t size, bool *ok)
{
    uint32_t off;

    if (n == 0)
        return 0;
    off = image_put(ib, v, n * size);
    if (off == 0)
        *ok = false;
    return off;
}

bool index_build(struct image_builder *ib, uint32_t ix_off)
{
    struct image im = {NULL, 0, NULL};
    const struct image_rule *rules;
    struct builder b;
    struct u32vec overflow = {0};
    uint32_t i, n = image_builder_header(ib)->n_rules, slots_off;
    size_t rules_off = image_builder_header(ib)->rules;
    bool ok = true;

    memset(&b, 0, sizeof(b));
    b.im = &im;
    b.seed = image_builder_header(ib)->seed;
    /* First the keys are counted, so that the slots can be made in the
     * image, at their final size, and never copied. */
    im.base = (const unsigned char *)ib->buf.data;
    im.size = ib->buf.len;
    if ((rules = image_at(&im, (uint32_t)rules_off,
                          (size_t)n * sizeof(*rules))) == NULL)
        return false;
    for (i = 0; i < n && !b.nomem; i++)
        add_rule(&b, i, &rules[i], true);
    b.n_slots = slots_for(b.total_keys);
    if (b.nomem || b.n_slots > (size_t)1 << 30 ||
        (slots_off = image_reserve(ib, b.n_slots * sizeof(*b.slots))) == 0 ||
        (b.heads = calloc(b.n_slots, sizeof(*b.heads))) == NULL) {
        free(b.keys);
        return false;
    }
    im.base = (const unsigned char *)ib->buf.data;
    im.size = ib->buf.len;
    rules = image_at(&im, (uint32_t)rules_off, (size_t)n * sizeof(*rules));
    b.slots = image_builder_at(ib, slots_off);
    memset(&b.ix, 0, sizeof(b.ix));
    for (i = 0; i < n && !b.nomem; i++)
        add_rule(&b, i, &rules[i], false);
    if (!b.nomem && !flatten_chains(&b, &overflow))
        b.nomem = true;
    /* Done with before the image grows again: the peak of a compile is
     * the image and what is kept beside it. */
    free(b.heads);
    free(b.chains);
    b.heads = NULL;
    b.chains = NULL;
    b.slots = NULL; /* the appends below may move the buffer */
    if (!b.nomem) {
        b.ix.n_slots = (uint32_t)b.n_slots;
        b.ix.slots = slots_off;
        b.ix.overflow = put_array(ib, overflow.v, overflow.n, 4, &ok);
        b.ix.n_overflow = (uint32_t)overflow.n;
        b.ix.always = put_array(ib, b.always.v, b.always.n, 4, &ok);
        b.ix.n_always = (uint32_t)b.always.n;
        b.ix.triggers = put_array(ib, b.triggers.v, b.triggers.n, 4, &ok);
        b.ix.n_triggers = (uint32_t)b.triggers.n;
        b.ix.runs = put_array(ib, b.runs, b.n_runs, sizeof(*b.runs), &ok);
        b.ix.n_runs = (uint32_t)b.n_runs;
        put_name_runs(&b, ib, &ok);
        if (ok) {
            memcpy(image_builder_at(ib, ix_off), &b.ix, sizeof(b.ix));
            image_builder_header(ib)->index = ix_off;
        }
    }
    free(overflow.v);
    free(b.keys);
    free(b.always.v);
    free(b.triggers.v);
    free(b.runs);
    return ok && !b.nomem;
}

/* True when the array of n records of size bytes at off is inside the
 * image (an empty one may be anywhere). */
static bool array_fits(const struct image *im, uint32_t off, uint32_t n,
                       size_t size)
{
    return n == 0 || (off % 4 == 0 && image_fits(im, off, (size_t)n * size));
}

bool index_check(const struct image *im, const struct image_header *h)
{
    const struct image_index *ix = image_at(im, h->index, sizeof(*ix));

    if (ix == NULL || ix->n_v4_masks > INDEX_MAX_V4_MASKS ||
        ix->n_slots == 0 || ix->n_slots > (uint32_t)1 << 30)
        return false;
    return array_fits(im, ix->slots, ix->n_slots, sizeof(struct index_slot)) &&
           array_fits(im, ix->overflow, ix->n_overflow, 4) &&
           array_fits(im, ix->always, ix->n_always, 4) &&
           array_fits(im, ix->triggers, ix->n_triggers, 4) &&
           array_fits(im, ix->runs, ix->n_runs, sizeof(struct index_run)) &&
           array_fits(im, ix->name_runs, ix->n_name_runs,
                      sizeof(struct index_run));
}

/* ---- queries ---- */

/* Adds one candidate rule. */
static void add_candidate(struct index_query *q, uint32_t rule)
{
    if (rule >= q->h->n_rules) {
        q->corrupt = true;
        return;
    }
    if (q->cand_count == q->cand_cap) {
        uint32_t *c = array_grow(q->cand, &q->cand_cap, sizeof(*c), 16);
        if (c == NULL) {
            q->failed = true;
            return;
        }
        q->cand = c;
    }
    q->cand[q->cand_count++] = rule;
}

/* Record i of the array of n records of size bytes at off, or NULL
 * (the query is then corrupt).  One record at a time: through a reader
 * (image.h), a cold decision reads only what it looks at. */
static const void *element(struct index_query *q, uint32_t off, uint32_t n,
                           size_t i, size_t size)
{
    const void *p = NULL;

    if (i < n && (size_t)off + i * size <= UINT32_MAX)
        p = image_at(q->im, (uint32_t)(off + i * size), size);
    if (p == NULL)
        q->corrupt = true;
    return p;
}

/* Entry i of an array of rule numbers (max when it cannot be read). */
static uint32_t rule_number(struct index_query *q, uint32_t off, uint32_t n,
                            size_t i)
{
    const uint32_t *p = element(q, off, n, i, sizeof(*p));

    return p != NULL ? *p : UINT32_MAX;
}

/* Adds every rule filed under hash at or after rule from. */
static void lookup(struct index_query *q, uint64_t hash, uint32_t from)
{
    const struct image_index *ix = q->ix;
    const struct index_slot *slot;
    uint32_t tag = slot_tag(hash), rule, n, k;
    size_t slots = ix->n_slots, j, probes;
    const uint32_t *list;

    for (j = home_slot(tag, slots), probes = 0; probes < slots;
         j = j + 1 == slots ? 0 : j + 1, probes++) {
        if ((slot = element(q, ix->slots, ix->n_slots, j, sizeof(*slot))) ==
                NULL ||
            slot->tag == 0)
            return;
        if (slot->tag != tag)
            continue;
        rule = slot->rule;
        if (!(rule & INDEX_OVERFLOW)) {
            if (rule >= from)
                add_candidate(q, rule);
            return;
        }
        /* The count, then the rules. */
        rule &= ~INDEX_OVERFLOW;
        n = rule_number(q, ix->overflow, ix->n_overflow, rule);
        if (q->corrupt || n > ix->n_overflow - rule - 1) {
            q->corrupt = true;
            return;
        }
        if ((list = image_at(q->im, ix->overflow + rule * 4,
                             ((size_t)n + 1) * 4)) == NULL) {
            q->corrupt = true;
            return;
        }
        for (k = 1; k <= n && !q->failed && !q->corrupt; k++)
            if (list[k] >= from)
                add_candidate(q, list[k]);
        return;
    }
}

/* Looks up a text key, if a key of its space and length is filed. */
static void maybe_lookup(struct index_query *q, enum key_space space,
                         const char *text, size_t n, uint32_t from)
{
    if (length_used(q->ix, space, n))
        lookup(q, key_hash(q->h->seed, space, 0, text, n), from);
}

/* Looks up the text keys of a string (stripped, any case). */
static void lookup_text(struct index_query *q, const char *s, bool address,
                        uint32_t from)
{
    char low[STRING_LENGTH] = "";
    size_t n = strlen(s), i;
    uint64_t seed = q->h->seed;
    struct in6_addr v6;

    if (n >= sizeof(low))
        n = sizeof(low) - 1; /* request strings are shorter */
    lower_copy(low, s, n);
    maybe_lookup(q, KEY_TEXT_EXACT, low, n, from);
    if (address)
        maybe_lookup(q, KEY_ADDR_EXACT, low, n, from);
    for (i = 0; i < n; i++) {
        if (low[i] != '.')
            continue;
        maybe_lookup(q, KEY_TEXT_PREFIX, low, i + 1, from);
        if (address)
            maybe_lookup(q, KEY_ADDR_PREFIX, low, i + 1, from);
        if (i >= 1) {
            maybe_lookup(q, KEY_TEXT_SUFFIX, low + i, n - i, from);
            if (address)
                maybe_lookup(q, KEY_ADDR_SUFFIX, low + i, n - i, from);
        }
    }
    if (q->ix->has_v6 && addr_parse_v6(s, strlen(s), &v6))
        lookup(q, key_hash(seed, KEY_V6, 0, &v6, sizeof(v6)), from);
}

/* Looks up the mask keys of the client address (unstripped text). */
static void lookup_masks(struct index_query *q, const char *addr)
{
    const struct image_index *ix = q->ix;
    const char *v4text = addr_strip_mapped(addr), *rest;
    uint32_t v4 = addr_dot_quad(v4text), net;
    struct in6_addr v6;
    unsigned char masked[16];
    size_t i;
    int bits;

    if (v4 != INADDR_NONE) {
        for (i = 0; i < ix->n_v4_masks; i++) {
            net = v4 & ix->v4_masks[i];
            lookup(q,
                   key_hash(q->h->seed, KEY_V4MASK, ix->v4_masks[i], &net,
                            sizeof(net)),
                   0);
        }
    }
    if (addr_is_v4_mapped_text(addr, &rest) ||
        !addr_parse_v6(addr, strlen(addr), &v6))
        return;
    for (bits = 0; bits <= 128; bits++) {
        if (!ix->v6_lens[bits])
            continue;
        memcpy(masked, &v6, sizeof(masked));
        keep_bits(masked, bits);
        lookup(q,
               key_hash(q->h->seed, KEY_V6MASK, (uint64_t)bits, masked,
                        sizeof(masked)),
               0);
    }
}

/* qsort() order of 32-bit values, ascending. */
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

void index_query_begin(struct index_query *q, const struct image *im,
                       const struct image_header *h, struct request_info *r)
{
    struct host_info tmp;
    const char *addr;

    memset(q, 0, sizeof(*q));
    q->im = im;
    q->h = h;
    q->r = r;
    q->name_due = UINT32_MAX;
    q->ix = image_at(im, h->index, sizeof(*q->ix));
    if (q->ix == NULL) {
        q->corrupt = true;
        return;
    }
    if (q->ix->n_slots == 0) {
        q->corrupt = true;
        return;
    }
    /* The address is needed to find keys, but reading it must not fill
     * in the request earlier than Debian's scan would: use a copy. */
    addr = r->client->addr;
    if (addr[0] == '\0') {
        tmp = *r->client;
        addr = eval_hostaddr(&tmp);
    }
    lookup_text(q, addr_strip_mapped(addr), true, 0);
    lookup_masks(q, addr);
    q->name_known = r->client->name[0] != '\0' || r->hostname == NULL;
    if (q->name_known)
        lookup_text(q, addr_strip_mapped(known_name(r)), false, 0);
    sort_candidates(q);
    q->cand_sorted = true;
}

/* The first entry from i on of a sorted array of rule numbers that is at
 * least from. */
static size_t skip_below(struct index_query *q, uint32_t off, uint32_t n,
                         size_t i, uint32_t from)
{
    while (i < n && !q->corrupt && rule_number(q, off, n, i) < from)
        i++;
    return i;
}

bool index_query_next(struct index_query *q, uint32_t *rule)
{
    const struct image_index *ix = q->ix;
    uint32_t best = UINT32_MAX, r;

    if (q->corrupt || q->failed)
        return false;
    if (!q->name_known && q->r->client->name[0] != '\0') {
        /* The name was just looked up: its keys now find rules. */
        q->name_known = true;
        lookup_text(q, addr_strip_mapped(q->r->client->name), false, q->last);
        sort_candidates(q);
        q->cand_sorted = false;
    }
    while (q->cand_next < q->cand_count && q->cand[q->cand_next] < q->last)
        q->cand_next++;
    if (q->cand_next < q->cand_count)
        best = q->cand[q->cand_next];
    q->always_next =
        skip_below(q, ix->always, ix->n_always, q->always_next, q->last);
    if (q->always_next < ix->n_always &&
        (r = rule_number(q, ix->always, ix->n_always, q->always_next)) < best)
        best = r;
    /* Triggers matter only while the name is unknown. */
    if (!q->name_known) {
        q->trigger_next = skip_below(q, ix->triggers, ix->n_triggers,
                                     q->trigger_next, q->last);
        if (q->trigger_next < ix->n_triggers &&
            (r = rule_number(q, ix->triggers, ix->n_triggers,
                             q->trigger_next)) < best)
            best = r;
    }
    if (best == UINT32_MAX || q->failed || q->corrupt)
        return false;
    if (best >= q->h->n_rules) {
        q->corrupt = true;
        return false;
    }
    q->last = best + 1;
    *rule = best;
    return true;
}

bool index_query_resume(const struct index_query *q, uint32_t *rule)
{
    if (q->last >= q->h->n_rules)
        return false;
    *rule = q->last;
    return true;
}

/* True when rule is one of the query's candidates (yielded, or to be
 * yielded). */
static bool is_candidate(const struct index_query *q, uint32_t rule)
{
    size_t lo = 0, hi = q->cand_count, i;

    if (!q->cand_sorted) {
        for (i = 0; i < q->cand_count; i++)
            if (q->cand[i] == rule)
                return true;
        return false;
    }
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->cand[mid] < rule)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < q->cand_count && q->cand[lo] == rule;
}

/* The first trigger rule of a run that no key yields, or max: the rule
 * where Debian's scan reads the name. */
static uint32_t first_skipped_trigger(struct index_query *q,
                                      const struct index_run *run)
{
    const struct image_index *ix = q->ix;
    uint32_t t;
    size_t i;

    if (run->first_name == UINT32_MAX)
        return UINT32_MAX;
    /* Usually the first one itself (no need to read the array). */
    if (!is_candidate(q, run->first_name))
        return run->first_name;
    for (i = run->first_trigger; i < ix->n_triggers; i++) {
        t = rule_number(q, ix->triggers, ix->n_triggers, i);
        if (q->corrupt || t > run->last)
            break;
        if (!is_candidate(q, t))
            return t;
    }
    return UINT32_MAX;
}

/* Does the daemon list at off (which has no '@') match? */
static bool daemons_match(struct index_query *q, index_daemons_fn *daemons,
                          void *arg, uint32_t off)
{
    enum match_result hit = daemons(arg, q->im, off);

    if (hit == MATCH_CORRUPT)
        q->corrupt = true;
    return hit == MATCH_YES;
}

/* The next run the catch-up looks at, among all runs or (when only the
 * name is wanted) among those with a name; NULL when there is none. */
static const struct index_run *next_run(struct index_query *q, bool all)
{
    const struct image_index *ix = q->ix;
    const struct index_run *run;

    if (all) {
        if (q->run_next >= ix->n_runs)
            return NULL;
        return element(q, ix->runs, ix->n_runs, q->run_next++, sizeof(*run));
    }
    for (;;) {
        if (q->name_run_next >= ix->n_name_runs)
            return NULL;
        run = element(q, ix->name_runs, ix->n_name_runs, q->name_run_next++,
                      sizeof(*run));
        if (run == NULL || run->first >= q->next_first)
            return run;
    }
}

void index_query_catch_up(struct index_query *q, index_daemons_fn *daemons,
                          void *arg, uint32_t upto)
{
    struct host_info *h = q->r->client;
    const struct index_run *run;
    uint32_t name_at;

    /* Only fields still unset can tell; both are usually set early. */
    while (!q->corrupt) {
        bool want_addr = h->addr[0] == '\0';
        bool want_name = h->name[0] == '\0' && q->r->hostname == NULL;

        if (!want_addr && !want_name)
            return;
        if (want_name && q->name_due < upto) {
            eval_hostname(h);
            continue;
        }
        /* Without the address wanted, only runs with a name can tell. */
        if ((run = next_run(q, want_addr)) == NULL)
            return;
        if (run->first >= upto) {
            /* Not reached yet: look at it again next time. */
            if (want_addr)
                q->run_next--;
            else
                q->name_run_next--;
            return;
        }
        q->next_first = run->first + 1;
        if (!daemons_match(q, daemons, arg, run->daemons))
            continue;
        /* An evaluated rule read the address first, so reading it here
         * is right whether or not a key yielded the run's first rule. */
        if (want_addr)
            eval_hostaddr(h);
        /* Without a lookup method the name is known from the start, so
         * every candidate is known: the skipped ones are the others. */
        if (want_name &&
            (name_at = first_skipped_trigger(q, run)) < q->name_due)
            q->name_due = name_at;
    }
}

void index_query_end(struct index_query *q)
{
    free(q->cand);
    q->cand = NULL;
}
