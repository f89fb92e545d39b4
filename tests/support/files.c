/* files.c: whole-file helpers for tests (files.h). */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"

/* Writes text to path with exactly mode; returns 0 or -1. */
int files_write(const char *path, const char *text, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	size_t len = strlen(text), done = 0;
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		done += (size_t)w;
	}
	if (fchmod(fd, (mode_t)mode) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return close(fd);
}

/* Returns the whole of path, malloc'd ("" when it cannot be opened). */
char *files_read(const char *path, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *buf = malloc(cap);
	if (len)
		*len = 0;
	if (!buf)
		return NULL;
	FILE *f = fopen(path, "rb");
	while (f) {
		if (cap - n < 2048) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				fclose(f);
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		if (r == 0)
			break;
		n += r;
	}
	if (f)
		fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Returns the number path starts with, or -1. */
long files_read_number(const char *path)
{
	char *text = files_read(path, NULL), *end = NULL;
	long n = text ? strtol(text, &end, 10) : -1;
	if (!text || end == text)
		n = -1;
	free(text);
	return n;
}

/* nftw callback: removes one entry, its contents already gone (FTW_DEPTH). */
static int files_remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT ? -1 : 0;
}

/* Removes dir and everything under it; returns 0 or -1. */
int files_remove_tree(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	return nftw(dir, files_remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
