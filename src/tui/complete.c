/* complete.c: command-word, sub-word and player-name completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/complete.h"
#include "tui/console-table.h"
#include "tui/utf8.h"

/* Common commands of vanilla and popular plugins; first words only. */
static const char *const complete_commands[] = {
	"advancement", "ban", "ban-ip", "banlist", "bossbar", "clear", "data",
	"datapack", "defaultgamemode", "deop", "difficulty", "effect", "enchant",
	"execute", "experience", "fill", "forceload", "function", "gamemode",
	"gamerule", "give", "help", "item", "kick", "kill", "list", "locate",
	"me", "msg", "mspt", "op", "pardon", "pardon-ip", "particle", "playsound",
	"recipe", "reload", "save-all", "save-off", "save-on", "say", "schedule",
	"scoreboard", "seed", "setblock", "setidletimeout", "setworldspawn",
	"spawnpoint", "spectate", "spreadplayers", "stop", "stopsound", "summon",
	"tag", "team", "teammsg", "teleport", "tell", "tellraw", "time", "title",
	"tp", "tps", "trigger", "weather", "whitelist", "worldborder", "xp",
};


/* Second words some commands take (the fallback with no tree). */
static const struct complete_sub {
	const char *cmd;
	const char *words;   /* space-separated */
} complete_subs[] = {
	{ "whitelist", "add list off on reload remove" },
	{ "gamemode", "adventure creative spectator survival" },
	{ "defaultgamemode", "adventure creative spectator survival" },
	{ "difficulty", "easy hard normal peaceful" },
	{ "time", "add query set" },
	{ "weather", "clear rain thunder" },
	{ "banlist", "ips players" },
	{ "list", "uuids" },
	{ "save-all", "flush" },
	{ "worldborder", "add center damage get set warning" },
	{ "forceload", "add query remove" },
};

/* Console commands whose argument is a server name. */
static const char *const complete_server_cmds[] = { ":connect", ":disconnect", ":rehash" };

/* Argument names that stand for online players, whatever the command
 * (<destination> is vanilla's tp/teleport target entity: "tp Alice Bob"). */
static const char *const complete_player_args[] = {
	"targets", "target", "player", "players", "targetPlayer", "victim", "member", "members",
	"destination",
};

/* Commands whose <name> (or <names>) argument is a player (vanilla 1.12,
 * Bukkit and plugins call it so). */
static const char *const complete_name_cmds[] = {
	"kick", "ban", "pardon", "msg", "tell", "w", "whisper", "op", "deop", "whitelist",
	"ban-ip", "tp", "teleport", "mail", "r", "seen", "invsee", "mute", "tempban",
};

#define COMPLETE_WORDS 32    /* words of a line looked at */

/* Returns true when s is one of the n strings of table (case-folded). */
static bool complete_in(const char *const *table, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(table[i], s) == 0)
			return true;
	return false;
}

/* Returns true when argument node name of command cmd stands for a player. */
static bool complete_is_player_arg(const char *cmd, const char *name)
{
	if (complete_in(complete_player_args, sizeof(complete_player_args) /
	    sizeof(complete_player_args[0]), name))
		return true;
	return (strcmp(name, "name") == 0 || strcmp(name, "names") == 0) &&
	    complete_in(complete_name_cmds, sizeof(complete_name_cmds) / sizeof(complete_name_cmds[0]),
	    cmd);
}

/* The candidates of the last complete_candidates() that matched but did
 * not fit in its max: how many, and the bytes each shares with the first
 * kept one (the least of them), so the word is never extended to what only
 * the kept ones share ("kick S" to "kick Steve_" with 70 Steve_... online
 * and Sx past them).  Counted, not collected: Tab with 10,000 servers
 * online costs one pass, not a comparison of every pair. */
static struct {
	size_t n;
	size_t share;
} complete_past;

/* Returns how many bytes of a it shares with b at their start, ignoring
 * case as complete_common() does. */
static size_t complete_shared(const char *a, const char *b)
{
	return utf8_fold_shared(a, strlen(a), b, strlen(b), NULL);
}

/* Returns true when s starts with word[0..wl), case-blind in any script. */
static bool complete_starts(const char *s, const char *word, size_t wl)
{
	return utf8_fold_shared(word, wl, s, strlen(s), NULL) == wl;
}

