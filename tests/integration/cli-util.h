/* cli-util.h: shared helpers of the command-line integration tests — run the
 * real rconsole binary against a spawned mcsim and look at what it printed. */
#ifndef RCONSOLE_TESTS_CLI_UTIL_H
#define RCONSOLE_TESTS_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>

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
/* Runs rconsole with args (NULL-terminated) and optional env/stdin. */
void cli_run(cli_result *r, const char *const *args, const char *const *env, const char *stdin_text);
/* Runs `rconsole -H 127.0.0.1 -P <port> --password-file <secret> <args>`. */
void cli_run_on(cli_result *r, const mcsim *m, int port_index, const char *const *args,
    const char *stdin_text);
/* Frees what a result holds. */
void cli_result_free(cli_result *r);
/* Returns how many times needle occurs in hay. */
int cli_count(const char *hay, const char *needle);
/* Returns the number of lines in the mcsim log. */
int cli_log_lines(const mcsim *m);

#endif
