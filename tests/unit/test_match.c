/*
 * test_match.c - the matcher (match.h): lists, EXCEPT, daemon and client
 * patterns, and the lookups they cause.
 *
 * Each row is a daemon list and a client list, lexed and classified as
 * the library does it, evaluated against one request: the result, the
 * request fields after the match (which of the client's name and
 * address a pattern looked up is observable: the request keeps the
 * values, or "unknown"), and the exact log.  Expected values are
 * Debian's (behaviour page section 2, found by the differential test,
 * tests/compat) unless a row names a compat-policy difference.  The
 * shortcut that the streamed scan takes for a plain address pattern must
 * agree with the compiled pattern on every row it applies to; netgroup
 * lookups go to a wrapped innetgr(); images out of bounds give
 * MATCH_CORRUPT, never a read outside them.
 */
#include "testlib.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "hostlist.h"
#include "lex.h"
#include "match.h"
#include "pattern.h"
#include "table.h"
#include "testwrap.h"

/* ---- netgroups, answered here ---- */

static int netgroup_calls;
static int netgroup_errno; /* 0: answer; else fail with this errno */
static char netgroup_asked[256];

int __wrap_innetgr(const char *group, const char *host, const char *user,
                   const char *domain)
{
    (void)user;
    (void)domain;
    netgroup_calls++;
    snprintf(netgroup_asked, sizeof(netgroup_asked), "%s %s", group,
             host != NULL ? host : "(null)");
    if (netgroup_errno != 0) {
        errno = netgroup_errno;
        return 0;
    }
    return (strcmp(group, "trusted") == 0 &&
            (strcmp(host, "trusted.example") == 0 ||
             strcmp(host, "unknown") == 0)) ||
           (strcmp(group, "TRUSTED") == 0 && strcmp(host, "upper") == 0);
}

struct match_case {
    const char *name;
    const char *daemons; /* the daemon list; NULL: "ALL" */
    const char *clients; /* the client list; NULL: not evaluated */
    /* The request; NULL leaves a field unset. */
    const char *daemon; /* NULL: "sshd" */
    const char *host, *addr, *user;
    const char *server_name, *server_addr;
    unsigned port; /* the server's port; 0: no server address */
    bool v6_server;
    /* What should come of it. */
    enum match_result match;
    const char *name_after, *addr_after; /* NULL: not checked; "": unset */
    int netgroup_errno;
    const char *netgroup_asked; /* the innetgr() question, if any */
    const char *log;            /* NULL: "" */
};

#define YES MATCH_YES
#define NO  MATCH_NO

