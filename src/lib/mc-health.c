/* mc-health.c: one parser for the replies of the health commands
 * (PROTOCOL.md "tps"; issue 12).
 *
 * The reply is first normalised as the list parser does: § codes are
 * stripped (rc_mc_strip), CR LF becomes LF, trailing whitespace goes.  The
 * whole reply must then match one template of health_shapes[] (English only:
 * a translated server is UNPARSED, never guessed at):
 *   PAPER_TPS   Paper, Spigot  TPS from last 1m, 5m, 15m: 20.0, 19.8, *20.0
 *               ('*' marks a value Spigot capped at 20.0: the value is kept)
 *   PAPER_MSPT  Paper          Server tick times (avg/min/max) from last 5s,
 *               10s, 1m:  then  ◴ 1.2/0.9/3.4, 1.3/0.8/4.0, 1.1/0.7/5.6
 *   TICK_QUERY  vanilla 1.20.3+  The game is running normally | is frozen |
 *               is sprinting | is running, but can't keep up with the target
 *               tick rate;  Target tick rate: 20.0 per second.  Average time
 *               per tick: 12.5ms (Target: 50.0ms)  (while sprinting: "per
 *               second (ignored, reference only)." and no Target);  Percentiles:
 *               P50: 12.1ms P95: 14.0ms P99: 15.2ms, sample: 100
 *   ESSENTIALS  EssentialsX  Current TPS = 20.0  (alone, or as one line of
 *               its `gc` report: the other lines are not read)
 *   FORGE       Forge  one "Dim <id> (<name>) : Mean tick time: N ms. Mean
 *               TPS: N" per dimension, then "Overall : Mean tick time: N ms.
 *               Mean TPS: N" (newer Forge without the space before ':');
 *               only the Overall figures are kept, and exactly one Overall
 *               line must be there.
 * RCON glues the messages of one reply together, with a \n or with nothing
 * at all (vanilla's tick query, Forge's dimension lines): between the parts
 * of a template any run of spaces and newlines, or none, is accepted.
 *
 * Never a wrong number: a number is 1-7 digits, optionally '.' and 1-6 more
 * (no sign, no exponent, no ',' decimal); a TPS above 1000 or a tick time
 * above 10^6 ms is refused; anything left over after a template, or a
 * template not matched to its end, makes the reply UNPARSED. */
#include <stdlib.h>
#include <string.h>

#include "rconsole/mc.h"
#include "mc-int.h"

/* Where a %n of a template stores its number. */
enum health_slot {
	SLOT_TPS1, SLOT_TPS5, SLOT_TPS15,
	SLOT_MSPT,
	SLOT_AVG5, SLOT_MIN5, SLOT_MAX5,
	SLOT_AVG10, SLOT_MIN10, SLOT_MAX10,
	SLOT_AVG60, SLOT_MIN60, SLOT_MAX60,
	SLOT_TARGET_TPS, SLOT_TARGET_MSPT,
	SLOT_P50, SLOT_P95, SLOT_P99, SLOT_SAMPLE,
	SLOT_COUNT
};

#define HEALTH_SLOTS_MAX 12

/* The known shapes.  In a template, %n is a number (stored in the next slot
 * of slots[]), %t a TPS that may carry Spigot's '*', %_ any run of spaces and
 * newlines (also none), %S one of tick_states[]; everything else matches
 * literally.  Forge and EssentialsX are line-oriented and parsed by code
 * (health_forge, health_essentials) after the table. */
