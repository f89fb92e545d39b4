/* pattern.c: the expected bytes of mcsim's `sim pattern <N>` (pattern.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

/* Writes record k (10 bytes, no NUL) to rec. */
static void pattern_record(size_t k, char rec[10])
{
	char tmp[32];
	snprintf(tmp, sizeof tmp, "%09zu\n", k * 10);
	memcpy(rec, tmp, 10);
}

/* Returns the n-byte reply, malloc'd. */
char *pattern_make(size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	char rec[10];
	for (size_t o = 0; o < n; o += 10) {
		pattern_record(o / 10, rec);
		memcpy(p + o, rec, n - o < 10 ? n - o : 10);
	}
	p[n] = '\0';
	return p;
}

/* Returns -1 or the first offset where got differs from the n-byte reply. */
long pattern_diff(const char *got, size_t len, size_t n)
{
	char rec[10];
	size_t common = len < n ? len : n;
	for (size_t o = 0; o < common; o += 10) {
		pattern_record(o / 10, rec);
		size_t k = common - o < 10 ? common - o : 10;
		for (size_t i = 0; i < k; i++)
			if (got[o + i] != rec[i])
				return (long)(o + i);
	}
	return len == n ? -1 : (long)common;
}

/* Same with the newline the one-shot CLI adds unless the reply has one. */
long pattern_diff_printed(const char *got, size_t len, size_t n)
{
	if (n > 0 && n % 10 == 0)
		return pattern_diff(got, len, n);
	long at = pattern_diff(got, len ? len - 1 : 0, n);
	if (at >= 0)
		return at;
	return got[n] == '\n' ? -1 : (long)n;
}
