/*
 * testlib.c - shared helpers for the cmocka unit tests (see testlib.h).
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <sys/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "diag.h"
#include "hostlist.h"
#include "lex.h"
#include "match.h"
#include "options.h"
#include "pattern.h"
#include "ruleset.h"
#include "store.h"
#include "strbuf.h"

/* The machine's shared store (store.h) is not the tests': when it
 * exists, a root test process gets an empty one of its own, in a private
 * mount namespace, before any test runs. */
__attribute__((constructor)) static void hide_machine_store(void)
{
    if (geteuid() != 0 || access(STORE_DIR, F_OK) != 0)
        return;
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mount("tmpfs", STORE_DIR, "tmpfs", 0, "mode=0755") != 0) {
        fprintf(stderr, "testlib: cannot hide %s: %s\n", STORE_DIR,
                strerror(errno));
        exit(1);
    }
}

static char dir[] = "/tmp/libwrap-unit-XXXXXX";
static char dir_template[] = "/tmp/libwrap-unit-XXXXXX";
static struct strbuf log_text = STRBUF_INIT;
static char allow_path[256], deny_path[256];

static void capture(int priority, const char *text, void *arg)
{
    (void)arg;
    sb_printf(&log_text, "%d %s\n", priority, text);
}

int tl_setup(void **state)
{
    (void)state;
    memcpy(dir, dir_template, sizeof(dir));
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(allow_path, sizeof(allow_path), "%s/hosts.allow", dir);
    snprintf(deny_path, sizeof(deny_path), "%s/hosts.deny", dir);
    hosts_allow_table = allow_path;
    hosts_deny_table = deny_path;
    hosts_access_verbose = 0;
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
    tl_config = NULL;
    diag_set_sink(capture, NULL);
    tl_log_clear();
    return 0;
}

int tl_teardown(void **state)
{
    char cmd[300];

    (void)state;
    diag_set_sink(NULL, NULL);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return -1;
    return 0;
}

const char *tl_path(const char *name)
{
    static char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

const char *tl_write_bytes(const char *name, const void *content, size_t n)
{
    const char *path = tl_path(name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
    return path;
}

const char *tl_write(const char *name, const char *content)
{
    return tl_write_bytes(name, content, strlen(content));
}

void tl_tables(const char *allow, const char *deny)
{
    if (allow != NULL)
        tl_write("hosts.allow", allow);
    else
        unlink(allow_path);
    if (deny != NULL)
        tl_write("hosts.deny", deny);
    else
        unlink(deny_path);
}

const char *tl_log(void)
{
    return sb_str(&log_text);
}

void tl_log_clear(void)
{
    sb_reset(&log_text);
}

const struct access_config *tl_config;

static const struct access_config in_order = {.no_index = true,
                                              .time_granularity_ns = 1};

const struct tl_scan_mode tl_scan_modes[TL_SCAN_MODES] = {
    {.name = "streamed"},
    {.name = "compiled, in order", .config = &in_order},
    {.name = "compiled, indexed"},
};

int tl_ctl(const char *daemon, const char *name, const char *addr,
           const char *user)
{
    struct request_info r;

    if (tl_config == NULL)
        return hosts_ctl((char *)daemon, (char *)name, (char *)addr,
                         (char *)user);
    request_init(&r, RQ_DAEMON, daemon, RQ_CLIENT_NAME, name, RQ_CLIENT_ADDR,
                 addr, RQ_USER, user, 0);
    return access_decide(&r, tl_config);
}

int tl_warm(const char *addr)
{
    int a = tl_ctl("sshd", "", addr, ""), b = tl_ctl("sshd", "", addr, "");
    int c = tl_ctl("sshd", "", addr, "");

    assert_int_equal(a, b);
    assert_int_equal(b, c);
    return c;
}

/* The name tl_decide()'s lookup finds. */
static const char *lookup_result;

static void fake_hostname(struct host_info *h)
{
    diag_warn("looked up %s", lookup_result);
    snprintf(h->name, sizeof(h->name), "%s", lookup_result);
}

int tl_decide(const struct access_config *cfg, const char *d, const char *n,
              const char *a, bool with_lookup, struct strbuf *fields)
{
    struct request_info r;
    int verdict;

    request_init(&r, RQ_DAEMON, d, RQ_CLIENT_ADDR, a, RQ_USER, "bob", 0);
    if (with_lookup) {
        lookup_result = n[0] != '\0' ? n : unknown;
        r.hostname = fake_hostname;
    } else {
        request_set(&r, RQ_CLIENT_NAME, n, 0);
    }
    verdict = access_decide(&r, cfg);
    sb_printf(fields, "fields: user=\"%s\" name=\"%s\" addr=\"%s\"\n", r.user,
              r.client->name, r.client->addr);
    return verdict;
}

int tl_run_options(const char *options, int fd)
{
    struct request_info r;
    struct diag_where where = {"/ctx", 3};
    const struct diag_where *previous;
    enum option_result result;

    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_NAME, "host", RQ_CLIENT_ADDR,
                 "1.2.3.4", RQ_USER, "bob", RQ_FILE, fd, 0);
    previous = diag_push(&where);
    result = options_run(options, &r);
    diag_pop(previous);
    return (int)result;
}

void tl_expand(struct strbuf *out, const char *in)
{
    size_t n;

    for (; *in != '\0'; in++) {
        if (in[0] != '%' || (in[1] != 'A' && in[1] != 'D' && in[1] != 'T')) {
            sb_putc(out, *in);
            continue;
        }
        if (in[1] == 'A') {
            sb_puts(out,
                    hosts_allow_table != NULL ? hosts_allow_table : "(null)");
        } else if (in[1] == 'D') {
            sb_puts(out,
                    hosts_deny_table != NULL ? hosts_deny_table : "(null)");
        } else {
            n = strlen(dir);
            sb_append(out, dir, n);
        }
        in++;
    }
}

const char *tl_read(const char *name)
{
    static struct strbuf text = STRBUF_INIT;
    char buf[4096];
    ssize_t n;
    int fd;

    fd = open(name[0] == '/' ? name : tl_path(name), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    sb_reset(&text);
    sb_puts(&text, "");
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        sb_append(&text, buf, (size_t)n);
    close(fd);
    assert_false(sb_failed(&text));
    return sb_str(&text);
}

int tl_count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.')
            n++;
    }
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

double tl_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void tl_sockaddr(struct sockaddr_storage *ss, const char *addr, unsigned port)
{
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)ss;
    struct sockaddr_in *v4 = (struct sockaddr_in *)ss;

    memset(ss, 0, sizeof(*ss));
    if (strchr(addr, ':') != NULL) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        assert_int_equal(inet_pton(AF_INET6, addr, &v6->sin6_addr), 1);
    } else {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        assert_int_equal(inet_pton(AF_INET, addr, &v4->sin_addr), 1);
    }
}