/* Adds a copy of s to out when it starts with word[0..wl) (case-folded when
 * fold); returns the new count.  Past max, s is only counted
 * (complete_past). */
static size_t complete_add(char **out, size_t n, size_t max, const char *s,
    const char *word, size_t wl, bool fold)
{
	if (fold ? !complete_starts(s, word, wl) : strlen(s) < wl || strncmp(s, word, wl) != 0)
		return n;
	if (n >= max) {
		size_t k = n > 0 ? complete_shared(out[0], s) : 0;
		if (complete_past.n++ == 0 || k < complete_past.share)
			complete_past.share = k;
		return n;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i], s) == 0)
			return n;
	char *c = strdup(s);
	if (!c)
		return n;
	out[n] = c;
	return n + 1;
}

/* The words of a line, split by complete_split(): w[0..n) point into buf.
 * Sized to the line, so no word of a long line is left out (a line cut at
 * a fixed size left the words past it out, and w[0] unset when the first
 * one did not fit). */
typedef struct complete_words {
	char *buf;
	const char **w;
	size_t n;
} complete_words;

/* Splits text[0..len) into words (malloc'd; complete_words_free() frees
 * them).  Returns false when out of memory. */
static bool complete_split(const char *text, size_t len, complete_words *cw)
{
	*cw = (complete_words){ 0 };
	size_t max = len / 2 + 1;
	cw->buf = malloc(len + 1 + max * sizeof(*cw->w));
	if (!cw->buf)
		return false;
	cw->w = (const char **)(void *)(cw->buf + ((len + 1 + sizeof(void *) - 1) /
	    sizeof(void *)) * sizeof(void *));
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && text[i] == ' ')
			i++;
		if (i >= len)
			break;
		size_t l = 0;
		while (i + l < len && text[i + l] != ' ')
			l++;
		memcpy(cw->buf + o, text + i, l);
		cw->buf[o + l] = '\0';
		cw->w[cw->n++] = cw->buf + o;
		o += l + 1;
		i += l;
	}
	return true;
}

/* Frees what complete_split() allocated. */
static void complete_words_free(complete_words *cw)
{
	free(cw->buf);
	*cw = (complete_words){ 0 };
}

/* Returns true when a and b are the same name, case-blind in any script. */
static bool complete_same(const char *a, const char *b)
{
	return complete_starts(a, b, strlen(b)) && complete_starts(b, a, strlen(a));
}

/* Adds the online players matching word; skip (NULL: none) is left out
 * unless word already is that name (typed in full, it is meant). */
static size_t complete_players(const complete_src *src, char **out, size_t n, size_t max,
    const char *word, size_t wl, const char *skip)
{
	bool keep = skip && wl == strlen(skip) && complete_starts(skip, word, wl);
	for (size_t j = 0; j < src->n_players; j++)
		if (!skip || keep || !complete_same(src->players[j], skip))
			n = complete_add(out, n, max, src->players[j], word, wl, true);
	return n;
}

/* Returns the player that tree argument name at words w[0..nw) must not
 * offer, or NULL: tp's <destination> after <targets> ("tp Alice " + Tab)
 * is never the player it moves, though vanilla takes "tp Alice Alice". */
static const char *complete_self(const char *name, const char **w, size_t nw)
{
	return nw >= 2 && strcmp(name, "destination") == 0 ? w[nw - 1] : NULL;
}

/* Collects candidates for a server command: words w[0..nw) are typed, the
 * word being completed is word[0..wl). */
