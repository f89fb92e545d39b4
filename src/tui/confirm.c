/* confirm.c: which typed commands ask y/N before they are sent, and what
 * :all and :tag ask.
 *
 * A command asks when it matches the server's confirm list: the profile's
 * `confirm`, else the file's global `confirm`, else confirm_default below.
 * Matching is the read-only allowlist's own matcher (rc_policy_allows), so
 * the two lists mean the same thing.  The command is first put the way the
 * server's parser sees it (blanks collapsed, one leading '/' dropped, every
 * byte outside printable ASCII made '?'), so "  STOP", "/stop" or "kick  Bob"
 * still ask: the matcher refuses odd spacing, and for this list a refusal
 * would mean "do not ask".  The matcher drops one more '/' (the server's), so
 * "//stop", which goes out as "/stop", asks too: the connection and the app
 * (rc_mc_is_stop) take that for stop as well.
 * The server runs a command under its namespace too ("minecraft:stop" on
 * Paper and Spigot, "bukkit:reload"), and as the tail of `execute ... run`;
 * both are looked through (confirm_listed), so they ask as the bare words.
 *
 * A server that would refuse the command anyway (read-only, and its list
 * does not allow it) does not ask: nothing can reach it.  The connection
 * itself answers that (app_read_only_allows), so this test and the gate
 * that enforces read-only can never disagree.
 *
 * :all and :tag ask, naming the command and the servers, whenever the
 * command is outside the default read-only allowlist (or in a confirm list)
 * and at least one target would take it: connected, and not refusing it as
 * read-only.  Only those are named; the others refuse it anyway.
 *
 * Every question's text is written here (confirm_say, confirm_action); the
 * bottom row only draws it. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rconsole/policy.h"
#include "tui/tui-int.h"

#define CONFIRM_PROBE_MAX 1600

/* Commands that change or end a server (DESIGN.md: the console asks first). */
static const char *const confirm_default[] = {
	"stop *", "restart *", "reload *", "op *", "deop *", "ban *", "ban-ip *",
	"pardon *", "kick *", "whitelist off", "kill *", NULL
};

/* Returns the default list and its length. */
size_t confirm_defaults(const char *const **list)
{
	*list = confirm_default;
	return sizeof(confirm_default) / sizeof(confirm_default[0]) - 1;
}

/* Writes cmd as the server's parser would split it into buf (see the file
 * comment); returns false when nothing is left. */
static bool confirm_probe(const char *cmd, char *buf, size_t cap)
{
	size_t n = 0;
	while (*cmd == ' ' || *cmd == '\t')
		cmd++;
	if (*cmd == '/')
		cmd++;
	bool space = false;
	for (const unsigned char *p = (const unsigned char *)cmd; *p && n + 2 < cap; p++) {
		if (*p == ' ' || *p == '\t') {
			space = n > 0;
			continue;
		}
		if (space)
			buf[n++] = ' ';
		space = false;
		buf[n++] = *p < 0x20 || *p >= 0x7f ? '?' : (char)*p;
	}
	buf[n] = '\0';
	return n > 0;
}

/* Writes the question `send "CMD" to TO` into text: cmd as typed, less
 * trailing blanks, so the admin sees what goes out.  Every question about a
 * typed line is worded here (the bottom row adds "? [y/N]").  lay gets where
 * the command and TO are, and count (may be NULL) what replaces TO when the
 * row is too narrow for it. */
static void confirm_say(char *text, size_t cap, const char *cmd, const char *to,
    const char *count, confirm_layout *lay)
{
	static const char head[] = "send \"", mid[] = "\" to ";
	size_t cl = strlen(cmd);
	while (cl > 0 && cmd[cl - 1] == ' ')
		cl--;
	int n = snprintf(text, cap, "%s%.*s%s%s", head, (int)cl, cmd, mid, to);
	memset(lay, 0, sizeof(*lay));
	/* A question cut by cap is only ever cut at its end. */
	if (n < 0 || (size_t)n >= cap)
		return;
	lay->cmd_at = strlen(head);
	lay->cmd_len = cl;
	lay->to_at = lay->cmd_at + cl + strlen(mid);
	snprintf(lay->count, sizeof(lay->count), "%s", count ? count : "");
}

/* Returns server s's confirm list. */
static const char *const *confirm_list(tui *t, const app_server *s, size_t *n)
{
	if (s && s->profile && s->profile->confirm) {
		*n = s->profile->n_confirm;
		return (const char *const *)s->profile->confirm;
	}
	rc_config *cfg = app_config(t->a);
	if (cfg && cfg->confirm) {
		*n = cfg->n_confirm;
		return (const char *const *)cfg->confirm;
	}
	const char *const *l;
	*n = confirm_defaults(&l);
	return l;
}

/* Returns cmd past its namespace ("/minecraft:stop" is "stop"), or cmd
 * itself, '/' and all: without a namespace the matcher drops the '/' the
 * server drops, as for any line. */
static const char *confirm_name(const char *cmd)
{
	const char *word = *cmd == '/' ? cmd + 1 : cmd;
	const char *name = rc_mc_command_name(word);
	return name == word ? cmd : name;
}

/* Returns true when cmd (namespace looked through) is in list l[n]. */
static bool confirm_in(const char *const *l, size_t n, const char *cmd)
{
	return rc_policy_allows(l, n, confirm_name(cmd));
}

