/* loop.c: the one event loop — fd watches, a monotonic timer heap and a
 * signal self-pipe.
 *
 * Two back ends, chosen at configure time (config.h's RC_LOOP_USE_EPOLL,
 * `--with-loop=epoll|poll`; defining RC_LOOP_FORCE_POLL when compiling this
 * file forces poll(), which is how the unit test covers both):
 *   epoll  the kernel keeps the interest set, so a pass costs the ready
 *          descriptors, not all of them (what 10,000 servers need);
 *   poll   portable; the pollfd array is rebuilt from the watches each pass.
 * Watches live in a dense array indexed by a per-fd table.  Removal inside a
 * callback only marks the watch dead (and, under epoll, unregisters it at
 * once, so the caller may close the fd); dead slots are filled from the end
 * of the array after the pass, so removal costs the removed watches only.
 * Each watch carries a generation, so an epoll event queued for a watch
 * removed earlier in the same pass never reaches a new watch of the same fd.
 * Timers sit in slots addressed by (generation << 32 | slot) ids and are
 * ordered by a binary min-heap of slot numbers (deadline, then creation
 * order), so add, delete and fire are O(log n). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/loop.h"
#include "lib/loop-int.h"

#if defined(RC_LOOP_USE_EPOLL) && !defined(RC_LOOP_FORCE_POLL)
#define LOOP_EPOLL 1
#include <sys/epoll.h>
#endif

struct watch {
	int fd;
	short events;
	bool dead;
	bool in_kernel;      /* epoll: registered with the kernel */
	uint32_t gen;        /* epoll: tells stale events from a reused fd */
	rc_io_cb cb;
	void *arg;
};

enum timer_state { TIMER_FREE, TIMER_ARMED, TIMER_FIRING, TIMER_CANCELLED };

struct timer {
	int64_t due;
	uint64_t seq;
	rc_timer_cb cb;
	void *arg;
	uint32_t gen;
	uint32_t heap;       /* index in the heap while armed */
	enum timer_state state;
	uint32_t next_free;
};

#define SIG_SLOTS 65
#define SIG_WATCHERS 4   /* callbacks per signal (SIGCHLD: tunnels and hooks) */

struct sig_watch {
	struct { rc_signal_cb cb; void *arg; } h[SIG_WATCHERS];
	int n;
	bool caught;          /* counted in loop_sig_proc[signo].users */
};

struct rc_loop {
	struct watch *w;
	size_t nw, capw;
	int *fd_slot;            /* fd -> index in w, or -1 */
	size_t fd_slot_cap;
	struct pollfd *pfd;
	size_t cap_pfd;
	bool need_compact;
	size_t *dead;            /* indices of dead watches, to fill */
	size_t ndead, capdead;
	uint32_t watch_gen;
#ifdef LOOP_EPOLL
	int epfd;
	struct epoll_event *ev;
	size_t cap_ev;
	int *always;             /* fds epoll refuses (regular files, /dev/null): */
	size_t n_always, cap_always; /* poll() calls them always ready, so do we */
#endif

	struct timer *t;
	uint32_t nt, capt;
	uint32_t free_head;      /* UINT32_MAX when empty */
	uint32_t *heap;
	uint32_t nheap;
	uint64_t seq;

	int sig_pipe[2];
	struct sig_watch *sig[SIG_SLOTS];   /* made on first watch: 150 bytes each */

	rc_prepare_cb prepare;
	void *prepare_arg;
	bool stop;
	uint64_t wakeups;

	unsigned holds;          /* connections and lookups still made on it */
	bool freed;              /* rc_loop_free() came while some were */
};

/* The signal handler has no context pointer: it writes the signal's number
 * to every loop's self-pipe (a slot holds the write end + 1, 0 when free;
 * slots up to loop_sig_top are looked at), and each loop runs its own
 * watchers of it, if any.  Several loops in one process (a client per
 * thread) are all told. */
