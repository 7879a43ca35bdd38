#!/bin/sh
# tcpdchk and tcpdmatch with drop-in directories (hosts.allow.d/,
# hosts.deny.d/): the -v listing, -j, the lints and the shadowed check
# over the logical table, the entries not read and why, failing closed
# as an unprivileged user, and tcpdmatch's "matched:" naming the
# fragment.  Each case compares the whole output and the exit status.
# Debian has no drop-in directories, so there is nothing to compare with
# here; that an empty or absent directory changes nothing is checked
# against the same tables without one (and compat/tools-plain compares
# with Debian without any).  Runs in a private mount namespace with our
# /etc/hosts.
# usage: dropin_tools.sh BUILD_DIR WORK_DIR
set -eu
build=$1 work=$2
. "$(dirname "$0")/common.sh"

in_private_namespace "$@"
# The unprivileged cases read the tables as user 65534.
chmod 755 "$work"
hosts='127.0.0.1 localhost\n'
for i in 1 2 3 4 5 6 7 8 9; do
    hosts="${hosts}10.0.0.$i h$i.example.com\n"
done
own_hosts "$hosts"
env="env LD_LIBRARY_PATH=$build/libwrap"
chk="$env $build/tools/tcpdchk/tcpdchk"
match="$env $build/tools/tcpdmatch/tcpdmatch"
nobody="setpriv --reuid 65534 --regid 65534 --clear-groups"

# fresh NAME: an empty directory for a case, in $dir
fresh() {
    dir=$work/$1
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 755 "$dir"
}

# put FILE TEXT: writes a table or fragment (printf %b) in $dir
put() {
    mkdir -p "$(dirname "$dir/$1")"
    printf '%b' "$2" >"$dir/$1"
}

# check NAME STATUS COMMAND...: runs the command in $dir and compares its
# output (stdout and stderr) with $dir/expected and its exit status
check() {
    name=$1 want=$2
    shift 2
    status=0
    (cd "$dir" && "$@" >out 2>&1) || status=$?
    if [ "$status" = "$want" ] && cmp -s "$dir/expected" "$dir/out"; then
        pass
    else
        fail "$name (exit $status, expected $want)"
        diff "$dir/expected" "$dir/out" || true
    fi
}

# The logical tables: the table, then its fragments in byte order, each
# listed and checked as the table is; rules shadowed across files.
fresh listing
put hosts.allow 'sshd: 10.0.0.1\n'
put hosts.allow.d/10-admins 'sshd: 10.0.0.2\n'
put hosts.deny 'ALL: 10.0.0.0/255.255.255.0\n'
put hosts.deny.d/B-upper 'ftpd: 10.0.0.5\n'
put hosts.deny.d/a-lower 'sshd: 10.0.0.2\nsshd 10.0.0.4\n'
cat >"$dir/expected" <<'OUT'
Using network configuration file: /dev/null

>>> Rule hosts.allow line 1:
daemons:  sshd
clients:  10.0.0.1
access:   granted

>>> Rule hosts.allow.d/10-admins line 1:
daemons:  sshd
clients:  10.0.0.2
access:   granted

>>> Rule hosts.deny line 1:
daemons:  ALL
clients:  10.0.0.0/255.255.255.0
access:   denied

>>> Rule hosts.deny.d/B-upper line 1:
daemons:  ftpd
warning: hosts.deny.d/B-upper, line 1: ftpd: no such process name in /dev/null
clients:  10.0.0.5
access:   denied

>>> Rule hosts.deny.d/a-lower line 1:
daemons:  sshd
clients:  10.0.0.2
access:   denied
warning: hosts.deny.d/a-lower, line 2: missing ":" separator
warning: hosts.deny.d/B-upper, line 1: this rule can never match: hosts.deny, line 1 matches every request it does and is read first [shadowed]
warning: hosts.deny.d/a-lower, line 1: this rule can never match: hosts.allow.d/10-admins, line 1 matches every request it does and is read first [shadowed]
OUT
check listing-v 2 $chk -d -v -i /dev/null

cat >"$dir/expected" <<'OUT'
{"type":"rule","file":"hosts.allow","line":1,"daemons":["sshd"],"clients":["10.0.0.1"],"options":null}
{"type":"rule","file":"hosts.allow.d/10-admins","line":1,"daemons":["sshd"],"clients":["10.0.0.2"],"options":null}
{"type":"rule","file":"hosts.deny","line":1,"daemons":["ALL"],"clients":["10.0.0.0/255.255.255.0"],"options":null}
{"type":"rule","file":"hosts.deny.d/B-upper","line":1,"daemons":["ftpd"],"clients":["10.0.0.5"],"options":null}
{"type":"finding","level":"warning","file":"hosts.deny.d/B-upper","line":1,"check":"tcpdchk","message":"ftpd: no such process name in /dev/null"}
{"type":"rule","file":"hosts.deny.d/a-lower","line":1,"daemons":["sshd"],"clients":["10.0.0.2"],"options":null}
{"type":"finding","level":"warning","file":"hosts.deny.d/a-lower","line":2,"check":"tcpdchk","message":"missing \":\" separator"}
{"type":"finding","level":"warning","file":"hosts.deny.d/B-upper","line":1,"check":"shadowed","message":"this rule can never match: hosts.deny, line 1 matches every request it does and is read first"}
{"type":"finding","level":"warning","file":"hosts.deny.d/a-lower","line":1,"check":"shadowed","message":"this rule can never match: hosts.allow.d/10-admins, line 1 matches every request it does and is read first"}
OUT
check listing-j 2 $chk -d -j -i /dev/null

