/* tunnel.c: the child process of a tunneled connection (tunnel-int.h):
 * its argv (`ssh -W` or a split proxy_command), fork + exec on a
 * socketpair with every other descriptor closed and no variable holding the
 * password in its environment, its stderr's tail, and
 * reaping.  No shell is ever involved. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "tunnel-int.h"

/* Children sent SIGTERM but not reaped yet (a process-wide list: SIGCHLD
 * is).  One still there TUNNEL_KILL_AFTER_MS later gets SIGKILL. */
struct tunnel_pending {
	pid_t pid;
	uint64_t serial;      /* names it to its kill timer */
	const void *owner;    /* what closed it (its connection), NULL: disowned */
	int64_t due;          /* ms: SIGKILL then, or after it a look for its end */
	bool killed;          /* SIGKILL sent */
};
static struct tunnel_pending *tunnel_pending;
static size_t tunnel_n_pending, tunnel_cap_pending;
static uint64_t tunnel_serial;
/* Guards the list: clients on separate threads share it (never taken in
 * a signal handler: SIGCHLD reaches it through the loop). */
static pthread_mutex_t tunnel_mu = PTHREAD_MUTEX_INITIALIZER;
/* The reaper: a thread that runs while a disowned child (its connection
 * freed) is pending, since no timer of the caller's may fire for it any
 * more; it sleeps on tunnel_cv (CLOCK_MONOTONIC) until the next due time,
 * and a newly disowned child wakes it. */
static pthread_cond_t tunnel_cv;
static pthread_once_t tunnel_cv_once = PTHREAD_ONCE_INIT;
static bool tunnel_cv_ok;       /* tunnel_cv could be made */
static bool tunnel_reaper_on;   /* the thread runs (under tunnel_mu) */

/* ssh's messages that mean "the user must act": never retried. */
static const char *const tunnel_auth_words[] = {
	"Permission denied", "Host key verification failed", "HOST IDENTIFICATION HAS CHANGED",
	"No more authentication methods", "Too many authentication failures", NULL
};
/* ssh's messages that mean the far end is unreachable. */
static const char *const tunnel_connect_words[] = {
	"Could not resolve hostname", "Connection refused", "No route to host",
	"Connection timed out", "Network is unreachable", "open failed", "cannot run ",
	NULL
};
/* ssh's last word after any of the above (too vague to be the cause when
 * a better line came before it). */
static const char *const tunnel_vague_words[] = { "stdio forwarding failed", NULL };

/* Returns a copy of s (NULL stays NULL); *ok goes false when out of memory. */
static char *tunnel_dup(const char *s, bool *ok)
{
	char *d = s ? strdup(s) : NULL;
	if (s && !d)
		*ok = false;
	return d;
}

/* Copies the tunnel fields of the options. */
int tunnel_cfg_init(struct tunnel_cfg *tc, const char *ssh, const char *const *opts,
    size_t n_opts, const char *proxy_command)
{
	memset(tc, 0, sizeof *tc);
	if (ssh && proxy_command)
		return RC_EINVAL;
	if (opts && !n_opts)
		while (opts[n_opts])
			n_opts++;
	if (!opts)
		n_opts = 0;
	bool ok = true;
	tc->ssh = tunnel_dup(ssh, &ok);
	tc->proxy_command = tunnel_dup(proxy_command, &ok);
	if (n_opts && (tc->ssh_options = calloc(n_opts, sizeof *tc->ssh_options)))
		for (size_t i = 0; i < n_opts; i++)
			tc->ssh_options[tc->n_opts++] = tunnel_dup(opts[i] ? opts[i] : "", &ok);
	else if (n_opts)
		ok = false;
	if (!ok) {
		tunnel_cfg_free(tc);
		return RC_ENOMEM;
	}
	return 0;
}

/* Frees what tunnel_cfg_init() copied. */
void tunnel_cfg_free(struct tunnel_cfg *tc)
{
	free(tc->ssh);
	free(tc->proxy_command);
	for (size_t i = 0; i < tc->n_opts; i++)
		free(tc->ssh_options[i]);
	free(tc->ssh_options);
	memset(tc, 0, sizeof *tc);
}

