/* client.h: the blocking RCON client — one call to connect, one call per
 * command, for scripts, bots and tools that do not run an event loop.
 *
 *   int err;
 *   rc_conn_opts o;
 *   rc_conn_opts_init(&o);
 *   o.host = "mc.example.net";
 *   o.password = "secret";
 *   rc_client *cl = rc_client_open(&o, &err);     // resolve, connect, log in
 *   char *reply; size_t len;
 *   if (cl && rc_client_exec(cl, "list", &reply, &len) == 0) { ...; free(reply); }
 *   rc_client_close(cl);
 *
 * It is the same connection as rc_conn (conn.h), with the same guarantees:
 * one packet per write, one command at a time, replies of any number of
 * packets reassembled byte for byte, the read-only policy and the length
 * rules enforced before anything is written, a command written at most
 * once.  Every call returns within the options' timeouts (a name lookup is
 * bounded by connect_timeout_ms; the command timeout is the server's
 * silence, so a long reply still arriving is waited for).  opts.reconnect is ignored: a client
 * whose connection was lost reconnects once, inside the next
 * rc_client_exec(), before writing anything; a wrong password is never
 * retried.  One thread at a time per client; clients share nothing.
 *
 * The typed helpers below build their commands with the Minecraft layer's
 * safe builders (mc.h: names validated, arguments free of control
 * characters) and run them with rc_client_exec(). */
#ifndef RCONSOLE_CLIENT_H
#define RCONSOLE_CLIENT_H

#include <stddef.h>
#include "rconsole/conn.h"
#include "rconsole/mc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rc_client rc_client;

/* Resolves, connects and logs in.  Returns the client, or NULL with *err
 * (when err is not NULL) set: RC_EINVAL (bad options), RC_ERESOLVE,
 * RC_ECONNECT, RC_ETIMEOUT, RC_EAUTH (wrong password), RC_EPROTO,
 * RC_ECLOSED, RC_ENOMEM. */
rc_client *rc_client_open(const rc_conn_opts *opts, int *err);

/* Runs cmd and waits for its whole reply.  Returns 0 with *reply a malloc'd,
 * NUL-terminated copy of the reply bytes (the caller frees it; the reply
 * may itself hold NUL bytes, *len counts them all; len may be NULL), or an
 * RC_E* code with *reply NULL: refused before sending (RC_EINVAL,
 * RC_ETOOLONG, RC_EREADONLY), RC_ENOTREADY (could not reconnect; see
 * rc_client_last_error), RC_ETIMEOUT (the server sent nothing for
 * command_timeout_ms while the reply was incomplete: the connection is
 * closed), RC_ELOST (written, then
 * the connection was lost: outcome unknown), RC_ENOTSENT (never written:
 * the connection ended first, as for a command run after `stop` was
 * answered but before the server's close had been seen),
 * RC_ETOOBIG, RC_EIO (the wait itself failed), RC_ENOMEM.  After
 * `stop` is answered the server closes the connection; that is not an
 * error. */
int rc_client_exec(rc_client *cl, const char *cmd, char **reply, size_t *len);

/* Returns the code and cause of the last failure (cause valid until the
 * next call on cl; NULL when there is none). */
int rc_client_last_error(const rc_client *cl, const char **cause);

/* Closes the connection and frees the client; NULL is a no-op. */
void rc_client_close(rc_client *cl);

/* ---- typed helpers for everyday commands ----
 * Each returns 0 or an RC_E* code (RC_EINVAL for an invalid player name or
 * argument); reply, when not NULL, receives the server's answer as
 * rc_client_exec() gives it (caller frees). */

/* Runs `list` and parses it into *out (rc_mc_list_clear() frees it). */
int rc_client_list(rc_client *cl, rc_mc_list *out);
/* say TEXT */
int rc_client_say(rc_client *cl, const char *text, char **reply);
/* msg PLAYER TEXT */
int rc_client_msg(rc_client *cl, const char *player, const char *text, char **reply);
/* kick PLAYER [REASON] (reason may be NULL) */
int rc_client_kick(rc_client *cl, const char *player, const char *reason, char **reply);
/* ban PLAYER [REASON] */
int rc_client_ban(rc_client *cl, const char *player, const char *reason, char **reply);
/* pardon PLAYER */
int rc_client_pardon(rc_client *cl, const char *player, char **reply);
/* op PLAYER / deop PLAYER */
int rc_client_op(rc_client *cl, const char *player, char **reply);
int rc_client_deop(rc_client *cl, const char *player, char **reply);
/* whitelist add PLAYER / whitelist remove PLAYER */
int rc_client_whitelist_add(rc_client *cl, const char *player, char **reply);
int rc_client_whitelist_remove(rc_client *cl, const char *player, char **reply);

typedef enum rc_client_time {
	RC_CLIENT_TIME_DAYTIME = 0,
	RC_CLIENT_TIME_GAMETIME,
	RC_CLIENT_TIME_DAY
} rc_client_time;
/* time query daytime|gametime|day; *value gets the number the server
 * printed ("The time is 1234"), or RC_EPROTO when there is none. */
int rc_client_time_query(rc_client *cl, rc_client_time which, long long *value);

/* difficulty (level NULL: query) or difficulty peaceful|easy|normal|hard */
int rc_client_difficulty(rc_client *cl, const char *level, char **reply);
/* save-all (flush true: save-all flush) */
int rc_client_save_all(rc_client *cl, bool flush, char **reply);
/* stop: the server answers and closes the connection. */
int rc_client_stop(rc_client *cl, char **reply);

#ifdef __cplusplus
}
#endif
#endif
