# Perl's Authen::Libwrap (libauthen-libwrap-perl) calling hosts_ctl() from
# a script: with a client name, address and user given as strings, with
# STRING_UNKNOWN, and with an accepted socket (the module reads the peer's
# address), for allowed, denied, spawn and twist rules.  hosts_ctl() has
# no connection to hand a twisted command, so twist ends the script (as
# Debian's library does: the failed twist's exit); it comes last.  The
# script is short-lived: it waits on a fifo until the harness has seen it
# with libwrap mapped.

scenario() {
    put_etc hosts.allow <<'EOF2'
perlsvc : 127.0.0.2 : spawn /bin/echo spawned %d %c %a %u >> /run/it/alert
perlsvc : alice@127.0.0.5
perlsvc : 127.0.0.6 : severity local5.warning
perlsvc : 127.0.0.9 : twist /bin/echo twisted %d %c
EOF2
    put_etc hosts.deny <<'EOF2'
perlsvc : 127.0.0.3 : spawn /bin/echo refused %d %c %a >> /run/it/alert
perlsvc : ALL EXCEPT 127.0.0.7
EOF2
    put "$W/bin/ctl.pl" <<'EOF2'
#!/usr/bin/perl
# Asks hosts_ctl() about string requests and accepted connections.
use strict;
use warnings;
use IO::Socket::INET;
use Authen::Libwrap qw(hosts_ctl STRING_UNKNOWN);

$| = 1;
my ($hold, $connections) = @ARGV;
# Held until the harness has seen this process with libwrap mapped.
open(my $h, '<', $hold) or die "hold: $!";
close $h;
for my $case (['perlsvc', 'host2', '127.0.0.2', 'bob'],
              ['perlsvc', STRING_UNKNOWN, '127.0.0.3', STRING_UNKNOWN],
              ['perlsvc', 'host4', '127.0.0.4'],
              ['perlsvc', 'host5', '127.0.0.5', 'alice'],
              ['perlsvc', 'host5', '127.0.0.5', 'mallory'],
              ['perlsvc', 'host6', '127.0.0.6', 'carol'],
              ['perlsvc', 'host7', '127.0.0.7']) {
    my $rc = hosts_ctl(@$case);
    print join(' ', map { defined ? $_ : 'undef' } @$case), ': ',
        ($rc ? 'granted' : 'refused'), "\n";
}
my $listener = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 7901,
                                     Listen => 16, ReuseAddr => 1) or die "listen: $!";
print "listening\n";
for (1 .. $connections) {
    my $client = $listener->accept() or die "accept: $!";
    my $rc = hosts_ctl('perlsvc', $client);
    print $client ($rc ? "granted\n" : "refused\n");
    print 'socket from ', $client->peerhost, ': ', ($rc ? 'granted' : 'refused'), "\n";
    close $client;
}
my $rc = hosts_ctl('perlsvc', 'host9', '127.0.0.9', 'dave');
print 'after twist: ', (defined $rc ? $rc : 'undef'), "\n";
EOF2
    chmod 755 "$W/bin/ctl.pl"
    mkfifo "$W/hold"
    daemon perl /usr/bin/perl "$W/bin/ctl.pl" "$W/hold" 4
    wait_mapped /usr/bin/perl
    timeout 10 sh -c ": >'$W/hold'"
    wait_port 7901
    local i
    for i in 2 3 4 7; do
        client "socket-from-127.0.0.$i" "127.0.0.$i,4790$i" 127.0.0.1 7901
    done
    wait_daemon perl
    collect "$W/perl.out" perl-output
    collect_sorted "$W/alert" alert
}
