/* test-cli-stdin.c: `-c -` against a spawned mcsim — commands go out as
 * their lines arrive (a FIFO the test keeps open), comments, blank lines and
 * whitespace are dropped unless --raw-input, an overlong line is refused at
 * once with its line number, and with two profiles each gets every line in
 * order.  Also the one-shot output's bytes: bidi and zero-width characters
 * in -c replies and --players names, and --raw into a pipe. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli-util.h"

static mcsim sim, sim2;

/* Stops both servers. */
static void stop(void)
{
	mcsim_stop(&sim);
	mcsim_stop(&sim2);
}

TestSuite(stdin, .fini = stop, .timeout = 120);

/* Waits until the file at path holds needle; returns whether it did. */
static bool wait_file_has(const char *path, const char *needle, int timeout_ms)
{
	long long end = mcsim_now_ms() + timeout_ms;
	for (;;) {
		char *s = files_read(path, NULL);
		bool found = strstr(s, needle) != NULL;
		free(s);
		if (found)
			return true;
		if (mcsim_now_ms() > end)
			return false;
		mcsim_sleep_ms(20);
	}
}

/* Writes s to fd in full. */
static void put(int fd, const char *s)
{
	size_t len = strlen(s);
	while (len) {
		ssize_t w = write(fd, s, len);
		cr_assert_gt(w, 0, "write: %s", strerror(errno));
		s += w;
		len -= (size_t)w;
	}
}

Test(stdin, each_line_is_sent_as_it_arrives)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char fifo[320];
	snprintf(fifo, sizeof fifo, "%s/cmds", sim.dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cli_bg b;
	cli_spawn_on_stdin(&b, &sim, 0, (const char *const[]){ "-c", "-", NULL }, fifo);
	const char *out = b.out_path, *err = b.err_path;
	int w = open(fifo, O_WRONLY);
	cr_assert_geq(w, 0);
	/* `(echo list; sleep 3; echo seed) | rconsole -c -`, without the sleep:
	 * the writer stays open until list is answered. */
	put(w, "list\n");
	cr_assert(wait_file_has(out, "players online", 10000),
	    "list was not answered while stdin stayed open");
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0);
	/* An overlong line is refused the moment it passes the limit, before
	 * its newline has even arrived. */
	char *longline = malloc(3001);
	memset(longline, 'x', 3000);
	longline[3000] = '\0';
	put(w, longline);
	cr_assert(wait_file_has(err, "stdin line 2: refused: longer than the 1446 bytes", 10000),
	    "the overlong line was not refused at once");
	put(w, "\nseed\n");
	close(w);
	cli_result r;
	cli_bg_wait(&b, &r, 20000);
	cr_assert_eq(r.status, 1, "a refused line makes exit 1; stderr: %s", r.err);
	cr_assert(strstr(r.out, "Seed: "), "%s", r.out);
	cr_assert_eq(cli_count(r.err, "refused"), 1, "%s", r.err);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "list\nseed\n", "each sent once, the long line never");
	free(log);
	cli_result_free(&r);
	free(longline);
}

Test(stdin, comments_blank_lines_and_whitespace_are_not_sent)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL },
	    "# a comment\n\n   \n  sim echo one  \n\t# indented comment\r\n\tsim echo two\t\r\n"
	    "sim echo # not a comment\n\n");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "one\ntwo\n# not a comment\n");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo one\nsim echo two\nsim echo # not a comment\n");
	free(log);
	cli_result_free(&r);
}

Test(stdin, raw_input_keeps_lines_as_they_are)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw-input", "-c", "-", NULL },
	    "sim echo  two  spaces  \r\n#sharp\n\nsim echo x");
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo  two  spaces  \n#sharp\nsim echo x\n",
	    "only the line ending is taken off, empty lines skipped");
	free(log);
	cr_assert(strstr(r.out, " two  spaces  \n"), "%s", r.out);
	cli_result_free(&r);
}

Test(stdin, overlong_lines_refused_with_their_numbers_the_rest_sent)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	size_t big = 200000;
	char *in = malloc(big + 2000);
	size_t n = (size_t)sprintf(in, "sim echo a\n");
	memset(in + n, 'y', 1447);            /* one byte over the vanilla limit */
	n += 1447;
	n += (size_t)sprintf(in + n, "\nsim echo b\n");
	memset(in + n, 'z', big);             /* far over, never stored */
	n += big;
	n += (size_t)sprintf(in + n, "\nsim echo c\n");
	in[n] = '\0';
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL }, in);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "a\nb\nc\n");
	cr_assert(strstr(r.err, "rconsole: stdin line 2: refused: longer than the 1446 bytes"), "%s",
	    r.err);
	cr_assert(strstr(r.err, "rconsole: stdin line 4: refused: longer than the 1446 bytes"), "%s",
	    r.err);
	cr_assert_eq(cli_count(r.err, "refused"), 2, "%s", r.err);
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "sim echo a\nsim echo b\nsim echo c\n");
	free(log);
	/* Exactly 1446 bytes, surrounded by blanks that are trimmed: accepted. */
	cli_result_free(&r);
	char *ok = malloc(1446 + 16);
	strcpy(ok, "  sim echo ");
	memset(ok + 11, 'k', 1446 - 9);
	strcpy(ok + 11 + 1446 - 9, "   \n");
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c", "-", NULL }, ok);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(r.out_len, 1446 - 9 + 1);
	cli_result_free(&r);
	free(ok);
	free(in);
}

