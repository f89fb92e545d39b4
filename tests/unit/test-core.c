/* test-core.c: the I/O-free connection core (src/lib/core.c, core-reasm.c)
 * with no socket, no loop and no real clock: byte strings and clock jumps
 * go in, bytes to write, events, actions and deadlines come out.  One test
 * (or a few) per rule of DESIGN.md section 2. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "rconsole/profile.h"
#include "core.h"
#include "core-int.h"

#define SEC 1000000LL
#define MS 1000LL

struct ev_rec {
	size_t size;
	enum rc_event_type type;
	rc_state state;
	int err;
	int status;
	uint64_t cmd;
	char body[8192];
	size_t len;
	unsigned frags;
	int64_t retry_ms;
	int32_t stray_id;
	char cause[256];
};

struct h {
	struct core *k;
	rc_conn_opts o;
	int64_t now;
	struct ev_rec ev[64];
	int nev;
	bool free_on_reply;
};

/* Records an event (and frees the core from a reply when asked). */
static void h_cb(struct core *k, const rc_event *e, void *arg)
{
	struct h *h = arg;
	cr_assert_lt(h->nev, 64);
	struct ev_rec *r = &h->ev[h->nev++];
	memset(r, 0, sizeof *r);
	r->size = e->size;
	r->type = e->type;
	r->state = e->state;
	r->err = e->err;
	r->status = e->status;
	r->cmd = e->cmd;
	r->retry_ms = e->retry_ms;
	r->stray_id = e->stray_id;
	r->frags = e->fragments;
	r->len = e->len;
	snprintf(r->cause, sizeof r->cause, "%s", e->cause ? e->cause : "");
	if (e->type == RC_EV_FRAGMENT)
		memcpy(r->body, e->body, e->len < sizeof r->body ? e->len : sizeof r->body - 1);
	if (e->type == RC_EV_REPLY && e->body) {
		cr_assert_eq(e->body[e->len], '\0', "reply body is NUL-terminated");
		memcpy(r->body, e->body, e->len < sizeof r->body ? e->len : sizeof r->body - 1);
	}
	if (e->type == RC_EV_REPLY && h->free_on_reply) {
		core_free(k);
		h->k = NULL;
	}
}

/* Default options: reconnect off, quiet 1 s. */
static void h_opts(struct h *h)
{
	memset(h, 0, sizeof *h);
	rc_conn_opts_init(&h->o);
	h->o.host = "mc.example";
	h->o.password = "secret";
	h->o.reconnect = false;
	h->now = 100 * SEC;
}

/* Creates the core from h->o. */
static void h_new(struct h *h)
{
	int err = 1;
	h->k = core_new(&h->o, h_cb, h, 42, &err);
	cr_assert_not_null(h->k);
	cr_assert_eq(err, 0);
}

/* Returns the last event. */
static struct ev_rec *last(struct h *h)
{
	cr_assert_gt(h->nev, 0);
	return &h->ev[h->nev - 1];
}

/* Takes the one packet the core has to write (all of it, in one piece). */
static rc_packet take(struct h *h, uint8_t *store)
{
	size_t n;
	const uint8_t *p = core_output(h->k, &n);
	cr_assert_gt(n, 0, "a packet to write");
	memcpy(store, p, n);
	rc_packet pkt;
	size_t used;
	cr_assert_eq(rc_packet_decode(store, n, 0, &pkt, &used, NULL), RC_DECODE_OK);
	cr_assert_eq(used, n, "exactly one packet per write");
	core_wrote(h->k, h->now, n);
	return pkt;
}

/* Asserts nothing is waiting to be written. */
static void nothing_out(struct h *h)
{
	size_t n;
	core_output(h->k, &n);
	cr_assert_eq(n, 0, "%zu bytes waiting to be written", n);
}

/* Feeds one packet from the server. */
static void give(struct h *h, int32_t id, int32_t type, const void *body, size_t len)
{
	uint8_t *b = malloc(len + 14);
	long n = rc_packet_encode(b, len + 14, id, type, body, len);
	cr_assert_gt(n, 0);
	core_input(h->k, h->now, b, (size_t)n);
	free(b);
}

/* Moves the fake clock and runs what fell due. */
static void jump(struct h *h, int64_t us)
{
	h->now += us;
	core_tick(h->k, h->now);
}

/* Drives RESOLVING -> CONNECTING -> AUTHENTICATING; returns the login id. */
static int32_t h_connect(struct h *h)
{
	cr_assert_eq(core_start(h->k, h->now), 0);
	cr_assert_eq(core_state(h->k), RC_STATE_RESOLVING);
	cr_assert_eq(core_actions(h->k), CORE_ACT_RESET | CORE_ACT_RESOLVE);
	core_resolved(h->k, h->now, 0, NULL);
	cr_assert_eq(core_state(h->k), RC_STATE_CONNECTING);
	cr_assert_eq(core_actions(h->k), CORE_ACT_CONNECT);
	core_attempt_begin(h->k, h->now, "192.0.2.1:25575");
	core_connected(h->k, h->now);
	cr_assert_eq(core_state(h->k), RC_STATE_AUTHENTICATING);
	uint8_t b[64];
	rc_packet p = take(h, b);
	cr_assert_eq(p.type, RC_TYPE_AUTH);
	cr_assert_eq(p.body_len, strlen(h->o.password));
	cr_assert_eq(memcmp(p.body, h->o.password, p.body_len), 0);
	return p.id;
}

/* Logs in and reaches READY. */
static void h_login(struct h *h)
{
	int32_t id = h_connect(h);
	give(h, id, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h->k), RC_STATE_READY);
	cr_assert_eq(core_deadline(h->k), 0, "nothing armed while idle");
}

/* Sends cmd and takes its packet; returns its request id. */
static int32_t h_cmd(struct h *h, const char *cmd)
{
	uint64_t id;
	cr_assert_eq(core_send(h->k, h->now, cmd, NULL, &id), 0);
	uint8_t b[4200];
	rc_packet p = take(h, b);
	cr_assert_eq(p.type, RC_TYPE_EXEC);
	cr_assert_eq(p.body_len, strlen(cmd));
	return p.id;
}

TestSuite(core, .timeout = 30);

Test(core, login_states_and_auth_packet)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	static const rc_state want[] = { RC_STATE_RESOLVING, RC_STATE_CONNECTING,
		RC_STATE_AUTHENTICATING, RC_STATE_READY };
	cr_assert_eq(h.nev, 4);
	for (int i = 0; i < 4; i++)
		cr_assert_eq(h.ev[i].state, want[i]);
	core_free(h.k);
}

