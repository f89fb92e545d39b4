/* app-text.c: the words the console writes — reply bodies split into safe
 * transcript lines, refusals, failures, and history file names.
 *
 * Server text is never trusted: every line goes through rc_text_sanitize
 * (no ESC, no C0/C1 controls, valid UTF-8), tabs become spaces up to the
 * next multiple of 8 columns, and § codes are kept for the TUI to colour. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-int.h"
#include "app/app-split.h"

#define APP_TAB 8

/* Returns how many bytes of s[len] fit in cap bytes without splitting a
 * UTF-8 character. */
static size_t text_cut(const char *s, size_t len, size_t cap)
{
	if (len <= cap)
		return len;
	size_t n = cap;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* Returns a malloc'd copy of s[len] with tabs expanded to spaces; columns
 * count characters, not bytes, and § codes take none. */
static char *text_untab(const char *s, size_t len, size_t *out_len)
{
	size_t tabs = 0;
	for (size_t i = 0; i < len; i++)
		tabs += s[i] == '\t';
	char *out = malloc(len + tabs * (APP_TAB - 1) + 1);
	if (!out)
		return NULL;
	size_t n = 0, col = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t') {
			do
				out[n++] = ' ';
			while (++col % APP_TAB);
			continue;
		}
		if (c == 0xC2 && i + 2 < len && (unsigned char)s[i + 1] == 0xA7) {
			out[n++] = s[i++];
			out[n++] = s[i++];
			out[n++] = s[i];    /* the code's first byte; continuation bytes follow */
			continue;
		}
		if ((c & 0xC0) != 0x80)
			col++;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* Returns a malloc'd terminal-safe copy of text[len] (control characters
 * replaced, tabs expanded, cut to APP_LINE_MAX with a note); NULL on ENOMEM.
 * Input past the limit is dropped before sanitising, so a 16 MiB line costs
 * no more than a 64 KiB one. */
char *app_text_safe(const char *text, size_t len, size_t *out_len)
{
	return app_text_safe_cut(text, len, 0, out_len);
}

/* Returns a malloc'd terminal-safe copy of text[len] like app_text_safe,
 * for a line whose next dropped bytes the caller has already thrown away:
 * when dropped > 0 the copy ends with the cut note, which counts them. */
char *app_text_safe_cut(const char *text, size_t len, size_t dropped, size_t *out_len)
{
	size_t in = text_cut(text, len, APP_LINE_MAX);
	size_t n = 0;
	char *clean = rc_text_sanitize(text, in, "\t", &n);
	if (!clean)
		return NULL;
	if (memchr(clean, '\t', n)) {
		size_t m;
		char *wide = text_untab(clean, n, &m);
		free(clean);
		if (!wide)
			return NULL;
		clean = wide;
		n = m;
	}
	if (n > APP_LINE_MAX || in < len || dropped > 0) {
		/* Sanitising grows text, tabs too: cut again, then say how much went. */
		size_t keep = text_cut(clean, n, APP_LINE_MAX - 64);
		size_t cut = len - in + (n - keep) + dropped;
		char *p = keep + 64 <= n ? clean : realloc(clean, keep + 64);
		if (!p) {
			free(clean);
			return NULL;
		}
		clean = p;
		snprintf(clean + keep, 64, " … [%zu bytes cut]", cut);
		n = strlen(clean);
	}
	if (out_len)
		*out_len = n;
	return clean;
}

/* Returns true when s[len] holds nothing but blanks and newlines. */
static bool text_blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* Calls push(dst, prefix, piece) for every line of body: CRLF and LF end a
 * line, and kind's splitter cuts each line where the server glued messages
 * together; pieces before skip are counted but not pushed.  Returns the
 * number of pieces. */
static size_t text_pieces(app_srv *dst, const char *prefix, enum app_split_kind kind,
    const char *body, size_t len, size_t skip)
{
	size_t count = 0;
	const char *p = body, *end = body + len;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		size_t off = 0;
		do {
			size_t cut = app_split_next(kind, p, n, off);
			if (cut <= off)
				cut = n;
			if (count++ >= skip)
				app_text_line(dst, prefix, APP_LINE_REPLY, p + off, cut - off);
			off = cut;
		} while (off < n);
		if (!nl)
			break;
		p = nl + 1;
	}
	return count;
}

