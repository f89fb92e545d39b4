/* tui.c: the console's life cycle — terminal setup and restore, the loop
 * callbacks (keys, signals, prepare) and drawing once per pass.
 *
 * The terminal is one more fd on the loop: stdin is read in nodelay mode
 * until curses has no more keys.  Callbacks only change state and OR dirty
 * bits; tui_prepare(), run by the loop just before poll(), draws the dirty
 * panes with wnoutrefresh() and sends the difference with one doupdate().
 * A pass with nothing dirty touches no window and writes nothing.  The only
 * timer the console owns is the one-second countdown while a server waits
 * to reconnect, so an idle console never wakes up.
 *
 * Terminal restore: quitting keys, SIGINT, SIGTERM and SIGHUP end the loop
 * and tui_run() calls endwin(); fatal signals (SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGABRT) call endwin() from the handler, then die by the default
 * action so the exit status and core dump stay what they would have been.
 * Running out of memory goes through oom_die() (oom.h), which restores the
 * terminal with the same function before it aborts.
 *
 * Bracketed paste: the console asks the terminal to mark pasted text (the
 * terminfo strings BE/BD/PS/PE, or xterm's, which other terminals ignore),
 * so keys.c can treat a paste as text for the command line and never as key
 * presses that pick a menu entry or answer a y/N question; an end marker
 * ends a paste only once the input is quiet after it (paste-tail.h), so text
 * that spells the marker stays text.  Terminals that do
 * not mark pastes are caught the way irssi does: the keys of one read are a
 * burst, and a burst of plain characters in which a newline is followed by
 * more text is a paste (handed to keys.c between made-up markers).  A burst
 * that ends in a newline is held for TUI_HOLD_MS, so a paste split across
 * two reads is still one paste; one arriving within TUI_BURST_GAP_MS of a
 * paste continues it.
 *
 * Mouse: SGR (1006) reports of button presses and the wheel, switched on
 * like bracketed paste and read here (the key tree gets ESC [ < and ESC [ M
 * in place of terminfo's kmous, so curses never parses reports itself). */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tui/draw.h"
#include "tui/terminfo.h"
#include "tui/oom.h"
#include "tui/theme.h"
#include "app/app-tree.h"
#include "tui/tui-int.h"
#include "tui/utf8.h"

#define TUI_EOF_POLLS 3      /* readable-but-empty stdin passes before giving up */
#define TUI_SEQ_MAX 32       /* bytes of an unknown escape sequence dropped at most */
#define TUI_BURST_MAX 4096   /* keys handled per input pass */
#define TUI_HOLD_MS 15       /* a burst ending in a newline waits this long for more */
#define TUI_BURST_GAP_MS 3   /* a burst this soon after a paste continues it */
#define TUI_PASTE_QUIET_MS 200 /* input this quiet after an end marker ends a paste */

/* Signals that end the console normally, through the loop. */
static const int tui_term_signals[] = { SIGINT, SIGTERM, SIGHUP };
/* Signals that kill the process: restore the terminal, then die. */
static const int tui_fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
#define TUI_N_FATAL (sizeof(tui_fatal_signals) / sizeof(tui_fatal_signals[0]))
static struct sigaction tui_fatal_old[TUI_N_FATAL];
static volatile sig_atomic_t tui_curses_on;
/* The terminal's bracketed-paste off switch, sent before giving it back
 * (NULL when it was never switched on). */
static const char *tui_paste_off;
/* Mouse reporting: buttons (1000) in SGR form (1006), and off again. */
static const char tui_mouse_on_str[] = "\033[?1000h\033[?1006h";
static const char tui_mouse_off_str[] = "\033[?1006l\033[?1000l";
static volatile sig_atomic_t tui_mouse_on;

/* The bracketed-paste strings, by their terminfo names; when terminfo has
 * none, xterm's, which terminals that do not know them ignore (an unknown
 * private mode). */
enum tui_paste_str { TUI_PASTE_ON, TUI_PASTE_OFF, TUI_PASTE_BEGIN, TUI_PASTE_END };
static const struct tui_paste_cap {
	const char *name;
	const char *fallback;
} tui_paste_caps[] = {
	[TUI_PASTE_ON] = { "BE", "\033[?2004h" },
	[TUI_PASTE_OFF] = { "BD", "\033[?2004l" },
	[TUI_PASTE_BEGIN] = { "PS", "\033[200~" },   /* sent before pasted text */
	[TUI_PASTE_END] = { "PE", "\033[201~" },     /* and after it */
};