/* Returns true when tc asks for a tunnel. */
bool tunnel_cfg_on(const struct tunnel_cfg *tc)
{
	return tc->ssh || tc->proxy_command;
}

/* Frees a NULL-terminated argv. */
void tunnel_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* A growing byte buffer for one word. */
struct tunnel_word {
	char *s;
	size_t len, cap;
	bool ok;
};

/* Appends n bytes to w. */
static void tunnel_word_add(struct tunnel_word *w, const char *p, size_t n)
{
	if (!w->ok)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = (w->len + n + 1) * 2;
		char *s = realloc(w->s, cap);
		if (!s) {
			w->ok = false;
			return;
		}
		w->s = s;
		w->cap = cap;
	}
	memcpy(w->s + w->len, p, n);
	w->len += n;
	w->s[w->len] = '\0';
}

/* Appends a finished word to argv; returns false when out of memory. */
static bool tunnel_argv_push(char ***argv, size_t *n, char *word)
{
	char **a = realloc(*argv, (*n + 2) * sizeof *a);
	if (!a)
		return false;
	a[(*n)++] = word;
	a[*n] = NULL;
	*argv = a;
	return true;
}

/* Splits cmd into words (see tunnel-int.h), expanding %h, %p and %%. */
int tunnel_split(const char *cmd, const char *host, const char *port, char ***out, char *why,
    size_t why_cap)
{
	char **argv = NULL;
	size_t n = 0;
	const char *p = cmd ? cmd : "";
	int rc = 0;
	*out = NULL;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		struct tunnel_word w = { NULL, 0, 0, true };
		char quote = 0;
		tunnel_word_add(&w, "", 0);
		for (; *p && (quote || (*p != ' ' && *p != '\t')); p++) {
			if (quote && *p == quote) {
				quote = 0;
			} else if (!quote && (*p == '"' || *p == '\'')) {
				quote = *p;
			} else if (*p == '\\' && quote != '\'' && p[1]) {
				p++;
				tunnel_word_add(&w, p, 1);
			} else if (*p == '%') {
				const char *sub = p[1] == 'h' ? host : p[1] == 'p' ? port :
				    p[1] == '%' ? "%" : NULL;
				if (!sub) {
					snprintf(why, why_cap, "proxy_command: unknown %%%c (use %%h, %%p or %%%%)",
					    p[1] ? p[1] : ' ');
					free(w.s);
					rc = RC_EINVAL;
					goto out;
				}
				tunnel_word_add(&w, sub, strlen(sub));
				p++;
			} else {
				tunnel_word_add(&w, p, 1);
			}
		}
		if (quote) {
			snprintf(why, why_cap, "proxy_command: unterminated %c quote", quote);
			free(w.s);
			rc = RC_EINVAL;
			goto out;
		}
		if (!w.ok || !tunnel_argv_push(&argv, &n, w.s)) {
			free(w.s);
			snprintf(why, why_cap, "out of memory");
			rc = RC_ENOMEM;
			goto out;
		}
	}
	if (!n) {
		snprintf(why, why_cap, "proxy_command: empty command");
		rc = RC_EINVAL;
	}
out:
	if (rc < 0)
		tunnel_argv_free(argv);
	else
		*out = argv;
	return rc;
}

/* Builds the child's argv: the split proxy_command, or
 * ssh -W host:port -o BatchMode=yes [options...] -- destination. */
