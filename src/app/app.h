/* app.h: sessions — profiles bound to connections, refresh scheduling,
 * per-server transcript, player lists and command history.
 *
 * This is the state the console draws.  The TUI reads app_server structs and
 * calls the app_* functions below; it never talks to rc_conn directly, and
 * protocol knowledge stays below this layer.  Everything runs on the caller's
 * rc_loop; nothing here blocks, prints or includes curses.
 *
 * Change notification: every mutation bumps a->gen and ORs bits into the
 * server's dirty mask (and a->dirty); the TUI compares/clears them once per
 * loop pass (app_take_dirty) and redraws only what changed.
 *
 * Ownership: app_new() borrows the loop and the config (both must outlive the
 * app); app_free() frees servers, connections, transcripts and histories
 * (saving histories first).
 *
 * Transcript lines (app_line.text is the whole display text, sanitised, § codes
 * kept, tabs expanded, at most 64 KiB):
 *   APP_LINE_CMD    "> say hello"  typed or broadcast, written when it is
 *                   sent; "> :all say hi" in the pane a broadcast was typed
 *                   in, followed there by "[name] <reply line>" blocks
 *   APP_LINE_REPLY  one line of a reply (split on LF / CRLF, trailing empty
 *                   lines dropped)
 *   APP_LINE_INFO   "(no output)" for an empty reply; "player list unavailable:
 *                   ..." once while list replies do not parse; notes
 *   APP_LINE_JOIN   "+ Carol joined"      APP_LINE_LEAVE  "- Carol left"
 *   APP_LINE_STATE  "connected" / "connected (read-only)", "disconnected",
 *                   after an outage once the connection answered a command
 *                   or stayed up 5 s (once one of the outage was lost or
 *                   stopped answering within 5 s: answered after 5 s,
 *                   asked its list or health poll at 5 s, or polled for
 *                   nothing and stayed up), "connected (the 3
 *                   reconnects before this one were lost within 5 s)" when
 *                   some did not,
 *                   "connecting to host:port" (app_connect),
 *                   "connection lost: <cause>; reconnecting in 4 s",
 *                   "reconnected, lost again: <cause>; reconnecting in 8 s"
 *                   (a reconnect lost before it proved itself, when the
 *                   cause changed: the same cause adds no line),
 *                   "server stopped; reconnecting in 2 s" (after `stop`),
 *                   "could not connect: <cause>; retrying in 2 s" (written once
 *                   per distinct cause, not on every attempt),
 *                   "authentication failed: <cause>"
 *   APP_LINE_ERROR  refusals ("refused (read-only): 'op bob' is not in the
 *                   allowlist", "not sent: survival is reconnecting (retry in
 *                   3 s; F5 or :connect retries now)" (in another pane
 *                   ":connect survival"), "not sent: lobby has a
 *                   configuration error (...)",
 *                   ...), "config error: <why> — fix it and use :connect
 *                   lobby" (app_add_unavailable) and failures after sending ("outcome unknown:
 *                   connection lost after 'say hi' was sent", "outcome unknown:
 *                   no reply to 'x' within 10 s (reconnecting)", ...)
 *   APP_LINE_LOG    one line of the server's log_file, as written there
 *                   (sanitised like a reply, § codes kept)
 * Refresh replies never reach the transcript.
 *
 * Log following (app-tail.c): a server whose profile has log_file ("~/"
 * expanded; a relative path is taken from the working directory) follows
 * that file like `tail -F` from app_start() (or app_add() after it) until
 * app_free(), whatever the connection does.  At start the last 20 complete
 * lines already in the file are shown (looking at most 64 KiB back), then
 * every complete line appended becomes an APP_LINE_LOG line; a partial line
 * waits for its newline (CRLF is accepted), and a line longer than 64 KiB
 * keeps its start and ends with " … [N bytes cut]".  When the name points
 * at another file (rotation at server restart, logrotate), the old file is
 * read to its end (a partial last line shown as is) and the new one from its
 * start; while the name is missing the old file stays open, silently.  A
 * file that shrinks (truncation) is read again from its start.  Only regular
 * files are followed.  Notes (one line each, per event):
 *   APP_LINE_INFO   "following log file /srv/mc/logs/latest.log" (opened at
 *                   start, or readable again after an error),
 *                   "log file /p was replaced (rotated); reading the new one
 *                   from its start", "log file /p was truncated; reading it
 *                   from its start"
 *   APP_LINE_ERROR  "cannot read log file /p: No such file or directory (will
 *                   keep trying)", also "Permission denied", "not a regular
 *                   file" — once per distinct cause, not per check; retried
 *                   whenever that name is created, moved or chmod-ed in its
 *                   directory (or on each poll), then read from its start.
 * Wake-ups: inotify on the file and its directory (Linux), one fd for the
 * whole app, so an idle console sleeps; without inotify (or while the
 * directory is missing) a 1 s poll timer checks the file.  No fd and no timer
 * at all when no server has a log_file.  Reads never block and take at most
 * 256 KiB per loop pass across all servers; a backlog is read over several
 * passes. */
