/* test-profile-save.c: saving — round trip of every key, mode 0600, the
 * directory created, symlinks kept, secrets from elsewhere never written, and
 * failures (which work for root too) that leave the old file byte-identical
 * and no temporary file behind. */
#include <criterion/criterion.h>
#include <signal.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "test-profile-util.h"

TestSuite(save, .init = fx_setup, .fini = fx_teardown);

static char *allow_list[] = { "list", "time query *", "say \"quoted\" \\back", NULL };
static char *tag_list[] = { "prod", "eu-west", "a.b+c@d", NULL };
static char *empty_list[] = { NULL };

/* Fills cfg with profiles that use every key, tricky strings included. */
static void fill(rc_config *cfg)
{
	cfg->refresh = 0;
	cfg->scrollback = 100;
	rc_profile p;
	rc_profile_init(&p);
	p.name = "survival";
	p.host = "mc.example.net";
	p.port = 1;
	p.password = "p\"w\\d\ttab\nnl\x01\x7f \xc3\xa4\xe2\x82\xac end";
	p.password_file = "~/.config/rconsole/survival pass";
	p.password_env = "SURVIVAL_RCON";
	p.read_only = true;
	p.readonly_allow = allow_list;
	p.n_allow = 3;
	p.refresh = 86400;
	p.tags = tag_list;
	p.n_tags = 3;
	p.dialect = RC_DIALECT_SOURCE;
	p.fragments = RC_FRAG_SENTINEL;
	p.timeout = 3600;
	p.list_command = "list uuids";
	p.log_file = "/srv/mc/logs/latest.log";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);

	rc_profile_init(&p);
	p.name = "lobby";
	p.host = "::1";
	p.port = 65535;
	p.readonly_allow = empty_list;
	p.tags = empty_list;
	p.refresh = 0;
	p.timeout = 1;
	p.fragments = RC_FRAG_NONE;
	p.password = "";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);

	rc_profile_init(&p);
	p.name = "defaults";
	p.host = "10.0.0.5";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
}

/* Asserts that a and b hold the same globals and profiles. */
static void assert_same(const rc_config *a, const rc_config *b)
{
	cr_assert_eq(a->refresh, b->refresh);
	cr_assert_eq(a->scrollback, b->scrollback);
	cr_assert_eq(a->n_servers, b->n_servers);
	for (size_t i = 0; i < a->n_servers; i++)
		cr_assert(rc_profile_equal(&a->servers[i], &b->servers[i]), "profile %zu (%s) differs",
			  i, a->servers[i].name);
}

/* Saves cfg, asserting success. */
static void save_ok(const rc_config *cfg)
{
	fx_err[0] = '\0';
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
}

Test(save, round_trip_of_every_key)
{
	rc_config *cfg = rc_config_new(fx_conf);
	fill(cfg);
	save_ok(cfg);
	rc_config *back;
	cr_assert_eq(rc_config_load(fx_conf, &back, fx_err, sizeof fx_err), 0, "%s\n%s", fx_err,
		     files_read(fx_conf, NULL));
	cr_assert(back->exists);
	cr_assert_eq(back->n_warnings, 1, "only the ignored-sources warning expected");
	cr_assert(strstr(back->warnings[0], "(survival): password_file is used; password_env is "
			 "ignored"), "%s", back->warnings[0]);
	assert_same(cfg, back);
	cr_assert_not_null(back->servers[1].readonly_allow, "an empty allowlist stays empty");
	cr_assert_null(back->servers[2].readonly_allow);

	/* Saving what was loaded writes the same bytes. */
	size_t n1, n2;
	char *first = files_read(fx_conf, &n1);
	save_ok(back);
	char *second = files_read(fx_conf, &n2);
	cr_assert_eq(n1, n2);
	cr_assert(memcmp(first, second, n1) == 0, "saving is not stable:\n%s\n---\n%s", first, second);
	free(first);
	free(second);
	rc_config_free(back);
	rc_config_free(cfg);
}

