/* test-mc-list.c: every `list` reply shape, hostile and truncated replies,
 * 1,000-name lists and the joined/left diff. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "lib/mc-int.h"

#define S "\xC2\xA7"
#define U1 "0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define U2 "853c80ef-3c37-49fd-aa49-938b674adae6"

/* Parameters are copied into each test's process: strings are inline. */
struct shape_case {
	char text[200];
	rc_mc_list_format format;
	int count;
	int max;
	char names[40];      /* "|"-separated, as parsed */
	char why[48];
};

ParameterizedTestParameters(mc_list, shapes)
{
	static struct shape_case cases[] = {
		{ "There are 2 of a max of 20 players online: Alice, Bob",
		    RC_MC_LIST_MODERN, 2, 20, "Alice|Bob", "1.13+ vanilla" },
		{ "There are 0 of a max of 20 players online: ",
		    RC_MC_LIST_MODERN, 0, 20, "", "1.13+ empty, trailing space" },
		{ "There are 0 of a max of 20 players online:",
		    RC_MC_LIST_MODERN, 0, 20, "", "empty, space already trimmed" },
		{ "There are 3 of a max of 3 players online: x_X_x, __init__, Steve_2010\n",
		    RC_MC_LIST_MODERN, 3, 3, "x_X_x|__init__|Steve_2010", "full server, underscores, Bukkit \\n" },
		{ "There are 2 of a max of 20 players online: Alice, Bob\r\n",
		    RC_MC_LIST_MODERN, 2, 20, "Alice|Bob", "CR LF" },
		{ "There are 2 of a max of 20 players online: [Admin] Alice, Bob the Builder",
		    RC_MC_LIST_MODERN, 2, 20, "[Admin] Alice|Bob the Builder", "team prefixes kept" },
		{ "There are 2 of a max of 20 players online: " S "cAlice" S "r, " S "9B" S "lob",
		    RC_MC_LIST_MODERN, 2, 20, "Alice|Bob", "coloured names" },
		{ S "6There are 1 of a max of 10 players online: Zo" S "Ae",
		    RC_MC_LIST_MODERN, 1, 10, "Zoe", "upper-case code" },
		{ "There are 2 of a max of 20 players online: Alice (" U1 "), Bob (" U2 ")",
		    RC_MC_LIST_UUIDS, 2, 20, "Alice|Bob", "list uuids" },
		{ "There are 0 of a max of 20 players online: ",
		    RC_MC_LIST_MODERN, 0, 20, "", "list uuids with nobody on" },
		{ "There are 1 of a max of 20 players online: The Boss   (" U1 ")",
		    RC_MC_LIST_UUIDS, 1, 20, "The Boss", "uuid after extra spaces" },
		{ "There are 2/20 players online:Alice, Bob",
		    RC_MC_LIST_LEGACY, 2, 20, "Alice|Bob", "1.12 glued" },
		{ "There are 2/20 players online:\nAlice, Bob\n",
		    RC_MC_LIST_LEGACY, 2, 20, "Alice|Bob", "1.12 on Bukkit, two messages" },
		{ "There are 0/20 players online:",
		    RC_MC_LIST_LEGACY, 0, 20, "", "1.12 empty" },
		{ "There are 1/20 players online:Alice (" U1 ")",
		    RC_MC_LIST_UUIDS, 1, 20, "Alice", "1.12 list uuids" },
		{ "Connected players: Alice, Bob",
		    RC_MC_LIST_ANCIENT, 2, -1, "Alice|Bob", "1.2" },
		{ "Connected players: ",
		    RC_MC_LIST_ANCIENT, 0, -1, "", "1.2 empty" },
		{ "There are 2 of a max 20 players online: Alice, Bob",
		    RC_MC_LIST_FORGE, 2, 20, "Alice|Bob", "Forge of a max" },
		{ "There are 1 out of 20 players online: Alice",
		    RC_MC_LIST_FORGE, 1, 20, "Alice", "out of" },
		{ "There are 2 out of a maximum 20 players online: Alice, Bob",
		    RC_MC_LIST_FORGE, 2, 20, "Alice|Bob", "out of a maximum" },
		{ S "6There are " S "c2" S "6 out of maximum " S "c20" S "6 players online.\n"
		    S "6default" S "r: Alice" S "f, Bob" S "f\n",
		    RC_MC_LIST_ESSENTIALS, 2, 20, "Alice|Bob", "EssentialsX" },
		{ S "6There are " S "c3" S "6 out of maximum " S "c20" S "6 players online.\n"
		    S "6Admins" S "r: " S "4~Boss" S "f\n"
		    S "6default" S "r: " S "7[AFK]" S "rAlice" S "f, Bob" S "f\n",
		    RC_MC_LIST_ESSENTIALS, 3, 20, "~Boss|Alice|Bob", "Essentials groups, AFK, nick" },
		{ S "6There are " S "c1" S "6/" S "c1" S "6 out of maximum " S "c20" S "6 players online.\r\n"
		    S "6default" S "r: " S "7[HIDDEN]" S "rGhost" S "f, Alice" S "f\r\n",
		    RC_MC_LIST_ESSENTIALS, 2, 20, "Ghost|Alice", "Essentials vanished (visible/hidden)" },
		{ S "6There are " S "c0" S "6 out of maximum " S "c20" S "6 players online.\n",
		    RC_MC_LIST_ESSENTIALS, 0, 20, "", "Essentials empty" },
		{ S "6There are " S "c1" S "6 out of maximum " S "c20" S "6 players online.\n"
		    S "6default" S "r: " S "7[AFK]" S "r" S "7[HIDDEN]" S "rSleepy" S "f\n",
		    RC_MC_LIST_ESSENTIALS, 1, 20, "Sleepy", "both tags" },
	};
	return cr_make_param_array(struct shape_case, cases, sizeof cases / sizeof cases[0]);
}

