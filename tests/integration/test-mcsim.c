/* test-mcsim.c: the real rconsole-mcsim on loopback — vanilla framing, auth,
 * fragmenting, commands, list formats and the Forge and Source dialects
 * (PROTOCOL.md).  Faults, IPv6, --servers and the command line are in
 * test-mcsim-faults.c. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../support/mcsim.h"
#include "../support/pattern.h"

#define WAIT_MS 10000

/* Every suite uses .timeout = 60: Criterion 2.4.1's runner leaks (and fails
 * an ASan build) when tests with different timeouts run in parallel. */

static mcsim sim;
static rcon_test *cl;

/* Starts mcsim with args and connects (not authenticated). */
static void start(const char *const *args)
{
	cr_assert_eq(mcsim_start(&sim, args), 0, "mcsim did not start");
	cl = rcon_test_connect(NULL, sim.ports[0]);
	cr_assert_not_null(cl);
}

/* Starts mcsim with args, connects and authenticates. */
static void start_authed(const char *const *args)
{
	start(args);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 1);
}

static char names_path[512];

/* Fixture teardown: close the client, stop mcsim, remove the names file. */
static void finish(void)
{
	rcon_test_close(cl);
	cl = NULL;
	mcsim_stop(&sim);
	if (names_path[0])
		unlink(names_path);
}

/* Runs cmd and asserts the reassembled reply equals want. */
static void expect_reply(const char *cmd, const char *want)
{
	size_t len = 0;
	char *r = rcon_test_exec(cl, cmd, &len, NULL);
	cr_assert_not_null(r, "no reply to '%s'", cmd);
	cr_assert_eq(len, strlen(want), "'%s': got '%s'", cmd, r);
	cr_assert_str_eq(r, want, "'%s'", cmd);
	free(r);
}

/* Receives one packet and asserts its id, type and body. */
static void expect_packet(int32_t id, int32_t type, const char *body, size_t len)
{
	rcon_test_pkt p;
	cr_assert_eq(rcon_test_recv(cl, &p, WAIT_MS), 1, "no packet");
	cr_assert_eq(p.id, id);
	cr_assert_eq(p.type, type);
	cr_assert_eq(p.body_len, len, "body '%s'", p.body);
	cr_assert(memcmp(p.body, body, len) == 0, "body '%s'", p.body);
	rcon_test_pkt_free(&p);
}

/* Writes a player-name file (removed by finish); returns its path. */
static const char *names_file(const char *text)
{
	snprintf(names_path, sizeof names_path, "%s/mcsim-names-%d",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	FILE *f = fopen(names_path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return names_path;
}

TestSuite(auth, .fini = finish, .timeout = 60);

Test(auth, right_password_echoes_id_with_empty_type2)
{
	start(NULL);
	cr_assert_eq(rcon_test_send(cl, 42, 3, "secret", 6), 0);
	expect_packet(42, 2, "", 0);
}

Test(auth, wrong_password_gets_minus_one_and_connection_stays_open)
{
	start(NULL);
	cr_assert_eq(rcon_test_send(cl, 7, 3, "nope", 4), 0);
	expect_packet(-1, 2, "", 0);
	/* Same connection: the right password now works, and commands run. */
	cr_assert_eq(rcon_test_send(cl, 8, 3, "secret", 6), 0);
	expect_packet(8, 2, "", 0);
	expect_reply("sim echo still here", "still here");
}

Test(auth, wrong_password_resets_authed)
{
	start_authed(NULL);
	cr_assert_eq(rcon_test_auth(cl, "wrong"), 0);
	cr_assert_eq(rcon_test_send(cl, 9, 2, "list", 4), 0);
	expect_packet(-1, 2, "", 0);
}

Test(auth, command_before_auth_gets_minus_one_and_is_not_logged)
{
	start(NULL);
	cr_assert_eq(rcon_test_send(cl, 5, 2, "sim echo early", 14), 0);
	expect_packet(-1, 2, "", 0);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 1);
	expect_reply("sim echo late", "late");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo early"), 0);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo late"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "secret"), 0, "auth packets are not logged");
}

Test(auth, empty_password_is_rejected)
{
	start(NULL);
	cr_assert_eq(rcon_test_auth(cl, ""), 0);
}

TestSuite(framing, .fini = finish, .timeout = 60);

Test(framing, two_packets_in_one_write_drop_the_connection_unanswered)
{
	start_authed(NULL);
	size_t n1, n2;
	uint8_t *a = rcon_test_encode(20, 2, "sim echo one", 12, &n1);
	uint8_t *b = rcon_test_encode(21, 2, "sim echo two", 12, &n2);
	uint8_t both[64];
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	cr_assert_eq(rcon_test_send_raw(cl, both, n1 + n2), 0);
	size_t junk = 99;
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, &junk), 1, "connection not closed");
	cr_assert_eq(junk, 0, "something was answered");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo one"), 0);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo two"), 0);
	free(a);
	free(b);
}

