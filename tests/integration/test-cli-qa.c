/* test-cli-qa.c: defects found by exploratory QA of the one-shot command
 * line against a spawned mcsim over loopback, each pinned by a test that
 * failed before its fix: which port wins when -H names one, what a script
 * gets when stdout cannot take the replies, and what an empty --config
 * means. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-util.h"
#include "rconsole/rconsole.h"

static mcsim sim;

static void stop(void)
{
	mcsim_stop(&sim);
}

TestSuite(qa, .fini = stop, .timeout = 120);

/* Runs rconsole with mcsim's password file and args, in env. */
static void run_env(cli_result *r, const char *const *args, const char *const *env)
{
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	const char *argv[32] = { cli_prog(), "--password-file", pw };
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run_argv(r, argv, env, NULL);
	free(pw);
}

/* Flags win over the environment: the port written in -H HOST:PORT is a
 * flag's, so RCON_PORT (or mcrcon's MCRCON_PORT, exported for another tool)
 * must not send the command to another port.  Before: it did, and the error
 * named the -H port while it had tried the other. */
Test(qa, env_port_does_not_override_the_port_written_in_h)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char host[64];
	snprintf(host, sizeof host, "127.0.0.1:%d", sim.ports[0]);
	static const char *const envs[][2] = { { "RCON_PORT=1", NULL }, { "MCRCON_PORT=1", NULL } };
	for (size_t i = 0; i < 2; i++) {
		cli_result r;
		run_env(&r, (const char *const[]){ "-H", host, "-c", "seed", NULL }, envs[i]);
		cr_assert_eq(r.status, 0, "%s: %s", envs[i][0], r.err);
		cr_assert(strstr(r.out, "Seed: "), "%s", r.out);
		cli_result_free(&r);
	}
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 2);
	/* Without a port in -H, the environment's port still applies. */
	char port[16];
	snprintf(port, sizeof port, "RCON_PORT=%d", sim.ports[0]);
	cli_result r;
	run_env(&r, (const char *const[]){ "-H", "127.0.0.1", "-c", "seed", NULL },
	    (const char *const[]){ port, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 3);
}

/* -H HOST:PORT and a different -P are two flags that contradict each other:
 * a usage error (exit 2), nothing sent, instead of silently picking -P. */
Test(qa, a_port_in_h_and_a_different_p_is_a_usage_error)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char host[64], port[16], other[16];
	snprintf(host, sizeof host, "127.0.0.1:%d", sim.ports[0]);
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(other, sizeof other, "%d", sim.ports[0] == 1 ? 2 : 1);
	cli_result r;
	run_env(&r, (const char *const[]){ "-H", host, "-P", other, "-c", "seed", NULL }, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "two different ports"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0);
	/* The same port twice is no contradiction. */
	run_env(&r, (const char *const[]){ "-H", host, "-P", port, "-c", "seed", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 1);
}

/* A usage error names the option at fault and what is wrong with it.
 * Before: an unknown letter inside a group ("-r -Xq") was reported as the
 * word before it ("unknown option: -r", a valid option), and an option
 * missing its value as unknown ("unknown option: -c"). */
