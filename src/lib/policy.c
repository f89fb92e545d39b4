/* policy.c: the read-only allowlist (DESIGN.md section 4).
 *
 * A command is split into words on single spaces after one optional leading
 * '/'.  An entry is a list of words, optionally ending in a tail:
 *   "w1 w2"    the command's words equal the entry's words;
 *   "w1 w2 ?"  ... followed by at most one more word (the default's "help");
 *   "w1 w2 *"  ... followed by any number of words (zero included).
 * Words compare with ASCII letters folded, never with the locale's tables.
 * Deliberately strict, because the allowlist is the only thing between a
 * read-only console and the server's command line:
 *  - any C0 control, DEL, C1 control (NEL included), U+2028/U+2029 or
 *    invalid UTF-8 anywhere refuses the command, so "list\top" cannot hide a
 *    second word from this matcher and a " *" tail cannot be stretched into
 *    something a terminal or a log reader would split;
 *  - the words compared with an entry (and a "?" word) must be printable
 *    ASCII: no look-alike letters or spaces; only a " *" tail may carry
 *    other UTF-8 (chat text in "say *");
 *  - an empty word (leading, trailing or doubled space) refuses it, so the
 *    words seen here are exactly the words the server's parser sees;
 *  - an entry that is not itself made of printable ASCII words never
 *    matches, and a tail alone (" *", "*" is the word "*") allows nothing.
 *
 * The effective list (rc_policy_effective) is the exact intersection when
 * read-only does not come from the profile: the set of commands both the
 * default and the profile's list allow.  Each pattern above denotes a set of
 * word sequences; the intersection of two of them is again one pattern (or
 * nothing), so the result is a list of patterns like any other:
 *   same words:      the narrower tail (exact < "?" < "*");
 *   A's words a proper prefix of B's, k words longer:
 *     A exact        nothing (A has fewer words than any command of B);
 *     A "?", k = 1   B's words exactly (nothing when B's last word is a
 *                    literal "?" or "*", which no entry can say);
 *                    k > 1: nothing;
 *     A "*"          B unchanged;
 *   otherwise        nothing.
 * So "op *" meets no default entry and vanishes, "time query *" becomes the
 * three default "time query" forms, and "help *" becomes "help ?". */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "rconsole/policy.h"
#include "policy-int.h"

/* The default allowlist: commands that only read server state, as words
 * and tail.  One table gives both the public strings (rc_policy_default)
 * and their parsed form, so the connections never parse the default. */
#define POLICY_DEFAULT_LIST(X) \
	X("list", NONE) \
	X("list uuids", NONE) \
	X("seed", NONE) \
	X("banlist", NONE) \
	X("banlist ips", NONE) \
	X("banlist players", NONE) \
	X("whitelist list", NONE) \
	X("time query daytime", NONE) \
	X("time query gametime", NONE) \
	X("time query day", NONE) \
	X("difficulty", NONE) \
	X("tps", NONE) \
	X("mspt", NONE) \
	X("tick query", NONE) \
	X("forge tps", NONE) \
	X("help", ONE)

#define POLICY_SUFFIX_NONE ""
#define POLICY_SUFFIX_ONE " ?"
#define POLICY_AS_TEXT(words, tail) words POLICY_SUFFIX_##tail,
#define POLICY_AS_PAT(words, tail) { words, sizeof words - 1, TAIL_##tail },

const char *const rc_policy_default[] = {
	POLICY_DEFAULT_LIST(POLICY_AS_TEXT)
	NULL
};

static const struct policy_pat policy_default_parsed[] = {
	POLICY_DEFAULT_LIST(POLICY_AS_PAT)
};

/* Returns the number of entries in rc_policy_default. */
size_t rc_policy_default_count(void)
{
	return sizeof rc_policy_default / sizeof rc_policy_default[0] - 1;
}

/* Returns rc_policy_default parsed; *n gets its length. */
const struct policy_pat *policy_default_pats(size_t *n)
{
	*n = sizeof policy_default_parsed / sizeof policy_default_parsed[0];
	return policy_default_parsed;
}

/* Returns ch in lowercase when it is an ASCII capital letter. */
static unsigned char policy_fold(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
}

/* Returns true when s[0..len) is non-empty words of printable ASCII
 * separated by single spaces. */
static bool policy_ascii_words(const char *s, size_t len)
{
	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch > 0x7e)
			return false;
		if (ch == ' ' && s[i + 1] == ' ')
			return false;
	}
	return true;
}

