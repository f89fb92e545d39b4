/* sim.h: mcsim core — simulated Minecraft RCON servers living on an rc_loop.
 *
 * Used by the standalone rconsole-mcsim program (src/sim/main.c) and, in
 * process, by the console's --demo mode.  The core never prints, never exits
 * and never blocks: it only registers fds and timers on the caller's loop and
 * reports through the callbacks in sim_opts.  Wire behaviour follows
 * PROTOCOL.md (vanilla by default); see sim-conn.c for the details and
 * sim-cmd.c for the command table, including the `sim ...` test helpers.
 *
 * Ownership: sim_server_new() copies everything it needs from opts (strings
 * and name arrays included); sim_server_free() closes every fd the server
 * opened and removes its timers.  Never free a server from inside one of its
 * own callbacks (on_log, on_stop): mark it and free it on a later pass. */
#ifndef RCONSOLE_SIM_SIM_H
#define RCONSOLE_SIM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/loop.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sim_server sim_server;

/* How the server frames its packets (PROTOCOL.md "Vanilla", "Other servers"). */
enum sim_dialect {
	SIM_DIALECT_VANILLA = 0, /* one packet per read, 4096-UTF-16-unit fragments */
	SIM_DIALECT_FORGE,       /* like vanilla, 4096-byte fragments, no packet for "" */
	SIM_DIALECT_SOURCE       /* stream reads, empty type-0 mirror, pre-auth packet */
};

/* Shape of the `list` reply (PROTOCOL.md "`list` output"). */
enum sim_list_format {
	SIM_LIST_MODERN = 0,     /* There are N of a max of M players online: A, B */
	SIM_LIST_LEGACY,         /* There are N/M players online:A, B */
	SIM_LIST_ESSENTIALS,     /* §6There are §cN§6 out of maximum §cM§6 ... + groups */
	SIM_LIST_ANCIENT         /* Connected players: A, B */
};

/* How a login is answered (--auth-reply): a server's way of getting it
 * wrong, for the client's login path. */
enum sim_auth_reply {
	SIM_AUTH_NORMAL = 0,     /* type 2 with the login's id (-1: wrong password) */
	SIM_AUTH_SILENT,         /* never answered; the connection stays open */
	SIM_AUTH_TYPE0,          /* a type-0 packet with the login's id and a body */
	SIM_AUTH_OTHER_ID        /* type 2 with an id the client never used */
};

/* Which health commands the server answers (sim-health.c). */
enum sim_health {
	SIM_HEALTH_PAPER = 0,    /* tps, mspt and tick query */
	SIM_HEALTH_VANILLA,      /* tick query (1.20.3+) */
	SIM_HEALTH_FORGE,        /* forge tps and tick query */
	SIM_HEALTH_NONE          /* none (vanilla before 1.20.3) */
};

/* Called with every command received after auth, exactly as received (the
 * body bytes up to the first NUL; no terminator in cmd[len]). */
typedef void (*sim_log_cb)(void *arg, const char *cmd, size_t len);
/* Called after every auth packet with the verdict (auth packets and
 * passwords themselves are never passed to on_log). */
typedef void (*sim_auth_cb)(void *arg, bool accepted);
/* Called once when the server has stopped (after `stop` or sim_server_stop())
 * and every one of its connections is closed. */
typedef void (*sim_stop_cb)(sim_server *s, void *arg);

#define SIM_PLUGIN_MAX 16

/* How `help` answers: vanilla's glued usages, Paper's paged index
 * ("Help: Index (1/N)", `help N` for the rest), or not at all (a server
 * that refuses it: no usage in the reply). */
enum sim_help_style { SIM_HELP_VANILLA = 0, SIM_HELP_PAPER, SIM_HELP_UNKNOWN };

