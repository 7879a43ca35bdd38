/*
 * options.c - the option language of hosts_options(5).
 *
 * Exports process_options() and options_run() of options.h.
 *
 * An option field is a ':'-separated list (a '\:' is a literal colon) of
 * "keyword [[=] value]" items, run left to right.  Each item is checked
 * before it runs: a known keyword, a value when one is required and none
 * when none is allowed, and allow/deny/twist only as the last item.  Any
 * error is logged as "error: <table>, line <n>: ..." and denies the
 * request; what earlier items did stays done.  Texts, priorities and the
 * odd corners of the parser (which white space counts where, how numbers
 * overflow) are Debian's, as observed.  The options, the syslog names
 * and the cutting of a field into options are optspec.c's, shared with
 * tcpdchk.
 *
 * Deliberate differences (compat-policy): aclexec is a condition of its
 * rule (D8); user and group change the identity outside dry-run mode
 * only (D9); severity knows every <syslog.h> name (D13); expansions have
 * no length limit and never end the process (D3).
 */
#include "options.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "banners.h"
#include "child.h"
#include "common.h"
#include "diag.h"
#include "exports.h"
#include "optspec.h"
#include "percent.h"
#include "strbuf.h"

/* Characters that separate a setenv name from its value. */
#define OPTION_BLANKS " \t\r\n"

/* ---- numbers ---- */

/* Reduces v modulo 2^32 into an int, as glibc's scanf stores "%d". */
static int wrap_int(unsigned long v)
{
    uint32_t u = (uint32_t)v;

    if (u <= INT_MAX)
        return (int)u;
    return -(int)(UINT32_MAX - u) - 1;
}

/*
 * The numbers of option values are read as Debian reads them with
 * scanf(): leading white space and a sign are allowed, nothing may
 * follow, and a value outside the type's range is reduced modulo 2^32
 * the way glibc does (so "4294967297" reads as 1).
 */

/* A whole decimal int, read as Debian's scanf("%d") reads it. */
static bool scan_int(const char *s, int *out)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    if (end == s || *end != '\0')
        return false;
    /* Out of range, strtol() saturates, and so does scanf(). */
    *out = wrap_int((unsigned long)v);
    return true;
}

/* A whole octal number, read as Debian's scanf("%o") reads it. */
static bool scan_octal(const char *s, unsigned int *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 8);
    if (end == s || *end != '\0')
        return false;
    *out = (unsigned int)v;
    return true;
}

/* ---- severity ---- */

/* Reads "[facility.]level" (names as in <syslog.h>, any case) into a
 * priority; value is cut at the '.'.  On failure *bad is the part that
 * was not understood. */
static bool parse_severity(char *value, int *priority, const char **bad)
{
    char *dot = strchr(value, '.');
    const char *level = value;
    const struct syslog_name *facility = NULL, *found;

    if (dot != NULL) {
        *dot = '\0';
        level = dot + 1;
        if ((facility = syslog_facility_find(value)) == NULL) {
            *bad = value;
            return false;
        }
    }
    if ((found = syslog_level_find(level)) == NULL) {
        *bad = level;
        return false;
    }
    *priority = (facility != NULL ? facility->value : 0) | found->value;
    return true;
}

/* ---- identities ---- */

/* Largest buffer offered to getpwnam_r() and getgrnam_r(). */
#define MAX_LOOKUP_BUFFER (1U << 20)

/* A user's uid and primary group, or false when there is none. */
static bool find_user(const char *name, uid_t *uid, gid_t *gid)
{
    struct passwd pw, *found = NULL;
    char *buf = NULL, *bigger;
    size_t size;
    int error = ERANGE;

    for (size = 1024; error == ERANGE && size <= MAX_LOOKUP_BUFFER;
         size *= 2) {
        if ((bigger = realloc(buf, size)) == NULL)
            break;
        buf = bigger;
        error = getpwnam_r(name, &pw, buf, size, &found);
    }
    if (error == 0 && found != NULL) {
        *uid = pw.pw_uid;
        *gid = pw.pw_gid;
    }
    free(buf);
    return error == 0 && found != NULL;
}

/* A group's gid, or false when there is none. */
static bool find_group(const char *name, gid_t *gid)
{
    struct group gr, *found = NULL;
    char *buf = NULL, *bigger;
    size_t size;
    int error = ERANGE;

    for (size = 1024; error == ERANGE && size <= MAX_LOOKUP_BUFFER;
         size *= 2) {
        if ((bigger = realloc(buf, size)) == NULL)
            break;
        buf = bigger;
        error = getgrnam_r(name, &gr, buf, size, &found);
    }
    if (error == 0 && found != NULL)
        *gid = gr.gr_gid;
    free(buf);
    return error == 0 && found != NULL;
}

