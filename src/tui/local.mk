# src/tui/local.mk: the full-screen console (libtui.la, linked into rconsole
# with $(CURSES_LIBS)), its unit tests and its tmux end-to-end tests.
#
# editor, spark, layout, complete, utf8 and oom are pure (no curses) so
# their unit tests run without a terminal; everything else includes curses only
# through src/tui/curses-wrap.h.
TUI_PURE_SOURCES = \
	src/tui/utf8.c src/tui/utf8.h \
	src/tui/editor.c src/tui/editor.h \
	src/tui/spark.c src/tui/spark.h \
	src/tui/layout.c src/tui/layout.h \
	src/tui/complete.c src/tui/complete.h \
	src/tui/console-table.c src/tui/console-table.h \
	src/tui/wrap.c src/tui/wrap.h \
	src/tui/paste-tail.c src/tui/paste-tail.h

noinst_LTLIBRARIES += libtui.la
libtui_la_SOURCES = $(TUI_PURE_SOURCES) \
	src/tui/curses-wrap.h src/tui/tui.h src/tui/tui-int.h src/tui/oom.c src/tui/oom.h \
	src/tui/theme.c src/tui/theme.h src/tui/draw.c src/tui/draw.h \
	src/tui/view-servers.c src/tui/view-log.c src/tui/view-players.c \
	src/tui/view-bottom.c src/tui/view-help.c src/tui/view-info.c \
	src/tui/keys.c src/tui/confirm.c src/tui/console.c src/tui/tui.c \
	src/tui/terminfo.c src/tui/terminfo.h
libtui_la_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS)

TUI_UNIT_TESTS = tests/unit/test-tui-editor tests/unit/test-tui-spark \
	tests/unit/test-tui-layout tests/unit/test-tui-complete tests/unit/test-tui-utf8 \
	tests/unit/test-tui-oom tests/unit/test-tui-wrap
check_PROGRAMS += $(TUI_UNIT_TESTS)
TESTS += $(TUI_UNIT_TESTS)
tests_unit_test_tui_editor_SOURCES = tests/unit/test-tui-editor.c src/tui/editor.c src/tui/utf8.c
tests_unit_test_tui_editor_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_editor_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_tui_spark_SOURCES = tests/unit/test-tui-spark.c src/tui/spark.c
tests_unit_test_tui_spark_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_spark_LDADD = $(CRITERION_LIBS)
tests_unit_test_tui_layout_SOURCES = tests/unit/test-tui-layout.c src/tui/layout.c
tests_unit_test_tui_layout_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_layout_LDADD = $(CRITERION_LIBS)
tests_unit_test_tui_complete_SOURCES = tests/unit/test-tui-complete.c src/tui/complete.c \
	src/tui/console-table.c src/tui/editor.c src/tui/utf8.c
tests_unit_test_tui_complete_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_complete_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_tui_utf8_SOURCES = tests/unit/test-tui-utf8.c src/tui/utf8.c
tests_unit_test_tui_utf8_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_utf8_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_tui_wrap_SOURCES = tests/unit/test-tui-wrap.c src/tui/wrap.c src/tui/utf8.c
tests_unit_test_tui_wrap_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_wrap_LDADD = librconsole.la $(CRITERION_LIBS)
tests_unit_test_tui_oom_SOURCES = tests/unit/test-tui-oom.c src/tui/oom.c
tests_unit_test_tui_oom_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_oom_LDADD = $(CRITERION_LIBS)

# confirm.c reads the app's servers: linked with the console and app libraries.
check_PROGRAMS += tests/unit/test-tui-confirm
TESTS += tests/unit/test-tui-confirm
tests_unit_test_tui_confirm_SOURCES = tests/unit/test-tui-confirm.c
tests_unit_test_tui_confirm_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_confirm_LDADD = libtui.la libapp.la libtestsupport.la librconsole.la $(CURSES_LIBS) \
	$(CRITERION_LIBS)

# End-to-end tests: the real rconsole in tmux against mcsim (skip, exit 77,
# without tmux).  Each runs in its own temporary directory and tmux server.
TUI_E2E_TESTS = tests/tui/basic.sh tests/tui/history.sh tests/tui/kick.sh \
	tests/tui/resize.sh tests/tui/reconnect.sh tests/tui/hostile.sh \
	tests/tui/readonly.sh tests/tui/demo.sh tests/tui/signals.sh tests/tui/add.sh \
	tests/tui/scroll.sh tests/tui/keys.sh tests/tui/actions.sh \
	tests/tui/console.sh tests/tui/mono.sh tests/tui/termkeys.sh \
	tests/tui/hangup.sh tests/tui/badprofile.sh tests/tui/firstrun.sh \
	tests/tui/output.sh tests/tui/save.sh tests/tui/paste.sh tests/tui/pointer.sh
