/*
 * test_dropin.c - drop-in directories: <table>.d/ read after the table.
 *
 * dropin_list() as rows of directory entries (order, every skip rule,
 * symlinks, FIFOs, subdirectories, no directory, a regular file in its
 * place); whole decisions through hosts_ctl() with fragments, each with
 * its exact log and in the three ways a table is scanned; a fragment
 * added, removed, renamed over, edited (also the racy same-size edit
 * stat() cannot see) or shadowed by a backup file, seen by the next
 * decision; failing closed as an unprivileged process; and the cost of a
 * warm decision: the directory is listed again only when its stat()
 * changed (opendir() is counted through --wrap).
 *
 * The library's clock can be run ahead (--wrap=clock_gettime), so that
 * files written a moment ago are old enough to be trusted by stat()
 * alone; cases run both ways where the racy rule could hide a bug.
 */
#include "testlib.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "cache.h"
#include "clockahead.h"
#include "diag.h"
#include "dropin.h"
#include "testnet.h"

/* ---- wrapped calls ---- */

DIR *__real_opendir(const char *path);
DIR *__wrap_opendir(const char *path);

static int opendirs; /* opendir() calls of the library */

DIR *__wrap_opendir(const char *path)
{
    opendirs++;
    return __real_opendir(path);
}

/* Far enough ahead that every file of a test is old. */
enum { AHEAD = 10 * TABLE_RACY_SECONDS };

static int setup(void **state)
{
    opendirs = 0;
    clock_run_ahead(0);
    cache_flush();
    return tl_setup(state);
}

static int teardown(void **state)
{
    clock_run_ahead(0);
    hosts_access_verbose = 0;
    cache_flush();
    return tl_teardown(state);
}

/* ---- directory entries ---- */

/*
 * An entry of a drop-in directory: "f:name" a regular file, "l:name>to"
 * a symlink (to relative to the directory), "p:name" a FIFO, "d:name" a
 * subdirectory.
 */
static void make_entry(const char *dir, const char *spec)
{
    char path[700], target[700];
    const char *name = spec + 2, *arrow = strchr(spec, '>');

    if (arrow != NULL) {
        snprintf(path, sizeof(path), "%s/%.*s", dir, (int)(arrow - name),
                 name);
        snprintf(target, sizeof(target), "%s", arrow + 1);
    } else {
        snprintf(path, sizeof(path), "%s/%s", dir, name);
    }
    switch (spec[0]) {
    case 'f': {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

        assert_true(fd >= 0);
        assert_int_equal(write(fd, "ALL: ALL\n", 9), 9);
        close(fd);
        break;
    }
    case 'l':
        assert_int_equal(symlink(target, path), 0);
        break;
    case 'p':
        assert_int_equal(mkfifo(path, 0644), 0);
        break;
    case 'd':
        assert_int_equal(mkdir(path, 0755), 0);
        break;
    default:
        fail_msg("bad entry %s", spec);
    }
}

struct list_case {
    const char *name;
    const char *entries[12]; /* make_entry() specs, NULL-terminated */
    bool no_dir;             /* no t.d at all */
    bool file_dir;           /* t.d is a regular file */
    const char *read;        /* the names listed, space-separated */
    const char *skipped;     /* "name: why\n" for each skipped entry */
};

static const char backup[] = "backup or package manager file";

