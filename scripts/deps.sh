#!/bin/sh
# Installs, with apt-get, whatever the build and the tests need and the
# machine lacks.  Debian's own libwrap0, libwrap0-dev and tcpd are test
# oracles; the daemons are clients for the integration tests; socat is
# the demo's client, man-db renders the man pages in a test, tcpd is
# tested under openbsd-inetd (and xinetd, whose package conflicts with
# it: tests/compat/tools/compare_tcpd.sh unpacks its binary instead);
# clang and its runtimes build the libFuzzer harnesses.
#
# The daemons' packages would start system services on install; a
# policy-rc.d that answers 101 keeps invoke-rc.d (and deb-systemd-invoke)
# from starting anything, and any service that runs anyway is stopped and
# disabled, so nothing listens on the machine's own ports.  The integration
# tests start their own instances inside private namespaces.  For them,
# xinetd is fetched with `apt-get download` and unpacked into a private
# directory instead of being installed.
set -eu

packages="cmake make gcc g++ pkg-config libcmocka-dev libwrap0 libwrap0-dev
tcpd socat man-db groff-base util-linux openbsd-inetd vsftpd openssh-server
openssh-client dnsmasq iproute2 procps clang libclang-rt-14-dev"
services="ssh vsftpd openbsd-inetd inetd dnsmasq"
xinetd_root=/var/cache/libwrap-integration/xinetd

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
        grep -q '^install ok installed$' || missing="$missing $p"
done
updated=no
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    updated=yes
    # No service may start during the install (see above); a policy-rc.d
    # that was already there is left alone.
    own_policy=no
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        own_policy=yes
    fi
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
        status=$?
    [ "$own_policy" = no ] || rm -f /usr/sbin/policy-rc.d
    [ "${status:-0}" = 0 ] || exit "$status"
    for s in $services; do
        if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
            systemctl disable --now "$s" >/dev/null 2>&1 || true
        fi
        if [ -x "/etc/init.d/$s" ]; then
            "/etc/init.d/$s" stop >/dev/null 2>&1 || true
            update-rc.d "$s" disable >/dev/null 2>&1 || true
        fi
    done
fi

if [ ! -x "$xinetd_root/usr/sbin/xinetd" ]; then
    echo "deps: fetching xinetd into $xinetd_root"
    export DEBIAN_FRONTEND=noninteractive
    [ "$updated" = yes ] || apt-get update -qq
    tmp=$(mktemp -d)
    chown _apt "$tmp" 2>/dev/null || chmod 777 "$tmp"  # apt downloads as _apt
    (cd "$tmp" && apt-get download -qq xinetd >/dev/null)
    mkdir -p "$xinetd_root"
    dpkg -x "$tmp"/xinetd_*.deb "$xinetd_root"
    rm -rf "$tmp"
fi
