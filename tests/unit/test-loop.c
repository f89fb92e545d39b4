/* test-loop.c: timers in order, deletion inside callbacks, fds and signals.
 * Built twice: test-loop on the back end configure chose (epoll on Linux),
 * test-loop-poll with loop.c compiled in on the poll() back end. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/loop.h"
#include "lib/loop-int.h"

struct order {
	int seen[16];
	int n;
};

struct tick {
	struct order *o;
	int tag;
};

static int64_t on_tick(rc_loop *l, void *arg)
{
	struct tick *t = arg;
	t->o->seen[t->o->n++] = t->tag;
	return RC_TIMER_DONE;
}

Test(loop, timers_fire_in_deadline_order)
{
	rc_loop *l = rc_loop_new();
	struct order o = { .n = 0 };
	struct tick t[5];
	int delays[5] = { 30, 10, 20, 0, 10 };
	for (int i = 0; i < 5; i++) {
		t[i] = (struct tick){ &o, i };
		cr_assert_neq(rc_loop_add_timer(l, delays[i], on_tick, &t[i]), 0);
	}
	while (o.n < 5)
		rc_loop_run_once(l, -1);
	int want[5] = { 3, 1, 4, 2, 0 };
	for (int i = 0; i < 5; i++)
		cr_assert_eq(o.seen[i], want[i], "position %d", i);
	rc_loop_free(l);
}

/* Records the clock when it fires. */
static int64_t on_stamp(rc_loop *l, void *arg)
{
	*(int64_t *)arg = rc_now_ms();
	return RC_TIMER_DONE;
}

Test(loop, timer_at_an_absolute_time_fires_then_and_not_before)
{
	/* loop_add_timer_at (rc_conn's deadlines): a time ahead fires once the
	 * clock reaches it, never before; one already past fires on the next
	 * pass; they keep deadline order with relative timers. */
	rc_loop *l = rc_loop_new();
	struct order o = { .n = 0 };
	struct tick t[3] = { { &o, 0 }, { &o, 1 }, { &o, 2 } };
	int64_t now = rc_now_ms(), fired = 0;
	cr_assert_neq(loop_add_timer_at(l, now + 40, on_stamp, &fired), 0);
	cr_assert_neq(loop_add_timer_at(l, now + 30, on_tick, &t[0]), 0);
	cr_assert_neq(rc_loop_add_timer(l, 20, on_tick, &t[1]), 0);
	cr_assert_neq(loop_add_timer_at(l, now - 1000, on_tick, &t[2]), 0);
	rc_loop_run_once(l, 0);
	cr_assert_eq(o.n, 1, "the past one at once, alone");
	cr_assert_eq(o.seen[0], 2);
	while (!fired)
		rc_loop_run_once(l, -1);
	cr_assert_geq(fired, now + 40, "not before its time");
	cr_assert_eq(o.n, 3);
	cr_assert_eq(o.seen[1], 1);
	cr_assert_eq(o.seen[2], 0);
	rc_loop_free(l);
}

struct victim {
	rc_timer_id other;
	int fired;
};

static int64_t on_kill_other(rc_loop *l, void *arg)
{
	struct victim *v = arg;
	v->fired++;
	rc_loop_del_timer(l, v->other);
	return RC_TIMER_DONE;
}

static int64_t on_must_not_fire(rc_loop *l, void *arg)
{
	cr_assert_fail("a deleted timer fired");
	return RC_TIMER_DONE;
}

Test(loop, timer_deleted_by_another_never_fires)
{
	rc_loop *l = rc_loop_new();
	struct victim v = { 0, 0 };
	rc_loop_add_timer(l, 0, on_kill_other, &v);
	v.other = rc_loop_add_timer(l, 0, on_must_not_fire, NULL);
	for (int i = 0; i < 3; i++)
		rc_loop_run_once(l, 5);
	cr_assert_eq(v.fired, 1);
	rc_loop_free(l);
}

static int64_t on_repeat(rc_loop *l, void *arg)
{
	int *n = arg;
	return ++*n < 3 ? 0 : RC_TIMER_DONE;
}

Test(loop, repeating_timer_and_stale_id)
{
	rc_loop *l = rc_loop_new();
	int n = 0;
	rc_timer_id id = rc_loop_add_timer(l, 0, on_repeat, &n);
	while (n < 3)
		rc_loop_run_once(l, -1);
	rc_loop_del_timer(l, id); /* already gone: ignored */
	rc_timer_id id2 = rc_loop_add_timer(l, 1000, on_repeat, &n);
	cr_assert_neq(id, id2, "a reused slot gets a new generation");
	rc_loop_del_timer(l, id2);
	cr_assert_eq(rc_loop_run_once(l, 0), 0, "nothing left to run");
	rc_loop_free(l);
}

