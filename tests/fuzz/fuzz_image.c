/*
 * fuzz_image.c - the image loader and the matcher over hostile images.
 *
 * The input is sections separated by "%%" lines: a table (hosts.allow),
 * a /file host list that its rules name as /1, and a mutation script.
 * Both are compiled (ruleset_compile()), and the script changes the
 * bytes of their images; one command a line:
 *
 *   b OFF VAL   the byte at OFF       w OFF VAL   the 32-bit word at OFF
 *   q OFF VAL   the 64-bit word       t LEN       truncate to LEN bytes
 *   z N         N zero bytes more (at most 65536)
 *
 * numbers as strtoull(base 0) reads them, native byte order; "l" before
 * a command (lb, lw, ...) changes the list's image instead of the
 * table's, and a command outside the image does nothing.  Then:
 *
 *   - each image, copied into pages of its own with nothing readable
 *     after it (fuzzlib.h), goes to ruleset_from_map() as a mapped
 *     image does; if accepted, several requests are evaluated against
 *     the table through its index and in order, with the list image as
 *     /1 (fz_eval_table(): access.c's loop, options read, not run);
 *   - the images are put in a store directory (with the source record
 *     of the files as they are, so that they are not refused for that
 *     alone) and the requests decided by access_decide(), the library's
 *     whole path: store_load(), ruleset_from_map(), the scan, and the
 *     text when the image is bad (options run here, so the harness is
 *     sealed: see sealed.c);
 *   - the raw input itself is tried as an image (of the path it
 *     records), and evaluated if accepted.
 *
 * An accepted image may decide differently from the text (the mutations
 * change rules); the checks are that nothing crashes, hangs, leaks or
 * reads outside an image, and that the library's verdict is 0 or 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "access.h"
#include "cache.h"
#include "clockahead.h"
#include "exports.h"
#include "fuzzlib.h"
#include "match.h"
#include "ruleset.h"
#include "store.h"
#include "strbuf.h"
#include "table.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The path rules name the list by (fuzzlib maps it into the sandbox). */
#define LIST_PATH "/1"

/* The most a "z" command adds. */
enum { GROW_MAX = 65536 };
/* The most /file lists one client pattern reads (hostlist.c's bound is
 * larger; this one keeps a run short). */
enum { LIST_VISITS = 64 };

/* An image being mutated. */
struct bytes {
    unsigned char *p;
    size_t n;
};

static const struct {
    const char *daemon, *addr, *name, *user;
} requests[] = {
    {"sshd", "10.0.0.1", "host.example", "bob"},
    {"ftpd", "::1", "unknown", "unknown"},
    {"in.telnetd", "192.0.2.7", "a.example.com", "root"},
    {"sshd", "2001:db8::1", "", ""},
    {"22", "::ffff:10.0.0.2", "local", "bob"},
};
enum { REQUESTS = sizeof(requests) / sizeof(requests[0]) };

static void new_request(struct request_info *r, int i)
{
    request_init(r, RQ_DAEMON, requests[i].daemon, RQ_CLIENT_ADDR,
                 requests[i].addr, RQ_CLIENT_NAME, requests[i].name, RQ_USER,
                 requests[i].user, 0);
}

/* ---- the mutation script ---- */

/* Applies one command to b. */
static void mutate(struct bytes *b, char cmd, unsigned long long off,
                   unsigned long long val)
{
    size_t width = cmd == 'b' ? 1 : cmd == 'w' ? 4 : 8;
    uint32_t w32 = (uint32_t)val;
    uint8_t w8 = (uint8_t)val;
    unsigned char *grown;

    switch (cmd) {
    case 'b':
    case 'w':
    case 'q':
        if (off >= b->n || width > b->n - off)
            return;
        memcpy(b->p + off,
               cmd == 'b'   ? (void *)&w8
               : cmd == 'w' ? (void *)&w32
                            : &val,
               width);
        return;
    case 't':
        if (off < b->n)
            b->n = (size_t)off;
        return;
    case 'z':
        if (off == 0 || off > GROW_MAX)
            return;
        grown = realloc(b->p, b->n + (size_t)off);
        if (grown == NULL)
            return;
        memset(grown + b->n, 0, (size_t)off);
        b->p = grown;
        b->n += (size_t)off;
        return;
    default:
        return;
    }
}

