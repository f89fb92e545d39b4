/* app-sched.c: when each server's background work runs — the player-list
 * refresh, the health probe and polls, the command-tree fetch, and the
 * wait after a reconnect for the connection to prove itself (app-event.c).
 *
 * Timed work (refresh, health, prove) is a job on a due-time queue: one
 * queue, and one loop timer, per job and delay, never one per server.  Every
 * entry of a queue waits the same delay, so an entry that ran goes to the
 * tail with "now + delay", never earlier than any due time already queued:
 * the queue stays in order with no sorting and no heap.  An entry due at
 * once (a server that just connected) goes to the front, behind the others
 * that started before it and still wait (first come, first served).  The
 * queue's timer is armed for its head.  A firing handles at most
 * APP_SCHED_BATCH entries, returning at once for the rest, so a pass stays
 * short (the loop serves the replies between); a pass costs the entries
 * that are due, whatever the number of servers.  A job's tick says what
 * comes next: the delay until it runs again (its entry moves to that
 * delay's queue) or "off".  With 10,000 servers refreshed every second and
 * polled for health the loop's timer heap holds a handful of timers.
 *
 * Work that waits for an idle connection (a refresh that found it busy,
 * the command-tree fetch, which never polls) runs from app_sched_idle(),
 * called after each reply: the one place that decides what goes out next
 * when the connection frees up. */
#include <stdlib.h>

#include "app/app-int.h"

#define APP_SCHED_BATCH 256

struct app_sched_q {
	app *a;
	enum app_job job;
	int64_t delay_ms;
	struct app_sched_ent *head, *tail;
	struct app_sched_ent *fresh; /* the last entry due at once still waiting at
	                                the front (they keep their order), or NULL */
	rc_timer_id timer;       /* 0 = not armed */
	bool firing;             /* its timer callback is running: it re-arms */
	uint64_t puts;           /* entries put on it so far (each one's ent->seq) */
};

static int64_t sched_refresh_tick(app_srv *s, int64_t delay_ms);

/* What each job does when its entry is due: returns the ms until it runs
 * again, or < 0 for off the schedule. */
static int64_t (*const sched_ticks[APP_JOB_N])(app_srv *s, int64_t delay_ms) = {
	[APP_JOB_REFRESH] = sched_refresh_tick,
	[APP_JOB_HEALTH] = app_health_tick,
	[APP_JOB_PROVE] = app_event_prove_tick,
};

/* The refresh job: sends the list (app_refresh_tick) every period. */
static int64_t sched_refresh_tick(app_srv *s, int64_t delay_ms)
{
	int64_t period = (int64_t)s->pub.refresh_s * 1000;
	if (period <= 0)
		return -1;
	if (period != delay_ms)
		return period;    /* the period changed meanwhile: its own queue, a period on */
	app_refresh_tick(s);
	return period;
}

/* Returns a's queue for job and delay_ms, creating it; NULL on ENOMEM. */
static struct app_sched_q *sched_queue(app *a, enum app_job job, int64_t delay_ms)
{
	for (size_t i = 0; i < a->n_sched; i++)
		if (a->sched[i]->job == job && a->sched[i]->delay_ms == delay_ms)
			return a->sched[i];
	struct app_sched_q **n = realloc(a->sched, (a->n_sched + 1) * sizeof(*n));
	if (!n)
		return NULL;
	a->sched = n;
	struct app_sched_q *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->a = a;
	q->job = job;
	q->delay_ms = delay_ms;
	a->sched[a->n_sched++] = q;
	return q;
}

/* Takes e out of its queue. */
static void sched_unlink(struct app_sched_ent *e)
{
	struct app_sched_q *q = e->q;
	if (q->fresh == e)
		q->fresh = e->prev;   /* the front run of due-at-once entries ends earlier */
	if (e->prev)
		e->prev->next = e->next;
	else
		q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		q->tail = e->prev;
	e->q = NULL;
	e->prev = e->next = NULL;
}

/* Links e into q right after `after` (NULL: at the head), due at due_ms. */
static void sched_link(struct app_sched_q *q, struct app_sched_ent *e,
		       struct app_sched_ent *after, int64_t due_ms)
{
	e->seq = ++q->puts;
	e->q = q;
	e->due_ms = due_ms;
	e->prev = after;
	e->next = after ? after->next : q->head;
	if (e->next)
		e->next->prev = e;
	else
		q->tail = e;
	if (after)
		after->next = e;
	else
		q->head = e;
}

static int64_t sched_on_timer(rc_loop *loop, void *arg);

/* Arms q's timer for its head (the timer may already be armed earlier:
 * firing early is harmless, it only looks at what is due).  While q's own
 * timer runs, its return value re-arms it instead. */
