/* blocking.c: run RCON commands with the blocking client.
 * Usage: RCON_PASSWORD=... blocking HOST PORT COMMAND...
 * Build: cc blocking.c $(pkg-config --cflags --libs rconsole) */
#include <rconsole/rconsole.h>
#include <stdio.h>
#include <stdlib.h>

/* Connects, runs each command, prints each reply. */
int main(int argc, char **argv)
{
	rc_conn_opts o;
	rc_conn_opts_init(&o);
	o.host = argc > 1 ? argv[1] : "localhost";
	o.port = argc > 2 ? argv[2] : "25575";
	o.password = getenv("RCON_PASSWORD");
	int err;
	rc_client *cl = rc_client_open(&o, &err);
	if (!cl) {
		fprintf(stderr, "blocking: %s: %s\n", o.host, rc_strerror(err));
		return rc_exit_code(err);
	}
	for (int i = 3; i < argc; i++) {
		char *reply, *safe;
		size_t len;
		if ((err = rc_client_exec(cl, argv[i], &reply, &len)) != 0)
			break;
		safe = rc_text_sanitize(reply, len, "\n\t", NULL);   /* never raw to a terminal */
		printf("%s\n", safe ? safe : "");
		free(safe);
		free(reply);
	}
	rc_client_close(cl);
	if (err)
		fprintf(stderr, "blocking: %s\n", rc_strerror(err));
	return rc_exit_code(err);
}
