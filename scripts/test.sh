#!/bin/sh
# Runs every test: installs what the tests need (scripts/deps.sh), then
# builds and runs the whole suite twice, once plainly and once under
# AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

./scripts/deps.sh

run_suite() {
    dir=$1
    shift
    echo "=== build $dir ($*)"
    cmake -S "$top" -B "$top/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$top/$dir" -j "$jobs" >/dev/null
    echo "=== test $dir"
    ctest --test-dir "$top/$dir" --output-on-failure -j "$jobs"
}

run_suite build
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DLIBWRAP_SANITIZE=ON
echo "=== all tests passed"
