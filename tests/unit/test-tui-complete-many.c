/* test-tui-complete-many.c: Tab with more candidates than complete.h keeps
 * (COMPLETE_MAX): the word is extended only by what every candidate
 * shares, the ones past the kept ones included. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/complete.h"
#include "tui/editor.h"

#define MANY (COMPLETE_MAX + 6)

static char names[MANY + 1][16];
static const char *players[MANY + 1];
static editor *e;
static complete_state st;

/* Creates the editor. */
static void setup(void)
{
	e = editor_new();
	st = (complete_state){ 0 };
}

/* Frees the editor and the completion state. */
static void teardown(void)
{
	complete_reset(&st);
	editor_free(e);
}

/* Fills players with MANY names "Steve_NN" (sorted, as the console hands
 * them over), then last, when not NULL; returns how many. */
static size_t many_players(const char *last)
{
	size_t n = 0;
	for (; n < MANY; n++) {
		snprintf(names[n], sizeof(names[n]), "Steve_%02zu", n);
		players[n] = names[n];
	}
	if (last) {
		snprintf(names[n], sizeof(names[n]), "%s", last);
		players[n] = names[n];
		n++;
	}
	return n;
}

TestSuite(complete_many, .init = setup, .fini = teardown);

Test(complete_many, a_candidate_past_the_kept_ones_stops_the_extension)
{
	/* Sorted after every Steve_: not among the COMPLETE_MAX kept. */
	complete_src src = { players, many_players("Sx_last"), NULL, 0, NULL, NULL, 0 };
	editor_set(e, "kick S");
	cr_assert_gt(complete_apply(&st, e, &src), 1);
	cr_assert_neq(strcmp(editor_text(e), "kick Steve_"), 0,
	    "extended to what only the first %d candidates share", COMPLETE_MAX);
	/* Nothing to extend: the first Tab shows the first candidate. */
	cr_assert_str_eq(editor_text(e), "kick Steve_00");
}

Test(complete_many, what_all_share_still_extends)
{
	complete_src src = { players, many_players(NULL), NULL, 0, NULL, NULL, 0 };
	editor_set(e, "kick s");
	cr_assert_gt(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "kick Steve_");
	/* And from there, the next digit is what they all share no more. */
	complete_reset(&st);
	editor_set(e, "kick Steve_0");
	cr_assert_eq(complete_apply(&st, e, &src), 10);
	cr_assert_str_eq(editor_text(e), "kick Steve_00");
}
