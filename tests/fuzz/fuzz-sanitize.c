/* fuzz-sanitize.c: libFuzzer target for rc_text_sanitize, rc_text_decode and
 * rc_text_width. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

/* Checks that s[len] is valid UTF-8 holding no control outside keep. */
static void fuzz_check(const char *s, size_t len, const char *keep)
{
	size_t i = 0;

	if (strlen(s) != len)
		abort();
	while (i < len) {
		uint32_t cp;
		size_t n = rc_text_decode(s + i, len - i, &cp);
		if (n == 0 || cp == RC_TEXT_BAD || cp == 0x1b)
			abort();
		if (cp < 0x20 && (keep == NULL || strchr(keep, (int)cp) == NULL))
			abort();
		if (cp >= 0x7f && cp <= 0x9f)
			abort();
		i += n;
	}
}

/* libFuzzer entry point: the input is any reply text. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keeps[] = { "\n\t", NULL, "\x1b\r" };
	const char *in = (const char *)data;

	for (size_t k = 0; k < sizeof keeps / sizeof keeps[0]; k++) {
		size_t n = 0, n2 = 0;
		char *out = rc_text_sanitize(in, size, keeps[k], &n);
		char *again;
		if (out == NULL)
			abort();
		fuzz_check(out, n, keeps[k] && keeps[k][0] == 0x1b ? "\r" : keeps[k]);
		if (n > size * 3 || rc_text_width(out, n) < 0)
			abort();
		/* A sanitised string is a fixed point. */
		again = rc_text_sanitize(out, n, keeps[k], &n2);
		if (again == NULL || n2 != n || memcmp(again, out, n) != 0)
			abort();
		free(again);
		free(out);
	}
	if (rc_text_width(in, size) < 0)
		abort();
	return 0;
}