struct pipe_ctx {
	int got;
	int fds[2];
};

static void on_readable(rc_loop *l, int fd, int revents, void *arg)
{
	struct pipe_ctx *p = arg;
	char c;
	cr_assert_eq(read(fd, &c, 1), 1);
	p->got++;
	rc_loop_del_fd(l, fd); /* removal inside the callback */
}

Test(loop, fd_event_and_removal_inside_callback)
{
	rc_loop *l = rc_loop_new();
	struct pipe_ctx p = { 0 };
	cr_assert_eq(pipe(p.fds), 0);
	cr_assert_eq(rc_loop_add_fd(l, p.fds[0], POLLIN, on_readable, &p), 0);
	cr_assert_eq(write(p.fds[1], "ab", 2), 2);
	rc_loop_run_once(l, 100);
	rc_loop_run_once(l, 10);
	cr_assert_eq(p.got, 1, "the watch was removed after the first byte");
	close(p.fds[0]);
	close(p.fds[1]);
	rc_loop_free(l);
}

static void on_signal(rc_loop *l, int signo, void *arg)
{
	*(int *)arg = signo;
}

Test(loop, signal_arrives_through_self_pipe)
{
	rc_loop *l = rc_loop_new();
	int got = 0;
	cr_assert_eq(rc_loop_watch_signal(l, SIGUSR1, on_signal, &got), 0);
	raise(SIGUSR1);
	for (int i = 0; i < 10 && !got; i++)
		rc_loop_run_once(l, 100);
	cr_assert_eq(got, SIGUSR1);
	rc_loop_free(l);
}

static void on_signal_count(rc_loop *l, int signo, void *arg)
{
	(*(int *)arg)++;
}

/* A library's SIGCHLD watch and the program's own live side by side: both
 * run, and removing one (by its arg) leaves the other watching. */
Test(loop, a_signal_that_cannot_be_caught_is_refused_as_no_such_signal)
{
	/* SIGKILL and SIGSTOP cannot be caught: RC_EINVAL, as loop.h says for
	 * a signal there is no catching, not RC_EIO. */
	rc_loop *l = rc_loop_new();
	int got = 0;
	cr_assert_eq(rc_loop_watch_signal(l, SIGKILL, on_signal, &got), RC_EINVAL);
	cr_assert_eq(rc_loop_watch_signal(l, SIGSTOP, on_signal, &got), RC_EINVAL);
	cr_assert_eq(rc_loop_watch_signal(l, 0, on_signal, &got), RC_EINVAL);
	cr_assert_eq(rc_loop_watch_signal(l, SIGUSR1, on_signal, &got), 0);
	raise(SIGUSR1);
	for (int i = 0; i < 50 && !got; i++)
		rc_loop_run_once(l, 20);
	cr_assert_eq(got, SIGUSR1);
	rc_loop_free(l);
}

Test(loop, two_watchers_of_one_signal_both_run)
{
	rc_loop *l = rc_loop_new();
	int a = 0, b = 0;
	cr_assert_eq(rc_loop_watch_signal(l, SIGUSR2, on_signal_count, &a), 0);
	cr_assert_eq(rc_loop_watch_signal(l, SIGUSR2, on_signal, &b), 0);
	raise(SIGUSR2);
	for (int i = 0; i < 10 && (!a || !b); i++)
		rc_loop_run_once(l, 100);
	cr_assert_eq(a, 1, "the first watcher was replaced");
	cr_assert_eq(b, SIGUSR2);
	cr_assert_eq(rc_loop_watch_signal(l, SIGUSR2, NULL, &b), 0);
	b = 0;
	raise(SIGUSR2);
	for (int i = 0; i < 10 && a < 2; i++)
		rc_loop_run_once(l, 100);
	cr_assert_eq(a, 2, "removing the other stopped this one");
	cr_assert_eq(b, 0, "a removed watcher still ran");
	cr_assert_eq(rc_loop_watch_signal(l, SIGUSR2, on_signal_count, &b), 0);
	raise(SIGUSR2);
	for (int i = 0; i < 10 && !b; i++)
		rc_loop_run_once(l, 100);
	cr_assert_eq(b, 1, "the same cb again changes its arg");
	cr_assert_eq(a, 2, "... and does not add a second watcher");
	rc_loop_free(l);
}

