/* layout.c: pane rectangles for a terminal size. */
#include "tui/layout.h"

/* Limits v to [lo, hi]. */
static int layout_clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Computes every pane's rectangle. */
void layout_compute(int cols, int rows, layout *out)
{
	*out = (layout){ .mode = LAYOUT_TOO_SMALL, .cols = cols, .rows = rows };
	if (cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS)
		return;
	int body = rows - 1;  /* everything above the bottom row */
	out->bottom = (layout_rect){ rows - 1, 0, 1, cols };
	int list_w = layout_clamp(cols / 4, 18, 30);
	/* 19 columns hold a 16-character name (vanilla's longest) after the
	 * border and a space, and the border after it: the panel takes them
	 * whenever the log keeps its minimum (from 75 columns). */
	int players_w = layout_clamp(cols / 5, 16, 26);
	int wanted = cols - list_w - LAYOUT_LOG_MIN;
	if (players_w < LAYOUT_PLAYERS_MIN && wanted > players_w)
		players_w = wanted < LAYOUT_PLAYERS_MIN ? wanted : LAYOUT_PLAYERS_MIN;
	if (cols - list_w - players_w >= LAYOUT_LOG_MIN) {
		out->mode = LAYOUT_FULL;
		out->servers = (layout_rect){ 0, 0, body, list_w };
		out->players = (layout_rect){ 0, cols - players_w, body, players_w };
		out->log = (layout_rect){ 0, list_w, body, cols - list_w - players_w };
	} else if (cols - list_w >= LAYOUT_LOG_MIN) {
		out->mode = LAYOUT_LIST;
		out->servers = (layout_rect){ 0, 0, body, list_w };
		out->log = (layout_rect){ 0, list_w, body, cols - list_w };
	} else {
		out->mode = LAYOUT_TABS;
		out->servers = (layout_rect){ 0, 0, 1, cols };
		out->log = (layout_rect){ 1, 0, body - 1, cols };
	}
}

/* Centres a popup and clamps it to the screen. */
layout_rect layout_center(const layout *l, int w, int h)
{
	if (w > l->cols)
		w = l->cols;
	if (h > l->rows)
		h = l->rows;
	if (w < 0)
		w = 0;
	if (h < 0)
		h = 0;
	return (layout_rect){ (l->rows - h) / 2, (l->cols - w) / 2, h, w };
}

/* Returns the room the status may take on the bottom row. */
int layout_status_max(int cols)
{
	int cmd = cols * 3 / 5;
	if (cmd < 20)
		cmd = 20;
	return cols > cmd ? cols - cmd : 0;
}

/* Tells whether a rectangle is shown. */
bool layout_shown(layout_rect r)
{
	return r.h > 0 && r.w > 0;
}
