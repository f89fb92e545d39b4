/* fdlimit.c: raises RLIMIT_NOFILE when a process serves or watches many
 * servers.  The usual soft limit (1,024) is far below what 10,000 servers
 * need, while the hard limit is often much higher: a console holding every
 * profile, or mcsim serving --servers 10000, asks for what it needs here. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <unistd.h>

#include "lib/fdlimit.h"

/* Raises the soft descriptor limit to cover need; returns the new limit. */
size_t fdlimit_raise(size_t need)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
		struct rlimit want = rl;
		if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= need) {
			want.rlim_cur = need;
		} else {
			want.rlim_cur = want.rlim_max = need; /* only a privileged process may */
			if (setrlimit(RLIMIT_NOFILE, &want) < 0)
				want.rlim_cur = want.rlim_max = rl.rlim_max;
		}
		if (want.rlim_cur > rl.rlim_cur)
			(void)setrlimit(RLIMIT_NOFILE, &want);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur == RLIM_INFINITY ? (size_t)-1 : (size_t)rl.rlim_cur;
}

/* Counts the descriptors open below `below`: the entries of
 * /proc/self/fd (a few system calls however high the limit), else one
 * fcntl() per descriptor number. */
size_t fdlimit_in_use(size_t below)
{
	size_t n = 0;
	DIR *d = opendir("/proc/self/fd");
	if (d) {
		for (struct dirent *e; (e = readdir(d));) {
			char *end;
			unsigned long fd = strtoul(e->d_name, &end, 10);
			n += e->d_name[0] >= '0' && e->d_name[0] <= '9' && !*end && fd < below &&
			     (int)fd != dirfd(d);
		}
		closedir(d);
		return n;
	}
	for (size_t fd = 0; fd < below && fd <= (size_t)INT32_MAX; fd++)
		n += fcntl((int)fd, F_GETFD) >= 0;
	return n;
}

/* Tells whether n more descriptors can be opened now by opening them:
 * copies of an open standard descriptor, closed again (see fdlimit.h). */
int fdlimit_room(size_t n)
{
	int src = -1;
	for (int fd = 0; fd <= 2 && src < 0; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			src = fd;
	int small[64];
	int *fds = n <= 64 ? small : malloc(n * sizeof *fds);
	if (src < 0 || !fds)
		return -1;
	size_t got = 0;
	int err = 0;
	while (got < n) {
		int fd = fcntl(src, F_DUPFD_CLOEXEC, 0);
		if (fd < 0) {
			err = errno;
			break;
		}
		fds[got++] = fd;
	}
	for (size_t i = 0; i < got; i++)
		close(fds[i]);
	if (fds != small)
		free(fds);
	return got == n ? 1 : err == EMFILE ? 0 : -1;
}

/* Returns the hard descriptor limit ((size_t)-1: none). */
size_t fdlimit_hard(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_max == RLIM_INFINITY)
		return (size_t)-1;
	return (size_t)rl.rlim_max;
}

/* Returns what one connection to host may hold at once (see fdlimit.h). */
size_t fdlimit_conn(const char *host, bool tunnel)
{
	size_t n = tunnel ? 3 : 1;
	unsigned char a[sizeof(struct in6_addr)];
	if (!host || (inet_pton(AF_INET, host, a) != 1 && inet_pton(AF_INET6, host, a) != 1))
		n += 2;
	return n;
}
