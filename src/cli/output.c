/* output.c: what the one-shot modes write to stdout — replies (plain,
 * coloured or raw), player names, status fields — and the --raw guard.
 *
 * Server text never reaches a terminal raw (DESIGN.md section 3): plain and
 * coloured replies, names and reasons all go through the library's one
 * sanitiser (rc_text_sanitize / rc_mc_to_ansi, rules in src/lib/text.c), the
 * same the console draws through.  Only --raw writes the bytes as they came,
 * and only into a pipe or a file unless the user said --raw=force. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/output.h"
#include "rconsole/rconsole.h"

/* Returns a malloc'd terminal-safe copy of s (no control kept); NULL on ENOMEM. */
char *cli_out_field(const char *s)
{
	return rc_text_sanitize(s, strlen(s), "", NULL);
}

/* Returns the body made safe the way mode asks (malloc'd), *n its length. */
static char *out_body(const char *body, size_t len, enum cli_out_mode mode, size_t *n)
{
	if (mode == CLI_OUT_RAW) {
		char *copy = malloc(len + 1);
		if (copy) {
			memcpy(copy, body, len);
			copy[len] = '\0';
			*n = len;
		}
		return copy;
	}
	if (mode == CLI_OUT_COLOR)
		return rc_mc_to_ansi(body, len, n);
	char *plain = malloc(len + 1);
	if (!plain)
		return NULL;
	size_t m = rc_mc_strip(body, len, plain);
	char *text = rc_text_sanitize(plain, m, "\n\t", n);
	free(plain);
	return text;
}

/* Formats one reply for stdout (see output.h). */
char *cli_out_reply(const char *body, size_t len, const char *name, enum cli_out_mode mode,
    size_t *out_len)
{
	size_t n = 0;
	char *text = out_body(body, len, mode, &n);
	if (!text)
		return NULL;
	if (n && text[n - 1] == '\n')
		n--;
	char *label = name ? cli_out_field(name) : NULL;
	if (name && !label) {
		free(text);
		return NULL;
	}
	size_t lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	size_t plen = label ? strlen(label) + 3 : 0;   /* "[" name "] " */
	if (plen && lines > (SIZE_MAX - n - 1) / plen) {
		free(text);
		free(label);
		return NULL;
	}
	char *out = malloc(n + 1 + lines * plen + 1);
	size_t o = 0, start = 0;
	if (out) {
		for (size_t i = 0; i <= n; i++) {
			if (i < n && text[i] != '\n')
				continue;
			if (label) {
				out[o++] = '[';
				memcpy(out + o, label, plen - 3);
				o += plen - 3;
				out[o++] = ']';
				out[o++] = ' ';
			}
			memcpy(out + o, text + start, i - start);
			o += i - start;
			out[o++] = '\n';
			start = i + 1;
		}
		out[o] = '\0';
		*out_len = o;
	}
	free(text);
	free(label);
	return out;
}

/* Tells why --raw may not write to this stdout (see output.h). */
const char *cli_out_raw_refusal(bool raw, bool force, bool quiet, bool stdout_tty)
{
	if (!raw || force || quiet || !stdout_tty)
		return NULL;
	return "--raw writes bytes that a terminal would execute; pipe it or use --raw=force";
}

/* Writes the current line's label when it is not out yet. */
static void out_stream_label(cli_out_stream *s)
{
	if (!s->started && s->label)
		fprintf(s->f, "[%s] ", s->label);
	s->started = true;
}

/* Writes the held newline (it was not the reply's last). */
static void out_stream_newline(cli_out_stream *s)
{
	if (!s->held_nl)
		return;
	out_stream_label(s);
	putc('\n', s->f);
	s->started = false;
	s->held_nl = false;
}

/* Writes finished text: each line gets the label, each newline waits until
 * something follows it. */
static void out_stream_put(cli_out_stream *s, const char *p, size_t n)
{
	while (n) {
		if (*p == '\n') {
			out_stream_newline(s);
			s->held_nl = true;
			p++;
			n--;
			continue;
		}
		const char *nl = memchr(p, '\n', n);
		size_t run = nl ? (size_t)(nl - p) : n;
		out_stream_newline(s);
		out_stream_label(s);
		fwrite(p, 1, run, s->f);
		p += run;
		n -= run;
	}
}

/* Writes a colour sequence where the text it colours will start. */
static void out_stream_sgr(cli_out_stream *s, const char *seq)
{
	out_stream_newline(s);
	out_stream_label(s);
	fputs(seq, s->f);
}

/* Starts a streamed reply (see output.h). */
int cli_out_stream_begin(cli_out_stream *s, FILE *f, const char *name, enum cli_out_mode mode)
{
	memset(s, 0, sizeof *s);
	s->f = f;
	s->mode = mode;
	s->color = s->out_color = RC_MC_COLOR_DEFAULT;
	if (name && !(s->label = cli_out_field(name)))
		return -1;
	return 0;
}

