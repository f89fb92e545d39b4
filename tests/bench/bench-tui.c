/* bench-tui.c: the console's terminal and CPU figures (issue 4), measured on
 * the real rconsole binary in a pseudo-terminal against a spawned mcsim:
 *   - time from start to the first complete frame with N profiles;
 *   - bytes written to the terminal per idle refresh (target 0);
 *   - bytes per new log line (target under 300);
 *   - CPU with N servers refreshed every second (target under 2% of a core);
 *   - wake-ups per second when idle with refresh off (target 0);
 * and, as DESIGN.md section 7 asks, CPU and memory of one console holding
 * 1,000 servers refreshed every second.
 * and the scale curve of issue 11: at 1,000, 5,000 and 10,000 servers
 * refreshed every second, first frame, all READY, CPU, RSS and the ratio
 * CPU(10k)/CPU(1k).  Beside each point, two floors doing the same network
 * work on the same servers (login, then `list` to every server every
 * second, one send and one recv per refresh), each measured over a 10 s
 * window that starts 5.5 s after its schedule (between two bursts), CPU
 * summed over all the client's threads:
 *   - a bare epoll client: one epoll_wait returns many replies, one recv()
 *     each (the least any readiness-based client pays in the kernel's
 *     loopback TCP);
 *   - an io_uring client (built when configure finds liburing; otherwise
 *     one line says it was not built): a recv always queued per server,
 *     the sends of each second queued in batches, one io_uring_enter per
 *     wake-up submitting them and waiting for completions, no SQPOLL; it
 *     shows what a completion-based client pays for the same work.
 * $BENCH_FLOOR=0 skips both.  The curve's CPU is one 10 s window per point,
 * and the points run one after the other, so load that comes and goes on
 * the machine moves the ratio; the ratio is therefore measured again by
 * alternated rounds: the two mcsims (smallest and largest count) stay up,
 * and each round runs a fresh console on the small one, then one on the
 * large one, each measured exactly as a curve point is (start, all READY,
 * 9 s for the sparklines, a 10 s window); printed: each side's median and
 * min/max, the ratio of the medians and the spread of the per-round ratios
 * ($BENCH_RATIO_ROUNDS, default 3, about 45 s a round at 10,000 servers;
 * 0 skips).  With $BENCH_STRACE=1 the console's system calls per refresh
 * (strace -c); with $BENCH_PERF=DIR a perf record of the console at each
 * point ($BENCH_PERF_SECS, $BENCH_PERF_HZ).  The whole of bench-tui takes
 * about 6 minutes.  Prints figures; never fails on speed.  Usage:
 * bench-tui [SERVERS] [BIG] (50, and the curve 1000,5000,10000; BIG or
 * $BENCH_SCALE="1000,5000" replaces the curve's counts; 0 skips it). */
#include <arpa/inet.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <ftw.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LIBURING
#include <liburing.h>
#endif

#include "../support/mcsim.h"

#define SIM_MAX_PROCS 8

/* The simulated servers: one mcsim process for all of them when the
 * descriptor limit allows (a listener and a connection per server), else
 * as few processes as it takes, said in the output. */
struct sim {
	pid_t pid[SIM_MAX_PROCS];
	int nproc;
	int *ports;
	int n;
	char dir[256];
	char log[SIM_MAX_PROCS][300];
};

/* Returns how many servers one mcsim process can hold under the hard
 * descriptor limit (mcsim raises its soft limit to it). */
static int sim_per_process(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_max == RLIM_INFINITY ||
	    rl.rlim_max > 1000000)
		return 500000;
	return ((int)rl.rlim_max - 64) / 2;
}

/* Spawns one mcsim with n servers logging to log; reads its ports into
 * ports[]; returns how many it printed. */
