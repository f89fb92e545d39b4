/* listen.c: a metrics endpoint's "[ADDR:]PORT" (see listen.h): parsing
 * it, and finding out why it cannot be listened on.  Numeric addresses
 * only: the endpoint binds before any name service is asked, and
 * --check-config must refuse exactly what the endpoint would. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "lib/listen.h"

/* Parses the decimal port s (1-65535, digits only) into *port. */
static bool listen_port(const char *s, uint16_t *port)
{
	unsigned long v = 0;

	if (*s == '\0' || strlen(s) > 5)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* Parses spec (see listen.h). */
bool listen_parse(const char *spec, struct sockaddr_storage *sa, socklen_t *salen)
{
	char host[INET6_ADDRSTRLEN + 2] = LISTEN_DEFAULT_ADDR;
	const char *colon = strrchr(spec, ':'), *port = spec;
	struct sockaddr_storage tmp;
	uint16_t p;

	if (!sa)
		sa = &tmp;
	memset(sa, 0, sizeof *sa);
	if (colon) {
		size_t n = (size_t)(colon - spec);
		if (n == 0 || n >= sizeof host)
			return false;
		memcpy(host, spec, n);
		host[n] = '\0';
		port = colon + 1;
		if (host[0] == '[' && n >= 2 && host[n - 1] == ']') {
			memmove(host, host + 1, n - 2);
			host[n - 2] = '\0';
		}
	}
	if (!listen_port(port, &p))
		return false;
	if (strchr(host, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)sa;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		if (salen)
			*salen = sizeof *s6;
		return inet_pton(AF_INET6, host, &s6->sin6_addr) == 1;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)sa;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(p);
	if (salen)
		*salen = sizeof *s4;
	return inet_pton(AF_INET, host, &s4->sin_addr) == 1;
}

/* Binds a socket to sa and closes it (see listen.h). */
int listen_probe(const struct sockaddr_storage *sa, socklen_t salen)
{
	int one = 1, err = 0;
	int fd = socket(sa->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return errno;
	/* As libmicrohttpd sets them: a port left in TIME_WAIT is free, and
	 * [::] does not claim IPv4's port too. */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (sa->ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)sa, salen) < 0 || listen(fd, 1) < 0)
		err = errno;
	close(fd);
	return err;
}
