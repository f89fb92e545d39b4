/* keys.c: key bindings as tables, and the dispatch of one key.
 *
 * A key is (fn, alt, code): fn for curses KEY_* codes, alt for ESC followed
 * by a key (how terminals send Alt/Meta), else a character (control keys
 * are their ASCII codes).  Modal states (menu, help, y/N, prompts and
 * searches) see keys first; then the binding table, filtered by the pane
 * that has focus; then the line editor table; then plain characters are
 * typed into the command line.  Every handler returns the reaction: the
 * dirty bits to redraw, or TUI_R_QUIT.
 *
 * Nothing state-changing by accident.  Pasted text (between the terminal's
 * bracketed-paste markers, or a burst of lines tui.c saw arrive faster than
 * typing) is only ever text: it goes to the command line (or the first line
 * of it to the open prompt) whichever pane has focus, its newlines kept as
 * TUI_NL_MARK, its control characters and escape sequences dropped; it
 * never picks a menu entry, answers a y/N question or works a pane's keys.
 * Only a typed Enter sends the line, and a line holding marks is split into
 * one command per line, run in order (t->queue).  Esc drops such a line.
 * A command that changes or ends a server, and :all/:tag with anything
 * outside the read-only allowlist, asks y/N first (confirm.c); a question
 * stops the queue until its answer, and n drops the lines after it.  An
 * Alt-key nobody binds is Esc followed by that key (an Esc typed quickly).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/oom.h"
#include "app/app-tree.h"
#include "tui/tui-int.h"

#define KEYS_PASTE_STALE_MS 2000  /* a paste whose end marker never came */
/* A 'y' this soon after a question opened, or after a key that was no
 * answer, was typed before the question could be read (keys_confirm_early). */
#define KEYS_CONFIRM_QUIET_MS 1000

enum key_kind { KK_CHAR, KK_FN, KK_ALT };

/* Where a binding applies (focus bits). */
enum key_ctx {
	KC_CMD = 1 << TUI_F_CMD,
	KC_SRV = 1 << TUI_F_SERVERS,
	KC_LOG = 1 << TUI_F_LOG,
	KC_PL = 1 << TUI_F_PLAYERS,
	KC_PANES = KC_SRV | KC_LOG | KC_PL,
	KC_ALL = KC_CMD | KC_PANES
};

/* Characters that keys send. */
enum key_char {
	CH_CTRL_A = 1,
	CH_CTRL_B = 2,
	CH_CTRL_C = 3,
	CH_CTRL_D = 4,
	CH_CTRL_E = 5,
	CH_CTRL_F = 6,
	CH_CTRL_G = 7,
	CH_CTRL_H = 8,
	CH_TAB = 9,
	CH_CTRL_K = 11,
	CH_CTRL_L = 12,
	CH_CR = 13,
	CH_LF = 10,
	CH_CTRL_N = 14,
	CH_CTRL_P = 16,
	CH_CTRL_Q = 17,
	CH_CTRL_R = 18,
	CH_CTRL_U = 21,
	CH_CTRL_W = 23,
	CH_CTRL_Y = 25,
	CH_CTRL_Z = 26,
	CH_ESC = 27,
	CH_DEL = 127,
};

typedef unsigned (*key_fn)(tui *t, int code);

typedef struct key_binding {
	enum key_kind kind;
	int code, code_end;       /* a range of codes (code_end 0: just code) */
	unsigned ctx;
	key_fn fn;
	const char *keys;         /* for the help; NULL = not listed */
	const char *help;
} key_binding;

typedef bool (*edit_fn)(editor *e);

typedef struct edit_binding {
	enum key_kind kind;
	int code;
	edit_fn fn;
	const char *keys;
	const char *help;
} edit_binding;

/* ---- helpers ---- */

/* Returns the number of entries of an app_history (editor_hist.count). */
static size_t keys_hist_count(void *arg)
{
	return app_history_count(arg);
}

/* Returns entry i of an app_history (editor_hist.get). */
static const char *keys_hist_get(void *arg, size_t i)
{
	return app_history_get(arg, i);
}

/* Returns the history of the selected server as an editor source. */
static editor_hist keys_hist(tui *t)
{
	/* Read from its file on first use (app_history_of), not at start. */
	app_history *h = tui_server(t) ? app_history_of(t->a, t->sel) : NULL;
	return (editor_hist){ keys_hist_count, keys_hist_get, h };
}

/* Returns true when a focus can be given in the current layout. */
static bool keys_focusable(const tui *t, enum tui_focus f)
{
	switch (f) {
	case TUI_F_PLAYERS:
		return t->lay.mode == LAYOUT_FULL;
	case TUI_F_SERVERS:
	case TUI_F_LOG:
		return t->lay.mode != LAYOUT_TOO_SMALL;
	default:
		return true;
	}
}

/* Moves focus by step (+1/-1), skipping hidden panes. */
static unsigned keys_focus_step(tui *t, int step)
{
	int f = (int)t->focus;
	for (int i = 0; i < TUI_F_COUNT; i++) {
		f = (f + step + TUI_F_COUNT) % TUI_F_COUNT;
		if (keys_focusable(t, (enum tui_focus)f))
			break;
	}
	t->focus = (enum tui_focus)f;
	return TUI_D_PANES;
}

/* ---- global bindings ---- */

/* Opens the help overlay. */
static unsigned k_help(tui *t, int code)
{
	t->mode = TUI_M_HELP;
	t->help_top = 0;
	return TUI_D_POPUP | TUI_D_BOTTOM;
}

/* Opens the details of the selected server. */
static unsigned k_info(tui *t, int code)
{
	(void)code;
	return view_info_open(t);
}

/* Quits with status 0. */
static unsigned k_quit(tui *t, int code)
{
	return tui_quit(t, 0);
}

/* Repaints the whole terminal. */
static unsigned k_redraw(tui *t, int code)
{
	return TUI_D_CLEAR | TUI_D_LAYOUT;
}

/* Suspends the console (job control). */
static unsigned k_suspend(tui *t, int code)
{
	return tui_suspend(t);
}

/* Rebuilds the layout after a size change. */
static unsigned k_resize(tui *t, int code)
{
	return TUI_D_LAYOUT;
}

/* Moves focus forward. */
static unsigned k_focus_next(tui *t, int code)
{
	return keys_focus_step(t, 1);
}

/* Moves focus backward. */
static unsigned k_focus_prev(tui *t, int code)
{
	return keys_focus_step(t, -1);
}

