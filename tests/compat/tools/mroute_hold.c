/*
 * mroute_hold.c - acts as a multicast routing daemon, for netconf tests.
 *
 * usage: mroute_hold
 *
 * net.ipv4.conf.all.mc_forwarding and its IPv6 twin cannot be written:
 * the kernel sets them while a process holds a multicast routing socket
 * (MRT_INIT, MRT6_INIT).  This opens one of each, prints "ready" and
 * keeps them until its standard input ends.  Run it in a private network
 * namespace: the settings belong to the namespace.  Exits 1 when the
 * kernel refuses (no multicast routing, or no CAP_NET_ADMIN).
 */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
/* After <netinet/in.h>, which tells the kernel headers not to define
 * its types again. */
#include <linux/mroute.h>
#include <linux/mroute6.h>

/* Opens a raw socket of the protocol and makes it the multicast router. */
static int take_router(int family, int protocol, int level, int option)
{
    int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, protocol), one = 1;

    if (fd < 0 || setsockopt(fd, level, option, &one, sizeof(one)) < 0) {
        perror("mroute_hold");
        return -1;
    }
    return fd;
}

int main(void)
{
    char byte;

    if (take_router(AF_INET, IPPROTO_IGMP, IPPROTO_IP, MRT_INIT) < 0 ||
        take_router(AF_INET6, IPPROTO_ICMPV6, IPPROTO_IPV6, MRT6_INIT) < 0)
        return 1;
    printf("ready\n");
    fflush(stdout);
    while (read(0, &byte, 1) > 0)
        ;
    return 0;
}
