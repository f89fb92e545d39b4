/* view-log.c: the selected server's transcript — timestamps, § colours,
 * wrapping, scrolling and search.
 *
 * A position in the log is (line sequence, wrapped row), so it survives new
 * lines and eviction of old ones (ring.h).  While the view follows it is
 * recomputed from the newest line each time it is drawn; scrolling up stops
 * following, and coming back to the end resumes it.  Replies are shown with
 * their § colours; every other line is the console's own text, shown as is
 * (a typed "say §chi" keeps its code visible).  Lines other than replies
 * start with HH:MM:SS; log_file lines show their own time instead, their
 * level as the colour and a chat sender highlighted.  Lines wrap at word
 * boundaries (wrap.h) with a hanging indent: under the text after the
 * timestamp, or two columns for a reply. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"
#include "tui/wrap.h"

#define LOG_STAMP_W 9          /* "HH:MM:SS " */
#define LOG_STAMP_MIN_W 30     /* narrower panes drop the timestamps */
#define LOG_REPLY_INDENT 2     /* a wrapped reply's following rows */

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

/* The role of a log_file line by its level. */
static const enum theme_role log_level_roles[] = {
	[APP_LOG_NONE] = TH_REPLY,
	[APP_LOG_INFO] = TH_REPLY,
	[APP_LOG_WARN] = TH_LOG_WARN,
	[APP_LOG_ERROR] = TH_ERROR,
	[APP_LOG_DEBUG] = TH_DIM,
};

/* How one transcript line is laid out: where its text is, whether its §
 * codes are drawn as colours, the timestamp and the columns before the
 * first row's text (the timestamp) and before the rows after it (the
 * hanging indent). */
typedef struct log_shape {
	const char *text;    /* what is shown, § codes still in it */
	size_t len;
	bool colours;        /* replies and log_file lines: § codes as colours */
	char stamp[10];      /* "HH:MM:SS " or "" */
	int gutter;          /* columns before the first row's text */
	int indent;          /* columns before the following rows' text */
	enum theme_role role;
} log_shape;

/* Lays out line l for a pane width columns wide.  Lines the console writes
 * get its timestamp; a log_file line shows its own (once) and its level as
 * the colour; replies have none, and their following rows are indented a
 * little so a wrapped line still reads as one.  Only with draw is the
 * console's timestamp formatted (counting rows needs just its width). */
static void log_shape_of(const app_line *l, int width, bool draw, log_shape *sh)
{
	bool stamps = width >= LOG_STAMP_MIN_W;
	sh->text = l->text;
	sh->len = l->len;
	sh->colours = l->kind == APP_LINE_REPLY || l->kind == APP_LINE_LOG;
	sh->role = (size_t)l->kind < LOG_N_ROLES ? log_roles[l->kind] : TH_INFO;
	sh->stamp[0] = '\0';
	/* A log_file line was parsed when it arrived (app_line's log_ fields). */
	if (l->kind == APP_LINE_LOG && l->log_body) {
		sh->text = l->text + l->log_body;
		sh->len = l->len - l->log_body;
		sh->role = l->log_level < sizeof(log_level_roles) / sizeof(log_level_roles[0]) ?
		    log_level_roles[l->log_level] : TH_REPLY;
		if (stamps)
			snprintf(sh->stamp, sizeof(sh->stamp), "%.8s ", l->text + l->log_stamp);
	} else if (l->kind != APP_LINE_REPLY && stamps) {
		time_t when = (time_t)l->when;
		struct tm tm;
		if (!draw)
			snprintf(sh->stamp, sizeof(sh->stamp), "00:00:00 ");
		else if (localtime_r(&when, &tm))
			strftime(sh->stamp, sizeof(sh->stamp), "%H:%M:%S ", &tm);
		else
			snprintf(sh->stamp, sizeof(sh->stamp), "--:--:-- ");
	}
	if (sh->stamp[0]) {
		sh->gutter = LOG_STAMP_W;
		sh->indent = LOG_STAMP_W;
	} else {
		sh->gutter = 0;
		sh->indent = stamps ? LOG_REPLY_INDENT : 0;
	}
}

/* Scratch buffer for the stripped text of one line. */
static char *log_scratch;
static size_t log_scratch_cap;

/* Returns the text of sh as drawn (§ codes stripped when they are colours)
 * in log_scratch, or the line's own text; *len gets its length. */
static const char *log_visible(const log_shape *sh, size_t *len)
{
	if (!sh->colours || !memchr(sh->text, 0xC2, sh->len)) {
		*len = sh->len;
		return sh->text;
	}
	if (log_scratch_cap < sh->len + 1) {
		char *p = realloc(log_scratch, sh->len + 1);
		if (!p) {
			*len = sh->len;
			return sh->text;
		}
		log_scratch = p;
		log_scratch_cap = sh->len + 1;
	}
	*len = rc_mc_strip(sh->text, sh->len, log_scratch);
	return log_scratch;
}

