/* console.c: the console commands typed after ':' — a table of name,
 * usage, help and handler — and the :add wizard.
 *
 * :all and :tag go through app_broadcast(), so each server applies its own
 * read-only policy; nothing here can send what a typed line could not.
 * :add asks for name, host[:port], tags, read-only and password in the
 * bottom row, checking each answer as it is given; then the app adds a
 * profile that points at <config dir>/<name>.pass, writes that file (mode
 * 0600, atomically) and saves the configuration atomically, keeping a
 * hand-written one as .bak first (app_profile_add: the file work is the
 * app's, this only asks and shows), and the server is opened; a failure
 * removes what was written.  When another rconsole or an editor changed
 * the file meanwhile, the new profile is merged into the file as it is now
 * (app-profile.c), and what came from elsewhere is said in the log pane.
 * :save in a -H session offers to save that server as a profile the same
 * way. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app-profile.h"
#include "app/app-tree.h"
#include "tui/console-table.h"
#include "tui/tui-int.h"

typedef unsigned (*console_fn)(tui *t, const char *args);


/* Returns the selected server's index for messages, or -1. */
static long console_sel(tui *t)
{
	return tui_server(t) ? (long)t->sel : -1;
}

/* Splits the first word off s into word[cap]; returns the rest (trimmed). */
const char *console_word(const char *s, char *word, size_t cap)
{
	while (*s == ' ')
		s++;
	size_t n = strcspn(s, " ");
	size_t c = n < cap ? n : cap - 1;
	memcpy(word, s, c);
	word[c] = '\0';
	s += n;
	while (*s == ' ')
		s++;
	return s;
}

/* Reports how many servers took a broadcast: n, of which queued wait
 * behind another command.  Those are not called sent: a drop before their
 * turn leaves them unsent ("[name] not sent: ..." in the pane). */
static unsigned console_report(tui *t, int n, int queued, size_t of, const char *what)
{
	const char *s = of == 1 ? "" : "s";
	if (n <= 0)
		tui_message(t, true, "%s: no server accepted the command (why is in this pane)", what);
	else if (queued == 0)
		tui_message(t, false, "%s: sent to %d of %zu server%s", what, n, of, s);
	else if (queued == n)
		tui_message(t, false, "%s: queued for %d of %zu server%s", what, n, of, s);
	else
		tui_message(t, false, "%s: sent to %d, queued for %d of %zu server%s", what,
		    n - queued, queued, of, s);
	return TUI_D_PANES;
}

/* :all CMD */
static unsigned con_all(tui *t, const char *args)
{
	if (!*args) {
		tui_message(t, true, "usage: :all CMD");
		return TUI_D_BOTTOM;
	}
	int queued;
	int n = app_broadcast_from(t->a, console_sel(t), NULL, args, &queued);
	return console_report(t, n, queued, app_count(t->a), ":all");
}

/* :tag TAG CMD */
static unsigned con_tag(tui *t, const char *args)
{
	char tag[128];    /* a tag has at most 64 characters: never cut */
	const char *cmd = console_word(args, tag, sizeof(tag));
	if (!*tag || !*cmd) {
		tui_message(t, true, "usage: :tag TAG CMD");
		return TUI_D_BOTTOM;
	}
	size_t tagged = 0;
	for (size_t i = 0; i < app_count(t->a); i++)
		if (app_has_tag(app_get(t->a, i), tag))
			tagged++;
	if (tagged == 0) {
		tui_message(t, true, ":tag: no server is tagged '%s'", tag);
		return TUI_D_BOTTOM;
	}
	int queued;
	int n = app_broadcast_from(t->a, console_sel(t), tag, cmd, &queued);
	return console_report(t, n, queued, tagged, ":tag");
}