Test(save, confirm_and_mouse_round_trip)
{
	rc_config *cfg = rc_config_new(fx_conf);
	cfg->mouse = false;
	cfg->confirm = calloc(3, sizeof *cfg->confirm);
	cfg->confirm[0] = strdup("stop");
	cfg->confirm[1] = strdup("whitelist off");
	cfg->n_confirm = 2;
	static char *confirm_list[] = { "kick *", NULL };
	rc_profile p;
	rc_profile_init(&p);
	p.name = "a";
	p.host = "h";
	p.confirm = confirm_list;
	p.n_confirm = 1;
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
	save_ok(cfg);
	rc_config *back;
	cr_assert_eq(rc_config_load(fx_conf, &back, fx_err, sizeof fx_err), 0, "%s\n%s", fx_err,
		     files_read(fx_conf, NULL));
	cr_assert_not(back->mouse);
	cr_assert_eq(back->n_confirm, 2);
	cr_assert_str_eq(back->confirm[1], "whitelist off");
	assert_same(cfg, back);
	cr_assert_str_eq(back->servers[0].confirm[0], "kick *");
	/* The defaults are not written. */
	back->mouse = true;
	for (size_t i = 0; i < back->n_confirm; i++)
		free(back->confirm[i]);
	free(back->confirm);
	back->confirm = NULL;
	back->n_confirm = 0;
	save_ok(back);
	char *text = files_read(fx_conf, NULL);
	cr_assert_null(strstr(text, "mouse"), "%s", text);
	cr_assert_null(strstr(text, "whitelist off"), "%s", text);
	free(text);
	/* An invalid global list item writes nothing. */
	cfg->confirm[0][0] = '\0';
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "confirm[0]"), "%s", fx_err);
	rc_config_free(back);
	rc_config_free(cfg);
}

Test(save, empty_configuration_round_trips)
{
	rc_config *cfg = rc_config_new(fx_conf);
	save_ok(cfg);
	rc_config *back;
	cr_assert_eq(rc_config_load(fx_conf, &back, fx_err, sizeof fx_err), 0, "%s", fx_err);
	assert_same(cfg, back);
	rc_config_free(back);
	rc_config_free(cfg);
}

Test(save, file_mode_is_0600_even_when_it_was_0644)
{
	fx_write(fx_conf, "refresh = 5;\n", 0644);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	save_ok(cfg);
	struct stat st;
	cr_assert_eq(stat(fx_conf, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "mode %o", (unsigned)(st.st_mode & 07777));
	rc_config_free(cfg);
}

Test(save, creates_missing_directories_0700)
{
	char path[700], dir[600];
	snprintf(dir, sizeof dir, "%s/a/b", fx_dir);
	snprintf(path, sizeof path, "%s/rconsole.conf", dir);
	rc_config *cfg = rc_config_new(path);
	fill(cfg);
	save_ok(cfg);
	struct stat st;
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0700);
	snprintf(dir, sizeof dir, "%s/a", fx_dir);
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	cr_assert_eq(stat(path, &st), 0);
	rc_config_free(cfg);
}

/* A directory someone else may write is refused at load (test-profile), so
 * a save into one is refused too: nothing written there, no temporary file
 * left, the chmod to run named; the sticky bit makes it safe, as at load.
 * Before, the first :add into such a directory saved a file that the next
 * start then refused. */
Test(save, into_a_directory_others_can_write_is_refused)
{
	char dir[600], path[700];
	snprintf(dir, sizeof dir, "%s/shared", fx_dir);
	snprintf(path, sizeof path, "%s/rconsole.conf", dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	cr_assert_eq(chmod(dir, 0777), 0);
	rc_config *cfg = rc_config_new(path);
	fill(cfg);
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EIO);
	cr_assert(strstr(fx_err, "is writable by everyone (mode 0777): refused"), "%s", fx_err);
	cr_assert(strstr(fx_err, "chmod go-w"), "%s", fx_err);
	cr_assert(strstr(fx_err, "nothing was saved"), "%s", fx_err);
	cr_assert_eq(fx_count_entries(dir), 0, "a file was left in %s", dir);
	cr_assert_eq(chmod(dir, 01777), 0);
	save_ok(cfg);
	rc_config *back;
	cr_assert_eq(rc_config_load(path, &back, fx_err, sizeof fx_err), 0, "%s", fx_err);
	rc_config_free(back);
	rc_config_free(cfg);
}

