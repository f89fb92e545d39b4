/* test-cli-tty.c: the one-shot command line on a real terminal (a private
 * tmux server): the password prompt never shows what is typed, Ctrl-C at the
 * prompt exits 130 with the terminal's echo restored, and --color=auto
 * colours replies on a terminal unless NO_COLOR is set.  Skipped without
 * tmux.  Every wait polls the screen or a file with a deadline. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli-util.h"

static mcsim sim;
static char sock[320];

/* Kills the private tmux server, then mcsim. */
static void stop(void)
{
	if (sock[0]) {
		const char *argv[] = { "tmux", "-S", sock, "kill-server", NULL };
		int st;
		run_prog(argv, NULL, NULL, NULL, &st);
		sock[0] = '\0';
	}
	mcsim_stop(&sim);
}

TestSuite(tty, .fini = stop, .timeout = 120);

/* Returns true when tmux can be run here. */
static bool have_tmux(void)
{
	const char *argv[] = { "tmux", "-V", NULL };
	int st = -1;
	return run_prog(argv, NULL, NULL, NULL, &st) == 0 && st == 0;
}

/* Runs one tmux command on the private server; returns its stdout. */
static char *tmux(const char *const *args)
{
	const char *argv[16] = { "tmux", "-S", sock, "-f", "/dev/null" };
	size_t n = 5;
	for (size_t i = 0; args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char *out = NULL, *err = NULL;
	int st = -1;
	cr_assert_eq(run_prog(argv, NULL, &out, &err, &st), 0, "tmux %s did not finish", args[0]);
	cr_assert_eq(st, 0, "tmux %s: %s", args[0], err);
	free(err);
	return out;
}

/* Starts mcsim and a tmux session named name running `rconsole ARGS` in an
 * 100x20 pane; the pane's shell then writes rconsole's exit status to
 * dir/name.exit and `stty -a` to dir/name.stty, and keeps the pane open. */
static void start_in_tmux(const char *name, const char *env, const char *args)
{
	if (!sock[0])
		snprintf(sock, sizeof sock, "%s/tmux.sock", sim.dir);
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
	    "unset RCON_HOST RCON_PORT RCON_PASSWORD RCON_PASSWORD_FILE MCRCON_HOST MCRCON_PORT "
	    "MCRCON_PASS RCONSOLE_CONFIG NO_COLOR; export LANG=C.UTF-8 LC_ALL=C.UTF-8; %s "
	    "'%s' -H 127.0.0.1 -P %d %s; echo $? > '%s/%s.tmp'; stty -a > '%s/%s.stty' 2>&1; "
	    "mv '%s/%s.tmp' '%s/%s.exit'; exec sleep 300",
	    env, cli_prog(), sim.ports[0], args, sim.dir, name, sim.dir, name, sim.dir, name,
	    sim.dir, name);
	free(tmux((const char *const[]){ "new-session", "-d", "-s", name, "-x", "100", "-y", "20",
	    cmd, NULL }));
}

/* Returns what the pane of session name shows (with escapes when esc). */
static char *screen(const char *name, bool esc)
{
	return tmux((const char *const[]){ "capture-pane", "-p", "-t", name, esc ? "-e" : "-J",
	    NULL });
}

/* Waits until the pane shows text; returns the screen. */
static char *wait_screen(const char *name, const char *text)
{
	long long end = mcsim_now_ms() + 20000;
	for (;;) {
		char *s = screen(name, false);
		if (strstr(s, text))
			return s;
		if (mcsim_now_ms() > end)
			cr_assert_fail("the screen never showed \"%s\":\n%s", text, s);
		free(s);
		mcsim_sleep_ms(50);
	}
}

/* Waits for rconsole in session name to exit; returns its exit status. */
static int wait_exit(const char *name)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s.exit", sim.dir, name);
	long long end = mcsim_now_ms() + 20000;
	while (access(path, F_OK) != 0) {
		if (mcsim_now_ms() > end) {
			char *s = screen(name, false);
			cr_assert_fail("rconsole did not exit; screen:\n%s", s);
		}
		mcsim_sleep_ms(50);
	}
	char *text = files_read(path, NULL);
	int st = atoi(text);
	free(text);
	return st;
}

/* Asserts that the terminal of session name echoes again after rconsole. */
static void assert_echo_on(const char *name)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s.stty", sim.dir, name);
	char *stty = files_read(path, NULL);
	bool echo = false, noecho = false;
	for (char *tok = strtok(stty, " ;\n"); tok; tok = strtok(NULL, " ;\n")) {
		echo |= strcmp(tok, "echo") == 0;
		noecho |= strcmp(tok, "-echo") == 0;
	}
	cr_assert(echo && !noecho, "echo restored (stty -a: %s)", stty);
	free(stty);
}

