/* loop-int.h: internals of the event loop that tests may look at (not
 * installed, not exported). */
#ifndef RCONSOLE_LOOP_INT_H
#define RCONSOLE_LOOP_INT_H

#include <stdint.h>

#include "rconsole/loop.h"

/* Timer callbacks run at most per firing round (two rounds a pass, one on
 * each side of the wait): see timers_fire in loop.c. */
#define LOOP_TIMER_BATCH 256

/* Adds a timer firing when rc_now_ms() reaches due_ms (an absolute time:
 * rc_conn's adapter arms its deadline with no clock read of its own). */
rc_timer_id loop_add_timer_at(rc_loop *l, int64_t due_ms, rc_timer_cb cb, void *arg);

/* A connection or lookup made on l holds it from its creation to its
 * free: a loop the caller frees first keeps its memory (and goes on
 * taking the holders' unwatch and cancel calls) until the last hold is
 * released, so the order of the frees does not matter. */
void loop_hold(rc_loop *l);
void loop_release(rc_loop *l);

/* Returns "epoll" or "poll": the back end loop.c was compiled with. */
const char *loop_backend(void);

#endif
