/*
 * netconf.c - tcpdchk -l: the kernel settings that rules rely on.
 *
 * Access rules trust the client address that a connection shows.  The
 * host checks that the seed pairs with TCP Wrappers (the RHEL 7
 * Security Guide) keep that address honest: no source routing, no ICMP
 * redirects, no forwarding, reverse-path filtering.  This reads each of
 * those settings, for "all" and "default", IPv4 and IPv6, from
 * /proc/sys/net and prints its value beside the recommended one, with
 * what it means for wrapped services.  A setting that this kernel does
 * not have (IPv6 has no send_redirects or rp_filter; no IPv6 at all) is
 * left out.  Values are those of the caller's network namespace.  The
 * report informs; it is no finding and leaves the exit status alone.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "tcpdchk.h"

/* A setting: ok when its value is in [low, high]. */
struct setting {
    const char *name;
    long low, high;      /* the recommended range, IPv4 */
    long low6, high6;    /* the same for IPv6 */
    const char *meaning; /* what it means for wrapped services */
};

/* In the order of the seed's "Disabling Source Routing" section. */
static const struct setting settings[] = {
    {"accept_source_route", 0, 0, LONG_MIN, 0,
     "1 takes packets whose sender chose their route, so a forged address "
     "that the rules trust still gets the replies. tcpd refuses "
     "source-routed IPv4 connections itself; unwrapped services, and "
     "daemons linked with libwrap that do not check IP options, get no "
     "such protection. IPv4 takes them where all and the interface's own "
     "value are both 1; IPv6 takes only type 2 routing headers (mobile "
     "IPv6) at 0 or more, and none below 0."},
    {"forwarding", 0, 0, 0, 0,
     "1 routes packets between interfaces: what passes through never meets "
     "tcpd or libwrap, so the rules guard only this host's own services."},
    {"mc_forwarding", 0, 0, 0, 0,
     "1 while a multicast routing daemon runs (the kernel sets it, it "
     "cannot be written): multicast is passed on to other networks without "
     "meeting the rules."},
    {"accept_redirects", 0, 0, 0, 0,
     "1 lets an ICMP redirect change this host's routes, so someone on the "
     "local network can divert what wrapped services send to the clients "
     "that the rules admit."},
    {"secure_redirects", 0, 0, 0, 0,
     "where redirects are accepted, 1 takes only those that point to a "
     "gateway this host already uses; turn it off along with "
     "accept_redirects."},
    {"send_redirects", 0, 0, 0, 0,
     "1 sends ICMP redirects, which tell other hosts how to route and "
     "which only a router needs; the kernel sends them while all or the "
     "interface's own value is 1."},
    {"rp_filter", 1, 1, 1, 1,
     "1 (strict) drops packets whose source address would not be routed "
     "back out of the interface they came in on, so an address forged "
     "from the wrong network never reaches a wrapped service; 2 (loose) "
     "drops only unroutable ones, 0 checks nothing. The kernel uses the "
     "larger of all and the interface's value."},
};

static const char *const families[] = {"ipv4", "ipv6"};
static const char *const scopes[] = {"all", "default"};

/* Width of the text report's setting column. */
#define NAME_WIDTH 42
/* Where the text report wraps the meanings. */
#define TEXT_WIDTH 79

/* One value read from /proc/sys. */
enum value_status { VALUE_MISSING, VALUE_OK, VALUE_UNREADABLE };

/* Reads /proc/sys/net/<family>/conf/<scope>/<name> into text and, when
 * it is a number, *value. */
