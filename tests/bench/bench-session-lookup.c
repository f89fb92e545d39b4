/* bench-session-lookup.c: what an adapter-driven session costs per loop
 * event as its servers grow (issue 11).  For 1,000 and 5,000 servers, all
 * logged in to one mcsim (many connections to each of a few ports), it
 * times a million rc_session_handle_timer() calls on connections picked at
 * random — the session finds the connection's server, enters it, and the
 * connection has nothing to do — and prints nanoseconds per event.  A
 * lookup linear in the servers shows as a cost growing with them; a flat
 * figure is O(1).  Prints; never fails on speed. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../support/mcsim.h"
#include "lib/fdlimit.h"
#include "rconsole/rconsole.h"

#define PORTS 8
#define MAX_FDS 65536
#define EVENTS 1000000

/* The watches of a hand-written loop, by fd. */
static rc_conn *w_conn[MAX_FDS];
static short w_events[MAX_FDS];
static int max_fd;
static size_t n_up, n_down;

/* Adapter hook: (un)watch fd. */
static void b_watch(void *ctx, rc_conn *c, int fd, short events)
{
	if (fd < 0 || fd >= MAX_FDS)
		return;
	w_conn[fd] = events ? c : NULL;
	w_events[fd] = events;
	if (fd > max_fd)
		max_fd = fd;
}

/* Adapter hook: timers are not needed to log in (they run the timeouts). */
static void b_timer(void *ctx, rc_conn *c, int64_t ms)
{
}

static void on_up(rc_session *s, const rc_session_ev *ev, void *arg) { n_up++; }
/* Counts a server that went down, saying why for the first one. */
static void on_down(rc_session *s, const rc_session_ev *ev, void *arg)
{
	if (!n_down++)
		fprintf(stderr, "bench-session-lookup: %s: %s\n", ev->name,
		    ev->cause ? ev->cause : rc_strerror(ev->err));
}

/* Returns CLOCK_MONOTONIC in ns. */
static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Logs n servers in and times EVENTS timer events; returns 0 or -1. */
static int bench(const mcsim *m, size_t n)
{
	static struct pollfd p[MAX_FDS];
	static char ports[PORTS][16];
	memset(w_conn, 0, sizeof w_conn);
	memset(w_events, 0, sizeof w_events);
	max_fd = 0;
	n_up = n_down = 0;
	rc_adapter ad = { sizeof ad, b_watch, b_timer };
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.up = on_up;
	cbs.down = on_down;
	rc_session *s = rc_session_new_adapter(&ad, NULL, &cbs, NULL);
	rc_conn **conns = calloc(n, sizeof *conns);
	if (!s || !conns)
		return -1;
	for (size_t i = 0; i < n; i++) {
		rc_conn_opts o;
		rc_conn_opts_init(&o);
		snprintf(ports[i % PORTS], 16, "%d", m->ports[i % PORTS]);
		o.host = "127.0.0.1";
		o.port = ports[i % PORTS];
		o.password = MCSIM_PASSWORD;
		if (rc_session_add(s, &o, NULL) < 0)
			return -1;
		conns[i] = rc_session_conn(s, i);
	}
	/* A numeric address resolves at once, through the timer: run it. */
	for (size_t i = 0; i < n; i++)
		rc_session_handle_timer(s, conns[i]);
	long long until = mcsim_now_ms() + 60000;
	while (n_up + n_down < n && mcsim_now_ms() < until) {
		nfds_t k = 0;
		for (int fd = 0; fd <= max_fd; fd++)
			if (w_events[fd]) {
				p[k].fd = fd;
				p[k].events = w_events[fd];
				p[k++].revents = 0;
			}
		int r = poll(p, k, 100);
		for (nfds_t i = 0; r > 0 && i < k; i++)
			if (p[i].revents && w_conn[p[i].fd])
				rc_session_handle_io(s, w_conn[p[i].fd], p[i].fd, p[i].revents);
	}
	if (n_up != n) {
		fprintf(stderr, "bench-session-lookup: %zu of %zu servers up (%zu down)\n", n_up, n,
		    n_down);
		return -1;
	}
	unsigned x = 12345;
	long long t0 = now_ns();
	for (int e = 0; e < EVENTS; e++) {
		x = x * 1103515245u + 12345u;
		rc_session_handle_timer(s, conns[(x >> 8) % n]);
	}
	long long dt = now_ns() - t0;
	printf("adapter session, %5zu servers: %7.1f ns per event (%d timer events on random "
	    "servers, %.0f ms)\n", n, (double)dt / EVENTS, EVENTS, dt / 1e6);
	rc_session_free(s);
	free(conns);
	return 0;
}

int main(void)
{
	fdlimit_raise(5000 + 64);
	mcsim m;
	const char *args[] = { "--servers", "8", NULL };
	if (mcsim_start(&m, args) < 0 || m.n_ports != PORTS) {
		fprintf(stderr, "bench-session-lookup: mcsim did not start\n");
		return 0;
	}
	int rc = bench(&m, 1000);
	if (rc == 0)
		rc = bench(&m, 5000);
	mcsim_stop(&m);
	return 0;
}
