/* test-app-tree.c: vanilla's glued help reply (no separator between
 * usages, as RCON delivers it) split by the app and parsed into the tree:
 * the full 1.21 list, Bukkit's coloured lines, a 1.12 page header. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-tree.h"
#include "usage-fixtures.h"

/* Returns s with every newline removed (malloc'd), as vanilla glues it. */
static char *glue(const char *s)
{
	char *out = malloc(strlen(s) + 1);
	size_t n = 0;
	for (; *s; s++)
		if (*s != '\n')
			out[n++] = *s;
	out[n] = '\0';
	return out;
}

/* Parses a reply through app_tree_split; returns the tree. */
static rc_mc_usage *parse(const char *reply, int *pages)
{
	size_t len;
	char *text = app_tree_split(reply, strlen(reply), &len);
	cr_assert_not_null(text);
	rc_mc_usage *u = rc_mc_usage_new();
	cr_assert_geq(rc_mc_usage_add_help(u, text, len, pages), 0);
	free(text);
	return u;
}

Test(app_tree, vanilla_121_glued)
{
	char *g = glue(USAGE_VANILLA_121);
	cr_assert_null(strchr(g, '\n'));
	rc_mc_usage *u = parse(g, NULL);
	cr_assert_eq(rc_mc_usage_count(u), USAGE_VANILLA_121_COUNT);
	const char *w[] = { "time", "query" };
	const rc_mc_unode *out[4];
	cr_assert_eq(rc_mc_usage_walk(u, w, 2, out, 4, NULL), 1);
	const char *k[] = { "attribute", "@p", "generic.armor", "modifier" };
	cr_assert_eq(rc_mc_usage_walk(u, k, 4, out, 4, NULL), 1);
	rc_mc_usage_free(u);
	free(g);
}

Test(app_tree, glued_plugins_and_expanded_forms)
{
	const char *reply = "/time (add|query|set)/time query (day|daytime|gametime)"
	    "/warp (list|set|delete) <name>/xp -> experience/fill <from> <to> <block>";
	rc_mc_usage *u = parse(reply, NULL);
	cr_assert_eq(rc_mc_usage_count(u), 4);
	const char *w[] = { "warp", "set", "home" };
	const rc_mc_unode *out[4];
	cr_assert_eq(rc_mc_usage_walk(u, w, 3, out, 4, NULL), 1);
	rc_mc_usage_free(u);
}

Test(app_tree, paged_headers)
{
	int pages = -1;
	rc_mc_usage *u = parse("--- Showing help page 1 of 9 (/help <page>) ---/achievement <give|take> [player]"
	    "/time <set|add|query> <value>", &pages);
	cr_assert_eq(pages, 9);
	cr_assert_eq(rc_mc_usage_count(u), 2);
	rc_mc_usage_free(u);
	pages = -1;
	u = parse(USAGE_PAPER_P1, &pages);
	cr_assert_eq(pages, 3);
	cr_assert_eq(rc_mc_usage_count(u), 3);
	rc_mc_usage_free(u);
	size_t len = 1;
	char *e = app_tree_split("", 0, &len);
	cr_assert_not_null(e);
	cr_assert_eq(len, 0);
	free(e);
}
