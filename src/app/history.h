/* history.h: per-server command history, saved across runs.
 *
 * Stored one command per line in <state_dir>/history/<server>, capped at cap
 * entries (oldest dropped), written atomically (temp file, fsync, rename,
 * mode 0600; missing directories are made 0700).  Entries are any bytes but
 * NUL and newline, stored as is.  Consecutive duplicates, empty lines and
 * lines holding a newline are not added.  path NULL = in memory only. */
#ifndef RCONSOLE_APP_HISTORY_H
#define RCONSOLE_APP_HISTORY_H

#include <stddef.h>

typedef struct app_history app_history;

/* Loads (or starts empty when missing) the history file at path. */
app_history *app_history_load(const char *path, size_t cap);
/* Saves if changed, then frees.  NULL is a no-op. */
void app_history_free(app_history *h);
/* Adds a command. */
void app_history_add(app_history *h, const char *line);
/* Saves atomically; returns 0 or a negative RC_E* code. */
int app_history_save(app_history *h);
size_t app_history_count(const app_history *h);
/* Returns entry i (0 = oldest), or NULL. */
const char *app_history_get(const app_history *h, size_t i);
/* Returns the newest index < before whose entry contains needle (ASCII
 * case-insensitive; "" matches every entry), or -1.  before < 0 or past the
 * end searches from the newest entry. */
long app_history_search(const app_history *h, long before, const char *needle);

#endif
