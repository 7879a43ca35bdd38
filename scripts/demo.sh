#!/bin/sh
# Live demonstration: builds everything, then runs the seed's three rules
#
#   hosts.allow:  vsftpd : ALL : banners /etc/banners/
#   hosts.deny:   ALL : 206.182.68.0 : spawn /bin/echo `date` %c %d >> /var/log/intruder_alert
#                 in.telnetd : ALL : severity emerg
#
# on real loopback connections through the built tcpd, and prints what
# each client received, the syslog lines with their priorities, and
# tcpdmatch's prediction for each request.  206.182.68.0 is not on
# loopback, so the demo's intruder is 127.0.0.66 (tcpdchk's comment on
# the original address is shown too).
#
# Needs root on Debian.  DEMO_LIBDIR=/usr/lib/x86_64-linux-gnu runs the
# built programs against Debian's libwrap.so.0 instead of ours.  Everything happens in a private mount
# namespace: /etc is a private copy, /var/log and /dev are tmpfs with a
# /dev/log read by a tiny syslog reader; the machine's own /etc, /dev and
# /var/log are never touched.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=$top/build

if [ "${DEMO_INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "demo: run me as root (I use apt-get and mount namespaces)"; exit 1; }
    ./scripts/deps.sh
    echo "== building"
    cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build" -j "$(nproc)" >/dev/null
    # Not under /tmp: tcpdmatch would rightly call the daemons' directory
    # world writable.
    work=$(mktemp -d "$build/demo.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    cp -a /etc "$work/etc"
    export DEMO_INNER=1 DEMO_WORK="$work"
    unshare -m sh "$0"
    exit 0
fi

work=$DEMO_WORK
bin=$build/tests/compat/tools
# A private /etc, /var/log and /dev for this namespace only.
mount --make-rprivate /
mount --bind "$work/etc" /etc
mount -t tmpfs tmpfs /var/log
mount -t tmpfs tmpfs /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/zero c 1 5
mknod -m 666 /dev/urandom c 1 9
# DEMO_LIBDIR=/usr/lib/x86_64-linux-gnu runs the same programs against
# Debian's libwrap.so.0 instead, for comparison.
export LD_LIBRARY_PATH=${DEMO_LIBDIR:-$build/libwrap}

printf '127.0.0.1 localhost\n127.0.0.66 intruder.example\n' >/etc/hosts
printf 'hosts: files\n' >/etc/nsswitch.conf
mkdir -p /etc/banners "$work/sbin"
printf '220-Welcome, %%c. This is %%d on loopback.\n' >/etc/banners/vsftpd
cat >/etc/hosts.allow <<'RULES'
vsftpd : ALL : banners /etc/banners/
RULES
cat >/etc/hosts.deny <<'RULES'
ALL : 127.0.0.66 : spawn /bin/echo `date` %c %d >> /var/log/intruder_alert
in.telnetd : ALL : severity emerg
RULES
# The real daemons tcpd starts: each greets its client.
for d in vsftpd in.telnetd sshd; do
    printf '#!/bin/sh\necho "%s: hello from the real daemon"\n' "$d" >"$work/sbin/$d"
    chmod 755 "$work/sbin/$d"
done
cat >/etc/inetd.conf <<INETD
ftp    stream tcp nowait root $build/tcpd/tcpd $work/sbin/vsftpd
telnet stream tcp nowait root $build/tcpd/tcpd $work/sbin/in.telnetd
ssh    stream tcp nowait root $build/tcpd/tcpd $work/sbin/sshd
INETD

"$bin/logsink" /dev/log "$work/syslog" &
sink=$!
pids=""
for spec in 2121:vsftpd 2323:in.telnetd 2222:sshd; do
    "$bin/miniinetd" 127.0.0.1 "${spec%%:*}" "$build/tcpd/tcpd" "$work/sbin/${spec#*:}" >/dev/null &
    pids="$pids $!"
done
sleep 0.5

echo
echo "== the rules"
echo "/etc/hosts.allow:"; sed 's/^/    /' /etc/hosts.allow
echo "/etc/hosts.deny:"; sed 's/^/    /' /etc/hosts.deny
echo "(the seed's hosts.deny names 206.182.68.0; tcpdchk says of that rule:)"
mkdir -p "$work/seed"
printf 'ALL : 206.182.68.0 : spawn /bin/echo `date` %%c %%d >> /var/log/intruder_alert\n' >"$work/seed/hosts.deny"
(cd "$work/seed" && "$build/tools/tcpdchk/tcpdchk" -d -i /dev/null | grep network-address | sed 's/^/    /') || true

echo
echo "== three clients connect at once (a refused connection costs tcpd 5 s)"
client() { # name source port
    socat -T 8 - "TCP:127.0.0.1:$3,bind=$2" </dev/null >"$work/client.$1" 2>&1 || true
}
client ftp 127.0.0.1 2121 &
c1=$!
client intruder 127.0.0.66 2222 &
c2=$!
client telnet 127.0.0.1 2323 &
c3=$!
wait $c1 $c2 $c3
for c in "ftp 127.0.0.1 -> vsftpd (port 2121)" "intruder 127.0.0.66 -> sshd (port 2222)" "telnet 127.0.0.1 -> in.telnetd (port 2323)"; do
    name=${c%% *}
    echo "-- client $c received:"
    if [ -s "$work/client.$name" ]; then
        tr -d '\r' <"$work/client.$name" | sed 's/^/    /'
    else
        echo "    (nothing: the connection was closed)"
    fi
done
sleep 0.3
echo
echo "== syslog (/dev/log), facility.level (priority): message"
sed 's/^/    /' "$work/syslog"
echo
echo "== /var/log/intruder_alert (written by spawn)"
if [ -s /var/log/intruder_alert ]; then
    sed 's/^/    /' /var/log/intruder_alert
else
    echo "    (empty)"
fi

echo
echo "== tcpdmatch's predictions"
for q in "vsftpd 127.0.0.1" "sshd 127.0.0.66" "in.telnetd 127.0.0.1"; do
    echo "-- tcpdmatch $q"
    # shellcheck disable=SC2086
    "$build/tools/tcpdmatch/tcpdmatch" $q 2>&1 | tr -d '\r' | sed 's/^/    /'
done

kill $pids "$sink" 2>/dev/null || true
