/* bench-stdin.c: memory of `rconsole -c -` for a large stdin (issue 7:
 * 300 MB of `seed` lines must not grow RSS past a few MiB; target under
 * 16 MiB), measured on the real binary against a spawned mcsim, stdin fed
 * through a pipe by a child that generates it (no file on disk):
 *   - 300 MiB of `seed` lines padded with trailing blanks to 1 KiB, which the
 *     reader trims: 300 MiB pass through it and 307,200 commands are sent and
 *     answered;
 *   - bare "seed\n" lines, BENCH_STDIN_MB megabytes (default 2): every line
 *     is one round trip, so this also gives commands per second.  300 MB of
 *     bare lines is 63 million round trips (tens of minutes here); set
 *     BENCH_STDIN_MB=300 to run it.
 * Peak RSS is ru_maxrss of the rconsole process (wait4).  Prints figures;
 * never fails on speed or size. */
#include <errno.h>
#include <fcntl.h>
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

/* Writes total bytes of line (len bytes, repeated) to fd, then exits. */
static void feed(int fd, const char *line, size_t len, size_t total)
{
	char buf[65536];
	size_t per = sizeof buf / len, n = per * len;
	for (size_t i = 0; i < per; i++)
		memcpy(buf + i * len, line, len);
	signal(SIGPIPE, SIG_DFL);
	while (total > 0) {
		size_t k = total < n ? total - total % len : n;
		if (k == 0)
			break;
		ssize_t w = write(fd, buf, k);
		if (w <= 0)
			_exit(1);
		total -= (size_t)w;
		if ((size_t)w != k) {
			/* A short write: finish the partial chunk byte-exactly. */
			size_t left = k - (size_t)w;
			const char *p = buf + w;
			while (left) {
				ssize_t x = write(fd, p, left);
				if (x <= 0)
					_exit(1);
				p += x;
				left -= (size_t)x;
				total -= (size_t)x;
			}
		}
	}
	_exit(0);
}

/* Runs rconsole -q -c - on port with total bytes of line on stdin; prints
 * the figures under label. */
static void run(const char *label, int port, const char *pwfile, const char *line, size_t total)
{
	const char *prog = getenv("RCONSOLE") ? getenv("RCONSOLE") : "./rconsole";
	int p[2];
	if (pipe(p) < 0) {
		perror("pipe");
		return;
	}
	pid_t writer = fork();
	if (writer == 0) {
		close(p[0]);
		feed(p[1], line, strlen(line), total);
	}
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	struct timeval t0, t1;
	gettimeofday(&t0, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[0]);
		close(p[1]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execl(prog, prog, "-H", "127.0.0.1", "-P", portstr, "--password-file", pwfile, "-q",
		    "-c", "-", (char *)NULL);
		_exit(127);
	}
	close(p[0]);
	close(p[1]);
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return;
	}
	gettimeofday(&t1, NULL);
	waitpid(writer, NULL, 0);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_usec - t0.tv_usec) / 1e6;
	size_t cmds = total / strlen(line);
	printf("%s\n  %.0f MB in, %zu commands, exit %d, %.1f s (%.0f commands/s)\n"
	    "  peak RSS of rconsole: %ld KiB (%.1f MiB; target under 16 MiB)\n", label,
	    (double)total / 1e6, cmds, WIFEXITED(st) ? WEXITSTATUS(st) : -1, secs,
	    secs > 0 ? (double)cmds / secs : 0.0, ru.ru_maxrss, (double)ru.ru_maxrss / 1024.0);
	fflush(stdout);
}

int main(void)
{
	mcsim m;
	/* No command log: it would hold every one of the commands. */
	if (mcsim_start(&m, (const char *const[]){ "--log", "/dev/null", NULL }) < 0) {
		fprintf(stderr, "bench-stdin: mcsim did not start (set MCSIM)\n");
		return 0;
	}
	char pw[400];
	snprintf(pw, sizeof pw, "%s/pw", m.dir);
	if (files_write(pw, MCSIM_PASSWORD "\n", 0600) < 0) {
		mcsim_stop(&m);
		return 0;
	}

	char padded[1025];
	memset(padded, ' ', sizeof padded - 1);
	memcpy(padded, "seed", 4);
	padded[1023] = '\n';
	padded[1024] = '\0';
	run("-c - with 300 MiB of `seed` lines padded to 1 KiB (blanks trimmed):", m.ports[0], pw,
	    padded, (size_t)300 * 1024 * 1024);
	const char *mb = getenv("BENCH_STDIN_MB");
	long n = mb ? atol(mb) : 2;
	if (n < 1)
		n = 1;
	char label[128];
	snprintf(label, sizeof label, "-c - with %ld MB of bare `seed` lines:", n);
	run(label, m.ports[0], pw, "seed\n", (size_t)n * 1000 * 1000 / 5 * 5);
	mcsim_stop(&m);
	return 0;
}
