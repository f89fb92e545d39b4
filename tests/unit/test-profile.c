/* test-profile.c: loading profiles — every key with a value and with its
 * default, every wrong type (table), unknown keys, missing / malformed /
 * unreadable files, the inline-password mode rule, the file's and its
 * directory's owner and mode, duplicate names (at load and rc_config_add),
 * and the pre-scan's refusals.  Saving is in test-profile-save.c, password sources
 * and paths in test-profile-password.c. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "test-profile-util.h"
#include "lib/profile-int.h"

TestSuite(profile, .init = fx_setup, .fini = fx_teardown);

static const char full_file[] =
	"refresh = 7;\n"
	"scrollback = 500;\n"
	"servers = (\n"
	"  { name = \"survival\"; host = \"mc.example.net\"; port = 25576;\n"
	"    password_file = \"~/.config/rconsole/survival.pass\";\n"
	"    read_only = true;\n"
	"    readonly_allow = [ \"list\", \"tps\" ];\n"
	"    refresh = 2;\n"
	"    tags = [ \"prod\", \"eu\" ];\n"
	"    dialect = \"source\";\n"
	"    fragments = \"sentinel\";\n"
	"    timeout = 30;\n"
	"    list_command = \"list uuids\";\n"
	"    log_file = \"/var/log/mc/latest.log\"; },\n"
	"  { name = \"lobby\"; host = \"::1\"; password_env = \"LOBBY_RCON\";\n"
	"    readonly_allow = ( \"seed\" ); tags = ( ); fragments = \"none\"; read_only = false; },\n"
	"  { name = \"modded\"; host = \"10.0.0.5\"; password = \"inline pw\"; }\n"
	");\n";

Test(profile, every_key_with_a_value)
{
	rc_config *cfg;
	cr_assert_eq(fx_load(full_file, 0600, &cfg), 0, "%s", fx_err);
	cr_assert(cfg->exists);
	cr_assert_str_eq(cfg->path, fx_conf);
	cr_assert_eq(cfg->refresh, 7);
	cr_assert_eq(cfg->scrollback, 500);
	cr_assert_eq(cfg->n_warnings, 0, "%s", cfg->n_warnings ? cfg->warnings[0] : "");
	cr_assert_eq(cfg->n_servers, 3);
	rc_profile *p = rc_config_find(cfg, "survival");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->host, "mc.example.net");
	cr_assert_eq(p->port, 25576);
	cr_assert_null(p->password);
	cr_assert_str_eq(p->password_file, "~/.config/rconsole/survival.pass");
	cr_assert_null(p->password_env);
	cr_assert(p->read_only);
	cr_assert_eq(p->n_allow, 2);
	cr_assert_str_eq(p->readonly_allow[0], "list");
	cr_assert_str_eq(p->readonly_allow[1], "tps");
	cr_assert_null(p->readonly_allow[2], "lists are NULL-terminated");
	cr_assert_eq(p->refresh, 2);
	cr_assert_eq(p->n_tags, 2);
	cr_assert_str_eq(p->tags[0], "prod");
	cr_assert_str_eq(p->tags[1], "eu");
	cr_assert_eq(p->dialect, RC_DIALECT_SOURCE);
	cr_assert_eq(p->fragments, RC_FRAG_SENTINEL);
	cr_assert_eq(p->timeout, 30);
	cr_assert_str_eq(p->list_command, "list uuids");
	cr_assert_str_eq(p->log_file, "/var/log/mc/latest.log");
	cr_assert_eq(p->line, 4);

	p = rc_config_find(cfg, "lobby");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->host, "::1");
	cr_assert_str_eq(p->password_env, "LOBBY_RCON");
	cr_assert_eq(p->n_allow, 1);
	cr_assert_str_eq(p->readonly_allow[0], "seed");
	cr_assert_not_null(p->tags, "an empty list is kept apart from an absent one");
	cr_assert_eq(p->n_tags, 0);
	cr_assert_eq(p->fragments, RC_FRAG_NONE);
	cr_assert_not(p->read_only);
	cr_assert_eq(p->line, 15);

	p = rc_config_find(cfg, "modded");
	cr_assert_str_eq(p->password, "inline pw");
	cr_assert_null(rc_config_find(cfg, "nope"));
	rc_config_free(cfg);
}

Test(profile, every_key_with_its_default)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = ( { name = \"a\"; host = \"h\"; } );\n", 0644, &cfg), 0,
		     "%s", fx_err);
	cr_assert_eq(cfg->refresh, RC_DEFAULT_REFRESH);
	cr_assert_eq(cfg->scrollback, RC_DEFAULT_SCROLLBACK);
	cr_assert_eq(cfg->n_servers, 1);
	rc_profile *p = &cfg->servers[0];
	cr_assert_eq(p->port, RC_DEFAULT_PORT);
	cr_assert_null(p->password);
	cr_assert_null(p->password_file);
	cr_assert_null(p->password_env);
	cr_assert_not(p->read_only);
	cr_assert_null(p->readonly_allow);
	cr_assert_eq(p->n_allow, 0);
	cr_assert_eq(p->refresh, -1);
	cr_assert_null(p->tags);
	cr_assert_eq(p->n_tags, 0);
	cr_assert_eq(p->dialect, RC_DIALECT_MINECRAFT);
	cr_assert_eq(p->fragments, RC_FRAG_AUTO);
	cr_assert_eq(p->timeout, -1);
	cr_assert_str_eq(p->list_command, "list");
	cr_assert_null(p->log_file);
	cr_assert_eq(p->health_refresh, -1);
	cr_assert_eq(p->tps_warn, -1);
	cr_assert_eq(p->tps_crit, -1);
	cr_assert_null(p->watch);
	cr_assert_not(p->bell);
	cr_assert_null(p->on_event);
	cr_assert_eq(p->alert_interval, -1);
	cr_assert_eq(cfg->health_refresh, 15);
	cr_assert_eq(cfg->tps_warn, 18);
	cr_assert_eq(cfg->tps_crit, 15);
	cr_assert_eq(p->line, 1);
	rc_config_free(cfg);
}

Test(profile, confirm_and_mouse_keys)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("mouse = false;\nconfirm = [ \"stop\", \"kick *\" ];\n"
			     "servers = ( { name = \"a\"; host = \"h\"; confirm = [ \"save-off\" ]; },\n"
			     "  { name = \"b\"; host = \"h\"; confirm = [ ]; },\n"
			     "  { name = \"c\"; host = \"h\"; } );\n", 0644, &cfg), 0, "%s", fx_err);
	cr_assert_not(cfg->mouse);
	cr_assert_eq(cfg->n_confirm, 2);
	cr_assert_str_eq(cfg->confirm[0], "stop");
	cr_assert_str_eq(cfg->confirm[1], "kick *");
	cr_assert_null(cfg->confirm[2]);
	cr_assert_eq(cfg->servers[0].n_confirm, 1);
	cr_assert_str_eq(cfg->servers[0].confirm[0], "save-off");
	cr_assert_not_null(cfg->servers[1].confirm, "an empty list is a list: confirm nothing");
	cr_assert_eq(cfg->servers[1].n_confirm, 0);
	cr_assert_null(cfg->servers[2].confirm, "absent: the global list applies");
	rc_config_free(cfg);
	/* Defaults: mouse on, no lists. */
	cr_assert_eq(fx_load("servers = ( { name = \"a\"; host = \"h\"; } );\n", 0644, &cfg), 0,
		     "%s", fx_err);
	cr_assert(cfg->mouse);
	cr_assert_null(cfg->confirm);
	cr_assert_null(cfg->servers[0].confirm);
	rc_config_free(cfg);
	rc_config *fresh = rc_config_new(fx_conf);
	cr_assert(fresh->mouse);
	rc_config_free(fresh);
}

