/* view-log.c: the selected server's transcript — timestamps, § colours,
 * wrapping, scrolling and search.
 *
 * A position in the log is (line sequence, wrapped row), so it survives new
 * lines and eviction of old ones (ring.h).  While the view follows it is
 * recomputed from the newest line each time it is drawn; scrolling up stops
 * following, and coming back to the end resumes it.  Replies are shown with
 * their § colours; every other line is the console's own text, shown as is
 * (a typed "say §chi" keeps its code visible).  Lines other than replies
 * start with HH:MM:SS, and their continuation rows are indented to match. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"

#define LOG_STAMP_W 9          /* "HH:MM:SS " */
#define LOG_STAMP_MIN_W 30     /* narrower panes drop the timestamps */

/* The role each kind of line is drawn in. */
static const enum theme_role log_roles[] = {
	[APP_LINE_CMD] = TH_CMD,
	[APP_LINE_REPLY] = TH_REPLY,
	[APP_LINE_JOIN] = TH_JOIN,
	[APP_LINE_LEAVE] = TH_LEAVE,
	[APP_LINE_STATE] = TH_STATE,
	[APP_LINE_ERROR] = TH_ERROR,
	[APP_LINE_INFO] = TH_INFO,
	[APP_LINE_LOG] = TH_REPLY,
};
#define LOG_N_ROLES (sizeof(log_roles) / sizeof(log_roles[0]))

/* Scratch buffer for the stripped text of one line. */
static char *log_scratch;
static size_t log_scratch_cap;

/* Returns the line's visible text (§ codes stripped for replies) in
 * log_scratch, or the line's own text; *len gets its length. */
static const char *log_visible(const app_line *l, size_t *len)
{
	if (l->kind != APP_LINE_REPLY || !memchr(l->text, 0xC2, l->len)) {
		*len = l->len;
		return l->text;
	}
	if (log_scratch_cap < l->len + 1) {
		char *p = realloc(log_scratch, l->len + 1);
		if (!p) {
			*len = l->len;
			return l->text;
		}
		log_scratch = p;
		log_scratch_cap = l->len + 1;
	}
	*len = rc_mc_strip(l->text, l->len, log_scratch);
	return log_scratch;
}

/* Returns the gutter width of a line in a pane width columns wide. */
static int log_gutter(const app_line *l, int width)
{
	return l->kind != APP_LINE_REPLY && width >= LOG_STAMP_MIN_W ? LOG_STAMP_W : 0;
}

/* Returns the byte length of the row of text starting at off. */
static size_t log_row_len(const char *s, size_t len, size_t off, int avail)
{
	size_t fit = utf8_fit(s + off, len - off, avail, NULL);
	if (fit == 0 && off < len)
		fit = utf8_next(s, len, off) - off;
	return fit;
}

/* Returns how many rows line seq takes (1 when it is gone). */
static int log_rows_of(const app_ring *r, uint64_t seq, int width)
{
	const app_line *l = app_ring_get(r, seq);
	if (!l)
		return 1;
	size_t len;
	const char *s = log_visible(l, &len);
	int avail = width - log_gutter(l, width);
	if (avail < 1)
		avail = 1;
	int rows = 0;
	size_t off = 0;
	do {
		off += log_row_len(s, len, off, avail);
		rows++;
	} while (off < len);
	return rows;
}

/* Returns the inner width of the log box. */
static int log_width(const tui *t)
{
	return t->lay.log.w - 2 > 1 ? t->lay.log.w - 2 : 1;
}

/* Returns the number of text rows inside the log box. */
int view_log_rows(const tui *t)
{
	return t->lay.log.h - 2 > 0 ? t->lay.log.h - 2 : 0;
}

/* Moves (top, row) up by k rows. */
static void log_up(const app_ring *r, int width, uint64_t *top, int *row, int k)
{
	uint64_t first = app_ring_first(r);
	while (k > 0) {
		if (*row > 0) {
			int d = *row < k ? *row : k;
			*row -= d;
			k -= d;
			continue;
		}
		if (*top <= first)
			break;
		(*top)--;
		*row = log_rows_of(r, *top, width);
	}
}

/* Moves (top, row) down by k rows, stopping at the last row. */
static void log_down(const app_ring *r, int width, uint64_t *top, int *row, int k)
{
	uint64_t last = app_ring_last(r);
	while (k > 0) {
		int n = log_rows_of(r, *top, width);
		if (*row + 1 < n) {
			int d = n - 1 - *row < k ? n - 1 - *row : k;
			*row += d;
			k -= d;
			continue;
		}
		if (*top >= last)
			break;
		(*top)++;
		*row = 0;
		k--;
	}
}

