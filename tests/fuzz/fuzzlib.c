/*
 * fuzzlib.c - shared helpers of the libFuzzer harnesses (see fuzzlib.h).
 */
#include "fuzzlib.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "strbuf.h"

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