static const struct list_case list_cases[] = {
    {.name = "byte order",
     .entries = {"f:b", "f:B", "f:a", "f:10", "f:9", "f:_z", "f:Z",
                 "f:\xc3\xa9", "f:-"},
     .read = "- 10 9 B Z _z a b \xc3\xa9"},
    {.name = "hidden files",
     .entries = {"f:.hidden", "f:..x", "f:.fail2ban.tmp", "f:x.y"},
     .read = "x.y",
     .skipped = "..x: hidden file\n.fail2ban.tmp: hidden file\n"
                ".hidden: hidden file\n"},
    {.name = "backup endings",
     .entries = {"f:a~", "f:b.dpkg-old", "f:c.dpkg-new", "f:d.dpkg-dist",
                 "f:e.rpmnew", "f:f.rpmsave", "f:g.bak", "f:h.swp", "f:~"},
     .skipped = "a~: backup or package manager file\n"
                "b.dpkg-old: backup or package manager file\n"
                "c.dpkg-new: backup or package manager file\n"
                "d.dpkg-dist: backup or package manager file\n"
                "e.rpmnew: backup or package manager file\n"
                "f.rpmsave: backup or package manager file\n"
                "g.bak: backup or package manager file\n"
                "h.swp: backup or package manager file\n"
                "~: backup or package manager file\n"},
    {.name = "near misses are read",
     .entries = {"f:a.bak2", "f:bak", "f:c.BAK", "f:d~x", "f:dpkg-old",
                 "f:e.swpx", "f:f.rpmnew.conf", "f:g.dpkg"},
     .read = "a.bak2 bak c.BAK dpkg-old d~x e.swpx f.rpmnew.conf g.dpkg"},
    {.name = "symlink to a regular file",
     .entries = {"l:10-link>../target", "f:20-file"},
     .read = "10-link 20-file"},
    {.name = "not regular files",
     .entries = {"l:dangling>../nowhere", "p:fifo", "d:sub", "l:todir>sub",
                 "f:real"},
     .read = "real",
     .skipped = "dangling: vanished or a dangling symlink\n"
                "fifo: not a regular file\nsub: not a regular file\n"
                "todir: not a regular file\n"},
    {.name = "empty directory"},
    {.name = "no directory", .no_dir = true},
    {.name = "a regular file in its place", .file_dir = true},
};

/* The skipped() callback: "name: why\n" into the strbuf. */
static void note_skipped(void *arg, const char *path, const char *why)
{
    const char *slash = strrchr(path, '/');

    assert_non_null(slash);
    assert_memory_equal(path, tl_path("t.d/"), (size_t)(slash + 1 - path));
    sb_printf(arg, "%s: %s\n", slash + 1, why);
}

static void test_list(void **state)
{
    struct strbuf got = STRBUF_INIT, skipped = STRBUF_INIT;
    char dir[600];
    size_t i, j;
    int failures = 0;

    (void)state;
    tl_write("target", "ALL: ALL\n");
    for (i = 0; i < TL_COUNT(list_cases); i++) {
        const struct list_case *c = &list_cases[i];
        struct dropin *d = NULL;
        char cmd[700];

        snprintf(dir, sizeof(dir), "%s", tl_path("t.d"));
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        assert_int_equal(system(cmd), 0);
        if (c->file_dir)
            tl_write("t.d", "ALL: ALL\n");
        else if (!c->no_dir)
            assert_int_equal(mkdir(dir, 0755), 0);
        for (j = 0; c->entries[j] != NULL; j++)
            make_entry(dir, c->entries[j]);
        sb_reset(&got);
        sb_reset(&skipped);
        assert_int_equal(dropin_list(tl_path("t"), &d, note_skipped, &skipped),
                         TABLE_OK);
        if ((d == NULL) != (c->no_dir || c->file_dir)) {
            print_error("case \"%s\": listing %s\n", c->name,
                        d == NULL ? "missing" : "present");
            failures++;
        }
        for (j = 0; j < dropin_count(d); j++) {
            const char *p = dropin_path(d, j);

            assert_memory_equal(p, dir, strlen(dir));
            assert_int_equal(p[strlen(dir)], '/');
            sb_printf(&got, "%s%s", j > 0 ? " " : "", p + strlen(dir) + 1);
        }
        if (strcmp(sb_str(&got), c->read != NULL ? c->read : "") != 0 ||
            strcmp(sb_str(&skipped), c->skipped != NULL ? c->skipped : "") !=
                0) {
            print_error("case \"%s\": read \"%s\" (want \"%s\"), skipped:\n"
                        "%swant:\n%s",
                        c->name, sb_str(&got), c->read ? c->read : "",
                        sb_str(&skipped), c->skipped ? c->skipped : "");
            failures++;
        }
        /* The same without a callback. */
        dropin_put(d);
        assert_int_equal(dropin_list(tl_path("t"), &d, NULL, NULL), TABLE_OK);
        assert_int_equal(dropin_count(d), j);
        dropin_put(d);
    }
    sb_free(&got);
    sb_free(&skipped);
    assert_int_equal(failures, 0);
}

