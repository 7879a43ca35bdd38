/*
 * lint.c - tcpdchk's checks for mistakes that fail silently.
 *
 * Debian's checks (tcpdchk.c) look at each pattern for what tcp_wrappers
 * 7.6 already knew to be wrong.  These look for what a rule file can get
 * wrong without any error at all: text that is not what it seems (a
 * bare IPv6 address, '#' after column 0, unbalanced brackets), numbers
 * that are not read as written (octal and hex quads, prefix lengths read
 * by atoi(), an exact address that looks like a network, a net with host
 * bits), rules that can never match, options that are wrong past the
 * first error the library stops at, and files, directories and programs
 * that do not exist.  DOS line endings are named too: a backslash
 * before one continues nothing.  Each finding ends in "[<check>]"
 * (tcpdchk(8)).
 */
#define SYSLOG_NAMES
#include <arpa/inet.h>
#include <ctype.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "strbuf.h"
#include "tcpd.h"
#include "tcpdchk.h"

/* Debian's libwrap reads at most this many bytes of a logical line. */
#define DEBIAN_LINE_MAX 2046

/* Lints a logical line as text: length, final newline, indented #. */
void lint_line(const char *text, size_t len, bool unterminated,
               bool allow_table)
{
    size_t content = len, i;

    if (content > 0 && text[content - 1] == '\n')
        content--;
    if (content > DEBIAN_LINE_MAX)
        lint("long-line",
             "line is %zu bytes long; Debian's libwrap reads at most %d "
             "and then ignores the rest of the table (not portable)",
             content, DEBIAN_LINE_MAX);
    if (unterminated)
        lint("no-final-newline",
             "the last line has no newline; Debian's libwrap ignores it "
             "and %s (not portable)",
             allow_table ? "falls through to hosts.deny"
                         : "then denies everything hosts.allow does not "
                           "grant");
    /* "\\\r\n" is no continuation: the next line starts a new rule. */
    if (content >= 2 && text[content - 1] == '\r' && text[content - 2] == '\\')
        lint("dos-line-ending",
             "the line ends in a backslash and CR LF (a DOS line ending), "
             "so the backslash does not join the next line to it");
    for (i = 0; i < content && (text[i] == ' ' || text[i] == '\t'); i++)
        ;
    if (i > 0 && i < content && text[i] == '#')
        lint("hash-comment",
             "'#' is a comment only in column 0; this indented line is a "
             "rule");
}

/* True when s holds the bracketed text b as written. */
static bool written(const char *text, size_t len, const char *b)
{
    size_t n = strlen(b);

    for (; len >= n; text++, len--) {
        if (strncasecmp(text, b, n) == 0)
            return true;
    }
    return false;
}

/* True when the parser bracketed a bare IPv6 address in item (D10):
 * item holds "[...]" that the text does not; *open and *close are set to
 * the brackets. */
static bool parser_bracketed(const char *text, size_t len, const char *item,
                             const char **open, const char **close)
{
    struct strbuf bracketed = STRBUF_INIT;
    bool found;

    if ((*open = strchr(item, '[')) == NULL ||
        (*close = strchr(*open, ']')) == NULL)
        return false;
    sb_append(&bracketed, *open, (size_t)(*close - *open + 1));
    found = !sb_failed(&bracketed) && !written(text, len, bracketed.data);
    sb_free(&bracketed);
    return found;
}

/* True when the parser bracketed a bare IPv6 address in either list. */
bool lint_has_bare_v6(const char *text, size_t len, const struct rule *r)
{
    const char *open, *close;
    size_t i;

    for (i = 0; i < r->daemons.count; i++) {
        if (parser_bracketed(text, len, r->daemons.items[i], &open, &close))
            return true;
    }
    for (i = 0; i < r->clients.count; i++) {
        if (parser_bracketed(text, len, r->clients.items[i], &open, &close))
            return true;
    }
    return false;
}

/* Patterns that the parser had to bracket (compat-policy D10). */
static void lint_bare_v6(const char *text, size_t len,
                         const struct pattern_list *list)
{
    const char *open, *close;
    size_t i;

    for (i = 0; i < list->count; i++) {
        const char *item = list->items[i];

        if (parser_bracketed(text, len, item, &open, &close))
            lint("bare-ipv6",
                 "%.*s: bare IPv6 address; Debian's libwrap splits the "
                 "rule at its colons (write %s)",
                 (int)(close - open - 1), open + 1, item);
    }
}