int tunnel_argv(const struct tunnel_cfg *tc, const char *host, const char *port, char ***out,
    char *why, size_t why_cap)
{
	if (tc->proxy_command)
		return tunnel_split(tc->proxy_command, host, port, out, why, why_cap);
	char target[300];
	snprintf(target, sizeof target, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, port);
	const char *head[] = { "ssh", "-W", target, "-o", "BatchMode=yes" };
	size_t nh = sizeof head / sizeof head[0];
	char **argv = calloc(nh + tc->n_opts + 3, sizeof *argv);
	size_t n = 0;
	bool ok = argv != NULL;
	for (size_t i = 0; ok && i < nh; i++)
		ok = (argv[n++] = strdup(head[i])) != NULL;
	for (size_t i = 0; ok && i < tc->n_opts; i++)
		ok = (argv[n++] = strdup(tc->ssh_options[i])) != NULL;
	if (ok)
		ok = (argv[n++] = strdup("--")) && (argv[n++] = strdup(tc->ssh));
	if (!ok) {
		tunnel_argv_free(argv);
		snprintf(why, why_cap, "out of memory");
		return RC_ENOMEM;
	}
	*out = argv;
	return 0;
}

/* Writes s to fd, in the child (async-signal-safe). */
static void tunnel_child_say(int fd, const char *s)
{
	ssize_t r = write(fd, s, strlen(s));
	(void)r;
}

/* Closes every descriptor from 3 up (close_range, else a loop). */
static void tunnel_child_closefrom(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < max; fd++)
		close(fd);
}

extern char **environ;

/* Returns our environment less the variables whose value is secret (see
 * tunnel_spawn), as a malloc'd array of environ's own strings; NULL when
 * out of memory.  Made before fork: the child of a threaded process may
 * call nothing that allocates. */
static char **tunnel_env(const char *secret)
{
	size_t n = 0, k = 0;
	while (environ && environ[n])
		n++;
	char **env = calloc(n + 1, sizeof *env);
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		if (secret && *secret && eq && strcmp(eq + 1, secret) == 0)
			continue;
		env[k++] = environ[i];
	}
	return env;
}

/* In the child: stdio on the socket and the pipe, nothing else open, no
 * terminal, default signals; then exec with env. */
