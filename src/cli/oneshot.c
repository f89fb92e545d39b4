/* oneshot.c: runs commands on one or more servers and exits (DESIGN.md §3).
 *
 * The running is the library's session (session.h): every target is one
 * server of it, so several servers run in parallel while each runs its
 * commands strictly in order, the next handed over only when the previous
 * one is answered (a failure stops that server's remaining commands), and
 * a reply's next command is written before this file prints and logs the
 * reply.  What is left here is options -> targets -> session -> output:
 * commands come from a cmdsource ("-c -" lines read from stdin inside the
 * loop as they arrive, the loop owning the fd), each is pushed to every
 * server, and stdin is read only while every server has fewer than a
 * window of commands queued, so memory stays flat for any amount of input.
 * --status and --players are the same runner with one list command and a
 * different way of printing the answer.  With one server a reply is
 * written as its fragments arrive (memory stays flat for any size); with
 * several, each reply is written whole so their lines never interleave.
 * stdout is buffered and flushed at the end of each reply and whenever the
 * loop is about to wait, so a reader of the pipe sees every reply as soon
 * as it is complete, in one write. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "app/app-audit.h"
#include "app/app-cleartext.h"
#include "cli/cmdsource.h"
#include "cli/json.h"
#include "cli/oneshot.h"
#include "cli/output.h"
#include "cli/target.h"
#include "lib/fdlimit.h"
#include "rconsole/rconsole.h"

/* The cause of what a run stopped because stdout failed ends with: its
 * audit record says reason="output lost", not "interrupted". */
#define ONESHOT_OUT_LOST "output lost"

enum run_kind { RUN_COMMANDS, RUN_STATUS, RUN_PLAYERS };

struct oneshot;

struct run {
	struct oneshot *os;
	cli_target *t;
	bool in_session;        /* a server of the session (server index: idx) */
	size_t idx;
	bool done;
	int code;               /* exit status for this server */
	bool answered;          /* RUN_STATUS / RUN_PLAYERS: the list came back */
	rc_mc_list list;
	int64_t rtt_us;
	char *failure;          /* why it ended badly, for --status */
	bool failure_vague;     /* failure is "connection lost": the end's cause replaces it */
	app_audit *audit;       /* RUN_COMMANDS: the server's audit log; NULL = off */
	time_t issued;          /* when the command in flight was handed over */
	int lost_err;           /* RC_ETIMEOUT / RC_ELOST of the last command, for the end */
	char lost_label[400];   /* that command, for messages */
	size_t lost_got;        /* bytes of its reply that had come */
	cli_out_stream out;     /* RUN_COMMANDS: the reply being written */
	bool streaming;         /* out has begun */
	char head[512];         /* a streamed reply's beginning, for its audit record */
	size_t head_len;
	bool print_cut;         /* the reply being written lost bytes: none of the rest goes */
	bool reply_cut;         /* a reply was cut for want of memory (the session stopped) */
	bool login_timeout;     /* the server took a TCP connection, the login got no
	                           answer in time (--status: still "down", with state_detail) */
};

struct oneshot {
	const cli_opts *o;
	enum run_kind kind;
	rc_loop *loop;
	rc_session *s;
	struct run **by_idx;    /* session server index -> run */
	cmdsource *src;         /* RUN_COMMANDS: the commands */
	uint64_t fed;           /* commands pushed to the servers so far */
	bool ended;             /* rc_session_end was called */
	bool feeding;           /* inside oneshot_feed */
	bool watching_stdin;
	int input_code;         /* exit status for stdin trouble (refused lines) */
	struct run *runs;
	size_t n_runs;
	bool tty;               /* stdout is a terminal (asked once, at the start) */
	bool color;
	bool prefix;
	bool interrupted;
	bool out_lost;          /* a write to stdout failed: the run was stopped */
	bool audit_told;        /* a refused audit directory was reported */
};

static void oneshot_feed(struct oneshot *os);
static bool oneshot_out_lost(struct oneshot *os, bool flush);

/* Returns the larger of two exit statuses, 130 (interrupted) above all. */
static int worse(int a, int b)
{
	if (a == 130 || b == 130)
		return 130;
	return a > b ? a : b;
}

/* Writes one fragment of a run's reply as it arrives, the way the options
 * ask (raw, coloured or plain): a long reply is never held whole.  The
 * bytes reach stdout at the reply's end or when the loop waits. */
static void print_fragment(struct run *r, const char *body, size_t len)
{
	struct oneshot *os = r->os;
	if (os->o->quiet || os->out_lost || r->print_cut)
		return;
	if (!r->streaming) {
		enum cli_out_mode mode = os->o->raw ? CLI_OUT_RAW :
		    os->color ? CLI_OUT_COLOR : CLI_OUT_PLAIN;
		if (cli_out_stream_begin(&r->out, stdout, os->prefix ? r->t->profile.name : NULL,
		    mode) < 0) {
			/* Not the rest of it either: it would read as the whole reply. */
			r->print_cut = true;
			cli_error(r->t->profile.name, "out of memory printing a reply: it is cut");
			r->code = worse(r->code, 1);
			return;
		}
		r->streaming = true;
	}
	cli_out_stream_feed(&r->out, body, len);
	if (oneshot_out_lost(os, false))
		rc_session_interrupt_cause(os->s, ONESHOT_OUT_LOST);   /* a session callback may */
}

/* Tells, once, that a write to stdout has failed (the reader of the pipe
 * is gone, the disk is full): flushing first when flush, else only when a
 * write of the last fragment failed.  The caller then stops the run as an
 * interrupt does — no more commands are sent for replies nobody can read —
 * and the exit status is at least 1. */
