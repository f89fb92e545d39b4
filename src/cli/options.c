/* options.c: parses the rconsole command line (DESIGN.md section 3).
 *
 * Flags win over the environment (RCON_* and mcrcon's MCRCON_*), which wins
 * over profiles; the merge with profiles happens in target.c.  A password
 * given with -p is copied and the argv bytes overwritten at once, so `ps`
 * shows it only for the instant before parsing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/profile.h"
#include "cli/options.h"
#include "cli/output.h"

enum long_only {
	OPT_CONFIG = 256, OPT_PASSWORD_FILE, OPT_COLOR, OPT_NO_COLOR, OPT_RAW,
	OPT_TIMEOUT, OPT_DIALECT, OPT_STATUS, OPT_PLAYERS, OPT_DEMO,
	OPT_CHECK_CONFIG, OPT_LIST_PROFILES, OPT_VERSION, OPT_RAW_INPUT,
	OPT_TAG, OPT_ALL, OPT_JSON, OPT_NAMES, OPT_TAGS, OPT_NO_MOUSE, OPT_METRICS,
	OPT_METRICS_FILE
};

static const struct option long_options[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "host", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'P' },
	{ "password", required_argument, NULL, 'p' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "command", required_argument, NULL, 'c' },
	{ "read-only", no_argument, NULL, 'r' },
	{ "readonly", no_argument, NULL, 'r' },
	{ "color", optional_argument, NULL, OPT_COLOR },
	{ "colour", optional_argument, NULL, OPT_COLOR },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "raw", optional_argument, NULL, OPT_RAW },
	{ "raw-input", no_argument, NULL, OPT_RAW_INPUT },
	{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "dialect", required_argument, NULL, OPT_DIALECT },
	{ "status", no_argument, NULL, OPT_STATUS },
	{ "players", no_argument, NULL, OPT_PLAYERS },
	{ "demo", no_argument, NULL, OPT_DEMO },
	{ "check-config", no_argument, NULL, OPT_CHECK_CONFIG },
	{ "list-profiles", no_argument, NULL, OPT_LIST_PROFILES },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ "tag", required_argument, NULL, OPT_TAG },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "names", no_argument, NULL, OPT_NAMES },
	{ "tags", no_argument, NULL, OPT_TAGS },
	{ "metrics", required_argument, NULL, OPT_METRICS },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "silent", no_argument, NULL, 'q' },
	{ "terminal", no_argument, NULL, 't' },
	{ NULL, 0, NULL, 0 }
};

/* Prints the usage text to f. */
void cli_usage(void *fp)
{
	FILE *f = fp;
	fputs(
	    "Usage: rconsole [OPTIONS] [PROFILE...]              full-screen console\n"
	    "       rconsole [OPTIONS] -H HOST [-P PORT]          console for one server\n"
	    "       rconsole [OPTIONS] (PROFILE...|-H HOST) -c CMD [-c CMD...]\n"
	    "       rconsole [OPTIONS] (PROFILE...|-H HOST) -c -  commands from stdin\n"
	    "       rconsole [OPTIONS] -H HOST [-P PORT] CMD...   mcrcon's form: words are commands\n"
	    "       rconsole --status [--json] [PROFILE...]       one line per server\n"
	    "       rconsole --players [--json] PROFILE           online players\n"
	    "       rconsole --demo [--read-only]                 try it on simulated servers\n"
	    "       rconsole --metrics [ADDR:]PORT [PROFILE...]   Prometheus /metrics, headless\n"
	    "       rconsole --check-config | --list-profiles [--names|--tags]\n"
	    "       rconsole --version | --help\n"
	    "Servers: PROFILE names, --tag TAG (repeatable) and --all add saved profiles.\n"
	    "\n"
	    "Options:\n"
	    "  --config FILE          profiles file (default $RCONSOLE_CONFIG or\n"
	    "                         $XDG_CONFIG_HOME/rconsole/rconsole.conf)\n"
	    "  -H, --host HOST        server address (RCON_HOST, MCRCON_HOST)\n"
	    "  -P, --port PORT        RCON port, default 25575 (RCON_PORT, MCRCON_PORT)\n"
	    "  --password-file FILE   read the password from FILE (RCON_PASSWORD_FILE)\n"
	    "  -p, --password PASS    password on the command line (visible to other users;\n"
	    "                         prefer --password-file or RCON_PASSWORD)\n"
	    "  -c, --command CMD      run CMD and exit (repeatable; '-' reads stdin)\n"
	    "  -r, --read-only        only read-only commands (also --readonly)\n"
	    "  --color=auto|always|never, --no-color   (also --colour)\n"
	    "  --raw                  print replies byte for byte (refused when stdout is a\n"
	    "                         terminal: pipe it, or use --raw=force)\n"
	    "  --raw-input            with -c -: send stdin lines as they are (by default\n"
	    "                         blank lines and lines starting with # are skipped\n"
	    "                         and surrounding whitespace is trimmed)\n"
	    "  --timeout SECONDS      connect, auth and command timeout\n"
	    "  -q, --quiet            print no replies (nor --status/--players output),\n"
	    "                         exit code only\n"
	    "  --dialect=minecraft|source\n"
	    "  --no-mouse             console: leave clicks to the terminal (mouse = false)\n"
	    "  --tag TAG              every profile tagged TAG (repeatable)\n"
	    "  --all                  every profile\n"
	    "  --json                 --status / --players as one JSON document\n"
	    "  --names, --tags        --list-profiles: profile names / tags, one per line\n"
	    "  --metrics [ADDR:]PORT  serve GET /metrics (Prometheus) without a terminal,\n"
	    "                         read-only; ADDR defaults to 127.0.0.1\n"
	    "  --metrics-file PATH    write the same text to PATH atomically after each\n"
	    "                         refresh (node_exporter's textfile collector)\n"
	    "  -s, --silent           same as -q (mcrcon)\n"
	    "  -t, --terminal         open the console (mcrcon's terminal mode)\n"
	    "  -v, --version          version of rconsole and its libraries\n"
	    "  -h, --help             this help\n"
	    "\n"
	    "Exit codes: 0 answered, 1 refused or outcome unknown, 2 usage/config error,\n"
	    "3 could not connect, 4 authentication failed, 5 protocol error or connection\n"
	    "lost, 130 interrupted.\n", f);
}

