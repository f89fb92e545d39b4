/* cli-util.c: helpers to run the rconsole binary in integration tests. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-util.h"

/* Returns the rconsole program to test. */
const char *cli_prog(void)
{
	const char *p = getenv("RCONSOLE");
	return p && *p ? p : "./rconsole";
}

/* Writes text to dir/name with mode; returns the malloc'd path. */
char *cli_write_file(const char *dir, const char *name, const char *text, int mode)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	cr_assert_not_null(path);
	sprintf(path, "%s/%s", dir, name);
	cr_assert_eq(files_write(path, text, mode), 0, "cannot write %s", path);
	return path;
}

/* Writes a configuration of n profiles s0..s(n-1), one per port. */
char *cli_write_servers(const char *dir, const char *name, const int *ports, int n)
{
	size_t cap = (size_t)n * 120 + 32, len = 0;
	char *text = malloc(cap);
	cr_assert_not_null(text);
	len += (size_t)snprintf(text, cap, "servers = (");
	for (int i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, "%s{ name = \"s%d\"; host = "
		    "\"127.0.0.1\"; port = %d; password = \"secret\"; }", i ? ", " : " ", i, ports[i]);
	snprintf(text + len, cap - len, " );\n");
	char *path = cli_write_file(dir, name, text, 0600);
	free(text);
	return path;
}

