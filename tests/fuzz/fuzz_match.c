/*
 * fuzz_match.c - random requests against random tables.
 *
 * The input is sections separated by "%%" lines: a request (lines:
 * daemon, client name, client address, user, server name, server
 * address, server port), the allow table, the deny table, and up to
 * three host list files that rules name as /1, /2 and /3 (all other
 * absolute paths read nothing: see fuzzlib.h).  A missing section is a
 * missing file.  A client name or address that starts with '!' is not
 * known in advance: a lookup method gives the rest when asked, as DNS
 * would, and a name lookup notes in the log that it was made: lookups
 * must happen in the same places on all paths.
 *
 * Each request is decided five times: by the scan of a process's first
 * decision, which streams the text; by the compiled rules through their
 * index; by the compiled rules in order; and through a store of shared
 * images (store.h, in the sandbox), once by a root process that compiles
 * and stores them, once more with the cache flushed, as a fresh process
 * decides, from the mapped images (the library's clock runs ahead for
 * these two, so that the files just written are not racy and are
 * stored).  The five verdicts and the five logs must be identical:
 * compiling, indexing and sharing are only allowed to be faster, never
 * different.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cache.h"
#include "clockahead.h"
#include "fuzzlib.h"
#include "strbuf.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The ways a decision is made, in the order they are tried: the last
 * two with a store (set at run time). */
enum { PATHS = 5, STORED = 3, MAPPED = 4 };

static struct access_config paths[PATHS] = {
    {.always_stream = true, .time_granularity_ns = 1},
    {.time_granularity_ns = 1},
    {.no_index = true, .time_granularity_ns = 1},
    {.time_granularity_ns = 1},
    {.time_granularity_ns = 1},
};

enum {
    REQ_DAEMON,
    REQ_NAME,
    REQ_ADDR,
    REQ_USER,
    REQ_SNAME,
    REQ_SADDR,
    REQ_SPORT,
    REQ_FIELDS
};

/* Lines of the request section; absent ones are "". */
static void request_fields(const struct fz_section *s, char **f)
{
    const char *p = s->p, *end = s->p + s->n;
    int i;

    for (i = 0; i < REQ_FIELDS; i++) {
        const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        struct fz_section line = {p,
                                  p < end ? (size_t)((nl ? nl : end) - p) : 0};
        f[i] = fz_strndup(&line);
        p = nl != NULL ? nl + 1 : end;
    }
}

/* The answers of the fake lookups (the text after the '!'). */
static const char *lookup_name, *lookup_addr;

static void fake_hostname(struct host_info *h)
{
    fz_note("lookup: name");
    snprintf(h->name, sizeof(h->name), "%s", lookup_name);
}

/* Address lookups are numeric (getnameinfo(NI_NUMERICHOST)): they have
 * no effect to observe, and the index reads the address on a copy of the
 * endpoint before the scan does, so only name lookups are noted. */
static void fake_hostaddr(struct host_info *h)
{
    snprintf(h->addr, sizeof(h->addr), "%s", lookup_addr);
}

/* One decision with a fresh request; returns the verdict, logs in *log. */
static int decide(const struct access_config *cfg, char **f,
                  struct sockaddr_in *server, struct strbuf *log)
{
    struct request_info r;
    int verdict;

    request_init(&r, RQ_DAEMON, f[REQ_DAEMON], RQ_USER, f[REQ_USER],
                 RQ_SERVER_NAME, f[REQ_SNAME], RQ_SERVER_ADDR, f[REQ_SADDR],
                 0);
    if (f[REQ_NAME][0] == '!') {
        lookup_name = f[REQ_NAME] + 1;
        r.hostname = fake_hostname;
    } else {
        request_set(&r, RQ_CLIENT_NAME, f[REQ_NAME], 0);
    }
    if (f[REQ_ADDR][0] == '!') {
        lookup_addr = f[REQ_ADDR] + 1;
        r.hostaddr = fake_hostaddr;
    } else {
        request_set(&r, RQ_CLIENT_ADDR, f[REQ_ADDR], 0);
    }
    if (server != NULL)
        request_set(&r, RQ_SERVER_SIN, server, 0);
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
    fz_capture_start();
    fz_sandbox_enter();
    verdict = access_decide(&r, cfg);
    fz_sandbox_leave();
    sb_reset(log);
    /* The D2 warning is given once per version of a file. */
    {
        const char *p = fz_captured(), *nl;
        for (; *p != '\0'; p = nl + 1) {
            nl = strchr(p, '\n');
            if (nl == NULL)
                break;
            if (memmem(p, (size_t)(nl - p), "missing newline at end", 22) ==
                NULL)
                sb_append(log, p, (size_t)(nl - p + 1));
        }
    }
    return verdict;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *files[] = {"allow", "deny", "sbx/1", "sbx/2", "sbx/3"};
    struct fz_section sec[6];
    struct sockaddr_in server;
    static const char *const path_name[PATHS] = {
        "streamed", "indexed", "in order", "stored", "mapped from the store"};
    struct strbuf log[PATHS];
    char *f[REQ_FIELDS];
    size_t n, i;
    int v[PATHS];
    char *end;
    unsigned long port;

    n = fz_split(data, size, "%%\n", sec, 6);
    request_fields(&sec[0], f);
    for (i = 0; i < 5; i++)
        fz_write(fz_path((int)i, files[i]), i + 1 < n ? sec[i + 1].p : NULL,
                 i + 1 < n ? sec[i + 1].n : 0);
    hosts_allow_table = (char *)fz_path(5, "allow");
    hosts_deny_table = (char *)fz_path(6, "deny");
    hosts_access_verbose = 2;

    memset(&server, 0, sizeof(server));
    server.sin_family = AF_INET;
    port = strtoul(f[REQ_SPORT], &end, 10);
    server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, f[REQ_SADDR], &server.sin_addr) != 1)
        server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    cache_flush();
    paths[STORED].store_dir = paths[MAPPED].store_dir = fz_store();
    fz_store_clear();
    for (i = 0; i < PATHS; i++) {
        if (i == STORED)
            clock_run_ahead(10);
        if (i >= STORED)
            cache_flush(); /* a fresh process: only the store helps */
        sb_init(&log[i]);
        v[i] = decide(&paths[i], f,
                      *end == '\0' && end != f[REQ_SPORT] ? &server : NULL,
                      &log[i]);
    }
    clock_run_ahead(0);
    cache_flush();

    for (i = 1; i < PATHS; i++) {
        if (v[i] != v[0])
            fz_fail("verdicts differ: %s %d, %s %d", path_name[0], v[0],
                    path_name[i], v[i]);
        if (strcmp(sb_str(&log[i]), sb_str(&log[0])) != 0)
            fz_fail("logs differ:\n--- %s\n%s--- %s\n%s", path_name[0],
                    sb_str(&log[0]), path_name[i], sb_str(&log[i]));
    }
    for (i = 0; i < PATHS; i++)
        sb_free(&log[i]);
    for (i = 0; i < REQ_FIELDS; i++)
        free(f[i]);
    return 0;
}
