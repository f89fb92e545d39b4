/* test-mc-usage.c: the command tree from real help outputs (vanilla 1.21
 * and 1.13, Paper pages, 1.12, Forge and plugins) and from garbage. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "usage-fixtures.h"

/* Builds a tree from one help text; *pages gets the page count or -1. */
static rc_mc_usage *tree_of(const char *text, int *pages)
{
	rc_mc_usage *u = rc_mc_usage_new();
	cr_assert_not_null(u);
	int p = -1;
	cr_assert_geq(rc_mc_usage_add_help(u, text, strlen(text), &p), 0);
	if (pages)
		*pages = p;
	return u;
}

/* Returns the child of n called name of the given kind, or NULL. */
static const rc_mc_unode *kid(const rc_mc_unode *n, rc_mc_unode_kind kind, const char *name)
{
	if (!n)
		return NULL;
	for (size_t k = 0; k < n->n_kids; k++)
		if (n->kids[k]->kind == kind && strcmp(n->kids[k]->name, name) == 0)
			return n->kids[k];
	return NULL;
}

/* Returns the command node called name. */
static const rc_mc_unode *cmd(const rc_mc_usage *u, const char *name)
{
	return kid(rc_mc_usage_root(u), RC_MC_U_LITERAL, name);
}

/* Walks a space-separated path; returns how many nodes it reached. */
static size_t walk(const rc_mc_usage *u, const char *path, bool *open)
{
	char buf[256];
	const char *w[16];
	size_t n = 0;
	strcpy(buf, path);
	for (char *t = strtok(buf, " "); t && n < 16; t = strtok(NULL, " "))
		w[n++] = t;
	const rc_mc_unode *out[64];
	return rc_mc_usage_walk(u, w, n, out, 64, open);
}

Test(mc_usage, vanilla_121_every_command)
{
	rc_mc_usage *u = tree_of(USAGE_VANILLA_121, NULL);
	cr_assert_eq(rc_mc_usage_count(u), USAGE_VANILLA_121_COUNT);
	const rc_mc_unode *t = cmd(u, "time");
	cr_assert_not_null(t);
	cr_assert_eq(t->n_kids, 3);
	cr_assert_not_null(kid(t, RC_MC_U_LITERAL, "query"));
	cr_assert_str_eq(t->usage, "time (add|query|set)");
	cr_assert_not(t->open);
	const rc_mc_unode *gm = cmd(u, "gamemode");
	const rc_mc_unode *gma = kid(gm, RC_MC_U_ARG, "gamemode");
	cr_assert_not_null(gma);
	cr_assert(gma->end, "[<target>] is optional");
	cr_assert_not_null(kid(gma, RC_MC_U_ARG, "target"));
	const rc_mc_unode *att = kid(kid(cmd(u, "attribute"), RC_MC_U_ARG, "target"),
	    RC_MC_U_ARG, "attribute");
	cr_assert_not_null(kid(att, RC_MC_U_LITERAL, "modifier"));
	/* Optional literals: difficulty alone or with a word. */
	const rc_mc_unode *d = cmd(u, "difficulty");
	cr_assert(d->end);
	cr_assert_eq(d->n_kids, 4);
	/* Redirects leave the alias open; "*" is a literal. */
	cr_assert(cmd(u, "xp")->open);
	cr_assert(cmd(u, "tp")->open);
	cr_assert_eq(cmd(u, "tp")->n_kids, 0);
	cr_assert_not_null(kid(kid(cmd(u, "stopsound"), RC_MC_U_ARG, "targets"), RC_MC_U_LITERAL, "*"));
	/* Mixed alternatives: function <name> [<arguments>|with]. */
	const rc_mc_unode *fn = kid(cmd(u, "function"), RC_MC_U_ARG, "name");
	cr_assert(fn->end);
	cr_assert_not_null(kid(fn, RC_MC_U_ARG, "arguments"));
	cr_assert_not_null(kid(fn, RC_MC_U_LITERAL, "with"));
	cr_assert_eq(kid(cmd(u, "gamerule"), RC_MC_U_LITERAL, "keepInventory") != NULL, true);
	cr_assert_eq(kid(cmd(u, "teleport"), RC_MC_U_ARG, "targets") != NULL, true);
	/* Nothing in vanilla is an unknown shape. */
	const rc_mc_unode *root = rc_mc_usage_root(u);
	size_t open = 0;
	for (size_t k = 0; k < root->n_kids; k++)
		open += root->kids[k]->open;
	cr_assert_eq(open, 5, "only the five redirects are open (xp tell w tm tp), got %zu", open);
	rc_mc_usage_free(u);
}

