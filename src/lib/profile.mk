# src/lib/profile.mk: saved server profiles (libconfig): load, validate, save.
# libconfig is included by src/lib/profile.c alone.
librconsole_la_SOURCES += src/lib/profile.c src/lib/profile-key.c src/lib/profile-scan.c \
	src/lib/profile-path.c src/lib/profile-save.c src/lib/profile-merge.c
noinst_HEADERS += src/lib/profile-int.h tests/unit/test-profile-util.h

check_PROGRAMS += tests/unit/test-profile tests/unit/test-profile-password \
	tests/unit/test-profile-save tests/unit/test-profile-size tests/unit/test-profile-merge
TESTS += tests/unit/test-profile tests/unit/test-profile-password tests/unit/test-profile-save \
	tests/unit/test-profile-size tests/unit/test-profile-merge
tests_unit_test_profile_SOURCES = tests/unit/test-profile.c
tests_unit_test_profile_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_profile_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_profile_password_SOURCES = tests/unit/test-profile-password.c
tests_unit_test_profile_password_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_profile_password_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_profile_save_SOURCES = tests/unit/test-profile-save.c
tests_unit_test_profile_save_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_profile_save_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_profile_size_SOURCES = tests/unit/test-profile-size.c
tests_unit_test_profile_size_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_profile_size_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_profile_merge_SOURCES = tests/unit/test-profile-merge.c
tests_unit_test_profile_merge_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_profile_merge_LDFLAGS = -Wl,--wrap=rc_config_load
tests_unit_test_profile_merge_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
