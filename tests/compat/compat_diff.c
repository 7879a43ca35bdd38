/*
 * compat_diff.c - the differential test: runs scripts of access requests
 * through the probe twice, once on our libwrap.so.0 and once on Debian's,
 * and compares the transcripts request by request.
 *
 * A disagreement passes only when a documented difference of
 * compat-policy.md explains it, each through its own rule and only in a
 * case tagged with it (normalise(); tests/compat/README.md has the
 * table).  Differences whose Debian side is Debian on an equivalent
 * table (D1, D2, D8, D9, D10, D13) are compared with a second Debian run
 * on the case's alt- tables (probe --alt), made only when needed; the
 * state such a case leaves in the process carries to later cases of the
 * same run.  Anything else fails the run, and the smallest script that
 * still shows the disagreement is printed and saved.
 *
 * Usage: compat_diff --probe PROBE --ours DIR [--debian LIB]
 *            [--gen SEED:CASES[:sock]]... [--save DIR] [--explain]
 *            [SCRIPT]...
 * Exit status 0 when every disagreement is documented, 1 otherwise, 2 on
 * a usage or probe failure.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gen.h"

static const char *probe_path;
static char ours_lib[PATH_MAX + 16];
static char ours_dir[PATH_MAX];
static const char *debian_lib = "/usr/lib/x86_64-linux-gnu/libwrap.so.0";
static const char *save_dir;
static bool quiet_failures; /* while minimising */
static bool explain;        /* --explain: name the rule of each request */

/* Totals for the summary. */
static long total_requests, total_equal, total_failures;
/* Requests explained by each difference, and (alt- differences) how many
 * of them only by state an earlier case of the process left behind. */
static long documented[20], carried_only[20];

/* ------------------------------------------------------------------ */

/* Aborts on allocation failure: this is a test driver. */
static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (p == NULL) {
        perror("compat_diff");
        exit(2);
    }
    return p;
}

/* strdup() that exits when memory runs out. */
static char *xstrdup(const char *s)
{
    char *p = strdup(s);

    if (p == NULL) {
        perror("compat_diff");
        exit(2);
    }
    return p;
}

/* A growable string. */
struct str {
    char *p;
    size_t len, cap;
};

/* Appends n bytes. */
static void str_add(struct str *s, const char *t, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        s->cap = (s->len + n + 1) * 2;
        s->p = xrealloc(s->p, s->cap);
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = '\0';
}

/* Appends a NUL-terminated string. */
static void str_cat(struct str *s, const char *t)
{
    str_add(s, t, strlen(t));
}

/* ------------------------------------------------------------------ */
/* Running the probe. */

enum which { OURS, DEBIAN, DEBIAN_ALT };

/* Runs the probe on a script file; returns its stdout (exits on error). */
static char *run_probe(const char *script, enum which which)
{
    int pipefd[2], status;
    pid_t pid;
    struct str out = {0};
    char chunk[65536];
    ssize_t n;

    if (pipe(pipefd) < 0) {
        perror("pipe");
        exit(2);
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        const char *argv[6];
        int i = 0;

        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        argv[i++] = probe_path;
        argv[i++] = "--expect";
        argv[i++] = which == OURS ? ours_lib : debian_lib;
        if (which == DEBIAN_ALT)
            argv[i++] = "--alt";
        argv[i++] = script;
        argv[i] = NULL;
        if (which == OURS) {
            setenv("LD_LIBRARY_PATH", ours_dir, 1);
        } else {
            unsetenv("LD_LIBRARY_PATH");
            /* Debian's library is not ours to check for leaks. */
            setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
        }
        execv(probe_path, (char *const *)argv);
        perror(probe_path);
        _exit(127);
    }
    close(pipefd[1]);
    while ((n = read(pipefd[0], chunk, sizeof(chunk))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("read");
            exit(2);
        }
        str_add(&out, chunk, (size_t)n);
    }
    close(pipefd[0]);
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (quiet_failures) {
            /* A shrunk script the probe rejects does not reproduce. */
            free(out.p);
            return NULL;
        }
        fprintf(stderr, "compat_diff: probe (%s) failed on %s: status %d\n",
                which == OURS ? "ours" : "debian", script, status);
        exit(2);
    }
    if (out.p == NULL)
        str_add(&out, "", 0);
    return out.p;
}

/* ------------------------------------------------------------------ */
/* Transcripts. */

struct block {
    char *head; /* "@ case#n" or "case NAME tags ..." */
    char **lines;
    size_t count;
};

struct transcript {
    struct block *blocks;
    size_t count;
};

/* Splits probe output into blocks (the text is modified and kept). */
static void parse_transcript(char *text, struct transcript *t)
{
    char *line, *next;
    struct block *b = NULL;

    t->blocks = NULL;
    t->count = 0;
    for (line = text; *line != '\0'; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        else
            next = line + strlen(line);
        if (line[0] == '@' || strncmp(line, "case ", 5) == 0) {
            t->blocks = xrealloc(t->blocks, (t->count + 1) * sizeof(*b));
            b = &t->blocks[t->count++];
            b->head = line;
            b->lines = NULL;
            b->count = 0;
        } else if (b != NULL) {
            b->lines = xrealloc(b->lines, (b->count + 1) * sizeof(char *));
            b->lines[b->count++] = line;
        }
    }
}

/* Frees the block index of a transcript (not its text). */
static void free_transcript(struct transcript *t)
{
    size_t i;

    for (i = 0; i < t->count; i++)
        free(t->blocks[i].lines);
    free(t->blocks);
}

/* A block as a mutable list of lines, for normalising. */
struct lines {
    char **v;
    size_t n;
};

/* A modifiable copy of a block's lines. */
static struct lines copy_lines(const struct block *b)
{
    struct lines l;
    size_t i;

    l.n = b->count;
    l.v = xrealloc(NULL, (l.n + 1) * sizeof(char *));
    for (i = 0; i < l.n; i++)
        l.v[i] = xstrdup(b->lines[i]);
    return l;
}

/* Frees a copy made by copy_lines(). */
static void free_lines(struct lines *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* Removes line i. */
static void remove_line(struct lines *l, size_t i)
{
    free(l->v[i]);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(char *));
    l->n--;
}

