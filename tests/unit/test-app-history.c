/* test-app-history.c: command history — load, add, cap, atomic save, search. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../support/files.h"
#include "app/history.h"

/* rename() is wrapped (-Wl,--wrap=rename, src/app/local.mk) so that a test
 * can play a second console writing the file in the moment just after this
 * one's save renamed its own over it. */
int __real_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to);
static const char *after_rename_write;   /* the other console's file, once */

int __wrap_rename(const char *from, const char *to)
{
	int rc = __real_rename(from, to);
	const char *text = after_rename_write;
	after_rename_write = NULL;
	if (rc == 0 && text) {
		char tmp[400];
		snprintf(tmp, sizeof(tmp), "%s.other", to);
		FILE *f = fopen(tmp, "w");
		cr_assert(f);
		fputs(text, f);
		cr_assert_eq(fclose(f), 0);
		cr_assert_eq(__real_rename(tmp, to), 0);
	}
	return rc;
}

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

/* ---- nothing blocks, nothing foreign is read or replaced ---- */

Test(history, fifo_is_refused_without_blocking_and_left_alone, .timeout = 10)
{
	char p[300];
	in_dir(p, sizeof(p), "fifo");
	cr_assert_eq(mkfifo(p, 0600), 0);
	app_history *h = app_history_load(p, 5);   /* a plain open() would hang here */
	cr_assert_not_null(h);
	cr_assert_not_null(app_history_problem(h));
	cr_assert(strstr(app_history_problem(h), "is not a regular file"), "%s",
	    app_history_problem(h));
	app_history_add(h, "list");
	cr_assert_eq(app_history_save(h), 0, "kept in memory");
	app_history_free(h);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced");
}

Test(history, directory_and_oversize_files_are_refused_and_not_replaced)
{
	char p[300];
	in_dir(p, sizeof(p), "adir");
	cr_assert_eq(mkdir(p, 0700), 0);
	app_history *h = app_history_load(p, 5);
	cr_assert_not_null(h);
	cr_assert_not_null(app_history_problem(h));
	app_history_free(h);

	in_dir(p, sizeof(p), "big");
	int fd = open(p, O_WRONLY | O_CREAT, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "seed\n", 5), 5);
	cr_assert_eq(ftruncate(fd, (16 << 20) + 1), 0);
	close(fd);
	h = app_history_load(p, 5);
	cr_assert_eq(app_history_count(h), 0, "nothing read from an oversize file");
	cr_assert(app_history_problem(h) && strstr(app_history_problem(h), "larger than 16 MiB"),
	    "%s", app_history_problem(h));
	app_history_add(h, "list");
	app_history_free(h);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_size, (16 << 20) + 1, "the oversize file was replaced");

	/* At the cap exactly it still loads. */
	fd = open(p, O_WRONLY | O_TRUNC);
	cr_assert_eq(write(fd, "seed\n", 5), 5);
	cr_assert_eq(ftruncate(fd, 16 << 20), 0);
	close(fd);
	h = app_history_load(p, 5);
	cr_assert_null(app_history_problem(h));
	cr_assert_str_eq(app_history_get(h, 0), "seed");
	app_history_free(h);
}

