/* main.c: rconsole-mcsim, the standalone simulated Minecraft RCON server.
 *
 * Parses the options, reads the players file, opens the command log, starts
 * one sim_server per --servers on one loop, prints each bound port on its own
 * line and serves until SIGTERM/SIGINT (exit 0) or until every server has
 * received `stop`.  All behaviour lives in libmcsim (sim.h). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rconsole/loop.h"
#include "sim/sim.h"
#include "lib/fdlimit.h"

#define MCSIM_MAX_SERVERS 20000
#define MCSIM_FDS_SPARE 64     /* log, pipes, stdio: beyond two per server */
#define MCSIM_EXIT_USAGE 2
#define MCSIM_EXIT_FAIL 1

static const char usage_text[] =
"Usage: rconsole-mcsim [OPTIONS]\n"
"Simulated Minecraft RCON server(s) for rconsole's demo and tests.\n"
"\n"
"  --port N            first port (default 25575); 0 picks a free port per server.\n"
"                      Each bound port is printed alone on its own line on stdout.\n"
"  --servers K         serve K servers on consecutive ports from N (default 1)\n"
"  --password PW       RCON password (default \"secret\"); an empty one refuses to\n"
"                      start, as an empty rcon.password disables RCON\n"
"  --bind ADDR         numeric address to listen on (default 127.0.0.1; ::1 for IPv6)\n"
"  --players FILE|N    N generated names online, or the names in FILE (one a line)\n"
"  --max-players M     player slots (default 20)\n"
"  --churn SECONDS     a random join or leave on average every SECONDS\n"
"  --log FILE          append every command received after auth, exactly as\n"
"                      received, one per line, written at once; a rejected login\n"
"                      adds a line \"#auth-failed\" (passwords are never logged)\n"
"  --dialect D         vanilla (default) | forge | source (which, as the Source\n"
"                      console does, runs each part of a line between ';'s)\n"
"  --list-format F     modern (default) | legacy | essentials | ancient\n"
"  --health H          paper (default: tps, mspt, tick query) | vanilla (tick\n"
"                      query) | forge (forge tps, tick query) | none (vanilla\n"
"                      before 1.20.3: every health command is unknown)\n"
"  --tps N             the TPS the health commands report (default: healthy)\n"
"  --seed N            seed for names, churn and world values (default: random)\n"
"  --namespaced        also run every command as minecraft:NAME, as Paper and\n"
"                      Spigot do (minecraft:stop stops)\n"
"\n"
"Faults:\n"
"  --delay MS          hold every reply MS milliseconds\n"
"  --drip              write replies one byte per write, 1 ms apart\n"
"  --hang-after N      per connection: answer N commands, then answer nothing\n"
"                      (the connection stays open; later commands are still logged)\n"
"  --drop-after N      per connection: answer N commands; on receiving command N+1\n"
"                      (logged, not run) close the connection without a reply\n"
"  --garbage           every reply after auth is bytes that are not a packet\n"
"  --oversize          every reply after auth has a length field of 16 MiB + 1\n"
"  --auth-fail         reject every password (reply id -1)\n"
"  --auth-reply R      how logins are answered: ok (default) | silent (never) |\n"
"                      type0 (a type-0 packet with a body) | other-id (type 2\n"
"                      with an id the client never used)\n"
"  --reset-mid         a reply of several packets: the first one, then the\n"
"                      connection is reset (RST)\n"
"  --stall-mid         a reply of several packets: the first one, then nothing\n"
"                      more on that connection (it stays open; later commands\n"
"                      are still logged)\n"
"  --stray             before every answer after auth, a packet with an id no\n"
"                      client asked for (id 22439, type 0)\n"
"  --hostile           command output wrapped in terminal escapes, C1 controls,\n"
"                      invalid UTF-8, BEL and backspaces\n"
"  --help-style S      what `help` answers: vanilla (default, glued usages) |\n"
"                      paper (paged index: Help: Index (1/N), then `help N`) |\n"
"                      unknown (no usages: help is an unknown command)\n"
"  --plugin-usage U    one more usage in help, e.g. 'warp (list|set|delete) <name>'\n"
"                      (repeatable, up to 16)\n"
"  --help, --version\n"
"\n"
"Commands: list, list uuids, say, msg, kick, ban, pardon, banlist, op, deop,\n"
"whitelist, tp, kill, give, gamemode, difficulty, weather, time, seed, tps,\n"
"mspt, tick query, forge tps, save-all, help, stop, and the test helpers\n"
"`sim chars N ascii|latin|cjk|emoji|xemoji`, `sim pattern N`, `sim join NAME`,\n"
"`sim leave NAME`, `sim names`, `sim echo TEXT`, `sim bytes HEX`, `sim tps N`.\n"
"SIGTERM or SIGINT closes everything and exits 0; so does `stop` on every server.\n"
"Exit status: 0 ok, 1 could not start (bind, file), 2 usage error.\n";