/* Returns true for the code points whose rendering looks at the character
 * before them (joiner, presentation selectors). */
static bool out_stream_looks_back(const char *b, size_t n)
{
	uint32_t cp;
	if (rc_text_decode(b, n, &cp) == 0)
		return false;
	return cp == 0x200D || cp == 0xFE0E || cp == 0xFE0F;
}

/* Returns true when b[i] and b[i+1] are the two bytes of §. */
static bool out_stream_is_sect(const char *b, size_t n, size_t i)
{
	return i + 1 < n && (unsigned char)b[i] == 0xC2 && (unsigned char)b[i + 1] == 0xA7;
}

/* Returns where b[n] may be cut with the rest kept for the next fragment:
 * before the last two characters (and any joiner or selector just before
 * them, which look back), and before a § code that may go on (§x and six
 * §h pairs is 21 bytes), with the codes just before it: at most 42 bytes. */
static size_t out_stream_cut(const char *b, size_t n)
{
	size_t cut = n;
	for (int k = 0; cut > 0 && n - cut < 16 && (k < 2 || out_stream_looks_back(b + cut, n - cut));
	    k++) {
		size_t i = cut - 1;
		while (i > 0 && cut - i < 4 && ((unsigned char)b[i] & 0xC0) == 0x80)
			i--;
		cut = i;
	}
	for (size_t i = n > 21 ? n - 21 : 0; i + 1 < n; i++)
		if (out_stream_is_sect(b, n, i)) {
			/* Back over the codes just before it: they may be the start of
			 * the same §x colour. */
			for (int k = 0; k < 7 && i >= 3 && out_stream_is_sect(b, n, i - 3); k++)
				i -= 3;
			if (i < cut)
				cut = i;
			break;
		}
	return cut;
}

/* Writes b[n] (whole characters and codes) coloured: the style in force is
 * put back in front as § codes, and a trailing marker byte carries out the
 * style the text ends in even when no text follows the last code. */
static void out_stream_color(cli_out_stream *s, const char *b, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	static const struct { uint8_t attr; char code; } attrs[] = {
		{ RC_MC_OBFUSCATED, 'k' }, { RC_MC_BOLD, 'l' }, { RC_MC_STRIKE, 'm' },
		{ RC_MC_UNDERLINE, 'n' }, { RC_MC_ITALIC, 'o' },
	};
	char pre[3 * 8];
	size_t np = 0;
	if (s->color != RC_MC_COLOR_DEFAULT && s->color < 16) {
		memcpy(pre, "\xc2\xa7", 2);
		pre[2] = hex[s->color];
		np = 3;
	}
	for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
		if (s->attrs & attrs[i].attr) {
			memcpy(pre + np, "\xc2\xa7", 2);
			pre[np + 2] = attrs[i].code;
			np += 3;
		}
	char *in = malloc(np + n + 1);
	rc_mc_styled st;
	if (!in) {
		s->failed = true;
		return;
	}
	memcpy(in, pre, np);
	memcpy(in + np, b, n);
	in[np + n] = '\x01';
	int rc = rc_mc_style(in, np + n + 1, &st);
	free(in);
	if (rc < 0) {
		s->failed = true;
		return;
	}
	for (size_t i = 0; i < st.n_runs; i++) {
		const rc_mc_run *r = &st.runs[i];
		size_t len = r->len - (i + 1 == st.n_runs);   /* not the marker */
		s->color = r->color;
		s->attrs = r->attrs;
		if (!len)
			continue;
		if (r->color != s->out_color || r->attrs != s->out_attrs) {
			char sgr[RC_MC_ANSI_MAX];
			out_stream_sgr(s, rc_mc_ansi(r->color, r->attrs, sgr, sizeof sgr));
			s->out_color = r->color;
			s->out_attrs = r->attrs;
			s->styled = true;
		}
		size_t m;
		char *clean = rc_text_sanitize(st.text + r->off, len, "\n\t", &m);
		if (!clean) {
			s->failed = true;
			break;
		}
		out_stream_put(s, clean, m);
		free(clean);
	}
	rc_mc_styled_clear(&st);
}

/* Tells whether plain mode writes b[n] as it is: printable ASCII, newlines
 * and tabs hold no § code and nothing the sanitiser changes, so most
 * replies skip the copies (and their allocations) that the rest needs. */
static bool out_plain_as_is(const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c >= 0x7f || (c < 0x20 && c != '\n' && c != '\t'))
			return false;
	}
	return true;
}

