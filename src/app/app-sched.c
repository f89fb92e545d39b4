/* app-sched.c: the player-list refresh schedule of every server.
 *
 * One timer per refresh period instead of one per server: the servers with
 * the same period wait in a FIFO queue ordered by when they are due.  A
 * server that was refreshed goes to the tail with "now + period", which is
 * never earlier than any due time already queued, so the queue stays in
 * order with no sorting and no heap; a server that starts (connected: its
 * first refresh is immediate) goes to the head, due now.  The queue's timer
 * is armed for its head.  With 10,000 servers refreshed every second the
 * loop's timer heap holds a handful of timers rather than 10,000, and each
 * refresh costs two list operations instead of a heap removal and insertion.
 * A firing handles at most APP_SCHED_BATCH servers, returning at once for
 * the rest, so a pass stays short (the loop serves the replies between). */
#include <stdlib.h>

#include "app/app-int.h"

#define APP_SCHED_BATCH 256

struct app_sched_q {
	app *a;
	int period_s;
	app_srv *head, *tail;
	app_srv *fresh;          /* the last starting server still waiting at the
	                            front (starters keep their order), or NULL */
	rc_timer_id timer;       /* 0 = not armed */
};

/* Returns a's queue for period_s, creating it; NULL on ENOMEM. */
static struct app_sched_q *sched_queue(app *a, int period_s)
{
	for (size_t i = 0; i < a->n_sched; i++)
		if (a->sched[i]->period_s == period_s)
			return a->sched[i];
	struct app_sched_q **n = realloc(a->sched, (a->n_sched + 1) * sizeof(*n));
	if (!n)
		return NULL;
	a->sched = n;
	struct app_sched_q *q = calloc(1, sizeof(*q));
	if (!q)
		return NULL;
	q->a = a;
	q->period_s = period_s;
	a->sched[a->n_sched++] = q;
	return q;
}

/* Takes s out of its queue. */
static void sched_unlink(app_srv *s)
{
	struct app_sched_q *q = s->rq;
	if (q->fresh == s)
		q->fresh = s->rq_prev;   /* the front run of starters ends earlier */
	if (s->rq_prev)
		s->rq_prev->rq_next = s->rq_next;
	else
		q->head = s->rq_next;
	if (s->rq_next)
		s->rq_next->rq_prev = s->rq_prev;
	else
		q->tail = s->rq_prev;
	s->rq = NULL;
	s->rq_prev = s->rq_next = NULL;
}

/* Puts s at q's tail, due at due_ms. */
static void sched_append(struct app_sched_q *q, app_srv *s, int64_t due_ms)
{
	s->rq = q;
	s->rq_due_ms = due_ms;
	s->rq_next = NULL;
	s->rq_prev = q->tail;
	if (q->tail)
		q->tail->rq_next = s;
	else
		q->head = s;
	q->tail = s;
}

static int64_t sched_on_timer(rc_loop *loop, void *arg);

/* Arms q's timer for its head (the timer may already be armed earlier:
 * firing early is harmless, it only looks at what is due). */
static void sched_arm(struct app_sched_q *q, int64_t now)
{
	if (q->timer)
		rc_loop_del_timer(q->a->loop, q->timer);
	q->timer = 0;
	if (!q->head)
		return;
	int64_t d = q->head->rq_due_ms - now;
	q->timer = rc_loop_add_timer(q->a->loop, d < 0 ? 0 : d, sched_on_timer, q);
}

/* The queue's timer: refreshes the servers that are due, in order. */
static int64_t sched_on_timer(rc_loop *loop, void *arg)
{
	struct app_sched_q *q = arg;
	int64_t now = rc_now_ms();
	for (int n = 0; q->head && q->head->rq_due_ms <= now && n < APP_SCHED_BATCH; n++) {
		app_srv *s = q->head;
		sched_unlink(s);
		if (s->pub.refresh_s != q->period_s) {
			/* The period changed meanwhile: off, or into its own queue. */
			s->pub.refresh_timer = 0;
			if (s->pub.refresh_s > 0)
				app_sched_add(s, false);
			continue;
		}
		sched_append(q, s, now + (int64_t)q->period_s * 1000);
		app_refresh_tick(s);
	}
	if (!q->head) {
		q->timer = 0;
		return RC_TIMER_DONE;
	}
	/* More due than one batch: the rest a millisecond later, so the loop
	 * reads replies in between (0 would fire again in the same round). */
	int64_t d = q->head->rq_due_ms - now;
	return d < 1 ? 1 : d;
}

/* Puts s on the schedule of its refresh period: due at once when now, else
 * one period from now.  Returns 0 or RC_ENOMEM. */
int app_sched_add(app_srv *s, bool now)
{
	if (s->rq)
		app_sched_remove(s);
	struct app_sched_q *q = sched_queue(s->a, s->pub.refresh_s);
	if (!q)
		return RC_ENOMEM;
	int64_t t = rc_now_ms();
	if (now && q->head) {
		/* Due now, ahead of the others but behind the servers that started
		 * before it and still wait (first come, first refreshed): nothing
		 * queued behind is due later than a time still to come, so the
		 * order holds for every firing. */
		app_srv *after = q->fresh;
		s->rq = q;
		s->rq_due_ms = t;
		s->rq_prev = after;
		s->rq_next = after ? after->rq_next : q->head;
		if (s->rq_next)
			s->rq_next->rq_prev = s;
		else
			q->tail = s;
		if (after)
			after->rq_next = s;
		else
			q->head = s;
		q->fresh = s;
		if (!after)
			sched_arm(q, t);
	} else {
		bool was_empty = !q->head;
		sched_append(q, s, now ? t : t + (int64_t)s->pub.refresh_s * 1000);
		if (now)
			q->fresh = s;
		if (was_empty)
			sched_arm(q, t);
	}
	s->pub.refresh_timer = q->timer ? q->timer : 1;
	return 0;
}

/* Takes s off the refresh schedule (its queue's timer stays for the rest). */
void app_sched_remove(app_srv *s)
{
	struct app_sched_q *q = s->rq;
	if (!q)
		return;
	sched_unlink(s);
	if (!q->head)
		sched_arm(q, 0);
	s->pub.refresh_timer = 0;
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
