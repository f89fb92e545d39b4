/* test-conn-peer.h: a scripted RCON server and an event recorder for the
 * connection tests.  The peer runs on the same rc_loop as the connection
 * under test, so a test drives both sides with rc_loop_run_once().
 *
 * The peer keeps vanilla's wire rules when strict (the default for the
 * vanilla and forge styles): every read() must hold exactly one whole packet
 * of at most 1460 bytes, otherwise it records a violation and drops the
 * connection, as the Mojang server does.  While it "runs" a slow command it
 * does not read at all, like vanilla's RCON thread.
 *
 * Commands it understands (anything else answers "re:" + the command):
 *   gen N         N bytes of peer_pattern()
 *   genu N        N characters of peer_upattern() (multi-byte UTF-8)
 *   empty         an empty reply (forge style: no packet at all)
 *   hold MS CMD   waits MS ms without reading, then runs CMD
 *   hang          never answers and stops reading
 *   dup           answers "one", then a second packet "two" with the same id
 *   type4         a type-4 packet with the command's id, then "ok"
 *   stray         a packet with id 424242, then "ok"
 *   garbage       a packet with length field 5
 *   oversize      a length field of 2 MiB
 *   dropmid       the first 4096 bytes of a 10000-byte reply, then closes
 *   drop          closes without answering
 *   stop          answers "Stopping the server" and closes (or only
 *                 closes when stop_silent is set, or only answers when
 *                 stop_stays is set) */
#ifndef TEST_CONN_PEER_H
#define TEST_CONN_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rconsole/conn.h"
#include "rconsole/loop.h"

enum peer_style { PEER_VANILLA, PEER_FORGE, PEER_SOURCE };

struct peer_pkt {
	int32_t id;
	int32_t type;
	char *body;
	size_t len;
	int conn;              /* which accepted connection (1-based) */
};

struct peer {
	rc_loop *loop;
	enum peer_style style;
	const char *password;
	bool strict;           /* vanilla read rule */
	bool stop_silent;      /* "stop" closes without answering */
	bool stop_stays;       /* "stop" answers and keeps the connection open */
	bool reject;           /* close every connection right after accept */
	bool mute;             /* never answer the login */
	bool welcome;          /* send an unsolicited packet after a login */
	bool drip;             /* write one byte per POLLOUT */
	int32_t reply_type;    /* type of reply packets: 0, or 2 as Cuberite */
	int lfd, cfd;
	uint16_t port;
	bool v6;
	int accepts;
	bool authed;
	bool reading;
	int violations;
	char why[256];

	struct peer_pkt *log;
	size_t nlog, caplog;

	uint8_t *in;
	size_t inlen, incap;
	uint8_t *out;
	size_t outlen, outoff, outcap;
	bool close_after_flush;

	rc_timer_id hold_timer;
	int32_t hold_id;
	char *hold_cmd;
};

/* Starts listening on 127.0.0.1 (or ::1) port 0; NULL when v6 is missing. */
struct peer *peer_new(rc_loop *loop, enum peer_style style, bool v6);
/* Stops listening, closes the client and frees the log. */
void peer_free(struct peer *p);
/* Closes the current client connection (a server-side drop). */
void peer_drop(struct peer *p);
/* Returns how many logged packets have the given type. */
int peer_count_type(const struct peer *p, int32_t type);
/* Returns byte i of the "gen" pattern. */
char peer_pattern(size_t i);
/* Fills out with n characters of the "genu" pattern; returns its bytes. */
size_t peer_upattern(char *out, size_t n_chars);

/* One recorded reply. */
struct rec_reply {
	uint64_t cmd;
	void *tag;
	int status;
	char *body;
	size_t len;
	unsigned frags;
	int64_t rtt_us;
};

/* Everything a connection reported. */
struct rec {
	rc_state states[128];
	int errs[128];
	int64_t retry[128];
	int nstates;
	struct rec_reply replies[256];
	int nreplies;
	int strays;
	int32_t stray_ids[32];
	int32_t stray_types[32];
	bool in_send;          /* set by the test around rc_conn_send() */
	int reentrant;         /* events seen while in_send */
	bool free_on_reply;    /* rc_conn_free() from inside the reply event */
	bool free_on_state;    /* ... from inside a state event for this state */
	rc_state free_state;
	bool stop_on_reply;    /* rc_conn_stop() from inside the first reply */
	bool send_on_reply;    /* rc_conn_send("list") from inside each reply */
	rc_conn **freed;       /* set to NULL when freed from a callback */
};

/* The rc_conn_cb that fills a struct rec. */
void rec_cb(rc_conn *c, const rc_event *ev, void *arg);
/* Frees the reply bodies. */
void rec_clear(struct rec *r);
/* Returns true when state s was reported. */
bool rec_saw_state(const struct rec *r, rc_state s);
/* Returns the last reported state, or -1. */
int rec_last_state(const struct rec *r);

/* Runs the loop until pred(arg) holds or timeout_ms passed; returns pred. */
bool run_until(rc_loop *loop, bool (*pred)(void *), void *arg, int timeout_ms);
/* Runs the loop for about ms milliseconds. */
void run_for(rc_loop *loop, int ms);

/* Harness: one loop, one peer and one connection. */
struct tc {
	rc_loop *loop;
	struct peer *peer;
	rc_conn *conn;
	struct rec rec;
	rc_conn_opts opts;
	char port[16];
};

/* Creates the loop and the peer; fills opts for the peer (reconnect off,
 * short quiet interval); returns false when the peer cannot listen. */
bool tc_init(struct tc *t, enum peer_style style, bool v6);
/* Creates the connection from t->opts and runs until READY. */
void tc_connect(struct tc *t);
/* Sends cmd and runs until its reply arrived; returns that reply. */
struct rec_reply *tc_command(struct tc *t, const char *cmd);
/* Frees everything. */
void tc_fini(struct tc *t);
/* Predicates for run_until: state reached / n replies seen. */
bool tc_is_ready(void *arg);
bool tc_is_terminal(void *arg);

#endif