Test(mc_usage, walk_and_merge_forms)
{
	rc_mc_usage *u = tree_of(USAGE_VANILLA_121, NULL);
	/* `help time` adds the expanded forms to the same command. */
	const char *forms = "/time add <time>\n/time query (day|daytime|gametime)\n"
	    "/time set (<time>|day|midnight|night|noon)";
	cr_assert_eq(rc_mc_usage_add_help(u, forms, strlen(forms), NULL), 3);
	cr_assert_eq(rc_mc_usage_count(u), USAGE_VANILLA_121_COUNT);
	const rc_mc_unode *q = kid(cmd(u, "time"), RC_MC_U_LITERAL, "query");
	cr_assert_eq(q->n_kids, 3);
	cr_assert_str_eq(cmd(u, "time")->usage, "time (add|query|set)", "the first usage is kept");
	bool open;
	cr_assert_eq(walk(u, "time query", &open), 1);
	cr_assert_not(open);
	cr_assert_eq(walk(u, "TIME Query daytime", &open), 1, "literals match in any case");
	cr_assert_eq(walk(u, "time frobnicate", &open), 0);
	cr_assert_not(open);
	cr_assert_eq(walk(u, "kick Steve being rude", &open), 1, "<reason> takes the rest");
	cr_assert_eq(walk(u, "say hello there world", &open), 1);
	cr_assert_eq(walk(u, "time query day extra", &open), 0, "a literal takes nothing more");
	cr_assert_eq(walk(u, "kick Steve", &open), 1);
	cr_assert_eq(walk(u, "tp Steve Alex", &open), walk(u, "teleport Steve Alex", NULL),
	    "tp -> teleport: tp's words are teleport's");
	cr_assert(open, "what follows teleport's summary is not known: nothing is wrong");
	cr_assert_eq(walk(u, "teleport Steve", &open), 3, "three arguments match one word");
	cr_assert_eq(walk(u, "tp Steve", &open), 3, "the alias too");
	rc_mc_usage_free(u);

	/* An alias reaches its command's words (Tab on "xp a" offers add),
	 * in any case; an alias of a command the tree lacks stays open, as a
	 * redirect always was; a redirect inside a usage ("as <targets> ->
	 * execute") is no alias. */
	u = tree_of(USAGE_VANILLA_121, NULL);
	const rc_mc_unode *out[8];
	const char *xa[] = { "XP", "add" };
	cr_assert_eq(rc_mc_usage_walk(u, xa, 2, out, 8, &open), 1);
	cr_assert_str_eq(out[0]->name, "add");
	cr_assert_eq(out[0], kid(cmd(u, "experience"), RC_MC_U_LITERAL, "add"));
	const char *x[] = { "xp" };
	cr_assert_eq(rc_mc_usage_walk(u, x, 1, out, 8, &open), 1);
	cr_assert_eq(out[0], cmd(u, "experience"), "xp stands for experience");
	cr_assert_eq(walk(u, "xp frobnicate", &open), 0, "a word experience does not have");
	cr_assert_not(open);
	rc_mc_usage_free(u);
	u = rc_mc_usage_new();
	const char *lone = "/tell -> msgx";
	cr_assert_eq(rc_mc_usage_add_line(u, lone, strlen(lone)), 1);
	cr_assert_eq(walk(u, "tell Steve hi", &open), 0);
	cr_assert(open, "no msgx in the tree: tell stays open");
	cr_assert_eq(walk(u, "nosuchcmd", &open), 0);
	rc_mc_usage_free(u);
}

