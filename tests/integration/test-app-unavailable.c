/* test-app-unavailable.c: a server whose profile cannot be used (its
 * password file is missing, its password variable unset) against real
 * rconsole-mcsim processes — it is listed FAILED with the reason, never
 * connects or sends anything, does not disturb the good servers, and
 * app_connect() connects it once the password can be had. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/app-int.h"   /* app_sched_has: is a server on the refresh schedule */
#include "../support/mcsim.h"
#include "../support/files.h"

#define WAIT_MS 15000    /* generous: the machine is shared */
#define BAD_ENV "RCONSOLE_TEST_UNAVAILABLE_PW"

static rc_loop *loop;
static rc_config *cfg;
static char dir[256];
static char pass_path[300];
static mcsim good_sim;
static mcsim bad_sim;

/* Per test: a loop, an empty config, a private directory, two mcsims. */
static void setup(void)
{
	good_sim.pid = -1;
	bad_sim.pid = -1;
	unsetenv(BAD_ENV);
	loop = rc_loop_new();
	cr_assert_not_null(loop);
	cfg = rc_config_new(NULL);
	cr_assert_not_null(cfg);
	snprintf(dir, sizeof(dir), "/tmp/rconsole-unavail-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(pass_path, sizeof(pass_path), "%s/bad.pass", dir);
	cr_assert_eq(mcsim_start(&good_sim, NULL), 0, "mcsim (good) did not start");
	cr_assert_eq(mcsim_start(&bad_sim, NULL), 0, "mcsim (bad) did not start");
}

/* Stops the mcsims and removes what setup made. */
static void teardown(void)
{
	mcsim_stop(&good_sim);
	mcsim_stop(&bad_sim);
	rc_config_free(cfg);
	rc_loop_free(loop);
	unsetenv(BAD_ENV);
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

TestSuite(unavailable, .init = setup, .fini = teardown, .timeout = 120);

/* Adds a profile for 127.0.0.1:port: an inline password, or a password
 * file, or a password variable (the others NULL). */
static void add_profile(const char *name, int port, const char *password, const char *file,
    const char *env)
{
	rc_profile p;
	memset(&p, 0, sizeof(p));
	p.name = (char *)name;
	p.host = (char *)"127.0.0.1";
	p.port = port;
	p.password = (char *)password;
	p.password_file = (char *)file;
	p.password_env = (char *)env;
	p.refresh = -1;
	p.timeout = -1;
	char err[256];
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
}

/* Makes an app over the config (refresh every second) the way the console
 * does: a profile whose password cannot be resolved is added unavailable. */
static app *make_app(void)
{
	app_opts o = { .refresh_override = 1, .state_dir = dir, .cache_dir = dir };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	for (size_t i = 0; i < cfg->n_servers; i++) {
		const rc_profile *p = &cfg->servers[i];
		char *pw = NULL, why[1024], err[256];
		int idx;
		if (rc_profile_password(p, &pw, why, sizeof(why)) < 0)
			idx = app_add_unavailable(a, p, why, err, sizeof(err));
		else
			idx = app_add(a, p, pw, err, sizeof(err));
		free(pw);
		cr_assert_eq(idx, (int)i, "adding %s: %s", p->name, err);
	}
	app_start(a);
	return a;
}

/* Counts lines of server s of kind whose text starts with prefix. */
static int count_lines(const app_server *s, enum app_line_kind kind, const char *prefix)
{
	int n = 0;
	for (uint64_t q = app_ring_first(s->log); q && q <= app_ring_last(s->log); q++) {
		const app_line *l = app_ring_get(s->log, q);
		if (l->kind == kind && strncmp(l->text, prefix, strlen(prefix)) == 0)
			n++;
	}
	return n;
}

/* Runs the loop until server i is READY (or WAIT_MS passes); returns whether it is. */
static bool wait_ready(app *a, size_t i)
{
	long long deadline = mcsim_now_ms() + WAIT_MS;
	while (app_get(a, i)->state != RC_STATE_READY) {
		if (mcsim_now_ms() > deadline)
			return false;
		rc_loop_run_once(loop, 100);
	}
	return true;
}

/* Runs the loop until line is in m's log want times; returns the last count. */
static int log_wait(const mcsim *m, const char *line, int want)
{
	long long deadline = mcsim_now_ms() + WAIT_MS;
	int n;
	while ((n = mcsim_log_count(m, line)) < want && mcsim_now_ms() < deadline)
		rc_loop_run_once(loop, 50);
	return n;
}

/* Writes the password file the bad profile names. */
static void write_pass(const char *text)
{
	FILE *f = fopen(pass_path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

Test(unavailable, is_listed_failed_with_its_reason)
{
	add_profile("good", good_sim.ports[0], MCSIM_PASSWORD, NULL, NULL);
	add_profile("bad", bad_sim.ports[0], NULL, pass_path, NULL);
	app *a = make_app();
	app_server *s = app_get(a, 1);
	cr_assert_str_eq(s->name, "bad");
	cr_assert_null(s->conn);
	cr_assert_eq(s->state, RC_STATE_FAILED);
	cr_assert_eq(s->err, RC_ECONFIG);
	cr_assert_not_null(s->cause);
	cr_assert_not_null(strstr(s->cause, pass_path), "cause: %s", s->cause);
	cr_assert_not_null(strstr(s->cause, "No such file or directory"), "cause: %s", s->cause);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "config error: "), 1);
	const app_line *l = app_ring_get(s->log, app_ring_last(s->log));
	cr_assert_not_null(strstr(l->text, "fix it and use :connect bad"), "line: %s", l->text);
	char buf[64];
	cr_assert_str_eq(app_status_text(s, buf, sizeof(buf)), "config error");
	cr_assert_eq(app_find(a, "bad"), 1);
	char err[256];
	cr_assert_lt(app_add_unavailable(a, &cfg->servers[1], "again", err, sizeof(err)), 0,
	    "a duplicate name was accepted");
	cr_assert(wait_ready(a, 0), "the good server did not connect");
	app_free(a);
}

Test(unavailable, never_sends_and_the_others_work)
{
	add_profile("good", good_sim.ports[0], MCSIM_PASSWORD, NULL, NULL);
	add_profile("bad", bad_sim.ports[0], NULL, pass_path, NULL);
	app *a = make_app();
	cr_assert(wait_ready(a, 0), "the good server did not connect");
	cr_assert_eq(app_command(a, 1, "say direct"), RC_ECONFIG);
	app_server *s = app_get(a, 1);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "not sent: bad has a configuration error ("), 1);
	cr_assert_eq(app_broadcast(a, NULL, "say everyone"), 1, "only the good server accepts");
	app_disconnect(a, 1);
	cr_assert_eq(app_command(a, 0, "say good"), 0);
	cr_assert_eq(log_wait(&good_sim, "say good", 1), 1);
	cr_assert_eq(log_wait(&good_sim, "say everyone", 1), 1);
	cr_assert_geq(log_wait(&good_sim, "list", 2), 2, "the good server is not refreshed");
	mcsim_run_loop(loop, 1500);   /* a refresh period or more: nothing may reach the bad one */
	char *log = mcsim_log(&bad_sim);
	cr_assert_str_eq(log, "", "the unavailable server sent: %s", log);
	free(log);
	cr_assert_null(s->conn);
	cr_assert_eq(s->state, RC_STATE_FAILED);
	cr_assert_not(app_sched_has(a->srv[1], APP_JOB_REFRESH));
	cr_assert_eq(s->user_inflight, 0);
	cr_assert_eq(count_lines(s, APP_LINE_CMD, "> say everyone"), 0, "broadcast did not skip it");
	cr_assert_eq(app_get(a, 0)->state, RC_STATE_READY);
	app_free(a);
}

