#!/bin/sh
# installed.sh: the library as a third party gets it.  Installs the build
# into a scratch DESTDIR, builds tests/abi/installed-client.c with
# `pkg-config --cflags --libs rconsole` pointing into it, and checks: the
# program runs against the installed librconsole.so (not the build tree) and
# passes against mcsim (100,000-character replies byte-exact, RC_EAUTH for a
# wrong password); the shared object exports no symbol without the rc_
# prefix; every installed header compiles alone as C11 (-pedantic -Wall
# -Wextra -Werror) and as C++, and cites no document that is not installed.
set -u
. "${TOP_SRCDIR:-.}/tests/support/check.sh"
check_workdir abi

root=$tmp/root
${MAKE:-make} -C "$top" install DESTDIR="$root" >"$tmp/install.log" 2>&1 ||
	{ tail -n 30 "$tmp/install.log" >&2; fail "make install DESTDIR=$root"; }
pc=$(find "$root" -name rconsole.pc | head -n 1)
[ -n "$pc" ] || fail "rconsole.pc was not installed"
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") \
	PKG_CONFIG_SYSROOT_DIR=$root pkg-config --cflags --libs rconsole) ||
	fail "pkg-config --cflags --libs rconsole"
echo "pkg-config: $flags"
libdir=$(dirname "$(find "$root" -name 'librconsole.so.*' | head -n 1)")
incdir=$(dirname "$(find "$root" -name rconsole.h -path '*/rconsole/*' | head -n 1)")
[ -d "$libdir" ] && [ -d "$incdir" ] || fail "library or headers not installed"
case "$flags" in *"$root"*) ;; *) fail "pkg-config flags do not point into DESTDIR" ;; esac

# A program built only from what was installed.  A library built with
# --enable-sanitizers needs the sanitizer runtimes in the program too.
san=
nm -D "$libdir"/librconsole.so.* 2>/dev/null | grep -q ' U __asan_' &&
	san="-fsanitize=address,undefined"
${CC:-cc} -std=c11 -Wall -Wextra -Werror $san -o "$tmp/installed-client" \
	"$src/tests/abi/installed-client.c" $flags || fail "building against the installed library"
LD_LIBRARY_PATH=$libdir ldd "$tmp/installed-client" | grep -q "librconsole.so.* => $libdir/" ||
	fail "the program does not load the installed librconsole.so"

"$mcsim" --port 0 --log "$tmp/log" >"$tmp/port" 2>"$tmp/sim.err" &
simpid=$!
poll_until "grep -q '^[0-9]' '$tmp/port' 2>/dev/null" 10 ||
	fail "mcsim did not start: $(cat "$tmp/sim.err")"
port=$(head -n 1 "$tmp/port")
out=$(LD_LIBRARY_PATH=$libdir "$tmp/installed-client" "$port" secret) ||
	fail "installed-client against mcsim: $out"
[ "$out" = ok ] || fail "installed-client printed: $out"

# Only the rc_ API is exported.
so=$(find "$libdir" -name 'librconsole.so.*.*' | head -n 1)
nm -D --defined-only "$so" | awk '{print $3}' >"$tmp/syms"
grep -q '^rc_client_open$' "$tmp/syms" || fail "rc_client_open is not exported"
bad=$(grep -v '^rc_' "$tmp/syms")
[ -z "$bad" ] || fail "exported without the rc_ prefix: $bad"

# Every installed header on its own, as C11 and as C++.
n=0
for h in "$incdir"/*.h; do
	b=$(basename "$h")
	printf '#include <rconsole/%s>\n' "$b" >"$tmp/one.c"
	${CC:-cc} -std=c11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$incdir/.." "$tmp/one.c" ||
		fail "$b does not compile alone as C11"
	${CXX:-g++} -x c++ -std=c++11 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$incdir/.." \
		"$tmp/one.c" || fail "$b does not compile alone as C++"
	if grep -n 'DESIGN\|PROTOCOL\.md' "$h"; then
		fail "$b cites a document that is not installed"
	fi
	n=$((n + 1))
done
[ $n -ge 10 ] || fail "only $n headers installed"
for p in rconsole rc_client rc_conn rc_adapter rc_session; do
	find "$root" -path "*/man3/$p.3" | grep -q . || fail "$p(3) was not installed"
done
echo "ok: installed library, $n headers, $(wc -l <"$tmp/syms") rc_ symbols"