static int sim_spawn_one(pid_t *pid, int n, const char *log, int *ports)
{
	int p[2];
	if (pipe(p) < 0)
		return 0;
	char nstr[16];
	snprintf(nstr, sizeof nstr, "%d", n);
	*pid = fork();
	if (*pid == 0) {
		dup2(p[1], 1);
		close(p[0]);
		const char *prog = getenv("MCSIM");
		execl(prog ? prog : "./rconsole-mcsim", "rconsole-mcsim", "--port", "0", "--servers", nstr,
		    "--players", "5", "--seed", "1", "--log", log,
		    /* A steady TPS: a health reading that moves (19.9, 20.0)
		     * is new data on screen, not idle output. */
		    "--tps", "20", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	FILE *f = fdopen(p[0], "r");
	char line[64];
	int got = 0;
	while (got < n && f && fgets(line, sizeof line, f))
		ports[got++] = atoi(line);
	if (f)
		fclose(f);
	return got;
}

/* Spawns $MCSIM for n servers and reads their ports; returns 0 or -1. */
static int sim_spawn(struct sim *s, int n)
{
	memset(s, 0, sizeof *s);
	snprintf(s->dir, sizeof s->dir, "/tmp/bench-tui-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	s->ports = calloc((size_t)n, sizeof *s->ports);
	if (!s->ports)
		return -1;
	int per = sim_per_process();
	while (s->n < n && s->nproc < SIM_MAX_PROCS) {
		int k = n - s->n < per ? n - s->n : per;
		snprintf(s->log[s->nproc], sizeof s->log[0], "%s/log.%d", s->dir, s->nproc);
		int got = sim_spawn_one(&s->pid[s->nproc], k, s->log[s->nproc], s->ports + s->n);
		s->nproc++;
		s->n += got;
		if (got < k)
			break;
	}
	return s->n == n ? 0 : -1;
}

/* nftw() callback: removes one entry of the bench's directory. */
static int sim_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* Stops mcsim and removes its directory. */
static void sim_kill(struct sim *s)
{
	for (int i = 0; i < s->nproc; i++) {
		if (s->pid[i] > 0) {
			kill(s->pid[i], SIGTERM);
			waitpid(s->pid[i], NULL, 0);
		}
		unlink(s->log[i]);
	}
	/* Configs, histories, command-tree caches: all under our mkdtemp(). */
	nftw(s->dir, sim_rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(s->ports);
}

/* Returns how many lines of mcsim's logs are exactly "list". */
static long sim_lists(const struct sim *s)
{
	long n = 0;
	for (int i = 0; i < s->nproc; i++) {
		FILE *f = fopen(s->log[i], "r");
		if (!f)
			continue;
		char line[256];
		while (fgets(line, sizeof line, f))
			n += strcmp(line, "list\n") == 0;
		fclose(f);
	}
	return n;
}

struct term {
	pid_t pid;
	int fd;
	char tail[8192];      /* last bytes seen, for waiting on text */
	size_t tail_len;
	unsigned long long total;
};

/* Reads what the console wrote for up to ms; returns the bytes read. */
static size_t term_drain(struct term *t, int ms)
{
	size_t got = 0;
	long long end = mcsim_now_ms() + ms;
	for (;;) {
		long long left = end - mcsim_now_ms();
		if (left <= 0)
			break;
		struct pollfd p = { .fd = t->fd, .events = POLLIN };
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		char buf[65536];
		ssize_t n = read(t->fd, buf, sizeof buf);
		if (n <= 0)
			break;
		got += (size_t)n;
		t->total += (unsigned long long)n;
		size_t keep = sizeof t->tail - 1;
		if ((size_t)n >= keep) {
			memcpy(t->tail, buf + n - keep, keep);
			t->tail_len = keep;
		} else {
			if (t->tail_len + (size_t)n > keep) {
				size_t drop = t->tail_len + (size_t)n - keep;
				memmove(t->tail, t->tail + drop, t->tail_len - drop);
				t->tail_len -= drop;
			}
			memcpy(t->tail + t->tail_len, buf, (size_t)n);
			t->tail_len += (size_t)n;
		}
		t->tail[t->tail_len] = 0;
	}
	return got;
}

/* Waits until text appears in the output; returns ms waited or -1. */
static long long term_wait_for(struct term *t, const char *text, int timeout_ms)
{
	long long t0 = mcsim_now_ms();
	while (mcsim_now_ms() - t0 < timeout_ms) {
		if (memmem(t->tail, t->tail_len, text, strlen(text)))
			return mcsim_now_ms() - t0;
		term_drain(t, 10);
	}
	return -1;
}

/* Reads until the console has been quiet for quiet_ms (at most max_ms). */
static void term_settle(struct term *t, int quiet_ms, int max_ms)
{
	long long end = mcsim_now_ms() + max_ms;
	while (mcsim_now_ms() < end && term_drain(t, quiet_ms) > 0)
		;
}

/* Returns the CPU time of pid in seconds (nanosecond schedstat when the
 * kernel has it, else clock ticks from /proc/pid/stat). */
static double proc_cpu(pid_t pid)
{
	char spath[64];
	snprintf(spath, sizeof spath, "/proc/%d/schedstat", (int)pid);
	FILE *sf = fopen(spath, "r");
	if (sf) {
		unsigned long long ns = 0;
		int ok = fscanf(sf, "%llu", &ns);
		fclose(sf);
		if (ok == 1)
			return (double)ns / 1e9;
	}
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* Returns voluntary + involuntary context switches of pid (its wake-ups). */
static long proc_switches(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	long total = 0, v;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &v) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &v) == 1)
			total += v;
	fclose(f);
	return total;
}

/* Returns peak resident memory of pid in KiB. */
static long proc_hwm_kib(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kib = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* Writes a config with one profile per mcsim port. */
static char *write_config(const struct sim *m, int refresh)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/bench-%d.conf", m->dir, refresh);
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "refresh = %d;\nservers = (\n", refresh);
	for (int i = 0; i < m->n; i++)
		fprintf(f, "  { name = \"srv%03d\"; host = \"127.0.0.1\"; port = %d; password = \"%s\"; }%s\n",
		    i, m->ports[i], MCSIM_PASSWORD, i + 1 < m->n ? "," : "");
	fputs(");\n", f);
	fclose(f);
	chmod(path, 0600);
	return path;
}

/* Starts rconsole --config cfg in a cols x rows pseudo-terminal. */
static int term_start_size(struct term *t, const char *cfg, const char *state_dir, int cols,
    int rows)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	memset(t, 0, sizeof *t);
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LANG", "C.UTF-8", 1);
		setenv("XDG_STATE_HOME", state_dir, 1);
		setenv("XDG_CACHE_HOME", state_dir, 1);   /* command trees: not in ~/.cache */
		const char *prog = getenv("RCONSOLE");
		execl(prog ? prog : "./rconsole", "rconsole", "--config", cfg, (char *)NULL);
		_exit(127);
	}
	return 0;
}

/* Starts rconsole --config cfg in an 80x24 pseudo-terminal. */
static int term_start(struct term *t, const char *cfg, const char *state_dir)
{
	return term_start_size(t, cfg, state_dir, 80, 24);
}

