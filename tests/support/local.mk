# tests/support/local.mk: libtestsupport.la, what test programs link to spawn
# mcsim (mcsim.h), talk raw RCON (rcon-test.h) and run child programs
# (run-prog.h), and compare long replies with `sim pattern` (pattern.h).
# Use: #include "../support/mcsim.h" and
#   tests_x_test_y_LDADD = libtestsupport.la librconsole.la $(CRITERION_LIBS)
noinst_LTLIBRARIES += libtestsupport.la
libtestsupport_la_SOURCES = \
	tests/support/mcsim.c tests/support/rcon-test.c tests/support/run-prog.c \
	tests/support/pattern.c
noinst_HEADERS += \
	tests/support/mcsim.h tests/support/rcon-test.h tests/support/run-prog.h \
	tests/support/pattern.h
