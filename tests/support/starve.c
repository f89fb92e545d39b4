/* starve.c: the malloc, calloc and realloc wrappers of starve.h. */
#include "starve.h"
#include "wrap-alloc.h"

bool starve;
size_t starve_size;
unsigned starve_refused;

/* Tells whether an allocation of n bytes (a malloc when sized) is refused,
 * counting it. */
static bool starve_refuses(size_t n, bool sized)
{
	if (!starve && !(sized && starve_size && n == starve_size))
		return false;
	starve_refused++;
	return true;
}

/* malloc, failing while starving (or for the size starve_size names). */
void *__wrap_malloc(size_t n)
{
	return starve_refuses(n, true) ? NULL : __real_malloc(n);
}

/* calloc, failing while starving. */
void *__wrap_calloc(size_t n, size_t size)
{
	return starve_refuses(n, false) ? NULL : __real_calloc(n, size);
}

/* realloc, failing while starving. */
void *__wrap_realloc(void *p, size_t n)
{
	return starve_refuses(n, false) ? NULL : __real_realloc(p, n);
}
