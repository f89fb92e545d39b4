/* cmdsource.c: the commands of a -c run, stdin streamed line by line
 * (see cmdsource.h for the contract). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmdsource.h"

#define CMDSOURCE_INBUF 65536

struct slot {
	char *buf;              /* max_line + 1 bytes, allocated on first use */
	const char *text;       /* buf, or a borrowed -c value */
	size_t line;
};

struct cmdsource {
	const char *const *items;
	size_t n_items;
	size_t item;            /* the -c value being produced */
	bool stdin_taken;       /* a "-" has read stdin (a later one reads nothing) */
	bool eof;
	unsigned flags;
	size_t max_line;
	cmdsource_refuse_cb refuse;
	void *arg;
	struct slot win[CMDSOURCE_WINDOW];
	uint64_t base;          /* oldest command still held */
	uint64_t count;         /* commands produced */
	/* the stdin line being assembled */
	char *part;
	size_t part_len;
	size_t line_no;         /* 1-based number of that line */
	bool started;           /* past its leading whitespace */
	bool overlong;          /* refused: the rest of it is skipped */
	bool comment;           /* starts with '#': skipped, never refused */
	bool pending_cr;        /* raw input: a CR past a full buffer */
	bool any;               /* it holds at least one byte */
	bool slash;             /* its one leading '/' was dropped */
	/* a UTF-8 byte order mark opening stdin (Notepad writes one) */
	size_t bom_n;           /* its bytes seen so far, held back */
	bool bom_done;          /* past where it could be */
	/* what cmdsource_read() read and the window could not take yet */
	char *in;
	size_t in_off, in_len;
};

/* Returns true for the whitespace trimmed around a line. */
static bool cs_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Tells whether the -c value being produced is the stdin one. */
static bool cs_on_stdin(const cmdsource *cs)
{
	return cs->item < cs->n_items && !strcmp(cs->items[cs->item], "-") && !cs->stdin_taken;
}

/* Tells whether the window has room for one more command. */
static bool cs_room(const cmdsource *cs)
{
	return cs->count - cs->base < CMDSOURCE_WINDOW;
}

/* Appends a command to the window (there is room); copy it when text is
 * the line buffer.  Returns -1 when out of memory (the command is dropped
 * and refused). */
static int cs_push(cmdsource *cs, const char *text, size_t len, size_t line, bool copy)
{
	struct slot *s = &cs->win[cs->count % CMDSOURCE_WINDOW];
	if (copy) {
		if (!s->buf && !(s->buf = malloc(cs->max_line + 1)))
			return -1;
		memcpy(s->buf, text, len);
		s->buf[len] = '\0';
		text = s->buf;
	}
	s->text = text;
	s->line = line;
	cs->count++;
	return 0;
}

/* Refuses stdin line `line` through the callback. */
static void cs_refuse(cmdsource *cs, size_t line, const char *why)
{
	if (cs->refuse)
		cs->refuse(cs->arg, line, why);
}

/* Forgets the line being assembled and moves to the next line number. */
static void cs_line_reset(cmdsource *cs)
{
	cs->part_len = 0;
	cs->started = cs->overlong = cs->comment = cs->pending_cr = cs->any = false;
	cs->slash = false;
	cs->line_no++;
}

static void cs_line_byte(cmdsource *cs, char c);

/* Ends the wait for a byte order mark: the bytes held as its beginning
 * were text after all. */
static void cs_bom_give_back(cmdsource *cs)
{
	size_t n = cs->bom_n;
	cs->bom_done = true;
	cs->bom_n = 0;
	for (size_t i = 0; i < n; i++)
		cs_line_byte(cs, "\xef\xbb\xbf"[i]);
}

