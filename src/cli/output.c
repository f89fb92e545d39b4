/* output.c: what the one-shot modes write to stdout — replies (plain,
 * coloured or raw), player names, status fields — and the --raw guard.
 *
 * Server text never reaches a terminal raw (DESIGN.md section 3): plain and
 * coloured replies, names and reasons all go through the library's one
 * sanitiser (rc_text_sanitize / rc_mc_to_ansi, rules in src/lib/text.c), the
 * same the console draws through.  Only --raw writes the bytes as they came,
 * and only into a pipe or a file unless the user said --raw=force. */
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"
#include "rconsole/rconsole.h"

/* Returns a malloc'd terminal-safe copy of s (no control kept); NULL on ENOMEM. */
char *cli_out_field(const char *s)
{
	return rc_text_sanitize(s, strlen(s), "", NULL);
}

/* Returns the body made safe the way mode asks (malloc'd), *n its length. */
static char *out_body(const char *body, size_t len, enum cli_out_mode mode, size_t *n)
{
	if (mode == CLI_OUT_RAW) {
		char *copy = malloc(len + 1);
		if (copy) {
			memcpy(copy, body, len);
			copy[len] = '\0';
			*n = len;
		}
		return copy;
	}
	if (mode == CLI_OUT_COLOR)
		return rc_mc_to_ansi(body, len, n);
	char *plain = malloc(len + 1);
	if (!plain)
		return NULL;
	size_t m = rc_mc_strip(body, len, plain);
	char *text = rc_text_sanitize(plain, m, "\n\t", n);
	free(plain);
	return text;
}

/* Formats one reply for stdout (see output.h). */
char *cli_out_reply(const char *body, size_t len, const char *name, enum cli_out_mode mode,
    size_t *out_len)
{
	size_t n = 0;
	char *text = out_body(body, len, mode, &n);
	if (!text)
		return NULL;
	if (n && text[n - 1] == '\n')
		n--;
	char *label = name ? cli_out_field(name) : NULL;
	if (name && !label) {
		free(text);
		return NULL;
	}
	size_t lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	size_t plen = label ? strlen(label) + 3 : 0;   /* "[" name "] " */
	if (plen && lines > (SIZE_MAX - n - 1) / plen) {
		free(text);
		free(label);
		return NULL;
	}
	char *out = malloc(n + 1 + lines * plen + 1);
	size_t o = 0, start = 0;
	if (out) {
		for (size_t i = 0; i <= n; i++) {
			if (i < n && text[i] != '\n')
				continue;
			if (label) {
				out[o++] = '[';
				memcpy(out + o, label, plen - 3);
				o += plen - 3;
				out[o++] = ']';
				out[o++] = ' ';
			}
			memcpy(out + o, text + start, i - start);
			o += i - start;
			out[o++] = '\n';
			start = i + 1;
		}
		out[o] = '\0';
		*out_len = o;
	}
	free(text);
	free(label);
	return out;
}

/* Tells why --raw may not write to this stdout (see output.h). */
const char *cli_out_raw_refusal(bool raw, bool force, bool quiet, bool stdout_tty)
{
	if (!raw || force || quiet || !stdout_tty)
		return NULL;
	return "--raw writes bytes that a terminal would execute; pipe it or use --raw=force";
}
