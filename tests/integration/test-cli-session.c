/* test-cli-session.c: the one-shot runner on the library's session — when
 * a reply ends and the next command is waiting, the next command reaches
 * the server before the reply is printed.  Shown with a stdout that cannot
 * take a byte (a full pipe): rconsole blocks writing the first reply, and
 * the second command is in mcsim's --log all the same. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-util.h"

static mcsim sim;

/* Stops mcsim after each test. */
static void stop_sim(void)
{
	mcsim_stop(&sim);
}

TestSuite(cli_session, .fini = stop_sim, .timeout = 60);

/* Fills the pipe's write end until it takes no more; returns the bytes. */
static size_t fill_pipe(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	cr_assert_eq(fcntl(fd, F_SETFL, fl | O_NONBLOCK), 0);
	char buf[4096];
	memset(buf, 'z', sizeof buf);
	size_t n = 0;
	for (;;) {
		ssize_t w = write(fd, buf, sizeof buf);
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		cr_assert_gt(w, 0);
		n += (size_t)w;
	}
	/* rconsole gets an ordinary, blocking stdout. */
	cr_assert_eq(fcntl(fd, F_SETFL, fl), 0);
	return n;
}

Test(cli_session, the_next_command_reaches_the_server_before_the_reply_is_printed)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16], errpath[320];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(errpath, sizeof errpath, "%s/err", sim.dir);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	(void)fcntl(p[1], F_SETPIPE_SZ, 4096);
	size_t filler = fill_pipe(p[1]);
	const char *argv[] = { cli_prog(), "-H", "127.0.0.1", "-P", port, "--password-file", pw,
		"-c", "sim echo first", "-c", "sim echo second", NULL };
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		int err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(err, 2);
		close(p[0]);
		setenv("HOME", sim.dir, 1);   /* the audit log goes to the test's directory */
		unsetenv("XDG_STATE_HOME");
		unsetenv("XDG_CONFIG_HOME");
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(p[1]);
	int seen = mcsim_log_wait(&sim, "sim echo second", 1, 5000);
	int st;
	pid_t done = waitpid(pid, &st, WNOHANG);
	if (seen != 1 || done != 0)
		kill(pid, SIGKILL);
	cr_assert_eq(done, 0, "rconsole ended with stdout full");
	cr_assert_eq(seen, 1, "the second command waited for the first reply's output");
	/* Now let it write: everything comes out in order. */
	size_t cap = filler + 4096, len = 0;
	char *out = malloc(cap);
	cr_assert_not_null(out);
	for (;;) {
		if (len == cap)
			cr_assert_not_null(out = realloc(out, cap *= 2));
		ssize_t r = read(p[0], out + len, cap - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(p[0]);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status %d", st);
	cr_assert_eq(len, filler + strlen("first\nsecond\n"));
	cr_assert_eq(memcmp(out + filler, "first\nsecond\n", len - filler), 0);
	free(out);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo first\nsim echo second\n");
	free(log);
	free(pw);
}
