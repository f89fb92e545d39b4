/* test-mcsim-many.c: one mcsim process serves 10,000 servers at once (issue
 * 11: "mcsim serves 10,000 servers from one process"; it stopped at 1,024).
 * Every server gets its own client, held open together (all of them where
 * the descriptor limit allows), each authenticates and runs `list`; mcsim's
 * log must show exactly one `list` per server.
 *
 * mcsim holds a listener and an accepted client per server, the test a client
 * per server.  mcsim raises its soft descriptor limit to what it needs, up to
 * the hard limit; the hard limit itself only a privileged process can raise,
 * so the test (run as root, as CI does) raises it before starting mcsim, up
 * to /proc/sys/fs/nr_open, and then holds every client at once.  Root without
 * CAP_SYS_RESOURCE (a container) cannot: then every listener is still open
 * in the one process and the clients go in batches of what the limit leaves.
 * When even that is out of reach the test fails and says what limit it
 * needs: it never skips.  A second, small test runs the restart path of
 * the start (a port another test holds) with such a lock taken on purpose. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/mcsim.h"

#define MANY 10000                    /* the figure */
#define SPARE 64                      /* stdio, log, pipes, beyond the above */
#define SIM_FDS (2 * MANY + SPARE)    /* mcsim: listener + client per server */
#define MIN_FDS (MANY + MANY / 2 + SPARE) /* every listener, half the clients */

static pid_t sim_pid = -1;
static char sim_dir[256], sim_log[300];
static int ports[MANY];
static int starts;            /* mcsim processes many_start started, */
static pid_t start_pids[4];   /* the first of them */
static bool hold_first;       /* many_start_free: lock the first start's first port */
static int hold_fd = -1;      /* then: the lock this process holds, */
static int held_port;         /* on this port */

/* Starts $MCSIM --servers k (at most MANY) and reads its ports; returns how
 * many. */