/* ---- the options ---- */

/* Grants at once. */
static enum option_result opt_allow(char *value, struct request_info *r)
{
    (void)value;
    (void)r;
    return OPTIONS_ALLOW;
}

/* Denies at once. */
static enum option_result opt_deny(char *value, struct request_info *r)
{
    (void)value;
    (void)r;
    return OPTIONS_DENY;
}

/* Runs a command beside the conversation. */
static enum option_result opt_spawn(char *value, struct request_info *r)
{
    (void)r;
    if (!dry_run)
        shell_cmd(value); /* by name: tcpdmatch replaces it */
    return OPTIONS_DEFAULT;
}

/* Replaces the process by a command talking to the client. */
static enum option_result opt_twist(char *value, struct request_info *r)
{
    if (dry_run) {
        /* tcpdmatch reads this as "delegated". */
        dry_run = 0;
        return OPTIONS_DEFAULT;
    }
    if (resident > 0) {
        diag_error("twist option in resident process");
        return OPTIONS_DENY;
    }
    diag_log(deny_severity, "twist %s to %s", eval_client(r), value);
    child_twist(value, r->fd);
    clean_exit(r); /* by name: the tools replace it */
    return OPTIONS_DENY;
}

/* A command whose exit status decides whether the rule applies (D8). */
static enum option_result opt_aclexec(char *value, struct request_info *r)
{
    struct child_exit ex;

    (void)r;
    if (dry_run)
        return OPTIONS_DEFAULT;
    switch (child_run(value, CHILD_ACLEXEC, &ex)) {
    case CHILD_NOT_STARTED:
        diag_error("aclexec_option: /bin/sh: %m");
        return OPTIONS_DENY;
    case CHILD_LOST:
        diag_error("aclexec_option: /bin/sh: exit status lost");
        return OPTIONS_DENY;
    case CHILD_DONE:
        break;
    }
    if (WIFEXITED(ex.status) && WEXITSTATUS(ex.status) == 0)
        return OPTIONS_DEFAULT;
    if (WIFSIGNALED(ex.status))
        diag_warn("process %d exited with signal %d", (int)ex.pid,
                  WTERMSIG(ex.status));
    /* Debian's text whatever the status: it logs its failure flag. */
    diag_log(LOG_INFO, "aclexec returned 1");
    return OPTIONS_NO_MATCH;
}

/* Sends the banner file of the daemon to the client. */
static enum option_result opt_banners(char *value, struct request_info *r)
{
    if (!banners_send(value, r)) {
        diag_error("memory allocation failure");
        return OPTIONS_DENY;
    }
    return OPTIONS_DEFAULT;
}

/* "name value": the name is the first word, the rest is the value. */
static enum option_result opt_setenv(char *value, struct request_info *r)
{
    char *name = value, *rest = value + strcspn(value, OPTION_BLANKS);

    (void)r;
    if (*rest != '\0') {
        *rest++ = '\0';
        while (isspace((unsigned char)*rest))
            rest++;
    }
    if (setenv(name, rest, 1) != 0) {
        /* Debian's text, whatever setenv() failed on. */
        diag_error("memory allocation failure");
        return OPTIONS_DENY;
    }
    return OPTIONS_DEFAULT;
}

/* Sets the process umask (octal, at most 0777). */
static enum option_result opt_umask(char *value, struct request_info *r)
{
    unsigned int mask;

    (void)r;
    if (!scan_octal(value, &mask) || mask > 0777) {
        diag_error("bad umask value: \"%s\"", value);
        return OPTIONS_DENY;
    }
    (void)umask((mode_t)mask);
    return OPTIONS_DEFAULT;
}

/* Sets allow_severity and deny_severity. */
static enum option_result opt_severity(char *value, struct request_info *r)
{
    const char *bad;
    int priority;

    (void)r;
    if (!parse_severity(value, &priority, &bad)) {
        diag_error("bad syslog facility or severity: \"%s\"", bad);
        return OPTIONS_DENY;
    }
    /* Process-wide and lasting, as with Debian. */
    allow_severity = priority;
    deny_severity = priority;
    return OPTIONS_DEFAULT;
}

/* Turns on TCP keepalives for the client socket. */
static enum option_result opt_keepalive(char *value, struct request_info *r)
{
    static const int on = 1;

