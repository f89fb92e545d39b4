/* test-profile-merge.c: rc_config_save_merge — a console's added profiles
 * saved over a file another console or an editor changed since it was read:
 * both additions land, the other writer's change is kept, a name clash or a
 * file that no longer loads saves nothing and says why, the console's
 * configuration becomes the merged one, and concurrent writers never undo
 * one another. */
#include <criterion/criterion.h>
#include <sys/wait.h>

#include "test-profile-util.h"

TestSuite(merge, .init = fx_setup, .fini = fx_teardown);

static const char base_file[] = "servers = ( { name = \"base\"; host = \"h\"; } );\n";

/* Loads fx_conf, asserting success. */
static rc_config *load_ok(void)
{
	rc_config *cfg = NULL;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	return cfg;
}

/* Adds a profile called name (host host) to cfg in memory. */
static void add_named(rc_config *cfg, const char *name, const char *host)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = (char *)name;
	p.host = (char *)host;
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
}

/* Adds name to cfg and saves with a merge; returns the result, *old the
 * configuration cfg held before a merge (freed here). */
static int add_and_merge(rc_config *cfg, const char *name, bool *merged)
{
	add_named(cfg, name, "h");
	const char *added[] = { name };
	rc_config *old = (rc_config *)1;
	fx_err[0] = '\0';
	int rc = rc_config_save_merge(cfg, added, 1, &old, NULL, 0, fx_err, sizeof fx_err);
	if (merged)
		*merged = old != NULL;
	rc_config_free(old);
	return rc;
}

/* Asserts that the file holds exactly the profiles in names (in order). */
static void assert_file_holds(const char *const *names, size_t n)
{
	rc_config *back = load_ok();
	cr_assert_eq(back->n_servers, n, "the file holds %zu profiles, not %zu", back->n_servers, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(back->servers[i].name, names[i]);
	rc_config_free(back);
}

/* rc_config_load, wrapped (this test is linked with
 * -Wl,--wrap=rc_config_load, which rc_config_save_merge's calls go
 * through as well): while meddle is above 0, each load is followed by a
 * third writer's change to the file (a new profile, written by rename),
 * so that the round's save finds the file changed once more. */
int __real_rc_config_load(const char *path, rc_config **out, char *err, size_t cap);
int __wrap_rc_config_load(const char *path, rc_config **out, char *err, size_t cap);
static int meddle, meddled;

int __wrap_rc_config_load(const char *path, rc_config **out, char *err, size_t cap)
{
	int rc = __real_rc_config_load(path, out, err, cap);
	if (rc == 0 && meddle > 0) {
		meddle--;
		meddled++;
		char text[800], tmp[600];
		int n = snprintf(text, sizeof text, "servers = ( { name = \"base\"; host = \"h\"; }");
		for (int i = 1; i <= meddled; i++)
			n += snprintf(text + n, sizeof text - (size_t)n,
				      ",\n  { name = \"other%d\"; host = \"o\"; }", i);
		snprintf(text + n, sizeof text - (size_t)n, " );\n");
		snprintf(tmp, sizeof tmp, "%s.third", path);
		fx_write(tmp, text, 0600);
		cr_assert_eq(rename(tmp, path), 0);
	}
	return rc;
}

/* Two consoles on one file each :add a profile: both saves succeed, the
 * file holds both, and the second console's configuration is the merged one
 * (its next save needs no merge, and undoes nothing). */
Test(merge, two_consoles_both_add_and_the_file_holds_both)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok(), *b = load_ok();
	bool merged = true;
	cr_assert_eq(add_and_merge(a, "from-a", &merged), 0, "%s", fx_err);
	cr_assert(!merged, "the first save had nothing to merge");
	cr_assert_eq(add_and_merge(b, "from-b", &merged), 0, "%s", fx_err);
	cr_assert(merged, "the second save merged");
	const char *want[] = { "base", "from-a", "from-b" };
	assert_file_holds(want, 3);
	/* b now holds what it saved: a's profile too. */
	cr_assert_eq(b->n_servers, 3);
	cr_assert_not_null(rc_config_find(b, "from-a"));
	cr_assert_not_null(rc_config_find(b, "from-b"));
	cr_assert_eq(add_and_merge(b, "again-b", &merged), 0, "%s", fx_err);
	cr_assert(!merged, "b's merged configuration is its new reference");
	/* And a, two saves behind, merges again without losing anything. */
	cr_assert_eq(add_and_merge(a, "again-a", &merged), 0, "%s", fx_err);
	cr_assert(merged);
	const char *all[] = { "base", "from-a", "from-b", "again-b", "again-a" };
	assert_file_holds(all, 5);
	rc_config_free(a);
	rc_config_free(b);
}

