/* layout.h: where each pane goes for a terminal size (no curses).
 *
 * 80x24 is the design size.  As the terminal narrows, panes collapse in a
 * fixed order: first the player panel goes, then the server list becomes a
 * one-line tab bar above the log.  Below LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS
 * nothing but a "terminal too small" message is drawn.  The last row is
 * always the command line with the status on its right.
 *
 * Rectangles are in screen cells; a pane that is not shown has h == w == 0.
 * Boxed panes (servers in LIST/FULL, log, players) include their border. */
#ifndef RCONSOLE_TUI_LAYOUT_H
#define RCONSOLE_TUI_LAYOUT_H

#include <stdbool.h>

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 10
#define LAYOUT_LOG_MIN 36      /* narrowest log box beside other panes */
#define LAYOUT_PLAYERS_MIN 19  /* player panel where 16-character names fit
                                  (narrower only when the log needs the room) */

enum layout_mode {
	LAYOUT_TOO_SMALL = 0,  /* only a message */
	LAYOUT_TABS,           /* tab bar, log, bottom row */
	LAYOUT_LIST,           /* server list, log, bottom row */
	LAYOUT_FULL            /* server list, log, players, bottom row */
};

typedef struct layout_rect {
	int y, x, h, w;
} layout_rect;

typedef struct layout {
	enum layout_mode mode;
	int cols, rows;
	layout_rect servers;   /* list box, or the one-row tab bar */
	layout_rect log;
	layout_rect players;
	layout_rect bottom;    /* the last row */
} layout;

/* Computes the layout for a cols x rows terminal. */
void layout_compute(int cols, int rows, layout *out);
/* Returns a w x h popup centred on the screen, shrunk to fit. */
layout_rect layout_center(const layout *l, int w, int h);
/* Returns the widest status text the bottom row may give (the command line
 * keeps at least three fifths of the row, and never under 20 columns). */
int layout_status_max(int cols);
/* Returns true when the rectangle is shown. */
bool layout_shown(layout_rect r);

#endif
