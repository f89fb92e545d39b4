/* options.h: the rconsole command line (DESIGN.md section 3) as a struct. */
#ifndef RCONSOLE_CLI_OPTIONS_H
#define RCONSOLE_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum cli_mode {
	CLI_CONSOLE = 0,   /* full-screen console */
	CLI_ONESHOT,       /* -c: run commands, print replies, exit */
	CLI_STATUS,        /* --status */
	CLI_PLAYERS,       /* --players */
	CLI_DEMO,          /* --demo */
	CLI_METRICS,       /* --metrics / --metrics-file: headless monitoring */
	CLI_CHECK_CONFIG,
	CLI_LIST_PROFILES,
	CLI_VERSION,
	CLI_HELP
};

enum cli_color { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

typedef struct cli_opts {
	enum cli_mode mode;
	const char *config;        /* --config */
	const char *host;          /* -H, else RCON_HOST / MCRCON_HOST */
	const char *port;          /* -P, else RCON_PORT / MCRCON_PORT */
	const char *port_env;      /* the variable port came from, NULL: -P's */
	const char *host_env;      /* the variable host came from, NULL: -H's */
	char *password;            /* -p (a private copy; argv is scrubbed), malloc'd */
	char *password_arg;        /* -p's word in argv, until cli_opts_scrub */
	const char *password_file; /* --password-file, else RCON_PASSWORD_FILE */
	const char *password_file_env; /* "RCON_PASSWORD_FILE" when it is that's */
	bool read_only;            /* -r / --read-only / --readonly */
	enum cli_color color;
	bool raw;
	bool raw_force;            /* --raw=force: raw even into a terminal */
	bool raw_input;            /* --raw-input: -c - lines as they are */
	bool no_mouse;             /* --no-mouse (console) */
	bool quiet;
	double timeout_s;          /* --timeout; 0 = defaults */
	const char *dialect;       /* --dialect */
	const char **commands;     /* -c values in order ("-" = stdin) */
	size_t n_commands;
	const char **profiles;     /* positional arguments */
	size_t n_profiles;
	const char **tags;         /* --tag values: profiles carrying any of them */
	size_t n_tags;
	bool all;                  /* --all: every profile */
	bool json;                 /* --json (--status, --players) */
	bool list_names;           /* --list-profiles --names */
	bool list_tags;            /* --list-profiles --tags */
	bool terminal;             /* -t: the console (mcrcon's terminal mode) */
	const char *metrics;       /* --metrics [ADDR:]PORT, or NULL */
	const char *metrics_file;  /* --metrics-file PATH, or NULL */
} cli_opts;

/* Parses argv into o.  A -p password stays in argv until cli_opts_scrub
 * (an earlier -p is scrubbed at once).  Returns 0, or an exit status (2
 * usage error) after printing the reason to stderr. */
int cli_opts_parse(cli_opts *o, int argc, char **argv);
/* Scrubs -p's password from argv and warns that it was visible (nothing
 * without -p).  main() calls it right after parsing, or after handing argv
 * to the twin. */
void cli_opts_scrub(cli_opts *o);
/* Frees what cli_opts_parse allocated (wipes the password). */
void cli_opts_free(cli_opts *o);
/* Prints the usage text to f. */
void cli_usage(void *f);

#endif
