/*
 * test_request.c - struct request_info and its lazy accessors (request.h,
 * behaviour page 5.5).
 *
 * request_init() and request_set() fill the fields (strings cut to 127
 * bytes, an unknown key stops the list); each eval_* fills its field
 * once, "unknown" first, through the installed method, and only when
 * asked; the ident lookup only with both addresses and no datagram
 * sink.  request_hostname() and request_user() tell a lookup that
 * failed for want of this process's resources from an answer, log the
 * first, and leave the field unset so that it is asked again.  The
 * ident lookup is the wrapped rfc931() (--wrap=rfc931), which counts.
 */
#include "testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "request.h"
#include "testwrap.h"

/* ---- the ident lookup, counted ---- */

static int ident_calls;
static const char *ident_answer = "bob";
static int ident_failure; /* report this resource failure instead */

void __wrap_rfc931(struct sockaddr *rmt, struct sockaddr *our, char *dest)
{
    (void)rmt;
    (void)our;
    ident_calls++;
    if (ident_failure != 0) {
        request_lookup_failed(dest, ident_failure);
        return;
    }
    snprintf(dest, STRING_LENGTH, "%s", ident_answer);
}

/* ---- methods ---- */

static int name_calls, addr_calls;
static int name_failure; /* report this resource failure instead */

static void fake_hostname(struct host_info *h)
{
    name_calls++;
    if (name_failure != 0) {
        request_lookup_failed(h->name, name_failure);
        return;
    }
    snprintf(h->name, sizeof(h->name), "looked.up");
}

static void fake_hostaddr(struct host_info *h)
{
    addr_calls++;
    snprintf(h->addr, sizeof(h->addr), "192.0.2.1");
}

static void fake_sink(int fd)
{
    (void)fd;
}

static void reset_counts(void)
{
    ident_calls = name_calls = addr_calls = 0;
    ident_failure = name_failure = 0;
}

/* ---- request_init() and request_set() ---- */

static void test_init(void **state)
{
    struct request_info r;
    char pid[16];

    (void)state;
    memset(&r, 0x5a, sizeof(r));
    assert_ptr_equal(request_init(&r, 0), &r);
    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    assert_int_equal(r.fd, -1);
    assert_string_equal(r.daemon, "unknown");
    assert_string_equal(r.pid, pid);
    assert_string_equal(r.user, "");
    assert_string_equal(r.client->name, "");
    assert_string_equal(r.client->addr, "");
    assert_string_equal(r.server->name, "");
    assert_string_equal(r.server->addr, "");
    assert_null(r.client->sin);
    assert_null(r.server->sin);
    assert_ptr_equal(r.client->request, &r);
    assert_ptr_equal(r.server->request, &r);
    /* No lookup methods: nothing is ever looked up. */
    assert_null(r.hostname);
    assert_null(r.hostaddr);
    assert_null(r.sink);
    assert_null(request_init(NULL, RQ_DAEMON, "x", 0));
    assert_null(request_set(NULL, RQ_DAEMON, "x", 0));
}

/* The process id each request gets, in a process that kept its id
 * (pid.c) and in children made every way a child can be made: each
 * child must see its own id, not its parent's. */
static bool pid_is_own(void)
{
    struct request_info r;
    char pid[16];

    request_init(&r, 0);
    snprintf(pid, sizeof(pid), "%ld", (long)syscall(SYS_getpid));
    return strcmp(r.pid, pid) == 0;
}

