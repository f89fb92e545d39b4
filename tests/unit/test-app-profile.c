/* test-app-profile.c: the file work of :add (src/app/app-profile.c) — the
 * profile lands in the configuration file and its password in a 0600 file
 * next to it; a taken password file name moves to NAME.2.pass and the file
 * that was there is untouched; a configuration that cannot be saved leaves
 * nothing behind (no password file, no profile); a bad profile is refused
 * before anything is written; nothing at all goes into a directory the
 * save would refuse. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app-profile.h"

static char dir[] = "/tmp/rconsole-test-addprof.XXXXXX";
static char conf[300];
static rc_loop *loop;
static rc_config *cfg;
static app *a;

/* Makes a directory, an empty configuration for dir/rconsole.conf and an app. */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/rconsole.conf", dir);
	loop = rc_loop_new();
	cfg = rc_config_new(conf);
	cr_assert(loop && cfg);
	app_opts o = { .refresh_override = -1, .health_override = -1, .state_dir = dir,
		.cache_dir = dir };
	a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
}

/* Frees it all and removes the directory. */
static void teardown(void)
{
	app_free(a);
	rc_config_free(cfg);
	rc_loop_free(loop);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", dir, dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(addprof, .init = setup, .fini = teardown);

/* Returns the first line of file p in buf (newline cut), or NULL. */
static char *first_line(const char *p, char *buf, size_t cap)
{
	FILE *f = fopen(p, "r");
	if (!f)
		return NULL;
	char *r = fgets(buf, (int)cap, f);
	fclose(f);
	if (r)
		buf[strcspn(buf, "\n")] = '\0';
	return r;
}

/* Returns a profile named name for 127.0.0.1:port. */
static rc_profile prof(const char *name, int port)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = (char *)name;
	p.host = "127.0.0.1";
	p.port = port;
	return p;
}

Test(addprof, the_profile_and_its_password_are_saved)
{
	rc_profile p = prof("survival", 25575);
	char pass[4200], bak[4200], note[1024], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "s3cret", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), 0, "%s", err);
	char want[400], line[256];
	snprintf(want, sizeof(want), "%s/survival.pass", dir);
	cr_assert_str_eq(pass, want);
	cr_assert_str_eq(bak, "", "no hand-written file to keep");
	cr_assert_not_null(first_line(pass, line, sizeof(line)));
	cr_assert_str_eq(line, "s3cret");
	struct stat st;
	cr_assert_eq(stat(pass, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	/* The saved file loads back with the profile pointing at that file. */
	char lerr[512];
	rc_config *back = NULL;
	cr_assert_geq(rc_config_load(conf, &back, lerr, sizeof(lerr)), 0, "%s", lerr);
	cr_assert_not_null(back);
	const rc_profile *got = rc_config_find(back, "survival");
	cr_assert_not_null(got);
	cr_assert_str_eq(got->password_file, pass);
	cr_assert_eq(got->port, 25575);
	rc_config_free(back);
	cr_assert_not_null(rc_config_find(app_config(a), "survival"));
}

Test(addprof, a_taken_password_file_is_never_replaced)
{
	char taken[400], line[256];
	snprintf(taken, sizeof(taken), "%s/lobby.pass", dir);
	FILE *f = fopen(taken, "w");
	cr_assert_not_null(f);
	fputs("someone else's\n", f);
	fclose(f);
	rc_profile p = prof("lobby", 25576);
	char pass[4200], bak[4200], note[1024], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw2", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), 0, "%s", err);
	char want[400];
	snprintf(want, sizeof(want), "%s/lobby.2.pass", dir);
	cr_assert_str_eq(pass, want);
	cr_assert_str_eq(first_line(taken, line, sizeof(line)), "someone else's");
	cr_assert_str_eq(first_line(pass, line, sizeof(line)), "pw2");
}

Test(addprof, a_failed_save_leaves_nothing_behind)
{
	/* The configuration "file" is a directory: saving it must fail. */
	cr_assert_eq(mkdir(conf, 0700), 0);
	rc_profile p = prof("modded", 25577);
	char pass[4200], bak[4200], note[1024], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), -1);
	cr_assert(strstr(err, "nothing was saved"), "%s", err);
	cr_assert_neq(access(pass, F_OK), 0, "the password file was left behind");
	cr_assert_null(rc_config_find(app_config(a), "modded"), "the profile was left in");
}

