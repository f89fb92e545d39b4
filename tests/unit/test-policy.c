/* test-policy.c: the read-only allowlist, case by case, thinking like an
 * attacker who wants a write command past a read-only console. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/policy.h"
#include "lib/policy-int.h"

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
		{ "tick query", true },
		{ "forge tps", true },
		{ "help", true },
		{ "help 2", true },
		{ "help tp", true },
		{ "help minecraft:tp", true },
		{ "HELP Ban", true },
		/* not read-only, or more than the default names */
		{ "tick freeze", false },
		{ "tick query extra", false },
		{ "tick", false },
		{ "forge tps extra", false },
		{ "forge", false },
		{ "help tp extra", false },
		{ "help  tp", false },
		{ "help ", false },
		{ "help t\xc3\xa9", false },
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
		/* C1, NEL, line and paragraph separators, look-alike spaces */
		{ "list\xc2\x85op", false },      /* NEL */
		{ "list\xc2\x9bop", false },      /* CSI as C1 */
		{ "list\x85", false },             /* raw C1 byte, invalid UTF-8 */
		{ "list\xe2\x80\xa8op", false },  /* U+2028 */
		{ "list\xe2\x80\xa9", false },    /* U+2029 */
		{ "list\xc2\xa0uuids", false },   /* no-break space */
		{ "seed\xc0\xa0", false },        /* overlong space */
		{ "\xc2\x85list", false },
	};
	return cr_make_param_array(struct policy_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct policy_case *pc, policy, default_list)
{
	cr_assert_eq(rc_policy_allows(NULL, 0, pc->cmd), pc->allowed, "\"%s\" should be %s",
	    pc->cmd, pc->allowed ? "allowed" : "refused");
	cr_assert_eq(rc_policy_allows(rc_policy_default, rc_policy_default_count(), pc->cmd),
	    pc->allowed, "explicit default list, \"%s\"", pc->cmd);
	/* The parsed forms a connection matches against say the same. */
	size_t n;
	const struct policy_pat *d = policy_default_pats(&n);
	cr_assert_eq(policy_allows_pats(d, n, pc->cmd), pc->allowed, "parsed default, \"%s\"",
	    pc->cmd);
	struct policy_pat *own;
	cr_assert_eq(policy_compile(rc_policy_default, 0, &own, &n), 0);
	cr_assert_eq(policy_allows_pats(own, n, pc->cmd), pc->allowed, "compiled, \"%s\"", pc->cmd);
	free(own);
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
		/* a " *" tail takes chat text, but never controls or separators */
		{ "say gr\xc3\xbc\xc3\x9f" "e", true },
		{ "say \xf0\x9f\x98\x80", true },
		{ "say hi\xc2\x85op me", false },
		{ "say hi\xe2\x80\xa8op me", false },
		{ "say hi\xc2\x9b" "2J", false },
		{ "say \xed\xa0\x80", false },    /* surrogate */
		{ "say \xff", false },
		/* every UTF-8 edge: valid at the bounds, refused past them */
		{ "say \xc2\xa0", true },              /* U+00A0, just past C1 */
		{ "say \xdf\xbf", true },              /* U+07FF */
		{ "say \xe0\xa0\x80", true },          /* U+0800 */
		{ "say \xed\x9f\xbf", true },          /* U+D7FF, below the surrogates */
		{ "say \xee\x80\x80", true },          /* U+E000, above them */
		{ "say \xef\xbf\xbf", true },          /* U+FFFF */
		{ "say \xf0\x90\x80\x80", true },      /* U+10000 */
		{ "say \xf4\x8f\xbf\xbf", true },      /* U+10FFFF */
		{ "say \xe2\x80\xa7 \xe2\x80\xaa", true }, /* beside U+2028/U+2029 */
		{ "say \xc0\x80", false },             /* overlong NUL */
		{ "say \xc1\xbf", false },             /* overlong U+007F */
		{ "say \xe0\x80\xa0", false },         /* overlong space, 3 bytes */
		{ "say \xe0\x9f\xbf", false },         /* overlong U+07FF */
		{ "say \xf0\x80\x80\xa0", false },     /* overlong space, 4 bytes */
		{ "say \xf0\x8f\xbf\xbf", false },     /* overlong U+FFFF */
		{ "say \xed\xbf\xbf", false },         /* U+DFFF, a surrogate */
		{ "say \xf4\x90\x80\x80", false },     /* U+110000 */
		{ "say \xf5\x80\x80\x80", false },     /* never a lead byte */
		{ "say \xf8\x88\x80\x80\x80", false }, /* five-byte form */
		{ "say \x80", false },                 /* lone continuation byte */
		{ "say \xbf hi", false },
		{ "say \xc3", false },                 /* cut at the end */
		{ "say \xe2\x82", false },
		{ "say \xf0\x9f\x98", false },
		{ "say \xe2\x82 hi", false },          /* cut before a space */
		{ "say \xc3\xc3\xa9", false },         /* a lead byte where a continuation goes */
		{ "say \xe2\x82\xac\xac", false },     /* one continuation too many */
		{ "say \x7f", false },                 /* DEL */
		{ "say \xc2\x80", false },             /* U+0080, first C1 */
		{ "say \xc2\x9f", false },             /* U+009F, last C1 */
		{ "s\xc3\xa1y hi", false },        /* compared words are ASCII */
		{ "whois bob", true },
		{ "whois", true },
		{ "whois bob alice", false },
		{ "whois b\xc3\xb6" "b", false },     /* the "?" word is ASCII */
		{ "kick bob", false },               /* entry with a non-ASCII word */
		{ "kick b\xc3\xb6" "b", false },
		{ "ban bob", false },                /* entry with a control byte */
	};
	return cr_make_param_array(struct policy_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct policy_case *pc, policy, custom_list)
{
	static const char *const allow[] = {
		"say *", "/tell bob *", "GameMode", "*", " *", "time query *", NULL, "list",
		"whois ?", "kick b\xc3\xb6" "b", "kick b\xc3\xb6" "b *", "ban\tbob", "ban \xc2\x85*",
	};
	cr_assert_eq(rc_policy_allows(allow, sizeof allow / sizeof allow[0], pc->cmd), pc->allowed,
	    "\"%s\" should be %s", pc->cmd, pc->allowed ? "allowed" : "refused");
	/* Parsed once, as a connection holds it: the same answer. */
	struct policy_pat *own;
	size_t n;
	cr_assert_eq(policy_compile(allow, sizeof allow / sizeof allow[0], &own, &n), 0);
	cr_assert_eq(n, 7, "the entries that can never match are left out");
	cr_assert_eq(policy_allows_pats(own, n, pc->cmd), pc->allowed, "compiled, \"%s\"", pc->cmd);
	free(own);
}

