#!/bin/sh
# Our tcpd against Debian's on real loopback connections.
#
# usage: compare_tcpd.sh BUILD_DIR WORK_DIR
#
# In a private mount namespace (a private copy of /etc, tmpfs /dev with a
# /dev/log read by logsink, a private /usr/sbin holding the daemons that
# tcpd finds by name), miniinetd runs Debian's tcpd and ours for the same
# services; clients connect from loopback, all at once (a refusal costs
# tcpd 5 s).  What each client received and the syslog lines (facility,
# level, ident and message; the pid removed) must be the same.
set -eu
build=$1 work=$2
bin=$build/tests/compat/tools

if [ "${INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs root (mount namespace)"; exit 1; }
    [ -x /usr/sbin/tcpd ] || { echo "Debian's tcpd is missing (apt-get install tcpd)"; exit 1; }
    command -v socat >/dev/null || { echo "socat is missing"; exit 1; }
    rm -rf "$work"
    mkdir -p "$work/sbin" "$work/abs"
    cp /usr/sbin/tcpd "$work/debian-tcpd"
    cp -a /etc "$work/etc"
    export INNER=1
    exec unshare -m sh "$0" "$@"
fi

mount --make-rprivate /
mount --bind "$work/etc" /etc
mount --bind "$work/sbin" /usr/sbin
mount -t tmpfs tmpfs /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/urandom c 1 9
printf '127.0.0.1 localhost\n::1 localhost\n127.0.0.5 five.example\n' >/etc/hosts
printf 'hosts: files\n' >/etc/nsswitch.conf
cat >/etc/hosts.allow <<'RULES'
alpha: 127.0.0.1
beta: localhost
ipv6d: [::1]
fingerd: ALL
nosuchd: ALL
RULES
printf 'ALL: ALL\n' >/etc/hosts.deny

# The daemons: each reports its name, argv[0], umask and peer.
for d in alpha beta ipv6d fingerd gamma; do
    for dir in "$work/sbin" "$work/abs"; do
        printf '#!/bin/sh\necho "%s argv0=$0 umask=$(umask)"\n' "$d" >"$dir/$d"
        chmod 755 "$dir/$d"
    done
done

"$bin/logsink" /dev/log "$work/syslog" &
pids=$!
umask 077
serve() { # impl port address argv0
    if [ "$1" = debian ]; then prog=$work/debian-tcpd; else prog=$build/tcpd/tcpd; fi
    env LD_LIBRARY_PATH="$([ "$1" = ours ] && echo "$build/libwrap")" \
        "$bin/miniinetd" "$3" "$2" "$prog" "$4" >/dev/null &
    pids="$pids $!"
}
umask 022
# case: port offset, listen address, argv0, client source
cases="1 127.0.0.1 $work/abs/alpha 127.0.0.1
2 127.0.0.1 $work/abs/beta 127.0.0.1
3 ::1 $work/abs/ipv6d ::1
4 127.0.0.1 fingerd 127.0.0.1
5 127.0.0.1 $work/abs/gamma 127.0.0.5
6 127.0.0.1 /nonexistent/nosuchd 127.0.0.1"
umask 077
echo "$cases" | while read -r n addr argv0 src; do
    serve debian $((23100 + n)) "$addr" "$argv0"
    serve ours $((23200 + n)) "$addr" "$argv0"
    echo "$pids" >"$work/pids"
done
pids=$(cat "$work/pids")
sleep 0.5

clients=""
echo "$cases" >"$work/cases"
while read -r n addr argv0 src; do
    for impl in debian ours; do
        port=$(( $([ $impl = debian ] && echo 23100 || echo 23200) + n ))
        if [ "$addr" = ::1 ]; then target="TCP6:[::1]:$port,bind=[$src]"; else target="TCP4:$addr:$port,bind=$src"; fi
        (socat -T 8 - "$target" </dev/null >"$work/out.$impl.$n" 2>&1 || true) &
        clients="$clients $!"
    done
done <"$work/cases"
# shellcheck disable=SC2086
wait $clients
sleep 0.3
# shellcheck disable=SC2086
kill $pids 2>/dev/null || true

passed=0 failed=0
while read -r n addr argv0 src; do
    if cmp -s "$work/out.debian.$n" "$work/out.ours.$n"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "--- FAIL case $n ($argv0 from $src): client output (< Debian, > ours)"
        diff "$work/out.debian.$n" "$work/out.ours.$n" || true
    fi
done <"$work/cases"
# Syslog: the ident is the daemon name; remove pids, sort (the
# connections ran at the same time); then every line must come in pairs.
sed -E 's/\[[0-9]+\]:/:/' "$work/syslog" | sort >"$work/syslog.all"
if [ -s "$work/syslog.all" ] && awk 'NR % 2 == 1 { a = $0; next } $0 != a { exit 1 }' "$work/syslog.all"; then
    passed=$((passed + 1))
else
    failed=$((failed + 1))
    echo "--- FAIL syslog lines are not pairwise equal:"
    cat "$work/syslog.all"
fi
echo "tcpd comparison: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
