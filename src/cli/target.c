/* target.c: turns options, environment and profiles into connection targets.
 *
 * Precedence (DESIGN.md section 3): flags, then the environment (RCON_* and
 * MCRCON_*), then the profile.  A missing password is asked for with echo
 * off when stdin is a terminal; with no terminal it is a usage error (exit 2),
 * never a silent attempt with no password. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <unistd.h>

#include "cli/target.h"

/* Loads the configuration named by o (or the default path). */
int cli_config_load(const cli_opts *o, rc_config **cfg)
{
	char path[4096], err[1024];
	if (!rc_config_path(o->config, path, sizeof path)) {
		cli_error(NULL, "cannot find the configuration file: set HOME or use --config");
		return 2;
	}
	if (rc_config_load(path, cfg, err, sizeof err) < 0) {
		cli_error(NULL, "%s", err);
		return 2;
	}
	/* A file named with --config must be there: a typo in a cron job's path
	 * would otherwise run on no profiles (the default path may be absent). */
	if (o->config && *o->config && !(*cfg)->exists) {
		cli_error(NULL, "%s: no such configuration file", path);
		rc_config_free(*cfg);
		*cfg = NULL;
		return 2;
	}
	for (size_t i = 0; i < (*cfg)->n_warnings; i++)
		cli_error(NULL, "warning: %s", (*cfg)->warnings[i]);
	return 0;
}

/* Wipes and frees a password. */
static void password_free(char *p)
{
	if (!p)
		return;
	volatile char *v = p;
	while (*v)
		*v++ = 0;
	free(p);
}

/* Returns true when profile p carries tag, ignoring case as the console's
 * :tag does (so `-t prod` and `:tag prod` reach the same servers). */
static bool profile_has_tag(const rc_profile *p, const char *tag)
{
	for (size_t i = 0; i < p->n_tags; i++)
		if (!strcasecmp(p->tags[i], tag))
			return true;
	return false;
}

/* Adds cfg's profile i to pick[*n] unless taken[i] says it is there. */
static void pick_add(const rc_config *cfg, size_t i, bool *taken, const rc_profile **pick,
    size_t *n)
{
	if (taken[i])
		return;
	taken[i] = true;
	pick[(*n)++] = &cfg->servers[i];
}

/* Picks the profiles o names into a malloc'd *out[*n]: the named ones in
 * the order given, then those carrying any --tag and (--all, or nothing
 * named with all_if_none) every other one, in the file's order, each once
 * (linear in the number of profiles: a fleet may have thousands).
 * A name that is not in the file, a name given twice and a tag no profile
 * carries are errors (exit 2): a typo must not quietly shrink the set. */
static int targets_pick(const cli_opts *o, rc_config *cfg, bool all_if_none,
    const rc_profile ***out, size_t *n)
{
	const rc_profile **pick = calloc(cfg->n_servers + 1, sizeof *pick);
	bool *taken = calloc(cfg->n_servers + 1, sizeof *taken);
	*out = pick;
	*n = 0;
	int rc = pick && taken ? 0 : 5;
	for (size_t i = 0; !rc && i < o->n_profiles; i++) {
		const rc_profile *p = rc_config_find(cfg, o->profiles[i]);
		if (!p) {
			cli_error(NULL, "no profile named '%s' in %s (rconsole --list-profiles "
			    "shows them)", o->profiles[i], cfg->path);
			rc = 2;
		} else if (taken[p - cfg->servers]) {
			cli_error(NULL, "profile '%s' named twice", p->name);
			rc = 2;
		} else {
			pick_add(cfg, (size_t)(p - cfg->servers), taken, pick, n);
		}
	}
	for (size_t t = 0; !rc && t < o->n_tags; t++) {
		bool any = false;
		for (size_t i = 0; i < cfg->n_servers; i++)
			if (profile_has_tag(&cfg->servers[i], o->tags[t])) {
				any = true;
				pick_add(cfg, i, taken, pick, n);
			}
		if (!any) {
			cli_error(NULL, "no profile tagged '%s' in %s", o->tags[t], cfg->path);
			rc = 2;
		}
	}
	if (!rc && (o->all || (all_if_none && !o->n_profiles && !o->n_tags)))
		for (size_t i = 0; i < cfg->n_servers; i++)
			pick_add(cfg, i, taken, pick, n);
	free(taken);
	return rc;
}

