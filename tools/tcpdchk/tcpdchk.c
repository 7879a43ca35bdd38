/*
 * tcpdchk - checks the access control tables (tcpdchk(8)).
 *
 * usage: tcpdchk [-a] [-d] [-i inet_conf] [-v] [-j] [-l]
 *
 * The same options, checks and -v listing as Debian's tcpdchk, with the
 * library's warnings shown (compat-policy D11), plus lints (lint.c) for
 * mistakes that make rules silently fail, a JSON-lines output (-j) and
 * a report of this host's listening sockets and the rules that apply to
 * them, and of its source-routing and redirect settings (-l, ports.c,
 * netconf.c).  The fragments of the tables' drop-in directories
 * (dropin.h) are checked as the library reads them, each like a table,
 * after its table: -v lists their rules, -j gives them as "file", the
 * lints and the shadowed check see one logical table; entries not read
 * are reported with the reason.  Tables are read exactly as libwrap.so reads
 * them (the library's own table, lexer, pattern and address modules, linked in
 * privately); option fields run through the shared library's process_options()
 * in dry-run mode, under this program's setjmp(tcpd_buf), and the lints read
 * them with the library's option table (optspec.h).
 *
 * Exit status: 0 when nothing was found, 1 on a usage error or an
 * unreadable inetd.conf given with -i, 2 when a check reported anything.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "addr.h"
#include "arena.h"
#include "dropin.h"
#include "exports.h"
#include "lex.h"
#include "pattern.h"
#include "rule.h"
#include "strbuf.h"
#include "table.h"
#include "tcpd.h"
#include "tcpdchk.h"
#include "toolkit.h"

/* The program's own severities win over the library's weak ones. */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

/* Deepest nesting of /file host lists (the library's limit, D4). */
#define MAX_FILE_DEPTH 16

static int verbose;
static bool implicit_allow_check;
static const char *inetcf;

/* Every rule read, in evaluation order, for the cross-rule checks. */
static struct chk_rule *rules;
static size_t rule_count, rule_cap;
static struct arena rule_arena = ARENA_INIT;

/* Debian's usage text, with our -j and -l in the synopsis and below. */
static void usage(const char *myname)
{
    fprintf(stderr, "usage: %s [-a] [-d] [-i inet_conf] [-v] [-j] [-l]\n",
            myname);
    fprintf(stderr, "	-a: report rules with implicit \"ALLOW\" at end\n");
    fprintf(stderr, "	-d: use allow/deny files in current directory\n");
    fprintf(stderr, "	-i: location of inetd.conf file\n");
    fprintf(stderr, "	-v: list all rules\n");
    fprintf(stderr, "	-j: print findings as JSON lines\n");
    fprintf(stderr, "	-l: list listening sockets and their rules\n");
    exit(1);
}

/* Does the daemon name appear in inetd.conf, and through tcpd? */
static void check_wrapped(const char *name)
{
    switch (inetcf_get(name)) {
    case WRAP_UNKNOWN:
        tcpd_warn("%s: no such process name in %s", name,
                  inetcf != NULL ? inetcf : "(null)");
        break;
    case WRAP_NO:
        tcpd_warn("%s: service possibly not wrapped", name);
        break;
    case WRAP_YES:
        return;
    }
    /* Once per name. */
    inetcf_set(name, WRAP_YES);
}

/* Debian's checks of a daemon name. */
static void check_daemon(const char *pat)
{
    size_t n = strlen(pat);

    if (pat[0] == '@')
        tcpd_warn("%s: daemon name begins with \"@\"", pat);
    else if (pat[0] == '/')
        tcpd_warn("%s: daemon name begins with \"/\"", pat);
    else if (pat[0] == '.')
        tcpd_warn("%s: daemon name begins with dot", pat);
    else if (n > 0 && pat[n - 1] == '.')
        tcpd_warn("%s: daemon name ends in dot", pat);
    else if (strcasecmp(pat, "ALL") == 0 || strcasecmp(pat, unknown) == 0)
        return;
    else if (strcasecmp(pat, "KNOWN") == 0 || strcasecmp(pat, "LOCAL") == 0 ||
             strcasecmp(pat, paranoid) == 0)
        tcpd_warn("%s: daemon name may be reserved word", pat);
    else
        check_wrapped(pat);
}

