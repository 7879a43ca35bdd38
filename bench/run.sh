#!/bin/sh
# run.sh [quick|dropin]: measures our libwrap.so.0 against Debian's in the same
# run, in separate processes, alternating, and writes docs/performance.md
# and docs/performance.png (bench/report.sh).  Needs a built tree (build/,
# or BUILD=dir) and Debian's libwrap0.
#
# As root, the whole run happens in a private mount namespace with a
# fresh tmpfs on /run, so that the machine's /run (and any /run/libwrap
# on it) is never seen or touched.  First without /run/libwrap: every
# figure is the text path.  Then /run/libwrap is made, tcpdcompile fills
# it, and the first decisions of fresh processes and whole processes are
# measured with the shared form.  Without root there is no namespace and
# only the text path is measured.
#
# "quick" is a smoke test for CI (well under a minute): small sizes and
# one table big enough for the store, few repetitions, no callgrind,
# docs/ left alone (the results go to standard output).
# It fails only on what noise cannot cause: a program that does not run,
# a verdict that differs from Debian's, an image missing from the store,
# a decision that did not map it or that read the table's text.
# "dropin" measures only the drop-in directory rows (10,000 fragments),
# at full size, and prints them; docs/ left alone.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${BUILD:-$top/build}
mode=${1:-full}
case $mode in full | quick | dropin) ;; *) echo "usage: $0 [quick|dropin]" >&2; exit 2 ;; esac

# Into the namespace: util-linux's unshare makes every mount private in
# it, so the tmpfs below is seen by this run only and goes with it.
if [ "${LIBWRAP_BENCH_NS:-}" != 1 ] && [ "$(id -u)" = 0 ] &&
    unshare -m true 2>/dev/null; then
    LIBWRAP_BENCH_NS=1 exec unshare -m sh "$0" "$@"
fi
shared=no
if [ "${LIBWRAP_BENCH_NS:-}" = 1 ]; then
    mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
    shared=yes
else
    echo "run.sh: not root (or no mount namespace): the shared form is not measured" >&2
    [ ! -d /run/libwrap ] ||
        echo "run.sh: /run/libwrap exists: the 'text' figures may use it" >&2
fi

decide=$build/bench/bench-decide
once=$build/bench/bench-once
spawn=$build/bench/bench-spawn
calls_only=$build/bench/bench-floor
compiler=$build/tools/tcpdcompile/tcpdcompile
ours=$build/libwrap
for p in "$decide" "$once" "$spawn" "$calls_only" "$compiler"; do
    [ -x "$p" ] || { echo "build first: $p missing" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tables live in a directory of their own, which nothing changes
# while they are measured: a decision stat()s the directory that holds
# the tables (for their absent .d directories, cache.h), and a directory
# changed a moment ago is racy, as /etc is only for a moment after an
# edit.  The run's own files are written beside it, in $work.
tdir=$work/tables
mkdir "$tdir"
fail() { echo "run.sh: FAIL: $*" >&2; exit 1; }

if [ "$mode" = quick ]; then
    # 20000 rules make a table of about 400 KiB: big enough for the store.
    sizes="3 20000"
elif [ "$mode" = dropin ]; then
    sizes=""
else
    sizes="3 1000 10000 140000 777000"
fi
: >"$tdir/empty"
results=$work/results
: >"$results"

# One bench-decide run: lib (ours|debian) mode table address n ->
# "ns rss_growth_kb faults shared cpu_ns verdict".
measure() {
    lib=$1 m=$2 table=$3 addr=$4 n=$5
    if [ "$lib" = ours ]; then
        out=$(LD_LIBRARY_PATH=$ours "$decide" "$tdir/empty" "$table" sshd "$addr" "$m" "$n")
        case "$out" in *"$ours"*) ;; *) fail "not our library: $out" ;; esac
    else
        out=$(env -u LD_LIBRARY_PATH "$decide" "$tdir/empty" "$table" sshd "$addr" "$m" "$n")
        case "$out" in *"$ours"*) fail "not Debian's library: $out" ;; esac
    fi
    echo "$out" | sed -n 's/.* verdict=\([-0-9]*\) ns=\([0-9]*\) cpu_ns=\([0-9]*\) rss_growth_kb=\([-0-9]*\) faults=\([-0-9]*\) shared=\([-0-9]*\).*/\2 \4 \5 \6 \3 \1/p'
}

