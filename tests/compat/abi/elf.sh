#!/bin/sh
# elf.sh OURS DEBIAN - compares the ELF interface of our libwrap.so.0 with
# Debian's: the exported dynamic symbols (name, type, binding, and the size
# of data objects; code sizes differ by nature), no symbol versions, the
# SONAME, the real file name, BIND_NOW, and no libnsl among the NEEDED
# libraries (Debian's needs it for NIS; ours does not).  Prints every
# difference and exits 1 on any.
set -eu
ours=$1
debian=$2
status=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi-elf.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "FAIL: $*"
    status=1
}

# Defined dynamic symbols other than the null one: "name type bind size"
# (size only for data objects).  A sanitizer build adds no exports: its
# runtime lives in libasan and libubsan.
exports() {
    readelf --dyn-syms -W "$1" |
        awk 'NR > 3 && $7 != "UND" && $8 != "" {
                 name = $8; sub(/@.*/, "", name)
                 size = ($4 == "OBJECT") ? $3 : "-"
                 print name, $4, $5, size }' | sort
}

exports "$ours" > "$tmp/ours"
exports "$debian" > "$tmp/debian"
if ! diff -u "$tmp/debian" "$tmp/ours" > "$tmp/diff"; then
    fail "exported symbols differ from Debian's (- Debian, + ours):"
    cat "$tmp/diff"
fi
count=$(wc -l < "$tmp/ours")
[ "$count" -eq 40 ] || fail "ours exports $count symbols, not 40"
for sym in allow_severity deny_severity; do
    grep -q "^$sym OBJECT WEAK 4\$" "$tmp/ours" ||
        fail "$sym is not a weak 4-byte object"
done

# No version definitions: the symbols are unversioned, as Debian's.
if readelf -V -W "$ours" | grep -q "Version definition section"; then
    fail "ours defines symbol versions"
fi

soname=$(readelf -d -W "$ours" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libwrap.so.0 ] || fail "SONAME is '$soname'"
real=$(basename "$(readlink -f "$ours")")
[ "$real" = libwrap.so.0.7.6 ] || fail "the library file is $real"
readelf -d -W "$ours" | grep -q 'FLAGS.*BIND_NOW' ||
    fail "ours is not linked with BIND_NOW"
if readelf -d -W "$ours" | grep NEEDED | grep -q libnsl; then
    fail "ours needs libnsl"
fi

if [ $status -eq 0 ]; then
    echo "ok: $count exported symbols as Debian's (types, bindings, data" \
         "sizes), unversioned, SONAME $soname, file $real, BIND_NOW," \
         "no libnsl"
fi
exit $status
