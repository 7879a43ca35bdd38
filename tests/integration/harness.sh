#!/bin/bash
# harness.sh - runs one integration scenario once, in private namespaces.
#
# Usage: harness.sh SCENARIO_FILE MODE RUNDIR HELPERS_DIR BUILD_DIR
#   MODE debian: the daemons load Debian's libwrap.so.0, tcpd is Debian's.
#   MODE ours:   LD_LIBRARY_PATH=BUILD_DIR/libwrap puts our libwrap.so.0
#                under every daemon; tcpd is BUILD_DIR/tcpd/tcpd once it
#                exists, Debian's /usr/sbin/tcpd (on our library) until then.
#
# The run happens in a new mount and network namespace (unshare -m -n):
# only the namespace's own loopback exists, so daemons listen on fixed
# ports and clients connect from fixed 127.0.0.x addresses and ports
# without touching the machine's network.  Inside, /etc is an overlay
# whose writes vanish with the namespace, and the scenario's hosts.allow,
# hosts.deny, hosts, nsswitch.conf and resolv.conf are bind-mounted over
# it; /dev is a tmpfs with the device nodes the daemons need and a real
# /dev/log datagram socket read by itsyslog; /run and /var/log are fresh
# tmpfs.  RUNDIR/work is mounted at /run/it, so every path a rule names is
# the same in every run.
#
# The scenario file (bash, sourced) defines `scenario`, which writes its
# files, starts its daemons and runs its clients with the functions below.
# Observations land in RUNDIR/obs: client.NAME.bytes, client.NAME.rc,
# daemon.NAME.rc, file.NAME and syslog (raw; run.sh normalises and
# compares).  Beside them, RUNDIR/masters lists the daemons' pids (for the
# normaliser) and RUNDIR/maps which libwrap each process mapped, which
# this script checks.  Exit status: 0 when the run completed and the maps
# check passed.

# The functions below are called from the sourced scenario file.
# shellcheck disable=SC2317
set -euo pipefail

if [ "${1:-}" != --inside ]; then
    [ $# -eq 5 ] || { echo "usage: harness.sh SCENARIO MODE RUNDIR HELPERS BUILD" >&2; exit 2; }
    rundir=$3
    rm -rf "$rundir"
    mkdir -p "$rundir/work" "$rundir/obs"
    exec unshare --mount --net --propagation private -- \
        bash "$0" --inside "$@"
fi
shift
SCENARIO=$1 MODE=$2 RUNDIR=$(cd "$3" && pwd) HELPERS=$4 BUILD=$5
OBS=$RUNDIR/obs
W=/run/it

# The same surroundings whoever starts the run: sshd insists on a
# privilege-separation directory that only root can write, and messages
# (strerror texts) must not depend on the caller's locale.
umask 022
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset LANG LANGUAGE

die() { echo "harness: $*" >&2; exit 1; }

# --- the namespace's file system -------------------------------------------

mount -t tmpfs -o mode=755 lwt-run /run
mkdir -p /run/.ovl /run/it /run/sshd /run/vsftpd/empty
mount -t tmpfs lwt-ovl /run/.ovl
mkdir /run/.ovl/etc /run/.ovl/etc.work
mount --bind "$RUNDIR/work" "$W"
mount -t overlay lwt-etc -o lowerdir=/etc,upperdir=/run/.ovl/etc,workdir=/run/.ovl/etc.work /etc
mount -t tmpfs lwt-log /var/log
mount -t tmpfs -o mode=755 lwt-dev /dev
mknod -m 666 /dev/null c 1 3
mknod -m 666 /dev/zero c 1 5
mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8
mknod -m 666 /dev/urandom c 1 9
mknod -m 666 /dev/tty c 5 0
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
mkdir -m 1777 /dev/shm
ip link set lo up
# A datagram socket queues only max_dgram_qlen messages (10 by default,
# a per-namespace setting); a daemon whose syslog() send blocks on a full
# queue and is then interrupted by SIGCHLD loses the message (xinetd did,
# under load).  With a long queue, senders never wait for itsyslog.
echo 4096 >/proc/sys/net/unix/max_dgram_qlen

mkdir -p "$W/etc"
# Puts a scenario-owned copy of an /etc file in place with a bind mount.
etc_file() {
    local name=$1
    cat >"$W/etc/$name"
    [ -e "/etc/$name" ] || : >"/etc/$name"
    mount --bind "$W/etc/$name" "/etc/$name"
}
printf '' | etc_file hosts.allow
printf '' | etc_file hosts.deny
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' | etc_file hosts
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\nservices: files\nnetgroup: files\n' |
    etc_file nsswitch.conf
printf '' | etc_file resolv.conf

"$HELPERS/itsyslog" /dev/log "$OBS/syslog" &
syslog_pid=$!
"$HELPERS/itmaps" "$RUNDIR/maps" &
maps_pid=$!
while [ ! -S /dev/log ]; do sleep 0.01; done

case $MODE in
ours)
    export LD_LIBRARY_PATH=$BUILD/libwrap
    WRAPLIB=$(readlink -f "$BUILD/libwrap/libwrap.so.0")
    if [ -x "$BUILD/tcpd/tcpd" ]; then TCPD=$BUILD/tcpd/tcpd; else TCPD=/usr/sbin/tcpd; fi
    ;;
