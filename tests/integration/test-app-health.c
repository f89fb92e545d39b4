/* test-app-health.c: the health probe and polls of the session layer against
 * a real rconsole-mcsim (--health paper|vanilla|forge|none, --tps), read back
 * from mcsim's --log: the command each flavour ends up polling, at most one
 * failing health command per connection, nothing in the transcript, and the
 * TPS level against tps_warn / tps_crit. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app-int.h"   /* the scheduler's queues (a->n_sched) */
#include "../support/mcsim.h"
#include "../support/files.h"

#define WAIT_MS 15000

static rc_loop *loop;
static rc_config *cfg;
static char state_dir[256];
static mcsim sim;

/* Per test: a loop, an empty config and a private state directory. */
static void setup(void)
{
	sim.pid = -1;
	loop = rc_loop_new();
	cfg = rc_config_new(NULL);
	cr_assert(loop && cfg);
	snprintf(state_dir, sizeof state_dir, "/tmp/rconsole-health-XXXXXX");
	cr_assert_not_null(mkdtemp(state_dir));
}

/* Stops mcsim and removes what setup made. */
static void teardown(void)
{
	mcsim_stop(&sim);
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(state_dir), 0, "%s", state_dir);
}

TestSuite(health, .init = setup, .fini = teardown, .timeout = 120);

/* Starts mcsim with args, adds a profile for it and an app with options o
 * (its state directory the test's); returns the started app. */
static app *start_opts(const char *const *args, app_opts o)
{
	rc_profile p;
	char err[256];
	app *a;

	o.state_dir = state_dir;
	cr_assert_eq(mcsim_start(&sim, args), 0, "mcsim did not start");
	rc_profile_init(&p);
	p.name = (char *)"mc";
	p.host = (char *)"127.0.0.1";
	p.port = sim.ports[0];
	p.password = (char *)MCSIM_PASSWORD;
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	cr_assert_eq(app_add(a, &cfg->servers[0], NULL, err, sizeof err), 0, "%s", err);
	app_start(a);
	return a;
}

/* start_opts with health and refresh every second, no command tree. */
static app *start(const char *const *args, bool ro)
{
	app_opts o = { .read_only = ro, .refresh_override = 1, .health_override = 1, .no_tree = true };
	return start_opts(args, o);
}

/* Runs the loop until server 0 has polled (parsed) n more health replies
 * after the probe, or the probe ended without a command; false on timeout. */
static bool run_polls(app *a, int n)
{
	long long deadline = mcsim_now_ms() + WAIT_MS;
	int64_t seen = -1;
	int got = 0;

	while (mcsim_now_ms() < deadline) {
		const app_health *h = &app_get(a, 0)->health;
		if (h->probe == APP_PROBE_DONE && h->command == NULL)
			return true;
		if (h->have && h->last_ms != seen) {
			seen = h->last_ms;
			if (++got > n)
				return true;
		}
		rc_loop_run_once(loop, 50);
	}
	return false;
}

/* Returns how many transcript lines of server 0 contain needle. */
static int transcript_count(app *a, const char *needle)
{
	app_ring *r = app_get(a, 0)->log;
	int n = 0;

	for (uint64_t q = app_ring_first(r); q && q <= app_ring_last(r); q++) {
		const app_line *l = app_ring_get(r, q);
		if (l && strstr(l->text, needle))
			n++;
	}
	return n;
}

Test(health, paper_polls_tps_and_nothing_fails)
{
	const char *args[] = { "--tps", "16.5", NULL };
	app *a = start(args, false);
	const app_server *s;

	cr_assert(run_polls(a, 2), "no health polls");
	s = app_get(a, 0);
	cr_assert_str_eq(s->health.command, "tps");
	cr_assert(fabs(s->health.last.tps[0] - 16.5) < 1e-9, "%g", s->health.last.tps[0]);
	cr_assert_eq(app_health_level(a, s), APP_HEALTH_WARN, "16.5 is under tps_warn 18");
	cr_assert_geq(mcsim_log_count(&sim, "tps"), 3);
	cr_assert_eq(mcsim_log_count(&sim, "help"), 0, "a parsed tps ends the probe");
	cr_assert_eq(s->health.failed, 0);
	cr_assert_eq(transcript_count(a, "TPS"), 0, "polls never reach the transcript");
	app_free(a);
}

