/* app-file.h: replacing a file atomically (history, the command-tree cache,
 * --metrics-file).
 *
 * app_file_write() writes a temporary file in the target's own directory
 * (so the rename never crosses a file system), writes every part, fsyncs
 * it, closes it, renames it over the target and fsyncs the directory so the
 * rename itself is durable.  A crash or a failure at any step leaves the old
 * file byte for byte as it was (or no file when there was none), never half
 * of the new one; on failure the temporary file is removed and err says
 * which step failed, for which file, and why.  The directory must exist
 * (app_state_mkdirs() makes a state file's). */
#ifndef RCONSOLE_APP_FILE_H
#define RCONSOLE_APP_FILE_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/uio.h>

/* Replaces path with the n parts of iov, atomically (see above).  The new
 * file's mode is mode exactly when mode gives group and others nothing
 * (0600: a private file stays private whatever the umask), else mode less
 * the umask (open()'s rule).  Returns 0, or RC_EIO / RC_ENOMEM with errno
 * set and err[cap] = "<step> <path>: <reason>" ("cannot write /p: No space
 * left on device"); err may be NULL. */
int app_file_write(const char *path, int mode, const struct iovec *iov, size_t n, char *err,
    size_t cap);
/* The same without either fsync: still atomic for readers (a rename), not
 * durable across a crash.  For a file rewritten every few seconds on the
 * event loop's thread (--metrics-file), where a slow disk must not stall
 * the loop and the next write replaces a lost one anyway. */
int app_file_write_nosync(const char *path, int mode, const struct iovec *iov, size_t n,
    char *err, size_t cap);
/* app_file_write(), also filling *st with the new file as written (fstat of
 * it before the rename), so a caller that later asks "did someone else
 * replace it?" compares with its own file and not with whatever stood at
 * path a moment after the rename. */
int app_file_write_stat(const char *path, int mode, const struct iovec *iov, size_t n,
    struct stat *st, char *err, size_t cap);
/* Flushes the directory holding path (best effort), so a rename or link
 * made in it survives a crash. */
void app_file_sync_dir(const char *path);

#endif