/* True when both lists hold the same lines in the same order. */
static bool lines_equal(const struct lines *a, const struct lines *b)
{
    size_t i;

    if (a->n != b->n)
        return false;
    for (i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

/* True when s starts with prefix. */
static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* True when s ends with suffix. */
static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* True when the case header lists tag (e.g. "D2"). */
static bool case_has_tag(const char *tags, const char *tag)
{
    const char *p = tags;
    size_t n = strlen(tag);

    while ((p = strstr(p, tag)) != NULL) {
        if ((p == tags || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return true;
        p += n;
    }
    return false;
}

/* The request line of a block ("req ..."), or "". */
static const char *block_request(const struct lines *l)
{
    return l->n > 0 && has_prefix(l->v[0], "req ") ? l->v[0] + 4 : "";
}

/* True when the request line has the flag word. */
static bool request_has_flag(const char *req, const char *flag)
{
    char *copy = xstrdup(req), *save = NULL, *w;
    bool found = false;

    for (w = strtok_r(copy, " ", &save); w != NULL;
         w = strtok_r(NULL, " ", &save))
        if (strcmp(w, flag) == 0)
            found = true;
    free(copy);
    return found;
}

/* Index of the first line with the prefix, or n. */
static size_t find_line(const struct lines *l, const char *prefix)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (has_prefix(l->v[i], prefix))
            return i;
    return l->n;
}

/* s with every "%%" read as "%". */
static char *collapse_percent(const char *s)
{
    char *out = xstrdup(s), *q = out;

    for (; *s != '\0'; s++) {
        *q++ = *s;
        if (s[0] == '%' && s[1] == '%')
            s++;
    }
    *q = '\0';
    return out;
}

#define BIT(n) (1u << (n))

/* The differences whose Debian side is Debian on an equivalent table
 * (the probe's --alt run): the probe tags D1, D2 and D10 itself, cases
 * tag D8, D9 and D13 and give their alt- tables. */
#define ALT_DIFFERENCES (BIT(1) | BIT(2) | BIT(8) | BIT(9) | BIT(10) | BIT(13))

/* The tags of a case header, as bits. */
static unsigned tag_bits(const char *tags)
{
    unsigned bits = 0;
    int k;

    for (k = 1; k <= 13; k++) {
        char tag[8];
        snprintf(tag, sizeof(tag), "D%d", k);
        if (case_has_tag(tags, tag))
            bits |= BIT(k);
    }
    return bits;
}

/* Removes every line of l with the prefix and suffix; true if any. */
static bool remove_matching(struct lines *l, const char *prefix,
                            const char *infix, const char *suffix)
{
    bool removed = false;
    size_t i;

    for (i = 0; i < l->n;) {
        if (has_prefix(l->v[i], prefix) && has_suffix(l->v[i], suffix) &&
            (infix == NULL || strstr(l->v[i], infix) != NULL)) {
            remove_line(l, i);
            removed = true;
        } else {
            i++;
        }
    }
    return removed;
}

/* D2: ours warns once per file version about a missing final newline. */
static bool rule_d2(struct lines *o)
{
    return remove_matching(o, "log 3 warning: ", NULL,
                           ": missing newline at end of file; "
                           "the last line is used anyway");
}

/* D3: Debian's block ends where an expansion overflowed its 8 KB buffer:
 * the warning, the 5 s pause and exit(0) of the (forked) process.  Ours
 * went on: its block must start with the lines Debian had printed by
 * then and reach a verdict. */
static bool rule_d3(struct lines *o, struct lines *d, bool *ok)
{
    size_t i, j, n = d->n;

    /* Debian's files, printed after the exit, hold what was written
     * before it: each must begin ours's file of the same name. */
    while (n > 0 && has_prefix(d->v[n - 1], "file ")) {
        const char *name_end = strchr(d->v[n - 1] + 5, ' ');
        size_t len = name_end != NULL ? (size_t)(name_end - d->v[n - 1])
                                      : strlen(d->v[n - 1]);
        for (j = 0; j < o->n; j++)
            if (strncmp(o->v[j], d->v[n - 1], len) == 0 &&
                (o->v[j][len] == ' ' || o->v[j][len] == '\0'))
                break;
        if (j == o->n || !has_prefix(o->v[j], d->v[n - 1]))
            return false;
        n--;
    }
    if (n < 3 || strcmp(d->v[n - 1], "exit 0") != 0 ||
        strcmp(d->v[n - 2], "sleep 5") != 0 ||
        !has_prefix(d->v[n - 3], "log 3 warning: ") ||
        strstr(d->v[n - 3], ": percent_x: expansion too long: ") == NULL ||
        find_line(o, "verdict ") == o->n || find_line(o, "exit ") < o->n ||
        find_line(o, "crash ") < o->n || n - 3 > o->n)
        return false;
    for (i = 0; i < n - 3; i++)
        if (strcmp(o->v[i], d->v[i]) != 0)
            return false;
    for (i = 0; i < o->n; i++)
        if (strstr(o->v[i], "expansion too long") != NULL)
            return false;
    *ok = true;
    return true;
}

/* D4: ours bounds /file nesting with a warning where Debian runs out of
 * descriptors (a warning) or of stack (a crash). */
static bool rule_d4(struct lines *o, struct lines *d, bool *ok)
{
    bool used = remove_matching(
        o, "log 3 warning: ", "host list files nested more than",
        " deep; ignored");

    used |=
        remove_matching(d, "log 3 warning: ", NULL, ": Too many open files");
    if (find_line(d, "crash signal ") < d->n &&
        find_line(o, "crash ") == o->n && find_line(o, "verdict ") < o->n) {
        *ok = true;
        return true;
    }
    return used;
}

/* D5: hosts_ctl() with a NULL argument crashes Debian's library. */
static bool rule_d5(const char *req, struct lines *o, struct lines *d,
                    bool *ok)
{
    if (!request_has_flag(req, "ctl") || !request_has_flag(req, "null") ||
        find_line(d, "crash signal 11") == d->n ||
        find_line(o, "crash ") < o->n || find_line(o, "verdict ") == o->n)
        return false;
    *ok = true;
    return true;
}

/* D6: a '%' in a table path is part of Debian's syslog format. */
static bool rule_d6(struct lines *o, struct lines *d)
{
    bool used = false;
    size_t i;

    if (o->n != d->n)
        return false;
    for (i = 0; i < o->n; i++) {
        char *c;
        if (strcmp(o->v[i], d->v[i]) == 0 || !has_prefix(o->v[i], "log "))
            continue;
        c = collapse_percent(o->v[i]);
        if (strcmp(c, d->v[i]) == 0) {
            free(o->v[i]);
            o->v[i] = c;
            used = true;
        } else {
            free(c);
        }
    }
    return used;
}

/* D7: ours keeps the caller's strtok() state, Debian's loses it. */
static bool rule_d7(struct lines *o, struct lines *d)
{
    size_t i = find_line(o, "strtok "), j = find_line(d, "strtok ");

    if (i == o->n || j == d->n || strcmp(o->v[i], "strtok ok") != 0 ||
        strcmp(d->v[j], "strtok ok") == 0)
        return false;
    free(d->v[j]);
    d->v[j] = xstrdup("strtok ok");
    return true;
}

/* D8: a failing aclexec (the first option of its rule) is a condition of
 * that rule: ours logs the match, the option and "aclexec returned 1",
 * then tries the next rule.  The case's alt- table has a comment line in
 * its place, so these lines are all that ours may have more. */
static bool rule_d8(struct lines *o)
{
    bool used = false;
    size_t i, k;

    for (k = 0; k < o->n;) {
        if (strcmp(o->v[k], "log 6 aclexec returned 1") != 0) {
            k++;
            continue;
        }
        i = k;
        if (i > 0 && has_prefix(o->v[i - 1], "log 3 warning: ") &&
            strstr(o->v[i - 1], " exited with signal ") != NULL)
            i--;
        if (i > 0 && has_prefix(o->v[i - 1], "log 7 option:   aclexec "))
            i--;
        if (i > 0 && has_prefix(o->v[i - 1], "log 7 matched:  "))
            i--;
        for (; k >= i && k < o->n; k--) {
            remove_line(o, k);
            if (k == 0)
                break;
        }
        k = i;
        used = true;
    }
    return used;
}

/* D9: outside dry-run mode ours takes the identity that user and group
 * name; Debian's keeps its own (its dry-run test is inverted).  In dry
 * runs the alt- table, without the option, is Debian's equivalent.  The
 * cases run as root and name nobody and nogroup (65534). */
static bool rule_d9(const char *req, struct lines *o, struct lines *d)
{
    size_t i = find_line(o, "proc "), j = find_line(d, "proc ");

    if (request_has_flag(req, "dry") || !request_has_flag(req, "fork") ||
        i == o->n || j == d->n || strcmp(o->v[i], d->v[j]) == 0 ||
        !has_prefix(d->v[j], "proc uid=0 euid=0 gid=0 egid=0 ") ||
        !(has_prefix(o->v[i], "proc uid=65534 euid=65534 ") ||
          strstr(o->v[i], " gid=65534 egid=65534 ") != NULL))
        return false;
    free(o->v[i]);
    o->v[i] = xstrdup(d->v[j]);
    return true;
}

/* The shell-safety filter of %-expansions (behaviour page 4.3) applied
 * to a printed value, where "\xHH" stands for one byte, always unsafe. */
static char *shell_filter(const char *s)
{
    struct str out = {0};

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' && s[1] == 'x' && s[2] != '\0' && s[3] != '\0') {
            s += 3;
            c = '_';
        } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     (c >= '0' && c <= '9') ||
                     strchr("!@%-_=+:,./", c) != NULL)) {
            c = '_';
        }
        str_add(&out, (const char *)&c, 1);
    }
    if (out.p == NULL)
        str_add(&out, "", 0);
    return out.p;
}

