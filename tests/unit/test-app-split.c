/* test-app-split.c: splitting vanilla's glued output — `help` into one
 * usage per line without breaking a usage at a '/' inside it, 1.12's list
 * into its two messages — and reading log_file lines (timestamp, level,
 * message, chat sender). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "app/app-split.h"

/* Splits s with kind into pieces joined by '|' in out. */
static void split_join(enum app_split_kind kind, const char *s, char *out, size_t cap)
{
	size_t len = strlen(s), off = 0, o = 0;
	out[0] = '\0';
	while (off < len) {
		size_t end = app_split_next(kind, s, len, off);
		cr_assert_gt(end, off, "no progress at %zu", off);
		o += (size_t)snprintf(out + o, cap - o, "%s%.*s", off ? "|" : "", (int)(end - off), s + off);
		off = end;
	}
}

Test(split, which_replies)
{
	cr_assert_eq(app_split_for("help", "list"), APP_SPLIT_HELP);
	cr_assert_eq(app_split_for("HELP time", "list"), APP_SPLIT_HELP);
	cr_assert_eq(app_split_for("helpop", "list"), APP_SPLIT_NONE);
	cr_assert_eq(app_split_for("list", "list"), APP_SPLIT_LIST);
	cr_assert_eq(app_split_for("who", "who"), APP_SPLIT_LIST);
	cr_assert_eq(app_split_for("say /a/b", "list"), APP_SPLIT_NONE);
}

Test(split, help_one_usage_per_line)
{
	char out[1024];
	split_join(APP_SPLIT_HELP, "/time (add|query|set)/warp <name>/seed/stop", out, sizeof out);
	cr_assert_str_eq(out, "/time (add|query|set)|/warp <name>|/seed|/stop");
	split_join(APP_SPLIT_HELP, "/time add <time>/time query (day|daytime|gametime)"
	    "/time set (<time>|day|midnight|night|noon)", out, sizeof out);
	cr_assert_str_eq(out, "/time add <time>|/time query (day|daytime|gametime)|"
	    "/time set (<time>|day|midnight|night|noon)");
}

Test(split, help_slashes_inside_a_usage_stay)
{
	char out[1024];
	/* Inside brackets, before a non-letter, after a space: never a new usage. */
	split_join(APP_SPLIT_HELP, "--- Showing help page 1 of 9 (/help <page>) ---/ban <name>",
	    out, sizeof out);
	cr_assert_str_eq(out, "--- Showing help page 1 of 9 (/help <page>) ---|/ban <name>");
	split_join(APP_SPLIT_HELP, "/copy <from>/<to> [a/b]/paste", out, sizeof out);
	cr_assert_str_eq(out, "/copy <from>/<to> [a/b]|/paste");
	split_join(APP_SPLIT_HELP, "/alias <name> /cmd", out, sizeof out);
	cr_assert_str_eq(out, "/alias <name> /cmd");
	split_join(APP_SPLIT_HELP, "/execute align <axes> -> execute/fill <from>", out, sizeof out);
	cr_assert_str_eq(out, "/execute align <axes> -> execute|/fill <from>");
	/* Bukkit's lines come with newlines and colour codes before the '/'. */
	split_join(APP_SPLIT_HELP, "\xC2\xA7" "6/ban\xC2\xA7" "f: Bans a player", out, sizeof out);
	cr_assert_str_eq(out, "\xC2\xA7" "6/ban\xC2\xA7" "f: Bans a player");
	split_join(APP_SPLIT_HELP, "\xC2\xA7" "eHelp: Index (1/40)", out, sizeof out);
	cr_assert_str_eq(out, "\xC2\xA7" "eHelp: Index (1/40)");
}

Test(split, list_112_two_messages)
{
	char out[256];
	split_join(APP_SPLIT_LIST, "There are 2/20 players online:Alice, Bob", out, sizeof out);
	cr_assert_str_eq(out, "There are 2/20 players online:|Alice, Bob");
	split_join(APP_SPLIT_LIST, "There are 0/20 players online:", out, sizeof out);
	cr_assert_str_eq(out, "There are 0/20 players online:");
	split_join(APP_SPLIT_LIST, "There are 2 of a max of 20 players online: Alice, Bob", out,
	    sizeof out);
	cr_assert_str_eq(out, "There are 2 of a max of 20 players online: Alice, Bob",
	    "1.13+ is one message");
	split_join(APP_SPLIT_NONE, "/a/b", out, sizeof out);
	cr_assert_str_eq(out, "/a/b");
}

