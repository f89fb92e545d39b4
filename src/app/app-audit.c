/* app-audit.c: the audit log — record formatting, file names and the
 * append-only writer (see app-audit.h for the format and the rules). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/app-audit.h"
#include "app/app-int.h"
#include "app/history.h"
#include "lib/passwd-int.h"

#define AUDIT_REPLY_MAX 200    /* bytes of the reply's first line kept */
#define AUDIT_REASON_MAX 300   /* bytes of a reason kept */
#define AUDIT_LINE_STACK 1024  /* a record up to this long is formatted on the stack */

struct app_audit {
	char *path;          /* <state_dir>/log/<file name> */
	char *rotated;       /* path + ".1" */
	char *who;           /* " user=U server=S", as every record has it */
	size_t who_len;
	size_t max_bytes;
	bool partial;        /* the last write was cut short: begin with '\n' */
	int fd;              /* the log, kept open between records; -1 = closed */
	unsigned long long size; /* its size as last seen plus what we wrote since */
	time_t checked;      /* when path was last checked to still be fd's file */
	bool keep_open;      /* app_audit_keep_open: fd stays open between records */
	int open_err;        /* errno of the last failed open, else 0 */
	char error[400];     /* why the last write failed, or "" */
	bool error_told;
};

static const char *const audit_origins[] = {
	[APP_AUDIT_CONSOLE] = "console", [APP_AUDIT_BROADCAST] = "broadcast",
	[APP_AUDIT_ACTION] = "action", [APP_AUDIT_ONESHOT] = "oneshot",
};

/* As values (quoted where they hold a space), ready to append. */
static const char *const audit_outcomes[] = {
	[APP_AUDIT_ANSWERED] = "answered", [APP_AUDIT_UNKNOWN] = "\"outcome unknown\"",
	[APP_AUDIT_NOT_SENT] = "\"not sent\"", [APP_AUDIT_REFUSED] = "refused",
};

/* ---- formatting ---- */

/* A growing line; oom latches the first allocation failure.  It begins in
 * the caller's buffer (a record is a line of a few hundred bytes: none is
 * allocated for it) and moves to the heap only when it outgrows that. */
struct audit_buf {
	char *p;
	size_t len, cap;
	bool oom;
	bool heap;           /* p was allocated (the caller frees it) */
};

/* Returns a line beginning in the caller's buf[cap]. */
static struct audit_buf buf_on(char *buf, size_t cap)
{
	return (struct audit_buf){ .p = buf, .cap = cap };
}

