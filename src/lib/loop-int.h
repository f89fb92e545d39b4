/* loop-int.h: internals of the event loop that tests may look at (not
 * installed, not exported). */
#ifndef RCONSOLE_LOOP_INT_H
#define RCONSOLE_LOOP_INT_H

/* Timer callbacks run at most per firing round (two rounds a pass, one on
 * each side of the wait): see timers_fire in loop.c. */
#define LOOP_TIMER_BATCH 256

/* Returns "epoll" or "poll": the back end loop.c was compiled with. */
const char *loop_backend(void);

#endif
