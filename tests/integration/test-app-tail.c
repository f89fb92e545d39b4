/* test-app-tail.c: following a profile's log_file (app-tail.c) in a
 * private temporary directory — start at the end with a short backlog,
 * appended lines in order, partial lines, truncation, rotation, a missing
 * file or directory, sanitising, over-long lines, a backlog bigger than one
 * pass, and no descriptor left behind.  Every scenario runs twice: with
 * inotify and with the poll timer (app_opts.tail_poll_ms).
 *
 * The servers point at 127.0.0.1:1, where nothing listens: their connection
 * lines are STATE lines and never mix with what is asserted here. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/inotify.h>
#endif

#include "app/app.h"
#include "../support/files.h"

#define WAIT_MS 20000     /* generous: the machine is shared */
#define POLL_MS 20        /* the poll-mode period used here */
#define LINE_MAX_BYTES 65536

static rc_loop *loop;
static rc_config *cfg;
static char dir[256];

/* Per test: a loop, an empty config and a private directory. */
static void setup(void)
{
	loop = rc_loop_new();
	cr_assert_not_null(loop);
	cfg = rc_config_new(NULL);
	cr_assert_not_null(cfg);
	snprintf(dir, sizeof(dir), "/tmp/rconsole-tail-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

/* Frees what setup made and removes the directory. */
static void teardown(void)
{
	rc_config_free(cfg);
	rc_loop_free(loop);
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

TestSuite(tail, .init = setup, .fini = teardown, .timeout = 120);

/* Writes dir/name into buf and returns it. */
static const char *path_of(const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", dir, name);
	return buf;
}

/* Writes data[len] to path opened with extra flags (O_APPEND or O_TRUNC). */
static void put(const char *path, int flags, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	cr_assert_geq(fd, 0, "open %s", path);
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		cr_assert_gt(n, 0);
		data += n;
		len -= (size_t)n;
	}
	close(fd);
}

/* Appends the string s to path. */
static void append(const char *path, const char *s)
{
	put(path, O_APPEND, s, strlen(s));
}

/* Adds a server whose log_file is dir/file (no connection will succeed). */
static void add_server(const char *name, const char *file)
{
	char path[512];
	rc_profile p;
	rc_profile_init(&p);
	p.name = (char *)name;
	p.host = (char *)"127.0.0.1";
	p.port = 1;
	p.password = (char *)"x";
	p.log_file = file ? (char *)path_of(file, path, sizeof(path)) : NULL;
	char err[256];
	cr_assert_eq(rc_config_add(cfg, &p, err, sizeof(err)), 0, "%s", err);
}

/* Makes an app over every profile, polling every poll_ms (0 = inotify),
 * and starts it. */
static app *make_app(int poll_ms)
{
	char state[300];
	app_opts o = { .refresh_override = 0, .state_dir = path_of("state", state, sizeof(state)),
		.tail_poll_ms = poll_ms, .cache_dir = state };
	app *a = app_new(loop, cfg, &o);
	cr_assert_not_null(a);
	for (size_t i = 0; i < cfg->n_servers; i++) {
		char err[256];
		cr_assert_eq(app_add(a, &cfg->servers[i], NULL, err, sizeof(err)), (int)i, "%s", err);
	}
	app_start(a);
	return a;
}

/* Returns how many lines of server i have kind and contain sub (NULL: any). */
static size_t count(app *a, size_t i, enum app_line_kind kind, const char *sub)
{
	const app_ring *r = app_get(a, i)->log;
	size_t n = 0;
	for (uint64_t s = app_ring_first(r); s && s <= app_ring_last(r); s++) {
		const app_line *l = app_ring_get(r, s);
		if (l && l->kind == kind && (!sub || strstr(l->text, sub)))
			n++;
	}
	return n;
}

/* Returns the k-th (0-based) APP_LINE_LOG line of server i, or NULL. */
static const app_line *log_line(app *a, size_t i, size_t k)
{
	const app_ring *r = app_get(a, i)->log;
	for (uint64_t s = app_ring_first(r); s && s <= app_ring_last(r); s++) {
		const app_line *l = app_ring_get(r, s);
		if (l && l->kind == APP_LINE_LOG && k-- == 0)
			return l;
	}
	return NULL;
}

/* Returns the index among server i's LOG lines of the first containing sub,
 * or -1. */
static long log_index(app *a, size_t i, const char *sub)
{
	const app_line *l;
	for (size_t k = 0; (l = log_line(a, i, k)); k++)
		if (strstr(l->text, sub))
			return (long)k;
	return -1;
}

/* Runs the loop until server i has at least min lines of kind containing
 * sub, or WAIT_MS passes; returns whether it got there. */
static bool wait_for(app *a, size_t i, enum app_line_kind kind, const char *sub, size_t min)
{
	int64_t deadline = rc_now_ms() + WAIT_MS;
	while (count(a, i, kind, sub) < min) {
		if (rc_now_ms() > deadline)
			return false;
		rc_loop_run_once(loop, 100);
	}
	return true;
}

/* Runs the loop for at least ms (a precondition, never an assertion). */
static void run_for(int ms)
{
	int64_t end = rc_now_ms() + ms;
	while (rc_now_ms() < end)
		rc_loop_run_once(loop, 20);
}

/* Returns how many descriptors the process has open; *inotify gets how
 * many of them are inotify instances. */
static int count_fds(int *inotify)
{
	DIR *d = opendir("/proc/self/fd");
	cr_assert_not_null(d);
	int n = 0, in = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char link[300], target[256];
		snprintf(link, sizeof(link), "/proc/self/fd/%s", e->d_name);
		ssize_t k = readlink(link, target, sizeof(target) - 1);
		if (k > 0) {
			target[k] = '\0';
			in += strstr(target, "inotify") != NULL;
		}
		n++;
	}
	closedir(d);
	if (inotify)
		*inotify = in;
	return n - 1;    /* opendir's own */
}

/* Returns true when this process can make an inotify instance now. */
static bool inotify_works(void)
{
#ifdef __linux__
	int fd = inotify_init1(IN_CLOEXEC);
	if (fd >= 0)
		close(fd);
	return fd >= 0;
#else
	return false;
#endif
}

/* ---- scenarios (poll_ms 0: inotify) ---- */

/* Start at the end with the last 20 lines, then appended lines in order. */
static void backlog_and_append(int poll_ms)
{
	char path[512], buf[64];
	path_of("latest.log", path, sizeof(path));
	for (int k = 0; k < 30; k++) {
		snprintf(buf, sizeof(buf), "old %02d\n", k);
		append(path, buf);
	}
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "following log file"), 1);
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 20, "backlog: 20 lines");
	cr_assert_str_eq(log_line(a, 0, 0)->text, "old 10");
	cr_assert_str_eq(log_line(a, 0, 19)->text, "old 29");
	app_take_dirty(a);
	app_mark_seen(a, 0);

	append(path, "new 1\nnew 2\n");
	append(path, "new 3\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "new ", 3));
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 23);
	cr_assert_str_eq(log_line(a, 0, 20)->text, "new 1");
	cr_assert_str_eq(log_line(a, 0, 21)->text, "new 2");
	cr_assert_str_eq(log_line(a, 0, 22)->text, "new 3");
	cr_assert(app_take_dirty(a) & APP_DIRTY_LOG);
	cr_assert_geq(app_unseen(a, 0), 3);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 0);
	app_free(a);
}

