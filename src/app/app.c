/* app.c: sessions — servers made from profiles, user commands, broadcast,
 * connect/disconnect, transcript lines, dirty bits and activity.
 *
 * Connection events, refreshes and player lists are in app-event.c; reply
 * splitting and the wording of refusals in app-text.c. */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "app/app-audit.h"
#include "app/app-int.h"
#include "app/app-split.h"
#include "lib/names.h"
#include "lib/fdlimit.h"

#define APP_DEFAULT_HISTORY 1000

/* ---- transcript and dirty bits ---- */

/* ORs bits into s's and the app's dirty masks and bumps the generation. */
void app_touch(app_srv *s, unsigned bits)
{
	app *a = s->a;
	if (!s->pub.dirty && bits && !a->dirty_all) {
		/* First mark since the last take: remember s, so taking costs the
		 * servers that changed, not all of them. */
		if (a->n_dirty == a->cap_dirty) {
			size_t cap = a->cap_dirty ? a->cap_dirty * 2 : 16;
			app_srv **n = realloc(a->dirty_list, cap * sizeof(*n));
			if (n) {
				a->dirty_list = n;
				a->cap_dirty = cap;
			}
		}
		if (a->n_dirty < a->cap_dirty)
			a->dirty_list[a->n_dirty++] = s;
		else
			a->dirty_all = true;
	}
	s->pub.dirty |= bits;
	a->dirty |= bits;
	a->gen++;
}

/* Adds a line to s's transcript and marks it dirty. */
void app_push(app_srv *s, enum app_line_kind kind, const char *text, size_t len)
{
	if (len > APP_LINE_MAX)
		len = APP_LINE_MAX;
	if (s->unproven && kind != APP_LINE_STATE && kind != APP_LINE_LOG)
		app_event_up(s);    /* its "connected" before what is said of it (app-event.c) */
	uint64_t seq = app_ring_push(s->pub.log, (int64_t)time(NULL), kind, text, len);
	app_log_fields f;
	/* A log_file line is parsed here, once, not each time it is drawn. */
	if (seq && kind == APP_LINE_LOG && app_log_parse(text, len, &f))
		app_ring_set_log(s->pub.log, seq, (unsigned)f.level, f.stamp_at, f.body);
	app_touch(s, APP_DIRTY_LOG | APP_DIRTY_SERVERS);
}

/* Formats into a malloc'd string; NULL on ENOMEM. */
__attribute__((format(printf, 1, 0)))
static char *app_vformat(const char *fmt, va_list ap)
{
	char *out = NULL;
	if (vasprintf(&out, fmt, ap) < 0)
		return NULL;
	return out;
}

/* Adds a formatted line to s's transcript. */
void app_pushf(app_srv *s, enum app_line_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = app_vformat(fmt, ap);
	va_end(ap);
	if (text)
		app_push(s, kind, text, strlen(text));
	free(text);
}

/* Writes an informational line into server i's transcript. */
void app_note(app *a, size_t i, enum app_line_kind kind, const char *fmt, ...)
{
	if (!a || i >= a->n)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *text = app_vformat(fmt, ap);
	va_end(ap);
	if (text) {
		size_t len;
		char *safe = app_text_safe(text, strlen(text), &len);
		if (safe)
			app_push(a->srv[i], kind, safe, len);
		free(safe);
	}
	free(text);
}

/* ---- creation ---- */

/* Returns a malloc'd a/b. */
static char *app_join(const char *a, const char *b)
{
	char *out = NULL;
	if (asprintf(&out, "%s/%s", a, b) < 0)
		return NULL;
	return out;
}

/* Creates an app on loop for cfg (servers are added with app_add). */
app *app_new(rc_loop *loop, rc_config *cfg, const app_opts *opts)
{
	if (!loop)
		return NULL;
	app *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->loop = loop;
	a->cfg = cfg;
	/* A socket per server and, while a name is being looked up, a wake-up
	 * pipe: thousands of profiles need more than the usual 1,024, and a low
	 * soft limit (ulimit -S -n) costs nothing while the hard one allows
	 * more.  app_start() says when even the hard limit is too low. */
	if (cfg)
		fdlimit_raise(3 * cfg->n_servers + 64);
	if (opts) {
		a->opts = *opts;
	} else {
		a->opts.refresh_override = -1;
		a->opts.health_override = -1;
	}
	if (a->opts.history_cap == 0)
		a->opts.history_cap = APP_DEFAULT_HISTORY;
	a->opts.cache_dir = a->cache_dir = a->opts.cache_dir ? strdup(a->opts.cache_dir) : NULL;
	a->state_dir = app_state_path(a->opts.state_dir);
	char why[600];
	if (app_history_dir_check(a->state_dir, why, sizeof(why)) < 0) {
		/* Someone else could plant or read entries there: use none. */
		free(a->state_dir);
		a->state_dir = NULL;
		a->history_off = strdup(why);
	}
	a->opts.state_dir = a->state_dir;
	a->scrollback = cfg && cfg->scrollback > 0 ? (size_t)cfg->scrollback : RC_DEFAULT_SCROLLBACK;
	return a;
}

/* Frees one server: timers, connection (no events), transcript, history. */
static void app_srv_free(app_srv *s)
{
	if (!s)
		return;
	app_refresh_stop(s);
	app_health_stop(s);
	app_sched_remove(s, APP_JOB_PROVE);
	app_alert_free(s);
	app_tail_stop(s);
	app_tree_free(s);
	rc_conn_free(s->pub.conn);
	app_pending_clear(s);    /* each still pending gets its audit record */
	app_audit_free(s->audit);
	free(s->pend);
	app_history_free(s->pub.history);
	app_ring_free(s->pub.log);
	rc_mc_list_clear(&s->pub.players);
	free(s->pub.name);
	free(s->pub.cause);
	free(s->list_command);
	free(s->fail_cause);
	free(s->fold);
	free(s);
}

