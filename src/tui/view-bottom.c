/* view-bottom.c: the last row — the command line (or the prompt, search or
 * question that replaces it) on the left and the status on the right:
 * the selected server's state when it is not ready, RW/RO, the last round
 * trip and key hints, dropped in that order from the right as room runs out.
 * A message replaces the whole row until the next key.
 *
 * The hint row, just above, is drawn over the panes' last row only while
 * there is something to say: the candidates of a Tab with several (the
 * one on the line highlighted, as zsh lists them), what Enter and Esc
 * do with a paste of several lines, or the usage of the command being
 * typed from the server's own command tree, the argument at the cursor
 * highlighted as the game's chat does ("kick <targets> [<reason>]"); a word
 * the tree does not have is named in the error colour (Enter still sends
 * it: the server decides). */
#include <stdio.h>
#include <string.h>

#include "app/app-tree.h"
#include "tui/complete.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"

/* The status's key hint that a click also takes. */
#define BOTTOM_HELP "F1 help"

/* One piece of the status, in the order drawn. */
typedef struct bottom_piece {
	char text[48];
	enum theme_role role;
	int prio;            /* dropped from the highest number down */
	char alt[24];        /* a shorter text to try before dropping it ("" none) */
} bottom_piece;

/* Returns the round trip to show: the last one, but only once it moved by
 * more than 20 ms and by half, so refresh jitter does not rewrite the
 * status bar every few seconds (an idle console writes nothing) while a
 * server that really slows down shows it. */
static int64_t bottom_rtt(tui_view *v, int64_t rtt_us)
{
	if (!v)
		return rtt_us;
	int64_t shown = v->rtt_shown_us;
	if (shown < 0 || rtt_us < 0) {
		v->rtt_shown_us = rtt_us;
		return rtt_us;
	}
	int64_t diff = rtt_us > shown ? rtt_us - shown : shown - rtt_us;
	int64_t slack = shown / 2 > 20000 ? shown / 2 : 20000;
	if (diff > slack)
		v->rtt_shown_us = rtt_us;
	return v->rtt_shown_us;
}

/* Fills the status pieces for the selected server; returns how many. */
static size_t bottom_pieces(tui *t, bottom_piece *p, size_t max)
{
	size_t n = 0;
	app_server *s = tui_server(t);
	if (t->opts.demo && n < max)
		p[n++] = (bottom_piece){ "demo", TH_HINT, 4, "" };
	if (s && n + 4 <= max) {
		if (s->state != RC_STATE_READY && s->state != RC_STATE_BUSY) {
			char buf[40];
			app_status_text(s, buf, sizeof(buf));
			bottom_piece b = { "", TH_CONNECTING, 1, "" };
			snprintf(b.text, sizeof(b.text), "%s", buf);
			if (s->state == RC_STATE_AUTH_FAILED || s->state == RC_STATE_FAILED)
				b.role = TH_DOWN;
			/* The server list's short form ("retry 12s", "off"), but not
			 * its "…" for connecting, which says nothing on its own. */
			bool connecting = s->state == RC_STATE_RESOLVING ||
			    s->state == RC_STATE_CONNECTING || s->state == RC_STATE_AUTHENTICATING;
			if (!connecting)
				view_servers_state(t, s, b.alt, sizeof(b.alt));
			p[n++] = b;
		}
		/* The user's commands not answered yet: the one on the wire and
		 * those queued behind it, which the log shows only once they go
		 * out.  On a hung server this is all that says they exist. */
		if (s->user_inflight > 0) {
			bottom_piece b = { "", TH_CONNECTING, 1, "" };
			snprintf(b.text, sizeof(b.text), "%u waiting", s->user_inflight);
			p[n++] = b;
		}
		p[n++] = s->read_only ? (bottom_piece){ "RO", TH_RO, 0, "" } :
		    (bottom_piece){ "RW", TH_STATUS, 0, "" };
		bottom_piece rtt = { "", TH_STATUS, 2, "" };
		/* A server that is not connected has no round trip: its last one
		 * ("disconnected  0 ms") would read as if it answered at once. */
		bool up = s->state == RC_STATE_READY || s->state == RC_STATE_BUSY;
		int64_t us = bottom_rtt(tui_view_cur(t), up ? s->rtt_us : -1);
		if (us >= 0)
			snprintf(rtt.text, sizeof(rtt.text), "%lld ms", (long long)((us + 500) / 1000));
		else
			snprintf(rtt.text, sizeof(rtt.text), "- ms");
		p[n++] = rtt;
	} else if (t->opts.read_only && n < max) {
		p[n++] = (bottom_piece){ "RO", TH_RO, 0, "" };
	}
	if (n + 2 <= max) {
		p[n++] = (bottom_piece){ BOTTOM_HELP, TH_HINT, 3, "" };
		p[n++] = (bottom_piece){ "F10 quit", TH_HINT, 3, "" };
	}
	return n;
}

