/* test-cli-fdlimit.c: the one-shot runner under a *hard* descriptor limit
 * too low for what it needs (a socket, an audit log and a name look-up per
 * server), against a real mcsim and a real audit directory.  Raising the
 * soft limit cannot help there (test-cli-qa covers the soft one): every
 * command that reaches a server must have its audit record, or none is
 * sent and the run says why, with the `ulimit -n` to raise.  Before, under
 * `ulimit -n 24` --all on a dozen servers sent every command and exited 0
 * while several audit logs failed to open ("Too many open files"). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-util.h"

static mcsim sim;

/* Stops mcsim after each test. */
static void fini(void)
{
	mcsim_stop(&sim);
}

TestSuite(fdlimit, .fini = fini, .timeout = 60);

enum { N = 12 };

/* Starts N servers and writes a configuration naming them s0..s(N-1);
 * returns its malloc'd path. */
static char *many_config(void)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--servers", "12", NULL }), 0);
	cr_assert_eq(sim.n_ports, N);
	return cli_write_servers(sim.dir, "many.conf", sim.ports, N);
}

/* Runs `rconsole --config cfg --all -c seed` under a soft and hard
 * descriptor limit of nofile, with its state directory in state. */
static void run_limited(cli_result *r, const char *cfg, int nofile, const char *state)
{
	char sh[160], env[400];
	snprintf(sh, sizeof sh, "ulimit -S -n %d && ulimit -H -n %d && exec \"$0\" \"$@\"",
	    nofile, nofile);
	snprintf(env, sizeof env, "XDG_STATE_HOME=%s", state);
	cli_run_argv(r, (const char *const[]){ "/bin/sh", "-c", sh, cli_prog(), "--config", cfg,
	    "--all", "-c", "seed", NULL }, (const char *const[]){ env, NULL }, NULL);
}

/* Returns how many audit logs under state record `seed`. */
static int audit_records(const char *state)
{
	char logdir[400];
	snprintf(logdir, sizeof logdir, "%s/rconsole/log", state);
	int logs = 0;
	DIR *d = opendir(logdir);
	if (!d)
		return 0;
	for (struct dirent *e; (e = readdir(d));) {
		char path[700];
		snprintf(path, sizeof path, "%s/%s", logdir, e->d_name);
		char *log = e->d_name[0] == '.' ? NULL : files_read(path, NULL);
		logs += cli_count(log ? log : "", "cmd=seed");
		free(log);
	}
	closedir(d);
	return logs;
}

Test(fdlimit, a_hard_limit_too_low_for_the_audit_logs_sends_nothing_and_says_why)
{
	char *cfg = many_config();
	char state[320];
	snprintf(state, sizeof state, "%s/state", sim.dir);
	cli_result r;
	run_limited(&r, cfg, 24, state);
	int sent = mcsim_log_count(&sim, "seed"), recorded = audit_records(state);
	/* The rule: no command reaches a server without its record. */
	cr_assert_eq(sent, recorded, "%d commands sent, %d audit records: %s", sent, recorded,
	    r.err);
	cr_assert_eq(sent, 0, "%d sent: %s", sent, r.err);
	cr_assert_eq(r.status, 2, "status %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "ulimit -n "), "%s", r.err);
	cr_assert(strstr(r.err, "24"), "the limit is named: %s", r.err);
	cr_assert(strstr(r.err, "nothing was sent"), "%s", r.err);
	cr_assert_eq(cli_count(r.err, "rconsole"), 1, "one message: %s", r.err);
	cr_assert_eq(r.out_len, 0, "%s", r.out);
	cli_result_free(&r);
	free(cfg);
}

Test(fdlimit, a_hard_limit_that_covers_every_server_sends_and_records_all)
{
	char *cfg = many_config();
	char state[320];
	snprintf(state, sizeof state, "%s/state", sim.dir);
	cli_result r;
	/* Three descriptors a server plus what any process holds: enough. */
	run_limited(&r, cfg, 3 * N + 16, state);
	cr_assert_eq(r.status, 0, "status %d: %s", r.status, r.err);
	cr_assert_eq(cli_count(r.out, "Seed: "), N, "%s", r.out);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), N);
	cr_assert_eq(audit_records(state), N, "%s", r.err);
	cr_assert_null(strstr(r.err, "Too many open files"), "%s", r.err);
	cli_result_free(&r);
	free(cfg);
}