Test(qa, usage_errors_name_the_option_at_fault)
{
	static const struct {
		const char *args[4];
		const char *want;
	} cases[] = {
		{ { "-r", "-Xq", NULL }, "rconsole: unknown option: -X\n" },
		{ { "--status", "-rX", NULL }, "rconsole: unknown option: -X\n" },
		{ { "-H", "127.0.0.1", "-c", NULL }, "rconsole: option needs an argument: -c\n" },
		{ { "--config", NULL }, "rconsole: option needs an argument: --config\n" },
		{ { "--read-only=yes", NULL }, "rconsole: option takes no value: --read-only\n" },
		{ { "--no-such-flag", NULL }, "rconsole: unknown option: --no-such-flag\n" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cli_result r;
		cli_run(&r, cases[i].args, NULL, NULL);
		cr_assert_eq(r.status, 2, "%s: %s", cases[i].args[0], r.err);
		cr_assert(!strncmp(r.err, cases[i].want, strlen(cases[i].want)), "%s: %s",
		    cases[i].args[0], r.err);
		cli_result_free(&r);
	}
}

/* Runs `rconsole -H 127.0.0.1 -P <port> --password-file <pw> <args>` with
 * stdout on out_fd (-1: closed), stdin /dev/null, SIGPIPE at its default as
 * a shell leaves it, and stderr in *err (malloc'd); returns the exit status
 * (128 + signal when killed). */
static int run_stdout(const char *const *args, int out_fd, char **err)
{
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16], err_path[320];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	snprintf(err_path, sizeof err_path, "%s/stdout.err", sim.dir);
	const char *argv[32] = { cli_prog(), "-H", "127.0.0.1", "-P", port, "--password-file", pw };
	size_t n = 7;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int in = open("/dev/null", O_RDONLY);
		int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || e < 0)
			_exit(127);
		dup2(in, 0);
		dup2(e, 2);
		if (out_fd >= 0)
			dup2(out_fd, 1);
		else
			close(1);
		signal(SIGPIPE, SIG_DFL);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	long long end = mcsim_now_ms() + 60000;
	int st = 0;
	pid_t w;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && mcsim_now_ms() < end)
		mcsim_sleep_ms(20);
	if (w == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	*err = files_read(err_path, NULL);
	cr_assert_neq(w, 0, "rconsole did not exit (stderr: %s)", *err);
	free(pw);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* `rconsole -c a -c b -c c | head -c0`: the reader is gone before the
 * first reply.  A clear exit (1, and the reason on stderr), no command
 * after the one that was already on the wire, none twice.  Before: every
 * command was sent and the exit status was 0, with nothing said. */
Test(qa, a_closed_pipe_on_stdout_stops_the_run_with_exit_1)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	close(p[0]);   /* the reader has already gone */
	char *err;
	int status = run_stdout((const char *const[]){ "-c", "sim echo one", "-c", "sim echo two",
	    "-c", "sim echo three", NULL }, p[1], &err);
	close(p[1]);
	cr_assert_eq(status, 1, "status %d: %s", status, err);
	cr_assert(strstr(err, "rconsole: cannot write to standard output: Broken pipe\n"), "%s", err);
	cr_assert(strstr(err, "rconsole: 127.0.0.1: stopped, replies cannot be written"), "%s", err);
	cr_assert(strstr(err, "1 command not sent"), "the third never went: %s", err);
	free(err);
	/* The second was written before the first reply was printed (the
	 * session keeps the server busy), so its outcome is unknown; the third
	 * never reached the server. */
	cr_assert_eq(mcsim_log_count(&sim, "sim echo one"), 1);
	cr_assert_leq(mcsim_log_count(&sim, "sim echo two"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "sim echo three"), 0);
}

/* Replies into a full disk (/dev/full) are not a success: `-c` and
 * `--status` exit 1 and say why.  Before: exit 0 and an empty file. */
Test(qa, replies_into_a_full_disk_exit_1)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	int full = open("/dev/full", O_WRONLY);
	cr_assert_geq(full, 0);
	static const char *const runs[][4] = {
		{ "-c", "seed", NULL }, { "--status", NULL }, { "--status", "--json", NULL },
	};
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		char *err;
		int status = run_stdout(runs[i], full, &err);
		cr_assert_eq(status, 1, "%s: status %d: %s", runs[i][0], status, err);
		cr_assert(strstr(err, "rconsole: cannot write to standard output"), "%s: %s", runs[i][0],
		    err);
		free(err);
	}
	close(full);
	/* -q writes nothing, so nothing can fail. */
	char *err;
	int status = run_stdout((const char *const[]){ "-q", "-c", "seed", NULL }, -1, &err);
	cr_assert_eq(status, 0, "%s", err);
	free(err);
}

/* A closed stdout (`>&-`) is not handed to the next descriptor opened (the
 * loop's, a socket's): replies fail to be written, exit 1, and the server
 * receives only the commands, each once.  Before: exit 0, nothing said. */
Test(qa, a_closed_stdout_is_an_error_and_reaches_nothing_else)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *err;
	int status = run_stdout((const char *const[]){ "-c", "seed", NULL }, -1, &err);
	cr_assert_eq(status, 1, "status %d: %s", status, err);
	cr_assert(strstr(err, "rconsole: cannot write to standard output: Bad file descriptor\n"),
	    "%s", err);
	free(err);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "seed\n");
	free(log);
}

/* `--config "$CONF"` with CONF unset or empty is a usage error (exit 2),
 * not the default configuration: before, `--config '' --all -c ...` ran
 * the command on every profile of the default file. */
