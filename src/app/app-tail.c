/* app-tail.c: following a server's local log_file like `tail -F` — every
 * complete line appended to it becomes an APP_LINE_LOG transcript line.
 *
 * Why it is built this way:
 * - One inotify instance serves every tail (the per-user limit on instances
 *   is small, 128 by default).  It watches each file's directory only for
 *   names appearing, going or changing mode (IN_CREATE, IN_MOVED_*,
 *   IN_DELETE, IN_ATTRIB), and the open file itself only for IN_MODIFY, so
 *   writes to other files there (Forge's debug.log) never wake the console.
 * - The file watch goes through /proc/self/fd/N, so it lands on the inode
 *   being read even if the name was replaced in between; the directory
 *   watch is set before the file is opened, so a later replacement is
 *   always seen.
 * - Files are read with pread() at the tail's own offset.  Only regular
 *   files are followed (they never block; a FIFO or a device could).  A size
 *   below the offset means truncation; the name's (dev, ino) differing from
 *   the open file's means replacement, and the old file is read to its end
 *   first (logrotate's "create" mode leaves the writer on it a while).  A
 *   name that vanishes keeps the old file open, silently: Minecraft's own
 *   rotation at restart removes latest.log for a moment, not worth an error.
 * - At most APP_TAIL_BUDGET bytes are read per loop pass across all tails,
 *   round robin; what is left waits for the next pass (a 1 ms timer, so it
 *   can never run twice within one pass).
 * - Without inotify (or with app_opts.tail_poll_ms), and for a tail whose
 *   directory cannot be watched (missing), one poll timer checks the tails
 *   concerned; it exists only while some tail needs it.
 * Tails are few (one per server running on this host), so an event is
 * matched against every tail by a plain scan. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#define APP_TAIL_INOTIFY 1
#endif

#include "app/app-int.h"

#define APP_TAIL_BACKLOG 20          /* complete lines shown from the end at start */
#define APP_TAIL_WINDOW 65536        /* bytes looked at from the end for them */
#define APP_TAIL_CHUNK 65536         /* one pread() */
#define APP_TAIL_BUDGET (256 * 1024) /* bytes read per loop pass, all tails together */
#define APP_TAIL_POLL_MS 1000        /* poll period when inotify cannot be used */
#define APP_TAIL_MORE_MS 1           /* a backlog continues on the next pass */
#define APP_TAIL_EVENT_READS 16      /* inotify reads per wake-up (level-triggered) */
#define APP_TAIL_SMALL 4096          /* a line buffer above this is freed after use */
#define APP_TAIL_NOT_REG (-1)        /* tail.noted: the path is not a regular file */
#define APP_TAIL_NO_HOME "no home directory to expand '~' with, or the path is too long"

#ifdef APP_TAIL_INOTIFY
#define APP_TAIL_DIR_MASK (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | \
    IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define APP_TAIL_GONE_MASK (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT)
#endif

typedef struct app_tails app_tails;

typedef struct app_tail {
	app_srv *s;
	app_tails *ts;
	char *path;          /* "~/" expanded */
	char *dir;           /* its directory, for the watch */
	const char *base;    /* its name in dir (points into path) */
	char *shown;         /* path made terminal-safe, for notes */
	int fd;              /* -1 while not open */
	dev_t dev;           /* identity of the open file */
	ino_t ino;
	off_t off;           /* next byte to read */
	int dir_wd;          /* inotify watches, -1 = none */
	int file_wd;
	bool opened;         /* an open was tried: later files are read from the start */
	bool want_read;      /* the file may have grown */
	bool want_check;     /* the name may point at another file now */
	int noted;           /* cause of the last error line (errno or APP_TAIL_NOT_REG), 0 = none */
	char *line;          /* the partial line waiting for its newline */
	size_t len, cap;
	size_t drop;         /* bytes of it past APP_LINE_MAX, thrown away */
	bool skip;           /* dropping the rest of a line whose start was never read */
} app_tail;

