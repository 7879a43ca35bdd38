/*
 * test_globals.c - the exported data objects (globals.c).
 *
 * Their names, types and initial values are Debian's (behaviour page
 * 5.2): programs read and set them directly.  This test runs before
 * anything changes them.
 */
#include "testlib.h"

#include <string.h>
#include <syslog.h>

#include "exports.h"

static void test_initial_values(void **state)
{
    (void)state;
    assert_string_equal(hosts_allow_table, "/etc/hosts.allow");
    assert_string_equal(hosts_deny_table, "/etc/hosts.deny");
    assert_int_equal(hosts_access_verbose, 0);
    assert_int_equal(resident, -1);
    assert_int_equal(dry_run, 0);
    assert_int_equal(rfc931_timeout, 10);
    assert_int_equal(allow_severity, LOG_INFO);
    assert_int_equal(deny_severity, LOG_WARNING);
    assert_null(tcpd_context.file);
    assert_int_equal(tcpd_context.line, 0);
}

/* The words the library puts in request fields; their sizes are the
 * ABI test's (tests/compat/abi). */
static void test_words(void **state)
{
    (void)state;
    assert_string_equal(unknown, "unknown");
    assert_string_equal(paranoid, "paranoid");
    /* The library's own "unknown" is this one. */
    assert_ptr_equal(eval_hostname(NULL), unknown);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial_values),
        cmocka_unit_test(test_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
