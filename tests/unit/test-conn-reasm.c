/* test-conn-reasm.c: multi-packet replies reassembled byte for byte against
 * vanilla-, forge- and source-style peers: sizes around the 4096 boundary up
 * to 1 MiB, UTF-8 cut between fragments, the quiet-interval probe, the
 * Source mirror, the three fragment modes and the reply size limit.  The
 * strict peer fails any test in which two packets shared one read(). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "rconsole/packet.h"
#include "test-conn-peer.h"

/* Returns the wire type the client's sentinel has for this peer style. */
static int32_t sentinel_type(enum peer_style style)
{
	return style == PEER_SOURCE ? RC_TYPE_RESPONSE : 100;
}

/* Asserts body[0..n) is the "gen" pattern. */
static void assert_pattern(const char *body, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (body[i] != peer_pattern(i))
			cr_assert_fail("byte %zu is %02x, want %02x", i, (unsigned char)body[i],
			    (unsigned char)peer_pattern(i));
}

struct size_case {
	enum peer_style style;
	size_t n;
	unsigned frags;
	unsigned sentinels;
};

/* One timeout for every test here (Criterion 2.4.1 leaks when they differ). */
TestSuite(reasm, .timeout = 60);

ParameterizedTestParameters(reasm, sizes)
{
	static struct size_case cases[] = {
		{ PEER_VANILLA, 0, 1, 0 },
		{ PEER_VANILLA, 1, 1, 0 },
		{ PEER_VANILLA, 4095, 1, 0 },
		{ PEER_VANILLA, 4096, 1, 1 },
		{ PEER_VANILLA, 4097, 2, 1 },
		{ PEER_VANILLA, 8192, 2, 1 },
		{ PEER_VANILLA, 1048576, 256, 1 },
		{ PEER_FORGE, 0, 0, 1 },
		{ PEER_FORGE, 1, 1, 0 },
		{ PEER_FORGE, 4096, 1, 1 },
		{ PEER_FORGE, 4097, 2, 1 },
		{ PEER_FORGE, 1048576, 256, 1 },
		{ PEER_SOURCE, 0, 1, 0 },
		{ PEER_SOURCE, 1, 1, 0 },
		{ PEER_SOURCE, 4095, 2, 1 },
		{ PEER_SOURCE, 8192, 3, 1 },
		{ PEER_SOURCE, 1048576, 257, 1 },
	};
	return cr_make_param_array(struct size_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct size_case *sc, reasm, sizes)
{
	struct tc t;
	cr_assert(tc_init(&t, sc->style, false));
	if (sc->style == PEER_FORGE && sc->n == 0)
		t.opts.quiet_ms = 500;  /* only this case needs the probe */
	tc_connect(&t);
	char cmd[32];
	snprintf(cmd, sizeof cmd, "gen %zu", sc->n);
	struct rec_reply *y = tc_command(&t, cmd);
	cr_assert_eq(y->status, 0);
	cr_assert_eq(y->len, sc->n, "got %zu bytes", y->len);
	assert_pattern(y->body, sc->n);
	cr_assert_eq(y->frags, sc->frags, "fragments %u", y->frags);
	const rc_conn_stats *st = rc_conn_get_stats(t.conn);
	cr_assert_eq(st->sentinels, sc->sentinels);
	/* The peer saw the sentinel only after the command (and the strict peer
	 * saw each packet in its own read). */
	int sentinels = 0;
	for (size_t i = 0; i < t.peer->nlog; i++)
		if (t.peer->log[i].type == sentinel_type(sc->style) && t.peer->log[i].len == 0) {
			cr_assert_eq(t.peer->log[i - 1].type, RC_TYPE_EXEC);
			cr_assert_neq(t.peer->log[i].id, t.peer->log[i - 1].id);
			sentinels++;
		}
	cr_assert_eq(sentinels, (int)sc->sentinels);
	/* The sentinel's answer is never taken for the next reply. */
	cr_assert_str_eq(tc_command(&t, "after")->body, "re:after");
	cr_assert_eq(t.rec.strays, 0);
	cr_assert_eq(t.peer->violations, 0, "peer: %s", t.peer->why);
	tc_fini(&t);
}

Test(reasm, utf8_cut_every_4096_characters)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	tc_connect(&t);
	size_t bytes = peer_upattern(NULL, 9000);
	char *want = malloc(bytes);
	peer_upattern(want, 9000);
	struct rec_reply *y = tc_command(&t, "genu 9000");
	cr_assert_eq(y->status, 0);
	cr_assert_eq(y->len, bytes);
	cr_assert(memcmp(y->body, want, bytes) == 0);
	cr_assert_eq(y->frags, 3);
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 1);
	/* 4095 multi-byte characters: one fragment of more than 4096 bytes,
	 * which may be followed by more: the sentinel settles it. */
	bytes = peer_upattern(NULL, 4095);
	y = tc_command(&t, "genu 4095");
	cr_assert_gt(y->len, 4096);
	cr_assert_eq(y->len, bytes);
	cr_assert(memcmp(y->body, want, bytes) == 0);
	cr_assert_eq(y->frags, 1);
	free(want);
	cr_assert_eq(t.peer->violations, 0, "peer: %s", t.peer->why);
	tc_fini(&t);
}