static void tunnel_child(int sock, int err, char *const *argv, char *const *env)
{
	if (dup2(sock, 0) < 0 || dup2(sock, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	tunnel_child_closefrom();
	setsid();
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < 32; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	execvpe(argv[0], argv, env);
	int e = errno;
	tunnel_child_say(2, "cannot run ");
	tunnel_child_say(2, argv[0]);
	tunnel_child_say(2, e == ENOENT ? ": command not found\n" :
	    e == EACCES ? ": permission denied\n" : ": exec failed\n");
	_exit(127);
}

/* Starts the child on a socketpair. */
int tunnel_spawn(struct tunnel *t, char *const *argv, const char *secret, int *fd, char *why,
    size_t why_cap)
{
	tunnel_reap_all();
	t->pid = 0;
	t->err_fd = -1;
	t->err_eof = false;
	t->tail_len = 0;
	char **env = tunnel_env(secret);
	if (!env) {
		snprintf(why, why_cap, "out of memory");
		return RC_ENOMEM;
	}
	int sv[2], ep[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(why, why_cap, "socketpair: %s", strerror(errno));
		free(env);
		return RC_EIO;
	}
	if (pipe2(ep, O_CLOEXEC) < 0) {
		snprintf(why, why_cap, "pipe: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		free(env);
		return RC_EIO;
	}
	pid_t pid = fork();
	if (pid == 0)
		tunnel_child(sv[1], ep[1], argv, env);
	int e = errno;
	free(env);
	close(sv[1]);
	close(ep[1]);
	if (pid < 0) {
		close(sv[0]);
		close(ep[0]);
		snprintf(why, why_cap, "fork: %s", strerror(e));
		return RC_EIO;
	}
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	fcntl(ep[0], F_SETFL, fcntl(ep[0], F_GETFL) | O_NONBLOCK);
	t->pid = pid;
	t->err_fd = ep[0];
	*fd = sv[0];
	return 0;
}

/* Keeps the last bytes of the child's stderr. */
static void tunnel_keep(struct tunnel *t, const char *p, size_t n)
{
	size_t cap = sizeof t->tail;
	if (n >= cap) {
		memcpy(t->tail, p + n - cap, cap);
		t->tail_len = cap;
		return;
	}
	if (t->tail_len + n > cap) {
		size_t drop = t->tail_len + n - cap;
		memmove(t->tail, t->tail + drop, t->tail_len - drop);
		t->tail_len -= drop;
	}
	memcpy(t->tail + t->tail_len, p, n);
	t->tail_len += n;
}

/* Reads what the child's stderr holds, never waiting; notes EOF (or an
 * error other than "nothing yet") and leaves the closing to tunnel_close. */
int tunnel_drain(struct tunnel *t)
{
	while (t->err_fd >= 0 && !t->err_eof) {
		char buf[4096];
		ssize_t n = read(t->err_fd, buf, sizeof buf);
		if (n > 0) {
			tunnel_keep(t, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -1;
		t->err_eof = true;
	}
	return 0;
}

/* Writes the non-empty line that ends before *end in the stderr tail,
 * printable ASCII only, and moves *end to its start; false when none is. */
static bool tunnel_line_before(const struct tunnel *t, size_t *end, char *buf, size_t cap)
{
	for (;;) {
		size_t e = *end;
		while (e && (t->tail[e - 1] == '\n' || t->tail[e - 1] == '\r' ||
		    t->tail[e - 1] == ' ' || t->tail[e - 1] == '\t'))
			e--;
		if (!e)
			return false;
		size_t start = e;
		while (start && t->tail[start - 1] != '\n' && t->tail[start - 1] != '\r')
			start--;
		*end = start;
		size_t o = 0;
		bool any = false;
		for (size_t i = start; i < e && o + 1 < cap; i++) {
			unsigned char ch = (unsigned char)t->tail[i];
			buf[o] = ch >= 0x20 && ch < 0x7f ? (char)ch : ch == '\t' ? ' ' : '?';
			any = any || (buf[o] != ' ' && buf[o] != '?');
			o++;
		}
		if (cap)
			buf[o] = '\0';
		/* A line of only blanks and control bytes counts as empty. */
		if (any)
			return true;
	}
}

/* Writes the last non-empty line of the stderr tail, sanitised. */
bool tunnel_last_line(const struct tunnel *t, char *buf, size_t cap)
{
	size_t end = t->tail_len;
	return tunnel_line_before(t, &end, buf, cap);
}

/* Returns true when line holds one of words. */
static bool tunnel_has(const char *line, const char *const *words)
{
	for (size_t i = 0; words[i]; i++)
		if (strstr(line, words[i]))
			return true;
	return false;
}

/* Writes the line that says best why the child gave up: the last one that
 * names a known failure (ssh ends "Connection refused" with "stdio
 * forwarding failed"), else the last non-empty one. */
bool tunnel_cause_line(const struct tunnel *t, char *buf, size_t cap)
{
	size_t end = t->tail_len;
	char line[256];
	while (tunnel_line_before(t, &end, line, sizeof line))
		if (tunnel_has(line, tunnel_auth_words) || tunnel_has(line, tunnel_connect_words)) {
			snprintf(buf, cap, "%s", line);
			return true;
		}
	return tunnel_last_line(t, buf, cap);
}

/* Maps an ssh error line to an error code. */
int tunnel_classify(const char *line)
{
	if (tunnel_has(line, tunnel_auth_words))
		return RC_EAUTH;
	if (tunnel_has(line, tunnel_connect_words) || tunnel_has(line, tunnel_vague_words))
		return RC_ECONNECT;
	return RC_ECLOSED;
}

/* Reaps pid if it has ended; returns true when it is gone. */
static bool tunnel_reaped(pid_t pid)
{
	int st;
	pid_t r;
	do
		r = waitpid(pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	return r == pid || (r < 0 && errno == ECHILD);
}

/* Returns the monotonic time in ms (this file needs no loop to link). */
static int64_t tunnel_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sends sig to the child's process group (it called setsid, so a
 * proxy_command's own children go too), or to the child alone. */
static void tunnel_signal(pid_t pid, int sig)
{
	if (kill(-pid, sig) < 0)
		kill(pid, sig);
}

/* Makes the pending child named serial due for SIGKILL now; the reaper
 * then kills it, or drops it when it has ended meanwhile. */
int64_t tunnel_on_kill_timer(rc_loop *loop, void *arg)
{
	uint64_t serial = (uint64_t)(uintptr_t)arg;
	pthread_mutex_lock(&tunnel_mu);
	for (size_t i = 0; i < tunnel_n_pending; i++)
		if (tunnel_pending[i].serial == serial && !tunnel_pending[i].killed)
			tunnel_pending[i].due = 1;   /* long past */
	pthread_mutex_unlock(&tunnel_mu);
	tunnel_reap_all();
	return RC_TIMER_DONE;
}

/* Puts a child sent SIGTERM on the pending list under owner (the lock
 * held); returns its serial, or 0 after SIGKILL at once when the list
 * cannot grow. */
static uint64_t tunnel_pend(pid_t pid, const void *owner)
{
	if (tunnel_n_pending == tunnel_cap_pending) {
		size_t cap = tunnel_cap_pending ? tunnel_cap_pending * 2 : 8;
		struct tunnel_pending *v = realloc(tunnel_pending, cap * sizeof *v);
		if (!v) {
			tunnel_signal(pid, SIGKILL);
			return 0;
		}
		tunnel_pending = v;
		tunnel_cap_pending = cap;
	}
	struct tunnel_pending *p = &tunnel_pending[tunnel_n_pending++];
	p->pid = pid;
	p->serial = ++tunnel_serial;
	p->owner = owner;
	p->due = tunnel_now_ms() + TUNNEL_KILL_AFTER_MS;
	p->killed = false;
	return p->serial;
}

/* Ends the child without waiting for it: reaped now when it has ended,
 * else SIGTERM and the pending list (reaped on SIGCHLD, SIGKILL later). */
uint64_t tunnel_close(struct tunnel *t, const void *owner)
{
	uint64_t serial = 0;
	if (t->err_fd >= 0) {
		close(t->err_fd);
		t->err_fd = -1;
	}
	t->err_eof = false;
	if (t->pid > 0) {
		pid_t pid = t->pid;
		t->pid = 0;
		if (!tunnel_reaped(pid)) {
			tunnel_signal(pid, SIGTERM);
			pthread_mutex_lock(&tunnel_mu);
			serial = tunnel_pend(pid, owner);
			pthread_mutex_unlock(&tunnel_mu);
		}
	}
	tunnel_reap_all();
	return serial;
}

/* Reaps every ended child on the pending list (the lock held); one past
 * its time gets SIGKILL, and is looked at again TUNNEL_REAP_AGAIN_MS
 * later. */
static void tunnel_reap_locked(void)
{
	int64_t now = tunnel_n_pending ? tunnel_now_ms() : 0;
	for (size_t i = 0; i < tunnel_n_pending;) {
		struct tunnel_pending *p = &tunnel_pending[i];
		if (tunnel_reaped(p->pid)) {
			*p = tunnel_pending[--tunnel_n_pending];
			continue;
		}
		if (now >= p->due) {
			if (!p->killed)
				tunnel_signal(p->pid, SIGKILL);
			p->killed = true;
			p->due = now + TUNNEL_REAP_AGAIN_MS;
		}
		i++;
	}
	if (!tunnel_n_pending) {
		free(tunnel_pending);
		tunnel_pending = NULL;
		tunnel_cap_pending = 0;
	}
}

/* Reaps every ended child on the pending list; SIGKILL to those past
 * their time. */
void tunnel_reap_all(void)
{
	pthread_mutex_lock(&tunnel_mu);
	tunnel_reap_locked();
	pthread_mutex_unlock(&tunnel_mu);
}

/* rc_loop signal hook for SIGCHLD: reaps the tunnels' children that ended
 * (the loop-driven connections and sessions install it). */
void tunnel_on_sigchld(rc_loop *loop, int signo, void *arg)
{
	tunnel_reap_all();
}

/* Returns how many children are not reaped yet. */
size_t tunnel_unreaped(void)
{
	pthread_mutex_lock(&tunnel_mu);
	size_t n = tunnel_n_pending;
	pthread_mutex_unlock(&tunnel_mu);
	return n;
}

/* Returns how many of owner's children are not reaped yet. */
size_t tunnel_pending_of(const void *owner)
{
	size_t n = 0;
	pthread_mutex_lock(&tunnel_mu);
	for (size_t i = 0; owner && i < tunnel_n_pending; i++)
		n += tunnel_pending[i].owner == owner;
	pthread_mutex_unlock(&tunnel_mu);
	return n;
}

/* Returns the earliest due time (ms) of the children whose owner is
 * owner (NULL: the disowned ones), 0 when none is pending (the lock held). */
static int64_t tunnel_due_locked(const void *owner)
{
	int64_t due = 0;
	for (size_t i = 0; i < tunnel_n_pending; i++)
		if (tunnel_pending[i].owner == owner && (!due || tunnel_pending[i].due < due))
			due = tunnel_pending[i].due;
	return due;
}

/* Returns the earliest time (ms) one of owner's children needs a reap
 * call, 0 when none is pending. */
int64_t tunnel_due_of(const void *owner)
{
	if (!owner)
		return 0;
	pthread_mutex_lock(&tunnel_mu);
	int64_t due = tunnel_due_locked(owner);
	pthread_mutex_unlock(&tunnel_mu);
	return due;
}

/* Makes tunnel_cv wait on the monotonic clock (once). */
static void tunnel_cv_init(void)
{
	pthread_condattr_t a;
	if (pthread_condattr_init(&a) != 0)
		return;
	tunnel_cv_ok = pthread_condattr_setclock(&a, CLOCK_MONOTONIC) == 0 &&
	    pthread_cond_init(&tunnel_cv, &a) == 0;
	pthread_condattr_destroy(&a);
}

/* The reaper thread: until no disowned child is pending, sleeps to the
 * earliest one's due time, then reaps (which sends the SIGKILLs due). */
static void *tunnel_reaper(void *arg)
{
	pthread_mutex_lock(&tunnel_mu);
	for (;;) {
		int64_t due = tunnel_due_locked(NULL);
		if (!due)
			break;
		if (due > tunnel_now_ms()) {
			struct timespec ts = { (time_t)(due / 1000), (long)(due % 1000) * 1000000 };
			pthread_cond_timedwait(&tunnel_cv, &tunnel_mu, &ts);
			continue;
		}
		tunnel_reap_locked();
	}
	tunnel_reaper_on = false;
	pthread_mutex_unlock(&tunnel_mu);
	return NULL;
}

/* Makes sure the reaper runs (the lock held): wakes it, or starts it with
 * every signal blocked (the caller's handlers are not its business).
 * When it cannot start, the disowned children wait for the next reap. */
static void tunnel_reaper_wake(void)
{
	if (tunnel_reaper_on) {
		pthread_cond_signal(&tunnel_cv);
		return;
	}
	pthread_once(&tunnel_cv_once, tunnel_cv_init);
	if (!tunnel_cv_ok)
		return;
	pthread_attr_t attr;
	if (pthread_attr_init(&attr) != 0)
		return;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_t tid;
	tunnel_reaper_on = pthread_create(&tid, &attr, tunnel_reaper, NULL) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
}

/* Forgets owner: its children stay on the list, and the reaper thread
 * sees to their SIGKILL and reaping on time. */
void tunnel_disown(const void *owner)
{
	bool any = false;
	pthread_mutex_lock(&tunnel_mu);
	for (size_t i = 0; owner && i < tunnel_n_pending; i++)
		if (tunnel_pending[i].owner == owner) {
			tunnel_pending[i].owner = NULL;
			any = true;
		}
	if (any)
		tunnel_reaper_wake();
	pthread_mutex_unlock(&tunnel_mu);
}