/* Returns the width of the pieces kept (prio <= keep), two spaces apart. */
static int bottom_width(const bottom_piece *p, size_t n, int keep)
{
	int w = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i].prio <= keep)
			w += (w ? 2 : 0) + utf8_width(p[i].text, strlen(p[i].text));
	return w;
}

/* Draws the status into the right end of the row; returns its width. */
static int bottom_status(tui *t, WINDOW *w, int cols)
{
	bottom_piece p[8];
	size_t n = bottom_pieces(t, p, 8);
	int max = layout_status_max(cols);
	int keep = 4;
	bool shortened = false;
	while (keep >= 0 && bottom_width(p, n, keep) + 1 > max) {
		/* The state says why commands are refused: before it goes, try
		 * its short form. */
		if (keep == 1 && !shortened) {
			shortened = true;
			for (size_t i = 0; i < n; i++)
				if (p[i].alt[0])
					snprintf(p[i].text, sizeof(p[i].text), "%s", p[i].alt);
			continue;
		}
		keep--;
	}
	if (keep < 0)
		return 0;
	int width = bottom_width(p, n, keep);
	int x = cols - width;
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (p[i].prio > keep)
			continue;
		if (!first)
			x += draw_str(w, 0, x, 2, TH_STATUS, "  ");
		first = false;
		int x0 = x;
		x += draw_str(w, 0, x, cols - x, p[i].role, p[i].text);
		if (strcmp(p[i].text, BOTTOM_HELP) == 0) {
			t->help_x0 = x0;    /* a click there opens the help (keys_mouse) */
			t->help_x1 = x;
		}
	}
	return width + 1;
}

/* Draws an editor after a label; returns the cursor column. */
static int bottom_editor(tui *t, WINDOW *w, int x, int width, editor *e, bool masked)
{
	if (width < 2)
		return x;
	size_t start;
	int col;
	editor_view(e, width, masked, &start, &col);
	const char *text = editor_text(e);
	size_t len = editor_len(e);
	theme_set(w, TH_NORMAL);
	if (masked) {
		int n = 0;
		for (size_t off = start; off < len && n < width - 1; off = utf8_next(text, len, off))
			n++;
		for (int i = 0; i < n; i++)
			draw_str(w, 0, x + i, 1, TH_NORMAL, "*");
	} else {
		draw_text(w, 0, x, width, text + start, len - start);
	}
	return x + col;
}

/* Draws the entry Ctrl-R found after its label, from where the whole
 * match fits (a match far along a long entry is seen, not cut off); returns
 * the cursor column, on the match as readline puts it (keys.c leaves the
 * editor's cursor there). */
static int bottom_rsearch(tui *t, WINDOW *w, int x, int width)
{
	if (width < 2)
		return x;
	const char *text = editor_text(t->cmd);
	size_t len = editor_len(t->cmd), at = editor_cursor(t->cmd);
	size_t end = at;
	if (!t->rs_failed && strncmp(text + at, editor_text(t->aux), editor_len(t->aux)) == 0)
		end = at + editor_len(t->aux);
	size_t start = 0;
	while (start < at && utf8_width(text + start, end - start) > width - 1)
		start = utf8_next(text, len, start);
	theme_set(w, TH_NORMAL);
	draw_text(w, 0, x, width, text + start, len - start);
	return x + utf8_width(text + start, at - start);
}

/* Draws again, in the error colour, a word of the command line that the
 * server's command tree does not have (it is still sent on Enter). */