Test(stdin, two_profiles_each_get_every_line_in_order)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	cr_assert_eq(mcsim_start(&sim2, (const char *const[]){ "--delay", "2", NULL }), 0);
	char text[1024];
	snprintf(text, sizeof text,
	    "servers = ( { name = \"alpha\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; },\n"
	    "            { name = \"beta\"; host = \"127.0.0.1\"; port = %d; password = \"secret\"; } );\n",
	    sim.ports[0], sim2.ports[0]);
	char *cfg = cli_write_file(sim.dir, "rconsole.conf", text, 0600);
	/* More lines than the reader's window, one server slower than the other. */
	enum { N = 300 };
	char *in = malloc(N * 24), *want = malloc(N * 24);
	size_t a = 0, b = 0;
	for (int i = 0; i < N; i++) {
		a += (size_t)sprintf(in + a, "sim echo %d\n", i);
		b += (size_t)sprintf(want + b, "sim echo %d\n", i);
	}
	cli_result r;
	cli_run(&r, (const char *const[]){ "--config", cfg, "alpha", "beta", "-c", "-", NULL }, NULL,
	    in);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	char *l1 = mcsim_log(&sim), *l2 = mcsim_log(&sim2);
	cr_assert_str_eq(l1, want, "alpha got every line once, in order");
	cr_assert_str_eq(l2, want, "beta got every line once, in order");
	cr_assert_eq(cli_count(r.out, "[alpha] "), N);
	cr_assert_eq(cli_count(r.out, "[beta] "), N);
	cr_assert(strstr(r.out, "[beta] 299\n"), "%s", r.out);
	free(l1);
	free(l2);
	free(in);
	free(want);
	free(cfg);
	cli_result_free(&r);
}

#define FFFD "\xef\xbf\xbd"

Test(stdin, bidi_and_zero_width_in_replies_are_defused)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	/* A, RLO, B, PDF, C, LRI, D, PDI, E, ZWSP, F, BOM, G, man ZWJ woman, ESC. */
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "-c",
	    "sim bytes 41e280ae42e280ac43e281a644e281a945e2808b46efbbbf47f09f91a8e2808df09f91a91b",
	    NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	static const char want[] = "A" FFFD "B" FFFD "C" FFFD "D" FFFD "E" FFFD "F" FFFD "G"
	    "\xf0\x9f\x91\xa8\xf0\x9f\x91\xa9\xe2\x90\x9b\n";
	cr_assert_eq(r.out_len, sizeof want - 1, "%zu bytes", r.out_len);
	cr_assert(memcmp(r.out, want, sizeof want - 1) == 0, "%s", r.out);
	cli_result_free(&r);
	/* --color keeps the same rules. */
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--color=always", "-c",
	    "sim bytes c2a76341e280ae42e2808b43", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "A" FFFD "B" FFFD "C"), "%s", r.out);
	cr_assert_null(strstr(r.out, "\xe2\x80\xae"));
	cli_result_free(&r);
}

Test(stdin, bidi_and_zero_width_in_player_names_are_defused)
{
	char dir[] = "/tmp/rconsole-names.XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char *names = cli_write_file(dir, "names", "Al\xe2\x80\x8bice\nevil\xe2\x80\xae" "txt.exe\nBob\n",
	    0600);
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--players", names, NULL }), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--players", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "Al" FFFD "ice\n"), "zero width space shown: %s", r.out);
	cr_assert(strstr(r.out, "evil" FFFD "txt.exe\n"), "override shown: %s", r.out);
	cr_assert(strstr(r.out, "Bob\n"), "%s", r.out);
	cr_assert_null(strstr(r.out, "\xe2\x80"), "no raw bidi or zero-width: %s", r.out);
	cli_result_free(&r);
	unlink(names);
	rmdir(dir);
	free(names);
}

Test(stdin, raw_into_a_pipe_is_byte_exact)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	cli_result r;
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw", "-c",
	    "sim bytes 1b5d303b70776e65640741c29be280ae1bff", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	static const char want[] = "\x1b]0;pwned\x07" "A\xc2\x9b\xe2\x80\xae\x1b\xff\n";
	cr_assert_eq(r.out_len, sizeof want - 1, "%zu bytes: %s", r.out_len, r.out);
	cr_assert(memcmp(r.out, want, sizeof want - 1) == 0);
	cli_result_free(&r);
	/* --raw=force is accepted; any other value is a usage error. */
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw=force", "-c", "sim echo f", NULL }, NULL);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "f\n");
	cli_result_free(&r);
	cli_run_on(&r, &sim, 0, (const char *const[]){ "--raw=yes", "-c", "sim echo f", NULL }, NULL);
	cr_assert_eq(r.status, 2, "stderr: %s", r.err);
	cli_result_free(&r);
}

Test(stdin, closed_stdin_is_an_error_not_a_hang)
{
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char port[16];
	snprintf(port, sizeof port, "%d", sim.ports[0]);
	cli_result r;
	/* fd 0 closed: it must not be taken for whatever the program opens next. */
	cli_run_argv(&r, (const char *const[]){ "/bin/sh", "-c", "exec \"$0\" \"$@\" <&-", cli_prog(),
	    "-H", "127.0.0.1", "-P", port, "--password-file", pw, "-c", "-", NULL }, NULL, NULL);
	cr_assert_eq(r.status, 2, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "cannot read commands from stdin"), "%s", r.err);
	cr_assert_eq(cli_log_lines(&sim), 0);
	cli_result_free(&r);
	free(pw);
}