Test(save, symlink_is_kept_and_its_target_replaced)
{
	char real_dir[600], real[700], link[600];
	snprintf(real_dir, sizeof real_dir, "%s/dotfiles", fx_dir);
	snprintf(real, sizeof real, "%s/rconsole.conf", real_dir);
	snprintf(link, sizeof link, "%s/link.conf", fx_dir);
	cr_assert_eq(mkdir(real_dir, 0700), 0);
	fx_write(real, "refresh = 5;\n", 0600);
	cr_assert_eq(symlink(real, link), 0);
	rc_config *cfg = rc_config_new(link);
	fill(cfg);
	save_ok(cfg);
	struct stat st;
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link was replaced by a file");
	char *text = files_read(real, NULL);
	cr_assert(strstr(text, "\"survival\""), "%s", text);
	free(text);
	/* The hand-written target was kept beside it, not beside the link. */
	char bak[720];
	snprintf(bak, sizeof bak, "%s.bak", real);
	text = files_read(bak, NULL);
	cr_assert_not_null(text, "no %s", bak);
	cr_assert_str_eq(text, "refresh = 5;\n");
	free(text);
	cr_assert_eq(fx_count_entries(real_dir), 2, "a temporary file was left behind");
	rc_config_free(cfg);
}

/* The backup is the whole old file, also when it is larger than a read. */
Test(save, large_hand_written_file_is_kept_whole)
{
	size_t n = 200000;
	char *hand = malloc(n + 200);
	strcpy(hand, "servers = ( { name = \"old\"; host = \"h\"; password = \"x\"; } );\n// ");
	size_t off = strlen(hand);
	for (size_t i = off; i < n; i++)
		hand[i] = (char)('a' + i % 26);
	strcpy(hand + n, "\n");
	fx_write(fx_conf, hand, 0600);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	char bak[800], want[800];
	snprintf(want, sizeof want, "%s.bak", fx_conf);
	cr_assert_eq(rc_config_save_backup(cfg, bak, sizeof bak, fx_err, sizeof fx_err), 0, "%s",
	    fx_err);
	cr_assert_str_eq(bak, want);
	size_t len;
	char *text = files_read(want, &len);
	cr_assert_eq(len, strlen(hand));
	cr_assert_str_eq(text, hand);
	free(text);
	free(hand);
	rc_config_free(cfg);
}

/* A file written by hand is copied to .bak (byte for byte, mode 0600)
 * before its first rewrite, and the caller is told where. */
Test(save, hand_written_file_is_kept_as_bak_once)
{
	const char *hand = "// my servers\nrefresh = 5;  # five\nservers = ( { name = \"old\"; "
	    "host = \"h\"; password = \"x\"; } );\n";
	fx_write(fx_conf, hand, 0600);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	char bak[800], want[800];
	snprintf(want, sizeof want, "%s.bak", fx_conf);
	cr_assert_eq(rc_config_save_backup(cfg, bak, sizeof bak, fx_err, sizeof fx_err), 0, "%s",
	    fx_err);
	cr_assert_str_eq(bak, want);
	char *text = files_read(want, NULL);
	cr_assert_str_eq(text, hand);
	free(text);
	struct stat st;
	cr_assert_eq(stat(want, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	/* rconsole's own file is rewritten without a new backup. */
	fx_write(want, "older", 0600);
	cr_assert_eq(rc_config_save_backup(cfg, bak, sizeof bak, fx_err, sizeof fx_err), 0, "%s",
	    fx_err);
	cr_assert_str_eq(bak, "");
	text = files_read(want, NULL);
	cr_assert_str_eq(text, "older", "the backup was replaced");
	free(text);
	/* A comment added by hand to rconsole's file is worth keeping again.
	 * The configuration read before the edit may not save over it (that
	 * would undo the edit); one read after it, as a console started
	 * since, keeps the edited file as .bak. */
	size_t len;
	char *mine = files_read(fx_conf, &len);
	char edited[8192];
	snprintf(edited, sizeof edited, "%s// note to self\n", mine);
	free(mine);
	fx_write(fx_conf, edited, 0600);
	cr_assert_eq(rc_config_save_backup(cfg, bak, sizeof bak, fx_err, sizeof fx_err),
	    RC_ECONFIG, "a stale configuration saved over an edit");
	cr_assert(strstr(fx_err, "has changed since rconsole read it"), "%s", fx_err);
	rc_config_free(cfg);
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(rc_config_save_backup(cfg, bak, sizeof bak, fx_err, sizeof fx_err), 0, "%s",
	    fx_err);
	cr_assert_str_eq(bak, want);
	text = files_read(want, NULL);
	cr_assert_str_eq(text, edited);
	free(text);
	cr_assert_eq(fx_count_entries(fx_dir), 2, "a temporary file was left behind");
	rc_config_free(cfg);
}

Test(save, passwords_from_elsewhere_are_never_written)
{
	char pwfile[600];
	snprintf(pwfile, sizeof pwfile, "%s/pw", fx_dir);
	fx_write(pwfile, "file-secret-1\n", 0600);
	setenv("RC_TEST_PW", "env-secret-2", 1);
	rc_config *cfg = rc_config_new(fx_conf);
	rc_profile p;
	rc_profile_init(&p);
	p.name = "a";
	p.host = "h";
	p.password_env = "RC_TEST_PW";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0);
	p.name = "b";
	p.password_env = NULL;
	p.password_file = pwfile;
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0);
	for (size_t i = 0; i < cfg->n_servers; i++) {
		char *pw = NULL;
		cr_assert_eq(rc_profile_password(&cfg->servers[i], &pw, fx_err, sizeof fx_err), 0);
		free(pw);
	}
	save_ok(cfg);
	char *text = files_read(fx_conf, NULL);
	cr_assert_null(strstr(text, "secret"), "%s", text);
	cr_assert_null(strstr(text, "password ="), "%s", text);
	cr_assert(strstr(text, "password_env = \"RC_TEST_PW\";"), "%s", text);
	free(text);
	rc_config_free(cfg);
}