/* A field of a "fields" line (the printed text between its quotes). */
static char *field_value(const char *line, const char *key)
{
    char pat[32];
    const char *p, *end;

    snprintf(pat, sizeof(pat), " %s=\"", key);
    p = strstr(line, pat);
    if (p == NULL)
        return NULL;
    p += strlen(pat);
    end = strchr(p, '"');
    return end != NULL ? strndup(p, (size_t)(end - p)) : NULL;
}

/* D12: Debian writes the underscored expansion of %u, %d and %n back
 * into the request's user, daemon and host name; ours leaves them. */
static bool rule_d12(struct lines *o, struct lines *d)
{
    static const char *const keys[] = {"user",  "daemon", "cname",
                                       "caddr", "sname",  "saddr"};
    size_t i = find_line(o, "fields "), j = find_line(d, "fields ");
    struct str fixed = {0};
    bool used = false, ok = true;
    size_t k;

    if (i == o->n || j == d->n || strcmp(o->v[i], d->v[j]) == 0)
        return false;
    str_cat(&fixed, "fields");
    for (k = 0; k < 6 && ok; k++) {
        char *ov = field_value(o->v[i], keys[k]);
        char *dv = field_value(d->v[j], keys[k]);
        char *f = NULL;

        ok = ov != NULL && dv != NULL;
        /* Only the first three fields are rewritten by Debian. */
        if (ok && k < 3 && strcmp(ov, dv) != 0) {
            f = shell_filter(ov);
            if (strcmp(f, dv) == 0)
                used = true;
        }
        if (ok) {
            str_cat(&fixed, " ");
            str_cat(&fixed, keys[k]);
            str_cat(&fixed, "=\"");
            str_cat(&fixed, f != NULL && strcmp(f, dv) == 0 ? dv : ov);
            str_cat(&fixed, "\"");
        }
        free(f);
        free(ov);
        free(dv);
    }
    if (ok && used) {
        free(o->v[i]);
        o->v[i] = fixed.p;
        return true;
    }
    free(fixed.p);
    return false;
}

/* D13: facilities that Debian lacks, and the alt- tables' stand-ins. */
static const struct {
    int ours, stand_in; /* facility codes (<< 3) */
} d13_facilities[] = {
    {10 << 3, 4 << 3}, /* authpriv: auth */
    {5 << 3, 3 << 3},  /* syslog: daemon */
    {11 << 3, 8 << 3}, /* ftp: uucp */
};