# tcpdmatch: the library's "matched:" line names the fragment and line.
cat >"$dir/expected" <<'OUT'
warning: sshd: no such process name in /dev/null
client:   address  10.0.0.2
server:   process  sshd
matched:  hosts.allow.d/10-admins line 1
access:   granted
OUT
check match-allow-fragment 0 $match -d -i /dev/null sshd 10.0.0.2
fresh match-deny
put hosts.deny 'sshd: 10.0.0.1\n'
put hosts.deny.d/fail2ban '# bans\nsshd: 10.0.0.7\n'
cat >"$dir/expected" <<'OUT'
warning: sshd: no such process name in /dev/null
client:   address  10.0.0.7
server:   process  sshd
matched:  hosts.deny.d/fail2ban line 2
access:   denied
OUT
check match-deny-fragment 0 $match -d -i /dev/null sshd 10.0.0.7

# The lints see a fragment as a table: the file and line are the
# fragment's, and a fragment's last line is its own.
fresh lints
put hosts.allow ''
put hosts.deny ''
put hosts.deny.d/x 'ALL: 2001:db8::1\nALL: 10.0.0.3 # note\nALL: 10.0.0.4'
cat >"$dir/expected" <<'OUT'
warning: hosts.deny.d/x, line 1: 2001:db8::1: bare IPv6 address; Debian's libwrap splits the rule at its colons (write [2001:db8::1]) [bare-ipv6]
warning: hosts.deny.d/x, line 2: #: '#' is a comment only in column 0; here it and the words after it are patterns [hash-comment]
warning: hosts.deny.d/x, line 2: #: host not found
warning: hosts.deny.d/x, line 2: note: host not found
warning: hosts.deny.d/x, line 3: the last line has no newline; Debian's libwrap ignores it and then denies everything hosts.allow does not grant (not portable) [no-final-newline]
OUT
check lints 2 $chk -d -i /dev/null

# Entries not read: a note for the names skipped on purpose (not a
# finding: exit 0), a finding for what is not a regular file.
fresh skipped-names
put hosts.deny ''
for f in .hidden 'f2b~' f2b.dpkg-old f2b.dpkg-new f2b.dpkg-dist f2b.rpmnew \
    f2b.rpmsave f2b.bak .f2b.swp; do
    put "hosts.deny.d/$f" 'ALL: ALL\n'
done
cat >"$dir/expected" <<'OUT'
skipped:  hosts.deny.d/.f2b.swp (hidden file)
skipped:  hosts.deny.d/.hidden (hidden file)
skipped:  hosts.deny.d/f2b.bak (backup or package manager file)
skipped:  hosts.deny.d/f2b.dpkg-dist (backup or package manager file)
skipped:  hosts.deny.d/f2b.dpkg-new (backup or package manager file)
skipped:  hosts.deny.d/f2b.dpkg-old (backup or package manager file)
skipped:  hosts.deny.d/f2b.rpmnew (backup or package manager file)
skipped:  hosts.deny.d/f2b.rpmsave (backup or package manager file)
skipped:  hosts.deny.d/f2b~ (backup or package manager file)
OUT
check skipped-names 0 $chk -d -i /dev/null
cat >"$dir/expected" <<'OUT'
{"type":"skipped","file":"hosts.deny.d/.f2b.swp","reason":"hidden file"}
{"type":"skipped","file":"hosts.deny.d/.hidden","reason":"hidden file"}
{"type":"skipped","file":"hosts.deny.d/f2b.bak","reason":"backup or package manager file"}
{"type":"skipped","file":"hosts.deny.d/f2b.dpkg-dist","reason":"backup or package manager file"}
{"type":"skipped","file":"hosts.deny.d/f2b.dpkg-new","reason":"backup or package manager file"}
{"type":"skipped","file":"hosts.deny.d/f2b.dpkg-old","reason":"backup or package manager file"}
{"type":"skipped","file":"hosts.deny.d/f2b.rpmnew","reason":"backup or package manager file"}
{"type":"skipped","file":"hosts.deny.d/f2b.rpmsave","reason":"backup or package manager file"}
{"type":"skipped","file":"hosts.deny.d/f2b~","reason":"backup or package manager file"}
OUT
check skipped-names-j 0 $chk -d -j -i /dev/null

