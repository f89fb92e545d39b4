/* session.c: queues of commands run on several connections of one rc_loop,
 * or of the caller's own loop through its adapter hooks (session.h).  Each
 * server keeps its own queue and hands its connection one command at a
 * time, the next only once the previous one's outcome is known.
 *
 * On rc_loop the connections run on rc_conn's own loop glue with the
 * session's entry hooks around each of its entries (conn-internal.h); on
 * the caller's loop, through the caller's adapter, the caller enters
 * through rc_session_handle_*.  Either way the session sees every entry
 * into a connection end: a connection writes what it was given when
 * its entry point returns, so when a reply ends with the next command
 * already queued, the session hands that command over inside the reply
 * event, keeps the reply's report aside, and delivers it once the write
 * has gone out — the server runs the next command while the caller prints
 * and logs.  Reports are delivered in the order they happened from a FIFO
 * drained when the outermost session entry returns; a fragment, whose
 * bytes live only during the connection's callback, and a reply with no
 * next command waiting are delivered at once. */
#include <stdlib.h>
#include <string.h>

#include "rconsole/adapter.h"
#include "rconsole/error.h"
#include "rconsole/session.h"
#include "conn-internal.h"
#include "core.h"

struct sess_cmd;

enum sess_kind { EV_UP, EV_SENT, EV_REFUSED, EV_FRAGMENT, EV_OUTCOME, EV_DOWN, EV_FINISHED };

/* A report waiting its turn in the FIFO. */
struct sess_pend {
	struct sess_pend *next;
	enum sess_kind kind;
	struct srv *srv;
	struct sess_cmd *cmd;   /* REFUSED and OUTCOME: the command it is part of
	                           (freed with it); SENT, FRAGMENT: borrowed */
	int err;
	const char *cause;      /* cause_owned, a static text, or NULL */
	char *cause_owned;
	const char *body;
	char *body_owned;       /* body when it was copied */
	size_t len, bytes;
	unsigned fragments;
	int64_t rtt_us;
	bool handed;
	rc_state state;
	rc_state from;          /* DOWN: the state the connection ended from */
	size_t not_sent;
	bool reserved;          /* one of its server's own slots (srv.res) */
};

/* A queued command.  Its last report (refused, or its outcome) is part of
 * it, reserved when it is pushed: a command is reported exactly once even
 * when memory runs out at the time it fails. */
struct sess_cmd {
	struct sess_cmd *next;
	uint64_t seq;
	void *tag;
	struct sess_pend last;
	char text[];
};

struct srv {
	rc_session *s;
	size_t index;
	char *name;
	rc_conn *conn;
	struct sess_cmd *qhead, *qtail;
	size_t nq;
	uint64_t next_seq;
	struct sess_cmd *cur;   /* handed to the connection, outcome not known */
	uint64_t cur_id;
	size_t cur_bytes;       /* streamed bytes of cur's reply so far */
	bool cur_cut;           /* a fragment of cur's reply could not be delivered */
	size_t cut_at;          /* then: the bytes of it delivered before the cut */
	size_t unsent_handed;   /* handed, then failed RC_ENOTSENT */
	bool up;                /* logged in */
	bool down;              /* the connection ended */
	bool halted;            /* a command failed: nothing more is handed over */
	int halt_err;           /* why, for a connection stopped because of it */
	bool halt_listed;       /* on the session's list of halted servers */
	struct srv *halt_next;
	bool finished;
	/* One report of each kind kept ready, so that running out of memory
	 * never loses that a server came up, went down (and why) or finished,
	 * nor a fragment delivered at once: a report takes its kind's slot
	 * when it is free, else it is allocated (indexed by enum sess_kind;
	 * a command's refused and outcome reports are in the command). */
	struct sess_pend res[EV_FINISHED + 1];
	bool res_busy[EV_FINISHED + 1];
};

struct rc_session {
	rc_loop *loop;          /* NULL: driven through the caller's adapter */
	rc_adapter ad;
	void *ad_ctx;
	rc_session_cbs cbs;
	void *arg;
	struct srv **srv;
	size_t n_srv, cap_srv;
	size_t n_open;          /* servers neither finished nor down */
	/* Servers halted since the last look (sess_leave stops the ones
	 * still up), oldest first: no scan of every server. */
	struct srv *halt_head, *halt_tail;
	struct sess_pend *fhead, *ftail;
	int depth;
	bool flushing;
	bool ended;
	bool interrupting;
	const char *stop_cause;  /* the cause interrupting gives (static text) */
};

