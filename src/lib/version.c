/* version.c: the engine library's version, for `rconsole --version` and for
 * programs that link the library and want to report what they run on. */
#include "rconsole/version.h"

/* Returns the library's version. */
const char *rc_version(void)
{
	return PACKAGE_VERSION;
}
