/* files.h: whole-file helpers for tests — write a fixture file, read back
 * what a program wrote.  Nothing here asserts (bench programs link it too):
 * tests check the results, e.g.
 *
 *   cr_assert_eq(files_write(path, "list\n", 0600), 0, "%s", path);
 *   char *text = files_read(path, NULL);
 *   cr_assert_str_eq(text, "list\n");
 *   free(text); */
#ifndef RCONSOLE_TESTS_SUPPORT_FILES_H
#define RCONSOLE_TESTS_SUPPORT_FILES_H

#include <stddef.h>

/* Writes text to path, created or truncated, and gives it exactly mode (the
 * umask aside); returns 0, or -1 with errno set. */
int files_write(const char *path, const char *text, int mode);
/* Returns the whole of path, malloc'd and NUL-terminated (the caller frees),
 * *len (may be NULL) its length: "" when path cannot be opened (absent, not
 * yet written), NULL only when out of memory. */
char *files_read(const char *path, size_t *len);
/* Returns the number path starts with (a pid a child wrote), or -1 when
 * path cannot be read or does not start with one. */
long files_read_number(const char *path);
/* Removes dir and everything under it (as `rm -rf` does, without a shell);
 * returns 0, or -1 when something could not be removed (an absent dir is
 * not an error). */
int files_remove_tree(const char *dir);

#endif
