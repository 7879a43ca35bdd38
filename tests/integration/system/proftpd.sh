# proftpd with mod_wrap, run from its unpacked package (proftpd-core
# conflicts with vsftpd, both being an ftp-server: scripts/deps.sh fetches
# proftpd-core and proftpd-mod-wrap with apt-get download and dpkg -x).
# proftpd forks a session process per connection, in which mod_wrap asks
# hosts_access() (service name "proftpd", TCPServiceName) with the
# connection's descriptor when the client sends its password.  Allowed,
# denied, spawn on both, twist (whose command answers the client in place
# of the FTP session) and a severity; each client logs in anonymously.
# proftpd in the foreground logs on stderr: its session lines (mod_wrap's
# verdicts among them) are collected without time and pid, sorted.

proftpd_root=/var/cache/libwrap-integration/proftpd

scenario() {
    [ -x "$proftpd_root/usr/sbin/proftpd" ] ||
        die "proftpd is not unpacked at $proftpd_root (scripts/deps.sh)"
    put_etc hosts.allow <<'EOF2'
proftpd : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
proftpd : 127.0.0.5 : twist /bin/echo 421 twisted %d %c
proftpd : 127.0.0.6 : severity local2.notice
EOF2
    put_etc hosts.deny <<'EOF2'
proftpd : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
proftpd : 127.0.0.4
EOF2
    : >"$W/alert"
    chmod 666 "$W/alert"
    put "$W/proftpd.conf" <<EOF2
ServerName "it"
ServerType standalone
DefaultServer on
Port 2122
DefaultAddress 127.0.0.1
SocketBindTight on
UseIPv6 off
UseReverseDNS off
User nobody
Group nogroup
ScoreboardFile /run/proftpd.scoreboard
PidFile /run/proftpd.pid
WtmpLog off
DelayEngine off
ModulePath $proftpd_root/usr/lib/proftpd
LoadModule mod_wrap.c
TCPAccessFiles /etc/hosts.allow /etc/hosts.deny
TCPServiceName proftpd
TCPAccessSyslogLevels info warn
<Anonymous $W/ftp>
  User nobody
  Group nogroup
  UserAlias anonymous nobody
  RequireValidShell off
  UseFtpUsers off
</Anonymous>
EOF2
    mkdir -p "$W/ftp"
    daemon proftpd "$proftpd_root/usr/sbin/proftpd" --nodaemon --config "$W/proftpd.conf"
    wait_port 2122
    expect_mapped "$proftpd_root/usr/sbin/proftpd"

    local i
    for i in 2 3 4 5 6 7; do
        client_bg "from-127.0.0.$i" "127.0.0.$i,4212$i" 127.0.0.1 2122 '220 ' 'USER anonymous\r\n' \
            '331 ' 'PASS it@example.org\r\n' '' '@shut'
    done
    wait_clients
    collect_sorted "$W/alert" alert
    # Every session's process has written its lines once none is left.
    settle
    sed -n -E 's/^[0-9-]+ [0-9:,]+ [^ ]+ proftpd\[[0-9]+\] 127\.0\.0\.1 \(/(/p' "$W/proftpd.out" >"$W/sessions"
    collect_sorted "$W/sessions" sessions
}