/* Key sequences of common terminals, added when terminfo lacks them. */
static const struct tui_keyseq {
	const char *seq;
	int key;
} tui_keyseqs[] = {
	{ "\033[1~", KEY_HOME }, { "\033[7~", KEY_HOME }, { "\033[H", KEY_HOME },
	{ "\033OH", KEY_HOME },
	{ "\033[4~", KEY_END }, { "\033[8~", KEY_END }, { "\033[F", KEY_END },
	{ "\033OF", KEY_END },
	{ "\033[2~", KEY_IC }, { "\033[3~", KEY_DC },
	{ "\033[5~", KEY_PPAGE }, { "\033[6~", KEY_NPAGE },
	{ "\033[A", KEY_UP }, { "\033[B", KEY_DOWN }, { "\033[C", KEY_RIGHT },
	{ "\033[D", KEY_LEFT },
	{ "\033OA", KEY_UP }, { "\033OB", KEY_DOWN }, { "\033OC", KEY_RIGHT },
	{ "\033OD", KEY_LEFT },
	{ "\033[Z", KEY_BTAB },
	{ "\033OP", KEY_F(1) }, { "\033OQ", KEY_F(2) }, { "\033OR", KEY_F(3) },
	{ "\033OS", KEY_F(4) },
	{ "\033[11~", KEY_F(1) }, { "\033[12~", KEY_F(2) }, { "\033[13~", KEY_F(3) },
	{ "\033[14~", KEY_F(4) }, { "\033[15~", KEY_F(5) }, { "\033[17~", KEY_F(6) },
	{ "\033[18~", KEY_F(7) }, { "\033[19~", KEY_F(8) }, { "\033[20~", KEY_F(9) },
	{ "\033[21~", KEY_F(10) }, { "\033[23~", KEY_F(11) }, { "\033[24~", KEY_F(12) },
};

/* Returns a bracketed-paste string: terminfo's, else xterm's. */
static const char *tui_paste_cap(enum tui_paste_str i)
{
	char *s = tigetstr(tui_paste_caps[i].name);
	return s && s != (char *)-1 && *s ? s : tui_paste_caps[i].fallback;
}

/* Sends a terminfo string now.  putp() writes through stdio while curses
 * keeps its own buffer, so without the flush the string would reach the
 * terminal whenever stdio's buffer happened to fill, out of order. */
static void tui_send(const char *s)
{
	putp(s);
	fflush(stdout);
}

/* Gives the terminal back if curses has it (fatal signals, out of memory):
 * bracketed paste off, then endwin(). */
static void tui_restore(void)
{
	if (!tui_curses_on)
		return;
	tui_curses_on = 0;
	if (tui_paste_off)
		tui_send(tui_paste_off);
	if (tui_mouse_on)
		tui_send(tui_mouse_off_str);
	endwin();
}

/* ---- state helpers ---- */

/* Returns the selected server. */
app_server *tui_server(tui *t)
{
	return app_get(t->a, t->sel);
}

/* Makes sure there is one view per server. */
void tui_views_sync(tui *t)
{
	size_t n = app_count(t->a);
	if (n <= t->n_views)
		return;
	tui_view *v = oom_realloc(t->views, n * sizeof(*v));
	for (size_t i = t->n_views; i < n; i++)
		v[i] = (tui_view){ .follow = true, .rtt_shown_us = -1 };
	t->views = v;
	t->n_views = n;
}

/* Returns the selected server's view. */
tui_view *tui_view_cur(tui *t)
{
	tui_views_sync(t);
	return t->sel < t->n_views && tui_server(t) ? &t->views[t->sel] : NULL;
}

/* Selects server i. */
unsigned tui_select(tui *t, size_t i)
{
	size_t n = app_count(t->a);
	if (n == 0)
		return 0;
	if (i >= n)
		i = n - 1;
	if (i != t->sel) {
		t->sel = i;
		editor_history_reset(t->cmd);
	}
	app_tree_need(t->a, i);   /* with many servers, trees are read when selected */
	return TUI_D_PANES;
}

/* Shows a message on the bottom row. */
void tui_message(tui *t, bool error, const char *fmt, ...)
{
	va_list ap;
	char whole[4096];
	va_start(ap, fmt);
	vsnprintf(whole, sizeof(whole), fmt, ap);
	va_end(ap);
	size_t n = strlen(whole);
	if (n >= sizeof(t->msg)) {
		n = sizeof(t->msg) - 1;
		while (n > 0 && ((unsigned char)whole[n] & 0xC0) == 0x80)
			n--;    /* never half a character */
	}
	memcpy(t->msg, whole, n);
	t->msg[n] = '\0';
	t->msg_error = error;
	t->dirty |= TUI_D_BOTTOM;
	/* Wider than the bottom row: the log keeps it whole, wrapped. */
	if (utf8_width(whole, strlen(whole)) > COLS) {
		if (tui_server(t))
			app_note(t->a, t->sel, error ? APP_LINE_ERROR : APP_LINE_INFO, "%s", whole);
		t->dirty |= TUI_D_LOG;
	}
}

/* Asks a question in the bottom row. */
unsigned tui_prompt(tui *t, const char *label, bool masked, const char *initial, tui_prompt_cb cb)
{
	snprintf(t->prompt_label, sizeof(t->prompt_label), "%s", label);
	t->prompt_masked = masked;
	t->prompt_cb = cb;
	t->prompt_hint = NULL;
	t->prompt_words[0] = '\0';
	editor_clear(t->aux);
	if (initial && *initial)
		editor_set(t->aux, initial);
	t->mode = TUI_M_PROMPT;
	return TUI_D_BOTTOM;
}

/* Leaves the console. */
unsigned tui_quit(tui *t, int status)
{
	if (!t->quit) {
		t->quit = true;
		t->status = status;
		rc_loop_stop(t->loop);
	}
	return TUI_R_QUIT;
}

/* Leaves the console because its terminal went away (SIGHUP, or a
 * terminal that reads as closed): interrupted. */
