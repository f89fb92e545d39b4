/* cli-util.h: shared helpers of the command-line integration tests — run the
 * real rconsole binary against a spawned mcsim and look at what it printed. */
#ifndef RCONSOLE_TESTS_CLI_UTIL_H
#define RCONSOLE_TESTS_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "../support/files.h"
#include "../support/mcsim.h"

/* What one run of rconsole produced. */
typedef struct cli_result {
	int status;
	char *out;
	size_t out_len;
	char *err;
} cli_result;

/* Returns the rconsole program to test ($RCONSOLE, else ./rconsole). */
const char *cli_prog(void);
/* Writes text to dir/name with mode; returns the malloc'd path. */
char *cli_write_file(const char *dir, const char *name, const char *text, int mode);
/* Writes dir/name (0600): n profiles s0..s(n-1) on 127.0.0.1 at ports[i],
 * password "secret"; returns the malloc'd path. */
char *cli_write_servers(const char *dir, const char *name, const int *ports, int n);
/* Runs rconsole with args (NULL-terminated) and optional env/stdin. */
void cli_run(cli_result *r, const char *const *args, const char *const *env, const char *stdin_text);
/* Same for a whole command line (argv[0] included: a wrapper such as unshare). */
void cli_run_argv(cli_result *r, const char *const *argv, const char *const *env,
    const char *stdin_text);
/* Same with stdin given as bytes (NULs allowed; NULL in: /dev/null). */
void cli_run_bytes(cli_result *r, const char *const *argv, const char *const *env,
    const char *in, size_t in_len);
/* Runs `rconsole -H 127.0.0.1 -P <port> --password-file <secret> <args>`. */
void cli_run_on(cli_result *r, const mcsim *m, int port_index, const char *const *args,
    const char *stdin_text);
/* Same with stdin given as bytes. */
void cli_run_on_bytes(cli_result *r, const mcsim *m, int port_index, const char *const *args,
    const char *in, size_t in_len);
/* Frees what a result holds. */
void cli_result_free(cli_result *r);
/* Returns how many times needle occurs in hay. */
int cli_count(const char *hay, const char *needle);
/* Returns the number of lines in the mcsim log. */
int cli_log_lines(const mcsim *m);

/* A rconsole started in the background (to be signalled while it runs);
 * its stdout and stderr go to files in the mcsim's directory. */
typedef struct cli_bg {
	pid_t pid;
	char out_path[320];
	char err_path[320];
} cli_bg;

/* Starts `rconsole -H 127.0.0.1 -P <port> --password-file <secret> <args>`
 * with stdin from /dev/null. */
void cli_spawn_on(cli_bg *b, const mcsim *m, int port_index, const char *const *args);
/* Same with stdin from the file at in_path (a FIFO is opened by the child, so
 * the caller opens its write end after this). */
void cli_spawn_on_stdin(cli_bg *b, const mcsim *m, int port_index, const char *const *args,
    const char *in_path);
/* Waits up to timeout_ms for it to exit and fills r (SIGKILL and a failed
 * assertion when it does not). */
void cli_bg_wait(cli_bg *b, cli_result *r, int timeout_ms);
/* Same, with the child's resource usage (wait4) in *ru when ru is not NULL. */
void cli_bg_wait_usage(cli_bg *b, cli_result *r, int timeout_ms, struct rusage *ru);
/* Asserts that every stderr line is a warning or "rconsole: <server>: ...". */
void cli_assert_error_lines(const char *err, const char *server);

#endif
