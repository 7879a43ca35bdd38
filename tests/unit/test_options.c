/*
 * test_options.c - the option language: parsing, every error message,
 * each option's effect, dry-run mode, process_options() and its jumps.
 *
 * The table cases run "ALL: ALL: <options>" through hosts_ctl() for the
 * request (sshd, host, 1.2.3.4, bob) with hosts_access_verbose = 1.
 * Their expected values were recorded from Debian's libwrap0 7.6.q-32
 * with a probe program that captures its syslog calls, except the cases
 * marked with a compat-policy difference (D8, D9, D13).  Nothing here
 * starts a process: the options that do (spawn, aclexec, and nice, user
 * and group, which change the process) are in test_options_fork.c;
 * spawn, twist and aclexec as processes in test_child.c, banners in
 * test_banners.c and the ident lookup in test_ident.c.
 */
#include "testlib.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "exports.h"
#include "options.h"
#include "testnet.h"

/* A change a row expects; fields left 0 expect no change. */
#define CHANGED   (1LL << 40)
#define TO(value) (CHANGED | (long long)(value))

struct option_case {
    const char *name;
    char table;          /* 'D': the rule is in hosts.deny; else allow */
    const char *options; /* the option field */
    int granted;
    long long umask;    /* TO(umask after the call); it starts as 022 */
    long long severity; /* TO(both severities after); they start 6, 4 */
    long long timeout;  /* TO(rfc931_timeout after); it starts as 10 */
    const char *foo;    /* $FOO after, NULL: unset */
    const char *log;    /* NULL: ""; "%A" and "%D" stand for the tables */
};

