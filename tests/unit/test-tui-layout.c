/* test-tui-layout.c: pane arithmetic at the design size, the smallest
 * supported size, too small and very wide terminals. */
#include <criterion/criterion.h>

#include "tui/layout.h"

/* Asserts that r lies inside the screen. */
static void assert_inside(const layout *l, layout_rect r, const char *what)
{
	if (!layout_shown(r))
		return;
	cr_assert_geq(r.x, 0, "%s x", what);
	cr_assert_geq(r.y, 0, "%s y", what);
	cr_assert_leq(r.x + r.w, l->cols, "%s right edge", what);
	cr_assert_leq(r.y + r.h, l->rows, "%s bottom edge", what);
}

/* Asserts that panes tile the screen without overlapping. */
static void assert_tiles(const layout *l)
{
	layout_rect rs[4] = { l->servers, l->log, l->players, l->bottom };
	const char *names[4] = { "servers", "log", "players", "bottom" };
	long area = 0;
	for (int i = 0; i < 4; i++) {
		assert_inside(l, rs[i], names[i]);
		if (layout_shown(rs[i]))
			area += (long)rs[i].w * rs[i].h;
		for (int j = i + 1; j < 4; j++) {
			if (!layout_shown(rs[i]) || !layout_shown(rs[j]))
				continue;
			bool apart = rs[i].x + rs[i].w <= rs[j].x || rs[j].x + rs[j].w <= rs[i].x ||
			    rs[i].y + rs[i].h <= rs[j].y || rs[j].y + rs[j].h <= rs[i].y;
			cr_assert(apart, "%s overlaps %s", names[i], names[j]);
		}
	}
	cr_assert_eq(area, (long)l->cols * l->rows, "panes must cover the screen");
}

Test(layout, design_size)
{
	layout l;
	layout_compute(80, 24, &l);
	cr_assert_eq(l.mode, LAYOUT_FULL);
	cr_assert_eq(l.servers.w, 20);
	cr_assert_eq(l.players.w, 19, "a 16-character name, a space and the borders");
	cr_assert_eq(l.log.w, 41);
	cr_assert_eq(l.log.h, 23);
	cr_assert_eq(l.bottom.y, 23);
	cr_assert_eq(l.bottom.w, 80);
	assert_tiles(&l);
}

Test(layout, smallest_supported)
{
	layout l;
	layout_compute(40, 10, &l);
	cr_assert_eq(l.mode, LAYOUT_TABS);
	cr_assert_eq(l.servers.h, 1, "server list becomes a tab bar");
	cr_assert_eq(l.servers.w, 40);
	cr_assert_not(layout_shown(l.players));
	cr_assert_eq(l.log.y, 1);
	cr_assert_eq(l.log.h, 8);
	cr_assert_eq(l.log.w, 40);
	assert_tiles(&l);
}

Test(layout, player_panel_keeps_the_full_layout_below_80)
{
	layout l;
	layout_compute(70, 20, &l);
	cr_assert_eq(l.mode, LAYOUT_FULL, "the panel narrows before it goes");
	cr_assert_eq(l.players.w, 16);
	assert_tiles(&l);
}

Test(layout, player_panel_goes_first)
{
	layout l;
	layout_compute(60, 20, &l);
	cr_assert_eq(l.mode, LAYOUT_LIST);
	cr_assert_not(layout_shown(l.players));
	cr_assert_geq(l.log.w, LAYOUT_LOG_MIN);
	assert_tiles(&l);
}

Test(layout, too_small)
{
	int sizes[][2] = { { 20, 5 }, { 39, 24 }, { 80, 9 }, { 0, 0 }, { 1, 1 } };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		layout l;
		layout_compute(sizes[i][0], sizes[i][1], &l);
		cr_assert_eq(l.mode, LAYOUT_TOO_SMALL, "%dx%d", sizes[i][0], sizes[i][1]);
		cr_assert_not(layout_shown(l.log));
		cr_assert_not(layout_shown(l.bottom));
	}
}

Test(layout, very_wide)
{
	layout l;
	layout_compute(500, 60, &l);
	cr_assert_eq(l.mode, LAYOUT_FULL);
	cr_assert_eq(l.servers.w, 30);
	cr_assert_eq(l.players.w, 26);
	cr_assert_eq(l.log.w, 444);
	assert_tiles(&l);
}

Test(layout, every_size_tiles_or_is_too_small)
{
	for (int c = 0; c <= 220; c += 3) {
		for (int r = 0; r <= 60; r += 5) {
			layout l;
			layout_compute(c, r, &l);
			if (l.mode == LAYOUT_TOO_SMALL)
				continue;
			assert_tiles(&l);
			cr_assert_geq(l.log.w, LAYOUT_MIN_COLS > LAYOUT_LOG_MIN ? LAYOUT_LOG_MIN : LAYOUT_MIN_COLS);
			cr_assert_geq(l.log.h, 3, "log needs a row inside its border");
			if (l.mode == LAYOUT_FULL && c >= 80)
				cr_assert_geq(l.players.w - 3, 16, "%dx%d: 16-character names", c, r);
		}
	}
}

Test(layout, popup_centred_and_clamped)
{
	layout l;
	layout_compute(80, 24, &l);
	layout_rect r = layout_center(&l, 40, 10);
	cr_assert_eq(r.x, 20);
	cr_assert_eq(r.y, 7);
	r = layout_center(&l, 200, 100);
	cr_assert_eq(r.w, 80);
	cr_assert_eq(r.h, 24);
	cr_assert_eq(r.x, 0);
	cr_assert_eq(r.y, 0);
}

Test(layout, status_share)
{
	cr_assert_eq(layout_status_max(80), 32);
	cr_assert_eq(layout_status_max(40), 16);
	cr_assert_eq(layout_status_max(20), 0);
}
