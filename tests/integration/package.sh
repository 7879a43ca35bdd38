#!/bin/bash
# package.sh - builds the Debian packages from a clean copy of the tree and
# checks them: their contents at Debian's paths, their version against
# Debian's, and lintian.
#
# Usage: package.sh SOURCE_DIR OUT_DIR
#
# The copy (OUT_DIR/src) holds the files git tracks, plus untracked files
# that .gitignore does not exclude, so a build directory in the checkout
# never reaches it; dpkg-buildpackage -b -us -uc writes the .debs beside
# it, into OUT_DIR, and nothing next to the checkout.  Exit status 0 when
# the packages were built, hold what Debian's hold, and lintian reported
# no error and no warning (debian/README.source: none is kept).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: package.sh SOURCE_DIR OUT_DIR" >&2; exit 2; }
src=$1 out=$2
export LC_ALL=C
fail() { echo "package: $*" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    git -C "$src" ls-files -z --cached --others --exclude-standard |
        (cd "$src" && tar --null -T - -cf -) | tar -C "$out/src" -xf -
else
    (cd "$src" && tar --exclude='./build*' -cf - .) | tar -C "$out/src" -xf -
fi
echo "=== dpkg-buildpackage -b -us -uc (log: $out/build.log)"
(cd "$out/src" && DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -b -us -uc) \
    >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; fail "dpkg-buildpackage failed"; }

version=$(dpkg-parsechangelog -l "$out/src/debian/changelog" -S Version)
arch=$(dpkg-architecture -q DEB_HOST_ARCH)
multiarch=$(dpkg-architecture -q DEB_HOST_MULTIARCH)
dpkg --compare-versions "$version" gt 7.6.q-32 || fail "version $version does not replace 7.6.q-32"
echo "=== version $version, above Debian's 7.6.q-32"

# Debian's paths, each in the package Debian has it in.
check_contents() {
    local deb=$out/${1}_${version}_$arch.deb path
    shift
    [ -f "$deb" ] || fail "no $deb"
    dpkg-deb -c "$deb" | awk '{ print substr($6, 2) }' >"$out/$(basename "$deb").list"
    for path in "$@"; do
        grep -qxF "$path" "$out/$(basename "$deb").list" || fail "$(basename "$deb") lacks $path"
    done
    echo "$(basename "$deb"): $# paths checked"
}
check_contents libwrap0 "/usr/lib/$multiarch/libwrap.so.0.7.6" "/usr/lib/$multiarch/libwrap.so.0" \
    /usr/share/man/man5/hosts_access.5.gz /usr/share/man/man5/hosts_options.5.gz \
    /usr/share/man/man5/hosts.allow.5.gz /usr/share/man/man5/hosts.deny.5.gz
check_contents libwrap0-dev /usr/include/tcpd.h "/usr/lib/$multiarch/libwrap.so" \
    "/usr/lib/$multiarch/libwrap.a" /usr/share/man/man3/hosts_access.3.gz \
    /usr/share/man/man3/hosts_ctl.3.gz /usr/share/man/man3/request_init.3.gz \
    /usr/share/man/man3/request_set.3.gz
check_contents tcpd /usr/sbin/tcpd /usr/sbin/tcpdmatch /usr/sbin/tcpdchk /usr/sbin/try-from \
    /usr/sbin/safe_finger /usr/share/man/man8/tcpd.8.gz /usr/share/man/man8/tcpdmatch.8.gz \
    /usr/share/man/man8/tcpdchk.8.gz /usr/share/man/man8/try-from.8.gz \
    /usr/share/man/man8/safe_finger.8.gz
# What only ours ship: the shared store's tmpfiles.d entry and the tool
# that fills the store.
check_contents libwrap0 /usr/lib/tmpfiles.d/libwrap.conf
check_contents tcpd /usr/sbin/tcpdcompile /usr/share/man/man8/tcpdcompile.8.gz

# The tmpfiles.d entry, the postinst that dh_installtmpfiles made of it
# (it creates /run/libwrap at install time), and the symbols file.
dpkg-deb --fsys-tarfile "$out/libwrap0_${version}_$arch.deb" |
    tar -xOf - ./usr/lib/tmpfiles.d/libwrap.conf | grep -qx 'd /run/libwrap 0755 root root -' ||
    fail "libwrap.conf does not create /run/libwrap"
dpkg-deb --ctrl-tarfile "$out/libwrap0_${version}_$arch.deb" | tar -xOf - ./postinst |
    grep -q 'systemd-tmpfiles .*--create libwrap.conf' ||
    fail "libwrap0's postinst does not run systemd-tmpfiles --create libwrap.conf"
symbols=$(dpkg-deb --ctrl-tarfile "$out/libwrap0_${version}_$arch.deb" | tar -xOf - ./symbols |
    grep -c '^ [a-z_0-9]*@Base ')
[ "$symbols" = 40 ] || fail "the symbols file lists $symbols symbols, not 40"
echo "libwrap0: tmpfiles.d entry for /run/libwrap, created by postinst; symbols file with 40 symbols"

echo "=== lintian --pedantic"
lintian --pedantic "$out/libwrap_${version}_$arch.changes" >"$out/lintian.log" 2>&1 || true
cat "$out/lintian.log"
if grep -qE '^[EW]: ' "$out/lintian.log"; then
    fail "lintian reported errors or warnings"
fi
echo "package: lintian: no error, no warning"