/* A partial line waits for its newline; CRLF loses its CR. */
static void partial_line(int poll_ms)
{
	char a_path[512], b_path[512];
	path_of("a.log", a_path, sizeof(a_path));
	path_of("b.log", b_path, sizeof(b_path));
	put(a_path, O_TRUNC, "", 0);
	put(b_path, O_TRUNC, "", 0);
	add_server("a", "a.log");
	add_server("b", "b.log");
	app *a = make_app(poll_ms);

	/* b's line is the barrier: both files are served in the same pass, so
	 * once it shows, a's partial line has been read too. */
	append(a_path, "par");
	append(b_path, "sync 1\n");
	cr_assert(wait_for(a, 1, APP_LINE_LOG, "sync 1", 1));
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 0, "a partial line must wait");

	append(a_path, "tial\ncrlf\r\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, NULL, 2));
	cr_assert_str_eq(log_line(a, 0, 0)->text, "partial");
	cr_assert_str_eq(log_line(a, 0, 1)->text, "crlf");
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 2);
	app_free(a);
}

/* A file truncated and rewritten is read again from its start, noted once. */
static void truncated(int poll_ms)
{
	char path[512];
	path_of("latest.log", path, sizeof(path));
	append(path, "a fairly long first line of the old log\n");
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	append(path, "before\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "before", 1));

	put(path, O_TRUNC, "after\n", 6);
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "after", 1));
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "truncated"), 1);
	cr_assert_eq(count(a, 0, APP_LINE_LOG, "before"), 1);
	cr_assert_gt(log_index(a, 0, "after"), log_index(a, 0, "before"));
	append(path, "again\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "again", 1));
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "truncated"), 1);
	app_free(a);
}

