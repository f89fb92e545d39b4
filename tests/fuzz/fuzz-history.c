/* fuzz-history.c: libFuzzer target for the history loader.  The input is
 * written to a file and loaded; the oracle, written here independently,
 * says which entries must come back: the file's lines, cut at a NUL, empty
 * ones skipped, the newest cap kept.  Every loaded entry is non-empty and
 * holds no newline or NUL, and a save followed by a load gives back exactly
 * the same entries.  Byte 0 picks the cap (1-64, low six bits) and whether
 * to do the round trip (bit 7: saves fsync, so not every run pays for one). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/history.h"

static char dir[64];
static char path[128];

/* Makes the private directory once; removed by the atexit handler. */
static void cleanup(void)
{
	unlink(path);
	char h[160];
	snprintf(h, sizeof h, "%s/h2", dir);
	unlink(h);
	rmdir(dir);
}

/* Writes data[0..n) to path; returns 0 or -1. */
static int put(const uint8_t *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t w = fwrite(data, 1, n, f);
	return fclose(f) == 0 && w == n ? 0 : -1;
}

/* libFuzzer entry point. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/rconsole-fuzz-hist-XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof path, "%s/h", dir);
		atexit(cleanup);
	}
	if (size < 1)
		return 0;
	size_t cap = (size_t)(data[0] % 64) + 1;
	const uint8_t *text = data + 1;
	size_t len = size - 1;
	if (put(text, len) < 0)
		abort();
	app_history *h = app_history_load(path, cap);
	if (!h || app_history_problem(h))
		abort();

	/* The oracle: every line, NUL-cut, non-empty, the newest cap of them. */
	size_t n_lines = 0;
	for (size_t i = 0; i < len;) {
		const uint8_t *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const uint8_t *z = memchr(text + i, '\0', end - i);
		size_t n = z ? (size_t)(z - (text + i)) : end - i;
		n_lines += n > 0;
		i = end + 1;
	}
	size_t want = n_lines < cap ? n_lines : cap;
	if (app_history_count(h) != want)
		abort();
	size_t skip = n_lines - want, k = 0, idx = 0;
	for (size_t i = 0; i < len;) {
		const uint8_t *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		const uint8_t *z = memchr(text + i, '\0', end - i);
		size_t n = z ? (size_t)(z - (text + i)) : end - i;
		if (n > 0 && k++ >= skip) {
			const char *e = app_history_get(h, idx++);
			if (!e || strlen(e) != n || memcmp(e, text + i, n) != 0)
				abort();
		}
		i = end + 1;
	}
	for (size_t i = 0; i < want; i++) {
		const char *e = app_history_get(h, i);
		if (!*e || strchr(e, '\n'))
			abort();
	}
	if (app_history_get(h, want))
		abort();

	if (!(data[0] & 0x80)) {
		app_history_free(h);
		return 0;
	}
	/* Round trip through a save. */
	char p2[160];
	snprintf(p2, sizeof p2, "%s/h2", dir);
	unlink(p2);
	app_history *h2 = app_history_load(p2, cap);
	for (size_t i = 0; i < app_history_count(h); i++)
		app_history_add(h2, app_history_get(h, i));
	if (app_history_save(h2) != 0)
		abort();
	app_history *h3 = app_history_load(p2, cap);
	if (!h3 || app_history_problem(h3) || app_history_count(h3) != app_history_count(h2))
		abort();
	for (size_t i = 0; i < app_history_count(h3); i++)
		if (strcmp(app_history_get(h2, i), app_history_get(h3, i)) != 0)
			abort();
	app_history_free(h3);
	app_history_free(h2);
	app_history_free(h);   /* unchanged: not saved */
	return 0;
}