/* dropin_name_skipped() on its own, and dropin_dir(). */
static void test_names(void **state)
{
    static const struct {
        const char *name, *why; /* NULL: read */
    } rows[] = {
        {".x", "hidden file"},   {"x~", backup},
        {"x.dpkg-old", backup},  {"x.dpkg-new", backup},
        {"x.dpkg-dist", backup}, {"x.rpmnew", backup},
        {"x.rpmsave", backup},   {"x.bak", backup},
        {"x.swp", backup},       {"x", NULL},
        {"x.conf", NULL},        {"x.swo", NULL},
        {"X.Bak", NULL},         {"x~.conf", NULL},
    };
    size_t i;
    char *dir;

    (void)state;
    for (i = 0; i < TL_COUNT(rows); i++) {
        const char *why = dropin_name_skipped(rows[i].name);

        if (rows[i].why == NULL)
            assert_null(why);
        else
            assert_string_equal(why, rows[i].why);
    }
    dir = dropin_dir("/etc/hosts.deny");
    assert_string_equal(dir, "/etc/hosts.deny.d");
    free(dir);
}

/* ---- decisions ---- */

struct fragment {
    char table; /* 'a': hosts.allow.d, 'd': hosts.deny.d */
    const char *name, *text;
};

struct decision_case {
    const char *name;
    const char *allow, *deny; /* NULL: no such file */
    struct fragment frags[6]; /* up to the first with no name */
    bool allow_dir, deny_dir; /* create the directory even if empty */
    const char *addr;
    int verbose;
    int granted;
    const char *log; /* %A and %D stand for the tables */
};

static const struct decision_case decision_cases[] = {
    {.name = "fragment matches",
     .allow = "",
     .deny = "sshd: 10.0.0.9\n",
     .frags = {{'d', "10-block", "sshd: 10.0.0.1\n"}},
     .addr = "10.0.0.1"},
    {.name = "no fragment matches",
     .allow = "",
     .deny = "",
     .frags = {{'d', "10-block", "sshd: 10.0.0.1\n"}},
     .addr = "10.0.0.2",
     .granted = 1},
    {.name = "main table first",
     .allow = "",
     .deny = "sshd: 10.0.0.1: allow\n",
     .frags = {{'d', "10-block", "sshd: 10.0.0.1\n"}},
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "fragments in byte order",
     .allow = "",
     .deny = "",
     .frags = {{'d', "b", "sshd: 10.0.0.1: allow\n"},
               {'d', "B", "sshd: 10.0.0.1\n"}},
     .addr = "10.0.0.1"},
    {.name = "fragments in byte order, other way",
     .allow = "",
     .deny = "",
     .frags = {{'d', "b", "sshd: 10.0.0.1\n"},
               {'d', "B", "sshd: 10.0.0.1: allow\n"}},
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "allow fragment grants before deny",
     .allow = "",
     .deny = "ALL: ALL\n",
     .frags = {{'a', "ok", "sshd: 10.0.0.1\n"}},
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "allow fragment with deny option",
     .allow = "sshd: 10.0.0.2\n",
     .deny = "",
     .frags = {{'a', "no", "sshd: 10.0.0.1: deny\n"}},
     .addr = "10.0.0.1"},
    {.name = "main tables missing, fragments present",
     .frags = {{'a', "ok", "sshd: 10.0.0.2\n"}, {'d', "all", "ALL: ALL\n"}},
     .addr = "10.0.0.1"},
    {.name = "main tables missing, allow fragment grants",
     .frags = {{'a', "ok", "sshd: 10.0.0.1\n"}, {'d', "all", "ALL: ALL\n"}},
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "backup and hidden files are not read",
     .allow = "",
     .deny = "",
     .frags = {{'d', "f2b~", "ALL: ALL\n"},
               {'d', ".f2b.tmp", "ALL: ALL\n"},
               {'d', "f2b.dpkg-new", "ALL: ALL\n"}},
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "empty directories",
     .allow = "",
     .deny = "",
     .allow_dir = true,
     .deny_dir = true,
     .addr = "10.0.0.1",
     .granted = 1},
    {.name = "matched: names the fragment and line",
     .allow = "",
     .deny = "sshd: 10.0.0.9\n",
     .frags = {{'d', "10-a", "# block\nsshd: 10.0.0.8\n"},
               {'d', "20-b", "# block\n\nsshd: 10.0.0.1\n"}},
     .addr = "10.0.0.1",
     .verbose = 2,
     .log = "7 matched:  %D.d/20-b line 3\n"},
    {.name = "matched: in an allow fragment",
     .allow = "sshd: 10.0.0.9\n",
     .frags = {{'a', "x", "sshd: 10.0.0.1\n"}},
     .addr = "10.0.0.1",
     .verbose = 2,
     .granted = 1,
     .log = "7 matched:  %A.d/x line 1\n"},
    {.name = "warning names the fragment and line",
     .allow = "",
     .deny = "",
     .frags = {{'d', "x", "sshd: 10.0.0.2\nsshd 10.0.0.1\n"}},
     .addr = "10.0.0.1",
     .granted = 1,
     .log = "3 warning: %D.d/x, line 2: missing \":\" separator\n"},
    {.name = "option error names the fragment and line",
     .allow = "",
     .deny = "",
     .frags = {{'d', "x", "\nsshd: 10.0.0.1: bogus\n"}},
     .addr = "10.0.0.1",
     .log = "3 error: %D.d/x, line 2: bad option name: \"bogus\"\n"},
    {.name = "empty fragment",
     .allow = "",
     .deny = "sshd: 10.0.0.1\n",
     .frags = {{'d', "a", ""}},
     .addr = "10.0.0.1"},
};