Test(profile, empty_file_and_empty_array_of_servers)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("", 0644, &cfg), 0, "%s", fx_err);
	cr_assert(cfg->exists);
	cr_assert_eq(cfg->n_servers, 0);
	rc_config_free(cfg);
	cr_assert_eq(fx_load("servers = [];\n", 0644, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_servers, 0);
	rc_config_free(cfg);
}

/* One wrong value: the key, the text after "key = ", what the error says. */
struct bad_value {
	char key[24];
	char value[48];
	char why[64];
};

static struct bad_value bad_server_values[] = {
	{ "name", "1", "expected a string" },
	{ "name", "true", "expected a string" },
	{ "name", "[ \"a\" ]", "expected a string" },
	{ "name", "\"\"", "must be 1-64 letters" },
	{ "name", "\"has space\"", "must be 1-64 letters" },
	{ "name", "\"-looks-like-an-option\"", "must be 1-64 letters" },
	{ "name", "\"tab\\there\"", "must be 1-64 letters" },
	{ "host", "7", "expected a string" },
	{ "host", "\"caf\\xc3\\xa9.example\"", "host name or address in ASCII" },
	{ "host", "\"h\\xff\\x9b\"", "host name or address in ASCII" },
	{ "log_file", "\"/var/log/\\xff\"", "must be valid UTF-8" },
	{ "list_command", "\"say \\xc2\\x9b2J\"", "must be valid UTF-8 without control" },
	{ "on_event", "\"/x\\xed\\xa0\\x80\"", "must be valid UTF-8" },
	{ "confirm", "[ \"kick \\xc0\\xaf\" ]", "item 1: must be valid UTF-8" },
	{ "host", "\"\"", "expected a host name" },
	{ "host", "\"two words\"", "expected a host name" },
	{ "host", "\"mc.example.net:25575\"", "port = N" },
	{ "host", "\"[::1]\"", "without brackets" },
	{ "port", "\"25575\"", "expected an integer 1-65535" },
	{ "port", "25575.0", "expected an integer 1-65535" },
	{ "port", "0", "expected an integer 1-65535" },
	{ "port", "65536", "expected an integer 1-65535" },
	{ "port", "-1", "expected an integer 1-65535" },
	{ "port", "true", "expected an integer 1-65535" },
	{ "port", "4294992871", "integer out of range" },
	{ "port", "0x1000063E7", "integer out of range" },
	{ "password", "1234", "expected a string" },
	{ "password", "[ \"x\" ]", "expected a string" },
	{ "password_file", "1", "expected a string" },
	{ "password_file", "\"\"", "must not be empty" },
	{ "password_env", "1", "expected a string" },
	{ "password_env", "\"\"", "expected a variable name" },
	{ "password_env", "\"1BAD\"", "expected a variable name" },
	{ "password_env", "\"A-B\"", "expected a variable name" },
	{ "read_only", "1", "expected true or false" },
	{ "read_only", "\"yes\"", "expected true or false" },
	{ "read_only", "\"true\"", "expected true or false" },
	{ "readonly_allow", "\"list\"", "expected a list of strings" },
	{ "readonly_allow", "5", "expected a list of strings" },
	{ "readonly_allow", "[ 1, 2 ]", "item 1: expected a string" },
	{ "readonly_allow", "( \"list\", 3 )", "item 2: expected a string" },
	{ "readonly_allow", "( { a = 1; } )", "item 1: expected a string" },
	{ "readonly_allow", "[ \"\" ]", "item 1: must not be empty" },
	{ "refresh", "-1", "expected an integer 0-86400" },
	{ "refresh", "\"5\"", "expected an integer 0-86400" },
	{ "refresh", "1.0", "expected an integer 0-86400" },
	{ "refresh", "86401", "expected an integer 0-86400" },
	{ "refresh", "true", "expected an integer 0-86400" },
	{ "tags", "\"prod\"", "expected a list of strings" },
	{ "tags", "3", "expected a list of strings" },
	{ "tags", "[ 1 ]", "item 1: expected a string" },
	{ "tags", "[ \"a b\" ]", "item 1: must be 1-64 letters" },
	{ "tags", "( \"ok\",\n\n  \"not ok\" )", "item 2: must be 1-64 letters" },
	{ "dialect", "\"vanilla\"", "expected \"minecraft\" or \"source\"" },
	{ "dialect", "\"Minecraft\"", "expected \"minecraft\" or \"source\"" },
	{ "dialect", "1", "expected \"minecraft\" or \"source\"" },
	{ "fragments", "\"always\"", "expected \"auto\", \"sentinel\" or \"none\"" },
	{ "fragments", "true", "expected \"auto\", \"sentinel\" or \"none\"" },
	{ "timeout", "0", "expected an integer 1-86400 (seconds)" },
	{ "timeout", "-5", "expected an integer 1-86400 (seconds)" },
	{ "timeout", "\"10\"", "expected an integer 1-86400 (seconds)" },
	{ "timeout", "2.5", "expected an integer 1-86400 (seconds)" },
	{ "timeout", "86401", "expected an integer 1-86400 (seconds)" },
	{ "list_command", "1", "expected a string" },
	{ "list_command", "\"\"", "must not be empty" },
	{ "list_command", "\"list\\nstop\"", "must not contain control characters" },
	{ "log_file", "1", "expected a string" },
	{ "log_file", "\"\"", "must not be empty" },
	{ "log_file", "false", "expected a string" },
	{ "confirm", "\"stop\"", "expected a list of strings" },
	{ "confirm", "true", "expected a list of strings" },
	{ "confirm", "[ 1 ]", "item 1: expected a string" },
	{ "confirm", "[ \"\" ]", "item 1: must not be empty" },
	{ "confirm", "[ \"kick\\t*\" ]", "item 1: must not contain control characters" },
	{ "health_refresh", "-1", "expected an integer 0-86400" },
	{ "health_refresh", "\"15\"", "expected an integer 0-86400" },
	{ "health_refresh", "1.5", "expected an integer 0-86400" },
	{ "tps_warn", "18.5", "expected an integer 0-1000 (TPS)" },
	{ "tps_warn", "1001", "expected an integer 0-1000 (TPS)" },
	{ "tps_crit", "-3", "expected an integer 0-1000 (TPS)" },
	{ "tps_crit", "true", "expected an integer 0-1000 (TPS)" },
	{ "watch", "\"Notch\"", "expected a list of strings" },
	{ "watch", "[ 1 ]", "item 1: expected a string" },
	{ "watch", "[ \"\" ]", "item 1: must not be empty" },
	{ "bell", "1", "expected true or false" },
	{ "bell", "\"yes\"", "expected true or false" },
	{ "on_event", "true", "expected a string" },
	{ "on_event", "\"\"", "must not be empty" },
	{ "on_event", "\"/x\\ny\"", "must not contain control characters" },
	{ "alert_interval", "-1", "expected an integer 0-86400" },
	{ "alert_interval", "1.5", "expected an integer 0-86400" },
};

ParameterizedTestParameters(profile, wrong_server_value_names_key_and_line)
{
	return cr_make_param_array(struct bad_value, bad_server_values,
				   sizeof bad_server_values / sizeof bad_server_values[0]);
}

