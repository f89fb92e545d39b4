/* policy.h: the read-only allowlist.
 *
 * A command is allowed when its words (after an optional leading '/',
 * split on spaces, compared without regard to case) equal an entry's words,
 * or start with them when the entry ends in " *". */
#ifndef RCONSOLE_POLICY_H
#define RCONSOLE_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The default allowlist, NULL-terminated. */
extern const char *const rc_policy_default[];
/* Number of entries in rc_policy_default. */
size_t rc_policy_default_count(void);

/* Returns true when cmd matches an entry of allow[n] (NULL = the default). */
bool rc_policy_allows(const char *const *allow, size_t n, const char *cmd);

#ifdef __cplusplus
}
#endif
#endif
