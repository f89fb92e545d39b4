/* profile-key.c: the table of profile keys, the value rules behind it, and
 * the in-memory side of profiles (init, copy, compare, add, remove, map to
 * connection options).
 *
 * Value rules (also in data/rconsole.conf.example):
 *  - name, tags: 1-64 characters from A-Z a-z 0-9 . _ + @ -, starting with a
 *    letter or digit: they are typed as command-line words and after ":tag",
 *    so no spaces, no quoting, and never something that looks like an option.
 *  - host: 1-255 bytes of printable ASCII without spaces (an IDN in its xn--
 *    form); "host:port" and "[v6]" are refused with a hint (the port has its
 *    own key).
 *  - other strings: non-empty, valid UTF-8, no control characters (C0, DEL
 *    or C1: they are printed by --list-profiles and in messages); the inline
 *    password alone may be anything (even empty: it is what the user wrote).
 *  - integers must be integers (not strings, floats or booleans) in range;
 *    booleans must be true/false. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rconsole/error.h"
#include "rconsole/mc.h"
#include "rconsole/policy.h"
#include "lib/profile-int.h"
#include "lib/tunnel-int.h"
#include "lib/names.h"
#include "lib/listen.h"
#include "lib/core.h"

_Static_assert(sizeof(rc_dialect) == sizeof(int), "enums are stored as int");
_Static_assert(sizeof(rc_frag_mode) == sizeof(int), "enums are stored as int");

static const char *const dialect_names[] = { "minecraft", "source", NULL };
static const char *const fragment_names[] = { "auto", "sentinel", "none", NULL };

/* Returns true when s holds a byte below 0x20 or DEL. */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Returns true when s is not valid UTF-8 or holds a C1 control (U+0080 to
 * U+009F: 0x9B is CSI to an 8-bit terminal, and these strings are printed
 * by --list-profiles and in error messages). */
static bool has_bad_utf8(const char *s)
{
	size_t len = strlen(s);
	while (len > 0) {
		uint32_t cp;
		size_t n = rc_text_decode(s, len, &cp);
		if (cp == RC_TEXT_BAD || (cp >= 0x80 && cp <= 0x9f))
			return true;
		s += n;
		len -= n;
	}
	return false;
}

/* Returns true when s holds a byte outside printable ASCII. */
static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return true;
	return false;
}

/* Checks a profile name or tag (see the file comment). */
static const char *check_name(const char *s)
{
	static const char *why =
		"must be 1-64 letters, digits or . _ + @ - and start with a letter or digit";
	size_t n = strlen(s);
	if (n == 0 || n > PROFILE_MAX_NAME)
		return why;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') ||
	      (s[0] >= '0' && s[0] <= '9')))
		return why;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("._+@-", c)))
			return why;
	}
	return NULL;
}

/* Checks a host name or address. */
static const char *check_host(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 255 || strpbrk(s, " /") || has_control(s))
		return "expected a host name or address (no spaces or control characters)";
	if (has_non_ascii(s))
		return "expected a host name or address in ASCII (write an international "
		       "name in its xn-- form)";
	if (strpbrk(s, "[]"))
		return "write IPv6 addresses without brackets (the port has its own key)";
	const char *colon = strchr(s, ':');
	if (colon && !strchr(colon + 1, ':'))
		return "write the port as port = N, not host:port";
	return NULL;
}

/* Checks a path, command or list entry: non-empty, no control characters. */
static const char *check_text(const char *s)
{
	if (*s == '\0')
		return "must not be empty";
	if (strlen(s) > 4096)
		return "is longer than 4096 bytes";
	if (has_control(s))
		return "must not contain control characters";
	if (has_bad_utf8(s))
		return "must be valid UTF-8 without control characters";
	return NULL;
}

/* Checks a command sent to the server (list_command, allowlist entries). */
static const char *check_command(const char *s)
{
	const char *why = check_text(s);
	if (why)
		return why;
	return strlen(s) > 1446 ? "is longer than 1446 bytes" : NULL;
}

/* Checks an environment variable name. */
static const char *check_env(const char *s)
{
	static const char *why = "expected a variable name: letters, digits and _, not starting with a digit";
	if (*s == '\0' || strlen(s) > 255 || (*s >= '0' && *s <= '9'))
		return why;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return why;
	return NULL;
}

/* Checks an inline password: anything up to 4096 bytes. */
static const char *check_password(const char *s)
{
	return strlen(s) > 4096 ? "is longer than 4096 bytes" : NULL;
}

/* Checks metrics_listen by the rule the endpoint itself parses it with
 * (listen_parse), so nothing --check-config passes fails at start-up. */
static const char *check_listen(const char *s)
{
	return listen_parse(s, NULL, NULL) ? NULL :
	    "expected \"[ADDR:]PORT\" with a numeric address, e.g. \"127.0.0.1:9225\" or \"[::1]:9225\"";
}

/* Checks an ssh destination: [user@]host, never an option. */
static const char *check_ssh(const char *s)
{
	const char *why = check_text(s);
	if (why)
		return why;
	if (*s == '-' || strpbrk(s, " \t"))
		return "expected an ssh destination such as \"admin@mc1.example.net\"";
	return NULL;
}

/* Checks a proxy command: text that splits into words with known %
 * escapes (the reason is written into why, cap bytes). */
static const char *check_proxy(const char *s, char *why, size_t cap)
{
	const char *t = check_text(s);
	if (t)
		return t;
	char **argv = NULL;
	if (tunnel_split(s, "h", "1", &argv, why, cap) < 0) {
		const char *pre = "proxy_command: ";
		return strncmp(why, pre, strlen(pre)) == 0 ? why + strlen(pre) : why;
	}
	tunnel_argv_free(argv);
	return NULL;
}

