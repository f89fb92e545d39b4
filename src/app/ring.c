/* ring.c: a bounded transcript with growing sequence numbers.
 *
 * Lines live in a circular array that grows by doubling up to the capacity,
 * so a thousand quiet servers with a 10,000-line scrollback do not each
 * reserve 10,000 slots.  While the array is still growing nothing has been
 * evicted, so the oldest line is always at index 0 until the array is full;
 * from then on head moves round it. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "app/ring.h"

struct app_ring {
	size_t cap;        /* most lines kept */
	app_line *lines;
	size_t alloc;      /* slots allocated (<= cap) */
	size_t head;       /* index of the oldest line */
	size_t count;
	uint64_t first;    /* sequence of the oldest line (1 before the first push) */
	char *scratch;     /* search buffer: one line folded and stripped */
	size_t scratch_cap;
};

/* Creates a ring holding at most cap lines. */
app_ring *app_ring_new(size_t cap)
{
	if (cap == 0)
		return NULL;
	app_ring *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->cap = cap;
	r->first = 1;
	return r;
}

/* Frees every line and the ring. */
void app_ring_free(app_ring *r)
{
	if (!r)
		return;
	for (size_t k = 0; k < r->count; k++)
		free(r->lines[(r->head + k) % r->alloc].text);
	free(r->lines);
	free(r->scratch);
	free(r);
}

/* Makes room for one more line without evicting; returns false on ENOMEM. */
static bool ring_grow(app_ring *r)
{
	if (r->count < r->alloc)
		return true;
	size_t n = r->alloc ? r->alloc * 2 : 16;
	if (n > r->cap)
		n = r->cap;
	app_line *p = realloc(r->lines, n * sizeof(*p));
	if (!p)
		return false;
	r->lines = p;
	r->alloc = n;
	return true;
}

/* Appends a copy of text[len]; returns its sequence number, 0 on ENOMEM. */
uint64_t app_ring_push(app_ring *r, int64_t when, enum app_line_kind kind, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	if (!copy)
		return 0;
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	app_line *slot;
	if (r->count == r->cap) {
		slot = &r->lines[r->head];
		free(slot->text);
		r->head = (r->head + 1) % r->cap;
		r->first++;
	} else {
		if (!ring_grow(r)) {
			free(copy);
			return 0;
		}
		slot = &r->lines[(r->head + r->count) % r->alloc];
		r->count++;
	}
	slot->when = when;
	slot->kind = (uint8_t)kind;
	slot->log_level = 0;
	slot->log_stamp = 0;
	slot->log_body = 0;
	slot->text = copy;
	slot->len = len;
	return r->first + r->count - 1;
}

/* Records line seq's log_file fields (see ring.h). */
void app_ring_set_log(app_ring *r, uint64_t seq, unsigned level, size_t stamp, size_t body)
{
	app_line *l = (app_line *)app_ring_get(r, seq);
	if (!l || body == 0 || body > UINT16_MAX || stamp > UINT16_MAX || level > UINT8_MAX ||
	    stamp + 8 > l->len)
		return;
	l->log_level = (uint8_t)level;
	l->log_stamp = (uint16_t)stamp;
	l->log_body = (uint16_t)body;
}

/* Returns the line with sequence seq, or NULL when evicted or not yet pushed. */
const app_line *app_ring_get(const app_ring *r, uint64_t seq)
{
	if (!r || r->count == 0 || seq < r->first || seq - r->first >= r->count)
		return NULL;
	return &r->lines[(r->head + (size_t)(seq - r->first)) % r->alloc];
}

/* Returns the sequence of the oldest kept line, 0 when empty. */
uint64_t app_ring_first(const app_ring *r)
{
	return r && r->count ? r->first : 0;
}

/* Returns the sequence of the newest line, 0 when nothing was ever pushed. */
uint64_t app_ring_last(const app_ring *r)
{
	return r && r->count ? r->first + r->count - 1 : 0;
}

/* Returns how many lines are kept. */
size_t app_ring_count(const app_ring *r)
{
	return r ? r->count : 0;
}

/* Writes s[len] folded to ASCII lower case and without § codes into out
 * (at least len+1 bytes); returns the new length.  § is U+00A7 (C2 A7) and
 * takes the next byte with it. */
static size_t ring_fold(const char *s, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA7) {
			i += 2;  /* skip the code character too (when there is one) */
			continue;
		}
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	out[n] = '\0';
	return n;
}

/* Returns true when line contains the folded needle nd[nl]. */
static bool ring_match(app_ring *r, const app_line *line, const char *nd, size_t nl)
{
	if (line->len + 1 > r->scratch_cap) {
		size_t cap = line->len + 1 < 256 ? 256 : line->len + 1;
		char *p = realloc(r->scratch, cap);
		if (!p)
			return false;
		r->scratch = p;
		r->scratch_cap = cap;
	}
	size_t n = ring_fold(line->text, line->len, r->scratch);
	return memmem(r->scratch, n, nd, nl) != NULL;
}

/* Searches from seq (inclusive) backwards (dir < 0) or forwards (dir > 0)
 * for a line containing needle (ASCII case-insensitive, § codes ignored in
 * both); returns its sequence or 0.  Searching backwards from past the
 * newest line starts at the newest, forwards from before the oldest starts
 * at the oldest; the other two directions off the ends find nothing (so
 * "next match after the last line" is 0, not the last line again). */
uint64_t app_ring_search(const app_ring *r, uint64_t seq, int dir, const char *needle)
{
	if (!r || r->count == 0 || !needle || dir == 0)
		return 0;
	size_t raw = strlen(needle);
	char *nd = malloc(raw + 1);
	if (!nd)
		return 0;
	size_t nl = ring_fold(needle, raw, nd);
	uint64_t found = 0;
	uint64_t lo = app_ring_first(r), hi = app_ring_last(r);
	if (nl > 0) {
		/* The scratch buffer is a cache, not part of the ring's value. */
		app_ring *w = (app_ring *)r;
		if (dir < 0 && seq > hi)
			seq = hi;
		if (dir > 0 && seq < lo)
			seq = lo;
		for (uint64_t s = seq; s >= lo && s <= hi; s = dir < 0 ? s - 1 : s + 1) {
			if (ring_match(w, app_ring_get(r, s), nd, nl)) {
				found = s;
				break;
			}
			if (dir < 0 && s == lo)
				break;
		}
	}
	free(nd);
	return found;
}