static void bottom_unknown(tui *t, WINDOW *w, int x, int width)
{
	const char *text = editor_text(t->cmd);
	size_t len = editor_len(t->cmd), from, to, start;
	int col;
	if (width < 2 || !tui_server(t) ||
	    !complete_unknown(text, len, app_tree(t->a, t->sel), &from, &to))
		return;
	editor_view(t->cmd, width, false, &start, &col);
	if (to <= start)
		return;
	if (from < start)
		from = start;
	int at = utf8_width(text + start, from - start);
	if (at >= width)
		return;
	size_t fit = utf8_fit(text + from, to - from, width - at, NULL);
	theme_set(w, TH_ERROR);
	draw_text(w, 0, x + at, width - at, text + from, fit);
}

/* Draws a label, then returns the column after it (clipped to max). */
static int bottom_label(WINDOW *w, int x, int max, enum theme_role r, const char *label)
{
	return x + draw_str(w, 0, x, max, r, label);
}

/* Returns where a message too wide for the bottom row goes on to it from
 * the hint row above (which takes what fits there, cut after a word), or 0
 * when the row holds it whole, or it has no hint row (the help, a menu or
 * the details are open over the panes). */
static size_t bottom_msg_split(const tui *t)
{
	int cols = t->lay.cols;
	size_t len = strlen(t->msg);
	bool popup = t->mode == TUI_M_MENU || t->mode == TUI_M_HELP || t->mode == TUI_M_INFO;
	if (!t->msg[0] || t->mode == TUI_M_CONFIRM || popup || t->lay.bottom.y < 1 ||
	    utf8_width(t->msg, len) <= cols)
		return 0;
	size_t fit = utf8_fit(t->msg, len, cols, NULL);
	size_t at = fit;
	while (at > 0 && t->msg[at] != ' ')
		at--;
	return at > 0 ? at : fit;
}

/* Draws msg (the message, or its rest after the hint row) in cols columns,
 * cut with an ellipsis when even two rows cannot hold it. */
static void bottom_msg(tui *t, WINDOW *w, int cols, const char *msg)
{
	enum theme_role r = t->msg_error ? TH_ERROR : TH_MESSAGE;
	size_t len = strlen(msg);
	if (utf8_width(msg, len) <= cols || cols < 2) {
		draw_str(w, 0, 0, cols, r, msg);
		return;
	}
	size_t fit = utf8_fit(msg, len, cols - 1, NULL);
	theme_set(w, r);
	int x = draw_text(w, 0, 0, cols - 1, msg, fit);
	draw_str(w, 0, x, 1, r, t->utf8 ? "\u2026" : "~");
}

/* Returns the columns the open prompt's label may take of room: all but
 * ten for the answer, and then as the answer grows, down to half the row,
 * so what is typed scrolls only once the question cannot give way. */
static int bottom_prompt_room(const tui *t, int room)
{
	if (room / 2 <= 10)
		return room;
	const char *a = editor_text(t->aux);
	int keep = utf8_width(a, strlen(a)) + 2;   /* the answer, the cursor, a space */
	if (keep < 10)
		keep = 10;
	return room - keep > room / 2 ? room - keep : room / 2;
}

/* Draws the open prompt's label in at most max columns.  One too long
 * (gamemode's list of modes beside a long name) is cut with an ellipsis
 * and keeps its closing ": ", so the answer typed is never glued to a
 * half word of the question.  Returns the column after it. */
static int bottom_prompt_label(tui *t, WINDOW *w, int max)
{
	const char *label = t->prompt_label;
	size_t len = strlen(label);
	if (utf8_width(label, len) <= max)
		return bottom_label(w, 0, max, TH_PROMPT, label);
	size_t body = len >= 2 && strcmp(label + len - 2, ": ") == 0 ? len - 2 : len;
	char cut[sizeof(t->prompt_label) + 8];
	size_t fit = utf8_fit(label, body, max > 4 ? max - 3 : 0, NULL);
	snprintf(cut, sizeof(cut), "%.*s%s: ", (int)fit, label, t->utf8 ? "\u2026" : "~");
	return bottom_label(w, 0, max, TH_PROMPT, cut);
}

/* The fewest columns of the command kept before the servers' names give way
 * to their count. */
#define BOTTOM_CONFIRM_CMD_MIN 10

