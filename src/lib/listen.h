/* listen.h: the "[ADDR:]PORT" address a metrics endpoint listens on
 * (--metrics, metrics_listen), parsed by one rule for the configuration
 * check and for the endpoint itself (internal to the programs, not part of
 * the installed API). */
#ifndef RCONSOLE_LISTEN_H
#define RCONSOLE_LISTEN_H

#include <stdbool.h>
#include <sys/socket.h>

/* The address used when spec names only a port. */
#define LISTEN_DEFAULT_ADDR "127.0.0.1"

/* Parses spec, "[ADDR:]PORT": ADDR a numeric IPv4 address or an IPv6 one
 * (in brackets, or bare when a port follows), LISTEN_DEFAULT_ADDR when
 * absent; PORT 1-65535 in decimal digits.  Fills sa and *salen (either may
 * be NULL to check only).  Returns false when spec is not such an address. */
bool listen_parse(const char *spec, struct sockaddr_storage *sa, socklen_t *salen);
/* Returns why a listening socket cannot be bound to sa now (an errno:
 * EADDRINUSE, EADDRNOTAVAIL, EACCES...), or 0 when it can: binds a socket
 * as an HTTP server would (SO_REUSEADDR; IPv6 only for an IPv6 address)
 * and closes it again.  For the message after a server failed to start. */
int listen_probe(const struct sockaddr_storage *sa, socklen_t salen);

#endif
