/* sim-help.c: the `help` text — vanilla 1.20 usage lines, glued.
 *
 * Vanilla sends one message per usage line and RCON glues them with no
 * separator (PROTOCOL.md "Command output").  `help` here gives each command's
 * top-level usage followed by its expanded forms (what `help <command>`
 * prints), which makes the reply well over 8192 characters: three fragments
 * on the wire, the case clients get wrong.  Aliases are listed as vanilla
 * lists a redirect: "/tp -> teleport". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim-int.h"

/* One command: its top usage and its expanded usages, '\n'-separated, each
 * without the leading "/<name> ". */
static const struct help_entry {
	const char *name;
	const char *top;
	const char *forms;
} help_table[] = {
	{ "advancement", "(grant|revoke)",
	  "grant <targets> everything\ngrant <targets> from <advancement>\n"
	  "grant <targets> only <advancement> [<criterion>]\ngrant <targets> through <advancement>\n"
	  "grant <targets> until <advancement>\nrevoke <targets> everything\n"
	  "revoke <targets> from <advancement>\nrevoke <targets> only <advancement> [<criterion>]\n"
	  "revoke <targets> through <advancement>\nrevoke <targets> until <advancement>" },
	{ "attribute", "<target> <attribute> (base|get|modifier)",
	  "<target> <attribute> base get [<scale>]\n<target> <attribute> base set <value>\n"
	  "<target> <attribute> get [<scale>]\n"
	  "<target> <attribute> modifier add <uuid> <name> <value> (add|multiply|multiply_base)\n"
	  "<target> <attribute> modifier remove <uuid>\n"
	  "<target> <attribute> modifier value get <uuid> [<scale>]" },
	{ "execute", "(align|anchored|as|at|facing|if|in|on|positioned|rotated|run|store|summon|unless)",
	  "align <axes> -> execute\nanchored <anchor> -> execute\nas <targets> -> execute\n"
	  "at <targets> -> execute\nfacing (<pos>|entity)\n"
	  "if (biome|block|blocks|data|dimension|entity|loaded|predicate|score)\n"
	  "in <dimension> -> execute\non (attacker|controller|leasher|origin|owner|passengers|target|vehicle)\n"
	  "positioned (<pos>|as|over)\nrotated (<rot>|as)\nrun ...\nstore (result|success)\n"
	  "summon <entity> -> execute\n"
	  "unless (biome|block|blocks|data|dimension|entity|loaded|predicate|score)" },
	{ "bossbar", "(add|get|list|remove|set)",
	  "add <id> <name>\nget <id> (max|players|value|visible)\nlist\nremove <id>\n"
	  "set <id> (color|max|name|players|style|value|visible)" },
	{ "clear", "[<targets>]", "[<targets>] [<item>] [<maxCount>]" },
	{ "clone", "(<begin>|from)",
	  "<begin> <end> <destination> [filtered|masked|replace]\n"
	  "<begin> <end> to <targetDimension> <destination> [filtered|masked|replace]\n"
	  "from <sourceDimension> <begin> <end> <destination> [filtered|masked|replace]" },
	{ "damage", "<target> <amount> [<damageType>]",
	  "<target> <amount> <damageType> at <location>\n"
	  "<target> <amount> <damageType> by <entity> [from <cause>]" },
	{ "data", "(get|merge|modify|remove)",
	  "get (block|entity|storage)\nmerge (block|entity|storage)\n"
	  "modify (block|entity|storage)\nremove (block|entity|storage)" },
	{ "datapack", "(disable|enable|list)",
	  "disable <name>\nenable <name> [after|before|first|last]\nlist [available|enabled]" },
	{ "debug", "(function|start|stop)", "function <name>\nstart\nstop" },
	{ "defaultgamemode", "<gamemode>", "<gamemode>" },
	{ "difficulty", "[easy|hard|normal|peaceful]", "\neasy\nhard\nnormal\npeaceful" },
	{ "effect", "(clear|give)",
	  "clear [<targets>] [<effect>]\n"
	  "give <targets> <effect> [<seconds>] [<amplifier>] [<hideParticles>]\n"
	  "give <targets> <effect> infinite [<amplifier>] [<hideParticles>]" },
	{ "me", "<action>", "<action>" },
	{ "enchant", "<targets> <enchantment> [<level>]", "<targets> <enchantment> [<level>]" },
	{ "experience", "(add|query|set)",
	  "add <targets> <amount> [levels|points]\nquery <targets> (levels|points)\n"
	  "set <targets> <amount> [levels|points]" },
	{ "xp", "-> experience", "-> experience" },
	{ "fill", "<from> <to> <block> [destroy|hollow|keep|outline|replace]",
	  "<from> <to> <block> replace [<filter>]" },
	{ "fillbiome", "<from> <to> <biome> [replace]", "<from> <to> <biome> replace <filter>" },
	{ "forceload", "(add|query|remove)",
	  "add <from> [<to>]\nquery [<pos>]\nremove (<from>|all)" },
	{ "function", "<name> [<arguments>|with]", "<name> with (block|entity|storage)" },
	{ "gamemode", "<gamemode> [<target>]", "adventure [<target>]\ncreative [<target>]\n"
	  "spectator [<target>]\nsurvival [<target>]" },
	{ "gamerule",
	  "(announceAdvancements|blockExplosionDropDecay|commandBlockOutput|"
	  "commandModificationBlockLimit|disableElytraMovementCheck|disableRaids|doDaylightCycle|"
	  "doEntityDrops|doFireTick|doImmediateRespawn|doInsomnia|doLimitedCrafting|doMobLoot|"
	  "doMobSpawning|doPatrolSpawning|doTileDrops|doTraderSpawning|doVinesSpread|"
	  "doWardenSpawning|doWeatherCycle|drowningDamage|enderPearlsVanishOnDeath|fallDamage|"
	  "fireDamage|forgiveDeadPlayers|freezeDamage|globalSoundEvents|keepInventory|"
	  "lavaSourceConversion|logAdminCommands|maxCommandChainLength|maxEntityCramming|"
	  "mobExplosionDropDecay|mobGriefing|naturalRegeneration|playersSleepingPercentage|"
	  "randomTickSpeed|reducedDebugInfo|sendCommandFeedback|showDeathMessages|"
	  "snowAccumulationHeight|spawnRadius|spectatorsGenerateChunks|tntExplosionDropDecay|"
	  "universalAnger|waterSourceConversion)",
	  "announceAdvancements [<value>]\nblockExplosionDropDecay [<value>]\n"
	  "commandBlockOutput [<value>]\ncommandModificationBlockLimit [<value>]\n"
	  "disableElytraMovementCheck [<value>]\ndisableRaids [<value>]\n"
	  "doDaylightCycle [<value>]\ndoEntityDrops [<value>]\ndoFireTick [<value>]\n"
	  "doImmediateRespawn [<value>]\ndoInsomnia [<value>]\ndoLimitedCrafting [<value>]\n"
	  "doMobLoot [<value>]\ndoMobSpawning [<value>]\ndoPatrolSpawning [<value>]\n"
	  "doTileDrops [<value>]\ndoTraderSpawning [<value>]\ndoVinesSpread [<value>]\n"
	  "doWardenSpawning [<value>]\ndoWeatherCycle [<value>]\ndrowningDamage [<value>]\n"
	  "enderPearlsVanishOnDeath [<value>]\nfallDamage [<value>]\nfireDamage [<value>]\n"
	  "forgiveDeadPlayers [<value>]\nfreezeDamage [<value>]\nglobalSoundEvents [<value>]\n"
	  "keepInventory [<value>]\nlavaSourceConversion [<value>]\nlogAdminCommands [<value>]\n"
	  "maxCommandChainLength [<value>]\nmaxEntityCramming [<value>]\n"
	  "mobExplosionDropDecay [<value>]\nmobGriefing [<value>]\nnaturalRegeneration [<value>]\n"
	  "playersSleepingPercentage [<value>]\nrandomTickSpeed [<value>]\n"
	  "reducedDebugInfo [<value>]\nsendCommandFeedback [<value>]\n"
	  "showDeathMessages [<value>]\nsnowAccumulationHeight [<value>]\nspawnRadius [<value>]\n"
	  "spectatorsGenerateChunks [<value>]\ntntExplosionDropDecay [<value>]\n"
	  "universalAnger [<value>]\nwaterSourceConversion [<value>]" },
	{ "give", "<targets> <item> [<count>]", "<targets> <item> [<count>]" },
	{ "help", "[<command>]", "[<command>]" },
	{ "item", "(modify|replace)",
	  "modify (block|entity)\nreplace block <pos> <slot> (from|with)\n"
	  "replace entity <targets> <slot> (from|with)" },
	{ "kick", "<targets> [<reason>]", "<targets> [<reason>]" },
	{ "kill", "[<targets>]", "[<targets>]" },
	{ "list", "[uuids]", "\nuuids" },
	{ "locate", "(biome|poi|structure)", "biome <biome>\npoi <poi>\nstructure <structure>" },
	{ "loot", "(give|insert|replace|spawn)",
	  "give <players> (fish|kill|loot|mine)\ninsert <targetPos> (fish|kill|loot|mine)\n"
	  "replace (block|entity)\nspawn <targetPos> (fish|kill|loot|mine)" },
	{ "msg", "<targets> <message>", "<targets> <message>" },
	{ "tell", "-> msg", "-> msg" },
	{ "w", "-> msg", "-> msg" },
	{ "particle", "<name> [<pos>]",
	  "<name> <pos> <delta> <speed> <count> [force|normal]\n"
	  "<name> <pos> <delta> <speed> <count> (force|normal) <viewers>" },
	{ "place", "(feature|jigsaw|structure|template)",
	  "feature <feature> [<pos>]\njigsaw <pool> <target> <max_depth> [<position>]\n"
	  "structure <structure> [<pos>]\n"
	  "template <template> [<pos>] [<rotation>] [<mirror>] [<integrity>] [<seed>]" },
	{ "playsound", "<sound> (ambient|block|hostile|master|music|neutral|player|record|voice|weather)",
	  "<sound> <source> <targets> [<pos>] [<volume>] [<pitch>] [<minVolume>]" },
	{ "reload", "", "" },
	{ "recipe", "(give|take)", "give <targets> (*|<recipe>)\ntake <targets> (*|<recipe>)" },
	{ "return", "<value>", "<value>" },
	{ "ride", "<target> (dismount|mount)", "<target> dismount\n<target> mount <vehicle>" },
	{ "say", "<message>", "<message>" },
	{ "schedule", "(clear|function)",
	  "clear <function>\nfunction <function> <time> [append|replace]" },
	{ "scoreboard", "(objectives|players)",
	  "objectives (add|list|modify|remove|setdisplay)\n"
	  "players (add|enable|get|list|operation|remove|reset|set)" },
	{ "seed", "", "" },
	{ "setblock", "<pos> <block> [destroy|keep|replace]", "<pos> <block> [destroy|keep|replace]" },
	{ "spawnpoint", "[<targets>]", "[<targets>] [<pos>] [<angle>]" },
	{ "setworldspawn", "[<pos>]", "[<pos>] [<angle>]" },
	{ "spectate", "[<target>]", "[<target>] [<player>]" },
	{ "spreadplayers", "<center> <spreadDistance> <maxRange> (<respectTeams>|under)",
	  "<center> <spreadDistance> <maxRange> <respectTeams> <targets>\n"
	  "<center> <spreadDistance> <maxRange> under <maxHeight> <respectTeams> <targets>" },
	{ "stopsound", "<targets> [*|ambient|block|hostile|master|music|neutral|player|record|voice|weather]",
	  "<targets> [<source>] [<sound>]" },
	{ "summon", "<entity> [<pos>]", "<entity> [<pos>] [<nbt>]" },
	{ "tag", "<targets> (add|list|remove)", "<targets> add <name>\n<targets> list\n"
	  "<targets> remove <name>" },
	{ "team", "(add|empty|join|leave|list|modify|remove)",
	  "add <team> [<displayName>]\nempty <team>\njoin <team> [<members>]\nleave <members>\n"
	  "list [<team>]\nmodify <team> (collisionRule|color|deathMessageVisibility|displayName|"
	  "friendlyFire|nametagVisibility|prefix|seeFriendlyInvisibles|suffix)\nremove <team>" },
	{ "teammsg", "<message>", "<message>" },
	{ "tm", "-> teammsg", "-> teammsg" },
	{ "teleport", "(<location>|<destination>|<targets>)",
	  "<location>\n<destination>\n<targets> <location> [facing|<rotation>]\n"
	  "<targets> <destination>" },
	{ "tp", "-> teleport", "-> teleport" },
	{ "tellraw", "<targets> <message>", "<targets> <message>" },
	{ "time", "(add|query|set)",
	  "add <time>\nquery (day|daytime|gametime)\nset (<time>|day|midnight|night|noon)" },
	{ "title", "<targets> (actionbar|clear|reset|subtitle|times|title)",
	  "<targets> actionbar <title>\n<targets> clear\n<targets> reset\n"
	  "<targets> subtitle <title>\n<targets> times <fadeIn> <stay> <fadeOut>\n"
	  "<targets> title <title>" },
	{ "trigger", "<objective> [add|set]", "<objective> add <value>\n<objective> set <value>" },
	{ "weather", "(clear|rain|thunder)",
	  "clear [<duration>]\nrain [<duration>]\nthunder [<duration>]" },
	{ "worldborder", "(add|center|damage|get|set|warning)",
	  "add <distance> [<time>]\ncenter <pos>\ndamage (amount|buffer)\nget\n"
	  "set <distance> [<time>]\nwarning (distance|time)" },
	{ "jfr", "(start|stop)", "start\nstop" },
	{ "ban-ip", "<target> [<reason>]", "<target> [<reason>]" },
	{ "banlist", "[ips|players]", "\nips\nplayers" },
	{ "ban", "<targets> [<reason>]", "<targets> [<reason>]" },
	{ "deop", "<targets>", "<targets>" },
	{ "op", "<targets>", "<targets>" },
	{ "pardon", "<targets>", "<targets>" },
	{ "pardon-ip", "<target>", "<target>" },
	{ "perf", "(start|stop)", "start\nstop" },
	{ "save-all", "[flush]", "\nflush" },
	{ "save-off", "", "" },
	{ "save-on", "", "" },
	{ "setidletimeout", "<minutes>", "<minutes>" },
	{ "stop", "", "" },
	{ "whitelist", "(add|list|off|on|reload|remove)",
	  "add <targets>\nlist\noff\non\nreload\nremove <targets>" },
};

