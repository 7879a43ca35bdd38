#!/bin/sh
# The lints of our tcpdchk, case by case: each case writes tables, runs
# tcpdchk -d and compares the lint lines (those ending in "[check]") and
# the exit status with what is expected.  Runs in a private mount
# namespace so that host lookups only see our /etc/hosts.
# usage: lint_cases.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
. "$(dirname "$0")/common.sh"

in_private_namespace "$@"
own_hosts '127.0.0.1 localhost\n10.0.0.1 one.example.com one\n'
chk="env LD_LIBRARY_PATH=$build/libwrap $build/tools/tcpdchk/tcpdchk"

# run NAME EXPECTED_STATUS EXPECTED_LINTS  (tables already written in $dir)
run() {
    status=0
    (cd "$dir" && $chk -d -i /dev/null >out 2>&1) || status=$?
    grep -E '^warning: .* \[[a-z0-9-]+\]$' "$dir/out" >"$dir/lints" || true
    printf '%s' "$3" >"$dir/expected"
    if [ "$status" = "$2" ] && cmp -s "$dir/expected" "$dir/lints"; then
        pass
    else
        fail "$1 (exit $status, expected $2)"
        diff "$dir/expected" "$dir/lints" || true
    fi
}

# tables NAME ALLOW DENY: a fresh directory with these tables
tables() {
    dir=$work/$1
    mkdir -p "$dir"
    printf '%b' "$2" >"$dir/hosts.allow"
    printf '%b' "$3" >"$dir/hosts.deny"
}

tables clean 'sshd: 10.0.0.1\n' 'ALL: ALL\n'
run clean 0 ''

tables bare-ipv6 'ALL: 2001:db8::1 [2001:db8::2]\n' ''
run bare-ipv6 2 "warning: hosts.allow, line 1: 2001:db8::1: bare IPv6 address; Debian's libwrap splits the rule at its colons (write [2001:db8::1]) [bare-ipv6]
"

tables hash 'sshd: 10.0.0.1 # trusted\n  # ALL: ALL\n' ''
run hash 2 "warning: hosts.allow, line 1: #: '#' is a comment only in column 0; here it and the words after it are patterns [hash-comment]
warning: hosts.allow, line 2: '#' is a comment only in column 0; this indented line is a rule [hash-comment]
"

tables newline '' 'ALL: ALL'
run newline 2 "warning: hosts.deny, line 1: the last line has no newline; Debian's libwrap ignores it and then denies everything hosts.allow does not grant (not portable) [no-final-newline]
"

long=$(head -c 2100 /dev/zero | tr '\0' 'x')
tables long "ALL: 10.0.0.1 $long\n" ''
run long-line 2 "warning: hosts.allow, line 1: line is 2114 bytes long; Debian's libwrap reads at most 2046 and then ignores the rest of the table (not portable) [long-line]
"

tables brackets 'ALL: 10.0.0.1 [x: spawn echo hi\n' ''
run brackets 2 "warning: hosts.allow, line 1: unbalanced '[' or ']': every ':' after it is taken as part of a pattern [unbalanced-brackets]
"

tables prefix 'ALL: [2001:db8::]/abc [2001:db8::]/ 10.0.0.0/8x\n' ''
run prefix 2 "warning: hosts.allow, line 1: [2001:db8::]/abc: prefix length \"abc\" is read as 0, so the pattern matches every IPv6 address [prefix-length]
warning: hosts.allow, line 1: [2001:db8::]/: prefix length \"\" is read as 0, so the pattern matches every IPv6 address [prefix-length]
warning: hosts.allow, line 1: 10.0.0.0/8x: prefix length \"8x\" is read as 8 [prefix-length]
"

tables octal 'ALL: 010.0.0.0/255.0.0.0 0x0a.0.0.1\n' ''
run octal 2 "warning: hosts.allow, line 1: 010.0.0.0/255.0.0.0: 010.0.0.0 is read as 8.0.0.0 (a part with a leading 0 is octal, 0x is hex) [octal-address]
warning: hosts.allow, line 1: 0x0a.0.0.1: 0x0a.0.0.1 is read as 10.0.0.1 (a part with a leading 0 is octal, 0x is hex) [octal-address]
"

# The seed's rule, meant for the 206.182.68.0/24 network.
tables network '' 'ALL : 206.182.68.0 : spawn /bin/echo `date` %c %d >> /var/log/intruder_alert\n'
run network 2 "warning: hosts.deny, line 1: 206.182.68.0 matches that one address only; for the network write 206.182.68.0/24 or 206.182.68. [network-address]
"

tables host-bits 'ALL: 10.0.0.1/255.255.255.0 10.1.0.0/16\n' ''
run host-bits 2 "warning: hosts.allow, line 1: 10.0.0.1/255.255.255.0: the network has host bits set, so the pattern never matches [host-bits]
"

tables shadowed 'ALL: 10.0.0.0/8\nsshd: 10.1.2.3\nsshd: ALL EXCEPT 10.0.0.1\n' 'sshd: 10.9.9.9, 10.0.0.0/16\nALL: ALL\n'
run shadowed 2 "warning: hosts.allow, line 2: this rule can never match: hosts.allow, line 1 matches every request it does and is read first [shadowed]
warning: hosts.deny, line 1: this rule can never match: hosts.allow, line 1 matches every request it does and is read first [shadowed]
"