/* Debian's checks of a user name. */
static void check_user(const char *pat)
{
    size_t n = strlen(pat);

    if (pat[0] == '@')
        tcpd_warn("%s: user name begins with \"@\"", pat);
    else if (pat[0] == '/')
        tcpd_warn("%s: user name begins with \"/\"", pat);
    else if (pat[0] == '.')
        tcpd_warn("%s: user name begins with dot", pat);
    else if (n > 0 && pat[n - 1] == '.')
        tcpd_warn("%s: user name ends in dot", pat);
    else if (strcasecmp(pat, "LOCAL") == 0 || strcasecmp(pat, paranoid) == 0)
        tcpd_warn("%s: user name may be reserved word", pat);
}

/* Warns when a netgroup is unknown or empty. */
static void check_netgroup(const char *group)
{
    char *host, *user, *domain;
    bool found = false;

    if (setnetgrent(group))
        found = getnetgrent(&host, &user, &domain) != 0;
    endnetgrent();
    if (!found)
        tcpd_warn("%s: unknown or empty netgroup", group);
}

/* Debian's reading of net/mask patterns (behaviour page 2.4). */
static bool good_netmask(const char *pat, const char *slash)
{
    struct strbuf net = STRBUF_INIT;
    struct in6_addr a6;
    const char *mask = slash + 1;
    bool ok = false;
    int bits;

    if (!sb_append(&net, pat, (size_t)(slash - pat)))
        return true;
    if (addr_dot_quad(net.data) != INADDR_NONE &&
        (addr_dot_quad(mask) != INADDR_NONE || addr_cidr_mask(mask) != 0)) {
        ok = true;
    } else if (net.len >= 2 && net.data[0] == '[' &&
               net.data[net.len - 1] == ']') {
        net.data[net.len - 1] = '\0';
        /* atoi() on purpose: it is how the library reads the length. */
        bits = atoi(mask);
        ok = inet_pton(AF_INET6, net.data + 1, &a6) == 1 && bits >= 0 &&
             bits <= 128;
    }
    sb_free(&net);
    return ok;
}

static void check_host(const char *pat, bool server, int depth);

/* Checks every word of a /file host list, in that file's context. */
static void check_file(const char *path, bool server, int depth)
{
    struct table_text text;
    struct tcpd_context saved = tcpd_context;
    char *p, *end, *word;
    int line = 1;

    if (depth >= MAX_FILE_DEPTH) {
        lint("file-nesting",
             "%s: host list files nested more than %d deep (a file that "
             "names itself?); libwrap ignores the pattern, Debian's "
             "recurses until it crashes",
             path, MAX_FILE_DEPTH);
        return;
    }
    switch (table_read(path, &text)) {
    case TABLE_MISSING:
        lint("missing-file",
             "%s: no such host list file; the pattern never matches", path);
        return;
    case TABLE_UNREADABLE:
    case TABLE_ERROR:
        tcpd_warn("open %s: %m", path);
        return;
    case TABLE_OK:
        break;
    }
    tcpd_context.file = (char *)path;
    end = text.data + text.size;
    for (p = text.data; p < end;) {
        char term;

        if (isspace((unsigned char)*p)) {
            if (*p++ == '\n')
                line++;
            continue;
        }
        word = p;
        while (p < end && !isspace((unsigned char)*p))
            p++;
        term = *p;
        *p = '\0';
        tcpd_context.line = line;
        check_host(word, server, depth + 1);
        if (term == '\n')
            line++;
        if (p < end)
            p++;
    }
    table_text_free(&text);
    tcpd_context = saved;
}

