#!/bin/sh
# static-solo.sh: a static rconsole (configure --enable-static-libc) whose
# twin rconsole-dynamic is not there runs the console itself (src/cli/
# twin.c): --demo draws its servers with the locale's UTF-8 (box lines,
# status dots), takes a command and quits cleanly.  In a dynamic build
# there is no twin to miss: the test says so and passes.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

if ! grep -q '^#define RC_STATIC_LIBC 1' "${TOP_BUILDDIR:-.}/config.h"; then
	say "a dynamically linked rconsole: no twin to run"
	exit 0
fi
mkdir "$W/solo"
cp "$RCONSOLE" "$W/solo/rconsole"
RCONSOLE=$W/solo/rconsole
export TMPDIR="$W/tmp"
mkdir -p "$TMPDIR"
start_tui --demo
wait_screen 'Players [0-9]+/[0-9]+' 5
wait_screen '│● survival '
type_text 'seed'
keys Enter
wait_screen 'Seed: '
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
assert_restored
exit 0
