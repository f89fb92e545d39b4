/* client.c: the blocking client (client.h) — one rc_conn on a private
 * rc_loop, run until the awaited event arrives.  The connection's own
 * deadlines (connect per address, login, command) bound every wait; the
 * name lookup, which has none of its own, is bounded here by
 * connect_timeout_ms.  Reconnecting is the client's decision, never the
 * connection's: opts.reconnect is forced off, and a lost connection is
 * reopened once inside the next rc_client_exec(), before anything is
 * written, so a command is still written at most once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/client.h"
#include "rconsole/error.h"
#include "rconsole/loop.h"

struct rc_client {
	rc_loop *loop;
	rc_conn *conn;
	int resolve_ms;
	/* The awaited reply. */
	uint64_t want;
	bool got;
	int status;
	char *body;
	size_t len;
	/* The last failure. */
	int err;
	char cause[256];
};

/* Records the reply being waited for and every failure. */
static void client_on_event(rc_conn *c, const rc_event *ev, void *arg)
{
	struct rc_client *cl = arg;
	if (ev->type == RC_EV_STATE && ev->err && ev->err != RC_ESTOPPED) {
		cl->err = ev->err;
		snprintf(cl->cause, sizeof cl->cause, "%s", ev->cause ? ev->cause : rc_strerror(ev->err));
	}
	if (ev->type != RC_EV_REPLY || ev->cmd != cl->want || cl->got)
		return;
	cl->got = true;
	cl->status = ev->status;
	if (ev->status == 0) {
		cl->body = malloc(ev->len + 1);
		if (!cl->body) {
			cl->status = RC_ENOMEM;
			return;
		}
		memcpy(cl->body, ev->body, ev->len);
		cl->body[ev->len] = '\0';
		cl->len = ev->len;
	} else if (ev->cause) {
		cl->err = ev->status;
		snprintf(cl->cause, sizeof cl->cause, "%s", ev->cause);
	}
}

/* Returns true in the states a wait ends in. */
static bool client_settled(rc_state s)
{
	return s == RC_STATE_READY || s == RC_STATE_IDLE || s == RC_STATE_FAILED ||
	    s == RC_STATE_AUTH_FAILED;
}

/* Connects (from IDLE or FAILED) and waits for READY or a failure; returns
 * 0 or the failure's code. */
static int client_connect(struct rc_client *cl)
{
	cl->err = 0;
	cl->cause[0] = '\0';
	int rc = rc_conn_start(cl->conn);
	if (rc < 0)
		return rc;
	int64_t resolve_until = rc_now_ms() + cl->resolve_ms;
	while (!client_settled(rc_conn_state(cl->conn))) {
		int wait = -1;
		if (rc_conn_state(cl->conn) == RC_STATE_RESOLVING) {
			int64_t left = resolve_until - rc_now_ms();
			if (left <= 0) {
				rc_conn_stop(cl->conn);
				cl->err = RC_ETIMEOUT;
				snprintf(cl->cause, sizeof cl->cause, "name not resolved within %d ms",
				    cl->resolve_ms);
				return RC_ETIMEOUT;
			}
			wait = (int)left;
		}
		if (rc_loop_run_once(cl->loop, wait) < 0)
			return RC_EIO;
	}
	if (rc_conn_state(cl->conn) == RC_STATE_READY)
		return 0;
	const char *cause;
	int err = rc_conn_last_error(cl->conn, &cause);
	if (!err)
		err = RC_ECONNECT;
	cl->err = err;
	snprintf(cl->cause, sizeof cl->cause, "%s", cause ? cause : rc_strerror(err));
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
	rc_conn_opts o = *opts;
	o.reconnect = false;
	cl->resolve_ms = o.connect_timeout_ms > 0 ? o.connect_timeout_ms : 5000;
	cl->conn = rc_conn_new_err(cl->loop, &o, client_on_event, cl, &e);
	if (!cl->conn)
		goto fail;
	e = client_connect(cl);
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
	int rc = rc_conn_check(cl->conn, cmd);
	if (rc < 0)
		return rc;
	/* Take in what happened since the last call (a server that closed an
	 * idle connection), so the command goes to a live connection. */
	if (rc_loop_run_once(cl->loop, 0) < 0)
		return RC_EIO;
	rc_state s = rc_conn_state(cl->conn);
	if (s == RC_STATE_AUTH_FAILED)
		return RC_EAUTH;
	if (s != RC_STATE_READY && s != RC_STATE_BUSY && client_connect(cl) < 0)
		return RC_ENOTREADY;
	cl->got = false;
	cl->body = NULL;
	cl->len = 0;
	rc = rc_conn_send(cl->conn, cmd, NULL, &cl->want);
	if (rc < 0)
		return rc;
	/* The command deadline always ends this wait: the reply event comes
	 * with an answer, a timeout or the lost connection. */
	while (!cl->got)
		if (rc_loop_run_once(cl->loop, -1) < 0)
			return RC_EIO;
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

/* Closes and frees the client. */
void rc_client_close(rc_client *cl)
{
	if (!cl)
		return;
	rc_conn_free(cl->conn);
	rc_loop_free(cl->loop);
	free(cl->body);
	free(cl);
}
