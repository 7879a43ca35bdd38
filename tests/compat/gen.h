/*
 * gen.h - the seeded random generator of differential test scripts.
 *
 * gen_script() writes a probe script (see probe.c) with random tables and
 * requests drawn to hit and to miss them.  The same seed always gives the
 * same script.  With sock, requests come from real loopback connections
 * whose names are those of tests/compat/ns/hosts (run it in the namespace).
 */
#ifndef COMPAT_GEN_H
#define COMPAT_GEN_H

#include <stdbool.h>

struct gen_stats {
    unsigned long requests;
};

/* Returns a malloc'ed script of the given number of cases. */
char *gen_script(unsigned long seed, unsigned long cases, bool sock,
                 struct gen_stats *st);

#endif
