#!/bin/sh
# twin-bad.sh: a static rconsole (configure --enable-static-libc) whose
# twin rconsole-dynamic is not a twin it can run (src/cli/twin.c).  A twin
# that is this static program again (a symlink or a copy put there to
# "fix" a missing twin) must not exec itself for ever: it says so, and
# runs without it.  A twin that is there but cannot be run is said to be
# there, with why, not "not at"; one of another version says so.  In a
# dynamic build there is no twin: the test says so and passes.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

if ! grep -q '^#define RC_STATIC_LIBC 1' "${TOP_BUILDDIR:-.}/config.h"; then
	say "a dynamically linked rconsole: no twin to run"
	exit 0
fi
mkdir "$W/bin"
cp "$RCONSOLE" "$W/bin/rconsole"
port=$(free_port)

# A twin of another version than the rconsole that ran it (an older
# installed one found in pkglibexecdir) says so; the same version says
# nothing.
twin=${TOP_BUILDDIR:-.}/rconsole-dynamic
RCONSOLE_AS_TWIN=0.0-older "$twin" --version >"$W/out" 2>"$W/err" || fail "twin --version failed"
grep -q 'warning: .*rconsole-dynamic .* 0\.0-older' "$W/err" ||
	fail "a twin of another version says nothing: $(cat "$W/err")"
version=$("$twin" --version | sed -n '1s/^rconsole //p')
RCONSOLE_AS_TWIN=$version "$twin" --version >"$W/out" 2>"$W/err" || fail "twin --version failed"
[ ! -s "$W/err" ] || fail "a twin of the same version warns: $(cat "$W/err")"

# Without a twin beside it: the message names the places looked at, and
# whether an installed twin would take over (then the rest is not checked).
st=0
timeout 20 "$W/bin/rconsole" --metrics="127.0.0.1:$port" -H 127.0.0.1 >"$W/out" 2>"$W/err" || st=$?
if ! grep -q 'which is not at' "$W/err"; then
	say "an installed rconsole-dynamic runs in place of a missing one: not checked ($(cat "$W/err"))"
	exit 0
fi
[ "$st" = 2 ] || fail "no twin: exit $st, not 2: $(cat "$W/err")"

# The twin is a symlink to the static program itself.
ln -s rconsole "$W/bin/rconsole-dynamic"
st=0
timeout 20 "$W/bin/rconsole" --metrics="127.0.0.1:$port" -H 127.0.0.1 >"$W/out" 2>"$W/err" || st=$?
[ "$st" != 124 ] || fail "a twin that is the static rconsole again: it exec'd itself until killed"
[ "$st" = 2 ] || fail "a twin that is the static rconsole again: exit $st, not 2: $(cat "$W/err")"
grep -q 'rconsole-dynamic.*static' "$W/err" ||
	fail "a twin that is the static rconsole again is not said: $(cat "$W/err")"

# The twin is there but is not executable.
rm "$W/bin/rconsole-dynamic"
cp "${TOP_BUILDDIR:-.}/rconsole-dynamic" "$W/bin/rconsole-dynamic"
chmod 644 "$W/bin/rconsole-dynamic"
st=0
timeout 20 "$W/bin/rconsole" --metrics="127.0.0.1:$port" -H 127.0.0.1 >"$W/out" 2>"$W/err" || st=$?
[ "$st" = 2 ] || fail "a twin that cannot be run: exit $st, not 2: $(cat "$W/err")"
grep -q "$W/bin/rconsole-dynamic (Permission denied)" "$W/err" ||
	fail "a twin that cannot be run is not said with why: $(cat "$W/err")"
exit 0