/* Stops the console and reaps it. */
static void term_stop(struct term *t)
{
	kill(t->pid, SIGTERM);
	term_drain(t, 200);
	waitpid(t->pid, NULL, 0);
	close(t->fd);
}

/* Measures one console on n servers; the full set of figures when full. */
static void scenario(int servers, bool full)
{
	struct sim m;
	if (sim_spawn(&m, servers) < 0) {
		fprintf(stderr, "bench-tui: mcsim did not start %d servers\n", servers);
		sim_kill(&m);
		return;
	}
	printf("bench-tui: rconsole in an 80x24 pty, %d servers on %d mcsim process%s\n", servers,
	    m.nproc, m.nproc == 1 ? "" : "es");

	/* Refresh every second. */
	struct term t;
	long long t0 = mcsim_now_ms();
	term_start(&t, write_config(&m, 1), m.dir);
	long long first = term_wait_for(&t, "F10", 10000);
	printf("  start to first frame (%d profiles):%*s%lld ms  (target < 50 ms)\n", servers,
	    servers >= 1000 ? 5 : 6, "", first < 0 ? -1 : mcsim_now_ms() - t0);
	term_settle(&t, 1500, 60000);  /* connect, first lists, sparklines fill */
	double cpu0 = proc_cpu(t.pid);
	long lists0 = sim_lists(&m);
	long long w0 = mcsim_now_ms();
	size_t idle_bytes = term_drain(&t, 10000);
	double secs = (double)(mcsim_now_ms() - w0) / 1000.0;
	double cpu = proc_cpu(t.pid) - cpu0;
	/* Count the refreshes mcsim really answered, not the ones expected. */
	double refreshes = (double)(sim_lists(&m) - lists0);
	if (refreshes < 1)
		refreshes = 1;
	printf("  bytes to the terminal per idle refresh:   %.2f  (%zu bytes over %.0f refreshes in %.0f s, "
	    "counted in mcsim's log; target 0)\n", (double)idle_bytes / refreshes, idle_bytes, refreshes,
	    secs);
	printf("  CPU, %d servers refreshed every second:%*s%.2f%% of a core  (target < 2%% for 50)\n",
	    servers, servers >= 1000 ? 2 : 3, "", 100.0 * cpu / secs);
	printf("  peak resident memory of the console:      %ld KiB\n", proc_hwm_kib(t.pid));
	if (!full) {
		term_stop(&t);
		sim_kill(&m);
		return;
	}

	/* One command typed, then Enter: "> cmd" and the reply make two lines. */
	const char *cmd = "sim echo bench-line";
	(void)!write(t.fd, cmd, strlen(cmd));
	term_settle(&t, 300, 3000);
	(void)!write(t.fd, "\r", 1);
	size_t line_bytes = term_drain(&t, 700);
	printf("  bytes per new log line:                   %.0f  (%zu for the command line + 2 lines; "
	    "target < 300)\n", (double)line_bytes / 2.0, line_bytes);
	term_stop(&t);

	/* The wide layout: every server's row on screen, sparklines of 8 bars.
	 * Idle starts once those are full: each refresh adds a bar until then
	 * (about 4 bytes), which is new data, not idle output; so wait out 8
	 * refresh periods and more before counting. */
	term_start_size(&t, write_config(&m, 1), m.dir, 200, 60);
	long long wide0 = mcsim_now_ms();
	term_wait_for(&t, "F10", 10000);
	term_settle(&t, 1500, 60000);
	long long waited = mcsim_now_ms() - wide0;
	if (waited < 11000)
		term_drain(&t, (int)(11000 - waited));
	term_settle(&t, 1500, 60000);
	lists0 = sim_lists(&m);
	w0 = mcsim_now_ms();
	idle_bytes = term_drain(&t, 10000);
	secs = (double)(mcsim_now_ms() - w0) / 1000.0;
	refreshes = (double)(sim_lists(&m) - lists0);
	if (refreshes < 1)
		refreshes = 1;
	printf("  bytes per idle refresh at 200x60:         %.2f  (%zu bytes over %.0f refreshes in %.0f s; "
	    "target 0)\n", (double)idle_bytes / refreshes, idle_bytes, refreshes, secs);
	term_stop(&t);

	/* Refresh off, nothing happening. */
	term_start(&t, write_config(&m, 0), m.dir);
	term_wait_for(&t, "F10", 10000);
	term_settle(&t, 1000, 20000);
	long s0 = proc_switches(t.pid);
	w0 = mcsim_now_ms();
	size_t quiet = term_drain(&t, 5000);
	secs = (double)(mcsim_now_ms() - w0) / 1000.0;
	long s1 = proc_switches(t.pid);
	printf("  wake-ups per second, idle, refresh off:   %.2f  (%ld context switches in %.0f s, "
	    "%zu bytes written; target 0)\n", (double)(s1 - s0) / secs, s1 - s0, secs, quiet);
	term_stop(&t);
	sim_kill(&m);
}

