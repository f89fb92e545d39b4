/* test-policy.c: the read-only allowlist, case by case, thinking like an
 * attacker who wants a write command past a read-only console. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "rconsole/policy.h"

/* Inline text: Criterion runs each case in a fresh process, where pointers
 * into the parent's image would not be valid. */
struct policy_case {
	char cmd[40];
	bool allowed;
};

ParameterizedTestParameters(policy, default_list)
{
	static struct policy_case cases[] = {
		{ "list", true },
		{ "/list", true },
		{ "LIST", true },
		{ "List UUIDs", true },
		{ "list uuids", true },
		{ "seed", true },
		{ "banlist", true },
		{ "banlist ips", true },
		{ "banlist players", true },
		{ "whitelist list", true },
		{ "time query daytime", true },
		{ "time query gametime", true },
		{ "time query day", true },
		{ "difficulty", true },
		{ "tps", true },
		{ "mspt", true },
		{ "/TIME QUERY DAY", true },
		/* writes */
		{ "op", false },
		{ "op bob", false },
		{ "stop", false },
		{ "/stop", false },
		{ "difficulty hard", false },
		{ "time set day", false },
		{ "time query daytime extra", false },
		{ "time query", false },
		{ "time", false },
		{ "whitelist add bob", false },
		{ "whitelist", false },
		{ "banlist ips extra", false },
		{ "seed 1", false },
		/* smuggling */
		{ "list; op bob", false },
		{ "list;op bob", false },
		{ "list\top", false },
		{ "list\t", false },
		{ "list\n", false },
		{ "list\r\nop bob", false },
		{ "list\x1b[2J", false },
		{ "list\x7f", false },
		{ "list ", false },
		{ " list", false },
		{ "list  uuids", false },
		{ "list uuids ", false },
		{ "//list", false },
		{ "/ list", false },
		{ "listx", false },
		{ "lis", false },
		{ "", false },
		{ "/", false },
		{ "list uuids op", false },
		{ "execute run op bob", false },
		{ "l\xc4\xb1st", false },   /* dotless i */
		{ "\xef\xbc\x8flist", false }, /* fullwidth solidus */
	};
	return cr_make_param_array(struct policy_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct policy_case *pc, policy, default_list)
{
	cr_assert_eq(rc_policy_allows(NULL, 0, pc->cmd), pc->allowed, "\"%s\" should be %s",
	    pc->cmd, pc->allowed ? "allowed" : "refused");
	cr_assert_eq(rc_policy_allows(rc_policy_default, rc_policy_default_count(), pc->cmd),
	    pc->allowed, "explicit default list, \"%s\"", pc->cmd);
}

ParameterizedTestParameters(policy, custom_list)
{
	static struct policy_case cases[] = {
		{ "say hello", true },
		{ "say", true },
		{ "SAY Hello World", true },
		{ "/say x", true },
		{ "sayx", false },
		{ "say  double", false },
		{ "say\thi", false },
		{ "tell bob hi", true },
		{ "tell alice hi", false },
		{ "tell bob", true },
		{ "gamemode", true },
		{ "gamemode creative", false },
		{ "list", true },           /* after a NULL entry: n counts, NULL is skipped */
		{ "list uuids", false },
		{ "*", true },
		{ "anything", false },
		{ "time query day", true },
		{ "time query", true },     /* " *" allows zero arguments too */
		{ "time", false },
	};
	return cr_make_param_array(struct policy_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct policy_case *pc, policy, custom_list)
{
	static const char *const allow[] = {
		"say *", "/tell bob *", "GameMode", "*", " *", "time query *", NULL, "list",
	};
	cr_assert_eq(rc_policy_allows(allow, sizeof allow / sizeof allow[0], pc->cmd), pc->allowed,
	    "\"%s\" should be %s", pc->cmd, pc->allowed ? "allowed" : "refused");
}

Test(policy, default_table)
{
	cr_assert_eq(rc_policy_default_count(), 13);
	cr_assert_null(rc_policy_default[rc_policy_default_count()]);
	for (size_t i = 0; i < rc_policy_default_count(); i++)
		cr_assert(rc_policy_allows(NULL, 0, rc_policy_default[i]), "%s", rc_policy_default[i]);
}

Test(policy, empty_list_allows_nothing)
{
	static const char *const none[] = { NULL };
	cr_assert_not(rc_policy_allows(none, 0, "list"));
	cr_assert_not(rc_policy_allows(none, 1, "list"));
	cr_assert_not(rc_policy_allows(NULL, 0, NULL));
}
