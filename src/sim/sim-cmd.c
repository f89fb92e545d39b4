/* sim-cmd.c: the commands mcsim understands, answered as vanilla 1.20 does.
 *
 * The command table below is the contract other helpers and tests rely on.
 * Output of commands that produce several messages is glued with no
 * separator (PROTOCOL.md "Command output"); a leading '/' is stripped.  A
 * command that does not parse answers as Brigadier does: a message, then the
 * text around the point where the parse stopped, glued (sim-parse.c):
 *   Unknown or incomplete command, see below for error<text><--[HERE]
 * where <text> is the whole command when its first word is no command (the
 * parse stopped at 0), or "..." + its last 10 characters when it is
 * incomplete (the parse ran to its end).
 *
 * Vanilla-style commands (command words are case-sensitive as in vanilla, player
 * names are not; <t> = an online player):
 *   list [uuids]                  per --list-format (modern, legacy, essentials,
 *                                 ancient); uuids adds " (uuid)" to each name
 *   say <text>                    empty reply (Forge: no packet at all)
 *   msg|tell|w <t> <text>         You whisper to <t>: <text>
 *   kick <t> [reason]             Kicked <t>: <reason>  | No player was found
 *   ban <name> [reason]           Banned <name>: <reason> (kicks if online);
 *                                 a name no account can have: That player
 *                                 does not exist (so for pardon, op, deop,
 *                                 whitelist add|remove)
 *   pardon <name>, banlist        Unbanned <name>; There are N ban(s):<name>
 *                                 was banned by Rcon: <reason>...
 *   op <name>, deop <name>        Made <name> a server operator / no longer ...
 *   whitelist add|remove <name>, whitelist list|on|off|reload
 *   tp|teleport <t> <t2> | <t> <x> <y> <z>, kill <t>, give <t> <item> [n]
 *   gamemode <mode> <t> (nothing when <t> is in <mode> already),
 *   difficulty [level], weather clear|rain|thunder
 *   time query daytime|gametime|day, time set <n|day|noon|night|midnight>,
 *   time add <n> (n: ticks, or with a unit d, s or t), seed, save-all,
 *   save-on/off
 *   tps, mspt, tick query, forge tps   per --health (sim-health.c)
 *   help [command]                all usage lines glued: > 8192 chars, so
 *                                 several fragments
 *   stop                          "Stopping the server", then the connection
 *                                 closes and the server stops
 *
 * Test helpers (sim-testcmd.c; part of the contract):
 *   sim chars <N> ascii|latin|cjk|emoji|xemoji
 *       answers exactly N UTF-16 code units: ascii 'a' (1 byte each), latin
 *       'é' (2 bytes), cjk '中' (3 bytes), emoji '😀' (a surrogate pair, 4
 *       bytes per 2 units; an odd N ends with one 'x'), xemoji one 'x' then
 *       emoji (so a pair straddles every 4096-unit boundary; ends with 'x'
 *       when needed).  0 <= N <= 16777216.
 *   sim pattern <N>
 *       answers exactly N bytes (0 <= N <= 16777216) of 10-byte records:
 *       record k is the decimal offset 10k in 9 digits and "\n", the last
 *       record cut at N, so every byte tells where it belongs.
 *   sim join <name>   <name> joins now; answers "<name> joined the game"
 *   sim leave <name>  <name> leaves now; answers "<name> left the game"
 *   sim names         the online names in join order, each followed by "\n"
 *                     ("" when nobody is online)
 *   sim echo <text>   answers <text> exactly (everything after "sim echo ")
 *   sim bytes <hex>   answers the raw bytes given in hex (may be invalid UTF-8)
 *   sim tps <N>       the health commands report N TPS from now on (0 = healthy) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sim/sim-int.h"

typedef enum sim_cmd_effect (*cmd_fn)(sim_server *s, const sim_args *a, sim_buf *out);

static const char no_player[] = "No player was found";
static const char no_entity[] = "No entity was found";
/* A name no account has (ban, pardon, op, deop, whitelist take profiles, and
 * here every valid name has one, online or not). */
