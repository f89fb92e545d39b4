/* fuzz-stdin.c: libFuzzer target for the `-c -` command reader
 * (src/cli/cmdsource.c) fed arbitrary bytes in arbitrary chunks, read by two
 * consumers at different paces.  Oracle: the commands that come out, their
 * line numbers and the refused line numbers equal what a plain model of the
 * rules computes over the whole input at once; the window never holds more
 * than CMDSOURCE_WINDOW commands; nothing is lost or produced twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmdsource.h"

#define FUZZ_MAX_OUT 4096

struct expect {
	char *text[FUZZ_MAX_OUT];
	size_t line[FUZZ_MAX_OUT];
	size_t n;
	size_t refused[FUZZ_MAX_OUT];
	size_t n_refused;
};

static struct expect want, got;

/* Records a refusal the reader reports. */
static void on_refuse(void *arg, size_t line, const char *why)
{
	struct expect *e = arg;
	if (!why || !*why)
		abort();
	if (e->n_refused < FUZZ_MAX_OUT)
		e->refused[e->n_refused++] = line;
}

/* Returns true for the whitespace the reader trims. */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Adds a command to e (a copy). */
static void add(struct expect *e, const char *s, size_t len, size_t line)
{
	if (e->n >= FUZZ_MAX_OUT)
		return;
	char *c = malloc(len + 1);
	if (!c)
		abort();
	memcpy(c, s, len);
	c[len] = '\0';
	e->text[e->n] = c;
	e->line[e->n++] = line;
}

/* The model: the rules of cmdsource.h applied to one whole stdin line. */
static void model_line(const char *s, size_t len, size_t line, size_t max, int raw)
{
	size_t a = 0, b = len;
	if (raw) {
		if (b && s[b - 1] == '\r')
			b--;
	} else {
		while (a < b && is_space(s[a]))
			a++;
		while (b > a && is_space(s[b - 1]))
			b--;
		if (a < b && s[a] == '#')
			return;
	}
	int slash = !raw && a < b && s[a] == '/';   /* one leading '/' is dropped */
	a += slash;
	if (b - a > max || (b == a && slash)) {     /* '/' alone is refused */
		if (want.n_refused < FUZZ_MAX_OUT)
			want.refused[want.n_refused++] = line;
		return;
	}
	if (b == a)
		return;
	char tmp[256];
	memcpy(tmp, s + a, b - a);
	for (size_t i = 0; i < b - a; i++)
		if (tmp[i] == '\0')
			tmp[i] = '\n';
	add(&want, tmp, b - a, line);
}

/* Takes every command a consumer at *seq can have, up to limit. */
static void consume(cmdsource *cs, uint64_t *seq, size_t limit, int record)
{
	const char *text;
	size_t line;
	while (limit-- && cmdsource_get(cs, *seq, &text, &line) == CMDSOURCE_OK) {
		if (record)
			add(&got, text, strlen(text), line);
		(*seq)++;
	}
}

/* Releases what both consumers are past. */
static void release(cmdsource *cs, uint64_t a, uint64_t b)
{
	cmdsource_release(cs, a < b ? a : b);
	if (cmdsource_count(cs) - (a < b ? a : b) > CMDSOURCE_WINDOW)
		abort();
}

/* Frees the commands an expectation holds. */
static void clear(struct expect *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->text[i]);
	e->n = e->n_refused = 0;
}

/* libFuzzer entry point: byte 0 picks raw input and the line limit, byte 1
 * the -c layout, byte 2 the chunk sizes; the rest is stdin. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const layouts[][4] = {
		{ "-", NULL }, { "first", "-", "last", NULL }, { "-", "-", "x", NULL },
		{ "a", "b", NULL },
	};
	if (size < 3)
		return 0;
	int raw = data[0] & 1;
	size_t max = 1 + (data[0] >> 1) % 40;
	const char *const *items = layouts[data[1] % 4];
	size_t n_items = 0;
	while (items[n_items])
		n_items++;
	size_t chunk = 1 + data[2] % 17;
	const char *in = (const char *)data + 3;
	size_t len = size - 3;

	/* The expected commands: the -c values around the model's stdin lines. */
	int stdin_done = 0;
	for (size_t i = 0; i < n_items; i++)
		if (!strcmp(items[i], "-"))
			stdin_done = -1;
	if (stdin_done == 0)
		len = 0;            /* no "-": stdin is never read */
	stdin_done = 0;
	for (size_t i = 0; i < n_items; i++) {
		if (strcmp(items[i], "-")) {
			add(&want, items[i], strlen(items[i]), 0);   /* no '/' to drop */
		} else if (!stdin_done) {
			size_t start = 0, line = 1;
			for (size_t j = 0; j <= len; j++) {
				if (j == len && j == start)
					break;
				if (j == len || in[j] == '\n') {
					model_line(in + start, j - start, line++, max, raw);
					start = j + 1;
				}
			}
			stdin_done = 1;
		}
	}

	cmdsource *cs = cmdsource_new(items, n_items, max, raw ? CMDSOURCE_RAW_INPUT : 0,
	    on_refuse, &got);
	if (!cs)
		abort();
	uint64_t fast = 0, slow = 0;
	size_t off = 0;
	int stalls = 0;
	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;
		size_t took = cmdsource_feed(cs, in + off, n);
		if (took > n)
			abort();
		off += took;
		consume(cs, &fast, SIZE_MAX, 1);
		consume(cs, &slow, 1 + (off % 3), 0);
		release(cs, fast, slow);
		if (took > 0) {
			stalls = 0;
			continue;
		}
		/* Full window: once the slow reader catches up it must take more. */
		if (++stalls > 1)
			abort();
		consume(cs, &slow, SIZE_MAX, 0);
		release(cs, fast, slow);
	}
	cmdsource_end(cs);
	for (;;) {
		consume(cs, &fast, SIZE_MAX, 1);
		consume(cs, &slow, SIZE_MAX, 0);
		release(cs, fast, slow);
		if (cmdsource_get(cs, fast, NULL, NULL) == CMDSOURCE_END &&
		    cmdsource_get(cs, slow, NULL, NULL) == CMDSOURCE_END)
			break;
		if (cmdsource_get(cs, fast, NULL, NULL) == CMDSOURCE_WAIT &&
		    cmdsource_get(cs, slow, NULL, NULL) == CMDSOURCE_WAIT)
			abort();        /* stdin is over: nothing may still be awaited */
	}
	if (!cmdsource_complete(cs) || cmdsource_count(cs) != fast || fast != slow)
		abort();
	if (got.n != want.n || got.n_refused != want.n_refused)
		abort();
	for (size_t i = 0; i < got.n; i++)
		if (strcmp(got.text[i], want.text[i]) || got.line[i] != want.line[i])
			abort();
	for (size_t i = 0; i < got.n_refused; i++)
		if (got.refused[i] != want.refused[i])
			abort();
	cmdsource_free(cs);
	clear(&got);
	clear(&want);
	return 0;
}