/* What an editor wrote between the load and the save stays: a changed
 * host, a removed profile, a new one, a global; the hand-written file (it
 * has a comment now) is kept as .bak, as every first rewrite is. */
Test(merge, an_editors_change_in_between_is_kept)
{
	fx_write(fx_conf, "servers = ( { name = \"base\"; host = \"h\"; },\n"
		 "  { name = \"gone\"; host = \"g\"; } );\n", 0600);
	rc_config *a = load_ok();
	add_named(a, "q", "qhost");
	fx_write(fx_conf, "// edited by hand\nrefresh = 9;\n"
		 "servers = ( { name = \"base\"; host = \"moved.example\"; },\n"
		 "  { name = \"ed\"; host = \"e\"; } );\n", 0600);
	const char *added[] = { "q" };
	char bak[700];
	rc_config *old = NULL;
	cr_assert_eq(rc_config_save_merge(a, added, 1, &old, bak, sizeof bak, fx_err,
					  sizeof fx_err), 0, "%s", fx_err);
	cr_assert_not_null(old);
	/* old is what a held: the editor's version is not in it. */
	cr_assert_not_null(rc_config_find(old, "gone"));
	cr_assert_null(rc_config_find(old, "ed"));
	rc_config_free(old);
	const char *want[] = { "base", "ed", "q" };
	assert_file_holds(want, 3);
	rc_config *back = load_ok();
	cr_assert_str_eq(back->servers[0].host, "moved.example");
	cr_assert_str_eq(back->servers[2].host, "qhost");
	cr_assert_eq(back->refresh, 9);
	rc_config_free(back);
	char want_bak[700];
	snprintf(want_bak, sizeof want_bak, "%s.bak", fx_conf);
	cr_assert_str_eq(bak, want_bak);
	char *kept = files_read(bak, NULL);
	cr_assert(strstr(kept, "// edited by hand"), "%s", kept);
	free(kept);
	/* The console's configuration is the merged one. */
	cr_assert_eq(a->refresh, 9);
	cr_assert_null(rc_config_find(a, "gone"));
	cr_assert_str_eq(rc_config_find(a, "base")->host, "moved.example");
	rc_config_free(a);
}

/* A profile of the same name, also differing only in case, that appeared
 * meanwhile: an error that saves nothing and says so, and the console's
 * configuration is left as it was. */
Test(merge, a_name_that_appeared_meanwhile_is_refused)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok(), *b = load_ok();
	cr_assert_eq(add_and_merge(a, "Shared", NULL), 0, "%s", fx_err);
	char *before = files_read(fx_conf, NULL);
	cr_assert_eq(add_and_merge(b, "shared", NULL), RC_EINVAL);
	char want[900];
	snprintf(want, sizeof want, "cannot save %s: it has changed since rconsole read it and "
		 "now holds a profile of the same name: profile shared already exists as Shared "
		 "(names differing only in case are one name); nothing was saved", fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	char *after = files_read(fx_conf, NULL);
	cr_assert_str_eq(after, before, "the file was written");
	cr_assert_eq(b->n_servers, 2, "b was changed");
	cr_assert_not_null(rc_config_find(b, "shared"));
	cr_assert_null(rc_config_find(b, "Shared"));
	/* The exact same name is refused the same way. */
	rc_config *c = NULL;
	fx_write(fx_conf, base_file, 0600);
	c = load_ok();
	cr_assert_eq(add_and_merge(a, "twice", NULL), 0, "%s", fx_err);
	cr_assert_eq(add_and_merge(c, "twice", NULL), RC_EINVAL);
	cr_assert(strstr(fx_err, "profile twice already exists; nothing was saved"), "%s", fx_err);
	free(before);
	free(after);
	rc_config_free(a);
	rc_config_free(b);
	rc_config_free(c);
}

/* A file an editor left broken is reported with its file:line; nothing is
 * saved and the console keeps its edit in memory, to save once the file
 * loads again. */
