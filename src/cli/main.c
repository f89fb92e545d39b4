/* main.c: rconsole's entry point — parses the command line and runs the
 * console, the one-shot runner, the monitoring modes or the demo. */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "app/app.h"
#include "cli/console.h"
#include "cli/metrics.h"
#include "cli/twin.h"
#include "cli/oneshot.h"
#include "cli/output.h"
#include "cli/options.h"
#include "cli/target.h"
#include "lib/profile-int.h"
#include "rconsole/rconsole.h"
#include "tui/version.h"

/* Checks p's log_file as the console would follow it; returns true when
 * the console could not (a directory, a device, no permission): an error
 * naming the profile's file:line.  A file not there yet is a warning: the
 * console waits for it (a server that has never run has no log). */
static bool check_log_file(const rc_config *cfg, const rc_profile *p)
{
	char why[PATH_MAX + 100];
	int rc = p->log_file && *p->log_file ? app_tail_check(p->log_file, why, sizeof why) : 0;
	if (rc > 0)
		cli_error(NULL, "warning: %s:%d: %s: %s (the console waits for it)", cfg->path, p->line,
		    p->name, why);
	else if (rc < 0)
		cli_error(NULL, "%s:%d: %s: %s", cfg->path, p->line, p->name, why);
	return rc < 0;
}

/* Validates the configuration, every profile's password source and
 * log_file. */
static int check_config(const cli_opts *o)
{
	rc_config *cfg;
	int rc = cli_config_load(o, &cfg);
	if (rc)
		return rc;
	int bad = 0;
	for (size_t i = 0; i < cfg->n_servers; i++) {
		char *pw = NULL, err[1024];
		int prc = rc_profile_password(&cfg->servers[i], &pw, err, sizeof err);
		if (prc < 0 && prc != RC_ENOENT) {
			/* err names the profile: add where it is written. */
			cli_error(NULL, "%s:%d: %s", cfg->path, cfg->servers[i].line, err);
			bad = 1;
		}
		if (pw) {
			explicit_bzero(pw, strlen(pw));
			free(pw);
		}
		if (check_log_file(cfg, &cfg->servers[i]))
			bad = 1;
	}
	if (!bad) {
		char *path = cli_out_field(cfg->path);   /* as --config spelt it */
		printf("%s: %s, %zu profile%s\n", path ? path : "?",
		    cfg->exists ? "OK" : "not found (empty)", cfg->n_servers,
		    cfg->n_servers == 1 ? "" : "s");
		free(path);
	}
	rc_config_free(cfg);
	return bad ? 2 : 0;
}

/* Prints every profile name (--names) or every tag once (--tags), one per
 * line in the file's order: what shell completion reads.  Tags are one
 * tag whatever their case (as --tag and :tag match them), printed as first
 * spelt; those seen are kept in the profile loader's case-folded hash
 * (profile_fold), so thousands of tagged profiles cost time linear in
 * their tags.  Returns 0, or 5 when out of memory. */
static int list_words(const rc_config *cfg, bool tags)
{
	size_t total = 0;
	for (size_t i = 0; tags && i < cfg->n_servers; i++)
		total += cfg->servers[i].n_tags;
	struct profile_fold seen = { 0 };
	int rc = tags && profile_fold_init(&seen, total) < 0 ? 5 : 0;
	for (size_t i = 0; i < cfg->n_servers && !rc; i++) {
		const rc_profile *p = &cfg->servers[i];
		if (!tags) {
			puts(p->name);
			continue;
		}
		for (size_t t = 0; t < p->n_tags && !rc; t++) {
			int r = profile_fold_add(&seen, p->tags[t], i, NULL);
			if (r < 0)
				rc = 5;
			else if (r == 0)
				puts(p->tags[t]);
		}
	}
	profile_fold_free(&seen);
	return rc;
}

/* Writes p's host:port ([host]:port for an IPv6 literal) into buf[cap];
 * returns its length. */
static int profile_addr(const rc_profile *p, char *buf, size_t cap)
{
	bool v6 = strchr(p->host, ':') != NULL;
	int n = snprintf(buf, cap, "%s%s%s:%d", v6 ? "[" : "", p->host, v6 ? "]" : "", p->port);
	return n < 0 ? 0 : n >= (int)cap ? (int)cap - 1 : n;
}

