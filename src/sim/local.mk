# src/sim/local.mk: mcsim — libmcsim.la, the simulator core (also linked in
# process by the console's --demo: link it with libmcsim.la librconsole.la and
# include "sim/sim.h"), the rconsole-mcsim program, and its integration test.
noinst_LTLIBRARIES += libmcsim.la
libmcsim_la_SOURCES = \
	src/sim/sim.c src/sim/sim-conn.c src/sim/sim-reply.c src/sim/sim-cmd.c src/sim/sim-parse.c \
	src/sim/sim-testcmd.c src/sim/sim-health.c src/sim/sim-help.c src/sim/sim-players.c src/sim/sim-buf.c
noinst_HEADERS += src/sim/sim.h src/sim/sim-int.h

bin_PROGRAMS += rconsole-mcsim
rconsole_mcsim_SOURCES = src/sim/main.c
rconsole_mcsim_LDADD = libmcsim.la librconsole.la

check_PROGRAMS += tests/integration/test-mcsim tests/integration/test-mcsim-faults \
	tests/integration/test-mcsim-api
TESTS += tests/integration/test-mcsim tests/integration/test-mcsim-faults \
	tests/integration/test-mcsim-api
tests_integration_test_mcsim_SOURCES = tests/integration/test-mcsim.c
tests_integration_test_mcsim_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_mcsim_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
tests_integration_test_mcsim_faults_SOURCES = tests/integration/test-mcsim-faults.c
tests_integration_test_mcsim_faults_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_mcsim_faults_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
tests_integration_test_mcsim_api_SOURCES = tests/integration/test-mcsim-api.c
tests_integration_test_mcsim_api_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_mcsim_api_LDADD = libmcsim.la libtestsupport.la librconsole.la \
	$(CRITERION_LIBS)
check_PROGRAMS += tests/integration/test-mcsim-health
TESTS += tests/integration/test-mcsim-health
tests_integration_test_mcsim_health_SOURCES = tests/integration/test-mcsim-health.c
tests_integration_test_mcsim_health_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_mcsim_health_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS) -lm

# One process, thousands of servers (issue 11).
check_PROGRAMS += tests/integration/test-mcsim-many
TESTS += tests/integration/test-mcsim-many
tests_integration_test_mcsim_many_SOURCES = tests/integration/test-mcsim-many.c
tests_integration_test_mcsim_many_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_mcsim_many_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