static const struct health_shape {
	rc_mc_health_format format;
	const char *tpl;
	int n_slots;
	enum health_slot slots[HEALTH_SLOTS_MAX];
} health_shapes[] = {
	{ RC_MC_HEALTH_PAPER_TPS, "TPS from last 1m, 5m, 15m:%_%t,%_%t,%_%t",
	    3, { SLOT_TPS1, SLOT_TPS5, SLOT_TPS15 } },
	{ RC_MC_HEALTH_PAPER_MSPT, "Server tick times (avg/min/max) from last 5s, 10s, 1m:%_"
	    "\xE2\x97\xB4 %n/%n/%n,%_%n/%n/%n,%_%n/%n/%n",
	    9, { SLOT_AVG5, SLOT_MIN5, SLOT_MAX5, SLOT_AVG10, SLOT_MIN10, SLOT_MAX10,
	    SLOT_AVG60, SLOT_MIN60, SLOT_MAX60 } },
	{ RC_MC_HEALTH_TICK_QUERY, "%S%_Target tick rate: %n per second.%_"
	    "Average time per tick: %nms (Target: %nms)%_"
	    "Percentiles: P50: %nms P95: %nms P99: %nms, sample: %n",
	    7, { SLOT_TARGET_TPS, SLOT_MSPT, SLOT_TARGET_MSPT, SLOT_P50, SLOT_P95, SLOT_P99,
	    SLOT_SAMPLE } },
	{ RC_MC_HEALTH_TICK_QUERY, "%S%_Target tick rate: %n per second (ignored, reference only).%_"
	    "Average time per tick: %nms%_"
	    "Percentiles: P50: %nms P95: %nms P99: %nms, sample: %n",
	    6, { SLOT_TARGET_TPS, SLOT_MSPT, SLOT_P50, SLOT_P95, SLOT_P99, SLOT_SAMPLE } },
};

/* The first line of vanilla's tick query, longest first where one is the
 * start of another ("running, but" before "running normally" is not needed:
 * they differ before either ends). */
static const struct tick_state {
	const char *text;
	rc_mc_tick_state state;
} tick_states[] = {
	{ "The game is running normally", RC_MC_TICK_RUNNING },
	{ "The game is running, but can't keep up with the target tick rate", RC_MC_TICK_LAGGING },
	{ "The game is frozen", RC_MC_TICK_FROZEN },
	{ "The game is sprinting", RC_MC_TICK_SPRINTING },
};

/* The names of the formats, by rc_mc_health_format. */
static const char *const health_names[] = {
	"unparsed", "paper-tps", "paper-mspt", "tick-query", "forge", "essentials",
};

/* The unknown-command answers: Brigadier (vanilla, Forge, Fabric, Paper
 * for a Brigadier root) and Bukkit/Spigot. */
static const char *const health_unknown_text[] = {
	"Unknown or incomplete command",
	"Unknown command",
	"Incorrect argument for command",
};

#define HEALTH_INT_DIGITS 7
#define HEALTH_FRAC_DIGITS 6
#define HEALTH_TPS_MAX 1000.0
#define HEALTH_MS_MAX 1000000.0

/* Reads a number at s[*i..len) (see the top of the file); returns it or -1. */
static double health_number(const char *s, size_t len, size_t *i)
{
	double v = 0, scale = 1;
	size_t n = 0, j = *i;

	while (j < len && s[j] >= '0' && s[j] <= '9') {
		if (++n > HEALTH_INT_DIGITS)
			return -1;
		v = v * 10 + (s[j++] - '0');
	}
	if (n == 0)
		return -1;
	if (j + 1 < len && s[j] == '.' && s[j + 1] >= '0' && s[j + 1] <= '9') {
		n = 0;
		j++;
		while (j < len && s[j] >= '0' && s[j] <= '9') {
			if (++n > HEALTH_FRAC_DIGITS)
				return -1;
			scale /= 10;
			v += (s[j++] - '0') * scale;
		}
	}
	*i = j;
	return v;
}

/* Skips spaces and newlines at s[*i..len). */
static void health_space(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\n'))
		(*i)++;
}

/* Returns true when the slot holds a TPS (the others are milliseconds or a count). */
static bool health_slot_is_tps(enum health_slot slot)
{
	return slot == SLOT_TPS1 || slot == SLOT_TPS5 || slot == SLOT_TPS15 ||
	    slot == SLOT_TARGET_TPS;
}

/* Matches template sh against all of s[len], filling vals and *state;
 * returns true on a match. */
static bool health_match(const struct health_shape *sh, const char *s, size_t len,
    double *vals, rc_mc_tick_state *state)
{
	size_t i = 0;
	int slot = 0;

	for (const char *t = sh->tpl; *t; t++) {
		if (t[0] == '%' && t[1] == '_') {
			health_space(s, len, &i);
			t++;
		} else if (t[0] == '%' && t[1] == 'S') {
			bool found = false;
			for (size_t k = 0; k < sizeof tick_states / sizeof tick_states[0] && !found; k++) {
				size_t n = strlen(tick_states[k].text);
				if (len - i >= n && memcmp(s + i, tick_states[k].text, n) == 0) {
					*state = tick_states[k].state;
					i += n;
					found = true;
				}
			}
			if (!found)
				return false;
			t++;
		} else if (t[0] == '%' && (t[1] == 'n' || t[1] == 't')) {
			double v;
			enum health_slot where;
			if (slot >= sh->n_slots)
				return false;
			where = sh->slots[slot++];
			if (t[1] == 't' && i < len && s[i] == '*')
				i++;
			v = health_number(s, len, &i);
			if (v < 0 || v > (health_slot_is_tps(where) ? HEALTH_TPS_MAX : HEALTH_MS_MAX))
				return false;
			vals[where] = v;
			t++;
		} else {
			if (i >= len || s[i] != *t)
				return false;
			i++;
		}
	}
	return i == len;
}

