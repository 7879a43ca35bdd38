# tftpd-hpa (UDP): in.tftpd in the foreground, listening; it forks a
# process for each request, which asks hosts_access() (daemon name
# "in.tftpd") before it answers.  The client, tftp-hpa's tftp, cannot
# choose its source address: a route per client address makes requests
# to it come from it (source_route), and -R fixes its port.  A refused
# request gets no answer: its client gives up after its total time-out
# (3 s), so "Transfer timed out." is what it shows; allowed clients get a
# longer one (20 s) that they never need.  Allowed, denied, spawn on both,
# twist (whose command answers the request's datagram socket), and a
# severity option.

SERIAL=1

scenario() {
    put_etc hosts.allow <<'EOF2'
in.tftpd : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
in.tftpd : 127.0.0.5 : twist /bin/echo twisted %d %c
in.tftpd : 127.0.0.6 : severity local1.notice
EOF2
    put_etc hosts.deny <<'EOF2'
in.tftpd : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
in.tftpd : 127.0.0.4
EOF2
    put "$W/tftp/hello.txt" <<'EOF2'
hello over tftp
EOF2
    chmod -R a+rX "$W/tftp"
    : >"$W/alert"
    chmod 666 "$W/alert"
    daemon tftpd /usr/sbin/in.tftpd --foreground --ipv4 --address :69 --secure \
        --user nobody --verbose "$W/tftp"
    wait_port 69
    expect_mapped /usr/sbin/in.tftpd

    local i limit
    for i in 2 3 4 5 6 7; do
        source_route "127.0.0.$i"
        case $i in 3 | 4 | 5) limit=3 ;; *) limit=20 ;; esac
        printf 'timeout %s\nget hello.txt %s\nquit\n' "$limit" "$W/got.$i" >"$W/tftp.$i.in"
        command_obs "get-from-127.0.0.$i" \
            sh -c "tftp -4 -m octet -R 469$i:469$i 127.0.0.$i 69 <'$W/tftp.$i.in'"
        collect "$W/got.$i" "got.127.0.0.$i"
    done
    collect_sorted "$W/alert" alert
}
