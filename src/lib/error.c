/* error.c: descriptions and exit codes for the RC_E* error codes, and the
 * one wording of a timeout in their causes. */
#include <stdio.h>

#include "rconsole/error.h"

/* One row per code: its text and its command-line exit status. */
static const struct {
	int err;
	const char *text;
	int exit_code;
} error_table[] = {
	{ RC_OK, "success", 0 },
	{ RC_ENOMEM, "out of memory", 5 },
	{ RC_EINVAL, "invalid command", 1 },
	{ RC_ETOOLONG, "command too long", 1 },
	{ RC_EREADONLY, "refused: read-only mode", 1 },
	{ RC_ENOTREADY, "not connected", 3 },
	{ RC_ERESOLVE, "could not resolve host", 3 },
	{ RC_ECONNECT, "could not connect", 3 },
	{ RC_ETIMEOUT, "timed out", 3 },
	{ RC_EAUTH, "authentication failed", 4 },
	{ RC_EPROTO, "protocol error", 5 },
	{ RC_ELOST, "connection lost: outcome unknown", 1 },
	{ RC_ENOTSENT, "not sent: connection lost", 5 },
	{ RC_ETOOBIG, "response too large", 5 },
	{ RC_ECLOSED, "connection closed by server", 5 },
	{ RC_ESTOPPED, "server stopped", 0 },
	{ RC_EIO, "system error", 5 },
	{ RC_ECANCELED, "cancelled", 130 },
	{ RC_EMALFORMED, "malformed input", 5 },
	{ RC_ECONFIG, "configuration error", 2 },
	{ RC_ENOENT, "not found", 2 },
	{ RC_EFULL, "command queue full", 1 },
};

/* Returns the table row for err, or NULL. */
static int error_find(int err)
{
	for (unsigned i = 0; i < sizeof error_table / sizeof error_table[0]; i++)
		if (error_table[i].err == err)
			return (int)i;
	return -1;
}

/* Returns a short static description of an RC_E* code. */
const char *rc_strerror(int err)
{
	int i = error_find(err);
	return i < 0 ? "unknown error" : error_table[i].text;
}

/* Returns the exit status (DESIGN.md section 3) for an RC_E* code. */
int rc_exit_code(int err)
{
	int i = error_find(err);
	return i < 0 ? 5 : error_table[i].exit_code;
}

/* Writes a timeout as "10 s" (whole seconds) or "1500 ms" into buf. */
const char *rc_timeout_text(char *buf, size_t cap, long long ms)
{
	if (ms != 0 && ms % 1000 == 0)
		snprintf(buf, cap, "%lld s", ms / 1000);
	else
		snprintf(buf, cap, "%lld ms", ms);
	return buf;
}
