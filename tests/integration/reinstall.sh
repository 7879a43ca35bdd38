#!/bin/bash
# reinstall.sh - shows, in an isolated root, that our packages replace
# Debian's files and that reinstalling Debian's packages puts every one of
# them back.
#
# Usage: reinstall.sh DEBS_DIR DEBIAN_DEBS_DIR
#   DEBS_DIR: our libwrap0, libwrap0-dev and tcpd .debs (package.sh);
#   DEBIAN_DEBS_DIR: Debian's 7.6.q-32 .debs, which scripts/deps.sh
#   fetched with apt-get download.
#
# In a new mount and network namespace, /usr, /etc and /var are overlays
# on a tmpfs, so nothing of the machine changes.  There, dpkg -i installs
# ours over Debian's; then `apt-get install --reinstall --allow-downgrades
# libwrap0=7.6.q-32 libwrap0-dev=7.6.q-32 tcpd=7.6.q-32`, with Debian's
# .debs in apt's cache and no network, must leave exactly Debian's
# files: each one's checksum as Debian's package lists it, the same file
# list, the same symbolic links, and none of the files only ours ship.
set -euo pipefail

if [ "${1:-}" != --inside ]; then
    [ $# -eq 2 ] || { echo "usage: reinstall.sh DEBS_DIR DEBIAN_DEBS_DIR" >&2; exit 2; }
    [ "$(id -u)" = 0 ] || { echo "reinstall: needs root (mount namespace)" >&2; exit 1; }
    exec unshare --mount --net --propagation private -- bash "$0" --inside "$@"
fi
shift
ours=$(cd "$1" && pwd) theirs=$(cd "$2" && pwd)
export LC_ALL=C DEBIAN_FRONTEND=noninteractive
fail() { echo "reinstall: $*" >&2; exit 1; }
packages="libwrap0 libwrap0-dev tcpd"
debian_version=7.6.q-32

for p in $packages; do
    [ "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null)" = "$debian_version" ] ||
        fail "the machine does not have Debian's $p $debian_version installed (scripts/deps.sh)"
    ls "$theirs/${p}_${debian_version}_"*.deb >/dev/null 2>&1 ||
        fail "no Debian $p .deb in $theirs (scripts/deps.sh)"
done

mount -t tmpfs -o mode=755 lwt-reinstall /run
for dir in usr etc var; do
    mkdir "/run/$dir" "/run/$dir.work"
    mount -t overlay "lwt-$dir" -o "lowerdir=/$dir,upperdir=/run/$dir,workdir=/run/$dir.work" "/$dir"
done

# What Debian's packages installed: file list, checksums, link targets.
snapshot() {
    local p
    for p in $packages; do
        dpkg-query -L "$p" | LC_ALL=C sort
    done >"/run/$1.files"
    while read -r f; do
        if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; fi
    done <"/run/$1.files" >"/run/$1.links"
}
snapshot before
cat /var/lib/dpkg/info/libwrap0:*.md5sums /var/lib/dpkg/info/libwrap0-dev:*.md5sums \
    /var/lib/dpkg/info/tcpd.md5sums >/run/debian.md5sums

echo "=== dpkg -i our packages"
dpkg -i "$ours"/libwrap0_*.deb "$ours"/libwrap0-dev_*.deb "$ours"/tcpd_*.deb >/run/dpkg.log 2>&1 ||
    { cat /run/dpkg.log; fail "dpkg -i failed"; }
our_version=$(dpkg-deb -f "$(ls "$ours"/libwrap0_*.deb)" Version)
for p in $packages; do
    [ "$(dpkg-query -W -f='${Version}' "$p")" = "$our_version" ] || fail "$p is not $our_version"
done
changed=$(cd / && md5sum --quiet -c /run/debian.md5sums 2>/dev/null | grep -c ': FAILED' || true)
[ "$changed" -gt 0 ] || fail "our packages changed none of Debian's files"
for f in /usr/lib/tmpfiles.d/libwrap.conf /usr/sbin/tcpd /usr/sbin/tcpdcompile /usr/include/tcpd.h; do
    [ -e "$f" ] || fail "$f missing after installing ours"
done
# libwrap0's postinst (dh_installtmpfiles) made the shared store's
# directory from the tmpfiles.d entry, in this namespace's /run.
[ "$(stat -c '%F %a %U %G' /run/libwrap 2>/dev/null)" = "directory 755 root root" ] ||
    fail "/run/libwrap was not created (0755 root root) by libwrap0's postinst"
echo "our $our_version installed: $changed of Debian's files replaced, /run/libwrap created"

echo "=== apt-get install --reinstall --allow-downgrades, Debian's $debian_version"
cp "$theirs"/*.deb /var/cache/apt/archives/
apt-get install -y -q --reinstall --allow-downgrades --no-download \
    libwrap0="$debian_version" libwrap0-dev="$debian_version" tcpd="$debian_version" \
    >/run/apt.log 2>&1 || { cat /run/apt.log; fail "apt-get install failed"; }
for p in $packages; do
    [ "$(dpkg-query -W -f='${Version}' "$p")" = "$debian_version" ] || fail "$p is not $debian_version again"
done
(cd / && md5sum --quiet -c /run/debian.md5sums) || fail "files differ from Debian's checksums"
snapshot after
diff -u /run/before.files /run/after.files || fail "the file lists differ"
diff -u /run/before.links /run/after.links || fail "the symbolic links differ"
multiarch=$(dpkg-architecture -q DEB_HOST_MULTIARCH)
for f in /usr/lib/tmpfiles.d/libwrap.conf "/usr/lib/$multiarch/pkgconfig/libwrap.pc" \
    "/usr/lib/$multiarch/cmake/libwrap" /usr/sbin/tcpdcompile /usr/share/man/man8/tcpdcompile.8.gz; do
    [ ! -e "$f" ] || fail "$f, which only ours ship, is still there"
done
echo "reinstall: Debian's $(wc -l </run/debian.md5sums) files and $(wc -l </run/after.links) links are back, ours are gone"
