/* app-profile.c: adding a profile to the configuration file and saving it
 * (see app-profile.h).
 *
 * Saves go through rc_config_save_merge(): when another rconsole or an
 * editor changed the file since it was read, this console's new profiles
 * are added to the file as it is now.  The configuration then holds the
 * merged profiles in place; the servers open here are pointed at their
 * profile in it when it is unchanged, and keep the one they were opened
 * with otherwise (changed or removed elsewhere: that copy, and the
 * configuration it belongs to, stay alive until the app is freed).  A
 * profile whose save failed only because the file could not be merged
 * into (it no longer loads, or kept changing) stays in memory, listed as
 * unsaved, and every later save carries it. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app-file.h"
#include "app/app-int.h"
#include "app/app-profile.h"

/* What this file keeps per app. */
struct app_profiles {
	char **unsaved;          /* profiles added here that the file lacks */
	size_t n_unsaved;
	rc_config **retired;     /* configurations a merge replaced (servers may
	                            still point into them) */
	size_t n_retired;
};

/* Returns a's app_profiles, made on first use; NULL when out of memory. */
static struct app_profiles *profiles_of(app *a)
{
	if (!a->profiles)
		a->profiles = calloc(1, sizeof(*a->profiles));
	return a->profiles;
}

/* Frees what app-profile.c keeps for a. */
void app_profiles_free(app *a)
{
	struct app_profiles *ps = a ? a->profiles : NULL;
	if (!ps)
		return;
	for (size_t i = 0; i < ps->n_unsaved; i++)
		free(ps->unsaved[i]);
	free(ps->unsaved);
	for (size_t i = 0; i < ps->n_retired; i++)
		rc_config_free(ps->retired[i]);
	free(ps->retired);
	free(ps);
	a->profiles = NULL;
}

/* Returns true when name is listed as unsaved. */
static bool profiles_unsaved_has(const struct app_profiles *ps, const char *name)
{
	for (size_t i = 0; ps && i < ps->n_unsaved; i++)
		if (strcmp(ps->unsaved[i], name) == 0)
			return true;
	return false;
}

/* Lists name as unsaved (kept in memory, not in the file); returns 0 or -1. */
static int profiles_unsaved_add(app *a, const char *name)
{
	struct app_profiles *ps = profiles_of(a);
	if (!ps)
		return -1;
	if (profiles_unsaved_has(ps, name))
		return 0;
	char **l = realloc(ps->unsaved, (ps->n_unsaved + 1) * sizeof(*l));
	if (!l)
		return -1;
	ps->unsaved = l;
	if (!(l[ps->n_unsaved] = strdup(name)))
		return -1;
	ps->n_unsaved++;
	return 0;
}

/* Empties the unsaved list (a save carried them all). */
static void profiles_unsaved_clear(app *a)
{
	struct app_profiles *ps = a->profiles;
	for (size_t i = 0; ps && i < ps->n_unsaved; i++)
		free(ps->unsaved[i]);
	if (ps)
		ps->n_unsaved = 0;
}

/* Appends name to the list in buf[cap] of *count names: the first three
 * by name, then "...". */
static void profiles_list_add(char *buf, size_t cap, size_t *count, const char *name)
{
	size_t len = strlen(buf);
	if (*count < 3)
		snprintf(buf + len, cap - len, "%s%s", *count ? ", " : "", name);
	else if (*count == 3)
		snprintf(buf + len, cap - len, ", ...");
	(*count)++;
}

/* Takes a's configuration as a merge left it (old: what it held before,
 * now owned here): servers whose profile is unchanged point at it in the
 * new one, the others keep theirs in old.  Writes into note[ncap] what
 * came from elsewhere ("" when nothing did): profiles added there, which
 * this console does not open, and profiles open here that were changed or
 * removed there. */
