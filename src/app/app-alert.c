/* app-alert.c: alerts (issue 12) — a server went down, came back, refused
 * the password, fell below tps_crit, or a watched player joined or left.
 *
 * Each event marks the server's row (app_server.alert, cleared when the
 * user looks at the server), rings the terminal bell when the profile says
 * bell = true (the TUI takes the rings with app_take_bells), and runs the
 * profile's on_event hook:
 *   - started with posix_spawn (no shell: argv is just the path), stdin,
 *     stdout and stderr on /dev/null, other descriptors closed, no signal
 *     blocked and SIGPIPE/SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGCHLD at their
 *     defaults, with
 *     RCONSOLE_EVENT (down|up|auth|tps|join|leave), RCONSOLE_SERVER (the
 *     profile name) and RCONSOLE_DETAIL (the cause, the figure or the
 *     player) added to the environment; every variable a profile names as
 *     password_env, and RCON_PASSWORD and MCRCON_PASS, are left out of it,
 *     and the password itself is never put there;
 *   - never waited for: SIGCHLD (through the loop's signal pipe) reaps it
 *     with waitpid on its own pid, never anyone else's child;
 *   - at most one running per server, and at most one start per
 *     alert_interval seconds (default 60): an event that comes sooner is
 *     kept (the latest one wins) and runs when the interval is over and the
 *     previous hook has ended, so a flapping server runs the hook once per
 *     interval and the last state still gets reported.
 * A hook that cannot be started, or exits with a status other than 0, gets
 * one error line in the server's transcript. */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/app-int.h"

extern char **environ;

#define ALERT_DETAIL_MAX 200

/* The names of the events, by enum app_event. */
static const char *const alert_names[] = {
	[APP_EV_NONE] = "", [APP_EV_DOWN] = "down", [APP_EV_UP] = "up", [APP_EV_AUTH] = "auth",
	[APP_EV_TPS] = "tps", [APP_EV_JOIN] = "join", [APP_EV_LEAVE] = "leave",
};

/* One server's alert state. */
struct app_alert {
	pid_t pid;                 /* the running hook, 0 = none */
	int64_t last_run_ms;       /* when the hook last started; -1 = never */
	enum app_event pending;    /* an event waiting for the interval, NONE = none */
	char detail[ALERT_DETAIL_MAX];
	rc_timer_id timer;         /* runs the pending event */
	bool down;                 /* a down (or auth) event was the last state reported */
	int level;                 /* the last health level seen (app_health_level) */
};

/* Returns the name of an event ("down", ...). */
const char *app_event_name(enum app_event ev)
{
	return (size_t)ev < sizeof alert_names / sizeof alert_names[0] ? alert_names[ev] : "";
}

/* Returns s's alert state, made on first use; NULL when out of memory. */
static struct app_alert *alert_of(app_srv *s)
{
	if (!s->alert) {
		s->alert = calloc(1, sizeof *s->alert);
		if (s->alert)
			s->alert->last_run_ms = -1;
	}
	return s->alert;
}

/* Returns s's alert_interval in ms. */
static int64_t alert_interval_ms(const app_srv *s)
{
	return (int64_t)app_setting(s->a, s->pub.profile, APP_SET_ALERT_INTERVAL) * 1000;
}

/* The variables rconsole(1) takes a password from whatever the profile says
 * (RCON_PASSWORD overrides every profile's password, so an admin may have
 * it exported while the console runs profiles with hooks). */
static const char *const alert_password_vars[] = { "RCON_PASSWORD", "MCRCON_PASS" };

/* Returns true when entry ("NAME=value") is named name. */
static bool alert_var_is(const char *entry, size_t n, const char *name)
{
	return name && strlen(name) == n && memcmp(name, entry, n) == 0;
}

/* Returns true when entry's variable may hold a password (one a profile
 * gives as password_env, or one of alert_password_vars) or is one of the
 * three the hook gets from us. */
static bool alert_secret_var(const app *a, const char *entry)
{
	const char *eq = strchr(entry, '=');
	size_t n = eq ? (size_t)(eq - entry) : strlen(entry);

	for (size_t i = 0; a->cfg && i < a->cfg->n_servers; i++)
		if (alert_var_is(entry, n, a->cfg->servers[i].password_env))
			return true;
	for (size_t i = 0; i < sizeof alert_password_vars / sizeof alert_password_vars[0]; i++)
		if (alert_var_is(entry, n, alert_password_vars[i]))
			return true;
	return n > 9 && memcmp(entry, "RCONSOLE_", 9) == 0 &&
	    (strncmp(entry, "RCONSOLE_EVENT=", 15) == 0 || strncmp(entry, "RCONSOLE_SERVER=", 16) == 0 ||
	    strncmp(entry, "RCONSOLE_DETAIL=", 16) == 0);
}