Test(framing, auth_and_command_in_one_write_drop_the_connection)
{
	start(NULL);
	size_t n1, n2;
	uint8_t *a = rcon_test_encode(1, 3, "secret", 6, &n1);
	uint8_t *b = rcon_test_encode(2, 2, "list", 4, &n2);
	uint8_t both[64];
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	cr_assert_eq(rcon_test_send_raw(cl, both, n1 + n2), 0);
	size_t junk = 99;
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, &junk), 1);
	cr_assert_eq(junk, 0);
	free(a);
	free(b);
}

/* The first half is all the server can read before it judges the read, so
 * the drop does not depend on timing. */
Test(framing, first_half_of_a_split_packet_drops_the_connection)
{
	start_authed(NULL);
	size_t n;
	uint8_t *p = rcon_test_encode(30, 2, "sim echo split", 14, &n);
	cr_assert_eq(rcon_test_send_raw(cl, p, 12), 0);
	size_t junk = 99;
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, &junk), 1);
	cr_assert_eq(junk, 0);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo split"), 0);
	free(p);
}

Test(framing, fewer_than_ten_bytes_drop_the_connection)
{
	start_authed(NULL);
	cr_assert_eq(rcon_test_send_raw(cl, "\x05\0\0\0\1\0\0\0\2", 9), 0);
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, NULL), 1);
}

Test(framing, packet_of_1461_bytes_drops_the_connection)
{
	start_authed(NULL);
	char body[1448];
	memcpy(body, "sim echo ", 9);
	memset(body + 9, 'y', sizeof body - 9);
	body[1447] = '\0';
	cr_assert_eq(rcon_test_send(cl, 31, 2, body, 1447), 0);
	size_t junk = 99;
	cr_assert_eq(rcon_test_wait_close(cl, WAIT_MS, &junk), 1);
	cr_assert_eq(junk, 0);
	cr_assert_eq(mcsim_log_count(&sim, body), 0);
}

Test(framing, command_of_1446_bytes_is_accepted)
{
	start_authed(NULL);
	char body[1447];
	memcpy(body, "sim echo ", 9);
	memset(body + 9, 'z', 1446 - 9);
	body[1446] = '\0';
	expect_reply(body, body + 9);
	cr_assert_eq(mcsim_log_count(&sim, body), 1);
}

Test(framing, unknown_type_answers_lowercase_hex_before_and_after_auth)
{
	start(NULL);
	cr_assert_eq(rcon_test_send(cl, 77, 100, "", 0), 0);
	expect_packet(77, 0, "Unknown request 64", 18);
	cr_assert_eq(rcon_test_auth(cl, MCSIM_PASSWORD), 1);
	cr_assert_eq(rcon_test_send(cl, 78, 0, "", 0), 0);
	expect_packet(78, 0, "Unknown request 0", 17);
	cr_assert_eq(rcon_test_send(cl, 79, -1, "", 0), 0);
	expect_packet(79, 0, "Unknown request ffffffff", 24);
	cr_assert_eq(rcon_test_send(cl, 80, 0xabc, "", 0), 0);
	expect_packet(80, 0, "Unknown request abc", 19);
}

Test(framing, ids_zero_and_negative_are_echoed)
{
	start_authed(NULL);
	cr_assert_eq(rcon_test_send(cl, 0, 2, "sim echo z", 10), 0);
	expect_packet(0, 0, "z", 1);
	cr_assert_eq(rcon_test_send(cl, -5, 2, "sim echo n", 10), 0);
	expect_packet(-5, 0, "n", 1);
}

Test(framing, missing_terminators_lose_the_last_character)
{
	start_authed(NULL);
	/* length | id | type | "sim echo abc" with no NULs: the last byte read is
	 * never part of the body. */
	uint8_t raw[12 + 12];
	memcpy(raw, "\x14\0\0\0\x2a\0\0\0\x02\0\0\0", 12);
	memcpy(raw + 12, "sim echo abc", 12);
	cr_assert_eq(rcon_test_send_raw(cl, raw, sizeof raw), 0);
	expect_packet(42, 0, "ab", 2);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo ab"), 1);
}

Test(framing, body_ends_at_the_first_nul)
{
	start_authed(NULL);
	cr_assert_eq(rcon_test_send(cl, 3, 2, "sim echo cut\0hidden", 19), 0);
	expect_packet(3, 0, "cut", 3);
}

TestSuite(fragments, .fini = finish, .timeout = 60);

/* Runs cmd and checks the fragment sizes in bytes (-1 ends the list). */
static void expect_frag_sizes(const char *cmd, const int *sizes)
{
	rcon_test_pkt f[300];
	int n = rcon_test_exec_frags(cl, cmd, f, 300);
	int want = 0;
	while (sizes[want] >= 0)
		want++;
	cr_assert_eq(n, want, "'%s': %d fragments", cmd, n);
	for (int i = 0; i < n; i++) {
		cr_assert_eq(f[i].body_len, (size_t)sizes[i], "'%s' fragment %d", cmd, i);
		rcon_test_pkt_free(&f[i]);
	}
}