static void sess_flush(rc_session *s);

/* Fills the first size bytes of cbs with NULLs and sets its size. */
void rc_session_cbs_init_size(rc_session_cbs *cbs, size_t size)
{
	if (!cbs)
		return;
	memset(cbs, 0, size);
	cbs->size = size;
}

/* ---- reports ---- */

/* Returns a new report of kind for srv: its server's slot for the kind
 * when free, else allocated (NULL when out of memory). */
static struct sess_pend *pend_new(struct srv *srv, enum sess_kind kind)
{
	struct sess_pend *p;
	if (!srv->res_busy[kind]) {
		p = &srv->res[kind];
		memset(p, 0, sizeof *p);
		p->reserved = true;
		srv->res_busy[kind] = true;
	} else if (!(p = calloc(1, sizeof *p))) {
		return NULL;
	}
	p->kind = kind;
	p->srv = srv;
	p->rtt_us = -1;
	return p;
}

/* Returns q's last report (refused or outcome) of kind, made ready for
 * the FIFO: never NULL, nothing is allocated. */
static struct sess_pend *pend_last(struct srv *srv, struct sess_cmd *q, enum sess_kind kind)
{
	struct sess_pend *p = &q->last;
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->srv = srv;
	p->cmd = q;
	p->rtt_us = -1;
	return p;
}

/* Frees a delivered report and what it owns (a command's last report
 * goes with its command; a server's slot is only marked free). */
static void pend_free(struct sess_pend *p)
{
	free(p->cause_owned);
	free(p->body_owned);
	if (p->reserved)
		p->srv->res_busy[p->kind] = false;   /* the slot is free again */
	else if (p->kind == EV_REFUSED || p->kind == EV_OUTCOME)
		free(p->cmd);
	else
		free(p);
}

/* Sets a report's cause (copied; out of memory, the text of its err). */
static void pend_cause(struct sess_pend *p, const char *cause)
{
	if (!cause)
		return;
	p->cause_owned = strdup(cause);
	p->cause = p->cause_owned ? p->cause_owned : rc_strerror(p->err);
}

/* Makes the report's body its own NUL-terminated copy of len bytes (the
 * event's bytes live only during the connection's callback); false when
 * out of memory.  An empty body (a streamed reply's end: its bytes went
 * out as fragments) needs no copy, so it costs no malloc and cannot fail. */
static bool pend_copy_body(struct sess_pend *p, const char *body, size_t len)
{
	p->len = len;
	if (len == 0) {
		p->body = "";
		return true;
	}
	p->body_owned = malloc(len + 1);
	if (!p->body_owned)
		return false;
	memcpy(p->body_owned, body ? body : "", len);
	p->body_owned[len] = '\0';
	p->body = p->body_owned;
	return true;
}

/* Appends a report to the FIFO; with now, delivers the FIFO at once (not
 * when it is being delivered already: the running delivery takes it). */
static void pend_push(rc_session *s, struct sess_pend *p, bool now)
{
	if (!p)
		return;
	if (s->ftail)
		s->ftail->next = p;
	else
		s->fhead = p;
	s->ftail = p;
	if (now && !s->flushing)
		sess_flush(s);
}

/* Returns the callback for a kind of report (NULL when the caller has none). */
static rc_session_cb sess_cb_of(const rc_session *s, enum sess_kind kind)
{
	switch (kind) {
	case EV_UP: return s->cbs.up;
	case EV_SENT: return s->cbs.sent;
	case EV_REFUSED: return s->cbs.refused;
	case EV_FRAGMENT: return s->cbs.fragment;
	case EV_OUTCOME: return s->cbs.outcome;
	case EV_DOWN: return s->cbs.down;
	case EV_FINISHED: return s->cbs.finished;
	}
	return NULL;
}

