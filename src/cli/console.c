/* console.c: opens the full-screen console — on profiles, on one ad-hoc
 * server, or (--demo) on three simulated servers running in this process.
 *
 * The demo's servers are mcsim cores on the console's own loop, so there is
 * no child process to reap and nothing to find on disk; its configuration
 * and history live in a private temporary directory removed on exit. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "cli/console.h"
#include "cli/metrics.h"
#include "cli/target.h"
#include "sim/sim.h"
#include "tui/tui.h"

/* Adds every target to the app (see console.h). */
int console_add_targets(app *a, cli_targets *ts, bool keep_password)
{
	for (size_t i = 0; i < ts->n; i++) {
		cli_target *t = &ts->t[i];
		char err[512];
		int rc = t->error ? app_add_unavailable(a, &t->profile, t->error, err, sizeof err)
		    : app_add(a, &t->profile, t->password, err, sizeof err);
		if (rc < 0) {
			cli_error(t->profile.name, "%s", err);
			return 2;
		}
		if (!keep_password)
			cli_target_wipe_password(t);
		if (t->warning)
			app_note(a, (size_t)rc, APP_LINE_ERROR, "warning: %s", t->warning);
	}
	return 0;
}

/* Returns the app options of a run of o (see console.h). */
app_opts console_app_opts(const cli_opts *o)
{
	app_opts ao = { .read_only = o->read_only, .refresh_override = -1,
	    .health_override = -1, .timeout_ms = cli_timeout_ms(o) };
	ao.dialect_set = cli_dialect(o, &ao.dialect);
	return ao;
}

/* Resolves the targets' passwords for the console: a bad profile does not
 * stop the others.  Returns 0, or an exit status after printing why (every
 * reason when not a single password could be had). */
static int console_passwords(const cli_opts *o, cli_targets *ts)
{
	int rc = cli_targets_passwords(o, ts, true);
	if (rc || ts->n == 0)
		return rc;    /* no profiles yet: the console opens empty */
	size_t good = 0;
	for (size_t i = 0; i < ts->n; i++)
		good += !ts->t[i].error;
	if (good > 0)
		return 0;
	for (size_t i = 0; i < ts->n; i++)
		cli_error(ts->t[i].profile.name, "%s", ts->t[i].error);
	return 2;
}

/* Opens the console on the servers o names. */
int console_run(const cli_opts *o)
{
	cli_targets ts;
	int rc = cli_targets_build_console(o, &ts);
	if (!rc)
		rc = console_passwords(o, &ts);
	if (rc) {
		cli_targets_free(&ts);
		return rc;
	}
	rc_loop *loop = rc_loop_new();
	app_opts ao = console_app_opts(o);
	app *a = loop ? app_new(loop, ts.cfg, &ao) : NULL;
	metrics_server *mserv = NULL;
	if (!a) {
		cli_error(NULL, "out of memory");
		rc = 5;
	} else if (!(rc = console_add_targets(a, &ts, o->host != NULL))) {
		char merr[300];
		app_start(a);
		/* metrics_listen: the same /metrics as --metrics, from the console. */
		if (ts.cfg->metrics_listen &&
		    !(mserv = metrics_serve(loop, a, ts.cfg->metrics_listen, NULL, merr, sizeof merr))) {
			cli_error(NULL, "%s", merr);
			rc = 1;
			goto done;
		}
		tui_opts to = { .read_only = o->read_only, .config_path = ts.cfg->path,
			.no_color = o->color == CLI_COLOR_NEVER, .no_mouse = o->no_mouse,
			.adhoc_password = o->host && ts.n == 1 ? ts.t[0].password : NULL };
		rc = tui_run(loop, a, &to);
	}
done:
	metrics_serve_free(mserv);
	app_free(a);
	rc_loop_free(loop);
	cli_targets_free(&ts);
	return rc;
}

/* One simulated server of the demo and what makes it differ. */
struct demo_server {
	const char *name;
	const char *tag;
	int players;
	int churn_ms;
	int delay_ms;
	enum sim_list_format list;
	int restart_every_ms;   /* 0 = never */
	sim_server *sim;
	sim_server *stopping;   /* stopped, freed on a later pass */
	int port;
	struct demo *demo;
};

struct demo {
	rc_loop *loop;
	struct demo_server srv[3];
	char dir[256];
};

static const struct demo_server demo_table[3] = {
	{ "survival", "prod", 9, 6000, 0, SIM_LIST_MODERN, 0, NULL, NULL, 0, NULL },
	{ "creative", "prod", 4, 9000, 0, SIM_LIST_ESSENTIALS, 45000, NULL, NULL, 0, NULL },
	{ "faraway", "test", 14, 4000, 350, SIM_LIST_LEGACY, 0, NULL, NULL, 0, NULL },
};