static bool oneshot_out_lost(struct oneshot *os, bool flush)
{
	if (os->out_lost || (!flush && !ferror(stdout)) || !cli_out_stdout_failed())
		return false;
	os->out_lost = true;
	return true;
}

/* Stops the run from a timer: the prepare hook must not (the loop would
 * then wait, with nothing left to wake it, before the session sees that it
 * is finished). */
static int64_t on_out_lost(rc_loop *loop, void *arg)
{
	struct oneshot *os = arg;
	rc_session_interrupt_cause(os->s, ONESHOT_OUT_LOST);
	return RC_TIMER_DONE;
}

/* Ends the reply being written and hands it to stdout in one write. */
static void print_reply_end(struct run *r)
{
	if (r->os->o->quiet || !r->streaming)
		return;
	bool failed = r->out.failed;
	cli_out_stream_end(&r->out);
	r->streaming = false;
	if (failed) {
		cli_error(r->t->profile.name, "out of memory printing a reply: it is cut");
		r->code = worse(r->code, 1);
	}
	if (oneshot_out_lost(r->os, true))
		rc_session_interrupt_cause(r->os->s, ONESHOT_OUT_LOST);   /* a session callback may */
}

/* Appends command cmd's audit record for a run (nothing when its audit is
 * off) and says once on stderr when writing began to fail. */
static void run_audit(struct run *r, const char *cmd, time_t when, enum app_audit_outcome out,
    const char *reason, const char *reply, size_t len, size_t size)
{
	if (!r->audit)
		return;
	app_audit_write_head(r->audit, when, APP_AUDIT_ONESHOT, cmd, out, reason, reply, len,
	    size);
	const char *why = app_audit_new_error(r->audit);
	if (why)
		cli_error(r->t->profile.name, "audit log not written: %s (later commands are tried "
		    "again)", why);
}

/* Marks a run finished. */
static void run_finish(struct run *r, int code, const char *why)
{
	if (r->done)
		return;
	r->done = true;
	r->code = worse(r->code, code);
	if (why && !r->failure)
		r->failure = strdup(why);
}

/* Writes cmd into buf[cap] for a message: at most 80 bytes, with any
 * control character made visible (stdin may carry anything). */
static const char *run_label(const char *cmd, char *buf, size_t cap)
{
	size_t len = strlen(cmd), n;
	char *safe = rc_text_sanitize(cmd, len > 80 ? 80 : len, "", &n);
	snprintf(buf, cap, "%s%s", safe ? safe : "?", len > 80 ? "..." : "");
	free(safe);
	return buf;
}

/* Reports why a run went wrong: on stderr, except in --status, which prints
 * the first reason on the server's line instead. */
static void run_report(struct run *r, const char *why)
{
	if (r->os->kind != RUN_STATUS)
		cli_error(r->t->profile.name, "%s", why);
	if (!r->failure || r->failure_vague) {
		/* --status shows one failure: "connection lost after 'list'"
		 * gives way to the cause the connection's end then says
		 * ("protocol error: packet length below 10"). */
		free(r->failure);
		r->failure = strdup(why);
		r->failure_vague = false;
	}
}

/* Tells whether more commands may still come from stdin. */
static bool run_more_coming(const struct run *r)
{
	return r->os->kind == RUN_COMMANDS && !cmdsource_complete(r->os->src);
}

/* Returns the -c commands of a run that will never be written: not_sent
 * (what the session never wrote) and those that arrived but were not
 * pushed yet. */
static size_t run_left(const struct run *r, size_t not_sent)
{
	if (r->os->kind != RUN_COMMANDS)
		return 0;
	return not_sent + (size_t)(cmdsource_count(r->os->src) - r->os->fed);
}

/* Appends "; N commands not sent" to why[cap] when any -c commands are left
 * and says so when stdin was not read to its end. */
static void run_note_left(const struct run *r, size_t not_sent, char *why, size_t cap)
{
	if (r->os->kind != RUN_COMMANDS)
		return;
	size_t left = run_left(r, not_sent);
	size_t n = strlen(why);
	if (left)
		snprintf(why + n, cap - n, "; %zu command%s not sent%s", left, left == 1 ? "" : "s",
		    run_more_coming(r) ? " (nor the rest of stdin)" : "");
	else if (run_more_coming(r))
		snprintf(why + n, cap - n, "; the rest of stdin not sent");
}

/* Returns the run of a session report. */
static struct run *run_of(struct oneshot *os, const rc_session_ev *ev)
{
	struct run *r = os->by_idx[ev->server];
	return r && !r->done ? r : NULL;
}

/* Session report: a command was handed to its connection. */
static void on_sent(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct run *r = run_of(arg, ev);
	if (r)
		r->issued = time(NULL);
}

/* Session report: a command was refused at its turn (read-only, length,
 * invalid text); the server goes on with the next one. */
static void on_refused(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct run *r = run_of(arg, ev);
	if (!r)
		return;
	int rc = ev->err;
	size_t line = (size_t)(uintptr_t)ev->tag;
	run_audit(r, ev->cmd, time(NULL), app_audit_refusal_of(rc), rc_strerror(rc), NULL, 0, 0);
	char why[512], label[400], where[48] = "";
	if (line)
		snprintf(where, sizeof where, "stdin line %zu: ", line);
	run_label(ev->cmd, label, sizeof label);
	if (rc == RC_EREADONLY)
		snprintf(why, sizeof why, "%srefused: '%s' is not allowed in read-only mode",
		    where, label);
	else if (rc == RC_ETOOLONG)
		snprintf(why, sizeof why, "%srefused: command of %zu bytes is longer than the %d "
		    "the server accepts", where, strlen(ev->cmd),
		    RC_DIALECT_BODY_MAX(r->t->conn.dialect));
	else if (rc == RC_EINVAL && line && strchr(ev->cmd, '\n')) {
		/* A stdin line holds no LF of its own: the source put one where a
		 * NUL byte was (a C string cannot hold it), so show that byte as
		 * the NUL it was, not as a line feed the input never had. */
		for (char *p = label; (p = strstr(p, "\xe2\x90\x8a")); p += 3)
			p[2] = '\x80';   /* U+240A -> U+2400 */
		snprintf(why, sizeof why, "%srefused: '%s': a command cannot hold a NUL byte",
		    where, label);
	} else if (rc == RC_EINVAL)
		snprintf(why, sizeof why, "%srefused: '%s': a command cannot be empty or hold "
		    "CR, LF or NUL", where, label);
	else
		snprintf(why, sizeof why, "%srefused: %s", where, rc_strerror(rc));
	run_report(r, why);
	r->code = worse(r->code, rc_exit_code(rc) ? rc_exit_code(rc) : 1);
}

