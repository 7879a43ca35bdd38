# shellcheck shell=sh
# common.sh - what the tools' shell tests share (compare_tcpd.sh,
# dropin_tools.sh, lint_cases.sh).  Each sets build and work from its
# arguments and sources this after "set -eu":
#
#   . "$(dirname "$0")/common.sh"
#
# in_private_namespace "$@"
#     The first run (the test's) needs root and runs the script again in
#     a private mount namespace (INNER=1), so that what it mounts there,
#     over /etc or /dev, never reaches the machine; the second run goes
#     on with $work made afresh.
# own_hosts TEXT
#     /etc/hosts holds TEXT (printf %b) and host names and netgroups are
#     looked up in files only, in this namespace.
# pass, fail WHAT
#     Counts a case that passed or failed; fail says "--- FAIL WHAT",
#     for the caller to follow with what it got.
# same WHAT EXPECTED GOT
#     Passes when the two files are the same; otherwise fails and shows
#     the diff.
# summary WHAT
#     Prints "WHAT: N passed, M failed"; false when a case failed.

in_private_namespace() {
    if [ "${INNER:-}" != 1 ]; then
        [ "$(id -u)" = 0 ] || { echo "needs root (mount namespace)"; exit 1; }
        export INNER=1
        exec unshare -m sh "$0" "$@"
    fi
    rm -rf "$work"
    mkdir -p "$work"
}

own_hosts() {
    printf '%b' "$1" >"$work/hosts"
    printf 'hosts: files\nnetgroup: files\n' >"$work/nsswitch.conf"
    mount --bind "$work/hosts" /etc/hosts
    mount --bind "$work/nsswitch.conf" /etc/nsswitch.conf
}

passed=0 failed=0

pass() {
    passed=$((passed + 1))
}

fail() {
    failed=$((failed + 1))
    echo "--- FAIL $1"
}

same() {
    if cmp -s "$2" "$3"; then
        pass
    else
        fail "$1"
        diff "$2" "$3" || true
    fi
}

summary() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
