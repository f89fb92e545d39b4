/* history.c: per-server command history, saved across runs.
 *
 * The file holds one entry per line, oldest first.  An entry is any bytes
 * but newline and NUL, stored as is (no escaping), so a line with odd bytes
 * round-trips exactly; an entry containing a newline is never added.
 * Saving writes a temporary file next to the real one, fsyncs it, gives it
 * mode 0600 and renames it over the old one (app_file_write), so a crash
 * leaves either the old or the new history, never half of one.  Missing parent directories are
 * created with mode 0700 on the first save.
 *
 * Loading runs on the console's loop, so it can never block: the file is
 * opened with O_NONBLOCK, and anything but a regular file (a FIFO would
 * hang a plain open()) or a file over HISTORY_MAX_FILE is refused.  A
 * refused file is left alone: that history is kept in memory only, and
 * app_history_problem() says why.  The state directory is judged the way
 * OpenSSH judges ~/.ssh (app_history_dir_check).
 *
 * Two consoles on one server (two SSH sessions) share its file: a save
 * that finds the file changed since this history last read or wrote it
 * (another inode, size or time) reads it again and puts the lines added
 * here since then after it, so neither console's save drops the other's. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "app/app-file.h"
#include "app/history.h"

#define HISTORY_DEFAULT_CAP 1000
#define HISTORY_MAX_FILE (16u << 20)   /* a bigger file is not ours: refused */

struct app_history {
	char *path;        /* NULL: kept in memory only */
	size_t cap;
	char **items;      /* oldest first */
	size_t room;       /* entries items has room for: grows up to cap, so
	                      10,000 servers with short histories stay small */
	size_t n;
	bool dirty;
	char problem[320]; /* why the file was refused at load, or "" */
	char error[320];   /* why the last save failed, or "" */
	bool error_told;   /* app_history_new_error() returned it already */
	bool pending;      /* app_history_lazy(): the file is not read yet */
	size_t added;      /* newest entries added since the file was last read
	                      or written (what a merge puts after the file's) */
	bool have_seen;    /* seen: the file as last read or written */
	struct stat seen;
};

/* Appends a copy of s[len] as the newest entry, dropping the oldest past cap. */
static int history_push(app_history *h, const char *s, size_t len)
{
	char *copy = strndup(s, len);
	if (!copy)
		return RC_ENOMEM;
	if (h->n == h->cap) {
		free(h->items[0]);
		memmove(h->items, h->items + 1, (h->n - 1) * sizeof(*h->items));
		h->n--;
	}
	if (!h->items || h->n == h->room) {
		size_t room = !h->items ? h->room : h->room * 2 < h->cap ? h->room * 2 : h->cap;
		char **n = realloc(h->items, room * sizeof(*n));
		if (!n) {
			free(copy);
			return RC_ENOMEM;
		}
		h->items = n;
		h->room = room;
	}
	h->items[h->n++] = copy;
	return 0;
}

/* Appends the lines of buf[len] (one entry a line, see the file comment). */
static void history_parse(app_history *h, const char *buf, size_t len)
{
	for (size_t i = 0; buf && i < len;) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		const char *line = buf + i;
		size_t n = end - i;
		/* NUL cannot be in an entry: cut the line there (a corrupt file). */
		const char *z = memchr(line, '\0', n);
		if (z)
			n = (size_t)(z - line);
		if (n > 0 && history_push(h, line, n) < 0)
			break;
		i = end + 1;
	}
}

/* Records the file as it is now (after reading or writing it). */
static void history_note_file(app_history *h)
{
	h->have_seen = h->path && stat(h->path, &h->seen) == 0;
	h->added = 0;
}

/* Reads a whole regular file of at most max bytes without ever blocking
 * (see history.h). */