/* Selects server 1-9. */
static unsigned k_select_n(tui *t, int code)
{
	size_t i = (size_t)(code - '1');
	return i < app_count(t->a) ? tui_select(t, i) : 0;
}

/* Selects the next server. */
static unsigned k_next_server(tui *t, int code)
{
	size_t n = app_count(t->a);
	return n ? tui_select(t, (t->sel + 1) % n) : 0;
}

/* Selects the previous server. */
static unsigned k_prev_server(tui *t, int code)
{
	size_t n = app_count(t->a);
	return n ? tui_select(t, (t->sel + n - 1) % n) : 0;
}

/* Jumps to the next server with unseen lines. */
static unsigned k_next_active(tui *t, int code)
{
	int i = app_next_active(t->a, t->sel);
	if (i < 0) {
		tui_message(t, false, "no activity elsewhere");
		return TUI_D_BOTTOM;
	}
	return tui_select(t, (size_t)i);
}

/* Scrolls the log a page up. */
static unsigned k_page_up(tui *t, int code)
{
	int page = view_log_rows(t) - 1;
	return view_log_scroll(t, -(page > 1 ? page : 1));
}

/* Scrolls the log a page down. */
static unsigned k_page_down(tui *t, int code)
{
	int page = view_log_rows(t) - 1;
	return view_log_scroll(t, page > 1 ? page : 1);
}

/* ---- command line ---- */

/* Frees the lines waiting to run. */
void keys_queue_clear(tui *t)
{
	for (size_t i = 0; i < t->n_queue; i++)
		free(t->queue[i]);
	free(t->queue);
	t->queue = NULL;
	t->n_queue = t->queue_pos = 0;
}

/* Runs one line of the command line: a console command or a server command
 * for the selected server (confirmations already given). */
static unsigned keys_run_line(tui *t, const char *line)
{
	unsigned d = TUI_D_BOTTOM;
	const char *p = line;
	while (*p == ' ')
		p++;
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	if (*p == '\0')
		return d;
	if (*p == ':') {
		if (s)
			app_remember(t->a, t->sel, p);
		/* Sending returns the log to its newest line (the replies land there). */
		if (v && (strncmp(p, ":all", 4) == 0 || strncmp(p, ":tag", 4) == 0))
			v->follow = true;
		return d | console_exec(t, p + 1) | TUI_D_LOG;
	}
	if (!s) {
		tui_message(t, true, "no server: add one with :add");
		return d;
	}
	if (v)
		v->follow = true;
	app_command(t->a, t->sel, line);
	return d | TUI_D_LOG;
}

static unsigned keys_run_queue(tui *t);

/* Receives the y/N answer for the queued line at queue_pos. */
static unsigned keys_on_confirm(tui *t, bool yes)
{
	unsigned d = TUI_D_BOTTOM;
	if (t->queue_pos >= t->n_queue) {
		keys_queue_clear(t);
		return d;
	}
	if (yes && confirm_changed(t, t->queue[t->queue_pos])) {
		/* Its servers changed while it was open: ask again, naming them. */
		keys_confirm_open(t, keys_on_confirm);
		return d;
	}
	const char *line = t->queue[t->queue_pos++];
	if (!yes) {
		/* Kept in the history, so Up brings back what was declined. */
		const char *p = line;
		while (*p == ' ')
			p++;
		if (tui_server(t))
			app_remember(t->a, t->sel, p);
		size_t rest = t->n_queue - t->queue_pos;
		if (rest) {
			tui_message(t, false, "cancelled: %s (and %zu more line%s, not sent)", line, rest,
			    rest == 1 ? "" : "s");
			/* The bottom row is gone by the next message: the log keeps
			 * what a declined batch left unsent. */
			if (tui_server(t))
				app_note(t->a, t->sel, APP_LINE_INFO,
				    "declined: %zu lines not sent, the first '%s'", rest + 1, p);
		} else
			tui_message(t, false, "cancelled: %s", line);
		keys_queue_clear(t);
		return d;
	}
	d |= keys_run_line(t, line);
	return d | keys_run_queue(t);
}

/* Runs the queued lines in order, stopping at a question (resumed by its
 * answer) or when a line opens a prompt or the help (the rest is dropped). */
static unsigned keys_run_queue(tui *t)
{
	unsigned d = 0;
	char *last = NULL;   /* the line run last: the one that stopped the run */
	while (t->queue_pos < t->n_queue && t->mode == TUI_M_EDIT && !t->quit) {
		if (confirm_line(t, t->queue[t->queue_pos])) {
			keys_confirm_open(t, keys_on_confirm);
			free(last);
			return d | TUI_D_BOTTOM;
		}
		/* The line leaves the queue before it runs: a console command may
		 * start another Enter's worth of work. */
		free(last);
		last = t->queue[t->queue_pos];
		t->queue[t->queue_pos++] = NULL;
		d |= keys_run_line(t, last);
	}
	size_t rest = t->n_queue - t->queue_pos;
	if (rest && !t->quit) {
		tui_message(t, true, "%zu more line%s not sent", rest, rest == 1 ? "" : "s");
		/* As for a declined batch: the log keeps what was dropped. */
		const char *p = t->queue[t->queue_pos], *by = last ? last : "";
		while (*p == ' ')
			p++;
		while (*by == ' ')
			by++;
		if (tui_server(t))
			app_note(t->a, t->sel, APP_LINE_INFO, "not sent: %zu line%s after '%s', the first '%s'",
			    rest, rest == 1 ? "" : "s", by, p);
	}
	free(last);
	keys_queue_clear(t);
	return d;
}

/* Runs the command line (Enter): every line of a multi-line paste is one
 * command, in order; each that changes or ends a server asks y/N first. */
static unsigned k_submit(tui *t, int code)
{
	char *text = oom_strdup(editor_text(t->cmd));
	editor_clear(t->cmd);
	editor_history_reset(t->cmd);
	keys_queue_clear(t);
	size_t ml = strlen(TUI_NL_MARK);
	for (char *p = text; p;) {
		char *end = strstr(p, TUI_NL_MARK);
		if (end)
			*end = '\0';
		const char *q = p;
		while (*q == ' ')
			q++;
		if (*q) {
			t->queue = oom_realloc(t->queue, (t->n_queue + 1) * sizeof(*t->queue));
			t->queue[t->n_queue++] = oom_strdup(p);
		}
		p = end ? end + ml : NULL;
	}
	free(text);
	return TUI_D_BOTTOM | keys_run_queue(t);
}

