/* mc-list.c: one parser for every `list` reply (PROTOCOL.md "list output").
 *
 * The reply is first normalised: § codes are stripped (rc_mc_strip), CR LF
 * becomes LF and trailing whitespace goes (Bukkit's trailing \n, vanilla's
 * "online: " with no players).  The start must then match one header of
 * list_shapes[] exactly (English only: a translated server is UNPARSED, never
 * guessed at):
 *   MODERN     1.13+      There are N of a max of M players online: A, B
 *   FORGE      modded     ... of a max M ... / out of M / out of a maximum M
 *   LEGACY     1.12-      There are N/M players online:A, B  (glued, or a \n)
 *   ANCIENT    1.2-       Connected players: A, B   (count = names, max -1)
 *   ESSENTIALS EssentialsX  There are N out of maximum M players online.
 *              or, with vanished players, There are V/H out of maximum M
 *              players online. (count = V + H), then one "group: A, B" line
 *              per group.
 * Names are split on ", " and trimmed of spaces.  Display names are kept as
 * displayed (team prefixes, Essentials nicknames such as "~Nick", an
 * Essentials "Nick (RealName)" suffix): they are what the server printed, and
 * may not be account names.  On the ESSENTIALS shape only, the tags "[AFK]"
 * and "[HIDDEN]" in front of a name are removed and recorded in
 * rc_mc_player.flags.  When every entry of a non-Essentials list ends in
 * " (<uuid>)" with a well-formed 8-4-4-4-12 hex UUID, the reply is a
 * `list uuids` one: the format becomes UUIDS and the UUID is split off; if
 * only some entries carry one, the reply is UNPARSED.
 *
 * Never a wrong count: the reply is UNPARSED (raw kept, count/max -1, no
 * players) when no header matches, when the number of names differs from the
 * count in the header (truncated reply, a name containing ", ", a plugin line
 * appended, players vanished by a plugin that Essentials does not count),
 * when a name is empty or holds a control character (a stray \n, a NUL), or
 * when a number has more than 7 digits. */
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "mc-int.h"

enum list_body {
	BODY_NAMES,   /* the rest of the reply is one line of names */
	BODY_GROUPS   /* EssentialsX: one "group: names" line per group */
};

/* The known headers.  %c count, %m max, %h vanished players shown on top of
 * the count (EssentialsX); everything else must match literally. */
static const struct list_shape {
	rc_mc_list_format format;
	const char *header;
	enum list_body body;
} list_shapes[] = {
	{ RC_MC_LIST_MODERN, "There are %c of a max of %m players online:", BODY_NAMES },
	{ RC_MC_LIST_FORGE, "There are %c of a max %m players online:", BODY_NAMES },
	{ RC_MC_LIST_FORGE, "There are %c out of a maximum %m players online:", BODY_NAMES },
	{ RC_MC_LIST_FORGE, "There are %c out of %m players online:", BODY_NAMES },
	{ RC_MC_LIST_LEGACY, "There are %c/%m players online:", BODY_NAMES },
	{ RC_MC_LIST_ANCIENT, "Connected players:", BODY_NAMES },
	{ RC_MC_LIST_ESSENTIALS, "There are %c out of maximum %m players online.", BODY_GROUPS },
	{ RC_MC_LIST_ESSENTIALS, "There are %c/%h out of maximum %m players online.", BODY_GROUPS },
};

/* EssentialsX tags that can precede a name, and the flag each one sets. */
static const struct list_tag {
	const char *text;
	unsigned flag;
} list_tags[] = {
	{ "[AFK]", RC_MC_PLAYER_AFK },
	{ "[HIDDEN]", RC_MC_PLAYER_HIDDEN },
};

#define LIST_MAX_DIGITS 7
#define LIST_UUID_LEN 36

/* The numbers a header carried. */
struct list_head {
	long count;
	long max;
	long hidden;
};

/* Reads 1 to LIST_MAX_DIGITS decimal digits at s[*i..len); returns the value or -1. */
static long list_number(const char *s, size_t len, size_t *i)
{
	long v = 0;
	size_t n = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (++n > LIST_MAX_DIGITS)
			return -1;
		v = v * 10 + (s[*i] - '0');
		(*i)++;
	}
	return n ? v : -1;
}

/* Matches the header template tpl at the start of s[len]; fills *h and the
 * length matched.  Returns true on a match. */