Test(mc_usage, a_summarised_position_is_open)
{
	/* Vanilla's `help` summarises: "/time (add|query|set)" and
	 * "/scoreboard (objectives|players)" leave out what follows add,
	 * query, objectives...  Those words were dead ends that could not end
	 * the command, so "time query daytime" and "scoreboard objectives add
	 * kills dummy" were called wrong ("no 'daytime' here") on a real
	 * server, and "time query" was called the end of the command. */
	rc_mc_usage *u = tree_of(USAGE_VANILLA_121, NULL);
	bool open;
	cr_assert_eq(walk(u, "time query daytime", &open), 0);
	cr_assert(open, "what follows query is not known: nothing can be called wrong");
	cr_assert_eq(walk(u, "scoreboard objectives add kills dummy", &open), 0);
	cr_assert(open);
	const rc_mc_unode *q = kid(cmd(u, "time"), RC_MC_U_LITERAL, "query");
	cr_assert(q->open, "time query is open");
	cr_assert_not(q->end, "and still not an end");
	cr_assert_not(cmd(u, "time")->open, "the command word itself is known");
	/* A word no usage has is still wrong. */
	cr_assert_eq(walk(u, "time frobnicate", &open), 0);
	cr_assert_not(open);
	cr_assert_eq(walk(u, "difficulty hard extra", &open), 0);
	cr_assert_not(open, "difficulty hard ends its usage");
	/* Once the forms say what follows, the position is closed again. */
	rc_mc_usage_free(u);
	u = rc_mc_usage_new();
	const char *both = "/time (add|query|set)\n/time query (day|daytime|gametime)";
	cr_assert_eq(rc_mc_usage_add_help(u, both, strlen(both), NULL), 2);
	q = kid(cmd(u, "time"), RC_MC_U_LITERAL, "query");
	cr_assert_not(q->open);
	cr_assert_eq(walk(u, "time query frob", &open), 0);
	cr_assert_not(open);
	cr_assert(kid(cmd(u, "time"), RC_MC_U_LITERAL, "add")->open, "add: still summarised");
	/* add_line: a plugin's summary too. */
	const char *warp = "/warp (list|set|delete)";
	cr_assert_eq(rc_mc_usage_add_line(u, warp, strlen(warp)), 1);
	cr_assert_eq(walk(u, "warp set home", &open), 0);
	cr_assert(open);
	rc_mc_usage_free(u);
}

Test(mc_usage, vanilla_113)
{
	rc_mc_usage *u = tree_of(USAGE_VANILLA_113, NULL);
	cr_assert_eq(rc_mc_usage_count(u), 13);
	cr_assert_not_null(kid(cmd(u, "gamemode"), RC_MC_U_LITERAL, "creative"));
	cr_assert_not_null(kid(cmd(u, "locate"), RC_MC_U_LITERAL, "Stronghold"));
	const rc_mc_unode *cl = kid(kid(kid(cmd(u, "clone"), RC_MC_U_ARG, "begin"), RC_MC_U_ARG, "end"),
	    RC_MC_U_ARG, "destination");
	cr_assert(cl->end);
	cr_assert_eq(cl->n_kids, 3);
	rc_mc_usage_free(u);
}

Test(mc_usage, paper_pages)
{
	int pages;
	rc_mc_usage *u = tree_of(USAGE_PAPER_P1, &pages);
	cr_assert_eq(pages, 3);
	cr_assert_eq(rc_mc_usage_count(u), 3, "topics (Aliases:, Bukkit:) are not commands");
	cr_assert(cmd(u, "afk")->open);
	cr_assert_null(cmd(u, "Bukkit"));
	cr_assert_null(cmd(u, "help"), "'Use /help [n]' is a description");
	cr_assert_eq(rc_mc_usage_add_help(u, USAGE_PAPER_P2, strlen(USAGE_PAPER_P2), &pages), 3);
	cr_assert_eq(pages, 3);
	cr_assert_not_null(cmd(u, "warp"));
	cr_assert_eq(cmd(u, "warp")->n_kids, 0);
	bool open;
	cr_assert_eq(walk(u, "warp anything at all", &open), 0);
	cr_assert(open);
	rc_mc_usage_free(u);
}

Test(mc_usage, legacy_112)
{
	int pages;
	rc_mc_usage *u = tree_of(USAGE_LEGACY_112, &pages);
	cr_assert_eq(pages, 9);
	cr_assert_eq(rc_mc_usage_count(u), 10);
	const rc_mc_unode *t = cmd(u, "time");
	cr_assert_eq(t->n_kids, 3);
	cr_assert_not_null(kid(kid(t, RC_MC_U_LITERAL, "query"), RC_MC_U_ARG, "value"));
	const rc_mc_unode *g = kid(cmd(u, "gamemode"), RC_MC_U_ARG, "mode");
	cr_assert(g->end);
	cr_assert_not_null(kid(g, RC_MC_U_ARG, "player"), "[player] is an optional argument in 1.12");
	const rc_mc_unode *tp = cmd(u, "tp");
	cr_assert_not_null(kid(tp, RC_MC_U_ARG, "target player"));
	cr_assert_not_null(kid(tp, RC_MC_U_ARG, "x"), "the form after OR is its own usage");
	cr_assert_null(cmd(u, "Tip:"));
	cr_assert_not_null(kid(cmd(u, "banlist"), RC_MC_U_LITERAL, "ips"));
	rc_mc_usage_free(u);
}

