/* mc-usage.c: the server's command tree, parsed from its `help` output.
 *
 * Shapes understood (one message per line; vanilla 1.13+ glues its usages
 * together with no separator, the caller splits them first):
 *   brigadier (1.13+, Fabric, Forge 1.13+):  "/time (add|query|set)",
 *       "/gamemode <gamemode> [<target>]", "/fill <from> <to> <block>
 *       [destroy|hollow|keep|outline|replace]", nested groups
 *       "(<pos>|entity)"; "run ..." and "as <targets> -> execute" leave the
 *       command open (what follows is another command); so does a word
 *       of a required group "(add|list|...)" that no usage continues (a
 *       summary: vanilla's `help` leaves out what follows it).
 *   1.12 and older:  "/time <set|add|query> <value>" (choices of literals in
 *       angle brackets), "/give <player> <item> [amount]" (a bare word in
 *       square brackets is an optional argument), page header
 *       "--- Showing help page 1 of 9 (/help <page>) ---".
 *   Paper/Spigot:  "§e--------- §fHelp: Index (1/9) §e------", then
 *       "§6/warp: §fWarp to a place" — the command word only (open).
 * Everything else that starts with '/' but does not parse (unbalanced
 * brackets, odd characters, too deep or too wide) keeps its command word
 * alone, open: a command is never guessed.  Lines not starting with '/' are
 * headers and descriptions.  § codes are dropped first.
 *
 * The tree merges every usage of a command: each node's children are the
 * words that may follow it, literals matched by name.  A usage is parsed
 * into a scratch tree first and merged only when it parsed, so a bad usage
 * adds nothing but its command word.  Bounds: 4096 bytes per line, 16
 * levels of nesting, 64 alternatives alive at once, 200000 nodes in all. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"

#define USAGE_LINE_MAX 4096
#define USAGE_DEPTH_MAX 16
#define USAGE_FRONT_MAX 64
#define USAGE_NODES_MAX 200000

struct rc_mc_usage {
	rc_mc_unode root;
	size_t nodes;
};

/* A set of nodes a parse has reached. */
typedef struct usage_front {
	rc_mc_unode *n[USAGE_FRONT_MAX];
	size_t k;
} usage_front;

/* The state of parsing one usage. */
typedef struct usage_parser {
	const char *s;
	size_t len;
	size_t i;
	int depth;
	bool legacy;        /* 1.12 rules for <a|b> and [word] */
	bool stopped;       /* "..." or "->": the rest is not ours */
	bool nomem;
	bool last_paren;    /* the last item read was a required group "(a|b)" */
	size_t *nodes;      /* counter shared with the tree */
} usage_parser;

/* Returns true for a character that can be part of a literal word. */
static bool usage_word_char(char c)
{
	return c != ' ' && c != '(' && c != ')' && c != '[' && c != ']' && c != '<' &&
	    c != '>' && c != '|' && (unsigned char)c >= 0x21 && c != 0x7f;
}

/* Returns true for a character of a command word ("minecraft:tp", "ban-ip"). */
static bool usage_cmd_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-' || c == ':' || c == '.';
}

/* Frees a node and everything under it. */
static void usage_node_free(rc_mc_unode *n)
{
	for (size_t k = 0; k < n->n_kids; k++) {
		usage_node_free(n->kids[k]);
		free(n->kids[k]);
	}
	free(n->kids);
	free(n->name);
	free(n->usage);
}

/* Returns n's child of that kind and name, adding it when missing; NULL
 * on ENOMEM or when the node budget is spent. */
static rc_mc_unode *usage_child(rc_mc_unode *n, rc_mc_unode_kind kind, const char *name,
    size_t len, size_t *nodes)
{
	for (size_t k = 0; k < n->n_kids; k++) {
		rc_mc_unode *c = n->kids[k];
		if (c->kind == kind && strlen(c->name) == len && strncmp(c->name, name, len) == 0)
			return c;
	}
	if (*nodes >= USAGE_NODES_MAX)
		return NULL;
	if (n->n_kids == n->cap_kids) {
		size_t cap = n->cap_kids ? n->cap_kids * 2 : 4;
		rc_mc_unode **kids = realloc(n->kids, cap * sizeof(*kids));
		if (!kids)
			return NULL;
		n->kids = kids;
		n->cap_kids = cap;
	}
	rc_mc_unode *c = calloc(1, sizeof(*c));
	if (!c || !(c->name = strndup(name, len))) {
		free(c);
		return NULL;
	}
	c->kind = kind;
	n->kids[n->n_kids++] = c;
	(*nodes)++;
	return c;
}