static bool list_match(const char *tpl, const char *s, size_t len, struct list_head *h,
    size_t *used)
{
	size_t i = 0;

	h->count = -1;
	h->max = -1;
	h->hidden = 0;
	for (; *tpl; tpl++) {
		if (tpl[0] == '%' && tpl[1] != '\0') {
			long v = list_number(s, len, &i);
			if (v < 0)
				return false;
			tpl++;
			if (*tpl == 'c')
				h->count = v;
			else if (*tpl == 'm')
				h->max = v;
			else
				h->hidden = v;
			continue;
		}
		if (i >= len || s[i] != *tpl)
			return false;
		i++;
	}
	*used = i;
	return true;
}

/* Returns true when s[len] holds a C0 control (NUL included) or DEL, not
 * counting \n when newline_ok is set. */
static bool list_has_control(const char *s, size_t len, bool newline_ok)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 || c == 0x7F) && !(newline_ok && c == '\n'))
			return true;
	}
	return false;
}

/* Returns true when s[0..36) is an 8-4-4-4-12 hexadecimal UUID. */
static bool list_is_uuid(const char *s)
{
	for (size_t i = 0; i < LIST_UUID_LEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}

/* Returns a malloc'd NUL-terminated copy of s[len], or NULL. */
static char *list_dup(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* Counts the ", "-separated entries of s[len] (0 when empty). */
static size_t list_count_entries(const char *s, size_t len)
{
	size_t n = len ? 1 : 0;

	for (size_t i = 0; i + 1 < len; i++)
		if (s[i] == ',' && s[i + 1] == ' ')
			n++;
	return n;
}

/* Adds one entry s[len] to l (room for cap players): trims it, takes
 * Essentials tags off when tags is set.  Returns 0, RC_EINVAL for an empty
 * name or no room, or RC_ENOMEM. */
static int list_add(rc_mc_list *l, size_t cap, const char *s, size_t len, bool tags)
{
	rc_mc_player *p;
	bool again = tags;

	if (l->n_players >= cap)
		return RC_EINVAL;
	p = &l->players[l->n_players];
	p->flags = 0;
	while (len && *s == ' ') {
		s++;
		len--;
	}
	while (again) {
		again = false;
		for (size_t t = 0; t < sizeof list_tags / sizeof list_tags[0]; t++) {
			size_t n = strlen(list_tags[t].text);
			if (len > n && memcmp(s, list_tags[t].text, n) == 0) {
				p->flags |= list_tags[t].flag;
				s += n;
				len -= n;
				while (len && *s == ' ') {
					s++;
					len--;
				}
				again = true;
			}
		}
	}
	while (len && s[len - 1] == ' ')
		len--;
	if (len == 0)
		return RC_EINVAL;
	p->name = list_dup(s, len);
	p->uuid = NULL;
	if (p->name == NULL)
		return RC_ENOMEM;
	l->n_players++;
	return 0;
}

/* Adds the ", "-separated names of s[len] to l (room for cap players). */
static int list_add_names(rc_mc_list *l, size_t cap, const char *s, size_t len, bool tags)
{
	size_t start = 0;

	if (len == 0)
		return 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || (s[i] == ',' && i + 1 < len && s[i + 1] == ' ')) {
			int rc = list_add(l, cap, s + start, i - start, tags);
			if (rc < 0)
				return rc;
			start = i + 2;
			i++;
		}
	}
	return 0;
}

/* Splits " (<uuid>)" off every name when all carry one; returns 0, RC_EINVAL
 * when only some do, or RC_ENOMEM.  *found says whether they did. */
static int list_split_uuids(rc_mc_list *l, bool *found)
{
	size_t with = 0;

	*found = false;
	for (size_t i = 0; i < l->n_players; i++) {
		const char *n = l->players[i].name;
		size_t len = strlen(n);
		if (len > LIST_UUID_LEN + 3 && n[len - 1] == ')' &&
		    memcmp(n + len - LIST_UUID_LEN - 3, " (", 2) == 0 &&
		    list_is_uuid(n + len - LIST_UUID_LEN - 1))
			with++;
	}
	if (with == 0)
		return 0;
	if (with != l->n_players)
		return RC_EINVAL;
	for (size_t i = 0; i < l->n_players; i++) {
		char *n = l->players[i].name;
		size_t len = strlen(n);
		l->players[i].uuid = list_dup(n + len - LIST_UUID_LEN - 1, LIST_UUID_LEN);
		if (l->players[i].uuid == NULL)
			return RC_ENOMEM;
		len -= LIST_UUID_LEN + 3;
		while (n[len - 1] == ' ')
			len--;          /* stops at the entry's first, non-space, byte */
		n[len] = '\0';
	}
	*found = true;
	return 0;
}