Test(qa, an_empty_config_is_a_usage_error_not_the_default_file)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char dir[400], text[256], xdg[420], state[420];
	snprintf(dir, sizeof dir, "%s/xdg", sim.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof dir, "%s/xdg/rconsole", sim.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	snprintf(text, sizeof text, "servers = ( { name = \"default\"; host = \"127.0.0.1\"; "
	    "port = %d; password = \"secret\"; } );\n", sim.ports[0]);
	free(cli_write_file(dir, "rconsole.conf", text, 0600));
	snprintf(xdg, sizeof xdg, "XDG_CONFIG_HOME=%s/xdg", sim.dir);
	snprintf(state, sizeof state, "XDG_STATE_HOME=%s/state", sim.dir);
	const char *const env[] = { xdg, state, NULL };
	cli_result r;
	cli_run(&r, (const char *const[]){ "--config", "", "--all", "-c", "seed", NULL }, env, NULL);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "--config takes a file name"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0, "the default file's server got nothing");
	/* Without --config the default file is read (the fixture works). */
	cli_run(&r, (const char *const[]){ "--all", "-c", "seed", NULL }, env, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 1);
}

/* --tag and --all pick saved profiles, like profile names: an RCON_HOST
 * (or MCRCON_HOST) left in the environment for mcrcon must not replace
 * them.  Before: the picked profiles were ignored and the command went to
 * the environment's host (here: no password for it, exit 2). */
Test(qa, tag_and_all_are_not_replaced_by_rcon_host)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char text[256];
	snprintf(text, sizeof text, "servers = ( { name = \"tagged\"; host = \"127.0.0.1\"; "
	    "port = %d; password = \"secret\"; tags = [ \"prod\" ]; } );\n", sim.ports[0]);
	char *cfg = cli_write_file(sim.dir, "rconsole.conf", text, 0600);
	char state[320];
	snprintf(state, sizeof state, "XDG_STATE_HOME=%s/state", sim.dir);
	static const char *const pick[][2] = { { "--tag", "prod" }, { "--all", NULL } };
	static const char *const hosts[] = { "RCON_HOST=127.0.0.1:1", "MCRCON_HOST=127.0.0.1:1" };
	for (size_t i = 0; i < 2; i++) {
		cli_result r;
		const char *args[8] = { "--config", cfg, pick[i][0] };
		size_t n = 3;
		if (pick[i][1])
			args[n++] = pick[i][1];
		args[n++] = "-c";
		args[n++] = "seed";
		args[n] = NULL;
		cli_run(&r, args, (const char *const[]){ hosts[i], state, NULL }, NULL);
		cr_assert_eq(r.status, 0, "%s with %s: %s", pick[i][0], hosts[i], r.err);
		cr_assert(strstr(r.out, "Seed: "), "%s", r.out);
		cli_result_free(&r);
	}
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 2);
	free(cfg);
}

/* `{ echo "$PW"; cat cmds; } | rconsole --password-file /dev/stdin -c -`:
 * the password reader's buffered read took the commands too, so -c - found
 * nothing, ran nothing and exited 0.  Now both reading stdin is refused
 * (exit 2) before anything is sent; /dev/stdin for the password alone is
 * still fine. */
Test(qa, password_file_on_stdin_with_c_dash_is_refused_not_silently_empty)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "--password-file",
	    "/dev/stdin", "-c", "-", NULL }, NULL, MCSIM_PASSWORD "\nseed\n");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "is standard input, which -c - reads commands from"), "%s", r.err);
	cli_result_free(&r);
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "-c", "-", NULL },
	    (const char *const[]){ "RCON_PASSWORD_FILE=/dev/stdin", NULL }, MCSIM_PASSWORD "\nseed\n");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0);
	cli_run(&r, (const char *const[]){ "-H", "127.0.0.1", "-P", port, "--password-file",
	    "/dev/stdin", "-c", "seed", NULL }, NULL, MCSIM_PASSWORD "\n");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 1);
}

/* A mistyped or ambiguous password option ("--pass=...", "--passwd=...")
 * is refused without echoing its value: stderr of a cron job is mailed and
 * logged.  Before: "rconsole: unknown option: --pass=hunter2". */
Test(qa, an_unknown_option_never_echoes_its_value)
{
	static const char *const typed[] = { "--pass=hunter2", "--passwd=hunter2",
		"--json=hunter2" };
	for (size_t i = 0; i < sizeof typed / sizeof typed[0]; i++) {
		cli_result r;
		cli_run(&r, (const char *const[]){ typed[i], "-c", "list", NULL }, NULL, NULL);
		cr_assert_eq(r.status, 2, "%s: %s", typed[i], r.err);
		cr_assert_not(strstr(r.err, "hunter2"), "%s: %s", typed[i], r.err);
		cr_assert(strstr(r.err, "option"), "%s: %s", typed[i], r.err);
		cli_result_free(&r);
	}
}

