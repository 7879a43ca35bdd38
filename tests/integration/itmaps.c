/*
 * itmaps - records which libwrap each process of a scenario mapped.
 *
 * Usage: itmaps REFERENCE OUT
 *
 * Until SIGTERM, scans /proc every few milliseconds for processes in the
 * caller's mount namespace and notes, for every one that has a file named
 * libwrap.so* mapped, the triple "executable<TAB>library path<TAB>same"
 * when the mapped file's bytes are REFERENCE's, "other" when they are not
 * and "unreadable" when the mapping could not be read for half a second
 * (a process's mappings change while ld.so loads it, so one failed read is
 * tried again on the next scan).  The bytes are read
 * through /proc/PID/map_files, so they are the mapped file's even where
 * two libraries have the same path (Debian's and the packaged one, each in
 * its own overlay).  Each distinct triple is appended to OUT as soon as it
 * is seen, so a scenario can wait until a short-lived process has been
 * seen.  The harness checks the triples, so that a passing "ours" run
 * cannot be Debian's library in disguise.  Short-lived processes can be
 * missed; scenarios make sure each daemon lives long enough (a refused
 * tcpd sleeps 5 s) or wait for it to be seen.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

/* A set of strings, grown as needed. */
struct set {
    char **items;
    size_t n, cap;
};

/* The distinct triples written so far, and the mappings already compared. */
static struct set triples, compared;

/* Failed reads of mappings not compared yet: key and count, in parallel. */
static struct set failed;
static int *failures;
static size_t failures_cap;

enum { MAX_FAILURES = 25 };

/* REFERENCE's bytes. */
static char *ref;
static size_t ref_len;

/* Notes that SIGTERM arrived. */
static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

/* Adds a string to a set; returns 1 if it was new, 0 if present or on error.
 */
static int set_add(struct set *s, const char *text)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i], text) == 0)
            return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **grown = realloc(s->items, cap * sizeof *s->items);
        if (grown == NULL)
            return 0;
        s->items = grown;
        s->cap = cap;
    }
    char *copy = strdup(text);
    if (copy == NULL)
        return 0;
    s->items[s->n++] = copy;
    return 1;
}

/* Reads a whole file into memory; returns NULL when it cannot. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "re");
    if (fp == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n, fp);
        if (n < cap)
            break;
        char *grown = cap < (1u << 28) ? realloc(buf, cap * 2) : NULL;
        if (grown == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    if (buf != NULL && ferror(fp)) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    *len = n;
    return buf;
}

/* Counts one more failed read of a mapping; returns the count so far. */
static int count_failure(const char *key)
{
    size_t i;
    for (i = 0; i < failed.n; i++)
        if (strcmp(failed.items[i], key) == 0)
            return ++failures[i];
    if (failed.n == failures_cap) {
        size_t cap = failures_cap ? failures_cap * 2 : 16;
        int *grown = realloc(failures, cap * sizeof *failures);
        if (grown == NULL)
            return MAX_FAILURES;
        failures = grown;
        failures_cap = cap;
    }
    if (!set_add(&failed, key))
        return MAX_FAILURES;
    failures[failed.n - 1] = 1;
    return 1;
}

/* Compares the file behind one mapping of a process with REFERENCE. */
static const char *verdict(const char *pid, const char *range)
{
    char path[128];
    size_t len;
    snprintf(path, sizeof path, "/proc/%s/map_files/%s", pid, range);
    char *bytes = slurp(path, &len);
    if (bytes == NULL)
        return "unreadable";
    int same = len == ref_len && memcmp(bytes, ref, len) == 0;
    free(bytes);
    return same ? "same" : "other";
}

/* Looks at one process: same namespace, then its libwrap mappings. */
static void look(const char *pid, ino_t our_ns, FILE *out)
{
    char path[64], exe[4096];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%s/ns/mnt", pid);
    if (stat(path, &st) != 0 || st.st_ino != our_ns)
        return;
    snprintf(path, sizeof path, "/proc/%s/exe", pid);
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    snprintf(path, sizeof path, "/proc/%s/maps", pid);
    FILE *fp = fopen(path, "re");
    if (fp == NULL)
        return;
    char *line = NULL;
    size_t len = 0;
    while (getline(&line, &len, fp) > 0) {
        char *lib = strchr(line, '/');
        char *base = lib ? strrchr(lib, '/') : NULL;
        if (base == NULL || strncmp(base, "/libwrap.so", 11) != 0)
            continue;
        lib[strcspn(lib, "\n")] = '\0';
        /* One comparison per process, executable and library: the first
         * mapping (the executable is in the key for a pid reused). */
        size_t klen = strlen(pid) + strlen(exe) + strlen(lib) + 3;
        char *key = malloc(klen);
        if (key == NULL)
            continue;
        snprintf(key, klen, "%s\t%s\t%s", pid, exe, lib);
        int known = 0;
        for (size_t i = 0; i < compared.n && !known; i++)
            known = strcmp(compared.items[i], key) == 0;
        char range[64];
        snprintf(range, sizeof range, "%.*s", (int)strcspn(line, " "), line);
        const char *v = known ? NULL : verdict(pid, range);
        if (v != NULL && strcmp(v, "unreadable") == 0 &&
            count_failure(key) < MAX_FAILURES)
            v = NULL;
        if (v != NULL) {
            set_add(&compared, key);
            size_t tlen = strlen(exe) + strlen(lib) + strlen(v) + 3;
            char *triple = malloc(tlen);
            if (triple != NULL) {
                snprintf(triple, tlen, "%s\t%s\t%s", exe, lib, v);
                if (set_add(&triples, triple)) {
                    fprintf(out, "%s\n", triple);
                    fflush(out);
                }
                free(triple);
            }
        }
        free(key);
    }
    free(line);
    fclose(fp);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: itmaps REFERENCE OUT\n");
        return 1;
    }
    ref = slurp(argv[1], &ref_len);
    if (ref == NULL) {
        perror("itmaps: reference");
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    struct stat self;
    if (stat("/proc/self/ns/mnt", &self) != 0) {
        perror("itmaps: /proc/self/ns/mnt");
        return 1;
    }
    FILE *out = fopen(argv[2], "we");
    if (out == NULL) {
        perror("itmaps: output");
        return 1;
    }
    char me[32];
    snprintf(me, sizeof me, "%ld", (long)getpid());
    while (!stop) {
        DIR *d = opendir("/proc");
        if (d == NULL) {
            perror("itmaps: /proc");
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (e->d_name[0] >= '1' && e->d_name[0] <= '9' &&
                strcmp(e->d_name, me) != 0)
                look(e->d_name, self.st_ino, out);
        closedir(d);
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return fclose(out) == 0 ? 0 : 1;
}
