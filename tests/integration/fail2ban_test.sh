#!/bin/sh
# contrib/fail2ban/action.d/hostsdeny-d.conf under Debian's real fail2ban.
#
# A private fail2ban-server (its own configuration, socket, pidfile and
# database under WORK_DIR, /etc/fail2ban hidden by a bind mount in a
# private mount namespace) runs two jails whose hostsdeny-d actions share
# one fragment, WORK_DIR/tables/hosts.deny.d/fail2ban.  Bans and unbans
# go through fail2ban-client; after each, the built tcpdmatch (our
# library, tables WORK_DIR/tables/hosts.{allow,deny} through -d) shows the
# next decision.  Then both jails ban 40 addresses each at the same time:
# with the lock, no ban is lost.  The machine's /etc is never written.
# usage: fail2ban_test.sh SOURCE_DIR BUILD_DIR WORK_DIR
set -eu
src=$1 build=$2 work=$3

if [ "${INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "FAIL: needs root (mount namespace)"; exit 1; }
    command -v fail2ban-server >/dev/null && command -v fail2ban-client >/dev/null || {
        echo "FAIL: fail2ban is not installed (scripts/deps.sh installs it)"
        exit 1
    }
    rm -rf "$work"
    mkdir -p "$work/etc" "$work/conf/action.d" "$work/conf/filter.d" \
        "$work/run" "$work/tables"
    export INNER=1
    exec unshare -m sh "$0" "$@"
fi
mount --make-rprivate /
# Nothing may read or write the machine's fail2ban configuration.
mount --bind "$work/etc" /etc/fail2ban

conf=$work/conf run=$work/run tables=$work/tables
frag=$tables/hosts.deny.d/fail2ban
cp "$src/contrib/fail2ban/action.d/hostsdeny-d.conf" "$conf/action.d/"
cat >"$conf/fail2ban.conf" <<EOF
[Definition]
loglevel = INFO
logtarget = $run/fail2ban.log
socket = $run/fail2ban.sock
pidfile = $run/fail2ban.pid
dbfile = $run/fail2ban.sqlite3
EOF
cat >"$conf/filter.d/dropin-test.conf" <<'EOF'
[Definition]
failregex = ^refused <HOST>$
EOF
: >"$run/one.log"
: >"$run/two.log"
cat >"$conf/jail.conf" <<EOF
[DEFAULT]
backend = polling
maxretry = 1000
bantime = 3600

[one]
enabled = true
filter = dropin-test
logpath = $run/one.log
action = hostsdeny-d[file="$frag", daemon_list="sshd"]

[two]
enabled = true
filter = dropin-test
logpath = $run/two.log
action = hostsdeny-d[file="$frag", daemon_list="ALL"]
EOF
: >"$tables/hosts.allow"
printf 'sshd: 10.9.8.1\n' >"$tables/hosts.deny"

client="fail2ban-client -c $conf"
match="env LD_LIBRARY_PATH=$build/libwrap $build/tools/tcpdmatch/tcpdmatch -d -i /dev/null"
passed=0 failed=0

stop_server() {
    $client stop >/dev/null 2>&1 || true
    if [ -s "$run/fail2ban.pid" ]; then
        kill "$(cat "$run/fail2ban.pid")" 2>/dev/null || true
    fi
}
trap stop_server EXIT

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "--- FAIL $*"; }

# expect DAEMON ADDR VERDICT [MATCHED]: the decision, and its matched: line
expect() {
    out=$(cd "$tables" && $match "$1" "$2" 2>&1 || true)
    got=$(printf '%s\n' "$out" | sed -n 's/^access: *//p')
    line=$(printf '%s\n' "$out" | sed -n 's/^matched: *//p')
    if [ "$got" = "$3" ] && [ "$line" = "${4:-}" ]; then
        ok
    else
        bad "$1 $2: access $got, matched \"$line\" (want $3, \"${4:-}\")"
        printf '%s\n' "$out"
    fi
}

# wait_for CMD...: runs CMD until it succeeds, at most 20 seconds (fail2ban
# runs some actions in its jails' threads, after the client returned)
wait_for() {
    deadline=$(($(date +%s) + 20))
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.05
    done
}

