/* paste-tail.h: where a bracketed paste ends (no curses).
 *
 * The terminal writes its end marker (ESC [ 201 ~) after the whole paste,
 * but the pasted text may spell the marker itself (not every terminal
 * takes it out), and the rest of the paste ("\rstop\ry") must then stay
 * text, never typed keys, wherever the terminal's writes and the console's
 * reads happen to split it.  So an end marker only ends the paste once the
 * input has been quiet for a moment after it: the caller feeds every input
 * pass, and while an end marker waits (paste_tail.on) every key that
 * follows is held.  A later end marker proves the earlier one was text:
 * what was held is handed on as pasted text (after a begin marker, which
 * also keeps the paste from going stale).  When the caller's timer says
 * the input stayed quiet (paste_tail_expire), the end marker is handed on
 * and then the held keys, as typed keys: a key pressed right after a paste
 * is delayed by the wait, never lost.  A spelled begin marker inside a
 * paste is dropped; a lone end marker (the paste was taken for ended) opens
 * the paste again from the start of its pass.
 *
 * Ownership: paste_tail lives in the caller, zeroed but for the two marker
 * codes; paste_tail_free() frees what it holds. */
#ifndef RCONSOLE_TUI_PASTE_TAIL_H
#define RCONSOLE_TUI_PASTE_TAIL_H

#include <stdbool.h>
#include <stddef.h>

#define PASTE_TAIL_MAX 4096   /* keys held after an end marker, at most */

/* One key or mouse report read from the terminal (tui.c). */
typedef struct tui_key_ev {
	bool fn, alt, mouse, skip;   /* skip: an escape sequence nobody knows */
	bool press;                  /* mouse: pressed (false: released) */
	int code;                    /* key, or the mouse button */
	int y, x;                    /* mouse: screen cell */
} tui_key_ev;

/* Where the events go: out() takes one event (markers are function keys
 * with the marker codes), pasting() says whether a paste is open there. */
typedef struct paste_tail_sink {
	void (*out)(void *arg, const tui_key_ev *ev);
	bool (*pasting)(void *arg);
	void *arg;
} paste_tail_sink;

typedef struct paste_tail {
	int begin, end;      /* the marker codes (function keys) */
	bool on;             /* an end marker waits for the input to go quiet */
	tui_key_ev *held;    /* the keys read since it */
	size_t n, cap;
} paste_tail;

/* Hands the events of one input pass on, holding what follows an end
 * marker. */
void paste_tail_feed(paste_tail *pt, const tui_key_ev *ev, size_t n, const paste_tail_sink *s);
/* The input stayed quiet: ends the paste and hands the held keys on as
 * typed.  Nothing when no end marker waits. */
void paste_tail_expire(paste_tail *pt, const paste_tail_sink *s);
/* Frees the held keys (without handing them on). */
void paste_tail_free(paste_tail *pt);

#endif
