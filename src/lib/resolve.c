/* resolve.c: name resolution that never blocks the loop.
 *
 * Numeric addresses are converted at once with AI_NUMERICHOST; the result is
 * handed over from a 0 ms timer so the callback always runs from the loop,
 * never from inside rc_resolve_start().  Names go to getaddrinfo(AF_UNSPEC,
 * SOCK_STREAM) on a detached helper thread, which wakes the loop by writing
 * one byte to a pipe the loop watches.
 *
 * Cancellation: the handle is shared by the loop side and the thread through
 * a reference count under a mutex.  rc_resolve_cancel() marks the handle and
 * drops the loop's reference; the thread, when getaddrinfo() finally returns,
 * sees the mark, frees its own result and drops the last reference.  The pipe
 * is closed only by whoever drops the last reference, so the thread never
 * writes to a descriptor number that was closed and reused. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/resolve.h"
#include "loop-int.h"
#include "resolve-int.h"

struct rc_resolve {
	void *owner;          /* the rc_resolve_start() wrapper, or NULL */
	char *host;
	char *port;

	/* Result, written by the thread (or the numeric path) before waking. */
	struct addrinfo *ai;
	int err;
	char cause[128];

	/* Shared with the thread, under mu. */
	pthread_mutex_t mu;
	int refs;
	bool cancelled;

	bool threaded;
	int pipe_fd[2];
};

/* Frees the handle, its strings, its pipe and any undelivered result. */
static void resolve_destroy(rc_resolve *r)
{
	if (r->ai)
		freeaddrinfo(r->ai);
	if (r->pipe_fd[0] >= 0)
		close(r->pipe_fd[0]);
	if (r->pipe_fd[1] >= 0)
		close(r->pipe_fd[1]);
	if (r->threaded)
		pthread_mutex_destroy(&r->mu);
	free(r->host);
	free(r->port);
	free(r);
}

/* Drops one reference under the mutex; frees the handle on the last one. */
static void resolve_unref(rc_resolve *r)
{
	pthread_mutex_lock(&r->mu);
	bool last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (last)
		resolve_destroy(r);
}

/* Runs getaddrinfo() for host:port and fills r->ai or r->err/cause. */
static void resolve_lookup(rc_resolve *r, int flags)
{
	struct addrinfo hints;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	hints.ai_flags = flags;
	int rc = getaddrinfo(r->host, r->port, &hints, &r->ai);
	if (rc == 0 && r->ai)
		return;
	if (rc == 0)
		rc = EAI_NONAME;
	r->ai = NULL;
	r->err = RC_ERESOLVE;
	if (rc == EAI_SYSTEM)
		snprintf(r->cause, sizeof r->cause, "%s: %s", r->host, strerror(errno));
	else
		snprintf(r->cause, sizeof r->cause, "%s: %s", r->host, gai_strerror(rc));
}

/* Helper thread body: looks the name up, then wakes the reader or, when the
 * lookup was cancelled meanwhile, throws the result away. */
static void *resolve_thread(void *arg)
{
	rc_resolve *r = arg;
	resolve_lookup(r, 0);
	pthread_mutex_lock(&r->mu);
	if (r->cancelled) {
		if (r->ai)
			freeaddrinfo(r->ai);
		r->ai = NULL;
	} else {
		char b = 1;
		(void)!write(r->pipe_fd[1], &b, 1);
	}
	bool last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (last)
		resolve_destroy(r);
	return NULL;
}

/* Starts the helper thread with every signal blocked in it, so signals keep
 * going to the loop's thread.  Returns 0, or the errno value that says why
 * it could not (pthread calls return theirs: errno is not theirs to set). */
