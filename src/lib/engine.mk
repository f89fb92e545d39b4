# src/lib/engine.mk: the engine connection layer — resolver, connection state
# machine and reassembly, read-only policy — and their unit tests.
librconsole_la_SOURCES += src/lib/resolve.c src/lib/core.c src/lib/core-reasm.c src/lib/conn.c \
	src/lib/conn-io.c src/lib/policy.c src/lib/client.c src/lib/client-cmd.c \
	src/lib/tunnel.c src/lib/session.c
noinst_HEADERS += src/lib/conn-internal.h src/lib/core.h src/lib/core-int.h src/lib/resolve-int.h \
	src/lib/tunnel-int.h src/lib/policy-int.h

check_PROGRAMS += tests/unit/test-policy tests/unit/test-resolve tests/unit/test-conn \
	tests/unit/test-conn-reasm
TESTS += tests/unit/test-policy tests/unit/test-resolve tests/unit/test-conn \
	tests/unit/test-conn-reasm

tests_unit_test_policy_SOURCES = tests/unit/test-policy.c
tests_unit_test_policy_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_policy_LDADD = librconsole.la $(CRITERION_LIBS)

tests_unit_test_resolve_SOURCES = tests/unit/test-resolve.c
tests_unit_test_resolve_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_resolve_LDFLAGS = -Wl,--wrap=pthread_create
tests_unit_test_resolve_LDADD = librconsole.la $(CRITERION_LIBS)

# The scripted peer (test-conn-peer.c) is a helper, not a test of its own.
tests_unit_test_conn_SOURCES = tests/unit/test-conn.c tests/unit/test-conn-peer.c \
	tests/unit/test-conn-peer.h
tests_unit_test_conn_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_conn_LDFLAGS = -Wl,--wrap=getaddrinfo -Wl,--wrap=freeaddrinfo
tests_unit_test_conn_LDADD = librconsole.la $(CRITERION_LIBS)

tests_unit_test_conn_reasm_SOURCES = tests/unit/test-conn-reasm.c tests/unit/test-conn-peer.c \
	tests/unit/test-conn-peer.h
tests_unit_test_conn_reasm_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_conn_reasm_LDADD = librconsole.la $(CRITERION_LIBS)

# The I/O-free core, tested with byte strings and a fake clock (no sockets).
check_PROGRAMS += tests/unit/test-core
TESTS += tests/unit/test-core
tests_unit_test_core_SOURCES = tests/unit/test-core.c
tests_unit_test_core_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -I$(top_srcdir)/src/lib
tests_unit_test_core_LDADD = librconsole.la $(CRITERION_LIBS)

# The blocking client and the adapter interface against a real mcsim.
check_PROGRAMS += tests/integration/test-client
TESTS += tests/integration/test-client
tests_integration_test_client_SOURCES = tests/integration/test-client.c
tests_integration_test_client_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -I$(top_srcdir)/src/lib
tests_integration_test_client_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)

# The installed library as a third party builds against it (make install
# into a scratch DESTDIR, pkg-config, nm -D, headers alone as C11 and C++).
TESTS += tests/abi/installed.sh
EXTRA_DIST += tests/abi/installed.sh tests/abi/installed-client.c

# A program built against rc_adapter's first layout, linked to the library
# built against headers whose table has grown (the size contract, adapter.h).
TESTS += tests/abi/adapter-size.sh
EXTRA_DIST += tests/abi/adapter-size.sh tests/abi/adapter-caller.c

# Tunnels (ssh -W, proxy_command): the child, the profile keys; the end to
# end tests against a real sshd are scripts (tests/tunnel/).
check_PROGRAMS += tests/unit/test-tunnel tests/unit/test-profile-tunnel
TESTS += tests/unit/test-tunnel tests/unit/test-profile-tunnel
tests_unit_test_tunnel_SOURCES = tests/unit/test-tunnel.c
tests_unit_test_tunnel_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -I$(top_srcdir)/src/lib
tests_unit_test_tunnel_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_profile_tunnel_SOURCES = tests/unit/test-profile-tunnel.c
tests_unit_test_profile_tunnel_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_profile_tunnel_LDADD = librconsole.la $(CRITERION_LIBS) $(PTHREAD_LIBS)
TUNNEL_TESTS = tests/tunnel/cli.sh tests/tunnel/console.sh
TESTS += $(TUNNEL_TESTS)
EXTRA_DIST += tests/tunnel/sshd.sh $(TUNNEL_TESTS)

# The session (several servers, queues in order) against real mcsim processes.
check_PROGRAMS += tests/integration/test-session
TESTS += tests/integration/test-session
tests_integration_test_session_SOURCES = tests/integration/test-session.c
tests_integration_test_session_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_session_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
# What a connection asks of its loop per command (issue 11): a counting adapter.
check_PROGRAMS += tests/integration/test-conn-io
TESTS += tests/integration/test-conn-io
tests_integration_test_conn_io_SOURCES = tests/integration/test-conn-io.c
tests_integration_test_conn_io_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_conn_io_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
# A tunnel that ends never blocks the loop (issue 11): a proxy command
# beside a direct connection on one rc_loop.
check_PROGRAMS += tests/integration/test-conn-tunnel
TESTS += tests/integration/test-conn-tunnel
tests_integration_test_conn_tunnel_SOURCES = tests/integration/test-conn-tunnel.c
tests_integration_test_conn_tunnel_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS) -I$(top_srcdir)/src/lib
tests_integration_test_conn_tunnel_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
# The session when memory runs out as queued commands fail: malloc, calloc
# and realloc wrapped (--wrap) so the test can make them fail.
check_PROGRAMS += tests/integration/test-session-oom
TESTS += tests/integration/test-session-oom
tests_integration_test_session_oom_SOURCES = tests/integration/test-session-oom.c \
    tests/support/starve.c tests/support/starve.h tests/support/wrap-alloc.h
tests_integration_test_session_oom_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_session_oom_LDFLAGS = -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
tests_integration_test_session_oom_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