static const char no_profile[] = "That player does not exist";

/* Returns argument i, or NULL when absent. */
static const char *arg(const sim_args *a, size_t i)
{
	return i < a->argc ? a->argv[i] : NULL;
}

/* Appends the online names joined by ", ", with uuids when asked. */
static void cmd_add_names(sim_server *s, sim_buf *out, bool uuids)
{
	const sim_names *on = &s->roster.online;
	for (size_t i = 0; i < on->n; i++) {
		if (i)
			sim_buf_adds(out, ", ");
		sim_buf_adds(out, on->v[i]);
		if (uuids) {
			char u[37];
			sim_name_uuid(on->v[i], u);
			sim_buf_addf(out, " (%s)", u);
		}
	}
}

/* Appends one EssentialsX group line: "§6group§r: A, B\n" (skipped if empty). */
static void cmd_add_group(sim_server *s, sim_buf *out, const char *group, bool ops)
{
	const sim_roster *r = &s->roster;
	bool any = false;
	for (size_t i = 0; i < r->online.n; i++) {
		if ((sim_names_find(&r->ops, r->online.v[i]) >= 0) != ops)
			continue;
		sim_buf_adds(out, any ? ", " : "");
		if (!any)
			sim_buf_addf(out, "\xc2\xa7" "6%s\xc2\xa7r: ", group);
		sim_buf_adds(out, r->online.v[i]);
		any = true;
	}
	if (any)
		sim_buf_addc(out, '\n');
}

/* list [uuids]: the player list in the configured format. */
static enum sim_cmd_effect cmd_list(sim_server *s, const sim_args *a, sim_buf *out)
{
	size_t n = s->roster.online.n;
	int max = s->roster.max;
	bool uuids = arg(a, 1) && strcmp(arg(a, 1), "uuids") == 0;
	if (a->argc == 2 && !uuids) {
		sim_parse_bad_word(a, 1, out);
		return SIM_CMD_DONE;
	}
	if (!sim_parse_arity(a, 1, 2, out))
		return SIM_CMD_DONE;
	switch (s->opts.list_format) {
	case SIM_LIST_LEGACY:
		sim_buf_addf(out, "There are %zu/%d players online:", n, max);
		cmd_add_names(s, out, uuids);
		break;
	case SIM_LIST_ESSENTIALS:
		sim_buf_addf(out, "\xc2\xa7" "6There are \xc2\xa7" "c%zu\xc2\xa7" "6 out of maximum "
		    "\xc2\xa7" "c%d\xc2\xa7" "6 players online.\n", n, max);
		cmd_add_group(s, out, "admins", true);
		cmd_add_group(s, out, "default", false);
		break;
	case SIM_LIST_ANCIENT:
		sim_buf_adds(out, "Connected players: ");
		cmd_add_names(s, out, false);
		break;
	case SIM_LIST_MODERN:
	default:
		sim_buf_addf(out, "There are %zu of a max of %d players online: ", n, max);
		cmd_add_names(s, out, uuids);
		break;
	}
	return SIM_CMD_DONE;
}

/* say <text>: broadcast; the RCON sender gets nothing back. */
static enum sim_cmd_effect cmd_say(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc < 2)
		sim_parse_incomplete(a, out);
	return SIM_CMD_DONE;
}

/* msg <t> <text>: a whisper, echoed to the sender. */
static enum sim_cmd_effect cmd_msg(sim_server *s, const sim_args *a, sim_buf *out)
{
	const char *text = sim_parse_greedy(a, 2);
	if (!text) {
		sim_parse_incomplete(a, out);
		return SIM_CMD_DONE;
	}
	const char *who = sim_roster_online(&s->roster, a->argv[1]);
	if (!who)
		sim_buf_adds(out, no_player);
	else
		sim_buf_addf(out, "You whisper to %s: %s", who, text);
	return SIM_CMD_DONE;
}