/* Returns true when probe is in s's confirm list, or is an execute whose
 * `run` could reach a command that is.  Every word "run" is tried as the
 * start of the command run (a selector or NBT may hold the word too;
 * asking once too often is the safe side); that reaches the innermost
 * command of nested executes too, so no recursion is needed. */
static bool confirm_listed(tui *t, const app_server *s, const char *probe)
{
	size_t n;
	const char *const *l = confirm_list(t, s, &n);
	if (confirm_in(l, n, probe))
		return true;
	if (strncasecmp(confirm_name(probe), "execute ", 8) != 0)
		return false;
	for (const char *r = probe; (r = strchr(r, ' ')); r++)
		if (strncasecmp(r, " run ", 5) == 0 && confirm_in(l, n, r + 5))
			return true;
	return false;
}

/* Returns true when cmd is in s's confirm list and s could write it. */
bool confirm_matches(tui *t, const app_server *s, const char *cmd)
{
	char probe[CONFIRM_PROBE_MAX];
	if (!s || !confirm_probe(cmd, probe, sizeof(probe)))
		return false;
	return app_read_only_allows(s, probe) && confirm_listed(t, s, probe);
}

/* Returns true when cmd typed for server i asks first: a server that is not
 * connected refuses it at once with its reason, so there is nothing to ask. */
bool confirm_needed(tui *t, size_t i, const char *cmd)
{
	app_server *s = app_get(t->a, i);
	if (!s || (s->state != RC_STATE_READY && s->state != RC_STATE_BUSY))
		return false;
	return confirm_matches(t, s, cmd);
}

/* Returns true for :all / :tag lines that must ask; writes the question and
 * its layout. */
static bool confirm_ask(tui *t, const char *line, char *text, size_t cap,
    confirm_layout *lay)
{
	char name[16], tag[128] = "";   /* a tag has at most 64 characters */
	const char *cmd = console_word(line, name, sizeof(name));
	bool all = strcmp(name, "all") == 0;
	if (!all && strcmp(name, "tag") != 0)
		return false;
	if (!all)
		cmd = console_word(cmd, tag, sizeof(tag));
	char probe[CONFIRM_PROBE_MAX];
	if (!confirm_probe(cmd, probe, sizeof(probe)))
		return false;
	bool outside = !rc_policy_allows(NULL, 0, probe);
	size_t n = 0;
	bool ask = false;
	char names[1024] = "";
	size_t nl = 0;
	for (size_t i = 0; i < app_count(t->a); i++) {
		app_server *s = app_get(t->a, i);
		/* Only servers that can take it now are named (the others refuse). */
		bool up = s->state == RC_STATE_READY || s->state == RC_STATE_BUSY;
		if ((!all && !app_has_tag(s, tag)) || !up || app_unavailable(s) ||
		    !app_read_only_allows(s, probe))
			continue;
		if (outside || confirm_listed(t, s, probe))
			ask = true;
		n++;
		int w = snprintf(names + nl, sizeof(names) - nl, "%s%s", nl ? ", " : "", s->name);
		if (w > 0)
			nl = nl + (size_t)w < sizeof(names) ? nl + (size_t)w : sizeof(names) - 1;
	}
	if (!ask)
		return false;
	char to[1100], count[32];
	snprintf(count, sizeof(count), "%zu server%s", n, n == 1 ? "" : "s");
	snprintf(to, sizeof(to), "%s: %s", count, names);
	confirm_say(text, cap, cmd, to, count, lay);
	return true;
}

/* Returns true for :all / :tag lines that must ask; writes the question. */
bool confirm_console(tui *t, const char *line, char *text, size_t cap)
{
	confirm_layout lay;
	return confirm_ask(t, line, text, cap, &lay);
}

/* Returns true when a :all / :tag line, asked about now, gets another
 * question than the one just answered (t->confirm_text): a server came up
 * or went away while it was open, and a 'y' would send the command where
 * the question did not say.  The new question is then in t->confirm_text.
 * false when it asks the same or nothing (no server would take it now). */
bool confirm_changed(tui *t, const char *line)
{
	char text[sizeof t->confirm_text];
	confirm_layout lay;
	while (*line == ' ')
		line++;
	if (*line != ':' || !confirm_ask(t, line + 1, text, sizeof text, &lay) ||
	    strcmp(text, t->confirm_text) == 0)
		return false;
	memcpy(t->confirm_text, text, sizeof text);
	t->confirm_lay = lay;
	return true;
}

/* Returns true when a line typed on the command line (a console command or
 * one for the selected server) must be confirmed; writes the question into
 * t->confirm_text. */
bool confirm_line(tui *t, const char *line)
{
	const char *p = line;
	while (*p == ' ')
		p++;
	if (*p == ':')
		return confirm_ask(t, p + 1, t->confirm_text, sizeof(t->confirm_text),
		    &t->confirm_lay);
	app_server *s = tui_server(t);
	if (!s || !confirm_needed(t, t->sel, p))
		return false;
	confirm_say(t->confirm_text, sizeof(t->confirm_text), p, s->name, NULL,
	    &t->confirm_lay);
	return true;
}

/* Writes the question for a player action's cmd on server s (destructive
 * actions always ask) into t->confirm_text. */
void confirm_action(tui *t, const app_server *s, const char *cmd)
{
	snprintf(t->confirm_text, sizeof(t->confirm_text), "%s: %s", s->name, cmd);
	memset(&t->confirm_lay, 0, sizeof(t->confirm_lay));
}
