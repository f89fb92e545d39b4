# tests/bench/local.mk: `make bench` builds every program in BENCH_BINS and
# runs them; they print figures and never fail on speed.  They are
# EXTRA_PROGRAMS, so neither `make` nor `make check` builds them.  MCSIM
# defaults to the simulated server built here (bench-conn falls back to a
# built-in peer when it does not exist yet).
# EXTRA_PROGRAMS is not declared in Makefile.am: set here (other fragments
# that need it must be included after this one, or the lead moves the "="
# next to BENCH_BINS and this line becomes "+=").
EXTRA_PROGRAMS = tests/bench/bench-conn
BENCH_BINS += tests/bench/bench-conn
CLEANFILES += tests/bench/bench-conn
tests_bench_bench_conn_SOURCES = tests/bench/bench-conn.c
tests_bench_bench_conn_LDADD = librconsole.la

bench: all $(BENCH_BINS)
	@set -e; for b in $(BENCH_BINS); do \
	  echo "== $$b"; \
	  MCSIM="$${MCSIM-$(abs_top_builddir)/rconsole-mcsim}" ./$$b; \
	done
.PHONY: bench
