# src/lib/mc.mk: the Minecraft layer (player lists, § codes, command
# builders) and terminal-safe text, with their unit tests.
librconsole_la_SOURCES += src/lib/mc-list.c src/lib/mc-color.c src/lib/mc-cmd.c src/lib/text.c \
	src/lib/mc-health.c src/lib/mc-usage.c
noinst_HEADERS += src/lib/mc-int.h

check_PROGRAMS += tests/unit/test-mc-list tests/unit/test-mc-color tests/unit/test-mc-cmd \
	tests/unit/test-text
TESTS += tests/unit/test-mc-list tests/unit/test-mc-color tests/unit/test-mc-cmd \
	tests/unit/test-text
tests_unit_test_mc_list_SOURCES = tests/unit/test-mc-list.c
tests_unit_test_mc_list_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_mc_list_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_mc_color_SOURCES = tests/unit/test-mc-color.c
tests_unit_test_mc_color_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_mc_color_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_mc_cmd_SOURCES = tests/unit/test-mc-cmd.c
tests_unit_test_mc_cmd_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_mc_cmd_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_text_SOURCES = tests/unit/test-text.c
tests_unit_test_text_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_text_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_mc_health_SOURCES = tests/unit/test-mc-health.c
tests_unit_test_mc_health_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_mc_health_LDADD = librconsole.la $(CRITERION_LIBS) -lm
check_PROGRAMS += tests/unit/test-mc-health
TESTS += tests/unit/test-mc-health

# The command tree parsed from `help` (issue 13).
check_PROGRAMS += tests/unit/test-mc-usage
TESTS += tests/unit/test-mc-usage
tests_unit_test_mc_usage_SOURCES = tests/unit/test-mc-usage.c tests/unit/usage-fixtures.h
tests_unit_test_mc_usage_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_mc_usage_LDADD = librconsole.la $(CRITERION_LIBS)