/* Returns the server named in args (or the selected one), or -1 with a message. */
static long console_target(tui *t, const char *args, const char *what)
{
	char name[128];
	const char *rest = console_word(args, name, sizeof(name));
	if (*rest) {
		/* ":disconnect alpha beta" acted on alpha alone, saying nothing of beta. */
		tui_message(t, true, "usage: %s [NAME] (one server; nothing done)", what);
		return -1;
	}
	if (!*name) {
		if (console_sel(t) < 0)
			tui_message(t, true, "%s: no server", what);
		return console_sel(t);
	}
	int i = app_find(t->a, name);
	if (i < 0)
		tui_message(t, true, "%s: no server named '%s'", what, name);
	return i;
}

/* :disconnect [NAME] */
static unsigned con_disconnect(tui *t, const char *args)
{
	long i = console_target(t, args, ":disconnect");
	if (i >= 0)
		app_disconnect(t->a, (size_t)i);
	return TUI_D_PANES;
}

/* :help */
static unsigned con_help(tui *t, const char *args)
{
	t->mode = TUI_M_HELP;
	t->help_top = 0;
	return TUI_D_POPUP | TUI_D_BOTTOM;
}

/* :info */
static unsigned con_info(tui *t, const char *args)
{
	(void)args;
	return view_info_open(t);
}

/* :quit */
static unsigned con_quit(tui *t, const char *args)
{
	return tui_quit(t, 0);
}

/* ---- :add, :save, :connect ---- */

/* The wizard: each answer is checked when it is given, and a wrong one is
 * asked again with what was typed (nothing is written until the end).  The
 * steps, in order; :save of a -H server starts at the name and skips what
 * the session already knows. */
static unsigned add_on_name(tui *t, const char *answer);
static unsigned add_on_host(tui *t, const char *answer);
static unsigned add_on_port(tui *t, const char *answer);
static unsigned add_on_tags(tui *t, const char *answer);
static unsigned add_on_ro(tui *t, const char *answer);
static unsigned add_on_password(tui *t, const char *answer);
static unsigned add_prompt(tui *t, const char *label, bool masked, const char *initial,
    tui_prompt_cb cb);

/* Returns the configuration path :add and :save write. */
static const char *console_config_path(tui *t)
{
	rc_config *cfg = app_config(t->a);
	if (cfg && cfg->path)
		return cfg->path;
	return t->opts.config_path;
}

/* Checks a profile name: what the profile module accepts, usable as a file name. */
static bool add_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return false;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("._+@-", c)))
			return false;
	}
	return true;
}

/* Says what is wrong and asks the same question again, with the answer
 * typed so far. */
static unsigned add_again(tui *t, const char *label, bool masked, const char *answer,
    tui_prompt_cb cb, const char *why)
{
	unsigned d = add_prompt(t, label, masked, masked ? "" : answer, cb);
	tui_message(t, true, "%s", why);
	return d;
}

/* Ends the wizard without writing anything. */
static unsigned add_cancelled(tui *t)
{
	tui_message(t, false, "%s cancelled: nothing was saved", t->add_from >= 0 ? ":save" : ":add");
	return TUI_D_BOTTOM;
}

/* Splits the typed tags (commas or spaces) into up to max words in buf;
 * returns how many. */
static size_t add_split_tags(char *buf, char **words, size_t max)
{
	size_t n = 0;
	for (char *save = NULL, *w = strtok_r(buf, ", ", &save); w && n < max;
	     w = strtok_r(NULL, ", ", &save))
		words[n++] = w;
	words[n] = NULL;
	return n;
}

/* Fills p from the answers so far (tags point into tagbuf/words). */
static void add_profile(tui *t, rc_profile *p, char *tagbuf, size_t tagcap, char **words,
    size_t max)
{
	rc_profile_init(p);
	p->name = t->add_name[0] ? t->add_name : "x";
	p->host = t->add_host[0] ? t->add_host : "localhost";
	p->port = t->add_port;
	p->read_only = t->add_ro;
	snprintf(tagbuf, tagcap, "%s", t->add_tags);
	p->n_tags = add_split_tags(tagbuf, words, max);
	p->tags = p->n_tags ? words : NULL;
}