static enum value_status read_value(const char *family, const char *scope,
                                    const char *name, struct strbuf *text,
                                    long *value, bool *number)
{
    struct strbuf path = STRBUF_INIT;
    char *line = NULL, *end;
    size_t cap = 0;
    ssize_t n;
    FILE *fp;
    enum value_status status = VALUE_UNREADABLE;

    *number = false;
    if (!sb_printf(&path, "/proc/sys/net/%s/conf/%s/%s", family, scope, name))
        goto done;
    if ((fp = fopen(path.data, "re")) == NULL) {
        if (errno == ENOENT)
            status = VALUE_MISSING;
        goto done;
    }
    n = getline(&line, &cap, fp);
    fclose(fp);
    if (n < 0)
        goto done;
    if (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    sb_append(text, line, (size_t)n);
    errno = 0;
    *value = strtol(line, &end, 10);
    *number = n > 0 && *end == '\0' && errno == 0;
    status = VALUE_OK;
done:
    free(line);
    sb_free(&path);
    return status;
}

/* The recommended range as text: "0", "1", "0 or less". */
static void range_text(struct strbuf *out, long low, long high)
{
    if (low == high)
        sb_printf(out, "%ld", low);
    else if (low == LONG_MIN)
        sb_printf(out, "%ld or less", high);
    else
        sb_printf(out, "%ld to %ld", low, high);
}

/* Prints "  <name>: <text>", wrapped at TEXT_WIDTH under a 4-space
 * indent. */
static void print_meaning(const char *name, const char *text)
{
    size_t column = (size_t)printf("  %s:", name), n;
    const char *p = text;

    while (*p != '\0') {
        n = strcspn(p, " ");
        if (column + 1 + n > TEXT_WIDTH && column > 4) {
            fputs("\n   ", stdout);
            column = 3;
        }
        printf(" %.*s", (int)n, p);
        column += 1 + n;
        p += n;
        p += strspn(p, " ");
    }
    putchar('\n');
}

/* Prints one setting's row (text) or object (JSON). */
static void report_value(const struct setting *s, const char *family,
                         const char *scope, const struct strbuf *text,
                         bool number, long value)
{
    bool v6 = strcmp(family, "ipv6") == 0;
    long low = v6 ? s->low6 : s->low, high = v6 ? s->high6 : s->high;
    struct strbuf name = STRBUF_INIT, range = STRBUF_INIT;
    struct strbuf shown = STRBUF_INIT;
    const char *status = !number                         ? "unknown"
                         : value >= low && value <= high ? "ok"
                                                         : "differs";

    sb_printf(&name, "net.%s.conf.%s.%s", family, scope, s->name);
    range_text(&range, low, high);
    if (report_json()) {
        fputs("{\"type\":\"sysctl\",\"name\":", stdout);
        json_string(sb_str(&name));
        if (number)
            printf(",\"value\":%ld", value);
        else
            fputs(",\"value\":null", stdout);
        fputs(",\"recommended\":", stdout);
        json_string(sb_str(&range));
        printf(",\"status\":\"%s\",\"meaning\":", status);
        json_string(s->meaning);
        fputs("}\n", stdout);
    } else {
        text_escape(&shown, sb_str(text), text->len);
        printf("%-*s %-5s %-11s %s\n", NAME_WIDTH, sb_str(&name),
               shown.len > 0 ? sb_str(&shown) : "?", sb_str(&range), status);
    }
    sb_free(&name);
    sb_free(&range);
    sb_free(&shown);
}

/* Reports the source-routing, redirect and forwarding settings. */
void netconf_report(void)
{
    const size_t count = sizeof(settings) / sizeof(settings[0]);
    bool present[sizeof(settings) / sizeof(settings[0])] = {false};
    bool any = false;
    size_t i, f, sc;

    if (!report_json()) {
        printf("\nSource routing, redirects and forwarding "
               "(/proc/sys/net):\n");
        printf("%-*s %-5s %-11s %s\n", NAME_WIDTH, "setting", "value",
               "recommended", "status");
    }
    for (i = 0; i < count; i++) {
        for (f = 0; f < 2; f++) {
            for (sc = 0; sc < 2; sc++) {
                struct strbuf text = STRBUF_INIT;
                long value = 0;
                bool number;

                if (read_value(families[f], scopes[sc], settings[i].name,
                               &text, &value, &number) != VALUE_MISSING) {
                    report_value(&settings[i], families[f], scopes[sc], &text,
                                 number, value);
                    present[i] = any = true;
                }
                sb_free(&text);
            }
        }
    }
    if (report_json())
        return;
    if (!any) {
        printf("(none of them can be read here)\n");
        return;
    }
    printf("What they mean for wrapped services:\n");
    for (i = 0; i < count; i++) {
        if (present[i])
            print_meaning(settings[i].name, settings[i].meaning);
    }
}