# One whole process (bench-spawn of bench-once): lib table address ->
# the same fields as measure() ("wall_ns 0 0 0 cpu_ns exit_status").
process() {
    lib=$1 table=$2 addr=$3
    [ "$lib" = ours ] && libdir=$ours || libdir=-
    "$spawn" 1 "$libdir" "$once" "$tdir/empty" "$table" sshd "$addr" |
        sed -n 's/^status=\([-0-9]*\) ns=\([0-9]*\) cpu_ns=\([0-9]*\)$/\2 0 0 0 \3 \1/p'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Tables are generated first and left to age: a file changed less than
# three seconds ago is compared by content on every use (the racy-file
# rule), which is right for a file just written but not what a daemon
# sees in steady state, and the store never keeps its compiled form.
for size in $sizes; do
    "$top/bench/gentable.sh" "$size" >"$tdir/table.$size"
done
# A drop-in directory (ours): an empty hosts.deny and hosts.deny.d/ of
# $frags fragments of three rules each; for Debian, which has no .d,
# the same rules in one file, in the same order.
if [ "$mode" = quick ]; then frags=200; else frags=10000; fi
mkdir -p "$work/dropin/hosts.deny.d"
: >"$work/dropin/hosts.deny"
"$top/bench/gentable.sh" $((frags * 3)) 11 >"$work/dropin-one"
awk -v dir="$work/dropin/hosts.deny.d" '{
    f = sprintf("%s/%05d", dir, int((NR - 1) / 3)); print >f
    if (NR % 3 == 0) close(f)
}' "$work/dropin-one"
# The table the append runs write to, made now, so that copying over it
# later changes no directory.
: >"$tdir/copy"
sleep 4

# Repetitions (each a fresh process, ours and Debian's alternating) and
# Debian's warm decisions per process, by size.
plan() {
    if [ "$mode" = quick ]; then
        reps=3 dwarm=2
        return
    fi
    case $1 in
        3 | 1000) reps=61 dwarm=2000 ;;
        10000) reps=31 dwarm=200 ;;
        140000) reps=15 dwarm=10 ;;
        *) reps=9 dwarm=4 ;;
    esac
}
# The address of an "sshd: a.b.c.d" line near the end: a hit.
hit_address() {
    h=$(grep -E '^sshd: [0-9.]+$' "$tdir/table.$1" | tail -n 3 | head -n 1 | cut -d' ' -f2)
    echo "${h:-192.0.2.1}"
}
# A table big enough for the library to use the store (cache.h).
store_size=262144
big() { [ "$(stat -c %s "$tdir/table.$1")" -ge $store_size ]; }

# Medians of $work/ours and $work/debian into a result line; the
# verdicts (last field) must agree, run after run.
summarise() {
    size=$1 c=$2 m=$3
    vs=$(awk '{ print $NF }' "$work/ours" "$work/debian" | sort -u | tr '\n' ' ')
    case "$vs" in *" "?*) fail "$size $c $m: verdicts differ: $vs" ;; esac
    o=$(cut -d' ' -f1 "$work/ours" | median)
    d=$(cut -d' ' -f1 "$work/debian" | median)
    mem=$(cut -d' ' -f2 "$work/ours" | median)
    flt=$(cut -d' ' -f3 "$work/ours" | median)
    dc=$(cut -d' ' -f5 "$work/debian" | median)
    oc=$(cut -d' ' -f5 "$work/ours" | median)
    dflt=$(cut -d' ' -f3 "$work/debian" | median)
    echo "$size $c $m $d $o $mem $flt $dc $oc $dflt" >>"$results"
    echo "$size $c $m debian=${d}ns ours=${o}ns" >&2
}

# Phase 1, the text: no /run/libwrap, so nothing is mapped or stored.
for size in $sizes; do
    plan "$size"
    hit=$(hit_address "$size")
    : >"$work/stat.miss"
    : >"$work/stat.hit"
    for c in miss hit; do
        [ $c = miss ] && addr=192.0.2.250 || addr=$hit
        for m in warm cold append; do
            : >"$work/ours"
            : >"$work/debian"
            i=0
            while [ $i -lt "$reps" ]; do
                for lib in ours debian; do
                    n=1
                    [ $m = warm ] && { [ $lib = ours ] && n=2000 || n=$dwarm; }
                    table=$tdir/table.$size
                    if [ $m = append ]; then
                        cp -p "$tdir/table.$size" "$tdir/copy"
                        table=$tdir/copy
                    fi
                    measure $lib $m "$table" "$addr" $n >>"$work/$lib"
                done
                # The floor of a warm decision, measured beside it, so
                # that a noisy moment moves both alike.
                [ $m = warm ] && measure ours stat "$tdir/table.$size" \
                    192.0.2.250 2000 | cut -d' ' -f1 >>"$work/stat.$c"
                i=$((i + 1))
            done
            summarise "$size" $c $m
            # Warm against the floor, repetition by repetition (each
            # pair measured moments apart): the median of the ratios,
            # in thousandths.
            [ $m = warm ] && [ $c = miss ] &&
                cut -d' ' -f1 "$work/ours" | paste -d' ' - "$work/stat.$c" |
                awk '$2 > 0 { printf "%d\n", 1000 * $1 / $2 }' | median |
                    sed "s/.*/$size warmratio - & & 0 0 0 0/" >>"$results"
        done
    done
    s=$(cat "$work/stat.miss" "$work/stat.hit" | median)
    echo "$size stat - $s $s 0 0 0 0" >>"$results"
