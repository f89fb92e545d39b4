/* history.h: per-server command history, saved across runs.
 *
 * Stored one command per line in <state_dir>/history/<server>, capped at cap
 * entries (oldest dropped), written atomically (temp file, fsync, rename,
 * mode 0600; missing directories are made 0700).  Entries are any bytes but
 * NUL and newline, stored as is.  Consecutive duplicates, empty lines and
 * lines holding a newline are not added.  path NULL = in memory only. */
#ifndef RCONSOLE_APP_HISTORY_H
#define RCONSOLE_APP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct app_history app_history;

/* Loads (or starts empty when missing) the history file at path.  Never
 * blocks: a FIFO, device, directory or a file over 16 MiB is refused and left
 * untouched, and the history is then kept in memory only (see
 * app_history_problem). */
app_history *app_history_load(const char *path, size_t cap);
/* The same history, but its file is read only when first used (any
 * accessor below: count, get, search, add, problem); until then nothing is
 * read and nothing is saved, so a history never looked at in a run keeps
 * its file exactly as it was.  10,000 servers start without 10,000 opens. */
app_history *app_history_lazy(const char *path, size_t cap);
/* Returns true when the file has been read (or there is none to read). */
bool app_history_loaded(const app_history *h);
/* Reads a lazy history's file now, if it was not yet. */
void app_history_need(app_history *h);
/* Returns why the file was refused when loaded (reading a lazy one first),
 * or NULL. */
const char *app_history_problem(const app_history *h);
/* Returns why saving failed ("cannot create a file next to /p: No space left
 * on device") the first time it is asked after saves began to fail, else
 * NULL: the caller tells the user once, not once per entry.  A successful
 * save resets it. */
const char *app_history_new_error(app_history *h);
/* Checks the state directory the way OpenSSH checks ~/.ssh: it and its
 * history/ subdirectory, when they exist, must be directories owned by this
 * user and not writable by group or others.  Returns 0, or -1 with why
 * (naming the directory and the chmod to run): then no history may be read
 * or written there.  NULL is fine (no state directory). */
int app_history_dir_check(const char *state_dir, char *why, size_t cap);
/* The same check for state_dir and its subdirectory sub ("history", "log"). */
int app_state_dir_check(const char *state_dir, const char *sub, char *why, size_t cap);
/* Returns the malloc'd state directory: explicit_dir when given, else
 * $XDG_STATE_HOME/rconsole (an absolute one), else ~/.local/state/rconsole;
 * NULL when there is none (or out of memory). */
char *app_state_path(const char *explicit_dir);
/* Creates the missing parent directories of the file path, mode 0700.
 * Returns 0 or RC_EIO (errno says why). */
int app_state_mkdirs(const char *path);
/* Saves if changed, then frees.  NULL is a no-op. */
void app_history_free(app_history *h);
/* Adds a command. */
void app_history_add(app_history *h, const char *line);
/* Saves atomically; a file another console wrote since this one read or
 * saved it is merged first (its entries, then the ones added here since).
 * Returns 0 or a negative RC_E* code. */
int app_history_save(app_history *h);
size_t app_history_count(const app_history *h);
/* Returns entry i (0 = oldest), or NULL. */
const char *app_history_get(const app_history *h, size_t i);
/* Returns the newest index < before whose entry contains needle (ASCII
 * case-insensitive; "" matches every entry), or -1.  before < 0 or past the
 * end searches from the newest entry. */
long app_history_search(const app_history *h, long before, const char *needle);

/* Reads the whole file at path (a regular file of at most max bytes, a
 * whole number of MiB) into a malloc'd, NUL-terminated buffer without ever
 * blocking: opened O_NONBLOCK, so a FIFO there cannot hang the loop.
 * Returns it with *len; NULL with *len 0 when the file is missing (why left
 * ""), or refused or unreadable (the reason in why[cap]). */
char *app_file_slurp(const char *path, size_t max, size_t *len, char *why, size_t cap);

#endif