/* Saves histories, stops connections and frees everything.  NULL is a no-op. */
void app_free(app *a)
{
	if (!a)
		return;
	if (a->save_timer)
		rc_loop_del_timer(a->loop, a->save_timer);
	for (size_t i = 0; i < a->n; i++)
		app_srv_free(a->srv[i]);
	app_profiles_free(a);
	app_sched_free(a);
	if (a->child_watch)
		rc_loop_watch_signal(a->loop, SIGCHLD, NULL, a);  /* ours only: a tunnel's stays */
	app_tails_free(a);
	names_free(a->by_name);
	names_free(a->by_fold);
	free(a->dirty_list);
	free(a->srv);
	free(a->state_dir);
	free(a->cache_dir);
	free(a->history_off);
	names_free(a->hist_odd);
	for (size_t i = 0; i < a->n_hist_odd; i++)
		free(a->hist_odd_keys[i]);
	free(a->hist_odd_keys);
	free(a);
}

/* Writes name in ASCII lower case into buf[cap]; false when it does not fit. */
static bool app_fold_name(const char *name, char *buf, size_t cap)
{
	size_t i = 0;
	for (; name[i]; i++) {
		if (i + 1 >= cap)
			return false;
		buf[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
	}
	buf[i] = '\0';
	return true;
}

/* Appends s to the app's servers (room was made by app_grow) and indexes its
 * name; an index that cannot grow (or a name met twice) is dropped and
 * app_find scans.  The index ignoring case is made later, on its first use. */
static size_t app_insert(app *a, app_srv *s)
{
	size_t idx = a->n;
	s->index = idx;
	s->fold_next = SIZE_MAX;
	a->srv[a->n++] = s;
	if (!a->by_name && idx == 0)
		a->by_name = names_new(a->cfg ? a->cfg->n_servers : 0);
	if (a->by_name && names_count(a->by_name) == idx &&
	    names_put(a->by_name, s->pub.name, idx) < 0) {
		names_free(a->by_name);
		a->by_name = NULL;
	}
	return idx;
}

/* Lists the history directory once: the names of entries that are not
 * plain files (a FIFO, a directory, a link), whose history is read at once
 * so the reason it is refused shows from the start, as before histories were
 * read lazily.  One readdir instead of one open per server. */
static void app_scan_history(app *a)
{
	a->hist_scanned = true;
	char *dir = a->state_dir ? app_join(a->state_dir, "history") : NULL;
	DIR *d = dir ? opendir(dir) : NULL;
	free(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_type == DT_REG || e->d_name[0] == '.')
			continue;
		if (!a->hist_odd && !(a->hist_odd = names_new(16)))
			break;
		char **keys = realloc(a->hist_odd_keys, (a->n_hist_odd + 1) * sizeof(*keys));
		char *key = keys ? strdup(e->d_name) : NULL;
		if (keys)
			a->hist_odd_keys = keys;
		if (!key || names_put(a->hist_odd, key, 0) < 0) {
			free(key);
			break;
		}
		keys[a->n_hist_odd++] = key;
	}
	closedir(d);
}

/* Opens the history of server name (in memory when there is no state dir):
 * lazily (read when first used, see history.h), but at once when the
 * directory listing says the entry is no plain file. */
static app_history *app_open_history(app *a, const char *name)
{
	if (!a->state_dir)
		return app_history_load(NULL, a->opts.history_cap);
	if (!a->hist_scanned)
		app_scan_history(a);
	char *file = app_text_file_name(name);
	char *dir = file ? app_join(a->state_dir, "history") : NULL;
	char *path = dir ? app_join(dir, file) : NULL;
	size_t unused;
	bool odd = file && a->hist_odd && names_get(a->hist_odd, file, &unused);
	app_history *h = !path ? NULL : odd ? app_history_load(path, a->opts.history_cap) :
	    app_history_lazy(path, a->opts.history_cap);
	free(file);
	free(dir);
	free(path);
	return h;
}

/* Tells, once, why s's history file was refused, when it has been read. */
static void app_history_problem_told(app_srv *s)
{
	if (s->hist_told || !app_history_loaded(s->pub.history))
		return;
	s->hist_told = true;
	const char *why = app_history_problem(s->pub.history);
	if (why) {
		char *safe = app_text_safe(why, strlen(why), NULL);
		app_pushf(s, APP_LINE_ERROR, "history kept in memory only: %s", safe ? safe : "");
		free(safe);
	}
}

/* Tells, in s's transcript, why history is off: the state directory's
 * refusal once per run (on the first server made), the refused history
 * file of s itself (when read: see app_open_history). */
static void app_history_told(app *a, app_srv *s)
{
	if (a->history_off) {
		char *safe = app_text_safe(a->history_off, strlen(a->history_off), NULL);
		app_pushf(s, APP_LINE_ERROR, "history off (neither read nor saved): %s",
		    safe ? safe : "");
		free(safe);
		free(a->history_off);
		a->history_off = NULL;
	}
	app_history_problem_told(s);
}

/* Returns server i's history, read now if it was not yet (the console's
 * Up, Down and Ctrl-R come through here), saying why when it was refused. */
app_history *app_history_of(app *a, size_t i)
{
	if (!a || i >= a->n)
		return NULL;
	app_srv *s = a->srv[i];
	app_history_need(s->pub.history);
	app_history_problem_told(s);
	return s->pub.history;
}

/* Points every server at its profile again: rc_config_add() and
 * rc_config_remove() move the config's array, and app_server.profile points
 * into it.  Servers whose profile is not in the config keep their pointer.
 * Unless forced, nothing is done while the array's address and length are
 * unchanged (so adding 1,000 servers is not quadratic). */
