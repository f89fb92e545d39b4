/* version.h: what the console is drawn with, for `rconsole --version`
 * (the command line must not include curses itself). */
#ifndef RCONSOLE_TUI_VERSION_H
#define RCONSOLE_TUI_VERSION_H

/* Returns the curses library's own version string, e.g. "ncurses 6.4.20221231". */
const char *tui_curses_version(void);

#endif