/* Ends the line being assembled (there is room in the window). */
static void cs_line_done(cmdsource *cs)
{
	if (!cs->bom_done)
		cs_bom_give_back(cs);
	char *p = cs->part;
	size_t n = cs->part_len;
	bool raw = cs->flags & CMDSOURCE_RAW_INPUT;
	if (!cs->overlong && !cs->comment) {
		if (raw && !cs->pending_cr && n && p[n - 1] == '\r')
			n--;
		while (!raw && n && cs_space(p[n - 1]))
			n--;
		if (n && cs_push(cs, p, n, cs->line_no, true) < 0)
			cs_refuse(cs, cs->line_no, "out of memory; not sent");
		else if (!n && cs->slash)
			cs_refuse(cs, cs->line_no, "'/' alone is no command; not sent");
	}
	cs_line_reset(cs);
}

/* Adds one byte of a line (not its LF) to the line being assembled. */
static void cs_line_byte(cmdsource *cs, char c)
{
	bool raw = cs->flags & CMDSOURCE_RAW_INPUT;
	cs->any = true;
	/* Dropped as the configuration loader drops it, except with
	 * --raw-input; any other byte ends the wait for it. */
	if (!cs->bom_done && !raw) {
		if ((unsigned char)c == (unsigned char)"\xef\xbb\xbf"[cs->bom_n]) {
			if (++cs->bom_n == 3) {
				cs->bom_done = true;
				cs->bom_n = 0;
			}
			return;
		}
		cs_bom_give_back(cs);
	}
	cs->bom_done = true;
	if (cs->overlong || cs->comment)
		return;
	if (!raw && !cs->started) {
		if (cs_space(c))
			return;
		cs->started = true;
		if (c == '#') {
			cs->comment = true;     /* never sent, so never too long */
			return;
		}
		if (c == '/') {
			cs->slash = true;       /* as the console and the server drop it */
			return;
		}
	}
	if (cs->pending_cr || cs->part_len == cs->max_line) {
		/* Past the limit only what trimming would remove may follow: a
		 * trailing blank, or in raw mode the CR of a CR LF ending. */
		if (!raw && cs_space(c))
			return;
		if (raw && c == '\r' && !cs->pending_cr) {
			cs->pending_cr = true;
			return;
		}
		char why[96];
		snprintf(why, sizeof why, "longer than the %zu bytes a command may have; not sent",
		    cs->max_line);
		cs->overlong = true;
		cs_refuse(cs, cs->line_no, why);
		return;
	}
	cs->part[cs->part_len++] = c == '\0' ? '\n' : c;
}

/* Copies at most n bytes of p into a line that has begun (past a byte
 * order mark, its leading blanks, '#' and '/') while they fit under the
 * limit: what cs_line_byte would do with each, without a decision per
 * byte.  Returns how many it took; the others go through cs_line_byte. */
static size_t cs_line_run(cmdsource *cs, const char *p, size_t n)
{
	bool raw = cs->flags & CMDSOURCE_RAW_INPUT;
	if (!cs->bom_done || (!raw && !cs->started) || cs->overlong || cs->comment ||
	    cs->pending_cr)
		return 0;
	size_t room = cs->max_line - cs->part_len, k = n < room ? n : room;
	char *out = cs->part + cs->part_len;
	for (size_t i = 0; i < k; i++)
		out[i] = p[i] == '\0' ? '\n' : p[i];
	cs->part_len += k;
	cs->any = cs->any || k;
	return k;
}

/* Moves -c values into the window as far as it goes; ends stdin's turn
 * once it is over (the last line without a newline included). */
static void cs_advance(cmdsource *cs)
{
	while (cs->item < cs->n_items && cs_room(cs)) {
		if (cs_on_stdin(cs)) {
			if (!cs->eof || cs->in_off < cs->in_len)
				return;
			if (cs->any)
				cs_line_done(cs);
			cs->stdin_taken = true;
			cs->item++;
			continue;
		}
		const char *cmd = cs->items[cs->item];
		if (strcmp(cmd, "-"))
			cs_push(cs, cmd + (cmd[0] == '/'), 0, 0, false);   /* one leading '/' */
		cs->item++;
	}
}