Test(core, wrong_password_is_terminal)
{
	struct h h;
	h_opts(&h);
	h.o.reconnect = true;
	h_new(&h);
	h_connect(&h);
	give(&h, -1, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTH_FAILED);
	cr_assert_eq(last(&h)->err, RC_EAUTH);
	cr_assert_eq(core_actions(h.k), CORE_ACT_RESET);
	cr_assert_eq(core_deadline(h.k), 0, "never retried by itself");
	jump(&h, 3600 * SEC);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTH_FAILED);
	core_free(h.k);
}

Test(core, source_empty_response_before_auth_reply)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	int32_t id = h_connect(&h);
	give(&h, id, RC_TYPE_RESPONSE, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTHENTICATING);
	give(&h, id, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_READY);
	cr_assert_eq(core_stats(h.k)->strays, 0);
	core_free(h.k);
}

Test(core, one_write_per_packet_even_when_the_socket_takes_a_little)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	uint64_t a, b;
	cr_assert_eq(core_send(h.k, h.now, "say one", NULL, &a), 0);
	cr_assert_eq(core_send(h.k, h.now, "say two", NULL, &b), 0);
	size_t n;
	const uint8_t *p = core_output(h.k, &n);
	cr_assert_eq(n, 14 + 7, "only the first command is handed out");
	uint8_t copy[64];
	memcpy(copy, p, n);
	core_wrote(h.k, h.now, 5);
	size_t rest;
	p = core_output(h.k, &rest);
	cr_assert_eq(rest, n - 5, "the rest of the same packet, nothing more");
	cr_assert_eq(memcmp(p, copy + 5, rest), 0);
	core_wrote(h.k, h.now, rest);
	nothing_out(&h);
	cr_assert_eq(core_pending(h.k), 2);
	core_free(h.k);
}

Test(core, one_command_in_flight_queue_behind)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r1 = h_cmd(&h, "list");
	uint64_t id2;
	cr_assert_eq(core_send(h.k, h.now, "seed", NULL, &id2), 0);
	nothing_out(&h);
	cr_assert_eq(core_state(h.k), RC_STATE_BUSY);
	give(&h, r1, RC_TYPE_RESPONSE, "There are 0", 11);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_str_eq(last(&h)->body, "There are 0");
	uint8_t b[64];
	rc_packet p = take(&h, b);
	cr_assert_eq(p.body_len, 4, "the second command goes out after the first reply");
	cr_assert_neq(p.id, r1, "every packet has its own id");
	core_free(h.k);
}

Test(core, send_never_calls_back_and_refuses_when_not_ready)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), RC_ENOTREADY);
	h_connect(&h);
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), RC_ENOTREADY);
	core_free(h.k);
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int before = h.nev;
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), 0);
	cr_assert_eq(h.nev, before);
	core_free(h.k);
}

Test(core, command_text_rules)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	char big[1448];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, big, NULL, &id), RC_ETOOLONG);
	big[1446] = '\0';
	cr_assert_eq(core_check(h.k, big), 0, "1446 bytes is the vanilla limit");
	cr_assert_eq(core_send(h.k, h.now, "say a\nop b", NULL, &id), RC_EINVAL);
	cr_assert_eq(core_send(h.k, h.now, "say a\r", NULL, &id), RC_EINVAL);
	cr_assert_eq(core_send(h.k, h.now, "", NULL, &id), RC_EINVAL);
	nothing_out(&h);
	core_free(h.k);
}

Test(core, sentinel_only_after_the_first_fragment)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "help");
	nothing_out(&h);
	static char full[4096];
	memset(full, 'x', sizeof full);
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	uint8_t b[64];
	rc_packet s = take(&h, b);
	cr_assert_eq(s.type, 100, "the sentinel is an unknown type");
	cr_assert_neq(s.id, r);
	give(&h, r, RC_TYPE_RESPONSE, "tail", 4);
	nothing_out(&h);
	cr_assert_eq(core_state(h.k), RC_STATE_BUSY, "more may come until the sentinel's answer");
	give(&h, s.id, RC_TYPE_RESPONSE, "Unknown request 64", 18);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_eq(last(&h)->len, 4100);
	cr_assert_eq(last(&h)->frags, 2);
	cr_assert_eq(memcmp(last(&h)->body + 4096, "tail", 4), 0);
	cr_assert_eq(core_stats(h.k)->sentinels, 1);
	core_free(h.k);
}

Test(core, no_sentinel_while_the_command_is_partly_written)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, "help", NULL, &id), 0);
	size_t n;
	uint8_t b[64];
	const uint8_t *out = core_output(h.k, &n);
	memcpy(b, out, n);
	int32_t r = rc_le32_get(b + 4);
	core_wrote(h.k, h.now, 3);
	static char full[4096];
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	size_t rest;
	core_output(h.k, &rest);
	cr_assert_eq(rest, n - 3, "only the rest of the command, no sentinel behind it");
	core_free(h.k);
}

Test(core, short_fragment_ends_the_reply_without_sentinel)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "list");
	static char body[4095];
	memset(body, 'y', sizeof body);
	give(&h, r, RC_TYPE_RESPONSE, body, sizeof body);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_eq(last(&h)->len, 4095);
	nothing_out(&h);
	cr_assert_eq(core_stats(h.k)->sentinels, 0);
	core_free(h.k);
}

Test(core, quiet_probe_after_the_quiet_interval_only)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "say hi");
	cr_assert_eq(core_deadline(h.k), h.now + 1000 * MS, "the quiet interval is armed");
	jump(&h, 999 * MS);
	nothing_out(&h);
	jump(&h, 1 * MS);
	uint8_t b[64];
	rc_packet s = take(&h, b);
	cr_assert_eq(s.type, 100);
	give(&h, s.id, RC_TYPE_RESPONSE, "Unknown request 64", 18);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_eq(last(&h)->status, 0);
	cr_assert_eq(last(&h)->len, 0, "the sentinel's answer first: the reply was empty");
	cr_assert_eq(core_state(h.k), RC_STATE_READY);
	core_free(h.k);
}

Test(core, fragment_mode_none_and_sentinel)
{
	struct h h;
	h_opts(&h);
	h.o.fragments = RC_FRAG_NONE;
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "help");
	static char full[4096];
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	nothing_out(&h);
	jump(&h, 5 * SEC);
	nothing_out(&h);
	core_free(h.k);

	h_opts(&h);
	h.o.fragments = RC_FRAG_SENTINEL;
	h_new(&h);
	h_login(&h);
	r = h_cmd(&h, "list");
	give(&h, r, RC_TYPE_RESPONSE, "a", 1);
	uint8_t b[64];
	rc_packet s = take(&h, b);
	cr_assert_eq(s.type, 100);
	give(&h, s.id, RC_TYPE_RESPONSE, "Unknown request 64", 18);
	cr_assert_str_eq(last(&h)->body, "a");
	core_free(h.k);
}