#define LOOP_SIG_PIPES 256
static atomic_int loop_sig_pipes[LOOP_SIG_PIPES];
static atomic_int loop_sig_top;
/* Per signal, how many loops catch it and the disposition from before the
 * first: the last one to stop puts it back, whichever loop goes first. */
static struct { int users; struct sigaction old; } loop_sig_proc[SIG_SLOTS];
static pthread_mutex_t loop_sig_mu = PTHREAD_MUTEX_INITIALIZER;

/* Returns CLOCK_MONOTONIC now in microseconds. */
int64_t rc_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Returns CLOCK_MONOTONIC now in milliseconds. */
int64_t rc_now_ms(void)
{
	return rc_now_us() / 1000;
}

#ifndef __linux__
/* Sets O_NONBLOCK and FD_CLOEXEC on fd. */
static int set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}
#endif

/* Signal handler (below). */
static void loop_on_signal(int signo);

/* Counts one more loop catching signo; the first installs the handler,
 * keeping the disposition it replaces.  Returns 0, RC_EINVAL (a signal
 * that cannot be caught: SIGKILL, SIGSTOP) or RC_EIO. */
static int loop_sig_catch(int signo)
{
	int rc = 0;
	pthread_mutex_lock(&loop_sig_mu);
	if (loop_sig_proc[signo].users == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = loop_on_signal;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		if (sigaction(signo, &sa, &loop_sig_proc[signo].old) < 0)
			rc = errno == EINVAL ? RC_EINVAL : RC_EIO;
	}
	if (rc == 0)
		loop_sig_proc[signo].users++;
	pthread_mutex_unlock(&loop_sig_mu);
	return rc;
}

/* Counts one loop fewer catching signo; the last puts back what was there
 * before the first. */
static void loop_sig_release(int signo)
{
	pthread_mutex_lock(&loop_sig_mu);
	if (loop_sig_proc[signo].users > 0 && --loop_sig_proc[signo].users == 0)
		sigaction(signo, &loop_sig_proc[signo].old, NULL);
	pthread_mutex_unlock(&loop_sig_mu);
}

/* Gives a loop's self-pipe write end a slot the handler writes to; returns
 * 0, or -1 when every slot is taken. */
static int loop_sig_register(int wfd)
{
	int rc = -1;
	pthread_mutex_lock(&loop_sig_mu);
	for (int i = 0; i < LOOP_SIG_PIPES; i++) {
		if (atomic_load(&loop_sig_pipes[i]) == 0) {
			atomic_store(&loop_sig_pipes[i], wfd + 1);
			if (i >= atomic_load(&loop_sig_top))
				atomic_store(&loop_sig_top, i + 1);
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&loop_sig_mu);
	return rc;
}

/* Frees the slot of a self-pipe's write end (before it is closed). */
static void loop_sig_unregister(int wfd)
{
	pthread_mutex_lock(&loop_sig_mu);
	for (int i = 0; i < atomic_load(&loop_sig_top); i++)
		if (atomic_load(&loop_sig_pipes[i]) == wfd + 1)
			atomic_store(&loop_sig_pipes[i], 0);
	pthread_mutex_unlock(&loop_sig_mu);
}

/* Creates a loop. */
rc_loop *rc_loop_new(void)
{
	rc_loop *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	l->free_head = UINT32_MAX;
	l->sig_pipe[0] = l->sig_pipe[1] = -1;
#ifdef LOOP_EPOLL
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return NULL;
	}
#endif
	return l;
}

/* Stops catching signals and closes the signal pipe (again: a no-op). */
static void loop_sig_close(rc_loop *l)
{
	for (int s = 1; s < SIG_SLOTS; s++) {
		if (l->sig[s] && l->sig[s]->caught)
			loop_sig_release(s);
		free(l->sig[s]);
		l->sig[s] = NULL;
	}
	if (l->sig_pipe[0] >= 0) {
		loop_sig_unregister(l->sig_pipe[1]);
		rc_loop_del_fd(l, l->sig_pipe[0]);
		close(l->sig_pipe[0]);
		close(l->sig_pipe[1]);
		l->sig_pipe[0] = l->sig_pipe[1] = -1;
	}
}

