/* bench-conn.c: figures for one RCON connection (DESIGN.md section 7):
 * sequential commands per second on one connection beside the bare TCP
 * round trip measured in the same run, client CPU time per command, and the
 * time and memory to receive a 1 MiB reply.  Prints; never fails on speed.
 *
 * The server is rconsole-mcsim when $MCSIM names an executable (started as
 * `$MCSIM --port 0 --bind 127.0.0.1 --password ...`, which prints its port),
 * else a built-in vanilla-like peer in a child process that answers the same
 * two commands: `sim echo <text>` and `sim chars <N> ascii`.  Either way the
 * server runs in another process, so getrusage(RUSAGE_SELF) is the client's
 * CPU alone.  The bare round trip is a forked echo process answering a
 * buffer of the same size as a command packet, over the same loopback.
 *
 * Memory for the 1 MiB reply is counted, not sampled: this program replaces
 * malloc/calloc/realloc/free with wrappers around glibc's __libc_* functions
 * that keep the live heap bytes (malloc_usable_size) and their peak, so the
 * figure is the peak heap growth while the reply was received, to the byte.
 * ru_maxrss is printed beside it but can stay flat: some kernels sync their
 * RSS counters lazily (seen here: 4 MiB touched, VmRSS unchanged).  Under
 * AddressSanitizer the wrappers are left out and only ru_maxrss remains. */
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rconsole/conn.h"
#include "rconsole/error.h"
#include "rconsole/loop.h"
#include "rconsole/packet.h"
#include "rconsole/policy.h"

#define BENCH_PASSWORD "bench-pw"
#define BENCH_ECHO "sim echo 0123456789abcdef0123456789"
#define BENCH_BIG (1024 * 1024)

#ifndef __SANITIZE_ADDRESS__
#define BENCH_COUNT_HEAP 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static int64_t bench_live;      /* heap bytes in use */
static int64_t bench_peak;      /* highest bench_live since the last reset */
static int64_t bench_allocs;    /* malloc/calloc/realloc calls */

/* Adds delta to the live heap count and tracks its peak. */
static void bench_account(int64_t delta)
{
	bench_live += delta;
	if (bench_live > bench_peak)
		bench_peak = bench_live;
}

/* malloc, counted. */
void *malloc(size_t n)
{
	void *p = __libc_malloc(n);
	bench_allocs++;
	if (p)
		bench_account((int64_t)malloc_usable_size(p));
	return p;
}

/* calloc, counted. */
void *calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);
	bench_allocs++;
	if (p)
		bench_account((int64_t)malloc_usable_size(p));
	return p;
}

/* realloc, counted. */
void *realloc(void *p, size_t n)
{
	int64_t old = p ? (int64_t)malloc_usable_size(p) : 0;
	void *q = __libc_realloc(p, n);
	bench_allocs++;
	if (q)
		bench_account((int64_t)malloc_usable_size(q) - old);
	else if (n == 0)
		bench_account(-old);
	return q;
}

/* free, counted. */
void free(void *p)
{
	if (p)
		bench_account(-(int64_t)malloc_usable_size(p));
	__libc_free(p);
}
#endif

struct bench {
	rc_loop *loop;
	rc_conn *conn;
	const char *cmd;        /* what the sequential phase repeats */
	long target;            /* commands to run */
	long done;
	int64_t deadline_ms;    /* stop early after this */
	int64_t rtt_sum_us;
	int failures;
	size_t last_len;
	unsigned last_frags;
	int64_t heap_at_reply;
	bool got;
	bool stopped;           /* the phase is over */
};

/* Returns heap bytes in use (counted; mallinfo2 under sanitizers). */
static int64_t bench_heap(void)
{
#ifdef BENCH_COUNT_HEAP
	return bench_live;
#else
	struct mallinfo2 mi = mallinfo2();
	return (int64_t)(mi.uordblks + mi.hblkhd);
#endif
}

