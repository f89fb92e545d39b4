/* view-players.c: the selected server's players, and the actions on one of
 * them (msg, kick, ban, op, deop, whitelist, gamemode, tp).
 *
 * An action goes: menu -> argument prompt (when the action takes one) ->
 * y/N confirmation (destructive actions) -> app_action().  The command
 * text comes only from rc_mc_build(), which refuses names and arguments
 * that could smuggle in a second command.  In read-only mode the menu never
 * opens: the panel only lists names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/draw.h"
#include "tui/oom.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"

/* The menu: actions in order, with their hot keys, and for an argument Tab
 * completes, the command words it follows (keys_prompt_tab).  "@s" stands
 * for the player there: only the word after it is completed, and a Bedrock
 * name with a space in it would shift the words. */
static const struct players_item {
	rc_mc_action action;
	int key;
	const char *words;
} players_menu[] = {
	{ RC_MC_MSG, 'm', NULL },
	{ RC_MC_KICK, 'k', NULL },
	{ RC_MC_BAN, 'b', NULL },
	{ RC_MC_OP, 'o', NULL },
	{ RC_MC_DEOP, 'd', NULL },
	{ RC_MC_WHITELIST_ADD, 'w', NULL },
	{ RC_MC_WHITELIST_REMOVE, 'r', NULL },
	{ RC_MC_GAMEMODE, 'g', "gamemode " },
	{ RC_MC_TP, 't', "tp @s " },
};
static const size_t players_n_menu = sizeof(players_menu) / sizeof(players_menu[0]);

/* Returns the number of players the panel lists for s. */
static size_t players_count(const app_server *s)
{
	return s && s->have_players && s->players.format != RC_MC_LIST_UNPARSED ? s->players.n_players : 0;
}

/* The list being sorted (qsort has no context argument; one thread). */
static const rc_mc_player *players_sorting;

/* Orders two player indexes by name, ignoring case, then exactly, then by
 * position, so equal names keep a stable order. */
static int players_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const char *na = players_sorting[a].name ? players_sorting[a].name : "";
	const char *nb = players_sorting[b].name ? players_sorting[b].name : "";
	int c = strcasecmp(na, nb);
	if (!c)
		c = strcmp(na, nb);
	return c ? c : (a > b) - (a < b);
}

/* Sorts s's players into t->pl_order (the panel's rows); returns how many. */
static size_t players_sort(tui *t, const app_server *s)
{
	size_t n = players_count(s);
	if (n > t->pl_cap) {
		t->pl_order = oom_realloc(t->pl_order, n * sizeof(*t->pl_order));
		t->pl_cap = n;
	}
	for (size_t i = 0; i < n; i++)
		t->pl_order[i] = i;
	players_sorting = s->players.players;
	if (n > 1)
		qsort(t->pl_order, n, sizeof(*t->pl_order), players_cmp);
	return n;
}

/* Returns the player shown at row pos (after players_sort). */
static const rc_mc_player *players_at(const tui *t, const app_server *s, size_t pos)
{
	return &s->players.players[t->pl_order[pos]];
}

/* Remembers the selected player's name, so the selection can follow it. */
static void players_keep_name(tui *t, tui_view *v, const app_server *s)
{
	const char *name = players_at(t, s, v->player_sel)->name;
	snprintf(v->player_name, sizeof(v->player_name), "%s", name ? name : "");
}

/* Puts the selection back on the player it was on after the list changed
 * (a refresh reorders or drops names); when that player left, it stays at
 * the same row, clamped, on whoever is there now.  Needs n > 0 and the
 * list sorted. */
static void players_follow(tui *t, tui_view *v, const app_server *s, size_t n)
{
	if (v->player_sel >= n)
		v->player_sel = n - 1;
	const char *cur = players_at(t, s, v->player_sel)->name;
	if (v->player_name[0] && !(cur && strcmp(cur, v->player_name) == 0)) {
		for (size_t i = 0; i < n; i++) {
			const char *name = players_at(t, s, i)->name;
			if (name && strcmp(name, v->player_name) == 0) {
				v->player_sel = i;
				break;
			}
		}
	}
	players_keep_name(t, v, s);
}

