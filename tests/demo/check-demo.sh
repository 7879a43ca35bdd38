#!/bin/sh
# Runs the README's first command (scripts/demo.sh) and checks what it
# shows: the seed's three rules on real loopback connections through the
# built tcpd and libwrap.so.0.  Run by scripts/test.sh after the plain
# suite has built build/; needs root, as the demo does.
set -eu
cd "$(dirname "$0")/../.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT
./scripts/demo.sh >"$out" 2>&1 || { cat "$out"; echo "demo: failed"; exit 1; }

failed=0
# expect <what> <extended regular expression>
expect() {
    if grep -Eq -- "$2" "$out"; then
        echo "ok: $1"
    else
        echo "FAILED: $1 (no line matching: $2)"
        failed=1
    fi
}
# The lines after a heading, up to a blank line or the next heading.
section() {
    awk -v h="$1" 'index($0, h) == 1 { on = 1; next }
                   on && (/^$/ || /^(--|==) /) { exit } on' "$out"
}

expect "the banner reached the ftp client with %c and %d expanded" \
    '^    220-Welcome, 127\.0\.0\.1\. This is vsftpd on loopback\.$'
expect "the allowed client reached the real daemon" \
    '^    vsftpd: hello from the real daemon$'
[ "$(section '-- client intruder' | head -n 1)" = \
  "    (nothing: the connection was closed)" ] &&
    echo "ok: the intruder was refused" ||
    { echo "FAILED: the intruder got something"; failed=1; }
expect "severity emerg: the refused telnet connection logged at priority 24" \
    '^    daemon\.emerg \(24\): in\.telnetd\[[0-9]+\]: refused connect from 127\.0\.0\.1 \(127\.0\.0\.1\)$'
expect "the intruder's refusal logged at deny_severity (warning, 28)" \
    '^    daemon\.warning \(28\): sshd\[[0-9]+\]: refused connect from 127\.0\.0\.66 \(127\.0\.0\.66\)$'
expect "the allowed connection logged at allow_severity (info, 30)" \
    '^    daemon\.info \(30\): vsftpd\[[0-9]+\]: connect from 127\.0\.0\.1 \(127\.0\.0\.1\)$'
expect "spawn wrote the alert with %c and %d" \
    '^    [A-Z][a-z][a-z] .* 127\.0\.0\.66 sshd$'
expect "tcpdchk explains the seed's 206.182.68.0" \
    '206\.182\.68\.0 matches that one address only.*\[network-address\]$'
[ "$(section '-- tcpdmatch vsftpd 127.0.0.1' | tail -n 1)" = \
  "    access:   granted" ] &&
    echo "ok: tcpdmatch predicts vsftpd granted" ||
    { echo "FAILED: tcpdmatch vsftpd"; failed=1; }
for q in "sshd 127.0.0.66" "in.telnetd 127.0.0.1"; do
    [ "$(section "-- tcpdmatch $q" | tail -n 1)" = "    access:   denied" ] &&
        echo "ok: tcpdmatch predicts $q denied" ||
        { echo "FAILED: tcpdmatch $q"; failed=1; }
done
expect "tcpdmatch shows the banner the client would get" \
    '^    option:   banners /etc/banners/$'

if [ $failed != 0 ]; then
    echo "--- the demo printed:"
    cat "$out"
    exit 1
fi
echo "demo: all checks passed"
