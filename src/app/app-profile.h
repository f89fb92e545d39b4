/* app-profile.h: adding a profile to the configuration file from the
 * console (:add, and :save of a -H server).
 *
 * The console asks the questions; this does the file work: it picks the
 * password file <config dir>/<name>.pass (or <name>.2.pass ... when that
 * is taken: never another profile's file, never a file that is there),
 * adds the profile to the app's configuration (checked as the loader would),
 * creates the directory (mode 0700), writes the password file (mode 0600,
 * atomically, never replacing a file) and saves the configuration
 * atomically, keeping a hand-written one as .bak first.  When any step
 * fails, what it wrote is removed and the profile taken out again: a failed
 * add leaves nothing behind. */
#ifndef RCONSOLE_APP_PROFILE_H
#define RCONSOLE_APP_PROFILE_H

#include <stddef.h>

#include "app/app.h"

/* Adds p (its name, host, port, tags, read_only; its password_file is set
 * here) with password to a's configuration and saves it, as above;
 * config_path is the configuration file.  On success returns 0, the
 * password file's path in pass[pcap] and the backup's in bak[bcap] ("" when
 * none was made).  On failure returns -1 with err[cap] saying why (and
 * "nothing was saved" once something had been written). */
int app_profile_add(app *a, const rc_profile *p, const char *password, const char *config_path,
    char *pass, size_t pcap, char *bak, size_t bcap, char *err, size_t cap);

#endif
