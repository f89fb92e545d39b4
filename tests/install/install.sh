#!/bin/sh
# install.sh: `make install DESTDIR=...` puts every program, man page and
# shell completion where it belongs and no libtool archive (.la); the
# installed rconsole runs; `make uninstall DESTDIR=...` then leaves no file
# behind.  The directories come from configure (INST_* in the test
# environment); make is run in the build tree.
set -eu
: "${TOP_SRCDIR:=.}" "${TOP_BUILDDIR:=.}"
MAKE=${MAKE:-make}
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
for v in INST_BINDIR INST_LIBDIR INST_INCLUDEDIR INST_MANDIR INST_PKGCONFIGDIR \
    INST_BASHCOMPDIR INST_ZSHCOMPDIR INST_FISHCOMPDIR; do
	eval "[ -n \"\${$v:-}\" ]" || fail "$v is not set (run this through make check)"
done

W=$(mktemp -d "${TMPDIR:-/tmp}/rconsole-inst.XXXXXX")
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT INT TERM
D="$W/root"
# A nested make must not talk to the jobserver of the make running the tests.
unset MAKEFLAGS MFLAGS MAKELEVEL || true

(cd "$TOP_BUILDDIR" && $MAKE install DESTDIR="$D") > "$W/install.log" 2>&1 ||
	{ tail -n 40 "$W/install.log" >&2; fail "make install DESTDIR=$D failed"; }

for f in "$INST_BINDIR/rconsole" "$INST_BINDIR/rconsole-mcsim" \
    "$INST_MANDIR/man1/rconsole.1" "$INST_MANDIR/man1/rconsole-mcsim.1" \
    "$INST_MANDIR/man5/rconsole.conf.5" \
    "$INST_BASHCOMPDIR/rconsole" "$INST_ZSHCOMPDIR/_rconsole" \
    "$INST_FISHCOMPDIR/rconsole.fish" \
    "$INST_LIBDIR/librconsole.so" "$INST_INCLUDEDIR/rconsole/rconsole.h" \
    "$INST_INCLUDEDIR/rconsole/version.h" "$INST_PKGCONFIGDIR/rconsole.pc"; do
	[ -e "$D$f" ] || fail "make install did not install $f"
done
# Every page of data/man (whatever section) is installed in its section.
for page in "$TOP_SRCDIR"/data/man/*.[1-9]; do
	base=${page##*/}
	[ -f "$D$INST_MANDIR/man${base##*.}/$base" ] || fail "man page $base is not installed"
done
[ ! -e "$D$INST_LIBDIR/librconsole.la" ] || fail "the libtool archive librconsole.la is installed"
# Everything went under DESTDIR$prefix (or a completion directory given to
# configure), nowhere else.
stray=$(cd "$D" && find . ! -type d | while IFS= read -r f; do
	f=${f#.}
	for dir in "$INST_PREFIX" "$INST_BASHCOMPDIR" "$INST_ZSHCOMPDIR" "$INST_FISHCOMPDIR"; do
		case $f in "$dir"/*) continue 2 ;; esac
	done
	printf '%s\n' "$f"
done)
[ -z "$stray" ] || fail "installed outside the prefix $INST_PREFIX: $stray"

# The installed program runs on the installed library.
out=$(LD_LIBRARY_PATH="$D$INST_LIBDIR" "$D$INST_BINDIR/rconsole" --version) ||
	fail "the installed rconsole does not run"
case $out in
"rconsole "*librconsole*) ;;
*) fail "the installed rconsole --version printed: $out" ;;
esac

(cd "$TOP_BUILDDIR" && $MAKE uninstall DESTDIR="$D") > "$W/uninstall.log" 2>&1 ||
	{ tail -n 40 "$W/uninstall.log" >&2; fail "make uninstall DESTDIR=$D failed"; }
left=$(cd "$D" && find . ! -type d)
[ -z "$left" ] || fail "make uninstall left files behind: $left"
echo "PASS: make install DESTDIR put every file in place; make uninstall removed them all"
