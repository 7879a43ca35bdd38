/*
 * floor.c - the system calls of a cold decision with the shared form,
 * and nothing else, in a fresh process.
 *
 * bench-floor allow deny: makes, in the order our library makes them
 * for a miss (an empty allow table, the deny table's image in
 * /run/libwrap, neither table with a .d directory), the calls strace
 * shows for the first hosts_ctl() of a process: the allow table's
 * stat(), open(), fstat(), read(), fstat() and close(), the stat() of
 * its .d; the deny table's stat(), the store directory's open() and
 * fstat(), the image's openat(), fstat() and mmap(), the directory's
 * close(), six pread()s of the image, its close(), and the stat() of the
 * deny table's .d; getpid() first, as request_init() does.  No library
 * logic runs: the time is what this machine charges a fresh process for
 * asking these things, a floor under any library that checks what ours
 * checks (bench/run.sh holds the count against strace of the real
 * decision).  Prints "ns=N cpu_ns=N faults=N calls=N".
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long clock_ns(clockid_t id)
{
    struct timespec t;

    clock_gettime(id, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long minor_faults(void)
{
    struct rusage ru;

    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

/* The name in /run/libwrap of table's image: its base name, a dot and a
 * hash (store.c); 0 when there is one. */
static int image_name(const char *table, char *out, size_t size)
{
    const char *base = strrchr(table, '/');
    size_t len;
    DIR *d = opendir("/run/libwrap");
    struct dirent *de;
    int found = -1;

    base = base != NULL ? base + 1 : table;
    len = strlen(base);
    while (d != NULL && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, base, len) == 0 && de->d_name[len] == '.' &&
            strchr(de->d_name + len + 1, '.') == NULL) {
            snprintf(out, size, "%s", de->d_name);
            found = 0;
        }
    }
    if (d != NULL)
        closedir(d);
    return found;
}

int main(int argc, char **argv)
{
    char image[NAME_MAX + 1], allow_d[PATH_MAX], deny_d[PATH_MAX];
    char buf[3072];
    long long t0, c0, t, c;
    long faults;
    struct stat st;
    int fd, dir, i, calls = 0;
    void *map;

    if (argc != 3) {
        fprintf(stderr, "usage: %s allow deny\n", argv[0]);
        return 2;
    }
    if (image_name(argv[2], image, sizeof(image)) != 0) {
        fprintf(stderr, "%s: no image of %s in /run/libwrap\n", argv[0],
                argv[2]);
        return 1;
    }
    snprintf(allow_d, sizeof(allow_d), "%s.d", argv[1]);
    snprintf(deny_d, sizeof(deny_d), "%s.d", argv[2]);
    (void)clock_ns(CLOCK_THREAD_CPUTIME_ID);
    (void)clock_ns(CLOCK_MONOTONIC);
    faults = minor_faults();
    c0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
    t0 = clock_ns(CLOCK_MONOTONIC);

    (void)getpid();
    (void)stat(argv[1], &st);
    fd = open(argv[1], O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    (void)fstat(fd, &st);
    (void)!read(fd, buf, 511);
    (void)fstat(fd, &st);
    close(fd);
    (void)stat(allow_d, &st);
    (void)stat(argv[2], &st);
    dir =
        open("/run/libwrap", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY);
    (void)fstat(dir, &st);
    fd = openat(dir, image,
                O_RDONLY | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    (void)fstat(fd, &st);
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(dir);
    (void)!pread(fd, buf, 256, 0);
    (void)!pread(fd, buf, 704, 128);
    for (i = 1; i <= 4; i++)
        (void)!pread(fd, buf, 256, st.st_size / 5 * i);
    close(fd);
    (void)stat(deny_d, &st);
    calls = 23;

    t = clock_ns(CLOCK_MONOTONIC) - t0;
    c = clock_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
    faults = minor_faults() - faults;
    printf("ns=%lld cpu_ns=%lld faults=%ld calls=%d mapped=%d\n", t, c, faults,
           calls, map != MAP_FAILED);
    return 0;
}
