/* test-tui-pass.c: one console pass costs the rows on screen and the
 * servers that changed, never all servers (issue 11).
 *
 * 5,000 servers are added to a real app (never connected) and the real
 * console draws them into curses on /dev/null (80x24).  After the first
 * frame, one server changes and one pass runs; the console's own counters
 * (tui.work: servers looked at one by one by the drawing; app's
 * dirty_taken: dirty entries cleared) must stay within the visible rows
 * and the changed servers.  A scan over every server in a pass (measuring
 * every name again, clearing every dirty flag, every countdown) shows up
 * as thousands.  And the countdown timer follows a new countdown. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-int.h"
#include "tui/draw.h"
#include "tui/theme.h"
#include "tui/tui-int.h"
#include "../support/files.h"

#define N_SERVERS 5000

static rc_loop *loop;
static rc_config *cfg;
static app *a;
static tui t;
static SCREEN *scr;
static FILE *out, *in;
static char state_dir[] = "/tmp/rconsole-test-pass.XXXXXX";

/* Builds the app with N_SERVERS servers and the console on an 80x24
 * curses screen written to /dev/null, then draws the first frame. */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(state_dir));
	loop = rc_loop_new();
	cfg = rc_config_new(NULL);
	char err[256];
	for (int k = 0; k < N_SERVERS; k++) {
		char name[32];
		snprintf(name, sizeof name, "server-%04d", k);
		rc_profile p;
		rc_profile_init(&p);
		p.name = name;
		p.host = "127.0.0.1";
		p.password = "pw";
		cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
	}
	app_opts o = { .refresh_override = 0, .state_dir = state_dir, .cache_dir = state_dir,
		.no_tree = true };
	a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	for (size_t i = 0; i < cfg->n_servers; i++)
		cr_assert_geq(app_add(a, &cfg->servers[i], "pw", err, sizeof(err)), 0, "%s", err);
	setenv("LINES", "24", 1);
	setenv("COLUMNS", "80", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	cr_assert(out && in);
	scr = newterm("xterm", out, in);
	cr_assert_not_null(scr, "no terminfo entry for xterm");
	set_term(scr);
	theme_init(false);
	draw_set_utf8(false);
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.loop = loop;
	t.focus = TUI_F_CMD;
	t.rs_match = -1;
	t.add_from = -1;
	t.cursor_shown = -1;
	t.cmd = editor_new();
	t.aux = editor_new();
	cr_assert(t.cmd && t.aux);
	tui_views_sync(&t);
	t.dirty = TUI_D_LAYOUT | TUI_D_PANES;
	tui_pass(&t);   /* the first frame: every name measured once */
	cr_assert_not_null(t.w_servers, "no server list at 80x24");
}

/* Frees it all. */
static void teardown(void)
{
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
	editor_free(t.cmd);
	editor_free(t.aux);
	free(t.views);
	app_free(a);
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(state_dir), 0, "%s", state_dir);
}

TestSuite(pass, .init = setup, .fini = teardown);

/* The work of one pass: servers looked at by the drawing, dirty entries. */
struct work {
	uint64_t looked, taken;
};

/* Runs one pass and returns the work it did. */
static struct work one_pass(void)
{
	uint64_t looked = t.work, taken = a->dirty_taken;
	tui_pass(&t);
	return (struct work){ t.work - looked, a->dirty_taken - taken };
}

/* Returns the number of server rows the list shows. */
static size_t visible_rows(void)
{
	size_t first, count;
	view_servers_visible(&t, &first, &count);
	cr_assert_gt(count, 5, "only %zu rows at 80x24", count);
	cr_assert_lt(count, 30);
	return count;
}

/* A server on screen changes: the pass redraws the visible rows (a few
 * looks at each: the row, its countdown, the health column) and takes one
 * dirty entry, whatever the number of servers. */
Test(pass, one_visible_change_costs_the_visible_rows)
{
	size_t rows = visible_rows();
	app_note(a, 3, APP_LINE_INFO, "one line on a server shown");
	struct work w = one_pass();
	cr_assert_eq(w.taken, 1, "%llu dirty entries taken for one change",
	    (unsigned long long)w.taken);
	cr_assert_geq(w.looked, rows, "the list was not redrawn (%llu looks)",
	    (unsigned long long)w.looked);
	cr_assert_leq(w.looked, 4 * rows + 4, "%llu servers looked at for %zu rows of %d servers",
	    (unsigned long long)w.looked, rows, N_SERVERS);
}

/* A server off screen changes: one dirty entry, nothing drawn. */
Test(pass, one_hidden_change_draws_nothing)
{
	visible_rows();
	app_note(a, N_SERVERS - 7, APP_LINE_INFO, "one line on a server not shown");
	struct work w = one_pass();
	cr_assert_eq(w.taken, 1);
	cr_assert_eq(w.looked, 0, "%llu servers looked at for a change off screen",
	    (unsigned long long)w.looked);
}

/* Nothing changed: a pass does nothing at all. */
Test(pass, an_idle_pass_costs_nothing)
{
	struct work w = one_pass();
	cr_assert_eq(w.taken, 0);
	cr_assert_eq(w.looked, 0);
}

/* Ten servers change, some shown and some not: the dirty entries are the
 * ten, the drawing still the visible rows. */
Test(pass, a_few_changes_cost_those_servers)
{
	size_t rows = visible_rows();
	for (int k = 0; k < 10; k++)
		app_note(a, (size_t)k * 499, APP_LINE_INFO, "a line");
	struct work w = one_pass();
	cr_assert_eq(w.taken, 10);
	cr_assert_leq(w.looked, 4 * rows + 4, "%llu servers looked at for %zu rows",
	    (unsigned long long)w.looked, rows);
}

/* A server on screen fails its attempt again: the new countdown's first
 * redraw comes when its number changes.  The tick kept from the last
 * countdown fired on that one's beat, up to a second late, and the list
 * skipped a number ("retry 33s", then "retry 31s"). */
Test(pass, a_new_countdown_is_redrawn_on_its_own_beat)
{
	app_server *s = app_get(a, 0);
	s->state = RC_STATE_BACKOFF;
	s->retry_at_ms = rc_now_ms() + 33400;    /* its number changes 0.9 s on */
	app_touch(a->srv[0], APP_DIRTY_SERVERS);
	one_pass();
	cr_assert_neq(t.tick, 0, "no countdown timer");
	s->retry_at_ms = rc_now_ms() + 5600;     /* a new one: 0.1 s on */
	app_touch(a->srv[0], APP_DIRTY_SERVERS);
	one_pass();
	int64_t now = rc_now_ms();
	cr_assert_neq(t.tick, 0);
	cr_assert_leq(t.tick_due_ms, now + app_retry_change_ms(s, now),
	    "the redraw is due %lld ms on, the number changes %lld ms on",
	    (long long)(t.tick_due_ms - now), (long long)app_retry_change_ms(s, now));
	s->state = RC_STATE_IDLE;
	s->retry_at_ms = -1;
}