/* The reader goes away while a reply streams in, fragment by fragment
 * (--drip): the failed flush is found before the loop waits, with nothing
 * left on the loop to wake it.  The run must still end (exit 1), not wait
 * forever; the command after it is never sent. */
Test(qa, a_streamed_reply_into_a_closed_pipe_ends_the_run)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--drip", NULL }), 0);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	char *err;
	int status = run_stdout((const char *const[]){ "-c", "sim chars 4097 ascii", "-c", "seed",
	    NULL }, p[1], &err);
	close(p[1]);
	cr_assert_eq(status, 1, "status %d: %s", status, err);
	cr_assert(strstr(err, "rconsole: cannot write to standard output: Broken pipe\n"), "%s", err);
	cr_assert(strstr(err, "1 command not sent"), "%s", err);
	free(err);
	cr_assert_eq(mcsim_log_count(&sim, "sim chars 4097 ascii"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0);
}

/* The audit record of the command whose reply could not be written says
 * why the run stopped: its stdout was lost, not an interrupt (before:
 * reason=interrupted, as for a Ctrl-C the admin never typed). */
Test(qa, a_closed_pipe_is_audited_as_output_lost)
{
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--drip", NULL }), 0);
	char state[320], logdir[400];
	snprintf(state, sizeof state, "%s/state", sim.dir);
	snprintf(logdir, sizeof logdir, "%s/rconsole/log", state);
	cr_assert_eq(setenv("XDG_STATE_HOME", state, 1), 0);
	int p[2];
	cr_assert_eq(pipe(p), 0);
	close(p[0]);
	char *err;
	int status = run_stdout((const char *const[]){ "-c", "sim chars 4097 ascii", NULL },
	    p[1], &err);
	close(p[1]);
	unsetenv("XDG_STATE_HOME");
	cr_assert_eq(status, 1, "status %d: %s", status, err);
	free(err);
	DIR *d = opendir(logdir);
	cr_assert_not_null(d, "no audit directory %s", logdir);
	char *log = NULL;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[700];
		snprintf(path, sizeof path, "%s/%s", logdir, e->d_name);
		free(log);
		log = files_read(path, NULL);
	}
	closedir(d);
	cr_assert_not_null(log, "no audit log in %s", logdir);
	cr_assert(strstr(log, "cmd=\"sim chars 4097 ascii\""), "%s", log);
	cr_assert(strstr(log, "reason=\"output lost\""), "%s", log);
	cr_assert_null(strstr(log, "interrupted"), "%s", log);
	free(log);
}

/* One leading '/' is dropped, as the console and the server drop it, from
 * -c values and stdin lines (not with --raw-input), before the read-only
 * allowlist looks: before, "/seed" went out as typed and "-r -c /list" was
 * refused as a command outside the allowlist. */
Test(qa, one_leading_slash_is_dropped_everywhere)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "/seed", "-c", "//sim echo a", NULL },
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Seed: "), "%s", r.out);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-r", "-c", "/list", NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "players online"), "%s", r.out);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL },
	    "  /sim echo b\n/\n/ sim echo c\n");
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "'/' alone"), "%s", r.err);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw-input", "-c", "-", NULL },
	    "/sim echo d\n");
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "/", NULL }, NULL);
	cr_assert_neq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "seed\n/sim echo a\nlist\nsim echo b\n sim echo c\n/sim echo d\n");
	free(log);
}

/* --all on more profiles than a low soft descriptor limit covers (a
 * socket and an audit log kept open per server): the one-shot raises the
 * soft limit as the console does.  Before, under `ulimit -S -n 24` a dozen
 * servers got "Too many open files": commands not sent, or sent with
 * their audit record not written. */
