/*
 * store.h - compiled images shared between processes, in /run/libwrap.
 *
 * Most processes decide once (sshd-session, tcpd, a forked daemon
 * child).  A root process that compiled a rule file leaves its image
 * (image.h) in the store directory; every later process maps it
 * read-only instead of scanning the text.  The store is attack surface:
 * its files are read by root before authentication.  So:
 *
 *   - The library never creates the directory (a tmpfiles.d entry of
 *     the package makes /run/libwrap, 0755 root:root).  Without it,
 *     nothing is stored and nothing changes.
 *   - A file is trusted only when the directory (opened O_DIRECTORY |
 *     O_NOFOLLOW) and the file (opened relative to it, O_NOFOLLOW |
 *     O_NONBLOCK | O_CLOEXEC) are owned by root and not writable by
 *     group or others, and the file is a regular file of a sane size.
 *     Its contents are then checked by image_open() and, for every
 *     offset, where they are used.
 *   - Only a process with effective uid 0 that is not in a set-id
 *     context (getauxval(AT_SECURE)) writes, through a temporary file
 *     in the directory and rename(), so that no reader ever sees a
 *     partial image; two writers at once both succeed, the later rename
 *     wins.  Images are never changed in place.
 *   - Any doubt, any error (a read-only or full /run, no such
 *     directory, a bad file): nothing is used or written, without a
 *     word.  The store may only save time: the text gives the same
 *     decisions.
 *
 * The directory is a parameter (tests use their own); STORE_DIR is the
 * one the library uses.  An image's file name is derived from the path
 * of its source: "<basename>.<16 hex digits of a hash of the path>"
 * (FNV-1a 64, lowercase; the basename cut to 64 bytes, bytes other than
 * [A-Za-z0-9._+@,-] as '_', and '_' put before one that is empty or
 * starts with '.', which is kept for writers' temporary files); the
 * image records the path itself, which the caller compares.
 *
 * DIAGNOSTICS: none.
 */
#ifndef LIBWRAP_STORE_H
#define LIBWRAP_STORE_H

#include <stdbool.h>
#include <stddef.h>

#define STORE_DIR "/run/libwrap"

/* The largest image the store maps or writes. */
#define STORE_MAX_SIZE ((size_t)1 << 31)

/* A mapped image. */
struct store_map {
    void *base; /* page-aligned, read-only */
    size_t size;
};

/*
 * Maps the image kept in dir for the source file at path, if the file
 * can be trusted as described above.  False otherwise, with *out empty
 * and nothing left open or mapped.  errno is left as it was.
 */
bool store_load(const char *dir, const char *path, struct store_map *out);

/* The same, and *keep_fd is the image's file, left open (O_CLOEXEC) for
 * the caller to read it with pread() and close; -1 on failure. */
bool store_load_open(const char *dir, const char *path, struct store_map *out,
                     int *keep_fd);

/* Unmaps an image that store_load() mapped (or left empty). */
void store_unmap(struct store_map *m);

/*
 * Writes size bytes of image as the image of path in dir, when this
 * process may write (above); silently does nothing otherwise or on any
 * failure, or when the image is empty, larger than STORE_MAX_SIZE or
 * larger than RLIMIT_FSIZE (whose SIGXFSZ would end the caller).  errno
 * is left as it was.
 */
void store_save(const char *dir, const char *path, const void *image,
                size_t size);

/* True when this process may write to the store: effective uid 0 and
 * not set-id. */
bool store_may_write(void);

#endif