/* Frees what is left of the loop. */
static void loop_destroy(rc_loop *l)
{
	loop_sig_close(l);
#ifdef LOOP_EPOLL
	close(l->epfd);
	free(l->ev);
	free(l->always);
#endif
	free(l->w);
	free(l->fd_slot);
	free(l->pfd);
	free(l->dead);
	free(l->t);
	free(l->heap);
	free(l);
}

/* Frees the loop, its timers and its signal pipe.  Signals are given back
 * at once; the memory waits for the last connection or lookup still made
 * on the loop, which keeps calling it (to unwatch its descriptor, cancel
 * its timer) until it is freed itself, in whatever order the caller frees
 * things. */
void rc_loop_free(rc_loop *l)
{
	if (!l || l->freed)
		return;
	loop_sig_close(l);
	if (l->holds) {
		l->freed = true;
		return;
	}
	loop_destroy(l);
}

/* Keeps the loop's memory for one more user (see rc_loop_free). */
void loop_hold(rc_loop *l)
{
	l->holds++;
}

/* Lets go of a hold; the last one frees a loop the caller already freed. */
void loop_release(rc_loop *l)
{
	if (--l->holds == 0 && l->freed)
		loop_destroy(l);
}

/* Grows the fd -> slot table to cover fd. */
static int fd_slot_reserve(rc_loop *l, int fd)
{
	if ((size_t)fd < l->fd_slot_cap)
		return 0;
	size_t cap = l->fd_slot_cap ? l->fd_slot_cap : 64;
	while (cap <= (size_t)fd)
		cap *= 2;
	int *n = realloc(l->fd_slot, cap * sizeof *n);
	if (!n)
		return RC_ENOMEM;
	for (size_t i = l->fd_slot_cap; i < cap; i++)
		n[i] = -1;
	l->fd_slot = n;
	l->fd_slot_cap = cap;
	return 0;
}

/* Returns the name of the back end this loop was built with. */
const char *loop_backend(void)
{
#ifdef LOOP_EPOLL
	return "epoll";
#else
	return "poll";
#endif
}

#ifdef LOOP_EPOLL
/* poll() event bits and their epoll twins (equal on Linux, mapped anyway). */
static const struct { short poll; uint32_t ep; } loop_bits[] = {
	{ POLLIN, EPOLLIN }, { POLLOUT, EPOLLOUT }, { POLLPRI, EPOLLPRI },
	{ POLLERR, EPOLLERR }, { POLLHUP, EPOLLHUP },
};

/* Converts poll() events to epoll events. */
static uint32_t loop_to_epoll(short events)
{
	uint32_t ep = 0;
	for (size_t i = 0; i < sizeof loop_bits / sizeof loop_bits[0]; i++)
		if (events & loop_bits[i].poll)
			ep |= loop_bits[i].ep;
	return ep;
}

/* Converts epoll events to poll() revents. */
static short loop_from_epoll(uint32_t ep)
{
	short ev = 0;
	for (size_t i = 0; i < sizeof loop_bits / sizeof loop_bits[0]; i++)
		if (ep & loop_bits[i].ep)
			ev |= loop_bits[i].poll;
	return ev;
}

/* Adds fd to or removes it from the always-ready list. */
static int loop_always_set(rc_loop *l, int fd, bool on)
{
	for (size_t i = 0; i < l->n_always; i++)
		if (l->always[i] == fd) {
			if (!on)
				l->always[i] = l->always[--l->n_always];
			return 0;
		}
	if (!on)
		return 0;
	if (l->n_always == l->cap_always) {
		size_t cap = l->cap_always ? l->cap_always * 2 : 4;
		int *n = realloc(l->always, cap * sizeof *n);
		if (!n)
			return RC_ENOMEM;
		l->always = n;
		l->cap_always = cap;
	}
	l->always[l->n_always++] = fd;
	return 0;
}