Test(qa, all_on_many_profiles_under_a_low_soft_fd_limit)
{
	enum { N = 12 };
	struct rlimit rl;
	cr_assert_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 128)
		cr_skip_test("hard descriptor limit %llu", (unsigned long long)rl.rlim_max);
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--servers", "12", NULL }), 0);
	cr_assert_eq(sim.n_ports, N);
	char *cfg = cli_write_servers(sim.dir, "many.conf", sim.ports, N);
	char state[320], logdir[400];
	snprintf(state, sizeof state, "XDG_STATE_HOME=%s/state", sim.dir);
	snprintf(logdir, sizeof logdir, "%s/state/rconsole/log", sim.dir);
	cli_result r;
	cli_run_argv(&r, (const char *const[]){ "/bin/sh", "-c",
	    "ulimit -S -n 24 && exec \"$0\" \"$@\"", cli_prog(), "--config", cfg, "--all",
	    "-c", "seed", NULL }, (const char *const[]){ state, NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(cli_count(r.out, "Seed: "), N, "%s", r.out);
	cr_assert_null(strstr(r.err, "Too many open files"), "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), N);
	int logs = 0;
	DIR *d = opendir(logdir);
	cr_assert_not_null(d, "no audit directory");
	for (struct dirent *e; (e = readdir(d));) {
		char path[700];
		snprintf(path, sizeof path, "%s/%s", logdir, e->d_name);
		char *log = e->d_name[0] == '.' ? NULL : files_read(path, NULL);
		logs += log && strstr(log, "cmd=seed");
		free(log);
	}
	closedir(d);
	cr_assert_eq(logs, N, "%d audit logs record the command", logs);
	free(cfg);
}

/* A commands file saved by Notepad starts with a UTF-8 byte order mark and
 * ends its lines with CR LF.  The mark is not part of the first line (the
 * configuration loader drops it too): before, "\xEF\xBB\xBF# note" went to
 * the server as a command and a first command failed as unknown.  With
 * --raw-input, and anywhere but the very start, the bytes are kept; a
 * character that only begins like the mark (U+FF21) is kept whole. */
Test(qa, a_byte_order_mark_opening_stdin_is_not_sent)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL },
	    "\xef\xbb\xbf# note\r\nseed\r\n");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Seed: "), "%s", r.out);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL },
	    "\xef\xbc\xa1\nlist\n\xef\xbb\xbfsim echo x\n");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw-input", "-c", "-", NULL },
	    "\xef\xbb\xbfsim echo y\n");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "seed\n\xef\xbc\xa1\nlist\n\xef\xbb\xbfsim echo x\n"
	    "\xef\xbb\xbfsim echo y\n");
	free(log);
}

/* RCON_PORT and RCON_PASSWORD (mcrcon's MCRCON_PORT and MCRCON_PASS, and
 * RCON_PASSWORD_FILE), exported for one server, leave a profile's own port
 * and password alone, as RCON_HOST leaves its host: applied to an --all run
 * they sent one server's password, and then every command, to one port.  A
 * profile with no password of its own still takes the environment's.
 * Before: every profile went to port 1 (exit 3), and with the port left
 * alone each logged in with 'wrong' (exit 4). */
Test(qa, the_environment_leaves_a_profiles_own_port_and_password_alone)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	int ports[2] = { sim.ports[0], sim.ports[0] };
	char *cfg = cli_write_servers(sim.dir, "two.conf", ports, 2);
	char *wrong = cli_write_file(sim.dir, "wrong.pw", "wrong\n", 0600);
	char wrong_file[512];
	snprintf(wrong_file, sizeof wrong_file, "RCON_PASSWORD_FILE=%s", wrong);
	const char *const envs[][3] = {
		{ "RCON_PORT=1", "RCON_PASSWORD=wrong", NULL },
		{ "MCRCON_PORT=1", "MCRCON_PASS=wrong", NULL },
		{ "RCON_PORT=1", wrong_file, NULL },
	};
	for (size_t i = 0; i < 3; i++) {
		cli_result r;
		cli_run(&r, (const char *const[]){ "--config", cfg, "--all", "-c", "seed", NULL },
		    envs[i], NULL);
		cr_assert_eq(r.status, 0, "%s %s: %s", envs[i][0], envs[i][1], r.err);
		cr_assert_eq(cli_count(r.out, "Seed: "), 2, "%s", r.out);
		cli_result_free(&r);
	}
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 6);
	cr_assert_eq(mcsim_log_count(&sim, "#auth-failed"), 0, "no wrong password was sent");
	/* A profile without a password takes the environment's, before the
	 * prompt a script has no terminal for. */
	char text[160];
	snprintf(text, sizeof text, "servers = ( { name = \"bare\"; host = \"127.0.0.1\"; "
	    "port = %d; } );\n", sim.ports[0]);
	char *bare = cli_write_file(sim.dir, "bare.conf", text, 0600);
	cli_result r;
	cli_run(&r, (const char *const[]){ "--config", bare, "bare", "-c", "seed", NULL },
	    (const char *const[]){ "RCON_PASSWORD=" MCSIM_PASSWORD, NULL }, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cli_result_free(&r);
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 7);
	free(bare);
	free(wrong);
	free(cfg);
}

