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
 * CPU(10k)/CPU(1k); beside each point, the floor: a bare epoll client
 * doing the same network work on the same servers (the least any client
 * pays in the kernel's loopback TCP; $BENCH_FLOOR=0 skips it), and with
 * $BENCH_STRACE=1 the console's system calls per refresh (strace -c).
 * Prints figures; never fails on speed.  Usage: bench-tui [SERVERS] [BIG]
 * (50, and the curve 1000,5000,10000; BIG or $BENCH_SCALE="1000,5000"
 * replaces the curve's counts; 0 skips it). */
#include <arpa/inet.h>
#include <errno.h>
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

/* Writes one RCON packet to fd in one send(); returns 0 or -1. */
static int floor_put(int fd, int32_t id, int32_t type, const char *body)
{
	unsigned char buf[256];
	size_t n = strlen(body);
	uint32_t f[3] = { (uint32_t)(n + 10), (uint32_t)id, (uint32_t)type };
	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 4; b++)
			buf[i * 4 + b] = (unsigned char)(f[i] >> (8 * b));
	memcpy(buf + 12, body, n);
	buf[12 + n] = buf[13 + n] = 0;
	return send(fd, buf, n + 14, MSG_NOSIGNAL) == (ssize_t)(n + 14) ? 0 : -1;
}

/* Returns CLOCK_MONOTONIC now in ms. */
static long long floor_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child: connects to every port, logs in, then sends `list` to every
 * server once a second and reads each reply with one recv() — the least
 * any client must do for this load: one send and one recv per refresh, one
 * epoll_wait for many.  Runs until killed. */
static void floor_run(const int *ports, int n)
{
	int ep = epoll_create1(0);
	int *fd = calloc((size_t)n, sizeof *fd);
	bool *authed = calloc((size_t)n, sizeof *authed);
	if (ep < 0 || !fd || !authed)
		_exit(1);
	for (int i = 0; i < n; i++) {
		struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)ports[i]),
			.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		int on = 1;
		setsockopt(fd[i], IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
		if (fd[i] < 0 || connect(fd[i], (struct sockaddr *)&sa, sizeof sa) < 0)
			_exit(1);
		fcntl(fd[i], F_SETFL, O_NONBLOCK);
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev);
		floor_put(fd[i], 1, 3, MCSIM_PASSWORD);
	}
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

/* Measures the floor on m's servers: the bare client's CPU over a 10 s
 * window once it has settled; returns % of a core, -1 when it failed. */
static double floor_cpu(const struct sim *m)
{
	pid_t pid = fork();
	if (pid == 0) {
		floor_run(m->ports, m->n);
		_exit(0);
	}
	if (pid < 0)
		return -1;
	usleep(5000000);    /* every connection up and refreshing */
	int st;
	if (waitpid(pid, &st, WNOHANG) == pid)
		return -1;
	double c0 = proc_cpu(pid);
	long long w0 = mcsim_now_ms();
	usleep(10000000);
	double pct = 100.0 * (proc_cpu(pid) - c0) / ((double)(mcsim_now_ms() - w0) / 1000.0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return pct;
}

/* With $BENCH_PERF=DIR, records the console for 5 s with perf (call graphs
 * from DWARF) into DIR/perf-N.data, for `perf report -i`. */
static void scale_perf(struct term *t, int n)
{
	const char *dir = getenv("BENCH_PERF");
	if (!dir || !*dir)
		return;
	char out[512], pid[16];
	snprintf(out, sizeof out, "%s/perf-%d.data", dir, n);
	snprintf(pid, sizeof pid, "%d", (int)t->pid);
	pid_t pp = fork();
	if (pp == 0) {
		int dn = open("/dev/null", O_RDWR);
		dup2(dn, 1);
		dup2(dn, 2);
		execlp("perf", "perf", "record", "-q", "-F", "499", "--call-graph", "dwarf,16384", "-o",
		    out, "-p", pid, "--", "sleep", "5", (char *)NULL);
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

/* Measures one console holding n servers refreshed every second: first
 * frame, all READY (every server's first refresh reached mcsim: the console
 * sends it as soon as a server is READY), then, with the sparklines full,
 * CPU and memory over a 10 s window. */
static void scale_point(int n, struct scale_point *pt)
{
	memset(pt, 0, sizeof *pt);
	pt->servers = n;
	pt->first_ms = pt->ready_ms = pt->sel_ms = -1;
	struct sim m;
	if (sim_spawn(&m, n) < 0) {
		fprintf(stderr, "bench-tui: mcsim did not start %d servers\n", n);
		sim_kill(&m);
		return;
	}
	pt->nproc = m.nproc;
	const char *cfg = write_config(&m, 1);
	struct term t;
	long long t0 = mcsim_now_ms();
	term_start(&t, cfg, m.dir);
	/* The first frame shows the list (servers may still be connecting):
	 * the first server's name in its row and the log pane's title. */
	if (term_wait_for(&t, "srv000", 30000) >= 0)
		pt->first_ms = mcsim_now_ms() - t0;
	/* The bottom row has room for "F1 help  F10 quit" once the selected
	 * server's state text is gone: it is READY. */
	if (term_wait_for(&t, "F10", 30000) >= 0)
		pt->sel_ms = mcsim_now_ms() - t0;
	while (mcsim_now_ms() - t0 < 120000) {
		term_drain(&t, 100);
		if (sim_lists(&m) >= n) {
			pt->ready_ms = mcsim_now_ms() - t0;
			break;
		}
	}
	term_drain(&t, 9000);  /* eight refreshes fill the sparklines */
	double cpu0 = proc_cpu(t.pid);
	long lists0 = sim_lists(&m);
	long long w0 = mcsim_now_ms();
	term_drain(&t, 10000);
	double secs = (double)(mcsim_now_ms() - w0) / 1000.0;
	pt->cpu_pct = 100.0 * (proc_cpu(t.pid) - cpu0) / secs;
	pt->lists_per_s = (double)(sim_lists(&m) - lists0) / secs;
	pt->rss_kib = proc_rss_kib(t.pid);
	pt->hwm_kib = proc_hwm_kib(t.pid);
	pt->ok = pt->ready_ms >= 0;
	scale_syscalls(&t, &m, 5, pt);
	scale_perf(&t, n);
	term_stop(&t);
	const char *fl = getenv("BENCH_FLOOR");
	pt->floor_pct = fl && strcmp(fl, "0") == 0 ? -1 : floor_cpu(&m);
	sim_kill(&m);
}

/* Prints the scale curve over the server counts in list ("1000,5000,10000"). */
static void scale_curve(const char *list)
{
	struct scale_point pts[8];
	int np = 0;
	printf("bench-tui: scale curve, rconsole in an 80x24 pty, every server refreshed every second\n");
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
				    "of a core; rconsole %.2fx the floor\n", "", q->floor_pct,
				    q->floor_pct > 0 ? q->cpu_pct / q->floor_pct : 0.0);
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
		printf("  CPU(%d)/CPU(%d): %.1f for %.0fx the servers  (target <= 11 for 10x)\n",
		    hi->servers, lo->servers, hi->cpu_pct / lo->cpu_pct,
		    (double)hi->servers / lo->servers);
	if (hi->nproc > 1)
		printf("  note: %d servers need about %d descriptors in mcsim, above this machine's "
		    "hard limit; served by %d mcsim processes\n", hi->servers, 2 * hi->servers + 16,
		    hi->nproc);
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
