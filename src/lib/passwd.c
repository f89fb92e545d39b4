/* passwd.c: the local account's name and home directory, without starting
 * NSS when the answer is in /etc/passwd (issue 11).
 *
 * getpwuid() costs a one-shot invocation about a tenth of its CPU the
 * first time it runs: it parses /etc/nsswitch.conf, asks for nscd twice,
 * binds and faults in a few pages of libc's NSS code, and then reads
 * /etc/passwd.  The audit record needs the name on every invocation.  So
 * when nsswitch.conf's "passwd:" line names "files" first, exactly what
 * glibc's files service would return is read here: the first line of
 * /etc/passwd whose uid field is the uid (glibc's files service skips blanks
 * before a line, empty and '#' lines and lines without a valid uid and
 * gid, and answers with the first match; a match returns, for no action
 * but [SUCCESS=...] or [!STATUS=...] can change that).  Anything else (no such
 * line, "compat", "sss files", an action on files' success, a file too big,
 * unreadable or with NIS '+'/'-' entries) asks getpwuid(), so the answer
 * is always the one NSS would give.  Nothing here is cached: callers that
 * look up once keep the result. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/passwd-int.h"
#include "lib/profile-int.h"

/* Largest nsswitch.conf or passwd file read here; a bigger one goes to NSS. */
#define PASSWD_FILE_MAX (256 * 1024)

/* Reads path whole (profile_read_fd: a regular file of at most
 * PASSWD_FILE_MAX bytes); NULL when it cannot, and NSS decides.  Caller
 * frees. */
static char *passwd_slurp(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	char *text;
	size_t len;
	if (profile_read_fd(fd, PASSWD_FILE_MAX, &text, &len, NULL, NULL, 0) < 0)
		text = NULL;
	close(fd);
	return text;
}

/* Returns the next line of *p (its end made '\0') and moves *p past it;
 * NULL at the end. */
static char *passwd_next_line(char **p)
{
	if (!**p)
		return NULL;
	char *line = *p, *nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = line + strlen(line);
	}
	return line;
}

/* Says whether the action list s ("[...]" after a service) may change what
 * is done on that service's success: it names SUCCESS (glibc reads status
 * names in any case) or says [!STATUS=action], which sets SUCCESS's too. */
static bool passwd_action_on_success(const char *s)
{
	const char *end = strchr(s, ']');
	size_t n = end ? (size_t)(end - s) : strlen(s);
	for (size_t i = 0; i < n; i++)
		if (s[i] == '!' || (n - i >= 7 && strncasecmp(s + i, "SUCCESS", 7) == 0))
			return true;
	return false;
}

/* Says whether nsswitch.conf text makes "files" the first passwd service
 * with no action that could pass over its answer. */
static bool passwd_files_first(char *conf)
{
	bool seen = false, files = false;
	for (char *line; (line = passwd_next_line(&conf));) {
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line += strspn(line, " \t");
		if (strncmp(line, "passwd:", 7) != 0)
			continue;
		if (seen)
			return false;   /* two passwd lines: let NSS say which counts */
		seen = true;
		char *s = line + 7;
		s += strspn(s, " \t");
		size_t n = strcspn(s, " \t[");
		files = n == 5 && strncmp(s, "files", 5) == 0;
		s += n;
		s += strspn(s, " \t");
		if (files && *s == '[' && passwd_action_on_success(s))
			files = false;   /* e.g. [SUCCESS=continue]: unusual, NSS decides */
	}
	return files;
}

/* What glibc's isspace() is in the C locale: skipped before a passwd line. */
#define PASSWD_BLANKS " \t\n\v\f\r"

/* Reads a uid or gid field as glibc's files service does (strtoul in
 * base 10, the whole field, at most 2^32-1: "-0" and " +5" are numbers,
 * "-1" is not); false when it is no id.  Stores the value when v is not
 * NULL. */
static bool passwd_id(const char *field, unsigned long *v)
{
	char *end;
	errno = 0;
	unsigned long n = strtoul(field, &end, 10);
	if (end == field || *end || errno || n > (unsigned long)(uid_t)-1)
		return false;
	if (v)
		*v = n;
	return true;
}

/* Finds uid's entry in passwd text: copies its name (and home directory when
 * home) and returns 1; 0 when there is none; -1 when the text has what
 * glibc's files service would read differently from here (NIS entries), or
 * a field does not fit. */
static int passwd_find(char *text, uid_t uid, char *name, size_t name_cap, char *home,
		       size_t home_cap)
{
	for (char *line; (line = passwd_next_line(&text));) {
		line += strspn(line, PASSWD_BLANKS);   /* glibc skips them too */
		if (*line == '+' || *line == '-')
			return -1;
		if (!*line || *line == '#')
			continue;
		char *f[7];
		int nf = 0;
		for (char *s = line; nf < 7; s++) {
			f[nf++] = s;
			if (!(s = strchr(s, ':')))
				break;
			*s = '\0';
		}
		/* glibc's files service takes no line without a valid uid and
		 * gid as an entry. */
		unsigned long v;
		if (nf < 4 || !passwd_id(f[2], &v) || !passwd_id(f[3], NULL) || v != uid)
			continue;
		/* An empty name is an entry there: getpwuid() says what of it. */
		if (!*f[0] || strlen(f[0]) >= name_cap ||
		    (home && (nf < 6 || strlen(f[5]) >= home_cap)))
			return -1;
		memcpy(name, f[0], strlen(f[0]) + 1);
		if (home)
			memcpy(home, f[5], strlen(f[5]) + 1);
		return 1;
	}
	return 0;
}

/* Looks uid up as passwd_lookup() does, with conf_path and passwd_path in
 * place of /etc/nsswitch.conf and /etc/passwd (the tests use this); *direct
 * (may be NULL) says whether passwd_path gave the answer. */
int passwd_lookup_at(const char *conf_path, const char *passwd_path, uid_t uid, char *name,
		     size_t name_cap, char *home, size_t home_cap, bool *direct)
{
	if (direct)
		*direct = false;
	if (!name || !name_cap || (home && !home_cap))
		return -1;
	int found = -1;
	char *conf = passwd_slurp(conf_path);
	if (conf && passwd_files_first(conf)) {
		char *text = passwd_slurp(passwd_path);
		if (text)
			found = passwd_find(text, uid, name, name_cap, home, home_cap);
		free(text);
	}
	free(conf);
	if (found == 1) {
		if (direct)
			*direct = true;
		return 0;
	}
	/* Not in /etc/passwd (or not answerable here): the other services. */
	struct passwd *pw = getpwuid(uid);
	if (!pw || !pw->pw_name || !*pw->pw_name || strlen(pw->pw_name) >= name_cap)
		return -1;
	const char *dir = pw->pw_dir ? pw->pw_dir : "";
	if (home && strlen(dir) >= home_cap)
		return -1;
	memcpy(name, pw->pw_name, strlen(pw->pw_name) + 1);
	if (home)
		memcpy(home, dir, strlen(dir) + 1);
	return 0;
}

/* Looks uid up as getpwuid() would, reading /etc/passwd directly when
 * /etc/nsswitch.conf lets that give the same answer (file comment).
 * Copies the name, and the home directory when home is not NULL; returns 0,
 * or -1 when there is no entry (or a field does not fit). */
int passwd_lookup(uid_t uid, char *name, size_t name_cap, char *home, size_t home_cap)
{
	return passwd_lookup_at("/etc/nsswitch.conf", "/etc/passwd", uid, name, name_cap, home,
				home_cap, NULL);
}