/* Returns the current resident memory of pid in KiB. */
static long proc_rss_kib(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kib = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* ---- the floor: a bare epoll client doing the console's network work ---- */

/* Encodes one RCON packet into buf (room for 14 + strlen(body) bytes);
 * returns its length. */
static size_t floor_packet(unsigned char *buf, int32_t id, int32_t type, const char *body)
{
	size_t n = strlen(body);
	uint32_t f[3] = { (uint32_t)(n + 10), (uint32_t)id, (uint32_t)type };
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			buf[i * 4 + b] = (unsigned char)(f[i] >> (8 * b));
	memcpy(buf + 12, body, n);
	buf[12 + n] = buf[13 + n] = 0;
	return n + 14;
}

/* Writes one RCON packet to fd in one send(); returns 0 or -1. */
static int floor_put(int fd, int32_t id, int32_t type, const char *body)
{
	unsigned char buf[256];
	size_t n = floor_packet(buf, id, type, body);
	return send(fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* Returns CLOCK_MONOTONIC now in ms. */
static long long floor_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Returns a blocking socket connected to 127.0.0.1:port with TCP_NODELAY,
 * as a floor child needs it; exits the child when it cannot. */
static int floor_connect(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), on = 1;
	if (fd < 0 || setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
		_exit(1);
	return fd;
}

/* The child: connects to every port, logs in, then sends `list` to every
 * server once a second and reads each reply with one recv() — the least
 * any client must do for this load: one send and one recv per refresh, one
 * epoll_wait for many.  Runs until killed. */
static void floor_run(const int *ports, int n, int note_fd)
{
	int ep = epoll_create1(0);
	int *fd = calloc((size_t)n, sizeof *fd);
	bool *authed = calloc((size_t)n, sizeof *authed);
	if (ep < 0 || !fd || !authed)
		_exit(1);
	for (int i = 0; i < n; i++) {
		fd[i] = floor_connect(ports[i]);
		fcntl(fd[i], F_SETFL, O_NONBLOCK);
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev);
		floor_put(fd[i], 1, 3, MCSIM_PASSWORD);
	}
	close(note_fd);   /* nothing to say: the schedule starts now */
	/* All at once each second: the fewest wake-ups (one epoll_wait returns
	 * many replies), so the cheapest schedule there is for this work. */
	long long tick = floor_now();
	struct epoll_event evs[4096];
	unsigned char buf[65536];
	for (;;) {
		long long now = floor_now();
		if (now >= tick) {
			for (int i = 0; i < n; i++)
				if (authed[i])
					floor_put(fd[i], 2, 2, "list");
			tick += 1000;
		}
		int r = epoll_wait(ep, evs, 4096, (int)(tick - now > 0 ? tick - now : 0));
		for (int k = 0; k < r; k++) {
			int i = (int)evs[k].data.u32;
			ssize_t got = recv(fd[i], buf, sizeof buf, 0);
			if (got == 0)
				_exit(1);
			if (got > 0)
				authed[i] = true;   /* the login's answer, then each reply */
		}
	}
}

#ifdef HAVE_LIBURING
/* The second floor's receive buffer per server: a `list` reply fits. */
#define FLOOR_URING_BUF 1024
/* Submission queue entries: the sends of a tick go in batches of this. */
#define FLOOR_URING_SQ 4096

/* The ring set-ups tried, best first (all without SQPOLL: no kernel thread
 * spinning on the client's behalf, whose CPU would not be the client's). */
static const struct { unsigned flags; const char *name; } floor_uring_modes[] = {
#if defined(IORING_SETUP_SINGLE_ISSUER) && defined(IORING_SETUP_DEFER_TASKRUN)
	{ IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, "SINGLE_ISSUER|DEFER_TASKRUN" },
#endif
#if defined(IORING_SETUP_COOP_TASKRUN) && defined(IORING_SETUP_TASKRUN_FLAG)
	{ IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, "COOP_TASKRUN" },
#endif
	{ 0, "no set-up flags" },
};

/* Returns a submission queue entry, submitting the full queue first when
 * there is none (never NULL: an empty queue always has one). */
static struct io_uring_sqe *floor_uring_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *q = io_uring_get_sqe(ring);
	if (!q) {
		io_uring_submit(ring);
		q = io_uring_get_sqe(ring);
	}
	if (!q)
		_exit(1);
	return q;
}

/* Queues a recv of server i's next reply into its buffer. */
static void floor_uring_recv(struct io_uring *ring, int fd, unsigned char *buf, int i)
{
	struct io_uring_sqe *q = floor_uring_sqe(ring);
	io_uring_prep_recv(q, fd, buf, FLOOR_URING_BUF, 0);
	io_uring_sqe_set_data64(q, (uint64_t)i << 1);
}

/* The second floor's child: the same work as floor_run through io_uring.
 * Logs in with plain blocking calls, then keeps one recv queued per server;
 * each second queues a send of `list` to every server; each wake-up is one
 * io_uring_enter that submits what was queued (the sends, the recvs to
 * re-arm) and waits for completions until the next second.  Writes the
 * ring's set-up, or why there is none, to note_fd.  Runs until killed. */
static void floor_uring_run(const int *ports, int n, int note_fd)
{
	int *fd = calloc((size_t)n, sizeof *fd);
	unsigned char (*rb)[FLOOR_URING_BUF] = calloc((size_t)n, sizeof *rb);
	unsigned char login[64], list[64];
	size_t login_n = floor_packet(login, 1, 3, MCSIM_PASSWORD);
	size_t list_n = floor_packet(list, 2, 2, "list");
	if (!fd || !rb)
		_exit(1);
	for (int i = 0; i < n; i++) {
		fd[i] = floor_connect(ports[i]);
		if (send(fd[i], login, login_n, MSG_NOSIGNAL) != (ssize_t)login_n ||
		    recv(fd[i], rb[i], FLOOR_URING_BUF, 0) <= 0)
			_exit(1);
	}
	/* Room for every completion that can be outstanding: a recv and a send
	 * per server. */
	unsigned cq = 4096;
	while (cq < 2u * (unsigned)n + 64 && cq < 65536)
		cq *= 2;
	struct io_uring ring;
	int err = 0;
	size_t mode;
	for (mode = 0; mode < sizeof floor_uring_modes / sizeof floor_uring_modes[0]; mode++) {
		struct io_uring_params par;
		memset(&par, 0, sizeof par);
		par.flags = IORING_SETUP_CQSIZE | floor_uring_modes[mode].flags;
		par.cq_entries = cq;
		err = io_uring_queue_init_params(FLOOR_URING_SQ, &ring, &par);
		if (err == 0)
			break;
	}
	char note[160];
	int nl = err ? snprintf(note, sizeof note, "io_uring_queue_init: %s", strerror(-err)) :
	    snprintf(note, sizeof note, "%s", floor_uring_modes[mode].name);
	(void)!write(note_fd, note, (size_t)nl);
	close(note_fd);
	if (err)
		_exit(1);
	for (int i = 0; i < n; i++)
		floor_uring_recv(&ring, fd[i], rb[i], i);
	long long tick = floor_now();
	for (;;) {
		long long now = floor_now();
		if (now >= tick) {
			for (int i = 0; i < n; i++) {
				struct io_uring_sqe *q = floor_uring_sqe(&ring);
				io_uring_prep_send(q, fd[i], list, list_n, MSG_NOSIGNAL);
				io_uring_sqe_set_data64(q, (uint64_t)i << 1 | 1);
			}
			tick += 1000;
			now = floor_now();
		}
		long long wait = tick - now > 0 ? tick - now : 0;
		struct __kernel_timespec ts = { .tv_sec = wait / 1000,
			.tv_nsec = (wait % 1000) * 1000000 };
		struct io_uring_cqe *c;
		io_uring_submit_and_wait_timeout(&ring, &c, 1, &ts, NULL);
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, c) {
			seen++;
			uint64_t d = io_uring_cqe_get_data64(c);
			if (d & 1)
				continue;   /* a send done */
			int i = (int)(d >> 1);
			if (c->res == 0)
				_exit(1);   /* the server closed */
			floor_uring_recv(&ring, fd[i], rb[i], i);
		}
		io_uring_cq_advance(&ring, seen);
	}
}
#endif