debian)
    unset LD_LIBRARY_PATH
    # The library that Debian's tcpd loads when nothing interferes.
    WRAPLIB=$(readlink -f "$(ldd /usr/sbin/tcpd | awk '$1 == "libwrap.so.0" { print $3 }')")
    TCPD=/usr/sbin/tcpd
    ;;
*) die "unknown mode $MODE" ;;
esac
[ -f "$WRAPLIB" ] || die "no library at $WRAPLIB"
echo "$MODE: libwrap $WRAPLIB, tcpd $TCPD" >"$RUNDIR/info"

# --- functions for scenarios ------------------------------------------------

daemon_pids=()
daemon_names=()
client_pids=()
mapped_exes=()

# Replaces one of the /etc files above with stdin (hosts.allow, hosts, ...).
put_etc() { cat >"$W/etc/$1"; }

# Writes stdin to PATH inside the namespace, creating its directory.
put() { mkdir -p "$(dirname "$1")"; cat >"$1"; }

# Starts a daemon in the background; its output goes to RUNDIR/work/NAME.out.
daemon() {
    local name=$1
    shift
    "$@" >"$W/$name.out" 2>&1 &
    daemon_pids+=($!)
    daemon_names+=("$name")
    echo "$!" >>"$RUNDIR/masters"
}

# Waits until something listens on the TCP or UDP port (at most 10 s).
wait_port() {
    local i
    for ((i = 0; i < 1000; i++)); do
        [ -n "$(ss -Hltnu "sport = :$1")" ] && return 0
        sleep 0.01
    done
    die "nothing listens on port $1"
}

# Runs a scripted client and waits for it (itclient arguments after NAME).
client() {
    client_bg "$@"
    wait_clients
}

# Runs a scripted client in the background (itclient arguments after NAME).
client_bg() {
    local name=$1
    shift
    (
        rc=0
        "$HELPERS/itclient" "$@" >"$OBS/client.$name.bytes" 2>"$W/client.$name.err" || rc=$?
        echo "$rc" >"$OBS/client.$name.rc"
    ) &
    client_pids+=($!)
}

# Waits for every client started so far.
wait_clients() {
    local p
    for p in "${client_pids[@]}"; do wait "$p"; done
    client_pids=()
}

# Records a file's contents (or its absence) as an observation.
collect() {
    if [ -e "$1" ]; then cp "$1" "$OBS/file.$2"; else echo "(absent)" >"$OBS/file.$2"; fi
}

# Records a file that concurrent connections appended to, lines sorted:
# their order is the order in which the connections were served.
collect_sorted() {
    if [ -e "$1" ]; then LC_ALL=C sort "$1" >"$OBS/file.$2"; else echo "(absent)" >"$OBS/file.$2"; fi
}

# Declares an executable that must be seen with the intended libwrap mapped.
expect_mapped() { mapped_exes+=("$1"); }

# Waits (at most 10 s) until no daemon has a child process left, so that
# every connection's last log line has been sent.
settle() {
    local i p busy
    for ((i = 0; i < 1000; i++)); do
        busy=
        for p in "${daemon_pids[@]}"; do
            if pgrep -P "$p" >/dev/null; then busy=1; fi
        done
        [ -n "$busy" ] || return 0
        sleep 0.01
    done
    die "daemon children still running after 10 s"
}

# Stops the daemons: TERM, and waits for each; how each one ended (its
# exit status, 128+N for signal N) is an observation.
stop_daemons() {
    local i rc
    settle
    for i in "${!daemon_pids[@]}"; do kill -TERM "${daemon_pids[$i]}" 2>/dev/null || true; done
    for i in "${!daemon_pids[@]}"; do
        rc=0
        wait "${daemon_pids[$i]}" || rc=$?
        echo "$rc" >"$OBS/daemon.${daemon_names[$i]}.rc"
    done
    daemon_pids=()
}

# --- the run ----------------------------------------------------------------

# On any failure, nothing of the run may outlive it.
cleanup() {
    local p
    for p in "${client_pids[@]}" "${daemon_pids[@]}" "$syslog_pid" "$maps_pid"; do
        kill -KILL "$p" 2>/dev/null || true
    done
}
trap cleanup EXIT

# shellcheck source=/dev/null
. "$SCENARIO"
scenario
wait_clients
stop_daemons
"$HELPERS/itsyslog" -s /dev/log
wait "$syslog_pid"
kill -TERM "$maps_pid"
wait "$maps_pid"
trap - EXIT

# Every process that mapped a libwrap must have mapped the intended one,
# and every declared executable must have been seen with it.
status=0
while IFS=$'\t' read -r exe lib; do
    if [ "$lib" != "$WRAPLIB" ]; then
        echo "harness: $MODE: $exe mapped $lib, not $WRAPLIB" >&2
        status=1
    fi
done <"$RUNDIR/maps"
for exe in "${mapped_exes[@]}"; do
    if ! grep -qxF "$exe	$WRAPLIB" "$RUNDIR/maps"; then
        echo "harness: $MODE: $exe was not seen with $WRAPLIB mapped" >&2
        status=1
    fi
done
exit "$status"
