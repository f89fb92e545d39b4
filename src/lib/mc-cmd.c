/* mc-cmd.c: player-name validation and safe builders for admin commands.
 *
 * The commands are a table (cmd_table); rc_mc_build() only ever writes one
 * line of the shape "verb [NAME] [ARG]" in which nothing the caller passed
 * can start a second command or add an argument:
 *   - any control character (C0 including tab, CR, LF and NUL, DEL, C1 as
 *     UTF-8 C2 80..C2 9F) and invalid UTF-8 are refused in every argument;
 *   - names must be valid player names (rc_mc_name_valid), so they hold no
 *     quote, backslash, '@', ';' or other syntax;
 *   - free text (message, reason) is always the last, greedy argument
 *     (brigadier's MessageArgument), where spaces are just text.  Note that
 *     vanilla expands selectors such as @a inside say/msg text, as it does for
 *     every operator; that cannot add an argument;
 *   - the result is at most RC_MC_BODY_MAX (1446) bytes, vanilla's limit.
 *
 * Quoting (checked against the vanilla 1.13+ argument parsers):
 *   - kick, msg, tp, gamemode take an entity argument (EntitySelectorParser):
 *     it reads brigadier's readString(), so "a quoted name" is accepted; a
 *     bare word may only hold [0-9A-Za-z_.+-].  Names needing more (a Bedrock
 *     gamertag with spaces, a '*' Floodgate prefix) are written in double
 *     quotes.  The parser refuses a name over 16 characters, so a longer one
 *     is refused here.
 *   - ban, pardon, op, deop, whitelist add/remove take a game profile
 *     argument (GameProfileArgument): it reads up to the next space and does
 *     not understand quotes, so a name with a space is refused for them.
 * Plugins that replace a command (EssentialsX kick/ban/msg) parse their own
 * way; names without spaces work everywhere, quoted ones only on brigadier. */
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "rconsole/packet.h"

enum cmd_name {
	NAME_NONE,
	NAME_ENTITY,   /* brigadier entity argument: quoting accepted */
	NAME_PROFILE   /* game profile argument: read to the next space, no quoting */
};

enum cmd_arg {
	ARG_NONE,
	ARG_TEXT,      /* greedy free text, always last */
	ARG_TARGET,    /* tp destination: a player or "x y z" */
	ARG_GAMEMODE   /* survival|creative|adventure|spectator, before the name */
};

static const struct cmd_row {
	rc_mc_action_info info;
	enum cmd_name name;
	enum cmd_arg arg;
} cmd_table[RC_MC_ACTION_COUNT] = {
	[RC_MC_MSG] = { { RC_MC_MSG, "message", "msg", true, false, false,
	    "message", true }, NAME_ENTITY, ARG_TEXT },
	[RC_MC_SAY] = { { RC_MC_SAY, "say", "say", false, false, false,
	    "message", true }, NAME_NONE, ARG_TEXT },
	[RC_MC_KICK] = { { RC_MC_KICK, "kick", "kick", true, true, true,
	    "reason", false }, NAME_ENTITY, ARG_TEXT },
	[RC_MC_BAN] = { { RC_MC_BAN, "ban", "ban", true, true, true,
	    "reason", false }, NAME_PROFILE, ARG_TEXT },
	[RC_MC_PARDON] = { { RC_MC_PARDON, "pardon", "pardon", true, false, true,
	    NULL, false }, NAME_PROFILE, ARG_NONE },
	[RC_MC_OP] = { { RC_MC_OP, "op", "op", true, true, true,
	    NULL, false }, NAME_PROFILE, ARG_NONE },
	[RC_MC_DEOP] = { { RC_MC_DEOP, "deop", "deop", true, true, true,
	    NULL, false }, NAME_PROFILE, ARG_NONE },
	[RC_MC_WHITELIST_ADD] = { { RC_MC_WHITELIST_ADD, "whitelist add", "whitelist add",
	    true, false, true, NULL, false }, NAME_PROFILE, ARG_NONE },
	[RC_MC_WHITELIST_REMOVE] = { { RC_MC_WHITELIST_REMOVE, "whitelist remove",
	    "whitelist remove", true, false, true, NULL, false }, NAME_PROFILE, ARG_NONE },
	[RC_MC_TP] = { { RC_MC_TP, "teleport", "tp", true, false, true,
	    "destination (player or x y z)", true }, NAME_ENTITY, ARG_TARGET },
	[RC_MC_GAMEMODE] = { { RC_MC_GAMEMODE, "gamemode", "gamemode", true, false, true,
	    "mode (survival, creative, adventure, spectator)", true }, NAME_ENTITY,
	    ARG_GAMEMODE },
};