/* Rotation (rename + new file, and delete + new file) is followed; the old
 * file is read to its end first. */
static void rotated(int poll_ms)
{
	char path[512], old[512];
	path_of("latest.log", path, sizeof(path));
	path_of("2024-01-01-1.log", old, sizeof(old));
	append(path, "first\n");
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	cr_assert_eq(count(a, 0, APP_LINE_LOG, "first"), 1);

	cr_assert_eq(rename(path, old), 0);
	append(old, "late\n");             /* the old writer, before it closes */
	append(path, "second\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "second", 1));
	cr_assert_eq(count(a, 0, APP_LINE_LOG, "late"), 1);
	cr_assert_lt(log_index(a, 0, "late"), log_index(a, 0, "second"));
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "replaced (rotated)"), 1);

	append(path, "third\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "third", 1));

	cr_assert_eq(unlink(path), 0);
	append(path, "fourth\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "fourth", 1));
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "replaced (rotated)"), 2);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 0);
	const char *want[] = { "first", "late", "second", "third", "fourth" };
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 5);
	for (size_t k = 0; k < 5; k++)
		cr_assert_str_eq(log_line(a, 0, k)->text, want[k]);
	app_free(a);
}

/* A missing file is one error line, however often it is checked, and is
 * read from its start once it appears. */
static void missing(int poll_ms)
{
	char path[512], other[512];
	path_of("latest.log", path, sizeof(path));
	path_of("other.log", other, sizeof(other));
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, "cannot read log file"), 1);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, "No such file"), 1);
	append(other, "not ours\n");      /* activity in the directory */
	run_for(15 * POLL_MS);            /* at least several poll checks */
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 1);

	append(path, "hello\nworld\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "world", 1));
	cr_assert_str_eq(log_line(a, 0, 0)->text, "hello");
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "following log file"), 1);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 1);
	cr_assert_eq(count(a, 0, APP_LINE_LOG, "not ours"), 0);
	app_free(a);
}

/* A missing directory is retried until the file can be followed. */
static void missing_dir(int poll_ms)
{
	char sub[512], path[512];
	path_of("logs", sub, sizeof(sub));
	path_of("logs/latest.log", path, sizeof(path));
	add_server("s", "logs/latest.log");
	app *a = make_app(poll_ms);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 1);
	cr_assert_eq(mkdir(sub, 0755), 0);
	append(path, "there\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "there", 1));
	append(path, "more\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "more", 1));
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 1);
	app_free(a);
}

/* A name that is not a regular file is one error line; a file put in its
 * place later is followed. */
