/* test-tui-confirm.c: which commands the console asks y/N about
 * (src/tui/confirm.c) — the default list, spellings that must still ask
 * (case, a leading '/', odd spacing, non-ASCII arguments), commands that
 * must not, a profile's list replacing the file's, the file's replacing the
 * default, an empty list, and a read-only server that would refuse the
 * command anyway.  Servers are added to a real app but never connected, so
 * the lists are checked with confirm_matches(). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui-int.h"
#include "../support/files.h"

static rc_loop *loop;
static rc_config *cfg;
static app *a;
static tui t;
static char state_dir[] = "/tmp/rconsole-test-confirm.XXXXXX";

/* Adds a profile to cfg (confirm list c[n], NULL for none). */
static void add_profile(const char *name, bool ro, char **c, size_t n)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = (char *)name;
	p.host = "127.0.0.1";
	p.password = "pw";
	p.read_only = ro;
	p.confirm = c;
	p.n_confirm = n;
	char err[256];
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
}

/* Builds the app with servers "plain", "own" (confirm = [ "save-off" ]),
 * "none" (confirm = [ ]) and "ro" (read_only). */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(state_dir));
	loop = rc_loop_new();
	cfg = rc_config_new(NULL);
	static char *own[] = { "save-off", NULL };
	static char *none[] = { NULL };
	add_profile("plain", false, NULL, 0);
	add_profile("own", false, own, 1);
	add_profile("none", false, none, 0);
	add_profile("ro", true, NULL, 0);
	app_opts o = { .refresh_override = 0, .state_dir = state_dir, .cache_dir = state_dir };
	a = app_new(loop, cfg, &o);
	for (size_t i = 0; i < cfg->n_servers; i++) {
		char err[256];
		cr_assert_geq(app_add(a, &cfg->servers[i], "pw", err, sizeof(err)), 0, "%s", err);
	}
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.loop = loop;
}

/* Frees it all. */
static void teardown(void)
{
	app_free(a);
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(state_dir), 0, "%s", state_dir);
}

TestSuite(confirm, .init = setup, .fini = teardown);

/* Returns whether cmd asks on the server called name. */
static bool asks(const char *name, const char *cmd)
{
	int i = app_find(a, name);
	cr_assert_geq(i, 0, "no server %s", name);
	return confirm_matches(&t, app_get(a, (size_t)i), cmd);
}

struct ask_case {
	char cmd[48];
	bool ask;
};

static struct ask_case default_cases[] = {
	{ "stop", true }, { "STOP", true }, { "/stop", true }, { "//stop", true }, { " /Stop now", true },
	{ "  stop  ", true }, { "///stop", false },
	{ "restart", true }, { "reload", true }, { "reload confirm", true },
	{ "op Alice", true }, { "deop Alice", true }, { "ban Bob griefing", true },
	{ "ban-ip 10.0.0.1", true }, { "pardon Bob", true }, { "kick Bob", true },
	{ "kick   Bob", true }, { "kick\tBob", true }, { "kick Jörg", true },
	{ "whitelist off", true }, { "WHITELIST  OFF", true }, { "kill @e", true },
	{ "say stop", false }, { "list", false }, { "stopsound @a", false },
	{ "whitelist on", false }, { "whitelist add Bob", false }, { "banlist", false },
	{ "opx", false }, { "pardon-ip 10.0.0.1", false }, { "", false }, { "   ", false },
	/* Under a namespace, and what execute runs. */
	{ "minecraft:stop", true }, { "/minecraft:kill @e", true }, { "bukkit:reload", true },
	{ "execute run stop", true }, { "execute as @a run kill @s", true },
	{ "minecraft:execute run minecraft:op Bob", true },
	{ "execute at @p run execute run ban Bob", true },
	{ "execute if entity @e[tag=run] run deop Al", true },
	{ "say minecraft:stop", false }, { "execute run say stop", false },
	{ "minecraft:say run stop", false }, { "minecraft:", false }, { "stop:x", false },
};

ParameterizedTestParameters(confirm, default_list)
{
	return cr_make_param_array(struct ask_case, default_cases,
	    sizeof(default_cases) / sizeof(default_cases[0]));
}

ParameterizedTest(struct ask_case *c, confirm, default_list)
{
	cr_assert_eq(asks("plain", c->cmd), c->ask, "'%s' should %sask", c->cmd, c->ask ? "" : "not ");
}

