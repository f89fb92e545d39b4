/* test-profile-tunnel.c: the tunnel keys of a profile — ssh, ssh_options,
 * proxy_command: their values, wrong types, ssh and proxy_command together
 * (refused, naming the line), ssh_options without ssh, validation on add,
 * the round trip through a save, rc_profile_conn_opts() filling the
 * connection options (only when the caller's structure has the fields), and
 * two threads loading bad proxy commands at once, each told its own. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stddef.h>

#include "test-profile-util.h"

TestSuite(tunnel_keys, .init = fx_setup, .fini = fx_teardown);

static const char tunnel_file[] =
	"servers = (\n"
	"  { name = \"a\"; host = \"127.0.0.1\"; password = \"x\";\n"
	"    ssh = \"admin@mc1.example.net\";\n"
	"    ssh_options = [ \"-p\", \"2222\", \"-o\", \"ControlMaster=auto\" ]; },\n"
	"  { name = \"b\"; host = \"10.0.0.5\"; port = 25580; password = \"x\";\n"
	"    proxy_command = \"socat - TCP:%h:%p\"; },\n"
	"  { name = \"c\"; host = \"10.0.0.6\"; password = \"x\"; }\n"
	");\n";

Test(tunnel_keys, values_load)
{
	rc_config *cfg;
	cr_assert_eq(fx_load(tunnel_file, 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_warnings, 0, "%s", cfg->n_warnings ? cfg->warnings[0] : "");
	rc_profile *a = rc_config_find(cfg, "a"), *b = rc_config_find(cfg, "b"),
	    *c = rc_config_find(cfg, "c");
	cr_assert_str_eq(a->ssh, "admin@mc1.example.net");
	cr_assert_eq(a->n_ssh_options, 4);
	cr_assert_str_eq(a->ssh_options[1], "2222");
	cr_assert_null(a->ssh_options[4]);
	cr_assert_null(a->proxy_command);
	cr_assert_str_eq(b->proxy_command, "socat - TCP:%h:%p");
	cr_assert_null(b->ssh);
	cr_assert_null(c->ssh);
	cr_assert_null(c->ssh_options);
	cr_assert_null(c->proxy_command);
	rc_config_free(cfg);
}

/* A wrong value and what the error must say (key and line). */
struct bad_case {
	const char *body;
	const char *want;
};

static const struct bad_case bad_cases[] = {
	{ "ssh = 5;", "rconsole.conf:3: servers[0] (a): ssh: expected a string" },
	{ "ssh = \"\";", "ssh: must not be empty" },
	{ "ssh = \"-oProxyCommand=x\";", "ssh: expected an ssh destination" },
	{ "ssh = \"a b\";", "ssh: expected an ssh destination" },
	{ "ssh = \"a\"; ssh_options = \"-p 22\";", "ssh_options: expected a list of strings" },
	{ "ssh = \"a\"; ssh_options = [ 22 ];", "ssh_options: item 1: expected a string" },
	{ "proxy_command = [ \"nc\" ];", "proxy_command: expected a string" },
	{ "proxy_command = \"\";", "proxy_command: must not be empty" },
	{ "proxy_command = \"nc %h %x\";", "proxy_command: unknown %x (use %h, %p or %%)" },
	{ "proxy_command = \"nc 'open\";", "proxy_command: unterminated ' quote" },
	{ "proxy_command = \"   \";", "proxy_command: empty command" },
	{ "ssh = \"a@b\";\n    proxy_command = \"nc %h %p\";",
	  "rconsole.conf:4: servers[0] (a): proxy_command: ssh and proxy_command exclude each other" },
	{ "ssh_options = [ \"-p\", \"2\" ];", "rconsole.conf:3: servers[0] (a): ssh_options: needs ssh" },
};

Test(tunnel_keys, wrong_values_name_key_and_line)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		char text[512];
		snprintf(text, sizeof text,
		    "servers = (\n  { name = \"a\"; host = \"h\"; password = \"x\";\n    %s }\n);\n",
		    bad_cases[i].body);
		rc_config *cfg = NULL;
		fx_err[0] = '\0';
		cr_assert_eq(fx_load(text, 0600, &cfg), RC_ECONFIG, "case %zu loaded", i);
		cr_assert_not_null(strstr(fx_err, bad_cases[i].want), "case %zu: '%s' lacks '%s'", i,
		    fx_err, bad_cases[i].want);
	}
}

Test(tunnel_keys, add_checks_exclusion)
{
	rc_config *cfg = rc_config_new(fx_conf);
	rc_profile p;
	rc_profile_init(&p);
	p.name = "a";
	p.host = "h";
	p.ssh = "u@h";
	p.proxy_command = "nc %h %p";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert_not_null(strstr(fx_err, "exclude each other"), "%s", fx_err);
	p.proxy_command = NULL;
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
	rc_config_free(cfg);
}