Test(core, source_dialect_sentinel_and_trailer)
{
	struct h h;
	h_opts(&h);
	h.o.dialect = RC_DIALECT_SOURCE;
	h.o.fragments = RC_FRAG_SENTINEL;
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "status");
	give(&h, r, RC_TYPE_RESPONSE, "ok", 2);
	uint8_t b[64];
	rc_packet s = take(&h, b);
	cr_assert_eq(s.type, RC_TYPE_RESPONSE, "Source: an empty response value");
	give(&h, s.id, RC_TYPE_RESPONSE, "", 0);
	cr_assert_str_eq(last(&h)->body, "ok");
	give(&h, s.id, RC_TYPE_RESPONSE, "\0\0\0\1\0\0\0\0", 8);
	cr_assert_eq(core_stats(h.k)->strays, 0, "the mirror's second packet is absorbed");
	core_free(h.k);
}

Test(core, strays_are_dropped_and_counted_never_shifted)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	give(&h, 4242, RC_TYPE_RESPONSE, "welcome", 7);
	cr_assert_eq(last(&h)->type, RC_EV_STRAY);
	cr_assert_eq(last(&h)->stray_id, 4242);
	int32_t r = h_cmd(&h, "list");
	give(&h, r, 4, "rust", 4);
	cr_assert_eq(last(&h)->type, RC_EV_STRAY, "a type-4 packet is not a reply");
	give(&h, r + 100, RC_TYPE_RESPONSE, "late", 4);
	cr_assert_eq(last(&h)->type, RC_EV_STRAY);
	give(&h, r, RC_TYPE_RESPONSE, "mine", 4);
	cr_assert_str_eq(last(&h)->body, "mine");
	cr_assert_eq(core_stats(h.k)->strays, 3);
	core_free(h.k);
}

Test(core, replies_split_anywhere_are_reassembled_exactly)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "list");
	/* "é" (c3 a9) cut between the two bytes of one fragment's bytes. */
	uint8_t pkt[64];
	long n = rc_packet_encode(pkt, sizeof pkt, r, RC_TYPE_RESPONSE, "caf\xc3\xa9!", 6);
	for (long i = 0; i < n; i++)
		core_input(h.k, h.now, pkt + i, 1);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_eq(last(&h)->len, 6);
	cr_assert_eq(memcmp(last(&h)->body, "caf\xc3\xa9!", 6), 0);
	core_free(h.k);
}

Test(core, lost_after_write_is_outcome_unknown_and_never_resent)
{
	struct h h;
	h_opts(&h);
	h.o.reconnect = true;
	h_new(&h);
	h_login(&h);
	uint64_t q1, q2;
	h_cmd(&h, "op alice");
	cr_assert_eq(core_send(h.k, h.now, "say two", NULL, &q1), 0);
	cr_assert_eq(core_send(h.k, h.now, "say three", NULL, &q2), 0);
	core_eof(h.k, h.now);
	cr_assert_geq(h.nev, 4, "%d events", h.nev);
	cr_assert_eq(h.ev[h.nev - 4].type, RC_EV_REPLY);
	cr_assert_eq(h.ev[h.nev - 4].status, RC_ELOST);
	cr_assert_eq(h.ev[h.nev - 3].status, RC_ENOTSENT);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ENOTSENT);
	cr_assert_eq(last(&h)->state, RC_STATE_BACKOFF);
	cr_assert_eq(core_pending(h.k), 0);
	/* The next session starts empty: nothing is written again. */
	jump(&h, 2 * SEC);
	cr_assert_eq(core_state(h.k), RC_STATE_RESOLVING);
	core_actions(h.k);
	core_resolved(h.k, h.now, 0, NULL);
	core_actions(h.k);
	core_attempt_begin(h.k, h.now, "192.0.2.1:25575");
	core_connected(h.k, h.now);
	uint8_t b[64];
	rc_packet a = take(&h, b);
	give(&h, a.id, RC_TYPE_AUTH_REPLY, "", 0);
	nothing_out(&h);
	core_free(h.k);
}

Test(core, unwritten_command_is_not_sent_when_lost)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), 0);
	core_io_error(h.k, h.now, RC_ECLOSED, "write: broken pipe");
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ENOTSENT, "not one byte was written");
	cr_assert_eq(last(&h)->state, RC_STATE_FAILED);
	core_free(h.k);
}

Test(core, connect_timeout_per_address_then_next)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	core_start(h.k, h.now);
	core_actions(h.k);
	core_resolved(h.k, h.now, 0, NULL);
	core_actions(h.k);
	core_attempt_begin(h.k, h.now, "[2001:db8::1]:25575");
	cr_assert_eq(core_deadline(h.k), h.now + 5 * SEC);
	jump(&h, 5 * SEC);
	cr_assert_eq(core_actions(h.k), CORE_ACT_CLOSE | CORE_ACT_CONNECT);
	cr_assert_eq(core_state(h.k), RC_STATE_CONNECTING);
	core_attempt_failed(h.k, h.now, "192.0.2.1:25575", RC_ECONNECT, "Connection refused");
	cr_assert_eq(core_actions(h.k), CORE_ACT_CONNECT);
	core_no_address(h.k, h.now);
	cr_assert_eq(core_state(h.k), RC_STATE_FAILED);
	const char *cause;
	cr_assert_eq(core_last_error(h.k, &cause), RC_ECONNECT, "the last address decides");
	cr_assert(strstr(cause, "[2001:db8::1]:25575: no connection within 5 s"), "%s", cause);
	cr_assert(strstr(cause, "192.0.2.1:25575: Connection refused"), "%s", cause);
	core_free(h.k);
}

Test(core, resolve_failure)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	core_start(h.k, h.now);
	core_resolved(h.k, h.now, RC_ERESOLVE, "mc.example: Name or service not known");
	cr_assert_eq(core_state(h.k), RC_STATE_FAILED);
	cr_assert_eq(last(&h)->err, RC_ERESOLVE);
	core_free(h.k);
}

Test(core, auth_timeout)
{
	struct h h;
	h_opts(&h);
	h.o.auth_timeout_ms = 2000;
	h_new(&h);
	h_connect(&h);
	jump(&h, 1999 * MS);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTHENTICATING);
	jump(&h, 1 * MS);
	cr_assert_eq(core_state(h.k), RC_STATE_FAILED);
	cr_assert_eq(last(&h)->err, RC_ETIMEOUT);
	core_free(h.k);
}

Test(core, command_timeout_closes_and_reconnects)
{
	struct h h;
	h_opts(&h);
	h.o.reconnect = true;
	h.o.quiet_ms = -1;
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "list");
	jump(&h, 10 * SEC);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ETIMEOUT);
	cr_assert_eq(last(&h)->state, RC_STATE_BACKOFF);
	cr_assert_eq(core_actions(h.k), CORE_ACT_RESET, "the socket is dropped");
	core_free(h.k);
}

