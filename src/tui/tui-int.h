/* tui-int.h: the console's shared state, for the files of src/tui/ only.
 *
 * One struct tui holds everything the views draw besides the app's state:
 * focus, the bottom row's mode, per-server scroll positions, the editors and
 * the dirty mask.  Key handlers and loop callbacks change it and OR dirty
 * bits (a key handler returns them as its reaction); tui_prepare() draws the
 * dirty parts once per loop pass.  Nothing draws from any other callback. */
#ifndef RCONSOLE_TUI_INT_H
#define RCONSOLE_TUI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tui/curses-wrap.h"
#include "app/app.h"
#include "tui/complete.h"
#include "tui/editor.h"
#include "tui/paste-tail.h"
#include "tui/layout.h"
#include "tui/tui.h"

/* Dirty bits, also the reaction a key handler returns. */
enum tui_dirty {
	TUI_D_SERVERS = 1 << 0,
	TUI_D_LOG = 1 << 1,
	TUI_D_PLAYERS = 1 << 2,
	TUI_D_BOTTOM = 1 << 3,
	TUI_D_POPUP = 1 << 4,    /* help overlay or action menu */
	TUI_D_LAYOUT = 1 << 5,   /* size changed: rebuild the windows */
	TUI_D_CLEAR = 1 << 6,    /* Ctrl-L: repaint the whole terminal */
	TUI_D_PANES = TUI_D_SERVERS | TUI_D_LOG | TUI_D_PLAYERS | TUI_D_BOTTOM | TUI_D_POPUP,
	TUI_R_QUIT = 1 << 8      /* reaction only: leave the console */
};

/* Key codes the console defines for the terminal's bracketed-paste markers
 * (define_key(); above every curses KEY_* code). */
enum tui_key {
	TUI_KEY_PASTE_BEGIN = KEY_MAX + 1,
	TUI_KEY_PASTE_END = KEY_MAX + 2,
	TUI_KEY_MOUSE_SGR = KEY_MAX + 3,  /* ESC [ < : an SGR (1006) mouse report follows */
	TUI_KEY_MOUSE_X10 = KEY_MAX + 4   /* ESC [ M : three bytes of an X10 report follow */
};

/* Mouse buttons keys_mouse() is given (SGR numbering, modifiers removed). */
enum tui_button { TUI_BTN_LEFT = 0, TUI_BTN_WHEEL_UP = 64, TUI_BTN_WHEEL_DOWN = 65 };

/* How a newline inside a paste is kept on the command line: U+2424 SYMBOL
 * FOR NEWLINE, split into lines again by Enter (keys.c). */
#define TUI_NL_MARK "\xe2\x90\xa4"
#define TUI_NL_MARK_CP 0x2424u

enum tui_focus {
	TUI_F_CMD = 0,
	TUI_F_SERVERS,
	TUI_F_LOG,
	TUI_F_PLAYERS,
	TUI_F_COUNT
};

/* What the bottom row and the keys are doing. */
enum tui_mode {
	TUI_M_EDIT = 0,      /* the command line */
	TUI_M_RSEARCH,       /* Ctrl-R reverse history search */
	TUI_M_LOGSEARCH,     /* '/' search in the log */
	TUI_M_PROMPT,        /* a question answered in the aux editor */
	TUI_M_CONFIRM,       /* y/N */
	TUI_M_MENU,          /* player action menu */
	TUI_M_HELP,          /* help overlay */
	TUI_M_INFO           /* details of the selected server (view-info.c) */
};

/* Per-server view state. */
typedef struct tui_view {
	bool follow;         /* stick to the newest line */
	uint64_t top;        /* first line shown when not following */
	int top_row;         /* its first wrapped row shown */
	uint64_t match;      /* search match to highlight, 0 = none */
	uint64_t shown_first;/* lines on screen at the last draw (0 = none) */
	uint64_t shown_last;
	int64_t rtt_shown_us; /* round trip in the status bar (-1 none) */
	size_t player_sel;
	size_t player_top;
	char player_name[128];/* the selected player, followed across refreshes */
} tui_view;

