/* terminfo.c: asking terminfo about a terminal without starting curses.
 *
 * Its own file because <term.h> defines a macro for every terminfo
 * capability (lines, columns, bell...), which would rewrite names all over
 * the console's code.  Why ask first: newterm() failing on a terminal
 * terminfo does not know leaks the screen it began (ncurses' new_prescr),
 * which a leak checker then reports at exit; setupterm() does not. */
#include <unistd.h>

#include "tui/curses-wrap.h"
#include <term.h>

#include "tui/terminfo.h"

/* Tells whether terminfo knows term (see terminfo.h). */
bool terminfo_known(const char *term)
{
	int err = 0;
	if (setupterm(term, STDOUT_FILENO, &err) != OK)
		return false;
	del_curterm(cur_term);
	return true;
}
