# tests/bench/local.mk: `make bench` builds every program in BENCH_BINS and
# runs them; they print figures and never fail on speed.  They are
# EXTRA_PROGRAMS, so neither `make` nor `make check` builds them.  MCSIM
# defaults to the simulated server built here (bench-conn falls back to a
# built-in peer when it does not exist yet).
EXTRA_PROGRAMS += tests/bench/bench-conn tests/bench/bench-tui
BENCH_BINS += tests/bench/bench-conn tests/bench/bench-tui
CLEANFILES += tests/bench/bench-conn tests/bench/bench-tui
tests_bench_bench_conn_SOURCES = tests/bench/bench-conn.c
tests_bench_bench_conn_LDADD = librconsole.la
tests_bench_bench_tui_SOURCES = tests/bench/bench-tui.c
tests_bench_bench_tui_LDADD = libtestsupport.la librconsole.la -lutil
# The io_uring floor of the scale curve, when configure found liburing.
if HAVE_LIBURING
tests_bench_bench_tui_LDADD += $(LIBURING_LIBS)
endif
# Memory of -c - with 300 MB of stdin (issue 7).
EXTRA_PROGRAMS += tests/bench/bench-stdin
BENCH_BINS += tests/bench/bench-stdin
CLEANFILES += tests/bench/bench-stdin
tests_bench_bench_stdin_SOURCES = tests/bench/bench-stdin.c
tests_bench_bench_stdin_LDADD = libtestsupport.la librconsole.la

# The console's figures are taken on the real binary, not libtool's wrapper
# script (which would add a shell's start-up to the time to first frame).
BENCH_RCONSOLE = `if test -x $(abs_top_builddir)/.libs/rconsole; then \
	echo $(abs_top_builddir)/.libs/rconsole; else echo $(abs_top_builddir)/rconsole; fi`

bench: all $(BENCH_BINS)
	@set -e; for b in $(BENCH_BINS); do \
	  echo "== $$b"; \
	  MCSIM="$${MCSIM-$(abs_top_builddir)/rconsole-mcsim}" RCONSOLE=$(BENCH_RCONSOLE) \
	  LD_LIBRARY_PATH="$(abs_top_builddir)/.libs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}" ./$$b; \
	done
.PHONY: bench

# CPU of rconsole --metrics with 1,000 servers and one scrape a second (issue 12).
bench: bench-metrics
bench-metrics: all
	@echo "== tests/bench/bench-metrics.sh"
	@MCSIM="$${MCSIM-$(abs_top_builddir)/rconsole-mcsim}" RCONSOLE=$(BENCH_RCONSOLE) \
	  LD_LIBRARY_PATH="$(abs_top_builddir)/.libs$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}" \
	  $(top_srcdir)/tests/bench/bench-metrics.sh
EXTRA_DIST += tests/bench/bench-metrics.sh
.PHONY: bench-metrics
# One invocation of the one-shot CLI beside a bare client (issue 11).
EXTRA_PROGRAMS += tests/bench/bench-bare-client tests/bench/bench-oneshot
BENCH_BINS += tests/bench/bench-oneshot
CLEANFILES += tests/bench/bench-bare-client tests/bench/bench-oneshot
tests_bench_bench_bare_client_SOURCES = tests/bench/bench-bare-client.c
tests_bench_bench_oneshot_SOURCES = tests/bench/bench-oneshot.c
tests_bench_bench_oneshot_LDADD = libtestsupport.la librconsole.la
bench: tests/bench/bench-bare-client
# An adapter session's cost per loop event at 1,000 and 5,000 servers (issue 11).
EXTRA_PROGRAMS += tests/bench/bench-session-lookup
BENCH_BINS += tests/bench/bench-session-lookup
CLEANFILES += tests/bench/bench-session-lookup
tests_bench_bench_session_lookup_SOURCES = tests/bench/bench-session-lookup.c
tests_bench_bench_session_lookup_LDADD = libtestsupport.la librconsole.la
# --list-profiles --tags / --names and --check-config on large profile files.
EXTRA_PROGRAMS += tests/bench/bench-profiles
BENCH_BINS += tests/bench/bench-profiles
CLEANFILES += tests/bench/bench-profiles
tests_bench_bench_profiles_SOURCES = tests/bench/bench-profiles.c
