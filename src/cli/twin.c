/* twin.c: a statically linked rconsole hands the modes it is not built for
 * to its dynamically linked twin (configure --enable-static-libc, issue 11).
 *
 * A static program starts in a third less CPU, which is what a one-shot
 * invocation from a script is about.  But it cannot dlopen libmicrohttpd
 * safely (that would bring a second C library into the process, and
 * libmicrohttpd's thread with it), and the console gains nothing from a
 * faster start.  So the console, --demo and --metrics run the twin,
 * rconsole-dynamic: the same sources linked dynamically, installed in
 * $(pkglibexecdir).  It is looked for next to this program first (the
 * build tree, or a copy kept beside it), then there.  Nothing has been read
 * or sent at that point: the twin starts from the same argv and
 * environment, so nothing (a password prompt above all) happens twice.
 * When the twin is missing, the console runs here after all (curses and
 * the locale work in a static program); only --metrics and metrics_listen
 * then fail, with the reason (metrics_http_load). */
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/twin.h"

#define TWIN_NAME "rconsole-dynamic"

/* Fills buf with the twin's path next to this program; false when
 * /proc/self/exe cannot be read or the path does not fit. */
static bool twin_beside(char *buf, size_t cap)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return false;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return false;
	slash[1] = '\0';
	int w = snprintf(buf, cap, "%s%s", self, TWIN_NAME);
	return w > 0 && (size_t)w < cap;
}

/* Says where the twin was looked for, for a message: the two places. */
const char *twin_places(char *buf, size_t cap)
{
	char beside[PATH_MAX];
	if (!twin_beside(beside, sizeof beside))
		snprintf(beside, sizeof beside, "(this program's directory)/%s", TWIN_NAME);
	snprintf(buf, cap, "%s or %s/%s", beside, RC_PKGLIBEXECDIR, TWIN_NAME);
	return buf;
}

/* Runs the twin with argv (see the file comment); returns only when there
 * is no twin to run, or exec failed. */
void twin_exec(char *const argv[])
{
	char path[PATH_MAX];
	if (twin_beside(path, sizeof path))
		execv(path, argv);
	int w = snprintf(path, sizeof path, "%s/%s", RC_PKGLIBEXECDIR, TWIN_NAME);
	if (w > 0 && (size_t)w < sizeof path)
		execv(path, argv);
}
