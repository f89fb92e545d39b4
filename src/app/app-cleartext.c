/* app-cleartext.c: the clear-text warning for servers reached over a
 * network without a tunnel (see app-cleartext.h for the rules). */
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "app/app-cleartext.h"
#include "app/app-int.h"

/* Returns true when addr is a loopback address (v4, v6, or v4-mapped). */
static bool cleartext_addr_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_LOOPBACK(a))
			return true;
		return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
	}
	return false;
}

/* Returns true for "localhost" and "*.localhost", a final dot allowed. */
static bool cleartext_name_local(const char *host)
{
	size_t n = strlen(host);
	if (n > 0 && host[n - 1] == '.')
		n--;
	static const char word[] = "localhost";
	size_t w = sizeof word - 1;
	if (n < w || strncasecmp(host + n - w, word, w) != 0)
		return false;
	return n == w || host[n - w - 1] == '.';
}

/* Returns true when host is a loopback address or a localhost name. */
bool app_cleartext_loopback(const char *host)
{
	if (!host || !*host)
		return false;
	struct addrinfo hints, *ai = NULL;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST;    /* never a lookup: this may run on the loop */
	if (getaddrinfo(host, NULL, &hints, &ai) != 0)
		return cleartext_name_local(host);
	bool all = ai != NULL;
	for (const struct addrinfo *p = ai; p; p = p->ai_next)
		all = all && cleartext_addr_loopback(p->ai_addr);
	freeaddrinfo(ai);
	return all;
}

/* Returns the malloc'd warning for profile p, or NULL (none through a
 * tunnel: ssh or proxy_command carry the traffic, not a direct socket). */
char *app_cleartext_warning(const rc_profile *p)
{
	if (!p || p->insecure_ok || p->ssh || p->proxy_command || app_cleartext_loopback(p->host))
		return NULL;
	char *host = rc_text_sanitize(p->host ? p->host : "", p->host ? strlen(p->host) : 0, "",
	    NULL);
	char *out = NULL;
	if (host && asprintf(&out, "warning: %s is not a loopback address: the RCON password and "
	    "every command cross the network unencrypted. Reach it through an SSH tunnel with "
	    "ssh = \"user@host\" in its profile (RCON bound to 127.0.0.1 there), or set "
	    "insecure_ok = true in the profile to silence this", host) < 0)
		out = NULL;
	free(host);
	return out;
}

/* Writes the clear-text warning into s's transcript the first time. */
void app_cleartext_tell(app_srv *s)
{
	if (s->cleartext_told)
		return;
	s->cleartext_told = true;
	char *w = app_cleartext_warning(s->pub.profile);
	if (w)
		app_push(s, APP_LINE_ERROR, w, strlen(w));
	free(w);
}
