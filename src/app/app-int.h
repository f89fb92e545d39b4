/* app-int.h: what app.c, app-event.c and app-text.c share; not for the TUI.
 *
 * Each server is an app_srv whose first member is the public app_server, so
 * app_get() hands out &srv->pub and the event code gets back to the private
 * part from the connection callback's argument. */
#ifndef RCONSOLE_APP_INT_H
#define RCONSOLE_APP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app/app.h"

#define APP_LINE_MAX 65536          /* longer transcript lines are cut (UTF-8 safe) */
#define APP_SAVE_DELAY_MS 1000      /* history is saved this long after a line is added */

/* A user command written to the connection and not yet answered. */
typedef struct app_pending {
	uint64_t id;
	char *cmd;           /* as sent */
	bool is_list;        /* the server's list command: its reply also updates players */
	bool is_stop;        /* `stop`: the connection closing after it is expected */
	bool own;            /* "> cmd" and the reply go to the server's own log */
	bool shown;          /* its "> cmd" is written (it is, or was, on the wire) */
	int split;           /* how its reply is split (app-split.h) */
	struct app_srv *echo;/* a broadcast's pane: gets "[name] " + each line; NULL none */
} app_pending;

typedef struct app_srv {
	app_server pub;      /* must stay first */
	app *a;
	char *list_command;  /* what a refresh sends */
	uint64_t refresh_id; /* id of the refresh in flight (refresh_pending) */
	app_pending *pend;   /* user commands in flight, oldest first */
	size_t n_pend;
	size_t cap_pend;
	bool unparsed_noted; /* "list reply not recognised" already written */
	bool user_stop;      /* app_disconnect() in progress */
	bool stop_sent;      /* a `stop` was written in this session */
	int fail_err;        /* last connect failure written (repeats are not) */
	char *fail_cause;
	int timeout_s;       /* command timeout, for messages */
	int max_cmd;         /* longest command the dialect allows, for messages */
	long cfg_index;      /* index of the profile in a->cfg->servers, -1 = not there */
	struct app_tail *tail;   /* the followed log_file (app-tail.c); NULL = none */
	size_t index;        /* position in a->srv (servers are never reordered) */
} app_srv;

struct app {
	rc_loop *loop;
	rc_config *cfg;
	app_opts opts;
	char *state_dir;     /* NULL: histories are kept in memory only */
	char *history_off;   /* why the state directory is refused, until told once */
	app_srv **srv;
	size_t n;
	size_t cap;
	size_t scrollback;
	unsigned dirty;
	uint64_t gen;
	bool started;        /* app_start() was called: new servers start at once */
	rc_timer_id save_timer;
	const rc_profile *cfg_base;  /* cfg->servers when profiles were last pointed at */
	size_t cfg_n;
	struct app_tails *tails; /* log following shared by every server (app-tail.c);
	                            NULL until a server with a log_file starts */
	struct names *by_name;   /* server name -> index (app_find); covers all n
	                            servers, else app_find scans */
	app_srv **dirty_list;    /* servers whose dirty mask went non-zero since
	                            app_take_dirty(), each once */
	size_t n_dirty, cap_dirty;
	bool dirty_all;          /* the list overflowed (out of memory): clear all */
};

/* Tags handed to rc_conn_send: only their addresses matter (app-event.c). */
extern char app_tag_user;
extern char app_tag_refresh;

/* app.c */
/* Adds a line to s's transcript and marks it dirty. */
void app_push(app_srv *s, enum app_line_kind kind, const char *text, size_t len);
/* Adds a formatted line to s's transcript. */
void app_pushf(app_srv *s, enum app_line_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ORs bits into s's and the app's dirty masks and bumps the generation. */
void app_touch(app_srv *s, unsigned bits);
/* Writes "> cmd" into s's transcript. */
void app_cmd_line(app_srv *s, const char *cmd);
/* Writes "[name of s] " + line into echo's transcript (echo NULL: nothing). */
void app_echo_line(app_srv *echo, const app_srv *s, enum app_line_kind kind, const char *line);

/* app-event.c */
/* Receives every event of s's connection (the rc_conn callback). */
void app_event_on_conn(rc_conn *c, const rc_event *ev, void *arg);
/* Starts s's refresh timer (first tick at once) when refresh is on. */
void app_refresh_start(app_srv *s);
/* Stops s's refresh timer. */
void app_refresh_stop(app_srv *s);
/* Removes and frees every pending user command of s. */
void app_pending_clear(app_srv *s);

/* app-text.c */
/* Writes a reply body to s's transcript, one line per server line. */
void app_text_reply(app_srv *s, const char *body, size_t len);
/* Writes a reply body to dst's transcript, each line after prefix (NULL =
 * none) and split where the server glued messages (kind: app-split.h). */
void app_text_reply_to(app_srv *dst, const char *prefix, int kind, const char *body, size_t len);
/* Writes one line to dst's transcript, sanitised, after prefix (NULL = none). */
void app_text_line(app_srv *dst, const char *prefix, enum app_line_kind kind, const char *text,
    size_t len);
/* Returns a malloc'd terminal-safe copy of s[len] (control characters
 * replaced, cut to APP_LINE_MAX); NULL on ENOMEM. */
char *app_text_safe(const char *text, size_t len, size_t *out_len);
/* Same, for a line whose following dropped bytes were already thrown away:
 * when dropped > 0 the copy ends with a cut note counting them too. */
char *app_text_safe_cut(const char *text, size_t len, size_t dropped, size_t *out_len);
/* Writes the one-line reason rc_conn_send() refused cmd with err. */
void app_text_refusal(app_srv *s, int err, const char *cmd);
/* Writes the line for a user command that failed after acceptance. */
void app_text_failed(app_srv *s, const app_pending *p, int status);
/* The same two lines as malloc'd strings (NULL on ENOMEM), for the pane a
 * broadcast was typed in. */
char *app_text_refusal_msg(app_srv *s, int err, const char *cmd);
char *app_text_failed_msg(app_srv *s, const app_pending *p, int status);
/* Writes the history file name for a server name (injective, no '/',
 * never "." or "..") into a malloc'd string. */
char *app_text_file_name(const char *name);

/* app-tail.c */
/* Starts following s's profile log_file, when it has one (once). */
void app_tail_start(app_srv *s);
/* Stops following s's log file: closes it and removes its watches. */
void app_tail_stop(app_srv *s);
/* Frees the shared tail state: the inotify fd and the timers. */
void app_tails_free(app *a);

#endif
