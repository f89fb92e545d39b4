/* test-mc-health.c: every health reply shape (Paper tps and mspt, vanilla
 * tick query, Forge, EssentialsX), with and without colours, glued, and
 * garbage that must stay UNPARSED. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <string.h>

#include "rconsole/mc.h"

#define S "\xC2\xA7"
#define CLOCK "\xE2\x97\xB4"

/* Parameters are copied into each test's process: strings are inline. */
struct health_case {
	char text[400];
	rc_mc_health_format format;
	double tps1, tps5, tps15, mspt;
	char why[48];
};

#define U -1.0

ParameterizedTestParameters(mc_health, shapes)
{
	static struct health_case cases[] = {
		{ "TPS from last 1m, 5m, 15m: 20.0, 19.8, 20.0",
		    RC_MC_HEALTH_PAPER_TPS, 20.0, 19.8, 20.0, U, "plain Paper tps" },
		{ S "6TPS from last 1m, 5m, 15m: " S "a20.0, " S "a19.8, " S "a*20.0",
		    RC_MC_HEALTH_PAPER_TPS, 20.0, 19.8, 20.0, U, "coloured, star" },
		{ S "6TPS from last 1m, 5m, 15m: " S "a*20.0" S "r, " S "e17.12" S "r, " S "c12.5\n",
		    RC_MC_HEALTH_PAPER_TPS, 20.0, 17.12, 12.5, U, "Spigot resets, Bukkit \\n" },
		{ "TPS from last 1m, 5m, 15m: 9.5, 9.5, 9.5\r\n",
		    RC_MC_HEALTH_PAPER_TPS, 9.5, 9.5, 9.5, U, "CR LF" },
		{ "\n \n" S "6TPS from last 1m, 5m, 15m: 9.5, 9.5, 9.5 \t\r\n\r\n",
		    RC_MC_HEALTH_PAPER_TPS, 9.5, 9.5, 9.5, U, "blank lines around, trailing tab" },
		{ S "6Server tick times " S "e(" S "7avg" S "e/" S "7min" S "e/" S "7max" S "e)" S
		    "6 from last 5s" S "7," S "6 10s" S "7," S "6 1m" S "e:\n" S "6" CLOCK " " S
		    "a1.2" S "7/" S "a0.9" S "7/" S "a3.4" S "e, " S "a1.3" S "7/" S "a0.8" S "7/"
		    S "a4.0" S "e, " S "a1.1" S "7/" S "a0.7" S "7/" S "a5.6",
		    RC_MC_HEALTH_PAPER_MSPT, U, U, U, 1.2, "Paper mspt, coloured" },
		{ "Server tick times (avg/min/max) from last 5s, 10s, 1m:" CLOCK
		    " 51.0/40.2/80.9, 50.1/40.0/81.0, 49.9/39.9/99.9",
		    RC_MC_HEALTH_PAPER_MSPT, U, U, U, 51.0, "Paper mspt glued" },
		{ "The game is running normallyTarget tick rate: 20.0 per second.\n"
		    "Average time per tick: 12.5ms (Target: 50.0ms)"
		    "Percentiles: P50: 12.1ms P95: 14.0ms P99: 15.2ms, sample: 100",
		    RC_MC_HEALTH_TICK_QUERY, U, U, U, 12.5, "tick query glued" },
		{ "The game is running normally\nTarget tick rate: 20.0 per second.\n"
		    "Average time per tick: 12.5ms (Target: 50.0ms)\n"
		    "Percentiles: P50: 12.1ms P95: 14.0ms P99: 15.2ms, sample: 100\n",
		    RC_MC_HEALTH_TICK_QUERY, U, U, U, 12.5, "tick query, newlines" },
		{ "The game is running, but can't keep up with the target tick rate"
		    "Target tick rate: 20.0 per second.\nAverage time per tick: 75.3ms (Target: 50.0ms)"
		    "Percentiles: P50: 70.0ms P95: 90.0ms P99: 120.5ms, sample: 100",
		    RC_MC_HEALTH_TICK_QUERY, U, U, U, 75.3, "tick query lagging" },
		{ "The game is sprintingTarget tick rate: 20.0 per second (ignored, reference only)."
		    "\nAverage time per tick: 2.0msPercentiles: P50: 1.9ms P95: 2.5ms P99: 3.0ms, sample: 60",
		    RC_MC_HEALTH_TICK_QUERY, U, U, U, 2.0, "tick query sprinting" },
		{ "Dim  0 (overworld) : Mean tick time: 1.234 ms. Mean TPS: 20.000\n"
		    "Dim -1 (the_nether) : Mean tick time: 0.100 ms. Mean TPS: 20.000\n"
		    "Overall : Mean tick time: 1.500 ms. Mean TPS: 19.950",
		    RC_MC_HEALTH_FORGE, 19.95, U, U, 1.5, "Forge 1.12" },
		{ "Dim minecraft:overworld (minecraft:overworld): Mean tick time: 3.000 ms. Mean TPS: 20.000"
		    "Dim minecraft:the_end (minecraft:the_end): Mean tick time: 0.010 ms. Mean TPS: 20.000"
		    "Overall: Mean tick time: 3.010 ms. Mean TPS: 20.000",
		    RC_MC_HEALTH_FORGE, 20.0, U, U, 3.01, "Forge 1.16+ glued" },
		{ S "6Current TPS = " S "a20.0",
		    RC_MC_HEALTH_ESSENTIALS, 20.0, U, U, U, "EssentialsX alone" },
		{ S "6Uptime:" S "c 2 hours 3 minutes\n" S "6Current TPS = " S "e16.4\n"
		    S "6Maximum memory:" S "c 4096 MB.",
		    RC_MC_HEALTH_ESSENTIALS, 16.4, U, U, U, "EssentialsX gc report" },
	};
	return cr_make_param_array(struct health_case, cases, sizeof cases / sizeof cases[0]);
}

