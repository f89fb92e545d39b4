# tests/fuzz/local.mk: libFuzzer targets, built with clang and run by
# `make fuzz`, and briefly (FUZZ_CHECK_RUNS) by `make check`, never by
# `make`.  Each target is compiled
# straight from the library sources it needs with
# -fsanitize=fuzzer,address,undefined and run for FUZZ_RUNS inputs from a
# fixed FUZZ_SEED, so a run is repeatable; `make fuzz FUZZ_RUNS=1000000
# FUZZ_SEED=0` fuzzes longer with a random seed.  A crash leaves its input in
# tests/fuzz/crash-* (run the target on that file to replay it).
FUZZ_RUNS = 20000
FUZZ_SEED = 1
FUZZ_BINS += tests/fuzz/fuzz-packet tests/fuzz/fuzz-list tests/fuzz/fuzz-style \
	tests/fuzz/fuzz-sanitize tests/fuzz/fuzz-cmd tests/fuzz/fuzz-config tests/fuzz/fuzz-reasm tests/fuzz/fuzz-core
CLEANFILES += tests/fuzz/fuzz-packet tests/fuzz/fuzz-list tests/fuzz/fuzz-style \
	tests/fuzz/fuzz-sanitize tests/fuzz/fuzz-cmd tests/fuzz/fuzz-config tests/fuzz/fuzz-reasm tests/fuzz/fuzz-core
EXTRA_DIST += tests/fuzz/fuzz-packet.c tests/fuzz/fuzz-list.c tests/fuzz/fuzz-style.c \
	tests/fuzz/fuzz-sanitize.c tests/fuzz/fuzz-cmd.c tests/fuzz/fuzz-config.c tests/fuzz/fuzz-reasm.c tests/fuzz/fuzz-core.c tests/fuzz/list.dict tests/fuzz/style.dict
# The read-only policy with its oracle, and the history loader.
FUZZ_BINS += tests/fuzz/fuzz-policy tests/fuzz/fuzz-history
CLEANFILES += tests/fuzz/fuzz-policy tests/fuzz/fuzz-history
EXTRA_DIST += tests/fuzz/fuzz-policy.c tests/fuzz/fuzz-history.c tests/fuzz/policy.dict
# Inputs that once failed a target, replayed before it fuzzes (see fuzz:).
EXTRA_DIST += tests/fuzz/regress/policy-20-words-after-op-star
EXTRA_DIST += tests/fuzz/regress/policy-help-literal-question-mark
EXTRA_DIST += tests/fuzz/regress/policy-help-star-star
EXTRA_DIST += tests/fuzz/regress/policy-help-question-mark-both-lists
EXTRA_DIST += tests/fuzz/regress/keys-long-colon-word

# The command tree parser (issue 13).
FUZZ_BINS += tests/fuzz/fuzz-usage
CLEANFILES += tests/fuzz/fuzz-usage
EXTRA_DIST += tests/fuzz/fuzz-usage.c tests/fuzz/usage.dict

FUZZ_CC = $(CLANG) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -include $(top_builddir)/config.h \
	-I$(top_srcdir)/include -I$(top_srcdir)/src
FUZZ_LIB_PACKET = $(top_srcdir)/src/lib/packet.c $(top_srcdir)/src/lib/error.c
FUZZ_LIB_MC = $(top_srcdir)/src/lib/mc-list.c $(top_srcdir)/src/lib/mc-color.c \
	$(top_srcdir)/src/lib/mc-cmd.c $(top_srcdir)/src/lib/text.c \
	$(top_srcdir)/src/lib/mc-health.c
FUZZ_LIB_ENGINE = $(FUZZ_LIB_PACKET) $(top_srcdir)/src/lib/loop.c $(top_srcdir)/src/lib/resolve.c \
	$(top_srcdir)/src/lib/core.c $(top_srcdir)/src/lib/core-reasm.c $(top_srcdir)/src/lib/conn.c \
	$(top_srcdir)/src/lib/conn-io.c \
	$(top_srcdir)/src/lib/policy.c $(top_srcdir)/src/lib/text.c $(top_srcdir)/src/lib/mc-cmd.c
# The I/O-free connection core: no socket, loop or resolver.
FUZZ_LIB_CORE = $(FUZZ_LIB_PACKET) $(top_srcdir)/src/lib/core.c $(top_srcdir)/src/lib/core-reasm.c \
	$(top_srcdir)/src/lib/policy.c $(top_srcdir)/src/lib/text.c $(top_srcdir)/src/lib/mc-cmd.c
