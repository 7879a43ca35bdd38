#!/bin/sh
# Live demonstration (first version): builds the library and decides a few
# requests against the seed's rules with hosts_ctl().  The full demo with
# tcpd on real loopback connections replaces this.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
./scripts/deps.sh
cmake -S "$top" -B "$top/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$top/build" -j "$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'vsftpd : ALL : banners /etc/banners/\n' >"$work/hosts.allow"
printf 'ALL : 206.182.68.0 : spawn /bin/echo `date` %%c %%d >> /var/log/intruder_alert\nin.telnetd : ALL : severity emerg\n' >"$work/hosts.deny"
cat >"$work/decide.c" <<'C'
#include <stdio.h>
#include <tcpd.h>
int allow_severity = 6, deny_severity = 4;
int main(int argc, char **argv)
{
    hosts_allow_table = argv[1];
    hosts_deny_table = argv[2];
    for (int i = 3; i + 1 < argc; i += 2)
        printf("%-12s from %-15s -> %s\n", argv[i], argv[i + 1],
               hosts_ctl(argv[i], "", argv[i + 1], "") ? "granted" : "denied");
    return 0;
}
C
cc -I"$top/include" -o "$work/decide" "$work/decide.c" -L"$top/build/libwrap" -lwrap
echo "hosts.allow:"; sed 's/^/  /' "$work/hosts.allow"
echo "hosts.deny:"; sed 's/^/  /' "$work/hosts.deny"
LD_LIBRARY_PATH="$top/build/libwrap" "$work/decide" "$work/hosts.allow" "$work/hosts.deny" \
    vsftpd 10.0.0.1 sshd 10.0.0.1 sshd 206.182.68.0 in.telnetd 127.0.0.1
