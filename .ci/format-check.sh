#!/bin/sh
# Fails when a tracked C file differs from what the project's own
# .clang-format makes of it, and names each such file.  Fix with:
#   git ls-files '*.c' '*.h' | xargs clang-format -i
set -eu
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || {
    echo "format-check: clang-format not installed (scripts/deps.sh installs it)" >&2
    exit 1
}
bad=0
for f in $(git ls-files '*.c' '*.h'); do
    if ! clang-format --style=file "$f" | cmp -s - "$f"; then
        echo "format-check: $f is not formatted (clang-format -i $f)" >&2
        bad=$((bad + 1))
    fi
done
if [ "$bad" -ne 0 ]; then
    echo "format-check: $bad file(s) differ from .clang-format" >&2
    exit 1
fi
echo "format-check: $(git ls-files '*.c' '*.h' | wc -l) files formatted"
