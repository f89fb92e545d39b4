/* profile-save.c: writes the profile file atomically, in libconfig syntax.
 *
 * Steps: validate everything first (an invalid profile writes nothing), render
 * the whole file in memory, create the directory (0700) when missing, then
 * mkstemp() a temporary file next to the target, fchmod 0600, write, fsync,
 * close, rename() over the target and fsync the directory.  Any failure
 * before the rename removes the temporary file and leaves the old file
 * byte-for-byte as it was.  The directory fsync after the rename is best
 * effort: the new file is already in place, and some file systems refuse it.
 *
 * When the path is a symbolic link (dotfiles kept elsewhere), the file it
 * points to is replaced and the link kept.  Comments and unknown keys of the
 * old file are not carried over; the header of the new file says so.  So
 * before the first rewrite of a file written by hand (one that does not
 * start with that header, or has comments added since), it is copied to
 * <file>.bak the same atomic way; if that fails, nothing is saved.  The
 * order is: the new file written in full (temporary), the .bak put in
 * place, the rename.  A save that fails at any step leaves no .bak behind
 * and an earlier .bak as it was (set aside under a temporary name until
 * the rename is done, then put back): an admin who sees "nothing was
 * saved" finds the directory as it was.
 *
 * Two consoles that loaded the same file must not undo each other's :add:
 * the check that the file is still the one this configuration was read
 * from (or last saved as: inode, size, modification time) and the rename
 * happen under an flock() on the directory, so of two saves at once the
 * second sees the first's file and is refused with "it has changed since
 * rconsole read it" (the same for an editor's save in between).
 *
 * Only the inline password a profile holds is written; a password that came
 * from a file or the environment is never in rc_profile, so it cannot be. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "lib/profile-int.h"
#include "lib/names.h"

/* A growing output buffer; oom latches the first allocation failure. */
struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

/* Appends n bytes of s. */
static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = malloc(cap);
		if (!p) {
			b->oom = true;
			return;
		}
		if (b->p) {
			memcpy(p, b->p, b->len);
			explicit_bzero(b->p, b->cap);
			free(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends a formatted string. */
static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Appends a formatted string. */
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		b->oom = true;
	else
		sb_add(b, tmp, (size_t)n);
}

/* Appends s as a libconfig string literal: quotes and backslashes escaped,
 * control characters as \xNN, everything else (UTF-8 included) as is. */
static void sb_quote(struct sbuf *b, const char *s)
{
	sb_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			sb_add(b, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			sb_printf(b, "\\x%02x", c);
		} else {
			sb_add(b, s, 1);
		}
	}
	sb_add(b, "\"", 1);
}

/* Frees the buffer, wiping it first (it may hold inline passwords). */
static void sb_free(struct sbuf *b)
{
	if (b->p)
		explicit_bzero(b->p, b->cap);
	free(b->p);
}

/* Appends "<indent>key = value;" for one key of p (a profile, or the config
 * for a global key) unless it holds its default. */
static void render_key(struct sbuf *b, const struct profile_key *k, const void *p,
		       const char *in)
{
	const void *f = profile_key_field(k, p);
	bool always = k->flags & PROFILE_ALWAYS;
	switch (k->kind) {
	case PROFILE_STR: {
		const char *s = *(char *const *)f;
		if (!s || (!always && k->def_str && strcmp(s, k->def_str) == 0))
			return;
		sb_printf(b, "%s%s = ", in, k->name);
		sb_quote(b, s);
		break;
	}
	case PROFILE_INT:
		if (!always && *(const int *)f == k->def)
			return;
		sb_printf(b, "%s%s = %d", in, k->name, *(const int *)f);
		break;
	case PROFILE_BOOL:
		if (!always && *(const bool *)f == (k->def != 0))
			return;
		sb_printf(b, "%s%s = %s", in, k->name, *(const bool *)f ? "true" : "false");
		break;
	case PROFILE_CHOICE:
		if (!always && *(const int *)f == k->def)
			return;
		sb_printf(b, "%s%s = \"%s\"", in, k->name, k->choices[*(const int *)f]);
		break;
	case PROFILE_SWITCH:
		if (*(const int *)f == RC_PROFILE_UNSET)
			return;
		sb_printf(b, "    %s = %s", k->name, *(const int *)f == RC_PROFILE_ON ? "true" : "false");
		break;
	case PROFILE_LIST: {
		char *const *l = *(char *const *const *)f;
		size_t n = *profile_key_count(k, p);
		if (!l)
			return;
		sb_printf(b, "%s%s = [ ", in, k->name);
		for (size_t i = 0; i < n; i++) {
			sb_quote(b, l[i]);
			sb_add(b, i + 1 < n ? ", " : " ", i + 1 < n ? 2 : 1);
		}
		sb_add(b, "]", 1);
		break;
	}
	}
	sb_add(b, ";\n", 2);
}

