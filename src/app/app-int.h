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
	bool moves_players;  /* kick, ban, ban-ip: answered, the list is asked again */
	bool own;            /* "> cmd" and the reply go to the server's own log */
	bool shown;          /* its "> cmd" is written (it is, or was, on the wire) */
	int split;           /* how its reply is split (app-split.h) */
	struct app_srv *echo;/* a broadcast's pane: gets "[name] " + each line; NULL none */
	int64_t issued;      /* time() it was issued, for the audit log */
	int origin;          /* enum app_audit_origin */
	uint64_t shown_at;   /* the transcript's last line once "> cmd" was written
	                        (0 none): anything after it means the reply needs
	                        saying whose it is */
} app_pending;

/* app-sched.c: the background jobs on the due-time queues. */
enum app_job { APP_JOB_REFRESH, APP_JOB_HEALTH, APP_JOB_PROVE, APP_JOB_N };

/* One server's place on one job's queue (app-sched.c). */
struct app_sched_ent {
	struct app_sched_q *q;       /* the queue it waits in; NULL = not scheduled */
	struct app_sched_ent *prev, *next;
	struct app_srv *s;
	int64_t due_ms;              /* when it runs next */
	uint64_t seq;                /* order it was put on its queue */
	bool running;                /* its tick is running */
	bool cancelled;              /* removed while its tick ran: not put back */
};

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
	int fail_err;        /* last failure written, connect or lost (repeats are not) */
	char *fail_cause;
	bool down_told;      /* a line said s is down: the next connection proves
	                        itself before "connected" is written (app-event.c) */
	bool unproven;       /* READY, "connected" held back until it proves itself */
	bool flapping;       /* a connection of this outage was lost, or stopped
	                        answering, within APP_PROVE_MS: only answering
	                        (or, asked nothing, staying up) past it proves one */
	int64_t up_at_ms;    /* when the connection became READY (rc_now_ms) */
	int64_t answered_at_ms; /* its last answer, up_at_ms before the first */
	unsigned flaps;      /* reconnects of this outage lost before proving themselves */
	char *fold;          /* the name in ASCII lower case: by_fold's key */
	size_t fold_next;    /* next server with the same fold, SIZE_MAX: none */
	int timeout_ms;      /* command timeout, for messages */
	int max_cmd;         /* longest command the dialect allows, for messages */
	bool source;         /* the Source dialect: ';' separates commands */
	long cfg_index;      /* index of the profile in a->cfg->servers, -1 = not there */
	struct app_tail *tail;   /* the followed log_file (app-tail.c); NULL = none */
	struct app_audit *audit; /* the audit log writer (app-audit.c); NULL = off */
	bool cleartext_told;     /* the clear-text warning is written */
	uint64_t health_id;          /* id of the health command in flight */
	const char *health_candidate;/* the probe's step 3 */
	struct app_alert *alert;     /* app-alert.c; NULL until the first event */
	struct app_tree *tree;   /* the server's command tree (app-tree.c); NULL = none */
	size_t index;        /* position in a->srv (servers are never reordered) */
	bool hist_told;      /* the history's load problem (if any) is written */
	struct app_sched_ent sched[APP_JOB_N]; /* app-sched.c: s on each job's queue */
	bool refresh_owed;       /* a refresh found the connection busy: it goes out
	                            as soon as the connection is idle */
} app_srv;