static size_t complete_server(const complete_src *src, const char **w, size_t nw,
    const char *word, size_t wl, char **out, size_t max)
{
	size_t n = 0;
	if (nw == 0) {
		const rc_mc_unode *root = rc_mc_usage_root(src->tree);
		if (root && root->n_kids > 0) {
			for (size_t i = 0; i < root->n_kids; i++)
				n = complete_add(out, n, max, root->kids[i]->name, word, wl, true);
			return n;
		}
		for (size_t i = 0; i < sizeof(complete_commands) / sizeof(complete_commands[0]); i++)
			n = complete_add(out, n, max, complete_commands[i], word, wl, true);
		return n;
	}
	if (w[0][0] == '/')
		w[0]++;
	if (src->tree) {
		const rc_mc_unode *at[64];
		bool open = false;
		size_t m = rc_mc_usage_walk(src->tree, w, nw, at, 64, &open);
		bool players = false, any = false;
		const char *skip = NULL;
		for (size_t i = 0; i < m; i++) {
			open |= at[i]->open;
			for (size_t k = 0; k < at[i]->n_kids; k++) {
				const rc_mc_unode *c = at[i]->kids[k];
				any = true;
				if (c->kind == RC_MC_U_LITERAL) {
					n = complete_add(out, n, max, c->name, word, wl, true);
				} else if (complete_is_player_arg(w[0], c->name)) {
					players = true;
					if (!skip)
						skip = complete_self(c->name, w, nw);
				}
			}
		}
		if (players)
			n = complete_players(src, out, n, max, word, wl, skip);
		/* The tree knows this position: its answer stands. */
		if (any || (m > 0 && !open))
			return n;
		if (m == 0 && !open && rc_mc_usage_walk(src->tree, w, 1, at, 1, NULL) > 0)
			return n;   /* a known command, and these words are not in it */
	}
	/* The fixed tables: no tree, an open command, or one the tree lacks. */
	if (nw == 1) {
		for (size_t i = 0; i < sizeof(complete_subs) / sizeof(complete_subs[0]); i++) {
			if (strcasecmp(w[0], complete_subs[i].cmd) != 0 || src->tree)
				continue;
			const char *p = complete_subs[i].words;
			while (*p) {
				char sw[32];
				size_t l = strcspn(p, " ");
				if (l < sizeof(sw)) {
					memcpy(sw, p, l);
					sw[l] = '\0';
					n = complete_add(out, n, max, sw, word, wl, true);
				}
				p += l;
				while (*p == ' ')
					p++;
			}
		}
	}
	return complete_players(src, out, n, max, word, wl, NULL);
}

/* Orders two candidates by byte value (for qsort). */
static int complete_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Collects the console commands (console_table, with their ':') matching
 * word, in alphabetical order; returns how many. */
static size_t complete_console(char **out, size_t max, const char *word, size_t wl)
{
	size_t n = 0;
	for (size_t i = 0; i < console_table_n; i++) {
		char c[40];
		snprintf(c, sizeof(c), ":%s", console_table[i].name);
		n = complete_add(out, n, max, c, word, wl, false);
	}
	qsort(out, n, sizeof(*out), complete_cmp);
	return n;
}

/* Collects the candidates of a line whose words before the cursor's are
 * w[0..nw) (none for the first word); lead is the first non-space byte. */
static size_t complete_line(const char *line, size_t lead, bool first, const char **w, size_t nw,
    const complete_src *src, const char *word, size_t wl, char **out, size_t max)
{
	size_t n = 0;
	if (line[lead] != ':')
		return complete_server(src, w, nw, word, wl, out, max);
	if (first)
		return complete_console(out, max, word, wl);
	if (nw == 0)
		return 0;
	if (nw == 1 && complete_in(complete_server_cmds, sizeof(complete_server_cmds) /
	    sizeof(complete_server_cmds[0]), w[0])) {
		for (size_t j = 0; j < src->n_servers; j++)
			n = complete_add(out, n, max, src->servers[j], word, wl, false);
		return n;
	}
	if (strcmp(w[0], ":tag") == 0 && nw == 1) {
		for (size_t j = 0; j < src->n_tags; j++)
			n = complete_add(out, n, max, src->tags[j], word, wl, true);
		return n;
	}
	if (strcmp(w[0], ":all") == 0)
		return complete_server(src, w + 1, nw - 1, word, wl, out, max);
	if (strcmp(w[0], ":tag") == 0)
		return complete_server(src, w + 2, nw - 2, word, wl, out, max);
	return 0;
}

/* Collects the completion candidates for the word at cur. */
size_t complete_candidates(const char *line, size_t cur, const complete_src *src,
    char **out, size_t max, size_t *from)
{
	size_t start = cur;
	complete_past.n = 0;
	while (start > 0 && line[start - 1] != ' ')
		start--;
	const char *word = line + start;
	size_t wl = cur - start;
	/* Is this the first word of the line? */
	size_t lead = 0;
	while (lead < start && line[lead] == ' ')
		lead++;
	bool first = lead == start;
	if (first && wl > 0 && word[0] == '/') {
		start++;
		word++;
		wl--;
	}
	*from = start;
	complete_words cw = { 0 };
	if (!first && !complete_split(line + lead, start - lead, &cw))
		return 0;
	size_t n = complete_line(line, lead, first, cw.w, cw.n, src, word, wl, out, max);
	complete_words_free(&cw);
	return n;
}