/* Asserts that err holds no control byte but newlines (no ESC, no BEL, no
 * DEL) and is valid UTF-8: what a terminal would take as a command. */
static void assert_no_raw_controls(const char *err, const char *what)
{
	for (const unsigned char *c = (const unsigned char *)err; *c; c++)
		cr_assert((*c >= 0x20 && *c != 0x7f) || *c == '\n', "%s: byte 0x%02x raw in: %s",
		    what, *c, err);
	size_t len = strlen(err), off = 0;
	while (off < len) {
		uint32_t cp;
		off += rc_text_decode(err + off, len - off, &cp);
		cr_assert_neq(cp, RC_TEXT_BAD, "%s: invalid UTF-8 at %zu in: %s", what, off, err);
	}
}

/* An error that quotes what the user typed, what the environment or a
 * file held, quotes it with its controls made visible (ESC as U+241B):
 * `rconsole -H $'\e]0;pwned\a' -c list` set the terminal's title.  Before,
 * each message echoed its argument raw (the title sequence, a clear
 * screen, a byte that is not UTF-8). */
Test(qa, an_error_quoting_what_was_typed_never_echoes_its_controls)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	int ports[1] = { sim.ports[0] };
	char *cfg = cli_write_servers(sim.dir, "one.conf", ports, 1);
	char missing[400];
	snprintf(missing, sizeof missing, "%s/no\033[2Jsuch.conf", sim.dir);
	const struct {
		const char *args[6];
		const char *env[2];
		int status;
		const char *want;
	} cases[] = {
		{ { "-H", "\033]0;pwned\a", "-c", "list" }, { NULL }, 2,
		  "invalid host '\u241b]0;pwned\u2407'" },
		{ { "-H", "loc\177al\xff", "-c", "list" }, { NULL }, 2,
		  "rconsole: loc\u2421al\ufffd: no password" },
		{ { "-H", "127.0.0.1", "-P", "1\033[2J", "-c", "list" }, { NULL }, 2,
		  "1\u241b[2J" },
		{ { "-c", "list" }, { "RCON_HOST=\033]0;x\a" }, 2,
		  "invalid host '\u241b]0;x\u2407' in RCON_HOST" },
		{ { "-H", "127.0.0.1", "-c", "list" }, { "RCON_PORT=\033[5m" }, 2,
		  "invalid port '\u241b[5m' in RCON_PORT" },
		{ { "--config", cfg, "no\033[2Jsuch", "-c", "list" }, { NULL }, 2,
		  "no profile named 'no\u241b[2Jsuch'" },
		{ { "--config", cfg, "--tag", "t\xff\033", "-c", "list" }, { NULL }, 2,
		  "no profile tagged 't\ufffd\u241b'" },
		{ { "--config", missing, "--all", "-c", "list" }, { NULL }, 2,
		  "no\u241b[2Jsuch.conf: no such configuration file" },
		{ { "--no-such\033[2J", "-c", "list" }, { NULL }, 2,
		  "unknown option: --no-such\u241b[2J" },
		{ { "--metrics", "\033[2J9225" }, { NULL }, 2,
		  "not '\u241b[2J9225'" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cli_result r;
		cli_run(&r, cases[i].args, cases[i].env, NULL);
		cr_assert_eq(r.status, cases[i].status, "case %zu: %s", i, r.err);
		cr_assert(strstr(r.err, cases[i].want), "case %zu: no '%s' in: %s", i,
		    cases[i].want, r.err);
		assert_no_raw_controls(r.err, cases[i].want);
		cli_result_free(&r);
	}
	cr_assert_eq(cli_log_lines(&sim), 0, "nothing was sent");
	free(cfg);
}

/* --status's plain table shows a -H name as its JSON does: the host as
 * typed, with DEL as U+2421 and a byte that is not UTF-8 as U+FFFD, and
 * the columns after it line up by the columns it takes, not its bytes.
 * Before, the name went out raw (0x7f 0xff on the terminal). */
