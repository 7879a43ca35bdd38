/*
 * report.c - tcpdchk's output: Debian's text, or JSON lines (-j).
 *
 * Every finding reaches stdout through syslog() (fakelog.c): Debian's
 * checks through tcpd_warn(), the library's option errors through its
 * own diagnostics, the lints through lint() below.  A hook on fakelog
 * counts findings (the exit status) and, in JSON mode, turns each line
 * into an object: {"type":"finding","level":...,"file":...,"line":...,
 * "check":...,"message":...}.  Lint messages end in " [<check>]"; the
 * checks that Debian's tcpdchk also makes have the check "tcpdchk",
 * the library's own diagnostics "libwrap".
 *
 * Text mode never hands a terminal a control byte from a rule file, a
 * process or a path (text_escape()): tcpdchk -l shows what local users
 * chose (program names), and the rules may come from other writers.
 * Lines that Debian's tcpdchk prints too (findings, the -v listing)
 * stay byte for byte Debian's unless they carry such a byte; then the
 * whole line is escaped.  A CR that ends a line (a DOS line ending in
 * the -v listing, which Debian prints raw) moves no text and stays.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "fakelog.h"
#include "strbuf.h"
#include "tcpd.h"
#include "tcpdchk.h"

static bool json_mode;
static unsigned findings;

/* The controls that text_escape() shows by a letter. */
static const char escape_letter[256] = {
    [0x1b] = 'e', ['\a'] = 'a', ['\b'] = 'b', ['\t'] = 't',  ['\n'] = 'n',
    ['\v'] = 'v', ['\f'] = 'f', ['\r'] = 'r', ['\\'] = '\\',
};

/* Appends s[0..len) as text mode shows it: printable ASCII as it is, a
 * backslash doubled, \e \a \b \t \n \v \f \r for those controls, \xNN
 * for every other byte (the other controls, DEL and all bytes above 0x7e,
 * which a terminal may read as C1 controls). */
bool text_escape(struct strbuf *out, const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (escape_letter[c] != 0)
            sb_printf(out, "\\%c", escape_letter[c]);
        else if (c < 0x20 || c > 0x7e)
            sb_printf(out, "\\x%02x", c);
        else
            sb_putc(out, (char)c);
    }
    return !sb_failed(out);
}

/* True when s[0..len) can go to a terminal as it is: printable ASCII
 * and tabs, and a CR only as the last byte. */
static bool plain_text(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 || c > 0x7e) && c != '\t' &&
            !(c == '\r' && i == len - 1))
            return false;
    }
    return true;
}

/* Prints one line (without its newline) that Debian prints too: as it
 * is when it is plain text, else escaped whole. */
static void print_line(const char *s, size_t len)
{
    struct strbuf shown = STRBUF_INIT;

    if (plain_text(s, len) || !text_escape(&shown, s, len))
        fwrite(s, 1, len, stdout);
    else
        fwrite(shown.data, 1, shown.len, stdout);
    sb_free(&shown);
}

/* Prints s as a JSON string. */
void json_string(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c == '\t')
            fputs("\\t", stdout);
        else if (c < 0x20 || c == 0x7f)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    putchar('"');
}

/* Splits "warning: <file>, line <n>: <msg> [<check>]" and prints it as
 * one JSON object. */
