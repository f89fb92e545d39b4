/* usage-fixtures.h: real `help` outputs, as servers print them, for the
 * command-tree tests.  USAGE_VANILLA_121 is one usage per line; vanilla
 * sends the same text glued with no separator (test-app-tree.c glues it). */
#ifndef RCONSOLE_TEST_USAGE_FIXTURES_H
#define RCONSOLE_TEST_USAGE_FIXTURES_H

/* Vanilla 1.21.1 `help` (top-level usages, in the order the server prints). */
#define USAGE_VANILLA_121 \
	"/advancement (grant|revoke)\n" \
	"/attribute <target> <attribute> (base|get|modifier)\n" \
	"/execute (align|anchored|as|at|facing|if|in|on|positioned|rotated|run|store|summon|unless)\n" \
	"/bossbar (add|get|list|remove|set)\n" \
	"/clear [<targets>]\n" \
	"/clone (<begin>|from)\n" \
	"/damage <target> <amount> [<damageType>]\n" \
	"/data (get|merge|modify|remove)\n" \
	"/datapack (disable|enable|list)\n" \
	"/debug (function|start|stop)\n" \
	"/defaultgamemode <gamemode>\n" \
	"/difficulty [easy|hard|normal|peaceful]\n" \
	"/effect (clear|give)\n" \
	"/me <action>\n" \
	"/enchant <targets> <enchantment> [<level>]\n" \
	"/experience (add|query|set)\n" \
	"/xp -> experience\n" \
	"/fill <from> <to> <block> [destroy|hollow|keep|outline|replace]\n" \
	"/fillbiome <from> <to> <biome> [replace]\n" \
	"/forceload (add|query|remove)\n" \
	"/function <name> [<arguments>|with]\n" \
	"/gamemode <gamemode> [<target>]\n" \
	"/gamerule (announceAdvancements|blockExplosionDropDecay|commandBlockOutput|" \
	"commandModificationBlockLimit|disableElytraMovementCheck|disableRaids|doDaylightCycle|" \
	"doEntityDrops|doFireTick|doImmediateRespawn|doInsomnia|doLimitedCrafting|doMobLoot|" \
	"doMobSpawning|doPatrolSpawning|doTileDrops|doTraderSpawning|doVinesSpread|" \
	"doWardenSpawning|doWeatherCycle|drowningDamage|enderPearlsVanishOnDeath|fallDamage|" \
	"fireDamage|forgiveDeadPlayers|freezeDamage|globalSoundEvents|keepInventory|" \
	"lavaSourceConversion|logAdminCommands|maxCommandChainLength|maxCommandForkCount|" \
	"maxEntityCramming|mobExplosionDropDecay|mobGriefing|naturalRegeneration|" \
	"playersNetherPortalCreativeDelay|playersNetherPortalDefaultDelay|playersSleepingPercentage|" \
	"projectilesCanBreakBlocks|randomTickSpeed|reducedDebugInfo|sendCommandFeedback|" \
	"showDeathMessages|snowAccumulationHeight|spawnChunkRadius|spawnRadius|" \
	"spectatorsGenerateChunks|tntExplosionDropDecay|universalAnger|waterSourceConversion)\n" \
	"/give <targets> <item> [<count>]\n" \
	"/help [<command>]\n" \
	"/item (modify|replace)\n" \
	"/kick <targets> [<reason>]\n" \
	"/kill [<targets>]\n" \
	"/list [uuids]\n" \
	"/locate (biome|poi|structure)\n" \
	"/loot (give|insert|replace|spawn)\n" \
	"/msg <targets> <message>\n" \
	"/tell -> msg\n" \
	"/w -> msg\n" \
	"/particle <name> [<pos>]\n" \
	"/place (feature|jigsaw|structure|template)\n" \
	"/playsound <sound> (ambient|block|hostile|master|music|neutral|player|record|voice|weather)\n" \
	"/random (reset|roll|value)\n" \
	"/reload\n" \
	"/recipe (give|take)\n" \
	"/return (<value>|fail|run)\n" \
	"/ride <target> (dismount|mount)\n" \
	"/say <message>\n" \
	"/schedule (clear|function)\n" \
	"/scoreboard (objectives|players)\n" \
	"/seed\n" \
	"/setblock <pos> <block> [destroy|keep|replace]\n" \
	"/spawnpoint [<targets>]\n" \
	"/setworldspawn [<pos>]\n" \
	"/spectate [<target>]\n" \
	"/spreadplayers <center> <spreadDistance> <maxRange> (<respectTeams>|under)\n" \
	"/stopsound <targets> [*|ambient|block|hostile|master|music|neutral|player|record|voice|weather]\n" \
	"/summon <entity> [<pos>]\n" \
	"/tag <targets> (add|list|remove)\n" \
	"/team (add|empty|join|leave|list|modify|remove)\n" \
	"/teammsg <message>\n" \
	"/tm -> teammsg\n" \
	"/teleport (<location>|<destination>|<targets>)\n" \
	"/tp -> teleport\n" \
	"/tellraw <targets> <message>\n" \
	"/tick (freeze|query|rate|sprint|step|unfreeze)\n" \
	"/time (add|query|set)\n" \
	"/title <targets> (actionbar|clear|reset|subtitle|times|title)\n" \
	"/trigger <objective> [add|set]\n" \
	"/weather (clear|rain|thunder)\n" \
	"/worldborder (add|center|damage|get|set|warning)\n" \
	"/jfr (start|stop)\n" \
	"/ban-ip <target> [<reason>]\n" \
	"/banlist [ips|players]\n" \
	"/ban <targets> [<reason>]\n" \
	"/deop <targets>\n" \
	"/op <targets>\n" \
	"/pardon <targets>\n" \
	"/pardon-ip <target>\n" \
	"/perf (start|stop)\n" \
	"/save-all [flush]\n" \
	"/save-off\n" \
	"/save-on\n" \
	"/setidletimeout <minutes>\n" \
	"/stop\n" \
	"/transfer <hostname> [<port>] [<players>]\n" \
	"/whitelist (add|list|off|on|reload|remove)"