static const struct match_case cases[] = {
    /* 2: EXCEPT, "a EXCEPT b EXCEPT c" = "a and not (b and not c)". */
    {.name = "except",
     .clients = "10.0.0.0/8 EXCEPT 10.0.0.7",
     .addr = "10.0.0.7",
     .match = NO},
    {.name = "except, other address",
     .clients = "10.0.0.0/8 EXCEPT 10.0.0.7",
     .addr = "10.0.0.8",
     .match = YES},
    {.name = "except except",
     .clients = "10.0.0.0/8 EXCEPT 10.0.0.0/24 EXCEPT 10.0.0.7",
     .addr = "10.0.0.7",
     .match = YES},
    {.name = "except except, middle",
     .clients = "10.0.0.0/8 EXCEPT 10.0.0.0/24 EXCEPT 10.0.0.7",
     .addr = "10.0.0.8",
     .match = NO},
    {.name = "except alone",
     .clients = "EXCEPT 10.0.0.7",
     .addr = "10.0.0.7",
     .match = NO},
    {.name = "trailing except",
     .clients = "10.0.0.7 EXCEPT",
     .addr = "10.0.0.7",
     .match = YES},
    {.name = "except except empty",
     .clients = "10.0.0.8 EXCEPT EXCEPT 10.0.0.8",
     .addr = "10.0.0.8",
     .match = YES},
    {.name = "except any case",
     .clients = "ALL except 10.0.0.7",
     .addr = "10.0.0.7",
     .match = NO},
    {.name = "second item matches",
     .clients = "10.0.0.1 10.0.0.7 EXCEPT x",
     .addr = "10.0.0.7",
     .match = YES,
     .name_after = "unknown"},
    {.name = "empty list",
     .clients = "",
     .addr = "10.0.0.7",
     .match = NO,
     .addr_after = "10.0.0.7"},
    {.name = "daemon except", .daemons = "ALL EXCEPT sshd", .match = NO},
    {.name = "daemon except other",
     .daemons = "ALL EXCEPT sshd",
     .daemon = "ftpd",
     .match = YES},
    {.name = "empty daemon list", .daemons = "", .match = NO},
    {.name = "daemon list order", .daemons = "ftpd, sshd", .match = YES},
    /* 2.1: daemons, ports and daemon@host. */
    {.name = "port without sockaddr",
     .daemons = "22",
     .daemon = "22",
     .match = NO},
    {.name = "port", .daemons = "22", .port = 22, .match = YES},
    {.name = "other port", .daemons = "22", .port = 23, .match = NO},
    {.name = "port with zeros", .daemons = "0022", .port = 22, .match = YES},
    {.name = "port with a plus", .daemons = "+22", .port = 22, .match = YES},
    {.name = "IPv6 port",
     .daemons = "22",
     .port = 22,
     .v6_server = true,
     .match = YES},
    {.name = "big number is a name",
     .daemons = "70000",
     .daemon = "70000",
     .match = YES},
    {.name = "negative is a name",
     .daemons = "-1",
     .daemon = "-1",
     .match = YES},
    {.name = "22x is a name",
     .daemons = "22x",
     .daemon = "22x",
     .port = 22,
     .match = YES},
    {.name = "daemon case", .daemons = "SSHD", .match = YES},
    {.name = "daemon wildcard", .daemons = "s?h*", .match = YES},
    {.name = "daemon prefix",
     .daemons = "in.",
     .daemon = "in.telnetd",
     .match = YES},
    {.name = "daemon suffix",
     .daemons = ".telnetd",
     .daemon = "in.telnetd",
     .match = YES},
    {.name = "KNOWN daemon", .daemons = "KNOWN", .match = YES},
    {.name = "KNOWN daemon unknown",
     .daemons = "KNOWN",
     .daemon = "unknown",
     .match = NO},
    {.name = "LOCAL daemon is a name",
     .daemons = "LOCAL",
     .daemon = "LOCAL",
     .match = YES},
    {.name = "UNKNOWN daemon is a name",
     .daemons = "UNKNOWN",
     .daemon = "unknown",
     .match = YES},
    {.name = "@ daemon is a name",
     .daemons = "@x",
     .daemon = "@x",
     .match = YES},
    {.name = "daemon@host",
     .daemons = "sshd@10.0.0.9",
     .server_addr = "10.0.0.9",
     .match = YES},
    {.name = "daemon@host other server",
     .daemons = "sshd@10.0.0.9",
     .server_addr = "10.0.0.8",
     .match = NO},
    {.name = "daemon@host other daemon",
     .daemons = "ftpd@10.0.0.9",
     .server_addr = "10.0.0.9",
     .match = NO},
    {.name = "daemon@suffix",
     .daemons = "sshd@.example.com",
     .server_name = "srv.example.com",
     .server_addr = "10.0.0.9",
     .match = YES},
    {.name = "ALL@net",
     .daemons = "ALL@10.0.0.0/8",
     .server_addr = "10.0.0.9",
     .match = YES},
    {.name = "port@host",
     .daemons = "22@10.0.0.9",
     .server_addr = "10.0.0.9",
     .port = 22,
     .match = YES},
    {.name = "daemon@bare v6 (D10)",
     .daemons = "sshd@::1",
     .server_addr = "::1",
     .match = YES},
    {.name = "daemon except daemon@host",
     .daemons = "ALL EXCEPT sshd@10.0.0.9",
     .server_addr = "10.0.0.9",
     .match = NO},
    /* 2.2: user@host, the host first. */
    {.name = "user@host",
     .clients = "bob@10.0.0.1",
     .addr = "10.0.0.1",
     .user = "bob",
     .match = YES},
    {.name = "user@host other user",
     .clients = "bob@10.0.0.1",
     .addr = "10.0.0.1",
     .user = "eve",
     .match = NO},
    {.name = "user@host other host",
     .clients = "bob@10.0.0.1",
     .addr = "10.0.0.2",
     .user = "bob",
     .match = NO},
    {.name = "user any case",
     .clients = "BOB@ALL",
     .addr = "10.0.0.1",
     .user = "bob",
     .match = YES},
    {.name = "user wildcard",
     .clients = "b*@ALL",
     .addr = "10.0.0.1",
     .user = "bob",
     .match = YES},
    {.name = "KNOWN user",
     .clients = "KNOWN@ALL",
     .addr = "10.0.0.1",
     .user = "bob",
     .match = YES},
    {.name = "KNOWN user unknown",
     .clients = "KNOWN@ALL",
     .addr = "10.0.0.1",
     .user = "unknown",
     .match = NO},
    {.name = "user@ empty host",
     .clients = "bob@",
     .addr = "10.0.0.1",
     .user = "bob",
     .match = NO,
     .addr_after = "10.0.0.1"},
    {.name = "only first @ splits",
     .clients = "a@b@10.0.0.7",
     .host = "b@10.0.0.7",
     .addr = "10.0.0.7",
     .user = "a",
     .match = YES},
    {.name = "user@netgroup",
     .clients = "bob@@trusted",
     .host = "trusted.example",
     .addr = "10.0.0.1",
     .user = "bob",
     .match = YES,
     .netgroup_asked = "trusted trusted.example"},
    /* 2.3: string match. */
    {.name = "wildcard star",
     .clients = "10.0.0.*",
     .addr = "10.0.0.77",
     .match = YES},
    {.name = "wildcard question one",
     .clients = "10.0.0.?",
     .addr = "10.0.0.77",
     .match = NO,
     .name_after = "unknown"},
    {.name = "wildcard question two",
     .clients = "10.0.0.??",
     .addr = "10.0.0.77",
     .match = YES},
    {.name = "wildcard any case",
     .clients = "*.EXAMPLE.COM",
     .host = "a.example.com",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "wildcard is whole",
     .clients = ".exa*.com",
     .host = "a.example.com",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "wildcard meets unknown",
     .clients = "u*",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "unknown"},
    {.name = "suffix",
     .clients = ".example.com",
     .host = "a.example.com",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "suffix needs more",
     .clients = ".example.com",
     .host = "example.com",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "suffix any case",
     .clients = ".Example.COM",
     .host = "a.EXAMPLE.com",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "suffix on address",
     .clients = ".0.0.1",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "suffix on mapped address",
     .clients = ".3.4",
     .addr = "::ffff:1.2.3.4",
     .match = YES},
    {.name = "prefix", .clients = "10.0.", .addr = "10.0.5.1", .match = YES},
    {.name = "prefix whole token",
     .clients = "10.",
     .addr = "100.0.5.1",
     .match = NO},
    {.name = "prefix is the whole address",
     .clients = "10.0.0.1.",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "prefix on name",
     .clients = "foo.",
     .host = "foo.bar",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "exact any case",
     .clients = "Host.Example",
     .host = "host.EXAMPLE",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "v4-mapped stripped",
     .clients = "1.2.3.4",
     .addr = "::FFFF:1.2.3.4",
     .match = YES},
    {.name = "bracket never matches mapped",
     .clients = "[::ffff:1.2.3.4]",
     .addr = "::ffff:1.2.3.4",
     .match = NO},
    {.name = "bracket matches v6",
     .clients = "[2001:DB8::1]",
     .addr = "2001:db8::1",
     .match = YES},
    {.name = "bracket other v6",
     .clients = "[2001:db8::1]",
     .addr = "2001:db8::2",
     .match = NO},
    {.name = "v6 literal scope ignored",
     .clients = "[fe80::1%lo]",
     .addr = "fe80::1",
     .match = YES},
    {.name = "v6 literal, client scope",
     .clients = "[fe80::1]",
     .addr = "fe80::1%eth0",
     .match = YES},
    {.name = "bracket of no address",
     .clients = "[x]",
     .addr = "10.0.0.1",
     .match = NO,
     .name_after = "unknown"},
    {.name = "bare v6 (D10)", .clients = "::1", .addr = "::1", .match = YES},
    {.name = "bare v6 prefix (D10)",
     .clients = "2001:db8::/32",
     .addr = "2001:db8::7",
     .match = YES},
    {.name = "bare v6 user (D10)",
     .clients = "bob@fe80::1",
     .addr = "fe80::1",
     .user = "bob",
     .match = YES},
    {.name = "ALL",
     .clients = "ALL",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "",
     .addr_after = "10.0.0.1"},
    {.name = "UNKNOWN",
     .clients = "UNKNOWN",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "unknown"},
    {.name = "UNKNOWN address",
     .clients = "UNKNOWN",
     .match = YES,
     .name_after = "",
     .addr_after = "unknown"},
    {.name = "UNKNOWN not paranoid",
     .clients = "UNKNOWN",
     .host = "paranoid",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "PARANOID",
     .clients = "PARANOID",
     .host = "paranoid",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "lowercase paranoid",
     .clients = "paranoid",
     .host = "PARANOID",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "short name no match",
     .clients = "good",
     .host = "good.example.com",
     .addr = "10.0.0.1",
     .match = NO},
    /* 2.4: host patterns. */
    {.name = "KNOWN host",
     .clients = "KNOWN",
     .host = "h.example",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "KNOWN needs name",
     .clients = "KNOWN",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "KNOWN paranoid",
     .clients = "KNOWN",
     .host = "paranoid",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "LOCAL host",
     .clients = "LOCAL",
     .host = "foo",
     .addr = "10.0.0.1",
     .match = YES},
    {.name = "LOCAL dotted",
     .clients = "LOCAL",
     .host = "foo.bar",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "LOCAL unknown",
     .clients = "LOCAL",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "LOCAL paranoid",
     .clients = "LOCAL",
     .host = "paranoid",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "netgroup",
     .clients = "@trusted",
     .host = "trusted.example",
     .addr = "10.0.0.1",
     .match = YES,
     .netgroup_asked = "trusted trusted.example"},
    {.name = "netgroup, other host",
     .clients = "@trusted",
     .host = "x",
     .addr = "10.0.0.1",
     .match = NO,
     .netgroup_asked = "trusted x"},
    {.name = "netgroup names keep their case",
     .clients = "@TRUSTED",
     .host = "trusted.example",
     .addr = "10.0.0.1",
     .match = NO,
     .netgroup_asked = "TRUSTED trusted.example"},
    {.name = "netgroup of an unresolved client asks for unknown",
     .clients = "@trusted",
     .match = YES,
     .name_after = "unknown",
     .addr_after = "",
     .netgroup_asked = "trusted unknown"},
    {.name = "netgroup lookup out of descriptors",
     .clients = "@trusted",
     .host = "x",
     .addr = "10.0.0.1",
     .match = MATCH_ERROR,
     .netgroup_errno = EMFILE,
     .netgroup_asked = "trusted x",
     .log = "3 warning: cannot look up netgroup trusted: Too many open "
            "files\n"},
    {.name = "netgroup lookup that merely fails",
     .clients = "@trusted",
     .host = "x",
     .addr = "10.0.0.1",
     .match = NO,
     .netgroup_errno = ENOENT,
     .netgroup_asked = "trusted x"},
    {.name = "octal net",
     .clients = "010.0.0.0/255.0.0.0",
     .addr = "8.1.2.3",
     .match = YES},
    {.name = "hex net",
     .clients = "0x0a.0.0.0/8",
     .addr = "10.1.2.3",
     .match = YES},
    {.name = "octal client",
     .clients = "10.0.0.0/8",
     .addr = "012.1.2.3",
     .match = YES},
    {.name = "host bits set never match",
     .clients = "10.0.0.1/255.255.255.0",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "non-contiguous mask",
     .clients = "10.0.0.0/255.0.255.0",
     .addr = "10.7.0.77",
     .match = YES},
    {.name = "cidr atoi",
     .clients = "10.0.0.0/8x",
     .addr = "10.9.9.9",
     .match = YES},
    {.name = "/0 never",
     .clients = "0.0.0.0/0",
     .addr = "10.9.9.9",
     .match = NO,
     .addr_after = "10.9.9.9"},
    {.name = "/33 never",
     .clients = "10.0.0.0/33",
     .addr = "10.0.0.0",
     .match = NO},
    {.name = "all-ones never",
     .clients = "10.0.0.1/255.255.255.255",
     .addr = "10.0.0.1",
     .match = NO},
    {.name = "zero mask all",
     .clients = "0.0.0.0/0.0.0.0",
     .addr = "10.9.9.9",
     .match = YES},
    {.name = "mapped vs v4 mask",
     .clients = "10.0.0.0/8",
     .addr = "::ffff:10.0.0.77",
     .match = YES},
    {.name = "v6 prefix",
     .clients = "[2001:db8::]/32",
     .addr = "2001:db8::5",
     .match = YES},
    {.name = "v6 host bits allowed",
     .clients = "[2001:db8::1]/127",
     .addr = "2001:db8::",
     .match = YES},
    {.name = "v6 /0 all",
     .clients = "[2001:db8::1]/0",
     .addr = "::1",
     .match = YES},
    {.name = "v6 /abc all",
     .clients = "[2001:db8::1]/abc",
     .addr = "::1",
     .match = YES},
    {.name = "v6 /129 never",
     .clients = "[::1]/129",
     .addr = "::1",
     .match = NO},
    {.name = "v6 mask not for mapped",
     .clients = "[::ffff:10.0.0.0]/104",
     .addr = "::ffff:10.0.0.7",
     .match = NO},
    {.name = "v6 mask not for v4",
     .clients = "[::]/0",
     .addr = "10.0.0.7",
     .match = NO},
    {.name = "wildcard in net never",
     .clients = "10.0.*.0/24",
     .addr = "10.0.1.0",
     .match = NO},
    /* 2.5: which lookups each pattern makes (the request keeps them). */
    {.name = "KNOWN looks up the address even without a name",
     .clients = "KNOWN",
     .match = NO,
     .name_after = "unknown",
     .addr_after = "unknown"},
    {.name = "KNOWN paranoid reads the address",
     .clients = "KNOWN",
     .host = "paranoid",
     .match = NO,
     .name_after = "paranoid",
     .addr_after = "unknown"},
    {.name = "KNOWN with a name only",
     .clients = "KNOWN",
     .host = "h.example",
     .match = NO,
     .name_after = "h.example",
     .addr_after = "unknown"},
    {.name = "KNOWN with both",
     .clients = "KNOWN",
     .host = "h.example",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "h.example",
     .addr_after = "10.0.0.1"},
    {.name = "known without a name",
     .clients = "known",
     .addr = "10.0.0.1",
     .match = NO,
     .name_after = "unknown",
     .addr_after = "10.0.0.1"},
    {.name = "LOCAL needs only the name",
     .clients = "LOCAL",
     .match = NO,
     .name_after = "unknown",
     .addr_after = ""},
    {.name = "LOCAL, name given",
     .clients = "LOCAL",
     .host = "foo",
     .match = YES,
     .name_after = "foo",
     .addr_after = ""},
    {.name = "an address never looks up the name",
     .clients = "10.0.0.1",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "",
     .addr_after = "10.0.0.1"},
    {.name = "nor when it fails",
     .clients = "10.0.0.2",
     .addr = "10.0.0.1",
     .match = NO,
     .name_after = "",
     .addr_after = "10.0.0.1"},
    {.name = "an address prefix never looks up the name",
     .clients = "10.0.",
     .addr = "10.1.0.1",
     .match = NO,
     .name_after = "",
     .addr_after = "10.1.0.1"},
    {.name = "a wildcard reads the name when the address fails",
     .clients = "10.0.0.*",
     .addr = "10.0.1.2",
     .match = NO,
     .name_after = "unknown",
     .addr_after = "10.0.1.2"},
    {.name = "a suffix reads the address first",
     .clients = ".example.com",
     .host = "a.example.com",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "a.example.com",
     .addr_after = "10.0.0.1"},
    {.name = "a net/mask never reads the name",
     .clients = "10.0.0.0/8",
     .addr = "10.0.0.1",
     .match = YES,
     .name_after = "",
     .addr_after = "10.0.0.1"},
    {.name = "an IPv6 literal reads the name when the address fails",
     .clients = "[::1]",
     .addr = "::2",
     .match = NO,
     .name_after = "unknown",
     .addr_after = "::2"},
    {.name = "the daemon list fails: no client field is read",
     .daemons = "ftpd",
     .clients = "KNOWN",
     .match = NO,
     .name_after = "",
     .addr_after = ""},
    {.name = "the user is read only after the host",
     .clients = "bob@10.0.0.2",
     .addr = "10.0.0.1",
     .match = NO,
     .addr_after = "10.0.0.1"},
};