/* Returns the first non-empty environment variable of a and b; *from gets
 * its name (NULL when neither is set). */
static const char *env2(const char *a, const char *b, const char **from)
{
	const char *v = getenv(a);
	if (v && *v) {
		*from = a;
		return v;
	}
	v = b ? getenv(b) : NULL;
	*from = v && *v ? b : NULL;
	return *from ? v : NULL;
}

/* Prints a usage error and returns exit status 2. */
static int usage_error(const char *what, const char *arg)
{
	cli_error(NULL, "%s%s%s", what, arg ? ": " : "", arg ? arg : "");
	fputs("Try 'rconsole --help' for more information.\n", stderr);
	return 2;
}

/* Appends s to a growing array of strings. */
static int push_str(const char ***arr, size_t *n, const char *s)
{
	const char **a = realloc((void *)*arr, (*n + 1) * sizeof *a);
	if (!a)
		return -1;
	a[(*n)++] = s;
	*arr = a;
	return 0;
}

/* Sets a mode, refusing two different ones. */
static int set_mode(cli_opts *o, enum cli_mode m, const char *flag)
{
	if (o->mode != CLI_CONSOLE && o->mode != m)
		return usage_error("conflicting modes", flag);
	o->mode = m;
	return 0;
}

/* Refuses the new flags where they mean nothing: --tag/--all with -H,
 * --json outside --status/--players, --names/--tags outside
 * --list-profiles, -t with commands.  Returns 0 or exit status 2. */
static int opts_check_extras(const cli_opts *o)
{
	if (o->host && (o->n_tags || o->all))
		return usage_error("--tag and --all pick saved profiles; they cannot be combined "
		    "with -H", NULL);
	if (o->json && o->mode != CLI_STATUS && o->mode != CLI_PLAYERS)
		return usage_error("--json goes with --status or --players", NULL);
	if ((o->list_names || o->list_tags) && o->mode != CLI_LIST_PROFILES)
		return usage_error("--names and --tags go with --list-profiles", NULL);
	if (o->list_names && o->list_tags)
		return usage_error("--names and --tags cannot be combined", NULL);
	if (o->terminal && (o->n_commands || o->mode != CLI_CONSOLE))
		return usage_error("-t opens the console; it cannot be combined with commands or "
		    "another mode", NULL);
	return 0;
}

/* Says which option getopt_long refused (it returned '?'), word being the
 * argv index its call started in: a letter of a group ("-Xq") leaves optind
 * there, a finished word moves it on; a long option is named as typed up
 * to its '=', and "--json=1" is one that takes no value (an unknown one is
 * "unknown option": tests/install/man-options.sh looks for those words). */
static int opts_unknown(char **argv, int word)
{
	const char *typed = argv[optind > word ? optind - 1 : word];
	if (strncmp(typed, "--", 2) != 0) {
		char letter[3] = { '-', (char)optopt, 0 };
		return usage_error("unknown option", optopt > 0 && optopt < 128 ? letter : typed);
	}
	/* The name only, never what follows '=': "--pass=..." (ambiguous) or
	 * "--passwd=..." carry a password, and stderr goes to cron's mail. */
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)strcspn(typed, "="), typed);
	if (optopt && strchr(typed, '='))
		return usage_error("option takes no value", name);
	return usage_error("unknown option", name);
}