/* The first lines of every file rconsole writes. */
static const char save_header[] =
	"// rconsole profiles, written by rconsole.  Saving from the console\n"
	"// rewrites this file: comments and unknown keys are not kept.\n"
	"// Every key is described in rconsole.conf.example.\n\n";

/* Renders the whole file into b. */
static void render(struct sbuf *b, const rc_config *cfg)
{
	sb_add(b, save_header, sizeof save_header - 1);
	for (size_t i = 0; i < profile_n_globals; i++)
		render_key(b, &profile_globals[i], cfg, "");
	sb_printf(b, "\nservers = (");
	for (size_t i = 0; i < cfg->n_servers; i++) {
		sb_printf(b, "%s\n  {\n", i ? "," : "");
		for (size_t j = 0; j < profile_n_keys; j++)
			render_key(b, &profile_keys[j], &cfg->servers[i], "    ");
		sb_printf(b, "  }");
	}
	sb_printf(b, "%s);\n", cfg->n_servers ? "\n" : " ");
}

/* Checks the whole configuration before anything is written. */
static int validate(const rc_config *cfg, char *err, size_t cap)
{
	char why[256];
	for (size_t i = 0; i < profile_n_globals; i++) {
		const struct profile_key *k = &profile_globals[i];
		char buf[PROFILE_WHY_MAX];
		if (k->kind == PROFILE_STR) {
			const char *s = *(char *const *)profile_key_field(k, cfg);
			const char *bad = s ? profile_key_check_str(k, s, buf, sizeof buf) : NULL;
			if (bad)
				return profile_key_fail(err, cap, RC_EINVAL, "%s: %s", k->name, bad);
			continue;
		}
		if (k->kind == PROFILE_INT &&
		    !profile_key_int_ok(k, *(const int *)profile_key_field(k, cfg)))
			return profile_key_fail(err, cap, RC_EINVAL, "%s: expected %s", k->name,
						profile_key_expect(k, buf, sizeof buf));
		char *const *l = k->kind == PROFILE_LIST ? *(char *const *const *)profile_key_field(k, cfg)
							: NULL;
		for (size_t j = 0; l && j < *profile_key_count(k, cfg); j++) {
			const char *w = l[j] ? profile_key_check_str(k, l[j], buf, sizeof buf) : "is NULL";
			if (w)
				return profile_key_fail(err, cap, RC_EINVAL, "%s[%zu]: %s", k->name, j, w);
		}
	}
	struct profile_fold seen;
	if (profile_fold_init(&seen, cfg->n_servers) < 0)
		return profile_key_fail(err, cap, RC_ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < cfg->n_servers && rc == 0; i++) {
		const rc_profile *p = &cfg->servers[i];
		size_t prev = 0;
		int seen_rc = 0;
		if (profile_key_validate(p, why, sizeof why) < 0)
			rc = profile_key_fail(err, cap, RC_EINVAL, "servers[%zu]: %s", i, why);
		else if ((seen_rc = profile_fold_add(&seen, p->name, i, &prev)) == 1 &&
			 strcmp(cfg->servers[prev].name, p->name) == 0)
			rc = profile_key_fail(err, cap, RC_EINVAL,
					      "servers[%zu]: name %s is used twice", i, p->name);
		else if (seen_rc == 1)
			rc = profile_key_fail(err, cap, RC_EINVAL, "servers[%zu]: name %s differs "
					      "only in case from %s", i, p->name,
					      cfg->servers[prev].name);
		else if (seen_rc < 0)
			rc = profile_key_fail(err, cap, RC_ENOMEM, "out of memory");
	}
	profile_fold_free(&seen);
	return rc;
}

