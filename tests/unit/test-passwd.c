/* test-passwd.c: the account look-up that reads /etc/passwd itself when
 * nsswitch.conf lets it (src/lib/passwd.c): same answers as getpwuid(),
 * and every case it cannot answer exactly goes to getpwuid(). */
#include <criterion/criterion.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/passwd-int.h"

static char dir[] = "/tmp/rconsole-passwd-XXXXXX", conf[64], pw[64];

/* Makes the directory for the two files. */
static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(conf, sizeof conf, "%s/nsswitch.conf", dir);
	snprintf(pw, sizeof pw, "%s/passwd", dir);
}

/* Removes the files and the directory. */
static void teardown(void)
{
	unlink(conf);
	unlink(pw);
	rmdir(dir);
}

/* Writes text to path. */
static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

/* What getpwuid() says uid's name is ("" for none). */
static const char *nss_name(uid_t uid)
{
	struct passwd *p = getpwuid(uid);
	return p && p->pw_name ? p->pw_name : "";
}

TestSuite(passwd, .init = setup, .fini = teardown);

Test(passwd, files_first_is_read_directly)
{
	put(conf, "# comment\npasswd:   files systemd   # trailing\ngroup: files\n");
	put(pw, "# a comment line\n\nroot:x:0:0:root:/root:/bin/bash\n"
		"alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n"
		"alias:x:1000:1000::/home/alias:/bin/sh\n");
	char name[64], home[64];
	bool direct;
	cr_assert_eq(passwd_lookup_at(conf, pw, 1000, name, sizeof name, home, sizeof home, &direct), 0);
	cr_assert(direct);
	cr_assert_str_eq(name, "alice", "the first line with the uid, as glibc's files service");
	cr_assert_str_eq(home, "/home/alice");
	cr_assert_eq(passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct), 0);
	cr_assert(direct);
	cr_assert_str_eq(name, "root");
}

Test(passwd, other_services_first_ask_nss)
{
	static const char *confs[] = {
		"passwd: sss files\n",
		"passwd: compat\n",
		"passwd: files [SUCCESS=continue] ldap\n",
		"passwd: files\npasswd: ldap\n",
		"group: files\n",
	};
	/* The file says uid 0 is "mallory": never believed unless files is first. */
	put(pw, "mallory:x:0:0::/nowhere:/bin/sh\n");
	for (size_t i = 0; i < sizeof confs / sizeof *confs; i++) {
		put(conf, confs[i]);
		char name[64];
		bool direct = true;
		int rc = passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct);
		cr_assert(!direct, "%s", confs[i]);
		if (*nss_name(0)) {
			cr_assert_eq(rc, 0);
			cr_assert_str_eq(name, nss_name(0), "%s", confs[i]);
		}
	}
}

Test(passwd, what_the_file_cannot_answer_goes_to_nss)
{
	put(conf, "passwd: files\n");
	char name[64];
	bool direct = true;
	/* NIS entries: the files service reads them otherwise. */
	put(pw, "+::::::\nmallory:x:0:0::/x:/bin/sh\n");
	passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct);
	cr_assert(!direct);
	/* No such uid in the file. */
	put(pw, "bob:x:1001:1001::/home/bob:/bin/sh\n");
	int rc = passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct);
	cr_assert(!direct);
	cr_assert_eq(rc, *nss_name(0) ? 0 : -1);
	/* Malformed lines are skipped, not matched. */
	put(pw, "broken\n:x:0:0::/x:/bin/sh\nmallory:x:0x0:0::/x:/bin/sh\nmallory:x::0::/x:\n");
	passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct);
	cr_assert(!direct);
	/* Missing files. */
	unlink(pw);
	passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct);
	cr_assert(!direct);
}

Test(passwd, too_long_fields_fail_cleanly)
{
	put(conf, "passwd: files\n");
	put(pw, "averyveryverylongname:x:4242:4242::/home/averyveryverylongname:/bin/sh\n");
	char name[8], home[8];
	bool direct = true;
	cr_assert_eq(passwd_lookup_at(conf, pw, 4242, name, sizeof name, NULL, 0, &direct), -1);
	cr_assert_eq(passwd_lookup_at(conf, pw, 4242, name, sizeof name, home, sizeof home, &direct), -1);
	cr_assert_eq(passwd_lookup_at(conf, pw, 4242, NULL, 0, NULL, 0, &direct), -1);
}