/* Game modes by the words users type; the first is what is sent (1.13+
 * accepts only the lower-case word, which 1.8-1.12 accept too). */
static const char *const cmd_modes[][4] = {
	{ "survival", "s", "0", NULL },
	{ "creative", "c", "1", NULL },
	{ "adventure", "a", "2", NULL },
	{ "spectator", "sp", "3", NULL },
};

/* Characters allowed in front of a Bedrock name (Floodgate's username-prefix). */
static const char cmd_prefixes[] = ".*~!+";

#define CMD_NAME_MAX 16       /* longest Java name, and what entity arguments accept */
#define CMD_JAVA_MIN 3
#define CMD_COORD_MAX 24      /* longest coordinate token accepted */

/* The command being built. */
struct cmd_buf {
	char b[RC_MC_BODY_MAX + 1];
	size_t n;
	bool over;
};

/* Returns true for an ASCII letter or digit. */
static bool cmd_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Returns true when brigadier reads c as part of an unquoted word. */
static bool cmd_unquoted(char c)
{
	return cmd_alnum(c) || c == '_' || c == '-' || c == '.' || c == '+';
}

/* Appends s[len] to the command, noting when it grows past the limit. */
static void cmd_put(struct cmd_buf *b, const char *s, size_t len)
{
	if (b->over || len > RC_MC_BODY_MAX - b->n) {
		b->over = true;
		return;
	}
	memcpy(b->b + b->n, s, len);
	b->n += len;
	b->b[b->n] = '\0';
}