ParameterizedTest(struct bad_value *b, profile, wrong_server_value_names_key_and_line)
{
	char text[512];
	bool is_name = strcmp(b->key, "name") == 0, is_host = strcmp(b->key, "host") == 0;
	snprintf(text, sizeof text,
		 "refresh = 5;\n"
		 "servers = (\n"
		 "  { name = \"first\"; host = \"h\"; },\n"
		 "  {\n"
		 "    %s\n"
		 "    %s\n"
		 "    %s = %s;\n"
		 "  }\n"
		 ");\n",
		 is_name ? "// (name below)" : "name = \"lobby\";",
		 is_host ? "// (host below)" : "host = \"10.0.0.5\";", b->key, b->value);
	rc_config *cfg = (rc_config *)1;
	cr_assert_eq(fx_load(text, 0600, &cfg), RC_ECONFIG, "%s = %s was accepted", b->key, b->value);
	cr_assert_null(cfg);
	char want[600];
	snprintf(want, sizeof want, "%s:7: ", fx_conf);
	cr_assert(strstr(fx_err, want), "no file:line in: %s", fx_err);
	snprintf(want, sizeof want, "%s: ", b->key);
	cr_assert(strstr(fx_err, want), "key not named in: %s", fx_err);
	cr_assert(strstr(fx_err, b->why), "expected '%s' in: %s", b->why, fx_err);
	if (!is_name && strcmp(b->why, "integer out of range") != 0)
		cr_assert(strstr(fx_err, "servers[1] (lobby): "), "no profile in: %s", fx_err);
}

static struct bad_value bad_global_values[] = {
	{ "refresh", "-1", "expected an integer 0-86400" },
	{ "refresh", "\"5\"", "expected an integer 0-86400" },
	{ "refresh", "1.5", "expected an integer 0-86400" },
	{ "refresh", "86401", "expected an integer 0-86400" },
	{ "scrollback", "5", "expected an integer 100-1000000" },
	{ "scrollback", "1000001", "expected an integer 100-1000000" },
	{ "scrollback", "\"x\"", "expected an integer 100-1000000" },
	{ "scrollback", "99999999999", "integer out of range" },
	{ "health_refresh", "-1", "expected an integer 0-86400" },
	{ "health_refresh", "86401", "expected an integer 0-86400" },
	{ "tps_warn", "19.5", "expected an integer 0-1000 (TPS)" },
	{ "tps_crit", "\"15\"", "expected an integer 0-1000 (TPS)" },
	{ "metrics_listen", "9225", "expected a string" },
	{ "metrics_listen", "\"127.0.0.1:\"", "expected \"[ADDR:]PORT\"" },
	{ "metrics_listen", "\"127.0.0.1:70000\"", "expected \"[ADDR:]PORT\"" },
	{ "metrics_listen", "\"host :9225\"", "expected \"[ADDR:]PORT\"" },
	/* What the endpoint would refuse at start-up (listen_parse): a name, a
	 * malformed address, an unclosed bracket. */
	{ "metrics_listen", "\"localhost:9225\"", "expected \"[ADDR:]PORT\" with a numeric address" },
	{ "metrics_listen", "\"1.2.3.4.5:9225\"", "expected \"[ADDR:]PORT\" with a numeric address" },
	{ "metrics_listen", "\"[::1:9225\"", "expected \"[ADDR:]PORT\" with a numeric address" },
	{ "metrics_listen", "\"abc:9225\"", "expected \"[ADDR:]PORT\" with a numeric address" },
	{ "servers", "\"x\"", "expected a list" },
	{ "servers", "5", "expected a list" },
	{ "servers", "{ name = \"a\"; }", "expected a list" },
	{ "servers", "[ 1 ]", "expected a list" },
	{ "confirm", "\"stop\"", "expected a list of strings" },
	{ "confirm", "( \"stop\", 2 )", "item 2: expected a string" },
	{ "confirm", "[ \"a\\nb\" ]", "item 1: must not contain control characters" },
	{ "mouse", "1", "expected true or false" },
	{ "mouse", "\"false\"", "expected true or false" },
};

ParameterizedTestParameters(profile, wrong_global_value_names_key_and_line)
{
	return cr_make_param_array(struct bad_value, bad_global_values,
				   sizeof bad_global_values / sizeof bad_global_values[0]);
}

ParameterizedTest(struct bad_value *b, profile, wrong_global_value_names_key_and_line)
{
	char text[256];
	snprintf(text, sizeof text, "// rconsole\n%s = %s;\n", b->key, b->value);
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), RC_ECONFIG, "%s = %s was accepted", b->key, b->value);
	char want[600];
	snprintf(want, sizeof want, "%s:2: %s: ", fx_conf, b->key);
	cr_assert(strstr(fx_err, want), "expected '%s' in: %s", want, fx_err);
	cr_assert(strstr(fx_err, b->why), "expected '%s' in: %s", b->why, fx_err);
}

/* metrics_listen takes every form the endpoint listens on. */
Test(profile, metrics_listen_takes_what_the_endpoint_listens_on)
{
	static const char *const ok[] = { "9225", "0.0.0.0:9225", "127.0.0.1:65535", "[::1]:9225",
		"[::]:9225" };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		char text[128];
		rc_config *cfg;
		snprintf(text, sizeof text, "metrics_listen = \"%s\";\n", ok[i]);
		cr_assert_eq(fx_load(text, 0600, &cfg), 0, "%s: %s", ok[i], fx_err);
		cr_assert_str_eq(cfg->metrics_listen, ok[i]);
		rc_config_free(cfg);
	}
}

Test(profile, server_entry_must_be_a_group)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = (\n  { name = \"a\"; host = \"h\"; },\n  \"b\"\n);\n", 0600,
			     &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":1: servers[1]: expected a group"), "%s", fx_err);
}

Test(profile, name_and_host_are_required)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = (\n  { host = \"h\"; }\n);\n", 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":2: servers[0]: name: is required"), "%s", fx_err);
	cr_assert_eq(fx_load("servers = (\n  { name = \"x\"; }\n);\n", 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":2: servers[0] (x): host: is required"), "%s", fx_err);
}

Test(profile, unknown_keys_are_warnings_with_file_and_line)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("colour = \"blue\";\n"
			     "servers = (\n"
			     "  { name = \"a\"; host = \"h\";\n"
			     "    nickname = \"hunter2-secret\"; }\n"
			     ");\n", 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_servers, 1);
	cr_assert_eq(cfg->n_warnings, 2);
	char want[600];
	snprintf(want, sizeof want, "%s:1: unknown key 'colour'", fx_conf);
	cr_assert(strstr(cfg->warnings[0], want), "%s", cfg->warnings[0]);
	snprintf(want, sizeof want, "%s:4: servers[0] (a): unknown key 'nickname'", fx_conf);
	cr_assert(strstr(cfg->warnings[1], want), "%s", cfg->warnings[1]);
	cr_assert_null(strstr(cfg->warnings[1], "hunter2"), "a value leaked into a warning");
	rc_config_free(cfg);
}

/* A global key written inside a server is ignored there, and the warning
 * says where it goes, not that rconsole does not know it. */