/* Finds needle in s[len]; returns its offset or -1. */
static long health_find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(s + i, needle, n) == 0)
			return (long)i;
	return -1;
}

/* Parses Forge's `forge tps`: dimension lines then one Overall line, glued
 * or not.  Fills vals[SLOT_MSPT] and vals[SLOT_TPS1]; returns true on a match. */
static bool health_forge(const char *s, size_t len, double *vals)
{
	static const char mean[] = "Mean tick time: ", tps[] = " ms. Mean TPS: ";
	size_t i = 0;
	int overall = 0;

	while (i < len) {
		bool is_overall;
		long at;
		double ms, t;

		health_space(s, len, &i);
		if (len - i >= 4 && memcmp(s + i, "Dim ", 4) == 0) {
			is_overall = false;
		} else if (len - i >= 7 && memcmp(s + i, "Overall", 7) == 0) {
			is_overall = true;
			i += 7;
			if (i < len && s[i] == ' ')
				i++;
			if (i >= len || s[i] != ':')
				return false;
		} else {
			return false;
		}
		at = health_find(s + i, len - i, mean);
		if (at < 0)
			return false;
		/* A dimension's id and name hold no newline; nor does the gap. */
		if (memchr(s + i, '\n', (size_t)at) || (is_overall && at != 2))
			return false;
		i += (size_t)at + sizeof mean - 1;
		ms = health_number(s, len, &i);
		if (ms < 0 || ms > HEALTH_MS_MAX || len - i < sizeof tps - 1 ||
		    memcmp(s + i, tps, sizeof tps - 1) != 0)
			return false;
		i += sizeof tps - 1;
		t = health_number(s, len, &i);
		if (t < 0 || t > HEALTH_TPS_MAX)
			return false;
		if (is_overall) {
			overall++;
			vals[SLOT_MSPT] = ms;
			vals[SLOT_TPS1] = t;
		}
	}
	return overall == 1;
}

/* Parses EssentialsX's "Current TPS = N" line, alone or within its `gc`
 * report; exactly one such line.  Fills vals[SLOT_TPS1]. */
static bool health_essentials(const char *s, size_t len, double *vals)
{
	static const char head[] = "Current TPS = ";
	size_t i = 0;
	int found = 0;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len;

		if (end - i >= sizeof head - 1 && memcmp(s + i, head, sizeof head - 1) == 0) {
			size_t j = i + sizeof head - 1;
			double v = health_number(s, end, &j);
			while (j < end && s[j] == ' ')
				j++;
			if (v < 0 || v > HEALTH_TPS_MAX || j != end)
				return false;
			vals[SLOT_TPS1] = v;
			found++;
		} else if (health_find(s + i, end - i, "TPS") >= 0) {
			return false;   /* another TPS figure: which one is meant? */
		}
		i = end + 1;
	}
	return found == 1;
}

/* Resets every figure of h to unknown and its format to UNPARSED. */
static void health_reset(rc_mc_health *h)
{
	memset(h, 0, sizeof *h);
	for (int k = 0; k < RC_MC_TPS_WINDOWS; k++)
		h->tps[k] = -1;
	for (int k = 0; k < RC_MC_MSPT_WINDOWS; k++)
		h->mspt_avg[k] = h->mspt_min[k] = h->mspt_max[k] = -1;
	h->mspt = h->target_tps = h->target_mspt = -1;
	h->p50 = h->p95 = h->p99 = -1;
	h->sample = -1;
}