/* Returns true for a Java Edition name: 3-16 of [A-Za-z0-9_]. */
static bool cmd_java(const char *s)
{
	size_t n = strlen(s);

	if (n < CMD_JAVA_MIN || n > CMD_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!cmd_alnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* Returns true for a Geyser/Floodgate name: an optional prefix character,
 * then an Xbox gamertag of 1-16 letters, digits, '_' (Floodgate's
 * replace-spaces) or single spaces, starting with a letter and not ending in
 * a space. */
static bool cmd_bedrock(const char *s)
{
	size_t n;

	if (*s && strchr(cmd_prefixes, *s))
		s++;
	n = strlen(s);
	if (n < 1 || n > CMD_NAME_MAX || !cmd_alnum(s[0]) || (s[0] >= '0' && s[0] <= '9') ||
	    s[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == ' ' && s[i + 1] == ' ')
			return false;
		if (!cmd_alnum(s[i]) && s[i] != '_' && s[i] != ' ')
			return false;
	}
	return true;
}

/* Returns true for a character of a command's namespace ("minecraft",
 * "bukkit"); any case, as Bukkit lower-cases the label before looking. */
static bool mc_namespace_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '_' || c == '-' || c == '.';
}

/* Returns cmd past its namespace (see mc.h). */
const char *rc_mc_command_name(const char *cmd)
{
	size_t ns = 0;
	while (mc_namespace_char(cmd[ns]))
		ns++;
	return ns > 0 && cmd[ns] == ':' ? cmd + ns + 1 : cmd;
}

/* Returns true when cmd is stop (see mc.h).  ASCII case is folded by hand:
 * the locale must not change what "STOP" is. */
bool rc_mc_is_stop(const char *cmd)
{
	if (!cmd)
		return false;
	cmd = rc_mc_command_name(*cmd == '/' ? cmd + 1 : cmd);
	static const char word[] = "stop";
	for (size_t i = 0; i < sizeof word - 1; i++) {
		char ch = cmd[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (ch != word[i])
			return false;
	}
	return cmd[4] == '\0' || cmd[4] == ' ';
}

/* Returns true when name is a valid player name under flags. */
bool rc_mc_name_valid(const char *name, unsigned flags)
{
	if (name == NULL)
		return false;
	if (cmd_java(name))
		return true;
	return (flags & RC_MC_NAME_BEDROCK) && cmd_bedrock(name);
}

/* Appends a validated name in the form the argument kind accepts. */
static int cmd_name(struct cmd_buf *b, const char *name, unsigned flags, enum cmd_name kind,
    const char **why)
{
	size_t n;
	bool bare = true;

	if (!rc_mc_name_valid(name, flags)) {
		*why = name == NULL || *name == '\0' ? "a player name is required" :
		    "not a valid player name";
		return RC_EINVAL;
	}
	n = strlen(name);
	for (size_t i = 0; i < n; i++)
		bare = bare && cmd_unquoted(name[i]);
	cmd_put(b, " ", 1);
	if (kind == NAME_PROFILE) {
		if (strchr(name, ' ')) {
			*why = "this command cannot take a name with spaces (its argument cannot be quoted)";
			return RC_EINVAL;
		}
		cmd_put(b, name, n);
		return 0;
	}
	if (n > CMD_NAME_MAX) {
		*why = "the server refuses names over 16 characters in this command";
		return RC_EINVAL;
	}
	if (bare) {
		cmd_put(b, name, n);
		return 0;
	}
	/* Valid names hold neither '"' nor '\\', so no escape is needed. */
	cmd_put(b, "\"", 1);
	cmd_put(b, name, n);
	cmd_put(b, "\"", 1);
	return 0;
}

/* Trims ASCII spaces off s; stores the start and length. */
static void cmd_trim(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s);

	while (n && *s == ' ') {
		s++;
		n--;
	}
	while (n && s[n - 1] == ' ')
		n--;
	*start = s;
	*len = n;
}

/* Checks free text: valid UTF-8 with no control character. */
static int cmd_text_ok(const char *s, size_t len, const char **why)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = rc_text_decode(s + i, len - i, &cp);
		if (cp == RC_TEXT_BAD) {
			*why = "text is not valid UTF-8";
			return RC_EINVAL;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			*why = "control characters (newline, tab, escape...) are not allowed";
			return RC_EINVAL;
		}
		i += n;
	}
	return 0;
}

/* Returns the length of one coordinate token at s ("~", "^1.5", "-3"), or 0. */
static size_t cmd_coord(const char *s, char *kind)
{
	size_t i = 0, digits = 0, frac = 0;

	*kind = 0;
	if (s[0] == '~' || s[0] == '^')
		*kind = s[i++];
	if (s[i] == '-')
		i++;
	for (; s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			frac++;
		if (frac == 0)
			return 0;
	}
	if (digits + frac == 0 && (*kind == 0 || i > 1))
		return 0;
	if (i > CMD_COORD_MAX || (s[i] != ' ' && s[i] != '\0'))
		return 0;
	return i;
}

/* Returns true when s[len] is three coordinates, ^ used by all or none. */
static bool cmd_coords(const char *s, size_t len)
{
	size_t i = 0, carets = 0;

	for (int k = 0; k < 3; k++) {
		char kind;
		size_t n = cmd_coord(s + i, &kind);
		if (n == 0)
			return false;
		carets += kind == '^';
		i += n;
		if (k < 2) {
			if (s[i] != ' ')
				return false;
			i++;
		}
	}
	return i == len && (carets == 0 || carets == 3);
}

/* Returns true when s[len] equals word, ignoring ASCII case. */
static bool cmd_word_eq(const char *word, const char *s, size_t len)
{
	if (strlen(word) != len)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		if (c != word[i])
			return false;
	}
	return true;
}