tables options 'sshd: 10.0.0.1: bogus : umask 999 : severity local9.info : nice x : allow\nin.ftpd: 10.0.0.1: severity authpriv.warn : banners /nonexistent/banners : spawn /nonexistent/bin/alert %a\n' ''
run options 2 "warning: hosts.allow, line 1: option 2: bad umask value \"999\" (libwrap stops at the first error and never reads this one) [option]
warning: hosts.allow, line 1: option 3: unknown syslog facility \"local9\" (libwrap stops at the first error and never reads this one) [option]
warning: hosts.allow, line 1: option 4: bad nice value \"x\" (libwrap stops at the first error and never reads this one) [option]
warning: hosts.allow, line 2: severity authpriv.warn: Debian's libwrap does not know facility \"authpriv\" and denies the service (not portable) [severity-name]
warning: hosts.allow, line 2: severity authpriv.warn: Debian's libwrap does not know level \"warn\" and denies the service (not portable) [severity-name]
warning: hosts.allow, line 2: banners /nonexistent/banners: no such directory; no banner is sent [missing-directory]
warning: hosts.allow, line 2: spawn: /nonexistent/bin/alert: no such program [missing-program]
"

# Options are cut and split as the library does (optspec.c): "=x" has an
# empty name, and "\:" is a colon in the value.
tables option-syntax 'sshd: 10.0.0.1: umask 999 : =x : banners /nonexistent\\:dir\n' ''
run option-syntax 2 "warning: hosts.allow, line 1: option 2: bad option name \"\" (libwrap stops at the first error and never reads this one) [option]
warning: hosts.allow, line 1: banners /nonexistent:dir: no such directory; no banner is sent [missing-directory]
"

tables files "ALL: $work/files/missing\nALL: $work/files/self\n" ''
printf '%s\n' "$work/files/self" >"$work/files/self"
run files 2 "warning: hosts.allow, line 1: $work/files/missing: no such host list file; the pattern never matches [missing-file]
warning: $work/files/self, line 1: $work/files/self: host list files nested more than 16 deep (a file that names itself?); libwrap ignores the pattern, Debian's recurses until it crashes [file-nesting]
"

# DOS line endings: the library reads each CR as a blank, but a
# backslash before CR LF continues nothing.
tables dos 'sshd: 10.0.0.1\r\nALL: 10.0.0.1 \\\r\n  10.0.0.2\r\nALL: ALL: deny\r\n' ''
run dos 2 "warning: hosts.allow, line 1: the line ends in CR LF (a DOS line ending); libwrap reads the CR as a blank, Debian's tcpdchk as part of the last client pattern [dos-line-ending]
warning: hosts.allow, line 2: the line ends in a backslash and CR LF (a DOS line ending), so the backslash does not join the next line to it [dos-line-ending]
warning: hosts.allow, line 4: the line ends in CR LF (a DOS line ending); libwrap reads the CR as a blank [dos-line-ending]
"
# -v lists the CR at the end of a client list, as Debian's tcpdchk does.
(cd "$dir" && $chk -d -v -i /dev/null >out.v 2>&1) || true
(cd "$dir" && $chk -d -j -i /dev/null >out.j 2>&1) || true
if grep -qFx "$(printf 'clients:  10.0.0.1\r')" "$dir/out.v" &&
    grep -qFx '{"type":"finding","level":"warning","file":"hosts.allow","line":1,"check":"dos-line-ending","message":"the line ends in CR LF (a DOS line ending); libwrap reads the CR as a blank, Debian'"'"'s tcpdchk as part of the last client pattern"}' "$dir/out.j"; then
    pass
else
    fail "dos (-v, -j)"; cat -A "$dir/out.v" "$dir/out.j"
fi

# Machine-readable output: one JSON object per finding.
tables json 'ALL: 2001:db8::1\n' ''
(cd "$dir" && $chk -d -j -i /dev/null >out 2>&1) || true
if grep -q '^{"type":"finding","level":"warning","file":"hosts.allow","line":1,"check":"bare-ipv6","message":"2001:db8::1: bare IPv6 address' "$dir/out"; then
    pass
else
    fail "json"; cat "$dir/out"
fi

# Text mode shows control bytes of a rule file escaped (issue 11): the
# -v listing and the findings that carry one are escaped whole (a
# backslash doubled too); lines without one stay as Debian prints them.
tables escape 'sshd: x\033]0;PWNED\007y a\\b\nALL: c\\d\n' ''
(cd "$dir" && $chk -d -v -i /dev/null >out 2>&1) || true
cat >"$dir/expected" <<'OUT'
Using network configuration file: /dev/null

>>> Rule hosts.allow line 1:
warning: hosts.allow, line 1: unbalanced '[' or ']': every ':' after it is taken as part of a pattern [unbalanced-brackets]
daemons:  sshd
clients:  x\e]0;PWNED\ay a\\b
warning: hosts.allow, line 1: x\e]0;PWNED\ay: host not found
warning: hosts.allow, line 1: a\b: host not found
access:   granted

>>> Rule hosts.allow line 2:
daemons:  ALL
clients:  c\d
warning: hosts.allow, line 2: c\d: host not found
access:   granted
OUT
if cmp -s "$dir/expected" "$dir/out"; then
    pass
else
    fail "escape"; diff "$dir/expected" "$dir/out" | cat -A
fi

# The usage text names every option; a usage error exits 1.
status=0
$chk -x >"$work/usage.out" 2>"$work/usage.err" || status=$?
if [ "$status" = 1 ] && [ ! -s "$work/usage.out" ] &&
    grep -qx "usage: tcpdchk \[-a\] \[-d\] \[-i inet_conf\] \[-v\] \[-j\] \[-l\]" "$work/usage.err" &&
    grep -q '^	-j: ' "$work/usage.err" && grep -q '^	-l: ' "$work/usage.err"; then
    pass
else
    fail "usage (exit $status)"; cat "$work/usage.err"
fi

summary "tcpdchk lints"