/* Appends s to buf (cap bytes, length *len), truncating. */
static void complete_cat(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t l = strlen(s);
	if (*len + l + 1 > cap)
		l = cap - *len - 1;
	memcpy(buf + *len, s, l);
	*len += l;
	buf[*len] = '\0';
}

/* Describes what may come after the nodes at[0..m): "<targets>",
 * "(day|daytime|gametime)", "[<target>]" when the command may end. */
static void complete_describe(const rc_mc_unode *const *at, size_t m, char *buf, size_t cap,
    size_t *len)
{
	const char *seen[64];
	size_t ns = 0;
	bool end = false;
	for (size_t i = 0; i < m; i++) {
		end |= at[i]->end;
		for (size_t k = 0; k < at[i]->n_kids && ns < 64; k++) {
			bool dup = false;
			for (size_t j = 0; j < ns; j++)
				dup |= seen[j] == at[i]->kids[k]->name ||
				    strcmp(seen[j], at[i]->kids[k]->name) == 0;
			if (!dup)
				seen[ns++] = at[i]->kids[k]->name;
		}
	}
	if (ns == 0)
		return;
	bool group = ns > 1 || end;
	if (group)
		complete_cat(buf, cap, len, end ? "[" : "(");
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		for (size_t c = 0; c < at[i]->n_kids; c++) {
			const rc_mc_unode *kid = at[i]->kids[c];
			size_t j = 0;
			while (j < ns && (!seen[j] || strcmp(seen[j], kid->name) != 0))
				j++;
			if (j >= ns || !seen[j])
				continue;
			seen[j] = NULL;   /* written */
			if (k++)
				complete_cat(buf, cap, len, "|");
			if (kid->kind == RC_MC_U_ARG)
				complete_cat(buf, cap, len, "<");
			complete_cat(buf, cap, len, kid->name);
			if (kid->kind == RC_MC_U_ARG)
				complete_cat(buf, cap, len, ">");
		}
	}
	if (group)
		complete_cat(buf, cap, len, end ? "]" : ")");
}

/* Returns true when some child of at[0..m) could be word[0..wl) once typed. */
static bool complete_could_be(const rc_mc_unode *const *at, size_t m, const char *word, size_t wl)
{
	for (size_t i = 0; i < m; i++) {
		if (at[i]->open || (at[i]->kind == RC_MC_U_ARG && at[i]->n_kids == 0))
			return true;    /* open, or a last argument that takes the rest */
		for (size_t k = 0; k < at[i]->n_kids; k++) {
			const rc_mc_unode *c = at[i]->kids[k];
			if (c->kind == RC_MC_U_ARG || strncasecmp(c->name, word, wl) == 0)
				return true;
		}
	}
	return false;
}

/* complete_hint() for the words w[0..nw) before the cursor's word[0..wl)
 * (colon: the line is a console command). */