/* Checks that l's names are exactly the "|"-separated want. */
static void assert_names(const rc_mc_list *l, const char *want, const char *why)
{
	char buf[4096] = "";
	for (size_t i = 0; i < l->n_players; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, l->players[i].name);
	}
	cr_assert_str_eq(buf, want, "%s", why);
}

ParameterizedTest(struct shape_case *c, mc_list, shapes)
{
	rc_mc_list l;
	cr_assert_eq(rc_mc_list_parse(c->text, strlen(c->text), &l), 0);
	cr_assert_eq(l.format, c->format, "%s: format %d", c->why, l.format);
	cr_assert_eq(l.count, c->count, "%s", c->why);
	cr_assert_eq(l.max, c->max, "%s", c->why);
	cr_assert_eq(l.n_players, (size_t)c->count, "%s", c->why);
	assert_names(&l, c->names, c->why);
	cr_assert_eq(l.raw_len, strlen(c->text));
	cr_assert_str_eq(l.raw, c->text, "raw kept byte-exact");
	rc_mc_list_clear(&l);
	cr_assert_null(l.raw);
	cr_assert_null(l.players);
}

Test(mc_list, uuids_and_flags_are_filled)
{
	const char *t = "There are 2 of a max of 20 players online: Alice (" U1 "), Bob (" U2 ")";
	rc_mc_list l;
	rc_mc_list_parse(t, strlen(t), &l);
	cr_assert_str_eq(l.players[0].uuid, U1);
	cr_assert_str_eq(l.players[1].uuid, U2);

	const char *e = "There are 2 out of maximum 20 players online.\n"
	    "default: [AFK]Alice, Bob\n";
	rc_mc_list m;
	rc_mc_list_parse(e, strlen(e), &m);
	cr_assert_eq(m.format, RC_MC_LIST_ESSENTIALS);
	cr_assert_eq(m.players[0].flags, RC_MC_PLAYER_AFK);
	cr_assert_eq(m.players[1].flags, 0);
	cr_assert_null(m.players[0].uuid);
	rc_mc_list_clear(&l);
	rc_mc_list_clear(&m);
}

/* Parses text into l, asserting that it matched. */
static void parse_ok_len(const char *text, rc_mc_list *l)
{
	cr_assert_eq(rc_mc_list_parse(text, strlen(text), l), 0);
	cr_assert_neq(l->format, RC_MC_LIST_UNPARSED, "%s", text);
	cr_assert_eq((size_t)l->count, l->n_players);
}

