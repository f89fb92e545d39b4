/* test-tui-editor.c: the command-line editor — UTF-8 movement and deletion,
 * word moves, kill and yank, history browsing and search, horizontal view. */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "rconsole/error.h"
#include "tui/editor.h"
#include "tui/utf8.h"

static editor *e;

/* Creates a fresh editor in a UTF-8 locale. */
static void setup(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "en_US.UTF-8");
	e = editor_new();
	cr_assert_not_null(e);
}

/* Frees the editor. */
static void teardown(void)
{
	editor_free(e);
}

TestSuite(editor, .init = setup, .fini = teardown);

Test(editor, insert_and_move_ascii)
{
	cr_assert_eq(editor_insert(e, "say hi", 6), 0);
	cr_assert_str_eq(editor_text(e), "say hi");
	cr_assert_eq(editor_cursor(e), 6);
	editor_left(e);
	editor_left(e);
	editor_insert(e, "X", 1);
	cr_assert_str_eq(editor_text(e), "say Xhi");
	cr_assert(editor_home(e));
	cr_assert_not(editor_left(e));
	editor_insert(e, "/", 1);
	cr_assert_str_eq(editor_text(e), "/say Xhi");
	cr_assert(editor_end(e));
	cr_assert_not(editor_right(e));
	cr_assert_eq(editor_cursor(e), editor_len(e));
}

Test(editor, utf8_moves_by_character)
{
	/* é (2 bytes), 中 (3 bytes), 😀 (4 bytes) */
	editor_set(e, "a\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80z");
	cr_assert_eq(editor_len(e), 11);
	editor_home(e);
	size_t want[] = { 1, 3, 6, 10, 11 };
	for (size_t i = 0; i < 5; i++) {
		cr_assert(editor_right(e));
		cr_assert_eq(editor_cursor(e), want[i], "step %zu", i);
	}
	for (int i = 3; i >= 0; i--) {
		cr_assert(editor_left(e));
		cr_assert_eq(editor_cursor(e), want[i]);
	}
}

Test(editor, combining_mark_moves_with_its_letter)
{
	/* e + U+0301 combining acute, then x */
	editor_set(e, "e\xcc\x81x");
	editor_home(e);
	editor_right(e);
	cr_assert_eq(editor_cursor(e), 3, "cursor must not stop between e and its accent");
	editor_left(e);
	cr_assert_eq(editor_cursor(e), 0);
	editor_right(e);
	editor_delete(e);
	cr_assert_str_eq(editor_text(e), "e\xcc\x81");
}

Test(editor, backspace_and_delete_never_split)
{
	editor_set(e, "\xe4\xb8\xad\xe6\x96\x87");  /* 中文 */
	cr_assert(editor_backspace(e));
	cr_assert_str_eq(editor_text(e), "\xe4\xb8\xad");
	editor_home(e);
	cr_assert(editor_delete(e));
	cr_assert_str_eq(editor_text(e), "");
	cr_assert_not(editor_backspace(e));
	cr_assert_not(editor_delete(e));
}

Test(editor, insert_drops_controls_and_invalid_bytes)
{
	const char in[] = "a\x1b[2Jb\tc\nd\x7f\xc2\x9b" "e\xff" "f";
	cr_assert_eq(editor_insert(e, in, sizeof(in) - 1), 0);
	cr_assert_str_eq(editor_text(e), "a[2Jb cdef");
	for (size_t i = 0; i < editor_len(e); i++)
		cr_assert((unsigned char)editor_text(e)[i] >= 0x20);
}

Test(editor, too_long_insert_is_refused_whole)
{
	static char big[EDITOR_MAX + 10];
	memset(big, 'x', sizeof(big));
	cr_assert_eq(editor_insert(e, big, sizeof(big)), RC_ETOOLONG);
	cr_assert_eq(editor_len(e), 0);
	cr_assert_eq(editor_insert(e, big, EDITOR_MAX), 0);
	cr_assert_eq(editor_insert(e, "y", 1), RC_ETOOLONG);
	cr_assert_eq(editor_len(e), EDITOR_MAX);
}

Test(editor, word_moves)
{
	editor_set(e, "tp Alice_2  Bob-x");
	editor_home(e);
	editor_word_right(e);
	cr_assert_eq(editor_cursor(e), 2);
	editor_word_right(e);
	cr_assert_eq(editor_cursor(e), 10);
	editor_word_right(e);
	cr_assert_eq(editor_cursor(e), 15);
	editor_word_right(e);
	cr_assert_eq(editor_cursor(e), 17);
	cr_assert_not(editor_word_right(e));
	editor_word_left(e);
	cr_assert_eq(editor_cursor(e), 16);
	editor_word_left(e);
	cr_assert_eq(editor_cursor(e), 12);
	editor_word_left(e);
	cr_assert_eq(editor_cursor(e), 3);
}

Test(editor, word_moves_treat_non_ascii_as_letters)
{
	editor_set(e, "say h\xc3\xa9llo w\xc3\xb6rld");
	editor_word_left(e);
	cr_assert_eq(editor_cursor(e), 11);
	editor_word_left(e);
	cr_assert_eq(editor_cursor(e), 4);
}

Test(editor, kill_end_start_and_yank)
{
	editor_set(e, "kick Alice griefing");
	editor_set_cursor(e, 10);
	cr_assert(editor_kill_end(e));
	cr_assert_str_eq(editor_text(e), "kick Alice");
	cr_assert_str_eq(editor_killed(e), " griefing");
	editor_home(e);
	cr_assert_eq(editor_yank(e), 0);
	cr_assert_str_eq(editor_text(e), " griefingkick Alice");
	editor_set_cursor(e, 9);
	cr_assert(editor_kill_start(e));
	cr_assert_str_eq(editor_text(e), "kick Alice");
	cr_assert_str_eq(editor_killed(e), " griefing");
}