typedef struct tui tui;

/* Called with the answer to a prompt (NULL when cancelled). */
typedef unsigned (*tui_prompt_cb)(tui *t, const char *answer);
/* Checks a prompt's answer while it is typed: a short reason it would be
 * refused, or NULL when it is fine (drawn beside the prompt). */
typedef const char *(*tui_prompt_hint)(tui *t, const char *text);

/* The parts of a typed line's y/N question, so that a narrow bottom row cuts
 * the command first and keeps the servers and the [y/N] (view-bottom.c). */
typedef struct confirm_layout {
	size_t cmd_at, cmd_len; /* the command inside the text (0 length: none) */
	size_t to_at;           /* where the servers begin, up to the end */
	char count[32];         /* "2 servers", instead of their names ("" none) */
} confirm_layout;

/* Called with the answer to a y/N question. */
typedef unsigned (*tui_confirm_cb)(tui *t, bool yes);

struct tui {
	rc_loop *loop;
	app *a;
	tui_opts opts;
	bool utf8;           /* the locale's charset is UTF-8 */
	bool ascii_locale;   /* C/POSIX locale: keys are read as UTF-8 bytes */
	char in_buf[4];      /* an ASCII locale's UTF-8 key, being put together */
	size_t in_len;
	bool color;
	layout lay;
	WINDOW *w_servers, *w_log, *w_players, *w_bottom, *w_popup;
	unsigned dirty;
	bool quit;
	int status;          /* exit status once quit */
	bool hung_up;        /* quit because the terminal hung up (SIGHUP or EOF) */

	size_t sel;          /* selected server */
	size_t list_top;     /* first server row shown in the list */
	size_t cols_seen;    /* servers measured into cols_name/cols_ro (names and
	                        read-only never change once added, so each new
	                        server is measured once, not every pass) */
	int cols_name;       /* widest server name in columns */
	bool cols_ro;        /* some server is read-only */
	bool cols_tps;       /* some server shown has reported health (sticky) */
	enum tui_focus focus;
	enum tui_mode mode;
	tui_view *views;
	size_t n_views;

	editor *cmd;         /* the command line */
	editor *aux;         /* prompts and searches */
	complete_state comp;

	long rs_match;       /* Ctrl-R: history index shown, -1 none */
	char *rs_saved;      /* the line before Ctrl-R, for cancelling */
	bool rs_failed;
	char *needle;        /* last log search */

	char prompt_label[256];
	bool prompt_masked;
	tui_prompt_cb prompt_cb;
	tui_prompt_hint prompt_hint; /* NULL: no check while typing */
	char prompt_words[192];  /* the command the answer ends ("tp Alice "),
	                            which Tab completes it as; "" free text */

	char confirm_text[1800];
	confirm_layout confirm_lay; /* its parts, for a narrow row */
	char confirm_cmd[1600];
	size_t action_srv;   /* server an action targets */
	char action_player[128];
	int action;          /* rc_mc_action being built */
	size_t menu_sel;
	int help_top;
	bool info_scrolls;   /* the details (F2) last drawn had rows they could
	                        not show: Up/Down scroll them */

	char add_name[72];   /* :add wizard answers */
	char add_host[256];
	int add_port;
	char add_tags[256];  /* as typed: words separated by commas or spaces */
	bool add_ro;
	long add_from;       /* :save of an ad-hoc (-H) server: its index, else -1 */
	bool adhoc_saved;    /* the -H server was saved as a profile already */
	size_t connect_srv;  /* :connect asking for a password: the server */

	char msg[256];       /* one-line message on the bottom row */
	bool msg_error;

	rc_timer_id tick;    /* countdown timer while a server is in BACKOFF */
	int64_t tick_due_ms; /* when it fires (rc_now_ms() time) */
	int cursor_shown;    /* terminal cursor visibility set last (-1 unknown) */
	int eof_polls;       /* readable stdin that yielded nothing (hangup) */
	bool pasting;        /* between bracketed-paste markers */
	int64_t paste_ms;    /* when the last pasted key arrived */
	bool paste_cut;      /* the paste so far was cut (too long, or a question) */
	size_t paste_dropped;/* pasted characters that did not fit */
	size_t paste_at;     /* where on the command line the paste began */
	size_t small_ignored;/* keys ignored while the terminal was too small */

