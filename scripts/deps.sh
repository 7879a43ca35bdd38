#!/bin/sh
# Installs, with apt-get, whatever the build and the tests need and the
# machine lacks.  Debian's own libwrap0, libwrap0-dev and tcpd are test
# oracles; the daemons are clients for the integration tests; socat is
# the demo's client, man-db renders the man pages in a test, tcpd is
# tested under openbsd-inetd (and xinetd, whose package conflicts with
# it: tests/compat/tools/compare_tcpd.sh unpacks its binary instead);
# clang and its runtimes build the libFuzzer harnesses.  dpkg-dev,
# debhelper, fakeroot and lintian build and check the Debian packages
# (tests/integration/package.sh); the system-wide runs need the daemons
# of tests/integration/system/ and their clients (tftp-hpa, check_nrpe),
# fail2ban runs the hostsdeny-d action of contrib/fail2ban
# (tests/integration/fail2ban_test.sh); and Debian's own libwrap0,
# libwrap0-dev and tcpd .debs, fetched with
# `apt-get download`, which tests/integration/reinstall.sh reinstalls.
#
# The daemons' packages would start system services on install; a
# policy-rc.d that answers 101 keeps invoke-rc.d (and deb-systemd-invoke)
# from starting anything, and any service that runs anyway is stopped and
# disabled, so nothing listens on the machine's own ports.  The integration
# tests start their own instances inside private namespaces.  For them,
# xinetd (which conflicts with openbsd-inetd) and proftpd (whose package
# conflicts with vsftpd: both are an ftp-server) are fetched with
# `apt-get download` and unpacked into private directories instead of
# being installed; the libraries they need are installed.
set -eu

packages="cmake make gcc g++ pkg-config libcmocka-dev libwrap0 libwrap0-dev
tcpd socat man-db groff-base util-linux openbsd-inetd vsftpd openssh-server
openssh-client dnsmasq iproute2 procps clang libclang-rt-14-dev clang-format
dpkg-dev debhelper fakeroot lintian stunnel4 rpcbind tftpd-hpa tftp-hpa
dovecot-core dovecot-pop3d sslh dante-server nagios-nrpe-server
nagios-nrpe-plugin libauthen-libwrap-perl fail2ban"
services="ssh vsftpd openbsd-inetd inetd dnsmasq stunnel4 rpcbind rpcbind.socket
tftpd-hpa dovecot sslh danted nagios-nrpe-server fail2ban"
cache=/var/cache/libwrap-integration
xinetd_root=$cache/xinetd
proftpd_root=$cache/proftpd
debian_debs=$cache/debian-debs

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

# Reads the package lists once, before the first download.
update_once() {
    [ "$updated" = yes ] || apt-get update -qq
    updated=yes
}

# Fetches packages with apt-get download into a new directory (printed).
download() {
    dir=$(mktemp -d)
    chown _apt "$dir" 2>/dev/null || chmod 777 "$dir"  # apt downloads as _apt
    (cd "$dir" && apt-get download -qq "$@" >/dev/null)
    echo "$dir"
}

# Unpacks packages into ROOT without installing them, and installs what
# they depend on, other than each other (and other than alternatives
# after the first).
unpack() {
    root=$1
    shift
    echo "deps: fetching $* into $root"
    update_once
    dir=$(download "$@")
    mkdir -p "$root"
    needs=""
    for deb in "$dir"/*.deb; do
        dpkg -x "$deb" "$root"
        needs="$needs $(dpkg-deb -f "$deb" Depends | tr ',' '\n' |
            sed -e 's/|.*//' -e 's/(.*)//' -e 's/:any//' -e 's/ //g')"
    done
    rm -rf "$dir"
    own=" $* "
    install=""
    for p in $needs; do
        case $own in *" $p "*) continue ;; esac
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q '^install ok installed$' || install="$install $p"
    done
    if [ -n "$install" ]; then
        echo "deps: installing$install for $*"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            $install >/dev/null
    fi
}

[ -x "$xinetd_root/usr/sbin/xinetd" ] || unpack "$xinetd_root" xinetd
[ -x "$proftpd_root/usr/sbin/proftpd" ] && [ -f "$proftpd_root/usr/lib/proftpd/mod_wrap.so" ] ||
    unpack "$proftpd_root" proftpd-core proftpd-mod-wrap

# Debian's own packages, for reinstalling them over ours.
if ! ls "$debian_debs"/libwrap0_7.6.q-32_*.deb "$debian_debs"/libwrap0-dev_7.6.q-32_*.deb \
    "$debian_debs"/tcpd_7.6.q-32_*.deb >/dev/null 2>&1; then
    echo "deps: fetching Debian's libwrap0, libwrap0-dev and tcpd 7.6.q-32 into $debian_debs"
    update_once
    dir=$(download libwrap0=7.6.q-32 libwrap0-dev=7.6.q-32 tcpd=7.6.q-32)
    mkdir -p "$debian_debs"
    mv "$dir"/*.deb "$debian_debs/"
    rm -rf "$dir"
fi
