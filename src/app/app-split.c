/* app-split.c: splitting vanilla's glued output into lines (app-split.h). */
#include <string.h>
#include <strings.h>

#include "app/app-split.h"

/* Returns true for an ASCII letter. */
static bool split_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Returns the splitter for the reply to cmd. */
enum app_split_kind app_split_for(const char *cmd, const char *list_cmd)
{
	if (!cmd)
		return APP_SPLIT_NONE;
	if (strncasecmp(cmd, "help", 4) == 0 && (cmd[4] == '\0' || cmd[4] == ' '))
		return APP_SPLIT_HELP;
	if (list_cmd && strcasecmp(cmd, list_cmd) == 0)
		return APP_SPLIT_LIST;
	return APP_SPLIT_NONE;
}

/* Returns true when s[i] comes right after a § code ("§6/ban" is Bukkit's
 * coloured usage, not two glued ones). */
static bool split_after_code(const char *s, size_t off, size_t i)
{
	return i >= off + 3 && (unsigned char)s[i - 3] == 0xC2 && (unsigned char)s[i - 2] == 0xA7;
}

/* Returns the end of the usage starting at off. */
static size_t split_help(const char *s, size_t len, size_t off)
{
	int depth = 0;
	for (size_t i = off; i < len; i++) {
		char c = s[i];
		if (c == '(' || c == '[' || c == '<')
			depth++;
		else if ((c == ')' || c == ']' || c == '>') && depth > 0)
			depth--;
		else if (c == '/' && i > off && depth == 0 && i + 1 < len && split_alpha(s[i + 1]) &&
		    s[i - 1] != ' ' && !split_after_code(s, off, i))
			return i;
	}
	return len;
}

/* Returns the end of the first piece of a 1.12 list reply. */
static size_t split_list(const char *s, size_t len, size_t off)
{
	static const char head[] = "There are ";
	static const char tail[] = " players online:";
	if (off != 0 || len < sizeof head - 1 || memcmp(s, head, sizeof head - 1) != 0)
		return len;
	/* "There are N/M players online:" with digits and one slash. */
	size_t i = sizeof head - 1, digits = 0, slashes = 0;
	for (; i < len && ((s[i] >= '0' && s[i] <= '9') || s[i] == '/'); i++) {
		digits += s[i] != '/';
		slashes += s[i] == '/';
	}
	if (digits < 2 || slashes != 1 || len - i < sizeof tail - 1 ||
	    memcmp(s + i, tail, sizeof tail - 1) != 0)
		return len;
	size_t end = i + sizeof tail - 1;
	return end < len && s[end] != ' ' ? end : len;
}

/* Returns the end of the piece of s[len] that starts at off. */
size_t app_split_next(enum app_split_kind kind, const char *s, size_t len, size_t off)
{
	switch (kind) {
	case APP_SPLIT_HELP:
		return split_help(s, len, off);
	case APP_SPLIT_LIST:
		return split_list(s, len, off);
	default:
		return len;
	}
}