/* Checks the answers so far the way the profile module will when the
 * profile is saved; returns true, or false with why. */
static bool add_valid(tui *t, char *why, size_t cap)
{
	char tagbuf[256];
	char *words[33];
	rc_profile p;
	add_profile(t, &p, tagbuf, sizeof(tagbuf), words, 32);
	rc_config *scratch = rc_config_new("/nonexistent/rconsole.conf");
	if (!scratch)
		return true;    /* out of memory here: the real add reports it */
	bool ok = rc_config_add(scratch, &p, why, cap) == 0;
	rc_config_free(scratch);
	return ok;
}

/* Returns the name of a server or profile that name would clash with (the
 * profile module takes names differing only in case for one), or NULL;
 * :save's own -H server (add_from) is no clash. */
static const char *add_name_taken(tui *t, const char *name)
{
	int i = app_find_fold(t->a, name, t->add_from);   /* one hash look-up per keystroke */
	if (i >= 0)
		return app_get(t->a, (size_t)i)->name;
	rc_profile *p = rc_config_find_fold(app_config(t->a), name);
	return p ? p->name : NULL;
}

/* Returns why a name being typed would be refused, NULL when it is fine. */
static const char *hint_name(tui *t, const char *text)
{
	if (!*text)
		return NULL;
	if (strlen(text) > 64)
		return "too long";
	if (!add_name_ok(text))
		return "use a-z 0-9 ._+@-";
	if (add_name_taken(t, text))
		return "name taken";
	return NULL;
}

/* Returns why a host[:port] being typed would be refused. */
static const char *hint_host(tui *t, const char *text)
{
	char host[256], port[16];
	if (!*text)
		return NULL;
	if (rc_hostport_split(text, "25575", host, sizeof(host), port, sizeof(port)) < 0 || !*host)
		return "not host[:port]";
	return NULL;
}

/* Returns why a port being typed would be refused. */
static const char *hint_port(tui *t, const char *text)
{
	char *end;
	if (!*text)
		return NULL;
	errno = 0;
	long port = strtol(text, &end, 10);
	return errno || *end || port < 1 || port > 65535 ? "1-65535" : NULL;
}

/* Returns why tags being typed would be refused. */
static const char *hint_tags(tui *t, const char *text)
{
	char saved[sizeof(t->add_tags)], why[256];
	if (!*text || strlen(text) >= sizeof(t->add_tags))
		return *text ? "too long" : NULL;
	memcpy(saved, t->add_tags, sizeof(saved));
	snprintf(t->add_tags, sizeof(t->add_tags), "%s", text);
	bool ok = add_valid(t, why, sizeof(why));
	memcpy(t->add_tags, saved, sizeof(saved));
	return ok ? NULL : "not a valid tag";
}

/* Returns why a read-only answer being typed would be refused. */
static const char *hint_ro(tui *t, const char *text)
{
	static const char *const ok[] = { "", "y", "Y", "yes", "n", "N", "no" };
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcasecmp(text, ok[i]))
			return NULL;
	return "y or n";
}

/* The live check of each question, by the callback that takes its answer. */
static const struct add_step {
	tui_prompt_cb cb;
	tui_prompt_hint hint;
} add_steps[] = {
	{ add_on_name, hint_name },
	{ add_on_host, hint_host },
	{ add_on_port, hint_port },
	{ add_on_tags, hint_tags },
	{ add_on_ro, hint_ro },
};

/* Asks one of the wizard's questions, with its answer checked as it is
 * typed (the hint beside the prompt) and again when it is given. */
static unsigned add_prompt(tui *t, const char *label, bool masked, const char *initial,
    tui_prompt_cb cb)
{
	unsigned d = tui_prompt(t, label, masked, initial, cb);
	for (size_t i = 0; i < sizeof(add_steps) / sizeof(add_steps[0]); i++)
		if (add_steps[i].cb == cb)
			t->prompt_hint = add_steps[i].hint;
	return d;
}

