/* test-app.c: the session layer against a real rconsole-mcsim — connect,
 * refresh, joins and leaves, commands reaching the server exactly once,
 * read-only refusals, broadcast, history on disk, disconnect/connect, stop. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <unistd.h>

#include "app/app.h"
#include "app/app-int.h"   /* app_sched_has: is a server on the refresh schedule */
#include "../support/mcsim.h"
#include "../support/files.h"

#define WAIT_MS 15000    /* generous: the machine is shared */

static rc_loop *loop;
static rc_config *cfg;
static char state_dir[256];
static mcsim sim;

/* Per test: a loop, an empty config and a private state directory. */
static void setup(void)
{
	sim.pid = -1;
	loop = rc_loop_new();
	cr_assert_not_null(loop);
	cfg = rc_config_new(NULL);
	cr_assert_not_null(cfg);
	snprintf(state_dir, sizeof(state_dir), "/tmp/rconsole-app-XXXXXX");
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

TestSuite(app, .init = setup, .fini = teardown, .timeout = 120);

/* Starts mcsim with args (NULL-terminated). */
static void start_sim(const char *const *args)
{
	cr_assert_eq(mcsim_start(&sim, args), 0, "mcsim did not start");
}

/* Adds a profile for 127.0.0.1:port to the config (timeout in s, -1 default). */
static void add_profile_t(const char *name, int port, bool ro, const char *tag, const char *list_cmd,
    int timeout)
{
	rc_profile p;
	memset(&p, 0, sizeof(p));
	char *tags[1] = { (char *)tag };
	p.name = (char *)name;
	p.host = (char *)"127.0.0.1";
	p.port = port;
	p.password = (char *)MCSIM_PASSWORD;
	p.read_only = ro;
	p.refresh = -1;
	p.timeout = timeout;
	p.tags = tag ? tags : NULL;
	p.n_tags = tag ? 1 : 0;
	p.list_command = (char *)list_cmd;
	char err[256];
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
}

/* Adds a profile for 127.0.0.1:port with the default timeout. */
static void add_profile(const char *name, int port, bool ro, const char *tag, const char *list_cmd)
{
	add_profile_t(name, port, ro, tag, list_cmd, -1);
}

/* Makes an app over every profile in the config and starts it. */
static app *make_app(bool ro, int refresh)
{
	app_opts o = { .read_only = ro, .refresh_override = refresh, .state_dir = state_dir,
	    .cache_dir = state_dir, .no_tree = true };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	for (size_t i = 0; i < cfg->n_servers; i++) {
		char err[256];
		int idx = app_add(a, &cfg->servers[i], NULL, err, sizeof(err));
		cr_assert_eq(idx, (int)i, "app_add: %s", err);
	}
	app_start(a);
	return a;
}

typedef bool (*cond_fn)(app *a, const void *arg);

/* Runs the loop until cond holds or ms pass; returns whether it held. */
static bool run_until_ms(app *a, cond_fn cond, const void *arg, int ms)
{
	long long deadline = mcsim_now_ms() + ms;
	while (!cond(a, arg)) {
		if (mcsim_now_ms() > deadline)
			return false;
		rc_loop_run_once(loop, 100);
	}
	return true;
}

/* Runs the loop until cond holds or WAIT_MS passes; returns whether it held. */
static bool run_until(app *a, cond_fn cond, const void *arg)
{
	return run_until_ms(a, cond, arg, WAIT_MS);
}

/* True when every server has a parsed player list. */
static bool all_listed(app *a, const void *arg)
{
	for (size_t i = 0; i < app_count(a); i++)
		if (!app_get(a, i)->have_players)
			return false;
	return true;
}

/* True when every server is READY or BUSY. */
static bool all_ready(app *a, const void *arg)
{
	for (size_t i = 0; i < app_count(a); i++) {
		rc_state st = app_get(a, i)->state;
		if (st != RC_STATE_READY && st != RC_STATE_BUSY)
			return false;
	}
	return true;
}

/* Returns true when server i of a is on the refresh schedule. */
static bool refreshing(app *a, size_t i)
{
	return app_sched_has(a->srv[i], APP_JOB_REFRESH);
}

/* Counts lines of server s of kind (or any kind when kind < 0) whose text
 * equals text (or starts with it when prefix). */
static int count_lines(const app_server *s, int kind, const char *text, bool prefix)
{
	int n = 0;
	for (uint64_t q = app_ring_first(s->log); q && q <= app_ring_last(s->log); q++) {
		const app_line *l = app_ring_get(s->log, q);
		if (kind >= 0 && (int)l->kind != kind)
			continue;
		if (prefix ? strncmp(l->text, text, strlen(text)) == 0 : strcmp(l->text, text) == 0)
			n++;
	}
	return n;
}

/* Returns the text of s's last line starting with prefix, or NULL. */
static const char *last_line(const app_server *s, const char *prefix)
{
	const char *said = NULL;
	for (uint64_t q = app_ring_first(s->log); q && q <= app_ring_last(s->log); q++)
		if (strncmp(app_ring_get(s->log, q)->text, prefix, strlen(prefix)) == 0)
			said = app_ring_get(s->log, q)->text;
	return said;
}

/* True when no server has a user command in flight. */
static bool nothing_pending(app *a, const void *arg)
{
	for (size_t i = 0; i < app_count(a); i++)
		if (app_get(a, i)->user_inflight)
			return false;
	return true;
}

struct want_line {
	size_t server;
	int kind;
	const char *text;
	bool prefix;
	int count;
};

/* True when server w->server has at least w->count matching lines. */
static bool has_line(app *a, const void *arg)
{
	const struct want_line *w = arg;
	return count_lines(app_get(a, w->server), w->kind, w->text, w->prefix) >= w->count;
}

/* Waits up to ms for a line; fails the test with what the transcript holds
 * otherwise. */
static void wait_line_ms(app *a, size_t server, int kind, const char *text, bool prefix, int count,
    int ms)
{
	struct want_line w = { server, kind, text, prefix, count };
	if (run_until_ms(a, has_line, &w, ms))
		return;
	const app_server *s = app_get(a, server);
	for (uint64_t q = app_ring_first(s->log); q && q <= app_ring_last(s->log); q++)
		fprintf(stderr, "  [%d] %s\n", app_ring_get(s->log, q)->kind, app_ring_get(s->log, q)->text);
	cr_assert_fail("no line '%s' (kind %d) on server %zu", text, kind, server);
}

/* Waits up to WAIT_MS for a line (see wait_line_ms). */
static void wait_line(app *a, size_t server, int kind, const char *text, bool prefix, int count)
{
	wait_line_ms(a, server, kind, text, prefix, count, WAIT_MS);
}

struct want_spark {
	size_t server;
	size_t n;
};

/* True when the server's sparkline holds at least n counts (n lists parsed). */
static bool has_spark(app *a, const void *arg)
{
	const struct want_spark *w = arg;
	return app_get(a, w->server)->n_spark >= w->n;
}

/* Runs the loop until line is in mcsim's log want times (or WAIT_MS passes);
 * returns the last count.  mcsim_log_wait() would block our own loop. */
static int log_wait(const char *line, int want, int timeout_ms)
{
	long long deadline = mcsim_now_ms() + timeout_ms;
	int n;
	while ((n = mcsim_log_count(&sim, line)) < want && mcsim_now_ms() < deadline)
		rc_loop_run_once(loop, 50);
	return n;
}

/* ---- tests ---- */

Test(app, servers_connect_and_refresh_fills_players)
{
	const char *args[] = { "--servers", "2", "--players", "3", "--seed", "7", NULL };
	start_sim(args);
	add_profile("one", sim.ports[0], false, NULL, NULL);
	add_profile("two", sim.ports[1], false, NULL, NULL);
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL), "player lists never filled");
	for (size_t i = 0; i < 2; i++) {
		app_server *s = app_get(a, i);
		cr_assert_eq(s->players.count, 3);
		cr_assert_eq(s->players.n_players, 3);
		cr_assert_eq(s->players.max, 20);
		cr_assert_geq(s->n_spark, 1);
		cr_assert_eq(s->spark[s->n_spark - 1], 3);
		cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 1);
		cr_assert_eq(count_lines(s, APP_LINE_CMD, "", true), 0, "a refresh was logged as a command");
		cr_assert_eq(count_lines(s, APP_LINE_JOIN, "", true), 0, "the first list makes no join lines");
		cr_assert_eq(count_lines(s, APP_LINE_REPLY, "", true), 0, "a refresh reply reached the transcript");
		cr_assert(refreshing(a, i));
		cr_assert_eq(s->refresh_s, 1);
		cr_assert_eq(s->rtt_us >= 0, true);
	}
	cr_assert_neq(app_take_dirty(a) & APP_DIRTY_PLAYERS, 0);
	cr_assert_eq(app_take_dirty(a), 0, "dirty bits are cleared by taking them");
	cr_assert_geq(mcsim_log_count(&sim, "list"), 2);
	app_free(a);
}

