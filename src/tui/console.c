/* console.c: the console commands typed after ':' — a table of name,
 * usage, help and handler — and the :add wizard.
 *
 * :all and :tag go through app_broadcast(), so each server applies its own
 * read-only policy; nothing here can send what a typed line could not.
 * :add asks for name, host, port and password in the bottom row, writes
 * the password to <config dir>/<name>.pass (mode 0600, atomically), adds a
 * profile that points at that file, saves the configuration atomically and
 * opens the server. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/tui-int.h"

typedef unsigned (*console_fn)(tui *t, const char *args);

typedef struct console_cmd {
	const char *name;
	const char *usage;
	const char *help;
	console_fn fn;
} console_cmd;

/* Returns the selected server's index for messages, or -1. */
static long console_sel(tui *t)
{
	return tui_server(t) ? (long)t->sel : -1;
}

/* Splits the first word off s into word[cap]; returns the rest (trimmed). */
static const char *console_word(const char *s, char *word, size_t cap)
{
	while (*s == ' ')
		s++;
	size_t n = strcspn(s, " ");
	size_t c = n < cap ? n : cap - 1;
	memcpy(word, s, c);
	word[c] = '\0';
	s += n;
	while (*s == ' ')
		s++;
	return s;
}

/* Reports how many servers took a broadcast. */
static unsigned console_report(tui *t, int n, size_t of, const char *what)
{
	if (n <= 0)
		tui_message(t, true, "%s: no server accepted the command (see each log)", what);
	else
		tui_message(t, false, "%s: sent to %d of %zu server%s", what, n, of, of == 1 ? "" : "s");
	return TUI_D_PANES;
}

/* :all CMD */
static unsigned con_all(tui *t, const char *args)
{
	if (!*args) {
		tui_message(t, true, "usage: :all CMD");
		return TUI_D_BOTTOM;
	}
	int n = app_broadcast(t->a, NULL, args);
	return console_report(t, n, app_count(t->a), ":all");
}

/* :tag TAG CMD */
static unsigned con_tag(tui *t, const char *args)
{
	char tag[64];
	const char *cmd = console_word(args, tag, sizeof(tag));
	if (!*tag || !*cmd) {
		tui_message(t, true, "usage: :tag TAG CMD");
		return TUI_D_BOTTOM;
	}
	size_t tagged = 0;
	for (size_t i = 0; i < app_count(t->a); i++)
		if (app_has_tag(app_get(t->a, i), tag))
			tagged++;
	if (tagged == 0) {
		tui_message(t, true, ":tag: no server is tagged '%s'", tag);
		return TUI_D_BOTTOM;
	}
	int n = app_broadcast(t->a, tag, cmd);
	return console_report(t, n, tagged, ":tag");
}

/* Returns the server named in args (or the selected one), or -1 with a message. */
static long console_target(tui *t, const char *args, const char *what)
{
	char name[128];
	console_word(args, name, sizeof(name));
	if (!*name) {
		if (console_sel(t) < 0)
			tui_message(t, true, "%s: no server", what);
		return console_sel(t);
	}
	int i = app_find(t->a, name);
	if (i < 0)
		tui_message(t, true, "%s: no server named '%s'", what, name);
	return i;
}

/* :connect [NAME] */
static unsigned con_connect(tui *t, const char *args)
{
	long i = console_target(t, args, ":connect");
	if (i >= 0)
		app_connect(t->a, (size_t)i);
	return TUI_D_PANES;
}

/* :disconnect [NAME] */
static unsigned con_disconnect(tui *t, const char *args)
{
	long i = console_target(t, args, ":disconnect");
	if (i >= 0)
		app_disconnect(t->a, (size_t)i);
	return TUI_D_PANES;
}

/* :save */
static unsigned con_save(tui *t, const char *args)
{
	rc_config *cfg = app_config(t->a);
	if (!cfg) {
		tui_message(t, true, ":save: no configuration");
		return TUI_D_BOTTOM;
	}
	char err[512];
	if (rc_config_save(cfg, err, sizeof(err)) < 0)
		tui_message(t, true, ":save: %s", err);
	else
		tui_message(t, false, "saved %s", cfg->path);
	return TUI_D_BOTTOM;
}

/* :help */
static unsigned con_help(tui *t, const char *args)
{
	t->mode = TUI_M_HELP;
	t->help_top = 0;
	return TUI_D_POPUP | TUI_D_BOTTOM;
}

/* :quit */
static unsigned con_quit(tui *t, const char *args)
{
	return tui_quit(t, 0);
}

/* ---- :add ---- */