/* kick <t> [reason]. */
static enum sim_cmd_effect cmd_kick(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc < 2) {
		sim_parse_incomplete(a, out);
		return SIM_CMD_DONE;
	}
	const char *who = sim_roster_online(&s->roster, a->argv[1]);
	if (!who) {
		sim_buf_adds(out, no_player);
		return SIM_CMD_DONE;
	}
	const char *reason = sim_parse_greedy(a, 2);
	sim_buf_addf(out, "Kicked %s: %s", who, reason ? reason : "Kicked by an operator");
	sim_roster_leave(&s->roster, who);
	return SIM_CMD_DONE;
}

/* Returns the spelling to record for name: the online one when online. */
static const char *cmd_canon(sim_server *s, const char *name)
{
	const char *on = sim_roster_online(&s->roster, name);
	return on ? on : name;
}

/* ban <name> [reason]: records the ban and kicks the player if online. */
static enum sim_cmd_effect cmd_ban(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc < 2) {
		sim_parse_incomplete(a, out);
		return SIM_CMD_DONE;
	}
	if (!sim_name_valid(a->argv[1])) {
		sim_buf_adds(out, no_profile);
		return SIM_CMD_DONE;
	}
	if (sim_names_find(&s->roster.banned, a->argv[1]) >= 0) {
		sim_buf_adds(out, "Nothing changed. The player is already banned");
		return SIM_CMD_DONE;
	}
	char name[80];
	snprintf(name, sizeof name, "%s", cmd_canon(s, a->argv[1]));
	const char *reason = sim_parse_greedy(a, 2);
	if (!reason)
		reason = "Banned by an operator.";
	if (sim_roster_ban(&s->roster, name, reason) < 0) {
		out->oom = true;
		return SIM_CMD_DONE;
	}
	sim_buf_addf(out, "Banned %s: %s", name, reason);
	sim_roster_leave(&s->roster, name);
	return SIM_CMD_DONE;
}

/* pardon <name>. */
static enum sim_cmd_effect cmd_pardon(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (!sim_parse_arity(a, 2, 2, out))
		return SIM_CMD_DONE;
	if (!sim_name_valid(a->argv[1])) {
		sim_buf_adds(out, no_profile);
		return SIM_CMD_DONE;
	}
	long i = sim_names_find(&s->roster.banned, a->argv[1]);
	if (i < 0) {
		sim_buf_adds(out, "Nothing changed. The player isn't banned");
		return SIM_CMD_DONE;
	}
	sim_buf_addf(out, "Unbanned %s", s->roster.banned.v[i]);
	sim_roster_pardon(&s->roster, (size_t)i);
	return SIM_CMD_DONE;
}

/* banlist [players|ips]: header, then one glued message per ban, each
 * with the reason it was given (the source is the RCON console's name). */
static enum sim_cmd_effect cmd_banlist(sim_server *s, const sim_args *a, sim_buf *out)
{
	const sim_names *b = &s->roster.banned;
	const char *which = arg(a, 1);
	if (which && strcmp(which, "players") != 0 && strcmp(which, "ips") != 0) {
		sim_parse_bad_word(a, 1, out);
		return SIM_CMD_DONE;
	}
	if (!sim_parse_arity(a, 1, 2, out))
		return SIM_CMD_DONE;
	if (b->n == 0 || (which && strcmp(which, "ips") == 0)) {
		sim_buf_adds(out, "There are no bans");
		return SIM_CMD_DONE;
	}
	sim_buf_addf(out, "There are %zu ban(s):", b->n);
	for (size_t i = 0; i < b->n; i++)
		sim_buf_addf(out, "%s was banned by Rcon: %s", b->v[i],
		    s->roster.ban_reasons.v[i]);
	return SIM_CMD_DONE;
}

