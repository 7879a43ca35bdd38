#!/bin/bash
# run.sh - runs one integration scenario on Debian's libwrap and on ours
# and compares every observation.
#
# Usage: run.sh SCENARIO_FILE BUILD_DIR HELPERS_DIR OUT_DIR [OURS_MODE]
#
# Three runs of the scenario go side by side, each in its own namespaces
# (harness.sh): "debian" and "debian2" on Debian's libwrap0 and tcpd, and
# "ours" on BUILD_DIR's libwrap.so.0 (and tcpd, once built).  The two
# Debian runs must agree, which shows that what is compared is
# deterministic; then "ours" must agree with "debian".  With OURS_MODE
# "system", the third run is "system" instead: BUILD_DIR then holds our
# .debs, which the harness installs into the namespace's overlays, and the
# daemons load the installed library without LD_LIBRARY_PATH.
#
# Normalisation, the only difference allowed between runs:
#   - syslog lines lose their timestamps, and the pid in "ident[pid]:"
#     becomes PID;
#   - lines of one process keep their order, but the order between
#     processes (one per connection for most daemons) depends on
#     scheduling, so each process's lines form one block and the blocks
#     are sorted; the daemons' own (master) processes serve concurrent
#     clients, so their lines are sorted one by one, unless the scenario
#     sets SERIAL=1 (it runs its clients one at a time);
#   - the scenario's NORMALISE_SED (a sed script, for timestamps that a
#     rule itself writes, for example `date` in a spawn) applies to every
#     observation;
#   - with CLOSE_UNREAD=1 (a daemon that refuses by closing the connection
#     without reading what the client sent first), a client that received
#     no byte at all and whose connection the server ended, by a reset (3)
#     or a clean close (0), gets the exit status "0|3": the kernel resets a
#     socket closed with unread data and closes it cleanly otherwise, so
#     which of the two the client sees depends only on whether its request
#     had arrived when the daemon closed, which is scheduling.  A client
#     that received anything, timed out, or closed itself keeps its status.
# Client ports are fixed and the network namespace is private, so ports
# need no normalisation.
#
# Exit status 0 when all three runs completed (including the harness's
# check of which libwrap each daemon mapped) and every observation
# matched.  The last lines say how many observations were compared and
# "N of M observations as Debian's"; OUT_DIR/count holds "N M".
set -uo pipefail

[ $# -eq 4 ] || [ $# -eq 5 ] || { echo "usage: run.sh SCENARIO BUILD HELPERS OUT [MODE]" >&2; exit 2; }
scenario=$1 build=$2 helpers=$3 out=$4 ours=${5:-ours}
case $ours in ours | system) ;; *) echo "run.sh: unknown mode $ours" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$scenario" .sh)

if [ "$(id -u)" != 0 ]; then
    echo "$name: needs root (mount and network namespaces); not run" >&2
    exit 1
fi

SERIAL=0
NORMALISE_SED=
CLOSE_UNREAD=0
# shellcheck source=/dev/null
. "$scenario"

