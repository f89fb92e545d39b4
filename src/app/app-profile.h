/* app-profile.h: adding a profile to the configuration file from the
 * console (:add, and :save of a -H server).
 *
 * The console asks the questions; this does the file work: it picks the
 * password file <config dir>/<name>.pass (or <name>.2.pass ... when that
 * is taken: never another profile's file, never a file that is there),
 * adds the profile to the app's configuration (checked as the loader would),
 * creates the directory (mode 0700), writes the password file (mode 0600,
 * atomically, never replacing a file) and saves the configuration
 * atomically, keeping a hand-written one as .bak first, merged into the
 * file as it is now when another rconsole or an editor changed it since it
 * was read.  When any step fails, what it wrote is removed and the profile
 * taken out again: a failed add leaves nothing behind (except when only
 * the merge failed: see app_profile_add). */
#ifndef RCONSOLE_APP_PROFILE_H
#define RCONSOLE_APP_PROFILE_H

#include <stddef.h>

#include "app/app.h"

/* Adds p (its name, host, port, tags, read_only; its password_file is set
 * here) with password to a's configuration and saves it, as above;
 * config_path is the configuration file.  When the file changed since it
 * was read (another rconsole's :add, an editor), the profile is added to
 * the file as it is now (rc_config_save_merge) and a's configuration
 * becomes the merged one; note[ncap] then says what came from elsewhere
 * (profiles added there, which are not opened; profiles open here changed
 * or removed there, whose servers keep their settings until restart), ""
 * otherwise.  On success returns 0, the password file's path in pass[pcap]
 * and the backup's in bak[bcap] ("" when none was made).  Returns 1 when
 * the file could not be merged into (it no longer loads: err names its
 * file:line; or it kept changing): the profile and its password file are
 * kept, in memory only, err[cap] says so, and the next app_profile_save()
 * or app_profile_add() carries it.  On any other failure returns -1 with
 * err[cap] saying why (and "nothing was saved" once something had been
 * written), nothing left behind. */
int app_profile_add(app *a, const rc_profile *p, const char *password, const char *config_path,
    char *pass, size_t pcap, char *bak, size_t bcap, char *note, size_t ncap, char *err,
    size_t cap);
/* Saves a's configuration (:save), merged into the file as it is now when
 * that changed since it was read, carrying the profiles kept in memory
 * only; bak[bcap] and note[ncap] as for app_profile_add().  Returns 0, or
 * -1 with err[cap] (those profiles then stay in memory only). */
int app_profile_save(app *a, char *bak, size_t bcap, char *note, size_t ncap, char *err,
    size_t cap);
/* Returns how many profiles added in this console are not in the file yet. */
size_t app_profile_unsaved(const app *a);

#endif
