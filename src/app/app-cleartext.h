/* app-cleartext.h: whether a server's RCON traffic crosses a network in
 * clear text, and the warning that says so (console log and --status).
 *
 * The connection does not expose the address it resolved (rc_event has no
 * field for it), so the decision is made on the host as written: a numeric
 * address (parsed the way the resolver parses it, inet_aton forms included)
 * is loopback when it is in 127.0.0.0/8, ::1 or ::ffff:127.0.0.0/104; a
 * name is loopback only when it is "localhost" or ends in ".localhost"
 * (RFC 6761), with or without a final dot.  Any other name is taken to be
 * remote, even one that /etc/hosts maps to 127.0.1.1. */
#ifndef RCONSOLE_APP_CLEARTEXT_H
#define RCONSOLE_APP_CLEARTEXT_H

#include <stdbool.h>

#include "rconsole/rconsole.h"

/* Returns true when host is a loopback address or a localhost name. */
bool app_cleartext_loopback(const char *host);
/* Returns the malloc'd warning for profile p (host and name sanitised), or
 * NULL when there is nothing to warn about: a loopback host, or
 * insecure_ok = true in the profile, a tunnel (ssh, proxy_command), or out
 * of memory. */
char *app_cleartext_warning(const rc_profile *p);

#endif
