#!/bin/bash
# summary.sh - adds up the system-wide runs: "N of M observations as
# Debian's" over every scenario that ran.
#
# Usage: summary.sh OUT_DIR SCENARIO_NAME...
#
# Each run.sh leaves OUT_DIR/NAME/count ("N M") when its three runs
# completed.  A scenario whose directory is absent did not run in this
# ctest invocation (ctest -R) and is left out; one whose directory has no
# count failed before comparing.  Exit status 0 when every scenario that
# ran left a count and all its observations were Debian's.
set -uo pipefail

[ $# -ge 1 ] || { echo "usage: summary.sh OUT_DIR NAME..." >&2; exit 2; }
out=$1
shift
same=0 total=0 ran=0 status=0
for name in "$@"; do
    [ -d "$out/$name" ] || continue
    ran=$((ran + 1))
    if [ ! -f "$out/$name/count" ]; then
        echo "system/$name: no result (the run failed before comparing)"
        status=1
        continue
    fi
    read -r n m <"$out/$name/count"
    echo "system/$name: $n of $m observations as Debian's"
    [ "$n" = "$m" ] || status=1
    same=$((same + n)) total=$((total + m))
done
echo "system-wide, $ran of $# scenarios: $same of $total observations as Debian's"
exit "$status"
