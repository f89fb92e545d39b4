/* test-resolve.c: numeric and named lookups, callbacks only from the loop,
 * cancellation, a helper thread that cannot start, and host:port
 * splitting.  pthread_create is wrapped (--wrap) so that a test can make
 * it fail as it does when the process is out of threads. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "rconsole/error.h"
#include "rconsole/resolve.h"

struct got {
	int calls;
	int err;
	int family;
	int port;
	char cause[160];
	bool inside_start;     /* set while rc_resolve_start() runs */
	bool called_inside;
};

/* When set, pthread_create fails with EAGAIN (the library's calls only). */
static bool threads_fail;

int __real_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *),
    void *arg);

/* The library's pthread_create: the real one, or EAGAIN when threads_fail. */
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *),
    void *arg)
{
	if (threads_fail)
		return EAGAIN;
	return __real_pthread_create(t, a, fn, arg);
}

/* Records one resolver callback and frees its list. */
static void on_resolved(void *arg, int err, struct addrinfo *ai, const char *cause)
{
	struct got *g = arg;
	g->calls++;
	g->err = err;
	g->called_inside |= g->inside_start;
	if (ai) {
		g->family = ai->ai_family;
		if (ai->ai_family == AF_INET)
			g->port = ntohs(((struct sockaddr_in *)ai->ai_addr)->sin_port);
		else if (ai->ai_family == AF_INET6)
			g->port = ntohs(((struct sockaddr_in6 *)ai->ai_addr)->sin6_port);
		cr_assert_eq(ai->ai_socktype, SOCK_STREAM);
		freeaddrinfo(ai);
	}
	if (cause)
		strncpy(g->cause, cause, sizeof g->cause - 1);
}

/* Runs the loop until the callback ran or timeout_ms passed. */
static void wait_called(rc_loop *l, struct got *g, int timeout_ms)
{
	int64_t end = rc_now_ms() + timeout_ms;
	while (g->calls == 0 && rc_now_ms() < end)
		rc_loop_run_once(l, 20);
}

/* Resolves host:port and returns what the callback saw. */
static struct got resolve(const char *host, const char *port, int timeout_ms)
{
	rc_loop *l = rc_loop_new();
	struct got g = { 0 };
	g.inside_start = true;
	rc_resolve *r = rc_resolve_start(l, host, port, on_resolved, &g);
	g.inside_start = false;
	cr_assert_not_null(r);
	cr_assert_eq(g.calls, 0, "no callback from inside rc_resolve_start");
	wait_called(l, &g, timeout_ms);
	cr_assert_eq(g.calls, 1);
	cr_assert_not(g.called_inside);
	rc_loop_free(l);
	return g;
}

/* One timeout for every test here (Criterion 2.4.1 leaks when they differ). */
TestSuite(resolve, .timeout = 90);

Test(resolve, numeric_ipv4)
{
	struct got g = resolve("127.0.0.1", "25575", 5000);
	cr_assert_eq(g.err, 0);
	cr_assert_eq(g.family, AF_INET);
	cr_assert_eq(g.port, 25575);
}

Test(resolve, numeric_ipv6)
{
	struct got g = resolve("::1", "1234", 5000);
	cr_assert_eq(g.err, 0);
	cr_assert_eq(g.family, AF_INET6);
	cr_assert_eq(g.port, 1234);
}

Test(resolve, localhost_by_name)
{
	struct got g = resolve("localhost", "25575", 30000);
	cr_assert_eq(g.err, 0, "cause: %s", g.cause);
	cr_assert(g.family == AF_INET || g.family == AF_INET6);
	cr_assert_eq(g.port, 25575);
}

Test(resolve, unknown_name_fails_through_callback)
{
	struct got g = resolve("no-such-host.invalid", "25575", 60000);
	cr_assert_eq(g.err, RC_ERESOLVE);
	cr_assert_gt(strlen(g.cause), 0);
	cr_assert_not_null(strstr(g.cause, "no-such-host.invalid"), "cause: %s", g.cause);
}

Test(resolve, empty_name_fails)
{
	struct got g = resolve("", "25575", 5000);
	cr_assert_eq(g.err, RC_ERESOLVE);
}

Test(resolve, cancelled_lookups_never_call_back)
{
	rc_loop *l = rc_loop_new();
	struct got g = { 0 };
	/* Threaded lookups cancelled at once, and numeric ones too. */
	for (int i = 0; i < 20; i++) {
		rc_resolve *r = rc_resolve_start(l, i % 2 ? "localhost" : "127.0.0.1", "1", on_resolved, &g);
		cr_assert_not_null(r);
		rc_resolve_cancel(r);
	}
	/* And one cancelled after its thread certainly finished. */
	rc_resolve *r = rc_resolve_start(l, "localhost", "1", on_resolved, &g);
	int64_t end = rc_now_ms() + 300;
	while (rc_now_ms() < end)
		rc_loop_run_once(l, 20);
	cr_assert_leq(g.calls, 1);
	if (g.calls == 0)
		rc_resolve_cancel(r);
	int before = g.calls;
	end = rc_now_ms() + 300;
	while (rc_now_ms() < end)
		rc_loop_run_once(l, 20);
	cr_assert_eq(g.calls, before, "a cancelled lookup called back");
	rc_resolve_cancel(NULL);
	rc_loop_free(l);
}

