/* test-cli-cmdsource.c: the `-c -` command reader without an fd — lines
 * split across chunks, trimming and comments, --raw-input, overlong lines
 * refused the moment they pass the limit, the window that stops taking
 * bytes until commands are released, and -c values around stdin. */
#include <criterion/criterion.h>
#include <string.h>

#include "cli/cmdsource.h"

static size_t refused[16], n_refused;

/* Records a refused line number. */
static void on_refuse(void *arg, size_t line, const char *why)
{
	(void)arg;
	cr_assert(why && *why);
	if (n_refused < 16)
		refused[n_refused++] = line;
}

/* Feeds s in chunks of k bytes (everything must be taken). */
static void feed_chunks(cmdsource *cs, const char *s, size_t k)
{
	size_t len = strlen(s), off = 0;
	while (off < len) {
		size_t n = len - off < k ? len - off : k;
		cr_assert_eq(cmdsource_feed(cs, s + off, n), n);
		off += n;
	}
}

/* Asserts command seq is text from stdin line `line`. */
static void want(cmdsource *cs, uint64_t seq, const char *text, size_t line)
{
	const char *t;
	size_t l;
	cr_assert_eq(cmdsource_get(cs, seq, &t, &l), CMDSOURCE_OK, "command %lu", (unsigned long)seq);
	cr_assert_str_eq(t, text);
	cr_assert_eq(l, line, "%s: line %zu", text, l);
}

Test(cmdsource, trims_skips_comments_and_blanks_across_chunks)
{
	static const char *const items[] = { "-" };
	n_refused = 0;
	cmdsource *cs = cmdsource_new(items, 1, 100, 0, on_refuse, NULL);
	feed_chunks(cs, "  list  \r\n\n# c\n\t#x\n   \nsay a # b\nseed", 3);
	want(cs, 0, "list", 1);
	want(cs, 1, "say a # b", 6);
	cr_assert_eq(cmdsource_get(cs, 2, NULL, NULL), CMDSOURCE_WAIT, "the last line is not over");
	cmdsource_end(cs);
	want(cs, 2, "seed", 7);
	cr_assert_eq(cmdsource_get(cs, 3, NULL, NULL), CMDSOURCE_END);
	cr_assert_eq(n_refused, 0);
	cmdsource_free(cs);
}

Test(cmdsource, raw_input_keeps_lines)
{
	static const char *const items[] = { "-" };
	cmdsource *cs = cmdsource_new(items, 1, 100, CMDSOURCE_RAW_INPUT, on_refuse, NULL);
	feed_chunks(cs, " a \r\n#b\n\n\tc\n", 2);
	cmdsource_end(cs);
	want(cs, 0, " a ", 1);
	want(cs, 1, "#b", 2);
	want(cs, 2, "\tc", 4);
	cr_assert_eq(cmdsource_get(cs, 3, NULL, NULL), CMDSOURCE_END);
	cmdsource_free(cs);
}

Test(cmdsource, overlong_line_refused_before_its_newline)
{
	static const char *const items[] = { "-" };
	n_refused = 0;
	cmdsource *cs = cmdsource_new(items, 1, 8, 0, on_refuse, NULL);
	feed_chunks(cs, "12345678\n  12345678   \n123456789", 4);
	cr_assert_eq(n_refused, 1, "refused as soon as the 9th byte came");
	cr_assert_eq(refused[0], 3);
	feed_chunks(cs, "0123456789\nok\n# a comment longer than the limit\n", 5);
	cmdsource_end(cs);
	want(cs, 0, "12345678", 1);
	want(cs, 1, "12345678", 2);
	want(cs, 2, "ok", 4);
	cr_assert_eq(n_refused, 1, "a comment is never too long");
	cmdsource_free(cs);
}

Test(cmdsource, nul_becomes_lf_so_the_line_is_refused_later)
{
	static const char *const items[] = { "-" };
	cmdsource *cs = cmdsource_new(items, 1, 20, 0, on_refuse, NULL);
	cr_assert_eq(cmdsource_feed(cs, "op\0bob\n", 7), 7);
	want(cs, 0, "op\nbob", 1);
	cmdsource_free(cs);
}