char *app_file_slurp(const char *path, size_t max, size_t *len, char *why, size_t cap)
{
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)   /* missing: saving says more */
			snprintf(why, cap, "cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st) < 0) {
		snprintf(why, cap, "cannot read %s: %s", path, strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		snprintf(why, cap, "%s is not a regular file", path);
	} else if ((unsigned long long)st.st_size > max) {
		snprintf(why, cap, "%s is larger than %zu MiB", path, max >> 20);
	} else {
		size_t size = (size_t)st.st_size;
		buf = malloc(size + 1);
		size_t got = 0;
		while (buf && got < size) {
			ssize_t r = read(fd, buf + got, size - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				snprintf(why, cap, "cannot read %s: %s", path, strerror(errno));
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (buf)
			buf[got] = '\0';
		*len = got;
		if (why[0]) {
			free(buf);
			buf = NULL;
			*len = 0;
		}
	}
	close(fd);
	return buf;
}

/* Creates an empty history for path (NULL: in memory only), not read. */
static app_history *history_new(const char *path, size_t cap)
{
	app_history *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->cap = cap ? cap : HISTORY_DEFAULT_CAP;
	h->room = h->cap < 8 ? h->cap : 8;
	if (path && !(h->path = strdup(path))) {
		free(h);
		return NULL;
	}
	return h;
}

/* Reads h's file into it (never blocking, see history.h); a refused file
 * turns h into an in-memory history. */
static void history_read(app_history *h)
{
	h->pending = false;
	if (!h->path)
		return;
	size_t len;
	char *buf = app_file_slurp(h->path, HISTORY_MAX_FILE, &len, h->problem, sizeof(h->problem));
	if (h->problem[0]) {
		/* Not ours to read, so not ours to replace either. */
		free(h->path);
		h->path = NULL;
	}
	history_parse(h, buf, len);
	free(buf);
	history_note_file(h);
}

/* Reads a lazy history's file the first time anything looks at it.  The
 * read-only accessors take const: loading does not change what the history
 * holds, only when it is read. */
static app_history *history_ensure(const app_history *ch)
{
	app_history *h = (app_history *)ch;
	if (h && h->pending)
		history_read(h);
	return h;
}

/* Loads (or starts empty when missing) the history file at path; path NULL
 * keeps the history in memory only.  cap 0 means 1000. */
app_history *app_history_load(const char *path, size_t cap)
{
	app_history *h = history_new(path, cap);
	if (h)
		history_read(h);
	return h;
}

/* Makes a history for path whose file is read only when first used. */
app_history *app_history_lazy(const char *path, size_t cap)
{
	app_history *h = history_new(path, cap);
	if (h)
		h->pending = path != NULL;
	return h;
}

/* Returns true when the file has been read (or there is none to read). */
bool app_history_loaded(const app_history *h)
{
	return h && !h->pending;
}

/* Reads the file now if it was not yet. */
void app_history_need(app_history *h)
{
	history_ensure(h);
}

/* Saves if changed, then frees.  NULL is a no-op. */
void app_history_free(app_history *h)
{
	if (!h)
		return;
	if (h->dirty)
		app_history_save(h);
	for (size_t i = 0; i < h->n; i++)
		free(h->items[i]);
	free(h->items);
	free(h->path);
	free(h);
}

/* Adds a command unless it is empty, holds a newline or repeats the newest. */
void app_history_add(app_history *h, const char *line)
{
	if (!h || !line || !*line || strchr(line, '\n'))
		return;
	/* Read what the file holds first: the save then keeps it, never
	 * replacing a history that was not read with this run's lines only. */
	history_ensure(h);
	if (h->n > 0 && strcmp(h->items[h->n - 1], line) == 0)
		return;
	if (history_push(h, line, strlen(line)) == 0) {
		h->dirty = true;
		if (h->added < h->n)
			h->added++;
	}
}

/* Returns true when the file is not the one h last read or wrote. */
static bool history_changed(const app_history *h)
{
	struct stat st;
	if (stat(h->path, &st) < 0)
		return false;       /* gone (or unreadable): ours is all there is */
	if (!h->have_seen)
		return true;
	return st.st_ino != h->seen.st_ino || st.st_dev != h->seen.st_dev ||
	    st.st_size != h->seen.st_size || st.st_mtim.tv_sec != h->seen.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != h->seen.st_mtim.tv_nsec;
}

/* Before a save: when another console wrote the file since h read or wrote
 * it, takes the file's entries and puts the ones added here since then
 * after them (capped as ever).  A file that cannot be read now is not
 * merged: ours is saved as it is. */
static void history_merge(app_history *h)
{
	if (!history_changed(h))
		return;
	char why[320] = "";
	size_t len;
	char *buf = app_file_slurp(h->path, HISTORY_MAX_FILE, &len, why, sizeof(why));
	if (!buf)
		return;
	app_history *m = history_new(NULL, h->cap);
	if (!m) {
		free(buf);
		return;
	}
	history_parse(m, buf, len);
	free(buf);
	size_t from = h->n - (h->added < h->n ? h->added : h->n);
	for (size_t i = from; i < h->n; i++)
		if (!(m->n > 0 && strcmp(m->items[m->n - 1], h->items[i]) == 0))
			history_push(m, h->items[i], strlen(h->items[i]));
	for (size_t i = 0; i < h->n; i++)
		free(h->items[i]);
	free(h->items);
	h->items = m->items;
	h->n = m->n;
	h->room = m->room;
	free(m);
}

/* Creates the directory holding path and any missing parents, mode 0700. */
static int history_mkdirs(const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return RC_ENOMEM;
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		for (char *p = dir + 1; ; p++) {
			if (*p != '/' && *p != '\0')
				continue;
			char saved = *p;
			*p = '\0';
			if (mkdir(dir, 0700) < 0 && errno != EEXIST)
				rc = RC_EIO;
			*p = saved;
			if (rc < 0 || saved == '\0')
				break;
		}
	}
	free(dir);
	return rc;
}

/* Records why a save failed ("<what> <path>: <errno text>"); returns rc. */
static int history_failed(app_history *h, int rc, const char *what)
{
	snprintf(h->error, sizeof(h->error), "%s %s: %s", what, h->path,
	    errno ? strerror(errno) : "failed");
	return rc;
}

/* Saves atomically (app_file_write: temp file in the same directory,
 * fsync, mode 0600, rename, fsync of the directory); returns 0 or a negative
 * RC_E* code.  In-memory histories and unchanged ones are not written. */
int app_history_save(app_history *h)
{
	if (!h || !h->path || !h->dirty)
		return 0;
	errno = 0;
	int rc = history_mkdirs(h->path);
	if (rc < 0)
		return history_failed(h, rc, "cannot create the directory of");
	history_merge(h);
	struct iovec *iov = malloc((h->n ? h->n : 1) * 2 * sizeof(*iov));
	if (!iov)
		return RC_ENOMEM;
	for (size_t i = 0; i < h->n; i++) {
		iov[2 * i] = (struct iovec){ h->items[i], strlen(h->items[i]) };
		iov[2 * i + 1] = (struct iovec){ (char *)"\n", 1 };
	}
	struct stat st;
	rc = app_file_write_stat(h->path, 0600, iov, h->n * 2, &st, h->error, sizeof(h->error));
	free(iov);
	if (rc == 0) {
		h->dirty = false;
		h->error_told = false;
		h->seen = st;             /* ours, not what another console put there since */
		h->have_seen = true;
		h->added = 0;
	}
	return rc;
}

/* Returns how many entries are kept. */
size_t app_history_count(const app_history *h)
{
	history_ensure(h);
	return h ? h->n : 0;
}

/* Returns entry i (0 = oldest), or NULL. */
const char *app_history_get(const app_history *h, size_t i)
{
	history_ensure(h);
	return h && i < h->n ? h->items[i] : NULL;
}

/* Returns true when hay contains needle, ignoring ASCII case. */
static bool history_contains(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);
	for (const char *p = hay; ; p++) {
		if (strncasecmp(p, needle, nl) == 0)
			return true;
		if (!*p)
			return false;
	}
}

