/* oneshot.c: runs commands on one or more servers and exits (DESIGN.md §3).
 *
 * Every target gets its own connection (no reconnect) on one loop, so several
 * servers run in parallel while each runs its commands strictly in order: the
 * next command is handed to the connection only when the previous one is
 * answered, which means a failure stops that server's remaining commands
 * instead of queueing them.  Commands come from a cmdsource: "-c -" lines
 * are read from stdin inside the loop as they arrive (the loop owns the fd),
 * each goes to every server in order, and the source holds only a small
 * window of them, so memory stays flat for any amount of input.
 * --status and --players are the same runner with one list command and a
 * different way of printing the answer.  With one server a reply is
 * written as its fragments arrive (memory stays flat for any size); with
 * several, each reply is written whole so their lines never interleave. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app-audit.h"
#include "app/app-cleartext.h"
#include "cli/cmdsource.h"
#include "cli/json.h"
#include "cli/oneshot.h"
#include "cli/output.h"
#include "cli/target.h"
#include "rconsole/rconsole.h"

enum run_kind { RUN_COMMANDS, RUN_STATUS, RUN_PLAYERS };

struct oneshot;

struct run {
	struct oneshot *os;
	cli_target *t;
	rc_conn *conn;
	uint64_t next;          /* number of the next command to send */
	bool waiting;           /* ready, but the next command has not arrived */
	bool done;
	int code;               /* exit status for this server */
	bool answered;          /* RUN_STATUS / RUN_PLAYERS: the list came back */
	rc_mc_list list;
	int64_t rtt_us;
	char *failure;          /* why it ended badly, for --status */
	size_t unsent;          /* handed to the connection but never written */
	app_audit *audit;       /* RUN_COMMANDS: the server's audit log; NULL = off */
	time_t issued;          /* when the command in flight was handed over */
	cli_out_stream out;     /* RUN_COMMANDS: the reply being written */
	bool streaming;         /* out has begun */
	char head[512];         /* a streamed reply's beginning, for its audit record */
	size_t head_len;
	size_t reply_bytes;     /* a streamed reply's size so far */
};

struct oneshot {
	const cli_opts *o;
	enum run_kind kind;
	rc_loop *loop;
	cmdsource *src;         /* RUN_COMMANDS: the commands */
	size_t n_cmds;          /* RUN_STATUS / RUN_PLAYERS: 1 */
	bool watching_stdin;
	bool waking;            /* inside oneshot_wake */
	int input_code;         /* exit status for stdin trouble (refused lines) */
	struct run *runs;
	size_t n_runs;
	size_t n_done;
	bool color;
	bool prefix;
	bool interrupted;
	bool audit_told;        /* a refused audit directory was reported */
};

static void oneshot_wake(struct oneshot *os);

/* Returns the larger of two exit statuses, 130 (interrupted) above all. */
static int worse(int a, int b)
{
	if (a == 130 || b == 130)
		return 130;
	return a > b ? a : b;
}

/* Writes one fragment of a run's reply as it arrives, the way the options
 * ask (raw, coloured or plain): a long reply is never held whole. */
static void print_fragment(struct run *r, const char *body, size_t len)
{
	const struct oneshot *os = r->os;
	if (os->o->quiet)
		return;
	if (!r->streaming) {
		enum cli_out_mode mode = os->o->raw ? CLI_OUT_RAW :
		    os->color ? CLI_OUT_COLOR : CLI_OUT_PLAIN;
		if (cli_out_stream_begin(&r->out, stdout, os->prefix ? r->t->profile.name : NULL,
		    mode) < 0) {
			cli_error(r->t->profile.name, "out of memory printing a reply");
			return;
		}
		r->streaming = true;
	}
	cli_out_stream_feed(&r->out, body, len);
	/* A reader of the pipe sees the reply as it comes. */
	fflush(stdout);
}