Test(merge, a_file_that_no_longer_loads_is_reported_with_its_line)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok();
	add_named(a, "q", "h");
	const char broken[] = "refresh = 5;\nservers = ( { name = \"base\"; host = ; } );\n";
	fx_write(fx_conf, broken, 0600);
	const char *added[] = { "q" };
	rc_config *old = (rc_config *)1;
	cr_assert_eq(rc_config_save_merge(a, added, 1, &old, NULL, 0, fx_err, sizeof fx_err),
		     RC_ECONFIG);
	cr_assert_null(old);
	char want[1200];
	snprintf(want, sizeof want, "cannot save %s: it has changed since rconsole read it and "
		 "no longer loads: %s:2: ", fx_conf, fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert(strstr(fx_err, "; nothing was saved"), "%s", fx_err);
	char *now = files_read(fx_conf, NULL);
	cr_assert_str_eq(now, broken);
	free(now);
	cr_assert_not_null(rc_config_find(a, "q"), "the edit is kept in memory");
	/* Fixed by hand: the same edit is saved then. */
	fx_write(fx_conf, "servers = ( { name = \"base\"; host = \"fixed\"; } );\n", 0600);
	old = NULL;
	cr_assert_eq(rc_config_save_merge(a, added, 1, &old, NULL, 0, fx_err, sizeof fx_err), 0,
		     "%s", fx_err);
	cr_assert_not_null(old);
	rc_config_free(old);
	const char *want_names[] = { "base", "q" };
	assert_file_holds(want_names, 2);
	rc_config_free(a);
}

/* A plain save (nothing added) over a changed file keeps that file's
 * profiles: nothing another writer added is dropped. */
Test(merge, a_plain_save_keeps_what_others_wrote)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok(), *b = load_ok();
	cr_assert_eq(add_and_merge(a, "from-a", NULL), 0, "%s", fx_err);
	rc_config *old = NULL;
	cr_assert_eq(rc_config_save_merge(b, NULL, 0, &old, NULL, 0, fx_err, sizeof fx_err), 0,
		     "%s", fx_err);
	cr_assert_not_null(old);
	rc_config_free(old);
	const char *want[] = { "base", "from-a" };
	assert_file_holds(want, 2);
	cr_assert_not_null(rc_config_find(b, "from-a"));
	/* Without old, the replaced configuration is freed inside. */
	cr_assert_eq(add_and_merge(a, "more", NULL), 0, "%s", fx_err);
	add_named(b, "from-b", "h");
	const char *added[] = { "from-b" };
	cr_assert_eq(rc_config_save_merge(b, added, 1, NULL, NULL, 0, fx_err, sizeof fx_err), 0,
		     "%s", fx_err);
	const char *all[] = { "base", "from-a", "more", "from-b" };
	assert_file_holds(all, 4);
	rc_config_free(a);
	rc_config_free(b);
}

/* A file removed since it was read is an empty configuration, as at the
 * first run: the new profile alone is saved. */
Test(merge, a_removed_file_takes_the_new_profile)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok();
	cr_assert_eq(unlink(fx_conf), 0);
	cr_assert_eq(add_and_merge(a, "q", NULL), 0, "%s", fx_err);
	const char *want[] = { "q" };
	assert_file_holds(want, 1);
	rc_config_free(a);
}

/* Other failures are the saver's own and merge nothing: an invalid
 * configuration is refused before anything is read again. */
Test(merge, other_failures_are_the_savers)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok();
	add_named(a, "q", "h");
	const char *added[] = { "nosuch" };
	fx_write(fx_conf, "servers = ( );\n", 0600);
	cr_assert_eq(rc_config_save_merge(a, added, 1, NULL, NULL, 0, fx_err, sizeof fx_err),
		     RC_EINVAL);
	cr_assert(strstr(fx_err, "no profile nosuch to add"), "%s", fx_err);
	char *now = files_read(fx_conf, NULL);
	cr_assert_str_eq(now, "servers = ( );\n");
	free(now);
	a->refresh = -3;
	cr_assert_eq(rc_config_save_merge(a, NULL, 0, NULL, NULL, 0, fx_err, sizeof fx_err),
		     RC_EINVAL);
	cr_assert(strstr(fx_err, "refresh"), "%s", fx_err);
	rc_config_free(a);
}

