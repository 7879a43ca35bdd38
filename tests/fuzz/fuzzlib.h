/*
 * fuzzlib.h - shared helpers of the libFuzzer harnesses.
 *
 * A sandbox directory for the files a harness writes (tables and /file
 * lists), with every absolute path the library opens or stats mapped
 * into it (link with -Wl,--wrap=open,--wrap=stat), so that fuzzed rules
 * never read the machine's own files; a log sink that captures the
 * library's diagnostics; a splitter for inputs made of several
 * sections; a store directory for shared images (store.h), with
 * clock_run_ahead() (tests/common/clockahead.h) to make just-written
 * files look old enough to be stored; and read-only copies of images
 * with nothing readable after their last byte, evaluated as access.c
 * evaluates a mapped ruleset.
 */
#ifndef FUZZLIB_H
#define FUZZLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image.h"
#include "match.h"
#include "tcpd.h"

/* Creates the sandbox once; returns its directory. */
const char *fz_sandbox(void);
/* Path of a file in the sandbox: fz_path("allow") or, for a /file
 * pattern "/1", fz_path("sbx/1"). (Static buffer, one per slot 0..7.) */
const char *fz_path(int slot, const char *name);
/* Between these two calls (around the library's decisions) absolute
 * paths are mapped into the sandbox; outside, the fuzzer's own file
 * accesses pass unchanged. */
void fz_sandbox_enter(void);
void fz_sandbox_leave(void);
/* Writes n bytes to path (NULL content: removes the file). */
void fz_write(const char *path, const void *content, size_t n);

/* Captures every diagnostic line into a buffer (per thread). */
void fz_capture_start(void);
/* The lines captured since fz_capture_start(), "<prio> <text>\n" each. */
const char *fz_captured(void);
/* Adds a line of the harness's own to the capture. */
void fz_note(const char *text);

/*
 * Splits data at each occurrence of sep (a line of its own), into at most
 * max sections; returns how many.  Sections point into data.
 */
struct fz_section {
    const char *p;
    size_t n;
};
size_t fz_split(const uint8_t *data, size_t size, const char *sep,
                struct fz_section *out, size_t max);
/* A NUL-terminated copy of a section (caller frees). */
char *fz_strndup(const struct fz_section *s);

/* A symbol of Debian's libwrap.so.0, the reference, loaded beside ours
 * with dlopen(RTLD_LOCAL); NULL for every name when FUZZ_NO_DEBIAN=1 (for
 * machines without the libwrap0 package).  A missing library or symbol
 * aborts. */
void *fz_debian_symbol(const char *name);

/* The sandbox's store directory (0755; root's when the harness runs as
 * root, which only then can write it), made once. */
const char *fz_store(void);
/* Removes every image from the store. */
void fz_store_clear(void);

/*
 * A read-only copy of n bytes in pages of their own, starting at a page
 * (as a mapped image does), with nothing readable after its last byte:
 * the rest of its last page is poisoned under AddressSanitizer and the
 * page after it is PROT_NONE.  NULL when n is 0 or mapping fails.  The
 * copy is handed to ruleset_from_map(), which unmaps it when its
 * ruleset goes; fz_copy_release() must come first (it lifts the
 * poison), and fz_copy_free() frees a copy no ruleset took.
 */
void *fz_copy_image(const void *p, size_t n);
void fz_copy_release(void *copy, size_t n);
void fz_copy_free(void *copy, size_t n);

/*
 * Evaluates a table image's rules for a request as access.c evaluates a
 * mapped ruleset's, through its index or in order, with list as the
 * /file list function; options are looked up (and read to their end)
 * but not run.  Returns the number of the first rule that matched, or
 * FZ_NO_MATCH, FZ_CORRUPT (MATCH_CORRUPT: access.c would decide from
 * the text) or FZ_ERROR.
 */
enum { FZ_NO_MATCH = -1, FZ_CORRUPT = -2, FZ_ERROR = -3 };
long fz_eval_table(const struct image *im, const struct image_header *h,
                   struct request_info *r, match_list_fn *list, void *arg,
                   bool use_index);

/* Aborts with a message (a finding). */
void fz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