Test(profile, global_key_in_a_server_says_it_is_global)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = (\n"
			     "  { name = \"a\"; host = \"h\";\n"
			     "    metrics_listen = \"127.0.0.1:9225\"; }\n"
			     ");\n", 0600, &cfg), 0, "%s", fx_err);
	cr_assert_null(cfg->metrics_listen);
	cr_assert_eq(cfg->n_warnings, 1);
	char want[1200];
	snprintf(want, sizeof want, "%s:3: servers[0] (a): 'metrics_listen' is a global key: "
		 "set it at the top level, outside servers = ( ... ) (ignored here)", fx_conf);
	cr_assert(strstr(cfg->warnings[0], want), "%s", cfg->warnings[0]);
	rc_config_free(cfg);
}

/* A misspelt key and the key it must be taken for. */
struct typo_case {
	char line[64];   /* the key line inside a server group */
	char key[24];    /* the misspelt key as written */
	char meant[24];  /* the suggestion */
};

static struct typo_case typo_cases[] = {
	{ "readonly = true;", "readonly", "read_only" },
	{ "read-only = true;", "read-only", "read_only" },
	{ "readOnly = true;", "readOnly", "read_only" },
	{ "raed_only = true;", "raed_only", "read_only" },
	{ "read_onyl = true;", "read_onyl", "read_only" },
	{ "read_only_allow = [ \"list\" ];", "read_only_allow", "readonly_allow" },
	{ "pasword = \"hunter2-secret\";", "pasword", "password" },
	{ "password_fiel = \"/x\";", "password_fiel", "password_file" },
	{ "prot = 25575;", "prot", "port" },
	{ "Host2 = \"h\";", "Host2", "host" },
	{ "confrim = [ \"stop\" ];", "confrim", "confirm" },
};

ParameterizedTestParameters(profile, misspelt_safety_key_is_an_error)
{
	return cr_make_param_array(struct typo_case, typo_cases,
				   sizeof typo_cases / sizeof typo_cases[0]);
}

/* A profile the admin believes read-only must not load writable: a near
 * miss of a known key is a configuration error naming file:line and the
 * key meant, and no value is quoted. */
ParameterizedTest(struct typo_case *c, profile, misspelt_safety_key_is_an_error)
{
	char text[512];
	snprintf(text, sizeof text, "servers = (\n  { name = \"a\"; host = \"h\";\n    %s }\n);\n",
		 c->line);
	rc_config *cfg = (rc_config *)1;
	cr_assert_eq(fx_load(text, 0600, &cfg), RC_ECONFIG, "%s loaded", c->key);
	cr_assert_null(cfg);
	char want[800];
	snprintf(want, sizeof want, "%s:3: servers[0] (a): unknown key '%s': did you mean %s?",
		 fx_conf, c->key, c->meant);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert_null(strstr(fx_err, "hunter2"), "a value leaked: %s", fx_err);
}

Test(profile, safety_key_at_top_level_is_an_error)
{
	rc_config *cfg = NULL;
	cr_assert_eq(fx_load("refresh = 1;\nread_only = true;\nservers = ();\n", 0600, &cfg),
		     RC_ECONFIG);
	char want[700];
	snprintf(want, sizeof want, "%s:2: read_only: is a per-server key", fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert_eq(fx_load("readonly = true;\n", 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, "unknown key 'readonly': did you mean read_only? (a per-server"),
		  "%s", fx_err);
	cr_assert_eq(fx_load("server = ( { name = \"a\"; host = \"h\"; } );\n", 0600, &cfg),
		     RC_ECONFIG);
	cr_assert(strstr(fx_err, ":1: unknown key 'server': did you mean servers?"), "%s", fx_err);
	cr_assert_eq(fx_load("refesh = 1;\n", 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":1: unknown key 'refesh': did you mean refresh?"), "%s", fx_err);
}

Test(profile, far_unknown_keys_still_load_for_newer_files)
{
	rc_config *cfg = NULL;
	cr_assert_eq(fx_load("theme = \"dark\";\nservers = (\n  { name = \"a\"; host = \"h\"; "
			     "read_only = true; motd_command = \"motd\"; }\n);\n", 0600, &cfg),
		     0, "%s", fx_err);
	cr_assert_eq(cfg->n_servers, 1);
	cr_assert(cfg->servers[0].read_only);
	cr_assert_eq(cfg->n_warnings, 2);
	rc_config_free(cfg);
}

Test(profile, warnings_are_bounded)
{
	char text[8192] = "";
	for (int i = 0; i < 200; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "k%d = 1;\n", i);
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 64);
	cr_assert_str_eq(cfg->warnings[63], "(more warnings not shown)");
	rc_config_free(cfg);
}

Test(profile, missing_file_is_an_empty_configuration)
{
	rc_config *cfg = NULL;
	char path[600];
	snprintf(path, sizeof path, "%s/no/such/dir/rconsole.conf", fx_dir);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_not(cfg->exists);
	cr_assert_eq(cfg->n_servers, 0);
	cr_assert_eq(cfg->refresh, RC_DEFAULT_REFRESH);
	cr_assert_eq(cfg->scrollback, RC_DEFAULT_SCROLLBACK);
	cr_assert_str_eq(cfg->path, fx_conf);
	rc_config_free(cfg);
	cr_assert_eq(rc_config_load(path, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_not(cfg->exists);
	rc_config_free(cfg);
}

Test(profile, malformed_file_names_file_line_and_reason)
{
	rc_config *cfg = (rc_config *)1;
	cr_assert_eq(fx_load("refresh = 5;\n"
			     "servers = (\n"
			     "  { name = \"a\"; host = \"h\"; } }\n"
			     ");\n", 0600, &cfg), RC_ECONFIG);
	cr_assert_null(cfg);
	char want[600];
	snprintf(want, sizeof want, "%s:3: syntax error (on this line or at the end of the one "
	    "before: a missing ','", fx_conf);
	cr_assert(strstr(fx_err, want), "says what to look for: %s", fx_err);
}

Test(profile, duplicate_setting_is_a_parse_error)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = (\n  { name = \"a\"; host = \"h\";\n    host = \"i\"; }\n);\n",
			     0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":3: duplicate setting name"), "%s", fx_err);
}

Test(profile, profile_name_used_twice_names_both_lines)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = (\n"
			     "  { name = \"lobby\"; host = \"a\"; },\n"
			     "  { name = \"other\"; host = \"b\"; },\n"
			     "  {\n"
			     "    host = \"c\";\n"
			     "    name = \"lobby\";\n"
			     "  }\n"
			     ");\n", 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":6: servers[2] (lobby): name: lobby is already used by the "
			 "profile at line 2"), "%s", fx_err);
}

/* Unreadable by permissions.  Root reads any file whatever its mode, so as
 * root the test drops its effective uid to nobody for the open (each test is
 * its own process; the .fini restores it), keeping the assertion real. */
Test(profile, unreadable_file_is_a_clear_error)
{
	fx_write(fx_conf, "refresh = 5;\n", 0000);
	if (geteuid() == 0) {
		cr_assert_eq(chmod(fx_dir, 0711), 0);
		if (seteuid(65534) != 0)
			cr_skip_test("running as root without CAP_SETUID: cannot make a file "
				     "unreadable (not-a-regular-file is covered separately)");
	}
	rc_config *cfg = (rc_config *)1;
	int rc = rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err);
	if (getuid() == 0)
		cr_assert_eq(seteuid(0), 0);
	cr_assert_eq(rc, RC_ECONFIG);
	cr_assert_null(cfg);
	char want[600];
	snprintf(want, sizeof want, "%s: cannot open: Permission denied", fx_conf);
	cr_assert_str_eq(fx_err, want);
}

