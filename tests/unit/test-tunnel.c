/* test-tunnel.c: the tunnel child's pieces without a network — the
 * proxy_command word splitting (quotes, escapes, %h %p %%, errors), the ssh
 * argv, the stderr tail's last line (sanitised), the error classes, and a
 * spawned child on the socketpair: bytes both ways, stderr kept, nothing
 * but stdio open in it, and reaped on close (no zombie). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "tunnel-int.h"

/* Splits cmd and checks the words (NULL-terminated want). */
static void split_is(const char *cmd, const char *const *want)
{
	char **argv = NULL, why[128] = "";
	cr_assert_eq(tunnel_split(cmd, "mc.example", "25575", &argv, why, sizeof why), 0, "%s: %s",
	    cmd, why);
	size_t i = 0;
	for (; want[i]; i++) {
		cr_assert_not_null(argv[i], "%s: word %zu missing", cmd, i);
		cr_assert_str_eq(argv[i], want[i], "%s: word %zu", cmd, i);
	}
	cr_assert_null(argv[i], "%s: extra word '%s'", cmd, argv[i]);
	tunnel_argv_free(argv);
}

Test(tunnel, split_like_proxycommand)
{
	split_is("socat - TCP:%h:%p", (const char *[]){ "socat", "-", "TCP:mc.example:25575", NULL });
	split_is("  nc   %h\t%p  ", (const char *[]){ "nc", "mc.example", "25575", NULL });
	split_is("sh -c 'exec nc \"$0\" %p' %h",
	    (const char *[]){ "sh", "-c", "exec nc \"$0\" 25575", "mc.example", NULL });
	split_is("a \"b c\" d\\ e 'f\\g' \"h\\\"i\"",
	    (const char *[]){ "a", "b c", "d e", "f\\g", "h\"i", NULL });
	split_is("echo 100%% '' x", (const char *[]){ "echo", "100%", "", "x", NULL });
}

Test(tunnel, split_errors)
{
	const char *bad[] = { "nc 'open", "nc \"open", "nc %x", "nc %", "", "   " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char **argv = NULL, why[128] = "";
		cr_assert_eq(tunnel_split(bad[i], "h", "1", &argv, why, sizeof why), RC_EINVAL, "%s",
		    bad[i]);
		cr_assert_null(argv);
		cr_assert_not_null(strstr(why, "proxy_command"), "%s: %s", bad[i], why);
	}
}

Test(tunnel, ssh_argv)
{
	struct tunnel_cfg tc;
	const char *opts[] = { "-p", "2222", NULL };
	cr_assert_eq(tunnel_cfg_init(&tc, "admin@mc1", opts, 0, NULL), 0);
	char **argv = NULL, why[64];
	cr_assert_eq(tunnel_argv(&tc, "127.0.0.1", "25575", &argv, why, sizeof why), 0);
	const char *want[] = { "ssh", "-W", "127.0.0.1:25575", "-o", "BatchMode=yes", "-p", "2222",
		"--", "admin@mc1", NULL };
	for (size_t i = 0; want[i]; i++)
		cr_assert_str_eq(argv[i], want[i], "word %zu", i);
	cr_assert_null(argv[9]);
	tunnel_argv_free(argv);
	cr_assert_eq(tunnel_argv(&tc, "::1", "25575", &argv, why, sizeof why), 0);
	cr_assert_str_eq(argv[2], "[::1]:25575");
	tunnel_argv_free(argv);
	tunnel_cfg_free(&tc);
	cr_assert_eq(tunnel_cfg_init(&tc, "a", NULL, 0, "nc %h %p"), RC_EINVAL);
}

