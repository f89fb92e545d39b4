/* test-cli-secrets.c: what rconsole does with a password besides sending
 * it — no core dump holds it, every password file gets the same mode check
 * (group/world-readable warns with the chmod to run, world-writable is
 * refused before anything is sent), and a pipe still works. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-util.h"

#define PW "Zq7-core-probe-81723"   /* distinctive: a core holding it is found */

static mcsim sim;

static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(secrets, .fini = stop, .timeout = 60);

/* Starts mcsim with PW and extra args; returns the password file (mode). */
static char *start_with_pw(const char *const *extra, int mode)
{
	const char *args[16] = { "--password", PW };
	size_t n = 2;
	for (size_t i = 0; extra && extra[i] && n < 15; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	cr_assert_eq(mcsim_start(&sim, args), 0);
	char *pw = cli_write_file(sim.dir, "probe-pw", PW "\n", 0600);
	chmod(pw, (mode_t)mode);
	return pw;
}

/* Runs rconsole on sim with --password-file pw and args. */
static void run_pw(cli_result *r, const char *pw, const char *const *args,
    const char *const *env)
{
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	const char *argv[32] = { "-H", "127.0.0.1", "-P", port };
	size_t n = 4;
	if (pw) {
		argv[n++] = "--password-file";
		argv[n++] = pw;
	}
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run(r, argv, env, NULL);
}

/* Returns true when the file at path holds needle (binary-safe). */
static bool file_holds(const char *path, const char *needle)
{
	size_t len = 0;
	char *data = files_read(path, &len);
	size_t k = strlen(needle);
	bool found = false;
	for (size_t i = 0; !found && len >= k && i <= len - k; i++)
		found = memcmp(data + i, needle, k) == 0;
	free(data);
	return found;
}

Test(secrets, a_crash_leaves_no_core_holding_the_password)
{
	/* ulimit -c unlimited, core files in the working directory (the
	 * kernel's core_pattern permitting): rconsole must lower the limit
	 * and make itself non-dumpable on its own. */
	struct rlimit unl = { RLIM_INFINITY, RLIM_INFINITY };
	if (setrlimit(RLIMIT_CORE, &unl) < 0) {
		struct rlimit cur;
		getrlimit(RLIMIT_CORE, &cur);
		unl.rlim_cur = cur.rlim_max;
		setrlimit(RLIMIT_CORE, &unl);
	}
	char *pw = start_with_pw((const char *const[]){ "--hang-after", "0", NULL }, 0600);
	cr_assert_eq(chdir(sim.dir), 0);
	cli_bg b;
	cli_spawn_on(&b, &sim, 0, (const char *const[]){ "--password-file", pw, "-c", "list", NULL });
	cr_assert_eq(mcsim_log_wait(&sim, "list", 1, 10000), 1, "rconsole authenticated and sent");
	char limits[64], line[256];
	snprintf(limits, sizeof limits, "/proc/%d/limits", (int)b.pid);
	FILE *f = fopen(limits, "r");
	bool zero = false;
	while (f && fgets(line, sizeof line, f)) {
		char soft[32], hard[32];
		if (strncmp(line, "Max core file size", 18) == 0 &&
		    sscanf(line + 18, "%31s %31s", soft, hard) == 2)
			zero = strcmp(soft, "0") == 0 && strcmp(hard, "0") == 0;
	}
	if (f)
		fclose(f);
	cr_assert(zero, "RLIMIT_CORE is not 0 in the running rconsole");
	kill(b.pid, SIGSEGV);
	cli_result r;
	cli_bg_wait(&b, &r, 10000);
	/* Killed by the signal (or, in a sanitizer build, reported and exited). */
	cr_assert_neq(r.status, 0, "%d", r.status);
	cli_result_free(&r);
	DIR *d = opendir(sim.dir);
	cr_assert_not_null(d);
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, "core", 4) != 0)
			continue;
		char path[600];
		snprintf(path, sizeof path, "%s/%s", sim.dir, e->d_name);
		cr_assert_not(file_holds(path, PW), "core file %s holds the password", path);
		cr_assert_fail("a core file was written: %s", path);
	}
	closedir(d);
	free(pw);
}