/* Ends the reply being written. */
static void print_reply_end(struct run *r)
{
	if (r->os->o->quiet || !r->streaming)
		return;
	bool failed = r->out.failed;
	cli_out_stream_end(&r->out);
	r->streaming = false;
	if (failed)
		cli_error(r->t->profile.name, "out of memory printing a reply");
	fflush(stdout);
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

/* Marks a run finished and stops the loop when every run is. */
static void run_finish(struct run *r, int code, const char *why)
{
	if (r->done)
		return;
	r->done = true;
	r->code = worse(r->code, code);
	if (why && !r->failure)
		r->failure = strdup(why);
	if (++r->os->n_done == r->os->n_runs)
		rc_loop_stop(r->os->loop);
}

/* Returns command i of a run: from the -c list, or the profile's list
 * command; *line (may be NULL) gets its stdin line number (0: not stdin). */
static const char *run_command_at(const struct run *r, uint64_t i, size_t *line)
{
	const char *text = NULL;
	if (line)
		*line = 0;
	if (r->os->kind != RUN_COMMANDS)
		return r->t->profile.list_command ? r->t->profile.list_command : "list";
	if (cmdsource_get(r->os->src, i, &text, line) != CMDSOURCE_OK)
		return "?";
	return text;
}

/* Returns command i of a run. */
static const char *run_command(const struct run *r, uint64_t i)
{
	return run_command_at(r, i, NULL);
}

/* Writes command i of a run into buf[cap] for a message: at most 80 bytes,
 * with any control character made visible (stdin may carry anything). */
static const char *run_label(const struct run *r, uint64_t i, char *buf, size_t cap)
{
	const char *cmd = run_command(r, i);
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
	if (!r->failure)
		r->failure = strdup(why);
}

/* Returns the number of commands a run is given: 1 for --status and
 * --players, else those read so far. */
static uint64_t run_total(const struct run *r)
{
	return r->os->kind == RUN_COMMANDS ? cmdsource_count(r->os->src) : r->os->n_cmds;
}

/* Tells whether more commands may still come from stdin. */
static bool run_more_coming(const struct run *r)
{
	return r->os->kind == RUN_COMMANDS && !cmdsource_complete(r->os->src);
}

/* Returns the commands of a run that will never be written: those not yet
 * handed to the connection and those it failed as not sent. */
static size_t run_left(const struct run *r)
{
	return (size_t)(run_total(r) - r->next) + r->unsent;
}

/* Appends "; N commands not sent" to why[cap] when any -c commands are left
 * (and says so when stdin was not read to its end). */
static void run_note_left(const struct run *r, char *why, size_t cap)
{
	size_t left = run_left(r), n = strlen(why);
	if (r->os->kind != RUN_COMMANDS)
		return;
	if (left)
		snprintf(why + n, cap - n, "; %zu command%s not sent%s", left, left == 1 ? "" : "s",
		    run_more_coming(r) ? " (nor the rest of stdin)" : "");
	else if (run_more_coming(r))
		snprintf(why + n, cap - n, "; the rest of stdin not sent");
}

/* Lets the command source drop what no unfinished run needs any more (the
 * command in flight stays, for messages about it). */
static void oneshot_release(struct oneshot *os)
{
	if (!os->src)
		return;
	uint64_t min = UINT64_MAX;
	for (size_t i = 0; i < os->n_runs; i++) {
		const struct run *r = &os->runs[i];
		if (!r->done && r->next > 0 && r->next - 1 < min)
			min = r->next - 1;
		else if (!r->done && r->next == 0)
			min = 0;
	}
	cmdsource_release(os->src, min == UINT64_MAX ? cmdsource_count(os->src) : min);
}

/* Hands the next command to the connection, skipping refused ones; waits
 * when the next one has not come from stdin yet. */
static void run_send_next(struct run *r)
{
	struct oneshot *os = r->os;
	r->waiting = false;
	for (;;) {
		size_t line = 0;
		if (os->kind == RUN_COMMANDS) {
			enum cmdsource_status st = cmdsource_get(os->src, r->next, NULL, NULL);
			if (st == CMDSOURCE_WAIT) {
				r->waiting = true;
				return;
			}
			if (st == CMDSOURCE_END)
				break;
		} else if (r->next >= os->n_cmds) {
			break;
		}
		const char *cmd = run_command_at(r, r->next++, &line);
		uint64_t id;
		int rc = rc_conn_send(r->conn, cmd, NULL, &id);
		if (rc == 0) {
			r->issued = time(NULL);
			/* "command sent": handed over, written in its turn. */
			oneshot_release(os);
			return;
		}
		run_audit(r, cmd, time(NULL), app_audit_refusal_of(rc), rc_strerror(rc), NULL, 0, 0);
		char why[512], label[400], where[48] = "";
		if (line)
			snprintf(where, sizeof where, "stdin line %zu: ", line);
		run_label(r, r->next - 1, label, sizeof label);
		if (rc == RC_EREADONLY)
			snprintf(why, sizeof why, "%srefused: '%s' is not allowed in read-only mode",
			    where, label);
		else if (rc == RC_ETOOLONG)
			snprintf(why, sizeof why, "%srefused: command of %zu bytes is longer than the %d "
			    "the server accepts", where, strlen(cmd),
			    r->t->conn.dialect == RC_DIALECT_SOURCE ? RC_SOURCE_BODY_MAX : RC_MC_BODY_MAX);
		else if (rc == RC_EINVAL)
			snprintf(why, sizeof why, "%srefused: '%s': a command cannot be empty or hold "
			    "CR, LF or NUL", where, label);
		else
			snprintf(why, sizeof why, "%srefused: %s", where, rc_strerror(rc));
		if (rc == RC_ENOTREADY)
			run_note_left(r, why, sizeof why);
		run_report(r, why);
		r->code = worse(r->code, rc_exit_code(rc) ? rc_exit_code(rc) : 1);
		if (rc == RC_ENOTREADY)
			break;
	}
	run_finish(r, 0, NULL);
	oneshot_release(os);
}

/* Handles the answer to the list command of --status / --players. */
static void run_list_reply(struct run *r, const rc_event *ev)
{
	r->rtt_us = ev->rtt_us;
	rc_mc_list_clear(&r->list);
	if (rc_mc_list_parse(ev->body, ev->len, &r->list) == 0)
		r->answered = true;
	run_finish(r, 0, NULL);
}

/* Handles the end of a run's connection: the server stopping after `stop`,
 * or a failure (connect, auth, protocol, lost connection). */
static void run_on_down(struct run *r, const rc_event *ev)
{
	char why[512];
	if (ev->state == RC_STATE_AUTH_FAILED) {
		snprintf(why, sizeof why, "authentication failed (%s)",
		    ev->cause ? ev->cause : "wrong password");
		run_report(r, why);
		run_finish(r, 4, NULL);
		return;
	}
	if (ev->err == RC_ESTOPPED) {
		/* Not an error when `stop` was the last command. */
		snprintf(why, sizeof why, "server stopped");
		run_note_left(r, why, sizeof why);
		if (run_left(r))
			run_report(r, why);
		run_finish(r, run_left(r) ? 5 : 0, NULL);
		return;
	}
	snprintf(why, sizeof why, "%s%s%s", rc_strerror(ev->err), ev->cause ? ": " : "",
	    ev->cause ? ev->cause : "");
	run_note_left(r, why, sizeof why);
	run_report(r, why);
	run_finish(r, ev->err ? rc_exit_code(ev->err) : 5, NULL);
}

/* Handles a command that ended without an answer. */
static void run_on_failed_reply(struct run *r, const rc_event *ev)
{
	char why[512], cmd[400];
	run_label(r, r->next - 1, cmd, sizeof cmd);
	switch (ev->status) {
	case RC_ENOTSENT:
		/* Counted; the connection's end reports it with the others. */
		r->unsent++;
		return;
	case RC_ELOST:
		snprintf(why, sizeof why, "outcome unknown: connection lost after '%s' was sent", cmd);
		break;
	case RC_ETIMEOUT:
		snprintf(why, sizeof why, "no answer to '%s' within the timeout: outcome unknown", cmd);
		run_note_left(r, why, sizeof why);
		break;
	default:
		snprintf(why, sizeof why, "'%s': %s", cmd, rc_strerror(ev->status));
		break;
	}
	run_report(r, why);
	r->code = worse(r->code, 1);
	if (ev->status == RC_ETIMEOUT)
		run_finish(r, 1, NULL);
}

/* Reacts to a connection event of one run. */
static void run_on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct run *r = arg;
	if (r->done)
		return;
	switch (ev->type) {
	case RC_EV_FRAGMENT:
		/* "reply fragment": only -c replies stream (the list of --status and
		 * --players is parsed whole). */
		if (r->os->kind == RUN_COMMANDS) {
			size_t keep = sizeof r->head - r->head_len;
			keep = ev->len < keep ? ev->len : keep;
			memcpy(r->head + r->head_len, ev->body, keep);
			r->head_len += keep;
			r->reply_bytes += ev->len;
			print_fragment(r, ev->body, ev->len);
		}
		return;
	case RC_EV_STATE:
		if (ev->state == RC_STATE_READY && ev->prev == RC_STATE_AUTHENTICATING)
			run_send_next(r);
		else if (ev->state == RC_STATE_AUTH_FAILED || ev->state == RC_STATE_FAILED ||
		    ev->state == RC_STATE_IDLE)
			run_on_down(r, ev);
		break;
	case RC_EV_REPLY:
		if (r->os->kind == RUN_COMMANDS) {
			/* A streamed reply's body is empty here: its head and size were
			 * kept as the fragments went by. */
			bool whole = ev->len > 0 || r->reply_bytes == 0;
			run_audit(r, run_command(r, r->next - 1), r->issued,
			    app_audit_outcome_of(ev->status),
			    ev->status ? (ev->cause ? ev->cause : rc_strerror(ev->status)) : NULL,
			    ev->status ? NULL : whole ? ev->body : r->head,
			    ev->status ? 0 : whole ? ev->len : r->head_len,
			    ev->status ? 0 : whole ? ev->len : r->reply_bytes);
			r->head_len = 0;
			r->reply_bytes = 0;
		}
		/* "outcome known": the command's reply is whole, or it failed. */
		if (ev->status != 0) {
			if (r->streaming)
				print_reply_end(r);   /* what came of it is out: end its line */
			run_on_failed_reply(r, ev);
		} else if (r->os->kind == RUN_COMMANDS) {
			if (!r->streaming)
				print_fragment(r, ev->body, ev->len);   /* not streamed: whole */
			print_reply_end(r);
			run_send_next(r);
		} else {
			run_list_reply(r, ev);
		}
		break;
	case RC_EV_STRAY:
		break;
	}
	oneshot_wake(r->os);
}