/* The priority ours shows for the stand-in's priority p, or -1. */
static int d13_ours(int p)
{
    size_t i;

    for (i = 0; i < sizeof(d13_facilities) / sizeof(d13_facilities[0]); i++)
        if ((p & ~7) == d13_facilities[i].stand_in)
            return d13_facilities[i].ours | (p & 7);
    return -1;
}

/* D13 names and Debian's stand-ins in the alt- tables. */
static const char *const d13_names[][2] = {
    {"authpriv", "auth"}, {"syslog", "daemon"}, {"ftp", "uucp"},
    {"warn", "warning"},  {"error", "err"},     {"panic", "emerg"},
};

/* An "option:   severity FAC.LEVEL" line of ours with Debian's
 * stand-in names, or NULL when it has no D13 name. */
static char *d13_option_line(const char *line)
{
    static const char head[] = "log 7 option:   severity ";
    struct str out = {0};
    const char *p;
    bool changed = false;

    if (!has_prefix(line, head))
        return NULL;
    str_cat(&out, head);
    for (p = line + strlen(head); *p != '\0';) {
        size_t n = strcspn(p, ". "), k;
        for (k = 0; k < sizeof(d13_names) / sizeof(d13_names[0]); k++)
            if (strlen(d13_names[k][0]) == n &&
                strncmp(p, d13_names[k][0], n) == 0)
                break;
        if (k < sizeof(d13_names) / sizeof(d13_names[0])) {
            str_cat(&out, d13_names[k][1]);
            changed = true;
        } else {
            str_add(&out, p, n);
        }
        p += n;
        if (*p != '\0')
            str_add(&out, p++, 1);
    }
    if (!changed) {
        free(out.p);
        return NULL;
    }
    return out.p;
}

/* Rewrites every number after "key" in line that is the D13 image of
 * the number at the same place in ref; true if the lines then agree. */
static bool d13_map_line(char **line, const char *ref)
{
    struct str out = {0};
    const char *a = *line, *b = ref;

    while (*a != '\0' && *b != '\0') {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9' &&
            (a == *line || !(a[-1] >= '0' && a[-1] <= '9'))) {
            char *ea, *eb;
            long x = strtol(a, &ea, 10), y = strtol(b, &eb, 10);
            if (x != y && d13_ours((int)y) == x) {
                str_add(&out, b, (size_t)(eb - b));
                a = ea;
                b = eb;
                continue;
            }
        }
        if (*a != *b)
            break;
        str_add(&out, a, 1);
        a++;
        b++;
    }
    if (*a != '\0' || *b != '\0') {
        free(out.p);
        return false;
    }
    free(*line);
    *line = out.p;
    return true;
}

/* D13: severity with a <syslog.h> name that Debian lacks.  The alt-
 * table names Debian's stand-in (warn: warning, error: err, authpriv:
 * auth, syslog: daemon, ftp: uucp); priorities with a stand-in facility
 * must be ours's facility with the same level. */
static bool rule_d13(struct lines *o, struct lines *d)
{
    bool used = false;
    size_t i;

    if (o->n != d->n)
        return false;
    for (i = 0; i < o->n; i++) {
        if (strcmp(o->v[i], d->v[i]) == 0)
            continue;
        char *alt_names = d13_option_line(o->v[i]);
        if (alt_names != NULL && strcmp(alt_names, d->v[i]) == 0) {
            free(o->v[i]);
            o->v[i] = alt_names;
            used = true;
            continue;
        }
        free(alt_names);
        if ((has_prefix(o->v[i], "state ") || has_prefix(o->v[i], "log ")) &&
            d13_map_line(&o->v[i], d->v[i]))
            used = true;
    }
    return used;
}

/* Not a documented difference (yet): a command run by spawn gets only
 * descriptors 0-2 from ours (child.c closes the rest); Debian's keeps
 * every descriptor of the caller that is not close-on-exec (behaviour
 * page 8.12).  compat-policy does not list this; until it does, cases
 * tagged FDS show it and the summary reports it apart.  The command
 * writes "inherited" or "closed" to a file; nothing else may differ. */
#define SPAWN_FDS 14

/* The FDS rule: ours's "closed" file against Debian's "inherited". */
static bool rule_spawn_fds(struct lines *o, struct lines *d)
{
    size_t i, j;
    bool used = false;

    for (i = 0; i < o->n; i++) {
        if (!has_prefix(o->v[i], "file ") ||
            !has_suffix(o->v[i], " closed\\x0a"))
            continue;
        for (j = 0; j < d->n; j++) {
            size_t len = strlen(o->v[i]) - strlen(" closed\\x0a");
            if (strncmp(d->v[j], o->v[i], len) == 0 &&
                strcmp(d->v[j] + len, " inherited\\x0a") == 0) {
                free(o->v[i]);
                o->v[i] = xstrdup(d->v[j]);
                used = true;
                break;
            }
        }
    }
    return used;
}

/* Not a documented difference (yet) either: when aclexec cannot start
 * its shell, Debian logs a warning, pauses and exits the caller
 * (clean_exit, behaviour page 8.5); ours logs the same text as an error
 * and denies (STYLE: the library never ends its caller).  Cases tagged
 * EXIT show it. */
#define ACLEXEC_EXIT 15

static bool rule_aclexec_exit(struct lines *o, struct lines *d, bool *ok)
{
    static const char text[] = "aclexec_option: /bin/sh: ";
    size_t i, n = d->n;
    const char *dw, *ow;

    if (n < 3 || strcmp(d->v[n - 1], "exit 0") != 0 ||
        strcmp(d->v[n - 2], "sleep 5") != 0 ||
        !has_prefix(d->v[n - 3], "log 3 warning: ") ||
        (dw = strstr(d->v[n - 3], text)) == NULL || o->n < n ||
        !has_prefix(o->v[n - 3], "log 3 error: ") ||
        (ow = strstr(o->v[n - 3], text)) == NULL || strcmp(ow, dw) != 0 ||
        strcmp(o->v[n - 2], "verdict 0") != 0)
        return false;
    for (i = 0; i < n - 3; i++)
        if (strcmp(o->v[i], d->v[i]) != 0)
            return false;
    *ok = true;
    return true;
}

/* Removes every line of l that starts with one of the prefixes. */
static void remove_lines_with(struct lines *l, const char *a, const char *b)
{
    size_t i = 0;

    while (i < l->n) {
        if (has_prefix(l->v[i], a) || has_prefix(l->v[i], b))
            remove_line(l, i);
        else
            i++;
    }
}