/* Returns the allocation calls so far, or -1 when not counted. */
static int64_t bench_alloc_count(void)
{
#ifdef BENCH_COUNT_HEAP
	return bench_allocs;
#else
	return -1;
#endif
}

/* Starts a new peak measurement. */
static void bench_peak_reset(void)
{
#ifdef BENCH_COUNT_HEAP
	bench_peak = bench_live;
#endif
}

/* Returns the peak heap since bench_peak_reset(), or -1 when not counted. */
static int64_t bench_heap_peak(void)
{
#ifdef BENCH_COUNT_HEAP
	return bench_peak;
#else
	return -1;
#endif
}

/* Returns user+system CPU time of this process in microseconds. */
static int64_t bench_cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (int64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
	    ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
}

/* Returns the peak resident set in KiB. */
static long bench_maxrss_kib(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Reads exactly n bytes (blocking); returns false on EOF or error. */
static bool bench_read_full(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* Writes all n bytes (blocking); returns false on error. */
static bool bench_write_full(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Appends one packet to out (grown as needed). */
static void bench_put(uint8_t **out, size_t *len, size_t *cap, int32_t id, int32_t type,
    const void *body, size_t n)
{
	if (*len + n + RC_PKT_OVERHEAD > *cap) {
		*cap = (*len + n + RC_PKT_OVERHEAD) * 2;
		*out = realloc(*out, *cap);
		if (!*out)
			_exit(1);
	}
	*len += (size_t)rc_packet_encode(*out + *len, *cap - *len, id, type, body, n);
}

/* Serves one client the vanilla way: auth, `sim echo`, `sim chars N ascii`
 * cut every 4096 characters, "Unknown request <hex>" for other types. */
static void bench_peer_client(int fd)
{
	uint8_t *out = NULL, *in = NULL;
	size_t cap = 0, incap = 0;
	bool authed = false;
	for (;;) {
		uint8_t hdr[4];
		if (!bench_read_full(fd, hdr, 4))
			break;
		int32_t n = rc_le32_get(hdr);
		if (n < 10 || n > 4110)
			break;
		if ((size_t)n + 1 > incap) {
			incap = (size_t)n + 1;
			in = realloc(in, incap);
		}
		if (!in || !bench_read_full(fd, in, (size_t)n))
			break;
		int32_t id = rc_le32_get(in), type = rc_le32_get(in + 4);
		char *body = (char *)in + 8;
		body[n - 10] = '\0';
		size_t len = 0;
		if (type == RC_TYPE_AUTH) {
			authed = strcmp(body, BENCH_PASSWORD) == 0;
			bench_put(&out, &len, &cap, authed ? id : -1, RC_TYPE_AUTH_REPLY, "", 0);
		} else if (type == RC_TYPE_EXEC && !authed) {
			bench_put(&out, &len, &cap, -1, RC_TYPE_AUTH_REPLY, "", 0);
		} else if (type == RC_TYPE_EXEC && strncmp(body, "sim echo ", 9) == 0) {
			bench_put(&out, &len, &cap, id, RC_TYPE_RESPONSE, body + 9, strlen(body + 9));
		} else if (type == RC_TYPE_EXEC && strncmp(body, "sim chars ", 10) == 0) {
			size_t total = strtoul(body + 10, NULL, 10);
			char chunk[4096];
			memset(chunk, 'a', sizeof chunk);
			size_t off = 0;
			do {
				size_t k = total - off > 4096 ? 4096 : total - off;
				bench_put(&out, &len, &cap, id, RC_TYPE_RESPONSE, chunk, k);
				off += k;
			} while (off < total);
		} else if (type == RC_TYPE_EXEC) {
			bench_put(&out, &len, &cap, id, RC_TYPE_RESPONSE, "", 0);
		} else {
			char msg[40];
			int k = snprintf(msg, sizeof msg, "Unknown request %x", (unsigned)type);
			bench_put(&out, &len, &cap, id, RC_TYPE_RESPONSE, msg, (size_t)k);
		}
		if (!bench_write_full(fd, out, len))
			break;
	}
	free(in);
	free(out);
}

/* Serves bytes back as they come (the bare round-trip partner). */
static void bench_echo_client(int fd)
{
	uint8_t buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || !bench_write_full(fd, buf, (size_t)n))
			return;
	}
}

/* Opens a listening socket on 127.0.0.1 port 0; returns it and its port. */
static int bench_listen(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sl) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &sl) < 0) {
		perror("bench-conn: listen");
		exit(1);
	}
	*port = ntohs(a.sin_port);
	return fd;
}