static unsigned add_on_name(tui *t, const char *answer);
static unsigned add_on_host(tui *t, const char *answer);
static unsigned add_on_port(tui *t, const char *answer);
static unsigned add_on_password(tui *t, const char *answer);

/* Returns the configuration path :add and :save write. */
static const char *console_config_path(tui *t)
{
	rc_config *cfg = app_config(t->a);
	if (cfg && cfg->path)
		return cfg->path;
	return t->opts.config_path;
}

/* Checks a profile name: what the profile module accepts, usable as a file name. */
static bool add_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("._+@-", c)))
			return false;
	}
	return true;
}

/* :add — starts the wizard. */
static unsigned con_add(tui *t, const char *args)
{
	if (!app_config(t->a) || !console_config_path(t)) {
		tui_message(t, true, ":add: no configuration file to add to");
		return TUI_D_BOTTOM;
	}
	t->add_name[0] = t->add_host[0] = '\0';
	t->add_port = RC_DEFAULT_PORT;
	return tui_prompt(t, "new server name: ", false, "", add_on_name);
}

/* Receives the name. */
static unsigned add_on_name(tui *t, const char *answer)
{
	if (!answer)
		return TUI_D_BOTTOM;
	if (!add_name_ok(answer)) {
		tui_message(t, true, "a name is 1-64 letters, digits or ._+@- starting with a letter or digit");
		return TUI_D_BOTTOM;
	}
	if (app_find(t->a, answer) >= 0 || rc_config_find(app_config(t->a), answer)) {
		tui_message(t, true, "there is already a server named '%s'", answer);
		return TUI_D_BOTTOM;
	}
	snprintf(t->add_name, sizeof(t->add_name), "%s", answer);
	return tui_prompt(t, "host: ", false, "", add_on_host);
}

/* Receives the host. */
static unsigned add_on_host(tui *t, const char *answer)
{
	if (!answer)
		return TUI_D_BOTTOM;
	if (!*answer || strpbrk(answer, " /[]") || strlen(answer) >= sizeof(t->add_host)) {
		tui_message(t, true, "expected a host name or address");
		return TUI_D_BOTTOM;
	}
	snprintf(t->add_host, sizeof(t->add_host), "%s", answer);
	return tui_prompt(t, "port [25575]: ", false, "", add_on_port);
}

/* Receives the port. */
static unsigned add_on_port(tui *t, const char *answer)
{
	if (!answer)
		return TUI_D_BOTTOM;
	long port = RC_DEFAULT_PORT;
	if (*answer) {
		char *end;
		errno = 0;
		port = strtol(answer, &end, 10);
		if (errno || *end || port < 1 || port > 65535) {
			tui_message(t, true, "a port is a number 1-65535");
			return TUI_D_BOTTOM;
		}
	}
	t->add_port = (int)port;
	return tui_prompt(t, "RCON password: ", true, "", add_on_password);
}

/* Creates dir and its parents (mode 0700); returns 0 or -1. */
static int add_mkdirs(const char *dir)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Writes password to path atomically with mode 0600; returns 0 or -1 with err. */
static int add_write_password(const char *dir, const char *path, const char *password,
    char *err, size_t cap)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s/.rconsole-pass.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, cap, "cannot create a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	size_t len = strlen(password);
	bool ok = fchmod(fd, 0600) == 0 && write(fd, password, len) == (ssize_t)len &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) < 0)
		ok = false;
	/* link() fails with EEXIST rather than replace a file that appeared
	 * since add_pass_path() looked; rename only where links do not exist. */
	if (ok && link(tmp, path) < 0) {
		if ((errno != EPERM && errno != ENOTSUP && errno != EXDEV) || rename(tmp, path) < 0) {
			saved = errno;
			ok = false;
		}
	}
	unlink(tmp);
	if (!ok) {
		snprintf(err, cap, "cannot write %s: %s", path, strerror(saved));
		return -1;
	}
	return 0;
}

/* Returns true when path may hold the new server's password: nothing is
 * there yet (so the rename replaces nothing: not another profile's password
 * file, not a stray file) and no profile names it as its password_file. */
static bool add_pass_free(const rc_config *cfg, const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 || errno != ENOENT)
		return false;
	for (size_t i = 0; cfg && i < cfg->n_servers; i++) {
		const char *pf = cfg->servers[i].password_file;
		char full[4096];
		if (pf && rc_expand_home(pf, full, sizeof(full)) && strcmp(full, path) == 0)
			return false;
	}
	return true;
}

/* Writes the new server's password file name into path: dir/NAME.pass, or
 * dir/NAME.2.pass ... when that is taken (add_pass_free).  Returns 0 or -1. */