/* Debian's checks of a host pattern, then the lints. */
static void check_host(const char *pat, bool server, int depth)
{
    const char *slash;
    size_t n = strlen(pat);
    struct in6_addr a6;
    struct addrinfo *res;

    if (pat[0] == '@') {
        check_netgroup(pat + 1);
    } else if (pat[0] == '/') {
        check_file(pat, server, depth);
    } else if ((slash = strchr(pat, '/')) != NULL) {
        if (!good_netmask(pat, slash))
            tcpd_warn("%s: bad net/mask pattern", pat);
        else
            lint_client_pattern(pat);
    } else if (strcasecmp(pat, "FAIL") == 0) {
        tcpd_warn("FAIL is no longer recognized");
        tcpd_warn("(use EXCEPT or DENY instead)");
    } else if (strcasecmp(pat, "ALL") == 0 || strcasecmp(pat, "KNOWN") == 0 ||
               strcasecmp(pat, "UNKNOWN") == 0 ||
               strcasecmp(pat, "PARANOID") == 0 ||
               strcasecmp(pat, "LOCAL") == 0 || strcmp(pat, "0.0.0.0") == 0 ||
               strcmp(pat, "255.255.255.255") == 0) {
        return;
    } else if (pat[0] == '.' && !pattern_not_inaddr(pat, n)) {
        tcpd_warn("%s: network number begins with dot", pat);
    } else if (n > 0 && pat[n - 1] == '.' && pattern_not_inaddr(pat, n)) {
        tcpd_warn("%s: domain or host name ends in dot", pat);
    } else if (pat[0] == '.' || (n > 0 && pat[n - 1] == '.')) {
        return;
    } else if (n > 2 && pat[0] == '[' && pat[n - 1] == ']' &&
               addr_parse_v6(pat + 1, n - 2, &a6)) {
        return;
    } else {
        lint_client_pattern(pat);
        if ((res = tool_find_addrs(pat)) != NULL) {
            if (server && tool_count_addrs(res) > 1) {
                tcpd_warn("host %s has more than one address", pat);
                tcpd_warn("(consider using an address instead)");
            }
            freeaddrinfo(res);
        }
    }
}

/* Appends the patterns of a list, joined by single spaces. */
static void join_items(struct strbuf *out, const struct pattern_list *list)
{
    size_t i;

    for (i = 0; i < list->count; i++)
        sb_printf(out, i > 0 ? " %s" : "%s", list->items[i]);
}

/* Appends the words of field as Debian's tcpdchk splits them: at
 * blanks, tabs, commas and newlines, joined by single spaces. */
static void join_debian_words(struct strbuf *out, const char *field)
{
    static const char separators[] = " ,\t\n";
    const char *p = field;
    size_t n;

    for (p += strspn(p, separators); *p != '\0'; p += strspn(p, separators)) {
        n = strcspn(p, separators);
        if (out->len > 0)
            sb_putc(out, ' ');
        sb_append(out, p, n);
        p += n;
    }
}

/*
 * The daemon and client lists as -v shows them.  Debian's tcpdchk splits
 * a list at blanks, tabs, commas and newlines but not at a CR, which
 * both libraries read as a blank, so a CR stays in the pattern it
 * touches (a DOS line ending shows at the end of the client list).  On
 * a line without a CR the two splits agree and the library's patterns
 * are listed; they are also listed for a line whose bare IPv6 address
 * the library keeps whole (D10), as Debian splits its fields elsewhere.
 */
static void list_fields(const char *text, size_t len, const struct rule *r,
                        struct strbuf *daemons, struct strbuf *clients)
{
    struct strbuf copy = STRBUF_INIT;
    char *client_field;

    if (memchr(text, '\r', len) != NULL && !lint_has_bare_v6(text, len, r) &&
        sb_append(&copy, text, len) &&
        (client_field = rule_split_at(copy.data, ':')) != NULL) {
        /* Cuts the option field off, as the parser does. */
        rule_split_at(client_field, ':');
        join_debian_words(daemons, copy.data);
        join_debian_words(clients, client_field);
    } else {
        join_items(daemons, &r->daemons);
        join_items(clients, &r->clients);
    }
    sb_free(&copy);
}

/* Checks one pattern of a daemon list ("daemon[@host]"); the '@' is
 * where the library's matcher finds it. */
static void check_daemon_item(char *item)
{
    const char *at = pattern_find_at(item, strlen(item));

    if (at != NULL) {
        item[at - item] = '\0';
        check_host(at + 1, true, 0);
    }
    check_daemon(item);
}

/* Checks one pattern of a client list ("[user@]host"). */
static void check_client_item(char *item)
{
    const char *at = pattern_find_at(item, strlen(item));

    if (at != NULL) {
        item[at - item] = '\0';
        check_user(item);
        check_host(at + 1, false, 0);
    } else {
        check_host(item, false, 0);
    }
}

/* Lists (-v: shown, see list_fields()) and checks a daemon or client
 * list. */
