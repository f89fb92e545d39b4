/* profile.c: loads and validates the libconfig profile file (DESIGN.md
 * section 4).  The only file of the project that includes libconfig.
 *
 * The file is opened once and everything is judged on that descriptor: the
 * mode check (an inline password in a file readable by group or others is
 * refused) looks at the very file that was read.  The text is read whole
 * (at most 1 MiB), pre-scanned (profile-scan.c: wrapped integers, @include,
 * NUL bytes) and parsed with config_read_string().  Each key is then checked
 * against the table in profile-key.c; errors read
 *   "/path/rconsole.conf:12: servers[1] (lobby): port: expected an integer 1-65535"
 * and unknown keys become warnings with the same file:line prefix.  Values
 * are never quoted in messages: a misplaced password must not leak. */
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "lib/profile-int.h"

/* The state of one load. */
struct load {
	const char *path;
	rc_config *cfg;
	mode_t mode;         /* the file's mode, for the inline password rule */
	char where[128];     /* "servers[1] (lobby)" or "" at the top level */
	struct profile_fold fold; /* the names so far, without case */
	char *err;
	size_t cap;
};

/* Writes "path:line: where: key: message" into the error; returns RC_ECONFIG. */
static int load_fail(struct load *ld, int line, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Writes "path:line: where: key: message" into the error; returns RC_ECONFIG. */
static int load_fail(struct load *ld, int line, const char *key, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return profile_key_fail(ld->err, ld->cap, RC_ECONFIG, "%s:%d: %s%s%s%s%s", ld->path, line,
				ld->where, *ld->where ? ": " : "", key ? key : "", key ? ": " : "", msg);
}

/* Judges an unknown key s: a near miss of a known key (profile_key_near) is
 * an error saying which key was meant, as is a per-server key written at
 * the top level (read_only there would protect nothing); a global key
 * inside a server is a warning saying it is global (ignored there, as
 * before); any other unknown key is recorded as a warning, "path:line:
 * where: unknown key 'name'", so a file written for a newer rconsole still
 * loads.  top says whether s
 * is a global (top-level) setting. */
static int load_unknown(struct load *ld, const config_setting_t *s, bool top)
{
	const char *name = config_setting_name(s);
	int line = config_setting_source_line(s);
	static const struct profile_key servers_key = { .name = "servers" };
	const char *near;
	if (!name)
		name = "?";
	if (top) {
		if (profile_key_find(profile_keys, profile_n_keys, name))
			return load_fail(ld, line, name, "is a per-server key: set it inside each "
					 "server's { ... } in servers = ( ... )");
		near = profile_key_near(profile_globals, profile_n_globals, name);
		if (!near)
			near = profile_key_near(&servers_key, 1, name);
		if (!near && (near = profile_key_near(profile_keys, profile_n_keys, name)))
			return load_fail(ld, line, NULL, "unknown key '%s': did you mean %s? (a "
					 "per-server key: set it inside each server's { ... })", name,
					 near);
	} else {
		if (profile_key_find(profile_globals, profile_n_globals, name)) {
			profile_key_warn(ld->cfg, "%s:%d: %s: '%s' is a global key: set it at the top "
					 "level, outside servers = ( ... ) (ignored here)", ld->path,
					 line, ld->where, name);
			return 0;
		}
		near = profile_key_near(profile_keys, profile_n_keys, name);
	}
	if (near)
		return load_fail(ld, line, NULL, "unknown key '%s': did you mean %s? (a misspelt "
				 "key is an error, not ignored)", name, near);
	profile_key_warn(ld->cfg, "%s:%d: %s%sunknown key '%s' (ignored)", ld->path, line,
			 ld->where, *ld->where ? ": " : "", name);
	return 0;
}

/* Reads an integer setting of either libconfig integer type. */
static bool setting_int(const config_setting_t *s, long long *v)
{
	if (config_setting_type(s) == CONFIG_TYPE_INT)
		*v = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		*v = config_setting_get_int64(s);
	else
		return false;
	return true;
}

/* Reads integer key k from s into the int at field. */
static int load_int(struct load *ld, const struct profile_key *k, const config_setting_t *s,
		    int *field)
{
	long long v;
	char range[PROFILE_WHY_MAX];
	if (!setting_int(s, &v) || !profile_key_int_ok(k, v))
		return load_fail(ld, config_setting_source_line(s), k->name, "expected %s",
				 profile_key_expect(k, range, sizeof range));
	*field = (int)v;
	return 0;
}

/* Reads string key k from s into *field (a new copy). */
static int load_str(struct load *ld, const struct profile_key *k, const config_setting_t *s,
		    char **field)
{
	int line = config_setting_source_line(s);
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return load_fail(ld, line, k->name, "expected %s", k->expect);
	const char *v = config_setting_get_string(s);
	char buf[PROFILE_WHY_MAX];
	const char *why = profile_key_check_str(k, v, buf, sizeof buf);
	if (why)
		return load_fail(ld, line, k->name, "%s", why);
	char quoted[4200];
	if ((k->flags & PROFILE_SECRET) && (ld->mode & (S_IRGRP | S_IROTH)))
		return load_fail(ld, line, k->name,
				 "inline password in a file readable by group or others; "
				 "run: chmod 600 %s", profile_shell_word(ld->path, quoted, sizeof quoted));
	free(*field);
	if (!(*field = strdup(v)))
		return load_fail(ld, line, k->name, "out of memory");
	return 0;
}

/* Reads list key k (a list or array of strings) from s.  Errors name the
 * key's line and the item number: libconfig numbers a scalar item with the
 * line of the token after it, which may be the next line. */
static int load_list(struct load *ld, const struct profile_key *k, const config_setting_t *s,
		     char ***field, size_t *count)
{
	int line = config_setting_source_line(s);
	if (config_setting_type(s) != CONFIG_TYPE_ARRAY && config_setting_type(s) != CONFIG_TYPE_LIST)
		return load_fail(ld, line, k->name, "expected %s", k->expect);
	int n = config_setting_length(s);
	char **l = calloc((size_t)n + 1, sizeof *l);
	if (!l)
		return load_fail(ld, line, k->name, "out of memory");
	*field = l;
	for (int i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return load_fail(ld, line, k->name, "item %d: expected a string", i + 1);
		char buf[PROFILE_WHY_MAX];
		const char *why = profile_key_check_str(k, config_setting_get_string(e), buf, sizeof buf);
		if (why)
			return load_fail(ld, line, k->name, "item %d: %s", i + 1, why);
		if (!(l[i] = strdup(config_setting_get_string(e))))
			return load_fail(ld, line, k->name, "out of memory");
		*count = (size_t)i + 1;
	}
	return 0;
}

/* Reads one key into p (a profile, or the config for a global key). */
static int load_key(struct load *ld, const struct profile_key *k, const config_setting_t *s,
		    void *p)
{
	void *f = profile_key_field(k, p);
	int line = config_setting_source_line(s);
	switch (k->kind) {
	case PROFILE_STR:
		return load_str(ld, k, s, f);
	case PROFILE_INT:
		return load_int(ld, k, s, f);
	case PROFILE_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return load_fail(ld, line, k->name, "expected %s", k->expect);
		*(bool *)f = config_setting_get_bool(s) != 0;
		return 0;
	case PROFILE_SWITCH:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return load_fail(ld, line, k->name, "expected %s", k->expect);
		*(int *)f = config_setting_get_bool(s) ? RC_PROFILE_ON : RC_PROFILE_OFF;
		return 0;
	case PROFILE_CHOICE: {
		int i = config_setting_type(s) == CONFIG_TYPE_STRING
				? profile_key_choice(k, config_setting_get_string(s)) : -1;
		if (i < 0)
			return load_fail(ld, line, k->name, "expected %s", k->expect);
		*(int *)f = i;
		return 0;
	}
	case PROFILE_LIST:
		return load_list(ld, k, s, f, profile_key_count(k, p));
	}
	return load_fail(ld, line, k->name, "unknown kind");
}

/* Sets ld->where to "servers[i]", plus " (name)" when the name is valid. */
static void load_label(struct load *ld, const config_setting_t *g, int i)
{
	const char *name = NULL;
	char why[PROFILE_WHY_MAX];
	const struct profile_key *k = profile_key_find(profile_keys, profile_n_keys, "name");
	if (!config_setting_lookup_string(g, "name", &name) ||
	    profile_key_check_str(k, name, why, sizeof why))
		name = NULL;
	if (name)
		snprintf(ld->where, sizeof ld->where, "servers[%d] (%s)", i, name);
	else
		snprintf(ld->where, sizeof ld->where, "servers[%d]", i);
}

/* Warns about password settings that will be ignored or are exposed. */
static void load_password_warnings(struct load *ld, const rc_profile *p)
{
	if (p->password_file && (p->password_env || p->password))
		profile_key_warn(ld->cfg, "%s:%d: %s: password_file is used; %s ignored", ld->path,
				 p->line, ld->where,
				 p->password_env ? "password_env is" : "the inline password is");
	else if (p->password_env && p->password)
		profile_key_warn(ld->cfg, "%s:%d: %s: password_env is used; the inline password is "
				 "ignored", ld->path, p->line, ld->where);
	/* The password is read later (and its file judged again, on the very
	 * file opened then); the early word is what --check-config shows. */
	char full[4096], why[8400] = "", warn[8400] = "";
	struct stat st;
	if (p->password_file && rc_expand_home(p->password_file, full, sizeof full) &&
	    stat(full, &st) == 0 &&
	    profile_password_mode(full, &st, why, sizeof why, warn, sizeof warn) < 0)
		snprintf(warn, sizeof warn, "%s", why);
	if (warn[0])
		profile_key_warn(ld->cfg, "%s:%d: %s: %s", ld->path, p->line, ld->where, warn);
}

/* Loads server i (group g) and appends it to the configuration; a non-group
 * is reported at list_line, the line of "servers" (see load_list). */
static int load_server(struct load *ld, const config_setting_t *g, int i, int list_line)
{
	int line = config_setting_source_line(g);
	load_label(ld, g, i);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return load_fail(ld, list_line, NULL, "expected a group { name = ...; host = ...; }");
	rc_profile p;
	rc_profile_init(&p);
	p.line = line;
	int rc = 0;
	int n = config_setting_length(g);
	for (int j = 0; j < n && rc == 0; j++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)j);
		const struct profile_key *k = profile_key_find(profile_keys, profile_n_keys,
							       config_setting_name(s));
		if (k)
			rc = load_key(ld, k, s, &p);
		else
			rc = load_unknown(ld, s, false);
	}
	for (size_t j = 0; j < profile_n_keys && rc == 0; j++) {
		const struct profile_key *k = &profile_keys[j];
		if ((k->flags & PROFILE_REQUIRED) && !*(char **)profile_key_field(k, &p))
			rc = load_fail(ld, line, k->name, "is required");
	}
	const char *tkey, *twhy = rc == 0 ? profile_key_tunnel_check(&p, &tkey) : NULL;
	if (twhy) {
		const config_setting_t *ts = config_setting_get_member(g, tkey);
		rc = load_fail(ld, ts ? (int)config_setting_source_line(ts) : line, tkey, "%s", twhy);
	}
	const rc_profile *dup = rc == 0 ? rc_config_find(ld->cfg, p.name) : NULL;
	if (dup)
		rc = load_fail(ld, config_setting_source_line(config_setting_get_member(g, "name")),
			       "name", "%s is already used by the profile at line %d", p.name,
			       dup->line);
	size_t prev = 0;
	int folded = rc == 0 ? profile_fold_add(&ld->fold, p.name, ld->cfg->n_servers, &prev) : 0;
	if (folded == 1)
		rc = load_fail(ld, config_setting_source_line(config_setting_get_member(g, "name")),
			       "name", "%s differs only in case from %s, the profile at line %d "
			       "(keep one spelling: names are typed as words, and :tag and "
			       "file names may ignore case)", p.name, ld->cfg->servers[prev].name,
			       ld->cfg->servers[prev].line);
	else if (folded < 0)
		rc = load_fail(ld, line, NULL, "out of memory");
	if (rc == 0) {
		load_password_warnings(ld, &p);
		if (profile_key_append(ld->cfg, &p) < 0)
			rc = load_fail(ld, line, NULL, "out of memory");
	}
	profile_key_clear(&p);
	return rc;
}

