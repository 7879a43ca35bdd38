/*
 * options.c - the option language of hosts_options(5).
 *
 * Exports process_options() and the options_* functions of options.h.
 *
 * An option field is a ':'-separated list (a '\:' is a literal colon) of
 * "keyword [[=] value]" items, run left to right.  Each item is checked
 * before it runs: a known keyword, a value when one is required and none
 * when none is allowed, and allow/deny/twist only as the last item.  Any
 * error is logged as "error: <table>, line <n>: ..." and denies the
 * request; what earlier items did stays done.  Texts, priorities and the
 * odd corners of the parser (which white space counts where, how numbers
 * overflow) are Debian's, as observed.
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
#include <strings.h>
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
#include "percent.h"
#include "strbuf.h"

/* Characters that end a keyword or separate a name from its value. */
#define OPTION_BLANKS " \t\r\n"

/* Option flags. */
#define NEEDS_VALUE 0x1 /* a value is required */
#define NO_VALUE    0x2 /* a value is an error (neither: optional) */
#define LAST        0x4 /* must be the last option of the field */
#define EXPAND      0x8 /* the value is %-expanded before use */

struct option_def {
    const char *name;
    unsigned flags;
    enum option_result (*run)(char *value, struct request_info *r);
};

/* ---- numbers ---- */

/* Reduces v modulo 2^32 into an int, as glibc's scanf stores "%d". */
static int wrap_int(unsigned long v)
{
    uint32_t u = (uint32_t)v;

    if (u <= INT_MAX)
        return (int)u;
    return -(int)(UINT32_MAX - u) - 1;
}

/* A whole decimal int, read as Debian's scanf("%d") reads it. */
bool options_scan_int(const char *s, int *out)
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
bool options_scan_octal(const char *s, unsigned int *out)
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

struct syslog_name {
    const char *name;
    int value;
};

/* The facility names of <syslog.h> (compat-policy D13; Debian knows only
 * kern..uucp, cron and local0..7).  The internal "mark" is left out. */
static const struct syslog_name facilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV},
    {"cron", LOG_CRON},     {"daemon", LOG_DAEMON},
    {"ftp", LOG_FTP},       {"kern", LOG_KERN},
    {"lpr", LOG_LPR},       {"mail", LOG_MAIL},
    {"news", LOG_NEWS},     {"security", LOG_AUTH},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER},
    {"uucp", LOG_UUCP},     {"local0", LOG_LOCAL0},
    {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},
    {"local5", LOG_LOCAL5}, {"local6", LOG_LOCAL6},
    {"local7", LOG_LOCAL7}, {NULL, 0},
};

/* The level names of <syslog.h>, aliases included (D13); the internal
 * "none" is left out. */
static const struct syslog_name levels[] = {
    {"alert", LOG_ALERT},  {"crit", LOG_CRIT},       {"debug", LOG_DEBUG},
    {"emerg", LOG_EMERG},  {"err", LOG_ERR},         {"error", LOG_ERR},
    {"info", LOG_INFO},    {"notice", LOG_NOTICE},   {"panic", LOG_EMERG},
    {"warn", LOG_WARNING}, {"warning", LOG_WARNING}, {NULL, 0},
};

/* Looks name up in table, ignoring case. */
static bool find_syslog_name(const struct syslog_name *table, const char *name,
                             int *value)
{
    for (; table->name != NULL; table++) {
        if (strcasecmp(table->name, name) == 0) {
            *value = table->value;
            return true;
        }
    }
    return false;
}