#define USAGE_VANILLA_121_COUNT 82

/* Vanilla 1.13.2 (a part: the shapes that changed since). */
#define USAGE_VANILLA_113 \
	"/advancement (grant|revoke)\n" \
	"/bossbar (add|get|list|remove|set)\n" \
	"/clone <begin> <end> <destination> [filtered|masked|replace]\n" \
	"/defaultgamemode (adventure|creative|spectator|survival)\n" \
	"/execute (align|anchored|as|at|facing|if|in|positioned|rotated|run|store|unless)\n" \
	"/function <name>\n" \
	"/gamemode (adventure|creative|spectator|survival)\n" \
	"/kill <targets>\n" \
	"/locate (Buried_Treasure|Desert_Pyramid|EndCity|Fortress|Igloo|Jungle_Pyramid|Mansion|" \
	"Mineshaft|Monument|Ocean_Ruin|Shipwreck|Stronghold|Swamp_Hut|Village)\n" \
	"/time (add|query|set)\n" \
	"/tp -> teleport\n" \
	"/teleport (<location>|<destination>|<targets>)\n" \
	"/whitelist (add|list|off|on|reload|remove)"

/* Paper 1.20 `help` page 1 and page 2 (Bukkit's help map: § colours, one
 * message per line, plugin topics without a '/'). */
#define USAGE_PAPER_P1 \
	"\xc2\xa7" "e--------- \xc2\xa7" "fHelp: Index (1/3) \xc2\xa7" "e--------------------\n" \
	"\xc2\xa7" "7Use /help [n] to get page n of help.\n" \
	"\xc2\xa7" "6Aliases: \xc2\xa7" "fLists command aliases\n" \
	"\xc2\xa7" "6Bukkit: \xc2\xa7" "fAll commands for Bukkit\n" \
	"\xc2\xa7" "6Essentials: \xc2\xa7" "fAll commands for Essentials\n" \
	"\xc2\xa7" "6Minecraft: \xc2\xa7" "fAll commands for Minecraft\n" \
	"\xc2\xa7" "6/advancement: \xc2\xa7" "fA Mojang provided command.\n" \
	"\xc2\xa7" "6/afk: \xc2\xa7" "fMarks you as away-from-keyboard.\n" \
	"\xc2\xa7" "6/balance: \xc2\xa7" "fStates the current balance of a player."
#define USAGE_PAPER_P2 \
	"\xc2\xa7" "e--------- \xc2\xa7" "fHelp: Index (2/3) \xc2\xa7" "e--------------------\n" \
	"\xc2\xa7" "6/ban: \xc2\xa7" "fBans a player.\n" \
	"\xc2\xa7" "6/warp: \xc2\xa7" "fTeleport to a location.\n" \
	"\xc2\xa7" "6/worldedit: \xc2\xa7" "fWorldEdit commands"

/* Vanilla 1.12.2 `help` page 1 and one line of each odd shape after it. */
#define USAGE_LEGACY_112 \
	"--- Showing help page 1 of 9 (/help <page>) ---\n" \
	"/achievement <give|take> [player]\n" \
	"/ban <name> [reason ...]\n" \
	"/ban-ip <address|name> [reason ...]\n" \
	"/banlist [ips|players]\n" \
	"/blockdata <x> <y> <z> <dataTag>\n" \
	"/clear [player] [item] [data] [maxCount] [dataTag]\n" \
	"/gamemode <mode> [player]\n" \
	"/give <player> <item> [amount] [data] [dataTag]\n" \
	"/time <set|add|query> <value>\n" \
	"/tp [target player] <destination player> OR /tp [target player] <x> <y> <z> [<yaw> <pitch>]\n" \
	"Tip: Use the <tab> key while typing a command to auto-complete the command or its arguments"

/* Forge (1.16, brigadier) and plugin/mod commands in vanilla's format. */
#define USAGE_FORGE_PLUGINS \
	"/forge (dimensions|entity|generate|mods|tags|tps|track)\n" \
	"/config (showfile)\n" \
	"/warp (list|set|delete) <name>\n" \
	"/luckperms\n" \
	"/lp -> luckperms\n" \
	"/spark (activity|gc|gcmonitor|health|heapdump|heapsummary|profiler|tickmonitor|tps)\n" \
	"/minecraft:tp -> teleport\n" \
	"/co (i|inspect|l|lookup|rb|rollback|rs|restore|purge|reload|status)"

#endif