/* Writes the old file, returns its bytes (malloc'd) and size. */
static char *old_file(size_t *len)
{
	fx_write(fx_conf, "// the old file\nrefresh = 5;\nservers = ( { name = \"old\"; host = \"h\"; } );\n",
		 0600);
	return files_read(fx_conf, len);
}

/* Asserts fx_conf still holds old[len] and fx_dir holds nothing else. */
static void assert_untouched(const char *old, size_t len)
{
	size_t n;
	char *now = files_read(fx_conf, &n);
	cr_assert_not_null(now);
	cr_assert_eq(n, len);
	cr_assert(memcmp(now, old, len) == 0, "the old file changed");
	cr_assert_eq(fx_count_entries(fx_dir), 1, "a temporary file was left behind");
	free(now);
}

/* The write fails: RLIMIT_FSIZE stops root too (SIGXFSZ ignored, so write()
 * returns EFBIG).  The test runs in its own process. */
Test(save, write_failure_leaves_old_file_byte_identical)
{
	size_t len;
	char *old = old_file(&len);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit lim;
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &lim), 0);
	struct rlimit small = { 64, lim.rlim_max };
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	int rc = rc_config_save(cfg, fx_err, sizeof fx_err);
	setrlimit(RLIMIT_FSIZE, &lim);
	cr_assert_eq(rc, RC_EIO);
	cr_assert(strstr(fx_err, "write: File too large; the old file is unchanged"), "%s", fx_err);
	assert_untouched(old, len);
	free(old);
	rc_config_free(cfg);
}

/* Saves cfg under a file size limit of limit bytes (RLIMIT_FSIZE stops root
 * too; SIGXFSZ ignored, so write() returns EFBIG); returns its result. */
static int save_limited(const rc_config *cfg, rlim_t limit)
{
	signal(SIGXFSZ, SIG_IGN);
	struct rlimit lim;
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &lim), 0);
	struct rlimit small = { limit, lim.rlim_max };
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	char bak[800] = "unset";
	int rc = rc_config_save_backup(cfg, bak, sizeof bak, fx_err, sizeof fx_err);
	setrlimit(RLIMIT_FSIZE, &lim);
	cr_assert_str_eq(bak, "", "a failed save named a backup: %s", bak);
	return rc;
}

/* The .bak copy of a small hand-written file fits under the limit, the new
 * (longer) file does not: a save that did not happen leaves no .bak. */