static void not_regular(int poll_ms)
{
	char path[512];
	path_of("latest.log", path, sizeof(path));
	cr_assert_eq(mkdir(path, 0755), 0);
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, "not a regular file"), 1);
	run_for(5 * POLL_MS);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 1);
	cr_assert_eq(rmdir(path), 0);
	append(path, "regular now\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "regular now", 1));
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "following log file"), 1);
	cr_assert_eq(count(a, 0, APP_LINE_ERROR, NULL), 1);
	app_free(a);
}

/* Escape sequences and controls are made harmless; § codes stay. */
static void sanitised(int poll_ms)
{
	char path[512];
	path_of("latest.log", path, sizeof(path));
	put(path, O_TRUNC, "", 0);
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	append(path, "\x1b[31mred\x1b[0m \xc2\xa7" "ebold\x07\tend \xff\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, NULL, 1));
	const app_line *l = log_line(a, 0, 0);
	cr_assert_null(memchr(l->text, 0x1b, l->len), "ESC passed: %s", l->text);
	cr_assert_null(memchr(l->text, 0x07, l->len));
	cr_assert_null(memchr(l->text, '\t', l->len));
	cr_assert_not_null(strstr(l->text, "\xe2\x90\x9b[31mred"), "%s", l->text);
	cr_assert_not_null(strstr(l->text, "\xc2\xa7" "ebold"));
	cr_assert_not_null(strstr(l->text, "\xef\xbf\xbd"), "invalid UTF-8 replaced");
	cr_assert_eq(strlen(l->text), l->len);
	app_free(a);
}

/* A 200 KiB line keeps its start, says how much was cut, and the line
 * after it is intact. */
static void long_line(int poll_ms)
{
	char path[512];
	path_of("latest.log", path, sizeof(path));
	put(path, O_TRUNC, "", 0);
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	size_t big = 200 * 1024;
	char *data = malloc(big + 16);
	cr_assert_not_null(data);
	memset(data, 'x', big);
	memcpy(data + big, "\nafter\n", 7);
	put(path, O_APPEND, data, big / 2);   /* in two writes: a partial line grows */
	for (int k = 0; k < 3; k++)
		rc_loop_run_once(loop, 0);
	put(path, O_APPEND, data + big / 2, big - big / 2 + 7);
	free(data);
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "after", 1));
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 2);
	const app_line *l = log_line(a, 0, 0);
	cr_assert_leq(l->len, LINE_MAX_BYTES);
	const char *note = strstr(l->text, " … [");
	cr_assert_not_null(note, "no cut note");
	size_t kept = (size_t)(note - l->text), cut = 0;
	cr_assert_eq(sscanf(note, " … [%zu bytes cut]", &cut), 1, "%s", note);
	cr_assert_eq(strspn(l->text, "x"), kept);
	cr_assert_eq(kept + cut, big, "kept %zu + cut %zu", kept, cut);
	cr_assert_str_eq(log_line(a, 0, 1)->text, "after");
	app_free(a);
}

/* More than one pass's budget arrives at once: every line, in order. */
static void big_burst(int poll_ms)
{
	enum { LINES = 40000 };      /* 12 bytes each: about 470 KiB */
	char path[512];
	path_of("latest.log", path, sizeof(path));
	put(path, O_TRUNC, "", 0);
	cfg->scrollback = LINES + 100;
	add_server("s", "latest.log");
	app *a = make_app(poll_ms);
	char *data = malloc((size_t)LINES * 12 + 1);
	cr_assert_not_null(data);
	size_t n = 0;
	for (int k = 0; k < LINES; k++)
		n += (size_t)sprintf(data + n, "line %06d\n", k);
	put(path, O_APPEND, data, n);
	free(data);
	cr_assert(wait_for(a, 0, APP_LINE_LOG, NULL, LINES));
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), LINES);
	char want[32];
	const app_ring *r = app_get(a, 0)->log;
	int k = 0;
	for (uint64_t s = app_ring_first(r); s <= app_ring_last(r); s++) {
		const app_line *l = app_ring_get(r, s);
		if (l->kind != APP_LINE_LOG)
			continue;
		snprintf(want, sizeof(want), "line %06d", k++);
		cr_assert_str_eq(l->text, want);
	}
	app_free(a);
}

