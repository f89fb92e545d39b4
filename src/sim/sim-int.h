/* sim-int.h: what the files of libmcsim share with each other (not the demo).
 *
 * sim.c owns servers (listener, timers, the connection lists), sim-conn.c one
 * client connection (framing, auth, faults, output), sim-reply.c turns reply
 * text into packets, sim-parse.c reads a command line as Brigadier does,
 * sim-cmd.c runs commands, sim-help.c holds the help text,
 * sim-players.c the roster and sim-buf.c the growable byte buffer. */
#ifndef RCONSOLE_SIM_SIM_INT_H
#define RCONSOLE_SIM_SIM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/loop.h"
#include "sim/sim.h"

/* ---- growable byte buffer (sim-buf.c) ----
 * Bytes [off, len) are pending.  An allocation failure sets oom and turns
 * every later append into a no-op, so callers check once at the end. */
typedef struct sim_buf {
	uint8_t *p;
	size_t off, len, cap;
	bool oom;
} sim_buf;

/* Returns n writable bytes at the end (already counted in len), NULL on OOM. */
uint8_t *sim_buf_grow(sim_buf *b, size_t n);
/* Appends n bytes. */
void sim_buf_add(sim_buf *b, const void *data, size_t n);
/* Appends a C string. */
void sim_buf_adds(sim_buf *b, const char *s);
/* Appends one byte. */
void sim_buf_addc(sim_buf *b, char c);
/* Appends printf-formatted text. */
void sim_buf_addf(sim_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Returns the number of pending bytes. */
size_t sim_buf_pending(const sim_buf *b);
/* Marks n pending bytes as consumed. */
void sim_buf_drain(sim_buf *b, size_t n);
/* Empties the buffer, keeping its memory. */
void sim_buf_reset(sim_buf *b);
/* Frees the buffer's memory and zeroes it. */
void sim_buf_free(sim_buf *b);

/* ---- roster: players, ops, bans, whitelist (sim-players.c) ---- */
typedef struct sim_names {
	char **v;
	size_t n, cap;
} sim_names;

typedef struct sim_roster {
	sim_names online;     /* join order */
	sim_names ops, banned, whitelist;
	sim_names ban_reasons; /* ban_reasons.v[i] is why banned.v[i] was banned */
	sim_names modes[3];   /* in creative, adventure, spectator; others survive */
	sim_names pool;       /* offline names churn may bring back */
	bool whitelist_on;
	int max;
	uint64_t rng;
} sim_roster;

/* Returns the next pseudo-random number of the splitmix64 stream *state. */
uint64_t sim_rand(uint64_t *state);
/* Returns a pseudo-random number in [0, n). */
uint64_t sim_rand_below(uint64_t *state, uint64_t n);
/* Returns true when name is a valid Java-edition player name (3-16 of [A-Za-z0-9_]). */
bool sim_name_valid(const char *name);
/* Writes name's offline-mode style UUID (36 chars + NUL) into out. */
void sim_name_uuid(const char *name, char out[37]);

/* Returns the index of name (case-insensitive) in set, or -1. */
long sim_names_find(const sim_names *set, const char *name);
/* Appends a copy of name; returns 0 or RC_ENOMEM. */
int sim_names_add(sim_names *set, const char *name);
/* Removes entry i, keeping the order. */
void sim_names_del(sim_names *set, size_t i);
/* Frees every name and the array. */
void sim_names_free(sim_names *set);

/* Initialises r with max slots and the given seed. */
void sim_roster_init(sim_roster *r, int max, uint64_t seed);
/* Frees everything r holds. */
void sim_roster_free(sim_roster *r);
/* Puts n generated names online; returns 0 or RC_ENOMEM. */
int sim_roster_generate(sim_roster *r, int n);
/* Puts name online (see sim_server_join for the results). */
int sim_roster_join(sim_roster *r, const char *name);
/* Takes name offline; returns 0 or RC_ENOENT. */
int sim_roster_leave(sim_roster *r, const char *name);
/* Returns the online spelling of name (case-insensitive), or NULL. */
const char *sim_roster_online(const sim_roster *r, const char *name);
/* Makes one random player join or leave. */
void sim_roster_churn(sim_roster *r);
/* Records a ban of name for reason; returns 0 or RC_ENOMEM. */
int sim_roster_ban(sim_roster *r, const char *name, const char *reason);
/* Lifts ban i (an index into r->banned). */
void sim_roster_pardon(sim_roster *r, size_t i);
/* Returns name's game mode: 0 survival (everyone's at first), 1 creative,
 * 2 adventure, 3 spectator.  A mode outlives leaving, as player data does. */
int sim_roster_gamemode(const sim_roster *r, const char *name);
/* Puts name in game mode m (0-3); returns 0 or RC_ENOMEM. */
int sim_roster_set_gamemode(sim_roster *r, const char *name, int m);

/* ---- reply encoding (sim-reply.c) ---- */

/* Appends one packet. */
void sim_reply_packet(sim_buf *out, int32_t id, int32_t type, const void *body, size_t len);
/* Appends the reply text[len] as type-0 fragments cut the dialect's way. */
void sim_reply_encode(sim_buf *out, enum sim_dialect d, int32_t id, const uint8_t *text,
    size_t len);
/* Appends bytes that no RCON decoder accepts (--garbage). */
void sim_reply_garbage(sim_buf *out);
/* Appends the start of a packet whose length field is 16 MiB + 1 (--oversize). */
void sim_reply_oversize(sim_buf *out, int32_t id);
/* Appends text wrapped in hostile terminal sequences (--hostile) to out. */
void sim_reply_hostile(sim_buf *out, const uint8_t *text, size_t len);

/* ---- a command line split into words ---- */
enum sim_cmd_effect {
	SIM_CMD_DONE = 0,
	SIM_CMD_STOP          /* reply, then stop the server */
};

#define SIM_ARGS_MAX 32

/* A command split into words; the last word absorbs what does not fit. */
typedef struct sim_args {
	const char *text;                 /* the command, leading '/' stripped */
	size_t text_len;
	size_t argc;
	const char *argv[SIM_ARGS_MAX];   /* words, NUL-terminated */
	const char *rest[SIM_ARGS_MAX];   /* text from word i to the end */
} sim_args;

/* ---- Brigadier's reading of a line (sim-parse.c) ---- */

/* Splits text[len] into a; words and line are scratch copies owned by the caller. */
void sim_parse_split(sim_args *a, char *words, const char *line, size_t len);
/* Appends vanilla's answer to a line whose parse failed at byte offset at of
 * a->text: msg, then the text around at and "<--[HERE]". */
void sim_parse_syntax(const sim_args *a, size_t at, const char *msg, sim_buf *out);
/* Appends the answer to a line whose first word is no command. */
void sim_parse_unknown(const sim_args *a, sim_buf *out);
/* Appends vanilla's "Unknown or incomplete command" answer for a command
 * that ends too soon (the context is the end of the text). */
void sim_parse_incomplete(const sim_args *a, sim_buf *out);
/* Appends the answer to word i, which no branch of the command takes. */
void sim_parse_bad_word(const sim_args *a, size_t i, sim_buf *out);
/* Returns true when a has min to max words (the command's name counts);
 * otherwise appends vanilla's answer and returns false. */
bool sim_parse_arity(const sim_args *a, size_t min, size_t max, sim_buf *out);
/* Returns the greedy text that starts at word i (NULL when there is none). */
const char *sim_parse_greedy(const sim_args *a, size_t i);
/* Returns true when word is one of the n literals in set. */
bool sim_parse_among(const char *word, const char *const *set, size_t n);
/* Reads word i as an IntegerArgument of at least 1 into *v; on error
 * appends vanilla's answer and returns false. */
bool sim_parse_count(const sim_args *a, size_t i, long *v, sim_buf *out);
/* Reads word i as a TimeArgument (ticks, at least 0) into *ticks; on error
 * appends vanilla's answer and returns false. */
bool sim_parse_time(const sim_args *a, size_t i, int64_t *ticks, sim_buf *out);

/* ---- running commands (sim-cmd.c, sim-testcmd.c, sim-health.c, sim-help.c) ---- */
/* Runs `sim ...` (argv[0] is "sim"): the test helpers of sim-testcmd.c. */
enum sim_cmd_effect sim_testcmd_run(sim_server *s, const sim_args *a, sim_buf *out);

/* Runs the command cmd[len] (as received) and appends its output to out. */
enum sim_cmd_effect sim_cmd_run(sim_server *s, const char *cmd, size_t len, sim_buf *out);
/* Runs a health command the flavour has (sim-health.c); false when it has not. */
bool sim_health_run(sim_server *s, const sim_args *a, sim_buf *out);
/* Appends the help lines of the flavour's health commands. */
void sim_health_help(sim_server *s, sim_buf *out);
/* sim tps <N>. */
void sim_health_set(sim_server *s, const sim_args *a, sim_buf *out);
/* Appends the full help text (every usage line glued, as vanilla sends it;
 * o's plugin usages last). */
void sim_help_all(const sim_opts *o, sim_buf *out);
/* Appends the usage lines of one command; false when it has none. */
bool sim_help_for(const sim_opts *o, const char *name, sim_buf *out);
/* Answers `help [arg]` (arg NULL: none) in o's help style, which is not
 * SIM_HELP_UNKNOWN. */
void sim_help(const sim_opts *o, const char *arg, sim_buf *out);

/* ---- connections (sim-conn.c) ---- */
typedef struct sim_conn {
	sim_server *srv;
	int fd;
	bool closed;          /* fd closed, waiting in the graveyard */
	bool closing;         /* close once every pending byte is written */
	bool authed;
	bool hung;            /* --hang-after reached: answer nothing */
	bool resetting;       /* --reset-mid: reset (RST) once the output is out */
	long n_cmds;          /* commands received after auth */
	sim_buf in;           /* source dialect: bytes not yet framed */
	sim_buf out;          /* bytes waiting for the socket */
	sim_buf held;         /* --delay: replies not yet due */
	rc_timer_id delay_timer;
	rc_timer_id drip_timer;  /* --drip: pause before the next byte */
	struct sim_conn *next, *prev;
} sim_conn;

/* Accepts the connection fd (non-blocking) into s; returns NULL on OOM. */
sim_conn *sim_conn_new(sim_server *s, int fd);
/* Closes c now: fd closed, watch and timers removed, moved to the graveyard. */
void sim_conn_close(sim_conn *c);
/* Closes c once its pending output is written (at once when none). */
void sim_conn_shutdown(sim_conn *c);
/* Frees a closed connection. */
void sim_conn_free(sim_conn *c);

/* ---- the server (sim.c) ---- */
struct sim_server {
	rc_loop *loop;
	sim_opts opts;        /* copy; string fields point at the copies below */
	char *password;
	char *bind;
	int lfd;
	int port;
	sim_roster roster;
	sim_conn *conns;      /* open connections */
	sim_conn *graveyard;  /* closed, freed by the reap timer */
	size_t n_conns;
	rc_timer_id reap_timer;
	rc_timer_id churn_timer;
	rc_timer_id accept_timer; /* out of descriptors: accepting again after a pause */
	bool stopping, stopped;
	unsigned long n_commands;
	/* World state for time/seed/difficulty/weather. */
	int64_t started_ms;
	int64_t world_seed;
	int64_t time_base;    /* game time (ticks) at started_ms */
	int64_t day_offset;   /* day time minus game time: what /time set and add moved */
	int difficulty;       /* 0 peaceful .. 3 hard */
	bool save_off;        /* save-off ran last (automatic saving is on at start) */
	uint64_t rng;         /* tps jitter and the like */
	double tps;           /* --tps / sim tps; 0 = healthy */
};

/* Moves a closed connection from the open list to the graveyard. */
void sim_server_bury(sim_server *s, sim_conn *c);
/* Returns the world's game time in ticks (20 a second; /time never moves it). */
int64_t sim_server_gametime(const sim_server *s);

#endif
