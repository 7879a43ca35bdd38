#!/bin/sh
# run.sh [quick]: measures our libwrap.so.0 against Debian's in the same
# run, in separate processes, alternating, and writes docs/performance.md
# and docs/performance.png.  "quick" runs only the small sizes (a smoke
# test).  Needs a built tree (build/) and Debian's libwrap0.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${BUILD:-$top/build}
decide=$build/bench/bench-decide
ours=$build/libwrap
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -x "$decide" ] || { echo "build first: $decide missing" >&2; exit 1; }

if [ "${1:-}" = quick ]; then
    sizes="3 1000 10000"
else
    sizes="3 1000 10000 140000 777000"
fi
: >"$work/empty"
results=$work/results
: >"$results"

# One measurement: lib (ours|debian) mode table address n -> ns
measure() {
    lib=$1 mode=$2 table=$3 addr=$4 n=$5
    if [ "$lib" = ours ]; then
        out=$(LD_LIBRARY_PATH=$ours "$decide" "$work/empty" "$table" sshd "$addr" "$mode" "$n")
        case "$out" in *"$ours"*) ;; *) echo "not our library: $out" >&2; exit 1 ;; esac
    else
        out=$("$decide" "$work/empty" "$table" sshd "$addr" "$mode" "$n")
        case "$out" in *"$ours"*) echo "not Debian's library: $out" >&2; exit 1 ;; esac
    fi
    echo "$out" | sed 's/.* ns=\([0-9]*\) rss_growth_kb=\([-0-9]*\).*/\1 \2/'
}

# Tables are generated first and left to age: a file changed less than
# CACHE_RACY_SECONDS ago is compared by content on every use (the racy-file
# rule), which is right for a file just written but not what a daemon
# sees in steady state.
for size in $sizes; do
    "$top/bench/gentable.sh" "$size" >"$work/table.$size"
done
sleep 4

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for size in $sizes; do
    # A hit near the end: the address of an "sshd: a.b.c.d" line.
    hit=$(grep -E '^sshd: [0-9.]+$' "$work/table.$size" | tail -n 3 | head -n 1 | cut -d' ' -f2)
    [ -n "$hit" ] || hit=192.0.2.1
    case $size in
        3|1000) reps=41 dwarm=2000 ;;
        10000) reps=11 dwarm=200 ;;
        140000) reps=15 dwarm=10 ;;
        *) reps=9 dwarm=4 ;;
    esac
    for case_ in miss hit; do
        [ $case_ = miss ] && addr=192.0.2.250 || addr=$hit
        for mode in warm cold append; do
            for lib in ours debian; do : >"$work/$lib"; done
            i=0
            while [ $i -lt "$reps" ]; do
                for lib in ours debian; do
                    n=1
                    [ $mode = warm ] && { [ $lib = ours ] && n=2000 || n=$dwarm; }
                    table=$work/table.$size
                    if [ $mode = append ]; then
                        cp -p "$work/table.$size" "$work/copy"
                        table=$work/copy
                    fi
                    measure $lib $mode "$table" "$addr" $n >>"$work/$lib"
                done
                i=$((i + 1))
            done
            o=$(cut -d' ' -f1 "$work/ours" | median)
            d=$(cut -d' ' -f1 "$work/debian" | median)
            mem=$(cut -d' ' -f2 "$work/ours" | median)
            echo "$size $case_ $mode $d $o $mem" >>"$results"
            echo "$size $case_ $mode debian=${d}ns ours=${o}ns" >&2
        done
    done
    s=$(measure ours stat "$work/table.$size" 192.0.2.250 2000 | cut -d' ' -f1)
    echo "$size stat - $s $s 0" >>"$results"
done
# Instruction counts of one cold decision (callgrind counts instructions,
# so these do not depend on what else the machine is doing).
if command -v valgrind >/dev/null 2>&1; then
    for size in $sizes; do
        [ "$size" -ge 10000 ] || continue
        for lib in debian ours; do
            if [ $lib = ours ]; then libpath=$ours; else libpath=; fi
            n=$(LD_LIBRARY_PATH=$libpath valgrind --tool=callgrind \
                    --callgrind-out-file=/dev/null "$decide" "$work/empty" \
                    "$work/table.$size" sshd 192.0.2.250 cold 1 2>&1 |
                sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
            echo "$size instructions $lib $n" >>"$work/instructions"
        done
    done
    awk '$3 == "debian" { d[$1] = $4 } $3 == "ours" { o[$1] = $4 }
         END { for (s in d) print s, "instructions", "-", d[s], o[s], 0 }' \
        "$work/instructions" | sort -n >>"$results"
fi
cp "$results" "$top/bench/last-results.txt"
"$top/bench/report.sh" "$results"