Test(app, joins_and_leaves_become_lines)
{
	const char *args[] = { "--players", "2", "--seed", "3", NULL };
	start_sim(args);
	add_profile("survival", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(app_command(a, 0, "sim join Dave"), 0);
	wait_line(a, 0, APP_LINE_JOIN, "+ Dave joined", false, 1);
	app_server *s = app_get(a, 0);
	cr_assert(rc_mc_list_has(&s->players, "Dave"));
	cr_assert_eq(s->players.count, 3);
	cr_assert_eq(app_command(a, 0, "sim leave Dave"), 0);
	wait_line(a, 0, APP_LINE_LEAVE, "- Dave left", false, 1);
	cr_assert_not(rc_mc_list_has(&s->players, "Dave"));
	cr_assert_eq(count_lines(s, APP_LINE_CMD, "> sim join Dave", false), 1);
	cr_assert_eq(count_lines(s, APP_LINE_REPLY, "Dave joined the game", false), 1);
	/* Several refreshes later still only the two typed commands are logged. */
	struct want_spark w = { 0, s->n_spark + 2 };
	cr_assert(run_until(a, has_spark, &w));
	cr_assert_eq(count_lines(s, APP_LINE_CMD, "", true), 2);
	cr_assert_eq(count_lines(s, APP_LINE_REPLY, "There are", true), 0);
	cr_assert_eq(count_lines(s, APP_LINE_JOIN, "", true), 1);
	app_free(a);
}

struct want_gone {
	size_t server;
	const char *name;
};

/* True when the server's player list no longer has w->name. */
static bool player_gone(app *a, const void *arg)
{
	const struct want_gone *w = arg;
	return !rc_mc_list_has(&app_get(a, w->server)->players, w->name);
}

/* The panel must not show a kicked or banned player for a whole refresh
 * period: with refreshes a minute apart, the list comes back at once after
 * each answered kick, ban and namespaced kick (mcsim runs namespaces as
 * Paper does), and after nothing else. */
Test(app, a_kick_or_ban_brings_the_player_list_back_at_once)
{
	const char *args[] = { "--players", "3", "--seed", "7", "--namespaced", NULL };
	start_sim(args);
	add_profile("survival", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 60);
	cr_assert(run_until(a, all_listed, NULL));
	app_server *s = app_get(a, 0);
	cr_assert_eq(s->players.n_players, 3);
	static const struct { const char *head, *tail; } how[] = {
		{ "kick ", "" }, { "/ban ", " griefing" }, { "minecraft:kick ", "" },
	};
	for (size_t i = 0; i < sizeof how / sizeof how[0]; i++) {
		char name[64], cmd[128];
		snprintf(name, sizeof name, "%s", s->players.players[0].name);
		snprintf(cmd, sizeof cmd, "%s%s%s", how[i].head, name, how[i].tail);
		cr_assert_eq(app_command(a, 0, cmd), 0);
		struct want_gone w = { 0, name };
		cr_assert(run_until(a, player_gone, &w), "'%s' still listed after '%s'", name, cmd);
	}
	cr_assert_eq(s->players.n_players, 0);
	int lists = mcsim_log_count(&sim, "list");
	cr_assert_eq(app_command(a, 0, "say hi"), 0);
	cr_assert(run_until(a, nothing_pending, NULL));
	cr_assert_eq(log_wait("say hi", 1, WAIT_MS), 1);
	cr_assert_eq(mcsim_log_count(&sim, "list"), lists, "a say asked for the list");
	app_free(a);
}

/* The list a kick asks for is one per idle connection, never one per
 * kick queued: a paste of twelve kicks brings one list, after the last;
 * with the refresh off a kick asks for none, and a read-only console's
 * refused kick for none either. */
Test(app, a_paste_of_kicks_asks_for_one_list_and_refresh_off_for_none)
{
	start_sim((const char *const[]){ "--players", "12", "--seed", "3", NULL });
	add_profile("survival", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 60);
	cr_assert(run_until(a, all_listed, NULL));
	app_server *s = app_get(a, 0);
	cr_assert_eq(s->players.n_players, 12);
	int lists = mcsim_log_count(&sim, "list");
	char *names[12];
	for (size_t i = 0; i < 12; i++)
		cr_assert_not_null(names[i] = strdup(s->players.players[i].name));
	for (size_t i = 0; i < 12; i++) {
		char cmd[96];
		snprintf(cmd, sizeof cmd, "kick %s", names[i]);
		cr_assert_eq(app_command(a, 0, cmd), 0);
	}
	struct want_gone w = { 0, names[11] };
	cr_assert(run_until(a, player_gone, &w));
	cr_assert_eq(s->players.n_players, 0);
	cr_assert_eq(app_command(a, 0, "say done"), 0);
	cr_assert(run_until(a, nothing_pending, NULL));
	cr_assert_eq(log_wait("say done", 1, WAIT_MS), 1);
	cr_assert_eq(mcsim_log_count(&sim, "list"), lists + 1, "%d lists for 12 kicks",
	    mcsim_log_count(&sim, "list") - lists);
	for (size_t i = 0; i < 12; i++)
		free(names[i]);
	app_free(a);

	a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "kick Nobody"), 0);
	cr_assert_eq(app_command(a, 0, "say off"), 0);
	cr_assert(run_until(a, nothing_pending, NULL));
	cr_assert_eq(log_wait("say off", 1, WAIT_MS), 1);
	cr_assert_eq(mcsim_log_count(&sim, "list"), lists + 1, "refresh 0 asked for a list");
	app_free(a);

	a = make_app(true, 60);
	cr_assert(run_until(a, all_listed, NULL));
	lists = mcsim_log_count(&sim, "list");
	cr_assert_eq(app_command(a, 0, "kick Nobody"), RC_EREADONLY);
	cr_assert_eq(app_command(a, 0, "list"), 0);
	cr_assert(run_until(a, nothing_pending, NULL));
	cr_assert_eq(log_wait("list", lists + 1, WAIT_MS), lists + 1);
	cr_assert_eq(mcsim_log_count(&sim, "list"), lists + 1, "a refused kick asked for a list");
	cr_assert_eq(mcsim_log_count(&sim, "kick Nobody"), 1, "the read-only kick went out");
	app_free(a);
}