/* Lints a parsed rule against its text: brackets, bare IPv6, mid-line #. */
void lint_rule(const char *text, size_t len, const struct rule *r)
{
    size_t i, fields = 0;
    int depth = 0, lowest = 0;

    /* The list fields end at the second ':' outside brackets. */
    for (i = 0; i < len && fields < 2; i++) {
        if (text[i] == '[')
            depth++;
        else if (text[i] == ']' && --depth < lowest)
            lowest = depth;
        else if (text[i] == ':' && depth == 0)
            fields++;
    }
    if (lowest < 0 || (fields < 2 && depth != 0))
        lint("unbalanced-brackets",
             "unbalanced '[' or ']': every ':' after it is taken as part "
             "of a pattern");
    lint_bare_v6(text, len, &r->daemons);
    lint_bare_v6(text, len, &r->clients);
    if (len > 0 && text[len - 1] == '\n')
        len--;
    if (len >= 2 && text[len - 1] == '\r' && text[len - 2] != '\\')
        lint("dos-line-ending",
             "the line ends in CR LF (a DOS line ending); libwrap reads the "
             "CR as a blank%s",
             r->options != NULL ? ""
                                : ", Debian's tcpdchk as part of the last "
                                  "client pattern");
    for (i = 0; i < r->clients.count; i++) {
        if (r->clients.items[i][0] == '#')
            lint("hash-comment",
                 "%s: '#' is a comment only in column 0; here it and the "
                 "words after it are patterns",
                 r->clients.items[i]);
    }
    for (i = 1; i < r->daemons.count; i++) {
        if (r->daemons.items[i][0] == '#')
            lint("hash-comment",
                 "%s: '#' is a comment only in column 0; here it and the "
                 "words after it are patterns",
                 r->daemons.items[i]);
    }
}

/* Four dot-separated runs of digits (hex allowed): what inet_addr()
 * reads; true when a run is octal or hex. */
static bool odd_quad(const char *s, size_t n)
{
    size_t i, runs = 0, start = 0;
    bool odd = false;

    for (i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (i == start)
                return false;
            if ((i - start > 1 && s[start] == '0') ||
                (i - start > 1 &&
                 (s[start + 1] == 'x' || s[start + 1] == 'X')))
                odd = true;
            runs++;
            start = i + 1;
        } else if (!isxdigit((unsigned char)s[i]) && s[i] != 'x' &&
                   s[i] != 'X') {
            return false;
        }
    }
    return runs == 4 && odd;
}

/* Reports a quad whose parts inet_addr() reads as octal or hex. */
static void lint_quad(const char *pat, const char *s, size_t n)
{
    struct strbuf q = STRBUF_INIT;
    struct in_addr a;
    char shown[INET_ADDRSTRLEN];

    if (!odd_quad(s, n) || !sb_append(&q, s, n))
        goto done;
    a.s_addr = addr_dot_quad(q.data);
    if (a.s_addr == INADDR_NONE ||
        inet_ntop(AF_INET, &a, shown, sizeof(shown)) == NULL)
        goto done;
    lint("octal-address",
         "%s: %s is read as %s (a part with a leading 0 is octal, 0x is "
         "hex)",
         pat, q.data, shown);
done:
    sb_free(&q);
}

/* True when s is a plain decimal dotted quad; fills the four parts. */
static bool decimal_quad(const char *s, unsigned part[4])
{
    int n = 0;
    char tail;

    if (sscanf(s, "%3u.%3u.%3u.%3u%c", &part[0], &part[1], &part[2], &part[3],
               &tail) != 4)
        return false;
    for (n = 0; n < 4; n++) {
        if (part[n] > 255)
            return false;
    }
    return strspn(s, "0123456789.") == strlen(s);
}