/* Loads the top level: global keys and the servers list. */
static int load_root(struct load *ld, const config_setting_t *root)
{
	int n = config_setting_length(root);
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(root, (unsigned)i);
		const char *name = config_setting_name(s);
		const struct profile_key *k = profile_key_find(profile_globals, profile_n_globals, name);
		int rc = 0;
		if (k) {
			rc = load_key(ld, k, s, ld->cfg);
		} else if (strcmp(name, "servers") == 0) {
			int type = config_setting_type(s);
			if (type != CONFIG_TYPE_LIST &&
			    !(type == CONFIG_TYPE_ARRAY && config_setting_length(s) == 0))
				return load_fail(ld, config_setting_source_line(s), "servers",
						 "expected a list ( { name = ...; host = ...; }, ... )");
			profile_fold_free(&ld->fold);
			if (profile_fold_init(&ld->fold, (size_t)config_setting_length(s)) < 0)
				return load_fail(ld, config_setting_source_line(s), NULL,
						 "out of memory");
			for (int j = 0; j < config_setting_length(s) && rc == 0; j++)
				rc = load_server(ld, config_setting_get_elem(s, (unsigned)j), j,
						 config_setting_source_line(s));
			profile_fold_free(&ld->fold);
			ld->where[0] = '\0';
		} else {
			rc = load_unknown(ld, s, true);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Grows buf (cap bytes used, content in the first n) to new_cap + 1 bytes,
 * wiping the old copy (a profile file may hold passwords); NULL when out of
 * memory (buf is then still the caller's). */
static char *profile_read_grow(char *buf, size_t n, size_t new_cap)
{
	char *p = malloc(new_cap + 1);
	if (p && buf) {
		memcpy(p, buf, n);
		explicit_bzero(buf, n);
		free(buf);
	}
	return p;
}

/* Reads the whole regular file fd (see profile-int.h).  The buffer starts
 * at the size fstat gives (one byte more, to see the end at once), so a
 * small file costs a small allocation; a file that grows while it is read,
 * or that reports no size (procfs), doubles it up to the limit. */
int profile_read_fd(int fd, size_t max, char **text, size_t *len, mode_t *mode, char *why,
		    size_t cap)
{
	*text = NULL;
	*len = 0;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return profile_key_fail(why, cap, RC_ECONFIG, "%s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return profile_key_fail(why, cap, RC_ECONFIG, "not a regular file");
	if (mode)
		*mode = st.st_mode;
	size_t size = st.st_size > 0 ? (size_t)st.st_size : 0;
	if (size > max)   /* refused before reading (a growing file: the read's check) */
		return profile_key_fail(why, cap, RC_ECONFIG, "larger than %zu bytes", max);
	size_t bcap = size + 1, n = 0;
	char *buf = profile_read_grow(NULL, 0, bcap);
	if (!buf)
		return profile_key_fail(why, cap, RC_ENOMEM, "out of memory");
	for (;;) {
		if (n == bcap) {
			if (bcap > max)
				break;
			size_t grown = bcap > max / 2 ? max + 1 : bcap * 2;
			char *p = profile_read_grow(buf, n, grown);
			if (!p) {
				explicit_bzero(buf, n);
				free(buf);
				return profile_key_fail(why, cap, RC_ENOMEM, "out of memory");
			}
			buf = p;
			bcap = grown;
		}
		ssize_t r = read(fd, buf + n, bcap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			explicit_bzero(buf, n);
			free(buf);
			return profile_key_fail(why, cap, RC_ECONFIG, "cannot read: %s", strerror(e));
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		explicit_bzero(buf, n);
		free(buf);
		return profile_key_fail(why, cap, RC_ECONFIG, "larger than %zu bytes", max);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

/* Reads the configuration file fd whole, into a new NUL-terminated buffer. */
static int load_read(struct load *ld, int fd, char **text, size_t *len)
{
	char why[256];
	int rc = profile_read_fd(fd, PROFILE_MAX_FILE, text, len, &ld->mode, why, sizeof why);
	if (rc == RC_ENOMEM)
		return profile_key_fail(ld->err, ld->cap, rc, "out of memory");
	if (rc < 0)
		return profile_key_fail(ld->err, ld->cap, rc, "%s: %s", ld->path, why);
	return 0;
}

/* Writes the directory part of path into dir[cap] ("." for a bare name). */
static void load_dir_of(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, cap, ".");
	else if (slash == path)
		snprintf(dir, cap, "/");
	else
		snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

/* Refuses the configuration file's directory dir when someone else could
 * replace the file in it: writable by group or others without the sticky
 * bit (/tmp's 1777 is fine: only the file's owner may rename over it
 * there), or owned by a user other than this one or root.  A rename needs
 * no write permission on the file itself, so load_trust's check of the file
 * alone would not stop it. */
static int trust_dir(const char *path, const char *dir, char *err, size_t cap)
{
	struct stat st;
	char quoted[4200];
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0; /* the file was opened through it: nothing to judge */
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return profile_key_fail(err, cap, RC_ECONFIG,
					"%s: its directory %s is writable by %s (mode %04o): "
					"refused, since whoever can write the directory can "
					"replace the file (turn read_only off, redirect a "
					"profile); run: chmod go-w %s", path, dir,
					(st.st_mode & S_IWOTH) ? "everyone" : "its group",
					(unsigned)(st.st_mode & 07777),
					profile_shell_word(dir, quoted, sizeof quoted));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return profile_key_fail(err, cap, RC_ECONFIG,
					"%s: its directory %s is owned by uid %ld, not by you "
					"(uid %ld) or root: refused, since its owner can replace "
					"the file; move the file to a directory of your own",
					path, dir, (long)st.st_uid, (long)geteuid());
	return 0;
}

/* Judges the directories the file at path can be replaced through (see
 * profile-int.h). */
int profile_trust_dirs(const char *path, char *err, size_t cap)
{
	char dir[4096], real[4096], rdir[4096];
	load_dir_of(path, dir, sizeof dir);
	int rc = trust_dir(path, dir, err, cap);
	struct stat lst;
	if (rc < 0 || lstat(path, &lst) < 0 || !S_ISLNK(lst.st_mode) || !realpath(path, real))
		return rc;
	load_dir_of(real, rdir, sizeof rdir);
	char rd[4096];
	if (realpath(dir, rd) && strcmp(rd, rdir) == 0)
		return 0;
	return trust_dir(path, rdir, err, cap);
}

/* Refuses a configuration file that someone else could have written: one
 * writable by group or others, or owned by a user other than this one or
 * root (the rule ssh applies to ~/.ssh/config), or one in a directory
 * where someone else could replace it (profile_trust_dirs).  Whoever can write
 * the file can turn read_only off or point a profile at their own host and
 * collect the password, so this is an error, never a warning.  Judged on the
 * descriptor that is then read (a symbolic link is judged by its target). */
static int load_trust(struct load *ld, int fd)
{
	struct stat st;
	char quoted[4200];
	if (fstat(fd, &st) < 0)
		return profile_key_fail(ld->err, ld->cap, RC_ECONFIG, "%s: %s", ld->path,
					strerror(errno));
	if (!S_ISREG(st.st_mode))
		return 0; /* load_read says "not a regular file" */
	profile_stamp_take(profile_config_stamp(ld->cfg), ld->path, &st);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return profile_key_fail(ld->err, ld->cap, RC_ECONFIG,
					"%s: writable by %s (mode %04o): refused, since whoever "
					"can write it can turn read_only off or redirect a "
					"profile; run: chmod go-w %s", ld->path,
					(st.st_mode & S_IWOTH) ? "everyone" : "its group",
					(unsigned)(st.st_mode & 07777),
					profile_shell_word(ld->path, quoted, sizeof quoted));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return profile_key_fail(ld->err, ld->cap, RC_ECONFIG,
					"%s: owned by uid %ld, not by you (uid %ld) or root: "
					"refused, since its owner can turn read_only off or "
					"redirect a profile; run: chown %ld %s", ld->path,
					(long)st.st_uid, (long)geteuid(), (long)geteuid(),
					profile_shell_word(ld->path, quoted, sizeof quoted));
	return profile_trust_dirs(ld->path, ld->err, ld->cap);
}

/* Parses text with libconfig and loads it into ld->cfg. */
static int load_text(struct load *ld, const char *text, size_t len)
{
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	int line = 0;
	const char *why = NULL;
	char key[80];
	if (profile_scan(text, len, &line, &why, key, sizeof key) < 0)
		return profile_key_fail(ld->err, ld->cap, RC_ECONFIG, "%s:%d: %s%s%s", ld->path, line,
					key, *key ? ": " : "", why);
	config_t lc;
	config_init(&lc);
	int rc = 0;
	if (config_read_string(&lc, text) != CONFIG_TRUE) {
		/* libconfig says only "syntax error", at the token it could not
		 * take: say what usually causes one (the line itself is not
		 * quoted, as it may hold a password). */
		const char *what = config_error_text(&lc) ? config_error_text(&lc) : "parse error";
		bool syntax = strcmp(what, "syntax error") == 0;
		rc = profile_key_fail(ld->err, ld->cap, RC_ECONFIG, "%s:%d: %s%s", ld->path,
				      config_error_line(&lc), what, syntax ?
				      " (on this line or at the end of the one before: a missing ',' "
				      "between the { } of two servers, a '\"' or bracket not closed, "
				      "or one too many; see rconsole.conf(5))" : "");
	}
	else
		rc = load_root(ld, config_root_setting(&lc));
	config_destroy(&lc);
	return rc;
}

/* Loads and validates path (NULL: rc_config_path's default).  A missing file
 * gives an empty configuration with exists = false. */
int rc_config_load(const char *path, rc_config **out, char *err, size_t err_cap)
{
	char def[4096];
	*out = NULL;
	if (!path && !(path = rc_config_path(NULL, def, sizeof def)))
		return profile_key_fail(err, err_cap, RC_ECONFIG,
					"no configuration path: HOME is not set");
	rc_config *cfg = rc_config_new(path);
	if (!cfg)
		return profile_key_fail(err, err_cap, RC_ENOMEM, "out of memory");
	struct load ld = { .path = cfg->path, .cfg = cfg, .err = err, .cap = err_cap };
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	/* A link whose target is gone (dotfiles not checked out) is no missing
	 * file: loading no profiles, then saving :add over it, would hide it. */
	struct stat lst;
	if (fd < 0 && errno == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		char target[4096];
		ssize_t n = readlink(path, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		rc_config_free(cfg);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "%s: symbolic link to %s, which "
					"does not exist", path, n > 0 ? target : "a missing file");
	}
	if (fd < 0 && errno == ENOENT) {
		profile_stamp_take(profile_config_stamp(cfg), cfg->path, NULL);
		*out = cfg;
		return 0;
	}
	if (fd < 0) {
		int e = errno;
		rc_config_free(cfg);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "%s: cannot open: %s", path,
					strerror(e));
	}
	char *text = NULL;
	size_t len = 0;
	int rc = load_trust(&ld, fd);
	if (rc == 0)
		rc = load_read(&ld, fd, &text, &len);
	close(fd);
	cfg->exists = true;
	if (rc == 0)
		rc = load_text(&ld, text, len);
	if (text) {
		explicit_bzero(text, len);
		free(text);
	}
	if (rc < 0) {
		rc_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}
