/* target.h: the servers a command line names — profiles or one ad-hoc host —
 * with their connection options and resolved passwords. */
#ifndef RCONSOLE_CLI_TARGET_H
#define RCONSOLE_CLI_TARGET_H

#include "cli/options.h"
#include "cli/output.h"   /* cli_error */
#include "rconsole/rconsole.h"

typedef struct cli_target {
	rc_profile profile;     /* a copy (strings borrowed from cfg or opts) */
	char *password;         /* malloc'd, wiped on free; NULL until resolved */
	char port[16];
	char host[256];         /* -H's host without a port */
	rc_conn_opts conn;      /* strings point into profile, port, password */
	char *error;            /* why the target cannot run (exit 2), or NULL */
	char **allow;           /* read-only allowlist in force (owned), conn.allow */
	char *warning;          /* the password source's mode warning, or NULL */
} cli_target;

typedef struct cli_targets {
	cli_target *t;
	size_t n;
	rc_config *cfg;         /* loaded configuration (owned) */
} cli_targets;

/* Loads the configuration named by o (or the default path).  Returns 0, or
 * exit status 2 after printing the reason. */
int cli_config_load(const cli_opts *o, rc_config **cfg);

/* Builds the targets o names: -H, or profiles (all of them when all_if_none
 * and none are named).  Returns 0 or an exit status after printing why. */
int cli_targets_build(const cli_opts *o, bool all_if_none, cli_targets *ts);

/* Same with all_if_none for the console, except that a configuration with
 * no profiles (and none named, no -H) gives zero targets, not exit 2. */
int cli_targets_build_console(const cli_opts *o, cli_targets *ts);

/* Resolves every target's password (flags, environment, profile, prompt).
 * Returns 0 or an exit status after printing why; with keep_going, a target
 * whose password cannot be had gets its reason in error instead (exit 2 for
 * that target only) and the others still run. */
int cli_targets_passwords(const cli_opts *o, cli_targets *ts, bool keep_going);

/* Fills each target's conn options (after passwords are resolved). */
void cli_targets_conn_opts(const cli_opts *o, cli_targets *ts, bool reconnect);
/* Returns --timeout in ms, 0 when not given. */
int cli_timeout_ms(const cli_opts *o);
/* Puts --dialect's dialect in *d and returns true, or false when not given. */
bool cli_dialect(const cli_opts *o, rc_dialect *d);

/* Wipes and forgets t's password (after a connection copied it). */
void cli_target_wipe_password(cli_target *t);

void cli_targets_free(cli_targets *ts);

#endif
