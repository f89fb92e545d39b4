/* oneshot.c: runs commands on one or more servers and exits (DESIGN.md §3).
 *
 * Every target gets its own connection (no reconnect) on one loop, so several
 * servers run in parallel while each runs its commands strictly in order: the
 * next command is handed to the connection only when the previous one is
 * answered, which keeps memory flat for 10,000 commands from stdin and means
 * a failure stops that server's remaining commands instead of queueing them.
 * --status and --players are the same runner with one list command and a
 * different way of printing the answer. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/json.h"
#include "cli/oneshot.h"
#include "cli/target.h"
#include "rconsole/rconsole.h"

enum run_kind { RUN_COMMANDS, RUN_STATUS, RUN_PLAYERS };

struct oneshot;

struct run {
	struct oneshot *os;
	cli_target *t;
	rc_conn *conn;
	size_t next;            /* index of the next command to send */
	bool done;
	int code;               /* exit status for this server */
	bool answered;          /* RUN_STATUS / RUN_PLAYERS: the list came back */
	rc_mc_list list;
	int64_t rtt_us;
	char *failure;          /* why it ended badly, for --status */
	size_t unsent;          /* handed to the connection but never written */
};

struct oneshot {
	const cli_opts *o;
	enum run_kind kind;
	rc_loop *loop;
	const char **cmds;
	size_t n_cmds;
	struct run *runs;
	size_t n_runs;
	size_t n_done;
	bool color;
	bool prefix;
	bool interrupted;
};

/* Returns the larger of two exit statuses, 130 (interrupted) above all. */
static int worse(int a, int b)
{
	if (a == 130 || b == 130)
		return 130;
	return a > b ? a : b;
}

/* Writes s[len] to stdout, each line prefixed with "[name] " when asked. */
static void print_lines(const struct oneshot *os, const char *name, const char *s, size_t len)
{
	if (len && s[len - 1] == '\n')
		len--;
	if (!os->prefix) {
		fwrite(s, 1, len, stdout);
		fputc('\n', stdout);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '\n') {
			printf("[%s] ", name);
			fwrite(s + start, 1, i - start, stdout);
			fputc('\n', stdout);
			start = i + 1;
		}
	}
}

/* Prints one reply the way the options ask (raw, coloured or plain). */
static void print_reply(const struct oneshot *os, const char *name, const char *body, size_t len)
{
	if (os->o->quiet)
		return;
	if (os->o->raw) {
		print_lines(os, name, body, len);
		return;
	}
	size_t n;
	char *text;
	if (os->color) {
		text = rc_mc_to_ansi(body, len, &n);
	} else {
		char *plain = malloc(len + 1);
		if (!plain)
			return;
		size_t m = rc_mc_strip(body, len, plain);
		text = rc_text_sanitize(plain, m, "\n\t", &n);
		free(plain);
	}
	if (!text)
		return;
	print_lines(os, name, text, n);
	free(text);
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

/* Returns command i of a run: the -c list, or the profile's list command. */
static const char *run_command(const struct run *r, size_t i)
{
	if (r->os->kind == RUN_COMMANDS)
		return r->os->cmds[i];
	return r->t->profile.list_command ? r->t->profile.list_command : "list";
}

/* Writes command i of a run into buf[cap] for a message: at most 80 bytes,
 * with any control character made visible (stdin may carry anything). */
static const char *run_label(const struct run *r, size_t i, char *buf, size_t cap)
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

/* Returns the commands of a run that will never be written: those not yet
 * handed to the connection and those it failed as not sent. */
static size_t run_left(const struct run *r)
{
	return r->os->n_cmds - r->next + r->unsent;
}

/* Appends "; N commands not sent" to why[cap] when any -c commands are left. */
static void run_note_left(const struct run *r, char *why, size_t cap)
{
	size_t left = run_left(r), n = strlen(why);
	if (left && r->os->kind == RUN_COMMANDS)
		snprintf(why + n, cap - n, "; %zu command%s not sent", left, left == 1 ? "" : "s");
}

/* Hands the next command to the connection, skipping refused ones. */
static void run_send_next(struct run *r)
{
	struct oneshot *os = r->os;
	while (r->next < os->n_cmds) {
		const char *cmd = run_command(r, r->next++);
		uint64_t id;
		int rc = rc_conn_send(r->conn, cmd, NULL, &id);
		if (rc == 0)
			return;
		char why[512], label[400];
		run_label(r, r->next - 1, label, sizeof label);
		if (rc == RC_EREADONLY)
			snprintf(why, sizeof why, "refused: '%s' is not allowed in read-only mode", label);
		else if (rc == RC_ETOOLONG)
			snprintf(why, sizeof why, "refused: command of %zu bytes is longer than the %d "
			    "the server accepts", strlen(cmd), r->t->conn.dialect == RC_DIALECT_SOURCE ?
			    RC_SOURCE_BODY_MAX : RC_MC_BODY_MAX);
		else if (rc == RC_EINVAL)
			snprintf(why, sizeof why, "refused: '%s': a command cannot be empty or hold "
			    "CR, LF or NUL", label);
		else
			snprintf(why, sizeof why, "refused: %s", rc_strerror(rc));
		if (rc == RC_ENOTREADY)
			run_note_left(r, why, sizeof why);
		run_report(r, why);
		r->code = worse(r->code, rc_exit_code(rc) ? rc_exit_code(rc) : 1);
		if (rc == RC_ENOTREADY)
			break;
	}
	run_finish(r, 0, NULL);
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
		run_report(r, "authentication failed (wrong password)");
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
	case RC_EV_STATE:
		if (ev->state == RC_STATE_READY && ev->prev == RC_STATE_AUTHENTICATING)
			run_send_next(r);
		else if (ev->state == RC_STATE_AUTH_FAILED || ev->state == RC_STATE_FAILED ||
		    ev->state == RC_STATE_IDLE)
			run_on_down(r, ev);
		break;
	case RC_EV_REPLY:
		if (ev->status != 0) {
			run_on_failed_reply(r, ev);
		} else if (r->os->kind == RUN_COMMANDS) {
			print_reply(r->os, r->t->profile.name, ev->body, ev->len);
			run_send_next(r);
		} else {
			run_list_reply(r, ev);
		}
		break;
	case RC_EV_STRAY:
		break;
	}
}