/* Returns the CPU time in seconds of every thread of pid that is alive
 * (nanosecond schedstat; io_uring may do work in threads of its own),
 * else proc_cpu(pid). */
static double proc_cpu_threads(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return proc_cpu(pid);
	double total = 0;
	int seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char spath[300];
		snprintf(spath, sizeof spath, "/proc/%d/task/%s/schedstat", (int)pid, e->d_name);
		FILE *f = fopen(spath, "r");
		unsigned long long ns;
		if (f && fscanf(f, "%llu", &ns) == 1) {
			total += (double)ns / 1e9;
			seen++;
		}
		if (f)
			fclose(f);
	}
	closedir(d);
	return seen ? total : proc_cpu(pid);
}

/* Measures a floor client (run, in a child) on m's servers: its CPU over a
 * 10 s window once it has settled; returns % of a core, -1 when it failed;
 * *lists_per_s: the refreshes mcsim answered meanwhile, a second.  What the
 * child wrote to its note pipe (its set-up, or why it failed) goes to note. */
static double floor_cpu(const struct sim *m, void (*run)(const int *, int, int), char *note,
    size_t note_size, double *lists_per_s)
{
	*lists_per_s = 0;
	int p[2];
	note[0] = 0;
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		run(m->ports, m->n, p[1]);
		_exit(0);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	size_t got = 0;
	ssize_t r;
	while (got + 1 < note_size && (r = read(p[0], note + got, note_size - 1 - got)) > 0)
		got += (size_t)r;
	note[got] = 0;
	close(p[0]);
	/* The child closed the pipe as its schedule began: its sends go out in
	 * one burst at each whole second from then.  The window starts half a
	 * second after a burst and lasts ten seconds, so it holds exactly ten
	 * bursts; a window starting on a burst's edge counts part of an
	 * eleventh (the io_uring floor's lists came out 1-6 % above the
	 * servers' count so, and its CPU with them). */
	usleep(5500000);    /* every connection up and refreshing */
	int st;
	if (waitpid(pid, &st, WNOHANG) == pid)
		return -1;
	double c0 = proc_cpu_threads(pid);
	long lists0 = sim_lists(m);
	long long w0 = mcsim_now_ms();
	usleep(10000000);
	double secs = (double)(mcsim_now_ms() - w0) / 1000.0;
	double pct = 100.0 * (proc_cpu_threads(pid) - c0) / secs;
	*lists_per_s = (double)(sim_lists(m) - lists0) / secs;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return pct;
}

/* With $BENCH_PERF=DIR, records the console for $BENCH_PERF_SECS seconds
 * (default 5) at $BENCH_PERF_HZ samples a second (default 499) with perf
 * (call graphs from DWARF) into DIR/perf-N.data, for `perf report -i`. */