/* Draws the player panel. */
void view_players_draw(tui *t)
{
	WINDOW *w = t->w_players;
	if (!w)
		return;
	int h, wd;
	getmaxyx(w, h, wd);
	werase(w);
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	char title[48] = "Players";
	if (s && s->have_players && s->players.format != RC_MC_LIST_UNPARSED) {
		if (s->players.max >= 0)
			snprintf(title, sizeof(title), "Players %d/%d", s->players.count, s->players.max);
		else
			snprintf(title, sizeof(title), "Players %d", s->players.count);
	}
	bool focus = t->focus == TUI_F_PLAYERS;
	draw_box(w, title, focus);
	int rows = h - 2, inner = wd - 2;
	if (!s || !v || rows <= 0) {
		wnoutrefresh(w);
		return;
	}
	size_t n = players_count(s);
	const char *why = NULL;
	if (s->state != RC_STATE_READY && s->state != RC_STATE_BUSY && !s->have_players)
		why = "(offline)";
	else if (!s->have_players)
		why = s->refresh_s > 0 ? "(waiting)" : "(refresh off)";
	else if (s->players.format == RC_MC_LIST_UNPARSED)
		why = "(list not understood)";
	else if (n == 0)
		why = "(nobody online)";
	if (why) {
		draw_str(w, 1, 2, inner - 1, TH_DIM, why);   /* where the names start */
		wnoutrefresh(w);
		return;
	}
	players_sort(t, s);
	players_follow(t, v, s, n);
	if (v->player_sel < v->player_top)
		v->player_top = v->player_sel;
	if (v->player_sel >= v->player_top + (size_t)rows)
		v->player_top = v->player_sel - (size_t)rows + 1;
	if (v->player_top + (size_t)rows > n)
		v->player_top = n > (size_t)rows ? n - (size_t)rows : 0;
	for (int r = 0; r < rows && v->player_top + (size_t)r < n; r++) {
		size_t i = v->player_top + (size_t)r;
		const rc_mc_player *p = players_at(t, s, i);
		bool sel = focus && i == v->player_sel;
		enum theme_role role = sel ? TH_CURSOR : TH_NORMAL;
		draw_fill(w, 1 + r, 1, inner, role);
		int used = draw_str(w, 1 + r, 2, inner - 1, role, p->name ? p->name : "?");
		if ((p->flags & RC_MC_PLAYER_AFK) && used + 5 <= inner - 1)
			draw_str(w, 1 + r, 2 + used, 4, sel ? role : TH_DIM, " afk");
	}
	draw_more(w, v->player_top > 0, v->player_top + (size_t)rows < n, TH_BORDER);
	wnoutrefresh(w);
}

/* Moves the player selection. */
unsigned view_players_move(tui *t, int delta)
{
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	size_t n = players_count(s);
	if (!v || n == 0)
		return 0;
	players_sort(t, s);
	players_follow(t, v, s, n);
	long sel = (long)v->player_sel + delta;
	if (sel < 0)
		sel = 0;
	if ((size_t)sel >= n)
		sel = (long)n - 1;
	v->player_sel = (size_t)sel;
	players_keep_name(t, v, s);
	return TUI_D_PLAYERS;
}

/* Selects the player at row y of the panel box (a click). */
unsigned view_players_click(tui *t, int y)
{
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	size_t n = players_count(s);
	if (!v || n == 0 || y < 1 || y > t->lay.players.h - 2)
		return 0;
	size_t pos = v->player_top + (size_t)(y - 1);
	if (pos >= n)
		return 0;
	players_sort(t, s);
	v->player_sel = pos;
	players_keep_name(t, v, s);
	return TUI_D_PLAYERS;
}

/* Opens the action menu on the selected player. */
unsigned view_players_open_menu(tui *t)
{
	app_server *s = tui_server(t);
	tui_view *v = tui_view_cur(t);
	size_t n = players_count(s);
	if (!s || !v || n == 0)
		return 0;
	if (s->read_only) {
		tui_message(t, true, "read-only: player actions are disabled");
		return TUI_D_BOTTOM;
	}
	players_sort(t, s);
	players_follow(t, v, s, n);
	const char *name = players_at(t, s, v->player_sel)->name;
	if (!name || strlen(name) >= sizeof(t->action_player))
		return 0;
	snprintf(t->action_player, sizeof(t->action_player), "%s", name);
	t->action_srv = t->sel;
	t->menu_sel = 0;
	t->mode = TUI_M_MENU;
	return TUI_D_POPUP | TUI_D_BOTTOM;
}

/* Builds the pending action's command; on success asks or sends. */
static unsigned players_finish(tui *t, const char *arg)
{
	const rc_mc_action_info *info = rc_mc_action_get((rc_mc_action)t->action);
	const char *why = NULL;
	int n = rc_mc_build((rc_mc_action)t->action, t->action_player, arg,
	    t->confirm_cmd, sizeof(t->confirm_cmd), &why);
	t->mode = TUI_M_EDIT;
	if (n < 0) {
		tui_message(t, true, "%s %s: %s", info->label, t->action_player,
		    why ? why : rc_strerror(n));
		return TUI_D_BOTTOM;
	}
	app_server *s = app_get(t->a, t->action_srv);
	if (!s || s->read_only)
		return TUI_D_BOTTOM;
	if (info->destructive) {
		confirm_action(t, s, t->confirm_cmd);
		keys_confirm_open(t, NULL);   /* answered by view_players_confirm() */
		return TUI_D_BOTTOM;
	}
	app_action(t->a, t->action_srv, t->confirm_cmd);
	return TUI_D_BOTTOM | TUI_D_LOG;
}

