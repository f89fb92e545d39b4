/* app-logline.c: reading the parts of a server log line (log_file) that the
 * console shows differently: its timestamp, its level and a chat message.
 *
 * Shapes recognised (anything else is shown as it is):
 *   [12:00:00] [Server thread/WARN]: text              vanilla 1.7+, Paper
 *   [12:00:00] [Server thread/INFO] [minecraft/DedicatedServer]: text   Forge
 *   [01Dec2026 12:00:00.123] [Server thread/INFO] [net.minecraft...]: text
 *   [12:00:00 INFO]: text                              Paper/Bukkit console
 *   2013-01-01 12:00:00 [INFO] text                    1.6 and older
 * Chat is "<name> text", after an optional "[Not Secure] " (1.19+). */
#include <string.h>

#include "app/app.h"

/* Levels by the words servers write. */
static const struct logline_level {
	const char *word;
	enum app_log_level level;
} logline_levels[] = {
	{ "INFO", APP_LOG_INFO }, { "WARN", APP_LOG_WARN }, { "WARNING", APP_LOG_WARN },
	{ "ERROR", APP_LOG_ERROR }, { "SEVERE", APP_LOG_ERROR }, { "FATAL", APP_LOG_ERROR },
	{ "DEBUG", APP_LOG_DEBUG }, { "TRACE", APP_LOG_DEBUG },
};

/* Returns true for an ASCII digit. */
static bool logline_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Returns the level a word names, APP_LOG_NONE when none. */
static enum app_log_level logline_word(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof logline_levels / sizeof logline_levels[0]; i++)
		if (strlen(logline_levels[i].word) == n && memcmp(logline_levels[i].word, s, n) == 0)
			return logline_levels[i].level;
	return APP_LOG_NONE;
}

/* Finds the last HH:MM:SS in s[n] and copies it to stamp (*at gets its
 * offset in s); false when none. */
static bool logline_clock(const char *s, size_t n, char stamp[9], size_t *at)
{
	for (size_t i = n >= 8 ? n - 8 + 1 : 0; i-- > 0;) {
		const char *p = s + i;
		if (logline_digit(p[0]) && logline_digit(p[1]) && p[2] == ':' && logline_digit(p[3]) &&
		    logline_digit(p[4]) && p[5] == ':' && logline_digit(p[6]) && logline_digit(p[7])) {
			memcpy(stamp, p, 8);
			stamp[8] = '\0';
			*at = i;
			return true;
		}
	}
	return false;
}

/* Reads a "[...]" group at s[off]; returns the offset after it, 0 when none.
 * *in and *in_len get its inside.  A group may be as long as the line (a
 * stamp after a long prefix is still found): one memchr, and a line reads
 * at most four groups, so parsing stays linear in the line, which is at
 * most APP_LINE_MAX bytes. */
static size_t logline_group(const char *s, size_t len, size_t off, const char **in, size_t *in_len)
{
	if (off >= len || s[off] != '[')
		return 0;
	const char *close = memchr(s + off, ']', len - off);
	if (!close)
		return 0;
	*in = s + off + 1;
	*in_len = (size_t)(close - *in);
	return (size_t)(close - s) + 1;
}

/* Returns the level a thread group ("Server thread/WARN", "INFO") names. */
static enum app_log_level logline_thread_level(const char *in, size_t n)
{
	const char *slash = memrchr(in, '/', n);
	const char *w = slash ? slash + 1 : in;
	return logline_word(w, (size_t)(in + n - w));
}

/* Splits a log line into timestamp, level and message (see the file
 * comment).  Returns false, with f cleared, when it has no known shape. */
bool app_log_parse(const char *s, size_t len, app_log_fields *f)
{
	memset(f, 0, sizeof *f);
	const char *in;
	size_t n, off;
	if (len >= 20 && logline_digit(s[0]) && s[4] == '-' && s[7] == '-' && s[10] == ' ') {
		/* 2013-01-01 12:00:00 [INFO] text */
		if (!logline_clock(s + 11, 8, f->stamp, &f->stamp_at))
			return false;
		f->stamp_at += 11;
		off = logline_group(s, len, 20, &in, &n);
		if (!off || s[19] != ' ')
			return false;
		f->level = logline_word(in, n);
	} else {
		off = logline_group(s, len, 0, &in, &n);
		if (!off || !logline_clock(in, n, f->stamp, &f->stamp_at))
			return false;
		f->stamp_at += (size_t)(in - s);
		/* "[12:00:00 INFO]": the level inside the time's brackets. */
		const char *sp = memrchr(in, ' ', n);
		if (sp)
			f->level = logline_word(sp + 1, (size_t)(in + n - sp - 1));
		/* Then thread/level and logger groups, each after one space. */
		for (int g = 0; g < 3 && off + 1 < len && s[off] == ' ' && s[off + 1] == '['; g++) {
			size_t next = logline_group(s, len, off + 1, &in, &n);
			if (!next)
				break;
			enum app_log_level lv = logline_thread_level(in, n);
			if (g > 0 && lv == APP_LOG_NONE && !memchr(in, '/', n))
				break;    /* "[Not Secure]" and the like belong to the message */
			if (lv != APP_LOG_NONE)
				f->level = lv;
			off = next;
		}
	}
	if (off < len && s[off] == ':')
		off++;
	if (off < len && s[off] == ' ')
		off++;
	f->body = off;
	return true;
}

/* Finds "<name>" at the start of a chat message (after an optional "[Not
 * Secure] "); returns false when s is not chat. */
bool app_log_chat(const char *s, size_t len, size_t *from, size_t *to)
{
	static const char not_secure[] = "[Not Secure] ";
	size_t off = 0;
	if (len > sizeof not_secure - 1 && memcmp(s, not_secure, sizeof not_secure - 1) == 0)
		off = sizeof not_secure - 1;
	if (off >= len || s[off] != '<')
		return false;
	for (size_t i = off + 1; i < len && i < off + 80; i++) {
		if (s[i] == '<')
			return false;
		if (s[i] == '>') {
			if (i == off + 1 || (i + 1 < len && s[i + 1] != ' '))
				return false;
			*from = off;
			*to = i + 1;
			return true;
		}
	}
	return false;
}