/* Session report: one packet of the reply in flight (one server only:
 * only -c replies stream, the list of --status and --players is parsed
 * whole). */
static void on_fragment(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct run *r = run_of(arg, ev);
	if (!r || r->os->kind != RUN_COMMANDS)
		return;
	size_t keep = sizeof r->head - r->head_len;
	keep = ev->len < keep ? ev->len : keep;
	memcpy(r->head + r->head_len, ev->body, keep);
	r->head_len += keep;
	print_fragment(r, ev->body, ev->len);
}

/* Handles the answer to the list command of --status / --players. */
static void run_list_reply(struct run *r, const rc_session_ev *ev)
{
	r->rtt_us = ev->rtt_us;
	rc_mc_list_clear(&r->list);
	if (rc_mc_list_parse(ev->body, ev->len, &r->list) == 0)
		r->answered = true;
	run_finish(r, 0, NULL);
}

/* Handles a command that ended without an answer. */
static void run_on_failed(struct run *r, const rc_session_ev *ev)
{
	char why[512], cmd[400];
	run_label(ev->cmd, cmd, sizeof cmd);
	switch (ev->err) {
	case RC_ENOTSENT:
		/* Counted; the connection's end reports it with the others. */
		return;
	case RC_ELOST:
		r->lost_err = RC_ELOST;
		r->lost_got = ev->bytes;
		snprintf(r->lost_label, sizeof r->lost_label, "%s", cmd);
		if (r->os->interrupted || r->os->out_lost)
			return;   /* the end says "interrupted: outcome of ... unknown" */
		if (ev->bytes)
			/* Part of it came (and was printed): it is not the whole reply. */
			snprintf(why, sizeof why, "outcome unknown: connection lost after '%s' was "
			    "sent; its reply%s is cut after %zu bytes", cmd,
			    r->os->o->quiet ? "" : " above", ev->bytes);
		else
			snprintf(why, sizeof why, "outcome unknown: connection lost after '%s' was "
			    "sent", cmd);
		break;
	case RC_ENOMEM:
		/* Answered, but memory ran out before all of the reply came
		 * through: what was printed is only its beginning, and the
		 * session sends this server nothing more (its end says what). */
		r->reply_cut = true;
		if (ev->bytes)
			snprintf(why, sizeof why, "'%s': out of memory: the reply was cut after %zu "
			    "bytes", cmd, ev->bytes);
		else
			/* Held whole (several servers), so none of it went out:
			 * "cut after 0 bytes" read as an empty reply. */
			snprintf(why, sizeof why, "'%s': out of memory: the reply could not be held, "
			    "none of it is shown", cmd);
		break;
	case RC_ETIMEOUT:
		/* Said when the connection's end is known, with what was not sent. */
		r->lost_err = RC_ETIMEOUT;
		r->lost_got = ev->bytes;
		snprintf(r->lost_label, sizeof r->lost_label, "%s", cmd);
		r->code = worse(r->code, 1);
		return;
	default:
		snprintf(why, sizeof why, "'%s': %s", cmd, rc_strerror(ev->err));
		break;
	}
	bool first = !r->failure;
	run_report(r, why);
	/* The connection's end, said next, names why it was lost. */
	r->failure_vague = first && ev->err == RC_ELOST && r->os->kind != RUN_COMMANDS;
	r->code = worse(r->code, 1);
}

/* Session report: a command's outcome — its reply, or why it has none. */
static void on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct oneshot *os = arg;
	struct run *r = run_of(os, ev);
	if (!r)
		return;
	if (os->kind == RUN_COMMANDS && ev->handed) {
		/* A streamed reply's body is empty here: its head was kept as the
		 * fragments went by. */
		bool whole = ev->len > 0 || ev->bytes == 0;
		run_audit(r, ev->cmd, r->issued, app_audit_outcome_of(ev->err),
		    ev->err ? (ev->cause ? ev->cause : rc_strerror(ev->err)) : NULL,
		    ev->err ? NULL : whole ? ev->body : r->head,
		    ev->err ? 0 : whole ? ev->len : r->head_len,
		    ev->err ? 0 : ev->bytes);
	} else if (os->kind == RUN_COMMANDS && ev->err == RC_ENOTSENT) {
		/* Never written (the connection failed before its turn, or a
		 * signal or lost output stopped the run first): the attempt is
		 * recorded, as the console records a command typed while its
		 * server is down. */
		run_audit(r, ev->cmd, time(NULL), APP_AUDIT_NOT_SENT,
		    ev->cause ? ev->cause : rc_strerror(ev->err), NULL, 0, 0);
	}
	r->head_len = 0;
	bool print_cut = r->print_cut;   /* this reply's printing failed (said) */
	r->print_cut = false;
	/* "outcome known": the command's reply is whole, or it failed. */
	if (ev->err != 0) {
		if (r->streaming)
			print_reply_end(r);   /* what came of it is out: end its line */
		if (ev->handed)
			run_on_failed(r, ev);
	} else if (os->kind == RUN_COMMANDS) {
		if (!r->streaming && !print_cut)
			print_fragment(r, ev->body, ev->len);   /* not streamed: whole */
		print_reply_end(r);
	} else {
		run_list_reply(r, ev);
	}
	if (os->src && rc_session_queued(s, ev->server) <= CMDSOURCE_WINDOW / 2)
		oneshot_feed(os);
}

