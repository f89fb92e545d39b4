/* app-health.c: server health — which health command a server answers, and
 * polling it (issue 12).
 *
 * Probe (once per connection, again after every reconnect), so a server's
 * log gets at most one failing health command per connection:
 *   1. `tps`: Paper, Spigot and EssentialsX answer it; a parsed reply makes
 *      it the command.  Vanilla, Forge and Fabric answer "Unknown or
 *      incomplete command": the one failure allowed.
 *   2. `help` (never fails, read-only-safe): when it lists /forge the
 *      candidate is `forge tps`, else when it lists /tick (1.20.3+) it is
 *      `tick query`, else the server has no health command.
 *   3. the candidate once: parsed, it becomes the command; otherwise none.
 * A read-only server whose allowlist refuses a step skips it (nothing is
 * sent that the policy forbids).  Polls then send the command every
 * health_refresh seconds (0 = off: no probe, no poll), only while the
 * connection is READY (no user command, no list refresh in flight), and
 * their replies never reach the transcript.  A reply that stops parsing
 * forgets the figures (never a stale or wrong number) but keeps polling.
 * Steps and polls are the health job of the shared schedule (app-sched.c:
 * one timer per delay for every server, no timer of a server's own). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app-int.h"

char app_tag_health;

#define HEALTH_BUSY_RETRY_MS 250   /* the connection was busy: try again soon */

/* The candidates step 2 can pick, in order of preference: the word `help`
 * lists and the command to send. */
static const struct health_pick {
	const char *listed;
	const char *command;
} health_picks[] = {
	{ "/forge ", "forge tps" },
	{ "/tick ", "tick query" },
};

/* Returns the health poll period of s: override, profile, file, default. */
static int health_period(const app_srv *s)
{
	return app_setting(s->a, s->pub.profile, APP_SET_HEALTH_REFRESH);
}

/* Returns s's thresholds: profile, file, default. */
void app_health_thresholds(const app *a, const app_server *s, int *warn, int *crit)
{
	*warn = app_setting(a, s->profile, APP_SET_TPS_WARN);
	*crit = app_setting(a, s->profile, APP_SET_TPS_CRIT);
}

/* Returns how s's health compares with its thresholds. */
enum app_health_level app_health_level(const app *a, const app_server *s)
{
	int warn, crit;
	double tps = s->health.have ? s->health.last.tps[0] : -1;

	if (tps < 0 && s->health.have && s->health.last.mspt >= 0 && s->health.last.mspt > 50.0)
		tps = 1000.0 / s->health.last.mspt;  /* tick query: lagging past 50 ms */
	else if (tps < 0 && s->health.have && s->health.last.mspt >= 0)
		tps = 20.0;
	if (tps < 0)
		return APP_HEALTH_UNKNOWN;
	app_health_thresholds(a, s, &warn, &crit);
	if (tps < crit)
		return APP_HEALTH_CRIT;
	if (tps < warn)
		return APP_HEALTH_WARN;
	return APP_HEALTH_OK;
}

/* Returns true when s may send cmd now: READY, nothing else of ours in
 * flight, and the read-only policy allows it. */
static bool health_can_send(app_srv *s)
{
	return app_srv_idle(s);    /* (a list or a poll in flight counts: not idle) */
}

/* Sends cmd as a health command; returns 0, or RC_E* when refused. */
static int health_send(app_srv *s, const char *cmd)
{
	uint64_t id = 0;
	int rc = rc_conn_send(s->pub.conn, cmd, &app_tag_health, &id);

	if (rc == 0) {
		s->pub.health.pending = true;
		s->health_id = id;
	}
	return rc;
}

/* Moves the probe to step, or finishes it with command (NULL = none). */
static void health_probe_done(app_srv *s, const char *command)
{
	s->pub.health.probe = APP_PROBE_DONE;
	s->pub.health.command = command;
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
}

/* Does the next step of the probe, or a poll, when the connection is free.
 * Returns the ms until the timer should look again. */
static int64_t health_step(app_srv *s)
{
	app_health *h = &s->pub.health;
	int period = health_period(s);
	const char *cmd;
	int rc;

	if (period <= 0)
		return -1;    /* polling off: the job ends (never a 0 ms spin) */
	if (h->probe == APP_PROBE_DONE && h->command == NULL)
		return (int64_t)period * 1000;   /* nothing to poll with */
	if (!health_can_send(s))
		return HEALTH_BUSY_RETRY_MS;
	switch (h->probe) {
	case APP_PROBE_TPS:
		cmd = "tps";
		break;
	case APP_PROBE_HELP:
		cmd = "help";
		break;
	case APP_PROBE_TRY:
		cmd = s->health_candidate;
		break;
	default:
		cmd = h->command;    /* (not NULL: see above) */
		break;
	}
	rc = health_send(s, cmd);
	if (rc == RC_EREADONLY || rc == RC_EINVAL || rc == RC_ETOOLONG) {
		/* Refused by policy: skip this step (never retried). */
		if (h->probe == APP_PROBE_TPS)
			h->probe = APP_PROBE_HELP;
		else
			health_probe_done(s, h->probe == APP_PROBE_DONE ? h->command : NULL);
		return 0;
	}
	if (rc < 0)
		return HEALTH_BUSY_RETRY_MS;
	return h->probe == APP_PROBE_DONE ? (int64_t)period * 1000 : HEALTH_BUSY_RETRY_MS;
}

