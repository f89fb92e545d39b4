/* test-tui-paste-tail.c: a bracketed paste's end marker, read by read.
 * The sink stands in for keys.c: markers open and close its paste, and
 * every other key is recorded with whether it arrived inside the paste.
 * The cases split the same pasted text at every place a read can end:
 * nothing of it may ever arrive as a typed key. */
#include <criterion/criterion.h>
#include <string.h>

#include "tui/paste-tail.h"

#define BEGIN 1001
#define END 1002

static struct {
	bool pasting;
	size_t n;
	int code[20000];
	bool pasted[20000];
} sk;

/* Records one event as keys.c would take it. */
static void sink_out(void *arg, const tui_key_ev *ev)
{
	(void)arg;
	if (ev->fn && ev->code == BEGIN) {
		sk.pasting = true;
		return;
	}
	if (ev->fn && ev->code == END) {
		sk.pasting = false;
		return;
	}
	cr_assert_lt(sk.n, sizeof(sk.code) / sizeof(sk.code[0]));
	sk.code[sk.n] = ev->code;
	sk.pasted[sk.n++] = sk.pasting;
}

/* Returns whether the sink's paste is open. */
static bool sink_pasting(void *arg)
{
	(void)arg;
	return sk.pasting;
}

static const paste_tail_sink sink = { sink_out, sink_pasting, NULL };
static paste_tail pt;

/* Starts each case with nothing delivered. */
static void setup(void)
{
	memset(&sk, 0, sizeof(sk));
	pt = (paste_tail){ .begin = BEGIN, .end = END };
}

/* Frees the hold. */
static void teardown(void)
{
	paste_tail_free(&pt);
}

TestSuite(paste_tail, .init = setup, .fini = teardown);

/* Feeds one read: characters, with '<' for the begin marker and '>' for
 * the end marker. */
static void feed(const char *s)
{
	tui_key_ev ev[8192];
	size_t n = 0;
	for (; *s; s++) {
		if (*s == '<')
			ev[n++] = (tui_key_ev){ .fn = true, .code = BEGIN };
		else if (*s == '>')
			ev[n++] = (tui_key_ev){ .fn = true, .code = END };
		else
			ev[n++] = (tui_key_ev){ .code = (unsigned char)*s };
	}
	paste_tail_feed(&pt, ev, n, &sink);
}

/* Returns the keys delivered outside a paste, as a string. */
static const char *typed(void)
{
	static char buf[20001];
	size_t k = 0;
	for (size_t i = 0; i < sk.n; i++)
		if (!sk.pasted[i])
			buf[k++] = (char)sk.code[i];
	buf[k] = '\0';
	return buf;
}

/* Returns every key delivered, as a string. */
static const char *all(void)
{
	static char buf[20001];
	for (size_t i = 0; i < sk.n; i++)
		buf[i] = (char)sk.code[i];
	buf[sk.n] = '\0';
	return buf;
}

/* The paste "say hi<marker>\rstop\ry" with the terminal's own end, read
 * in two at every split point; the input then goes quiet. */
Test(paste_tail, a_spelled_marker_never_ends_the_paste_wherever_a_read_ends)
{
	const char *paste = "<say hi>\rstop\ry>";
	size_t len = strlen(paste);
	for (size_t cut = 1; cut < len; cut++) {
		setup();
		char a[64], b[64];
		memcpy(a, paste, cut);
		a[cut] = '\0';
		strcpy(b, paste + cut);
		feed(a);
		feed(b);
		paste_tail_expire(&pt, &sink);
		cr_assert_str_eq(typed(), "", "split at %zu: typed '%s'", cut, typed());
		cr_assert_str_eq(all(), "say hi\rstop\ry", "split at %zu", cut);
		cr_assert(!sk.pasting, "split at %zu: the paste did not end", cut);
		teardown();
	}
}

/* The same read one key at a time: each key is a read of its own. */
Test(paste_tail, a_spelled_marker_read_key_by_key)
{
	const char *paste = "<say hi>\rstop\ry>";
	for (const char *p = paste; *p; p++) {
		char one[2] = { *p, '\0' };
		feed(one);
	}
	paste_tail_expire(&pt, &sink);
	cr_assert_str_eq(typed(), "");
	cr_assert_str_eq(all(), "say hi\rstop\ry");
}

/* The rest of the paste arrives after the marker's read, and the paste's
 * own end thousands of keys later (past what the hold keeps). */
Test(paste_tail, a_long_rest_after_the_spelled_marker)
{
	static char rest[12000];
	memset(rest, 'x', sizeof(rest) - 1);
	rest[0] = '\r';
	rest[1] = 'y';
	feed("<say hi>");
	for (size_t i = 0; i < sizeof(rest) - 1; i += 1000) {
		char part[1001];
		size_t l = sizeof(rest) - 1 - i < 1000 ? sizeof(rest) - 1 - i : 1000;
		memcpy(part, rest + i, l);
		part[l] = '\0';
		feed(part);
	}
	feed(">");
	paste_tail_expire(&pt, &sink);
	cr_assert_str_eq(typed(), "");
	cr_assert_eq(sk.n, 6 + sizeof(rest) - 1);
}

/* A key pressed after a paste is a key, once the input went quiet: held,
 * not lost, and after the paste's end. */
Test(paste_tail, a_key_after_the_paste_is_typed_once_input_is_quiet)
{
	feed("<say hi>");
	feed("\r");
	cr_assert_str_eq(typed(), "");
	cr_assert(sk.pasting);
	paste_tail_expire(&pt, &sink);
	cr_assert(!sk.pasting);
	cr_assert_str_eq(all(), "say hi\r");
	cr_assert_str_eq(typed(), "\r");
	/* Nothing waits: a key now goes straight on. */
	feed("a");
	cr_assert_str_eq(typed(), "\ra");
	paste_tail_expire(&pt, &sink);
	cr_assert_str_eq(all(), "say hi\ra");
}

/* A spelled begin marker inside a paste is dropped, and a second paste
 * right after the first is text too. */
Test(paste_tail, begin_markers_inside_a_paste)
{
	feed("<a<b>c");
	feed("<d>");
	paste_tail_expire(&pt, &sink);
	cr_assert_str_eq(typed(), "");
	cr_assert_str_eq(all(), "abcd");
}

/* An end marker when no paste is open (the paste was taken for ended):
 * what came before it in its read is pasted text. */
Test(paste_tail, a_lone_end_marker_opens_the_paste_again)
{
	feed("stop\ry>");
	paste_tail_expire(&pt, &sink);
	cr_assert_str_eq(typed(), "");
	cr_assert_str_eq(all(), "stop\ry");
	cr_assert(!sk.pasting);
}

/* Without markers nothing is held. */
Test(paste_tail, typing_is_not_held)
{
	feed("l");
	feed("ist\r");
	cr_assert_str_eq(typed(), "list\r");
	cr_assert(!pt.on);
}