const struct profile_key profile_keys[] = {
	{ .name = "name", .kind = PROFILE_STR, .off = offsetof(rc_profile, name),
	  .check = check_name, .flags = PROFILE_REQUIRED | PROFILE_ALWAYS, .expect = "a string" },
	{ .name = "host", .kind = PROFILE_STR, .off = offsetof(rc_profile, host),
	  .check = check_host, .flags = PROFILE_REQUIRED | PROFILE_ALWAYS, .expect = "a string" },
	{ .name = "port", .kind = PROFILE_INT, .off = offsetof(rc_profile, port), .min = 1,
	  .max = 65535, .def = RC_DEFAULT_PORT, .flags = PROFILE_ALWAYS,
	  .expect = NULL },
	{ .name = "password", .kind = PROFILE_STR, .off = offsetof(rc_profile, password),
	  .check = check_password, .flags = PROFILE_SECRET, .expect = "a string" },
	{ .name = "password_file", .kind = PROFILE_STR, .off = offsetof(rc_profile, password_file),
	  .check = check_text, .expect = "a string" },
	{ .name = "password_env", .kind = PROFILE_STR, .off = offsetof(rc_profile, password_env),
	  .check = check_env, .expect = "a string" },
	{ .name = "read_only", .kind = PROFILE_BOOL, .off = offsetof(rc_profile, read_only),
	  .expect = "true or false" },
	{ .name = "readonly_allow", .kind = PROFILE_LIST,
	  .off = offsetof(rc_profile, readonly_allow), .count_off = offsetof(rc_profile, n_allow),
	  .check = check_command, .expect = "a list of strings, e.g. [ \"list\", \"tps\" ]" },
	{ .name = "refresh", .kind = PROFILE_INT, .off = offsetof(rc_profile, refresh), .min = 0,
	  .max = 86400, .def = -1, .expect = "seconds, 0 = off" },
	{ .name = "tags", .kind = PROFILE_LIST, .off = offsetof(rc_profile, tags),
	  .count_off = offsetof(rc_profile, n_tags), .check = check_name,
	  .expect = "a list of strings, e.g. [ \"prod\" ]" },
	{ .name = "dialect", .kind = PROFILE_CHOICE, .off = offsetof(rc_profile, dialect),
	  .choices = dialect_names, .def = RC_DIALECT_MINECRAFT,
	  .expect = "\"minecraft\" or \"source\"" },
	{ .name = "fragments", .kind = PROFILE_CHOICE, .off = offsetof(rc_profile, fragments),
	  .choices = fragment_names, .def = RC_FRAG_AUTO,
	  .expect = "\"auto\", \"sentinel\" or \"none\"" },
	{ .name = "timeout", .kind = PROFILE_INT, .off = offsetof(rc_profile, timeout), .min = 1,
	  .max = RC_TIMEOUT_MAX, .def = -1, .expect = "seconds" },
	{ .name = "list_command", .kind = PROFILE_STR, .off = offsetof(rc_profile, list_command),
	  .check = check_command, .def_str = "list", .expect = "a string" },
	{ .name = "log_file", .kind = PROFILE_STR, .off = offsetof(rc_profile, log_file),
	  .check = check_text, .expect = "a string" },
	{ .name = "confirm", .kind = PROFILE_LIST, .off = offsetof(rc_profile, confirm),
	  .count_off = offsetof(rc_profile, n_confirm), .check = check_command,
	  .expect = "a list of strings, e.g. [ \"stop\", \"kick *\" ]" },
	{ .name = "insecure_ok", .kind = PROFILE_BOOL, .off = offsetof(rc_profile, insecure_ok),
	  .expect = "true or false" },
	{ .name = "audit", .kind = PROFILE_SWITCH, .off = offsetof(rc_profile, audit),
	  .def = RC_PROFILE_UNSET, .expect = "true or false" },
	{ .name = "audit_max_kb", .kind = PROFILE_INT, .off = offsetof(rc_profile, audit_max_kb),
	  .min = 1, .max = 1048576, .def = 0, .expect = "KiB" },
	{ .name = "command_tree", .kind = PROFILE_SWITCH, .off = offsetof(rc_profile, command_tree),
	  .def = RC_PROFILE_UNSET, .expect = "true or false" },
	{ .name = "health_refresh", .kind = PROFILE_INT, .off = offsetof(rc_profile, health_refresh),
	  .min = 0, .max = 86400, .def = -1, .expect = "seconds, 0 = off" },
	{ .name = "tps_warn", .kind = PROFILE_INT, .off = offsetof(rc_profile, tps_warn),
	  .min = 0, .max = 1000, .def = -1, .expect = "TPS" },
	{ .name = "tps_crit", .kind = PROFILE_INT, .off = offsetof(rc_profile, tps_crit),
	  .min = 0, .max = 1000, .def = -1, .expect = "TPS" },
	{ .name = "watch", .kind = PROFILE_LIST, .off = offsetof(rc_profile, watch),
	  .count_off = offsetof(rc_profile, n_watch), .check = check_text,
	  .expect = "a list of strings, e.g. [ \"Notch\" ]" },
	{ .name = "bell", .kind = PROFILE_BOOL, .off = offsetof(rc_profile, bell),
	  .expect = "true or false" },
	{ .name = "on_event", .kind = PROFILE_STR, .off = offsetof(rc_profile, on_event),
	  .check = check_text, .expect = "a string" },
	{ .name = "alert_interval", .kind = PROFILE_INT, .off = offsetof(rc_profile, alert_interval),
	  .min = 0, .max = 86400, .def = -1, .expect = "seconds" },
	{ .name = "ssh", .kind = PROFILE_STR, .off = offsetof(rc_profile, ssh),
	  .check = check_ssh, .expect = "a string" },
	{ .name = "ssh_options", .kind = PROFILE_LIST, .off = offsetof(rc_profile, ssh_options),
	  .count_off = offsetof(rc_profile, n_ssh_options), .check = check_text,
	  .expect = "a list of strings, e.g. [ \"-p\", \"2222\" ]" },
	{ .name = "proxy_command", .kind = PROFILE_STR, .off = offsetof(rc_profile, proxy_command),
	  .check_into = check_proxy, .expect = "a string" },
};
const size_t profile_n_keys = sizeof profile_keys / sizeof profile_keys[0];