/* op <name> / deop <name>. */
static enum sim_cmd_effect cmd_op_common(sim_server *s, const sim_args *a, sim_buf *out,
    bool op)
{
	if (!sim_parse_arity(a, 2, 2, out))
		return SIM_CMD_DONE;
	if (!sim_name_valid(a->argv[1])) {
		sim_buf_adds(out, no_profile);
		return SIM_CMD_DONE;
	}
	long i = sim_names_find(&s->roster.ops, a->argv[1]);
	if (op && i >= 0) {
		sim_buf_adds(out, "Nothing changed. The player already is an operator");
	} else if (!op && i < 0) {
		sim_buf_adds(out, "Nothing changed. The player is not an operator");
	} else if (op) {
		const char *name = cmd_canon(s, a->argv[1]);
		sim_names_add(&s->roster.ops, name);
		sim_buf_addf(out, "Made %s a server operator", name);
	} else {
		sim_buf_addf(out, "Made %s no longer a server operator", s->roster.ops.v[i]);
		sim_names_del(&s->roster.ops, (size_t)i);
	}
	return SIM_CMD_DONE;
}

/* op <name>. */
static enum sim_cmd_effect cmd_op(sim_server *s, const sim_args *a, sim_buf *out)
{
	return cmd_op_common(s, a, out, true);
}

/* deop <name>. */
static enum sim_cmd_effect cmd_deop(sim_server *s, const sim_args *a, sim_buf *out)
{
	return cmd_op_common(s, a, out, false);
}

/* whitelist add|remove|list|on|off|reload. */
static enum sim_cmd_effect cmd_whitelist(sim_server *s, const sim_args *a, sim_buf *out)
{
	sim_roster *r = &s->roster;
	static const char *const subs[] = { "list", "on", "off", "reload", "add", "remove" };
	const char *sub = arg(a, 1) ? arg(a, 1) : "";
	const char *name = arg(a, 2);
	if (a->argc > 1 && !sim_parse_among(sub, subs, sizeof subs / sizeof subs[0])) {
		sim_parse_bad_word(a, 1, out);
		return SIM_CMD_DONE;
	}
	bool named = strcmp(sub, "add") == 0 || strcmp(sub, "remove") == 0;
	size_t want = named ? 3 : 2;
	if (!sim_parse_arity(a, want, want, out))
		return SIM_CMD_DONE;
	if (strcmp(sub, "list") == 0) {
		if (r->whitelist.n == 0) {
			sim_buf_adds(out, "There are no whitelisted players");
			return SIM_CMD_DONE;
		}
		sim_buf_addf(out, "There are %zu whitelisted player(s): ", r->whitelist.n);
		for (size_t i = 0; i < r->whitelist.n; i++)
			sim_buf_addf(out, "%s%s", i ? ", " : "", r->whitelist.v[i]);
	} else if (strcmp(sub, "on") == 0 || strcmp(sub, "off") == 0) {
		bool on = strcmp(sub, "on") == 0;
		sim_buf_addf(out, r->whitelist_on == on ? "Whitelist is already turned %s" :
		    "Whitelist is now turned %s", sub);
		r->whitelist_on = on;
	} else if (strcmp(sub, "reload") == 0) {
		sim_buf_adds(out, "Reloaded the whitelist");
	} else if (!sim_name_valid(name)) {
		sim_buf_adds(out, no_profile);
	} else if (strcmp(sub, "add") == 0) {
		if (sim_names_find(&r->whitelist, name) >= 0) {
			sim_buf_adds(out, "Player is already whitelisted");
		} else {
			name = cmd_canon(s, name);
			sim_names_add(&r->whitelist, name);
			sim_buf_addf(out, "Added %s to the whitelist", name);
		}
	} else {
		long i = sim_names_find(&r->whitelist, name);
		if (i < 0) {
			sim_buf_adds(out, "Player is not whitelisted");
		} else {
			sim_buf_addf(out, "Removed %s from the whitelist", r->whitelist.v[i]);
			sim_names_del(&r->whitelist, (size_t)i);
		}
	}
	return SIM_CMD_DONE;
}

/* Returns true when s is a decimal or ~relative coordinate; sets *v.  As
 * vanilla's Vec3Argument, a number is the characters [0-9.-] only, and an
 * absolute whole x or z (center) names a block, so it means its centre:
 * 1 is 1.5, where 1.0 stays 1.0. */
