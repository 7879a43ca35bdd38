# sslh, the protocol demultiplexer, in its single-process build
# (sslh-select): after probing what a client speaks, it asks hosts_ctl()
# with the protocol's libwrap service name, then connects the client to
# that protocol's backend (socat, one program per protocol).  Two
# protocols, ssh and a regex one, with allowed, denied, spawn and twist
# rules (hosts_ctl() has no connection to give a twisted command, so the
# twist fails and is logged).  sslh logs its verdicts on stderr (in the
# foreground), which is collected, sorted, without the backend
# connections' own ports.  Clients connect one at a time: sslh-select
# 1.20 mixes up concurrent connections (select on closed descriptors),
# whatever the library.  Not the forking build (/usr/sbin/sslh): its
# process for a refused connection goes back to accepting connections
# and never ends, with Debian's library as with ours, so no run could
# settle.

SERIAL=1

scenario() {
    put_etc hosts.allow <<'EOF2'
sslhssh : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
sslhssh, sslhhello : 127.0.0.5
sslhhello : 127.0.0.6 : twist /bin/echo twisted %d %c
sslhhello : 127.0.0.7 : severity local6.notice
EOF2
    put_etc hosts.deny <<'EOF2'
sslhssh : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
ALL : ALL
EOF2
    put "$W/sslh.cfg" <<'EOF2'
verbose: 1;
foreground: true;
inetd: false;
numeric: true;
transparent: false;
timeout: 5;
listen: ( { host: "127.0.0.1"; port: "7811"; } );
protocols:
(
    { name: "ssh"; service: "sslhssh"; host: "127.0.0.1"; port: "7812"; },
    { name: "regex"; service: "sslhhello"; host: "127.0.0.1"; port: "7813";
      regex_patterns: [ "^HELLO" ]; }
);
EOF2
    daemon backend-ssh socat TCP4-LISTEN:7812,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo ssh backend'
    daemon backend-hello socat TCP4-LISTEN:7813,bind=127.0.0.1,reuseaddr,fork SYSTEM:'echo hello backend'
    wait_port 7812
    wait_port 7813
    daemon sslh /usr/sbin/sslh-select -F"$W/sslh.cfg"
    wait_port 7811
    expect_mapped /usr/sbin/sslh-select

    local i
    for i in 2 3 4 5; do
        client "ssh-from-127.0.0.$i" "127.0.0.$i,4781$i" 127.0.0.1 7811 '' 'SSH-2.0-it\r\n'
    done
    for i in 3 5 6 7; do
        client "hello-from-127.0.0.$i" "127.0.0.$i,4782$i" 127.0.0.1 7811 '' 'HELLO there\r\n'
    done
    collect_sorted "$W/alert" alert
    # Every connection's process has written its line once none is left.
    settle
    grep -o -E 'connection from unknown\([0-9.]+\): access denied|[a-z]+:connection from [0-9.:]+ to [0-9.:]+' \
        "$W/sslh.out" >"$W/verdicts" || true
    collect_sorted "$W/verdicts" verdicts
}
