/* policy.c: the read-only allowlist (DESIGN.md section 4).
 *
 * A command is split into words on single spaces after one optional leading
 * '/'.  It is allowed when its words equal an entry's words (ASCII letters
 * compared without case), or when the entry ends in " *" and the command's
 * words start with the entry's other words.  Deliberately strict, because
 * the allowlist is the only thing between a read-only console and the
 * server's command line:
 *  - any control byte (tab, ESC, DEL, ...) refuses the command, so "list\top"
 *    cannot hide a second word from this matcher;
 *  - an empty word (leading, trailing or doubled space) refuses it, so the
 *    words seen here are exactly the words the server's parser sees;
 *  - only ASCII is folded, never with the locale's tables;
 *  - a lone "*" entry is the word "*", not "allow everything". */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "rconsole/policy.h"

/* The default allowlist: commands that only read server state. */
const char *const rc_policy_default[] = {
	"list",
	"list uuids",
	"seed",
	"banlist",
	"banlist ips",
	"banlist players",
	"whitelist list",
	"time query daytime",
	"time query gametime",
	"time query day",
	"difficulty",
	"tps",
	"mspt",
	NULL
};

/* Returns the number of entries in rc_policy_default. */
size_t rc_policy_default_count(void)
{
	return sizeof rc_policy_default / sizeof rc_policy_default[0] - 1;
}

/* Returns ch in lowercase when it is an ASCII capital letter. */
static unsigned char policy_fold(unsigned char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (unsigned char)(ch - 'A' + 'a') : ch;
}

/* Returns true when the command's text is made of non-empty words
 * separated by single spaces and holds no control byte. */
static bool policy_well_formed(const char *s)
{
	if (*s == '\0' || *s == ' ')
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return false;
		if (*p == ' ' && (p[1] == ' ' || p[1] == '\0'))
			return false;
	}
	return true;
}

/* Matches cmd against one entry; both have their '/' already removed. */
static bool policy_match(const char *entry, const char *cmd)
{
	size_t n = strlen(entry);
	bool wild = n >= 2 && entry[n - 1] == '*' && entry[n - 2] == ' ';
	if (wild)
		n -= 2;
	if (n == 0)
		return false;   /* " *" alone would allow everything */
	size_t i = 0;
	for (; i < n; i++) {
		if (cmd[i] == '\0' || policy_fold((unsigned char)cmd[i]) !=
		    policy_fold((unsigned char)entry[i]))
			return false;
	}
	if (cmd[i] == '\0')
		return true;
	return wild && cmd[i] == ' ';
}

/* Returns true when cmd matches an entry of allow[n] (NULL = the default). */
bool rc_policy_allows(const char *const *allow, size_t n, const char *cmd)
{
	if (!cmd)
		return false;
	if (*cmd == '/')
		cmd++;
	if (!policy_well_formed(cmd))
		return false;
	if (!allow) {
		allow = rc_policy_default;
		n = rc_policy_default_count();
	}
	for (size_t i = 0; i < n; i++) {
		const char *e = allow[i];
		if (!e)
			continue;
		if (*e == '/')
			e++;
		if (policy_match(e, cmd))
			return true;
	}
	return false;
}