/* Asks for the host (with an optional port). */
static unsigned add_ask_host(tui *t, const char *initial)
{
	return add_prompt(t, "host[:port]: ", false, initial, add_on_host);
}

/* Asks for the tags. */
static unsigned add_ask_tags(tui *t)
{
	return add_prompt(t, "tags (a,b or Enter): ", false, "", add_on_tags);
}

/* :add — starts the wizard. */
static unsigned con_add(tui *t, const char *args)
{
	if (!app_config(t->a) || !console_config_path(t)) {
		tui_message(t, true, ":add: no configuration file to add to");
		return TUI_D_BOTTOM;
	}
	t->add_name[0] = t->add_host[0] = t->add_tags[0] = '\0';
	t->add_port = RC_DEFAULT_PORT;
	t->add_ro = false;
	t->add_from = -1;
	return add_prompt(t, "new server name: ", false, "", add_on_name);
}

/* Receives the name: valid, and not used by a server or a profile. */
static unsigned add_on_name(tui *t, const char *answer)
{
	if (!answer)
		return add_cancelled(t);
	const char *label = t->add_from >= 0 ? "save as profile named: " : "new server name: ";
	if (!add_name_ok(answer))
		return add_again(t, label, false, answer, add_on_name,
		    "a name is 1-64 letters, digits or ._+@-, starting with a letter or digit");
	const char *taken = add_name_taken(t, answer);   /* :save keeps its own name */
	if (taken) {
		char why[200];
		snprintf(why, sizeof(why), "there is already a server named '%s'%s", taken,
		    strcmp(taken, answer) ? " (case aside, one name)" : "");
		return add_again(t, label, false, answer, add_on_name, why);
	}
	snprintf(t->add_name, sizeof(t->add_name), "%s", answer);
	if (t->add_from >= 0)
		return add_ask_tags(t);
	return add_ask_host(t, "");
}

/* Returns true when in names a port: "h:p" or "[v6]:p" (a bare IPv6
 * address has several colons and no port). */
static bool add_has_port(const char *in)
{
	if (in[0] == '[')
		return strstr(in, "]:") != NULL;
	const char *colon = strchr(in, ':');
	return colon && !strchr(colon + 1, ':');
}

/* Receives the host: "host", "host:port", "[v6]:port" or a bare IPv6
 * address; a port given here is not asked again. */
static unsigned add_on_host(tui *t, const char *answer)
{
	if (!answer)
		return add_cancelled(t);
	char host[256], port[16];
	if (!*answer || strlen(answer) >= sizeof(t->add_host) ||
	    rc_hostport_split(answer, "25575", host, sizeof(host), port, sizeof(port)) < 0 || !*host)
		return add_again(t, "host[:port]: ", false, answer, add_on_host,
		    "expected a host name or address, or host:port, [v6]:port");
	snprintf(t->add_host, sizeof(t->add_host), "%s", host);
	t->add_port = atoi(port);
	char why[256];
	if (!add_valid(t, why, sizeof(why)))
		return add_again(t, "host[:port]: ", false, answer, add_on_host, why);
	if (add_has_port(answer))
		return add_ask_tags(t);
	return add_prompt(t, "port [25575]: ", false, "", add_on_port);
}

/* Receives the port (Enter: 25575). */
static unsigned add_on_port(tui *t, const char *answer)
{
	if (!answer)
		return add_cancelled(t);
	long port = RC_DEFAULT_PORT;
	if (*answer) {
		char *end;
		errno = 0;
		port = strtol(answer, &end, 10);
		if (errno || *end || port < 1 || port > 65535)
			return add_again(t, "port [25575]: ", false, answer, add_on_port,
			    "a port is a number 1-65535");
	}
	t->add_port = (int)port;
	return add_ask_tags(t);
}