static void scale_perf(struct term *t, int n)
{
	const char *dir = getenv("BENCH_PERF");
	if (!dir || !*dir)
		return;
	char out[512], pid[16], hz[16], secs[16];
	snprintf(out, sizeof out, "%s/perf-%d.data", dir, n);
	snprintf(pid, sizeof pid, "%d", (int)t->pid);
	const char *e = getenv("BENCH_PERF_HZ");
	snprintf(hz, sizeof hz, "%d", e && atoi(e) > 0 ? atoi(e) : 499);
	e = getenv("BENCH_PERF_SECS");
	snprintf(secs, sizeof secs, "%d", e && atoi(e) > 0 ? atoi(e) : 5);
	pid_t pp = fork();
	if (pp == 0) {
		int dn = open("/dev/null", O_RDWR);
		dup2(dn, 1);
		dup2(dn, 2);
		execlp("perf", "perf", "record", "-q", "-F", hz, "--call-graph", "dwarf,16384", "-o",
		    out, "-p", pid, "--", "sleep", secs, (char *)NULL);
		_exit(127);
	}
	if (pp < 0)
		return;
	while (waitpid(pp, NULL, WNOHANG) == 0)
		term_drain(t, 100);
	printf("  %7s perf record of the console: %s\n", "", out);
}

/* One point of the scale curve. */
struct scale_point {
	int servers;
	int nproc;
	long long first_ms;    /* start to first frame: the server list drawn */
	long long sel_ms;      /* start to the selected server READY ("F10" in its
	                          status row, what this column measured before) */
	long long ready_ms;    /* start to a first `list` from every server */
	double cpu_pct;        /* % of a core over the window */
	double lists_per_s;    /* refreshes mcsim answered per second */
	long rss_kib, hwm_kib;
	bool ok;
	double sys_per_refresh; /* $BENCH_STRACE: syscalls per answered refresh */
	char sys_top[256];      /* the commonest calls per refresh */
	double floor_pct;       /* the bare epoll client's CPU, same servers; -1 none */
	double floor_lists;     /* refreshes a second mcsim answered the floor */
	double uring_pct;       /* the io_uring client's CPU, same servers; -1 none */
	double uring_lists;
	char uring_note[160];   /* its ring's set-up, or why it did not run */
};

/* Counts the console's system calls for secs seconds with strace -c -f
 * (when $BENCH_STRACE names strace, or is "1") and divides them by the
 * refreshes mcsim answered meanwhile: a figure that, unlike CPU %, does not
 * move with the machine's load.  strace slows the console, so this runs
 * after the CPU window, never during it. */
static void scale_syscalls(struct term *t, const struct sim *m, int secs, struct scale_point *pt)
{
	const char *prog = getenv("BENCH_STRACE");
	if (!prog || !*prog || strcmp(prog, "0") == 0)
		return;
	if (strcmp(prog, "1") == 0)
		prog = "strace";
	char out[320], pid[16];
	snprintf(out, sizeof out, "%s/strace.txt", m->dir);
	snprintf(pid, sizeof pid, "%d", (int)t->pid);
	pid_t sp = fork();
	if (sp == 0) {
		int dn = open("/dev/null", O_RDWR);
		dup2(dn, 1);
		dup2(dn, 2);
		execlp(prog, prog, "-c", "-f", "-q", "-o", out, "-p", pid, (char *)NULL);
		_exit(127);
	}
	if (sp < 0)
		return;
	term_drain(t, 500);   /* strace attaches */
	long lists0 = sim_lists(m);
	term_drain(t, secs * 1000);
	long lists = sim_lists(m) - lists0;
	kill(sp, SIGINT);
	waitpid(sp, NULL, 0);
	FILE *f = fopen(out, "r");
	if (!f)
		return;
	char line[256];
	long total = 0;
	struct { long n; char name[64]; } top[4] = { { 0, "" } };
	while (fgets(line, sizeof line, f)) {
		double pct, sec;
		long usec, calls, errs;
		char name[64];
		int k = sscanf(line, "%lf %lf %ld %ld %ld %63s", &pct, &sec, &usec, &calls, &errs, name);
		if (k == 4)   /* no errors column */
			k = sscanf(line, "%lf %lf %ld %ld %63s", &pct, &sec, &usec, &calls, name) == 5 ? 6 : 0;
		if (k != 6 || strcmp(name, "total") == 0)
			continue;
		total += calls;
		for (int i = 0; i < 4; i++)
			if (calls > top[i].n) {
				memmove(top + i + 1, top + i, (3 - (size_t)i) * sizeof top[0]);
				top[i].n = calls;
				snprintf(top[i].name, sizeof top[i].name, "%s", name);
				break;
			}
	}
	fclose(f);
	unlink(out);
	if (lists <= 0)
		return;
	pt->sys_per_refresh = (double)total / (double)lists;
	size_t o = 0;
	for (int i = 0; i < 4 && top[i].n; i++)
		o += (size_t)snprintf(pt->sys_top + o, sizeof pt->sys_top - o, "%s%s %.2f",
		    i ? ", " : "", top[i].name, (double)top[i].n / (double)lists);
}

/* Runs a console on m's servers (its state and caches in state_dir) and
 * takes a point's console figures: first frame, all READY (every server's
 * first refresh reached mcsim: the console sends it as soon as a server is
 * READY), then, with the sparklines full, CPU and memory over a 10 s
 * window.  Leaves the console running in *t. */