/* Appends "/name" plus " usage" when usage is not empty. */
static void help_line(sim_buf *out, const char *name, const char *usage, size_t len)
{
	sim_buf_addc(out, '/');
	sim_buf_adds(out, name);
	if (len) {
		sim_buf_addc(out, ' ');
		sim_buf_add(out, usage, len);
	}
}

/* Appends every expanded form of entry e, glued: what `help <name>`
 * answers.  Vanilla lists the usage of each child of the command's node,
 * never the node itself, so the empty form (a command that runs bare, as
 * seed or list) prints nothing: `help seed` is an empty reply. */
static void help_forms(sim_buf *out, const struct help_entry *e)
{
	const char *p = e->forms;
	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0)
			help_line(out, e->name, p, len);
		if (!nl)
			break;
		p = nl + 1;
	}
}

#define HELP_N (sizeof help_table / sizeof help_table[0])
#define HELP_PAGE 40   /* Paper index entries per page */

/* Appends the full help text, the plugin usages last. */
void sim_help_all(const sim_opts *o, sim_buf *out)
{
	for (size_t i = 0; i < HELP_N; i++) {
		const struct help_entry *e = &help_table[i];
		help_line(out, e->name, e->top, strlen(e->top));
		help_forms(out, e);
	}
	for (int k = 0; k < o->n_plugin_usage; k++) {
		sim_buf_addc(out, '/');
		sim_buf_adds(out, o->plugin_usage[k]);
	}
}

