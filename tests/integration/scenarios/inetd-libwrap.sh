# openbsd-inetd's own libwrap call (inetd -l: no tcpd; inetd checks each
# connection in the child it forks for it, under the server's argv[0]).
# Banners, spawn, twist, refused connections, and a severity option that
# changes the priority of inetd's own "connection from" line.

scenario() {
    put_etc hosts.allow <<'EOF'
in.lw : 127.0.0.2 : banners /run/it/banners
in.lw : 127.0.0.5 : spawn /bin/echo spawned %d %c %r >> /run/it/alert
in.lw : 127.0.0.6 : twist /bin/echo twisted %d %c %s
in.lw : 127.0.0.7 : severity local4.notice
in.lw : 127.0.0.9 : umask 9
EOF
    put_etc hosts.deny <<'EOF'
ALL : 127.0.0.3 : spawn /bin/echo intruder %c %d >> /run/it/alert
ALL : 127.0.0.4
EOF
    put "$W/banners/in.lw" <<'EOF'
Welcome %c to %d
EOF
    put "$W/bin/in.lw" <<'EOF'
#!/bin/sh
echo "hello from $0 $*"
EOF
    chmod 755 "$W/bin/in.lw"
    put "$W/inetd.conf" <<EOF
127.0.0.1:7601 stream tcp4 nowait root $W/bin/in.lw in.lw arg1
EOF
    daemon inetd /usr/sbin/inetd -i -E -l "$W/inetd.conf"
    wait_port 7601
    expect_mapped /usr/sbin/inetd

    local i
    for i in 2 3 4 5 6 7 8 9; do
        client_bg "from-127.0.0.$i" "127.0.0.$i,4760$i" 127.0.0.1 7601
    done
    wait_clients
    collect_sorted "$W/alert" alert
}
