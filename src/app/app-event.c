/* app-event.c: connection events into transcript lines, the refresh
 * schedule and the player list.
 *
 * Refresh: while a server is connected and its refresh period is not 0, the
 * refresh schedule (app-sched.c: one timer per period for all servers)
 * sends the profile's list command every period, but only when the
 * connection is READY with no user command and no earlier refresh in flight,
 * so a refresh never queues in front of what the user typed; one that finds
 * the connection busy goes out when the reply in the way has come.  A server is
 * on the schedule only while connected (the first tick is immediate, so
 * the player panel fills at once); a refresh period of 0 keeps it off.  A
 * refresh's reply never reaches the transcript: it only updates the player
 * list, and the joins and leaves seen between two lists become "+ Name
 * joined" / "- Name left" lines.  The first list after a (re)connect makes no
 * such lines, and a disconnect forgets the list.
 *
 * Outages: one line says a server went down ("connection lost: ...",
 * "could not connect: ..."), one says it is back, not a pair per attempt.
 * Attempts that fail the same way add nothing (the server list shows the
 * countdown).  A server that takes the login and then breaks the connection
 * (a proxy whose backend is down, a broken plugin: mcsim --garbage,
 * --drop-after) would still add "connected" and "connection lost" at every
 * retry, so after a line said the server is down a new connection must
 * prove itself before "connected" is written: by answering a command (the
 * first refresh, a health poll, the user's) or by staying up APP_PROVE_MS.
 * Once a connection of the outage was lost within APP_PROVE_MS, or stopped
 * answering within it (mcsim --hang-after: lost only when the command
 * timeout runs out, which may be later), a first answer proves nothing
 * (that one answered too): only answering after APP_PROVE_MS does (at
 * APP_PROVE_MS an idle one is asked its list or health poll then, not a
 * period later), or, for a connection asked nothing periodically (refresh
 * off, no health command to poll), staying up that long with nothing
 * unanswered.  One lost before it proved itself is folded, counted in the
 * "connected" line that ends the outage; if it is lost another way, that
 * gets its line ("reconnected, lost again: ...").  A connection that
 * proved itself is healthy: its loss is a new outage, with its line.
 * Anything else written of a connection still on trial (a join seen by its second refresh, the user's command)
 * writes its "connected" first, so that the log never reads as if it
 * happened while the server was down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-int.h"

/* How long a connection that answered nothing must stay up after an
 * outage to count as back: longer than a login-then-drop takes, short
 * enough that a quiet server (refresh = 0) is said to be back soon. */
#define APP_PROVE_MS 5000

char app_tag_user;
char app_tag_refresh;

/* ---- player list ---- */

/* Appends a player count to s's sparkline, dropping the oldest when full. */
static void event_spark(app_srv *s, int count)
{
	app_server *p = &s->pub;
	if (p->n_spark == APP_SPARK_MAX) {
		memmove(p->spark, p->spark + 1, (APP_SPARK_MAX - 1) * sizeof(p->spark[0]));
		p->n_spark--;
	}
	p->spark[p->n_spark++] = count;
}

/* Writes "+ Name joined" / "- Name left" for the difference old -> now. */
static void event_diff(app_srv *s, const rc_mc_list *old, const rc_mc_list *now)
{
	const char **joined = NULL, **left = NULL;
	size_t nj = 0, nl = 0;
	if (rc_mc_list_diff(old, now, &joined, &nj, &left, &nl) < 0)
		return;
	for (size_t k = 0; k < nl; k++) {
		char *safe = app_text_safe(left[k], strlen(left[k]), NULL);
		if (safe)
			app_pushf(s, APP_LINE_LEAVE, "- %s left", safe);
		free(safe);
	}
	for (size_t k = 0; k < nj; k++) {
		char *safe = app_text_safe(joined[k], strlen(joined[k]), NULL);
		if (safe)
			app_pushf(s, APP_LINE_JOIN, "+ %s joined", safe);
		free(safe);
	}
	app_alert_players(s, joined, nj, left, nl);
	free(joined);
	free(left);
}