/* A reply that stopped coming: the timeout's report carries the packet
 * that did come, for the caller to show as cut (and none when nothing
 * came). */
Test(core, a_timeout_reports_what_of_the_reply_came)
{
	struct h h;
	h_opts(&h);
	h.o.quiet_ms = -1;
	h_new(&h);
	h_login(&h);
	int32_t id = h_cmd(&h, "sim pattern 9000");
	char frag[4096];
	memset(frag, 'p', sizeof frag);
	give(&h, id, RC_TYPE_RESPONSE, frag, sizeof frag);
	jump(&h, 10 * SEC);
	struct ev_rec *r = &h.ev[h.nev - 2];
	cr_assert_eq(r->type, RC_EV_REPLY);
	cr_assert_eq(r->status, RC_ETIMEOUT);
	cr_assert_eq(r->len, 4096, "%zu bytes", r->len);
	cr_assert_eq(r->frags, 1);
	cr_assert_eq(memcmp(r->body, frag, sizeof frag), 0);
	core_free(h.k);

	h_opts(&h);
	h.o.quiet_ms = -1;
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "list");
	jump(&h, 10 * SEC);
	r = &h.ev[h.nev - 2];
	cr_assert_eq(r->status, RC_ETIMEOUT);
	cr_assert_eq(r->len, 0, "nothing came, nothing carried");
	core_free(h.k);
}

Test(core, clock_jump_past_several_deadlines)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "list");
	/* Quiet (1 s) and command (10 s) deadlines both passed at once: the
	 * probe goes first, then the timeout. */
	jump(&h, 60 * SEC);
	cr_assert_eq(core_state(h.k), RC_STATE_FAILED);
	cr_assert_eq(core_stats(h.k)->sentinels, 1);
	core_free(h.k);
}

Test(core, backoff_doubles_with_jitter_to_the_cap_and_resets)
{
	struct h h;
	h_opts(&h);
	h.o.reconnect = true;
	h_new(&h);
	int64_t expect[] = { 1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000 };
	core_start(h.k, h.now);
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		core_resolved(h.k, h.now, RC_ERESOLVE, "nope");
		int64_t d = last(&h)->retry_ms;
		cr_assert_eq(last(&h)->state, RC_STATE_BACKOFF);
		cr_assert_geq(d, expect[i] == 60000 ? 48000 : expect[i], "delay %zu: %lld", i,
		    (long long)d);
		cr_assert_leq(d, expect[i] == 60000 ? 60000 : expect[i] + expect[i] / 5);
		cr_assert_eq(core_retry_at(h.k), h.now + d * MS);
		jump(&h, d * MS - 1);
		cr_assert_eq(core_state(h.k), RC_STATE_BACKOFF);
		jump(&h, 1);
		cr_assert_eq(core_state(h.k), RC_STATE_RESOLVING);
	}
	cr_assert_eq(core_stats(h.k)->reconnects, 9);
	/* A session READY for 60 s starts the backoff over. */
	core_resolved(h.k, h.now, 0, NULL);
	core_attempt_begin(h.k, h.now, "x");
	core_connected(h.k, h.now);
	uint8_t b[64];
	rc_packet a = take(&h, b);
	give(&h, a.id, RC_TYPE_AUTH_REPLY, "", 0);
	h.now += 61 * SEC;
	core_eof(h.k, h.now);
	cr_assert_leq(last(&h)->retry_ms, 1200);
	core_free(h.k);
}

Test(core, packet_limits_are_protocol_errors)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	uint8_t bad[14] = { 5, 0, 0, 0 };
	core_input(h.k, h.now, bad, sizeof bad);
	cr_assert_eq(core_state(h.k), RC_STATE_FAILED);
	cr_assert_eq(last(&h)->err, RC_EPROTO);
	core_free(h.k);

	h_opts(&h);
	h.o.max_packet = 4096;
	h_new(&h);
	h_login(&h);
	uint8_t big[4] = { 0x01, 0x20, 0, 0 };   /* 8193 */
	core_input(h.k, h.now, big, sizeof big);
	cr_assert_eq(last(&h)->err, RC_EPROTO);
	core_free(h.k);
}

Test(core, reply_over_the_limit_is_too_big)
{
	struct h h;
	h_opts(&h);
	h.o.max_response = 5000;
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "help");
	static char full[4096];
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	uint8_t b[64];
	take(&h, b);
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ETOOBIG);
	cr_assert_eq(last(&h)->err, RC_ETOOBIG);
	core_free(h.k);
}

Test(core, read_only_gate)
{
	struct h h;
	h_opts(&h);
	h.o.read_only = true;
	h_new(&h);
	h_login(&h);
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, "op mallory", NULL, &id), RC_EREADONLY);
	nothing_out(&h);
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), 0);
	core_free(h.k);

	/* Turned on with a command queued: the queued one is refused, unwritten. */
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "list");
	cr_assert_eq(core_send(h.k, h.now, "op mallory", NULL, &id), 0);
	core_set_read_only(h.k, true);
	core_set_read_only(h.k, false);
	cr_assert(core_read_only(h.k), "read-only never turns off");
	give(&h, r, RC_TYPE_RESPONSE, "x", 1);
	cr_assert_eq(last(&h)->status, RC_EREADONLY);
	nothing_out(&h);
	core_free(h.k);
}

Test(core, read_only_list_is_the_cores_own_parsed_copy)
{
	/* The allowlist is copied and parsed once, at core_new: the caller's
	 * strings may be gone (ASan would see a stale read) and be changed. */
	char *own[3] = { strdup("say *"), strdup("/seed"), strdup("l\xc4\xb1st") };
	struct h h;
	h_opts(&h);
	h.o.read_only = true;
	h.o.allow = (const char *const *)own;
	h.o.n_allow = 3;
	h_new(&h);
	own[0][0] = 'o';
	own[0][1] = 'p';
	for (int i = 0; i < 3; i++)
		free(own[i]);
	h_login(&h);
	uint64_t id;
	cr_assert_eq(core_check(h.k, "say hi there"), 0);
	cr_assert_eq(core_check(h.k, "seed"), 0);
	cr_assert_eq(core_check(h.k, "list"), RC_EREADONLY, "not the default list");
	cr_assert_eq(core_check(h.k, "opy *"), RC_EREADONLY);
	int32_t r = h_cmd(&h, "say hi");
	cr_assert_eq(core_send(h.k, h.now, "seed", NULL, &id), 0);
	cr_assert_eq(core_send(h.k, h.now, "op me", NULL, &id), RC_EREADONLY);
	give(&h, r, RC_TYPE_RESPONSE, "x", 1);
	uint8_t b[64];
	rc_packet p = take(&h, b);
	cr_assert_eq(p.body_len, 4, "the queued seed went out");
	core_free(h.k);

	/* An empty list allows nothing; entries that never match are dropped. */
	static const char *const none[] = { " *", NULL };
	h_opts(&h);
	h.o.read_only = true;
	h.o.allow = none;
	h_new(&h);
	h_login(&h);
	cr_assert_eq(core_check(h.k, "list"), RC_EREADONLY);
	cr_assert_eq(core_check(h.k, "anything"), RC_EREADONLY);
	core_free(h.k);
}