/* Creates every missing directory of dir with mode 0700. */
static int make_dirs(const char *dir)
{
	char tmp[PATH_MAX];
	int n = snprintf(tmp, sizeof tmp, "%s", dir);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *s = tmp + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return -1;
		*s = c;
		if (c == '\0')
			return 0;
	}
}

/* Writes all of buf to fd. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fsyncs directory dir, best effort. */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Writes text to a new temporary file in dir (mode 0600, fsynced, closed)
 * whose path goes to tmp[PATH_MAX]; target, named in errors, is untouched. */
static int stage_file(const char *target, const char *dir, const char *base,
		      const struct sbuf *text, char *tmp, char *err, size_t cap)
{
	int n = snprintf(tmp, PATH_MAX, "%s/.%s.XXXXXX", dir, base);
	if (n < 0 || n >= PATH_MAX)
		return profile_key_fail(err, cap, RC_EIO, "cannot save %s: path too long", target);
	if (make_dirs(dir) < 0)
		return profile_key_fail(err, cap, RC_EIO, "cannot save %s: cannot create %s: %s",
					target, dir, strerror(errno));
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return profile_key_fail(err, cap, RC_EIO, "cannot save %s: cannot create a "
					"temporary file in %s: %s", target, dir, strerror(errno));
	const char *step = "fchmod";
	if (fchmod(fd, 0600) < 0)
		goto fail;
	step = "write";
	if (text && write_all(fd, text->p, text->len) < 0)
		goto fail;
	step = "fsync";
	if (fsync(fd) < 0)
		goto fail;
	step = "close";
	int rc = close(fd);
	fd = -1;
	if (rc < 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return profile_key_fail(err, cap, RC_EIO, "cannot save %s: %s: %s; the old file is unchanged",
				target, step, strerror(e));
}

/* Returns true when text (the file about to be replaced) holds something
 * saving would lose: it is not one rconsole wrote, or comments were added
 * to it by hand since. */
static bool hand_written(const char *text, size_t len)
{
	size_t h = sizeof save_header - 1;
	if (len < h || memcmp(text, save_header, h) != 0)
		return true;
	bool line_start = true;
	for (size_t i = h; i < len; i++) {
		char c = text[i];
		if (c == '/' && i + 1 < len && (text[i + 1] == '/' || text[i + 1] == '*'))
			return true;
		if (c == '#' && line_start)
			return true;
		if (c == '\n')
			line_start = true;
		else if (c != ' ' && c != '\t')
			line_start = false;
	}
	return false;
}

/* Reads the old file whole into b (profile_read_fd); false when there is
 * none, it is empty, not a regular file or over 16 MiB. */
static bool read_old(const char *path, struct sbuf *b)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return false;
	char *text;
	size_t len;
	int rc = profile_read_fd(fd, 16 * 1024 * 1024, &text, &len, NULL, NULL, 0);
	close(fd);
	if (rc < 0)
		return false;
	b->p = text;
	b->len = len;
	b->cap = len + 1;
	return len > 0;
}

/* The .bak put in place before a save, and how to take it back when the
 * save then fails (no .bak from a save that did not happen). */
struct backup {
	char path[PATH_MAX];   /* <target>.bak; "" when nothing needed keeping */
	char prev[PATH_MAX];   /* the earlier .bak, set aside under a temporary
	                          name until the save is done; "" when none */
};

/* Before the first rewrite of a hand-written target, keeps it as
 * <target>.bak (atomically, mode 0600: it may hold passwords), an earlier
 * .bak set aside in b to put back if the save fails. */
