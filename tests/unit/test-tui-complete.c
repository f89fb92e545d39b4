/* test-tui-complete.c: Tab completion of commands, sub-commands, console
 * commands, server names and player names. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "tui/complete.h"
#include "tui/editor.h"

static const char *players[] = { "Alice", "alex_9", "Bob" };
static const char *servers[] = { "survival", "lobby" };
static const complete_src src = { players, 3, servers, 2 };

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

TestSuite(complete, .init = setup, .fini = teardown);

Test(complete, single_command)
{
	editor_set(e, "whiteli");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "whitelist ");
}

Test(complete, leading_slash_is_kept)
{
	editor_set(e, "/gamem");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "/gamemode ");
}

Test(complete, player_name_case_insensitive)
{
	editor_set(e, "kick b");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "kick Bob ");
}

Test(complete, common_prefix_then_cycle)
{
	editor_set(e, "tp al");
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	/* "Alice" and "alex_9" share "al" only: nothing to extend, so cycle. */
	cr_assert_str_eq(editor_text(e), "tp Alice");
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	cr_assert_str_eq(editor_text(e), "tp alex_9");
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	cr_assert_str_eq(editor_text(e), "tp Alice");
}

Test(complete, common_prefix_extends)
{
	editor_set(e, "save");
	cr_assert_eq(complete_apply(&st, e, &src), 3);
	cr_assert_str_eq(editor_text(e), "save-");
}

Test(complete, sub_command_words)
{
	editor_set(e, "whitelist a");
	cr_assert_eq(complete_apply(&st, e, &src), 3, "add + Alice + alex_9");
	editor_set(e, "gamemode cr");
	complete_reset(&st);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "gamemode creative ");
}

Test(complete, console_commands_and_servers)
{
	editor_set(e, ":disc");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), ":disconnect ");
	editor_insert(e, "lo", 2);
	complete_reset(&st);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), ":disconnect lobby ");
}

Test(complete, completes_in_the_middle)
{
	editor_set(e, "msg Bo hello");
	editor_set_cursor(e, 6);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "msg Bob hello");
	cr_assert_eq(editor_cursor(e), 8);
}

Test(complete, nothing_matches)
{
	editor_set(e, "zzz");
	cr_assert_eq(complete_apply(&st, e, &src), 0);
	cr_assert_str_eq(editor_text(e), "zzz");
	cr_assert_gt(complete_command_count(), 40);
}

Test(complete, candidates_list)
{
	char *out[8];
	size_t from;
	size_t n = complete_candidates("say hi A", 8, &src, out, 8, &from);
	cr_assert_eq(n, 2);
	cr_assert_eq(from, 7);
	for (size_t i = 0; i < n; i++)
		free(out[i]);
}
