/* fuzz-output.c: libFuzzer target for the one-shot CLI's output paths
 * (src/cli/output.c): replies plain and coloured, with and without the
 * "[name] " prefix, and the fields --players and --status print.  Oracle:
 * what leaves is valid UTF-8 with no C0 control but \n and \t, no DEL, no C1,
 * no ESC except our own "ESC [ 0 ... m" colour sequences (only in colour
 * mode), and no bidi control or zero-width character; a reply ends in
 * exactly one newline and every line carries the prefix; --raw is never
 * allowed onto a terminal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "rconsole/mc.h"

/* Aborts unless s[len] may reach a terminal (colour sequences only when sgr). */
static void fuzz_check_safe(const char *s, size_t len, int sgr, int newlines)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = rc_text_decode(s + i, len - i, &cp);
		if (cp == RC_TEXT_BAD || n == 0)
			abort();
		if (cp == 0x1b) {
			if (!sgr || i + 3 > len || memcmp(s + i, "\033[0", 3) != 0)
				abort();
			for (i += 3; i < len && s[i] != 'm'; i++)
				if (!(s[i] == ';' || (s[i] >= '0' && s[i] <= '9')))
					abort();
			if (i == len)
				abort();
			i++;
			continue;
		}
		if (cp < 0x20 && !(newlines && (cp == '\n' || cp == '\t')))
			abort();
		if (cp >= 0x7f && cp <= 0x9f)
			abort();
		if ((cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
		    (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || cp == 0x061c ||
		    cp == 0xfe0e || cp == 0xfe0f || (cp >= 0xe0000 && cp <= 0xe007f))
			abort();
		i += n;
	}
}

/* Aborts unless every line of out[len] starts with "[" and out ends in \n. */
static void fuzz_check_lines(const char *out, size_t len, int prefixed)
{
	if (len == 0 || out[len - 1] != '\n')
		abort();
	for (size_t i = 0; i < len; i++)
		if (prefixed && (i == 0 || out[i - 1] == '\n') && out[i] != '[')
			abort();
}

/* libFuzzer entry point: byte 0 picks the mode and the prefix, then a name
 * up to the first NUL, then the reply body. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int color = data[0] & 1, prefixed = data[0] & 2;
	const char *rest = (const char *)data + 1;
	size_t rlen = size - 1;
	const char *nul = memchr(rest, 0, rlen);
	size_t nlen = nul ? (size_t)(nul - rest) : 0;
	char *name = malloc(nlen + 1);
	if (!name)
		abort();
	memcpy(name, rest, nlen);
	name[nlen] = '\0';
	const char *body = nul ? nul + 1 : rest;
	size_t blen = rlen - (size_t)(body - rest);

	size_t n = 0;
	char *out = cli_out_reply(body, blen, prefixed ? name : NULL,
	    color ? CLI_OUT_COLOR : CLI_OUT_PLAIN, &n);
	if (!out || strlen(out) > n)
		abort();
	fuzz_check_safe(out, n, color, 1);
	fuzz_check_lines(out, n, prefixed);
	free(out);

	/* The body as a player name or a --status reason: no control at all. */
	char *body_z = malloc(blen + 1);
	if (!body_z)
		abort();
	memcpy(body_z, body, blen);
	body_z[blen] = '\0';
	char *field = cli_out_field(body_z);
	if (!field)
		abort();
	fuzz_check_safe(field, strlen(field), 0, 0);
	free(field);
	free(body_z);
	free(name);

	if (!cli_out_raw_refusal(1, 0, 0, 1) || cli_out_raw_refusal(1, 0, 0, 0) ||
	    cli_out_raw_refusal(1, 1, 0, 1))
		abort();
	return 0;
}
