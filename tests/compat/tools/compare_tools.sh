#!/bin/sh
# Compares our tcpdchk and tcpdmatch with Debian's on generated rule files.
#
# usage: compare_tools.sh plain|options|tools-only BUILD_DIR SOURCE_DIR WORK_DIR [SEEDS]
#
# For every seed, gen_rules writes tables and tcpdmatch queries; both
# tools of both implementations run on them inside a private mount
# namespace whose /etc/hosts and /etc/nsswitch.conf are ours.  Two
# comparisons per run, both line for line:
#  1. Debian's output as Debian prints it (library warnings lost, D11)
#     against ours without the lines that only the library's syslog
#     carries (warning:, error:, option:, matched:);
#  2. Debian's output with those lines restored (debian_syslog_shim)
#     against ours without our lint lines (which end in "[check]").
# Some seeds write tables with DOS line endings (gen_rules.c).  There
# comparison 1 is as exact as elsewhere: -v lists a CR that ends a line
# as Debian's does.  For comparison 2 the reference is Debian's output on
# the same tables with LF endings, without the daemons:/clients: lines
# (comparison 1 has checked those): Debian's checker takes each CR for
# part of a pattern ("ALL^M: host not found"), where ours checks what
# both libraries read, the CR being a blank (docs/compat.md).
# Exit status of tcpdmatch must agree too.  "options" rules carry option
# fields; that corpus is skipped (exit 77) while the library under test
# does not know the option language yet.  "tools-only" runs the options
# corpus with our programs on Debian's libwrap.so.0 (its lost lines
# restored by the shim): it tests the programs apart from the library.
set -eu
mode=$1 build=$2 src=$3 work=$4 seeds=${5:-40}
here=$src/tests/compat/tools

if [ "${INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs root (mount namespace)"; exit 1; }
    for t in tcpdchk tcpdmatch; do
        [ -x /usr/sbin/$t ] || { echo "Debian's $t is missing (apt-get install tcpd)"; exit 1; }
    done
    rm -rf "$work"
    mkdir -p "$work"
    cc -shared -fPIC -o "$work/shim.so" "$here/debian_syslog_shim.c" -ldl
    cat >"$work/hosts" <<'HOSTS'
127.0.0.1 localhost
::1 localhost ip6-localhost
10.0.0.1 one.example.com one
10.0.0.2 two.example.com two alias2
10.0.0.3 multi.example.com multi
10.0.0.4 multi.example.com multi
2001:db8::5 six.example.com six
10.0.0.6 both.example.com both
2001:db8::6 both.example.com both
10.0.0.7 rev.example.com
10.0.0.7 fwd.example.com
HOSTS
    printf 'hosts: files\nnetgroup: files\n' >"$work/nsswitch.conf"
    cat >"$work/inetd.conf" <<'INETD'
# services for the "no such process name" and "not wrapped" checks
ftp	stream	tcp	nowait	root	/usr/sbin/tcpd	in.ftpd -l
telnet	stream	tcp	nowait	root	/usr/sbin/tcpd	/usr/sbin/in.telnetd
finger	stream	tcp	nowait	nobody	/usr/sbin/in.fingerd	in.fingerd
vsftpd	stream	tcp	nowait	root	/bin/true	/usr/sbin/vsftpd
INETD
    export INNER=1
    exec unshare -m sh "$0" "$@"
fi

mount --bind "$work/hosts" /etc/hosts
mount --bind "$work/nsswitch.conf" /etc/nsswitch.conf
libdir=$build/libwrap preload=
if [ "$mode" = tools-only ]; then
    libdir=$(dirname "$(dpkg -L libwrap0 | grep '/libwrap\.so\.0$' | head -n 1)")
    preload=$work/shim.so
    mode=options-debianlib
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
fi
our_chk="env LD_LIBRARY_PATH=$libdir LD_PRELOAD=$preload $build/tools/tcpdchk/tcpdchk"
our_match="env LD_LIBRARY_PATH=$libdir LD_PRELOAD=$preload $build/tools/tcpdmatch/tcpdmatch"
gen=$build/tests/compat/tools/gen_rules

