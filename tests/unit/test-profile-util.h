/* test-profile-util.h: a scratch directory per test and file helpers for the
 * profile tests (each Criterion test runs in its own process, so the
 * globals here and any setenv/setrlimit/seteuid stay inside one test). */
#ifndef TEST_PROFILE_UTIL_H
#define TEST_PROFILE_UTIL_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../support/files.h"
#include "rconsole/error.h"
#include "rconsole/profile.h"

static char fx_dir[256];   /* the scratch directory */
static char fx_conf[512];  /* fx_dir/rconsole.conf */
static char fx_err[1024];  /* error text of the last call */

/* Makes a file or directory removable again (undoes chmod 000 tests). */
static inline int fx_unlock(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	chmod(path, flag == FTW_F ? 0600 : 0700);
	return 0;
}

/* Removes one entry during the recursive delete. */
static inline int fx_remove(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	remove(path);
	return 0;
}

/* Creates the scratch directory (Criterion .init). */
static inline void fx_setup(void)
{
	if (fx_dir[0])
		return;
	const char *tmp = getenv("TMPDIR");
	snprintf(fx_dir, sizeof fx_dir, "%s/rc-profile-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(fx_dir));
	snprintf(fx_conf, sizeof fx_conf, "%s/rconsole.conf", fx_dir);
	fx_err[0] = '\0';
}

/* Removes the scratch directory and everything in it (Criterion .fini). */
static inline void fx_teardown(void)
{
	if (geteuid() != getuid())
		(void)seteuid(getuid());
	nftw(fx_dir, fx_unlock, 16, FTW_PHYS);
	nftw(fx_dir, fx_remove, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to path with mode (files.h), asserting it worked. */
static inline void fx_write(const char *path, const char *text, mode_t mode)
{
	cr_assert_eq(files_write(path, text, (int)mode), 0, "write %s", path);
}

/* Writes text to fx_conf with mode and loads it. */
static inline int fx_load(const char *text, mode_t mode, rc_config **cfg)
{
	fx_write(fx_conf, text, mode);
	fx_err[0] = '\0';
	return rc_config_load(fx_conf, cfg, fx_err, sizeof fx_err);
}

/* Returns the number of entries in dir other than . and .. */
static inline int fx_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "opendir %s", dir);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* What each child of fx_race does once all have loaded: saves cfg, which
 * holds one new profile called name; returns its exit status (0 saved, 1
 * refused as the test expects, 2 anything else). */
typedef int (*fx_race_save)(rc_config *cfg, const char *name);

/* Forks n (at most 16) children that each load fx_conf and add profile
 * "p<i>" (host "h"), then, once every one has loaded, call save at the
 * same moment; waits for them all and fills status[i] with child i's exit
 * status (3: it could not load or add). */
static inline void fx_race(int n, fx_race_save save, int *status)
{
	int go[2], ready[2];
	pid_t pid[16];
	cr_assert(n > 0 && n <= 16);
	cr_assert_eq(pipe(go), 0);
	cr_assert_eq(pipe(ready), 0);
	for (int i = 0; i < n; i++) {
		pid[i] = fork();
		cr_assert_geq(pid[i], 0);
		if (pid[i] == 0) {
			rc_config *cfg;
			char err[1024], name[16];
			close(go[1]);
			close(ready[0]);
			if (rc_config_load(fx_conf, &cfg, err, sizeof err) < 0)
				_exit(3);
			snprintf(name, sizeof name, "p%d", i);
			rc_profile p;
			rc_profile_init(&p);
			p.name = name;
			p.host = "h";
			if (rc_config_add(cfg, &p, err, sizeof err) < 0)
				_exit(3);
			char c = 'r';
			if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 0)
				_exit(3); /* go: everyone has loaded, the parent closes */
			_exit(save(cfg, name));
		}
	}
	close(go[0]);
	close(ready[1]);
	char c;
	for (int i = 0; i < n; i++)
		cr_assert_eq(read(ready[0], &c, 1), 1, "a child did not load");
	close(ready[0]);
	close(go[1]);
	for (int i = 0; i < n; i++) {
		int st;
		cr_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
		cr_assert(WIFEXITED(st), "child %d died", i);
		status[i] = WEXITSTATUS(st);
		cr_assert_neq(status[i], 3, "child %d could not load", i);
	}
}

#endif