static void scale_console(struct sim *m, const char *state_dir, struct scale_point *pt,
    struct term *t)
{
	int n = m->n;
	pt->nproc = m->nproc;
	long base = sim_lists(m);   /* (a console before this one on the same mcsim) */
	const char *cfg = write_config(m, 1);
	long long t0 = mcsim_now_ms();
	term_start(t, cfg, state_dir);
	/* The first frame shows the list (servers may still be connecting):
	 * the first server's name in its row and the log pane's title. */
	if (term_wait_for(t, "srv000", 30000) >= 0)
		pt->first_ms = mcsim_now_ms() - t0;
	/* The bottom row has room for "F1 help  F10 quit" once the selected
	 * server's state text is gone: it is READY. */
	if (term_wait_for(t, "F10", 30000) >= 0)
		pt->sel_ms = mcsim_now_ms() - t0;
	while (mcsim_now_ms() - t0 < 120000) {
		term_drain(t, 100);
		if (sim_lists(m) - base >= n) {
			pt->ready_ms = mcsim_now_ms() - t0;
			break;
		}
	}
	term_drain(t, 9000);  /* eight refreshes fill the sparklines */
	double cpu0 = proc_cpu(t->pid);
	long lists0 = sim_lists(m);
	long long w0 = mcsim_now_ms();
	term_drain(t, 10000);
	double secs = (double)(mcsim_now_ms() - w0) / 1000.0;
	pt->cpu_pct = 100.0 * (proc_cpu(t->pid) - cpu0) / secs;
	pt->lists_per_s = (double)(sim_lists(m) - lists0) / secs;
	pt->rss_kib = proc_rss_kib(t->pid);
	pt->hwm_kib = proc_hwm_kib(t->pid);
	pt->ok = pt->ready_ms >= 0;
}

/* Measures one point of the curve: a console holding n servers refreshed
 * every second (scale_console), its system calls and perf record when
 * asked, then the floors on the same servers. */
static void scale_point(int n, struct scale_point *pt)
{
	memset(pt, 0, sizeof *pt);
	pt->servers = n;
	pt->first_ms = pt->ready_ms = pt->sel_ms = -1;
	pt->floor_pct = pt->uring_pct = -1;
	struct sim m;
	if (sim_spawn(&m, n) < 0) {
		fprintf(stderr, "bench-tui: mcsim did not start %d servers\n", n);
		sim_kill(&m);
		return;
	}
	struct term t;
	scale_console(&m, m.dir, pt, &t);
	scale_syscalls(&t, &m, 5, pt);
	scale_perf(&t, n);
	term_stop(&t);
	const char *fl = getenv("BENCH_FLOOR");
	bool floors = !(fl && strcmp(fl, "0") == 0);
	char note[16];
	pt->floor_pct = floors ? floor_cpu(&m, floor_run, note, sizeof note, &pt->floor_lists) : -1;
	pt->uring_pct = -1;
#ifdef HAVE_LIBURING
	if (floors)
		pt->uring_pct = floor_cpu(&m, floor_uring_run, pt->uring_note, sizeof pt->uring_note,
		    &pt->uring_lists);
#endif
	sim_kill(&m);
}

/* The ratio CPU(hi)/CPU(lo) by alternated rounds: the two mcsims stay up,
 * and each round runs a fresh console on lo's servers, then one on hi's,
 * each measured exactly as a point of the curve is (scale_console: start,
 * all READY, sparklines full, a 10 s window), so load that comes and goes
 * on the machine falls on both sides alike.  The round's consoles never
 * run at the same time. */
#define RATIO_MAX_ROUNDS 16

/* Orders doubles ascending. */
static int ratio_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Returns the median of v[0..n) (sorted in place; n > 0). */
static double ratio_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, ratio_cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Prints one side's median CPU and its spread (v is sorted). */
static void ratio_print_side(int n, double *cpu, double *lists, int rounds)
{
	double med = ratio_median(cpu, rounds);
	printf("  %7d servers: CPU median %.2f%% of a core (min %.2f, max %.2f), lists/s median %.0f\n",
	    n, med, cpu[0], cpu[rounds - 1], ratio_median(lists, rounds));
}

/* Measures CPU(hi)/CPU(lo) by $BENCH_RATIO_ROUNDS alternated rounds
 * (default 3, 0 skips) and prints each side's median and spread, and the
 * ratio of the medians with the spread of the per-round ratios. */
static void scale_ratio(int lo, int hi)
{
	const char *e = getenv("BENCH_RATIO_ROUNDS");
	int rounds = e && *e ? atoi(e) : 3;
	if (rounds <= 0)
		return;
	if (rounds > RATIO_MAX_ROUNDS)
		rounds = RATIO_MAX_ROUNDS;
	struct sim m[2];
	int n[2] = { lo, hi };
	int up = 0;
	for (; up < 2; up++)
		if (sim_spawn(&m[up], n[up]) < 0) {
			fprintf(stderr, "bench-tui: mcsim did not start %d servers\n", n[up]);
			sim_kill(&m[up]);
			break;
		}
	double cpu[2][RATIO_MAX_ROUNDS], lists[2][RATIO_MAX_ROUNDS], q[RATIO_MAX_ROUNDS];
	bool ok = up == 2;
	for (int r = 0; ok && r < rounds; r++)
		for (int k = 0; k < 2 && ok; k++) {
			char dir[300];
			snprintf(dir, sizeof dir, "%s/round-%d", m[k].dir, r);
			mkdir(dir, 0700);
			struct scale_point pt;
			memset(&pt, 0, sizeof pt);
			pt.ready_ms = -1;
			struct term t;
			scale_console(&m[k], dir, &pt, &t);
			term_stop(&t);
			ok = pt.ok;
			cpu[k][r] = pt.cpu_pct;
			lists[k][r] = pt.lists_per_s;
		}
	if (ok) {
		for (int r = 0; r < rounds; r++)
			q[r] = cpu[0][r] > 0 ? cpu[1][r] / cpu[0][r] : 0;
		printf("  CPU(%d)/CPU(%d) by %d alternated rounds (a fresh console on %d servers, then "
		    "one on %d, each measured as above):\n", hi, lo, rounds, lo, hi);
		ratio_print_side(lo, cpu[0], lists[0], rounds);
		ratio_print_side(hi, cpu[1], lists[1], rounds);
		double ma = ratio_median(cpu[0], rounds), mb = ratio_median(cpu[1], rounds);
		ratio_median(q, rounds);
		printf("  CPU(%d)/CPU(%d): %.1f, the ratio of the medians (per-round ratios %.1f .. %.1f), "
		    "for %.0fx the servers  (target <= 11 for 10x)\n", hi, lo, ma > 0 ? mb / ma : 0.0,
		    q[0], q[rounds - 1], (double)hi / lo);
	} else {
		printf("  CPU(%d)/CPU(%d) by alternated rounds: not measured (mcsim did not start, or "
		    "not every server became READY)\n", hi, lo);
	}
	for (int k = 0; k < up; k++)
		sim_kill(&m[k]);
}