void tui_hang_up(tui *t)
{
	if (!t->quit)
		t->hung_up = true;
	tui_quit(t, 130);
}

/* Returns the parent process of pid from /proc (Linux), or -1. */
static pid_t tui_parent_of(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* pid (comm) state ppid ...: comm may hold spaces and parentheses. */
	char *end = strrchr(buf, ')');
	long ppid;
	if (!end || sscanf(end + 1, " %*c %ld", &ppid) != 1)
		return -1;
	return (pid_t)ppid;
}

/* Returns true when stopping would reach a shell that can continue us: our
 * process group is not orphaned, i.e. some ancestor in it has its parent
 * in another group of the same session (a job-control shell put us in a
 * group of our own).  Under a parent without job control (sh -c, a
 * supervisor, tmux running the console directly) nobody would ever send
 * SIGCONT and the screen would freeze.  When /proc cannot tell, assume a
 * shell is there. */
static bool tui_can_suspend(void)
{
	pid_t pg = getpgrp(), sid = getsid(0);
	pid_t p = getpid(), pp = getppid();
	for (int depth = 0; depth < 64 && pp > 0; depth++) {
		pid_t ppg = getpgid(pp), psid = getsid(pp);
		if (ppg < 0 || psid < 0)
			return false;
		if (ppg != pg)
			return psid == sid;
		p = pp;
		pp = tui_parent_of(p);
		if (pp < 0)
			return true;
	}
	return false;
}

/* Gives the terminal back, stops, and takes it again when continued. */
unsigned tui_suspend(tui *t)
{
	if (!tui_can_suspend()) {
		tui_message(t, true, "C-z: no job control here (the console was not started from an "
		    "interactive shell); ignored");
		return TUI_D_BOTTOM;
	}
	const char *on = tui_paste_off ? tui_paste_cap(TUI_PASTE_ON) : NULL;
	bool mouse = tui_mouse_on;
	tui_restore();
	kill(getpid(), SIGSTOP);
	/* Continued: curses restores its modes on the next refresh. */
	tui_curses_on = 1;
	if (on)
		tui_send(on);
	if (mouse)
		tui_send(tui_mouse_on_str);
	t->cursor_shown = -1;
	t->pasting = false;
	return TUI_D_LAYOUT | TUI_D_CLEAR;
}

/* ---- drawing ---- */

/* Deletes every pane window. */
static void tui_windows_free(tui *t)
{
	WINDOW **ws[] = { &t->w_servers, &t->w_log, &t->w_players, &t->w_bottom, &t->w_popup,
		&t->w_hint };
	for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++) {
		if (*ws[i])
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
}

/* Creates a window for a rectangle (NULL when it is not shown). */
static WINDOW *tui_window(layout_rect r)
{
	return layout_shown(r) ? newwin(r.h, r.w, r.y, r.x) : NULL;
}

/* Lays the panes out for the current terminal size. */
static void tui_relayout(tui *t)
{
	tui_windows_free(t);
	layout_compute(COLS, LINES, &t->lay);
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (t->lay.mode == LAYOUT_TOO_SMALL)
		return;
	keys_small_told(t);
	t->w_servers = tui_window(t->lay.servers);
	t->w_log = tui_window(t->lay.log);
	t->w_players = tui_window(t->lay.players);
	t->w_bottom = tui_window(t->lay.bottom);
	if (t->w_bottom)
		leaveok(t->w_bottom, FALSE);
	if (t->focus == TUI_F_PLAYERS && !layout_shown(t->lay.players))
		t->focus = TUI_F_CMD;
	if ((t->mode == TUI_M_MENU) && !layout_shown(t->lay.players))
		t->mode = TUI_M_EDIT;
}

/* Draws every dirty part and sends the difference to the terminal. */
static void tui_draw(tui *t)
{
	if (t->dirty & TUI_D_LAYOUT) {
		tui_relayout(t);
		t->dirty |= TUI_D_PANES;
	}
	if (t->dirty & TUI_D_CLEAR)
		clearok(curscr, TRUE);
	if (t->lay.mode == LAYOUT_TOO_SMALL) {
		view_help_too_small(t);
		doupdate();
		return;
	}
	/* The hint row covers the panes' last row: when it goes, they are
	 * drawn again. */
	view_hint h;
	bool hint = view_bottom_hint(t, &h);
	if (t->hint_shown && !hint)
		t->dirty |= TUI_D_SERVERS | TUI_D_LOG | TUI_D_PLAYERS;
	if (t->dirty & TUI_D_SERVERS)
		view_servers_draw(t);
	if (t->dirty & TUI_D_LOG)
		view_log_draw(t);
	if (t->dirty & TUI_D_PLAYERS)
		view_players_draw(t);
	bool popup = t->mode == TUI_M_MENU || t->mode == TUI_M_HELP || t->mode == TUI_M_INFO;
	if (popup && (t->dirty & (TUI_D_PANES | TUI_D_POPUP))) {
		if (t->mode == TUI_M_MENU)
			view_players_draw_menu(t);
		else if (t->mode == TUI_M_INFO)
			view_info_draw(t);
		else
			view_help_draw(t);
	} else if (!popup && t->w_popup) {
		delwin(t->w_popup);
		t->w_popup = NULL;
	}
	if ((hint || t->hint_shown) && (t->dirty & TUI_D_PANES))
		view_bottom_draw_hint(t, &h);
	/* The bottom row goes last: its cursor is where the terminal's ends up. */
	view_bottom_draw(t);
	doupdate();
}