Test(save, failed_save_after_the_backup_leaves_no_bak)
{
	size_t len;
	char *old = old_file(&len);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	cr_assert_eq(save_limited(cfg, len), RC_EIO);
	cr_assert(strstr(fx_err, "write: File too large; the old file is unchanged"), "%s", fx_err);
	assert_untouched(old, len);   /* one entry: no .bak, no temporary file */
	free(old);
	rc_config_free(cfg);
}

/* An earlier .bak survives a save that failed, byte for byte. */
Test(save, failed_save_keeps_the_earlier_bak)
{
	size_t len;
	char *old = old_file(&len);
	char bak[700];
	snprintf(bak, sizeof bak, "%s.bak", fx_conf);
	fx_write(bak, "// the earlier backup\n", 0600);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	cr_assert_eq(save_limited(cfg, len), RC_EIO);
	char *text = files_read(bak, NULL);
	cr_assert_str_eq(text, "// the earlier backup\n");
	free(text);
	text = files_read(fx_conf, NULL);
	cr_assert(memcmp(text, old, len) == 0, "the old file changed");
	free(text);
	cr_assert_eq(fx_count_entries(fx_dir), 2, "a temporary file was left behind");
	free(old);
	rc_config_free(cfg);
}

/* Sets or clears path's immutable flag; false when the file system or the
 * process's capabilities do not allow it. */
static bool set_immutable(const char *path, bool on)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	int flags = 0;
	bool ok = ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
	flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
	ok = ok && ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
	close(fd);
	return ok;
}

/* The last step fails: the hand-written file is immutable, so renaming over
 * it is refused (root included) after the .bak is in place.  The .bak is
 * taken back (an earlier one, when earlier, is put back). */
static void rename_fails_after_the_backup(bool earlier)
{
	size_t len;
	char *old = old_file(&len);
	char bak[700];
	snprintf(bak, sizeof bak, "%s.bak", fx_conf);
	if (earlier)
		fx_write(bak, "// the earlier backup\n", 0600);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	fill(cfg);
	if (!set_immutable(fx_conf, true)) {
		free(old);
		rc_config_free(cfg);
		cr_skip_test("cannot make %s immutable here", fx_conf);
	}
	char got[800] = "unset";
	int rc = rc_config_save_backup(cfg, got, sizeof got, fx_err, sizeof fx_err);
	set_immutable(fx_conf, false);   /* before any assert: the scratch directory must go */
	cr_assert_eq(rc, RC_EIO);
	cr_assert(strstr(fx_err, "rename: Operation not permitted; the old file is unchanged"), "%s",
	    fx_err);
	cr_assert_str_eq(got, "");
	char *text = files_read(fx_conf, NULL);
	cr_assert(memcmp(text, old, len) == 0, "the old file changed");
	free(text);
	if (earlier) {
		text = files_read(bak, NULL);
		cr_assert_str_eq(text, "// the earlier backup\n");
		free(text);
	} else {
		cr_assert(access(bak, F_OK) < 0, "a .bak left by a save that did not happen");
	}
	cr_assert_eq(fx_count_entries(fx_dir), earlier ? 2 : 1, "a temporary file was left behind");
	free(old);
	rc_config_free(cfg);
}

Test(save, rename_failure_after_the_backup_takes_it_back)
{
	rename_fails_after_the_backup(false);
}

Test(save, rename_failure_after_the_backup_puts_the_earlier_one_back)
{
	rename_fails_after_the_backup(true);
}

/* The rename fails: the target is a non-empty directory (fails for root). */
Test(save, rename_failure_removes_the_temporary_file)
{
	cr_assert_eq(mkdir(fx_conf, 0700), 0);
	char keep[700];
	snprintf(keep, sizeof keep, "%s/keep", fx_conf);
	fx_write(keep, "precious", 0600);
	rc_config *cfg = rc_config_new(fx_conf);
	fill(cfg);
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EIO);
	cr_assert(strstr(fx_err, "rename: "), "%s", fx_err);
	cr_assert_eq(fx_count_entries(fx_dir), 1, "a temporary file was left behind");
	char *text = files_read(keep, NULL);
	cr_assert_str_eq(text, "precious");
	free(text);
	rc_config_free(cfg);
}