/* Writes into buf the question fitted into cols columns the way that keeps
 * what it asks: the command is cut first, with an ellipsis (down to
 * BOTTOM_CONFIRM_CMD_MIN columns), then the servers' names give way to their
 * count, then the command is cut further.  Returns false for a question
 * without parts (a player action), which is cut at its end. */
static bool bottom_confirm_fit(tui *t, int cols, char *buf, size_t cap)
{
	const confirm_layout *l = &t->confirm_lay;
	const char *q = t->confirm_text;
	if (l->cmd_len == 0 || l->to_at > strlen(q))
		return false;
	const char *cmd = q + l->cmd_at, *mid = cmd + l->cmd_len, *to = q + l->to_at;
	const char *ell = t->utf8 ? "\u2026" : "~";
	size_t ml = (size_t)(to - mid);
	int fixed = utf8_width(q, l->cmd_at) + utf8_width(mid, ml);
	int cw = utf8_width(cmd, l->cmd_len);
	int keep = cw < BOTTOM_CONFIRM_CMD_MIN ? cw : BOTTOM_CONFIRM_CMD_MIN;
	int room = cols - fixed - utf8_width(to, strlen(to));
	if (room < keep + 1 && l->count[0]) {
		to = l->count;
		room = cols - fixed - utf8_width(to, strlen(to));
	}
	size_t fit = l->cmd_len;

	bool cut = cw > room;
	if (cut)
		fit = room > 1 ? utf8_fit(cmd, l->cmd_len, room - 1, NULL) : 0;
	snprintf(buf, cap, "%.*s%.*s%s%.*s%s", (int)l->cmd_at, q, (int)fit, cmd,
	    cut ? ell : "", (int)ml, mid, to);
	return true;
}

/* Draws the y/N question: whole when it fits, else fitted by
 * bottom_confirm_fit and cut with an ellipsis if still too long, and always
 * the "? [y/N]" that makes it a question.  Returns the column after it. */
static int bottom_confirm(tui *t, WINDOW *w, int room)
{
	static const char ask[] = "? [y/N] ";
	char fitted[sizeof(t->confirm_text) + 8];
	const char *q = t->confirm_text;
	size_t len = strlen(q);
	int aw = (int)strlen(ask);
	int x = 0;
	if (utf8_width(q, len) + aw > room &&
	    bottom_confirm_fit(t, room - aw, fitted, sizeof(fitted))) {
		q = fitted;
		len = strlen(q);
	}
	if (utf8_width(q, len) + aw <= room) {
		x = bottom_label(w, 0, room, TH_WARN, q);
	} else if (room > aw + 1) {
		size_t fit = utf8_fit(q, len, room - aw - 1, NULL);
		theme_set(w, TH_WARN);
		x = draw_text(w, 0, 0, room - aw - 1, q, fit);
		x = bottom_label(w, x, 1, TH_WARN, t->utf8 ? "\u2026" : "~");
	}
	return bottom_label(w, x, room - x, TH_WARN, ask);
}

/* After a question whose 'y' came too soon, from column x: why it beeped
 * (a beep alone does not say), whole or not at all. */
static void bottom_confirm_early(tui *t, WINDOW *w, int x, int room)
{
	static const char early[] = "(too soon: read it, then y)";
	if (t->confirm_early && room - x >= (int)strlen(early))
		bottom_label(w, x, room - x, TH_HINT, early);
}

/* Shows or hides the terminal cursor, only when that changes. */
static void bottom_cursor(tui *t, bool on)
{
	if (t->cursor_shown != (int)on)
		curs_set(on ? 1 : 0);
	t->cursor_shown = on;
}

