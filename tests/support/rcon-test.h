/* rcon-test.h: a tiny blocking RCON client and raw socket for tests.
 *
 * Deliberately independent of the engine (src/lib/conn.c): it is the
 * yardstick the engine and mcsim are measured with.  Every packet goes out in
 * one write(); received bytes are buffered and framed, so coalesced packets
 * are split correctly.  Nothing here asserts: tests check the results. */
#ifndef RCONSOLE_TESTS_SUPPORT_RCON_TEST_H
#define RCONSOLE_TESTS_SUPPORT_RCON_TEST_H

#include <stddef.h>
#include <stdint.h>

#define RCON_TEST_TIMEOUT_MS 20000   /* default wait for replies */
#define RCON_TEST_SENTINEL_TYPE 100  /* answered "Unknown request 64" */

typedef struct rcon_test {
	int fd;
	uint8_t *buf;           /* received, not yet framed */
	size_t len, cap;
	int32_t next_id;        /* ids rcon_test_auth/exec use; starts at 1 */
} rcon_test;

typedef struct rcon_test_pkt {
	int32_t id;
	int32_t type;
	char *body;             /* malloc'd: the length field's body bytes + a NUL */
	size_t body_len;        /* length - 10 (may include NULs, e.g. source's marker) */
} rcon_test_pkt;

/* Connects to host (numeric, NULL = 127.0.0.1) port, blocking, 10 s at most;
 * returns NULL on failure. */
rcon_test *rcon_test_connect(const char *host, int port);
/* Connects to 127.0.0.1:port and authenticates with password; NULL on any
 * failure (refused, rejected, closed). */
rcon_test *rcon_test_open(int port, const char *password);
/* Closes and frees (NULL ok). */
void rcon_test_close(rcon_test *c);

/* Sends one packet in one write(); returns 0 or -1. */
int rcon_test_send(rcon_test *c, int32_t id, int32_t type, const void *body, size_t len);
/* Writes arbitrary bytes in one write(); returns 0 or -1. */
int rcon_test_send_raw(rcon_test *c, const void *bytes, size_t len);
/* Encodes one packet into a malloc'd buffer (*len bytes) for raw tricks. */
uint8_t *rcon_test_encode(int32_t id, int32_t type, const void *body, size_t body_len,
    size_t *len);

/* Receives one packet within timeout_ms.  Returns 1 (packet in *p), 0 (timed
 * out), -1 (connection closed or reset), -2 (length field outside 10..16 MiB:
 * malformed; nothing is consumed). */
int rcon_test_recv(rcon_test *c, rcon_test_pkt *p, int timeout_ms);
/* Frees a packet's body. */
void rcon_test_pkt_free(rcon_test_pkt *p);
/* Waits up to timeout_ms for end of stream; returns 1 when the peer closed,
 * 0 when still open.  *junk (may be NULL) gets the bytes received meanwhile,
 * including any left buffered. */
int rcon_test_wait_close(rcon_test *c, int timeout_ms, size_t *junk);

/* Authenticates; returns 1 (accepted: reply id echoed), 0 (reply id -1), -1
 * (closed, timeout or bad reply).  Accepts Source's empty packet first. */
int rcon_test_auth(rcon_test *c, const char *password);
/* Runs cmd the way a careful client does: send it, wait for the first
 * fragment, then send a sentinel (type 100) and collect fragments until its
 * answer.  Returns the reassembled reply (malloc'd, NUL-terminated; *len its
 * length, *frags the fragment count; both may be NULL) or NULL on failure. */
char *rcon_test_exec(rcon_test *c, const char *cmd, size_t *len, int *frags);
/* Like rcon_test_exec but keeps the fragments apart: stores up to max of them
 * in frags (free each with rcon_test_pkt_free) and returns how many arrived
 * (more than max when some were dropped), or -1 on failure. */
int rcon_test_exec_frags(rcon_test *c, const char *cmd, rcon_test_pkt *frags, int max);

#endif