/* Descriptors and watches are all gone after app_free. */
static void no_fd_leak(int poll_ms)
{
	char path[512], old[512];
	path_of("latest.log", path, sizeof(path));
	path_of("latest.log.1", old, sizeof(old));
	append(path, "one\n");
	add_server("a", "latest.log");
	add_server("b", "missing.log");
	add_server("c", "nodir/latest.log");
	add_server("d", NULL);
	int in_before = 0, in_during = 0, in_after = 0;
	bool have_inotify = poll_ms == 0 && inotify_works();
	int before = count_fds(&in_before);
	app *a = make_app(poll_ms);
	count_fds(&in_during);
	if (have_inotify)
		cr_assert_eq(in_during, in_before + 1, "one inotify instance for all");
	else if (poll_ms > 0)
		cr_assert_eq(in_during, in_before, "polling makes no inotify instance");
	cr_assert_eq(rename(path, old), 0);
	append(path, "two\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "two", 1));
	app_free(a);
	int after = count_fds(&in_after);
	cr_assert_eq(after, before, "fds before %d, after %d", before, after);
	cr_assert_eq(in_after, in_before);
}

/* ---- each scenario with inotify and with the poll timer ---- */

Test(tail, backlog_and_append_inotify) { backlog_and_append(0); }
Test(tail, backlog_and_append_poll) { backlog_and_append(POLL_MS); }
Test(tail, partial_line_inotify) { partial_line(0); }
Test(tail, partial_line_poll) { partial_line(POLL_MS); }
Test(tail, truncated_inotify) { truncated(0); }
Test(tail, truncated_poll) { truncated(POLL_MS); }
Test(tail, rotated_inotify) { rotated(0); }
Test(tail, rotated_poll) { rotated(POLL_MS); }
Test(tail, missing_inotify) { missing(0); }
Test(tail, missing_poll) { missing(POLL_MS); }
Test(tail, missing_dir_inotify) { missing_dir(0); }
Test(tail, missing_dir_poll) { missing_dir(POLL_MS); }
Test(tail, not_regular_inotify) { not_regular(0); }
Test(tail, not_regular_poll) { not_regular(POLL_MS); }
Test(tail, sanitised_inotify) { sanitised(0); }
Test(tail, sanitised_poll) { sanitised(POLL_MS); }
Test(tail, long_line_inotify) { long_line(0); }
Test(tail, long_line_poll) { long_line(POLL_MS); }
Test(tail, big_burst_inotify) { big_burst(0); }
Test(tail, big_burst_poll) { big_burst(POLL_MS); }
Test(tail, no_fd_leak_inotify) { no_fd_leak(0); }
Test(tail, no_fd_leak_poll) { no_fd_leak(POLL_MS); }

/* With inotify an idle followed file costs no wake-up at all; a write
 * wakes the loop at once. */
Test(tail, idle_no_wakeups)
{
	if (!inotify_works())
		cr_skip_test("inotify is not available here");
	char path[512];
	path_of("latest.log", path, sizeof(path));
	append(path, "start\n");
	add_server("s", "latest.log");
	app *a = make_app(0);
	app_disconnect(a, 0);    /* no connection timers either */
	for (int k = 0; k < 5; k++)
		rc_loop_run_once(loop, 0);
	for (int k = 0; k < 3; k++)
		cr_assert_eq(rc_loop_run_once(loop, 300), 0, "an idle tail woke the loop");
	append(path, "wake\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "wake", 1));
	app_free(a);
}

/* Without any log_file there is no inotify instance at all. */
Test(tail, nothing_without_log_file)
{
	add_server("s", NULL);
	int before = 0, during = 0;
	count_fds(&before);
	app *a = make_app(0);
	count_fds(&during);
	cr_assert_eq(during, before);
	cr_assert_eq(count(a, 0, APP_LINE_LOG, NULL), 0);
	cr_assert_eq(count(a, 0, APP_LINE_INFO, "log file"), 0);
	app_free(a);
}

/* log_file lines are parsed once, when they arrive: the line carries where
 * its stamp and message are and its level, so drawing never parses. */
Test(tail, lines_are_parsed_once_on_arrival)
{
	char path[512];
	path_of("latest.log", path, sizeof(path));
	append(path, "");
	add_server("s", "latest.log");
	app *a = make_app(0);
	append(path, "[12:34:56] [Server thread/WARN]: Can't keep up!\n"
	    "2013-01-01 07:08:09 [SEVERE] old shape\n"
	    "[01Dec2026 10:11:12.123] [Server thread/INFO] [minecraft/DedicatedServer]: forge\n"
	    "no shape at all\n");
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "no shape", 1));
	static const struct { const char *stamp, *body; unsigned level; } want[] = {
		{ "12:34:56", "Can't keep up!", APP_LOG_WARN },
		{ "07:08:09", "old shape", APP_LOG_ERROR },
		{ "10:11:12", "forge", APP_LOG_INFO },
	};
	for (size_t k = 0; k < 3; k++) {
		const app_line *l = log_line(a, 0, k);
		cr_assert_not_null(l);
		cr_assert_neq(l->log_body, 0, "%s: not parsed", l->text);
		cr_assert_str_eq(l->text + l->log_body, want[k].body);
		cr_assert(strncmp(l->text + l->log_stamp, want[k].stamp, 8) == 0, "%s", l->text);
		cr_assert_eq(l->log_level, want[k].level);
	}
	const app_line *plain = log_line(a, 0, 3);
	cr_assert_str_eq(plain->text, "no shape at all");
	cr_assert_eq(plain->log_body, 0);
	cr_assert_eq(count(a, 0, APP_LINE_INFO, NULL) > 0, true);
	const app_line *info = NULL;
	const app_ring *r = app_get(a, 0)->log;
	for (uint64_t s = app_ring_first(r); s && s <= app_ring_last(r) && !info; s++)
		if (app_ring_get(r, s)->kind == APP_LINE_INFO)
			info = app_ring_get(r, s);
	cr_assert_eq(info->log_body, 0, "only log_file lines are parsed");
	app_free(a);
}