Test(health, vanilla_fails_once_then_polls_tick_query)
{
	const char *args[] = { "--health", "vanilla", "--tps", "10", NULL };
	app *a = start(args, true);
	const app_server *s;

	cr_assert(run_polls(a, 3), "no health polls");
	s = app_get(a, 0);
	cr_assert_str_eq(s->health.command, "tick query");
	cr_assert_eq(app_health_level(a, s), APP_HEALTH_CRIT, "100 ms a tick is 10 TPS");
	cr_assert_eq(mcsim_log_count(&sim, "tps"), 1, "one failing health command");
	cr_assert_eq(mcsim_log_count(&sim, "help"), 1);
	cr_assert_geq(mcsim_log_count(&sim, "tick query"), 4);
	cr_assert_eq(s->health.failed, 1);
	cr_assert_eq(transcript_count(a, "Unknown"), 0);
	cr_assert_eq(transcript_count(a, "tick"), 0);
	app_free(a);
}

Test(health, forge_polls_forge_tps)
{
	const char *args[] = { "--health", "forge", "--tps", "19", NULL };
	app *a = start(args, false);
	const app_server *s;

	cr_assert(run_polls(a, 1), "no health polls");
	s = app_get(a, 0);
	cr_assert_str_eq(s->health.command, "forge tps");
	cr_assert_eq(s->health.last.format, RC_MC_HEALTH_FORGE);
	cr_assert_eq(app_health_level(a, s), APP_HEALTH_OK);
	cr_assert_eq(mcsim_log_count(&sim, "tps"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "tick query"), 0, "Forge's own command is preferred");
	app_free(a);
}

Test(health, old_vanilla_is_probed_once_and_left_alone)
{
	const char *args[] = { "--health", "none", NULL };
	app *a = start(args, false);
	const app_server *s;

	cr_assert(run_polls(a, 1), "the probe did not finish");
	mcsim_run_loop(loop, 3000);
	s = app_get(a, 0);
	cr_assert_null(s->health.command);
	cr_assert_not(s->health.have);
	cr_assert_eq(app_health_level(a, s), APP_HEALTH_UNKNOWN);
	cr_assert_eq(mcsim_log_count(&sim, "tps"), 1, "one failing health command, ever");
	cr_assert_eq(mcsim_log_count(&sim, "help"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "tick query"), 0);
	cr_assert_eq(mcsim_log_count(&sim, "forge tps"), 0);
	app_free(a);
}

Test(health, reconnect_probes_again_once)
{
	const char *args[] = { "--health", "vanilla", NULL };
	app *a = start(args, false);
	int port = sim.ports[0];
	long long deadline;

	cr_assert(run_polls(a, 1));
	mcsim_stop(&sim);
	cr_assert_eq(mcsim_start_on(&sim, port, args), 0);
	deadline = mcsim_now_ms() + WAIT_MS;
	while (mcsim_log_count(&sim, "tick query") < 2 && mcsim_now_ms() < deadline)
		rc_loop_run_once(loop, 50);
	cr_assert_geq(mcsim_log_count(&sim, "tick query"), 2, "polls resumed after reconnect");
	cr_assert_eq(mcsim_log_count(&sim, "tps"), 1, "this connection: one failure");
	cr_assert_eq(app_get(a, 0)->health.failed, 1);
	app_free(a);
}

Test(health, off_sends_nothing)
{
	const char *args[] = { "--health", "vanilla", NULL };
	app *a;
	app_opts o = { .refresh_override = 0, .health_override = 0, .no_tree = true,
	    .state_dir = state_dir };
	rc_profile p;
	char err[256];

	cr_assert_eq(mcsim_start(&sim, args), 0);
	rc_profile_init(&p);
	p.name = (char *)"mc";
	p.host = (char *)"127.0.0.1";
	p.port = sim.ports[0];
	p.password = (char *)MCSIM_PASSWORD;
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	a = app_new(loop, cfg, &o);
	cr_assert_eq(app_add(a, &cfg->servers[0], NULL, err, sizeof err), 0);
	app_start(a);
	mcsim_run_loop(loop, 1500);
	cr_assert_eq(app_get(a, 0)->state, RC_STATE_READY);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "", "health_refresh 0: nothing sent");
	free(log);
	app_free(a);
}