Test(secrets, readable_password_file_warns_with_the_chmod_and_still_works)
{
	char *pw = start_with_pw(NULL, 0644);
	cli_result r;
	run_pw(&r, pw, (const char *const[]){ "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	char want[700];
	snprintf(want, sizeof want, "rconsole: warning: password file %s is readable by group or "
	    "others; run: chmod 600 %s\n", pw, pw);
	cr_assert(strstr(r.err, want), "%s", r.err);
	cr_assert_eq(cli_count(r.err, "readable by group"), 1, "warned once: %s", r.err);
	cli_result_free(&r);
	/* The same through RCON_PASSWORD_FILE. */
	char env[700];
	snprintf(env, sizeof env, "RCON_PASSWORD_FILE=%s", pw);
	run_pw(&r, NULL, (const char *const[]){ "-c", "list", NULL }, (const char *const[]){ env, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, want), "%s", r.err);
	cli_result_free(&r);
	chmod(pw, 0600);
	run_pw(&r, pw, (const char *const[]){ "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "", "0600 is quiet");
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "list"), 3);
	free(pw);
}

Test(secrets, world_writable_password_file_is_refused_and_nothing_is_sent)
{
	char *pw = start_with_pw(NULL, 0666);
	cli_result r;
	run_pw(&r, pw, (const char *const[]){ "-c", "list", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	char want[700];
	snprintf(want, sizeof want, "password file %s is writable by everyone: refused; run: "
	    "chmod 600 %s", pw, pw);
	cr_assert(strstr(r.err, want), "%s", r.err);
	cli_result_free(&r);
	char env[700];
	snprintf(env, sizeof env, "RCON_PASSWORD_FILE=%s", pw);
	run_pw(&r, NULL, (const char *const[]){ "-c", "list", NULL }, (const char *const[]){ env, NULL });
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "writable by everyone"), "%s", r.err);
	cli_result_free(&r);
	/* A profile's password_file too. */
	char text[1024];
	snprintf(text, sizeof text, "servers = ( { name = \"p\"; host = \"127.0.0.1\"; port = %d;\n"
	    "  password_file = \"%s\"; } );\n", sim.ports[0], pw);
	char *cfg = cli_write_file(sim.dir, "rconsole.conf", text, 0600);
	cli_run(&r, (const char *const[]){ "--config", cfg, "p", "-c", "list", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: p: password file") && strstr(r.err, "writable by everyone"),
	    "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(cli_log_lines(&sim), 0, "nothing reached the server");
	free(cfg);
	free(pw);
}

Test(secrets, process_substitution_still_works_in_the_one_shot_cli)
{
	if (access("/bin/bash", X_OK) != 0)
		cr_skip_test("no bash for <(...)");
	char *pw = start_with_pw(NULL, 0600);
	char script[1024];
	snprintf(script, sizeof script, "exec \"$0\" -H 127.0.0.1 -P %d --password-file "
	    "<(sleep 0.3; echo '%s') -c list", sim.ports[0], PW);
	cli_result r;
	cli_run_argv(&r, (const char *const[]){ "/bin/bash", "-c", script, cli_prog(), NULL }, NULL,
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "players online"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	cli_result_free(&r);
	free(pw);
}

/* With several servers, one profile whose password cannot be had stops the
 * whole -c run before anything is sent (exit 2); the message says so, so a
 * cron job's --tag run is not read as having reached the others (before, it
 * named only the broken profile); found by the QA helper. */
Test(secrets, a_missing_password_among_several_says_nothing_was_sent)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char text[1024];
	snprintf(text, sizeof text, "servers = (\n"
	    " { name = \"good\"; host = \"127.0.0.1\"; port = %d; password_env = \"QA_GOOD_PW\";"
	    " tags = [\"prod\"]; },\n"
	    " { name = \"nopw\"; host = \"127.0.0.1\"; port = %d; password_env = \"QA_UNSET_PW\";"
	    " tags = [\"prod\"]; } );\n", sim.ports[0], sim.ports[0]);
	char *cfg = cli_write_file(sim.dir, "rconsole.conf", text, 0600);
	const char *const env[] = { "QA_GOOD_PW=secret", NULL };
	cli_result r;
	cli_run(&r, (const char *const[]){ "--config", cfg, "--tag", "prod", "-c", "save-all",
	    NULL }, env, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "rconsole: nopw: environment variable QA_UNSET_PW is not set") &&
	    strstr(r.err, "; nothing was sent to any of the 2 servers\n"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(cli_log_lines(&sim), 0, "nothing reached the server");
	/* One server alone: the message is as before. */
	cli_run(&r, (const char *const[]){ "--config", cfg, "nopw", "-c", "list", NULL }, env, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_null(strstr(r.err, "nothing was sent"), "%s", r.err);
	cli_result_free(&r);
	free(cfg);
}