Test(unavailable, connect_retries_the_password_and_connects)
{
	add_profile("good", good_sim.ports[0], MCSIM_PASSWORD, NULL, NULL);
	add_profile("bad", bad_sim.ports[0], NULL, pass_path, NULL);
	app *a = make_app();
	app_server *s = app_get(a, 1);
	/* Still missing: one more error line, no connection. */
	cr_assert_eq(app_connect(a, 1), RC_ECONFIG);
	cr_assert_null(s->conn);
	cr_assert_eq(s->state, RC_STATE_FAILED);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "config error: "), 2);
	/* Empty: the cause changes, still nothing sent. */
	write_pass("\n");
	cr_assert_eq(app_connect(a, 1), RC_ECONFIG);
	cr_assert_not_null(strstr(s->cause, "empty"), "cause: %s", s->cause);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "config error: "), 3);
	mcsim_run_loop(loop, 300);
	char *log = mcsim_log(&bad_sim);
	cr_assert_str_eq(log, "", "sent before the password was fixed: %s", log);
	free(log);
	write_pass(MCSIM_PASSWORD "\n");
	cr_assert_eq(app_connect(a, 1), 0);
	cr_assert_not_null(s->conn);
	cr_assert(wait_ready(a, 1), "the fixed server did not connect");
	cr_assert_eq(s->err, 0);
	cr_assert_null(s->cause);
	char buf[64];
	cr_assert_str_eq(app_status_text(s, buf, sizeof(buf)), "ready");
	cr_assert_eq(app_command(a, 1, "say fixed"), 0);
	cr_assert_eq(log_wait(&bad_sim, "say fixed", 1), 1);
	mcsim_run_loop(loop, 300);
	cr_assert_eq(mcsim_log_count(&bad_sim, "say fixed"), 1, "sent more than once");
	cr_assert_eq(mcsim_log_count(&bad_sim, "#auth-failed"), 0);
	/* A second :connect while up leaves it alone. */
	cr_assert_eq(app_connect(a, 1), 0);
	cr_assert_eq(s->state, RC_STATE_READY);
	app_free(a);
}