/* Fills the server's socket address for rows that have a port. */
static struct sockaddr_storage server_sa;

static void make_request(struct request_info *r, const struct match_case *c)
{
    request_init(r, RQ_DAEMON, c->daemon != NULL ? c->daemon : "sshd", 0);
    if (c->host != NULL)
        request_set(r, RQ_CLIENT_NAME, c->host, 0);
    if (c->addr != NULL)
        request_set(r, RQ_CLIENT_ADDR, c->addr, 0);
    if (c->user != NULL)
        request_set(r, RQ_USER, c->user, 0);
    if (c->server_name != NULL)
        request_set(r, RQ_SERVER_NAME, c->server_name, 0);
    if (c->server_addr != NULL)
        request_set(r, RQ_SERVER_ADDR, c->server_addr, 0);
    if (c->port != 0) {
        tl_sockaddr(&server_sa, c->v6_server ? "::1" : "127.0.0.1", c->port);
        request_set(r, RQ_SERVER_SIN, &server_sa, 0);
    }
}

/* The daemon list, then (when it matched) the client list. */
static enum match_result evaluate(const struct match_case *c,
                                  struct request_info *r)
{
    return (enum match_result)tl_match(c->daemons != NULL ? c->daemons : "ALL",
                                       c->clients, r);
}