static int resolve_spawn(rc_resolve *r)
{
	if (pipe2(r->pipe_fd, O_CLOEXEC | O_NONBLOCK) < 0) {
		int e = errno;
		r->pipe_fd[0] = r->pipe_fd[1] = -1;
		return e;
	}
	int e = pthread_mutex_init(&r->mu, NULL);
	if (e != 0)
		return e;
	r->threaded = true;
	r->refs = 2;

	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t tid;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	e = pthread_create(&tid, &attr, resolve_thread, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return e;
}

/* Starts a lookup without a loop (see resolve-int.h). */
rc_resolve *resolve_job_start(const char *host, const char *port, int *fd)
{
	*fd = -1;
	if (!host)
		return NULL;
	rc_resolve *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->pipe_fd[0] = r->pipe_fd[1] = -1;
	r->host = strdup(host);
	r->port = strdup(port ? port : "25575");
	if (!r->host || !r->port) {
		resolve_destroy(r);
		return NULL;
	}
	/* Numeric address (or an empty name, which is an error): no thread. */
	resolve_lookup(r, AI_NUMERICHOST);
	if (r->ai != NULL || host[0] == '\0')
		return r;
	r->err = 0;
	r->cause[0] = '\0';
	int e = resolve_spawn(r);
	if (e == 0) {
		*fd = r->pipe_fd[0];
		return r;
	}
	/* No thread: the failure is the result. */
	if (r->threaded) {
		pthread_mutex_destroy(&r->mu);
		r->threaded = false;
	}
	r->err = RC_ERESOLVE;
	snprintf(r->cause, sizeof r->cause, "%s: cannot start the resolver: %s", host, strerror(e));
	return r;
}

/* Takes the result and frees the handle (see resolve-int.h). */
int resolve_job_take(rc_resolve *r, struct addrinfo **ai, char *cause, size_t cap)
{
	if (r->threaded) {
		char b;
		(void)!read(r->pipe_fd[0], &b, 1);
	}
	*ai = r->ai;
	r->ai = NULL;
	int err = *ai ? 0 : (r->err ? r->err : RC_ERESOLVE);
	if (cap)
		snprintf(cause, cap, "%s", *ai ? "" : (r->cause[0] ? r->cause : "name resolution failed"));
	if (r->threaded)
		resolve_unref(r);
	else
		resolve_destroy(r);
	return err;
}

/* Cancels a lookup; its thread finishes on its own (see resolve-int.h). */
void resolve_job_cancel(rc_resolve *r)
{
	if (!r)
		return;
	if (!r->threaded) {
		resolve_destroy(r);
		return;
	}
	pthread_mutex_lock(&r->mu);
	r->cancelled = true;
	pthread_mutex_unlock(&r->mu);
	resolve_unref(r);
}

/* The loop-driven lookup of rc_resolve_start(). */
struct resolve_loop {
	rc_loop *loop;
	rc_resolve *job;
	int fd;
	rc_timer_id timer;
	rc_resolve_cb cb;
	void *arg;
};

/* Delivers the result to the caller's callback and frees the wrapper. */
static void resolve_loop_deliver(struct resolve_loop *w)
{
	struct addrinfo *ai;
	char cause[160];
	int err = resolve_job_take(w->job, &ai, cause, sizeof cause);
	rc_resolve_cb cb = w->cb;
	void *arg = w->arg;
	loop_release(w->loop);
	free(w);
	cb(arg, err, ai, err ? cause : NULL);
}

/* Timer callback of the numeric path. */
static int64_t resolve_on_timer(rc_loop *loop, void *arg)
{
	struct resolve_loop *w = arg;
	w->timer = 0;
	resolve_loop_deliver(w);
	return RC_TIMER_DONE;
}

/* Loop callback: the thread finished. */
static void resolve_on_pipe(rc_loop *loop, int fd, int revents, void *arg)
{
	rc_loop_del_fd(loop, fd);
	resolve_loop_deliver(arg);
}

/* Starts resolving host:port; the callback always runs from the loop. */
rc_resolve *rc_resolve_start(rc_loop *loop, const char *host, const char *port,
    rc_resolve_cb cb, void *arg)
{
	if (!loop || !host || !cb)
		return NULL;
	struct resolve_loop *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->loop = loop;
	w->cb = cb;
	w->arg = arg;
	w->job = resolve_job_start(host, port, &w->fd);
	if (!w->job) {
		free(w);
		return NULL;
	}
	int ok = w->fd >= 0 ? rc_loop_add_fd(loop, w->fd, POLLIN, resolve_on_pipe, w) :
	    ((w->timer = rc_loop_add_timer(loop, 0, resolve_on_timer, w)) ? 0 : RC_ENOMEM);
	if (ok < 0) {
		resolve_job_cancel(w->job);
		free(w);
		return NULL;
	}
	w->job->owner = w;
	loop_hold(loop);
	return w->job;
}

/* Cancels a lookup that has not called back yet and releases the handle. */
void rc_resolve_cancel(rc_resolve *r)
{
	if (!r)
		return;
	struct resolve_loop *w = r->owner;
	if (w) {
		if (w->fd >= 0)
			rc_loop_del_fd(w->loop, w->fd);
		else
			rc_loop_del_timer(w->loop, w->timer);
		loop_release(w->loop);
		free(w);
	}
	resolve_job_cancel(r);
}

/* Copies s[0..n) into out[cap] with a NUL; returns 0 or RC_EINVAL. */
static int resolve_copy(char *out, size_t cap, const char *s, size_t n)
{
	if (n == 0 || n >= cap)
		return RC_EINVAL;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Returns true when s[0..n) is a decimal port number 1..65535. */
static bool resolve_port_ok(const char *s, size_t n)
{
	if (n == 0 || n > 5)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

/* Splits "host", "host:port", "[v6]:port", "[v6]" or a bare "v6". */
int rc_hostport_split(const char *in, const char *default_port,
    char *host, size_t host_cap, char *port, size_t port_cap)
{
	if (!in || !host || !port)
		return RC_EINVAL;
	const char *h = in, *p = NULL;
	size_t hn;
	if (in[0] == '[') {
		const char *close = strchr(in, ']');
		if (!close)
			return RC_EINVAL;
		h = in + 1;
		hn = (size_t)(close - h);
		if (close[1] == ':')
			p = close + 2;
		else if (close[1] != '\0')
			return RC_EINVAL;
		if (memchr(h, '[', hn))
			return RC_EINVAL;
	} else {
		const char *colon = strchr(in, ':');
		if (colon && !strchr(colon + 1, ':')) {
			hn = (size_t)(colon - in);
			p = colon + 1;
		} else {
			hn = strlen(in);   /* no colon, or several: a bare IPv6 address */
		}
		if (memchr(in, ']', hn))
			return RC_EINVAL;
	}
	for (size_t i = 0; i < hn; i++)
		if ((unsigned char)h[i] <= ' ' || h[i] == '/')
			return RC_EINVAL;
	if (resolve_copy(host, host_cap, h, hn) < 0)
		return RC_EINVAL;
	if (!p)
		p = default_port ? default_port : "25575";
	size_t pn = strlen(p);
	if (!resolve_port_ok(p, pn))
		return RC_EINVAL;
	return resolve_copy(port, port_cap, p, pn);
}