static void app_repoint(app *a, bool force)
{
	rc_config *cfg = a->cfg;
	if (!cfg || (!force && cfg->servers == a->cfg_base && cfg->n_servers == a->cfg_n))
		return;
	for (size_t i = 0; i < a->n; i++) {
		app_srv *s = a->srv[i];
		if (s->cfg_index < 0)
			continue;
		rc_profile *p = (size_t)s->cfg_index < cfg->n_servers ? &cfg->servers[s->cfg_index] : NULL;
		if (!p || strcmp(p->name, s->pub.name) != 0)
			p = rc_config_find(cfg, s->pub.name);
		if (p) {
			s->pub.profile = p;
			s->cfg_index = (long)(p - cfg->servers);
		}
	}
	a->cfg_base = cfg->servers;
	a->cfg_n = cfg->n_servers;
}

/* Re-points every server's profile into the config after it changed. */
void app_config_changed(app *a)
{
	if (a)
		app_repoint(a, true);
}

/* Makes room for one more server pointer. */
static int app_grow(app *a)
{
	if (a->n < a->cap)
		return 0;
	size_t cap = a->cap ? a->cap * 2 : 8;
	app_srv **p = realloc(a->srv, cap * sizeof(*p));
	if (!p)
		return RC_ENOMEM;
	a->srv = p;
	a->cap = cap;
	return 0;
}

/* Creates s's connection from its profile; returns 0 or RC_E*. */
static int app_make_conn(app *a, app_srv *s, const rc_profile *p, const char *password)
{
	rc_conn_opts o;
	char port[16];
	rc_conn_opts_init(&o);
	rc_profile_conn_opts(p, &o, port, sizeof(port));
	o.name = p->name;
	o.reconnect = true;
	if (a->opts.timeout_ms > 0)    /* the command line's, over the profile's */
		o.connect_timeout_ms = o.auth_timeout_ms = o.command_timeout_ms = a->opts.timeout_ms;
	if (a->opts.dialect_set)
		o.dialect = a->opts.dialect;
	/* Read-only can only be added here, never removed; the allowlist is
	 * the profile's own only when the profile says read_only itself. */
	o.read_only = o.read_only || p->read_only || a->opts.read_only;
	char **allow = NULL;
	if (rc_profile_conn_allow(p, &o, &allow) < 0)
		return RC_ENOMEM;
	for (size_t i = 0; o.read_only && !p->read_only && i < p->n_allow; i++) {
		const char *e = p->readonly_allow[i];
		if (!e || rc_policy_entry_kept(e))
			continue;
		char *safe = app_text_safe(e, strlen(e), NULL);
		app_pushf(s, APP_LINE_ERROR, "read-only: readonly_allow entry '%s' is outside the "
		    "default allowlist and allows nothing", safe ? safe : "");
		free(safe);
	}
	o.password = password ? password : p->password;
	if (!o.password)
		o.password = "";
	s->timeout_ms = o.command_timeout_ms > 0 ? o.command_timeout_ms : 10000;
	s->source = o.dialect == RC_DIALECT_SOURCE;
	s->max_cmd = RC_DIALECT_BODY_MAX(o.dialect);
	int err = RC_EINVAL;
	s->pub.conn = rc_conn_new_err(a->loop, &o, app_event_on_conn, s, &err);
	rc_policy_list_free(allow);
	if (!s->pub.conn)
		return err;
	s->pub.read_only = rc_conn_read_only(s->pub.conn) || o.read_only;
	return 0;
}

/* Makes a server for p with everything but its connection (not yet in the
 * app's list); NULL with err filled and the RC_E* in *rc (no name or host,
 * duplicate name, out of memory). */