/* Says that no server was given, and what to do about it. */
static void targets_none(const rc_config *cfg, const char *what)
{
	if (!cfg->exists)
		cli_error(NULL, "no server given: use -H HOST or a profile name "
		    "(no configuration file at %s yet: run rconsole and type :add to "
		    "add a server, or try rconsole --demo)", cfg->path);
	else
		cli_error(NULL, "%s", what);
}

/* Tells whether -H's text host names a port of its own (port is what the
 * split gave with the default): the split gives the same with another
 * default. */
static bool target_host_port(const char *host, const char *port)
{
	char h[256], other[16];
	const char *alt = strcmp(port, "1") ? "1" : "2";
	return rc_hostport_split(host, alt, h, sizeof h, other, sizeof other) == 0 &&
	    !strcmp(other, port);
}

/* Builds the targets o names; allow_empty lets a configuration with no
 * profiles give no targets (the console opens empty) instead of exit 2. */
static int targets_build(const cli_opts *o, bool all_if_none, bool allow_empty, cli_targets *ts)
{
	memset(ts, 0, sizeof *ts);
	/* -H names the server and no profile is asked for: the one-shot modes
	 * read no configuration (flags > env > profile, and there is no
	 * profile), unless --config names one; the console keeps it for :add. */
	int rc = o->host && !o->config && !allow_empty ? 0 : cli_config_load(o, &ts->cfg);
	bool host_port = false;   /* -H HOST:PORT names its port */
	if (rc)
		return rc;
	if (o->host) {
		ts->t = calloc(1, sizeof *ts->t);
		if (!ts->t)
			return 5;
		ts->n = 1;
		rc_profile *p = &ts->t->profile;
		char port[16];
		if (rc_hostport_split(o->host, "25575", ts->t->host, sizeof ts->t->host, port,
		    sizeof port) < 0) {
			if (o->host_env)
				cli_error(NULL, "invalid host '%s' in %s (use HOST, HOST:PORT or "
				    "[IPv6]:PORT)", o->host, o->host_env);
			else
				cli_error(NULL, "invalid host '%s' (use HOST, HOST:PORT or [IPv6]:PORT)",
				    o->host);
			return 2;
		}
		p->name = (char *)o->host;
		p->host = ts->t->host;
		p->port = atoi(port);
		if (p->port < 1 || p->port > 65535) {
			if (o->host_env)
				cli_error(NULL, "invalid port in '%s' in %s", o->host,
				    o->host_env);
			else
				cli_error(NULL, "invalid port in '%s'", o->host);
			return 2;
		}
		host_port = target_host_port(o->host, port);
		if (host_port && !o->host_env && o->port && !o->port_env &&
		    atol(o->port) != p->port) {
			cli_error(NULL, "-H %s and -P %s name two different ports", o->host, o->port);
			return 2;
		}
		p->refresh = -1;
		p->timeout = -1;
		p->list_command = "list";
		p->read_only = o->read_only;
	} else {
		if (!o->n_profiles && !o->n_tags && !o->all && !all_if_none) {
			targets_none(ts->cfg, "no server given: use -H HOST, a profile name, --tag TAG "
			    "or --all");
			return 2;
		}
		const rc_profile **pick = NULL;
		size_t n = 0;
		rc = targets_pick(o, ts->cfg, all_if_none, &pick, &n);
		if (rc) {
			free((void *)pick);
			return rc;
		}
		if (n == 0 && allow_empty && !o->n_profiles && !o->n_tags &&
		    ts->cfg->n_servers == 0) {
			free((void *)pick);
			return 0;   /* the console opens empty, with its welcome line */
		}
		if (n == 0) {
			free((void *)pick);
			targets_none(ts->cfg, "no server given: the configuration has no profiles "
			    "(use -H HOST)");
			return 2;
		}
		ts->t = calloc(n, sizeof *ts->t);
		if (!ts->t) {
			free((void *)pick);
			return 5;
		}
		for (size_t i = 0; i < n; i++) {
			ts->t[ts->n].profile = *pick[i];
			/* profile.read_only stays the profile's own: it decides whether
			 * readonly_allow widens the default or only narrows it. */
			ts->n++;
		}
		free((void *)pick);
	}
	/* A port written in -H is a flag's: RCON_PORT does not override it.
	 * Nor does it override a profile's port, as RCON_HOST does not a
	 * profile's host: it is exported for mcrcon and one server, and
	 * applied to a --tag or --all run it would send every profile's
	 * password and commands to that one port.  -P is this run's own. */
	if (o->port && !(o->port_env && (host_port || !o->host))) {
		char *end;
		long port = strtol(o->port, &end, 10);
		if (end == o->port || *end || port < 1 || port > 65535) {
			if (o->port_env)
				/* Name where it came from: no flag of this run holds it. */
				cli_error(NULL, "invalid port '%s' in %s (a port number from 1 to 65535; "
				    "unset it or fix it)", o->port, o->port_env);
			else
				cli_error(NULL, "invalid port '%s'", o->port);
			return 2;
		}
		for (size_t i = 0; i < ts->n; i++)
			ts->t[i].profile.port = (int)port;
	}
	return 0;
}

