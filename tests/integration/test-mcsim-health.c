/* test-mcsim-health.c: mcsim's health commands per --health and --tps, read
 * back through the library's parser (rc_mc_health_parse), so the simulator
 * and the parser agree on the real shapes. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../support/mcsim.h"
#include "rconsole/mc.h"

static mcsim sim;
static rcon_test *cl;

/* Starts mcsim with args, connects and authenticates. */
static void start_authed(const char *const *args)
{
	cl = mcsim_start_client(&sim, args);
	cr_assert_not_null(cl, "mcsim started and took the password");
}

/* Fixture teardown. */
static void finish(void)
{
	rcon_test_close(cl);
	cl = NULL;
	mcsim_stop(&sim);
}

/* Runs cmd and parses the reply into *h; returns the parse verdict. */
static bool health_of(const char *cmd, rc_mc_health *h, char **raw)
{
	size_t len = 0;
	char *r = rcon_test_exec(cl, cmd, &len, NULL);
	bool ok;

	cr_assert_not_null(r, "no reply to %s", cmd);
	ok = rc_mc_health_parse(r, len, h);
	if (raw)
		*raw = r;
	else
		free(r);
	return ok;
}

TestSuite(health, .fini = finish, .timeout = 60);

Test(health, paper_answers_tps_mspt_and_tick_query)
{
	const char *args[] = { "--tps", "12.5", NULL };
	rc_mc_health h;
	char *raw;

	start_authed(args);
	cr_assert(health_of("tps", &h, &raw));
	cr_assert_eq(h.format, RC_MC_HEALTH_PAPER_TPS);
	cr_assert(fabs(h.tps[0] - 12.5) < 1e-9 && fabs(h.tps[2] - 12.5) < 1e-9, "%g", h.tps[0]);
	cr_assert(strstr(raw, "\xc2\xa7" "c12.5"), "low TPS in red: %s", raw);
	free(raw);
	cr_assert(health_of("mspt", &h, NULL));
	cr_assert_eq(h.format, RC_MC_HEALTH_PAPER_MSPT);
	cr_assert(fabs(h.mspt - 80.0) < 1e-9, "%g", h.mspt);
	cr_assert(health_of("tick query", &h, NULL));
	cr_assert_eq(h.format, RC_MC_HEALTH_TICK_QUERY);
	cr_assert_eq(h.state, RC_MC_TICK_LAGGING);
}

Test(health, sim_tps_changes_the_figure)
{
	rc_mc_health h;
	size_t len;
	char *r;

	start_authed(NULL);
	cr_assert(health_of("tps", &h, NULL));
	cr_assert(h.tps[0] > 19.0 && h.tps[0] <= 20.0, "healthy by default: %g", h.tps[0]);
	r = rcon_test_exec(cl, "sim tps 30", &len, NULL);
	cr_assert_str_eq(r, "TPS set to 30");
	free(r);
	cr_assert(health_of("tps", &h, &r));
	cr_assert(strstr(r, "*20.0"), "Spigot's star over 21: %s", r);
	cr_assert(fabs(h.tps[0] - 20.0) < 1e-9);
	free(r);
	r = rcon_test_exec(cl, "sim tps -1", &len, NULL);
	cr_assert(strncmp(r, "Unknown or incomplete command", 29) == 0, "%s", r);
	free(r);
}

Test(health, vanilla_has_tick_query_only)
{
	const char *args[] = { "--health", "vanilla", "--tps", "10", NULL };
	rc_mc_health h;
	char *raw;

	start_authed(args);
	cr_assert(health_of("tick query", &h, NULL));
	cr_assert(fabs(h.mspt - 100.0) < 1e-9, "%g", h.mspt);
	cr_assert_not(health_of("tps", &h, &raw));
	cr_assert(rc_mc_health_unknown(raw, strlen(raw)), "%s", raw);
	free(raw);
	cr_assert_not(health_of("mspt", &h, NULL));
	cr_assert_not(health_of("forge tps", &h, NULL));
	cr_assert_not(health_of("help", &h, &raw));
	cr_assert(strstr(raw, "/tick (") && !strstr(raw, "/forge ("), "help lists /tick");
	free(raw);
}

Test(health, forge_answers_forge_tps)
{
	const char *args[] = { "--health", "forge", "--tps", "16", NULL };
	rc_mc_health h;
	char *raw;

	start_authed(args);
	cr_assert(health_of("forge tps", &h, NULL));
	cr_assert_eq(h.format, RC_MC_HEALTH_FORGE);
	cr_assert(fabs(h.tps[0] - 16.0) < 1e-9, "%g", h.tps[0]);
	cr_assert_not(health_of("tps", &h, NULL));
	cr_assert_not(health_of("help", &h, &raw));
	cr_assert(strstr(raw, "/forge ("), "help lists /forge");
	free(raw);
}

Test(health, none_knows_no_health_command)
{
	const char *args[] = { "--health", "none", NULL };
	static const char *const cmds[] = { "tps", "mspt", "tick query", "forge tps" };
	rc_mc_health h;
	char *raw;

	start_authed(args);
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		cr_assert_not(health_of(cmds[i], &h, &raw));
		cr_assert(rc_mc_health_unknown(raw, strlen(raw)), "%s: %s", cmds[i], raw);
		free(raw);
	}
	cr_assert_not(health_of("help", &h, &raw));
	cr_assert(!strstr(raw, "/tick (") && !strstr(raw, "/forge ("));
	free(raw);
}
