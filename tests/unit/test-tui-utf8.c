/* test-tui-utf8.c: the console's UTF-8 helpers — decoding as the library does,
 * which code points may reach the terminal (controls, C1, bidi controls
 * never do), display widths, and stepping and fitting without splitting a
 * character. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <locale.h>
#include <string.h>

#include "tui/utf8.h"

/* Switches to a UTF-8 locale so wcwidth() knows wide characters. */
static void setup(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		cr_assert_not_null(setlocale(LC_ALL, "en_US.UTF-8"), "no UTF-8 locale");
}

TestSuite(utf8, .init = setup);

/* One decoding case: bytes, expected code point and bytes consumed (the
 * bytes are held in the struct: Criterion runs each case in a new process,
 * where pointers into the parent's data would not be valid). */
struct decode_case {
	char bytes[8];
	size_t len;
	uint32_t cp;
	size_t used;
};

ParameterizedTestParameters(utf8, decode)
{
	static struct decode_case cases[] = {
		{ "A", 1, 'A', 1 },
		{ "\xc3\xa9", 2, 0xE9, 2 },
		{ "\xe6\x9d\x8e", 3, 0x674E, 3 },
		{ "\xf0\x9f\x98\x80", 4, 0x1F600, 4 },
		{ "\xc2\x9b", 2, 0x9B, 2 },            /* C1 CSI decodes; drawing refuses it */
		{ "\x80", 1, UTF8_BAD, 1 },            /* lone continuation */
		{ "\xc0\xaf", 2, UTF8_BAD, 1 },        /* overlong '/' */
		{ "\xe0\x80\xaf", 3, UTF8_BAD, 1 },    /* overlong */
		{ "\xed\xa0\x80", 3, UTF8_BAD, 1 },    /* surrogate */
		{ "\xf4\x90\x80\x80", 4, UTF8_BAD, 1 },/* past U+10FFFF */
		{ "\xe6\x9d", 2, UTF8_BAD, 2 },        /* truncated: one maximal subpart, as the CLI */
		{ "\xe6" "A\x8e", 3, UTF8_BAD, 1 },    /* broken by ASCII */
		{ "\xff", 1, UTF8_BAD, 1 },
	};
	return cr_make_param_array(struct decode_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct decode_case *c, utf8, decode)
{
	uint32_t cp = 0;
	size_t used = utf8_decode(c->bytes, c->len, &cp);
	cr_assert_eq(cp, c->cp, "cp %#x, want %#x", cp, c->cp);
	cr_assert_eq(used, c->used);
}

Test(utf8, encode_round_trips)
{
	static const uint32_t cps[] = { 'x', 0xE9, 0x674E, 0xFFFD, 0x1F600, 0x10FFFF };
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char b[4];
		size_t n = utf8_encode(cps[i], b);
		uint32_t back;
		cr_assert_eq(utf8_decode(b, n, &back), n);
		cr_assert_eq(back, cps[i]);
	}
	char b[4];
	cr_assert_eq(utf8_encode(0xD800, b), 0);
	cr_assert_eq(utf8_encode(0x110000, b), 0);
}

Test(utf8, controls_never_printable)
{
	static const uint32_t bad[] = {
		0x00, 0x07, 0x08, 0x0A, 0x1B, 0x7F,  /* C0 and DEL */
		0x80, 0x85, 0x9B, 0x9D, 0x9F,        /* C1: NEL, CSI, OSC */
		0x200E, 0x200F,                      /* LRM, RLM */
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E, /* embeddings, overrides */
		0x2066, 0x2067, 0x2068, 0x2069,      /* isolates */
		0x061C, 0xFFF9, 0xFFFB,
		0x2028, 0x2029,                      /* line/paragraph separators */
		0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, /* zero-width and joiners */
		0xE0041,                             /* tag character */
		0xD800, UTF8_BAD,
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_not(utf8_printable(bad[i]), "U+%04X must not reach the terminal", bad[i]);
		cr_assert_eq(utf8_cpwidth(bad[i]), 1, "U+%04X is drawn as one replacement glyph", bad[i]);
	}
}