/* Removes both directories and writes the tables and fragments of c. */
static void write_case(const struct decision_case *c)
{
    char cmd[1400];
    size_t j;

    snprintf(cmd, sizeof(cmd), "rm -rf '%s.d' '%s.d'", hosts_allow_table,
             hosts_deny_table);
    assert_int_equal(system(cmd), 0);
    tl_tables(c->allow, c->deny);
    if (c->allow_dir)
        assert_int_equal(mkdir(tl_path("hosts.allow.d"), 0755), 0);
    if (c->deny_dir)
        assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    for (j = 0; j < TL_COUNT(c->frags) && c->frags[j].name != NULL; j++) {
        const struct fragment *f = &c->frags[j];
        const char *dir = f->table == 'a' ? "hosts.allow.d" : "hosts.deny.d";
        char name[300];

        (void)mkdir(tl_path(dir), 0755);
        snprintf(name, sizeof(name), "%s/%s", dir, f->name);
        tl_write(name, f->text);
    }
}

static void test_decisions(void **state)
{
    struct strbuf want = STRBUF_INIT;
    size_t i, m;
    int failures = 0, ahead;

    (void)state;
    /* Just written (racy) and old enough to be trusted by stat(). */
    for (ahead = 0; ahead < 2; ahead++) {
        clock_run_ahead(ahead ? AHEAD : 0);
        for (i = 0; i < TL_COUNT(decision_cases); i++) {
            const struct decision_case *c = &decision_cases[i];

            write_case(c);
            cache_flush();
            for (m = 0; m < TL_SCAN_MODES; m++) {
                int got;

                tl_config = tl_scan_modes[m].config;
                hosts_access_verbose = c->verbose;
                tl_log_clear();
                got = tl_ctl("sshd", "", c->addr, "");
                hosts_access_verbose = 0;
                sb_reset(&want);
                tl_expand(&want, c->log != NULL ? c->log : "");
                if (got != c->granted ||
                    strcmp(tl_log(), sb_str(&want)) != 0) {
                    print_error("case \"%s\", %s%s: verdict %d (want %d), "
                                "log:\n%swant:\n%s",
                                c->name, tl_scan_modes[m].name,
                                ahead ? ", clock ahead" : "", got, c->granted,
                                tl_log(), sb_str(&want));
                    failures++;
                }
            }
            tl_config = NULL;
        }
    }
    sb_free(&want);
    assert_int_equal(failures, 0);
}

/* Without any .d directory nothing changes: the same verdicts and logs
 * as the tables alone give, and no directory is ever opened. */