static bool cmd_coord(const char *s, bool center, double *v)
{
	bool rel = s[0] == '~';
	const char *num = s + rel;
	char *end;
	if (rel && !*num) {
		*v = 0.0;
		return true;
	}
	if (strspn(num, "0123456789.-") != strlen(num))
		return false;
	*v = strtod(num, &end);
	if (end == num || *end != '\0')
		return false;
	if (center && !rel && !strchr(num, '.'))
		*v += 0.5;
	return true;
}

/* tp <t> <t2> | tp <t> <x> <y> <z>. */
static enum sim_cmd_effect cmd_tp(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc == 2) {
		sim_buf_adds(out, "An entity is required to run this command here");
		return SIM_CMD_DONE;
	}
	double xyz[3];
	bool coords = a->argc == 5 && cmd_coord(a->argv[2], true, &xyz[0]) &&
	    cmd_coord(a->argv[3], false, &xyz[1]) && cmd_coord(a->argv[4], true, &xyz[2]);
	if (a->argc != 3 && !coords) {
		sim_parse_incomplete(a, out);
		return SIM_CMD_DONE;
	}
	const char *who = sim_roster_online(&s->roster, a->argv[1]);
	const char *to = coords ? "" : sim_roster_online(&s->roster, a->argv[2]);
	if (!who || !to)
		sim_buf_adds(out, no_entity);
	else if (coords)
		sim_buf_addf(out, "Teleported %s to %f, %f, %f", who, xyz[0], xyz[1], xyz[2]);
	else
		sim_buf_addf(out, "Teleported %s to %s", who, to);
	return SIM_CMD_DONE;
}

/* kill <t>. */
static enum sim_cmd_effect cmd_kill(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc == 1) {
		sim_buf_adds(out, "An entity is required to run this command here");
		return SIM_CMD_DONE;
	}
	if (!sim_parse_arity(a, 2, 2, out))
		return SIM_CMD_DONE;
	const char *who = sim_roster_online(&s->roster, a->argv[1]);
	if (!who)
		sim_buf_adds(out, no_entity);
	else
		sim_buf_addf(out, "Killed %s", who);
	return SIM_CMD_DONE;
}

/* give <t> <item> [count]: "Gave 1 [Diamond Sword] to Alice". */
static enum sim_cmd_effect cmd_give(sim_server *s, const sim_args *a, sim_buf *out)
{
	long count = 1;
	if (!sim_parse_arity(a, 3, 4, out) || (a->argc == 4 && !sim_parse_count(a, 3, &count, out)))
		return SIM_CMD_DONE;
	const char *who = sim_roster_online(&s->roster, a->argv[1]);
	if (!who) {
		sim_buf_adds(out, no_player);
		return SIM_CMD_DONE;
	}
	const char *item = a->argv[2];
	const char *colon = strchr(item, ':');
	if (colon)
		item = colon + 1;
	sim_buf_addf(out, "Gave %ld [", count);
	bool start = true;
	for (const char *p = item; *p; p++) {
		char ch = *p == '_' ? ' ' : *p;
		if (start && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		start = ch == ' ';
		sim_buf_addc(out, ch);
	}
	sim_buf_addf(out, "] to %s", who);
	return SIM_CMD_DONE;
}

/* Finds key in a NULL-terminated {key, value} table; returns its index or -1. */
static int cmd_lookup(const char *const (*table)[2], const char *key)
{
	for (int i = 0; key && table[i][0]; i++)
		if (strcmp(table[i][0], key) == 0)
			return i;
	return -1;
}

static const char *const gamemodes[][2] = {
	{ "survival", "Survival Mode" }, { "creative", "Creative Mode" },
	{ "adventure", "Adventure Mode" }, { "spectator", "Spectator Mode" }, { NULL, NULL }
};

/* gamemode <mode> <t> (modes in the roster's order: survival first). */
static enum sim_cmd_effect cmd_gamemode(sim_server *s, const sim_args *a, sim_buf *out)
{
	int m = cmd_lookup(gamemodes, arg(a, 1));
	if (m < 0) {
		sim_parse_incomplete(a, out);
		return SIM_CMD_DONE;
	}
	if (!sim_parse_arity(a, 2, 3, out))
		return SIM_CMD_DONE;
	if (a->argc == 2) {
		sim_buf_adds(out, "A player is required to run this command here");
		return SIM_CMD_DONE;
	}
	const char *who = sim_roster_online(&s->roster, a->argv[2]);
	if (!who) {
		sim_buf_adds(out, no_player);
		return SIM_CMD_DONE;
	}
	/* A player already in that mode is not changed, and vanilla then says
	 * nothing at all: the reply is empty. */
	int was = sim_roster_gamemode(&s->roster, who);
	if (was != m && sim_roster_set_gamemode(&s->roster, who, m) < 0)
		out->oom = true;
	else if (was != m)
		sim_buf_addf(out, "Set %s's game mode to %s", who, gamemodes[m][1]);
	return SIM_CMD_DONE;
}

static const char *const difficulties[][2] = {
	{ "peaceful", "Peaceful" }, { "easy", "Easy" }, { "normal", "Normal" },
	{ "hard", "Hard" }, { NULL, NULL }
};

/* difficulty [level]. */
static enum sim_cmd_effect cmd_difficulty(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc == 1) {
		sim_buf_addf(out, "The difficulty is %s", difficulties[s->difficulty][1]);
		return SIM_CMD_DONE;
	}
	int d = cmd_lookup(difficulties, arg(a, 1));
	if (d < 0) {
		sim_parse_bad_word(a, 1, out);
		return SIM_CMD_DONE;
	}
	if (!sim_parse_arity(a, 2, 2, out))
		return SIM_CMD_DONE;
	if (d == s->difficulty)
		sim_buf_addf(out, "The difficulty did not change; it is already set to %s",
		    difficulties[d][0]);
	else
		sim_buf_addf(out, "The difficulty has been set to %s", difficulties[d][1]);
	s->difficulty = d;
	return SIM_CMD_DONE;
}

