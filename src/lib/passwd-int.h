/* passwd-int.h: the local account's name and home directory (passwd.c),
 * inside the project only. */
#ifndef RC_PASSWD_INT_H
#define RC_PASSWD_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Looks uid up as getpwuid() would (reading /etc/passwd itself when
 * /etc/nsswitch.conf names "files" first): copies the name into name and,
 * when home is not NULL, the home directory into home.  Returns 0, or -1
 * when there is no entry or a field does not fit. */
int passwd_lookup(uid_t uid, char *name, size_t name_cap, char *home, size_t home_cap);
/* passwd_lookup() with other files for /etc/nsswitch.conf and /etc/passwd;
 * *direct (may be NULL) says whether passwd_path gave the answer. */
int passwd_lookup_at(const char *conf_path, const char *passwd_path, uid_t uid, char *name,
		     size_t name_cap, char *home, size_t home_cap, bool *direct);

#endif