#ifndef RCONSOLE_APP_H
#define RCONSOLE_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/rconsole.h"
#include "app/ring.h"
#include "app/history.h"

#define APP_SPARK_MAX 32       /* recent player counts kept for the sparkline */

enum app_dirty {
	APP_DIRTY_SERVERS = 1 << 0,  /* state, count, spark, activity, RO badge */
	APP_DIRTY_LOG = 1 << 1,      /* a line was added to a transcript */
	APP_DIRTY_PLAYERS = 1 << 2,  /* player list changed */
	APP_DIRTY_STATUS = 1 << 3    /* rtt, state text for the status bar */
};

/* How far the health probe of a connection got (app-health.c). */
enum app_probe {
	APP_PROBE_NONE = 0,   /* not connected, or health polling off */
	APP_PROBE_TPS,        /* sending `tps` */
	APP_PROBE_HELP,       /* `tps` is unknown: reading `help` */
	APP_PROBE_TRY,        /* trying the command `help` listed */
	APP_PROBE_DONE        /* command (or none) chosen */
};

/* A server's health (app-health.c). */
typedef struct app_health {
	enum app_probe probe;
	const char *command;         /* the health command polled; NULL = none (yet) */
	bool pending;                /* a health command is in flight */
	unsigned failed;             /* unknown-command answers this connection */
	bool have;                   /* last holds the latest parsed reply */
	rc_mc_health last;
	int64_t last_ms;             /* monotonic ms of the last parsed reply */
	int64_t last_unix;           /* the same, seconds since the epoch */
	double spark[APP_SPARK_MAX]; /* recent TPS (or ms per tick), oldest first */
	size_t n_spark;
	/* Connection figures for the details view and the metrics. */
	int64_t up_since_ms;         /* monotonic ms of this connection's start; -1 = down */
	int64_t rtt_max_us;          /* this connection's longest round trip; -1 none */
	int64_t rtt_sum_us;
	uint64_t rtt_n;              /* replies timed on this connection */
} app_health;

/* A health figure against the thresholds tps_warn / tps_crit. */
enum app_health_level {
	APP_HEALTH_UNKNOWN = 0,
	APP_HEALTH_OK,
	APP_HEALTH_WARN,
	APP_HEALTH_CRIT
};

/* Alert events (app-alert.c). */
enum app_event {
	APP_EV_NONE = 0,
	APP_EV_DOWN,         /* could not connect, or the connection was lost */
	APP_EV_UP,           /* back after a down or auth event */
	APP_EV_AUTH,         /* the password was refused */
	APP_EV_TPS,          /* TPS fell below tps_crit */
	APP_EV_JOIN,         /* a watched player joined */
	APP_EV_LEAVE         /* a watched player left */
};

typedef struct app_server {
	char *name;
	const rc_profile *profile;   /* points into the config */
	rc_conn *conn;               /* NULL while unavailable (app_add_unavailable):
	                                then state is FAILED and err RC_ECONFIG */
	rc_state state;
	int err;                     /* last failure code (0 = none) */
	char *cause;                 /* last failure text, sanitised; NULL = none */
	int64_t retry_at_ms;         /* BACKOFF: monotonic ms of the next attempt */
	bool read_only;
	int refresh_s;               /* effective refresh period, 0 = off */

	rc_mc_list players;          /* last parsed list (format UNPARSED = unknown) */
	bool have_players;           /* a list reply has been parsed since connect */
	int spark[APP_SPARK_MAX];    /* recent player counts, oldest first */
	size_t n_spark;

	app_ring *log;               /* transcript lines */
	uint64_t seen_seq;           /* last line sequence the user has seen */
	int64_t rtt_us;              /* last round trip, -1 unknown */

	bool refresh_pending;        /* a list command is in flight */
	unsigned user_inflight;      /* user commands sent, not answered */
	app_history *history;
	unsigned dirty;              /* enum app_dirty bits */
	app_health health;           /* app-health.c */
	enum app_event alert;        /* last alert not yet looked at (row mark); NONE = none */
} app_server;