/* Esc on the command line: drops a multi-line paste, sending nothing. */
static unsigned k_cmd_escape(tui *t, int code)
{
	if (!strstr(editor_text(t->cmd), TUI_NL_MARK))
		return 0;
	editor_clear(t->cmd);
	editor_history_reset(t->cmd);
	tui_message(t, false, "paste cancelled: nothing sent");
	return TUI_D_BOTTOM;
}

/* Orders two player names without regard to case (for qsort). */
static int keys_name_cmp(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

/* Orders player names without regard to case, then exactly, so equal
 * names are neighbours (for qsort). */
static int keys_player_cmp(const void *a, const void *b)
{
	int c = keys_name_cmp(a, b);
	return c ? c : strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Adds the selected server's command tree and every server's tags, each
 * once, to a completion source; returns the tag array (malloc'd, the caller
 * frees it).  Sorted, so repeats are neighbours: one pass however many
 * servers there are. */
static const char **keys_complete_more(tui *t, complete_src *src)
{
	size_t max = 0, n = 0;
	if (tui_server(t))
		src->tree = app_tree(t->a, t->sel);
	for (size_t i = 0; i < app_count(t->a); i++) {
		const rc_profile *p = app_get(t->a, i)->profile;
		max += p ? p->n_tags : 0;
	}
	const char **tags = oom_realloc(NULL, (max ? max : 1) * sizeof(*tags));
	for (size_t i = 0; i < app_count(t->a); i++) {
		const rc_profile *p = app_get(t->a, i)->profile;
		for (size_t k = 0; p && k < p->n_tags; k++)
			tags[n++] = p->tags[k];
	}
	qsort(tags, n, sizeof(*tags), keys_name_cmp);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || strcasecmp(tags[u - 1], tags[i]) != 0)
			tags[u++] = tags[i];
	src->tags = tags;
	src->n_tags = u;
	return tags;
}

/* Tells whether a line runs on other servers than the selected one
 * (":all CMD", ":tag TAG CMD"); *tag gets TAG (malloc'd, the caller frees
 * it), or NULL for :all. */
static bool keys_tab_broadcast(const char *line, char **tag)
{
	*tag = NULL;
	line += strspn(line, " ");
	if (strncmp(line, ":all ", 5) == 0)
		return true;
	if (strncmp(line, ":tag ", 5) != 0)
		return false;
	line += 5 + strspn(line + 5, " ");
	size_t n = strcspn(line, " ");
	if (n == 0 || line[n] != ' ')
		return false;
	*tag = oom_realloc(NULL, n + 1);
	memcpy(*tag, line, n);
	(*tag)[n] = '\0';
	return true;
}

/* Collects the names of the players online on the servers a completion
 * is for: the selected one, or every server (tagged TAG) for :all (:tag).
 * Sorted as the player panel shows them, each name once; *np gets the
 * count.  The array is malloc'd (the caller frees it), the names borrowed. */
static const char **keys_tab_players(tui *t, const char *line, size_t *np)
{
	char *tag;
	bool wide = keys_tab_broadcast(line, &tag);
	size_t first = wide ? 0 : t->sel, last = wide ? app_count(t->a) : t->sel + 1;
	if (!tui_server(t))
		first = last = 0;
	size_t max = 0;
	for (size_t i = first; i < last; i++) {
		app_server *s = app_get(t->a, i);
		if (s->have_players && (!tag || app_has_tag(s, tag)))
			max += s->players.n_players;
	}
	const char **players = oom_realloc(NULL, (max ? max : 1) * sizeof(*players));
	size_t n = 0;
	for (size_t i = first; i < last; i++) {
		app_server *s = app_get(t->a, i);
		if (!s->have_players || (tag && !app_has_tag(s, tag)))
			continue;
		for (size_t j = 0; j < s->players.n_players; j++)
			if (s->players.players[j].name)
				players[n++] = s->players.players[j].name;
	}
	free(tag);
	qsort(players, n, sizeof(players[0]), keys_player_cmp);
	/* One player on two servers is one candidate. */
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || strcmp(players[u - 1], players[i]) != 0)
			players[u++] = players[i];
	*np = u;
	return players;
}

/* Completes the word before e's cursor (beeps when nothing does).  Every
 * online player, every server and every tag is a candidate, however many
 * there are (a big server has more than any fixed array would hold); after
 * ":all " or ":tag TAG ", the players of the servers it runs on. */
static void keys_complete(tui *t, editor *e)
{
	size_t np;
	const char **players = keys_tab_players(t, editor_text(e), &np);
	size_t ns = app_count(t->a);
	const char **servers = oom_realloc(NULL, (ns ? ns : 1) * sizeof(*servers));
	for (size_t i = 0; i < ns; i++)
		servers[i] = app_get(t->a, i)->name;
	complete_src src = { players, np, servers, ns, NULL, NULL, 0 };
	const char **tags = keys_complete_more(t, &src);
	if (complete_apply(&t->comp, e, &src) == 0)
		beep();
	free(players);
	free(servers);
	free(tags);
}

/* Completes the word before the cursor, or moves focus on an empty line. */
static unsigned k_tab(tui *t, int code)
{
	if (editor_len(t->cmd) == 0)
		return keys_focus_step(t, 1);
	keys_complete(t, t->cmd);
	return TUI_D_BOTTOM;
}

/* Tab in a prompt whose answer is a command's argument (t->prompt_words:
 * a player action's gamemode or tp destination): completes the answer as
 * the rest of that command line, so the same candidates come as on the
 * command line.  A prompt of free text (a reason, a message) beeps. */
static unsigned keys_prompt_tab(tui *t)
{
	if (t->mode != TUI_M_PROMPT || !t->prompt_words[0]) {
		beep();
		return 0;
	}
	editor *e = editor_new();
	if (!e)
		oom_die();
	size_t pl = strlen(t->prompt_words);
	char *line = oom_realloc(NULL, pl + editor_len(t->aux) + 1);
	memcpy(line, t->prompt_words, pl);
	memcpy(line + pl, editor_text(t->aux), editor_len(t->aux) + 1);
	if (editor_set(e, line) == 0) {
		editor_set_cursor(e, pl + editor_cursor(t->aux));
		keys_complete(t, e);
		if (editor_len(e) >= pl && editor_set(t->aux, editor_text(e) + pl) == 0)
			editor_set_cursor(t->aux, editor_cursor(e) - pl);
	}
	free(line);
	editor_free(e);
	return TUI_D_BOTTOM;
}