Test(cmdsource, full_window_stops_taking_bytes_until_released)
{
	static const char *const items[] = { "first", "-", "last", "-" };
	cmdsource *cs = cmdsource_new(items, 4, 20, 0, on_refuse, NULL);
	char in[CMDSOURCE_WINDOW * 2 * 4 + 1];
	for (int i = 0; i < CMDSOURCE_WINDOW * 2; i++)
		memcpy(in + i * 4, "cmd\n", 4);
	in[sizeof in - 1] = '\0';
	size_t took = cmdsource_feed(cs, in, strlen(in));
	cr_assert_lt(took, strlen(in));
	cr_assert_eq(cmdsource_count(cs), CMDSOURCE_WINDOW, "\"first\" and 63 lines");
	want(cs, 0, "first", 0);
	want(cs, 1, "cmd", 1);
	cr_assert_eq(cmdsource_feed(cs, in + took, strlen(in) - took), 0, "nothing while full");
	cmdsource_release(cs, 10);
	size_t more = cmdsource_feed(cs, in + took, strlen(in) - took);
	cr_assert_eq(more, 10 * 4);
	cr_assert_eq(cmdsource_count(cs), CMDSOURCE_WINDOW + 10);
	cmdsource_release(cs, cmdsource_count(cs));
	took += more;
	cr_assert_eq(cmdsource_feed(cs, in + took, strlen(in) - took), strlen(in) - took);
	cr_assert_not(cmdsource_complete(cs));
	cmdsource_end(cs);
	cr_assert(cmdsource_complete(cs));
	uint64_t n = cmdsource_count(cs);
	cr_assert_eq(n, 1 + CMDSOURCE_WINDOW * 2 + 1, "the second \"-\" reads nothing");
	want(cs, n - 1, "last", 0);
	cmdsource_free(cs);
}

Test(cmdsource, whole_lines_in_one_chunk_keep_every_rule)
{
	/* A line's bytes once it has begun are copied as a run: the limit,
	 * the NUL, the trimming and --raw-input's CR still apply as they do
	 * byte by byte, whatever the chunks. */
	static const char *const items[] = { "-" };
	const char in[] = "\xef\xbb\xbf  ab\0de   \n12345678 \t\n123456789\n/x\n  #c 123456789\nok";
	for (size_t k = 1; k <= sizeof in; k++) {
		n_refused = 0;
		cmdsource *cs = cmdsource_new(items, 1, 8, 0, on_refuse, NULL);
		for (size_t off = 0; off < sizeof in - 1; off += k) {
			size_t n = sizeof in - 1 - off < k ? sizeof in - 1 - off : k;
			cr_assert_eq(cmdsource_feed(cs, in + off, n), n);
		}
		cmdsource_end(cs);
		want(cs, 0, "ab\nde", 1);
		want(cs, 1, "12345678", 2);
		want(cs, 2, "x", 4);
		want(cs, 3, "ok", 6);
		cr_assert_eq(cmdsource_get(cs, 4, NULL, NULL), CMDSOURCE_END);
		cr_assert_eq(n_refused, 1, "chunks of %zu", k);
		cr_assert_eq(refused[0], 3);
		cmdsource_free(cs);
	}
	const char raw[] = "12345678\r\n1234567\r\r\n a\0";
	for (size_t k = 1; k <= sizeof raw; k++) {
		n_refused = 0;
		cmdsource *cs = cmdsource_new(items, 1, 8, CMDSOURCE_RAW_INPUT, on_refuse, NULL);
		for (size_t off = 0; off < sizeof raw - 1; off += k) {
			size_t n = sizeof raw - 1 - off < k ? sizeof raw - 1 - off : k;
			cr_assert_eq(cmdsource_feed(cs, raw + off, n), n);
		}
		cmdsource_end(cs);
		want(cs, 0, "12345678", 1);
		want(cs, 1, "1234567\r", 2);
		want(cs, 2, " a\n", 3);
		cr_assert_eq(n_refused, 0, "chunks of %zu", k);
		cmdsource_free(cs);
	}
}
