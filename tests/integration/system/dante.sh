# dante-server (danted), the SOCKS proxy, with libwrap.hosts_access: yes:
# every client connection is checked with hosts_access() (daemon name
# "danted") before dante's own rules, and a socks rule's `libwrap:`
# keyword runs its text as a hosts_options(5) option field.  Clients speak
# SOCKS 4 (itclient sends the CONNECT request as bytes) to a socat target
# that greets them.  Allowed, denied, spawn (from the tables and from a
# rule's libwrap keyword), twist and a severity.  dante's log lines name
# the proxy's own outgoing port, which is not fixed, and how long each
# session lasted: both are normalised.
# dante keeps a pool of child processes (negotiate, request, io), which
# pass connections between them: clients connect one at a time, so that
# each child's log lines come in the clients' order.
# A refused client is never read from: the negotiate child gets the
# connection from the mother, calls hosts_access() and closes it.  The
# client sends its SOCKS request as soon as it is connected, so whether the
# request is already queued when dante closes (the kernel then resets the
# connection, itclient's 3) or arrives just after (a clean close, 0)
# depends on how the two processes are scheduled: under load both happen,
# on Debian's library alone (127.0.0.4, the plain deny, and 127.0.0.5, the
# failed twist, were seen both ways).  CLOSE_UNREAD=1 records both as
# "0|3" for a client that received nothing; that it received nothing, no
# time-out, the syslog lines and the spawn files still tell refused from
# allowed.

SERIAL=1
CLOSE_UNREAD=1

NORMALISE_SED='s/127\.0\.0\.1\.[0-9]\{1,5\} 127\.0\.0\.1\.7851/127.0.0.1.PORT 127.0.0.1.7851/g; s/Session duration: [0-9]*s/Session duration: Ns/g'

scenario() {
    put_etc hosts.allow <<'EOF2'
danted : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
danted : 127.0.0.5 : twist /bin/echo twisted %d %c
danted : 127.0.0.6 : severity local3.notice
EOF2
    put_etc hosts.deny <<'EOF2'
danted : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
danted : 127.0.0.4
EOF2
    : >"$W/alert"
    chmod 666 "$W/alert"
    put "$W/danted.conf" <<'EOF2'
logoutput: syslog
internal: 127.0.0.1 port = 1080
external: 127.0.0.1
socksmethod: none
clientmethod: none
user.privileged: root
user.unprivileged: nobody
user.libwrap: nobody
libwrap.hosts_access: yes
client pass {
    from: 127.0.0.0/8 to: 0.0.0.0/0
    log: connect disconnect error
}
socks pass {
    from: 127.0.0.7/32 to: 127.0.0.1/32 port = 7851
    command: connect
    log: connect disconnect error
    libwrap: spawn /bin/echo rule-spawned %d %c %a >> /run/it/alert
}
socks pass {
    from: 127.0.0.0/8 to: 127.0.0.1/32 port = 7851
    command: connect
    log: connect disconnect error
}
EOF2
    daemon target socat TCP4-LISTEN:7851,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo target says hello'
    wait_port 7851
    daemon danted /usr/sbin/danted -f "$W/danted.conf" -N 1
    keeps_children
    wait_port 1080
    expect_mapped /usr/sbin/danted

    local i
    for i in 2 3 4 5 6 7 8; do
        client "from-127.0.0.$i" "127.0.0.$i,4851$i" 127.0.0.1 1080 \
            '' '\x04\x01\x1e\xab\x7f\x00\x00\x01it\x00'
    done
    collect_sorted "$W/alert" alert
}
