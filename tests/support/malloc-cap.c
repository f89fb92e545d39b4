/* malloc-cap.c: a memory ceiling for one allocation, for a test build of a
 * real program (tests/integration/rconsole-malloc-cap, rconsole linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc).
 *
 * With RCONSOLE_TEST_MALLOC_CAP=N in the environment, every wrapped
 * malloc, calloc or realloc asking for more than N bytes fails (NULL, as a
 * machine out of memory answers); the smaller ones go through.  So a test
 * makes exactly the big allocations fail - a reply too big to hold - and
 * nothing else.  Calls made inside the C library are not wrapped.  Without
 * the variable nothing is refused. */
#include <stdlib.h>
#include "wrap-alloc.h"

/* Returns the ceiling in bytes, 0 for none (read once: getenv allocates
 * nothing). */
static size_t cap_bytes(void)
{
	static int known;
	static size_t cap;
	if (!known) {
		const char *v = getenv("RCONSOLE_TEST_MALLOC_CAP");
		cap = v ? (size_t)strtoull(v, NULL, 10) : 0;
		known = 1;
	}
	return cap;
}

/* Tells whether a request of n bytes is over the ceiling. */
static int cap_refuses(size_t n)
{
	size_t cap = cap_bytes();
	return cap && n > cap;
}

/* malloc, failing above the ceiling. */
void *__wrap_malloc(size_t n)
{
	return cap_refuses(n) ? NULL : __real_malloc(n);
}

/* calloc, failing above the ceiling (overflow included). */
void *__wrap_calloc(size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size)
		return NULL;
	return cap_refuses(n * size) ? NULL : __real_calloc(n, size);
}

/* realloc, failing above the ceiling (the old block is kept, as on ENOMEM). */
void *__wrap_realloc(void *p, size_t n)
{
	return cap_refuses(n) ? NULL : __real_realloc(p, n);
}
