/* test-app-setting.c: the per-server settings table (src/app/app-setting.c)
 * — for each setting the override wins, then the profile, then the file's
 * global key, then the default; a setting without a global key or an
 * override skips that step; the command_tree switch maps ON/OFF/UNSET. */
#include <criterion/criterion.h>

#include "app/app-int.h"

static rc_loop *loop;
static rc_config *cfg;

/* Makes the loop and an empty config. */
static void setup(void)
{
	loop = rc_loop_new();
	cfg = rc_config_new(NULL);
	cr_assert(loop && cfg);
}

/* Frees them. */
static void teardown(void)
{
	rc_config_free(cfg);
	rc_loop_free(loop);
}

TestSuite(setting, .init = setup, .fini = teardown);

/* Returns an app over cfg with the given overrides (-1 = none). */
static app *make(int refresh, int health, bool no_tree)
{
	app_opts o = { .refresh_override = refresh, .health_override = health, .no_tree = no_tree,
		.state_dir = "/nonexistent", .cache_dir = "/nonexistent" };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	return a;
}

Test(setting, defaults_when_nothing_is_set)
{
	rc_profile p;
	rc_profile_init(&p);
	app *a = make(-1, -1, false);
	cfg->refresh = -1;   /* as if the file had no such key (the loader never leaves it so) */
	cr_assert_eq(app_setting(a, &p, APP_SET_REFRESH), RC_DEFAULT_REFRESH);
	cr_assert_eq(app_setting(NULL, NULL, APP_SET_HEALTH_REFRESH), RC_DEFAULT_HEALTH_REFRESH);
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_WARN), RC_DEFAULT_TPS_WARN);
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_CRIT), RC_DEFAULT_TPS_CRIT);
	cr_assert_eq(app_setting(a, &p, APP_SET_ALERT_INTERVAL), APP_DEFAULT_ALERT_INTERVAL);
	cr_assert_eq(app_setting(a, &p, APP_SET_COMMAND_TREE), 1);
	app_free(a);
}

Test(setting, the_file_then_the_profile_then_the_override)
{
	rc_profile p;
	rc_profile_init(&p);
	cfg->refresh = 7;
	cfg->health_refresh = 8;
	cfg->tps_warn = 17;
	cfg->tps_crit = 9;
	cfg->command_tree = false;
	app *a = make(-1, -1, false);
	cr_assert_eq(app_setting(a, &p, APP_SET_REFRESH), 7);
	cr_assert_eq(app_setting(a, &p, APP_SET_HEALTH_REFRESH), 8);
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_WARN), 17);
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_CRIT), 9);
	cr_assert_eq(app_setting(a, &p, APP_SET_COMMAND_TREE), 0);
	cr_assert_eq(app_setting(a, NULL, APP_SET_REFRESH), 7, "no profile: the file's");

	p.refresh = 0;            /* 0 is a value (off), not "unset" */
	p.health_refresh = 3;
	p.tps_warn = 19;
	p.tps_crit = 0;
	p.alert_interval = 5;
	p.command_tree = RC_PROFILE_ON;
	cr_assert_eq(app_setting(a, &p, APP_SET_REFRESH), 0);
	cr_assert_eq(app_setting(a, &p, APP_SET_HEALTH_REFRESH), 3);
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_WARN), 19);
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_CRIT), 0);
	cr_assert_eq(app_setting(a, &p, APP_SET_ALERT_INTERVAL), 5);
	cr_assert_eq(app_setting(a, &p, APP_SET_COMMAND_TREE), 1);
	p.command_tree = RC_PROFILE_OFF;
	cfg->command_tree = true;
	cr_assert_eq(app_setting(a, &p, APP_SET_COMMAND_TREE), 0);
	app_free(a);

	a = make(2, 0, true);
	cr_assert_eq(app_setting(a, &p, APP_SET_REFRESH), 2, "--refresh wins");
	cr_assert_eq(app_setting(a, &p, APP_SET_HEALTH_REFRESH), 0, "the health override wins");
	cr_assert_eq(app_setting(a, &p, APP_SET_COMMAND_TREE), 0, "no_tree wins");
	p.command_tree = RC_PROFILE_ON;
	cr_assert_eq(app_setting(a, &p, APP_SET_COMMAND_TREE), 0, "no_tree wins over ON");
	cr_assert_eq(app_setting(a, &p, APP_SET_TPS_WARN), 19, "no override for thresholds");
	app_free(a);
}
