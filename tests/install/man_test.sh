#!/bin/sh
# Renders every man page with man(1) and fails on any warning or error.
# usage: man_test.sh MAN_DIR
set -eu
dir=$1
n=0
for page in "$dir"/*.[0-9]; do
    out=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$page" 2>&1 >/dev/null) || {
        echo "$page: man failed"; echo "$out"; exit 1; }
    if [ -n "$out" ]; then
        echo "$page: warnings:"; echo "$out"; exit 1
    fi
    lines=$(MANWIDTH=80 man -l "$page" 2>/dev/null | wc -l)
    [ "$lines" -gt 10 ] || { echo "$page: renders to $lines lines"; exit 1; }
    n=$((n + 1))
done
[ "$n" -eq 9 ] || { echo "expected 9 man pages, found $n"; exit 1; }
echo "$n man pages render cleanly"