Test(fragments, cut_every_4096_utf16_units)
{
	start_authed(NULL);
	expect_frag_sizes("sim chars 0 ascii", (int[]){ 0, -1 });
	expect_frag_sizes("sim chars 1 ascii", (int[]){ 1, -1 });
	expect_frag_sizes("sim chars 4095 ascii", (int[]){ 4095, -1 });
	expect_frag_sizes("sim chars 4096 ascii", (int[]){ 4096, -1 });
	expect_frag_sizes("sim chars 4097 ascii", (int[]){ 4096, 1, -1 });
	expect_frag_sizes("sim chars 8192 ascii", (int[]){ 4096, 4096, -1 });
	expect_frag_sizes("sim chars 4097 latin", (int[]){ 8192, 2, -1 });
	/* 4096 CJK characters: one packet of 12288 bytes (length field 12298). */
	expect_frag_sizes("sim chars 4096 cjk", (int[]){ 12288, -1 });
	expect_frag_sizes("sim chars 4096 emoji", (int[]){ 8192, -1 });
}

Test(fragments, surrogate_pair_cut_at_the_boundary_becomes_two_question_marks)
{
	start_authed(NULL);
	rcon_test_pkt f[4];
	int n = rcon_test_exec_frags(cl, "sim chars 4097 xemoji", f, 4);
	cr_assert_eq(n, 2);
	/* 'x' + 2047 emoji + '?' = 4096 units; then '?' */
	cr_assert_eq(f[0].body_len, 1 + 2047 * 4 + 1);
	cr_assert_eq(f[0].body[0], 'x');
	cr_assert(memcmp(f[0].body + 1, "\xf0\x9f\x98\x80", 4) == 0);
	cr_assert_eq(f[0].body[f[0].body_len - 1], '?');
	cr_assert_eq(f[1].body_len, 1);
	cr_assert_eq(f[1].body[0], '?');
	rcon_test_pkt_free(&f[0]);
	rcon_test_pkt_free(&f[1]);
}

Test(fragments, one_mebibyte_reply_reassembles)
{
	start_authed(NULL);
	size_t len = 0;
	int frags = 0;
	char *r = rcon_test_exec(cl, "sim chars 1048576 ascii", &len, &frags);
	cr_assert_not_null(r);
	cr_assert_eq(len, 1048576);
	cr_assert_eq(frags, 256);
	for (size_t i = 0; i < len; i++)
		if (r[i] != 'a')
			cr_assert_fail("byte %zu is %d", i, r[i]);
	free(r);
	/* The connection is still in step afterwards. */
	expect_reply("sim echo after", "after");
}

/* `sim pattern N`: N bytes, each set by its offset, cut in 4096-byte
 * fragments in order (every dialect: the pattern is ASCII); a client that
 * reassembles them can check every byte. */
Test(fragments, sim_pattern_fragments_carry_their_offsets)
{
	static const char *const dialects[] = { "vanilla", "forge", "source" };
	static const long sizes[] = { 1, 9, 10, 11, 4095, 4096, 4097, 65536, 1048576 };
	static rcon_test_pkt f[260];
	for (size_t d = 0; d < sizeof dialects / sizeof dialects[0]; d++) {
		start_authed((const char *const[]){ "--dialect", dialects[d], NULL });
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			long n = sizes[k];
			char cmd[48];
			snprintf(cmd, sizeof cmd, "sim pattern %ld", n);
			char *want = pattern_make((size_t)n);
			cr_assert_not_null(want);
			int got = rcon_test_exec_frags(cl, cmd, f, 260);
			cr_assert_eq(got, (int)((n + 4095) / 4096), "%s %s: %d fragments", dialects[d],
			    cmd, got);
			for (int i = 0; i < got; i++) {
				long at = (long)i * 4096, len = n - at < 4096 ? n - at : 4096;
				cr_assert_eq(f[i].body_len, (size_t)len, "%s %s: fragment %d", dialects[d],
				    cmd, i);
				cr_assert(memcmp(f[i].body, want + at, (size_t)len) == 0,
				    "%s %s: fragment %d holds bytes %ld.. of the pattern", dialects[d], cmd,
				    i, at);
				rcon_test_pkt_free(&f[i]);
			}
			free(want);
		}
		/* The record layout itself, at its edges. */
		char *r = rcon_test_exec(cl, "sim pattern 25", NULL, NULL);
		cr_assert_str_eq(r, "000000000\n000000010\n00000");
		free(r);
		if (strcmp(dialects[d], "forge") != 0) {    /* forge sends nothing for "" */
			r = rcon_test_exec(cl, "sim pattern 0", NULL, NULL);
			cr_assert_str_eq(r, "");
			free(r);
		}
		static const char *const bad[] = { "sim pattern", "sim pattern -1",
			"sim pattern 16777217", "sim pattern 5x", "sim pattern 5 6" };
		for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
			r = rcon_test_exec(cl, bad[b], NULL, NULL);
			cr_assert_not_null(r);
			cr_assert(strncmp(r, "Unknown or incomplete command", 29) == 0, "'%s': %s",
			    bad[b], r);
			free(r);
		}
		rcon_test_close(cl);
		cl = NULL;
		mcsim_stop(&sim);
	}
}

