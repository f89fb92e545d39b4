/* bench-profiles.c: what a large profile file costs the commands that shell
 * completion and scripts run on it: `rconsole --list-profiles --tags`,
 * `--list-profiles --names` and `--check-config`, on the real binary
 * ($RCONSOLE), for 1,000, 4,000 and 12,000 profiles of three tags each
 * (about a third of the tags distinct; the largest file is close to the
 * 1 MiB limit).  Prints the median wall time of BENCH_PROFILES_ROUNDS runs
 * (default 5) and the time per profile; a listing quadratic in the profiles
 * shows as a time per profile growing with them.  Never fails on speed. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Returns the monotonic clock in seconds. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes a configuration of n profiles into path; returns 0 or -1. */
static int write_config(const char *path, int n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fchmod(fileno(f), 0600);
	int tags = n / 3 > 0 ? n / 3 : 1;
	fprintf(f, "servers = (\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "{ name = \"s%d\"; host = \"h\"; tags = [\"t%d\", \"t%d\", \"t%d\"]; }%s\n",
			i, (i * 7) % tags, (i * 13 + 1) % tags, i % tags, i + 1 < n ? "," : "");
	fprintf(f, ");\n");
	return fclose(f) == 0 ? 0 : -1;
}

/* Runs rcon --config path with the mode flags, stdout to /dev/null; returns
 * the wall time in seconds, or -1 when it did not exit 0. */
static double run_once(const char *rcon, const char *path, const char *a1, const char *a2)
{
	char *argv[] = { (char *)rcon, "--config", (char *)path, (char *)a1, (char *)a2, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	double t0 = now();
	pid_t pid;
	int st = -1;
	if (posix_spawn(&pid, rcon, &fa, NULL, argv, environ) != 0 || waitpid(pid, &st, 0) < 0)
		st = -1;
	double t = now() - t0;
	posix_spawn_file_actions_destroy(&fa);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

/* Orders doubles for qsort. */
static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(void)
{
	const char *rcon = getenv("RCONSOLE") ? getenv("RCONSOLE") : "./rconsole";
	int rounds = getenv("BENCH_PROFILES_ROUNDS") ? atoi(getenv("BENCH_PROFILES_ROUNDS")) : 5;
	if (rounds < 1 || rounds > 100)
		rounds = 5;
	char dir[] = "/tmp/bench-profiles-XXXXXX", path[64];
	if (!mkdtemp(dir)) {
		perror("bench-profiles: mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/rconsole.conf", dir);
	static const int sizes[] = { 1000, 4000, 12000 };
	static const char *const modes[][2] = {
		{ "--list-profiles", "--tags" },
		{ "--list-profiles", "--names" },
		{ "--check-config", NULL },
	};
	int rc = 0;
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0] && rc == 0; s++) {
		if (write_config(path, sizes[s]) < 0) {
			perror("bench-profiles: write");
			rc = 1;
			break;
		}
		for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
			double t[100];
			for (int r = 0; r < rounds; r++)
				t[r] = run_once(rcon, path, modes[m][0], modes[m][1]);
			qsort(t, (size_t)rounds, sizeof t[0], cmp_double);
			if (t[0] < 0) {
				fprintf(stderr, "bench-profiles: %s %s failed\n", modes[m][0],
					modes[m][1] ? modes[m][1] : "");
				rc = 1;
				break;
			}
			double med = t[rounds / 2];
			printf("%-16s %-8s %6d profiles: %8.2f ms median of %d, %6.2f us/profile\n",
			       modes[m][0], modes[m][1] ? modes[m][1] : "", sizes[s], med * 1e3, rounds,
			       med * 1e6 / sizes[s]);
		}
	}
	unlink(path);
	rmdir(dir);
	return rc;
}