static bool complete_hint_words(bool colon, const char **w, size_t nw, const char *word,
    size_t wl, const rc_mc_usage *tree, char *buf, size_t cap, size_t *a, size_t *b, bool *bad)
{
	if (colon) {
		if (nw >= 1 && strcmp(w[0], ":all") == 0) {
			memmove(w, w + 1, (nw - 1) * sizeof(w[0]));
			nw -= 1;
		} else if (nw >= 2 && strcmp(w[0], ":tag") == 0) {
			memmove(w, w + 2, (nw - 2) * sizeof(w[0]));
			nw -= 2;
		} else {
			return false;
		}
	}
	if (nw == 0 && wl > 0 && word[0] == '/') {
		word++;
		wl--;
	}
	if (nw > 0 && w[0][0] == '/')
		w[0]++;
	const rc_mc_unode *at[64];
	size_t len = 0;
	if (nw == 0) {
		/* The command word itself: its usage once it is whole. */
		char cw[128];
		if (wl == 0 || wl >= sizeof(cw))
			return false;
		memcpy(cw, word, wl);
		cw[wl] = '\0';
		const char *one[1] = { cw };
		if (rc_mc_usage_walk(tree, one, 1, at, 1, NULL) == 0) {
			if (complete_could_be((const rc_mc_unode *[]){ rc_mc_usage_root(tree) }, 1, word, wl))
				return false;
			*bad = true;
			snprintf(buf, cap, "unknown command: %s", cw);
			*a = 17;
			*b = strlen(buf);
			return true;
		}
		size_t f, t, shift = 0;
		if (strcasecmp(at[0]->name, cw) != 0) {
			/* An alias ("tp"): the command it stands for, with its usage. */
			complete_cat(buf, cap, &len, cw);
			complete_cat(buf, cap, &len, " -> ");
			shift = len;
		}
		complete_cat(buf, cap, &len, at[0]->usage ? at[0]->usage : at[0]->name);
		if (at[0]->usage && rc_mc_usage_span(at[0]->usage, 0, &f, &t)) {
			*a = shift + f;
			*b = shift + t;
		}
		return true;
	}
	bool open = false;
	size_t m = rc_mc_usage_walk(tree, w, nw, at, 64, &open);
	for (size_t i = 0; i < m; i++)
		open |= at[i]->open;
	if (m == 0) {
		if (open)
			return false;     /* the rest is another command: nothing known */
		/* Find the first word that matches nothing. */
		size_t j = 1;
		while (j < nw && rc_mc_usage_walk(tree, w, j + 1, at, 64, NULL) > 0)
			j++;
		*bad = true;
		if (j == 0 || rc_mc_usage_walk(tree, w, 1, at, 1, NULL) == 0) {
			snprintf(buf, cap, "unknown command: %s", w[0]);
			*a = 17;
		} else {
			snprintf(buf, cap, "%s: no '%s' here", w[0], w[j]);
			*a = strlen(w[0]) + 6;
		}
		*b = strlen(buf);
		return true;
	}
	for (size_t i = 0; i < nw; i++) {
		complete_cat(buf, cap, &len, w[i]);
		complete_cat(buf, cap, &len, " ");
	}
	size_t from = len;
	complete_describe(at, m, buf, cap, &len);
	if (len == from) {
		for (size_t i = 0; i < m; i++)
			open |= at[i]->kind == RC_MC_U_ARG;   /* inside a message or reason */
		if (open)
			return false;
		complete_cat(buf, cap, &len, "(end of command)");
	}
	*a = from;
	*b = len;
	if (wl > 0 && !complete_could_be(at, m, word, wl)) {
		*bad = true;
		char tail[160];
		size_t cut = wl > 100 ? 100 : wl;
		while (cut < wl && cut > 0 && ((unsigned char)word[cut] & 0xC0) == 0x80)
			cut--;     /* never inside a character */
		snprintf(tail, sizeof(tail), " \xe2\x80\x94 no '%.*s' here", (int)cut, word);
		size_t t0 = len;
		complete_cat(buf, cap, &len, tail);
		*a = t0 + 1;
		*b = len;
	}
	return true;
}

/* Writes the usage hint for the line. */
bool complete_hint(const char *line, size_t cur, const rc_mc_usage *tree, char *buf, size_t cap,
    size_t *a, size_t *b, bool *bad)
{
	*a = *b = 0;
	*bad = false;
	if (!tree || cap < 16 || rc_mc_usage_count(tree) == 0)
		return false;
	buf[0] = '\0';
	size_t start = cur;
	while (start > 0 && line[start - 1] != ' ')
		start--;
	size_t lead = 0;
	while (lead < start && line[lead] == ' ')
		lead++;
	complete_words cw;
	if (!complete_split(line + lead, start - lead, &cw))
		return false;
	bool r = complete_hint_words(line[lead] == ':', cw.w, cw.n, line + start, cur - start, tree,
	    buf, cap, a, b, bad);
	complete_words_free(&cw);
	return r;
}

/* Returns the length of the prefix every candidate shares (case-folded). */
static size_t complete_common(char **c, size_t n)
{
	size_t l = strlen(c[0]);
	for (size_t i = 1; i < n; i++) {
		l = utf8_fold_shared(c[0], l, c[i], strlen(c[i]), NULL);
	}
	/* Never stop inside a UTF-8 sequence. */
	while (l > 0 && ((unsigned char)c[0][l] & 0xC0) == 0x80)
		l--;
	return l;
}

/* Frees the candidates of a cycle. */
void complete_reset(complete_state *st)
{
	for (size_t i = 0; i < st->n; i++)
		free(st->cand[i]);
	*st = (complete_state){ 0 };
}

