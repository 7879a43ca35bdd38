#!/bin/sh
# interpose.sh PROGRAM OURS_DIR DEBIAN_LIB - runs the interposition
# program on Debian's library and on ours (LD_LIBRARY_PATH): both runs
# must pass their own checks and print the same.
set -eu
program=$1
ours=$2
debian=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi-interpose.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
env -u LD_LIBRARY_PATH ASAN_OPTIONS=detect_leaks=0 "$program" \
    > "$tmp/debian" 2> "$tmp/debian.err" || status=1
LD_LIBRARY_PATH=$ours "$program" > "$tmp/ours" 2> "$tmp/ours.err" || status=1
cat "$tmp/ours"
# Which library each run loaded (paths compared after symlinks).
loaded() {
    sed -n 's/^library //p' "$1" | head -n 1 | xargs -r readlink -f
}
[ "$(loaded "$tmp/debian.err")" = "$(readlink -f "$debian")" ] ||
    { echo "FAIL: Debian's run did not load $debian";
      cat "$tmp/debian.err"; status=1; }
[ "$(loaded "$tmp/ours.err")" = "$(readlink -f "$ours/libwrap.so.0")" ] ||
    { echo "FAIL: our run did not load $ours/libwrap.so.0";
      cat "$tmp/ours.err"; status=1; }
if ! diff -u "$tmp/debian" "$tmp/ours"; then
    echo "FAIL: ours (+) differs from Debian's (-)"
    status=1
fi
[ $status -eq 0 ] && echo "ok: the same on Debian's library and ours"
exit $status