/* Builds the targets o names: -H, or profiles (all when all_if_none). */
int cli_targets_build(const cli_opts *o, bool all_if_none, cli_targets *ts)
{
	return targets_build(o, all_if_none, false, ts);
}

/* Builds the console's targets: like cli_targets_build(o, true, ts), but a
 * configuration without profiles gives none (n = 0) instead of exit 2. */
int cli_targets_build_console(const cli_opts *o, cli_targets *ts)
{
	return targets_build(o, true, true, ts);
}

/* Set by the prompt's signal handler: the signal that interrupted it. */
static volatile sig_atomic_t prompt_signal;

/* Notes a signal that arrived while the prompt waited for input. */
static void prompt_on_signal(int signo)
{
	prompt_signal = signo;
}

/* Reads a password from the terminal with echo off into *out.  Returns 0,
 * 2 when there is no terminal or input ended (Ctrl-D) before any, or 130
 * when interrupted (Ctrl-C), always with the terminal's modes restored:
 * the default action of SIGINT would leave the user's terminal silent. */
static int prompt_password(const char *name, char **out)
{
	*out = NULL;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return 2;
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa, old_sa[sizeof sigs / sizeof sigs[0]];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = prompt_on_signal;   /* no SA_RESTART: read() returns EINTR */
	sigemptyset(&sa.sa_mask);
	prompt_signal = 0;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, &old_sa[i]);
	struct termios old, noecho;
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		noecho.c_lflag |= ECHONL;
		tcsetattr(fd, TCSAFLUSH, &noecho);
	}
	char prompt[900];
	char *safe = cli_out_field(name);   /* a -H name is the host as typed */
	int plen = snprintf(prompt, sizeof prompt, "RCON password for %s: ", safe ? safe : "?");
	free(safe);
	if (plen > 0)
		(void)!write(fd, prompt, (size_t)plen < sizeof prompt ? (size_t)plen : sizeof prompt - 1);
	char buf[1024];
	size_t n = 0;
	bool ended = false;
	while (n + 1 < sizeof buf && !prompt_signal) {
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ended = true;
			break;
		}
		if (ch == '\n' || ch == '\r')
			break;
		buf[n++] = ch;
	}
	buf[n] = 0;
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	if (prompt_signal || ended)
		(void)!write(fd, "\n", 1);
	close(fd);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &old_sa[i], NULL);
	int rc = prompt_signal ? 130 : ended && n == 0 ? 2 : 0;
	if (rc == 0 && !(*out = strdup(buf)))
		rc = 5;
	explicit_bzero(buf, sizeof buf);
	return rc;
}

