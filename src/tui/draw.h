/* draw.h: putting text into curses windows safely.
 *
 * Every string reaches curses through draw_text()/draw_styled(), which
 * decode UTF-8 one character at a time and never hand curses a control
 * character, an invalid byte, or a character wider than the room left: such
 * characters become a replacement glyph, a wide character that does not fit
 * becomes padding.  Without a UTF-8 locale everything outside ASCII is '?'.
 * All functions clip to the window; none of them refresh it. */
#ifndef RCONSOLE_TUI_DRAW_H
#define RCONSOLE_TUI_DRAW_H

#include <stdbool.h>
#include <stddef.h>

#include "rconsole/mc.h"
#include "tui/curses-wrap.h"
#include "tui/theme.h"

/* Tells the drawing code whether the locale is UTF-8 (before drawing). */
void draw_set_utf8(bool utf8);

/* Draws s[0..len) at (y, x) in at most maxw columns with the window's
 * current attributes; returns the columns used. */
int draw_text(WINDOW *w, int y, int x, int maxw, const char *s, size_t len);
/* Same for a NUL-terminated string in a role's style. */
int draw_str(WINDOW *w, int y, int x, int maxw, enum theme_role r, const char *s);
/* Draws st->text[from..to) with its § runs on top of role base. */
int draw_styled(WINDOW *w, int y, int x, int maxw, const rc_mc_styled *st,
    size_t from, size_t to, enum theme_role base);
/* Writes n spaces at (y, x) in a role's style. */
void draw_fill(WINDOW *w, int y, int x, int n, enum theme_role r);
/* Draws w's border, highlighted when focused, with a title on the top edge. */
void draw_box(WINDOW *w, const char *title, bool focus);
/* Marks, in w's bottom border, that more rows lie below (down) or, when
 * not, above (up): an arrow near the right corner in a role's style;
 * nothing when neither, or when w is too narrow for it. */
void draw_more(WINDOW *w, bool up, bool down, enum theme_role r);

#endif
