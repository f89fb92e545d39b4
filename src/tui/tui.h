/* tui.h: the full-screen console (DESIGN.md section 5).
 *
 * tui_run() takes over the terminal, draws the app's state once per loop
 * pass (only what changed) and handles keys until the user quits or a
 * terminating signal arrives; the terminal is restored on every path,
 * including fatal signals.  The caller creates the loop and the app, adds
 * and starts the servers, and frees both after tui_run() returns.
 *
 * stdin and stdout must be the terminal.  The console registers stdin, the
 * signals SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGCONT and SIGTSTP, and a
 * prepare callback on the loop, and removes them all before returning. */
#ifndef RCONSOLE_TUI_TUI_H
#define RCONSOLE_TUI_TUI_H

#include <stdbool.h>

#include "rconsole/loop.h"
#include "app/app.h"

typedef struct tui_opts {
	bool read_only;            /* --read-only (shown; the app enforces it) */
	const char *config_path;   /* where :add and :save write; NULL = the app's config path */
	bool demo;                 /* --demo: say so in the status bar */
	bool no_color;             /* --color=never / --no-color: attributes only */
	const char *adhoc_password;/* -H session: the password in use, for :save to
	                              store with the new profile (NULL = ask) */
	bool no_mouse;             /* --no-mouse: leave clicks to the terminal (else the
	                              config's mouse key, default on) */
} tui_opts;

/* Runs the console until the user quits.  Returns the process exit status:
 * 0 after F10, Ctrl-Q or :quit; 128+signo after SIGINT, SIGTERM or SIGHUP;
 * 2 when the terminal cannot be used. */
int tui_run(rc_loop *loop, app *a, const tui_opts *opts);

#endif