static void sched_arm(struct app_sched_q *q, int64_t now)
{
	if (q->firing)
		return;
	if (q->timer)
		rc_loop_del_timer(q->a->loop, q->timer);
	q->timer = 0;
	if (!q->head)
		return;
	int64_t d = q->head->due_ms - now;
	q->timer = rc_loop_add_timer(q->a->loop, d < 0 ? 0 : d, sched_on_timer, q);
}

/* Puts s's entry for job on the queue of delay_ms: due at once (at the
 * front) when now, else delay_ms from now.  Returns 0 or RC_ENOMEM. */
static int sched_put(app_srv *s, enum app_job job, int64_t delay_ms, bool now)
{
	struct app_sched_ent *e = &s->sched[job];
	if (e->q)
		app_sched_remove(s, job);
	struct app_sched_q *q = sched_queue(s->a, job, delay_ms);
	if (!q)
		return RC_ENOMEM;
	e->s = s;
	int64_t t = rc_now_ms();
	/* Due now: ahead of the others but behind the entries due at once
	 * before it that still wait (nothing queued behind is due later than a
	 * time still to come, so the order holds for every firing); else at
	 * the tail, the latest due time of the queue. */
	sched_link(q, e, now ? q->fresh : q->tail, now ? t : t + delay_ms);
	if (now)
		q->fresh = e;
	if (q->head == e || (!q->timer && !q->firing))
		sched_arm(q, t);   /* a new head; or no timer (adding it failed before) */
	return 0;
}

/* The queue's timer: runs the entries that are due, in order. */
static int64_t sched_on_timer(rc_loop *loop, void *arg)
{
	(void)loop;
	struct app_sched_q *q = arg;
	int64_t now = rc_now_ms();
	q->firing = true;
	/* Only what was queued before this firing: an entry put back due at
	 * once runs on the next one (the loop serves replies between). */
	uint64_t before = q->puts;
	for (int n = 0; q->head && q->head->due_ms <= now && q->head->seq <= before &&
	    n < APP_SCHED_BATCH; n++) {
		struct app_sched_ent *e = q->head;
		app_srv *s = e->s;
		sched_unlink(e);
		e->running = true;
		e->cancelled = false;
		int64_t next = sched_ticks[q->job](s, q->delay_ms);
		e->running = false;
		/* A tick that put the job back itself has said what comes next; one
		 * whose job was stopped meanwhile (the connection went) is off. */
		if (next >= 0 && !e->q && !e->cancelled)
			(void)sched_put(s, q->job, next, false);   /* ENOMEM: off the schedule */
	}
	q->firing = false;
	if (!q->head) {
		q->timer = 0;
		return RC_TIMER_DONE;
	}
	/* More due than one batch: the rest a millisecond later, so the loop
	 * reads replies in between (0 would fire again in the same round). */
	int64_t d = q->head->due_ms - now;
	return d < 1 ? 1 : d;
}

/* Puts job on s's schedule, due at once when now, else after delay_ms;
 * returns 0 or RC_ENOMEM. */
int app_sched_job(app_srv *s, enum app_job job, int64_t delay_ms, bool now)
{
	return sched_put(s, job, delay_ms < 0 ? 0 : delay_ms, now);
}

/* Returns true when job is on s's schedule. */
bool app_sched_has(const app_srv *s, enum app_job job)
{
	return s->sched[job].q != NULL;
}

/* Puts s on the schedule of its refresh period: due at once when now, else
 * one period from now.  Returns 0 or RC_ENOMEM. */
int app_sched_add(app_srv *s, bool now)
{
	return sched_put(s, APP_JOB_REFRESH, (int64_t)s->pub.refresh_s * 1000, now);
}

/* Takes job off s's schedule (its queue's timer stays for the rest). */
void app_sched_remove(app_srv *s, enum app_job job)
{
	struct app_sched_q *q = s->sched[job].q;
	if (s->sched[job].running)
		s->sched[job].cancelled = true;   /* its tick is running: not put back */
	if (!q)
		return;
	sched_unlink(&s->sched[job]);
	if (!q->head)
		sched_arm(q, 0);
}

/* The connection of s may have become idle (a reply was handled): sends
 * what waits for that — the command-tree fetch, then a refresh that found
 * the connection busy. */
void app_sched_idle(app_srv *s)
{
	app_tree_kick(s);
	if (s->refresh_owed && app_sched_has(s, APP_JOB_REFRESH))
		app_refresh_tick(s);
}

/* Frees a's queues and their timers (the servers are off them by now). */
void app_sched_free(app *a)
{
	for (size_t i = 0; i < a->n_sched; i++) {
		if (a->sched[i]->timer)
			rc_loop_del_timer(a->loop, a->sched[i]->timer);
		free(a->sched[i]);
	}
	free(a->sched);
	a->sched = NULL;
	a->n_sched = 0;
}