static void profiles_adopt(app *a, rc_config *old, const char *const *added, size_t n_added,
    char *note, size_t ncap)
{
	rc_config *cfg = a->cfg;
	char extra[256] = "", moved[256] = "";
	size_t n_extra = 0, n_moved = 0;
	for (size_t i = 0; i < cfg->n_servers; i++) {
		const char *name = cfg->servers[i].name;
		bool ours = false;
		for (size_t k = 0; k < n_added && !ours; k++)
			ours = strcmp(added[k], name) == 0;
		if (!ours && !rc_config_find(old, name) && app_find(a, name) < 0)
			profiles_list_add(extra, sizeof(extra), &n_extra, name);
	}
	for (size_t i = 0; i < a->n; i++) {
		app_srv *s = a->srv[i];
		if (s->cfg_index < 0)
			continue;
		rc_profile *p = rc_config_find(cfg, s->pub.name);
		if (p && rc_profile_equal(p, s->pub.profile)) {
			s->pub.profile = p;
			s->cfg_index = (long)(p - cfg->servers);
		} else {
			s->cfg_index = -1;   /* runs on as it was opened, from old */
			profiles_list_add(moved, sizeof(moved), &n_moved, s->pub.name);
		}
	}
	struct app_profiles *ps = profiles_of(a);
	rc_config **l = ps ? realloc(ps->retired, (ps->n_retired + 1) * sizeof(*l)) : NULL;
	if (l) {
		ps->retired = l;
		l[ps->n_retired++] = old;
	}   /* else old is leaked rather than freed under the servers using it */
	app_config_changed(a);
	note[0] = '\0';
	size_t len = 0;
	if (n_extra)
		len = (size_t)snprintf(note, ncap, "%zu profile%s added elsewhere %s in the file "
		    "(%s); restart rconsole to open %s", n_extra, n_extra == 1 ? "" : "s",
		    n_extra == 1 ? "is" : "are", extra, n_extra == 1 ? "it" : "them");
	if (n_moved && len < ncap)
		snprintf(note + len, ncap - len, "%s%zu profile%s open here %s changed or removed "
		    "elsewhere (%s): %s the settings %s opened with until restart",
		    len ? "; " : "", n_moved, n_moved == 1 ? "" : "s",
		    n_moved == 1 ? "was" : "were", moved, n_moved == 1 ? "it keeps" : "they keep",
		    n_moved == 1 ? "it was" : "they were");
}

/* Saves cfg (a's configuration) with the unsaved profiles and extra (NULL:
 * none) carried over a file changed elsewhere (rc_config_save_merge), and
 * takes the merged configuration.  Returns rc_config_save_merge's code. */
static int profiles_save(app *a, rc_config *cfg, const char *extra, char *bak, size_t bcap,
    char *note, size_t ncap, char *err, size_t cap)
{
	struct app_profiles *ps = a->profiles;
	size_t n = ps ? ps->n_unsaved : 0;
	const char **added = calloc(n + 1, sizeof(*added));
	if (!added) {
		snprintf(err, cap, "out of memory");
		return RC_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		added[i] = ps->unsaved[i];
	if (extra && !profiles_unsaved_has(ps, extra))
		added[n++] = extra;
	rc_config *old = NULL;
	if (ncap)
		note[0] = '\0';
	int rc = rc_config_save_merge(cfg, added, n, &old, bak, bcap, err, cap);
	if (rc == 0 && old)
		profiles_adopt(a, old, added, n, note, ncap);
	free(added);
	if (rc == 0)
		profiles_unsaved_clear(a);
	return rc;
}

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
    char *pass, size_t pcap, char *bak, size_t bcap, char *note, size_t ncap, char *err,
    size_t cap)
{
	rc_config *cfg = app_config(a);
	char dir[4096];
	if (bcap)
		bak[0] = '\0';
	if (ncap)
		note[0] = '\0';
	if (!cfg || !config_path || !p || !p->name) {
		snprintf(err, cap, "no configuration file to add to");
		return -1;
	}
	/* Nothing, not even the password file, goes into a directory the save
	 * would refuse (a group- or world-writable one). */
	if (rc_config_save_check(cfg, err, cap) < 0)
		return -1;
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
	int rc = profiles_save(a, cfg, p->name, bak, bcap, note, ncap, serr, sizeof(serr));
	if (rc == RC_ECONFIG && profiles_unsaved_add(a, p->name) == 0) {
		/* The file could not be merged into: the profile stays here. */
		snprintf(err, cap, "%s; %s is kept in this console only (lost at exit), its "
		    "password in %s: once the file loads again, :save saves it", serr, p->name,
		    pass);
		return 1;
	}
	if (rc < 0) {
		if (!existed)
			unlink(pass);
		profile_undo(a, cfg, p->name);
		snprintf(err, cap, "%s%s", serr, strstr(serr, "nothing was saved") ? "" :
		    "; nothing was saved");
		return -1;
	}
	return 0;
}

/* Saves a's configuration (:save), carrying the unsaved profiles (see
 * app-profile.h). */
int app_profile_save(app *a, char *bak, size_t bcap, char *note, size_t ncap, char *err,
    size_t cap)
{
	rc_config *cfg = app_config(a);
	if (bcap)
		bak[0] = '\0';
	if (ncap)
		note[0] = '\0';
	if (!cfg || !cfg->path) {
		snprintf(err, cap, "no configuration file to save to");
		return -1;
	}
	return profiles_save(a, cfg, NULL, bak, bcap, note, ncap, err, cap) < 0 ? -1 : 0;
}

/* Returns how many profiles added here are not in the file yet. */
size_t app_profile_unsaved(const app *a)
{
	return a && a->profiles ? a->profiles->n_unsaved : 0;
}
