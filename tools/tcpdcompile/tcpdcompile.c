/*
 * tcpdcompile - compiles the rule tables ahead of time into the shared
 * store (tcpdcompile(8)).
 *
 * The library compiles a table when a root process decides with it and
 * leaves the compiled image in /run/libwrap, so that processes that
 * decide once (sshd-session, tcpd, forked daemon children) map it
 * instead of scanning the text (store.h).  After a change, the first
 * such process would pay for compiling; a package trigger or a block
 * list writer (a fail2ban action) runs this instead.  It compiles each
 * table named (by default the two the library reads) and every /file
 * host list they name, as the library would read them, and stores each
 * image.  A file changed less than TABLE_RACY_SECONDS ago cannot be
 * vouched for by stat() alone, and the library would refuse its image:
 * it is compiled once it is old enough.
 *
 * It links the library's own compiler (the tools' private copy of its
 * pure modules), so the images are exactly those the library makes.
 *
 * Exit status: 0 when every image was stored (or there was nothing to
 * store), 1 when one could not be, 2 on a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dropin.h"
#include "image.h"
#include "ruleset.h"
#include "store.h"
#include "strbuf.h"
#include "table.h"
#include "tcpd.h"

/* How deep /file lists may name lists (as match.h's bound). */
enum { MAX_DEPTH = 16 };

static const char *store_dir = STORE_DIR;
static bool quiet, no_wait;
static struct strbuf visited = STRBUF_INIT; /* paths done, NUL-separated */

/* True when path was compiled before; records it otherwise. */
static bool seen(const char *path)
{
    const char *p;

    for (p = visited.data; p != NULL && p < visited.data + visited.len;
         p += strlen(p) + 1) {
        if (strcmp(p, path) == 0)
            return true;
    }
    sb_append(&visited, path, strlen(path) + 1);
    return false;
}

/* Reads path whole; a racy file is waited for (unless -n) until stat()
 * can vouch for it.  *racy tells when it could not be. */
static enum table_status read_settled(const char *path, struct table_text *t,
                                      struct timespec *now, bool *racy)
{
    enum table_status status;
    int round;

    for (round = 0;; round++) {
        clock_gettime(CLOCK_REALTIME, now);
        status = table_read(path, t);
        if (status != TABLE_OK)
            return status;
        *racy = table_is_racy(&t->st, now);
        if (!*racy || no_wait || round == 2)
            return status;
        table_text_free(t);
        /* Old enough a second after the racy window has passed. */
        sleep(TABLE_RACY_SECONDS + 1);
    }
}

/* Stores a ruleset's image and checks that a reader finds it. */
static bool store(const char *path, const struct ruleset *rs)
{
    struct store_map m;
    bool ok;

    store_save(store_dir, path, rs->im.base, rs->im.size);
    if (!store_load(store_dir, path, &m))
        return false;
    ok = m.size == rs->im.size && memcmp(m.base, rs->im.base, m.size) == 0;
    store_unmap(&m);
    return ok;
}

static int compile_file(const char *path, enum image_kind kind, int depth);

/* Compiles the /file lists that a list of the image names. */
static int compile_lists_of(const struct image *im, uint32_t off, int depth)
{
    const struct image_list *l = image_list(im, off);
    const char *list;
    size_t i, len;
    int status = 0;

    for (i = 0; l != NULL && i < l->count; i++) {
        if (l->item[i].kind != PAT_FILE)
            continue;
        if ((list = image_pattern_text(im, &l->item[i], &len)) != NULL &&
            compile_file(list, IMAGE_LIST, depth + 1) != 0)
            status = 1;
    }
    return status;
}

/* Compiles one table or list, stores it, and then the lists it names. */
static int compile_file(const char *path, enum image_kind kind, int depth)
{
    struct table_text text;
    struct timespec now;
    struct ruleset *rs;
    enum table_status got;
    const struct image_rule *rules;
    bool racy = false;
    int status = 0;
    uint32_t i;

    if (depth > MAX_DEPTH || seen(path))
        return 0;
    got = read_settled(path, &text, &now, &racy);
    if (got == TABLE_MISSING) {
        if (!quiet)
            printf("%s: no such file (an empty table): nothing stored\n",
                   path);
        return 0;
    }
    if (got != TABLE_OK) {
        fprintf(stderr, "tcpdcompile: %s: %s\n", path, strerror(errno));
        return 1;
    }
    rs = ruleset_compile(path, &text, kind, &now, racy);
    table_text_free(&text);
    if (rs == NULL) {
        fprintf(stderr, "tcpdcompile: %s: %s\n", path, strerror(ENOMEM));
        return 1;
    }
    if (racy) {
        printf("%s: changed just now and still changing: not stored "
               "(the library reads its text)\n",
               path);
    } else if (!store(path, rs)) {
        fprintf(stderr, "tcpdcompile: %s: could not store its image in %s\n",
                path, store_dir);
        status = 1;
    } else if (!quiet) {
        printf("%s: %u %s, %zu bytes, stored in %s\n", path,
               kind == IMAGE_TABLE ? rs->h->n_rules
                                   : image_list(&rs->im, rs->h->rules)->count,
               kind == IMAGE_TABLE ? "rules" : "patterns", rs->im.size,
               store_dir);
    }
    if (kind == IMAGE_LIST) {
        status |= compile_lists_of(&rs->im, rs->h->rules, depth);
    } else if ((rules = image_at(&rs->im, rs->h->rules,
                                 (size_t)rs->h->n_rules * sizeof(*rules))) !=
               NULL) {
        for (i = 0; i < rs->h->n_rules; i++)
            status |= compile_lists_of(&rs->im, rules[i].daemons, depth) |
                      compile_lists_of(&rs->im, rules[i].clients, depth);
    }
    ruleset_put(rs);
    return status;
}

/* Compiles a table, then the fragments of its drop-in directory. */
static int compile_table(const char *path)
{
    struct dropin *d;
    int status = compile_file(path, IMAGE_TABLE, 0);
    size_t i;

    if (dropin_list(path, &d, NULL, NULL) != TABLE_OK) {
        fprintf(stderr, "tcpdcompile: %s.d: %s\n", path, strerror(errno));
        return 1;
    }
    for (i = 0; i < dropin_count(d); i++)
        status |= compile_file(dropin_path(d, i), IMAGE_TABLE, 0);
    dropin_put(d);
    return status;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: tcpdcompile [-n] [-q] [-s directory] [table ...]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int c, status = 0;

    while ((c = getopt(argc, argv, "nqs:")) != -1) {
        switch (c) {
        case 'n':
            no_wait = true;
            break;
        case 'q':
            quiet = true;
            break;
        case 's':
            store_dir = optarg;
            break;
        default:
            usage();
        }
    }
    if (!store_may_write()) {
        fprintf(stderr, "tcpdcompile: only root (and not through a set-id "
                        "program) may write the store\n");
        return 1;
    }
    if (access(store_dir, F_OK) != 0) {
        /* The package makes it; without it the library stores nothing
         * and reads the text, as it always can. */
        if (!quiet)
            printf("%s: no such directory: nothing stored\n", store_dir);
        return 0;
    }
    if (optind == argc) {
        status |= compile_table(hosts_allow_table);
        status |= compile_table(hosts_deny_table);
    }
    for (; optind < argc; optind++)
        status |= compile_table(argv[optind]);
    sb_free(&visited);
    return status;
}
