/* test-text.c: rc_text_sanitize, rc_text_decode and rc_text_width on hostile
 * and ordinary input. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

#define FFFD "\xEF\xBF\xBD"

/* Returns true when s[len] is valid UTF-8 with no C0 (except \n, \t), DEL,
 * C1, ESC, bidi control or zero-width character: what every sanitised
 * string must be. */
static bool terminal_safe(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = rc_text_decode(s + i, len - i, &cp);
		if (cp == RC_TEXT_BAD || n == 0)
			return false;
		if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F))
			return false;
		if ((cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
		    (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || cp == 0x061C ||
		    cp == 0xFE0F || (cp >= 0xE0000 && cp <= 0xE007F))
			return false;   /* bidi, zero-width, joiners: never raw */
		i += n;
	}
	return true;
}

/* Parameters are copied into each test's process: strings are inline. */
struct san_case {
	char in[24];
	size_t len;
	char want[48];
	char why[48];
};

ParameterizedTestParameters(text, sanitize)
{
	static struct san_case cases[] = {
		{ "plain text", 10, "plain text", "ASCII passes" },
		{ "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", 14, "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80", "valid UTF-8 passes" },
		{ "a\nb\tc", 5, "a\nb\tc", "kept controls pass" },
		{ "\x1b[31mred\x1b[0m", 12, "\xE2\x90\x9B[31mred\xE2\x90\x9B[0m", "CSI colour: ESC shown as U+241B" },
		{ "\x1b]0;pwned\x07", 10, "\xE2\x90\x9B]0;pwned\xE2\x90\x87", "OSC title set with BEL" },
		{ "\x1b" "P1$r\x1b\\", 7, "\xE2\x90\x9BP1$r\xE2\x90\x9B\\", "DCS" },
		{ "a\rb", 3, "a\xE2\x90\x8D" "b", "CR not kept" },
		{ "\x00x", 2, "\xE2\x90\x80x", "NUL shows as U+2400" },
		{ "\x7f", 1, "\xE2\x90\xA1", "DEL shows as U+2421" },
		{ "\xC2\x9B" "31m", 5, FFFD "31m", "C1 CSI encoded in UTF-8" },
		{ "\xC2\x80\xC2\x9F", 4, FFFD FFFD, "C1 range ends" },
		{ "\x9b" "2J", 3, FFFD "2J", "raw C1 byte" },
		{ "\xC2\xA0", 2, "\xC2\xA0", "U+00A0 is not a control" },
		{ "\xC0\x80", 2, FFFD FFFD, "overlong NUL" },
		{ "\xC1\xBF", 2, FFFD FFFD, "overlong 2-byte" },
		{ "\xE0\x80\x80", 3, FFFD FFFD FFFD, "overlong 3-byte" },
		{ "\xF0\x80\x80\x80", 4, FFFD FFFD FFFD FFFD, "overlong 4-byte" },
		{ "\xED\xA0\x80", 3, FFFD FFFD FFFD, "UTF-16 surrogate D800" },
		{ "\xED\xBF\xBF", 3, FFFD FFFD FFFD, "surrogate DFFF" },
		{ "\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, "past U+10FFFF" },
		{ "\xF5\x80", 2, FFFD FFFD, "F5 lead" },
		{ "\xFF\xFE", 2, FFFD FFFD, "FF FE bytes" },
		{ "ab\xE2\x82", 4, "ab" FFFD, "truncated 3-byte at end: one U+FFFD" },
		{ "ab\xF0\x9F\x98", 5, "ab" FFFD, "truncated 4-byte at end" },
		{ "\xC3", 1, FFFD, "lone lead at end" },
		{ "\xE2\x82x", 3, FFFD "x", "truncated in the middle" },
		{ "\x80\x80", 2, FFFD FFFD, "lone continuations" },
		{ "\xE2\x1b[2J", 5, FFFD "\xE2\x90\x9B[2J", "ESC right after a lead byte" },
		{ "\xC2\xA7" "a", 3, "\xC2\xA7" "a", "section sign untouched" },
		{ "a\xE2\x80\xAE" "b", 5, "a" FFFD "b", "RLO override" },
		{ "\xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 12, FFFD FFFD FFFD FFFD, "LRE RLE PDF LRO" },
		{ "\xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 12, FFFD FFFD FFFD FFFD, "isolates LRI RLI FSI PDI" },
		{ "\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C", 8, FFFD FFFD FFFD, "LRM RLM ALM" },
		{ "Al\xE2\x80\x8Bice", 8, "Al" FFFD "ice", "zero width space shown" },
		{ "\xE2\x80\x8C\xE2\x81\xA0\xE2\x81\xA3", 9, FFFD FFFD FFFD, "ZWNJ, WJ, invisible separator" },
		{ "\xEF\xBB\xBFx", 4, FFFD "x", "BOM / ZWNBSP" },
		{ "\xF3\xA0\x81\x81", 4, FFFD, "tag LATIN A" },
		{ "\xE2\x80\xA8", 3, FFFD, "line separator" },
		{ "a\xE2\x80\x8D" "b", 5, "a" FFFD "b", "ZWJ between letters shown" },
		{ "\xE2\x80\x8D", 3, FFFD, "ZWJ alone shown" },
		{ "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", 11, "\xF0\x9F\x91\xA8\xF0\x9F\x91\xA9", "ZWJ after emoji dropped" },
		{ "\xE2\x9D\xA4\xEF\xB8\x8F!", 7, "\xE2\x9D\xA4!", "VS16 dropped" },
		{ "\xF0\x9F\x8F\xB3\xEF\xB8\x8F\xE2\x80\x8D\xF0\x9F\x8C\x88", 14, "\xF0\x9F\x8F\xB3\xF0\x9F\x8C\x88", "flag: VS16 and ZWJ dropped" },
	};
	return cr_make_param_array(struct san_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct san_case *c, text, sanitize)
{
	size_t n = 0;
	char *out = rc_text_sanitize(c->in, c->len, "\n\t", &n);
	cr_assert_not_null(out);
	cr_assert_eq(n, strlen(c->want), "%s: length %zu", c->why, n);
	cr_assert(memcmp(out, c->want, n) == 0, "%s", c->why);
	cr_assert_eq(out[n], '\0');
	cr_assert(terminal_safe(out, n), "%s", c->why);
	free(out);
}

Test(text, esc_never_kept_even_if_asked)
{
	char *out = rc_text_sanitize("\x1b[1m", 4, "\x1b\n", NULL);
	cr_assert_not_null(out);
	cr_assert_null(strchr(out, 0x1b));
	cr_assert_str_eq(out, "\xE2\x90\x9B[1m");
	free(out);
}

Test(text, keep_null_replaces_every_control)
{
	char *out = rc_text_sanitize("a\nb\tc", 5, NULL, NULL);
	cr_assert_str_eq(out, "a\xE2\x90\x8A" "b\xE2\x90\x89" "c");
	free(out);
}

Test(text, empty_and_null_input)
{
	size_t n = 99;
	char *out = rc_text_sanitize(NULL, 0, "\n", &n);
	cr_assert_not_null(out);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(out, "");
	free(out);
}

Test(text, every_byte_value_is_safe)
{
	/* Every single byte and every two-byte pair come out terminal-safe. */
	for (unsigned a = 0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b += 7) {
			char in[2] = { (char)a, (char)b };
			size_t n;
			char *out = rc_text_sanitize(in, 2, "\n\t", &n);
			cr_assert_not_null(out);
			cr_assert(terminal_safe(out, n), "bytes %02x %02x", a, b);
			cr_assert_leq(n, 6);
			free(out);
		}
	}
}

Test(text, decode_reports_maximal_subparts)
{
	uint32_t cp;
	cr_assert_eq(rc_text_decode("\xE2\x82\xAC", 3, &cp), 3);
	cr_assert_eq(cp, 0x20AC);
	cr_assert_eq(rc_text_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	cr_assert_eq(cp, 0x1F600);
	cr_assert_eq(rc_text_decode("\xE2\x82", 2, &cp), 2);
	cr_assert_eq(cp, RC_TEXT_BAD);
	cr_assert_eq(rc_text_decode("\xED\xA0\x80", 3, &cp), 1);
	cr_assert_eq(cp, RC_TEXT_BAD);
	cr_assert_eq(rc_text_decode("", 0, &cp), 0);
	cr_assert_eq(rc_text_decode("\xF4\x8F\xBF\xBF", 4, &cp), 4);
	cr_assert_eq(cp, 0x10FFFF);
}

struct width_case {
	char s[16];
	int width;
};

ParameterizedTestParameters(text, width)
{
	static struct width_case cases[] = {
		{ "", 0 },
		{ "Alice", 5 },
		{ "caf\xC3\xA9", 4 },                   /* precomposed é */
		{ "cafe\xCC\x81", 4 },                  /* e + combining acute */
		{ "\xE6\x97\xA5\xE6\x9C\xAC", 4 },      /* 日本 */
		{ "\xED\x95\x9C", 2 },                  /* 한 */
		{ "\xEF\xBC\xA1", 2 },                  /* fullwidth A */
		{ "\xF0\x9F\x98\x80", 2 },              /* emoji */
		{ "\xE2\x80\x8B", 1 },                  /* zero width space: shown as U+FFFD */
		{ "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9", 4 }, /* man ZWJ woman */
		{ "\xE2\x9D\xA4\xEF\xB8\x8F", 1 },      /* heart + VS16 (dropped) */
		{ "\xC2\xA7" "a", 2 },                  /* § is narrow */
		{ "\xE2\x90\x9B", 1 },                  /* control picture */
		{ "\xEF\xBF\xBD", 1 },                  /* U+FFFD */
		{ "\xF0\xA0\x80\x80", 2 },              /* plane 2 CJK */
		{ "ab\xFF", 3 },                        /* invalid byte: one column */
	};
	return cr_make_param_array(struct width_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct width_case *c, text, width)
{
	cr_assert_eq(rc_text_width(c->s, strlen(c->s)), c->width, "\"%s\"", c->s);
}

Test(text, width_does_not_depend_on_locale)
{
	/* Nothing set the locale: the process runs in "C", where wcwidth()
	 * would answer -1 for every one of these. */
	cr_assert_eq(rc_text_cp_width(0x4E00), 2);
	cr_assert_eq(rc_text_cp_width(0x00E9), 1);
	cr_assert_eq(rc_text_cp_width(0x0301), 0);
	cr_assert_eq(rc_text_cp_width('\n'), 0);
	cr_assert_eq(rc_text_cp_width(0x9B), 0);
}