/* Forks a server process running serve() for each client; returns its pid. */
static pid_t bench_fork_server(int lfd, void (*serve)(int))
{
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench-conn: fork");
		exit(1);
	}
	if (pid > 0) {
		close(lfd);
		return pid;
	}
	for (;;) {
		int c = accept(lfd, NULL, NULL);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			_exit(0);
		}
		int on = 1;
		setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
		serve(c);
		close(c);
	}
}

/* Starts $MCSIM and reads the port it prints; returns its pid or -1. */
static pid_t bench_spawn_mcsim(const char *path, int *port, int *out_fd)
{
	int p[2];
	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(p[1], STDOUT_FILENO);
		close(p[0]);
		close(p[1]);
		execl(path, path, "--port", "0", "--bind", "127.0.0.1", "--password", BENCH_PASSWORD,
		    (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	char line[64];
	size_t n = 0;
	int64_t end = rc_now_ms() + 10000;
	while (n < sizeof line - 1 && rc_now_ms() < end) {
		struct pollfd pfd = { .fd = p[0], .events = POLLIN };
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		ssize_t r = read(p[0], line + n, 1);
		if (r <= 0)
			break;
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	*port = atoi(line);
	if (*port <= 0 || *port > 65535) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		close(p[0]);
		return -1;
	}
	*out_fd = p[0];   /* kept open: mcsim must not get SIGPIPE */
	return pid;
}

/* Connection callback: counts replies and sends the next command. */
static void bench_on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct bench *b = arg;
	if (ev->type == RC_EV_STATE) {
		if (ev->state == RC_STATE_FAILED || ev->state == RC_STATE_AUTH_FAILED) {
			fprintf(stderr, "bench-conn: connection %s: %s\n", rc_state_name(ev->state),
			    ev->cause ? ev->cause : rc_strerror(ev->err));
			b->stopped = true;
		}
		if (ev->state == RC_STATE_READY)
			b->stopped = true;
		return;
	}
	if (ev->type != RC_EV_REPLY)
		return;
	if (ev->status != 0)
		b->failures++;
	b->heap_at_reply = bench_heap();
	b->last_len = ev->len;
	b->last_frags = ev->fragments;
	b->rtt_sum_us += ev->rtt_us;
	b->done++;
	b->got = true;
	if (!b->cmd || b->done >= b->target || rc_now_ms() >= b->deadline_ms) {
		b->stopped = true;
		return;
	}
	if (rc_conn_send(c, b->cmd, NULL, NULL) < 0)
		b->stopped = true;
}

/* Measures the bare TCP round trip for n bytes; returns µs per round trip. */
static double bench_bare_rtt(int port, size_t n, long count, long *ran)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int on = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		perror("bench-conn: echo connect");
		return -1;
	}
	uint8_t buf[256];
	memset(buf, 'p', sizeof buf);
	int64_t start = rc_now_us(), end_ms = rc_now_ms() + 2000;
	long i = 0;
	for (; i < count && rc_now_ms() < end_ms; i++)
		if (!bench_write_full(fd, buf, n) || !bench_read_full(fd, buf, n))
			break;
	int64_t us = rc_now_us() - start;
	close(fd);
	*ran = i;
	return i ? (double)us / (double)i : -1;
}