enum mcsim_opt {
	OPT_PORT = 256, OPT_SERVERS, OPT_PASSWORD, OPT_BIND, OPT_PLAYERS, OPT_MAX, OPT_CHURN,
	OPT_LOG, OPT_DIALECT, OPT_LIST, OPT_SEED, OPT_DELAY, OPT_DRIP, OPT_HANG, OPT_DROP,
	OPT_GARBAGE, OPT_OVERSIZE, OPT_AUTHFAIL, OPT_HOSTILE, OPT_HELP, OPT_VERSION,
	OPT_HEALTH, OPT_TPS, OPT_HELPSTYLE, OPT_PLUGIN, OPT_AUTHREPLY, OPT_RESETMID, OPT_STALLMID, OPT_STRAY,
	OPT_NAMESPACED
};

static const struct option long_opts[] = {
	{ "port", required_argument, NULL, OPT_PORT },
	{ "servers", required_argument, NULL, OPT_SERVERS },
	{ "password", required_argument, NULL, OPT_PASSWORD },
	{ "bind", required_argument, NULL, OPT_BIND },
	{ "players", required_argument, NULL, OPT_PLAYERS },
	{ "max-players", required_argument, NULL, OPT_MAX },
	{ "churn", required_argument, NULL, OPT_CHURN },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "dialect", required_argument, NULL, OPT_DIALECT },
	{ "list-format", required_argument, NULL, OPT_LIST },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "health", required_argument, NULL, OPT_HEALTH },
	{ "tps", required_argument, NULL, OPT_TPS },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "drip", no_argument, NULL, OPT_DRIP },
	{ "hang-after", required_argument, NULL, OPT_HANG },
	{ "drop-after", required_argument, NULL, OPT_DROP },
	{ "garbage", no_argument, NULL, OPT_GARBAGE },
	{ "oversize", no_argument, NULL, OPT_OVERSIZE },
	{ "auth-fail", no_argument, NULL, OPT_AUTHFAIL },
	{ "auth-reply", required_argument, NULL, OPT_AUTHREPLY },
	{ "reset-mid", no_argument, NULL, OPT_RESETMID },
	{ "stall-mid", no_argument, NULL, OPT_STALLMID },
	{ "namespaced", no_argument, NULL, OPT_NAMESPACED },
	{ "stray", no_argument, NULL, OPT_STRAY },
	{ "hostile", no_argument, NULL, OPT_HOSTILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "help-style", required_argument, NULL, OPT_HELPSTYLE },
	{ "plugin-usage", required_argument, NULL, OPT_PLUGIN },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static const char *const dialect_names[] = { "vanilla", "forge", "source", NULL };
static const char *const health_names[] = { "paper", "vanilla", "forge", "none", NULL };
static const char *const help_names[] = { "vanilla", "paper", "unknown", NULL };
static const char *const auth_reply_names[] = { "ok", "silent", "type0", "other-id", NULL };
static const char *const list_names[] = { "modern", "legacy", "essentials", "ancient", NULL };

struct mcsim_state {
	rc_loop *loop;
	int log_fd;
	int n_servers;
	int n_stopped;
	char **names;        /* --players FILE, NULL-terminated */
};

/* Prints "bad WHAT 'VALUE'" and returns the usage exit status. */
static int usage_error(const char *what, const char *value)
{
	fprintf(stderr, "rconsole-mcsim: bad %s '%s'\nTry 'rconsole-mcsim --help'.\n", what,
	    value);
	return MCSIM_EXIT_USAGE;
}