/* Folds server i's countdown into best: the ms until its "retry Ns" text
 * changes, when it is waiting to reconnect. */
static void tui_countdown_one(tui *t, size_t i, int64_t now, int64_t *best)
{
	app_server *s = app_get(t->a, i);
	t->work++;
	int64_t d = s ? app_retry_change_ms(s, now) : -1;
	if (d < 0)
		return;
	if (*best < 0 || d < *best)
		*best = d;
}

/* Returns the ms until the next change of a reconnect countdown on screen
 * (the list's visible rows and the selected server's status), -1 when none
 * is shown.  Off-screen countdowns cost nothing: scrolling redraws the list,
 * and that redraw asks again. */
static int64_t tui_countdown_delay(tui *t)
{
	int64_t now = rc_now_ms(), best = -1;
	size_t first, count;
	view_servers_visible(t, &first, &count);
	for (size_t i = first; i < first + count; i++)
		tui_countdown_one(t, i, now, &best);
	tui_countdown_one(t, t->sel, now, &best);
	return best;
}

/* Redraws the countdowns; the draw arms the next tick (tui_countdown_arm). */
static int64_t tui_on_tick(rc_loop *loop, void *arg)
{
	(void)loop;
	tui *t = arg;
	t->tick = 0;
	t->dirty |= TUI_D_SERVERS | TUI_D_BOTTOM;
	return RC_TIMER_DONE;
}

/* Arms the countdown timer for the next change of a countdown on screen,
 * after a draw of the list or status bar (the rows are laid out by then).
 * Not only when none is armed: a new countdown (another attempt failed)
 * has its own beat, and the tick kept from the last one came up to a
 * second late for it, skipping a number ("retry 33s", then "31s"). */
static void tui_countdown_arm(tui *t)
{
	int64_t d = tui_countdown_delay(t);
	if (d < 0)
		return;    /* one still armed finds nothing to redraw and stops */
	int64_t due = rc_now_ms() + d;
	if (t->tick && t->tick_due_ms <= due)
		return;
	if (t->tick)
		rc_loop_del_timer(t->loop, t->tick);
	t->tick = rc_loop_add_timer(t->loop, d, tui_on_tick, t);
	t->tick_due_ms = due;
}

/* Runs once per loop pass, before poll(): draws what changed. */
static void tui_prepare(rc_loop *loop, void *arg)
{
	tui *t = arg;
	if (t->quit)
		return;
	tui_views_sync(t);
	tui_view *v = tui_view_cur(t);
	if (v && v->follow && app_unseen(t->a, t->sel) > 0)
		app_mark_seen(t->a, t->sel);
	/* Only the servers on screen matter: the list's rows (all of them in the
	 * tab bar, whose layout depends on every tab) and the selected one. */
	size_t first, count;
	view_servers_visible(t, &first, &count);
	if (t->lay.mode == LAYOUT_TABS || (t->dirty & TUI_D_LAYOUT)) {
		first = 0;
		count = SIZE_MAX;
	}
	unsigned shown = app_dirty_shown(t->a, first, count, t->sel);
	if (app_count(t->a) != t->cols_seen)
		shown |= APP_DIRTY_SERVERS;  /* a new server: the title's count, the columns */
	unsigned ad = app_take_dirty(t->a) & shown;
	if (app_take_bells(t->a))
		beep();    /* an alert of a server with bell = true (app-alert.c) */
	if (ad & APP_DIRTY_SERVERS)
		t->dirty |= TUI_D_SERVERS | TUI_D_BOTTOM | TUI_D_PLAYERS;
	if (ad & APP_DIRTY_LOG)
		t->dirty |= TUI_D_LOG;
	if (ad & APP_DIRTY_PLAYERS)
		t->dirty |= TUI_D_PLAYERS | TUI_D_SERVERS;
	if (ad & APP_DIRTY_STATUS)
		t->dirty |= TUI_D_BOTTOM;
	if (!t->dirty)
		return;
	tui_draw(t);
	if (t->dirty & (TUI_D_SERVERS | TUI_D_BOTTOM))
		tui_countdown_arm(t);
	t->dirty = 0;
}

/* Runs one loop pass's console work (tests). */
void tui_pass(tui *t)
{
	tui_prepare(t->loop, t);
}

/* ---- input and signals ---- */

/* Returns true when stdin has nothing to read although poll() said so. */
static bool tui_stdin_empty(void)
{
	int n = 0;
	return ioctl(STDIN_FILENO, FIONREAD, &n) == 0 && n == 0;
}

/* Reads one key like wget_wch() (OK, KEY_CODE_YES or ERR).  In an ASCII
 * locale (SSH into a host with no locale set) the terminal still sends
 * UTF-8, and wget_wch() there swallows the keys after a byte it cannot
 * decode, Enter included: so bytes are read with wgetch() and put together
 * as UTF-8 here, and a byte that is not UTF-8 is dropped on its own. */