static int many_start(int k)
{
	snprintf(sim_dir, sizeof sim_dir, "%s/mcsim-many-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	cr_assert_not_null(mkdtemp(sim_dir));
	snprintf(sim_log, sizeof sim_log, "%s/log", sim_dir);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	char n[16], path[512];
	snprintf(n, sizeof n, "%d", k);
	starts++;
	const char *prog = getenv("MCSIM");
	if (!prog || !*prog) {
		snprintf(path, sizeof path, "%s/rconsole-mcsim",
		    getenv("TOP_BUILDDIR") ? getenv("TOP_BUILDDIR") : ".");
		prog = path;
	}
	sim_pid = fork();
	cr_assert_geq(sim_pid, 0);
	if (sim_pid > 0 && starts <= 4)
		start_pids[starts - 1] = sim_pid;
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
	while (got < k && fgets(line, sizeof line, f))
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

/* Stops mcsim and lets go of a port lock the test took itself. */
static void many_fini(void)
{
	many_stop();
	if (hold_fd >= 0)
		close(hold_fd);
	hold_fd = -1;
	hold_first = false;
}

/* Takes the machine-wide lock of port as another test would (the
 * directory and modes of tests/support/mcsim.c); returns the fd holding
 * it, -1 when it cannot. */
static int port_lock(int port)
{
	char path[128];
	mode_t old = umask(0);
	mkdir("/tmp/rconsole-test-ports", 01777);
	snprintf(path, sizeof path, "/tmp/rconsole-test-ports/%d", port);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	umask(old);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Succeeds when another test holds the machine-wide lock of port (see
 * tests/support/mcsim.c): one of its servers is stopped there while its
 * clients still reconnect, so ours must not serve that port (its clients
 * would reach us, and their commands would be counted as ours).  The lock
 * is only tested, not kept: our listener holds the port while we run. */
static bool port_held_elsewhere(int port)
{
	char path[128];
	snprintf(path, sizeof path, "/tmp/rconsole-test-ports/%d", port);
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool held = flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return held;
}

/* Starts mcsim as many_start does, again while one of its ports is another
 * test's; returns how many ports it printed.  With hold_first, the first
 * start's first port is locked here, as if another test held it: the
 * restart path then runs every time (its own test below). */
static int many_start_free(int k)
{
	for (int tries = 0; tries < 20; tries++) {
		int got = many_start(k);
		if (hold_first && got > 0) {
			hold_first = false;
			held_port = ports[0];
			hold_fd = port_lock(held_port);
			cr_assert_geq(hold_fd, 0, "cannot lock port %d: %s", held_port, strerror(errno));
		}
		bool clash = false;
		for (int i = 0; i < got && !clash; i++)
			clash = port_held_elsewhere(ports[i]);
		if (!clash)
			return got;
		many_stop();
	}
	cr_assert_fail("mcsim: every start served a port another test holds");
	return 0;
}

/* Returns /proc/sys/fs/nr_open (the most any limit may be), 0 when unknown. */
static unsigned long nr_open(void)
{
	unsigned long n = 0;
	FILE *f = fopen("/proc/sys/fs/nr_open", "r");
	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n;
}

/* Raises the descriptor limits (the hard one as root) towards SIM_FDS, so
 * mcsim, which inherits them, can hold a listener and a client per server;
 * returns how many clients may be open together.  That is every server when
 * the hard limit reaches SIM_FDS.  Where it cannot be raised (no
 * CAP_SYS_RESOURCE, as in some containers) mcsim still holds every listener
 * and the clients go in batches of what is left; below MIN_FDS the test
 * fails and says which limit it needs. */
static int fds_ensure(void)
{
	struct rlimit rl;
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	int why = 0;
	unsigned long top = nr_open();
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < SIM_FDS) {
		struct rlimit want = { SIM_FDS, SIM_FDS };
		if (top && top < SIM_FDS)
			why = ERANGE;
		else if (setrlimit(RLIMIT_NOFILE, &want) < 0)
			why = errno;
		cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	rlim_t hard = rl.rlim_max;
	if (hard != RLIM_INFINITY && hard < MIN_FDS)
		cr_assert_fail("%d servers in one mcsim need a descriptor hard limit of %d "
		    "(a listener and a client a server + %d), at the least %d (clients in "
		    "halves); it is %lu and could not be raised (%s; fs.nr_open %lu): run as "
		    "root or raise `ulimit -Hn`", MANY, SIM_FDS, SPARE, MIN_FDS,
		    (unsigned long)hard, strerror(why), top);
	rl.rlim_cur = hard;
	cr_assert_eq(setrlimit(RLIMIT_NOFILE, &rl), 0, "soft limit to the hard: %s",
	    strerror(errno));
	if (hard == RLIM_INFINITY || hard >= SIM_FDS)
		return MANY;
	fprintf(stderr, "test-mcsim-many: descriptor hard limit %lu, not %d (%s): clients "
	    "held %lu at a time\n", (unsigned long)hard, SIM_FDS, strerror(why),
	    (unsigned long)(hard - MANY - SPARE));
	return (int)(hard - MANY - SPARE);
}

/* Orders ints. */
static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Counts the `list` lines mcsim's log holds. */
static int many_lists_logged(void)
{
	FILE *f = fopen(sim_log, "r");
	cr_assert_not_null(f);
	char line[256];
	int lists = 0;
	while (fgets(line, sizeof line, f))
		lists += strcmp(line, "list\n") == 0;
	fclose(f);
	return lists;
}

/* Opens a client to each server in [from, to), all held together, then
 * runs `list` on each, last opened first, and closes them. */
static void many_batch(int from, int to)
{
	static rcon_test *c[MANY];
	for (int i = from; i < to; i++) {
		c[i] = rcon_test_open(ports[i], MCSIM_PASSWORD);
		cr_assert_not_null(c[i], "server %d (port %d) accepted and authenticated", i,
		    ports[i]);
	}
	for (int i = to - 1; i >= from; i--) {
		char *reply = rcon_test_exec(c[i], "list", NULL, NULL);
		cr_assert_not_null(reply, "server %d answered", i);
		cr_assert(strncmp(reply, "There are 2 of a max of", 23) == 0, "server %d: %s", i,
		    reply);
		free(reply);
	}
	for (int i = from; i < to; i++)
		rcon_test_close(c[i]);
}

Test(mcsim_many, one_process_serves_ten_thousand, .fini = many_fini, .timeout = 240)
{
	int together = fds_ensure();
	cr_assert_eq(many_start_free(MANY), MANY, "mcsim printed a port per server");
	static int sorted[MANY];
	memcpy(sorted, ports, sizeof ports);
	qsort(sorted, MANY, sizeof *sorted, cmp_int);
	for (int i = 0; i < MANY; i++) {
		cr_assert_gt(sorted[i], 0);
		cr_assert(i == 0 || sorted[i] != sorted[i - 1], "port %d printed twice", sorted[i]);
	}
	/* Every listener stays open throughout; clients as the limit allows. */
	for (int from = 0; from < MANY; from += together)
		many_batch(from, from + together < MANY ? from + together : MANY);
	int lists = many_lists_logged();
	cr_assert_eq(lists, MANY, "one list per server reached mcsim: %d lists for %d servers",
	    lists, MANY);
}

/* many_start_free's restart path, which otherwise runs only when another
 * test happens to hold one of the ports mcsim got: here the first start's
 * first port is locked as another test would lock it.  The clashing mcsim
 * must be stopped (its process gone), a second one started that does not
 * serve the held port, and that one must answer on every port it printed. */
Test(mcsim_many, a_start_on_a_port_another_test_holds_is_restarted, .fini = many_fini,
    .timeout = 60)
{
	enum { K = 8 };
	starts = 0;
	hold_first = true;
	int got = many_start_free(K);
	cr_assert_eq(got, K, "mcsim printed a port per server");
	cr_assert_eq(starts, 2, "%d starts: the clash was not seen, or not acted on", starts);
	cr_assert_geq(hold_fd, 0);
	for (int i = 0; i < K; i++)
		cr_assert_neq(ports[i], held_port, "the restarted mcsim serves the held port %d",
		    held_port);
	/* The first mcsim was stopped and reaped: it is no child of ours any more. */
	cr_assert_gt(sim_pid, 0);
	cr_assert_neq(start_pids[0], sim_pid);
	cr_assert_eq(waitpid(start_pids[0], NULL, WNOHANG), -1, "the first mcsim still runs");
	cr_assert_eq(errno, ECHILD);
	cr_assert_eq(waitpid(sim_pid, NULL, WNOHANG), 0, "the second mcsim is not running");
	many_batch(0, K);
	int lists = many_lists_logged();
	cr_assert_eq(lists, K, "%d lists for %d servers", lists, K);
}