Test(policy, default_table)
{
	cr_assert_eq(rc_policy_default_count(), 16);
	cr_assert_null(rc_policy_default[rc_policy_default_count()]);
	for (size_t i = 0; i < rc_policy_default_count(); i++)
		cr_assert(rc_policy_allows(NULL, 0, rc_policy_default[i]), "%s", rc_policy_default[i]);
}

Test(policy, parsed_default_is_the_default_list_parsed)
{
	/* One table makes both the strings and their parsed form. */
	size_t n, m;
	const struct policy_pat *d = policy_default_pats(&n);
	struct policy_pat *p;
	cr_assert_eq(policy_compile(rc_policy_default, 0, &p, &m), 0);
	cr_assert_eq(n, rc_policy_default_count());
	cr_assert_eq(m, n);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(d[i].len, p[i].len, "%s", rc_policy_default[i]);
		cr_assert_eq(memcmp(d[i].text, p[i].text, p[i].len), 0, "%s", rc_policy_default[i]);
		cr_assert_eq(d[i].tail, p[i].tail, "%s", rc_policy_default[i]);
	}
	free(p);
	cr_assert_str_eq(rc_policy_default[15], "help ?");
	cr_assert_eq(d[15].len, 4);
	cr_assert_eq(d[15].tail, TAIL_ONE);
}

Test(policy, compiled_empty_and_null_lists)
{
	struct policy_pat *p = (struct policy_pat *)1;
	size_t n = 7;
	cr_assert_eq(policy_compile(NULL, 0, &p, &n), 0);
	cr_assert_null(p);
	cr_assert_eq(n, 0);
	static const char *const none[] = { NULL };
	cr_assert_eq(policy_compile(none, 0, &p, &n), 0);
	cr_assert_eq(n, 0);
	cr_assert_not(policy_allows_pats(p, n, "list"), "an empty list allows nothing");
	static const char *const junk[] = { " *", "l\xc4\xb1st", NULL, "/seed" };
	cr_assert_eq(policy_compile(junk, 4, &p, &n), 0);
	cr_assert_eq(n, 1);
	cr_assert(policy_allows_pats(p, n, "/seed"));
	cr_assert_not(policy_allows_pats(p, n, "list"));
	free(p);
}

Test(policy, empty_list_allows_nothing)
{
	static const char *const none[] = { NULL };
	cr_assert_not(rc_policy_allows(none, 0, "list"));
	cr_assert_not(rc_policy_allows(none, 1, "list"));
	cr_assert_not(rc_policy_allows(NULL, 0, NULL));
}

/* ---- the effective list: the flag can only narrow ---- */

#define EFF_MAX 8

/* One combination: the profile's list (NULL-terminated; none = NULL list),
 * whether the profile sets read_only, commands that must pass and fail. */
struct eff_case {
	bool none;
	bool own_ro;
	char own[EFF_MAX][32];
	char pass[EFF_MAX][32];
	char fail[EFF_MAX][32];
};