static int tui_get_key(tui *t, wint_t *ch)
{
	if (!t->ascii_locale)
		return wget_wch(stdscr, ch);
	for (;;) {
		int c = wgetch(stdscr);
		if (c == ERR)
			return ERR;
		if (c >= KEY_MIN || c < 0x80) {
			t->in_len = 0;
			*ch = (wint_t)c;
			return c >= KEY_MIN ? KEY_CODE_YES : OK;
		}
		bool cont = (c & 0xC0) == 0x80;
		if (t->in_len > 0 && !cont)
			t->in_len = 0;           /* a sequence cut short: drop it */
		if (t->in_len == 0 && cont)
			continue;                /* a stray continuation byte */
		t->in_buf[t->in_len++] = (char)c;
		unsigned char lead = (unsigned char)t->in_buf[0];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
		if (t->in_len < need)
			continue;
		uint32_t cp;
		utf8_decode(t->in_buf, t->in_len, &cp);
		t->in_len = 0;
		if (cp != UTF8_BAD) {
			*ch = (wint_t)cp;
			return OK;
		}
	}
}

/* Drops the rest of an escape sequence curses did not recognise (after
 * ESC [ or ESC O), so that a key the terminal description lacks is ignored
 * instead of typing "1~" into the command line. */
static void tui_skip_sequence(tui *t, bool csi)
{
	for (int i = 0; i < TUI_SEQ_MAX; i++) {
		wint_t ch;
		int r = tui_get_key(t, &ch);
		if (r != OK || !csi || (ch >= 0x40 && ch <= 0x7E))
			return;
	}
}

/* Reads the rest of an SGR mouse report (after ESC [ <): "b;x;y" then M
 * (press) or m (release).  Returns false when it is not one. */
static bool tui_read_sgr(tui *t, tui_key_ev *ev)
{
	int v[3] = { 0, 0, 0 }, k = 0;
	for (int i = 0; i < TUI_SEQ_MAX; i++) {
		wint_t ch;
		if (tui_get_key(t, &ch) != OK)
			return false;
		if (ch >= '0' && ch <= '9') {
			if (v[k] < 100000)
				v[k] = v[k] * 10 + (int)(ch - '0');
		} else if (ch == ';' && k < 2) {
			k++;
		} else if ((ch == 'M' || ch == 'm') && k == 2) {
			/* Motion reports are not asked for; drop them if they come. */
			if (v[0] & 32)
				return false;
			*ev = (tui_key_ev){ .mouse = true, .code = v[0] & ~(4 | 8 | 16),
				.y = v[2] - 1, .x = v[1] - 1, .press = ch == 'M' };
			return true;
		} else {
			return false;
		}
	}
	return false;
}

/* Reads the three bytes of an X10 mouse report (after ESC [ M), which a
 * terminal without SGR mode sends instead. */
static bool tui_read_x10(tui *t, tui_key_ev *ev)
{
	wint_t c[3];
	for (int i = 0; i < 3; i++)
		if (tui_get_key(t, &c[i]) != OK || c[i] < 32)
			return false;
	int b = (int)c[0] - 32;
	bool release = (b & 3) == 3 && b < 64;
	if (b & 32)
		return false;
	*ev = (tui_key_ev){ .mouse = true, .code = b & ~(4 | 8 | 16), .y = (int)c[2] - 33,
		.x = (int)c[1] - 33, .press = !release };
	return true;
}

/* Reads one key event; returns false when curses has no more.  An
 * unrecognised escape sequence is dropped (ev->skip set). */
static bool tui_read_event(tui *t, tui_key_ev *ev)
{
	wint_t ch;
	int r = tui_get_key(t, &ch);
	if (r == ERR)
		return false;
	*ev = (tui_key_ev){ .fn = r == KEY_CODE_YES, .code = (int)ch };
	if (ev->fn && (ev->code == TUI_KEY_MOUSE_SGR || ev->code == TUI_KEY_MOUSE_X10)) {
		if (!(ev->code == TUI_KEY_MOUSE_SGR ? tui_read_sgr(t, ev) : tui_read_x10(t, ev)))
			ev->skip = true;
		return true;
	}
	if (r != OK || ch != 27)
		return true;
	/* ESC then a key, in the same read, is Alt+key. */
	wint_t ch2;
	int r2 = tui_get_key(t, &ch2);
	if (r2 == OK && (ch2 == '[' || ch2 == 'O')) {
		tui_skip_sequence(t, ch2 == '[');
		ev->skip = true;
	} else if (r2 == OK) {
		*ev = (tui_key_ev){ .alt = true, .code = (int)ch2 };
	} else if (r2 == KEY_CODE_YES) {
		/* Esc, then a function key: two events. */
		t->esc_fn = (int)ch2;
	}
	return true;
}

/* Returns true when the burst is plain characters only (typing or text). */
static bool tui_burst_plain(const tui_key_ev *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ev[i].fn || ev[i].alt || ev[i].mouse || ev[i].skip)
			return false;
	return n > 0;
}

/* Returns true when a newline in the burst is followed by more text: lines
 * arriving faster than anyone types.  Only plain characters count; the
 * burst may hold other keys too (see tui_dispatch). */