typedef struct app_opts {
	bool read_only;              /* --read-only: every server read-only */
	int refresh_override;        /* -1 = from the config; >= 0 wins (0 = off),
	                                so a zeroed app_opts turns refresh off */
	const char *state_dir;       /* history directory; NULL = $XDG_STATE_HOME/rconsole
	                                (~/.local/state/rconsole) */
	size_t history_cap;          /* entries kept per server; 0 = 1000 */
	int health_override;         /* -1 = health_refresh from the config; >= 0 wins
	                                (0 = off, so a zeroed app_opts has no health polls) */
	int tail_poll_ms;            /* log_file following: 0 = inotify when available
	                                (else a 1 s poll); > 0 = always poll at this
	                                period (network filesystems, tests) */
	const char *cache_dir;       /* command-tree cache (app-tree.c); NULL =
	                                $XDG_CACHE_HOME/rconsole (~/.cache/rconsole);
	                                copied by app_new */
	bool no_tree;                /* never read servers' command trees (tests
	                                that count every command the server gets) */
	int timeout_ms;              /* > 0: every server's connect, login and command
	                                timeout (--timeout); 0 = each profile's */
	bool dialect_set;            /* every server speaks dialect (--dialect), not
	                                its profile's */
	rc_dialect dialect;
} app_opts;

typedef struct app app;

/* Creates an app on loop for cfg (servers are added with app_add). */
app *app_new(rc_loop *loop, rc_config *cfg, const app_opts *opts);
/* Saves histories, stops connections and frees everything.  NULL is a no-op. */
void app_free(app *a);

/* Adds a server from a profile with its resolved password (NULL: the
 * profile's inline password, else "").  The connection keeps the only copy
 * and wipes it when freed.  Returns its index, or a negative RC_E* with err
 * filled (duplicate name, bad settings).  After app_start() the new server
 * starts connecting at once. */
int app_add(app *a, const rc_profile *p, const char *password, char *err, size_t cap);
/* Writes into buf[cap] why no connection to host could be made, from the
 * RC_E* rc_conn_new_err() or rc_session_add() returned ("the password is
 * longer than the 1446 bytes one login can carry"), without the server's
 * name (the caller says it once); returns buf. */
const char *app_conn_refusal(int rc, rc_dialect dialect, const char *host, char *buf, size_t cap);
/* Adds a server whose profile cannot be used yet: why (e.g. "password file
 * /p: No such file or directory") says what is wrong.  It has no connection
 * (conn NULL), state RC_STATE_FAILED, err RC_ECONFIG and cause = why
 * (sanitised), and its transcript gets one APP_LINE_ERROR line "config error:
 * <why> — fix it and use :connect NAME (or type the password there)" (for
 * an unset password_env: "— restart rconsole with VAR set, or use :connect
 * NAME to type the password").  It never connects and never sends:
 * app_command() refuses ("not sent: NAME has a configuration error (...)"),
 * app_broadcast() skips it, app_disconnect() does nothing, no refresh runs;
 * its log_file is still followed.  app_connect() resolves the profile's
 * password again (rc_profile_password: file, environment, inline) and, when
 * it can be had now, makes the connection and starts it; otherwise it
 * updates the cause and writes the error line again.  Returns its index, or a
 * negative RC_E* with err filled (duplicate name, no host). */
int app_add_unavailable(app *a, const rc_profile *p, const char *why, char *err, size_t cap);
/* Re-points every server's profile into a->cfg after the config's server
 * array changed (rc_config_add/rc_config_remove move it); app_add() does this
 * itself.  A profile must not be removed while its server is open. */
void app_config_changed(app *a);
/* Starts every server's connection and log_file following. */
void app_start(app *a);

