/* app-setting.c: per-server settings looked up in one order — the app's
 * override (a command-line flag), the server's profile, the file's global
 * key, the built-in default — from one table.
 *
 * A profile value is "not set" when negative (its key was not given), or
 * RC_PROFILE_UNSET for a switch; a setting with no global key or no override
 * skips that step. */
#include <stddef.h>

#include "app/app-int.h"

#define SETTING_NONE ((size_t)-1)

/* How a profile or file field is stored. */
enum setting_kind {
	SETTING_INT,      /* int, negative = not set */
	SETTING_SWITCH,   /* int RC_PROFILE_UNSET / _OFF / _ON */
	SETTING_BOOL,     /* bool (the file's command_tree) */
};

/* Where each setting comes from, in lookup order. */
static const struct setting_row {
	size_t prof;                 /* offsetof(rc_profile, ...) */
	enum setting_kind prof_kind;
	size_t file;                 /* offsetof(rc_config, ...), or SETTING_NONE */
	enum setting_kind file_kind;
	int def;
} setting_rows[] = {
	[APP_SET_REFRESH] = { offsetof(rc_profile, refresh), SETTING_INT,
		offsetof(rc_config, refresh), SETTING_INT, RC_DEFAULT_REFRESH },
	[APP_SET_HEALTH_REFRESH] = { offsetof(rc_profile, health_refresh), SETTING_INT,
		offsetof(rc_config, health_refresh), SETTING_INT, RC_DEFAULT_HEALTH_REFRESH },
	[APP_SET_TPS_WARN] = { offsetof(rc_profile, tps_warn), SETTING_INT,
		offsetof(rc_config, tps_warn), SETTING_INT, RC_DEFAULT_TPS_WARN },
	[APP_SET_TPS_CRIT] = { offsetof(rc_profile, tps_crit), SETTING_INT,
		offsetof(rc_config, tps_crit), SETTING_INT, RC_DEFAULT_TPS_CRIT },
	[APP_SET_ALERT_INTERVAL] = { offsetof(rc_profile, alert_interval), SETTING_INT,
		SETTING_NONE, SETTING_INT, APP_DEFAULT_ALERT_INTERVAL },
	[APP_SET_COMMAND_TREE] = { offsetof(rc_profile, command_tree), SETTING_SWITCH,
		offsetof(rc_config, command_tree), SETTING_BOOL, 1 },
};

/* Returns the field of kind k at off in base, or -1 when it is not set. */
static int setting_read(const void *base, size_t off, enum setting_kind k)
{
	const char *at = (const char *)base + off;
	if (k == SETTING_BOOL)
		return *(const bool *)(const void *)at ? 1 : 0;
	int v = *(const int *)(const void *)at;
	if (k == SETTING_SWITCH)
		return v == RC_PROFILE_ON ? 1 : v == RC_PROFILE_OFF ? 0 : -1;
	return v >= 0 ? v : -1;
}

/* Returns the app's override of setting k, or -1 when there is none. */
static int setting_override(const app *a, enum app_setting k)
{
	switch (k) {
	case APP_SET_REFRESH:
		return a->opts.refresh_override >= 0 ? a->opts.refresh_override : -1;
	case APP_SET_HEALTH_REFRESH:
		return a->opts.health_override >= 0 ? a->opts.health_override : -1;
	case APP_SET_COMMAND_TREE:
		return a->opts.no_tree ? 0 : -1;
	default:
		return -1;
	}
}

/* Returns setting k for profile p (NULL: none) in app a (see app-int.h). */
int app_setting(const app *a, const rc_profile *p, enum app_setting k)
{
	const struct setting_row *r = &setting_rows[k];
	int v = a ? setting_override(a, k) : -1;
	if (v < 0 && p)
		v = setting_read(p, r->prof, r->prof_kind);
	if (v < 0 && a && a->cfg && r->file != SETTING_NONE)
		v = setting_read(a->cfg, r->file, r->file_kind);
	return v < 0 ? r->def : v;
}
