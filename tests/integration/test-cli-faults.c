/* test-cli-faults.c: every mcsim fault switch and server dialect ends in a
 * clear message and the right exit code within the timeout — never a crash
 * or a hang — and mcsim's log shows no command written twice; replies of
 * every size arrive byte-exact, in order (`sim pattern`) in every dialect. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/pattern.h"
#include "cli-util.h"

static mcsim sim;

static void stop(void)
{
	mcsim_stop(&sim);
}

/* Inline strings only: Criterion runs each case in a fresh process, where
 * pointers into the parent's memory would not be valid. */
struct fault_case {
	char sim_args[3][16];      /* mcsim switches ("" ends the list) */
	char cmd[32];
	int want_status;
	char want_err[32];         /* fragment of stderr, or "" */
};

ParameterizedTestParameters(faults, each_switch)
{
	static struct fault_case cases[] = {
		{ { "--delay", "300" }, "list", 0, "" },
		{ { "--drip" }, "list", 0, "" },
		{ { "--hang-after", "0" }, "list", 1, "outcome unknown" },
		{ { "--drop-after", "0" }, "list", 5, "outcome unknown" },
		{ { "--garbage" }, "list", 5, "protocol error" },
		{ { "--oversize" }, "list", 5, "protocol error" },
		{ { "--auth-fail" }, "list", 4, "authentication failed" },
		{ { "--hostile" }, "list", 0, "" },
		{ { "--dialect", "forge" }, "say quiet", 0, "" },
		{ { "--dialect", "source" }, "list", 0, "" },
	};
	return cr_make_param_array(struct fault_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fault_case *c, faults, each_switch, .fini = stop, .timeout = 120)
{
	const char *args[4] = { NULL };
	for (int i = 0; i < 3 && c->sim_args[i][0]; i++)
		args[i] = c->sim_args[i];
	cr_assert_eq(mcsim_start(&sim, args), 0);
	cli_result r;
	long long t0 = mcsim_now_ms();
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--timeout", "3", "-c", c->cmd, NULL }, NULL);
	long long took = mcsim_now_ms() - t0;
	cr_assert_eq(r.status, c->want_status, "%s: status %d, stderr: %s", c->sim_args[0], r.status,
	    r.err);
	if (c->want_err[0])
		cr_assert(strstr(r.err, c->want_err), "%s: stderr: %s", c->sim_args[0], r.err);
	cr_assert_lt(took, 30000, "%s: finished (in %lld ms), no hang", c->sim_args[0], took);
	cr_assert_leq(mcsim_log_count(&sim, c->cmd), 1, "%s: never sent twice", c->sim_args[0]);
	cr_assert(!memchr(r.out, 0x1b, r.out_len) && !memchr(r.err, 0x1b, strlen(r.err)),
	    "%s: no escape byte reaches the terminal", c->sim_args[0]);
	cli_result_free(&r);
}

Test(faults, hostile_reply_is_defused, .fini = stop, .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--hostile", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim echo hello", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "hello"), "the text itself survives: %s", r.out);
	for (size_t i = 0; i < r.out_len; i++) {
		unsigned char ch = (unsigned char)r.out[i];
		cr_assert(ch >= 0x20 || ch == '\n' || ch == '\t', "control byte 0x%02x at %zu", ch, i);
		cr_assert(ch != 0x7f, "DEL at %zu", i);
		if (ch == 0xc2 && i + 1 < r.out_len)
			cr_assert(!((unsigned char)r.out[i + 1] >= 0x80 && (unsigned char)r.out[i + 1] <= 0x9f),
			    "C1 control at %zu", i);
	}
	cli_result_free(&r);
}

struct size_case {
	long chars;
	char kind[8];
	int bytes_per_char;
};

