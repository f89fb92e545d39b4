/* sim-parse.c: a command line read as Brigadier (vanilla's command parser)
 * reads it, and the errors it answers.
 *
 * A line that does not parse is answered with a message and a context glued
 * to it (PROTOCOL.md "Command output"): up to 10 Java chars before the point
 * where the parse stopped, the rest of the line, and "<--[HERE]".  That point
 * is 0 for a first word that is no command (the whole line is quoted), the
 * end for an incomplete one, and the offending word otherwise.  Numbers are
 * read as Brigadier's StringReader reads them (the characters [0-9.-]);
 * arguments are separated by exactly one space, and a greedy text (a message,
 * a reason) takes everything after it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim-int.h"

static const char unknown_cmd[] = "Unknown or incomplete command, see below for error";

/* Returns how many UTF-16 units (Java chars) the UTF-8 sequence led by b is. */
static size_t parse_units(uint8_t b)
{
	return b >= 0xf0 ? 2 : 1;
}

/* Appends Brigadier's context for a parse that failed at byte offset at of
 * a->text (glued to the error message before it): up to 10 Java chars
 * before at ("..." ahead when there are more), everything from at on, and
 * "<--[HERE]".  A window that starts inside a surrogate pair starts with the
 * lone low surrogate, which Java encodes as '?'. */
static void parse_context(const sim_args *a, size_t at, sim_buf *out)
{
	size_t units = 0, cut = at;
	bool half = false;
	while (cut > 0 && units < 10) {
		size_t lead = cut - 1;
		while (lead > 0 && ((uint8_t)a->text[lead] & 0xc0) == 0x80)
			lead--;
		size_t u = parse_units((uint8_t)a->text[lead]);
		half = units + u > 10;
		if (half)
			break;
		units += u;
		cut = lead;
	}
	if (cut > 0)
		sim_buf_adds(out, "...");
	if (half)
		sim_buf_addc(out, '?');
	sim_buf_add(out, a->text + cut, a->text_len - cut);
	sim_buf_adds(out, "<--[HERE]");
}

/* Appends vanilla's answer to a command that failed to parse at byte offset
 * at of a->text: msg, then the context. */
void sim_parse_syntax(const sim_args *a, size_t at, const char *msg, sim_buf *out)
{
	sim_buf_adds(out, msg);
	parse_context(a, at, out);
}

/* Appends vanilla's answer to a command that stops short: the parse ended
 * at the end of the text with no command to run there. */
void sim_parse_incomplete(const sim_args *a, sim_buf *out)
{
	sim_parse_syntax(a, a->text_len, unknown_cmd, out);
}

/* Returns the byte offset of word i in a->text. */
static size_t parse_at(const sim_args *a, size_t i)
{
	return (size_t)(a->rest[i] - a->text);
}

/* Returns a copy of the number that starts word i of a, read as
 * Brigadier's StringReader does (the characters [0-9.-]); sets *n to its
 * length.  When there is none, appends "Expected <kind>" with the context
 * and returns NULL. */
static char *parse_read_number(const sim_args *a, size_t i, const char *kind, size_t *n,
    sim_buf *out)
{
	*n = strspn(a->argv[i], "0123456789.-");
	if (*n == 0) {
		sim_buf_addf(out, "Expected %s", kind);
		parse_context(a, parse_at(a, i), out);
		return NULL;
	}
	char *num = strndup(a->argv[i], *n);
	if (!num)
		out->oom = true;
	return num;
}

/* Appends Brigadier's "Invalid <kind> '<num>'" for word i of a. */
static void parse_invalid_number(const sim_args *a, size_t i, const char *kind, const char *num,
    sim_buf *out)
{
	sim_buf_addf(out, "Invalid %s '%s'", kind, num);
	parse_context(a, parse_at(a, i), out);
}

/* Appends vanilla's answer to word i of a, which no branch of the command
 * takes (a word no literal matches, or one past the last argument). */
void sim_parse_bad_word(const sim_args *a, size_t i, sim_buf *out)
{
	sim_parse_syntax(a, parse_at(a, i), "Incorrect argument for command", out);
}

/* Returns true when a has min to max words (the command's name counts);
 * otherwise appends the answer vanilla gives and returns false. */
bool sim_parse_arity(const sim_args *a, size_t min, size_t max, sim_buf *out)
{
	if (a->argc < min)
		sim_parse_incomplete(a, out);
	else if (a->argc > max)
		sim_parse_bad_word(a, max, out);
	return a->argc >= min && a->argc <= max;
}

