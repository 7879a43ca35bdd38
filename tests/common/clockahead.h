/*
 * clockahead.h - the library's real-time clock run ahead, for the test
 * programs that write tables and then want the library to take them for
 * old: a file written a moment ago is racy, never compiled for good nor
 * stored (cache.h), until the clock has moved on.
 *
 * Link the program with clockahead (tests/common/CMakeLists.txt) and
 * with -Wl,--wrap=clock_gettime: every clock_gettime(CLOCK_REALTIME) of
 * the program, the library's included, then reads the real time plus
 * the seconds set here.  Other clocks are left alone.
 */
#ifndef CLOCKAHEAD_H
#define CLOCKAHEAD_H

#include <time.h>

/* Makes CLOCK_REALTIME run seconds ahead (0: the real time). */
void clock_run_ahead(time_t seconds);

#endif