const struct profile_key profile_globals[] = {
	{ .name = "refresh", .kind = PROFILE_INT, .off = offsetof(rc_config, refresh), .min = 0,
	  .max = 86400, .def = RC_DEFAULT_REFRESH, .flags = PROFILE_ALWAYS,
	  .expect = "seconds, 0 = off" },
	{ .name = "scrollback", .kind = PROFILE_INT, .off = offsetof(rc_config, scrollback),
	  .min = 100, .max = 1000000, .def = RC_DEFAULT_SCROLLBACK, .flags = PROFILE_ALWAYS,
	  .expect = "lines" },
	{ .name = "confirm", .kind = PROFILE_LIST, .off = offsetof(rc_config, confirm),
	  .count_off = offsetof(rc_config, n_confirm), .check = check_command,
	  .expect = "a list of strings, e.g. [ \"stop\", \"kick *\" ]" },
	{ .name = "mouse", .kind = PROFILE_BOOL, .off = offsetof(rc_config, mouse), .def = 1,
	  .expect = "true or false" },
	{ .name = "audit", .kind = PROFILE_BOOL, .off = offsetof(rc_config, audit), .def = 1,
	  .flags = PROFILE_ALWAYS, .expect = "true or false" },
	{ .name = "audit_max_kb", .kind = PROFILE_INT, .off = offsetof(rc_config, audit_max_kb),
	  .min = 1, .max = 1048576, .def = RC_DEFAULT_AUDIT_MAX_KB, .flags = PROFILE_ALWAYS,
	  .expect = "KiB" },
	{ .name = "command_tree", .kind = PROFILE_BOOL, .off = offsetof(rc_config, command_tree),
	  .def = 1, .flags = PROFILE_ALWAYS, .expect = "true or false" },
	{ .name = "health_refresh", .kind = PROFILE_INT, .off = offsetof(rc_config, health_refresh),
	  .min = 0, .max = 86400, .def = RC_DEFAULT_HEALTH_REFRESH, .flags = PROFILE_ALWAYS,
	  .expect = "seconds, 0 = off" },
	{ .name = "tps_warn", .kind = PROFILE_INT, .off = offsetof(rc_config, tps_warn),
	  .min = 0, .max = 1000, .def = RC_DEFAULT_TPS_WARN, .flags = PROFILE_ALWAYS,
	  .expect = "TPS" },
	{ .name = "metrics_listen", .kind = PROFILE_STR, .off = offsetof(rc_config, metrics_listen),
	  .check = check_listen, .expect = "a string" },
	{ .name = "tps_crit", .kind = PROFILE_INT, .off = offsetof(rc_config, tps_crit),
	  .min = 0, .max = 1000, .def = RC_DEFAULT_TPS_CRIT, .flags = PROFILE_ALWAYS,
	  .expect = "TPS" },
};
const size_t profile_n_globals = sizeof profile_globals / sizeof profile_globals[0];

