/* test-app-tree.c: vanilla's glued help reply (no separator between
 * usages, as RCON delivers it) split by the app and parsed into the tree:
 * the full 1.21 list, Bukkit's coloured lines, a 1.12 page header. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-tree.h"
#include "usage-fixtures.h"
#include "../support/files.h"

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

/* Builds an app in loop with one unconnected server "alpha" (127.0.0.1:25575)
 * whose cache file, in dir, lists two commands. */
static app *tree_app(rc_loop *loop, rc_config *cfg, const char *dir)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/alpha.tree", dir);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "rconsole-tree 1\nserver 127.0.0.1:25575\nread 1700000000\n"
	    "/stop\n/whitelist (add|remove) <targets>\n");
	cr_assert_eq(fclose(f), 0);
	rc_profile p;
	rc_profile_init(&p);
	p.name = "alpha";
	p.host = "127.0.0.1";
	p.port = 25575;
	p.password = "pw";
	char err[256];
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
	app_opts o = { .state_dir = dir, .cache_dir = dir };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	cr_assert_eq(app_add(a, &cfg->servers[0], "pw", err, sizeof(err)), 0, "%s", err);
	return a;
}

Test(app_tree, the_getter_reads_nothing_and_need_reads_the_cache)
{
	char dir[] = "/tmp/rconsole-test-tree.XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	rc_loop *loop = rc_loop_new();
	rc_config *cfg = rc_config_new(NULL);
	app *a = tree_app(loop, cfg, dir);
	/* Drawing code calls app_tree() every frame: it must not read the
	 * cache (or send anything) by itself. */
	for (int k = 0; k < 3; k++)
		cr_assert_null(app_tree(a, 0), "app_tree() read the cache");
	app_tree_need(a, 0);
	const rc_mc_usage *u = app_tree(a, 0);
	cr_assert_not_null(u, "app_tree_need() did not read the cache");
	cr_assert_eq(rc_mc_usage_count(u), 2);
	app_tree_need(a, 0);
	cr_assert_eq(app_tree(a, 0), u, "a second need reads nothing again");
	cr_assert_null(app_tree(a, 1), "no such server");
	cr_assert_null(app_tree(NULL, 0));
	app_free(a);
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}