static const struct option_case cases[] = {
    {.name = "empty field",
     .options = "",
     .log = "3 error: %A, line 1: missing option name\n"},
    {.name = "blank field",
     .options = "   ",
     .log = "3 error: %A, line 1: missing option name\n"},
    {.name = "allow",
     .options = "allow",
     .granted = 1,
     .log = "7 option:   allow \n"},
    {.name = "keyword case",
     .options = "ALLOW",
     .granted = 1,
     .log = "7 option:   ALLOW \n"},
    {.name = "deny", .options = "Deny", .log = "7 option:   Deny \n"},
    {.name = "allow overrides deny table",
     .table = 'D',
     .options = "allow",
     .granted = 1,
     .log = "7 option:   allow \n"},
    {.name = "deny in allow table",
     .options = "deny",
     .log = "7 option:   deny \n"},
    {.name = "options without verdict, allow table",
     .options = "umask 022",
     .granted = 1,
     .log = "7 option:   umask 022\n"},
    {.name = "options without verdict, deny table",
     .table = 'D',
     .options = "umask 022",
     .log = "7 option:   umask 022\n"},
    {.name = "unknown keyword",
     .options = "bogus",
     .log = "3 error: %A, line 1: bad option name: \"bogus\"\n"},
    {.name = "unknown keyword in deny table",
     .table = 'D',
     .options = "bogus",
     .log = "3 error: %D, line 1: bad option name: \"bogus\"\n"},
    {.name = "value for no-value option",
     .options = "allow x",
     .log = "3 error: %A, line 1: option \"allow\" requires no value\n"},
    {.name = "empty value after =",
     .options = "allow=",
     .granted = 1,
     .log = "7 option:   allow \n"},
    {.name = "empty value after spaced =",
     .options = "allow =",
     .granted = 1,
     .log = "7 option:   allow \n"},
    {.name = "missing value",
     .options = "umask",
     .log = "3 error: %A, line 1: option \"umask\" requires value\n"},
    {.name = "missing value, deny table",
     .table = 'D',
     .options = "umask",
     .log = "3 error: %D, line 1: option \"umask\" requires value\n"},
    {.name = "= without blanks",
     .options = "umask=077",
     .granted = 1,
     .umask = TO(0077),
     .log = "7 option:   umask 077\n"},
    {.name = "= with blanks",
     .options = "umask = 077",
     .granted = 1,
     .umask = TO(0077),
     .log = "7 option:   umask 077\n"},
    {.name = "== is part of the value",
     .options = "umask == 077",
     .log = "7 option:   umask = 077\n"
            "3 error: %A, line 1: bad umask value: \"= 077\"\n"},
    {.name = "tab before =",
     .options = "umask\011=\011077",
     .granted = 1,
     .umask = TO(0077),
     .log = "7 option:   umask 077\n"},
    {.name = "CR is a blank",
     .options = "umask =\015077",
     .granted = 1,
     .umask = TO(0077),
     .log = "7 option:   umask 077\n"},
    {.name = "VT ends no keyword",
     .options = "umask\013077",
     .log = "3 error: %A, line 1: bad option name: \"umask\013077\"\n"},
    {.name = "FF ends no keyword",
     .options = "umask\014077",
     .log = "3 error: %A, line 1: bad option name: \"umask\014077\"\n"},
    {.name = "VT before = is no blank",
     .options = "umask \013= 077",
     .log = "7 option:   umask \013= 077\n"
            "3 error: %A, line 1: bad umask value: \"\013= 077\"\n"},
    {.name = "VT after = stays in value",
     .options = "umask = \013077",
     .granted = 1,
     .umask = TO(0077),
     .log = "7 option:   umask \013077\n"},
    {.name = "VT and FF trimmed at both ends",
     .options = "\013umask 077\013",
     .granted = 1,
     .umask = TO(0077),
     .log = "7 option:   umask 077\n"},
    {.name = "FF trimmed before keyword",
     .options = "\014allow",
     .granted = 1,
     .log = "7 option:   allow \n"},
    {.name = "VT trimmed after keyword",
     .options = "allow\013",
     .granted = 1,
     .log = "7 option:   allow \n"},
    {.name = "trailing blanks trimmed",
     .options = "umask 7 ",
     .granted = 1,
     .umask = TO(0007),
     .log = "7 option:   umask 7\n"},
    {.name = "umask 0777",
     .options = "umask 0777",
     .granted = 1,
     .umask = TO(0777),
     .log = "7 option:   umask 0777\n"},
    {.name = "umask 08",
     .options = "umask 08",
     .log = "7 option:   umask 08\n"
            "3 error: %A, line 1: bad umask value: \"08\"\n"},
    {.name = "umask 1777",
     .options = "umask 1777",
     .log = "7 option:   umask 1777\n"
            "3 error: %A, line 1: bad umask value: \"1777\"\n"},
    {.name = "umask with trailing word",
     .options = "umask 077 x",
     .log = "7 option:   umask 077 x\n"
            "3 error: %A, line 1: bad umask value: \"077 x\"\n"},
    {.name = "umask -1",
     .options = "umask -1",
     .log = "7 option:   umask -1\n"
            "3 error: %A, line 1: bad umask value: \"-1\"\n"},
    {.name = "umask -0",
     .options = "umask -0",
     .granted = 1,
     .umask = TO(0000),
     .log = "7 option:   umask -0\n"},
    {.name = "umask +7",
     .options = "umask  +7",
     .granted = 1,
     .umask = TO(0007),
     .log = "7 option:   umask +7\n"},
    {.name = "umask hex",
     .options = "umask 0x7",
     .log = "7 option:   umask 0x7\n"
            "3 error: %A, line 1: bad umask value: \"0x7\"\n"},
    {.name = "umask trailing dot",
     .options = "umask 077.",
     .log = "7 option:   umask 077.\n"
            "3 error: %A, line 1: bad umask value: \"077.\"\n"},
    {.name = "umask many zeros",
     .options = "umask 00000000000000000000000000000000000007",
     .granted = 1,
     .umask = TO(0007),
     .log = "7 option:   umask 00000000000000000000000000000000000007\n"},
    {.name = "umask saturates",
     .options = "umask 7777777777777777777777",
     .log =
         "7 option:   umask 7777777777777777777777\n"
         "3 error: %A, line 1: bad umask value: \"7777777777777777777777\"\n"},
    {.name = "umask 2^32-1",
     .options = "umask 37777777777",
     .log = "7 option:   umask 37777777777\n"
            "3 error: %A, line 1: bad umask value: \"37777777777\"\n"},
    {.name = "umask 2^32 wraps to 0",
     .options = "umask 40000000000",
     .granted = 1,
     .umask = TO(0000),
     .log = "7 option:   umask 40000000000\n"},
    {.name = "umask 2^32+0777 wraps",
     .options = "umask 40000000777",
     .granted = 1,
     .umask = TO(0777),
     .log = "7 option:   umask 40000000777\n"},
    {.name = "umask huge",
     .options = "umask 1000000000000000000000777",
     .log = "7 option:   umask 1000000000000000000000777\n"
            "3 error: %A, line 1: bad umask value: "
            "\"1000000000000000000000777\"\n"},
    {.name = "allow not last",
     .options = "allow: umask 022",
     .log = "3 error: %A, line 1: option \"allow\" must be at end\n"},
    {.name = "deny not last",
     .options = "deny : allow",
     .log = "3 error: %A, line 1: option \"deny\" must be at end\n"},
    {.name = "allow before empty field",
     .options = "allow :",
     .log = "3 error: %A, line 1: option \"allow\" must be at end\n"},
    {.name = "allow before blank field",
     .options = "allow : ",
     .log = "3 error: %A, line 1: option \"allow\" must be at end\n"},
    {.name = "twist not last",
     .options = "twist echo: allow",
     .log = "3 error: %A, line 1: option \"twist\" must be at end\n"},
    {.name = "value check before last check",
     .options = "twist : allow",
     .log = "3 error: %A, line 1: option \"twist\" requires value\n"},
    {.name = "no-value check before last check",
     .options = "allow x : deny",
     .log = "3 error: %A, line 1: option \"allow\" requires no value\n"},
    {.name = "empty field after an option",
     .options = "umask 022 :",
     .log = "7 option:   umask 022\n"
            "3 error: %A, line 1: missing option name\n"},
    {.name = "empty field in the middle",
     .options = "umask 022 : : allow",
     .log = "7 option:   umask 022\n"
            "3 error: %A, line 1: missing option name\n"},
    {.name = "earlier effects persist",
     .options = "umask 027 : deny",
     .umask = TO(0027),
     .log = "7 option:   umask 027\n"
            "7 option:   deny \n"},
    {.name = "error after effect",
     .options = "umask 027 : bogus",
     .umask = TO(0027),
     .log = "7 option:   umask 027\n"
            "3 error: %A, line 1: bad option name: \"bogus\"\n"},
    {.name = "verdict after options",
     .options = "umask 022 : allow",
     .granted = 1,
     .log = "7 option:   umask 022\n"
            "7 option:   allow \n"},
    {.name = "spawn without value",
     .options = "spawn",
     .log = "3 error: %A, line 1: option \"spawn\" requires value\n"},
    {.name = "spawn with empty value",
     .options = "spawn=",
     .log = "3 error: %A, line 1: option \"spawn\" requires value\n"},
    {.name = "spawn with blank value",
     .options = "spawn =  ",
     .log = "3 error: %A, line 1: option \"spawn\" requires value\n"},
    {.name = "escaped colon",
     .options = "setenv FOO a\\:b",
     .granted = 1,
     .foo = "a:b",
     .log = "7 option:   setenv FOO a:b\n"},
    {.name = "brackets do not protect colons",
     .options = "setenv FOO [a:b]",
     .foo = "[a",
     .log = "7 option:   setenv FOO [a\n"
            "3 error: %A, line 1: bad option name: \"b]\"\n"},
    {.name = "backslash before escaped colon",
     .options = "setenv FOO a\\\\:b",
     .granted = 1,
     .foo = "a\\:b",
     .log = "7 option:   setenv FOO a\\:b\n"},
    {.name = "backslash before other char",
     .options = "setenv FOO a\\b",
     .granted = 1,
     .foo = "a\\b",
     .log = "7 option:   setenv FOO a\\b\n"},
    {.name = "trailing backslash",
     .options = "setenv FOO a\\ : allow",
     .granted = 1,
     .foo = "a\\",
     .log = "7 option:   setenv FOO a\\\n"
            "7 option:   allow \n"},
    {.name = "escaped colon at end",
     .options = "setenv FOO ab\\:",
     .granted = 1,
     .foo = "ab:",
     .log = "7 option:   setenv FOO ab:\n"},
    {.name = "escaped colon in name",
     .options = "setenv FOO\\:x y",
     .granted = 1,
     .log = "7 option:   setenv FOO:x y\n"},
    {.name = "escaped colon alone",
     .options = "setenv FOO \\:",
     .granted = 1,
     .foo = ":",
     .log = "7 option:   setenv FOO :\n"},
    {.name = "escaped colon at start",
     .options = "\\:umask 022",
     .log = "3 error: %A, line 1: bad option name: \":umask\"\n"},
    {.name = "setenv blanks",
     .options = "setenv   FOO    x  y  ",
     .granted = 1,
     .foo = "x  y",
     .log = "7 option:   setenv FOO    x  y\n"},
    {.name = "setenv empty value",
     .options = "setenv FOO",
     .granted = 1,
     .foo = "",
     .log = "7 option:   setenv FOO\n"},
    {.name = "setenv with =",
     .options = "setenv=FOO bar",
     .granted = 1,
     .foo = "bar",
     .log = "7 option:   setenv FOO bar\n"},
    {.name = "setenv name with =",
     .options = "setenv FOO=bar",
     .log = "7 option:   setenv FOO=bar\n"
            "3 error: %A, line 1: memory allocation failure\n"},
    {.name = "setenv tab",
     .options = "SETENV\011FOO\011z",
     .granted = 1,
     .foo = "z",
     .log = "7 option:   SETENV FOO\011z\n"},
    {.name = "setenv CR then VT",
     .options = "setenv FOO\015\013x",
     .granted = 1,
     .foo = "x",
     .log = "7 option:   setenv FOO\015\013x\n"},
    {.name = "setenv CR inside",
     .options = "setenv FOO \015 x\015",
     .granted = 1,
     .foo = "x",
     .log = "7 option:   setenv FOO \015 x\n"},
    {.name = "setenv FF joins name",
     .options = "setenv FOO\014x",
     .granted = 1,
     .log = "7 option:   setenv FOO\014x\n"},
    {.name = "setenv control char joins name",
     .options = "setenv FOO\001x",
     .granted = 1,
     .log = "7 option:   setenv FOO\001x\n"},
    {.name = "setenv VT before name",
     .options = "setenv \013FOO x",
     .granted = 1,
     .foo = "x",
     .log = "7 option:   setenv FOO x\n"},
    {.name = "setenv VT before value",
     .options = "setenv FOO \013 x",
     .granted = 1,
     .foo = "x",
     .log = "7 option:   setenv FOO \013 x\n"},
    {.name = "setenv VT in name",
     .options = "setenv FOO\013BAR x",
     .granted = 1,
     .log = "7 option:   setenv FOO\013BAR x\n"},
    {.name = "setenv expansion",
     .options = "setenv FOO %d",
     .granted = 1,
     .foo = "sshd",
     .log = "7 option:   setenv FOO sshd\n"},
    {.name = "setenv expanded name",
     .options = "setenv %d x",
     .granted = 1,
     .log = "7 option:   setenv sshd x\n"},
    {.name = "setenv unknown letter",
     .options = "setenv FOO %x",
     .granted = 1,
     .foo = "",
     .log = "3 warning: %A, line 1: unrecognized %x\n"
            "7 option:   setenv FOO\n"},
    {.name = "setenv expansion trimmed",
     .options = "setenv FOO  %d  ",
     .granted = 1,
     .foo = "sshd",
     .log = "7 option:   setenv FOO  sshd\n"},
    {.name = "setenv forced lookup",
     .options = "setenv FOO x%n",
     .granted = 1,
     .foo = "xhost",
     .log = "7 option:   setenv FOO xhost\n"},
    {.name = "setenv no value",
     .options = "setenv  ",
     .log = "3 error: %A, line 1: option \"setenv\" requires value\n"},
    {.name = "setenv two unknown letters",
     .options = "setenv FOO %x%x",
     .granted = 1,
     .foo = "",
     .log = "3 warning: %A, line 1: unrecognized %x\n"
            "3 warning: %A, line 1: unrecognized %x\n"
            "7 option:   setenv FOO\n"},
    {.name = "setenv expanded to blank name",
     .options = "setenv %x FOO",
     .granted = 1,
     .foo = "",
     .log = "3 warning: %A, line 1: unrecognized %x\n"
            "7 option:   setenv FOO\n"},
    {.name = "setenv expanded to nothing",
     .options = "setenv %x",
     .log = "3 warning: %A, line 1: unrecognized %x\n"
            "7 option:   setenv \n"
            "3 error: %A, line 1: memory allocation failure\n"},
    {.name = "setenv literal text unfiltered",
     .options = "setenv FOO %a;%d `x` $y",
     .granted = 1,
     .foo = "1.2.3.4;sshd `x` $y",
     .log = "7 option:   setenv FOO 1.2.3.4;sshd `x` $y\n"},
    {.name = "setenv filter",
     .options = "setenv FOO %u%c",
     .granted = 1,
     .foo = "bobbob@host",
     .log = "7 option:   setenv FOO bobbob@host\n"},
    {.name = "linger without value",
     .options = "linger",
     .log = "3 error: %A, line 1: option \"linger\" requires value\n"},
    {.name = "linger 5",
     .options = "linger 5",
     .granted = 1,
     .log = "7 option:   linger 5\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 5: Bad file "
            "descriptor\n"},
    {.name = "linger 0",
     .options = "linger 0",
     .granted = 1,
     .log = "7 option:   linger 0\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file "
            "descriptor\n"},
    {.name = "linger -1",
     .options = "linger -1",
     .log = "7 option:   linger -1\n"
            "3 error: %A, line 1: bad linger value: \"-1\"\n"},
    {.name = "linger x",
     .options = "linger x",
     .log = "7 option:   linger x\n"
            "3 error: %A, line 1: bad linger value: \"x\"\n"},
    {.name = "linger trailing word",
     .options = "linger 5 x",
     .log = "7 option:   linger 5 x\n"
            "3 error: %A, line 1: bad linger value: \"5 x\"\n"},
    {.name = "linger -0",
     .options = "linger -0",
     .granted = 1,
     .log = "7 option:   linger -0\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file "
            "descriptor\n"},
    {.name = "linger +0",
     .options = "linger +0",
     .granted = 1,
     .log = "7 option:   linger +0\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file "
            "descriptor\n"},
    {.name = "linger wraps",
     .options = "linger 99999999999",
     .granted = 1,
     .log = "7 option:   linger 99999999999\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 1215752191: Bad file "
            "descriptor\n"},
    {.name = "linger 2^32 wraps to 0",
     .options = "linger 4294967296",
     .granted = 1,
     .log = "7 option:   linger 4294967296\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file "
            "descriptor\n"},
    {.name = "linger 2^32-1 wraps to -1",
     .options = "linger 4294967295",
     .log = "7 option:   linger 4294967295\n"
            "3 error: %A, line 1: bad linger value: \"4294967295\"\n"},
    {.name = "linger 2^31",
     .options = "linger 2147483648",
     .log = "7 option:   linger 2147483648\n"
            "3 error: %A, line 1: bad linger value: \"2147483648\"\n"},
    {.name = "linger saturates",
     .options = "linger 99999999999999999999",
     .log =
         "7 option:   linger 99999999999999999999\n"
         "3 error: %A, line 1: bad linger value: \"99999999999999999999\"\n"},
    {.name = "linger saturates negative",
     .options = "linger -99999999999999999999",
     .granted = 1,
     .log = "7 option:   linger -99999999999999999999\n"
            "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file "
            "descriptor\n"},
    {.name = "rfc931 without value",
     .options = "rfc931",
     .granted = 1,
     .log = "7 option:   rfc931 \n"},
    {.name = "rfc931 5",
     .options = "rfc931 5",
     .granted = 1,
     .timeout = TO(5),
     .log = "7 option:   rfc931 5\n"},
    {.name = "rfc931 0",
     .options = "rfc931 0",
     .log = "7 option:   rfc931 0\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"0\"\n"},
    {.name = "rfc931 -1",
     .options = "rfc931 -1",
     .log = "7 option:   rfc931 -1\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"-1\"\n"},
    {.name = "rfc931 -0",
     .options = "rfc931 -0",
     .log = "7 option:   rfc931 -0\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"-0\"\n"},
    {.name = "rfc931 x",
     .options = "rfc931 x",
     .log = "7 option:   rfc931 x\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"x\"\n"},
    {.name = "rfc931 trailing letter",
     .options = "rfc931 5x",
     .log = "7 option:   rfc931 5x\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"5x\"\n"},
    {.name = "rfc931 +5",
     .options = "rfc931 +5",
     .granted = 1,
     .timeout = TO(5),
     .log = "7 option:   rfc931 +5\n"},
    {.name = "rfc931 octal-looking",
     .options = "rfc931 010",
     .granted = 1,
     .log = "7 option:   rfc931 010\n"},
    {.name = "rfc931 hex",
     .options = "rfc931 0x5",
     .log = "7 option:   rfc931 0x5\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"0x5\"\n"},
    {.name = "rfc931 wraps",
     .options = "rfc931 99999999999",
     .granted = 1,
     .timeout = TO(1215752191),
     .log = "7 option:   rfc931 99999999999\n"},
    {.name = "rfc931 2^32+1 wraps to 1",
     .options = "rfc931 4294967297",
     .granted = 1,
     .timeout = TO(1),
     .log = "7 option:   rfc931 4294967297\n"},
    {.name = "rfc931 2^32-1 wraps to -1",
     .options = "rfc931 4294967295",
     .log = "7 option:   rfc931 4294967295\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"4294967295\"\n"},
    {.name = "rfc931 2^31",
     .options = "rfc931 2147483648",
     .log = "7 option:   rfc931 2147483648\n"
            "3 error: %A, line 1: bad rfc931 timeout: \"2147483648\"\n"},
    {.name = "rfc931 INT_MAX",
     .options = "rfc931 2147483647",
     .granted = 1,
     .timeout = TO(2147483647),
     .log = "7 option:   rfc931 2147483647\n"},
    {.name = "rfc931 saturates",
     .options = "rfc931 99999999999999999999",
     .log = "7 option:   rfc931 99999999999999999999\n"
            "3 error: %A, line 1: bad rfc931 timeout: "
            "\"99999999999999999999\"\n"},
    {.name = "rfc931 saturates negative",
     .options = "rfc931 -99999999999999999999",
     .log = "7 option:   rfc931 -99999999999999999999\n"
            "3 error: %A, line 1: bad rfc931 timeout: "
            "\"-99999999999999999999\"\n"},
    {.name = "keepalive",
     .options = "keepalive",
     .granted = 1,
     .log = "7 option:   keepalive \n"
            "3 warning: %A, line 1: setsockopt SO_KEEPALIVE: Bad file "
            "descriptor\n"},
    {.name = "keepalive with value",
     .options = "keepalive 1",
     .log = "3 error: %A, line 1: option \"keepalive\" requires no value\n"},
    {.name = "severity without value",
     .options = "severity",
     .log = "3 error: %A, line 1: option \"severity\" requires value\n"},
    {.name = "severity emerg",
     .options = "severity emerg",
     .granted = 1,
     .severity = TO(0),
     .log = "7 option:   severity emerg\n"},
    {.name = "severity case",
     .options = "severity EMERG",
     .granted = 1,
     .severity = TO(0),
     .log = "7 option:   severity EMERG\n"},
    {.name = "severity mail.err",
     .options = "severity mail.err",
     .granted = 1,
     .severity = TO(19),
     .log = "7 option:   severity mail.err\n"},
    {.name = "severity local0.notice",
     .options = "severity local0.notice",
     .granted = 1,
     .severity = TO(133),
     .log = "7 option:   severity local0.notice\n"},
    {.name = "severity local7.debug",
     .options = "severity local7.debug",
     .granted = 1,
     .severity = TO(191),
     .log = "7 option:   severity local7.debug\n"},
    {.name = "severity kern.emerg",
     .options = "severity kern.emerg",
     .granted = 1,
     .severity = TO(0),
     .log = "7 option:   severity kern.emerg\n"},
    {.name = "severity mixed case",
     .options = "severity Mail.Err",
     .granted = 1,
     .severity = TO(19),
     .log = "7 option:   severity Mail.Err\n"},
    {.name = "severity number",
     .options = "severity 5",
     .log = "7 option:   severity 5\n"
            "3 error: %A, line 1: bad syslog facility or severity: \"5\"\n"},
    {.name = "severity split at first dot",
     .options = "severity user.err.x",
     .log =
         "7 option:   severity user.err.x\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"err.x\"\n"},
    {.name = "severity empty facility",
     .options = "severity .err",
     .log = "7 option:   severity .err\n"
            "3 error: %A, line 1: bad syslog facility or severity: \"\"\n"},
    {.name = "severity empty level",
     .options = "severity mail.",
     .log = "7 option:   severity mail.\n"
            "3 error: %A, line 1: bad syslog facility or severity: \"\"\n"},
    {.name = "severity bad facility",
     .options = "severity bogus.err",
     .log =
         "7 option:   severity bogus.err\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"bogus\"\n"},
    {.name = "severity bad level",
     .options = "severity mail.bogus",
     .log =
         "7 option:   severity mail.bogus\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"bogus\"\n"},
    {.name = "severity both bad",
     .options = "severity bogus.bogus",
     .log =
         "7 option:   severity bogus.bogus\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"bogus\"\n"},
    {.name = "severity blank in facility",
     .options = "severity mail .err",
     .log =
         "7 option:   severity mail .err\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"mail \"\n"},
    {.name = "severity facility alone",
     .options = "severity kern",
     .log =
         "7 option:   severity kern\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"kern\"\n"},
    {.name = "severity swapped",
     .options = "severity debug.kern",
     .log =
         "7 option:   severity debug.kern\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"debug\"\n"},
    {.name = "severity local8",
     .options = "severity local8.err",
     .log =
         "7 option:   severity local8.err\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"local8\"\n"},
    {.name = "severity none",
     .options = "severity none",
     .log =
         "7 option:   severity none\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"none\"\n"},
    {.name = "severity mark",
     .options = "severity mark.info",
     .log =
         "7 option:   severity mark.info\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"mark\"\n"},
    {.name = "missing banners dir",
     .options = "banners /nonexistent-dir : allow",
     .granted = 1,
     .log =
         "7 option:   banners /nonexistent-dir\n"
         "3 warning: %A, line 1: /nonexistent-dir: No such file or directory\n"
         "7 option:   allow \n"},
    {.name = "setenv then allow",
     .options = "setenv A b : allow",
     .granted = 1,
     .log = "7 option:   setenv A b\n"
            "7 option:   allow \n"},
    {.name = "keepalive then allow",
     .options = "keepalive : allow",
     .granted = 1,
     .log = "7 option:   keepalive \n"
            "3 warning: %A, line 1: setsockopt SO_KEEPALIVE: Bad file "
            "descriptor\n"
            "7 option:   allow \n"},
    {.name = "linger then allow",
     .options = "linger 0 : allow",
     .granted = 1,
     .log =
         "7 option:   linger 0\n"
         "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"
         "7 option:   allow \n"},
    {.name = "rfc931 then allow",
     .options = "rfc931 : allow",
     .granted = 1,
     .log = "7 option:   rfc931 \n"
            "7 option:   allow \n"},
    {.name = "severity then allow",
     .options = "severity info : allow",
     .granted = 1,
     .severity = TO(6),
     .log = "7 option:   severity info\n"
            "7 option:   allow \n"},
    /* compat-policy D13: every <syslog.h> name; Debian rejects these. */
    {.name = "D13 level warn",
     .options = "severity warn",
     .granted = 1,
     .severity = TO(4),
     .log = "7 option:   severity warn\n"},
    {.name = "D13 level error",
     .options = "severity error",
     .granted = 1,
     .severity = TO(3),
     .log = "7 option:   severity error\n"},
    {.name = "D13 level panic",
     .options = "severity panic",
     .granted = 1,
     .severity = TO(0),
     .log = "7 option:   severity panic\n"},
    {.name = "D13 facility authpriv",
     .options = "severity authpriv.info",
     .granted = 1,
     .severity = TO(86),
     .log = "7 option:   severity authpriv.info\n"},
    {.name = "D13 facility syslog",
     .options = "severity syslog.notice",
     .granted = 1,
     .severity = TO(45),
     .log = "7 option:   severity syslog.notice\n"},
    {.name = "D13 facility ftp",
     .options = "severity ftp.err",
     .granted = 1,
     .severity = TO(91),
     .log = "7 option:   severity ftp.err\n"},
    {.name = "D13 facility security",
     .options = "severity security.warning",
     .granted = 1,
     .severity = TO(36),
     .log = "7 option:   severity security.warning\n"},
    {.name = "D13 names in any case",
     .options = "severity AUTHPRIV.Warn",
     .granted = 1,
     .severity = TO(84),
     .log = "7 option:   severity AUTHPRIV.Warn\n"},
    {.name = "D13 bad names still fail",
     .options = "severity authpriv.loud",
     .log =
         "7 option:   severity authpriv.loud\n"
         "3 error: %A, line 1: bad syslog facility or severity: \"loud\"\n"},
};

