/*
 * optspec.c - the option table, the syslog name tables and the syntax
 * of an option field.
 *
 * Exports the functions of optspec.h.  Pure: no I/O, no state, nothing
 * from the rest of the library, so that the checking tools can link it
 * privately.
 */
#include "optspec.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

/* Characters that end a keyword or separate a name from its value. */
#define OPTION_BLANKS " \t\r\n"

static const struct option_spec options[] = {
    {"user", OPTION_USER, OPTION_ARG_REQUIRED, 0},
    {"group", OPTION_GROUP, OPTION_ARG_REQUIRED, 0},
    {"umask", OPTION_UMASK, OPTION_ARG_REQUIRED, 0},
    {"linger", OPTION_LINGER, OPTION_ARG_REQUIRED, 0},
    {"keepalive", OPTION_KEEPALIVE, OPTION_ARG_NONE, 0},
    {"spawn", OPTION_SPAWN, OPTION_ARG_REQUIRED,
     OPTION_EXPAND | OPTION_COMMAND},
    {"twist", OPTION_TWIST, OPTION_ARG_REQUIRED,
     OPTION_EXPAND | OPTION_COMMAND | OPTION_LAST},
    {"rfc931", OPTION_RFC931, OPTION_ARG_OPTIONAL, 0},
    {"setenv", OPTION_SETENV, OPTION_ARG_REQUIRED, OPTION_EXPAND},
    {"nice", OPTION_NICE, OPTION_ARG_OPTIONAL, 0},
    {"severity", OPTION_SEVERITY, OPTION_ARG_REQUIRED, 0},
    {"allow", OPTION_ALLOW, OPTION_ARG_NONE, OPTION_LAST},
    {"deny", OPTION_DENY, OPTION_ARG_NONE, OPTION_LAST},
    {"banners", OPTION_BANNERS, OPTION_ARG_REQUIRED, 0},
    {"aclexec", OPTION_ACLEXEC, OPTION_ARG_REQUIRED,
     OPTION_EXPAND | OPTION_COMMAND},
    {NULL, 0, 0, 0},
};

/* The facility names of <syslog.h>; Debian knows only kern..uucp, cron
 * and local0..7 (compat-policy D13).  The internal "mark" is left out. */
static const struct syslog_name facilities[] = {
    {"auth", LOG_AUTH, true},      {"authpriv", LOG_AUTHPRIV, false},
    {"cron", LOG_CRON, true},      {"daemon", LOG_DAEMON, true},
    {"ftp", LOG_FTP, false},       {"kern", LOG_KERN, true},
    {"lpr", LOG_LPR, true},        {"mail", LOG_MAIL, true},
    {"news", LOG_NEWS, true},      {"security", LOG_AUTH, false},
    {"syslog", LOG_SYSLOG, false}, {"user", LOG_USER, true},
    {"uucp", LOG_UUCP, true},      {"local0", LOG_LOCAL0, true},
    {"local1", LOG_LOCAL1, true},  {"local2", LOG_LOCAL2, true},
    {"local3", LOG_LOCAL3, true},  {"local4", LOG_LOCAL4, true},
    {"local5", LOG_LOCAL5, true},  {"local6", LOG_LOCAL6, true},
    {"local7", LOG_LOCAL7, true},  {NULL, 0, false},
};

/* The level names of <syslog.h>, aliases included; Debian knows the
 * eight levels only (D13).  The internal "none" is left out. */
static const struct syslog_name levels[] = {
    {"alert", LOG_ALERT, true},     {"crit", LOG_CRIT, true},
    {"debug", LOG_DEBUG, true},     {"emerg", LOG_EMERG, true},
    {"err", LOG_ERR, true},         {"error", LOG_ERR, false},
    {"info", LOG_INFO, true},       {"notice", LOG_NOTICE, true},
    {"panic", LOG_EMERG, false},    {"warn", LOG_WARNING, false},
    {"warning", LOG_WARNING, true}, {NULL, 0, false},
};

const struct option_spec *option_find(const char *name)
{
    const struct option_spec *o;

    for (o = options; o->name != NULL; o++) {
        if (strcasecmp(o->name, name) == 0)
            return o;
    }
    return NULL;
}

/* Looks name up in a syslog name table. */
static const struct syslog_name *find_name(const struct syslog_name *table,
                                           const char *name)
{
    for (; table->name != NULL; table++) {
        if (strcasecmp(table->name, name) == 0)
            return table;
    }
    return NULL;
}

const struct syslog_name *syslog_facility_find(const char *name)
{
    return find_name(facilities, name);
}

const struct syslog_name *syslog_level_find(const char *name)
{
    return find_name(levels, name);
}

char *option_trim(char *s)
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

char *option_cut(char **p, bool *more)
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

char *option_split(char *text, char **value)
{
    char *name = option_trim(text), *v;
    size_t name_len;

    *value = name + strlen(name);
    if (*name == '\0')
        return NULL;
    /* Only these four blanks count here, not isspace()'s six. */
    name_len = strcspn(name, OPTION_BLANKS "=");
    v = name + name_len;
    v += strspn(v, OPTION_BLANKS);
    if (*v == '=') {
        v++;
        v += strspn(v, OPTION_BLANKS);
    }
    name[name_len] = '\0';
    *value = v;
    return name;
}