static bool tui_burst_lines(const tui_key_ev *ev, size_t n)
{
	bool nl = false;
	for (size_t i = 0; i < n; i++) {
		int c = ev[i].code;
		if (ev[i].fn || ev[i].alt || ev[i].mouse || ev[i].skip)
			continue;
		if (c == '\r' || c == '\n')
			nl = true;
		else if (nl && c >= 0x20 && c != 0x7f)
			return true;
	}
	return false;
}

/* Returns true when the burst holds a bracketed paste's marker: the
 * terminal says itself where its paste is. */
static bool tui_burst_marked(const tui_key_ev *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ev[i].fn && (ev[i].code == TUI_KEY_PASTE_BEGIN || ev[i].code == TUI_KEY_PASTE_END))
			return true;
	return false;
}

/* Hands one event to keys.c (paste_tail's sink). */
static void tui_out(void *arg, const tui_key_ev *ev)
{
	tui *t = arg;
	if (t->quit || ev->skip)
		return;
	if (ev->mouse)
		keys_mouse(t, ev->y, ev->x, ev->code, ev->press);
	else
		keys_handle(t, ev->fn, ev->alt, ev->code);
}

/* Returns true when keys.c has a paste open (paste_tail's sink). */
static bool tui_out_pasting(void *arg)
{
	return ((tui *)arg)->pasting;
}

/* Ends a paste whose end marker was followed by quiet input. */
static int64_t tui_on_tail(rc_loop *loop, void *arg)
{
	tui *t = arg;
	t->tail_timer = 0;
	paste_tail_sink s = { tui_out, tui_out_pasting, t };
	paste_tail_expire(&t->ptail, &s);
	if (t->ptail.on && !t->quit)
		t->tail_timer = rc_loop_add_timer(t->loop, TUI_PASTE_QUIET_MS, tui_on_tail, t);
	return RC_TIMER_DONE;
}

/* Hands events to keys.c, in order, with a paste's end where the terminal
 * put it: paste-tail.h.  An end marker waits for TUI_PASTE_QUIET_MS of
 * quiet input after the pass that held it, and every key read before then
 * is held; so pasted text that spells the marker cannot end the paste,
 * whichever read the spelled marker ends (or is split across). */
static void tui_deliver(tui *t, const tui_key_ev *ev, size_t n)
{
	paste_tail_sink s = { tui_out, tui_out_pasting, t };
	paste_tail_feed(&t->ptail, ev, n, &s);
	if (t->tail_timer) {
		rc_loop_del_timer(t->loop, t->tail_timer);
		t->tail_timer = 0;
	}
	if (t->ptail.on && !t->quit)
		t->tail_timer = rc_loop_add_timer(t->loop, TUI_PASTE_QUIET_MS, tui_on_tail, t);
}

/* Hands a burst to keys.c as one paste. */
static void tui_deliver_paste(tui *t, const tui_key_ev *ev, size_t n)
{
	keys_handle(t, true, false, TUI_KEY_PASTE_BEGIN);
	tui_deliver(t, ev, n);
	keys_handle(t, true, false, TUI_KEY_PASTE_END);
	t->burst_end_ms = rc_now_ms();
}

/* Delivers the held burst as typed keys: nothing followed it. */
static int64_t tui_on_hold(rc_loop *loop, void *arg)
{
	tui *t = arg;
	t->hold_timer = 0;
	size_t n = t->n_held;
	t->n_held = 0;
	tui_deliver(t, t->held, n);
	return RC_TIMER_DONE;
}

/* Decides what the keys of one input pass are: a paste, a burst to hold
 * a moment, or typing. */
static void tui_dispatch(tui *t, size_t n, bool full)
{
	tui_key_ev *ev = t->held;
	int64_t now = rc_now_ms();
	bool plain = !t->pasting && tui_burst_plain(ev, n);
	/* Lines faster than typing are a paste whatever else the burst holds:
	 * a cursor key's sequence in pasted text ("\e[Ckick Bob\ry", from a
	 * copy button) must not make its newline an Enter and its 'y' an
	 * answer.  Only a burst with the terminal's own markers is left to them. */
	bool lines = !t->pasting && !tui_burst_marked(ev, n) && tui_burst_lines(ev, n);
	bool follows = t->burst_more || (t->burst_end_ms && now - t->burst_end_ms < TUI_BURST_GAP_MS);
	t->burst_more = false;
	if (t->hold_timer) {
		rc_loop_del_timer(t->loop, t->hold_timer);
		t->hold_timer = 0;
	}
	t->n_held = 0;
	if (lines || (plain && follows)) {
		tui_deliver_paste(t, ev, n);
		t->burst_more = full;
		return;
	}
	int last = n ? ev[n - 1].code : 0;
	if (plain && n > 1 && (last == '\r' || last == '\n') && !full) {
		t->n_held = n;
		t->hold_timer = rc_loop_add_timer(t->loop, TUI_HOLD_MS, tui_on_hold, t);
		return;
	}
	tui_deliver(t, ev, n);
}