FUZZ_LIB_CONFIG = $(top_srcdir)/src/lib/profile.c $(top_srcdir)/src/lib/profile-key.c \
	$(top_srcdir)/src/lib/profile-scan.c $(top_srcdir)/src/lib/profile-save.c \
	$(top_srcdir)/src/lib/profile-path.c $(top_srcdir)/src/lib/error.c $(top_srcdir)/src/lib/policy.c \
	$(top_srcdir)/src/lib/tunnel.c $(top_srcdir)/src/lib/names.c $(top_srcdir)/src/lib/text.c \
	$(top_srcdir)/src/lib/passwd.c $(top_srcdir)/src/lib/listen.c

# The health reply parser (issue 12).
FUZZ_BINS += tests/fuzz/fuzz-health
CLEANFILES += tests/fuzz/fuzz-health
EXTRA_DIST += tests/fuzz/fuzz-health.c tests/fuzz/health.dict

# The CLI's output paths and its -c - reader (issue 7).
FUZZ_BINS += tests/fuzz/fuzz-output tests/fuzz/fuzz-stdin
CLEANFILES += tests/fuzz/fuzz-output tests/fuzz/fuzz-stdin
EXTRA_DIST += tests/fuzz/fuzz-output.c tests/fuzz/fuzz-stdin.c

# fuzz-keys: the console's key handling over the real app, connections and
# an in-process peer; built from every library, app and console source.
FUZZ_BINS += tests/fuzz/fuzz-keys
CLEANFILES += tests/fuzz/fuzz-keys
EXTRA_DIST += tests/fuzz/fuzz-keys.c tests/fuzz/keys.dict
# The sources come from the libraries' own lists, so a file added to one of
# them is fuzzed too (headers in the lists are left out by the recipe).
FUZZ_KEYS_SRC = $(librconsole_la_SOURCES) $(libapp_la_SOURCES) $(libtui_la_SOURCES)

if HAVE_CLANG
tests/fuzz/fuzz-output: $(top_srcdir)/tests/fuzz/fuzz-output.c $(top_srcdir)/src/cli/output.c \
	  $(FUZZ_LIB_MC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-output.c \
	  $(top_srcdir)/src/cli/output.c $(FUZZ_LIB_MC)
tests/fuzz/fuzz-stdin: $(top_srcdir)/tests/fuzz/fuzz-stdin.c $(top_srcdir)/src/cli/cmdsource.c config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-stdin.c \
	  $(top_srcdir)/src/cli/cmdsource.c
tests/fuzz/fuzz-keys: $(top_srcdir)/tests/fuzz/fuzz-keys.c $(FUZZ_KEYS_SRC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)srcs=; for f in $(FUZZ_KEYS_SRC); do \
	  case $$f in *.c) srcs="$$srcs $(top_srcdir)/$$f";; esac; done; \
	$(FUZZ_CC) $(CURSES_CFLAGS) $(LIBCONFIG_CFLAGS) -o $@ \
	  $(top_srcdir)/tests/fuzz/fuzz-keys.c $$srcs $(CURSES_LIBS) $(LIBCONFIG_LIBS) -lpthread
