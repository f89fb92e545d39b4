/* test-tui-editor-hist.c: history browsing past an entry the line cannot
 * hold (longer than EDITOR_MAX, from a history file written by something
 * else): it is stepped over, and every other entry stays reachable. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "tui/editor.h"

static char *entries[3];
static size_t n_entries;
static editor *e;

/* Returns the test history's size. */
static size_t hist_count(void *arg)
{
	(void)arg;
	return n_entries;
}

/* Returns a test history entry. */
static const char *hist_get(void *arg, size_t i)
{
	(void)arg;
	return i < n_entries ? entries[i] : NULL;
}

/* Returns a malloc'd line of n 'x's. */
static char *long_line(size_t n)
{
	char *s = malloc(n + 1);
	cr_assert_not_null(s);
	memset(s, 'x', n);
	s[n] = '\0';
	return s;
}

/* Creates the editor with "typed" on the line. */
static void setup(void)
{
	e = editor_new();
	editor_set(e, "typed");
}

/* Frees the editor and the entries. */
static void teardown(void)
{
	for (size_t i = 0; i < n_entries; i++)
		free(entries[i]);
	n_entries = 0;
	editor_free(e);
}

TestSuite(editor_hist, .init = setup, .fini = teardown);

Test(editor_hist, an_entry_too_long_in_the_middle_is_stepped_over)
{
	entries[0] = strdup("list");
	entries[1] = long_line(EDITOR_MAX + 100);
	entries[2] = strdup("tps");
	n_entries = 3;
	editor_hist h = { hist_count, hist_get, NULL };
	cr_assert(editor_history_prev(e, &h));
	cr_assert_str_eq(editor_text(e), "tps");
	cr_assert(editor_history_prev(e, &h), "Up stopped at the entry too long");
	cr_assert_str_eq(editor_text(e), "list");
	cr_assert_not(editor_history_prev(e, &h));
	cr_assert(editor_history_next(e, &h));
	cr_assert_str_eq(editor_text(e), "tps");
	cr_assert(editor_history_next(e, &h));
	cr_assert_str_eq(editor_text(e), "typed");
}

Test(editor_hist, an_entry_too_long_at_the_end_is_stepped_over)
{
	entries[0] = strdup("list");
	entries[1] = long_line(EDITOR_MAX + 1);
	n_entries = 2;
	editor_hist h = { hist_count, hist_get, NULL };
	cr_assert(editor_history_prev(e, &h), "Up showed nothing");
	cr_assert_str_eq(editor_text(e), "list");
	cr_assert(editor_history_next(e, &h));
	cr_assert_str_eq(editor_text(e), "typed");
}
