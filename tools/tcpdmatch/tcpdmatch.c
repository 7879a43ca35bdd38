/*
 * tcpdmatch - predicts how tcpd and libwrap would handle a request.
 *
 * usage: tcpdmatch [-d] [-i inet_conf] daemon[@host] [user@]host
 *
 * The same options, arguments and output lines as Debian's tcpdmatch,
 * plus what Debian's fortified build loses (compat-policy D11): the
 * library's warnings, "matched:" and "option:" lines, printed on stdout
 * by the fakelog object.  A client given by name is resolved and one
 * prediction is printed per address; an address given as such stands
 * for a client whose name lookup failed.  The tables' drop-in
 * directories (dropin.h) are read by the library, whose "matched:" line
 * names the fragment; their paths are checked as the tables' are.
 * Options run in dry-run mode:
 * commands are never run and no ident query is sent (stubs.c).
 *
 * Exit status: 0 after the predictions, 1 on a usage or lookup error.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "exports.h"
#include "pattern.h"
#include "tcpd.h"
#include "toolkit.h"

/* The program's own severities win over the library's weak ones. */
int allow_severity = LOG_INFO;
int deny_severity = LOG_WARNING;

/* Debian's usage text, on stderr; exits 1. */
static void usage(const char *myname)
{
    fprintf(stderr,
            "usage: %s [-d] [-i inet_conf] daemon[@host] [user@]host\n",
            myname);
    fprintf(stderr, "	-d: use allow/deny files in current directory\n");
    fprintf(stderr, "	-i: location of inetd.conf file\n");
    exit(1);
}

/* True for the words that stand for a failed or suspect lookup. */
static bool is_placeholder(const char *host)
{
    return pattern_not_inaddr(host, strlen(host)) &&
           (strcasecmp(host, unknown) == 0 || strcasecmp(host, paranoid) == 0);
}

/* True when host is written as an address (no lookup is simulated). */
static bool is_address(const char *host)
{
    struct in6_addr a6;

    return dot_quad_addr((char *)host) != INADDR_NONE ||
           inet_pton(AF_INET6, host, &a6) == 1;
}

/*
 * Prints one line of the request's description, unless the value is
 * "unknown".  The value is shown as a %-expansion would show it, with
 * characters a shell could misread replaced by '_' (Debian prints these
 * lines through percent_x()); the request itself is left alone (D12).
 */
static void show(const char *label, const char *value)
{
    static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrs"
                               "tuvwxyz0123456789!@%-_=+:,./";
    const char *p;

    if (strcasecmp(value, unknown) == 0)
        return;
    printf("%s", label);
    for (p = value; *p != '\0'; p++)
        putchar(strchr(safe, *p) != NULL ? *p : '_');
    putchar('\n');
}

/* Prints what the request looks like and what the tables decide. */
static void predict(struct request_info *r)
{
    int verdict;

    show("client:   hostname ", eval_hostname(r->client));
    show("client:   address  ", eval_hostaddr(r->client));
    show("client:   username ", eval_user(r));
    show("server:   hostname ", eval_hostname(r->server));
    show("server:   address  ", eval_hostaddr(r->server));
    show("server:   process  ", eval_daemon(r));
    /* Banners are written straight to fd 1. */
    fflush(stdout);

    /* What a fresh tcpd would start with. */
    rfc931_timeout = 10;
    allow_severity = LOG_INFO;
    deny_severity = LOG_WARNING;
    dry_run = 1;
    verdict = hosts_access(r);
    printf("access:   %s\n", dry_run == 0 ? "delegated"
                             : verdict    ? "granted"
                                          : "denied");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    const char *myname = tool_basename(argv[0]);
    const char *inetcf = NULL, *conf, *server, *user = NULL;
    char *daemon, *client, *at;
    struct request_info request;
    struct addrinfo *res = NULL, *sres = NULL, *ai;
    enum wrap_status status;
    int ch;

    while ((ch = getopt(argc, argv, "di:")) != -1) {
        switch (ch) {
        case 'd':
            hosts_allow_table = "hosts.allow";
            hosts_deny_table = "hosts.deny";
            break;
        case 'i':
            inetcf = optarg;
            break;
        default:
            usage(myname);
        }
    }
    if (argc != optind + 2)
        usage(myname);

    tool_check_daemon_dir();

    /* daemon[@server]: the first '@' splits. */
    daemon = argv[optind];
    server = NULL;
    if ((at = strchr(daemon, '@')) != NULL) {
        *at = '\0';
        server = at + 1;
    }
    if (strchr(daemon, '/') != NULL) {
        const char *base = tool_basename(daemon);
        tcpd_warn("%s: daemon name normalized to: %s", daemon, base);
        daemon = (char *)base;
    }

    conf = inetcf_read(inetcf);
    /* The portmapper is never run through tcpd. */
    inetcf_set("portmap", WRAP_NO);
    inetcf_set("rpcbind", WRAP_NO);
    status = inetcf_get(daemon);
    if (status == WRAP_UNKNOWN)
        tcpd_warn("%s: no such process name in %s", daemon,
                  conf != NULL ? conf : "(null)");
    else if (status == WRAP_NO)
        tcpd_warn("%s: service possibly not wrapped", daemon);

    tool_check_path(hosts_allow_table, NULL);
    tool_check_dropin(hosts_allow_table);
    tool_check_path(hosts_deny_table, NULL);
    tool_check_dropin(hosts_deny_table);

    hosts_access_verbose = 2;
    /* Banners go to stdout. */
    request_init(&request, RQ_DAEMON, daemon, RQ_CLIENT_NAME, "",
                 RQ_CLIENT_ADDR, "", RQ_FILE, STDOUT_FILENO, 0);
    sock_methods(&request);

    if (server != NULL) {
        if (is_placeholder(server)) {
            request_set(&request, RQ_SERVER_NAME, server, 0);
        } else {
            if ((sres = tool_find_addrs(server)) == NULL)
                exit(1);
            if (tool_count_addrs(sres) > 1) {
                fprintf(stderr, "Error: %s has more than one address\n",
                        server);
                fprintf(stderr, "Please specify an address instead\n");
                exit(1);
            }
            /* The request keeps a pointer: sres lives to the end. */
            request_set(&request, RQ_SERVER_SIN, sres->ai_addr, 0);
        }
    }

    /* [user@]client: the first '@' splits. */
    client = argv[optind + 1];
    if ((at = strchr(client, '@')) != NULL) {
        *at = '\0';
        user = client;
        client = at + 1;
        request_set(&request, RQ_USER, user, 0);
    }

    if (is_address(client)) {
        request_set(&request, RQ_CLIENT_ADDR, client, 0);
        predict(&request);
    } else if (is_placeholder(client)) {
        request_set(&request, RQ_CLIENT_NAME, client, 0);
        predict(&request);
    } else if ((res = tool_find_addrs(client)) == NULL) {
        exit(1);
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        if (ai != res)
            printf("\n");
        request_set(&request, RQ_CLIENT_SIN, ai->ai_addr, RQ_CLIENT_NAME, "",
                    RQ_CLIENT_ADDR, "", 0);
        if (user != NULL)
            request_set(&request, RQ_USER, user, 0);
        predict(&request);
    }
    if (res != NULL)
        freeaddrinfo(res);
    if (sres != NULL)
        freeaddrinfo(sres);
    return 0;
}