tests/fuzz/fuzz-health: $(top_srcdir)/tests/fuzz/fuzz-health.c $(FUZZ_LIB_MC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-health.c $(FUZZ_LIB_MC)
tests/fuzz/fuzz-packet: $(top_srcdir)/tests/fuzz/fuzz-packet.c $(FUZZ_LIB_PACKET) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-packet.c $(FUZZ_LIB_PACKET)
tests/fuzz/fuzz-list: $(top_srcdir)/tests/fuzz/fuzz-list.c $(FUZZ_LIB_MC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-list.c $(FUZZ_LIB_MC)
tests/fuzz/fuzz-style: $(top_srcdir)/tests/fuzz/fuzz-style.c $(FUZZ_LIB_MC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-style.c $(FUZZ_LIB_MC)
tests/fuzz/fuzz-sanitize: $(top_srcdir)/tests/fuzz/fuzz-sanitize.c $(FUZZ_LIB_MC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-sanitize.c $(FUZZ_LIB_MC)
tests/fuzz/fuzz-cmd: $(top_srcdir)/tests/fuzz/fuzz-cmd.c $(FUZZ_LIB_MC) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-cmd.c $(FUZZ_LIB_MC)
tests/fuzz/fuzz-config: $(top_srcdir)/tests/fuzz/fuzz-config.c $(FUZZ_LIB_CONFIG) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) $(LIBCONFIG_CFLAGS) -o $@ $(top_srcdir)/tests/fuzz/fuzz-config.c \
	  $(FUZZ_LIB_CONFIG) $(LIBCONFIG_LIBS)
tests/fuzz/fuzz-reasm: $(top_srcdir)/tests/fuzz/fuzz-reasm.c $(FUZZ_LIB_CORE) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -I$(top_srcdir)/src/lib -o $@ $(top_srcdir)/tests/fuzz/fuzz-reasm.c \
	  $(FUZZ_LIB_CORE)
tests/fuzz/fuzz-core: $(top_srcdir)/tests/fuzz/fuzz-core.c $(FUZZ_LIB_CORE) config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -I$(top_srcdir)/src/lib -o $@ $(top_srcdir)/tests/fuzz/fuzz-core.c \
	  $(FUZZ_LIB_CORE)
# policy.c decodes characters with text.c's rc_text_decode.
tests/fuzz/fuzz-policy: $(top_srcdir)/tests/fuzz/fuzz-policy.c $(top_srcdir)/src/lib/policy.c \
	  $(top_srcdir)/src/lib/text.c config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-policy.c $(top_srcdir)/src/lib/policy.c \
	  $(top_srcdir)/src/lib/text.c
tests/fuzz/fuzz-history: $(top_srcdir)/tests/fuzz/fuzz-history.c $(top_srcdir)/src/app/history.c \
	$(top_srcdir)/src/app/app-file.c config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-history.c $(top_srcdir)/src/app/history.c \
	    $(top_srcdir)/src/app/app-file.c

# The command tree parsed from `help` (issue 13).
tests/fuzz/fuzz-usage: $(top_srcdir)/tests/fuzz/fuzz-usage.c $(top_srcdir)/src/lib/mc-usage.c config.h
	@$(MKDIR_P) tests/fuzz
	$(AM_V_CCLD)$(FUZZ_CC) -o $@ $(top_srcdir)/tests/fuzz/fuzz-usage.c $(top_srcdir)/src/lib/mc-usage.c

# Runs every fuzz target (FUZZ_BINS, other fragments may add theirs) with
# its dictionary tests/fuzz/NAME.dict when there is one, after replaying
# the inputs that once made it fail (tests/fuzz/regress/NAME-*).
fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
	  name=`echo $$f | sed 's|.*/fuzz-||'`; \
	  dict=$(top_srcdir)/tests/fuzz/$$name.dict; \
	  opt=; test -f $$dict && opt=-dict=$$dict; \
	  for r in $(top_srcdir)/tests/fuzz/regress/$$name-*; do \
	    test -f "$$r" || continue; \
	    ./$$f "$$r" > $$f.log 2>&1 \
	      || { tail -n 40 $$f.log; echo "fuzz: $$f FAILED on $$r"; exit 1; }; \
	  done; \
	  echo "fuzz: $$f, $(FUZZ_RUNS) runs"; \
	  ./$$f -runs=$(FUZZ_RUNS) -seed=$(FUZZ_SEED) -artifact_prefix=tests/fuzz/ \
	    -print_final_stats=0 $$opt > $$f.log 2>&1 \
	    || { tail -n 40 $$f.log; echo "fuzz: $$f FAILED (log in $$f.log)"; exit 1; }; \
	  tail -n 1 $$f.log; \
	done

# `make check` runs every target briefly, as CI should (DESIGN.md section 7).
FUZZ_CHECK_RUNS = 4000
check-local: fuzz-check
fuzz-check: $(FUZZ_BINS)
	@$(MAKE) $(AM_MAKEFLAGS) fuzz FUZZ_RUNS=$(FUZZ_CHECK_RUNS)
else
fuzz:
	@echo "make fuzz: clang was not found by configure (apt-get install clang)"; exit 1
# make check runs the fuzz targets: without clang it fails, never skips.
check-local:
	@echo "make check: the fuzz targets need clang, which configure did not find (apt-get install clang; ./bootstrap installs it)"; exit 1
endif
CLEANFILES += tests/fuzz/*.log
.PHONY: fuzz fuzz-check
