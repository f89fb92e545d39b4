/* test-mcsim-many.c: one mcsim process serves thousands of servers at once
 * (issue 11: it stopped at 1,024).  Every server gets its own client, all
 * held open together, each authenticates and runs `list`; mcsim's log must
 * show exactly one `list` per server. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/mcsim.h"
#include "lib/fdlimit.h"

#define MANY 2500   /* well past the old 1,024, still a few seconds */

static pid_t sim_pid = -1;
static char sim_dir[256], sim_log[300];
static int ports[MANY];

/* Starts $MCSIM --servers MANY and reads its ports; returns how many. */
static int many_start(void)
{
	snprintf(sim_dir, sizeof sim_dir, "%s/mcsim-many-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(sim_dir));
	snprintf(sim_log, sizeof sim_log, "%s/log", sim_dir);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	char n[16], path[512];
	snprintf(n, sizeof n, "%d", MANY);
	const char *prog = getenv("MCSIM");
	if (!prog || !*prog) {
		snprintf(path, sizeof path, "%s/rconsole-mcsim",
		    getenv("TOP_BUILDDIR") ? getenv("TOP_BUILDDIR") : ".");
		prog = path;
	}
	sim_pid = fork();
	cr_assert_geq(sim_pid, 0);
	if (sim_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(p[1], 1);
		close(p[0]);
		close(p[1]);
		execl(prog, "rconsole-mcsim", "--port", "0", "--servers", n, "--players", "2",
		    "--seed", "1", "--log", sim_log, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char line[32];
	int got = 0;
	while (got < MANY && fgets(line, sizeof line, f))
		ports[got++] = atoi(line);
	fclose(f);
	return got;
}

/* Stops mcsim and removes its files. */
static void many_stop(void)
{
	if (sim_pid > 0) {
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
		sim_pid = -1;
	}
	unlink(sim_log);
	rmdir(sim_dir);
}

/* Orders ints. */
static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

Test(mcsim_many, one_process_serves_thousands_at_once, .fini = many_stop, .timeout = 120)
{
	/* The test holds a client per server, mcsim a listener and a client. */
	if (fdlimit_raise(MANY + 64) < MANY + 64)
		cr_skip_test("descriptor limit below %d (ulimit -n)", MANY + 64);
	cr_assert_eq(many_start(), MANY, "mcsim printed a port per server");
	static int sorted[MANY];
	memcpy(sorted, ports, sizeof ports);
	qsort(sorted, MANY, sizeof *sorted, cmp_int);
	for (int i = 0; i < MANY; i++) {
		cr_assert_gt(sorted[i], 0);
		cr_assert(i == 0 || sorted[i] != sorted[i - 1], "port %d printed twice", sorted[i]);
	}
	static rcon_test *c[MANY];
	for (int i = 0; i < MANY; i++) {
		c[i] = rcon_test_open(ports[i], MCSIM_PASSWORD);
		cr_assert_not_null(c[i], "server %d (port %d) accepted and authenticated", i,
		    ports[i]);
	}
	/* Every connection still open: a command on each, last opened first. */
	for (int i = MANY - 1; i >= 0; i--) {
		char *reply = rcon_test_exec(c[i], "list", NULL, NULL);
		cr_assert_not_null(reply, "server %d answered", i);
		cr_assert(strncmp(reply, "There are 2 of a max of", 23) == 0, "server %d: %s", i,
		    reply);
		free(reply);
	}
	for (int i = 0; i < MANY; i++)
		rcon_test_close(c[i]);
	FILE *f = fopen(sim_log, "r");
	cr_assert_not_null(f);
	char line[256];
	int lists = 0;
	while (fgets(line, sizeof line, f))
		lists += strcmp(line, "list\n") == 0;
	fclose(f);
	cr_assert_eq(lists, MANY, "one list per server reached mcsim");
}