Test(tunnel_keys, save_keeps_them)
{
	rc_config *cfg;
	cr_assert_eq(fx_load(tunnel_file, 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	rc_config *back;
	cr_assert_eq(rc_config_load(fx_conf, &back, fx_err, sizeof fx_err), 0, "%s", fx_err);
	for (size_t i = 0; i < cfg->n_servers; i++)
		cr_assert(rc_profile_equal(&cfg->servers[i], &back->servers[i]), "server %zu", i);
	cr_assert_str_eq(rc_config_find(back, "a")->ssh_options[3], "ControlMaster=auto");
	rc_config_free(back);
	rc_config_free(cfg);
}

Test(tunnel_keys, conn_opts_get_the_tunnel)
{
	rc_config *cfg;
	cr_assert_eq(fx_load(tunnel_file, 0600, &cfg), 0, "%s", fx_err);
	rc_conn_opts o;
	char port[8];
	rc_conn_opts_init(&o);
	rc_profile_conn_opts(rc_config_find(cfg, "a"), &o, port, sizeof port);
	cr_assert_str_eq(o.ssh, "admin@mc1.example.net");
	cr_assert_eq(o.n_ssh_options, 4);
	cr_assert_str_eq(o.ssh_options[0], "-p");
	cr_assert_null(o.proxy_command);
	rc_conn_opts_init(&o);
	rc_profile_conn_opts(rc_config_find(cfg, "b"), &o, port, sizeof port);
	cr_assert_null(o.ssh);
	cr_assert_str_eq(o.proxy_command, "socat - TCP:%h:%p");
	/* A caller built before the fields existed: nothing written past them. */
	union {
		rc_conn_opts o;
		unsigned char b[sizeof(rc_conn_opts)];
	} old;
	memset(&old, 0xa5, sizeof old);
	rc_conn_opts_init_size(&old.o, offsetof(rc_conn_opts, ssh));
	rc_profile_conn_opts(rc_config_find(cfg, "a"), &old.o, port, sizeof port);
	for (size_t i = offsetof(rc_conn_opts, ssh); i < sizeof old; i++)
		cr_assert_eq(old.b[i], 0xa5, "byte %zu written", i);
	/* size 0 is the first layout: it has no tunnel fields either. */
	memset(&old, 0xa5, sizeof old);
	rc_conn_opts_init_size(&old.o, offsetof(rc_conn_opts, stream));
	old.o.size = 0;
	rc_profile_conn_opts(rc_config_find(cfg, "a"), &old.o, port, sizeof port);
	for (size_t i = offsetof(rc_conn_opts, stream); i < sizeof old; i++)
		cr_assert_eq(old.b[i], 0xa5, "byte %zu written with size 0", i);
	/* A profile without a tunnel fills such a caller's options as ever. */
	rc_profile_conn_opts(rc_config_find(cfg, "c"), &old.o, port, sizeof port);
	cr_assert_str_eq(old.o.host, rc_config_find(cfg, "c")->host);
	rc_config_free(cfg);
}

Test(tunnel_keys, a_tunnel_the_callers_options_cannot_hold_is_never_a_direct_connection)
{
	/* A program built before the tunnel fields got "a" (ssh, host
	 * 127.0.0.1 as seen from mc1) as host 127.0.0.1 and no tunnel, so it
	 * connected to its own machine's port and sent a's password there.
	 * The connection is now refused instead, as conn.h refuses a size that
	 * cuts the tunnel off. */
	rc_config *cfg;
	cr_assert_eq(fx_load(tunnel_file, 0600, &cfg), 0, "%s", fx_err);
	rc_loop *l = rc_loop_new();
	char port[8];
	static const size_t sizes[] = { 0, offsetof(rc_conn_opts, ssh) };
	static const char *const names[] = { "a", "b" };
	for (size_t i = 0; i < 2; i++) {
		for (size_t n = 0; n < 2; n++) {
			rc_conn_opts o;
			rc_conn_opts_init_size(&o, sizes[i] ? sizes[i] : offsetof(rc_conn_opts, stream));
			o.size = sizes[i];
			rc_profile_conn_opts(rc_config_find(cfg, names[n]), &o, port, sizeof port);
			int err = 0;
			rc_conn *c = rc_conn_new_err(l, &o, NULL, NULL, &err);
			cr_assert_null(c, "profile %s, size %zu: connects directly", names[n], sizes[i]);
			cr_assert_eq(err, RC_EINVAL);
		}
	}
	rc_loop_free(l);
	rc_config_free(cfg);
}

/* One thread's part in the race below: its file and the reason it must get. */
struct proxy_loader {
	char path[600];
	const char *want;
	int loads;
	char got[256];    /* the first wrong error, or "" */
};

/* Loads one file again and again, keeping the first error that is not its own. */
static void *load_own_proxy(void *arg)
{
	struct proxy_loader *t = arg;
	for (int i = 0; i < t->loads && !t->got[0]; i++) {
		rc_config *cfg = NULL;
		char err[256] = "";
		if (rc_config_load(t->path, &cfg, err, sizeof err) != RC_ECONFIG || !strstr(err, t->want))
			snprintf(t->got, sizeof t->got, "%s", err[0] ? err : "(loaded)");
		rc_config_free(cfg);
	}
	return NULL;
}

/* Two threads load two files with different bad proxy commands: each must
 * be told its own reason.  The reason used to live in one static buffer,
 * which the other thread's check could overwrite between being written and
 * being copied into the error. */
Test(tunnel_keys, two_threads_loading_bad_proxy_commands_each_get_their_own_reason)
{
	static const char *const cmds[] = { "nc %h %x", "nc 'open" };
	static const char *const wants[] = {
		"proxy_command: unknown %x (use %h, %p or %%)",
		"proxy_command: unterminated ' quote",
	};
	struct proxy_loader t[2];
	pthread_t th[2];
	for (int i = 0; i < 2; i++) {
		memset(&t[i], 0, sizeof t[i]);
		snprintf(t[i].path, sizeof t[i].path, "%s/t%d.conf", fx_dir, i);
		char text[256];
		snprintf(text, sizeof text,
		    "servers = ( { name = \"a\"; host = \"h\"; proxy_command = \"%s\"; } );\n", cmds[i]);
		fx_write(t[i].path, text, 0600);
		t[i].want = wants[i];
		t[i].loads = 3000;
	}
	for (int i = 0; i < 2; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, load_own_proxy, &t[i]), 0);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 2; i++)
		cr_assert_str_eq(t[i].got, "", "thread %d wanted \"%s\", got \"%s\"", i, t[i].want, t[i].got);
}
