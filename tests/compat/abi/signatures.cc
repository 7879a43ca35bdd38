/*
 * signatures.cc - the header compiles as C++, and every function and
 * variable it declares has the type Debian's header gives it.
 *
 * Each declaration's type is printed through a template's
 * __PRETTY_FUNCTION__, which spells the full type (parameter types,
 * pointers, arrays, variadic functions).  Built against Debian's header
 * and ours, with and without INET6; abi.sh compares the outputs per
 * INET6 setting (rfc931, eval_port and host_info.sin take struct
 * sockaddr under INET6 and struct sockaddr_in otherwise).
 */
#include <cstdio>

#include <netinet/in.h>
#include <sys/socket.h>

#include <tcpd.h>

template <typename T> static const char *type_of(T)
{
    return __PRETTY_FUNCTION__;
}

#define SHOW(x) std::printf("%s: %s\n", #x, type_of(&(x)))

int main()
{
    SHOW(hosts_access);
    SHOW(hosts_ctl);
    SHOW(shell_cmd);
    SHOW(percent_x);
    SHOW(rfc931);
    SHOW(clean_exit);
    SHOW(refuse);
    SHOW(xgets);
    SHOW(split_at);
    SHOW(dot_quad_addr);
    SHOW(request_init);
    SHOW(request_set);
    SHOW(eval_user);
    SHOW(eval_hostname);
    SHOW(eval_hostaddr);
    SHOW(eval_hostinfo);
    SHOW(eval_client);
    SHOW(eval_server);
    SHOW(eval_port);
    SHOW(sock_host);
    SHOW(sock_hostname);
    SHOW(sock_hostaddr);
    SHOW(tcpd_warn);
    SHOW(tcpd_jump);
    SHOW(process_options);
    SHOW(allow_severity);
    SHOW(deny_severity);
    SHOW(hosts_allow_table);
    SHOW(hosts_deny_table);
    SHOW(hosts_access_verbose);
    SHOW(rfc931_timeout);
    SHOW(resident);
    SHOW(unknown);
    SHOW(paranoid);
    SHOW(tcpd_context);
    SHOW(dry_run);
    std::printf("host_info.sin: %s\n",
                type_of(decltype(host_info::sin)()));
    return 0;
}
