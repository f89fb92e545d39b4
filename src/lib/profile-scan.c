/* profile-scan.c: a pass over a configuration file's text before libconfig
 * parses it, for what libconfig 1.5 gets wrong or does behind our back.
 *
 *  - Integers that do not fit: libconfig 1.5 converts "4294992871" with a
 *    32-bit wrap and reports no error, so port = 4294992871 would quietly load
 *    as 25575.  Every integer literal outside strings and comments is checked
 *    here (32 bits, or 64 with the L suffix).
 *  - @include: libconfig would read another file; the console rewrites this
 *    file when it saves, which would flatten the include, so it is refused.
 *  - NUL bytes: libconfig stops reading at the first one, silently.
 *  - More than 65535 lines: libconfig keeps line numbers in 16 bits, and
 *    errors must name the right line.
 *
 * The lexer follows libconfig's: strings in double quotes with backslash
 * escapes (they may span lines), comments with #, // and slash-star, names
 * [A-Za-z*][-A-Za-z0-9_*]*, and @include only at the start of a line. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lib/profile-int.h"

enum scan_state { SCAN_NORMAL, SCAN_STRING, SCAN_LINE_COMMENT, SCAN_BLOCK_COMMENT };

/* Returns true for a character that may continue a libconfig name. */
static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '*';
}

/* Returns the value of hex digit c, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Checks the number token t[0..n): returns false when it is an integer that
 * libconfig cannot hold (floats and malformed tokens are left to libconfig). */
static bool number_fits(const char *t, size_t n)
{
	bool neg = false;
	size_t i = 0;
	if (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-';
		i++;
	}
	bool hex = n - i > 2 && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X');
	if (!hex && memchr(t, '.', n))
		return true;
	if (!hex && (memchr(t, 'e', n) || memchr(t, 'E', n)))
		return true;
	if (hex)
		i += 2;
	uint64_t v = 0, base = hex ? 16 : 10;
	bool wrapped = false;
	for (; i < n; i++) {
		int d = hex_value(t[i]);
		if (d < 0 || (!hex && d > 9))
			break;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			wrapped = true;
		v = v * base + (uint64_t)d;
	}
	bool wide = i < n && t[i] == 'L';
	uint64_t limit = wide ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX;
	if (neg && !hex)
		limit++;
	return !wrapped && v <= limit;
}

/* Returns the length of the number token starting at t (at most n). */
static size_t number_length(const char *t, size_t n)
{
	size_t i = 1;
	while (i < n) {
		char c = t[i];
		bool exp_sign = (c == '+' || c == '-') && (t[i - 1] == 'e' || t[i - 1] == 'E') &&
				!(n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'));
		if (!(is_name_char(c) && c != '-' && c != '*') && c != '.' && !exp_sign)
			break;
		i++;
	}
	return i;
}

/* The name most recently seen: the key a number belongs to. */
struct scan_key {
	const char *name;
	size_t len;
};

/* Scans text[0..len) in the normal state starting at *i; returns false and a
 * reason when the token there is refused. */
static bool scan_token(const char *text, size_t len, size_t *i, bool line_start,
		       enum scan_state *st, struct scan_key *key, const char **reason)
{
	const char *t = text + *i;
	size_t left = len - *i;
	char next = left > 1 ? t[1] : '\0';
	if (line_start && left >= 8 && memcmp(t, "@include", 8) == 0) {
		*reason = "@include is not supported (the console rewrites this file when it saves)";
		key->len = 0;
		return false;
	}
	if (t[0] == '"') {
		*st = SCAN_STRING;
		(*i)++;
	} else if (t[0] == '#' || (t[0] == '/' && next == '/')) {
		*st = SCAN_LINE_COMMENT;
		(*i)++;
	} else if (t[0] == '/' && next == '*') {
		*st = SCAN_BLOCK_COMMENT;
		*i += 2;
	} else if ((t[0] >= 'a' && t[0] <= 'z') || (t[0] >= 'A' && t[0] <= 'Z') || t[0] == '*') {
		size_t k = 1;
		while (k < left && is_name_char(t[k]))
			k++;
		key->name = t;
		key->len = k;
		*i += k;
	} else if ((t[0] >= '0' && t[0] <= '9') ||
		   ((t[0] == '-' || t[0] == '+') && next >= '0' && next <= '9')) {
		size_t k = number_length(t, left);
		if (!number_fits(t, k)) {
			*reason = "integer out of range";
			return false;
		}
		*i += k;
	} else {
		(*i)++;
	}
	return true;
}

/* Scans a configuration file's text (see the file comment).  Returns 0, or
 * -1 with *line, *reason and the key before the offending token (into
 * key[cap], "" when none) set. */
int profile_scan(const char *text, size_t len, int *line, const char **reason,
		 char *key, size_t cap)
{
	struct scan_key last = { "", 0 };
	enum scan_state st = SCAN_NORMAL;
	int ln = 1;
	bool line_start = true;
	size_t i = 0;
	while (i < len) {
		char c = text[i];
		if (c == '\0') {
			*reason = "NUL byte in the file";
			last.len = 0;
			goto fail;
		}
		if (c == '\n') {
			if (++ln > 65535) {
				*reason = "more than 65535 lines";
				last.len = 0;
				goto fail;
			}
			line_start = true;
			if (st == SCAN_LINE_COMMENT)
				st = SCAN_NORMAL;
			i++;
			continue;
		}
		switch (st) {
		case SCAN_STRING:
			if (c == '\\' && i + 1 < len && text[i + 1] != '\n' && text[i + 1] != '\0')
				i++;
			else if (c == '"')
				st = SCAN_NORMAL;
			i++;
			break;
		case SCAN_LINE_COMMENT:
			i++;
			break;
		case SCAN_BLOCK_COMMENT:
			if (c == '*' && i + 1 < len && text[i + 1] == '/') {
				st = SCAN_NORMAL;
				i++;
			}
			i++;
			break;
		case SCAN_NORMAL:
			if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
				i++;
				break;
			}
			if (!scan_token(text, len, &i, line_start, &st, &last, reason))
				goto fail;
			line_start = false;
			break;
		}
	}
	return 0;
fail:
	*line = ln;
	if (cap > 0)
		snprintf(key, cap, "%.*s", (int)(last.len < 64 ? last.len : 64), last.name);
	return -1;
}
