/* fuzz-policy.c: libFuzzer target for the read-only policy, with an oracle
 * written independently of policy.c.
 *
 * Input: byte 0 picks the combination (bit 0: the profile sets read_only
 * itself; bit 1: the profile has a readonly_allow list), then up to eight
 * entries and last the command, separated by newlines.  The list in force is
 * computed with rc_policy_effective() the way every front end does, and:
 *  - allowed => the command holds no C0, DEL, C1 (NEL included), U+2028,
 *    U+2029 or invalid UTF-8;
 *  - allowed => the command equals a default entry (the help form: "help"
 *    and one ASCII word) when the default is in force, matches an explicit
 *    entry word for word when the profile's own list is, and both when
 *    read-only comes from the flag with a profile list (intersection);
 *  - for a command of printable ASCII words the converse holds too, so the
 *    intersection is exact, not merely safe (but for a literal "?" or "*"
 *    last word, which the intersection may refuse: see below). */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/policy.h"

#define MAX_ENTRIES 8

/* The default list spelled out as plain word lists (help's word apart). */
static const char *const oracle_default[] = {
	"list", "list uuids", "seed", "banlist", "banlist ips", "banlist players",
	"whitelist list", "time query daytime", "time query gametime", "time query day",
	"difficulty", "tps", "mspt", "tick query", "forge tps", "help", NULL
};

/* Words of a string split on single spaces (s is not modified), as many
 * as it has: the policy has no limit on words, so neither may the oracle
 * (a fixed 16 once made it call a 20-word command matching "op *" wrong). */
struct words {
	const char **w;
	size_t *len;
	size_t n;
	bool ok;   /* no empty word */
};

/* Splits s[0..n) on spaces; free the result with words_free. */
static struct words split(const char *s, size_t n)
{
	struct words ws = { .n = 0, .ok = n > 0 };
	size_t cap = n / 2 + 1;   /* words are a byte and a space apart at least */
	ws.w = malloc(cap * sizeof *ws.w);
	ws.len = malloc(cap * sizeof *ws.len);
	if (!ws.w || !ws.len)
		abort();
	size_t start = 0;
	for (size_t i = 0; i <= n && ws.ok; i++) {
		if (i < n && s[i] != ' ')
			continue;
		if (i == start) {
			ws.ok = false;
			break;
		}
		ws.w[ws.n] = s + start;
		ws.len[ws.n++] = i - start;
		start = i + 1;
	}
	return ws;
}

/* Frees what split() allocated. */
static void words_free(struct words *ws)
{
	free(ws->w);
	free(ws->len);
}

/* Returns true when every byte of s[0..n) is printable ASCII. */
static bool printable_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* Compares two words, ASCII letters folded. */
static bool same_word(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

/* Returns true when cmd's words match entry word for word: equal, or the
 * entry's words then at most one (" ?") or any (" *") more. */
static bool oracle_entry(const char *entry, const struct words *c)
{
	if (*entry == '/')
		entry++;
	size_t n = strlen(entry);
	struct words e = split(entry, n);
	bool match = e.ok && printable_ascii(entry, n);
	int tail = 0;   /* 0 exact, 1 "?", 2 "*" */
	if (match && e.n >= 2 && e.len[e.n - 1] == 1 &&
	    (e.w[e.n - 1][0] == '*' || e.w[e.n - 1][0] == '?')) {
		tail = e.w[e.n - 1][0] == '*' ? 2 : 1;
		e.n--;
	}
	match = match && c->n >= e.n;
	for (size_t i = 0; match && i < e.n; i++)
		match = printable_ascii(c->w[i], c->len[i]) &&
		    same_word(e.w[i], e.len[i], c->w[i], c->len[i]);
	if (match) {
		size_t extra = c->n - e.n;
		if (tail == 0)
			match = extra == 0;
		else if (tail == 1)
			match = extra == 0 || (extra == 1 && printable_ascii(c->w[e.n], c->len[e.n]));
	}
	words_free(&e);
	return match;
}

/* Returns true when the default list allows the command's words. */
static bool oracle_default_allows(const struct words *c)
{
	for (size_t i = 0; oracle_default[i]; i++)
		if (oracle_entry(oracle_default[i], c))
			return true;
	return c->n == 2 && same_word(c->w[0], c->len[0], "help", 4) &&
	    printable_ascii(c->w[1], c->len[1]);
}

/* Returns true when cmd holds a control character, U+2028/U+2029 or
 * invalid UTF-8 (decoded here independently of policy.c). */
static bool has_forbidden(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char b = s[i];
		if (b < 0x20 || b == 0x7f)
			return true;
		if (b < 0x80) {
			i++;
			continue;
		}
		size_t k = (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
		if (k == 0 || i + k > n)
			return true;
		uint32_t cp = b & (0xff >> (k + 1));
		for (size_t j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return true;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000))
			return true;   /* overlong */
		if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return true;
		if (cp <= 0x9f || cp == 0x2028 || cp == 0x2029)
			return true;
		i += k;
	}
	return false;
}

