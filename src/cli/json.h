/* json.h: a small streaming JSON writer for the script-facing output
 * (--status --json, --players --json).
 *
 * The writer puts the commas and the quoting in; the caller says what comes
 * next.  Every string is made terminal-safe first (rc_text_sanitize: valid
 * UTF-8, no control characters), so a script that prints a value it read
 * (jq -r) can never replay a server's escape sequence, then JSON-escaped. */
#ifndef RCONSOLE_CLI_JSON_H
#define RCONSOLE_CLI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct json_w {
	FILE *f;
	unsigned depth;          /* open objects and arrays, at most 31 */
	unsigned long has_item;  /* bit d: level d already holds a value */
	bool after_key;          /* a key was written, its value comes next */
} json_w;

/* Starts writing one document to f. */
void json_init(json_w *j, FILE *f);
/* Opens and closes an object or an array. */
void json_object_begin(json_w *j);
void json_object_end(json_w *j);
void json_array_begin(json_w *j);
void json_array_end(json_w *j);
/* Writes the key of the next member of the open object. */
void json_key(json_w *j, const char *key);
/* Writes a value: a string of len bytes (any bytes), a NUL-terminated
 * string (NULL writes null), an integer, v/1000 with three decimals (a
 * number, whatever the locale), a boolean or null. */
void json_string_len(json_w *j, const char *s, size_t len);
void json_string(json_w *j, const char *s);
void json_int(json_w *j, long long v);
void json_fixed3(json_w *j, long long v);
void json_bool(json_w *j, bool v);
void json_null(json_w *j);
/* Ends the document with a newline. */
void json_finish(json_w *j);

#endif