/* Parses a decimal integer in [lo, hi]; returns false when it is not one. */
static bool parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* Returns the index of s in a NULL-terminated name table, or -1. */
static int parse_choice(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* Reads player names, one per line, into a NULL-terminated array. */
static char **read_names(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t n = 0, cap = 16;
	char **v = calloc(cap, sizeof *v);
	char *line = NULL;
	size_t lcap = 0;
	ssize_t len;
	while (v && (len = getline(&line, &lcap, f)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (n + 1 == cap) {
			char **nv = realloc(v, cap * 2 * sizeof *nv);
			if (!nv)
				break;
			v = nv;
			cap *= 2;
		}
		v[n] = strdup(line);
		if (v[n])
			v[++n] = NULL;
	}
	free(line);
	fclose(f);
	return v;
}

/* Frees a NULL-terminated name array. */
static void free_names(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Log callback: one line per command, written with one write(). */
static void on_log(void *arg, const char *cmd, size_t len)
{
	struct mcsim_state *st = arg;
	if (st->log_fd < 0)
		return;
	char *line = malloc(len + 1);
	if (!line)
		return;
	memcpy(line, cmd, len);
	line[len] = '\n';
	(void)!write(st->log_fd, line, len + 1);
	free(line);
}

/* Auth callback: a "#auth-failed" line per rejected login, so tests can
 * count attempts; accepted logins and passwords are never logged. */
static void on_auth(void *arg, bool accepted)
{
	struct mcsim_state *st = arg;
	static const char line[] = "#auth-failed\n";
	if (st->log_fd >= 0 && !accepted)
		(void)!write(st->log_fd, line, sizeof line - 1);
}

/* Stop callback: exits the loop once every server has stopped. */
static void on_stop(sim_server *s, void *arg)
{
	struct mcsim_state *st = arg;
	if (++st->n_stopped == st->n_servers)
		rc_loop_stop(st->loop);
}

/* Signal callback: leave the loop; main closes everything. */
static void on_signal(rc_loop *loop, int signo, void *arg)
{
	rc_loop_stop(loop);
}

/* Applies one option to o and st; returns 0, or an exit status. */
static int apply_option(int c, const char *v, sim_opts *o, struct mcsim_state *st,
    long *servers, const char **log_path, bool *seeded)
{
	long n;
	double d;
	char *end;
	switch (c) {
	case OPT_PORT:
		if (!parse_long(v, 0, 65535, &n))
			return usage_error("--port (0-65535)", v);
		o->port = (int)n;
		break;
	case OPT_SERVERS:
		if (!parse_long(v, 1, MCSIM_MAX_SERVERS, servers))
			return usage_error("--servers (1-20000)", v);
		break;
	case OPT_PASSWORD:
		o->password = v;
		break;
	case OPT_BIND:
		o->bind = v;
		break;
	case OPT_PLAYERS:
		if (parse_long(v, 0, 1000000, &n)) {
			o->n_players = (int)n;
			break;
		}
		free_names(st->names);
		st->names = read_names(v);
		if (!st->names) {
			fprintf(stderr, "rconsole-mcsim: %s: %s\n", v, strerror(errno));
			return MCSIM_EXIT_FAIL;
		}
		break;
	case OPT_MAX:
		if (!parse_long(v, 1, 1000000, &n))
			return usage_error("--max-players", v);
		o->max_players = (int)n;
		break;
	case OPT_CHURN:
		d = strtod(v, &end);
		if (end == v || *end || !(d >= 0.0) || d > 86400.0)
			return usage_error("--churn (seconds)", v);
		o->churn_ms = d > 0.0 && d < 0.001 ? 1 : (int)(d * 1000.0);
		break;
	case OPT_LOG:
		*log_path = v;
		break;
	case OPT_DIALECT:
		if ((n = parse_choice(dialect_names, v)) < 0)
			return usage_error("--dialect (vanilla|forge|source)", v);
		o->dialect = (enum sim_dialect)n;
		break;
	case OPT_LIST:
		if ((n = parse_choice(list_names, v)) < 0)
			return usage_error("--list-format (modern|legacy|essentials|ancient)", v);
		o->list_format = (enum sim_list_format)n;
		break;
	case OPT_HEALTH:
		if ((n = parse_choice(health_names, v)) < 0)
			return usage_error("--health (paper|vanilla|forge|none)", v);
		o->health = (enum sim_health)n;
		break;
	case OPT_TPS:
		d = strtod(v, &end);
		if (end == v || *end || !(d >= 0.0) || d > 1000.0)
			return usage_error("--tps (0-1000)", v);
		o->tps = d;
		break;
	case OPT_SEED:
		errno = 0;
		o->seed = strtoull(v, &end, 10);
		if (errno || end == v || *end)
			return usage_error("--seed", v);
		*seeded = true;
		break;
	case OPT_DELAY:
		if (!parse_long(v, 0, 3600000, &n))
			return usage_error("--delay (milliseconds)", v);
		o->delay_ms = (int)n;
		break;
	case OPT_HANG:
	case OPT_DROP:
		if (!parse_long(v, 0, 1000000000, &n))
			return usage_error("count", v);
		*(c == OPT_HANG ? &o->hang_after : &o->drop_after) = n;
		break;
	case OPT_DRIP:
		o->drip = true;
		break;
	case OPT_GARBAGE:
		o->garbage = true;
		break;
	case OPT_OVERSIZE:
		o->oversize = true;
		break;
	case OPT_AUTHFAIL:
		o->auth_fail = true;
		break;
	case OPT_HOSTILE:
		o->hostile = true;
		break;
	case OPT_RESETMID:
		o->reset_mid = true;
		break;
	case OPT_NAMESPACED:
		o->namespaced = true;
		break;
	case OPT_STALLMID:
		o->stall_mid = true;
		break;
	case OPT_STRAY:
		o->stray = true;
		break;
	case OPT_AUTHREPLY:
		if ((n = parse_choice(auth_reply_names, v)) < 0)
			return usage_error("--auth-reply (ok|silent|type0|other-id)", v);
		o->auth_reply = (enum sim_auth_reply)n;
		break;
	case OPT_HELPSTYLE:
		if ((n = parse_choice(help_names, v)) < 0)
			return usage_error("--help-style (vanilla|paper|unknown)", v);
		o->help_style = (enum sim_help_style)n;
		break;
	case OPT_PLUGIN:
		if (o->n_plugin_usage >= SIM_PLUGIN_MAX || !*v || strchr(v, '\n') || v[0] == '/')
			return usage_error("--plugin-usage (at most 16, no '/' or newline)", v);
		o->plugin_usage[o->n_plugin_usage++] = v;
		break;
	default:
		return MCSIM_EXIT_USAGE;
	}
	return 0;
}

/* Starts the servers, prints their ports, runs the loop; returns the exit status. */
static int serve(struct mcsim_state *st, sim_opts *o, long n)
{
	sim_server **srv = calloc((size_t)n, sizeof *srv);
	if (!srv)
		return MCSIM_EXIT_FAIL;
	/* A listening socket and one client per server, at least. */
	size_t need = 2 * (size_t)n + MCSIM_FDS_SPARE;
	if (fdlimit_raise(need) < need)
		fprintf(stderr, "rconsole-mcsim: warning: the descriptor limit is below the %zu "
		    "that %ld servers need (ulimit -n)\n", need, n);
	int status = 0;
	int first = o->port;
	uint64_t seed = o->seed;
	for (long i = 0; i < n; i++) {
		char err[256];
		o->port = first ? first + (int)i : 0;
		o->seed = seed + (uint64_t)i;
		if (o->port > 65535 || !(srv[i] = sim_server_new(st->loop, o, err, sizeof err))) {
			fprintf(stderr, "rconsole-mcsim: %s\n", o->port > 65535 ?
			    "port out of range" : err);
			status = MCSIM_EXIT_FAIL;
			break;
		}
	}
	if (status == 0) {
		for (long i = 0; i < n; i++)
			printf("%d\n", sim_server_port(srv[i]));
		fflush(stdout);
		rc_loop_watch_signal(st->loop, SIGTERM, on_signal, st);
		rc_loop_watch_signal(st->loop, SIGINT, on_signal, st);
		if (rc_loop_run(st->loop) < 0)
			status = MCSIM_EXIT_FAIL;
	}
	for (long i = 0; i < n; i++)
		sim_server_free(srv[i]);
	free(srv);
	return status;
}

/* Entry point. */
int main(int argc, char **argv)
{
	struct mcsim_state st = { .log_fd = -1 };
	sim_opts o;
	sim_opts_init(&o);
	o.port = 25575;
	long servers = 1;
	const char *log_path = NULL;
	bool seeded = false;
	int c, rc = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == OPT_HELP) {
			fputs(usage_text, stdout);
			free_names(st.names);
			return 0;
		}
		if (c == OPT_VERSION) {
			printf("rconsole-mcsim %s\n", PACKAGE_VERSION);
			free_names(st.names);
			return 0;
		}
		rc = c == '?' ? MCSIM_EXIT_USAGE :
		    apply_option(c, optarg, &o, &st, &servers, &log_path, &seeded);
	}
	if (rc == 0 && optind < argc)
		rc = usage_error("argument", argv[optind]);
	if (rc == 0 && o.n_players > o.max_players) {
		char what[64], n[24];
		snprintf(what, sizeof what, "--players (more than --max-players %d)", o.max_players);
		snprintf(n, sizeof n, "%d", o.n_players);
		rc = usage_error(what, n);
	}
	if (rc == 0 && o.password && !*o.password) {
		fprintf(stderr, "rconsole-mcsim: empty password: RCON is disabled, "
		    "as on a real server\n");
		rc = MCSIM_EXIT_USAGE;
	}
	if (rc != 0) {
		free_names(st.names);
		return rc;
	}
	if (!seeded)
		o.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 20;
	if (log_path) {
		st.log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (st.log_fd < 0) {
			fprintf(stderr, "rconsole-mcsim: %s: %s\n", log_path, strerror(errno));
			free_names(st.names);
			return MCSIM_EXIT_FAIL;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	o.players = (const char *const *)st.names;
	o.on_log = on_log;
	o.on_auth = on_auth;
	o.log_arg = &st;
	o.on_stop = on_stop;
	o.stop_arg = &st;
	st.n_servers = (int)servers;
	st.loop = rc_loop_new();
	if (!st.loop) {
		fprintf(stderr, "rconsole-mcsim: out of memory\n");
		rc = MCSIM_EXIT_FAIL;
	} else {
		rc = serve(&st, &o, servers);
	}
	rc_loop_free(st.loop);
	if (st.log_fd >= 0)
		close(st.log_fd);
	free_names(st.names);
	return rc;
}
