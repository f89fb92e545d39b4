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
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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
	char cmd[64], port[16], out[320], err[320], pw[320];
	snprintf(cmd, sizeof cmd, "sim pattern %ld", n);
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(out, sizeof out, "%s/out", sim.dir);
	snprintf(err, sizeof err, "%s/err", sim.dir);
	free(cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600));
	snprintf(pw, sizeof pw, "%s/pw", sim.dir);
	const char *argv[] = { cli_prog(), "-H", "127.0.0.1", "-P", port, "--password-file", pw,
		"-c", cmd, mode, NULL };
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int in = open("/dev/null", O_RDONLY);
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || o < 0 || e < 0)
			_exit(126);
		dup2(in, 0);
		dup2(o, 1);
		dup2(e, 2);
		static const char *const unset[] = { "RCON_HOST", "RCON_PORT", "RCON_PASSWORD",
			"RCON_PASSWORD_FILE", "MCRCON_HOST", "MCRCON_PORT", "MCRCON_PASS",
			"RCONSOLE_CONFIG", NULL };
		for (size_t i = 0; unset[i]; i++)
			unsetenv(unset[i]);
		char asan[512];
		const char *was = getenv("ASAN_OPTIONS");
		snprintf(asan, sizeof asan, "%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
		    was ? was : "", was && *was ? ":" : "");
		setenv("ASAN_OPTIONS", asan, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	struct rusage ru;
	long long deadline = mcsim_now_ms() + 60000;
	pid_t got;
	while ((got = wait4(pid, &st, WNOHANG, &ru)) == 0 && mcsim_now_ms() < deadline)
		mcsim_sleep_ms(10);
	if (got == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		cr_assert_fail("%s %s: still running after 60 s", cmd, mode);
	}
	cr_assert_eq(got, pid);
	size_t elen = 0, olen = 0;
	char *errtext = files_read(err, &elen);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s %s: status %d, stderr: %s", cmd, mode,
	    st, errtext);
	free(errtext);
	char *text = files_read(out, &olen);
	long at = pattern_diff_printed(text, olen, (size_t)n);
	cr_assert_eq(at, -1, "%s %s: %zu bytes out, first wrong byte at %ld", cmd, mode, olen, at);
	free(text);
	unlink(out);
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
