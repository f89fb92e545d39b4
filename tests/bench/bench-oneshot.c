/* bench-oneshot.c: what one invocation of rconsole costs (issue 11), on the
 * real binary against a spawned mcsim, each figure beside the bare client
 * (bench-bare-client: sockets only) measured in the same run:
 *   - CPU (user + system, from wait4) per `rconsole -H ... -c list`, against
 *     the bare client's connect + auth + `list` + exit, run alternately for
 *     BENCH_ONESHOT_ROUNDS rounds (default 300): the median and the minimum
 *     of each, and the ratio of each, so that a shared machine's noise does
 *     not decide the figure (target: at most 1.1x); rconsole without a state
 *     directory (no audit record) runs in the same rounds, to show what the
 *     record costs; with $MCRCON naming an mcrcon binary (Tiiffi/mcrcon,
 *     not packaged by Debian, so never built here), it runs in the same
 *     rounds too, and rconsole's ratio to it is printed (the other
 *     yardstick: at most mcrcon's CPU); with a static build's twin
 *     rconsole-dynamic beside the rconsole measured, the twin runs in the
 *     same rounds too (what the static link buys);
 *   - peak RSS of `-c 'sim chars N ascii'` for N = 1 MiB and 8 MiB beside the
 *     same invocation with a 16-byte reply (target: under 2 MiB above it);
 *   - sequential commands per second of `-c -` with BENCH_ONESHOT_CMDS
 *     `seed` lines (default 20000) beside the bare client running as many
 *     on one connection, best of BENCH_ONESHOT_REPEAT (default 3) runs each,
 *     with the CPU per command of those runs (target: at most 1.15x
 *     its time).
 * Prints figures; never fails on speed or size. */
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/files.h"
#include "../support/mcsim.h"

struct fig {
	double cpu_us;   /* user + system */
	double wall_s;
	long maxrss_kib;
	int status;
};

