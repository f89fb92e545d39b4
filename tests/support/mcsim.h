/* mcsim.h: test support — spawn and reap the real rconsole-mcsim, read its
 * command log.  Also pulls in the tiny RCON test client (rcon-test.h) and
 * the child-program runner (run-prog.h), so one include does for a test:
 *
 *   #include "../support/mcsim.h"        (from tests/<dir>/test-*.c)
 *   ..._LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
 *
 * The program is $MCSIM (set by `make check`), else
 * $TOP_BUILDDIR/rconsole-mcsim, else ./rconsole-mcsim.  The child gets
 * PR_SET_PDEATHSIG(SIGTERM), so a crashed test never leaves it running.
 *
 * Example:
 *   mcsim m;
 *   const char *args[] = { "--players", "3", "--seed", "1", NULL };
 *   cr_assert_eq(mcsim_start(&m, args), 0);
 *   rcon_test *c = rcon_test_connect(NULL, m.ports[0]);
 *   cr_assert_eq(rcon_test_auth(c, "secret"), 1);
 *   char *reply = rcon_test_exec(c, "list", NULL, NULL);
 *   ...
 *   free(reply); rcon_test_close(c); mcsim_stop(&m); */
#ifndef RCONSOLE_TESTS_SUPPORT_MCSIM_H
#define RCONSOLE_TESTS_SUPPORT_MCSIM_H

#include <sys/types.h>

#include "rcon-test.h"
#include "rconsole/conn.h"
#include "run-prog.h"

#define MCSIM_MAX_PORTS 64
#define MCSIM_PASSWORD "secret"   /* mcsim's default password */

typedef struct mcsim {
	pid_t pid;                  /* -1 when not running */
	int ports[MCSIM_MAX_PORTS]; /* as printed, in --servers order */
	int n_ports;
	char dir[256];              /* private temporary directory; tests may put
	                               files here, mcsim_stop removes them all */
	char log_path[300];         /* the --log file (dir/log unless args give one) */
} mcsim;

/* Spawns `$MCSIM --port 0 --log <dir>/log <extra_args...>` (extra_args is
 * NULL-terminated, may be NULL; later options win), waits up to 10 s for the
 * printed port(s) (as many as --servers says) and returns 0; -1 when the
 * program failed to start (its stderr goes to the test's stderr). */
int mcsim_start(mcsim *m, const char *const *extra_args);
/* Same, on a fixed first port (restart a server on the port it had). */
int mcsim_start_on(mcsim *m, int port, const char *const *extra_args);
/* SIGTERM, wait up to 10 s, SIGKILL fallback, remove the temporary directory
 * and every file in it.
 * Returns the exit status (0-255), 128+signal when killed, -1 when no process.
 * Safe to call twice and after the process exited by itself (`stop`). */
int mcsim_stop(mcsim *m);
/* Waits up to timeout_ms for the process to exit by itself (after `stop`);
 * returns its exit status, or -1 on timeout (it keeps running). */
int mcsim_wait_exit(mcsim *m, int timeout_ms);

/* Starts mcsim as mcsim_start does and opens a client to its first server,
 * authenticated with MCSIM_PASSWORD; returns it (rcon_test_close frees it),
 * or NULL when mcsim did not start or the client was refused. */
rcon_test *mcsim_start_client(mcsim *m, const char *const *extra_args);

/* Returns the whole log file, malloc'd and NUL-terminated ("" when absent). */
char *mcsim_log(const mcsim *m);
/* Returns how many log lines equal line exactly. */
int mcsim_log_count(const mcsim *m, const char *line);
/* Waits up to timeout_ms until line appears at least want times; returns the
 * last count seen. */
int mcsim_log_wait(const mcsim *m, const char *line, int want, int timeout_ms);

/* Returns connection options for 127.0.0.1:port with mcsim's password and
 * short timeouts (connect and auth 2 s, command 3 s), the rest defaults;
 * portbuf (16 bytes, the caller's) holds the port text o.port points to. */
rc_conn_opts mcsim_conn_opts(int port, char *portbuf);

/* Returns milliseconds on the monotonic clock (for deadlines in tests). */
long long mcsim_now_ms(void);
/* Sleeps ms milliseconds. */
void mcsim_sleep_ms(int ms);
/* Runs loop l for about ms milliseconds (passes of at most 50 ms). */
void mcsim_run_loop(rc_loop *l, int ms);

#endif