int tl_wait(int pid, double seconds)
{
    struct pollfd p;
    int status, ready;

    p.fd = pidfd_open((pid_t)pid, 0);
    p.events = POLLIN;
    assert_true(p.fd >= 0);
    do {
        ready = poll(&p, 1, (int)(seconds * 1000));
    } while (ready < 0 && errno == EINTR);
    close(p.fd);
    if (ready == 0) {
        kill((pid_t)pid, SIGKILL);
        (void)waitpid((pid_t)pid, &status, 0);
        fail_msg("process %d did not end within %.1f s", pid, seconds);
    }
    assert_int_equal(waitpid((pid_t)pid, &status, 0), pid);
    return status;
}

struct table_text tl_text(const char *bytes, size_t n)
{
    struct table_text t;

    memset(&t, 0, sizeof(t));
    t.data = calloc(1, n + TABLE_PADDING + 1);
    assert_non_null(t.data);
    memcpy(t.data, bytes, n);
    t.size = n;
    t.has_nul = memchr(bytes, '\0', n) != NULL;
    t.any_reader = true;
    t.st.st_size = (off_t)n;
    t.st.st_mode = S_IFREG | 0644;
    return t;
}

struct ruleset *tl_compile(const char *path, const char *text, size_t n,
                           int kind)
{
    struct table_text t = tl_text(text, n);
    struct timespec now;
    struct ruleset *rs;

    clock_gettime(CLOCK_REALTIME, &now);
    rs = ruleset_compile(path, &t, (enum image_kind)kind, &now, false);
    table_text_free(&t);
    return rs;
}

void tl_option_state(int verbose)
{
    umask(022);
    allow_severity = LOG_INFO;
    deny_severity = LOG_WARNING;
    rfc931_timeout = 10;
    dry_run = 0;
    resident = -1;
    unsetenv("FOO");
    hosts_access_verbose = verbose;
}