/* Runs the loop until the phase is over or 60 s pass. */
static void bench_run(struct bench *b)
{
	int64_t end = rc_now_ms() + 60000;
	b->stopped = false;
	while (!b->stopped && rc_now_ms() < end)
		rc_loop_run_once(b->loop, 100);
	if (!b->stopped)
		fprintf(stderr, "bench-conn: gave up waiting\n");
}

/* Runs BENCH_ECHO on b->conn as fast as replies come (20,000 or 3 s) and
 * prints the figures under label; returns the commands run, with the wall
 * and CPU time per command in *per and *cpu_per (microseconds). */
static long bench_sequential(struct bench *b, const char *label, double *per, double *cpu_per)
{
	b->cmd = BENCH_ECHO;
	b->target = 20000;
	b->done = 0;
	b->rtt_sum_us = 0;
	b->failures = 0;
	b->deadline_ms = rc_now_ms() + 3000;
	int64_t cpu0 = bench_cpu_us(), allocs0 = bench_alloc_count();
	int64_t t0 = rc_now_us();
	rc_conn_send(b->conn, b->cmd, NULL, NULL);
	bench_run(b);
	int64_t wall = rc_now_us() - t0, cpu = bench_cpu_us() - cpu0;
	int64_t allocs = bench_alloc_count() - allocs0;
	long n = b->done;
	*per = n ? (double)wall / (double)n : 0;
	*cpu_per = n ? (double)cpu / (double)n : 0;
	printf("%s %ld in %.2f s = %.0f commands/s (%.1f us each, mean rtt %.1f us)%s\n", label,
	    n, wall / 1e6, n ? n / (wall / 1e6) : 0.0, *per,
	    n ? (double)b->rtt_sum_us / (double)n : 0.0, b->failures ? " (with failures)" : "");
	printf("  client CPU per command: %.1f us (user+sys, getrusage)\n", *cpu_per);
	if (bench_alloc_count() >= 0 && n)
		printf("  heap allocations per command: %.2f (malloc/calloc/realloc calls)\n",
		    (double)allocs / (double)n);
	return n;
}

/* Connects a second, read-only connection like o whose allowlist passes
 * BENCH_ECHO only at its last entry, runs the sequential phase on it and
 * closes it. */
static void bench_readonly(struct bench *b, const rc_conn_opts *o)
{
	const char *allow[32];
	size_t n = 0;
	for (; rc_policy_default[n] && n < 30; n++)
		allow[n] = rc_policy_default[n];
	allow[n++] = "sim echo *";
	rc_conn_opts ro = *o;
	ro.read_only = true;
	ro.allow = allow;
	ro.n_allow = n;
	rc_conn *main_conn = b->conn;
	b->conn = rc_conn_new(b->loop, &ro, bench_on_event, b);
	b->cmd = NULL;
	rc_conn_start(b->conn);
	bench_run(b);
	if (rc_conn_state(b->conn) == RC_STATE_READY) {
		char label[64];
		snprintf(label, sizeof label, "read-only, %zu entries: ", n);
		double per, cpu_per;
		bench_sequential(b, label, &per, &cpu_per);
	} else {
		fprintf(stderr, "bench-conn: the read-only connection did not get ready\n");
	}
	rc_conn_free(b->conn);
	b->conn = main_conn;
}

