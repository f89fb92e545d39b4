/* editor.c: an Emacs-style single-line editor over UTF-8 text.
 *
 * Word rules follow readline: M-f/M-b/M-d use letters, digits and '_' (and
 * any non-ASCII letter) as word characters; C-w kills back to the previous
 * whitespace, which is what a shell user expects when deleting a path or a
 * player name with punctuation in it.
 *
 * A prompt that asks for a password is an editor too, so nothing typed is
 * given back to the allocator as it was: an outgrown buffer, a replaced
 * kill buffer and the cleaned copy of an insertion are overwritten before
 * they are freed (editor_release), and editor_wipe clears the rest. */
#include <stdlib.h>
#include <string.h>

#include "rconsole/error.h"
#include "tui/editor.h"
#include "tui/utf8.h"

struct editor {
	char *buf;          /* NUL-terminated */
	size_t len;
	size_t cap;
	size_t cur;         /* byte offset on a character boundary */
	size_t scroll;      /* first byte shown by editor_view() */
	char *kill;         /* kill buffer */
	size_t kill_len;
	bool last_kill;     /* the previous operation was a kill */
	long hist;          /* entry shown, -1 = the line being typed */
	char *live;         /* the typed line, saved while browsing */
};

/* Creates an empty editor. */
editor *editor_new(void)
{
	editor *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->buf = calloc(1, 64);
	if (!e->buf) {
		free(e);
		return NULL;
	}
	e->cap = 64;
	e->hist = -1;
	return e;
}

/* Frees the editor and its buffers (overwritten first: a prompt may have
 * held a password). */
void editor_free(editor *e)
{
	if (!e)
		return;
	editor_wipe(e);
	free(e->buf);
	free(e->kill);
	free(e->live);
	free(e);
}

/* Returns the text. */
const char *editor_text(const editor *e)
{
	return e->buf;
}

/* Returns the text's length in bytes. */
size_t editor_len(const editor *e)
{
	return e->len;
}

/* Returns the cursor offset. */
size_t editor_cursor(const editor *e)
{
	return e->cur;
}

/* Overwrites p's first n bytes and frees it (see the file comment). */
static void editor_release(char *p, size_t n)
{
	if (!p)
		return;
	explicit_bzero(p, n);
	free(p);
}

/* Makes room for len bytes of text plus the NUL; the old buffer is
 * overwritten, not left to realloc. */
static int editor_reserve(editor *e, size_t len)
{
	if (len > EDITOR_MAX)
		return RC_ETOOLONG;
	if (len + 1 <= e->cap)
		return 0;
	size_t cap = e->cap;
	while (cap < len + 1)
		cap *= 2;
	char *p = malloc(cap);
	if (!p)
		return RC_ENOMEM;
	memcpy(p, e->buf, e->len + 1);
	editor_release(e->buf, e->cap);
	e->buf = p;
	e->cap = cap;
	return 0;
}

/* Copies s[0..len) keeping only what a command line may hold; returns a
 * malloc'd string and its length in *out_len, NULL when out of memory. */
