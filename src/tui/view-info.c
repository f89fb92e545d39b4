/* view-info.c: the details of the selected server (F2 or :info), an overlay
 * like the help: state, address, how long the connection has been up, round
 * trips now/average/longest, reconnects, stray packets, the health figure
 * (TPS, or ms per tick) with a sparkline, players with a sparkline, and the
 * last error.  A value wider than the popup wraps under itself; when the
 * rows do not fit the terminal, Up/Down scroll them (t->help_top: the help
 * and the details are never open together).  Any other key closes it; it
 * is redrawn with the panes, so the figures follow each refresh. */
#include <stdio.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/spark.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"
#include "tui/wrap.h"

#define INFO_ROWS 12
#define INFO_SPARK 24
#define INFO_LINES 64      /* screen lines the rows may wrap into */
#define INFO_VALUE_X 16    /* the column the values start at */

/* One row: a label and its text. */
typedef struct info_row {
	const char *label;
	char text[160];
	enum theme_role role;
} info_row;

/* Writes a duration in seconds as "3 h 12 min", "4 min 5 s" or "12 s". */
static void info_duration(int64_t secs, char *buf, size_t cap)
{
	if (secs >= 3600)
		snprintf(buf, cap, "%lld h %lld min", (long long)(secs / 3600),
		    (long long)(secs % 3600 / 60));
	else if (secs >= 60)
		snprintf(buf, cap, "%lld min %lld s", (long long)(secs / 60), (long long)(secs % 60));
	else
		snprintf(buf, cap, "%lld s", (long long)secs);
}

/* Writes a round trip in microseconds as milliseconds ("-" when unknown). */
static void info_ms(int64_t us, char *buf, size_t cap)
{
	if (us < 0)
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.1f ms", (double)us / 1000.0);
}

/* Writes the health row of s: figure and the sparkline of recent figures. */
static enum theme_role info_health(tui *t, const app_server *s, char *buf, size_t cap)
{
	static const enum theme_role roles[] = {
		[APP_HEALTH_UNKNOWN] = TH_DIM, [APP_HEALTH_OK] = TH_READY,
		[APP_HEALTH_WARN] = TH_LOG_WARN, [APP_HEALTH_CRIT] = TH_DOWN,
	};
	const app_health *h = &s->health;
	int vals[APP_SPARK_MAX];
	char sp[INFO_SPARK * 3 + 1] = "";
	int n = 0;