/* True when some line of l holds text. */
static bool some_line_has(const struct lines *l, const char *text)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (strstr(l->v[i], text) != NULL)
            return true;
    return false;
}

/*
 * compat-policy, beyond Debian: out of descriptors, Debian's library
 * cannot open its tables and denies; ours decides from the tables it
 * holds and denies wherever the decision needed what it could not get
 * (issue 11).  In cases tagged RES both must deny; the log (ours names
 * its cause, or none when the text itself denies) and the request's
 * fields (ours read more of them first) may differ, nothing else.  In
 * cases tagged CACHED, ours may instead grant from memory, but only with
 * an empty log: a decision that needed nothing it lacked.
 */
#define RESOURCES 16

static bool rule_resources(const char *tags, struct lines *o, struct lines *d,
                           bool *ok)
{
    size_t ov, dv;
    bool quiet = find_line(o, "log ") == o->n;

    if (!some_line_has(d, ": Too many open files") ||
        (dv = find_line(d, "verdict ")) == d->n ||
        strcmp(d->v[dv], "verdict 0") != 0 ||
        (ov = find_line(o, "verdict ")) == o->n)
        return false;
    if (strcmp(o->v[ov], "verdict 1") == 0) {
        if (!case_has_tag(tags, "CACHED") || !quiet)
            return false;
        free(o->v[ov]);
        o->v[ov] = xstrdup("verdict 0");
    } else if (strcmp(o->v[ov], "verdict 0") != 0) {
        return false;
    }
    remove_lines_with(o, "log ", "fields ");
    remove_lines_with(d, "log ", "fields ");
    *ok = lines_equal(o, d);
    return true;
}

/*
 * Not a documented difference (yet): commands that spawn and aclexec
 * start have every signal at its default action, where Debian's inherit
 * what the caller ignores; spawn keeps SIGHUP ignored in both (child.h).
 * A case tagged SIG has its commands write their SigIgn mask: ours must
 * be Debian's with only the SIGHUP bit left.
 */
#define COMMAND_SIGNALS 17

static bool rule_command_signals(struct lines *o, struct lines *d)
{
    static const char key[] = "SigIgn:\\x09";
    size_t i, j;
    bool used = false;

    for (i = 0; i < o->n; i++) {
        const char *ok_at = strstr(o->v[i], key), *dk_at;
        size_t head;
        unsigned long long ours, debian;

        if (!has_prefix(o->v[i], "file ") || ok_at == NULL)
            continue;
        head = (size_t)(ok_at - o->v[i]);
        for (j = 0; j < d->n; j++) {
            if (strncmp(d->v[j], o->v[i], head) != 0 ||
                (dk_at = strstr(d->v[j], key)) == NULL ||
                (size_t)(dk_at - d->v[j]) != head)
                continue;
            ours = strtoull(ok_at + strlen(key), NULL, 16);
            debian = strtoull(dk_at + strlen(key), NULL, 16);
            if (ours == (debian & 1ULL)) {
                free(o->v[i]);
                o->v[i] = xstrdup(d->v[j]);
                used = true;
            }
            break;
        }
    }
    return used;
}

/*
 * Applies the documented differences that the case's tags allow to a
 * disagreeing pair; returns the set that was needed, with *ok telling
 * whether the blocks are then equal.  d is Debian's block, or Debian's
 * block on the alt- tables when alt is set; carried are the alt-
 * differences of earlier cases of the process, whose state may remain.
 */
static unsigned normalise(const char *tags, unsigned carried, struct lines *o,
                          struct lines *d, bool alt, bool *ok)
{
    unsigned used = 0, tagged = tag_bits(tags) | carried;
    const char *req = block_request(o);

    *ok = false;
    if (rule_d7(o, d))
        used |= BIT(7);
    if ((tagged & BIT(2)) && rule_d2(o))
        used |= BIT(2);
    if ((tagged & BIT(3)) && rule_d3(o, d, ok))
        return used | BIT(3);
    if ((tagged & BIT(4)) && rule_d4(o, d, ok)) {
        used |= BIT(4);
        if (*ok)
            return used;
    }
    if (rule_d5(req, o, d, ok))
        return used | BIT(5);
    if ((tagged & BIT(6)) && rule_d6(o, d))
        used |= BIT(6);
    if (alt && (tagged & BIT(8)) && rule_d8(o))
        used |= BIT(8);
    if ((tagged & BIT(9)) && rule_d9(req, o, d))
        used |= BIT(9);
    if ((tagged & BIT(12)) && rule_d12(o, d))
        used |= BIT(12);
    if (alt && (tagged & BIT(13)) && rule_d13(o, d))
        used |= BIT(13);
    if (case_has_tag(tags, "FDS") && rule_spawn_fds(o, d))
        used |= BIT(SPAWN_FDS);
    if (case_has_tag(tags, "EXIT") && rule_aclexec_exit(o, d, ok))
        return used | BIT(ACLEXEC_EXIT);
    if (case_has_tag(tags, "SIG") && rule_command_signals(o, d))
        used |= BIT(COMMAND_SIGNALS);
    if ((case_has_tag(tags, "RES") || case_has_tag(tags, "CACHED")) &&
        rule_resources(tags, o, d, ok))
        return used | BIT(RESOURCES);
    *ok = lines_equal(o, d);
    return used;
}

/* Prints both sides of a disagreement. */
static void print_disagreement(const char *head, const struct block *o,
                               const struct block *d)
{
    size_t i;

    printf("DISAGREEMENT at %s\n  ours:\n", head);
    for (i = 0; i < o->count; i++)
        printf("    %s\n", o->lines[i]);
    printf("  debian:\n");
    for (i = 0; i < d->count; i++)
        printf("    %s\n", d->lines[i]);
}

/*
 * Compares the transcripts of one script.  Returns the number of
 * undocumented disagreements; the first one's block index is stored in
 * *first (if any).  The alt run is made lazily.
 */