Test(passwd, the_real_files_agree_with_getpwuid)
{
	char name[256], home[4096];
	struct passwd *p = getpwuid(getuid());
	cr_assert_not_null(p, "the test runs as an account with a passwd entry");
	cr_assert_eq(passwd_lookup(getuid(), name, sizeof name, home, sizeof home), 0);
	cr_assert_str_eq(name, p->pw_name);
	cr_assert_str_eq(home, p->pw_dir);
}

/* The first entry for uid as glibc's own parser of passwd lines reads it
 * (fgetpwent: the parser its files service runs), into name and home; false
 * when it reads none. */
static bool glibc_entry(uid_t uid, char *name, size_t name_cap, char *home, size_t home_cap)
{
	FILE *f = fopen(pw, "r");
	cr_assert_not_null(f);
	struct passwd *p;
	while ((p = fgetpwent(f)) && p->pw_uid != uid)
		;
	if (p) {
		snprintf(name, name_cap, "%s", p->pw_name);
		snprintf(home, home_cap, "%s", p->pw_dir);
	}
	fclose(f);
	return p != NULL;
}

Test(passwd, a_direct_answer_is_the_one_glibc_parses)
{
	static const char *files[] = {
		/* glibc skips blanks before a line, so a comment may be indented. */
		"  alice:x:1000:1000::/home/alice:/bin/sh\n",
		"\tbob:x:1000:1000::/home/bob:/bin/sh\n",
		"  #old:x:1000:1000::/old:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		/* A gid that is no number makes the line no entry at all. */
		"bob:x:1000:abc::/home/bob:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		"bob:x:1000:1 ::/home/bob:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		"bob:x:1000:-1::/home/bob:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		"bob:x:1000:99999999999::/b:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		"bob:x:1000\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		/* "-0" is uid 0 to glibc. */
		"zero:x:-0:0::/zero:/bin/sh\nroot:x:0:0::/root:/bin/sh\n",
		/* An empty name is an entry to glibc, not a line to skip. */
		":x:1000:1000::/nobody:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
		/* What already agreed. */
		"bob:x: +1000:1::/b:/bin/sh\r\n",
		"bob:x:01000:1::/b",
		"big:x:4294967296:1::/big:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n",
	};
	put(conf, "passwd: files\n");
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		put(pw, files[i]);
		for (uid_t uid = 0; uid <= 1000; uid += 1000) {
			char name[64] = "", home[64] = "", gname[64], ghome[64];
			bool direct = false;
			int rc = passwd_lookup_at(conf, pw, uid, name, sizeof name, home, sizeof home,
			    &direct);
			if (!direct)
				continue;
			cr_assert_eq(rc, 0);
			cr_assert(glibc_entry(uid, gname, sizeof gname, ghome, sizeof ghome),
			    "file %zu, uid %u: read '%s' where glibc reads no entry", i, uid, name);
			cr_assert_str_eq(name, gname, "file %zu, uid %u", i, uid);
			cr_assert_str_eq(home, ghome, "file %zu, uid %u", i, uid);
		}
	}
}

Test(passwd, actions_that_can_pass_over_files_ask_nss)
{
	/* glibc reads status names in any case, and [!STATUS=action] sets
	 * SUCCESS's action too. */
	static const char *confs[] = {
		"passwd: files [success=continue] ldap\n",
		"passwd: files [!NOTFOUND=continue] ldap\n",
		"passwd: files [ !UNAVAIL=continue ] ldap\n",
	};
	put(pw, "mallory:x:0:0::/nowhere:/bin/sh\n");
	for (size_t i = 0; i < sizeof confs / sizeof *confs; i++) {
		put(conf, confs[i]);
		char name[64];
		bool direct = true;
		passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct);
		cr_assert(!direct, "%s", confs[i]);
	}
	/* [NOTFOUND=return] leaves a found entry the answer. */
	put(conf, "passwd: files [NOTFOUND=return] ldap\n");
	char name[64];
	bool direct = false;
	cr_assert_eq(passwd_lookup_at(conf, pw, 0, name, sizeof name, NULL, 0, &direct), 0);
	cr_assert(direct);
	cr_assert_str_eq(name, "mallory");
}
