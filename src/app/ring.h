/* ring.h: a bounded transcript — the last N lines of one server's log.
 *
 * Lines are numbered by a sequence that keeps growing (the first line ever
 * pushed is 1), so a view can remember a position that survives eviction.
 * Pushing past capacity drops the oldest line.  Text is stored as given (the
 * caller sanitises server text first); § codes are kept for drawing. */
#ifndef RCONSOLE_APP_RING_H
#define RCONSOLE_APP_RING_H

#include <stddef.h>
#include <stdint.h>

enum app_line_kind {
	APP_LINE_CMD = 0,   /* "> say hello" typed by the user */
	APP_LINE_REPLY,     /* a line of a server reply */
	APP_LINE_JOIN,      /* "+ Carol joined" (derived from refreshes) */
	APP_LINE_LEAVE,     /* "- Carol left" */
	APP_LINE_STATE,     /* connection state change */
	APP_LINE_ERROR,     /* refusal, failure, outcome unknown */
	APP_LINE_INFO,      /* anything else from the console itself */
	APP_LINE_LOG        /* a line of the server's log_file (app-tail.c) */
};

typedef struct app_line {
	int64_t when;              /* wall-clock seconds (for the timestamp) */
	uint8_t kind;              /* enum app_line_kind */
	/* APP_LINE_LOG lines, parsed once when pushed (app_log_parse), so
	 * drawing never parses: log_body is the offset of the message (0 = no
	 * known shape: shown as is), log_stamp the offset of its "HH:MM:SS"
	 * (anywhere before the message: lines are at most APP_LINE_MAX bytes),
	 * log_level an enum app_log_level.  Zero for every other line.  (They
	 * fill the 8 bytes after when with kind: a line costs no more memory.) */
	uint8_t log_level;
	uint16_t log_stamp;
	uint16_t log_body;
	char *text;                /* NUL-terminated UTF-8, no newline */
	size_t len;
} app_line;

typedef struct app_ring app_ring;

/* Creates a ring holding at most cap lines (cap >= 1). */
app_ring *app_ring_new(size_t cap);
void app_ring_free(app_ring *r);
/* Appends a copy of text[len]; returns its sequence number, 0 on ENOMEM. */
uint64_t app_ring_push(app_ring *r, int64_t when, enum app_line_kind kind, const char *text, size_t len);
/* Records where line seq's log_file fields are (see app_line); offsets that
 * do not fit leave the line unparsed (shown as is). */
void app_ring_set_log(app_ring *r, uint64_t seq, unsigned level, size_t stamp, size_t body);
/* Returns the line with sequence seq, or NULL when evicted or not yet pushed. */
const app_line *app_ring_get(const app_ring *r, uint64_t seq);
/* Returns the sequence of the oldest kept line (0 when empty) and of the newest. */
uint64_t app_ring_first(const app_ring *r);
uint64_t app_ring_last(const app_ring *r);
size_t app_ring_count(const app_ring *r);
/* Searches from seq (inclusive) backwards (dir -1) or forwards (dir +1) for a
 * line containing needle (ASCII case-insensitive, § codes ignored in line and
 * needle); returns its sequence or 0.  Backwards from past the newest starts
 * at the newest, forwards from before the oldest at the oldest; forwards past
 * the newest or backwards before the oldest finds nothing.  "" finds nothing. */
uint64_t app_ring_search(const app_ring *r, uint64_t seq, int dir, const char *needle);

#endif
