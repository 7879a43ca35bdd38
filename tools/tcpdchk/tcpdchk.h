/*
 * tcpdchk.h - what the parts of tcpdchk share.
 *
 * tcpdchk.c reads the tables as the library does and runs Debian's
 * checks; lint.c adds the checks that catch silent mistakes; ports.c
 * lists the listening sockets and the rules that apply to them;
 * netconf.c the kernel's source-routing and redirect settings; report.c
 * prints findings as text or JSON lines and counts them.
 */
#ifndef TCPDCHK_H
#define TCPDCHK_H

#include <stdbool.h>
#include <stddef.h>

#include "rule.h"

struct strbuf;

/* One parsed rule, kept for the checks that compare rules. */
struct chk_rule {
    const char *table;
    int line;
    bool allow_table;
    struct rule rule; /* allocated from the checker's arena */
};

/* report.c */
void report_init(bool json);
bool report_json(void);
/* Findings (warnings and errors) printed so far. */
unsigned report_findings(void);
/* A lint finding at the current tcpd_context: "<msg> [<code>]". */
void lint(const char *code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Verbose listing (-v): text lines or JSON objects.  Each report_text()
 * prints whole lines (a CR that ends one is kept, see report.c). */
void report_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_rule(const char *table, int line, const struct rule *r);
void report_access(const char *verdict);
/* An entry of a drop-in directory that is not read, and why: a text
 * line "skipped:  <path> (<why>)" or a JSON object (not a finding). */
void report_skipped(const char *path, const char *why);
/* Appends s as a JSON string (with quotes) to stdout. */
void json_string(const char *s);
/* Appends s[0..len) to out with every byte outside printable ASCII, and
 * the backslash, escaped (\\, \e, \a, ..., \xNN); false when memory ran
 * out. */
bool text_escape(struct strbuf *out, const char *s, size_t len);

/* lint.c: checks of one logical line and of one rule. */
void lint_line(const char *text, size_t len, bool unterminated,
               bool allow_table);
void lint_rule(const char *text, size_t len, const struct rule *r);
void lint_client_pattern(const char *pat);
void lint_options(const char *field);
/* True when the parser bracketed a bare IPv6 address of the rule (D10). */
bool lint_has_bare_v6(const char *text, size_t len, const struct rule *r);
/* Reports rules that an earlier rule always pre-empts. */
void lint_shadowed(const struct chk_rule *rules, size_t count);

/* ports.c: the listening-socket report (-l). */
int ports_report(const struct chk_rule *rules, size_t count,
                 const char *inetcf);

/* netconf.c: the source-routing and redirect settings (-l). */
void netconf_report(void);

#endif