/* Session report: a server's connection ended — the server stopping after
 * `stop`, a failure (connect, auth, protocol, lost connection, timeout) or
 * the interrupt. */
static void on_down(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct run *r = run_of(arg, ev);
	if (!r)
		return;
	char why[640];   /* a 400-byte label and the words around it */
	bool intr = r->os->interrupted;
	if ((intr || r->os->out_lost) && ev->err == RC_ECANCELED) {
		const char *what = intr ? "interrupted" : "stopped, replies cannot be written";
		if (r->lost_err == RC_ELOST)
			snprintf(why, sizeof why, "%s: outcome of '%s' unknown", what, r->lost_label);
		else
			snprintf(why, sizeof why, "%s", what);
		run_note_left(r, ev->not_sent, why, sizeof why);
		run_report(r, why);
		run_finish(r, intr ? 130 : 1, NULL);
		return;
	}
	if (r->lost_err == RC_ETIMEOUT) {
		char dur[24];
		rc_timeout_text(dur, sizeof dur, r->t->conn.command_timeout_ms);
		if (r->lost_got)
			/* Not "no answer": part of one came, then nothing more. */
			snprintf(why, sizeof why, "outcome unknown: the reply to '%s' stopped after "
			    "%zu bytes%s: nothing more came within %s", r->lost_label,
			    r->lost_got, r->os->o->quiet ? "" : " (above)", dur);
		else
			snprintf(why, sizeof why, "no answer to '%s' within %s: outcome unknown",
			    r->lost_label, dur);
		run_note_left(r, ev->not_sent, why, sizeof why);
		run_report(r, why);
		run_finish(r, 1, NULL);
		return;
	}
	if (r->reply_cut && ev->err == RC_ENOMEM) {
		/* Stopped because a reply was cut: exit 1, as for replies that
		 * cannot be written, not 5 (the connection was fine). */
		snprintf(why, sizeof why, "stopped after a reply was cut for want of memory");
		run_note_left(r, ev->not_sent, why, sizeof why);
		run_report(r, why);
		run_finish(r, 1, NULL);
		return;
	}
	if (ev->state == RC_STATE_AUTH_FAILED) {
		snprintf(why, sizeof why, "authentication failed (%s)",
		    ev->cause ? ev->cause : "wrong password");
		run_note_left(r, ev->not_sent, why, sizeof why);   /* as for every other end */
		run_report(r, why);
		run_finish(r, 4, NULL);
		return;
	}
	if (ev->err == RC_ESTOPPED) {
		/* Not an error when `stop` was the last command. */
		snprintf(why, sizeof why, "server stopped");
		run_note_left(r, ev->not_sent, why, sizeof why);
		size_t left = run_left(r, ev->not_sent);
		if (left)
			run_report(r, why);
		run_finish(r, left ? 5 : 0, NULL);
		return;
	}
	snprintf(why, sizeof why, "%s%s%s", rc_strerror(ev->err), ev->cause ? ": " : "",
	    ev->cause ? ev->cause : "");
	run_note_left(r, ev->not_sent, why, sizeof why);
	run_report(r, why);
	/* Through ssh or a proxy command the stream is up as soon as it runs
	 * and the login's wait covers the tunnel's own setup: no sign there
	 * that the server took a connection. */
	r->login_timeout = ev->err == RC_ETIMEOUT && ev->from == RC_STATE_AUTHENTICATING &&
	    !r->t->conn.ssh && !r->t->conn.proxy_command;
	run_finish(r, ev->err ? rc_exit_code(ev->err) : 5, NULL);
}

/* Session report: a server answered all its commands. */
static void on_finished(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct run *r = run_of(arg, ev);
	if (r)
		run_finish(r, 0, NULL);
}

/* Stops everything on SIGINT, SIGTERM or SIGHUP (exit 130); what it ends
 * is recorded with the signal's name (the audit log's reason). */
