/*
 * pid.c - this process's id, kept where a child cannot inherit it
 * (pid.h).
 *
 * The first call of a process asks the kernel and keeps nothing: a
 * process that decides once should not pay for a page.  The second maps
 * one anonymous page marked MADV_WIPEONFORK; from then on the id is read
 * from it.  A child made by fork(), _Fork(), or a bare clone() without
 * CLONE_VM gets that page filled with zeros, reads 0, and asks the
 * kernel again.  (A vfork() child shares the page, but may do nothing
 * but exec or _exit.)  Threads share the page and the id.
 */
#include "pid.h"

#include <stdbool.h>
#include <sys/mman.h>
#include <unistd.h>

/* The page (NULL until made), whether it could not be made, and the
 * calls so far; each read and written atomically. */
static pid_t *page;
static int unavailable;
static unsigned calls;

/* A page the kernel wipes in children, or NULL. */
static pid_t *wiped_page(void)
{
    long size = sysconf(_SC_PAGESIZE);
    void *p;

    if (size <= 0)
        return NULL;
    p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (madvise(p, (size_t)size, MADV_WIPEONFORK) != 0) {
        munmap(p, (size_t)size);
        return NULL;
    }
    return p;
}

pid_t current_pid(void)
{
    pid_t *p = __atomic_load_n(&page, __ATOMIC_ACQUIRE);
    pid_t *none = NULL;
    pid_t pid;

    if (p != NULL && (pid = __atomic_load_n(p, __ATOMIC_RELAXED)) != 0)
        return pid;
    pid = getpid();
    if (p == NULL) {
        if (__atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED) < 2 ||
            __atomic_load_n(&unavailable, __ATOMIC_RELAXED))
            return pid;
        if ((p = wiped_page()) == NULL) {
            /* Old kernel, or a sandbox that refuses it: always ask. */
            __atomic_store_n(&unavailable, 1, __ATOMIC_RELAXED);
            return pid;
        }
        if (!__atomic_compare_exchange_n(&page, &none, p, false,
                                         __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            /* Another thread made one first. */
            munmap(p, (size_t)sysconf(_SC_PAGESIZE));
            p = none;
        }
    }
    __atomic_store_n(p, pid, __ATOMIC_RELAXED);
    return pid;
}