/* Parses argv into o. */
int cli_opts_parse(cli_opts *o, int argc, char **argv)
{
	memset(o, 0, sizeof *o);
	int c, rc;
	opterr = 0;
	optind = 1;
	/* The leading ':' makes a missing argument ':' (not '?': "unknown"). */
	int word = optind;   /* the argv word getopt_long starts its call in */
	while ((c = getopt_long(argc, argv, ":H:P:p:c:rqsthv", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			/* --config "$UNSET" must not fall back to the default file: a
			 * cron job's --all would run on profiles it never named. */
			if (!*optarg)
				return usage_error("--config takes a file name (it is empty)", NULL);
			o->config = optarg;
			break;
		case 'H': o->host = optarg; break;
		case 'P':
			/* Checked here, so "-P -c list" says what is wrong with -P. */
			if (!*optarg || strspn(optarg, "0123456789") != strlen(optarg) ||
			    atol(optarg) < 1 || atol(optarg) > 65535)
				return usage_error("-P takes a port number from 1 to 65535", optarg);
			o->port = optarg;
			break;
		case 'p':
			free(o->password);
			o->password = strdup(optarg);
			/* An earlier -p is overridden: scrub it now.  The last one is
			 * scrubbed by cli_opts_scrub, once main() has handed argv as
			 * given to a static build's twin (cli/twin.c). */
			if (o->password_arg)
				memset(o->password_arg, 'x', strlen(o->password_arg));
			o->password_arg = optarg;
			break;
		case OPT_PASSWORD_FILE:
			if (!*optarg)
				return usage_error("--password-file takes a file name (it is empty)",
				    NULL);
			o->password_file = optarg;
			break;
		case 'c':
			if (push_str(&o->commands, &o->n_commands, optarg) < 0)
				return usage_error("out of memory", NULL);
			break;
		case 'r': o->read_only = true; break;
		case 'q': o->quiet = true; break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "always") || !strcmp(optarg, "yes"))
				o->color = CLI_COLOR_ALWAYS;
			else if (!strcmp(optarg, "never") || !strcmp(optarg, "no"))
				o->color = CLI_COLOR_NEVER;
			else if (!strcmp(optarg, "auto"))
				o->color = CLI_COLOR_AUTO;
			else
				return usage_error("--color takes auto, always or never", optarg);
			break;
		case OPT_NO_COLOR: o->color = CLI_COLOR_NEVER; break;
		case OPT_RAW:
			if (optarg && strcmp(optarg, "force"))
				return usage_error("--raw takes no value but =force", optarg);
			o->raw = true;
			o->raw_force = optarg != NULL;
			break;
		case OPT_RAW_INPUT: o->raw_input = true; break;
		case OPT_NO_MOUSE: o->no_mouse = true; break;
		case OPT_TIMEOUT: {
			char *end;
			o->timeout_s = strtod(optarg, &end);
			/* At least a millisecond: the connection counts in whole ones,
			 * and 0 ms is its "use the default". */
			if (end == optarg || *end || !(o->timeout_s >= 0.001) ||
			    o->timeout_s > RC_TIMEOUT_MAX) {
				/* Worded as a profile's timeout error is. */
				char what[80];
				snprintf(what, sizeof what, "--timeout: expected a number 0.001-%d (seconds)",
				    RC_TIMEOUT_MAX);
				return usage_error(what, optarg);
			}
			break;
		}
		case OPT_DIALECT:
			if (strcmp(optarg, "minecraft") && strcmp(optarg, "source"))
				return usage_error("--dialect takes minecraft or source", optarg);
			o->dialect = optarg;
			break;
		case OPT_STATUS: if ((rc = set_mode(o, CLI_STATUS, "--status"))) return rc; break;
		case OPT_METRICS:
			if ((rc = set_mode(o, CLI_METRICS, "--metrics"))) return rc;
			o->metrics = optarg;
			break;
		case OPT_METRICS_FILE:
			if ((rc = set_mode(o, CLI_METRICS, "--metrics-file"))) return rc;
			o->metrics_file = optarg;
			break;
		case OPT_PLAYERS: if ((rc = set_mode(o, CLI_PLAYERS, "--players"))) return rc; break;
		case OPT_DEMO: if ((rc = set_mode(o, CLI_DEMO, "--demo"))) return rc; break;
		case OPT_CHECK_CONFIG:
			if ((rc = set_mode(o, CLI_CHECK_CONFIG, "--check-config"))) return rc;
			break;
		case OPT_LIST_PROFILES:
			if ((rc = set_mode(o, CLI_LIST_PROFILES, "--list-profiles"))) return rc;
			break;
		case OPT_TAG:
			if (push_str(&o->tags, &o->n_tags, optarg) < 0)
				return usage_error("out of memory", NULL);
			break;
		case OPT_ALL: o->all = true; break;
		case OPT_JSON: o->json = true; break;
		case OPT_NAMES: o->list_names = true; break;
		case OPT_TAGS: o->list_tags = true; break;
		case 's': o->quiet = true; break;
		case 't': o->terminal = true; break;
		case 'v':
		case OPT_VERSION: o->mode = CLI_VERSION; return 0;
		case 'h': o->mode = CLI_HELP; return 0;
		case ':':
			return usage_error("option needs an argument", argv[optind - 1]);
		default:
			return opts_unknown(argv, word);
		}
		word = optind;
	}
	/* mcrcon's form: with -H, the words after the options are commands. */
	bool words_are_commands = o->host != NULL;
	/* Not with -c as well: getopt moves the words after every -c, so they
	 * would run out of the order typed, and a profile name put before -H
	 * ("rconsole lobby -H host -c list") would be sent as a command. */
	if (words_are_commands && o->n_commands && optind < argc)
		return usage_error("-c and command words cannot be combined (with -H, the words "
		    "after the options are commands)", argv[optind]);
	for (int i = optind; i < argc; i++)
		if (push_str(words_are_commands ? &o->commands : &o->profiles,
		    words_are_commands ? &o->n_commands : &o->n_profiles, argv[i]) < 0)
			return usage_error("out of memory", NULL);
	if (words_are_commands && optind < argc && o->mode != CLI_CONSOLE)
		return usage_error("with -H, the words after the options are commands to run; "
		    "this mode takes none", argv[optind]);
	if ((rc = opts_check_extras(o)))
		return rc;

	if (o->n_commands) {
		if (o->mode != CLI_CONSOLE)
			return usage_error("-c cannot be combined with this mode", NULL);
		o->mode = CLI_ONESHOT;
	}
	/* --tag and --all name profiles too: an RCON_HOST exported for mcrcon
	 * must not replace the servers they pick. */
	if (!o->host && !o->n_profiles && !o->n_tags && !o->all)
		o->host = env2("RCON_HOST", "MCRCON_HOST", &o->host_env);
	if (!o->port)
		o->port = env2("RCON_PORT", "MCRCON_PORT", &o->port_env);
	if (!o->password_file)
		o->password_file = env2("RCON_PASSWORD_FILE", NULL, &o->password_file_env);
	if (o->host && o->n_profiles && !o->host_env)
		return usage_error("-H and profile names cannot be combined", NULL);
	/* Both read the whole file: a selection would be ignored, and a script's
	 * "--list-profiles --names --tag prod" would get every profile. */
	if ((o->mode == CLI_LIST_PROFILES || o->mode == CLI_CHECK_CONFIG) &&
	    (o->n_profiles || o->n_tags || o->all || (o->host && !o->host_env)))
		return usage_error(o->mode == CLI_LIST_PROFILES ?
		    "--list-profiles lists every profile: it takes no profile names, --tag, --all "
		    "or -H" : "--check-config checks the whole file: it takes no profile names, "
		    "--tag, --all or -H", NULL);
	if (o->mode == CLI_PLAYERS && !o->n_tags && !o->all &&
	    o->n_profiles + (o->host != NULL) != 1)
		return usage_error("--players takes exactly one profile (or -H, --tag, --all)", NULL);
	if (o->mode == CLI_DEMO && (o->host || o->n_profiles))
		return usage_error("--demo takes no servers", NULL);
	return 0;
}

/* Scrubs -p's password from argv so `ps` no longer shows it, and warns
 * that it was visible; once (the warning is said once too). */
void cli_opts_scrub(cli_opts *o)
{
	if (!o->password_arg)
		return;
	memset(o->password_arg, 'x', strlen(o->password_arg));
	o->password_arg = NULL;
	fputs("rconsole: warning: a password given with -p is visible to other users of this "
	    "machine; use --password-file or RCON_PASSWORD instead\n", stderr);
}

/* Frees what cli_opts_parse allocated. */
void cli_opts_free(cli_opts *o)
{
	if (o->password) {
		volatile char *p = o->password;
		while (*p)
			*p++ = 0;
		free(o->password);
	}
	free((void *)o->commands);
	free((void *)o->profiles);
	free((void *)o->tags);
	memset(o, 0, sizeof *o);
}
