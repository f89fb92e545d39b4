/* profile-int.h: private to the profile module (profile*.c) — the table of
 * keys that drives loading, validation, copying, comparison and saving, and
 * the pre-scan that guards libconfig's known weaknesses.
 *
 * One table row per key: adding a per-server key means one row here (and a
 * field in rc_profile), and load, save, rc_config_add, rc_profile_equal and
 * the error messages all follow. */
#ifndef RCONSOLE_PROFILE_INT_H
#define RCONSOLE_PROFILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "rconsole/profile.h"

/* Largest configuration file read (anything bigger is refused). */
#define PROFILE_MAX_FILE (1024 * 1024)
/* Most warnings kept; the last one says that more were dropped. */
#define PROFILE_MAX_WARNINGS 64
/* Longest profile name and tag. */
#define PROFILE_MAX_NAME 64

enum profile_kind {
	PROFILE_STR,    /* char *, NULL when absent */
	PROFILE_INT,    /* int within [min, max], or == unset */
	PROFILE_BOOL,   /* bool */
	PROFILE_LIST,   /* char ** (NULL-terminated) and a size_t count */
	PROFILE_CHOICE, /* an enum stored as int: the index into choices */
	PROFILE_SWITCH  /* true/false stored as int RC_PROFILE_ON/_OFF, or _UNSET */
};

enum profile_flags {
	PROFILE_REQUIRED = 1, /* must be present */
	PROFILE_ALWAYS = 2,   /* saved even when it holds the default */
	PROFILE_SECRET = 4    /* never echoed, wiped on free */
};

struct profile_key {
	const char *name;
	enum profile_kind kind;
	size_t off;                       /* the field in rc_profile / rc_config */
	size_t count_off;                 /* PROFILE_LIST: the size_t count */
	int min, max;                     /* PROFILE_INT: accepted range */
	int unset;                        /* PROFILE_INT: "not set" value, or def */
	int def;                          /* PROFILE_INT / PROFILE_CHOICE default */
	const char *def_str;              /* PROFILE_STR default, or NULL */
	const char *(*check)(const char *s); /* PROFILE_STR / LIST item: NULL or a reason */
	const char *(*check_into)(const char *s, char *buf, size_t cap);
	                                  /* instead of check, for a reason made at run
	                                     time: written into the caller's buf */
	const char *const *choices;       /* PROFILE_CHOICE: names, NULL-terminated */
	unsigned flags;
	const char *expect;               /* for type errors: "a string"; PROFILE_INT: the
	                                     note after the range ("seconds") or NULL, as
	                                     the range is said from min and max
	                                     (profile_key_expect) */
};

/* Per-server keys, in the order they are saved. */
extern const struct profile_key profile_keys[];
extern const size_t profile_n_keys;
/* Global keys (fields of rc_config) other than "servers". */
extern const struct profile_key profile_globals[];
extern const size_t profile_n_globals;

/* Returns the row called name in t[n], or NULL. */
const struct profile_key *profile_key_find(const struct profile_key *t, size_t n,
					   const char *name);
/* Returns the name of the key in t[n] that name is a near miss of, or NULL.
 * Names are compared lowercased and without '_' and '-' ("readOnly" and
 * "read-only" are read_only), then by edit distance (insertions, deletions,
 * substitutions, adjacent swaps): at most 1 for keys of up to 4 letters,
 * at most 2 for longer ones ("readonly", "raed_only", "pasword").  The
 * loader makes such a key an error: a typo of read_only must not leave a
 * profile writable.  Unknown keys that are not near any known one stay
 * warnings, so a newer file still loads in an older rconsole. */
const char *profile_key_near(const struct profile_key *t, size_t n, const char *name);
/* The profile names seen so far, compared without case: two names that
 * differ only in case ("Lobby", "lobby") are one name to an admin typing
 * them, to ":tag" (which ignores case) and to a case-insensitive file system
 * holding history and audit files, so the loader, the saver and
 * rc_config_add all refuse the second.  Sized once for n names. */
struct profile_fold {
	struct names *t;
	char *buf;      /* n folded copies of PROFILE_MAX_NAME + 1 bytes */
	size_t n, cap;
};
/* Prepares f for up to n names; RC_ENOMEM on failure (f is then empty). */
int profile_fold_init(struct profile_fold *f, size_t n);
/* Adds name with value val: 0, or 1 with *prev (when prev is not NULL) the
 * value of the earlier name it equals without case, or RC_ENOMEM (also
 * past the n names sized for).  --list-profiles --tags uses it for tags. */
int profile_fold_add(struct profile_fold *f, const char *name, size_t val, size_t *prev);
/* Finds name without case: true and *val (when val is not NULL), or false. */
bool profile_fold_find(const struct profile_fold *f, const char *name, size_t *val);
/* Forgets every name, keeping the storage sized for cap. */
void profile_fold_clear(struct profile_fold *f);
/* Frees f's storage. */
void profile_fold_free(struct profile_fold *f);

/* What the configuration file was when it was loaded (or last saved), so
 * that a save does not silently undo what another rconsole or an editor
 * wrote since: the saver compares it, under a lock on the directory, with
 * the file it is about to replace. */
struct profile_stamp {
	bool known;     /* false: built with rc_config_new(), never loaded */
	char *path;     /* the path it was taken for (a save elsewhere is not checked) */
	bool existed;   /* the file was there */
	dev_t dev;
	ino_t ino;
	off_t size;
	long long mtim_sec, mtim_nsec;
};
/* Returns the stamp kept with cfg (mutable even for a const cfg: it is the
 * box's bookkeeping, as the name index is). */