/* Delivers one report to the caller. */
static void pend_deliver(rc_session *s, const struct sess_pend *p)
{
	rc_session_cb cb = sess_cb_of(s, p->kind);
	if (!cb)
		return;
	rc_session_ev ev = {
		.size = sizeof ev, .server = p->srv->index, .name = p->srv->name,
		.err = p->err, .cause = p->cause, .body = p->body, .len = p->len,
		.bytes = p->bytes, .fragments = p->fragments, .rtt_us = p->rtt_us,
		.handed = p->handed, .state = p->state, .not_sent = p->not_sent,
		.from = p->from,
	};
	if (p->cmd) {
		ev.seq = p->cmd->seq;
		ev.cmd = p->cmd->text;
		ev.tag = p->cmd->tag;
	}
	cb(s, &ev, s->arg);
}

/* Delivers every waiting report in order (those the callbacks cause too). */
static void sess_flush(rc_session *s)
{
	if (s->flushing)
		return;
	s->flushing = true;
	while (s->fhead) {
		struct sess_pend *p = s->fhead;
		s->fhead = p->next;
		if (!s->fhead)
			s->ftail = NULL;
		pend_deliver(s, p);
		pend_free(p);
	}
	s->flushing = false;
}

/* ---- the queue of one server ---- */

/* Marks srv finished when the caller said no more commands and it has
 * none left. */
static void srv_check_finished(struct srv *srv)
{
	rc_session *s = srv->s;
	if (!s->ended || srv->finished || srv->down || srv->cur || srv->qhead)
		return;
	srv->finished = true;
	s->n_open--;
	pend_push(s, pend_new(srv, EV_FINISHED), false);
}

/* Takes srv's first queued command off the queue; NULL when it is empty. */
static struct sess_cmd *srv_pop(struct srv *srv)
{
	struct sess_cmd *q = srv->qhead;
	if (!q)
		return NULL;
	srv->qhead = q->next;
	if (!srv->qhead)
		srv->qtail = NULL;
	srv->nq--;
	q->next = NULL;
	return q;
}

/* Halts srv's queue because of err and puts it on the session's list. */
static void srv_halt(struct srv *srv, int err)
{
	rc_session *s = srv->s;
	srv->halted = true;
	srv->halt_err = err;
	if (srv->halt_listed)
		return;
	srv->halt_listed = true;
	srv->halt_next = NULL;
	if (s->halt_tail)
		s->halt_tail->halt_next = srv;
	else
		s->halt_head = srv;
	s->halt_tail = srv;
}

/* Takes the oldest server off the list of halted ones; NULL when empty. */
static struct srv *sess_halt_pop(rc_session *s)
{
	struct srv *srv = s->halt_head;
	if (!srv)
		return NULL;
	s->halt_head = srv->halt_next;
	if (!s->halt_head)
		s->halt_tail = NULL;
	srv->halt_next = NULL;
	srv->halt_listed = false;
	return srv;
}

/* Hands srv's next command to its connection, reporting the refused ones
 * and going on past them; stops at the first one taken. */
static void srv_hand_over(struct srv *srv)
{
	rc_session *s = srv->s;
	while (srv->up && !srv->down && !srv->halted && !srv->cur && srv->qhead &&
	    !s->interrupting) {
		struct sess_cmd *q = srv_pop(srv);
		uint64_t id;
		int rc = rc_conn_send(srv->conn, q->text, NULL, &id);
		if (rc == 0) {
			srv->cur = q;
			srv->cur_id = id;
			srv->cur_bytes = 0;
			srv->cur_cut = false;
			srv->cut_at = 0;
			struct sess_pend *p = pend_new(srv, EV_SENT);
			if (p)
				p->cmd = q;
			pend_push(s, p, false);
			return;
		}
		struct sess_pend *p = pend_last(srv, q, EV_REFUSED);
		p->err = rc;
		p->cause = rc_strerror(rc);
		pend_push(s, p, false);
		if (rc == RC_ENOTREADY) {
			/* Not a rule of the command's: the connection will not take any. */
			srv_halt(srv, rc);
			break;
		}
	}
	srv_check_finished(srv);
}

/* Fails every queued command of srv as never sent. */
static void srv_fail_queue(struct srv *srv, const char *cause)
{
	struct sess_cmd *q;
	while ((q = srv_pop(srv))) {
		struct sess_pend *p = pend_last(srv, q, EV_OUTCOME);
		p->err = RC_ENOTSENT;
		pend_cause(p, cause);
		pend_push(srv->s, p, false);
	}
}

