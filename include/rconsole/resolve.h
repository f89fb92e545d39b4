/* resolve.h: name resolution that never blocks the loop.
 *
 * Numeric addresses are converted at once (the callback still runs from the
 * loop, never from inside rc_resolve_start()).  Names are looked up with
 * getaddrinfo(AF_UNSPEC) on a helper thread that wakes the loop through a
 * pipe.  A cancelled lookup never calls back; its thread finishes on its own
 * and frees its result. */
#ifndef RCONSOLE_RESOLVE_H
#define RCONSOLE_RESOLVE_H

#include <stddef.h>
#include <netdb.h>
#include "rconsole/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rc_resolve rc_resolve;
/* Declared here too: strict ISO C modes leave it out of <netdb.h>, and
 * freeaddrinfo() with it: such a program defines _POSIX_C_SOURCE
 * (200809L) to read the list and free it. */
struct addrinfo;

/* Called once with err 0 and a list the callee must freeaddrinfo(), or with
 * err RC_ERESOLVE, ai NULL and a cause such as "Name or service not known". */
typedef void (*rc_resolve_cb)(void *arg, int err, struct addrinfo *ai, const char *cause);

/* Starts resolving host:port (TCP, AF_UNSPEC).  Returns NULL when out of
 * memory or loop, host or cb is NULL.  The handle is valid until the callback has run or it is cancelled. */
rc_resolve *rc_resolve_start(rc_loop *loop, const char *host, const char *port,
    rc_resolve_cb cb, void *arg);
/* Cancels a lookup that has not called back yet and frees the handle. */
void rc_resolve_cancel(rc_resolve *r);

/* Splits "host", "host:port", "[v6]:port" or "v6" into host and port buffers;
 * default_port is used when none is given.  Returns 0 or RC_EINVAL. */
int rc_hostport_split(const char *in, const char *default_port,
    char *host, size_t host_cap, char *port, size_t port_cap);

#ifdef __cplusplus
}
#endif
#endif
