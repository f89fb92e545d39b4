/* client-cmd.c: the blocking client's typed helpers (client.h) — everyday
 * admin commands built with the Minecraft layer's safe builders (mc-cmd.c)
 * and the list parser (mc-list.c), run through rc_client_exec(). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/client.h"
#include "rconsole/error.h"
#include "rconsole/packet.h"

/* Runs cmd, handing the reply to *reply or freeing it. */
static int client_cmd_run(rc_client *cl, const char *cmd, char **reply)
{
	char *r = NULL;
	int rc = rc_client_exec(cl, cmd, &r, NULL);
	if (reply)
		*reply = r;
	else
		free(r);
	return rc;
}

/* Builds action on player (with arg) and runs it. */
static int client_cmd_action(rc_client *cl, rc_mc_action a, const char *player, const char *arg,
    char **reply)
{
	if (reply)
		*reply = NULL;
	char cmd[RC_MC_BODY_MAX + 1];
	const char *cause = NULL;
	int n = rc_mc_build(a, player, arg, cmd, sizeof cmd, &cause);
	if (n < 0)
		return n;
	return client_cmd_run(cl, cmd, reply);
}

/* Runs `list` and parses it. */
int rc_client_list(rc_client *cl, rc_mc_list *out)
{
	if (!out)
		return RC_EINVAL;
	memset(out, 0, sizeof *out);
	char *r;
	size_t len;
	int rc = rc_client_exec(cl, "list", &r, &len);
	if (rc < 0)
		return rc;
	rc = rc_mc_list_parse(r, len, out);
	free(r);
	return rc;
}

/* say TEXT */
int rc_client_say(rc_client *cl, const char *text, char **reply)
{
	return client_cmd_action(cl, RC_MC_SAY, NULL, text, reply);
}

/* msg PLAYER TEXT */
int rc_client_msg(rc_client *cl, const char *player, const char *text, char **reply)
{
	return client_cmd_action(cl, RC_MC_MSG, player, text, reply);
}

/* kick PLAYER [REASON] */
int rc_client_kick(rc_client *cl, const char *player, const char *reason, char **reply)
{
	return client_cmd_action(cl, RC_MC_KICK, player, reason, reply);
}

/* ban PLAYER [REASON] */
int rc_client_ban(rc_client *cl, const char *player, const char *reason, char **reply)
{
	return client_cmd_action(cl, RC_MC_BAN, player, reason, reply);
}

/* pardon PLAYER */
int rc_client_pardon(rc_client *cl, const char *player, char **reply)
{
	return client_cmd_action(cl, RC_MC_PARDON, player, NULL, reply);
}

/* op PLAYER */
int rc_client_op(rc_client *cl, const char *player, char **reply)
{
	return client_cmd_action(cl, RC_MC_OP, player, NULL, reply);
}

/* deop PLAYER */
int rc_client_deop(rc_client *cl, const char *player, char **reply)
{
	return client_cmd_action(cl, RC_MC_DEOP, player, NULL, reply);
}

/* whitelist add PLAYER */
int rc_client_whitelist_add(rc_client *cl, const char *player, char **reply)
{
	return client_cmd_action(cl, RC_MC_WHITELIST_ADD, player, NULL, reply);
}

/* whitelist remove PLAYER */
int rc_client_whitelist_remove(rc_client *cl, const char *player, char **reply)
{
	return client_cmd_action(cl, RC_MC_WHITELIST_REMOVE, player, NULL, reply);
}

/* The words of `time query`, by rc_client_time. */
static const char *const client_cmd_time_words[] = { "daytime", "gametime", "day" };

/* time query WHICH: reads the last number of the reply ("The time is 1234"). */
int rc_client_time_query(rc_client *cl, rc_client_time which, long long *value)
{
	if ((unsigned)which >= sizeof client_cmd_time_words / sizeof client_cmd_time_words[0] ||
	    !value)
		return RC_EINVAL;
	char cmd[32];
	snprintf(cmd, sizeof cmd, "time query %s", client_cmd_time_words[which]);
	char *r;
	size_t len;
	int rc = rc_client_exec(cl, cmd, &r, &len);
	if (rc < 0)
		return rc;
	rc = RC_EPROTO;
	for (size_t i = len; i-- > 0;) {
		if (!isdigit((unsigned char)r[i]))
			continue;
		size_t start = i;
		while (start > 0 && isdigit((unsigned char)r[start - 1]))
			start--;
		if (i - start < 18) {
			*value = strtoll(r + start, NULL, 10);
			rc = 0;
		}
		break;
	}
	free(r);
	return rc;
}

/* The levels `difficulty` takes. */
static const char *const client_cmd_levels[] = { "peaceful", "easy", "normal", "hard" };

/* difficulty [LEVEL] */
int rc_client_difficulty(rc_client *cl, const char *level, char **reply)
{
	if (reply)
		*reply = NULL;
	if (!level)
		return client_cmd_run(cl, "difficulty", reply);
	for (size_t i = 0; i < sizeof client_cmd_levels / sizeof client_cmd_levels[0]; i++) {
		if (strcmp(level, client_cmd_levels[i]) == 0) {
			char cmd[32];
			snprintf(cmd, sizeof cmd, "difficulty %s", client_cmd_levels[i]);
			return client_cmd_run(cl, cmd, reply);
		}
	}
	return RC_EINVAL;
}

/* save-all [flush] */
int rc_client_save_all(rc_client *cl, bool flush, char **reply)
{
	if (reply)
		*reply = NULL;
	return client_cmd_run(cl, flush ? "save-all flush" : "save-all", reply);
}

/* stop */
int rc_client_stop(rc_client *cl, char **reply)
{
	if (reply)
		*reply = NULL;
	return client_cmd_run(cl, "stop", reply);
}