Test(profile, directory_instead_of_file_is_an_error)
{
	cr_assert_eq(mkdir(fx_conf, 0700), 0);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, "not a regular file"), "%s", fx_err);
}

Test(profile, fifo_is_refused_without_blocking)
{
	cr_assert_eq(mkfifo(fx_conf, 0600), 0);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, "not a regular file"), "%s", fx_err);
}

/* Modes that expose an inline password, each refused with the chmod to run. */
static const mode_t exposed_modes[] = { 0644, 0640, 0604, 0440 };

Test(profile, inline_password_in_exposed_file_is_refused)
{
	const char *text = "servers = (\n  { name = \"a\"; host = \"h\";\n"
			   "    password = \"top-secret-pw\"; }\n);\n";
	for (size_t i = 0; i < sizeof exposed_modes / sizeof exposed_modes[0]; i++) {
		rc_config *cfg;
		cr_assert_eq(fx_load(text, exposed_modes[i], &cfg), RC_ECONFIG, "mode %o accepted",
			     (unsigned)exposed_modes[i]);
		char want[600];
		snprintf(want, sizeof want, "chmod 600 %s", fx_conf);
		cr_assert(strstr(fx_err, want), "%s", fx_err);
		cr_assert(strstr(fx_err, ":3: servers[0] (a): password: "), "%s", fx_err);
		cr_assert_null(strstr(fx_err, "top-secret"), "the password leaked: %s", fx_err);
	}
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), 0, "%s", fx_err);
	cr_assert_str_eq(cfg->servers[0].password, "top-secret-pw");
	rc_config_free(cfg);
	cr_assert_eq(fx_load(text, 0400, &cfg), 0, "%s", fx_err);
	rc_config_free(cfg);
}

Test(profile, chmod_hint_is_quoted_for_the_shell)
{
	char dir[600], path[700];
	snprintf(dir, sizeof dir, "%s/my dir's", fx_dir);
	snprintf(path, sizeof path, "%s/rc.conf", dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	fx_write(path, "servers = ( { name = \"a\"; host = \"h\"; password = \"x\"; } );\n", 0644);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(path, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	char want[800];
	snprintf(want, sizeof want, "run: chmod 600 '%s/my dir'\\''s/rc.conf'", fx_dir);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
}

Test(profile, exposed_file_without_inline_password_is_fine)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("servers = ( { name = \"a\"; host = \"h\"; password_env = \"X\"; } );\n",
			     0644, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 0);
	rc_config_free(cfg);
}

/* Valid UTF-8 beyond ASCII is still fine where text is allowed. */
Test(profile, utf8_text_is_kept)
{
	rc_config *cfg = NULL;
	cr_assert_eq(fx_load("servers = ( { name = \"a\"; host = \"xn--caf-dma.example\";\n"
			     "  log_file = \"/srv/caf\xc3\xa9/latest.log\"; } );\n", 0600, &cfg),
		     0, "%s", fx_err);
	cr_assert_str_eq(cfg->servers[0].log_file, "/srv/caf\xc3\xa9/latest.log");
	rc_config_free(cfg);
}

/* "Lobby" and "lobby" are one name to whoever types it: the second is an
 * error at load, at save, and when :add (rc_config_add) brings it in. */
Test(profile, names_differing_only_in_case_are_refused)
{
	rc_config *cfg = (rc_config *)1;
	cr_assert_eq(fx_load("servers = (\n  { name = \"lobby\"; host = \"h\"; },\n"
			     "  { name = \"Lobby\"; host = \"h2\"; }\n);\n", 0600, &cfg),
		     RC_ECONFIG);
	cr_assert_null(cfg);
	char want[700];
	snprintf(want, sizeof want, "%s:3: servers[1] (Lobby): name: Lobby differs only in case "
		 "from lobby, the profile at line 2", fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);

	cr_assert_eq(fx_load("servers = ( { name = \"lobby\"; host = \"h\"; } );\n", 0600, &cfg),
		     0, "%s", fx_err);
	rc_profile p;
	rc_profile_init(&p);
	p.name = "LOBBY";
	p.host = "h2";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "profile LOBBY already exists as lobby"), "%s", fx_err);
	cr_assert_eq(cfg->n_servers, 1);
	/* A caller that edits the array itself is stopped by the saver. */
	p.name = "lobby";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL);
	p.name = "other";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
	char *name = cfg->servers[1].name;
	cfg->servers[1].name = "Lobby";
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "servers[1]: name Lobby differs only in case from lobby"), "%s",
		  fx_err);
	cfg->servers[1].name = name;
	rc_config_free(cfg);
}

/* Loads a file of n profiles named Srv0 .. Srv<n-1>. */
static rc_config *load_srv_n(int n)
{
	size_t cap = (size_t)n * 64 + 64, len = 0;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	len += (size_t)snprintf(text + len, cap - len, "servers = (\n");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "  { name = \"Srv%d\"; host = \"h\"; }%s\n",
					i, i + 1 < n ? "," : "");
	snprintf(text + len, cap - len, ");\n");
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), 0, "%s", fx_err);
	free(text);
	return cfg;
}

/* rc_config_add's case-insensitive clash check after a load of many
 * profiles (it is a lookup in the folded name index, not a scan): a name
 * differing only in case from any of them is refused, naming the one it
 * clashes with, before and after a removal, and the first of the file's
 * names wins; new names go in. */
Test(profile, add_after_large_load_refuses_names_differing_in_case)
{
	enum { N = 3000 };
	rc_config *cfg = load_srv_n(N);
	cr_assert_eq(cfg->n_servers, N);
	rc_profile p;
	rc_profile_init(&p);
	p.host = "h2";
	static const struct { const char *name, *clash; } cases[] = {
		{ "srv0", "Srv0" }, { "SRV2999", "Srv2999" }, { "sRv1500", "Srv1500" },
		{ "Srv17", NULL }, /* exact: "already exists" */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		p.name = (char *)cases[i].name;
		cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL, "%s",
			     cases[i].name);
		char want[200];
		if (cases[i].clash)
			snprintf(want, sizeof want, "profile %s already exists as %s (names "
				 "differing only in case are one name)", cases[i].name, cases[i].clash);
		else
			snprintf(want, sizeof want, "profile %s already exists", cases[i].name);
		cr_assert(strstr(fx_err, want), "%s: %s", want, fx_err);
	}
	cr_assert_eq(cfg->n_servers, N);
	/* New names, one after another (the index follows each add). */
	for (int i = 0; i < 50; i++) {
		char name[32];
		snprintf(name, sizeof name, "New%d", i);
		p.name = name;
		cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
		snprintf(name, sizeof name, "NEW%d", i);
		cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL, "%s", name);
		cr_assert(strstr(fx_err, "already exists as New"), "%s", fx_err);
	}
	cr_assert_eq(cfg->n_servers, N + 50);
	/* A removal moves positions: the check still finds the right one. */
	cr_assert_eq(rc_config_remove(cfg, "Srv0"), 0);
	p.name = "SRV0";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
	p.name = "srv2999";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "already exists as Srv2999"), "%s", fx_err);
	p.name = "srv0";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "already exists as SRV0"), "%s", fx_err);
	rc_config_free(cfg);
}

/* A configuration path that is a link to nothing is an error, not an empty
 * configuration (with the default path as much as with --config). */