done

# Phase 1b, the drop-in directory: warm and cold decisions of ours with
# $frags fragments, Debian's on the one file, and the stat() floor of a
# warm decision: the two tables, the directory and every fragment.
[ "$(ls "$work/dropin/hosts.deny.d" | wc -l)" = "$frags" ] || fail "dropin: not $frags fragments"
if [ "$mode" = quick ]; then dreps=3 dn=5 ddn=2; else dreps=7 dn=100 ddn=10; fi
dhit=$(grep -E '^sshd: [0-9.]+$' "$work/dropin-one" | tail -n 1 | cut -d' ' -f2)
for dcase in miss hit; do
    [ $dcase = miss ] && addr=192.0.2.250 || addr=$dhit
    for dmode in warm cold; do
        : >"$work/ours"
        : >"$work/debian"
        i=0
        while [ $i -lt "$dreps" ]; do
            [ $dmode = warm ] && n=$dn || n=1
            measure ours $dmode "$work/dropin/hosts.deny" "$addr" $n >>"$work/ours"
            [ $dmode = warm ] && n=$ddn || n=1
            measure debian $dmode "$work/dropin-one" "$addr" $n >>"$work/debian"
            i=$((i + 1))
        done
        summarise "$frags" "dropin-$dcase" $dmode
    done
done
out=$(measure ours stat-dropin "$work/dropin/hosts.deny" 192.0.2.250 $((dn * 2)))
[ "$(echo "$out" | cut -d' ' -f6)" = "$frags" ] || fail "dropin: stat floor saw $(echo "$out" | cut -d' ' -f6) files"
echo "$frags dropin-stat - $(echo "$out" | cut -d' ' -f1) $(echo "$out" | cut -d' ' -f5) 0 0 0 0" >>"$results"
if [ "$mode" = dropin ]; then
    echo "run.sh dropin: ok"
    cat "$results"
    exit 0
fi