void tl_compile_list(struct tl_list *c, const char *text, bool clients)
{
    struct lex_list list = {0};
    struct arena arena = ARENA_INIT;
    struct strbuf line = STRBUF_INIT;
    bool nomem;

    /* A line with its newline and a table's padding after it. */
    sb_puts(&line, text);
    sb_putc(&line, '\n');
    assert_true(sb_reserve(&line, TABLE_PADDING));
    memset(line.data + line.len, 0, TABLE_PADDING);
    assert_null(lex_field(&list, &arena, line.data, clients, &nomem));
    assert_false(nomem);
    image_builder_init(&c->b);
    c->off = pattern_put_list(&c->b, &list,
                              clients ? LIST_CLIENTS : LIST_DAEMONS, 0);
    assert_true(c->off != 0);
    c->im.base = (const unsigned char *)c->b.buf.data;
    c->im.size = c->b.buf.len;
    c->im.reader = NULL;
    free(list.items);
    arena_free(&arena);
    sb_free(&line);
}

int tl_match(const char *daemons, const char *clients, struct request_info *r)
{
    struct tl_list d, c;
    struct match_ctx m;
    enum match_result hit;

    tl_compile_list(&d, daemons, false);
    match_begin(&m, r, hostlist_match, (void *)&access_default);
    hit = match_daemons(&m, &d.im, d.off);
    if (hit == MATCH_YES && clients != NULL) {
        tl_compile_list(&c, clients, true);
        hit = match_clients(&m, &c.im, c.off);
        image_builder_free(&c.b);
    }
    image_builder_free(&d.b);
    return (int)hit;
}

static struct rlimit fds_limit;
static int fds_held[64], fds_count;

void tl_fds_exhaust(void)
{
    struct rlimit low;
    int fd;

    assert_int_equal(getrlimit(RLIMIT_NOFILE, &fds_limit), 0);
    low = fds_limit;
    low.rlim_cur = 32;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    fds_count = 0;
    while (fds_count < 64 &&
           (fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0)
        fds_held[fds_count++] = fd;
    assert_int_equal(errno, EMFILE);
}

void tl_fds_back(void)
{
    while (fds_count > 0)
        close(fds_held[--fds_count]);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &fds_limit), 0);
}

pid_t tl_test_pid;

void tl_check(bool ok, const char *what, const char *file, int line)
{
    if (ok)
        return;
    if (getpid() != tl_test_pid) {
        fprintf(stderr, "%s:%d: check failed in child %d: %s\n", file, line,
                (int)getpid(), what);
        _exit(1);
    }
    _assert_true(0, what, file, line);
}

void tl_check_long(long a, long b, const char *what, const char *file,
                   int line)
{
    if (a != b && getpid() != tl_test_pid) {
        fprintf(stderr, "%s:%d: child %d: %s: %ld != %ld\n", file, line,
                (int)getpid(), what, a, b);
        _exit(1);
    }
    if (a != b)
        _assert_int_equal((LargestIntegralType)a, (LargestIntegralType)b, file,
                          line);
}

void tl_check_str(const char *a, const char *b, const char *file, int line)
{
    if (strcmp(a, b) != 0 && getpid() != tl_test_pid) {
        fprintf(stderr, "%s:%d: child %d:\n\"%s\"\n!=\n\"%s\"\n", file, line,
                (int)getpid(), a, b);
        _exit(1);
    }
    _assert_string_equal(a, b, file, line);
}

void tl_join(char *dst, const char *a, const char *b)
{
    int n = snprintf(dst, PATH_MAX, "%s/%s", a, b);

    CHECK(n > 0 && n < PATH_MAX);
}

void tl_listing(const char *path, struct strbuf *out)
{
    struct dirent **names;
    int n, i;

    sb_reset(out);
    n = scandir(path, &names, NULL, alphasort);
    CHECK(n >= 0);
    for (i = 0; i < n; i++) {
        if (strcmp(names[i]->d_name, ".") != 0 &&
            strcmp(names[i]->d_name, "..") != 0)
            sb_printf(out, "%s\n", names[i]->d_name);
        free(names[i]);
    }
    free(names);
    CHECK(!sb_failed(out));
}

void tl_check_listing(const char *path, const char *want, const char *file,
                      int line)
{
    struct strbuf got = STRBUF_INIT;

    tl_listing(path, &got);
    tl_check_str(sb_str(&got), want, file, line);
    sb_free(&got);
}

uint64_t tl_fnv(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0xcbf29ce484222325u;

    while (n-- > 0) {
        h ^= *s++;
        h *= 0x100000001b3u;
    }
    return h;
}
