/* terminfo.h: asking terminfo about a terminal without starting curses. */
#ifndef RCONSOLE_TUI_TERMINFO_H
#define RCONSOLE_TUI_TERMINFO_H

#include <stdbool.h>

/* Returns true when terminfo has an entry for the terminal named term. */
bool terminfo_known(const char *term);

#endif
