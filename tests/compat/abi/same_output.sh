#!/bin/sh
# same_output.sh PROGRAM... - runs each program and requires every output
# to equal the first one's (abi/layout and abi/signatures: the same source
# compiled against Debian's tcpd.h and ours).  Prints the reference
# output, then any difference.
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi-same.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
"$1" > "$tmp/reference"
cat "$tmp/reference"
reference=$1
shift
for program in "$@"; do
    "$program" > "$tmp/other"
    if ! diff -u "$tmp/reference" "$tmp/other"; then
        echo "FAIL: $program differs from $reference"
        status=1
    fi
done
[ $status -eq 0 ] && echo "ok: $# more builds print the same"
exit $status
