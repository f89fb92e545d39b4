/* spark.h: sparklines of recent player counts (no curses).
 *
 * Scale: 0 .. the largest value shown.  Zero draws the lowest bar, any
 * positive value at least the second, the maximum the full block, so a
 * server that is never empty never looks empty.  A negative value (count
 * unknown) is a gap.  Without UTF-8 the bars are ASCII: _.:-=+*# */
#ifndef RCONSOLE_TUI_SPARK_H
#define RCONSOLE_TUI_SPARK_H

#include <stdbool.h>
#include <stddef.h>

#define SPARK_LEVELS 8

/* Returns the bar level 0..7 for v on a 0..max scale, or -1 for a gap. */
int spark_level(int v, int max);
/* Writes the last min(n, width) values of vals as bars into out[cap]
 * (NUL-terminated; UTF-8 needs 3 bytes a bar).  Returns the columns drawn,
 * fewer when cap is too small. */
size_t spark_render(const int *vals, size_t n, size_t width, bool utf8, char *out, size_t cap);

#endif