static const char *const weathers[][2] = {
	{ "clear", "clear" }, { "rain", "rain" }, { "thunder", "rain & thunder" }, { NULL, NULL }
};

/* weather clear|rain|thunder [duration]. */
static enum sim_cmd_effect cmd_weather(sim_server *s, const sim_args *a, sim_buf *out)
{
	int w = cmd_lookup(weathers, arg(a, 1));
	if (a->argc > 1 && w < 0)
		sim_parse_bad_word(a, 1, out);
	else if (sim_parse_arity(a, 2, 3, out))
		sim_buf_addf(out, "Set the weather to %s", weathers[w][1]);
	return SIM_CMD_DONE;
}

static const char *const time_names[][2] = {
	{ "day", "1000" }, { "noon", "6000" }, { "night", "13000" }, { "midnight", "18000" },
	{ NULL, NULL }
};

/* time set|add: moves the day time (never the game time) as vanilla does:
 * set makes it the value given (the day count starts over), add adds to it.
 * Both answer the new time: set the value, add the time of day. */
static void cmd_time_move(sim_server *s, const sim_args *a, sim_buf *out)
{
	bool set = strcmp(a->argv[1], "set") == 0;
	int k = set ? cmd_lookup(time_names, a->argv[2]) : -1;
	int64_t v;
	if (k >= 0)
		v = strtoll(time_names[k][1], NULL, 10);
	else if (!sim_parse_time(a, 2, &v, out))
		return;
	int64_t day = sim_server_gametime(s) + s->day_offset;
	s->day_offset += set ? v - day : v;
	sim_buf_addf(out, "Set the time to %lld", (long long)(set ? v : (day + v) % 24000));
}