struct profile_stamp *profile_config_stamp(const rc_config *cfg);
/* Exchanges everything a and b hold (profiles, globals, path, warnings,
 * name indexes, stamps), so a caller's pointer to a now sees b's content. */
void profile_config_swap(rc_config *a, rc_config *b);
/* Records st (NULL: the file does not exist) for path into s; out of
 * memory leaves s unknown. */
void profile_stamp_take(struct profile_stamp *s, const char *path, const struct stat *st);
/* Returns true when st (NULL: absent) is the file s recorded. */
bool profile_stamp_same(const struct profile_stamp *s, const struct stat *st);
/* Refuses (RC_ECONFIG with err) the directories the configuration file at
 * path could be replaced through, by someone else: writable by group or
 * others without the sticky bit, or owned by another user than this one or
 * root; the one holding path and, for a symbolic link, its target's.  The
 * loader and the saver (profile.c, profile-save.c) both ask.  Returns 0 or
 * RC_ECONFIG. */
int profile_trust_dirs(const char *path, char *err, size_t cap);

/* Returns true when v suits integer key k. */
bool profile_key_int_ok(const struct profile_key *k, long long v);
/* Returns what key k expects, for its type errors: for an integer key the
 * range from its min and max, "an integer 1-86400 (seconds)", written into
 * buf (cap bytes); for the others k->expect. */
const char *profile_key_expect(const struct profile_key *k, char *buf, size_t cap);
/* The room a reason made at run time needs (profile_key_check_str). */
enum { PROFILE_WHY_MAX = 160 };
/* Returns NULL when s suits k (string or list item), else the reason: a
 * constant text, or one written into the caller's buf (cap bytes,
 * PROFILE_WHY_MAX is enough), so that threads loading at once each get
 * their own. */
const char *profile_key_check_str(const struct profile_key *k, const char *s, char *buf,
				  size_t cap);
/* Returns the index of s in k->choices, or -1. */
int profile_key_choice(const struct profile_key *k, const char *s);
/* Checks every field of p; writes "key: reason" into err on failure. */
int profile_key_validate(const rc_profile *p, char *err, size_t cap);

/* Returns a pointer to k's field inside p (cast to the kind's type). */
static inline void *profile_key_field(const struct profile_key *k, const void *p)
{
	return (char *)p + k->off;
}

/* Returns a pointer to the item count of list key k inside p. */
static inline size_t *profile_key_count(const struct profile_key *k, const void *p)
{
	return (size_t *)((char *)p + k->count_off);
}

/* Sets every number, choice, switch and boolean of t[n] in p (a profile,
 * or the config for the globals) to its row's default. */
void profile_key_defaults(const struct profile_key *t, size_t n, void *p);
/* Returns p as the library's layout: p, or tmp holding what lies below
 * p->size and the defaults past it (rc_profile's size rule). */
const rc_profile *profile_known(const rc_profile *p, rc_profile *tmp);
/* Frees every field of p (wiping secrets) and zeroes it. */
void profile_key_clear(rc_profile *p);
/* Deep-copies src into dst (dst's old content is not freed); line is kept. */
int profile_key_copy(rc_profile *dst, const rc_profile *src);
/* Appends a copy of an already validated profile; RC_ENOMEM on failure. */
int profile_key_append(rc_config *cfg, rc_profile *p);
/* Appends a formatted warning; past PROFILE_MAX_WARNINGS only a final
 * "more warnings" line is kept.  Out of memory drops the warning. */
void profile_key_warn(rc_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Writes fmt into err (err may be NULL or cap 0); returns code. */
int profile_key_fail(char *err, size_t cap, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Scans the text of a configuration file before libconfig parses it: refuses
 * NUL bytes, @include directives, more than 65535 lines and integers that do
 * not fit in 32 bits (libconfig 1.5 silently wraps them: port = 4294992871
 * would load as 25575).  Returns 0, or -1 with *line, *reason and the name
 * of the key the offending token follows (into key[cap]; "" when none). */
int profile_scan(const char *text, size_t len, int *line, const char **reason,
		 char *key, size_t cap);

/* Reads the whole regular file fd, at most max bytes, into a new
 * NUL-terminated buffer *text of *len bytes, which the caller wipes and
 * frees (a profile file may hold passwords); *mode (may be NULL) gets the
 * file's mode.  Returns 0, RC_ENOMEM, or RC_ECONFIG with the reason in
 * why[cap] ("not a regular file", "larger than N bytes", "cannot read: ...",
 * or fstat's error).  The loader and the saver's backup both read this way. */
int profile_read_fd(int fd, size_t max, char **text, size_t *len, mode_t *mode, char *why,
		    size_t cap);

struct stat;
/* Judges the mode st of the password file full, the one rule for it:
 * regular files and FIFOs only (a pipe from process substitution is 0600);
 * writable by others is refused (RC_ECONFIG, the reason and the chmod to
 * run in err); readable by group or others is a warning in warn (""
 * otherwise).  Called on the opened file when a password is read, and on
 * the path when the configuration is loaded, so --check-config and the
 * one-shot CLI report an exposed file early. */
int profile_password_mode(const char *full, const struct stat *st, char *err, size_t err_cap,
			  char *warn, size_t warn_cap);

/* Returns path as one shell word (itself when it holds only safe characters,
 * else single-quoted into buf[cap]), so a suggested chmod can be pasted. */
const char *profile_shell_word(const char *path, char *buf, size_t cap);

/* Checks the tunnel keys together (ssh xor proxy_command, ssh_options
 * only with ssh); returns the reason and the key to blame, or NULL. */
const char *profile_key_tunnel_check(const rc_profile *p, const char **key);

#endif