/* Lints one host pattern: octal quads, networks, prefix lengths, host bits. */
void lint_client_pattern(const char *pat)
{
    const char *slash = strchr(pat, '/');
    size_t net_len = slash != NULL ? (size_t)(slash - pat) : strlen(pat);
    unsigned part[4];

    lint_quad(pat, pat, net_len);
    if (slash == NULL) {
        if (decimal_quad(pat, part) && part[3] == 0 &&
            !(part[0] == 0 && part[1] == 0 && part[2] == 0)) {
            int bits = part[2] != 0 ? 24 : part[1] != 0 ? 16 : 8;
            const char *prefix_end = pat;
            int dots = bits / 8, seen = 0;

            while (*prefix_end != '\0' && seen < dots) {
                if (*prefix_end++ == '.')
                    seen++;
            }
            lint("network-address",
                 "%s matches that one address only; for the network write "
                 "%s/%d or %.*s",
                 pat, pat, bits, (int)(prefix_end - pat), pat);
        }
        return;
    }
    lint_quad(pat, slash + 1, strlen(slash + 1));
    if (pat[0] == '[') {
        if (strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
            slash[1] == '\0')
            lint("prefix-length",
                 "%s: prefix length \"%s\" is read as %d, so the pattern "
                 "matches %s",
                 pat, slash + 1, atoi(slash + 1),
                 atoi(slash + 1) == 0 ? "every IPv6 address"
                                      : "that many bits");
        return;
    }
    {
        struct strbuf net = STRBUF_INIT;
        uint32_t n, m;

        if (sb_append(&net, pat, net_len) &&
            (n = addr_dot_quad(net.data)) != INADDR_NONE) {
            m = addr_dot_quad(slash + 1);
            if (m == INADDR_NONE) {
                m = addr_cidr_mask(slash + 1);
                if (m != 0 &&
                    strspn(slash + 1, "0123456789") != strlen(slash + 1))
                    lint("prefix-length",
                         "%s: prefix length \"%s\" is read as %d", pat,
                         slash + 1, atoi(slash + 1));
            }
            if (m != 0 && (n & ~m) != 0)
                lint("host-bits",
                     "%s: the network has host bits set, so the pattern "
                     "never matches",
                     pat);
        }
        sb_free(&net);
    }
}

/* The option table of hosts_options(5). */
enum value_rule { NO_VALUE, NEEDS_VALUE, MAY_VALUE };
struct option_info {
    const char *name;
    enum value_rule value;
    bool last;
};
static const struct option_info option_table[] = {
    {"allow", NO_VALUE, true},        {"deny", NO_VALUE, true},
    {"spawn", NEEDS_VALUE, false},    {"twist", NEEDS_VALUE, true},
    {"aclexec", NEEDS_VALUE, false},  {"banners", NEEDS_VALUE, false},
    {"setenv", NEEDS_VALUE, false},   {"umask", NEEDS_VALUE, false},
    {"user", NEEDS_VALUE, false},     {"group", NEEDS_VALUE, false},
    {"nice", MAY_VALUE, false},       {"keepalive", NO_VALUE, false},
    {"linger", NEEDS_VALUE, false},   {"rfc931", MAY_VALUE, false},
    {"severity", NEEDS_VALUE, false},
};

/* Debian's own syslog name tables (compat-policy D13). */
static const char *const debian_levels[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"};
static const char *const debian_facilities[] = {
    "kern",   "user",   "mail",   "daemon", "auth",   "lpr",
    "news",   "uucp",   "cron",   "local0", "local1", "local2",
    "local3", "local4", "local5", "local6", "local7"};

/* True when s is in list, ignoring case. */
static bool in_list(const char *s, const char *const *list, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (strcasecmp(s, list[i]) == 0)
            return true;
    }
    return false;
}

/* True when <syslog.h> knows the name s. */
static bool in_syslog_names(const char *s, const CODE *codes)
{
    for (; codes->c_name != NULL; codes++) {
        if (strcasecmp(s, codes->c_name) == 0 && codes->c_val >= 0 &&
            strcmp(codes->c_name, "none") != 0 &&
            strcmp(codes->c_name, "mark") != 0)
            return true;
    }
    return false;
}

/* Checks a severity value; returns a problem or NULL. */
static void check_severity(const char *value, struct strbuf *problem)
{
    const char *dot = strchr(value, '.');
    struct strbuf fac = STRBUF_INIT;
    const char *level = dot != NULL ? dot + 1 : value;

    if (dot != NULL)
        sb_append(&fac, value, (size_t)(dot - value));
    if (dot != NULL &&
        !in_list(fac.data, debian_facilities,
                 sizeof(debian_facilities) / sizeof(*debian_facilities))) {
        if (in_syslog_names(fac.data, facilitynames))
            lint("severity-name",
                 "severity %s: Debian's libwrap does not know facility "
                 "\"%s\" and denies the service (not portable)",
                 value, fac.data);
        else
            sb_printf(problem, "unknown syslog facility \"%s\"", fac.data);
    }
    if (!in_list(level, debian_levels,
                 sizeof(debian_levels) / sizeof(*debian_levels))) {
        if (in_syslog_names(level, prioritynames))
            lint("severity-name",
                 "severity %s: Debian's libwrap does not know level \"%s\" "
                 "and denies the service (not portable)",
                 value, level);
        else if (problem->len == 0)
            sb_printf(problem, "unknown syslog level \"%s\"", level);
    }
    sb_free(&fac);
}

