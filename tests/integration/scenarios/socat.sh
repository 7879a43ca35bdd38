# socat with its tcpwrap option.  socat checks each connection in its
# listening process (so twist fails there: the process is "resident"),
# with the library's verbose lines on (it logs "matched:" and "option:"
# at debug level).  Three listeners: the default tables under the name
# "socatsvc", socat's own allow-table/deny-table paths, and its
# tcpwrap-etc directory.  Clients run one at a time (SERIAL=1), so the
# listener's log lines keep their order.  Halfway, two tables are
# rewritten in place with the same size, and the listeners must see it.

SERIAL=1

scenario() {
    put_etc hosts <<'EOF'
127.0.0.1	localhost
127.0.0.2	alice.example.com alice
EOF
    put_etc hosts.allow <<'EOF'
socatsvc : 127.0.0.2 : spawn /bin/echo allowed %d %c %n %a %r >> /run/it/alert
socatsvc : 127.0.0.5 : banners /run/it/banners
socatsvc : 127.0.0.6 : severity local3.info : setenv SOCATVAR %a
EOF
    put_etc hosts.deny <<'EOF'
socatsvc : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
socatsvc : 127.0.0.4 : twist /bin/echo twisted %d %c
socatsvc : 127.0.0.7
socatsvc : 127.0.0.8 : bogus
EOF
    put "$W/banners/socatsvc" <<'EOF'
Banner for %c
EOF
    put "$W/socat.allow" <<'EOF'
othersvc : 127.0.0.2 127.0.0.3 : spawn /bin/echo other-table %d %a >> /run/it/alert
EOF
    put "$W/socat.deny" <<'EOF'
othersvc : ALL EXCEPT 127.0.0.4
EOF
    put "$W/etc2/hosts.allow" <<'EOF'
thirdsvc : 127.0.0.4
EOF
    put "$W/etc2/hosts.deny" <<'EOF'
ALL : ALL : spawn /bin/echo etc2-deny %d %a >> /run/it/alert
EOF
    daemon socat1 socat -ly -d TCP4-LISTEN:7001,bind=127.0.0.1,reuseaddr,fork,tcpwrap=socatsvc \
        SYSTEM:'echo hello from socatsvc'
    daemon socat2 socat -ly -d \
        "TCP4-LISTEN:7002,bind=127.0.0.1,reuseaddr,fork,tcpwrap=othersvc,allow-table=$W/socat.allow,deny-table=$W/socat.deny" \
        SYSTEM:'echo hello from othersvc'
    daemon socat3 socat -ly -d \
        "TCP4-LISTEN:7003,bind=127.0.0.1,reuseaddr,fork,tcpwrap=thirdsvc,tcpwrap-etc=$W/etc2" \
        SYSTEM:'echo hello from thirdsvc'
    wait_port 7001
    wait_port 7002
    wait_port 7003
    expect_mapped /usr/bin/socat

    local port i
    for port in 7001 7002 7003; do
        for i in 2 3 4 5 6 7 8 9; do
            client "$port-from-127.0.0.$i" "127.0.0.$i,4${port#7}$i" 127.0.0.1 "$port"
        done
    done

    # The same listeners, after their tables changed in place: same inode,
    # same size, most likely within the same timestamp tick.  Debian reads
    # the tables on every connection; a cache must notice.
    sed 's/^socatsvc : 127.0.0.7$/socatsvc : 127.0.0.9/' /etc/hosts.deny |
        dd of=/etc/hosts.deny conv=notrunc status=none
    printf 'othersvc : 127.0.0.4 127.0.0.5 : spawn /bin/echo other-table %%d %%a >> /run/it/alert\n' |
        dd of="$W/socat.allow" conv=notrunc status=none
    for i in 2 4 7 9; do
        client "7001-again-from-127.0.0.$i" "127.0.0.$i,451$i" 127.0.0.1 7001
        client "7002-again-from-127.0.0.$i" "127.0.0.$i,452$i" 127.0.0.1 7002
    done
    collect "$W/alert" alert
}
