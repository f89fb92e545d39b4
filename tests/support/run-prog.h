/* run-prog.h: run a child program with given stdin, capture stdout, stderr
 * and exit status, with a deadline (the CLI tests' workhorse).
 *
 *   const char *argv[] = { getenv("RCONSOLE"), "-H", "127.0.0.1", "-c", "list", NULL };
 *   char *out, *err; int status;
 *   cr_assert_eq(run_prog(argv, NULL, &out, &err, &status), 0);
 *   cr_assert_eq(status, 0);
 *   free(out); free(err); */
#ifndef RCONSOLE_TESTS_SUPPORT_RUN_PROG_H
#define RCONSOLE_TESTS_SUPPORT_RUN_PROG_H

#include <stddef.h>

#define RUN_PROG_TIMEOUT_MS 30000

typedef struct run_prog_opts {
	const char *const *env;   /* "NAME=VALUE" sets, "NAME" unsets; NULL-terminated */
	const char *stdin_text;   /* NULL: stdin is /dev/null */
	size_t stdin_len;         /* 0: strlen(stdin_text) */
	int timeout_ms;           /* 0: RUN_PROG_TIMEOUT_MS */
	const char *cwd;          /* NULL: inherit */
} run_prog_opts;

/* Runs argv (argv[0] searched in PATH when it has no '/').  *out and *err get
 * malloc'd NUL-terminated captures (either pointer may be NULL to discard);
 * *status the exit code, or 128 + signal when killed by a signal.  Returns 0,
 * or -1 when the program could not be started or ran past the deadline (then
 * its process group is killed with SIGKILL and *status is 128 + 9). */
int run_prog(const char *const *argv, const char *stdin_text, char **out, char **err,
    int *status);
/* Same with every knob; *out_len / *err_len (may be NULL) get the lengths. */
int run_prog_ex(const char *const *argv, const run_prog_opts *opts, char **out,
    size_t *out_len, char **err, size_t *err_len, int *status);

#endif