/* Returns true when needle occurs in the len bytes at hay. */
static bool holds(const uint8_t *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; hay && i + n <= len; i++)
		if (memcmp(hay + i, needle, n) == 0)
			return true;
	return false;
}

Test(core, output_buffer_is_reused_and_wiped_after_every_packet)
{
	/* One buffer serves the login and the commands after it (no malloc
	 * per packet); each packet is wiped once written, so the kept buffer
	 * never holds the password or an old command. */
	struct h h;
	h_opts(&h);
	h.o.password = "hunter2-secret";
	h_new(&h);
	int32_t auth = h_connect(&h);
	const uint8_t *buf = h.k->obuf;
	cr_assert_not_null(buf, "kept after the login was written");
	cr_assert_eq(h.k->ocap, CORE_OBUF_KEEP);
	cr_assert_not(holds(buf, h.k->ocap, "hunter2-secret"), "the login is wiped once written");
	give(&h, auth, RC_TYPE_AUTH_REPLY, "", 0);
	for (int i = 0; i < 3; i++) {
		int32_t r = h_cmd(&h, "whitelist add Alice");
		cr_assert_eq(h.k->obuf, buf, "command %d: the same buffer", i);
		cr_assert_not(holds(buf, h.k->ocap, "Alice"), "command %d wiped", i);
		give(&h, r, RC_TYPE_RESPONSE, "ok", 2);
		cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	}
	/* A command larger than the kept size gets its own buffer, freed (and
	 * wiped) once written; the next small one starts a small one again. */
	char big[1000];
	memset(big, 'b', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "say ", 4);
	int32_t r = h_cmd(&h, big);
	cr_assert_null(h.k->obuf, "a large packet's buffer is not kept");
	cr_assert_eq(h.k->ocap, 0);
	give(&h, r, RC_TYPE_RESPONSE, "", 0);
	r = h_cmd(&h, "list");
	cr_assert_eq(h.k->ocap, CORE_OBUF_KEEP);
	give(&h, r, RC_TYPE_RESPONSE, "", 0);
	/* A connection that goes down holds none. */
	core_io_error(h.k, h.now, RC_ECLOSED, "read: gone");
	cr_assert_null(h.k->obuf);
	core_free(h.k);
}

Test(core, stop_then_close_is_the_server_stopping)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "stop");
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), 0);
	give(&h, r, RC_TYPE_RESPONSE, "Stopping the server", 19);
	nothing_out(&h);   /* held: the server is about to close */
	core_eof(h.k, h.now);
	cr_assert_eq(h.ev[h.nev - 3].status, 0);
	cr_assert_str_eq(h.ev[h.nev - 3].body, "Stopping the server");
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ENOTSENT);
	cr_assert_eq(last(&h)->err, RC_ESTOPPED);
	core_free(h.k);
}

Test(core, held_commands_go_out_when_the_server_stays)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "stop");
	uint64_t id;
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, &id), 0);
	give(&h, r, RC_TYPE_RESPONSE, "Stopping", 8);
	nothing_out(&h);
	jump(&h, 10 * SEC);
	uint8_t b[64];
	rc_packet p = take(&h, b);
	cr_assert_eq(p.body_len, 4);
	core_free(h.k);
}

Test(core, stop_fails_pending_and_free_from_a_callback)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "list");
	uint64_t id;
	core_send(h.k, h.now, "seed", NULL, &id);
	core_stop(h.k, h.now);
	cr_assert_eq(h.ev[h.nev - 3].status, RC_ELOST);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ENOTSENT);
	cr_assert_eq(last(&h)->state, RC_STATE_IDLE);
	core_free(h.k);

	h_opts(&h);
	h.free_on_reply = true;
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "list");
	core_send(h.k, h.now, "seed", NULL, &id);
	struct core *k = h.k;
	give(&h, r, RC_TYPE_RESPONSE, "x", 1);
	cr_assert_null(h.k, "freed from inside its reply event (ASan checks the rest)");
	(void)k;
}

Test(core, options_are_validated_with_a_reason)
{
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	int err = 0;
	cr_assert_null(core_new(&o, NULL, NULL, 1, &err));
	cr_assert_eq(err, RC_EINVAL);
	o.host = "h";
	o.dialect = (rc_dialect)7;
	cr_assert_null(core_new(&o, NULL, NULL, 1, &err));
	cr_assert_eq(err, RC_EINVAL);
	o.dialect = RC_DIALECT_MINECRAFT;
	char pw[1500];
	memset(pw, 'p', sizeof pw - 1);
	pw[sizeof pw - 1] = '\0';
	o.password = pw;
	cr_assert_null(core_new(&o, NULL, NULL, 1, &err));
	cr_assert_eq(err, RC_ETOOLONG);
}

Test(core, an_answer_to_a_packet_not_yet_written_is_a_stray)
{
	/* Found by fuzz-core: a peer guessing the login's id answered it before
	 * the login was written, and the core went on to write a command. */
	struct h h;
	h_opts(&h);
	h_new(&h);
	core_start(h.k, h.now);
	core_resolved(h.k, h.now, 0, NULL);
	core_attempt_begin(h.k, h.now, "192.0.2.1:25575");
	core_connected(h.k, h.now);
	size_t n;
	uint8_t b[64];
	const uint8_t *out = core_output(h.k, &n);
	memcpy(b, out, n);
	int32_t auth = rc_le32_get(b + 4);
	give(&h, auth, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTHENTICATING);
	cr_assert_eq(last(&h)->type, RC_EV_STRAY);
	core_wrote(h.k, h.now, n);
	give(&h, auth, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_READY, "state %s, %d events", rc_state_name(core_state(h.k)), h.nev);
	core_free(h.k);
}

Test(core, options_past_the_callers_size_take_their_defaults)
{
	/* An older caller knew only the fields before backoff_min_ms: what lies
	 * past its size is not read (here: garbage) and takes the defaults. */
	struct h h;
	h_opts(&h);
	h.o.reconnect = true;
	h.o.size = offsetof(rc_conn_opts, backoff_min_ms);
	h.o.backoff_min_ms = 7;
	h.o.backoff_max_ms = 9;
	h.o.read_only = true;
	h_new(&h);
	cr_assert_not(core_read_only(h.k), "read_only lies past the caller's size");
	core_start(h.k, h.now);
	core_resolved(h.k, h.now, RC_ERESOLVE, "nope");
	cr_assert_geq(last(&h)->retry_ms, 1000, "the default backoff, not 7 ms");
	cr_assert_eq(h.ev[0].size, sizeof(rc_event), "events say how much they hold");
	core_free(h.k);

	rc_conn_opts o;
	memset(&o, 0x5a, sizeof o);
	rc_conn_opts_init_size(&o, offsetof(rc_conn_opts, quiet_ms));
	cr_assert_eq(o.size, offsetof(rc_conn_opts, quiet_ms));
	cr_assert_eq(o.command_timeout_ms, 10000);
	cr_assert_eq(o.quiet_ms, 0x5a5a5a5a, "nothing written past the caller's size");
}