fresh skipped-kinds
put hosts.deny ''
put target 'sshd: 10.0.0.1\n'
mkdir "$dir/hosts.deny.d" "$dir/hosts.deny.d/sub"
ln -s ../target "$dir/hosts.deny.d/link"
ln -s ../nowhere "$dir/hosts.deny.d/dangling"
mkfifo "$dir/hosts.deny.d/fifo"
put "hosts.deny.d/x$(printf '\033')y~" ''
cat >"$dir/expected" <<'OUT'
Using network configuration file: /dev/null
warning: hosts.deny.d/dangling: vanished or a dangling symlink; libwrap does not read it [dropin-skipped]
warning: hosts.deny.d/fifo: not a regular file; libwrap does not read it [dropin-skipped]
warning: hosts.deny.d/sub: not a regular file; libwrap does not read it [dropin-skipped]
skipped:  hosts.deny.d/x\ey~ (backup or package manager file)

>>> Rule hosts.deny.d/link line 1:
daemons:  sshd
clients:  10.0.0.1
access:   denied
OUT
check skipped-kinds 2 $chk -d -v -i /dev/null

# Failing closed, as user 65534: the library denies every request while
# a fragment cannot be read or the directory cannot be listed, and both
# tools say so.
fresh closed-fragment
put hosts.allow ''
put hosts.deny ''
put hosts.deny.d/10-ok 'sshd: 10.0.0.3\n'
put hosts.deny.d/20-secret 'sshd: 10.0.0.4\n'
chmod 600 "$dir/hosts.deny.d/20-secret"
cat >"$dir/expected" <<'OUT'
warning: cannot open hosts.deny.d/20-secret: Permission denied
warning: hosts.deny.d/20-secret: libwrap denies every request while it cannot read this fragment [fail-closed]
OUT
check closed-fragment-chk 2 $nobody $chk -d -i /dev/null
cat >"$dir/expected" <<'OUT'
warning: sshd: no such process name in /dev/null
client:   address  10.0.0.1
server:   process  sshd
warning: cannot open hosts.deny.d/20-secret: Permission denied
warning: access denied: hosts.deny.d/20-secret could not be evaluated
access:   denied
OUT
check closed-fragment-match 0 $nobody $match -d -i /dev/null sshd 10.0.0.1

fresh closed-directory
put hosts.allow ''
put hosts.allow.d/x 'sshd: 10.0.0.3\n'
put hosts.deny ''
chmod 700 "$dir/hosts.allow.d"
cat >"$dir/expected" <<'OUT'
warning: cannot list hosts.allow.d: Permission denied
warning: hosts.allow.d: libwrap denies every request while it cannot list this directory [fail-closed]
OUT
check closed-directory-chk 2 $nobody $chk -d -i /dev/null
cat >"$dir/expected" <<'OUT'
warning: sshd: no such process name in /dev/null
client:   address  10.0.0.3
server:   process  sshd
warning: cannot list hosts.allow.d: Permission denied
warning: access denied: hosts.allow could not be evaluated
access:   denied
OUT
check closed-directory-match 0 $nobody $match -d -i /dev/null sshd 10.0.0.3

# World-writable fragments and directories are reported as tables are.
fresh writable
put hosts.deny ''
put hosts.deny.d/open 'sshd: 10.0.0.1\n'
chmod 777 "$dir/hosts.deny.d"
chmod 666 "$dir/hosts.deny.d/open"
cat >"$dir/expected" <<'OUT'
warning: hosts.deny.d: world writable
warning: hosts.deny.d/open: world writable
OUT
check writable-chk 2 $chk -d -i /dev/null
cat >"$dir/expected" <<'OUT'
warning: sshd: no such process name in /dev/null
warning: hosts.deny.d: world writable
warning: hosts.deny.d/open: world writable
client:   address  10.0.0.1
server:   process  sshd
matched:  hosts.deny.d/open line 1
access:   denied
OUT
check writable-match 0 $match -d -i /dev/null sshd 10.0.0.1

# Empty directories, or a regular file named like one, change nothing:
# the same output as the tables alone.
for kind in none empty file; do
    fresh same-$kind
    put hosts.allow 'sshd: 10.0.0.1\nsshd: 10.0.0.1\n'
    put hosts.deny 'ALL: 2001:db8::1\nALL: ALL\n'
    case $kind in
    empty) mkdir "$dir/hosts.allow.d" "$dir/hosts.deny.d" ;;
    file) put hosts.allow.d 'ALL: ALL\n'; put hosts.deny.d 'ALL: ALL\n' ;;
    esac
    for args in "-v" "-j" "-a"; do
        (cd "$dir" && $chk -d $args -i /dev/null >"out$args" 2>&1) || true
    done
    (cd "$dir" && $match -d -i /dev/null sshd 10.0.0.2 >out-m 2>&1) || true
done
for kind in empty file; do
    for f in out-v out-j out-a out-m; do
        same "same-$kind $f" "$work/same-none/$f" "$work/same-$kind/$f"
    done
done

summary "drop-in tools"
