/* sim-health.c: the health commands of mcsim (issue 12), per --health:
 *   paper    (default)  tps  Paper's "§6TPS from last 1m, 5m, 15m: §a20.0, ..."
 *                       mspt "§6Server tick times §e(§7avg§e/§7min§e/§7max§e)§6
 *                             from last 5s§7,§6 10s§7,§6 1m§e:" then
 *                             "§6◴ §a1.2§7/§a0.9§7/§a3.4§e, ..." (two messages,
 *                             glued with a \n as Bukkit sends them)
 *                       tick query (Paper 1.20.3+ keeps vanilla's command)
 *   vanilla             tick query only, 1.20.3+ shape, messages glued
 *   forge               forge tps (one line per dimension, then Overall, glued
 *                       without separators) and tick query
 *   none                none of them: vanilla before 1.20.3 answers "Unknown
 *                       or incomplete command" to every one
 * The TPS is --tps (or `sim tps N`); 0 means a healthy server whose `tps`
 * jitters just under 20 as before.  The tick time follows from it: 1000/TPS
 * when below 20, a steady 12.5 ms otherwise.  `help` lists /tick (and /forge)
 * when the server has them, as vanilla and Forge do. */
#include <stdlib.h>
#include <string.h>

#include "sim/sim-int.h"

#define SECT "\xc2\xa7"

/* Returns the TPS the server runs at now. */
static double health_tps(sim_server *s)
{
	return s->tps > 0 ? s->tps : 20.0;
}

/* Returns the mean milliseconds per tick the server runs at now. */
static double health_mspt(sim_server *s)
{
	double t = health_tps(s);
	return t < 20.0 ? 1000.0 / t : 12.5;
}

/* Appends one Paper TPS value: colour by health, '*' over 21, Java-style decimal. */
static void health_tps_value(sim_buf *out, double tps)
{
	char code = tps > 18.0 ? 'a' : tps > 16.0 ? 'e' : 'c';
	long hundredths = (long)(tps * 100.0 + 0.5);
	sim_buf_addf(out, SECT "%c%s", code, tps > 21.0 ? "*" : "");
	if (hundredths > 2000)
		hundredths = 2000;
	sim_buf_addf(out, "%ld.", hundredths / 100);
	if (hundredths % 10)
		sim_buf_addf(out, "%02ld", hundredths % 100);
	else
		sim_buf_addf(out, "%ld", hundredths % 100 / 10);
}

/* tps: Paper's "TPS from last 1m, 5m, 15m: a, b, c". */
static void health_paper_tps(sim_server *s, sim_buf *out)
{
	double v[3];

	if (s->tps > 0) {
		v[0] = v[1] = v[2] = s->tps;
	} else {
		double lag = (double)sim_rand_below(&s->rng, 100) / 100.0;
		bool spike = sim_rand_below(&s->rng, 8) == 0;
		v[0] = 20.0 - lag * 0.1;
		v[1] = 20.0 - lag * 0.6;
		v[2] = 20.0 - lag * (spike ? 3.5 : 1.2);
	}
	sim_buf_adds(out, SECT "6TPS from last 1m, 5m, 15m: ");
	for (int i = 0; i < 3; i++) {
		if (i)
			sim_buf_adds(out, ", ");
		health_tps_value(out, v[i]);
	}
}

/* Appends one mspt triple avg/min/max in Paper's colours. */
static void health_mspt_triple(sim_buf *out, double avg)
{
	sim_buf_addf(out, SECT "a%.1f" SECT "7/" SECT "a%.1f" SECT "7/" SECT "a%.1f",
	    avg, avg * 0.8, avg * 1.5);
}

