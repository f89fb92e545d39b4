/* tunnel-int.h: the child process that carries a tunneled connection
 * (`ssh -W host:port ...` or a proxy_command) on a socketpair.  Private to
 * the library: conn-io.c runs it instead of resolve + connect.
 *
 * The child's stdin and stdout are one end of an AF_UNIX stream socketpair;
 * the driver reads and writes the other end exactly like a TCP socket.  Its
 * stderr goes to a pipe the driver drains (the tail is kept: its last line
 * becomes the failure's cause).  Every other descriptor is closed in the
 * child.  Nothing here ever waits: the driver reads stderr when the loop
 * says it is ready.  The child is always reaped: on close one that has not
 * ended gets SIGTERM and goes on a list, under its owner (the connection
 * that closed it), that is reaped on SIGCHLD (tunnel_reap_all) and at the
 * next spawn or close; one still there a second later gets SIGKILL, from
 * a timer the driver puts on its rc_loop (or, driven through an adapter,
 * from the connection's own timer, armed for tunnel_due_of).  Once its
 * owner is freed (tunnel_disown) no timer of the caller's may be left to
 * it, so a reaper thread runs while disowned children are pending and
 * kills and reaps them on time.  No function here calls the loop, so the
 * file links without it. */
#ifndef RCONSOLE_TUNNEL_INT_H
#define RCONSOLE_TUNNEL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rconsole/loop.h"

/* Where the tunnel goes: copied from rc_conn_opts at rc_conn_new(). */
struct tunnel_cfg {
	char *ssh;            /* ssh destination, or NULL */
	char **ssh_options;   /* n_opts strings */
	size_t n_opts;
	char *proxy_command;  /* or NULL */
};

/* One running child. */
struct tunnel {
	pid_t pid;            /* 0: none */
	int err_fd;           /* read end of its stderr, -1: closed */
	bool err_eof;         /* err_fd is at EOF, kept open until tunnel_close
	                       * so that a watch on it ends before it closes */
	char tail[1024];      /* the last bytes of its stderr */
	size_t tail_len;
};

/* Copies the tunnel fields; returns 0, RC_EINVAL (both set) or RC_ENOMEM. */
int tunnel_cfg_init(struct tunnel_cfg *tc, const char *ssh, const char *const *opts,
    size_t n_opts, const char *proxy_command);
/* Frees what tunnel_cfg_init() copied. */
void tunnel_cfg_free(struct tunnel_cfg *tc);
/* Returns true when tc asks for a tunnel. */
bool tunnel_cfg_on(const struct tunnel_cfg *tc);

/* Builds the child's argv (NULL-terminated, malloc'd; free with
 * tunnel_argv_free).  Returns 0, or RC_EINVAL with a reason in why (bad
 * quoting, empty command) or RC_ENOMEM. */
int tunnel_argv(const struct tunnel_cfg *tc, const char *host, const char *port, char ***argv,
    char *why, size_t why_cap);
/* Splits cmd into words like OpenSSH's ProxyCommand when run without a
 * shell: blanks separate words, '...' and "..." quote (quotes removed, a
 * backslash escapes the next character outside single quotes); %h, %p and
 * %% are replaced in every word. */
int tunnel_split(const char *cmd, const char *host, const char *port, char ***argv, char *why,
    size_t why_cap);
void tunnel_argv_free(char **argv);

/* Starts argv[0] (PATH search) with stdio on a socketpair; *fd gets the
 * driver's end (non-blocking, close-on-exec).  The child's environment is
 * ours less every variable whose value is secret (the password, wherever
 * the admin keeps it: RCON_PASSWORD, a profile's password_env); NULL or ""
 * leaves it whole.  Returns 0, RC_EIO or RC_ENOMEM. */
int tunnel_spawn(struct tunnel *t, char *const *argv, const char *secret, int *fd, char *why,
    size_t why_cap);
/* Reads what the child wrote to stderr, never waiting.  Returns 0 once
 * it is at EOF (or closed), -1 while more may come.  The descriptor stays
 * open until tunnel_close: a watch on it is ended first. */
int tunnel_drain(struct tunnel *t);
/* Writes the last non-empty stderr line, sanitised (printable ASCII only),
 * into buf; returns false when there is none. */
bool tunnel_last_line(const struct tunnel *t, char *buf, size_t cap);
/* Writes the line that says best why the child gave up: the last one
 * tunnel_classify() knows, else the last non-empty one; false when none. */
bool tunnel_cause_line(const struct tunnel *t, char *buf, size_t cap);
/* Maps an ssh error line to RC_EAUTH (authentication or host key: not
 * retried), RC_ECONNECT (unreachable) or RC_ECLOSED. */
int tunnel_classify(const char *line);
/* How long a child sent SIGTERM has before SIGKILL; how long after
 * SIGKILL a reap looks for its end again (without SIGCHLD). */
enum { TUNNEL_KILL_AFTER_MS = 1000, TUNNEL_REAP_AGAIN_MS = 20 };
/* Ends the child without waiting: closes its stderr; reaped now (returns
 * 0), or sent SIGTERM and left pending under owner (not NULL): returns
 * its serial, for a timer of TUNNEL_KILL_AFTER_MS running
 * tunnel_on_kill_timer (else the first reap after that time sends
 * SIGKILL: see tunnel_due_of). */
uint64_t tunnel_close(struct tunnel *t, const void *owner);
/* rc_loop timer (arg: the serial tunnel_close returned): SIGKILL to that
 * child if it is still pending.  Harmless whatever became of it; never
 * needs deleting.  Returns RC_TIMER_DONE. */
int64_t tunnel_on_kill_timer(rc_loop *loop, void *arg);
/* Reaps every ended child still on the list (SIGCHLD handler). */
void tunnel_reap_all(void);
/* rc_loop SIGCHLD hook: tunnel_reap_all (for rc_loop_watch_signal). */
void tunnel_on_sigchld(rc_loop *loop, int signo, void *arg);
/* Returns how many children are not reaped yet (for the tests). */
size_t tunnel_unreaped(void);
/* Returns how many of owner's children are not reaped yet (a blocking
 * close waits for its own alone). */
size_t tunnel_pending_of(const void *owner);
/* Returns when (ms, rc_now_ms's clock) one of owner's children next needs
 * a tunnel_reap_all — its SIGKILL, or after it a look for its end every
 * TUNNEL_REAP_AGAIN_MS — or 0 when owner has none pending (for a driver
 * with no SIGCHLD and no rc_loop timer). */
int64_t tunnel_due_of(const void *owner);
/* Forgets owner (freed): its children stay on the list, and the reaper
 * thread (started here when it is not running) sends their SIGKILL on
 * time and reaps them; when it cannot start, the next tunnel_reap_all
 * after their time does, whoever calls it. */
void tunnel_disown(const void *owner);

#endif