/* Appends page (1-based) of a Paper-style help index: a header, then
 * "§6/name: §fdescription" lines, one message per line. */
static void help_paper(const sim_opts *o, int page, sim_buf *out)
{
	size_t total = HELP_N + (size_t)o->n_plugin_usage;
	int pages = (int)((total + HELP_PAGE - 1) / HELP_PAGE);
	if (page < 1 || page > pages)
		page = pages;
	char head[96];
	snprintf(head, sizeof head, "\xc2\xa7" "e--------- \xc2\xa7" "fHelp: Index (%d/%d) "
	    "\xc2\xa7" "e--------------------", page, pages);
	sim_buf_adds(out, head);
	for (size_t i = (size_t)(page - 1) * HELP_PAGE; i < total && i < (size_t)page * HELP_PAGE; i++) {
		sim_buf_adds(out, "\n\xc2\xa7" "6/");
		if (i < HELP_N) {
			sim_buf_adds(out, help_table[i].name);
			sim_buf_adds(out, ": \xc2\xa7" "fA Mojang provided command.");
		} else {
			const char *u = o->plugin_usage[i - HELP_N];
			sim_buf_add(out, u, strcspn(u, " "));
			sim_buf_adds(out, ": \xc2\xa7" "fA plugin command.");
		}
	}
}

