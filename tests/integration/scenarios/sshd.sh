# sshd (Debian builds it with libwrap): allowed clients see the SSH
# banner, refused ones see nothing and are closed after refuse()'s pause;
# spawn alerts on allowed and refused connections, a rule by host name,
# twist replacing the connection's sshd process, a severity change, and
# the log lines sshd writes with the library's priorities.

scenario() {
    put_etc hosts <<'EOF'
127.0.0.1	localhost
127.0.0.2	alice.example.com alice
EOF
    put_etc hosts.allow <<'EOF'
sshd : .example.com : spawn /bin/echo welcome %d %c %n %a %r >> /run/it/alert
sshd : 127.0.0.5 : severity local1.notice
sshd : 127.0.0.6 : twist /bin/echo sshd twisted %d %c %a
EOF
    put_etc hosts.deny <<'EOF'
sshd : 127.0.0.3 : spawn /bin/echo intruder %d %c %a >> /run/it/alert
sshd : 127.0.0.7 : severity auth.crit
sshd : ALL EXCEPT 127.0.0.8
EOF
    ssh-keygen -q -t ed25519 -N '' -C it -f "$W/ssh_host_ed25519_key"
    put "$W/sshd_config" <<EOF
Port 2222
ListenAddress 127.0.0.1
HostKey $W/ssh_host_ed25519_key
PidFile /run/sshd.pid
UsePAM no
LogLevel INFO
MaxStartups 100
EOF
    daemon sshd /usr/sbin/sshd -D -f "$W/sshd_config"
    wait_port 2222
    expect_mapped /usr/sbin/sshd

    # Allowed clients close once they have the banner line.
    local i src
    for i in 2 3 4 5 6 7 8; do
        src=127.0.0.$i
        client_bg "from-$src" "$src,4000$i" 127.0.0.1 2222 'SSH-2.0-' '' '\n' '@close'
    done
    wait_clients
    collect_sorted "$W/alert" alert
}
