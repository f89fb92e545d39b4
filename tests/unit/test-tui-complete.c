/* test-tui-complete.c: Tab completion of commands, sub-commands, console
 * commands, server names and player names. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/complete.h"
#include "tui/console-table.h"
#include "tui/editor.h"

static const char *players[] = { "Alice", "alex_9", "Bob" };
static const char *servers[] = { "survival", "lobby" };
static const complete_src src = { players, 3, servers, 2, NULL, NULL, 0 };

static editor *e;
static complete_state st;

/* Creates the editor. */
static void setup(void)
{
	e = editor_new();
	st = (complete_state){ 0 };
}

/* Frees the editor and the completion state. */
static void teardown(void)
{
	complete_reset(&st);
	editor_free(e);
}

TestSuite(complete, .init = setup, .fini = teardown);

Test(complete, single_command)
{
	editor_set(e, "whiteli");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "whitelist ");
}

Test(complete, leading_slash_is_kept)
{
	editor_set(e, "/gamem");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "/gamemode ");
}

Test(complete, player_name_case_insensitive)
{
	editor_set(e, "kick b");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "kick Bob ");
}

Test(complete, common_prefix_then_cycle)
{
	editor_set(e, "tp al");
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	/* "Alice" and "alex_9" share "al" only: nothing to extend, so cycle. */
	cr_assert_str_eq(editor_text(e), "tp Alice");
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	cr_assert_str_eq(editor_text(e), "tp alex_9");
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	cr_assert_str_eq(editor_text(e), "tp Alice");
}

Test(complete, common_prefix_extends)
{
	editor_set(e, "save");
	cr_assert_eq(complete_apply(&st, e, &src), 3);
	cr_assert_str_eq(editor_text(e), "save-");
}

Test(complete, sub_command_words)
{
	editor_set(e, "whitelist a");
	cr_assert_eq(complete_apply(&st, e, &src), 3, "add + Alice + alex_9");
	editor_set(e, "gamemode cr");
	complete_reset(&st);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "gamemode creative ");
}

Test(complete, console_commands_and_servers)
{
	editor_set(e, ":disc");
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), ":disconnect ");
	editor_insert(e, "lo", 2);
	complete_reset(&st);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), ":disconnect lobby ");
}

Test(complete, completes_in_the_middle)
{
	editor_set(e, "msg Bo hello");
	editor_set_cursor(e, 6);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert_str_eq(editor_text(e), "msg Bob hello");
	cr_assert_eq(editor_cursor(e), 8);
}

Test(complete, nothing_matches)
{
	editor_set(e, "zzz");
	cr_assert_eq(complete_apply(&st, e, &src), 0);
	cr_assert_str_eq(editor_text(e), "zzz");
	cr_assert_gt(complete_command_count(), 40);
}

Test(complete, candidates_list)
{
	char *out[8];
	size_t from;
	size_t n = complete_candidates("say hi A", 8, &src, out, 8, &from);
	cr_assert_eq(n, 2);
	cr_assert_eq(from, 7);
	for (size_t i = 0; i < n; i++)
		free(out[i]);
}

/* ---- from a server's command tree (issue 13) ---- */

static const char tree_help[] =
	"/time (add|query|set)\n/time query (day|daytime|gametime)\n"
	"/kick <targets> [<reason>]\n/warp (list|set|delete) <name>\n"
	"/whitelist (add|list|off|on|reload|remove)\n/ban <name> [<reason>]\n"
	"/give <targets> <item> [<count>]\n/tp -> teleport\n";

/* Returns a source with the tree above (caller frees the tree). */
static complete_src tree_src(rc_mc_usage **u)
{
	*u = rc_mc_usage_new();
	cr_assert_gt(rc_mc_usage_add_help(*u, tree_help, sizeof(tree_help) - 1, NULL), 0);
	complete_src s = src;
	s.tree = *u;
	return s;
}