Test(fdlimit, without_audit_a_low_hard_limit_is_judged_by_the_sockets_alone)
{
	/* audit = false: no log is needed, so a limit that refuses an
	 * audited run (at least 12 logs, 12 sockets, stdio, the loop's pipe
	 * and the spare: over 32) is enough for the sockets. */
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--servers", "12", NULL }), 0);
	char text[N * 120 + 64] = "audit = false;\nservers = (";
	for (int i = 0; i < N; i++) {
		size_t n = strlen(text);
		snprintf(text + n, sizeof text - n, "%s{ name = \"s%d\"; host = \"127.0.0.1\"; "
		    "port = %d; password = \"secret\"; }", i ? ", " : " ", i, sim.ports[i]);
	}
	strcat(text, " );\n");
	char *cfg = cli_write_file(sim.dir, "noaudit.conf", text, 0600);
	char state[320];
	snprintf(state, sizeof state, "%s/state", sim.dir);
	cli_result r;
	run_limited(&r, cfg, 32, state);
	cr_assert_eq(r.status, 0, "status %d: %s", r.status, r.err);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), N);
	cr_assert_eq(audit_records(state), 0);
	cli_result_free(&r);
	free(cfg);
}

Test(fdlimit, an_unusable_audit_directory_stays_a_warning)
{
	/* The documented contract: a state directory that is not safe to use
	 * turns the audit log off with a warning; the commands still go. */
	char *cfg = many_config();
	char state[320];
	snprintf(state, sizeof state, "%s/state", sim.dir);
	cr_assert_eq(mkdir(state, 0700), 0);
	char rc_dir[400];
	snprintf(rc_dir, sizeof rc_dir, "%s/rconsole", state);
	cr_assert_eq(mkdir(rc_dir, 0777), 0);
	cr_assert_eq(chmod(rc_dir, 0777), 0);   /* world-writable: refused */
	cli_result r;
	run_limited(&r, cfg, 3 * N + 16, state);
	cr_assert_eq(r.status, 0, "status %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "audit log off: "), "%s", r.err);
	cr_assert_eq(cli_count(r.err, "audit log off"), 1, "%s", r.err);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), N);
	cr_assert_eq(audit_records(state), 0);
	cli_result_free(&r);
	free(cfg);
}

Test(fdlimit, descriptors_inherited_open_count_against_the_limit)
{
	/* A limit with room to spare for twelve servers (128), but 110 of it
	 * taken by descriptors the parent left open: before, the check
	 * judged by the servers alone and some of them failed half way
	 * ("Too many open files") after others had been sent their command. */
	char *cfg = many_config();
	char state[320], sh[300], env[400];
	snprintf(state, sizeof state, "%s/state", sim.dir);
	snprintf(sh, sizeof sh, "ulimit -S -n 128 && ulimit -H -n 128 && i=10 && "
	    "while [ $i -lt 120 ]; do eval \"exec $i</dev/null\"; i=$((i+1)); done && "
	    "exec \"$0\" \"$@\"");
	snprintf(env, sizeof env, "XDG_STATE_HOME=%s", state);
	cli_result r;
	/* bash: dash opens no descriptor above 9. */
	if (access("/bin/bash", X_OK) != 0)
		cr_skip_test("no /bin/bash to leave descriptors open with");
	cli_run_argv(&r, (const char *const[]){ "/bin/bash", "-c", sh, cli_prog(), "--config", cfg,
	    "--all", "-c", "seed", NULL }, (const char *const[]){ env, NULL }, NULL);
	int sent = mcsim_log_count(&sim, "seed"), recorded = audit_records(state);
	cr_assert_eq(sent, recorded, "%d commands sent, %d audit records: %s", sent, recorded,
	    r.err);
	cr_assert_eq(sent, 0, "%d sent: %s", sent, r.err);
	cr_assert_eq(r.status, 2, "status %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "nothing was sent"), "%s", r.err);
	cr_assert_null(strstr(r.err, "Too many open files"), "%s", r.err);
	cli_result_free(&r);
	free(cfg);
}
