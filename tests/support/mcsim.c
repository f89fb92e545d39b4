/* mcsim.c: spawn, stop and read the log of the real rconsole-mcsim in tests. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "mcsim.h"

#define MCSIM_START_TIMEOUT_MS 10000
#define MCSIM_STOP_TIMEOUT_MS 10000
#define MCSIM_MAX_ARGS 64
#define MCSIM_START_TRIES 20
/* Shared by every test process on the machine (tests/tui/lib.sh too). */
#define MCSIM_PORT_LOCKS "/tmp/rconsole-test-ports"

/* Ports this process holds the lock of (kept until it exits). */
static unsigned char mcsim_claimed[65536 / 8];

/* Returns milliseconds on the monotonic clock. */
long long mcsim_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms milliseconds. */
void mcsim_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Runs loop l for about ms milliseconds. */
void mcsim_run_loop(rc_loop *l, int ms)
{
	long long end = mcsim_now_ms() + ms;
	while (mcsim_now_ms() < end)
		rc_loop_run_once(l, 50);
}

/* Returns the program to run. */
static const char *mcsim_path(char *buf, size_t cap)
{
	const char *p = getenv("MCSIM");
	if (p && *p)
		return p;
	const char *top = getenv("TOP_BUILDDIR");
	snprintf(buf, cap, "%s/rconsole-mcsim", top && *top ? top : ".");
	return buf;
}

/* Returns the value following option name in args, or NULL. */
static const char *mcsim_arg(const char *const *args, const char *name)
{
	const char *v = NULL;
	for (size_t i = 0; args && args[i]; i++)
		if (strcmp(args[i], name) == 0 && args[i + 1])
			v = args[i + 1];
	return v;
}