/* Forgets s's player list (disconnected, or the reply stopped parsing). */
static void event_forget_players(app_srv *s)
{
	if (!s->pub.have_players && s->pub.players.format == RC_MC_LIST_UNPARSED && !s->pub.players.raw)
		return;
	rc_mc_list_clear(&s->pub.players);
	s->pub.have_players = false;
	app_touch(s, APP_DIRTY_PLAYERS | APP_DIRTY_SERVERS);
}

/* Parses a list reply into s's player list, writing joins and leaves. */
static void event_list(app_srv *s, const char *body, size_t len)
{
	const rc_mc_list *had = &s->pub.players;
	if (s->pub.have_players && had->format != RC_MC_LIST_UNPARSED && had->raw &&
	    had->raw_len == len && memcmp(had->raw, body, len) == 0) {
		/* The same reply as last time (most refreshes): nobody joined or
		 * left; only the sparkline moves.  Parsing and diffing 10,000
		 * unchanged lists a second was a hot spot. */
		event_spark(s, had->count >= 0 ? had->count : (int)had->n_players);
		app_touch(s, APP_DIRTY_SERVERS);
		return;
	}
	rc_mc_list now;
	memset(&now, 0, sizeof(now));
	if (rc_mc_list_parse(body, len, &now) < 0)
		return;
	if (now.format == RC_MC_LIST_UNPARSED) {
		rc_mc_list_clear(&now);
		event_forget_players(s);
		if (!s->unparsed_noted) {
			char *safe = app_text_safe(s->list_command, strlen(s->list_command), NULL);
			app_pushf(s, APP_LINE_INFO, "player list unavailable: the reply to '%s' "
			    "was not recognised", safe ? safe : "");
			free(safe);
			s->unparsed_noted = true;
		}
		return;
	}
	s->unparsed_noted = false;
	if (s->pub.have_players)
		event_diff(s, &s->pub.players, &now);
	rc_mc_list_clear(&s->pub.players);
	s->pub.players = now;
	s->pub.have_players = true;
	event_spark(s, now.count >= 0 ? now.count : (int)now.n_players);
	app_touch(s, APP_DIRTY_PLAYERS | APP_DIRTY_SERVERS);
}

/* ---- refresh ---- */

/* Returns true when s's connection is READY and has nothing to do. */
bool app_srv_idle(const app_srv *s)
{
	return s->pub.conn && s->pub.state == RC_STATE_READY && s->n_pend == 0 &&
	    rc_conn_pending(s->pub.conn) == 0;
}

/* Sends the list command when s is idle: READY, nothing of ours in flight
 * (the refresh schedule's tick, app-sched.c). */
void app_refresh_tick(app_srv *s)
{
	if (!app_srv_idle(s)) {
		/* Busy with a health probe, a tree fetch or the user's command: the
		 * list follows as soon as the connection is idle again
		 * (app_event_on_conn) rather than a whole period later — the first
		 * one fills the player panel, and a health poll that falls on the
		 * same beat must not starve the list.  One in flight is enough. */
		s->refresh_owed = !s->pub.refresh_pending;
		return;
	}
	uint64_t id = 0;
	if (rc_conn_send(s->pub.conn, s->list_command, &app_tag_refresh, &id) == 0) {
		s->pub.refresh_pending = true;
		s->refresh_id = id;
		s->refresh_owed = false;
	}
}

/* Puts s on the refresh schedule (first tick at once) when refresh is on. */
void app_refresh_start(app_srv *s)
{
	if (s->pub.refresh_s <= 0 || app_sched_has(s, APP_JOB_REFRESH))
		return;
	s->refresh_owed = false;
	app_sched_add(s, true);
}

/* Takes s off the refresh schedule. */
void app_refresh_stop(app_srv *s)
{
	app_sched_remove(s, APP_JOB_REFRESH);
	s->refresh_owed = false;
}

