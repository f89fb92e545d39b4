/* test-mc-cmd.c: name validation, the action table and the command builders
 * with valid, Bedrock and hostile input. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"

/* Parameters are copied into each test's process: strings are inline. */
struct name_case {
	char name[40];
	bool java;
	bool bedrock;
};

ParameterizedTestParameters(mc_cmd, names)
{
	static struct name_case cases[] = {
		{ "Notch", true, true },
		{ "abc", true, true },
		{ "x_X_x", true, true },
		{ "Steve_2010_abcde", true, true },     /* 16 */
		{ "Steve_2010_abcdef", false, false },  /* 17 */
		{ "ab", false, true },                  /* too short for Java, fine as a gamertag */
		{ "", false, false },
		{ ".Steve", false, true },
		{ "*Steve", false, true },
		{ ".Cool Gamer 42", false, true },
		{ "Cool Gamer 42", false, true },
		{ ".", false, false },
		{ ". Steve", false, false },
		{ ".Steve ", false, false },
		{ ".Two  Spaces", false, false },
		{ "..Steve", false, false },
		{ ".Sixteen_chars_ok", false, true },    /* prefix + 16 */
		{ ".Seventeen_chars_x", false, false },
		{ "Alice;op Bob", false, false },
		{ "Alice\"", false, false },
		{ "Al'ice", false, false },
		{ "Alice\nop Bob", false, false },
		{ "Alice\r", false, false },
		{ "Ali\tce", false, false },
		{ "Ali\x1b" "ce", false, false },
		{ "Ali\x7f" "ce", false, false },
		{ "Ali\xC2\x85" "ce", false, false },    /* NEL, a C1 control */
		{ "J\xC3\xB6rg", false, false },
		{ "@a", false, false },
		{ "@p[limit=1]", false, false },
		{ "Al\\ice", false, false },
		{ "Alice Bob", false, true },
		{ "1 2 3", false, false },               /* gamertags start with a letter */
		{ ".42", false, false },
		{ "_Steve", true, true },
		{ "_a", false, false },
	};
	return cr_make_param_array(struct name_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct name_case *c, mc_cmd, names)
{
	cr_assert_eq(rc_mc_name_valid(c->name, RC_MC_NAME_JAVA), c->java, "java \"%s\"", c->name);
	cr_assert_eq(rc_mc_name_valid(c->name, RC_MC_NAME_BEDROCK), c->bedrock,
	    "bedrock \"%s\"", c->name);
}

Test(mc_cmd, null_name_is_invalid)
{
	cr_assert_not(rc_mc_name_valid(NULL, RC_MC_NAME_BEDROCK));
}

Test(mc_cmd, table_matches_the_enum)
{
	for (int a = 0; a < RC_MC_ACTION_COUNT; a++) {
		const rc_mc_action_info *i = rc_mc_action_get((rc_mc_action)a);
		cr_assert_not_null(i);
		cr_assert_eq(i->action, (rc_mc_action)a);
		cr_assert_not_null(i->label);
		cr_assert_not_null(i->verb);
		cr_assert_eq(i->arg_required, i->arg_required && i->arg_prompt != NULL);
	}
	cr_assert_null(rc_mc_action_get(RC_MC_ACTION_COUNT));
	cr_assert_null(rc_mc_action_get((rc_mc_action)-1));
}

Test(mc_cmd, destructive_and_state_flags)
{
	static const rc_mc_action destructive[] = { RC_MC_KICK, RC_MC_BAN, RC_MC_OP, RC_MC_DEOP };
	int n = 0;
	for (int a = 0; a < RC_MC_ACTION_COUNT; a++)
		n += rc_mc_action_get((rc_mc_action)a)->destructive;
	cr_assert_eq(n, 4);
	for (size_t i = 0; i < 4; i++) {
		cr_assert(rc_mc_action_get(destructive[i])->destructive);
		cr_assert(rc_mc_action_get(destructive[i])->changes_state);
	}
	cr_assert_not(rc_mc_action_get(RC_MC_SAY)->needs_name);
	cr_assert_not(rc_mc_action_get(RC_MC_MSG)->changes_state);
	cr_assert(rc_mc_action_get(RC_MC_WHITELIST_ADD)->changes_state);
	cr_assert_str_eq(rc_mc_action_get(RC_MC_KICK)->arg_prompt, "reason");
	cr_assert_null(rc_mc_action_get(RC_MC_OP)->arg_prompt);
}

struct build_case {
	rc_mc_action action;
	char name[24];
	char arg[40];
	bool has_arg;
	char want[64];
};

ParameterizedTestParameters(mc_cmd, build_ok)
{
	static struct build_case cases[] = {
		{ RC_MC_MSG, "Alice", "hello there", true, "msg Alice hello there" },
		{ RC_MC_MSG, "Alice", "  padded  ", true, "msg Alice padded" },
		{ RC_MC_MSG, "Alice", "caf\xC3\xA9 \xC2\xA7" "aok; \"quoted\" @a", true,
		    "msg Alice caf\xC3\xA9 \xC2\xA7" "aok; \"quoted\" @a" },
		{ RC_MC_SAY, "", "Server restarting in 5 minutes", true,
		    "say Server restarting in 5 minutes" },
		{ RC_MC_KICK, "Griefer_99", "", false, "kick Griefer_99" },
		{ RC_MC_KICK, "Griefer_99", "", true, "kick Griefer_99" },
		{ RC_MC_KICK, "Griefer_99", "stop that", true, "kick Griefer_99 stop that" },
		{ RC_MC_BAN, "Griefer_99", "", false, "ban Griefer_99" },
		{ RC_MC_BAN, "Griefer_99", "x-ray", true, "ban Griefer_99 x-ray" },
		{ RC_MC_PARDON, "Griefer_99", "", false, "pardon Griefer_99" },
		{ RC_MC_PARDON, "Griefer_99", "ignored", true, "pardon Griefer_99" },
		{ RC_MC_OP, "Alice", "", false, "op Alice" },
		{ RC_MC_DEOP, "Alice", "", false, "deop Alice" },
		{ RC_MC_WHITELIST_ADD, "Alice", "", false, "whitelist add Alice" },
		{ RC_MC_WHITELIST_REMOVE, "Alice", "", false, "whitelist remove Alice" },
		{ RC_MC_TP, "Alice", "Bob", true, "tp Alice Bob" },
		{ RC_MC_TP, "Alice", "100 64 -200", true, "tp Alice 100 64 -200" },
		{ RC_MC_TP, "Alice", "~ ~10 ~", true, "tp Alice ~ ~10 ~" },
		{ RC_MC_TP, "Alice", "^ ^ ^1.5", true, "tp Alice ^ ^ ^1.5" },
		{ RC_MC_TP, "Alice", "0.5 -.5 12.25", true, "tp Alice 0.5 -.5 12.25" },
		{ RC_MC_TP, "Alice", ".Cool Gamer", true, "tp Alice \".Cool Gamer\"" },
		{ RC_MC_GAMEMODE, "Alice", "creative", true, "gamemode creative Alice" },
		{ RC_MC_GAMEMODE, "Alice", "SURVIVAL", true, "gamemode survival Alice" },
		{ RC_MC_GAMEMODE, "Alice", "sp", true, "gamemode spectator Alice" },
		{ RC_MC_GAMEMODE, "Alice", "2", true, "gamemode adventure Alice" },
		/* Bedrock names: quoted for entity arguments... */
		{ RC_MC_KICK, ".Cool Gamer 42", "bye", true, "kick \".Cool Gamer 42\" bye" },
		{ RC_MC_MSG, "*Steve", "hi", true, "msg \"*Steve\" hi" },
		{ RC_MC_GAMEMODE, ".Cool Gamer", "c", true, "gamemode creative \".Cool Gamer\"" },
		{ RC_MC_KICK, ".Steve", "", false, "kick .Steve" },
		/* ...bare for game profile arguments when they hold no space. */
		{ RC_MC_BAN, ".Steve", "", false, "ban .Steve" },
		{ RC_MC_OP, "*Steve", "", false, "op *Steve" },
		{ RC_MC_WHITELIST_ADD, ".Steve_Gamer", "", false, "whitelist add .Steve_Gamer" },
	};
	return cr_make_param_array(struct build_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct build_case *c, mc_cmd, build_ok)
{
	char out[128];
	const char *cause = "unset";
	int n = rc_mc_build(c->action, c->name, c->has_arg ? c->arg : NULL, out, sizeof out, &cause);
	cr_assert_geq(n, 0, "%s: %s", c->want, cause ? cause : "");
	cr_assert_str_eq(out, c->want);
	cr_assert_eq((size_t)n, strlen(c->want));
	cr_assert_null(cause);
}

struct refuse_case {
	rc_mc_action action;
	char name[40];
	char arg[40];
	bool has_arg;
	unsigned flags;
	int rc;
	char why[48];
};

ParameterizedTestParameters(mc_cmd, build_refused)
{
	static struct refuse_case cases[] = {
		{ RC_MC_KICK, "Alice Bob", "", false, RC_MC_NAME_JAVA, RC_EINVAL, "space, Java rules" },
		{ RC_MC_BAN, "Alice Bob", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "space, profile arg" },
		{ RC_MC_PARDON, ".Cool Gamer", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "pardon space" },
		{ RC_MC_OP, ".Cool Gamer", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "op space" },
		{ RC_MC_DEOP, ".Cool Gamer", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "deop space" },
		{ RC_MC_WHITELIST_ADD, "Cool Gamer", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "wl space" },
		{ RC_MC_WHITELIST_REMOVE, "Cool Gamer", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "wl rm" },
		{ RC_MC_KICK, ".Sixteen_chars_ok", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL,
		    "17 chars in an entity arg" },
		{ RC_MC_KICK, ".Steve", "", false, RC_MC_NAME_JAVA, RC_EINVAL, "prefix under Java rules" },
		{ RC_MC_KICK, "Alice;op Bob", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "semicolon" },
		{ RC_MC_KICK, "Alice\"", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "quote" },
		{ RC_MC_KICK, "\"Alice\"", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "pre-quoted" },
		{ RC_MC_KICK, "Alice\nop Mallory", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "newline" },
		{ RC_MC_KICK, "Alice\rop", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "CR" },
		{ RC_MC_KICK, "Ali\x1b" "ce", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "ESC" },
		{ RC_MC_KICK, "@a", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "selector" },
		{ RC_MC_KICK, "", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "empty name" },
		{ RC_MC_KICK, "Alice", "bye\nop Mallory", true, RC_MC_NAME_BEDROCK, RC_EINVAL,
		    "newline in reason" },
		{ RC_MC_BAN, "Alice", "bye\r", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "CR in reason" },
		{ RC_MC_SAY, "", "tab\there", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "tab" },
		{ RC_MC_SAY, "", "\x1b[2Jboo", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "ESC in text" },
		{ RC_MC_SAY, "", "del\x7f", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "DEL" },
		{ RC_MC_SAY, "", "c1\xC2\x9B" "2J", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "C1 CSI" },
		{ RC_MC_SAY, "", "bad\xFF", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "invalid UTF-8" },
		{ RC_MC_SAY, "", "\xED\xA0\x80", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "surrogate" },
		{ RC_MC_SAY, "", "   ", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "blank message" },
		{ RC_MC_SAY, "", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "no message" },
		{ RC_MC_MSG, "Alice", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "msg without text" },
		{ RC_MC_TP, "Alice", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "tp without target" },
		{ RC_MC_TP, "Alice", "1 2", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "two coordinates" },
		{ RC_MC_TP, "Alice", "1 2 3 4", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "four" },
		{ RC_MC_TP, "Alice", "^1 2 3", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "mixed ^" },
		{ RC_MC_TP, "Alice", "1  2 3", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "double space" },
		{ RC_MC_TP, "Alice", "1 2 3; op Bob", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "injection" },
		{ RC_MC_TP, "Alice", "Bob op", true, RC_MC_NAME_JAVA, RC_EINVAL, "two words" },
		{ RC_MC_TP, "Alice", "1e5 2 3", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "exponent" },
		{ RC_MC_GAMEMODE, "Alice", "god", true, RC_MC_NAME_BEDROCK, RC_EINVAL, "bad mode" },
		{ RC_MC_GAMEMODE, "Alice", "creative Bob", true, RC_MC_NAME_BEDROCK, RC_EINVAL,
		    "mode plus a word" },
		{ RC_MC_GAMEMODE, "Alice", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "no mode" },
		{ (rc_mc_action)99, "Alice", "", false, RC_MC_NAME_BEDROCK, RC_EINVAL, "bad action" },
	};
	return cr_make_param_array(struct refuse_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct refuse_case *c, mc_cmd, build_refused)
{
	char out[128] = "untouched";
	const char *cause = NULL;
	int n = rc_mc_build_ex(c->action, c->name, c->has_arg ? c->arg : NULL, c->flags,
	    out, sizeof out, &cause);
	cr_assert_eq(n, c->rc, "%s: got %d (%s)", c->why, n, out);
	cr_assert_not_null(cause, "%s", c->why);
	cr_assert_gt(strlen(cause), 0);
	cr_assert_str_eq(out, "untouched", "%s: nothing written", c->why);
}

Test(mc_cmd, two_hundred_char_name_refused)
{
	char name[201], out[512];
	const char *cause = NULL;
	memset(name, 'a', 200);
	name[200] = '\0';
	for (int a = 0; a < RC_MC_ACTION_COUNT; a++) {
		if (!rc_mc_action_get((rc_mc_action)a)->needs_name)
			continue;
		cr_assert_eq(rc_mc_build((rc_mc_action)a, name, "x", out, sizeof out, &cause),
		    RC_EINVAL, "action %d", a);
	}
}

Test(mc_cmd, length_limit_is_1446)
{
	static char text[2000], out[2000];
	const char *cause = NULL;
	size_t fit = 1446 - strlen("say ");
	memset(text, 'x', sizeof text - 1);
	text[fit] = '\0';
	cr_assert_eq(rc_mc_build(RC_MC_SAY, NULL, text, out, sizeof out, &cause), 1446);
	cr_assert_eq(strlen(out), 1446);
	text[fit] = 'x';
	text[fit + 1] = '\0';
	cr_assert_eq(rc_mc_build(RC_MC_SAY, NULL, text, out, sizeof out, &cause), RC_ETOOLONG);
	cr_assert_not_null(cause);
	memset(text, 'x', sizeof text - 1);
	cr_assert_eq(rc_mc_build(RC_MC_KICK, "Alice", text, out, sizeof out, &cause), RC_ETOOLONG);
}

Test(mc_cmd, small_buffer_refused)
{
	char out[8];
	const char *cause = NULL;
	cr_assert_eq(rc_mc_build(RC_MC_OP, "Alice", NULL, out, sizeof out, &cause), RC_EINVAL);
	cr_assert_eq(rc_mc_build(RC_MC_OP, "Bob", NULL, out, sizeof out, NULL), 6);
	cr_assert_str_eq(out, "op Bob");
}

Test(mc_cmd, no_output_ever_holds_a_control_or_second_line)
{
	/* Every action with every hostile name and argument: whatever is
	 * built is one line with no control character, and names with a
	 * space appear only inside quotes. */
	static const char *names[] = { "Alice", ".Cool Gamer", "A\nB", "A;B", "A\"B", "A B C D",
		"\x1b", "", "*X", "A\\\"", "Al ice", "ab" };
	static const char *args[] = { NULL, "", "x", "a\nb", "\" \\", "1 2 3", "c", "Bob",
		"~ ~ ~", "\xC2\x85", "\t" };
	for (int a = 0; a < RC_MC_ACTION_COUNT; a++)
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
			for (size_t j = 0; j < sizeof args / sizeof args[0]; j++) {
				char out[256];
				int n = rc_mc_build((rc_mc_action)a, names[i], args[j], out, sizeof out, NULL);
				if (n < 0)
					continue;
				for (int k = 0; k < n; k++) {
					unsigned char ch = (unsigned char)out[k];
					cr_assert(ch >= 0x20 && ch != 0x7f, "action %d: %s", a, out);
				}
				cr_assert_null(strstr(out, "\xC2\x85"));
				cr_assert_eq(strlen(out), (size_t)n);
			}
}

Test(mc_cmd, stop_is_known_under_a_slash_a_namespace_and_any_case)
{
	static const char *const yes[] = {
		"stop", "STOP", "/stop", "Stop now", "minecraft:stop", "/minecraft:stop",
		"Minecraft:STOP now", "bukkit:stop", "my-ns.v2:stop",
	};
	static const char *const no[] = {
		"", "sto", "stopsound @a", "say stop", "minecraft:stopsound", ":stop",
		"minecraft:", "mine craft:stop", "minecraft::stop", "//stop", "ns:/stop",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		cr_assert(rc_mc_is_stop(yes[i]), "'%s' is stop", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		cr_assert_not(rc_mc_is_stop(no[i]), "'%s' is not stop", no[i]);
	cr_assert_not(rc_mc_is_stop(NULL));
}

Test(mc_cmd, command_name_looks_through_a_namespace)
{
	cr_assert_str_eq(rc_mc_command_name("minecraft:stop"), "stop");
	cr_assert_str_eq(rc_mc_command_name("bukkit:reload confirm"), "reload confirm");
	cr_assert_str_eq(rc_mc_command_name("/kick Bob"), "/kick Bob", "a '/' is the caller's");
	cr_assert_str_eq(rc_mc_command_name("say a:b"), "say a:b", "only the first word");
	cr_assert_str_eq(rc_mc_command_name(":stop"), ":stop", "no namespace is empty");
	cr_assert_str_eq(rc_mc_command_name(""), "");
}