/* mspt: Paper's header line, then the three windows. */
static void health_paper_mspt(sim_server *s, sim_buf *out)
{
	double ms = health_mspt(s);

	sim_buf_adds(out, SECT "6Server tick times " SECT "e(" SECT "7avg" SECT "e/" SECT "7min"
	    SECT "e/" SECT "7max" SECT "e)" SECT "6 from last 5s" SECT "7," SECT "6 10s" SECT "7,"
	    SECT "6 1m" SECT "e:\n" SECT "6\xe2\x97\xb4 ");
	for (int i = 0; i < 3; i++) {
		if (i)
			sim_buf_adds(out, SECT "e, ");
		health_mspt_triple(out, ms);
	}
}

/* tick query: vanilla 1.20.3+, three messages glued without separators. */
static void health_tick_query(sim_server *s, sim_buf *out)
{
	double ms = health_mspt(s);

	sim_buf_adds(out, ms > 50.0 ?
	    "The game is running, but can't keep up with the target tick rate" :
	    "The game is running normally");
	sim_buf_addf(out, "Target tick rate: 20.0 per second.\nAverage time per tick: %.1fms "
	    "(Target: 50.0ms)", ms);
	sim_buf_addf(out, "Percentiles: P50: %.1fms P95: %.1fms P99: %.1fms, sample: 100",
	    ms * 0.97, ms * 1.12, ms * 1.2);
}

/* forge tps: one line per dimension, then Overall, glued. */
static void health_forge_tps(sim_server *s, sim_buf *out)
{
	static const char *const dims[] = { "minecraft:overworld", "minecraft:the_nether",
	    "minecraft:the_end" };
	double ms = health_mspt(s), tps = s->tps > 0 && s->tps < 20.0 ? s->tps : 20.0;

	for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++)
		sim_buf_addf(out, "Dim %s (%s): Mean tick time: %.3f ms. Mean TPS: %.3f",
		    dims[i], dims[i], i ? ms / 10 : ms, tps);
	sim_buf_addf(out, "Overall: Mean tick time: %.3f ms. Mean TPS: %.3f", ms * 1.1, tps);
}

/* Runs tps, mspt, tick query or forge tps when the flavour has it; returns
 * false when it does not (the caller answers as for an unknown command). */
bool sim_health_run(sim_server *s, const sim_args *a, sim_buf *out)
{
	enum sim_health h = s->opts.health;
	const char *w = a->argv[0];
	bool two = a->argc == 2;

	if (strcmp(w, "tps") == 0 && h == SIM_HEALTH_PAPER)
		health_paper_tps(s, out);
	else if (strcmp(w, "mspt") == 0 && h == SIM_HEALTH_PAPER)
		health_paper_mspt(s, out);
	else if (strcmp(w, "tick") == 0 && two && strcmp(a->argv[1], "query") == 0 &&
	    h != SIM_HEALTH_NONE)
		health_tick_query(s, out);
	else if (strcmp(w, "forge") == 0 && two && strcmp(a->argv[1], "tps") == 0 &&
	    h == SIM_HEALTH_FORGE)
		health_forge_tps(s, out);
	else
		return false;
	return true;
}

/* Appends the usage lines `help` gives for the health commands the server has. */
void sim_health_help(sim_server *s, sim_buf *out)
{
	if (s->opts.health != SIM_HEALTH_NONE)
		sim_buf_adds(out, "/tick (freeze|query|rate|sprint|step|unfreeze)");
	if (s->opts.health == SIM_HEALTH_FORGE)
		sim_buf_adds(out, "/forge (dimensions|entity|generate|mods|tags|tps|track)");
}

/* sim tps <N>: sets the TPS (0 = healthy with jitter); answers "TPS set to N". */
void sim_health_set(sim_server *s, const sim_args *a, sim_buf *out)
{
	char *end = NULL;
	double v = a->argc == 3 ? strtod(a->argv[2], &end) : -1;

	if (a->argc != 3 || end == a->argv[2] || *end || !(v >= 0.0) || v > 1000.0) {
		sim_parse_incomplete(a, out);
		return;
	}
	s->tps = v;
	sim_buf_addf(out, "TPS set to %g", v);
}