/* What a row expects of a value that starts as unchanged. */
static int after(long long want, int unchanged)
{
    return want != 0 ? (int)(want & ~CHANGED) : unchanged;
}

/* Checks one table case; returns false (and prints why) on a mismatch. */
static bool check_case(const struct option_case *c)
{
    struct strbuf rule = STRBUF_INIT, want = STRBUF_INIT;
    const char *foo;
    mode_t mask;
    int got;
    bool ok;

    sb_printf(&rule, "ALL: ALL: %s\n", c->options);
    tl_tables(c->table != 'D' ? sb_str(&rule) : "",
              c->table == 'D' ? sb_str(&rule) : "");
    tl_option_state(1);
    tl_log_clear();
    got = tl_ctl("sshd", "host", "1.2.3.4", "bob");
    mask = umask(022);
    foo = getenv("FOO");
    tl_expand(&want, c->log != NULL ? c->log : "");
    ok = got == c->granted && strcmp(tl_log(), sb_str(&want)) == 0 &&
         (int)mask == after(c->umask, 022) &&
         allow_severity == after(c->severity, LOG_INFO) &&
         deny_severity == after(c->severity, LOG_WARNING) &&
         rfc931_timeout == after(c->timeout, 10) &&
         ((foo == NULL && c->foo == NULL) ||
          (foo != NULL && c->foo != NULL && strcmp(foo, c->foo) == 0));
    if (!ok)
        print_error("case \"%s\": verdict %d (want %d), umask %03o (%03o), "
                    "severity %d/%d (%d/%d), timeout %d (%d), FOO %s (%s)\n"
                    "log:\n%swant:\n%s",
                    c->name, got, c->granted, (unsigned)mask,
                    (unsigned)after(c->umask, 022), allow_severity,
                    deny_severity, after(c->severity, LOG_INFO),
                    after(c->severity, LOG_WARNING), rfc931_timeout,
                    after(c->timeout, 10), foo ? foo : "(unset)",
                    c->foo ? c->foo : "(unset)", tl_log(), sb_str(&want));
    sb_free(&rule);
    sb_free(&want);
    return ok;
}