/* Brings the kernel's interest set in line with watch w.  A watch with no
 * events is left out (epoll would still report errors and hang-ups on it,
 * which poll() with fd -1 does not).  ADD and MOD fall back on each other:
 * the caller may have closed and reopened the fd number meanwhile. */
static int loop_sync_kernel(rc_loop *l, struct watch *w)
{
	if (!w->events) {
		if (w->in_kernel)
			epoll_ctl(l->epfd, EPOLL_CTL_DEL, w->fd, NULL);
		w->in_kernel = false;
		return loop_always_set(l, w->fd, false);
	}
	struct epoll_event ev = { .events = loop_to_epoll(w->events),
		.data.u64 = (uint64_t)w->gen << 32 | (uint32_t)w->fd };
	int op = w->in_kernel ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
	int rc = epoll_ctl(l->epfd, op, w->fd, &ev);
	if (rc < 0 && errno == ENOENT)
		rc = epoll_ctl(l->epfd, EPOLL_CTL_ADD, w->fd, &ev);
	else if (rc < 0 && errno == EEXIST)
		rc = epoll_ctl(l->epfd, EPOLL_CTL_MOD, w->fd, &ev);
	w->in_kernel = rc == 0;
	if (rc < 0 && errno == EPERM)
		return loop_always_set(l, w->fd, true); /* a file: always ready */
	if (rc == 0)
		return loop_always_set(l, w->fd, false);
	return errno == ENOMEM || errno == ENOSPC ? RC_ENOMEM : RC_EINVAL;
}
#else
/* poll(): the pollfd array is rebuilt each pass; nothing to tell a kernel. */
static int loop_sync_kernel(rc_loop *l, struct watch *w)
{
	(void)l;
	(void)w;
	return 0;
}
#endif

/* Watches fd for events; replaces an existing watch. */
int rc_loop_add_fd(rc_loop *l, int fd, short events, rc_io_cb cb, void *arg)
{
	if (fd < 0 || !cb)
		return RC_EINVAL;
	if (fd_slot_reserve(l, fd) < 0)
		return RC_ENOMEM;
	int i = l->fd_slot[fd];
	bool fresh = i < 0;
	if (fresh) {
		if (l->nw == l->capw) {
			size_t cap = l->capw ? l->capw * 2 : 16;
			struct watch *n = realloc(l->w, cap * sizeof *n);
			if (!n)
				return RC_ENOMEM;
			l->w = n;
			l->capw = cap;
		}
		i = (int)l->nw;
	}
	struct watch *w = &l->w[i];
	bool in_kernel = fresh ? false : w->in_kernel;
	bool same = !fresh && w->events == events;
	uint32_t gen = fresh ? ++l->watch_gen : w->gen;
	*w = (struct watch){ .fd = fd, .events = events, .cb = cb, .arg = arg,
		.in_kernel = in_kernel, .gen = gen };
	/* Connections re-state their watch after every step: the kernel hears
	 * only of changes. */
	int rc = same ? 0 : loop_sync_kernel(l, w);
	if (rc < 0) {
		if (!fresh)
			rc_loop_del_fd(l, fd);
		return rc;
	}
	if (fresh) {
		l->nw++;
		l->fd_slot[fd] = i;
	}
	return 0;
}

/* Changes the events watched on fd. */
int rc_loop_mod_fd(rc_loop *l, int fd, short events)
{
	if (fd < 0 || (size_t)fd >= l->fd_slot_cap || l->fd_slot[fd] < 0)
		return RC_EINVAL;
	struct watch *w = &l->w[l->fd_slot[fd]];
	if (w->events == events)
		return 0;
	w->events = events;
	return loop_sync_kernel(l, w);
}