/* Runs every measurement and prints the figures. */
int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const char *mcsim = getenv("MCSIM");
	int port = 0, mcsim_out = -1;
	pid_t server = -1;
	const char *who = "built-in vanilla-like peer (forked process)";
	if (mcsim && *mcsim && access(mcsim, X_OK) == 0) {
		server = bench_spawn_mcsim(mcsim, &port, &mcsim_out);
		if (server > 0)
			who = mcsim;
		else
			fprintf(stderr, "bench-conn: %s did not start; using the built-in peer\n", mcsim);
	}
	if (server <= 0) {
		int lfd = bench_listen(&port);
		server = bench_fork_server(lfd, bench_peer_client);
	}
	int echo_port;
	int efd = bench_listen(&echo_port);
	pid_t echo = bench_fork_server(efd, bench_echo_client);

	struct bench b = { 0 };
	b.loop = rc_loop_new();
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = portstr;
	o.password = BENCH_PASSWORD;
	o.reconnect = false;
	o.command_timeout_ms = 30000;
	b.conn = rc_conn_new(b.loop, &o, bench_on_event, &b);
	rc_conn_start(b.conn);
	bench_run(&b);
	int rc = 0;
	if (rc_conn_state(b.conn) != RC_STATE_READY) {
		fprintf(stderr, "bench-conn: could not connect to %s\n", who);
		rc = 1;
		goto out;
	}
	printf("bench-conn: server: %s, port %d\n", who, port);

	/* 1 MiB reply first, while the peak resident set is still the baseline. */
	char big[48];
	snprintf(big, sizeof big, "sim chars %d ascii", BENCH_BIG);
	long rss0 = bench_maxrss_kib();
	int64_t heap0 = bench_heap();
	bench_peak_reset();
	b.cmd = NULL;
	b.target = 1;
	b.deadline_ms = rc_now_ms() + 60000;
	int64_t t0 = rc_now_us();
	rc_conn_send(b.conn, big, NULL, NULL);
	bench_run(&b);
	int64_t big_us = rc_now_us() - t0;
	long rss1 = bench_maxrss_kib();
	printf("1 MiB reply:            %.1f ms, %zu bytes in %u fragments%s\n", big_us / 1000.0,
	    b.last_len, b.last_frags, b.failures ? " (FAILED)" : "");
	int64_t peak = bench_heap_peak();
	if (peak >= 0)
		printf("  peak heap growth:     %.0f KiB while receiving (counted allocations)\n",
		    (double)(peak - heap0) / 1024.0);
	if (peak >= 0)
		printf("  heap held at reply:   %.0f KiB (reply buffer and input tail)\n",
		    (double)(b.heap_at_reply - heap0) / 1024.0);
	else
		printf("  heap:                 not counted in a sanitizer build\n");
	printf("  ru_maxrss growth:     %ld KiB (%ld -> %ld KiB; may lag on this kernel)\n",
	    rss1 - rss0, rss0, rss1);

	/* Sequential commands on the one connection, then on a read-only one
	 * whose allowlist (the default's entries and "sim echo *" last) lets
	 * them through: the difference is what the policy costs per command. */
	double per = 0, cpu_per = 0;
	long n = bench_sequential(&b, "sequential commands:   ", &per, &cpu_per);
	bench_readonly(&b, &o);
	/* The bare TCP round trip of a packet-sized buffer, same run. */
	size_t pkt = rc_packet_size(strlen(BENCH_ECHO));
	long ran = 0;
	int64_t bcpu0 = bench_cpu_us();
	double bare = bench_bare_rtt(echo_port, pkt, 20000, &ran);
	int64_t bcpu = bench_cpu_us() - bcpu0;
	double bare_cpu = ran ? (double)bcpu / (double)ran : 0.0;
	printf("bare TCP round trip:    %.1f us (%zu-byte ping-pong, %ld round trips)\n", bare, pkt,
	    ran);
	/* The kernel's socket work dominates both figures and swings with the
	 * host; their difference is what the engine itself costs. */
	printf("  client CPU per bare round trip: %.1f us (blocking write + read); engine's own "
	    "share per command: %+.1f us\n", bare_cpu, n ? cpu_per - bare_cpu : 0.0);
	if (bare > 0 && n)
		printf("  RCON command / bare:  %.2fx (difference %+.1f us; both include two "
		    "process wake-ups)\n", per / bare, per - bare);
out:
	rc_conn_free(b.conn);
	rc_loop_free(b.loop);
	kill(server, SIGTERM);
	kill(echo, SIGTERM);
	waitpid(server, NULL, 0);
	waitpid(echo, NULL, 0);
	if (mcsim_out >= 0)
		close(mcsim_out);
	return rc;
}