Test(fragments, empty_reply_is_one_empty_packet)
{
	start_authed(NULL);
	expect_frag_sizes("say hello", (int[]){ 0, -1 });
}

Test(fragments, help_spans_three_fragments)
{
	start_authed(NULL);
	size_t len = 0;
	int frags = 0;
	char *r = rcon_test_exec(cl, "help", &len, &frags);
	cr_assert_not_null(r);
	cr_assert_gt(len, 8192);
	cr_assert_eq(frags, 3);
	cr_assert(strncmp(r, "/advancement (grant|revoke)", 27) == 0);
	cr_assert_not_null(strstr(r, "/whitelist (add|list|off|on|reload|remove)"));
	free(r);
}

Test(fragments, help_for_one_command_lists_the_usages_under_it)
{
	start_authed(NULL);
	/* HelpCommand prints the usage of each child of the command's node,
	 * never the node: nothing at all for a command without arguments. */
	expect_reply("help kick", "/kick <targets> [<reason>]");
	expect_reply("help list", "/list uuids");
	expect_reply("help banlist", "/banlist ips/banlist players");
	expect_reply("help seed", "");
	expect_reply("help stop", "");
	expect_reply("help nosuch", "Unknown command or insufficient permissions");
}

Test(fragments, a_server_without_help_answers_it_as_an_unknown_command)
{
	const char *args[] = { "--help-style", "unknown", NULL };
	start_authed(args);
	expect_reply("help", "Unknown or incomplete command, see below for errorhelp<--[HERE]");
	expect_reply("help 2", "Unknown or incomplete command, see below for errorhelp 2<--[HERE]");
}

TestSuite(forge, .fini = finish, .timeout = 60);

Test(forge, cuts_every_4096_bytes_even_inside_a_character)
{
	const char *args[] = { "--dialect", "forge", NULL };
	start_authed(args);
	rcon_test_pkt f[8];
	int n = rcon_test_exec_frags(cl, "sim chars 4097 cjk", f, 8);
	cr_assert_eq(n, 4);    /* 12291 bytes */
	cr_assert_eq(f[0].body_len, 4096);
	cr_assert_eq(f[1].body_len, 4096);
	cr_assert_eq(f[2].body_len, 4096);
	cr_assert_eq(f[3].body_len, 3);
	/* 4096 = 1365 * 3 + 1: the first fragment ends with a lone lead byte. */
	cr_assert_eq((unsigned char)f[0].body[4095], 0xe4);
	for (int i = 0; i < n; i++)
		rcon_test_pkt_free(&f[i]);
}

Test(forge, sends_no_packet_for_an_empty_reply)
{
	const char *args[] = { "--dialect", "forge", NULL };
	start_authed(args);
	cr_assert_eq(rcon_test_send(cl, 50, 2, "say quiet", 9), 0);
	/* The log line is written when the server reads the command, so the
	 * sentinel cannot share its read. */
	cr_assert_eq(mcsim_log_wait(&sim, "say quiet", 1, WAIT_MS), 1);
	cr_assert_eq(rcon_test_send(cl, 51, 100, "", 0), 0);
	expect_packet(51, 0, "Unknown request 64", 18);
}

TestSuite(source, .fini = finish, .timeout = 60);

Test(source, empty_packet_before_the_auth_reply)
{
	const char *args[] = { "--dialect", "source", NULL };
	start(args);
	cr_assert_eq(rcon_test_send(cl, 12, 3, "secret", 6), 0);
	expect_packet(12, 0, "", 0);
	expect_packet(12, 2, "", 0);
}

Test(source, empty_response_value_is_mirrored_then_marked)
{
	const char *args[] = { "--dialect", "source", NULL };
	start_authed(args);
	/* Source buffers the stream: command and probe may share one write. */
	size_t n1, n2;
	uint8_t *a = rcon_test_encode(60, 2, "sim echo src", 12, &n1);
	uint8_t *b = rcon_test_encode(61, 0, "", 0, &n2);
	uint8_t both[64];
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	cr_assert_eq(rcon_test_send_raw(cl, both, n1 + n2), 0);
	expect_packet(60, 0, "src", 3);
	expect_packet(61, 0, "", 0);
	expect_packet(61, 0, "\0\0\0\1\0\0\0\0", 8);
	free(a);
	free(b);
}