static void check_child(pid_t child)
{
    int status;

    assert_true(child > 0);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_pid_in_children(void **state)
{
    pid_t child;
    int i;

    (void)state;
    /* Enough requests for the id to be kept. */
    for (i = 0; i < 3; i++)
        assert_true(pid_is_own());
    child = fork();
    if (child == 0)
        _exit(pid_is_own() && pid_is_own() ? 0 : 1);
    check_child(child);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
    /* _Fork() runs no atfork handlers. */
    child = _Fork();
    if (child == 0)
        _exit(pid_is_own() && pid_is_own() ? 0 : 1);
    check_child(child);
#endif
    /* A bare clone(), which glibc does not see at all. */
    child = (pid_t)syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L);
    if (child == 0)
        _exit(pid_is_own() && pid_is_own() ? 0 : 1);
    check_child(child);
    /* A grandchild, made after the child kept its own id. */
    child = fork();
    if (child == 0) {
        pid_t grandchild;
        int status;

        for (i = 0; i < 3; i++)
            if (!pid_is_own())
                _exit(1);
        grandchild = fork();
        if (grandchild == 0)
            _exit(pid_is_own() ? 0 : 1);
        if (waitpid(grandchild, &status, 0) != grandchild ||
            !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            _exit(1);
        _exit(pid_is_own() ? 0 : 1);
    }
    check_child(child);
    assert_true(pid_is_own());
}

static const char *daemon_of(const struct request_info *r)
{
    return r->daemon;
}

static const char *user_of(const struct request_info *r)
{
    return r->user;
}

static const char *client_name_of(const struct request_info *r)
{
    return r->client->name;
}

static const char *client_addr_of(const struct request_info *r)
{
    return r->client->addr;
}

static const char *server_name_of(const struct request_info *r)
{
    return r->server->name;
}

static const char *server_addr_of(const struct request_info *r)
{
    return r->server->addr;
}

/* Which field a key fills; strings are cut to STRING_LENGTH - 1. */
static const struct key_case {
    int key;
    const char *value;
    size_t len; /* a value of this many bytes instead */
    const char *(*field)(const struct request_info *r);
    size_t want_len;
} keys[] = {
    {.key = RQ_DAEMON, .value = "sshd", .field = daemon_of, .want_len = 4},
    {.key = RQ_USER, .value = "bob", .field = user_of, .want_len = 3},
    {.key = RQ_CLIENT_NAME,
     .value = "h.example",
     .field = client_name_of,
     .want_len = 9},
    {.key = RQ_CLIENT_ADDR,
     .value = "10.0.0.1",
     .field = client_addr_of,
     .want_len = 8},
    {.key = RQ_SERVER_NAME,
     .value = "s.example",
     .field = server_name_of,
     .want_len = 9},
    {.key = RQ_SERVER_ADDR,
     .value = "10.0.0.9",
     .field = server_addr_of,
     .want_len = 8},
    /* 127 bytes fit; 128 and 300 are cut to 127 (5.5). */
    {.key = RQ_DAEMON, .len = 127, .field = daemon_of, .want_len = 127},
    {.key = RQ_DAEMON, .len = 128, .field = daemon_of, .want_len = 127},
    {.key = RQ_USER, .len = 300, .field = user_of, .want_len = 127},
    {.key = RQ_CLIENT_NAME,
     .len = 1000,
     .field = client_name_of,
     .want_len = 127},
    {.key = RQ_SERVER_ADDR,
     .len = 128,
     .field = server_addr_of,
     .want_len = 127},
    /* NULL reads as "". */
    {.key = RQ_USER, .field = user_of, .want_len = 0},
};

static void test_keys(void **state)
{
    static char long_value[1001];
    size_t i;

    (void)state;
    for (i = 0; i < TL_COUNT(keys); i++) {
        const struct key_case *c = &keys[i];
        struct request_info r;
        const char *value = c->value;

        if (c->len > 0) {
            memset(long_value, 'v', c->len);
            long_value[c->len] = '\0';
            value = long_value;
        }
        request_init(&r, RQ_DAEMON, "before", 0);
        request_set(&r, c->key, value, 0);
        if (strlen(c->field(&r)) != c->want_len ||
            (value != NULL && strncmp(c->field(&r), value, c->want_len) != 0))
            fail_msg("key %d: \"%s\"", c->key, c->field(&r));
    }
}

static void test_other_keys(void **state)
{
    struct sockaddr_storage a, b;
    struct request_info r;

    (void)state;
    tl_sockaddr(&a, "10.0.0.1", 1234);
    tl_sockaddr(&b, "10.0.0.9", 22);
    request_init(&r, RQ_FILE, 7, RQ_CLIENT_SIN, &a, RQ_SERVER_SIN, &b, 0);
    assert_int_equal(r.fd, 7);
    assert_ptr_equal(r.client->sin, &a);
    assert_ptr_equal(r.server->sin, &b);
    /* An unknown key logs and stops the list: later pairs are not
     * read (5.5). */
    request_init(&r, RQ_DAEMON, "sshd", 99, "x", RQ_USER, "bob", 0);
    assert_string_equal(r.daemon, "sshd");
    assert_string_equal(r.user, "");
    tl_assert_log("3 warning: request_fill: invalid key: 99\n");
    /* request_set() updates, keeping what it does not name. */
    request_set(&r, RQ_USER, "eve", 0);
    assert_string_equal(r.user, "eve");
    assert_string_equal(r.daemon, "sshd");
    tl_assert_log("");
}

/* ---- the accessors ---- */

static void test_eval_hostname(void **state)
{
    struct request_info r;

    (void)state;
    reset_counts();
    /* No method: "unknown", and the field says so. */
    request_init(&r, 0);
    assert_string_equal(eval_hostname(r.client), "unknown");
    assert_string_equal(r.client->name, "unknown");
    /* A method: called once, when asked. */
    request_init(&r, 0);
    r.hostname = fake_hostname;
    assert_int_equal(name_calls, 0);
    assert_string_equal(eval_hostname(r.client), "looked.up");
    assert_string_equal(eval_hostname(r.client), "looked.up");
    assert_int_equal(name_calls, 1);
    /* A name given: no lookup. */
    request_init(&r, RQ_CLIENT_NAME, "given", 0);
    r.hostname = fake_hostname;
    assert_string_equal(eval_hostname(r.client), "given");
    assert_int_equal(name_calls, 1);
    /* An endpoint that does not point back at a request. */
    r.client->request = NULL;
    r.client->name[0] = '\0';
    assert_string_equal(eval_hostname(r.client), "unknown");
    assert_ptr_equal(eval_hostname(NULL), unknown);
}

static void test_eval_hostaddr_and_info(void **state)
{
    struct request_info r;

    (void)state;
    reset_counts();
    request_init(&r, 0);
    r.hostaddr = fake_hostaddr;
    r.hostname = fake_hostname;
    /* hostinfo: the address while no name was looked up, and no lookup
     * of the name for it. */
    assert_string_equal(eval_hostinfo(r.client), "192.0.2.1");
    assert_int_equal(name_calls, 0);
    assert_int_equal(addr_calls, 1);
    assert_string_equal(eval_hostaddr(r.client), "192.0.2.1");
    assert_int_equal(addr_calls, 1);
    /* Once a name is known, hostinfo is the name... */
    assert_string_equal(eval_hostname(r.client), "looked.up");
    assert_string_equal(eval_hostinfo(r.client), "looked.up");
    /* ...unless it is unknown or paranoid. */
    strcpy(r.client->name, "paranoid");
    assert_string_equal(eval_hostinfo(r.client), "192.0.2.1");
    strcpy(r.client->name, "unknown");
    assert_string_equal(eval_hostinfo(r.client), "192.0.2.1");
    /* No address method: "unknown". */
    request_init(&r, 0);
    assert_string_equal(eval_hostaddr(r.client), "unknown");
    assert_ptr_equal(eval_hostaddr(NULL), unknown);
    assert_ptr_equal(eval_hostinfo(NULL), unknown);
}

/* The ident lookup happens only for a request with both addresses and
 * no datagram sink, once (5.5). */
static const struct user_case {
    const char *name;
    bool client_sin, server_sin, sink;
    const char *user; /* given; NULL: unset */
    int calls;
    const char *want;
} users[] = {
    {.name = "both addresses",
     .client_sin = true,
     .server_sin = true,
     .calls = 1,
     .want = "bob"},
    {.name = "no client address", .server_sin = true, .want = "unknown"},
    {.name = "no server address", .client_sin = true, .want = "unknown"},
    {.name = "a datagram sink",
     .client_sin = true,
     .server_sin = true,
     .sink = true,
     .want = "unknown"},
    {.name = "a user given",
     .client_sin = true,
     .server_sin = true,
     .user = "given",
     .want = "given"},
    {.name = "no addresses", .want = "unknown"},
};

static void test_eval_user(void **state)
{
    struct sockaddr_storage a, b;
    size_t i;

    (void)state;
    tl_sockaddr(&a, "10.0.0.1", 40000);
    tl_sockaddr(&b, "10.0.0.9", 22);
    for (i = 0; i < TL_COUNT(users); i++) {
        const struct user_case *c = &users[i];
        struct request_info r;

        reset_counts();
        request_init(&r, 0);
        if (c->client_sin)
            request_set(&r, RQ_CLIENT_SIN, &a, 0);
        if (c->server_sin)
            request_set(&r, RQ_SERVER_SIN, &b, 0);
        if (c->user != NULL)
            request_set(&r, RQ_USER, c->user, 0);
        if (c->sink)
            r.sink = fake_sink;
        assert_string_equal(eval_user(&r), c->want);
        assert_string_equal(eval_user(&r), c->want);
        if (ident_calls != c->calls)
            fail_msg("%s: %d ident lookups, want %d", c->name, ident_calls,
                     c->calls);
    }
    assert_ptr_equal(eval_user(NULL), unknown);
}

static const struct client_case {
    const char *user, *name, *addr;
    const char *client; /* eval_client() */
} clients[] = {
    {.user = "bob",
     .name = "h.example",
     .addr = "10.0.0.1",
     .client = "bob@h.example"},
    {.user = "bob", .addr = "10.0.0.1", .client = "bob@10.0.0.1"},
    {.user = "unknown", .name = "h.example", .client = "h.example"},
    {.user = "UNKNOWN", .addr = "10.0.0.1", .client = "10.0.0.1"},
    /* The user is read only when set: no ident lookup for %c. */
    {.name = "h.example", .client = "h.example"},
    {.client = "unknown"},
    {.user = "bob",
     .name = "paranoid",
     .addr = "10.0.0.1",
     .client = "bob@10.0.0.1"},
};

static const struct server_case {
    const char *daemon, *name, *addr;
    const char *server; /* eval_server() */
} servers[] = {
    {.daemon = "sshd", .name = "s.example", .server = "sshd@s.example"},
    {.daemon = "sshd", .addr = "10.0.0.9", .server = "sshd@10.0.0.9"},
    {.daemon = "sshd", .server = "sshd"},
    {.daemon = "ftpd", .name = "unknown", .addr = "unknown", .server = "ftpd"},
};

static void test_eval_client_server(void **state)
{
    struct sockaddr_storage a, b;
    size_t i;

    (void)state;
    reset_counts();
    tl_sockaddr(&a, "10.0.0.1", 40000);
    tl_sockaddr(&b, "10.0.0.9", 22);
    for (i = 0; i < TL_COUNT(clients); i++) {
        const struct client_case *c = &clients[i];
        struct request_info r;

        /* With both addresses, so that an ident lookup could happen. */
        request_init(&r, RQ_CLIENT_SIN, &a, RQ_SERVER_SIN, &b, 0);
        if (c->user != NULL)
            request_set(&r, RQ_USER, c->user, 0);
        if (c->name != NULL)
            request_set(&r, RQ_CLIENT_NAME, c->name, 0);
        if (c->addr != NULL)
            request_set(&r, RQ_CLIENT_ADDR, c->addr, 0);
        if (strcmp(eval_client(&r), c->client) != 0)
            fail_msg("eval_client: \"%s\", want \"%s\"", eval_client(&r),
                     c->client);
    }
    assert_int_equal(ident_calls, 0);
    for (i = 0; i < TL_COUNT(servers); i++) {
        const struct server_case *c = &servers[i];
        struct request_info r;

        request_init(&r, RQ_DAEMON, c->daemon, 0);
        if (c->name != NULL)
            request_set(&r, RQ_SERVER_NAME, c->name, 0);
        if (c->addr != NULL)
            request_set(&r, RQ_SERVER_ADDR, c->addr, 0);
        if (strcmp(eval_server(&r), c->server) != 0)
            fail_msg("eval_server: \"%s\", want \"%s\"", eval_server(&r),
                     c->server);
    }
    assert_ptr_equal(eval_client(NULL), unknown);
    assert_ptr_equal(eval_server(NULL), unknown);
}

static void test_eval_port(void **state)
{
    struct sockaddr_storage a;

    (void)state;
    tl_sockaddr(&a, "10.0.0.1", 22);
    assert_string_equal(eval_port((struct sockaddr *)&a), "22");
    tl_sockaddr(&a, "2001:db8::1", 65535);
    assert_string_equal(eval_port((struct sockaddr *)&a), "65535");
    tl_sockaddr(&a, "10.0.0.1", 0);
    assert_string_equal(eval_port((struct sockaddr *)&a), "0");
    assert_string_equal(eval_port(NULL), "0");
}

/* The accessors' static results are per thread (compat-policy D7). */
static void *client_text(void *arg)
{
    struct request_info r;

    (void)arg;
    request_init(&r, RQ_USER, "t", RQ_CLIENT_ADDR, "10.0.0.2", 0);
    return strcmp(eval_client(&r), "t@10.0.0.2") == 0 ? eval_client(&r) : NULL;
}

static void test_per_thread(void **state)
{
    struct request_info r;
    pthread_t t;
    void *theirs;
    char *mine;

    (void)state;
    request_init(&r, RQ_USER, "m", RQ_CLIENT_ADDR, "10.0.0.1", 0);
    mine = eval_client(&r);
    assert_int_equal(pthread_create(&t, NULL, client_text, NULL), 0);
    assert_int_equal(pthread_join(t, &theirs), 0);
    assert_non_null(theirs);
    assert_ptr_not_equal(theirs, mine);
    assert_string_equal(mine, "m@10.0.0.1");
}

/* ---- failures of this process's own resources ---- */

static void test_hostname_failure(void **state)
{
    struct request_info r;
    const char *name = NULL;

    (void)state;
    reset_counts();
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    r.hostname = fake_hostname;
    name_failure = EMFILE;
    errno = 0;
    assert_int_equal(request_hostname(r.client, &name), EMFILE);
    assert_int_equal(errno, EMFILE);
    /* Not "unknown": the field is unset, and the next question asks. */
    assert_string_equal(r.client->name, "");
    tl_assert_log("3 warning: cannot look up the name of 10.0.0.1: Too "
                  "many open files\n");
    name_failure = 0;
    assert_int_equal(request_hostname(r.client, &name), 0);
    assert_string_equal(name, "looked.up");
    assert_int_equal(name_calls, 2);
    /* Known now: no more lookups. */
    assert_int_equal(request_hostname(r.client, &name), 0);
    assert_int_equal(name_calls, 2);
    tl_assert_log("");
    /* An answer ("no such name") is no failure: "unknown" stays. */
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    assert_int_equal(request_hostname(r.client, &name), 0);
    assert_string_equal(name, "unknown");
    tl_assert_log("");
}

static void test_user_failure(void **state)
{
    struct sockaddr_storage a, b;
    struct request_info r;
    const char *user = NULL;

    (void)state;
    reset_counts();
    tl_sockaddr(&a, "10.0.0.1", 40000);
    tl_sockaddr(&b, "10.0.0.9", 22);
    request_init(&r, RQ_CLIENT_SIN, &a, RQ_SERVER_SIN, &b, 0);
    ident_failure = ENOMEM;
    assert_int_equal(request_user(&r, &user), ENOMEM);
    assert_string_equal(r.user, "");
    /* rfc931() logs its own failures; request_user() adds nothing. */
    tl_assert_log("");
    ident_failure = 0;
    assert_int_equal(request_user(&r, &user), 0);
    assert_string_equal(user, "bob");
    assert_int_equal(ident_calls, 2);
}

/* A failure reported for another field, or left over from before, is
 * not this lookup's. */
static void test_stale_failure(void **state)
{
    struct request_info r, other;
    const char *name;

    (void)state;
    reset_counts();
    request_init(&other, 0);
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    r.hostname = fake_hostname;
    request_lookup_failed(other.client->name, EMFILE);
    assert_int_equal(request_hostname(r.client, &name), 0);
    assert_string_equal(name, "looked.up");
    request_lookup_failed(r.user, ENOMEM);
    request_init(&r, RQ_CLIENT_ADDR, "10.0.0.1", 0);
    r.hostname = fake_hostname;
    assert_int_equal(request_hostname(r.client, &name), 0);
    tl_assert_log("");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_pid_in_children),
        cmocka_unit_test(test_keys),
        cmocka_unit_test_setup_teardown(test_other_keys, tl_setup,
                                        tl_teardown),
        cmocka_unit_test(test_eval_hostname),
        cmocka_unit_test(test_eval_hostaddr_and_info),
        cmocka_unit_test(test_eval_user),
        cmocka_unit_test(test_eval_client_server),
        cmocka_unit_test(test_eval_port),
        cmocka_unit_test(test_per_thread),
        cmocka_unit_test_setup_teardown(test_hostname_failure, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_user_failure, tl_setup,
                                        tl_teardown),
        cmocka_unit_test_setup_teardown(test_stale_failure, tl_setup,
                                        tl_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