/* Builds the hook's environment: ours without secrets, plus the three
 * variables.  Returns a malloc'd array (the strings in [0..3) are malloc'd
 * too, see alert_env_free), or NULL. */
static char **alert_env(app_srv *s, enum app_event ev, const char *detail)
{
	size_t n = 0, k = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = calloc(n + 4, sizeof *env);
	if (!env)
		return NULL;
	if (asprintf(&env[0], "RCONSOLE_EVENT=%s", app_event_name(ev)) < 0)
		env[0] = NULL;
	if (asprintf(&env[1], "RCONSOLE_SERVER=%s", s->pub.name) < 0)
		env[1] = NULL;
	if (asprintf(&env[2], "RCONSOLE_DETAIL=%s", detail) < 0)
		env[2] = NULL;
	if (!env[0] || !env[1] || !env[2]) {
		free(env[0]);
		free(env[1]);
		free(env[2]);
		free(env);
		return NULL;
	}
	k = 3;
	for (size_t i = 0; i < n; i++)
		if (!alert_secret_var(s->a, environ[i]))
			env[k++] = environ[i];
	env[k] = NULL;
	return env;
}

/* Frees what alert_env made. */
static void alert_env_free(char **env)
{
	if (!env)
		return;
	free(env[0]);
	free(env[1]);
	free(env[2]);
	free(env);
}

static void alert_on_child(rc_loop *loop, int signo, void *arg);

