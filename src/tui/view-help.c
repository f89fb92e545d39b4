/* view-help.c: the help overlay (built from the key and console command
 * tables, so it cannot drift from what the keys do) and the screen shown
 * when the terminal is too small for any layout. */
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"

#define HELP_MAX 96

/* One row of the help: a key (or command) and what it does. */
typedef struct help_row {
	const char *key;
	const char *what;
	bool heading;
} help_row;

/* Collects the help rows; returns how many. */
static size_t help_rows(help_row *rows, size_t max)
{
	const char *k[HELP_MAX], *w[HELP_MAX];
	size_t n = 0;
	rows[n++] = (help_row){ "Keys", NULL, true };
	size_t nk = keys_help(k, w, HELP_MAX);
	for (size_t i = 0; i < nk && n < max; i++)
		rows[n++] = (help_row){ k[i], w[i], false };
	if (n < max)
		rows[n++] = (help_row){ "Console commands", NULL, true };
	size_t nc = console_help(k, w, HELP_MAX);
	for (size_t i = 0; i < nc && n < max; i++)
		rows[n++] = (help_row){ k[i], w[i], false };
	return n;
}

/* Draws the help overlay. */
void view_help_draw(tui *t)
{
	help_row rows[HELP_MAX * 2];
	size_t n = help_rows(rows, sizeof(rows) / sizeof(rows[0]));
	int key_w = 0;
	for (size_t i = 0; i < n; i++)
		if (!rows[i].heading) {
			int kw = utf8_width(rows[i].key, strlen(rows[i].key));
			if (kw > key_w)
				key_w = kw;
		}
	if (key_w > 22)
		key_w = 22;
	/* Above the bottom row, which keeps showing how to close the help. */
	int h = (int)n + 2 < t->lay.rows - 1 ? (int)n + 2 : t->lay.rows - 1;
	layout_rect r = layout_center(&t->lay, 78, h);
	if (t->w_popup)
		delwin(t->w_popup);
	t->w_popup = newwin(r.h, r.w, r.y, r.x);
	if (!t->w_popup)
		return;
	WINDOW *w = t->w_popup;
	werase(w);
	draw_box(w, "Help: Up/Down scroll, any other key closes", true);
	int inner = r.h - 2;
	if (t->help_top > (int)n - inner)
		t->help_top = (int)n - inner;
	if (t->help_top < 0)
		t->help_top = 0;
	for (int y = 0; y < inner && t->help_top + y < (int)n; y++) {
		const help_row *row = &rows[t->help_top + y];
		if (row->heading) {
			draw_str(w, 1 + y, 2, r.w - 4, TH_TITLE, row->key);
			continue;
		}
		draw_str(w, 1 + y, 2, key_w, TH_PROMPT, row->key);
		int kx = 2 + key_w + 2;
		if (kx < r.w - 2)
			draw_str(w, 1 + y, kx, r.w - 2 - kx, TH_NORMAL, row->what);
	}
	wnoutrefresh(w);
}

/* Scrolls or closes the help. */
unsigned view_help_key(tui *t, bool fn, int code)
{
	if (fn && (code == KEY_DOWN || code == KEY_NPAGE)) {
		t->help_top += code == KEY_DOWN ? 1 : t->lay.rows / 2;
		return TUI_D_POPUP;
	}
	if (fn && (code == KEY_UP || code == KEY_PPAGE)) {
		t->help_top -= code == KEY_UP ? 1 : t->lay.rows / 2;
		return TUI_D_POPUP;
	}
	t->mode = TUI_M_EDIT;
	return TUI_D_PANES;
}

/* Draws the "terminal too small" message on stdscr: the size on one line
 * when it fits, else on two. */
void view_help_too_small(tui *t)
{
	werase(stdscr);
	char need[64], want[32], have[32];
	snprintf(need, sizeof(need), "need %dx%d, have %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS,
	    t->lay.cols, t->lay.rows);
	snprintf(want, sizeof(want), "need %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
	snprintf(have, sizeof(have), "have %dx%d", t->lay.cols, t->lay.rows);
	const char *one[] = { "terminal too small", need, "F10 quits" };
	const char *two[] = { "terminal too small", want, have, "F10 quits" };
	bool fits = (int)strlen(need) <= t->lay.cols;
	const char **lines = fits ? one : two;
	int n = fits ? 3 : 4;
	int rows = t->lay.rows, cols = t->lay.cols;
	for (int i = 0; i < n && i < rows; i++) {
		int len = (int)strlen(lines[i]);
		int x = cols > len ? (cols - len) / 2 : 0;
		int y = rows > n ? (rows - n) / 2 + i : i;
		draw_str(stdscr, y, x, cols - x, i == 0 ? TH_WARN : TH_NORMAL, lines[i]);
	}
	theme_set(stdscr, TH_NORMAL);
	wnoutrefresh(stdscr);
}