# lines N: the fragment has N rules (and its header)
lines() {
    [ -f "$frag" ] && [ "$(grep -vc '^#' "$frag")" = "$1" ]
}

$client start >"$run/start.out" 2>&1 || {
    cat "$run/start.out" "$run/fail2ban.log"
    echo "FAIL: fail2ban-server did not start"
    exit 1
}
# actionstart of both jails: the fragment exists, with its header only.
if wait_for lines 0 && [ "$(stat -c %a "$frag")" = 644 ]; then ok; else bad "actionstart"; fi
expect sshd 10.9.9.9 granted

$client set one banip 10.9.9.9 >/dev/null
if wait_for lines 1; then ok; else bad "banip"; fi
expect sshd 10.9.9.9 denied "hosts.deny.d/fail2ban line 2"
expect sshd 10.9.9.8 granted
expect ftpd 10.9.9.9 granted
# The table first, then the fragment.
expect sshd 10.9.8.1 denied "hosts.deny line 1"

$client set two banip 2001:db8::9 >/dev/null
if wait_for lines 2; then ok; else bad "banip IPv6"; fi
if grep -qx 'ALL: \[2001:db8::9\]' "$frag"; then ok; else bad "IPv6 rule"; cat "$frag"; fi
expect ftpd 2001:db8::9 denied "hosts.deny.d/fail2ban line 3"
expect sshd 10.9.9.9 denied "hosts.deny.d/fail2ban line 2"

# A second ban of the same address keeps one rule.
$client set one banip 10.9.9.9 >/dev/null || true
if lines 2; then ok; else bad "ban twice"; cat "$frag"; fi

$client set one unbanip 10.9.9.9 >/dev/null
if wait_for lines 1; then ok; else bad "unbanip"; cat "$frag"; fi
expect sshd 10.9.9.9 granted
expect ftpd 2001:db8::9 denied "hosts.deny.d/fail2ban line 2"

# Both jails at once: every ban of each is kept.
ones="" twos=""
for i in $(seq 1 40); do
    ones="$ones 10.1.0.$i"
    twos="$twos 10.2.0.$i"
done
$client set one banip $ones >/dev/null &
p1=$!
$client set two banip $twos >/dev/null &
p2=$!
wait $p1 || bad "banip one (concurrent)"
wait $p2 || bad "banip two (concurrent)"
if wait_for lines 81; then ok; else bad "concurrent bans: $(grep -vc '^#' "$frag") rules, want 81"; fi
expect sshd 10.1.0.40 denied "hosts.deny.d/fail2ban line $(grep -n '^sshd: 10.1.0.40$' "$frag" | cut -d: -f1)"
expect ftpd 10.2.0.1 denied "hosts.deny.d/fail2ban line $(grep -n '^ALL: 10.2.0.1$' "$frag" | cut -d: -f1)"
expect ftpd 10.1.0.1 granted
# No temporary file is left, and the lock file is hidden from libwrap.
if [ "$(ls -A "$tables/hosts.deny.d" | tr '\n' ' ')" = ".fail2ban.lock fail2ban " ]; then
    ok
else
    bad "directory: $(ls -A "$tables/hosts.deny.d" | tr '\n' ' ')"
fi
# tcpdchk reads the fragment as the library does.
(cd "$tables" && env LD_LIBRARY_PATH="$build/libwrap" \
    "$build/tools/tcpdchk/tcpdchk" -d -i /dev/null -j) >"$run/chk.out" 2>&1 || true
if [ "$(grep -c '"type":"rule","file":"hosts.deny.d/fail2ban"' "$run/chk.out")" = 81 ] &&
    grep -qx '{"type":"skipped","file":"hosts.deny.d/.fail2ban.lock","reason":"hidden file"}' "$run/chk.out"; then
    ok
else
    bad "tcpdchk"; cat "$run/chk.out" | head -5
fi

# actionstop: the jails' bans end with them.
$client stop >/dev/null
if lines 0; then ok; else bad "actionstop"; cat "$frag"; fi
expect ftpd 2001:db8::9 granted

echo "fail2ban hostsdeny-d: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
