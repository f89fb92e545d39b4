/* view-servers.c: the server list (a box, one row per server) and, on
 * narrow terminals, the one-line tab bar that replaces it.
 *
 * A row: state glyph, name, then either the player count with a sparkline
 * of recent counts or a short state ("retry 4s", "auth failed", "cfg
 * error"); the RO badge; and a marker when the server has lines the user has
 * not seen (a "!" instead when it has an alert not looked at yet).  When a
 * server reports its health, a TPS column ("19.8", or the tick time "75ms"
 * from vanilla's tick query) sits before the count, coloured against
 * tps_warn / tps_crit (green, yellow, red).  Every row shares one set of
 * columns (view_cols), so counts, sparklines and RO badges line up at every
 * width, and a state is always shown whole: the name gives way to it. */
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/spark.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"

/* Glyphs per state: UTF-8 and ASCII, with the role that colours them. */
static const struct view_glyph {
	const char *utf8;
	const char *ascii;
	enum theme_role role;
} view_glyphs[] = {
	[RC_STATE_IDLE] = { "\u25cb", "-", TH_DIM },
	[RC_STATE_RESOLVING] = { "\u25cc", "o", TH_CONNECTING },
	[RC_STATE_CONNECTING] = { "\u25cc", "o", TH_CONNECTING },
	[RC_STATE_AUTHENTICATING] = { "\u25cc", "o", TH_CONNECTING },
	[RC_STATE_READY] = { "\u25cf", "*", TH_READY },
	[RC_STATE_BUSY] = { "\u25cf", "*", TH_READY },
	[RC_STATE_BACKOFF] = { "\u21bb", "~", TH_CONNECTING },
	[RC_STATE_AUTH_FAILED] = { "\u2716", "x", TH_DOWN },
	[RC_STATE_FAILED] = { "\u2716", "x", TH_DOWN },
};

/* Returns the glyph table entry for s's state. */
static const struct view_glyph *view_glyph_of(const app_server *s)
{
	size_t st = (size_t)s->state;
	if (st >= sizeof(view_glyphs) / sizeof(view_glyphs[0]) || !view_glyphs[st].utf8)
		st = RC_STATE_IDLE;
	return &view_glyphs[st];
}

