/* mc.h: the Minecraft layer — player lists, § colour codes, safe command
 * builders and name validation: the `list` shapes servers print and the
 * § (U+00A7) formatting codes, as rconsole(3) describes them. */
#ifndef RCONSOLE_MC_H
#define RCONSOLE_MC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- player lists (mc-list.c) ---- */

/* rc_mc_player.flags: EssentialsX tags taken off the front of a name. */
enum rc_mc_player_flags {
	RC_MC_PLAYER_AFK = 1 << 0,    /* "[AFK]" */
	RC_MC_PLAYER_HIDDEN = 1 << 1  /* "[HIDDEN]" (vanished, shown to the console) */
};

typedef struct rc_mc_player {
	char *name;  /* § codes stripped, display prefixes kept */
	char *uuid;  /* NULL unless `list uuids` */
	unsigned flags; /* rc_mc_player_flags */
} rc_mc_player;

typedef enum rc_mc_list_format {
	RC_MC_LIST_UNPARSED = 0,
	RC_MC_LIST_MODERN,      /* 1.13+: There are N of a max of M players online: ... */
	RC_MC_LIST_UUIDS,       /* list uuids: any header, every name with a uuid */
	RC_MC_LIST_LEGACY,      /* 1.12: There are N/M players online:... */
	RC_MC_LIST_ANCIENT,     /* 1.2: Connected players: ... */
	RC_MC_LIST_FORGE,       /* of a max M / out of M / out of a maximum M */
	RC_MC_LIST_ESSENTIALS   /* EssentialsX, one line per group */
} rc_mc_list_format;

typedef struct rc_mc_list {
	rc_mc_list_format format; /* RC_MC_LIST_UNPARSED: count/max -1, no players */
	int count;                /* players online; -1 unknown */
	int max;                  /* -1 unknown (1.2 format) */
	rc_mc_player *players;
	size_t n_players;
	char *raw;                /* the reply text as received (always kept) */
	size_t raw_len;           /* bytes in raw (it may hold NULs) */
} rc_mc_list;

/* Parses a `list` reply.  Returns 0 (out->format says whether it matched a
 * known shape) or RC_ENOMEM.  Never reports a wrong count: a reply that
 * matches no shape, or whose names disagree with its count, is UNPARSED.
 * *out is overwritten (clear it first when reusing it); rc_mc_list_clear
 * frees it.  Every shape and rule is described at the top of mc-list.c. */
int rc_mc_list_parse(const char *text, size_t len, rc_mc_list *out);
/* Frees what a list holds and zeroes it. */
void rc_mc_list_clear(rc_mc_list *l);
/* Returns true when name is in the list. */
bool rc_mc_list_has(const rc_mc_list *l, const char *name);
/* Lists players in b not in a (joined) and in a not in b (left); the arrays
 * hold pointers into a and b, caller frees the arrays only (NULL when
 * empty).  A NULL list counts as an empty parsed list; an UNPARSED one gives
 * RC_EINVAL (nothing is known about who is online).  Names compare
 * byte-exact; duplicates count as a multiset.  Returns 0, RC_EINVAL or
 * RC_ENOMEM. */
int rc_mc_list_diff(const rc_mc_list *a, const rc_mc_list *b,
    const char ***joined, size_t *n_joined, const char ***left, size_t *n_left);

/* ---- § colour codes (mc-color.c) ---- */

enum rc_mc_attr {
	RC_MC_BOLD = 1 << 0,
	RC_MC_ITALIC = 1 << 1,
	RC_MC_UNDERLINE = 1 << 2,
	RC_MC_STRIKE = 1 << 3,
	RC_MC_OBFUSCATED = 1 << 4
};
#define RC_MC_COLOR_DEFAULT 255
#define RC_MC_ANSI_MAX 32 /* buffer size that always holds rc_mc_ansi() output */

/* A run of text with one style; off/len index the stripped text. */
typedef struct rc_mc_run {
	size_t off;
	size_t len;
	uint8_t color;   /* 0-15 (§0-§f), or RC_MC_COLOR_DEFAULT */
	uint8_t attrs;   /* rc_mc_attr bits */
} rc_mc_run;

typedef struct rc_mc_styled {
	char *text;       /* stripped text, NUL-terminated */
	size_t len;
	rc_mc_run *runs;
	size_t n_runs;
} rc_mc_styled;

/* Parses in[len] into stripped text and styled runs.  § is U+00A7 (C2 A7);
 * both bytes are removed with the code character; §x§R§R§G§G§B§B maps to the
 * nearest of the 16 colours; codes are case-insensitive; a lone trailing §,
 * or § followed by a character that is not a code, stays as text.  Returns 0
 * or RC_ENOMEM. */
