/*
 * test_resource.c - this process's own resource failures (resource.h).
 *
 * resource.h promises: exactly EMFILE, ENFILE and ENOMEM mean that this
 * process ran out of descriptors or memory; a resolver result is a
 * resource failure when it says so (EAI_MEMORY, EAI_SYSTEM with such an
 * errno) or when, after a failure that does not say why, no descriptor
 * can be had; the probe tells that without permission or memory.  Rows
 * run with descriptors to spare and with none left (RLIMIT_NOFILE, in
 * this process, put back after).
 */
#include "testlib.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <sys/resource.h>
#include <unistd.h>

#include "resource.h"

/* Every errno value: only three are this process's own failures. */
static void test_errno(void **state)
{
    int err;

    (void)state;
    for (err = 0; err < 4096; err++)
        if (resource_errno(err) !=
            (err == EMFILE || err == ENFILE || err == ENOMEM))
            fail_msg("resource_errno(%d) wrong", err);
}

static const struct gai_case {
    const char *name;
    int rc, err;  /* the resolver's result and the errno it left */
    int want;     /* with descriptors to spare */
    int want_out; /* with no descriptor left */
} gais[] = {
    {.name = "success", .rc = 0, .err = EMFILE},
    {.name = "out of memory",
     .rc = EAI_MEMORY,
     .want = ENOMEM,
     .want_out = ENOMEM},
    {.name = "system error EMFILE",
     .rc = EAI_SYSTEM,
     .err = EMFILE,
     .want = EMFILE,
     .want_out = EMFILE},
    {.name = "system error ENFILE",
     .rc = EAI_SYSTEM,
     .err = ENFILE,
     .want = ENFILE,
     .want_out = ENFILE},
    {.name = "system error ENOMEM",
     .rc = EAI_SYSTEM,
     .err = ENOMEM,
     .want = ENOMEM,
     .want_out = ENOMEM},
    {.name = "system error EACCES",
     .rc = EAI_SYSTEM,
     .err = EACCES,
     .want_out = EMFILE},
    /* glibc's EAI_AGAIN with errno 0 when it could not open a socket. */
    {.name = "try again, errno 0", .rc = EAI_AGAIN, .want_out = EMFILE},
    /* An answer given while no descriptor can be had is not trusted:
     * the resolver may not have been able to ask. */
    {.name = "no such name", .rc = EAI_NONAME, .want_out = EMFILE},
    {.name = "no answer", .rc = EAI_FAIL, .want_out = EMFILE},
    {.name = "no such family", .rc = EAI_FAMILY, .want_out = EMFILE},
};

static void test_gai_and_probe(void **state)
{
    int n, out, failures = 0;
    size_t i;

    (void)state;
    assert_int_equal(resource_probe(), 0);
    for (out = 0; out < 2; out++) {
        if (out)
            tl_fds_exhaust();
        for (i = 0; i < TL_COUNT(gais); i++) {
            const struct gai_case *c = &gais[i];
            int got;

            errno = c->err;
            got = resource_gai_failure(c->rc);
            if (got != (out ? c->want_out : c->want)) {
                print_error("%s%s: %d\n", c->name,
                            out ? ", no descriptor left" : "", got);
                failures++;
            }
        }
        if (out) {
            int probe = resource_probe();
            tl_fds_back();
            assert_int_equal(probe, EMFILE);
        }
    }
    /* The probe leaves no descriptor behind. */
    n = tl_count_fds();
    assert_int_equal(resource_probe(), 0);
    assert_int_equal(tl_count_fds(), n);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errno),
        cmocka_unit_test(test_gai_and_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
