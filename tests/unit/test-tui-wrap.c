/* test-tui-wrap.c: word wrapping for the log pane — breaks at spaces, a
 * word wider than the row is cut, wide characters never split, a hanging
 * indent gives the first row its own width, and no word of a long reply is
 * ever cut across two rows when it fits on one. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "tui/utf8.h"
#include "tui/wrap.h"

/* Switches to a UTF-8 locale so wcwidth() knows wide characters. */
static void setup(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		cr_assert_not_null(setlocale(LC_ALL, "en_US.UTF-8"), "no UTF-8 locale");
}

TestSuite(wrap, .init = setup);

/* Wraps s into rows joined by '|' in out (first row first wide, then rest). */
static void wrap_join(const char *s, int first, int rest, char *out, size_t cap)
{
	size_t len = strlen(s), off = 0, o = 0;
	int row = 0;
	out[0] = '\0';
	do {
		size_t next;
		size_t n = wrap_row(s, len, off, row == 0 ? first : rest, &next);
		cr_assert(next > off || off >= len, "no progress at %zu", off);
		o += (size_t)snprintf(out + o, cap - o, "%s%.*s", row ? "|" : "", (int)n, s + off);
		off = next;
		row++;
	} while (off < len);
}

Test(wrap, breaks_at_the_last_space_that_fits)
{
	char out[256];
	wrap_join("the quick brown fox jumps", 10, 10, out, sizeof out);
	cr_assert_str_eq(out, "the quick|brown fox|jumps");
	cr_assert_eq(wrap_rows("the quick brown fox jumps", 25, 10, 10), 3);
}

Test(wrap, a_space_at_the_edge_is_the_break)
{
	char out[256];
	wrap_join("abcde fghij", 5, 5, out, sizeof out);
	cr_assert_str_eq(out, "abcde|fghij");
	wrap_join("abcde   fghij", 5, 5, out, sizeof out);
	cr_assert_str_eq(out, "abcde|fghij", "runs of spaces at a break vanish");
}

Test(wrap, a_long_word_is_cut_where_the_row_ends)
{
	char out[256];
	wrap_join("abcdefghijkl xy", 5, 5, out, sizeof out);
	cr_assert_str_eq(out, "abcde|fghij|kl xy");
}

Test(wrap, hanging_indent_rows_are_narrower)
{
	char out[256];
	wrap_join("aaaa bbbb cccc dddd", 9, 4, out, sizeof out);
	cr_assert_str_eq(out, "aaaa bbbb|cccc|dddd");
	cr_assert_eq(wrap_rows("aaaa bbbb cccc dddd", 19, 9, 4), 3);
}

Test(wrap, wide_characters_are_never_split)
{
	char out[256];
	/* Each CJK character takes two columns: five columns hold two. */
	wrap_join("\u4e2d\u4e2d\u4e2d\u4e2d", 5, 5, out, sizeof out);
	cr_assert_str_eq(out, "\u4e2d\u4e2d|\u4e2d\u4e2d");
	wrap_join("\u00e9t\u00e9 \u00e9t\u00e9", 4, 4, out, sizeof out);
	cr_assert_str_eq(out, "\u00e9t\u00e9|\u00e9t\u00e9");
}

Test(wrap, degenerate_widths_still_progress)
{
	char out[256];
	wrap_join("ab", 0, 0, out, sizeof out);
	cr_assert_str_eq(out, "a|b");
	cr_assert_eq(wrap_rows("", 0, 10, 10), 1, "an empty line is one row");
	wrap_join("   ", 2, 2, out, sizeof out);
	cr_assert_eq(wrap_rows("   ", 3, 2, 2) >= 1, true);
	wrap_join("  lead", 10, 10, out, sizeof out);
	cr_assert_str_eq(out, "  lead", "leading spaces are kept");
}

/* 200 words of different lengths at the 80x24 log pane's width: every row
 * fits, and every word is whole on one row. */
Test(wrap, two_hundred_words_are_never_cut)
{
	static const char *const words[] = { "a", "server", "console", "of", "Minecraft",
		"administration", "is", "pleasant", "when", "words", "stay", "whole" };
	char text[4096];
	size_t o = 0;
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "%s%s", i ? " " : "",
		    words[(i * 7) % 12]);
	size_t len = strlen(text), off = 0;
	int words_seen = 0;
	while (off < len) {
		size_t next;
		size_t n = wrap_row(text, len, off, 31, &next);
		cr_assert_leq(utf8_width(text + off, n), 31);
		cr_assert(off == 0 || text[off - 1] == ' ', "row starts inside a word at %zu", off);
		cr_assert(n == 0 || off + n == len || text[off + n] == ' ',
		    "row ends inside a word at %zu", off + n);
		for (size_t k = off; k < off + n; k++)
			words_seen += (k == off || text[k - 1] == ' ') && text[k] != ' ';
		off = next;
	}
	cr_assert_eq(words_seen, 200);
}