/* Completes the word before the cursor. */
size_t complete_apply(complete_state *st, editor *e, const complete_src *src)
{
	if (st->cycling && st->n > 1) {
		size_t cur = editor_cursor(e);
		editor_replace(e, st->from, cur, st->cand[st->k]);
		st->k = (st->k + 1) % st->n;
		return st->n;
	}
	complete_reset(st);
	size_t from;
	size_t n = complete_candidates(editor_text(e), editor_cursor(e), src,
	    st->cand, COMPLETE_MAX, &from);
	st->n = n;
	st->from = from;
	if (n == 0)
		return 0;
	size_t cur = editor_cursor(e);
	if (n == 1) {
		size_t l = strlen(st->cand[0]);
		char *buf = malloc(l + 2);   /* any length: a tree's word may be long */
		if (!buf) {
			complete_reset(st);
			return 0;
		}
		memcpy(buf, st->cand[0], l);
		bool space = editor_text(e)[cur] != ' ';
		buf[l] = space ? ' ' : '\0';
		buf[l + 1] = '\0';
		int r = editor_replace(e, from, cur, buf);
		free(buf);
		if (r == 0 && !space)
			editor_right(e);
		complete_reset(st);
		return r == 0 ? 1 : 0;
	}
	size_t common = complete_common(st->cand, n);
	if (complete_past.n > 0 && complete_past.share < common) {
		common = complete_past.share;    /* what the ones not kept share too */
		while (common > 0 && ((unsigned char)st->cand[0][common] & 0xC0) == 0x80)
			common--;
	}
	if (common > cur - from) {
		char *pre = strndup(st->cand[0], common);
		if (pre)
			editor_replace(e, from, cur, pre);
		free(pre);
		st->cycling = false;
	} else {
		/* The word typed may already be the first candidate ("Ali" with
		 * Alice and alice2 online): the cycle starts at the next one, so
		 * this Tab changes the line instead of looking like it did nothing. */
		size_t k = strlen(st->cand[0]) == cur - from &&
		    memcmp(editor_text(e) + from, st->cand[0], cur - from) == 0 ? 1 : 0;
		editor_replace(e, from, cur, st->cand[k]);
		st->k = (k + 1) % n;
		st->cycling = true;
	}
	return n;
}

/* Returns the size of the command table. */
size_t complete_command_count(void)
{
	return sizeof(complete_commands) / sizeof(complete_commands[0]);
}

/* Finds the first word of line[len] that the tree does not have. */
bool complete_unknown(const char *line, size_t len, const rc_mc_usage *tree, size_t *from,
    size_t *to)
{
	if (!tree || rc_mc_usage_count(tree) == 0)
		return false;
	char buf[1024];
	const char *w[COMPLETE_WORDS];
	size_t off[COMPLETE_WORDS], wl[COMPLETE_WORDS], nw = 0, o = 0;
	for (size_t i = 0; i < len && nw < COMPLETE_WORDS;) {
		while (i < len && line[i] == ' ')
			i++;
		size_t l = 0;
		while (i + l < len && line[i + l] != ' ')
			l++;
		if (l == 0 || o + l + 1 > sizeof(buf))
			break;
		memcpy(buf + o, line + i, l);
		buf[o + l] = '\0';
		off[nw] = i;
		wl[nw] = l;
		w[nw++] = buf + o;
		o += l + 1;
		i += l;
	}
	if (nw == 0 || w[0][0] == ':')
		return false;
	if (w[0][0] == '/') {
		w[0]++;
		off[0]++;
		wl[0]--;
		if (wl[0] == 0)
			return false;
	}
	const rc_mc_unode *at[64];
	const rc_mc_unode *prev[64];
	prev[0] = rc_mc_usage_root(tree);
	size_t np = 1;
	for (size_t j = 0; j < nw; j++) {
		bool open = false;
		size_t m = rc_mc_usage_walk(tree, w, j + 1, at, 64, &open);
		for (size_t i = 0; i < np; i++)
			open |= prev[i]->open;
		if (m == 0) {
			if (open)
				return false;
			bool last = j + 1 == nw && off[j] + wl[j] == len;
			if (last && complete_could_be(prev, np, w[j], wl[j]))
				return false;   /* still being typed */
			*from = off[j];
			*to = off[j] + wl[j];
			return true;
		}
		memcpy(prev, at, m * sizeof(at[0]));
		np = m;
	}
	return false;
}