/* Prints one line per profile: name, host:port, flags and tags. */
static int list_profiles(const cli_opts *o)
{
	rc_config *cfg;
	int rc = cli_config_load(o, &cfg);
	if (rc)
		return rc;
	if (o->list_names || o->list_tags) {
		rc = list_words(cfg, o->list_tags);
		rc_config_free(cfg);
		return rc;
	}
	/* Columns as wide as their widest entry (16 for the names at least),
	 * so flags and tags line up however long a name or host is; names are
	 * ASCII, hosts too (or IPv6 literals), so bytes are columns. */
	int name_w = 16, addr_w = 0;
	char addr[300];
	for (size_t i = 0; i < cfg->n_servers; i++) {
		const rc_profile *p = &cfg->servers[i];
		int n = (int)strlen(p->name), a = profile_addr(p, addr, sizeof addr);
		name_w = n > name_w ? n : name_w;
		addr_w = a > addr_w ? a : addr_w;
	}
	for (size_t i = 0; i < cfg->n_servers; i++) {
		const rc_profile *p = &cfg->servers[i];
		profile_addr(p, addr, sizeof addr);
		bool more = p->read_only || p->n_tags;
		printf("%-*s %-*s", name_w, p->name, more ? addr_w : 0, addr);
		if (p->read_only)
			printf("  read-only");
		for (size_t t = 0; t < p->n_tags; t++)
			printf("%s%s", t ? "," : "  tags=", p->tags[t]);
		putchar('\n');
	}
	rc_config_free(cfg);
	return 0;
}

/* Keeps the passwords this process will hold out of core dumps and away
 * from other processes of the same user: no core file at all (soft and hard
 * limit 0, so a child cannot raise it) and not dumpable, which also stops
 * ptrace attaches and makes /proc/PID/mem and environ root's.  Done before
 * the command line is parsed: -p PASS is in argv from the first instruction. */
static void main_harden(void)
{
	struct rlimit none = { 0, 0 };
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#ifdef RC_DYNAMIC_TWIN
	/* Run by a static rconsole (cli/twin.c): ps, top and pgrep -x show
	 * the name the admin typed, not "rconsole-dynami". */
	prctl(PR_SET_NAME, "rconsole", 0, 0, 0);
	twin_arrived();
#endif
}

/* Prints the version of rconsole and of the libraries it runs on. */
static void print_version(void)
{
	printf("rconsole %s\n", PACKAGE_VERSION);
	printf("librconsole %s\n", rc_version());
	printf("%s\n", tui_curses_version());
	printf("libconfig %s\n", rc_libconfig_version());
}

int main(int argc, char **argv)
{
	main_harden();
	cli_out_std_fds();
	cli_opts o;
	int rc = cli_opts_parse(&o, argc, argv);
#if defined(RC_STATIC_LIBC) && !defined(RC_DYNAMIC_TWIN)
	/* A static build hands the console and --metrics to its dynamic twin
	 * before anything is read (cli/twin.c), -p's password still in argv
	 * (getopt's reordering of argv parses the same).  Without a twin, on
	 * it goes here. */
	if (!rc && (o.mode == CLI_CONSOLE || o.mode == CLI_DEMO || o.mode == CLI_METRICS))
		twin_exec(argv);
#endif
	cli_opts_scrub(&o);
	if (rc) {
		cli_opts_free(&o);
		return rc;
	}
	/* The locale is the console's: curses draws and measures text through
	 * it (wcwidth).  Every other mode runs in the "C" locale on purpose:
	 * the library's sanitiser and widths decode UTF-8 themselves
	 * (src/lib/text.c), so nothing they print depends on it, and loading
	 * it was a sixth of a one-shot invocation's instructions (issue 11:
	 * without a locale archive, glibc reads and sorts locale.alias). */
	if (o.mode == CLI_CONSOLE || o.mode == CLI_DEMO)
		setlocale(LC_ALL, "");
	switch (o.mode) {
	case CLI_HELP: cli_usage(stdout); break;
	case CLI_VERSION: print_version(); break;
	case CLI_CHECK_CONFIG: rc = check_config(&o); break;
	case CLI_LIST_PROFILES: rc = list_profiles(&o); break;
	case CLI_ONESHOT: rc = oneshot_run(&o); break;
	case CLI_STATUS: rc = oneshot_status(&o); break;
	case CLI_PLAYERS: rc = oneshot_players(&o); break;
	case CLI_DEMO: rc = console_demo(&o); break;
	case CLI_METRICS: rc = metrics_run(&o); break;
	case CLI_CONSOLE: rc = console_run(&o); break;
	}
	/* What went to stdout must have got there: --status > full disk is no
	 * success (the one-shot runner has said so already, and stopped). */
	if (o.mode != CLI_CONSOLE && o.mode != CLI_DEMO && cli_out_stdout_failed() && rc == 0)
		rc = 1;
	cli_opts_free(&o);
	return rc;
}
