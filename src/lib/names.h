/* names.h: a small string -> index hash used for every name lookup
 * (profiles, sessions, targets).  Internal to the programs, not installed.
 *
 * Open addressing with linear probing, FNV-1a hashes, tombstones for
 * deletion, grown at 70 % load.  Keys are not copied: the caller keeps each
 * key string alive and unchanged while it is in the table. */
#ifndef RCONSOLE_NAMES_H
#define RCONSOLE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct names names; /* struct names, opaque */

/* Returns the 32-bit FNV-1a hash of s. */
uint32_t names_hash(const char *s);

/* Creates an empty table sized for about hint keys; NULL when out of memory. */
names *names_new(size_t hint);
/* Frees the table (not the keys); NULL is a no-op. */
void names_free(names *t);
/* Empties the table, keeping its storage. */
void names_clear(names *t);
/* Returns how many keys the table holds. */
size_t names_count(const names *t);

/* Maps key to val, replacing an earlier value.  Returns 0, or -1 when out
 * of memory (the table is then unchanged). */
int names_put(names *t, const char *key, size_t val);
/* Finds key: true and *val (when val is not NULL), or false. */
bool names_get(const names *t, const char *key, size_t *val);
/* Removes key; returns whether it was there. */
bool names_del(names *t, const char *key);

#endif
