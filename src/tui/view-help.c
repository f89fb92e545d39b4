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
#define HELP_LINES 512   /* wrapped lines at most */

/* One row of the help: a key (or command) and what it does. */
typedef struct help_row {
	const char *key;
	const char *what;
	bool heading;
} help_row;

/* One screen line of the help after wrapping: the key (first line of a row
 * only), and a piece of the description. */
typedef struct help_line {
	const char *key;
	const char *text;
	size_t len;
	bool heading;
} help_line;

/* The mouse, and what a paste does (not key bindings, so not in keys.c's table). */
static const help_row help_mouse[] = {
	{ "click", "select a server, a player or a pane; on F1 help, the help", false },
	{ "wheel", "scroll the log (over the players: the players)", false },
	{ "S-drag", "select text (the terminal's own selection)", false },
};
static const help_row help_mouse_off[] = {
	{ "(off)", "mouse = false or --no-mouse: the terminal keeps every click", false },
};
static const help_row help_paste[] = {
	{ "paste", "lands on the command line as text; Enter sends its lines, Esc drops them", false },
	{ "y/N", "stop, kick, ban, op... and :all / :tag ask first; only a typed y sends", false },
};

/* Appends rows r[n] to rows; returns the new count. */
static size_t help_add(help_row *rows, size_t at, size_t max, const help_row *r, size_t n)
{
	for (size_t i = 0; i < n && at < max; i++)
		rows[at++] = r[i];
	return at;
}

/* Collects the help rows; returns how many. */
static size_t help_rows(tui *t, help_row *rows, size_t max)
{
	const char *k[HELP_MAX], *w[HELP_MAX];
	size_t n = 0;
	rows[n++] = (help_row){ "Keys", NULL, true };
	size_t nk = keys_help(k, w, HELP_MAX);
	for (size_t i = 0; i < nk && n < max; i++)
		rows[n++] = (help_row){ k[i], w[i], false };
	n = help_add(rows, n, max, help_paste, sizeof(help_paste) / sizeof(help_paste[0]));
	if (n < max)
		rows[n++] = (help_row){ "Mouse", NULL, true };
	if (t->mouse)
		n = help_add(rows, n, max, help_mouse, sizeof(help_mouse) / sizeof(help_mouse[0]));
	else
		n = help_add(rows, n, max, help_mouse_off, 1);
	if (n < max)
		rows[n++] = (help_row){ "Console commands", NULL, true };
	size_t nc = console_help(k, w, HELP_MAX);
	for (size_t i = 0; i < nc && n < max; i++)
		rows[n++] = (help_row){ k[i], w[i], false };
	return n;
}

/* Returns the length of the first piece of s[0..len) that fits in width
 * columns, cut after a space when there is one (at least one character). */
static size_t help_piece(const char *s, size_t len, int width)
{
	size_t fit = utf8_fit(s, len, width, NULL);
	if (fit >= len)
		return len;
	size_t cut = fit;
	while (cut > 0 && s[cut] != ' ')
		cut--;
	if (cut > 0)
		return cut;
	return fit > 0 ? fit : utf8_next(s, len, 0);
}

/* Wraps the rows into lines for a box of inner width iw with the keys in
 * key_w columns; returns how many lines. */
static size_t help_wrap(const help_row *rows, size_t n, int iw, int key_w, help_line *out,
    size_t max)
{
	size_t m = 0;
	int tw = iw - key_w - 2;
	bool narrow = tw < 8;
	if (narrow)
		tw = iw - 2;    /* too narrow for two columns: the text goes under the key */
	for (size_t i = 0; i < n && m < max; i++) {
		const help_row *r = &rows[i];
		if (r->heading) {
			out[m++] = (help_line){ r->key, NULL, 0, true };
			continue;
		}
		bool own_line = narrow || utf8_width(r->key, strlen(r->key)) > key_w;
		if (own_line)
			out[m++] = (help_line){ r->key, NULL, 0, false };
		const char *p = r->what;
		size_t len = strlen(p);
		bool first = !own_line;
		while (len > 0 && m < max) {
			size_t l = help_piece(p, len, tw);
			out[m++] = (help_line){ first ? r->key : NULL, p, l, false };
			first = false;
			p += l;
			len -= l;
			while (len > 0 && *p == ' ') {
				p++;
				len--;
			}
		}
	}
	return m;
}

