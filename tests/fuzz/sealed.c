/*
 * sealed.c - harnesses that run option fields cannot touch the machine.
 *
 * Linked into the harnesses whose inputs reach options_run() (with
 * -Wl,--wrap for each call below: see CMakeLists.txt): every call that
 * would start a process, change identity, priority, environment or
 * umask fails, or pretends to succeed, without doing anything.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

long __wrap_syscall(long number, ...);
pid_t __wrap_fork(void);
int __wrap_execve(const char *path, char *const argv[], char *const envp[]);
int __wrap_execl(const char *path, const char *arg, ...);
int __wrap_setuid(uid_t uid);
int __wrap_setgid(gid_t gid);
int __wrap_setgroups(size_t n, const gid_t *list);
int __wrap_initgroups(const char *user, gid_t gid);
int __wrap_nice(int inc);
int __wrap_setpriority(int which, id_t who, int prio);
int __wrap_setenv(const char *name, const char *value, int overwrite);
mode_t __wrap_umask(mode_t mask);

long __wrap_syscall(long number, ...)
{
    (void)number;
    errno = EAGAIN; /* clone(): no process */
    return -1;
}

pid_t __wrap_fork(void)
{
    errno = EAGAIN;
    return -1;
}

int __wrap_execve(const char *path, char *const argv[], char *const envp[])
{
    (void)path;
    (void)argv;
    (void)envp;
    errno = EACCES;
    return -1;
}

int __wrap_execl(const char *path, const char *arg, ...)
{
    (void)path;
    (void)arg;
    errno = EACCES;
    return -1;
}

int __wrap_setuid(uid_t uid)
{
    (void)uid;
    errno = EPERM;
    return -1;
}

int __wrap_setgid(gid_t gid)
{
    (void)gid;
    errno = EPERM;
    return -1;
}

int __wrap_setgroups(size_t n, const gid_t *list)
{
    (void)n;
    (void)list;
    errno = EPERM;
    return -1;
}

int __wrap_initgroups(const char *user, gid_t gid)
{
    (void)user;
    (void)gid;
    errno = EPERM;
    return -1;
}

int __wrap_nice(int inc)
{
    return inc;
}

int __wrap_setpriority(int which, id_t who, int prio)
{
    (void)which;
    (void)who;
    (void)prio;
    return 0;
}

/* setenv()'s checks, without changing the environment. */
int __wrap_setenv(const char *name, const char *value, int overwrite)
{
    (void)value;
    (void)overwrite;
    if (name == NULL || name[0] == '\0' || strchr(name, '=') != NULL) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}

mode_t __wrap_umask(mode_t mask)
{
    (void)mask;
    return 022;
}
