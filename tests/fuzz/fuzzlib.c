/*
 * fuzzlib.c - shared helpers of the libFuzzer harnesses (see fuzzlib.h).
 */
#include "fuzzlib.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "index.h"
#include "strbuf.h"

#if defined(__SANITIZE_ADDRESS__)
#define FZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FZ_ASAN 1
#endif
#endif
#ifdef FZ_ASAN
#include <sanitizer/asan_interface.h>
#endif

static char sandbox[64];
static size_t sandbox_len;
static _Thread_local bool confined;

/* Removes the sandbox when the fuzzer exits. */
static void sandbox_remove(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", sandbox);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", sandbox);
}

const char *fz_sandbox(void)
{
    char sub[128];

    if (sandbox_len != 0)
        return sandbox;
    /* tmpfs when there is one: the harnesses write files all the time. */
    snprintf(sandbox, sizeof(sandbox), "%s/libwrap-fuzz-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (mkdtemp(sandbox) == NULL)
        fz_fail("mkdtemp: %s", strerror(errno));
    sandbox_len = strlen(sandbox);
    snprintf(sub, sizeof(sub), "%s/sbx", sandbox);
    if (mkdir(sub, 0700) != 0)
        fz_fail("mkdir %s: %s", sub, strerror(errno));
    atexit(sandbox_remove);
    return sandbox;
}

void fz_sandbox_enter(void)
{
    fz_sandbox();
    confined = true;
}

void fz_sandbox_leave(void)
{
    confined = false;
}

const char *fz_path(int slot, const char *name)
{
    static char paths[8][256];

    snprintf(paths[slot & 7], sizeof(paths[0]), "%s/%s", fz_sandbox(), name);
    return paths[slot & 7];
}

void fz_write(const char *path, const void *content, size_t n)
{
    int fd;

    if (content == NULL) {
        if (unlink(path) != 0 && errno != ENOENT)
            fz_fail("unlink %s: %s", path, strerror(errno));
        return;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        fz_fail("open %s: %s", path, strerror(errno));
    if (n > 0 && write(fd, content, n) != (ssize_t)n)
        fz_fail("write %s: %s", path, strerror(errno));
    close(fd);
}

/*
 * Where the library may look: files inside the sandbox, and relative
 * paths.  Any other absolute path is mapped into <sandbox>/sbx, and a
 * path with a ".." component is refused, so "/1" in a rule reads the
 * harness's file <sandbox>/sbx/1 and "/etc/shadow" reads nothing.
 */
static const char *sandboxed(const char *path, char *buf, size_t size)
{
    if (!confined || path == NULL || path[0] != '/')
        return path;
    if (strstr(path, "/..") != NULL)
        return NULL;
    if (sandbox_len != 0 && strncmp(path, sandbox, sandbox_len) == 0 &&
        path[sandbox_len] == '/')
        return path;
    if ((size_t)snprintf(buf, size, "%s/sbx%s", fz_sandbox(), path) >= size)
        return NULL;
    return buf;
}

int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
int __real_stat(const char *path, struct stat *st);
int __wrap_stat(const char *path, struct stat *st);

int __wrap_open(const char *path, int flags, ...)
{
    char buf[4096];
    const char *p = sandboxed(path, buf, sizeof(buf));
    mode_t mode = 0;
    va_list ap;

    if (flags & (O_CREAT | O_TMPFILE)) {
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (p == NULL) {
        errno = ENOENT;
        return -1;
    }
    return __real_open(p, flags, mode);
}

int __wrap_stat(const char *path, struct stat *st)
{
    char buf[4096];
    const char *p = sandboxed(path, buf, sizeof(buf));

    if (p == NULL) {
        errno = ENOENT;
        return -1;
    }
    return __real_stat(p, st);
}

static _Thread_local struct strbuf captured = STRBUF_INIT;

static void capture(int priority, const char *text, void *arg)
{
    (void)arg;
    sb_printf(&captured, "%d %s\n", priority, text);
}

void fz_capture_start(void)
{
    sb_reset(&captured);
    diag_set_sink(capture, NULL);
}

void fz_note(const char *text)
{
    sb_printf(&captured, "- %s\n", text);
}

const char *fz_captured(void)
{
    return sb_str(&captured);
}

size_t fz_split(const uint8_t *data, size_t size, const char *sep,
                struct fz_section *out, size_t max)
{
    const char *p = (const char *)data, *end = p + size;
    size_t n = 0, seplen = strlen(sep);

    while (n + 1 < max) {
        const char *hit = NULL, *q;
        /* sep must start a line: at the start or after a newline. */
        for (q = p; q + seplen <= end; q++) {
            if ((q == (const char *)data || q[-1] == '\n') &&
                memcmp(q, sep, seplen) == 0) {
                hit = q;
                break;
            }
        }
        if (hit == NULL)
            break;
        out[n].p = p;
        out[n].n = (size_t)(hit - p);
        n++;
        p = hit + seplen;
    }
    out[n].p = p;
    out[n].n = (size_t)(end - p);
    return n + 1;
}

char *fz_strndup(const struct fz_section *s)
{
    char *copy = malloc(s->n + 1);

    if (copy == NULL)
        fz_fail("out of memory");
    memcpy(copy, s->p, s->n);
    copy[s->n] = '\0';
    return copy;
}

void *fz_debian_symbol(const char *name)
{
    static void *debian;
    const char *skip = getenv("FUZZ_NO_DEBIAN");
    void *sym;

    if (skip != NULL && strcmp(skip, "1") == 0)
        return NULL;
    if (debian == NULL)
        debian = dlopen("/usr/lib/x86_64-linux-gnu/libwrap.so.0",
                        RTLD_NOW | RTLD_LOCAL);
    if (debian == NULL)
        fz_fail("Debian's libwrap.so.0 (package libwrap0) is needed as the "
                "reference: %s (FUZZ_NO_DEBIAN=1 runs without it)",
                dlerror());
    if ((sym = dlsym(debian, name)) == NULL)
        fz_fail("Debian's libwrap.so.0 lacks %s: %s", name, dlerror());
    return sym;
}

const char *fz_store(void)
{
    static char dir[128];

    if (dir[0] != '\0')
        return dir;
    snprintf(dir, sizeof(dir), "%s/store", fz_sandbox());
    if (mkdir(dir, 0755) != 0 || chmod(dir, 0755) != 0)
        fz_fail("mkdir %s: %s", dir, strerror(errno));
    return dir;
}

void fz_store_clear(void)
{
    const char *dir = fz_store();
    char path[512];
    struct dirent *e;
    DIR *d = opendir(dir);

    if (d == NULL)
        fz_fail("opendir %s: %s", dir, strerror(errno));
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
                sizeof(path) ||
            unlink(path) != 0)
            fz_fail("unlink %s: %s", path, strerror(errno));
    }
    closedir(d);
}

/* Bytes of whole pages for n bytes. */
static size_t pages_for(size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    return (n + page - 1) / page * page;
}

void *fz_copy_image(const void *p, size_t n)
{
    size_t size = pages_for(n), page = (size_t)sysconf(_SC_PAGESIZE);
    unsigned char *copy;

    if (n == 0 || n > ((size_t)1 << 30))
        return NULL;
    copy = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (copy == MAP_FAILED)
        return NULL;
#ifdef FZ_ASAN
    /* A mapping here before may have left poison behind. */
    ASAN_UNPOISON_MEMORY_REGION(copy, size + page);
#endif
    memcpy(copy, p, n);
    if (mprotect(copy, size, PROT_READ) != 0 ||
        mprotect(copy + size, page, PROT_NONE) != 0)
        fz_fail("mprotect: %s", strerror(errno));
#ifdef FZ_ASAN
    ASAN_POISON_MEMORY_REGION(copy + n, size - n);
#endif
    return copy;
}

void fz_copy_release(void *copy, size_t n)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    if (copy == NULL)
        return;
#ifdef FZ_ASAN
    ASAN_UNPOISON_MEMORY_REGION(copy, pages_for(n));
#endif
    /* The guard page: the ruleset unmaps only the image's pages. */
    munmap((unsigned char *)copy + pages_for(n), page);
}