/* Draws the help overlay: inside the frame at every size, the descriptions
 * wrapped to the width there is (at 40x10 too). */
void view_help_draw(tui *t)
{
	static help_row rows[HELP_MAX * 2];
	static help_line lines[HELP_LINES];
	size_t n = help_rows(t, rows, sizeof(rows) / sizeof(rows[0]));
	/* Above the bottom row, which keeps showing how to close the help. */
	int max_h = t->lay.rows - 1;
	layout_rect r = layout_center(&t->lay, 78, max_h);
	int iw = r.w - 4;
	if (iw < 4)
		return;
	int key_w = 0;
	for (size_t i = 0; i < n; i++)
		if (!rows[i].heading) {
			int kw = utf8_width(rows[i].key, strlen(rows[i].key));
			if (kw > key_w)
				key_w = kw;
		}
	if (key_w > iw * 2 / 5)
		key_w = iw * 2 / 5;
	if (key_w > 22)
		key_w = 22;
	size_t nl = help_wrap(rows, n, iw, key_w, lines, HELP_LINES);
	int h = (int)nl + 2 < max_h ? (int)nl + 2 : max_h;
	r = layout_center(&t->lay, r.w, h);
	if (r.y + r.h > t->lay.rows - 1)
		r.y = t->lay.rows - 1 - r.h;
	if (r.y < 0)
		r.y = 0;
	if (t->w_popup)
		delwin(t->w_popup);
	t->w_popup = newwin(r.h, r.w, r.y, r.x);
	if (!t->w_popup)
		return;
	WINDOW *w = t->w_popup;
	werase(w);
	const char *title = r.w >= 48 ? "Help: Up/Down scroll, any other key closes"
	    : r.w >= 30 ? "Help: Up/Down, other keys close" : "Help";
	draw_box(w, title, true);
	int inner = r.h - 2;
	if (t->help_top > (int)nl - inner)
		t->help_top = (int)nl - inner;
	if (t->help_top < 0)
		t->help_top = 0;
	int tx = 2 + key_w + 2;
	if (iw - key_w - 2 < 8)
		tx = 4;
	for (int y = 0; y < inner && t->help_top + y < (int)nl; y++) {
		const help_line *l = &lines[t->help_top + y];
		if (l->heading) {
			draw_str(w, 1 + y, 2, iw, TH_TITLE, l->key);
			continue;
		}
		if (l->key)
			draw_str(w, 1 + y, 2, l->text ? key_w : iw, TH_PROMPT, l->key);
		if (l->text) {
			theme_set(w, TH_NORMAL);
			draw_text(w, 1 + y, tx, r.w - 2 - tx, l->text, l->len);
		}
	}
	draw_more(w, t->help_top > 0, t->help_top + inner < (int)nl, TH_BORDER);
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
 * when it fits, else on two, and how many keys were ignored (keys.c). */
void view_help_too_small(tui *t)
{
	werase(stdscr);
	char need[64], want[32], have[32];
	snprintf(need, sizeof(need), "need %dx%d, have %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS,
	    t->lay.cols, t->lay.rows);
	snprintf(want, sizeof(want), "need %dx%d", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
	snprintf(have, sizeof(have), "have %dx%d", t->lay.cols, t->lay.rows);
	char ignored[48] = "";
	if (t->small_ignored)
		snprintf(ignored, sizeof(ignored), "%zu key%s ignored", t->small_ignored,
		    t->small_ignored == 1 ? "" : "s");
	const char *one[] = { "terminal too small", need, "F10 quits", ignored };
	const char *two[] = { "terminal too small", want, have, "F10 quits", ignored };
	bool fits = (int)strlen(need) <= t->lay.cols;
	const char **lines = fits ? one : two;
	int n = (fits ? 3 : 4) + (ignored[0] != '\0');
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