/* "[facility.]level" into a priority. */
bool options_parse_severity(char *value, int *priority, const char **bad)
{
    char *dot = strchr(value, '.');
    const char *level = value;
    int facility = 0, level_value;

    if (dot != NULL) {
        *dot = '\0';
        level = dot + 1;
        if (!find_syslog_name(facilities, value, &facility)) {
            *bad = value;
            return false;
        }
    }
    if (!find_syslog_name(levels, level, &level_value)) {
        *bad = level;
        return false;
    }
    *priority = facility | level_value;
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
    if (!options_scan_octal(value, &mask) || mask > 0777) {
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
    if (!options_parse_severity(value, &priority, &bad)) {
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

    if (!options_scan_int(value, &seconds) || seconds < 0) {
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
        if (!options_scan_int(value, &seconds) || seconds <= 0) {
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
    if (*value != '\0' && !options_scan_int(value, &increment)) {
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

static const struct option_def option_table[] = {
    {"user", NEEDS_VALUE, opt_user},
    {"group", NEEDS_VALUE, opt_group},
    {"umask", NEEDS_VALUE, opt_umask},
    {"linger", NEEDS_VALUE, opt_linger},
    {"keepalive", NO_VALUE, opt_keepalive},
    {"spawn", NEEDS_VALUE | EXPAND, opt_spawn},
    {"twist", NEEDS_VALUE | EXPAND | LAST, opt_twist},
    {"rfc931", 0, opt_rfc931},
    {"setenv", NEEDS_VALUE | EXPAND, opt_setenv},
    {"nice", 0, opt_nice},
    {"severity", NEEDS_VALUE, opt_severity},
    {"allow", NO_VALUE | LAST, opt_allow},
    {"deny", NO_VALUE | LAST, opt_deny},
    {"banners", NEEDS_VALUE, opt_banners},
    {"aclexec", NEEDS_VALUE | EXPAND, opt_aclexec},
    {NULL, 0, NULL},
};

/* ---- the field ---- */

/* Strips isspace() characters from both ends of s, in place. */
static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        end--;
    *end = '\0';
    return s;
}

/*
 * Cuts the next option off the text at *p: up to the first ':' that has
 * no backslash before it, with each "\:" turned into ':' (any other
 * backslash stays).  Returns the option; *more tells whether a ':'
 * followed, and *p moves past it.
 */
static char *next_option(char **p, bool *more)
{
    char *in = *p, *out = *p, *start = *p;

    *more = false;
    while (*in != '\0') {
        if (in[0] == '\\' && in[1] == ':') {
            *out++ = ':';
            in += 2;
        } else if (*in == ':') {
            *more = true;
            in++;
            break;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    *p = in;
    return start;
}

/* Checks and runs one option; more tells whether others follow. */
static enum option_result run_one(char *text, bool more,
                                  struct request_info *r)
{
    const struct option_def *def;
    struct strbuf expanded = STRBUF_INIT;
    enum option_result result;
    char *name, *value;
    size_t name_len;

    name = trim(text);
    if (*name == '\0') {
        diag_error("missing option name");
        return OPTIONS_DENY;
    }
    /* The keyword ends at a blank or '='; then one '=' may appear, with
     * blanks on either side.  Only these four blanks count here. */
    name_len = strcspn(name, OPTION_BLANKS "=");
    value = name + name_len;
    value += strspn(value, OPTION_BLANKS);
    if (*value == '=') {
        value++;
        value += strspn(value, OPTION_BLANKS);
    }
    name[name_len] = '\0';

    for (def = option_table; def->name != NULL; def++)
        if (strcasecmp(def->name, name) == 0)
            break;
    if (def->name == NULL) {
        diag_error("bad option name: \"%s\"", name);
        return OPTIONS_DENY;
    }
    if ((def->flags & NO_VALUE) && *value != '\0') {
        diag_error("option \"%s\" requires no value", name);
        return OPTIONS_DENY;
    }
    if ((def->flags & NEEDS_VALUE) && *value == '\0') {
        diag_error("option \"%s\" requires value", name);
        return OPTIONS_DENY;
    }
    if ((def->flags & LAST) && more) {
        diag_error("option \"%s\" must be at end", name);
        return OPTIONS_DENY;
    }
    if (def->flags & EXPAND) {
        if (!percent_expand(&expanded, value, r) ||
            !sb_reserve(&expanded, 0)) {
            sb_free(&expanded);
            diag_error("memory allocation failure");
            return OPTIONS_DENY;
        }
        value = trim(expanded.data);
    }
    if (hosts_access_verbose)
        diag_log(LOG_DEBUG, "option:   %s %s", name, value);
    result = def->run(value, r);
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
        char *text = next_option(&p, &more);
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