/* Writes b[n] (whole characters and codes) the way the stream's mode asks. */
static void out_stream_write(cli_out_stream *s, const char *b, size_t n)
{
	if (!n || s->failed)
		return;
	if (s->mode == CLI_OUT_RAW || (s->mode == CLI_OUT_PLAIN && out_plain_as_is(b, n))) {
		out_stream_put(s, b, n);
	} else if (s->mode == CLI_OUT_COLOR) {
		out_stream_color(s, b, n);
	} else {
		char *plain = malloc(n + 1);
		size_t m = plain ? rc_mc_strip(b, n, plain) : 0, k;
		char *text = plain ? rc_text_sanitize(plain, m, "\n\t", &k) : NULL;
		free(plain);
		if (!text) {
			s->failed = true;
			return;
		}
		out_stream_put(s, text, k);
		free(text);
	}
}

/* Writes what of a fragment is whole; keeps the rest (see output.h). */
void cli_out_stream_feed(cli_out_stream *s, const char *data, size_t len)
{
	if (s->failed || !len)
		return;
	if (s->mode == CLI_OUT_RAW) {
		out_stream_write(s, data, len);
		return;
	}
	const char *b = data;   /* with nothing held, the fragment as it is */
	size_t n = s->n_hold + len;
	if (s->n_hold) {
		if (n > s->work_cap) {
			char *w = realloc(s->work, n);
			if (!w) {
				s->failed = true;
				return;
			}
			s->work = w;
			s->work_cap = n;
		}
		memcpy(s->work, s->hold, s->n_hold);
		memcpy(s->work + s->n_hold, data, len);
		b = s->work;
	}
	size_t cut = out_stream_cut(b, n);
	out_stream_write(s, b, cut);
	s->n_hold = n - cut;
	memcpy(s->hold, b + cut, s->n_hold);
}

/* Frees what a stream holds. */
void cli_out_stream_drop(cli_out_stream *s)
{
	free(s->work);
	free(s->label);
	s->work = s->label = NULL;
	s->work_cap = s->n_hold = 0;
}

/* Writes the held tail, the closing reset and the last newline. */
void cli_out_stream_end(cli_out_stream *s)
{
	out_stream_write(s, s->hold, s->n_hold);
	s->n_hold = 0;
	if (s->styled)
		out_stream_put(s, "\033[0m", 4);
	out_stream_label(s);
	putc('\n', s->f);
	cli_out_stream_drop(s);
}

/* Gives stdout its own buffer (see output.h).  The buffer is given, not
 * left for stdio to allocate: with none, setvbuf() allocates at once and
 * makes the same fstat and ioctl to size it. */
void cli_out_stdout(bool tty)
{
	static char buf[BUFSIZ];
	setvbuf(stdout, buf, tty ? _IOLBF : _IOFBF, sizeof buf);
}

/* Flushes stdout and tells whether writing to it has failed (see output.h);
 * the reason is said on stderr the first time. */
bool cli_out_stdout_failed(void)
{
	static bool failed;
	if (failed)
		return true;
	int e;
	if (ferror(stdout)) {
		e = errno;   /* the failed write's, asked right after it */
	} else {
		errno = 0;
		if (fflush(stdout) == 0 && !ferror(stdout))
			return false;
		e = errno;
	}
	failed = true;
	cli_error(NULL, "cannot write to standard output%s%s", e ? ": " : "", e ? strerror(e) : "");
	return true;
}

/* Prints one error line on stderr (see output.h).  The reason is formatted
 * whole first (into line, or the heap when longer), so that one sanitiser
 * pass sees every character it holds, whichever argument brought it. */
void cli_error(const char *server, const char *fmt, ...)
{
	char line[1024], *text = line;
	va_list ap, again;
	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	if (n >= (int)sizeof line && (text = malloc((size_t)n + 1)) != NULL)
		vsnprintf(text, (size_t)n + 1, fmt, again);
	va_end(again);
	va_end(ap);
	char *name = server ? cli_out_field(server) : NULL;
	char *reason = n >= 0 && text ? cli_out_field(text) : NULL;
	if (reason && (name || !server))
		fprintf(stderr, "rconsole: %s%s%s\n", name ? name : "", name ? ": " : "", reason);
	else
		fputs("rconsole: out of memory (a message is lost)\n", stderr);
	free(reason);
	free(name);
	if (text != line)
		free(text);
}

/* Puts /dev/null on a closed stdout (read-only: every write fails, and is
 * reported) and a closed stderr (write-only: messages vanish, as asked), so
 * that neither descriptor is handed to a socket or a pipe opened later. */
void cli_out_std_fds(void)
{
	for (int fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int nul = open("/dev/null", fd == STDOUT_FILENO ? O_RDONLY : O_WRONLY);
		if (nul >= 0 && nul != fd) {
			dup2(nul, fd);
			close(nul);
		}
	}
}
