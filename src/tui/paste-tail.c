/* paste-tail.c: an end marker ends a paste only once the input is quiet. */
#include <stdlib.h>

#include "tui/oom.h"
#include "tui/paste-tail.h"

/* Returns true when ev is the marker with the given code. */
static bool paste_tail_is(const tui_key_ev *ev, int code)
{
	return ev->fn && !ev->mouse && ev->code == code;
}

/* Hands a marker on. */
static void paste_tail_mark(const paste_tail_sink *s, int code)
{
	tui_key_ev m = { .fn = true, .code = code };
	s->out(s->arg, &m);
}

/* Hands the held keys on as pasted text (markers, mouse reports and
 * unknown sequences in them are not text) and empties the hold. */
static void paste_tail_as_text(paste_tail *pt, const paste_tail_sink *s)
{
	paste_tail_mark(s, pt->begin);
	for (size_t i = 0; i < pt->n; i++) {
		const tui_key_ev *e = &pt->held[i];
		if (e->mouse || e->skip || paste_tail_is(e, pt->begin) || paste_tail_is(e, pt->end))
			continue;
		s->out(s->arg, e);
	}
	pt->n = 0;
}

/* Holds one key read while an end marker waits. */
static void paste_tail_hold(paste_tail *pt, const paste_tail_sink *s, const tui_key_ev *ev)
{
	if (pt->n == PASTE_TAIL_MAX)
		paste_tail_as_text(pt, s);    /* more than anyone types without a pause */
	if (pt->n == pt->cap) {
		size_t cap = pt->cap ? pt->cap * 2 : 64;
		pt->held = oom_realloc(pt->held, cap * sizeof(*pt->held));
		pt->cap = cap;
	}
	pt->held[pt->n++] = *ev;
}

/* Hands one input pass on. */
void paste_tail_feed(paste_tail *pt, const tui_key_ev *ev, size_t n, const paste_tail_sink *s)
{
	/* A lone end marker: the paste was taken for ended and goes on. */
	if (!pt->on && !s->pasting(s->arg)) {
		for (size_t i = 0; i < n && !paste_tail_is(&ev[i], pt->begin); i++) {
			if (paste_tail_is(&ev[i], pt->end)) {
				paste_tail_mark(s, pt->begin);
				break;
			}
		}
	}
	for (size_t i = 0; i < n; i++) {
		const tui_key_ev *e = &ev[i];
		if (pt->on) {
			if (paste_tail_is(e, pt->end))
				paste_tail_as_text(pt, s);   /* the earlier marker was text */
			else
				paste_tail_hold(pt, s, e);
			continue;
		}
		if (paste_tail_is(e, pt->end)) {
			if (s->pasting(s->arg))
				pt->on = true;
			continue;
		}
		if (paste_tail_is(e, pt->begin) && s->pasting(s->arg))
			continue;
		s->out(s->arg, e);
	}
}

/* Ends the paste and hands the held keys on as typed. */
void paste_tail_expire(paste_tail *pt, const paste_tail_sink *s)
{
	if (!pt->on)
		return;
	pt->on = false;
	tui_key_ev *held = pt->held;
	size_t n = pt->n;
	*pt = (paste_tail){ .begin = pt->begin, .end = pt->end };
	paste_tail_mark(s, pt->end);
	paste_tail_feed(pt, held, n, s);
	free(held);
}

/* Frees the held keys. */
void paste_tail_free(paste_tail *pt)
{
	free(pt->held);
	pt->held = NULL;
	pt->n = pt->cap = 0;
	pt->on = false;
}