Test(history, a_failing_save_is_told_once_until_it_works_again)
{
	char f[300], p[300];
	in_dir(p, sizeof(p), "d");
	cr_assert_eq(mkdir(p, 0700), 0);
	in_dir(p, sizeof(p), "d/h");
	app_history *h = app_history_load(p, 5);
	cr_assert_null(app_history_new_error(h));
	/* The directory becomes a file under it: every save now fails. */
	in_dir(f, sizeof(f), "d");
	cr_assert_eq(rmdir(f), 0);
	FILE *fp = fopen(f, "w");
	cr_assert_not_null(fp);
	fclose(fp);
	app_history_add(h, "one");
	cr_assert_lt(app_history_save(h), 0);
	const char *why = app_history_new_error(h);
	cr_assert_not_null(why);
	cr_assert(strstr(why, p) && strstr(why, "Not a directory"), "%s", why);
	cr_assert_null(app_history_new_error(h), "told once");
	app_history_add(h, "two");
	cr_assert_lt(app_history_save(h), 0);
	cr_assert_null(app_history_new_error(h), "still once for the same run of failures");
	/* It works again: a later failure is told again. */
	cr_assert_eq(unlink(f), 0);
	cr_assert_eq(mkdir(f, 0700), 0);
	cr_assert_eq(app_history_save(h), 0);
	cr_assert_null(app_history_new_error(h));
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && : > '%s'", f, f);
	cr_assert_eq(system(cmd), 0);
	app_history_add(h, "three");
	cr_assert_lt(app_history_save(h), 0);
	cr_assert_not_null(app_history_new_error(h), "a new run of failures is told again");
	app_history_free(h);
}

Test(history, state_directory_is_judged_like_ssh)
{
	char why[600], sub[300];
	cr_assert_eq(app_history_dir_check(NULL, why, sizeof(why)), 0);
	cr_assert_eq(chmod(dir, 0700), 0);
	cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), 0, "%s", why);
	in_dir(sub, sizeof(sub), "missing");
	cr_assert_eq(app_history_dir_check(sub, why, sizeof(why)), 0, "missing is made 0700 later");
	cr_assert_eq(chmod(dir, 0770), 0);
	cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), -1);
	cr_assert(strstr(why, dir) && strstr(why, "writable by group or others; run: chmod go-w"),
	    "%s", why);
	cr_assert_eq(chmod(dir, 0702), 0);
	cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), -1);
	cr_assert_eq(chmod(dir, 0755), 0);
	cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), 0, "readable is fine");
	in_dir(sub, sizeof(sub), "history");
	cr_assert_eq(mkdir(sub, 0777), 0);
	cr_assert_eq(chmod(sub, 0777), 0);
	cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), -1, "history/ is judged too");
	cr_assert(strstr(why, sub), "%s", why);
	cr_assert_eq(rmdir(sub), 0);
	FILE *fp = fopen(sub, "w");
	fclose(fp);
	cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), -1);
	cr_assert(strstr(why, "is not a directory"), "%s", why);
	if (geteuid() == 0) {
		cr_assert_eq(unlink(sub), 0);
		cr_assert_eq(chown(dir, 65534, (gid_t)-1), 0);
		cr_assert_eq(app_history_dir_check(dir, why, sizeof(why)), -1);
		cr_assert(strstr(why, "owned by uid 65534"), "%s", why);
		cr_assert_eq(chown(dir, 0, (gid_t)-1), 0);
	}
}

Test(history, lazy_history_never_used_leaves_its_file_alone)
{
	char p[300];
	in_dir(p, sizeof(p), "h");
	cr_assert_eq(files_write(p, "list\nseed\n", 0600), 0);
	chmod(p, 0640);   /* a save would make it 0600: proves no save ran */
	app_history *h = app_history_lazy(p, 5);
	cr_assert_not_null(h);
	cr_assert_not(app_history_loaded(h), "nothing read at creation");
	cr_assert_eq(app_history_save(h), 0, "nothing to save");
	app_history_free(h);
	char *text = files_read(p, NULL);
	cr_assert_str_eq(text, "list\nseed\n", "never overwritten with an empty one");
	free(text);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0640, "not even rewritten");
	cr_assert_eq(count_entries(dir), 1, "no temporary file left either");
}

Test(history, lazy_history_reads_its_file_on_first_use)
{
	char p[300];
	in_dir(p, sizeof(p), "h");
	cr_assert_eq(files_write(p, "list\nseed\n", 0600), 0);
	app_history *h = app_history_lazy(p, 5);
	/* Changed on disk after creation: the lazy read sees the new file. */
	cr_assert_eq(files_write(p, "list\nseed\ntps\n", 0600), 0);
	cr_assert_eq(app_history_count(h), 3);
	cr_assert(app_history_loaded(h));
	cr_assert_str_eq(app_history_get(h, 2), "tps");
	cr_assert_eq(app_history_search(h, -1, "SEE"), 1);
	app_history_free(h);
}

