/* fdlimit.h: raising the process's descriptor limit for many servers
 * (internal to the programs, not part of the installed API). */
#ifndef RCONSOLE_FDLIMIT_H
#define RCONSOLE_FDLIMIT_H

#include <stddef.h>

/* Raises RLIMIT_NOFILE's soft limit to cover need descriptors: up to the
 * hard limit, and past it when the process is allowed to (root).  Never
 * lowers it.  Returns the soft limit in force afterwards. */
size_t fdlimit_raise(size_t need);
/* Returns how many descriptors below `below` are open (a loop of
 * fcntl(): meant for a small limit). */
size_t fdlimit_in_use(size_t below);
/* Returns the hard limit on descriptors, (size_t)-1 when there is none. */
size_t fdlimit_hard(void);

#endif
