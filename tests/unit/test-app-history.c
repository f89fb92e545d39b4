/* test-app-history.c: command history — load, add, cap, atomic save, search. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/history.h"

static char dir[256];

/* Makes a fresh temporary directory for one test. */
static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/rconsole-hist-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

/* Removes the test directory and everything under it. */
static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Writes path from dir and name into buf. */
static const char *in_dir(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
	return buf;
}

/* Counts the entries of a directory other than . and .. */
static int count_entries(const char *d)
{
	DIR *dp = opendir(d);
	cr_assert_not_null(dp);
	int n = 0;
	for (struct dirent *e; (e = readdir(dp));)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(dp);
	return n;
}

TestSuite(history, .init = setup, .fini = teardown);

Test(history, missing_file_starts_empty)
{
	char p[300];
	app_history *h = app_history_load(in_dir(p, sizeof(p), "nope"), 10);
	cr_assert_not_null(h);
	cr_assert_eq(app_history_count(h), 0);
	cr_assert_null(app_history_get(h, 0));
	cr_assert_eq(app_history_search(h, -1, ""), -1);
	app_history_free(h);
	cr_assert_eq(access(p, F_OK), -1, "an unchanged history is not written");
	app_history_free(NULL);
}

Test(history, add_skips_empty_newline_and_consecutive_duplicates)
{
	app_history *h = app_history_load(NULL, 10);
	app_history_add(h, "list");
	app_history_add(h, "list");
	app_history_add(h, "");
	app_history_add(h, NULL);
	app_history_add(h, "say a\nop bob");
	app_history_add(h, "say hi");
	app_history_add(h, "list");
	cr_assert_eq(app_history_count(h), 3);
	cr_assert_str_eq(app_history_get(h, 0), "list");
	cr_assert_str_eq(app_history_get(h, 1), "say hi");
	cr_assert_str_eq(app_history_get(h, 2), "list");
	cr_assert_null(app_history_get(h, 3));
	cr_assert_eq(app_history_save(h), 0, "an in-memory history saves to nowhere");
	app_history_free(h);
}

Test(history, cap_drops_the_oldest)
{
	app_history *h = app_history_load(NULL, 3);
	char buf[16];
	for (int i = 1; i <= 7; i++) {
		snprintf(buf, sizeof(buf), "cmd %d", i);
		app_history_add(h, buf);
	}
	cr_assert_eq(app_history_count(h), 3);
	cr_assert_str_eq(app_history_get(h, 0), "cmd 5");
	cr_assert_str_eq(app_history_get(h, 2), "cmd 7");
	app_history_free(h);
}

Test(history, save_reload_round_trip_with_odd_bytes)
{
	char p[300];
	in_dir(p, sizeof(p), "sub/dir/survival");
	const char *lines[] = {
		"say héllo wörld §aGreen",
		"tab\there and \r carriage return",
		"\x1b[31mescape and \x7f del and \x01",
		"invalid utf8 \xff\xfe\xc3",
		"  spaces around  ",
	};
	size_t n = sizeof(lines) / sizeof(lines[0]);
	app_history *h = app_history_load(p, 50);
	for (size_t i = 0; i < n; i++)
		app_history_add(h, lines[i]);
	cr_assert_eq(app_history_save(h), 0);
	app_history_free(h);

	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode is %o", st.st_mode & 0777);
	char d[300];
	in_dir(d, sizeof(d), "sub/dir");
	cr_assert_eq(stat(d, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "created directory mode is %o", st.st_mode & 0777);
	cr_assert_eq(count_entries(d), 1, "no temporary file left beside the history");

	h = app_history_load(p, 50);
	cr_assert_eq(app_history_count(h), n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(app_history_get(h, i), lines[i], "entry %zu", i);
	app_history_free(h);
}

Test(history, free_saves_changes)
{
	char p[300];
	in_dir(p, sizeof(p), "h");
	app_history *h = app_history_load(p, 5);
	app_history_add(h, "time query daytime");
	app_history_free(h);
	h = app_history_load(p, 5);
	cr_assert_eq(app_history_count(h), 1);
	cr_assert_str_eq(app_history_get(h, 0), "time query daytime");
	app_history_free(h);
}

Test(history, load_keeps_the_newest_cap_entries_and_skips_blank_lines)
{
	char p[300];
	in_dir(p, sizeof(p), "h");
	FILE *f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs("one\n\ntwo\nthree\nfour", f);   /* no final newline */
	fclose(f);
	app_history *h = app_history_load(p, 3);
	cr_assert_eq(app_history_count(h), 3);
	cr_assert_str_eq(app_history_get(h, 0), "two");
	cr_assert_str_eq(app_history_get(h, 2), "four");
	app_history_free(h);
}

Test(history, save_replaces_the_old_file_atomically)
{
	char p[300];
	in_dir(p, sizeof(p), "h");
	FILE *f = fopen(p, "w");
	fputs("old\n", f);
	fclose(f);
	chmod(p, 0644);
	struct stat before;
	cr_assert_eq(stat(p, &before), 0);
	app_history *h = app_history_load(p, 5);
	app_history_add(h, "new");
	cr_assert_eq(app_history_save(h), 0);
	struct stat after;
	cr_assert_eq(stat(p, &after), 0);
	cr_assert_neq(before.st_ino, after.st_ino, "renamed over, not rewritten in place");
	cr_assert_eq(after.st_mode & 0777, 0600);
	cr_assert_eq(count_entries(dir), 1);
	app_history_free(h);
	h = app_history_load(p, 5);
	cr_assert_eq(app_history_count(h), 2);
	cr_assert_str_eq(app_history_get(h, 1), "new");
	app_history_free(h);
}

Test(history, unwritable_location_fails_cleanly)
{
	/* A regular file where the directory should be: fails even for root. */
	char p[300], f[300];
	in_dir(f, sizeof(f), "file");
	FILE *fp = fopen(f, "w");
	cr_assert_not_null(fp);
	fclose(fp);
	in_dir(p, sizeof(p), "file/sub/h");
	app_history *h = app_history_load(p, 5);
	cr_assert_not_null(h);
	app_history_add(h, "x");
	cr_assert_lt(app_history_save(h), 0);
	cr_assert_eq(count_entries(dir), 1, "nothing but the blocking file");
	cr_assert_eq(app_history_count(h), 1, "still kept in memory");
	app_history_free(h);
}

Test(history, search_newest_first_case_insensitive)
{
	app_history *h = app_history_load(NULL, 10);
	app_history_add(h, "say Hello");    /* 0 */
	app_history_add(h, "list");         /* 1 */
	app_history_add(h, "say again");    /* 2 */
	app_history_add(h, "op bob");       /* 3 */
	cr_assert_eq(app_history_search(h, -1, "say"), 2);
	cr_assert_eq(app_history_search(h, 2, "say"), 0);
	cr_assert_eq(app_history_search(h, 0, "say"), -1);
	cr_assert_eq(app_history_search(h, 99, "HELLO"), 0);
	cr_assert_eq(app_history_search(h, 4, ""), 3, "empty needle matches every entry");
	cr_assert_eq(app_history_search(h, -1, "kick"), -1);
	app_history_free(h);
}