Test(history, lazy_history_add_keeps_what_the_file_held)
{
	char p[300];
	in_dir(p, sizeof(p), "h");
	cr_assert_eq(files_write(p, "list\nseed\n", 0600), 0);
	app_history *h = app_history_lazy(p, 5);
	app_history_add(h, "seed");   /* the newest entry in the file: a duplicate */
	app_history_add(h, "time query day");
	cr_assert_eq(app_history_save(h), 0);
	app_history_free(h);
	char *text = files_read(p, NULL);
	cr_assert_str_eq(text, "list\nseed\ntime query day\n");
	free(text);
}

Test(history, lazy_history_refused_file_is_told_on_first_use, .timeout = 10)
{
	char p[300];
	in_dir(p, sizeof(p), "fifo");
	cr_assert_eq(mkfifo(p, 0600), 0);
	app_history *h = app_history_lazy(p, 5);
	cr_assert_not_null(app_history_problem(h), "read (without blocking) when asked");
	app_history_add(h, "list");
	cr_assert_eq(app_history_save(h), 0, "kept in memory only");
	app_history_free(h);
	struct stat st;
	cr_assert_eq(stat(p, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "left alone");
}

/* Two histories on one file (two consoles on one server): each save takes
 * in what the other saved since it read the file, in order, capped, and
 * nothing twice. */
Test(history, two_histories_on_one_file_keep_each_others_lines)
{
	char p[300];
	in_dir(p, sizeof(p), "shared");
	app_history *a = app_history_load(p, 4);
	app_history *b = app_history_load(p, 4);
	app_history_add(a, "a1");
	cr_assert_eq(app_history_save(a), 0);
	app_history_add(b, "b1");
	cr_assert_eq(app_history_save(b), 0);
	cr_assert_eq(app_history_count(b), 2);
	cr_assert_str_eq(app_history_get(b, 0), "a1");
	cr_assert_str_eq(app_history_get(b, 1), "b1");
	app_history_add(a, "a2");
	app_history_add(a, "a3");
	app_history_add(a, "a4");
	cr_assert_eq(app_history_save(a), 0);
	/* The newest four: a1 fell off the cap, b1 stayed between. */
	const char *want[] = { "b1", "a2", "a3", "a4" };
	cr_assert_eq(app_history_count(a), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(app_history_get(a, i), want[i]);
	/* Saved again with nothing new elsewhere: unchanged. */
	app_history_add(a, "a5");
	cr_assert_eq(app_history_save(a), 0);
	app_history_free(a);
	app_history_free(b);
	app_history *c = app_history_load(p, 10);
	const char *now[] = { "b1", "a2", "a3", "a4", "a5" };
	cr_assert_eq(app_history_count(c), 4);
	for (size_t i = 0; i < 4; i++)
		cr_assert_str_eq(app_history_get(c, i), now[i + 1]);
	app_history_free(c);
}

Test(history, a_write_just_after_our_save_is_merged_at_the_next)
{
	char p[300];
	in_dir(p, sizeof(p), "gap");
	app_history *a = app_history_load(p, 10);
	app_history_add(a, "a1");
	/* Another console replaces the file the moment ours is in place. */
	after_rename_write = "a1\nb1\n";
	cr_assert_eq(app_history_save(a), 0);
	cr_assert_null(after_rename_write);
	app_history_add(a, "a2");
	cr_assert_eq(app_history_save(a), 0);
	app_history_free(a);
	app_history *c = app_history_load(p, 10);
	const char *want[] = { "a1", "b1", "a2" };
	cr_assert_eq(app_history_count(c), 3);
	for (size_t i = 0; i < 3; i++)
		cr_assert_str_eq(app_history_get(c, i), want[i]);
	app_history_free(c);
}