ParameterizedTestParameters(policy, effective)
{
	static struct eff_case cases[] = {
		/* the audit's case: the flag with "op *" lets nothing extra through */
		{ false, false, { "op *" }, { "" }, { "op", "op bob", "list", "seed" } },
		/* the same list set by a read-only profile is the admin's choice */
		{ false, true, { "op *" }, { "op bob", "op" }, { "list", "deop bob" } },
		/* no list: the default either way */
		{ true, false, { "" }, { "list", "help 2", "tick query" }, { "op bob", "say hi" } },
		{ true, true, { "" }, { "list", "forge tps" }, { "op bob" } },
		/* a narrower list narrows */
		{ false, false, { "list", "tps" }, { "list", "tps" }, { "seed", "list uuids", "mspt" } },
		/* wildcards meet the default's exact forms */
		{ false, false, { "time query *" },
		  { "time query day", "time query daytime", "TIME QUERY GAMETIME" },
		  { "time query", "time query foo", "time set day", "list" } },
		{ false, false, { "time *" }, { "time query day" }, { "time set 0", "time" } },
		{ false, false, { "list *" }, { "list", "list uuids" }, { "list uuids x", "list x" } },
		{ false, false, { "help *" }, { "help", "help 3" }, { "help a b" } },
		{ false, false, { "help" }, { "help" }, { "help 3" } },
		{ false, false, { "help ?" }, { "help", "help op" }, { "help op x" } },
		/* a literal "?" or "*" word met with the default's "help ?": the
		 * one command both allow, "help ?" or "help *" taken literally,
		 * cannot be written as an entry (its last word would read as a
		 * tail), so it is dropped; before, "help * *" let "help a b c"
		 * through and "help ? *" let "help i" (fuzz-policy found it) */
		{ false, false, { "help * *" }, { "" }, { "help a b c", "help x", "help *", "help" } },
		{ false, false, { "help ? *", "help ? ?" }, { "" }, { "help i", "help ?", "help" } },
		{ false, false, { "help * *", "list" }, { "list" }, { "help a b", "help" } },
		{ false, false, { "/Seed", "banlist ?" }, { "seed", "banlist", "banlist ips" },
		  { "banlist x y", "list" } },
		/* entries that are not ASCII words never survive */
		{ false, false, { " *", "*", "l\xc4\xb1st", "list\t" }, { "" }, { "list", "*" } },
		{ false, false, { "say *", "kick *", "execute *" }, { "" },
		  { "say hi", "kick bob", "execute run op bob" } },
	};
	return cr_make_param_array(struct eff_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct eff_case *ec, policy, effective)
{
	const char *own[EFF_MAX + 1] = { NULL };
	size_t n = 0;
	while (n < EFF_MAX && ec->own[n][0]) {
		own[n] = ec->own[n];
		n++;
	}
	char **eff = NULL;
	cr_assert_eq(rc_policy_effective(ec->none ? NULL : own, 0, ec->own_ro, &eff), 0);
	cr_assert_not_null(eff);
	size_t m = 0;
	while (eff[m])
		m++;
	for (size_t i = 0; i < EFF_MAX && ec->pass[i][0]; i++)
		cr_assert(rc_policy_allows((const char *const *)eff, m, ec->pass[i]),
		    "\"%s\" should pass", ec->pass[i]);
	for (size_t i = 0; i < EFF_MAX && ec->fail[i][0]; i++)
		cr_assert_not(rc_policy_allows((const char *const *)eff, m, ec->fail[i]),
		    "\"%s\" should be refused", ec->fail[i]);
	/* Not read-only by the profile: nothing passes that the default refuses. */
	if (!ec->own_ro)
		for (size_t i = 0; i < m; i++)
			cr_assert(rc_policy_allows(NULL, 0, eff[i]) || strstr(eff[i], " ?"),
			    "entry \"%s\" is outside the default", eff[i]);
	rc_policy_list_free(eff);
}

Test(policy, effective_time_query_is_the_three_forms)
{
	static const char *const own[] = { "time query *", "time query *", NULL };
	char **eff = NULL;
	cr_assert_eq(rc_policy_effective(own, 0, false, &eff), 0);
	size_t m = 0;
	while (eff[m])
		m++;
	cr_assert_eq(m, 3, "deduplicated to the default's three forms");
	cr_assert_str_eq(eff[0], "time query daytime");
	rc_policy_list_free(eff);
	rc_policy_list_free(NULL);
}

Test(policy, entry_kept_says_what_the_flag_drops)
{
	cr_assert_not(rc_policy_entry_kept("op *"));
	cr_assert_not(rc_policy_entry_kept("say *"));
	cr_assert_not(rc_policy_entry_kept(" *"));
	cr_assert_not(rc_policy_entry_kept("l\xc4\xb1st"));
	cr_assert_not(rc_policy_entry_kept(NULL));
	cr_assert(rc_policy_entry_kept("list"));
	cr_assert(rc_policy_entry_kept("/LIST"));
	cr_assert(rc_policy_entry_kept("time query *"));
	cr_assert(rc_policy_entry_kept("help *"));
}