# Instruction counts of one cold decision, a miss (callgrind counts
# instructions, so these do not depend on what else the machine does).
callgrind() {
    lib=$1 table=$2
    [ "$lib" = ours ] && libpath=$ours || libpath=
    LD_LIBRARY_PATH=$libpath valgrind --tool=callgrind \
        --callgrind-out-file=/dev/null "$decide" "$tdir/empty" "$table" \
        sshd 192.0.2.250 cold 1 2>&1 |
        sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
counting=no
[ "$mode" = quick ] || ! command -v valgrind >/dev/null 2>&1 || counting=yes
if [ $counting = yes ]; then
    for size in $sizes; do
        [ "$size" -ge 10000 ] || continue
        d=$(callgrind debian "$tdir/table.$size")
        o=$(callgrind ours "$tdir/table.$size")
        echo "$size instructions cold $d $o 0 0 0 0" >>"$results"
    done
fi

# The files a cold decision of ours opens, as strace sees them, into
# $work/strace; false when strace cannot trace here.
trace_opens() {
    LD_LIBRARY_PATH=$ours strace -f -qq -e trace=openat,open -o "$work/strace" \
        "$decide" "$tdir/empty" "$tdir/table.$1" sshd 192.0.2.250 cold 1 >/dev/null 2>&1
}
# The system calls of a strace log between the two getrusage() calls
# that enclose the measured part, one name a line (the clock reads
# left out).
calls_of() {
    sed -n '/^getrusage/,/^getrusage/p' "$1" | sed 's/(.*//' |
        grep -v -e '^getrusage$' -e '^clock_gettime$'
}
tracing=no
if [ $shared = yes ] && command -v strace >/dev/null 2>&1; then
    for size in $sizes; do
        big "$size" || continue
        if trace_opens "$size"; then
            grep -q "table\\.$size\"" "$work/strace" ||
                fail "$size: strace did not see the text opened without the store"
            tracing=yes
        else
            echo "run.sh: strace cannot trace here; the open check is skipped" >&2
        fi
        break
    done
fi

if [ $shared = yes ]; then
    # Phase 2, the shared form: the store, filled by tcpdcompile as a
    # package trigger or a block-list tool would.
    mkdir -m 0755 /run/libwrap
    tables=
    for size in $sizes; do tables="$tables $tdir/table.$size"; done
    # shellcheck disable=SC2086
    "$compiler" -q $tables || fail "tcpdcompile failed"
    for size in $sizes; do
        img=
        for f in /run/libwrap/table."$size".*; do [ -f "$f" ] && img=$f; done
        [ -n "$img" ] || fail "no image of table.$size in /run/libwrap"
        echo "$size image - $(stat -c %s "$tdir/table.$size") $(stat -c %s "$img") 0 0 0 0" >>"$results"
    done
    for size in $sizes; do
        plan "$size"
        hit=$(hit_address "$size")
        table=$tdir/table.$size
        for c in miss hit; do
            [ $c = miss ] && addr=192.0.2.250 || addr=$hit
            : >"$work/ours"
            : >"$work/debian"
            : >"$work/process.ours"
            : >"$work/process.debian"
            : >"$work/calls"
            i=0
            while [ $i -lt "$reps" ]; do
                for lib in ours debian; do
                    measure $lib cold "$table" "$addr" 1 >>"$work/$lib"
                done
                # The same system calls alone (a miss, bench/floor.c).
                if [ $c = miss ] && big "$size"; then
                    "$calls_only" "$tdir/empty" "$table" |
                        sed -n 's/^ns=\([0-9]*\) cpu_ns=\([0-9]*\) .*/\1 \2/p' >>"$work/calls"
                fi
                for lib in ours debian; do
                    process $lib "$table" "$addr" >>"$work/process.$lib"
                done
                i=$((i + 1))
            done
            # A big table must have been decided from its image, every
            # time; a small one is streamed (cheaper than mapping).
            used=$(cut -d' ' -f4 "$work/ours" | sort -u | tr '\n' ' ')
            if big "$size"; then
                [ "$used" = "1 " ] || fail "$size $c: shared form not used (mapped: $used)"
            fi
            summarise "$size" $c shared
            if [ -s "$work/calls" ]; then
                echo "$size calls - $(cut -d' ' -f1 "$work/calls" | median) $(cut -d' ' -f2 "$work/calls" | median) 0 0 0 0" >>"$results"
            fi
            mv "$work/process.ours" "$work/ours"
            mv "$work/process.debian" "$work/debian"
            summarise "$size" $c process
        done
    done
    # The floor: a process that loads no library at all.
    floor=$("$spawn" 21 - /bin/true | sed -n 's/.* ns=\([0-9]*\) cpu_ns=\([0-9]*\)$/\1 \2/p')
    echo "0 floor - $floor 0 0 0 0" >>"$results"
    if [ $counting = yes ]; then
        for size in $sizes; do
            big "$size" || continue
            o=$(callgrind ours "$tdir/table.$size")
            d=$(awk -v s="$size" '$1 == s && $2 == "instructions" && $3 == "cold" { print $4 }' "$results")
            echo "$size instructions shared $d $o 0 0 0 0" >>"$results"
        done
    fi
    # The decision read no table text, it opened the store's image
    # instead (strace sees every open; the library's own check of the
    # text is a stat()).  The same trace without the store (above) saw
    # the text opened, so this is not a trace that sees nothing.
    if [ $tracing = yes ]; then
        for size in $sizes; do
            big "$size" || continue
            trace_opens "$size"
            ! grep -q "table\\.$size\"" "$work/strace" ||
                fail "$size: the decision opened the table's text: $(grep "table\\.$size\"" "$work/strace")"
            grep -q '"/run/libwrap"' "$work/strace" &&
                grep -q "\"table\\.$size\\.[0-9a-f]*\"" "$work/strace" ||
                fail "$size: the decision did not open the store's image"
        done
        # bench-floor makes the system calls of a miss: the same ones,
        # in the same order, as the decision makes them today?
        for size in $sizes; do
            big "$size" || continue
            LD_LIBRARY_PATH=$ours strace -qq -o "$work/strace" "$decide" \
                "$tdir/empty" "$tdir/table.$size" sshd 192.0.2.250 cold 1 >/dev/null
            calls_of "$work/strace" >"$work/calls.ours"
            strace -qq -o "$work/strace" "$calls_only" "$tdir/empty" \
                "$tdir/table.$size" >/dev/null
            calls_of "$work/strace" >"$work/calls.floor"
            cmp -s "$work/calls.ours" "$work/calls.floor" ||
                echo "run.sh: $size: bench-floor's system calls are not the decision's" \
                    "($(wc -l <"$work/calls.ours") / $(wc -l <"$work/calls.floor")): its row is not a floor" >&2
            echo "$size callcount - $(wc -l <"$work/calls.ours") $(wc -l <"$work/calls.floor") 0 0 0 0" >>"$results"
        done
    fi
fi

if [ "$mode" = quick ]; then
    echo "run.sh quick: ok (shared form measured: $shared)"
    cat "$results"
    exit 0
fi
cp "$results" "$top/bench/last-results.txt"
"$top/bench/report.sh" "$results"