TestSuite(commands, .fini = finish, .timeout = 60);

Test(commands, leading_slash_is_stripped_and_logged_as_received)
{
	start_authed(NULL);
	expect_reply("/sim echo hi", "hi");
	cr_assert_eq(mcsim_log_count(&sim, "/sim echo hi"), 1);
}

Test(commands, unknown_command_quotes_the_text)
{
	start_authed(NULL);
	expect_reply("foo", "Unknown or incomplete command, see below for errorfoo<--[HERE]");
	/* No command of that name: the parse stopped at its first byte, so
	 * Brigadier quotes all of it, however long. */
	expect_reply("frobnicate the server",
	    "Unknown or incomplete command, see below for errorfrobnicate the server<--[HERE]");
	expect_reply("LIST", "Unknown or incomplete command, see below for errorLIST<--[HERE]");
	/* Incomplete: the parse ran to the end, so the last 10 chars. */
	expect_reply("kick", "Unknown or incomplete command, see below for errorkick<--[HERE]");
	expect_reply("whitelist add",
	    "Unknown or incomplete command, see below for error...telist add<--[HERE]");
}

Test(commands, the_error_context_counts_java_chars)
{
	start_authed(NULL);
	/* An emoji is two Java chars: 10 of them are five emoji, and a window
	 * that starts inside one starts with its lone half, sent as '?'. */
	expect_reply("msg \xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
	    "Unknown or incomplete command, see below for error..."
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "<--[HERE]");
	expect_reply("msg \xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80" "a",
	    "Unknown or incomplete command, see below for error...?"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80" "a<--[HERE]");
}

/* One step of a scripted session: command and exact reply. */
struct step {
	const char *cmd;
	const char *reply;
};

#define FFFD "\xef\xbf\xbd"

Test(commands, malformed_utf8_in_a_command_is_read_as_java_reads_it)
{
	start_authed(NULL);
	/* new String(bytes, UTF_8): each malformed sequence is one U+FFFD, by
	 * the JDK's rules (a surrogate is one for its 3 bytes, a sequence cut
	 * short by the end one for all it has). */
	static const struct step cases[] = {
		{ "sim echo A\xff" "B", "A" FFFD "B" },
		{ "sim echo \xc3(", FFFD "(" },
		{ "sim echo \xe0\x80\x80", FFFD FFFD FFFD },
		{ "sim echo \xed\xa0\x80!", FFFD "!" },
		{ "sim echo \xf0\x9f\x98!", FFFD "!" },
		{ "sim echo \xf4\x90\x80\x80", FFFD FFFD FFFD FFFD },
		{ "sim echo \xc0\xaf", FFFD FFFD },
		{ "sim echo x\xe2\x82", "x" FFFD },
		{ "sim echo x\xf0\x9f", "x" FFFD },
		{ "sim echo \xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80", "\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x80" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		expect_reply(cases[i].cmd, cases[i].reply);
	/* The log still holds the bytes as received. */
	cr_assert_eq(mcsim_log_count(&sim, "sim echo A\xff" "B"), 1);
}

static const struct step admin_script[] = {
	{ "list", "There are 2 of a max of 5 players online: Alice, Bob" },
	{ "op alice", "Made Alice a server operator" },
	{ "op Alice", "Nothing changed. The player already is an operator" },
	{ "deop Alice", "Made Alice no longer a server operator" },
	{ "deop Alice", "Nothing changed. The player is not an operator" },
	{ "kick Nobody", "No player was found" },
	{ "msg Bob hi there", "You whisper to Bob: hi there" },
	{ "tp Alice Bob", "Teleported Alice to Bob" },
	/* A whole x or z names a block: its centre, as Vec3Argument reads it. */
	{ "tp Alice 1 64 -2.5", "Teleported Alice to 1.500000, 64.000000, -2.500000" },
	{ "tp Alice -3 70 8", "Teleported Alice to -2.500000, 70.000000, 8.500000" },
	{ "tp Alice 1.0 64.5 2.", "Teleported Alice to 1.000000, 64.500000, 2.000000" },
	{ "gamemode survival Bob", "" },    /* already: vanilla says nothing */
	{ "gamemode creative Bob", "Set Bob's game mode to Creative Mode" },
	{ "gamemode creative bob", "" },
	{ "gamemode survival Bob", "Set Bob's game mode to Survival Mode" },
	{ "gamemode creative", "A player is required to run this command here" },
	{ "give Bob minecraft:diamond_sword 2", "Gave 2 [Diamond Sword] to Bob" },
	{ "difficulty", "The difficulty is Normal" },
	{ "difficulty hard", "The difficulty has been set to Hard" },
	{ "difficulty hard", "The difficulty did not change; it is already set to hard" },
	{ "weather thunder", "Set the weather to rain & thunder" },
	{ "time set noon", "Set the time to 6000" },
	{ "whitelist list", "There are no whitelisted players" },
	{ "whitelist add Carol", "Added Carol to the whitelist" },
	{ "whitelist add carol", "Player is already whitelisted" },
	{ "whitelist list", "There are 1 whitelisted player(s): Carol" },
	{ "whitelist on", "Whitelist is now turned on" },
	{ "whitelist on", "Whitelist is already turned on" },
	{ "whitelist remove Carol", "Removed Carol from the whitelist" },
	{ "kick Bob", "Kicked Bob: Kicked by an operator" },
	{ "ban Alice griefing", "Banned Alice: griefing" },
	{ "list", "There are 0 of a max of 5 players online: " },
	{ "banlist", "There are 1 ban(s):Alice was banned by Rcon: griefing" },
	{ "ban Bob", "Banned Bob: Banned by an operator." },
	{ "banlist", "There are 2 ban(s):Alice was banned by Rcon: griefingBob was banned by Rcon: "
	  "Banned by an operator." },
	{ "pardon Alice", "Unbanned Alice" },
	{ "banlist", "There are 1 ban(s):Bob was banned by Rcon: Banned by an operator." },
	{ "ban bob again", "Nothing changed. The player is already banned" },
	{ "pardon Bob", "Unbanned Bob" },
	{ "pardon Alice", "Nothing changed. The player isn't banned" },
	{ "banlist", "There are no bans" },
	{ "sim join Dave", "Dave joined the game" },
	{ "sim join Erin", "Erin joined the game" },
	{ "sim leave Dave", "Dave left the game" },
	{ "sim leave Dave", "Dave is not online" },
	{ "list", "There are 1 of a max of 5 players online: Erin" },
	{ "sim join Frank", "Frank joined the game" },
	{ "sim names", "Erin\nFrank\n" },
	{ "say hello", "" },
	{ "save-all", "Saving the game (this may take a moment!)Saved the game" },
	{ "save-on", "Saving is already turned on" },
	{ "save-off", "Automatic saving is now disabled" },
	{ "save-off", "Saving is already turned off" },
	{ "save-on", "Automatic saving is now enabled" },
	{ "sim bytes 41c3a9ff", "A\xc3\xa9\xff" },
};

Test(commands, admin_script_answers_like_vanilla)
{
	const char *args[] = { "--players", names_file("Alice\nBob\n"), "--max-players", "5",
		NULL };
	start_authed(args);
	for (size_t i = 0; i < sizeof admin_script / sizeof admin_script[0]; i++)
		expect_reply(admin_script[i].cmd, admin_script[i].reply);
}

#define BAD "Incorrect argument for command"

/* A word no branch takes — a literal that does not match, or one past the
 * last argument — is Brigadier's "Incorrect argument", quoted from there. */
static const struct step bad_word_script[] = {
	{ "list foo", BAD "list foo<--[HERE]" },
	{ "list uuids extra", BAD "...ist uuids extra<--[HERE]" },
	{ "op Alice Bob", BAD "op Alice Bob<--[HERE]" },
	{ "pardon Alice Bob", BAD "...don Alice Bob<--[HERE]" },
	{ "banlist foo", BAD "banlist foo<--[HERE]" },
	{ "whitelist foo", BAD "whitelist foo<--[HERE]" },
	{ "whitelist ON", BAD "whitelist ON<--[HERE]" },
	{ "whitelist", "Unknown or incomplete command, see below for errorwhitelist<--[HERE]" },
	{ "whitelist add Carol Dave", BAD "...add Carol Dave<--[HERE]" },
	{ "whitelist list all", BAD "...list list all<--[HERE]" },
	{ "kill Alice Bob", BAD "...ill Alice Bob<--[HERE]" },
	{ "time foo", BAD "time foo<--[HERE]" },
	{ "time query foo", BAD "...ime query foo<--[HERE]" },
	{ "time query day 2", BAD "...query day 2<--[HERE]" },
	{ "difficulty extreme", BAD "...ifficulty extreme<--[HERE]" },
	{ "difficulty hard now", BAD "...ulty hard now<--[HERE]" },
	{ "weather snow", BAD "weather snow<--[HERE]" },
	{ "seed 1", BAD "seed 1<--[HERE]" },
	{ "save-all now", BAD "save-all now<--[HERE]" },
	{ "save-all flush", "Saving the game (this may take a moment!)Saved the game" },
	{ "save-off x", BAD "save-off x<--[HERE]" },
	{ "stop now", BAD "stop now<--[HERE]" },
	/* give's count is an IntegerArgument of at least 1, with its own errors. */
	{ "give Bob diamond 3", "Gave 3 [Diamond] to Bob" },
	{ "give Bob diamond 0", "Integer must not be less than 1, found 0...b diamond 0<--[HERE]" },
	{ "give Bob diamond x", "Expected integer...b diamond x<--[HERE]" },
	{ "give Bob diamond 1.5", "Invalid integer '1.5'...b diamond 1.5<--[HERE]" },
	{ "give Bob diamond 5x", "Expected whitespace to end one argument, but found trailing "
	  "data... diamond 5x<--[HERE]" },
	{ "give Bob diamond 2 3", BAD "...diamond 2 3<--[HERE]" },
	{ "list", "There are 2 of a max of 20 players online: Alice, Bob" },
};

/* Brigadier takes exactly one space between words: a leading one makes the
 * first word "" (no command), one trailing space is a separator with nothing
 * after it; spaces inside a greedy text (a message, a reason) are its own. */
static const struct step spaces_script[] = {
	{ " list", "Unknown or incomplete command, see below for error list<--[HERE]" },
	{ "list ", BAD "list <--[HERE]" },
	{ "kick Bob ", BAD "kick Bob <--[HERE]" },
	{ "say ", BAD "say <--[HERE]" },
	{ "say hi ", "" },
	{ "msg Bob hi ", "You whisper to Bob: hi " },
	{ "msg Bob  hi", "You whisper to Bob:  hi" },
	{ "msg Bob  ", "You whisper to Bob:  " },
	{ "stop ", BAD "stop <--[HERE]" },
	{ "list", "There are 2 of a max of 20 players online: Alice, Bob" },
	{ "kick Bob  bye  now", "Kicked Bob:  bye  now" },
};

Test(commands, spaces_are_read_as_brigadier_reads_them)
{
	const char *args[] = { "--players", names_file("Alice\nBob\n"), NULL };
	start_authed(args);
	for (size_t i = 0; i < sizeof spaces_script / sizeof spaces_script[0]; i++)
		expect_reply(spaces_script[i].cmd, spaces_script[i].reply);
}

Test(commands, paper_drops_trailing_spaces)
{
	/* Bukkit splits the line into words and the vanilla wrapper joins them
	 * again: a trailing space is gone before Brigadier sees the line. */
	const char *args[] = { "--namespaced", NULL };
	start_authed(args);
	expect_reply("list ", "There are 0 of a max of 20 players online: ");
	expect_reply(" list", "Unknown or incomplete command, see below for error list<--[HERE]");
}

Test(commands, a_word_no_branch_takes_is_an_incorrect_argument)
{
	const char *args[] = { "--players", names_file("Alice\nBob\n"), NULL };
	start_authed(args);
	for (size_t i = 0; i < sizeof bad_word_script / sizeof bad_word_script[0]; i++)
		expect_reply(bad_word_script[i].cmd, bad_word_script[i].reply);
}

/* ban, pardon, op, deop and whitelist take a game profile, not an online
 * player: a name no account can have is "That player does not exist". */
static const struct step no_profile_script[] = {
	{ "op no-such-name", "That player does not exist" },
	{ "deop ab", "That player does not exist" },
	{ "ban ab griefing", "That player does not exist" },
	{ "pardon ab", "That player does not exist" },
	{ "whitelist add a.b", "That player does not exist" },
	{ "whitelist remove ThisNameIsFarTooLong", "That player does not exist" },
	{ "op Carol", "Made Carol a server operator" },
	{ "kick Carol", "No player was found" },
};

Test(commands, a_name_no_account_has_does_not_exist)
{
	start_authed(NULL);
	for (size_t i = 0; i < sizeof no_profile_script / sizeof no_profile_script[0]; i++)
		expect_reply(no_profile_script[i].cmd, no_profile_script[i].reply);
}

Test(commands, time_and_seed_have_vanilla_shapes)
{
	start_authed(NULL);
	char *r = rcon_test_exec(cl, "time query daytime", NULL, NULL);
	long t = -1;
	cr_assert_eq(sscanf(r, "The time is %ld", &t), 1, "%s", r);
	cr_assert(t >= 0 && t < 24000);
	free(r);
	r = rcon_test_exec(cl, "seed", NULL, NULL);
	cr_assert(strncmp(r, "Seed: [", 7) == 0 && r[strlen(r) - 1] == ']', "%s", r);
	free(r);
	r = rcon_test_exec(cl, "tps", NULL, NULL);
	cr_assert(strncmp(r, "\xc2\xa7" "6TPS from last 1m, 5m, 15m: \xc2\xa7", 32) == 0, "%s", r);
	free(r);
}

/* Returns the number in "The time is N" answered to cmd. */
static long time_of(const char *cmd)
{
	char *r = rcon_test_exec(cl, cmd, NULL, NULL);
	long t = -1;
	cr_assert_eq(sscanf(r, "The time is %ld", &t), 1, "%s: %s", cmd, r);
	free(r);
	return t;
}

Test(commands, time_set_and_add_move_the_day_time_as_vanilla_does)
{
	start_authed(NULL);
	long game = time_of("time query gametime");
	/* set makes the day time what it is told: the day count starts over
	 * (the world starts 41 days in), and the game time never moves. */
	expect_reply("time set 1000", "Set the time to 1000");
	cr_assert_eq(time_of("time query day"), 0);
	long t = time_of("time query daytime");
	cr_assert(t >= 1000 && t < 1000 + 20 * 60, "%ld", t);
	cr_assert_geq(time_of("time query gametime"), game);
	expect_reply("time set 1d", "Set the time to 24000");
	cr_assert_eq(time_of("time query day"), 1);
	expect_reply("time set 5s", "Set the time to 100");
	expect_reply("time set 0.5t", "Set the time to 1");
	expect_reply("time set night", "Set the time to 13000");
	char *r = rcon_test_exec(cl, "time add 0.5d", NULL, NULL);
	t = -1;
	cr_assert_eq(sscanf(r, "Set the time to %ld", &t), 1, "%s", r);
	cr_assert(t >= 1000 && t < 1000 + 20 * 60, "13000 + 12000 is 1000 the next day: %ld", t);
	free(r);
	cr_assert_eq(time_of("time query day"), 1);
	/* TimeArgument's own errors; only the float ones carry a context. */
	expect_reply("time set foo", "Expected floattime set foo<--[HERE]");
	expect_reply("time add day", "Expected floattime add day<--[HERE]");
	expect_reply("time set 1.2.3", "Invalid float '1.2.3'time set 1.2.3<--[HERE]");
	expect_reply("time set 5x", "Invalid unit");
	expect_reply("time set -5", "The tick count must not be less than 0, found -5");
}

Test(commands, list_uuids_gives_one_uuid_per_name)
{
	const char *args[] = { "--players", names_file("Alice\nBob\n"), NULL };
	start_authed(args);
	char *r = rcon_test_exec(cl, "list uuids", NULL, NULL);
	cr_assert_not_null(r);
	char u1[37], u2[37];
	cr_assert_eq(sscanf(r, "There are 2 of a max of 20 players online: Alice (%36[0-9a-f-]), "
	    "Bob (%36[0-9a-f-])", u1, u2), 2, "%s", r);
	cr_assert_eq(strlen(u1), 36);
	cr_assert_str_neq(u1, u2);
	free(r);
}

Test(commands, generated_players_are_seeded_and_believable)
{
	const char *args[] = { "--players", "4", "--seed", "7", NULL };
	start_authed(args);
	char *first = rcon_test_exec(cl, "list", NULL, NULL);
	cr_assert(strncmp(first, "There are 4 of a max of 20 players online: ", 43) == 0, "%s", first);
	const char *names = first + 43;
	for (const char *p = names; *p; p++)
		cr_assert(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_, ",
		    *p) != NULL, "odd character in '%s'", names);
	finish();
	start_authed(args);
	char *second = rcon_test_exec(cl, "list", NULL, NULL);
	cr_assert_str_eq(first, second, "same seed, same names");
	free(first);
	free(second);
}

TestSuite(list_format, .fini = finish, .timeout = 60);

Test(list_format, legacy_glues_the_names)
{
	const char *args[] = { "--list-format", "legacy", "--players", names_file("Alice\nBob\n"),
		NULL };
	start_authed(args);
	expect_reply("list", "There are 2/20 players online:Alice, Bob");
}

Test(list_format, essentials_has_one_line_per_group)
{
	const char *args[] = { "--list-format", "essentials", "--players",
		names_file("Alice\nBob\nCarol\n"), NULL };
	start_authed(args);
	expect_reply("op Bob", "Made Bob a server operator");
	expect_reply("list", "\xc2\xa7" "6There are \xc2\xa7" "c3\xc2\xa7" "6 out of maximum \xc2\xa7"
	    "c20\xc2\xa7" "6 players online.\n\xc2\xa7" "6admins\xc2\xa7r: Bob\n\xc2\xa7"
	    "6default\xc2\xa7r: Alice, Carol\n");
}

Test(list_format, ancient_has_no_count)
{
	const char *args[] = { "--list-format", "ancient", NULL };
	start_authed(args);
	expect_reply("list", "Connected players: ");
}

Test(list_format, modern_empty_list_keeps_the_trailing_space)
{
	start_authed(NULL);
	expect_reply("list", "There are 0 of a max of 20 players online: ");
}

Test(source, a_line_runs_each_part_between_semicolons)
{
	const char *args[] = { "--dialect", "source", NULL };
	start_authed(args);
	/* As the Source console: every ';' outside quotes ends a command. */
	cr_assert_eq(rcon_test_send(cl, 70, 2, "sim echo a;sim echo b; ;sim echo \"c;d\"", 38), 0);
	expect_packet(70, 0, "ab\"c;d\"", 7);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo a;sim echo b; ;sim echo \"c;d\""), 1,
	    "logged once, as received");
}
