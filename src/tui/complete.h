/* complete.h: Tab completion on the command line (no curses).
 *
 * The word before the cursor is completed from a table: the first word from
 * the common server commands (or, on a ':' line, the console commands),
 * known second words of some commands (whitelist add, gamemode creative...),
 * server names after :connect/:disconnect, and online player names anywhere
 * else.  One match completes the word and adds a space; several extend the
 * word to their common prefix, and when that adds nothing each further Tab
 * cycles through them.  Player names match without regard to case.
 *
 * Ownership: complete_state lives in the caller; complete_reset() frees what
 * it holds.  The sources' strings are borrowed for the call only. */
#ifndef RCONSOLE_TUI_COMPLETE_H
#define RCONSOLE_TUI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/editor.h"

#define COMPLETE_MAX 64   /* candidates kept for cycling */

typedef struct complete_src {
	const char *const *players;
	size_t n_players;
	const char *const *servers;
	size_t n_servers;
} complete_src;

typedef struct complete_state {
	bool cycling;            /* the last key was Tab and it is cycling */
	size_t from;             /* start of the word being completed */
	size_t k;                /* next candidate when cycling */
	size_t n;
	char *cand[COMPLETE_MAX];
} complete_state;

/* Collects candidates for the word ending at cur in line (at most max, each
 * malloc'd into out; the caller frees them).  *from gets the word start.
 * Returns how many were stored. */
size_t complete_candidates(const char *line, size_t cur, const complete_src *src,
    char **out, size_t max, size_t *from);
/* Completes the editor's word (Tab).  Returns the number of candidates
 * (0: nothing happened). */
size_t complete_apply(complete_state *st, editor *e, const complete_src *src);
/* Ends a completion cycle (any key other than Tab) and frees candidates. */
void complete_reset(complete_state *st);
/* Returns the number of words in the server command table (for tests). */
size_t complete_command_count(void);

#endif