Test(reasm, character_split_across_fragments)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_FORGE, false));
	tc_connect(&t);
	char want[4095 + 7];
	memset(want, 'x', 4095);
	memcpy(want + 4095, "\xe2\x82\xac" "tail", 7);
	/* Forge cuts at byte 4096: inside the euro sign. */
	cr_assert_eq((unsigned char)want[4096] & 0xc0, 0x80);
	struct rec_reply *y = tc_command(&t, "splitchar");
	cr_assert_eq(y->frags, 2);
	cr_assert_eq(y->len, sizeof want);
	cr_assert(memcmp(y->body, want, sizeof want) == 0);
	tc_fini(&t);
}

Test(reasm, forge_empty_reply_is_probed)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_FORGE, false));
	t.opts.quiet_ms = 300;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "empty");
	cr_assert_eq(y->status, 0);
	cr_assert_eq(y->len, 0);
	cr_assert_str_eq(y->body, "");
	cr_assert_eq(y->frags, 0);
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 1);
	cr_assert_str_eq(tc_command(&t, "list")->body, "re:list");
	cr_assert_str_eq(tc_command(&t, "empty")->body, "");
	cr_assert_eq(t.rec.strays, 0);
	cr_assert_eq(t.peer->violations, 0, "peer: %s", t.peer->why);
	tc_fini(&t);
}

Test(reasm, slow_reply_after_probe_is_whole)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.quiet_ms = 300;
	tc_connect(&t);
	uint64_t a, b;
	cr_assert_eq(rc_conn_send(t.conn, "hold 1200 gen 9000", NULL, &a), 0);
	cr_assert_eq(rc_conn_send(t.conn, "next", NULL, &b), 0);
	for (int i = 0; i < 1000 && t.rec.nreplies < 2; i++)
		rc_loop_run_once(t.loop, 20);
	cr_assert_eq(t.rec.nreplies, 2);
	struct rec_reply *y = &t.rec.replies[0];
	cr_assert_eq(y->cmd, a);
	cr_assert_eq(y->len, 9000);
	assert_pattern(y->body, 9000);
	cr_assert_eq(y->frags, 3);
	/* One sentinel: the probe, sent while the server held the command; the
	 * 4096-byte fragment needed no second one. */
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 1);
	cr_assert_eq(t.rec.replies[1].cmd, b);
	cr_assert_str_eq(t.rec.replies[1].body, "re:next");
	cr_assert_eq(t.peer->violations, 0, "peer: %s", t.peer->why);
	tc_fini(&t);
}

Test(reasm, sentinel_mode_always_probes)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.fragments = RC_FRAG_SENTINEL;
	tc_connect(&t);
	cr_assert_str_eq(tc_command(&t, "list")->body, "re:list");
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 1);
	struct rec_reply *y = tc_command(&t, "gen 5000");
	cr_assert_eq(y->len, 5000);
	assert_pattern(y->body, 5000);
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 2);
	cr_assert_eq(peer_count_type(t.peer, 100), 2);
	cr_assert_eq(t.rec.strays, 0);
	cr_assert_eq(t.peer->violations, 0, "peer: %s", t.peer->why);
	tc_fini(&t);
}