/* A line whose stamp starts past byte 255 (a long first group) keeps its
 * stamp, message and level colour like any other. */
Test(tail, stamp_past_byte_255_keeps_its_level)
{
	char path[512];
	path_of("latest.log", path, sizeof(path));
	append(path, "");
	add_server("s", "latest.log");
	app *a = make_app(0);
	char line[1024];
	int n = snprintf(line, sizeof line, "[");
	for (int k = 0; k < 30; k++)
		n += snprintf(line + n, sizeof line - (size_t)n, "node-%02d.eu-west.example ", k);
	snprintf(line + n, sizeof line - (size_t)n, "21:22:23] [Server thread/ERROR]: far stamp\n");
	append(path, line);
	cr_assert(wait_for(a, 0, APP_LINE_LOG, "far stamp", 1));
	const app_line *l = log_line(a, 0, 0);
	cr_assert_not_null(l);
	cr_assert_neq(l->log_body, 0, "not parsed: %s", l->text);
	cr_assert_gt(l->log_stamp, 255);
	cr_assert(strncmp(l->text + l->log_stamp, "21:22:23", 8) == 0, "%s", l->text);
	cr_assert_str_eq(l->text + l->log_body, "far stamp");
	cr_assert_eq(l->log_level, APP_LOG_ERROR, "the level colour was lost");
	app_free(a);
}
