/* app-tree.h: each server's command tree, read from its own `help` in the
 * background and cached (app-tree.c says how and when).
 *
 * Ownership: the tree belongs to the app; a returned pointer is valid until
 * the next loop pass (a fetch finishing replaces it) — use it, don't keep it. */
#ifndef RCONSOLE_APP_TREE_H
#define RCONSOLE_APP_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "rconsole/mc.h"
#include "app/app.h"

/* Returns server i's command tree, NULL when none has been read (yet, or
 * ever: the console then falls back to its fixed list).  A pure getter, safe
 * from drawing code: it reads no file and sends nothing (app_tree_need
 * does), so call app_tree_need first for a server whose tree is wanted. */
const rc_mc_usage *app_tree(const app *a, size_t i);
/* Says the console needs server i's tree (call it when a server is
 * selected, before drawing): reads the cache file the first time, and with
 * many servers (app-tree.c's APP_TREE_EAGER, where a tree is read only once
 * needed) sends `help` if the connection is up and the tree was not yet
 * fetched.  Cheap when repeated.  Never calls back. */
void app_tree_need(app *a, size_t i);
/* Reads server i's command tree again (:rehash): a note when it starts and
 * one when it is done.  RC_ENOTREADY (and an error line) when not connected. */
int app_rehash(app *a, size_t i);

/* Splits a reply to `help` where vanilla glued its usages together (the
 * transcript's splitter, app-split.h), one usage per line, ready for
 * rc_mc_usage_add_help.  Returns a malloc'd string (caller frees; its
 * length in *out_len, not NUL-terminated past it) or NULL on ENOMEM. */
char *app_tree_split(const char *body, size_t len, size_t *out_len);

#endif
