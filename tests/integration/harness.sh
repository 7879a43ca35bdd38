#!/bin/bash
# harness.sh - runs one integration scenario once, in private namespaces.
#
# Usage: harness.sh SCENARIO_FILE MODE RUNDIR HELPERS_DIR BUILD_DIR
#   MODE debian: the daemons load Debian's libwrap.so.0, tcpd is Debian's.
#   MODE ours:   LD_LIBRARY_PATH=BUILD_DIR/libwrap puts our libwrap.so.0
#                under every daemon; tcpd is BUILD_DIR/tcpd/tcpd once it
#                exists, Debian's /usr/sbin/tcpd (on our library) until then.
#   MODE system: BUILD_DIR holds our libwrap0, libwrap0-dev and tcpd .debs;
#                dpkg -i installs them into the namespace's overlays, and
#                every daemon loads the installed library as it would on a
#                machine where they replaced Debian's, without
#                LD_LIBRARY_PATH; tcpd is the installed /usr/sbin/tcpd.
#
# The run happens in a new mount and network namespace (unshare -m -n):
# only the namespace's own loopback exists, so daemons listen on fixed
# ports and clients connect from fixed 127.0.0.x addresses and ports
# without touching the machine's network.  Inside, /usr, /etc and /var are
# overlays whose writes vanish with the namespace (the machine's own
# packages, /etc and /dev are never changed), and the scenario's hosts.allow,
# hosts.deny, hosts, nsswitch.conf and resolv.conf are bind-mounted over
# it; /dev is a tmpfs with the device nodes the daemons need and a real
# /dev/log datagram socket read by itsyslog; /run and /var/log are fresh
# tmpfs.  RUNDIR/work is mounted at /run/it, so every path a rule names is
# the same in every run.  All three modes run in the same overlays, so that
# the only difference between runs is the library.
#
# The scenario file (bash, sourced) defines `scenario`, which writes its
# files, starts its daemons and runs its clients with the functions below.
# Observations land in RUNDIR/obs: client.NAME.bytes, client.NAME.rc,
# daemon.NAME.rc, file.NAME and syslog (raw; run.sh normalises and
# compares).  Beside them, RUNDIR/masters lists the daemons' pids (for the
# normaliser) and RUNDIR/maps which libwrap each process mapped and
# whether its bytes were the intended library's, which this script checks.  Exit status: 0 when the run completed and the maps
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
mount --bind "$RUNDIR/work" "$W"
for dir in usr etc var; do
    mkdir "/run/.ovl/$dir" "/run/.ovl/$dir.work"
    mount -t overlay "lwt-$dir" \
        -o "lowerdir=/$dir,upperdir=/run/.ovl/$dir,workdir=/run/.ovl/$dir.work" "/$dir"
done
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

# The library that /usr/sbin/tcpd loads when nothing interferes.
system_libwrap() {
    readlink -f "$(ldd /usr/sbin/tcpd | awk '$1 == "libwrap.so.0" { print $3 }')"
}

# Installs our packages into the overlays, as an admin would with dpkg -i,
# and checks that the library the system now loads is the packaged one.
install_packages() {
    local debs=() deb debian_copy=/run/.ovl/debian-libwrap.so version lib
    for deb in libwrap0 libwrap0-dev tcpd; do
        debs+=("$(ls "$BUILD/${deb}"_*.deb)") || die "no $deb package in $BUILD"
    done
    cp "$(system_libwrap)" "$debian_copy"
    dpkg -i "${debs[@]}" >"$RUNDIR/dpkg.log" 2>&1 || die "dpkg -i failed: $(cat "$RUNDIR/dpkg.log")"
    version=$(dpkg-deb -f "${debs[0]}" Version)
    [ "$(dpkg-query -W -f='${Version} ' libwrap0 tcpd)" = "$version $version " ] ||
        die "dpkg does not report libwrap0 and tcpd $version installed"
    lib=$(system_libwrap)
    dpkg-deb --fsys-tarfile "${debs[0]}" | tar -xOf - ".$lib" | cmp -s - "$lib" ||
        die "$lib is not the file in ${debs[0]}"
    ! cmp -s "$lib" "$debian_copy" || die "the packaged $lib is Debian's"
    echo "libwrap0 $version"
}

case $MODE in
ours)
    export LD_LIBRARY_PATH=$BUILD/libwrap
    WRAPLIB=$(readlink -f "$BUILD/libwrap/libwrap.so.0")
    if [ -x "$BUILD/tcpd/tcpd" ]; then TCPD=$BUILD/tcpd/tcpd; else TCPD=/usr/sbin/tcpd; fi
    installed=
    ;;
debian)
    unset LD_LIBRARY_PATH
    WRAPLIB=$(system_libwrap)
    TCPD=/usr/sbin/tcpd
    installed=
    ;;