/* ---- pending user commands ---- */

/* Removes and frees every pending user command of s. */
void app_pending_clear(app_srv *s)
{
	for (size_t k = 0; k < s->n_pend; k++) {
		/* No event will come for these: the head was on the wire if shown. */
		app_audit_dropped(s, &s->pend[k], k == 0 && s->pend[k].shown);
		free(s->pend[k].cmd);
	}
	s->n_pend = 0;
	s->pub.user_inflight = 0;
}

/* Takes the pending command with id out of s into *out; false when unknown. */
static bool event_take_pending(app_srv *s, uint64_t id, app_pending *out)
{
	for (size_t k = 0; k < s->n_pend; k++) {
		if (s->pend[k].id != id)
			continue;
		*out = s->pend[k];
		memmove(s->pend + k, s->pend + k + 1, (s->n_pend - k - 1) * sizeof(*s->pend));
		s->n_pend--;
		s->pub.user_inflight = (unsigned)s->n_pend;
		return true;
	}
	return false;
}

/* Writes "> cmd" for the user command now at the head of s's queue: the
 * engine writes it as soon as the one before it is answered.  Not while the
 * connection is going down (it never goes out then) nor after `stop` (the
 * engine holds what follows; should it go out after all, its reply brings
 * its "> cmd" with it). */
static void event_show_next(app_srv *s)
{
	if (s->n_pend == 0 || s->pend[0].shown || s->stop_sent || !s->pub.conn)
		return;
	rc_state st = rc_conn_state(s->pub.conn);
	if (st != RC_STATE_READY && st != RC_STATE_BUSY)
		return;
	s->pend[0].shown = true;
	if (s->pend[0].own) {
		app_cmd_line(s, s->pend[0].cmd);
		s->pend[0].shown_at = app_ring_last(s->pub.log);
	}
}

/* Before a reply that does not follow its "> cmd" line (a command typed
 * after it was refused at once, a log_file line, a broadcast's echo came
 * in between), says whose reply it is: under "refused: command too long"
 * it would read as that command's. */
static void event_reply_header(app_srv *s, const app_pending *p)
{
	if (!p->shown || !p->shown_at || app_ring_last(s->pub.log) == p->shown_at)
		return;
	size_t len = strlen(p->cmd), cut = len > 60 ? 60 : len;
	while (cut > 0 && cut < len && ((unsigned char)p->cmd[cut] & 0xC0) == 0x80)
		cut--;    /* never half a character */
	char *safe = app_text_safe(p->cmd, cut, NULL);
	if (safe)
		app_pushf(s, APP_LINE_INFO, "reply to '%s%s':", safe, cut < len ? "\u2026" : "");
	free(safe);
}

/* ---- events ---- */

/* Handles a completed command: user replies go to the transcript, refresh
 * replies only to the player list. */