/* Adds node to front unless it is there; false when the front is full. */
static bool usage_front_add(usage_front *f, rc_mc_unode *node)
{
	for (size_t k = 0; k < f->k; k++)
		if (f->n[k] == node)
			return true;
	if (f->k == USAGE_FRONT_MAX)
		return false;
	f->n[f->k++] = node;
	return true;
}

/* Steps every node of in to its child (kind, name) into out. */
static bool usage_step(usage_parser *p, const usage_front *in, rc_mc_unode_kind kind,
    const char *name, size_t len, usage_front *out)
{
	out->k = 0;
	for (size_t k = 0; k < in->k; k++) {
		rc_mc_unode *c = usage_child(in->n[k], kind, name, len, p->nodes);
		if (!c) {
			p->nomem = *p->nodes < USAGE_NODES_MAX;
			return false;
		}
		if (!usage_front_add(out, c))
			return false;
	}
	return true;
}

/* Skips blanks. */
static void usage_blanks(usage_parser *p)
{
	while (p->i < p->len && p->s[p->i] == ' ')
		p->i++;
}

static bool usage_seq(usage_parser *p, const usage_front *in, usage_front *out);

/* Parses a group "(a|b)" or "[a|b]" whose opener p->s[p->i] is open. */
static bool usage_group(usage_parser *p, const usage_front *in, usage_front *out, char close)
{
	bool optional = close == ']';
	p->i++;
	if (++p->depth > USAGE_DEPTH_MAX)
		return false;
	out->k = 0;
	if (optional)
		for (size_t k = 0; k < in->k; k++)
			if (!usage_front_add(out, in->n[k]))
				return false;
	for (;;) {
		usage_front alt;
		size_t at = p->i;
		if (!usage_seq(p, in, &alt) || p->i == at)
			return false;   /* "()" or "(a|)": nothing is no alternative */
		for (size_t k = 0; k < alt.k; k++)
			if (!usage_front_add(out, alt.n[k]))
				return false;
		if (p->i >= p->len)
			return false;
		if (p->s[p->i] == '|') {
			p->i++;
			continue;
		}
		if (p->s[p->i] != close)
			return false;
		p->i++;
		p->depth--;
		return true;
	}
}

/* Parses "<name>" (an argument) or 1.12's "<a|b|c>" (literal choices). */
static bool usage_angle(usage_parser *p, const usage_front *in, usage_front *out)
{
	size_t start = ++p->i;
	while (p->i < p->len && p->s[p->i] != '>' && p->s[p->i] != '<')
		p->i++;
	if (p->i >= p->len || p->s[p->i] != '>' || p->i == start)
		return false;
	size_t end = p->i++;
	if (!memchr(p->s + start, '|', end - start))
		return usage_step(p, in, RC_MC_U_ARG, p->s + start, end - start, out);
	out->k = 0;
	for (size_t a = start; a <= end;) {
		size_t b = a;
		while (b < end && p->s[b] != '|')
			b++;
		if (b == a)
			return false;
		for (size_t c = a; c < b; c++)
			if (!usage_word_char(p->s[c]))
				return false;
		usage_front one;
		if (!usage_step(p, in, RC_MC_U_LITERAL, p->s + a, b - a, &one))
			return false;
		for (size_t k = 0; k < one.k; k++)
			if (!usage_front_add(out, one.n[k]))
				return false;
		a = b + 1;
	}
	return true;
}

/* Parses 1.12's "[player]" / "[target player]": one optional argument. */
static bool usage_legacy_opt(usage_parser *p, const usage_front *in, usage_front *out)
{
	size_t start = p->i + 1, end = start;
	while (end < p->len && p->s[end] != ']' && p->s[end] != '[' && p->s[end] != '<' &&
	    p->s[end] != '(' && p->s[end] != '|')
		end++;
	if (end >= p->len || p->s[end] != ']' || end == start)
		return false;
	p->i = end + 1;
	if (!usage_step(p, in, RC_MC_U_ARG, p->s + start, end - start, out))
		return false;
	for (size_t k = 0; k < in->k; k++)
		if (!usage_front_add(out, in->n[k]))
			return false;
	return true;
}

/* Marks every node of f open. */
static void usage_open(const usage_front *f)
{
	for (size_t k = 0; k < f->k; k++)
		f->n[k]->open = true;
}