/* Shows the previous history entry. */
static unsigned k_hist_prev(tui *t, int code)
{
	editor_hist h = keys_hist(t);
	if (!h.arg || !editor_history_prev(t->cmd, &h))
		return 0;
	return TUI_D_BOTTOM;
}

/* Shows the next history entry. */
static unsigned k_hist_next(tui *t, int code)
{
	editor_hist h = keys_hist(t);
	if (!h.arg || !editor_history_next(t->cmd, &h))
		return 0;
	return TUI_D_BOTTOM;
}

/* Clears the command line (C-c, C-g). */
static unsigned k_cancel_line(tui *t, int code)
{
	editor_clear(t->cmd);
	editor_history_reset(t->cmd);
	return TUI_D_BOTTOM;
}

/* Starts a reverse history search. */
static unsigned k_rsearch(tui *t, int code)
{
	if (!tui_server(t))
		return 0;
	free(t->rs_saved);
	t->rs_saved = oom_strdup(editor_text(t->cmd));
	editor_clear(t->aux);
	t->rs_match = -1;
	t->rs_failed = false;
	t->mode = TUI_M_RSEARCH;
	return TUI_D_BOTTOM;
}

/* ---- panes ---- */

/* Moves the selection in the server list. */
static unsigned k_srv_up(tui *t, int code)
{
	return t->sel > 0 ? tui_select(t, t->sel - 1) : 0;
}

/* Moves the selection in the server list. */
static unsigned k_srv_down(tui *t, int code)
{
	return t->sel + 1 < app_count(t->a) ? tui_select(t, t->sel + 1) : 0;
}

/* Connects the selected server. */
static unsigned k_srv_connect(tui *t, int code)
{
	if (!tui_server(t))
		return 0;
	app_connect(t->a, t->sel);
	return TUI_D_SERVERS | TUI_D_LOG;
}

/* Disconnects the selected server. */
static unsigned k_srv_disconnect(tui *t, int code)
{
	if (!tui_server(t))
		return 0;
	app_disconnect(t->a, t->sel);
	return TUI_D_SERVERS | TUI_D_LOG;
}

/* Gives focus to the command line. */
static unsigned k_to_cmd(tui *t, int code)
{
	t->focus = TUI_F_CMD;
	return TUI_D_PANES;
}

/* Scrolls the log by one line. */
static unsigned k_log_up(tui *t, int code)
{
	return view_log_scroll(t, -1);
}

/* Scrolls the log by one line. */
static unsigned k_log_down(tui *t, int code)
{
	return view_log_scroll(t, 1);
}

/* Jumps to the oldest line. */
static unsigned k_log_home(tui *t, int code)
{
	return view_log_home(t);
}

/* Jumps to the newest line. */
static unsigned k_log_end(tui *t, int code)
{
	return view_log_end(t);
}

/* Starts a log search. */
static unsigned k_log_search(tui *t, int code)
{
	if (!tui_server(t))
		return 0;
	editor_clear(t->aux);
	t->mode = TUI_M_LOGSEARCH;
	return TUI_D_BOTTOM;
}

/* Finds the next older match. */
static unsigned k_log_next(tui *t, int code)
{
	return view_log_search(t, -1, false);
}

/* Finds the next newer match. */
static unsigned k_log_prev(tui *t, int code)
{
	return view_log_search(t, 1, false);
}

/* Moves the player selection up. */
static unsigned k_pl_up(tui *t, int code)
{
	return view_players_move(t, -1);
}

/* Moves the player selection down. */
static unsigned k_pl_down(tui *t, int code)
{
	return view_players_move(t, 1);
}

/* Opens the actions of the selected player. */
static unsigned k_pl_menu(tui *t, int code)
{
	return view_players_open_menu(t);
}

/* Starts a console command from a pane.  A line already typed there is
 * killed, not dropped: C-y brings it back. */
static unsigned k_colon(tui *t, int code)
{
	unsigned d = TUI_D_PANES | TUI_D_BOTTOM;
	t->focus = TUI_F_CMD;
	if (editor_len(t->cmd) > 0) {
		editor_end(t->cmd);
		editor_kill_start(t->cmd);
		tui_message(t, false, "C-y brings back the line you were typing");
	}
	editor_clear(t->cmd);
	editor_insert(t->cmd, ":", 1);
	return d;
}