static void event_reply(app_srv *s, const rc_event *ev)
{
	if (ev->status == 0 && ev->rtt_us >= 0) {
		s->pub.rtt_us = ev->rtt_us;
		app_health_rtt(s, ev->rtt_us);
		app_touch(s, APP_DIRTY_STATUS);
	}
	if (ev->tag == &app_tag_health) {
		app_health_reply(s, ev);
		return;
	}
	if (ev->tag == &app_tag_tree) {
		app_tree_on_reply(s, ev);
		return;
	}
	if (ev->tag == &app_tag_refresh) {
		if (!s->pub.refresh_pending || ev->cmd != s->refresh_id)
			return;
		s->pub.refresh_pending = false;
		s->refresh_id = 0;
		if (ev->status == 0)
			event_list(s, ev->body, ev->len);
		return;
	}
	app_pending p;
	if (ev->tag != &app_tag_user || !event_take_pending(s, ev->cmd, &p))
		return;
	app_touch(s, APP_DIRTY_STATUS);
	app_audit_outcome(s, &p, ev);
	const char *body = ev->body ? ev->body : "";
	size_t len = ev->body ? ev->len : 0;
	if (ev->status == 0) {
		if (p.own) {
			if (!p.shown)
				app_cmd_line(s, p.cmd);
			else
				event_reply_header(s, &p);
			app_text_reply_to(s, NULL, p.split, body, len);
		}
		if (p.echo) {
			char *name = app_text_safe(s->pub.name, strlen(s->pub.name), NULL);
			char *prefix = NULL;
			if (name && asprintf(&prefix, "[%s] ", name) < 0)
				prefix = NULL;
			if (prefix)
				app_text_reply_to(p.echo, prefix, p.split, body, len);
			free(prefix);
			free(name);
		}
		if (p.is_list)
			event_list(s, body, len);
		else if (p.moves_players)
			s->refresh_owed = true;   /* sent once idle (app_sched_idle) */
	} else if (!(p.is_stop && ev->status == RC_ELOST)) {
		/* A `stop` cut off by the server closing is the expected ending:
		 * the state line says "server stopped". */
		bool written = ev->status != RC_ENOTSENT && ev->status != RC_ECANCELED;
		if (p.own) {
			if (!p.shown && written)
				app_cmd_line(s, p.cmd);
			/* What of the reply came before the end is shown, not
			 * dropped; the line after it says it is cut. */
			if (len)
				app_text_reply_to(s, NULL, p.split, body, len);
			app_text_failed(s, &p, ev->status, len);
		}
		if (p.echo) {
			char *msg = app_text_failed_msg(s, &p, ev->status, 0);
			app_echo_line(p.echo, s, APP_LINE_ERROR, msg);
			free(msg);
		}
	}
	free(p.cmd);
	event_show_next(s);
}

/* Remembers s's failure code and sanitised cause (err 0 clears them). */
static void event_set_cause(app_srv *s, int err, const char *cause)
{
	free(s->pub.cause);
	s->pub.cause = NULL;
	s->pub.err = err;
	if (err == 0)
		return;
	if (!cause || !*cause)
		cause = rc_strerror(err);
	s->pub.cause = app_text_safe(cause, strlen(cause), NULL);
}

/* Returns true (and remembers it) when this connect failure differs from
 * the last one written, so a server that stays down adds one line, not one
 * per attempt. */
static bool event_new_failure(app_srv *s, int err, const char *cause)
{
	if (s->fail_err == err && s->fail_cause && cause && strcmp(s->fail_cause, cause) == 0)
		return false;
	s->fail_err = err;
	free(s->fail_cause);
	s->fail_cause = cause ? strdup(cause) : NULL;
	return true;
}

/* Does what every way of leaving the connected states needs. */
static void event_down(app_srv *s)
{
	app_refresh_stop(s);
	app_health_stop(s);
	app_sched_remove(s, APP_JOB_PROVE);
	s->pub.refresh_pending = false;
	s->refresh_id = 0;
	s->stop_sent = false;
	event_forget_players(s);
	app_tree_down(s);
}

/* Forgets s's outage (see the top): the next failure is worth a line
 * again, and the next connection is "connected" at once. */
void app_event_forget_outage(app_srv *s)
{
	event_new_failure(s, 0, NULL);
	s->down_told = false;
	s->unproven = false;
	s->flapping = false;
	s->flaps = 0;
	app_sched_remove(s, APP_JOB_PROVE);
}

/* Writes "connected" (and raises up) for s's connection, which is READY
 * and, after an outage, has proved itself or is about to have other lines
 * written of it; ends the outage. */
void app_event_up(app_srv *s)
{
	const char *ro = s->pub.read_only ? "read-only" : "";
	unsigned n = s->flaps;
	app_event_forget_outage(s);
	if (n == 0)
		app_pushf(s, APP_LINE_STATE, "connected%s%s%s", *ro ? " (" : "", ro, *ro ? ")" : "");
	else if (n == 1)
		app_pushf(s, APP_LINE_STATE, "connected (%s%sthe reconnect before this one was lost "
		    "within %d s)", ro, *ro ? "; " : "", APP_PROVE_MS / 1000);
	else
		app_pushf(s, APP_LINE_STATE, "connected (%s%sthe %u reconnects before this one were "
		    "lost within %d s)", ro, *ro ? "; " : "", n, APP_PROVE_MS / 1000);
	app_alert_up(s);
}