Test(tty, password_prompt_never_shows_what_is_typed)
{
	if (!have_tmux())
		cr_skip_test("tmux is not installed");
	cr_assert_eq(mcsim_start(&sim, (const char *const[]){ "--password", "hunter2tty", NULL }), 0);
	start_in_tmux("pw", "", "-c 'sim echo ran-after-login'");
	free(wait_screen("pw", "RCON password for 127.0.0.1: "));
	free(tmux((const char *const[]){ "send-keys", "-t", "pw", "-l", "hunter2tty", NULL }));
	free(tmux((const char *const[]){ "send-keys", "-t", "pw", "Enter", NULL }));
	cr_assert_eq(wait_exit("pw"), 0);
	char *s = screen("pw", false);
	cr_assert(strstr(s, "ran-after-login"), "the command ran:\n%s", s);
	cr_assert_null(strstr(s, "hunter2"), "the password never appeared:\n%s", s);
	free(s);
	assert_echo_on("pw");
	cr_assert_eq(mcsim_log_count(&sim, "sim echo ran-after-login"), 1);
	cr_assert_eq(mcsim_log_count(&sim, "#auth-failed"), 0);
}

Test(tty, ctrl_c_at_the_prompt_exits_130_and_restores_echo)
{
	if (!have_tmux())
		cr_skip_test("tmux is not installed");
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	start_in_tmux("intr", "", "-c list");
	free(wait_screen("intr", "RCON password for 127.0.0.1: "));
	free(tmux((const char *const[]){ "send-keys", "-t", "intr", "-l", "half", NULL }));
	free(tmux((const char *const[]){ "send-keys", "-t", "intr", "C-c", NULL }));
	cr_assert_eq(wait_exit("intr"), 130);
	char *s = screen("intr", false);
	cr_assert(strstr(s, "rconsole: 127.0.0.1: interrupted"), "%s", s);
	cr_assert_null(strstr(s, "half"), "%s", s);
	free(s);
	assert_echo_on("intr");
	char *log = mcsim_log(&sim);
	cr_assert_str_eq(log, "", "no login was attempted");
	free(log);
}

Test(tty, color_auto_colours_a_terminal_unless_no_color)
{
	if (!have_tmux())
		cr_skip_test("tmux is not installed");
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char args[600];
	snprintf(args, sizeof args, "--password-file '%s' --color=auto -c 'sim echo §cred§r plain'", pw);
	start_in_tmux("col", "", args);
	cr_assert_eq(wait_exit("col"), 0);
	char *s = screen("col", true);
	char *red = strstr(s, "red");
	cr_assert_not_null(red, "%s", s);
	cr_assert(memchr(s, 0x1b, (size_t)(red - s)), "a colour escape before the text: %s", s);
	free(s);
	start_in_tmux("nocol", "NO_COLOR=1", args);
	cr_assert_eq(wait_exit("nocol"), 0);
	s = screen("nocol", true);
	cr_assert(strstr(s, "red plain"), "%s", s);
	cr_assert_null(strchr(s, 0x1b), "NO_COLOR: no escapes: %s", s);
	free(s);
	free(pw);
}

/* stdout on a terminal gets its buffer at the start (not probed by stdio)
 * and is still flushed as each reply ends: a reply of `-c -` shows while
 * stdin stays open, before the next command is even typed. */
Test(tty, replies_show_on_a_terminal_while_stdin_stays_open)
{
	if (!have_tmux())
		cr_skip_test("tmux is not installed");
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	char *pw = cli_write_file(sim.dir, "pw", MCSIM_PASSWORD "\n", 0600);
	char fifo[400], args[900];
	snprintf(fifo, sizeof fifo, "%s/cmds", sim.dir);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	snprintf(args, sizeof args, "--password-file '%s' -c - < '%s'", pw, fifo);
	start_in_tmux("lines", "", args);
	int w = open(fifo, O_WRONLY);
	cr_assert_geq(w, 0);
	cr_assert_eq(write(w, "list\n", 5), 5);
	free(wait_screen("lines", "players online"));
	cr_assert_eq(mcsim_log_count(&sim, "seed"), 0);
	cr_assert_eq(write(w, "seed\n", 5), 5);
	free(wait_screen("lines", "Seed: "));
	close(w);
	cr_assert_eq(wait_exit("lines"), 0);
	free(pw);
}

/* The password prompt names a -H server as every message does, with its
 * controls made visible: the name is the host as typed (here with DEL,
 * shown as U+2421).  Before, the prompt wrote it raw to the terminal. */
Test(tty, the_password_prompt_shows_the_name_safely)
{
	if (!have_tmux())
		cr_skip_test("tmux is not installed");
	cr_assert_eq(mcsim_start(&sim, NULL), 0);
	start_in_tmux("name", "", "-H 'odd\177name' -c list");
	free(wait_screen("name", "RCON password for odd\u2421name: "));
	free(tmux((const char *const[]){ "send-keys", "-t", "name", "C-c", NULL }));
	cr_assert_eq(wait_exit("name"), 130);
	assert_echo_on("name");
}