static int backup_put(struct backup *b, const char *target, const char *dir, char *err,
		      size_t cap)
{
	b->path[0] = b->prev[0] = '\0';
	struct sbuf old = { 0 };
	if (!read_old(target, &old) || !hand_written(old.p, old.len)) {
		sb_free(&old);
		return 0;
	}
	char path[PATH_MAX], tmp[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s.bak", target);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int rc = n < 0 || (size_t)n >= sizeof path
		 ? profile_key_fail(err, cap, RC_EIO, "cannot save %s: path too long", target)
		 : stage_file(path, dir, base, &old, tmp, err, cap);
	sb_free(&old);
	if (rc < 0)
		return rc;
	struct stat st;
	const char *step = "rename";
	int e = 0;
	if (lstat(path, &st) == 0) {
		/* An empty placeholder reserves a name; the earlier .bak is renamed
		 * over it. */
		if (stage_file(path, dir, base, NULL, b->prev, err, cap) < 0) {
			unlink(tmp);
			return RC_EIO;
		}
		if (rename(path, b->prev) < 0) {
			e = errno;
			step = "set the earlier one aside";
			unlink(b->prev);
			b->prev[0] = '\0';
		}
	}
	if (!e && rename(tmp, path) < 0) {
		e = errno;
		if (b->prev[0] && rename(b->prev, path) < 0)
			unlink(b->prev);
		b->prev[0] = '\0';
	}
	if (e) {
		unlink(tmp);
		return profile_key_fail(err, cap, RC_EIO, "cannot save %s: cannot keep a copy as %s: "
					"%s: %s; the old file is unchanged", target, path, step,
					strerror(e));
	}
	snprintf(b->path, sizeof b->path, "%s", path);
	return 0;
}

/* Takes back what backup_put did (the save failed): the earlier .bak
 * returns, or the new one goes. */
static void backup_undo(struct backup *b)
{
	if (b->prev[0] && rename(b->prev, b->path) == 0)
		b->prev[0] = '\0';
	else if (b->path[0])
		unlink(b->path);
	if (b->prev[0])
		unlink(b->prev);
	b->path[0] = b->prev[0] = '\0';
}

/* How long a save waits for another one into the same directory. */
#define SAVE_LOCK_TRIES 100
#define SAVE_LOCK_WAIT_NS (10 * 1000 * 1000)

/* Takes the save lock: an exclusive flock() on the directory dir, so two
 * consoles saving at once take turns and the second sees the first's file.
 * A saver holds it for a write, an fsync and a rename, so it is waited for
 * at most about a second (SAVE_LOCK_TRIES of SAVE_LOCK_WAIT_NS).  *fd gets
 * the lock, or -1 where the file system has no locks (then the change
 * check alone guards).  Returns 0 or RC_EIO with err. */
static int save_lock(const char *dir, const char *target, int *fd, char *err, size_t cap)
{
	*fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*fd < 0)
		return 0;
	for (int i = 0; i < SAVE_LOCK_TRIES; i++) {
		if (flock(*fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(*fd);
			*fd = -1;
			return 0;
		}
		struct timespec ts = { 0, SAVE_LOCK_WAIT_NS };
		nanosleep(&ts, NULL);
	}
	close(*fd);
	*fd = -1;
	return profile_key_fail(err, cap, RC_EIO, "cannot save %s: another rconsole is saving "
				"it; the old file is unchanged", target);
}

/* Releases the save lock fd (-1: none). */
static void save_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Refuses to replace target when it is no longer the file cfg was loaded
 * from (or last saved as): another console's :add, or an editor, wrote it
 * since, and saving would silently undo that.  A configuration built with
 * rc_config_new() was never read and is not checked, nor a save to another
 * path than the one read (the caller changed cfg->path).  Returns 0 or
 * RC_ECONFIG with err. */
static int save_unchanged(const rc_config *cfg, const char *target, char *err, size_t cap)
{
	const struct profile_stamp *s = profile_config_stamp(cfg);
	struct stat st;
	if (!s->known || !s->path || strcmp(s->path, cfg->path) != 0)
		return 0;
	int have = stat(target, &st) == 0;
	if (!have && errno != ENOENT)
		return 0; /* the steps after this one report it */
	if (profile_stamp_same(s, have ? &st : NULL))
		return 0;
	return profile_key_fail(err, cap, RC_ECONFIG, "cannot save %s: it %s since rconsole read "
				"it (another rconsole or an editor); saving would undo that, so "
				"the file is unchanged: start rconsole again to load it", target,
				have ? (s->existed ? "has changed" : "was created")
				     : "was removed");
}

/* Saves atomically (see the file comment).  Returns 0, RC_EINVAL when the
 * configuration is invalid (nothing written) or RC_EIO with err. */
int rc_config_save(const rc_config *cfg, char *err, size_t err_cap)
{
	return rc_config_save_backup(cfg, NULL, 0, err, err_cap);
}

/* Refuses, before anything is written, to save into a directory someone
 * else may write (profile.h).  Such a directory is refused at load: never
 * write into one either (a missing one passes: the save makes it 0700), or
 * the file saved now would be refused next start (and could be replaced
 * before).  RC_EIO: RC_ECONFIG is the change check's, which
 * rc_config_save_merge answers by reading again. */
int rc_config_save_check(const rc_config *cfg, char *err, size_t err_cap)
{
	if (!cfg || !cfg->path || !*cfg->path)
		return profile_key_fail(err, err_cap, RC_EINVAL, "no configuration path to save to");
	if (profile_trust_dirs(cfg->path, err, err_cap) < 0) {
		size_t n = strlen(err);
		if (n < err_cap)
			snprintf(err + n, err_cap - n, "; nothing was saved");
		return RC_EIO;
	}
	return 0;
}

/* Saves like rc_config_save(), keeping a hand-written file as .bak first;
 * bak (may be NULL) gets the backup's path or "". */
int rc_config_save_backup(const rc_config *cfg, char *bak, size_t bak_cap, char *err,
			  size_t err_cap)
{
	if (bak && bak_cap)
		bak[0] = '\0';
	if (!cfg || !cfg->path || !*cfg->path)
		return profile_key_fail(err, err_cap, RC_EINVAL, "no configuration path to save to");
	int rc = validate(cfg, err, err_cap);
	if (rc < 0)
		return rc;
	char target[PATH_MAX];
	struct stat st;
	if (!(lstat(cfg->path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(cfg->path, target))) {
		int n = snprintf(target, sizeof target, "%s", cfg->path);
		if (n < 0 || (size_t)n >= sizeof target)
			return profile_key_fail(err, err_cap, RC_EIO, "cannot save %s: path too long",
						cfg->path);
	}
	char dir[PATH_MAX];
	const char *slash = strrchr(target, '/');
	const char *base = slash ? slash + 1 : target;
	if (!*base)
		return profile_key_fail(err, err_cap, RC_EINVAL, "cannot save %s: not a file name",
					target);
	if (!slash)
		strcpy(dir, ".");
	else if (slash == target)
		strcpy(dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - target), target);
	rc = rc_config_save_check(cfg, err, err_cap);
	if (rc < 0)
		return rc;
	/* The new file is written in full first, the .bak put in place next,
	 * and the rename comes last: a failure at any step leaves the file and
	 * any earlier .bak as they were. */
	struct sbuf text = { 0 };
	render(&text, cfg);
	char tmp[PATH_MAX];
	rc = text.oom ? profile_key_fail(err, err_cap, RC_ENOMEM, "out of memory")
		      : stage_file(target, dir, base, &text, tmp, err, err_cap);
	sb_free(&text);
	if (rc < 0)
		return rc;
	/* From here to the rename, no other rconsole saves into this directory
	 * and the file must still be the one this configuration was read from. */
	int lock = -1;
	if ((rc = save_lock(dir, target, &lock, err, err_cap)) < 0 ||
	    (rc = save_unchanged(cfg, target, err, err_cap)) < 0) {
		unlink(tmp);
		save_unlock(lock);
		return rc;
	}
	struct backup b;
	if ((rc = backup_put(&b, target, dir, err, err_cap)) < 0) {
		unlink(tmp);
		save_unlock(lock);
		return rc;
	}
	if (rename(tmp, target) < 0) {
		int e = errno;
		unlink(tmp);
		backup_undo(&b);
		save_unlock(lock);
		return profile_key_fail(err, err_cap, RC_EIO, "cannot save %s: rename: %s; the old "
					"file is unchanged", target, strerror(e));
	}
	if (b.prev[0])
		unlink(b.prev);   /* the earlier .bak, replaced for good */
	sync_dir(dir);
	if (stat(target, &st) == 0)
		profile_stamp_take(profile_config_stamp(cfg), cfg->path, &st);
	save_unlock(lock);
	if (bak && bak_cap)
		snprintf(bak, bak_cap, "%s", b.path);
	return 0;
}
