#!/bin/sh
# Fuzzes one harness for a while: run-fuzzer.sh <binary> <seconds>
# <tests/fuzz dir> <work dir>.  New inputs go to <work dir>/<harness>/
# (the seed corpus in the source tree is only read); a crash is saved as
# <work dir>/crash-<harness>-* for tests/fuzz/regress/<harness>/.  The
# count of executions is appended to <work dir>/summary.txt.
set -eu
bin=$1
seconds=$2
src=$3
work=$4
name=$(basename "$bin")
mkdir -p "$work/$name" "$src/regress/$name"
dict=""
[ -f "$src/$name.dict" ] && dict="-dict=$src/$name.dict"
log="$work/$name.log"
rc=0
# shellcheck disable=SC2086
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${FUZZ_MAX_LEN:-8192}" -print_final_stats=1 \
    -artifact_prefix="$work/crash-$name-" $dict \
    "$work/$name" "$src/corpus/$name" "$src/regress/$name" >"$log" 2>&1 ||
    rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
corpus=$(find "$work/$name" -type f | wc -l)
echo "$name: ${execs:-?} executions in ${seconds}s, work corpus $corpus inputs, exit $rc" |
    tee -a "$work/summary.txt"
if [ "$rc" -ne 0 ]; then
    tail -60 "$log"
    exit 1
fi
