/* test-profile-size.c: rc_profile's size rule, which lets the structure
 * grow at its end without breaking programs built against older or newer
 * headers: rc_profile_init() records the caller's size and writes nothing
 * past it; the library reads nothing at or past a profile's size (those
 * fields take their defaults, so a garbage pointer there is never touched);
 * a bigger structure from newer headers is read up to the library's part;
 * size 0 is the whole first layout; the library's own copies carry its
 * size; rc_config_profile() walks the profiles with the library's stride. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/profile.h"

/* A pointer no test may follow: reading through it would crash. */
#define POISON ((void *)(uintptr_t)1)

/* Returns an empty configuration (never saved). */
static rc_config *new_config(void)
{
	rc_config *cfg = rc_config_new("/nonexistent/rconsole.conf");
	cr_assert_not_null(cfg);
	return cfg;
}

Test(profile_size, init_sets_the_callers_size)
{
	rc_profile p;
	memset(&p, 0x5a, sizeof p);
	rc_profile_init(&p);
	cr_assert_eq(p.size, sizeof p);
	cr_assert_eq(p.port, RC_DEFAULT_PORT);
	cr_assert_null(p.proxy_command);
}

Test(profile_size, init_writes_nothing_past_a_smaller_structure)
{
	union {
		rc_profile p;
		unsigned char b[sizeof(rc_profile)];
	} u;
	memset(u.b, 0xaa, sizeof u.b);
	size_t small = offsetof(rc_profile, ssh);
	rc_profile_init_size(&u.p, small);
	cr_assert_eq(u.p.size, small);
	cr_assert_eq(u.p.port, RC_DEFAULT_PORT);
	cr_assert_eq(u.p.refresh, -1);
	for (size_t i = small; i < sizeof u.b; i++)
		cr_assert_eq(u.b[i], 0xaa, "byte %zu past the caller's size was written", i);
}

Test(profile_size, fields_at_or_past_the_size_are_never_read)
{
	rc_profile p;
	rc_profile_init_size(&p, offsetof(rc_profile, tags));
	p.name = "older";
	p.host = "127.0.0.1";
	p.password = "pw";
	/* What an older program's structure does not have: garbage here. */
	p.tags = POISON;
	p.n_tags = 3;
	p.password_file = NULL;
	p.watch = POISON;
	p.n_watch = 2;
	p.ssh = POISON;
	p.ssh_options = POISON;
	p.n_ssh_options = 5;
	p.proxy_command = POISON;
	p.list_command = POISON;
	p.log_file = POISON;
	p.confirm = POISON;
	p.on_event = POISON;

	rc_conn_opts o;
	rc_conn_opts_init(&o);
	char port[8];
	rc_profile_conn_opts(&p, &o, port, sizeof port);
	cr_assert_str_eq(o.host, "127.0.0.1");
	cr_assert_null(o.ssh);
	cr_assert_null(o.proxy_command);
	cr_assert_eq(o.n_ssh_options, 0);

	char *pw = NULL, err[256];
	cr_assert_eq(rc_profile_password(&p, &pw, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(pw, "pw");
	free(pw);

	rc_config *cfg = new_config();
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	const rc_profile *s = rc_config_find(cfg, "older");
	cr_assert_not_null(s);
	cr_assert_eq(s->size, sizeof *s, "the library's copy has the library's size");
	cr_assert_null(s->tags);
	cr_assert_eq(s->n_tags, 0);
	cr_assert_null(s->ssh);
	cr_assert_null(s->proxy_command);
	cr_assert_null(s->watch);
	cr_assert_str_eq(s->list_command, "list");
	cr_assert(rc_profile_equal(&p, s));
	rc_config_free(cfg);
}

Test(profile_size, a_bigger_structure_from_newer_headers_is_read_up_to_ours)
{
	struct newer {
		rc_profile p;
		char future[40];
	} n;
	memset(&n, 0x55, sizeof n);
	rc_profile_init_size(&n.p, sizeof n);
	cr_assert_eq(n.p.size, sizeof n);
	for (size_t i = 0; i < sizeof n.future; i++)
		cr_assert_eq(n.future[i], 0, "a field the library does not know is zeroed");
	n.p.name = "newer";
	n.p.host = "::1";
	n.p.proxy_command = "socat - TCP:%h:%p";
	char err[256];
	rc_config *cfg = new_config();
	cr_assert_eq(rc_config_add(cfg, &n.p, err, sizeof err), 0, "%s", err);
	const rc_profile *s = rc_config_find(cfg, "newer");
	cr_assert_eq(s->size, sizeof *s);
	cr_assert_str_eq(s->proxy_command, "socat - TCP:%h:%p");
	rc_config_free(cfg);
}

Test(profile_size, size_zero_is_the_whole_first_layout)
{
	rc_profile p;
	memset(&p, 0, sizeof p);
	p.name = "zeroed";
	p.host = "127.0.0.1";
	p.port = 25575;
	p.refresh = p.timeout = p.health_refresh = p.tps_warn = p.tps_crit = -1;
	p.alert_interval = -1;
	p.proxy_command = "socat - TCP:%h:%p";
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	char port[8];
	rc_profile_conn_opts(&p, &o, port, sizeof port);
	cr_assert_str_eq(o.proxy_command, "socat - TCP:%h:%p");
	char err[256];
	rc_config *cfg = new_config();
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	cr_assert_str_eq(rc_config_find(cfg, "zeroed")->proxy_command, "socat - TCP:%h:%p");
	rc_config_free(cfg);
}

Test(profile_size, config_profile_walks_the_profiles_in_order)
{
	rc_config *cfg = new_config();
	const char *names[] = { "alpha", "beta", "gamma" };
	char err[256];
	for (size_t i = 0; i < 3; i++) {
		rc_profile p;
		rc_profile_init(&p);
		p.name = (char *)names[i];
		p.host = "127.0.0.1";
		cr_assert_eq(rc_config_add(cfg, &p, err, sizeof err), 0, "%s", err);
	}
	for (size_t i = 0; i < 3; i++) {
		rc_profile *p = rc_config_profile(cfg, i);
		cr_assert_not_null(p);
		cr_assert_str_eq(p->name, names[i]);
		cr_assert_eq(p, &cfg->servers[i]);
	}
	cr_assert_null(rc_config_profile(cfg, 3));
	cr_assert_null(rc_config_profile(NULL, 0));
	rc_config_free(cfg);
}
