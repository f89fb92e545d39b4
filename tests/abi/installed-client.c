/* installed-client.c: a third-party program built against the INSTALLED
 * library (tests/abi/installed.sh compiles it with pkg-config's flags).
 * Usage: installed-client PORT PASSWORD.  Checks that rc_client_exec()
 * returns a 100,000-character reply byte for byte (ASCII and 3-byte UTF-8)
 * and that a wrong password gives RC_EAUTH; prints "ok" and exits 0. */
#include <rconsole/rconsole.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints why and exits 1. */
static void fail(const char *what, int err)
{
	fprintf(stderr, "installed-client: %s: %s\n", what, rc_strerror(err));
	exit(1);
}

/* Runs `sim chars 100000 KIND` and checks every byte against unit. */
static void check_chars(rc_client *cl, const char *kind, const char *unit)
{
	char cmd[64], *reply;
	size_t len, ul = strlen(unit);
	snprintf(cmd, sizeof cmd, "sim chars 100000 %s", kind);
	int rc = rc_client_exec(cl, cmd, &reply, &len);
	if (rc != 0)
		fail(cmd, rc);
	if (len != 100000 * ul || reply[len] != '\0')
		fail("reply length", RC_EPROTO);
	for (size_t i = 0; i < len; i += ul)
		if (memcmp(reply + i, unit, ul) != 0)
			fail("reply bytes", RC_EPROTO);
	free(reply);
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = "127.0.0.1";
	o.port = argv[1];
	o.password = argv[2];
	int err;
	rc_client *cl = rc_client_open(&o, &err);
	if (!cl)
		fail("open", err);
	check_chars(cl, "ascii", "a");
	check_chars(cl, "cjk", "\xe4\xb8\xad");
	rc_client_close(cl);
	o.password = "not-the-password";
	if (rc_client_open(&o, &err) || err != RC_EAUTH)
		fail("wrong password must give RC_EAUTH", err);
	puts("ok");
	return 0;
}
