#!/bin/sh
# Fuzzes the libFuzzer harnesses for longer than the test suite does.
#
#   scripts/fuzz.sh [-m] [seconds per harness] [harness ...]
#
# Default: 3600 seconds for each of tests/fuzz/fuzz_*.c, as many at once
# as there are processors.  Inputs found are kept in
# build-fuzz/fuzz-work/<harness>/ between runs; -m then merges those that
# add coverage into the seed corpus tests/fuzz/corpus/<harness>/ (commit
# them).  A crash is left as build-fuzz/fuzz-work/crash-<harness>-*: copy
# it to tests/fuzz/regress/<harness>/, fix the bug, and the input runs in
# every test suite from then on.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
merge=0
if [ "${1:-}" = "-m" ]; then
    merge=1
    shift
fi
seconds=${1:-3600}
[ $# -gt 0 ] && shift
harnesses=${*:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')}
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$top" -B "$top/build-fuzz" -DCMAKE_C_COMPILER=clang \
    -DLIBWRAP_FUZZ=ON -DLIBWRAP_BENCH=OFF >/dev/null
cmake --build "$top/build-fuzz" -j "$jobs" --target fuzzers >/dev/null
work=$top/build-fuzz/fuzz-work
mkdir -p "$work"
rm -f "$work/summary.txt"

# The harnesses, at most $jobs at a time.
status=0
printf '%s\n' $harnesses |
    xargs -P "$jobs" -I{} sh tests/fuzz/run-fuzzer.sh \
        "$top/build-fuzz/tests/fuzz/{}" "$seconds" "$top/tests/fuzz" "$work" ||
    status=1

if [ "$merge" = 1 ]; then
    for h in $harnesses; do
        "$top/build-fuzz/tests/fuzz/$h" -merge=1 "$top/tests/fuzz/corpus/$h" \
            "$work/$h" >/dev/null 2>&1
        echo "$h: $(ls "$top/tests/fuzz/corpus/$h" | wc -l) seed inputs"
    done
fi
exit $status
