# src/lib/local.mk: the engine library core (codec, loop, errors) and headers.
#
# Two libraries with one content.  ./librconsole.la is a convenience library
# (not installed) holding every engine object: the programs and tests link
# it, so they may use internal symbols, and every fragment adds its sources
# to it with librconsole_la_SOURCES +=.  src/lib/librconsole.la is the
# installed shared library, built from it, exporting only the rc_ API.
# Its -version-info follows libtool's rules (README.md, "The library").
noinst_LTLIBRARIES += librconsole.la
librconsole_la_SOURCES = src/lib/error.c src/lib/packet.c src/lib/loop.c src/lib/fdlimit.c src/lib/names.c \
	src/lib/passwd.c src/lib/listen.c
librconsole_la_CFLAGS = $(AM_CFLAGS) $(LIBCONFIG_CFLAGS)
librconsole_la_LIBADD = $(LIBCONFIG_LIBS) $(PTHREAD_LIBS)

lib_LTLIBRARIES += src/lib/librconsole.la
src_lib_librconsole_la_SOURCES =
nodist_EXTRA_src_lib_librconsole_la_SOURCES = src/lib/dummy.c
src_lib_librconsole_la_LIBADD = librconsole.la $(LIBCONFIG_LIBS) $(PTHREAD_LIBS)
src_lib_librconsole_la_LDFLAGS = -version-info 1:0:0 -export-symbols-regex '^rc_' \
	-no-undefined $(AM_LDFLAGS)

rconsoleincludedir = $(includedir)/rconsole
rconsoleinclude_HEADERS = \
	include/rconsole/error.h include/rconsole/packet.h include/rconsole/loop.h \
	include/rconsole/resolve.h include/rconsole/conn.h include/rconsole/adapter.h include/rconsole/client.h \
	include/rconsole/policy.h include/rconsole/session.h \
	include/rconsole/mc.h include/rconsole/profile.h include/rconsole/rconsole.h

check_PROGRAMS += tests/unit/test-packet tests/unit/test-loop
TESTS += tests/unit/test-packet tests/unit/test-loop
tests_unit_test_packet_SOURCES = tests/unit/test-packet.c
tests_unit_test_packet_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_packet_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_loop_SOURCES = tests/unit/test-loop.c
tests_unit_test_loop_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_loop_LDADD = librconsole.la $(CRITERION_LIBS)
# The same tests on the poll() back end, whatever configure chose: loop.c is
# compiled into the test with RC_LOOP_FORCE_POLL (its objects come first, so
# the library's loop.o is never pulled in).
check_PROGRAMS += tests/unit/test-loop-poll
TESTS += tests/unit/test-loop-poll
tests_unit_test_loop_poll_SOURCES = tests/unit/test-loop.c src/lib/loop.c
tests_unit_test_loop_poll_CPPFLAGS = $(AM_CPPFLAGS) -DRC_LOOP_FORCE_POLL
tests_unit_test_loop_poll_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_loop_poll_LDADD = librconsole.la $(CRITERION_LIBS)
check_PROGRAMS += tests/unit/test-names
TESTS += tests/unit/test-names
tests_unit_test_names_SOURCES = tests/unit/test-names.c
tests_unit_test_names_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_names_LDADD = librconsole.la $(CRITERION_LIBS)
check_PROGRAMS += tests/unit/test-passwd
TESTS += tests/unit/test-passwd
tests_unit_test_passwd_SOURCES = tests/unit/test-passwd.c
tests_unit_test_passwd_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_passwd_LDADD = librconsole.la $(CRITERION_LIBS)
noinst_HEADERS += src/lib/loop-int.h src/lib/fdlimit.h src/lib/names.h src/lib/passwd-int.h \
	src/lib/listen.h

# Section-3 manual pages: rconsole(3), then one page per header.
dist_man3_MANS = data/man/rconsole.3 data/man/rc_adapter.3 data/man/rc_client.3 \
	data/man/rc_config.3 data/man/rc_conn.3 data/man/rc_error.3 data/man/rc_loop.3 \
	data/man/rc_mc.3 data/man/rc_packet.3 data/man/rc_policy.3 data/man/rc_resolve.3 \
	data/man/rc_session.3
TESTS += tests/abi/man.sh
EXTRA_DIST += tests/abi/man.sh
# `man rc_conn_new` finds rc_conn(3): every function a section-3 page names
# (.Nm) gets a link NAME.3 to that page, as Debian's -dev packages do; the
# page's own name and rconsole(3)'s librconsole are not functions.
install-data-hook: install-man3-links
install-man3-links:
	@for p in $(dist_man3_MANS); do \
	  page=$${p##*/}; \
	  for n in `sed -n 's/^\.Nm \(rc_[a-z0-9_]*\).*/\1/p' "$(srcdir)/$$p"`; do \
	    test "$$n.3" = "$$page" && continue; \
	    echo " ln -s $$page $(DESTDIR)$(man3dir)/$$n.3"; \
	    rm -f "$(DESTDIR)$(man3dir)/$$n.3" && \
	    $(LN_S) "$$page" "$(DESTDIR)$(man3dir)/$$n.3" || exit 1; \
	  done; \
	done
uninstall-local: uninstall-man3-links
uninstall-man3-links:
	@for p in $(dist_man3_MANS); do \
	  for n in `sed -n 's/^\.Nm \(rc_[a-z0-9_]*\).*/\1/p' "$(srcdir)/$$p"`; do \
	    test "$$n.3" = "$${p##*/}" || rm -f "$(DESTDIR)$(man3dir)/$$n.3"; \
	  done; \
	done
.PHONY: install-man3-links uninstall-man3-links