/* Stops everything on SIGINT/SIGTERM (exit 130). */
static void on_interrupt(rc_loop *loop, int signo, void *arg)
{
	struct oneshot *os = arg;
	os->interrupted = true;
	rc_loop_stop(loop);
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
	bool want = os->src && cmdsource_wants_input(os->src);
	if (want && !os->watching_stdin)
		os->watching_stdin = rc_loop_add_fd(os->loop, STDIN_FILENO, POLLIN, on_stdin, os) == 0;
	else if (!want && os->watching_stdin) {
		rc_loop_del_fd(os->loop, STDIN_FILENO);
		os->watching_stdin = false;
	}
}

/* Hands newly arrived commands to the runs waiting for them, until none
 * can go on (a run that sends lets the source take more lines, which may
 * wake another); with no command at all once stdin is over, every run is
 * done.  Not re-entered from the sends it makes. */
static void oneshot_wake(struct oneshot *os)
{
	if (!os->src || os->waking)
		return;
	os->waking = true;
	bool changed = true;
	while (changed) {
		changed = false;
		bool none = cmdsource_complete(os->src) && cmdsource_count(os->src) == 0;
		for (size_t i = 0; i < os->n_runs; i++) {
			struct run *r = &os->runs[i];
			if (r->done)
				continue;
			if (none) {
				run_finish(r, 0, NULL);
			} else if (r->waiting &&
			    cmdsource_get(os->src, r->next, NULL, NULL) != CMDSOURCE_WAIT) {
				run_send_next(r);
				changed = true;
			}
		}
	}
	oneshot_watch_stdin(os);
	os->waking = false;
}

