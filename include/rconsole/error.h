/* error.h: error codes shared by every rconsole library module.
 *
 * Functions that can fail return 0 (or a positive count) on success and one of
 * the negative RC_E* codes below on failure.  rc_strerror() gives a short
 * English phrase for a code; rc_exit_code() maps a code to the exit status
 * rconsole's command line uses: 0 ok, 1 refused locally or outcome unknown,
 * 2 usage or configuration, 3 could not connect, 4 authentication failed,
 * 5 protocol error or connection lost, 130 interrupted (RC_ECANCELED);
 * RC_ESTOPPED is 0 and an unknown code 5.  The mapping is by the code alone:
 * RC_ETIMEOUT is 3 (a connect or login timeout) and RC_ENOMEM 5, where the
 * command line, knowing a command was in flight, exits 1 for a command's
 * timeout or a reply cut for want of memory (outcome unknown). */
#ifndef RCONSOLE_ERROR_H
#define RCONSOLE_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum rc_err {
	RC_OK = 0,
	RC_ENOMEM = -1,     /* out of memory */
	RC_EINVAL = -2,     /* invalid argument or invalid command text */
	RC_ETOOLONG = -3,   /* command longer than the dialect allows */
	RC_EREADONLY = -4,  /* refused by the read-only policy */
	RC_ENOTREADY = -5,  /* connection not ready: command refused, not queued */
	RC_ERESOLVE = -6,   /* name resolution failed */
	RC_ECONNECT = -7,   /* could not connect (refused, unreachable) */
	RC_ETIMEOUT = -8,   /* connect, auth or command timeout */
	RC_EAUTH = -9,      /* authentication failed */
	RC_EPROTO = -10,    /* protocol error: malformed or oversized packet */
	RC_ELOST = -11,     /* connection lost after the command was written: outcome unknown */
	RC_ENOTSENT = -12,  /* connection lost before the command was written: not sent */
	RC_ETOOBIG = -13,   /* response larger than the configured limit */
	RC_ECLOSED = -14,   /* connection closed by the peer */
	RC_ESTOPPED = -15,  /* the server is stopping (after a `stop` command) */
	RC_EIO = -16,       /* system call failed (see errno in the cause text) */
	RC_ECANCELED = -17, /* cancelled locally (disconnect, shutdown) */
	RC_EMALFORMED = -18,/* decoder: malformed input */
	RC_ECONFIG = -19,   /* configuration error */
	RC_ENOENT = -20,    /* no such profile, file or entry */
	RC_EFULL = -21,     /* command queue full */
	RC_ERR_LAST = -21
};

/* Returns a short static description of an RC_E* code. */
const char *rc_strerror(int err);

/* Returns the command-line exit status (see above) for an RC_E* code. */
int rc_exit_code(int err);

/* Writes a timeout of ms milliseconds the way every message words one:
 * "10 s" when it is a whole number of seconds, else "1500 ms".  Returns buf
 * (24 bytes hold any value). */
const char *rc_timeout_text(char *buf, size_t cap, long long ms);

#ifdef __cplusplus
}
#endif
#endif