/* The connection of srv ended, from state `from`: what is queued will
 * never go, say so. */
static void srv_on_down(struct srv *srv, int err, const char *cause, rc_state state,
    rc_state from)
{
	rc_session *s = srv->s;
	if (srv->down || srv->finished)
		return;
	if (s->interrupting) {
		err = RC_ECANCELED;
		cause = s->stop_cause;
	}
	if (state == RC_STATE_AUTH_FAILED && !err)
		err = RC_EAUTH;
	if (!err && srv->halt_err) {
		/* Stopped here because a command failed and the connection stayed. */
		err = srv->halt_err;
		cause = rc_strerror(err);
	}
	size_t queued = srv->nq;
	srv_fail_queue(srv, cause ? cause : rc_strerror(err ? err : RC_ENOTSENT));
	srv->up = false;
	srv->down = true;
	s->n_open--;
	struct sess_pend *p = pend_new(srv, EV_DOWN);
	if (p) {
		p->err = err;
		pend_cause(p, cause);
		p->state = state;
		p->from = from;
		p->not_sent = queued + srv->unsent_handed;
	}
	pend_push(s, p, false);
}

/* Ends the answered command of outcome report p as RC_ENOMEM because its
 * reply reached the caller only in part (delivered bytes of it: none when
 * it was not streamed), and halts srv's queue as any failure does: the
 * caller is told the reply was cut, never handed a reply with bytes
 * missing, and what was meant to follow it is not sent.  Allocates
 * nothing (the cause is a static text). */
static void srv_reply_cut(struct srv *srv, struct sess_pend *p, size_t delivered)
{
	p->err = RC_ENOMEM;
	p->cause = "out of memory: the reply was cut";
	p->body = NULL;
	p->len = 0;
	p->bytes = delivered;
	srv_halt(srv, RC_ENOMEM);
	pend_push(srv->s, p, false);
}

/* Marks srv's reply in flight cut after delivered bytes: a fragment of it
 * could not be delivered (no memory for its report or its copy), so none
 * of the rest is (it would read as whole) and its outcome says so. */
static void srv_cut(struct srv *srv, size_t delivered)
{
	srv->cur_cut = true;
	srv->cut_at = delivered;
}

/* A reply event of srv's connection: the outcome of the command in flight. */
static void srv_on_reply(struct srv *srv, const rc_event *ev)
{
	rc_session *s = srv->s;
	if (!srv->cur || ev->cmd != srv->cur_id)
		return;
	struct sess_cmd *q = srv->cur;
	srv->cur = NULL;
	struct sess_pend *p = pend_last(srv, q, EV_OUTCOME);
	p->err = ev->status;
	p->handed = true;
	p->fragments = ev->fragments;
	p->rtt_us = ev->rtt_us;
	if (ev->status == RC_ENOTSENT)
		srv->unsent_handed++;
	if (ev->status != 0) {
		/* What of the reply had come (lost or timed out part-way). */
		p->bytes = ev->len ? ev->len : srv->cur_bytes;
		pend_cause(p, s->interrupting ? s->stop_cause : ev->cause);
		srv_halt(srv, ev->status);
		pend_push(s, p, false);
		return;
	}
	if (srv->cur_cut) {
		/* Answered, but part of the reply never reached the caller. */
		srv_reply_cut(srv, p, srv->cut_at);
		return;
	}
	p->len = ev->len;
	p->bytes = ev->len ? ev->len : srv->cur_bytes;
	if (srv->qhead && !s->interrupting) {
		/* The next command goes out first; this report waits for the
		 * write, so it needs its own copy of the reply. */
		if (!pend_copy_body(p, ev->body, ev->len)) {
			srv_reply_cut(srv, p, 0);
			return;
		}
		pend_push(s, p, false);
		srv_hand_over(srv);
		return;
	}
	p->body = ev->body ? ev->body : "";
	pend_push(s, p, true);
	srv_hand_over(srv);
}