Test(loop, idle_loop_with_max_wait_wakes_once)
{
	rc_loop *l = rc_loop_new();
	uint64_t before = rc_loop_wakeups(l);
	rc_loop_run_once(l, 1);
	cr_assert_eq(rc_loop_wakeups(l) - before, 1);
	rc_loop_free(l);
}

Test(loop, back_end_is_the_one_built)
{
#if defined(RC_LOOP_USE_EPOLL) && !defined(RC_LOOP_FORCE_POLL)
	cr_assert_str_eq(loop_backend(), "epoll");
#else
	cr_assert_str_eq(loop_backend(), "poll");
#endif
}

#define MANY 400

struct many {
	int rd[MANY], wr[MANY];
	int hits[MANY];
	int calls;
	int killed_fd;  /* a watch removed by another callback, then reused */
	int fresh_calls;
};

/* Counts a readable pipe and drains it. */
static void on_many(rc_loop *l, int fd, int revents, void *arg)
{
	struct many *m = arg;
	char c;
	cr_assert(revents & POLLIN);
	cr_assert_eq(read(fd, &c, 1), 1);
	for (int i = 0; i < MANY; i++)
		if (m->rd[i] == fd)
			m->hits[i]++;
	m->calls++;
}

Test(loop, only_ready_descriptors_are_dispatched)
{
	static struct many m;
	memset(&m, 0, sizeof m);
	rc_loop *l = rc_loop_new();
	cr_assert_not_null(l);
	for (int i = 0; i < MANY; i++) {
		int p[2];
		cr_assert_eq(pipe(p), 0, "pipe %d", i);
		m.rd[i] = p[0];
		m.wr[i] = p[1];
		cr_assert_eq(rc_loop_add_fd(l, p[0], POLLIN, on_many, &m), 0);
	}
	const int ready[] = { 0, 277, MANY - 1 };
	for (size_t k = 0; k < 3; k++)
		cr_assert_eq(write(m.wr[ready[k]], "x", 1), 1);
	int ran = rc_loop_run_once(l, 1000);
	cr_assert_eq(ran, 3);
	cr_assert_eq(m.calls, 3);
	for (size_t k = 0; k < 3; k++)
		cr_assert_eq(m.hits[ready[k]], 1);
	/* Remove every other watch; the rest still fire, the removed never. */
	for (int i = 0; i < MANY; i += 2)
		rc_loop_del_fd(l, m.rd[i]);
	rc_loop_run_once(l, 0);
	for (int i = 0; i < MANY; i++)
		cr_assert_eq(write(m.wr[i], "y", 1), 1);
	m.calls = 0;
	for (int pass = 0; pass < 10 && m.calls < MANY / 2; pass++)
		rc_loop_run_once(l, 100);
	cr_assert_eq(m.calls, MANY / 2);
	for (int i = 1; i < MANY; i += 2)
		cr_assert_eq(m.hits[i], i == 277 || i == MANY - 1 ? 2 : 1, "pipe %d", i);
	for (int i = 0; i < MANY; i++) {
		close(m.rd[i]);
		close(m.wr[i]);
	}
	rc_loop_free(l);
}

struct reuse {
	int a[2], b[2];
	int first;        /* fd of the first callback that ran, or -1 */
	int fresh_wr;     /* write end of the new pipe, kept open */
	int calls;
	int fresh_calls;
};

/* Runs only once its pipe has data: counts and removes itself. */
static void on_fresh(rc_loop *l, int fd, int revents, void *arg)
{
	((struct reuse *)arg)->fresh_calls++;
	rc_loop_del_fd(l, fd);
}

/* The first of two ready pipes to run removes the other, closes it and
 * puts a new, empty pipe on the same fd number. */
static void on_reuse(rc_loop *l, int fd, int revents, void *arg)
{
	struct reuse *r = arg;
	r->calls++;
	if (r->first >= 0)
		return;
	r->first = fd;
	int victim = fd == r->a[0] ? r->b[0] : r->a[0];
	rc_loop_del_fd(l, victim);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(dup2(p[0], victim), victim);
	close(p[0]);
	r->fresh_wr = p[1];
	cr_assert_eq(rc_loop_add_fd(l, victim, POLLIN, on_fresh, r), 0);
}