Test(addprof, a_bad_profile_is_refused_before_anything_is_written)
{
	rc_profile p = prof("dup", 25578);
	char pass[4200], bak[4200], note[1024], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), 0, "%s", err);
	unlink(pass);
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), -1, "a second profile of the same name");
	cr_assert(err[0]);
	cr_assert_neq(access(pass, F_OK), 0, "a password file was written for a refused profile");
	cr_assert_eq(app_profile_add(a, &p, "pw", NULL, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), -1);
	cr_assert(strstr(err, "no configuration file"), "%s", err);
}

/* A directory the save refuses (group-writable) gets nothing, not even the
 * password file for a moment: the directory's time, set far back first,
 * stays as it was (a file made and removed there would move it). */
Test(addprof, an_untrusted_directory_gets_no_file_at_all)
{
	cr_assert_eq(chmod(dir, 0770), 0);
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	cr_assert_eq(utimensat(AT_FDCWD, dir, old, 0), 0);
	rc_profile p = prof("exposed", 25579);
	char pass[4200] = "", bak[4200], note[1024], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), -1);
	cr_assert(strstr(err, "is writable by its group"), "%s", err);
	cr_assert(strstr(err, "nothing was saved"), "%s", err);
	struct stat st;
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mtim.tv_sec, 1000000000, "something was written in %s and removed",
	    dir);
	char want[400];
	snprintf(want, sizeof(want), "%s/exposed.pass", dir);
	cr_assert_neq(access(want, F_OK), 0);
	cr_assert_null(rc_config_find(app_config(a), "exposed"), "the profile was left in");
	cr_assert_eq(rc_config_save_check(app_config(a), err, sizeof(err)), RC_EIO);
	cr_assert_eq(chmod(dir, 0700), 0);
	cr_assert_eq(rc_config_save_check(app_config(a), err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rc_config_save_check(NULL, err, sizeof(err)), RC_EINVAL);
}

/* Writes text to conf (mode 0600) and makes the app anew on the file as
 * loaded: the save's change check applies only to a loaded file. */