/* Returns the newest index < before whose entry contains needle (ASCII
 * case-insensitive; "" matches every entry), or -1.  A negative before, or
 * one past the end, searches from the newest entry. */
long app_history_search(const app_history *h, long before, const char *needle)
{
	if (!h || !needle)
		return -1;
	history_ensure(h);
	if (before < 0 || (size_t)before > h->n)
		before = (long)h->n;
	for (long i = before - 1; i >= 0; i--)
		if (history_contains(h->items[i], needle))
			return i;
	return -1;
}

/* Returns why the file was refused when loaded (the history is then kept in
 * memory only), or NULL. */
const char *app_history_problem(const app_history *h)
{
	history_ensure(h);
	return h && h->problem[0] ? h->problem : NULL;
}

/* Returns why the last save failed the first time it is asked since the
 * saves began failing, else NULL: one message per run of failures. */
const char *app_history_new_error(app_history *h)
{
	if (!h || !h->error[0] || h->error_told)
		return NULL;
	h->error_told = true;
	return h->error;
}

/* Judges one directory: missing is fine; else a directory owned by me (the
 * effective user) and not writable by group or others.  Returns 0 or -1
 * with why. */
static int history_dir_ok(const char *dir, uid_t me, char *why, size_t cap)
{
	struct stat st;
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, cap, "cannot use %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, cap, "%s is not a directory", dir);
		return -1;
	}
	if (st.st_uid != me) {
		snprintf(why, cap, "%s is owned by uid %ld, not by you", dir, (long)st.st_uid);
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, cap, "%s is writable by group or others; run: chmod go-w %s", dir, dir);
		return -1;
	}
	return 0;
}

/* Checks the state directory as OpenSSH checks ~/.ssh (see history.h). */
int app_history_dir_check(const char *state_dir, char *why, size_t cap)
{
	return app_state_dir_check(state_dir, "history", why, cap);
}

/* Checks state_dir and its subdirectory sub the same way (see history.h). */
int app_state_dir_check(const char *state_dir, const char *sub, char *why, size_t cap)
{
	if (!state_dir)
		return 0;
	uid_t me = geteuid();   /* once for both directories */
	if (history_dir_ok(state_dir, me, why, cap) < 0)
		return -1;
	char *path = NULL;
	if (asprintf(&path, "%s/%s", state_dir, sub) < 0) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	int rc = history_dir_ok(path, me, why, cap);
	free(path);
	return rc;
}

/* Creates the missing directories of file path's parent, mode 0700. */
int app_state_mkdirs(const char *path)
{
	return history_mkdirs(path);
}

/* Returns the malloc'd state directory (see history.h), or NULL. */
char *app_state_path(const char *explicit_dir)
{
	char *out = NULL;
	if (explicit_dir && *explicit_dir)
		return strdup(explicit_dir);
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	if (xdg && xdg[0] == '/') {    /* the spec says relative paths are ignored */
		if (asprintf(&out, "%s/rconsole", xdg) < 0)
			out = NULL;
	} else if (home && home[0] == '/') {
		if (asprintf(&out, "%s/.local/state/rconsole", home) < 0)
			out = NULL;
	}
	return out;
}