	tui_confirm_cb confirm_cb; /* y/N of a typed command (NULL: player action) */
	int64_t confirm_quiet_ms;  /* when the question opened or last got a key
	                            * that was no answer (keys_confirm_early) */
	bool confirm_early;        /* a 'y' came too soon: the row says why it beeped */
	char **queue;        /* lines of one Enter still to run, in order */
	size_t n_queue, queue_pos;
	bool mouse;          /* mouse reporting is on */
	int help_x0, help_x1;/* the bottom row's "F1 help" as last drawn: [x0, x1)
	                        takes a click (x1 0: not shown) */
	bool hint_shown;     /* the hint row above the command line is drawn */
	WINDOW *w_hint;
	size_t *pl_order;    /* the player panel's sorted order (view-players.c) */
	size_t pl_cap;
	tui_key_ev *held;    /* the keys of the input pass being decided (tui.c) */
	size_t n_held;       /* how many wait for TUI_HOLD_MS */
	rc_timer_id hold_timer;
	int64_t burst_end_ms;/* when the last burst taken as a paste ended */
	bool burst_more;     /* that burst filled the buffer: more of it follows */
	int esc_fn;          /* a function key read right after a lone Esc */
	paste_tail ptail;    /* a paste's end marker waiting for quiet input */
	rc_timer_id tail_timer;
	uint64_t work;       /* servers looked at one by one by the drawing so far
	                        (rows drawn, names measured, countdowns, tabs): tests
	                        check a pass costs the rows shown, not all servers */
};