	if (!h->have) {
		snprintf(buf, cap, "%s", h->probe == APP_PROBE_DONE && !h->command ?
		    "not reported (no tps, mspt, tick query or forge tps)" :
		    h->probe == APP_PROBE_NONE ? "-" : "finding out...");
		return TH_DIM;
	}
	for (size_t i = 0; i < h->n_spark; i++)
		vals[i] = h->spark[i] < 0 ? -1 : (int)(h->spark[i] * 10.0);
	spark_render(vals, h->n_spark, INFO_SPARK, t->utf8, sp, sizeof sp);
	if (h->last.tps[0] >= 0 && h->last.tps[1] >= 0)
		n = snprintf(buf, cap, "%.1f TPS (5m %.1f, 15m %.1f)", h->last.tps[0], h->last.tps[1],
		    h->last.tps[2]);
	else if (h->last.tps[0] >= 0)
		n = snprintf(buf, cap, "%.1f TPS", h->last.tps[0]);
	if (h->last.mspt >= 0 && n >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, "%s%.1f ms/tick", n ? ", " : "", h->last.mspt);
	if (n >= 0 && (size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, "  %s  [%s]", sp, h->command ? h->command : "");
	return roles[app_health_level(t->a, s)];
}

/* Fills the rows for server s; returns how many. */
static size_t info_rows(tui *t, const app_server *s, info_row *rows)
{
	const app_health *h = &s->health;
	const rc_conn_stats *st = app_conn_stats(s);
	const rc_profile *p = s->profile;
	char a[32], b[32], c[32];
	int vals[APP_SPARK_MAX];
	size_t n = 0;

	rows[n] = (info_row){ "state", "", TH_NORMAL };
	app_status_text(s, rows[n].text, sizeof rows[n].text);
	n++;
	rows[n] = (info_row){ "address", "", TH_NORMAL };
	snprintf(rows[n].text, sizeof rows[n].text, "%s%s%s:%d%s",
	    p && p->host && strchr(p->host, ':') ? "[" : "", p && p->host ? p->host : "?",
	    p && p->host && strchr(p->host, ':') ? "]" : "", p ? p->port : 0,
	    s->read_only ? "  read-only" : "");
	n++;
	rows[n] = (info_row){ "connected", "-", TH_NORMAL };
	if (h->up_since_ms >= 0) {
		info_duration((rc_now_ms() - h->up_since_ms) / 1000, a, sizeof a);
		snprintf(rows[n].text, sizeof rows[n].text, "for %s", a);
	}
	n++;
	/* "now" only while connected: the last one is history once it is not. */
	bool up = s->state == RC_STATE_READY || s->state == RC_STATE_BUSY;
	info_ms(up ? s->rtt_us : -1, a, sizeof a);
	info_ms(h->rtt_n ? h->rtt_sum_us / (int64_t)h->rtt_n : -1, b, sizeof b);
	info_ms(h->rtt_max_us, c, sizeof c);
	rows[n] = (info_row){ "round trip", "", TH_NORMAL };
	snprintf(rows[n].text, sizeof rows[n].text, "now %s, average %s, longest %s", a, b, c);
	n++;
	rows[n] = (info_row){ "reconnects", "-", TH_NORMAL };
	if (st)
		snprintf(rows[n].text, sizeof rows[n].text, "%llu", (unsigned long long)st->reconnects);
	n++;
	rows[n] = (info_row){ "strays", "-", TH_NORMAL };
	if (st)
		snprintf(rows[n].text, sizeof rows[n].text, "%llu (packets no command was waiting for)",
		    (unsigned long long)st->strays);
	n++;
	rows[n] = (info_row){ "health", "", TH_NORMAL };
	rows[n].role = info_health(t, s, rows[n].text, sizeof rows[n].text);
	n++;
	rows[n] = (info_row){ "players", "-", TH_NORMAL };
	if (s->have_players && s->players.count >= 0) {
		char sp[INFO_SPARK * 3 + 1] = "";
		for (size_t i = 0; i < s->n_spark; i++)
			vals[i] = s->spark[i];
		spark_render(vals, s->n_spark, INFO_SPARK, t->utf8, sp, sizeof sp);
		snprintf(rows[n].text, sizeof rows[n].text, "%d of %d  %s", s->players.count,
		    s->players.max, sp);
	}
	n++;
	rows[n] = (info_row){ "last error", "none", TH_NORMAL };
	if (s->cause) {
		snprintf(rows[n].text, sizeof rows[n].text, "%s", s->cause);
		rows[n].role = TH_ERROR;
	}
	n++;
	return n;
}

/* One screen line of the popup: a piece of row row's text. */
typedef struct info_line {
	size_t row, off, len;
} info_line;

/* Wraps the rows' texts to vw columns into lines; returns how many. */
static size_t info_wrap(const info_row *rows, size_t n, int vw, info_line *lines, size_t max)
{
	size_t nl = 0;
	for (size_t i = 0; i < n && nl < max; i++) {
		size_t len = strlen(rows[i].text), off = 0;
		do {
			size_t next;
			size_t k = wrap_row(rows[i].text, len, off, vw, &next);
			lines[nl++] = (info_line){ i, off, k };
			off = next;
		} while (off < len && nl < max);
	}
	return nl;
}

/* Draws the details overlay of the selected server. */
void view_info_draw(tui *t)
{
	info_row rows[INFO_ROWS];
	info_line lines[INFO_LINES];
	const app_server *s = app_count(t->a) ? app_get(t->a, t->sel) : NULL;
	size_t n = s ? info_rows(t, s, rows) : 0;
	int pw = t->lay.cols < 78 ? t->lay.cols : 78;
	int vw = pw - 2 - INFO_VALUE_X > 1 ? pw - 2 - INFO_VALUE_X : 1;
	size_t nl = info_wrap(rows, n, vw, lines, INFO_LINES);
	int h = (int)nl + 2 < t->lay.rows - 1 ? (int)nl + 2 : t->lay.rows - 1;
	layout_rect r = layout_center(&t->lay, 78, h < 3 ? 3 : h);
	char title[96];
	WINDOW *w;
	int inner = r.h - 2 > 0 ? r.h - 2 : 0;

	if (t->w_popup)
		delwin(t->w_popup);
	t->w_popup = newwin(r.h, r.w, r.y, r.x);
	if (!t->w_popup)
		return;
	w = t->w_popup;
	werase(w);
	t->info_scrolls = (int)nl > inner;
	if (t->help_top > (int)nl - inner)
		t->help_top = (int)nl - inner;
	if (t->help_top < 0)
		t->help_top = 0;
	snprintf(title, sizeof title, "%s: %s", s ? s->name : "no server",
	    t->info_scrolls ? "Up/Down, other keys close" : "any key closes");
	draw_box(w, title, true);
	for (int y = 0; y < inner && t->help_top + y < (int)nl; y++) {
		const info_line *l = &lines[t->help_top + y];
		const info_row *row = &rows[l->row];
		if (l->off == 0)
			draw_str(w, 1 + y, 2, 12, TH_PROMPT, row->label);
		if (r.w - 2 - INFO_VALUE_X > 0) {
			theme_set(w, row->role);
			draw_text(w, 1 + y, INFO_VALUE_X, r.w - 2 - INFO_VALUE_X, row->text + l->off, l->len);
		}
	}
	/* Which way there is more, in the bottom border. */
	draw_more(w, t->info_scrolls, t->info_scrolls && t->help_top + inner < (int)nl,
	    TH_BORDER_FOCUS);
	wnoutrefresh(w);
}

/* Scrolls the details with Up/Down when they do not fit; any other key
 * closes them. */
unsigned view_info_key(tui *t, bool fn, int code)
{
	if (fn && t->info_scrolls && (code == KEY_UP || code == KEY_DOWN)) {
		t->help_top += code == KEY_UP ? -1 : 1;
		return TUI_D_POPUP;
	}
	t->mode = TUI_M_EDIT;
	return TUI_D_PANES;
}

/* Opens the details overlay (F2, :info). */
unsigned view_info_open(tui *t)
{
	t->mode = TUI_M_INFO;
	t->help_top = 0;
	return TUI_D_POPUP | TUI_D_BOTTOM;
}