/* Returns the row called name in t[n], or NULL. */
const struct profile_key *profile_key_find(const struct profile_key *t, size_t n,
					   const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

/* Longest key name compared for a near miss (longer names never are). */
#define NEAR_MAX 64

/* Writes name lowercased, without '_' and '-', into out[NEAR_MAX + 1];
 * returns its length, or -1 when it is too long to compare. */
static int near_fold(const char *name, char *out)
{
	int n = 0;
	for (; *name; name++) {
		unsigned char c = (unsigned char)*name;
		if (c == '_' || c == '-')
			continue;
		if (n == NEAR_MAX)
			return -1;
		out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[n] = '\0';
	return n;
}

/* Returns the optimal-string-alignment distance of a[na] and b[nb]
 * (insertions, deletions, substitutions, adjacent swaps). */
static int near_distance(const char *a, int na, const char *b, int nb)
{
	int d[NEAR_MAX + 1][NEAR_MAX + 1];
	for (int i = 0; i <= na; i++)
		d[i][0] = i;
	for (int j = 0; j <= nb; j++)
		d[0][j] = j;
	for (int i = 1; i <= na; i++)
		for (int j = 1; j <= nb; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[na][nb];
}

/* Returns how far name lies from known once both are folded (case, '_'
 * and '-' ignored): 0 for "readOnly" or "read-only" against read_only. */
static int near_score(const char *fold, int nf, const char *known)
{
	char k[NEAR_MAX + 1];
	int nk = near_fold(known, k);
	return nk < 0 ? NEAR_MAX : near_distance(fold, nf, k, nk);
}

/* Returns the key of t[n] that name is a near miss of, or NULL (see
 * profile-int.h for the rule). */
const char *profile_key_near(const struct profile_key *t, size_t n, const char *name)
{
	char fold[NEAR_MAX + 1];
	int nf = name ? near_fold(name, fold) : -1;
	if (nf < 0)
		return NULL;
	const char *best = NULL;
	int best_d = NEAR_MAX;
	for (size_t i = 0; i < n; i++) {
		int d = near_score(fold, nf, t[i].name);
		int limit = strlen(t[i].name) <= 4 ? 1 : 2;
		if (d <= limit && d < best_d) {
			best = t[i].name;
			best_d = d;
		}
	}
	return best;
}

/* Prepares f for up to n names (see profile-int.h). */
int profile_fold_init(struct profile_fold *f, size_t n)
{
	memset(f, 0, sizeof *f);
	f->t = names_new(n);
	f->buf = malloc((n ? n : 1) * (PROFILE_MAX_NAME + 1));
	if (!f->t || !f->buf) {
		profile_fold_free(f);
		return RC_ENOMEM;
	}
	f->cap = n;
	return 0;
}

/* Writes name folded to ASCII lower case into k[PROFILE_MAX_NAME + 1]; a
 * name longer than a profile name may be is cut, which only the validated
 * names never are. */
static void fold_key(char *k, const char *name)
{
	size_t i = 0;
	for (; name[i] && i < PROFILE_MAX_NAME; i++)
		k[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] - 'A' + 'a' : name[i]);
	k[i] = '\0';
}

/* Adds name (see profile-int.h). */
int profile_fold_add(struct profile_fold *f, const char *name, size_t val, size_t *prev)
{
	if (!f->t || f->n >= f->cap)
		return RC_ENOMEM;
	char *k = f->buf + f->n * (PROFILE_MAX_NAME + 1);
	fold_key(k, name);
	if (names_get(f->t, k, prev))
		return 1;
	if (names_put(f->t, k, val) < 0)
		return RC_ENOMEM;
	f->n++;
	return 0;
}

/* Finds name without case (see profile-int.h). */
bool profile_fold_find(const struct profile_fold *f, const char *name, size_t *val)
{
	char k[PROFILE_MAX_NAME + 1];
	if (!f->t)
		return false;
	fold_key(k, name);
	return names_get(f->t, k, val);
}

/* Forgets every name of f, keeping its storage. */
void profile_fold_clear(struct profile_fold *f)
{
	if (f->t)
		names_clear(f->t);
	f->n = 0;
}

/* Frees f's storage. */
void profile_fold_free(struct profile_fold *f)
{
	names_free(f->t);
	free(f->buf);
	memset(f, 0, sizeof *f);
}

/* Returns true when v suits integer key k. */
bool profile_key_int_ok(const struct profile_key *k, long long v)
{
	return v >= k->min && v <= k->max;
}

/* Returns what k expects: an integer key's range, said from its min and
 * max so that the text cannot drift from the check, in buf. */
const char *profile_key_expect(const struct profile_key *k, char *buf, size_t cap)
{
	if (k->kind != PROFILE_INT)
		return k->expect;
	snprintf(buf, cap, "an integer %d-%d%s%s%s", k->min, k->max, k->expect ? " (" : "",
		 k->expect ? k->expect : "", k->expect ? ")" : "");
	return buf;
}

/* Returns NULL when s suits k (string or list item), else the reason. */
const char *profile_key_check_str(const struct profile_key *k, const char *s, char *buf,
				  size_t cap)
{
	if (k->check_into)
		return k->check_into(s, buf, cap);
	return k->check ? k->check(s) : NULL;
}

/* Returns the index of s in k->choices, or -1. */
int profile_key_choice(const struct profile_key *k, const char *s)
{
	for (int i = 0; k->choices[i]; i++)
		if (strcmp(k->choices[i], s) == 0)
			return i;
	return -1;
}

/* Writes fmt into err (err may be NULL or cap 0); returns code. */
int profile_key_fail(char *err, size_t cap, int code, const char *fmt, ...)
{
	if (err && cap > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, cap, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* Checks one field of p against its row; returns the reason or NULL (one
 * made at run time, such as an integer's range, written into buf, cap
 * bytes). */
static const char *validate_field(const struct profile_key *k, const rc_profile *p, size_t *item,
				  char *buf, size_t cap)
{
	void *f = profile_key_field(k, p);
	switch (k->kind) {
	case PROFILE_STR: {
		const char *s = *(char **)f;
		if (!s)
			return k->flags & PROFILE_REQUIRED ? "is required" : NULL;
		return profile_key_check_str(k, s, buf, cap);
	}
	case PROFILE_INT: {
		int v = *(int *)f;
		return v == k->def || profile_key_int_ok(k, v) ? NULL
			: profile_key_expect(k, buf, cap);
	}
	case PROFILE_BOOL:
		return NULL;
	case PROFILE_SWITCH: {
		int v = *(int *)f;
		return v == RC_PROFILE_UNSET || v == RC_PROFILE_OFF || v == RC_PROFILE_ON ? NULL
			: k->expect;
	}
	case PROFILE_CHOICE: {
		int v = *(int *)f;
		for (int i = 0; k->choices[i]; i++)
			if (i == v)
				return NULL;
		return k->expect;
	}
	case PROFILE_LIST: {
		char **list = *(char ***)f;
		size_t n = *profile_key_count(k, p);
		if (!list)
			return n ? "has items but no array" : NULL;
		for (*item = 0; *item < n; (*item)++) {
			const char *why = list[*item] ? profile_key_check_str(k, list[*item], buf, cap)
				: "is NULL";
			if (why)
				return why;
		}
		*item = SIZE_MAX;
		return NULL;
	}
	}
	return "has an unknown kind";
}

/* Checks the tunnel keys together: returns the reason and sets *key to the
 * key to blame, or NULL when they fit. */
const char *profile_key_tunnel_check(const rc_profile *p, const char **key)
{
	if (p->ssh && p->proxy_command) {
		*key = "proxy_command";
		return "ssh and proxy_command exclude each other: keep one";
	}
	if (p->ssh_options && p->n_ssh_options && !p->ssh) {
		*key = "ssh_options";
		return "needs ssh = \"user@host\" (for proxy_command, put options in the command)";
	}
	return NULL;
}

/* Checks every field of p; writes "key: reason" into err on failure. */
int profile_key_validate(const rc_profile *p, char *err, size_t cap)
{
	const char *tkey, *twhy = profile_key_tunnel_check(p, &tkey);
	if (twhy)
		return profile_key_fail(err, cap, RC_EINVAL, "%s: %s", tkey, twhy);
	for (size_t i = 0; i < profile_n_keys; i++) {
		const struct profile_key *k = &profile_keys[i];
		size_t item = SIZE_MAX;
		char buf[PROFILE_WHY_MAX];
		const char *why = validate_field(k, p, &item, buf, sizeof buf);
		if (!why)
			continue;
		if (item != SIZE_MAX)
			return profile_key_fail(err, cap, RC_EINVAL, "%s[%zu]: %s", k->name, item, why);
		bool expected = why == k->expect || (k->kind == PROFILE_INT && why == buf);
		return profile_key_fail(err, cap, RC_EINVAL, "%s: %s%s", k->name,
					expected ? "expected " : "", why);
	}
	return 0;
}

/* Frees a NULL-terminated-or-counted list of n strings. */
static void list_free(char **list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* Frees every field of p (wiping secrets) and zeroes it. */
void profile_key_clear(rc_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < profile_n_keys; i++) {
		const struct profile_key *k = &profile_keys[i];
		void *f = profile_key_field(k, p);
		if (k->kind == PROFILE_STR) {
			char *s = *(char **)f;
			if (s && (k->flags & PROFILE_SECRET))
				explicit_bzero(s, strlen(s));
			free(s);
		} else if (k->kind == PROFILE_LIST) {
			list_free(*(char ***)f, *profile_key_count(k, p));
		}
	}
	memset(p, 0, sizeof *p);
}

/* Copies list src[n] into a new NULL-terminated array; NULL stays NULL. */
static int list_copy(char ***dst, char *const *src, size_t n)
{
	*dst = NULL;
	if (!src)
		return 0;
	char **l = calloc(n + 1, sizeof *l);
	if (!l)
		return RC_ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(l[i] = strdup(src[i]))) {
			list_free(l, i);
			return RC_ENOMEM;
		}
	*dst = l;
	return 0;
}

/* Deep-copies src into dst (dst's old content is not freed); line is kept. */
int profile_key_copy(rc_profile *dst, const rc_profile *src)
{
	*dst = *src;
	dst->size = sizeof *dst;
	for (size_t i = 0; i < profile_n_keys; i++) {
		const struct profile_key *k = &profile_keys[i];
		if (k->kind == PROFILE_STR)
			*(char **)profile_key_field(k, dst) = NULL;
		else if (k->kind == PROFILE_LIST)
			*(char ***)profile_key_field(k, dst) = NULL;
	}
	for (size_t i = 0; i < profile_n_keys; i++) {
		const struct profile_key *k = &profile_keys[i];
		if (k->kind == PROFILE_STR) {
			const char *s = *(char **)profile_key_field(k, src);
			if (!s)
				s = k->def_str;
			if (s && !(*(char **)profile_key_field(k, dst) = strdup(s)))
				goto oom;
		} else if (k->kind == PROFILE_LIST) {
			if (list_copy(profile_key_field(k, dst), *(char ***)profile_key_field(k, src),
				      *profile_key_count(k, src)) < 0)
				goto oom;
		}
	}
	return 0;
oom:
	profile_key_clear(dst);
	return RC_ENOMEM;
}

/* Every rc_config comes from rc_config_new(): the public struct is the
 * first member of this box, which adds what the header does not show — the
 * servers array's capacity (it grows geometrically, so loading n profiles is
 * linear) and the name index behind rc_config_find().  The index maps names
 * to positions; it covers servers[0 .. idx_n) and is topped up from there,
 * dropped by rc_config_remove(), and rebuilt whenever a hit does not check
 * out (a caller that edited the array itself).  The folded index does the
 * same for names compared without case (rc_config_add's clash check), over
 * servers[0 .. fold_n); it is sized for twice the profiles it was built
 * for and rebuilt bigger when they outgrow it, so adding n profiles one at
 * a time costs time linear in n. */
struct config_box {
	rc_config pub;
	size_t cap;
	names *idx;
	size_t idx_n;
	struct profile_fold fold;
	size_t fold_n;
	struct profile_stamp stamp; /* the file as loaded or last saved */
};

/* Returns the box around cfg. */
static struct config_box *config_box_of(rc_config *cfg)
{
	return (struct config_box *)cfg;
}

/* Returns the stamp kept with cfg (see profile-int.h). */
struct profile_stamp *profile_config_stamp(const rc_config *cfg)
{
	return &((struct config_box *)(void *)(uintptr_t)cfg)->stamp;
}

/* Exchanges the whole boxes of a and b (nothing in a box points into it). */
void profile_config_swap(rc_config *a, rc_config *b)
{
	struct config_box tmp = *config_box_of(a);
	*config_box_of(a) = *config_box_of(b);
	*config_box_of(b) = tmp;
}

/* Records st (NULL: the file does not exist) for path into s. */
void profile_stamp_take(struct profile_stamp *s, const char *path, const struct stat *st)
{
	char *copy = path ? strdup(path) : NULL;
	free(s->path);
	memset(s, 0, sizeof *s);
	if (!copy)
		return;
	s->path = copy;
	s->known = true;
	if (!st)
		return;
	s->existed = true;
	s->dev = st->st_dev;
	s->ino = st->st_ino;
	s->size = st->st_size;
	s->mtim_sec = st->st_mtim.tv_sec;
	s->mtim_nsec = st->st_mtim.tv_nsec;
}

/* Returns true when st (NULL: absent) is the file s recorded: the same
 * inode, size and modification time (not the change time: a chmod, or
 * chattr, changes no profile). */
bool profile_stamp_same(const struct profile_stamp *s, const struct stat *st)
{
	if (!st)
		return !s->existed;
	return s->existed && s->dev == st->st_dev && s->ino == st->st_ino &&
	       s->size == st->st_size && s->mtim_sec == st->st_mtim.tv_sec &&
	       s->mtim_nsec == st->st_mtim.tv_nsec;
}

/* Appends a copy of an already validated profile; RC_ENOMEM on failure. */
int profile_key_append(rc_config *cfg, rc_profile *p)
{
	struct config_box *b = config_box_of(cfg);
	if (cfg->n_servers == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 8;
		rc_profile *s = realloc(cfg->servers, cap * sizeof *s);
		if (!s)
			return RC_ENOMEM;
		cfg->servers = s;
		b->cap = cap;
	}
	rc_profile *s = cfg->servers;
	if (profile_key_copy(&s[cfg->n_servers], p) < 0)
		return RC_ENOMEM;
	cfg->n_servers++;
	return 0;
}

/* Appends a formatted warning, keeping at most PROFILE_MAX_WARNINGS. */
void profile_key_warn(rc_config *cfg, const char *fmt, ...)
{
	if (cfg->n_warnings >= PROFILE_MAX_WARNINGS)
		return;
	char *w = NULL;
	if (cfg->n_warnings == PROFILE_MAX_WARNINGS - 1) {
		w = strdup("(more warnings not shown)");
	} else {
		va_list ap;
		va_start(ap, fmt);
		if (vasprintf(&w, fmt, ap) < 0)
			w = NULL;
		va_end(ap);
	}
	char **l = w ? realloc(cfg->warnings, (cfg->n_warnings + 1) * sizeof *l) : NULL;
	if (!l) {
		free(w);
		return;
	}
	l[cfg->n_warnings++] = w;
	cfg->warnings = l;
}

/* Sets every number, choice, switch and boolean of t[n] in p to its row's
 * default (strings and lists stay NULL: NULL stands for def_str). */
void profile_key_defaults(const struct profile_key *t, size_t n, void *p)
{
	for (size_t i = 0; i < n; i++) {
		const struct profile_key *k = &t[i];
		if (k->kind == PROFILE_INT || k->kind == PROFILE_CHOICE || k->kind == PROFILE_SWITCH)
			*(int *)profile_key_field(k, p) = k->def;
		else if (k->kind == PROFILE_BOOL)
			*(bool *)profile_key_field(k, p) = k->def != 0;
	}
}

/* Fills the first size bytes of p with the defaults of a profile that has
 * no keys yet, zero past the library's fields, and sets p->size. */
void rc_profile_init_size(rc_profile *p, size_t size)
{
	rc_profile d;
	memset(&d, 0, sizeof d);
	profile_key_defaults(profile_keys, profile_n_keys, &d);
	d.size = size;
	if (size > sizeof d)
		memset((char *)p + sizeof d, 0, size - sizeof d);
	memcpy(p, &d, size < sizeof d ? size : sizeof d);
}

/* Returns the bytes of key k's field in a profile. */
static size_t profile_key_width(const struct profile_key *k)
{
	if (k->kind == PROFILE_BOOL)
		return sizeof(bool);
	return k->kind == PROFILE_STR || k->kind == PROFILE_LIST ? sizeof(char *) : sizeof(int);
}

/* Returns the offset just past key k's field (and its count, for a list). */
static size_t profile_key_end(const struct profile_key *k)
{
	size_t end = k->off + profile_key_width(k);
	if (k->kind == PROFILE_LIST && k->count_off + sizeof(size_t) > end)
		end = k->count_off + sizeof(size_t);
	return end;
}

/* Returns p in this library's layout: p itself when its size covers the
 * library's structure (0: the first layout, all of it), else tmp, a shallow
 * copy of the fields that lie whole below p->size with the defaults in the
 * rest (nothing at or past p->size is read). */
const rc_profile *profile_known(const rc_profile *p, rc_profile *tmp)
{
	if (p->size == 0 || p->size >= sizeof *p)
		return p;
	rc_profile_init(tmp);
	for (size_t i = 0; i < profile_n_keys; i++) {
		const struct profile_key *k = &profile_keys[i];
		if (profile_key_end(k) > p->size)
			continue;
		memcpy(profile_key_field(k, tmp), profile_key_field(k, p), profile_key_width(k));
		if (k->kind == PROFILE_LIST)
			*profile_key_count(k, tmp) = *profile_key_count(k, p);
	}
	if (offsetof(rc_profile, line) + sizeof p->line <= p->size)
		tmp->line = p->line;
	return tmp;
}

/* Compares two strings where NULL stands for def. */
static bool str_same(const char *a, const char *b, const char *def)
{
	a = a ? a : def;
	b = b ? b : def;
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Returns true when every key of a and b holds the same value (line ignored). */
bool rc_profile_equal(const rc_profile *a, const rc_profile *b)
{
	rc_profile ka, kb;
	a = profile_known(a, &ka);
	b = profile_known(b, &kb);
	for (size_t i = 0; i < profile_n_keys; i++) {
		const struct profile_key *k = &profile_keys[i];
		const void *fa = profile_key_field(k, a), *fb = profile_key_field(k, b);
		switch (k->kind) {
		case PROFILE_STR:
			if (!str_same(*(char *const *)fa, *(char *const *)fb, k->def_str))
				return false;
			break;
		case PROFILE_INT:
		case PROFILE_CHOICE:
		case PROFILE_SWITCH:
			if (*(const int *)fa != *(const int *)fb)
				return false;
			break;
		case PROFILE_BOOL:
			if (*(const bool *)fa != *(const bool *)fb)
				return false;
			break;
		case PROFILE_LIST: {
			char *const *la = *(char *const *const *)fa, *const *lb = *(char *const *const *)fb;
			size_t n = *profile_key_count(k, a);
			if (!la != !lb || n != *profile_key_count(k, b))
				return false;
			for (size_t j = 0; la && j < n; j++)
				if (strcmp(la[j], lb[j]) != 0)
					return false;
			break;
		}
		}
	}
	return true;
}

/* Returns an empty configuration for path (for building one at run time). */
rc_config *rc_config_new(const char *path)
{
	struct config_box *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	rc_config *cfg = &b->pub;
	if (path && !(cfg->path = strdup(path))) {
		free(b);
		return NULL;
	}
	profile_key_defaults(profile_globals, profile_n_globals, cfg);
	return cfg;
}

/* Frees cfg and everything in it (inline passwords are wiped). */
void rc_config_free(rc_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n_servers; i++)
		profile_key_clear(&cfg->servers[i]);
	free(cfg->servers);
	list_free(cfg->confirm, cfg->n_confirm);
	for (size_t i = 0; i < cfg->n_warnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	free(cfg->metrics_listen);
	free(cfg->path);
	free(config_box_of(cfg)->stamp.path);
	names_free(config_box_of(cfg)->idx);
	profile_fold_free(&config_box_of(cfg)->fold);
	free(config_box_of(cfg));
}

/* Brings the name index up to date with the servers array; false when out
 * of memory (the caller then scans). */
static bool config_index(struct config_box *b)
{
	rc_config *cfg = &b->pub;
	if (b->idx_n > cfg->n_servers) {
		names_clear(b->idx);
		b->idx_n = 0;
	}
	if (!b->idx && !(b->idx = names_new(cfg->n_servers)))
		return false;
	for (; b->idx_n < cfg->n_servers; b->idx_n++) {
		const char *n = cfg->servers[b->idx_n].name;
		/* The first of two equal names wins, as the scan did. */
		if (n && !names_get(b->idx, n, NULL) && names_put(b->idx, n, b->idx_n) < 0)
			return false;
	}
	return true;
}

/* Brings the folded name index up to date with the servers array (see
 * config_box); false when out of memory (the caller then scans). */
static bool config_fold(struct config_box *b)
{
	rc_config *cfg = &b->pub;
	if (b->fold_n > cfg->n_servers) {
		profile_fold_clear(&b->fold);
		b->fold_n = 0;
	}
	if (!b->fold.t || b->fold.cap < cfg->n_servers) {
		size_t n = cfg->n_servers < 8 ? 16 : 2 * cfg->n_servers;
		profile_fold_free(&b->fold);
		b->fold_n = 0;
		if (profile_fold_init(&b->fold, n) < 0)
			return false;
	}
	for (; b->fold_n < cfg->n_servers; b->fold_n++) {
		const char *n = cfg->servers[b->fold_n].name;
		/* The first of two equal names wins, as the scan did. */
		if (n && profile_fold_add(&b->fold, n, b->fold_n, NULL) < 0)
			return false;
	}
	return true;
}

/* Returns the first profile whose name equals name without case, or NULL:
 * a lookup in the folded index, a scan when that cannot be had. */
static rc_profile *config_find_fold(rc_config *cfg, const char *name)
{
	struct config_box *b = config_box_of(cfg);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!config_fold(b))
			break;
		size_t i;
		if (!profile_fold_find(&b->fold, name, &i))
			return NULL;
		if (i < cfg->n_servers && cfg->servers[i].name &&
		    strcasecmp(cfg->servers[i].name, name) == 0)
			return &cfg->servers[i];
		profile_fold_clear(&b->fold); /* stale: the array was edited behind our back */
		b->fold_n = 0;
	}
	for (size_t i = 0; i < cfg->n_servers; i++)
		if (cfg->servers[i].name && strcasecmp(cfg->servers[i].name, name) == 0)
			return &cfg->servers[i];
	return NULL;
}

/* Returns the first profile called name by scanning (the index's fallback). */
static rc_profile *config_scan(rc_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->n_servers; i++)
		if (cfg->servers[i].name && strcmp(cfg->servers[i].name, name) == 0)
			return &cfg->servers[i];
	return NULL;
}

/* Returns the i-th profile of cfg, or NULL past the end. */
rc_profile *rc_config_profile(rc_config *cfg, size_t i)
{
	return cfg && i < cfg->n_servers ? &cfg->servers[i] : NULL;
}

/* Returns the profile whose name equals name without case, or NULL: a
 * lookup in the folded index (profile.h). */
rc_profile *rc_config_find_fold(rc_config *cfg, const char *name)
{
	if (!cfg || !name)
		return NULL;
	return config_find_fold(cfg, name);
}

/* Returns the profile called name, or NULL: a hash lookup. */
rc_profile *rc_config_find(rc_config *cfg, const char *name)
{
	if (!cfg || !name)
		return NULL;
	struct config_box *b = config_box_of(cfg);
	for (int attempt = 0; attempt < 2; attempt++) {
		if (!config_index(b))
			return config_scan(cfg, name);
		size_t i;
		if (!names_get(b->idx, name, &i))
			return NULL;
		if (i < cfg->n_servers && cfg->servers[i].name &&
		    strcmp(cfg->servers[i].name, name) == 0)
			return &cfg->servers[i];
		names_clear(b->idx); /* stale: the array was edited behind our back */
		b->idx_n = 0;
	}
	return config_scan(cfg, name);
}

/* Adds a validated copy of p (name must be new). */
int rc_config_add(rc_config *cfg, const rc_profile *p, char *err, size_t err_cap)
{
	char why[256];
	if (!cfg || !p)
		return profile_key_fail(err, err_cap, RC_EINVAL, "no profile");
	rc_profile known;
	p = profile_known(p, &known);
	if (profile_key_validate(p, why, sizeof why) < 0)
		return profile_key_fail(err, err_cap, RC_EINVAL, "profile %s: %s",
					p->name && !check_name(p->name) ? p->name : "(unnamed)", why);
	if (rc_config_find(cfg, p->name))
		return profile_key_fail(err, err_cap, RC_EINVAL, "profile %s already exists", p->name);
	const rc_profile *same = config_find_fold(cfg, p->name);
	if (same)
		return profile_key_fail(err, err_cap, RC_EINVAL, "profile %s already exists "
					"as %s (names differing only in case are one name)",
					p->name, same->name);
	rc_profile tmp = *p;
	tmp.size = sizeof tmp;
	tmp.line = 0;
	if (profile_key_append(cfg, &tmp) < 0)
		return profile_key_fail(err, err_cap, RC_ENOMEM, "out of memory");
	return 0;
}

/* Removes the profile called name.  Returns 0 or RC_ENOENT. */
int rc_config_remove(rc_config *cfg, const char *name)
{
	rc_profile *p = rc_config_find(cfg, name);
	if (!p)
		return RC_ENOENT;
	size_t i = (size_t)(p - cfg->servers);
	profile_key_clear(p);
	memmove(p, p + 1, (cfg->n_servers - i - 1) * sizeof *p);
	cfg->n_servers--;
	struct config_box *b = config_box_of(cfg);
	if (b->idx)
		names_clear(b->idx); /* positions moved: rebuilt on the next find */
	b->idx_n = 0;
	profile_fold_clear(&b->fold);
	b->fold_n = 0;
	return 0;
}

/* Sets the connection options a profile controls (strings point into p). */
void rc_profile_conn_opts(const rc_profile *p, rc_conn_opts *opts, char *port_buf, size_t port_cap)
{
	rc_profile known;
	p = profile_known(p, &known);
	opts->host = p->host;
	opts->name = p->name;
	opts->port = NULL;
	if (port_buf) {
		int n = snprintf(port_buf, port_cap, "%d", p->port);
		if (n > 0 && (size_t)n < port_cap)
			opts->port = port_buf;
	}
	opts->dialect = p->dialect;
	opts->fragments = p->fragments;
	if (p->timeout > 0)
		opts->command_timeout_ms = p->timeout * 1000;
	opts->read_only = opts->read_only || p->read_only;
	/* The profile's list widens the default only when the profile itself
	 * is read-only; otherwise rc_profile_conn_allow() computes the narrower
	 * intersection, and until it does the default applies. */
	opts->allow = NULL;
	opts->n_allow = 0;
	if (p->read_only && p->readonly_allow) {
		opts->allow = (const char *const *)p->readonly_allow;
		opts->n_allow = p->n_allow;
	}
	/* The tunnel, when the caller's structure has room for it.  When it
	 * has none (built before the fields), a tunnelled profile gets no
	 * host: its host is as seen from the tunnel's far end, and a direct
	 * connection to it would hand the password to whatever listens there
	 * on this machine.  rc_conn_new() refuses it (RC_EINVAL). */
	if (core_opts_has(opts, offsetof(rc_conn_opts, proxy_command), sizeof opts->proxy_command)) {
		opts->ssh = p->ssh;
		opts->ssh_options = (const char *const *)p->ssh_options;
		opts->n_ssh_options = p->ssh_options ? p->n_ssh_options : 0;
		opts->proxy_command = p->proxy_command;
	} else if (p->ssh || p->proxy_command) {
		opts->host = NULL;
	}
}

/* Sets opts->allow to the allowlist in force for p (rc_policy_effective). */
int rc_profile_conn_allow(const rc_profile *p, rc_conn_opts *opts, char ***owned)
{
	rc_profile known;
	p = profile_known(p, &known);
	if (!p->readonly_allow) {
		/* The list in force is the default, which a connection given none
		 * uses: no copy (two lists of strings per server otherwise). */
		*owned = NULL;
		opts->allow = NULL;
		opts->n_allow = 0;
		return 0;
	}
	int rc = rc_policy_effective((const char *const *)p->readonly_allow, p->n_allow,
				     p->read_only, owned);
	if (rc < 0)
		return rc;
	opts->allow = (const char *const *)*owned;
	opts->n_allow = 0;
	return 0;
}
