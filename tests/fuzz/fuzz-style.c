/* fuzz-style.c: libFuzzer target for the § code parser: rc_mc_style,
 * rc_mc_strip and rc_mc_to_ansi. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

/* Checks that s[len] is what a terminal may receive from rc_mc_to_ansi:
 * valid UTF-8, no control but \n and \t, and ESC only to open one of our
 * own "ESC [ 0 ... m" sequences made of digits and ';'. */
static void fuzz_check_ansi(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = rc_text_decode(s + i, len - i, &cp);
		if (cp == RC_TEXT_BAD)
			abort();
		if (cp == 0x1b) {
			if (i + 3 > len || memcmp(s + i, "\033[0", 3) != 0)
				abort();
			for (i += 3; i < len && s[i] != 'm'; i++)
				if (!(s[i] == ';' || (s[i] >= '0' && s[i] <= '9')))
					abort();
			if (i == len)
				abort();
			i++;
			continue;
		}
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp <= 0x9f))
			abort();
		i += n;
	}
}

/* libFuzzer entry point: the input is server text with § codes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	rc_mc_styled st;
	char *plain = malloc(size + 1), *ansi;
	size_t n, off = 0, alen = 0;

	if (plain == NULL)
		return 0;
	if (rc_mc_style(in, size, &st) != 0)
		abort();
	n = rc_mc_strip(in, size, plain);
	if (n != st.len || n > size || memcmp(plain, st.text, n) != 0 || st.text[n] != '\0')
		abort();
	for (size_t i = 0; i < st.n_runs; i++) {
		if (st.runs[i].off != off || st.runs[i].len == 0)
			abort();
		if (st.runs[i].color > 15 && st.runs[i].color != RC_MC_COLOR_DEFAULT)
			abort();
		if (i && st.runs[i].color == st.runs[i - 1].color &&
		    st.runs[i].attrs == st.runs[i - 1].attrs)
			abort();
		off += st.runs[i].len;
	}
	if (off != st.len)
		abort();
	ansi = rc_mc_to_ansi(in, size, &alen);
	if (ansi == NULL || strlen(ansi) != alen)
		abort();
	fuzz_check_ansi(ansi, alen);
	free(ansi);
	rc_mc_styled_clear(&st);
	free(plain);
	return 0;
}
