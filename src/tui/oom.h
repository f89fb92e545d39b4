/* oom.h: the one place the console gives up when memory runs out
 * (STYLE.md: restore the terminal, then abort, in one place).
 *
 * Allocations whose failure leaves nothing sensible to do — the per-server
 * views, the line being submitted, a prompt's answer — go through
 * oom_realloc() and oom_strdup(), which never return NULL: on failure they
 * call oom_die().  oom_die() runs the restore hook the console registered
 * (endwin() while curses owns the terminal), writes one line to stderr and
 * aborts, so the shell gets its terminal back and a core dump still shows
 * where it happened.  Code that can fail softly (the line editor refusing a
 * key, a scratch buffer falling back) keeps doing so. */
#ifndef RCONSOLE_TUI_OOM_H
#define RCONSOLE_TUI_OOM_H

#include <stddef.h>

/* Called by oom_die() before aborting; NULL removes the hook. */
typedef void (*oom_restore_fn)(void);

/* Sets the function that gives the terminal back (at most one). */
void oom_set_restore(oom_restore_fn fn);
/* Restores the terminal, says "out of memory" on stderr and aborts. */
void oom_die(void) __attribute__((noreturn));
/* realloc() that never returns NULL (size 0 is treated as 1). */
void *oom_realloc(void *p, size_t size);
/* strdup() that never returns NULL. */
char *oom_strdup(const char *s);

#endif