/* Returns true when a 1.12 "[word]" starts at p->i (no brigadier inside). */
static bool usage_is_legacy_opt(const usage_parser *p)
{
	if (!p->legacy)
		return false;
	for (size_t j = p->i + 1; j < p->len && p->s[j] != ']'; j++)
		if (p->s[j] == '<' || p->s[j] == '(' || p->s[j] == '|' || p->s[j] == '[')
			return false;
	return true;
}

/* Parses items up to the end, a '|' or a closer; out gets the nodes reached. */
static bool usage_seq(usage_parser *p, const usage_front *in, usage_front *out)
{
	usage_front cur = *in;
	for (;;) {
		usage_blanks(p);
		if (p->stopped || p->i >= p->len)
			break;
		char c = p->s[p->i];
		if (c == '|' || c == ')' || c == ']')
			break;
		usage_front next;
		bool ok;
		if (c == '(')
			ok = usage_group(p, &cur, &next, ')');
		else if (c == '[' && usage_is_legacy_opt(p))
			ok = usage_legacy_opt(p, &cur, &next);
		else if (c == '[')
			ok = usage_group(p, &cur, &next, ']');
		else if (c == '<')
			ok = usage_angle(p, &cur, &next);
		else if (c == '>')
			ok = false;
		else {
			size_t start = p->i;
			while (p->i < p->len && usage_word_char(p->s[p->i]))
				p->i++;
			size_t l = p->i - start;
			if (l == 0)
				return false;
			if ((l == 2 && memcmp(p->s + start, "->", 2) == 0) ||
			    (l == 3 && memcmp(p->s + start, "...", 3) == 0)) {
				/* The rest is another command: leave it open. */
				usage_open(&cur);
				p->stopped = true;
				p->i = p->len;
				break;
			}
			ok = usage_step(p, &cur, RC_MC_U_LITERAL, p->s + start, l, &next);
		}
		if (!ok)
			return false;
		p->last_paren = c == '(';
		cur = next;
	}
	*out = cur;
	return true;
}

/* Merges scratch node src's children into dst (src is emptied). */
static bool usage_merge(rc_mc_unode *dst, rc_mc_unode *src, size_t *nodes)
{
	dst->end |= src->end;
	dst->open |= src->open;
	for (size_t k = 0; k < src->n_kids; k++) {
		rc_mc_unode *s = src->kids[k];
		rc_mc_unode *d = usage_child(dst, s->kind, s->name, strlen(s->name), nodes);
		if (!d || !usage_merge(d, s, nodes))
			return false;
	}
	return true;
}

/* Copies line without § codes (C2 A7 + one character), trimmed, into buf. */
static size_t usage_clean(const char *line, size_t len, char *buf, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < cap; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == 0xC2 && i + 1 < len && (unsigned char)line[i + 1] == 0xA7) {
			i += 2;   /* and the code character (ASCII when it is a code) */
			continue;
		}
		if (c == '\t' || c == '\r')
			c = ' ';
		buf[n++] = (char)c;
	}
	size_t a = 0;
	while (a < n && buf[a] == ' ')
		a++;
	while (n > a && buf[n - 1] == ' ')
		n--;
	memmove(buf, buf + a, n - a);
	buf[n - a] = '\0';
	return n - a;
}

/* Returns true when s looks like 1.12 syntax: "<a|b>" choices, or a bare
 * "[word]" where brigadier would write "[<word>]". */
static bool usage_looks_legacy(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '<') {
			for (size_t j = i + 1; j < len && s[j] != '>'; j++)
				if (s[j] == '|')
					return true;
		} else if (s[i] == '[' && i + 1 < len && s[i + 1] != '<' && s[i + 1] != '(') {
			size_t j = i + 1;
			while (j < len && s[j] != ']' && s[j] != '|' && s[j] != '[' && s[j] != '<')
				j++;
			if (j < len && s[j] == ']' && !memchr(s + i, '|', j - i)) {
				/* "[destroy|keep]" is brigadier; "[player]" may be either:
				 * only the pipe-less word with a capital or a space is 1.12. */
				for (size_t k = i + 1; k < j; k++)
					if (s[k] == ' ' || (s[k] >= 'A' && s[k] <= 'Z'))
						return true;
			}
		}
	}
	return false;
}