/* Reacts to an event of one server's connection. */
static void srv_on_conn(rc_conn *c, const rc_event *ev, void *arg)
{
	struct srv *srv = arg;
	rc_session *s = srv->s;
	if (srv->finished || srv->down)
		return;
	switch (ev->type) {
	case RC_EV_STATE:
		if (ev->state == RC_STATE_READY && ev->prev == RC_STATE_AUTHENTICATING) {
			srv->up = true;
			struct sess_pend *p = pend_new(srv, EV_UP);
			if (p)
				p->state = ev->state;
			pend_push(s, p, false);
			srv_hand_over(srv);
		} else if (ev->state == RC_STATE_AUTH_FAILED || ev->state == RC_STATE_FAILED ||
		    ev->state == RC_STATE_IDLE || ev->state == RC_STATE_BACKOFF) {
			srv_on_down(srv, ev->err, ev->cause, ev->state, ev->prev);
		}
		break;
	case RC_EV_FRAGMENT: {
		if (!srv->cur || ev->cmd != srv->cur_id)
			break;
		size_t before = srv->cur_bytes;
		srv->cur_bytes += ev->len;
		if (srv->cur_cut)
			break;   /* cut already: its outcome says so */
		struct sess_pend *p = pend_new(srv, EV_FRAGMENT);
		if (!p) {
			srv_cut(srv, before);
			break;
		}
		p->cmd = srv->cur;
		p->len = ev->len;
		p->fragments = ev->fragments;
		p->handed = true;
		if (s->flushing) {
			/* Cannot be delivered while the bytes live: keep a copy. */
			if (!pend_copy_body(p, ev->body, ev->len)) {
				pend_free(p);
				srv_cut(srv, before);
				break;
			}
		} else {
			p->body = ev->body;
		}
		pend_push(s, p, true);
		break;
	}
	case RC_EV_REPLY:
		srv_on_reply(srv, ev);
		break;
	case RC_EV_STRAY:
		break;
	}
}

/* ---- entries ---- */

/* Marks an entry into the session. */
static void sess_enter(rc_session *s)
{
	s->depth++;
}

/* Leaves an entry; the outermost one stops the connections whose queue a
 * failure halted while they stayed up (those on the list of halted
 * servers, which it empties), and delivers the reports. */
static void sess_leave(rc_session *s)
{
	if (s->depth == 1) {
		for (;;) {
			sess_flush(s);
			bool again = false;
			for (struct srv *srv; (srv = sess_halt_pop(s));) {
				if (srv->halted && !srv->down && !srv->finished && !srv->cur) {
					rc_state was = rc_conn_state(srv->conn);
					rc_conn_stop(srv->conn);
					srv_on_down(srv, srv->halt_err, NULL, rc_conn_state(srv->conn), was);
					again = true;
				}
			}
			if (!again && !s->fhead)
				break;
		}
	}
	s->depth--;
}

/* Entry hook of the connections on rc_loop: enters the session. */
static void sess_hook_enter(void *arg)
{
	sess_enter(arg);
}

/* Leave hook of the connections on rc_loop: leaves the session. */
static void sess_hook_leave(void *arg)
{
	sess_leave(arg);
}

/* ---- public calls ---- */

/* Allocates an empty session with the caller's callbacks (a shorter,
 * older layout copied up to its size, the rest left unset). */
static rc_session *sess_alloc(const rc_session_cbs *cbs, void *arg)
{
	rc_session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->arg = arg;
	if (cbs) {
		size_t n = cbs->size < sizeof s->cbs ? cbs->size : sizeof s->cbs;
		memcpy(&s->cbs, cbs, n);
	}
	s->cbs.size = sizeof s->cbs;
	return s;
}

/* Creates an empty session on loop. */
rc_session *rc_session_new(rc_loop *loop, const rc_session_cbs *cbs, void *arg)
{
	if (!loop)
		return NULL;
	rc_session *s = sess_alloc(cbs, arg);
	if (s)
		s->loop = loop;
	return s;
}

/* Creates an empty session driven through the caller's adapter. */
rc_session *rc_session_new_adapter(const rc_adapter *ad, void *ctx, const rc_session_cbs *cbs,
    void *arg)
{
	rc_adapter copy;
	if (!conn_adapter_copy(&copy, ad))
		return NULL;
	rc_session *s = sess_alloc(cbs, arg);
	if (!s)
		return NULL;
	s->ad = copy;
	s->ad_ctx = ctx;
	return s;
}