Test(mc_usage, forge_and_plugins)
{
	rc_mc_usage *u = tree_of(USAGE_FORGE_PLUGINS, NULL);
	cr_assert_eq(rc_mc_usage_count(u), 8);
	const rc_mc_unode *w = cmd(u, "warp");
	cr_assert_eq(w->n_kids, 3);
	cr_assert_not_null(kid(kid(w, RC_MC_U_LITERAL, "set"), RC_MC_U_ARG, "name"));
	cr_assert_not_null(kid(cmd(u, "forge"), RC_MC_U_LITERAL, "tps"));
	cr_assert(cmd(u, "luckperms")->end);
	cr_assert(cmd(u, "lp")->open);
	cr_assert_not_null(cmd(u, "minecraft:tp"));
	cr_assert_eq(cmd(u, "co")->n_kids, 11);
	rc_mc_usage_free(u);
}

Test(mc_usage, add_line)
{
	rc_mc_usage *u = rc_mc_usage_new();
	cr_assert_eq(rc_mc_usage_add_line(u, "warp (list|set|delete) <name>", 29), 1);
	cr_assert_eq(rc_mc_usage_add_line(u, "  /home [<name>]  ", 18), 1);
	cr_assert_eq(rc_mc_usage_add_line(u, "", 0), 0);
	cr_assert_eq(rc_mc_usage_add_line(u, "(x)", 3), 0);
	cr_assert_eq(rc_mc_usage_count(u), 2);
	cr_assert(cmd(u, "home")->end);
	rc_mc_usage_free(u);
}

/* Every bad shape keeps the command word alone, open; non-usages add nothing. */
Test(mc_usage, garbage)
{
	static const char *const bad[] = {
		"/time (add|query", "/time add|query)", "/a [b (c] d)", "/x <>", "/x <a<b>",
		"/x ((((((((((((((((((((a))))))))))))))))))))", "/x >", "/x ()", "/x (|)",
		"/x [<a>|", "/x <a",
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		rc_mc_usage *u = tree_of(bad[k], NULL);
		cr_assert_eq(rc_mc_usage_count(u), 1, "%s", bad[k]);
		const rc_mc_unode *c = rc_mc_usage_root(u)->kids[0];
		cr_assert(c->open, "%s stays open", bad[k]);
		cr_assert_eq(c->n_kids, 0, "%s adds no guessed argument", bad[k]);
		rc_mc_usage_free(u);
	}
	static const char *const none[] = {
		"", "/", "//", "/ time", "/(add)", "/\xff\xfe", "There are 3 of a max of 20 players online",
		"\x1b[31m/red", "Unknown command. Type \"/help\" for help.",
	};
	for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++) {
		rc_mc_usage *u = tree_of(none[k], NULL);
		cr_assert_eq(rc_mc_usage_count(u), 0, "'%s' is no usage", none[k]);
		rc_mc_usage_free(u);
	}
	/* A very wide usage: the alternatives overflow, the word is kept. */
	char wide[4000] = "/w";
	for (int k = 0; k < 9; k++)
		strcat(wide, " (a|b|c|d|e|f)");
	rc_mc_usage *u = tree_of(wide, NULL);
	cr_assert_eq(rc_mc_usage_count(u), 1);
	cr_assert(rc_mc_usage_root(u)->kids[0]->open);
	rc_mc_usage_free(u);
	/* NULs and a huge line are survived. */
	char big[10000];
	memset(big, '(', sizeof(big));
	big[0] = '/';
	big[1] = 'z';
	big[2] = ' ';
	big[500] = '\0';
	u = rc_mc_usage_new();
	cr_assert_geq(rc_mc_usage_add_help(u, big, sizeof(big), NULL), 0);
	rc_mc_usage_free(u);
	rc_mc_usage_free(NULL);
}

Test(mc_usage, span)
{
	size_t a, b;
	const char *s = "attribute <target> <attribute> (base|get|modifier)";
	cr_assert(rc_mc_usage_span(s, 0, &a, &b));
	cr_assert_eq(a, 0);
	cr_assert_eq(b, 9);
	cr_assert(rc_mc_usage_span(s, 3, &a, &b));
	cr_assert_eq(strncmp(s + a, "(base|get|modifier)", b - a), 0);
	cr_assert_not(rc_mc_usage_span(s, 4, &a, &b));
	cr_assert(rc_mc_usage_span("give <targets> <item> [<count>]", 3, &a, &b));
	cr_assert_eq(b - a, 9);
}