static const key_binding key_table[] = {
	{ KK_FN, KEY_F(1), 0, KC_ALL, k_help, "F1, ?", "help (? outside the command line)" },
	{ KK_CHAR, '?', 0, KC_PANES, k_help, NULL, NULL },
	{ KK_FN, KEY_F(2), 0, KC_ALL, k_info, "F2", "details of the selected server (:info)" },
	{ KK_FN, KEY_F(10), 0, KC_ALL, k_quit, "F10, C-q", "quit" },
	{ KK_CHAR, CH_CTRL_Q, 0, KC_ALL, k_quit, NULL, NULL },
	{ KK_CHAR, CH_CTRL_L, 0, KC_ALL, k_redraw, "C-l", "redraw the screen" },
	{ KK_CHAR, CH_CTRL_Z, 0, KC_ALL, k_suspend, "C-z", "suspend (fg resumes)" },
	{ KK_FN, KEY_RESIZE, 0, KC_ALL, k_resize, NULL, NULL },
	{ KK_CHAR, CH_TAB, 0, KC_CMD, k_tab, "Tab", "complete; on an empty line, next pane" },
	{ KK_CHAR, CH_TAB, 0, KC_PANES, k_focus_next, NULL, NULL },
	{ KK_FN, KEY_BTAB, 0, KC_ALL, k_focus_prev, "S-Tab", "previous pane" },
	{ KK_ALT, '1', '9', KC_ALL, k_select_n, "M-1..M-9", "select server 1-9" },
	{ KK_CHAR, CH_CTRL_N, 0, KC_ALL, k_next_server, "C-n, C-p", "next / previous server" },
	{ KK_CHAR, CH_CTRL_P, 0, KC_ALL, k_prev_server, NULL, NULL },
	{ KK_ALT, 'a', 0, KC_ALL, k_next_active, "M-a", "next server with new lines" },
	{ KK_ALT, 'A', 0, KC_ALL, k_next_active, NULL, NULL },
	{ KK_FN, KEY_PPAGE, 0, KC_ALL, k_page_up, "PgUp, PgDn", "scroll the log" },
	{ KK_FN, KEY_NPAGE, 0, KC_ALL, k_page_down, NULL, NULL },
	/* command line */
	{ KK_CHAR, CH_CR, 0, KC_CMD, k_submit, "Enter", "run the line (:cmd for console commands)" },
	{ KK_CHAR, CH_LF, 0, KC_CMD, k_submit, NULL, NULL },
	{ KK_FN, KEY_ENTER, 0, KC_CMD, k_submit, NULL, NULL },
	{ KK_FN, KEY_UP, 0, KC_CMD, k_hist_prev, "Up, Down", "history of this server" },
	{ KK_FN, KEY_DOWN, 0, KC_CMD, k_hist_next, NULL, NULL },
	{ KK_CHAR, CH_CTRL_R, 0, KC_CMD, k_rsearch, "C-r", "search the history" },
	{ KK_CHAR, CH_CTRL_C, 0, KC_CMD, k_cancel_line, "C-c, C-g", "clear the line" },
	{ KK_CHAR, CH_CTRL_G, 0, KC_CMD, k_cancel_line, NULL, NULL },
	{ KK_CHAR, CH_ESC, 0, KC_CMD, k_cmd_escape, NULL, NULL },
	/* server list */
	{ KK_FN, KEY_UP, 0, KC_SRV, k_srv_up, "Up, Down", "server list: select a server (Left, Right too)" },
	{ KK_FN, KEY_DOWN, 0, KC_SRV, k_srv_down, NULL, NULL },
	{ KK_FN, KEY_LEFT, 0, KC_SRV, k_srv_up, NULL, NULL },
	{ KK_FN, KEY_RIGHT, 0, KC_SRV, k_srv_down, NULL, NULL },
	/* Function keys, not letters: letters typed in a pane go to the command
	 * line, and typing "difficulty" must never disconnect a server. */
	{ KK_FN, KEY_F(5), 0, KC_ALL, k_srv_connect, "F5, F6", "connect / disconnect the selected server" },
	{ KK_FN, KEY_F(6), 0, KC_ALL, k_srv_disconnect, NULL, NULL },
	{ KK_CHAR, CH_CR, 0, KC_SRV, k_to_cmd, NULL, NULL },
	{ KK_FN, KEY_ENTER, 0, KC_SRV, k_to_cmd, NULL, NULL },
	/* log */
	{ KK_FN, KEY_UP, 0, KC_LOG, k_log_up, "Up, Down", "log: scroll a line" },
	{ KK_FN, KEY_DOWN, 0, KC_LOG, k_log_down, NULL, NULL },
	{ KK_FN, KEY_HOME, 0, KC_LOG, k_log_home, "Home, End", "log pane: oldest / newest line" },
	{ KK_FN, KEY_END, 0, KC_LOG, k_log_end, NULL, NULL },
	{ KK_CHAR, '/', 0, KC_LOG, k_log_search, "/, n, N", "log: search, next older / newer" },
	{ KK_CHAR, 'n', 0, KC_LOG, k_log_next, NULL, NULL },
	{ KK_CHAR, 'N', 0, KC_LOG, k_log_prev, NULL, NULL },
	{ KK_CHAR, CH_CR, 0, KC_LOG, k_to_cmd, NULL, NULL },
	/* players */
	{ KK_FN, KEY_UP, 0, KC_PL, k_pl_up, "Up, Down", "players: select a player" },
	{ KK_FN, KEY_DOWN, 0, KC_PL, k_pl_down, NULL, NULL },
	{ KK_CHAR, CH_CR, 0, KC_PL, k_pl_menu, "Enter", "players: actions (msg, kick, ban, op...)" },
	{ KK_FN, KEY_ENTER, 0, KC_PL, k_pl_menu, NULL, NULL },
	/* any pane */
	{ KK_CHAR, ':', 0, KC_PANES, k_colon, NULL, NULL },
	{ KK_CHAR, CH_ESC, 0, KC_PANES, k_to_cmd, "Esc", "back to the command line" },
};

/* Yanks the kill buffer (an edit_fn). */
static bool edit_yank(editor *e)
{
	return editor_yank(e) == 0;
}

/* Line editing, for the command line and every prompt. */
static const edit_binding edit_table[] = {
	{ KK_CHAR, CH_CTRL_A, editor_home, "C-a, C-e", "start / end of the line (Home, End too)" },
	{ KK_CHAR, CH_CTRL_E, editor_end, NULL, NULL },
	{ KK_FN, KEY_HOME, editor_home, NULL, NULL },
	{ KK_FN, KEY_END, editor_end, NULL, NULL },
	{ KK_CHAR, CH_CTRL_B, editor_left, "C-b, C-f", "character left / right" },
	{ KK_CHAR, CH_CTRL_F, editor_right, NULL, NULL },
	{ KK_FN, KEY_LEFT, editor_left, NULL, NULL },
	{ KK_FN, KEY_RIGHT, editor_right, NULL, NULL },
	{ KK_ALT, 'b', editor_word_left, "M-b, M-f", "word left / right" },
	{ KK_ALT, 'f', editor_word_right, NULL, NULL },
	{ KK_CHAR, CH_CTRL_D, editor_delete, "C-d", "delete the character" },
	{ KK_FN, KEY_DC, editor_delete, NULL, NULL },
	{ KK_CHAR, CH_DEL, editor_backspace, NULL, NULL },
	{ KK_CHAR, CH_CTRL_H, editor_backspace, NULL, NULL },
	{ KK_FN, KEY_BACKSPACE, editor_backspace, NULL, NULL },
	{ KK_CHAR, CH_CTRL_K, editor_kill_end, "C-k, C-u", "kill to the end / start" },
	{ KK_CHAR, CH_CTRL_U, editor_kill_start, NULL, NULL },
	{ KK_CHAR, CH_CTRL_W, editor_kill_word_back, "C-w, M-d", "kill the word before / after" },
	{ KK_ALT, 'd', editor_kill_word_fwd, NULL, NULL },
	{ KK_ALT, CH_DEL, editor_kill_word_back, NULL, NULL },
	{ KK_CHAR, CH_CTRL_Y, edit_yank, "C-y", "yank the last kill" },
};

/* Returns true when binding kind/code/code_end matches the key. */
static bool keys_match(enum key_kind kind, int code, int code_end, bool fn, bool alt, int key)
{
	enum key_kind k = fn ? KK_FN : alt ? KK_ALT : KK_CHAR;
	if (k != kind)
		return false;
	return code_end ? key >= code && key <= code_end : key == code;
}