static void test_no_directory(void **state)
{
    int i;

    (void)state;
    tl_tables("sshd: 10.0.0.1\nsshd 10.0.0.3\n", "sshd: 10.0.0.2\n");
    for (i = 0; i < 3; i++) {
        struct strbuf want = STRBUF_INIT;

        hosts_access_verbose = 2;
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.2", ""), 0);
        hosts_access_verbose = 0;
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.3", ""), 1);
        tl_expand(&want, "7 matched:  %A line 1\n"
                         "3 warning: %A, line 2: missing \":\" separator\n"
                         "7 matched:  %D line 1\n"
                         "3 warning: %A, line 2: missing \":\" separator\n");
        tl_assert_log(sb_str(&want));
        sb_free(&want);
    }
    assert_int_equal(opendirs, 0);
}

/* ---- changes ---- */

/* Rewrites a file in place with text of the same size and gives it back
 * its modification time: only its change time (and contents) differ. */
static void rewrite_same_mtime(const char *path, const char *text)
{
    struct stat before, after;
    struct timespec times[2];
    int fd;

    assert_int_equal(stat(path, &before), 0);
    assert_int_equal((size_t)before.st_size, strlen(text));
    fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(pwrite(fd, text, strlen(text), 0), (ssize_t)strlen(text));
    times[0] = before.st_atim;
    times[1] = before.st_mtim;
    assert_int_equal(futimens(fd, times), 0);
    close(fd);
    assert_int_equal(stat(path, &after), 0);
    assert_int_equal(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
    assert_int_equal(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
    assert_int_equal(after.st_size, before.st_size);
}

static void frag_write(const char *name, const char *text)
{
    char path[300];

    snprintf(path, sizeof(path), "hosts.deny.d/%s", name);
    tl_write(path, text);
}

static const char *frag(const char *name)
{
    char path[300];

    snprintf(path, sizeof(path), "hosts.deny.d/%s", name);
    return tl_path(path);
}

/* One change to the deny directory after warm decisions, and the
 * verdicts for 10.0.0.1 before and after it. */
struct change_case {
    const char *name;
    void (*change)(void);
    int before, after;
};

static void add_fragment(void)
{
    frag_write("20-new", "sshd: 10.0.0.1\n");
}

static void remove_fragment(void)
{
    assert_int_equal(unlink(frag("10-f")), 0);
}

/* Renames fragment from to to (tl_path()'s buffer is reused). */
static void frag_rename(const char *from, const char *to)
{
    char old[600];

    snprintf(old, sizeof(old), "%s", frag(from));
    assert_int_equal(rename(old, frag(to)), 0);
}

static void rename_over(void)
{
    /* As fail2ban's action and editors do: a hidden temporary file. */
    frag_write(".10-f.tmp", "sshd: 10.0.0.1\n");
    frag_rename(".10-f.tmp", "10-f");
}

static void rename_away(void)
{
    frag_rename("10-f", "10-f.bak");
}

static void append_rule(void)
{
    int fd = open(frag("10-f"), O_WRONLY | O_APPEND);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "sshd: 10.0.0.1\n", 15), 15);
    close(fd);
}

static void edit_same_size(void)
{
    rewrite_same_mtime(frag("10-f"), "sshd: 10.0.0.1\n");
}

static void add_backup(void)
{
    frag_write("10-f~", "sshd: 10.0.0.1\n");
    frag_write("10-f.dpkg-old", "sshd: 10.0.0.1\n");
    frag_write(".#10-f", "sshd: 10.0.0.1\n");
}

static void remove_directory(void)
{
    char cmd[700];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tl_path("hosts.deny.d"));
    assert_int_equal(system(cmd), 0);
}

static void replace_directory(void)
{
    char cmd[900];

    assert_int_equal(mkdir(tl_path("new.d"), 0755), 0);
    tl_write("new.d/10-f", "sshd: 10.0.0.1\n");
    /* In the test directory: %T is the same in both. */
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && rm -rf hosts.deny.d && "
             "mv new.d hosts.deny.d",
             tl_path(""));
    assert_int_equal(system(cmd), 0);
}