Test(app, command_reaches_the_server_exactly_once)
{
	start_sim(NULL);
	add_profile("survival", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(app_command(a, 0, "  /say hello \t "), 0);
	wait_line(a, 0, APP_LINE_INFO, "(no output)", false, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(count_lines(s, APP_LINE_CMD, "> say hello", false), 1);
	cr_assert_eq(log_wait("say hello", 1, WAIT_MS), 1);
	struct want_spark w = { 0, s->n_spark + 2 };
	cr_assert(run_until(a, has_spark, &w));
	cr_assert_eq(mcsim_log_count(&sim, "say hello"), 1, "sent more than once");
	cr_assert_eq(app_history_count(s->history), 1);
	cr_assert_str_eq(app_history_get(s->history, 0), "/say hello");
	cr_assert_eq(app_command(a, 0, "   "), RC_EINVAL, "an empty line is refused");
	cr_assert_eq(app_command(a, 0, "/"), RC_EINVAL);
	app_free(a);
}

Test(app, read_only_refuses_and_the_server_never_sees_it)
{
	const char *args[] = { "--servers", "2", NULL };
	start_sim(args);
	add_profile("rw", sim.ports[0], false, NULL, NULL);
	add_profile("ro", sim.ports[1], true, NULL, NULL);   /* profile read_only */
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL), "read-only servers still refresh");
	cr_assert_not(app_get(a, 0)->read_only);
	cr_assert(app_get(a, 1)->read_only);
	cr_assert_eq(count_lines(app_get(a, 1), APP_LINE_STATE, "connected (read-only)", false), 1);
	cr_assert_eq(app_command(a, 1, "op bob"), RC_EREADONLY);
	cr_assert_eq(count_lines(app_get(a, 1), APP_LINE_ERROR,
	    "refused (read-only): 'op bob' is not in the allowlist", false), 1);
	cr_assert_eq(app_command(a, 1, "seed"), 0);
	wait_line(a, 1, APP_LINE_REPLY, "Seed: ", true, 1);
	cr_assert_eq(log_wait("seed", 1, WAIT_MS), 1);
	cr_assert_eq(mcsim_log_count(&sim, "op bob"), 0, "a refused command reached the server");
	/* The same command on the read-write server goes through. */
	cr_assert_eq(app_command(a, 0, "op bob"), 0);
	cr_assert_eq(log_wait("op bob", 1, WAIT_MS), 1);
	app_free(a);
}

Test(app, read_only_flag_covers_every_server)
{
	start_sim(NULL);
	add_profile("survival", sim.ports[0], false, NULL, NULL);
	app *a = make_app(true, 1);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert(app_get(a, 0)->read_only);
	cr_assert_eq(app_command(a, 0, "stop"), RC_EREADONLY);
	cr_assert_eq(app_broadcast(a, NULL, "op bob"), 0);
	cr_assert_eq(count_lines(app_get(a, 0), APP_LINE_ERROR, "refused (read-only): ", true), 2);
	cr_assert_eq(app_command(a, 0, "list"), 0);
	wait_line(a, 0, APP_LINE_REPLY, "There are", true, 1);
	cr_assert_eq(mcsim_log_count(&sim, "op bob"), 0);
	cr_assert_eq(mcsim_log_count(&sim, "stop"), 0);
	app_free(a);
}

Test(app, broadcast_to_all_and_to_a_tag)
{
	const char *args[] = { "--servers", "3", NULL };
	start_sim(args);
	add_profile("a", sim.ports[0], false, "prod", NULL);
	add_profile("b", sim.ports[1], false, "PROD", NULL);
	add_profile("c", sim.ports[2], false, "test", NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_broadcast(a, NULL, "say everyone"), 3);
	cr_assert_eq(log_wait("say everyone", 3, WAIT_MS), 3);
	cr_assert_eq(app_broadcast(a, "prod", "say prod only"), 2);
	cr_assert_eq(log_wait("say prod only", 2, WAIT_MS), 2);
	cr_assert_eq(app_broadcast(a, "nosuch", "say nobody"), 0);
	for (size_t i = 0; i < 3; i++)
		wait_line(a, i, APP_LINE_INFO, "(no output)", false, i < 2 ? 2 : 1);
	cr_assert_eq(count_lines(app_get(a, 2), APP_LINE_CMD, "> say prod only", false), 0);
	cr_assert_eq(count_lines(app_get(a, 0), APP_LINE_CMD, "> say prod only", false), 1);
	cr_assert_eq(mcsim_log_count(&sim, "say everyone"), 3);
	cr_assert_eq(mcsim_log_count(&sim, "say nobody"), 0);
	cr_assert_eq(app_history_count(app_get(a, 0)->history), 0, "broadcast lines belong to the caller's history");
	app_free(a);
}

Test(app, refresh_off_sends_nothing_by_itself)
{
	start_sim(NULL);
	add_profile("quiet", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	app_server *s = app_get(a, 0);
	cr_assert_not(refreshing(a, 0));
	mcsim_run_loop(loop, 1500);
	cr_assert_eq(app_command(a, 0, "seed"), 0);
	cr_assert_eq(log_wait("seed", 1, WAIT_MS), 1);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 0, "refresh 0 still refreshed");
	cr_assert_not(s->have_players);
	/* A list typed by the user fills the panel all the same. */
	cr_assert_eq(app_command(a, 0, "list"), 0);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(count_lines(s, APP_LINE_REPLY, "There are", true), 1);
	app_free(a);
}

Test(app, unrecognised_list_reply_is_noted_once)
{
	start_sim(NULL);
	add_profile("odd", sim.ports[0], false, NULL, "seed");
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_geq(log_wait("seed", 3, WAIT_MS), 3);
	mcsim_run_loop(loop, 200);
	app_server *s = app_get(a, 0);
	cr_assert_not(s->have_players);
	cr_assert_eq(count_lines(s, APP_LINE_INFO, "player list unavailable", true), 1);
	cr_assert_eq(count_lines(s, APP_LINE_REPLY, "", true), 0);
	app_free(a);
}

