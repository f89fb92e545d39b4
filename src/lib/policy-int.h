/* policy-int.h: the read-only allowlist in parsed form, for the connection
 * core (core.c, core-reasm.c): a list is parsed once, when a connection is
 * made, and every command is then matched against the parsed entries. */
#ifndef RCONSOLE_POLICY_INT_H
#define RCONSOLE_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>

/* What may follow an entry's words. */
enum policy_tail { TAIL_NONE, TAIL_ONE, TAIL_ANY };

/* A parsed entry: its words (text[0..len), single-spaced printable ASCII)
 * and its tail.  text points into the entry's string. */
struct policy_pat {
	const char *text;
	size_t len;
	enum policy_tail tail;
};

/* Returns rc_policy_default parsed (a static table); *n gets its length. */
const struct policy_pat *policy_default_pats(size_t *n);
/* Parses allow[n] (n 0: up to a NULL) into a new array *out of *count
 * entries that point into the strings (which must outlive it; the caller
 * frees the array).  NULL entries and entries that can never match are
 * left out, so *count may be 0 (nothing allowed).  Returns 0 or RC_ENOMEM. */
int policy_compile(const char *const *allow, size_t n, struct policy_pat **out, size_t *count);
/* Returns true when cmd matches one of pats[n] (rc_policy_allows's rules). */
bool policy_allows_pats(const struct policy_pat *pats, size_t n, const char *cmd);

#endif
