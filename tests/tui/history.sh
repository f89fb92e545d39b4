#!/bin/sh
# history.sh: per-server history survives a restart of the console (Up
# recalls it), Ctrl-R finds an older entry, and :quit exits with status 0.
. "${TOP_SRCDIR:-.}/tests/tui/lib.sh"
tui_setup

start_alpha_tui -p 2 -c 'refresh = 0;'
for cmd in 'say first one' 'seed' 'time query daytime'; do
	type_text "$cmd"
	keys Enter
	wait_log alpha "$cmd"
done
type_text ':quit'
keys Enter
st=$(wait_exit)
[ "$st" = 0 ] || fail ":quit exited with $st"
assert_restored
ls "$XDG_STATE_HOME"/rconsole/history/* >/dev/null 2>&1 || fail "no history file under XDG_STATE_HOME"

# A new console: Up walks back through the saved history.
start_tui --config "$CFG"
wait_screen '│● alpha '
keys Up
wait_screen 'alpha> :quit'
keys Up
wait_screen 'alpha> time query daytime'
keys Up
wait_screen 'alpha> seed'
keys Up
wait_screen 'alpha> say first one'
# Past the oldest entry Up stays there; Down comes back to the empty line.
keys Up Up
keys Down
wait_screen 'alpha> seed'
keys Down Down Down
wait_screen 'alpha>  +RW '
# A line being typed survives a walk through the history.
type_text 'half typed'
keys Up Up
wait_screen 'alpha> time query daytime'
keys Down Down
wait_screen 'alpha> half typed'
keys C-u

# Ctrl-R finds the entry containing the needle; Enter runs it.
keys C-r
type_text 'firs'
wait_screen "reverse-i-search\\)'firs': say first one"
keys Enter
wait_for '[ "$(log_count alpha "say first one")" = 2 ]' "the recalled line to run once more"

keys C-q
st=$(wait_exit)
[ "$st" = 0 ] || fail "C-q exited with $st"
exit 0