if [ "$mode" = options ]; then
    mkdir -p "$work/probe"
    printf 'ALL: ALL: keepalive\n' >"$work/probe/hosts.allow"
    if (cd "$work/probe" && $our_match -d -i /dev/null sshd 10.0.0.1) |
        grep -q 'bad option name'; then
        echo "SKIP: the library under test does not know the option language yet"
        exit 77
    fi
fi

passed=0 failed=0 shown=0 dos=0
# Lines that only the library's syslog carries (lost by Debian, D11).
syslog_only='^(warning|error): |^(option|matched): '
# The -v listing of a rule's lists; a carriage return.
listing='^(daemons|clients):  '
cr=$(printf '\r')

check() { # name expected actual
    if cmp -s "$2" "$3"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        if [ "$shown" -lt 5 ]; then
            shown=$((shown + 1))
            echo "--- FAIL $1 (< Debian, > ours)"
            diff "$2" "$3" | head -n 20 || true
        fi
    fi
}

seed=1
while [ "$seed" -le "$seeds" ]; do
    dir=$work/case$seed
    mkdir -p "$dir/banners"
    if [ "$mode" != plain ]; then
        "$gen" "$seed" "$dir" options
    else
        "$gen" "$seed" "$dir"
    fi
    printf 'Hello %%c, this is %%d\n' >"$dir/banners/sshd"
    cp "$work/inetd.conf" "$dir/inetd.conf"
    cd "$dir"

    stdbuf -oL tcpdchk -d -v -a -i inetd.conf >deb.chk 2>&1 || true
    LD_PRELOAD=$work/shim.so tcpdchk -d -v -a -i inetd.conf >debfull.chk 2>&1 || true
    $our_chk -d -v -a -i inetd.conf >our.chk 2>&1 || true
    grep -v -E "$syslog_only" our.chk >our.plain.chk || true
    grep -v -E '^warning: .* \[[a-z0-9-]+\]$' our.chk >our.full.chk || true
    check "case$seed tcpdchk (as Debian prints)" deb.chk our.plain.chk
    if grep -q "$cr" hosts.allow hosts.deny; then
        dos=$((dos + 1))
        mkdir -p lf
        for t in hosts.allow hosts.deny; do tr -d '\r' <$t >lf/$t; done
        cp inetd.conf lf/
        (cd lf && LD_PRELOAD=$work/shim.so tcpdchk -d -v -a -i inetd.conf 2>&1) |
            grep -v -E "$listing" >debfull.lf.chk || true
        grep -v -E "$listing" our.full.chk >our.full.nolist.chk || true
        check "case$seed tcpdchk (with library lines; DOS tables: Debian's on LF)" debfull.lf.chk our.full.nolist.chk
    else
        check "case$seed tcpdchk (with library lines)" debfull.chk our.full.chk
    fi

    q=0
    while read -r daemon client; do
        q=$((q + 1))
        rc=0; stdbuf -oL tcpdmatch -d -i inetd.conf "$daemon" "$client" >deb.m 2>&1 || rc=$?
        echo "exit $rc" >>deb.m
        rc=0; LD_PRELOAD=$work/shim.so tcpdmatch -d -i inetd.conf "$daemon" "$client" >debfull.m 2>&1 || rc=$?
        echo "exit $rc" >>debfull.m
        rc=0; $our_match -d -i inetd.conf "$daemon" "$client" >our.m 2>&1 || rc=$?
        echo "exit $rc" >>our.m
        grep -v -E "$syslog_only" our.m >our.plain.m || true
        check "case$seed query $q tcpdmatch $daemon $client (as Debian prints)" deb.m our.plain.m
        check "case$seed query $q tcpdmatch $daemon $client (with library lines)" debfull.m our.m
    done <queries
    seed=$((seed + 1))
done

echo "tools comparison ($mode; $dos cases with DOS line endings): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