/* Health polls and list refreshes of many servers share the scheduler's
 * queues (app-sched.c): one per job and delay, however many servers there
 * are, and every server is polled. */
Test(health, many_servers_share_a_handful_of_queues)
{
	enum { N = 24 };
	char nbuf[8];
	snprintf(nbuf, sizeof nbuf, "%d", N);
	const char *args[] = { "--servers", nbuf, "--tps", "19.5", NULL };
	char err[256];
	app_opts o = { .refresh_override = 1, .health_override = 1, .no_tree = true,
	    .state_dir = state_dir };

	cr_assert_eq(mcsim_start(&sim, args), 0, "mcsim did not start");
	cr_assert_eq(sim.n_ports, N);
	for (int k = 0; k < N; k++) {
		rc_profile p;
		char name[16];
		snprintf(name, sizeof name, "mc%d", k);
		rc_profile_init(&p);
		p.name = name;
		p.host = (char *)"127.0.0.1";
		p.port = sim.ports[k];
		p.password = (char *)MCSIM_PASSWORD;
		cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	}
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	for (int k = 0; k < N; k++)
		cr_assert_eq(app_add(a, &cfg->servers[k], NULL, err, sizeof err), k, "%s", err);
	app_start(a);
	long long deadline = mcsim_now_ms() + WAIT_MS;
	int polled = 0;
	while (polled < N && mcsim_now_ms() < deadline) {
		rc_loop_run_once(loop, 50);
		polled = 0;
		for (int k = 0; k < N; k++) {
			const app_server *s = app_get(a, (size_t)k);
			polled += s->health.have && s->have_players &&
			    app_sched_has(a->srv[k], APP_JOB_REFRESH);
		}
	}
	cr_assert_eq(polled, N, "only %d of %d servers polled and refreshed", polled, N);
	/* Refresh every 1 s, health at once / when busy / every 1 s: a few
	 * queues (each with one timer), never one per server. */
	cr_assert_leq(a->n_sched, 4, "%zu queues for %d servers", a->n_sched, N);
	for (int k = 0; k < N; k++) {
		app_srv *s = a->srv[k];
		cr_assert(app_sched_has(s, APP_JOB_HEALTH) && app_sched_has(s, APP_JOB_REFRESH),
		    "server %d is not on the shared schedule", k);
	}
	app_free(a);
}

/* The background work — list refresh, health polls and the command-tree
 * fetch — never queues a command behind another one of its own: at every
 * loop pass at most one is queued or in flight, so a command the user
 * types goes out next, behind one reply at most.  (READY does not turn
 * BUSY while commands run: each job used to look at the state alone.)  A
 * slow server keeps every command in flight long enough to see. */
Test(health, background_commands_never_queue_behind_each_other)
{
	setenv("XDG_CACHE_HOME", state_dir, 1);
	const char *args[] = { "--delay", "150", NULL };
	app *a = start_opts(args, (app_opts){ .refresh_override = 1, .health_override = 1 });
	size_t most = 0;
	long long deadline = mcsim_now_ms() + WAIT_MS;
	/* Until the tree, two health replies and two lists have come. */
	while (mcsim_now_ms() < deadline) {
		const app_server *s = app_get(a, 0);
		if (s->conn) {
			size_t n = rc_conn_pending(s->conn);
			if (n > most)
				most = n;
		}
		if (mcsim_log_count(&sim, "help") >= 1 && mcsim_log_count(&sim, "list") >= 2 &&
		    mcsim_log_count(&sim, "tps") >= 2)
			break;
		rc_loop_run_once(loop, 10);
	}
	cr_assert_geq(mcsim_log_count(&sim, "help"), 1, "the tree was fetched");
	cr_assert_geq(mcsim_log_count(&sim, "list"), 2, "lists refreshed");
	cr_assert_geq(mcsim_log_count(&sim, "tps"), 2, "health polled");
	cr_assert_eq(most, 1, "%zu background commands queued at once", most);
	app_free(a);
	unsetenv("XDG_CACHE_HOME");
}
