/* client.c: the blocking client (client.h) — a one-server session
 * (session.h) on a private rc_loop, run until the awaited report arrives.
 * The connection's own deadlines (connect per address, login, command)
 * bound every wait; the name lookup, which has none of its own, is bounded
 * here by connect_timeout_ms.  Reconnecting is the client's decision, never
 * the connection's: a session never reconnects by itself, and a lost
 * connection is restarted once inside the next rc_client_exec(), before
 * anything is written, so a command is still written at most once. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/client.h"
#include "rconsole/error.h"
#include "rconsole/loop.h"
#include "rconsole/session.h"
#include "tunnel-int.h"

struct rc_client {
	rc_loop *loop;
	rc_session *s;
	int resolve_ms;
	/* The awaited reply. */
	uint64_t want;
	bool waiting;
	bool got;
	int status;
	char *body;
	size_t len;
	/* The last failure. */
	int err;
	char cause[256];
};

/* Records a failure and its cause. */
static void client_note(struct rc_client *cl, int err, const char *cause)
{
	cl->err = err;
	snprintf(cl->cause, sizeof cl->cause, "%s", cause ? cause : rc_strerror(err));
}

/* Session report: the connection ended (remembered as the last failure). */
static void client_on_down(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct rc_client *cl = arg;
	if (ev->err && ev->err != RC_ESTOPPED)
		client_note(cl, ev->err, ev->cause);
}

/* Session report: the awaited command ended, or was refused at its turn. */
static void client_on_outcome(rc_session *s, const rc_session_ev *ev, void *arg)
{
	struct rc_client *cl = arg;
	if (!cl->waiting || ev->seq != cl->want || cl->got)
		return;
	cl->got = true;
	cl->status = ev->err;
	if (ev->err == 0) {
		cl->body = malloc(ev->len + 1);
		if (!cl->body) {
			cl->status = RC_ENOMEM;
			return;
		}
		memcpy(cl->body, ev->body, ev->len);
		cl->body[ev->len] = '\0';
		cl->len = ev->len;
	} else if (ev->cause) {
		client_note(cl, ev->err, ev->cause);
	}
}

/* Returns true in the states a wait ends in. */
static bool client_settled(rc_state s)
{
	return s == RC_STATE_READY || s == RC_STATE_IDLE || s == RC_STATE_FAILED ||
	    s == RC_STATE_AUTH_FAILED;
}

/* Connects (first time, or again after the connection ended) and waits for
 * READY or a failure; returns 0 or the failure's code. */
static int client_connect(struct rc_client *cl, const rc_conn_opts *first)
{
	cl->err = 0;
	cl->cause[0] = '\0';
	int rc = first ? rc_session_add(cl->s, first, NULL) : rc_session_restart(cl->s, 0);
	if (rc < 0)
		return rc;
	rc_conn *c = rc_session_conn(cl->s, 0);
	int64_t resolve_until = rc_now_ms() + cl->resolve_ms;
	while (!client_settled(rc_conn_state(c)) && !rc_session_down(cl->s, 0)) {
		int wait = -1;
		if (rc_conn_state(c) == RC_STATE_RESOLVING) {
			int64_t left = resolve_until - rc_now_ms();
			if (left <= 0) {
				rc_conn_stop(c);
				client_note(cl, RC_ETIMEOUT, NULL);
				char dur[24];
				snprintf(cl->cause, sizeof cl->cause, "name not resolved within %s",
				    rc_timeout_text(dur, sizeof dur, cl->resolve_ms));
				return RC_ETIMEOUT;
			}
			wait = (int)left;
		}
		if (rc_loop_run_once(cl->loop, wait) < 0)
			return RC_EIO;
	}
	if (rc_conn_state(c) == RC_STATE_READY && !rc_session_down(cl->s, 0))
		return 0;
	const char *cause;
	int err = rc_conn_last_error(c, &cause);
	if (!err)
		err = RC_ECONNECT;
	client_note(cl, err, cause);
	return err;
}

