/* test-mc-color.c: § code parsing, stripping, hex colours and ANSI output. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"

#define S "\xC2\xA7"   /* § */

struct code_case {
	char code;
	uint8_t color;
	uint8_t attrs;
};

ParameterizedTestParameters(mc_color, every_code)
{
	static struct code_case cases[] = {
		{ '0', 0, 0 }, { '1', 1, 0 }, { '2', 2, 0 }, { '3', 3, 0 },
		{ '4', 4, 0 }, { '5', 5, 0 }, { '6', 6, 0 }, { '7', 7, 0 },
		{ '8', 8, 0 }, { '9', 9, 0 }, { 'a', 10, 0 }, { 'b', 11, 0 },
		{ 'c', 12, 0 }, { 'd', 13, 0 }, { 'e', 14, 0 }, { 'f', 15, 0 },
		{ 'A', 10, 0 }, { 'B', 11, 0 }, { 'C', 12, 0 }, { 'D', 13, 0 },
		{ 'E', 14, 0 }, { 'F', 15, 0 },
		{ 'k', RC_MC_COLOR_DEFAULT, RC_MC_OBFUSCATED },
		{ 'l', RC_MC_COLOR_DEFAULT, RC_MC_BOLD },
		{ 'm', RC_MC_COLOR_DEFAULT, RC_MC_STRIKE },
		{ 'n', RC_MC_COLOR_DEFAULT, RC_MC_UNDERLINE },
		{ 'o', RC_MC_COLOR_DEFAULT, RC_MC_ITALIC },
		{ 'K', RC_MC_COLOR_DEFAULT, RC_MC_OBFUSCATED },
		{ 'L', RC_MC_COLOR_DEFAULT, RC_MC_BOLD },
		{ 'M', RC_MC_COLOR_DEFAULT, RC_MC_STRIKE },
		{ 'N', RC_MC_COLOR_DEFAULT, RC_MC_UNDERLINE },
		{ 'O', RC_MC_COLOR_DEFAULT, RC_MC_ITALIC },
		{ 'r', RC_MC_COLOR_DEFAULT, 0 },
		{ 'R', RC_MC_COLOR_DEFAULT, 0 },
	};
	return cr_make_param_array(struct code_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct code_case *c, mc_color, every_code)
{
	char in[16];
	rc_mc_styled st;
	char stripped[16];

	snprintf(in, sizeof in, "x" S "%cy", c->code);
	cr_assert_eq(rc_mc_style(in, strlen(in), &st), 0);
	cr_assert_str_eq(st.text, "xy", "code %c", c->code);
	cr_assert_eq(st.len, 2);
	cr_assert_eq(rc_mc_strip(in, strlen(in), stripped), 2);
	cr_assert_str_eq(stripped, "xy");
	/* The default-style "x" run, then "y" in the code's style (a reset
	 * leaves one merged run). */
	if (c->color == RC_MC_COLOR_DEFAULT && c->attrs == 0) {
		cr_assert_eq(st.n_runs, 1);
	} else {
		cr_assert_eq(st.n_runs, 2, "code %c", c->code);
		cr_assert_eq(st.runs[1].off, 1);
		cr_assert_eq(st.runs[1].len, 1);
		cr_assert_eq(st.runs[1].color, c->color, "code %c", c->code);
		cr_assert_eq(st.runs[1].attrs, c->attrs, "code %c", c->code);
	}
	cr_assert_eq(st.runs[0].color, RC_MC_COLOR_DEFAULT);
	rc_mc_styled_clear(&st);
}

Test(mc_color, colour_resets_formats_and_formats_add_up)
{
	const char *in = S "l" S "obi" S "cred" S "nu" S "rplain";
	rc_mc_styled st;
	cr_assert_eq(rc_mc_style(in, strlen(in), &st), 0);
	cr_assert_str_eq(st.text, "bireduplain");
	cr_assert_eq(st.n_runs, 4);
	cr_assert_eq(st.runs[0].attrs, RC_MC_BOLD | RC_MC_ITALIC);
	cr_assert_eq(st.runs[0].color, RC_MC_COLOR_DEFAULT);
	cr_assert_eq(st.runs[1].attrs, 0);
	cr_assert_eq(st.runs[1].color, 12);
	cr_assert_eq(st.runs[1].len, 3);
	cr_assert_eq(st.runs[2].attrs, RC_MC_UNDERLINE);
	cr_assert_eq(st.runs[2].color, 12);
	cr_assert_eq(st.runs[3].attrs, 0);
	cr_assert_eq(st.runs[3].color, RC_MC_COLOR_DEFAULT);
	cr_assert_eq(st.runs[3].off, 6);
	rc_mc_styled_clear(&st);
}

Test(mc_color, runs_cover_the_text_and_merge)
{
	const char *in = S "aab" S "a" S "acd" S "bef";
	rc_mc_styled st;
	size_t total = 0;
	cr_assert_eq(rc_mc_style(in, strlen(in), &st), 0);
	cr_assert_str_eq(st.text, "abcdef");
	cr_assert_eq(st.n_runs, 2, "same colour twice merges");
	for (size_t i = 0; i < st.n_runs; i++) {
		cr_assert_eq(st.runs[i].off, total);
		total += st.runs[i].len;
	}
	cr_assert_eq(total, st.len);
	rc_mc_styled_clear(&st);
}

/* Parameters are copied into each test's process: strings are inline. */
struct hex_case {
	char in[40];
	char text[8];
	uint8_t color;
};

ParameterizedTestParameters(mc_color, hex)
{
	static struct hex_case cases[] = {
		{ S "x" S "f" S "f" S "4" S "0" S "4" S "0" "t", "t", 12 },  /* FF4040 -> red */
		{ S "x" S "f" S "f" S "0" S "0" S "0" S "0" "t", "t", 4 },   /* FF0000 -> dark red */
		{ S "x" S "F" S "F" S "A" S "A" S "0" S "0" "t", "t", 6 },   /* gold, upper case */
		{ S "X" S "0" S "0" S "0" S "0" S "a" S "a" "t", "t", 1 },   /* dark blue, §X */
		{ S "x" S "1" S "2" S "1" S "2" S "1" S "2" "t", "t", 0 },   /* near black */
		{ S "x" S "f" S "f" S "f" S "f" S "f" S "e" "t", "t", 15 },  /* near white */
		{ S "x" S "6" S "0" S "6" S "0" S "6" S "0" "t", "t", 8 },   /* 606060 -> dark gray */
		{ S "x" S "8" S "0" S "8" S "0" S "8" S "0" "t", "t", 7 },   /* 808080 -> gray */
		/* Incomplete: §x dropped, the pairs that follow act as codes. */
		{ S "x" S "a" S "b" "t", "t", 11 },
		{ S "x" "t", "t", RC_MC_COLOR_DEFAULT },
		{ S "x" S "f" S "f" S "0" S "0" S "0" S "g" "t", S "gt", 0 },
	};
	return cr_make_param_array(struct hex_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct hex_case *c, mc_color, hex)
{
	rc_mc_styled st;
	char buf[64];
	cr_assert_eq(rc_mc_style(c->in, strlen(c->in), &st), 0);
	cr_assert_str_eq(st.text, c->text);
	cr_assert_geq(st.n_runs, 1);
	cr_assert_eq(st.runs[st.n_runs - 1].color, c->color, "%s", c->text);
	cr_assert_eq(rc_mc_strip(c->in, strlen(c->in), buf), strlen(c->text));
	cr_assert_str_eq(buf, c->text, "strip agrees with style");
	rc_mc_styled_clear(&st);
}

Test(mc_color, nearest_matches_the_palette_exactly)
{
	static const uint8_t rgb[16][3] = {
		{ 0, 0, 0 }, { 0, 0, 0xAA }, { 0, 0xAA, 0 }, { 0, 0xAA, 0xAA },
		{ 0xAA, 0, 0 }, { 0xAA, 0, 0xAA }, { 0xFF, 0xAA, 0 }, { 0xAA, 0xAA, 0xAA },
		{ 0x55, 0x55, 0x55 }, { 0x55, 0x55, 0xFF }, { 0x55, 0xFF, 0x55 }, { 0x55, 0xFF, 0xFF },
		{ 0xFF, 0x55, 0x55 }, { 0xFF, 0x55, 0xFF }, { 0xFF, 0xFF, 0x55 }, { 0xFF, 0xFF, 0xFF },
	};
	for (uint8_t i = 0; i < 16; i++)
		cr_assert_eq(rc_mc_color_nearest(rgb[i][0], rgb[i][1], rgb[i][2]), i);
}

struct lone_case {
	char in[16];
	size_t len;
	char text[16];
	size_t text_len;
};

ParameterizedTestParameters(mc_color, lone_and_invalid)
{
	static struct lone_case cases[] = {
		{ "end" S, 5, "end" S, 5 },                 /* lone trailing § */
		{ S, 2, S, 2 },
		{ S " x", 4, S " x", 4 },                   /* § + space */
		{ S "z", 3, S "z", 3 },                     /* § + non-code letter */
		{ S S "a" "b", 6, S "b", 3 },               /* §§a: first stays */
		{ S "\xC3\xA9", 4, S "\xC3\xA9", 4 },       /* § + é */
		{ "\xA7" "a", 2, "\xA7" "a", 2 },           /* A7 without C2 is no § */
		{ "\xC2", 1, "\xC2", 1 },                   /* C2 at the end */
		{ "\xC2" "a", 2, "\xC2" "a", 2 },
		{ "\xE2" S "a" "\x82", 5, "\xE2\x82", 2 },  /* code inside a broken char */
		{ S "\x00" "a", 4, S "\x00" "a", 4 },       /* NUL after § */
		{ "\xF0" S "l", 4, "\xF0", 1 },
	};
	return cr_make_param_array(struct lone_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct lone_case *c, mc_color, lone_and_invalid)
{
	/* Copy to an exact-size heap buffer so that any read past the end is
	 * caught by the sanitizer build. */
	char *in = malloc(c->len);
	char *out = malloc(c->len + 1);
	rc_mc_styled st;
	memcpy(in, c->in, c->len);
	cr_assert_eq(rc_mc_strip(in, c->len, out), c->text_len);
	cr_assert(memcmp(out, c->text, c->text_len) == 0);
	cr_assert_eq(rc_mc_style(in, c->len, &st), 0);
	cr_assert_eq(st.len, c->text_len);
	cr_assert(memcmp(st.text, c->text, c->text_len) == 0);
	rc_mc_styled_clear(&st);
	free(in);
	free(out);
}

Test(mc_color, ansi_sequences)
{
	char buf[RC_MC_ANSI_MAX];
	cr_assert_str_eq(rc_mc_ansi(RC_MC_COLOR_DEFAULT, 0, buf, sizeof buf), "\033[0m");
	cr_assert_str_eq(rc_mc_ansi(12, 0, buf, sizeof buf), "\033[0;91m");
	cr_assert_str_eq(rc_mc_ansi(0, RC_MC_BOLD, buf, sizeof buf), "\033[0;1;30m");
	cr_assert_str_eq(rc_mc_ansi(15, 0x1f, buf, sizeof buf), "\033[0;1;3;4;9;97m");
	cr_assert_str_eq(rc_mc_ansi(7, RC_MC_OBFUSCATED, buf, sizeof buf), "\033[0;37m");
	cr_assert_str_eq(rc_mc_ansi(1, 0, buf, 4), "", "too small a buffer gives nothing");
}

Test(mc_color, to_ansi_colours_and_resets)
{
	const char *in = "Hi " S "cRed" S "r ok";
	size_t n;
	char *out = rc_mc_to_ansi(in, strlen(in), &n);
	cr_assert_str_eq(out, "Hi \033[0;91mRed\033[0m ok\033[0m");
	cr_assert_eq(n, strlen(out));
	free(out);
}

Test(mc_color, to_ansi_plain_text_has_no_sgr)
{
	char *out = rc_mc_to_ansi("plain\ttext\n", 11, NULL);
	cr_assert_str_eq(out, "plain\ttext\n");
	free(out);
}

Test(mc_color, to_ansi_is_sanitised)
{
	const char *in = S "a\x1b[2J\x07" S "l\xC2\x9B" "x\r\n\xFF";
	size_t n;
	char *out = rc_mc_to_ansi(in, strlen(in), &n);
	cr_assert_str_eq(out, "\033[0;92m\xE2\x90\x9B[2J\xE2\x90\x87\033[0;1;92m"
	    "\xEF\xBF\xBDx\xE2\x90\x8D\n\xEF\xBF\xBD\033[0m");
	/* The only ESC bytes are the ones this function wrote: each starts
	 * "ESC [ 0" and ends at 'm'. */
	for (const char *p = strchr(out, 0x1b); p; p = strchr(p + 1, 0x1b))
		cr_assert(strncmp(p, "\033[0", 3) == 0);
	free(out);
}

Test(mc_color, to_ansi_split_character_across_a_code_stays_invalid)
{
	/* C3 §a A9 is not "é": the bytes were never adjacent. */
	const char *in = "\xC3" S "a\xA9";
	char *out = rc_mc_to_ansi(in, strlen(in), NULL);
	cr_assert_str_eq(out, "\xEF\xBF\xBD\033[0;92m\xEF\xBF\xBD\033[0m");
	free(out);
}