Test(qa, a_status_name_typed_with_h_is_shown_safe)
{
	cli_result r;
	cli_run(&r, (const char *const[]){ "--status", "-H", "127.0.0.1\177\xff", "-P", "1",
	    NULL }, (const char *const[]){ "RCON_PASSWORD=x", NULL }, NULL);
	cr_assert_eq(r.status, 3, "%s", r.err);
	/* 11 columns, padded to 16, then the column separator. */
	const char *want = "127.0.0.1\u2421\ufffd      down ";
	cr_assert(!strncmp(r.out, want, strlen(want)), "not '%s' in: %s", want, r.out);
	assert_no_raw_controls(r.out, "--status");
	cli_result_free(&r);
}

/* --check-config's verdict names the file as --config spelt it, with its
 * controls made visible: a file name may hold any byte but '/' and NUL.
 * Before, the name went to stdout raw (here a clear-screen sequence). */
Test(qa, check_config_names_its_file_safely)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *cfg = cli_write_file(sim.dir, "a\033[2Jb.conf", "servers = ();\n", 0600);
	cli_result r;
	cli_run(&r, (const char *const[]){ "--check-config", "--config", cfg, NULL }, NULL, NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "a\u241b[2Jb.conf: OK, 0 profiles\n"), "%s", r.out);
	assert_no_raw_controls(r.out, "--check-config");
	cli_result_free(&r);
	free(cfg);
}

/* A tunnel's failure names ssh once: ssh's own line starts with "ssh: "
 * ("ssh: connect to host ... Connection refused"), and the connection put
 * another in front of it: "could not connect: ssh: ssh: connect to host".
 * A line of ssh's without its name still gets it, and a proxy_command's
 * line is named as the proxy command's.  ssh here is a script first on
 * PATH that says what OpenSSH says and exits 255, as it does. */
Test(qa, a_tunnel_failure_names_ssh_once)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	const struct {
		const char *said, *key, *want;
	} cases[] = {
		{ "ssh: connect to host far.example port 22: Connection refused", "ssh",
		  "rconsole: t: could not connect: ssh: connect to host far.example port 22: "
		  "Connection refused;" },
		{ "Host key verification failed.", "ssh",
		  "rconsole: t: authentication failed (ssh: Host key verification failed.)" },
		{ "ssh: connect to host far.example port 22: Connection refused",
		  "proxy_command", "rconsole: t: could not connect: proxy_command: ssh: connect "
		  "to host far.example port 22: Connection refused;" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char script[200], text[400], path[600];
		snprintf(script, sizeof script, "#!/bin/sh\necho '%s' >&2\nexit 255\n", cases[i].said);
		free(cli_write_file(sim.dir, "ssh", script, 0700));
		bool ssh = !strcmp(cases[i].key, "ssh");
		snprintf(text, sizeof text, "servers = ( { name = \"t\"; host = \"127.0.0.1\"; "
		    "port = %d; password = \"secret\"; %s = \"%s\"; } );\n", sim.ports[0],
		    cases[i].key, ssh ? "admin@far.example" : "ssh -W %h:%p admin@far.example");
		char *cfg = cli_write_file(sim.dir, "t.conf", text, 0600);
		snprintf(path, sizeof path, "PATH=%s:%s", sim.dir, getenv("PATH"));
		cli_result r;
		cli_run(&r, (const char *const[]){ "--config", cfg, "t", "-c", "list", NULL },
		    (const char *const[]){ path, NULL }, NULL);
		cr_assert(strstr(r.err, cases[i].want), "case %zu: no '%s' in: %s", i,
		    cases[i].want, r.err);
		cr_assert_not(strstr(r.err, "ssh: ssh:"), "case %zu: %s", i, r.err);
		cli_result_free(&r);
		free(cfg);
	}
	cr_assert_eq(cli_log_lines(&sim), 0, "nothing reached the server");
}

/* The exporter (--metrics, --metrics-file) stopped by SIGINT or SIGHUP
 * was interrupted, and says so as every mode does: exit 130.  SIGTERM, a
 * service manager's stop, stays exit 0 (rconsole(1)).  Before, SIGINT
 * gave 0 and SIGHUP killed it (no orderly stop: 128+1 from the shell).
 * Each runs until its --metrics-file is written (the signals are watched
 * by then). */