/* Parses an entry (its '/' removed); false when it can never match. */
static bool policy_parse(const char *e, struct policy_pat *p)
{
	size_t n = strlen(e);
	p->text = e;
	p->tail = TAIL_NONE;
	if (n >= 2 && e[n - 2] == ' ' && (e[n - 1] == '*' || e[n - 1] == '?')) {
		p->tail = e[n - 1] == '*' ? TAIL_ANY : TAIL_ONE;
		n -= 2;
	}
	p->len = n;
	return policy_ascii_words(e, n);
}

/* Returns the length of the UTF-8 character at s[0..len) when a command
 * may hold it, or 0: decoded by rc_text_decode (no overlong form,
 * surrogate or value past U+10FFFF), and no C0/DEL, no C1 (U+0080-U+009F,
 * NEL among them), no U+2028/U+2029. */
static size_t policy_char(const char *s, size_t len)
{
	uint32_t cp;
	size_t n = rc_text_decode(s, len, &cp);
	if (cp == RC_TEXT_BAD || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	    cp == 0x2029)
		return 0;
	return n;
}

/* Returns true when the command's text s[0..len) is made of non-empty
 * words separated by single spaces and holds only characters policy_char
 * takes. */
static bool policy_well_formed(const char *s, size_t len)
{
	if (len == 0 || s[0] == ' ')
		return false;
	for (size_t i = 0; i < len;) {
		if (s[i] == ' ' && (i + 1 == len || s[i + 1] == ' '))
			return false;
		size_t n = policy_char(s + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

/* Returns true when a[0..alen) equals b's first alen bytes, folded, and b
 * ends or has a space there: a's words are a prefix of b's words. */
static bool policy_word_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen > blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (policy_fold((unsigned char)a[i]) != policy_fold((unsigned char)b[i]))
			return false;
	return alen == blen || b[alen] == ' ';
}

/* Counts the words of s[0..len) (single-spaced, non-empty). */
static size_t policy_words(const char *s, size_t len)
{
	size_t n = len > 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == ' ';
	return n;
}

/* Matches a well-formed command cmd[0..clen) (its '/' removed) against
 * one pattern. */
static bool policy_match(const struct policy_pat *p, const char *cmd, size_t clen)
{
	if (!policy_word_prefix(p->text, p->len, cmd, clen))
		return false;
	if (p->len == clen)
		return true;
	const char *rest = cmd + p->len + 1;
	size_t rlen = clen - p->len - 1;
	switch (p->tail) {
	case TAIL_NONE:
		return false;
	case TAIL_ONE:
		return policy_ascii_words(rest, rlen) && !memchr(rest, ' ', rlen);
	case TAIL_ANY:
		return true;
	}
	return false;
}

/* Takes a command's leading '/' off and sets *len; NULL when it is not
 * well formed.  The compared words need no check of their own: they must
 * equal an entry's printable ASCII words byte for byte (letters folded). */
static const char *policy_command(const char *cmd, size_t *len)
{
	if (!cmd)
		return NULL;
	if (*cmd == '/')
		cmd++;
	*len = strlen(cmd);
	return policy_well_formed(cmd, *len) ? cmd : NULL;
}

/* Matches a command against a parsed list. */
bool policy_allows_pats(const struct policy_pat *pats, size_t n, const char *cmd)
{
	size_t len;
	if (!(cmd = policy_command(cmd, &len)))
		return false;
	for (size_t i = 0; i < n; i++)
		if (policy_match(&pats[i], cmd, len))
			return true;
	return false;
}

/* Returns true when cmd matches an entry of allow[n] (NULL = the default). */
bool rc_policy_allows(const char *const *allow, size_t n, const char *cmd)
{
	if (!allow) {
		const struct policy_pat *d = policy_default_pats(&n);
		return policy_allows_pats(d, n, cmd);
	}
	size_t len;
	if (!(cmd = policy_command(cmd, &len)))
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *e = allow[i];
		struct policy_pat p;
		if (!e)
			continue;
		if (*e == '/')
			e++;
		if (policy_parse(e, &p) && policy_match(&p, cmd, len))
			return true;
	}
	return false;
}

/* Parses an allowlist once (see policy-int.h). */
int policy_compile(const char *const *allow, size_t n, struct policy_pat **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	if (!allow)
		return 0;
	if (n == 0)
		while (allow[n])
			n++;
	struct policy_pat *v = n ? malloc(n * sizeof *v) : NULL;
	if (n && !v)
		return RC_ENOMEM;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *e = allow[i];
		if (!e)
			continue;
		if (*e == '/')
			e++;
		if (policy_parse(e, &v[k]))
			k++;
	}
	if (k == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*count = k;
	return 0;
}

/* ---- the effective list ---- */

/* Frees a list from rc_policy_effective().  NULL is a no-op. */
void rc_policy_list_free(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}

/* A growing NULL-terminated list of strings. */
struct policy_list {
	char **v;
	size_t n, cap;
};

/* Appends a copy of words[0..len) plus the tail's suffix, unless the list
 * holds it already.  Returns 0 or RC_ENOMEM. */
static int policy_list_add(struct policy_list *l, const char *words, size_t len,
			   enum policy_tail tail)
{
	static const char *const suffix[] = { "", " ?", " *" };
	size_t slen = strlen(suffix[tail]);
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i]) == len + slen && policy_word_prefix(words, len, l->v[i], len + slen) &&
		    strcmp(l->v[i] + len, suffix[tail]) == 0)
			return 0;
	if (l->n + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return RC_ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	char *s = malloc(len + slen + 1);
	if (!s)
		return RC_ENOMEM;
	memcpy(s, words, len);
	memcpy(s + len, suffix[tail], slen + 1);
	l->v[l->n++] = s;
	l->v[l->n] = NULL;
	return 0;
}