static void fragment_to_fifo(void)
{
    assert_int_equal(unlink(frag("10-f")), 0);
    assert_int_equal(mkfifo(frag("10-f"), 0644), 0);
}

static const struct change_case change_cases[] = {
    {.name = "fragment added", .change = add_fragment, .before = 1},
    {.name = "fragment removed",
     .change = remove_fragment,
     .before = 0,
     .after = 1},
    {.name = "fragment renamed over", .change = rename_over, .before = 1},
    {.name = "fragment renamed to a backup name",
     .change = rename_away,
     .before = 0,
     .after = 1},
    {.name = "rule appended", .change = append_rule, .before = 1},
    {.name = "same size, same mtime", .change = edit_same_size, .before = 1},
    {.name = "backup files added",
     .change = add_backup,
     .before = 1,
     .after = 1},
    {.name = "directory removed",
     .change = remove_directory,
     .before = 0,
     .after = 1},
    {.name = "directory replaced", .change = replace_directory, .before = 1},
    {.name = "fragment replaced by a FIFO",
     .change = fragment_to_fifo,
     .before = 0,
     .after = 1},
};

static void test_changes(void **state)
{
    size_t i;
    int ahead, failures = 0;

    (void)state;
    for (ahead = 0; ahead < 2; ahead++) {
        clock_run_ahead(ahead ? AHEAD : 0);
        for (i = 0; i < TL_COUNT(change_cases); i++) {
            const struct change_case *c = &change_cases[i];
            char cmd[700];
            int got;

            snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tl_path("hosts.deny.d"));
            assert_int_equal(system(cmd), 0);
            cache_flush();
            tl_tables("", "sshd: 10.0.0.9\n");
            assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
            frag_write("00-first", "sshd: 10.0.0.8\n");
            /* Deny 10.0.0.1 or not, in the same number of bytes. */
            frag_write("10-f",
                       c->before ? "sshd: 10.0.0.2\n" : "sshd: 10.0.0.1\n");
            frag_write("30-last", "sshd: 10.0.0.7\n");
            assert_int_equal(tl_warm("10.0.0.1"), c->before);
            c->change();
            got = tl_ctl("sshd", "", "10.0.0.1", "");
            if (got != c->after || tl_warm("10.0.0.1") != c->after) {
                print_error("case \"%s\"%s: verdict %d (want %d)\n", c->name,
                            ahead ? ", clock ahead" : "", got, c->after);
                failures++;
            }
            tl_assert_log("");
        }
    }
    assert_int_equal(failures, 0);
}

/* A file system with one-second timestamps (test_cache.c). */
static struct access_config coarse = {.time_granularity_ns = 1000000000L};

/*
 * A fragment rewritten in place, same size, its mtime put back, right
 * after a decision: at one-second granularity stat() usually sees no
 * change at all (the ctime stays in the same second), and only the racy
 * rule catches it.  The real clock: the fragment was just written.
 */
static void test_racy_edit(void **state)
{
    struct stat before, after;
    int i, unchanged = 0;
    const char one[] = "sshd: 10.0.0.1\n", two[] = "sshd: 10.0.0.2\n";

    (void)state;
    tl_config = &coarse;
    tl_tables("", "");
    assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    frag_write("f", two);
    for (i = 0; i < 100; i++) {
        const char *next = i % 2 ? two : one;

        assert_int_equal(tl_warm("10.0.0.1"), i % 2 ? 0 : 1);
        assert_int_equal(stat(frag("f"), &before), 0);
        rewrite_same_mtime(frag("f"), next);
        assert_int_equal(stat(frag("f"), &after), 0);
        if (before.st_ino == after.st_ino &&
            before.st_ctim.tv_sec == after.st_ctim.tv_sec)
            unchanged++;
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), i % 2 ? 1 : 0);
    }
    tl_config = NULL;
    print_message("%d of 100 rewrites left stat() unchanged\n", unchanged);
    assert_true(unchanged > 0);
    tl_assert_log("");
}

/*
 * A last line without its newline (D2) in a small file, old enough to be
 * compiled as it is read (the clock ahead): the compiled fragment and the
 * compiled table keep it, as the streamed first decision does.
 */
