# RFC 931 (ident) with a real identd on the namespace's loopback: tcpd
# (through openbsd-inetd) asks port 113 of the client's address, where a
# small socat-run identd answers according to the client's address.
# user@host patterns, %u and %c with a user, a reply whose user field
# has several words, an ERROR reply, a malformed reply, a server that
# never answers (with `rfc931 1`, so the wait is one second), and a
# refused client for tcpd's mappings.  No user name here needs the
# shell-safety filter: Debian writes the filtered name back into the
# request, so tcpd's later log lines show it, and this project
# deliberately does not (compat-policy D12); that difference is shown by
# the library's own tests, not by a daemon.  The identd's socat does not use
# tcpwrap; it maps the same libwrap as everything else in the run.

scenario() {
    put_etc hosts.allow <<'EOF'
in.ident : u12@127.0.0.12 : twist /bin/echo user-pattern u=%u c=%c
in.ident : KNOWN@127.0.0.13 : twist /bin/echo first-word u=%u c=%c
in.ident : 127.0.0.14 : twist /bin/echo error-reply u=%u c=%c
in.ident : 127.0.0.15 : twist /bin/echo malformed u=%u c=%c
in.ident : 127.0.0.16 : rfc931 1 : twist /bin/echo no-answer u=%u c=%c
in.ident : u99@127.0.0.17 : twist /bin/echo wrong-user u=%u
in.ident : 127.0.0.17 : spawn /bin/echo spawn-user %u %c >> /run/it/alert
EOF
    put_etc hosts.deny <<'EOF'
ALL : u18@127.0.0.18
EOF
    put "$W/bin/in.ident" <<'EOF'
#!/bin/sh
echo "in.ident ran"
EOF
    # The identd: one line in, one answer out, chosen by the address asked
    # (the client's: tcpd asks from the server's address).
    put "$W/bin/identd" <<'EOF'
#!/bin/bash
IFS= read -r request
request=${request%$'\r'}
case $SOCAT_SOCKADDR in
127.0.0.13) printf '%s : USERID : OTHER,US-ASCII :  joe smith;rm\r\n' "$request" ;;
127.0.0.14) printf '%s : ERROR : NO-USER\r\n' "$request" ;;
127.0.0.15) printf 'garbage\r\n' ;;
127.0.0.16) sleep 3 ;;
*) printf '%s : USERID : UNIX : u%s\r\n' "$request" "${SOCAT_SOCKADDR##*.}" ;;
esac
EOF
    chmod 755 "$W"/bin/*
    put "$W/inetd.conf" <<EOF
127.0.0.1:7501 stream tcp4 nowait root $TCPD $W/bin/in.ident
EOF
    daemon identd socat TCP4-LISTEN:113,reuseaddr,fork SYSTEM:"$W/bin/identd"
    daemon inetd /usr/sbin/inetd -i -E "$W/inetd.conf"
    wait_port 113
    wait_port 7501
    expect_mapped "$TCPD"

    local i
    for i in 12 13 14 15 16 17 18; do
        client_bg "from-127.0.0.$i" "127.0.0.$i,450$i" 127.0.0.1 7501
    done
    wait_clients
    collect "$W/alert" alert
}