/* Returns true when the last word of words[0..len) is "?" or "*". */
static bool policy_last_is_tail(const char *words, size_t len)
{
	return len >= 2 && words[len - 2] == ' ' && (words[len - 1] == '?' || words[len - 1] == '*');
}

/* Adds the intersection of patterns a and b (see the top comment). */
static int policy_meet(struct policy_list *l, const struct policy_pat *a, const struct policy_pat *b)
{
	if (a->len > b->len) {
		const struct policy_pat *t = a;
		a = b;
		b = t;
	}
	if (!policy_word_prefix(a->text, a->len, b->text, b->len))
		return 0;
	if (a->len == b->len)
		return policy_list_add(l, b->text, b->len, a->tail < b->tail ? a->tail : b->tail);
	size_t k = policy_words(b->text, b->len) - policy_words(a->text, a->len);
	switch (a->tail) {
	case TAIL_NONE:
		return 0;
	case TAIL_ONE:
		/* B's words exactly, unless the last is a literal "?" or "*":
		 * written as an entry it would read as a tail, wider than the one
		 * command meant ("help * *" met with "help ?" is "help *" taken
		 * literally), so that meet is dropped: narrower, never wider. */
		if (k != 1 || policy_last_is_tail(b->text, b->len))
			return 0;
		return policy_list_add(l, b->text, b->len, TAIL_NONE);
	case TAIL_ANY:
		return policy_list_add(l, b->text, b->len, b->tail);
	}
	return 0;
}

/* Copies src[n] (n 0: up to NULL) into l, every entry as written. */
static int policy_copy(struct policy_list *l, const char *const *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!src[i])
			continue;
		if (policy_list_add(l, src[i], strlen(src[i]), TAIL_NONE) < 0)
			return RC_ENOMEM;
	}
	return 0;
}

/* Computes the allowlist in force (DESIGN.md section 4): own (a profile's
 * readonly_allow; NULL = none, n 0 = up to NULL) verbatim when the profile
 * itself sets read-only, else the intersection of the default and own (the
 * default when own is NULL). */
int rc_policy_effective(const char *const *own, size_t n, bool own_read_only, char ***out)
{
	*out = NULL;
	if (own && n == 0)
		while (own[n])
			n++;
	struct policy_list l = { NULL, 0, 0 };
	int rc = 0;
	if (!own) {
		rc = policy_copy(&l, rc_policy_default, rc_policy_default_count());
	} else if (own_read_only) {
		rc = policy_copy(&l, own, n);
	} else {
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const char *e = own[i];
			struct policy_pat a;
			if (!e)
				continue;
			if (*e == '/')
				e++;
			if (!policy_parse(e, &a))
				continue;
			size_t nd;
			const struct policy_pat *d = policy_default_pats(&nd);
			for (size_t j = 0; rc == 0 && j < nd; j++)
				rc = policy_meet(&l, &a, &d[j]);
		}
	}
	if (rc == 0 && !l.v) {
		l.v = calloc(1, sizeof *l.v);
		if (!l.v)
			rc = RC_ENOMEM;
	}
	if (rc < 0) {
		rc_policy_list_free(l.v);
		return rc;
	}
	*out = l.v;
	return 0;
}

/* Returns true when entry, met with the default list, still allows some
 * command: false for "op *", for entries that are not ASCII words, and for
 * anything else the flag's intersection would drop. */
bool rc_policy_entry_kept(const char *entry)
{
	char **eff = NULL;
	const char *one[2] = { entry, NULL };
	if (!entry || rc_policy_effective(one, 1, false, &eff) < 0)
		return false;
	bool kept = eff[0] != NULL;
	rc_policy_list_free(eff);
	return kept;
}