/* Opens a client: resolve, connect, log in. */
rc_client *rc_client_open(const rc_conn_opts *opts, int *err)
{
	int e = RC_EINVAL;
	struct rc_client *cl = NULL;
	if (!opts)
		goto fail;
	e = RC_ENOMEM;
	cl = calloc(1, sizeof *cl);
	if (!cl || !(cl->loop = rc_loop_new()))
		goto fail;
	rc_session_cbs cbs;
	rc_session_cbs_init(&cbs);
	cbs.outcome = client_on_outcome;
	cbs.refused = client_on_outcome;
	cbs.down = client_on_down;
	if (!(cl->s = rc_session_new(cl->loop, &cbs, cl)))
		goto fail;
	/* Unset, the lookup gets the connect timeout's default (one table). */
	rc_conn_opts def;
	rc_conn_opts_init(&def);
	cl->resolve_ms = opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms :
	    def.connect_timeout_ms;
	e = client_connect(cl, opts);
	if (e == 0) {
		if (err)
			*err = 0;
		return cl;
	}
fail:
	rc_client_close(cl);
	if (err)
		*err = e;
	return NULL;
}

/* Runs one command and waits for its reply. */
int rc_client_exec(rc_client *cl, const char *cmd, char **reply, size_t *len)
{
	if (reply)
		*reply = NULL;
	if (len)
		*len = 0;
	if (!cl || !cmd)
		return RC_EINVAL;
	rc_conn *c = rc_session_conn(cl->s, 0);
	int rc = rc_conn_check(c, cmd);
	if (rc < 0)
		return rc;
	/* Take in what happened since the last call (a server that closed an
	 * idle connection), so the command goes to a live connection. */
	if (rc_loop_run_once(cl->loop, 0) < 0)
		return RC_EIO;
	rc_state s = rc_conn_state(c);
	if (s == RC_STATE_AUTH_FAILED)
		return RC_EAUTH;
	if ((rc_session_down(cl->s, 0) || (s != RC_STATE_READY && s != RC_STATE_BUSY)) &&
	    client_connect(cl, NULL) < 0)
		return RC_ENOTREADY;
	cl->got = false;
	cl->body = NULL;
	cl->len = 0;
	cl->waiting = true;
	rc = rc_session_push(cl->s, 0, cmd, NULL, &cl->want);
	/* The command deadline always ends this wait: the outcome comes with
	 * an answer, a timeout or the lost connection. */
	while (rc == 0 && !cl->got)
		if (rc_loop_run_once(cl->loop, -1) < 0)
			rc = RC_EIO;
	cl->waiting = false;
	if (rc < 0)
		return rc;
	if (cl->status != 0) {
		free(cl->body);
		cl->body = NULL;
		return cl->status;
	}
	if (len)
		*len = cl->len;
	if (reply)
		*reply = cl->body;
	else
		free(cl->body);
	cl->body = NULL;
	return 0;
}

/* Returns the last failure. */
int rc_client_last_error(const rc_client *cl, const char **cause)
{
	if (cause)
		*cause = cl && cl->cause[0] ? cl->cause : NULL;
	return cl ? cl->err : RC_EINVAL;
}

/* Closes the connection and waits for its tunnel's children, its own
 * alone (another client's, on another thread, are not its business). */
static void client_reap_own(struct rc_client *cl)
{
	rc_conn *c = rc_session_conn(cl->s, 0);
	if (!c)
		return;
	/* The connection closes (a tunnel's child gets SIGTERM); the outcomes
	 * and the down this reports are nobody's concern any more. */
	rc_session_interrupt(cl->s);
	/* The call blocks anyway, so it waits for the child to go — reaped on
	 * SIGCHLD, or SIGKILLed by the loop's timer after TUNNEL_KILL_AFTER_MS
	 * — leaving no zombie behind. */
	if (tunnel_pending_of(c) > 0 &&
	    rc_loop_watch_signal(cl->loop, SIGCHLD, tunnel_on_sigchld, cl) == 0) {
		int64_t until = rc_now_ms() + TUNNEL_KILL_AFTER_MS + 200;
		tunnel_reap_all();   /* it may have ended before the watch */
		for (int64_t now; tunnel_pending_of(c) > 0 && (now = rc_now_ms()) < until;)
			rc_loop_run_once(cl->loop, (int)(until - now));
	}
}

/* Closes and frees the client. */
void rc_client_close(rc_client *cl)
{
	if (!cl)
		return;
	client_reap_own(cl);
	rc_session_free(cl->s);
	rc_loop_free(cl->loop);
	free(cl->body);
	free(cl);
}
