/* profile.h: saved server profiles in a libconfig file (rconsole.conf).
 *
 * Search order: explicit path (--config), $RCONSOLE_CONFIG,
 * $XDG_CONFIG_HOME/rconsole/rconsole.conf, ~/.config/rconsole/rconsole.conf.
 * A missing file is an empty configuration, not an error.  Errors name the
 * file, the line and the key.  libconfig is a private detail of profile.c.
 *
 * Ownership: rc_config_load() returns a config the caller frees with
 * rc_config_free(); every string inside belongs to the config. */
#ifndef RCONSOLE_PROFILE_H
#define RCONSOLE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include "rconsole/conn.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RC_DEFAULT_PORT 25575
#define RC_DEFAULT_REFRESH 5
#define RC_DEFAULT_SCROLLBACK 10000
#define RC_DEFAULT_AUDIT_MAX_KB 1024
/* The longest timeout, in seconds, that a profile's `timeout` and the
 * command line's --timeout may set (one limit for both). */
#define RC_TIMEOUT_MAX 86400

/* A switch a profile may leave unset, so that the file's global value
 * applies (zero is unset, so a zeroed profile follows the global). */
enum { RC_PROFILE_UNSET = 0, RC_PROFILE_OFF = 1, RC_PROFILE_ON = 2 };
#define RC_DEFAULT_HEALTH_REFRESH 15  /* seconds between health polls (issue 12) */
#define RC_DEFAULT_TPS_WARN 18
#define RC_DEFAULT_TPS_CRIT 15

/* One server.  Fields are only ever appended; `size` says how much of the
 * structure the caller knows: rc_profile_init() (inline, so it measures the
 * caller's own structure) sets it, and the library reads nothing at or past
 * it (those fields take their defaults).  size 0 means this first layout,
 * name to proxy_command.  Profiles the library makes (rc_config_load(),
 * rc_config_add()) have the library's size, so walk a configuration's
 * profiles with rc_config_profile(): servers[i] strides by the size of the
 * headers the program was built with, right only when they are the
 * library's own. */
typedef struct rc_profile {
	size_t size;           /* sizeof(rc_profile) as the caller built it */
	char *name;            /* unique, required */
	char *host;            /* required */
	int port;              /* default 25575 */
	char *password;        /* inline; NULL when absent */
	char *password_file;   /* "~/" expanded on use; NULL when absent */
	char *password_env;    /* environment variable name; NULL when absent */
	bool read_only;
	char **readonly_allow; /* NULL = the default allowlist; else NULL-terminated */
	size_t n_allow;
	int refresh;           /* seconds; -1 = the file's global refresh */
	char **tags;           /* NULL or NULL-terminated */
	size_t n_tags;
	rc_dialect dialect;
	rc_frag_mode fragments;
	int timeout;           /* command timeout in seconds; -1 = default */
	char *list_command;    /* default "list" */
	char *log_file;        /* NULL when absent */
	char **confirm;        /* console y/N list (policy.h patterns); NULL = the
	                          global list, else NULL-terminated (may be empty) */
	size_t n_confirm;
	bool insecure_ok;      /* no clear-text warning for a non-loopback host */
	int audit;             /* RC_PROFILE_UNSET (the file's global audit), _OFF, _ON */
	int audit_max_kb;      /* audit log rotation size; 0 = the file's global */
	int command_tree;      /* read the server's `help` for Tab: RC_PROFILE_UNSET
	                          (the file's global command_tree), _OFF, _ON */
	int health_refresh;    /* seconds between health polls; -1 = the file's */
	int tps_warn;          /* TPS below this shows as a warning; -1 = the file's */
	int tps_crit;          /* TPS below this is critical; -1 = the file's */
	char **watch;          /* players whose joins and leaves are alerts; NULL-terminated */
	size_t n_watch;
	bool bell;             /* ring the terminal bell on an alert */
	char *on_event;        /* hook run on an alert (no shell); NULL = none */
	int alert_interval;    /* seconds between two hook runs; -1 = 60 */
	int line;              /* line in the file, 0 when added at run time */
	char *ssh;             /* tunnel through `ssh -W`: destination; NULL = none */
	char **ssh_options;    /* extra ssh arguments; NULL or NULL-terminated */
	size_t n_ssh_options;
	char *proxy_command;   /* tunnel through this command (%h, %p); NULL = none */
} rc_profile;

typedef struct rc_config {
	char *path;            /* the file read (or to be written) */
	bool exists;           /* the file was there */
	int refresh;           /* global refresh seconds (0 = off) */
	int scrollback;        /* lines kept per server */
	char **confirm;        /* global console y/N list; NULL = the console's default */
	size_t n_confirm;
	bool mouse;            /* console mouse support (default true) */
	bool audit;            /* global audit log switch (default true) */
	int audit_max_kb;      /* global audit log rotation size (default 1024) */
	bool command_tree;     /* global: read servers' command trees (default true) */
	int health_refresh;    /* global health poll seconds (0 = off) */
	int tps_warn;          /* global TPS warning threshold */
	int tps_crit;          /* global TPS critical threshold */
	char *metrics_listen;  /* "[ADDR:]PORT" the console serves /metrics on; NULL = none */
	rc_profile *servers;
	size_t n_servers;
	char **warnings;       /* "file:line: unknown key 'x'" and the like */
	size_t n_warnings;
} rc_config;

