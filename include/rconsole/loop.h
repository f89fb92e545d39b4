/* loop.h: the one poll() loop: file events by fd, monotonic timers, signals.
 *
 * One thread, one loop.  The poll timeout is the time to the earliest timer,
 * so an idle loop with no timers sleeps until an fd is ready.  Removing an fd
 * or a timer from inside any callback is safe: removal is deferred to the end
 * of the pass.  Signals are delivered through a self-pipe, so their callbacks
 * run as ordinary loop callbacks, never in signal context.
 *
 * Ownership: the caller owns every fd it registers; the loop never closes
 * them.  rc_loop_free() frees the loop and its timers, not the callers' args.
 * Connections, sessions and lookups made on a loop may be freed before or
 * after it (one freed after it gets no more events); nothing may run the
 * loop or start anything on it once it is freed. */
#ifndef RCONSOLE_LOOP_H
#define RCONSOLE_LOOP_H

#include <stdint.h>
#include <poll.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rc_loop rc_loop;

/* Called when fd is ready; revents is poll()'s revents. */
typedef void (*rc_io_cb)(rc_loop *loop, int fd, int revents, void *arg);

/* Called when a timer fires.  Returns the delay in ms until it fires again,
 * or RC_TIMER_DONE (< 0) to remove it. */
typedef int64_t (*rc_timer_cb)(rc_loop *loop, void *arg);
#define RC_TIMER_DONE (-1)

/* Called, in loop context, after signo was caught. */
typedef void (*rc_signal_cb)(rc_loop *loop, int signo, void *arg);

/* Called once per pass just before poll() (drawing goes here). */
typedef void (*rc_prepare_cb)(rc_loop *loop, void *arg);

typedef uint64_t rc_timer_id; /* 0 is never a valid id */

/* Creates a loop; returns NULL when out of memory or descriptors. */
rc_loop *rc_loop_new(void);
/* Frees the loop, its timers and its signal pipe; restores signal handlers.
 * Not from inside one of its callbacks (rc_loop_stop() there, then free). */
void rc_loop_free(rc_loop *loop);

/* Watches fd for events (POLLIN|POLLOUT); replaces an existing watch. */
int rc_loop_add_fd(rc_loop *loop, int fd, short events, rc_io_cb cb, void *arg);
/* Changes the events watched on fd. */
int rc_loop_mod_fd(rc_loop *loop, int fd, short events);
/* Stops watching fd (safe inside callbacks). */
void rc_loop_del_fd(rc_loop *loop, int fd);

/* Adds a timer firing after delay_ms; returns its id, 0 when out of memory. */
rc_timer_id rc_loop_add_timer(rc_loop *loop, int64_t delay_ms, rc_timer_cb cb, void *arg);
/* Removes a timer (0 and already-fired ids are ignored). */
void rc_loop_del_timer(rc_loop *loop, rc_timer_id id);

/* Catches signo and calls cb from the loop.  Several callbacks may watch
 * one signal (up to four; each runs, in the order they were added): the
 * same cb again only changes its arg.  cb NULL removes the callbacks that
 * watch signo with arg, and stops catching it when none is left.  Every
 * loop of the process that watches signo is told of it (up to 256 loops
 * watch signals at once); when the last stops, the disposition from before
 * the first is back.  Returns 0, RC_EINVAL (no such signal, or one that
 * cannot be caught: SIGKILL, SIGSTOP), RC_ENOMEM
 * (four already, or 256 loops) or RC_EIO. */
int rc_loop_watch_signal(rc_loop *loop, int signo, rc_signal_cb cb, void *arg);

/* Sets the callback run once per pass before poll(). */
void rc_loop_set_prepare(rc_loop *loop, rc_prepare_cb cb, void *arg);

/* Runs one pass: waits at most max_wait_ms (-1 = until the next timer or
 * event) and dispatches.  Returns the number of callbacks run, or RC_EIO. */
int rc_loop_run_once(rc_loop *loop, int max_wait_ms);
/* Runs passes until rc_loop_stop() is called; returns 0 or RC_EIO. */
int rc_loop_run(rc_loop *loop);
/* Makes rc_loop_run() return after the current pass. */
void rc_loop_stop(rc_loop *loop);

/* Returns CLOCK_MONOTONIC now in milliseconds (and microseconds). */
int64_t rc_now_ms(void);
int64_t rc_now_us(void);

/* Returns how many times poll() has returned (for the idle wake-up figure). */
uint64_t rc_loop_wakeups(const rc_loop *loop);

#ifdef __cplusplus
}
#endif
#endif