/* Receives the tags: each one as the profile module takes them. */
static unsigned add_on_tags(tui *t, const char *answer)
{
	if (!answer)
		return add_cancelled(t);
	if (strlen(answer) >= sizeof(t->add_tags))
		return add_again(t, "tags (a,b or Enter): ", false, "", add_on_tags,
		    "too many tags");
	snprintf(t->add_tags, sizeof(t->add_tags), "%s", answer);
	char why[256];
	if (!add_valid(t, why, sizeof(why))) {
		t->add_tags[0] = '\0';
		return add_again(t, "tags (a,b or Enter): ", false, answer,
		    add_on_tags, why);
	}
	return add_prompt(t, "read-only? [y/N]: ", false, "", add_on_ro);
}

/* Receives read-only: y, yes, n, no or Enter (no). */
static unsigned add_on_ro(tui *t, const char *answer)
{
	if (!answer)
		return add_cancelled(t);
	if (!strcasecmp(answer, "y") || !strcasecmp(answer, "yes"))
		t->add_ro = true;
	else if (!*answer || !strcasecmp(answer, "n") || !strcasecmp(answer, "no"))
		t->add_ro = false;
	else
		return add_again(t, "read-only? [y/N]: ", false, answer,
		    add_on_ro, "answer y or n");
	if (t->add_from >= 0 && t->opts.adhoc_password && *t->opts.adhoc_password)
		return add_on_password(t, t->opts.adhoc_password);
	return add_prompt(t, "RCON password: ", true, "", add_on_password);
}

/* Receives the password and has the app do the work (app_profile_add):
 * the profile is added (checked again), its password file written, the
 * configuration saved (a hand-written one kept as .bak first); then the
 * server is opened.  A failed :add leaves nothing behind. */
static unsigned add_on_password(tui *t, const char *answer)
{
	if (!answer)
		return add_cancelled(t);
	if (!*answer)
		return add_again(t, "RCON password: ", true, "", add_on_password,
		    "an RCON password cannot be empty (the server disables RCON then)");
	const char *what = t->add_from >= 0 ? ":save" : ":add";
	rc_config *cfg = app_config(t->a);
	char err[8704], path[4200], bak[4200], merged[1024];
	char tagbuf[256];
	char *words[33];
	rc_profile p;
	add_profile(t, &p, tagbuf, sizeof(tagbuf), words, 32);
	int rc = app_profile_add(t->a, &p, answer, console_config_path(t), path, sizeof(path), bak,
	    sizeof(bak), merged, sizeof(merged), err, sizeof(err));
	if (rc < 0) {
		tui_message(t, true, "%s: %s", what, err);
		return TUI_D_BOTTOM;
	}
	/* rc 1: kept in memory only (the file could not be merged into). */
	char note[4400] = "";
	if (bak[0])
		snprintf(note, sizeof(note), "; the hand-written file is kept as %s (comments are not "
		    "kept in the new one)", bak);
	if (t->add_from >= 0) {
		t->adhoc_saved = true;    /* a second :save just saves */
		if (rc == 1)
			tui_message(t, true, ":save: %s", err);
		else
			tui_message(t, false, "saved '%s' as a profile in %s%s; next time: rconsole %s",
			    t->add_name, cfg->path, note, t->add_name);
		if (merged[0])
			app_note(t->a, (size_t)t->add_from, APP_LINE_INFO, "%s", merged);
		return TUI_D_PANES;
	}
	char oerr[512];
	int idx = app_add(t->a, rc_config_find(cfg, t->add_name), answer, oerr, sizeof(oerr));
	if (idx < 0) {
		tui_message(t, true, ":add: %s, but cannot open it: %s", rc == 1 ? "not saved" : "saved",
		    oerr);
		return TUI_D_BOTTOM;
	}
	tui_views_sync(t);
	unsigned d = tui_select(t, (size_t)idx);
	if (merged[0])
		app_note(t->a, (size_t)idx, APP_LINE_INFO, "%s", merged);
	if (rc == 1)
		tui_message(t, true, ":add: %s", err);
	else
		tui_message(t, false, "added %s (saved in %s, password in %s)%s", t->add_name,
		    cfg->path, path, note);
	return d | TUI_D_PANES;
}