/* Asks s's connection now what it is asked periodically (the list, else
 * the health poll), so that an answer after APP_PROVE_MS comes without
 * waiting a whole period (up to a day) for it; returns false when it is
 * asked nothing periodically (refresh off, and no health command). */
static bool event_ask_now(app_srv *s)
{
	if (app_sched_has(s, APP_JOB_REFRESH)) {
		app_refresh_tick(s);
		return true;
	}
	return app_health_poll_now(s);
}

/* The prove job: s stayed up APP_PROVE_MS after an outage.  That proves
 * it, unless a connection of the outage stopped answering that soon: then
 * it takes an answer after now (event_reply_proves) — to what is in flight,
 * else to the poll asked now — except from a server the console asks
 * nothing, which has nothing unanswered. */
int64_t app_event_prove_tick(app_srv *s, int64_t delay_ms)
{
	(void)delay_ms;
	if (!s->unproven)
		return -1;
	if (!s->flapping || (s->pub.state == RC_STATE_READY && !event_ask_now(s)))
		app_event_up(s);
	return -1;
}

/* Returns true when an answer now proves s's connection (see the top). */
static bool event_reply_proves(const app_srv *s)
{
	return s->unproven && (!s->flapping || rc_now_ms() - s->up_at_ms >= APP_PROVE_MS);
}

/* Handles READY reached from a down state: "connected" at once, or after
 * an outage once the connection proves itself. */
static void event_ready(app_srv *s)
{
	event_set_cause(s, 0, NULL);
	app_pending_clear(s);    /* the engine failed them all before reconnecting */
	s->up_at_ms = s->answered_at_ms = rc_now_ms();
	if (s->down_told) {
		s->unproven = true;
		if (app_sched_job(s, APP_JOB_PROVE, APP_PROVE_MS, false) < 0)
			app_event_up(s);    /* out of memory: no wait, the line at once */
	} else {
		app_event_up(s);
	}
	app_refresh_start(s);
	app_health_start(s);
	app_tree_on_ready(s);
}

/* Writes the line for losing a connection that was up: secs > 0 is the
 * wait before reconnecting, 0 reconnects at once, < 0 never.  One that had
 * not proved itself since an outage adds nothing when it went the way the
 * last line said. */
static void event_lost(app_srv *s, const rc_event *ev, long secs)
{
	char then[48] = "";
	if (secs > 0)
		snprintf(then, sizeof(then), "; reconnecting in %ld s", secs);
	else if (secs == 0)
		snprintf(then, sizeof(then), "; reconnecting");
	const char *cause = s->pub.cause ? s->pub.cause : "closed";
	bool unproven = s->unproven;
	s->unproven = false;
	s->down_told = !s->user_stop;
	if (s->user_stop) {
		app_pushf(s, APP_LINE_STATE, "disconnected");
		return;
	}
	if (s->stop_sent || ev->err == RC_ESTOPPED) {
		app_pushf(s, APP_LINE_STATE, "server stopped%s", then);
		return;    /* asked for, however soon: no sign of flapping */
	}
	/* Lost to a timeout, it was dead from its last answer on. */
	int64_t alive_until = ev->err == RC_ETIMEOUT ? s->answered_at_ms : rc_now_ms();
	if (alive_until - s->up_at_ms < APP_PROVE_MS)
		s->flapping = true;    /* up a moment: an answer proves nothing now */
	if (!unproven) {
		event_new_failure(s, ev->err, cause);
		app_pushf(s, APP_LINE_STATE, "connection lost: %s%s", cause, then);
	} else {
		s->flaps++;
		if (event_new_failure(s, ev->err, cause))
			app_pushf(s, APP_LINE_STATE, "reconnected, lost again: %s%s", cause, then);
	}
}

