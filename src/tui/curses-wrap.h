/* curses-wrap.h: the one place curses is included (STYLE.md: only src/tui/
 * touches curses, through one header).  ncursesw's <curses.h> with the wide
 * character API switched on. */
#ifndef RCONSOLE_TUI_CURSES_WRAP_H
#define RCONSOLE_TUI_CURSES_WRAP_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
