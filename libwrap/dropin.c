/*
 * dropin.c - listings of drop-in directories, kept and revalidated.
 *
 * Exports the dropin_* functions of dropin.h.  A listing is one block:
 * the paths of the fragments, sorted, with an array of offsets to them.
 * Pure: the listings that are kept between decisions are kept by
 * cache.c; an atomic reference count keeps one alive while a decision
 * reads it.
 */
#include "dropin.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"

struct dropin {
    int refs;           /* atomic */
    size_t count;       /* fragments */
    size_t *offsets;    /* into text: where each path starts */
    struct strbuf text; /* the paths, each terminated */
};

/* Name endings of files that editors, package managers and people leave
 * next to the real ones. */
static const char *const backup_endings[] = {
    "~",       ".dpkg-old", ".dpkg-new", ".dpkg-dist",
    ".rpmnew", ".rpmsave",  ".bak",      ".swp",
};

const char *dropin_name_skipped(const char *name)
{
    size_t len = strlen(name), i;

    if (name[0] == '.')
        return "hidden file";
    for (i = 0; i < sizeof(backup_endings) / sizeof(backup_endings[0]); i++) {
        size_t n = strlen(backup_endings[i]);

        if (len >= n && memcmp(name + len - n, backup_endings[i], n) == 0)
            return "backup or package manager file";
    }
    return NULL;
}

char *dropin_dir(const char *table)
{
    size_t len = strlen(table);
    char *dir = malloc(len + 3);

    if (dir != NULL) {
        memcpy(dir, table, len);
        memcpy(dir + len, ".d", 3);
    }
    return dir;
}

size_t dropin_count(const struct dropin *d)
{
    return d == NULL ? 0 : d->count;
}

const char *dropin_path(const struct dropin *d, size_t i)
{
    return d->text.data + d->offsets[i];
}

/* Frees a listing nobody holds. */
static void listing_free(struct dropin *d)
{
    if (d == NULL)
        return;
    free(d->offsets);
    sb_free(&d->text);
    free(d);
}

void dropin_put(struct dropin *d)
{
    if (d != NULL && __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) == 0)
        listing_free(d);
}

struct dropin *dropin_hold(struct dropin *d)
{
    __atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
    return d;
}

/* Orders names as strcmp() does: by bytes, as unsigned char. */
static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in the directory open as dir that are read, sorted, in
 * *names (malloc'd, each malloc'd); reports the others.  Returns false
 * with errno on failure. */
static bool read_names(DIR *dir, const char *dirpath, char ***names,
                       size_t *count,
                       void (*skipped)(void *, const char *, const char *),
                       void *arg)
{
    struct dirent *de;
    char **list = NULL;
    size_t n = 0, cap = 0, i;
    int fd = dirfd(dir), saved;

    for (;;) {
        errno = 0;
        if ((de = readdir(dir)) == NULL)
            break;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            char **grown = array_grow(list, &cap, sizeof(*list), 16);

            if (grown == NULL)
                goto fail;
            list = grown;
        }
        if ((list[n] = strdup(de->d_name)) == NULL)
            goto fail;
        n++;
    }
    if (errno != 0)
        goto fail;
    if (n > 1) /* an empty directory leaves list NULL */
        qsort(list, n, sizeof(*list), by_name);
    /* Keep what is read; report the rest, in order. */
    *count = 0;
    for (i = 0; i < n; i++) {
        const char *why = dropin_name_skipped(list[i]);
        struct stat st;

        if (why == NULL) {
            if (fstatat(fd, list[i], &st, 0) != 0) {
                if (errno != ENOENT) {
                    /* Kept names are list[0..*count), the rest list[i..n). */
                    size_t j;

                    saved = errno;
                    for (j = 0; j < *count; j++)
                        free(list[j]);
                    for (j = i; j < n; j++)
                        free(list[j]);
                    free(list);
                    errno = saved;
                    return false;
                }
                why = "vanished or a dangling symlink";
            } else if (!S_ISREG(st.st_mode)) {
                why = "not a regular file";
            }
        }
        if (why != NULL) {
            if (skipped != NULL) {
                struct strbuf path;

                sb_init(&path);
                sb_printf(&path, "%s/%s", dirpath, list[i]);
                if (!sb_failed(&path))
                    skipped(arg, path.data, why);
                sb_free(&path);
            }
            free(list[i]);
            continue;
        }
        list[(*count)++] = list[i];
    }
    *names = list;
    return true;
fail:
    saved = errno != 0 ? errno : ENOMEM;
    for (i = 0; i < n; i++)
        free(list[i]);
    free(list);
    errno = saved;
    return false;
}

/* Lists the directory dirpath afresh into a new listing (one reference). */
static enum table_status
list_dir(const char *dirpath, struct dropin **out,
         void (*skipped)(void *, const char *, const char *), void *arg)
{
    struct dropin *d;
    char **names = NULL;
    size_t count = 0, i;
    DIR *dir;
    int saved;

    *out = NULL;
    if ((dir = opendir(dirpath)) == NULL) {
        if (errno == ENOENT || errno == ENOTDIR)
            return TABLE_OK;
        return TABLE_ERROR;
    }
    if (!read_names(dir, dirpath, &names, &count, skipped, arg)) {
        saved = errno;
        closedir(dir);
        errno = saved;
        return TABLE_ERROR;
    }
    closedir(dir);
    d = calloc(1, sizeof(*d));
    if (d != NULL && count > 0)
        d->offsets = calloc(count, sizeof(*d->offsets));
    if (d != NULL)
        sb_init(&d->text);
    for (i = 0; i < count; i++) {
        if (d != NULL && d->offsets != NULL) {
            d->offsets[i] = d->text.len;
            sb_printf(&d->text, "%s/%s", dirpath, names[i]);
            sb_putc(&d->text, '\0');
        }
        free(names[i]);
    }
    free(names);
    if (d == NULL || (count > 0 && d->offsets == NULL) ||
        sb_failed(&d->text)) {
        listing_free(d);
        errno = ENOMEM;
        return TABLE_ERROR;
    }
    d->count = count;
    d->refs = 1;
    *out = d;
    return TABLE_OK;
}

enum table_status
dropin_list(const char *table, struct dropin **out,
            void (*skipped)(void *, const char *, const char *), void *arg)
{
    char *dirpath = dropin_dir(table);
    enum table_status status;

    *out = NULL;
    if (dirpath == NULL) {
        errno = ENOMEM;
        return TABLE_ERROR;
    }
    status = list_dir(dirpath, out, skipped, arg);
    free(dirpath);
    return status;
}
