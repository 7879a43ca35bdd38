#!/bin/sh
# Builds and installs the project as on a machine without the tests'
# dependencies: the README's plain `cmake -S . -B build && cmake --build
# build` must work with only a compiler and CMake, leaving out the tests
# that cannot be built and saying so.
#
# usage: hidden-deps-build.sh SOURCE_DIR WORK_DIR
#
# Inside a private mount namespace (unshare -m, so the machine's own files
# and mounts are never changed) every file of libcmocka-dev and
# libwrap0-dev (dpkg -L) is covered by a bind mount of an empty file, and
# every directory that belongs to one of them alone by an empty
# directory: headers, pkg-config and CMake files, documentation.  Then:
#  1. configure only: the unit tests must be left out for want of cmocka,
#     the differential and ABI tests for want of Debian's tcpd.h, and the
#     integration tests (which need only libwrap0) kept;
#  2. the packages' libcmocka.so and libwrap.so links are covered too.  A
#     bind mount over a link covers the file it points to, so this also
#     hides the run-time libraries (libcmocka0, libwrap0), as on a machine
#     that has neither; configure, build and install into a DESTDIR: no
#     unit, differential, ABI or integration test may be registered, the
#     library, header and programs must be installed, and the tests that
#     are left (fuzz replays, install) must pass.
# Fails when a build step fails or when a hidden dependency was found
# all the same.
set -eu
src=$1 work=$2
packages="libcmocka-dev libwrap0-dev"
jobs=$(nproc 2>/dev/null || echo 2)

fail() {
    echo "hidden-deps: FAIL: $*"
    exit 1
}

if [ "${HIDDEN_DEPS_INNER:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || fail "needs root (mount namespace)"
    for p in $packages; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
            grep -q '^install ok installed$' ||
            fail "$p is not installed, so hiding it would prove nothing"
    done
    rm -rf "$work"
    mkdir -p "$work"
    export HIDDEN_DEPS_INNER=1
    exec unshare -m --propagation private sh "$0" "$src" "$work"
fi

: >"$work/empty-file"
mkdir -p "$work/empty-dir"

# True when the directory belongs to package $2 alone.
own_directory() {
    owners=$(dpkg-query -S "$1" 2>/dev/null | grep -v '^diversion ' |
        sed 's/: [^:]*$//' | tr ',' '\n' | sed 's/^ *//; s/:.*//' | sort -u)
    [ "$owners" = "$2" ]
}

# Covers the files and own directories of the packages; links too when
# $1 is "links".
hide() {
    for p in $packages; do
        dpkg -L "$p" >"$work/files-$p"
        while read -r path; do
            if [ -L "$path" ]; then
                [ "$1" = links ] && [ -f "$path" ] && [ -s "$path" ] ||
                    continue
                mount --bind "$work/empty-file" "$path"
                echo "hidden-deps: hid $path -> $(readlink -f "$path")"
            elif [ -f "$path" ]; then
                [ -s "$path" ] || continue # already covered
                mount --bind "$work/empty-file" "$path"
            elif [ -d "$path" ] && [ -n "$(ls -A "$path")" ] &&
                own_directory "$path" "$p"; then
                mount --bind "$work/empty-dir" "$path"
            fi
        done <"$work/files-$p"
    done
}

# Fails unless the configure log says that `what` was not found.
expect_missing() {
    grep -F "Tests: $1" "$2" | grep -q 'not found' ||
        fail "configuration found $1 although it was hidden (see $2)"
    grep -F "Tests: $1" "$2" | sed 's/^/hidden-deps: /'
}

# Fails if ctest lists a test whose name starts with one of the prefixes.
expect_no_tests() {
    dir=$1
    shift
    ctest --test-dir "$dir" -N >"$dir/tests.txt"
    for prefix in "$@"; do
        if grep -q "Test *#[0-9]*: $prefix/" "$dir/tests.txt"; then
            fail "$prefix/ tests are registered in $dir although their dependencies are hidden"
        fi
    done
}

hide files
[ ! -s /usr/include/cmocka.h ] && [ ! -s /usr/include/tcpd.h ] ||
    fail "the headers are still visible"

echo "hidden-deps: configure without libcmocka-dev and libwrap0-dev"
b1=$work/build-nodev
cmake -S "$src" -B "$b1" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >"$work/configure-nodev.log" 2>&1 ||
    { cat "$work/configure-nodev.log"; fail "configuration failed"; }
expect_missing "cmocka" "$work/configure-nodev.log"
expect_missing "Debian's /usr/include/tcpd.h" "$work/configure-nodev.log"
expect_no_tests "$b1" unit compat abi
grep -q "Test *#[0-9]*: integration/" "$b1/tests.txt" ||
    fail "the integration tests were left out although libwrap0 is there"

hide links
[ ! -s "$(readlink -f /usr/lib/"$(gcc -print-multiarch)"/libwrap.so)" ] ||
    fail "libwrap.so is still visible"

echo "hidden-deps: configure, build and install without them or libwrap0"
b2=$work/build
cmake -S "$src" -B "$b2" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    >"$work/configure.log" 2>&1 ||
    { cat "$work/configure.log"; fail "configuration failed"; }
expect_missing "cmocka" "$work/configure.log"
expect_missing "Debian's /usr/lib" "$work/configure.log"
expect_no_tests "$b2" unit compat abi integration
cmake --build "$b2" -j "$jobs" >"$work/build.log" 2>&1 ||
    { tail -n 60 "$work/build.log"; fail "the build failed"; }
DESTDIR=$work/dest cmake --install "$b2" >"$work/install.log" 2>&1 ||
    { cat "$work/install.log"; fail "the install failed"; }
prefix=$work/dest$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$b2/CMakeCache.txt")
for f in include/tcpd.h sbin/tcpd sbin/tcpdchk sbin/tcpdmatch sbin/try-from \
    sbin/safe_finger; do
    [ -e "$prefix/$f" ] || fail "$f was not installed"
done
for f in libwrap.so.0 libwrap.a libwrap.pc libwrapConfig.cmake; do
    [ -n "$(find "$prefix" -name "$f")" ] || fail "$f was not installed"
done
echo "hidden-deps: the tests that need none of them"
ctest --test-dir "$b2" --output-on-failure -j "$jobs" ||
    fail "a test that needs none of the hidden packages failed"
echo "hidden-deps: ok: built and installed into $work/dest with the test dependencies hidden"