typedef struct sim_opts {
	const char *bind;           /* numeric address; NULL = "127.0.0.1" */
	int port;                   /* 0 = any free port */
	const char *password;       /* NULL = "secret"; "" = refused (RCON disabled) */
	const char *const *players; /* initial online names, NULL-terminated; or NULL */
	int n_players;              /* when players is NULL: generate this many names */
	int max_players;            /* <= 0 means 20 */
	int churn_ms;               /* mean ms between random joins/leaves; 0 = off */
	enum sim_dialect dialect;
	enum sim_list_format list_format;
	enum sim_health health;
	double tps;                 /* the TPS health commands report; 0 = healthy */
	uint64_t seed;              /* names, churn and world values derive from it */
	bool namespaced;            /* "minecraft:NAME" runs NAME too (Paper, Spigot) */
	/* Faults (DESIGN.md section 6). */
	int delay_ms;               /* hold every reply this long before sending */
	bool drip;                  /* write replies one byte per write(), 1 ms apart */
	long hang_after;            /* per connection: answer this many commands, then
	                               nothing at all (still read, logged); < 0 = off */
	long drop_after;            /* per connection: answer this many commands; the
	                               next one is logged, not run, and the connection
	                               is closed without a reply; < 0 = off */
	bool garbage;               /* replies after auth are not valid packets */
	bool oversize;              /* replies after auth carry a 16 MiB+1 length field */
	bool auth_fail;             /* every password is wrong (id -1) */
	bool hostile;               /* command output wrapped in escapes, C1, bad UTF-8 */
	enum sim_auth_reply auth_reply; /* how logins are answered (the password is
	                               still checked: a right one lets commands in) */
	bool reset_mid;             /* a reply of several packets: the first, then
	                               the connection is reset (RST) */
	bool stall_mid;             /* a reply of several packets: the first, then
	                               nothing more on that connection */
	bool stray;                 /* before every answer after auth, a packet
	                               with an id no client asked for */
	/* What `help` answers (sim-help.c). */
	enum sim_help_style help_style;
	const char *plugin_usage[SIM_PLUGIN_MAX]; /* extra usages in help, e.g.
	                               "warp (list|set|delete) <name>"; borrowed */
	int n_plugin_usage;
	sim_log_cb on_log;
	sim_auth_cb on_auth;        /* gets log_arg too */
	void *log_arg;
	sim_stop_cb on_stop;
	void *stop_arg;
} sim_opts;

/* Fills opts with the defaults (vanilla, modern list, 20 slots, no faults). */
void sim_opts_init(sim_opts *opts);

/* Binds, listens and starts serving on loop.  Returns NULL and writes the
 * reason into err[cap] on failure (empty password, bad address, bind error,
 * out of memory). */
sim_server *sim_server_new(rc_loop *loop, const sim_opts *opts, char *err, size_t cap);
/* Closes the listener and every connection and frees the server (NULL ok). */
void sim_server_free(sim_server *s);

/* Returns the TCP port the server listens on (the chosen one when 0 was asked). */
int sim_server_port(const sim_server *s);
/* Stops the server as `stop` does: no more accepts, connections closed once
 * their pending output is written, then on_stop. */
void sim_server_stop(sim_server *s);
/* Returns true once the server has fully stopped. */
bool sim_server_stopped(const sim_server *s);

/* Makes name join now.  Returns 0, RC_EINVAL (bad name), RC_EFULL (server
 * full) or RC_ENOMEM; joining an online player is a no-op returning 0. */
int sim_server_join(sim_server *s, const char *name);
/* Makes name leave now; returns 0 or RC_ENOENT when not online. */
int sim_server_leave(sim_server *s, const char *name);
/* Returns the number of players online. */
size_t sim_server_player_count(const sim_server *s);
/* Returns the i-th online player's name (join order), or NULL past the end;
 * the pointer stays valid until the next change to the roster. */
const char *sim_server_player(const sim_server *s, size_t i);
/* Changes the mean churn interval (ms); 0 stops churn. */
void sim_server_set_churn(sim_server *s, int churn_ms);
/* Sets the TPS the health commands report (0 = healthy, jittering near 20). */
void sim_server_set_tps(sim_server *s, double tps);
/* Returns how many commands (type 2, after auth) the server has received. */
unsigned long sim_server_commands(const sim_server *s);

#ifdef __cplusplus
}
#endif
#endif
