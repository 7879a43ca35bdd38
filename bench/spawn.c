/*
 * spawn.c - times whole processes, from fork to wait.
 *
 * bench-spawn n libdir program [arg ...]: runs program n times, one after
 * the other, with LD_LIBRARY_PATH=libdir ("-": unset, so that the system's
 * libwrap.so.0 is loaded), and prints
 *   status=S ns=T cpu_ns=C
 * where T is the median time from just before posix_spawn() to just
 * after wait4() returned, C the median CPU time (user and system) the
 * child used, and S the exit status of the runs (-1 when they disagreed
 * or one did not exit normally).  That is the whole cost of a process
 * that decides once: exec, the dynamic loader, the library's start, the
 * decision and exit.  T includes the time the child waited for a CPU,
 * which on a loaded machine can be most of it; C does not.
 *
 * DIAGNOSTICS: a usage error or a failed spawn prints a message and
 * exits 2.
 */
#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The monotonic clock in ns. */
static long long now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* qsort() order of long longs. */
static int compare(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;

    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long long *times, *cpu, t0;
    struct rusage ru;
    char *end;
    long n, i;
    int status, first = -2, err;
    pid_t pid;

    if (argc < 4) {
        fprintf(stderr, "usage: %s n libdir|- program [arg ...]\n", argv[0]);
        return 2;
    }
    errno = 0;
    n = strtol(argv[1], &end, 10);
    if (errno != 0 || *end != '\0' || n < 1 || n > 100000) {
        fprintf(stderr, "%s: bad count: %s\n", argv[0], argv[1]);
        return 2;
    }
    if (strcmp(argv[2], "-") == 0)
        unsetenv("LD_LIBRARY_PATH");
    else if (setenv("LD_LIBRARY_PATH", argv[2], 1) != 0)
        return 2;
    times = calloc((size_t)n, sizeof(*times));
    cpu = calloc((size_t)n, sizeof(*cpu));
    if (times == NULL || cpu == NULL)
        return 2;
    for (i = 0; i < n; i++) {
        t0 = now_ns();
        err = posix_spawn(&pid, argv[3], NULL, NULL, argv + 3, environ);
        if (err != 0) {
            fprintf(stderr, "%s: %s: %s\n", argv[0], argv[3], strerror(err));
            return 2;
        }
        while (wait4(pid, &status, 0, &ru) < 0) {
            if (errno != EINTR) {
                perror("wait4");
                return 2;
            }
        }
        times[i] = now_ns() - t0;
        cpu[i] = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
                 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (first == -2)
            first = status;
        else if (first != status)
            first = -1;
    }
    qsort(times, (size_t)n, sizeof(*times), compare);
    qsort(cpu, (size_t)n, sizeof(*cpu), compare);
    printf("status=%d ns=%lld cpu_ns=%lld\n", first, times[n / 2], cpu[n / 2]);
    free(cpu);
    free(times);
    return 0;
}