/* Receives the argument of an action. */
static unsigned players_on_arg(tui *t, const char *answer)
{
	if (!answer)
		return TUI_D_BOTTOM;
	const rc_mc_action_info *info = rc_mc_action_get((rc_mc_action)t->action);
	if (info->arg_required && !*answer) {
		tui_message(t, true, "%s needs a %s", info->label, info->arg_prompt);
		return TUI_D_BOTTOM;
	}
	return players_finish(t, *answer ? answer : NULL);
}

/* Starts action k of the menu. */
static unsigned players_choose(tui *t, size_t k)
{
	const rc_mc_action_info *info = rc_mc_action_get(players_menu[k].action);
	t->action = (int)players_menu[k].action;
	t->mode = TUI_M_EDIT;
	unsigned d = TUI_D_POPUP | TUI_D_PANES;
	if (info->arg_prompt) {
		char label[256];
		snprintf(label, sizeof(label), "%s %s %s%s: ", info->label, t->action_player,
		    info->arg_prompt, info->arg_required ? "" : " (optional)");
		d |= tui_prompt(t, label, false, "", players_on_arg);
		if (players_menu[k].words)
			snprintf(t->prompt_words, sizeof(t->prompt_words), "%s", players_menu[k].words);
		return d;
	}
	return d | players_finish(t, NULL);
}

/* Handles a key in the action menu. */
unsigned view_players_menu_key(tui *t, bool fn, int code)
{
	unsigned d = TUI_D_POPUP;
	if (fn && code == KEY_UP) {
		t->menu_sel = t->menu_sel ? t->menu_sel - 1 : players_n_menu - 1;
		return d;
	}
	if (fn && code == KEY_DOWN) {
		t->menu_sel = (t->menu_sel + 1) % players_n_menu;
		return d;
	}
	if ((fn && code == KEY_ENTER) || (!fn && (code == '\r' || code == '\n')))
		return players_choose(t, t->menu_sel);
	if (!fn)
		for (size_t k = 0; k < players_n_menu; k++)
			if (code == players_menu[k].key)
				return players_choose(t, k);
	/* Esc or anything else closes the menu. */
	t->mode = TUI_M_EDIT;
	return TUI_D_PANES;
}

/* Draws the action menu. */
void view_players_draw_menu(tui *t)
{
	int h = (int)players_n_menu + 2, w = 30;
	if (h > t->lay.rows - 1)
		h = t->lay.rows - 1;
	layout_rect r = layout_center(&t->lay, w, h);
	if (t->lay.mode == LAYOUT_FULL) {
		/* Beside the player panel, where the eye already is. */
		r.x = t->lay.players.x - r.w;
		if (r.x < 0)
			r.x = 0;
	}
	if (t->w_popup)
		delwin(t->w_popup);
	t->w_popup = newwin(r.h, r.w, r.y, r.x);
	if (!t->w_popup)
		return;
	WINDOW *win = t->w_popup;
	werase(win);
	draw_box(win, t->action_player, true);
	/* On a short terminal the menu scrolls to keep the selection shown. */
	size_t rows = r.h > 2 ? (size_t)(r.h - 2) : 0;
	size_t top = rows && t->menu_sel >= rows ? t->menu_sel - rows + 1 : 0;
	for (size_t k = top; k < players_n_menu && k - top < rows; k++) {
		const rc_mc_action_info *info = rc_mc_action_get(players_menu[k].action);
		bool sel = k == t->menu_sel;
		enum theme_role role = sel ? TH_CURSOR : TH_NORMAL;
		int y = 1 + (int)(k - top);
		draw_fill(win, y, 1, r.w - 2, role);
		char line[64];
		snprintf(line, sizeof(line), "%c  %s%s", players_menu[k].key, info->label,
		    info->destructive ? " \xe2\x80\xa6" : "");
		if (!t->utf8 && info->destructive)
			snprintf(line, sizeof(line), "%c  %s ...", players_menu[k].key, info->label);
		draw_str(win, y, 2, r.w - 4, role, line);
	}
	wnoutrefresh(win);
}

/* Sends the confirmed command, or drops it. */
unsigned view_players_confirm(tui *t, bool yes)
{
	t->mode = TUI_M_EDIT;
	if (!yes) {
		tui_message(t, false, "cancelled: %s", t->confirm_cmd);
		t->confirm_cmd[0] = '\0';
		return TUI_D_BOTTOM;
	}
	app_server *s = app_get(t->a, t->action_srv);
	if (s && !s->read_only)
		app_action(t->a, t->action_srv, t->confirm_cmd);
	t->confirm_cmd[0] = '\0';
	return TUI_D_BOTTOM | TUI_D_LOG;
}