static void test_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (!check_case(&cases[i]))
            failures++;
    tl_option_state(1);
    assert_int_equal(failures, 0);
}

/* Without hosts_access_verbose nothing but problems is logged. */
static void test_quiet(void **state)
{
    (void)state;
    tl_option_state(1);
    hosts_access_verbose = 0;
    assert_int_equal(tl_run_options("umask 027 : setenv FOO x : bogus", -1),
                     OPTIONS_DENY);
    tl_assert_log("3 error: /ctx, line 3: bad option name: \"bogus\"\n");
    assert_string_equal(getenv("FOO"), "x");
    tl_option_state(1);
}

/* Dry-run mode (tcpdmatch, tcpdchk): what runs and what does not. */
static void test_dry_run(void **state)
{
    const char *flag = tl_path("spawned");
    char opts[512];
    int prio;

    (void)state;
    tl_option_state(1);
    dry_run = 1;
    snprintf(opts, sizeof(opts), "spawn touch %s", flag);
    assert_int_equal(tl_run_options(opts, -1), OPTIONS_DEFAULT);
    assert_int_equal(access(flag, F_OK), -1);
    tl_log_clear();

    /* Socket options, nice and aclexec are skipped... */
    prio = getpriority(PRIO_PROCESS, 0);
    assert_int_equal(
        tl_run_options("keepalive : linger 5 : nice 5 : aclexec false", -1),
        OPTIONS_DEFAULT);
    assert_int_equal(getpriority(PRIO_PROCESS, 0), prio);
    tl_assert_log("7 option:   keepalive \n"
                  "7 option:   linger 5\n"
                  "7 option:   nice 5\n"
                  "7 option:   aclexec false\n");

    /* ...process-wide settings are applied... */
    assert_int_equal(
        tl_run_options("umask 077 : setenv FOO %d : severity mail.err"
                       " : rfc931 3",
                       -1),
        OPTIONS_DEFAULT);
    assert_int_equal(umask(022), 077);
    assert_string_equal(getenv("FOO"), "sshd");
    assert_int_equal(allow_severity, LOG_MAIL | LOG_ERR);
    assert_int_equal(deny_severity, LOG_MAIL | LOG_ERR);
    assert_int_equal(rfc931_timeout, 3);
    tl_log_clear();

    /* ...bad values are still errors... */
    dry_run = 1;
    assert_int_equal(tl_run_options("linger x", -1), OPTIONS_DENY);
    tl_assert_log("7 option:   linger x\n"
                  "3 error: /ctx, line 3: bad linger value: \"x\"\n");

    /* ...and twist only clears dry_run ("delegated"). */
    assert_int_equal(tl_run_options("twist echo %d", -1), OPTIONS_DEFAULT);
    assert_int_equal(dry_run, 0);
    tl_assert_log("7 option:   twist echo sshd\n");
    tl_option_state(1);
}

