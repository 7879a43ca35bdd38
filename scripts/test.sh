#!/bin/sh
# Runs every test: installs what the tests need (scripts/deps.sh), then
# builds and runs the whole suite twice, once plainly (then the live
# demonstration, checked) and once under AddressSanitizer and
# UndefinedBehaviorSanitizer; the thread tests under
# ThreadSanitizer; each libFuzzer harness for a minute
# (scripts/fuzz.sh runs longer); and the plain build with the tests'
# dependencies hidden (.ci/hidden-deps-build.sh).  Every test dependency
# is required here (LIBWRAP_REQUIRE_TESTS): a missing one fails loudly.
set -eu
exclude=
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

./scripts/deps.sh

# Every C file as .clang-format makes it (seconds; fails first).
./.ci/format-check.sh

configure() {
    dir=$1
    shift
    echo "=== build $dir ($*)"
    cmake -S "$top" -B "$top/$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DLIBWRAP_REQUIRE_TESTS=ON "$@" >/dev/null
}

# run_suite DIR [CMAKE-ARGS...]; $exclude, when set, is a ctest -LE regex.
run_suite() {
    dir=$1
    shift
    configure "$dir" "$@"
    cmake --build "$top/$dir" -j "$jobs" >/dev/null
    echo "=== test $dir${exclude:+ (without $exclude)}"
    ctest --test-dir "$top/$dir" --output-on-failure -j "$jobs" \
        ${exclude:+-LE "$exclude"}
}

# First the plain build on a machine without the tests' dependencies
# (cmocka and Debian's libwrap0-dev hidden in a private mount namespace):
# it takes a minute or two.
echo "=== build without cmocka and libwrap0-dev (build-nodeps)"
./.ci/hidden-deps-build.sh "$top" "$top/build-nodeps"

run_suite build
# What the system-wide runs counted (ctest keeps passing output in its log).
echo "=== system-wide runs (build)"
grep -h "observations as Debian's" "$top/build/Testing/Temporary/LastTest.log" || true
# The README's first command, the live demonstration, checked.
echo "=== demo"
./tests/demo/check-demo.sh
# The packages are built from the source with Debian's flags, not the
# sanitizers': the package and system-wide runs would only repeat the
# plain build's.
exclude='^(package|system)$'
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DLIBWRAP_SANITIZE=ON
exclude=

# ThreadSanitizer: the tests that decide or look up users from several
# threads at once.
configure build-tsan -DLIBWRAP_TSAN=ON -DLIBWRAP_BENCH=OFF
cmake --build "$top/build-tsan" -j "$jobs" \
    --target test_threads test_cache test_ident >/dev/null
echo "=== test build-tsan"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    ctest --test-dir "$top/build-tsan" --output-on-failure \
    -R '^(unit/test_(cache|ident)|robustness/test_threads)$'

# libFuzzer: every harness, from its seed corpus and regression inputs.
configure build-fuzz -DCMAKE_C_COMPILER=clang -DLIBWRAP_FUZZ=ON \
    -DLIBWRAP_BENCH=OFF
cmake --build "$top/build-fuzz" -j "$jobs" --target fuzzers >/dev/null
rm -f "$top/build-fuzz/fuzz-work/summary.txt"
echo "=== fuzz build-fuzz"
ctest --test-dir "$top/build-fuzz" --output-on-failure -j "$jobs" -L fuzz
cat "$top/build-fuzz/fuzz-work/summary.txt"

# What the robustness suites (tests/robustness, ctest names robustness/*)
# counted: ctest keeps the output of passing tests only in its log.  Each
# line is shown with the build and the test that printed it.
echo "=== robustness counts (build-asan, build-tsan)"
for dir in build-asan build-tsan; do
    awk -v dir="$dir" '/^[0-9]+\/[0-9]+ Test(ing)?: /{test = $NF}
        /^robustness:/ && test ~ /^robustness\// {print dir " " test ": " $0}' \
        "$top/$dir/Testing/Temporary/LastTest.log" || true
done
echo "=== all tests passed"