int rc_mc_style(const char *in, size_t len, rc_mc_styled *out);
void rc_mc_styled_clear(rc_mc_styled *s);
/* Writes in without § codes into out (at least len+1 bytes); returns the length. */
size_t rc_mc_strip(const char *in, size_t len, char *out);
/* Returns the ANSI SGR sequence for a colour/attr pair into buf (starts with
 * a reset, so it is absolute; "" when cap < RC_MC_ANSI_MAX would not fit). */
const char *rc_mc_ansi(uint8_t color, uint8_t attrs, char *buf, size_t cap);
/* Converts in[len] to text with ANSI colours (sanitised); malloc'd, caller frees. */
char *rc_mc_to_ansi(const char *in, size_t len, size_t *out_len);
/* Returns the index (0-15) of the Minecraft colour nearest to an RGB value. */
uint8_t rc_mc_color_nearest(uint8_t r, uint8_t g, uint8_t b);

/* ---- names and command builders (mc-cmd.c) ---- */

enum rc_mc_name_flags {
	RC_MC_NAME_JAVA = 0,        /* 3-16 of [A-Za-z0-9_] */
	RC_MC_NAME_BEDROCK = 1 << 0 /* also Geyser/Floodgate: one prefix of ".*~!+",
	                             * then 1-16 letters, digits, '_' or single
	                             * spaces, starting with a letter */
};

/* Returns true when name is a valid player name under flags. */
bool rc_mc_name_valid(const char *name, unsigned flags);

/* Returns cmd past an optional namespace on its first word
 * ("minecraft:stop" and "bukkit:reload" are "stop" and "reload", as Paper
 * and Spigot run them), or cmd itself.  A leading '/' is the caller's. */
const char *rc_mc_command_name(const char *cmd);

/* Returns true when cmd (as it goes on the wire) is the server's `stop`:
 * its first word, any case, after one optional leading '/' (the server
 * drops one too) and an optional namespace ("minecraft:stop", which Paper
 * and Spigot run as stop).  The connection holds what is queued behind it
 * and reports the close that follows as the server stopping. */
bool rc_mc_is_stop(const char *cmd);

typedef enum rc_mc_action {
	RC_MC_MSG = 0,       /* msg NAME TEXT */
	RC_MC_SAY,           /* say TEXT (no name) */
	RC_MC_KICK,          /* kick NAME [REASON] */
	RC_MC_BAN,           /* ban NAME [REASON] */
	RC_MC_PARDON,        /* pardon NAME */
	RC_MC_OP,
	RC_MC_DEOP,
	RC_MC_WHITELIST_ADD,
	RC_MC_WHITELIST_REMOVE,
	RC_MC_TP,            /* tp NAME TARGET (TARGET a name or "x y z") */
	RC_MC_GAMEMODE,      /* gamemode MODE NAME */
	RC_MC_ACTION_COUNT
} rc_mc_action;

typedef struct rc_mc_action_info {
	rc_mc_action action;
	const char *label;     /* "kick" */
	const char *verb;      /* command word */
	bool needs_name;
	bool destructive;      /* ask y/N first */
	bool changes_state;    /* alters players or server state (not msg/say) */
	const char *arg_prompt;/* NULL when there is no argument, else e.g. "reason" */
	bool arg_required;
} rc_mc_action_info;

/* Returns the table entry for an action. */
const rc_mc_action_info *rc_mc_action_get(rc_mc_action a);

/* Builds the command for action on player name with optional arg into
 * out[cap].  Returns the length, or RC_EINVAL with *cause set (invalid name,
 * argument with control characters or a newline, quoting impossible, cap too
 * small; out untouched) or RC_ETOOLONG (over 1446 bytes).  Names that need it
 * are double-quoted for kick/msg/tp/gamemode; ban/pardon/op/deop/whitelist
 * refuse names with spaces (vanilla cannot read them quoted).  The argument
 * is trimmed of spaces; a blank optional reason is left out; gamemode takes
 * survival|creative|adventure|spectator (also s/c/a/sp, 0-3, any case) and
 * sends the word; tp takes a player or "x y z" (numbers, ~ or ^).  See
 * mc-cmd.c. */
int rc_mc_build(rc_mc_action a, const char *name, const char *arg,
    char *out, size_t cap, const char **cause);
/* Same as rc_mc_build, with the names accepted set by flags (rc_mc_build
 * uses RC_MC_NAME_BEDROCK, which also accepts every Java name). */