/* Reads every key curses has (after what is held) and dispatches them. */
static void tui_on_input(rc_loop *loop, int fd, int revents, void *arg)
{
	tui *t = arg;
	if (!t->held)
		t->held = oom_realloc(NULL, TUI_BURST_MAX * sizeof(*t->held));
	size_t n = t->n_held, start = n;
	while (!t->quit && n < TUI_BURST_MAX) {
		if (t->esc_fn) {
			t->held[n++] = (tui_key_ev){ .fn = true, .code = t->esc_fn };
			t->esc_fn = 0;
			continue;
		}
		if (!tui_read_event(t, &t->held[n]))
			break;
		n++;
	}
	bool got = n > start;
	if (got) {
		t->eof_polls = 0;
		tui_dispatch(t, n, n >= TUI_BURST_MAX);
		return;
	}
	/* Readable with nothing in it: the terminal hung up. */
	if ((revents & (POLLHUP | POLLNVAL)) ||
	    ((revents & (POLLIN | POLLERR)) && tui_stdin_empty() && ++t->eof_polls >= TUI_EOF_POLLS))
		tui_hang_up(t);
}

/* Follows a terminal size change. */
static void tui_on_winch(rc_loop *loop, int signo, void *arg)
{
	tui *t = arg;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	t->dirty |= TUI_D_LAYOUT;
}

/* Repaints after the process was stopped and continued. */
static void tui_on_cont(rc_loop *loop, int signo, void *arg)
{
	tui *t = arg;
	t->dirty |= TUI_D_LAYOUT | TUI_D_CLEAR;
}

/* Suspends on SIGTSTP (kill -TSTP; C-z is a key in raw mode). */
static void tui_on_tstp(rc_loop *loop, int signo, void *arg)
{
	tui *t = arg;
	t->dirty |= tui_suspend(t);
}

/* Ends the console on SIGINT, SIGTERM or SIGHUP: interrupted, exit 130 as
 * in every mode (DESIGN.md), whichever of the three it was. */
static void tui_on_term(rc_loop *loop, int signo, void *arg)
{
	if (signo == SIGHUP)
		tui_hang_up(arg);
	else
		tui_quit(arg, 130);
}

/* Restores the terminal and dies of the signal's default action. */
static void tui_on_fatal(int signo)
{
	tui_restore();
	signal(signo, SIG_DFL);
	raise(signo);
}

/* Installs or removes the fatal-signal handlers. */
static void tui_fatal_handlers(bool on)
{
	for (size_t i = 0; i < TUI_N_FATAL; i++) {
		if (on) {
			struct sigaction sa;
			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = tui_on_fatal;
			sigemptyset(&sa.sa_mask);
			sa.sa_flags = SA_RESETHAND | SA_NODEFER;
			sigaction(tui_fatal_signals[i], &sa, &tui_fatal_old[i]);
		} else {
			sigaction(tui_fatal_signals[i], &tui_fatal_old[i], NULL);
		}
	}
}