/* Sends "list", answers it with a short reply and says whether the reply
 * came out as a fragment first (the stream option in force). */
static bool h_streams(struct h *h)
{
	int32_t r = h_cmd(h, "list");
	int before = h->nev;
	give(h, r, RC_TYPE_RESPONSE, "none", 4);
	cr_assert_eq(last(h)->type, RC_EV_REPLY);
	for (int i = before; i < h->nev; i++)
		if (h->ev[i].type == RC_EV_FRAGMENT)
			return true;
	return false;
}

Test(core, options_size_zero_is_the_first_layout)
{
	/* The one reading of size (rconsole/conn.h): 0 is the first layout,
	 * host to n_allow, so read_only is read but stream (appended later)
	 * is not; a short size reads up to itself; the full size reads all. */
	static const struct {
		size_t size;
		bool read_only, stream;
	} cases[] = {
		{ 0, true, false },
		{ offsetof(rc_conn_opts, read_only), false, false },
		{ offsetof(rc_conn_opts, stream), true, false },
		{ sizeof(rc_conn_opts), true, true },
		{ sizeof(rc_conn_opts) + 64, true, true }, /* a newer caller: ours only */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t want = cases[i].size == 0 ? offsetof(rc_conn_opts, stream) :
		    cases[i].size > sizeof(rc_conn_opts) ? sizeof(rc_conn_opts) : cases[i].size;
		struct h h;
		h_opts(&h);
		h.o.size = cases[i].size;
		h.o.read_only = true;
		h.o.stream = true;
		cr_assert_eq(core_opts_known(&h.o), want, "case %zu", i);
		cr_assert_eq(core_opts_has(&h.o, offsetof(rc_conn_opts, stream), sizeof h.o.stream),
		    cases[i].stream, "case %zu", i);
		h_new(&h);
		cr_assert_eq(core_read_only(h.k), cases[i].read_only, "case %zu: read_only", i);
		h_login(&h);
		cr_assert_eq(h_streams(&h), cases[i].stream, "case %zu: stream", i);
		core_free(h.k);
	}
}

Test(core, numeric_options_left_at_zero_take_what_opts_init_gives)
{
	/* One table of defaults: a field left at 0 behaves exactly as the
	 * value rc_conn_opts_init() hands out. */
	rc_conn_opts d;
	rc_conn_opts_init(&d);
	cr_assert_eq(d.connect_timeout_ms, 5000);
	cr_assert_eq(d.auth_timeout_ms, 5000);
	cr_assert_eq(d.command_timeout_ms, 10000);
	cr_assert_eq(d.quiet_ms, 1000);
	cr_assert_eq(d.max_queue, 1024);
	cr_assert_eq(d.backoff_min_ms, 1000);
	cr_assert(d.reconnect);
	struct h h;
	h_opts(&h);
	h.o.connect_timeout_ms = h.o.auth_timeout_ms = h.o.command_timeout_ms = 0;
	h.o.quiet_ms = 0;
	h.o.max_queue = 0;
	h.o.backoff_min_ms = h.o.backoff_max_ms = h.o.backoff_reset_ms = 0;
	h.o.reconnect = true;
	h_new(&h);
	core_start(h.k, h.now);
	core_resolved(h.k, h.now, 0, NULL);
	core_attempt_begin(h.k, h.now, "192.0.2.1:25575");
	cr_assert_eq(core_deadline(h.k), h.now + d.connect_timeout_ms * 1000LL, "connect");
	core_connected(h.k, h.now);
	cr_assert_eq(core_deadline(h.k), h.now + d.auth_timeout_ms * 1000LL, "auth");
	uint8_t b[64];
	rc_packet p = take(&h, b);
	give(&h, p.id, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_READY);
	h_cmd(&h, "list");
	cr_assert_eq(core_deadline(h.k), h.now + d.quiet_ms * 1000LL, "quiet interval");
	/* A failure waits backoff_min plus at most 20% jitter. */
	core_io_error(h.k, h.now, RC_ECLOSED, "read: gone");
	cr_assert_eq(core_state(h.k), RC_STATE_BACKOFF);
	int64_t wait = core_retry_at(h.k) - h.now;
	cr_assert(wait >= d.backoff_min_ms * 1000LL && wait <= d.backoff_min_ms * 1200LL, "%lld",
	    (long long)wait);
	core_free(h.k);

	/* The command timeout, with the quiet probe off. */
	h_opts(&h);
	h.o.command_timeout_ms = 0;
	h.o.quiet_ms = -1;
	h.o.max_queue = 0;
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "list");
	cr_assert_eq(core_deadline(h.k), h.now + d.command_timeout_ms * 1000LL, "command");
	/* The queue holds max_queue commands behind the one in flight (freed
	 * without events below). */
	for (size_t i = 0; i < d.max_queue; i++)
		cr_assert_eq(core_send(h.k, h.now, "list", NULL, NULL), 0, "command %zu", i);
	cr_assert_eq(core_send(h.k, h.now, "list", NULL, NULL), RC_EFULL);
	core_free(h.k);
}

Test(core, stream_hands_out_each_fragment_and_keeps_none)
{
	struct h h;
	h_opts(&h);
	h.o.stream = true;
	h.o.max_response = 5000;
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "help");
	static char full[4096];
	memset(full, 'x', sizeof full);
	full[0] = 'A';
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	cr_assert_eq(last(&h)->type, RC_EV_FRAGMENT, "the fragment comes out as it arrives");
	cr_assert_eq(last(&h)->len, 4096);
	cr_assert_eq(last(&h)->frags, 1);
	cr_assert_eq(last(&h)->body[0], 'A');
	cr_assert_eq(core_state(h.k), RC_STATE_BUSY);
	uint8_t b[64];
	rc_packet s = take(&h, b);
	give(&h, r, RC_TYPE_RESPONSE, "tail", 4);
	cr_assert_eq(last(&h)->type, RC_EV_FRAGMENT);
	cr_assert_eq(last(&h)->frags, 2);
	cr_assert_eq(memcmp(last(&h)->body, "tail", 4), 0);
	give(&h, s.id, RC_TYPE_RESPONSE, "Unknown request 64", 18);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_eq(last(&h)->status, 0);
	cr_assert_eq(last(&h)->len, 0, "nothing kept: the reply was handed out");
	cr_assert_eq(last(&h)->frags, 2);
	/* The limit still holds over the whole reply. */
	r = h_cmd(&h, "help");
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	take(&h, b);
	give(&h, r, RC_TYPE_RESPONSE, full, sizeof full);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ETOOBIG);
	core_free(h.k);
}

