/* profile-path.c: where the configuration lives, "~/" expansion, and the
 * password sources of a profile (password_file, password_env, password).
 *
 * Secrets never appear in error text: messages name the file, the variable
 * or the profile, never what was read. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rconsole/error.h"
#include "lib/passwd-int.h"
#include "lib/profile-int.h"

/* Longest password accepted from a file (its first line). */
#define PASSWORD_MAX 4096

/* Returns the user's home directory: $HOME, else the password database's
 * entry, written into buf (the caller's: two threads loading
 * configurations at once must not share one); NULL when neither says. */
static const char *home_dir(char *buf, size_t cap)
{
	const char *h = getenv("HOME");
	if (h && *h)
		return h;
	char name[256];
	if (passwd_lookup(getuid(), name, sizeof name, buf, cap) < 0)
		return NULL;
	return buf[0] ? buf : NULL;
}

/* Writes the concatenation of a and b into buf; returns buf or NULL. */
static const char *join(char *buf, size_t cap, const char *a, const char *b)
{
	int n = snprintf(buf, cap, "%s%s", a, b);
	return n >= 0 && (size_t)n < cap ? buf : NULL;
}

/* Expands a leading "~/" (or a lone "~") using $HOME into buf.  Returns buf,
 * or NULL when the result does not fit or no home directory is known.
 * "~user/" is not expanded. */
const char *rc_expand_home(const char *path, char *buf, size_t cap)
{
	if (!path || !buf || cap == 0)
		return NULL;
	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0')) {
		char hbuf[PATH_MAX];
		const char *home = home_dir(hbuf, sizeof hbuf);
		return home ? join(buf, cap, home, path + 1) : NULL;
	}
	return join(buf, cap, path, "");
}

/* Writes the configuration path to use into buf (see profile.h for the
 * order).  An explicit path and $RCONSOLE_CONFIG get "~/" expanded; a
 * relative $XDG_CONFIG_HOME is ignored, as the XDG spec says. */
const char *rc_config_path(const char *explicit_path, char *buf, size_t cap)
{
	if (explicit_path && *explicit_path)
		return rc_expand_home(explicit_path, buf, cap);
	const char *env = getenv("RCONSOLE_CONFIG");
	if (env && *env)
		return rc_expand_home(env, buf, cap);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && xdg[0] == '/')
		return join(buf, cap, xdg, "/rconsole/rconsole.conf");
	char hbuf[PATH_MAX];
	const char *home = home_dir(hbuf, sizeof hbuf);
	return home ? join(buf, cap, home, "/.config/rconsole/rconsole.conf") : NULL;
}

/* Writes path into buf as one shell word (single-quoted unless it holds
 * only safe characters), so a suggested chmod can be pasted. */