/* Writes the configuration path to use into buf (explicit may be NULL or "").
 * "~/" is expanded in the explicit path and $RCONSOLE_CONFIG; a relative
 * $XDG_CONFIG_HOME is ignored (XDG spec).  Returns buf, or NULL when no home
 * directory can be found or the path does not fit. */
const char *rc_config_path(const char *explicit_path, char *buf, size_t cap);

/* Loads and validates path (NULL: the rc_config_path() default).  Returns 0
 * and *out (exists = false when the file is missing), or RC_ECONFIG with a
 * message such as "rconsole.conf:12: servers[1] (lobby): port: expected an
 * integer 1-65535" in err.  Unknown keys and exposed password files are
 * warnings in (*out)->warnings. */
int rc_config_load(const char *path, rc_config **out, char *err, size_t err_cap);
/* Returns an empty configuration for path (for building one at run time). */
rc_config *rc_config_new(const char *path);
/* Frees cfg and everything in it, wiping inline passwords.  NULL is a no-op. */
void rc_config_free(rc_config *cfg);

/* Returns the profile called name, or NULL.  A hash lookup: the index
 * follows rc_config_add() and rc_config_remove(); rename a profile by
 * removing and adding it, not by writing its name in place. */
rc_profile *rc_config_find(rc_config *cfg, const char *name);
/* Returns the profile whose name equals name ignoring ASCII case (the
 * names rc_config_add() takes for one), or NULL; the first in file order
 * when a hand-edited file holds two.  A hash lookup, like rc_config_find(). */
rc_profile *rc_config_find_fold(rc_config *cfg, const char *name);
/* Returns the i-th profile of cfg (in file order), or NULL when there is
 * none (cfg NULL or i >= n_servers); the way to walk them that holds
 * across library versions (see rc_profile). */
rc_profile *rc_config_profile(rc_config *cfg, size_t i);
/* Adds a validated copy of p (name must be new, also ignoring case; line
 * becomes 0; a NULL list_command becomes "list").  Returns 0, RC_EINVAL or
 * RC_ENOMEM. */
int rc_config_add(rc_config *cfg, const rc_profile *p, char *err, size_t err_cap);
/* Removes (and frees) the profile called name.  Returns 0 or RC_ENOENT.
 * Pointers to later profiles are invalidated. */
int rc_config_remove(rc_config *cfg, const char *name);
/* Saves atomically: temp file in the same directory, fsync, mode 0600, rename;
 * creates the directory (0700) when missing.  On failure the old file is
 * untouched.  Returns 0, RC_EINVAL (invalid profile: nothing written) or
 * RC_EIO with err, or RC_ECONFIG when the file changed since
 * rc_config_load() read it or the last save wrote it (another console's
 * save, an editor: that change is not undone; a configuration made with
 * rc_config_new(), or saved to another path, is not checked).  Saves into
 * one directory take turns under an flock().  Comments and unknown keys of
 * the old file are not kept.
 * The caller must not save over a file whose load failed (a
 * malformed file is never overwritten). */
int rc_config_save(const rc_config *cfg, char *err, size_t err_cap);
/* Returns what rc_config_save() would refuse before writing anything: 0,
 * RC_EINVAL (no path) or RC_EIO with err when the file's directory (or,
 * through a symbolic link, its target's) is one someone else may write or
 * own.  For a caller that writes a file of its own beside the
 * configuration (a new profile's password file) before saving. */
int rc_config_save_check(const rc_config *cfg, char *err, size_t err_cap);
/* Saves like rc_config_save(); before the first rewrite of a hand-written
 * file (comments would be lost) it keeps a copy as <file>.bak (mode 0600,
 * atomically; when that fails nothing is saved).  A save that fails after
 * the copy takes it back (an earlier .bak is put back as it was).  bak (may
 * be NULL) gets the backup's path, or "" when none was needed or the save
 * failed. */
int rc_config_save_backup(const rc_config *cfg, char *bak, size_t bak_cap, char *err,
			  size_t err_cap);

/* How many times rc_config_save_merge() reads a changed file again. */
#define RC_MERGE_TRIES 3

/* Saves cfg like rc_config_save_backup(), where added[n_added] names the
 * profiles cfg holds that the file does not yet (added since it was read;
 * none for a plain save).  When that save is refused because the file
 * changed since it was read (another rconsole's :add, an editor), the file
 * is read again, those profiles are added to what it holds now, and that is
 * saved, the change check still guarding against a third writer (up to
 * RC_MERGE_TRIES reads).  Nothing else of cfg is carried over: what the
 * other writer did is kept.  On success cfg itself (the same pointer) holds
 * what was saved, and *old (when old is not NULL) gets what cfg held
 * before, for the caller to free with rc_config_free() once nothing points
 * into it (without old it is freed here); *old is NULL when no merge was
 * needed.  On failure cfg is as it was and the file untouched, with
 * RC_EINVAL when the file now holds a profile of an added name (also
 * ignoring case), RC_ECONFIG when the file no longer loads (err has its
 * file:line and reason) or kept changing, or rc_config_save_backup()'s
 * errors. */
