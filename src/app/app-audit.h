/* app-audit.h: the audit log — one line per command sent to a server, in
 * <state_dir>/log/<server>.log, for the console and the one-shot runner alike.
 *
 * A record is written when the command's outcome is known (answered, outcome
 * unknown, not sent, refused), and carries the time it was issued:
 *   2026-12-01T22:40:05+01:00 user=alice server=survival origin=console
 *   outcome=answered bytes=38 cmd="ban Griefer" reply="Banned Griefer: ..."
 * (one line).  Values with anything but letters, digits and - _ . / : @ are
 * quoted; inside quotes " and \ get a backslash and every byte that is not
 * printable UTF-8 (controls, escapes, invalid UTF-8, bidi controls) becomes
 * \xNN, so a line never holds a terminal escape and reads back exactly.
 * The reply's first line is cut at 200 bytes (then "..." follows the closing
 * quote); bytes= is the whole reply's size.  The password never reaches this
 * module.
 *
 * Writing: the file is opened per record with O_APPEND | O_NONBLOCK (mode
 * 0600; the state and log directories are made 0700 and judged like the
 * history's, app_state_dir_check), anything but a regular file is refused,
 * and each record is one write(), so several rconsole processes never mix
 * their lines.  A short-lived writer that logs many records (the one-shot
 * runner) asks with app_audit_keep_open() to keep the file open between
 * records instead, so a record costs one write(): once a second, and
 * before a record that would take the file past its size, it checks that
 * the path still names the file it holds (another process may have rotated
 * or removed it) and opens it afresh when not, and after a failed write it
 * opens afresh for the next record.  Nothing is ever rewritten: a full disk loses the new record,
 * never old ones (a record cut short is ended by a newline before the next
 * one).  Before a write that would take the file past max_bytes it is
 * renamed to <file>.1 (replacing the previous .1) and a new one is begun.
 * Nothing here includes curses, prints or blocks on the network: the
 * transport of the commands is none of its business.
 *
 * Ownership: app_audit_new() returns a writer freed with app_audit_free();
 * every string argument is copied or only read during the call. */
#ifndef RCONSOLE_APP_AUDIT_H
#define RCONSOLE_APP_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "rconsole/rconsole.h"

enum app_audit_origin {
	APP_AUDIT_CONSOLE = 0, /* typed on the console's command line */
	APP_AUDIT_BROADCAST,   /* :all / :tag */
	APP_AUDIT_ACTION,      /* a player action (kick, ban, op ...) */
	APP_AUDIT_ONESHOT      /* -c / -c - */
};

enum app_audit_outcome {
	APP_AUDIT_ANSWERED = 0,
	APP_AUDIT_UNKNOWN,     /* written, no complete answer ("outcome unknown") */
	APP_AUDIT_NOT_SENT,    /* never written (not connected, lost in the queue) */
	APP_AUDIT_REFUSED      /* refused before sending (read-only, too long, invalid) */
};

typedef struct app_audit_record {
	time_t when;                 /* when the command was issued */
	const char *user;            /* local user name */
	const char *server;
	enum app_audit_origin origin;
	const char *cmd;
	enum app_audit_outcome outcome;
	const char *reason;          /* why it was refused / not sent / unknown, or NULL */
	const char *reply;           /* APP_AUDIT_ANSWERED: the reply (NULL = empty) */
	size_t reply_len;
	size_t reply_size;           /* the whole reply's bytes when reply holds only its
	                                beginning (a streamed reply); 0 = reply_len */
} app_audit_record;

typedef struct app_audit app_audit;

/* Formats r as one line ending in '\n' (see the top of this file) into a
 * malloc'd string; *len (may be NULL) gets its length.  NULL on ENOMEM. */
char *app_audit_format(const app_audit_record *r, size_t *len);
/* Returns the malloc'd log file name of a server: the history's mapping
 * (letters, digits, - _ . kept, every other byte %XX, no leading '.') plus
 * ".log", so "[::1]:25575" becomes "%5B%3A%3A1%5D%3A25575.log". */
char *app_audit_file_name(const char *server);
/* Returns the outcome of a reply event's status (rc_event.status). */
enum app_audit_outcome app_audit_outcome_of(int status);
/* Returns the outcome of a refusal by rc_conn_send() (RC_E* code). */
enum app_audit_outcome app_audit_refusal_of(int rc);
/* Returns the local user's name (as getpwuid(getuid()) says, see
 * lib/passwd.c; looked up once; "#uid"
 * when there is no such entry).  Never NULL. */
const char *app_audit_user(void);

/* Says whether profile p (under cfg's globals; either may be NULL) is
 * audited, and sets *max_bytes to its rotation size. */
bool app_audit_enabled(const rc_config *cfg, const rc_profile *p, size_t *max_bytes);
/* Creates server's writer in state_dir (NULL: app_state_path's default).
 * Returns NULL with why filled when the state directory or its log/
 * subdirectory is not safe to use (app_state_dir_check), or there is none;
 * nothing is created on disk until the first record. */
app_audit *app_audit_new(const char *state_dir, const char *server, size_t max_bytes,
    char *why, size_t cap);
/* Frees a writer.  NULL is a no-op. */
void app_audit_free(app_audit *au);
/* Appends one record for command cmd (fields as in app_audit_record; the
 * user and server are the writer's).  Returns 0, or RC_EIO (then
 * app_audit_new_error() says why once); the next record is tried again.
 * au NULL does nothing. */
int app_audit_write(app_audit *au, time_t when, enum app_audit_origin origin, const char *cmd,
    enum app_audit_outcome outcome, const char *reason, const char *reply, size_t reply_len);
/* Like app_audit_write() for a reply that was streamed: head[head_len] is its
 * beginning (for the first line) and size the whole reply's bytes. */
int app_audit_write_head(app_audit *au, time_t when, enum app_audit_origin origin,
    const char *cmd, enum app_audit_outcome outcome, const char *reason, const char *head,
    size_t head_len, size_t size);
/* Keeps the log open between records (on), or opens it per record (off,
 * the default: a long-running process holds no descriptor for it). */
void app_audit_keep_open(app_audit *au, bool on);
/* Opens the log now (creating it, empty, when missing) and keeps it open
 * between records, as app_audit_keep_open(au, true) does: a caller that
 * must not send a command it cannot record opens it before sending.
 * Returns 0, or RC_EIO with *sys_err (may be NULL) the errno of the open
 * that failed (EMFILE: out of descriptors), 0 when it was refused after
 * opening (not a regular file); app_audit_new_error() says why.
 * au NULL does nothing. */
int app_audit_open(app_audit *au, int *sys_err);
/* Returns why writing failed the first time it is asked since the writes
 * began to fail ("cannot write /p: No space left on device"), else NULL. */
const char *app_audit_new_error(app_audit *au);
/* Returns the log file's path. */
const char *app_audit_path(const app_audit *au);

#endif