/* Runs an edit binding on e; returns true when the key was one. */
static bool keys_edit(editor *e, bool fn, bool alt, int code)
{
	for (size_t i = 0; i < sizeof(edit_table) / sizeof(edit_table[0]); i++) {
		const edit_binding *b = &edit_table[i];
		if (keys_match(b->kind, b->code, 0, fn, alt, code)) {
			b->fn(e);
			return true;
		}
	}
	return false;
}

/* Returns true for a key that types a character. */
static bool keys_printable(bool fn, bool alt, int code)
{
	return !fn && !alt && code >= 0x20 && code != CH_DEL && !(code >= 0x80 && code < 0xA0);
}

/* ---- modal states ---- */

/* Shows the newest history entry older than before containing the needle. */
static void keys_rs_find(tui *t, long before)
{
	editor_hist h = keys_hist(t);
	const char *needle = editor_text(t->aux);
	if (!h.arg || !*needle) {
		t->rs_failed = false;
		return;
	}
	long i = editor_history_find(&h, before, needle);
	if (i < 0) {
		t->rs_failed = true;
		return;
	}
	t->rs_failed = false;
	t->rs_match = i;
	const char *entry = h.get(h.arg, (size_t)i);
	editor_set(t->cmd, entry);
	const char *at = strstr(entry, needle);
	editor_set_cursor(t->cmd, at ? (size_t)(at - entry) : 0);
}

/* Handles a key during Ctrl-R; returns true when it was consumed. */
static bool keys_rsearch(tui *t, bool fn, bool alt, int code, unsigned *d)
{
	*d = TUI_D_BOTTOM;
	if (!fn && !alt && code == CH_CTRL_R) {
		keys_rs_find(t, t->rs_match >= 0 ? t->rs_match : -1);
		return true;
	}
	if (!fn && !alt && (code == CH_ESC || code == CH_CTRL_G || code == CH_CTRL_C)) {
		editor_set(t->cmd, t->rs_saved ? t->rs_saved : "");
		t->mode = TUI_M_EDIT;
		return true;
	}
	if (keys_printable(fn, alt, code)) {
		editor_end(t->aux);
		editor_insert_cp(t->aux, (uint32_t)code);
		keys_rs_find(t, t->rs_match >= 0 ? t->rs_match + 1 : -1);
		return true;
	}
	if ((!fn && (code == CH_DEL || code == CH_CTRL_H)) || (fn && code == KEY_BACKSPACE)) {
		editor_backspace(t->aux);
		keys_rs_find(t, -1);
		return true;
	}
	/* Any other key accepts the match and then acts as usual. */
	t->mode = TUI_M_EDIT;
	editor_history_reset(t->cmd);
	return false;
}

/* Handles a key in a prompt or the log search. */
static unsigned keys_prompt(tui *t, bool fn, bool alt, int code)
{
	bool enter = (!fn && !alt && (code == CH_CR || code == CH_LF)) || (fn && code == KEY_ENTER);
	bool cancel = !fn && !alt && (code == CH_ESC || code == CH_CTRL_G || code == CH_CTRL_C);
	if (enter || cancel) {
		enum tui_mode m = t->mode;
		char *answer = enter ? oom_strdup(editor_text(t->aux)) : NULL;
		if (t->prompt_masked)
			editor_wipe(t->aux);
		else
			editor_clear(t->aux);
		t->mode = TUI_M_EDIT;
		unsigned d = TUI_D_BOTTOM;
		if (m == TUI_M_LOGSEARCH) {
			if (answer && *answer) {
				free(t->needle);
				t->needle = answer;
				answer = NULL;
				d |= view_log_search(t, -1, true);
			}
		} else if (t->prompt_cb) {
			tui_prompt_cb cb = t->prompt_cb;
			t->prompt_cb = NULL;
			t->prompt_masked = false;
			d |= cb(t, answer);
		}
		if (answer) {
			explicit_bzero(answer, strlen(answer));   /* memset before free may be dropped */
			free(answer);
		}
		return d;
	}
	if (!fn && !alt && code == CH_TAB)
		return keys_prompt_tab(t);
	if (keys_edit(t->aux, fn, alt, code))
		return TUI_D_BOTTOM;
	if (keys_printable(fn, alt, code)) {
		editor_insert_cp(t->aux, (uint32_t)code);
		return TUI_D_BOTTOM;
	}
	return 0;
}

/* Returns how a key answers a y/N question: 1 yes (y), 0 no (n, Enter,
 * Esc, C-c, C-g), -1 neither.  Other keys do not answer: a command typed
 * ahead of the question would otherwise say no with its first letter and
 * send the rest of itself ("stop" after a kick went out as "top"). */
static int keys_confirm_answer(bool fn, bool alt, int code)
{
	if (alt)
		return code == CH_ESC ? 0 : -1;
	if (fn)
		return code == KEY_ENTER ? 0 : -1;
	switch (code) {
	case 'y':
	case 'Y':
		return 1;
	case 'n':
	case 'N':
	case CH_CR:
	case CH_LF:
	case CH_ESC:
	case CH_CTRL_C:
	case CH_CTRL_G:
		return 0;
	default:
		return -1;
	}
}

/* Opens a y/N question (see tui-int.h); its quiet second starts now. */
void keys_confirm_open(tui *t, tui_confirm_cb cb)
{
	t->confirm_cb = cb;
	t->mode = TUI_M_CONFIRM;
	t->confirm_quiet_ms = rc_now_ms();
	t->confirm_early = false;
}

/* Returns true when a 'y' at now comes too soon to be an answer: less than
 * KEYS_CONFIRM_QUIET_MS after the question opened or after a key that was
 * no answer.  Either way it was typed before the question could be read:
 * one typed ahead with the Enter that opened it ("stop", Enter, 'y' from
 * another tool's habit), or the 'y' of a command typed on ("say bye").
 * A second is about the least it takes to see the row change and read
 * `send "stop" to alpha? [y/N]`, and more than a typist's pause between
 * two keys of one command. */
static bool keys_confirm_early(const tui *t, int64_t now)
{
	return now - t->confirm_quiet_ms < KEYS_CONFIRM_QUIET_MS;
}