/* Runs rconsole with args and optional env/stdin. */
void cli_run(cli_result *r, const char *const *args, const char *const *env, const char *stdin_text)
{
	const char *argv[64];
	size_t n = 0;
	argv[n++] = cli_prog();
	for (size_t i = 0; args && args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run_argv(r, argv, env, stdin_text);
}

/* Runs a whole command line (argv[0] included) with rconsole's clean environment. */
void cli_run_argv(cli_result *r, const char *const *argv, const char *const *env,
    const char *stdin_text)
{
	cli_run_bytes(r, argv, env, stdin_text, stdin_text ? strlen(stdin_text) : 0);
}

/* Same with stdin given as bytes (NULs allowed). */
void cli_run_bytes(cli_result *r, const char *const *argv, const char *const *env,
    const char *in, size_t in_len)
{
	/* Keep the user's environment out of the way unless a test sets it. */
	static const char *const base_env[] = {
		"RCON_HOST", "RCON_PORT", "RCON_PASSWORD", "RCON_PASSWORD_FILE", "MCRCON_HOST",
		"MCRCON_PORT", "MCRCON_PASS", "RCONSOLE_CONFIG", "NO_COLOR", NULL
	};
	const char *envv[64];
	size_t e = 0;
	for (size_t i = 0; base_env[i]; i++)
		envv[e++] = base_env[i];
	for (size_t i = 0; env && env[i] && e < 63; i++)
		envv[e++] = env[i];
	envv[e] = NULL;
	run_prog_opts o = { .env = envv, .stdin_text = in, .stdin_len = in_len, .timeout_ms = 60000 };
	memset(r, 0, sizeof *r);
	int rc = run_prog_ex(argv, &o, &r->out, &r->out_len, &r->err, NULL, &r->status);
	cr_assert_eq(rc, 0, "rconsole did not finish in time (status %d, stderr: %s)", r->status,
	    r->err ? r->err : "");
}

/* Runs rconsole against port_index of m with the default password. */
void cli_run_on(cli_result *r, const mcsim *m, int port_index, const char *const *args,
    const char *stdin_text)
{
	cli_run_on_bytes(r, m, port_index, args, stdin_text, stdin_text ? strlen(stdin_text) : 0);
}

/* Same with stdin given as bytes. */
void cli_run_on_bytes(cli_result *r, const mcsim *m, int port_index, const char *const *args,
    const char *in, size_t in_len)
{
	char *pw = cli_write_file(m->dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", m->ports[port_index]);
	const char *argv[64] = { cli_prog(), "-H", "127.0.0.1", "-P", port, "--password-file", pw };
	size_t n = 7;
	for (size_t i = 0; args && args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run_bytes(r, argv, NULL, in, in_len);
	free(pw);
}

/* Frees what a result holds. */
void cli_result_free(cli_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
}

/* Returns how many times needle occurs in hay. */
int cli_count(const char *hay, const char *needle)
{
	int n = 0;
	size_t k = strlen(needle);
	for (const char *p = hay; k && (p = strstr(p, needle)); p += k)
		n++;
	return n;
}

/* Returns the number of lines in the mcsim log. */
int cli_log_lines(const mcsim *m)
{
	char *log = mcsim_log(m);
	int n = cli_count(log, "\n");
	free(log);
	return n;
}

/* Starts rconsole on port_index of m in the background. */
void cli_spawn_on(cli_bg *b, const mcsim *m, int port_index, const char *const *args)
{
	cli_spawn_on_stdin(b, m, port_index, args, "/dev/null");
}

/* Same with stdin from the file (or FIFO: the child opens it) at in_path. */
void cli_spawn_on_stdin(cli_bg *b, const mcsim *m, int port_index, const char *const *args,
    const char *in_path)
{
	char *pw = cli_write_file(m->dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", m->ports[port_index]);
	const char *argv[64] = { cli_prog(), "-H", "127.0.0.1", "-P", port, "--password-file", pw };
	size_t n = 7;
	for (size_t i = 0; args && args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	snprintf(b->out_path, sizeof b->out_path, "%s/bg.out", m->dir);
	snprintf(b->err_path, sizeof b->err_path, "%s/bg.err", m->dir);
	b->pid = fork();
	cr_assert_geq(b->pid, 0);
	if (b->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int in = open(in_path, O_RDONLY);
		int out = open(b->out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(b->err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (in < 0 || out < 0 || err < 0)
			_exit(127);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		static const char *const unset[] = { "RCON_HOST", "RCON_PORT", "RCON_PASSWORD",
			"RCON_PASSWORD_FILE", "MCRCON_HOST", "MCRCON_PORT", "MCRCON_PASS", "RCONSOLE_CONFIG",
			"NO_COLOR", NULL };
		for (size_t i = 0; unset[i]; i++)
			unsetenv(unset[i]);
		signal(SIGINT, SIG_DFL);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	free(pw);
}

/* Waits for a background rconsole and collects what it wrote. */
void cli_bg_wait(cli_bg *b, cli_result *r, int timeout_ms)
{
	cli_bg_wait_usage(b, r, timeout_ms, NULL);
}

/* Same, with the child's resource usage (wait4) in *ru when ru is not NULL. */
void cli_bg_wait_usage(cli_bg *b, cli_result *r, int timeout_ms, struct rusage *ru)
{
	memset(r, 0, sizeof *r);
	long long end = mcsim_now_ms() + timeout_ms;
	int st = 0;
	pid_t w;
	while ((w = wait4(b->pid, &st, WNOHANG, ru)) == 0 && mcsim_now_ms() < end)
		mcsim_sleep_ms(20);
	if (w == 0) {
		kill(b->pid, SIGKILL);
		wait4(b->pid, &st, 0, ru);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = files_read(b->out_path, &r->out_len);
	r->err = files_read(b->err_path, NULL);
	cr_assert_neq(w, 0, "rconsole did not exit within %d ms (stderr: %s)", timeout_ms, r->err);
}

/* Asserts the form of every error line: "rconsole: <server>: <reason>". */
void cli_assert_error_lines(const char *err, const char *server)
{
	char want[300];
	snprintf(want, sizeof want, "rconsole: %s: ", server);
	int lines = 0;
	for (const char *p = err; *p; ) {
		const char *nl = strchr(p, '\n');
		cr_assert_not_null(nl, "stderr ends with a newline: %s", err);
		if (strncmp(p, "rconsole: warning: ", 19) != 0) {
			cr_assert(strncmp(p, want, strlen(want)) == 0, "error line in the form '%s<reason>': %.*s",
			    want, (int)(nl - p), p);
			cr_assert_gt(nl - p, (long)strlen(want), "with a reason");
			lines++;
		}
		p = nl + 1;
	}
	cr_assert_gt(lines, 0, "at least one error line in: %s", err);
}
