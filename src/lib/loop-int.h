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

/* Returns "epoll" or "poll": the back end loop.c was compiled with. */
const char *loop_backend(void);

#endif