Test(unavailable, unset_password_variable_then_set)
{
	add_profile("envy", bad_sim.ports[0], NULL, NULL, BAD_ENV);
	add_profile("good", good_sim.ports[0], MCSIM_PASSWORD, NULL, NULL);
	app *a = make_app();
	app_server *s = app_get(a, 0);
	cr_assert_null(s->conn);
	cr_assert_not_null(strstr(s->cause, BAD_ENV " is not set"), "cause: %s", s->cause);
	cr_assert_eq(strncmp(s->cause, "envy: ", 6) != 0, true, "the name is not repeated");
	cr_assert_eq(setenv(BAD_ENV, MCSIM_PASSWORD, 1), 0);
	cr_assert_eq(app_connect(a, 0), 0);
	cr_assert(wait_ready(a, 0), "the server did not connect once the variable was set");
	cr_assert_eq(app_command(a, 0, "say env"), 0);
	cr_assert_eq(log_wait(&bad_sim, "say env", 1), 1);
	app_free(a);
}

Test(unavailable, free_before_start_and_hostile_reason)
{
	add_profile("bad", bad_sim.ports[0], NULL, pass_path, NULL);
	app_opts o = { .refresh_override = 1, .state_dir = dir, .cache_dir = dir };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	char err[256];
	cr_assert_eq(app_add_unavailable(a, &cfg->servers[0], "bad \x1b[2Jthing\n", err, sizeof(err)), 0);
	app_server *s = app_get(a, 0);
	cr_assert_null(strchr(s->cause, '\x1b'), "the cause was not sanitised");
	cr_assert_null(strchr(s->cause, '\n'), "the cause was not sanitised");
	app_disconnect(a, 0);
	cr_assert_eq(app_broadcast(a, NULL, "say x"), 0);
	cr_assert_eq(app_command(a, 0, "say x"), RC_ECONFIG);
	app_free(a);
}