/* Handles a state change: updates the server and writes the lines worth
 * showing. */
static void event_state(app_srv *s, const rc_event *ev)
{
	bool was_up = ev->prev == RC_STATE_READY || ev->prev == RC_STATE_BUSY;
	s->pub.state = ev->state;
	if (ev->state != RC_STATE_BACKOFF)
		s->pub.retry_at_ms = -1;
	app_touch(s, APP_DIRTY_SERVERS | APP_DIRTY_STATUS);
	if (ev->state == RC_STATE_AUTHENTICATING)
		app_cleartext_tell(s);    /* the password goes out now */
	switch (ev->state) {
	case RC_STATE_READY:
		if (!was_up)
			event_ready(s);
		break;
	case RC_STATE_BUSY:
		break;
	case RC_STATE_BACKOFF: {
		long secs = app_text_secs(ev->retry_ms);
		s->pub.retry_at_ms = rc_now_ms() + ev->retry_ms;
		event_set_cause(s, ev->err, ev->cause);
		if (was_up)
			event_lost(s, ev, secs);
		else if (event_new_failure(s, ev->err, s->pub.cause)) {
			s->down_told = true;
			app_pushf(s, APP_LINE_STATE, "could not connect: %s; retrying in %ld s",
			    s->pub.cause ? s->pub.cause : "", secs);
		}
		event_down(s);
		if (!s->user_stop)
			app_alert_down(s, s->pub.cause ? s->pub.cause : "");
		break;
	}
	case RC_STATE_AUTH_FAILED:
		event_set_cause(s, ev->err ? ev->err : RC_EAUTH, ev->cause);
		app_pushf(s, APP_LINE_STATE, "authentication failed: %s", s->pub.cause);
		event_down(s);
		app_alert(s, APP_EV_AUTH, s->pub.cause ? s->pub.cause : "");
		break;
	case RC_STATE_FAILED:
		event_set_cause(s, ev->err ? ev->err : RC_ECONNECT, ev->cause);
		if (was_up)
			event_lost(s, ev, -1);
		else
			app_pushf(s, APP_LINE_STATE, "could not connect: %s", s->pub.cause);
		event_down(s);
		if (!s->user_stop)
			app_alert_down(s, s->pub.cause ? s->pub.cause : "");
		break;
	case RC_STATE_IDLE:
		event_set_cause(s, 0, NULL);
		if (ev->prev != RC_STATE_IDLE)
			app_pushf(s, APP_LINE_STATE, "disconnected");
		event_down(s);
		app_event_forget_outage(s);
		break;
	default:
		/* Resolving, connecting, authenticating: straight from up only when
		 * the engine reconnects without a backoff pause. */
		if (was_up) {
			event_set_cause(s, ev->err, ev->cause);
			event_lost(s, ev, 0);
			event_down(s);
			if (!s->user_stop)
				app_alert_down(s, s->pub.cause ? s->pub.cause : "");
		}
		break;
	}
}

/* Receives every event of s's connection (the rc_conn callback). */
void app_event_on_conn(rc_conn *c, const rc_event *ev, void *arg)
{
	app_srv *s = arg;
	switch (ev->type) {
	case RC_EV_STATE:
		event_state(s, ev);
		break;
	case RC_EV_REPLY:
		if (ev->status == 0) {
			s->answered_at_ms = rc_now_ms();
			if (event_reply_proves(s))
				app_event_up(s);    /* answered: back (before the reply's lines) */
		}
		event_reply(s, ev);
		/* What waited for the connection goes now; not while it falls (its
		 * commands fail first, and READY brings the work back). */
		if (ev->status != RC_ELOST && ev->status != RC_ENOTSENT)
			app_sched_idle(s);
		break;
	default:
		break;    /* strays: counted by the engine (rc_conn_get_stats) */
	}
}