/* A child of concurrent_merges_never_undo_one_another: a merging save. */
static int race_merge_save(rc_config *cfg, const char *name)
{
	char err[1024];
	const char *added[] = { name };
	int rc = rc_config_save_merge(cfg, added, 1, NULL, NULL, 0, err, sizeof err);
	return rc == 0 ? 0 : rc == RC_ECONFIG && strstr(err, "kept changing") ? 1 : 2;
}

/* Several consoles that loaded the same file :add at the same moment: each
 * either saves (merging what the others saved first) or, after
 * RC_MERGE_TRIES rounds lost to others, fails with "kept changing"; the
 * file holds exactly the base and the profile of every console that said
 * it saved (a third writer is never undone), and no temporary file is left. */
Test(merge, concurrent_merges_never_undo_one_another)
{
	enum { N = 6 };
	fx_write(fx_conf, base_file, 0600);
	int status[N];
	fx_race(N, race_merge_save, status);
	bool saved[N];
	int n_saved = 0;
	for (int i = 0; i < N; i++) {
		cr_assert(status[i] <= 1, "child %d failed otherwise (%d)", i, status[i]);
		saved[i] = status[i] == 0;
		n_saved += saved[i];
	}
	cr_assert_geq(n_saved, 1);
	rc_config *cfg = load_ok();
	cr_assert_eq(cfg->n_servers, (size_t)n_saved + 1, "%zu profiles for %d saves",
		     cfg->n_servers, n_saved);
	cr_assert_not_null(rc_config_find(cfg, "base"));
	for (int i = 0; i < N; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%d", i);
		cr_assert_eq(rc_config_find(cfg, name) != NULL, saved[i], "%s", name);
	}
	rc_config_free(cfg);
	/* rconsole.conf and the .bak of the hand-written file, nothing else. */
	cr_assert_eq(fx_count_entries(fx_dir), 2);
}

/* A file that changes again after each of the merge's reads: after
 * RC_MERGE_TRIES rounds the save gives up with RC_ECONFIG and says so,
 * nothing of this console's lands, the third writer's last file is intact,
 * and the console's configuration is the one it had (its profile still
 * there for a later save).  Then, the file quiet, the same save merges. */
Test(merge, a_file_that_keeps_changing_gives_up_after_the_tries)
{
	fx_write(fx_conf, base_file, 0600);
	rc_config *a = load_ok();
	fx_write(fx_conf, "servers = ( { name = \"base\"; host = \"h\"; },\n"
		 "  { name = \"first\"; host = \"f\"; } );\n", 0600);
	add_named(a, "mine", "m");
	const char *added[] = { "mine" };
	rc_config *old = (rc_config *)1;
	meddle = 100;
	meddled = 0;
	int rc = rc_config_save_merge(a, added, 1, &old, NULL, 0, fx_err, sizeof fx_err);
	int rounds = meddled;
	meddle = 0;
	cr_assert_eq(rc, RC_ECONFIG, "rc %d: %s", rc, fx_err);
	cr_assert_eq(rounds, RC_MERGE_TRIES, "%d reads of the changed file", rounds);
	cr_assert(strstr(fx_err, "kept changing"), "%s", fx_err);
	cr_assert(strstr(fx_err, "nothing was saved"), "%s", fx_err);
	cr_assert_null(old);
	char want3[16];
	snprintf(want3, sizeof want3, "other%d", RC_MERGE_TRIES);
	rc_config *back = load_ok();
	cr_assert_null(rc_config_find(back, "mine"), "this console's profile landed");
	cr_assert_not_null(rc_config_find(back, want3), "the third writer's last file was undone");
	cr_assert_eq(back->n_servers, 1 + RC_MERGE_TRIES);
	rc_config_free(back);
	cr_assert_eq(a->n_servers, 2, "the console's configuration changed");
	cr_assert_not_null(rc_config_find(a, "mine"));
	cr_assert_null(rc_config_find(a, "first"));
	/* Quiet now: the next save merges onto the third writer's file. */
	bool merged = false;
	cr_assert_eq(add_and_merge(a, "later", &merged), 0, "%s", fx_err);
	cr_assert(merged);
	rc_config *last = load_ok();
	cr_assert_eq(last->n_servers, 1 + RC_MERGE_TRIES + 1);
	cr_assert_not_null(rc_config_find(last, want3));
	cr_assert_not_null(rc_config_find(last, "later"));
	rc_config_free(last);
	rc_config_free(a);
}