int rc_mc_build_ex(rc_mc_action a, const char *name, const char *arg,
    unsigned flags, char *out, size_t cap, const char **cause);

/* ---- terminal-safe text (text.c) ---- */

/* Copies in[len] into out, making it harmless for a terminal (the rules are
 * at the top of text.c): always valid UTF-8; invalid UTF-8 becomes U+FFFD
 * (one per maximal subpart); C0 controls other than those in keep (e.g.
 * "\n\t") become their control pictures U+2400+c (NUL shows as U+2400, ESC
 * as U+241B); DEL becomes U+2421; C1 controls (U+0080-U+009F), bidi
 * controls and invisible format characters (zero-width space, word joiner,
 * BOM, tags...) become U+FFFD; a zero width joiner after an emoji and the
 * presentation selectors U+FE0E/F are dropped.  ESC never passes, even in
 * keep.  out_len may be NULL.  Returns a malloc'd NUL-terminated string
 * (caller frees), or NULL when out of memory. */
char *rc_text_sanitize(const char *in, size_t len, const char *keep, size_t *out_len);

#define RC_TEXT_DROP 0xFFFFFFFEu /* rc_text_safe_next: shown as nothing */
/* Steps the sanitiser over the character at s[off] (s[0..off) is the text
 * before it, looked at for context): stores the decoded code point in *cp
 * (RC_TEXT_BAD when invalid) and what to show instead in *show — *cp itself
 * when it passes, U+FFFD, a control picture, or RC_TEXT_DROP — and returns
 * the bytes consumed (0 only when off >= len).  rc_text_sanitize is this in
 * a loop; the console draws through it too, so both show the same. */
size_t rc_text_safe_next(const char *s, size_t len, size_t off, const char *keep,
    uint32_t *cp, uint32_t *show);

/* Returns the display width of a UTF-8 string as rc_text_sanitize shows it
 * (library tables, not the locale; \n and \t count 0). */
int rc_text_width(const char *s, size_t len);

#define RC_TEXT_BAD 0xFFFFFFFFu /* rc_text_decode: invalid sequence */
/* Decodes the UTF-8 character at s[0..len) into *cp and returns its length;
 * on invalid input stores RC_TEXT_BAD and returns the length of the maximal
 * invalid subpart (at least 1).  Returns 0 only when len is 0. */
size_t rc_text_decode(const char *s, size_t len, uint32_t *cp);
/* Returns the terminal columns of one code point (0, 1 or 2), from the
 * library's own Unicode tables, not the locale; controls count 0. */
int rc_text_cp_width(uint32_t cp);

/* ---- server health replies (mc-health.c) ---- */

typedef enum rc_mc_health_format {
	RC_MC_HEALTH_UNPARSED = 0,
	RC_MC_HEALTH_PAPER_TPS,   /* Paper/Spigot `tps`: TPS from last 1m, 5m, 15m */
	RC_MC_HEALTH_PAPER_MSPT,  /* Paper `mspt`: avg/min/max over 5s, 10s, 1m */
	RC_MC_HEALTH_TICK_QUERY,  /* vanilla 1.20.3+ `tick query` */
	RC_MC_HEALTH_FORGE,       /* Forge `forge tps` (the Overall line) */
	RC_MC_HEALTH_ESSENTIALS   /* EssentialsX `tps`: Current TPS = N */
} rc_mc_health_format;

typedef enum rc_mc_tick_state {
	RC_MC_TICK_UNKNOWN = 0,
	RC_MC_TICK_RUNNING,       /* The game is running normally */
	RC_MC_TICK_LAGGING,       /* ... but can't keep up with the target tick rate */
	RC_MC_TICK_FROZEN,
	RC_MC_TICK_SPRINTING
} rc_mc_tick_state;

#define RC_MC_TPS_WINDOWS 3   /* 1m, 5m, 15m */
#define RC_MC_MSPT_WINDOWS 3  /* 5s, 10s, 1m */

/* What a health reply said; every number is -1 when the reply did not give it. */
typedef struct rc_mc_health {
	rc_mc_health_format format;
	double tps[RC_MC_TPS_WINDOWS];   /* [0] is the latest (1m, or the only figure) */
	double mspt;                     /* mean milliseconds per tick (shortest window) */
	double mspt_avg[RC_MC_MSPT_WINDOWS], mspt_min[RC_MC_MSPT_WINDOWS],
	    mspt_max[RC_MC_MSPT_WINDOWS]; /* Paper mspt: 5s, 10s, 1m */
	double target_tps;               /* tick query: target tick rate */
	double target_mspt;              /* tick query: (Target: N ms) */
	double p50, p95, p99;            /* tick query percentiles, ms */
	long sample;                     /* tick query: sample size */
	rc_mc_tick_state state;          /* tick query */
} rc_mc_health;