/* Draws the bottom row and leaves the terminal cursor where typing goes. */
void view_bottom_draw(tui *t)
{
	WINDOW *w = t->w_bottom;
	if (!w)
		return;
	int cols = getmaxx(w);
	werase(w);
	int cursor = -1;
	t->help_x1 = 0;     /* until bottom_status draws it */
	/* A question waiting for its answer is never hidden: the next key
	 * answers it, so it must be what the row shows. */
	if (t->msg[0] && t->mode != TUI_M_CONFIRM) {
		size_t split = bottom_msg_split(t);
		bottom_msg(t, w, cols, t->msg + split + strspn(t->msg + split, " "));
	} else {
		/* A question takes the whole row: it must be read whole. */
		int right = t->mode == TUI_M_CONFIRM ? 0 : bottom_status(t, w, cols);
		int room = cols - right;
		int x = 0;
		switch (t->mode) {
		case TUI_M_RSEARCH: {
			char label[160];
			snprintf(label, sizeof(label), "(%sreverse-i-search)'%s': ",
			    t->rs_failed ? "failed " : "", editor_text(t->aux));
			x = bottom_label(w, 0, room, t->rs_failed ? TH_ERROR : TH_PROMPT, label);
			cursor = bottom_rsearch(t, w, x, room - x);
			break;
		}
		case TUI_M_LOGSEARCH:
			x = bottom_label(w, 0, room, TH_PROMPT, "search /");
			cursor = bottom_editor(t, w, x, room - x, t->aux, false);
			break;
		case TUI_M_PROMPT: {
			x = bottom_prompt_label(t, w, bottom_prompt_room(t, room));
			/* The answer's live check, when the question has one, at the right. */
			const char *hint = t->prompt_hint ? t->prompt_hint(t, editor_text(t->aux)) : NULL;
			int hw = hint ? utf8_width(hint, strlen(hint)) + 1 : 0;
			if (hw > room - x - 8)
				hw = 0;    /* typing keeps at least 8 columns */
			cursor = bottom_editor(t, w, x, room - x - hw, t->aux, t->prompt_masked);
			if (hw)
				draw_str(w, 0, room - hw + 1, hw - 1, TH_ERROR, hint);
			break;
		}
		case TUI_M_CONFIRM:
			x = bottom_confirm(t, w, room);
			cursor = x < room ? x : room - 1;
			bottom_confirm_early(t, w, x, room);
			break;
		case TUI_M_MENU:
			bottom_label(w, 0, room, TH_HINT, "Enter or key: choose  Esc: close");
			break;
		case TUI_M_HELP:
			bottom_label(w, 0, room, TH_HINT, "any key closes the help");
			break;
		case TUI_M_INFO:
			bottom_label(w, 0, room, TH_HINT, "any key closes the details");
			break;
		case TUI_M_EDIT: {
			app_server *s = tui_server(t);
			char prompt[80];
			const char *name = s ? s->name : "rconsole";
			size_t nl = strlen(name);
			/* The name gives way before the "> " does: it says where typing goes. */
			int name_max = room / 2 - 4 < 16 ? room / 2 - 4 : 16;
			size_t fit = utf8_fit(name, nl, name_max > 0 ? name_max : 0, NULL);
			const char *cut = t->utf8 ? "\u2026" : "~";   /* as every other cut */
			snprintf(prompt, sizeof(prompt), " %.*s%s> ", (int)fit, name, fit < nl ? cut : "");
			bool on = t->focus == TUI_F_CMD;
			x = bottom_label(w, 0, room / 2, on ? TH_PROMPT : TH_DIM, prompt);
			int c = bottom_editor(t, w, x, room - x, t->cmd, false);
			bottom_unknown(t, w, x, room - x);
			if (on)
				cursor = c;
			break;
		}
		}
	}
	if (cursor >= 0 && cursor < cols) {
		wmove(w, 0, cursor);
		bottom_cursor(t, true);
	} else {
		wmove(w, 0, 0);
		bottom_cursor(t, false);
	}
	wnoutrefresh(w);
}