struct bad_case {
	char text[120];
	size_t len;   /* 0: strlen */
	char why[56];
};

ParameterizedTestParameters(mc_list, unparsed)
{
	static struct bad_case cases[] = {
		{ "", 0, "empty reply" },
		{ "Unknown or incomplete command, see below for error\nlist<--[HERE]", 0, "error reply" },
		{ "Es sind 2 von maximal 20 Spielern online: Alice, Bob", 0, "translated" },
		{ "There are 3 of a max of 20 players online: Alice, Bob", 0, "count says 3, two names" },
		{ "There are 5 of a max of 20 players online: Alice, Bob, Car", 0, "truncated list" },
		{ "There are 2 of a max of 20 players online: ", 0, "count 2, no names" },
		{ "There are 0 of a max of 20 players online: Alice", 0, "count 0, one name" },
		{ "There are 2 of a max of 20 players online: Alice, ", 0, "empty last name" },
		{ "There are 2 of a max of 20 players online: Alice, , Bob", 0, "empty middle name" },
		{ "There are 2 of a max of 20 players online: Alice\nBob", 0, "newline in names" },
		{ "There are 2 of a max of 20 players online: Alice, Bob\nPlugin says hi", 0, "extra line" },
		{ "There are 2 of a max of 20 players online: Al\x01ice, Bob", 0, "control char" },
		{ "There are 2 of a max of 20 players online: Al\0ce, Bob", 53, "NUL inside" },
		{ "There are 2 of a max of 20 players online: Alice, Bob\0", 54, "NUL at the end" },
		{ "There are 1 of a max of 20 players online: Bob, the builder", 0, "comma in a name" },
		{ "There are 99999999 of a max of 20 players online: A", 0, "8-digit count" },
		{ "There are -1 of a max of 20 players online: ", 0, "negative count" },
		{ "There are  2 of a max of 20 players online: Alice, Bob", 0, "double space" },
		{ "There are 2 of a max of", 0, "truncated header" },
		{ "There are 2 of a max of 20 players online: Alice (" U1 "), Bob", 0, "some uuids only" },
		{ "There are 2/20 players online:Alice", 0, "legacy count mismatch" },
		{ "There are 2 out of maximum 20 players online.\ndefault: Alice\n", 0,
		    "Essentials count mismatch (vanished elsewhere)" },
		{ "There are 1 out of maximum 20 players online. default: Alice", 0,
		    "Essentials group on the header line" },
		{ "There are 1 out of maximum 20 players online.\nAlice\n", 0, "no group tag" },
		{ "There are 1 out of maximum 20 players online.\n: Alice\n", 0, "empty group" },
		{ "\xff\xfe garbage \xC2", 0, "binary garbage" },
	};
	return cr_make_param_array(struct bad_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_case *c, mc_list, unparsed)
{
	size_t len = c->len ? c->len : strlen(c->text);
	char *copy = malloc(len ? len : 1);
	rc_mc_list l;
	memcpy(copy, c->text, len);
	cr_assert_eq(rc_mc_list_parse(copy, len, &l), 0);
	cr_assert_eq(l.format, RC_MC_LIST_UNPARSED, "%s", c->why);
	cr_assert_eq(l.count, -1, "%s", c->why);
	cr_assert_eq(l.max, -1);
	cr_assert_eq(l.n_players, 0);
	cr_assert_null(l.players);
	cr_assert_eq(l.raw_len, len);
	cr_assert(memcmp(l.raw, c->text, len) == 0, "raw kept");
	rc_mc_list_clear(&l);
	free(copy);
}

Test(mc_list, names_are_kept_as_bytes)
{
	/* A cut inside the last name cannot be seen (the count still holds);
	 * bytes that are not UTF-8 stay as they came, for the front end to
	 * sanitise when it shows them. */
	rc_mc_list l;
	parse_ok_len("There are 2 of a max of 20 players online: Alice, Bo", &l);
	cr_assert_str_eq(l.players[1].name, "Bo");
	rc_mc_list_clear(&l);
	parse_ok_len("There are 1 of a max of 20 players online: \xC2", &l);
	cr_assert_str_eq(l.players[0].name, "\xC2");
	rc_mc_list_clear(&l);
}

Test(mc_list, every_prefix_of_a_reply_is_safe)
{
	/* A reply cut anywhere either parses with count == names or is
	 * unparsed; it never reports a count that the names do not back. */
	const char *t = "There are 3 of a max of 20 players online: Alice, Bob, Carol";
	for (size_t k = 0; k <= strlen(t); k++) {
		char *copy = malloc(k ? k : 1);
		rc_mc_list l;
		memcpy(copy, t, k);
		cr_assert_eq(rc_mc_list_parse(copy, k, &l), 0);
		if (l.format != RC_MC_LIST_UNPARSED)
			cr_assert_eq((size_t)l.count, l.n_players, "prefix %zu", k);
		if (k == strlen(t))
			cr_assert_eq(l.count, 3);
		rc_mc_list_clear(&l);
		free(copy);
	}
}

/* Builds "There are N of a max of MAX players online: Player_0, ..." with
 * every third name coloured, into a malloc'd string. */
static char *big_list(size_t n, size_t max)
{
	size_t cap = 64 + n * 24;
	char *s = malloc(cap);
	size_t o = (size_t)snprintf(s, cap, "There are %zu of a max of %zu players online: ", n, max);
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(s + o, cap - o, "%s%sPlayer_%zu", i ? ", " : "",
		    i % 3 == 0 ? S "a" : "", i);
	return s;
}

Test(mc_list, thousand_names)
{
	char *t = big_list(1000, 1000);
	rc_mc_list l;
	cr_assert_eq(rc_mc_list_parse(t, strlen(t), &l), 0);
	cr_assert_eq(l.format, RC_MC_LIST_MODERN);
	cr_assert_eq(l.count, 1000);
	cr_assert_eq(l.max, 1000);
	cr_assert_eq(l.n_players, 1000);
	cr_assert_str_eq(l.players[0].name, "Player_0");
	cr_assert_str_eq(l.players[999].name, "Player_999");
	cr_assert(rc_mc_list_has(&l, "Player_500"));
	cr_assert_not(rc_mc_list_has(&l, "Player_1000"));
	rc_mc_list_clear(&l);

	/* The same list cut short by one name is refused. */
	*strrchr(t, ',') = '\0';
	cr_assert_eq(rc_mc_list_parse(t, strlen(t), &l), 0);
	cr_assert_eq(l.format, RC_MC_LIST_UNPARSED);
	rc_mc_list_clear(&l);
	free(t);
}

/* Parses text into l, asserting that it matched. */
static void parse_ok(const char *text, rc_mc_list *l)
{
	cr_assert_eq(rc_mc_list_parse(text, strlen(text), l), 0);
	cr_assert_neq(l->format, RC_MC_LIST_UNPARSED, "%s", text);
}

Test(mc_list, diff_joined_and_left)
{
	rc_mc_list a, b;
	const char **joined, **left;
	size_t nj, nl;
	parse_ok("There are 3 of a max of 20 players online: Alice, Bob, Carol", &a);
	parse_ok("There are 3 of a max of 20 players online: Dave, Alice, Erin", &b);
	cr_assert_eq(rc_mc_list_diff(&a, &b, &joined, &nj, &left, &nl), 0);
	cr_assert_eq(nj, 2);
	cr_assert_str_eq(joined[0], "Dave");
	cr_assert_str_eq(joined[1], "Erin");
	cr_assert_eq(nl, 2);
	cr_assert_str_eq(left[0], "Bob");
	cr_assert_str_eq(left[1], "Carol");
	cr_assert_eq(joined[0], b.players[0].name, "pointers into b");
	free(joined);
	free(left);

	cr_assert_eq(rc_mc_list_diff(&a, &a, &joined, &nj, &left, &nl), 0);
	cr_assert_eq(nj + nl, 0);
	cr_assert_null(joined);
	cr_assert_null(left);

	cr_assert_eq(rc_mc_list_diff(NULL, &b, &joined, &nj, &left, &nl), 0);
	cr_assert_eq(nj, 3, "from nothing, everyone joined");
	cr_assert_eq(nl, 0);
	free(joined);
	rc_mc_list_clear(&a);
	rc_mc_list_clear(&b);
}

Test(mc_list, diff_refuses_unparsed)
{
	rc_mc_list a, bad;
	const char **joined = (const char **)1, **left = (const char **)1;
	size_t nj = 9, nl = 9;
	parse_ok("There are 1 of a max of 20 players online: Alice", &a);
	rc_mc_list_parse("garbage", 7, &bad);
	cr_assert_eq(rc_mc_list_diff(&a, &bad, &joined, &nj, &left, &nl), RC_EINVAL);
	cr_assert_null(joined);
	cr_assert_null(left);
	cr_assert_eq(nj + nl, 0);
	rc_mc_list_clear(&a);
	rc_mc_list_clear(&bad);
}

Test(mc_list, diff_counts_duplicates)
{
	rc_mc_list a, b;
	const char **joined, **left;
	size_t nj, nl;
	parse_ok("There are 2 of a max of 20 players online: Steve, Steve", &a);
	parse_ok("There are 1 of a max of 20 players online: Steve", &b);
	cr_assert_eq(rc_mc_list_diff(&a, &b, &joined, &nj, &left, &nl), 0);
	cr_assert_eq(nj, 0);
	cr_assert_eq(nl, 1);
	cr_assert_str_eq(left[0], "Steve");
	free(left);
	rc_mc_list_clear(&a);
	rc_mc_list_clear(&b);
}

Test(mc_list, diff_thousand_by_thousand)
{
	/* a: Player_0..999, b: Player_500..1499 -> 500 joined, 500 left. */
	char *ta = big_list(1000, 2000);
	char *tb = malloc(64 + 1000 * 24);
	size_t o = (size_t)sprintf(tb, "There are 1000 of a max of 2000 players online: ");
	for (size_t i = 500; i < 1500; i++)
		o += (size_t)sprintf(tb + o, "%sPlayer_%zu", i > 500 ? ", " : "", i);
	rc_mc_list a, b;
	const char **joined, **left;
	size_t nj, nl;
	parse_ok(ta, &a);
	parse_ok(tb, &b);
	cr_assert_eq(rc_mc_list_diff(&a, &b, &joined, &nj, &left, &nl), 0);
	cr_assert_eq(nj, 500);
	cr_assert_eq(nl, 500);
	cr_assert_str_eq(joined[0], "Player_1000");
	cr_assert_str_eq(joined[499], "Player_1499");
	cr_assert_str_eq(left[0], "Player_0");
	cr_assert_str_eq(left[499], "Player_499");
	free(joined);
	free(left);
	rc_mc_list_clear(&a);
	rc_mc_list_clear(&b);
	free(ta);
	free(tb);
}

Test(mc_list, clear_is_idempotent_and_null_safe)
{
	rc_mc_list l;
	rc_mc_list_clear(NULL);
	rc_mc_list_parse("Connected players: A", 20, &l);
	cr_assert_eq(l.count, 1);
	rc_mc_list_clear(&l);
	rc_mc_list_clear(&l);
	cr_assert_null(l.raw);
	cr_assert_not(rc_mc_list_has(&l, "A"));
	cr_assert_not(rc_mc_list_has(NULL, "A"));
}

Test(mc_list, normalise_is_the_one_both_parsers_read)
{
	/* mc_list_normalise (mc-int.h) feeds rc_mc_list_parse and
	 * rc_mc_health_parse alike. */
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\xc2\xa7" "aThere are 0\xc2\xa7r\r\n", "There are 0" },
		{ "a\r\nb\r\n \t\r\n", "a\nb" },
		{ "a\rb", "a\rb" },           /* a lone CR stays */
		{ "x\r", "x" },               /* ... unless it trails */
		{ "\r\r\n", "" },
		{ "  lead \n", "  lead" },     /* leading space is the caller's to skip */
		{ "", "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char norm[64];
		memset(norm, 'Z', sizeof norm);
		size_t n = mc_list_normalise(cases[i].in, strlen(cases[i].in), norm);
		cr_assert_eq(n, strlen(cases[i].out), "case %zu: %zu", i, n);
		cr_assert_str_eq(norm, cases[i].out, "case %zu", i);
	}
}
