/* console.h: starts the full-screen console on profiles or the demo. */
#ifndef RCONSOLE_CLI_CONSOLE_H
#define RCONSOLE_CLI_CONSOLE_H

#include "cli/options.h"

/* Opens the console on the servers o names; returns the exit status. */
int console_run(const cli_opts *o);
/* Starts three simulated servers and opens the console on them. */
int console_demo(const cli_opts *o);

#endif