void fz_copy_free(void *copy, size_t n)
{
    if (copy == NULL)
        return;
    fz_copy_release(copy, n);
    munmap(copy, pages_for(n));
}

/* The index's question: does this daemon list match? */
static enum match_result daemons_of(void *m, const struct image *im,
                                    uint32_t off)
{
    return match_daemons(m, im, off);
}

/* One rule, as access.c's eval_compiled() matches it, options read but
 * not run. */
static enum match_result eval_rule(struct match_ctx *m, const struct image *im,
                                   const struct image_rule *rule)
{
    enum match_result hit;
    const char *options;
    bool corrupt;

    if (image_rule_flags(rule) & (IMAGE_RULE_COMMENT | IMAGE_RULE_NO_COLON))
        return MATCH_NO;
    hit = match_daemons(m, im, rule->daemons);
    if (hit == MATCH_YES)
        hit = match_clients(m, im, rule->clients);
    if (hit != MATCH_YES)
        return hit;
    options = image_rule_options(im, rule, &corrupt);
    if (corrupt)
        return MATCH_CORRUPT;
    if (options != NULL && strlen(options) > im->size)
        fz_fail("an option field longer than its image");
    return MATCH_YES;
}

/* Rule i of a table image, or NULL. */
static const struct image_rule *
rule_at(const struct image *im, const struct image_header *h, uint32_t i)
{
    return image_at(im, h->rules + i * (uint32_t)sizeof(struct image_rule),
                    sizeof(struct image_rule));
}