/* time query daytime|gametime|day | time set <t> | time add <n>. */
static enum sim_cmd_effect cmd_time(sim_server *s, const sim_args *a, sim_buf *out)
{
	static const char *const subs[] = { "query", "set", "add" };
	static const char *const queries[] = { "daytime", "gametime", "day" };
	const char *sub = arg(a, 1), *what = arg(a, 2);
	bool query = sub && strcmp(sub, "query") == 0;
	if (a->argc > 1 && !sim_parse_among(sub, subs, sizeof subs / sizeof subs[0]))
		sim_parse_bad_word(a, 1, out);
	else if (a->argc > 2 && query &&
	    !sim_parse_among(what, queries, sizeof queries / sizeof queries[0]))
		sim_parse_bad_word(a, 2, out);
	else if (!sim_parse_arity(a, 3, 3, out))
		return SIM_CMD_DONE;
	else if (!query)
		cmd_time_move(s, a, out);
	else {
		int64_t game = sim_server_gametime(s), day = game + s->day_offset;
		int64_t t = strcmp(what, "gametime") == 0 ? game :
		    strcmp(what, "daytime") == 0 ? day % 24000 : day / 24000;
		sim_buf_addf(out, "The time is %lld", (long long)(t % 2147483647));
	}
	return SIM_CMD_DONE;
}

/* seed: "Seed: [n]". */
static enum sim_cmd_effect cmd_seed(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (sim_parse_arity(a, 1, 1, out))
		sim_buf_addf(out, "Seed: [%lld]", (long long)s->world_seed);
	return SIM_CMD_DONE;
}

/* save-all [flush]: two messages, glued. */
static enum sim_cmd_effect cmd_save_all(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (a->argc > 1 && strcmp(a->argv[1], "flush") != 0)
		sim_parse_bad_word(a, 1, out);
	else if (sim_parse_arity(a, 1, 2, out))
		sim_buf_adds(out, "Saving the game (this may take a moment!)Saved the game");
	return SIM_CMD_DONE;
}

/* save-on / save-off: switches automatic saving; a switch that changes
 * nothing is refused, as vanilla refuses it. */
static enum sim_cmd_effect cmd_save_switch(sim_server *s, const sim_args *a, sim_buf *out,
    bool on)
{
	if (!sim_parse_arity(a, 1, 1, out))
		return SIM_CMD_DONE;
	if (s->save_off != on)
		sim_buf_addf(out, "Saving is already turned %s", on ? "on" : "off");
	else
		sim_buf_addf(out, "Automatic saving is now %s", on ? "enabled" : "disabled");
	s->save_off = !on;
	return SIM_CMD_DONE;
}

/* save-on. */
static enum sim_cmd_effect cmd_save_on(sim_server *s, const sim_args *a, sim_buf *out)
{
	return cmd_save_switch(s, a, out, true);
}

/* save-off. */
static enum sim_cmd_effect cmd_save_off(sim_server *s, const sim_args *a, sim_buf *out)
{
	return cmd_save_switch(s, a, out, false);
}

/* help [command]. */
static enum sim_cmd_effect cmd_help(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (s->opts.help_style == SIM_HELP_UNKNOWN) {    /* a server without help */
		sim_parse_unknown(a, out);
		return SIM_CMD_DONE;
	}
	sim_help(&s->opts, a->argc > 1 ? a->argv[1] : NULL, out);
	/* vanilla's full list names the health commands the flavour has */
	if (a->argc == 1 && s->opts.help_style == SIM_HELP_VANILLA)
		sim_health_help(s, out);
	return SIM_CMD_DONE;
}

/* stop: answer, then the caller stops the server.  With words after it,
 * it is a syntax error and the server runs on. */
static enum sim_cmd_effect cmd_stop(sim_server *s, const sim_args *a, sim_buf *out)
{
	if (!sim_parse_arity(a, 1, 1, out))
		return SIM_CMD_DONE;
	sim_buf_adds(out, "Stopping the server");
	return SIM_CMD_STOP;
}

#define CMD_LENIENT (-1)   /* not vanilla's: spaces are not checked */