Test(complete, tree_plugin_word_and_literal)
{
	rc_mc_usage *u;
	complete_src s = tree_src(&u);
	editor_set(e, "war");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), "warp ");
	editor_set(e, "warp s");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), "warp set ");
	/* <name> of warp is no player. */
	editor_set(e, "warp set A");
	cr_assert_eq(complete_apply(&st, e, &s), 0);
	/* The fixed list is not used: "gamem" is not in this server's tree. */
	editor_set(e, "gamem");
	cr_assert_eq(complete_apply(&st, e, &s), 0);
	rc_mc_usage_free(u);
}

Test(complete, tree_depth_and_players)
{
	rc_mc_usage *u;
	complete_src s = tree_src(&u);
	editor_set(e, "time q");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), "time query ");
	char *c[8];
	size_t from;
	cr_assert_eq(complete_candidates("time query ", 11, &s, c, 8, &from), 3);
	for (size_t i = 0; i < 3; i++)
		free(c[i]);
	editor_set(e, "kick b");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), "kick Bob ");
	editor_set(e, "ban b");
	cr_assert_eq(complete_apply(&st, e, &s), 1, "<name> of ban is a player");
	editor_set(e, "give Bob b");
	cr_assert_eq(complete_apply(&st, e, &s), 0, "<item> is no player");
	/* An open command (a redirect): the old rule, players. */
	editor_set(e, "tp b");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), "tp Bob ");
	/* After :all, the same tree. */
	editor_set(e, ":all time q");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), ":all time query ");
	rc_mc_usage_free(u);
}

Test(complete, console_rehash_and_tags)
{
	static const char *tags[] = { "prod", "lobby" };
	complete_src s = src;
	s.tags = tags;
	s.n_tags = 2;
	editor_set(e, ":reh");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), ":rehash ");
	editor_set(e, ":in");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), ":info ");
	editor_set(e, ":rehash lo");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), ":rehash lobby ");
	editor_set(e, ":tag pr");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), ":tag prod ");
	editor_set(e, ":tag prod whiteli");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), ":tag prod whitelist ");
}

/* An alias's hint names the command it stands for, with that command's
 * usage (the command word marked), and Tab completes that command's words. */