Test(utf8, text_is_printable)
{
	static const uint32_t good[] = { ' ', 'a', '~', 0xA0, 0xE9, 0x301, 0x674E, 0x1F600, 0x2400 };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert(utf8_printable(good[i]), "U+%04X should be shown", good[i]);
}

Test(utf8, widths)
{
	cr_assert_eq(utf8_cpwidth('a'), 1);
	cr_assert_eq(utf8_cpwidth(0x674E), 2);
	cr_assert_eq(utf8_cpwidth(0x301), 0);
	cr_assert_eq(utf8_width("a\xe6\x9d\x8e" "b", 5), 4);
	/* An invalid byte and a bidi override each take one column. */
	cr_assert_eq(utf8_width("\xff\xe2\x80\xae", 4), 2);
	cr_assert_eq(utf8_width("e\xcc\x81", 3), 1);
}

Test(utf8, next_and_prev_keep_marks_with_their_letter)
{
	const char *s = "ae\xcc\x81z";  /* a, e + combining acute, z */
	size_t len = strlen(s);
	cr_assert_eq(utf8_next(s, len, 0), 1);
	cr_assert_eq(utf8_next(s, len, 1), 4);
	cr_assert_eq(utf8_next(s, len, 4), 5);
	cr_assert_eq(utf8_next(s, len, 5), 5);
	cr_assert_eq(utf8_prev(s, len, 5), 4);
	cr_assert_eq(utf8_prev(s, len, 4), 1);
	cr_assert_eq(utf8_prev(s, len, 1), 0);
	cr_assert_eq(utf8_prev(s, len, 0), 0);
	/* A bidi control is its own character, never glued to the one before. */
	const char *b = "a\xe2\x80\xaez";
	cr_assert_eq(utf8_next(b, strlen(b), 0), 1);
}

Test(utf8, prev_steps_over_invalid_bytes_one_at_a_time)
{
	const char *s = "a\x80\x80" "b";
	size_t len = strlen(s);
	cr_assert_eq(utf8_prev(s, len, 4), 3);
	cr_assert_eq(utf8_prev(s, len, 3), 2);
	cr_assert_eq(utf8_prev(s, len, 2), 1);
}

Test(utf8, fit_never_splits_a_wide_character)
{
	const char *s = "ab\xe6\x9d\x8e\xe6\x9d\x8e";  /* 2 + 2 + 2 columns */
	size_t len = strlen(s);
	int used;
	cr_assert_eq(utf8_fit(s, len, 3, &used), 2);
	cr_assert_eq(used, 2);
	cr_assert_eq(utf8_fit(s, len, 4, &used), 5);
	cr_assert_eq(used, 4);
	cr_assert_eq(utf8_fit(s, len, 5, &used), 5);
	cr_assert_eq(utf8_fit(s, len, 6, &used), len);
	cr_assert_eq(used, 6);
	cr_assert_eq(utf8_fit(s, len, 0, &used), 0);
	cr_assert_eq(used, 0);
	/* A combining mark rides with its letter: fitting "e" fits "e" + accent. */
	cr_assert_eq(utf8_fit("e\xcc\x81x", 4, 1, NULL), 3);
}

Test(utf8, word_characters)
{
	cr_assert(utf8_is_word('a'));
	cr_assert(utf8_is_word('_'));
	cr_assert(utf8_is_word(0x674E));
	cr_assert_not(utf8_is_word(' '));
	cr_assert_not(utf8_is_word('-'));
	cr_assert_not(utf8_is_word(0xA0));
	cr_assert_not(utf8_is_word(UTF8_BAD));
}

/* Draws s in a test: the columns the console's width function gives. */
static int width_of(const char *s)
{
	return utf8_width(s, strlen(s));
}

#define MAN "\xf0\x9f\x91\xa8"
#define WOMAN "\xf0\x9f\x91\xa9"
#define GIRL "\xf0\x9f\x91\xa7"
#define ZWJ "\xe2\x80\x8d"