/* Appends the mode named by s[len] in its canonical spelling. */
static int cmd_gamemode(struct cmd_buf *b, const char *s, size_t len, const char **why)
{
	for (size_t m = 0; m < sizeof cmd_modes / sizeof cmd_modes[0]; m++)
		for (size_t k = 0; cmd_modes[m][k]; k++)
			if (cmd_word_eq(cmd_modes[m][k], s, len)) {
				cmd_put(b, " ", 1);
				cmd_put(b, cmd_modes[m][0], strlen(cmd_modes[m][0]));
				return 0;
			}
	*why = "game mode must be survival, creative, adventure or spectator";
	return RC_EINVAL;
}

/* Appends the argument s[len] of kind (already free of control characters). */
static int cmd_arg(struct cmd_buf *b, enum cmd_arg kind, const char *s, size_t len,
    unsigned flags, const char **why)
{
	if (kind == ARG_GAMEMODE)
		return cmd_gamemode(b, s, len, why);
	if (kind == ARG_TARGET && !cmd_coords(s, len)) {
		char target[CMD_NAME_MAX * 2 + 1];
		if (len >= sizeof target) {
			*why = "destination is neither a player name nor x y z";
			return RC_EINVAL;
		}
		memcpy(target, s, len);
		target[len] = '\0';
		return cmd_name(b, target, flags, NAME_ENTITY, why);
	}
	cmd_put(b, " ", 1);
	cmd_put(b, s, len);
	return 0;
}

/* Returns the table entry for an action, or NULL. */
const rc_mc_action_info *rc_mc_action_get(rc_mc_action a)
{
	if ((unsigned)a >= RC_MC_ACTION_COUNT)
		return NULL;
	return &cmd_table[a].info;
}

/* Builds a command with the Bedrock-inclusive name rules (see mc.h). */
int rc_mc_build(rc_mc_action a, const char *name, const char *arg,
    char *out, size_t cap, const char **cause)
{
	return rc_mc_build_ex(a, name, arg, RC_MC_NAME_BEDROCK, out, cap, cause);
}

/* Builds "verb [MODE] [NAME] [ARG]" for an action into out[cap]. */
int rc_mc_build_ex(rc_mc_action a, const char *name, const char *arg,
    unsigned flags, char *out, size_t cap, const char **cause)
{
	static const char *unused;
	const char **why = cause ? cause : &unused;
	const struct cmd_row *row;
	struct cmd_buf b = { .n = 0, .over = false };
	const char *text = "";
	size_t text_len = 0;
	int rc = 0;

	*why = NULL;
	if ((unsigned)a >= RC_MC_ACTION_COUNT || out == NULL) {
		*why = "unknown action";
		return RC_EINVAL;
	}
	row = &cmd_table[a];
	if (arg && row->arg != ARG_NONE)
		cmd_trim(arg, &text, &text_len);
	if (text_len && cmd_text_ok(text, text_len, why) < 0)
		return RC_EINVAL;
	if (text_len == 0 && row->info.arg_required) {
		*why = "an argument is required";
		return RC_EINVAL;
	}
	b.b[0] = '\0';
	cmd_put(&b, row->info.verb, strlen(row->info.verb));
	if (row->arg == ARG_GAMEMODE)
		rc = cmd_arg(&b, row->arg, text, text_len, flags, why);
	if (rc == 0 && row->name != NAME_NONE)
		rc = cmd_name(&b, name, flags, row->name, why);
	if (rc == 0 && row->arg != ARG_GAMEMODE && text_len)
		rc = cmd_arg(&b, row->arg, text, text_len, flags, why);
	if (rc < 0)
		return rc;
	if (b.over) {
		*why = "command longer than the server accepts (1446 bytes)";
		return RC_ETOOLONG;
	}
	if (b.n >= cap) {
		*why = "output buffer too small";
		return RC_EINVAL;
	}
	memcpy(out, b.b, b.n + 1);
	return (int)b.n;
}