Test(reasm, none_mode_takes_first_fragment)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.fragments = RC_FRAG_NONE;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "gen 5000");
	cr_assert_eq(y->len, 4096);
	assert_pattern(y->body, 4096);
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 0);
	cr_assert_str_eq(tc_command(&t, "next")->body, "re:next");
	cr_assert_eq(t.rec.strays, 1, "the second fragment is a stray");
	tc_fini(&t);
}

Test(reasm, source_mirror_and_trailer)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_SOURCE, false));
	t.opts.quiet_ms = 300;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "gen 10000");
	cr_assert_eq(y->len, 10000);
	assert_pattern(y->body, 10000);
	cr_assert_str_eq(tc_command(&t, "empty")->body, "");
	cr_assert_str_eq(tc_command(&t, "list")->body, "re:list");
	cr_assert_eq(peer_count_type(t.peer, 100), 0);
	cr_assert_eq(t.rec.strays, 0, "the mirror's second packet is absorbed");
	tc_fini(&t);
}

Test(reasm, source_sentinel_mode)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_SOURCE, false));
	t.opts.fragments = RC_FRAG_SENTINEL;
	tc_connect(&t);
	for (int i = 0; i < 5; i++)
		cr_assert_str_eq(tc_command(&t, "list")->body, "re:list");
	cr_assert_eq(rc_conn_get_stats(t.conn)->sentinels, 5);
	cr_assert_eq(t.rec.strays, 0);
	tc_fini(&t);
}

Test(reasm, cuberite_type2_replies)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->reply_type = RC_TYPE_AUTH_REPLY;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "gen 6000");
	cr_assert_eq(y->len, 6000);
	assert_pattern(y->body, 6000);
	cr_assert_eq(t.rec.strays, 0);
	tc_fini(&t);
}

Test(reasm, dripped_bytes)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.peer->drip = true;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "gen 300");
	cr_assert_eq(y->len, 300);
	assert_pattern(y->body, 300);
	tc_fini(&t);
}

Test(reasm, reply_over_limit_fails_and_reconnects)
{
	struct tc t;
	cr_assert(tc_init(&t, PEER_VANILLA, false));
	t.opts.max_response = 10000;
	t.opts.reconnect = true;
	t.opts.backoff_min_ms = 20;
	tc_connect(&t);
	struct rec_reply *y = tc_command(&t, "gen 20000");
	cr_assert_eq(y->status, RC_ETOOBIG);
	cr_assert(rec_saw_state(&t.rec, RC_STATE_BACKOFF));
	cr_assert_eq(rc_conn_last_error(t.conn, NULL), RC_ETOOBIG);
	cr_assert(run_until(t.loop, tc_is_ready, &t, 10000));
	y = tc_command(&t, "gen 9999");
	cr_assert_eq(y->status, 0);
	cr_assert_eq(y->len, 9999);
	assert_pattern(y->body, 9999);
	tc_fini(&t);
}

Test(reasm, peer_detects_two_packets_in_one_read)
{
	/* The strict peer is what the other tests rely on: show it catches a
	 * client that pipelines. */
	rc_loop *l = rc_loop_new();
	struct peer *p = peer_new(l, PEER_VANILLA, false);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(p->port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	uint8_t buf[64];
	long n = rc_packet_encode(buf, sizeof buf, 1, RC_TYPE_AUTH, "pw", 2);
	n += rc_packet_encode(buf + n, sizeof buf - (size_t)n, 2, RC_TYPE_EXEC, "list", 4);
	cr_assert_eq(write(fd, buf, (size_t)n), n);
	for (int i = 0; i < 500 && p->violations == 0; i++)
		rc_loop_run_once(l, 10);
	cr_assert_eq(p->violations, 1);
	cr_assert_eq(p->nlog, 0, "neither packet was answered");
	close(fd);
	peer_free(p);
	rc_loop_free(l);
}
