# src/app/local.mk: the session layer the console draws (app, ring, history).
noinst_LTLIBRARIES += libapp.la
libapp_la_SOURCES = src/app/app.c src/app/app-event.c src/app/app-health.c src/app/app-alert.c src/app/app-text.c src/app/app-tail.c \
	src/app/app-logline.c src/app/app-split.c src/app/ring.c src/app/history.c \
	src/app/app-tree.c src/app/app-sched.c
libapp_la_SOURCES += src/app/app-audit.c src/app/app-cleartext.c
noinst_HEADERS += src/app/app-audit.h src/app/app-cleartext.h
libapp_la_SOURCES += src/app/app-file.c src/app/app-setting.c src/app/app-profile.c
noinst_HEADERS += src/app/app-file.h src/app/app-profile.h
libapp_la_CFLAGS = $(AM_CFLAGS)
noinst_HEADERS += src/app/app-tree.h src/app/app-split.h src/app/app.h src/app/app-int.h src/app/ring.h src/app/history.h

check_PROGRAMS += tests/unit/test-app-ring tests/unit/test-app-history
TESTS += tests/unit/test-app-ring tests/unit/test-app-history
tests_unit_test_app_ring_SOURCES = tests/unit/test-app-ring.c
tests_unit_test_app_ring_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_ring_LDADD = libapp.la librconsole.la $(CRITERION_LIBS)
tests_unit_test_app_history_SOURCES = tests/unit/test-app-history.c
tests_unit_test_app_history_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_history_LDADD = libapp.la librconsole.la $(CRITERION_LIBS)
# rename() wrapped: a second console writing just after a save's rename.
tests_unit_test_app_history_LDFLAGS = -Wl,--wrap=rename

check_PROGRAMS += tests/integration/test-app
TESTS += tests/integration/test-app
tests_integration_test_app_SOURCES = tests/integration/test-app.c
tests_integration_test_app_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_app_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

check_PROGRAMS += tests/integration/test-app-tail
TESTS += tests/integration/test-app-tail
tests_integration_test_app_tail_SOURCES = tests/integration/test-app-tail.c
tests_integration_test_app_tail_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_app_tail_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

check_PROGRAMS += tests/integration/test-app-unavailable
TESTS += tests/integration/test-app-unavailable
tests_integration_test_app_unavailable_SOURCES = tests/integration/test-app-unavailable.c
tests_integration_test_app_unavailable_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_app_unavailable_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

# History files and the state directory, through the app (no server needed).
check_PROGRAMS += tests/integration/test-app-state
TESTS += tests/integration/test-app-state
tests_integration_test_app_state_SOURCES = tests/integration/test-app-state.c
tests_integration_test_app_state_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_app_state_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

check_PROGRAMS += tests/unit/test-app-split
TESTS += tests/unit/test-app-split
tests_unit_test_app_split_SOURCES = tests/unit/test-app-split.c
tests_unit_test_app_split_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_split_LDADD = libapp.la librconsole.la $(CRITERION_LIBS)

# The console's text handling (split, log lines, wrap) as a libFuzzer target
# (tests/fuzz/local.mk runs every FUZZ_BINS entry).
FUZZ_BINS += tests/fuzz/fuzz-apptext
CLEANFILES += tests/fuzz/fuzz-apptext
EXTRA_DIST += tests/fuzz/fuzz-apptext.c
FUZZ_LIB_APPTEXT = $(top_srcdir)/src/app/app-split.c $(top_srcdir)/src/app/app-logline.c \
	$(top_srcdir)/src/tui/wrap.c $(top_srcdir)/src/tui/utf8.c $(FUZZ_LIB_MC)
if HAVE_CLANG
tests/fuzz/fuzz-apptext: $(top_srcdir)/tests/fuzz/fuzz-apptext.c $(FUZZ_LIB_APPTEXT) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-apptext.c $(FUZZ_LIB_APPTEXT)
endif

# The audit log and the clear-text warning (issue 14 §2, §3).
check_PROGRAMS += tests/unit/test-app-audit
TESTS += tests/unit/test-app-audit
tests_unit_test_app_audit_SOURCES = tests/unit/test-app-audit.c
tests_unit_test_app_audit_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_audit_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)
# The audit writer out of memory: allocations fail for real (malloc wrapped).
check_PROGRAMS += tests/unit/test-app-audit-oom
TESTS += tests/unit/test-app-audit-oom
tests_unit_test_app_audit_oom_SOURCES = tests/unit/test-app-audit-oom.c tests/support/starve.c \
    tests/support/starve.h tests/support/wrap-alloc.h
tests_unit_test_app_audit_oom_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_audit_oom_LDFLAGS = -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc
tests_unit_test_app_audit_oom_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)
AUDIT_SCRIPT_TESTS = tests/tui/audit.sh tests/tui/audit-full.sh tests/tui/cleartext.sh
TESTS += $(AUDIT_SCRIPT_TESTS)
EXTRA_DIST += $(AUDIT_SCRIPT_TESTS)

# Health probe and polls (issue 12) against mcsim's health flavours.
check_PROGRAMS += tests/integration/test-app-health
TESTS += tests/integration/test-app-health
tests_integration_test_app_health_SOURCES = tests/integration/test-app-health.c
tests_integration_test_app_health_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_app_health_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS) -lm

# Alerts and the on_event hook (issue 12).
check_PROGRAMS += tests/integration/test-app-alert
TESTS += tests/integration/test-app-alert
tests_integration_test_app_alert_SOURCES = tests/integration/test-app-alert.c
tests_integration_test_app_alert_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_integration_test_app_alert_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

# The glued help reply, split and parsed into the command tree (issue 13).
check_PROGRAMS += tests/unit/test-app-tree
TESTS += tests/unit/test-app-tree
tests_unit_test_app_tree_SOURCES = tests/unit/test-app-tree.c tests/unit/usage-fixtures.h
tests_unit_test_app_tree_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_tree_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

# Atomic file replacement (history, the tree cache, --metrics-file).
check_PROGRAMS += tests/unit/test-app-file
TESTS += tests/unit/test-app-file
tests_unit_test_app_file_SOURCES = tests/unit/test-app-file.c
tests_unit_test_app_file_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_file_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)

# Per-server settings: override -> profile -> file -> default.
check_PROGRAMS += tests/unit/test-app-setting
TESTS += tests/unit/test-app-setting
tests_unit_test_app_setting_SOURCES = tests/unit/test-app-setting.c
tests_unit_test_app_setting_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_setting_LDADD = libapp.la librconsole.la $(CRITERION_LIBS)

# :add's file work (app-profile.c).
check_PROGRAMS += tests/unit/test-app-profile
TESTS += tests/unit/test-app-profile
tests_unit_test_app_profile_SOURCES = tests/unit/test-app-profile.c
tests_unit_test_app_profile_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_profile_LDADD = libapp.la librconsole.la $(CRITERION_LIBS)

# :add with a configuration named by a relative path saves an absolute
# password_file.
check_PROGRAMS += tests/unit/test-app-profile-relative
TESTS += tests/unit/test-app-profile-relative
tests_unit_test_app_profile_relative_SOURCES = tests/unit/test-app-profile-relative.c
tests_unit_test_app_profile_relative_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_app_profile_relative_LDADD = libapp.la libtestsupport.la librconsole.la $(CRITERION_LIBS)