/* Returns the rows from (top, row) to the end, counting at most limit + 1. */
static int log_rows_to_end(const app_ring *r, int width, uint64_t top, int row, int limit)
{
	uint64_t last = app_ring_last(r);
	int n = log_rows_of(r, top, width) - row;
	for (uint64_t s = top + 1; s <= last && n <= limit; s++)
		n += log_rows_of(r, s, width);
	return n;
}

/* Finds the top position that puts the newest line on the last row. */
static void log_bottom_top(const app_ring *r, int width, int height, uint64_t *top, int *row)
{
	uint64_t first = app_ring_first(r), last = app_ring_last(r);
	*top = last;
	*row = 0;
	if (last == 0)
		return;
	int need = height;
	for (uint64_t s = last; s >= first && s > 0; s--) {
		int n = log_rows_of(r, s, width);
		if (n >= need) {
			*top = s;
			*row = n - need;
			return;
		}
		need -= n;
		*top = s;
	}
	*row = 0;
}

/* Keeps a view's position valid after eviction. */
static void log_clamp(tui_view *v, const app_ring *r)
{
	uint64_t first = app_ring_first(r);
	if (v->top < first) {
		v->top = first;
		v->top_row = 0;
	}
}

/* Draws rows [from_row, ...) of line l starting at window row y; returns
 * the rows drawn (at most max). */
static int log_draw_line(tui *t, WINDOW *w, int y, int width, const app_line *l,
    int from_row, int max, bool match)
{
	enum theme_role role = match ? TH_MATCH :
	    (size_t)l->kind < LOG_N_ROLES ? log_roles[l->kind] : TH_INFO;
	rc_mc_styled st = { 0 };
	bool styled = l->kind == APP_LINE_REPLY && !match && rc_mc_style(l->text, l->len, &st) == 0;
	const char *s = styled ? st.text : l->text;
	size_t len = styled ? st.len : l->len;
	int gutter = log_gutter(l, width);
	int avail = width - gutter > 0 ? width - gutter : 1;
	int row = 0, drawn = 0;
	size_t off = 0;
	do {
		size_t n = log_row_len(s, len, off, avail);
		if (row >= from_row) {
			if (drawn >= max)
				break;
			int x = 1;
			if (gutter && row == 0) {
				char stamp[16];
				time_t when = (time_t)l->when;
				struct tm tm;
				localtime_r(&when, &tm);
				strftime(stamp, sizeof(stamp), "%H:%M:%S ", &tm);
				draw_str(w, y + drawn, x, gutter, TH_STAMP, stamp);
			}
			x += gutter;
			int used;
			if (styled)
				used = draw_styled(w, y + drawn, x, avail, &st, off, off + n, role);
			else {
				theme_set(w, role);
				used = draw_text(w, y + drawn, x, avail, s + off, n);
			}
			if (match && used < avail)
				draw_fill(w, y + drawn, x + used, avail - used, role);
			drawn++;
		}
		off += n;
		row++;
	} while (off < len);
	if (styled)
		rc_mc_styled_clear(&st);
	return drawn;
}