/* Returns the first server of the session without a profile in the
 * configuration (a -H server), the selected one first; -1 when none. */
static long console_adhoc(tui *t)
{
	rc_config *cfg = app_config(t->a);
	size_t n = app_count(t->a);
	for (size_t k = 0; k < n && !t->adhoc_saved; k++) {
		size_t i = (t->sel + k) % n;
		const app_server *s = app_get(t->a, i);
		if (!s->profile || !cfg)
			continue;
		bool inside = cfg->servers && s->profile >= cfg->servers &&
		    s->profile < cfg->servers + cfg->n_servers;
		if (!inside && !rc_config_find(cfg, s->name))
			return (long)i;
	}
	return -1;
}

/* Returns a profile name to suggest for an ad-hoc server: its host when
 * that is a valid, unused name, else "" */
static void console_suggest(tui *t, const app_server *s, char *out, size_t cap)
{
	snprintf(out, cap, "%s", s->profile->host ? s->profile->host : "");
	int open_as = app_find(t->a, out);
	if (!add_name_ok(out) || (open_as >= 0 && app_get(t->a, (size_t)open_as) != s) ||
	    rc_config_find(app_config(t->a), out))
		out[0] = '\0';
}

/* :save — saves the profiles; in a -H session it offers to save that
 * server as a profile first. */
static unsigned con_save(tui *t, const char *args)
{
	rc_config *cfg = app_config(t->a);
	if (!cfg || !cfg->path) {
		tui_message(t, true, ":save: no configuration file to save to");
		return TUI_D_BOTTOM;
	}
	long adhoc = console_adhoc(t);
	if (adhoc >= 0) {
		const app_server *s = app_get(t->a, (size_t)adhoc);
		t->add_from = adhoc;
		t->add_name[0] = t->add_tags[0] = '\0';
		snprintf(t->add_host, sizeof(t->add_host), "%s", s->profile->host);
		t->add_port = s->profile->port;
		t->add_ro = s->read_only;
		char suggest[72];
		console_suggest(t, s, suggest, sizeof(suggest));
		return add_prompt(t, "save as profile named: ", false, suggest, add_on_name);
	}
	char err[8704], bak[4200], merged[1024];
	size_t unsaved = app_profile_unsaved(t->a);
	int rc = app_profile_save(t->a, bak, sizeof(bak), merged, sizeof(merged), err, sizeof(err));
	if (rc == 0 && merged[0] && tui_server(t))
		app_note(t->a, t->sel, APP_LINE_INFO, "%s", merged);
	if (rc == 0 && merged[0] && !tui_server(t))
		tui_message(t, false, "saved %s, merged with changes made elsewhere: %s", cfg->path,
		    merged);
	else if (rc < 0 && unsaved)
		tui_message(t, true, ":save: %s; %zu profile%s added here %s still in this console "
		    "only", err, unsaved, unsaved == 1 ? "" : "s", unsaved == 1 ? "is" : "are");
	else if (rc < 0)
		tui_message(t, true, ":save: %s", err);
	else if (bak[0])
		tui_message(t, false, "saved %s; the hand-written file is kept as %s (comments are "
		    "not kept in the new one)", cfg->path, bak);
	else
		tui_message(t, false, "saved %s", cfg->path);
	return TUI_D_BOTTOM;
}

/* Receives the password typed for :connect on a server whose own cannot be
 * had; it is used for this session only. */
static unsigned connect_on_password(tui *t, const char *answer)
{
	if (!answer || !*answer) {
		tui_message(t, false, ":connect cancelled");
		return TUI_D_BOTTOM;
	}
	if (app_connect_password(t->a, t->connect_srv, answer) < 0)
		tui_message(t, true, ":connect: the connection could not be made (see the log)");
	return TUI_D_PANES;
}

/* Receives the password typed for :connect on a server whose password was
 * refused: Enter alone tries the one it has again (the server's may have
 * been changed to match); a typed one replaces it for this session. */