Test(qa, the_exporter_interrupted_exits_130)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	const struct {
		int sig, want;
	} cases[] = { { SIGINT, 130 }, { SIGHUP, 130 }, { SIGTERM, 0 } };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char prom[400];
		snprintf(prom, sizeof prom, "%s/m%zu.prom", sim.dir, i);
		cli_bg b;
		cli_spawn_on(&b, &sim, 0, (const char *const[]){ "--metrics-file", prom, NULL });
		long long end = mcsim_now_ms() + 30000;
		while (access(prom, F_OK) != 0 && mcsim_now_ms() < end)
			mcsim_sleep_ms(20);
		cr_assert_eq(access(prom, F_OK), 0, "signal %d: no %s", cases[i].sig, prom);
		cr_assert_eq(kill(b.pid, cases[i].sig), 0);
		cli_result r;
		cli_bg_wait(&b, &r, 30000);
		cr_assert_eq(r.status, cases[i].want, "signal %d: exit %d: %s", cases[i].sig,
		    r.status, r.err);
		cli_result_free(&r);
	}
}

/* --check-config checks log_file as the console follows it: a directory
 * or a device is an error naming the profile's file:line (exit 2), as the
 * console's "cannot read log file ...: not a regular file" would be at run
 * time; a file not there yet is a warning (the console waits for it), and
 * a readable one says nothing.  Before, every log_file passed. */
Test(qa, check_config_checks_log_file)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *log = cli_write_file(sim.dir, "latest.log", "", 0600);
	char missing[400];
	snprintf(missing, sizeof missing, "%s/logs/latest.log", sim.dir);
	const struct {
		const char *file;
		int status;
		const char *want;   /* after "<conf>:2: a: log file <file>: " */
	} cases[] = {
		{ sim.dir, 2, "not a regular file\n" },
		{ "/dev/null", 2, "not a regular file\n" },
		{ missing, 0, "No such file or directory (the console waits for it)\n" },
		{ log, 0, NULL },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[800], want[1200];
		snprintf(text, sizeof text, "servers = (\n  { name = \"a\"; host = \"127.0.0.1\"; "
		    "password = \"x\"; log_file = \"%s\"; }\n);\n", cases[i].file);
		char *cfg = cli_write_file(sim.dir, "log.conf", text, 0600);
		cli_result r;
		cli_run(&r, (const char *const[]){ "--check-config", "--config", cfg, NULL }, NULL,
		    NULL);
		cr_assert_eq(r.status, cases[i].status, "%s: %s", cases[i].file, r.err);
		if (cases[i].want) {
			snprintf(want, sizeof want, "rconsole: %s%s:2: a: log file %s: %s",
			    cases[i].status ? "" : "warning: ", cfg, cases[i].file, cases[i].want);
			cr_assert(strstr(r.err, want), "%s: no '%s' in: %s", cases[i].file, want, r.err);
		} else {
			cr_assert_str_eq(r.err, "", "%s", cases[i].file);
		}
		cli_result_free(&r);
		free(cfg);
	}
	free(log);
}

/* A password longer than one login packet can carry (1446 bytes in the
 * minecraft dialect) is named as the reason, once with the server's name.
 * Before: -c said "cannot start the connection" with no reason, and the
 * console "127.0.0.1: 127.0.0.1: invalid connection settings (host
 * '127.0.0.1')" (the name twice, the host blamed).  The console reports it
 * before it needs a terminal. */
Test(qa, a_password_too_long_for_a_login_is_named_once)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char text[2002];
	memset(text, 'x', 2000);
	text[2000] = '\n';
	text[2001] = '\0';
	char *pw = cli_write_file(sim.dir, "long.pw", text, 0600);
	char hp[64];
	snprintf(hp, sizeof hp, "127.0.0.1:%d", sim.ports[0]);
	const char *const modes[][3] = { { "-c", "list", NULL }, { NULL } };
	for (size_t i = 0; i < 2; i++) {
		const char *args[8] = { "-H", hp, "--password-file", pw, modes[i][0], modes[i][1] };
		cli_result r;
		cli_run(&r, args, NULL, NULL);
		cr_assert_eq(r.status, 2, "%s: %s", modes[i][0] ? "-c" : "console", r.err);
		char want[200];
		snprintf(want, sizeof want, "rconsole: %s: the password is longer than the 1446 "
		    "bytes one login can carry\n", hp);
		cr_assert_str_eq(r.err, want, "%s", modes[i][0] ? "-c" : "console");
		cli_result_free(&r);
	}
	cr_assert_eq(cli_log_lines(&sim), 0, "nothing was sent");
	free(pw);
}
