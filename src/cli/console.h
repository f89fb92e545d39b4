/* console.h: starts the full-screen console on profiles or the demo. */
#ifndef RCONSOLE_CLI_CONSOLE_H
#define RCONSOLE_CLI_CONSOLE_H

#include <stdbool.h>

#include "app/app.h"
#include "cli/options.h"
#include "cli/target.h"

/* Adds every target to the app: one whose password could not be resolved
 * becomes an unavailable server showing why (it never connects until
 * :connect finds its password).  Each target's password copy is wiped once
 * its connection has its own, unless keep_password (a -H console keeps it
 * for :save; cli_targets_free wipes it).  Returns 0 or exit status 2. */
int console_add_targets(app *a, cli_targets *ts, bool keep_password);
/* The app options of a run of o: its read-only flag and the command line's
 * timeout and dialect, which win over every profile's as in one-shot runs;
 * refresh and health from the configuration. */
app_opts console_app_opts(const cli_opts *o);
/* Opens the console on the servers o names; returns the exit status. */
int console_run(const cli_opts *o);
/* Starts three simulated servers and opens the console on them. */
int console_demo(const cli_opts *o);

#endif