/* Returns the seconds of a timeval. */
static double tv_s(struct timeval t)
{
	return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* Runs argv with stdout to /dev/null and stdin from in_fd (-1: /dev/null);
 * without a state directory (so no audit record; its one-line warning to
 * /dev/null) when no_state; returns its figures. */
static struct fig run_in(char *const *argv, int in_fd, bool no_state)
{
	struct fig f = { .status = -1 };
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(in_fd >= 0 ? in_fd : null, 0);
		dup2(null, 1);
		if (no_state) {
			unsetenv("HOME");
			unsetenv("XDG_STATE_HOME");
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (in_fd >= 0)
		close(in_fd);
	int st;
	struct rusage ru;
	if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
		return f;
	gettimeofday(&t1, NULL);
	f.cpu_us = (tv_s(ru.ru_utime) + tv_s(ru.ru_stime)) * 1e6;
	f.wall_s = tv_s(t1) - tv_s(t0);
	f.maxrss_kib = ru.ru_maxrss;
	f.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return f;
}

/* Runs argv as run_in does, with the state directory. */
static struct fig run(char *const *argv, int in_fd)
{
	return run_in(argv, in_fd, false);
}

/* The median and the minimum of n figures. */
struct spread {
	double median, min;
};

/* Orders two doubles for qsort. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Sorts v (n >= 1) and returns its median and minimum. */
static struct spread spread_of(double *v, long n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	return (struct spread){ .median = med, .min = v[0] };
}

/* Returns a pipe's read end fed by a child with count lines of line. */
static int feeder(const char *line, long count)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	if (fork() == 0) {
		close(p[0]);
		signal(SIGPIPE, SIG_DFL);
		FILE *f = fdopen(p[1], "w");
		for (long i = 0; f && i < count; i++)
			fputs(line, f);
		if (f)
			fclose(f);
		_exit(0);
	}
	close(p[1]);
	return p[0];
}

int main(void)
{
	const char *rcon = getenv("RCONSOLE") ? getenv("RCONSOLE") : "./rconsole";
	const char *bare = getenv("BARE") ? getenv("BARE") : "./tests/bench/bench-bare-client";
	mcsim m;
	if (mcsim_start(&m, (const char *const[]){ "--log", "/dev/null", NULL }) < 0) {
		fprintf(stderr, "bench-oneshot: mcsim did not start (set MCSIM)\n");
		return 0;
	}
	char pw[400], port[16], home[300];
	snprintf(pw, sizeof pw, "%s/pw", m.dir);
	snprintf(port, sizeof port, "%d", m.ports[0]);
	snprintf(home, sizeof home, "%s", m.dir);
	setenv("HOME", home, 1);   /* no user configuration in the figures */
	unsetenv("XDG_CONFIG_HOME");
	if (files_write(pw, MCSIM_PASSWORD "\n", 0600) < 0) {
		mcsim_stop(&m);
		return 0;
	}

	char *one[] = { (char *)rcon, "-H", "127.0.0.1", "-P", port, "--password-file", pw,
		"-c", "list", NULL };
	char *bare_one[] = { (char *)bare, port, MCSIM_PASSWORD, "list", NULL };
	long rounds = getenv("BENCH_ONESHOT_ROUNDS") ? atol(getenv("BENCH_ONESHOT_ROUNDS")) : 300;
	if (rounds < 1)
		rounds = 1;
	double *cpu_r = calloc((size_t)rounds, sizeof *cpu_r);
	double *cpu_b = calloc((size_t)rounds, sizeof *cpu_b);
	double *cpu_n = calloc((size_t)rounds, sizeof *cpu_n);
	const char *mcrcon = getenv("MCRCON") && *getenv("MCRCON") ? getenv("MCRCON") : NULL;
	char *mcrcon_one[] = { (char *)mcrcon, "-H", "127.0.0.1", "-P", port, "-p", MCSIM_PASSWORD,
		"list", NULL };
	double *cpu_m = mcrcon ? calloc((size_t)rounds, sizeof *cpu_m) : NULL;
	/* A static build's twin, beside it: the same program linked dynamically,
	 * in the same rounds, shows what the static link buys. */
	char twin[1200];
	snprintf(twin, sizeof twin, "%.*srconsole-dynamic",
	    strrchr(rcon, '/') ? (int)(strrchr(rcon, '/') - rcon + 1) : 0, rcon);
	bool have_twin = access(twin, X_OK) == 0;
	char *twin_one[] = { twin, "-H", "127.0.0.1", "-P", port, "--password-file", pw,
		"-c", "list", NULL };
	double *cpu_t = have_twin ? calloc((size_t)rounds, sizeof *cpu_t) : NULL;
	int bad = 0, bad_m = 0;
	for (long i = 0; cpu_r && cpu_b && cpu_n && i < rounds; i++) {
		struct fig a = run(one, -1), b = run(bare_one, -1), n = run_in(one, -1, true);
		cpu_r[i] = a.cpu_us;
		cpu_b[i] = b.cpu_us;
		cpu_n[i] = n.cpu_us;
		bad += a.status != 0 || b.status != 0 || n.status != 0;
		if (cpu_m) {
			struct fig c = run(mcrcon_one, -1);
			cpu_m[i] = c.cpu_us;
			bad_m += c.status != 0;
		}
		if (cpu_t) {
			struct fig t = run(twin_one, -1);
			cpu_t[i] = t.cpu_us;
			bad += t.status != 0;
		}
	}
	if (cpu_r && cpu_b && cpu_n) {
		struct spread r = spread_of(cpu_r, rounds), b = spread_of(cpu_b, rounds);
		struct spread n = spread_of(cpu_n, rounds);
#ifdef RC_STATIC_LIBC
		const char *linked = "a static PIE (configure --enable-static-libc)";
#else
		const char *linked = "dynamically linked";
#endif
		printf("one invocation (connect, auth, list, exit), %ld rounds alternated%s; "
		    "the rconsole built here is %s:\n"
		    "  rconsole    median %5.0f us CPU, minimum %5.0f us\n"
		    "  bare client median %5.0f us CPU, minimum %5.0f us\n"
		    "  ratio: %.2fx the bare client (medians), %.2fx (minima) (target at most 1.1x)\n"
		    "  rconsole without its audit record (no state directory): median %5.0f us, "
		    "%.2fx the bare client\n",
		    rounds, bad ? " (SOME FAILED)" : "", linked, r.median, r.min, b.median, b.min,
		    b.median > 0 ? r.median / b.median : 0.0, b.min > 0 ? r.min / b.min : 0.0,
		    n.median, b.median > 0 ? n.median / b.median : 0.0);
		if (cpu_m) {
			struct spread c = spread_of(cpu_m, rounds);
			printf("  mcrcon (%s)%s median %5.0f us CPU, minimum %5.0f us: rconsole %.2fx "
			    "mcrcon (medians), %.2fx (minima)\n", mcrcon, bad_m ? " (SOME FAILED)" : "",
			    c.median, c.min, c.median > 0 ? r.median / c.median : 0.0,
			    c.min > 0 ? r.min / c.min : 0.0);
		} else {
			printf("  mcrcon: not measured (set MCRCON to an mcrcon binary)\n");
		}
		if (cpu_t) {
			struct spread t = spread_of(cpu_t, rounds);
			printf("  rconsole-dynamic (the same program linked dynamically) median %5.0f us, "
			    "%.2fx the bare client\n", t.median, b.median > 0 ? t.median / b.median : 0.0);
		}
	}
	free(cpu_t);
	free(cpu_m);
	free(cpu_r);
	free(cpu_b);
	free(cpu_n);

	static const struct { const char *label, *cmd; } sizes[] = {
		{ "16 B", "sim chars 16 ascii" },
		{ "1 MiB", "sim chars 1048576 ascii" },
		{ "8 MiB", "sim chars 8388608 ascii" },
	};
	long base = 0;
	printf("peak RSS of one invocation by reply size:\n");
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char *argv[] = { (char *)rcon, "-H", "127.0.0.1", "-P", port, "--password-file", pw,
			"-c", (char *)sizes[i].cmd, NULL };
		struct fig a = run(argv, -1);
		if (i == 0)
			base = a.maxrss_kib;
		printf("  %-6s reply: %6ld KiB (%+.2f MiB above the 16 B run; target under 2 MiB), "
		    "exit %d\n", sizes[i].label, a.maxrss_kib, (double)(a.maxrss_kib - base) / 1024.0,
		    a.status);
	}

	long cmds = getenv("BENCH_ONESHOT_CMDS") ? atol(getenv("BENCH_ONESHOT_CMDS")) : 20000;
	char count[32];
	snprintf(count, sizeof count, "%ld", cmds);
	char *seq[] = { (char *)rcon, "-H", "127.0.0.1", "-P", port, "--password-file", pw,
		"-c", "-", NULL };
	char *bare_seq[] = { (char *)bare, port, MCSIM_PASSWORD, "seed", count, NULL };
	/* Alternately, BENCH_ONESHOT_REPEAT (default 3) times each, the fastest
	 * of each kept: the machine may be shared, and what is measured is the
	 * client, not the others.  The CPU of those runs is printed too: it
	 * moves less than the wall time when other processes compete. */
	int repeat = getenv("BENCH_ONESHOT_REPEAT") ? atoi(getenv("BENCH_ONESHOT_REPEAT")) : 3;
	if (repeat < 1)
		repeat = 1;
	struct fig a = { .wall_s = 1e9 }, b = { .wall_s = 1e9 };
	for (int i = 0; i < repeat; i++) {
		struct fig x = run(seq, feeder("seed\n", cmds)), y = run(bare_seq, -1);
		if (x.wall_s < a.wall_s)
			a = x;
		if (y.wall_s < b.wall_s)
			b = y;
	}
	printf("sequential commands, %ld `seed` on one connection (best of %d):\n"
	    "  rconsole -c - %.0f/s (exit %d), bare client %.0f/s (exit %d): %.2fx the bare time "
	    "(target at most 1.15x)\n", cmds, repeat, a.wall_s > 0 ? (double)cmds / a.wall_s : 0.0,
	    a.status, b.wall_s > 0 ? (double)cmds / b.wall_s : 0.0, b.status,
	    b.wall_s > 0 ? a.wall_s / b.wall_s : 0.0);
	printf("  CPU per command in those runs: rconsole %.1f us, bare client %.1f us\n",
	    a.cpu_us / (double)cmds, b.cpu_us / (double)cmds);
	mcsim_stop(&m);
	return 0;
}