Test(utf8, emoji_zwj_sequence_measures_its_visible_parts)
{
	/* man ZWJ woman ZWJ girl: the joiners are dropped when drawn, so the
	 * terminal gets three 2-column emoji and the console counts 6. */
	cr_assert_eq(width_of(MAN ZWJ WOMAN ZWJ GIRL), 6);
	cr_assert_eq(width_of(MAN WOMAN GIRL), 6);
	cr_assert_eq(width_of("a" MAN ZWJ WOMAN ZWJ GIRL "b"), 8);
	size_t n;
	const char *s = MAN ZWJ WOMAN;
	cr_assert_eq(utf8_shown(s, strlen(s), 4, &n), UTF8_DROP);
	cr_assert_eq(n, 3);
	/* The joiner rides with the emoji before it for cursor movement. */
	cr_assert_eq(utf8_next(s, strlen(s), 0), 7);
	cr_assert_eq(utf8_prev(s, strlen(s), 7), 0);
	/* A presentation selector is dropped too: U+2764 U+FE0F is one column,
	 * whatever a terminal would make of the selector. */
	cr_assert_eq(width_of("\xe2\x9d\xa4\xef\xb8\x8f"), 1);
	/* A rainbow flag: white flag, VS16, ZWJ, rainbow. */
	cr_assert_eq(width_of("\xf0\x9f\x8f\xb3\xef\xb8\x8f" ZWJ "\xf0\x9f\x8c\x88"), 3);
}

Test(utf8, joiners_elsewhere_and_invisible_characters_are_visible)
{
	size_t n;
	/* "Al" ZWSP "ice" must not look like "Alice": the ZWSP takes a column. */
	cr_assert_eq(width_of("Al\xe2\x80\x8bice"), 6);
	cr_assert_eq(utf8_shown("Al\xe2\x80\x8bice", 8, 2, &n), UTF8_REPLACEMENT);
	/* A ZWJ between letters, at the start, and a BOM: replacement glyphs. */
	cr_assert_eq(width_of("a" ZWJ "b"), 3);
	cr_assert_eq(width_of(ZWJ MAN), 3);
	cr_assert_eq(width_of("\xef\xbb\xbfx"), 2);
	/* Bidi isolates and overrides, each one glyph. */
	cr_assert_eq(width_of("\xe2\x81\xa6x\xe2\x81\xa9"), 3);
	cr_assert_eq(utf8_shown("\xe2\x80\xae", 3, 0, &n), UTF8_REPLACEMENT);
	/* A C0 control shows as its control picture, as in the CLI. */
	cr_assert_eq(utf8_shown("\x1b", 1, 0, &n), 0x241B);
}

/* Tab's case-blind prefix: Unicode letters fold, invalid bytes and a
 * truncated sequence match only themselves, and the count stops at the
 * first code point that differs. */
Test(utf8, fold_shared_beyond_ascii)
{
	size_t bn = 0;
	const char *u = "\xc3\x9cn\xc3\xaf" "c";            /* Ünïc */
	cr_assert_eq(utf8_fold_shared("\xc3\xbc", 2, u, strlen(u), &bn), 2);   /* ü */
	cr_assert_eq(bn, 2);
	cr_assert_eq(utf8_fold_shared("\xc3\xbcN\xc3\x8f", 5, u, strlen(u), &bn), 5);
	cr_assert_eq(bn, 5);
	cr_assert_eq(utf8_fold_shared("ab", 2, "AX", 2, &bn), 1);
	cr_assert_eq(bn, 1);
	/* A lone lead byte is no letter: it matches the same byte only. */
	cr_assert_eq(utf8_fold_shared("\xc3", 1, "\xc3nope", 5, &bn), 1);
	cr_assert_eq(utf8_fold_shared("\xc3", 1, "\xc3\x9c", 2, NULL), 0);
	cr_assert_eq(utf8_fold_shared("\xff", 1, "\xfe", 1, NULL), 0);
	cr_assert_eq(utf8_fold_shared("", 0, u, strlen(u), &bn), 0);
	cr_assert_eq(bn, 0);
}
