/* editor.h: the command line's text and cursor — a small Emacs-style line
 * editor with a one-entry kill buffer and history browsing (no curses).
 *
 * The text is UTF-8 and always valid: insertion drops control characters
 * (a newline is the caller's Enter, never part of a line) and invalid bytes.
 * The cursor is a byte offset that always sits on a character boundary
 * (utf8.h: a code point and its combining marks).  Consecutive kills append
 * to the kill buffer as in Emacs; yank inserts it.
 *
 * History is read through editor_hist, so the editor does not depend on where
 * entries are stored: get(arg, i) returns entry i, 0 being the oldest.
 * Browsing keeps the line being typed and brings it back after the newest.
 *
 * Ownership: editor_new() returns an editor freed with editor_free();
 * editor_text() points into the editor and is valid until the next change. */
#ifndef RCONSOLE_TUI_EDITOR_H
#define RCONSOLE_TUI_EDITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EDITOR_MAX 8192   /* longest line in bytes (beyond any dialect's limit) */

typedef struct editor editor;

typedef struct editor_hist {
	size_t (*count)(void *arg);
	const char *(*get)(void *arg, size_t i);
	void *arg;
} editor_hist;

/* Creates an empty editor; NULL when out of memory. */
editor *editor_new(void);
/* Frees the editor.  NULL is a no-op. */
void editor_free(editor *e);

/* Returns the text (NUL-terminated), its length and the cursor offset. */
const char *editor_text(const editor *e);
size_t editor_len(const editor *e);
size_t editor_cursor(const editor *e);

/* Replaces the text, cursor at the end (0, RC_ENOMEM, RC_ETOOLONG). */
int editor_set(editor *e, const char *text);
/* Empties the line (the kill buffer stays). */
void editor_clear(editor *e);
/* Empties the line and the kill buffer, overwriting both (after a password). */
void editor_wipe(editor *e);
/* Puts the cursor at off, moved back to a character boundary. */
void editor_set_cursor(editor *e, size_t off);

/* Inserts s[0..len) at the cursor, dropping controls and invalid bytes (tab
 * becomes a space).  Returns 0, RC_ENOMEM or RC_ETOOLONG (nothing inserted). */
int editor_insert(editor *e, const char *s, size_t len);
/* Inserts one code point. */
int editor_insert_cp(editor *e, uint32_t cp);
/* Replaces bytes [from, to) with s (for completion); cursor after it. */
int editor_replace(editor *e, size_t from, size_t to, const char *s);

/* Cursor movement; each returns true when the cursor moved. */
bool editor_left(editor *e);
bool editor_right(editor *e);
bool editor_home(editor *e);
bool editor_end(editor *e);
bool editor_word_left(editor *e);    /* M-b */
bool editor_word_right(editor *e);   /* M-f */

/* Deletion; each returns true when something was deleted. */
bool editor_backspace(editor *e);    /* Backspace */
bool editor_delete(editor *e);       /* C-d, Delete */
bool editor_kill_end(editor *e);     /* C-k */
bool editor_kill_start(editor *e);   /* C-u */
bool editor_kill_word_back(editor *e); /* C-w: back to whitespace */
bool editor_kill_word_fwd(editor *e);  /* M-d: to the end of the next word */
/* Inserts the kill buffer at the cursor (C-y). */
int editor_yank(editor *e);
/* Returns the kill buffer ("" when empty). */
const char *editor_killed(const editor *e);

/* Shows the previous (older) history entry; false when there is none. */
bool editor_history_prev(editor *e, const editor_hist *h);
/* Shows the next (newer) entry, or the saved line after the newest. */
bool editor_history_next(editor *e, const editor_hist *h);
/* Forgets history browsing (after Enter, or when history changes). */
void editor_history_reset(editor *e);
/* Returns the index being shown, -1 for the line being typed. */
long editor_history_pos(const editor *e);
/* Returns the newest index < before whose entry contains needle, or -1. */
long editor_history_find(const editor_hist *h, long before, const char *needle);

/* Scrolls the view so the cursor shows in width columns (width >= 1).
 * *start gets the first byte shown, *col the cursor's column.  masked counts
 * every character as one column (password entry). */
void editor_view(editor *e, int width, bool masked, size_t *start, int *col);

#endif
