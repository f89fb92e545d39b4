/* test-app-state.c: the app's history files as a careful admin expects —
 * a state directory others can write to is used for nothing (and the
 * console says so once), a refused history file is named, and a save that
 * fails is told once in the server's log, not once per entry. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/files.h"
#include "app/app.h"

static rc_loop *loop;
static rc_config *cfg;
static char dir[256];

/* Per test: a loop, a config with two profiles, a private directory. */
static void setup(void)
{
	loop = rc_loop_new();
	cfg = rc_config_new(NULL);
	cr_assert(loop && cfg);
	snprintf(dir, sizeof(dir), "/tmp/rconsole-state-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	static const char *const names[] = { "alpha", "beta" };
	for (size_t i = 0; i < 2; i++) {
		rc_profile p;
		rc_profile_init(&p);
		p.name = (char *)names[i];
		p.host = (char *)"127.0.0.1";
		p.port = 1;
		p.password = (char *)"x";
		char err[256];
		cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
	}
}

/* Removes what setup made. */
static void teardown(void)
{
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

TestSuite(state, .init = setup, .fini = teardown, .timeout = 30);

/* Makes an app (not started: nothing connects) with state directory sd. */
static app *make_app(const char *sd)
{
	app_opts o = { .refresh_override = 0, .state_dir = sd, .cache_dir = sd };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	for (size_t i = 0; i < cfg->n_servers; i++) {
		char err[256];
		cr_assert_eq(app_add(a, &cfg->servers[i], NULL, err, sizeof(err)), (int)i, "%s", err);
	}
	return a;
}

/* Counts server i's lines that contain needle. */
static int count_lines(app *a, size_t i, const char *needle)
{
	const app_server *s = app_get(a, i);
	int n = 0;
	for (uint64_t q = app_ring_first(s->log); q && q <= app_ring_last(s->log); q++)
		n += strstr(app_ring_get(s->log, q)->text, needle) != NULL;
	return n;
}

Test(state, group_writable_state_dir_is_neither_read_nor_written)
{
	char sd[300], hd[320], hf[340];
	snprintf(sd, sizeof(sd), "%s/rconsole", dir);
	snprintf(hd, sizeof(hd), "%s/history", sd);
	snprintf(hf, sizeof(hf), "%s/alpha", hd);
	cr_assert_eq(mkdir(sd, 0700), 0);
	cr_assert_eq(mkdir(hd, 0700), 0);
	cr_assert_eq(files_write(hf, "op planted\n", 0600), 0);
	cr_assert_eq(chmod(sd, 0775), 0);
	app *a = make_app(sd);
	cr_assert_eq(app_history_count(app_get(a, 0)->history), 0, "the planted entry was read");
	int told = count_lines(a, 0, "history off (neither read nor saved): ") +
	    count_lines(a, 1, "history off (neither read nor saved): ");
	cr_assert_eq(told, 1, "told once in all");
	cr_assert_eq(count_lines(a, 0, "writable by group or others; run: chmod go-w"), 1);
	cr_assert_eq(count_lines(a, 0, sd), 1, "names the directory");
	app_remember(a, 0, "list");
	app_remember(a, 1, "seed");
	cr_assert_eq(app_save_histories(a), 0);
	app_free(a);
	char buf[64] = "";
	FILE *f = fopen(hf, "r");
	cr_assert_not_null(f);
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	cr_assert_null(fgets(buf + strlen(buf), (int)(sizeof(buf) - strlen(buf)), f), "written to");
	fclose(f);
	cr_assert_str_eq(buf, "op planted\n");
	char hb[340];
	snprintf(hb, sizeof(hb), "%s/beta", hd);
	cr_assert_neq(access(hb, F_OK), 0, "beta's history was written");

	/* Fixed: history is read and written again. */
	cr_assert_eq(chmod(sd, 0700), 0);
	a = make_app(sd);
	cr_assert_eq(count_lines(a, 0, "history off"), 0);
	cr_assert_eq(app_history_count(app_get(a, 0)->history), 1);
	app_remember(a, 1, "seed");
	cr_assert_eq(app_save_histories(a), 0);
	cr_assert_eq(access(hb, F_OK), 0);
	app_free(a);
}

Test(state, fifo_history_file_is_named_and_left_alone)
{
	char hd[300], hf[320];
	snprintf(hd, sizeof(hd), "%s/history", dir);
	snprintf(hf, sizeof(hf), "%s/beta", hd);
	cr_assert_eq(mkdir(hd, 0700), 0);
	cr_assert_eq(mkfifo(hf, 0600), 0);
	app *a = make_app(dir);   /* a FIFO opened plainly would block here */
	cr_assert_eq(count_lines(a, 1, "history kept in memory only: "), 1);
	cr_assert_eq(count_lines(a, 1, "is not a regular file"), 1);
	cr_assert_eq(count_lines(a, 0, "history"), 0, "alpha's history is fine");
	app_remember(a, 1, "list");
	cr_assert_eq(app_save_histories(a), 0);
	app_free(a);
	struct stat st;
	cr_assert_eq(stat(hf, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode));
}

Test(state, failed_save_is_told_once_not_per_entry)
{
	char hd[300];
	snprintf(hd, sizeof(hd), "%s/history", dir);
	app *a = make_app(dir);
	app_remember(a, 0, "list");
	cr_assert_eq(app_save_histories(a), 0);
	/* history/ turns into a file: every later save fails (even for root). */
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && : > '%s'", hd, hd);
	cr_assert_eq(system(cmd), 0);
	for (int i = 0; i < 5; i++) {
		char line[32];
		snprintf(line, sizeof(line), "seed %d", i);
		app_remember(a, 0, line);
		cr_assert_lt(app_save_histories(a), 0);
	}
	cr_assert_eq(count_lines(a, 0, "history not saved: "), 1, "once, not per entry");
	cr_assert_eq(count_lines(a, 0, "Not a directory"), 1);
	cr_assert_eq(count_lines(a, 1, "history not saved"), 0, "beta had nothing to save");
	cr_assert_eq(app_history_count(app_get(a, 0)->history), 6, "entries kept in memory");
	app_free(a);
}

Test(state, history_of_a_server_never_used_survives_save_and_exit)
{
	char hd[300], ha[320], hb[320];
	snprintf(hd, sizeof(hd), "%s/history", dir);
	snprintf(ha, sizeof(ha), "%s/alpha", hd);
	snprintf(hb, sizeof(hb), "%s/beta", hd);
	cr_assert_eq(mkdir(hd, 0700), 0);
	cr_assert_eq(files_write(ha, "list\n", 0600), 0);
	cr_assert_eq(files_write(hb, "seed\nwhitelist list\n", 0600), 0);
	app *a = make_app(dir);
	/* Only alpha is used: beta's history is never read in this run. */
	app_remember(a, 0, "tps");
	cr_assert_eq(app_save_histories(a), 0);
	app_free(a);
	char *ta = files_read(ha, NULL), *tb = files_read(hb, NULL);
	cr_assert_str_eq(ta, "list\ntps\n", "alpha kept its old entry and got the new");
	cr_assert_str_eq(tb, "seed\nwhitelist list\n", "beta's file untouched");
	free(ta);
	free(tb);
	/* Next run: beta's entries are all there when first asked for. */
	a = make_app(dir);
	app_history *h = app_history_of(a, 1);
	cr_assert_eq(app_history_count(h), 2);
	cr_assert_str_eq(app_history_get(h, 1), "whitelist list");
	cr_assert_null(app_history_of(a, 2));
	app_free(a);
}
