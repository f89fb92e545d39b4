/* output.h: the one-shot modes' stdout — replies, names, status fields —
 * made terminal-safe (no C0 but \n and \t, no C1, no ESC but our own colour
 * sequences), and the rule that keeps --raw away from a terminal. */
#ifndef RCONSOLE_CLI_OUTPUT_H
#define RCONSOLE_CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* A reply written as its fragments arrive, with the same result as
 * cli_out_reply() on the whole: bytes of a character or a § code cut by a
 * fragment boundary are held until the next one, the colour in force is
 * carried across, one trailing newline is dropped at the end.  Memory stays
 * that of one fragment whatever the reply's size. */
typedef struct cli_out_stream {
	FILE *f;
	enum cli_out_mode mode;
	char *label;              /* sanitised name, or NULL */
	char hold[64];            /* unfinished tail of the last fragment */
	size_t n_hold;
	char *work;               /* hold + fragment */
	size_t work_cap;
	bool started;             /* the current line's label is out */
	bool held_nl;             /* a newline not written yet (maybe the last) */
	uint8_t color, attrs;     /* CLI_OUT_COLOR: the style in force */
	uint8_t out_color, out_attrs; /* CLI_OUT_COLOR: the style last written */
	bool styled;              /* CLI_OUT_COLOR: a colour sequence was written */
	bool failed;              /* out of memory: the rest is not written */
} cli_out_stream;

/* Starts a reply on f (name NULL: no label); returns 0 or -1 (ENOMEM). */
int cli_out_stream_begin(cli_out_stream *s, FILE *f, const char *name, enum cli_out_mode mode);
/* Writes what of one fragment can be written now. */
void cli_out_stream_feed(cli_out_stream *s, const char *data, size_t len);
/* Writes the rest and the final newline; frees what s holds. */
void cli_out_stream_end(cli_out_stream *s);
/* Frees what s holds without writing (a reply that never ended). */
void cli_out_stream_drop(cli_out_stream *s);
/* Gives stdout its buffer before anything is written to it: line-buffered
 * when tty (stdout is a terminal), else fully buffered — what stdio picks
 * by itself, without the fstat and ioctl it makes at the first write to
 * find out what the caller already knows. */
void cli_out_stdout(bool tty);
/* Flushes stdout and returns true when a write to it failed, now or before
 * (a closed pipe, a full disk, a closed descriptor); the first time, says
 * "rconsole: cannot write to standard output: <reason>" on stderr.  A
 * script must not get exit 0 for replies that went nowhere. */
bool cli_out_stdout_failed(void);
/* Prints "rconsole: <server>: <reason>" and a newline to stderr (server
 * NULL: "rconsole: <reason>"), the whole line made terminal-safe as a
 * name is (cli_out_field): a reason quotes what the user typed, the
 * environment or a file held, or a server or ssh said, and none of it
 * reaches the terminal raw.  The one way rconsole's cli says what went
 * wrong. */
void cli_error(const char *server, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Gives a closed stdout or stderr /dev/null at the start (see output.c). */
void cli_out_std_fds(void);

#endif
