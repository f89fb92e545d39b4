#!/bin/sh
# demo.sh: `rconsole --demo` shows simulated servers with players within
# three seconds, and quits cleanly.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_tui --demo
wait_screen 'Players [0-9]+/[0-9]+' 3
wait_screen '│ [A-Za-z0-9_]{3,} +│$' 3
wait_screen '│● survival '
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
assert_restored
ls -d "${TMPDIR:-/tmp}"/rconsole-demo-* 2>/dev/null | while read -r d; do
	[ -O "$d" ] && [ "$(find "$d" -newer "$W/tmux.conf" -maxdepth 0 2>/dev/null)" ] &&
		echo "$d"
done | grep -q . && fail "the demo left its temporary directory behind"
exit 0