struct app {
	rc_loop *loop;
	rc_config *cfg;
	app_opts opts;
	char *state_dir;     /* NULL: histories are kept in memory only */
	char *cache_dir;     /* opts.cache_dir's own copy (app-tree.c); NULL = XDG */
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
	unsigned bells;      /* terminal bells owed (app-alert.c) */
	bool child_watch;    /* SIGCHLD is watched for on_event hooks */
	struct app_tails *tails; /* log following shared by every server (app-tail.c);
	                            NULL until a server with a log_file starts */
	bool audit_told;     /* a refused audit directory was reported */
	struct names *by_name;   /* server name -> index (app_find); covers all n
	                            servers, else app_find scans */
	struct names *by_fold;   /* the same, names in lower case (app_find_fold):
	                            the first n_fold servers, made on first use */
	size_t n_fold;
	bool fold_off;           /* by_fold failed once: app_find_fold scans */
	app_srv **dirty_list;    /* servers whose dirty mask went non-zero since
	                            app_take_dirty(), each once */
	size_t n_dirty, cap_dirty;
	bool dirty_all;          /* the list overflowed (out of memory): clear all */
	uint64_t dirty_taken;    /* dirty entries app_take_dirty() has cleared so far:
	                            tests check a pass costs the servers that changed */
	struct names *hist_odd;  /* history/ entries that are not plain files (read
	                            at start, to say why at once); NULL = none */
	char **hist_odd_keys;    /* hist_odd's key strings (names keeps no copy) */
	size_t n_hist_odd;
	bool hist_scanned;       /* history/ was listed (on the first server made) */
	struct app_sched_q **sched;  /* app-sched.c: one queue per job and delay */
	size_t n_sched;
	struct app_profiles *profiles; /* app-profile.c: unsaved :add names and the
	                                  configurations a merge replaced; NULL = none */
};

/* Tags handed to rc_conn_send: only their addresses matter (app-event.c). */
extern char app_tag_user;
extern char app_tag_refresh;
extern char app_tag_health;
extern char app_tag_tree;    /* app-tree.c: `help` fetches */

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
/* The prove job (app-sched.c): a connection up APP_PROVE_MS has proved
 * itself; writes its "connected".  Returns -1 (it runs once). */
int64_t app_event_prove_tick(app_srv *s, int64_t delay_ms);
/* Writes "connected" for s's READY connection (and raises up), ending the
 * outage its trial was part of. */
void app_event_up(app_srv *s);
/* Forgets s's outage (the user connects or disconnects): the next failure
 * is worth a line again, the next connection is "connected" at once. */
void app_event_forget_outage(app_srv *s);
/* Starts s's refresh timer (first tick at once) when refresh is on. */
void app_refresh_start(app_srv *s);
/* Stops s's refresh timer. */
void app_refresh_stop(app_srv *s);
/* Removes and frees every pending user command of s. */
void app_pending_clear(app_srv *s);
/* Sends s's list command if it is idle (the refresh schedule's tick). */
void app_refresh_tick(app_srv *s);
/* Returns true when s's connection is READY with nothing queued or in
 * flight: no command of the user's, no refresh, health poll or tree fetch
 * (the library's count; the state says READY while commands run). */
bool app_srv_idle(const app_srv *s);

/* app-sched.c: the background work's schedule (one timer per job and
 * delay, see there) */
/* Puts s on the schedule of its refresh period (due at once when now). */
int app_sched_add(app_srv *s, bool now);
/* Puts job on s's schedule: due at once when now, else after delay_ms.
 * Returns 0 or RC_ENOMEM. */
int app_sched_job(app_srv *s, enum app_job job, int64_t delay_ms, bool now);
/* Returns true when job is on s's schedule. */
bool app_sched_has(const app_srv *s, enum app_job job);
/* Takes job off s's schedule. */
void app_sched_remove(app_srv *s, enum app_job job);
/* Sends what waits for s's connection to be idle (after each reply). */
void app_sched_idle(app_srv *s);
/* Frees the queues. */
void app_sched_free(app *a);

/* app-health.c */
/* Starts s's health probe and polls after a (re)connect (when health is on). */
void app_health_start(app_srv *s);
/* Stops s's health timer and forgets its figures. */
void app_health_stop(app_srv *s);
/* Counts a timed reply in s's round-trip figures. */
void app_health_rtt(app_srv *s, int64_t rtt_us);
/* Handles the reply to one of s's health commands. */
void app_health_reply(app_srv *s, const rc_event *ev);
/* The health job (app-sched.c): a probe step or a poll; returns the ms
 * until the next one, < 0 for none. */
int64_t app_health_tick(app_srv *s, int64_t delay_ms);
/* Runs s's health job now, for an answer wanted sooner than the period
 * brings one, when it asks the server something: the probe under way, or
 * polls of the command it found (not a server that has none, whose job
 * stays on the schedule asking nothing).  Returns whether it does. */
bool app_health_poll_now(app_srv *s);

