/*
 * test_optspec.c - the words and the syntax of an option field
 * (optspec.h), pure functions.
 *
 * optspec.h promises the option table of hosts_options(5) (name,
 * argument kind, effects), the syslog names that "severity" knows with
 * Debian's subset marked (compat-policy D13), names compared ignoring
 * case, and how a field is cut at unescaped ':' and an option split into
 * keyword and value.  The module logs nothing, so the negative rows
 * assert the result alone.
 */
#include "testlib.h"

#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "optspec.h"

/* ---- option_find() ---- */

static const struct find_case {
    const char *name;
    bool absent; /* option_find() must return NULL */
    enum option_id id;
    enum option_arg arg;
    unsigned effects;
} finds[] = {
    /* Every option of hosts_options(5), and the undocumented group. */
    {.name = "user", .id = OPTION_USER, .arg = OPTION_ARG_REQUIRED},
    {.name = "group", .id = OPTION_GROUP, .arg = OPTION_ARG_REQUIRED},
    {.name = "umask", .id = OPTION_UMASK, .arg = OPTION_ARG_REQUIRED},
    {.name = "linger", .id = OPTION_LINGER, .arg = OPTION_ARG_REQUIRED},
    {.name = "keepalive", .id = OPTION_KEEPALIVE, .arg = OPTION_ARG_NONE},
    {.name = "spawn",
     .id = OPTION_SPAWN,
     .arg = OPTION_ARG_REQUIRED,
     .effects = OPTION_EXPAND | OPTION_COMMAND},
    {.name = "twist",
     .id = OPTION_TWIST,
     .arg = OPTION_ARG_REQUIRED,
     .effects = OPTION_EXPAND | OPTION_COMMAND | OPTION_LAST},
    {.name = "rfc931", .id = OPTION_RFC931, .arg = OPTION_ARG_OPTIONAL},
    {.name = "setenv",
     .id = OPTION_SETENV,
     .arg = OPTION_ARG_REQUIRED,
     .effects = OPTION_EXPAND},
    {.name = "nice", .id = OPTION_NICE, .arg = OPTION_ARG_OPTIONAL},
    {.name = "severity", .id = OPTION_SEVERITY, .arg = OPTION_ARG_REQUIRED},
    {.name = "allow",
     .id = OPTION_ALLOW,
     .arg = OPTION_ARG_NONE,
     .effects = OPTION_LAST},
    {.name = "deny",
     .id = OPTION_DENY,
     .arg = OPTION_ARG_NONE,
     .effects = OPTION_LAST},
    {.name = "banners", .id = OPTION_BANNERS, .arg = OPTION_ARG_REQUIRED},
    {.name = "aclexec",
     .id = OPTION_ACLEXEC,
     .arg = OPTION_ARG_REQUIRED,
     .effects = OPTION_EXPAND | OPTION_COMMAND},
    /* Any case. */
    {.name = "USER", .id = OPTION_USER, .arg = OPTION_ARG_REQUIRED},
    {.name = "Twist",
     .id = OPTION_TWIST,
     .arg = OPTION_ARG_REQUIRED,
     .effects = OPTION_EXPAND | OPTION_COMMAND | OPTION_LAST},
    {.name = "KeepAlive", .id = OPTION_KEEPALIVE, .arg = OPTION_ARG_NONE},
    /* Whole names only: no prefix, no blanks, no other spelling. */
    {.name = "", .absent = true},
    {.name = "use", .absent = true},
    {.name = "users", .absent = true},
    {.name = "allow ", .absent = true},
    {.name = " deny", .absent = true},
    {.name = "rfc1413", .absent = true},
    {.name = "banner", .absent = true},
    {.name = "exec", .absent = true},
};

