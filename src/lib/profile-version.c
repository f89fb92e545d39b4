/* profile-version.c: the libconfig version the profile module is built with
 * (libconfig offers no run-time query; its header's numbers are the ones the
 * library was compiled against).  Only profile*.c include libconfig. */
#include <libconfig.h>

#include "rconsole/version.h"

#define RC_STR2(x) #x
#define RC_STR(x) RC_STR2(x)

/* Returns the version of libconfig the profile module was built with. */
const char *rc_libconfig_version(void)
{
	return RC_STR(LIBCONFIG_VER_MAJOR) "." RC_STR(LIBCONFIG_VER_MINOR) "."
	    RC_STR(LIBCONFIG_VER_REVISION);
}