size_t app_count(const app *a);
app_server *app_get(app *a, size_t i);
/* Returns the index of the server called name, or -1. */
int app_find(const app *a, const char *name);
/* Returns the index of the first server other than skip (-1: none skipped)
 * whose name equals name ignoring ASCII case (the name a new profile may not
 * take), or -1.  A hash look-up; the index is made on the first call. */
int app_find_fold(app *a, const char *name, long skip);

/* Runs a line typed by the user on server i: trims blanks around it, drops
 * one leading '/' and sends it.  "> cmd" is written to the transcript when
 * the command goes on the wire (at once, or when the user's command before
 * it is answered), so each reply lands directly under its command however
 * many are queued; the reply is split where vanilla glued messages (`help`:
 * one usage per line; 1.12's list: two lines, app-split.h).  A refusal (not connected, read-only, too long,
 * invalid) is written to the transcript as one clear line and returned as an
 * RC_E* code.  An empty line returns RC_EINVAL and writes nothing.  Every
 * non-empty typed line (refused ones too, trimmed, '/' kept) goes into
 * the server's history.  exit/quit/stop are ordinary server commands. */
int app_command(app *a, size_t i, const char *line);
/* Same as app_command(), for a command a player action made (kick, ban ...):
 * only its origin in the audit log differs ("action", not "console"). */
int app_action(app *a, size_t i, const char *cmd);
/* Runs cmd on every server (tag NULL) or on those carrying tag (ASCII
 * case-insensitive); each "> cmd", refusal and reply lands in its own
 * server's transcript.  No history is written (the caller remembers its
 * ":all ..." line with app_remember).  Returns how many accepted it. */
int app_broadcast(app *a, const char *tag, const char *cmd);
/* Same, typed in server origin's pane (-1 = none, as app_broadcast): that
 * transcript gets "> :all CMD" (or "> :tag TAG CMD") and then, as each
 * server answers, its reply lines as a block "[name] line" (refusals and
 * failures too); every other server's own log gets its "> cmd" and reply
 * as usual, and origin's own answer appears only in its block.  *queued
 * (NULL: not wanted) gets how many of those that accepted it hold it queued
 * behind another command (a refresh, or one of the user's): not sent yet,
 * so a drop can still leave it unsent ("not sent: the connection closed
 * before ..."). */
int app_broadcast_from(app *a, long origin, const char *tag, const char *cmd, int *queued);
/* Connects server i (user action): from IDLE, BACKOFF (retry now),
 * AUTH_FAILED or FAILED; a connection already up or on its way is left
 * alone (returns 0).  An unavailable server (conn NULL) first resolves its
 * password again: RC_ECONFIG (one error line, new cause) when it still
 * cannot. */
int app_connect(app *a, size_t i);
/* Connects an unavailable server (app_unavailable), or one whose password
 * was refused (AUTH_FAILED), with a password the user typed, for this
 * session only (nothing is saved); any other server that has its
 * connection is just app_connect()ed.  Returns 0 or RC_E*. */
int app_connect_password(app *a, size_t i, const char *password);
/* Disconnects server i (user action); it stays down until app_connect().
 * A command in flight gets "outcome unknown: disconnected after ...". */