/* Adds one cleaned usage s[len] (no '/'); legacy forces 1.12 rules. */
static int usage_add_clean(rc_mc_usage *u, const char *s, size_t len, bool legacy)
{
	size_t w = 0;
	while (w < len && usage_cmd_char(s[w]))
		w++;
	if (w == 0 || (w < len && s[w] != ' '))
		return 0;
	bool paper = s[w - 1] == ':';   /* "/warp: description" */
	if (paper && --w == 0)
		return 0;
	/* 1.12's "/tp [target player] <destination player> OR /tp ...": two. */
	for (size_t i = w; i + 5 <= len; i++) {
		if (memcmp(s + i, " OR /", 5) != 0)
			continue;
		int rc = usage_add_clean(u, s, i, legacy);
		if (rc <= 0)
			return rc;
		rc = usage_add_clean(u, s + i + 5, len - i - 5, legacy);
		return rc < 0 ? rc : 1;
	}
	rc_mc_unode *cmd = usage_child(&u->root, RC_MC_U_LITERAL, s, w, &u->nodes);
	if (!cmd)
		return RC_ENOMEM;
	if (paper) {
		/* Paper/Spigot "/warp: description": the word only. */
		cmd->open = true;
		return 1;
	}
	for (size_t i = w; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			cmd->open = true;   /* control characters: no shape we know */
			return 1;
		}
	}
	rc_mc_unode scratch = { 0 };
	size_t budget = u->nodes;
	usage_parser p = { .s = s, .len = len, .i = w, .nodes = &budget,
	    .legacy = legacy || usage_looks_legacy(s + w, len - w) };
	usage_front in = { .n = { &scratch }, .k = 1 }, out;
	bool ok = usage_seq(&p, &in, &out) && p.i >= len;
	if (ok) {
		/* "/time (add|query|set)" summarises: what follows add/query/set
		 * is left out, so a usage ending in a required group does not say
		 * the command may end there.  Anything else does. */
		for (size_t k = 0; k < out.k && !p.last_paren; k++)
			out.n[k]->end = true;
		ok = usage_merge(cmd, &scratch, &u->nodes);
	}
	usage_node_free(&scratch);
	if (!ok) {
		if (p.nomem)
			return RC_ENOMEM;
		cmd->open = true;
	}
	if (!cmd->usage && !(cmd->usage = strndup(s, len)))
		return RC_ENOMEM;
	return 1;
}

/* Opens every node under n where the command may not end and nothing is
 * known to follow: "/scoreboard objectives (add|list|...)" summarises what
 * follows add, so "scoreboard objectives add kills dummy" is not wrong. */
static void usage_open_leaves(rc_mc_unode *n)
{
	for (size_t k = 0; k < n->n_kids; k++) {
		rc_mc_unode *c = n->kids[k];
		if (c->n_kids == 0 && !c->end)
			c->open = true;
		usage_open_leaves(c);
	}
}

/* Reads the page count of a paged help header; -1 when s is not one. */
static int usage_pages(const char *s)
{
	const char *h = strstr(s, "Help: Index (");
	if (h) {
		const char *sl = strchr(h, '/');
		if (sl)
			return atoi(sl + 1);
	}
	h = strstr(s, "Showing help page ");
	if (h) {
		const char *of = strstr(h, " of ");
		if (of)
			return atoi(of + 4);
	}
	return -1;
}

/* Creates an empty tree. */
rc_mc_usage *rc_mc_usage_new(void)
{
	return calloc(1, sizeof(rc_mc_usage));
}

/* Frees a tree. */
void rc_mc_usage_free(rc_mc_usage *u)
{
	if (!u)
		return;
	usage_node_free(&u->root);
	free(u);
}

/* Adds one usage line ('/' optional). */
int rc_mc_usage_add_line(rc_mc_usage *u, const char *line, size_t len)
{
	if (!u || !line)
		return RC_EINVAL;
	if (len > USAGE_LINE_MAX)
		len = USAGE_LINE_MAX;
	char buf[USAGE_LINE_MAX + 1];
	size_t n = usage_clean(line, len, buf, sizeof(buf));
	const char *s = buf;
	if (n > 0 && s[0] == '/') {
		s++;
		n--;
	}
	int rc = usage_add_clean(u, s, n, false);
	usage_open_leaves(&u->root);
	return rc;
}

