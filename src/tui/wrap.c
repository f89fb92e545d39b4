/* wrap.c: word wrapping for the log pane (see wrap.h). */
#include "tui/utf8.h"
#include "tui/wrap.h"

/* Returns the offset after the spaces at s[off..len). */
static size_t wrap_skip_spaces(const char *s, size_t len, size_t off)
{
	while (off < len && s[off] == ' ')
		off++;
	return off;
}

/* Returns off with the spaces before it (down to from) taken off. */
static size_t wrap_trim(const char *s, size_t from, size_t off)
{
	while (off > from && s[off - 1] == ' ')
		off--;
	return off;
}

/* Returns the bytes of one row and where the next one starts. */
size_t wrap_row(const char *s, size_t len, size_t off, int avail, size_t *next)
{
	if (off >= len) {
		*next = len;
		return 0;
	}
	size_t fit = utf8_fit(s + off, len - off, avail > 0 ? avail : 0, NULL);
	size_t end = off + fit;
	if (end >= len) {
		*next = len;
		return wrap_trim(s, off, len) - off;
	}
	if (s[end] == ' ') {
		/* The row ends exactly at a space. */
		*next = wrap_skip_spaces(s, len, end);
		return wrap_trim(s, off, end) - off;
	}
	for (size_t p = end; p > off; p--) {
		if (s[p - 1] != ' ')
			continue;
		size_t row = wrap_trim(s, off, p - 1);
		if (row == off)
			break;    /* only spaces before: cut the word instead */
		*next = wrap_skip_spaces(s, len, p);
		return row - off;
	}
	/* One word wider than the row: cut it where the row ends. */
	if (fit == 0)
		end = utf8_next(s, len, off);
	*next = end;
	return end - off;
}

/* Returns the rows s takes with a first and a following row width. */
int wrap_rows(const char *s, size_t len, int first, int rest)
{
	int rows = 0;
	size_t off = 0;
	do {
		size_t next;
		wrap_row(s, len, off, rows == 0 ? first : rest, &next);
		off = next;
		rows++;
	} while (off < len);
	return rows;
}
