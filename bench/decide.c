/*
 * decide.c - the benchmark's measuring program.
 *
 * Linked against libwrap.so.0 by SONAME, so the same binary measures
 * Debian's library or ours depending on LD_LIBRARY_PATH (it prints which
 * one it loaded).  One process, one mode:
 *   warm   N decisions after one untimed call; prints the median in ns
 *   cold   the first decision of the process; prints its time in ns
 *   append one untimed call, then appends a rule to the deny table and
 *          times the next decision; prints ns
 *   stat   N pairs of stat() calls on the two tables (what a cached
 *          decision cannot avoid); prints the median in ns
 *   stat-dropin  the same with the deny table's drop-in directory: the
 *          two tables, the directory and each file in it (listed once,
 *          untimed), N times; the floor of a warm decision with it
 * It also prints the CPU time of the same decisions (cpu_ns: the calling
 * thread's, which leaves out time spent waiting for a CPU on a loaded
 * machine; the mean over the loop for warm and stat, so for warm it
 * includes the second call, where our library compiles what the first
 * one streamed: run.sh shows no CPU figure for warm), the growth of the
 * resident set over the run (kB), the minor page faults of the timed
 * part of a cold or append run, and
 * how many files of /run/libwrap the process has mapped after it (the
 * shared form was used; run.sh refuses a "shared" figure without it).
 */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tcpd.h>

int allow_severity = 6;
int deny_severity = 4;

static long long now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* CPU time this thread has used, in ns. */
static long long cpu_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Resident set size in kB, from /proc/self/status. */
static long rss_kb(const char *field)
{
    char line[256];
    long kb = -1;
    FILE *f = fopen("/proc/self/status", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, field, strlen(field)) == 0)
            kb = strtol(line + strlen(field), NULL, 10);
    }
    fclose(f);
    return kb;
}

/* Mappings of files in the shared store, from /proc/self/maps: shows
 * that a decision used a compiled image rather than the text.  Counted
 * after the timed part, so it costs the measurement nothing. */
static int store_mappings(void)
{
    static const char store[] = " /run/libwrap/";
    char line[4096];
    int n = 0;
    FILE *f = fopen("/proc/self/maps", "r");

    if (f == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strstr(line, store) != NULL)
            n++;
    }
    fclose(f);
    return n;
}

/* Minor page faults of this process so far. */
static long minor_faults(void)
{
    struct rusage ru;

    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_minflt : -1;
}

static int compare(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

/* The paths of the files in directory dir, in *paths (NULL-terminated,
 * malloc'd); their number. */
static size_t list_files(const char *dir, char ***paths)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t count = 0, cap = 0;
    char **list = NULL;

    while (d != NULL && (de = readdir(d)) != NULL) {
        size_t len = strlen(dir) + strlen(de->d_name) + 2;

        if (de->d_name[0] == '.')
            continue;
        if (count + 1 >= cap) {
            cap = cap == 0 ? 1024 : cap * 2;
            if ((list = realloc(list, cap * sizeof(*list))) == NULL)
                exit(2);
        }
        if ((list[count] = malloc(len)) == NULL)
            exit(2);
        snprintf(list[count++], len, "%s/%s", dir, de->d_name);
    }
    if (d != NULL)
        closedir(d);
    if (list == NULL && (list = malloc(sizeof(*list))) == NULL)
        exit(2);
    list[count] = NULL;
    *paths = list;
    return count;
}

/* The path of the libwrap.so.0 this process loaded. */
static int find_libwrap(struct dl_phdr_info *info, size_t size, void *arg)
{
    (void)size;
    if (strstr(info->dlpi_name, "libwrap.so.0") != NULL)
        *(const char **)arg = info->dlpi_name;
    return 0;
}

int main(int argc, char **argv)
{
    const char *lib = "?";
    char *daemon, *addr;
    long rss0, rss1, faults = 0;
    long long t0, c0, cpu = 0, *times;
    int n, i, verdict = -1;

    if (argc != 7) {
        fprintf(stderr,
                "usage: %s allow deny daemon addr "
                "warm|cold|append|stat|stat-dropin n\n",
                argv[0]);
        return 2;
    }
    hosts_allow_table = argv[1];
    hosts_deny_table = argv[2];
    daemon = argv[3];
    addr = argv[4];
    n = atoi(argv[6]);
    if (n < 1)
        n = 1;
    times = calloc((size_t)n, sizeof(*times));
    if (times == NULL)
        return 2;
    dl_iterate_phdr(find_libwrap, &lib);
    /* The first read of the CPU clock costs tens of microseconds here,
     * and the first of the wall clock faults in the vDSO's two data
     * pages: neither inside a measurement (nor its fault count). */
    (void)cpu_ns();
    (void)now_ns();
    rss0 = rss_kb("VmRSS:");

    if (strcmp(argv[5], "cold") == 0) {
        faults = minor_faults();
        c0 = cpu_ns();
        t0 = now_ns();
        verdict = hosts_ctl(daemon, "", addr, "");
        times[0] = now_ns() - t0;
        cpu = cpu_ns() - c0;
        faults = minor_faults() - faults;
        n = 1;
    } else if (strcmp(argv[5], "append") == 0) {
        static const char rule[] = "sshd: 192.0.2.254\n";
        int fd;
        verdict = hosts_ctl(daemon, "", addr, "");
        fd = open(hosts_deny_table, O_WRONLY | O_APPEND);
        if (fd < 0 || write(fd, rule, sizeof(rule) - 1) < 0)
            return 2;
        close(fd);
        faults = minor_faults();
        c0 = cpu_ns();
        t0 = now_ns();
        verdict = hosts_ctl(daemon, "", addr, "");
        times[0] = now_ns() - t0;
        cpu = cpu_ns() - c0;
        faults = minor_faults() - faults;
        n = 1;
    } else if (strcmp(argv[5], "stat") == 0) {
        struct stat st;
        c0 = cpu_ns();
        for (i = 0; i < n; i++) {
            t0 = now_ns();
            stat(hosts_allow_table, &st);
            stat(hosts_deny_table, &st);
            times[i] = now_ns() - t0;
        }
        cpu = (cpu_ns() - c0) / n;
    } else if (strcmp(argv[5], "stat-dropin") == 0) {
        struct stat st;
        char dir[4096], **paths;
        size_t j, files;

        snprintf(dir, sizeof(dir), "%s.d", hosts_deny_table);
        files = list_files(dir, &paths);
        c0 = cpu_ns();
        for (i = 0; i < n; i++) {
            t0 = now_ns();
            stat(hosts_allow_table, &st);
            stat(hosts_deny_table, &st);
            stat(dir, &st);
            for (j = 0; j < files; j++)
                stat(paths[j], &st);
            times[i] = now_ns() - t0;
        }
        cpu = (cpu_ns() - c0) / n;
        verdict = (int)files;
    } else {
        verdict = hosts_ctl(daemon, "", addr, "");
        c0 = cpu_ns();
        for (i = 0; i < n; i++) {
            t0 = now_ns();
            verdict = hosts_ctl(daemon, "", addr, "");
            times[i] = now_ns() - t0;
        }
        cpu = (cpu_ns() - c0) / n;
    }
    rss1 = rss_kb("VmHWM:");
    qsort(times, (size_t)n, sizeof(*times), compare);
    printf("lib=%s verdict=%d ns=%lld cpu_ns=%lld rss_growth_kb=%ld "
           "faults=%ld shared=%d\n",
           lib, verdict, times[n / 2], cpu, rss1 - rss0, faults,
           store_mappings());
    free(times);
    return 0;
}