static void on_interrupt(rc_loop *loop, int signo, void *arg)
{
	struct oneshot *os = arg;
	if (os->interrupted)
		return;
	os->interrupted = true;
	rc_session_interrupt_cause(os->s, signo == SIGHUP ? "interrupted by SIGHUP" :
	    signo == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGINT");
}

/* Writes what stdout holds before the loop waits (a streamed reply's
 * fragments so far): one write per pass at most. */
static void on_prepare(rc_loop *loop, void *arg)
{
	if (oneshot_out_lost(arg, true))
		rc_loop_add_timer(loop, 0, on_out_lost, arg);
}

/* Prints a stdin line the command source refused (exit 1 at the end). */
static void on_refused_line(void *arg, size_t line, const char *why)
{
	struct oneshot *os = arg;
	cli_error(NULL, "stdin line %zu: refused: %s", line, why);
	os->input_code = worse(os->input_code, 1);
}

static void on_stdin(rc_loop *loop, int fd, int revents, void *arg);

/* Watches stdin exactly while the command source wants bytes. */
static void oneshot_watch_stdin(struct oneshot *os)
{
	bool want = os->src && !os->ended && cmdsource_wants_input(os->src);
	if (want && !os->watching_stdin)
		os->watching_stdin = rc_loop_add_fd(os->loop, STDIN_FILENO, POLLIN, on_stdin, os) == 0;
	else if (!want && os->watching_stdin) {
		rc_loop_del_fd(os->loop, STDIN_FILENO);
		os->watching_stdin = false;
	}
}

/* Returns the most commands any unfinished server has queued. */
static size_t oneshot_most_queued(const struct oneshot *os)
{
	size_t most = 0;
	for (size_t i = 0; i < os->n_runs; i++) {
		const struct run *r = &os->runs[i];
		if (r->in_session && !r->done) {
			size_t q = rc_session_queued(os->s, r->idx);
			if (q > most)
				most = q;
		}
	}
	return most;
}

/* Pushes the commands that have arrived to every unfinished server while
 * none has a window of them queued, lets the source drop them, says "no
 * more commands" once stdin is over, and watches stdin while more may
 * come and there is room.  Not re-entered from the reports it causes. */
static void oneshot_feed(struct oneshot *os)
{
	if (!os->src || os->feeding || os->ended || os->out_lost)
		return;   /* out_lost: the servers are stopping, nothing more goes */
	os->feeding = true;
	/* Counted once, then one more per push: a push adds at most one to a
	 * server's queue (it may go out at once), so this never undercounts. */
	size_t most = oneshot_most_queued(os);
	for (;;) {
		const char *text;
		size_t line;
		if (most >= CMDSOURCE_WINDOW ||
		    cmdsource_get(os->src, os->fed, &text, &line) != CMDSOURCE_OK)
			break;
		for (size_t i = 0; i < os->n_runs; i++) {
			struct run *r = &os->runs[i];
			if (r->in_session && !r->done)
				(void)rc_session_push(os->s, r->idx, text, (void *)(uintptr_t)line, NULL);
		}
		most++;
		os->fed++;
		cmdsource_release(os->src, os->fed);
	}
	if (!os->ended && cmdsource_complete(os->src) && os->fed == cmdsource_count(os->src)) {
		os->ended = true;
		rc_session_end(os->s);
	}
	oneshot_watch_stdin(os);
	os->feeding = false;
}

/* Reads what stdin has (poll() said it is readable) and feeds the servers. */
static void on_stdin(rc_loop *loop, int fd, int revents, void *arg)
{
	struct oneshot *os = arg;
	(void)loop;
	(void)revents;
	if (cmdsource_read(os->src, fd) < 0) {
		cli_error(NULL, "cannot read commands from stdin: %s", strerror(errno));
		os->input_code = worse(os->input_code, 2);
		cmdsource_end(os->src);
	}
	oneshot_feed(os);
}

/* Creates the command source of a -c run; the longest line it takes is the
 * longest command any target's dialect accepts. */
static int oneshot_source(const cli_opts *o, struct oneshot *os, const cli_targets *ts)
{
	size_t max = RC_MC_BODY_MAX;
	for (size_t i = 0; i < ts->n; i++)
		if (RC_DIALECT_BODY_MAX(ts->t[i].conn.dialect) > max)
			max = RC_DIALECT_BODY_MAX(ts->t[i].conn.dialect);
	os->src = cmdsource_new(o->commands, o->n_commands, max,
	    o->raw_input ? CMDSOURCE_RAW_INPUT : 0, on_refused_line, os);
	return os->src ? 0 : 5;
}

/* Descriptors a -c run keeps beyond its servers' (the loop's, stdio's
 * are counted as they are): room for a passing one, such as the
 * resolver's /etc/hosts. */
#define ONESHOT_FD_SPARE 4
/* Up to this many descriptors needed, room is tried (fdlimit_room) before
 * anything is counted. */
#define ONESHOT_FD_TRY_MAX 4096

/* Returns the descriptors one target of a -c run may hold at once: its
 * connection's (fdlimit_conn) and its audit log when audited. */
static size_t oneshot_target_fds(const cli_targets *ts, const cli_target *t)
{
	return fdlimit_conn(t->conn.host, t->conn.ssh || t->conn.proxy_command) +
	    app_audit_enabled(ts->cfg, &t->profile, NULL);
}

/* Raises the soft descriptor limit for the targets of a run and, for -c,
 * checks before anything is sent that the limit covers every target's
 * socket, audit log and look-up: past the hard limit, sockets or audit
 * logs would fail with EMFILE half way, commands going out unrecorded.
 * Returns 0, or 2 after saying what the run needs and the `ulimit -n` to
 * give it (nothing was sent). */
static int oneshot_fd_check(struct oneshot *os, const cli_targets *ts)
{
	/* What the console asks for too: a low soft limit (ulimit -S -n)
	 * costs nothing while the hard limit allows more. */
	size_t want = 3 * ts->n + 64;
	if (os->kind != RUN_COMMANDS) {
		fdlimit_raise(want);
		return 0;
	}
	size_t need = ONESHOT_FD_SPARE, servers = 0;
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->t[i].error)
			continue;
		need += oneshot_target_fds(ts, &ts->t[i]);
		servers++;
	}
	size_t limit = fdlimit_raise(want > need + 64 ? want : need + 64);
	/* (0: the limit is unknown, nothing to judge by.)  Whatever the parent
	 * left open counts too: a limit with room for the servers alone may
	 * have none left.  Trying for the room is cheapest; only without it is
	 * what is open counted, for the message. */
	if (limit == 0 || (need <= ONESHOT_FD_TRY_MAX && fdlimit_room(need) == 1))
		return 0;
	size_t open_now = fdlimit_in_use(limit);
	need += open_now;
	if (limit >= need)
		return 0;
	size_t hard = fdlimit_hard();
	cli_error(NULL, "%zu server%s need%s up to %zu open files (a socket each, its audit log "
	    "and a name look-up, with the %zu open already) but the descriptor limit is %zu "
	    "(hard limit %zu): nothing was sent; raise it first, e.g. `ulimit -n %zu`", servers,
	    servers == 1 ? "" : "s", servers == 1 ? "s" : "", need, open_now, limit, hard, need);
	return 2;
}