/* Nested executes are looked through in one pass, not one per way of
 * reading them (that would be 2^N for N "run" words). */
Test(confirm, a_long_chain_of_executes_is_judged_at_once, .timeout = 10)
{
	char cmd[1500] = "";
	while (strlen(cmd) + 20 < sizeof cmd)
		strcat(cmd, "execute run ");
	strcat(cmd, "say hi");
	cr_assert(!confirm_matches(&t, app_get(a, (size_t)app_find(a, "plain")), cmd));
	strcpy(cmd + strlen(cmd) - 6, "stop");
	cr_assert(confirm_matches(&t, app_get(a, (size_t)app_find(a, "plain")), cmd));
}

Test(confirm, a_profile_list_replaces_the_default)
{
	cr_assert(asks("own", "save-off"));
	cr_assert_not(asks("own", "stop"), "the profile's list replaces the default");
	cr_assert_not(asks("none", "stop"), "confirm = [ ] asks about nothing");
	cr_assert_not(asks("none", "kick Bob"));
}

Test(confirm, the_global_list_replaces_the_default_for_profiles_without_one)
{
	cfg->confirm = calloc(2, sizeof(*cfg->confirm));
	cfg->confirm[0] = strdup("say *");
	cfg->n_confirm = 1;
	cr_assert(asks("plain", "say hi"));
	cr_assert_not(asks("plain", "stop"));
	cr_assert(asks("own", "save-off"), "a profile's own list still wins");
	cr_assert_not(asks("own", "say hi"));
}

Test(confirm, a_read_only_server_that_refuses_does_not_ask)
{
	cr_assert_not(asks("ro", "stop"), "stop never reaches a read-only server");
	cr_assert_not(asks("ro", "list"));
}

Test(confirm, the_default_list_is_documented_size)
{
	const char *const *l;
	size_t n = confirm_defaults(&l);
	cr_assert_eq(n, 11);
	cr_assert_null(l[n]);
}

Test(confirm, a_server_that_is_not_connected_does_not_ask)
{
	/* It refuses the command at once with its reason: nothing to confirm. */
	cr_assert(asks("plain", "stop"));
	cr_assert_not(confirm_needed(&t, (size_t)app_find(a, "plain"), "stop"));
}

Test(confirm, console_lines_other_than_all_and_tag_never_ask)
{
	char text[256];
	cr_assert_not(confirm_console(&t, "connect plain", text, sizeof(text)));
	cr_assert_not(confirm_console(&t, "help", text, sizeof(text)));
	/* No server is connected: nothing could take it, so nothing to ask. */
	cr_assert_not(confirm_console(&t, "all stop", text, sizeof(text)));
	cr_assert_not(confirm_console(&t, "all", text, sizeof(text)));
}

Test(confirm, the_app_and_the_prompt_agree_on_stop)
{
	/* What the app sends (after dropping the typed '/') is stop to the app
	 * exactly when the typed line asks as stop does. */
	static const char *const wire[] = {
		"stop", "STOP", "/stop", "/Stop now", "stop now", "//stop", "stopsound @a",
		"say stop", "sto", "", "minecraft:stop", "Minecraft:STOP now", "minecraft:stopsound",
		"bukkit:stop",
	};
	for (size_t k = 0; k < sizeof(wire) / sizeof(wire[0]); k++) {
		char typed[64];
		snprintf(typed, sizeof(typed), "/%s", wire[k]);
		cr_assert_eq(rc_mc_is_stop(wire[k]), asks("plain", typed), "'%s'", wire[k]);
	}
	cr_assert(rc_mc_is_stop("/stop"), "the connection treats /stop as stop");
	cr_assert_not(rc_mc_is_stop(NULL));
}

Test(confirm, questions_are_worded_in_confirm_c)
{
	app_server *s = app_get(a, (size_t)app_find(a, "plain"));
	confirm_action(&t, s, "kick Bob");
	cr_assert_str_eq(t.confirm_text, "plain: kick Bob");
	/* Not connected: a typed stop is refused at once, so nothing to ask
	 * and the question is left alone. */
	t.sel = (size_t)app_find(a, "plain");
	cr_assert_not(confirm_line(&t, "  stop"));
	cr_assert_not(confirm_line(&t, ":all stop"));
	cr_assert_str_eq(t.confirm_text, "plain: kick Bob");
}