struct app_tails {
	app *a;
	int ifd;             /* inotify, -1 = none (poll) */
	int poll_ms;
	app_tail **t;
	size_t n, cap;
	size_t rr;           /* the tail served first on the next pass */
	rc_timer_id poll_timer;
	rc_timer_id more_timer;
	char *buf;           /* APP_TAIL_CHUNK bytes of scratch */
};

/* ---- watches ---- */

/* Removes watch wd unless a tail other than self still uses it. */
static void tail_unwatch(app_tails *ts, const app_tail *self, int wd)
{
	if (wd < 0 || ts->ifd < 0)
		return;
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i] != self && (ts->t[i]->dir_wd == wd || ts->t[i]->file_wd == wd))
			return;
#ifdef APP_TAIL_INOTIFY
	inotify_rm_watch(ts->ifd, wd);
#endif
}

/* Watches t's directory when inotify is in use; false when it is not watched. */
static bool tail_watch_dir(app_tail *t)
{
#ifdef APP_TAIL_INOTIFY
	if (t->dir_wd < 0 && t->ts->ifd >= 0)
		t->dir_wd = inotify_add_watch(t->ts->ifd, t->dir, APP_TAIL_DIR_MASK);
#endif
	return t->dir_wd >= 0;
}

/* Watches the open file itself (through /proc, so the inode read is the
 * one watched), falling back to its path. */
static void tail_watch_file(app_tail *t)
{
#ifdef APP_TAIL_INOTIFY
	if (t->ts->ifd < 0)
		return;
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", t->fd);
	int wd = inotify_add_watch(t->ts->ifd, proc, IN_MODIFY);
	if (wd < 0)
		wd = inotify_add_watch(t->ts->ifd, t->path, IN_MODIFY);
	t->file_wd = wd;
#endif
}

/* Returns true when t needs the poll timer: no inotify, its directory not
 * watched, or its open file not watched. */
static bool tail_needs_poll(const app_tail *t)
{
	return t->ts->ifd < 0 || t->dir_wd < 0 || (t->fd >= 0 && t->file_wd < 0);
}

/* ---- lines ---- */

/* Forgets the partial line (a large buffer is given back). */
static void tail_reset_line(app_tail *t)
{
	t->len = 0;
	t->drop = 0;
	if (t->cap > APP_TAIL_SMALL) {
		free(t->line);
		t->line = NULL;
		t->cap = 0;
	}
}

/* Writes one log line (a trailing CR dropped) to the transcript; dropped
 * bytes of it already thrown away are counted in the cut note. */
static void tail_emit(app_tail *t, const char *text, size_t len, size_t dropped)
{
	if (dropped == 0 && len > 0 && text[len - 1] == '\r')
		len--;
	size_t n;
	char *safe = app_text_safe_cut(text, len, dropped, &n);
	if (safe)
		app_push(t->s, APP_LINE_LOG, safe, n);
	free(safe);
}

/* Appends p[n] to the partial line, keeping at most APP_LINE_MAX bytes and
 * counting the rest as dropped. */
static void tail_keep(app_tail *t, const char *p, size_t n)
{
	size_t room = APP_LINE_MAX - t->len;
	size_t take = n < room ? n : room;
	if (t->len + take > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		if (cap < t->len + take)
			cap = t->len + take;
		if (cap > APP_LINE_MAX)
			cap = APP_LINE_MAX;
		char *line = realloc(t->line, cap);
		if (!line) {
			t->drop += n;
			return;
		}
		t->line = line;
		t->cap = cap;
	}
	memcpy(t->line + t->len, p, take);
	t->len += take;
	t->drop += n - take;
}

/* Splits bytes read from the file into lines; the last one waits for its
 * newline in t->line. */