/* Reads the printed ports from fd until want were read; returns 0 or -1. */
static int mcsim_read_ports(mcsim *m, int fd, int want)
{
	char line[64];
	size_t n = 0;
	long long deadline = mcsim_now_ms() + MCSIM_START_TIMEOUT_MS;
	while (m->n_ports < want) {
		long long left = deadline - mcsim_now_ms();
		if (left <= 0)
			return -1;
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int rc = poll(&pfd, 1, (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return -1;
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (ch != '\n') {
			if (n + 1 < sizeof line)
				line[n++] = ch;
			continue;
		}
		line[n] = '\0';
		n = 0;
		int port = atoi(line);
		if (port <= 0 || port > 65535)
			return -1;
		if (m->n_ports < MCSIM_MAX_PORTS)
			m->ports[m->n_ports] = port;
		m->n_ports++;
	}
	if (m->n_ports > MCSIM_MAX_PORTS)
		m->n_ports = MCSIM_MAX_PORTS;
	return 0;
}

/* Runs in the forked child: stdout to the pipe, die with the parent, exec. */
static void mcsim_child(int out_fd, const char *path, char **argv)
{
	dup2(out_fd, STDOUT_FILENO);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	execv(path, argv);
	fprintf(stderr, "mcsim: cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

/* Takes the machine-wide lock of one port for the rest of this process's
 * life, so no other test's mcsim serves it while ours is stopped (between
 * mcsim_stop and mcsim_start_on, or while our clients still reconnect):
 * tests run side by side, and a client of one must never reach another's
 * server.  Returns 0, or -1 when another live process holds it. */
static int mcsim_claim(int port)
{
	if (mcsim_claimed[port / 8] & (1u << (port % 8)))
		return 0;
	mode_t old = umask(0);
	mkdir(MCSIM_PORT_LOCKS, 01777);
	char path[128];
	snprintf(path, sizeof path, MCSIM_PORT_LOCKS "/%d", port);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	umask(old);
	if (fd < 0)
		return 0;       /* no lock directory: run unguarded, as before */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return e == EWOULDBLOCK ? -1 : 0;
	}
	mcsim_claimed[port / 8] |= (unsigned char)(1u << (port % 8));
	return 0;       /* fd stays open: the lock lives as long as we do */
}

/* Claims every port m serves; returns 0, or -1 if one is another's. */
static int mcsim_claim_all(const mcsim *m)
{
	for (int i = 0; i < m->n_ports; i++)
		if (m->ports[i] > 0 && m->ports[i] < 65536 && mcsim_claim(m->ports[i]) < 0)
			return -1;
	return 0;
}

static int mcsim_spawn(mcsim *m, int port, const char *const *extra_args);

/* Spawns mcsim on the first port (0 = free ports), on ports no other test
 * holds. */
int mcsim_start_on(mcsim *m, int port, const char *const *extra_args)
{
	for (int tries = 0; tries < MCSIM_START_TRIES; tries++) {
		if (mcsim_spawn(m, port, extra_args) < 0) {
			/* A fixed port (a restart on the same one) can be held a
			 * moment by another test's client, whose ephemeral ports
			 * come from the same range: wait for it to go. */
			if (port != 0 && tries + 1 < MCSIM_START_TRIES) {
				usleep(250000);
				continue;
			}
			return -1;
		}
		if (mcsim_claim_all(m) == 0)
			return 0;
		/* Another test's stopped server: start again elsewhere. */
		char user_log[sizeof m->log_path];
		const char *ul = mcsim_arg(extra_args, "--log");
		snprintf(user_log, sizeof user_log, "%s", ul ? ul : "");
		mcsim_stop(m);
		if (port != 0)
			return -1;
		if (user_log[0])
			if (truncate(user_log, 0) < 0)
				break;  /* its lines would be mistaken for ours */
	}
	return -1;
}

/* Spawns mcsim once on the first port (0 = free ports). */
static int mcsim_spawn(mcsim *m, int port, const char *const *extra_args)
{
	memset(m, 0, sizeof *m);
	m->pid = -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(m->dir, sizeof m->dir, "%s/mcsim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(m->dir)) {
		m->dir[0] = '\0';
		return -1;
	}
	const char *user_log = mcsim_arg(extra_args, "--log");
	if (user_log)
		snprintf(m->log_path, sizeof m->log_path, "%s", user_log);
	else
		snprintf(m->log_path, sizeof m->log_path, "%s/log", m->dir);
	const char *servers = mcsim_arg(extra_args, "--servers");
	int want = servers ? atoi(servers) : 1;

	char path_buf[1024], portstr[16];
	const char *path = mcsim_path(path_buf, sizeof path_buf);
	snprintf(portstr, sizeof portstr, "%d", port);
	char *argv[MCSIM_MAX_ARGS];
	size_t n = 0;
	argv[n++] = (char *)path;
	argv[n++] = (char *)"--port";
	argv[n++] = portstr;
	if (!user_log) {
		argv[n++] = (char *)"--log";
		argv[n++] = m->log_path;
	}
	for (size_t i = 0; extra_args && extra_args[i] && n + 1 < MCSIM_MAX_ARGS; i++)
		argv[n++] = (char *)extra_args[i];
	argv[n] = NULL;

	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0)
		mcsim_child(pfd[1], path, argv);
	close(pfd[1]);
	m->pid = pid;
	int rc = mcsim_read_ports(m, pfd[0], want);
	close(pfd[0]);
	if (rc < 0) {
		mcsim_stop(m);
		return -1;
	}
	return 0;
}

/* Spawns mcsim on free ports. */
int mcsim_start(mcsim *m, const char *const *extra_args)
{
	return mcsim_start_on(m, 0, extra_args);
}

/* Converts a wait status into an exit status, 128 + signal when killed. */
static int mcsim_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

/* Waits up to timeout_ms for the process to exit by itself. */
int mcsim_wait_exit(mcsim *m, int timeout_ms)
{
	if (m->pid <= 0)
		return -1;
	long long deadline = mcsim_now_ms() + timeout_ms;
	for (;;) {
		int st;
		pid_t r = waitpid(m->pid, &st, WNOHANG);
		if (r == m->pid) {
			m->pid = -1;
			return mcsim_status(st);
		}
		if (r < 0 && errno != EINTR) {
			m->pid = -1;
			return -1;
		}
		if (mcsim_now_ms() >= deadline)
			return -1;
		mcsim_sleep_ms(5);
	}
}

/* Removes the temporary directory and the files in it (the log, and any a
 * test put there, such as password files). */
static void mcsim_cleanup_dir(mcsim *m)
{
	if (!m->dir[0])
		return;
	DIR *d = opendir(m->dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char p[600];
		snprintf(p, sizeof p, "%s/%s", m->dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(m->dir);
	m->dir[0] = '\0';
}

/* SIGTERM, wait, SIGKILL fallback, cleanup. */
int mcsim_stop(mcsim *m)
{
	int status = -1;
	if (m->pid > 0) {
		kill(m->pid, SIGTERM);
		pid_t pid = m->pid;
		status = mcsim_wait_exit(m, MCSIM_STOP_TIMEOUT_MS);
		if (m->pid > 0) {
			kill(pid, SIGKILL);
			int st;
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			status = mcsim_status(st);
			m->pid = -1;
		}
	}
	mcsim_cleanup_dir(m);
	return status;
}

/* Starts mcsim and opens an authenticated client to its first server. */
rcon_test *mcsim_start_client(mcsim *m, const char *const *extra_args)
{
	if (mcsim_start(m, extra_args) < 0)
		return NULL;
	return rcon_test_open(m->ports[0], MCSIM_PASSWORD);
}

/* Returns options for 127.0.0.1:port with mcsim's password, short timeouts. */
rc_conn_opts mcsim_conn_opts(int port, char *portbuf)
{
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	snprintf(portbuf, 16, "%d", port);
	o.host = "127.0.0.1";
	o.port = portbuf;
	o.password = MCSIM_PASSWORD;
	o.connect_timeout_ms = 2000;
	o.auth_timeout_ms = 2000;
	o.command_timeout_ms = 3000;
	return o;
}

/* Returns the whole log file, malloc'd. */
char *mcsim_log(const mcsim *m)
{
	return files_read(m->log_path, NULL);
}

/* Returns how many log lines equal line exactly. */
int mcsim_log_count(const mcsim *m, const char *line)
{
	char *log = mcsim_log(m);
	if (!log)
		return 0;
	int count = 0;
	size_t want = strlen(line);
	for (char *p = log; *p;) {
		char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == want && memcmp(p, line, len) == 0)
			count++;
		if (!nl)
			break;
		p = nl + 1;
	}
	free(log);
	return count;
}

/* Waits until line appears want times or timeout_ms passes. */
int mcsim_log_wait(const mcsim *m, const char *line, int want, int timeout_ms)
{
	long long deadline = mcsim_now_ms() + timeout_ms;
	for (;;) {
		int n = mcsim_log_count(m, line);
		if (n >= want || mcsim_now_ms() >= deadline)
			return n;
		mcsim_sleep_ms(10);
	}
}
