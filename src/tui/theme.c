/* theme.c: the colour table and § colours.
 *
 * Pairs 1..TH_COUNT belong to the roles; the 16 § colours follow.  Colours
 * are drawn on the terminal's default background (use_default_colors), so
 * the console looks right on light and dark terminals alike.  On terminals
 * with 8 colours, the bright § colours are the base colours in bold. */
#include "rconsole/mc.h"
#include "tui/theme.h"

typedef struct theme_entry {
	short fg, bg;        /* -1 = the terminal's default */
	attr_t color_attr;   /* added when colours are on */
	attr_t mono_attr;    /* used when they are off */
} theme_entry;

static const theme_entry theme_table[TH_COUNT] = {
	[TH_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[TH_BORDER] = { COLOR_BLUE, -1, A_NORMAL, A_NORMAL },
	[TH_BORDER_FOCUS] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TH_TITLE] = { -1, -1, A_BOLD, A_BOLD },
	[TH_TITLE_FOCUS] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE | A_BOLD },
	[TH_STAMP] = { COLOR_BLUE, -1, A_NORMAL, A_DIM },
	[TH_CMD] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TH_REPLY] = { -1, -1, A_NORMAL, A_NORMAL },
	[TH_JOIN] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TH_LEAVE] = { COLOR_YELLOW, -1, A_NORMAL, A_NORMAL },
	[TH_STATE] = { COLOR_MAGENTA, -1, A_NORMAL, A_DIM },
	[TH_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TH_INFO] = { COLOR_CYAN, -1, A_NORMAL, A_DIM },
	[TH_SELECTED] = { -1, -1, A_BOLD, A_BOLD },
	[TH_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TH_READY] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TH_CONNECTING] = { COLOR_YELLOW, -1, A_NORMAL, A_NORMAL },
	[TH_DOWN] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[TH_RO] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TH_ACTIVITY] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD },
	[TH_SPARK] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TH_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_NORMAL, A_REVERSE },
	[TH_PROMPT] = { COLOR_CYAN, -1, A_BOLD, A_BOLD },
	[TH_STATUS] = { -1, -1, A_NORMAL, A_NORMAL },
	[TH_HINT] = { COLOR_BLUE, -1, A_NORMAL, A_DIM },
	[TH_MESSAGE] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[TH_WARN] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[TH_DIM] = { -1, -1, A_DIM, A_DIM },
	[TH_LOG_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TH_CHAT] = { COLOR_CYAN, -1, A_BOLD, A_UNDERLINE },
};

/* Curses colour for each § colour 0-f (bright ones flagged). */
static const struct theme_mc_color {
	short color;
	bool bright;
} theme_mc_colors[16] = {
	{ COLOR_BLACK, true },   /* §0 black: dark grey, so it shows on black */
	{ COLOR_BLUE, false }, { COLOR_GREEN, false }, { COLOR_CYAN, false },
	{ COLOR_RED, false }, { COLOR_MAGENTA, false }, { COLOR_YELLOW, false },
	{ COLOR_WHITE, false },  /* §7 grey */
	{ COLOR_BLACK, true },   /* §8 dark grey */
	{ COLOR_BLUE, true }, { COLOR_GREEN, true }, { COLOR_CYAN, true },
	{ COLOR_RED, true }, { COLOR_MAGENTA, true }, { COLOR_YELLOW, true },
	{ COLOR_WHITE, true },
};

static bool theme_on;
static bool theme_16;        /* COLORS >= 16: bright colours exist */

/* Sets up the colour pairs. */
void theme_init(bool color)
{
	theme_on = false;
	if (!color || !has_colors() || start_color() == ERR)
		return;
	use_default_colors();
	if (COLOR_PAIRS < TH_COUNT + 17)
		return;
	theme_16 = COLORS >= 16;
	for (int r = 0; r < TH_COUNT; r++)
		init_pair((short)(r + 1), theme_table[r].fg, theme_table[r].bg);
	for (int c = 0; c < 16; c++) {
		short fg = theme_mc_colors[c].color;
		if (theme_mc_colors[c].bright && theme_16)
			fg = (short)(fg + 8);
		init_pair((short)(TH_COUNT + 1 + c), fg, -1);
	}
	theme_on = true;
}

/* Tells whether colours are on. */
bool theme_color(void)
{
	return theme_on;
}

/* Returns a role's attributes and pair. */
void theme_get(enum theme_role r, attr_t *attr, short *pair)
{
	if (theme_on) {
		*attr = theme_table[r].color_attr;
		*pair = (short)(r + 1);
	} else {
		*attr = theme_table[r].mono_attr;
		*pair = 0;
	}
}

/* Sets w's attributes to a role. */
void theme_set(WINDOW *w, enum theme_role r)
{
	attr_t a;
	short p;
	theme_get(r, &a, &p);
	wattr_set(w, a, p, NULL);
}

/* Maps a § colour and format bits onto curses. */
void theme_mc(enum theme_role base, uint8_t color, uint8_t attrs, attr_t *attr, short *pair)
{
	theme_get(base, attr, pair);
	if (attrs & RC_MC_BOLD)
		*attr |= A_BOLD;
	if (attrs & RC_MC_UNDERLINE)
		*attr |= A_UNDERLINE;
	if (attrs & RC_MC_ITALIC)
		*attr |= A_ITALIC;
	if (!theme_on || color > 15)
		return;
	*pair = (short)(TH_COUNT + 1 + color);
	if (theme_mc_colors[color].bright && !theme_16)
		*attr |= A_BOLD;
}
