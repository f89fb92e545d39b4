/* complete.c: command-word, sub-word and player-name completion. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/complete.h"

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

/* Console commands (lines starting with ':'). */
static const char *const complete_console[] = {
	":add", ":all", ":connect", ":disconnect", ":help", ":quit", ":save", ":tag",
};

/* Second words some commands take. */
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
static const char *const complete_server_cmds[] = { ":connect", ":disconnect" };

/* Adds a copy of s to out when it starts with word[0..wl) (case-folded when
 * fold); returns the new count. */
static size_t complete_add(char **out, size_t n, size_t max, const char *s,
    const char *word, size_t wl, bool fold)
{
	if (n >= max)
		return n;
	if (strlen(s) < wl)
		return n;
	if (fold ? strncasecmp(s, word, wl) != 0 : strncmp(s, word, wl) != 0)
		return n;
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i], s) == 0)
			return n;
	char *c = strdup(s);
	if (!c)
		return n;
	out[n] = c;
	return n + 1;
}

/* Copies the first word of line into buf (cap bytes, truncated). */
static void complete_first_word(const char *line, char *buf, size_t cap)
{
	while (*line == ' ')
		line++;
	if (*line == '/')
		line++;
	size_t n = strcspn(line, " ");
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, line, n);
	buf[n] = '\0';
}

/* Collects the completion candidates for the word at cur. */
size_t complete_candidates(const char *line, size_t cur, const complete_src *src,
    char **out, size_t max, size_t *from)
{
	size_t start = cur;
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
	size_t n = 0;
	if (first && line[lead] == ':') {
		for (size_t i = 0; i < sizeof(complete_console) / sizeof(complete_console[0]); i++)
			n = complete_add(out, n, max, complete_console[i], word, wl, false);
		return n;
	}
	if (first) {
		for (size_t i = 0; i < sizeof(complete_commands) / sizeof(complete_commands[0]); i++)
			n = complete_add(out, n, max, complete_commands[i], word, wl, true);
		return n;
	}
	char cmd[32];
	complete_first_word(line, cmd, sizeof(cmd));
	for (size_t i = 0; i < sizeof(complete_server_cmds) / sizeof(complete_server_cmds[0]); i++) {
		if (strcmp(cmd, complete_server_cmds[i]) != 0)
			continue;
		for (size_t j = 0; j < src->n_servers; j++)
			n = complete_add(out, n, max, src->servers[j], word, wl, false);
		return n;
	}
	/* The second word: sub-commands first, then players. */
	size_t words_before = 0;
	for (size_t i = lead; i < start; i++)
		if (line[i] != ' ' && (i == lead || line[i - 1] == ' '))
			words_before++;
	if (words_before == 1) {
		for (size_t i = 0; i < sizeof(complete_subs) / sizeof(complete_subs[0]); i++) {
			if (strcasecmp(cmd, complete_subs[i].cmd) != 0)
				continue;
			const char *p = complete_subs[i].words;
			while (*p) {
				char w[32];
				size_t l = strcspn(p, " ");
				if (l < sizeof(w)) {
					memcpy(w, p, l);
					w[l] = '\0';
					n = complete_add(out, n, max, w, word, wl, true);
				}
				p += l;
				while (*p == ' ')
					p++;
			}
		}
	}
	for (size_t j = 0; j < src->n_players; j++)
		n = complete_add(out, n, max, src->players[j], word, wl, true);
	return n;
}

/* Returns the length of the prefix every candidate shares (case-folded). */
static size_t complete_common(char **c, size_t n)
{
	size_t l = strlen(c[0]);
	for (size_t i = 1; i < n; i++) {
		size_t k = 0;
		while (k < l && c[i][k] && (c[i][k] == c[0][k] ||
		    strncasecmp(c[i] + k, c[0] + k, 1) == 0))
			k++;
		l = k;
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
		char buf[256];
		size_t l = strlen(st->cand[0]);
		if (l + 2 > sizeof(buf))
			return 1;
		memcpy(buf, st->cand[0], l);
		bool space = editor_text(e)[cur] != ' ';
		buf[l] = space ? ' ' : '\0';
		buf[l + 1] = '\0';
		editor_replace(e, from, cur, buf);
		if (!space)
			editor_right(e);
		complete_reset(st);
		return 1;
	}
	size_t common = complete_common(st->cand, n);
	if (common > cur - from) {
		char *pre = strndup(st->cand[0], common);
		if (pre)
			editor_replace(e, from, cur, pre);
		free(pre);
		st->cycling = false;
	} else {
		editor_replace(e, from, cur, st->cand[0]);
		st->k = 1 % n;
		st->cycling = true;
	}
	return n;
}

/* Returns the size of the command table. */
size_t complete_command_count(void)
{
	return sizeof(complete_commands) / sizeof(complete_commands[0]);
}