/* Writes a short state text ("retry 4s", "auth failed", "off"...). */
const char *view_servers_state(const tui *t, const app_server *s, char *buf, size_t cap)
{
	switch (s->state) {
	case RC_STATE_BACKOFF:
		snprintf(buf, cap, "retry %ds", app_retry_seconds(s));
		break;
	case RC_STATE_RESOLVING:
	case RC_STATE_CONNECTING:
	case RC_STATE_AUTHENTICATING:
		snprintf(buf, cap, "%s", t->utf8 ? "\u2026" : "...");
		break;
	case RC_STATE_AUTH_FAILED:
		snprintf(buf, cap, "auth failed");
		break;
	case RC_STATE_FAILED:
		/* A profile that could not be used (no connection): short enough
		 * for a narrow list; the status bar says "config error". */
		snprintf(buf, cap, "%s", app_unavailable(s) ? "cfg error" : "failed");
		break;
	case RC_STATE_IDLE:
		snprintf(buf, cap, "off");
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

/* The colour of a health figure, by level (app_health_level). */
static const enum theme_role view_health_roles[] = {
	[APP_HEALTH_UNKNOWN] = TH_DIM,
	[APP_HEALTH_OK] = TH_READY,
	[APP_HEALTH_WARN] = TH_LOG_WARN,
	[APP_HEALTH_CRIT] = TH_DOWN,
};

#define VIEW_TPS_W 6   /* " 19.8" / " 100ms" */

/* Writes s's health figure ("19.8", "75ms") into buf; "" when unknown. */
static const char *view_health_text(const app_server *s, char *buf, size_t cap)
{
	const rc_mc_health *m = &s->health.last;

	buf[0] = '\0';
	if (!s->health.have)
		return buf;
	if (m->tps[0] >= 0)
		snprintf(buf, cap, "%.1f", m->tps[0] > 99.9 ? 99.9 : m->tps[0]);
	else if (m->mspt >= 0)
		snprintf(buf, cap, "%.0fms", m->mspt > 999 ? 999.0 : m->mspt);
	return buf;
}

/* Returns true when s should show the activity marker. */
static bool view_active(tui *t, size_t i)
{
	return i != t->sel && app_unseen(t->a, i) > 0;
}

/* Draws name cut to nw columns (with an ellipsis when cut) at (y, x). */
static void view_servers_name(tui *t, WINDOW *win, int y, int x, int nw, enum theme_role r,
    const char *name)
{
	size_t len = strlen(name);
	if (nw <= 0)
		return;
	if (utf8_width(name, len) <= nw) {
		draw_str(win, y, x, nw, r, name);
		return;
	}
	theme_set(win, r);
	size_t fit = utf8_fit(name, len, nw - 1, NULL);
	int used = draw_text(win, y, x, nw - 1, name, fit);
	draw_str(win, y, x + used, 1, r, t->utf8 ? "\u2026" : "~");
}

/* The columns every row of the list shares, so counts, sparklines and RO
 * badges line up whatever each server's state: from the left the glyph, a
 * space and the name column; from the right the activity marker, the RO
 * column (when any server is read-only), the sparkline and the count. */
typedef struct view_cols {
	int w;           /* inner width */
	int name_col;    /* widest name, within what the row leaves */
	int ro_w;        /* 3 (" RO") when some server is read-only, else 0 */
	int count_w;     /* right-aligned player count */
	int spark_w;     /* sparkline bars, 0 = none */
	int tps_w;       /* VIEW_TPS_W when some server reports health and it fits */
} view_cols;

/* Works out the shared columns of a list w columns wide. */
static void view_servers_cols(tui *t, int w, view_cols *c)
{
	size_t n = app_count(t->a);
	if (n < t->cols_seen) {
		t->cols_seen = 0;
		t->cols_name = 0;
		t->cols_ro = false;
		t->cols_tps = false;
	}
	for (; t->cols_seen < n; t->cols_seen++) {
		const app_server *s = app_get(t->a, t->cols_seen);
		t->work++;
		int nw = utf8_width(s->name, strlen(s->name));
		if (nw > t->cols_name)
			t->cols_name = nw;
		if (s->read_only)
			t->cols_ro = true;
	}
	/* The TPS column appears once a server on screen has reported health,
	 * and stays (rows keep their alignment when one goes down). */
	size_t first, count;
	view_servers_visible(t, &first, &count);
	for (size_t i = first; !t->cols_tps && i < n && i - first < count; i++, t->work++)
		t->cols_tps = app_get(t->a, i)->health.have;
	c->w = w;
	c->ro_w = t->cols_ro ? 3 : 0;
	c->tps_w = t->cols_tps ? VIEW_TPS_W : 0;
	c->name_col = t->cols_name > 4 ? t->cols_name : 4;
	c->count_w = 3;
	int room = w - 2 - 1 - c->ro_w;          /* after glyph+space and marker */
	if (room - c->tps_w < 4 + 1 + c->count_w + 1 + 2)
		c->tps_w = 0;      /* too narrow: a short name and the bars come first */
	room -= c->tps_w;
	if (c->name_col > room - c->count_w - 1)
		c->name_col = room - c->count_w - 1;
	if (c->name_col < 1)
		c->name_col = 1;
	c->spark_w = room - c->name_col - 1 - c->count_w - 1;
	if (c->spark_w > 8)
		c->spark_w = 8;
	if (c->spark_w < 2)
		c->spark_w = 0;
}

/* Draws one list row of server i at row y: glyph, name, then the count and
 * sparkline (or the state, whole: "retry 12s" takes room from the name,
 * never the other way round), the RO badge and the marker. */
static void view_servers_row(tui *t, WINDOW *win, int y, const view_cols *c, size_t i)
{
	app_server *s = app_get(t->a, i);
	t->work++;
	bool selected = i == t->sel;
	bool cursor = selected && t->focus == TUI_F_SERVERS;
	enum theme_role base = selected ? (cursor ? TH_CURSOR : TH_SELECTED) : TH_NORMAL;
	int w = c->w;
	draw_fill(win, y, 1, w, base);
	const struct view_glyph *g = view_glyph_of(s);
	draw_str(win, y, 1, 1, cursor ? base : g->role, t->utf8 ? g->utf8 : g->ascii);
	bool active = view_active(t, i);
	int end = w;               /* the marker column */
	if (s->alert != APP_EV_NONE && !selected)
		draw_str(win, y, end, 1, TH_WARN, "!");    /* an alert not looked at yet */
	else if (active)
		draw_str(win, y, end, 1, TH_ACTIVITY, t->utf8 ? "\u2022" : "*");
	int right = end - c->ro_w; /* the field area ends here */
	if (s->read_only)
		draw_str(win, y, right, c->ro_w, cursor ? base : TH_RO, " RO");
	bool ready = s->state == RC_STATE_READY || s->state == RC_STATE_BUSY;
	char field[64];
	if (ready) {
		if (s->have_players && s->players.count >= 0)
			snprintf(field, sizeof(field), "%d", s->players.count);
		else
			snprintf(field, sizeof(field), "%s", t->utf8 ? "\u2026" : "?");
	} else {
		view_servers_state(t, s, field, sizeof(field));
	}
	int fw = utf8_width(field, strlen(field));
	int x;
	if (ready) {
		/* The count right-aligned in its column, the bars after it. */
		int count_end = right - (c->spark_w ? c->spark_w + 1 : 0);
		if (fw > count_end - 3)
			fw = count_end - 3;
		x = count_end - fw;
		theme_set(win, base);
		draw_text(win, y, x, fw, field, strlen(field));
		if (c->spark_w && s->n_spark > 0) {
			/* The bars end at the badge; the count's column does not move
			 * while the series is still shorter than the room. */
			char sp[8 * 3 + 1];
			size_t n = spark_render(s->spark, s->n_spark, (size_t)c->spark_w, t->utf8, sp,
			    sizeof(sp));
			draw_str(win, y, right - (int)n, (int)n, cursor ? base : TH_SPARK, sp);
		}
		x = count_end - (fw > c->count_w ? fw : c->count_w);
		if (c->tps_w) {
			char hb[16];
			enum app_health_level lv = app_health_level(t->a, s);
			int hw;
			view_health_text(s, hb, sizeof hb);
			hw = utf8_width(hb, strlen(hb));
			x -= c->tps_w;
			if (hw > 0 && hw < c->tps_w)
				draw_str(win, y, x + c->tps_w - 1 - hw, hw,
				    cursor ? base : view_health_roles[lv], hb);
		}
	} else {
		/* The state, whole, ending where the counts end (a read-write
		 * server's empty RO column is room for it too). */
		int stop = s->read_only ? right : end;
		if (fw > stop - 5)
			fw = stop - 5;
		x = stop - fw;
		theme_set(win, cursor ? base : g->role);
		size_t fit = utf8_fit(field, strlen(field), fw, NULL);
		draw_text(win, y, x, fw, field, fit);
	}
	int name_w = x - 1 - 3;
	if (name_w > c->name_col)
		name_w = c->name_col;
	enum theme_role nr = selected ? base : (active ? TH_ACTIVITY : TH_NORMAL);
	view_servers_name(t, win, y, 3, name_w, nr, s->name);
}

/* Draws the boxed list. */
static void view_servers_list(tui *t)
{
	WINDOW *w = t->w_servers;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	size_t n = app_count(t->a);
	char title[32];
	snprintf(title, sizeof(title), "Servers %zu", n);
	draw_box(w, title, t->focus == TUI_F_SERVERS);
	int rows = h - 2;
	if (rows <= 0)
		return;
	if (t->sel < t->list_top)
		t->list_top = t->sel;
	if (t->sel >= t->list_top + (size_t)rows)
		t->list_top = t->sel - (size_t)rows + 1;
	if (t->list_top + (size_t)rows > n)
		t->list_top = n > (size_t)rows ? n - (size_t)rows : 0;
	/* One set of columns for every row, so counts, bars and badges line up. */
	view_cols cols;
	view_servers_cols(t, wd - 2, &cols);
	for (int r = 0; r < rows && t->list_top + (size_t)r < n; r++)
		view_servers_row(t, w, 1 + r, &cols, t->list_top + (size_t)r);
	if (n == 0)
		draw_str(w, 1, 1, wd - 2, TH_DIM, "(none: :add)");
}

/* Returns the servers whose rows the list shows. */
void view_servers_visible(const tui *t, size_t *first, size_t *count)
{
	size_t n = app_count(t->a);
	int rows = t->w_servers && t->lay.mode != LAYOUT_TABS ? getmaxy(t->w_servers) - 2 : 0;
	*first = t->list_top < n ? t->list_top : 0;
	*count = rows > 0 ? (size_t)rows : 0;
	if (*first + *count > n)
		*count = n - *first;
}

/* Returns the width of server i's tab. */
static int view_tab_width(tui *t, size_t i)
{
	app_server *s = app_get(t->a, i);
	t->work++;
	return 1 + utf8_width(s->name, strlen(s->name)) + (view_active(t, i) ? 1 : 0) + 1;
}

/* Draws the one-line tab bar: '<' and '>' in the end columns when tabs
 * are cut off on that side. */
static void view_servers_tabs(tui *t)
{
	WINDOW *w = t->w_servers;
	int wd = getmaxx(w);
	werase(w);
	size_t n = app_count(t->a);
	if (n == 0) {
		draw_str(w, 0, 0, wd, TH_DIM, "no servers (:add)");
		return;
	}
	/* Start early enough that the selected tab is whole on screen, with
	 * room for both markers. */
	size_t first = t->sel;
	int used = view_tab_width(t, t->sel);
	while (first > 0 && used + view_tab_width(t, first - 1) <= wd - 2) {
		first--;
		used += view_tab_width(t, first);
	}
	int x = 0;
	if (first > 0)
		x += draw_str(w, 0, x, 1, TH_DIM, "<");
	bool more = false;
	size_t i;
	for (i = first; i < n && x < wd; i++) {
		app_server *s = app_get(t->a, i);
		bool sel = i == t->sel;
		const struct view_glyph *g = view_glyph_of(s);
		enum theme_role nr = sel ? (t->focus == TUI_F_SERVERS ? TH_CURSOR : TH_TITLE_FOCUS) : TH_NORMAL;
		if (x + view_tab_width(t, i) - 1 > wd)
			more = true;
		x += draw_str(w, 0, x, wd - x, sel ? nr : g->role, t->utf8 ? g->utf8 : g->ascii);
		x += draw_str(w, 0, x, wd - x, nr, s->name);
		if (view_active(t, i))
			x += draw_str(w, 0, x, wd - x, TH_ACTIVITY, t->utf8 ? "\u2022" : "*");
		x += draw_str(w, 0, x, wd - x, TH_NORMAL, " ");
	}
	if (more || i < n)
		draw_str(w, 0, wd - 1, 1, TH_DIM, ">");
}

/* Draws the server list or the tab bar, whichever the layout shows. */
void view_servers_draw(tui *t)
{
	if (!t->w_servers)
		return;
	if (t->lay.mode == LAYOUT_TABS)
		view_servers_tabs(t);
	else
		view_servers_list(t);
	wnoutrefresh(t->w_servers);
}

/* Returns the server drawn at window cell (y, x) (a click), or -1: the
 * list's rows, or the tab bar's tabs laid out as view_servers_tabs() draws
 * them. */
long view_servers_hit(tui *t, int y, int x)
{
	size_t n = app_count(t->a);
	if (!t->w_servers || n == 0)
		return -1;
	if (t->lay.mode != LAYOUT_TABS) {
		if (y < 1 || y > getmaxy(t->w_servers) - 2)
			return -1;
		size_t i = t->list_top + (size_t)(y - 1);
		return i < n ? (long)i : -1;
	}
	int wd = getmaxx(t->w_servers);
	size_t first = t->sel;
	int used = view_tab_width(t, t->sel);
	while (first > 0 && used + view_tab_width(t, first - 1) <= wd - 2) {
		first--;
		used += view_tab_width(t, first);
	}
	int at = first > 0 ? 1 : 0;
	for (size_t i = first; i < n && at < wd; i++) {
		int w = view_tab_width(t, i);
		if (x >= at && x < at + w)
			return (long)i;
		at += w;
	}
	return -1;
}
