/*
 * fuzz_percent.c - %-expansion with hostile names.
 *
 * The input is a request (lines: daemon, client name, client address,
 * user, server name, server address), a "%%" line, and the text to
 * expand.  Checks:
 *  - percent_x() into buffers of sizes around the expansion's (exact
 *    allocations) stays inside them, NUL-terminates and gives a prefix;
 *  - the expansion equals Debian's percent_x() on the same request
 *    (libwrap.so.0 loaded beside ours), byte for byte, shell filter
 *    included, whenever Debian's would not log (an unknown letter) or
 *    end the process (an expansion over its buffer);
 *  - no byte that the filter refuses comes from an expansion: the text
 *    with every %-sequence removed and the output agree on every unsafe
 *    byte.
 * The request never has socket addresses, so nothing is looked up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzlib.h"
#include "percent.h"
#include "strbuf.h"
#include "tcpd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char *(*debian_percent_x)(char *, int, char *, struct request_info *);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    debian_percent_x =
        (char *(*)(char *, int, char *,
                   struct request_info *))fz_debian_symbol("percent_x");
    return 0;
}

enum { F_DAEMON, F_NAME, F_ADDR, F_USER, F_SNAME, F_SADDR, F_COUNT };

/* Text that Debian expands without logging or exiting: known letters. */
static bool debian_safe(const char *s)
{
    for (; (s = strchr(s, '%')) != NULL; s += 2) {
        if (s[1] == '\0')
            return true;
        if (strchr("aAcdhHnNprRsu%", s[1]) == NULL)
            return false;
    }
    return true;
}

static void init_request(struct request_info *r, char **f)
{
    request_init(r, RQ_DAEMON, f[F_DAEMON], RQ_CLIENT_NAME, f[F_NAME],
                 RQ_CLIENT_ADDR, f[F_ADDR], RQ_USER, f[F_USER], RQ_SERVER_NAME,
                 f[F_SNAME], RQ_SERVER_ADDR, f[F_SADDR], 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz_section sec[2], line;
    struct request_info r, d;
    struct strbuf out = STRBUF_INIT;
    char *f[F_COUNT], *text, *small, *big;
    const char *p, *end;
    size_t i, len;

    if (fz_split(data, size, "%%\n", sec, 2) < 2 || sec[1].n > 512)
        return 0;
    p = sec[0].p;
    end = sec[0].p + sec[0].n;
    for (i = 0; i < F_COUNT; i++) {
        const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
        line.p = p;
        line.n = p < end ? (size_t)((nl ? nl : end) - p) : 0;
        f[i] = fz_strndup(&line);
        p = nl != NULL ? nl + 1 : end;
    }
    text = fz_strndup(&sec[1]);
    fz_capture_start();

    init_request(&r, f);
    if (!percent_expand(&out, text, &r))
        fz_fail("percent_expand failed without an allocation failure");

    /* Unsafe bytes of the output are exactly those of the literal text. */
    {
        struct strbuf lit = STRBUF_INIT, got = STRBUF_INIT;
        const char *s;
        for (s = text; *s != '\0'; s++) {
            if (s[0] == '%' && s[1] != '\0') {
                s++;
                continue;
            }
            if (!percent_is_safe((unsigned char)*s))
                sb_putc(&lit, *s);
        }
        for (s = sb_str(&out); *s != '\0'; s++) {
            if (!percent_is_safe((unsigned char)*s))
                sb_putc(&got, *s);
        }
        if (strcmp(sb_str(&lit), sb_str(&got)) != 0)
            fz_fail("unsafe bytes from an expansion: text \"%s\" gave "
                    "\"%s\"",
                    text, sb_str(&out));
        sb_free(&lit);
        sb_free(&got);
    }

    /* percent_x() into buffers of sizes around the expansion's. */
    for (i = 0; i < 6; i++) {
        static const int delta[] = {-1, 0, 1, 2};
        len = i < 2 ? i : out.len + (size_t)(long)delta[i - 2];
        if (i >= 2 && (long)out.len + delta[i - 2] < 0)
            continue;
        small = malloc(len > 0 ? len : 1);
        if (small == NULL)
            fz_fail("out of memory");
        init_request(&r, f);
        percent_x(small, (int)len, text, &r);
        if (len > 0 &&
            (strlen(small) != (len - 1 < out.len ? len - 1 : out.len) ||
             memcmp(small, sb_str(&out), strlen(small)) != 0))
            fz_fail("percent_x(len %zu) gave \"%s\", want a prefix of "
                    "\"%s\"",
                    len, small, sb_str(&out));
        free(small);
    }

    /* Debian's expansion of the same text for the same request. */
    if (debian_percent_x != NULL && debian_safe(text)) {
        size_t cap = 256 * 1024;
        big = malloc(cap);
        if (big == NULL)
            fz_fail("out of memory");
        init_request(&d, f);
        debian_percent_x(big, (int)cap, text, &d);
        if (strcmp(big, sb_str(&out)) != 0)
            fz_fail("percent_x(\"%s\"): ours \"%s\", Debian's \"%s\"", text,
                    sb_str(&out), big);
        free(big);
    }
    sb_free(&out);
    free(text);
    for (i = 0; i < F_COUNT; i++)
        free(f[i]);
    return 0;
}