/* Opens an audited run's log before its first command (kept open: one
 * write() per record).  Returns false when the run must not start: out
 * of descriptors, its commands could go out with no record, so it is
 * reported not sent; any other failure is the audit log's usual one (said
 * now, and each record tried again). */
static bool run_audit_open(struct run *r)
{
	int e = 0;
	if (!r->audit || app_audit_open(r->audit, &e) == 0)
		return true;
	const char *why = app_audit_new_error(r->audit);
	if (e == EMFILE || e == ENFILE) {
		char msg[900];
		snprintf(msg, sizeof msg, "not sent: the audit log cannot be opened: %s; raise the "
		    "descriptor limit (ulimit -n)", why ? why : strerror(e));
		run_report(r, msg);
		run_finish(r, 2, NULL);
		return false;
	}
	if (why)
		cli_error(r->t->profile.name, "audit log not written: %s (later commands are tried "
		    "again)", why);
	return true;
}

/* Creates the loop and the session and adds every target as a server. */
static int oneshot_start(struct oneshot *os, cli_targets *ts)
{
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.sent = on_sent;
	cbs.refused = on_refused;
	cbs.fragment = on_fragment;
	cbs.outcome = on_outcome;
	cbs.down = on_down;
	cbs.finished = on_finished;
	os->loop = rc_loop_new();
	os->runs = calloc(ts->n ? ts->n : 1, sizeof *os->runs);
	os->by_idx = calloc(ts->n ? ts->n : 1, sizeof *os->by_idx);
	if (!os->loop || !os->runs || !os->by_idx || !(os->s = rc_session_new(os->loop, &cbs, os)))
		return 5;
	os->n_runs = ts->n;
	rc_loop_watch_signal(os->loop, SIGINT, on_interrupt, os);
	rc_loop_watch_signal(os->loop, SIGTERM, on_interrupt, os);
	rc_loop_watch_signal(os->loop, SIGHUP, on_interrupt, os);   /* the SSH session closed */
	rc_loop_set_prepare(os->loop, on_prepare, os);
	signal(SIGPIPE, SIG_IGN);
	/* A socket, an audit log kept open and a name look-up's wake-up pipe
	 * per server: --all on many profiles must not lose connections or
	 * audit records to EMFILE, under a low soft limit (raised) or a low
	 * hard one (refused before anything is sent). */
	int frc = oneshot_fd_check(os, ts);
	if (frc)
		return frc;
	for (size_t i = 0; i < ts->n; i++) {
		struct run *r = &os->runs[i];
		r->os = os;
		r->t = &ts->t[i];
		if (r->t->error) {
			run_report(r, r->t->error);
			run_finish(r, 2, r->t->error);
			continue;
		}
		size_t max = 0;
		char why[700];
		if (os->kind == RUN_COMMANDS && app_audit_enabled(ts->cfg, &r->t->profile, &max) &&
		    !(r->audit = app_audit_new(NULL, r->t->profile.name, max, why, sizeof why)) &&
		    !os->audit_told) {
			os->audit_told = true;
			cli_error(NULL, "audit log off: %s", why);
		}
		if (!run_audit_open(r))
			continue;
		/* One server: its replies stream as they arrive.  Several: each
		 * reply is written whole, so that one server's lines never cut into
		 * another's. */
		r->t->conn.stream = os->kind == RUN_COMMANDS && ts->n == 1;
		/* The index it will get: its reports may come inside the add. */
		size_t idx = rc_session_count(os->s);
		os->by_idx[idx] = r;
		r->idx = idx;
		r->in_session = true;
		int rc = rc_session_add(os->s, &r->t->conn, NULL);
		cli_target_wipe_password(r->t);   /* the connection has its own copy */
		if (rc < 0) {
			r->in_session = false;
			os->by_idx[idx] = NULL;
			app_conn_refusal(rc, r->t->conn.dialect, r->t->conn.host, why, sizeof why);
			run_report(r, why);
			run_finish(r, 2, why);
		}
	}
	return 0;
}

/* Connects every target, runs the loop until each is done; returns status. */
static int oneshot_execute(struct oneshot *os, cli_targets *ts)
{
	int rc = oneshot_start(os, ts);
	if (rc)
		return rc;
	if (os->src) {
		oneshot_feed(os);
	} else {
		/* --status / --players: the profile's list command, once each. */
		for (size_t i = 0; i < os->n_runs; i++) {
			struct run *r = &os->runs[i];
			if (r->in_session && !r->done)
				(void)rc_session_push(os->s, r->idx, r->t->profile.list_command ?
				    r->t->profile.list_command : "list", NULL, NULL);
		}
		os->ended = true;
		rc_session_end(os->s);
	}
	rc_session_run(os->s);
	if (os->watching_stdin)
		rc_loop_del_fd(os->loop, STDIN_FILENO);
	os->watching_stdin = false;
	oneshot_out_lost(os, true);
	int code = os->out_lost ? 1 : 0;
	for (size_t i = 0; i < os->n_runs; i++)
		code = worse(code, os->runs[i].code);
	return os->interrupted ? 130 : worse(code, os->input_code);
}

/* Frees the runs, the session and the loop. */
static void oneshot_cleanup(struct oneshot *os)
{
	for (size_t i = 0; i < os->n_runs; i++) {
		if (os->runs[i].streaming)
			cli_out_stream_end(&os->runs[i].out);   /* interrupted mid-reply */
		app_audit_free(os->runs[i].audit);
		rc_mc_list_clear(&os->runs[i].list);
		free(os->runs[i].failure);
	}
	rc_session_free(os->s);
	free(os->runs);
	free(os->by_idx);
	rc_loop_free(os->loop);
	cmdsource_free(os->src);
}