static app_srv *app_srv_make(app *a, const rc_profile *p, char *err, size_t cap, int *rc)
{
	*rc = RC_EINVAL;
	if (!a || !p || !p->name || !p->host) {
		snprintf(err, cap, "a server needs a name and a host");
		return NULL;
	}
	app_repoint(a, false);
	if (app_find(a, p->name) >= 0) {
		snprintf(err, cap, "server '%s' is already open", p->name);
		return NULL;
	}
	*rc = RC_ENOMEM;
	app_srv *s = app_grow(a) < 0 ? NULL : calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	s->a = a;
	s->pub.profile = p;
	s->cfg_index = -1;
	if (a->cfg && p >= a->cfg->servers && p < a->cfg->servers + a->cfg->n_servers)
		s->cfg_index = (long)(p - a->cfg->servers);
	s->pub.state = RC_STATE_IDLE;
	s->pub.rtt_us = -1;
	s->pub.retry_at_ms = -1;
	s->pub.health.up_since_ms = -1;
	s->pub.health.rtt_max_us = -1;
	s->pub.refresh_s = app_setting(a, p, APP_SET_REFRESH);
	s->pub.read_only = p->read_only || a->opts.read_only;
	s->timeout_ms = 10000;
	s->max_cmd = 1446;
	s->pub.name = strdup(p->name);
	s->list_command = strdup(p->list_command && *p->list_command ? p->list_command : "list");
	s->pub.log = app_ring_new(a->scrollback);
	s->pub.history = app_open_history(a, p->name);
	if (!s->pub.name || !s->list_command || !s->pub.log || !s->pub.history) {
		app_srv_free(s);
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	app_history_told(a, s);
	app_audit_attach(s);
	*rc = 0;
	return s;
}

/* Turns refresh off (with a note) when s's list command can never be sent. */
static void app_check_refresh(app_srv *s)
{
	int chk = rc_conn_check(s->pub.conn, s->list_command);
	if (s->pub.refresh_s > 0 && chk < 0 && chk != RC_ENOTREADY) {
		char *safe = app_text_safe(s->list_command, strlen(s->list_command), NULL);
		app_pushf(s, APP_LINE_INFO, "player list refresh off: '%s' %s", safe ? safe : "",
		    chk == RC_EREADONLY ? "is not allowed in read-only mode" : "cannot be sent");
		free(safe);
		s->pub.refresh_s = 0;
	}
}

/* Says why no connection could be made (see app.h). */
const char *app_conn_refusal(int rc, rc_dialect dialect, const char *host, char *buf, size_t cap)
{
	if (rc == RC_ETOOLONG)
		snprintf(buf, cap, "the password is longer than the %d bytes one login can carry",
		    RC_DIALECT_BODY_MAX(dialect));
	else if (rc == RC_ENOMEM)
		snprintf(buf, cap, "out of memory");
	else
		snprintf(buf, cap, "invalid connection settings (host '%s')", host ? host : "");
	return buf;
}

/* Adds a server from a profile with its resolved password (the connection
 * keeps the only copy and wipes it when freed).  Returns its index, or a
 * negative RC_E* with err filled.  After app_start() it starts at once. */
int app_add(app *a, const rc_profile *p, const char *password, char *err, size_t cap)
{
	int rc;
	app_srv *s = app_srv_make(a, p, err, cap, &rc);
	if (!s)
		return rc;
	rc = app_make_conn(a, s, p, password);
	if (rc < 0) {
		app_srv_free(s);
		app_conn_refusal(rc, p->dialect, p->host, err, cap);
		return rc;
	}
	size_t idx = app_insert(a, s);
	app_check_refresh(s);
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
	if (a->started) {
		rc_conn_start(s->pub.conn);
		app_tail_start(s);
	}
	return (int)idx;
}

/* Returns err (may be NULL) without the "name: " rc_profile_password() puts in front. */
static const char *app_unprefixed(const char *err, const char *name)
{
	size_t n = strlen(name);
	if (!err)
		return NULL;
	return strncmp(err, name, n) == 0 && err[n] == ':' && err[n + 1] == ' ' ? err + n + 2 : err;
}

/* Marks s unavailable for a configuration error: FAILED, RC_ECONFIG, the
 * sanitised reason as its cause, and one error line saying what to do. */
static void app_set_config_error(app_srv *s, const char *why)
{
	if (!why || !*why)
		why = "the password cannot be read";
	const rc_profile *p = s->pub.profile;
	bool unset = p && p->password_env && !p->password_file && !getenv(p->password_env);
	char *var = unset ? app_text_safe(p->password_env, strlen(p->password_env), NULL) : NULL;
	free(s->pub.cause);
	if (var) {
		/* The reason itself, without the command line's advice that why
		 * carries (run rconsole again...): the console gives its own. */
		if (asprintf(&s->pub.cause, "environment variable %s is not set", var) < 0)
			s->pub.cause = NULL;
	} else {
		s->pub.cause = app_text_safe(why, strlen(why), NULL);
	}
	s->pub.err = RC_ECONFIG;
	s->pub.state = RC_STATE_FAILED;
	s->pub.retry_at_ms = -1;
	char *name = app_text_safe(s->pub.name, strlen(s->pub.name), NULL);
	if (unset) {
		/* Nothing to fix in a file: the variable belongs to rconsole's start. */
		app_pushf(s, APP_LINE_ERROR, "config error: %s \u2014 restart rconsole with %s set, "
		    "or use :connect %s to type the password", s->pub.cause ? s->pub.cause : "",
		    var ? var : "", name ? name : "");
		free(var);
	} else {
		app_pushf(s, APP_LINE_ERROR, "config error: %s \u2014 fix it and use :connect %s "
		    "(or type the password there)", s->pub.cause ? s->pub.cause : "", name ? name : "");
	}
	free(name);
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
}

/* Adds a server whose profile cannot be used (see app.h): no connection,
 * FAILED with RC_ECONFIG and why as its cause, until app_connect() manages
 * to resolve its password.  Returns its index, or a negative RC_E*. */
int app_add_unavailable(app *a, const rc_profile *p, const char *why, char *err, size_t cap)
{
	int rc;
	app_srv *s = app_srv_make(a, p, err, cap, &rc);
	if (!s)
		return rc;
	size_t idx = app_insert(a, s);
	app_set_config_error(s, app_unprefixed(why, p->name));
	if (a->started)
		app_tail_start(s);
	return (int)idx;
}

/* Gives an unavailable server its connection (not started) with password;
 * returns 0, or RC_ECONFIG after setting its error. */
static int app_give_conn(app *a, app_srv *s, const char *password)
{
	int rc = app_make_conn(a, s, s->pub.profile, password);
	if (rc < 0) {
		char why[200];
		app_set_config_error(s, app_conn_refusal(rc, s->pub.profile->dialect,
		    s->pub.profile->host, why, sizeof why));
		return RC_ECONFIG;
	}
	free(s->pub.cause);
	s->pub.cause = NULL;
	s->pub.err = 0;
	s->pub.state = RC_STATE_IDLE;
	app_check_refresh(s);
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
	return 0;
}

/* Resolves an unavailable server's password again and, when it can be had
 * now, gives the server its connection (not started).  Returns 0 or RC_E*
 * after writing one error line. */
static int app_revive(app *a, app_srv *s)
{
	char *password = NULL;
	char err[1200];
	err[0] = '\0';
	char warn[1200];
	/* Inside the loop: only a regular file, which never blocks (a FIFO's
	 * writer could keep the console waiting forever). */
	int rc = rc_profile_password_load(s->pub.profile, RC_PWFILE_REGULAR, &password, err,
	    sizeof(err), warn, sizeof(warn));
	if (rc < 0) {
		app_set_config_error(s, app_unprefixed(err, s->pub.name));
		return RC_ECONFIG;
	}
	if (warn[0])
		app_note(a, (size_t)app_find(a, s->pub.name), APP_LINE_ERROR, "warning: %s", warn);
	rc = app_give_conn(a, s, password);
	explicit_bzero(password, strlen(password));
	free(password);
	return rc;
}

/* Gives an unavailable server its connection with a password typed by the
 * user and starts it (see app.h). */
int app_connect_password(app *a, size_t i, const char *password)
{
	if (!a || i >= a->n || !password)
		return RC_EINVAL;
	app_srv *s = a->srv[i];
	if (s->pub.conn && rc_conn_state(s->pub.conn) == RC_STATE_AUTH_FAILED) {
		/* Its password was refused: the typed one replaces it (a key
		 * handler, not the connection's callback: freeing is safe). */
		rc_conn_free(s->pub.conn);
		s->pub.conn = NULL;
	}
	if (s->pub.conn)
		return app_connect(a, i);
	int rc = app_give_conn(a, s, password);
	return rc < 0 ? rc : app_connect(a, i);
}

/* Descriptors the console holds beside its connections' (fdlimit_conn):
 * its loop, the terminal, and history, audit and cache files opened in
 * passing. */
#define APP_FD_SPARE 32

/* Says, on the first server's transcript, when the descriptor limit (the
 * soft one raised as far as the hard one allows) cannot hold a connection
 * to every server: without it, the servers past the limit would fail one by
 * one with "Too many open files" and nothing would say why or what to do. */
static void app_fd_check(app *a)
{
	if (a->n == 0)
		return;
	size_t need = APP_FD_SPARE;
	for (size_t i = 0; i < a->n; i++) {
		const rc_profile *p = a->srv[i]->pub.profile;
		need += p ? fdlimit_conn(p->host, p->ssh || p->proxy_command) : 1;
	}
	size_t limit = fdlimit_raise(need);
	if (limit == 0 || limit >= need)
		return;
	app_pushf(a->srv[0], APP_LINE_ERROR, "the descriptor limit is %zu (hard limit %zu), too "
	    "few for %zu servers (%zu needed): the servers past it fail with \"Too many open "
	    "files\"; raise it (ulimit -n %zu) and start rconsole again", limit, fdlimit_hard(),
	    a->n, need, need);
}

/* Starts every server's connection and log following. */
void app_start(app *a)
{
	if (!a)
		return;
	app_fd_check(a);
	a->started = true;
	for (size_t i = 0; i < a->n; i++) {
		if (a->srv[i]->pub.conn && rc_conn_state(a->srv[i]->pub.conn) == RC_STATE_IDLE)
			rc_conn_start(a->srv[i]->pub.conn);
		app_tail_start(a->srv[i]);
	}
}

/* Returns how many servers there are. */
size_t app_count(const app *a)
{
	return a ? a->n : 0;
}

/* Returns server i, or NULL. */
app_server *app_get(app *a, size_t i)
{
	return a && i < a->n ? &a->srv[i]->pub : NULL;
}

/* Returns the index of the server called name, or -1. */
int app_find(const app *a, const char *name)
{
	size_t at;
	if (a && name && a->by_name && names_count(a->by_name) == a->n)
		return names_get(a->by_name, name, &at) ? (int)at : -1;
	for (size_t i = 0; a && name && i < a->n; i++)
		if (strcmp(a->srv[i]->pub.name, name) == 0)
			return (int)i;
	return -1;
}

/* Brings the index ignoring case up to date: the servers added since the
 * last look-up go in under their names in lower case, each one that shares
 * another's chained after it (fold_next).  It is made on the first look-up,
 * not at start-up, which only the console's :add name question needs.  A
 * name too long or no memory drops it for good, and look-ups scan. */
static bool app_fold_index(app *a)
{
	if (a->fold_off)
		return false;
	if (!a->by_fold && !(a->by_fold = names_new(a->n)))
		goto off;
	for (; a->n_fold < a->n; a->n_fold++) {
		app_srv *s = a->srv[a->n_fold];
		char fold[256];
		size_t first;
		if (!app_fold_name(s->pub.name, fold, sizeof fold) || !(s->fold = strdup(fold)))
			goto off;
		if (names_get(a->by_fold, s->fold, &first)) {
			app_srv *o = a->srv[first];
			while (o->fold_next != SIZE_MAX)
				o = a->srv[o->fold_next];
			o->fold_next = a->n_fold;
		} else if (names_put(a->by_fold, s->fold, a->n_fold) < 0) {
			goto off;
		}
	}
	return true;
off:
	names_free(a->by_fold);
	a->by_fold = NULL;
	a->fold_off = true;
	return false;
}

/* Returns the index of the first server other than skip whose name equals
 * name ignoring ASCII case, or -1. */
int app_find_fold(app *a, const char *name, long skip)
{
	if (!a || !name)
		return -1;
	if (app_fold_index(a)) {
		char fold[256];
		size_t at;
		/* Every indexed name fits: a longer one matches none. */
		if (!app_fold_name(name, fold, sizeof fold) || !names_get(a->by_fold, fold, &at))
			return -1;
		for (; at != SIZE_MAX; at = a->srv[at]->fold_next)
			if ((long)at != skip)
				return (int)at;
		return -1;
	}
	for (size_t i = 0; i < a->n; i++)
		if ((long)i != skip && strcasecmp(a->srv[i]->pub.name, name) == 0)
			return (int)i;
	return -1;
}

/* Returns the config the app was made with. */
rc_config *app_config(app *a)
{
	return a ? a->cfg : NULL;
}

/* Returns a counter bumped by every change. */
uint64_t app_gen(const app *a)
{
	return a ? a->gen : 0;
}

/* ---- history ---- */

/* Saves every changed history now.  Returns 0 or the first error. */
int app_save_histories(app *a)
{
	int first = 0;
	for (size_t i = 0; a && i < a->n; i++) {
		app_srv *s = a->srv[i];
		int rc = app_history_save(s->pub.history);
		if (rc < 0 && first == 0)
			first = rc;
		const char *why = rc < 0 ? app_history_new_error(s->pub.history) : NULL;
		if (why) {
			/* Once per run of failures, not once per entry. */
			char *safe = app_text_safe(why, strlen(why), NULL);
			app_pushf(s, APP_LINE_ERROR, "history not saved: %s", safe ? safe : "");
			free(safe);
		}
	}
	return first;
}

/* Saves histories a moment after they changed (one timer for all servers). */
static int64_t app_on_save_timer(rc_loop *loop, void *arg)
{
	app *a = arg;
	a->save_timer = 0;
	app_save_histories(a);
	return RC_TIMER_DONE;
}

/* Adds line to s's history and schedules a save. */
static void app_srv_remember(app_srv *s, const char *line)
{
	app_history_add(app_history_of(s->a, s->index), line);
	if (!s->a->save_timer)
		s->a->save_timer = rc_loop_add_timer(s->a->loop, APP_SAVE_DELAY_MS, app_on_save_timer, s->a);
}

/* Adds a typed line to server i's history (for lines the caller handles
 * itself, such as ":all say hi") and schedules the save. */
void app_remember(app *a, size_t i, const char *line)
{
	if (a && i < a->n && line)
		app_srv_remember(a->srv[i], line);
}

/* ---- commands ---- */

/* Returns true for the bytes trimmed around a typed line. */
static bool app_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Returns true when cmd is the server's list command (ignoring case). */
static bool app_is_list(const app_srv *s, const char *cmd)
{
	return strcasecmp(cmd, s->list_command) == 0;
}

/* Returns true for the commands that take a player off the server as they
 * run (vanilla's kick, ban and ban-ip, under an optional '/' and
 * namespace): once one is answered the player list is asked again, so the
 * panel does not show the player for a whole refresh period more.  Exact
 * case, as the server matches them. */
static bool app_moves_players(const char *cmd)
{
	static const char *const moving[] = { "kick", "ban", "ban-ip" };
	const char *name = rc_mc_command_name(cmd + (*cmd == '/'));
	size_t len = strcspn(name, " ");
	for (size_t i = 0; i < sizeof moving / sizeof moving[0]; i++)
		if (len == strlen(moving[i]) && strncmp(name, moving[i], len) == 0)
			return true;
	return false;
}

/* Reserves a slot for one more pending command. */
static int app_pending_grow(app_srv *s)
{
	if (s->n_pend < s->cap_pend)
		return 0;
	size_t cap = s->cap_pend ? s->cap_pend * 2 : 4;
	app_pending *p = realloc(s->pend, cap * sizeof(*p));
	if (!p)
		return RC_ENOMEM;
	s->pend = p;
	s->cap_pend = cap;
	return 0;
}

/* Writes "> cmd" into s's transcript. */
void app_cmd_line(app_srv *s, const char *cmd)
{
	char *safe = app_text_safe(cmd, strlen(cmd), NULL);
	if (safe)
		app_pushf(s, APP_LINE_CMD, "> %s", safe);
	free(safe);
}

/* Writes "[name] " + line into a broadcast's pane (echo), when there is one. */
void app_echo_line(app_srv *echo, const app_srv *s, enum app_line_kind kind, const char *line)
{
	if (!echo || !line)
		return;
	char *name = app_text_safe(s->pub.name, strlen(s->pub.name), NULL);
	app_pushf(echo, kind, "[%s] %s", name ? name : "", line);
	free(name);
}

/* Sends cmd and records it as pending; its "> cmd" line is written once it
 * goes on the wire (at once when nothing of the user's is ahead of it, else
 * when the command before it is answered: app_show_next), so each reply
 * lands under its command.  A refusal is written at once, after "> cmd".
 * echo (NULL = none) is the pane a broadcast was typed in; it gets the
 * reply's lines too, and s's own log none of them when s is that pane.
 * Returns 0 or the RC_E* refusal. */
static int app_send_user(app_srv *s, const char *cmd, app_srv *echo, int origin)
{
	bool own = echo != s;
	char *copy = s->pub.conn ? strdup(cmd) : NULL;
	int rc = !s->pub.conn ? RC_ECONFIG : copy ? app_pending_grow(s) : RC_ENOMEM;
	uint64_t id = 0;
	if (rc == 0)
		rc = rc_conn_send(s->pub.conn, cmd, &app_tag_user, &id);
	if (rc < 0) {
		free(copy);
		app_audit_refused(s, origin, cmd, rc);
		if (own) {
			app_cmd_line(s, cmd);
			app_text_refusal(s, rc, cmd);
		}
		if (echo) {
			char *msg = app_text_refusal_msg(s, rc, cmd, echo == s);
			app_echo_line(echo, s, APP_LINE_ERROR, msg);
			free(msg);
		}
		return rc;
	}
	bool first = s->n_pend == 0;
	s->pend[s->n_pend++] = (app_pending){
		.id = id, .cmd = copy, .is_list = app_is_list(s, cmd),
		.is_stop = rc_mc_is_stop(cmd), .moves_players = app_moves_players(cmd),
		.own = own, .shown = first, .split = app_split_for(cmd, s->list_command), .echo = echo,
		.issued = (int64_t)time(NULL), .origin = origin,
	};
	if (first && own) {
		app_cmd_line(s, cmd);
		s->pend[s->n_pend - 1].shown_at = app_ring_last(s->pub.log);
	}
	if (rc_mc_is_stop(cmd))
		s->stop_sent = true;
	s->pub.user_inflight = (unsigned)s->n_pend;
	app_touch(s, APP_DIRTY_STATUS);
	return 0;
}

/* Trims line into a malloc'd command: blanks on both sides, then one
 * leading '/'.  *typed gets the line without the blanks (for history). */
static char *app_trim(const char *line, char **typed)
{
	size_t len = strlen(line);
	while (len > 0 && app_is_blank(line[len - 1]))
		len--;
	const char *p = line;
	while (p < line + len && app_is_blank(*p))
		p++;
	*typed = strndup(p, (size_t)(line + len - p));
	if (p < line + len && *p == '/')
		p++;
	return strndup(p, (size_t)(line + len - p));
}

/* Runs line on server i; adds it to that server's history when remember;
 * echo is the pane of a broadcast (NULL = none); origin is for the audit log. */
static int app_run(app *a, size_t i, const char *line, bool remember, app_srv *echo, int origin)
{
	if (!a || i >= a->n || !line)
		return RC_EINVAL;
	app_srv *s = a->srv[i];
	char *typed = NULL;
	char *cmd = app_trim(line, &typed);
	int rc;
	if (!cmd || !typed) {
		rc = RC_ENOMEM;
	} else if (*cmd == '\0') {
		rc = RC_EINVAL;    /* an empty line does nothing at all */
	} else {
		if (remember)
			app_srv_remember(s, typed);
		rc = app_send_user(s, cmd, echo, origin);
	}
	free(cmd);
	free(typed);
	return rc;
}

/* Runs a line typed by the user on server i (see app.h). */
int app_command(app *a, size_t i, const char *line)
{
	return app_run(a, i, line, true, NULL, APP_AUDIT_CONSOLE);
}

/* Runs a player action's command on server i (see app.h). */
int app_action(app *a, size_t i, const char *cmd)
{
	return app_run(a, i, cmd, true, NULL, APP_AUDIT_ACTION);
}

/* Returns true when server s carries tag (ASCII case-insensitive). */
bool app_has_tag(const app_server *s, const char *tag)
{
	for (size_t k = 0; s && tag && s->profile && k < s->profile->n_tags; k++)
		if (strcasecmp(s->profile->tags[k], tag) == 0)
			return true;
	return false;
}

/* Runs cmd on every server (tag NULL) or on those carrying tag; returns how
 * many accepted it (the typed ":all" line belongs in the caller's history). */
int app_broadcast(app *a, const char *tag, const char *cmd)
{
	return app_broadcast_from(a, -1, tag, cmd, NULL);
}

/* Runs cmd like app_broadcast(), and gathers what comes back in server
 * origin's transcript too; *queued (when not NULL) counts the accepted
 * ones that wait behind another command (see app.h). */
int app_broadcast_from(app *a, long origin, const char *tag, const char *cmd, int *queued)
{
	if (queued)
		*queued = 0;
	if (!a || !cmd)
		return RC_EINVAL;
	app_srv *echo = origin >= 0 && (size_t)origin < a->n ? a->srv[origin] : NULL;
	if (echo) {
		char *safe = app_text_safe(cmd, strlen(cmd), NULL);
		char *tg = tag ? app_text_safe(tag, strlen(tag), NULL) : NULL;
		if (tag)
			app_pushf(echo, APP_LINE_CMD, "> :tag %s %s", tg ? tg : "", safe ? safe : "");
		else
			app_pushf(echo, APP_LINE_CMD, "> :all %s", safe ? safe : "");
		free(safe);
		free(tg);
	}
	int accepted = 0;
	for (size_t i = 0; i < a->n; i++) {
		if (tag && !app_has_tag(&a->srv[i]->pub, tag))
			continue;
		if (!a->srv[i]->pub.conn) {
			/* Unavailable: never sent; its own error line is enough there. */
			if (echo)
				app_echo_line(echo, a->srv[i], APP_LINE_ERROR, "not sent: configuration error");
			app_audit_refused(a->srv[i], APP_AUDIT_BROADCAST, cmd, RC_ECONFIG);
			continue;
		}
		/* Idle now: it goes on the wire at once, else it waits its turn
		 * and may still fail unsent (the connection drops first). */
		bool waits = !app_srv_idle(a->srv[i]);
		if (app_run(a, i, cmd, false, echo, APP_AUDIT_BROADCAST) == 0) {
			accepted++;
			if (queued && waits)
				(*queued)++;
		}
	}
	return accepted;
}

/* Connects server i (user action): retries at once from any stopped or
 * waiting state; a connection already up or on its way is left alone. */
int app_connect(app *a, size_t i)
{
	if (!a || i >= a->n)
		return RC_EINVAL;
	app_srv *s = a->srv[i];
	if (!s->pub.conn) {
		int rc = app_revive(a, s);
		if (rc < 0)
			return rc;
	}
	switch (rc_conn_state(s->pub.conn)) {
	case RC_STATE_IDLE:
	case RC_STATE_BACKOFF:
	case RC_STATE_AUTH_FAILED:
	case RC_STATE_FAILED:
		break;
	default:
		return 0;
	}
	app_event_forget_outage(s);
	const char *host = s->pub.profile->host;
	bool v6 = strchr(host, ':') != NULL;    /* [::1]:25575, as it is typed */
	app_pushf(s, APP_LINE_STATE, "connecting to %s%s%s:%d", v6 ? "[" : "", host, v6 ? "]" : "",
	    s->pub.profile->port);
	int rc = rc_conn_start(s->pub.conn);
	if (rc < 0)
		app_pushf(s, APP_LINE_ERROR, "cannot connect: %s", rc_strerror(rc));
	return rc;
}

/* Disconnects server i (user action); it stays down until app_connect(). */
void app_disconnect(app *a, size_t i)
{
	if (!a || i >= a->n)
		return;
	app_srv *s = a->srv[i];
	if (!s->pub.conn || rc_conn_state(s->pub.conn) == RC_STATE_IDLE)
		return;    /* no connection (configuration error) or already down */
	s->user_stop = true;
	rc_conn_stop(s->pub.conn);
	s->user_stop = false;
}

/* ---- activity ---- */

/* Returns and clears the OR of every server's dirty bits since the last call. */
unsigned app_take_dirty(app *a)
{
	if (!a)
		return 0;
	unsigned d = a->dirty;
	if (a->dirty_all) {
		for (size_t i = 0; i < a->n; i++)
			a->srv[i]->pub.dirty = 0;
		a->dirty_taken += a->n;
	} else {
		for (size_t i = 0; i < a->n_dirty; i++)
			a->dirty_list[i]->pub.dirty = 0;
		a->dirty_taken += a->n_dirty;
	}
	a->n_dirty = 0;
	a->dirty_all = false;
	a->dirty = 0;
	return d;
}

/* Returns the OR of the dirty bits, since the last app_take_dirty(), of the
 * servers first .. first+count-1 and of server sel: what a screen showing
 * only those needs to redraw.  Costs the servers that changed. */
unsigned app_dirty_shown(const app *a, size_t first, size_t count, size_t sel)
{
	if (!a)
		return 0;
	if (a->dirty_all)
		return a->dirty;
	unsigned d = 0;
	for (size_t i = 0; i < a->n_dirty; i++) {
		const app_srv *s = a->dirty_list[i];
		if (s->index == sel || (s->index >= first && s->index - first < count))
			d |= s->pub.dirty;
	}
	return d;
}

/* Marks server i's transcript as seen (clears its activity marker). */
void app_mark_seen(app *a, size_t i)
{
	if (!a || i >= a->n)
		return;
	app_srv *s = a->srv[i];
	uint64_t last = app_ring_last(s->pub.log);
	if (s->pub.alert != APP_EV_NONE) {
		s->pub.alert = APP_EV_NONE;
		app_touch(s, APP_DIRTY_SERVERS);
	}
	if (s->pub.seen_seq != last) {
		s->pub.seen_seq = last;
		app_touch(s, APP_DIRTY_SERVERS);
	}
}

/* Returns how many transcript lines of server i the user has not seen. */
uint64_t app_unseen(const app *a, size_t i)
{
	if (!a || i >= a->n)
		return 0;
	const app_server *s = &a->srv[i]->pub;
	uint64_t last = app_ring_last(s->log);
	return last > s->seen_seq ? last - s->seen_seq : 0;
}

/* Returns the next server after i (wrapping, i itself last) with unseen
 * lines, or -1. */
int app_next_active(const app *a, size_t i)
{
	if (!a || a->n == 0)
		return -1;
	for (size_t k = 1; k <= a->n; k++) {
		size_t j = (i + k) % a->n;
		if (app_unseen(a, j) > 0)
			return (int)j;
	}
	return -1;
}

/* Returns true for a server added with app_add_unavailable() that has no
 * connection yet (its profile could not be used). */
bool app_unavailable(const app_server *s)
{
	return !s->conn && s->err == RC_ECONFIG;
}

/* Returns true when s's read-only gate would let cmd through. */
bool app_read_only_allows(const app_server *s, const char *cmd)
{
	if (!s->read_only)
		return true;
	return s->conn && rc_conn_check(s->conn, cmd) != RC_EREADONLY;
}

/* Returns the ms from now until s's next reconnect attempt, -1 when it is
 * not waiting to reconnect. */
static int64_t app_retry_left(const app_server *s, int64_t now)
{
	if (s->state != RC_STATE_BACKOFF || s->retry_at_ms < 0)
		return -1;
	int64_t left = s->retry_at_ms - now;
	return left < 0 ? 0 : left;
}

/* Returns the whole seconds until s's next reconnect attempt, said as the
 * log line said them (app_text_secs: the nearest second, never 0 while
 * waiting), so the live countdown starts where "reconnecting in N s" did;
 * 0 when it is not waiting to reconnect. */
int app_retry_seconds(const app_server *s)
{
	int64_t left = app_retry_left(s, rc_now_ms());
	return left > 0 ? (int)app_text_secs(left) : 0;
}

/* Returns the ms from now until app_retry_seconds(s) changes (the
 * countdown's next redraw), -1 when s is not waiting to reconnect. */
int64_t app_retry_change_ms(const app_server *s, int64_t now)
{
	int64_t left = app_retry_left(s, now);
	if (left < 0)
		return -1;
	if (left == 0)
		return 1000;    /* due: the attempt's state change redraws it sooner */
	if (left < 1500)
		return left;    /* "1 s" until the attempt */
	/* N s from N + 0.5 down to N - 0.5 s: the next change is at N - 0.5. */
	return (left + 500) % 1000 + 1;
}

/* Writes a short state text for the server list and status bar into buf. */
const char *app_status_text(const app_server *s, char *buf, size_t cap)
{
	if (!s || cap == 0)
		return buf;
	if (app_unavailable(s)) {
		snprintf(buf, cap, "config error");
		return buf;
	}
	switch (s->state) {
	case RC_STATE_BACKOFF:
		snprintf(buf, cap, "reconnecting in %d s", app_retry_seconds(s));
		break;
	case RC_STATE_RESOLVING:
	case RC_STATE_CONNECTING:
	case RC_STATE_AUTHENTICATING:
		snprintf(buf, cap, "connecting");
		break;
	case RC_STATE_IDLE:
		snprintf(buf, cap, "disconnected");
		break;
	default:
		snprintf(buf, cap, "%s", rc_state_name(s->state));
		break;
	}
	return buf;
}
