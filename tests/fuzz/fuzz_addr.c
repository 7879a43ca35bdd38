/*
 * fuzz_addr.c - split_at(), dot_quad_addr() and cidr_mask_addr().
 *
 * The input is one string (cut at its first NUL); its first byte, when
 * the input is long enough, is also the character split_at() splits at.
 * Each function runs on its own copy, and its result is compared with
 * Debian's libwrap.so.0, loaded beside ours with dlopen(RTLD_LOCAL): the
 * three are pure functions whose results must be Debian's exactly.  Set
 * FUZZ_NO_DEBIAN=1 to run without the reference (for machines without
 * libwrap0); otherwise a missing reference library is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exports.h"
#include "fuzzlib.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char *(*debian_split_at)(char *, int);
static unsigned long (*debian_dot_quad_addr)(char *);
static unsigned long (*debian_cidr_mask_addr)(char *);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    debian_split_at = (char *(*)(char *, int))fz_debian_symbol("split_at");
    debian_dot_quad_addr =
        (unsigned long (*)(char *))fz_debian_symbol("dot_quad_addr");
    debian_cidr_mask_addr =
        (unsigned long (*)(char *))fz_debian_symbol("cidr_mask_addr");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = strnlen((const char *)data, size);
    char *ours = malloc(n + 1), *theirs = malloc(n + 1);
    char *a, *b;
    int c = size > 0 ? data[0] : ':';
    unsigned long x, y;

    if (ours == NULL || theirs == NULL)
        fz_fail("out of memory");
    memcpy(ours, data, n);
    ours[n] = '\0';
    memcpy(theirs, ours, n + 1);

    a = split_at(ours, c);
    if (debian_split_at != NULL) {
        b = debian_split_at(theirs, c);
        if ((a == NULL) != (b == NULL) ||
            (a != NULL && a - ours != b - theirs) ||
            memcmp(ours, theirs, n + 1) != 0)
            fz_fail("split_at(\"%s\", '%c'): ours %td, Debian's %td",
                    (const char *)data, c, a ? a - ours : -1,
                    b ? b - theirs : -1);
    }

    memcpy(ours, data, n);
    ours[n] = '\0';
    x = dot_quad_addr(ours);
    if (debian_dot_quad_addr != NULL && (y = debian_dot_quad_addr(ours)) != x)
        fz_fail("dot_quad_addr(\"%s\"): ours %#lx, Debian's %#lx", ours, x, y);
    x = cidr_mask_addr(ours);
    if (debian_cidr_mask_addr != NULL &&
        (y = debian_cidr_mask_addr(ours)) != x)
        fz_fail("cidr_mask_addr(\"%s\"): ours %#lx, Debian's %#lx", ours, x,
                y);
    free(ours);
    free(theirs);
    return 0;
}
