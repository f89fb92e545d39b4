/* theme.h: the console's colours — one table of roles, each with a colour
 * pair for colour terminals and plain attributes for monochrome ones — and
 * the mapping of Minecraft § colours onto curses. */
#ifndef RCONSOLE_TUI_THEME_H
#define RCONSOLE_TUI_THEME_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/curses-wrap.h"

enum theme_role {
	TH_NORMAL = 0,
	TH_BORDER,
	TH_BORDER_FOCUS,
	TH_TITLE,
	TH_TITLE_FOCUS,
	TH_STAMP,
	TH_CMD,
	TH_REPLY,
	TH_JOIN,
	TH_LEAVE,
	TH_STATE,
	TH_ERROR,
	TH_INFO,
	TH_SELECTED,
	TH_CURSOR,        /* selection in the focused pane */
	TH_READY,
	TH_CONNECTING,
	TH_DOWN,
	TH_RO,
	TH_ACTIVITY,
	TH_SPARK,
	TH_MATCH,
	TH_PROMPT,
	TH_STATUS,
	TH_HINT,
	TH_MESSAGE,
	TH_WARN,
	TH_DIM,
	TH_LOG_WARN,      /* a log_file line at level WARN */
	TH_CHAT,          /* a chat sender "<name>" in a log_file line */
	TH_COUNT
};

/* Sets up colour pairs (after initscr); color false gives attributes only. */
void theme_init(bool color);
/* Returns true when colours are in use. */
bool theme_color(void);
/* Returns a role's attributes and pair. */
void theme_get(enum theme_role r, attr_t *attr, short *pair);
/* Sets w's drawing attributes to a role. */
void theme_set(WINDOW *w, enum theme_role r);
/* Returns the attributes and pair for a § colour (0-15 or default) with
 * rc_mc_attr bits, on top of a base role. */
void theme_mc(enum theme_role base, uint8_t color, uint8_t attrs, attr_t *attr, short *pair);

#endif
