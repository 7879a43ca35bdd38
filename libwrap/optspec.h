/*
 * optspec.h - the words and the syntax of an option field
 * (hosts_options(5)): which options there are, what argument each takes
 * and what it does; the syslog names that "severity" knows; how a field
 * is cut into options and an option into keyword and value.
 *
 * Defined once for the library's options.c, which runs the options, and
 * for tcpdchk, which checks them, so that the checker reads a field
 * exactly as the library does.  Pure: no I/O, no state; names compare
 * ignoring case.
 *
 * DIAGNOSTICS: none; an unknown name is NULL, and the caller (options.c
 * or tcpdchk) says what is wrong.
 */
#ifndef LIBWRAP_OPTSPEC_H
#define LIBWRAP_OPTSPEC_H

#include <stdbool.h>

enum option_id {
    OPTION_USER,
    OPTION_GROUP,
    OPTION_UMASK,
    OPTION_LINGER,
    OPTION_KEEPALIVE,
    OPTION_SPAWN,
    OPTION_TWIST,
    OPTION_RFC931,
    OPTION_SETENV,
    OPTION_NICE,
    OPTION_SEVERITY,
    OPTION_ALLOW,
    OPTION_DENY,
    OPTION_BANNERS,
    OPTION_ACLEXEC,
};

/* What an option says about its value. */
enum option_arg {
    OPTION_ARG_NONE,     /* a value is an error */
    OPTION_ARG_REQUIRED, /* no value is an error */
    OPTION_ARG_OPTIONAL,
};

/* What an option does, besides its own action (any of them, OR-ed). */
enum {
    OPTION_LAST = 1,    /* decides the verdict: must end the field */
    OPTION_EXPAND = 2,  /* the value is %-expanded before use */
    OPTION_COMMAND = 4, /* the value is a shell command */
};

struct option_spec {
    const char *name;
    enum option_id id;
    enum option_arg arg;
    unsigned effects;
};

/* The option called name, or NULL. */
const struct option_spec *option_find(const char *name);

/*
 * Cuts the next option off the field at *p, in place: up to the first
 * ':' with no backslash before it, each "\:" turned into ':' (any other
 * backslash stays).  *more tells whether a ':' followed; *p moves past
 * it.
 */
char *option_cut(char **p, bool *more);
/*
 * Splits an option cut by option_cut(), in place: returns its keyword
 * (NULL when the option is only white space: "missing option name") and
 * sets *value.  White space (isspace()) around the option is dropped;
 * the keyword ends at a space, tab, CR, LF or '='; then one '=' may
 * follow, with those four blanks on either side.
 */
char *option_split(char *text, char **value);
/* Strips isspace() characters from both ends of s, in place. */
char *option_trim(char *s);

/* A syslog facility or level name; debian: Debian's libwrap knows it too
 * (the rest are <syslog.h>'s, compat-policy D13). */
struct syslog_name {
    const char *name;
    int value;
    bool debian;
};

/* The facility or level called name, or NULL. */
const struct syslog_name *syslog_facility_find(const char *name);
const struct syslog_name *syslog_level_find(const char *name);

#endif
