# examples/local.mk: the library's example programs, built by `make check`
# and run against mcsim by tests/examples/examples.sh.  They use only the
# public headers.
check_PROGRAMS += examples/blocking
examples_blocking_SOURCES = examples/blocking.c
examples_blocking_LDADD = librconsole.la
TESTS += tests/examples/examples.sh
EXTRA_DIST += tests/examples/examples.sh examples/uv-many.c
if HAVE_LIBUV
check_PROGRAMS += examples/uv-many
examples_uv_many_SOURCES = examples/uv-many.c
examples_uv_many_CFLAGS = $(AM_CFLAGS) $(LIBUV_CFLAGS)
examples_uv_many_LDADD = librconsole.la $(LIBUV_LIBS)
endif