static unsigned connect_on_refused(tui *t, const char *answer)
{
	if (!answer) {
		tui_message(t, false, ":connect cancelled");
		return TUI_D_BOTTOM;
	}
	int rc = *answer ? app_connect_password(t->a, t->connect_srv, answer)
	    : app_connect(t->a, t->connect_srv);
	if (rc < 0)
		tui_message(t, true, ":connect: the connection could not be made (see the log)");
	return TUI_D_PANES;
}

/* :connect [NAME] — a server whose password cannot be read (unset
 * password_env, missing file) is offered the no-echo password prompt; so is
 * one whose password the server refused, where trying the same one again
 * (all :connect did) fails again and adds a failed login to the server's
 * log: the password it read at start is all it has. */
static unsigned con_connect(tui *t, const char *args)
{
	long i = console_target(t, args, ":connect");
	if (i < 0)
		return TUI_D_PANES;
	app_server *s = app_get(t->a, (size_t)i);
	if (s->state == RC_STATE_AUTH_FAILED) {
		char label[160];
		t->connect_srv = (size_t)i;
		snprintf(label, sizeof(label), "RCON password for %s: ", s->name);
		app_note(t->a, (size_t)i, APP_LINE_INFO, "the server refused the password: type it "
		    "below, or Enter alone to try the same one again (Esc cancels); a typed one is "
		    "used for this session only and not saved");
		return tui_prompt(t, label, true, "", connect_on_refused) | TUI_D_PANES;
	}
	if (app_connect(t->a, (size_t)i) == RC_ECONFIG && app_unavailable(app_get(t->a, (size_t)i))) {
		char label[160];
		t->connect_srv = (size_t)i;
		snprintf(label, sizeof(label), "RCON password for %s: ", app_get(t->a, (size_t)i)->name);
		app_note(t->a, (size_t)i, APP_LINE_INFO, "type the RCON password below (Esc cancels): "
		    "it is used for this session only and not saved");
		return tui_prompt(t, label, true, "", connect_on_password) | TUI_D_PANES;
	}
	return TUI_D_PANES;
}

/* :rehash [NAME] — reads the server's command tree again (app-tree.c). */
static unsigned con_rehash(tui *t, const char *args)
{
	long i = console_target(t, args, ":rehash");
	if (i >= 0 && app_rehash(t->a, (size_t)i) < 0)
		tui_message(t, true, ":rehash: %s is not connected", app_get(t->a, (size_t)i)->name);
	return TUI_D_PANES;
}

#define CONSOLE_FN(name, usage, help) con_##name,

/* The handlers, in console_table's order (console-table.h). */
static const console_fn console_fns[] = { CONSOLE_TABLE(CONSOLE_FN) };

/* Runs one console command line (without the ':'). */
unsigned console_exec(tui *t, const char *line)
{
	char name[32];
	const char *args = console_word(line, name, sizeof(name));
	for (size_t i = 0; i < console_table_n; i++) {
		if (strcmp(name, console_table[i].name) != 0)
			continue;
		/* ":quit now" quit, ignoring "now": a command that takes nothing
		 * refuses words it would not read, rather than run without them. */
		if (!*console_table[i].usage && *args) {
			tui_message(t, true, "usage: :%s (takes no arguments; nothing done)", name);
			return TUI_D_BOTTOM;
		}
		return console_fns[i](t, args);
	}
	tui_message(t, true, "unknown console command ':%s' (F1 lists them)", name);
	return TUI_D_BOTTOM;
}

/* Lists the console commands for the help overlay. */
size_t console_help(const char **names, const char **what, size_t max)
{
	static char lines[sizeof(console_fns) / sizeof(console_fns[0])][48];
	size_t n = 0;
	for (size_t i = 0; i < console_table_n && n < max; i++) {
		snprintf(lines[i], sizeof(lines[i]), ":%s%s%s", console_table[i].name,
		    *console_table[i].usage ? " " : "", console_table[i].usage);
		names[n] = lines[i];
		what[n++] = console_table[i].help;
	}
	return n;
}