Test(app, read_only_custom_list_command_is_not_sent)
{
	start_sim(NULL);
	add_profile("ro", sim.ports[0], true, NULL, "sim echo hi");
	app *a = make_app(false, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(s->refresh_s, 0);
	cr_assert_eq(count_lines(s, APP_LINE_INFO, "player list refresh off: 'sim echo hi' is not allowed", true), 1);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "seed"), 0);
	cr_assert_eq(log_wait("seed", 1, WAIT_MS), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo hi"), 0);
	app_free(a);
}

Test(app, replies_are_split_and_sanitised)
{
	const char *args[] = { "--hostile", NULL };
	start_sim(args);
	add_profile("x", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "sim bytes 610a620d0a0a63090a0a"), 0);
	cr_assert_eq(app_command(a, 0, "seed"), 0);
	cr_assert_eq(app_command(a, 0, "help"), 0);
	cr_assert(run_until(a, nothing_pending, NULL));
	app_server *s = app_get(a, 0);
	cr_assert_geq(count_lines(s, APP_LINE_REPLY, "", true), 5);
	for (uint64_t q = app_ring_first(s->log); q <= app_ring_last(s->log); q++) {
		const app_line *l = app_ring_get(s->log, q);
		cr_assert_eq(strlen(l->text), l->len);
		for (size_t k = 0; k < l->len; k++) {
			unsigned char c = (unsigned char)l->text[k];
			cr_assert(c >= 0x20 && c != 0x7f, "control byte %#x in '%s'", c, l->text);
			if (c == 0xC2 && k + 1 < l->len)
				cr_assert((unsigned char)l->text[k + 1] >= 0xA0, "C1 control in '%s'", l->text);
		}
	}
	app_free(a);
}

Test(app, multi_line_reply_becomes_lines)
{
	start_sim(NULL);
	add_profile("x", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	/* "a\nb\r\n\nc\t\n\n": LF and CRLF end lines, trailing empties dropped. */
	cr_assert_eq(app_command(a, 0, "sim bytes 610a620d0a0a63090a0a"), 0);
	wait_line(a, 0, APP_LINE_REPLY, "c", true, 1);
	app_server *s = app_get(a, 0);
	uint64_t q = app_ring_last(s->log);
	cr_assert_str_eq(app_ring_get(s->log, q)->text, "c       ", "tab expanded to column 8");
	cr_assert_str_eq(app_ring_get(s->log, q - 1)->text, "");
	cr_assert_str_eq(app_ring_get(s->log, q - 2)->text, "b");
	cr_assert_str_eq(app_ring_get(s->log, q - 3)->text, "a");
	cr_assert_eq(app_ring_get(s->log, q - 4)->kind, APP_LINE_CMD);
	cr_assert_eq(count_lines(s, APP_LINE_REPLY, "", true), 4);
	app_free(a);
}

Test(app, waits_are_said_to_the_nearest_second)
{
	cr_assert_eq(app_text_secs(1100), 1, "1.1 s is 1 s, not 2");
	cr_assert_eq(app_text_secs(1200), 1);
	cr_assert_eq(app_text_secs(1500), 2);
	cr_assert_eq(app_text_secs(300), 1, "a wait to come is never 0 s");
	cr_assert_eq(app_text_secs(1), 1);
	cr_assert_eq(app_text_secs(0), 0);
	cr_assert_eq(app_text_secs(-5), 0);
	cr_assert_eq(app_text_secs(60000), 60);
}

Test(app, the_countdown_says_the_wait_as_the_log_line_does)
{
	/* The log said "reconnecting in 1 s" of a retry 1.1 s away while the
	 * server list and status bar, rounding up, said 2 s. */
	static const int64_t waits[] = { 300, 1100, 1300, 1800, 2300, 2700, 9900, 59700 };
	app_server s;
	memset(&s, 0, sizeof(s));
	s.state = RC_STATE_BACKOFF;
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		/* 200 ms from any rounding edge: this check may run that late. */
		s.retry_at_ms = rc_now_ms() + waits[i];
		cr_assert_eq(app_retry_seconds(&s), app_text_secs(waits[i]), "%lld ms",
		    (long long)waits[i]);
		char buf[64], want[64];
		snprintf(want, sizeof(want), "reconnecting in %ld s", app_text_secs(waits[i]));
		cr_assert_str_eq(app_status_text(&s, buf, sizeof(buf)), want);
	}
	/* The countdown is redrawn when the number changes, not a second on. */
	for (int64_t left = 1; left <= 61000; left += 7) {
		int64_t now = 1000000;
		s.retry_at_ms = now + left;
		int64_t d = app_retry_change_ms(&s, now);
		cr_assert_gt(d, 0);
		cr_assert_eq(app_text_secs(left - d + 1), app_text_secs(left), "left %lld, d %lld",
		    (long long)left, (long long)d);
		if (left - d > 0)
			cr_assert_neq(app_text_secs(left - d), app_text_secs(left), "left %lld, d %lld",
			    (long long)left, (long long)d);
		else
			cr_assert_eq(d, left, "the last number lasts to the attempt");
	}
	s.state = RC_STATE_READY;
	cr_assert_eq(app_retry_change_ms(&s, 0), -1, "no countdown when not waiting");
	cr_assert_eq(app_retry_seconds(&s), 0);
}

Test(app, not_connected_commands_are_refused_with_a_reason)
{
	/* A port nobody listens on: bound, never listening, and kept bound to
	 * the end, so another test's mcsim cannot take it meanwhile (connects
	 * to it are refused). */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	socklen_t sl = sizeof(sa);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	add_profile("down", ntohs(sa.sin_port), false, NULL, NULL);
	app *a = make_app(false, 1);
	app_server *s = app_get(a, 0);
	wait_line(a, 0, APP_LINE_STATE, "could not connect: ", true, 1);
	cr_assert_eq(s->state, RC_STATE_BACKOFF);
	cr_assert_not_null(s->cause);
	cr_assert_lt(s->err, 0);
	/* The first retry is 1 to 1.2 s away: "1 s", not the "2 s" that
	 * rounding up said. */
	const char *said = last_line(s, "could not connect: ");
	cr_assert_not_null(said);
	size_t n = strlen(said);
	cr_assert(n > 17 && strcmp(said + n - 17, "; retrying in 1 s") == 0, "'%s'", said);
	cr_assert_eq(app_command(a, 0, "list"), RC_ENOTREADY);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "not sent: down is reconnecting (retry in ", true), 1);
	/* It says how to retry now, as the disconnected case does. */
	said = last_line(s, "not sent: down is reconnecting");
	cr_assert_not_null(strstr(said, " s; F5 or :connect retries now)"), "'%s'", said);
	/* Two more failed attempts add no more lines. */
	long long deadline = mcsim_now_ms() + WAIT_MS;
	while (rc_conn_get_stats(s->conn)->reconnects < 2 && mcsim_now_ms() < deadline)
		rc_loop_run_once(loop, 100);
	cr_assert_geq(rc_conn_get_stats(s->conn)->reconnects, 2);
	mcsim_run_loop(loop, 100);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "could not connect: ", true), 1);
	char buf[64];
	cr_assert(strncmp(app_status_text(s, buf, sizeof(buf)), "reconnecting in", 15) == 0
	    || strcmp(buf, "connecting") == 0, "status '%s'", buf);
	app_disconnect(a, 0);
	cr_assert_eq(s->state, RC_STATE_IDLE);
	cr_assert_eq(app_command(a, 0, "list"), RC_ENOTREADY);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "not sent: down is disconnected (F5 or :connect)",
	    false), 1);
	cr_assert_str_eq(app_status_text(s, buf, sizeof(buf)), "disconnected");
	app_free(a);
	close(fd);
}

