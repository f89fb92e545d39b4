/* app-file.c: replacing a file atomically (see app-file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "app/app-file.h"

#define FILE_TMP_TRIES 64

/* Flushes the directory holding path, so a rename in it is durable (best
 * effort: a file system that cannot fsync a directory has renamed anyway). */
void app_file_sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : NULL;
	if (slash && !dir)
		return;
	int fd = open(dir ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Creates a new temporary file next to path (its name into *tmp, malloc'd);
 * returns the descriptor, or -1 with errno and *tmp NULL. */
static int file_open_tmp(const char *path, int mode, char **tmp)
{
	static unsigned seq;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	for (int k = 0; k < FILE_TMP_TRIES; k++) {
		unsigned tag = (unsigned)ts.tv_nsec ^ (++seq * 2654435761u);
		if (asprintf(tmp, "%s.tmp.%ld.%08x", path, (long)getpid(), tag) < 0) {
			*tmp = NULL;
			errno = ENOMEM;
			return -1;
		}
		int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
		if (fd >= 0)
			return fd;
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
		if (e != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/* Writes all n parts of iov to fd; returns 0 or -1 with errno. */
static int file_write_all(int fd, const struct iovec *iov, size_t n)
{
	struct iovec cur[64];     /* writev in batches: a history line is two parts */
	size_t i = 0, off = 0;    /* the next byte: iov[i] at off */
	while (i < n) {
		size_t k = 0;
		for (size_t j = i; j < n && k < sizeof cur / sizeof cur[0]; j++, k++) {
			size_t skip = j == i ? off : 0;
			cur[k].iov_base = (char *)iov[j].iov_base + skip;
			cur[k].iov_len = iov[j].iov_len - skip;
		}
		ssize_t w = writev(fd, cur, (int)k);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0 && k > 0) {
			size_t left = 0;
			for (size_t j = 0; j < k; j++)
				left += cur[j].iov_len;
			if (left > 0) {
				errno = ENOSPC;
				return -1;
			}
		}
		/* Moves past the w bytes written (and past empty parts). */
		size_t done = (size_t)w;
		while (i < n && done >= iov[i].iov_len - off) {
			done -= iov[i].iov_len - off;
			i++;
			off = 0;
		}
		off += done;
	}
	return 0;
}

/* Writes "<what> <path>: <errno text>" into err; returns rc (errno kept). */
static int file_failed(char *err, size_t cap, int rc, const char *what, const char *path)
{
	int e = errno ? errno : EIO;
	if (err && cap)
		snprintf(err, cap, "%s %s: %s", what, path, strerror(e));
	errno = e;
	return rc;
}

/* Replaces path with iov's parts, atomically (see app-file.h); durable:
 * fsyncs the file and then the directory around the rename; st, when not
 * NULL, gets the written file's fstat. */
static int file_write(const char *path, int mode, const struct iovec *iov, size_t n, bool durable,
    struct stat *st, char *err, size_t cap)
{
	if (err && cap)
		err[0] = '\0';
	errno = 0;
	char *tmp = NULL;
	int fd = file_open_tmp(path, mode, &tmp);
	if (fd < 0)
		return file_failed(err, cap, errno == ENOMEM ? RC_ENOMEM : RC_EIO,
		    "cannot create a file next to", path);
	const char *what = NULL;
	if ((mode & 077) == 0 && fchmod(fd, (mode_t)mode) < 0)
		what = "cannot write";
	else if (file_write_all(fd, iov, n) < 0 || (durable && fsync(fd) < 0))
		what = "cannot write";
	else if (st && fstat(fd, st) < 0)
		what = "cannot write";
	int e = errno;
	if (close(fd) < 0 && errno != EINTR && !what) {   /* (EINTR: closed all the same on Linux) */
		what = "cannot write";
		e = errno;
	}
	if (!what && rename(tmp, path) < 0) {
		what = "cannot replace";
		e = errno;
	}
	if (what) {
		unlink(tmp);
		free(tmp);
		errno = e;
		return file_failed(err, cap, RC_EIO, what, path);
	}
	free(tmp);
	if (durable)
		app_file_sync_dir(path);
	return 0;
}

/* Replaces path atomically and durably (app-file.h). */
int app_file_write(const char *path, int mode, const struct iovec *iov, size_t n, char *err,
    size_t cap)
{
	return file_write(path, mode, iov, n, true, NULL, err, cap);
}

/* Replaces path atomically, without waiting for the disk (app-file.h). */
int app_file_write_nosync(const char *path, int mode, const struct iovec *iov, size_t n,
    char *err, size_t cap)
{
	return file_write(path, mode, iov, n, false, NULL, err, cap);
}

/* Replaces path atomically and durably, telling what was written (app-file.h). */
int app_file_write_stat(const char *path, int mode, const struct iovec *iov, size_t n,
    struct stat *st, char *err, size_t cap)
{
	return file_write(path, mode, iov, n, true, st, err, cap);
}