const char *profile_shell_word(const char *path, char *buf, size_t cap)
{
	if (strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-+,:@%=") ==
	    strlen(path))
		return path;
	size_t n = 0;
	buf[n++] = '\'';
	for (; *path && n + 6 < cap; path++) {
		if (*path == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = *path;
		}
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

/* Judges the mode of a password file (see profile-int.h): writable by
 * others is refused (anyone could swap the password, and it is surely
 * readable too); readable by group or others is a warning in warn. */
int profile_password_mode(const char *full, const struct stat *st, char *err, size_t err_cap,
			  char *warn, size_t warn_cap)
{
	char quoted[4200];
	if (!S_ISREG(st->st_mode) && !S_ISFIFO(st->st_mode))
		return 0;
	if (st->st_mode & S_IWOTH)
		return profile_key_fail(err, err_cap, RC_ECONFIG,
					"password file %s is writable by everyone: refused; run: "
					"chmod 600 %s", full, profile_shell_word(full, quoted, sizeof quoted));
	if ((st->st_mode & (S_IRGRP | S_IROTH)) && warn && warn_cap > 0)
		snprintf(warn, warn_cap, "password file %s is readable by group or others; "
			 "run: chmod 600 %s", full, profile_shell_word(full, quoted, sizeof quoted));
	return 0;
}

/* Reads the first line of a password file (without its newline or CR).
 * Opened with O_NONBLOCK so a FIFO without a writer cannot hang open();
 * then, unless RC_PWFILE_REGULAR refuses anything but a regular file, a
 * pipe is read blocking (--password-file <(pass x) waits for pass). */
int rc_password_file_load(const char *path, int flags, char **out, char *err, size_t err_cap,
			  char *warn, size_t warn_cap)
{
	char full[4096];
	*out = NULL;
	if (warn && warn_cap > 0)
		warn[0] = '\0';
	if (!path || !rc_expand_home(path, full, sizeof full))
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s: path too long",
					path ? path : "(none)");
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s: %s", full,
					strerror(errno));
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int saved = errno;
		close(fd);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s: %s", full,
					strerror(saved));
	}
	if ((flags & RC_PWFILE_REGULAR) && !S_ISREG(st.st_mode)) {
		close(fd);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s is not a regular "
					"file (a pipe or FIFO is read only at start-up)", full);
	}
	/* A device or a directory is never a password file: /dev/zero would
	 * read as a 4 KiB line of NULs, /dev/tty as a prompt with echo on. */
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		close(fd);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s is not a "
					"regular file or a pipe", full);
	}
	int mrc = profile_password_mode(full, &st, err, err_cap, warn, warn_cap);
	if (mrc < 0) {
		close(fd);
		return mrc;
	}
	if (!S_ISREG(st.st_mode)) {
		int fl = fcntl(fd, F_GETFL);
		if (fl >= 0)
			fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	}
	char buf[PASSWORD_MAX + 1];
	size_t len = 0;
	int rc = 0, saved = 0;
	while (len < sizeof buf && !memchr(buf, '\n', len)) {
		ssize_t n = read(fd, buf + len, sizeof buf - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			saved = errno;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (rc < 0) {
		explicit_bzero(buf, sizeof buf);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s: %s", full,
					strerror(saved));
	}
	char *nl = memchr(buf, '\n', len);
	size_t line = nl ? (size_t)(nl - buf) : len;
	if (line > 0 && buf[line - 1] == '\r')
		line--;
	/* A UTF-8 byte order mark opening the file (Notepad writes one) is no
	 * part of the password, as the configuration loader drops it too. */
	size_t skip = line >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
	if (line > PASSWORD_MAX || (!nl && len == sizeof buf)) {
		explicit_bzero(buf, sizeof buf);
		return profile_key_fail(err, err_cap, RC_ECONFIG,
					"password file %s: first line longer than %d bytes", full,
					PASSWORD_MAX);
	}
	if (line == skip || memchr(buf, '\0', line)) {
		explicit_bzero(buf, sizeof buf);
		return profile_key_fail(err, err_cap, RC_ECONFIG, "password file %s: %s", full,
					line == skip ? "empty first line (expected the password)"
						     : "holds a NUL byte");
	}
	*out = strndup(buf + skip, line - skip);
	explicit_bzero(buf, sizeof buf);
	if (!*out)
		return profile_key_fail(err, err_cap, RC_ENOMEM, "out of memory");
	return 0;
}

/* Reads the first line of a password file (rc_password_file_load, flags 0,
 * no warning). */
int rc_password_file_read(const char *path, char **out, char *err, size_t err_cap)
{
	return rc_password_file_load(path, 0, out, err, err_cap, NULL, 0);
}

/* Resolves the profile's password: password_file, then password_env, then
 * the inline password.  A named source that fails is an error: it never
 * falls through to the next one. */
int rc_profile_password_load(const rc_profile *p, int flags, char **out, char *err,
			     size_t err_cap, char *warn, size_t warn_cap)
{
	*out = NULL;
	if (warn && warn_cap > 0)
		warn[0] = '\0';
	rc_profile known;
	p = profile_known(p, &known);
	const char *name = p->name ? p->name : "(unnamed)";
	if (p->password_file) {
		int rc = rc_password_file_load(p->password_file, flags, out, err, err_cap, warn,
					       warn_cap);
		if (rc < 0 && err && err_cap > 0) {
			char inner[1024];
			snprintf(inner, sizeof inner, "%s", err);
			snprintf(err, err_cap, "%s: %s", name, inner);
		}
		return rc;
	}
	if (p->password_env) {
		const char *v = getenv(p->password_env);
		if (!v || !*v)
			return profile_key_fail(err, err_cap, RC_ECONFIG,
						"%s: environment variable %s is %s", name,
						p->password_env, v ? "empty" : "not set");
		*out = strdup(v);
		return *out ? 0 : profile_key_fail(err, err_cap, RC_ENOMEM, "out of memory");
	}
	if (p->password) {
		*out = strdup(p->password);
		return *out ? 0 : profile_key_fail(err, err_cap, RC_ENOMEM, "out of memory");
	}
	return profile_key_fail(err, err_cap, RC_ENOENT,
				"%s: no password (set password_file, password_env or password)", name);
}

/* Resolves the profile's password (rc_profile_password_load, flags 0, no
 * warning). */
int rc_profile_password(const rc_profile *p, char **out, char *err, size_t err_cap)
{
	return rc_profile_password_load(p, 0, out, err, err_cap, NULL, 0);
}
