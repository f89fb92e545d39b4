/* run-prog.c: run a child program, feed stdin, capture stdout/stderr and the
 * exit status, with a deadline after which its process group is killed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run-prog.h"

/* A growing capture buffer. */
struct rp_cap {
	char *p;
	size_t len, cap;
};

/* Returns milliseconds on the monotonic clock. */
static long long rp_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what fd has into b; returns false at end of stream or on error. */
static bool rp_read(int fd, struct rp_cap *b)
{
	if (b->cap - b->len < 4097) {
		size_t cap = b->cap ? b->cap * 2 : 8192;
		char *n = realloc(b->p, cap);
		if (!n)
			return false;
		b->p = n;
		b->cap = cap;
	}
	ssize_t r = read(fd, b->p + b->len, b->cap - b->len - 1);
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (r <= 0)
		return false;
	b->len += (size_t)r;
	return true;
}

/* Runs in the child: plumbing, environment, exec. */
static void rp_child(const char *const *argv, const run_prog_opts *o, int in, int out, int err)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);
	dup2(in, STDIN_FILENO);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	for (size_t i = 0; o->env && o->env[i]; i++) {
		const char *eq = strchr(o->env[i], '=');
		if (!eq) {
			unsetenv(o->env[i]);
			continue;
		}
		char name[256];
		size_t n = (size_t)(eq - o->env[i]);
		if (n >= sizeof name)
			continue;
		memcpy(name, o->env[i], n);
		name[n] = '\0';
		setenv(name, eq + 1, 1);
	}
	if (o->cwd && chdir(o->cwd) < 0)
		_exit(127);
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "run_prog: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Converts a wait status into an exit status, 128 + signal when killed. */
static int rp_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Pumps stdin, stdout and stderr until both outputs end or the deadline. */
static bool rp_pump(int in, int out, int err, const char *text, size_t len,
    struct rp_cap *o, struct rp_cap *e, long long deadline)
{
	size_t sent = 0;
	if (len == 0 && in >= 0) {
		close(in);
		in = -1;
	}
	while (out >= 0 || err >= 0) {
		long long left = deadline - rp_now_ms();
		if (left <= 0)
			break;
		struct pollfd pfd[3] = {
			{ .fd = out, .events = POLLIN }, { .fd = err, .events = POLLIN },
			{ .fd = in, .events = POLLOUT },
		};
		int rc = poll(pfd, 3, (int)left);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc <= 0)
			continue;
		if (pfd[0].revents && !rp_read(out, o)) {
			close(out);
			out = -1;
		}
		if (pfd[1].revents && !rp_read(err, e)) {
			close(err);
			err = -1;
		}
		if (pfd[2].revents) {
			ssize_t w = write(in, text + sent, len - sent);
			if (w > 0)
				sent += (size_t)w;
			if ((w < 0 && errno != EINTR && errno != EAGAIN) || sent == len) {
				close(in);
				in = -1;
			}
		}
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (err >= 0)
		close(err);
	return out < 0 && err < 0;
}

/* Waits for pid until the deadline; returns true with *st when it exited. */
static bool rp_wait(pid_t pid, int *st, long long deadline)
{
	for (;;) {
		pid_t r = waitpid(pid, st, WNOHANG);
		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
		if (rp_now_ms() >= deadline)
			return false;
		struct timespec ts = { 0, 5000000 };
		nanosleep(&ts, NULL);
	}
}

/* Hands a capture to the caller (or frees it). */
static void rp_give(struct rp_cap *b, char **dst, size_t *len)
{
	if (!b->p)
		b->p = calloc(1, 1);
	else
		b->p[b->len] = '\0';
	if (len)
		*len = b->len;
	if (dst)
		*dst = b->p;
	else
		free(b->p);
}

/* Runs argv with every knob. */
int run_prog_ex(const char *const *argv, const run_prog_opts *opts, char **out,
    size_t *out_len, char **err, size_t *err_len, int *status)
{
	run_prog_opts none = { 0 };
	const run_prog_opts *o = opts ? opts : &none;
	int pin[2] = { -1, -1 }, pout[2], perr[2];
	if (o->stdin_text) {
		if (pipe2(pin, O_CLOEXEC) < 0)
			return -1;
	} else {
		pin[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
	}
	if (pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		rp_child(argv, o, pin[0], pout[1], perr[1]);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (pin[1] >= 0)
		fcntl(pin[1], F_SETFL, O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	size_t len = o->stdin_text ? (o->stdin_len ? o->stdin_len : strlen(o->stdin_text)) : 0;
	long long deadline = rp_now_ms() + (o->timeout_ms > 0 ? o->timeout_ms : RUN_PROG_TIMEOUT_MS);
	struct rp_cap co = { 0 }, ce = { 0 };
	bool done = rp_pump(pin[1], pout[0], perr[0], o->stdin_text, len, &co, &ce, deadline);
	int st = 0;
	bool exited = done && rp_wait(pid, &st, deadline);
	if (!exited) {
		kill(-pid, SIGKILL);
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	rp_give(&co, out, out_len);
	rp_give(&ce, err, err_len);
	if (status)
		*status = rp_status(st);
	return exited ? 0 : -1;
}

/* Runs argv with stdin_text, default deadline. */
int run_prog(const char *const *argv, const char *stdin_text, char **out, char **err,
    int *status)
{
	run_prog_opts o = { .stdin_text = stdin_text };
	return run_prog_ex(argv, &o, out, NULL, err, NULL, status);
}