/* Returns the first non-empty environment variable of a and b. */
static const char *env_pick(const char *a, const char *b)
{
	const char *v = getenv(a);
	if (v && *v)
		return v;
	v = getenv(b);
	return v && *v ? v : NULL;
}

/* Returns err without a leading "name: " (the library names the profile,
 * and cli_error() names it again). */
static const char *target_unprefixed(const char *err, const char *name)
{
	size_t n = strlen(name);
	return strncmp(err, name, n) == 0 && err[n] == ':' && err[n + 1] == ' ' ? err + n + 2 : err;
}

/* Keeps a password source's warning (or none) in t->warning; returns 0 or 5. */
static int target_keep_warning(cli_target *t, const char *warn)
{
	free(t->warning);
	t->warning = NULL;
	if (warn[0] && !(t->warning = strdup(warn)))
		return 5;
	return 0;
}

/* Resolves one target's password; returns 0, or an exit status (2, 5 or
 * 130) with the reason in why[cap]. */
static int target_password(const cli_opts *o, cli_target *t, char *why, size_t cap)
{
	char err[1024];
	const char *name = t->profile.name;
	if (o->password)
		return (t->password = strdup(o->password)) ? 0 : 5;
	/* The environment's password (RCON_PASSWORD, MCRCON_PASS,
	 * RCON_PASSWORD_FILE) is exported for one server: a profile with a
	 * password of its own keeps it, or a --all run would send that one
	 * server's password to every other.  A profile without one takes the
	 * environment's before the prompt. */
	const rc_profile *p = &t->profile;
	bool own = p->password || p->password_file || p->password_env;
	char warn[1024];
	if (o->password_file && !(own && o->password_file_env)) {
		/* --password-file and RCON_PASSWORD_FILE: the mode check's warning
		 * is printed once, whatever the number of targets. */
		static bool warned;
		if (rc_password_file_load(o->password_file, 0, &t->password, err, sizeof err, warn,
		    sizeof warn) < 0) {
			/* No flag of this run names that file: say where it came from. */
			snprintf(why, cap, "%s%s", err, o->password_file_env ?
			    " (the file RCON_PASSWORD_FILE names)" : "");
			return 2;
		}
		if (warn[0] && !warned)
			cli_error(NULL, "warning: %s", warn);
		warned = true;
		return target_keep_warning(t, warn);
	}
	const char *env = own ? NULL : env_pick("RCON_PASSWORD", "MCRCON_PASS");
	if (env)
		return (t->password = strdup(env)) ? 0 : 5;
	/* A profile's password_file was judged when the file was loaded (its
	 * warning is among the config's); the console shows it again. */
	int rc = rc_profile_password_load(&t->profile, 0, &t->password, err, sizeof err, warn,
	    sizeof warn);
	if (rc == 0)
		return target_keep_warning(t, warn);
	if (rc != RC_ENOENT) {
		const char *env_name = t->profile.password_env;
		if (env_name && !t->profile.password_file && !getenv(env_name))
			snprintf(why, cap, "%s: run rconsole again with %s set, or use --password-file",
			    target_unprefixed(err, name), env_name);
		else
			snprintf(why, cap, "%s", target_unprefixed(err, name));
		return 2;
	}
	if (isatty(STDIN_FILENO)) {
		rc = prompt_password(name, &t->password);
		if (rc == 130)
			snprintf(why, cap, "interrupted at the password prompt");
		else if (rc == 2)
			snprintf(why, cap, "no password given");
		return rc;
	}
	snprintf(why, cap, "no password: use --password-file FILE, RCON_PASSWORD, or a profile's "
	    "password_file (there is no terminal to ask on)");
	return 2;
}

/* Resolves every target's password.  With keep_going, a target whose
 * password cannot be had keeps its reason in t->error (exit status 2) and
 * the others go on; otherwise the first failure is printed and returned. */
