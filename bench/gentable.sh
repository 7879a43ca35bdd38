#!/bin/sh
# gentable.sh N [seed]: a block list of N rules on stdout, deterministic
# for a seed.  Mostly "sshd: a.b.c.d"; some "ALL:" lines, CIDR networks,
# IPv6 addresses and prefixes, and domain rules, like the lists that
# DenyHosts, fail2ban and sshguard write, and published block lists.
n=$1
seed=${2:-7}
awk -v n="$n" -v seed="$seed" 'BEGIN {
    srand(seed)
    for (i = 0; i < n; i++) {
        r = rand()
        a = int(rand() * 222) + 1; b = int(rand() * 256)
        c = int(rand() * 256); d = int(rand() * 256)
        if (a == 127 || a == 10) a = 11
        if (r < 0.86)
            printf "sshd: %d.%d.%d.%d\n", a, b, c, d
        else if (r < 0.90)
            printf "ALL: %d.%d.%d.%d\n", a, b, c, d
        else if (r < 0.93)
            printf "ALL: %d.%d.%d.0/24\n", a, b, c
        else if (r < 0.95)
            printf "sshd: [2001:db8:%x::%x]\n", int(rand() * 65535), int(rand() * 65535)
        else if (r < 0.96)
            printf "sshd: [2001:db8:%x::]/48\n", int(rand() * 65535)
        else
            printf "sshd: .spam%d.example.com\n", i
    }
}'