/* Starts s's hook for ev now; writes an error line when it cannot. */
static void alert_spawn(app_srv *s, struct app_alert *al, enum app_event ev, const char *detail)
{
	const char *path = s->pub.profile ? s->pub.profile->on_event : NULL;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, def;
	char *argv[2];
	char **env;
	pid_t pid;
	int rc;

	if (!path)
		return;
	if (!s->a->child_watch) {
		if (rc_loop_watch_signal(s->a->loop, SIGCHLD, alert_on_child, s->a) < 0) {
			app_pushf(s, APP_LINE_ERROR, "on_event hook not run: cannot watch SIGCHLD");
			return;
		}
		s->a->child_watch = true;
	}
	env = alert_env(s, ev, detail);
	if (!env)
		return;
	argv[0] = (char *)path;
	argv[1] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	/* The hook starts with no signal blocked and the usual ones at their
	 * defaults, whatever the console ignores or catches. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGQUIT);
	sigaddset(&def, SIGCHLD);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, path, &fa, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	alert_env_free(env);
	al->last_run_ms = rc_now_ms();
	if (rc != 0) {
		char *safe = app_text_safe(path, strlen(path), NULL);
		app_pushf(s, APP_LINE_ERROR, "on_event hook %s could not start: %s", safe ? safe : "",
		    strerror(rc));
		free(safe);
		return;
	}
	al->pid = pid;
}

static void alert_arm(app_srv *s, struct app_alert *al);

/* Timer: the interval is over; runs the pending event when the hook is free. */
static int64_t alert_on_timer(rc_loop *loop, void *arg)
{
	app_srv *s = arg;
	struct app_alert *al = s->alert;

	(void)loop;
	al->timer = 0;
	if (al->pending != APP_EV_NONE && al->pid == 0) {
		enum app_event ev = al->pending;
		al->pending = APP_EV_NONE;
		alert_spawn(s, al, ev, al->detail);
	}
	return RC_TIMER_DONE;
}

/* Schedules the pending event of s for the end of its interval. */
static void alert_arm(app_srv *s, struct app_alert *al)
{
	int64_t wait = al->last_run_ms + alert_interval_ms(s) - rc_now_ms();

	if (al->timer || al->pid)
		return;    /* armed already, or the reaper will arm it */
	al->timer = rc_loop_add_timer(s->a->loop, wait > 0 ? wait : 0, alert_on_timer, s);
}

/* SIGCHLD: reaps every hook of the app that has ended (by its own pid). */
static void alert_on_child(rc_loop *loop, int signo, void *arg)
{
	app *a = arg;

	(void)loop;
	(void)signo;
	for (size_t i = 0; i < a->n; i++) {
		app_srv *s = a->srv[i];
		struct app_alert *al = s->alert;
		int status;
		if (!al || al->pid == 0 || waitpid(al->pid, &status, WNOHANG) != al->pid)
			continue;
		al->pid = 0;
		if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
			app_pushf(s, APP_LINE_ERROR, "on_event hook exited with status %d",
			    WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			app_pushf(s, APP_LINE_ERROR, "on_event hook killed by signal %d", WTERMSIG(status));
		if (al->pending != APP_EV_NONE)
			alert_arm(s, al);
	}
}

/* Raises event ev on s with a detail text (see the top of the file). */
void app_alert(app_srv *s, enum app_event ev, const char *detail)
{
	struct app_alert *al = alert_of(s);
	const rc_profile *p = s->pub.profile;

	if (!al)
		return;
	if (ev == APP_EV_DOWN || ev == APP_EV_AUTH)
		al->down = true;
	else if (ev == APP_EV_UP)
		al->down = false;
	s->pub.alert = ev;
	if (p && p->bell)
		s->a->bells++;
	app_touch(s, APP_DIRTY_SERVERS);
	if (!p || !p->on_event)
		return;
	if (al->pid == 0 && (al->last_run_ms < 0 ||
	    rc_now_ms() - al->last_run_ms >= alert_interval_ms(s)) && !al->timer) {
		alert_spawn(s, al, ev, detail ? detail : "");
		return;
	}
	al->pending = ev;
	snprintf(al->detail, sizeof al->detail, "%s", detail ? detail : "");
	alert_arm(s, al);
}

/* Raises down (first failure, or losing the connection) unless it was the
 * last state reported. */
void app_alert_down(app_srv *s, const char *cause)
{
	struct app_alert *al = alert_of(s);

	if (al && !al->down)
		app_alert(s, APP_EV_DOWN, cause);
}

/* Raises up after a down or auth event. */
void app_alert_up(app_srv *s)
{
	struct app_alert *al = s->alert;

	if (al && al->down)
		app_alert(s, APP_EV_UP, "");
}

/* Writes the tps event's detail into d[cap] ("15.5 TPS (tps_crit 16)") in
 * the "C" locale: the console runs in the user's (setlocale for curses),
 * whose LC_NUMERIC may write "15,5", and RCONSOLE_DETAIL is read by a
 * script.  uselocale() is this thread's alone, as in metrics_render. */
static void alert_tps_detail(const rc_mc_health *m, int crit, char *d, size_t cap)
{
	locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = c ? uselocale(c) : (locale_t)0;
	if (m->tps[0] >= 0)
		snprintf(d, cap, "%.1f TPS (tps_crit %d)", m->tps[0], crit);
	else
		snprintf(d, cap, "%.1f ms per tick (tps_crit %d)", m->mspt, crit);
	if (c) {
		uselocale(old);
		freelocale(c);
	}
}

/* Raises tps when s's health has just fallen below tps_crit. */
void app_alert_health(app_srv *s)
{
	struct app_alert *al = alert_of(s);
	int level = app_health_level(s->a, &s->pub);
	char d[64];

	if (!al)
		return;
	if (level == APP_HEALTH_CRIT && al->level != APP_HEALTH_CRIT) {
		int warn, crit;
		app_health_thresholds(s->a, &s->pub, &warn, &crit);
		alert_tps_detail(&s->pub.health.last, crit, d, sizeof d);
		app_alert(s, APP_EV_TPS, d);
	}
	al->level = level;
}

/* Returns true when name is on s's watch list. */
static bool alert_watched(const app_srv *s, const char *name)
{
	const rc_profile *p = s->pub.profile;

	for (size_t i = 0; p && i < p->n_watch; i++)
		if (strcasecmp(p->watch[i], name) == 0)
			return true;
	return false;
}

/* Raises join / leave for the watched names among those who came and went. */
void app_alert_players(app_srv *s, const char *const *joined, size_t nj,
    const char *const *left, size_t nl)
{
	for (size_t k = 0; k < nl; k++)
		if (alert_watched(s, left[k]))
			app_alert(s, APP_EV_LEAVE, left[k]);
	for (size_t k = 0; k < nj; k++)
		if (alert_watched(s, joined[k]))
			app_alert(s, APP_EV_JOIN, joined[k]);
}

/* Frees s's alert state.  A hook still running is reaped now if it has
 * ended; otherwise it is left to finish on its own. */
void app_alert_free(app_srv *s)
{
	if (!s->alert)
		return;
	if (s->alert->timer)
		rc_loop_del_timer(s->a->loop, s->alert->timer);
	if (s->alert->pid > 0)
		waitpid(s->alert->pid, NULL, WNOHANG);
	free(s->alert);
	s->alert = NULL;
}

/* Returns and clears the number of bells the console owes. */
unsigned app_take_bells(app *a)
{
	unsigned n = a ? a->bells : 0;

	if (a)
		a->bells = 0;
	return n;
}
