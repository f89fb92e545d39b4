/* test-app-alert.c: alerts against a real rconsole-mcsim — killing a server
 * runs the on_event hook once with RCONSOLE_EVENT=down and once with up when
 * it returns; a flapping server runs it at most once per alert_interval and
 * the last state still gets reported; a refused password is "auth"; the
 * hook never sees the password's variable (the profile's password_env, nor
 * RCON_PASSWORD or MCRCON_PASS, which -c and -H take); bell and row mark. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "../support/mcsim.h"
#include "../support/files.h"

#define WAIT_MS 20000

static rc_loop *loop;
static rc_config *cfg;
static char dir[256], hook[300], out[300];
static mcsim sim;

/* Per test: a loop, an empty config, a directory with the hook script. */
static void setup(void)
{
	FILE *f;

	sim.pid = -1;
	loop = rc_loop_new();
	cfg = rc_config_new(NULL);
	cr_assert(loop && cfg);
	snprintf(dir, sizeof dir, "/tmp/rconsole-alert-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(hook, sizeof hook, "%s/hook.sh", dir);
	snprintf(out, sizeof out, "%s/events", dir);
	f = fopen(hook, "w");
	cr_assert_not_null(f);
	fprintf(f, "#!/bin/sh\n"
	    "pw=clean\n"
	    "env | grep -q -e ^MC_ALERT_PW= -e ^RCON_PASSWORD= -e ^MCRCON_PASS= && pw=LEAKED\n"
	    "echo \"$RCONSOLE_EVENT|$RCONSOLE_SERVER|$pw|$(cut -d' ' -f1 /proc/uptime)|$RCONSOLE_DETAIL\""
	    " >> '%s'\n", out);
	fclose(f);
	cr_assert_eq(chmod(hook, 0700), 0);
	setenv("MC_ALERT_PW", MCSIM_PASSWORD, 1);
	setenv("RCON_PASSWORD", MCSIM_PASSWORD, 1);
	setenv("MCRCON_PASS", MCSIM_PASSWORD, 1);
}

/* Stops mcsim and removes what setup made. */
static void teardown(void)
{
	mcsim_stop(&sim);
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

TestSuite(alert, .init = setup, .fini = teardown, .timeout = 120);

static char *watch_list[] = { (char *)"notch", NULL };
static bool with_polls;   /* list refresh and health polls every second */

/* Adds a profile for mcsim with the hook and an app over it, started. */
static app *start(int interval, bool bell)
{
	rc_profile p;
	char err[256];
	app_opts o = { .refresh_override = with_polls ? 1 : 0, .health_override = with_polls ? 1 : 0,
	    .state_dir = dir };
	app *a;

	rc_profile_init(&p);
	p.watch = watch_list;
	p.n_watch = 1;
	p.name = (char *)"mc";
	p.host = (char *)"127.0.0.1";
	p.port = sim.ports[0];
	p.password_env = (char *)"MC_ALERT_PW";
	p.on_event = hook;
	p.alert_interval = interval;
	p.bell = bell;
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	cr_assert_eq(app_add(a, &cfg->servers[0], MCSIM_PASSWORD, err, sizeof err), 0, "%s", err);
	app_start(a);
	return a;
}

/* Returns the hook's output file ("" when absent), malloc'd. */
static char *events(void)
{
	FILE *f = fopen(out, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	cr_assert_not_null(buf);
	if (!f)
		return buf;
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Returns how many hook runs reported event ev. */
static int count_event(const char *ev)
{
	char *e = events(), want[32];
	int n = 0;

	snprintf(want, sizeof want, "%s|mc|", ev);
	for (char *line = e; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		n += strncmp(line, want, strlen(want)) == 0;
	free(e);
	return n;
}

/* Runs the loop until cond_ev has been reported n times; false on timeout. */
static bool wait_event(const char *ev, int n)
{
	long long deadline = mcsim_now_ms() + WAIT_MS;

	while (count_event(ev) < n) {
		if (mcsim_now_ms() > deadline)
			return false;
		rc_loop_run_once(loop, 50);
	}
	return true;
}

/* Runs the loop until server 0 is READY; false on timeout. */
static bool wait_ready(app *a)
{
	long long deadline = mcsim_now_ms() + WAIT_MS;

	while (app_get(a, 0)->state != RC_STATE_READY) {
		if (mcsim_now_ms() > deadline)
			return false;
		rc_loop_run_once(loop, 50);
	}
	return true;
}

Test(alert, down_then_up_runs_the_hook_once_each)
{
	app *a;
	int port;
	char *e;

	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	port = sim.ports[0];
	a = start(1, true);
	cr_assert(wait_ready(a));
	cr_assert_eq(count_event("up"), 0, "the first connect is no 'up'");
	app_take_bells(a);
	mcsim_stop(&sim);
	cr_assert(wait_event("down", 1), "no down event");
	cr_assert_eq(app_get(a, 0)->alert, APP_EV_DOWN, "the row is marked");
	cr_assert_geq(app_take_bells(a), 1, "bell = true rings");
	cr_assert_eq(mcsim_start_on(&sim, port, NULL), 0);
	cr_assert(wait_event("up", 1), "no up event");
	mcsim_run_loop(loop, 2500);
	cr_assert_eq(count_event("down"), 1, "down once, not once per attempt");
	cr_assert_eq(count_event("up"), 1);
	e = events();
	cr_assert(strstr(e, "down|mc|clean|") < strstr(e, "up|mc|clean|"), "%s", e);
	cr_assert_null(strstr(e, "LEAKED"), "the password variable reached the hook: %s", e);
	free(e);
	app_mark_seen(a, 0);
	cr_assert_eq(app_get(a, 0)->alert, APP_EV_NONE, "looking at it clears the mark");
	app_free(a);
}

Test(alert, flapping_runs_at_most_once_per_interval)
{
	const int interval = 4;
	app *a;
	int port;
	char *e;
	double prev = -1;
	int runs = 0;
	char last[16] = "";

	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	port = sim.ports[0];
	a = start(interval, false);
	cr_assert(wait_ready(a));
	for (int round = 0; round < 3; round++) {
		mcsim_stop(&sim);
		while (app_get(a, 0)->state == RC_STATE_READY || app_get(a, 0)->state == RC_STATE_BUSY)
			rc_loop_run_once(loop, 50);
		cr_assert_eq(mcsim_start_on(&sim, port, NULL), 0);
		cr_assert(wait_ready(a), "round %d: no reconnect", round);
	}
	/* The server is up now: the last state reported must become "up". */
	{
		long long deadline = mcsim_now_ms() + WAIT_MS;
		for (;;) {
			e = events();
			char *l = e, *nl;
			last[0] = '\0';
			while (l && *l) {
				nl = strchr(l, '\n');
				if (!nl || !nl[1]) {
					sscanf(l, "%15[^|]", last);
					break;
				}
				l = nl + 1;
			}
			free(e);
			if (strcmp(last, "up") == 0 || mcsim_now_ms() > deadline)
				break;
			rc_loop_run_once(loop, 50);
		}
	}
	cr_assert_str_eq(last, "up", "the final state was not reported");
	e = events();
	for (char *l = e; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		double t;
		cr_assert_eq(sscanf(l, "%*[^|]|%*[^|]|%*[^|]|%lf", &t), 1, "%s", l);
		if (prev >= 0)
			cr_assert_geq(t - prev, interval - 0.05, "two runs %.2f s apart: %s", t - prev, e);
		prev = t;
		runs++;
	}
	cr_assert_lt(runs, 6, "3 downs and 3 ups made %d runs", runs);
	free(e);
	app_free(a);
}

Test(alert, refused_password_is_auth)
{
	const char *args[] = { "--auth-fail", NULL };
	app *a;

	cr_assert_eq(mcsim_start(&sim, args), 0);
	a = start(0, false);
	cr_assert(wait_event("auth", 1), "no auth event");
	cr_assert_eq(app_get(a, 0)->alert, APP_EV_AUTH);
	app_free(a);
}

Test(alert, watched_player_and_low_tps)
{
	const char *args[] = { "--tps", "12", NULL };
	rcon_test *c;
	char *r, *e;
	app *a;

	cr_assert_eq(mcsim_start(&sim, args), 0);
	with_polls = true;
	a = start(0, false);
	cr_assert(wait_event("tps", 1), "no tps event at 12 TPS");
	mcsim_run_loop(loop, 2500);
	cr_assert_eq(count_event("tps"), 1, "one tps event while it stays low");
	c = rcon_test_connect(NULL, sim.ports[0]);
	cr_assert(c && rcon_test_auth(c, MCSIM_PASSWORD) == 1);
	free(rcon_test_exec(c, "sim join Steve", NULL, NULL));
	free(rcon_test_exec(c, "sim join Notch", NULL, NULL));
	cr_assert(wait_event("join", 1), "no join event for a watched player");
	free(rcon_test_exec(c, "sim leave Notch", NULL, NULL));
	cr_assert(wait_event("leave", 1), "no leave event for a watched player");
	r = rcon_test_exec(c, "sim leave Steve", NULL, NULL);
	free(r);
	mcsim_run_loop(loop, 2500);
	rcon_test_close(c);
	e = events();
	cr_assert(strstr(e, "join|mc|clean|") && strstr(e, "|Notch\n"), "%s", e);
	cr_assert_null(strstr(e, "Steve"), "an unwatched player made an event: %s", e);
	cr_assert(strstr(e, "tps|mc|clean|") && strstr(e, "12.0 TPS"), "%s", e);
	free(e);
	with_polls = false;
	app_free(a);
}
