#!/bin/sh
# tcpdchk -l: the source-routing, redirect and forwarding report
# (netconf.c), in a private network namespace, whose /proc/sys/net
# settings are its own: first set as recommended, then the other way
# (mroute_hold plays the multicast router that turns mc_forwarding on).
# Checks the exact text and JSON lines of both.  The machine's own
# settings are never written: the script refuses unless it runs in a
# namespace of its own.
# usage: netconf_test.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
bin=$build/tests/compat/tools

if [ "${INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "needs root (network namespace)"; exit 1; }
    OUTER_NET=$(readlink /proc/self/ns/net)
    export INNER=1 OUTER_NET
    exec unshare -n sh "$0" "$@"
fi
if [ "$(readlink /proc/self/ns/net)" = "$OUTER_NET" ] ||
    [ "$(ls /proc/sys/net/ipv4/conf | tr '\n' ' ')" != "all default lo " ]; then
    echo "not in a private network namespace: refusing to write sysctls"
    exit 1
fi
rm -rf "$work"
mkdir -p "$work"
cd "$work"
: >hosts.allow
: >hosts.deny

# set FAMILY SETTING ALL_VALUE DEFAULT_VALUE
set_conf() {
    echo "$3" >"/proc/sys/net/$1/conf/all/$2"
    echo "$4" >"/proc/sys/net/$1/conf/default/$2"
}
# Forwarding first: turning it on or off also resets accept_redirects.
settings() { # V4 V6 ACCEPT_SOURCE_ROUTE_V6_ALL RP_FILTER_ALL RP_FILTER_DEFAULT
    set_conf ipv4 forwarding "$1" "$1"
    set_conf ipv6 forwarding "$1" "$1"
    set_conf ipv4 accept_source_route "$1" "$1"
    set_conf ipv6 accept_source_route "$3" "$2"
    for s in accept_redirects secure_redirects send_redirects; do
        set_conf ipv4 $s "$1" "$1"
    done
    set_conf ipv6 accept_redirects "$1" "$1"
    set_conf ipv4 rp_filter "$4" "$5"
}

m_asr="1 takes packets whose sender chose their route, so a forged address that the rules trust still gets the replies. tcpd refuses source-routed IPv4 connections itself; unwrapped services, and daemons linked with libwrap that do not check IP options, get no such protection. IPv4 takes them where all and the interface's own value are both 1; IPv6 takes only type 2 routing headers (mobile IPv6) at 0 or more, and none below 0."
m_fwd="1 routes packets between interfaces: what passes through never meets tcpd or libwrap, so the rules guard only this host's own services."
m_mcf="1 while a multicast routing daemon runs (the kernel sets it, it cannot be written): multicast is passed on to other networks without meeting the rules."
m_ar="1 lets an ICMP redirect change this host's routes, so someone on the local network can divert what wrapped services send to the clients that the rules admit."
m_sr="where redirects are accepted, 1 takes only those that point to a gateway this host already uses; turn it off along with accept_redirects."
m_snd="1 sends ICMP redirects, which tell other hosts how to route and which only a router needs; the kernel sends them while all or the interface's own value is 1."
m_rp="1 (strict) drops packets whose source address would not be routed back out of the interface they came in on, so an address forged from the wrong network never reaches a wrapped service; 2 (loose) drops only unroutable ones, 0 checks nothing. The kernel uses the larger of all and the interface's value."

cat >meanings <<'TEXT'
What they mean for wrapped services:
  accept_source_route: 1 takes packets whose sender chose their route, so a
    forged address that the rules trust still gets the replies. tcpd refuses
    source-routed IPv4 connections itself; unwrapped services, and daemons
    linked with libwrap that do not check IP options, get no such protection.
    IPv4 takes them where all and the interface's own value are both 1; IPv6
    takes only type 2 routing headers (mobile IPv6) at 0 or more, and none
    below 0.
  forwarding: 1 routes packets between interfaces: what passes through never
    meets tcpd or libwrap, so the rules guard only this host's own services.
  mc_forwarding: 1 while a multicast routing daemon runs (the kernel sets it,
    it cannot be written): multicast is passed on to other networks without
    meeting the rules.
  accept_redirects: 1 lets an ICMP redirect change this host's routes, so
    someone on the local network can divert what wrapped services send to the
    clients that the rules admit.
  secure_redirects: where redirects are accepted, 1 takes only those that point
    to a gateway this host already uses; turn it off along with
    accept_redirects.
  send_redirects: 1 sends ICMP redirects, which tell other hosts how to route
    and which only a router needs; the kernel sends them while all or the
    interface's own value is 1.
  rp_filter: 1 (strict) drops packets whose source address would not be routed
    back out of the interface they came in on, so an address forged from the
    wrong network never reaches a wrapped service; 2 (loose) drops only
    unroutable ones, 0 checks nothing. The kernel uses the larger of all and
    the interface's value.
TEXT

# expect NAME: the expected text and JSON reports from the rows in
# NAME.rows ("sysctl value recommended status meaning-variable").
expect() {
    {
        echo "Source routing, redirects and forwarding (/proc/sys/net):"
        printf '%-42s %-5s %-11s %s\n' setting value recommended status
        while read -r name value rec status m; do
            printf '%-42s %-5s %-11s %s\n' "$name" "$value" "$(echo "$rec" | tr _ ' ')" "$status"
        done <"$1.rows"
        cat meanings
    } >"$1.text.expected"
    while read -r name value rec status m; do
        eval "meaning=\$$m"
        printf '{"type":"sysctl","name":"%s","value":%s,"recommended":"%s","status":"%s","meaning":"%s"}\n' \
            "$name" "$value" "$(echo "$rec" | tr _ ' ')" "$status" "$meaning"
    done <"$1.rows" >"$1.json.expected"
}

passed=0 failed=0
# compare DESCRIPTION EXPECTED_FILE ACTUAL_FILE
compare() {
    if cmp -s "$2" "$3"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "--- FAIL $1 (< expected, > actual)"
        diff "$2" "$3" || true
    fi
}

# run NAME: tcpdchk -l in text and JSON, compared with NAME's expectations.
run() {
    "$build/tools/tcpdchk/tcpdchk" -d -l -i /dev/null >"$1.text.out" 2>&1 || true
    sed -n '/^Source routing/,$p' "$1.text.out" >"$1.text"
    "$build/tools/tcpdchk/tcpdchk" -d -l -j -i /dev/null >"$1.json.out" 2>&1 || true
    grep '^{"type":"sysctl"' "$1.json.out" >"$1.json" || true
    expect "$1"
    compare "$1 (text)" "$1.text.expected" "$1.text"
    compare "$1 (JSON)" "$1.json.expected" "$1.json"
}

# As recommended (IPv6's accept_source_route at -1 and 0, both fine).
settings 0 0 -1 1 1
cat >recommended.rows <<'ROWS'
net.ipv4.conf.all.accept_source_route 0 0 ok m_asr
net.ipv4.conf.default.accept_source_route 0 0 ok m_asr
net.ipv6.conf.all.accept_source_route -1 0_or_less ok m_asr
net.ipv6.conf.default.accept_source_route 0 0_or_less ok m_asr
net.ipv4.conf.all.forwarding 0 0 ok m_fwd
net.ipv4.conf.default.forwarding 0 0 ok m_fwd
net.ipv6.conf.all.forwarding 0 0 ok m_fwd
net.ipv6.conf.default.forwarding 0 0 ok m_fwd
net.ipv4.conf.all.mc_forwarding 0 0 ok m_mcf
net.ipv4.conf.default.mc_forwarding 0 0 ok m_mcf
net.ipv6.conf.all.mc_forwarding 0 0 ok m_mcf
net.ipv6.conf.default.mc_forwarding 0 0 ok m_mcf
net.ipv4.conf.all.accept_redirects 0 0 ok m_ar
net.ipv4.conf.default.accept_redirects 0 0 ok m_ar
net.ipv6.conf.all.accept_redirects 0 0 ok m_ar
net.ipv6.conf.default.accept_redirects 0 0 ok m_ar
net.ipv4.conf.all.secure_redirects 0 0 ok m_sr
net.ipv4.conf.default.secure_redirects 0 0 ok m_sr
net.ipv4.conf.all.send_redirects 0 0 ok m_snd
net.ipv4.conf.default.send_redirects 0 0 ok m_snd
net.ipv4.conf.all.rp_filter 1 1 ok m_rp
net.ipv4.conf.default.rp_filter 1 1 ok m_rp
ROWS
run recommended

# Everything the other way, with a multicast router holding its sockets
# (mc_forwarding of "all" only: the kernel never sets "default").
settings 1 1 1 0 2
mkfifo hold.in
exec 3<>hold.in
"$bin/mroute_hold" <hold.in >hold.out 3>&- &
hold_pid=$!
trap 'kill $hold_pid 2>/dev/null || true' EXIT
tries=0
until grep -q ready hold.out; do
    tries=$((tries + 1))
    [ "$tries" -le 200 ] || { echo "mroute_hold did not start"; exit 1; }
    kill -0 "$hold_pid" 2>/dev/null || { echo "mroute_hold failed"; exit 1; }
    sleep 0.05
done
cat >other.rows <<'ROWS'
net.ipv4.conf.all.accept_source_route 1 0 differs m_asr
net.ipv4.conf.default.accept_source_route 1 0 differs m_asr
net.ipv6.conf.all.accept_source_route 1 0_or_less differs m_asr
net.ipv6.conf.default.accept_source_route 1 0_or_less differs m_asr
net.ipv4.conf.all.forwarding 1 0 differs m_fwd
net.ipv4.conf.default.forwarding 1 0 differs m_fwd
net.ipv6.conf.all.forwarding 1 0 differs m_fwd
net.ipv6.conf.default.forwarding 1 0 differs m_fwd
net.ipv4.conf.all.mc_forwarding 1 0 differs m_mcf
net.ipv4.conf.default.mc_forwarding 0 0 ok m_mcf
net.ipv6.conf.all.mc_forwarding 1 0 differs m_mcf
net.ipv6.conf.default.mc_forwarding 0 0 ok m_mcf
net.ipv4.conf.all.accept_redirects 1 0 differs m_ar
net.ipv4.conf.default.accept_redirects 1 0 differs m_ar
net.ipv6.conf.all.accept_redirects 1 0 differs m_ar
net.ipv6.conf.default.accept_redirects 1 0 differs m_ar
net.ipv4.conf.all.secure_redirects 1 0 differs m_sr
net.ipv4.conf.default.secure_redirects 1 0 differs m_sr
net.ipv4.conf.all.send_redirects 1 0 differs m_snd
net.ipv4.conf.default.send_redirects 1 0 differs m_snd
net.ipv4.conf.all.rp_filter 0 1 differs m_rp
net.ipv4.conf.default.rp_filter 2 1 differs m_rp
ROWS
run other
exec 3>&-
wait "$hold_pid" || true

echo "tcpdchk -l settings: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
