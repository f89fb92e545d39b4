/* test-app-profile-relative.c: :add with a configuration named by a
 * relative path (rconsole --config rconsole.conf) saves an absolute
 * password_file, so the profile works from any directory afterwards.
 * Before: password_file = "./NAME.pass", looked for in the working
 * directory of each later run. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app-profile.h"
#include "../support/files.h"

static char dir[] = "/tmp/rconsole-test-addrel.XXXXXX";
static char old_cwd[4096];

/* Makes the directory and goes into it. */
static void setup(void)
{
	cr_assert_not_null(getcwd(old_cwd, sizeof(old_cwd)));
	cr_assert_not_null(mkdtemp(dir));
	char sub[400];
	snprintf(sub, sizeof(sub), "%s/conf", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert_eq(chdir(dir), 0);
}

/* Goes back and removes the directory. */
static void teardown(void)
{
	cr_assert_eq(chdir(old_cwd), 0);
	cr_assert_eq(files_remove_tree(dir), 0);
}

TestSuite(addrel, .init = setup, .fini = teardown);

/* Adds a profile to the configuration at the relative path rel, then reads
 * the saved file back from another directory and resolves its password. */
static void add_then_read_elsewhere(const char *rel, const char *name)
{
	rc_loop *loop = rc_loop_new();
	rc_config *cfg = rc_config_new(rel);
	cr_assert(loop && cfg);
	app_opts o = { .refresh_override = -1, .health_override = -1, .state_dir = dir,
		.cache_dir = dir };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	rc_profile p;
	rc_profile_init(&p);
	p.name = (char *)name;
	p.host = "127.0.0.1";
	p.port = 25575;
	char pass[4200], bak[4200], note[1024], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "s3cret", rel, pass, sizeof(pass), bak, sizeof(bak),
	    note, sizeof(note), err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(pass[0], '/', "an absolute password file: %s", pass);
	app_free(a);
	rc_config_free(cfg);
	rc_loop_free(loop);

	char full[4400], lerr[512];
	snprintf(full, sizeof(full), "%s/%s", dir, rel);
	cr_assert_eq(chdir("/"), 0, "another working directory");
	rc_config *back = NULL;
	cr_assert_geq(rc_config_load(full, &back, lerr, sizeof(lerr)), 0, "%s", lerr);
	const rc_profile *got = rc_config_find(back, name);
	cr_assert_not_null(got);
	char *pw = NULL;
	cr_assert_eq(rc_profile_password(got, &pw, lerr, sizeof(lerr)), 0, "%s", lerr);
	cr_assert_str_eq(pw, "s3cret");
	free(pw);
	rc_config_free(back);
	cr_assert_eq(chdir(dir), 0);
}

Test(addrel, a_bare_file_name)
{
	add_then_read_elsewhere("rconsole.conf", "survival");
}

Test(addrel, a_dot_slash_path_and_a_subdirectory)
{
	add_then_read_elsewhere("./rconsole.conf", "lobby");
	add_then_read_elsewhere("conf/rconsole.conf", "modded");
}