/* Stops watching fd; the slot is reclaimed at the end of the pass. */
void rc_loop_del_fd(rc_loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->fd_slot_cap || l->fd_slot[fd] < 0)
		return;
	size_t i = (size_t)l->fd_slot[fd];
	struct watch *w = &l->w[i];
	w->events = 0;
	loop_sync_kernel(l, w);
	w->dead = true;
	l->fd_slot[fd] = -1;
	l->need_compact = true;
	if (l->ndead == l->capdead) {
		size_t cap = l->capdead ? l->capdead * 2 : 16;
		size_t *n = realloc(l->dead, cap * sizeof *n);
		if (!n) {
			l->ndead = SIZE_MAX; /* compact by a full sweep instead */
			return;
		}
		l->dead = n;
		l->capdead = cap;
	}
	if (l->ndead != SIZE_MAX)
		l->dead[l->ndead++] = i;
}

/* Orders watch indices from the highest down. */
static int loop_cmp_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Drops dead watches: each dead slot, highest first, takes the last watch,
 * so the cost is the number of removals, not of watches. */
static void watch_compact(rc_loop *l)
{
	if (l->ndead == SIZE_MAX) {
		size_t j = 0;
		for (size_t i = 0; i < l->nw; i++) {
			if (l->w[i].dead)
				continue;
			l->w[j] = l->w[i];
			l->fd_slot[l->w[j].fd] = (int)j;
			j++;
		}
		l->nw = j;
	} else {
		qsort(l->dead, l->ndead, sizeof *l->dead, loop_cmp_desc);
		for (size_t k = 0; k < l->ndead; k++) {
			size_t i = l->dead[k], last = l->nw - 1;
			if (i != last) {
				l->w[i] = l->w[last];
				l->fd_slot[l->w[i].fd] = (int)i;
			}
			l->nw--;
		}
	}
	l->ndead = 0;
	l->need_compact = false;
}

/* Returns true when timer a is due before timer b. */
static bool timer_before(const rc_loop *l, uint32_t a, uint32_t b)
{
	const struct timer *x = &l->t[a], *y = &l->t[b];
	return x->due < y->due || (x->due == y->due && x->seq < y->seq);
}

/* Places slot s at heap index i and records the index. */
static void heap_set(rc_loop *l, uint32_t i, uint32_t s)
{
	l->heap[i] = s;
	l->t[s].heap = i;
}

/* Moves the entry at index i up until the heap order holds. */
static void heap_up(rc_loop *l, uint32_t i)
{
	uint32_t s = l->heap[i];
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!timer_before(l, s, l->heap[p]))
			break;
		heap_set(l, i, l->heap[p]);
		i = p;
	}
	heap_set(l, i, s);
}

/* Moves the entry at index i down until the heap order holds. */
static void heap_down(rc_loop *l, uint32_t i)
{
	uint32_t s = l->heap[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && timer_before(l, l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l, l->heap[c], s))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, s);
}

/* Inserts slot s into the heap. */
static void heap_push(rc_loop *l, uint32_t s)
{
	l->heap[l->nheap] = s;
	l->t[s].heap = l->nheap;
	heap_up(l, l->nheap++);
}

/* Removes the entry at heap index i. */
static void heap_remove(rc_loop *l, uint32_t i)
{
	uint32_t last = l->heap[--l->nheap];
	if (i == l->nheap)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, l->t[last].heap);
}

/* Returns a timer slot to the free list. */
static void timer_release(rc_loop *l, uint32_t s)
{
	l->t[s].state = TIMER_FREE;
	l->t[s].gen++;
	l->t[s].next_free = l->free_head;
	l->free_head = s;
}

/* Adds a timer firing after delay_ms. */
rc_timer_id rc_loop_add_timer(rc_loop *l, int64_t delay_ms, rc_timer_cb cb, void *arg)
{
	return cb ? loop_add_timer_at(l, rc_now_ms() + (delay_ms < 0 ? 0 : delay_ms), cb, arg) : 0;
}

