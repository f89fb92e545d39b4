# tests/support/local.mk: libtestsupport.la, what test programs link to spawn
# mcsim (mcsim.h), talk raw RCON (rcon-test.h) and run child programs
# (run-prog.h), compare long replies with `sim pattern` (pattern.h) and
# write and read whole files (files.h).
# Use: #include "../support/mcsim.h" and
#   tests_x_test_y_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
noinst_LTLIBRARIES += libtestsupport.la
libtestsupport_la_SOURCES = \
	tests/support/mcsim.c tests/support/rcon-test.c tests/support/run-prog.c \
	tests/support/pattern.c tests/support/files.c
noinst_HEADERS += \
	tests/support/mcsim.h tests/support/rcon-test.h tests/support/run-prog.h \
	tests/support/pattern.h tests/support/files.h
# Unit tests whose own fragments link no test support, for files.h (only the
# members they use are linked in).
tests_unit_test_app_history_LDADD += libtestsupport.la
tests_unit_test_app_audit_LDADD += libtestsupport.la
tests_unit_test_profile_LDADD += libtestsupport.la
tests_unit_test_profile_save_LDADD += libtestsupport.la
tests_unit_test_profile_password_LDADD += libtestsupport.la
tests_unit_test_profile_tunnel_LDADD += libtestsupport.la
EXTRA_DIST += tests/support/check.sh
