/*
 * test_options.c - the option language: parsing, every error message,
 * each option's effect, dry-run mode, process_options() and its jumps.
 *
 * The table cases run "ALL: ALL: <options>" through hosts_ctl() for the
 * request (sshd, host, 1.2.3.4, bob) with hosts_access_verbose = 1.
 * Their expected values were recorded from Debian's libwrap0 7.6.q-32
 * with a probe program that captures its syslog calls, except the cases
 * marked with a compat-policy difference (D8, D9, D13).  Options that
 * need a socket, a child process or another identity have their own
 * tests below; spawn, twist and aclexec are also in test_child.c,
 * banners in test_banners.c and the ident lookup in test_ident.c.
 */
#include "testlib.h"

#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "exports.h"
#include "options.h"
#include "testnet.h"

struct option_case {
    const char *name;
    char table;          /* 'A': the rule is in hosts.allow, 'D': deny */
    const char *options; /* the option field */
    int granted;
    int umask; /* umask after the call (it starts as 022) */
    int allow_severity, deny_severity; /* after (they start as 6, 4) */
    int timeout;     /* rfc931_timeout after (it starts as 10) */
    const char *foo; /* $FOO after, NULL: unset */
    const char *log; /* "%A" and "%D" stand for the table paths */
};

static const struct option_case cases[] = {
    {"empty field", 'A', "", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: missing option name\n"},
    {"blank field", 'A', "   ", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: missing option name\n"},
    {"allow", 'A', "allow", 1, 0022, 6, 4, 10, NULL, "7 option:   allow \n"},
    {"keyword case", 'A', "ALLOW", 1, 0022, 6, 4, 10, NULL,
     "7 option:   ALLOW \n"},
    {"deny", 'A', "Deny", 0, 0022, 6, 4, 10, NULL, "7 option:   Deny \n"},
    {"allow overrides deny table", 'D', "allow", 1, 0022, 6, 4, 10, NULL,
     "7 option:   allow \n"},
    {"deny in allow table", 'A', "deny", 0, 0022, 6, 4, 10, NULL,
     "7 option:   deny \n"},
    {"options without verdict, allow table", 'A', "umask 022", 1, 0022, 6, 4,
     10, NULL, "7 option:   umask 022\n"},
    {"options without verdict, deny table", 'D', "umask 022", 0, 0022, 6, 4,
     10, NULL, "7 option:   umask 022\n"},
    {"unknown keyword", 'A', "bogus", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: bad option name: \"bogus\"\n"},
    {"unknown keyword in deny table", 'D', "bogus", 0, 0022, 6, 4, 10, NULL,
     "3 error: %D, line 1: bad option name: \"bogus\"\n"},
    {"value for no-value option", 'A', "allow x", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"allow\" requires no value\n"},
    {"empty value after =", 'A', "allow=", 1, 0022, 6, 4, 10, NULL,
     "7 option:   allow \n"},
    {"empty value after spaced =", 'A', "allow =", 1, 0022, 6, 4, 10, NULL,
     "7 option:   allow \n"},
    {"missing value", 'A', "umask", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"umask\" requires value\n"},
    {"missing value, deny table", 'D', "umask", 0, 0022, 6, 4, 10, NULL,
     "3 error: %D, line 1: option \"umask\" requires value\n"},
    {"= without blanks", 'A', "umask=077", 1, 0077, 6, 4, 10, NULL,
     "7 option:   umask 077\n"},
    {"= with blanks", 'A', "umask = 077", 1, 0077, 6, 4, 10, NULL,
     "7 option:   umask 077\n"},
    {"== is part of the value", 'A', "umask == 077", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask = 077\n"
     "3 error: %A, line 1: bad umask value: \"= 077\"\n"},
    {"tab before =", 'A', "umask\011=\011077", 1, 0077, 6, 4, 10, NULL,
     "7 option:   umask 077\n"},
    {"CR is a blank", 'A', "umask =\015077", 1, 0077, 6, 4, 10, NULL,
     "7 option:   umask 077\n"},
    {"VT ends no keyword", 'A', "umask\013077", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: bad option name: \"umask\013077\"\n"},
    {"FF ends no keyword", 'A', "umask\014077", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: bad option name: \"umask\014077\"\n"},
    {"VT before = is no blank", 'A', "umask \013= 077", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   umask \013= 077\n"
     "3 error: %A, line 1: bad umask value: \"\013= 077\"\n"},
    {"VT after = stays in value", 'A', "umask = \013077", 1, 0077, 6, 4, 10,
     NULL, "7 option:   umask \013077\n"},
    {"VT and FF trimmed at both ends", 'A', "\013umask 077\013", 1, 0077, 6, 4,
     10, NULL, "7 option:   umask 077\n"},
    {"FF trimmed before keyword", 'A', "\014allow", 1, 0022, 6, 4, 10, NULL,
     "7 option:   allow \n"},
    {"VT trimmed after keyword", 'A', "allow\013", 1, 0022, 6, 4, 10, NULL,
     "7 option:   allow \n"},
    {"trailing blanks trimmed", 'A', "umask 7 ", 1, 0007, 6, 4, 10, NULL,
     "7 option:   umask 7\n"},
    {"umask 0777", 'A', "umask 0777", 1, 0777, 6, 4, 10, NULL,
     "7 option:   umask 0777\n"},
    {"umask 08", 'A', "umask 08", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask 08\n"
     "3 error: %A, line 1: bad umask value: \"08\"\n"},
    {"umask 1777", 'A', "umask 1777", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask 1777\n"
     "3 error: %A, line 1: bad umask value: \"1777\"\n"},
    {"umask with trailing word", 'A', "umask 077 x", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask 077 x\n"
     "3 error: %A, line 1: bad umask value: \"077 x\"\n"},
    {"umask -1", 'A', "umask -1", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask -1\n"
     "3 error: %A, line 1: bad umask value: \"-1\"\n"},
    {"umask -0", 'A', "umask -0", 1, 0000, 6, 4, 10, NULL,
     "7 option:   umask -0\n"},
    {"umask +7", 'A', "umask  +7", 1, 0007, 6, 4, 10, NULL,
     "7 option:   umask +7\n"},
    {"umask hex", 'A', "umask 0x7", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask 0x7\n"
     "3 error: %A, line 1: bad umask value: \"0x7\"\n"},
    {"umask trailing dot", 'A', "umask 077.", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask 077.\n"
     "3 error: %A, line 1: bad umask value: \"077.\"\n"},
    {"umask many zeros", 'A', "umask 00000000000000000000000000000000000007",
     1, 0007, 6, 4, 10, NULL,
     "7 option:   umask 00000000000000000000000000000000000007\n"},
    {"umask saturates", 'A', "umask 7777777777777777777777", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   umask 7777777777777777777777\n"
     "3 error: %A, line 1: bad umask value: \"7777777777777777777777\"\n"},
    {"umask 2^32-1", 'A', "umask 37777777777", 0, 0022, 6, 4, 10, NULL,
     "7 option:   umask 37777777777\n"
     "3 error: %A, line 1: bad umask value: \"37777777777\"\n"},
    {"umask 2^32 wraps to 0", 'A', "umask 40000000000", 1, 0000, 6, 4, 10,
     NULL, "7 option:   umask 40000000000\n"},
    {"umask 2^32+0777 wraps", 'A', "umask 40000000777", 1, 0777, 6, 4, 10,
     NULL, "7 option:   umask 40000000777\n"},
    {"umask huge", 'A', "umask 1000000000000000000000777", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   umask 1000000000000000000000777\n"
     "3 error: %A, line 1: bad umask value: \"1000000000000000000000777\"\n"},
    {"allow not last", 'A', "allow: umask 022", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"allow\" must be at end\n"},
    {"deny not last", 'A', "deny : allow", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"deny\" must be at end\n"},
    {"allow before empty field", 'A', "allow :", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"allow\" must be at end\n"},
    {"allow before blank field", 'A', "allow : ", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"allow\" must be at end\n"},
    {"twist not last", 'A', "twist echo: allow", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"twist\" must be at end\n"},
    {"value check before last check", 'A', "twist : allow", 0, 0022, 6, 4, 10,
     NULL, "3 error: %A, line 1: option \"twist\" requires value\n"},
    {"no-value check before last check", 'A', "allow x : deny", 0, 0022, 6, 4,
     10, NULL, "3 error: %A, line 1: option \"allow\" requires no value\n"},
    {"empty field after an option", 'A', "umask 022 :", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   umask 022\n"
     "3 error: %A, line 1: missing option name\n"},
    {"empty field in the middle", 'A', "umask 022 : : allow", 0, 0022, 6, 4,
     10, NULL,
     "7 option:   umask 022\n"
     "3 error: %A, line 1: missing option name\n"},
    {"earlier effects persist", 'A', "umask 027 : deny", 0, 0027, 6, 4, 10,
     NULL,
     "7 option:   umask 027\n"
     "7 option:   deny \n"},
    {"error after effect", 'A', "umask 027 : bogus", 0, 0027, 6, 4, 10, NULL,
     "7 option:   umask 027\n"
     "3 error: %A, line 1: bad option name: \"bogus\"\n"},
    {"verdict after options", 'A', "umask 022 : allow", 1, 0022, 6, 4, 10,
     NULL,
     "7 option:   umask 022\n"
     "7 option:   allow \n"},
    {"spawn without value", 'A', "spawn", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"spawn\" requires value\n"},
    {"spawn with empty value", 'A', "spawn=", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"spawn\" requires value\n"},
    {"spawn with blank value", 'A', "spawn =  ", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"spawn\" requires value\n"},
    {"escaped colon", 'A', "setenv FOO a\\:b", 1, 0022, 6, 4, 10, "a:b",
     "7 option:   setenv FOO a:b\n"},
    {"brackets do not protect colons", 'A', "setenv FOO [a:b]", 0, 0022, 6, 4,
     10, "[a",
     "7 option:   setenv FOO [a\n"
     "3 error: %A, line 1: bad option name: \"b]\"\n"},
    {"backslash before escaped colon", 'A', "setenv FOO a\\\\:b", 1, 0022, 6,
     4, 10, "a\\:b", "7 option:   setenv FOO a\\:b\n"},
    {"backslash before other char", 'A', "setenv FOO a\\b", 1, 0022, 6, 4, 10,
     "a\\b", "7 option:   setenv FOO a\\b\n"},
    {"trailing backslash", 'A', "setenv FOO a\\ : allow", 1, 0022, 6, 4, 10,
     "a\\",
     "7 option:   setenv FOO a\\\n"
     "7 option:   allow \n"},
    {"escaped colon at end", 'A', "setenv FOO ab\\:", 1, 0022, 6, 4, 10,
     "ab:", "7 option:   setenv FOO ab:\n"},
    {"escaped colon in name", 'A', "setenv FOO\\:x y", 1, 0022, 6, 4, 10, NULL,
     "7 option:   setenv FOO:x y\n"},
    {"escaped colon alone", 'A', "setenv FOO \\:", 1, 0022, 6, 4, 10, ":",
     "7 option:   setenv FOO :\n"},
    {"escaped colon at start", 'A', "\\:umask 022", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: bad option name: \":umask\"\n"},
    {"setenv blanks", 'A', "setenv   FOO    x  y  ", 1, 0022, 6, 4, 10, "x  y",
     "7 option:   setenv FOO    x  y\n"},
    {"setenv empty value", 'A', "setenv FOO", 1, 0022, 6, 4, 10, "",
     "7 option:   setenv FOO\n"},
    {"setenv with =", 'A', "setenv=FOO bar", 1, 0022, 6, 4, 10, "bar",
     "7 option:   setenv FOO bar\n"},
    {"setenv name with =", 'A', "setenv FOO=bar", 0, 0022, 6, 4, 10, NULL,
     "7 option:   setenv FOO=bar\n"
     "3 error: %A, line 1: memory allocation failure\n"},
    {"setenv tab", 'A', "SETENV\011FOO\011z", 1, 0022, 6, 4, 10, "z",
     "7 option:   SETENV FOO\011z\n"},
    {"setenv CR then VT", 'A', "setenv FOO\015\013x", 1, 0022, 6, 4, 10, "x",
     "7 option:   setenv FOO\015\013x\n"},
    {"setenv CR inside", 'A', "setenv FOO \015 x\015", 1, 0022, 6, 4, 10, "x",
     "7 option:   setenv FOO \015 x\n"},
    {"setenv FF joins name", 'A', "setenv FOO\014x", 1, 0022, 6, 4, 10, NULL,
     "7 option:   setenv FOO\014x\n"},
    {"setenv control char joins name", 'A', "setenv FOO\001x", 1, 0022, 6, 4,
     10, NULL, "7 option:   setenv FOO\001x\n"},
    {"setenv VT before name", 'A', "setenv \013FOO x", 1, 0022, 6, 4, 10, "x",
     "7 option:   setenv FOO x\n"},
    {"setenv VT before value", 'A', "setenv FOO \013 x", 1, 0022, 6, 4, 10,
     "x", "7 option:   setenv FOO \013 x\n"},
    {"setenv VT in name", 'A', "setenv FOO\013BAR x", 1, 0022, 6, 4, 10, NULL,
     "7 option:   setenv FOO\013BAR x\n"},
    {"setenv expansion", 'A', "setenv FOO %d", 1, 0022, 6, 4, 10, "sshd",
     "7 option:   setenv FOO sshd\n"},
    {"setenv expanded name", 'A', "setenv %d x", 1, 0022, 6, 4, 10, NULL,
     "7 option:   setenv sshd x\n"},
    {"setenv unknown letter", 'A', "setenv FOO %x", 1, 0022, 6, 4, 10, "",
     "3 warning: %A, line 1: unrecognized %x\n"
     "7 option:   setenv FOO\n"},
    {"setenv expansion trimmed", 'A', "setenv FOO  %d  ", 1, 0022, 6, 4, 10,
     "sshd", "7 option:   setenv FOO  sshd\n"},
    {"setenv forced lookup", 'A', "setenv FOO x%n", 1, 0022, 6, 4, 10, "xhost",
     "7 option:   setenv FOO xhost\n"},
    {"setenv no value", 'A', "setenv  ", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"setenv\" requires value\n"},
    {"setenv two unknown letters", 'A', "setenv FOO %x%x", 1, 0022, 6, 4, 10,
     "",
     "3 warning: %A, line 1: unrecognized %x\n"
     "3 warning: %A, line 1: unrecognized %x\n"
     "7 option:   setenv FOO\n"},
    {"setenv expanded to blank name", 'A', "setenv %x FOO", 1, 0022, 6, 4, 10,
     "",
     "3 warning: %A, line 1: unrecognized %x\n"
     "7 option:   setenv FOO\n"},
    {"setenv expanded to nothing", 'A', "setenv %x", 0, 0022, 6, 4, 10, NULL,
     "3 warning: %A, line 1: unrecognized %x\n"
     "7 option:   setenv \n"
     "3 error: %A, line 1: memory allocation failure\n"},
    {"setenv literal text unfiltered", 'A', "setenv FOO %a;%d `x` $y", 1, 0022,
     6, 4, 10, "1.2.3.4;sshd `x` $y",
     "7 option:   setenv FOO 1.2.3.4;sshd `x` $y\n"},
    {"setenv filter", 'A', "setenv FOO %u%c", 1, 0022, 6, 4, 10, "bobbob@host",
     "7 option:   setenv FOO bobbob@host\n"},
    {"linger without value", 'A', "linger", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"linger\" requires value\n"},
    {"linger 5", 'A', "linger 5", 1, 0022, 6, 4, 10, NULL,
     "7 option:   linger 5\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 5: Bad file descriptor\n"},
    {"linger 0", 'A', "linger 0", 1, 0022, 6, 4, 10, NULL,
     "7 option:   linger 0\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"},
    {"linger -1", 'A', "linger -1", 0, 0022, 6, 4, 10, NULL,
     "7 option:   linger -1\n"
     "3 error: %A, line 1: bad linger value: \"-1\"\n"},
    {"linger x", 'A', "linger x", 0, 0022, 6, 4, 10, NULL,
     "7 option:   linger x\n"
     "3 error: %A, line 1: bad linger value: \"x\"\n"},
    {"linger trailing word", 'A', "linger 5 x", 0, 0022, 6, 4, 10, NULL,
     "7 option:   linger 5 x\n"
     "3 error: %A, line 1: bad linger value: \"5 x\"\n"},
    {"linger -0", 'A', "linger -0", 1, 0022, 6, 4, 10, NULL,
     "7 option:   linger -0\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"},
    {"linger +0", 'A', "linger +0", 1, 0022, 6, 4, 10, NULL,
     "7 option:   linger +0\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"},
    {"linger wraps", 'A', "linger 99999999999", 1, 0022, 6, 4, 10, NULL,
     "7 option:   linger 99999999999\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 1215752191: Bad file "
     "descriptor\n"},
    {"linger 2^32 wraps to 0", 'A', "linger 4294967296", 1, 0022, 6, 4, 10,
     NULL,
     "7 option:   linger 4294967296\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"},
    {"linger 2^32-1 wraps to -1", 'A', "linger 4294967295", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   linger 4294967295\n"
     "3 error: %A, line 1: bad linger value: \"4294967295\"\n"},
    {"linger 2^31", 'A', "linger 2147483648", 0, 0022, 6, 4, 10, NULL,
     "7 option:   linger 2147483648\n"
     "3 error: %A, line 1: bad linger value: \"2147483648\"\n"},
    {"linger saturates", 'A', "linger 99999999999999999999", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   linger 99999999999999999999\n"
     "3 error: %A, line 1: bad linger value: \"99999999999999999999\"\n"},
    {"linger saturates negative", 'A', "linger -99999999999999999999", 1, 0022,
     6, 4, 10, NULL,
     "7 option:   linger -99999999999999999999\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"},
    {"rfc931 without value", 'A', "rfc931", 1, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 \n"},
    {"rfc931 5", 'A', "rfc931 5", 1, 0022, 6, 4, 5, NULL,
     "7 option:   rfc931 5\n"},
    {"rfc931 0", 'A', "rfc931 0", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 0\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"0\"\n"},
    {"rfc931 -1", 'A', "rfc931 -1", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 -1\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"-1\"\n"},
    {"rfc931 -0", 'A', "rfc931 -0", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 -0\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"-0\"\n"},
    {"rfc931 x", 'A', "rfc931 x", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 x\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"x\"\n"},
    {"rfc931 trailing letter", 'A', "rfc931 5x", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 5x\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"5x\"\n"},
    {"rfc931 +5", 'A', "rfc931 +5", 1, 0022, 6, 4, 5, NULL,
     "7 option:   rfc931 +5\n"},
    {"rfc931 octal-looking", 'A', "rfc931 010", 1, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 010\n"},
    {"rfc931 hex", 'A', "rfc931 0x5", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 0x5\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"0x5\"\n"},
    {"rfc931 wraps", 'A', "rfc931 99999999999", 1, 0022, 6, 4, 1215752191,
     NULL, "7 option:   rfc931 99999999999\n"},
    {"rfc931 2^32+1 wraps to 1", 'A', "rfc931 4294967297", 1, 0022, 6, 4, 1,
     NULL, "7 option:   rfc931 4294967297\n"},
    {"rfc931 2^32-1 wraps to -1", 'A', "rfc931 4294967295", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   rfc931 4294967295\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"4294967295\"\n"},
    {"rfc931 2^31", 'A', "rfc931 2147483648", 0, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 2147483648\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"2147483648\"\n"},
    {"rfc931 INT_MAX", 'A', "rfc931 2147483647", 1, 0022, 6, 4, 2147483647,
     NULL, "7 option:   rfc931 2147483647\n"},
    {"rfc931 saturates", 'A', "rfc931 99999999999999999999", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   rfc931 99999999999999999999\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"99999999999999999999\"\n"},
    {"rfc931 saturates negative", 'A', "rfc931 -99999999999999999999", 0, 0022,
     6, 4, 10, NULL,
     "7 option:   rfc931 -99999999999999999999\n"
     "3 error: %A, line 1: bad rfc931 timeout: \"-99999999999999999999\"\n"},
    {"keepalive", 'A', "keepalive", 1, 0022, 6, 4, 10, NULL,
     "7 option:   keepalive \n"
     "3 warning: %A, line 1: setsockopt SO_KEEPALIVE: Bad file descriptor\n"},
    {"keepalive with value", 'A', "keepalive 1", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"keepalive\" requires no value\n"},
    {"severity without value", 'A', "severity", 0, 0022, 6, 4, 10, NULL,
     "3 error: %A, line 1: option \"severity\" requires value\n"},
    {"severity emerg", 'A', "severity emerg", 1, 0022, 0, 0, 10, NULL,
     "7 option:   severity emerg\n"},
    {"severity case", 'A', "severity EMERG", 1, 0022, 0, 0, 10, NULL,
     "7 option:   severity EMERG\n"},
    {"severity mail.err", 'A', "severity mail.err", 1, 0022, 19, 19, 10, NULL,
     "7 option:   severity mail.err\n"},
    {"severity local0.notice", 'A', "severity local0.notice", 1, 0022, 133,
     133, 10, NULL, "7 option:   severity local0.notice\n"},
    {"severity local7.debug", 'A', "severity local7.debug", 1, 0022, 191, 191,
     10, NULL, "7 option:   severity local7.debug\n"},
    {"severity kern.emerg", 'A', "severity kern.emerg", 1, 0022, 0, 0, 10,
     NULL, "7 option:   severity kern.emerg\n"},
    {"severity mixed case", 'A', "severity Mail.Err", 1, 0022, 19, 19, 10,
     NULL, "7 option:   severity Mail.Err\n"},
    {"severity number", 'A', "severity 5", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity 5\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"5\"\n"},
    {"severity split at first dot", 'A', "severity user.err.x", 0, 0022, 6, 4,
     10, NULL,
     "7 option:   severity user.err.x\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"err.x\"\n"},
    {"severity empty facility", 'A', "severity .err", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity .err\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"\"\n"},
    {"severity empty level", 'A', "severity mail.", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity mail.\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"\"\n"},
    {"severity bad facility", 'A', "severity bogus.err", 0, 0022, 6, 4, 10,
     NULL,
     "7 option:   severity bogus.err\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"bogus\"\n"},
    {"severity bad level", 'A', "severity mail.bogus", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity mail.bogus\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"bogus\"\n"},
    {"severity both bad", 'A', "severity bogus.bogus", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity bogus.bogus\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"bogus\"\n"},
    {"severity blank in facility", 'A', "severity mail .err", 0, 0022, 6, 4,
     10, NULL,
     "7 option:   severity mail .err\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"mail \"\n"},
    {"severity facility alone", 'A', "severity kern", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity kern\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"kern\"\n"},
    {"severity swapped", 'A', "severity debug.kern", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity debug.kern\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"debug\"\n"},
    {"severity local8", 'A', "severity local8.err", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity local8.err\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"local8\"\n"},
    {"severity none", 'A', "severity none", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity none\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"none\"\n"},
    {"severity mark", 'A', "severity mark.info", 0, 0022, 6, 4, 10, NULL,
     "7 option:   severity mark.info\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"mark\"\n"},
    {"spawn then option", 'A', "spawn true : umask 022", 1, 0022, 6, 4, 10,
     NULL,
     "7 option:   spawn true\n"
     "7 option:   umask 022\n"},
    {"missing banners dir", 'A', "banners /nonexistent-dir : allow", 1, 0022,
     6, 4, 10, NULL,
     "7 option:   banners /nonexistent-dir\n"
     "3 warning: %A, line 1: /nonexistent-dir: No such file or directory\n"
     "7 option:   allow \n"},
    {"setenv then allow", 'A', "setenv A b : allow", 1, 0022, 6, 4, 10, NULL,
     "7 option:   setenv A b\n"
     "7 option:   allow \n"},
    {"keepalive then allow", 'A', "keepalive : allow", 1, 0022, 6, 4, 10, NULL,
     "7 option:   keepalive \n"
     "3 warning: %A, line 1: setsockopt SO_KEEPALIVE: Bad file descriptor\n"
     "7 option:   allow \n"},
    {"linger then allow", 'A', "linger 0 : allow", 1, 0022, 6, 4, 10, NULL,
     "7 option:   linger 0\n"
     "3 warning: %A, line 1: setsockopt SO_LINGER 0: Bad file descriptor\n"
     "7 option:   allow \n"},
    {"rfc931 then allow", 'A', "rfc931 : allow", 1, 0022, 6, 4, 10, NULL,
     "7 option:   rfc931 \n"
     "7 option:   allow \n"},
    {"severity then allow", 'A', "severity info : allow", 1, 0022, 6, 6, 10,
     NULL,
     "7 option:   severity info\n"
     "7 option:   allow \n"},
    {"spawn of a trailing percent", 'A', "spawn echo %", 1, 0022, 6, 4, 10,
     NULL, "7 option:   spawn echo %\n"},
    {"spawn of nothing", 'A', "spawn %x", 1, 0022, 6, 4, 10, NULL,
     "3 warning: %A, line 1: unrecognized %x\n"
     "7 option:   spawn \n"},
    /* compat-policy D13: every <syslog.h> name; Debian rejects these. */
    {"D13 level warn", 'A', "severity warn", 1, 0022, 4, 4, 10, NULL,
     "7 option:   severity warn\n"},
    {"D13 level error", 'A', "severity error", 1, 0022, 3, 3, 10, NULL,
     "7 option:   severity error\n"},
    {"D13 level panic", 'A', "severity panic", 1, 0022, 0, 0, 10, NULL,
     "7 option:   severity panic\n"},
    {"D13 facility authpriv", 'A', "severity authpriv.info", 1, 0022, 86, 86,
     10, NULL, "7 option:   severity authpriv.info\n"},
    {"D13 facility syslog", 'A', "severity syslog.notice", 1, 0022, 45, 45, 10,
     NULL, "7 option:   severity syslog.notice\n"},
    {"D13 facility ftp", 'A', "severity ftp.err", 1, 0022, 91, 91, 10, NULL,
     "7 option:   severity ftp.err\n"},
    {"D13 facility security", 'A', "severity security.warning", 1, 0022, 36,
     36, 10, NULL, "7 option:   severity security.warning\n"},
    {"D13 names in any case", 'A', "severity AUTHPRIV.Warn", 1, 0022, 84, 84,
     10, NULL, "7 option:   severity AUTHPRIV.Warn\n"},
    {"D13 bad names still fail", 'A', "severity authpriv.loud", 0, 0022, 6, 4,
     10, NULL,
     "7 option:   severity authpriv.loud\n"
     "3 error: %A, line 1: bad syslog facility or severity: \"loud\"\n"},
};

/* Replaces %A and %D in the expected log with the table paths. */
static void expand_paths(struct strbuf *out, const char *in)
{
    for (; *in != '\0'; in++) {
        if (in[0] == '%' && in[1] == 'A') {
            sb_puts(out, hosts_allow_table);
            in++;
        } else if (in[0] == '%' && in[1] == 'D') {
            sb_puts(out, hosts_deny_table);
            in++;
        } else {
            sb_putc(out, *in);
        }
    }
}

/* The process-wide state that options change, as each case starts. */
static void reset_state(void)
{
    umask(022);
    allow_severity = LOG_INFO;
    deny_severity = LOG_WARNING;
    rfc931_timeout = 10;
    dry_run = 0;
    resident = -1;
    unsetenv("FOO");
    hosts_access_verbose = 1;
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
    tl_tables(c->table == 'A' ? sb_str(&rule) : "",
              c->table == 'D' ? sb_str(&rule) : "");
    reset_state();
    tl_log_clear();
    got = tl_ctl("sshd", "host", "1.2.3.4", "bob");
    mask = umask(022);
    foo = getenv("FOO");
    expand_paths(&want, c->log);
    ok = got == c->granted && strcmp(tl_log(), sb_str(&want)) == 0 &&
         (int)mask == c->umask && allow_severity == c->allow_severity &&
         deny_severity == c->deny_severity && rfc931_timeout == c->timeout &&
         ((foo == NULL && c->foo == NULL) ||
          (foo != NULL && c->foo != NULL && strcmp(foo, c->foo) == 0));
    if (!ok)
        print_error("case \"%s\": verdict %d (want %d), umask %03o (%03o), "
                    "severity %d/%d (%d/%d), timeout %d (%d), FOO %s (%s)\n"
                    "log:\n%swant:\n%s",
                    c->name, got, c->granted, (unsigned)mask,
                    (unsigned)c->umask, allow_severity, deny_severity,
                    c->allow_severity, c->deny_severity, rfc931_timeout,
                    c->timeout, foo ? foo : "(unset)",
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
    reset_state();
    assert_int_equal(failures, 0);
}

/* Without hosts_access_verbose nothing but problems is logged. */
static void test_quiet(void **state)
{
    (void)state;
    reset_state();
    hosts_access_verbose = 0;
    assert_int_equal(tl_run_options("umask 027 : setenv FOO x : bogus", -1),
                     OPTIONS_DENY);
    tl_assert_log("3 error: /ctx, line 3: bad option name: \"bogus\"\n");
    assert_string_equal(getenv("FOO"), "x");
    reset_state();
}

/* Dry-run mode (tcpdmatch, tcpdchk): what runs and what does not. */
static void test_dry_run(void **state)
{
    const char *flag = tl_path("spawned");
    char opts[512];
    int prio;

    (void)state;
    reset_state();
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
    assert_int_equal(tl_run_options("umask 077 : setenv FOO %d : severity mail.err"
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
    reset_state();
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
    reset_state();
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
    reset_state();
}

/* keepalive and linger on a real connection. */
static void test_socket_options(void **state)
{
    int server, client, on = 0;
    struct linger lg;
    socklen_t len;

    (void)state;
    reset_state();
    tn_tcp_pair(&server, &client);
    assert_int_equal(tl_run_options("keepalive : linger 7", server), OPTIONS_DEFAULT);
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
    assert_int_equal(tl_run_options("keepalive : linger 3 : allow", 0), OPTIONS_ALLOW);
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

/*
 * Runs fn in a forked child whose diagnostics, and whatever fn writes to
 * the descriptor it is given, come back in out.  For options that change
 * the identity or the nice value of the process.
 */
static void in_child(void (*fn)(int fd), struct strbuf *out)
{
    static int fd;
    int p[2], status;
    pid_t pid;

    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        fd = p[1];
        diag_set_sink(tn_log_to_fd, &fd);
        fn(fd);
        _exit(0);
    }
    close(p[1]);
    tn_read_all(p[0], out);
    close(p[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* Writes a line to fd (child side of in_child). */
static void say(int fd, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void say(int fd, const char *fmt, ...)
{
    struct strbuf sb = STRBUF_INIT;
    va_list ap;

    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    sb_putc(&sb, '\n');
    (void)!write(fd, sb_str(&sb), sb.len);
    sb_free(&sb);
}

/* Runs options in the child and reports result and identity. */
static void child_options(int fd, const char *options)
{
    gid_t groups[64];
    int n = getgroups(64, groups), i;
    struct strbuf list = STRBUF_INIT;

    say(fd, "result %d", (int)tl_run_options(options, -1));
    n = getgroups(64, groups);
    for (i = 0; i < n; i++)
        sb_printf(&list, " %d", (int)groups[i]);
    say(fd, "uid %d gid %d groups%s", (int)getuid(), (int)getgid(),
        sb_str(&list));
    sb_free(&list);
}

static void nice_default(int fd)
{
    int before = getpriority(PRIO_PROCESS, 0);
    say(fd, "result %d", (int)tl_run_options("nice", -1));
    say(fd, "nice +%d", getpriority(PRIO_PROCESS, 0) - before);
}

static void nice_five(int fd)
{
    int before = getpriority(PRIO_PROCESS, 0);
    say(fd, "result %d", (int)tl_run_options("nice 5", -1));
    say(fd, "nice +%d", getpriority(PRIO_PROCESS, 0) - before);
}

/* As root from nice 0: the negative result is reported like Debian's,
 * as a warning with errno 0, and the change stays. */
static void nice_negative(int fd)
{
    setpriority(PRIO_PROCESS, 0, 0);
    say(fd, "result %d", (int)tl_run_options("nice -3", -1));
    say(fd, "nice %d", getpriority(PRIO_PROCESS, 0));
}

static void *idle_thread(void *arg)
{
    int *tid = arg;

    __atomic_store_n(tid, (int)gettid(), __ATOMIC_SEQ_CST);
    pause();
    return NULL;
}

/* nice is process-wide: another thread gets the same value. */
static void nice_threads(int fd)
{
    static int tid;
    pthread_t t;

    pthread_create(&t, NULL, idle_thread, &tid);
    while (__atomic_load_n(&tid, __ATOMIC_SEQ_CST) == 0)
        usleep(1000);
    setpriority(PRIO_PROCESS, 0, 0);
    setpriority(PRIO_PROCESS, (id_t)tid, 0);
    say(fd, "result %d", (int)tl_run_options("nice 4", -1));
    say(fd, "nice %d/%d", getpriority(PRIO_PROCESS, 0),
        getpriority(PRIO_PROCESS, (id_t)tid));
}

static void require_root(void)
{
    if (geteuid() != 0)
        fail_msg("this test changes identities and must run as root");
}

static void test_nice(void **state)
{
    struct strbuf out = STRBUF_INIT;

    (void)state;
    reset_state();
    in_child(nice_default, &out);
    assert_string_equal(sb_str(&out), "7 option:   nice \nresult 0\n"
                                      "nice +10\n");
    sb_reset(&out);
    in_child(nice_five, &out);
    assert_string_equal(sb_str(&out), "7 option:   nice 5\nresult 0\n"
                                      "nice +5\n");
    sb_reset(&out);
    in_child(nice_threads, &out);
    assert_string_equal(sb_str(&out), "7 option:   nice 4\nresult 0\n"
                                      "nice 4/4\n");
    sb_reset(&out);
    require_root();
    in_child(nice_negative, &out);
    assert_string_equal(sb_str(&out),
                        "7 option:   nice -3\n"
                        "3 warning: /ctx, line 3: nice(-3): Success\n"
                        "result 0\nnice -3\n");
    sb_free(&out);
}

static void user_nobody(int fd)
{
    child_options(fd, "user nobody");
}

static void user_nobody_daemon(int fd)
{
    child_options(fd, "user nobody.daemon");
}

static void group_daemon(int fd)
{
    setgroups(2, (gid_t[]){5, 6});
    child_options(fd, "group daemon");
}

static void user_nobody_dry(int fd)
{
    dry_run = 1;
    child_options(fd, "user nobody : group daemon");
}

static void user_twice(int fd)
{
    child_options(fd, "user nobody : user root");
}

static void user_unknown(int fd)
{
    child_options(fd, "user no-such-user");
    child_options(fd, "user no-such-user.no-such-group");
    child_options(fd, "user nobody.no-such-group");
    child_options(fd, "user .daemon");
    child_options(fd, "user nobody.");
    child_options(fd, "group no-such-group");
    child_options(fd, "user 65534");
}

/* compat-policy D9: user and group change the identity outside dry-run
 * mode (groups first, then the uid), never in dry-run mode.  Debian has
 * this inverted. */
static void test_user_group(void **state)
{
    struct strbuf out = STRBUF_INIT, want = STRBUF_INIT;
    struct passwd *pw = getpwnam("nobody");
    struct group *gr = getgrnam("daemon");
    gid_t groups[64];
    int n = 64, i;

    (void)state;
    require_root();
    assert_non_null(pw);
    assert_non_null(gr);
    reset_state();

    /* "user nobody": nobody's gid and supplementary groups. */
    assert_true(getgrouplist("nobody", pw->pw_gid, groups, &n) >= 0);
    sb_printf(&want, "7 option:   user nobody\nresult 0\nuid %d gid %d groups",
              (int)pw->pw_uid, (int)pw->pw_gid);
    for (i = 0; i < n; i++)
        sb_printf(&want, " %d", (int)groups[i]);
    sb_putc(&want, '\n');
    in_child(user_nobody, &out);
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* "user nobody.daemon": the named group instead. */
    sb_reset(&out);
    sb_reset(&want);
    n = 64;
    assert_true(getgrouplist("nobody", gr->gr_gid, groups, &n) >= 0);
    sb_printf(&want,
              "7 option:   user nobody.daemon\nresult 0\nuid %d gid %d groups",
              (int)pw->pw_uid, (int)gr->gr_gid);
    for (i = 0; i < n; i++)
        sb_printf(&want, " %d", (int)groups[i]);
    sb_putc(&want, '\n');
    in_child(user_nobody_daemon, &out);
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* "group daemon": the gid, supplementary groups dropped. */
    sb_reset(&out);
    sb_reset(&want);
    sb_printf(&want,
              "7 option:   group daemon\nresult 0\nuid 0 gid %d groups\n",
              (int)gr->gr_gid);
    in_child(group_daemon, &out);
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* Dry-run: nothing changes. */
    sb_reset(&out);
    in_child(user_nobody_dry, &out);
    assert_string_equal(sb_str(&out), "7 option:   user nobody\n"
                                      "7 option:   group daemon\n"
                                      "result 0\nuid 0 gid 0 groups\n");

    /* A failing change denies with an error. */
    sb_reset(&out);
    in_child(user_twice, &out);
    sb_reset(&want);
    sb_printf(&want,
              "7 option:   user nobody\n"
              "7 option:   user root\n"
              "3 error: /ctx, line 3: setgid(root): Operation not permitted\n"
              "result 2\nuid %d gid %d groups",
              (int)pw->pw_uid, (int)pw->pw_gid);
    n = 64;
    assert_true(getgrouplist("nobody", pw->pw_gid, groups, &n) >= 0);
    for (i = 0; i < n; i++)
        sb_printf(&want, " %d", (int)groups[i]);
    sb_putc(&want, '\n');
    assert_string_equal(sb_str(&out), sb_str(&want));

    /* Unknown names, in Debian's order and words. */
    sb_reset(&out);
    in_child(user_unknown, &out);
    assert_string_equal(
        sb_str(&out),
        "7 option:   user no-such-user\n"
        "3 error: /ctx, line 3: unknown user: \"no-such-user\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user no-such-user.no-such-group\n"
        "3 error: /ctx, line 3: unknown group: \"no-such-group\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user nobody.no-such-group\n"
        "3 error: /ctx, line 3: unknown group: \"no-such-group\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user .daemon\n"
        "3 error: /ctx, line 3: unknown user: \"\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user nobody.\n"
        "3 error: /ctx, line 3: unknown group: \"\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   group no-such-group\n"
        "3 error: /ctx, line 3: unknown group: \"no-such-group\"\n"
        "result 2\nuid 0 gid 0 groups\n"
        "7 option:   user 65534\n"
        "3 error: /ctx, line 3: unknown user: \"65534\"\n"
        "result 2\nuid 0 gid 0 groups\n");
    sb_free(&out);
    sb_free(&want);
}

/* Replaces every run of digits after "process " by "N". */
static void hide_pids(struct strbuf *out, const char *in)
{
    const char *p;

    while ((p = strstr(in, "process ")) != NULL) {
        p += strlen("process ");
        sb_append(out, in, (size_t)(p - in));
        sb_putc(out, 'N');
        while (*p >= '0' && *p <= '9')
            p++;
        in = p;
    }
    sb_puts(out, in);
}

/*
 * compat-policy D8: aclexec is a condition of its rule.  Exit status 0:
 * the rule applies and its later options run.  Anything else: the rule
 * does not apply, its later options do not run, and the scan goes on
 * with the next rule of the same table.  Nothing is remembered.
 */
static void test_aclexec(void **state)
{
    struct strbuf log = STRBUF_INIT, want = STRBUF_INIT;

    (void)state;
    reset_state();
    tl_tables("ALL: ALL: aclexec exit 3 : umask 077\n"
              "ALL: ALL: setenv FOO second\n",
              "");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 1);
    assert_int_equal(umask(022), 022);
    assert_string_equal(getenv("FOO"), "second");
    tl_assert_log("7 option:   aclexec exit 3\n"
                  "6 aclexec returned 1\n"
                  "7 option:   setenv FOO second\n");

    /* In hosts.deny, success denies and failure falls through. */
    tl_tables("", "ALL: ALL: aclexec test %d = sshd\n");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    assert_int_equal(tl_ctl("ftpd", "host", "1.2.3.4", "bob"), 1);
    tl_assert_log("7 option:   aclexec test sshd = sshd\n"
                  "7 option:   aclexec test ftpd = sshd\n"
                  "6 aclexec returned 1\n");

    /* Nothing sticks: a later call sees an ordinary rule (Debian would
     * grant here, behaviour page 8.3). */
    tl_tables("", "ALL: ALL: spawn true\n");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    tl_assert_log("7 option:   spawn true\n");

    /* A signal. */
    tl_tables("ALL: ALL: aclexec kill -TERM $$\n", "ALL: ALL\n");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    hide_pids(&log, tl_log());
    sb_printf(&want,
              "7 option:   aclexec kill -TERM $$\n"
              "3 warning: %s, line 1: process N exited with signal 15\n"
              "6 aclexec returned 1\n",
              hosts_allow_table);
    assert_string_equal(sb_str(&log), sb_str(&want));
    tl_log_clear();

    /* A rule whose aclexec succeeds applies, verdict and all. */
    tl_tables("ALL: ALL: aclexec true : deny\n", "");
    assert_int_equal(tl_ctl("sshd", "host", "1.2.3.4", "bob"), 0);
    tl_assert_log("7 option:   aclexec true\n"
                  "7 option:   deny \n");
    sb_free(&log);
    sb_free(&want);
    reset_state();
}

/* aclexec's output goes to /dev/null, not to our stdout or stderr
 * (which under tcpd are the client). */
static void test_aclexec_quiet(void **state)
{
    struct strbuf got = STRBUF_INIT;
    int p[2], saved_out, saved_err;

    (void)state;
    reset_state();
    hosts_access_verbose = 0;
    assert_int_equal(pipe(p), 0);
    fflush(stdout);
    fflush(stderr);
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(p[1], 1);
    dup2(p[1], 2);
    close(p[1]);
    assert_int_equal(tl_run_options("aclexec echo out; echo err >&2; "
                            "test \"$(readlink /proc/$$/fd/0)\" = /dev/null",
                            -1),
                     OPTIONS_DEFAULT);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    tn_read_all(p[0], &got);
    close(p[0]);
    assert_string_equal(sb_str(&got), "");
    tl_assert_log("");
    sb_free(&got);
    reset_state();
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
        cmocka_unit_test_setup_teardown(test_nice, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_user_group, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_aclexec, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_aclexec_quiet, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