int rc_config_save_merge(rc_config *cfg, const char *const *added, size_t n_added,
			 rc_config **old, char *bak, size_t bak_cap, char *err, size_t err_cap);

/* Fills the first size bytes of p (a structure of that size) with an
 * empty profile's defaults and sets p->size; zero past the library's own
 * fields.  Writes nothing past size.  Use rc_profile_init(). */
void rc_profile_init_size(rc_profile *p, size_t size);
/* Fills p with an empty profile's defaults (port 25575, refresh and timeout
 * -1, dialect minecraft, fragments auto, everything else NULL/false) and
 * p->size.  No allocation: set name and host, then rc_config_add() copies
 * it. */
static inline void rc_profile_init(rc_profile *p)
{
	rc_profile_init_size(p, sizeof *p);
}
/* Returns true when every key of a and b holds the same value (line is
 * ignored; a NULL list_command equals "list"). */
bool rc_profile_equal(const rc_profile *a, const rc_profile *b);

/* Resolves the profile's password: password_file, then password_env, then the
 * inline password.  Returns 0 and a malloc'd *out (caller wipes and frees),
 * RC_ENOENT when the profile names no source, or RC_ECONFIG with err when a
 * named source is missing, unreadable or empty. */
int rc_profile_password(const rc_profile *p, char **out, char *err, size_t err_cap);

/* Reads the first line of a password file (without its newline or CR; "~/"
 * expanded; at most 4096 bytes).  The read blocks, so a pipe works
 * (--password-file <(pass show x)).  Returns 0 and a malloc'd *out, or
 * RC_ECONFIG with err naming the file (missing, unreadable, empty, writable
 * by everyone).  Same as rc_password_file_load(path, 0, ..., NULL, 0). */
int rc_password_file_read(const char *path, char **out, char *err, size_t err_cap);

/* Flag of rc_password_file_load(): refuse anything but a regular file, so
 * nothing can block (for password files read while the loop runs). */
#define RC_PWFILE_REGULAR 1

/* Reads a password file like rc_password_file_read(), with the mode check
 * every password file gets: writable by others is refused (RC_ECONFIG with
 * the chmod 600 to run); readable by group or others is accepted with a
 * warning naming the file and the chmod 600 to run in warn (else warn is
 * ""; warn may be NULL).  The file is opened with O_NONBLOCK, so a FIFO
 * without a writer reads as empty instead of hanging; with
 * RC_PWFILE_REGULAR in flags a FIFO, pipe or device is refused outright. */
int rc_password_file_load(const char *path, int flags, char **out, char *err, size_t err_cap,
			  char *warn, size_t warn_cap);
/* rc_profile_password() with rc_password_file_load()'s flags and warning. */
int rc_profile_password_load(const rc_profile *p, int flags, char **out, char *err,
			     size_t err_cap, char *warn, size_t warn_cap);

/* Expands a leading "~/" (or a lone "~") using $HOME into buf.  Returns
 * buf, or NULL when it does not fit or no home directory is known. */
const char *rc_expand_home(const char *path, char *buf, size_t cap);

/* Sets the connection options a profile controls; strings point into p and
 * port_buf (give it at least 6 bytes).  Call rc_conn_opts_init(opts) first:
 * host, port, name, dialect and fragments are set; command_timeout_ms only
 * when the profile has a timeout; read_only is OR-ed in (it only adds
 * restriction); allow/n_allow point at readonly_allow only when the profile
 * itself sets read_only (else NULL: the default list; call
 * rc_profile_conn_allow() for the exact list in force); ssh, ssh_options
 * and proxy_command when opts has them (its size), else a profile with a
 * tunnel leaves host NULL, so that no connection is made directly to a
 * host named as seen from the tunnel's far end (rc_conn_new: RC_EINVAL).
 * The password is left alone: resolve it with rc_profile_password(). */
void rc_profile_conn_opts(const rc_profile *p, rc_conn_opts *opts, char *port_buf, size_t port_cap);
/* Sets opts->allow to the allowlist in force for p: its readonly_allow as
 * written when p->read_only, else the intersection of the default and
 * readonly_allow (rc_policy_effective), so read-only that comes from the
 * flag or the demo can only narrow; without a readonly_allow, NULL (the
 * default list, which the connection applies itself).  *owned gets the list
 * (NULL when none); free it with rc_policy_list_free() once rc_conn_new()
 * has copied it.  Returns 0 or RC_ENOMEM (opts untouched). */
int rc_profile_conn_allow(const rc_profile *p, rc_conn_opts *opts, char ***owned);

#ifdef __cplusplus
}
#endif
#endif
