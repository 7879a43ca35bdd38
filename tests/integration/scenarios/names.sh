# Host names, with real lookups: tcpd (through openbsd-inetd) wraps a
# program; for in.names, twist shows the client what the library made of
# the name, for in.plain, plain allow/deny rules decide by name.
# Names come from a hosts file bind-mounted over /etc/hosts (KNOWN, LOCAL,
# .domain, an exact name, a wildcard, UNKNOWN, %n and %h); names whose
# reverse and forward answers disagree come from a real DNS server on the
# namespace's loopback (dnsmasq, with /etc/resolv.conf pointing at it):
# a PTR whose name resolves to another address, a PTR whose name does not
# resolve, a PTR to a CNAME (name/name mismatch) and a numeric PTR, all of
# which make the name "paranoid".  One client is refused, so that tcpd
# lives long enough (refuse() pauses 5 s) for its mappings to be checked.

scenario() {
    put_etc nsswitch.conf <<'EOF'
passwd: files
group: files
shadow: files
hosts: files dns
services: files
EOF
    put_etc resolv.conf <<'EOF'
nameserver 127.0.0.53
options timeout:2 attempts:1
EOF
    put_etc hosts <<'EOF'
127.0.0.1	localhost
127.0.0.2	trusted.example.com trusted
127.0.0.3	plainhost
127.0.0.4	other.example.org other
127.0.0.6	web.example.org
EOF
    put_etc hosts.allow <<'EOF'
in.names : 127.0.0.30 : deny
in.names : PARANOID : twist /bin/echo paranoid n=%n h=%h c=%c a=%a
in.names : honest.example.net : twist /bin/echo exact n=%n h=%h c=%c
in.names : .example.com : twist /bin/echo domain n=%n h=%h c=%c
in.names : LOCAL : twist /bin/echo local n=%n h=%h
in.names : w*.example.org : twist /bin/echo wildcard n=%n h=%h
in.names : KNOWN : twist /bin/echo known n=%n h=%h c=%c
in.names : UNKNOWN : twist /bin/echo unknown n=%n h=%h c=%c
in.plain : .example.com LOCAL honest.example.net w*.example.org
EOF
    put_etc hosts.deny <<'EOF'
ALL : ALL
EOF
    put "$W/bin/in.names" <<'EOF'
#!/bin/sh
echo "in.names ran"
EOF
    cp "$W/bin/in.names" "$W/bin/in.plain"
    chmod 755 "$W/bin/in.names" "$W/bin/in.plain"
    put "$W/inetd.conf" <<EOF
127.0.0.1:7301 stream tcp4 nowait root $TCPD $W/bin/in.names
127.0.0.1:7302 stream tcp4 nowait root $TCPD $W/bin/in.plain
EOF
    daemon dnsmasq /usr/sbin/dnsmasq --keep-in-foreground --conf-file=/dev/null \
        --no-hosts --no-resolv --user=root --pid-file= --log-facility="$W/dnsmasq.log" \
        --listen-address=127.0.0.53 --bind-interfaces --port=53 \
        --local=/in-addr.arpa/ --local=/example.net/ \
        --host-record=honest.example.net,127.0.0.21 \
        --ptr-record=20.0.0.127.in-addr.arpa,liar.example.net \
        --host-record=liar.example.net,127.0.0.99 \
        --ptr-record=22.0.0.127.in-addr.arpa,nowhere.example.net \
        --ptr-record=24.0.0.127.in-addr.arpa,alias.example.net \
        --cname=alias.example.net,real.example.net \
        --host-record=real.example.net,127.0.0.24 \
        --ptr-record=25.0.0.127.in-addr.arpa,127.0.0.25
    wait_port 53
    daemon inetd /usr/sbin/inetd -i -E "$W/inetd.conf"
    wait_port 7301
    wait_port 7302
    expect_mapped "$TCPD"

    local i
    for i in 2 3 4 5 6 20 21 22 24 25 30; do
        client_bg "names-from-127.0.0.$i" "127.0.0.$i,420$i" 127.0.0.1 7301
        client_bg "plain-from-127.0.0.$i" "127.0.0.$i,430$i" 127.0.0.1 7302
    done
    wait_clients
}