Test(loop, event_of_a_removed_watch_never_reaches_a_reused_fd)
{
	rc_loop *l = rc_loop_new();
	struct reuse r = { .first = -1 };
	cr_assert_eq(pipe(r.a), 0);
	cr_assert_eq(pipe(r.b), 0);
	cr_assert_eq(rc_loop_add_fd(l, r.a[0], POLLIN, on_reuse, &r), 0);
	cr_assert_eq(rc_loop_add_fd(l, r.b[0], POLLIN, on_reuse, &r), 0);
	cr_assert_eq(write(r.a[1], "x", 1), 1);
	cr_assert_eq(write(r.b[1], "x", 1), 1);
	rc_loop_run_once(l, 1000);
	cr_assert_eq(r.calls, 1, "the removed watch did not run");
	cr_assert_eq(r.fresh_calls, 0, "the stale event did not reach the new watch");
	rc_loop_run_once(l, 20);
	cr_assert_eq(r.fresh_calls, 0);
	cr_assert_eq(write(r.fresh_wr, "z", 1), 1);
	rc_loop_run_once(l, 1000);
	cr_assert_eq(r.fresh_calls, 1, "the new watch works");
	close(r.fresh_wr);
	for (int i = 0; i < 2; i++) {
		close(r.a[i]);
		close(r.b[i]);
	}
	rc_loop_free(l);
}

/* Counts calls and records the last revents. */
static void on_count(rc_loop *l, int fd, int revents, void *arg)
{
	int *n = arg;
	(*n)++;
	rc_loop_del_fd(l, fd);
}

Test(loop, watch_with_no_events_reports_nothing_until_modified)
{
	rc_loop *l = rc_loop_new();
	int p[2], n = 0;
	cr_assert_eq(pipe(p), 0);
	close(p[1]); /* the read end now reports a hang-up */
	cr_assert_eq(rc_loop_add_fd(l, p[0], 0, on_count, &n), 0);
	rc_loop_run_once(l, 20);
	cr_assert_eq(n, 0, "no events asked, none reported");
	cr_assert_eq(rc_loop_mod_fd(l, p[0], POLLIN), 0);
	rc_loop_run_once(l, 1000);
	cr_assert_eq(n, 1);
	close(p[0]);
	rc_loop_free(l);
}

/* Counts calls and stops watching. */
static void on_file(rc_loop *l, int fd, int revents, void *arg)
{
	cr_assert(revents & POLLIN);
	(*(int *)arg)++;
	rc_loop_del_fd(l, fd);
}

Test(loop, regular_file_and_dev_null_are_ready_as_poll_says)
{
	/* epoll refuses these (EPERM); poll() calls them readable at once:
	 * `rconsole -c - < commands.txt` and stdin from /dev/null need that. */
	rc_loop *l = rc_loop_new();
	FILE *f = tmpfile();
	cr_assert_not_null(f);
	int n = 0, m = 0;
	cr_assert_eq(rc_loop_add_fd(l, fileno(f), POLLIN, on_file, &n), 0);
	int dn = open("/dev/null", O_RDONLY);
	cr_assert_geq(dn, 0);
	cr_assert_eq(rc_loop_add_fd(l, dn, POLLIN, on_file, &m), 0);
	int64_t t0 = rc_now_ms();
	rc_loop_run_once(l, 30000);
	cr_assert_eq(n, 1);
	cr_assert_eq(m, 1);
	/* Only a wait for the whole 30 s fails this, not a loaded machine. */
	cr_assert_lt(rc_now_ms() - t0, 20000, "no waiting for a ready file");
	rc_loop_run_once(l, 10);
	cr_assert_eq(n, 1, "removed: not called again");
	fclose(f);
	close(dn);
	rc_loop_free(l);
}

struct burst {
	int fired;
	int order_ok;     /* fired in creation order so far */
	int io_at;        /* timers fired when the descriptor's callback ran, -1 not yet */
};

struct burst_timer {
	struct burst *b;
	int tag;
};

/* One of the burst's timers. */
static int64_t on_burst(rc_loop *l, void *arg)
{
	struct burst_timer *t = arg;
	t->b->order_ok += t->tag == t->b->fired;
	t->b->fired++;
	return RC_TIMER_DONE;
}

/* The descriptor that became ready during the burst. */
static void on_burst_io(rc_loop *l, int fd, int revents, void *arg)
{
	struct burst *b = arg;
	char c;
	(void)!read(fd, &c, 1);
	if (b->io_at < 0)
		b->io_at = b->fired;
}

