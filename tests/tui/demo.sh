#!/bin/sh
# demo.sh: `rconsole --demo` shows simulated servers with players within
# three seconds, quits cleanly, and leaves nothing in its temporary
# directory nor anywhere else (history, :save).
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

# The demo's private directory goes under TMPDIR: make that ours to inspect.
export TMPDIR="$W/tmp"
mkdir -p "$TMPDIR"
start_tui --demo
wait_screen 'Players [0-9]+/[0-9]+' 3
wait_screen '│ [A-Za-z0-9_]{3,} +│$' 3
wait_screen '│● survival '
ls "$TMPDIR" | grep -q . || fail "the demo made no directory under TMPDIR"
# A command (its history is written) and a console command.
type_text 'seed'
keys Enter
wait_screen 'Seed: '
type_text ':save'
keys Enter
wait_screen 'saved '
keys F10
st=$(wait_exit)
[ "$st" = 0 ] || fail "exit status $st"
assert_restored
left=$(ls -A "$TMPDIR")
[ -z "$left" ] || fail "the demo left files behind: $left"
# Nothing outside its temporary directory: no history, no profiles.
for d in "$HOME" "$XDG_STATE_HOME" "$XDG_CONFIG_HOME"; do
	[ -z "$(ls -A "$d")" ] || fail "the demo wrote into $d: $(ls -A "$d")"
done
exit 0