/* Runs the script's lines over the table's and the list's images. */
static void run_script(const struct fz_section *s, struct bytes *table,
                       struct bytes *list)
{
    char *script = fz_strndup(s), *line, *next, *end;
    unsigned long long off, val;
    struct bytes *b;
    char cmd;

    for (line = script; line != NULL; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        b = table;
        if (line[0] == 'l') {
            b = list;
            line++;
        }
        cmd = line[0];
        if (cmd == '\0')
            continue;
        off = strtoull(line + 1, &end, 0);
        val = strtoull(end, &end, 0);
        mutate(b, cmd, off, val);
    }
    free(script);
}

/* ---- the images, mapped as from the store ---- */

/* A ruleset over a copy of b as ruleset_from_map() gets a mapped image,
 * or NULL when refused. */
static struct ruleset *map_copy(const char *path, const struct bytes *b,
                                enum image_kind kind)
{
    void *copy = fz_copy_image(b->p, b->n);
    struct ruleset *rs;

    if (copy == NULL)
        return NULL;
    rs = ruleset_from_map(path, copy, b->n, kind);
    if (rs == NULL)
        fz_copy_free(copy, b->n);
    return rs;
}

/* Puts a mapped copy's ruleset back. */
static void put_copy(struct ruleset *rs)
{
    if (rs == NULL)
        return;
    fz_copy_release(rs->mapped, rs->mapped_size);
    ruleset_put(rs);
}

/* The list /1 is, for fz_eval_table(). */
static struct ruleset *list_rs;
static unsigned list_visits;

/* The /file list function over the list image, bounded as hostlist.c
 * bounds it: the depth, and lists read per pattern. */
static enum match_result list_of_image(struct match_ctx *m, const char *path,
                                       struct match_endpoint *e, int depth)
{
    if (depth == 0)
        list_visits = 0;
    if (list_rs == NULL || strcmp(path, LIST_PATH) != 0 ||
        depth >= MATCH_MAX_FILE_DEPTH || ++list_visits > LIST_VISITS)
        return MATCH_NO;
    return match_words(m, &list_rs->im, list_rs->h->rules, e, depth + 1);
}

/* Every request against an accepted table image, both ways. */
static void evaluate(const struct ruleset *table)
{
    struct request_info r;
    long got;
    int i, way;

    for (i = 0; i < REQUESTS; i++) {
        for (way = 0; way < 2; way++) {
            new_request(&r, i);
            got = fz_eval_table(&table->im, table->h, &r, list_of_image, NULL,
                                way == 0);
            if (got >= (long)table->h->n_rules || got < FZ_ERROR)
                fz_fail("rule %ld of %u matched", got, table->h->n_rules);
        }
    }
}

/* The raw input as an image of either kind, of whatever path it
 * records: as a table, evaluated; as a list, matched against each
 * request's client. */
static void try_raw(const uint8_t *data, size_t size)
{
    void *copy = fz_copy_image(data, size);
    const struct image_header *h;
    struct request_info r;
    struct match_ctx m;
    struct ruleset *rs;
    struct image im;
    int i;

    if (copy == NULL)
        return;
    h = image_open(&im, copy, size, 0);
    rs = h == NULL ? NULL
                   : ruleset_from_map((const char *)copy + h->path, copy, size,
                                      (enum image_kind)h->kind);
    if (rs == NULL) {
        fz_copy_free(copy, size);
        return;
    }
    list_rs = NULL;
    if (rs->h->kind == IMAGE_TABLE) {
        evaluate(rs);
    } else {
        for (i = 0; i < REQUESTS; i++) {
            new_request(&r, i);
            match_begin(&m, &r, list_of_image, NULL);
            list_rs = rs;
            list_visits = 0;
            match_words(&m, &rs->im, rs->h->rules, &m.client, 1);
        }
        list_rs = NULL;
    }
    put_copy(rs);
}