/* Copies the slots a match filled into h. */
static void health_fill(rc_mc_health *h, rc_mc_health_format f, const double *v,
    rc_mc_tick_state state)
{
	h->format = f;
	h->state = state;
	h->tps[0] = v[SLOT_TPS1];
	h->tps[1] = v[SLOT_TPS5];
	h->tps[2] = v[SLOT_TPS15];
	h->mspt_avg[0] = v[SLOT_AVG5];
	h->mspt_min[0] = v[SLOT_MIN5];
	h->mspt_max[0] = v[SLOT_MAX5];
	h->mspt_avg[1] = v[SLOT_AVG10];
	h->mspt_min[1] = v[SLOT_MIN10];
	h->mspt_max[1] = v[SLOT_MAX10];
	h->mspt_avg[2] = v[SLOT_AVG60];
	h->mspt_min[2] = v[SLOT_MIN60];
	h->mspt_max[2] = v[SLOT_MAX60];
	h->mspt = f == RC_MC_HEALTH_PAPER_MSPT ? v[SLOT_AVG5] : v[SLOT_MSPT];
	h->target_tps = v[SLOT_TARGET_TPS];
	h->target_mspt = v[SLOT_TARGET_MSPT];
	h->p50 = v[SLOT_P50];
	h->p95 = v[SLOT_P95];
	h->p99 = v[SLOT_P99];
	h->sample = v[SLOT_SAMPLE] < 0 || v[SLOT_SAMPLE] != (double)(long)v[SLOT_SAMPLE] ?
	    -1 : (long)v[SLOT_SAMPLE];
}

/* Normalises text[len] into norm (len+1 bytes) as the list parser does
 * (mc_list_normalise), then skips leading spaces and newlines.  Returns the
 * length from *start, where the text begins. */
static size_t health_normalise(const char *text, size_t len, char *norm, size_t *start)
{
	size_t o = mc_list_normalise(text, len, norm), b = 0;

	while (b < o && (norm[b] == ' ' || norm[b] == '\n'))
		b++;
	*start = b;
	return o - b;
}

/* Parses a health reply (see the top of this file). */
bool rc_mc_health_parse(const char *text, size_t len, rc_mc_health *out)
{
	char stack[512], *norm = stack;
	double vals[SLOT_COUNT];
	size_t n, b;
	bool ok = false;

	health_reset(out);
	if (text == NULL || len == 0 || len == SIZE_MAX)
		return false;
	if (len >= sizeof stack && (norm = malloc(len + 1)) == NULL)
		return false;
	n = health_normalise(text, len, norm, &b);
	for (size_t k = 0; k < sizeof health_shapes / sizeof health_shapes[0] && !ok; k++) {
		rc_mc_tick_state state = RC_MC_TICK_UNKNOWN;
		for (int v = 0; v < SLOT_COUNT; v++)
			vals[v] = -1;
		if (health_match(&health_shapes[k], norm + b, n, vals, &state)) {
			health_fill(out, health_shapes[k].format, vals, state);
			ok = true;
		}
	}
	for (int v = 0; v < SLOT_COUNT && !ok; v++)
		vals[v] = -1;
	if (!ok && health_forge(norm + b, n, vals)) {
		health_fill(out, RC_MC_HEALTH_FORGE, vals, RC_MC_TICK_UNKNOWN);
		ok = true;
	}
	for (int v = 0; v < SLOT_COUNT && !ok; v++)
		vals[v] = -1;
	if (!ok && health_essentials(norm + b, n, vals)) {
		health_fill(out, RC_MC_HEALTH_ESSENTIALS, vals, RC_MC_TICK_UNKNOWN);
		ok = true;
	}
	if (norm != stack)
		free(norm);
	return ok;
}

/* Returns a short name of a format. */
const char *rc_mc_health_format_name(rc_mc_health_format f)
{
	if ((size_t)f >= sizeof health_names / sizeof health_names[0])
		return "unparsed";
	return health_names[f];
}

/* Returns true when the reply starts (after § codes) with an unknown-command answer. */
bool rc_mc_health_unknown(const char *text, size_t len)
{
	char stack[128];
	size_t n;

	if (text == NULL)
		return false;
	if (len >= sizeof stack)
		len = sizeof stack - 1;  /* the answers are short; a cut § code is harmless */
	n = rc_mc_strip(text, len, stack);
	for (size_t k = 0; k < sizeof health_unknown_text / sizeof health_unknown_text[0]; k++) {
		size_t m = strlen(health_unknown_text[k]);
		if (n >= m && memcmp(stack, health_unknown_text[k], m) == 0)
			return true;
	}
	return false;
}