static void reload(const char *text)
{
	FILE *f = fopen(conf, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(chmod(conf, 0600), 0);
	app_free(a);
	rc_config_free(cfg);
	char err[1024];
	cr_assert_eq(rc_config_load(conf, &cfg, err, sizeof(err)), 0, "%s", err);
	app_opts o = { .refresh_override = -1, .health_override = -1, .state_dir = dir,
		.cache_dir = dir };
	a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
}

/* What another rconsole on the same file does: load, add name, save. */
static void add_elsewhere(const char *name)
{
	rc_config *other = NULL;
	char err[1024];
	cr_assert_eq(rc_config_load(conf, &other, err, sizeof(err)), 0, "%s", err);
	rc_profile p = prof(name, 25580);
	cr_assert_eq(rc_config_add(other, &p, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(rc_config_save(other, err, sizeof(err)), 0, "%s", err);
	rc_config_free(other);
}

static const char two_servers[] =
	"servers = ( { name = \"same\"; host = \"127.0.0.1\"; port = 25590; },\n"
	"  { name = \"edited\"; host = \"127.0.0.1\"; port = 25591; } );\n";

/* Another console's :add in between: this :add is merged into the file, the
 * app's configuration is the merged one, the servers open here point into
 * it (or keep their own profile when it was changed elsewhere), and the
 * note says what came from elsewhere. */
Test(addprof, an_add_elsewhere_is_merged_and_said)
{
	reload(two_servers);
	char err[9000] = "", pass[4200], bak[4200], note[1024];
	cr_assert_geq(app_add(a, rc_config_find(cfg, "same"), "pw", err, sizeof(err)), 0, "%s", err);
	cr_assert_geq(app_add(a, rc_config_find(cfg, "edited"), "pw", err, sizeof(err)), 0, "%s",
	    err);
	add_elsewhere("theirs");
	/* An editor changes the port of "edited" too. */
	rc_config *other = NULL;
	cr_assert_eq(rc_config_load(conf, &other, err, sizeof(err)), 0, "%s", err);
	rc_config_find(other, "edited")->port = 25599;
	cr_assert_eq(rc_config_save(other, err, sizeof(err)), 0, "%s", err);
	rc_config_free(other);

	rc_profile p = prof("mine", 25581);
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), 0, "%s", err);
	cr_assert(strstr(note, "1 profile added elsewhere is in the file (theirs); restart "
	    "rconsole to open it"), "%s", note);
	cr_assert(strstr(note, "1 profile open here was changed or removed elsewhere (edited): it "
	    "keeps the settings it was opened with until restart"), "%s", note);
	rc_config *back = NULL;
	cr_assert_eq(rc_config_load(conf, &back, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(back->n_servers, 4);
	cr_assert_not_null(rc_config_find(back, "theirs"));
	cr_assert_not_null(rc_config_find(back, "mine"));
	cr_assert_eq(rc_config_find(back, "edited")->port, 25599, "the editor's change was undone");
	rc_config_free(back);
	/* In memory: the merged configuration. */
	cr_assert_eq(app_config(a), cfg);
	cr_assert_not_null(rc_config_find(cfg, "theirs"));
	cr_assert_eq(app_get(a, 0)->profile, rc_config_find(cfg, "same"));
	cr_assert_neq(app_get(a, 1)->profile, rc_config_find(cfg, "edited"));
	cr_assert_eq(app_get(a, 1)->profile->port, 25591, "the open server kept its settings");
	cr_assert_eq(app_profile_unsaved(a), 0);
	/* The next save needs no merge. */
	rc_profile q = prof("next", 25582);
	cr_assert_eq(app_profile_add(a, &q, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(note, "");
}

/* A profile of the same name (ignoring case) added elsewhere meanwhile: a
 * clear error, nothing saved, nothing left behind. */
Test(addprof, a_name_added_elsewhere_meanwhile_is_refused)
{
	reload(two_servers);
	add_elsewhere("Clash");
	char *before = NULL;
	size_t blen = 0;
	FILE *f = fopen(conf, "r");
	cr_assert_not_null(f);
	cr_assert_geq(getdelim(&before, &blen, '\0', f), 0);
	fclose(f);
	rc_profile p = prof("clash", 25581);
	char err[9000] = "", pass[4200], bak[4200], note[1024];
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), -1);
	cr_assert(strstr(err, "now holds a profile of the same name: profile clash already exists "
	    "as Clash"), "%s", err);
	cr_assert(strstr(err, "nothing was saved"), "%s", err);
	cr_assert_neq(access(pass, F_OK), 0, "the password file was left behind");
	cr_assert_null(rc_config_find(cfg, "clash"));
	char *after = NULL;
	size_t alen = 0;
	f = fopen(conf, "r");
	cr_assert_not_null(f);
	cr_assert_geq(getdelim(&after, &alen, '\0', f), 0);
	fclose(f);
	cr_assert_str_eq(after, before);
	free(before);
	free(after);
	cr_assert_eq(app_profile_unsaved(a), 0);
}

/* A file an editor left broken: file:line in the error, nothing saved, the
 * profile kept in memory with its password file; once the file is fixed,
 * :save (app_profile_save) saves it. */
Test(addprof, a_broken_file_keeps_the_profile_in_memory_until_save)
{
	reload(two_servers);
	FILE *f = fopen(conf, "w");
	cr_assert_not_null(f);
	fputs("servers = (\n  { name = \"same\"; host = ; } );\n", f);
	cr_assert_eq(fclose(f), 0);
	rc_profile p = prof("kept", 25581);
	char err[9000] = "", pass[4200], bak[4200], note[1024];
	int rc = app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak), note,
	    sizeof(note), err, sizeof(err));
	cr_assert_eq(rc, 1, "%d: %s", rc, err);
	char want[600];
	snprintf(want, sizeof(want), "no longer loads: %s:2: ", conf);
	cr_assert(strstr(err, want), "%s", err);
	cr_assert(strstr(err, "kept is kept in this console only (lost at exit)"), "%s", err);
	cr_assert_eq(access(pass, F_OK), 0, "the password file is kept for the profile");
	cr_assert_not_null(rc_config_find(cfg, "kept"));
	cr_assert_eq(app_profile_unsaved(a), 1);
	/* Still broken: :save says so and keeps it. */
	cr_assert_eq(app_profile_save(a, bak, sizeof(bak), note, sizeof(note), err, sizeof(err)), -1);
	cr_assert(strstr(err, want), "%s", err);
	cr_assert_eq(app_profile_unsaved(a), 1);
	/* Fixed by hand (another profile added there meanwhile). */
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fputs("servers = ( { name = \"same\"; host = \"127.0.0.1\"; port = 25590; },\n"
	    "  { name = \"fixer\"; host = \"h\"; } );\n", f);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(app_profile_save(a, bak, sizeof(bak), note, sizeof(note), err, sizeof(err)), 0,
	    "%s", err);
	cr_assert(strstr(note, "(fixer)"), "%s", note);
	cr_assert_eq(app_profile_unsaved(a), 0);
	rc_config *back = NULL;
	cr_assert_eq(rc_config_load(conf, &back, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(back->n_servers, 3);
	cr_assert_not_null(rc_config_find(back, "kept"));
	cr_assert_str_eq(rc_config_find(back, "kept")->password_file, pass);
	cr_assert_null(rc_config_find(back, "edited"), "the fix removed it");
	rc_config_free(back);
}
