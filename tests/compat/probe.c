/*
 * probe.c - runs scripted access requests against whichever libwrap.so.0
 * the dynamic loader picked, and prints a canonical transcript.
 *
 * The probe is compiled against Debian's /usr/include/tcpd.h and linked
 * against libwrap.so.0 by SONAME with no run path, so the same binary runs
 * Debian's library (no LD_LIBRARY_PATH) or ours (LD_LIBRARY_PATH pointing
 * at the build).  --expect PATH names the library it must have loaded; it
 * checks that with dl_iterate_phdr() and dladdr() and refuses to run
 * otherwise.  The probe defines syslog(), vsyslog(), __syslog_chk() and
 * __vsyslog_chk() itself, so every log line of either library is captured
 * with its priority.
 *
 * Script (one directive per line; '#' lines and blank lines are ignored;
 * TEXT and values use the escapes \n \r \t \v \f \0 \s \\ \xHH; the
 * string $T stands for the probe's private directory):
 *   case NAME              starts a case; its tables are fresh files, and
 *                          the library's globals, umask, nice value and
 *                          CT_ variables are reset (start_requests())
 *   allow TEXT / deny TEXT appends TEXT to the table (no line: no file)
 *   alt-allow / alt-deny   Debian's equivalent table, used under --alt
 *                          (D10 unless the case is tagged D8, D9 or D13)
 *   allowpath / denypath P table path instead of $T/<case>.allow|deny
 *   file NAME TEXT         writes TEXT to $T/NAME (directories made)
 *   dir NAME               creates the directory $T/NAME
 *   chmod MODE PATH        after the tables are written ("allow", "deny")
 *   chown UID:GID PATH     the same for owners (-1 keeps one)
 *   denyacl UID PATH       the same for an access ACL that takes read
 *                          permission from user UID only
 *   identd ADDR TEMPLATE   a fake identd on ADDR port 113 (start_identd())
 *   tag Dn                 the case exercises a documented difference
 *   aged                   from the first request on, the clock runs 10 s
 *                          ahead of the files the case wrote (see
 *                          clock_gettime())
 *   req KEY=VAL... FLAG... one request (see run_request() for the keys)
 *   call FUNCTION ARGS     a direct call (see run_call())
 * Table directives must come before the case's first request.  Under
 * --alt, tables are replaced by their alt- form when one is given, runs
 * of 64 or more blanks are squeezed to one (D1), and a table that does
 * not end in a newline gets one (D2): Debian's results on the alt form
 * are what ours must give on the original.
 *
 * Transcript: "case NAME tags ..." then, per request, "@ NAME#n", the
 * request line, every log line, the verdict, the request's fields, the
 * library's globals, the process identity and nice value, CT_ variables,
 * socket options and bytes the client received (socket requests), and
 * the files commands left in $T/out.  Pids and ephemeral ports are shown
 * as $PID, $CHILD, $CPORT and $SPORT.  Exit status 0, or 2 on a usage or
 * script error or when the wrong library is loaded.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <tcpd.h>

/* Exported by both libraries, not declared by Debian's header. */
extern int hosts_access_verbose;
extern int dry_run;
extern int resident;
extern int rfc931_timeout;
extern int allow_severity;
extern int deny_severity;

/* Exported by both libraries, not declared by Debian's header. */
extern unsigned long cidr_mask_addr(char *);
extern char *percent_m(char *, char *);
extern void fix_options(struct request_info *);
extern jmp_buf tcpd_buf;

/* The interposed logging entry points (glibc declares the _chk forms
 * only in fortified builds). */
void syslog(int priority, const char *fmt, ...);
void vsyslog(int priority, const char *fmt, va_list ap);
void __syslog_chk(int priority, int flag, const char *fmt, ...);
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap);
void openlog(const char *ident, int option, int facility);
void closelog(void);

static char tmpdir[PATH_MAX]; /* the probe's private directory */
static bool alt_mode;         /* --alt: Debian-equivalent tables */

/* ------------------------------------------------------------------ */
/* Small growable strings. */

struct buf {
    char *p;
    size_t len, cap;
};