/* Returns the server whose connection is c, or NULL (any other
 * connection, even another session's): the connection's own callback
 * argument leads back to it, whatever the number of servers. */
static struct srv *sess_find(rc_session *s, const rc_conn *c)
{
	struct srv *srv = conn_owner(c, srv_on_conn);
	return srv && srv->s == s && srv->conn == c ? srv : NULL;
}

/* The caller's loop saw fd of connection c ready. */
void rc_session_handle_io(rc_session *s, rc_conn *c, int fd, int revents)
{
	struct srv *srv = s && !s->loop ? sess_find(s, c) : NULL;
	if (!srv)
		return;
	sess_enter(s);
	rc_conn_handle_io(c, fd, revents);
	sess_leave(s);
}

/* The caller's loop fired the timer of connection c. */
void rc_session_handle_timer(rc_session *s, rc_conn *c)
{
	struct srv *srv = s && !s->loop ? sess_find(s, c) : NULL;
	if (!srv)
		return;
	sess_enter(s);
	rc_conn_handle_timer(c);
	sess_leave(s);
}

/* Frees a server, its connection and its queue. */
static void srv_free(struct srv *srv)
{
	rc_conn_free(srv->conn);
	for (struct sess_cmd *q; (q = srv_pop(srv));)
		free(q);
	free(srv->cur);
	free(srv->name);
	free(srv);
}

/* Starts (or restarts) srv's connection; a start that fails reports the
 * server down at once.  Returns what rc_conn_start() said. */
static int srv_start(struct srv *srv)
{
	rc_session *s = srv->s;
	sess_enter(s);
	int rc = rc_conn_start(srv->conn);
	if (rc < 0)
		srv_on_down(srv, rc, rc_strerror(rc), rc_conn_state(srv->conn),
		    rc_conn_state(srv->conn));   /* it never left that state */
	sess_leave(s);
	return rc;
}

/* Closes every connection and frees the session. */
void rc_session_free(rc_session *s)
{
	if (!s)
		return;
	while (s->fhead) {      /* first: a report may be in its server's slot */
		struct sess_pend *p = s->fhead;
		s->fhead = p->next;
		pend_free(p);
	}
	for (size_t i = 0; i < s->n_srv; i++)
		srv_free(s->srv[i]);
	free(s->srv);
	free(s);
}

/* Adds a server and starts connecting to it. */
int rc_session_add(rc_session *s, const rc_conn_opts *opts, size_t *server)
{
	if (!s || !opts || !core_opts_size_ok(opts) || !opts->host)
		return RC_EINVAL;
	if (s->n_srv == s->cap_srv) {
		size_t cap = s->cap_srv ? s->cap_srv * 2 : 4;
		struct srv **v = realloc(s->srv, cap * sizeof *v);
		if (!v)
			return RC_ENOMEM;
		s->srv = v;
		s->cap_srv = cap;
	}
	struct srv *srv = calloc(1, sizeof *srv);
	if (!srv)
		return RC_ENOMEM;
	srv->s = s;
	srv->index = s->n_srv;
	srv->name = strdup(opts->name ? opts->name : opts->host);
	/* A caller built with an older, shorter layout: the rest takes the
	 * defaults (as rc_conn_new does), never bytes past its structure. */
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	size_t n = core_opts_known(opts);
	memcpy(&o, opts, n < sizeof o ? n : sizeof o);
	o.size = sizeof o;
	o.reconnect = false;
	int err = RC_ENOMEM;
	struct conn_entry_hooks hooks = { sess_hook_enter, sess_hook_leave, s };
	if (srv->name && s->loop)
		srv->conn = conn_new_loop(s->loop, &o, srv_on_conn, srv, &hooks, &err);
	else if (srv->name)
		srv->conn = rc_conn_new_adapter(&s->ad, s->ad_ctx, &o, srv_on_conn, srv, &err);
	if (!srv->conn) {
		free(srv->name);
		free(srv);
		return err;
	}
	s->srv[s->n_srv++] = srv;
	s->n_open++;
	if (server)
		*server = srv->index;
	srv_start(srv);
	return 0;
}

/* Returns the number of servers. */
size_t rc_session_count(const rc_session *s)
{
	return s ? s->n_srv : 0;
}