Test(app, disconnect_and_connect_again)
{
	start_sim(NULL);
	add_profile("s", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL));
	app_server *s = app_get(a, 0);
	app_disconnect(a, 0);
	cr_assert_eq(s->state, RC_STATE_IDLE);
	cr_assert_not(s->have_players, "a disconnect forgets the list");
	cr_assert_not(refreshing(a, 0));
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "disconnected", false), 1);
	mcsim_run_loop(loop, 300);
	cr_assert_eq(s->state, RC_STATE_IDLE, "a user disconnect does not reconnect");
	cr_assert_eq(app_connect(a, 0), 0);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 2);
	cr_assert_eq(count_lines(s, APP_LINE_JOIN, "", true), 0, "no joins for the first list after reconnect");
	cr_assert_eq(app_connect(a, 0), 0, "connect when connected is a no-op");
	app_free(a);
}

Test(app, stop_is_reported_as_the_server_stopping)
{
	start_sim(NULL);
	add_profile("s", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(app_command(a, 0, "stop"), 0);
	wait_line(a, 0, APP_LINE_STATE, "server stopped", true, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "", true), 0, "stopping is not an error");
	cr_assert_not(s->have_players);
	cr_assert_eq(mcsim_log_count(&sim, "stop"), 1);
	cr_assert_geq(mcsim_wait_exit(&sim, WAIT_MS), 0);
	/* Stopped a moment after connecting, but as asked: no sign of a server
	 * that drops its connections, so when it is back its first answer
	 * says "connected" (it waited 5 s as if the server flapped). */
	int port = sim.ports[0];
	mcsim_stop(&sim);
	cr_assert_eq(mcsim_start_on(&sim, port, NULL), 0);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 2);
	app_free(a);
}

Test(app, a_namespaced_stop_is_reported_as_the_server_stopping)
{
	/* Paper and Spigot run minecraft:stop as stop. */
	start_sim((const char *const[]){ "--namespaced", NULL });
	add_profile("s", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	cr_assert(run_until(a, all_listed, NULL));
	cr_assert_eq(app_command(a, 0, "minecraft:stop"), 0);
	wait_line(a, 0, APP_LINE_STATE, "server stopped", true, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "", true), 0, "stopping is not an error");
	cr_assert_geq(mcsim_wait_exit(&sim, WAIT_MS), 0);
	app_free(a);
}

Test(app, history_survives_a_restart)
{
	start_sim(NULL);
	add_profile("web+1@x", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "say one"), 0);
	cr_assert_eq(app_command(a, 0, "say one"), 0);
	app_disconnect(a, 0);
	cr_assert_eq(app_command(a, 0, "refused but typed"), RC_ENOTREADY);
	app_free(a);

	char path[400];
	snprintf(path, sizeof(path), "%s/history/web%%2B1%%40x", state_dir);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0, "no history at %s", path);
	cr_assert_eq(st.st_mode & 0777, 0600);
	a = make_app(false, 0);
	app_history *h = app_get(a, 0)->history;
	cr_assert_eq(app_history_count(h), 2);
	cr_assert_str_eq(app_history_get(h, 0), "say one");
	cr_assert_str_eq(app_history_get(h, 1), "refused but typed");
	app_free(a);
}

/* app_find_fold: the server a new name would clash with ignoring case (the
 * console's :add asks it per keystroke), a hash look-up that keeps the
 * first of two servers equal but for case (a -H server beside a profile),
 * finds the next one when the first is skipped (:save of that server), and
 * covers servers added after its first use. */
Test(app, lookup_ignoring_case)
{
	const char *args[] = { "--servers", "2", NULL };
	start_sim(args);
	add_profile("Lobby", sim.ports[0], false, NULL, NULL);
	add_profile("web-1", sim.ports[1], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert_null(a->by_fold, "made on first use, not at start-up");
	cr_assert_eq(app_find_fold(a, "lobby", -1), 0);
	cr_assert_eq(app_find_fold(a, "LOBBY", -1), 0);
	cr_assert_eq(app_find_fold(a, "WEB-1", -1), 1);
	cr_assert_eq(app_find_fold(a, "web", -1), -1);
	cr_assert_eq(app_find_fold(a, NULL, -1), -1);
	cr_assert_eq(app_find(a, "lobby"), -1, "the exact look-up stays exact");
	rc_profile p;
	memset(&p, 0, sizeof(p));
	p.name = "LOBBY";
	p.host = "127.0.0.1";
	p.port = sim.ports[0];
	char err[256];
	cr_assert_eq(app_add(a, &p, "pw", err, sizeof err), 2, "%s", err);
	cr_assert_eq(app_find(a, "LOBBY"), 2);
	cr_assert_eq(app_find_fold(a, "lobby", -1), 0, "the first keeps the name");
	cr_assert_eq(app_find_fold(a, "lobby", 0), 2, ":save of the first clashes with the second");
	cr_assert_eq(app_find_fold(a, "Lobby", 2), 0);
	cr_assert_eq(app_find_fold(a, "web-1", 1), -1, "skipping the only one");
	p.name = "web-2";
	p.port = sim.ports[1];
	cr_assert_eq(app_add(a, &p, "pw", err, sizeof err), 3, "%s", err);
	cr_assert_eq(app_find_fold(a, "WEB-2", -1), 3, "a server added after the first look-up");
	p.name = "lObby";
	cr_assert_eq(app_add(a, &p, "pw", err, sizeof err), 4, "%s", err);
	cr_assert_eq(app_find_fold(a, "LOBBY", 0), 2, "chained in the order added");
	cr_assert_eq(app_find_fold(a, "LOBBY", 2), 0);
	app_free(a);
}

Test(app, activity_marks_and_lookup)
{
	const char *args[] = { "--servers", "3", NULL };
	start_sim(args);
	add_profile("a", sim.ports[0], false, NULL, NULL);
	add_profile("b", sim.ports[1], false, NULL, NULL);
	add_profile("c", sim.ports[2], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_find(a, "b"), 1);
	cr_assert_eq(app_find(a, "nope"), -1);
	for (size_t i = 0; i < 3; i++)
		app_mark_seen(a, i);
	cr_assert_eq(app_next_active(a, 0), -1);
	app_note(a, 2, APP_LINE_INFO, "note %d \x1b[2J", 1);
	cr_assert_eq(app_unseen(a, 2), 1);
	cr_assert_eq(app_unseen(a, 1), 0);
	cr_assert_eq(app_next_active(a, 0), 2);
	cr_assert_eq(app_next_active(a, 2), 2, "the server itself comes last");
	const app_line *l = app_ring_get(app_get(a, 2)->log, app_ring_last(app_get(a, 2)->log));
	cr_assert_null(strchr(l->text, 0x1b), "notes are sanitised too");
	app_mark_seen(a, 2);
	cr_assert_eq(app_unseen(a, 2), 0);
	cr_assert_eq(app_next_active(a, 0), -1);
	char err[128];
	cr_assert_lt(app_add(a, &cfg->servers[0], NULL, err, sizeof(err)), 0, "one connection per server");
	cr_assert(app_has_tag(app_get(a, 0), "x") == false);
	app_free(a);
}

Test(app, lost_connection_reports_outcome_unknown_and_reconnects)
{
	const char *args[] = { "--drop-after", "1", NULL };
	start_sim(args);
	add_profile("s", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "seed"), 0);
	wait_line(a, 0, APP_LINE_REPLY, "Seed: ", true, 1);
	cr_assert_eq(app_command(a, 0, "say lost"), 0);
	wait_line(a, 0, APP_LINE_ERROR, "outcome unknown: connection lost after 'say lost' was sent", false, 1);
	wait_line(a, 0, APP_LINE_STATE, "connection lost: ", true, 1);
	app_server *s = app_get(a, 0);
	const char *text = NULL;
	for (uint64_t q = app_ring_first(s->log); q <= app_ring_last(s->log); q++)
		if (strncmp(app_ring_get(s->log, q)->text, "connection lost: ", 17) == 0)
			text = app_ring_get(s->log, q)->text;
	cr_assert(strstr(text, "; reconnecting in ") != NULL, "'%s'", text);
	cr_assert_eq(s->user_inflight, 0);
	wait_line(a, 0, APP_LINE_STATE, "connected", false, 2);
	cr_assert_eq(mcsim_log_count(&sim, "say lost"), 1, "never resent");
	app_free(a);
}