/* True when s is an integer in [lo, hi] in the given base. */
static bool number_in(const char *s, int base, long lo, long hi)
{
    char *end;
    long v;

    if (*s == '\0')
        return false;
    v = strtol(s, &end, base);
    return *end == '\0' && v >= lo && v <= hi;
}

/* Checks the program a command starts, when it is named by path. */
static void check_program(const char *option, const char *command)
{
    struct strbuf prog = STRBUF_INIT;
    const char *p = command;
    size_t n;
    struct stat st;

    while (*p == '(' || isspace((unsigned char)*p))
        p++;
    if (strncmp(p, "exec ", 5) == 0)
        p += 5;
    while (isspace((unsigned char)*p))
        p++;
    n = strcspn(p, " \t;|&<>()");
    if (*p != '/' || memchr(p, '%', n) != NULL || !sb_append(&prog, p, n))
        goto done;
    if (stat(prog.data, &st) != 0)
        lint("missing-program", "%s: %s: no such program", option, prog.data);
    else if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
        lint("missing-program", "%s: %s is not an executable file", option,
             prog.data);
done:
    sb_free(&prog);
}

/* Checks the value of a known option; the problem is set on error. */
static void check_value(const struct option_info *opt, const char *value,
                        struct strbuf *problem)
{
    struct stat st;

    if (strcmp(opt->name, "umask") == 0) {
        if (!number_in(value, 8, 0, 0777))
            sb_printf(problem, "bad umask value \"%s\"", value);
    } else if (strcmp(opt->name, "nice") == 0) {
        if (*value != '\0' && !number_in(value, 10, -40, 40))
            sb_printf(problem, "bad nice value \"%s\"", value);
    } else if (strcmp(opt->name, "linger") == 0) {
        if (!number_in(value, 10, 0, 65535))
            sb_printf(problem, "bad linger value \"%s\"", value);
    } else if (strcmp(opt->name, "rfc931") == 0) {
        if (*value != '\0' && !number_in(value, 10, 1, 3600))
            sb_printf(problem, "bad rfc931 timeout \"%s\"", value);
    } else if (strcmp(opt->name, "severity") == 0) {
        check_severity(value, problem);
    } else if (strcmp(opt->name, "user") == 0) {
        struct strbuf name = STRBUF_INIT;
        const char *dot = strchr(value, '.');
        sb_append(&name, value,
                  dot != NULL ? (size_t)(dot - value) : strlen(value));
        if (getpwnam(sb_str(&name)) == NULL)
            sb_printf(problem, "unknown user \"%s\"", sb_str(&name));
        else if (dot != NULL && getgrnam(dot + 1) == NULL)
            sb_printf(problem, "unknown group \"%s\"", dot + 1);
        sb_free(&name);
    } else if (strcmp(opt->name, "group") == 0) {
        if (getgrnam(value) == NULL)
            sb_printf(problem, "unknown group \"%s\"", value);
    } else if (strcmp(opt->name, "banners") == 0) {
        if (stat(value, &st) != 0 || !S_ISDIR(st.st_mode))
            lint("missing-directory",
                 "banners %s: no such directory; no banner is sent", value);
    } else if (strcmp(opt->name, "spawn") == 0 ||
               strcmp(opt->name, "twist") == 0 ||
               strcmp(opt->name, "aclexec") == 0) {
        check_program(opt->name, value);
        if (strcmp(opt->name, "aclexec") == 0)
            lint("aclexec",
                 "aclexec: when the command fails, libwrap goes on with the "
                 "next rule; Debian's ends the table scan (D8)");
    }
}

