/* oneshot.h: the script-facing modes — -c, --status, --players. */
#ifndef RCONSOLE_CLI_ONESHOT_H
#define RCONSOLE_CLI_ONESHOT_H

#include "cli/options.h"

/* Runs -c commands on every target; returns the exit status. */
int oneshot_run(const cli_opts *o);
/* Prints one status line per server; returns the highest exit status. */
int oneshot_status(const cli_opts *o);
/* Prints the online players of one server, one per line. */
int oneshot_players(const cli_opts *o);

#endif