static void test_cases(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(cases); i++) {
        const struct match_case *c = &cases[i];
        struct request_info r;
        enum match_result got;
        bool ok;

        make_request(&r, c);
        netgroup_calls = 0;
        netgroup_asked[0] = '\0';
        netgroup_errno = c->netgroup_errno;
        tl_log_clear();
        got = evaluate(c, &r);
        netgroup_errno = 0;
        ok = got == c->match &&
             (c->name_after == NULL ||
              strcmp(r.client->name, c->name_after) == 0) &&
             (c->addr_after == NULL ||
              strcmp(r.client->addr, c->addr_after) == 0) &&
             strcmp(netgroup_asked,
                    c->netgroup_asked != NULL ? c->netgroup_asked : "") == 0 &&
             strcmp(tl_log(), c->log != NULL ? c->log : "") == 0;
        if (!ok) {
            print_error("%s: %d (want %d), name \"%s\", addr \"%s\", "
                        "innetgr \"%s\", log:\n%s",
                        c->name, got, c->match, r.client->name, r.client->addr,
                        netgroup_asked, tl_log());
            failures++;
        }
    }
    tl_log_clear();
    assert_int_equal(failures, 0);
}

/* The streamed scan decides a plain address pattern without compiling
 * it (match_address_pattern()): on every row it applies to, and on
 * every row's address against every row's pattern, it must say what
 * the compiled pattern says. */