static char *editor_clean(const char *s, size_t len, size_t *out_len)
{
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t o = 0, off = 0;
	while (off < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + off, len - off, &cp);
		if (cp == '\t') {
			out[o++] = ' ';
		} else if (cp != UTF8_BAD && cp >= 0x20 && cp != 0x7F &&
		    !(cp >= 0x80 && cp < 0xA0)) {
			memcpy(out + o, s + off, n);
			o += n;
		}
		off += n;
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* Replaces [from, to) with clean text t[0..n); cursor after it. */
static int editor_splice(editor *e, size_t from, size_t to, const char *t, size_t n)
{
	size_t newlen = e->len - (to - from) + n;
	int rc = editor_reserve(e, newlen);
	if (rc < 0)
		return rc;
	memmove(e->buf + from + n, e->buf + to, e->len - to + 1);
	memcpy(e->buf + from, t, n);
	e->len = newlen;
	e->cur = from + n;
	return 0;
}

/* Replaces the text. */
int editor_set(editor *e, const char *text)
{
	size_t n;
	char *c = editor_clean(text, strlen(text), &n);
	if (!c)
		return RC_ENOMEM;
	int rc = editor_reserve(e, n);
	if (rc == 0) {
		memcpy(e->buf, c, n + 1);
		e->len = n;
		e->cur = n;
	}
	editor_release(c, n + 1);
	e->last_kill = false;
	return rc;
}

/* Empties the line. */
void editor_clear(editor *e)
{
	e->buf[0] = '\0';
	e->len = 0;
	e->cur = 0;
	e->scroll = 0;
	e->last_kill = false;
}

/* Empties and overwrites the line and the kill buffer. */
void editor_wipe(editor *e)
{
	memset(e->buf, 0, e->cap);
	if (e->kill)
		memset(e->kill, 0, e->kill_len);
	e->kill_len = 0;
	editor_clear(e);
	editor_history_reset(e);
}

/* Moves the cursor to the character boundary at or before off. */
void editor_set_cursor(editor *e, size_t off)
{
	if (off >= e->len) {
		e->cur = e->len;
		return;
	}
	size_t p = 0;
	while (p < e->len) {
		size_t n = utf8_next(e->buf, e->len, p);
		if (n > off)
			break;
		p = n;
	}
	e->cur = p;
	e->last_kill = false;
}

/* Inserts text at the cursor. */
int editor_insert(editor *e, const char *s, size_t len)
{
	size_t n;
	char *c = editor_clean(s, len, &n);
	if (!c)
		return RC_ENOMEM;
	int rc = editor_splice(e, e->cur, e->cur, c, n);
	editor_release(c, n + 1);
	e->last_kill = false;
	return rc;
}

/* Inserts one code point. */
int editor_insert_cp(editor *e, uint32_t cp)
{
	char b[4];
	size_t n = utf8_encode(cp, b);
	if (n == 0)
		return RC_EINVAL;
	return editor_insert(e, b, n);
}

/* Replaces a byte range (completion). */
int editor_replace(editor *e, size_t from, size_t to, const char *s)
{
	if (from > to || to > e->len)
		return RC_EINVAL;
	size_t n;
	char *c = editor_clean(s, strlen(s), &n);
	if (!c)
		return RC_ENOMEM;
	int rc = editor_splice(e, from, to, c, n);
	editor_release(c, n + 1);
	e->last_kill = false;
	return rc;
}

/* Moves one character left. */
bool editor_left(editor *e)
{
	e->last_kill = false;
	if (e->cur == 0)
		return false;
	e->cur = utf8_prev(e->buf, e->len, e->cur);
	return true;
}

/* Moves one character right. */
bool editor_right(editor *e)
{
	e->last_kill = false;
	if (e->cur >= e->len)
		return false;
	e->cur = utf8_next(e->buf, e->len, e->cur);
	return true;
}

/* Moves to the start of the line. */
bool editor_home(editor *e)
{
	e->last_kill = false;
	bool moved = e->cur != 0;
	e->cur = 0;
	return moved;
}

/* Moves to the end of the line. */
bool editor_end(editor *e)
{
	e->last_kill = false;
	bool moved = e->cur != e->len;
	e->cur = e->len;
	return moved;
}

/* Decodes the code point starting at off. */
static uint32_t editor_cp_at(const editor *e, size_t off)
{
	uint32_t cp;
	utf8_decode(e->buf + off, e->len - off, &cp);
	return cp;
}

/* Returns where M-f from off lands: past non-word then word characters. */
static size_t editor_word_end(const editor *e, size_t off)
{
	while (off < e->len && !utf8_is_word(editor_cp_at(e, off)))
		off = utf8_next(e->buf, e->len, off);
	while (off < e->len && utf8_is_word(editor_cp_at(e, off)))
		off = utf8_next(e->buf, e->len, off);
	return off;
}

/* Returns where M-b from off lands: back over non-word then word characters. */
static size_t editor_word_start(const editor *e, size_t off)
{
	while (off > 0) {
		size_t p = utf8_prev(e->buf, e->len, off);
		if (utf8_is_word(editor_cp_at(e, p)))
			break;
		off = p;
	}
	while (off > 0) {
		size_t p = utf8_prev(e->buf, e->len, off);
		if (!utf8_is_word(editor_cp_at(e, p)))
			break;
		off = p;
	}
	return off;
}

/* Moves to the start of the previous word. */
bool editor_word_left(editor *e)
{
	e->last_kill = false;
	size_t p = editor_word_start(e, e->cur);
	bool moved = p != e->cur;
	e->cur = p;
	return moved;
}

/* Moves to the end of the next word. */
bool editor_word_right(editor *e)
{
	e->last_kill = false;
	size_t p = editor_word_end(e, e->cur);
	bool moved = p != e->cur;
	e->cur = p;
	return moved;
}

/* Deletes [from, to) without touching the kill buffer. */
static void editor_cut(editor *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
}

/* Deletes the character before the cursor. */
bool editor_backspace(editor *e)
{
	e->last_kill = false;
	if (e->cur == 0)
		return false;
	/* Backspace removes one code point, so a combining accent typed last
	 * can be taken back on its own. */
	size_t p = e->cur - 1;
	while (p > 0 && ((unsigned char)e->buf[p] & 0xC0) == 0x80)
		p--;
	uint32_t cp;
	if (p + utf8_decode(e->buf + p, e->cur - p, &cp) != e->cur)
		p = e->cur - 1;
	editor_cut(e, p, e->cur);
	return true;
}

/* Deletes the character under the cursor. */
bool editor_delete(editor *e)
{
	e->last_kill = false;
	if (e->cur >= e->len)
		return false;
	editor_cut(e, e->cur, utf8_next(e->buf, e->len, e->cur));
	return true;
}

/* Kills [from, to) into the kill buffer; appends or prepends after a kill. */
static bool editor_kill(editor *e, size_t from, size_t to, bool backward)
{
	if (from == to) {
		e->last_kill = true;
		return false;
	}
	size_t n = to - from;
	size_t keep = e->last_kill ? e->kill_len : 0;
	char *k = malloc(keep + n + 1);
	if (!k)
		return false;
	if (backward) {
		memcpy(k, e->buf + from, n);
		if (keep)
			memcpy(k + n, e->kill, keep);
	} else {
		if (keep)
			memcpy(k, e->kill, keep);
		memcpy(k + keep, e->buf + from, n);
	}
	k[keep + n] = '\0';
	editor_release(e->kill, e->kill_len);
	e->kill = k;
	e->kill_len = keep + n;
	editor_cut(e, from, to);
	e->last_kill = true;
	return true;
}

/* Kills to the end of the line. */
bool editor_kill_end(editor *e)
{
	return editor_kill(e, e->cur, e->len, false);
}

/* Kills to the start of the line. */
bool editor_kill_start(editor *e)
{
	return editor_kill(e, 0, e->cur, true);
}

/* Kills back to the previous whitespace (unix-word-rubout). */
bool editor_kill_word_back(editor *e)
{
	size_t p = e->cur;
	while (p > 0 && e->buf[p - 1] == ' ')
		p--;
	while (p > 0 && e->buf[p - 1] != ' ')
		p = utf8_prev(e->buf, e->len, p);
	return editor_kill(e, p, e->cur, true);
}

/* Kills to the end of the next word. */
bool editor_kill_word_fwd(editor *e)
{
	return editor_kill(e, e->cur, editor_word_end(e, e->cur), false);
}

/* Inserts the kill buffer. */
int editor_yank(editor *e)
{
	if (!e->kill)
		return 0;
	int rc = editor_splice(e, e->cur, e->cur, e->kill, e->kill_len);
	e->last_kill = false;
	return rc;
}

/* Returns the kill buffer. */
const char *editor_killed(const editor *e)
{
	return e->kill ? e->kill : "";
}

/* Shows history entry i. */
static bool editor_show_entry(editor *e, const editor_hist *h, long i)
{
	const char *s = h->get(h->arg, (size_t)i);
	if (!s || editor_set(e, s) < 0)
		return false;
	e->hist = i;
	return true;
}

/* Shows the previous history entry.  One the line cannot hold (longer than
 * EDITOR_MAX: a history file written by something else) is stepped over,
 * not a wall that hides every older one. */
bool editor_history_prev(editor *e, const editor_hist *h)
{
	size_t n = h->count(h->arg);
	if (e->hist == 0 || n == 0)
		return false;
	long from = e->hist < 0 || (size_t)e->hist > n ? (long)n : e->hist;
	for (long i = from - 1; i >= 0; i--) {
		char *save = e->hist < 0 ? strdup(e->buf) : NULL;
		if (e->hist < 0 && !save)
			return false;
		if (editor_show_entry(e, h, i)) {
			if (save) {
				free(e->live);
				e->live = save;
			}
			return true;
		}
		free(save);
	}
	return false;
}

/* Shows the next history entry or the saved line (stepping over entries
 * the line cannot hold, as editor_history_prev does). */
bool editor_history_next(editor *e, const editor_hist *h)
{
	if (e->hist < 0)
		return false;
	size_t n = h->count(h->arg);
	for (size_t i = (size_t)e->hist + 1; i < n; i++)
		if (editor_show_entry(e, h, (long)i))
			return true;
	editor_set(e, e->live ? e->live : "");
	free(e->live);
	e->live = NULL;
	e->hist = -1;
	return true;
}

/* Forgets history browsing. */
void editor_history_reset(editor *e)
{
	e->hist = -1;
	free(e->live);
	e->live = NULL;
}

/* Returns the history index shown. */
long editor_history_pos(const editor *e)
{
	return e->hist;
}

/* Searches history backwards for needle. */
long editor_history_find(const editor_hist *h, long before, const char *needle)
{
	long n = (long)h->count(h->arg);
	if (before > n || before < 0)
		before = n;
	for (long i = before - 1; i >= 0; i--) {
		const char *s = h->get(h->arg, (size_t)i);
		if (s && strstr(s, needle))
			return i;
	}
	return -1;
}

/* Measures [from, to) as shown (masked: one column per character). */
static int editor_cols(const editor *e, size_t from, size_t to, bool masked)
{
	if (!masked)
		return utf8_width(e->buf + from, to - from);
	int w = 0;
	while (from < to) {
		from = utf8_next(e->buf, e->len, from);
		w++;
	}
	return w;
}

/* Scrolls the view to keep the cursor visible. */
void editor_view(editor *e, int width, bool masked, size_t *start, int *col)
{
	if (width < 1)
		width = 1;
	if (e->scroll > e->cur)
		e->scroll = e->cur;
	if (e->scroll > e->len)
		e->scroll = e->len;
	/* The cursor needs its own column, so text before it gets width - 1. */
	while (e->scroll < e->cur && editor_cols(e, e->scroll, e->cur, masked) > width - 1)
		e->scroll = utf8_next(e->buf, e->len, e->scroll);
	/* Scroll back while everything from one character earlier still fits. */
	while (e->scroll > 0) {
		size_t p = utf8_prev(e->buf, e->len, e->scroll);
		size_t end = e->len;
		if (editor_cols(e, p, end, masked) + (e->cur == e->len ? 1 : 0) > width)
			break;
		e->scroll = p;
	}
	*start = e->scroll;
	*col = editor_cols(e, e->scroll, e->cur, masked);
}
