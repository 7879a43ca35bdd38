# xinetd, run from its unpacked package (it conflicts with openbsd-inetd;
# scripts/deps.sh fetches it with apt-get download and dpkg -x): one
# service goes through tcpd (flags = NAMEINARGS NOLIBWRAP, server = tcpd;
# `flags` must come before `server_args`, or argv[0] is empty and the
# child crashes), the other is checked by xinetd's own libwrap call (in
# a child of xinetd, under the server's basename).  Banners, spawn,
# twist, refused connections and xinetd's own log lines.  xinetd passes
# its environment, LD_LIBRARY_PATH included, on to tcpd (the maps check
# confirms it).

xinetd=/var/cache/libwrap-integration/xinetd/usr/sbin/xinetd

scenario() {
    [ -x "$xinetd" ] || die "xinetd is not unpacked at $xinetd (scripts/deps.sh)"
    put_etc hosts.allow <<'EOF'
in.viatcpd, in.xhello : 127.0.0.2 : banners /run/it/banners
in.viatcpd, in.xhello : 127.0.0.5 : spawn /bin/echo spawned %d %c %a %r >> /run/it/alert
in.viatcpd, in.xhello : 127.0.0.6 : twist /bin/echo twisted %d %c %a %s
in.viatcpd, in.xhello : 127.0.0.7 : severity local2.err
EOF
    put_etc hosts.deny <<'EOF'
ALL : 127.0.0.3 : spawn /bin/echo intruder %c %d >> /run/it/alert
ALL : 127.0.0.4
EOF
    put "$W/banners/in.viatcpd" <<'EOF'
Welcome %c to %d
EOF
    cp "$W/banners/in.viatcpd" "$W/banners/in.xhello"
    put "$W/bin/in.viatcpd" <<'EOF'
#!/bin/sh
echo "hello from $0 $*"
EOF
    cp "$W/bin/in.viatcpd" "$W/bin/in.xhello"
    chmod 755 "$W"/bin/*
    put "$W/xinetd.conf" <<EOF
defaults
{
	log_type = SYSLOG daemon info
	log_on_success = HOST
	log_on_failure = HOST
}
service viatcpd
{
	type = UNLISTED
	port = 7401
	bind = 127.0.0.1
	socket_type = stream
	protocol = tcp
	wait = no
	user = root
	flags = NAMEINARGS NOLIBWRAP
	server = $TCPD
	server_args = $W/bin/in.viatcpd arg1
}
service xhello
{
	type = UNLISTED
	port = 7402
	bind = 127.0.0.1
	socket_type = stream
	protocol = tcp
	wait = no
	user = root
	server = $W/bin/in.xhello
	server_args = arg2
}
EOF
    daemon xinetd "$xinetd" -f "$W/xinetd.conf" -dontfork -pidfile /run/xinetd.pid
    wait_port 7401
    wait_port 7402
    expect_mapped "$TCPD"
    expect_mapped "$xinetd"

    local port i
    for port in 7401 7402; do
        for i in 2 3 4 5 6 7 8; do
            client_bg "$port-from-127.0.0.$i" "127.0.0.$i,4${port#7}$i" 127.0.0.1 "$port"
        done
    done
    wait_clients
    collect_sorted "$W/alert" alert
}