/* Writes one line to dst's transcript, sanitised, after prefix (may be NULL). */
void app_text_line(app_srv *dst, const char *prefix, enum app_line_kind kind, const char *text,
    size_t len)
{
	size_t m;
	char *safe = app_text_safe(text, len, &m);
	if (!safe)
		return;
	if (prefix && *prefix)
		app_pushf(dst, kind, "%s%s", prefix, safe);
	else
		app_push(dst, kind, safe, m);
	free(safe);
}

/* Writes a reply body to dst's transcript (see app-int.h): one line per
 * server line, split where the server glued messages (kind), each after
 * prefix; trailing empty lines are dropped, an empty reply is one "(no
 * output)" line, and a reply longer than the scrollback keeps only its last
 * lines (with a line saying how many were dropped). */
void app_text_reply_to(app_srv *dst, const char *prefix, int kind,
    const char *body, size_t len)
{
	if (!prefix)
		prefix = "";
	if (text_blank(body, len)) {
		app_pushf(dst, APP_LINE_INFO, "%s(no output)", prefix);
		return;
	}
	while (len > 0 && (body[len - 1] == '\n' || body[len - 1] == '\r'))
		len--;
	size_t lines = text_pieces(dst, prefix, kind, body, len, SIZE_MAX);
	size_t skip = 0;
	if (lines > dst->a->scrollback) {
		skip = lines - dst->a->scrollback + 1;
		app_pushf(dst, APP_LINE_INFO, "%s(%zu earlier lines of this reply not kept)", prefix, skip);
	}
	text_pieces(dst, prefix, kind, body, len, skip);
}

/* Formats into a malloc'd string; NULL on ENOMEM. */
__attribute__((format(printf, 1, 2)))
static char *text_fmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *out = NULL;
	if (vasprintf(&out, fmt, ap) < 0)
		out = NULL;
	va_end(ap);
	return out;
}

/* How to connect s at once, as "%s%s" of *a and the return: F5 in s's own
 * pane (own), where s is the selected server; ":connect NAME" in another's. */
static const char *text_connect_hint(const app_srv *s, bool own, const char **a)
{
	*a = own ? "F5 or :connect" : ":connect ";
	return own ? "" : s->pub.name;
}

/* Returns the malloc'd one-line reason rc_conn_send() refused cmd with err
 * on s (NULL on ENOMEM); own: for s's own pane (see app-int.h). */
char *app_text_refusal_msg(app_srv *s, int err, const char *cmd, bool own)
{
	size_t len = strlen(cmd);
	char *q = app_text_safe(cmd, len, NULL);
	const char *name = s->pub.name;
	char *msg = NULL;
	const char *how = NULL, *who = text_connect_hint(s, own, &how);
	if (!q)
		return NULL;
	switch (err) {
	case RC_EREADONLY:
		/* The engine refuses any ';' of a read-only Source line (core.c):
		 * saying "not in the allowlist" of 'help x;stop' would send the
		 * admin looking for an entry that is there. */
		if (s->source && strchr(cmd, ';'))
			msg = text_fmt("refused (read-only): '%s' holds ';', which starts another "
			    "command on a Source server", q);
		else
			msg = text_fmt("refused (read-only): '%s' is not in the allowlist", q);
		break;
	case RC_ETOOLONG:
		msg = text_fmt("refused: command too long (%zu bytes; %s allows %d)",
		    len, name, s->max_cmd);
		break;
	case RC_EINVAL:
		msg = text_fmt("refused: a command cannot contain a newline, CR or NUL");
		break;
	case RC_ECONFIG:
		msg = text_fmt("not sent: %s has a configuration error (%s); fix it, or :connect %s "
		    "to type the password", name, s->pub.cause ? s->pub.cause : "see above", name);
		break;
	case RC_EFULL:
		msg = text_fmt("not sent: too many commands waiting for %s (send it again once "
		    "replies came back)", name);
		break;
	case RC_ENOTREADY:
		switch (rc_conn_state(s->pub.conn)) {
		case RC_STATE_BACKOFF: {
			int64_t ms = rc_conn_retry_in_ms(s->pub.conn);
			msg = text_fmt("not sent: %s is reconnecting (retry in %ld s; %s%s retries now)",
			    name, app_text_secs(ms), how, who);
			break;
		}
		case RC_STATE_AUTH_FAILED:
			msg = text_fmt("not sent: %s: authentication failed "
			    "(:connect %s to type the password)", name, name);
			break;
		case RC_STATE_IDLE:
			msg = text_fmt("not sent: %s is disconnected (%s%s)", name, how, who);
			break;
		case RC_STATE_FAILED:
			msg = text_fmt("not sent: %s: connection failed (%s%s to retry)", name, how, who);
			break;
		default:
			msg = text_fmt("not sent: %s is still connecting (send it again once it is "
			    "connected)", name);
			break;
		}
		break;
	default:
		msg = text_fmt("not sent: %s", rc_strerror(err));
		break;
	}
	free(q);
	return msg;
}

