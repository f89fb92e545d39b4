/* test-cli-output.c: a reply written as its fragments arrive
 * (cli_out_stream, src/cli/output.c) is byte for byte what the whole reply
 * gives (cli_out_reply) in every mode, with and without the [name] label,
 * however the fragments cut it: inside a UTF-8 character, inside a § code
 * or a §x colour, between an emoji and its joiner, at newlines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/output.h"

static const char *const bodies[] = {
	"",
	"\n",
	"There are 0 of a max of 20 players online: \n",
	"line one\nline two\n\nline four",
	"caf\xc3\xa9 \xe6\xbc\xa2\xe5\xad\x97 \xf0\x9f\x98\x80 end\n",
	"\xc2\xa7" "cred \xc2\xa7lbold\xc2\xa7r plain \xc2\xa7" "9blue\nstill blue\xc2\xa7r",
	"\xc2\xa7x\xc2\xa7" "1\xc2\xa7" "2\xc2\xa7" "3\xc2\xa7" "4\xc2\xa7" "5\xc2\xa7" "6hex text",
	"trailing code \xc2\xa7" "c",
	"lone \xc2\xa7",
	"\xf0\x9f\x8f\xb3\xef\xb8\x8f\xe2\x80\x8d\xf0\x9f\x8c\x88 flag\n",
	"bad \xff\xfe bytes \x1b[31m esc \x07 bel \xc2\x9b csi\r\n",
	"\xc2\xa7" "atext\n\xc2\xa7" "b\n\xc2\xa7" "r\n",
	"cut\xe6\xbc",
};

static const enum cli_out_mode modes[] = { CLI_OUT_PLAIN, CLI_OUT_COLOR, CLI_OUT_RAW };

/* Returns the streamed output of body cut every step bytes from first on. */
static char *streamed(const char *body, size_t len, const char *name, enum cli_out_mode mode,
    size_t first, size_t step, size_t *n)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, n);
	cr_assert_not_null(f);
	cli_out_stream s;
	cr_assert_eq(cli_out_stream_begin(&s, f, name, mode), 0);
	size_t at = 0, cut = first;
	while (at < len) {
		size_t k = cut < len - at ? cut : len - at;
		cli_out_stream_feed(&s, body + at, k);
		at += k;
		cut = step;
	}
	cli_out_stream_end(&s);
	fclose(f);
	return buf;
}

/* Checks one body in one mode against the whole-reply formatting. */
static void check(const char *body, enum cli_out_mode mode, const char *name)
{
	size_t len = strlen(body), want_n;
	char *want = cli_out_reply(body, len, name, mode, &want_n);
	cr_assert_not_null(want);
	for (size_t first = 1; first <= len + 1; first++)
		for (size_t step = 1; step <= 8; step++) {
			size_t n;
			char *got = streamed(body, len, name, mode, first, step, &n);
			cr_assert(n == want_n && memcmp(got, want, n) == 0,
			    "mode %d name %s first %zu step %zu: body '%s'\nwant '%s'\ngot  '%s'",
			    (int)mode, name ? name : "-", first, step, body, want, got);
			free(got);
		}
	free(want);
}

Test(cli_output, stream_matches_whole)
{
	for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++)
		for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			check(bodies[b], modes[m], NULL);
			check(bodies[b], modes[m], "srv\x1b");
		}
}

Test(cli_output, stream_holds_little)
{
	/* A 1 MiB reply in 4096-byte fragments: what the stream keeps between
	 * fragments stays one fragment's worth. */
	size_t len = 1 << 20;
	char *body = malloc(len);
	cr_assert_not_null(body);
	for (size_t i = 0; i < len; i++)
		body[i] = i % 100 == 99 ? '\n' : (char)('a' + i % 26);
	FILE *f = fopen("/dev/null", "w");
	cr_assert_not_null(f);
	cli_out_stream s;
	cr_assert_eq(cli_out_stream_begin(&s, f, "x", CLI_OUT_COLOR), 0);
	for (size_t at = 0; at < len; at += 4096) {
		cli_out_stream_feed(&s, body + at, 4096);
		cr_assert_leq(s.work_cap, 4096 + sizeof s.hold);
		cr_assert_leq(s.n_hold, sizeof s.hold);
	}
	cr_assert(!s.failed);
	cli_out_stream_end(&s);
	fclose(f);
	free(body);
}

Test(cli_output, every_byte_streams_as_the_whole_reply_shows_it)
{
	/* Plain text goes out as it is, without the sanitiser's copy: no byte
	 * that it would change may pass with the text around it, alone in its
	 * fragment or not. */
	for (int c = 1; c < 256; c++)
		for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			char body[] = { 'a', 'b', (char)c, 'c', 'd', '\n', 'e', '\0' };
			check(body, modes[m], NULL);
		}
}
