/* history.c: per-server command history, saved across runs.
 *
 * The file holds one entry per line, oldest first.  An entry is any bytes
 * but newline and NUL, stored as is (no escaping), so a line with odd bytes
 * round-trips exactly; an entry containing a newline is never added.
 * Saving writes a temporary file next to the real one, fsyncs it, gives it
 * mode 0600 and renames it over the old file, so a crash leaves either the
 * old or the new history, never half of one.  Missing parent directories are
 * created with mode 0700 on the first save. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "app/history.h"

#define HISTORY_DEFAULT_CAP 1000
#define HISTORY_MAX_FILE (16u << 20)   /* a bigger file is not ours: read its tail only */

struct app_history {
	char *path;        /* NULL: kept in memory only */
	size_t cap;
	char **items;      /* oldest first */
	size_t n;
	bool dirty;
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
	h->items[h->n++] = copy;
	return 0;
}

/* Reads the whole file at path (up to its last HISTORY_MAX_FILE bytes) into
 * a malloc'd buffer; returns NULL with *len 0 when it cannot be read. */
static char *history_slurp(const char *path, size_t *len)
{
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *buf = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		size_t size = (size_t)st.st_size;
		if (size > HISTORY_MAX_FILE) {
			lseek(fd, (off_t)(size - HISTORY_MAX_FILE), SEEK_SET);
			size = HISTORY_MAX_FILE;
		}
		buf = malloc(size + 1);
		size_t got = 0;
		while (buf && got < size) {
			ssize_t r = read(fd, buf + got, size - got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (buf)
			buf[got] = '\0';
		*len = got;
	}
	close(fd);
	return buf;
}

/* Loads (or starts empty when missing) the history file at path; path NULL
 * keeps the history in memory only.  cap 0 means 1000. */
app_history *app_history_load(const char *path, size_t cap)
{
	app_history *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->cap = cap ? cap : HISTORY_DEFAULT_CAP;
	h->items = calloc(h->cap, sizeof(*h->items));
	if (!h->items || (path && !(h->path = strdup(path)))) {
		app_history_free(h);
		return NULL;
	}
	if (!path)
		return h;
	size_t len;
	char *buf = history_slurp(path, &len);
	for (size_t i = 0; buf && i < len;) {
		char *nl = memchr(buf + i, '\n', len - i);
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
	free(buf);
	return h;
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
	if (h->n > 0 && strcmp(h->items[h->n - 1], line) == 0)
		return;
	if (history_push(h, line, strlen(line)) == 0)
		h->dirty = true;
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

/* Flushes the directory holding path so the rename itself is durable. */
static void history_sync_dir(const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return;
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Writes every entry to fd; returns 0 or RC_EIO. */
static int history_write_all(const app_history *h, int fd)
{
	for (size_t i = 0; i < h->n; i++) {
		size_t len = strlen(h->items[i]);
		const char *parts[2] = { h->items[i], "\n" };
		size_t lens[2] = { len, 1 };
		for (int k = 0; k < 2; k++) {
			size_t off = 0;
			while (off < lens[k]) {
				ssize_t w = write(fd, parts[k] + off, lens[k] - off);
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					return RC_EIO;
				off += (size_t)w;
			}
		}
	}
	return 0;
}

/* Saves atomically (temp file in the same directory, fsync, mode 0600,
 * rename); returns 0 or a negative RC_E* code.  In-memory histories and
 * unchanged ones are not written. */
int app_history_save(app_history *h)
{
	if (!h || !h->path || !h->dirty)
		return 0;
	int rc = history_mkdirs(h->path);
	if (rc < 0)
		return rc;
	size_t plen = strlen(h->path);
	char *tmp = malloc(plen + sizeof(".tmp.XXXXXX"));
	if (!tmp)
		return RC_ENOMEM;
	memcpy(tmp, h->path, plen);
	memcpy(tmp + plen, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		free(tmp);
		return RC_EIO;
	}
	rc = 0;
	if (fchmod(fd, 0600) < 0 || history_write_all(h, fd) < 0 || fsync(fd) < 0)
		rc = RC_EIO;
	if (close(fd) < 0)
		rc = RC_EIO;
	if (rc == 0 && rename(tmp, h->path) < 0)
		rc = RC_EIO;
	if (rc < 0) {
		unlink(tmp);
	} else {
		h->dirty = false;
		history_sync_dir(h->path);
	}
	free(tmp);
	return rc;
}

/* Returns how many entries are kept. */
size_t app_history_count(const app_history *h)
{
	return h ? h->n : 0;
}

/* Returns entry i (0 = oldest), or NULL. */
const char *app_history_get(const app_history *h, size_t i)
{
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
	if (before < 0 || (size_t)before > h->n)
		before = (long)h->n;
	for (long i = before - 1; i >= 0; i--)
		if (history_contains(h->items[i], needle))
			return i;
	return -1;
}