Test(profile, dangling_symlink_is_an_error)
{
	char target[600];
	snprintf(target, sizeof target, "%s/dotfiles/rconsole.conf", fx_dir);
	cr_assert_eq(symlink(target, fx_conf), 0);
	rc_config *cfg = (rc_config *)1;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert_null(cfg);
	char want[1300];
	snprintf(want, sizeof want, "%s: symbolic link to %s, which does not exist", fx_conf,
		 target);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	/* A link to a file is followed, and the file's mode is what counts. */
	snprintf(target, sizeof target, "%s/real.conf", fx_dir);
	cr_assert_eq(unlink(fx_conf), 0);
	cr_assert_eq(symlink(target, fx_conf), 0);
	fx_write(target, "refresh = 7;\n", 0600);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->refresh, 7);
	rc_config_free(cfg);
	cr_assert_eq(chmod(target, 0666), 0);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, "writable by everyone"), "%s", fx_err);
}

/* Whoever can write the file can turn read_only off or redirect a
 * profile to their own host: such a file is refused, with its mode. */
Test(profile, group_or_world_writable_file_is_refused)
{
	static const mode_t modes[] = { 0666, 0646, 0620, 0664 };
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		rc_config *cfg = (rc_config *)1;
		cr_assert_eq(fx_load("servers = ( { name = \"a\"; host = \"h\"; } );\n", modes[i],
				     &cfg), RC_ECONFIG, "mode %o loaded", (unsigned)modes[i]);
		cr_assert_null(cfg);
		char want[800];
		snprintf(want, sizeof want, "%s: writable by %s (mode %04o): refused", fx_conf,
			 modes[i] & 02 ? "everyone" : "its group", (unsigned)modes[i]);
		cr_assert(strstr(fx_err, want), "%s", fx_err);
		snprintf(want, sizeof want, "run: chmod go-w %s", fx_conf);
		cr_assert(strstr(fx_err, want), "%s", fx_err);
	}
	rc_config *cfg = NULL;
	cr_assert_eq(fx_load("refresh = 1;\n", 0644, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 0);
	rc_config_free(cfg);
}

/* A file owned by another (non-root) user is theirs to edit: refused.
 * Needs root to give the file away. */
Test(profile, file_owned_by_another_user_is_refused)
{
	if (geteuid() != 0)
		cr_skip_test("needs root to chown the file");
	rc_config *cfg = NULL;
	fx_write(fx_conf, "refresh = 1;\n", 0600);
	cr_assert_eq(chown(fx_conf, 4242, 4242), 0);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	char want[800];
	snprintf(want, sizeof want, "%s: owned by uid 4242, not by you (uid 0) or root: refused",
		 fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	/* As that user (the file is then theirs), it loads. */
	cr_assert_eq(chmod(fx_dir, 0711), 0);
	cr_assert_eq(seteuid(4242), 0);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	rc_config_free(cfg);
}

/* A file in a directory that group or others may write can be replaced by
 * them (a rename needs no right to the file), so it is refused like a
 * writable file, naming the directory and the chmod to run; the sticky
 * bit (/tmp's 1777) makes such a directory safe again. */
Test(profile, file_in_a_directory_others_can_write_is_refused)
{
	char dir[600], conf[700], want[2000];
	snprintf(dir, sizeof dir, "%s/shared dir", fx_dir);
	snprintf(conf, sizeof conf, "%s/rconsole.conf", dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	fx_write(conf, "refresh = 1;\n", 0600);
	static const struct { mode_t mode; const char *who; } bad[] = {
		{ 0770, "its group" }, { 0757, "everyone" }, { 0777, "everyone" }, { 02775, "its group" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rc_config *cfg = (rc_config *)1;
		cr_assert_eq(chmod(dir, bad[i].mode), 0);
		cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG,
			     "mode %o", (unsigned)bad[i].mode);
		cr_assert_null(cfg);
		snprintf(want, sizeof want, "%s: its directory %s is writable by %s (mode %04o): "
			 "refused", conf, dir, bad[i].who, (unsigned)bad[i].mode);
		cr_assert(strstr(fx_err, want), "%s", fx_err);
		snprintf(want, sizeof want, "run: chmod go-w '%s'", dir);
		cr_assert(strstr(fx_err, want), "%s", fx_err);
	}
	static const mode_t good[] = { 0700, 0755, 0711, 01777, 01770 };
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		rc_config *cfg = NULL;
		cr_assert_eq(chmod(dir, good[i]), 0);
		cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), 0, "mode %o: %s",
			     (unsigned)good[i], fx_err);
		cr_assert_eq(cfg->refresh, 1);
		rc_config_free(cfg);
	}
	/* A link kept in a safe directory to a file in an unsafe one: the
	 * file can be replaced where it is. */
	cr_assert_eq(chmod(dir, 0777), 0);
	rc_config *cfg = (rc_config *)1;
	cr_assert_eq(symlink(conf, fx_conf), 0);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	snprintf(want, sizeof want, "%s: its directory %s is writable by everyone", fx_conf, dir);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	/* And the other way round: the link itself can be replaced. */
	cr_assert_eq(chmod(dir, 0700), 0);
	cr_assert_eq(unlink(fx_conf), 0);
	char file[700];
	snprintf(file, sizeof file, "%s/real.conf", fx_dir);
	fx_write(file, "refresh = 2;\n", 0600);
	cr_assert_eq(unlink(conf), 0);
	cr_assert_eq(symlink(file, conf), 0);
	cr_assert_eq(chmod(dir, 0777), 0);
	cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	snprintf(want, sizeof want, "%s: its directory %s is writable by everyone", conf, dir);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert_eq(chmod(dir, 0700), 0);
	cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->refresh, 2);
	rc_config_free(cfg);
	/* A missing file in such a directory is no file to judge. */
	cr_assert_eq(unlink(conf), 0);
	cr_assert_eq(chmod(dir, 0777), 0);
	cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert(!cfg->exists);
	rc_config_free(cfg);
}

/* A directory owned by another user is theirs to replace the file in. */
Test(profile, file_in_a_directory_of_another_user_is_refused)
{
	if (geteuid() != 0)
		cr_skip_test("needs root to chown the directory");
	char dir[600], conf[700], want[2000];
	snprintf(dir, sizeof dir, "%s/theirs", fx_dir);
	snprintf(conf, sizeof conf, "%s/rconsole.conf", dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	fx_write(conf, "refresh = 1;\n", 0600);
	cr_assert_eq(chown(dir, 4242, 4242), 0);
	rc_config *cfg = NULL;
	cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	snprintf(want, sizeof want, "%s: its directory %s is owned by uid 4242, not by you (uid 0) "
		 "or root: refused", conf, dir);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert_eq(chown(dir, 0, 0), 0);
	cr_assert_eq(rc_config_load(conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	rc_config_free(cfg);
}

Test(profile, include_directive_is_refused)
{
	char inc[600];
	snprintf(inc, sizeof inc, "%s/other.conf", fx_dir);
	fx_write(inc, "refresh = 9;\n", 0600);
	char text[800];
	snprintf(text, sizeof text, "scrollback = 200;\n  @include \"%s\"\n", inc);
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), RC_ECONFIG);
	char want[600];
	snprintf(want, sizeof want, "%s:2: @include is not supported", fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
}

Test(profile, include_inside_strings_and_comments_is_text)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("/*\n@include \"x\"\n*/\n"
			     "servers = ( { name = \"a\"; host = \"h\"; list_command = \"list\n"
			     "@include \\\"x\\\"\"; } );\n", 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":4: servers[0] (a): list_command: must not contain control"),
		  "the scanner and libconfig disagree: %s", fx_err);
}