static long compare_script(const char *script, size_t *first)
{
    char *ours_text = run_probe(script, OURS);
    char *deb_text = run_probe(script, DEBIAN);
    char *alt_text = NULL;
    struct transcript o, d, a = {0};
    const char *tags = "";
    unsigned carried = 0; /* alt- differences of this and earlier cases */
    unsigned own = 0;     /* those of this case */
    long failures = 0;
    size_t i;
    int k;

    if (ours_text == NULL || deb_text == NULL) {
        free(ours_text);
        free(deb_text);
        return 0;
    }
    parse_transcript(ours_text, &o);
    parse_transcript(deb_text, &d);
    if (o.count != d.count) {
        if (!quiet_failures)
            printf("DISAGREEMENT in %s: %zu blocks (ours) vs %zu (debian)\n",
                   script, o.count, d.count);
        *first = o.count < d.count ? o.count : d.count;
        free_transcript(&o);
        free_transcript(&d);
        free(ours_text);
        free(deb_text);
        return 1;
    }
    for (i = 0; i < o.count; i++) {
        struct block *ob = &o.blocks[i], *db = &d.blocks[i];
        struct lines ol, dl;
        unsigned used = 0;
        bool ok = false;

        if (strcmp(ob->head, db->head) != 0) {
            printf("compat_diff: transcripts out of step: %s / %s\n", ob->head,
                   db->head);
            exit(2);
        }
        if (strncmp(ob->head, "case ", 5) == 0) {
            tags = strstr(ob->head, " tags ");
            tags = tags ? tags + 6 : "";
            /* Global state (a stale tcpd_context, say) carries the
             * effect of a difference into later cases of the process. */
            own = tag_bits(tags) & ALT_DIFFERENCES;
            carried |= own;
            continue;
        }
        total_requests++;
        ol = copy_lines(ob);
        dl = copy_lines(db);
        if (lines_equal(&ol, &dl)) {
            total_equal++;
            free_lines(&ol);
            free_lines(&dl);
            continue;
        }
        used = normalise(tags, 0, &ol, &dl, false, &ok);
        /* Ours on the original tables, Debian on the alt- tables. */
        if (!ok && carried != 0) {
            struct lines al, ol2;
            bool ok2 = false;

            if (alt_text == NULL) {
                alt_text = run_probe(script, DEBIAN_ALT);
                if (alt_text == NULL)
                    alt_text = xstrdup("");
                parse_transcript(alt_text, &a);
            }
            if (i < a.count && strcmp(a.blocks[i].head, ob->head) == 0) {
                al = copy_lines(&a.blocks[i]);
                ol2 = copy_lines(ob);
                used = normalise(tags, carried, &ol2, &al, true, &ok2);
                if (ok2) {
                    ok = true;
                    if (own != 0) {
                        used |= own;
                    } else {
                        used |= carried;
                        for (k = 1; k <= 13; k++)
                            if (carried & BIT(k))
                                carried_only[k]++;
                    }
                }
                free_lines(&al);
                free_lines(&ol2);
            }
        }
        if (ok) {
            if (explain && !quiet_failures)
                printf("explained %s:", ob->head);
            for (k = 1; k <= COMMAND_SIGNALS; k++) {
                if (!(used & BIT(k)))
                    continue;
                documented[k]++;
                if (explain && !quiet_failures)
                    printf(k == SPAWN_FDS         ? " FDS"
                           : k == ACLEXEC_EXIT    ? " EXIT"
                           : k == RESOURCES       ? " RES"
                           : k == COMMAND_SIGNALS ? " SIG"
                                                  : " D%d",
                           k);
            }
            if (explain && !quiet_failures)
                printf("\n");
        } else {
            if (failures == 0)
                *first = i;
            failures++;
            if (!quiet_failures)
                print_disagreement(ob->head, ob, db);
        }
        free_lines(&ol);
        free_lines(&dl);
    }
    free_transcript(&o);
    free_transcript(&d);
    if (alt_text != NULL)
        free_transcript(&a);
    free(ours_text);
    free(deb_text);
    free(alt_text);
    return failures;
}

/* ------------------------------------------------------------------ */
/* Scripts as data, for minimising. */

struct sc_case {
    char *name;
    char **attrs; /* directives other than req, in order */
    size_t nattrs;
    char **reqs;
    size_t nreqs;
};

struct script {
    struct sc_case *cases;
    size_t count;
};

/* Splits a script into cases, their directives and their requests. */
static void script_parse(const char *text, struct script *s)
{
    const char *line = text, *nl;
    struct sc_case *c = NULL;

    s->cases = NULL;
    s->count = 0;
    for (; *line != '\0'; line = nl) {
        size_t n;
        char *l;

        nl = strchr(line, '\n');
        n = nl ? (size_t)(nl - line) : strlen(line);
        nl = nl ? nl + 1 : line + n;
        if (n == 0 || line[0] == '#')
            continue;
        l = strndup(line, n);
        if (l == NULL)
            exit(2);
        if (has_prefix(l, "case ")) {
            s->cases = xrealloc(s->cases, (s->count + 1) * sizeof(*c));
            c = &s->cases[s->count++];
            memset(c, 0, sizeof(*c));
            c->name = l;
        } else if (c == NULL) {
            free(l);
        } else if (has_prefix(l, "req ")) {
            c->reqs = xrealloc(c->reqs, (c->nreqs + 1) * sizeof(char *));
            c->reqs[c->nreqs++] = l;
        } else {
            c->attrs = xrealloc(c->attrs, (c->nattrs + 1) * sizeof(char *));
            c->attrs[c->nattrs++] = l;
        }
    }
}

static bool *skip_case; /* cases left out while minimising */

/* Writes cases [from, to] of s (see skip_case); the last case keeps
 * only the requests whose keep_req entry is set (NULL: all). */
static void script_write(const struct script *s, size_t from, size_t to,
                         const bool *keep_req, const char *path)
{
    FILE *fp = fopen(path, "w");
    size_t i, j;

    if (fp == NULL) {
        perror(path);
        exit(2);
    }
    for (i = from; i <= to; i++) {
        const struct sc_case *c = &s->cases[i];
        if (i < to && skip_case != NULL && skip_case[i])
            continue;
        fprintf(fp, "%s\n", c->name);
        for (j = 0; j < c->nattrs; j++)
            if (c->attrs[j] != NULL)
                fprintf(fp, "%s\n", c->attrs[j]);
        for (j = 0; j < c->nreqs; j++)
            if (i < to || keep_req == NULL || keep_req[j])
                fprintf(fp, "%s\n", c->reqs[j]);
    }
    fclose(fp);
}

