/* json.c: a small streaming JSON writer (RFC 8259) for --json output.
 *
 * Strings are sanitised before they are escaped: invalid UTF-8 becomes
 * U+FFFD and control characters their visible pictures (rc_text_sanitize),
 * so the document is always valid UTF-8 and a value printed raw by a script
 * cannot drive a terminal.  What is left to escape is '"' and '\\'; the
 * lines below still escape any byte under 0x20 as \u00XX in case the
 * sanitiser's rules ever change. */
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "rconsole/rconsole.h"

/* Starts writing one document to f. */
void json_init(json_w *j, FILE *f)
{
	memset(j, 0, sizeof *j);
	j->f = f;
}

/* Writes the comma that separates this value from the previous one. */
static void json_sep(json_w *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->has_item & (1UL << j->depth))
		fputc(',', j->f);
	j->has_item |= 1UL << j->depth;
}

/* Opens a container with the character open. */
static void json_open(json_w *j, int open)
{
	json_sep(j);
	fputc(open, j->f);
	if (j->depth < 31)
		j->depth++;
	j->has_item &= ~(1UL << j->depth);
}

/* Closes a container with the character close. */
static void json_close(json_w *j, int close)
{
	fputc(close, j->f);
	if (j->depth > 0)
		j->depth--;
}

/* Opens an object. */
void json_object_begin(json_w *j)
{
	json_open(j, '{');
}

/* Closes an object. */
void json_object_end(json_w *j)
{
	json_close(j, '}');
}

/* Opens an array. */
void json_array_begin(json_w *j)
{
	json_open(j, '[');
}

/* Closes an array. */
void json_array_end(json_w *j)
{
	json_close(j, ']');
}

/* Writes s[len] quoted and escaped; s must already be valid UTF-8. */
static void json_quote(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Writes the key of the next member. */
void json_key(json_w *j, const char *key)
{
	json_sep(j);
	json_quote(j->f, key, strlen(key));
	fputc(':', j->f);
	j->after_key = true;
}

/* Writes a string value of len bytes, sanitised then escaped. */
void json_string_len(json_w *j, const char *s, size_t len)
{
	size_t n;
	char *safe = rc_text_sanitize(s, len, "", &n);
	json_sep(j);
	if (safe)
		json_quote(j->f, safe, n);
	else
		fputs("\"\"", j->f);   /* out of memory: an empty string, still valid */
	free(safe);
}

/* Writes a string value, or null for NULL. */
void json_string(json_w *j, const char *s)
{
	if (!s)
		json_null(j);
	else
		json_string_len(j, s, strlen(s));
}

/* Writes an integer value. */
void json_int(json_w *j, long long v)
{
	json_sep(j);
	fprintf(j->f, "%lld", v);
}

/* Writes v/1000 with three decimals, formatted by hand: printf's %f
 * follows LC_NUMERIC, and a decimal comma would break the document. */
void json_fixed3(json_w *j, long long v)
{
	json_sep(j);
	unsigned long long m = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	fprintf(j->f, "%s%llu.%03llu", v < 0 ? "-" : "", m / 1000, m % 1000);
}

/* Writes a boolean value. */
void json_bool(json_w *j, bool v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->f);
}

/* Writes null. */
void json_null(json_w *j)
{
	json_sep(j);
	fputs("null", j->f);
}

/* Ends the document with a newline. */
void json_finish(json_w *j)
{
	fputc('\n', j->f);
	fflush(j->f);
}