Test(core, reply_buffer_grows_from_an_empty_first_fragment)
{
	/* The reply buffer starts at the first fragment's size: an empty one,
	 * then small ones, then a full one must all land, byte for byte. */
	struct h h;
	h_opts(&h);
	h.o.fragments = RC_FRAG_SENTINEL;
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "help");
	give(&h, r, RC_TYPE_RESPONSE, "", 0);
	uint8_t b[64];
	rc_packet s = take(&h, b);
	cr_assert_eq(s.type, 100);
	static char big[5000];
	memset(big, 'x', sizeof big);
	give(&h, r, RC_TYPE_RESPONSE, "ab", 2);
	give(&h, r, RC_TYPE_RESPONSE, "c", 1);
	give(&h, r, RC_TYPE_RESPONSE, big, sizeof big);
	give(&h, s.id, RC_TYPE_RESPONSE, "Unknown request 64", 18);
	struct ev_rec *e = last(&h);
	cr_assert_eq(e->type, RC_EV_REPLY);
	cr_assert_eq(e->len, 3 + sizeof big);
	cr_assert_eq(memcmp(e->body, "abcxxx", 6), 0);
	core_free(h.k);
}

Test(core, command_and_reply_blocks_are_kept_small_and_wiped)
{
	/* A refresh a second allocates nothing per command: the finished
	 * command's block (wiped) serves the next one, and a small reply
	 * buffer stays for the next reply; large ones of either are freed. */
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_login(&h);
	int32_t r = h_cmd(&h, "whitelist add Alice");
	const char *players = "There are 2 of a max of 20 players online: Alice, Bob";
	give(&h, r, RC_TYPE_RESPONSE, players, strlen(players));
	cr_assert_str_eq(last(&h)->body, players);
	struct core_cmd *blk = h.k->spare;
	cr_assert_not_null(blk, "the finished command's block is kept");
	cr_assert_eq(blk->cap, CORE_CMD_MIN);
	cr_assert_not(holds((const uint8_t *)blk->text, blk->cap, "Alice"), "and wiped");
	cr_assert_not_null(h.k->rbuf, "a small reply buffer is kept");
	cr_assert_leq(h.k->rcap, CORE_RBUF_KEEP);
	cr_assert_eq(h.k->rlen, 0);
	/* The next command takes the block; its reply is its own, not what the
	 * kept buffer held before. */
	r = h_cmd(&h, "tps");
	cr_assert_eq(h.k->cur, blk);
	cr_assert_null(h.k->spare);
	cr_assert_eq(blk->len, 3);
	cr_assert_str_eq(blk->text, "tps");
	give(&h, r, RC_TYPE_RESPONSE, "ok", 2);
	cr_assert_eq(last(&h)->len, 2);
	cr_assert_str_eq(last(&h)->body, "ok");
	cr_assert_eq(h.k->spare, blk);
	/* Longer than the block: a new one for it, freed when done (one spare
	 * at most); then the block serves again. */
	char mid[120];
	memset(mid, 'm', sizeof mid - 1);
	mid[sizeof mid - 1] = '\0';
	memcpy(mid, "say ", 4);
	r = h_cmd(&h, mid);
	cr_assert_neq(h.k->cur, blk);
	cr_assert_eq(h.k->cur->cap, sizeof mid - 1);
	cr_assert_eq(h.k->spare, blk);
	give(&h, r, RC_TYPE_RESPONSE, "", 0);
	cr_assert_eq(h.k->spare, blk);
	/* A reply larger than the kept size: its buffer is freed after it. */
	static char big[2000];
	memset(big, 'x', sizeof big);
	r = h_cmd(&h, "list");
	cr_assert_eq(h.k->cur, blk);
	give(&h, r, RC_TYPE_RESPONSE, big, sizeof big);
	cr_assert_eq(last(&h)->len, sizeof big);
	cr_assert_null(h.k->rbuf, "a large reply buffer is not kept");
	cr_assert_eq(h.k->rcap, 0);
	r = h_cmd(&h, "list");
	give(&h, r, RC_TYPE_RESPONSE, "y", 1);
	cr_assert_str_eq(last(&h)->body, "y");
	/* A block kept when the connection goes down is freed with the core
	 * (the sanitizer build would see a leak). */
	core_io_error(h.k, h.now, RC_ECLOSED, "read: gone");
	core_free(h.k);
}

Test(core, a_command_timeout_after_part_of_the_reply_says_what_arrived)
{
	/* A full fragment came, the sentinel went out and was never answered:
	 * the cause must not claim that no reply came. */
	struct h h;
	h_opts(&h);
	h.o.quiet_ms = -1;
	h_new(&h);
	h_login(&h);
	int32_t id = h_cmd(&h, "help");
	char body[4096];
	memset(body, 'h', sizeof body);
	give(&h, id, RC_TYPE_RESPONSE, body, sizeof body);
	uint8_t b[64];
	cr_assert_eq(take(&h, b).type, CORE_SENTINEL_TYPE);
	give(&h, id, RC_TYPE_RESPONSE, body, 100);
	jump(&h, 10 * SEC);
	struct ev_rec *r = &h.ev[h.nev - 2];
	cr_assert_eq(r->type, RC_EV_REPLY);
	cr_assert_eq(r->status, RC_ETIMEOUT);
	cr_assert_str_eq(r->cause,
	    "reply not complete: nothing more came within 10 s (4224 bytes arrived)");
	cr_assert_str_eq(last(&h)->cause, r->cause);
	core_free(h.k);
}