static void test_address_shortcut(void **state)
{
    size_t i, j, compared = 0;
    int wide, failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(cases); i++) {
        const char *text = cases[i].clients;
        /* In a table the pattern has readable bytes after it. */
        char pat[64] = "";
        size_t n;

        if (text == NULL || (n = strlen(text)) == 0 || n >= 32 ||
            (lex_flags(text, n) & (LEX_NAME | LEX_SLASH)))
            continue;
        memcpy(pat, text, n);
        for (j = 0; j < TL_COUNT(cases); j++) {
            struct match_case c = {.clients = pat, .addr = cases[j].addr};
            struct request_info r;
            const char *addr;
            char field[STRING_LENGTH];
            enum match_result compiled;

            if (c.addr == NULL)
                continue;
            make_request(&r, &c);
            compiled = evaluate(&c, &r);
            addr = addr_strip_mapped(c.addr);
            for (wide = 0; wide < 2; wide++) {
                /* Wide: both sides readable for 16 bytes. */
                memset(field, 0, sizeof(field));
                snprintf(field, sizeof(field), "%s", addr);
                compared++;
                if (match_address_pattern(pattern_address_kind(pat, n), pat, n,
                                          field, strlen(field),
                                          wide) != (compiled == MATCH_YES)) {
                    print_error("pattern %s, address %s: the shortcut "
                                "says %d\n",
                                pat, c.addr, compiled != MATCH_YES);
                    failures++;
                }
            }
        }
    }
    print_message("address shortcut: %zu pairs compared\n", compared);
    assert_int_equal(failures, 0);
}