/* True when server 0 waits to reconnect. */
static bool backing_off(app *a, const void *arg)
{
	(void)arg;
	return app_get(a, 0)->state == RC_STATE_BACKOFF;
}

Test(app, a_server_that_breaks_every_new_connection_gets_one_line_per_outage)
{
	/* --garbage takes the login and answers the first refresh with bytes
	 * that are not a packet: every reconnect is up for a moment.  That
	 * wrote "connected" and "connection lost" at each attempt. */
	const char *garbage[] = { "--garbage", NULL };
	start_sim(garbage);
	int port = sim.ports[0];
	add_profile("flap", port, false, NULL, NULL);
	app *a = make_app(false, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(log_wait("list", 3, WAIT_MS), 3, "three connections");
	cr_assert(run_until(a, backing_off, NULL));
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 1, "the first connect");
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connection lost: packet length below 10; "
	    "reconnecting in ", true), 1);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "", true), 2, "one line for the outage");
	/* Mended: the next connection answers, and its line ends the outage,
	 * counting the reconnects it folded. */
	mcsim_stop(&sim);
	cr_assert_eq(mcsim_start_on(&sim, port, NULL), 0);
	wait_line(a, 0, APP_LINE_STATE, "connected (the ", true, 1);
	unsigned n = 0;
	for (uint64_t q = app_ring_first(s->log); q <= app_ring_last(s->log); q++)
		sscanf(app_ring_get(s->log, q)->text, "connected (the %u reconnects before this one "
		    "were lost within 5 s)", &n);
	cr_assert_geq(n, 2, "the folded reconnects are counted");
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 1);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connection lost: ", true), 1);
	app_free(a);
}

Test(app, a_server_that_drops_each_connection_after_an_answer_gets_one_line_per_outage)
{
	/* --drop-after 1 answers the first refresh of each connection and
	 * drops it at the next, a second later: the answer proved the
	 * connection, so "connected" and "connection lost" came at every
	 * retry.  Once one was lost that soon, only staying up proves one. */
	const char *drop[] = { "--drop-after", "1", NULL };
	start_sim(drop);
	add_profile("flap", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(log_wait("list", 6, WAIT_MS), 6, "three connections, two lists each");
	cr_assert(run_until(a, backing_off, NULL));
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 1, "the first connect");
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connection lost: ", true), 1);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "", true), 2, "one line for the outage");
	/* A command typed into a connection still on trial: its "connected"
	 * comes first, so the command does not read as sent to a server that
	 * was down. */
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "seed"), 0);
	wait_line(a, 0, APP_LINE_CMD, "> seed", false, 1);   /* written when it goes out */
	uint64_t q = app_ring_first(s->log);
	while (strcmp(app_ring_get(s->log, q)->text, "> seed") != 0)
		q++;
	cr_assert_eq(app_ring_get(s->log, q - 1)->kind, APP_LINE_STATE);
	cr_assert(strncmp(app_ring_get(s->log, q - 1)->text, "connected (the ", 15) == 0, "%s",
	    app_ring_get(s->log, q - 1)->text);
	app_free(a);
}

Test(app, a_server_that_hangs_each_connection_after_answers_gets_one_line_per_outage)
{
	/* --hang-after 3 answers three refreshes of each connection, then
	 * nothing: the fourth times out after 4 s, 7 s after the login.  Each
	 * connection answered and outlived APP_PROVE_MS, so "connected" and
	 * "connection lost" came at every retry; but it stopped answering
	 * within 5 s, and only the timeout took long. */
	const char *hang[] = { "--hang-after", "3", NULL };
	start_sim(hang);
	int port = sim.ports[0];
	add_profile_t("flap", port, false, NULL, NULL, 4);
	app *a = make_app(false, 1);
	app_server *s = app_get(a, 0);
	/* The third connection's first refresh answered (4 logged each). */
	cr_assert_geq(log_wait("list", 9, 60000), 9, "three connections");
	mcsim_run_loop(loop, 300);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connected", false), 1, "the first connect");
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connection lost: no reply within 4 s", true), 1);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "", true), 2, "one line for the outage");
	/* Mended to answer eight refreshes (7 s): answering past APP_PROVE_MS
	 * ends the outage, counting the reconnects it folded. */
	mcsim_stop(&sim);
	cr_assert_eq(mcsim_start_on(&sim, port, (const char *const[]){ "--hang-after", "8", NULL }),
	    0);
	wait_line_ms(a, 0, APP_LINE_STATE, "connected (the ", true, 1, 60000);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connection lost: ", true), 1);
	/* Healthy since: that connection hanging is a new outage, with its
	 * own line. */
	wait_line_ms(a, 0, APP_LINE_STATE, "connection lost: no reply within 4 s", true, 2, 60000);
	app_free(a);
}