/* Returns the greedy text (a message, a reason) that starts at word i of a:
 * everything after word i - 1 and the one space Brigadier skips, other
 * spaces included; NULL when there is nothing there. */
const char *sim_parse_greedy(const sim_args *a, size_t i)
{
	if (a->argc < i)
		return NULL;
	const char *end = a->rest[i - 1] + strlen(a->argv[i - 1]);
	return (size_t)(end - a->text) + 1 < a->text_len ? end + 1 : NULL;
}

/* Returns true when word is one of the n literals in set. */
bool sim_parse_among(const char *word, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(word, set[i]) == 0)
			return true;
	return false;
}

/* Reads word i of a as vanilla's IntegerArgument of at least 1; returns
 * true and sets *v, or appends Brigadier's error and returns false. */
bool sim_parse_count(const sim_args *a, size_t i, long *v, sim_buf *out)
{
	size_t n;
	char *num = parse_read_number(a, i, "integer", &n, out), *end = NULL;
	if (!num)
		return false;
	errno = 0;
	long x = strtol(num, &end, 10);
	bool ok = end != num && !*end && errno == 0 && x >= INT32_MIN && x <= INT32_MAX;
	if (!ok) {
		parse_invalid_number(a, i, "integer", num, out);
	} else if (x < 1) {
		sim_buf_addf(out, "Integer must not be less than 1, found %ld", x);
		parse_context(a, parse_at(a, i), out);
	} else if (a->argv[i][n]) {
		/* the number ended inside the word */
		sim_parse_syntax(a, parse_at(a, i) + n,
		    "Expected whitespace to end one argument, but found trailing data", out);
	}
	free(num);
	*v = x;
	return ok && x >= 1 && !a->argv[i][n];
}

/* Reads word i of a as vanilla's TimeArgument: a float, then an optional
 * unit d (24000), s (20) or t (1), rounded to ticks, at least 0.  Returns
 * true and sets *ticks, or appends the error vanilla gives (only the float's
 * errors come with a context) and returns false. */
bool sim_parse_time(const sim_args *a, size_t i, int64_t *ticks, sim_buf *out)
{
	size_t n;
	char *num = parse_read_number(a, i, "float", &n, out), *end = NULL;
	if (!num)
		return false;
	float f = strtof(num, &end);
	bool ok = end != num && !*end;
	if (!ok)
		parse_invalid_number(a, i, "float", num, out);
	free(num);
	if (!ok)
		return false;
	const char *unit = a->argv[i] + n;
	int per = !*unit || strcmp(unit, "t") == 0 ? 1 : strcmp(unit, "s") == 0 ? 20 :
	    strcmp(unit, "d") == 0 ? 24000 : 0;
	if (per == 0) {
		sim_buf_adds(out, "Invalid unit");
		return false;
	}
	/* Math.round(float): floor(x + 0.5) in float, saturated to an int. */
	float t = f * (float)per + 0.5f;
	if (!(t < 2147483647.0f))
		t = 2147483647.0f;
	if (!(t > -2147483648.0f))
		t = -2147483648.0f;
	int64_t k = (int64_t)t;
	*ticks = (float)k > t ? k - 1 : k;
	if (*ticks < 0) {
		sim_buf_addf(out, "The tick count must not be less than 0, found %lld",
		    (long long)*ticks);
		return false;
	}
	return true;
}

/* Splits text[len] into a; words and line are scratch copies owned by the caller. */
void sim_parse_split(sim_args *a, char *words, const char *line, size_t len)
{
	a->text = line;
	a->text_len = len;
	a->argc = 0;
	size_t i = 0;
	while (i < len && a->argc < SIM_ARGS_MAX) {
		while (i < len && words[i] == ' ')
			words[i++] = '\0';
		if (i == len)
			break;
		a->argv[a->argc] = words + i;
		a->rest[a->argc] = line + i;
		a->argc++;
		if (a->argc == SIM_ARGS_MAX)
			break;
		while (i < len && words[i] != ' ')
			i++;
	}
}

/* Appends vanilla's answer to a line whose first word is no command: the
 * parse stopped at its first byte, so the whole line is quoted. */
void sim_parse_unknown(const sim_args *a, sim_buf *out)
{
	sim_parse_syntax(a, 0, unknown_cmd, out);
}