static void tail_feed(app_tail *t, const char *p, size_t n)
{
	const char *end = p + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t seg = (size_t)((nl ? nl : end) - p);
		if (t->skip) {
			t->skip = nl == NULL;
		} else if (nl && t->len == 0 && t->drop == 0 && seg <= APP_LINE_MAX) {
			tail_emit(t, p, seg, 0);    /* the common case: no copy */
		} else {
			tail_keep(t, p, seg);
			if (nl) {
				tail_emit(t, t->line ? t->line : "", t->len, t->drop);
				tail_reset_line(t);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* Writes out the partial line of a file that will not be read further. */
static void tail_flush(app_tail *t)
{
	if (!t->skip && (t->len > 0 || t->drop > 0))
		tail_emit(t, t->line ? t->line : "", t->len, t->drop);
	tail_reset_line(t);
	t->skip = false;
}

/* ---- the file ---- */

/* Writes one error line for cause code, unless it was the last one written. */
static void tail_fail(app_tail *t, int code, const char *cause)
{
	if (t->noted == code)
		return;
	t->noted = code;
	app_pushf(t->s, APP_LINE_ERROR, "cannot read log file %s: %s (will keep trying)", t->shown, cause);
}

/* Shows the last APP_TAIL_BACKLOG complete lines of a file of size bytes
 * (looking at most APP_TAIL_WINDOW back) and starts reading after them; a
 * partial last line waits for its newline. */
static void tail_backlog(app_tail *t, off_t size)
{
	off_t start = size > APP_TAIL_WINDOW ? size - APP_TAIL_WINDOW : 0;
	ssize_t n = pread(t->fd, t->ts->buf, (size_t)(size - start), start);
	if (n < 0) {
		t->off = size;
		return;
	}
	t->off = start + n;
	const char *p = t->ts->buf, *end = p + n;
	if (start > 0) {
		/* The window starts inside a line: never show half of one. */
		const char *nl = memchr(p, '\n', (size_t)n);
		if (!nl) {
			t->skip = true;
			return;
		}
		p = nl + 1;
	}
	const char *from = p;
	const char *q = memrchr(p, '\n', (size_t)(end - p));
	for (int found = 1; q && q > p; found++) {
		const char *r = memrchr(p, '\n', (size_t)(q - p));
		if (r && found == APP_TAIL_BACKLOG)
			from = r + 1;
		if (!r || found == APP_TAIL_BACKLOG)
			break;
		q = r;
	}
	tail_feed(t, from, (size_t)(end - from));
}

/* Opens path as a file to follow: returns its fd, with *st filled, or -1
 * with *code (errno or APP_TAIL_NOT_REG) and *cause set.  Only a regular
 * file is taken (a FIFO or a device could block). */
static int tail_open_regular(const char *path, struct stat *st, int *code, const char **cause)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*code = errno;
	} else {
		*code = fstat(fd, st) < 0 ? errno : S_ISREG(st->st_mode) ? 0 : APP_TAIL_NOT_REG;
		if (*code == 0)
			return fd;
		close(fd);
	}
	*cause = *code == APP_TAIL_NOT_REG ? "not a regular file" : strerror(*code);
	return -1;
}

/* Opens the file: the first time at its end (after the backlog), later
 * (it appeared, or replaced the old one) from its start.  A failure is one
 * error line per distinct cause. */
static void tail_open(app_tail *t)
{
	bool first = !t->opened;
	t->opened = true;
	struct stat st;
	int code;
	const char *cause;
	int fd = tail_open_regular(t->path, &st, &code, &cause);
	if (fd < 0) {
		tail_fail(t, code, cause);
		return;
	}
	if (first || t->noted)
		app_pushf(t->s, APP_LINE_INFO, "following log file %s", t->shown);
	t->noted = 0;
	t->fd = fd;
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	t->off = 0;
	tail_reset_line(t);
	t->skip = false;
	tail_watch_file(t);
	if (first)
		tail_backlog(t, st.st_size);
}

/* Closes the file and removes its watch. */
static void tail_close(app_tail *t)
{
	tail_unwatch(t->ts, t, t->file_wd);
	t->file_wd = -1;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

/* Returns true when t's path now names another file than the open one (a
 * missing name is not: the old file stays open until a new one appears). */
static bool tail_replaced(const app_tail *t)
{
	struct stat st;
	return stat(t->path, &st) == 0 && (st.st_dev != t->dev || st.st_ino != t->ino);
}

/* Reads what was appended, at most *budget bytes (taken off it); starts
 * over when the file shrank.  Returns true when the budget ran out first. */
static bool tail_read(app_tail *t, size_t *budget)
{
	struct stat st;
	if (fstat(t->fd, &st) == 0 && st.st_size < t->off) {
		tail_flush(t);
		app_pushf(t->s, APP_LINE_INFO, "log file %s was truncated; reading it from its start",
		    t->shown);
		t->off = 0;
	}
	while (*budget > 0) {
		size_t want = *budget < APP_TAIL_CHUNK ? *budget : APP_TAIL_CHUNK;
		ssize_t n = pread(t->fd, t->ts->buf, want, t->off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			if (e != EAGAIN)
				tail_fail(t, e, strerror(e));
			return false;
		}
		if (n == 0)
			return false;
		t->off += n;
		*budget -= (size_t)n;
		tail_feed(t, t->ts->buf, (size_t)n);
	}
	return true;
}

/* Does what t is waiting for with at most *budget bytes: opens the file,
 * switches to a replacement (after reading the old file to its end), reads
 * new lines.  What is left for later stays flagged. */
static void tail_step(app_tail *t, size_t *budget)
{
	bool check = t->want_check;
	t->want_check = false;
	t->want_read = false;
	if (t->fd < 0) {
		tail_open(t);
		if (t->fd < 0)
			return;
	} else if (check && tail_replaced(t)) {
		if (tail_read(t, budget)) {
			t->want_check = true;
			t->want_read = true;
			return;
		}
		tail_flush(t);
		tail_close(t);
		app_pushf(t->s, APP_LINE_INFO, "log file %s was replaced (rotated); reading the new one "
		    "from its start", t->shown);
		tail_open(t);
		if (t->fd < 0)
			return;
	}
	if (tail_read(t, budget))
		t->want_read = true;
}

/* ---- the shared part ---- */

/* Continues reading what the last pass left (one pass later). */
static int64_t tails_on_more(rc_loop *loop, void *arg);
/* Checks the tails inotify cannot watch. */
static int64_t tails_on_poll(rc_loop *loop, void *arg);

/* Arms the continuation timer when a tail still has work, and the poll
 * timer when a tail needs polling. */
static void tails_arm(app_tails *ts)
{
	bool more = false, poll = false;
	for (size_t i = 0; i < ts->n; i++) {
		more = more || ts->t[i]->want_read || ts->t[i]->want_check;
		poll = poll || tail_needs_poll(ts->t[i]);
	}
	rc_loop *loop = ts->a->loop;
	if (more && !ts->more_timer)
		ts->more_timer = rc_loop_add_timer(loop, APP_TAIL_MORE_MS, tails_on_more, ts);
	if (poll && !ts->poll_timer)
		ts->poll_timer = rc_loop_add_timer(loop, ts->poll_ms, tails_on_poll, ts);
}

/* Serves every tail with work, round robin, within one pass's budget. */
static void tails_service(app_tails *ts)
{
	size_t budget = APP_TAIL_BUDGET;
	size_t n = ts->n;
	for (size_t k = 0; k < n && budget > 0; k++) {
		size_t i = (ts->rr + k) % n;
		app_tail *t = ts->t[i];
		if (!t->want_read && !t->want_check)
			continue;
		tail_step(t, &budget);
		if (budget == 0)
			ts->rr = (i + 1) % n;    /* the others go first next time */
	}
	tails_arm(ts);
}

/* Continues reading what the last pass left. */
static int64_t tails_on_more(rc_loop *loop, void *arg)
{
	app_tails *ts = arg;
	ts->more_timer = 0;
	tails_service(ts);
	return RC_TIMER_DONE;
}

/* Checks the tails inotify cannot watch (retrying their directory watch). */
static int64_t tails_on_poll(rc_loop *loop, void *arg)
{
	app_tails *ts = arg;
	for (size_t i = 0; i < ts->n; i++) {
		app_tail *t = ts->t[i];
		if (!tail_needs_poll(t))
			continue;
		tail_watch_dir(t);
		t->want_check = true;
		t->want_read = true;
	}
	tails_service(ts);
	for (size_t i = 0; i < ts->n; i++)
		if (tail_needs_poll(ts->t[i]))
			return ts->poll_ms;
	ts->poll_timer = 0;
	return RC_TIMER_DONE;
}

#ifdef APP_TAIL_INOTIFY
/* Flags the tails one inotify event concerns. */
static void tails_dispatch(app_tails *ts, const struct inotify_event *ev)
{
	for (size_t i = 0; i < ts->n; i++) {
		app_tail *t = ts->t[i];
		if ((ev->mask & IN_Q_OVERFLOW) || ev->wd < 0) {
			t->want_check = true;    /* events were lost: look at everything */
			t->want_read = true;
			continue;
		}
		if (ev->wd == t->file_wd) {
			if (ev->mask & APP_TAIL_GONE_MASK)
				t->file_wd = -1;     /* the poll timer takes over */
			else
				t->want_read = true;
		}
		if (ev->wd != t->dir_wd)
			continue;
		if (ev->mask & APP_TAIL_GONE_MASK) {
			/* The directory went away or moved: watch its path again when
			 * it is back (the poll timer retries). */
			t->dir_wd = -1;
			tail_unwatch(ts, t, ev->wd);
			tail_watch_dir(t);
			t->want_check = true;
		} else if (ev->len > 0 && strcmp(ev->name, t->base) == 0) {
			t->want_check = true;
			t->want_read = true;
		}
	}
}

/* Reads inotify events and serves the tails they concern. */
static void tails_on_inotify(rc_loop *loop, int fd, int revents, void *arg)
{
	app_tails *ts = arg;
	_Alignas(struct inotify_event) char buf[4096];
	for (int k = 0; k < APP_TAIL_EVENT_READS; k++) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (const char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			tails_dispatch(ts, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	tails_service(ts);
}
#endif

/* Returns the app's shared tail state, made on first use: an inotify fd
 * on the loop unless polling is asked for or inotify is unavailable. */
static app_tails *tails_get(app *a)
{
	if (a->tails)
		return a->tails;
	app_tails *ts = calloc(1, sizeof(*ts));
	char *buf = malloc(APP_TAIL_CHUNK);
	if (!ts || !buf) {
		free(ts);
		free(buf);
		return NULL;
	}
	ts->a = a;
	ts->buf = buf;
	ts->ifd = -1;
	ts->poll_ms = a->opts.tail_poll_ms > 0 ? a->opts.tail_poll_ms : APP_TAIL_POLL_MS;
#ifdef APP_TAIL_INOTIFY
	if (a->opts.tail_poll_ms <= 0)
		ts->ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ts->ifd >= 0 && rc_loop_add_fd(a->loop, ts->ifd, POLLIN, tails_on_inotify, ts) < 0) {
		close(ts->ifd);
		ts->ifd = -1;
	}
#endif
	a->tails = ts;
	return ts;
}

/* Adds t to the shared list. */
static int tails_append(app_tails *ts, app_tail *t)
{
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? ts->cap * 2 : 4;
		app_tail **p = realloc(ts->t, cap * sizeof(*p));
		if (!p)
			return RC_ENOMEM;
		ts->t = p;
		ts->cap = cap;
	}
	ts->t[ts->n++] = t;
	return 0;
}

/* Frees a tail that is in no list (the file must be closed). */
static void tail_free(app_tail *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->dir);
	free(t->shown);
	free(t->line);
	free(t);
}

/* Makes a tail for the file at path (already expanded). */
static app_tail *tail_new(app_tails *ts, app_srv *s, const char *path)
{
	app_tail *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->s = s;
	t->ts = ts;
	t->fd = -1;
	t->dir_wd = -1;
	t->file_wd = -1;
	t->path = strdup(path);
	t->shown = app_text_safe(path, strlen(path), NULL);
	char *slash = t->path ? strrchr(t->path, '/') : NULL;
	if (!slash)
		t->dir = strdup(".");
	else if (slash == t->path)
		t->dir = strdup("/");
	else
		t->dir = strndup(t->path, (size_t)(slash - t->path));
	if (!t->path || !t->shown || !t->dir) {
		tail_free(t);
		return NULL;
	}
	t->base = slash ? slash + 1 : t->path;
	return t;
}

/* Starts following s's profile log_file, when it has one (once). */
void app_tail_start(app_srv *s)
{
	const char *file = s->pub.profile ? s->pub.profile->log_file : NULL;
	if (s->tail || !file || !*file)
		return;
	char full[PATH_MAX];
	if (!rc_expand_home(file, full, sizeof(full))) {
		char *safe = app_text_safe(file, strlen(file), NULL);
		app_pushf(s, APP_LINE_ERROR, "cannot follow log file %s: " APP_TAIL_NO_HOME,
		    safe ? safe : "");
		free(safe);
		return;
	}
	app_tails *ts = tails_get(s->a);
	app_tail *t = ts ? tail_new(ts, s, full) : NULL;
	if (!t || tails_append(ts, t) < 0) {
		tail_free(t);
		app_pushf(s, APP_LINE_ERROR, "cannot follow log file: out of memory");
		return;
	}
	s->tail = t;
	tail_watch_dir(t);    /* before opening: a replacement after it is seen */
	t->want_read = true;
	tails_service(ts);
}

/* Tells whether file can be followed now, as app_tail_start() would find
 * it (see app.h). */
int app_tail_check(const char *file, char *why, size_t cap)
{
	char full[PATH_MAX];
	if (!rc_expand_home(file, full, sizeof(full))) {
		snprintf(why, cap, "log file %s: " APP_TAIL_NO_HOME, file);
		return -1;
	}
	struct stat st;
	int code;
	const char *cause;
	int fd = tail_open_regular(full, &st, &code, &cause);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	snprintf(why, cap, "log file %s: %s", full, cause);
	return code == ENOENT ? 1 : -1;
}

/* Stops following s's log file: closes it and removes its watches. */
void app_tail_stop(app_srv *s)
{
	app_tail *t = s->tail;
	if (!t)
		return;
	app_tails *ts = t->ts;
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->t[i] != t)
			continue;
		memmove(ts->t + i, ts->t + i + 1, (ts->n - i - 1) * sizeof(*ts->t));
		ts->n--;
		break;
	}
	ts->rr = 0;
	tail_unwatch(ts, t, t->dir_wd);
	tail_close(t);
	tail_free(t);
	s->tail = NULL;
	if (ts->n == 0) {
		rc_loop_del_timer(ts->a->loop, ts->more_timer);
		rc_loop_del_timer(ts->a->loop, ts->poll_timer);
		ts->more_timer = 0;
		ts->poll_timer = 0;
	}
}

/* Frees the shared tail state: the inotify fd (its watches go with it) and
 * the timers.  Every tail must have been stopped. */
void app_tails_free(app *a)
{
	app_tails *ts = a->tails;
	if (!ts)
		return;
	rc_loop_del_timer(a->loop, ts->more_timer);
	rc_loop_del_timer(a->loop, ts->poll_timer);
	if (ts->ifd >= 0) {
		rc_loop_del_fd(a->loop, ts->ifd);
		close(ts->ifd);
	}
	free(ts->t);
	free(ts->buf);
	free(ts);
	a->tails = NULL;
}
