# src/lib/local.mk: the engine library core (codec, loop, errors) and headers.
lib_LTLIBRARIES += librconsole.la
librconsole_la_SOURCES = src/lib/error.c src/lib/packet.c src/lib/loop.c
librconsole_la_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS)
librconsole_la_LIBADD = $(LIBCONFIG_LIBS) $(PTHREAD_LIBS)
librconsole_la_LDFLAGS = -version-info 0:0:0 -no-undefined $(AM_LDFLAGS)

rconsoleincludedir = $(includedir)/rconsole
rconsoleinclude_HEADERS = \
	include/rconsole/error.h include/rconsole/packet.h include/rconsole/loop.h \
	include/rconsole/resolve.h include/rconsole/conn.h include/rconsole/adapter.h include/rconsole/client.h \
	include/rconsole/policy.h \
	include/rconsole/mc.h include/rconsole/profile.h include/rconsole/rconsole.h

check_PROGRAMS += tests/unit/test-packet tests/unit/test-loop
TESTS += tests/unit/test-packet tests/unit/test-loop
tests_unit_test_packet_SOURCES = tests/unit/test-packet.c
tests_unit_test_packet_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_packet_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_loop_SOURCES = tests/unit/test-loop.c
tests_unit_test_loop_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_loop_LDADD = librconsole.la $(CRITERION_LIBS)