static int add_pass_path(const rc_config *cfg, const char *dir, const char *name, char *path,
    size_t cap)
{
	const char *d = strcmp(dir, "/") ? dir : "";
	for (int n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(path, cap, "%s/%s.pass", d, name);
		else
			snprintf(path, cap, "%s/%s.%d.pass", d, name, n);
		if (add_pass_free(cfg, path))
			return 0;
	}
	return -1;
}

/* Receives the password and does the work. */
static unsigned add_on_password(tui *t, const char *answer)
{
	if (!answer)
		return TUI_D_BOTTOM;
	if (!*answer) {
		tui_message(t, true, "an RCON password cannot be empty (the server disables RCON then)");
		return TUI_D_BOTTOM;
	}
	rc_config *cfg = app_config(t->a);
	const char *cpath = console_config_path(t);
	char dir[4096], err[8704];
	snprintf(dir, sizeof(dir), "%s", cpath);
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof(dir), ".");
	char path[4200];
	if (add_mkdirs(dir) < 0) {
		tui_message(t, true, ":add: cannot create %s: %s", dir, strerror(errno));
		return TUI_D_BOTTOM;
	}
	/* Never rename over a file that is there: it may be another profile's
	 * password file, and that server would lose its password. */
	if (add_pass_path(cfg, dir, t->add_name, path, sizeof(path)) < 0) {
		tui_message(t, true, ":add: no free password file name for %s in %s", t->add_name, dir);
		return TUI_D_BOTTOM;
	}
	if (add_write_password(dir, path, answer, err, sizeof(err)) < 0) {
		tui_message(t, true, ":add: %s", err);
		return TUI_D_BOTTOM;
	}
	rc_profile p = {
		.name = t->add_name, .host = t->add_host, .port = t->add_port,
		.password_file = path, .refresh = -1, .timeout = -1,
	};
	int rc = rc_config_add(cfg, &p, err, sizeof(err));
	app_config_changed(t->a); /* the config's array may have moved */
	if (rc < 0) {
		tui_message(t, true, ":add: %s", err);
		return TUI_D_BOTTOM;
	}
	char serr[512] = "";
	bool saved = rc_config_save(cfg, serr, sizeof(serr)) == 0;
	int idx = app_add(t->a, rc_config_find(cfg, t->add_name), answer, err, sizeof(err));
	if (idx < 0) {
		tui_message(t, true, ":add: %s", err);
		return TUI_D_BOTTOM;
	}
	tui_views_sync(t);
	unsigned d = tui_select(t, (size_t)idx);
	if (saved)
		tui_message(t, false, "added %s (%s), password in %s", t->add_name, cfg->path, path);
	else
		tui_message(t, true, "added %s, but saving failed: %s", t->add_name, serr);
	return d | TUI_D_PANES;
}

static const console_cmd console_table[] = {
	{ "all", "CMD", "run CMD on every server", con_all },
	{ "tag", "TAG CMD", "run CMD on the servers tagged TAG", con_tag },
	{ "connect", "[NAME]", "connect a server (the selected one)", con_connect },
	{ "disconnect", "[NAME]", "disconnect a server (the selected one)", con_disconnect },
	{ "add", "", "add a server: asks name, host, port, password", con_add },
	{ "save", "", "save the profiles to the configuration file", con_save },
	{ "help", "", "show this help", con_help },
	{ "quit", "", "leave rconsole", con_quit },
};

/* Runs one console command line (without the ':'). */
unsigned console_exec(tui *t, const char *line)
{
	char name[32];
	const char *args = console_word(line, name, sizeof(name));
	for (size_t i = 0; i < sizeof(console_table) / sizeof(console_table[0]); i++)
		if (strcmp(name, console_table[i].name) == 0)
			return console_table[i].fn(t, args);
	tui_message(t, true, "unknown console command ':%s' (F1 lists them)", name);
	return TUI_D_BOTTOM;
}

/* Lists the console commands for the help overlay. */
size_t console_help(const char **names, const char **what, size_t max)
{
	static char lines[sizeof(console_table) / sizeof(console_table[0])][48];
	size_t n = 0;
	for (size_t i = 0; i < sizeof(console_table) / sizeof(console_table[0]) && n < max; i++) {
		snprintf(lines[i], sizeof(lines[i]), ":%s%s%s", console_table[i].name,
		    *console_table[i].usage ? " " : "", console_table[i].usage);
		names[n] = lines[i];
		what[n++] = console_table[i].help;
	}
	return n;
}