/* Frees a parsed script. */
static void script_free(struct script *s)
{
    size_t i, j;

    for (i = 0; i < s->count; i++) {
        free(s->cases[i].name);
        for (j = 0; j < s->cases[i].nattrs; j++)
            free(s->cases[i].attrs[j]);
        for (j = 0; j < s->cases[i].nreqs; j++)
            free(s->cases[i].reqs[j]);
        free(s->cases[i].attrs);
        free(s->cases[i].reqs);
    }
    free(s->cases);
}

/* True when the script at path still shows an undocumented disagreement. */
static bool still_fails(const char *path)
{
    size_t first;
    long saved_r = total_requests, saved_e = total_equal;
    long saved_doc[16], saved_carried[16];
    bool fails;

    memcpy(saved_doc, documented, sizeof(saved_doc));
    memcpy(saved_carried, carried_only, sizeof(saved_carried));
    quiet_failures = true;
    fails = compare_script(path, &first) > 0;
    quiet_failures = false;
    total_requests = saved_r;
    total_equal = saved_e;
    memcpy(documented, saved_doc, sizeof(saved_doc));
    memcpy(carried_only, saved_carried, sizeof(saved_carried));
    return fails;
}

/* Splits "allow TEXT" style table directives into one directive per
 * physical line (escaped "\n" boundaries), so lines can be dropped. */
static void split_table_attrs(struct sc_case *c)
{
    char **out = NULL;
    size_t n = 0, i;

    for (i = 0; i < c->nattrs; i++) {
        char *a = c->attrs[i], *sp = strchr(a, ' '), *p, *start;
        bool table = has_prefix(a, "allow ") || has_prefix(a, "deny ") ||
                     has_prefix(a, "alt-allow ") || has_prefix(a, "alt-deny ");

        if (!table || sp == NULL) {
            out = xrealloc(out, (n + 1) * sizeof(char *));
            out[n++] = a;
            continue;
        }
        start = sp + 1;
        for (p = start; *p != '\0'; p++) {
            if (p[0] == '\\' && p[1] == 'n') {
                struct str piece = {0};
                str_add(&piece, a, (size_t)(sp - a) + 1);
                str_add(&piece, start, (size_t)(p + 2 - start));
                out = xrealloc(out, (n + 1) * sizeof(char *));
                out[n++] = piece.p;
                start = p + 2;
                p++;
            } else if (p[0] == '\\' && p[1] != '\0') {
                p++;
            }
        }
        if (*start != '\0') {
            struct str piece = {0};
            str_add(&piece, a, (size_t)(sp - a) + 1);
            str_cat(&piece, start);
            out = xrealloc(out, (n + 1) * sizeof(char *));
            out[n++] = piece.p;
        }
        free(a);
    }
    free(c->attrs);
    c->attrs = out;
    c->nattrs = n;
}

/* The directory for temporary files. */
static const char *tmp_base(void)
{
    return getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
}

/*
 * Shrinks a failing script to a small one that still fails and prints
 * it: first the failing case alone, then fewer requests, then fewer table
 * lines.  block is the index of the first failing transcript block.
 */
static void minimise(const char *script_path, const char *text, size_t block)
{
    struct script s;
    size_t c = 0, r = 0, seen = 0, i, from;
    bool *keep;
    char path[PATH_MAX];
    int budget = 400;

    script_parse(text, &s);
    /* Map the transcript block back to case c, request r: each case
     * with requests gives one header block and one block per request. */
    for (c = 0; c < s.count; c++) {
        if (s.cases[c].nreqs == 0)
            continue;
        seen++; /* the case header */
        if (block < seen + s.cases[c].nreqs) {
            r = block - seen;
            break;
        }
        seen += s.cases[c].nreqs;
    }
    if (c == s.count) {
        printf("(could not locate the failing request for minimising)\n");
        script_free(&s);
        return;
    }
    {
        /* Beside the temporary scripts, never in the source tree. */
        const char *base = strrchr(script_path, '/');
        snprintf(path, sizeof(path), "%s/%s.min",
                 save_dir != NULL ? save_dir : tmp_base(),
                 base != NULL ? base + 1 : script_path);
    }
    keep = calloc(s.cases[c].nreqs + 1, sizeof(bool));
    if (keep == NULL)
        exit(2);
    /* Candidates: the request alone, the case up to it, the whole prefix. */
    from = c;
    keep[r] = true;
    script_write(&s, c, c, keep, path);
    if (!still_fails(path)) {
        for (i = 0; i <= r; i++)
            keep[i] = true;
        script_write(&s, c, c, keep, path);
        if (!still_fails(path)) {
            from = 0;
            script_write(&s, 0, c, keep, path);
        }
    }
    /* Drop earlier cases one by one. */
    skip_case = calloc(s.count + 1, sizeof(bool));
    if (skip_case == NULL)
        exit(2);
    for (i = from; i < c && budget > 0; i++) {
        skip_case[i] = true;
        script_write(&s, from, c, keep, path);
        budget--;
        if (!still_fails(path))
            skip_case[i] = false;
    }
    /* Drop earlier requests one by one. */
    for (i = 0; i < r && budget > 0; i++) {
        if (!keep[i])
            continue;
        keep[i] = false;
        script_write(&s, from, c, keep, path);
        budget--;
        if (!still_fails(path))
            keep[i] = true;
    }
    /* Drop table lines one by one. */
    split_table_attrs(&s.cases[c]);
    for (i = 0; i < s.cases[c].nattrs && budget > 0; i++) {
        char *saved = s.cases[c].attrs[i];
        if (has_prefix(saved, "tag "))
            continue;
        s.cases[c].attrs[i] = NULL;
        script_write(&s, from, c, keep, path);
        budget--;
        if (!still_fails(path))
            s.cases[c].attrs[i] = saved;
        else
            free(saved);
    }
    script_write(&s, from, c, keep, path);
    printf("Minimal reproducing script (%s):\n", path);
    {
        FILE *fp = fopen(path, "r");
        char line[4096];
        while (fp != NULL && fgets(line, sizeof(line), fp) != NULL)
            printf("  | %s", line);
        if (fp != NULL)
            fclose(fp);
    }
    printf("Run it with: %s --probe %s --ours %s %s\n", "compat_diff",
           probe_path, ours_dir, path);
    free(keep);
    free(skip_case);
    skip_case = NULL;
    script_free(&s);
}