/* Prepares targets and passwords for a run; returns 0 or an exit status.
 * --status (all_if_none) reports a profile without a usable password on its
 * own line and still checks the others. */
static int oneshot_prepare(const cli_opts *o, bool all_if_none, cli_targets *ts)
{
	int rc = cli_targets_build(o, all_if_none, ts);
	if (!rc)
		rc = cli_targets_passwords(o, ts, all_if_none);
	if (!rc)
		cli_targets_conn_opts(o, ts, false);
	return rc;
}

/* Asks once whether stdout is a terminal (an ioctl each time) and gives
 * stdout its buffer accordingly, before anything is written to it. */
static bool oneshot_stdout(struct oneshot *os)
{
	os->tty = isatty(STDOUT_FILENO);
	cli_out_stdout(os->tty);
	return os->tty;
}

/* Tells whether path is the file stdin reads (/dev/stdin, a FIFO given
 * twice): the password reader would take commands with its buffered read,
 * and -c - would then find nothing and run nothing, with exit 0. */
static bool oneshot_is_stdin(const char *path)
{
	struct stat a, b;
	return path && stat(path, &a) == 0 && fstat(STDIN_FILENO, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Runs -c commands on every target. */
int oneshot_run(const cli_opts *o)
{
	struct oneshot os = { .o = o, .kind = RUN_COMMANDS };
	cli_targets ts = { 0 };
	bool tty = oneshot_stdout(&os);
	const char *raw_no = cli_out_raw_refusal(o->raw, o->raw_force, o->quiet, tty);
	if (raw_no) {
		cli_error(NULL, "%s", raw_no);
		return 2;
	}
	/* A closed stdin would be reused by the first fd opened (the loop's
	 * own pipe, a socket): say so before anything is opened. */
	for (size_t i = 0; i < o->n_commands; i++) {
		if (strcmp(o->commands[i], "-"))
			continue;
		if (fcntl(STDIN_FILENO, F_GETFD) < 0) {
			cli_error(NULL, "cannot read commands from stdin: %s", strerror(errno));
			return 2;
		}
		if (!o->password && oneshot_is_stdin(o->password_file)) {
			cli_error(NULL, "the password file %s is standard input, which -c - reads "
			    "commands from: give the password another way (a file, <(...), "
			    "RCON_PASSWORD)", o->password_file);
			return 2;
		}
	}
	int rc = oneshot_prepare(o, false, &ts);
	if (!rc)
		rc = oneshot_source(o, &os, &ts);
	if (!rc) {
		os.color = o->color == CLI_COLOR_ALWAYS ||
		    (o->color == CLI_COLOR_AUTO && tty && !getenv("NO_COLOR"));
		os.prefix = ts.n > 1;
		rc = oneshot_execute(&os, &ts);
	}
	oneshot_cleanup(&os);
	cli_targets_free(&ts);
	return rc;
}

/* Returns the one-word state --status prints for a finished run: the
 * words scripts key on, one per exit status. */
static const char *status_word(const struct run *r)
{
	if (r->answered)
		return "up";
	switch (r->code) {
	case 4: return "auth-failed";
	case 3: return "down";
	case 2: return "config-error";
	case 130: return "interrupted";
	default: return "error";
	}
}

/* Returns the finer word for a run's state, or NULL when there is none:
 * "login-timeout" for a server that is down although it took the
 * connection (the login got no answer in time: a server starting or
 * stuck, or not an RCON port), which sends the admin elsewhere than a
 * refusal does.  It stays out of the state word, "down" as before, so a
 * script that tests for "down" keeps working. */
static const char *status_detail(const struct run *r)
{
	if (!r->answered && r->code == 3 && r->login_timeout)
		return "login-timeout";
	return NULL;
}

/* Returns true when a run's list reply came back in a shape it parsed. */
static bool run_parsed(const struct run *r)
{
	return r->answered && r->list.format != RC_MC_LIST_UNPARSED;
}

/* Returns why a run has no usable list, or NULL when it has one. */
static const char *run_problem(const struct run *r)
{
	if (!r->answered)
		return r->failure ? r->failure : "no answer";
	if (r->os->kind == RUN_PLAYERS && !run_parsed(r))
		return "the list reply has a shape rconsole does not know";
	return NULL;
}

/* Writes the --json document of --status and --players: {"servers": [...]}
 * with, for each server, name, state, state_detail, players, max, rtt_ms,
 * read_only, error and names (null where unknown). */
static void print_json(const struct oneshot *os)
{
	json_w j;
	json_init(&j, stdout);
	json_object_begin(&j);
	json_key(&j, "servers");
	json_array_begin(&j);
	for (size_t i = 0; i < os->n_runs; i++) {
		const struct run *r = &os->runs[i];
		bool parsed = run_parsed(r);
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, r->t->profile.name);
		json_key(&j, "state");
		json_string(&j, status_word(r));
		json_key(&j, "state_detail");
		json_string(&j, status_detail(r));
		json_key(&j, "players");
		if (parsed)
			json_int(&j, r->list.count);
		else
			json_null(&j);
		json_key(&j, "max");
		if (parsed && r->list.max >= 0)
			json_int(&j, r->list.max);
		else
			json_null(&j);
		json_key(&j, "rtt_ms");
		if (r->answered)
			json_fixed3(&j, (long long)r->rtt_us);
		else
			json_null(&j);
		json_key(&j, "read_only");
		json_bool(&j, r->t->profile.read_only || os->o->read_only);
		json_key(&j, "error");
		json_string(&j, run_problem(r));
		char *warn = app_cleartext_warning(&r->t->profile);
		json_key(&j, "cleartext_warning");
		json_string(&j, warn);
		free(warn);
		json_key(&j, "names");
		if (parsed) {
			json_array_begin(&j);
			for (size_t k = 0; k < r->list.n_players; k++)
				json_string(&j, r->list.players[k].name);
			json_array_end(&j);
		} else {
			json_null(&j);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

/* Prints one --status row: the columns padded to their widths, then the
 * reason when there is one (led by the state's finer word, detail, when
 * there is one: "login-timeout: ..."), and never a trailing space.  name
 * is already terminal-safe; it is padded by the columns it takes, not its
 * bytes. */
static void print_status_row(int name_w, const char *name, const char *state,
    const char *players, const char *rtt, const char *detail, const char *why)
{
	char row[1024];
	int pad = name_w - rc_text_width(name, strlen(name));
	int n = snprintf(row, sizeof row, "%s%*s %-12s %-9s %-7s", name, pad > 0 ? pad : 0, "",
	    state, players, rtt);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof row ? (size_t)n : sizeof row - 1;
	if (why) {
		size_t m;
		char *safe = rc_text_sanitize(why, strlen(why), "", &m);
		printf("%.*s  %s%s%s\n", (int)len, row, detail ? detail : "", detail ? ": " : "",
		    safe ? safe : "");
		free(safe);
		return;
	}
	while (len && row[len - 1] == ' ')
		len--;
	printf("%.*s\n", (int)len, row);
}

/* Prints the plain --status table: one line per server, with a header
 * line when a person reads it (stdout is a terminal). */
static void print_status_plain(const struct oneshot *os)
{
	int name_w = 16;
	for (size_t i = 0; i < os->n_runs; i++) {
		const char *name = os->runs[i].t->profile.name;
		int w = rc_text_width(name, strlen(name));
		if (w > name_w && w <= 64)
			name_w = w;
	}
	if (os->tty)
		print_status_row(name_w, "NAME", "STATE", "PLAYERS", "RTT", NULL, NULL);
	for (size_t i = 0; i < os->n_runs; i++) {
		const struct run *r = &os->runs[i];
		char players[32] = "-", rtt[32] = "-";
		if (run_parsed(r)) {
			if (r->list.max >= 0)
				snprintf(players, sizeof players, "%d/%d", r->list.count, r->list.max);
			else
				snprintf(players, sizeof players, "%d", r->list.count);
		} else if (r->answered) {
			snprintf(players, sizeof players, "?");
		}
		if (r->answered)
			snprintf(rtt, sizeof rtt, "%.0fms", (double)r->rtt_us / 1000.0);
		bool why = r->failure && !r->answered;
		/* A -H name is the host as typed: made safe as JSON's is. */
		char *name = cli_out_field(r->t->profile.name);
		print_status_row(name_w, name ? name : "?", status_word(r), players, rtt,
		    status_detail(r), why ? r->failure : NULL);
		free(name);
	}
}

/* Prints the clear-text warning of every server reached directly over a
 * network on stderr, once each (in --json it is a field instead). */
static void print_status_warnings(const struct oneshot *os)
{
	for (size_t i = 0; !os->o->json && i < os->n_runs; i++) {
		char *warn = app_cleartext_warning(&os->runs[i].t->profile);
		if (warn)
			cli_error(os->runs[i].t->profile.name, "%s", warn);
		free(warn);
	}
}

/* Prints one status line per server (or the --json document). */
int oneshot_status(const cli_opts *o)
{
	struct oneshot os = { .o = o, .kind = RUN_STATUS };
	cli_targets ts;
	oneshot_stdout(&os);
	int rc = oneshot_prepare(o, true, &ts);
	if (!rc) {
		rc = oneshot_execute(&os, &ts);
		if (o->quiet)
			;   /* -q: the exit status alone, as for -c */
		else if (o->json)
			print_json(&os);
		else
			print_status_plain(&os);
		cli_out_stdout_failed();   /* said now, before the warnings */
		print_status_warnings(&os);
	}
	oneshot_cleanup(&os);
	cli_targets_free(&ts);
	return rc;
}

/* Prints the online players of one server, one per line; with several
 * (--tag, --all) each line is prefixed "[name] ", as -c does. */
int oneshot_players(const cli_opts *o)
{
	struct oneshot os = { .o = o, .kind = RUN_PLAYERS };
	cli_targets ts;
	oneshot_stdout(&os);
	int rc = oneshot_prepare(o, false, &ts);
	if (!rc)
		rc = oneshot_execute(&os, &ts);
	for (size_t i = 0; i < os.n_runs; i++) {
		struct run *r = &os.runs[i];
		if (r->answered && !run_parsed(r)) {
			size_t n;
			const char *raw = r->list.raw ? r->list.raw : "";
			char *safe = rc_text_sanitize(raw, strlen(raw) > 200 ? 200 : strlen(raw), "", &n);
			cli_error(r->t->profile.name, "the list reply has a shape rconsole does not know: %s",
			    safe ? safe : "");
			free(safe);
			rc = worse(rc, 5);
		} else if (r->answered && !o->json && !o->quiet) {
			for (size_t k = 0; k < r->list.n_players; k++) {
				char *safe = cli_out_field(r->list.players[k].name);
				if (safe && os.n_runs > 1)
					printf("[%s] %s\n", r->t->profile.name, safe);
				else if (safe)
					puts(safe);
				free(safe);
			}
		}
	}
	if (o->json && os.runs && !o->quiet)
		print_json(&os);
	cli_out_stdout_failed();
	oneshot_cleanup(&os);
	cli_targets_free(&ts);
	return rc;
}
