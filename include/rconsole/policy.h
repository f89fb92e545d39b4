/* policy.h: the read-only allowlist.
 *
 * A command is allowed when its words (after an optional leading '/',
 * split on single spaces, ASCII letters compared without regard to case)
 * equal an entry's words, are followed by at most one more word when the
 * entry ends in " ?", or by any words when it ends in " *".  Commands holding
 * control characters (C0, DEL, C1, NEL), U+2028/U+2029, invalid UTF-8, or
 * non-ASCII bytes in the words compared are refused (see policy.c). */
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

/* Computes the allowlist in force for one server: see rconsole.conf(5), READ-ONLY RULES.
 * own is the profile's readonly_allow (NULL: none; n 0: read up to a NULL).
 * own_read_only: the profile itself sets read_only = true, so own is used as
 * written.  Otherwise read-only comes from the --read-only flag or the demo
 * and the result is the exact intersection of the default list and own: a
 * command passes only when both would let it through (so the flag can only
 * narrow).  With own NULL the result is the default list.
 * Returns 0 and *out, a NULL-terminated list (possibly empty: nothing is
 * allowed) the caller frees with rc_policy_list_free(), or RC_ENOMEM. */
int rc_policy_effective(const char *const *own, size_t n, bool own_read_only, char ***out);
/* Frees a list from rc_policy_effective().  NULL is a no-op. */
void rc_policy_list_free(char **list);
/* Returns true when a readonly_allow entry still allows something once met
 * with the default list (so front ends can say which entries the flag
 * drops: "op *" is dropped, "list" and "time query *" are kept). */
bool rc_policy_entry_kept(const char *entry);

#ifdef __cplusplus
}
#endif
#endif