/* Returns a server's connection. */
rc_conn *rc_session_conn(const rc_session *s, size_t server)
{
	return s && server < s->n_srv ? s->srv[server]->conn : NULL;
}

/* Queues a command for a server. */
int rc_session_push(rc_session *s, size_t server, const char *cmd, void *tag, uint64_t *seq)
{
	if (!s || server >= s->n_srv || !cmd)
		return RC_EINVAL;
	struct srv *srv = s->srv[server];
	if (srv->down || srv->finished || s->interrupting)
		return RC_ENOTREADY;
	size_t len = strlen(cmd);
	struct sess_cmd *q = malloc(sizeof *q + len + 1);
	if (!q)
		return RC_ENOMEM;
	memcpy(q->text, cmd, len + 1);
	q->next = NULL;
	q->tag = tag;
	q->seq = srv->next_seq++;
	if (seq)
		*seq = q->seq;
	if (srv->qtail)
		srv->qtail->next = q;
	else
		srv->qhead = q;
	srv->qtail = q;
	srv->nq++;
	sess_enter(s);
	srv_hand_over(srv);
	sess_leave(s);
	return 0;
}

/* Says no more commands will come. */
void rc_session_end(rc_session *s)
{
	if (!s || s->ended)
		return;
	s->ended = true;
	sess_enter(s);
	for (size_t i = 0; i < s->n_srv; i++)
		srv_check_finished(s->srv[i]);
	sess_leave(s);
}

/* Stops everything. */
void rc_session_interrupt(rc_session *s)
{
	rc_session_interrupt_cause(s, NULL);
}

/* Stops everything, with cause for what it ends. */
void rc_session_interrupt_cause(rc_session *s, const char *cause)
{
	if (!s || s->interrupting)
		return;
	s->interrupting = true;
	s->stop_cause = cause && *cause ? cause : "interrupted";
	sess_enter(s);
	for (size_t i = 0; i < s->n_srv; i++) {
		struct srv *srv = s->srv[i];
		if (srv->down || srv->finished)
			continue;
		/* The in-flight command ends RC_ELOST or RC_ENOTSENT, then IDLE. */
		rc_state was = rc_conn_state(srv->conn);
		rc_conn_stop(srv->conn);
		if (srv->cur) {
			/* The connection had nothing to say about it (cannot happen
			 * while it is handed over, but never drop it silently). */
			struct sess_pend *p = pend_last(srv, srv->cur, EV_OUTCOME);
			p->err = RC_ELOST;
			p->handed = true;
			p->cause = s->stop_cause;
			srv->cur = NULL;
			pend_push(s, p, false);
		}
		srv_on_down(srv, RC_ECANCELED, s->stop_cause, rc_conn_state(srv->conn), was);
	}
	sess_leave(s);
}

/* Reconnects a server that is down. */
int rc_session_restart(rc_session *s, size_t server)
{
	if (!s || server >= s->n_srv || s->ended || s->interrupting)
		return RC_EINVAL;
	struct srv *srv = s->srv[server];
	if (!srv->down)
		return RC_EINVAL;
	srv->down = srv->halted = srv->up = false;
	srv->halt_err = 0;
	srv->unsent_handed = 0;
	s->n_open++;
	int rc = srv_start(srv);
	return rc < 0 ? rc : 0;
}

/* Returns the commands queued and not handed over. */
size_t rc_session_queued(const rc_session *s, size_t server)
{
	return s && server < s->n_srv ? s->srv[server]->nq : 0;
}

/* Tells whether a server is down. */
bool rc_session_down(const rc_session *s, size_t server)
{
	return s && server < s->n_srv && s->srv[server]->down;
}

/* Tells whether a server is finished. */
bool rc_session_server_finished(const rc_session *s, size_t server)
{
	return s && server < s->n_srv && s->srv[server]->finished;
}

/* Tells whether every server is finished or down. */
bool rc_session_finished(const rc_session *s)
{
	return !s || s->n_open == 0;
}

/* Runs loop passes until every server is finished or down. */
int rc_session_run(rc_session *s)
{
	if (!s || !s->loop)
		return RC_EINVAL;
	while (!rc_session_finished(s))
		if (rc_loop_run_once(s->loop, -1) < 0)
			return RC_EIO;
	return 0;
}
