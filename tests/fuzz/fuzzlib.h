/*
 * fuzzlib.h - shared helpers of the libFuzzer harnesses.
 *
 * A sandbox directory for the files a harness writes (tables and /file
 * lists), with every absolute path the library opens or stats mapped
 * into it (link with -Wl,--wrap=open,--wrap=stat), so that fuzzed rules
 * never read the machine's own files; a log sink that captures the
 * library's diagnostics; and a splitter for inputs made of several
 * sections.
 */
#ifndef FUZZLIB_H
#define FUZZLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* Aborts with a message (a finding). */
void fz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
