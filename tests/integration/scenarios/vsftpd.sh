# vsftpd with tcp_wrappers=YES: the seed's banner (a banners directory,
# /etc/banners/, holding a file named after the daemon), the seed's
# intruder alert (spawn with a backquoted `date`, then deny), a plain deny
# (vsftpd answers 421), twist (the connection's vsftpd process becomes
# echo), spawn on an allowed connection, names from the hosts file, and a
# bad option (denied, with the library's error line in syslog).

# The alert file holds the output of `date`.
NORMALISE_SED='s/^[A-Z][a-z][a-z] [A-Z][a-z][a-z]  *[0-9]\{1,2\} [0-9:]\{8\} [A-Z]\{1,5\} [0-9]\{4\} /DATE /'

scenario() {
    put_etc hosts <<'EOF'
127.0.0.1	localhost
127.0.0.2	alice.example.com alice
127.0.0.9	carol.example.com carol
EOF
    put_etc hosts.allow <<'EOF'
vsftpd : 127.0.0.8 : twist /bin/echo 421 twisted %d %c %a %r
vsftpd : 127.0.0.9 : spawn /bin/echo welcome %c %n %d >> /var/log/welcome : banners /etc/banners/
vsftpd : ALL EXCEPT 127.0.0.3 127.0.0.4 127.0.0.5 : banners /etc/banners/
EOF
    put_etc hosts.deny <<'EOF'
ALL : 127.0.0.3 : spawn /bin/echo `date` %c %d >> /var/log/intruder_alert : deny
ALL : 127.0.0.4
vsftpd : 127.0.0.5 : nosuchoption
EOF
    put /etc/banners/vsftpd <<'EOF'
220-Hello, %c (%n): this is %d, %s.
220-Connections from %a are logged.
EOF
    put "$W/vsftpd.conf" <<'EOF'
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=2121
background=NO
tcp_wrappers=YES
anonymous_enable=YES
anon_root=/run/it
local_enable=NO
secure_chroot_dir=/run/vsftpd/empty
syslog_enable=YES
EOF
    daemon vsftpd /usr/sbin/vsftpd "$W/vsftpd.conf"
    wait_port 2121
    expect_mapped /usr/sbin/vsftpd

    client_bg banner-by-name 127.0.0.2,40001 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    client_bg intruder 127.0.0.3,40002 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    client_bg denied 127.0.0.4,40003 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    client_bg bad-option 127.0.0.5,40004 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    client_bg banner-by-address 127.0.0.7,40005 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    client_bg twist 127.0.0.8,40007 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    client_bg spawn-and-banner 127.0.0.9,40008 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    wait_clients
    client intruder-again 127.0.0.3,40006 127.0.0.1 2121 '220 ' 'QUIT\r\n'
    collect /var/log/intruder_alert intruder_alert
    collect /var/log/welcome welcome
}