Test(complete, an_alias_hints_and_completes_as_its_command)
{
	rc_mc_usage *u = rc_mc_usage_new();
	const char help[] = "/xp -> experience\n/experience (add|query|set)\n/tp -> teleport\n";
	cr_assert_eq(rc_mc_usage_add_help(u, help, sizeof help - 1, NULL), 3);
	char buf[256];
	size_t a, b;
	bool bad = false;
	cr_assert(complete_hint("xp", 2, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "xp -> experience (add|query|set)");
	cr_assert_eq(a, 6);
	cr_assert_eq(b, 16);
	cr_assert_not(bad);
	cr_assert(complete_hint("tp", 2, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "tp -> teleport", "no teleport in the tree: the alias alone");
	complete_src s = src;
	s.tree = u;
	editor_set(e, "xp q");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_str_eq(editor_text(e), "xp query ");
	rc_mc_usage_free(u);
}

Test(complete, hint)
{
	rc_mc_usage *u;
	(void)tree_src(&u);
	char buf[256];
	size_t a, b;
	bool bad;
	cr_assert(complete_hint("kick St", 7, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "kick <targets>");
	cr_assert_eq(strncmp(buf + a, "<targets>", b - a), 0);
	cr_assert_not(bad);
	cr_assert(complete_hint("warp set ", 9, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "warp set <name>");
	cr_assert(complete_hint("kick Steve ", 11, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "kick Steve [<reason>]");
	cr_assert(complete_hint("time query ", 11, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "time query (day|daytime|gametime)");
	cr_assert(complete_hint("time", 4, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_str_eq(buf, "time (add|query|set)");
	cr_assert_eq(b - a, 4);
	/* Unknown words: named, in the error colour. */
	cr_assert(complete_hint("time frob ", 10, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert(bad);
	cr_assert(strstr(buf, "'frob'") != NULL, "%s", buf);
	cr_assert(complete_hint("time z", 6, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert(bad, "no literal starts with z");
	cr_assert(complete_hint("nosuch ", 7, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert(bad);
	cr_assert_str_eq(buf, "unknown command: nosuch");
	cr_assert_not(complete_hint("ti", 2, u, buf, sizeof buf, &a, &b, &bad), "a prefix is no error");
	cr_assert_not(complete_hint("tp Steve Alex", 13, u, buf, sizeof buf, &a, &b, &bad),
	    "an open command says nothing");
	cr_assert_not(complete_hint("kick Steve being rude", 21, u, buf, sizeof buf, &a, &b, &bad),
	    "inside the reason: nothing to add, and no error");
	cr_assert_not(bad);
	/* "(day|daytime|gametime)" may summarise, as vanilla's "(add|query|set)"
	 * does: what follows day is not known, so neither an end nor an error. */
	cr_assert_not(complete_hint("time query day ", 15, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_not(bad);
	cr_assert(complete_hint("kick Steve ", 11, u, buf, sizeof buf, &a, &b, &bad));
	cr_assert_not(complete_hint("kick", 4, NULL, buf, sizeof buf, &a, &b, &bad));
	cr_assert_not(complete_hint(":connect x", 10, u, buf, sizeof buf, &a, &b, &bad));
	rc_mc_usage_free(u);
}

Test(complete, unknown_word_on_the_line)
{
	rc_mc_usage *u;
	(void)tree_src(&u);
	size_t a, b;
	const char *l = "time frobnicate now";
	cr_assert(complete_unknown(l, strlen(l), u, &a, &b));
	cr_assert_eq(a, 5);
	cr_assert_eq(b, 15);
	l = "/nosuch x";
	cr_assert(complete_unknown(l, strlen(l), u, &a, &b));
	cr_assert_eq(a, 1);
	cr_assert_eq(b, 7);
	l = "time qu";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b), "a prefix being typed");
	l = "time qu ";
	cr_assert(complete_unknown(l, strlen(l), u, &a, &b), "a finished word that is no literal");
	l = "time zz";
	cr_assert(complete_unknown(l, strlen(l), u, &a, &b), "no literal starts with zz");
	l = "kick Anyone at all";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b), "<reason> takes the rest");
	l = "time query day extra";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b), "after a summarised choice");
	l = "whitelist add Bob";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b),
	    "vanilla's help says only (add|list|...): Bob is no error");
	l = "whitelist frob Bob";
	cr_assert(complete_unknown(l, strlen(l), u, &a, &b));
	cr_assert_eq(a, 10);
	l = "tp Steve Alex";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b), "open command");
	l = "time query day";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b));
	l = ":all nosuch";
	cr_assert_not(complete_unknown(l, strlen(l), u, &a, &b));
	cr_assert_not(complete_unknown("time x", 6, NULL, &a, &b));
	rc_mc_usage_free(u);
}

Test(complete, every_console_command_completes)
{
	/* The console's own table (console-table.c), so a command added there
	 * can never be missing from Tab. */
	cr_assert_geq(console_table_n, 10);
	for (size_t i = 0; i < console_table_n; i++) {
		char line[48];
		snprintf(line, sizeof(line), ":%s", console_table[i].name);
		char *out[16];
		size_t from = 99;
		/* Every prefix from ':' alone up to the whole name offers it. */
		for (size_t cut = 1; cut <= strlen(line); cut++) {
			char part[48];
			snprintf(part, sizeof(part), "%.*s", (int)cut, line);
			size_t n = complete_candidates(part, cut, &src, out, 16, &from);
			bool found = false;
			for (size_t k = 0; k < n; k++) {
				found |= strcmp(out[k], line) == 0;
				free(out[k]);
			}
			cr_assert(found, "'%s' does not offer %s", part, line);
			cr_assert_eq(from, 0);
		}
		editor_set(e, line);
		complete_reset(&st);
		cr_assert_eq(complete_apply(&st, e, &src), 1, "%s", line);
		char want[48];
		snprintf(want, sizeof(want), "%s ", line);
		cr_assert_str_eq(editor_text(e), want);
	}
}

/* Fills a line with prefix, then n copies of c, then suffix. */
static char *long_line(const char *prefix, size_t n, char c, const char *suffix)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(pl + n + sl + 1);
	cr_assert_not_null(s);
	memcpy(s, prefix, pl);
	memset(s + pl, c, n);
	memcpy(s + pl + n, suffix, sl + 1);
	return s;
}

/* A ':' word longer than the old 1 KiB word buffer: it names no console
 * command, so Tab completes nothing (it read an unset word before: UBSan
 * in fuzz-keys). */
Test(complete, long_colon_word_completes_nothing)
{
	char *s = long_line(":", 1100, 'x', " ");
	cr_assert_eq(editor_set(e, s), 0);
	cr_assert_eq(complete_apply(&st, e, &src), 0);
	cr_assert_str_eq(editor_text(e), s);
	free(s);
}

/* A long command word is still the command: the word after it is not
 * taken for the first word of the line (it completed "ki" to "kick"). */
Test(complete, long_first_word_is_still_the_command)
{
	char *s = long_line("", 1100, 'x', " ki");
	cr_assert_eq(editor_set(e, s), 0);
	cr_assert_eq(complete_apply(&st, e, &src), 0);
	cr_assert_str_eq(editor_text(e), s);
	free(s);
	s = long_line(":all ", 1100, 'x', " ki");
	cr_assert_eq(editor_set(e, s), 0);
	cr_assert_eq(complete_apply(&st, e, &src), 0);
	cr_assert_str_eq(editor_text(e), s);
	free(s);
}

/* A long message still completes a player name at its end, past a long
 * word and past many words. */
Test(complete, long_message_still_completes_players)
{
	char *s = long_line("say ", 2000, 'y', " Bo");
	cr_assert_eq(editor_set(e, s), 0);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert(strstr(editor_text(e), " Bob ") != NULL);
	free(s);
	char words[400] = ":all say";
	for (int i = 0; i < 60; i++)
		strcat(words, " w");
	strcat(words, " Bo");
	cr_assert_eq(editor_set(e, words), 0);
	cr_assert_eq(complete_apply(&st, e, &src), 1);
	cr_assert(strstr(editor_text(e), " Bob ") != NULL);
	/* A long word before a player's name of 'kick' (no tree). */
	s = long_line("kick ", 1500, 'z', " Al");
	cr_assert_eq(editor_set(e, s), 0);
	cr_assert_eq(complete_apply(&st, e, &src), 2);
	free(s);
}

/* A word the hint names is cut at 100 bytes, never inside a character
 * (it showed a stray lead byte, drawn as U+FFFD). */
Test(complete, hint_cuts_a_long_word_between_characters)
{
	rc_mc_usage *u;
	complete_src s = tree_src(&u);
	char line[256] = "time query ";
	memset(line + 11, 'q', 99);
	strcpy(line + 110, "\xc3\xa9\xc3\xa9");
	char buf[512];
	size_t a, b;
	bool bad;
	cr_assert(complete_hint(line, strlen(line), s.tree, buf, sizeof buf, &a, &b, &bad));
	cr_assert(bad);
	cr_assert(strstr(buf, "no 'qqq") != NULL, "%s", buf);
	cr_assert(strstr(buf, "\xc3'") == NULL, "a character cut in: %s", buf);
	rc_mc_usage_free(u);
}

/* A single candidate of any length completes (one of 300 bytes, a
 * plugin's command in the server's tree, did nothing: Tab said 1). */
Test(complete, a_long_single_candidate_completes)
{
	char help[400] = "/";
	memset(help + 1, 'p', 300);
	strcpy(help + 301, " (a|b)\n");
	rc_mc_usage *u = rc_mc_usage_new();
	cr_assert_gt(rc_mc_usage_add_help(u, help, strlen(help), NULL), 0);
	complete_src s = src;
	s.tree = u;
	editor_set(e, "pp");
	cr_assert_eq(complete_apply(&st, e, &s), 1);
	cr_assert_eq(editor_len(e), 301);
	cr_assert_eq(editor_text(e)[300], ' ');
	rc_mc_usage_free(u);
}