/* Draws the text shown when there is no server at all. */
static void log_draw_empty(tui *t, WINDOW *w, int width)
{
	static const char *const lines[] = {
		"No servers.",
		"",
		"Type :add to add one, or start rconsole",
		"with --config FILE or --demo.",
		"F1 shows the keys, F10 quits.",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		draw_str(w, 1 + (int)i, 1, width, i == 0 ? TH_TITLE : TH_NORMAL, lines[i]);
}

/* Draws the log box. */
void view_log_draw(tui *t)
{
	WINDOW *w = t->w_log;
	if (!w)
		return;
	werase(w);
	int width = log_width(t), height = view_log_rows(t);
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	bool focus = t->focus == TUI_F_LOG;
	if (!s || !v) {
		draw_box(w, "rconsole", focus);
		log_draw_empty(t, w, width);
		wnoutrefresh(w);
		return;
	}
	char title[300];
	const rc_profile *p = s->profile;
	bool wide = p && p->host && width > 40;
	if (wide) {
		bool v6 = strchr(p->host, ':') != NULL; /* [::1]:25575, as the log writes it */
		snprintf(title, sizeof(title), "%s  %s%s%s:%d%s", s->name, v6 ? "[" : "", p->host,
		    v6 ? "]" : "", p->port, s->read_only ? "  read-only" : "");
	}
	/* Too long for the edge: the name alone (draw_box cuts what is left). */
	if (!wide || utf8_width(title, strlen(title)) > width - 2)
		snprintf(title, sizeof(title), "%s%s", s->name, s->read_only ? " RO" : "");
	draw_box(w, title, focus);
	const app_ring *r = s->log;
	v->shown_first = v->shown_last = 0;
	if (app_ring_count(r) == 0 || height <= 0) {
		wnoutrefresh(w);
		return;
	}
	uint64_t top;
	int row;
	if (v->follow) {
		log_bottom_top(r, width, height, &top, &row);
	} else {
		log_clamp(v, r);
		top = v->top;
		row = v->top_row;
	}
	uint64_t last = app_ring_last(r);
	int y = 0;
	v->shown_first = top;
	for (uint64_t seq = top; seq <= last && y < height; seq++) {
		const app_line *l = app_ring_get(r, seq);
		if (!l)
			continue;
		y += log_draw_line(t, w, 1 + y, width, l, seq == top ? row : 0, height - y,
		    seq == v->match);
		v->shown_last = seq;
	}
	if (!v->follow) {
		/* End only reaches the log from its pane; PgDn works from anywhere. */
		bool here = t->focus == TUI_F_LOG;
		const char *more = here ? (t->utf8 ? " \u2193 End " : " End: newest ")
		    : (t->utf8 ? " \u2193 PgDn " : " PgDn: newer ");
		int mw = utf8_width(more, strlen(more));
		int x = t->lay.log.w - 2 - mw;
		if (x > 1)
			draw_str(w, t->lay.log.h - 1, x, mw, TH_TITLE_FOCUS, more);
	}
	wnoutrefresh(w);
}

/* Returns the current top position of view v (computing it when following). */
static void log_current_top(tui *t, tui_view *v, const app_ring *r, uint64_t *top, int *row)
{
	if (v->follow) {
		log_bottom_top(r, log_width(t), view_log_rows(t), top, row);
	} else {
		log_clamp(v, r);
		*top = v->top;
		*row = v->top_row;
	}
}

/* Sets v's position, following again when the end is in view. */
static void log_set_top(tui *t, tui_view *v, const app_ring *r, uint64_t top, int row)
{
	int height = view_log_rows(t);
	v->top = top;
	v->top_row = row;
	v->follow = log_rows_to_end(r, log_width(t), top, row, height) <= height;
}

/* Scrolls the selected log by rows. */
unsigned view_log_scroll(tui *t, int rows)
{
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	if (!s || !v || app_ring_count(s->log) == 0 || view_log_rows(t) <= 0)
		return 0;
	uint64_t top;
	int row;
	log_current_top(t, v, s->log, &top, &row);
	if (rows < 0)
		log_up(s->log, log_width(t), &top, &row, -rows);
	else
		log_down(s->log, log_width(t), &top, &row, rows);
	log_set_top(t, v, s->log, top, row);
	return TUI_D_LOG;
}

/* Jumps to the oldest line. */
unsigned view_log_home(tui *t)
{
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	if (!s || !v || app_ring_count(s->log) == 0)
		return 0;
	log_set_top(t, v, s->log, app_ring_first(s->log), 0);
	return TUI_D_LOG;
}

/* Goes back to following the newest line. */
unsigned view_log_end(tui *t)
{
	tui_view *v = tui_view_cur(t);
	if (!v)
		return 0;
	v->follow = true;
	return TUI_D_LOG;
}

/* Searches for t->needle and brings the match into view. */
unsigned view_log_search(tui *t, int dir, bool from_view)
{
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	if (!s || !v || !t->needle || !*t->needle)
		return 0;
	const app_ring *r = s->log;
	uint64_t start;
	if (from_view || v->match == 0)
		start = v->follow || v->shown_last == 0 ? app_ring_last(r) : v->shown_last;
	else
		start = dir < 0 ? v->match - 1 : v->match + 1;
	uint64_t hit = start ? app_ring_search(r, start, dir, t->needle) : 0;
	if (!hit) {
		tui_message(t, true, "%s: %s", dir < 0 ? "no older match" : "no newer match", t->needle);
		return TUI_D_BOTTOM;
	}
	v->match = hit;
	if (hit < v->shown_first || hit > v->shown_last || v->shown_first == 0) {
		uint64_t top = hit;
		int row = 0;
		log_up(r, log_width(t), &top, &row, view_log_rows(t) / 2);
		log_set_top(t, v, r, top, row);
	}
	return TUI_D_LOG;
}