Test(profile, nul_byte_is_refused)
{
	fx_write(fx_conf, "", 0600);
	int fd = open(fx_conf, O_WRONLY);
	cr_assert_eq(write(fd, "refresh = 5;\n\0scrollback = 1;\n", 30), 30);
	close(fd);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":2: NUL byte"), "%s", fx_err);
}

Test(profile, utf8_bom_is_skipped)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("\xef\xbb\xbfrefresh = 3;\n", 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->refresh, 3);
	rc_config_free(cfg);
}

Test(profile, integers_that_fit_are_accepted_in_every_spelling)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("scrollback = 0x7FFF;\nrefresh = +2;\n"
			     "servers = ( { name = \"a\"; host = \"h\"; port = 2147483647L; } );\n",
			     0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":3: servers[0] (a): port: expected an integer 1-65535"), "%s",
		  fx_err);
	cr_assert_eq(fx_load("scrollback = 0x7FFF;\nrefresh = +2;\nx = 1e999; y = -2147483648;\n"
			     "servers = ( { name = \"a\"; host = \"h\"; port = 25576L; } );\n",
			     0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->scrollback, 0x7fff);
	cr_assert_eq(cfg->refresh, 2);
	cr_assert_eq(cfg->servers[0].port, 25576);
	rc_config_free(cfg);
}

/* A profile's timeout takes what --timeout takes, up to RC_TIMEOUT_MAX
 * (it stopped at 3600 while --timeout went to 86400), both when loaded
 * and when added; an integer key's range is said from its limits. */
Test(profile, timeout_goes_up_to_the_limit_the_command_line_has)
{
	rc_config *cfg;
	char text[160];
	snprintf(text, sizeof text, "servers = ( { name = \"a\"; host = \"h\"; timeout = %d; } );\n",
		 RC_TIMEOUT_MAX);
	cr_assert_eq(fx_load(text, 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->servers[0].timeout, 86400);
	rc_profile p;
	rc_profile_init(&p);
	p.name = "b";
	p.host = "h";
	p.timeout = RC_TIMEOUT_MAX + 1;
	char err[160] = "";
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), RC_EINVAL);
	cr_assert_str_eq(err, "profile b: timeout: expected an integer 1-86400 (seconds)");
	p.timeout = RC_TIMEOUT_MAX;
	p.port = 0;
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), RC_EINVAL);
	cr_assert_str_eq(err, "profile b: port: expected an integer 1-65535");
	p.port = RC_DEFAULT_PORT;
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	rc_config_free(cfg);
}

Test(profile, oversized_file_is_refused)
{
	size_t n = 1024 * 1024 + 10;
	char *big = malloc(n + 1);
	memset(big, '\n', n);
	big[n] = '\0';
	memcpy(big, "// big", 6);
	rc_config *cfg;
	cr_assert_eq(fx_load(big, 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, "larger than"), "%s", fx_err);
	free(big);
}

/* Opens path, reads it with profile_read_fd (at most max bytes), closes it. */
static int read_whole(const char *path, size_t max, char **text, size_t *len, char *why,
		      size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	cr_assert_geq(fd, 0, "open %s", path);
	mode_t mode = 0;
	int rc = profile_read_fd(fd, max, text, len, &mode, why, cap);
	close(fd);
	if (rc == 0)
		cr_assert(S_ISREG(mode), "the mode is handed back");
	return rc;
}

Test(profile, new_config_takes_its_defaults_from_the_key_table)
{
	/* rc_config_new() holds, for every global key, the default its row
	 * in the table says, and those are the documented ones. */
	rc_config *cfg = rc_config_new(NULL);
	cr_assert_not_null(cfg);
	for (size_t i = 0; i < profile_n_globals; i++) {
		const struct profile_key *k = &profile_globals[i];
		const void *f = profile_key_field(k, cfg);
		if (k->kind == PROFILE_INT || k->kind == PROFILE_CHOICE || k->kind == PROFILE_SWITCH)
			cr_assert_eq(*(const int *)f, k->def, "%s", k->name);
		else if (k->kind == PROFILE_BOOL)
			cr_assert_eq(*(const bool *)f, k->def != 0, "%s", k->name);
		else if (k->kind == PROFILE_STR)
			cr_assert_null(*(char *const *)f, "%s", k->name);
	}
	cr_assert_eq(cfg->refresh, RC_DEFAULT_REFRESH);
	cr_assert_eq(cfg->scrollback, RC_DEFAULT_SCROLLBACK);
	cr_assert(cfg->mouse);
	cr_assert(cfg->audit);
	cr_assert_eq(cfg->audit_max_kb, RC_DEFAULT_AUDIT_MAX_KB);
	cr_assert(cfg->command_tree);
	cr_assert_eq(cfg->health_refresh, RC_DEFAULT_HEALTH_REFRESH);
	cr_assert_eq(cfg->tps_warn, RC_DEFAULT_TPS_WARN);
	cr_assert_eq(cfg->tps_crit, RC_DEFAULT_TPS_CRIT);
	cr_assert_null(cfg->path);
	cr_assert_eq(cfg->n_servers, 0);
	rc_config_free(cfg);
	/* A profile's booleans have no default but false; the numbers do. */
	rc_profile p;
	rc_profile_init(&p);
	cr_assert_eq(p.port, RC_DEFAULT_PORT);
	cr_assert_not(p.read_only);
	cr_assert_eq(p.refresh, -1);
}

Test(profile, the_one_file_reader_reads_whole_files_up_to_its_limit)
{
	/* profile_read_fd serves the loader and the saver's backup alike. */
	char path[600], why[256];
	char *text;
	size_t len;
	snprintf(path, sizeof path, "%s/f", fx_dir);
	fx_write(path, "", 0600);
	cr_assert_eq(read_whole(path, 8, &text, &len, why, sizeof why), 0, "%s", why);
	cr_assert_eq(len, 0);
	cr_assert_str_eq(text, "");
	free(text);
	fx_write(path, "12345678", 0600);
	cr_assert_eq(read_whole(path, 8, &text, &len, why, sizeof why), 0, "exactly the limit");
	cr_assert_eq(len, 8);
	cr_assert_str_eq(text, "12345678");
	free(text);
	fx_write(path, "123456789", 0600);
	cr_assert_eq(read_whole(path, 8, &text, &len, why, sizeof why), RC_ECONFIG);
	cr_assert_str_eq(why, "larger than 8 bytes");
	cr_assert_null(text);
	/* A regular file that reports no size (procfs) is read whole too. */
	cr_assert_eq(read_whole("/proc/self/status", 1 << 20, &text, &len, why, sizeof why), 0,
		     "%s", why);
	cr_assert_gt(len, 100);
	cr_assert_eq(strncmp(text, "Name:", 5), 0, "%.20s", text);
	cr_assert_eq(strlen(text), len);
	free(text);
	cr_assert_eq(read_whole(fx_dir, 8, &text, &len, why, sizeof why), RC_ECONFIG);
	cr_assert_str_eq(why, "not a regular file");
	/* Larger than one read, byte for byte. */
	size_t n = 300000;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	fx_write(path, big, 0600);
	cr_assert_eq(read_whole(path, n, &text, &len, why, sizeof why), 0, "%s", why);
	cr_assert_eq(len, n);
	cr_assert_str_eq(text, big);
	free(text);
	free(big);
}