# Writes the normalised form of one run's observations into RUN/norm.
normalise() {
    local run=$1 f
    rm -rf "$run/norm"
    mkdir -p "$run/norm"
    for f in "$run/obs"/*; do
        [ -e "$f" ] || continue
        sed -e "${NORMALISE_SED:-}" "$f" >"$run/norm/$(basename "$f")"
    done
    if [ "$CLOSE_UNREAD" = 1 ]; then
        for f in "$run/obs"/client.*.rc; do
            [ -e "$f" ] || continue
            case $(cat "$f") in 0 | 3) ;; *) continue ;; esac
            [ -s "${f%.rc}.bytes" ] || echo '0|3' >"$run/norm/$(basename "$f")"
        done
    fi
    [ -e "$run/obs/syslog" ] || : >"$run/obs/syslog"
    awk -v masters="$(tr '\n' ' ' <"$run/masters" 2>/dev/null)" -v serial="$SERIAL" '
        BEGIN {
            n = split(masters, m, " ")
            for (i = 1; i <= n; i++) master[m[i]] = 1
        }
        {
            line = $0; pri = ""
            if (match(line, /^<[0-9]+>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] /)) {
                pri = substr(line, 1, index(line, ">"))
                line = substr(line, RLENGTH + 1)
            }
            pid = ""
            if (match(line, /^[^ :\[]+\[[0-9]+\]: /)) {
                lb = index(line, "[")
                pid = substr(line, lb + 1, RLENGTH - lb - 3)
                line = substr(line, 1, lb) "PID]: " substr(line, RLENGTH + 1)
            }
            text = pri line
            if (pid == "" || (pid in master && serial != 1)) {
                block[++nblocks] = text
            } else {
                if (!(pid in index_of)) index_of[pid] = ++nblocks
                k = index_of[pid]
                block[k] = (lines[k]++ > 0) ? block[k] "\036" text : text
            }
        }
        END { for (i = 1; i <= nblocks; i++) print block[i] }
    ' "$run/obs/syslog" | sed -e "${NORMALISE_SED:-}" | LC_ALL=C sort | tr '\036' '\n' >"$run/norm/syslog"
}

# Counts the observations of a normalised run: each client's bytes and
# exit status, each command's output and exit status, each daemon's exit
# status, each collected file, each syslog line.
count_observations() {
    local run=$1
    local files lines
    files=$(find "$run/norm" -type f ! -name syslog | wc -l)
    lines=$(wc -l <"$run/norm/syslog")
    echo $((files + lines))
}

# Compares two normalised runs; prints the differences, returns 1 if any.
compare() {
    local a=$1 b=$2 label=$3
    if diff -ru "$a/norm" "$b/norm" >"$out/diff.$label" 2>&1; then
        echo "$name: $label: identical"
        return 0
    fi
    echo "$name: $label: DIFFERENT"
    sed 's/^/    /' "$out/diff.$label"
    return 1
}

# Counts the observations that differ between two normalised runs; syslog
# lines count one each (the larger of missing and extra lines).
count_differences() {
    local a=$1 b=$2 f
    (cd "$a" && ls; cd "$b" && ls) | sort -u | while read -r f; do
        if [ "$f" = syslog ]; then
            diff "$a/syslog" "$b/syslog" |
                awk '/^</ { m++ } /^>/ { e++ } END { print (m > e ? m : e) + 0 }'
        elif ! cmp -s "$a/$f" "$b/$f"; then
            echo 1
        fi
    done | awk '{ s += $1 } END { print s + 0 }'
}

rm -rf "$out"
mkdir -p "$out"
status=0
runs=(debian debian2 "$ours")
pids=()
for run in "${runs[@]}"; do
    "$here/harness.sh" "$scenario" "${run%2}" "$out/$run" "$helpers" "$build" \
        >"$out/$run.log" 2>&1 &
    pids+=($!)
done
for i in "${!runs[@]}"; do
    run=${runs[$i]}
    if ! wait "${pids[$i]}"; then
        echo "$name: run $run failed:"
        sed 's/^/    /' "$out/$run.log"
        status=1
    fi
done
[ "$status" = 0 ] || exit 1

for run in "${runs[@]}"; do
    normalise "$out/$run"
    cat "$out/$run/info"
done

# Equal observations prove nothing if the scenario did not work at all
# (for example no client could connect): on Debian, every client must
# have connected and finished in time, and some must have received bytes.
sane=1
for f in "$out/debian/obs"/client.*.rc; do
    [ -e "$f" ] || continue
    case $(cat "$f") in
    1 | 2)
        echo "$name: on Debian, $(basename "$f" .rc) failed or timed out:"
        sed 's/^/    /' "$out/debian/work/$(basename "$f" .rc).err"
        sane=0
        ;;
    esac
done
if ! find "$out/debian/obs" \( -name 'client.*.bytes' -o -name 'cmd.*.out' \) -size +0 |
    grep -q .; then
    echo "$name: on Debian, no client received anything"
    sane=0
fi
[ "$sane" = 1 ] || exit 1
total=$(count_observations "$out/debian")
compare "$out/debian" "$out/debian2" "debian-vs-debian" || status=1
differing=0
if ! compare "$out/debian" "$out/$ours" "debian-vs-$ours"; then
    status=1
    differing=$(count_differences "$out/debian/norm" "$out/$ours/norm")
fi
if [ "$differing" != 0 ]; then
    # A hint for the reader, not part of the verdict.
    bad=$(($(grep -c 'bad option name' "$out/$ours/norm/syslog") -
           $(grep -c 'bad option name' "$out/debian/norm/syslog")))
    [ "$bad" -le 0 ] || echo "$name: note: ours logged $bad more \"bad option name\" errors than Debian"
fi
echo "$name: $total observations compared, $((total - differing)) same, $differing different"
echo "$name: $((total - differing)) of $total observations as Debian's"
echo "$((total - differing)) $total" >"$out/count"
exit "$status"