/* Appends the usage lines of one command (plugin usages too). */
bool sim_help_for(const sim_opts *o, const char *name, sim_buf *out)
{
	for (size_t i = 0; i < HELP_N; i++)
		if (strcmp(help_table[i].name, name) == 0) {
			help_forms(out, &help_table[i]);
			return true;
		}
	size_t nl = strlen(name);
	for (int k = 0; k < o->n_plugin_usage; k++) {
		const char *u = o->plugin_usage[k];
		if (strncmp(u, name, nl) == 0 && (u[nl] == ' ' || u[nl] == '\0')) {
			sim_buf_addc(out, '/');
			sim_buf_adds(out, u);
			return true;
		}
	}
	return false;
}

/* Answers `help [ARG]` in the style o asks for (SIM_HELP_UNKNOWN is the
 * caller's: help is then no command at all). */
void sim_help(const sim_opts *o, const char *arg, sim_buf *out)
{
	if (o->help_style == SIM_HELP_PAPER) {
		int page = arg ? atoi(arg) : 1;
		if (!arg || page > 0) {
			help_paper(o, page, out);
			return;
		}
	}
	if (!arg)
		sim_help_all(o, out);
	else if (!sim_help_for(o, arg, out))
		sim_buf_adds(out, "Unknown command or insufficient permissions");
}
