# stunnel4: libwrap checks run in stunnel's pool of helper processes
# (libwrap_processes), which receive each accepted connection's descriptor
# from the threaded main process and ask hosts_access() under the
# service's name.  Two services: "plain-in" accepts plain TCP and relays
# it over TLS (client = yes) to "tls-in", which runs a program per
# connection (exec) that greets the client.  Allowed, denied, spawn on
# both, twist (in a helper, whose command writes to the client) and a
# severity for plain-in, after 200 concurrent connections, none of which
# may be lost: one observation says how many were answered.  The helpers
# live as long as stunnel, so settle does not wait for them.  stunnel
# numbers connections in the order it accepts them, and the relay's own
# port is not fixed: both are normalised in its log lines.

NORMALISE_SED='s/LOG\([0-7]\)\[[0-9]*\]/LOG\1[N]/g; s/from 127\.0\.0\.1:[0-9]*/from 127.0.0.1:PORT/g'


scenario() {
    put_etc hosts.allow <<'EOF2'
plain-in : 127.0.0.2 : spawn /bin/echo spawned %d %c %a >> /run/it/alert
plain-in : 127.0.0.5 : twist /bin/echo twisted %d %c
plain-in : 127.0.0.6 : severity local5.notice
tls-in : 127.0.0.1
EOF2
    put_etc hosts.deny <<'EOF2'
plain-in : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
plain-in : 127.0.0.4
tls-in : ALL
EOF2
    : >"$W/alert"
    chmod 666 "$W/alert"
    put "$W/bin/hello" <<'EOF2'
#!/bin/sh
echo "hello through stunnel"
EOF2
    chmod 755 "$W/bin/hello"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=it \
        -days 2 -keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
    put "$W/stunnel.conf" <<EOF2
foreground = yes
pid =
syslog = yes
debug = daemon.warning
libwrap = yes
[plain-in]
client = yes
accept = 127.0.0.1:7701
connect = 127.0.0.1:7702
[tls-in]
accept = 127.0.0.1:7702
cert = $W/cert.pem
key = $W/key.pem
exec = $W/bin/hello
EOF2
    daemon stunnel /usr/bin/stunnel4 "$W/stunnel.conf"
    keeps_children
    wait_port 7701
    wait_port 7702
    expect_mapped /usr/bin/stunnel4

    # The burst first: 200 clients at once, each must get the greeting.
    local i burst=() answered=0
    mkdir -p "$W/burst"
    for ((i = 0; i < 200; i++)); do
        "$HELPERS/itclient" -t 60 "127.0.0.20,$((45000 + i))" 127.0.0.1 7701 \
            >"$W/burst/$i.out" 2>"$W/burst/$i.err" &
        burst+=($!)
    done
    for i in "${!burst[@]}"; do
        if wait "${burst[$i]}" && [ "$(cat "$W/burst/$i.out")" = "hello through stunnel" ]; then
            answered=$((answered + 1))
        fi
    done
    echo "$answered of 200 concurrent connections answered" >"$W/burst.summary"

    for i in 2 3 4 6 7; do
        client_bg "from-127.0.0.$i" "127.0.0.$i,4770$i" 127.0.0.1 7701
    done
    wait_clients
    # Last and alone: every helper has decided before, so the library
    # counts it as resident and refuses the twist with an error.  (A fresh
    # helper runs the command and is replaced by it, and stunnel then
    # refuses what it sends that helper next: not something to run before
    # the burst.)
    client from-127.0.0.5 127.0.0.5,47705 127.0.0.1 7701
    collect "$W/burst.summary" burst
    collect_sorted "$W/alert" alert
}