Test(loop, a_burst_of_due_timers_does_not_hold_back_ready_descriptors)
{
	enum { N = 4 * LOOP_TIMER_BATCH + 7 };
	static struct burst_timer ts[N];
	struct burst b = { .io_at = -1 };
	rc_loop *l = rc_loop_new();
	int p[2];
	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(rc_loop_add_fd(l, p[0], POLLIN, on_burst_io, &b), 0);
	for (int i = 0; i < N; i++) {
		ts[i] = (struct burst_timer){ &b, i };
		cr_assert_neq(rc_loop_add_timer(l, 0, on_burst, &ts[i]), 0);
	}
	cr_assert_eq(write(p[1], "x", 1), 1);
	cr_assert_gt(rc_loop_run_once(l, 0), 0);
	cr_assert_leq(b.fired, 2 * LOOP_TIMER_BATCH, "one pass runs a bounded number of timers");
	cr_assert_geq(b.io_at, 0, "the ready pipe was served in the first pass");
	cr_assert_lt(b.io_at, N, "before the last timer");
	for (int pass = 0; pass < N && b.fired < N; pass++)
		rc_loop_run_once(l, 0);
	cr_assert_eq(b.fired, N, "every timer ran in the end");
	cr_assert_eq(b.order_ok, N, "in creation order");
	rc_loop_free(l);
	close(p[0]);
	close(p[1]);
}

/* Two loops in one process (a client per thread) each watching a signal:
 * both are told, not only the last one to watch. */
Test(loop, two_loops_both_hear_a_signal)
{
	rc_loop *a = rc_loop_new(), *b = rc_loop_new();
	int na = 0, nb = 0;
	cr_assert_eq(rc_loop_watch_signal(a, SIGUSR1, on_signal_count, &na), 0);
	cr_assert_eq(rc_loop_watch_signal(b, SIGUSR1, on_signal_count, &nb), 0);
	raise(SIGUSR1);
	for (int i = 0; i < 10 && (!na || !nb); i++) {
		rc_loop_run_once(a, 50);
		rc_loop_run_once(b, 50);
	}
	cr_assert_eq(na, 1, "the first loop missed the signal");
	cr_assert_eq(nb, 1, "the second loop missed the signal");
	rc_loop_free(a);
	rc_loop_free(b);
}

/* Freeing one of two loops leaves the other catching the signal. */
Test(loop, freeing_one_loop_leaves_the_other_hearing)
{
	rc_loop *a = rc_loop_new(), *b = rc_loop_new();
	int na = 0, nb = 0;
	cr_assert_eq(rc_loop_watch_signal(a, SIGUSR2, on_signal_count, &na), 0);
	cr_assert_eq(rc_loop_watch_signal(b, SIGUSR2, on_signal_count, &nb), 0);
	rc_loop_free(b);
	raise(SIGUSR2);
	for (int i = 0; i < 10 && !na; i++)
		rc_loop_run_once(a, 50);
	cr_assert_eq(na, 1, "freeing the other loop silenced this one");
	rc_loop_free(a);
}

static volatile sig_atomic_t own_handler_ran;

static void own_handler(int signo)
{
	(void)signo;
	own_handler_ran++;
}

/* When the last loop stops catching a signal, the program's own handler
 * from before the first loop is back, whichever loop goes first. */
Test(loop, the_handler_from_before_comes_back_after_the_last_loop)
{
	struct sigaction sa, prev;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = own_handler;
	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGUSR1, &sa, &prev), 0);
	rc_loop *a = rc_loop_new(), *b = rc_loop_new();
	int na = 0, nb = 0;
	cr_assert_eq(rc_loop_watch_signal(a, SIGUSR1, on_signal_count, &na), 0);
	cr_assert_eq(rc_loop_watch_signal(b, SIGUSR1, on_signal_count, &nb), 0);
	rc_loop_free(a);
	raise(SIGUSR1);
	for (int i = 0; i < 10 && !nb; i++)
		rc_loop_run_once(b, 50);
	cr_assert_eq(nb, 1);
	cr_assert_eq(own_handler_ran, 0, "the program's handler came back while a loop watched");
	rc_loop_free(b);
	raise(SIGUSR1);
	cr_assert_eq(own_handler_ran, 1, "the program's handler did not come back");
	sigaction(SIGUSR1, &prev, NULL);
}