static void check_list(const char *what, const struct pattern_list *list,
                       const struct strbuf *shown, void (*check_item)(char *))
{
    size_t i;
    char *item;

    if (verbose)
        report_text("%s:  %s\n",
                    strcmp(what, "daemon") == 0 ? "daemons" : "clients",
                    sb_str(shown));
    for (i = 0; i < list->count; i++) {
        if (lex_is_except(list->items[i], strlen(list->items[i])))
            continue;
        item = strdup(list->items[i]);
        if (item == NULL)
            continue;
        check_item(item);
        free(item);
    }
    if (list->count == 0 ||
        lex_is_except(list->items[list->count - 1],
                      strlen(list->items[list->count - 1])))
        tcpd_warn("%s list is empty or ends in EXCEPT", what);
}

/* Runs an option field in dry-run mode; returns the verdict. */
static bool check_options(char *options, bool allow_table)
{
    static struct request_info request;
    volatile bool granted = allow_table;

    request_init(&request, RQ_DAEMON, "daemon_name", RQ_SERVER_NAME,
                 "server_hostname", RQ_SERVER_ADDR, "server_addr", RQ_USER,
                 "user_name", RQ_CLIENT_NAME, "client_hostname",
                 RQ_CLIENT_ADDR, "client_addr", RQ_FILE, 1, 0);
    dry_run = 1;
    /* Banners are written straight to fd 1. */
    fflush(stdout);
    switch (setjmp(tcpd_buf)) {
    case 0:
        process_options(options, &request);
        if (implicit_allow_check && allow_table && dry_run != 0)
            tcpd_warn("implicit \"allow\" at end of rule");
        break;
    case AC_PERMIT:
        granted = true;
        break;
    default:
        granted = false;
        break;
    }
    fflush(stdout);
    return granted;
}

/* Keeps a rule for the checks that compare rules. */
static void remember(const char *table, bool allow_table, const struct rule *r)
{
    if (rule_count == rule_cap) {
        struct chk_rule *t = array_grow(rules, &rule_cap, sizeof(*t), 64);
        if (t == NULL)
            return;
        rules = t;
    }
    rules[rule_count].table = table;
    rules[rule_count].line = r->line;
    rules[rule_count].allow_table = allow_table;
    rules[rule_count].rule = *r;
    rule_count++;
}

/* Reads one table as the library does and checks every rule; false
 * when it exists but cannot be read. */
static bool check_table(const char *table, bool allow_table)
{
    struct table_text text;
    struct line_iter it;
    struct logical_line line;
    struct strbuf scratch = STRBUF_INIT;
    struct strbuf daemons = STRBUF_INIT, clients = STRBUF_INIT; /* -v */
    struct rule r;
    bool granted;

    switch (table_read(table, &text)) {
    case TABLE_MISSING:
        return true;
    case TABLE_UNREADABLE:
    case TABLE_ERROR:
        tcpd_warn("cannot open %s: %m", table);
        return false;
    case TABLE_OK:
        break;
    }
    tcpd_context.file = (char *)table;
    tcpd_context.line = 0;
    line_iter_init(&it, &text);
    while (line_iter_next(&it, &scratch, &line)) {
        tcpd_context.line = line.lineno;
        lint_line(line.text, line.len, line.unterminated, allow_table);
        switch (
            rule_parse(&rule_arena, line.text, line.len, line.lineno, &r)) {
        case RULE_IGNORED:
            continue;
        case RULE_NOMEM:
            fprintf(stderr, "tcpdchk: out of memory\n");
            exit(1);
        case RULE_NO_COLON:
            tcpd_warn("missing \":\" separator");
            continue;
        case RULE_PARSED:
            break;
        }
        if (verbose)
            report_text("\n>>> Rule %s line %d:\n", table, line.lineno);
        report_rule(table, line.lineno, &r);
        lint_rule(line.text, line.len, &r);
        sb_reset(&daemons);
        sb_reset(&clients);
        if (verbose)
            list_fields(line.text, line.len, &r, &daemons, &clients);
        check_list("daemon", &r.daemons, &daemons, check_daemon_item);
        check_list("client", &r.clients, &clients, check_client_item);
        if (r.options != NULL) {
            lint_options(r.options);
            granted = check_options(r.options, allow_table);
        } else {
            granted = allow_table;
            if (implicit_allow_check && allow_table)
                tcpd_warn("implicit \"allow\" at end of rule");
        }
        if (verbose)
            report_access(granted ? "granted" : "denied");
        remember(table, allow_table, &r);
    }
    tcpd_context.file = NULL;
    tcpd_context.line = 0;
    sb_free(&scratch);
    sb_free(&daemons);
    sb_free(&clients);
    table_text_free(&text);
    return true;
}