/* Starts an app over the profiles with refresh and health polls as given
 * (seconds; 0 = off). */
static app *make_app_polls(int refresh, int health)
{
	app_opts o = { .refresh_override = refresh, .health_override = health,
	    .state_dir = state_dir, .cache_dir = state_dir, .no_tree = true };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	char err[256];
	cr_assert_eq(app_add(a, &cfg->servers[0], NULL, err, sizeof(err)), 0, "%s", err);
	app_start(a);
	return a;
}

/* A connection that hangs at its first command (--hang-after 0) is lost
 * to the command timeout with no answer: one of the outage stopped
 * answering at once, so the next ones must prove themselves by an answer
 * after APP_PROVE_MS.  Then the server is mended (mcsim_args) and must be
 * said back within wait_ms. */
static void hang_then_mend(app *a, const char *const *mcsim_args, int wait_ms)
{
	app_server *s = app_get(a, 0);
	wait_line_ms(a, 0, APP_LINE_STATE, "connection lost: no reply within 1 s", true, 1, 60000);
	int port = sim.ports[0];
	mcsim_stop(&sim);
	cr_assert_eq(mcsim_start_on(&sim, port, mcsim_args), 0);
	wait_line_ms(a, 0, APP_LINE_STATE, "connected", true, 2, wait_ms);
	cr_assert_eq(count_lines(s, APP_LINE_STATE, "connection lost: ", true), 1);
}

Test(app, a_server_back_after_a_hang_is_said_back_when_nothing_is_polled)
{
	/* Refresh off, health polls on, a server with no health command
	 * (vanilla before 1.20.3): once the probe is done nothing is ever
	 * asked, so staying up is the proof; the health job, still on the
	 * schedule with nothing to poll, counted as polling and the server
	 * was never said back (no "connected", no up alert). */
	start_sim((const char *const[]){ "--hang-after", "0", NULL });
	add_profile_t("quiet", sim.ports[0], false, NULL, NULL, 1);
	app *a = make_app_polls(0, 1);
	hang_then_mend(a, (const char *const[]){ "--health", "none", NULL }, 30000);
	app_free(a);
}

Test(app, a_polled_server_back_after_a_hang_is_said_back_without_waiting_a_period)
{
	/* Refresh every 10 minutes: the mended server's first list answered
	 * at once (proving nothing after the hang), and "connected" waited for
	 * the next list, a whole period.  At APP_PROVE_MS it is asked now. */
	start_sim((const char *const[]){ "--hang-after", "0", NULL });
	add_profile_t("slow", sim.ports[0], false, NULL, NULL, 1);
	app *a = make_app_polls(600, 0);
	hang_then_mend(a, NULL, 60000);
	app_free(a);
}

Test(app, command_timeout_is_reported)
{
	const char *args[] = { "--hang-after", "0", NULL };
	start_sim(args);
	add_profile_t("s", sim.ports[0], false, NULL, NULL, 1);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "seed"), 0);
	wait_line(a, 0, APP_LINE_ERROR, "outcome unknown: no reply to 'seed' within 1 s (reconnecting)", false, 1);
	cr_assert_eq(app_get(a, 0)->user_inflight, 0);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 1);
	app_free(a);
}

Test(app, wrong_password_is_not_retried)
{
	const char *args[] = { "--auth-fail", NULL };
	start_sim(args);
	add_profile("s", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 1);
	wait_line(a, 0, APP_LINE_STATE, "authentication failed: ", true, 1);
	app_server *s = app_get(a, 0);
	cr_assert_eq(s->state, RC_STATE_AUTH_FAILED);
	cr_assert_eq(s->err, RC_EAUTH);
	cr_assert_not(refreshing(a, 0));
	mcsim_run_loop(loop, 1500);
	cr_assert_eq(rc_conn_get_stats(s->conn)->reconnects, 0);
	cr_assert_eq(app_command(a, 0, "list"), RC_ENOTREADY);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "not sent: s: authentication failed", true), 1);
	char buf[32];
	cr_assert_str_eq(app_status_text(s, buf, sizeof(buf)), "auth failed");
	app_free(a);
}

Test(app, huge_single_line_is_cut)
{
	start_sim(NULL);
	add_profile("s", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "sim chars 300000 latin"), 0);
	wait_line(a, 0, APP_LINE_REPLY, "\xc3\xa9\xc3\xa9", true, 1);
	app_server *s = app_get(a, 0);
	const app_line *l = app_ring_get(s->log, app_ring_last(s->log));
	cr_assert_leq(l->len, 65536);
	cr_assert_geq(l->len, 60000);
	cr_assert(strstr(l->text, " bytes cut]") != NULL);
	size_t pos = (size_t)(strstr(l->text, " \xe2\x80\xa6 [") - l->text);
	cr_assert_eq(pos % 2, 0, "cut inside a character");
	app_free(a);
}

Test(app, profiles_follow_the_config_array)
{
	add_profile("first", 1, false, "t1", NULL);
	app_opts o = { .refresh_override = -1, .state_dir = state_dir,
	    .cache_dir = state_dir, .no_tree = true };
	app *a = app_new(loop, cfg, &o);
	char err[256];
	cr_assert_eq(app_add(a, &cfg->servers[0], NULL, err, sizeof(err)), 0);
	cr_assert_eq(app_get(a, 0)->refresh_s, RC_DEFAULT_REFRESH);
	char name[32];
	for (int i = 0; i < 40; i++) {   /* enough to move the array */
		snprintf(name, sizeof(name), "extra%d", i);
		add_profile(name, 2, false, NULL, NULL);
	}
	cr_assert_eq(app_add(a, rc_config_find(cfg, "extra39"), NULL, err, sizeof(err)), 1);
	cr_assert_eq(app_get(a, 0)->profile, rc_config_find(cfg, "first"));
	cr_assert(app_has_tag(app_get(a, 0), "T1"));
	cr_assert_eq(app_get(a, 1)->profile, rc_config_find(cfg, "extra39"));
	cr_assert_eq(app_get(a, 0)->state, RC_STATE_IDLE, "nothing connects before app_start");
	app_free(a);
}

/* Writes server s's transcript, one "kind:text" a line, into out. */
static void transcript(const app_server *s, char *out, size_t cap)
{
	size_t o = 0;
	out[0] = '\0';
	for (uint64_t q = app_ring_first(s->log); q && q <= app_ring_last(s->log); q++) {
		const app_line *l = app_ring_get(s->log, q);
		if (l->kind == APP_LINE_STATE)
			continue;
		int n = snprintf(out + o, cap - o, "%d:%s\n", (int)l->kind, l->text);
		if (n < 0 || (size_t)n >= cap - o)
			break;
		o += (size_t)n;
	}
}

/* Commands queued behind a slow server: each "> cmd" is written when it
 * goes out, so every reply sits right under its own command. */
