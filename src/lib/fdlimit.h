/* fdlimit.h: raising the process's descriptor limit for many servers
 * (internal to the programs, not part of the installed API). */
#ifndef RCONSOLE_FDLIMIT_H
#define RCONSOLE_FDLIMIT_H

#include <stdbool.h>
#include <stddef.h>

/* Raises RLIMIT_NOFILE's soft limit to cover need descriptors: up to the
 * hard limit, and past it when the process is allowed to (root).  Never
 * lowers it.  Returns the soft limit in force afterwards. */
size_t fdlimit_raise(size_t need);
/* Returns how many descriptors below `below` are open (read from
 * /proc/self/fd; without it a loop of fcntl(), meant for a small limit). */
size_t fdlimit_in_use(size_t below);
/* Tells whether n more descriptors can be opened now (whatever the parent
 * left open), by opening them: n copies of a standard descriptor, closed
 * again.  Returns 1 yes, 0 no (EMFILE), -1 when it cannot tell (none of
 * 0-2 open, out of memory, another error).  For the few a one-shot needs
 * it is much cheaper than counting: a process's first read of
 * /proc/self/fd costs tens of microseconds, n copies well under one each. */
int fdlimit_room(size_t n);
/* Returns the hard limit on descriptors, (size_t)-1 when there is none. */
size_t fdlimit_hard(void);
/* Returns the descriptors one connection to host may hold at once: its
 * socket (through a tunnel: its ends of the child's socket and stderr
 * pipes, and the child's), and while a name is looked up the wake-up pipe
 * (none for a numeric address).  The one-shot's and the console's counts. */
size_t fdlimit_conn(const char *host, bool tunnel);

#endif
