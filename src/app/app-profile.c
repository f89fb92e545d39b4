/* app-profile.c: adding a profile to the configuration file (see
 * app-profile.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app-file.h"
#include "app/app-profile.h"

/* Creates dir and its parents (mode 0700); returns 0 or -1. */
static int profile_mkdirs(const char *dir)
{
	char buf[4096];
	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0700) < 0 && errno != EEXIST ? -1 : 0;
}

/* Writes the directory of the configuration file into dir[cap], made
 * absolute: the new profile's password_file is this directory's, and a
 * relative one (from --config rconsole.conf) would be looked for in the
 * directory of whatever later run reads the file.  Returns 0, or -1 when
 * the working directory cannot be had or the path does not fit. */
static int profile_config_dir(const char *cpath, char *dir, size_t cap)
{
	char cwd[4096] = "";
	if (cpath[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return -1;
	const char *rel = strncmp(cpath, "./", 2) ? cpath : cpath + 2;
	int n = snprintf(dir, cap, "%s%s%s", cwd, cwd[0] && strcmp(cwd, "/") ? "/" : "",
	    cpath[0] == '/' ? cpath : rel);
	if (n < 0 || (size_t)n >= cap) {
		errno = ENAMETOOLONG;
		return -1;
	}
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return 0;
}

/* Returns true when path may hold the new server's password: nothing is
 * there yet (so the rename replaces nothing: not another profile's password
 * file, not a stray file) and no profile names it as its password_file. */
static bool profile_pass_free(const rc_config *cfg, const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 || errno != ENOENT)
		return false;
	for (size_t i = 0; cfg && i < cfg->n_servers; i++) {
		const char *pf = cfg->servers[i].password_file;
		char full[4096];
		if (pf && rc_expand_home(pf, full, sizeof(full)) && strcmp(full, path) == 0)
			return false;
	}
	return true;
}

/* Writes the new server's password file name into path: dir/NAME.pass, or
 * dir/NAME.2.pass ... when that is taken (add_pass_free).  Returns 0 or -1. */
static int profile_pass_path(const rc_config *cfg, const char *dir, const char *name, char *path,
    size_t cap)
{
	const char *d = strcmp(dir, "/") ? dir : "";
	for (int n = 1; n < 100; n++) {
		if (n == 1)
			snprintf(path, cap, "%s/%s.pass", d, name);
		else
			snprintf(path, cap, "%s/%s.%d.pass", d, name, n);
		if (profile_pass_free(cfg, path))
			return 0;
	}
	return -1;
}

/* Writes password to path atomically with mode 0600; returns 0 or -1 with err. */
static int profile_write_password(const char *dir, const char *path, const char *password,
    char *err, size_t cap)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s/.rconsole-pass.XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, cap, "cannot create a file in %s: %s", dir, strerror(errno));
		return -1;
	}
	size_t len = strlen(password);
	bool ok = fchmod(fd, 0600) == 0 && write(fd, password, len) == (ssize_t)len &&
	    write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	int saved = errno;
	if (close(fd) < 0)
		ok = false;
	/* link() fails with EEXIST rather than replace a file that appeared
	 * since profile_pass_path() looked; rename only where links do not exist. */
	if (ok && link(tmp, path) < 0) {
		if ((errno != EPERM && errno != ENOTSUP && errno != EXDEV) || rename(tmp, path) < 0) {
			saved = errno;
			ok = false;
		}
	}
	unlink(tmp);
	if (!ok) {
		snprintf(err, cap, "cannot write %s: %s", path, strerror(saved));
		return -1;
	}
	app_file_sync_dir(path);   /* the configuration will name it: durable first */
	return 0;
}

/* Takes the new profile out of the configuration again after a failure. */
static void profile_undo(app *a, rc_config *cfg, const char *name)
{
	rc_config_remove(cfg, name);
	app_config_changed(a);
}

/* Adds p with password to a's configuration and saves it (see
 * app-profile.h). */
int app_profile_add(app *a, const rc_profile *p, const char *password, const char *config_path,
    char *pass, size_t pcap, char *bak, size_t bcap, char *err, size_t cap)
{
	rc_config *cfg = app_config(a);
	char dir[4096];
	if (bcap)
		bak[0] = '\0';
	if (!cfg || !config_path || !p || !p->name) {
		snprintf(err, cap, "no configuration file to add to");
		return -1;
	}
	if (profile_config_dir(config_path, dir, sizeof(dir)) < 0) {
		snprintf(err, cap, "cannot tell the directory of %s: %s", config_path, strerror(errno));
		return -1;
	}
	/* Never rename over a file that is there: it may be another profile's
	 * password file, and that server would lose its password. */
	if (profile_pass_path(cfg, dir, p->name, pass, pcap) < 0) {
		snprintf(err, cap, "no free password file name for %s in %s", p->name, dir);
		return -1;
	}
	rc_profile q = *p;
	q.password_file = pass;
	if (rc_config_add(cfg, &q, err, cap) < 0) {
		app_config_changed(a);
		return -1;
	}
	app_config_changed(a); /* the config's array may have moved */
	if (profile_mkdirs(dir) < 0) {
		int e = errno;
		profile_undo(a, cfg, p->name);
		snprintf(err, cap, "cannot create %s: %s; nothing was saved", dir, strerror(e));
		return -1;
	}
	bool existed = access(pass, F_OK) == 0;
	char werr[8704];
	if (profile_write_password(dir, pass, password, werr, sizeof(werr)) < 0) {
		profile_undo(a, cfg, p->name);
		snprintf(err, cap, "%s; nothing was saved", werr);
		return -1;
	}
	char serr[8704];
	if (rc_config_save_backup(cfg, bak, bcap, serr, sizeof(serr)) < 0) {
		if (!existed)
			unlink(pass);
		profile_undo(a, cfg, p->name);
		snprintf(err, cap, "%s; nothing was saved", serr);
		return -1;
	}
	return 0;
}