Test(tunnel, last_line_and_class)
{
	struct tunnel t = { .err_fd = -1 };
	char line[64];
	cr_assert(!tunnel_last_line(&t, line, sizeof line));
	const char *s = "Warning: added\r\nroot@h: Permission denied (publickey).\n\n  \n";
	memcpy(t.tail, s, strlen(s));
	t.tail_len = strlen(s);
	cr_assert(tunnel_last_line(&t, line, sizeof line));
	cr_assert_str_eq(line, "root@h: Permission denied (publickey).");
	cr_assert_eq(tunnel_classify(line), RC_EAUTH);
	s = "bad \x1b[31mred\x1b[0m \xc3\xa9\n";
	memcpy(t.tail, s, strlen(s));
	t.tail_len = strlen(s);
	cr_assert(tunnel_last_line(&t, line, sizeof line));
	cr_assert_str_eq(line, "bad ?[31mred?[0m ??");
	s = "channel 0: open failed: connect failed: Connection refused\nstdio forwarding failed\n";
	memcpy(t.tail, s, strlen(s));
	t.tail_len = strlen(s);
	cr_assert(tunnel_last_line(&t, line, sizeof line));
	cr_assert_str_eq(line, "stdio forwarding failed");
	cr_assert(tunnel_cause_line(&t, line, sizeof line));
	cr_assert_str_eq(line, "channel 0: open failed: connect failed: Connection refused");
	cr_assert_eq(tunnel_classify("Host key verification failed."), RC_EAUTH);
	cr_assert_eq(tunnel_classify("ssh: Could not resolve hostname x: Name"), RC_ECONNECT);
	cr_assert_eq(tunnel_classify("channel 0: open failed: connect failed: Connection refused"),
	    RC_ECONNECT);
	cr_assert_eq(tunnel_classify("Connection to h closed by remote host."), RC_ECLOSED);
}

/* Returns true when pid is a zombie (state Z in /proc/pid/stat). */
static bool is_zombie(pid_t pid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

/* Returns the monotonic clock in ms. */
static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reaps the pending children as SIGCHLD would, until none is left (a hang
 * only fails it); then pid (0: none) is neither running nor a zombie. */
static void reap_within(pid_t pid, int ms)
{
	long long until = now_ms() + ms;
	while (tunnel_reap_all(), tunnel_unreaped() && now_ms() < until)
		usleep(5000);
	cr_assert_eq(tunnel_unreaped(), 0, "children never reaped");
	if (pid) {
		cr_assert(!is_zombie(pid), "child %d left a zombie", (int)pid);
		cr_assert_eq(kill(pid, 0), -1, "child %d still there", (int)pid);
	}
}

Test(tunnel, child_on_socketpair)
{
	/* A descriptor the child must not inherit, even without O_CLOEXEC. */
	int leak[2];
	cr_assert_eq(pipe(leak), 0);
	char *argv[] = { "sh", "-c",
		"echo starting >&2; ls /proc/self/fd | wc -l; read x; echo \"got $x\"; "
		"echo 'last words' >&2; exec sleep 30", NULL };
	struct tunnel t;
	int fd = -1;
	char why[128];
	cr_assert_eq(tunnel_spawn(&t, argv, NULL, &fd, why, sizeof why), 0, "%s", why);
	cr_assert_gt(t.pid, 0);
	cr_assert_eq(write(fd, "hello\n", 6), 6);
	char buf[256] = "";
	size_t len = 0;
	while (!strstr(buf, "got hello") && len < sizeof buf - 1) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		cr_assert_gt(poll(&pfd, 1, 5000), 0, "child said: %s", buf);
		ssize_t n = read(fd, buf + len, sizeof buf - 1 - len);
		if (n < 0 && errno == EAGAIN)
			continue;
		cr_assert_gt(n, 0);
		len += (size_t)n;
		buf[len] = '\0';
	}
	/* ls sees 0, 1, 2 and its own directory descriptor: 4, not the pipe. */
	cr_assert_eq(atoi(buf), 4, "descriptors open in the child: %s", buf);
	char line[64] = "";
	for (int i = 0; i < 500 && !(tunnel_last_line(&t, line, sizeof line) &&
	    strcmp(line, "last words") == 0); i++) {
		usleep(10000);
		cr_assert_eq(tunnel_drain(&t), -1, "stderr ended while the child runs");
	}
	cr_assert_str_eq(line, "last words");
	pid_t pid = t.pid;
	close(fd);
	/* The close never waits: the child gets SIGTERM and is reaped later. */
	tunnel_close(&t, &t);
	cr_assert_eq(t.pid, 0);
	cr_assert_eq(t.err_fd, -1);
	reap_within(pid, 10000);
	close(leak[0]);
	close(leak[1]);
}

