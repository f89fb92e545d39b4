/* mc.h: the Minecraft layer — player lists, § colour codes, safe command
 * builders and name validation (PROTOCOL.md "list output" and "§ codes"). */
#ifndef RCONSOLE_MC_H
#define RCONSOLE_MC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- player lists (mc-list.c) ---- */

typedef struct rc_mc_player {
	char *name;  /* § codes stripped, display prefixes kept */
	char *uuid;  /* NULL unless `list uuids` */
} rc_mc_player;

typedef enum rc_mc_list_format {
	RC_MC_LIST_UNPARSED = 0,
	RC_MC_LIST_MODERN,      /* 1.13+: There are N of a max of M players online: ... */
	RC_MC_LIST_UUIDS,       /* list uuids */
	RC_MC_LIST_LEGACY,      /* 1.12: There are N/M players online:... */
	RC_MC_LIST_ANCIENT,     /* 1.2: Connected players: ... */
	RC_MC_LIST_FORGE,       /* of a max M / out of M / out of a maximum M */
	RC_MC_LIST_ESSENTIALS   /* EssentialsX, one line per group */
} rc_mc_list_format;

typedef struct rc_mc_list {
	rc_mc_list_format format; /* RC_MC_LIST_UNPARSED: count/max/players unset */
	int count;                /* players online; -1 unknown */
	int max;                  /* -1 unknown (1.2 format) */
	rc_mc_player *players;
	size_t n_players;
	char *raw;                /* the reply text as received (always kept) */
} rc_mc_list;

/* Parses a `list` reply.  Returns 0 (out->format says whether it matched a
 * known shape) or RC_ENOMEM.  Never reports a wrong count: a reply that
 * matches no shape, or whose names disagree with its count, is UNPARSED. */
int rc_mc_list_parse(const char *text, size_t len, rc_mc_list *out);
/* Frees what a list holds and zeroes it. */
void rc_mc_list_clear(rc_mc_list *l);
/* Returns true when name is in the list. */
bool rc_mc_list_has(const rc_mc_list *l, const char *name);
/* Lists players in b not in a (joined) and in a not in b (left); the arrays
 * hold pointers into a and b, caller frees the arrays only. */
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
 * nearest of the 16 colours; a lone trailing § stays as text.  Returns 0 or
 * RC_ENOMEM. */
int rc_mc_style(const char *in, size_t len, rc_mc_styled *out);
void rc_mc_styled_clear(rc_mc_styled *s);
/* Writes in without § codes into out (at least len+1 bytes); returns the length. */
size_t rc_mc_strip(const char *in, size_t len, char *out);
/* Returns the ANSI SGR sequence for a colour/attr pair into buf. */
const char *rc_mc_ansi(uint8_t color, uint8_t attrs, char *buf, size_t cap);
/* Converts in[len] to text with ANSI colours (sanitised); malloc'd, caller frees. */
char *rc_mc_to_ansi(const char *in, size_t len, size_t *out_len);

/* ---- names and command builders (mc-cmd.c) ---- */

enum rc_mc_name_flags {
	RC_MC_NAME_JAVA = 0,        /* 3-16 of [A-Za-z0-9_] */
	RC_MC_NAME_BEDROCK = 1 << 0 /* also Geyser/Floodgate: prefix such as '.', spaces */
};

/* Returns true when name is a valid player name under flags. */
bool rc_mc_name_valid(const char *name, unsigned flags);

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
	bool changes_state;
	const char *arg_prompt;/* NULL when there is no argument, else e.g. "reason" */
	bool arg_required;
} rc_mc_action_info;

/* Returns the table entry for an action. */
const rc_mc_action_info *rc_mc_action_get(rc_mc_action a);

/* Builds the command for action on player name with optional arg into
 * out[cap].  Returns the length, or RC_EINVAL with *cause set (invalid name,
 * argument with control characters or a newline, quoting impossible) or
 * RC_ETOOLONG. */
int rc_mc_build(rc_mc_action a, const char *name, const char *arg,
    char *out, size_t cap, const char **cause);

/* ---- terminal-safe text (text.c) ---- */

/* Copies in[len] into out, making it harmless for a terminal: invalid UTF-8
 * becomes U+FFFD, C0 controls other than those in keep (e.g. "\n\t") and DEL
 * become U+FFFD... see text.c; C1 controls (U+0080-U+009F) too.  ESC never
 * passes.  Returns a malloc'd NUL-terminated string, caller frees. */
char *rc_text_sanitize(const char *in, size_t len, const char *keep, size_t *out_len);

/* Returns the display width of a sanitised UTF-8 string (wcwidth-based). */
int rc_text_width(const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