/* Prints the scale curve over the server counts in list ("1000,5000,10000"). */
static void scale_curve(const char *list)
{
	struct scale_point pts[8];
	int np = 0;
	printf("bench-tui: scale curve, rconsole in an 80x24 pty, every server refreshed every second\n");
#ifndef HAVE_LIBURING
	printf("  (the io_uring floor was not built: liburing is missing; install liburing-dev and "
	    "run ./configure again)\n");
#endif
	printf("  %7s %5s %11s %11s %10s %9s %10s %10s\n", "servers", "mcsim", "first frame",
	    "all READY", "CPU", "lists/s", "RSS KiB", "KiB/server");
	for (const char *p = list; *p && np < 8;) {
		int n = atoi(p);
		if (n > 0) {
			scale_point(n, &pts[np]);
			struct scale_point *q = &pts[np++];
			printf("  %7d %5d %8lld ms %8lld ms %9.2f%% %9.0f %10ld %10.1f%s\n", q->servers,
			    q->nproc, q->first_ms, q->ready_ms, q->cpu_pct, q->lists_per_s, q->rss_kib,
			    (double)q->rss_kib / q->servers, q->ok ? "" : "  (not all READY)");
			if (q->floor_pct >= 0)
				printf("  %7s floor (bare epoll client, same servers and refreshes): %.2f%% "
				    "of a core, %.0f lists/s; rconsole %.2fx the floor\n", "", q->floor_pct,
				    q->floor_lists, q->floor_pct > 0 ? q->cpu_pct / q->floor_pct : 0.0);
			if (q->uring_pct >= 0)
				printf("  %7s floor (io_uring client, batched sends and recvs, one io_uring_enter "
				    "per wake-up; %s): %.2f%% of a core, %.0f lists/s; rconsole %.2fx it\n", "",
				    q->uring_note, q->uring_pct, q->uring_lists,
				    q->uring_pct > 0 ? q->cpu_pct / q->uring_pct : 0.0);
			else if (q->uring_note[0])
				printf("  %7s floor (io_uring client): did not run (%s)\n", "", q->uring_note);
			if (q->sys_per_refresh > 0)
				printf("  %7s syscalls per refresh: %.2f (%s)\n", "", q->sys_per_refresh,
				    q->sys_top);
			fflush(stdout);
		}
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	if (np == 0)
		return;
	struct scale_point *lo = &pts[0], *hi = &pts[np - 1];
	printf("  peak RSS at %d servers: %ld KiB (%.1f KiB per server; target < 16)\n", hi->servers,
	    hi->hwm_kib, (double)hi->hwm_kib / hi->servers);
	printf("  targets at %d servers: CPU < 5%% of a core (%.2f%%), first frame < 300 ms (%lld ms; "
	    "the selected server READY at %lld ms)\n", hi->servers, hi->cpu_pct, hi->first_ms,
	    hi->sel_ms);
	if (np > 1 && lo->cpu_pct > 0)
		printf("  CPU(%d)/CPU(%d) from the curve's single windows: %.1f for %.0fx the servers\n",
		    hi->servers, lo->servers, hi->cpu_pct / lo->cpu_pct,
		    (double)hi->servers / lo->servers);
	if (hi->nproc > 1)
		printf("  note: %d servers need about %d descriptors in mcsim, above this machine's "
		    "hard limit; served by %d mcsim processes\n", hi->servers, 2 * hi->servers + 16,
		    hi->nproc);
	if (np > 1)
		scale_ratio(lo->servers, hi->servers);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int servers = argc > 1 ? atoi(argv[1]) : 50;
	int big = argc > 2 ? atoi(argv[2]) : 1000;
	signal(SIGPIPE, SIG_IGN);
	/* 1,000 servers need more descriptors than the usual soft limit of 1024,
	 * in mcsim (listener + connection each) and in the console. */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max > 65536 ? 65536 : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (servers > 0)
		scenario(servers, true);
	if (big > 0) {
		/* The scale curve: BIG or $BENCH_SCALE replaces its counts. */
		char list[64];
		const char *env = getenv("BENCH_SCALE");
		if (env && *env)
			snprintf(list, sizeof list, "%s", env);
		else if (argc > 2)
			snprintf(list, sizeof list, "%d", big);
		else
			snprintf(list, sizeof list, "1000,5000,10000");
		scale_curve(list);
	}
	return 0;
}