/* libFuzzer entry point (see the top comment for the input's layout). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	bool own_ro = data[0] & 1, has_own = data[0] & 2;
	char *buf = malloc(size);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';
	/* Entries up to the last newline, the command after it. */
	const char *own[MAX_ENTRIES + 1];
	size_t n_own = 0;
	char *cmd = buf;
	for (char *nl; (nl = memchr(cmd, '\n', strlen(cmd))) && n_own < MAX_ENTRIES;) {
		*nl = '\0';
		own[n_own++] = cmd;
		cmd = nl + 1;
	}
	own[n_own] = NULL;
	size_t cmd_len = strlen(cmd);

	char **eff = NULL;
	if (rc_policy_effective(has_own ? own : NULL, n_own, own_ro, &eff) < 0) {
		free(buf);
		return 0;
	}
	size_t m = 0;
	while (eff[m])
		m++;
	bool allowed = rc_policy_allows((const char *const *)eff, m, cmd);
	rc_policy_list_free(eff);

	const char *c = cmd[0] == '/' ? cmd + 1 : cmd;
	size_t clen = cmd[0] == '/' ? cmd_len - 1 : cmd_len;
	struct words cw = split(c, clen);
	bool def = cw.ok && oracle_default_allows(&cw);
	bool mine = false;
	for (size_t i = 0; cw.ok && i < n_own; i++)
		mine = mine || oracle_entry(own[i], &cw);
	bool want = !has_own ? def : own_ro ? mine : def && mine;

	if (allowed && has_forbidden((const unsigned char *)cmd, cmd_len))
		abort();
	if (allowed && (!cw.ok || !want))
		abort();
	/* Exact for plain ASCII commands: everything the oracle allows passes.
	 * (Wider words in a " *" tail are judged by has_forbidden above.)  One
	 * exception, on the safe side: under the intersection a command whose
	 * last word is a literal "?" or "*" may be refused, as no entry can say
	 * "help ?" without meaning a tail (policy.c drops that meet). */
	bool literal_tail = cw.ok && cw.n >= 2 && cw.len[cw.n - 1] == 1 &&
	    (cw.w[cw.n - 1][0] == '?' || cw.w[cw.n - 1][0] == '*');
	if (!allowed && want && cw.ok && printable_ascii(c, clen) &&
	    !(has_own && !own_ro && literal_tail))
		abort();
	/* The same answers straight from the lists. */
	if (!has_own && allowed != rc_policy_allows(NULL, 0, cmd))
		abort();
	if (has_own && own_ro && allowed != rc_policy_allows(own, n_own, cmd))
		abort();
	/* The intersection may refuse what both lists allow only through the
	 * dropped meet above: a literal "?" or "*" last word. */
	bool both = rc_policy_allows(NULL, 0, cmd) && rc_policy_allows(own, n_own, cmd);
	if (has_own && !own_ro && allowed != both && (allowed || !literal_tail))
		abort();
	words_free(&cw);
	free(buf);
	return 0;
}
