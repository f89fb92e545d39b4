/* draw.c: safe, clipped text output into curses windows. */
#include <string.h>

#include "tui/draw.h"
#include "tui/utf8.h"

static bool draw_utf8 = true;

/* Records whether the locale can show UTF-8. */
void draw_set_utf8(bool utf8)
{
	draw_utf8 = utf8;
}

/* Draws text clipped to maxw columns. */
int draw_text(WINDOW *w, int y, int x, int maxw, const char *s, size_t len)
{
	int wh, ww;
	getmaxyx(w, wh, ww);
	if (y < 0 || y >= wh || x < 0 || x >= ww || maxw <= 0)
		return 0;
	if (maxw > ww - x)
		maxw = ww - x;
	wmove(w, y, x);
	int used = 0;
	bool have_base = false;
	size_t off = 0;
	while (off < len) {
		size_t n;
		uint32_t orig, cp = utf8_shown(s, len, off, &n);
		const char *bytes = s + off;
		char shown[4];
		utf8_decode(bytes, n, &orig);
		off += n;
		if (cp == UTF8_DROP)
			continue;
		if (!draw_utf8 && cp >= 0x80) {
			bytes = "?";
			n = 1;
			cp = '?';
		} else if (cp != orig) {
			/* The sanitiser shows something else here (U+FFFD, a picture). */
			n = utf8_encode(cp, shown);
			bytes = shown;
		}
		int cw = utf8_cpwidth(cp);
		if (cw == 0) {
			/* A combining mark joins the cell before it; alone it is dropped. */
			if (have_base && draw_utf8)
				waddnstr(w, bytes, (int)n);
			continue;
		}
		if (used + cw > maxw) {
			if (used < maxw)
				waddch(w, ' ');
			used = maxw;
			break;
		}
		waddnstr(w, bytes, (int)n);
		used += cw;
		have_base = true;
	}
	return used;
}

/* Draws a NUL-terminated string in a role's style. */
int draw_str(WINDOW *w, int y, int x, int maxw, enum theme_role r, const char *s)
{
	theme_set(w, r);
	return draw_text(w, y, x, maxw, s, strlen(s));
}

/* Draws a range of styled text. */
int draw_styled(WINDOW *w, int y, int x, int maxw, const rc_mc_styled *st,
    size_t from, size_t to, enum theme_role base)
{
	int used = 0;
	size_t pos = from;
	for (size_t i = 0; i < st->n_runs && pos < to && used < maxw; i++) {
		const rc_mc_run *r = &st->runs[i];
		size_t rs = r->off, re = r->off + r->len;
		if (re <= pos)
			continue;
		if (rs > pos) {
			/* Text between runs has the base style. */
			size_t gap_end = rs < to ? rs : to;
			theme_set(w, base);
			used += draw_text(w, y, x + used, maxw - used, st->text + pos, gap_end - pos);
			pos = gap_end;
			if (pos >= to)
				break;
		}
		size_t end = re < to ? re : to;
		attr_t a;
		short p;
		theme_mc(base, r->color, r->attrs, &a, &p);
		wattr_set(w, a, p, NULL);
		used += draw_text(w, y, x + used, maxw - used, st->text + pos, end - pos);
		pos = end;
	}
	if (pos < to && used < maxw) {
		theme_set(w, base);
		used += draw_text(w, y, x + used, maxw - used, st->text + pos, to - pos);
	}
	return used;
}

/* Writes n spaces. */
void draw_fill(WINDOW *w, int y, int x, int n, enum theme_role r)
{
	int wh, ww;
	getmaxyx(w, wh, ww);
	if (y < 0 || y >= wh || x < 0 || x >= ww)
		return;
	if (n > ww - x)
		n = ww - x;
	if (n <= 0)
		return;
	theme_set(w, r);
	wmove(w, y, x);
	for (int i = 0; i < n; i++)
		waddch(w, ' ');
}

/* Draws the "more" arrow in the bottom border (draw.h). */
void draw_more(WINDOW *w, bool up, bool down, enum theme_role r)
{
	int wh, ww;
	getmaxyx(w, wh, ww);
	if ((!up && !down) || wh < 2 || ww <= 6)
		return;
	draw_str(w, wh - 1, ww - 4, 1, r, down ? (draw_utf8 ? "\u2193" : "v") :
	    (draw_utf8 ? "\u2191" : "^"));
}

/* Draws a border and its title. */
void draw_box(WINDOW *w, const char *title, bool focus)
{
	int wh, ww;
	getmaxyx(w, wh, ww);
	if (wh < 2 || ww < 2)
		return;
	theme_set(w, focus ? TH_BORDER_FOCUS : TH_BORDER);
	/* The focused pane gets a double line: visible without colours too. */
	if (focus && draw_utf8)
		wborder_set(w, WACS_D_VLINE, WACS_D_VLINE, WACS_D_HLINE, WACS_D_HLINE,
		    WACS_D_ULCORNER, WACS_D_URCORNER, WACS_D_LLCORNER, WACS_D_LRCORNER);
	else
		box(w, 0, 0);
	if (title && *title && ww > 4) {
		/* " title " when it fits, else cut with an ellipsis. */
		enum theme_role tr = focus ? TH_TITLE_FOCUS : TH_TITLE;
		enum theme_role br = focus ? TH_BORDER_FOCUS : TH_BORDER;
		size_t len = strlen(title);
		draw_str(w, 0, 1, 1, br, " ");
		if (utf8_width(title, len) <= ww - 4) {
			int n = draw_str(w, 0, 2, ww - 4, tr, title);
			draw_str(w, 0, 2 + n, 1, br, " ");
		} else {
			/* Leave a column of line before the corner. */
			size_t fit = utf8_fit(title, len, ww - 5, NULL);
			theme_set(w, tr);
			int n = draw_text(w, 0, 2, ww - 5, title, fit);
			draw_str(w, 0, 2 + n, 1, tr, draw_utf8 ? "\u2026" : "~");
		}
	}
	theme_set(w, TH_NORMAL);
}
