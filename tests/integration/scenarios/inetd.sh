# openbsd-inetd starting tcpd (ours in the "ours" run once it is built),
# which wraps a simple program: banners, twist, spawn with a backquoted
# command, setenv, umask and nice seen by the program, `severity
# local0.notice` and the seed's `in.telnetd : ALL : severity emerg` at
# their syslog priorities, allow/deny options overriding their table, an
# option error, EXCEPT and net/mask patterns, refused connections, a
# server program that cannot be executed, and IPv6 ([::1] patterns).  inetd runs with -E so that it
# passes LD_LIBRARY_PATH on to tcpd.

scenario() {
    put_etc hosts.allow <<'EOF'
in.hello : 127.0.0.2 : banners /run/it/banners
in.hello : 127.0.0.5 : severity local0.notice
in.hello : 127.0.0.6 : twist /bin/echo twisted %d %c %a %A %r %R %s %u
in.hello : 127.0.0.7 : spawn /bin/echo `echo backquoted` %c %d %r >> /var/log/spawned : setenv GREETING hello %a
in.hello : 127.0.0.8 : umask 027 : nice 5
in.hello : 127.0.0.9 : deny
in.hello : 127.0.1.0/255.255.255.0 EXCEPT 127.0.1.2 : spawn /bin/echo net %a >> /var/log/spawned
in.hello : 127.0.0.10 : umask 08
in.nosuch : ALL
in.six : [::1] : banners /run/it/banners
EOF
    put_etc hosts.deny <<'EOF'
ALL : 127.0.0.3 : spawn /bin/echo `echo intruder` %c %d >> /var/log/intruder_alert
in.telnetd : ALL : severity emerg
ALL : 127.0.0.11 : allow
ALL : 127.0.0.0/24 127.0.1.2 [::1]/128
EOF
    put "$W/banners/in.hello" <<'EOF'
Welcome %c to %d (%h).
EOF
    cp "$W/banners/in.hello" "$W/banners/in.six"
    put "$W/bin/in.hello" <<'EOF'
#!/bin/sh
echo "hello from $0 $*"
echo "GREETING=${GREETING-unset} umask=$(umask) nice=$(nice)"
EOF
    cp "$W/bin/in.hello" "$W/bin/in.telnetd"
    cp "$W/bin/in.hello" "$W/bin/in.six"
    cp "$W/bin/in.hello" "$W/bin/in.sixdeny"
    chmod 755 "$W"/bin/*
    put "$W/inetd.conf" <<EOF
127.0.0.1:7101 stream tcp4 nowait root $TCPD $W/bin/in.hello arg1
127.0.0.1:7102 stream tcp4 nowait root $TCPD $W/bin/in.telnetd
127.0.0.1:7103 stream tcp4 nowait root $TCPD $W/bin/in.nosuch
[::1]:7104 stream tcp6 nowait root $TCPD $W/bin/in.six
[::1]:7105 stream tcp6 nowait root $TCPD $W/bin/in.sixdeny
EOF
    daemon inetd /usr/sbin/inetd -i -E "$W/inetd.conf"
    local port
    for port in 7101 7102 7103 7104 7105; do wait_port "$port"; done
    expect_mapped "$TCPD"

    local i
    for i in 2 3 4 5 6 7 8 9 10 11; do
        client_bg "hello-from-127.0.0.$i" "127.0.0.$i,4100$i" 127.0.0.1 7101
    done
    for i in 1 2 3; do
        client_bg "hello-from-127.0.1.$i" "127.0.1.$i,4110$i" 127.0.0.1 7101
    done
    client_bg telnetd-from-127.0.0.2 127.0.0.2,41200 127.0.0.1 7102
    client_bg telnetd-from-127.0.0.11 127.0.0.11,41201 127.0.0.1 7102
    client_bg nosuch-from-127.0.0.2 127.0.0.2,41300 127.0.0.1 7103
    client_bg six-from-::1 ::1,41400 ::1 7104
    client_bg sixdeny-from-::1 ::1,41500 ::1 7105
    wait_clients
    collect /var/log/intruder_alert intruder_alert
    collect_sorted /var/log/spawned spawned
}