void app_disconnect(app *a, size_t i);
/* Writes a line of the given kind (sanitised) into server i's transcript. */
void app_note(app *a, size_t i, enum app_line_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Returns and clears the OR of every server's dirty bits since the last call. */
unsigned app_take_dirty(app *a);
/* Returns the OR of the dirty bits (since the last app_take_dirty()) of the
 * servers first .. first+count-1 and sel; costs the servers that changed. */
unsigned app_dirty_shown(const app *a, size_t first, size_t count, size_t sel);
/* Marks server i's transcript as seen (clears its activity marker). */
void app_mark_seen(app *a, size_t i);
/* Returns how many transcript lines of server i the user has not seen. */
uint64_t app_unseen(const app *a, size_t i);
/* Returns the next server after i (wrapping; i itself is tried last) with
 * unseen lines, or -1. */
int app_next_active(const app *a, size_t i);
/* Returns how server s's TPS compares with its tps_warn / tps_crit
 * (app-health.c; vanilla's ms per tick counts as 1000/ms when over 50). */
enum app_health_level app_health_level(const app *a, const app_server *s);
/* Returns the counters of s's connection (reconnects, strays, commands), or
 * NULL when it has none (unavailable). */
const rc_conn_stats *app_conn_stats(const app_server *s);
/* Returns s's thresholds: its profile's, else the file's, else 18 and 15. */
void app_health_thresholds(const app *a, const app_server *s, int *warn, int *crit);
/* Returns an event's name as the on_event hook gets it ("down", "up",
 * "auth", "tps", "join", "leave"). */
const char *app_event_name(enum app_event ev);
/* Returns and clears how many times the terminal bell should ring (alerts
 * of servers with bell = true). */
unsigned app_take_bells(app *a);
/* Returns the config the app was made with. */
rc_config *app_config(app *a);

/* Returns a counter bumped by every change (cheap "anything new?" test). */
uint64_t app_gen(const app *a);
/* Returns true when server s carries tag (ASCII case-insensitive). */
bool app_has_tag(const app_server *s, const char *tag);
/* Returns true for a server added with app_add_unavailable() that has no
 * connection yet (its profile could not be used). */
bool app_unavailable(const app_server *s);
/* Returns true when s's read-only gate would let cmd through (always true
 * for a writable server): the connection's own allowlist decides, so a
 * caller never recomputes it (a profile's list narrowed by --read-only). */
bool app_read_only_allows(const app_server *s, const char *cmd);
/* Returns the whole seconds until s's next reconnect attempt, rounded as
 * the log's "reconnecting in N s" (the nearest second, never 0 while
 * waiting), 0 when it is not waiting to reconnect. */
int app_retry_seconds(const app_server *s);
/* Returns the ms from now (a rc_now_ms() time) until app_retry_seconds(s)
 * changes, -1 when s is not waiting to reconnect: when to redraw a
 * countdown. */
int64_t app_retry_change_ms(const app_server *s, int64_t now);
/* Writes a short state text for the server list and status bar into buf:
 * "ready", "busy", "connecting", "reconnecting in 3 s", "auth failed",
 * "disconnected", "failed", "config error" (unavailable).  Returns buf. */
const char *app_status_text(const app_server *s, char *buf, size_t cap);
/* Checks a profile's log_file as the console would follow it (app-tail.c;
 * "~/" expanded, only a regular file taken): returns 0 when it can be
 * read now, 1 when it is missing (the console waits for it to appear), -1
 * when the console could not follow it (a directory, a device, no
 * permission, no home for "~"); in the last two cases why[cap] says so as
 * the console's error line does: "log file /p: not a regular file". */
int app_tail_check(const char *file, char *why, size_t cap);
/* Adds a line to server i's history and schedules the save: for lines the
 * TUI handles itself (":all say hi"); app_command() remembers its own. */
void app_remember(app *a, size_t i, const char *line);
/* Saves every changed history now (it is also saved about a second after
 * each new entry, and on app_free).  Returns 0 or the first error. */
int app_save_histories(app *a);
/* Returns server i's history, reading its file now if this is its first
 * use (histories are read lazily, see history.h) and saying in the
 * transcript why a refused file is not used; NULL when there is no i. */
app_history *app_history_of(app *a, size_t i);

/* ---- log_file lines, as the console shows them (app-logline.c) ---- */

enum app_log_level {
	APP_LOG_NONE = 0,     /* no level written */
	APP_LOG_INFO,
	APP_LOG_WARN,         /* WARN, WARNING */
	APP_LOG_ERROR,        /* ERROR, SEVERE, FATAL */
	APP_LOG_DEBUG         /* DEBUG, TRACE */
};

typedef struct app_log_fields {
	char stamp[9];        /* the line's own "HH:MM:SS" */
	enum app_log_level level;
	size_t body;          /* offset of the message after "[...] [.../LEVEL]: " */
	size_t stamp_at;      /* offset of the stamp's "HH:MM:SS" in the line */
} app_log_fields;

/* Splits a log_file line ("[12:00:00] [Server thread/WARN]: text", Forge's,
 * Paper's and 1.6's shapes too) into its timestamp, level and message.
 * Returns false (f zeroed) when the line has none of those shapes. */
bool app_log_parse(const char *text, size_t len, app_log_fields *f);
/* Finds the "<name>" of a chat message ("<Alice> hi", also after "[Not
 * Secure] ") in s[len]: true with [*from, *to) around it. */
bool app_log_chat(const char *s, size_t len, size_t *from, size_t *to);

#endif
