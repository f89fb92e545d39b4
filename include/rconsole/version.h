/* version.h: the versions of the engine library and of what it is built on. */
#ifndef RCONSOLE_VERSION_H
#define RCONSOLE_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the library's version, e.g. "0.1.0" (a static string). */
const char *rc_version(void);
/* Returns the version of libconfig the profile module was built with,
 * e.g. "1.5.0" (a static string). */
const char *rc_libconfig_version(void);

#ifdef __cplusplus
}
#endif

#endif