/* tui.c */
/* Returns the selected server, or NULL when there are none. */
app_server *tui_server(tui *t);
/* Returns the selected server's view, or NULL. */
tui_view *tui_view_cur(tui *t);
/* Makes sure there is a view per server. */
void tui_views_sync(tui *t);
/* Selects server i (clamped); returns the dirty bits. */
unsigned tui_select(tui *t, size_t i);
/* Shows a one-line message on the bottom row until the next key. */
void tui_message(tui *t, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Asks a question in the bottom row; cb gets the answer. */
unsigned tui_prompt(tui *t, const char *label, bool masked, const char *initial, tui_prompt_cb cb);
/* Runs one loop pass's console work, as the loop's prepare hook does
 * (tests: tests/unit/test-tui-pass.c). */
void tui_pass(tui *t);
/* Leaves the console with status. */
unsigned tui_quit(tui *t, int status);
/* Leaves the console with 130 because the terminal hung up. */
void tui_hang_up(tui *t);
/* Gives the terminal back, stops the process (job control), and takes the
 * terminal again when it is continued. */
unsigned tui_suspend(tui *t);

/* keys.c */
/* Handles one key: fn is true for a curses KEY_* code, alt for ESC+key. */
void keys_handle(tui *t, bool fn, bool alt, int code);
/* Says how many keys the terminal ignored while it was too small. */
void keys_small_told(tui *t);
/* Handles a mouse report at screen cell (y, x): button is enum tui_button
 * (others are ignored), press false for a release. */
void keys_mouse(tui *t, int y, int x, int button, bool press);
/* Frees the lines waiting to run. */
void keys_queue_clear(tui *t);
/* Opens the y/N question whose text is in t->confirm_text; cb gets the
 * answer (NULL: a player action's, answered by view_players_confirm). */
void keys_confirm_open(tui *t, tui_confirm_cb cb);

/* confirm.c */
/* Returns true when cmd, typed for server i, asks y/N before it is sent
 * (only while the server is connected: otherwise it is refused at once). */
bool confirm_needed(tui *t, size_t i, const char *cmd);
/* Returns true when cmd is in s's confirm list and s would not refuse it as
 * read-only (whatever the connection's state). */
bool confirm_matches(tui *t, const app_server *s, const char *cmd);
/* For a console line (after ':'): returns true when it is :all or :tag with
 * a command that must be confirmed, and writes the question into text. */
bool confirm_console(tui *t, const char *line, char *text, size_t cap);
/* Returns true when a typed line (console or server command) must be
 * confirmed; writes the question into t->confirm_text. */
bool confirm_line(tui *t, const char *line);
/* Returns true when the :all / :tag line just answered would now be asked
 * about other servers; writes that question into t->confirm_text. */
bool confirm_changed(tui *t, const char *line);
/* Writes the question for a player action's cmd on s into t->confirm_text. */
void confirm_action(tui *t, const app_server *s, const char *cmd);
/* Returns the default confirm list (NULL-terminated) and its length. */
size_t confirm_defaults(const char *const **list);
/* Returns the help lines (key, description) from the binding tables. */
size_t keys_help(const char **keys, const char **what, size_t max);

/* console.c */
/* Splits the first word off s into word[cap]; returns the rest (trimmed). */
const char *console_word(const char *s, char *word, size_t cap);
/* Runs a ':' console command line. */
unsigned console_exec(tui *t, const char *line);
/* Returns the help lines of the console commands. */
size_t console_help(const char **names, const char **what, size_t max);

/* view-servers.c */
void view_servers_draw(tui *t);
/* Returns the short state text of s for narrow places into buf. */
const char *view_servers_state(const tui *t, const app_server *s, char *buf, size_t cap);
/* Returns the server drawn at window cell (y, x) of the list or tab bar, or -1. */
long view_servers_hit(tui *t, int y, int x);
/* Returns in *first and *count the servers whose rows the list shows
 * (count 0 in the tab bar: it shows no countdowns). */
void view_servers_visible(const tui *t, size_t *first, size_t *count);

/* view-log.c */
void view_log_draw(tui *t);
/* Scrolls the selected log by rows (negative: back); returns dirty bits. */
unsigned view_log_scroll(tui *t, int rows);
/* Jumps to the oldest line (top) or back to following (bottom). */
unsigned view_log_home(tui *t);
unsigned view_log_end(tui *t);
/* Searches the selected log for t->needle (dir -1 older, +1 newer). */
unsigned view_log_search(tui *t, int dir, bool from_view);
/* Returns the number of text rows inside the log box. */
int view_log_rows(const tui *t);

/* view-players.c */
void view_players_draw(tui *t);
/* Moves the player selection by delta. */
unsigned view_players_move(tui *t, int delta);
/* Opens the action menu on the selected player. */
unsigned view_players_open_menu(tui *t);
/* Handles a key in the action menu. */
unsigned view_players_menu_key(tui *t, bool fn, int code);
/* Draws the action menu popup. */
void view_players_draw_menu(tui *t);
/* Handles the y/N answer of a confirmation. */
unsigned view_players_confirm(tui *t, bool yes);
/* Selects the player shown at row y of the panel (a click); returns dirty bits. */
unsigned view_players_click(tui *t, int y);

/* view-bottom.c */
void view_bottom_draw(tui *t);
/* The hint row's content for one frame (view_bottom_hint). */
typedef struct view_hint {
	bool on;             /* there is a hint */
	bool bad;            /* the highlighted part is an error (an unknown word) */
	size_t from, to;     /* [from, to) of text is highlighted */
	char text[2048];
} view_hint;
/* Works out the hint shown above the command line (completion candidates,
 * the usage being typed, a multi-line paste's notice) into h, once per
 * frame; returns h->on.  Reads state only. */
bool view_bottom_hint(tui *t, view_hint *h);
/* Draws the hint row from h (call after the panes, before the bottom row). */
void view_bottom_draw_hint(tui *t, const view_hint *h);

/* view-help.c */
void view_help_draw(tui *t);
/* view-info.c: the details overlay (F2, :info). */
void view_info_draw(tui *t);
unsigned view_info_key(tui *t, bool fn, int code);
unsigned view_info_open(tui *t);
/* Draws the "terminal too small" screen on stdscr. */
void view_help_too_small(tui *t);
/* Handles a key in the help overlay. */
unsigned view_help_key(tui *t, bool fn, int code);

#endif