/* Adds every usage of a help reply. */
int rc_mc_usage_add_help(rc_mc_usage *u, const char *text, size_t len, int *pages)
{
	if (!u || (!text && len))
		return RC_EINVAL;
	int added = 0;
	bool legacy = false;
	char buf[USAGE_LINE_MAX + 1];
	for (size_t off = 0; off < len;) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (text + off)) : len - off;
		size_t n = usage_clean(text + off, l > USAGE_LINE_MAX ? USAGE_LINE_MAX : l, buf, sizeof(buf));
		off += l + (nl != NULL);
		if (n == 0)
			continue;
		if (buf[0] != '/') {
			int np = usage_pages(buf);
			if (np > 0 && np < 10000 && pages)
				*pages = np;
			legacy |= strstr(buf, "Showing help page ") != NULL;
			continue;
		}
		int rc = usage_add_clean(u, buf + 1, n - 1, legacy);
		if (rc < 0)
			return rc;
		added += rc;
	}
	/* After every usage is merged: a later one may say what follows. */
	usage_open_leaves(&u->root);
	return added;
}

/* Returns the root. */
const rc_mc_unode *rc_mc_usage_root(const rc_mc_usage *u)
{
	return u ? &u->root : NULL;
}

/* Returns the number of commands. */
size_t rc_mc_usage_count(const rc_mc_usage *u)
{
	return u ? u->root.n_kids : 0;
}

/* Returns the command node cmd stands for when its usage is an alias of a
 * whole command ("xp -> experience", "tp -> teleport") and the tree has
 * that command; else cmd. */
static const rc_mc_unode *usage_alias_target(const rc_mc_usage *u, const rc_mc_unode *cmd)
{
	size_t f1, t1, f2, t2, f3, t3;
	if (!cmd->usage || !rc_mc_usage_span(cmd->usage, 1, &f1, &t1) || t1 - f1 != 2 ||
	    strncmp(cmd->usage + f1, "->", 2) != 0 || !rc_mc_usage_span(cmd->usage, 2, &f2, &t2) ||
	    rc_mc_usage_span(cmd->usage, 3, &f3, &t3))
		return cmd;
	const char *target = cmd->usage + f2;
	size_t len = t2 - f2;
	for (size_t c = 0; c < u->root.n_kids; c++) {
		const rc_mc_unode *k = u->root.kids[c];
		if (k != cmd && strlen(k->name) == len && strncasecmp(k->name, target, len) == 0)
			return k;
	}
	return cmd;
}

/* Follows words from the root. */
size_t rc_mc_usage_walk(const rc_mc_usage *u, const char *const *words, size_t n,
    const rc_mc_unode **out, size_t max, bool *open)
{
	if (open)
		*open = false;
	if (!u || max == 0)
		return 0;
	const rc_mc_unode *cur[USAGE_FRONT_MAX], *next[USAGE_FRONT_MAX];
	size_t k = 1;
	cur[0] = &u->root;
	for (size_t w = 0; w < n && k > 0; w++) {
		size_t m = 0;
		for (size_t i = 0; i < k; i++) {
			const rc_mc_unode *node = cur[i];
			if (node->open && open)
				*open = true;
			size_t before = m;
			for (size_t c = 0; c < node->n_kids && m < USAGE_FRONT_MAX; c++) {
				const rc_mc_unode *kid = node->kids[c];
				if (w == 0 && kid->kind != RC_MC_U_LITERAL)
					continue;
				if (kid->kind == RC_MC_U_ARG || strcasecmp(kid->name, words[w]) == 0)
					next[m++] = w == 0 ? usage_alias_target(u, kid) : kid;
			}
			/* An argument that ends its usage may take the rest of the line
			 * (say <message>, kick <targets> [<reason>]). */
			if (m == before && node->kind == RC_MC_U_ARG && node->n_kids == 0 &&
			    m < USAGE_FRONT_MAX)
				next[m++] = node;
		}
		memcpy(cur, next, m * sizeof(cur[0]));
		k = m;
	}
	size_t r = k < max ? k : max;
	memcpy(out, cur, r * sizeof(cur[0]));
	return r;
}

/* Finds the span of top-level element k of a usage string. */
bool rc_mc_usage_span(const char *usage, size_t k, size_t *from, size_t *to)
{
	if (!usage)
		return false;
	size_t i = 0, len = strlen(usage), idx = 0;
	for (;;) {
		while (i < len && usage[i] == ' ')
			i++;
		if (i >= len)
			return false;
		size_t start = i;
		int depth = 0;
		while (i < len && (depth > 0 || usage[i] != ' ')) {
			char c = usage[i];
			if (c == '(' || c == '[' || c == '<')
				depth++;
			else if ((c == ')' || c == ']' || c == '>') && depth > 0)
				depth--;
			i++;
		}
		if (idx++ == k) {
			*from = start;
			*to = i;
			return true;
		}
	}
}