/* Reads what stdin has (poll() said it is readable) and wakes the runs. */
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
	oneshot_wake(os);
}

/* Creates the command source of a -c run; the longest line it takes is the
 * longest command any target's dialect accepts. */
static int oneshot_source(const cli_opts *o, struct oneshot *os, const cli_targets *ts)
{
	size_t max = RC_MC_BODY_MAX;
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].conn.dialect == RC_DIALECT_SOURCE && max < RC_SOURCE_BODY_MAX)
			max = RC_SOURCE_BODY_MAX;
	os->src = cmdsource_new(o->commands, o->n_commands, max,
	    o->raw_input ? CMDSOURCE_RAW_INPUT : 0, on_refused_line, os);
	return os->src ? 0 : 5;
}

/* Connects every target, runs the loop until each is done; returns status. */
static int oneshot_execute(struct oneshot *os, cli_targets *ts)
{
	os->loop = rc_loop_new();
	os->runs = calloc(ts->n, sizeof *os->runs);
	if (!os->loop || !os->runs)
		return 5;
	os->n_runs = ts->n;
	rc_loop_watch_signal(os->loop, SIGINT, on_interrupt, os);
	rc_loop_watch_signal(os->loop, SIGTERM, on_interrupt, os);
	signal(SIGPIPE, SIG_IGN);
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
		/* One server: its replies stream as they arrive.  Several: each
		 * reply is written whole, so that one server's lines never cut into
		 * another's. */
		r->t->conn.stream = os->kind == RUN_COMMANDS && ts->n == 1;
		r->conn = rc_conn_new(os->loop, &r->t->conn, run_on_event, r);
		cli_target_wipe_password(r->t);   /* the connection has its own copy */
		if (!r->conn || rc_conn_start(r->conn) < 0) {
			cli_error(r->t->profile.name, "cannot start the connection");
			run_finish(r, 2, "invalid settings");
		}
	}
	if (os->src && os->n_done < os->n_runs)
		oneshot_wake(os);
	if (os->n_done < os->n_runs)
		rc_loop_run(os->loop);
	if (os->watching_stdin)
		rc_loop_del_fd(os->loop, STDIN_FILENO);
	os->watching_stdin = false;
	fflush(stdout);
	int code = 0;
	for (size_t i = 0; i < os->n_runs; i++) {
		struct run *r = &os->runs[i];
		if (!r->done) {
			char why[512] = "interrupted", label[400];
			bool busy = rc_conn_state(r->conn) == RC_STATE_BUSY;
			if (busy)
				snprintf(why, sizeof why, "interrupted: outcome of '%s' unknown",
				    run_label(r, r->next - 1, label, sizeof label));
			if (busy && os->kind == RUN_COMMANDS)
				run_audit(r, run_command(r, r->next - 1), r->issued, APP_AUDIT_UNKNOWN,
				    "interrupted", NULL, 0, 0);
			else if (rc_conn_pending(r->conn))
				r->unsent++;   /* handed over, held behind a `stop` */
			run_note_left(r, why, sizeof why);
			run_report(r, why);
			r->code = worse(r->code, 130);
		}
		code = worse(code, r->code);
	}
	return os->interrupted ? 130 : worse(code, os->input_code);
}