Test(profile, too_many_lines_are_refused)
{
	size_t n = 70000;
	char *text = malloc(n + 1);
	memset(text, '\n', n);
	text[n] = '\0';
	rc_config *cfg;
	cr_assert_eq(fx_load(text, 0600, &cfg), RC_ECONFIG);
	cr_assert(strstr(fx_err, ":65536: more than 65535 lines"), "%s", fx_err);
	free(text);
}

/* Returns whether an item line (.It) of the page between start and end
 * names key with Ic (".It Ic a , Ic b Pq ..." names a and b). */
static bool page_has_item(const char *start, const char *end, const char *key)
{
	char want[64];
	snprintf(want, sizeof want, "Ic %s ", key);
	for (const char *l = start; l && l < end; l = strchr(l + 1, '\n')) {
		const char *eol = strchr(l + 1, '\n');
		const char *at = strstr(l, want);
		if (strncmp(l, "\n.It ", 5) == 0 && at && (!eol || at < eol))
			return true;
	}
	return false;
}

/* Checks that every key of the library's table t[n] is documented: as
 * `key = ` in the example file and as an item of the section of
 * rconsole.conf(5) that starts at sect. */
static void check_keys_documented(const struct profile_key *t, size_t n, const char *example,
    const char *page, const char *sect)
{
	const char *start = strstr(page, sect);
	cr_assert(start, "rconsole.conf.5 has no %s", sect);
	const char *end = strstr(start + 1, "\n.Sh ");
	for (size_t i = 0; i < n; i++) {
		char want[64];
		snprintf(want, sizeof want, "%s = ", t[i].name);
		cr_assert(strstr(example, want), "%s is not in the example file", t[i].name);
		cr_assert(page_has_item(start, end ? end : start + strlen(start), t[i].name),
		    "%s is not an item of rconsole.conf(5)'s %s", t[i].name, sect + 5);
	}
}

/* Every key the loader knows (its tables, not a list kept by hand): the
 * example file loads and shows each, rconsole.conf(5) has an item for each
 * in GLOBAL KEYS or SERVER KEYS. */
Test(profile, example_file_loads_and_documents_every_key)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/data/rconsole.conf.example", top ? top : "..");
	setenv("HOME", fx_dir, 1);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(path, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert(cfg->exists, "%s not found (TOP_SRCDIR unset?)", path);
	cr_assert_eq(cfg->n_warnings, 0, "%s", cfg->n_warnings ? cfg->warnings[0] : "");
	cr_assert_eq(cfg->n_servers, 2);
	rc_config_free(cfg);
	char *text = files_read(path, NULL);
	snprintf(path, sizeof path, "%s/data/man/rconsole.conf.5", top ? top : "..");
	char *page = files_read(path, NULL);
	cr_assert(text && page, "%s", path);
	cr_assert(strstr(text, "servers = "));
	check_keys_documented(profile_globals, profile_n_globals, text, page, "\n.Sh GLOBAL KEYS");
	check_keys_documented(profile_keys, profile_n_keys, text, page, "\n.Sh SERVER KEYS");
	free(page);
	free(text);
}

/* Issue 14's keys: insecure_ok, audit and audit_max_kb (global and per server). */
Test(profile, audit_and_insecure_ok_keys)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("audit = false; audit_max_kb = 64;\nservers = (\n"
			     "  { name = \"a\"; host = \"10.0.0.5\"; insecure_ok = true; audit = true;"
			     " audit_max_kb = 2; },\n"
			     "  { name = \"b\"; host = \"h\"; audit = false; },\n"
			     "  { name = \"c\"; host = \"h\"; }\n);\n", 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 0, "%s", cfg->n_warnings ? cfg->warnings[0] : "");
	cr_assert_not(cfg->audit);
	cr_assert_eq(cfg->audit_max_kb, 64);
	cr_assert(cfg->servers[0].insecure_ok);
	cr_assert_eq(cfg->servers[0].audit, RC_PROFILE_ON);
	cr_assert_eq(cfg->servers[0].audit_max_kb, 2);
	cr_assert_eq(cfg->servers[1].audit, RC_PROFILE_OFF);
	cr_assert_not(cfg->servers[2].insecure_ok);
	cr_assert_eq(cfg->servers[2].audit, RC_PROFILE_UNSET);
	cr_assert_eq(cfg->servers[2].audit_max_kb, 0);
	rc_config_free(cfg);
	/* Defaults when absent. */
	cr_assert_eq(fx_load("servers = ( { name = \"a\"; host = \"h\"; } );\n", 0600, &cfg), 0);
	cr_assert(cfg->audit);
	cr_assert_eq(cfg->audit_max_kb, RC_DEFAULT_AUDIT_MAX_KB);
	rc_config_free(cfg);
}

Test(profile, audit_keys_type_and_range_errors)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "audit = 1;\n", ":1: audit: expected true or false" },
		{ "audit_max_kb = 0;\n", ":1: audit_max_kb: expected an integer 1-1048576 (KiB)" },
		{ "audit_max_kb = \"5\";\n", ":1: audit_max_kb: expected an integer" },
		{ "servers = (\n { name = \"a\"; host = \"h\"; audit = \"no\"; }\n);\n",
		  ":2: servers[0] (a): audit: expected true or false" },
		{ "servers = (\n { name = \"a\"; host = \"h\"; insecure_ok = 1; }\n);\n",
		  ":2: servers[0] (a): insecure_ok: expected true or false" },
		{ "servers = (\n { name = \"a\"; host = \"h\"; audit_max_kb = 1048577; }\n);\n",
		  ":2: servers[0] (a): audit_max_kb: expected an integer 1-1048576" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rc_config *cfg;
		cr_assert_eq(fx_load(cases[i].text, 0600, &cfg), RC_ECONFIG, "%s", cases[i].text);
		cr_assert(strstr(fx_err, cases[i].want), "%s: %s", cases[i].text, fx_err);
	}
}

/* rc_config_find_fold: the profile a typed name would clash with, through
 * the folded index, among many, after adds and removals; NULL arguments
 * and absent names give NULL. */
Test(profile, find_fold_finds_names_differing_in_case)
{
	enum { N = 2000 };
	rc_config *cfg = load_srv_n(N);
	cr_assert_null(rc_config_find_fold(NULL, "srv1"));
	cr_assert_null(rc_config_find_fold(cfg, NULL));
	cr_assert_null(rc_config_find_fold(cfg, "srv"));
	cr_assert_null(rc_config_find_fold(cfg, "srv20000"));
	rc_profile *p = rc_config_find_fold(cfg, "sRV1999");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->name, "Srv1999");
	cr_assert_eq(rc_config_find_fold(cfg, "Srv7"), rc_config_find(cfg, "Srv7"));
	cr_assert_null(rc_config_find(cfg, "srv7"));   /* the exact lookup stays exact */
	rc_profile np;
	rc_profile_init(&np);
	np.name = "Lobby";
	np.host = "h2";
	cr_assert_eq(rc_config_add(cfg, &np, fx_err, sizeof fx_err), 0, "%s", fx_err);
	p = rc_config_find_fold(cfg, "LOBBY");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->name, "Lobby");
	cr_assert_eq(rc_config_remove(cfg, "Srv5"), 0);
	cr_assert_null(rc_config_find_fold(cfg, "srv5"));
	p = rc_config_find_fold(cfg, "SRV6");
	cr_assert_not_null(p);
	cr_assert_str_eq(p->name, "Srv6");
	cr_assert_not_null(rc_config_find_fold(cfg, "lobby"));
	rc_config_free(cfg);
}