/* match_same_short(): equal when the first n bytes are, for every n and
 * every position of a difference. */
static void test_same_short(void **state)
{
    char a[16], b[16];
    size_t n, k;

    (void)state;
    for (n = 0; n <= 16; n++) {
        for (k = 0; k < 16; k++) {
            memset(a, 'x', sizeof(a));
            memset(b, 'x', sizeof(b));
            b[k] = 'y';
            if (match_same_short(a, b, n) != (k >= n))
                fail_msg("n %zu, difference at %zu", n, k);
        }
        memset(b, 'x', sizeof(b));
        assert_true(match_same_short(a, b, n));
    }
}

/* ---- images out of bounds ---- */

/* A compiled client list, copied into a buffer of its exact size so
 * that a read outside it is seen, then spoiled. */
struct spoil_case {
    const char *name;
    const char *clients;
    void (*spoil)(unsigned char *base, struct image_list *l, size_t size);
};

static void count_too_big(unsigned char *base, struct image_list *l,
                          size_t size)
{
    (void)base;
    (void)size;
    l->count = 0x10000000;
}

static void text_outside(unsigned char *base, struct image_list *l,
                         size_t size)
{
    (void)base;
    l->item[0].value = (uint32_t)size - 2;
}

static void value_zero(unsigned char *base, struct image_list *l, size_t size)
{
    (void)base;
    (void)size;
    l->item[0].value = 0;
}

