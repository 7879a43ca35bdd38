/*
 * interpose.c - a program that defines its own clean_exit(), rfc931(),
 * shell_cmd(), allow_severity and deny_severity, as tcpdmatch and tcpdchk
 * do, must see the library use them; the library must also read the
 * program's copies of its data (hosts_allow_table, hosts_access_verbose)
 * and long-jump to the program's view of tcpd_buf.
 *
 * Compiled against Debian's header and linked with Debian's libwrap.so.0
 * by its SONAME; abi.sh runs it on Debian's library and on ours
 * (LD_LIBRARY_PATH) and requires the same output from both, and the
 * program checks what it expects itself (exit status 1 otherwise).
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <tcpd.h>

/* Exported by both libraries, not declared by Debian's header. */
extern jmp_buf tcpd_buf;

void syslog(int priority, const char *fmt, ...);
void vsyslog(int priority, const char *fmt, va_list ap);
void __syslog_chk(int priority, int flag, const char *fmt, ...);
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap);

/* Strong definitions win over the library's weak ones. */
int allow_severity = 3;
int deny_severity = 2;

static int failures;

/* Prints one log line with its priority. */
static void show_log(int priority, const char *fmt, va_list ap)
{
    printf("log %d ", priority);
    vprintf(fmt, ap);
    printf("\n");
}

/* The logging entry points of the program (both libraries may call any). */
void syslog(int priority, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    show_log(priority, fmt, ap);
    va_end(ap);
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
    show_log(priority, fmt, ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
    va_list ap;

    (void)flag;
    va_start(ap, fmt);
    show_log(priority, fmt, ap);
    va_end(ap);
}

void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    show_log(priority, fmt, ap);
}

static int shell_cmd_calls, rfc931_calls;

/* The program's shell_cmd(): counts and shows the command. */
void shell_cmd(char *command)
{
    shell_cmd_calls++;
    printf("program's shell_cmd: %s\n", command);
}

/* The program's rfc931(): a fixed user, no network. */
void rfc931(struct sockaddr *rmt, struct sockaddr *our, char *dest)
{
    (void)rmt;
    (void)our;
    rfc931_calls++;
    strcpy(dest, "program-user");
}

/* The program's clean_exit(): shows itself and exits 3. */
void clean_exit(struct request_info *r)
{
    (void)r;
    printf("program's clean_exit\n");
    fflush(stdout);
    _exit(3);
}

/* Prints and counts one expectation. */
static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok)
        failures++;
}

/* Runs each interposition check once. */
int main(void)
{
    char dir[] = "/tmp/abi-interpose.XXXXXX", allow[64], deny[64];
    char bogus[] = "bogus", allow_option[] = "allow";
    struct request_info r;
    struct sockaddr_in client, server;
    FILE *fp;
    pid_t pid;
    int status;
    volatile int jumped;

    Dl_info info;

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* Which library this run uses, for the script (not compared). */
    if (dladdr((void *)hosts_access, &info) != 0)
        fprintf(stderr, "library %s\n", info.dli_fname);
    if (mkdtemp(dir) == NULL)
        return 2;
    snprintf(allow, sizeof(allow), "%s/allow", dir);
    snprintf(deny, sizeof(deny), "%s/deny", dir);
    fp = fopen(allow, "w");
    if (fp == NULL)
        return 2;
    fputs("sshd: ALL: spawn echo spawned %d\n", fp);
    fputs("ftpd: program-user@ALL\n", fp);
    fclose(fp);
    fp = fopen(deny, "w");
    if (fp == NULL)
        return 2;
    fputs("ALL: ALL\n", fp);
    fclose(fp);

    /* The library reads the program's copies of its data. */
    hosts_allow_table = allow;
    hosts_deny_table = deny;
    hosts_access_verbose = 1;

    /* spawn runs through the program's shell_cmd(). */
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "10.0.0.1", 0);
    check(hosts_access(&r) == 1, "spawn rule grants");
    check(shell_cmd_calls == 1, "the library called the program's shell_cmd");

    /* eval_user() asks the program's rfc931(). */
    memset(&client, 0, sizeof(client));
    memset(&server, 0, sizeof(server));
    client.sin_family = server.sin_family = AF_INET;
    client.sin_addr.s_addr = server.sin_addr.s_addr = htonl(0x7f000001);
    client.sin_port = htons(4000);
    server.sin_port = htons(22);
    request_init(&r, RQ_DAEMON, "ftpd", RQ_CLIENT_ADDR, "10.0.0.1",
                 RQ_CLIENT_SIN, &client, RQ_SERVER_SIN, &server, 0);
    check(hosts_access(&r) == 1, "user rule grants the program's user");
    check(rfc931_calls == 1, "the library called the program's rfc931");
    printf("user %s\n", eval_user(&r));

    /* process_options() jumps to the program's tcpd_buf. */
    request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "10.0.0.1", 0);
    /* Writable: Debian's process_options() cuts the field in place. */
    jumped = setjmp(tcpd_buf);
    if (jumped == 0)
        process_options(bogus, &r);
    check(jumped == AC_DENY, "process_options jumped to tcpd_buf");
    jumped = setjmp(tcpd_buf);
    if (jumped == 0)
        process_options(allow_option, &r);
    check(jumped == AC_PERMIT, "allow jumped with AC_PERMIT");

    /* refuse() logs at the program's deny_severity and ends through the
     * program's clean_exit(). */
    pid = fork();
    if (pid == 0) {
        request_init(&r, RQ_DAEMON, "sshd", RQ_CLIENT_ADDR, "10.0.0.9", 0);
        refuse(&r);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 3,
          "refuse ended through the program's clean_exit");

    unlink(allow);
    unlink(deny);
    rmdir(dir);
    return failures > 0 ? 1 : 0;
}
