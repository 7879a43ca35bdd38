/*
 * itmaps - records which libwrap each process of a scenario mapped.
 *
 * Usage: itmaps OUT
 *
 * Until SIGTERM, scans /proc every few milliseconds for processes in the
 * caller's mount namespace and notes, for every one that has a file named
 * libwrap.so* mapped, the pair "executable<TAB>library path".  On SIGTERM
 * it writes the distinct pairs to OUT, one a line, and exits.  The harness
 * checks the pairs, so that a passing "ours" run cannot be Debian's
 * library in disguise.  Short-lived processes can be missed; scenarios
 * make sure each daemon lives long enough (a refused tcpd sleeps 5 s).
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

/* The distinct pairs seen so far. */
static char **pairs;
static size_t npairs, cap_pairs;

/* Notes that SIGTERM arrived. */
static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

/* Adds a pair to the set unless it is already there. */
static void note(const char *exe, const char *lib)
{
    size_t n = strlen(exe) + strlen(lib) + 2;
    char *pair = malloc(n);
    if (pair == NULL)
        return;
    snprintf(pair, n, "%s\t%s", exe, lib);
    for (size_t i = 0; i < npairs; i++)
        if (strcmp(pairs[i], pair) == 0) {
            free(pair);
            return;
        }
    if (npairs == cap_pairs) {
        size_t cap = cap_pairs ? cap_pairs * 2 : 16;
        char **grown = realloc(pairs, cap * sizeof *pairs);
        if (grown == NULL) {
            free(pair);
            return;
        }
        pairs = grown;
        cap_pairs = cap;
    }
    pairs[npairs++] = pair;
}

/* Looks at one process: same namespace, then its libwrap mappings. */
static void look(const char *pid, ino_t our_ns)
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
        note(exe, lib);
    }
    free(line);
    fclose(fp);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: itmaps OUT\n");
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);
    struct stat self;
    if (stat("/proc/self/ns/mnt", &self) != 0) {
        perror("itmaps: /proc/self/ns/mnt");
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
            if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && strcmp(e->d_name, me) != 0)
                look(e->d_name, self.st_ino);
        closedir(d);
        struct timespec pause = {0, 20 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    FILE *out = fopen(argv[1], "we");
    if (out == NULL) {
        perror("itmaps: output");
        return 1;
    }
    for (size_t i = 0; i < npairs; i++)
        fprintf(out, "%s\n", pairs[i]);
    return fclose(out) == 0 ? 0 : 1;
}