/* Frees the runs and the loop. */
static void oneshot_cleanup(struct oneshot *os)
{
	for (size_t i = 0; i < os->n_runs; i++) {
		if (os->runs[i].streaming)
			cli_out_stream_end(&os->runs[i].out);   /* interrupted mid-reply */
		rc_conn_free(os->runs[i].conn);
		app_audit_free(os->runs[i].audit);
		rc_mc_list_clear(&os->runs[i].list);
		free(os->runs[i].failure);
	}
	free(os->runs);
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

/* Runs -c commands on every target. */
int oneshot_run(const cli_opts *o)
{
	struct oneshot os = { .o = o, .kind = RUN_COMMANDS };
	cli_targets ts = { 0 };
	const char *raw_no = cli_out_raw_refusal(o->raw, o->raw_force, o->quiet,
	    isatty(STDOUT_FILENO));
	if (raw_no) {
		cli_error(NULL, "%s", raw_no);
		return 2;
	}
	/* A closed stdin would be reused by the first fd opened (the loop's
	 * own pipe, a socket): say so before anything is opened. */
	for (size_t i = 0; i < o->n_commands; i++)
		if (!strcmp(o->commands[i], "-") && fcntl(STDIN_FILENO, F_GETFD) < 0) {
			cli_error(NULL, "cannot read commands from stdin: %s", strerror(errno));
			return 2;
		}
	int rc = oneshot_prepare(o, false, &ts);
	if (!rc)
		rc = oneshot_source(o, &os, &ts);
	if (!rc) {
		os.color = o->color == CLI_COLOR_ALWAYS ||
		    (o->color == CLI_COLOR_AUTO && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
		os.prefix = ts.n > 1;
		rc = oneshot_execute(&os, &ts);
	}
	oneshot_cleanup(&os);
	cli_targets_free(&ts);
	return rc;
}

/* Returns the one-word state --status prints for a finished run. */
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
 * with, for each server, name, state, players, max, rtt_ms, read_only,
 * error and names (null where unknown). */
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
 * reason when there is one, and never a trailing space. */
static void print_status_row(int name_w, const char *name, const char *state,
    const char *players, const char *rtt, const char *why)
{
	char row[256];
	int n = snprintf(row, sizeof row, "%-*s %-12s %-9s %-7s", name_w, name, state, players, rtt);
	if (n < 0)
		return;
	size_t len = (size_t)n < sizeof row ? (size_t)n : sizeof row - 1;
	if (why) {
		size_t m;
		char *safe = rc_text_sanitize(why, strlen(why), "", &m);
		printf("%.*s  %s\n", (int)len, row, safe ? safe : "");
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
		int w = (int)strlen(os->runs[i].t->profile.name);
		if (w > name_w && w <= 64)
			name_w = w;
	}
	if (isatty(STDOUT_FILENO))
		print_status_row(name_w, "NAME", "STATE", "PLAYERS", "RTT", NULL);
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
		print_status_row(name_w, r->t->profile.name, status_word(r), players, rtt,
		    why ? r->failure : NULL);
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
	struct oneshot os = { .o = o, .kind = RUN_STATUS, .n_cmds = 1 };
	cli_targets ts;
	int rc = oneshot_prepare(o, true, &ts);
	if (!rc) {
		rc = oneshot_execute(&os, &ts);
		if (o->json)
			print_json(&os);
		else
			print_status_plain(&os);
		fflush(stdout);
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
	struct oneshot os = { .o = o, .kind = RUN_PLAYERS, .n_cmds = 1 };
	cli_targets ts;
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
		} else if (r->answered && !o->json) {
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
	if (o->json && os.runs)
		print_json(&os);
	fflush(stdout);
	oneshot_cleanup(&os);
	cli_targets_free(&ts);
	return rc;
}
