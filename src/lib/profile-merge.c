/* profile-merge.c: saving a console's edit over a file someone else
 * changed since the console read it (rc_config_save_merge).
 *
 * rc_config_save() refuses to replace such a file, since that would undo
 * what the other writer (a second rconsole's :add, an editor) did.  The
 * console's edits are additions of profiles, so instead of asking for a
 * restart the file is read again, as it is now, the console's new profiles
 * are added to it, and that is saved.  The saver's change check still
 * applies to the fresh read, so a third writer in between makes this round
 * fail and the next one start from that writer's file; after
 * RC_MERGE_TRIES rounds the save gives up.  A fresh file that no longer
 * loads (an editor's syntax error) or that now holds a profile of one of
 * the added names is a clear error and saves nothing: neither side's
 * change is guessed at. */
#include <stdio.h>
#include <string.h>

#include "rconsole/error.h"
#include "lib/profile-int.h"

/* Adds to fresh a copy of each profile of cfg named in added[n]; returns
 * 0, or an error naming the clash with what the file now holds. */
static int merge_apply(rc_config *cfg, rc_config *fresh, const char *const *added, size_t n,
		       char *err, size_t cap)
{
	for (size_t i = 0; i < n; i++) {
		const rc_profile *p = added[i] ? rc_config_find(cfg, added[i]) : NULL;
		char why[512];
		if (!p)
			return profile_key_fail(err, cap, RC_EINVAL, "cannot save %s: no profile %s "
						"to add", cfg->path, added[i] ? added[i] : "(null)");
		int rc = rc_config_add(fresh, p, why, sizeof why);
		if (rc == RC_ENOMEM)
			return profile_key_fail(err, cap, rc, "out of memory");
		if (rc < 0)
			return profile_key_fail(err, cap, rc, "cannot save %s: it has changed since "
						"rconsole read it and now holds a profile of the "
						"same name: %s; nothing was saved", cfg->path, why);
	}
	return 0;
}

/* Saves cfg, merging its added profiles into the file as it is now when
 * it changed since it was read (see profile.h). */
int rc_config_save_merge(rc_config *cfg, const char *const *added, size_t n_added,
			 rc_config **old, char *bak, size_t bak_cap, char *err, size_t err_cap)
{
	if (old)
		*old = NULL;
	int rc = rc_config_save_backup(cfg, bak, bak_cap, err, err_cap);
	/* RC_ECONFIG from the saver is its change check and nothing else. */
	if (rc != RC_ECONFIG)
		return rc;
	for (int round = 0; round < RC_MERGE_TRIES; round++) {
		rc_config *fresh = NULL;
		char why[1024];
		rc = rc_config_load(cfg->path, &fresh, why, sizeof why);
		if (rc == RC_ENOMEM)
			return profile_key_fail(err, err_cap, rc, "out of memory");
		if (rc < 0)
			return profile_key_fail(err, err_cap, RC_ECONFIG, "cannot save %s: it has "
						"changed since rconsole read it and no longer loads: "
						"%s; nothing was saved", cfg->path, why);
		rc = merge_apply(cfg, fresh, added, n_added, err, err_cap);
		if (rc == 0)
			rc = rc_config_save_backup(fresh, bak, bak_cap, err, err_cap);
		if (rc == 0) {
			profile_config_swap(cfg, fresh);
			if (old)
				*old = fresh;
			else
				rc_config_free(fresh);
			return 0;
		}
		rc_config_free(fresh);
		if (rc != RC_ECONFIG)
			return rc;
	}
	return profile_key_fail(err, err_cap, RC_ECONFIG, "cannot save %s: it kept changing while "
				"rconsole added this console's profiles to it (%d tries); nothing "
				"was saved", cfg->path, RC_MERGE_TRIES);
}
