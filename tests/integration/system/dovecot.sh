# dovecot's tcpwrap service: for each connection to a login service
# (pop3-login here, with login_access_sockets = tcpwrap), the login
# process hands the client's descriptor to a tcpwrap process, which asks
# hosts_access() under the login service's name ("pop3") and answers
# allow or deny; a refused client is disconnected by the login process.
# tcpwrap processes are reused between connections.  Allowed, denied,
# spawn on both, twist (whose command writes to the client from the
# tcpwrap process), and a severity.  Clients connect one at a time, so
# that the order of dovecot's own log lines is the order of the clients.

SERIAL=1
# dovecot's session ids, the pid that stopped it and the seconds a
# login took are not the library's.
NORMALISE_SED='s/session=<[^>]*>/session=<ID>/g; s/(by pid=[0-9]* /(by pid=PID /g; s/ in [0-9]* secs)/ in N secs)/g'

scenario() {
    put_etc hosts.allow <<'EOF2'
pop3 : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
pop3 : 127.0.0.5 : twist /bin/echo -ERR twisted %d %c
pop3 : 127.0.0.6 : severity mail.notice
EOF2
    put_etc hosts.deny <<'EOF2'
pop3 : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
pop3 : 127.0.0.4
EOF2
    : >"$W/alert"
    chmod 666 "$W/alert"
    mkdir -p /run/dovecot-it
    put "$W/dovecot.conf" <<'EOF2'
protocols = pop3
listen = 127.0.0.1
base_dir = /run/dovecot-it
state_dir = /run/dovecot-it/state
log_path = syslog
syslog_facility = mail
ssl = no
disable_plaintext_auth = no
login_access_sockets = tcpwrap
auth_mechanisms = plain
passdb {
  driver = static
  args = password=secret
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=/run/it/mail
}
mail_location = maildir:/run/it/mail
service pop3-login {
  inet_listener pop3 {
    address = 127.0.0.1
    port = 7110
  }
}
service tcpwrap {
  unix_listener login/tcpwrap {
    mode = 0600
    user = $default_login_user
  }
}
EOF2
    daemon dovecot /usr/sbin/dovecot -F -c "$W/dovecot.conf"
    keeps_children
    wait_port 7110

    local i
    for i in 2 3 4 5 6 7; do
        client "from-127.0.0.$i" "127.0.0.$i,4711$i" 127.0.0.1 7110 '' 'QUIT\r\n'
    done
    expect_mapped /usr/lib/dovecot/tcpwrap
    collect_sorted "$W/alert" alert
}