/* Returns the columns the text of row number row has in a pane width wide. */
static int log_avail(const log_shape *sh, int width, int row)
{
	int avail = width - (row == 0 ? sh->gutter : sh->indent);
	return avail > 1 ? avail : 1;
}

/* Returns how many rows line seq takes (1 when it is gone). */
static int log_rows_of(const app_ring *r, uint64_t seq, int width)
{
	const app_line *l = app_ring_get(r, seq);
	if (!l)
		return 1;
	log_shape sh;
	log_shape_of(l, width, false, &sh);
	size_t len;
	const char *s = log_visible(&sh, &len);
	return wrap_rows(s, len, log_avail(&sh, width, 0), log_avail(&sh, width, 1));
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

/* Draws text[from..to) of a styled line: the chat name in [hl_from, hl_to)
 * on the chat role, the rest on role; returns the columns used. */
static int log_draw_span(WINDOW *w, int y, int x, int avail, const rc_mc_styled *st,
    size_t from, size_t to, enum theme_role role, size_t hl_from, size_t hl_to)
{
	int used = 0;
	size_t cuts[4] = { from, hl_from, hl_to, to };
	for (int k = 0; k < 3; k++) {
		size_t a = cuts[k] > from ? cuts[k] : from, b = cuts[k + 1] < to ? cuts[k + 1] : to;
		if (a >= b)
			continue;
		enum theme_role r = k == 1 ? TH_CHAT : role;
		used += draw_styled(w, y, x + used, avail - used, st, a, b, r);
	}
	return used;
}

/* Draws rows [from_row, ...) of line l starting at window row y; returns
 * the rows drawn (at most max). */
static int log_draw_line(tui *t, WINDOW *w, int y, int width, const app_line *l,
    int from_row, int max, bool match)
{
	log_shape sh;
	log_shape_of(l, width, true, &sh);
	enum theme_role role = match ? TH_MATCH : sh.role;
	rc_mc_styled st = { 0 };
	bool styled = sh.colours && !match && rc_mc_style(sh.text, sh.len, &st) == 0;
	size_t len;
	const char *s = styled ? st.text : log_visible(&sh, &len);
	if (styled)
		len = st.len;
	size_t hl_from = 0, hl_to = 0;
	if (styled && l->kind == APP_LINE_LOG && !app_log_chat(s, len, &hl_from, &hl_to))
		hl_from = hl_to = 0;
	int row = 0, drawn = 0;
	size_t off = 0;
	do {
		int avail = log_avail(&sh, width, row);
		size_t next;
		size_t n = wrap_row(s, len, off, avail, &next);
		if (row >= from_row) {
			if (drawn >= max)
				break;
			int x = 1 + (row == 0 ? sh.gutter : sh.indent);
			if (row == 0 && sh.gutter)
				draw_str(w, y + drawn, 1, sh.gutter, TH_STAMP, sh.stamp);
			int used;
			if (styled) {
				used = log_draw_span(w, y + drawn, x, avail, &st, off, off + n, role,
				    hl_from, hl_to);
			} else {
				theme_set(w, role);
				used = draw_text(w, y + drawn, x, avail, s + off, n);
			}
			if (match && used < avail)
				draw_fill(w, y + drawn, x + used, avail - used, role);
			drawn++;
		}
		off = next;
		row++;
	} while (off < len);
	if (styled)
		rc_mc_styled_clear(&st);
	return drawn;
}

/* Draws s wrapped from row *y on, in role r, while rows are left. */
static void log_draw_wrapped(WINDOW *w, int width, int height, int *y, enum theme_role r,
    const char *s)
{
	size_t len = strlen(s), off = 0;
	do {
		size_t next;
		size_t n = wrap_row(s, len, off, width, &next);
		theme_set(w, r);
		draw_text(w, 1 + *y, 1, width, s + off, n);
		off = next;
		(*y)++;
	} while (off < len && *y < height);
}

/* Draws the welcome shown when there is no server at all, wrapped.  With no
 * server's log to keep it, a message too long for the bottom row is shown
 * here whole, in place of the explanation, until the pane is drawn again. */
static void log_draw_empty(tui *t, WINDOW *w, int width, int height)
{
	static const char welcome[] = "no servers yet \u2014 :add to add one, F1 for help";
	static const char more[] = ":add asks for a name, host:port, tags, read-only and the RCON "
	    "password, then saves the profile and connects.  rconsole --demo shows the console on "
	    "simulated servers.  F10 quits.";
	int y = 0;
	log_draw_wrapped(w, width, height, &y, TH_TITLE, welcome);
	bool long_msg = t->msg[0] && utf8_width(t->msg, strlen(t->msg)) > t->lay.cols;
	if (++y >= height)
		return;
	if (long_msg)
		log_draw_wrapped(w, width, height, &y, t->msg_error ? TH_ERROR : TH_MESSAGE, t->msg);
	else
		log_draw_wrapped(w, width, height, &y, TH_NORMAL, more);
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
		log_draw_empty(t, w, width, height);
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
