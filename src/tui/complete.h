/* complete.h: Tab completion on the command line (no curses).
 *
 * The word before the cursor is completed from the server's own command
 * tree when it has one (rc_mc_usage, read by app-tree.c): the first word
 * from its commands (plugin commands too), later words from the literals
 * that may follow the words typed (time q -> time query), and online player
 * names where the tree has a player argument (<targets>, <player>,
 * <target>, <players>, <destination>, or <name> of the commands that take a
 * player).  With no tree (or where the tree knows nothing: an open
 * command), the fixed tables: the common server commands, known second words
 * of some commands (whitelist add, gamemode creative...), and online player
 * names.  On a ':'
 * line: the console commands, server names after :connect/:disconnect/
 * :rehash, tags after :tag, and a server command after ":all " or
 * ":tag TAG ".  One match completes the word and adds a space; several extend the
 * word to their common prefix, and when that adds nothing each further Tab
 * cycles through them.  Player names match without regard to case.
 *
 * Ownership: complete_state lives in the caller; complete_reset() frees what
 * it holds.  The sources' strings are borrowed for the call only. */
#ifndef RCONSOLE_TUI_COMPLETE_H
#define RCONSOLE_TUI_COMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "rconsole/mc.h"
#include "tui/editor.h"

#define COMPLETE_MAX 64   /* candidates kept for cycling */

typedef struct complete_src {
	const char *const *players;
	size_t n_players;
	const char *const *servers;
	size_t n_servers;
	const rc_mc_usage *tree;     /* the server's command tree; NULL = the
	                                fixed tables (a tree could not be read) */
	const char *const *tags;     /* tags of every server, for :tag */
	size_t n_tags;
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
/* Writes the usage hint for the line (cursor at cur) into buf: the words
 * typed so far, then what may come at the cursor's word ("kick <targets>",
 * "time query (day|daytime|gametime)"), that last part at [*a, *b).  *bad
 * is set when a word already typed matches nothing in the tree (not even an
 * open command): buf then names it.  Returns false when there is nothing
 * to show (no tree, a ':' line other than :all/:tag, an empty line). */
bool complete_hint(const char *line, size_t cur, const rc_mc_usage *tree, char *buf, size_t cap,
    size_t *a, size_t *b, bool *bad);
/* Finds the first word of line[len] the tree does not have (not a prefix
 * still being typed at the end, nothing after an open command, nothing on
 * a ':' line): true with its bytes at [*from, *to). */
bool complete_unknown(const char *line, size_t len, const rc_mc_usage *tree, size_t *from,
    size_t *to);
/* Returns the number of words in the server command table (for tests). */
size_t complete_command_count(void);

#endif
