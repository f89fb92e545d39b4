/* test-app-audit-oom.c: the audit writer when memory runs out.  A record is
 * formatted on the stack, so the common one is still written with no memory
 * to be had; one too long for that needs the heap and, refused it, fails
 * with its reason, and nothing half-formatted reaches the log.
 *
 * The failures are real allocation failures: this binary is linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc, so every call the
 * libraries (linked in statically) make goes through the wrappers of
 * tests/support/starve.c, which return NULL while `starve` is set. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../support/files.h"
#include "../support/starve.h"
#include "app/app-audit.h"

static char dir[64];

/* Makes a private state directory. */
static void setup_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/rconsole-audit-oom-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	chmod(dir, 0700);
}

/* Stops starving and removes the directory. */
static void teardown_dir(void)
{
	starve = false;
	cr_assert_eq(files_remove_tree(dir), 0, "%s", dir);
}

TestSuite(audit_oom, .init = setup_dir, .fini = teardown_dir);

/* Returns the writer for server "lobby" in dir/state, its log begun. */
static app_audit *writer(void)
{
	char why[700], state[128];
	snprintf(state, sizeof state, "%s/state", dir);
	app_audit *au = app_audit_new(state, "lobby", 0, why, sizeof why);
	cr_assert_not_null(au, "%s", why);
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_ONESHOT, "list", APP_AUDIT_ANSWERED, NULL,
	    "ok", 2), 0);
	return au;
}

Test(audit_oom, a_record_is_written_with_no_memory)
{
	app_audit *au = writer();
	starve = true;
	int rc = app_audit_write(au, 0, APP_AUDIT_ONESHOT, "seed", APP_AUDIT_ANSWERED, NULL,
	    "Seed: [1]", 9);
	starve = false;
	const char *why = app_audit_new_error(au);
	cr_assert_eq(rc, 0, "%s", why ? why : "");
	cr_assert_eq(starve_refused, 0, "%u allocations asked for", starve_refused);
	char *text = files_read(app_audit_path(au), NULL);
	cr_assert(strstr(text, " cmd=seed reply=\"Seed: [1]\"\n"), "%s", text);
	free(text);
	app_audit_free(au);
}

Test(audit_oom, a_long_record_outgrows_the_stack_whole)
{
	/* 700 quotes: 1,400 bytes escaped, past the stack's 1,024. */
	char cmd[701];
	memset(cmd, '"', 700);
	cmd[700] = '\0';
	app_audit_record r = { .when = 0, .user = app_audit_user(), .server = "lobby",
		.origin = APP_AUDIT_ONESHOT, .cmd = cmd, .outcome = APP_AUDIT_ANSWERED,
		.reply = "ok", .reply_len = 2 };
	size_t len;
	char *want = app_audit_format(&r, &len);
	cr_assert_not_null(want);
	app_audit *au = writer();
	cr_assert_eq(app_audit_write(au, 0, APP_AUDIT_ONESHOT, cmd, APP_AUDIT_ANSWERED, NULL, "ok",
	    2), 0);
	char *text = files_read(app_audit_path(au), NULL);
	char *second = strchr(text, '\n');
	cr_assert(second && strcmp(second + 1, want) == 0, "%s", text);
	free(text);

	starve = true;
	int rc = app_audit_write(au, 0, APP_AUDIT_ONESHOT, cmd, APP_AUDIT_ANSWERED, NULL, "ok", 2);
	starve = false;
	cr_assert_eq(rc, RC_EIO);
	cr_assert_gt(starve_refused, 0);
	const char *why = app_audit_new_error(au);
	cr_assert(why && strstr(why, "cannot format a record for"), "%s", why ? why : "(none)");
	text = files_read(app_audit_path(au), NULL);
	second = strchr(text, '\n');
	cr_assert(second && strcmp(second + 1, want) == 0, "nothing more was written: %s", text);
	free(text);
	free(want);
	app_audit_free(au);
}