/* Checks every option of a field, also those past the first error. */
void lint_options(const char *field)
{
    struct strbuf copy = STRBUF_INIT;
    char *p, *opt, *end, *value, *key_end;
    bool seen_error = false, done = false;
    int index = 0;

    if (!sb_puts(&copy, field))
        return;
    for (p = copy.data; !done; index++) {
        const struct option_info *info = NULL;
        struct strbuf problem = STRBUF_INIT;
        size_t i;

        /* An option ends at a ':' that no backslash protects. */
        opt = p;
        for (end = p; *end != '\0' &&
                      !(*end == ':' && (end == copy.data || end[-1] != '\\'));
             end++)
            ;
        done = *end == '\0';
        *end = '\0';
        p = end + 1;
        while (isspace((unsigned char)*opt))
            opt++;
        for (end = opt + strlen(opt);
             end > opt && isspace((unsigned char)end[-1]);)
            *--end = '\0';
        key_end = opt + strcspn(opt, " \t\r\n=");
        value = key_end;
        while (isspace((unsigned char)*value))
            value++;
        if (*value == '=')
            value++;
        while (isspace((unsigned char)*value))
            value++;
        *key_end = '\0';
        for (i = 0; i < sizeof(option_table) / sizeof(*option_table); i++) {
            if (strcasecmp(opt, option_table[i].name) == 0)
                info = &option_table[i];
        }
        if (*opt == '\0')
            sb_puts(&problem, "missing option name");
        else if (info == NULL)
            sb_printf(&problem, "bad option name \"%s\"", opt);
        else if (info->value == NO_VALUE && *value != '\0')
            sb_printf(&problem, "option \"%s\" takes no value", opt);
        else if (info->value == NEEDS_VALUE && *value == '\0')
            sb_printf(&problem, "option \"%s\" needs a value", opt);
        else if (info->last && !done)
            sb_printf(&problem, "option \"%s\" must be the last one", opt);
        else
            check_value(info, value, &problem);
        if (problem.len > 0) {
            /* libwrap reports the first problem itself and stops. */
            if (seen_error)
                lint("option",
                     "option %d: %s (libwrap stops at the first error and "
                     "never reads this one)",
                     index + 1, problem.data);
            seen_error = true;
        }
        sb_free(&problem);
    }
    sb_free(&copy);
}

/* True when every item of a list is plain (no EXCEPT). */
static bool no_except(const struct pattern_list *l)
{
    size_t i;

    for (i = 0; i < l->count; i++) {
        if (strcasecmp(l->items[i], "EXCEPT") == 0)
            return false;
    }
    return l->count > 0;
}

/* Parses a plain IPv4 net/mask or address into net and mask. */
static bool v4_range(const char *s, uint32_t *net, uint32_t *mask)
{
    const char *slash = strchr(s, '/');
    char buf[64];
    size_t n = slash != NULL ? (size_t)(slash - s) : strlen(s);

    if (n >= sizeof(buf) || strspn(s, "0123456789./") != strlen(s))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (odd_quad(buf, n) || (*net = addr_dot_quad(buf)) == INADDR_NONE)
        return false;
    if (slash == NULL) {
        *mask = 0xffffffffu;
        return true;
    }
    if ((*mask = addr_dot_quad(slash + 1)) == INADDR_NONE &&
        (*mask = addr_cidr_mask(slash + 1)) == 0)
        return false;
    return (*net & ~*mask) == 0;
}

/* True when pattern a matches everything pattern b matches. */
static bool covers_item(const char *a, const char *b)
{
    uint32_t an, am, bn, bm;

    if (strcasecmp(a, "ALL") == 0 || strcasecmp(a, b) == 0)
        return strchr(a, '*') == NULL && strchr(a, '?') == NULL;
    if (v4_range(a, &an, &am) && v4_range(b, &bn, &bm))
        return (am & bm) == am && (bn & am) == an;
    return false;
}

/* True when list a matches everything list b matches. */
static bool covers_list(const struct pattern_list *a,
                        const struct pattern_list *b)
{
    size_t i, j;

    if (!no_except(a) || !no_except(b))
        return false;
    for (j = 0; j < b->count; j++) {
        bool covered = false;
        for (i = 0; i < a->count && !covered; i++)
            covered = covers_item(a->items[i], b->items[j]);
        if (!covered)
            return false;
    }
    return true;
}

/* True when the rule always decides once it matches. */
static bool always_decides(const struct rule *r)
{
    return r->options == NULL || strcasestr(r->options, "aclexec") == NULL;
}

/* Reports rules that an earlier rule always pre-empts. */
void lint_shadowed(const struct chk_rule *rules, size_t count)
{
    size_t i, j;

    for (j = 0; j < count; j++) {
        for (i = 0; i < j; i++) {
            if (!always_decides(&rules[i].rule) ||
                !covers_list(&rules[i].rule.daemons, &rules[j].rule.daemons) ||
                !covers_list(&rules[i].rule.clients, &rules[j].rule.clients))
                continue;
            tcpd_context.file = (char *)rules[j].table;
            tcpd_context.line = rules[j].line;
            lint("shadowed",
                 "this rule can never match: %s, line %d matches every "
                 "request it does and is read first",
                 rules[i].table, rules[i].line);
            break;
        }
    }
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
}