/* Creates the source (see cmdsource.h). */
cmdsource *cmdsource_new(const char *const *cmds, size_t n, size_t max_line, unsigned flags,
    cmdsource_refuse_cb refuse, void *arg)
{
	cmdsource *cs = calloc(1, sizeof *cs);
	if (!cs)
		return NULL;
	cs->items = cmds;
	cs->n_items = n;
	cs->max_line = max_line ? max_line : 1;
	cs->flags = flags;
	cs->refuse = refuse;
	cs->arg = arg;
	cs->line_no = 1;
	cs->part = malloc(cs->max_line + 1);
	if (!cs->part) {
		free(cs);
		return NULL;
	}
	cs_advance(cs);
	return cs;
}

/* Frees the source. */
void cmdsource_free(cmdsource *cs)
{
	if (!cs)
		return;
	for (size_t i = 0; i < CMDSOURCE_WINDOW; i++)
		free(cs->win[i].buf);
	free(cs->part);
	free(cs->in);
	free(cs);
}

/* Takes stdin bytes until the window is full. */
size_t cmdsource_feed(cmdsource *cs, const char *buf, size_t len)
{
	size_t i = 0;
	if (!cs_on_stdin(cs))
		return 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		while (i < end) {
			i += cs_line_run(cs, buf + i, end - i);
			if (i < end)
				cs_line_byte(cs, buf[i++]);
		}
		if (!nl)
			break;
		if (!cs_room(cs))
			return i;       /* the LF waits until a command is released */
		cs_line_done(cs);
		i++;
	}
	return len;
}

/* Marks the end of stdin. */
void cmdsource_end(cmdsource *cs)
{
	if (!cs_on_stdin(cs))
		return;
	cs->eof = true;
	cs_advance(cs);
}

/* Feeds what cmdsource_read() holds, then moves on past stdin if it is over. */
static void cs_pump(cmdsource *cs)
{
	if (cs->in_off < cs->in_len)
		cs->in_off += cmdsource_feed(cs, cs->in + cs->in_off, cs->in_len - cs->in_off);
	cs_advance(cs);
}

/* Tells whether the source wants stdin bytes now. */
bool cmdsource_wants_input(const cmdsource *cs)
{
	return cs_on_stdin(cs) && !cs->eof && cs->in_off == cs->in_len;
}

/* Reads once from fd. */
int cmdsource_read(cmdsource *cs, int fd)
{
	if (!cmdsource_wants_input(cs))
		return 0;
	if (!cs->in && !(cs->in = malloc(CMDSOURCE_INBUF))) {
		errno = ENOMEM;
		return -1;
	}
	ssize_t r = read(fd, cs->in, CMDSOURCE_INBUF);
	if (r < 0)
		return errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	if (r == 0) {
		cmdsource_end(cs);
		return 0;
	}
	cs->in_off = 0;
	cs->in_len = (size_t)r;
	cs_pump(cs);
	return 0;
}

/* Gets command seq. */
enum cmdsource_status cmdsource_get(const cmdsource *cs, uint64_t seq, const char **text,
    size_t *line)
{
	if (seq < cs->count && seq >= cs->base) {
		const struct slot *s = &cs->win[seq % CMDSOURCE_WINDOW];
		if (text)
			*text = s->text;
		if (line)
			*line = s->line;
		return CMDSOURCE_OK;
	}
	return seq >= cs->count && !cmdsource_complete(cs) ? CMDSOURCE_WAIT : CMDSOURCE_END;
}

/* Lets go of every command before seq. */
void cmdsource_release(cmdsource *cs, uint64_t seq)
{
	if (seq > cs->count)
		seq = cs->count;
	if (seq > cs->base)
		cs->base = seq;
	cs_pump(cs);
}

/* Returns how many commands have arrived so far. */
uint64_t cmdsource_count(const cmdsource *cs)
{
	return cs->count;
}

/* Tells whether every command has arrived. */
bool cmdsource_complete(const cmdsource *cs)
{
	return cs->item >= cs->n_items;
}
