/* names.c: the string -> index hash behind every name lookup (names.h).
 *
 * Slots hold the key pointer, its hash and the value.  A deleted slot keeps
 * a tombstone so later keys of the same probe run stay reachable; tombstones
 * count towards the load, and growing rehashes only the live keys.  The
 * capacity is a power of two, so the probe is hash & mask. */
#include <stdlib.h>
#include <string.h>

#include "lib/names.h"

#define NAMES_MIN_CAP 16

/* A slot's key: NULL when never used, names_tomb after a deletion. */
static const char names_tomb[] = "";

struct slot {
	const char *key;
	uint32_t hash;
	size_t val;
};

struct names {
	struct slot *s;
	size_t cap;      /* a power of two */
	size_t live;     /* keys present */
	size_t used;     /* live keys and tombstones */
};

/* Returns the 32-bit FNV-1a hash of s. */
uint32_t names_hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

/* Returns the smallest power-of-two capacity keeping n keys under 70 %. */
static size_t names_cap_for(size_t n)
{
	size_t cap = NAMES_MIN_CAP;
	while (cap * 7 / 10 <= n)
		cap *= 2;
	return cap;
}

/* Creates an empty table sized for about hint keys. */
names *names_new(size_t hint)
{
	names *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cap = names_cap_for(hint);
	t->s = calloc(t->cap, sizeof *t->s);
	if (!t->s) {
		free(t);
		return NULL;
	}
	return t;
}

/* Frees the table, not the keys. */
void names_free(names *t)
{
	if (!t)
		return;
	free(t->s);
	free(t);
}

/* Empties the table, keeping its storage. */
void names_clear(names *t)
{
	memset(t->s, 0, t->cap * sizeof *t->s);
	t->live = t->used = 0;
}

/* Returns how many keys the table holds. */
size_t names_count(const names *t)
{
	return t->live;
}

/* Returns the slot holding key, or NULL. */
static struct slot *names_lookup(const names *t, const char *key, uint32_t h)
{
	size_t mask = t->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &t->s[i];
		if (!s->key)
			return NULL;
		if (s->key != names_tomb && s->hash == h && strcmp(s->key, key) == 0)
			return s;
	}
}

/* Places a key known to be absent into the first free or dead slot. */
static void names_place(names *t, const char *key, uint32_t h, size_t val)
{
	size_t mask = t->cap - 1;
	size_t i = h & mask;
	while (t->s[i].key && t->s[i].key != names_tomb)
		i = (i + 1) & mask;
	if (!t->s[i].key)
		t->used++;
	t->s[i] = (struct slot){ key, h, val };
	t->live++;
}

/* Rehashes the live keys into a table of cap slots. */
static int names_resize(names *t, size_t cap)
{
	struct slot *old = t->s;
	size_t old_cap = t->cap;
	struct slot *n = calloc(cap, sizeof *n);
	if (!n)
		return -1;
	t->s = n;
	t->cap = cap;
	t->live = t->used = 0;
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key && old[i].key != names_tomb)
			names_place(t, old[i].key, old[i].hash, old[i].val);
	free(old);
	return 0;
}

/* Maps key to val, replacing an earlier value. */
int names_put(names *t, const char *key, size_t val)
{
	uint32_t h = names_hash(key);
	struct slot *s = names_lookup(t, key, h);
	if (s) {
		s->key = key;
		s->val = val;
		return 0;
	}
	if ((t->used + 1) * 10 > t->cap * 7 && names_resize(t, names_cap_for(t->live + 1)) < 0)
		return -1;
	names_place(t, key, h, val);
	return 0;
}

/* Finds key. */
bool names_get(const names *t, const char *key, size_t *val)
{
	const struct slot *s = names_lookup(t, key, names_hash(key));
	if (s && val)
		*val = s->val;
	return s != NULL;
}

/* Removes key. */
bool names_del(names *t, const char *key)
{
	struct slot *s = names_lookup(t, key, names_hash(key));
	if (!s)
		return false;
	s->key = names_tomb;
	t->live--;
	return true;
}