ParameterizedTestParameters(faults, reply_sizes)
{
	static struct size_case cases[] = {
		{ 0, "ascii", 1 }, { 1, "ascii", 1 }, { 4095, "ascii", 1 }, { 4096, "ascii", 1 },
		{ 4097, "ascii", 1 }, { 8192, "ascii", 1 }, { 1048576, "ascii", 1 },
		{ 4097, "latin", 2 }, { 8193, "cjk", 3 },
	};
	return cr_make_param_array(struct size_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct size_case *c, faults, reply_sizes, .fini = stop, .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char cmd[64];
	snprintf(cmd, sizeof cmd, "sim chars %ld %s", c->chars, c->kind);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw", "-c", cmd, NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s: %s", cmd, r.err);
	cr_assert_eq(r.out_len, (size_t)(c->chars * c->bytes_per_char) + 1, "%s: got %zu bytes", cmd,
	    r.out_len);
	cr_assert_eq(mcsim_log_count(&sim, cmd), 1);
	cli_result_free(&r);
}

/* The dialect of one pattern case (inline, as above). */
struct dialect_case {
	char dialect[8];
};

ParameterizedTestParameters(faults, pattern_replies_in_order)
{
	static struct dialect_case cases[] = { { "vanilla" }, { "forge" }, { "source" } };
	return cr_make_param_array(struct dialect_case, cases, sizeof cases / sizeof cases[0]);
}

/* `sim pattern N` sets every byte by its offset: the one-shot output, plain
 * (streamed) and --raw, must be the pattern exactly, so a fragment lost,
 * repeated or out of order fails; two long replies in one run keep apart. */
ParameterizedTest(struct dialect_case *c, faults, pattern_replies_in_order, .fini = stop,
    .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--dialect", c->dialect, NULL }), 0);
	static const long sizes[] = { 4096, 4097, 65536, 1048576 };
	static const char *const modes[] = { "--color=never", "--raw" };
	for (size_t m = 0; m < sizeof modes / sizeof modes[0]; m++) {
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			char cmd[48];
			snprintf(cmd, sizeof cmd, "sim pattern %ld", sizes[k]);
			cli_result r;
			cli_run_on(&r, &sim, 0, (const char *const[]){ modes[m], "-c", cmd, NULL }, NULL);
			cr_assert_eq(r.status, 0, "%s %s %s: %s", c->dialect, modes[m], cmd, r.err);
			long at = pattern_diff_printed(r.out, r.out_len, (size_t)sizes[k]);
			cr_assert_eq(at, -1, "%s %s %s: %zu bytes out, first wrong byte at %ld",
			    c->dialect, modes[m], cmd, r.out_len, at);
			cli_result_free(&r);
		}
		/* Two in one run: the first ends mid-record, the second starts at 0. */
		cli_result r;
		cli_run_on(&r, &sim, 0, (const char *const[]){ modes[m], "-c", "sim pattern 65537",
		    "-c", "sim pattern 8193", NULL }, NULL);
		cr_assert_eq(r.status, 0, "%s %s: %s", c->dialect, modes[m], r.err);
		cr_assert_eq(r.out_len, 65538 + 8194, "%s %s: %zu bytes", c->dialect, modes[m],
		    r.out_len);
		cr_assert_eq(pattern_diff_printed(r.out, 65538, 65537), -1, "%s %s: first reply",
		    c->dialect, modes[m]);
		cr_assert_eq(pattern_diff_printed(r.out + 65538, 8194, 8193), -1, "%s %s: second",
		    c->dialect, modes[m]);
		cli_result_free(&r);
	}
	cr_assert_eq(mcsim_log_count(&sim, "sim pattern 1048576"), 2, "once a mode, never twice");
}

Test(faults, forge_reply_cut_inside_a_character_is_whole_again, .fini = stop, .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--dialect", "forge", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw", "-c", "sim chars 4097 cjk", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.out_len, 4097 * 3 + 1);
	for (size_t i = 0; i + 3 <= r.out_len - 1; i += 3)
		cr_assert(memcmp(r.out + i, r.out, 3) == 0, "character %zu intact", i / 3);
	cli_result_free(&r);
}

/* Plain output streams each fragment as it arrives: a character that a
 * Forge server cut in two between packets still comes out whole (held
 * across the boundary), never as two replacement characters. */
