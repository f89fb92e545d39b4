/* loop-int.h: internals of the event loop that tests may look at (not
 * installed, not exported). */
#ifndef RCONSOLE_LOOP_INT_H
#define RCONSOLE_LOOP_INT_H

/* Returns "epoll" or "poll": the back end loop.c was compiled with. */
const char *loop_backend(void);

#endif