int cli_targets_passwords(const cli_opts *o, cli_targets *ts, bool keep_going)
{
	for (size_t i = 0; i < ts->n; i++) {
		cli_target *t = &ts->t[i];
		char why[1200] = "";
		int rc = target_password(o, t, why, sizeof why);
		if (rc == 2 && keep_going) {
			free(t->error);
			if (!(t->error = strdup(why)))
				return 5;
			continue;
		}
		if (rc) {
			/* With several servers, say that none of them got anything: a
			 * cron job's --tag run must not read as having reached the others. */
			if (why[0] && ts->n > 1)
				cli_error(t->profile.name, "%s; nothing was sent to any of the %zu servers",
				    why, ts->n);
			else if (why[0])
				cli_error(t->profile.name, "%s", why);
			return rc;
		}
	}
	return 0;
}

/* Warns about the readonly_allow entries of a profile that is not read-only
 * itself which --read-only drops (they allow nothing the default does not):
 * the admin sees why "op" is refused although the list names it.  Entries
 * are quoted only when they are printable ASCII. */
static void target_warn_dropped(const cli_target *t)
{
	for (size_t i = 0; i < t->profile.n_allow; i++) {
		const char *e = t->profile.readonly_allow[i];
		if (!e || rc_policy_entry_kept(e))
			continue;
		bool plain = true;
		for (const char *c = e; *c; c++)
			plain = plain && *c >= 0x20 && *c < 0x7f;
		if (plain)
			cli_error(t->profile.name, "warning: --read-only: readonly_allow entry '%s' is "
			    "outside the default allowlist and allows nothing", e);
		else
			cli_error(t->profile.name, "warning: --read-only: readonly_allow entry %zu is "
			    "outside the default allowlist and allows nothing", i + 1);
	}
}

/* Returns --timeout in ms (see target.h). */
int cli_timeout_ms(const cli_opts *o)
{
	return o->timeout_s > 0 ? (int)(o->timeout_s * 1000) : 0;
}

/* Gives --dialect's dialect (see target.h). */
bool cli_dialect(const cli_opts *o, rc_dialect *d)
{
	if (!o->dialect)
		return false;
	*d = strcmp(o->dialect, "source") ? RC_DIALECT_MINECRAFT : RC_DIALECT_SOURCE;
	return true;
}

/* Fills each target's conn options. */
void cli_targets_conn_opts(const cli_opts *o, cli_targets *ts, bool reconnect)
{
	for (size_t i = 0; i < ts->n; i++) {
		cli_target *t = &ts->t[i];
		rc_conn_opts_init(&t->conn);
		t->conn.read_only = o->read_only;
		rc_profile_conn_opts(&t->profile, &t->conn, t->port, sizeof t->port);
		rc_policy_list_free(t->allow);
		t->allow = NULL;
		if (o->read_only && !t->profile.read_only)
			target_warn_dropped(t);
		if (rc_profile_conn_allow(&t->profile, &t->conn, &t->allow) < 0) {
			static const char *const none[] = { NULL };
			t->conn.allow = none;   /* out of memory: read-only allows nothing */
			t->conn.n_allow = 0;
		}
		t->conn.password = t->password ? t->password : "";
		t->conn.name = t->profile.name;
		t->conn.reconnect = reconnect;
		cli_dialect(o, &t->conn.dialect);
		int ms = cli_timeout_ms(o);
		if (ms > 0)
			t->conn.connect_timeout_ms = t->conn.auth_timeout_ms = t->conn.command_timeout_ms = ms;
	}
}

/* Wipes and forgets t's password once a connection holds its own copy. */
void cli_target_wipe_password(cli_target *t)
{
	password_free(t->password);
	t->password = NULL;
	t->conn.password = "";
}

/* Frees the targets and the configuration. */
void cli_targets_free(cli_targets *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		password_free(ts->t[i].password);
		free(ts->t[i].error);
		free(ts->t[i].warning);
		rc_policy_list_free(ts->t[i].allow);
	}
	free(ts->t);
	rc_config_free(ts->cfg);
	memset(ts, 0, sizeof *ts);
}