Test(core, a_reply_still_coming_is_not_cut_by_the_command_timeout)
{
	/* A long reply over a slow link: a packet every 6 s, 30 s in all,
	 * against a 10 s command timeout.  The timeout is the silence, so the
	 * reply is whole; silence as long as the timeout then still ends the
	 * next command. */
	struct h h;
	h_opts(&h);
	h.o.quiet_ms = -1;
	h_new(&h);
	h_login(&h);
	int32_t id = h_cmd(&h, "help");
	char body[4096];
	memset(body, 'h', sizeof body);
	uint8_t b[64];
	for (int i = 0; i < 5; i++) {
		jump(&h, 6 * SEC);
		cr_assert_eq(core_state(h.k), RC_STATE_BUSY, "packet %d: still waiting", i);
		give(&h, id, RC_TYPE_RESPONSE, body, sizeof body);
		if (i == 0)
			cr_assert_eq(take(&h, b).type, CORE_SENTINEL_TYPE);
	}
	/* 9.9 s after the last packet: not yet. */
	jump(&h, 9900000);
	cr_assert_eq(core_state(h.k), RC_STATE_BUSY);
	for (int i = 0; i < h.nev; i++)
		cr_assert_neq(h.ev[i].type, RC_EV_REPLY, "no reply reported yet");
	/* The sentinel's answer ends it: five packets, none lost. */
	give(&h, h.k->sentinel_req, RC_TYPE_RESPONSE, "", 0);
	cr_assert_eq(last(&h)->type, RC_EV_REPLY);
	cr_assert_eq(last(&h)->status, 0);
	cr_assert_eq(last(&h)->len, 5 * sizeof body);
	cr_assert_eq(last(&h)->frags, 5);
	/* The next command's deadline is its own: 10 s of silence ends it. */
	h_cmd(&h, "list");
	jump(&h, 9900000);
	cr_assert_eq(core_state(h.k), RC_STATE_BUSY);
	jump(&h, 100000);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ETIMEOUT);
	cr_assert_str_eq(h.ev[h.nev - 2].cause, "no reply within 10 s");
	core_free(h.k);
}

Test(core, a_command_timeout_with_nothing_back_says_no_reply)
{
	struct h h;
	h_opts(&h);
	h.o.quiet_ms = -1;
	h_new(&h);
	h_login(&h);
	h_cmd(&h, "list");
	jump(&h, 10 * SEC);
	cr_assert_str_eq(h.ev[h.nev - 2].cause, "no reply within 10 s");
	core_free(h.k);
}

Test(core, a_login_answered_with_no_auth_reply_says_what_came)
{
	/* Our login's id on a packet that is no auth reply (a response with a
	 * body): still no login, but the timeout must not claim silence. */
	struct h h;
	h_opts(&h);
	h_new(&h);
	int32_t id = h_connect(&h);
	give(&h, id, RC_TYPE_RESPONSE, "hello", 5);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTHENTICATING);
	jump(&h, 5 * SEC);
	cr_assert_eq(last(&h)->state, RC_STATE_FAILED);
	cr_assert_eq(last(&h)->err, RC_ETIMEOUT);
	cr_assert_str_eq(last(&h)->cause, "no auth reply within 5 s (a packet of type 0, "
	    "the login's id, 5 bytes came instead: is this an RCON port?)");
	/* The next attempt has another login id and the same cause: the number
	 * was in it ("id 1", "id 2"...), so the console, which writes a line
	 * when the cause of a failure changes, wrote one per attempt. */
	char first[256];
	snprintf(first, sizeof first, "%s", last(&h)->cause);
	int32_t id2 = h_connect(&h);
	cr_assert_neq(id2, id);
	give(&h, id2, RC_TYPE_RESPONSE, "hello", 5);
	jump(&h, 5 * SEC);
	cr_assert_eq(last(&h)->state, RC_STATE_FAILED);
	cr_assert_str_eq(last(&h)->cause, first);
	core_free(h.k);
}

Test(core, a_login_answered_with_another_id_names_it)
{
	/* An id the client never used is worth naming (a panel's own packet). */
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_connect(&h);
	give(&h, 22295, RC_TYPE_AUTH_REPLY, "", 0);
	jump(&h, 5 * SEC);
	cr_assert_eq(last(&h)->state, RC_STATE_FAILED);
	cr_assert_str_eq(last(&h)->cause, "no auth reply within 5 s (a packet of type 2, "
	    "id 22295, 0 bytes came instead: is this an RCON port?)");
	core_free(h.k);
}

Test(core, a_login_with_no_answer_at_all_says_so)
{
	struct h h;
	h_opts(&h);
	h_new(&h);
	h_connect(&h);
	jump(&h, 5 * SEC);
	cr_assert_eq(last(&h)->err, RC_ETIMEOUT);
	cr_assert_str_eq(last(&h)->cause, "no answer to the login within 5 s");
	core_free(h.k);
}

/* The longest timeout a profile or --timeout may set, RC_TIMEOUT_MAX
 * seconds (a day), reaches the core whole: no int of microseconds (it
 * would wrap at 35 minutes) and no cap, so each deadline falls a day
 * after what armed it, not at once and not never.  The profile's value
 * goes through rc_profile_conn_opts as the console's does; the connect and
 * login take the same number of ms, as --timeout gives them. */
Test(core, a_timeout_of_a_day_times_out_after_a_day)
{
	const int64_t day = (int64_t)RC_TIMEOUT_MAX * SEC;
	struct h h;
	h_opts(&h);
	rc_profile p;
	rc_profile_init(&p);
	p.host = (char *)"mc.example";
	p.timeout = RC_TIMEOUT_MAX;
	rc_profile_conn_opts(&p, &h.o, NULL, 0);
	cr_assert_eq(h.o.command_timeout_ms, RC_TIMEOUT_MAX * 1000);
	h.o.connect_timeout_ms = h.o.auth_timeout_ms = h.o.command_timeout_ms;
	h.o.quiet_ms = -1;
	h_new(&h);
	cr_assert_eq(core_start(h.k, h.now), 0);
	core_resolved(h.k, h.now, 0, NULL);
	core_attempt_begin(h.k, h.now, "192.0.2.1:25575");
	cr_assert_eq(core_deadline(h.k), h.now + day, "connect");
	core_connected(h.k, h.now);
	cr_assert_eq(core_deadline(h.k), h.now + day, "login");
	uint8_t b[64];
	rc_packet login = take(&h, b);
	jump(&h, day - MS);
	cr_assert_eq(core_state(h.k), RC_STATE_AUTHENTICATING, "a login a millisecond short of a day");
	give(&h, login.id, RC_TYPE_AUTH_REPLY, "", 0);
	cr_assert_eq(core_state(h.k), RC_STATE_READY);
	int32_t id = h_cmd(&h, "list");
	cr_assert_eq(core_deadline(h.k), h.now + day, "command");
	jump(&h, day / 2);
	char frag[4096];   /* a full fragment: more may follow */
	memset(frag, 'p', sizeof frag);
	give(&h, id, RC_TYPE_RESPONSE, frag, sizeof frag);
	cr_assert_eq(core_deadline(h.k), h.now + day, "a day from the last bytes");
	jump(&h, day - MS);
	cr_assert_eq(core_state(h.k), RC_STATE_BUSY, "still waiting a millisecond short of a day");
	jump(&h, MS);
	cr_assert_eq(h.ev[h.nev - 2].status, RC_ETIMEOUT);
	cr_assert(strstr(h.ev[h.nev - 2].cause, "within 86400 s"), "%s", h.ev[h.nev - 2].cause);
	core_free(h.k);
}