static void kind_unknown(unsigned char *base, struct image_list *l,
                         size_t size)
{
    (void)base;
    (void)size;
    l->item[0].kind = 99;
}

static void host_missing(unsigned char *base, struct image_list *l,
                         size_t size)
{
    (void)base;
    (void)size;
    l->item[l->count - 1].flags |= PATTERN_HOST_FOLLOWS;
}

static void value_at_end(unsigned char *base, struct image_list *l,
                         size_t size)
{
    (void)base;
    l->item[0].value = (uint32_t)size;
}

/* A long text whose length word says more than the image holds. */
static void long_length_outside(unsigned char *base, struct image_list *l,
                                size_t size)
{
    uint32_t at = ((uint32_t)size & ~3u) - 4, len = 0xffff;

    memcpy(base + at, &len, sizeof(len));
    l->item[0].flags |= PATTERN_LONG;
    l->item[0].value = at;
}

static const struct spoil_case spoils[] = {
    {.name = "a list longer than the image",
     .clients = "10.0.0.2",
     .spoil = count_too_big},
    {.name = "a text outside", .clients = "10.0.0.2", .spoil = text_outside},
    {.name = "a text at offset 0",
     .clients = "host.exampl3",
     .spoil = value_zero},
    {.name = "an unknown kind", .clients = "10.0.0.2", .spoil = kind_unknown},
    {.name = "a host record missing",
     .clients = "10.0.0.2",
     .spoil = host_missing},
    {.name = "a net outside", .clients = "10.0.0.0/8", .spoil = value_at_end},
    {.name = "an IPv6 net outside",
     .clients = "[::1]/8",
     .spoil = value_at_end},
    {.name = "an IPv6 literal outside",
     .clients = "[::1]",
     .spoil = value_at_end},
    {.name = "a netgroup outside", .clients = "@g", .spoil = value_at_end},
    {.name = "a list outside", .clients = "/etc/x", .spoil = value_at_end},
    {.name = "a long text's length",
     .clients = "host.exampl3",
     .spoil = long_length_outside},
};

static void test_corrupt(void **state)
{
    size_t i;
    int failures = 0;

    (void)state;
    for (i = 0; i < TL_COUNT(spoils); i++) {
        const struct spoil_case *s = &spoils[i];
        /* The name has the pattern's length: no length shortcut. */
        struct match_case c = {
            .clients = s->clients, .addr = "10.0.0.1", .host = "host.exampl2"};
        struct tl_list cl;
        struct request_info r;
        struct match_ctx m;
        struct image im;
        unsigned char *copy;
        enum match_result got;

        tl_compile_list(&cl, s->clients, true);
        copy = aligned_alloc(8, (cl.im.size + 7) & ~(size_t)7);
        assert_non_null(copy);
        memcpy(copy, cl.im.base, cl.im.size);
        im.base = copy;
        im.size = cl.im.size;
        im.reader = NULL;
        s->spoil(copy, (struct image_list *)(void *)(copy + cl.off), im.size);
        make_request(&r, &c);
        match_begin(&m, &r, hostlist_match, (void *)&access_default);
        tl_log_clear();
        got = match_clients(&m, &im, cl.off);
        if (got != MATCH_CORRUPT || strcmp(tl_log(), "") != 0) {
            print_error("%s: %d, log \"%s\"\n", s->name, got, tl_log());
            failures++;
        }
        free(copy);
        image_builder_free(&cl.b);
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cases, tl_setup, tl_teardown),
        cmocka_unit_test_setup_teardown(test_address_shortcut, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_same_short),
        cmocka_unit_test_setup_teardown(test_corrupt, tl_setup, tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
