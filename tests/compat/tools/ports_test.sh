#!/bin/sh
# tcpdchk -l: the listening-socket report, on four real listeners in a
# private network namespace (so only they are listed, and no port can
# clash with another test): socat (linked with libwrap: protected by the
# library), miniinetd (not linked: unprotected), openbsd-inetd running
# tcpd (protected by tcpd, under the daemon name inetd.conf gives), and a
# copy of miniinetd whose file name holds ESC, BEL and other bytes that a
# terminal acts on (issue 11): the text report must show it escaped, the
# JSON report as a JSON string.  Checks the exact text and JSON lines.
# usage: ports_test.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
bin=$build/tests/compat/tools

if [ "${INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs root (network namespace, every process)"; exit 1; }
    [ -x /usr/sbin/inetd ] || { echo "/usr/sbin/inetd is missing (apt-get install openbsd-inetd)"; exit 1; }
    command -v socat >/dev/null || { echo "socat is missing"; exit 1; }
    ldd "$(command -v socat)" | grep -q libwrap.so.0 || { echo "this socat is not linked with libwrap"; exit 1; }
    export INNER=1
    exec unshare -n sh "$0" "$@"
fi
ip link set lo up
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
# ESC ] 0 ; PWNED BEL sets an xterm's title; then SOH, TAB, a backslash,
# DEL, the C1 CSI byte and 0xff.
hostile=$(printf 'x\033]0;PWNED\007y\001\t\\\177\233\377z')
cp "$bin/miniinetd" "$work/$hostile"

pids=""
cleanup() { kill $pids 2>/dev/null || true; }
trap cleanup EXIT
socat TCP4-LISTEN:23501,bind=127.0.0.1,reuseaddr,fork EXEC:/bin/true &
socat_pid=$!
"$bin/miniinetd" 127.0.0.1 23502 /bin/true true >/dev/null &
mini_pid=$!
/usr/sbin/inetd -i "$work/inetd.conf" 2>/dev/null &
inetd_pid=$!
"$work/$hostile" 127.0.0.1 23504 /bin/true true >/dev/null &
hostile_pid=$!
pids="$socat_pid $mini_pid $inetd_pid $hostile_pid"

# Waits (at most 10 s) until something listens on each TCP port given.
wait_listening() {
    for port in "$@"; do
        hex=$(printf ':%04X 00000000:0000 0A' "$port")
        tries=0
        until grep -q "$hex" /proc/net/tcp; do
            tries=$((tries + 1))
            [ "$tries" -le 200 ] || { echo "nothing listens on port $port"; exit 1; }
            sleep 0.05
        done
    done
}
wait_listening 23501 23502 23503 23504

passed=0 failed=0
# compare DESCRIPTION EXPECTED_FILE ACTUAL_FILE
compare() {
    if cmp -s "$2" "$3"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "--- FAIL $1 (< expected, > actual)"
        diff "$2" "$3" | cat -A || true
    fi
}
row() { printf '%-5s %-28s %-22s %-16s %-14s %s\n' "$@"; }

status=0
"$build/tools/tcpdchk/tcpdchk" -d -l -i inetd.conf >text.out 2>&1 || status=$?
# The socket table: from its heading to the blank line after it.
sed -n '/^Listening sockets/,/^$/p' text.out | sed '/^$/d' >text.sockets
{
    echo "Listening sockets (inetd configuration: inetd.conf):"
    row proto address process protected "daemon name" rules
    row tcp 127.0.0.1:23501 "$socat_pid/socat" libwrap socat hosts.allow:1
    row tcp 127.0.0.1:23502 "$mini_pid/miniinetd" no miniinetd hosts.allow:3
    row tcp 127.0.0.1:23503 "$inetd_pid/inetd" tcpd in.fakeftpd "hosts.allow:2 hosts.allow:3"
    row tcp 127.0.0.1:23504 "$hostile_pid/"'x\e]0;PWNED\ay\x01\t\\\x7f\x9b\xffz' no \
        'x\e]0;PWNED\ay\x01\t\\\x7f\x9b\xffz' hosts.allow:3
} >text.expected
compare "text report" text.expected text.sockets

"$build/tools/tcpdchk/tcpdchk" -d -l -j -i inetd.conf >json.out 2>&1 || true
grep -a '^{"type":"socket"' json.out >json.sockets || true
{
    printf '{"type":"socket","proto":"tcp","address":"127.0.0.1","port":23501,"pid":%d,"program":"socat","protected":"libwrap","daemon":"socat","rules":"hosts.allow:1"}\n' "$socat_pid"
    printf '{"type":"socket","proto":"tcp","address":"127.0.0.1","port":23502,"pid":%d,"program":"miniinetd","protected":"no","daemon":"miniinetd","rules":"hosts.allow:3"}\n' "$mini_pid"
    printf '{"type":"socket","proto":"tcp","address":"127.0.0.1","port":23503,"pid":%d,"program":"inetd","protected":"tcpd","daemon":"in.fakeftpd","rules":"hosts.allow:2 hosts.allow:3"}\n' "$inetd_pid"
    # JSON escapes the controls as \u00XX and passes other bytes as
    # they are, exactly as before issue 11.
    printf '{"type":"socket","proto":"tcp","address":"127.0.0.1","port":23504,"pid":%d,"program":"x\\u001b]0;PWNED\\u0007y\\u0001\\t\\\\\\u007f\233\377z","protected":"no","daemon":"x\\u001b]0;PWNED\\u0007y\\u0001\\t\\\\\\u007f\233\377z","rules":"hosts.allow:3"}\n' "$hostile_pid"
} >json.expected
compare "JSON report" json.expected json.sockets

# No byte of the hostile name reaches the terminal raw in text mode.
if LC_ALL=C grep -q "$(printf '[\001\033\007\177\233\377]')" text.out; then
    failed=$((failed + 1)); echo "--- FAIL raw control bytes in the text report"
else
    passed=$((passed + 1))
fi
echo "tcpdchk -l: $passed passed, $failed failed (tcpdchk exit $status)"
[ "$failed" -eq 0 ]
