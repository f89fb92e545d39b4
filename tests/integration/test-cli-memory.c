/* test-cli-memory.c: one-shot output streams a long reply, so its memory
 * does not grow with the reply (issue 11: "peak RSS for 1 MiB and 8 MiB
 * replies under 2 MiB above the process's baseline").
 *
 * The real rconsole runs `-c 'sim pattern N'` against a spawned mcsim with
 * its stdout in a file; its peak RSS comes from wait4 (ru_maxrss).  The
 * baseline is the same invocation with a 100-byte reply, in the same mode;
 * a 1 MiB and an 8 MiB reply must each peak under baseline + 2 MiB, with no
 * other slack.  Every output is compared byte for byte with the pattern.
 * This is memory, not speed: the same on a loaded machine.
 *
 * Under AddressSanitizer the child runs with its quarantine off (freed
 * blocks would otherwise be kept back, by design, for up to 256 MiB); what
 * is live at once is still what is measured. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "../support/mcsim.h"
#include "../support/pattern.h"
#include "cli-util.h"

#define SMALL 100L
#define TARGET_KIB 2048L    /* the 2 MiB */

static mcsim sim;

/* Stops mcsim (and removes its directory, the outputs in it too). */
static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(cli_memory, .fini = stop, .timeout = 120);

/* Runs `rconsole [mode] -c 'sim pattern n'` on sim with stdout to a file,
 * checks it exits 0 and printed the pattern exactly; returns its peak RSS
 * in KiB. */
static long run_pattern(const char *mode, long n)
{
	char cmd[64], asan[512];
	snprintf(cmd, sizeof cmd, "sim pattern %ld", n);
	const char *was = getenv("ASAN_OPTIONS");
	snprintf(asan, sizeof asan, "%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
	    was ? was : "", was && *was ? ":" : "");
	cr_assert_eq(setenv("ASAN_OPTIONS", asan, 1), 0);   /* the child's, read at its start */
	cli_bg b;
	cli_spawn_on(&b, &sim, 0, (const char *const[]){ mode, "-c", cmd, NULL });
	cli_result r;
	struct rusage ru;
	cli_bg_wait_usage(&b, &r, 60000, &ru);
	cr_assert_eq(r.status, 0, "%s %s: stderr: %s", cmd, mode, r.err);
	long at = pattern_diff_printed(r.out, r.out_len, (size_t)n);
	cr_assert_eq(at, -1, "%s %s: %zu bytes out, first wrong byte at %ld", cmd, mode, r.out_len,
	    at);
	cli_result_free(&r);
	return ru.ru_maxrss;
}

/* Checks 1 MiB and 8 MiB replies in mode against a small one's peak. */
static void check_mode(const char *mode)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	long base = run_pattern(mode, SMALL);
	static const long sizes[] = { 1L << 20, 8L << 20 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		long peak = run_pattern(mode, sizes[i]);
		cr_log_info("%s: %ld-byte reply peaks at %ld KiB, %ld KiB above the %ld KiB of a "
		    "%ld-byte one", mode, sizes[i], peak, peak - base, base, SMALL);
		cr_assert_lt(peak, base + TARGET_KIB, "%s: a %ld-byte reply peaks at %ld KiB, the "
		    "%ld-byte one at %ld KiB: not under 2 MiB above it", mode, sizes[i], peak, SMALL,
		    base);
	}
	char cmd[64];
	snprintf(cmd, sizeof cmd, "sim pattern %ld", 8L << 20);
	cr_assert_eq(mcsim_log_count(&sim, cmd), 1, "sent once");
}

Test(cli_memory, plain_output_of_8_mib_peaks_under_2_mib_above_a_small_reply)
{
	check_mode("--color=never");
}

Test(cli_memory, raw_output_of_8_mib_peaks_under_2_mib_above_a_small_reply)
{
	check_mode("--raw");
}