/* Reserves room for n players in l. */
static int list_reserve(rc_mc_list *l, size_t n)
{
	if (n == 0)
		return 0;
	l->players = calloc(n, sizeof *l->players);
	return l->players ? 0 : RC_ENOMEM;
}

/* Parses the one line of names after a header. */
static int list_body_names(rc_mc_list *l, const char *s, size_t len)
{
	size_t cap;
	bool uuids;
	int rc;

	while (len && (*s == ' ' || *s == '\n')) {
		s++;
		len--;
	}
	if (list_has_control(s, len, false))
		return RC_EINVAL;
	cap = list_count_entries(s, len);
	rc = list_reserve(l, cap);
	if (rc == 0)
		rc = list_add_names(l, cap, s, len, false);
	if (rc == 0)
		rc = list_split_uuids(l, &uuids);
	if (rc == 0 && uuids)
		l->format = RC_MC_LIST_UUIDS;
	return rc;
}

/* Parses EssentialsX's "group: A, B" lines after the header. */
static int list_body_groups(rc_mc_list *l, const char *s, size_t len)
{
	size_t total = 0, i = 0;
	int rc;

	if (len && *s != '\n')
		return RC_EINVAL;
	if (list_has_control(s, len, true))
		return RC_EINVAL;
	for (size_t k = 0; k < len; k++)
		total += s[k] == '\n' || (s[k] == ',' && k + 1 < len && s[k + 1] == ' ');
	rc = list_reserve(l, total);
	while (rc == 0 && i < len) {
		const char *line = s + i, *nl = memchr(line, '\n', len - i), *colon;
		size_t n = nl ? (size_t)(nl - line) : len - i;

		i += n + 1;
		while (n && line[n - 1] == ' ')
			n--;
		if (n == 0)
			continue;
		colon = memchr(line, ':', n);
		if (colon == NULL || colon == line)
			return RC_EINVAL;
		n -= (size_t)(colon + 1 - line);
		line = colon + 1;
		while (n && *line == ' ') {
			line++;
			n--;
		}
		rc = list_add_names(l, total, line, n, true);
	}
	return rc;
}

/* Frees the players of l and marks it unparsed, keeping raw. */
static void list_unparse(rc_mc_list *l)
{
	for (size_t i = 0; i < l->n_players; i++) {
		free(l->players[i].name);
		free(l->players[i].uuid);
	}
	free(l->players);
	l->players = NULL;
	l->n_players = 0;
	l->format = RC_MC_LIST_UNPARSED;
	l->count = -1;
	l->max = -1;
}

/* Normalises a reply for matching (mc-int.h); the health parser shares it. */
size_t mc_list_normalise(const char *text, size_t len, char *norm)
{
	size_t n = rc_mc_strip(text, len, norm), o = 0;

	for (size_t i = 0; i < n; i++)
		if (!(norm[i] == '\r' && i + 1 < n && norm[i + 1] == '\n'))
			norm[o++] = norm[i];
	while (o && (norm[o - 1] == ' ' || norm[o - 1] == '\n' || norm[o - 1] == '\r' ||
	    norm[o - 1] == '\t'))
		o--;
	norm[o] = '\0';
	return o;
}