Test(app, queued_replies_land_under_their_commands)
{
	const char *args[] = { "--delay", "300", NULL };
	start_sim(args);
	add_profile("slow", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "sim echo one"), 0);
	cr_assert_eq(app_command(a, 0, "sim echo two"), 0);
	cr_assert_eq(app_command(a, 0, "sim echo three"), 0);
	char t[4096];
	transcript(app_get(a, 0), t, sizeof t);
	cr_assert_str_eq(t, "0:> sim echo one\n", "only the command on the wire is shown: %s", t);
	cr_assert(run_until(a, nothing_pending, NULL));
	transcript(app_get(a, 0), t, sizeof t);
	cr_assert_str_eq(t, "0:> sim echo one\n1:one\n0:> sim echo two\n1:two\n"
	    "0:> sim echo three\n1:three\n");
	app_free(a);
}

/* Queued commands that never went out (the server dropped the connection)
 * get no "> cmd" line: only their "not sent" line. */
Test(app, commands_never_sent_have_no_command_line)
{
	const char *args[] = { "--delay", "300", "--drop-after", "0", NULL };
	start_sim(args);
	add_profile("drop", sim.ports[0], false, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_command(a, 0, "say a"), 0);
	cr_assert_eq(app_command(a, 0, "say b"), 0);
	cr_assert(run_until(a, nothing_pending, NULL));
	app_server *s = app_get(a, 0);
	cr_assert_eq(count_lines(s, APP_LINE_CMD, "> say a", false), 1);
	cr_assert_eq(count_lines(s, APP_LINE_CMD, "> say b", false), 0, "b was never written");
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "outcome unknown: connection lost after 'say a'",
	    true), 1);
	cr_assert_eq(count_lines(s, APP_LINE_ERROR, "not sent: the connection closed before 'say b'",
	    true), 1);
	app_free(a);
}

/* A broadcast typed in one pane gathers every answer there, one "[name]"
 * block per server, split like any reply; the other servers' own logs get
 * their command and reply; the typing server's own answer is not doubled. */
Test(app, broadcast_gathers_replies_in_the_typing_pane)
{
	const char *args[] = { "--servers", "3", "--list-format", "legacy", "--players", "2", NULL };
	start_sim(args);
	add_profile("alpha", sim.ports[0], false, NULL, NULL);
	add_profile("beta", sim.ports[1], false, NULL, NULL);
	add_profile("gamma", sim.ports[2], true, NULL, NULL);
	app *a = make_app(false, 0);
	cr_assert(run_until(a, all_ready, NULL));
	cr_assert_eq(app_broadcast_from(a, 0, NULL, "list", NULL), 3);
	cr_assert(run_until(a, nothing_pending, NULL));
	app_server *origin = app_get(a, 0);
	cr_assert_eq(count_lines(origin, APP_LINE_CMD, "> :all list", false), 1);
	for (int i = 0; i < 3; i++) {
		char head[64];
		snprintf(head, sizeof head, "[%s] There are ", app_get(a, (size_t)i)->name);
		cr_assert_eq(count_lines(origin, APP_LINE_REPLY, head, true), 1, "%s", head);
	}
	/* 1.12's list is two messages: two lines in each block. */
	cr_assert_eq(count_lines(origin, APP_LINE_REPLY, "[beta] ", true), 2);
	cr_assert_eq(count_lines(origin, APP_LINE_CMD, "> list", false), 0, "own answer doubled");
	app_server *beta = app_get(a, 1);
	cr_assert_eq(count_lines(beta, APP_LINE_CMD, "> list", false), 1);
	cr_assert_eq(count_lines(beta, APP_LINE_REPLY, "There are ", true), 1);
	cr_assert_eq(count_lines(beta, APP_LINE_REPLY, "[", true), 0);
	/* A refusal shows in the typing pane too. */
	cr_assert_eq(app_broadcast_from(a, 0, NULL, "say hi", NULL), 2);
	cr_assert(run_until(a, nothing_pending, NULL));
	cr_assert_eq(count_lines(origin, APP_LINE_ERROR, "[gamma] refused (read-only)", true), 1);
	cr_assert_eq(count_lines(origin, APP_LINE_INFO, "[beta] (no output)", false), 1);
	cr_assert_eq(mcsim_log_count(&sim, "say hi"), 2);
	/* A server down: the typing pane's line names it (F5 would connect
	 * alpha, the selected one); its own pane says F5. */
	app_disconnect(a, 1);
	cr_assert_eq(app_broadcast_from(a, 0, NULL, "say bye", NULL), 1);
	cr_assert_eq(count_lines(origin, APP_LINE_ERROR,
	    "[beta] not sent: beta is disconnected (:connect beta)", false), 1);
	cr_assert_eq(count_lines(beta, APP_LINE_ERROR, "not sent: beta is disconnected (F5 or :connect)",
	    false), 1);
	app_free(a);
}

struct spark_goal {
	size_t srv;
	size_t at_least;
};

/* True when server goal->srv has at least goal->at_least sparkline points
 * (one per refresh answered, up to APP_SPARK_MAX). */
static bool sparks_reach(app *a, const void *arg)
{
	const struct spark_goal *g = arg;
	return app_get(a, g->srv)->n_spark >= g->at_least;
}

Test(app, refresh_schedule_keeps_each_period_and_drops_a_disconnected_server)
{
	const char *args[] = { "--servers", "3", "--players", "2", NULL };
	start_sim(args);
	add_profile("one", sim.ports[0], false, NULL, NULL);
	add_profile("two", sim.ports[1], false, NULL, NULL);
	add_profile("slow", sim.ports[2], false, NULL, NULL);
	cfg->servers[0].refresh = 1;
	cfg->servers[1].refresh = 1;
	cfg->servers[2].refresh = 3;   /* its own queue in the schedule */
	app *a = make_app(false, -1);
	cr_assert(run_until(a, all_listed, NULL), "every server listed once");
	size_t slow0 = app_get(a, 2)->n_spark;
	/* Six more refreshes of "one" take five seconds at least: "slow" (every
	 * 3 s) fits one to three in that time, never one a second. */
	struct spark_goal g = { 0, app_get(a, 0)->n_spark + 6 };
	cr_assert(run_until(a, sparks_reach, &g));
	size_t slow = app_get(a, 2)->n_spark - slow0;
	cr_assert_geq(slow, 1, "the 3 s server refreshed");
	cr_assert_leq(slow, 3, "the 3 s server kept its own period (%zu refreshes)", slow);
	cr_assert_geq(app_get(a, 1)->n_spark, g.at_least - 1, "\"two\" kept pace with \"one\"");
	/* "two" disconnects: off the schedule; the others go on. */
	app_disconnect(a, 1);
	cr_assert_not(refreshing(a, 1));
	cr_assert(refreshing(a, 0));
	size_t two = app_get(a, 1)->n_spark;
	struct spark_goal g2 = { 0, app_get(a, 0)->n_spark + 2 };
	if (g2.at_least > APP_SPARK_MAX)
		g2.at_least = APP_SPARK_MAX;
	cr_assert(run_until(a, sparks_reach, &g2), "\"one\" still refreshed");
	cr_assert_eq(app_get(a, 1)->n_spark, two, "\"two\" was not refreshed after it left");
	app_free(a);
}