# Nothing raw on a terminal (issue 7): --raw into a tty, emoji ZWJ sequences.
TUI_E2E_TESTS += tests/tui/raw.sh tests/tui/zwj.sh
# Server health in the server list (issue 12).
TUI_E2E_TESTS += tests/tui/health.sh
# Completion and hints from the server's command tree (issue 13).
TUI_E2E_TESTS += tests/tui/tree.sh tests/tui/tree-fallback.sh
# A list longer than the screen (issue 11).
TUI_E2E_TESTS += tests/tui/many.sh tests/tui/tree-many.sh tests/tui/tree-busy.sh \
	tests/tui/tree-strikes.sh
TESTS += $(TUI_E2E_TESTS)
EXTRA_DIST += $(TUI_E2E_TESTS) tests/tui/lib.sh tests/support/ports.sh
# The trust issue's console tests (read-only narrowing, secrets, FIFOs).
TUI_TRUST_TESTS = tests/tui/readonly-narrow.sh tests/tui/fifo.sh tests/tui/statedir.sh \
	tests/tui/addpass.sh
TESTS += $(TUI_TRUST_TESTS)
EXTRA_DIST += $(TUI_TRUST_TESTS)

# The curses version for `rconsole --version` (src/tui/version.h).
libtui_la_SOURCES += src/tui/version.c src/tui/version.h

# One pass of the console with 5,000 servers costs the rows on screen and the
# servers that changed (issue 11): the real console drawn into curses on
# /dev/null, its work counted.
check_PROGRAMS += tests/unit/test-tui-pass
TESTS += tests/unit/test-tui-pass
tests_unit_test_tui_pass_SOURCES = tests/unit/test-tui-pass.c
tests_unit_test_tui_pass_CFLAGS = $(AM_CFLAGS) $(CURSES_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_pass_LDADD = libtui.la libapp.la libtestsupport.la librconsole.la $(CURSES_LIBS) \
	$(CRITERION_LIBS)

# Tab with more candidates than the completion keeps (COMPLETE_MAX).
check_PROGRAMS += tests/unit/test-tui-complete-many
TESTS += tests/unit/test-tui-complete-many
tests_unit_test_tui_complete_many_SOURCES = tests/unit/test-tui-complete-many.c src/tui/complete.c \
	src/tui/console-table.c src/tui/editor.c src/tui/utf8.c
tests_unit_test_tui_complete_many_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_complete_many_LDADD = librconsole.la $(CRITERION_LIBS)

# History browsing past an entry the line cannot hold.
check_PROGRAMS += tests/unit/test-tui-editor-hist
TESTS += tests/unit/test-tui-editor-hist
tests_unit_test_tui_editor_hist_SOURCES = tests/unit/test-tui-editor-hist.c src/tui/editor.c src/tui/utf8.c
tests_unit_test_tui_editor_hist_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_editor_hist_LDADD = librconsole.la $(CRITERION_LIBS)

# Where a bracketed paste ends (paste-tail.c), read by read.
check_PROGRAMS += tests/unit/test-tui-paste-tail
TESTS += tests/unit/test-tui-paste-tail
tests_unit_test_tui_paste_tail_SOURCES = tests/unit/test-tui-paste-tail.c src/tui/paste-tail.c \
	src/tui/oom.c
tests_unit_test_tui_paste_tail_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_paste_tail_LDADD = $(CRITERION_LIBS)

# What the editor gives back to the allocator holds nothing typed (a
# password prompt is an editor); realloc and free are wrapped to look.
check_PROGRAMS += tests/unit/test-tui-editor-wipe
TESTS += tests/unit/test-tui-editor-wipe
tests_unit_test_tui_editor_wipe_SOURCES = tests/unit/test-tui-editor-wipe.c src/tui/editor.c \
	src/tui/utf8.c
tests_unit_test_tui_editor_wipe_CFLAGS = $(AM_CFLAGS) $(CRITERION_CFLAGS)
tests_unit_test_tui_editor_wipe_LDFLAGS = -Wl,--wrap=realloc,--wrap=free
tests_unit_test_tui_editor_wipe_LDADD = librconsole.la $(CRITERION_LIBS)