/* Starts (or restarts) one demo server on its port; returns 0 or -1. */
static int demo_start(struct demo_server *d, char *err, size_t cap)
{
	sim_opts so;
	sim_opts_init(&so);
	so.port = d->port;
	so.password = "demo";
	so.n_players = d->players;
	so.churn_ms = d->churn_ms;
	so.delay_ms = d->delay_ms;
	so.list_format = d->list;
	so.seed = (uint64_t)(d - d->demo->srv) + 7;
	d->sim = sim_server_new(d->demo->loop, &so, err, cap);
	if (!d->sim)
		return -1;
	d->port = sim_server_port(d->sim);
	return 0;
}

/* Brings a restarted demo server back up after its pause. */
static int64_t demo_on_restart(rc_loop *loop, void *arg)
{
	struct demo_server *d = arg;
	char err[256];
	sim_server_free(d->stopping);
	d->stopping = NULL;
	if (!d->sim && demo_start(d, err, sizeof err) < 0)
		return 2000; /* port still busy: try again shortly */
	return RC_TIMER_DONE;
}

/* Stops a demo server now and then, as a real one restarting would. */
static int64_t demo_on_cycle(rc_loop *loop, void *arg)
{
	struct demo_server *d = arg;
	if (d->sim) {
		sim_server_stop(d->sim);
		d->stopping = d->sim;
		d->sim = NULL;
		rc_loop_add_timer(loop, 4000, demo_on_restart, d);
	}
	return d->restart_every_ms;
}

/* Removes the demo's temporary directory and what the console wrote there. */
static void demo_remove_dir(const char *path)
{
	DIR *dir = opendir(path);
	if (dir) {
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char sub[512];
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			if (unlink(sub) < 0)
				demo_remove_dir(sub);
		}
		closedir(dir);
	}
	rmdir(path);
}

/* Starts three simulated servers and opens the console on them. */
int console_demo(const cli_opts *o)
{
	struct demo demo;
	memset(&demo, 0, sizeof demo);
	const char *tmp = getenv("TMPDIR");
	snprintf(demo.dir, sizeof demo.dir, "%s/rconsole-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(demo.dir)) {
		cli_error(NULL, "cannot create a temporary directory for the demo");
		return 2;
	}
	int rc = 0;
	char path[512], err[256];
	snprintf(path, sizeof path, "%s/rconsole.conf", demo.dir);
	rc_config *cfg = rc_config_new(path);
	demo.loop = rc_loop_new();
	app *a = NULL;
	if (!cfg || !demo.loop) {
		rc = 5;
		goto out;
	}
	for (int i = 0; i < 3; i++) {
		struct demo_server *d = &demo.srv[i];
		*d = demo_table[i];
		d->demo = &demo;
		if (demo_start(d, err, sizeof err) < 0) {
			cli_error(d->name, "cannot start the simulated server: %s", err);
			rc = 2;
			goto out;
		}
		if (d->restart_every_ms)
			rc_loop_add_timer(demo.loop, d->restart_every_ms, demo_on_cycle, d);
		char port[16];
		snprintf(port, sizeof port, "%d", d->port);
		char *tags[1] = { (char *)d->tag };
		rc_profile p = {
			.name = (char *)d->name, .host = "127.0.0.1", .port = d->port,
			.password = "demo", .refresh = 2, .tags = tags, .n_tags = 1, .timeout = -1,
			.list_command = "list",
		};
		if (rc_config_add(cfg, &p, err, sizeof err) < 0) {
			cli_error(d->name, "%s", err);
			rc = 2;
			goto out;
		}
	}
	app_opts ao = console_app_opts(o);
	ao.state_dir = ao.cache_dir = demo.dir;
	a = app_new(demo.loop, cfg, &ao);
	if (!a) {
		rc = 5;
		goto out;
	}
	for (size_t i = 0; i < cfg->n_servers; i++)
		if (app_add(a, &cfg->servers[i], "demo", err, sizeof err) < 0) {
			cli_error(cfg->servers[i].name, "%s", err);
			rc = 2;
			goto out;
		}
	app_start(a);
	tui_opts to = { .read_only = o->read_only, .config_path = path, .demo = true,
		.no_color = o->color == CLI_COLOR_NEVER, .no_mouse = o->no_mouse };
	rc = tui_run(demo.loop, a, &to);
out:
	app_free(a);
	for (int i = 0; i < 3; i++) {
		sim_server_free(demo.srv[i].sim);
		sim_server_free(demo.srv[i].stopping);
	}
	rc_loop_free(demo.loop);
	rc_config_free(cfg);
	demo_remove_dir(demo.dir);
	return rc;
}
