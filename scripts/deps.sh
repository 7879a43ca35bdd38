#!/bin/sh
# Installs, with apt-get, whatever the build and the tests need and the
# machine lacks.  Debian's own libwrap0, libwrap0-dev and tcpd are test
# oracles; the daemons are clients for the integration tests; socat is
# the demo's client, man-db renders the man pages in a test, tcpd is
# tested under openbsd-inetd (and xinetd, whose package conflicts with
# it: tests/compat/tools/compare_tcpd.sh unpacks its binary instead).
set -eu

packages="cmake make gcc g++ pkg-config libcmocka-dev libwrap0 libwrap0-dev
tcpd socat man-db groff-base util-linux openbsd-inetd"

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
        grep -q '^install ok installed$' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