static void test_find_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(finds); i++) {
        const struct find_case *c = &finds[i];
        const struct option_spec *o = option_find(c->name);

        if (c->absent ? o != NULL
                      : o == NULL || o->id != c->id || o->arg != c->arg ||
                            o->effects != c->effects) {
            print_error("option_find(\"%s\") wrong\n", c->name);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- syslog_facility_find(), syslog_level_find() ---- */

static const struct syslog_case {
    const char *name;
    bool level;  /* a level name, else a facility name */
    bool absent; /* the lookup must return NULL */
    int value;
    bool debian; /* Debian's library knows the name too */
} syslogs[] = {
    /* The facilities Debian knows. */
    {.name = "kern", .value = LOG_KERN, .debian = true},
    {.name = "user", .value = LOG_USER, .debian = true},
    {.name = "mail", .value = LOG_MAIL, .debian = true},
    {.name = "daemon", .value = LOG_DAEMON, .debian = true},
    {.name = "auth", .value = LOG_AUTH, .debian = true},
    {.name = "lpr", .value = LOG_LPR, .debian = true},
    {.name = "news", .value = LOG_NEWS, .debian = true},
    {.name = "uucp", .value = LOG_UUCP, .debian = true},
    {.name = "cron", .value = LOG_CRON, .debian = true},
    {.name = "local0", .value = LOG_LOCAL0, .debian = true},
    {.name = "local7", .value = LOG_LOCAL7, .debian = true},
    /* <syslog.h>'s others (D13). */
    {.name = "authpriv", .value = LOG_AUTHPRIV},
    {.name = "ftp", .value = LOG_FTP},
    {.name = "security", .value = LOG_AUTH},
    {.name = "syslog", .value = LOG_SYSLOG},
    /* Any case; internal and unknown names are not facilities. */
    {.name = "LOCAL3", .value = LOG_LOCAL3, .debian = true},
    {.name = "Daemon", .value = LOG_DAEMON, .debian = true},
    {.name = "mark", .absent = true},
    {.name = "local8", .absent = true},
    {.name = "", .absent = true},
    {.name = "emerg", .absent = true},
    /* The eight levels Debian knows. */
    {.name = "emerg", .level = true, .value = LOG_EMERG, .debian = true},
    {.name = "alert", .level = true, .value = LOG_ALERT, .debian = true},
    {.name = "crit", .level = true, .value = LOG_CRIT, .debian = true},
    {.name = "err", .level = true, .value = LOG_ERR, .debian = true},
    {.name = "warning", .level = true, .value = LOG_WARNING, .debian = true},
    {.name = "notice", .level = true, .value = LOG_NOTICE, .debian = true},
    {.name = "info", .level = true, .value = LOG_INFO, .debian = true},
    {.name = "debug", .level = true, .value = LOG_DEBUG, .debian = true},
    /* <syslog.h>'s aliases (D13). */
    {.name = "panic", .level = true, .value = LOG_EMERG},
    {.name = "error", .level = true, .value = LOG_ERR},
    {.name = "warn", .level = true, .value = LOG_WARNING},
    /* Any case; internal and unknown names are not levels. */
    {.name = "NOTICE", .level = true, .value = LOG_NOTICE, .debian = true},
    {.name = "none", .level = true, .absent = true},
    {.name = "errors", .level = true, .absent = true},
    {.name = "", .level = true, .absent = true},
    {.name = "auth", .level = true, .absent = true},
};

static void test_syslog_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(syslogs); i++) {
        const struct syslog_case *c = &syslogs[i];
        const struct syslog_name *s = c->level ? syslog_level_find(c->name)
                                               : syslog_facility_find(c->name);

        if (c->absent ? s != NULL
                      : s == NULL || s->value != c->value ||
                            s->debian != c->debian) {
            print_error("syslog_%s_find(\"%s\") wrong\n",
                        c->level ? "level" : "facility", c->name);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- option_cut() ---- */

#define MAX_PIECES 4

static const struct cut_case {
    const char *field;
    /* The options in order; the last has no ':' after it. */
    const char *pieces[MAX_PIECES];
    size_t count;
} cuts[] = {
    {.field = "", .pieces = {""}, .count = 1},
    {.field = "allow", .pieces = {"allow"}, .count = 1},
    {.field = "spawn echo : deny",
     .pieces = {"spawn echo ", " deny"},
     .count = 2},
    {.field = "a:b:c", .pieces = {"a", "b", "c"}, .count = 3},
    /* A ':' at either end, or two in a row, leaves an empty option. */
    {.field = ":", .pieces = {"", ""}, .count = 2},
    {.field = "a:", .pieces = {"a", ""}, .count = 2},
    {.field = ":a", .pieces = {"", "a"}, .count = 2},
    {.field = "a::b", .pieces = {"a", "", "b"}, .count = 3},
    /* "\:" is a ':' of the option; any other backslash stays. */
    {.field = "twist echo a\\:b", .pieces = {"twist echo a:b"}, .count = 1},
    {.field = "a\\::b", .pieces = {"a:", "b"}, .count = 2},
    {.field = "a\\b:c", .pieces = {"a\\b", "c"}, .count = 2},
    {.field = "a\\\\:b", .pieces = {"a\\:b"}, .count = 1},
    {.field = "a\\", .pieces = {"a\\"}, .count = 1},
    {.field = "\\:\\:", .pieces = {"::"}, .count = 1},
};

static void test_cut_cases(void **state)
{
    size_t i, n;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(cuts); i++) {
        const struct cut_case *c = &cuts[i];
        char buf[64], *p = buf;
        bool more = true, ok = true;

        snprintf(buf, sizeof(buf), "%s", c->field);
        for (n = 0; n < c->count && ok; n++) {
            const char *piece = option_cut(&p, &more);
            ok =
                strcmp(piece, c->pieces[n]) == 0 && more == (n + 1 < c->count);
        }
        /* The field is used up: p rests on its NUL. */
        if (!ok || *p != '\0') {
            print_error("option_cut(\"%s\"): option %zu wrong\n", c->field, n);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- option_split() ---- */

static const struct split_case {
    const char *text;
    const char *name; /* NULL: "missing option name" */
    const char *value;
} splits[] = {
    {.text = "allow", .name = "allow", .value = ""},
    {.text = "spawn echo hi", .name = "spawn", .value = "echo hi"},
    {.text = "  user = bob  ", .name = "user", .value = "bob"},
    {.text = "nice\t=\t5", .name = "nice", .value = "5"},
    {.text = "umask=022", .name = "umask", .value = "022"},
    /* One '=' only: the rest is the value. */
    {.text = "setenv=X=1", .name = "setenv", .value = "X=1"},
    {.text = "a==b", .name = "a", .value = "=b"},
    {.text = "a = = b", .name = "a", .value = "= b"},
    {.text = "user =", .name = "user", .value = ""},
    {.text = "=bob", .name = "", .value = "bob"},
    /* The value keeps its inner blanks. */
    {.text = "twist  echo  a  ", .name = "twist", .value = "echo  a"},
    {.text = "rfc931\r\n", .name = "rfc931", .value = ""},
    /* isspace() trims the ends, but only space, tab, CR and LF end the
     * keyword or surround the '='. */
    {.text = "\v\fuser bob\v", .name = "user", .value = "bob"},
    {.text = "user\vbob", .name = "user\vbob", .value = ""},
    {.text = "user\f=bob", .name = "user\f", .value = "bob"},
    {.text = "user =\vbob", .name = "user", .value = "\vbob"},
    /* Nothing but white space: no keyword, and an empty value. */
    {.text = "", .value = ""},
    {.text = " \t\r\n\v\f", .value = ""},
};

static void test_split_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(splits); i++) {
        const struct split_case *c = &splits[i];
        char buf[64], *value = NULL, *name;

        snprintf(buf, sizeof(buf), "%s", c->text);
        name = option_split(buf, &value);
        if ((c->name == NULL ? name != NULL
                             : name == NULL || strcmp(name, c->name) != 0) ||
            value == NULL || strcmp(value, c->value) != 0) {
            print_error("option_split(\"%s\") = \"%s\", \"%s\"\n", c->text,
                        name != NULL ? name : "(null)",
                        value != NULL ? value : "(null)");
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

/* ---- option_trim() ---- */

static const struct trim_case {
    const char *text;
    const char *want;
} trims[] = {
    {.text = "", .want = ""},
    {.text = "a", .want = "a"},
    {.text = "  a b  ", .want = "a b"},
    {.text = "\t\n\v\f\r a \t\n\v\f\r", .want = "a"},
    {.text = " \t\n\v\f\r", .want = ""},
    {.text = "a\tb", .want = "a\tb"},
};

static void test_trim_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(trims); i++) {
        const struct trim_case *c = &trims[i];
        char buf[64];
        const char *got;

        snprintf(buf, sizeof(buf), "%s", c->text);
        got = option_trim(buf);
        if (strcmp(got, c->want) != 0) {
            print_error("option_trim(\"%s\") = \"%s\", want \"%s\"\n", c->text,
                        got, c->want);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_cases), cmocka_unit_test(test_syslog_cases),
        cmocka_unit_test(test_cut_cases),  cmocka_unit_test(test_split_cases),
        cmocka_unit_test(test_trim_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