Test(tunnel, missing_program_says_so)
{
	char *argv[] = { "rconsole-no-such-program", NULL };
	struct tunnel t;
	int fd = -1;
	char why[128];
	cr_assert_eq(tunnel_spawn(&t, argv, NULL, &fd, why, sizeof why), 0, "%s", why);
	/* The child exits at once: its stderr ends (polled, as the loop would). */
	long long until = now_ms() + 5000;
	while (tunnel_drain(&t) < 0 && now_ms() < until)
		usleep(5000);
	cr_assert(t.err_eof, "stderr never ended");
	cr_assert_geq(t.err_fd, 0, "the pipe stays open until tunnel_close (a watch on it ends first)");
	char line[128];
	cr_assert(tunnel_last_line(&t, line, sizeof line));
	cr_assert_str_eq(line, "cannot run rconsole-no-such-program: command not found");
	cr_assert_eq(tunnel_classify(line), RC_ECONNECT);
	close(fd);
	tunnel_close(&t, &t);
	cr_assert_eq(t.err_fd, -1, "closed by tunnel_close");
	reap_within(0, 10000);
}

/* Starts a child that ignores SIGTERM and keeps running; waits until its
 * trap is set (it says so on the socket).  Returns its end of the socket. */
static int spawn_stubborn(struct tunnel *t)
{
	char *argv[] = { "sh", "-c", "trap '' TERM; echo ready; exec sleep 60", NULL };
	int fd = -1;
	char why[128];
	cr_assert_eq(tunnel_spawn(t, argv, NULL, &fd, why, sizeof why), 0, "%s", why);
	char buf[16] = "";
	struct pollfd pfd = { fd, POLLIN, 0 };
	cr_assert_gt(poll(&pfd, 1, 10000), 0, "the child never said ready");
	cr_assert_gt(read(fd, buf, sizeof buf - 1), 0);
	cr_assert_not_null(strstr(buf, "ready"));
	return fd;
}

Test(tunnel, a_child_ignoring_sigterm_is_killed_from_the_loop)
{
	rc_loop *loop = rc_loop_new();
	cr_assert_not_null(loop);
	cr_assert_eq(rc_loop_watch_signal(loop, SIGCHLD, tunnel_on_sigchld, NULL), 0);
	struct tunnel t;
	int fd = spawn_stubborn(&t);
	pid_t pid = t.pid;
	close(fd);
	/* As the connection does: the serial goes to a timer on the loop. */
	uint64_t serial = tunnel_close(&t, &t);
	cr_assert_neq(serial, 0);
	cr_assert(rc_loop_add_timer(loop, TUNNEL_KILL_AFTER_MS, tunnel_on_kill_timer,
	    (void *)(uintptr_t)serial));
	/* Not waited for: still running (it ignores SIGTERM), on the list. */
	cr_assert_eq(kill(pid, 0), 0, "child %d gone at once", (int)pid);
	cr_assert_eq(tunnel_unreaped(), 1);
	/* The loop's timer sends SIGKILL, its SIGCHLD reaps. */
	long long until = now_ms() + 10000;
	while (tunnel_unreaped() && now_ms() < until)
		rc_loop_run_once(loop, 100);
	cr_assert_eq(tunnel_unreaped(), 0, "child %d never reaped", (int)pid);
	cr_assert(!is_zombie(pid), "child %d left a zombie", (int)pid);
	cr_assert_eq(kill(pid, 0), -1, "child %d still there", (int)pid);
	rc_loop_free(loop);
}

Test(tunnel, without_a_loop_the_next_reap_kills_a_child_ignoring_sigterm)
{
	struct tunnel t;
	int fd = spawn_stubborn(&t);
	pid_t pid = t.pid;
	close(fd);
	cr_assert_neq(tunnel_close(&t, &t), 0);
	cr_assert_eq(kill(pid, 0), 0, "child %d gone at once", (int)pid);
	cr_assert_eq(tunnel_unreaped(), 1);
	/* Pending under the owner that closed it, and no other. */
	int other;
	cr_assert_eq(tunnel_pending_of(&t), 1);
	cr_assert_eq(tunnel_pending_of(&other), 0);
	cr_assert_eq(tunnel_pending_of(NULL), 0);
	/* Its SIGKILL is due a second after the close: the owner's time. */
	cr_assert_gt(tunnel_due_of(&t), 0);
	cr_assert_eq(tunnel_due_of(&other), 0);
	/* A freed owner's child stays on the list, owned by none. */
	tunnel_disown(&t);
	cr_assert_eq(tunnel_pending_of(&t), 0);
	cr_assert_eq(tunnel_due_of(&t), 0);
	cr_assert_eq(tunnel_unreaped(), 1);
	reap_within(pid, 10000);
}
