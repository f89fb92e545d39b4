/* resolve-int.h: name resolution without a loop, for drivers that watch the
 * wake-up descriptor themselves (the connection driver, conn.c, through its
 * adapter).  Private to the library.
 *
 * resolve_job_start() converts a numeric address at once (*fd = -1: the
 * result is ready) or starts the helper thread and hands back the read end
 * of its wake-up pipe (readable when the result is ready).  Either way the
 * result is taken exactly once with resolve_job_take(), or the job is
 * dropped with resolve_job_cancel(); both free the handle. */
#ifndef RCONSOLE_RESOLVE_INT_H
#define RCONSOLE_RESOLVE_INT_H

#include <stddef.h>
#include "rconsole/resolve.h"

/* Starts looking host:port up; NULL when out of memory. */
rc_resolve *resolve_job_start(const char *host, const char *port, int *fd);
/* Takes the result: 0 and a list the caller must freeaddrinfo(), or
 * RC_ERESOLVE with the reason in cause.  Frees the handle. */
int resolve_job_take(rc_resolve *r, struct addrinfo **ai, char *cause, size_t cap);
/* Drops a lookup whose result is not wanted; frees the handle. */
void resolve_job_cancel(rc_resolve *r);

#endif
