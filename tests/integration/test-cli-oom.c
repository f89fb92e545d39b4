/* test-cli-oom.c: the one-shot's out-of-memory path end to end — a reply
 * too big to hold is cut with a message that says so, the exit status is
 * 1, and nothing is sent twice (nor what was to follow it).
 *
 * The unit and session tests (test-session-oom.c) make the library's
 * allocations fail; this runs the real rconsole, built from its own
 * sources as tests/integration/rconsole-malloc-cap with malloc, calloc and
 * realloc wrapped (tests/support/malloc-cap.c): with
 * RCONSOLE_TEST_MALLOC_CAP=N every allocation above N bytes fails, as on
 * a machine out of memory, and the smaller ones go through.  mcsim's
 * --log shows what reached the servers. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli-util.h"

#define CAP "RCONSOLE_TEST_MALLOC_CAP=1048576"  /* 1 MiB */
#define BIG "sim chars 2000000 ascii"           /* a 2 MB reply */

static mcsim sim;

/* Stops mcsim after each test. */
static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(cli_oom, .fini = stop, .timeout = 120);

/* Returns the wrapped rconsole's path (beside the build's rconsole). */
static const char *capped_prog(void)
{
	static char path[4096];
	const char *top = getenv("TOP_BUILDDIR");
	snprintf(path, sizeof path, "%s/tests/integration/rconsole-malloc-cap",
	    top && *top ? top : ".");
	return path;
}

/* Runs the wrapped rconsole under the 1 MiB cap with args after argv[0]. */
static void run_capped(cli_result *r, const char *const *args)
{
	const char *argv[16] = { capped_prog() };
	size_t n = 1;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run_argv(r, argv, (const char *const[]){ CAP, NULL }, NULL);
}

/* With several servers each reply is held whole (so that one server's
 * lines never cut into another's): a 2 MB one cannot be, under the cap.
 * Each server says its reply was cut and why, the command after it is not
 * sent, the big one went out once per server, and the exit status is 1
 * (a command's outcome is not what it should be) rather than 5: the
 * connections were fine. */
Test(cli_oom, a_reply_too_big_to_hold_is_cut_with_a_reason_and_nothing_sent_twice)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--servers", "2", NULL }), 0);
	char *cfg = cli_write_servers(sim.dir, "two.conf", sim.ports, 2);
	cli_result r;
	run_capped(&r, (const char *const[]){ "--config", cfg, "s0", "s1", "-c", BIG, "-c",
	    "sim echo after", NULL });
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert_eq(r.out_len, 0, "nothing of a cut reply reads as whole: %.200s", r.out);
	for (int i = 0; i < 2; i++) {
		char want[200];
		snprintf(want, sizeof want, "rconsole: s%d: '" BIG "': out of memory: the reply "
		    "could not be held, none of it is shown\n", i);
		cr_assert(strstr(r.err, want), "no '%s' in: %s", want, r.err);
		snprintf(want, sizeof want, "rconsole: s%d: stopped after a reply was cut for want "
		    "of memory; 1 command not sent\n", i);
		cr_assert(strstr(r.err, want), "no '%s' in: %s", want, r.err);
	}
	cr_assert_eq(cli_count(r.err, "\n"), 4, "two lines a server: %s", r.err);
	cr_assert_eq(mcsim_log_count(&sim, BIG), 2, "once a server, never again");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo after"), 0, "nothing after the cut");
	cli_result_free(&r);
	free(cfg);
}

/* The control: one server streams its reply as it comes, so the same cap
 * costs nothing there — every byte printed, exit 0.  (The cut above is the
 * cap's doing, not the wrapped build's.) */
Test(cli_oom, a_streamed_reply_needs_no_room_for_the_whole)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *cfg = cli_write_servers(sim.dir, "one.conf", sim.ports, 1);
	cli_result r;
	run_capped(&r, (const char *const[]){ "--config", cfg, "s0", "-c", BIG, "-c",
	    "sim echo after", NULL });
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(r.out_len, 2000000 + 1 + strlen("after\n"), "%zu bytes out", r.out_len);
	cr_assert_str_eq(r.out + 2000000, "\nafter\n");
	cr_assert_str_eq(r.err, "");
	cli_result_free(&r);
	free(cfg);
}