/* app-alert.c */
/* Raises an alert event on s (row mark, bell, on_event hook). */
void app_alert(app_srv *s, enum app_event ev, const char *detail);
/* Raises down unless it was the last state reported. */
void app_alert_down(app_srv *s, const char *cause);
/* Raises up after a down or auth event. */
void app_alert_up(app_srv *s);
/* Raises tps when s's health has just fallen below tps_crit. */
void app_alert_health(app_srv *s);
/* Raises join / leave for watched players. */
void app_alert_players(app_srv *s, const char *const *joined, size_t nj,
    const char *const *left, size_t nl);
/* Frees s's alert state. */
void app_alert_free(app_srv *s);

/* app-text.c */
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
/* Writes the line for a user command that failed after acceptance; came
 * (non-zero) says that many bytes of its reply were shown before it. */
void app_text_failed(app_srv *s, const app_pending *p, int status, size_t came);
/* The same two lines as malloc'd strings (NULL on ENOMEM), for the pane a
 * broadcast was typed in; own says that pane is s's (its "F5" hint acts on
 * the selected server, so another pane's line names s instead). */
char *app_text_refusal_msg(app_srv *s, int err, const char *cmd, bool own);
char *app_text_failed_msg(app_srv *s, const app_pending *p, int status, size_t came);
/* Writes the history file name for a server name (injective, no '/',
 * never "." or "..") into a malloc'd string. */
char *app_text_file_name(const char *name);
/* Returns a wait of ms as the log words it: the nearest whole second, but
 * never 0 for a wait still to come (1.1 s is "1 s", 0.3 s is "1 s"). */
long app_text_secs(int64_t ms);

/* app-audit.c (the app's side of the audit log) */
/* Gives s its audit writer when its profile is audited (telling once per
 * app why the state directory cannot be used). */
void app_audit_attach(app_srv *s);
/* Records a command rc_conn_send() (or a missing connection) refused. */
void app_audit_refused(app_srv *s, int origin, const char *cmd, int rc);
/* Records the outcome of pending command p from its reply event. */
void app_audit_outcome(app_srv *s, const app_pending *p, const rc_event *ev);
/* Records a pending command that ends with no event (the app is freed):
 * written (outcome unknown) or not. */
void app_audit_dropped(app_srv *s, const app_pending *p, bool written);

/* app-cleartext.c */
/* Writes the clear-text warning into s's transcript the first time. */
void app_cleartext_tell(app_srv *s);

/* app-tail.c */
/* Starts following s's profile log_file, when it has one (once). */
void app_tail_start(app_srv *s);
/* Stops following s's log file: closes it and removes its watches. */
void app_tail_stop(app_srv *s);
/* Frees the shared tail state: the inotify fd and the timers. */
void app_tails_free(app *a);

/* app-profile.c */
/* Frees what app-profile.c keeps (after the servers: they may point into
 * the configurations a merge replaced). */
void app_profiles_free(app *a);

/* app-tree.c */
/* Wants a fresh command tree from s's server: fetched when idle. */
void app_tree_on_ready(app_srv *s);
/* Sends the next request of a wanted fetch when s is idle (no user command
 * in flight); the one place a tree request is sent. */
void app_tree_kick(app_srv *s);
/* Takes a reply sent with app_tag_tree. */
void app_tree_on_reply(app_srv *s, const rc_event *ev);
/* Forgets a fetch in progress (connection down). */
void app_tree_down(app_srv *s);
/* Frees s's tree state. */
void app_tree_free(app_srv *s);

/* app-setting.c: per-server settings, looked up override -> profile ->
 * the file's global key -> default (one table). */
#define APP_DEFAULT_ALERT_INTERVAL 60   /* seconds between two hook runs */
enum app_setting {
	APP_SET_REFRESH,          /* player-list refresh seconds (0 = off) */
	APP_SET_HEALTH_REFRESH,   /* health poll seconds (0 = off) */
	APP_SET_TPS_WARN,         /* TPS below this: warning */
	APP_SET_TPS_CRIT,         /* TPS below this: critical */
	APP_SET_ALERT_INTERVAL,   /* seconds between two hook runs (no global key) */
	APP_SET_COMMAND_TREE,     /* 1 = read the server's command tree, 0 = not */
};
/* Returns setting k for the server with profile p (NULL: none): the app's
 * override, else p's value, else the file's global one, else the default. */
int app_setting(const app *a, const rc_profile *p, enum app_setting k);

#endif
