/* test-app-file.c: atomic file replacement (src/app/app-file.c) — a whole
 * write lands byte for byte with the asked mode and no temporary file left;
 * a directory the process cannot write fails with a clear error and leaves
 * the old file as it was; a write that fails half way (the file-size limit)
 * leaves the old file and no temporary file; a rename that cannot happen
 * (the target is a directory) does too; a missing directory is an error. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "app/app-file.h"
#include "../support/files.h"

static char dir[] = "/tmp/rconsole-test-file.XXXXXX";
static char path[256];

/* Makes the directory and the path of the file under test. */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
}

/* Removes it all. */
static void teardown(void)
{
	if (getuid() == 0 && geteuid() != 0)
		cr_assert_eq(seteuid(0), 0);
	chmod(dir, 0700);
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

TestSuite(file, .init = setup, .fini = teardown);

/* Returns how many entries dir holds besides . and .. */
static int entries(void)
{
	DIR *d = opendir(dir);
	cr_assert_not_null(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* Writes text to path with app_file_write; returns its result. */
static int put(const char *text, char *err, size_t cap)
{
	struct iovec iov = { (char *)text, strlen(text) };
	return app_file_write(path, 0600, &iov, 1, err, cap);
}

/* Asserts path holds exactly text. */
static void holds(const char *text)
{
	size_t len = 0;
	cr_assert_eq(access(path, F_OK), 0, "%s is gone", path);
	char *got = files_read(path, &len);
	cr_assert_not_null(got);
	cr_assert_eq(len, strlen(text));
	cr_assert(memcmp(got, text, len) == 0, "the old content changed");
	free(got);
}

Test(file, a_full_write_lands_whole_with_its_mode)
{
	/* 3 MiB in many parts, over an old file. */
	cr_assert_eq(put("old\n", NULL, 0), 0);
	enum { PARTS = 768, PART = 4096 };
	char *big = malloc((size_t)PARTS * PART);
	struct iovec *iov = calloc(PARTS, sizeof(*iov));
	cr_assert(big && iov);
	for (size_t i = 0; i < (size_t)PARTS * PART; i++)
		big[i] = (char)('a' + (i * 7 + i / 4093) % 26);
	for (size_t k = 0; k < PARTS; k++)
		iov[k] = (struct iovec){ big + k * PART, PART };
	char err[256] = "stale";
	cr_assert_eq(app_file_write(path, 0600, iov, PARTS, err, sizeof(err)), 0);
	cr_assert_str_empty(err, "the error text is cleared on success");
	size_t len = 0;
	char *got = files_read(path, &len);
	cr_assert_eq(len, (size_t)PARTS * PART);
	cr_assert(memcmp(got, big, len) == 0);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(entries(), 1, "a temporary file was left behind");
	free(got);
	free(big);
	free(iov);
}

Test(file, a_shared_mode_follows_the_umask)
{
	mode_t old = umask(027);
	struct iovec iov = { (char *)"x", 1 };
	cr_assert_eq(app_file_write(path, 0644, &iov, 1, NULL, 0), 0);
	umask(old);
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640);
}

Test(file, a_read_only_directory_fails_clearly_and_keeps_the_old_file)
{
	cr_assert_eq(put("keep me\n", NULL, 0), 0);
	cr_assert_eq(chmod(dir, 0555), 0);
	/* root writes anywhere: act as nobody for this test (teardown returns). */
	if (geteuid() == 0)
		cr_assert_eq(seteuid(65534), 0);
	char err[256] = "";
	cr_assert_eq(put("new\n", err, sizeof(err)), RC_EIO);
	cr_assert_eq(errno, EACCES);
	cr_assert(strstr(err, "cannot create a file next to") && strstr(err, path) &&
	    strstr(err, strerror(EACCES)), "unclear error: %s", err);
	if (getuid() == 0)
		cr_assert_eq(seteuid(0), 0);   /* to read the root-owned file back */
	holds("keep me\n");
	cr_assert_eq(entries(), 1);
}

Test(file, a_write_that_fails_half_way_keeps_the_old_file)
{
	cr_assert_eq(put("the old history\n", NULL, 0), 0);
	/* The file-size limit makes write() fail part way (EFBIG). */
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit rl = { 4096, 4096 };
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	static char big[64 * 1024];
	memset(big, 'z', sizeof(big));
	struct iovec iov[2] = { { (char *)"head\n", 5 }, { big, sizeof(big) } };
	char err[256] = "";
	cr_assert_eq(app_file_write(path, 0600, iov, 2, err, sizeof(err)), RC_EIO);
	cr_assert_eq(errno, EFBIG);
	cr_assert(strstr(err, "cannot write") && strstr(err, path), "unclear error: %s", err);
	holds("the old history\n");
	cr_assert_eq(entries(), 1, "the temporary file was not removed");
}

Test(file, a_rename_that_fails_removes_the_temporary_file)
{
	cr_assert_eq(mkdir(path, 0700), 0);
	char inside[300];
	snprintf(inside, sizeof(inside), "%s/x", path);
	FILE *f = fopen(inside, "w");
	cr_assert_not_null(f);
	fclose(f);
	char err[256] = "";
	cr_assert_eq(put("over a directory\n", err, sizeof(err)), RC_EIO);
	cr_assert(strstr(err, "cannot replace") && strstr(err, path), "unclear error: %s", err);
	struct stat st;
	cr_assert_eq(stat(inside, &st), 0, "the directory's content is gone");
	cr_assert_eq(entries(), 1);
}

Test(file, a_missing_directory_is_an_error)
{
	snprintf(path, sizeof(path), "%s/no/such/dir/state", dir);
	char err[256] = "";
	cr_assert_eq(put("x", err, sizeof(err)), RC_EIO);
	cr_assert_eq(errno, ENOENT);
	cr_assert(strstr(err, path), "%s", err);
	cr_assert_eq(entries(), 0);
}

/* The no-fsync writer (--metrics-file) replaces the file just as whole,
 * with its mode, and leaves no temporary file. */
Test(file, the_nosync_writer_replaces_whole_too)
{
	cr_assert_eq(put("old\n", NULL, 0), 0);
	struct iovec iov[2] = { { "rconsole_up 1\n", 14 }, { "rconsole_servers 3\n", 19 } };
	char err[256] = "stale";
	cr_assert_eq(app_file_write_nosync(path, 0600, iov, 2, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_empty(err);
	holds("rconsole_up 1\nrconsole_servers 3\n");
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	cr_assert_eq(entries(), 1, "a temporary file was left behind");
}