/* Parses the reply to a health command (`tps`, `mspt`, `tick query`,
 * `forge tps`; the shapes are at the top of mc-health.c) into *out, which it
 * overwrites.  Never a wrong number: a reply of no known shape, or with a
 * number out of range, is RC_MC_HEALTH_UNPARSED with every figure -1.
 * Returns true when it parsed.  Allocates nothing. */
bool rc_mc_health_parse(const char *text, size_t len, rc_mc_health *out);
/* Returns a short name of a format ("paper-tps", "unparsed", ...). */
const char *rc_mc_health_format_name(rc_mc_health_format f);
/* Returns true when a reply is Brigadier's or Bukkit's "unknown command"
 * answer (the server has no such command). */
bool rc_mc_health_unknown(const char *text, size_t len);

/* ---- the server's command tree (mc-usage.c) ---- */

/* One position in a command: a literal word or an argument.  The root's
 * children are the command words.  Read-only for callers. */
typedef enum rc_mc_unode_kind {
	RC_MC_U_LITERAL = 0,   /* "query": typed as is */
	RC_MC_U_ARG            /* "<targets>": any word (name without <>) */
} rc_mc_unode_kind;

typedef struct rc_mc_unode {
	char *name;
	rc_mc_unode_kind kind;
	bool end;              /* the command may end here */
	bool open;             /* unknown arguments may follow (plain command
	                        * word, "...", "-> execute", a word of a
	                        * summary such as "(add|list|...)" that no
	                        * usage continues): never an error */
	char *usage;           /* command nodes: the first usage seen, without
	                        * '/' and § codes ("time (add|query|set)") */
	struct rc_mc_unode **kids;
	size_t n_kids;
	size_t cap_kids;
} rc_mc_unode;

typedef struct rc_mc_usage rc_mc_usage;

/* Creates an empty tree (NULL on ENOMEM); rc_mc_usage_free frees it (NULL
 * is a no-op). */
rc_mc_usage *rc_mc_usage_new(void);
void rc_mc_usage_free(rc_mc_usage *u);
/* Adds a help reply to the tree: text[len] holds one message per line
 * ('\n'; vanilla's glued reply must be split first — the app does it).
 * Lines starting with '/' (after § codes and blanks) are usages: brigadier
 * (1.13+: literals, (a|b), [...], <arg>, nested; "..." and "-> x" leave the
 * command open), 1.12 ("<set|add|query>" literal choices, "[player]" an
 * optional argument), Paper/Spigot index lines ("/warp: description") and
 * anything else whose shape is not understood are kept as the command word
 * alone, open.  Other lines are headers or descriptions: a page header
 * ("Help: Index (1/9)", "Showing help page 1 of 9") sets *pages (may be
 * NULL) to the page count, else it is left alone.  Returns the number of
 * usages added, or RC_ENOMEM. */
int rc_mc_usage_add_help(rc_mc_usage *u, const char *text, size_t len, int *pages);
/* Adds one usage ("warp (list|set|delete) <name>", '/' optional).  Returns
 * 1 when added, 0 when it is not a usage, or RC_ENOMEM. */
int rc_mc_usage_add_line(rc_mc_usage *u, const char *line, size_t len);
/* Returns the root (its children are the commands, in the order first seen). */
const rc_mc_unode *rc_mc_usage_root(const rc_mc_usage *u);
/* Returns the number of command words in the tree. */
size_t rc_mc_usage_count(const rc_mc_usage *u);
/* Follows words[0..n) from the root (command word first): literals match by
 * name (ASCII case-insensitive), arguments match any word, and an argument
 * that ends its usage takes every word after it too (a message, a reason:
 * brigadier's greedy strings); a command whose usage is an alias of another
 * command in the tree ("xp -> experience") is walked as that command.  Stores the
 * nodes reached (at most max) in out and returns how many; 0 when nothing
 * matches.  *open (may be NULL) is set when an open node was passed through
 * (what follows is unknown, so nothing can be called wrong). */
size_t rc_mc_usage_walk(const rc_mc_usage *u, const char *const *words, size_t n,
    const rc_mc_unode **out, size_t max, bool *open);
/* Finds the span of top-level element k (0 = the command word) of a usage
 * string: [*from, *to).  Returns false when it has fewer elements. */
bool rc_mc_usage_span(const char *usage, size_t k, size_t *from, size_t *to);

#ifdef __cplusplus
}
#endif
#endif