    (void)value;
    if (!dry_run &&
        setsockopt(r->fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on)) < 0)
        diag_warn("setsockopt SO_KEEPALIVE: %m");
    return OPTIONS_DEFAULT;
}

/* Sets SO_LINGER on the client socket (0: off). */
static enum option_result opt_linger(char *value, struct request_info *r)
{
    struct linger lg;
    int seconds;

    if (!scan_int(value, &seconds) || seconds < 0) {
        diag_error("bad linger value: \"%s\"", value);
        return OPTIONS_DENY;
    }
    lg.l_onoff = seconds != 0;
    lg.l_linger = seconds;
    if (!dry_run &&
        setsockopt(r->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0)
        diag_warn("setsockopt SO_LINGER %d: %m", seconds);
    return OPTIONS_DEFAULT;
}

/* An optional timeout for all later lookups, then the lookup itself. */
static enum option_result opt_rfc931(char *value, struct request_info *r)
{
    int seconds;

    if (*value != '\0') {
        if (!scan_int(value, &seconds) || seconds <= 0) {
            diag_error("bad rfc931 timeout: \"%s\"", value);
            return OPTIONS_DENY;
        }
        rfc931_timeout = seconds;
    }
    (void)eval_user(r);
    return OPTIONS_DEFAULT;
}

/*
 * nice() changes only the calling thread on Linux.  Gives the process's
 * other threads the same value, so that the option is process-wide as
 * the manual describes it (compat-policy D7).
 */
static void renice_other_threads(void)
{
#ifdef __linux__
    struct dirent *e;
    pid_t self = gettid();
    int value;
    DIR *d;

    errno = 0;
    value = getpriority(PRIO_PROCESS, 0);
    if ((value == -1 && errno != 0) ||
        (d = opendir("/proc/self/task")) == NULL)
        return;
    while ((e = readdir(d)) != NULL) {
        char *end;
        long tid = strtol(e->d_name, &end, 10);

        if (*end == '\0' && tid > 0 && tid != (long)self)
            (void)setpriority(PRIO_PROCESS, (id_t)tid, value);
    }
    closedir(d);
#endif
}

/* Lowers (or raises) the priority of the process; 10 by default. */
static enum option_result opt_nice(char *value, struct request_info *r)
{
    int increment = 10;

    (void)r;
    if (*value != '\0' && !scan_int(value, &increment)) {
        diag_error("bad nice value: \"%s\"", value);
        return OPTIONS_DENY;
    }
    if (!dry_run) {
        /* Like Debian, a negative result counts as a failure even when
         * errno says otherwise ("nice(-3): Success"). */
        errno = 0;
        if (nice(increment) < 0)
            diag_warn("nice(%d): %m", increment);
        renice_other_threads();
    }
    return OPTIONS_DEFAULT;
}

/*
 * "user name" or "user name.group".  Names are checked in every mode,
 * the group first as Debian does; the identity changes only outside
 * dry-run mode (compat-policy D9: Debian has this the wrong way round),
 * groups before the uid so that the uid change cannot prevent them.
 */
static enum option_result opt_user(char *value, struct request_info *r)
{
    char *group = strchr(value, '.');
    uid_t uid;
    gid_t gid, user_gid;

    (void)r;
    if (group != NULL)
        *group++ = '\0';
    if (group != NULL && !find_group(group, &gid)) {
        diag_error("unknown group: \"%s\"", group);
        return OPTIONS_DENY;
    }
    if (!find_user(value, &uid, &user_gid)) {
        diag_error("unknown user: \"%s\"", value);
        return OPTIONS_DENY;
    }
    if (group == NULL)
        gid = user_gid;
    if (dry_run)
        return OPTIONS_DEFAULT;
    if (setgid(gid) < 0) {
        diag_error("setgid(%s): %m", group != NULL ? group : value);
        return OPTIONS_DENY;
    }
    if (initgroups(value, gid) < 0) {
        diag_error("initgroups(%s): %m", value);
        return OPTIONS_DENY;
    }
    if (setuid(uid) < 0) {
        diag_error("setuid(%s): %m", value);
        return OPTIONS_DENY;
    }
    return OPTIONS_DEFAULT;
}

/* "group name" (undocumented): the gid, and no supplementary groups,
 * which is what Debian leaves behind. */
static enum option_result opt_group(char *value, struct request_info *r)
{
    gid_t gid;