/* Adds a timer firing when rc_now_ms() reaches due_ms. */
rc_timer_id loop_add_timer_at(rc_loop *l, int64_t due_ms, rc_timer_cb cb, void *arg)
{
	if (!cb)
		return 0;
	uint32_t s;
	if (l->free_head != UINT32_MAX) {
		s = l->free_head;
		l->free_head = l->t[s].next_free;
	} else {
		if (l->nt == l->capt) {
			uint32_t cap = l->capt ? l->capt * 2 : 16;
			struct timer *n = realloc(l->t, cap * sizeof *n);
			if (!n)
				return 0;
			l->t = n;
			uint32_t *h = realloc(l->heap, cap * sizeof *h);
			if (!h)
				return 0;
			l->heap = h;
			l->capt = cap;
		}
		s = l->nt++;
		l->t[s].gen = 1;
	}
	struct timer *t = &l->t[s];
	t->due = due_ms;
	t->seq = ++l->seq;
	t->cb = cb;
	t->arg = arg;
	t->state = TIMER_ARMED;
	heap_push(l, s);
	return (uint64_t)t->gen << 32 | s;
}

/* Removes a timer; ids of fired or removed timers are ignored. */
void rc_loop_del_timer(rc_loop *l, rc_timer_id id)
{
	uint32_t s = (uint32_t)id;
	if (id == 0 || s >= l->nt || l->t[s].gen != (uint32_t)(id >> 32))
		return;
	struct timer *t = &l->t[s];
	if (t->state == TIMER_ARMED) {
		heap_remove(l, t->heap);
		timer_release(l, s);
	} else if (t->state == TIMER_FIRING) {
		t->state = TIMER_CANCELLED;
	}
}

/* Fires the timers that are due, earliest first, at most LOOP_TIMER_BATCH
 * of them; returns how many ran.  The cap keeps a pass short when thousands
 * are due at once (10,000 servers starting, or refreshed in the same
 * millisecond): the rest run on the next pass, which waits for nothing, so
 * descriptors that became ready meanwhile (a key, a login's answer) are not
 * held behind all of them. */
static int timers_fire(rc_loop *l)
{
	int ran = 0;
	int64_t now = rc_now_ms();
	while (ran < LOOP_TIMER_BATCH && l->nheap > 0 && l->t[l->heap[0]].due <= now) {
		uint32_t s = l->heap[0];
		heap_remove(l, 0);
		l->t[s].state = TIMER_FIRING;
		int64_t again = l->t[s].cb(l, l->t[s].arg);
		ran++;
		/* The callback may have added timers: the array may have moved. */
		struct timer *t = &l->t[s];
		if (t->state == TIMER_CANCELLED || again < 0) {
			timer_release(l, s);
			continue;
		}
		t->state = TIMER_ARMED;
		t->due = rc_now_ms() + again;
		t->seq = ++l->seq;
		heap_push(l, s);
	}
	return ran;
}

/* Signal handler: forwards the signal number through every loop's
 * self-pipe. */
static void loop_on_signal(int signo)
{
	int saved = errno;
	unsigned char b = (unsigned char)signo;
	int top = atomic_load(&loop_sig_top);
	for (int i = 0; i < top; i++) {
		int fd = atomic_load(&loop_sig_pipes[i]) - 1;
		if (fd >= 0)
			(void)!write(fd, &b, 1);
	}
	errno = saved;
}

/* Runs every callback watching signo (from a copy: one may unwatch). */
static void loop_run_signal(rc_loop *l, int signo)
{
	if (!l->sig[signo])
		return;
	struct sig_watch w = *l->sig[signo];
	for (int i = 0; i < w.n; i++)
		w.h[i].cb(l, signo, w.h[i].arg);
}