/* Returns true when a and b are both unknown or equal within rounding. */
static bool same(double a, double b)
{
	return (a < 0 && b < 0) || fabs(a - b) < 1e-9;
}

ParameterizedTest(struct health_case *c, mc_health, shapes)
{
	rc_mc_health h;
	bool ok = rc_mc_health_parse(c->text, strlen(c->text), &h);

	cr_assert(ok, "%s: not parsed", c->why);
	cr_assert_eq(h.format, c->format, "%s: format %s", c->why, rc_mc_health_format_name(h.format));
	cr_assert(same(h.tps[0], c->tps1), "%s: tps1 %g", c->why, h.tps[0]);
	cr_assert(same(h.tps[1], c->tps5), "%s: tps5 %g", c->why, h.tps[1]);
	cr_assert(same(h.tps[2], c->tps15), "%s: tps15 %g", c->why, h.tps[2]);
	cr_assert(same(h.mspt, c->mspt), "%s: mspt %g", c->why, h.mspt);
}

/* Replies that must not give a number. */
struct bad_case {
	char text[300];
	char why[48];
};

ParameterizedTestParameters(mc_health, garbage)
{
	static struct bad_case cases[] = {
		{ "", "empty" },
		{ "Unknown or incomplete command, see below for error\ntps<--[HERE]", "vanilla unknown" },
		{ "TPS from last 1m, 5m, 15m: 20.0, 19.8", "one window missing" },
		{ "TPS from last 1m, 5m, 15m: 20.0, 19.8, 20.0, 20.0", "one window too many" },
		{ "TPS from last 1m, 5m, 15m: 20,0, 19,8, 20,0", "comma decimals (locale)" },
		{ "TPS from last 1m, 5m, 15m: -1.0, 19.8, 20.0", "negative" },
		{ "TPS from last 1m, 5m, 15m: 1e3, 19.8, 20.0", "exponent" },
		{ "TPS from last 1m, 5m, 15m: 20.0, 19.8, 20.0 and then some", "trailing text" },
		{ "TPS from last 1m, 5m, 15m: 99999999.0, 19.8, 20.0", "too many digits" },
		{ "TPS from last 1m, 5m, 15m: 5000.0, 19.8, 20.0", "TPS out of range" },
		{ "TPS from last 1m, 5m, 15m: **20.0, 19.8, 20.0", "two stars" },
		{ "TPS de la dernière 1m, 5m, 15m: 20.0, 19.8, 20.0", "translated" },
		{ "Server tick times (avg/min/max) from last 5s, 10s, 1m:\n" CLOCK " 1.2/0.9, 1/1/1, 1/1/1",
		    "mspt triple short" },
		{ "The game is running normallyTarget tick rate: 20.0 per second.\n"
		    "Average time per tick: 12.5ms (Target: 50.0ms)", "tick query truncated" },
		{ "The game is paused\nTarget tick rate: 20.0 per second.\n"
		    "Average time per tick: 12.5ms (Target: 50.0ms)"
		    "Percentiles: P50: 12.1ms P95: 14.0ms P99: 15.2ms, sample: 100", "unknown state" },
		{ "Dim 0 (overworld) : Mean tick time: 1.234 ms. Mean TPS: 20.000", "Forge without Overall" },
		{ "Overall : Mean tick time: 1.5 ms. Mean TPS: 20.0\nOverall : Mean tick time: 9 ms. Mean TPS: 2.0",
		    "Forge two Overall lines" },
		{ "Overall : Mean tick time: 1.5 ms. Mean TPS: 20.0\nDone.", "Forge plus a foreign line" },
		{ "Current TPS = 20.0\nCurrent TPS = 2.0", "Essentials two figures" },
		{ "Current TPS = 20.0 (approx)", "Essentials suffix" },
		{ "Current TPS = 20.0\nTPS from last 1m: 3.0", "Essentials plus another TPS" },
		{ "TPS from last 1m, 5m, 15m: 20.0\0, 19.8, 20.0", "NUL cuts it (strlen)" },
	};
	return cr_make_param_array(struct bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_case *c, mc_health, garbage)
{
	rc_mc_health h;

	cr_assert_not(rc_mc_health_parse(c->text, strlen(c->text), &h), "%s: parsed", c->why);
	cr_assert_eq(h.format, RC_MC_HEALTH_UNPARSED, "%s", c->why);
	cr_assert(h.tps[0] < 0 && h.tps[1] < 0 && h.tps[2] < 0 && h.mspt < 0, "%s: a number", c->why);
}

Test(mc_health, paper_mspt_windows)
{
	static const char t[] = "Server tick times (avg/min/max) from last 5s, 10s, 1m:\n"
	    CLOCK " 1.2/0.9/3.4, 1.3/0.8/4.0, 1.1/0.7/5.6";
	rc_mc_health h;

	cr_assert(rc_mc_health_parse(t, sizeof t - 1, &h));
	cr_assert(same(h.mspt_avg[0], 1.2) && same(h.mspt_min[0], 0.9) && same(h.mspt_max[0], 3.4));
	cr_assert(same(h.mspt_avg[1], 1.3) && same(h.mspt_min[1], 0.8) && same(h.mspt_max[1], 4.0));
	cr_assert(same(h.mspt_avg[2], 1.1) && same(h.mspt_min[2], 0.7) && same(h.mspt_max[2], 5.6));
}

Test(mc_health, tick_query_fields)
{
	static const char t[] = "The game is frozenTarget tick rate: 12.5 per second.\n"
	    "Average time per tick: 80.0ms (Target: 80.0ms)"
	    "Percentiles: P50: 12.1ms P95: 14.0ms P99: 15.2ms, sample: 100";
	rc_mc_health h;

	cr_assert(rc_mc_health_parse(t, sizeof t - 1, &h));
	cr_assert_eq(h.state, RC_MC_TICK_FROZEN);
	cr_assert(same(h.target_tps, 12.5) && same(h.target_mspt, 80.0));
	cr_assert(same(h.p50, 12.1) && same(h.p95, 14.0) && same(h.p99, 15.2));
	cr_assert_eq(h.sample, 100);
	cr_assert(h.tps[0] < 0, "vanilla gives no TPS: none is made up");
}

Test(mc_health, embedded_nul_is_unparsed)
{
	static const char t[] = "TPS from last 1m, 5m, 15m: 20.0\0, 19.8, 20.0";
	rc_mc_health h;

	cr_assert_not(rc_mc_health_parse(t, sizeof t - 1, &h));
}

Test(mc_health, long_reply)
{
	char big[4096];
	rc_mc_health h;

	memset(big, 'x', sizeof big);
	cr_assert_not(rc_mc_health_parse(big, sizeof big, &h));
	cr_assert_not(rc_mc_health_parse(NULL, 5, &h));
}

Test(mc_health, unknown_command)
{
	static const char v[] = "Unknown or incomplete command, see below for error\ntps<--[HERE]";
	static const char b[] = S "cUnknown command. Type \"/help\" for help.";
	static const char ok[] = "TPS from last 1m, 5m, 15m: 20.0, 19.8, 20.0";

	cr_assert(rc_mc_health_unknown(v, sizeof v - 1));
	cr_assert(rc_mc_health_unknown(b, sizeof b - 1));
	cr_assert_not(rc_mc_health_unknown(ok, sizeof ok - 1));
	cr_assert_str_eq(rc_mc_health_format_name(RC_MC_HEALTH_TICK_QUERY), "tick-query");
}
