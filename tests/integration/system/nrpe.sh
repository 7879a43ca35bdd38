# nagios-nrpe-server: nrpe forks a process for each connection, which asks
# hosts_access() (daemon name "nrpe") with the connection's descriptor
# and, when refused, logs and calls refuse().  The client is the real
# check_nrpe, bound to each client address (-b), without SSL (-n, the
# server runs with -n too); an allowed client gets the output of the
# command it asked for.  Allowed, denied, spawn on both, twist (whose
# command answers check_nrpe instead of an NRPE packet; check_nrpe then
# tries again with version 2 packets) and a severity.  check_nrpe logs
# to syslog too.

scenario() {
    put_etc hosts.allow <<'EOF2'
nrpe : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
nrpe : 127.0.0.5 : twist /bin/echo twisted %d %c
nrpe : 127.0.0.6 : severity local4.notice
EOF2
    put_etc hosts.deny <<'EOF2'
nrpe : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
nrpe : 127.0.0.4
EOF2
    : >"$W/alert"
    chmod 666 "$W/alert"
    put "$W/nrpe.cfg" <<'EOF2'
log_facility=daemon
debug=0
server_address=127.0.0.1
server_port=5666
nrpe_user=nobody
nrpe_group=nogroup
allowed_hosts=127.0.0.0/8
dont_blame_nrpe=0
command_timeout=20
connection_timeout=20
command[check_hello]=/bin/echo OK - hello from nrpe
EOF2
    daemon nrpe /usr/sbin/nrpe -c "$W/nrpe.cfg" -f -n
    wait_port 5666
    expect_mapped /usr/sbin/nrpe

    local i checks=()
    for i in 2 3 4 5 6 7; do
        command_obs "check-from-127.0.0.$i" \
            /usr/lib/nagios/plugins/check_nrpe -n -H 127.0.0.1 -b "127.0.0.$i" -c check_hello -t 20 &
        checks+=($!)
    done
    for i in "${checks[@]}"; do wait "$i"; done
    collect_sorted "$W/alert" alert
}