/* The health job (app-sched.c): a probe step or a poll. */
int64_t app_health_tick(app_srv *s, int64_t delay_ms)
{
	(void)delay_ms;
	return health_step(s);
}

/* Runs s's health job at once when it asks the server something; returns
 * whether it does. */
bool app_health_poll_now(app_srv *s)
{
	const app_health *h = &s->pub.health;
	if (!app_sched_has(s, APP_JOB_HEALTH) || (h->probe == APP_PROBE_DONE && !h->command))
		return false;
	return app_sched_job(s, APP_JOB_HEALTH, 0, true) == 0;
}

/* Appends a figure to s's health sparkline, dropping the oldest when full. */
static void health_spark(app_health *h, double v)
{
	if (h->n_spark == APP_SPARK_MAX) {
		memmove(h->spark, h->spark + 1, (APP_SPARK_MAX - 1) * sizeof h->spark[0]);
		h->n_spark--;
	}
	h->spark[h->n_spark++] = v;
}

/* Takes a parsed health reply into s. */
static void health_take(app_srv *s, const rc_mc_health *m)
{
	app_health *h = &s->pub.health;

	h->last = *m;
	h->have = true;
	h->last_ms = rc_now_ms();
	h->last_unix = (int64_t)time(NULL);
	health_spark(h, m->tps[0] >= 0 ? m->tps[0] : m->mspt);
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
	app_alert_health(s);
}

/* Forgets s's figures (the reply stopped parsing, or the connection went). */
static void health_forget(app_srv *s)
{
	if (!s->pub.health.have)
		return;
	s->pub.health.have = false;
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
}

/* Picks step 3's candidate from a `help` reply; NULL when none is listed. */
static const char *health_pick(const char *body, size_t len)
{
	for (size_t k = 0; k < sizeof health_picks / sizeof health_picks[0]; k++) {
		size_t n = strlen(health_picks[k].listed);
		for (size_t i = 0; i + n <= len; i++)
			if (memcmp(body + i, health_picks[k].listed, n) == 0)
				return health_picks[k].command;
	}
	return NULL;
}

/* Handles the reply to a health command of s (app-event.c routes it here). */
void app_health_reply(app_srv *s, const rc_event *ev)
{
	app_health *h = &s->pub.health;
	const char *body = ev->body ? ev->body : "";
	size_t len = ev->body ? ev->len : 0;
	rc_mc_health m;
	bool parsed;

	if (!h->pending || ev->cmd != s->health_id)
		return;
	h->pending = false;
	s->health_id = 0;
	if (ev->status != 0)
		return;       /* lost or timed out: the state change handles it */
	parsed = rc_mc_health_parse(body, len, &m);
	if (rc_mc_health_unknown(body, len))
		h->failed++;
	switch (h->probe) {
	case APP_PROBE_TPS:
		if (parsed) {
			health_probe_done(s, "tps");
			health_take(s, &m);
		} else {
			h->probe = APP_PROBE_HELP;
		}
		break;
	case APP_PROBE_HELP:
		s->health_candidate = health_pick(body, len);
		if (s->health_candidate == NULL)
			health_probe_done(s, NULL);
		else
			h->probe = APP_PROBE_TRY;
		break;
	case APP_PROBE_TRY:
		health_probe_done(s, parsed ? s->health_candidate : NULL);
		if (parsed)
			health_take(s, &m);
		break;
	default:
		if (parsed)
			health_take(s, &m);
		else
			health_forget(s);
		return;
	}
	/* The probe goes on at once: the next step on the next timer tick. */
	if (h->probe != APP_PROBE_DONE || h->command)
		app_sched_job(s, APP_JOB_HEALTH, 0, true);
}

/* Counts a timed reply in s's round-trip figures. */
void app_health_rtt(app_srv *s, int64_t rtt_us)
{
	app_health *h = &s->pub.health;

	if (rtt_us > h->rtt_max_us)
		h->rtt_max_us = rtt_us;
	h->rtt_sum_us += rtt_us;
	h->rtt_n++;
}

/* Returns the counters of s's connection, or NULL. */
const rc_conn_stats *app_conn_stats(const app_server *s)
{
	return s && s->conn ? rc_conn_get_stats(s->conn) : NULL;
}

/* Starts s's probe and poll timer after a (re)connect, when health is on. */
void app_health_start(app_srv *s)
{
	app_health *h = &s->pub.health;

	h->up_since_ms = rc_now_ms();
	h->rtt_max_us = -1;
	h->rtt_sum_us = 0;
	h->rtt_n = 0;
	h->probe = APP_PROBE_TPS;
	h->command = NULL;
	h->failed = 0;
	h->pending = false;
	if (health_period(s) <= 0) {
		h->probe = APP_PROBE_NONE;
		return;
	}
	if (app_sched_has(s, APP_JOB_HEALTH))
		return;
	app_sched_job(s, APP_JOB_HEALTH, 0, true);
}

/* Takes s's health job off the schedule and forgets its figures
 * (disconnected). */
void app_health_stop(app_srv *s)
{
	app_sched_remove(s, APP_JOB_HEALTH);
	s->pub.health.pending = false;
	s->pub.health.probe = APP_PROBE_NONE;
	s->pub.health.up_since_ms = -1;
	s->health_id = 0;
	health_forget(s);
}