/* Returns the malloc'd line for a user command of s that failed after
 * acceptance (NULL on ENOMEM). */
char *app_text_failed_msg(app_srv *s, const app_pending *p, int status, size_t came)
{
	char *q = app_text_safe(p->cmd, strlen(p->cmd), NULL);
	char *msg = NULL, dur[24], cut[64] = "";
	if (!q)
		return NULL;
	if (came)
		snprintf(cut, sizeof cut, "; its reply above is cut after %zu bytes", came);
	switch (status) {
	case RC_ELOST:
		msg = text_fmt(s->user_stop
		    ? "outcome unknown: disconnected after '%s' was sent%s"
		    : "outcome unknown: connection lost after '%s' was sent%s", q, cut);
		break;
	case RC_ENOTSENT:
	case RC_ECANCELED:
		msg = text_fmt("not sent: the connection closed before '%s' was written", q);
		break;
	case RC_ETIMEOUT:
		/* Not "no reply" when part of it is on the screen. */
		rc_timeout_text(dur, sizeof dur, s->timeout_ms);
		msg = came ? text_fmt("outcome unknown: the reply to '%s' stopped after %zu bytes "
		    "(above): nothing more came within %s (reconnecting)", q, came, dur)
		    : text_fmt("outcome unknown: no reply to '%s' within %s (reconnecting)", q, dur);
		break;
	case RC_ETOOBIG:
		msg = text_fmt("the reply to '%s' was too large and was discarded", q);
		break;
	default:
		msg = text_fmt("'%s' failed: %s", q, rc_strerror(status));
		break;
	}
	free(q);
	return msg;
}

/* Writes the one-line reason rc_conn_send() refused cmd with err. */
void app_text_refusal(app_srv *s, int err, const char *cmd)
{
	char *msg = app_text_refusal_msg(s, err, cmd, true);
	if (msg)
		app_push(s, APP_LINE_ERROR, msg, strlen(msg));
	free(msg);
}

/* Writes the line for a user command that failed after acceptance. */
void app_text_failed(app_srv *s, const app_pending *p, int status, size_t came)
{
	char *msg = app_text_failed_msg(s, p, status, came);
	if (msg)
		app_push(s, APP_LINE_ERROR, msg, strlen(msg));
	free(msg);
}

/* Returns true for bytes kept as is in a history file name. */
static bool text_name_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_' || c == '.';
}

/* Writes the history file name for a server name into a malloc'd string:
 * letters, digits, '-', '_' and '.' stay, every other byte (and a leading
 * '.') becomes %XX, so two names never share a file and none escapes the
 * directory. */
char *app_text_file_name(const char *name)
{
	size_t len = strlen(name);
	char *out = malloc(len * 3 + 2);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (text_name_safe(c) && !(i == 0 && c == '.'))
			out[n++] = (char)c;
		else
			n += (size_t)sprintf(out + n, "%%%02X", c);
	}
	if (n == 0)
		out[n++] = '_';
	out[n] = '\0';
	return out;
}

/* Returns ms as the nearest whole second, at least 1 when ms > 0: the one
 * rule for every wait the console says, the log's "reconnecting in N s" and
 * the live countdowns alike (app_retry_seconds), so they never differ.
 * Rounding up said "reconnecting in 2 s" of a retry 1.1 s away; the floor
 * of 1 keeps a countdown from showing 0 while it still waits. */
long app_text_secs(int64_t ms)
{
	if (ms <= 0)
		return 0;
	long secs = (long)((ms + 500) / 1000);
	return secs > 0 ? secs : 1;
}
