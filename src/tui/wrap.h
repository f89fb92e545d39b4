/* wrap.h: breaking a line of text into rows at word boundaries (no curses).
 *
 * A row ends after the last space that fits; the spaces at a break belong
 * to neither row.  A word wider than the whole row is cut where the row
 * ends (never mid-character).  The first row and the rows after it may have
 * different widths, for a hanging indent.  Widths are measured as utf8.h
 * measures them, the way curses draws. */
#ifndef RCONSOLE_TUI_WRAP_H
#define RCONSOLE_TUI_WRAP_H

#include <stddef.h>

/* Returns the bytes of s[off..len) shown on one row of avail columns
 * (trailing spaces not counted) and sets *next to where the following row
 * starts (len at the end).  Always makes progress: at least one character
 * when off < len, even when avail < 1. */
size_t wrap_row(const char *s, size_t len, size_t off, int avail, size_t *next);
/* Returns the rows s[0..len) takes: the first row first columns wide, the
 * rest rest columns wide (1 for an empty line). */
int wrap_rows(const char *s, size_t len, int first, int rest);

#endif
