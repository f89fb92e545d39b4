/* test-loop.c: timers in order, deletion inside callbacks, fds and signals. */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rconsole/loop.h"

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

Test(loop, idle_loop_with_max_wait_wakes_once)
{
	rc_loop *l = rc_loop_new();
	uint64_t before = rc_loop_wakeups(l);
	rc_loop_run_once(l, 1);
	cr_assert_eq(rc_loop_wakeups(l) - before, 1);
	rc_loop_free(l);
}