/* The directory cannot exist: a path component is a regular file. */
Test(save, unusable_directory_is_an_error)
{
	char blocker[600], path[700];
	snprintf(blocker, sizeof blocker, "%s/file", fx_dir);
	snprintf(path, sizeof path, "%s/sub/rconsole.conf", blocker);
	fx_write(blocker, "data", 0600);
	rc_config *cfg = rc_config_new(path);
	fill(cfg);
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EIO);
	cr_assert(strstr(fx_err, "Not a directory"), "%s", fx_err);
	char *text = files_read(blocker, NULL);
	cr_assert_str_eq(text, "data");
	free(text);
	rc_config_free(cfg);
}

Test(save, invalid_configuration_writes_nothing)
{
	size_t len;
	char *old = old_file(&len);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cfg->servers[0].port = 0;
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "servers[0]: port: expected an integer 1-65535"), "%s", fx_err);
	cfg->servers[0].port = 25575;
	cfg->scrollback = 1;
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), RC_EINVAL);
	cr_assert(strstr(fx_err, "scrollback"), "%s", fx_err);
	assert_untouched(old, len);
	free(old);
	rc_config_free(cfg);

	rc_config *none = rc_config_new(NULL);
	cr_assert_eq(rc_config_save(none, fx_err, sizeof fx_err), RC_EINVAL);
	rc_config_free(none);
}