/* Registers or removes the loop callbacks. */
static void tui_hooks(tui *t, bool on)
{
	/* After a hangup the kernel's SIGHUP may still be on its way: its
	 * default action would kill the process before the caller saves the
	 * history and removes its files, so it is ignored from then on. */
	bool hung_up = !on && t->hung_up;
	sigset_t hup, old;
	sigemptyset(&hup);
	sigaddset(&hup, SIGHUP);
	if (hung_up)
		sigprocmask(SIG_BLOCK, &hup, &old);
	for (size_t i = 0; i < sizeof(tui_term_signals) / sizeof(tui_term_signals[0]); i++)
		rc_loop_watch_signal(t->loop, tui_term_signals[i], on ? tui_on_term : NULL, t);
	if (hung_up) {
		signal(SIGHUP, SIG_IGN);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	rc_loop_watch_signal(t->loop, SIGWINCH, on ? tui_on_winch : NULL, t);
	rc_loop_watch_signal(t->loop, SIGCONT, on ? tui_on_cont : NULL, t);
	rc_loop_watch_signal(t->loop, SIGTSTP, on ? tui_on_tstp : NULL, t);
	if (on) {
		rc_loop_add_fd(t->loop, STDIN_FILENO, POLLIN, tui_on_input, t);
		rc_loop_set_prepare(t->loop, tui_prepare, t);
	} else {
		rc_loop_del_fd(t->loop, STDIN_FILENO);
		rc_loop_set_prepare(t->loop, NULL, NULL);
		rc_loop_del_timer(t->loop, t->tick);
		t->tick = 0;
		rc_loop_del_timer(t->loop, t->hold_timer);
		t->hold_timer = 0;
		rc_loop_del_timer(t->loop, t->tail_timer);
		t->tail_timer = 0;
	}
}

/* Frees the console's own state. */
static void tui_free(tui *t)
{
	editor_free(t->cmd);
	editor_free(t->aux);
	complete_reset(&t->comp);
	free(t->views);
	free(t->needle);
	free(t->rs_saved);
	free(t->held);
	paste_tail_free(&t->ptail);
	free(t->pl_order);
	keys_queue_clear(t);
}

/* Teaches curses the keys terminals send whatever their terminfo entry
 * says: tmux, screen and PuTTY send ESC [1~ for Home, and a vt100 entry
 * knows no F10 although every emulator sends xterm's.  A sequence the
 * entry already has (or that would clash with one) is left alone. */
static void tui_extra_keys(void)
{
	for (size_t i = 0; i < sizeof(tui_keyseqs) / sizeof(tui_keyseqs[0]); i++)
		if (key_defined(tui_keyseqs[i].seq) == 0)
			define_key(tui_keyseqs[i].seq, tui_keyseqs[i].key);
}

/* Switches bracketed paste on and teaches curses its two markers. */
static void tui_paste_start(void)
{
	define_key(tui_paste_cap(TUI_PASTE_BEGIN), TUI_KEY_PASTE_BEGIN);
	define_key(tui_paste_cap(TUI_PASTE_END), TUI_KEY_PASTE_END);
	tui_send(tui_paste_cap(TUI_PASTE_ON));
	tui_paste_off = tui_paste_cap(TUI_PASTE_OFF);
}

/* Switches mouse reporting on: the reports are keys tui_on_input() reads
 * itself, so terminfo's kmous is taken out of curses' key tree. */
static void tui_mouse_start(void)
{
	define_key(NULL, KEY_MOUSE);
	define_key("\033[<", TUI_KEY_MOUSE_SGR);
	define_key("\033[M", TUI_KEY_MOUSE_X10);
	tui_send(tui_mouse_on_str);
	tui_mouse_on = 1;
}

/* Starts curses on the terminal; returns the screen, or NULL with *why
 * set when there is something more to say than the terminal's name.  A
 * terminal that cannot move the cursor (TERM=dumb: Emacs' shell, a CI log)
 * is refused: curses starts on it, and every frame would be a stream of
 * text with no way to tell where anything is, F10 included. */
static SCREEN *tui_curses_start(tui *t, const char **why)
{
	const char *term = getenv("TERM");
	term = term && *term ? term : "vt100";
	if (!terminfo_known(term))
		return NULL;
	SCREEN *scr = newterm(term, stdout, stdin);
	if (!scr)
		return NULL;
	set_term(scr);
	const char *cup = tigetstr("cup");
	if (!cup || cup == (char *)-1 || !*cup) {
		endwin();
		delscreen(scr);
		*why = "it cannot move the cursor";
		return NULL;
	}
	tui_curses_on = 1;
	raw();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	tui_extra_keys();
	tui_paste_start();
	if (t->mouse)
		tui_mouse_start();
	const char *codeset = nl_langinfo(CODESET);
	t->utf8 = codeset && strcmp(codeset, "UTF-8") == 0;
	t->ascii_locale = codeset && strcmp(codeset, "ANSI_X3.4-1968") == 0;
	draw_set_utf8(t->utf8);
	const char *nc = getenv("NO_COLOR");
	theme_init(!t->opts.no_color && !(nc && *nc));
	t->color = theme_color();
	/* stdscr is never drawn on while panes exist; refreshing it once now
	 * keeps wget_wch() from repainting it over them. */
	wnoutrefresh(stdscr);
	return scr;
}

/* Runs the console until the user quits. */
int tui_run(rc_loop *loop, app *a, const tui_opts *opts)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "rconsole: the console needs a terminal (use -c CMD to run commands)\n");
		return 2;
	}
	tui t;
	memset(&t, 0, sizeof(t));
	t.loop = loop;
	t.ptail.begin = TUI_KEY_PASTE_BEGIN;
	t.ptail.end = TUI_KEY_PASTE_END;
	t.a = a;
	if (opts)
		t.opts = *opts;
	t.focus = TUI_F_CMD;
	t.rs_match = -1;
	rc_config *cfg = app_config(a);
	t.mouse = !t.opts.no_mouse && (!cfg || cfg->mouse);
	t.cursor_shown = -1;
	t.cmd = editor_new();
	t.aux = editor_new();
	if (!t.cmd || !t.aux) {
		tui_free(&t);
		fprintf(stderr, "rconsole: out of memory\n");
		return 5;
	}
	tui_views_sync(&t);
	/* Catch signals before curses starts, so it installs no handlers of its own. */
	tui_hooks(&t, true);
	tui_fatal_handlers(true);
	oom_set_restore(tui_restore);
	const char *why = NULL;
	SCREEN *scr = tui_curses_start(&t, &why);
	if (!scr) {
		oom_set_restore(NULL);
		tui_hooks(&t, false);
		tui_fatal_handlers(false);
		tui_free(&t);
		/* TERM is the environment's: made terminal-safe, as every name. */
		const char *term = getenv("TERM") ? getenv("TERM") : "";
		char *safe = rc_text_sanitize(term, strlen(term), "", NULL);
		fprintf(stderr, "rconsole: cannot use the terminal (TERM=%s)%s%s\n", safe ? safe : "?",
		    why ? ": " : "", why ? why : "");
		free(safe);
		if (why)
			fprintf(stderr, "rconsole: the console needs a full-screen terminal "
			    "(use -c CMD to run commands)\n");
		return 2;
	}
	t.dirty = TUI_D_LAYOUT | TUI_D_PANES;
	app_tree_need(a, t.sel);
	/* The first frame before the first pass: that pass runs every server's
	 * start (10,000 connect()s take a while), and the user should see the
	 * console meanwhile. */
	tui_prepare(loop, &t);
	int rc = rc_loop_run(loop);
	tui_hooks(&t, false);
	tui_windows_free(&t);
	curs_set(1);
	tui_restore();
	tui_paste_off = NULL;
	tui_mouse_on = 0;
	oom_set_restore(NULL);
	delscreen(scr);
	tui_fatal_handlers(false);
	tui_free(&t);
	if (rc < 0 && !t.quit)
		return 5;
	return t.status;
}