/* ---- the library's own path, through a store ---- */

/* Gives an image the source record of the file at path as it is now. */
static void claim(struct bytes *b, const char *file)
{
    struct image_header *h = (struct image_header *)(void *)b->p;
    struct timespec now;
    struct stat st;
    uint32_t flags;

    if (b->n < sizeof(*h) || stat(file, &st) != 0)
        return;
    flags = h->source.flags;
    clock_gettime(CLOCK_REALTIME, &now);
    image_source_set(&h->source, &st, &now, flags & SOURCE_ANY_READER, false);
}

/* The requests decided by the library with the images in the store. */
static void decide_with_store(const struct bytes *table,
                              const struct bytes *list, const char *path)
{
    struct access_config cfg = {.store_dir = fz_store(),
                                .time_granularity_ns = 1};
    struct request_info r;
    int i, verdict;

    fz_store_clear();
    store_save(cfg.store_dir, path, table->p, table->n);
    store_save(cfg.store_dir, LIST_PATH, list->p, list->n);
    cache_flush();
    clock_run_ahead(10);
    for (i = 0; i < REQUESTS; i++) {
        new_request(&r, i);
        fz_capture_start();
        fz_sandbox_enter();
        verdict = access_decide(&r, &cfg);
        fz_sandbox_leave();
        if (verdict != 0 && verdict != 1)
            fz_fail("verdict %d", verdict);
    }
    clock_run_ahead(0);
    cache_flush();
}

/* ---- the harness ---- */

/* Reads and compiles a file as the rules of path, read now + 10 s (not
 * racy); its image's bytes into b (empty when it does not compile). */
static void compile_file(const char *file, const char *path,
                         enum image_kind kind, struct bytes *b)
{
    struct timespec now;
    struct table_text text;
    struct ruleset *rs;

    b->p = NULL;
    b->n = 0;
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_sec += 10;
    if (table_read(file, &text) != TABLE_OK)
        return;
    rs = ruleset_compile(path, &text, kind, &now, false);
    table_text_free(&text);
    if (rs == NULL)
        fz_fail("%s did not compile", path);
    b->n = rs->im.size;
    b->p = malloc(b->n);
    if (b->p == NULL)
        fz_fail("out of memory");
    memcpy(b->p, rs->im.base, b->n);
    ruleset_put(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct fz_section none = {"", 0};
    struct fz_section sec[3];
    struct bytes table, list;
    const char *allow = fz_path(0, "allow"), *list_file = fz_path(1, "sbx/1");
    struct ruleset *table_rs;
    size_t n;

    n = fz_split(data, size, "%%\n", sec, 3);
    fz_write(allow, sec[0].p, sec[0].n);
    fz_write(list_file, n > 1 ? sec[1].p : "", n > 1 ? sec[1].n : 0);
    hosts_allow_table = (char *)allow;
    hosts_deny_table = (char *)fz_path(2, "deny");
    fz_write(hosts_deny_table, NULL, 0);
    hosts_access_verbose = 2;
    resident = 1; /* twist refuses, as in a daemon */

    compile_file(allow, allow, IMAGE_TABLE, &table);
    compile_file(list_file, LIST_PATH, IMAGE_LIST, &list);
    claim(&table, allow);
    claim(&list, list_file);
    run_script(n > 2 ? &sec[2] : &none, &table, &list);

    list_rs = map_copy(LIST_PATH, &list, IMAGE_LIST);
    table_rs = map_copy(allow, &table, IMAGE_TABLE);
    if (table_rs != NULL)
        evaluate(table_rs);
    put_copy(table_rs);
    put_copy(list_rs);
    list_rs = NULL;

    decide_with_store(&table, &list, allow);
    try_raw(data, size);

    free(table.p);
    free(list.p);
    resident = -1;
    return 0;
}
