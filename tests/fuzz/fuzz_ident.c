/*
 * fuzz_ident.c - the ident (RFC 931) reply parser.
 *
 * The input is a first line "<remote port> <local port> <size>" and then
 * the reply line as a server sent it (cut at its first NUL, as a C string
 * is).  ident_parse_reply() must agree exactly with the sscanf() format
 * Debian's client uses on the same line, "%u , %u : USERID :%*[^:]:%255s",
 * including the ports it compares and the user it copies (cut to size - 1
 * bytes); the user must be written inside its buffer only (an exact-size
 * allocation, so ASan sees any byte beyond it).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Debian's parse of a reply line. */
static bool reference(const char *line, unsigned rport, unsigned lport,
                      char *user, size_t size)
{
    unsigned got_r, got_l;
    char word[256];

    if (sscanf(line, "%u , %u : USERID :%*[^:]:%255s", &got_r, &got_l, word) !=
            3 ||
        got_r != rport || got_l != lport || size == 0)
        return false;
    snprintf(user, size, "%s", word);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    struct fz_section sec[2];
    unsigned rport = 0, lport = 0, usize = 128;
    char *head, *line, *ours, *theirs;
    bool a, b;

    if (nl == NULL)
        return 0;
    sec[0].p = (const char *)data;
    sec[0].n = (size_t)(nl - sec[0].p);
    sec[1].p = nl + 1;
    sec[1].n = size - sec[0].n - 1;
    head = fz_strndup(&sec[0]);
    line = fz_strndup(&sec[1]);
    if (sscanf(head, "%u %u %u", &rport, &lport, &usize) < 2)
        rport = lport = 1;
    usize %= 300;
    ours = malloc(usize > 0 ? usize : 1);
    theirs = malloc(usize + 1);
    if (ours == NULL || theirs == NULL)
        fz_fail("out of memory");
    a = ident_parse_reply(line, rport, lport, ours, usize);
    b = reference(line, rport, lport, theirs, usize);
    if (a != b || (a && strcmp(ours, theirs) != 0))
        fz_fail("ident reply \"%s\" (ports %u,%u, size %u): ours %d \"%s\", "
                "sscanf's %d \"%s\"",
                line, rport, lport, usize, a, a ? ours : "", b,
                b ? theirs : "");
    free(ours);
    free(theirs);
    free(head);
    free(line);
    return 0;
}