/* Handles a key in a modal state; returns true when it was consumed. */
static bool keys_modal(tui *t, bool fn, bool alt, int code, unsigned *d)
{
	switch (t->mode) {
	case TUI_M_HELP:
		*d = view_help_key(t, fn, code);
		return true;
	case TUI_M_INFO:
		*d = view_info_key(t, fn, code);
		return true;
	case TUI_M_MENU:
		/* ESC+key in one read may be Esc typed fast: it closes, never picks. */
		*d = view_players_menu_key(t, fn, alt ? CH_ESC : code);
		return true;
	case TUI_M_CONFIRM: {
		int answer = keys_confirm_answer(fn, alt, code);
		int64_t now = rc_now_ms();
		/* Typed ahead: neither answers nor is lost in the line.  A 'y' too
		 * early does not move the quiet second on: y pressed again answers
		 * once the second is up.  No, Enter and Esc decline at once. */
		if (answer < 0 || (answer == 1 && keys_confirm_early(t, now))) {
			if (answer < 0)
				t->confirm_quiet_ms = now;
			else
				t->confirm_early = true;   /* a beep alone does not say why */
			beep();
			*d = TUI_D_BOTTOM;
			return true;
		}
		bool yes = answer == 1;
		tui_confirm_cb cb = t->confirm_cb;
		t->confirm_cb = NULL;
		if (cb) {
			t->mode = TUI_M_EDIT;
			*d = cb(t, yes);
		} else {
			*d = view_players_confirm(t, yes);
		}
		return true;
	}
	case TUI_M_PROMPT:
	case TUI_M_LOGSEARCH:
		*d = keys_prompt(t, fn, alt, code);
		return true;
	case TUI_M_RSEARCH:
		return keys_rsearch(t, fn, alt, code, d);
	case TUI_M_EDIT:
		break;
	}
	return false;
}

/* Handles one pasted key (between the paste markers): text only.  On the
 * command line a newline becomes TUI_NL_MARK, so the paste stays editable
 * text and only a typed Enter sends its lines.  A prompt takes the first
 * line only; a question, a menu or the help takes nothing. */
static unsigned keys_paste(tui *t, bool fn, bool alt, int code)
{
	bool enter = !fn && (code == CH_CR || code == CH_LF);
	bool text = !fn && (code == CH_TAB || keys_printable(false, false, code));
	unsigned d = 0;
	if (t->paste_cut || (!enter && !text))
		return 0;
	switch (t->mode) {
	case TUI_M_EDIT:
		if (t->focus != TUI_F_CMD) {
			t->focus = TUI_F_CMD;
			d |= TUI_D_PANES;
		}
		if (editor_insert_cp(t->cmd, enter ? TUI_NL_MARK_CP : (uint32_t)code) < 0)
			t->paste_dropped++;
		return d | TUI_D_BOTTOM;
	case TUI_M_PROMPT:
	case TUI_M_LOGSEARCH:
		if (enter)
			t->paste_cut = true;
		else
			editor_insert_cp(t->aux, (uint32_t)code);
		return TUI_D_BOTTOM;
	case TUI_M_RSEARCH:
		if (enter)
			t->paste_cut = true;
		else
			keys_rsearch(t, false, false, code, &d);
		return d;
	default:
		/* A menu, a y/N question or the help waits for a key press. */
		t->paste_cut = true;
		return 0;
	}
}

/* Drops the pasted line the command line's limit cut (from its start, or
 * the paste's, to the cursor), so no line goes out shorter than pasted:
 * "ban Bob_the_alt" cut after "ban Bob" names another player. */
static void keys_paste_drop_cut(tui *t)
{
	const char *text = editor_text(t->cmd);
	size_t at = t->paste_at, cur = editor_cursor(t->cmd), ml = strlen(TUI_NL_MARK);
	if (at > cur)
		at = cur;
	for (size_t i = at; i + ml <= cur; i++)
		if (memcmp(text + i, TUI_NL_MARK, ml) == 0)
			at = i + ml;
	editor_replace(t->cmd, at, cur, "");
}

/* Ends a paste: a line the command line's limit cut is dropped with what
 * did not fit, and said so; a newline that ended it is not kept. */
static void keys_paste_end(tui *t)
{
	size_t ml = strlen(TUI_NL_MARK);
	if (t->paste_dropped && t->mode == TUI_M_EDIT)
		keys_paste_drop_cut(t);
	while (t->mode == TUI_M_EDIT) {
		const char *text = editor_text(t->cmd);
		size_t cur = editor_cursor(t->cmd);
		if (cur < ml || memcmp(text + cur - ml, TUI_NL_MARK, ml) != 0)
			break;
		editor_backspace(t->cmd);
	}
	if (t->paste_dropped)
		tui_message(t, true, "paste too long: %zu character%s did not fit (the line holds %d "
		    "bytes); the line it cut was dropped", t->paste_dropped,
		    t->paste_dropped == 1 ? "" : "s", EDITOR_MAX);
	t->paste_dropped = 0;
	t->paste_cut = false;
	t->dirty |= TUI_D_BOTTOM;
}

/* Follows the paste markers; returns true when the key was pasted text or
 * a marker (and has been handled). */
static bool keys_pasted(tui *t, bool fn, bool alt, int code)
{
	int64_t now = rc_now_ms();
	if (fn && (code == TUI_KEY_PASTE_BEGIN || code == TUI_KEY_PASTE_END)) {
		bool was = t->pasting;
		t->pasting = code == TUI_KEY_PASTE_BEGIN;
		t->paste_ms = now;
		if (t->pasting && !was) {
			t->paste_cut = false;
			t->paste_dropped = 0;
			t->paste_at = editor_cursor(t->cmd);
		} else if (!t->pasting && was) {
			keys_paste_end(t);
		}
		return true;
	}
	if (t->pasting && now - t->paste_ms > KEYS_PASTE_STALE_MS) {
		t->pasting = false;
		keys_paste_end(t);
	}
	if (!t->pasting || (fn && code == KEY_RESIZE))
		return false;
	t->paste_ms = now;
	unsigned d = keys_paste(t, fn, alt, code);
	t->dirty |= d & ~(unsigned)TUI_R_QUIT;
	return true;
}

/* Returns true when ESC+code is an Alt binding somewhere (else it is taken
 * as Esc followed by the key, as an Esc typed quickly before a key is). */
static bool keys_alt_bound(int code)
{
	for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++)
		if (keys_match(key_table[i].kind, key_table[i].code, key_table[i].code_end, false, true, code))
			return true;
	for (size_t i = 0; i < sizeof(edit_table) / sizeof(edit_table[0]); i++)
		if (keys_match(edit_table[i].kind, edit_table[i].code, 0, false, true, code))
			return true;
	return false;
}

