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
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "cli/output.h"
#include "cli/twin.h"

#define TWIN_NAME "rconsole-dynamic"
/* Set in the environment across the exec, to this program's version, so
 * that a "twin" that is a static rconsole again (a symlink or copy of it
 * put there) knows it was run as the twin and does not exec it again, for
 * ever, and a twin of another version (an older install's) can say so.
 * The twin removes it (twin_arrived), so nothing it starts inherits it. */
#define TWIN_ENV "RCONSOLE_AS_TWIN"

/* Why each place (beside, pkglibexecdir) could not be run: 0 when it was
 * not tried, ENOENT when there is nothing there. */
static int twin_errno[2];

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

/* " (why)" when place i held a twin that could not be run, else "". */
static const char *twin_why(int i, char *buf, size_t cap)
{
	*buf = '\0';
	if (twin_errno[i] && twin_errno[i] != ENOENT && twin_errno[i] != ENOTDIR)
		snprintf(buf, cap, " (%s)", strerror(twin_errno[i]));
	return buf;
}

/* Says where the twin was looked for, for a message: the two places, each
 * with why it could not be run when something was there. */
const char *twin_places(char *buf, size_t cap)
{
	char beside[PATH_MAX], why[2][64];
	if (!twin_beside(beside, sizeof beside))
		snprintf(beside, sizeof beside, "(this program's directory)/%s", TWIN_NAME);
	snprintf(buf, cap, "%s%s or %s/%s%s", beside, twin_why(0, why[0], sizeof why[0]),
		 RC_PKGLIBEXECDIR, TWIN_NAME, twin_why(1, why[1], sizeof why[1]));
	return buf;
}

/* Runs the twin with argv (see the file comment); returns only when there
 * is no twin to run, or exec failed.  Run as the twin itself (TWIN_ENV),
 * it says so and returns at once. */
void twin_exec(char *const argv[])
{
	if (getenv(TWIN_ENV)) {
		unsetenv(TWIN_ENV);
		/* The path exec'd, as given (/proc/self/exe resolves links). */
		const char *self = (const char *)getauxval(AT_EXECFN);
		cli_error(NULL, "warning: %s is a static rconsole, not its twin %s: running without "
			"the twin", self ? self : TWIN_NAME, TWIN_NAME);
		return;
	}
	if (setenv(TWIN_ENV, PACKAGE_VERSION, 1) < 0)
		return;   /* out of memory: no exec that could loop */
	char path[PATH_MAX];
	if (twin_beside(path, sizeof path)) {
		execv(path, argv);
		twin_errno[0] = errno;
	}
	int w = snprintf(path, sizeof path, "%s/%s", RC_PKGLIBEXECDIR, TWIN_NAME);
	if (w > 0 && (size_t)w < sizeof path) {
		execv(path, argv);
		twin_errno[1] = errno;
	}
	unsetenv(TWIN_ENV);
}

/* Called first by the twin: says when the rconsole that ran it is of
 * another version (what either takes on the command line may differ), and
 * removes the mark twin_exec left in the environment, so no program the
 * twin starts inherits it. */
void twin_arrived(void)
{
	const char *v = getenv(TWIN_ENV);
	for (const char *c = v; c && *c; c++)
		if (*c < 0x21 || *c > 0x7e)
			v = "(another version)";   /* never written raw */
	if (v && strcmp(v, PACKAGE_VERSION) != 0) {
		const char *self = (const char *)getauxval(AT_EXECFN);
		cli_error(NULL, "warning: %s is rconsole %s but was run by rconsole %.40s: install "
			"both from one build", self ? self : TWIN_NAME,
			PACKAGE_VERSION, v);
	}
	unsetenv(TWIN_ENV);
}
