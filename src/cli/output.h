/* output.h: the one-shot modes' stdout — replies, names, status fields —
 * made terminal-safe (no C0 but \n and \t, no C1, no ESC but our own colour
 * sequences), and the rule that keeps --raw away from a terminal. */
#ifndef RCONSOLE_CLI_OUTPUT_H
#define RCONSOLE_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

enum cli_out_mode {
	CLI_OUT_PLAIN = 0,  /* § codes stripped, sanitised */
	CLI_OUT_COLOR,      /* § codes as ANSI colours, sanitised */
	CLI_OUT_RAW         /* byte for byte (--raw) */
};

/* Returns a reply formatted for stdout: body[len] in mode, one trailing
 * newline, each line prefixed with "[name] " when name is not NULL (the name
 * sanitised too).  Malloc'd, caller frees; *out_len gets its length; NULL
 * when out of memory. */
char *cli_out_reply(const char *body, size_t len, const char *name, enum cli_out_mode mode,
    size_t *out_len);
/* Returns a malloc'd copy of s with every control made visible (names,
 * reasons); NULL when out of memory. */
char *cli_out_field(const char *s);
/* Returns the one-line reason --raw is refused (exit 2), or NULL when it may
 * write: not asked, --raw=force, --quiet, or stdout not a terminal. */
const char *cli_out_raw_refusal(bool raw, bool force, bool quiet, bool stdout_tty);

#endif