/* Works out the hint into h (see tui-int.h); [from, to) is highlighted. */
bool view_bottom_hint(tui *t, view_hint *h)
{
	size_t a = 0, b = 0;
	char *buf = h->text;
	size_t cap = sizeof(h->text);
	h->on = h->bad = false;
	h->from = h->to = 0;
	buf[0] = '\0';
	size_t split = bottom_msg_split(t);
	if (split > 0) {
		/* A message wider than the row: its first part, here. */
		snprintf(buf, cap, "%.*s", (int)split, t->msg);
		h->on = true;
		h->bad = t->msg_error;
		h->to = t->msg_error ? strlen(buf) : 0;
		return true;
	}
	const complete_state *c = &t->comp;
	/* A prompt's Tab (an action's argument) lists its candidates too. */
	bool prompt_tab = t->mode == TUI_M_PROMPT && c->n > 1;
	if ((t->mode != TUI_M_EDIT && !prompt_tab) || t->msg[0])
		return false;
	if (c->n > 1) {
		size_t cur = c->cycling ? (c->k + c->n - 1) % c->n : c->n;
		size_t len = 0;
		for (size_t i = 0; i < c->n && len + 1 < cap; i++) {
			if (i == cur)
				a = len + (i ? 2 : 0);
			int w = snprintf(buf + len, cap - len, "%s%s", i ? "  " : "", c->cand[i]);
			if (w < 0)
				break;
			len = len + (size_t)w < cap ? len + (size_t)w : cap - 1;
			if (i == cur)
				b = len;
		}
	} else if (!strstr(editor_text(t->cmd), TUI_NL_MARK)) {
		/* The usage of the command being typed, from the server's tree. */
		app_server *s = tui_server(t);
		bool bad = false;
		if (!s || !complete_hint(editor_text(t->cmd), editor_cursor(t->cmd),
		    app_tree(t->a, t->sel), buf, cap, &a, &b, &bad))
			return false;
		h->bad = bad;
	} else {
		const char *text = editor_text(t->cmd);
		size_t lines = 0, ml = strlen(TUI_NL_MARK);
		for (const char *p = text; p;) {
			const char *end = strstr(p, TUI_NL_MARK);
			size_t l = end ? (size_t)(end - p) : strlen(p);
			size_t k = 0;
			while (k < l && p[k] == ' ')
				k++;
			if (k < l)
				lines++;
			p = end ? end + ml : NULL;
		}
		app_server *s = tui_server(t);
		const char *dash = t->utf8 ? "\u2014" : "-";
		if (lines == 1)
			snprintf(buf, cap, "1 line %s Enter sends it to %s, Esc cancels", dash,
			    s ? s->name : "(no server)");
		else
			snprintf(buf, cap, "%zu lines pasted %s Enter sends them to %s, Esc cancels", lines,
			    dash, s ? s->name : "(no server)");
	}
	h->from = a;
	h->to = b;
	h->on = true;
	return true;
}

/* Draws the hint row from h, or removes it. */
void view_bottom_draw_hint(tui *t, const view_hint *h)
{
	const char *buf = h->text;
	size_t a = h->from, b = h->to;
	bool on = layout_shown(t->lay.bottom) && t->lay.bottom.y > 0 && h->on;
	if (!on) {
		if (t->w_hint)
			delwin(t->w_hint);
		t->w_hint = NULL;
		t->hint_shown = false;
		return;
	}
	int cols = t->lay.cols;
	if (!t->w_hint)
		t->w_hint = newwin(1, cols, t->lay.bottom.y - 1, 0);
	if (!t->w_hint)
		return;
	WINDOW *w = t->w_hint;
	werase(w);
	draw_fill(w, 0, 0, cols, TH_STATUS);
	size_t len = strlen(buf);
	/* Start early enough that the highlighted candidate shows whole. */
	size_t start = 0;
	const char *more = t->utf8 ? "\u2026" : "~";
	while (b > a && start < a && utf8_width(buf + start, b - start) > cols - 2)
		start = utf8_next(buf, len, start);
	int x = 0;
	if (start > 0)
		x += draw_str(w, 0, x, 1, TH_DIM, more);
	size_t fit = utf8_fit(buf + start, len - start, cols - x - 1, NULL);
	if (start + fit >= len)
		fit = utf8_fit(buf + start, len - start, cols - x, NULL);
	if (b > a && a >= start) {
		size_t e1 = a - start < fit ? a - start : fit;
		theme_set(w, TH_HINT);
		x += draw_text(w, 0, x, cols - x, buf + start, e1);
		size_t e2 = b - start < fit ? b - start : fit;
		if (e2 > e1) {
			theme_set(w, h->bad ? TH_ERROR : TH_CURSOR);
			x += draw_text(w, 0, x, cols - x, buf + a, e2 - e1);
		}
		if (fit > e2) {
			theme_set(w, TH_HINT);
			x += draw_text(w, 0, x, cols - x, buf + start + e2, fit - e2);
		}
	} else {
		theme_set(w, TH_HINT);
		x += draw_text(w, 0, x, cols - x, buf + start, fit);
	}
	if (start + fit < len && x < cols)
		draw_str(w, 0, cols - 1, 1, TH_DIM, more);
	t->hint_shown = true;
	wnoutrefresh(w);
}