Test(faults, streamed_plain_output_keeps_a_character_cut_between_fragments, .fini = stop,
    .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--dialect", "forge", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim chars 9000 cjk", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.out_len, 9000 * 3 + 1);
	cr_assert_null(strstr(r.out, "\xef\xbf\xbd"), "no U+FFFD");
	for (size_t i = 0; i + 3 <= r.out_len - 1; i += 3)
		cr_assert(memcmp(r.out + i, r.out, 3) == 0, "character %zu intact", i / 3);
	cli_result_free(&r);
}

/* A reply that stops after its first packet (mcsim --stall-mid) is not "no
 * answer": the 4,096 bytes that came are printed and stderr says so; found
 * by the QA helper (before, "no answer to 'sim pattern 9000' within the
 * timeout" under 4,096 printed bytes). */
Test(faults, a_stalled_reply_is_reported_as_stopped_not_unanswered, .fini = stop,
    .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--stall-mid", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--timeout", "1", "-c", "sim pattern 9000",
	    "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 1, "outcome unknown: %d, %s", r.status, r.err);
	cr_assert_eq(r.out_len, 4097, "the first packet and the line's end: %zu", r.out_len);
	cr_assert(strstr(r.err, "outcome unknown: the reply to 'sim pattern 9000' stopped after "
	    "4096 bytes (above): nothing more came within 1 s; 1 command not sent"),
	    "%s", r.err);
	cr_assert_null(strstr(r.err, "no answer"), "%s", r.err);
	cr_assert_eq(mcsim_log_count(&sim, "sim pattern 9000"), 1, "sent once");
	cr_assert_eq(mcsim_log_count(&sim, "list"), 0, "nothing after it");
	cli_result_free(&r);
	/* -q prints nothing, so nothing is "above". */
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-q", "--timeout", "1", "-c",
	    "sim pattern 9000", NULL }, NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "stopped after 4096 bytes: nothing more came"), "%s", r.err);
	cli_result_free(&r);
}

/* A command with no answer says how long it waited ("within the timeout"
 * alone, before, sent the reader to look the number up). */
Test(faults, a_command_with_no_answer_names_the_timeout, .fini = stop, .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--hang-after", "0", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--timeout", "1", "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: 127.0.0.1: no answer to 'list' within 1 s: outcome "
	    "unknown\n"), "%s", r.err);
	cli_result_free(&r);
}

/* A reply cut by a reset (mcsim --reset-mid) says that what was printed is
 * cut, so a script's reader does not take the 4,096 bytes for the whole. */
Test(faults, a_reply_cut_by_a_reset_says_it_is_cut, .fini = stop, .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--reset-mid", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "sim pattern 9000", "-c", "list",
	    NULL }, NULL);
	cr_assert_eq(r.status, 5, "lost: %d, %s", r.status, r.err);
	cr_assert_eq(r.out_len, 4097, "%zu", r.out_len);
	cr_assert(strstr(r.err, "outcome unknown: connection lost after 'sim pattern 9000' was "
	    "sent; its reply above is cut after 4096 bytes"), "%s", r.err);
	cr_assert_eq(mcsim_log_count(&sim, "sim pattern 9000"), 1, "sent once");
	cli_result_free(&r);
}

/* A refused login says what was not sent, as every other end does ("could
 * not connect: ...; 3 commands not sent"); before, "authentication failed
 * (wrong password)" alone; found by the QA helper. */
Test(faults, a_refused_login_counts_the_commands_not_sent, .fini = stop, .timeout = 120)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--auth-fail", NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "list", "-c", "say x", NULL }, NULL);
	cr_assert_eq(r.status, 4, "%s", r.err);
	cr_assert(strstr(r.err, ": authentication failed (wrong password); 2 commands not sent\n"),
	    "%s", r.err);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL }, "list\nsay 1\nsay 2\n");
	cr_assert_eq(r.status, 4, "%s", r.err);
	cr_assert(strstr(r.err, "; 3 commands not sent"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 0, "nothing sent");
}