/* Parses a `list` reply (see the top of this file). */
int rc_mc_list_parse(const char *text, size_t len, rc_mc_list *out)
{
	char *norm;
	size_t n;
	int rc = RC_EINVAL;

	memset(out, 0, sizeof *out);
	out->count = -1;
	out->max = -1;
	if (text == NULL)
		len = 0;
	if (len == SIZE_MAX)
		return RC_ENOMEM;
	out->raw = list_dup(text ? text : "", len);
	norm = malloc(len + 1);
	if (out->raw == NULL || norm == NULL) {
		free(norm);
		rc_mc_list_clear(out);
		return RC_ENOMEM;
	}
	out->raw_len = len;
	n = mc_list_normalise(out->raw, len, norm);
	for (size_t k = 0; k < sizeof list_shapes / sizeof list_shapes[0]; k++) {
		const struct list_shape *sh = &list_shapes[k];
		struct list_head h;
		size_t used;

		if (!list_match(sh->header, norm, n, &h, &used))
			continue;
		out->format = sh->format;
		if (sh->body == BODY_NAMES)
			rc = list_body_names(out, norm + used, n - used);
		else
			rc = list_body_groups(out, norm + used, n - used);
		if (rc == 0 && sh->format == RC_MC_LIST_ANCIENT)
			h.count = (long)out->n_players;
		else if (rc == 0)
			h.count += h.hidden;
		if (rc == 0 && (size_t)h.count != out->n_players)
			rc = RC_EINVAL;
		out->count = (int)h.count;
		out->max = (int)h.max;
		break;
	}
	free(norm);
	if (rc == RC_ENOMEM) {
		rc_mc_list_clear(out);
		return RC_ENOMEM;
	}
	if (rc < 0)
		list_unparse(out);
	return 0;
}

/* Frees what a list holds and zeroes it. */
void rc_mc_list_clear(rc_mc_list *l)
{
	if (l == NULL)
		return;
	list_unparse(l);
	free(l->raw);
	memset(l, 0, sizeof *l);
}

/* Returns true when name is in the list (byte-exact). */
bool rc_mc_list_has(const rc_mc_list *l, const char *name)
{
	if (l == NULL || name == NULL)
		return false;
	for (size_t i = 0; i < l->n_players; i++)
		if (strcmp(l->players[i].name, name) == 0)
			return true;
	return false;
}

/* One name and where it sits in its list, for sorting. */
struct list_ref {
	const char *name;
	size_t idx;
};

/* Orders refs by name, then by position (qsort comparator). */
static int list_ref_cmp(const void *pa, const void *pb)
{
	const struct list_ref *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);

	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Returns l's names sorted, or NULL (also when l is empty). */
static struct list_ref *list_sorted(const rc_mc_list *l, size_t n)
{
	struct list_ref *r;

	if (n == 0)
		return NULL;
	r = malloc(n * sizeof *r);
	if (r == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		r[i] = (struct list_ref){ l->players[i].name, i };
	qsort(r, n, sizeof *r, list_ref_cmp);
	return r;
}

/* Collects, in list order, the names of l whose mark is false. */
static int list_collect(const rc_mc_list *l, size_t n, const bool *matched,
    const char ***out, size_t *n_out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += !matched[i];
	*out = NULL;
	*n_out = 0;
	if (k == 0)
		return 0;
	*out = malloc(k * sizeof **out);
	if (*out == NULL)
		return RC_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!matched[i])
			(*out)[(*n_out)++] = l->players[i].name;
	return 0;
}

/* Lists who joined (in b, not a) and who left (in a, not b): both lists are
 * sorted once and walked together, O(n log n). */
int rc_mc_list_diff(const rc_mc_list *a, const rc_mc_list *b,
    const char ***joined, size_t *n_joined, const char ***left, size_t *n_left)
{
	size_t na = a ? a->n_players : 0, nb = b ? b->n_players : 0, i = 0, j = 0;
	struct list_ref *ra, *rb;
	bool *ma, *mb;
	int rc;

	*joined = NULL;
	*left = NULL;
	*n_joined = 0;
	*n_left = 0;
	if ((a && a->format == RC_MC_LIST_UNPARSED) || (b && b->format == RC_MC_LIST_UNPARSED))
		return RC_EINVAL;
	ra = list_sorted(a, na);
	rb = list_sorted(b, nb);
	ma = calloc(na + 1, sizeof *ma);
	mb = calloc(nb + 1, sizeof *mb);
	rc = RC_ENOMEM;
	if ((na && ra == NULL) || (nb && rb == NULL) || ma == NULL || mb == NULL)
		goto out;
	while (i < na && j < nb) {
		int c = strcmp(ra[i].name, rb[j].name);
		if (c < 0) {
			i++;
		} else if (c > 0) {
			j++;
		} else {
			ma[ra[i++].idx] = true;
			mb[rb[j++].idx] = true;
		}
	}
	rc = list_collect(b, nb, mb, joined, n_joined);
	if (rc == 0)
		rc = list_collect(a, na, ma, left, n_left);
	if (rc < 0) {
		free(*joined);
		*joined = NULL;
		*n_joined = 0;
	}
out:
	free(ra);
	free(rb);
	free(ma);
	free(mb);
	return rc;
}
