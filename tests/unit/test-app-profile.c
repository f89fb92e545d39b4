/* test-app-profile.c: the file work of :add (src/app/app-profile.c) — the
 * profile lands in the configuration file and its password in a 0600 file
 * next to it; a taken password file name moves to NAME.2.pass and the file
 * that was there is untouched; a configuration that cannot be saved leaves
 * nothing behind (no password file, no profile); a bad profile is refused
 * before anything is written. */
#include <criterion/criterion.h>
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
	char pass[4200], bak[4200], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "s3cret", conf, pass, sizeof(pass), bak, sizeof(bak),
	    err, sizeof(err)), 0, "%s", err);
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
	char pass[4200], bak[4200], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw2", conf, pass, sizeof(pass), bak, sizeof(bak), err,
	    sizeof(err)), 0, "%s", err);
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
	char pass[4200], bak[4200], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak), err,
	    sizeof(err)), -1);
	cr_assert(strstr(err, "nothing was saved"), "%s", err);
	cr_assert_neq(access(pass, F_OK), 0, "the password file was left behind");
	cr_assert_null(rc_config_find(app_config(a), "modded"), "the profile was left in");
}

Test(addprof, a_bad_profile_is_refused_before_anything_is_written)
{
	rc_profile p = prof("dup", 25578);
	char pass[4200], bak[4200], err[9000] = "";
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak), err,
	    sizeof(err)), 0, "%s", err);
	unlink(pass);
	cr_assert_eq(app_profile_add(a, &p, "pw", conf, pass, sizeof(pass), bak, sizeof(bak), err,
	    sizeof(err)), -1, "a second profile of the same name");
	cr_assert(err[0]);
	cr_assert_neq(access(pass, F_OK), 0, "a password file was written for a refused profile");
	cr_assert_eq(app_profile_add(a, &p, "pw", NULL, pass, sizeof(pass), bak, sizeof(bak), err,
	    sizeof(err)), -1);
	cr_assert(strstr(err, "no configuration file"), "%s", err);
}