/* Stops everything on SIGINT/SIGTERM (exit 130). */
static void on_interrupt(rc_loop *loop, int signo, void *arg)
{
	struct oneshot *os = arg;
	os->interrupted = true;
	rc_loop_stop(loop);
}

/* Reads commands from stdin, one per line (CR stripped, blanks skipped). */
static int read_stdin_commands(char ***out, size_t *n_out, char **buf_out)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return -1;
			}
			buf = nb;
		}
		ssize_t r = read(STDIN_FILENO, buf + len, cap - len - 1);
		if (r < 0) {
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (!buf && !(buf = malloc(1)))
		return -1;
	buf[len] = 0;
	size_t n = 0, lines_cap = 0;
	char **lines = NULL;
	for (char *s = buf, *e; s < buf + len; s = e + 1) {
		e = memchr(s, '\n', (size_t)(buf + len - s));
		if (!e)
			e = buf + len;
		*e = 0;
		char *end = e > s && e[-1] == '\r' ? e - 1 : e;
		*end = 0;
		/* A NUL would cut the command short in C strings; as LF it makes
		 * the connection refuse the line instead (DESIGN.md section 2). */
		for (char *z = s; z < end && (z = memchr(z, 0, (size_t)(end - z))); z++)
			*z = '\n';
		if (!*s)
			continue;
		if (n == lines_cap) {
			lines_cap = lines_cap ? lines_cap * 2 : 256;
			char **nl = realloc(lines, lines_cap * sizeof *nl);
			if (!nl) {
				free(lines);
				free(buf);
				return -1;
			}
			lines = nl;
		}
		lines[n++] = s;
	}
	*out = lines;
	*n_out = n;
	*buf_out = buf;
	return 0;
}

/* Expands "-c -" into stdin's lines, keeping the order of the -c flags. */
static int collect_commands(const cli_opts *o, struct oneshot *os, char ***stdin_lines, char **stdin_buf)
{
	size_t n_stdin = 0;
	bool want_stdin = false;
	for (size_t i = 0; i < o->n_commands; i++)
		if (!strcmp(o->commands[i], "-"))
			want_stdin = true;
	if (want_stdin && read_stdin_commands(stdin_lines, &n_stdin, stdin_buf) < 0) {
		cli_error(NULL, "cannot read commands from stdin");
		return 2;
	}
	size_t total = 0;
	for (size_t i = 0; i < o->n_commands; i++)
		total += strcmp(o->commands[i], "-") ? 1 : n_stdin;
	os->cmds = calloc(total ? total : 1, sizeof *os->cmds);
	if (!os->cmds)
		return 5;
	for (size_t i = 0; i < o->n_commands; i++) {
		if (strcmp(o->commands[i], "-")) {
			os->cmds[os->n_cmds++] = o->commands[i];
			continue;
		}
		for (size_t j = 0; j < n_stdin; j++)
			os->cmds[os->n_cmds++] = (*stdin_lines)[j];
		n_stdin = 0; /* a second "-" reads nothing more */
	}
	return 0;
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
		r->conn = rc_conn_new(os->loop, &r->t->conn, run_on_event, r);
		if (!r->conn || rc_conn_start(r->conn) < 0) {
			cli_error(r->t->profile.name, "cannot start the connection");
			run_finish(r, 2, "invalid settings");
		}
	}
	if (os->n_done < os->n_runs)
		rc_loop_run(os->loop);
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
			else if (rc_conn_pending(r->conn))
				r->unsent++;   /* handed over, held behind a `stop` */
			run_note_left(r, why, sizeof why);
			run_report(r, why);
			r->code = worse(r->code, 130);
		}
		code = worse(code, r->code);
	}
	return os->interrupted ? 130 : code;
}

/* Frees the runs and the loop. */
static void oneshot_cleanup(struct oneshot *os)
{
	for (size_t i = 0; i < os->n_runs; i++) {
		rc_conn_free(os->runs[i].conn);
		rc_mc_list_clear(&os->runs[i].list);
		free(os->runs[i].failure);
	}
	free(os->runs);
	rc_loop_free(os->loop);
	free((void *)os->cmds);
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
	cli_targets ts;
	char **stdin_lines = NULL, *stdin_buf = NULL;
	int rc = oneshot_prepare(o, false, &ts);
	if (!rc)
		rc = collect_commands(o, &os, &stdin_lines, &stdin_buf);
	if (!rc) {
		os.color = o->color == CLI_COLOR_ALWAYS ||
		    (o->color == CLI_COLOR_AUTO && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
		os.prefix = ts.n > 1;
		rc = os.n_cmds ? oneshot_execute(&os, &ts) : 0;
	}
	oneshot_cleanup(&os);
	cli_targets_free(&ts);
	free(stdin_lines);
	free(stdin_buf);
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
		json_bool(&j, r->t->profile.read_only);
		json_key(&j, "error");
		json_string(&j, run_problem(r));
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
				size_t n;
				const char *nm = r->list.players[k].name;
				char *safe = rc_text_sanitize(nm, strlen(nm), "", &n);
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