/* Parses line and checks stamp, level and the message it finds. */
static void check_log(const char *line, const char *stamp, enum app_log_level level,
    const char *body)
{
	app_log_fields f;
	cr_assert(app_log_parse(line, strlen(line), &f), "not parsed: %s", line);
	cr_assert_str_eq(f.stamp, stamp, "%s", line);
	cr_assert_eq(f.level, level, "%s", line);
	cr_assert_str_eq(line + f.body, body, "%s", line);
}

Test(logline, shapes)
{
	check_log("[12:00:00] [Server thread/WARN]: Can't keep up!", "12:00:00", APP_LOG_WARN,
	    "Can't keep up!");
	check_log("[12:00:01] [Server thread/INFO]: <Alice> hi", "12:00:01", APP_LOG_INFO,
	    "<Alice> hi");
	check_log("[12:00:02] [Server thread/INFO] [minecraft/DedicatedServer]: Done", "12:00:02",
	    APP_LOG_INFO, "Done");
	check_log("[01Dec2026 12:00:03.123] [Server thread/ERROR] [net.minecraft.server/]: boom",
	    "12:00:03", APP_LOG_ERROR, "boom");
	check_log("[12:00:04 WARN]: Paper says", "12:00:04", APP_LOG_WARN, "Paper says");
	check_log("2013-01-01 12:00:05 [SEVERE] old style", "12:00:05", APP_LOG_ERROR, "old style");
	check_log("[12:00:06] [Server thread/INFO]: [Not Secure] <Bob> yo", "12:00:06",
	    APP_LOG_INFO, "[Not Secure] <Bob> yo");
	app_log_fields f;
	cr_assert_not(app_log_parse("plain text", 10, &f));
	cr_assert_not(app_log_parse("[not a time] x", 14, &f));
	cr_assert_not(app_log_parse("", 0, &f));
}

/* A first group longer than any fixed window: the stamp at its end is
 * still found (past byte 255), and so is the level after it. */
Test(logline, stamp_past_byte_255)
{
	char line[1200];
	int n = snprintf(line, sizeof line, "[");
	for (int k = 0; k < 40; k++)
		n += snprintf(line + n, sizeof line - (size_t)n, "host-%02d.example.net ", k);
	snprintf(line + n, sizeof line - (size_t)n, "12:00:07] [Server thread/WARN]: late stamp");
	app_log_fields f;
	cr_assert(app_log_parse(line, strlen(line), &f), "not parsed: %s", line);
	cr_assert_gt(f.stamp_at, 255);
	cr_assert_str_eq(f.stamp, "12:00:07");
	cr_assert(strncmp(line + f.stamp_at, "12:00:07", 8) == 0);
	cr_assert_eq(f.level, APP_LOG_WARN);
	cr_assert_str_eq(line + f.body, "late stamp");
	/* No closing bracket over the whole line: no shape, found in one pass. */
	memset(line + 1, 'x', sizeof line - 2);
	line[sizeof line - 1] = '\0';
	cr_assert_not(app_log_parse(line, strlen(line), &f));
}

Test(logline, chat)
{
	size_t a, b;
	cr_assert(app_log_chat("<Alice> hi", 10, &a, &b));
	cr_assert_eq(a, 0);
	cr_assert_eq(b, 7);
	const char *ns = "[Not Secure] <Bob> yo";
	cr_assert(app_log_chat(ns, strlen(ns), &a, &b));
	cr_assert_eq(a, 13);
	cr_assert_eq(b, 18);
	cr_assert_not(app_log_chat("Alice joined the game", 21, &a, &b));
	cr_assert_not(app_log_chat("<-- arrow", 9, &a, &b));
	cr_assert_not(app_log_chat("<>", 2, &a, &b));
}