/* The exported process_options() jumps to tcpd_buf as Debian's does
 * (tcpdchk relies on it) and reports at tcpd_context. */
static void test_process_options(void **state)
{
    static const struct {
        const char *options;
        int code; /* 0: returned normally */
        const char *log;
    } jumps[] = {
        {"allow", AC_PERMIT, "7 option:   allow \n"},
        {"deny", AC_DENY, "7 option:   deny \n"},
        {"umask 022", 0, "7 option:   umask 022\n"},
        {"bogus", AC_DENY,
         "3 error: /etc/x.allow, line 7: bad option name: \"bogus\"\n"},
        {"umask 022 : allow : deny", AC_DENY,
         "7 option:   umask 022\n"
         "3 error: /etc/x.allow, line 7: option \"allow\" must be at end\n"},
    };
    volatile size_t i;

    (void)state;
    tl_option_state(1);
    tcpd_context.file = "/etc/x.allow";
    tcpd_context.line = 7;
    for (i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++) {
        struct request_info r;
        int code;

        request_init(&r, RQ_DAEMON, "sshd", 0);
        tl_log_clear();
        if ((code = setjmp(tcpd_buf)) == 0)
            process_options((char *)jumps[i].options, &r);
        assert_int_equal(code, jumps[i].code);
        assert_string_equal(tl_log(), jumps[i].log);
    }
    /* No context: no location in the message. */
    tcpd_context.file = NULL;
    tl_log_clear();
    {
        struct request_info r;
        int code;

        request_init(&r, RQ_DAEMON, "sshd", 0);
        if ((code = setjmp(tcpd_buf)) == 0)
            process_options("umask 9", &r);
        assert_int_equal(code, AC_DENY);
        tl_assert_log("7 option:   umask 9\n"
                      "3 error: bad umask value: \"9\"\n");
    }
    tl_option_state(1);
}