static const struct cmd_entry {
	const char *name;
	cmd_fn fn;
	int greedy;   /* the word its greedy text (a message, a reason) starts at; 0: none */
} cmd_table[] = {
	{ "ban", cmd_ban, 2 },
	{ "banlist", cmd_banlist, 0 },
	{ "deop", cmd_deop, 0 },
	{ "difficulty", cmd_difficulty, 0 },
	{ "gamemode", cmd_gamemode, 0 },
	{ "give", cmd_give, 0 },
	{ "help", cmd_help, 1 },
	{ "kick", cmd_kick, 2 },
	{ "kill", cmd_kill, 0 },
	{ "list", cmd_list, 0 },
	{ "msg", cmd_msg, 2 },
	{ "op", cmd_op, 0 },
	{ "pardon", cmd_pardon, 0 },
	{ "save-all", cmd_save_all, 0 },
	{ "save-off", cmd_save_off, 0 },
	{ "save-on", cmd_save_on, 0 },
	{ "say", cmd_say, 1 },
	{ "seed", cmd_seed, 0 },
	{ "sim", sim_testcmd_run, CMD_LENIENT },
	{ "stop", cmd_stop, 0 },
	{ "teleport", cmd_tp, 0 },
	{ "tell", cmd_msg, 2 },
	{ "time", cmd_time, 0 },
	{ "tp", cmd_tp, 0 },
	{ "w", cmd_msg, 2 },
	{ "weather", cmd_weather, 0 },
	{ "whitelist", cmd_whitelist, 0 },
};

/* Returns true (and answers) when the spaces of a's text would stop
 * Brigadier before command e runs: a leading space makes the first word ""
 * (no command); one trailing space outside a greedy text is read as a
 * separator with nothing after it (the parse ends on the space).  Spaces a
 * greedy text holds are its own.  Paper rebuilds the line from its words,
 * dropping trailing spaces, so --namespaced checks only the leading one. */
static bool cmd_bad_spaces(const sim_server *s, const sim_args *a, const struct cmd_entry *e,
    sim_buf *out)
{
	const char *t = a->text;
	size_t n = a->text_len;
	if (s->opts.dialect == SIM_DIALECT_SOURCE || (e && e->greedy == CMD_LENIENT) || n == 0)
		return false;    /* the Source console splits words its own way */
	if (t[0] == ' ') {
		sim_parse_unknown(a, out);
		return true;
	}
	bool one_trailing = t[n - 1] == ' ' && t[n - 2] != ' ';
	if (!e || s->opts.namespaced || !one_trailing ||
	    (e->greedy > 0 && a->argc > (size_t)e->greedy))
		return false;
	sim_parse_syntax(a, n - 1, "Incorrect argument for command", out);
	return true;
}

/* Runs the command cmd[len] (as received) and appends its output to out. */
enum sim_cmd_effect sim_cmd_run(sim_server *s, const char *cmd, size_t len, sim_buf *out)
{
	if (len > 0 && cmd[0] == '/') {
		cmd++;
		len--;
	}
	char *line = malloc(len + 1), *words = malloc(len + 1);
	if (!line || !words) {
		free(line);
		free(words);
		out->oom = true;
		return SIM_CMD_DONE;
	}
	memcpy(line, cmd, len);
	line[len] = '\0';
	memcpy(words, cmd, len);
	words[len] = '\0';
	sim_args a;
	sim_parse_split(&a, words, line, len);
	/* Paper and Spigot register each vanilla command under its namespace
	 * too, and Bukkit lower-cases the label before looking it up. */
	if (s->opts.namespaced && a.argc > 0) {
		for (char *c = words + (a.argv[0] - words); *c; c++)   /* words is ours */
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		if (strncmp(a.argv[0], "minecraft:", 10) == 0)
			a.argv[0] += 10;
	}
	enum sim_cmd_effect eff = SIM_CMD_DONE;
	const struct cmd_entry *hit = NULL;
	for (size_t i = 0; a.argc > 0 && i < sizeof cmd_table / sizeof cmd_table[0]; i++)
		if (strcmp(cmd_table[i].name, a.argv[0]) == 0)
			hit = &cmd_table[i];
	if (cmd_bad_spaces(s, &a, hit, out))
		eff = SIM_CMD_DONE;
	else if (hit)
		eff = hit->fn(s, &a, out);
	else if (a.argc > 0 && sim_health_run(s, &a, out))
		eff = SIM_CMD_DONE;
	else    /* no command of that name: the parse stopped at the first byte */
		sim_parse_unknown(&a, out);
	free(line);
	free(words);
	return eff;
}