static void print_finding(const char *level, const char *rest)
{
    const char *loc = strstr(rest, ", line ");
    const char *msg = rest, *end, *open;
    char *file = NULL, *check = NULL, *text;
    long line = -1;

    if (loc != NULL) {
        char *after;
        line = strtol(loc + 7, &after, 10);
        if (after != loc + 7 && after[0] == ':' && after[1] == ' ') {
            file = strndup(rest, (size_t)(loc - rest));
            msg = after + 2;
        } else {
            line = -1;
        }
    }
    end = msg + strlen(msg);
    open = strrchr(msg, '[');
    if (open != NULL && open > msg && open[-1] == ' ' && end[-1] == ']' &&
        strspn(open + 1, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
            (size_t)(end - open - 2)) {
        check = strndup(open + 1, (size_t)(end - open - 2));
        text = strndup(msg, (size_t)(open - 1 - msg));
    } else {
        text = strdup(msg);
    }
    printf("{\"type\":\"finding\",\"level\":\"%s\",\"file\":", level);
    if (file != NULL)
        json_string(file);
    else
        fputs("null", stdout);
    if (line >= 0)
        printf(",\"line\":%ld", line);
    else
        fputs(",\"line\":null", stdout);
    fputs(",\"check\":", stdout);
    json_string(check != NULL                 ? check
                : strcmp(level, "error") == 0 ? "libwrap"
                                              : "tcpdchk");
    fputs(",\"message\":", stdout);
    json_string(text != NULL ? text : msg);
    fputs("}\n", stdout);
    free(file);
    free(check);
    free(text);
}

/* Sees every line the library or the checker logs. */
static bool on_log(int priority, const char *text)
{
    const char *level = NULL, *rest = NULL;

    if (strncmp(text, "warning: ", 9) == 0) {
        level = "warning";
        rest = text + 9;
    } else if (strncmp(text, "error: ", 7) == 0) {
        level = "error";
        rest = text + 7;
    }
    if (level != NULL)
        findings++;
    if (!json_mode) {
        print_line(text, strlen(text));
        putchar('\n');
        return true;
    }
    if (level != NULL) {
        print_finding(level, rest);
    } else {
        fputs("{\"type\":\"log\",\"priority\":", stdout);
        printf("%d,\"text\":", LOG_PRI(priority));
        json_string(text);
        fputs("}\n", stdout);
    }
    return true;
}

/* Chooses text or JSON and starts counting findings. */
void report_init(bool json)
{
    json_mode = json;
    fakelog_set_hook(on_log);
}

/* True in JSON mode. */
bool report_json(void)
{
    return json_mode;
}

/* Findings printed so far. */
unsigned report_findings(void)
{
    return findings;
}

/* Reports a lint finding at the current table and line. */
void lint(const char *code, const char *fmt, ...)
{
    struct strbuf msg = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&msg, fmt, ap);
    va_end(ap);
    tcpd_warn("%s [%s]", sb_str(&msg), code);
    sb_free(&msg);
}

/* Prints text of the -v listing (text mode only), line by line. */
void report_text(const char *fmt, ...)
{
    struct strbuf text = STRBUF_INIT;
    const char *p, *nl;
    va_list ap;

    if (json_mode)
        return;
    va_start(ap, fmt);
    sb_vprintf(&text, fmt, ap);
    va_end(ap);
    for (p = sb_str(&text); *p != '\0'; p = nl + 1) {
        if ((nl = strchr(p, '\n')) == NULL) {
            print_line(p, strlen(p));
            break;
        }
        print_line(p, (size_t)(nl - p));
        putchar('\n');
    }
    sb_free(&text);
}

/* Prints a list as a JSON array. */
static void json_list(const struct pattern_list *list)
{
    size_t i;

    putchar('[');
    for (i = 0; i < list->count; i++) {
        if (i > 0)
            putchar(',');
        json_string(list->items[i]);
    }
    putchar(']');
}

/* Prints a rule as a JSON object (JSON mode only). */
void report_rule(const char *table, int line, const struct rule *r)
{
    if (!json_mode)
        return;
    fputs("{\"type\":\"rule\",\"file\":", stdout);
    json_string(table);
    printf(",\"line\":%d,\"daemons\":", line);
    json_list(&r->daemons);
    fputs(",\"clients\":", stdout);
    json_list(&r->clients);
    fputs(",\"options\":", stdout);
    if (r->options != NULL)
        json_string(r->options);
    else
        fputs("null", stdout);
    fputs("}\n", stdout);
}

/* Prints a rule's verdict. */
void report_access(const char *verdict)
{
    if (json_mode) {
        fputs("{\"type\":\"access\",\"file\":", stdout);
        json_string(tcpd_context.file);
        printf(",\"line\":%d,\"access\":\"%s\"}\n", tcpd_context.line,
               verdict);
    } else {
        printf("access:   %s\n", verdict);
    }
}

/* Reports a drop-in directory's entry that is not read. */
void report_skipped(const char *path, const char *why)
{
    struct strbuf shown = STRBUF_INIT;

    if (json_mode) {
        fputs("{\"type\":\"skipped\",\"file\":", stdout);
        json_string(path);
        fputs(",\"reason\":", stdout);
        json_string(why);
        fputs("}\n", stdout);
        return;
    }
    /* A name is whatever its writer chose. */
    if (text_escape(&shown, path, strlen(path)))
        printf("skipped:  %s (%s)\n", shown.data, why);
    sb_free(&shown);
}