/* keepalive and linger on a real connection. */
static void test_socket_options(void **state)
{
    int server, client, on = 0;
    struct linger lg;
    socklen_t len;

    (void)state;
    tl_option_state(1);
    tn_tcp_pair(&server, &client);
    assert_int_equal(tl_run_options("keepalive : linger 7", server),
                     OPTIONS_DEFAULT);
    len = sizeof(on);
    assert_int_equal(getsockopt(server, SOL_SOCKET, SO_KEEPALIVE, &on, &len),
                     0);
    assert_int_equal(on, 1);
    len = sizeof(lg);
    assert_int_equal(getsockopt(server, SOL_SOCKET, SO_LINGER, &lg, &len), 0);
    assert_int_equal(lg.l_onoff, 1);
    assert_int_equal(lg.l_linger, 7);
    assert_int_equal(tl_run_options("linger 0", server), OPTIONS_DEFAULT);
    len = sizeof(lg);
    assert_int_equal(getsockopt(server, SOL_SOCKET, SO_LINGER, &lg, &len), 0);
    assert_int_equal(lg.l_onoff, 0);
    tl_assert_log("7 option:   keepalive \n"
                  "7 option:   linger 7\n"
                  "7 option:   linger 0\n");
    /* A descriptor that is no socket: warnings, and the rule goes on. */
    assert_int_equal(tl_run_options("keepalive : linger 3 : allow", 0),
                     OPTIONS_ALLOW);
    tl_assert_log("7 option:   keepalive \n"
                  "3 warning: /ctx, line 3: setsockopt SO_KEEPALIVE: "
                  "Socket operation on non-socket\n"
                  "7 option:   linger 3\n"
                  "3 warning: /ctx, line 3: setsockopt SO_LINGER 3: "
                  "Socket operation on non-socket\n"
                  "7 option:   allow \n");
    close(server);
    close(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_quiet, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_dry_run, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_process_options, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_socket_options, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
