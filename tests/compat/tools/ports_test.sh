#!/bin/sh
# tcpdchk -l: the listening-socket report, on three real listeners:
# socat (linked with libwrap: protected by the library), miniinetd (not
# linked: unprotected), and openbsd-inetd running tcpd (protected by
# tcpd, under the daemon name inetd.conf gives).  Checks the JSON lines.
# usage: ports_test.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
bin=$build/tests/compat/tools
[ "$(id -u)" = 0 ] || { echo "needs root (to see every process)"; exit 1; }
[ -x /usr/sbin/inetd ] || { echo "/usr/sbin/inetd is missing (apt-get install openbsd-inetd)"; exit 1; }
command -v socat >/dev/null || { echo "socat is missing"; exit 1; }
ldd "$(command -v socat)" | grep -q libwrap.so.0 || { echo "this socat is not linked with libwrap"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
cd "$work"
cat >hosts.allow <<'RULES'
socat: 127.0.0.1
in.fakeftpd, 23503: ALL
ALL EXCEPT socat: 10.0.0.1
RULES
: >hosts.deny
printf '127.0.0.1:23503 stream tcp nowait root %s %s\n' "$build/tcpd/tcpd" /usr/sbin/in.fakeftpd >inetd.conf

pids=""
cleanup() { kill $pids 2>/dev/null || true; }
trap cleanup EXIT
socat TCP4-LISTEN:23501,bind=127.0.0.1,reuseaddr,fork EXEC:/bin/true &
pids="$pids $!"
"$bin/miniinetd" 127.0.0.1 23502 /bin/true true >/dev/null &
pids="$pids $!"
/usr/sbin/inetd -i "$work/inetd.conf" 2>/dev/null &
pids="$pids $!"
sleep 1
status=0
"$build/tools/tcpdchk/tcpdchk" -d -l -j -i inetd.conf >out 2>&1 || status=$?

passed=0 failed=0
expect() { # description pattern
    if grep -q "$2" out; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "--- FAIL $1: no line matches $2"
    fi
}
expect "socat, linked with libwrap" '"port":23501,"pid":[0-9]*,"program":"socat","protected":"libwrap","daemon":"socat","rules":"hosts.allow:1"}'
expect "miniinetd, not protected" '"port":23502,"pid":[0-9]*,"program":"miniinetd","protected":"no","daemon":"miniinetd","rules":"hosts.allow:3"}'
expect "inetd running tcpd" '"port":23503,"pid":[0-9]*,"program":"inetd","protected":"tcpd","daemon":"in.fakeftpd","rules":"hosts.allow:2 hosts.allow:3"}'
if [ "$failed" -gt 0 ]; then cat out; fi
echo "tcpdchk -l: $passed passed, $failed failed (tcpdchk exit $status)"
[ "$failed" -eq 0 ]