static void test_unterminated(void **state)
{
    struct strbuf want = STRBUF_INIT;

    (void)state;
    clock_run_ahead(AHEAD);
    tl_tables("", "sshd: 10.0.0.2");
    assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    frag_write("f", "# bans\nsshd: 10.0.0.1");
    assert_int_equal(tl_warm("10.0.0.1"), 0);
    assert_int_equal(tl_warm("10.0.0.2"), 0);
    assert_int_equal(tl_warm("10.0.0.3"), 1);
    tl_expand(&want, "3 warning: %D, line 1: missing newline at end of file; "
                     "the last line is used anyway\n"
                     "3 warning: %D.d/f, line 2: missing newline at end of "
                     "file; the last line is used anyway\n");
    tl_assert_log(sb_str(&want));
    sb_free(&want);
}

/* ---- cost ---- */

/*
 * A warm decision lists the directory only when its stat() changed: with
 * the clock ahead (the directory is old), never again; with the real
 * clock (it changed a moment ago, and an entry added in the same tick
 * would not show), on every decision.
 */
static void test_warm_does_not_list(void **state)
{
    char name[64];
    int i, listed;

    (void)state;
    tl_tables("", "sshd: 10.0.0.9\n");
    assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    for (i = 0; i < 20; i++) {
        snprintf(name, sizeof(name), "%02d", i);
        frag_write(name, "sshd: 10.1.0.1\nsshd: 10.1.0.2\n");
    }
    /* Racy: listed on each decision. */
    opendirs = 0;
    for (i = 0; i < 5; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(opendirs, 5);
    /* Old: listed once, then kept. */
    clock_run_ahead(AHEAD);
    cache_flush();
    opendirs = 0;
    for (i = 0; i < 100; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.1.0.2", ""), 0);
    assert_int_equal(opendirs, 1);
    /* A change to the directory: listed once more. */
    frag_write("99", "sshd: 10.0.0.1\n");
    for (i = 0; i < 100; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    listed = opendirs;
    assert_int_equal(listed, 2);
    /* The allow table has no directory: nothing is listed for it. */
    tl_assert_log("");
}

/*
 * A table without a drop-in directory is checked, once it is warm, by one
 * stat() of the directory that holds it (shared with the other table):
 * whatever makes the drop-in path appear must show, in the very next
 * decision.  A directory made there, a file turned into a directory, and
 * a dangling symbolic link whose target comes to exist (which changes
 * nothing in the directory that holds the link).
 */
static void test_directory_appears(void **state)
{
    char target[512];
    int i;

    (void)state;
    tl_tables("", "sshd: 10.0.0.9\n");
    clock_run_ahead(AHEAD); /* the directory is old: its stat() is trusted */
    cache_flush();
    for (i = 0; i < 5; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    frag_write("10", "sshd: 10.0.0.1\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    /* Gone again. */
    assert_int_equal(unlink(tl_path("hosts.deny.d/10")), 0);
    assert_int_equal(rmdir(tl_path("hosts.deny.d")), 0);
    for (i = 0; i < 5; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    /* A file of that name is no directory; replaced by one, it counts. */
    tl_write("hosts.deny.d", "not a directory\n");
    for (i = 0; i < 5; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(unlink(tl_path("hosts.deny.d")), 0);
    assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    frag_write("10", "sshd: 10.0.0.1\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    assert_int_equal(unlink(tl_path("hosts.deny.d/10")), 0);
    assert_int_equal(rmdir(tl_path("hosts.deny.d")), 0);
    /* A dangling link, then its target, in a directory of its own. */
    assert_int_equal(mkdir(tl_path("sub"), 0755), 0);
    snprintf(target, sizeof(target), "%s", tl_path("sub/elsewhere"));
    assert_int_equal(symlink(target, tl_path("hosts.deny.d")), 0);
    for (i = 0; i < 5; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(mkdir(tl_path("sub/elsewhere"), 0755), 0);
    tl_write("sub/elsewhere/10", "sshd: 10.0.0.1\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    /* With the real clock, the directory changed a moment ago: its
     * stat() is not trusted (nor taken), the drop-in path's is. */
    assert_int_equal(unlink(tl_path("hosts.deny.d")), 0);
    clock_run_ahead(0);
    for (i = 0; i < 5; i++)
        assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 1);
    assert_int_equal(mkdir(tl_path("hosts.deny.d"), 0755), 0);
    frag_write("10", "sshd: 10.0.0.1\n");
    assert_int_equal(tl_ctl("sshd", "", "10.0.0.1", ""), 0);
    tl_assert_log("");
}

/* ---- failing closed ---- */

/*
 * Runs one decision for 10.0.0.1 as user and group 65534 in a child;
 * returns its verdict, the log in *log.
 */
static int decide_as_nobody(struct strbuf *log)
{
    int p[2], status;
    pid_t pid;
    char buf[1024];
    ssize_t n;

    assert_int_equal(chmod(tl_path(""), 0755), 0);
    assert_int_equal(pipe(p), 0);
    cache_flush();
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int got;

        close(p[0]);
        if (setegid(65534) != 0 || seteuid(65534) != 0)
            _exit(10);
        diag_set_sink(tn_log_to_fd, &p[1]);
        got = tl_ctl("sshd", "", "10.0.0.1", "");
        _exit(got);
    }
    close(p[1]);
    while ((n = read(p[0], buf, sizeof(buf))) > 0)
        sb_append(log, buf, (size_t)n);
    close(p[0]);
    status = tl_wait(pid, 10);
    assert_true(WIFEXITED(status));
    assert_true(WEXITSTATUS(status) <= 1);
    return WEXITSTATUS(status);
}

struct closed_case {
    const char *name;
    const char *path; /* made unreadable (mode 0700 or 0600), in %T */
    int granted;
    const char *log;
};

static const struct closed_case closed_cases[] = {
    {.name = "unreadable deny fragment",
     .path = "hosts.deny.d/20-b",
     .log = "3 warning: cannot open %D.d/20-b: Permission denied\n"
            "3 warning: access denied: %D.d/20-b could not be evaluated\n"},
    {.name = "unreadable allow fragment",
     .path = "hosts.allow.d/x",
     .log = "3 warning: cannot open %A.d/x: Permission denied\n"
            "3 warning: access denied: %A.d/x could not be evaluated\n"},
    {.name = "unlistable deny directory",
     .path = "hosts.deny.d",
     .log = "3 warning: cannot list %D.d: Permission denied\n"
            "3 warning: access denied: %D could not be evaluated\n"},
    {.name = "unlistable allow directory",
     .path = "hosts.allow.d",
     .log = "3 warning: cannot list %A.d: Permission denied\n"
            "3 warning: access denied: %A could not be evaluated\n"},
    {.name = "everything readable", .granted = 1},
};

static void test_fail_closed(void **state)
{
    struct strbuf log = STRBUF_INIT, want = STRBUF_INIT;
    size_t i;
    int failures = 0;

    (void)state;
    if (geteuid() != 0)
        skip();
    for (i = 0; i < TL_COUNT(closed_cases); i++) {
        const struct closed_case *c = &closed_cases[i];
        const struct decision_case setup_case = {
            .allow = "",
            .deny = "",
            .frags = {{'a', "x", "sshd: 10.0.0.2\n"},
                      {'d', "10-a", "sshd: 10.0.0.3\n"},
                      {'d', "20-b", "sshd: 10.0.0.4\n"}},
        };
        int got;

        write_case(&setup_case);
        if (c->path != NULL) {
            struct stat st;

            assert_int_equal(stat(tl_path(c->path), &st), 0);
            assert_int_equal(
                chmod(tl_path(c->path), S_ISDIR(st.st_mode) ? 0700 : 0600), 0);
        }
        sb_reset(&log);
        sb_reset(&want);
        got = decide_as_nobody(&log);
        tl_expand(&want, c->log != NULL ? c->log : "");
        if (got != c->granted || strcmp(sb_str(&log), sb_str(&want)) != 0) {
            print_error("case \"%s\": verdict %d (want %d), log:\n%swant:\n%s",
                        c->name, got, c->granted, sb_str(&log), sb_str(&want));
            failures++;
        }
    }
    sb_free(&log);
    sb_free(&want);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_racy_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unterminated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_warm_does_not_list, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_directory_appears, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fail_closed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
