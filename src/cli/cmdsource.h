/* cmdsource.h: the commands of a -c run, in order — the -c values, with "-"
 * standing for standard input read line by line as it arrives.
 *
 * Commands are numbered from 0 in the order they are to be sent.  The source
 * keeps a small window of them (CMDSOURCE_WINDOW) until every reader has
 * released them, so memory stays flat for any amount of input: when the
 * window is full it stops taking bytes, and the caller stops reading stdin.
 * A stdin line longer than max_line is refused the moment it is seen (its
 * bytes are skipped, never stored) through the refuse callback, with its
 * line number.  By default blank lines and lines starting with '#' are
 * skipped, surrounding whitespace (space, tab, CR, VT, FF) is trimmed and a
 * UTF-8 byte order mark opening stdin is dropped;
 * one leading '/' is dropped from every -c value and (but with
 * CMDSOURCE_RAW_INPUT) from every stdin line, as the console and the server
 * drop it, so "/list" is "list" for the read-only allowlist too ('/' alone
 * on a line is refused); with CMDSOURCE_RAW_INPUT only the line ending (LF or CR LF) is taken off
 * and only empty lines are skipped (RCON cannot send an empty command).  A
 * NUL inside a line becomes LF, so the connection refuses the line instead of
 * sending it cut short.  A second "-" reads nothing more.
 *
 * The source never blocks: cmdsource_read() does one read() and is meant to
 * be called when poll() says the fd is readable; cmdsource_feed() and
 * cmdsource_end() are the same without an fd (tests, fuzzing).  Ownership:
 * the -c strings are borrowed and must outlive the source; the text
 * cmdsource_get() returns is valid until that command is released. */
#ifndef RCONSOLE_CLI_CMDSOURCE_H
#define RCONSOLE_CLI_CMDSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDSOURCE_WINDOW 64          /* commands held at most */
#define CMDSOURCE_RAW_INPUT 1u       /* flag: stdin lines as they are */

enum cmdsource_status { CMDSOURCE_OK = 0, CMDSOURCE_WAIT, CMDSOURCE_END };

typedef struct cmdsource cmdsource;

/* Called when stdin line `line` (1-based) is refused; why is one phrase. */
typedef void (*cmdsource_refuse_cb)(void *arg, size_t line, const char *why);

/* Creates the source for the -c values cmds[n] ("-" = stdin); stdin lines
 * over max_line bytes are refused.  Returns NULL when out of memory. */
cmdsource *cmdsource_new(const char *const *cmds, size_t n, size_t max_line, unsigned flags,
    cmdsource_refuse_cb refuse, void *arg);
/* Frees the source (NULL is a no-op). */
void cmdsource_free(cmdsource *cs);

/* Takes stdin bytes; returns how many it took (fewer than len when the
 * window is full: feed the rest after a release). */
size_t cmdsource_feed(cmdsource *cs, const char *buf, size_t len);
/* Marks the end of stdin (a last line without a newline still counts). */
void cmdsource_end(cmdsource *cs);
/* Tells whether the source wants stdin bytes now (watch the fd for input). */
bool cmdsource_wants_input(const cmdsource *cs);
/* Reads once from fd (when poll() said it is readable) and takes what came;
 * end of file ends stdin.  Returns 0, or -1 with errno set on a read error
 * (EINTR and EAGAIN are not errors). */
int cmdsource_read(cmdsource *cs, int fd);

/* Gets command seq: CMDSOURCE_OK with *text and *line (its stdin line
 * number, 0 for a -c value; either pointer may be NULL), CMDSOURCE_WAIT when
 * it has not arrived yet, CMDSOURCE_END when there are only seq commands. */
enum cmdsource_status cmdsource_get(const cmdsource *cs, uint64_t seq, const char **text,
    size_t *line);
/* Lets go of every command before seq (no reader needs them again). */
void cmdsource_release(cmdsource *cs, uint64_t seq);
/* Returns how many commands have arrived so far. */
uint64_t cmdsource_count(const cmdsource *cs);
/* Tells whether every command has arrived (count is final). */
bool cmdsource_complete(const cmdsource *cs);

#endif
