/*
 * clockahead.c - the real-time clock run ahead (see clockahead.h).
 */
#include "clockahead.h"

static time_t ahead;

void clock_run_ahead(time_t seconds)
{
    ahead = seconds;
}

int __real_clock_gettime(clockid_t id, struct timespec *ts);
int __wrap_clock_gettime(clockid_t id, struct timespec *ts);

int __wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
    int rc = __real_clock_gettime(id, ts);

    if (rc == 0 && id == CLOCK_REALTIME)
        ts->tv_sec += ahead;
    return rc;
}