Test(save, edit_remove_and_save_again)
{
	rc_config *cfg = rc_config_new(fx_conf);
	fill(cfg);
	save_ok(cfg);
	cr_assert_eq(rc_config_remove(cfg, "lobby"), 0);
	save_ok(cfg);
	rc_config *back;
	cr_assert_eq(rc_config_load(fx_conf, &back, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(back->n_servers, 2);
	cr_assert_null(rc_config_find(back, "lobby"));
	assert_same(cfg, back);
	cr_assert_eq(fx_count_entries(fx_dir), 1);
	rc_config_free(back);
	rc_config_free(cfg);
}

/* Issue 14's keys survive a save: set ones are written, unset ones are not. */
Test(save, audit_keys_round_trip)
{
	rc_config *cfg;
	cr_assert_eq(fx_load("audit = false; audit_max_kb = 64;\nservers = (\n"
			     "  { name = \"a\"; host = \"10.0.0.5\"; insecure_ok = true; audit = true;"
			     " audit_max_kb = 2; },\n"
			     "  { name = \"b\"; host = \"h\"; audit = false; },\n"
			     "  { name = \"c\"; host = \"h\"; }\n);\n", 0600, &cfg), 0, "%s", fx_err);
	cr_assert_eq(rc_config_save(cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	char *text = files_read(cfg->path, NULL);
	cr_assert(strstr(text, "audit = false;\naudit_max_kb = 64;\n"), "%s", text);
	rc_config *again;
	cr_assert_eq(rc_config_load(cfg->path, &again, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_not(again->audit);
	cr_assert_eq(again->audit_max_kb, 64);
	for (size_t i = 0; i < 3; i++)
		cr_assert(rc_profile_equal(&cfg->servers[i], &again->servers[i]), "server %zu", i);
	cr_assert_eq(again->servers[2].audit, RC_PROFILE_UNSET);
	free(text);
	rc_config_free(again);
	rc_config_free(cfg);
}

Test(save, metrics_listen_round_trips)
{
	rc_config *cfg = rc_config_new(fx_conf), *back;

	cfg->metrics_listen = strdup("127.0.0.1:9225");
	save_ok(cfg);
	cr_assert_eq(rc_config_load(fx_conf, &back, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_str_eq(back->metrics_listen, "127.0.0.1:9225");
	rc_config_free(back);
	free(cfg->metrics_listen);
	cfg->metrics_listen = strdup("not a port");
	char err[256];
	cr_assert_eq(rc_config_save(cfg, err, sizeof err), RC_EINVAL, "a bad value is not saved");
	cr_assert(strstr(err, "metrics_listen"), "%s", err);
	rc_config_free(cfg);
}

/* Adds a profile called name (host h) to cfg. */
static void add_named(rc_config *cfg, const char *name)
{
	rc_profile p;
	rc_profile_init(&p);
	p.name = (char *)name;
	p.host = "h";
	cr_assert_eq(rc_config_add(cfg, &p, fx_err, sizeof fx_err), 0, "%s", fx_err);
}

/* Two consoles loaded the same file and each :adds a profile: the second
 * save would silently drop the first one's profile, so it is refused and
 * the file keeps the first one's; the first console saves again freely. */
Test(save, second_of_two_consoles_does_not_undo_the_first)
{
	fx_write(fx_conf, "servers = ( { name = \"base\"; host = \"h\"; } );\n", 0600);
	rc_config *a, *b, *c;
	cr_assert_eq(rc_config_load(fx_conf, &a, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(rc_config_load(fx_conf, &b, fx_err, sizeof fx_err), 0, "%s", fx_err);
	add_named(a, "from-a");
	cr_assert_eq(rc_config_save(a, fx_err, sizeof fx_err), 0, "%s", fx_err);
	add_named(b, "from-b");
	cr_assert_eq(rc_config_save(b, fx_err, sizeof fx_err), RC_ECONFIG, "the save undid a's");
	char want[700];
	snprintf(want, sizeof want, "cannot save %s: it has changed since rconsole read it", fx_conf);
	cr_assert(strstr(fx_err, want), "%s", fx_err);
	cr_assert_eq(rc_config_load(fx_conf, &c, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_not_null(rc_config_find(c, "from-a"));
	cr_assert_null(rc_config_find(c, "from-b"));
	rc_config_free(c);
	/* a's own save is its new reference: saving again is fine. */
	add_named(a, "again");
	cr_assert_eq(rc_config_save(a, fx_err, sizeof fx_err), 0, "%s", fx_err);
	/* An edit by hand (in place, or an editor's rename) counts too. */
	fx_write(fx_conf, "servers = ( { name = \"edited\"; host = \"h\"; } );\n", 0600);
	cr_assert_eq(rc_config_save(a, fx_err, sizeof fx_err), RC_ECONFIG);
	rc_config_free(a);
	rc_config_free(b);
}

/* First run in two consoles: no file when both started; the first :add
 * creates it, the second must not replace it. */
Test(save, file_created_by_another_console_is_not_replaced)
{
	rc_config *a, *b;
	cr_assert_eq(rc_config_load(fx_conf, &a, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(rc_config_load(fx_conf, &b, fx_err, sizeof fx_err), 0, "%s", fx_err);
	add_named(a, "one");
	add_named(b, "two");
	cr_assert_eq(rc_config_save(a, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(rc_config_save(b, fx_err, sizeof fx_err), RC_ECONFIG);
	cr_assert(strstr(fx_err, "was created since rconsole read it"), "%s", fx_err);
	rc_config_free(a);
	rc_config_free(b);
}

/* A child of concurrent_saves_take_turns: a plain save. */
static int race_plain_save(rc_config *cfg, const char *name)
{
	char err[1024];
	(void)name;
	int rc = rc_config_save(cfg, err, sizeof err);
	return rc == 0 ? 0 : rc == RC_ECONFIG && strstr(err, "has changed") ? 1 : 2;
}

/* Eight processes that loaded the same file save at the same moment:
 * exactly one wins (the directory lock makes check and rename one step),
 * the others are refused, the file parses with the winner's profile, and
 * no temporary file is left. */
Test(save, concurrent_saves_take_turns)
{
	enum { N = 8 };
	fx_write(fx_conf, "servers = ( { name = \"base\"; host = \"h\"; } );\n", 0600);
	int status[N];
	fx_race(N, race_plain_save, status);
	int won = 0, refused = 0;
	for (int i = 0; i < N; i++) {
		cr_assert_neq(status[i], 2, "child %d failed otherwise", i);
		won += status[i] == 0;
		refused += status[i] == 1;
	}
	cr_assert_eq(won, 1, "%d saves won", won);
	cr_assert_eq(refused, N - 1);
	rc_config *cfg;
	cr_assert_eq(rc_config_load(fx_conf, &cfg, fx_err, sizeof fx_err), 0, "%s", fx_err);
	cr_assert_eq(cfg->n_servers, 2);
	cr_assert_not_null(rc_config_find(cfg, "base"));
	rc_config_free(cfg);
	/* rconsole.conf and the .bak of the hand-written file, nothing else. */
	cr_assert_eq(fx_count_entries(fx_dir), 2);
}
