/* sim-buf.c: the growable byte buffer mcsim builds replies and output in.
 *
 * Capacity doubles, so building a reply of n bytes costs O(n) (a 1 MiB
 * `sim chars` reply included).  Consumed bytes at the front are reclaimed
 * when the buffer empties or before it would have to grow. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim-int.h"

/* Ensures room for n more bytes; returns false (and sets oom) on failure. */
static bool sim_buf_reserve(sim_buf *b, size_t n)
{
	if (b->oom)
		return false;
	if (b->cap - b->len >= n)
		return true;
	if (b->off > 0) {
		memmove(b->p, b->p + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
		if (b->cap - b->len >= n)
			return true;
	}
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2) {
			b->oom = true;
			return false;
		}
		cap *= 2;
	}
	uint8_t *p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

/* Returns n writable bytes at the end, already counted in len. */
uint8_t *sim_buf_grow(sim_buf *b, size_t n)
{
	if (!sim_buf_reserve(b, n))
		return NULL;
	uint8_t *at = b->p + b->len;
	b->len += n;
	return at;
}

/* Appends n bytes. */
void sim_buf_add(sim_buf *b, const void *data, size_t n)
{
	if (n == 0)
		return;
	uint8_t *at = sim_buf_grow(b, n);
	if (at)
		memcpy(at, data, n);
}

/* Appends a C string. */
void sim_buf_adds(sim_buf *b, const char *s)
{
	sim_buf_add(b, s, strlen(s));
}

/* Appends one byte. */
void sim_buf_addc(sim_buf *b, char c)
{
	sim_buf_add(b, &c, 1);
}

/* Appends printf-formatted text. */
void sim_buf_addf(sim_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		sim_buf_add(b, small, (size_t)n);
		return;
	}
	if (!sim_buf_reserve(b, (size_t)n + 1))
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* Returns the number of pending bytes. */
size_t sim_buf_pending(const sim_buf *b)
{
	return b->len - b->off;
}

/* Marks n pending bytes as consumed. */
void sim_buf_drain(sim_buf *b, size_t n)
{
	b->off += n;
	if (b->off >= b->len)
		b->off = b->len = 0;
}

/* Empties the buffer, keeping its memory. */
void sim_buf_reset(sim_buf *b)
{
	b->off = b->len = 0;
	b->oom = false;
}

/* Frees the buffer's memory and zeroes it. */
void sim_buf_free(sim_buf *b)
{
	free(b->p);
	*b = (sim_buf){ 0 };
}