/* Reads signal numbers from the self-pipe and runs their callbacks. */
static void loop_on_sig_pipe(rc_loop *l, int fd, int revents, void *arg)
{
	unsigned char buf[64];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] > 0 && buf[i] < SIG_SLOTS)
				loop_run_signal(l, buf[i]);
}

/* Catches signo and calls cb from the loop, beside the other callbacks
 * watching it (the same cb again only changes its arg); cb NULL removes the
 * callbacks watching with arg, and stops catching when none is left. */
int rc_loop_watch_signal(rc_loop *l, int signo, rc_signal_cb cb, void *arg)
{
	if (signo <= 0 || signo >= SIG_SLOTS)
		return RC_EINVAL;
	struct sig_watch *sw = l->sig[signo];
	if (!cb && !sw)
		return 0;
	if (!sw && !(sw = l->sig[signo] = calloc(1, sizeof *sw)))
		return RC_ENOMEM;
	if (!cb) {
		int k = 0;
		for (int i = 0; i < sw->n; i++)
			if (sw->h[i].arg != arg)
				sw->h[k++] = sw->h[i];
		sw->n = k;
		if (sw->n == 0 && sw->caught) {
			loop_sig_release(signo);
			sw->caught = false;
		}
		return 0;
	}
	int slot = 0;
	while (slot < sw->n && sw->h[slot].cb != cb)
		slot++;
	if (slot == SIG_WATCHERS)
		return RC_ENOMEM;
	if (l->sig_pipe[0] < 0) {
#ifdef __linux__
		/* One call instead of pipe + six fcntl (one-shot start-up). */
		if (pipe2(l->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
			return RC_EIO;
#else
		if (pipe(l->sig_pipe) < 0)
			return RC_EIO;
		set_nonblock_cloexec(l->sig_pipe[0]);
		set_nonblock_cloexec(l->sig_pipe[1]);
#endif
		if (rc_loop_add_fd(l, l->sig_pipe[0], POLLIN, loop_on_sig_pipe, NULL) < 0 ||
		    loop_sig_register(l->sig_pipe[1]) < 0) {
			rc_loop_del_fd(l, l->sig_pipe[0]);
			close(l->sig_pipe[0]);
			close(l->sig_pipe[1]);
			l->sig_pipe[0] = l->sig_pipe[1] = -1;
			return RC_ENOMEM;
		}
	}
	/* Caught first: a signal that cannot be is refused with no callback
	 * left behind. */
	if (!sw->caught) {
		int rc = loop_sig_catch(signo);
		if (rc < 0)
			return rc;
		sw->caught = true;
	}
	sw->h[slot].cb = cb;
	sw->h[slot].arg = arg;
	if (slot == sw->n)
		sw->n++;
	return 0;
}

/* Sets the callback run once per pass before poll(). */
void rc_loop_set_prepare(rc_loop *l, rc_prepare_cb cb, void *arg)
{
	l->prepare = cb;
	l->prepare_arg = arg;
}

/* Returns the poll timeout: time to the earliest timer, capped by max_wait. */
static int loop_timeout(const rc_loop *l, int max_wait_ms)
{
	int64_t t = -1;
	if (l->nheap > 0) {
		t = l->t[l->heap[0]].due - rc_now_ms();
		if (t < 0)
			t = 0;
		if (t > 24 * 3600 * 1000)
			t = 24 * 3600 * 1000;
	}
	if (max_wait_ms >= 0 && (t < 0 || t > max_wait_ms))
		t = max_wait_ms;
	return (int)t;
}

#ifdef LOOP_EPOLL
/* Waits in epoll_wait() and runs the callbacks of the ready watches. */
static int loop_wait(rc_loop *l, int timeout)
{
	size_t want = l->nw < 16 ? 16 : l->nw > 4096 ? 4096 : l->nw;
	if (l->cap_ev < want) {
		struct epoll_event *n = realloc(l->ev, want * sizeof *n);
		if (!n)
			return RC_ENOMEM;
		l->ev = n;
		l->cap_ev = want;
	}
	/* Descriptors epoll cannot watch are ready now, as poll() would say. */
	int ready[16];
	size_t n_ready = 0;
	for (size_t i = 0; i < l->n_always && n_ready < 16; i++)
		ready[n_ready++] = l->always[i];
	int rc = epoll_wait(l->epfd, l->ev, (int)l->cap_ev, n_ready ? 0 : timeout);
	l->wakeups++;
	if (rc < 0 && errno != EINTR)
		return RC_EIO;
	int ran = 0;
	for (size_t k = 0; k < n_ready; k++) {
		int fd = ready[k];
		if ((size_t)fd >= l->fd_slot_cap || l->fd_slot[fd] < 0)
			continue;
		struct watch *w = &l->w[l->fd_slot[fd]];
		short ev = w->events & (POLLIN | POLLOUT);
		if (w->dead || !ev)
			continue;
		w->cb(l, fd, ev, w->arg);
		ran++;
	}
	for (int k = 0; k < rc; k++) {
		int fd = (int)(uint32_t)l->ev[k].data.u64;
		uint32_t gen = (uint32_t)(l->ev[k].data.u64 >> 32);
		if ((size_t)fd >= l->fd_slot_cap || l->fd_slot[fd] < 0)
			continue;
		struct watch *w = &l->w[l->fd_slot[fd]];
		if (w->dead || w->gen != gen || !w->events)
			continue;
		w->cb(l, fd, loop_from_epoll(l->ev[k].events), w->arg);
		ran++;
	}
	return ran;
}
#else
/* Builds the pollfd array, waits in poll() and runs the ready callbacks. */
static int loop_wait(rc_loop *l, int timeout)
{
	if (l->cap_pfd < l->nw) {
		struct pollfd *n = realloc(l->pfd, l->nw * sizeof *n);
		if (!n)
			return RC_ENOMEM;
		l->pfd = n;
		l->cap_pfd = l->nw;
	}
	size_t n = l->nw;
	for (size_t i = 0; i < n; i++) {
		l->pfd[i].fd = l->w[i].events ? l->w[i].fd : -1;
		l->pfd[i].events = l->w[i].events;
		l->pfd[i].revents = 0;
	}
	int rc = poll(l->pfd, (nfds_t)n, timeout);
	l->wakeups++;
	if (rc < 0)
		return errno == EINTR ? 0 : RC_EIO;
	int ran = 0;
	for (size_t i = 0; rc > 0 && i < n; i++) {
		if (!l->pfd[i].revents)
			continue;
		rc--;
		struct watch *w = &l->w[i];
		if (w->dead)
			continue;
		w->cb(l, w->fd, l->pfd[i].revents, w->arg);
		ran++;
	}
	return ran;
}
#endif

/* Runs one pass: prepare, wait, fds, timers. */
int rc_loop_run_once(rc_loop *l, int max_wait_ms)
{
	int ran = timers_fire(l);
	if (l->need_compact)
		watch_compact(l);
	if (l->prepare)
		l->prepare(l, l->prepare_arg);
	if (l->need_compact)
		watch_compact(l);
	int timeout = ran > 0 ? 0 : loop_timeout(l, max_wait_ms);
	int rc = loop_wait(l, timeout);
	if (rc < 0)
		return rc;
	ran += rc;
	ran += timers_fire(l);
	if (l->need_compact)
		watch_compact(l);
	return ran;
}

/* Runs passes until rc_loop_stop(). */
int rc_loop_run(rc_loop *l)
{
	l->stop = false;
	while (!l->stop) {
		int rc = rc_loop_run_once(l, -1);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Makes rc_loop_run() return after the current pass. */
void rc_loop_stop(rc_loop *l)
{
	l->stop = true;
}

/* Returns how many times poll() has returned. */
uint64_t rc_loop_wakeups(const rc_loop *l)
{
	return l->wakeups;
}