Test(editor, kill_word_back_stops_at_whitespace)
{
	editor_set(e, "tp Alice 1.5 64 -3");
	cr_assert(editor_kill_word_back(e));
	cr_assert_str_eq(editor_text(e), "tp Alice 1.5 64 ");
	cr_assert_str_eq(editor_killed(e), "-3");
	/* Consecutive kills backwards prepend. */
	cr_assert(editor_kill_word_back(e));
	cr_assert_str_eq(editor_text(e), "tp Alice 1.5 ");
	cr_assert_str_eq(editor_killed(e), "64 -3");
	/* A movement breaks the sequence. */
	editor_left(e);
	editor_right(e);
	editor_kill_word_back(e);
	cr_assert_str_eq(editor_killed(e), "1.5 ");
	editor_yank(e);
	cr_assert_str_eq(editor_text(e), "tp Alice 1.5 ");
}

Test(editor, kill_word_forward_appends)
{
	editor_set(e, "say one two three");
	editor_set_cursor(e, 3);
	editor_kill_word_fwd(e);
	editor_kill_word_fwd(e);
	cr_assert_str_eq(editor_text(e), "say three");
	cr_assert_str_eq(editor_killed(e), " one two");
}

Test(editor, kill_utf8_word)
{
	editor_set(e, "msg J\xc3\xb6rg");
	cr_assert(editor_kill_word_back(e));
	cr_assert_str_eq(editor_text(e), "msg ");
	cr_assert_str_eq(editor_killed(e), "J\xc3\xb6rg");
}

Test(editor, replace_range)
{
	editor_set(e, "kick Al");
	cr_assert_eq(editor_replace(e, 5, 7, "Alice "), 0);
	cr_assert_str_eq(editor_text(e), "kick Alice ");
	cr_assert_eq(editor_cursor(e), 11);
	cr_assert_eq(editor_replace(e, 9, 3, "x"), RC_EINVAL);
}

static const char *hist_entries[] = { "list", "say hello", "tps" };
static size_t hist_n = 3;

/* Returns the test history's size. */
static size_t hist_count(void *arg)
{
	return hist_n;
}

/* Returns a test history entry. */
static const char *hist_get(void *arg, size_t i)
{
	return i < hist_n ? hist_entries[i] : NULL;
}

Test(editor, history_up_down_restores_typed_line)
{
	editor_hist h = { hist_count, hist_get, NULL };
	editor_set(e, "half-typed");
	cr_assert(editor_history_prev(e, &h));
	cr_assert_str_eq(editor_text(e), "tps");
	cr_assert_eq(editor_cursor(e), 3);
	cr_assert(editor_history_prev(e, &h));
	cr_assert(editor_history_prev(e, &h));
	cr_assert_str_eq(editor_text(e), "list");
	cr_assert_eq(editor_history_pos(e), 0);
	cr_assert_not(editor_history_prev(e, &h));
	cr_assert_str_eq(editor_text(e), "list");
	cr_assert(editor_history_next(e, &h));
	cr_assert_str_eq(editor_text(e), "say hello");
	cr_assert(editor_history_next(e, &h));
	cr_assert(editor_history_next(e, &h));
	cr_assert_str_eq(editor_text(e), "half-typed");
	cr_assert_eq(editor_history_pos(e), -1);
	cr_assert_not(editor_history_next(e, &h));
}

Test(editor, history_empty)
{
	hist_n = 0;
	editor_hist h = { hist_count, hist_get, NULL };
	cr_assert_not(editor_history_prev(e, &h));
	cr_assert_not(editor_history_next(e, &h));
	hist_n = 3;
}

Test(editor, history_reset_forgets_browsing)
{
	editor_hist h = { hist_count, hist_get, NULL };
	editor_history_prev(e, &h);
	editor_history_reset(e);
	cr_assert_eq(editor_history_pos(e), -1);
	cr_assert(editor_history_prev(e, &h));
	cr_assert_str_eq(editor_text(e), "tps");
}

Test(editor, history_find)
{
	editor_hist h = { hist_count, hist_get, NULL };
	cr_assert_eq(editor_history_find(&h, -1, "s"), 2);
	cr_assert_eq(editor_history_find(&h, 2, "s"), 1);
	cr_assert_eq(editor_history_find(&h, 1, "s"), 0);
	cr_assert_eq(editor_history_find(&h, 0, "s"), -1);
	cr_assert_eq(editor_history_find(&h, -1, "hello"), 1);
	cr_assert_eq(editor_history_find(&h, -1, "nope"), -1);
}

Test(editor, view_keeps_cursor_visible)
{
	editor_set(e, "0123456789abcdefghij");
	size_t start;
	int col;
	editor_view(e, 10, false, &start, &col);
	cr_assert_eq(col, 9);
	cr_assert_eq(start, 11);
	editor_home(e);
	editor_view(e, 10, false, &start, &col);
	cr_assert_eq(start, 0);
	cr_assert_eq(col, 0);
	editor_set(e, "short");
	editor_view(e, 10, false, &start, &col);
	cr_assert_eq(start, 0);
	cr_assert_eq(col, 5);
}

Test(editor, view_counts_wide_characters)
{
	/* Five CJK characters: 10 columns. */
	editor_set(e, "\xe4\xb8\x80\xe4\xb8\x80\xe4\xb8\x80\xe4\xb8\x80\xe4\xb8\x80");
	size_t start;
	int col;
	editor_view(e, 6, false, &start, &col);
	cr_assert_eq(start % 3, 0, "view must start on a character");
	cr_assert_leq(col, 5);
	cr_assert_eq(col, 4);
	editor_view(e, 6, true, &start, &col);
	cr_assert_leq(col, 5);
}
