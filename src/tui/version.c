/* version.c: the curses library's run-time version, asked of curses itself. */
#include "tui/curses-wrap.h"
#include "tui/version.h"

/* Returns the curses library's own version string. */
const char *tui_curses_version(void)
{
	return curses_version();
}