    (void)r;
    if (!find_group(value, &gid)) {
        diag_error("unknown group: \"%s\"", value);
        return OPTIONS_DENY;
    }
    if (dry_run)
        return OPTIONS_DEFAULT;
    if (setgid(gid) < 0) {
        diag_error("setgid(%s): %m", value);
        return OPTIONS_DENY;
    }
    if (setgroups(0, NULL) < 0) {
        diag_error("setgroups(%s): %m", value);
        return OPTIONS_DENY;
    }
    return OPTIONS_DEFAULT;
}

/* Runs the option id with its (checked, expanded) value. */
static enum option_result run_option(enum option_id id, char *value,
                                     struct request_info *r)
{
    switch (id) {
    case OPTION_USER:
        return opt_user(value, r);
    case OPTION_GROUP:
        return opt_group(value, r);
    case OPTION_UMASK:
        return opt_umask(value, r);
    case OPTION_LINGER:
        return opt_linger(value, r);
    case OPTION_KEEPALIVE:
        return opt_keepalive(value, r);
    case OPTION_SPAWN:
        return opt_spawn(value, r);
    case OPTION_TWIST:
        return opt_twist(value, r);
    case OPTION_RFC931:
        return opt_rfc931(value, r);
    case OPTION_SETENV:
        return opt_setenv(value, r);
    case OPTION_NICE:
        return opt_nice(value, r);
    case OPTION_SEVERITY:
        return opt_severity(value, r);
    case OPTION_ALLOW:
        return opt_allow(value, r);
    case OPTION_DENY:
        return opt_deny(value, r);
    case OPTION_BANNERS:
        return opt_banners(value, r);
    case OPTION_ACLEXEC:
        return opt_aclexec(value, r);
    }
    /* Not reached: the switch names every option (-Wswitch). */
    return OPTIONS_DENY;
}

/* ---- the field ---- */

/* Checks and runs one option; more tells whether others follow. */
static enum option_result run_one(char *text, bool more,
                                  struct request_info *r)
{
    const struct option_spec *def;
    struct strbuf expanded = STRBUF_INIT;
    enum option_result result;
    char *name, *value;

    if ((name = option_split(text, &value)) == NULL) {
        diag_error("missing option name");
        return OPTIONS_DENY;
    }
    if ((def = option_find(name)) == NULL) {
        diag_error("bad option name: \"%s\"", name);
        return OPTIONS_DENY;
    }
    if (def->arg == OPTION_ARG_NONE && *value != '\0') {
        diag_error("option \"%s\" requires no value", name);
        return OPTIONS_DENY;
    }
    if (def->arg == OPTION_ARG_REQUIRED && *value == '\0') {
        diag_error("option \"%s\" requires value", name);
        return OPTIONS_DENY;
    }
    if ((def->effects & OPTION_LAST) && more) {
        diag_error("option \"%s\" must be at end", name);
        return OPTIONS_DENY;
    }
    if (def->effects & OPTION_EXPAND) {
        if (!percent_expand(&expanded, value, r) ||
            !sb_reserve(&expanded, 0)) {
            sb_free(&expanded);
            diag_error("memory allocation failure");
            return OPTIONS_DENY;
        }
        value = option_trim(expanded.data);
    }
    if (hosts_access_verbose)
        diag_log(LOG_DEBUG, "option:   %s %s", name, value);
    result = run_option(def->id, value, r);
    sb_free(&expanded);
    return result;
}

/* Runs an option field, item by item, until one decides or fails. */
enum option_result options_run(const char *field, struct request_info *r)
{
    struct strbuf copy = STRBUF_INIT;
    enum option_result result = OPTIONS_DEFAULT;
    bool more = true;
    char *p;

    if (r == NULL) {
        diag_error("no request for the options");
        return OPTIONS_DENY;
    }
    /* A null field reads as an empty one: "missing option name". */
    if (!sb_puts(&copy, field != NULL ? field : "") || !sb_reserve(&copy, 0)) {
        sb_free(&copy);
        diag_error("memory allocation failure");
        return OPTIONS_DENY;
    }
    p = copy.data;
    while (more && result == OPTIONS_DEFAULT) {
        char *text = option_cut(&p, &more);
        result = run_one(text, more, r);
    }
    sb_free(&copy);
    return result;
}

/* Runs an option field; a verdict or an error jumps to tcpd_buf. */
LIBWRAP_API void process_options(char *options, struct request_info *r)
{
    switch (options_run(options, r)) {
    case OPTIONS_ALLOW:
        longjmp(tcpd_buf, AC_PERMIT);
    case OPTIONS_DENY:
        longjmp(tcpd_buf, AC_DENY);
    case OPTIONS_DEFAULT:
    case OPTIONS_NO_MATCH:
        break;
    }
}
