#!/bin/sh
# install.sh: `make install DESTDIR=...` puts every program, man page and
# shell completion where it belongs, a section-3 link for every function a
# page names, and no libtool archive (.la); the
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
# A static rconsole (configure --enable-static-libc) has its dynamic twin
# installed, which runs the console and --metrics (src/cli/twin.c).
if grep -q '^#define RC_STATIC_LIBC 1' "$TOP_BUILDDIR/config.h"; then
	[ -n "${INST_PKGLIBEXECDIR:-}" ] || fail "INST_PKGLIBEXECDIR is not set (run this through make check)"
	[ -x "$D$INST_PKGLIBEXECDIR/rconsole-dynamic" ] ||
		fail "make install did not install $INST_PKGLIBEXECDIR/rconsole-dynamic"
	out=$(LD_LIBRARY_PATH="$D$INST_LIBDIR" "$D$INST_PKGLIBEXECDIR/rconsole-dynamic" --version) ||
		fail "the installed rconsole-dynamic does not run"
	case $out in "rconsole "*) ;; *) fail "rconsole-dynamic --version printed: $out" ;; esac
fi
# Every page of data/man (whatever section) is installed in its section.
for page in "$TOP_SRCDIR"/data/man/*.[1-9]; do
	base=${page##*/}
	[ -f "$D$INST_MANDIR/man${base##*.}/$base" ] || fail "man page $base is not installed"
done
# Every function a section-3 page names has its link there, so that
# `man rc_conn_new` opens rc_conn(3).
links=0
for page in "$TOP_SRCDIR"/data/man/*.3; do
	base=${page##*/}
	for n in $(sed -n 's/^\.Nm \(rc_[a-z0-9_]*\).*/\1/p' "$page"); do
		[ "$n.3" = "$base" ] && continue
		l="$D$INST_MANDIR/man3/$n.3"
		[ -L "$l" ] || fail "no man page link $n.3 (for $base)"
		cmp -s "$l" "$page" || fail "$n.3 does not lead to $base"
		links=$((links + 1))
	done
done
[ $links -ge 100 ] || fail "only $links section-3 links"
if command -v man >/dev/null 2>&1; then
	got=$(MANPATH= man -M "$D$INST_MANDIR" -w rc_conn_new 2>&1) ||
		fail "man -w rc_conn_new: $got"
fi
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
echo "PASS: make install DESTDIR put every file in place ($links man page links); make uninstall removed them all"