/* The rules from first on, in order. */
static long eval_in_order(struct match_ctx *m, const struct image *im,
                          const struct image_header *h, uint32_t first)
{
    const struct image_rule *rule;
    enum match_result hit;
    uint32_t i;

    for (i = first; i < h->n_rules; i++) {
        if ((rule = rule_at(im, h, i)) == NULL)
            return FZ_CORRUPT;
        hit = eval_rule(m, im, rule);
        if (hit == MATCH_YES)
            return (long)i;
        if (hit == MATCH_CORRUPT)
            return FZ_CORRUPT;
        if (hit == MATCH_ERROR)
            return FZ_ERROR;
    }
    return FZ_NO_MATCH;
}

long fz_eval_table(const struct image *im, const struct image_header *h,
                   struct request_info *r, match_list_fn *list, void *arg,
                   bool use_index)
{
    struct match_ctx m;
    struct index_query q;
    const struct image_rule *rule;
    enum match_result hit;
    long result = FZ_NO_MATCH;
    uint32_t i;

    match_begin(&m, r, list, arg);
    if (!use_index || h->index == 0)
        return eval_in_order(&m, im, h, 0);
    index_query_begin(&q, im, h, r);
    while (result == FZ_NO_MATCH && index_query_next(&q, &i)) {
        index_query_catch_up(&q, daemons_of, &m, i);
        if (q.corrupt || (rule = rule_at(im, h, i)) == NULL) {
            result = FZ_CORRUPT;
            break;
        }
        hit = eval_rule(&m, im, rule);
        if (hit == MATCH_YES)
            result = (long)i;
        else if (hit == MATCH_CORRUPT)
            result = FZ_CORRUPT;
        else if (hit == MATCH_ERROR)
            result = FZ_ERROR;
    }
    if (result == FZ_NO_MATCH && q.failed && index_query_resume(&q, &i)) {
        index_query_catch_up(&q, daemons_of, &m, i);
        result = eval_in_order(&m, im, h, i);
    } else if (result == FZ_NO_MATCH) {
        index_query_catch_up(&q, daemons_of, &m, h->n_rules);
    }
    if (q.corrupt)
        result = FZ_CORRUPT;
    index_query_end(&q);
    return result;
}

void fz_fail(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fputs("fuzz finding: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
