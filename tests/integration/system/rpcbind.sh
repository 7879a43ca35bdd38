# rpcbind, long-lived: it asks hosts_access() (daemon name "rpcbind") in
# its one process for each portmapper request, and with -l logs every
# decision.  rpcinfo cannot choose its source address, so each client
# address gets a route that makes connections to it leave from it
# (source_route), and `rpcinfo -p ADDR` (the TCP dump of the registered
# programs) then comes from ADDR.  Allowed, allowed with spawn, denied,
# denied with spawn, and twist (which a resident process cannot carry
# out), over TCP (-p) and UDP (-u, the NULL procedure).

SERIAL=1

scenario() {
    put_etc hosts.allow <<'EOF2'
rpcbind : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
rpcbind : 127.0.0.5 : twist /bin/echo twisted %d %c
rpcbind : 127.0.0.6 : severity local7.info
EOF2
    put_etc hosts.deny <<'EOF2'
rpcbind : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
rpcbind : 127.0.0.4 127.0.0.6
EOF2
    # rpcbind runs as _rpc: its state directory and the spawned commands'
    # alert file must be writable by it.
    mkdir -p /run/rpcbind
    chown _rpc /run/rpcbind
    : >"$W/alert"
    chmod 666 "$W/alert"
    daemon rpcbind /usr/sbin/rpcbind -f -l
    wait_port 111
    expect_mapped /usr/sbin/rpcbind

    local i
    for i in 2 3 4 5 6 7; do
        source_route "127.0.0.$i"
        command_obs "dump-from-127.0.0.$i" timeout 20 rpcinfo -p "127.0.0.$i"
        command_obs "udp-null-from-127.0.0.$i" timeout 20 rpcinfo -u "127.0.0.$i" portmapper 2
    done
    collect_sorted "$W/alert" alert
}