/* A key read while the terminal is too small to show anything: nothing
 * typed there may act unseen (a line sent blind, a question answered
 * blind), so it is ignored and counted for the screen (view-help.c) and for
 * the message once the panes are back (keys_small_told).  A paste's
 * markers are not keys; its text is. */
static void keys_ignore_small(tui *t, bool fn, int code)
{
	if (fn && (code == TUI_KEY_PASTE_BEGIN || code == TUI_KEY_PASTE_END))
		return;
	t->small_ignored++;
	t->dirty |= TUI_D_BOTTOM;   /* the too-small screen shows the count */
}

/* Says, once the terminal is big enough again, how many keys it ignored
 * while it was not. */
void keys_small_told(tui *t)
{
	if (!t->small_ignored || t->lay.mode == LAYOUT_TOO_SMALL)
		return;
	tui_message(t, true, "%zu key%s typed while the terminal was too small %s ignored: "
	    "nothing was sent", t->small_ignored, t->small_ignored == 1 ? "" : "s",
	    t->small_ignored == 1 ? "was" : "were");
	t->small_ignored = 0;
}

/* Handles one key. */
void keys_handle(tui *t, bool fn, bool alt, int code)
{
	if (t->quit)
		return;
	unsigned d = 0;
	if (t->msg[0]) {
		t->msg[0] = '\0';
		d |= TUI_D_BOTTOM;
	}
	t->dirty |= d;
	/* Quitting, redrawing and resizing work in every state (and, too
	 * small, suspending). */
	bool always = (fn && (code == KEY_F(10) || code == KEY_RESIZE)) ||
	    (!fn && !alt && (code == CH_CTRL_Q || code == CH_CTRL_L));
	if (t->lay.mode == LAYOUT_TOO_SMALL && !always && (fn || alt || code != CH_CTRL_Z)) {
		keys_ignore_small(t, fn, code);
		return;
	}
	if (keys_pasted(t, fn, alt, code)) {
		complete_reset(&t->comp);
		return;
	}
	if (alt && !keys_alt_bound(code)) {
		keys_handle(t, false, false, CH_ESC);
		keys_handle(t, false, false, code);
		return;
	}
	if (fn || alt || code != CH_TAB)
		complete_reset(&t->comp);
	unsigned md = 0;
	if (!always && keys_modal(t, fn, alt, code, &md)) {
		t->dirty |= d | md;
		return;
	}
	d |= md;
	unsigned ctx = 1u << t->focus;
	for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]); i++) {
		const key_binding *b = &key_table[i];
		if ((b->ctx & ctx) && keys_match(b->kind, b->code, b->code_end, fn, alt, code)) {
			d |= b->fn(t, code);
			t->dirty |= d & ~(unsigned)TUI_R_QUIT;
			return;
		}
	}
	if (t->focus != TUI_F_CMD) {
		/* Typing in a pane goes to the command line. */
		if (!keys_printable(fn, alt, code)) {
			t->dirty |= d;
			return;
		}
		t->focus = TUI_F_CMD;
		d |= TUI_D_PANES;
	}
	if (keys_edit(t->cmd, fn, alt, code))
		d |= TUI_D_BOTTOM;
	else if (keys_printable(fn, alt, code) && editor_insert_cp(t->cmd, (uint32_t)code) == 0)
		d |= TUI_D_BOTTOM;
	t->dirty |= d;
}

/* Returns true when cell (y, x) is inside r. */
static bool keys_in(layout_rect r, int y, int x)
{
	return layout_shown(r) && y >= r.y && y < r.y + r.h && x >= r.x && x < r.x + r.w;
}

/* Handles a mouse report: a left click selects the server or player under
 * it and gives its pane focus, the wheel scrolls the log (or the help).  A
 * question, a prompt or a menu waits for a key: a click never answers. */
void keys_mouse(tui *t, int y, int x, int button, bool press)
{
	if (t->quit || !press || t->pasting)
		return;
	bool wheel = button == TUI_BTN_WHEEL_UP || button == TUI_BTN_WHEEL_DOWN;
	int dir = button == TUI_BTN_WHEEL_UP ? -1 : 1;
	if (!wheel && button != TUI_BTN_LEFT)
		return;
	if (t->msg[0]) {
		t->msg[0] = '\0';
		t->dirty |= TUI_D_BOTTOM;
	}
	if (t->mode == TUI_M_HELP) {
		if (wheel) {
			t->help_top += 3 * dir;
			t->dirty |= TUI_D_POPUP;
		} else {
			t->dirty |= view_help_key(t, false, CH_ESC);
		}
		return;
	}
	if (t->mode != TUI_M_EDIT || t->lay.mode == LAYOUT_TOO_SMALL)
		return;
	complete_reset(&t->comp);
	if (wheel) {
		/* Over the player panel the wheel goes through the players (a
		 * big server's list is longer than the panel); elsewhere, the log. */
		if (keys_in(t->lay.players, y, x))
			t->dirty |= view_players_move(t, 3 * dir);
		else
			t->dirty |= view_log_scroll(t, 3 * dir);
		return;
	}
	unsigned d = TUI_D_PANES;
	if (keys_in(t->lay.servers, y, x)) {
		long i = view_servers_hit(t, y - t->lay.servers.y, x - t->lay.servers.x);
		if (i >= 0)
			d |= tui_select(t, (size_t)i);
		t->focus = TUI_F_SERVERS;
	} else if (keys_in(t->lay.log, y, x)) {
		t->focus = TUI_F_LOG;
	} else if (keys_in(t->lay.players, y, x)) {
		t->focus = TUI_F_PLAYERS;
		d |= view_players_click(t, y - t->lay.players.y);
	} else if (keys_in(t->lay.bottom, y, x)) {
		int bx = x - t->lay.bottom.x;
		if (bx >= t->help_x0 && bx < t->help_x1)
			d |= k_help(t, 0);   /* "F1 help" reads as a button */
		else
			t->focus = TUI_F_CMD;
	} else {
		return;
	}
	t->dirty |= d;
}

/* Lists the documented bindings for the help overlay. */
size_t keys_help(const char **keys, const char **what, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(key_table) / sizeof(key_table[0]) && n < max; i++)
		if (key_table[i].keys) {
			keys[n] = key_table[i].keys;
			what[n++] = key_table[i].help;
		}
	for (size_t i = 0; i < sizeof(edit_table) / sizeof(edit_table[0]) && n < max; i++)
		if (edit_table[i].keys) {
			keys[n] = edit_table[i].keys;
			what[n++] = edit_table[i].help;
		}
	return n;
}