/* Inline text: Criterion runs each case in a fresh process. */
struct split_case {
	char in[32];
	int rc;
	char host[32];
	char port[8];
};

ParameterizedTestParameters(resolve, hostport_split)
{
	static struct split_case cases[] = {
		{ "mc.example.net", 0, "mc.example.net", "25575" },
		{ "mc.example.net:1234", 0, "mc.example.net", "1234" },
		{ "10.0.0.5:25575", 0, "10.0.0.5", "25575" },
		{ "[::1]:25575", 0, "::1", "25575" },
		{ "[::1]", 0, "::1", "25575" },
		{ "::1", 0, "::1", "25575" },
		{ "2001:db8::7", 0, "2001:db8::7", "25575" },
		{ "[2001:db8::7]:65535", 0, "2001:db8::7", "65535" },
		{ "fe80::1%eth0", 0, "fe80::1%eth0", "25575" },
		{ "host:", RC_EINVAL, "", "" },
		{ ":25575", RC_EINVAL, "", "" },
		{ "host:0", RC_EINVAL, "", "" },
		{ "host:65536", RC_EINVAL, "", "" },
		{ "host:12a", RC_EINVAL, "", "" },
		{ "host:-1", RC_EINVAL, "", "" },
		{ "[::1", RC_EINVAL, "", "" },
		{ "[::1]x", RC_EINVAL, "", "" },
		{ "[::1]:", RC_EINVAL, "", "" },
		{ "[]:25575", RC_EINVAL, "", "" },
		{ "::1]", RC_EINVAL, "", "" },
		{ "", RC_EINVAL, "", "" },
		{ "a b", RC_EINVAL, "", "" },
		{ "http://x", RC_EINVAL, "", "" },
	};
	return cr_make_param_array(struct split_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct split_case *sc, resolve, hostport_split)
{
	char host[64], port[8];
	int rc = rc_hostport_split(sc->in, "25575", host, sizeof host, port, sizeof port);
	cr_assert_eq(rc, sc->rc, "\"%s\": %d", sc->in, rc);
	if (rc == 0) {
		cr_assert_str_eq(host, sc->host);
		cr_assert_str_eq(port, sc->port);
	}
}

Test(resolve, hostport_split_respects_buffer_sizes)
{
	char host[4], port[8];
	cr_assert_eq(rc_hostport_split("abcd", "1", host, sizeof host, port, sizeof port), RC_EINVAL);
	cr_assert_eq(rc_hostport_split("abc", "1", host, sizeof host, port, sizeof port), 0);
	cr_assert_str_eq(host, "abc");
	cr_assert_eq(rc_hostport_split("abc:12345", NULL, host, sizeof host, port, 5), RC_EINVAL);
	cr_assert_eq(rc_hostport_split("abc", NULL, host, sizeof host, port, sizeof port), 0);
	cr_assert_str_eq(port, "25575");
}

Test(resolve, a_lookup_whose_thread_cannot_start_says_why)
{
	/* Out of threads (10,000 servers resolving at once can get there): the
	 * lookup fails with pthread_create's reason, not with whatever errno
	 * happened to hold. */
	threads_fail = true;
	errno = ENOENT;
	struct got g = resolve("localhost", "25575", 5000);
	threads_fail = false;
	cr_assert_eq(g.err, RC_ERESOLVE);
	cr_assert_str_eq(g.cause, "localhost: cannot start the resolver: Resource temporarily "
	    "unavailable");
}

Test(resolve, a_lookup_cancelled_after_its_loop_was_freed)
{
	/* The lookup's pipe is still watched when the loop goes; cancelling it
	 * afterwards used to reach into the freed loop.  Freed memory is made
	 * garbage at once (glibc) so that shows as a crash. */
#ifdef M_PERTURB
	mallopt(M_PERTURB, 0xa5);
#endif
	rc_loop *l = rc_loop_new();
	struct got g = { 0 };
	rc_resolve *named = rc_resolve_start(l, "localhost", "1", on_resolved, &g);
	rc_resolve *numeric = rc_resolve_start(l, "127.0.0.1", "1", on_resolved, &g);
	cr_assert_not_null(named);
	cr_assert_not_null(numeric);
	rc_loop_free(l);
	rc_resolve_cancel(named);
	rc_resolve_cancel(numeric);
	cr_assert_eq(g.calls, 0);
}
