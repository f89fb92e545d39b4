/* cli-util.c: helpers to run the rconsole binary in integration tests. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	cr_assert_geq(fd, 0, "cannot create %s", path);
	size_t len = strlen(text);
	cr_assert_eq(write(fd, text, len), (ssize_t)len);
	fchmod(fd, (mode_t)mode);
	close(fd);
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
	run_prog_opts o = { .env = envv, .stdin_text = stdin_text, .timeout_ms = 60000 };
	memset(r, 0, sizeof *r);
	int rc = run_prog_ex(argv, &o, &r->out, &r->out_len, &r->err, NULL, &r->status);
	cr_assert_eq(rc, 0, "rconsole did not finish in time (status %d, stderr: %s)", r->status,
	    r->err ? r->err : "");
}

/* Runs rconsole against port_index of m with the default password. */
void cli_run_on(cli_result *r, const mcsim *m, int port_index, const char *const *args,
    const char *stdin_text)
{
	char *pw = cli_write_file(m->dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", m->ports[port_index]);
	const char *argv[64] = { "-H", "127.0.0.1", "-P", port, "--password-file", pw };
	size_t n = 6;
	for (size_t i = 0; args && args[i] && n < 63; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	cli_run(r, argv, NULL, stdin_text);
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