/* Reads a whole file. */
static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    struct str s = {0};
    char chunk[65536];
    size_t n;

    if (fp == NULL) {
        fprintf(stderr, "compat_diff: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        str_add(&s, chunk, n);
    fclose(fp);
    if (s.p == NULL)
        str_add(&s, "", 0);
    return s.p;
}

/* Runs one script file; returns its undocumented disagreements. */
static long run_one(const char *path)
{
    size_t first = 0;
    long failures = compare_script(path, &first);

    if (failures > 0) {
        char *text = read_file(path);
        minimise(path, text, first);
        free(text);
    }
    return failures;
}

/* Runs the scripts and generated scripts given, in order; see the top. */
int main(int argc, char **argv)
{
    char tmp[PATH_MAX];
    const char *tmpbase = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    int i, k;
    long generated = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* The probes create a few files per case: on a tmpfs that is several
     * times faster than on a journaled /tmp. */
    if (getenv("TMPDIR") == NULL && access("/dev/shm", W_OK | X_OK) == 0) {
        setenv("TMPDIR", "/dev/shm", 1);
        tmpbase = "/dev/shm";
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--probe") == 0 && i + 1 < argc) {
            probe_path = argv[++i];
        } else if (strcmp(argv[i], "--ours") == 0 && i + 1 < argc) {
            snprintf(ours_dir, sizeof(ours_dir), "%s", argv[++i]);
            snprintf(ours_lib, sizeof(ours_lib), "%s/libwrap.so.0", ours_dir);
        } else if (strcmp(argv[i], "--debian") == 0 && i + 1 < argc) {
            debian_lib = argv[++i];
        } else if (strcmp(argv[i], "--save") == 0 && i + 1 < argc) {
            save_dir = argv[++i];
        } else if (strcmp(argv[i], "--explain") == 0) {
            explain = true;
        } else if (strcmp(argv[i], "--gen") == 0 && i + 1 < argc) {
            i++; /* handled below, in order */
        } else if (argv[i][0] == '-') {
            fprintf(stderr,
                    "usage: compat_diff --probe PROBE --ours DIR "
                    "[--debian LIB] [--gen SEED:CASES[:sock]] [--save DIR] "
                    "[SCRIPT]...\n");
            return 2;
        }
    }
    if (probe_path == NULL || ours_dir[0] == '\0') {
        fprintf(stderr, "compat_diff: --probe and --ours are required\n");
        return 2;
    }
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--gen") == 0) {
            unsigned long seed = 0, cases = 0;
            bool sock = false;
            struct gen_stats st;
            char *text;
            FILE *fp;

            i++;
            if (sscanf(argv[i], "%lu:%lu", &seed, &cases) != 2) {
                fprintf(stderr, "compat_diff: --gen SEED:CASES[:sock]\n");
                return 2;
            }
            sock = strstr(argv[i], ":sock") != NULL;
            text = gen_script(seed, cases, sock, &st);
            if (save_dir != NULL)
                snprintf(tmp, sizeof(tmp), "%s/gen-%lu%s.script", save_dir,
                         seed, sock ? "-sock" : "");
            else
                snprintf(tmp, sizeof(tmp), "%s/compat-gen-%ld-%lu.script",
                         tmpbase, (long)getpid(), seed);
            fp = fopen(tmp, "w");
            if (fp == NULL || fputs(text, fp) < 0 || fclose(fp) != 0) {
                perror(tmp);
                return 2;
            }
            printf("generated seed %lu: %lu cases, %lu requests%s -> %s\n",
                   seed, cases, st.requests, sock ? " (sockets)" : "", tmp);
            generated += (long)st.requests;
            total_failures += run_one(tmp);
            if (save_dir == NULL && total_failures == 0)
                unlink(tmp);
            free(text);
            i--;
            i++;
        } else if (strcmp(argv[i], "--probe") == 0 ||
                   strcmp(argv[i], "--ours") == 0 ||
                   strcmp(argv[i], "--debian") == 0 ||
                   strcmp(argv[i], "--save") == 0) {
            i++;
        } else if (strcmp(argv[i], "--explain") == 0) {
            continue;
        } else {
            long before = total_requests;
            long f = run_one(argv[i]);
            printf("%s: %ld requests, %ld undocumented disagreements\n",
                   argv[i], total_requests - before, f);
            total_failures += f;
        }
    }
    printf("compared %ld requests (%ld generated): %ld identical, "
           "%ld undocumented disagreements\n",
           total_requests, generated, total_equal, total_failures);
    if (documented[ACLEXEC_EXIT] > 0)
        printf("  NOT IN compat-policy: %ld requests differ only because "
               "Debian exits when aclexec cannot start its shell (ours "
               "denies)\n",
               documented[ACLEXEC_EXIT]);
    if (documented[SPAWN_FDS] > 0)
        printf("  NOT IN compat-policy: %ld requests differ only by the "
               "descriptors a spawned command inherits (Debian: the "
               "caller's; ours: 0-2)\n",
               documented[SPAWN_FDS]);
    if (documented[COMMAND_SIGNALS] > 0)
        printf("  NOT IN compat-policy: %ld requests differ only by the "
               "signals a command starts with ignored (Debian: the "
               "caller's; ours: none, SIGHUP for spawn)\n",
               documented[COMMAND_SIGNALS]);
    if (documented[RESOURCES] > 0)
        printf("  beyond Debian (compat-policy): %ld requests out of "
               "descriptors, denied by both or decided from memory by "
               "ours\n",
               documented[RESOURCES]);
    for (k = 1; k <= 13; k++) {
        if (documented[k] == 0)
            continue;
        printf("  documented difference D%d explained %ld requests", k,
               documented[k]);
        if (carried_only[k] > 0)
            printf(" (%ld of them only through state an earlier D%d case "
                   "left in the process)",
                   carried_only[k], k);
        printf("\n");
    }
    return total_failures > 0 ? 1 : 0;
}
