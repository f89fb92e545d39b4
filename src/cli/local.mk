# src/cli/local.mk: the rconsole program and its command-line integration tests.
bin_PROGRAMS += rconsole
rconsole_SOURCES = src/cli/main.c src/cli/options.c src/cli/options.h \
	src/cli/target.c src/cli/target.h src/cli/oneshot.c src/cli/oneshot.h \
	src/cli/console.c src/cli/console.h \
	src/cli/cmdsource.c src/cli/cmdsource.h src/cli/output.c src/cli/output.h \
	src/cli/metrics.c src/cli/metrics.h
rconsole_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
# No $(MHD_LIBS): metrics.c dlopens libmicrohttpd.  $(RCONSOLE_DEPS_LIBS) is
# $(CURSES_LIBS), or with --enable-static-deps the static archives of
# ncursesw, tinfo and libconfig (configure.ac says how).
rconsole_LDADD = libtui.la libapp.la libmcsim.la librconsole.la $(RCONSOLE_DEPS_LIBS) \
	-lpthread
rconsole_LDFLAGS = $(AM_LDFLAGS) $(RCONSOLE_DEPS_LDFLAGS)
rconsole_CPPFLAGS = $(AM_CPPFLAGS) -DRC_PKGLIBEXECDIR='"$(pkglibexecdir)"'
rconsole_SOURCES += src/cli/twin.c src/cli/twin.h
# --enable-static-libc (configure.ac): rconsole is a static PIE, and its
# twin rconsole-dynamic, the same sources linked as before, runs the
# console, --demo and --metrics (src/cli/twin.c says why).
if STATIC_LIBC
rconsole_LDFLAGS += -static-pie
pkglibexec_PROGRAMS = rconsole-dynamic
rconsole_dynamic_SOURCES = $(rconsole_SOURCES)
rconsole_dynamic_CPPFLAGS = $(rconsole_CPPFLAGS) -DRC_DYNAMIC_TWIN
rconsole_dynamic_CFLAGS = $(rconsole_CFLAGS)
rconsole_dynamic_LDADD = $(rconsole_LDADD)
rconsole_dynamic_LDFLAGS = $(AM_LDFLAGS) $(RCONSOLE_DEPS_LDFLAGS)
endif

CLI_TESTS = tests/integration/test-cli tests/integration/test-cli-faults \
	tests/integration/test-cli-profiles tests/integration/test-cli-tty \
	tests/integration/test-conn-mcsim
check_PROGRAMS += $(CLI_TESTS)
TESTS += $(CLI_TESTS)
CLI_TEST_UTIL = tests/integration/cli-util.c tests/integration/cli-util.h
CLI_TEST_LIBS = libtestsupport.la librconsole.la $(CRITERION_LIBS)
tests_integration_test_cli_SOURCES = tests/integration/test-cli.c $(CLI_TEST_UTIL)
tests_integration_test_cli_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_LDADD = $(CLI_TEST_LIBS)
tests_integration_test_cli_faults_SOURCES = tests/integration/test-cli-faults.c $(CLI_TEST_UTIL)
tests_integration_test_cli_faults_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_faults_LDADD = $(CLI_TEST_LIBS)
tests_integration_test_cli_profiles_SOURCES = tests/integration/test-cli-profiles.c $(CLI_TEST_UTIL)
tests_integration_test_cli_profiles_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_profiles_LDADD = $(CLI_TEST_LIBS)
tests_integration_test_cli_tty_SOURCES = tests/integration/test-cli-tty.c $(CLI_TEST_UTIL)
tests_integration_test_cli_tty_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_tty_LDADD = $(CLI_TEST_LIBS)
tests_integration_test_conn_mcsim_SOURCES = tests/integration/test-conn-mcsim.c
tests_integration_test_conn_mcsim_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_conn_mcsim_LDADD = $(CLI_TEST_LIBS)

# What becomes of the password (core dumps, password file modes).
check_PROGRAMS += tests/integration/test-cli-secrets
TESTS += tests/integration/test-cli-secrets
tests_integration_test_cli_secrets_SOURCES = tests/integration/test-cli-secrets.c $(CLI_TEST_UTIL)
tests_integration_test_cli_secrets_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_secrets_LDADD = $(CLI_TEST_LIBS)

# -c - streaming and the one-shot output's bytes (issue 7).
CLI_STDIN_TESTS = tests/integration/test-cli-stdin
check_PROGRAMS += $(CLI_STDIN_TESTS)
TESTS += $(CLI_STDIN_TESTS)
tests_integration_test_cli_stdin_SOURCES = tests/integration/test-cli-stdin.c $(CLI_TEST_UTIL)
tests_integration_test_cli_stdin_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_stdin_LDADD = $(CLI_TEST_LIBS)
check_PROGRAMS += tests/unit/test-cli-cmdsource
TESTS += tests/unit/test-cli-cmdsource
tests_unit_test_cli_cmdsource_SOURCES = tests/unit/test-cli-cmdsource.c src/cli/cmdsource.c
tests_unit_test_cli_cmdsource_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_cli_cmdsource_LDADD = $(CRITERION_LIBS)
# The JSON writer of --status --json and --players --json.
rconsole_SOURCES += src/cli/json.c src/cli/json.h

# Issue 10's command-line habits (--tag/--all, mcrcon's form, --json, ...).
CLI_HABITS_TESTS = tests/integration/test-cli-habits
check_PROGRAMS += $(CLI_HABITS_TESTS)
TESTS += $(CLI_HABITS_TESTS)
tests_integration_test_cli_habits_SOURCES = tests/integration/test-cli-habits.c $(CLI_TEST_UTIL)
tests_integration_test_cli_habits_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_habits_LDADD = $(CLI_TEST_LIBS)
check_PROGRAMS += tests/unit/test-cli-json
TESTS += tests/unit/test-cli-json
tests_unit_test_cli_json_SOURCES = tests/unit/test-cli-json.c src/cli/json.c
tests_unit_test_cli_json_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_cli_json_LDADD = librconsole.la $(CRITERION_LIBS)

# rconsole --metrics with promtool and a real Prometheus (issue 12).
TESTS += tests/integration/metrics.sh
EXTRA_DIST += tests/integration/metrics.sh
# An endpoint that cannot listen says why (the system's reason).
TESTS += tests/integration/metrics-listen.sh
EXTRA_DIST += tests/integration/metrics-listen.sh
# Label values are valid UTF-8 whatever a server's name holds.
TESTS += tests/integration/metrics-labels.sh
EXTRA_DIST += tests/integration/metrics-labels.sh
# A reply streamed as its fragments arrive is what the whole reply gives (issue 11).
check_PROGRAMS += tests/unit/test-cli-output
TESTS += tests/unit/test-cli-output
tests_unit_test_cli_output_SOURCES = tests/unit/test-cli-output.c src/cli/output.c
tests_unit_test_cli_output_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_cli_output_LDADD = librconsole.la $(CRITERION_LIBS)

# The one-shot runner on the library's session (issue 9): the next command
# goes out before a reply is printed.
check_PROGRAMS += tests/integration/test-cli-session
TESTS += tests/integration/test-cli-session
tests_integration_test_cli_session_SOURCES = tests/integration/test-cli-session.c $(CLI_TEST_UTIL)
tests_integration_test_cli_session_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_session_LDADD = $(CLI_TEST_LIBS)