system)
    unset LD_LIBRARY_PATH
    installed=$(install_packages)
    WRAPLIB=$(system_libwrap)
    TCPD=/usr/sbin/tcpd
    ;;
*) die "unknown mode $MODE" ;;
esac
[ -f "$WRAPLIB" ] || die "no library at $WRAPLIB"
echo "$MODE: libwrap $WRAPLIB${installed:+ ($installed)}, tcpd $TCPD" >"$RUNDIR/info"

"$HELPERS/itsyslog" /dev/log "$OBS/syslog" &
syslog_pid=$!
: >"$RUNDIR/maps"
"$HELPERS/itmaps" "$WRAPLIB" "$RUNDIR/maps" &
maps_pid=$!
while [ ! -S /dev/log ]; do sleep 0.01; done

# --- functions for scenarios ------------------------------------------------

daemon_pids=()
daemon_names=()
keeping_pids=()
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

# Marks the daemon started last as one whose children live as long as it
# does (dovecot's log, config and anvil processes): settle does not wait
# for them, and its log lines are complete only once it is stopped.
keeps_children() { keeping_pids+=("${daemon_pids[-1]}"); }

# Waits until something listens on the TCP or UDP port (at most 10 s).
wait_port() {
    local i
    for ((i = 0; i < 1000; i++)); do
        [ -n "$(ss -Hltnu "sport = :$1")" ] && return 0
        sleep 0.01
    done
    die "nothing listens on port $1"
}

# Makes connections to the loopback address ADDR leave from ADDR itself,
# for clients such as rpcinfo or tftp that cannot choose their source
# address: ADDR/32 on lo brings a local route with ADDR as its source, so
# connecting to 127.0.0.5 then comes from 127.0.0.5.  (An address other
# than 127.0.0.1 also makes getaddrinfo's AI_ADDRCONFIG, which tftp uses,
# see IPv4 as configured.)  It lives in the namespace only.
source_route() { ip addr add "$1/32" dev lo; }

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

# Waits (at most 10 s) until itmaps has seen the executable with a libwrap
# mapped, for a process that ends as soon as it is let go; and declares it.
wait_mapped() {
    local i
    expect_mapped "$1"
    for ((i = 0; i < 1000; i++)); do
        grep -qF "$1	" "$RUNDIR/maps" && return 0
        sleep 0.01
    done
    die "$1 was not seen with a libwrap mapped"
}

# Runs a command to its end and records what it printed on stdout and
# stderr and its exit status, as observations cmd.NAME.{out,err,rc}.
command_obs() {
    local name=$1 rc=0
    shift
    "$@" >"$OBS/cmd.$name.out" 2>"$OBS/cmd.$name.err" </dev/null || rc=$?
    echo "$rc" >"$OBS/cmd.$name.rc"
}

# Waits (at most 10 s) until no daemon has a child process left, so that
# every connection's last log line has been sent.
settle() {
    local i p busy
    for ((i = 0; i < 1000; i++)); do
        busy=
        for p in "${daemon_pids[@]}"; do
            case " ${keeping_pids[*]} " in *" $p "*) continue ;; esac
            if pgrep -P "$p" >/dev/null; then busy=1; fi
        done
        [ -n "$busy" ] || return 0
        sleep 0.01
    done
    die "daemon children still running after 10 s:$(for p in "${daemon_pids[@]}"; do pgrep -a -P "$p"; done | sed 's/^/ /')"
}

# Waits (at most 10 s) until a daemon that ends by itself has ended, and
# records how (as stop_daemons does); its output is then complete.
wait_daemon() {
    local name=$1 i j rc=0 state
    for i in "${!daemon_names[@]}"; do
        [ "${daemon_names[$i]}" = "$name" ] || continue
        for ((j = 0; j < 1000; j++)); do
            # Gone, or a zombie that only wait can collect.
            state=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/${daemon_pids[$i]}/stat" 2>/dev/null) || break
            [ "$state" != Z ] || break
            sleep 0.01
        done
        [ "$j" -lt 1000 ] || die "$name still running after 10 s"
        wait "${daemon_pids[$i]}" || rc=$?
        echo "$rc" >"$OBS/daemon.$name.rc"
        unset 'daemon_pids[i]' 'daemon_names[i]'
        return 0
    done
    die "no daemon $name"
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
# by path and by contents, and every declared executable must have been
# seen with it.
status=0
while IFS=$'\t' read -r exe lib bytes; do
    if [ "$lib" != "$WRAPLIB" ] || [ "$bytes" != same ]; then
        echo "harness: $MODE: $exe mapped $lib ($bytes), not $WRAPLIB" >&2
        status=1
    fi
done <"$RUNDIR/maps"
for exe in "${mapped_exes[@]}"; do
    if ! grep -qxF "$exe	$WRAPLIB	same" "$RUNDIR/maps"; then
        echo "harness: $MODE: $exe was not seen with $WRAPLIB mapped" >&2
        status=1
    fi
done
exit "$status"
