/* adapter-caller.c: a program built against the first rc_adapter layout
 * (size, watch, timer), run by tests/abi/adapter-size.sh against a library
 * whose table has grown since.  Usage: adapter-caller PORT PASSWORD.
 *
 * Its table sits at the very end of a readable page, the next page
 * PROT_NONE, so a library that reads past the size the caller gave faults
 * instead of reading garbage.  Checks that rc_conn_new_adapter() and
 * rc_session_new_adapter() take the first layout's size and each answer a
 * `list` from mcsim through this program's own poll() loop, and that a
 * size one byte short of it is refused (RC_EINVAL, NULL).  Prints "ok". */
#define _DEFAULT_SOURCE  /* MAP_ANONYMOUS */
#include <rconsole/rconsole.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The first layout's size: what a program built against it passes. */
#define FIRST_SIZE (offsetof(rc_adapter, timer) + sizeof ((rc_adapter *)0)->timer)

/* What the hooks asked for: one descriptor and one timer. */
struct drv {
	rc_session *s;   /* NULL: driving a bare connection */
	rc_conn *c;
	int fd;
	short events;
	int64_t due_ms;  /* -1: no timer */
	int answered;    /* replies to `list` that named the players */
};

/* Prints why and exits 1. */
static void fail(const char *what)
{
	fprintf(stderr, "adapter-caller: %s\n", what);
	exit(1);
}

/* watch hook. */
static void hook_watch(void *ctx, rc_conn *c, int fd, short events)
{
	struct drv *d = ctx;
	d->c = c;
	if (events) {
		d->fd = fd;
		d->events = events;
	} else if (fd == d->fd) {
		d->fd = -1;
	}
}

/* timer hook. */
static void hook_timer(void *ctx, rc_conn *c, int64_t ms)
{
	struct drv *d = ctx;
	d->c = c;
	d->due_ms = ms < 0 ? -1 : rc_now_ms() + ms;
}

/* Returns a first-layout table with size bytes claimed, ending where the
 * readable memory ends. */
static rc_adapter *table_at_page_end(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mprotect(p + page, (size_t)page, PROT_NONE) != 0)
		fail("mmap");
	rc_adapter *ad = (rc_adapter *)(p + page - FIRST_SIZE);
	ad->size = size;
	ad->watch = hook_watch;
	ad->timer = hook_timer;
	return ad;
}

/* Checks one reply to `list`. */
static void check_list(struct drv *d, int status, const char *body)
{
	if (status != 0 || !body || !strstr(body, "players online"))
		fail("list got no answer");
	d->answered++;
}

/* Bare connection: sends `list` once logged in and checks its reply. */
static void on_conn(rc_conn *c, const rc_event *ev, void *arg)
{
	struct drv *d = arg;
	if (ev->type == RC_EV_STATE && ev->state == RC_STATE_READY && !d->answered)
		rc_conn_send(c, "list", NULL, NULL);
	else if (ev->type == RC_EV_STATE && ev->state == RC_STATE_FAILED)
		fail("the connection failed");
	else if (ev->type == RC_EV_REPLY)
		check_list(d, ev->status, ev->body);
}

/* Session: checks the outcome of its one command. */
static void on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	(void)s;
	check_list(arg, ev->err, ev->body);
}

/* Runs d's hooks through poll() until done() says so (10 s at most). */
static void run(struct drv *d, int (*done)(struct drv *))
{
	int64_t give_up = rc_now_ms() + 10000;
	while (!done(d)) {
		int64_t now = rc_now_ms();
		if (now > give_up)
			fail("no answer within 10 s");
		int wait = d->due_ms < 0 ? 100 : d->due_ms <= now ? 0 : (int)(d->due_ms - now);
		struct pollfd p = { d->fd, d->events, 0 };
		int n = poll(&p, d->fd < 0 ? 0 : 1, wait > 100 ? 100 : wait);
		if (n > 0 && d->s)
			rc_session_handle_io(d->s, d->c, p.fd, p.revents);
		else if (n > 0)
			rc_conn_handle_io(d->c, p.fd, p.revents);
		if (d->due_ms >= 0 && rc_now_ms() >= d->due_ms) {
			d->due_ms = -1;
			if (d->s)
				rc_session_handle_timer(d->s, d->c);
			else
				rc_conn_handle_timer(d->c);
		}
	}
}

/* The bare connection has its answer. */
static int conn_done(struct drv *d)
{
	return d->answered;
}

/* The session has run its queue. */
static int session_done(struct drv *d)
{
	return rc_session_finished(d->s);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = argv[1];
	o.password = argv[2];
	rc_adapter *first = table_at_page_end(FIRST_SIZE);
	rc_adapter *short_one = table_at_page_end(FIRST_SIZE - 1);

	struct drv d = { NULL, NULL, -1, 0, -1, 0 };
	int err = 0;
	d.c = rc_conn_new_adapter(first, &d, &o, on_conn, &d, &err);
	if (!d.c) {
		fprintf(stderr, "adapter-caller: rc_conn_new_adapter: %s\n", rc_strerror(err));
		fail("the first layout was refused");
	}
	if (rc_conn_start(d.c) != 0)
		fail("rc_conn_start");
	run(&d, conn_done);
	rc_conn_free(d.c);

	struct drv e = { NULL, NULL, -1, 0, -1, 0 };
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.outcome = on_outcome;
	e.s = rc_session_new_adapter(first, &e, &cbs, &e);
	if (!e.s)
		fail("rc_session_new_adapter refused the first layout");
	if (rc_session_add(e.s, &o, NULL) != 0 || rc_session_push(e.s, 0, "list", NULL, NULL) != 0)
		fail("rc_session_add/push");
	rc_session_end(e.s);
	run(&e, session_done);
	if (e.answered != 1)
		fail("the session's list got no answer");
	rc_session_free(e.s);

	err = 0;
	if (rc_conn_new_adapter(short_one, &d, &o, on_conn, &d, &err) || err != RC_EINVAL)
		fail("a table shorter than the first layout must be RC_EINVAL");
	if (rc_session_new_adapter(short_one, &e, &cbs, &e))
		fail("rc_session_new_adapter took a table shorter than the first layout");
	puts("ok");
	return 0;
}