/* Says that the library does not read an entry of a drop-in directory:
 * a note for the names it leaves out on purpose (backups, temporary
 * files), a finding for the rest (a FIFO, a subdirectory, a dangling
 * symlink: whatever rules were meant to be there are not read). */
static void note_skipped(void *arg, const char *path, const char *why)
{
    (void)arg;
    if (dropin_name_skipped(tool_basename(path)) != NULL)
        report_skipped(path, why);
    else
        lint("dropin-skipped", "%s: %s; libwrap does not read it", path, why);
}

/*
 * Checks the fragments of table's drop-in directory (dropin.h) as the
 * library reads them: after the table, in order, each like a table, its
 * rules kept for the cross-rule checks.  Where the library fails closed
 * (a directory it cannot list, a fragment it cannot read), says so.
 */
static void check_dropin(const char *table, bool allow_table)
{
    struct dropin *d = NULL;
    size_t i;

    if (dropin_list(table, &d, note_skipped, NULL) != TABLE_OK) {
        tcpd_warn("cannot list %s.d: %m", table);
        lint("fail-closed",
             "%s.d: libwrap denies every request while it cannot list "
             "this directory",
             table);
        return;
    }
    for (i = 0; i < dropin_count(d); i++) {
        /* The rules kept point at their table's path. */
        const char *path = dropin_path(d, i);
        char *fragment = arena_strndup(&rule_arena, path, strlen(path));

        if (fragment == NULL) {
            fprintf(stderr, "tcpdchk: out of memory\n");
            exit(1);
        }
        if (!check_table(fragment, allow_table))
            lint("fail-closed",
                 "%s: libwrap denies every request while it cannot read "
                 "this fragment",
                 fragment);
    }
    dropin_put(d);
}

/* The process names that Debian's tcpdchk knows to use libwrap. */
static const char *const wrapped_daemons[] = {
    "portmap",        "mountd",        "statd",
    "ugidd",          "redir",         "rlinetd",
    "sshd",           "atftpd",        "diald",
    "esound",         "gdm",           "gnome-session",
    "icecast",        "icecast_admin", "icecast_client",
    "icecast_source", "mysqld",        "ntop",
    "pptpd",          "rquotad",       "sendmail",
    "smail",
};

int main(int argc, char **argv)
{
    const char *myname = tool_basename(argv[0]);
    const char *inet_arg = NULL;
    bool json = false, ports = false;
    size_t i;
    int ch;

    while ((ch = getopt(argc, argv, "adi:vjl")) != -1) {
        switch (ch) {
        case 'a':
            implicit_allow_check = true;
            break;
        case 'd':
            hosts_allow_table = "hosts.allow";
            hosts_deny_table = "hosts.deny";
            break;
        case 'i':
            inet_arg = optarg;
            break;
        case 'v':
            verbose++;
            break;
        case 'j':
            json = true;
            break;
        case 'l':
            ports = true;
            break;
        default:
            usage(myname);
        }
    }
    if (argc != optind)
        usage(myname);
    report_init(json);

    tool_check_daemon_dir();
    inetcf = inetcf_read(inet_arg);
    for (i = 0; i < sizeof(wrapped_daemons) / sizeof(wrapped_daemons[0]); i++)
        inetcf_set(wrapped_daemons[i], WRAP_YES);
    if (verbose)
        report_text("Using network configuration file: %s\n",
                    inetcf != NULL ? inetcf : "(null)");

    tool_check_path(hosts_allow_table, NULL);
    tool_check_dropin(hosts_allow_table);
    tool_check_path(hosts_deny_table, NULL);
    tool_check_dropin(hosts_deny_table);
    hosts_access_verbose = verbose;
    check_table(hosts_allow_table, true);
    check_dropin(hosts_allow_table, true);
    check_table(hosts_deny_table, false);
    check_dropin(hosts_deny_table, false);
    lint_shadowed(rules, rule_count);
    fflush(stdout);

    if (ports) {
        if (ports_report(rules, rule_count, inetcf) != 0)
            return 1;
        netconf_report();
    }
    return report_findings() > 0 ? 2 : 0;
}
