/*
 * testlib.c - shared helpers for the cmocka unit tests (see testlib.h).
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "diag.h"
#include "options.h"
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

int tl_ctl(const char *daemon, const char *name, const char *addr,
           const char *user)
{
    struct request_info r;

    if (tl_config == NULL)
        return hosts_ctl((char *)daemon, (char *)name, (char *)addr,
                         (char *)user);
    request_init(&r, RQ_DAEMON, daemon, RQ_CLIENT_NAME, name,
                 RQ_CLIENT_ADDR, addr, RQ_USER, user, 0);
    return access_decide(&r, tl_config);
}

int tl_run_options(const char *options, int fd)
{
    struct request_info r;
    struct diag_where where = {"/ctx", 3};
    const struct diag_where *previous;
    enum option_result result;

    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_NAME, "host",
                 RQ_CLIENT_ADDR, "1.2.3.4", RQ_USER, "bob", RQ_FILE, fd, 0);
    previous = diag_push(&where);
    result = options_run(options, &r);
    diag_pop(previous);
    return (int)result;
}
