/* oom.c: allocation that cannot fail softly, and the console's one
 * out-of-memory exit.
 *
 * oom_die() may run with the heap exhausted, so it allocates nothing: the
 * message goes out with write(2), and the restore hook is expected to do
 * no more than endwin().  abort() raises SIGABRT; the console's fatal
 * signal handler sees that the terminal is already restored and only
 * re-raises. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui/oom.h"

static oom_restore_fn oom_restore;

/* Sets the terminal restore hook. */
void oom_set_restore(oom_restore_fn fn)
{
	oom_restore = fn;
}

/* Restores the terminal, reports and aborts. */
void oom_die(void)
{
	static const char msg[] = "rconsole: out of memory\n";
	oom_restore_fn fn = oom_restore;
	oom_restore = NULL;
	if (fn)
		fn();
	ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;
	abort();
}

/* Reallocates or dies. */
void *oom_realloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		oom_die();
	return q;
}

/* Duplicates a string or dies. */
char *oom_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *c = oom_realloc(NULL, n);
	memcpy(c, s, n);
	return c;
}
