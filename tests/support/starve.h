/* starve.h: allocations that fail for real, for a test binary linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc and tests/support/starve.c
 * among its sources (not in libtestsupport: a binary without the wrap
 * flags has no __real_malloc).  Every call the libraries linked in
 * statically and the test itself make goes through the wrappers; calls made
 * inside the C library (strdup, getaddrinfo) and by Criterion do not. */
#ifndef RCONSOLE_TEST_STARVE_H
#define RCONSOLE_TEST_STARVE_H

#include <stdbool.h>
#include <stddef.h>

extern bool starve;              /* every wrapped allocation fails */
extern size_t starve_size;       /* non-zero: a malloc of exactly this many bytes fails */
extern unsigned starve_refused;  /* allocations refused so far */

#endif