/* Makes room for need bytes plus a NUL; false when out of memory. */
static bool buf_grow(struct audit_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap * 2 : 256;
	while (cap < need + 1)
		cap *= 2;
	char *p = b->heap ? realloc(b->p, cap) : malloc(cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	if (!b->heap && b->len)
		memcpy(p, b->p, b->len);
	b->p = p;
	b->cap = cap;
	b->heap = true;
	return true;
}

/* Appends n bytes of s to a line that has no room for them. */
static void buf_add_grow(struct audit_buf *b, const char *s, size_t n)
{
	if (b->oom || !buf_grow(b, b->len + n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Appends n bytes of s (inline: a record is some twenty pieces, most of
 * them a few bytes of a constant). */
static inline void buf_add(struct audit_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap || b->oom) {
		buf_add_grow(b, s, n);
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* Frees what the line allocated. */
static void buf_free(struct audit_buf *b)
{
	if (b->heap)
		free(b->p);
}

/* Appends a NUL-terminated string. */
static void buf_str(struct audit_buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

/* Returns true for the bytes a value may hold without quotes (tested
 * here, not with strchr: every byte of every value is asked). */
static bool audit_bare(unsigned char c)
{
	switch (c) {
	case '-': case '_': case '.': case '/': case ':': case '@': case '+': case '%': case '#':
		return true;
	default:
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	}
}

/* Appends s[len] as a value: bare when every byte allows it, else quoted
 * with \" \\ and \xNN for every byte that is not printable UTF-8.  At most
 * max input bytes are taken (whole characters); "..." follows a cut value. */
static void audit_value(struct audit_buf *b, const char *s, size_t len, size_t max)
{
	bool bare = len > 0 && len <= max;
	for (size_t i = 0; bare && i < len; i++)
		bare = audit_bare((unsigned char)s[i]);
	if (bare) {
		buf_add(b, s, len);
		return;
	}
	buf_add(b, "\"", 1);
	size_t off = 0;
	while (off < len) {
		/* A run of plain ASCII goes in at once (a reply is mostly that). */
		size_t run = off, end = len < max ? len : max;
		while (run < end && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7f &&
		    s[run] != '"' && s[run] != '\\')
			run++;
		if (run > off) {
			buf_add(b, s + off, run - off);
			off = run;
			continue;
		}
		uint32_t cp, show;
		size_t n = rc_text_safe_next(s, len, off, "", &cp, &show);
		if (n == 0 || off + n > max)
			break;
		if (cp == '"' || cp == '\\') {
			char e[2] = { '\\', (char)cp };
			buf_add(b, e, 2);
		} else if (show == cp && cp >= 0x20 && cp != 0x7f) {
			buf_add(b, s + off, n);
		} else {
			static const char digits[] = "0123456789ABCDEF";
			for (size_t k = 0; k < n; k++) {
				unsigned char c = (unsigned char)s[off + k];
				char hex[4] = { '\\', 'x', digits[c >> 4], digits[c & 15] };
				buf_add(b, hex, 4);
			}
		}
		off += n;
	}
	buf_add(b, "\"", 1);
	if (off < len)
		buf_add(b, "...", 3);
}

/* Appends " key=value". */
static void audit_field(struct audit_buf *b, const char *key, const char *s, size_t len,
    size_t max)
{
	buf_add(b, " ", 1);
	buf_str(b, key);
	buf_add(b, "=", 1);
	audit_value(b, s, len, max);
}

/* Appends the ISO-8601 local time of when with its UTC offset.  The last
 * one is kept: a run of records logs many within the same second. */
static void audit_time(struct audit_buf *b, time_t when)
{
	static time_t last_when;
	static char last[64];
	static size_t last_len;
	if (last_len && when == last_when) {
		buf_add(b, last, last_len);
		return;
	}
	struct tm tm;
	char out[64];
	if (!localtime_r(&when, &tm)) {
		buf_str(b, "?");
		return;
	}
	size_t n = strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S", &tm);
	long off = tm.tm_gmtoff;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	snprintf(out + n, sizeof out - n, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
	buf_str(b, out);
	memcpy(last, out, sizeof last);
	last_len = strlen(last);
	last_when = when;
}

/* Appends " bytes=N" (a record is written per command: no printf). */
static void audit_bytes(struct audit_buf *b, size_t n)
{
	char d[32], *e = d + sizeof d, *p = e;
	do
		*--p = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	buf_str(b, " bytes=");
	buf_add(b, p, (size_t)(e - p));
}

/* Appends " user=U server=S" for r. */
static void audit_who(struct audit_buf *b, const app_audit_record *r)
{
	const char *user = r->user ? r->user : "?";
	const char *server = r->server ? r->server : "?";
	audit_field(b, "user", user, strlen(user), 256);
	audit_field(b, "server", server, strlen(server), 300);
}

/* Appends r as one line ending in '\n', with who[who_len] as its user and
 * server fields when who is not NULL (a writer's are the same in every
 * record: formatted once); false when out of memory. */
static bool audit_format(struct audit_buf *b, const app_audit_record *r, const char *who,
    size_t who_len)
{
	const char *cmd = r->cmd ? r->cmd : "";
	unsigned origin = (unsigned)r->origin, outcome = (unsigned)r->outcome;
	audit_time(b, r->when);
	if (who)
		buf_add(b, who, who_len);
	else
		audit_who(b, r);
	buf_str(b, " origin=");
	buf_str(b, origin < 4 ? audit_origins[origin] : "?");
	buf_str(b, " outcome=");
	buf_str(b, outcome < 4 ? audit_outcomes[outcome] : "\"?\"");
	if (r->outcome == APP_AUDIT_ANSWERED)
		audit_bytes(b, r->reply_size ? r->reply_size : r->reply ? r->reply_len : 0);
	audit_field(b, "cmd", cmd, strlen(cmd), 8192);
	if (r->outcome == APP_AUDIT_ANSWERED && r->reply && r->reply_len > 0) {
		/* The first line that says something (replies may start with a newline). */
		const char *s = r->reply, *end = r->reply + r->reply_len;
		while (s < end && (*s == '\n' || *s == '\r'))
			s++;
		const char *nl = s;
		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		if (nl > s)
			audit_field(b, "reply", s, (size_t)(nl - s), AUDIT_REPLY_MAX);
	}
	if (r->reason && *r->reason)
		audit_field(b, "reason", r->reason, strlen(r->reason), AUDIT_REASON_MAX);
	buf_add(b, "\n", 1);
	return !b->oom;
}

/* Formats r as one line ending in '\n' into a malloc'd string. */
char *app_audit_format(const app_audit_record *r, size_t *len)
{
	struct audit_buf b = { 0 };
	if (!audit_format(&b, r, NULL, 0)) {
		buf_free(&b);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.p;
}

/* Returns the malloc'd log file name of a server. */
char *app_audit_file_name(const char *server)
{
	char *base = app_text_file_name(server ? server : "");
	char *out = NULL;
	if (base && asprintf(&out, "%s.log", base) < 0)
		out = NULL;
	free(base);
	return out;
}

/* Returns the outcome of a reply event's status. */
enum app_audit_outcome app_audit_outcome_of(int status)
{
	switch (status) {
	case 0:
		return APP_AUDIT_ANSWERED;
	case RC_ENOTSENT:
	case RC_ECANCELED:
		return APP_AUDIT_NOT_SENT;
	case RC_EREADONLY:
		return APP_AUDIT_REFUSED;
	default:
		return APP_AUDIT_UNKNOWN;    /* lost, timed out, reply too big */
	}
}

/* Returns the outcome of a refusal by rc_conn_send(). */
enum app_audit_outcome app_audit_refusal_of(int rc)
{
	switch (rc) {
	case RC_EREADONLY:
	case RC_ETOOLONG:
	case RC_EINVAL:
		return APP_AUDIT_REFUSED;
	default:
		return APP_AUDIT_NOT_SENT;   /* not connected, queue full, no connection */
	}
}

/* Returns the local user's name, looked up once. */
const char *app_audit_user(void)
{
	static char name[256];
	if (!name[0]) {
		/* The account, not $USER: that is whatever the environment says. */
		if (passwd_lookup(getuid(), name, sizeof name, NULL, 0) < 0)
			snprintf(name, sizeof name, "#%ld", (long)getuid());
	}
	return name;
}

/* ---- the writer ---- */

/* Says whether profile p is audited and sets its rotation size. */
bool app_audit_enabled(const rc_config *cfg, const rc_profile *p, size_t *max_bytes)
{
	int kb = p && p->audit_max_kb > 0 ? p->audit_max_kb
	    : cfg && cfg->audit_max_kb > 0 ? cfg->audit_max_kb : RC_DEFAULT_AUDIT_MAX_KB;
	if (max_bytes)
		*max_bytes = (size_t)kb * 1024;
	if (p && p->audit != RC_PROFILE_UNSET)
		return p->audit == RC_PROFILE_ON;
	return cfg ? cfg->audit : true;
}

/* Checks the state directory and its log/ as app_state_dir_check does,
 * once a second at most for the same directory: a console starting with
 * 10,000 servers attaches 10,000 writers to one directory, and a one-shot
 * run to several (a failure is never remembered: it is looked at again). */
static int audit_dir_check(const char *dir, char *why, size_t cap)
{
	static char *last;
	static struct timespec last_ok;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (last && strcmp(last, dir) == 0 && now.tv_sec - last_ok.tv_sec < 1)
		return 0;
	if (app_state_dir_check(dir, "log", why, cap) < 0)
		return -1;
	char *copy = strdup(dir);
	if (copy) {
		free(last);
		last = copy;
		last_ok = now;
	}
	return 0;
}

/* Returns the malloc'd user and server fields of server's records (the
 * user looked up now, not on the first command), *len their length; NULL
 * when out of memory. */
static char *audit_who_of(const char *server, size_t *len)
{
	app_audit_record r = { .user = app_audit_user(), .server = server };
	struct audit_buf b = { 0 };
	audit_who(&b, &r);
	if (b.oom) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.p;
}

/* Creates server's writer in state_dir (see app-audit.h). */
app_audit *app_audit_new(const char *state_dir, const char *server, size_t max_bytes,
    char *why, size_t cap)
{
	if (why && cap)
		why[0] = '\0';
	char *dir = app_state_path(state_dir);
	char local[600];
	if (!dir) {
		snprintf(why, cap, "no state directory (neither XDG_STATE_HOME nor HOME is set)");
		return NULL;
	}
	if (audit_dir_check(dir, local, sizeof local) < 0) {
		snprintf(why, cap, "%s", local);
		free(dir);
		return NULL;
	}
	app_audit *au = calloc(1, sizeof *au);
	char *file = app_audit_file_name(server);
	if (au && file && asprintf(&au->path, "%s/log/%s", dir, file) < 0)
		au->path = NULL;
	if (au && au->path && asprintf(&au->rotated, "%s.1", au->path) < 0)
		au->rotated = NULL;
	if (au)
		au->who = audit_who_of(server ? server : "", &au->who_len);
	free(file);
	free(dir);
	if (!au || !au->path || !au->rotated || !au->who) {
		app_audit_free(au);
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	au->max_bytes = max_bytes ? max_bytes : (size_t)RC_DEFAULT_AUDIT_MAX_KB * 1024;
	au->fd = -1;
	return au;
}

/* Frees a writer.  NULL is a no-op. */
void app_audit_free(app_audit *au)
{
	if (!au)
		return;
	if (au->fd >= 0)
		close(au->fd);
	free(au->path);
	free(au->rotated);
	free(au->who);
	free(au);
}

/* Records why a write failed; returns RC_EIO. */
static int audit_failed(app_audit *au, const char *what, int err)
{
	snprintf(au->error, sizeof au->error, "%s %s: %s", what, au->path,
	    err ? strerror(err) : "failed");
	return RC_EIO;
}

/* Opens the log for appending without ever blocking (creating it and its
 * directories when missing); returns the fd, or -1 with errno set. */
static int audit_open(app_audit *au)
{
	int flags = O_WRONLY | O_APPEND | O_CREAT | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
	int fd = open(au->path, flags, 0600);
	if (fd < 0 && errno == ENOENT) {
		if (app_state_mkdirs(au->path) < 0)
			return -1;
		fd = open(au->path, flags, 0600);
	}
	return fd;
}

/* Closes the kept log. */
static void audit_close(app_audit *au)
{
	if (au->fd >= 0)
		close(au->fd);
	au->fd = -1;
}

/* Opens the log and learns what it is; returns 0 or RC_EIO (why noted). */
static int audit_reopen(app_audit *au)
{
	audit_close(au);
	int fd = audit_open(au);
	struct stat st;
	au->open_err = fd < 0 ? errno : 0;
	if (fd < 0)
		return audit_failed(au, "cannot open", au->open_err);
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return audit_failed(au, "cannot open", e);
	}
	if (!S_ISREG(st.st_mode)) {
		/* A FIFO or device there is not ours to feed. */
		close(fd);
		snprintf(au->error, sizeof au->error, "%s is not a regular file", au->path);
		return RC_EIO;
	}
	au->fd = fd;
	au->size = (unsigned long long)st.st_size;
	au->checked = time(NULL);
	return 0;
}

/* Tells whether the kept log is still the file at path, with its real size
 * (another process may have written, rotated or removed it). */
static bool audit_still_there(app_audit *au)
{
	struct stat at, mine;
	if (au->fd < 0 || stat(au->path, &at) < 0 || fstat(au->fd, &mine) < 0 ||
	    at.st_ino != mine.st_ino || at.st_dev != mine.st_dev)
		return false;
	au->size = (unsigned long long)mine.st_size;
	au->checked = time(NULL);
	return true;
}

/* Gets the descriptor a record of n bytes goes to: the log kept open since
 * the last record — so a record costs one write() — checked again against
 * its path once a second and whenever the record would take it past
 * max_bytes.  A log that reached its size is renamed to .1 (unless another
 * process did so already) and a new one begun; should the rename fail, the
 * record still goes to the old file: a log a little over its size beats a
 * lost record.  Returns 0 with *fd, or RC_EIO (why noted). */
static int audit_fd(app_audit *au, size_t n, int *fd)
{
	bool over = au->size > 0 && au->size + n > au->max_bytes;
	if (au->fd < 0 || over || time(NULL) != au->checked) {
		if (!audit_still_there(au)) {
			int rc = audit_reopen(au);
			if (rc < 0)
				return rc;
		}
		over = au->size > 0 && au->size + n > au->max_bytes;
	}
	if (over) {
		(void)rename(au->path, au->rotated);
		int rc = audit_reopen(au);
		if (rc < 0) {
			snprintf(au->error, sizeof au->error, "cannot rotate %s: %s", au->path,
			    strerror(errno));
			return rc;
		}
	}
	*fd = au->fd;
	return 0;
}

/* Appends one record (see app-audit.h). */
int app_audit_write(app_audit *au, time_t when, enum app_audit_origin origin, const char *cmd,
    enum app_audit_outcome outcome, const char *reason, const char *reply, size_t reply_len)
{
	return app_audit_write_head(au, when, origin, cmd, outcome, reason, reply, reply_len,
	    reply_len);
}

/* Appends one record whose reply is known by its beginning and its size. */
int app_audit_write_head(app_audit *au, time_t when, enum app_audit_origin origin,
    const char *cmd, enum app_audit_outcome outcome, const char *reason, const char *head,
    size_t head_len, size_t size)
{
	if (!au)
		return 0;
	app_audit_record r = {
		.when = when, .origin = origin,   /* the user and the server: au->who */
		.cmd = cmd, .outcome = outcome, .reason = reason, .reply = head,
		.reply_len = head_len, .reply_size = size,
	};
	char stack[AUDIT_LINE_STACK];
	struct audit_buf b = buf_on(stack, sizeof stack);
	if (au->partial)
		buf_add(&b, "\n", 1);   /* the last record was cut short: this one on its own line */
	if (!audit_format(&b, &r, au->who, au->who_len)) {
		buf_free(&b);
		return audit_failed(au, "cannot format a record for", ENOMEM);
	}
	const char *out = b.p;
	size_t n = b.len;
	int fd = -1;
	int rc = audit_fd(au, n, &fd);
	if (rc == 0) {
		ssize_t w = write(fd, out, n);
		if (w >= 0 && (size_t)w < n) {
			/* Cut short (a full disk): try the rest once for the reason. */
			au->partial = true;
			au->size += (size_t)w;
			ssize_t w2 = write(fd, out + w, n - (size_t)w);
			if (w2 >= 0 && (size_t)w2 == n - (size_t)w)
				au->partial = false;
			else
				rc = audit_failed(au, "cannot write", w2 < 0 ? errno : ENOSPC);
			if (w2 > 0)
				au->size += (size_t)w2;
		} else if (w < 0) {
			rc = audit_failed(au, "cannot write", errno);
		} else {
			au->partial = false;
			au->size += (size_t)w;
		}
	}
	if (rc != 0 || !au->keep_open)
		audit_close(au);   /* opened afresh for the next record */
	if (rc == 0) {
		au->error[0] = '\0';
		au->error_told = false;
	}
	buf_free(&b);
	return rc;
}

/* Opens the log now and keeps it open between records. */
int app_audit_open(app_audit *au, int *sys_err)
{
	if (sys_err)
		*sys_err = 0;
	if (!au)
		return 0;
	au->keep_open = true;
	if (au->fd >= 0)
		return 0;
	int rc = audit_reopen(au);
	if (rc < 0 && sys_err)
		*sys_err = au->open_err;
	return rc;
}

/* Keeps the log open between records (or not, the default). */
void app_audit_keep_open(app_audit *au, bool on)
{
	if (!au)
		return;
	au->keep_open = on;
	if (!on)
		audit_close(au);
}

/* Returns why writing failed, once per run of failures. */
const char *app_audit_new_error(app_audit *au)
{
	if (!au || !au->error[0] || au->error_told)
		return NULL;
	au->error_told = true;
	return au->error;
}

/* Returns the log file's path. */
const char *app_audit_path(const app_audit *au)
{
	return au ? au->path : NULL;
}

/* ---- the app's side (app-int.h) ---- */

/* Writes the writer's new error into s's transcript, once per run of failures. */
static void audit_tell_error(app_srv *s)
{
	const char *why = app_audit_new_error(s->audit);
	if (!why)
		return;
	char *safe = app_text_safe(why, strlen(why), NULL);
	app_pushf(s, APP_LINE_ERROR, "audit log not written: %s (later commands are tried again)",
	    safe ? safe : "");
	free(safe);
}

/* Gives s its audit writer when its profile is audited. */
void app_audit_attach(app_srv *s)
{
	size_t max = 0;
	if (!app_audit_enabled(s->a->cfg, s->pub.profile, &max))
		return;
	char why[700];
	s->audit = app_audit_new(s->a->opts.state_dir, s->pub.name, max, why, sizeof why);
	if (!s->audit && !s->a->audit_told) {
		s->a->audit_told = true;
		char *safe = app_text_safe(why, strlen(why), NULL);
		app_pushf(s, APP_LINE_ERROR, "audit log off: %s", safe ? safe : "");
		free(safe);
	}
}

/* Records a command that was refused before it could be sent. */
void app_audit_refused(app_srv *s, int origin, const char *cmd, int rc)
{
	if (!s->audit)
		return;
	app_audit_write(s->audit, time(NULL), (enum app_audit_origin)origin, cmd,
	    app_audit_refusal_of(rc), rc_strerror(rc), NULL, 0);
	audit_tell_error(s);
}

/* Records the outcome of pending command p from its reply event. */
void app_audit_outcome(app_srv *s, const app_pending *p, const rc_event *ev)
{
	if (!s->audit)
		return;
	enum app_audit_outcome out = app_audit_outcome_of(ev->status);
	const char *reason = ev->status ? (ev->cause ? ev->cause : rc_strerror(ev->status)) : NULL;
	app_audit_write(s->audit, (time_t)p->issued, (enum app_audit_origin)p->origin, p->cmd, out,
	    reason, ev->status == 0 ? ev->body : NULL, ev->status == 0 && ev->body ? ev->len : 0);
	audit_tell_error(s);
}

/* Records a pending command that ends without an event. */
void app_audit_dropped(app_srv *s, const app_pending *p, bool written)
{
	if (!s->audit)
		return;
	app_audit_write(s->audit, (time_t)p->issued, (enum app_audit_origin)p->origin, p->cmd,
	    written ? APP_AUDIT_UNKNOWN : APP_AUDIT_NOT_SENT,
	    written ? "the connection was closed before the reply" :
	    "the connection was closed before it was sent",
	    NULL, 0);
}
