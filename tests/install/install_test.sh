#!/bin/sh
# Installs the build into a private prefix, then builds a small program
# against that copy twice (pkg-config, CMake's find_package) and runs
# both; also checks that every man page and program was installed.
# usage: install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -eu
build=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

for f in include/tcpd.h sbin/tcpd sbin/tcpdmatch sbin/tcpdchk sbin/try-from \
    sbin/safe_finger share/man/man5/hosts_access.5 \
    share/man/man5/hosts_options.5 share/man/man3/hosts_access.3 \
    share/man/man8/tcpd.8 share/man/man8/tcpdmatch.8 \
    share/man/man8/tcpdchk.8 share/man/man8/try-from.8 \
    share/man/man8/safe_finger.8; do
    [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
libdir=$(find "$prefix" -name 'libwrap.so.0' -printf '%h\n' | head -n 1)
[ -n "$libdir" ] || { echo "libwrap.so.0 not installed"; exit 1; }

printf 'ALL: 10.0.0.1\n' >"$work/allow"
printf 'ALL: ALL\n' >"$work/deny"

# pkg-config
pc=$(dirname "$(find "$prefix" -name libwrap.pc | head -n 1)")
# shellcheck disable=SC2046
cc ${CONSUMER_CFLAGS:-} -o "$work/pc-consumer" "$src/tests/install/consumer/consumer.c" \
    $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs libwrap)
out1=$(LD_LIBRARY_PATH=$libdir "$work/pc-consumer" "$work/allow" "$work/deny" sshd 10.0.0.1)
out2=$(LD_LIBRARY_PATH=$libdir "$work/pc-consumer" "$work/allow" "$work/deny" sshd 10.0.0.2)
[ "$out1 $out2" = "granted denied" ] || { echo "pkg-config build: $out1 $out2"; exit 1; }
# The program must use the installed copy, not Debian's.
LD_LIBRARY_PATH=$libdir ldd "$work/pc-consumer" | grep -q "$libdir/libwrap.so.0" ||
    { echo "pkg-config build does not use the installed library"; exit 1; }

# CMake package
cmake -S "$src/tests/install/consumer" -B "$work/cm" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="${CONSUMER_CFLAGS:-}" >/dev/null
cmake --build "$work/cm" >/dev/null
out3=$("$work/cm/consumer" "$work/allow" "$work/deny" sshd 10.0.0.1)
[ "$out3" = granted ] || { echo "find_package build: $out3"; exit 1; }
ldd "$work/cm/consumer" | grep -q "$libdir/libwrap.so.0" ||
    { echo "find_package build does not use the installed library"; exit 1; }
echo "install test passed"