/* Appends n bytes to b; aborts when memory runs out (test program). */
static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (b->p == NULL)
            abort();
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Appends a NUL-terminated string. */
static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* Returns a NUL-terminated copy (never NULL) and resets b. */
static char *buf_take(struct buf *b)
{
    char *p;

    if (b->p == NULL)
        buf_add(b, "", 0);
    p = b->p;
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

/* Replaces every "$T" in s[0..n) by the private directory. */
static void buf_add_expanded(struct buf *b, const char *s, size_t n)
{
    size_t i, start = 0;

    for (i = 0; i + 1 < n; i++) {
        if (s[i] == '$' && s[i + 1] == 'T') {
            buf_add(b, s + start, i - start);
            buf_str(b, tmpdir);
            start = i + 2;
            i++;
        }
    }
    buf_add(b, s + start, n - start);
}

/* Decodes the script escapes of s into b (binary safe). */
static void unescape(struct buf *b, const char *s)
{
    for (; *s != '\0'; s++) {
        char c = *s;

        if (c == '\\' && s[1] != '\0') {
            s++;
            switch (*s) {
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case 'v':
                c = '\v';
                break;
            case 'f':
                c = '\f';
                break;
            case '0':
                c = '\0';
                break;
            case 's':
                c = ' ';
                break;
            case 'x':
                if (s[1] != '\0' && s[2] != '\0') {
                    char hex[3] = {s[1], s[2], 0};
                    c = (char)strtol(hex, NULL, 16);
                    s += 2;
                }
                break;
            default:
                c = *s;
                break;
            }
        }
        buf_add(b, &c, 1);
    }
}

/* Numbers that differ between two runs of the same script (the pid of
 * the request, ephemeral ports) and the placeholders printed instead. */
struct subst {
    char text[24];
    const char *as;
};
static struct subst substs[4];
static int n_substs;

/* Shows the decimal value as name wherever it stands alone. */
static void add_subst(unsigned long value, const char *name)
{
    if (n_substs < (int)(sizeof(substs) / sizeof(substs[0]))) {
        snprintf(substs[n_substs].text, sizeof(substs[0].text), "%lu", value);
        substs[n_substs++].as = name;
    }
}

/* The placeholder for a substituted number at s (start is where the
 * text begins, to look one byte back), or NULL. */
static const struct subst *subst_at(const char *start, const char *s)
{
    int i;

    if (s > start && s[-1] >= '0' && s[-1] <= '9')
        return NULL;
    for (i = 0; i < n_substs; i++) {
        size_t n = strlen(substs[i].text);
        if (strncmp(s, substs[i].text, n) == 0 &&
            !(s[n] >= '0' && s[n] <= '9'))
            return &substs[i];
    }
    return NULL;
}

/* Appends s to b with the private directory shown as $T, run-dependent
 * numbers as placeholders and bytes outside printable ASCII as \xHH. */
static void escape_text(struct buf *b, const char *s)
{
    size_t dlen = strlen(tmpdir);
    const char *start = s;
    const struct subst *sub;
    char hex[8];

    while (*s != '\0') {
        unsigned char c = (unsigned char)*s;
        if (dlen > 0 && strncmp(s, tmpdir, dlen) == 0) {
            buf_str(b, "$T");
            s += dlen;
            continue;
        }
        if (c >= '0' && c <= '9' && (sub = subst_at(start, s)) != NULL) {
            buf_str(b, sub->as);
            s += strlen(sub->text);
            continue;
        }
        if (c < 0x20 || c >= 0x7f || c == '\\') {
            snprintf(hex, sizeof(hex), "\\x%02x", c);
            buf_str(b, hex);
        } else {
            buf_add(b, (const char *)&c, 1);
        }
        s++;
    }
}

/* Writes s to out as escape_text() shows it. */
static void print_text(FILE *out, const char *s)
{
    struct buf b = {0};

    escape_text(&b, s);
    if (b.p != NULL)
        fputs(b.p, out);
    free(buf_take(&b));
}

/* ------------------------------------------------------------------ */
/* Captured log lines. */

static struct buf log_lines;
/* In a forked request the lines go out as they come: the library may
 * exec (twist) or exit (clean_exit) before the request's end. */
static bool direct_log;

/* Prints the captured lines and clears them. */
static void flush_log(FILE *out)
{
    if (log_lines.len > 0)
        fputs(log_lines.p, out);
    log_lines.len = 0;
    if (log_lines.p != NULL)
        log_lines.p[0] = '\0';
}

/* Adds one finished line to the capture. */
static void capture_line(struct buf *line)
{
    buf_add(line, "\n", 1);
    buf_str(&log_lines, line->p);
    free(buf_take(line));
    if (direct_log) {
        flush_log(stdout);
        fflush(stdout);
    }
}

/* Formats one syslog call into the capture ("log <priority> <text>"). */
static void capture(int priority, const char *fmt, va_list ap)
{
    struct buf line = {0};
    char *text = NULL;
    char head[32];

    if (vasprintf(&text, fmt, ap) < 0)
        abort();
    snprintf(head, sizeof(head), "log %d ", priority);
    buf_str(&line, head);
    {
        /* The pid of an option's child differs from run to run. */
        char *p = strstr(text, "process "), *end;
        if (p != NULL && strtol(p + 8, &end, 10) > 0 && end > p + 8 &&
            strncmp(end, " exited with signal ", 20) == 0) {
            struct buf shown = {0};
            buf_add(&shown, text, (size_t)(p + 8 - text));
            buf_str(&shown, "$CHILD");
            buf_str(&shown, end);
            free(text);
            text = buf_take(&shown);
        }
    }
    escape_text(&line, text);
    free(text);
    capture_line(&line);
}

/* Seconds the libraries' real-time clock runs ahead ("aged" cases). */
static time_t clock_offset;

/* clock_gettime() for both libraries: in an "aged" case the files the
 * probe has just written look older than CACHE_RACY_SECONDS to ours, so
 * that it trusts stat() instead of comparing their contents on each use,
 * as it would for a daemon's tables.  Debian's library reads no clock. */
int clock_gettime(clockid_t id, struct timespec *ts)
{
    static int (*real)(clockid_t, struct timespec *);
    int rc;

    if (real == NULL)
        *(void **)&real = dlsym(RTLD_NEXT, "clock_gettime");
    rc = real(id, ts);
    if (rc == 0 && id == CLOCK_REALTIME)
        ts->tv_sec += clock_offset;
    return rc;
}

/* The logging entry points, all captured (the library may call any). */
void syslog(int priority, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    capture(priority, fmt, ap);
    va_end(ap);
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
    capture(priority, fmt, ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
    va_list ap;

    (void)flag;
    va_start(ap, fmt);
    capture(priority, fmt, ap);
    va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    capture(priority, fmt, ap);
}

/* The library must leave the caller's openlog() settings alone: any
 * call shows in the transcript. */
void openlog(const char *ident, int option, int facility)
{
    struct buf line = {0};
    char text[96];

    snprintf(text, sizeof(text), "openlog %s %d %d", ident ? ident : "(null)",
             option, facility);
    buf_str(&line, text);
    capture_line(&line);
}

/* Shows a closelog() call in the transcript. */
void closelog(void)
{
    struct buf line = {0};

    buf_str(&line, "closelog");
    capture_line(&line);
}

/* clean_exit() pauses before it exits; the pause is recorded instead of
 * slept, so that refuse() can be compared without waiting. */
unsigned int sleep(unsigned int seconds)
{
    struct buf line = {0};
    char text[64];

    snprintf(text, sizeof(text), "sleep %u", seconds);
    buf_str(&line, text);
    capture_line(&line);
    return 0;
}

/* Prints what a child captured when the library ends it with exit(). */
static void flush_at_exit(void)
{
    flush_log(stdout);
    fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Which library is loaded. */

struct found {
    char path[PATH_MAX];
    int count;
};

/* dl_iterate_phdr() callback: remembers objects named libwrap.so*. */
static int find_libwrap(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct found *f = arg;
    const char *base;

    (void)size;
    if (info->dlpi_name == NULL || info->dlpi_name[0] == '\0')
        return 0;
    base = strrchr(info->dlpi_name, '/');
    base = base != NULL ? base + 1 : info->dlpi_name;
    if (strncmp(base, "libwrap.so", 10) == 0) {
        if (realpath(info->dlpi_name, f->path) == NULL)
            snprintf(f->path, sizeof(f->path), "%s", info->dlpi_name);
        f->count++;
    }
    return 0;
}

/* Exits unless exactly the expected libwrap is loaded and provides
 * hosts_access(). */
static void check_library(const char *expect)
{
    struct found f = {"", 0};
    char want[PATH_MAX], got[PATH_MAX];
    Dl_info info;

    if (realpath(expect, want) == NULL) {
        fprintf(stderr, "probe: %s: %s\n", expect, strerror(errno));
        exit(2);
    }
    dl_iterate_phdr(find_libwrap, &f);
    if (f.count != 1 || strcmp(f.path, want) != 0) {
        fprintf(stderr,
                "probe: loaded libwrap is %s (%d loaded), "
                "expected %s; refusing to run\n",
                f.count ? f.path : "none", f.count, want);
        exit(2);
    }
    if (dladdr((void *)hosts_access, &info) == 0 ||
        realpath(info.dli_fname, got) == NULL || strcmp(got, want) != 0) {
        fprintf(stderr, "probe: hosts_access does not come from %s\n", want);
        exit(2);
    }
}

/* ------------------------------------------------------------------ */
/* Cases. */

struct table {
    bool present, alt_present;
    struct buf text, alt;
    char *path;
};

struct script_case {
    char name[256];
    int number, requests;
    bool aged; /* the clock runs ahead of the files (clock_gettime()) */
    struct table allow, deny;
    char tags[128];
    struct buf chmods; /* "MODE PATH\n", "chown U:G PATH\n" and "denyacl
                        * UID PATH\n" lines, applied once tables exist */
};

/* True when the case has the tag. */
static bool has_tag(const struct script_case *c, const char *tag)
{
    char padded[16];
    char list[132];

    snprintf(padded, sizeof(padded), " %s ", tag);
    snprintf(list, sizeof(list), " %s ", c->tags);
    return strstr(list, padded) != NULL;
}

/* Adds a tag once. */
static void add_tag(struct script_case *c, const char *tag)
{
    if (has_tag(c, tag))
        return;
    if (c->tags[0] != '\0')
        strncat(c->tags, " ", sizeof(c->tags) - strlen(c->tags) - 1);
    strncat(c->tags, tag, sizeof(c->tags) - strlen(c->tags) - 1);
}

/* The D1 fix: runs of 64 or more blanks squeezed to one space. */
static void squeeze(struct buf *out, const char *s, size_t n)
{
    size_t i = 0, j;

    while (i < n) {
        if (s[i] == ' ' || s[i] == '\t') {
            for (j = i; j < n && (s[j] == ' ' || s[j] == '\t'); j++)
                ;
            if (j - i >= 64) {
                buf_add(out, " ", 1);
                i = j;
                continue;
            }
        }
        buf_add(out, s + i, 1);
        i++;
    }
}

/* True when Debian's reader ends the table inside a logical line: no
 * final newline, a final backslash-newline, or a NUL byte in the last
 * physical line (the reader then never sees that line's newline). */
static bool ends_unterminated(const char *s, size_t n)
{
    const char *last;

    if (n == 0)
        return false;
    if (s[n - 1] != '\n' || (n >= 2 && s[n - 2] == '\\'))
        return true;
    for (last = s + n - 1; last > s && last[-1] != '\n'; last--)
        ;
    return memchr(last, '\0', (size_t)(s + n - last)) != NULL;
}

/* Works out the documented differences that this table exercises and,
 * under --alt, rewrites it into the Debian-equivalent form. */
static void prepare_table(struct script_case *c, struct table *t,
                          struct buf *out)
{
    struct buf sq = {0};
    int guard;

    /* An alt- table stands for a bare IPv6 address (D10) unless the case
     * says which other difference it is (D8, D9, D13). */
    if (t->alt_present && !has_tag(c, "D8") && !has_tag(c, "D9") &&
        !has_tag(c, "D13"))
        add_tag(c, "D10");
    squeeze(&sq, t->text.p ? t->text.p : "", t->text.len);
    if (sq.len != t->text.len)
        add_tag(c, "D1");
    if (ends_unterminated(t->text.p, t->text.len))
        add_tag(c, "D2");
    if (!alt_mode) {
        buf_add(out, t->text.p ? t->text.p : "", t->text.len);
    } else {
        /* D10: the bracketed form; D1: squeezed; D2: the last logical
         * line ended as ours reads it (a final backslash joins nothing,
         * so it may need two newlines). */
        if (t->alt_present) {
            free(buf_take(&sq));
            squeeze(&sq, t->alt.p, t->alt.len);
        }
        buf_add(out, sq.p ? sq.p : "", sq.len);
        for (guard = 0; guard < 3 && ends_unterminated(out->p, out->len);
             guard++)
            buf_add(out, "\n", 1);
    }
    free(buf_take(&sq));
}

/* Writes n bytes to path (replacing it). */
static void write_file(const char *path, const char *s, size_t n, bool append)
{
    FILE *fp = fopen(path, append ? "ab" : "wb");

    if (fp == NULL || fwrite(s, 1, n, fp) != n || fclose(fp) != 0) {
        fprintf(stderr, "probe: write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

/* Table paths the library may still point at, freed at the end. */
static char **kept_paths;
static size_t n_kept_paths;

/* Keeps a table path until free_kept_paths(). */
static void keep_path(char *path)
{
    char **v = realloc(kept_paths, (n_kept_paths + 1) * sizeof(*v));

    if (v == NULL)
        abort();
    kept_paths = v;
    kept_paths[n_kept_paths++] = path;
}

/* Frees the kept table paths (the library no longer uses them). */
static void free_kept_paths(void)
{
    while (n_kept_paths > 0)
        free(kept_paths[--n_kept_paths]);
    free(kept_paths);
    kept_paths = NULL;
}

/* Materialises a table of the case and points the library at it. */
static void install_table(struct script_case *c, struct table *t,
                          const char *suffix, char **target)
{
    struct buf text = {0}, path = {0};
    char name[64];

    if (t->path == NULL) {
        snprintf(name, sizeof(name), "/%d.%s", c->number, suffix);
        buf_str(&path, tmpdir);
        buf_str(&path, name);
        t->path = buf_take(&path);
        keep_path(t->path);
    }
    prepare_table(c, t, &text);
    if (t->present)
        write_file(t->path, text.p ? text.p : "", text.len, false);
    free(buf_take(&text));
    /* The path strings are freed only at the end: a library's
     * tcpd_context may keep pointing at one after an option's long jump
     * (behaviour page 8.9). */
    *target = t->path;
}

/* ------------------------------------------------------------------ */
/* Requests. */

/* Parses "ADDR" or "[ADDR]:PORT" / "ADDR:PORT" (v4) into a sockaddr. */
static bool parse_sockaddr(const char *s, struct sockaddr_storage *ss)
{
    char host[128];
    const char *port = NULL, *end;
    size_t n;

    memset(ss, 0, sizeof(*ss));
    if (s[0] == '[') {
        end = strchr(s, ']');
        if (end == NULL)
            return false;
        n = (size_t)(end - s - 1);
        if (n >= sizeof(host))
            return false;
        memcpy(host, s + 1, n);
        host[n] = '\0';
        if (end[1] == ':')
            port = end + 2;
    } else {
        /* Without brackets, a second colon means a bare IPv6 address
         * ("::1") with no port. */
        end = strchr(s, ':');
        if (end != NULL && strchr(end + 1, ':') != NULL)
            end = NULL;
        n = end ? (size_t)(end - s) : strlen(s);
        if (n >= sizeof(host))
            return false;
        memcpy(host, s, n);
        host[n] = '\0';
        if (end != NULL)
            port = end + 1;
    }
    if (strchr(host, ':') != NULL) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((unsigned short)(port ? atoi(port) : 0));
        return inet_pton(AF_INET6, host, &a->sin6_addr) == 1;
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((unsigned short)(port ? atoi(port) : 0));
        return inet_pton(AF_INET, host, &a->sin_addr) == 1;
    }
}

/* True for 127.0.0.0/8 and ::1 (the only addresses probes may reach). */
static bool is_loopback(const struct sockaddr_storage *ss)
{
    if (ss->ss_family == AF_INET)
        return ((const unsigned char *)&((const struct sockaddr_in *)ss)
                    ->sin_addr)[0] == 127;
    return ss->ss_family == AF_INET6 &&
           IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* The length of a socket address of its family. */
static socklen_t sa_len(const struct sockaddr_storage *ss)
{
    return ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                     : sizeof(struct sockaddr_in);
}

/* Listeners, one per destination, kept for the whole run: binding a new
 * one to port 0 for every request gets slow once thousands of closed
 * connections linger. */
struct listener {
    char dst[64];
    bool map;
    int fd;
    struct sockaddr_storage addr; /* where clients connect */
};
static struct listener listeners[8];
static int n_listeners;

/* The listener for dst (the v4-mapped form of it with map). */
static struct listener *get_listener(const char *dst, bool map)
{
    struct sockaddr_storage d, bound;
    struct listener *l;
    socklen_t len;
    int i, one = 1;

    for (i = 0; i < n_listeners; i++) {
        if (strcmp(listeners[i].dst, dst) == 0 && listeners[i].map == map)
            return &listeners[i];
    }
    if (n_listeners == (int)(sizeof(listeners) / sizeof(listeners[0])) ||
        strlen(dst) >= sizeof(listeners[0].dst) || !parse_sockaddr(dst, &d) ||
        !is_loopback(&d)) {
        fprintf(stderr, "probe: bad or too many destinations: %s\n", dst);
        exit(2);
    }
    l = &listeners[n_listeners];
    if (map) {
        struct sockaddr_in v4 = *(struct sockaddr_in *)&d;
        struct sockaddr_in6 *m = (struct sockaddr_in6 *)&d;
        memset(&d, 0, sizeof(d));
        m->sin6_family = AF_INET6;
        m->sin6_port = v4.sin_port;
        m->sin6_addr.s6_addr[10] = 0xff;
        m->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&m->sin6_addr.s6_addr[12], &v4.sin_addr, 4);
    }
    l->fd = socket(d.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    len = sizeof(bound);
    if (l->fd < 0 ||
        setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(l->fd, (struct sockaddr *)&d, sa_len(&d)) < 0 ||
        listen(l->fd, 4) < 0 ||
        getsockname(l->fd, (struct sockaddr *)&bound, &len) < 0) {
        fprintf(stderr, "probe: listen on %s: %s\n", dst, strerror(errno));
        exit(2);
    }
    if (map) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)&l->addr;
        struct sockaddr_in6 *b6 = (struct sockaddr_in6 *)&bound;
        memset(&l->addr, 0, sizeof(l->addr));
        v4->sin_family = AF_INET;
        v4->sin_port = b6->sin6_port;
        memcpy(&v4->sin_addr, &b6->sin6_addr.s6_addr[12], 4);
    } else {
        l->addr = bound;
    }
    snprintf(l->dst, sizeof(l->dst), "%s", dst);
    l->map = map;
    n_listeners++;
    return l;
}

/* Closes a socket without leaving it in TIME_WAIT. */
static void close_abortively(int fd)
{
    struct linger off = {1, 0};

    if (fd < 0)
        return;
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &off, sizeof(off));
    close(fd);
}

/* Makes a real loopback TCP connection from src to dst and returns the
 * accepted end; *client gets the connecting end.  With map, the listener
 * is an IPv6 socket on the v4-mapped form of dst. */
static int connect_loopback(const char *src, const char *dst, bool map,
                            const char *ipopts, int *client)
{
    struct sockaddr_storage s;
    struct listener *l = get_listener(dst, map);
    int cfd, afd, one = 1;

    if (!parse_sockaddr(src, &s) || !is_loopback(&s)) {
        fprintf(stderr, "probe: bad or non-loopback source %s\n", src);
        exit(2);
    }
    cfd = socket(s.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (cfd < 0)
        goto fail;
    /* The port is picked at connect() time, from the whole 4-tuple. */
    setsockopt(cfd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
    if (ipopts != NULL) {
        unsigned char opt[40];
        size_t n = 0;
        while (n < sizeof(opt) && ipopts[2 * n] != '\0' &&
               ipopts[2 * n + 1] != '\0') {
            char hex[3] = {ipopts[2 * n], ipopts[2 * n + 1], 0};
            opt[n++] = (unsigned char)strtoul(hex, NULL, 16);
        }
        if (setsockopt(cfd, IPPROTO_IP, IP_OPTIONS, opt, (socklen_t)n) < 0)
            goto fail;
    }
    if (bind(cfd, (struct sockaddr *)&s, sa_len(&s)) < 0 ||
        connect(cfd, (struct sockaddr *)&l->addr, sa_len(&l->addr)) < 0)
        goto fail;
    afd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
    if (afd < 0)
        goto fail;
    *client = cfd;
    return afd;
fail:
    fprintf(stderr, "probe: loopback connection %s -> %s: %s\n", src, dst,
            strerror(errno));
    exit(2);
}

/* Prints a request field, quoted and escaped. */
static void print_field(FILE *out, const char *key, const char *value)
{
    fprintf(out, " %s=\"", key);
    print_text(out, value);
    fputc('"', out);
}

/* Prints the observable process state after a request. */
static void print_state(FILE *out)
{
    mode_t mask = umask(022);
    extern char **environ;
    char **e;

    umask(mask);
    fprintf(out,
            "state allow_severity=%d deny_severity=%d resident=%d "
            "verbose=%d dry_run=%d rfc931_timeout=%d umask=%03o ctx=",
            allow_severity, deny_severity, resident, hosts_access_verbose,
            dry_run, rfc931_timeout, (unsigned)mask);
    print_text(out, tcpd_context.file ? tcpd_context.file : "(null)");
    fprintf(out, ":%d unknown=%s paranoid=%s\n", tcpd_context.line, unknown,
            paranoid);
    /* Identity and priority: user, group (D9) and nice options. */
    errno = 0;
    fprintf(out, "proc uid=%u euid=%u gid=%u egid=%u groups=%d nice=%d\n",
            (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(),
            (unsigned)getegid(), getgroups(0, NULL),
            getpriority(PRIO_PROCESS, 0));
    /* Option effects to come (setenv, spawn): CT_* variables and the
     * files that commands leave in $T/out. */
    for (e = environ; *e != NULL; e++) {
        if (strncmp(*e, "CT_", 3) == 0) {
            fputs("env ", out);
            print_text(out, *e);
            fputc('\n', out);
        }
    }
}

/* scandir() filter: the files commands leave, not "." and "..". */
static int not_dot(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

/* Prints and removes every file under $T/out, sorted by name (one
 * directory read per request: failed opens are slow on some /tmp). */
static void print_out_files(FILE *out)
{
    char path[PATH_MAX + 300];
    struct dirent **names;
    int i, n;

    snprintf(path, sizeof(path), "%s/out", tmpdir);
    n = scandir(path, &names, not_dot, alphasort);
    for (i = 0; i < n; i++) {
        FILE *fp;
        struct buf b = {0};
        char chunk[512];
        size_t got;

        snprintf(path, sizeof(path), "%s/out/%s", tmpdir, names[i]->d_name);
        fp = fopen(path, "rb");
        if (fp != NULL) {
            while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
                buf_add(&b, chunk, got);
            fclose(fp);
        }
        unlink(path);
        fprintf(out, "file out/");
        print_text(out, names[i]->d_name);
        fputc(' ', out);
        print_text(out, b.p ? b.p : "");
        fputc('\n', out);
        free(buf_take(&b));
        free(names[i]);
    }
    if (n >= 0)
        free(names);
}

/* Request keys, each given at most once:
 *   d= daemon, n= client name, a= client address, u= user,
 *   sn= server name, sa= server address (strings; absent: not set),
 *   csin= / ssin= client / server socket address (ADDR[:PORT], [V6]:PORT),
 *   src= dst= real loopback connection (RQ_FILE + sock_host()),
 *   fdfile=NAME  RQ_FILE is $T/out/NAME, opened for appending (banners
 *                and twist write there; no sock_host()),
 *   ipopts=HEX   IPv4 options the client sets before it connects,
 *   v= hosts_access_verbose, sev=A,D severities before the call,
 *   badkey=N an invalid key passed before the others.
 * Flags: ctl (use hosts_ctl), null (absent strings are NULL for hosts_ctl),
 *   map (listen on the v4-mapped form of dst), dry (dry_run = 1),
 *   strtok (check that the caller's strtok() state survives; D7),
 *   eval (print eval_client/eval_server/eval_hostinfo afterwards),
 *   fork (run the call in a child: report a crash, an exit or an exec),
 *   fresh (resident = -1 first: the process's first call; with fork),
 *   nobody (the child runs as uid and gid 65534; with fork),
 *   sockhost (sock_host() on the fdfile descriptor: not a socket),
 *   evaluser (print eval_user() after the call: an ident query when
 *   both socket addresses are known),
 *   noproc (with nobody: RLIMIT_NPROC 0, so that fork() fails),
 *   leakfd (descriptor 9 is open, without close-on-exec, during the
 *   call: a daemon's socket, say),
 *   fixopts (fix_options() before hosts_access(), as tcpd does),
 *   euidnobody (with fork: no groups, gid 65534, effective uid 65534,
 *   real uid kept), nocaps (with fork: uid 0 without CAP_DAC_OVERRIDE
 *   and CAP_DAC_READ_SEARCH), sigs (with fork: SIGINT, SIGALRM, SIGTERM
 *   blocked, SIGPIPE and SIGUSR1 ignored, as a daemon that uses
 *   sigwait()), emfile (with fork: every descriptor the process may
 *   have is taken, just before the call);
 *   memlimit=BYTES (with fork: RLIMIT_AS). */
struct request {
    char *d, *n, *a, *u, *sn, *sa, *csin, *ssin, *src, *dst, *sev, *fdfile,
        *ipopts, *memlimit;
    int verbose, badkey;
    bool ctl, null, map, dry, strtok_check, eval, fork, fresh, nobody,
        sockhost, evaluser, noproc, leakfd, fixopts, euidnobody, nocaps, sigs,
        emfile;
};

/* Decodes one "key=value" or flag of a req line into rq. */
static void parse_request_word(struct request *rq, const char *word)
{
    const char *eq = strchr(word, '=');
    struct buf b = {0};
    char key[16];
    char *value;
    size_t n;

    if (eq == NULL) {
        if (strcmp(word, "ctl") == 0)
            rq->ctl = true;
        else if (strcmp(word, "null") == 0)
            rq->null = true;
        else if (strcmp(word, "map") == 0)
            rq->map = true;
        else if (strcmp(word, "dry") == 0)
            rq->dry = true;
        else if (strcmp(word, "strtok") == 0)
            rq->strtok_check = true;
        else if (strcmp(word, "eval") == 0)
            rq->eval = true;
        else if (strcmp(word, "fork") == 0)
            rq->fork = true;
        else if (strcmp(word, "fresh") == 0)
            rq->fresh = true;
        else if (strcmp(word, "nobody") == 0)
            rq->nobody = true;
        else if (strcmp(word, "sockhost") == 0)
            rq->sockhost = true;
        else if (strcmp(word, "evaluser") == 0)
            rq->evaluser = true;
        else if (strcmp(word, "noproc") == 0)
            rq->noproc = true;
        else if (strcmp(word, "leakfd") == 0)
            rq->leakfd = true;
        else if (strcmp(word, "fixopts") == 0)
            rq->fixopts = true;
        else if (strcmp(word, "euidnobody") == 0)
            rq->euidnobody = true;
        else if (strcmp(word, "nocaps") == 0)
            rq->nocaps = true;
        else if (strcmp(word, "sigs") == 0)
            rq->sigs = true;
        else if (strcmp(word, "emfile") == 0)
            rq->emfile = true;
        else
            goto bad;
        return;
    }
    n = (size_t)(eq - word);
    if (n >= sizeof(key))
        goto bad;
    memcpy(key, word, n);
    key[n] = '\0';
    unescape(&b, eq + 1);
    value = buf_take(&b);
    if (strcmp(key, "d") == 0)
        rq->d = value;
    else if (strcmp(key, "n") == 0)
        rq->n = value;
    else if (strcmp(key, "a") == 0)
        rq->a = value;
    else if (strcmp(key, "u") == 0)
        rq->u = value;
    else if (strcmp(key, "sn") == 0)
        rq->sn = value;
    else if (strcmp(key, "sa") == 0)
        rq->sa = value;
    else if (strcmp(key, "csin") == 0)
        rq->csin = value;
    else if (strcmp(key, "ssin") == 0)
        rq->ssin = value;
    else if (strcmp(key, "src") == 0)
        rq->src = value;
    else if (strcmp(key, "dst") == 0)
        rq->dst = value;
    else if (strcmp(key, "sev") == 0)
        rq->sev = value;
    else if (strcmp(key, "fdfile") == 0)
        rq->fdfile = value;
    else if (strcmp(key, "ipopts") == 0)
        rq->ipopts = value;
    else if (strcmp(key, "memlimit") == 0)
        rq->memlimit = value;
    else if (strcmp(key, "v") == 0) {
        rq->verbose = atoi(value);
        free(value);
    } else if (strcmp(key, "badkey") == 0) {
        rq->badkey = atoi(value);
        free(value);
    } else {
        free(value);
        goto bad;
    }
    return;
bad:
    fprintf(stderr, "probe: bad request word: %s\n", word);
    exit(2);
}

/* The port of a socket's local end. */
static unsigned local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        return 0;
    return ntohs(ss.ss_family == AF_INET6
                     ? ((struct sockaddr_in6 *)&ss)->sin6_port
                     : ((struct sockaddr_in *)&ss)->sin_port);
}

/* Prints the socket options that options set on the server end. */
static void print_socket_options(FILE *out, int fd)
{
    struct linger lg = {0, 0};
    int keepalive = 0;
    socklen_t len = sizeof(keepalive);

    getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &keepalive, &len);
    len = sizeof(lg);
    getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len);
    fprintf(out, "sockopt keepalive=%d linger=%d,%d\n", keepalive != 0,
            lg.l_onoff != 0, lg.l_linger);
}

/* Prints what reached the client end of a connection (banners, twist). */
static void print_client_bytes(FILE *out, int fd)
{
    struct buf b = {0};
    char chunk[4096];
    ssize_t n;

    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        buf_add(&b, chunk, (size_t)n);
    if (b.len > 0) {
        /* Bytes, not a string: NULs are shown as \x00. */
        size_t i = 0;
        fputs("client got ", out);
        for (;;) {
            print_text(out, b.p + i);
            i += strlen(b.p + i);
            if (i >= b.len)
                break;
            fputs("\\x00", out);
            i++;
        }
        fputc('\n', out);
    }
    free(buf_take(&b));
}

/* Frees the strings of a parsed request. */
static void free_request(struct request *rq)
{
    free(rq->d);
    free(rq->n);
    free(rq->a);
    free(rq->u);
    free(rq->sn);
    free(rq->sa);
    free(rq->csin);
    free(rq->ssin);
    free(rq->src);
    free(rq->dst);
    free(rq->sev);
    free(rq->fdfile);
    free(rq->ipopts);
    free(rq->memlimit);
}

/* Takes away the file permission capabilities of a process that keeps
 * uid 0 (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH: bits 1 and 2). */
static bool drop_dac_capabilities(void)
{
    struct {
        uint32_t version;
        int pid;
    } header = {0x20080522, 0}; /* _LINUX_CAPABILITY_VERSION_3 */
    struct {
        uint32_t effective, permitted, inheritable;
    } data[2];

    if (syscall(SYS_capget, &header, data) != 0)
        return false;
    data[0].effective &= ~(uint32_t)0x6;
    data[0].permitted &= ~(uint32_t)0x6;
    data[0].inheritable &= ~(uint32_t)0x6;
    return syscall(SYS_capset, &header, data) == 0;
}

/* A daemon's signal state for sigwait(): SIGINT, SIGALRM and SIGTERM
 * blocked, SIGPIPE and SIGUSR1 ignored. */
static void daemon_signals(void)
{
    sigset_t block;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGALRM);
    sigaddset(&block, SIGTERM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    signal(SIGPIPE, SIG_IGN);
    signal(SIGUSR1, SIG_IGN);
}

/* Takes every descriptor the process may still open, as idle clients of
 * a daemon do; the process ends after the request. */
static void exhaust_descriptors(void)
{
    struct rlimit rl;

    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 256) {
        rl.rlim_cur = 256;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    while (open("/dev/null", O_RDONLY) >= 0)
        ;
    if (errno != EMFILE) {
        fprintf(stderr, "probe: emfile: %s\n", strerror(errno));
        _exit(2);
    }
}

/* Fills r from the request's keys (RQ_FILE fd when fd >= 0). */
static void build_request(const struct request *rq, struct request_info *r,
                          int fd, struct sockaddr_storage *csin,
                          struct sockaddr_storage *ssin)
{
    request_init(r, 0);
    if (fd >= 0)
        request_set(r, RQ_FILE, fd, 0);
    if (rq->src != NULL || rq->sockhost)
        sock_host(r);
    if (rq->badkey)
        request_set(r, rq->badkey, "bad", RQ_USER, "after-bad-key", 0);
    if (rq->d)
        request_set(r, RQ_DAEMON, rq->d, 0);
    if (rq->n)
        request_set(r, RQ_CLIENT_NAME, rq->n, 0);
    if (rq->a)
        request_set(r, RQ_CLIENT_ADDR, rq->a, 0);
    if (rq->u)
        request_set(r, RQ_USER, rq->u, 0);
    if (rq->sn)
        request_set(r, RQ_SERVER_NAME, rq->sn, 0);
    if (rq->sa)
        request_set(r, RQ_SERVER_ADDR, rq->sa, 0);
    if (rq->csin) {
        if (!parse_sockaddr(rq->csin, csin)) {
            fprintf(stderr, "probe: bad csin %s\n", rq->csin);
            exit(2);
        }
        request_set(r, RQ_CLIENT_SIN, csin, 0);
    }
    if (rq->csin && rq->ssin && !is_loopback(csin)) {
        /* Both addresses make eval_user() ask the client's identd. */
        fprintf(stderr, "probe: csin with ssin must be loopback\n");
        exit(2);
    }
    if (rq->ssin) {
        if (!parse_sockaddr(rq->ssin, ssin)) {
            fprintf(stderr, "probe: bad ssin %s\n", rq->ssin);
            exit(2);
        }
        request_set(r, RQ_SERVER_SIN, ssin, 0);
    }
}

/* Prints the request's string fields. */
static void print_fields(FILE *out, struct request_info *r)
{
    fputs("fields", out);
    print_field(out, "user", r->user);
    print_field(out, "daemon", r->daemon);
    print_field(out, "cname", r->client->name);
    print_field(out, "caddr", r->client->addr);
    print_field(out, "sname", r->server->name);
    print_field(out, "saddr", r->server->addr);
    fputc('\n', out);
}

/* Exit status of a forked request that ran to its end. */
#define FORK_DONE 99

/* Runs one request and prints its part of the transcript. */
static void run_request(FILE *out, const struct script_case *c, char *line)
{
    struct request rq;
    struct request_info r;
    struct sockaddr_storage csin, ssin;
    char *word, *save = NULL;
    int verdict, client_fd = -1, fd = -1;
    char tokens[] = "one two three";
    char *tok = NULL;
    pid_t child = 0;

    memset(&rq, 0, sizeof(rq));
    fprintf(out, "@ %s#%d\nreq %s\n", c->name, c->requests, line);
    for (word = strtok_r(line, " \t", &save); word != NULL;
         word = strtok_r(NULL, " \t", &save))
        parse_request_word(&rq, word);

    n_substs = 0;
    if (rq.src != NULL && getenv("COMPAT_NS_INSIDE") == NULL) {
        /* Name lookups must come from the namespace's hosts file. */
        fprintf(stderr, "probe: socket requests run only inside "
                        "ns/ns-run.sh\n");
        exit(2);
    }
    if (rq.src != NULL) {
        fd = connect_loopback(rq.src, rq.dst ? rq.dst : "127.0.0.1", rq.map,
                              rq.ipopts, &client_fd);
        add_subst(local_port(client_fd), "$CPORT");
        add_subst(local_port(fd), "$SPORT");
    } else if (rq.fdfile != NULL) {
        char path[PATH_MAX + 300];
        snprintf(path, sizeof(path), "%s/out/%s", tmpdir, rq.fdfile);
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            fprintf(stderr, "probe: %s: %s\n", path, strerror(errno));
            exit(2);
        }
    }
    fflush(out);
    if (rq.fork) {
        int status;

        child = fork();
        if (child < 0) {
            perror("probe: fork");
            exit(2);
        }
        if (child > 0) {
            /* The pid that request_init() stores in the child. */
            add_subst((unsigned long)child, "$PID");
            waitpid(child, &status, 0);
            if (WIFSIGNALED(status))
                fprintf(out, "crash signal %d\n", WTERMSIG(status));
            else if (WEXITSTATUS(status) != FORK_DONE)
                fprintf(out, "exit %d\n", WEXITSTATUS(status));
            goto finish;
        }
        /* Keep core dumps of the expected crashes out of the way. */
        signal(SIGSEGV, SIG_DFL);
        direct_log = true;
        atexit(flush_at_exit);
    }
    add_subst((unsigned long)getpid(), "$PID");
    if (rq.fresh)
        resident = -1;
    if (rq.nobody && (!rq.fork || setgroups(0, NULL) < 0 ||
                      setgid(65534) < 0 || setuid(65534) < 0)) {
        fprintf(stderr, "probe: nobody needs fork and root: %s\n",
                strerror(errno));
        _exit(2);
    }
    if ((rq.euidnobody || rq.nocaps || rq.sigs || rq.emfile ||
         rq.memlimit != NULL) &&
        !rq.fork) {
        fprintf(stderr, "probe: euidnobody, nocaps, sigs, emfile and "
                        "memlimit need fork\n");
        _exit(2);
    }
    if (rq.euidnobody &&
        (setgroups(0, NULL) < 0 || setgid(65534) < 0 || seteuid(65534) < 0)) {
        fprintf(stderr, "probe: euidnobody: %s\n", strerror(errno));
        _exit(2);
    }
    if (rq.nocaps && !drop_dac_capabilities()) {
        fprintf(stderr, "probe: nocaps: %s\n", strerror(errno));
        _exit(2);
    }
    if (rq.sigs)
        daemon_signals();
    if (rq.memlimit != NULL) {
        struct rlimit as;
        as.rlim_cur = as.rlim_max = strtoull(rq.memlimit, NULL, 10);
        if (setrlimit(RLIMIT_AS, &as) < 0) {
            fprintf(stderr, "probe: memlimit: %s\n", strerror(errno));
            _exit(2);
        }
    }
    if (rq.noproc) {
        struct rlimit none = {0, 0};
        if (!rq.nobody || setrlimit(RLIMIT_NPROC, &none) < 0) {
            fprintf(stderr, "probe: noproc needs nobody\n");
            _exit(2);
        }
    }
    hosts_access_verbose = rq.verbose;
    dry_run = rq.dry ? 1 : 0;
    if (rq.sev != NULL) {
        allow_severity = atoi(rq.sev);
        deny_severity = strchr(rq.sev, ',') ? atoi(strchr(rq.sev, ',') + 1)
                                            : allow_severity;
    }
    if (rq.strtok_check)
        tok = strtok(tokens, " ");
    if (rq.leakfd) {
        int null_fd = open("/dev/null", O_RDONLY);
        if (null_fd < 0 || dup2(null_fd, 9) != 9) {
            perror("probe: leakfd");
            exit(2);
        }
        close(null_fd);
    }

    if (rq.emfile && rq.ctl)
        exhaust_descriptors();
    if (rq.ctl) {
        const char *fill = rq.null ? NULL : "";
        verdict =
            hosts_ctl(rq.d ? rq.d : (char *)fill, rq.n ? rq.n : (char *)fill,
                      rq.a ? rq.a : (char *)fill, rq.u ? rq.u : (char *)fill);
        memset(&r, 0, sizeof(r));
    } else {
        build_request(&rq, &r, fd, &csin, &ssin);
        if (rq.emfile)
            exhaust_descriptors();
        if (rq.fixopts)
            fix_options(&r);
        verdict = hosts_access(&r);
    }
    if (rq.leakfd)
        close(9);
    flush_log(out);
    fprintf(out, "verdict %d\n", verdict);
    if (rq.strtok_check) {
        char *next = strtok(NULL, " ");
        fprintf(out, "strtok %s\n",
                tok != NULL && next != NULL && strcmp(next, "two") == 0
                    ? "ok"
                    : (next ? next : "(null)"));
    }
    if (!rq.ctl) {
        if (rq.evaluser) {
            /* Asks the client's identd when both addresses are known. */
            fputs("eval", out);
            print_field(out, "user", eval_user(&r));
            fputc('\n', out);
            flush_log(out);
        }
        print_fields(out, &r);
        if (rq.eval) {
            fputs("eval", out);
            print_field(out, "hostinfo", eval_hostinfo(r.client));
            print_field(out, "client", eval_client(&r));
            print_field(out, "server", eval_server(&r));
            fputc('\n', out);
            flush_log(out);
        }
    }
    print_state(out);
    if (rq.src != NULL)
        print_socket_options(out, fd);
    if (rq.fork) {
        fflush(out);
        _exit(FORK_DONE);
    }
finish:
    if (client_fd >= 0) {
        /* Whatever was sent is in the client's buffer by now: banners
         * are written before the call returns, twist's command has
         * exited with the child. */
        print_client_bytes(out, client_fd);
    }
    print_out_files(out);
    close_abortively(fd);
    close_abortively(client_fd);
    free_request(&rq);
    n_substs = 0;
}

/* Decodes a call argument: escapes and $T. */
static char *call_arg(const char *s)
{
    struct buf raw = {0}, b = {0};

    unescape(&raw, s);
    buf_add_expanded(&b, raw.p ? raw.p : "", raw.len);
    free(buf_take(&raw));
    return buf_take(&b);
}

/*
 * Runs one direct call of an exported helper and prints the result:
 *   call dot_quad_addr TEXT | cidr_mask_addr TEXT | split_at C TEXT
 *   call xgets LEN FILE      (every line of $T/FILE, and the line count)
 *   call tcpd_warn FILE:LINE TEXT   (tcpd_context set first; "-" none)
 *   call eval_port ADDR[:PORT]
 *   call refuse ADDR         (in a child: logs, pauses, exits)
 *   call state               (the library's globals, as after a request)
 *   call request_init        (what request_init() leaves in a request)
 *   call percent_x KEY=VAL... | TEXT   (TEXT expanded for that request;
 *                            the request's fields afterwards)
 *   call percent_m ERRNO TEXT
 *   call tcpd_jump FILE:LINE TEXT    (under setjmp(tcpd_buf))
 */
static void run_call(FILE *out, struct script_case *c, char *line)
{
    char *fn = line, *arg = strchr(line, ' ');

    c->requests++;
    fprintf(out, "@ %s#%d\nreq call %s\n", c->name, c->requests, line);
    if (arg != NULL)
        *arg++ = '\0';
    else
        arg = fn + strlen(fn);
    if (strcmp(fn, "dot_quad_addr") == 0) {
        char *a = call_arg(arg);
        fprintf(out, "result %08lx\n", dot_quad_addr(a));
        free(a);
    } else if (strcmp(fn, "cidr_mask_addr") == 0) {
        char *a = call_arg(arg);
        fprintf(out, "result %08lx\n", cidr_mask_addr(a));
        free(a);
    } else if (strcmp(fn, "split_at") == 0) {
        char *a = call_arg(arg + 2), *rest;
        rest = split_at(a, arg[0]);
        fputs("result \"", out);
        print_text(out, a);
        fputs("\" | ", out);
        if (rest != NULL) {
            fputc('"', out);
            print_text(out, rest);
            fputs("\"\n", out);
        } else {
            fputs("NULL\n", out);
        }
        free(a);
    } else if (strcmp(fn, "xgets") == 0) {
        int len = atoi(arg);
        char *name = call_arg(strchr(arg, ' ') ? strchr(arg, ' ') + 1 : "");
        char path[PATH_MAX + 300], *buf = malloc((size_t)len + 1);
        FILE *fp;

        snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
        fp = fopen(path, "r");
        if (fp == NULL || buf == NULL) {
            fprintf(stderr, "probe: xgets %s: %s\n", path, strerror(errno));
            exit(2);
        }
        tcpd_context.line = 0;
        while (xgets(buf, len, fp) != NULL) {
            fputs("line \"", out);
            print_text(out, buf);
            fprintf(out, "\" ctx.line=%d\n", tcpd_context.line);
        }
        fclose(fp);
        free(buf);
        free(name);
    } else if (strcmp(fn, "tcpd_warn") == 0) {
        char *where = arg, *text = strchr(arg, ' '), *colon;
        static char file[256];
        if (text != NULL)
            *text++ = '\0';
        colon = strrchr(where, ':');
        if (strcmp(where, "-") == 0 || colon == NULL) {
            tcpd_context.file = NULL;
        } else {
            *colon = '\0';
            snprintf(file, sizeof(file), "%s", where);
            tcpd_context.file = file;
            tcpd_context.line = atoi(colon + 1);
        }
        text = call_arg(text ? text : "");
        tcpd_warn("%s", text);
        free(text);
        tcpd_context.file = NULL;
        tcpd_context.line = 0;
    } else if (strcmp(fn, "eval_port") == 0) {
        struct sockaddr_storage ss;
        if (!parse_sockaddr(arg, &ss)) {
            fprintf(stderr, "probe: bad address %s\n", arg);
            exit(2);
        }
        fprintf(out, "result %s\n", eval_port((struct sockaddr *)&ss));
    } else if (strcmp(fn, "refuse") == 0) {
        struct request_info r;
        pid_t pid;
        int status;

        fflush(out);
        pid = fork();
        if (pid == 0) {
            atexit(flush_at_exit);
            request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, arg, 0);
            refuse(&r);
            flush_log(out);
            fputs("refuse returned\n", out);
            fflush(out);
            _exit(3);
        }
        waitpid(pid, &status, 0);
        fprintf(out, "exit %d\n",
                WIFEXITED(status) ? WEXITSTATUS(status)
                                  : 128 + WTERMSIG(status));
    } else if (strcmp(fn, "state") == 0) {
        /* print_state() below */
    } else if (strcmp(fn, "request_init") == 0) {
        struct request_info r;

        memset(&r, 0x5a, sizeof(r));
        request_init(&r, 0);
        fprintf(out,
                "result fd=%d daemon=%s pid_is_getpid=%d user=\"%s\" "
                "names=\"%s\" \"%s\" \"%s\" \"%s\" sins=%d,%d "
                "back=%d,%d methods=%d,%d sink=%d\n",
                r.fd, r.daemon, atoi(r.pid) == (int)getpid(), r.user,
                r.client->name, r.client->addr, r.server->name, r.server->addr,
                r.client->sin == NULL, r.server->sin == NULL,
                r.client->request == &r, r.server->request == &r,
                r.hostname == NULL, r.hostaddr == NULL, r.sink == NULL);
        fprintf(out,
                "eval hostname=%s hostaddr=%s hostinfo=%s user=%s "
                "client=%s server=%s\n",
                eval_hostname(r.client), eval_hostaddr(r.client),
                eval_hostinfo(r.client), eval_user(&r), eval_client(&r),
                eval_server(&r));
    } else if (strcmp(fn, "percent_x") == 0) {
        struct request rq;
        struct request_info r;
        struct sockaddr_storage csin, ssin;
        char *bar = strstr(arg, " | "), *word, *save = NULL, *text;
        char result[8192];

        if (bar == NULL) {
            fprintf(stderr, "probe: call percent_x KEYS | TEXT\n");
            exit(2);
        }
        *bar = '\0';
        memset(&rq, 0, sizeof(rq));
        for (word = strtok_r(arg, " ", &save); word != NULL;
             word = strtok_r(NULL, " ", &save))
            parse_request_word(&rq, word);
        build_request(&rq, &r, -1, &csin, &ssin);
        add_subst((unsigned long)getpid(), "$PID");
        text = call_arg(bar + 3);
        percent_x(result, (int)sizeof(result), text, &r);
        flush_log(out);
        fputs("result \"", out);
        print_text(out, result);
        fputs("\"\n", out);
        print_fields(out, &r);
        free(text);
        free_request(&rq);
        n_substs = 0;
    } else if (strcmp(fn, "percent_m") == 0) {
        char *text = call_arg(strchr(arg, ' ') ? strchr(arg, ' ') + 1 : "");
        char result[8192];

        errno = atoi(arg);
        percent_m(result, text);
        fputs("result \"", out);
        print_text(out, result);
        fputs("\"\n", out);
        free(text);
    } else if (strcmp(fn, "tcpd_jump") == 0) {
        char *where = arg, *text = strchr(arg, ' '), *colon;
        static char file[256];
        volatile int jumped;

        if (text != NULL)
            *text++ = '\0';
        colon = strrchr(where, ':');
        tcpd_context.file = NULL;
        if (strcmp(where, "-") != 0 && colon != NULL) {
            *colon = '\0';
            snprintf(file, sizeof(file), "%s", where);
            tcpd_context.file = file;
            tcpd_context.line = atoi(colon + 1);
        }
        text = call_arg(text ? text : "");
        jumped = setjmp(tcpd_buf);
        if (jumped == 0)
            tcpd_jump("%s", text);
        fprintf(out, "result jumped %d\n", jumped);
        free(text);
        tcpd_context.file = NULL;
        tcpd_context.line = 0;
    } else {
        fprintf(stderr, "probe: unknown call %s\n", fn);
        exit(2);
    }
    flush_log(out);
    print_state(out);
}

/* Appends the unescaped, $T-expanded TEXT to t. */
static void table_add(struct table *t, struct buf *dst, const char *text)
{
    struct buf raw = {0};

    unescape(&raw, text);
    buf_add_expanded(dst, raw.p ? raw.p : "", raw.len);
    free(buf_take(&raw));
    (void)t;
}

/* Creates $T/NAME: a file with the given contents, or a directory. */
static void make_file(const char *spec, bool directory)
{
    const char *sp = strchr(spec, ' ');
    struct buf path = {0}, raw = {0}, text = {0};

    buf_str(&path, tmpdir);
    buf_str(&path, "/");
    buf_add(&path, spec, sp ? (size_t)(sp - spec) : strlen(spec));
    /* Parent directories are made as needed ("file b/sshd ..."). */
    for (char *slash = strchr(path.p + strlen(tmpdir) + 1, '/'); slash != NULL;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        mkdir(path.p, 0755);
        *slash = '/';
    }
    if (directory) {
        if (mkdir(path.p, 0755) < 0 && errno != EEXIST) {
            fprintf(stderr, "probe: mkdir %s: %s\n", path.p, strerror(errno));
            exit(2);
        }
    } else {
        unescape(&raw, sp ? sp + 1 : "");
        buf_add_expanded(&text, raw.p ? raw.p : "", raw.len);
        write_file(path.p, text.p ? text.p : "", text.len, false);
    }
    free(buf_take(&path));
    free(buf_take(&raw));
    free(buf_take(&text));
}

/* The case's fake identd, if any. */
static pid_t identd_pid;

/* Stops the fake identd. */
static void stop_identd(void)
{
    if (identd_pid > 0) {
        kill(identd_pid, SIGKILL);
        waitpid(identd_pid, NULL, 0);
        identd_pid = 0;
    }
}

/*
 * Starts a fake identd on ADDR port 113 (loopback only): for each
 * connection it reads the query line and answers TEMPLATE (escapes
 * decoded) with every "$Q" replaced by the query without its CR LF.
 */
static void start_identd(const char *spec)
{
    const char *sp = strchr(spec, ' ');
    struct sockaddr_storage ss;
    char addr[64];
    struct buf tmpl = {0};
    int lfd, one = 1, ready[2];
    char c;

    if (sp == NULL || (size_t)(sp - spec) >= sizeof(addr)) {
        fprintf(stderr, "probe: identd ADDR TEMPLATE\n");
        exit(2);
    }
    memcpy(addr, spec, (size_t)(sp - spec));
    addr[sp - spec] = '\0';
    if (!parse_sockaddr(addr, &ss) || !is_loopback(&ss)) {
        fprintf(stderr, "probe: identd needs a loopback address: %s\n", addr);
        exit(2);
    }
    ((struct sockaddr_in *)&ss)->sin_port = htons(113); /* same offset */
    unescape(&tmpl, sp + 1);
    stop_identd();
    lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (lfd < 0 ||
        setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(lfd, (struct sockaddr *)&ss, sa_len(&ss)) < 0 ||
        listen(lfd, 8) < 0 || pipe(ready) < 0) {
        fprintf(stderr, "probe: identd on %s: %s\n", addr, strerror(errno));
        exit(2);
    }
    fflush(stdout);
    identd_pid = fork();
    if (identd_pid == 0) {
        close(ready[0]);
        close(ready[1]);
        for (;;) {
            char query[512];
            struct buf reply = {0};
            ssize_t n, got = 0;
            int cfd = accept(lfd, NULL, NULL);
            const char *t;

            if (cfd < 0)
                continue;
            while (got < (ssize_t)sizeof(query) - 1 &&
                   (n = read(cfd, query + got, 1)) == 1 && query[got] != '\n')
                got++;
            query[got] = '\0';
            if (got > 0 && query[got - 1] == '\r')
                query[got - 1] = '\0';
            for (t = tmpl.p ? tmpl.p : ""; *t != '\0'; t++) {
                if (t[0] == '$' && t[1] == 'Q') {
                    buf_str(&reply, query);
                    t++;
                } else {
                    buf_add(&reply, t, 1);
                }
            }
            if (reply.len > 0 && write(cfd, reply.p, reply.len) < 0)
                _exit(1);
            free(buf_take(&reply));
            close(cfd);
        }
    }
    close(lfd);
    close(ready[1]);
    (void)!read(ready[0], &c, 1); /* the child has started */
    close(ready[0]);
    free(buf_take(&tmpl));
}

/* Starts a new case with empty tables. */
static void begin_case(struct script_case *c, const char *name, int number)
{
    stop_identd();
    free(buf_take(&c->allow.text));
    free(buf_take(&c->allow.alt));
    free(buf_take(&c->deny.text));
    free(buf_take(&c->deny.alt));
    free(buf_take(&c->chmods));
    memset(c, 0, sizeof(*c));
    snprintf(c->name, sizeof(c->name), "%s", name);
    c->number = number;
}

/* Gives path an access ACL equal to mode 0644 except that user uid may
 * not read it (the xattr form of acl(5): a version, then tag, permission
 * and id for each entry, sorted by tag). */
static bool set_deny_acl(const char *path, uint32_t uid)
{
    struct {
        uint16_t tag, perm;
        uint32_t id;
    } entries[] = {
        {0x01, 6, (uint32_t)-1}, /* the owner: read and write */
        {0x02, 0, 0},            /* user uid: nothing */
        {0x04, 4, (uint32_t)-1}, /* the owning group: read */
        {0x10, 4, (uint32_t)-1}, /* the mask: read */
        {0x20, 4, (uint32_t)-1}, /* others: read */
    };
    unsigned char value[4 + sizeof(entries)];
    uint32_t version = 2;

    entries[1].id = uid;
    memcpy(value, &version, 4);
    memcpy(value + 4, entries, sizeof(entries));
    return setxattr(path, "system.posix_acl_access", value, sizeof(value),
                    0) == 0;
}

/* Installs the case's tables before its first request. */
static void start_requests(FILE *out, struct script_case *c)
{
    char *line, *next;
    extern char **environ;
    char **e;

    /* Each case starts from the same state, so that a difference in one
     * case (an option error that only one library reached leaves a
     * stale tcpd_context, behaviour page 8.9; a severity option) does
     * not carry into the next.  resident, and Debian's hidden aclexec
     * flag (requests that set it are forked), are left as they are. */
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
    allow_severity = 6; /* LOG_INFO: <syslog.h> would declare the
                         * syslog() this file defines */
    deny_severity = 4;  /* LOG_WARNING */
    rfc931_timeout = 10;
    umask(022);
    setpriority(PRIO_PROCESS, 0, 0);
    for (e = environ; *e != NULL;) {
        if (strncmp(*e, "CT_", 3) == 0) {
            char name[256];
            size_t n = strcspn(*e, "=");
            snprintf(name, sizeof(name), "%.*s", (int)n, *e);
            unsetenv(name);
        } else {
            e++;
        }
    }

    install_table(c, &c->allow, "allow", &hosts_allow_table);
    install_table(c, &c->deny, "deny", &hosts_deny_table);
    for (line = c->chmods.p; line != NULL && *line != '\0'; line = next) {
        bool keyword = strncmp(line, "chown ", 6) == 0 ||
                       strncmp(line, "denyacl ", 8) == 0;
        char *sp = strchr(keyword ? strchr(line, ' ') + 1 : line, ' ');
        const char *path;
        int failed;
        next = strchr(line, '\n');
        *next++ = '\0';
        path = sp == NULL                     ? ""
               : strcmp(sp + 1, "allow") == 0 ? c->allow.path
               : strcmp(sp + 1, "deny") == 0  ? c->deny.path
                                              : sp + 1;
        if (sp == NULL)
            failed = 1;
        else if (strncmp(line, "chown ", 6) == 0)
            failed = chown(path, (uid_t)strtol(line + 6, NULL, 10),
                           (gid_t)strtol(strchr(line, ':') + 1, NULL, 10));
        else if (strncmp(line, "denyacl ", 8) == 0)
            failed = !set_deny_acl(path, (uint32_t)atol(line + 8));
        else
            failed = chmod(path, (mode_t)strtol(line, NULL, 8));
        if (failed) {
            fprintf(stderr, "probe: %s: %s\n", line, strerror(errno));
            exit(2);
        }
    }
    if (c->aged)
        clock_offset += 10;
    fprintf(out, "case %s tags %s\n", c->name, c->tags[0] ? c->tags : "-");
}

/* Reads the script and runs it. */
static void run_script(FILE *in, FILE *out)
{
    struct script_case c;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int number = 0;
    bool in_case = false;

    memset(&c, 0, sizeof(c));
    while ((got = getline(&line, &cap, in)) >= 0) {
        char *arg;

        if (got > 0 && line[got - 1] == '\n')
            line[--got] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        arg = strchr(line, ' ');
        if (arg != NULL)
            *arg++ = '\0';
        else
            arg = line + got;
        if (strcmp(line, "case") == 0) {
            begin_case(&c, arg, ++number);
            in_case = true;
            continue;
        }
        if (!in_case) {
            fprintf(stderr, "probe: directive before case: %s\n", line);
            exit(2);
        }
        if (c.requests > 0 &&
            (strcmp(line, "allow") == 0 || strcmp(line, "deny") == 0 ||
             strncmp(line, "alt-", 4) == 0 || strcmp(line, "chmod") == 0 ||
             strcmp(line, "chown") == 0 || strcmp(line, "denyacl") == 0 ||
             strcmp(line, "allowpath") == 0 ||
             strcmp(line, "denypath") == 0)) {
            fprintf(stderr, "probe: %s after the first request of case %s\n",
                    line, c.name);
            exit(2);
        }
        if (strcmp(line, "allow") == 0) {
            c.allow.present = true;
            table_add(&c.allow, &c.allow.text, arg);
        } else if (strcmp(line, "deny") == 0) {
            c.deny.present = true;
            table_add(&c.deny, &c.deny.text, arg);
        } else if (strcmp(line, "alt-allow") == 0) {
            c.allow.alt_present = true;
            table_add(&c.allow, &c.allow.alt, arg);
        } else if (strcmp(line, "alt-deny") == 0) {
            c.deny.alt_present = true;
            table_add(&c.deny, &c.deny.alt, arg);
        } else if (strcmp(line, "allowpath") == 0 ||
                   strcmp(line, "denypath") == 0) {
            struct buf p = {0}, raw = {0};
            unescape(&raw, arg);
            buf_add_expanded(&p, raw.p ? raw.p : "", raw.len);
            free(buf_take(&raw));
            if (line[0] == 'a')
                keep_path(c.allow.path = buf_take(&p));
            else
                keep_path(c.deny.path = buf_take(&p));
        } else if (strcmp(line, "file") == 0) {
            make_file(arg, false);
        } else if (strcmp(line, "dir") == 0) {
            make_file(arg, true);
        } else if (strcmp(line, "tag") == 0) {
            add_tag(&c, arg);
        } else if (strcmp(line, "aged") == 0) {
            c.aged = true;
        } else if (strcmp(line, "identd") == 0) {
            start_identd(arg);
        } else if (strcmp(line, "chmod") == 0 || strcmp(line, "chown") == 0 ||
                   strcmp(line, "denyacl") == 0) {
            /* chmod MODE PATH, chown UID:GID PATH, denyacl UID PATH ($T
             * and "allow"/"deny" for the tables) */
            char *sp = strchr(arg, ' ');
            struct buf raw = {0};
            if (sp == NULL) {
                fprintf(stderr, "probe: %s VALUE PATH\n", line);
                exit(2);
            }
            if (line[1] != 'h' || line[2] != 'm') {
                buf_str(&c.chmods, line);
                buf_add(&c.chmods, " ", 1);
            }
            buf_add(&c.chmods, arg, (size_t)(sp - arg) + 1);
            unescape(&raw, sp + 1);
            buf_add_expanded(&c.chmods, raw.p ? raw.p : "", raw.len);
            free(buf_take(&raw));
            buf_add(&c.chmods, "\n", 1);
        } else if (strcmp(line, "call") == 0) {
            if (c.requests == 0)
                start_requests(out, &c);
            run_call(out, &c, arg);
        } else if (strcmp(line, "req") == 0) {
            if (c.requests++ == 0)
                start_requests(out, &c);
            run_request(out, &c, arg);
        } else {
            fprintf(stderr, "probe: unknown directive: %s\n", line);
            exit(2);
        }
        fflush(out);
    }
    free(line);
    begin_case(&c, "", 0);
}

/* Removes the private directory (best effort; it holds plain files). */
static void remove_tree(const char *dir)
{
    char *argv[] = {"rm", "-rf", (char *)dir, NULL};
    pid_t pid = fork();

    if (pid == 0) {
        execvp("rm", argv);
        _exit(127);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

/* Our library, run as root, would leave compiled images of the probe's
 * tables in the machine's shared store (/run/libwrap) when it exists:
 * the probe gets an empty one of its own in a private mount namespace.
 * Debian's library has no store. */
static void hide_machine_store(void)
{
    if (geteuid() != 0 || access("/run/libwrap", F_OK) != 0)
        return;
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", "/run/libwrap", "tmpfs", 0, "mode=0755") != 0) {
        perror("probe: cannot hide /run/libwrap");
        exit(2);
    }
}

/* probe --expect LIBWRAP [--alt] SCRIPT|- */
int main(int argc, char **argv)
{
    const char *expect = NULL, *script = NULL;
    char out_dir[PATH_MAX + 8];
    FILE *in;
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--expect") == 0 && i + 1 < argc)
            expect = argv[++i];
        else if (strcmp(argv[i], "--alt") == 0)
            alt_mode = true;
        else if (script == NULL)
            script = argv[i];
        else
            expect = NULL, script = NULL, i = argc;
    }
    if (expect == NULL || script == NULL) {
        fprintf(stderr, "usage: probe --expect LIBWRAP [--alt] SCRIPT|-\n");
        return 2;
    }
    check_library(expect);
    hide_machine_store();
    snprintf(tmpdir, sizeof(tmpdir), "%s/compat-probe.XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (mkdtemp(tmpdir) == NULL) {
        perror("probe: mkdtemp");
        return 2;
    }
    snprintf(out_dir, sizeof(out_dir), "%s/out", tmpdir);
    mkdir(out_dir, 0777);
    chmod(out_dir, 0777);
    /* Requests run as nobody reach files by name, not by listing. */
    chmod(tmpdir, 0711);
    in = strcmp(script, "-") == 0 ? stdin : fopen(script, "r");
    if (in == NULL) {
        fprintf(stderr, "probe: %s: %s\n", script, strerror(errno));
        remove_tree(tmpdir);
        return 2;
    }
    /* The whole script is read before anything runs: a forked request
     * that the library ends with exit() would otherwise move the shared
     * file offset back to where the child's stdio buffer stood. */
    {
        struct buf text = {0};
        char chunk[65536];
        size_t n;
        FILE *mem;

        while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
            buf_add(&text, chunk, n);
        if (in != stdin)
            fclose(in);
        buf_add(&text, "\n", 1); /* fmemopen() refuses a size of 0 */
        mem = fmemopen(text.p, text.len, "r");
        if (mem == NULL) {
            perror("probe: fmemopen");
            remove_tree(tmpdir);
            return 2;
        }
        umask(022);
        run_script(mem, stdout);
        fclose(mem);
        free(buf_take(&text));
    }
    fflush(stdout);
    remove_tree(tmpdir);
    hosts_allow_table = hosts_deny_table = NULL;
    tcpd_context.file = NULL;
    free_kept_paths();
    free(buf_take(&log_lines));
    return 0;
}
