# tests/integration/local.mk: integration tests that belong to no one part
# of src/ (the parts' own fragments list theirs): each runs the real programs
# against a spawned mcsim over TCP.

# One-shot reply memory: 1 MiB and 8 MiB under 2 MiB above a small reply
# (issue 11).
check_PROGRAMS += tests/integration/test-cli-memory
TESTS += tests/integration/test-cli-memory
tests_integration_test_cli_memory_SOURCES = tests/integration/test-cli-memory.c \
	tests/integration/cli-util.c tests/integration/cli-util.h
tests_integration_test_cli_memory_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_memory_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)

# The one-shot's out-of-memory path end to end: a reply too big to hold
# is cut with a clear message, exit 1, nothing sent twice.  The real
# rconsole's sources, linked with malloc wrapped (tests/support/
# malloc-cap.c): allocations above $$RCONSOLE_TEST_MALLOC_CAP bytes fail.
check_PROGRAMS += tests/integration/rconsole-malloc-cap tests/integration/test-cli-oom
TESTS += tests/integration/test-cli-oom
tests_integration_rconsole_malloc_cap_SOURCES = $(rconsole_SOURCES) tests/support/malloc-cap.c \
    tests/support/wrap-alloc.h
tests_integration_rconsole_malloc_cap_CPPFLAGS = $(rconsole_CPPFLAGS)
tests_integration_rconsole_malloc_cap_CFLAGS = $(rconsole_CFLAGS)
tests_integration_rconsole_malloc_cap_LDADD = $(rconsole_LDADD)
tests_integration_rconsole_malloc_cap_LDFLAGS = $(AM_LDFLAGS) $(RCONSOLE_DEPS_LDFLAGS) \
	-Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
tests_integration_test_cli_oom_SOURCES = tests/integration/test-cli-oom.c $(CLI_TEST_UTIL)
tests_integration_test_cli_oom_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_oom_LDADD = $(CLI_TEST_LIBS)

# Defects found by exploratory QA of the one-shot CLI (ports, stdout write
# errors, --config).
check_PROGRAMS += tests/integration/test-cli-qa
TESTS += tests/integration/test-cli-qa
tests_integration_test_cli_qa_SOURCES = tests/integration/test-cli-qa.c $(CLI_TEST_UTIL)
tests_integration_test_cli_qa_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_qa_LDADD = $(CLI_TEST_LIBS)

# The one-shot under a hard descriptor limit too low for its audit logs:
# nothing sent without its record, a clear refusal naming `ulimit -n`.
check_PROGRAMS += tests/integration/test-cli-fdlimit
TESTS += tests/integration/test-cli-fdlimit
tests_integration_test_cli_fdlimit_SOURCES = tests/integration/test-cli-fdlimit.c $(CLI_TEST_UTIL)
tests_integration_test_cli_fdlimit_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_cli_fdlimit_LDADD = $(CLI_TEST_LIBS)
